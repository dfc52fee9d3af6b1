//! Gives every GraphQL error a stable `code` extension. Resolvers return the
//! crate [`Error`]; here its code, field issues and status are copied into
//! the response, and internal failures are logged and masked. Errors the
//! GraphQL engine raises itself (parse, validation, limits) get codes too.

use std::sync::Arc;

use async_graphql::{
    ErrorExtensionValues, Response, ServerError, Value,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextRequest},
};

use crate::error::{Error, log_if_server_fault};

pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension)
    }
}

struct ErrorCodesExtension;

#[async_trait::async_trait]
impl Extension for ErrorCodesExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        for error in &mut response.errors {
            annotate(error);
        }
        response
    }

    /// Subscription responses carry the same codes.
    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: futures::stream::BoxStream<'s, Response>,
        next: async_graphql::extensions::NextSubscribe<'_>,
    ) -> futures::stream::BoxStream<'s, Response> {
        use futures::StreamExt;
        next.run(ctx, stream)
            .map(|mut response| {
                for error in &mut response.errors {
                    annotate(error);
                }
                response
            })
            .boxed()
    }
}

fn crate_error(error: &ServerError) -> Option<&Error> {
    error.source::<Error>().or_else(|| error.source::<Arc<Error>>().map(|e| e.as_ref()))
}

/// Sets `extensions.code` (and `fields` for bad input) on one error.
pub fn annotate(error: &mut ServerError) {
    if error.extensions.as_ref().is_some_and(|e| e.get("code").is_some()) {
        return;
    }
    let (code, fields) = match crate_error(error) {
        Some(err) => {
            log_if_server_fault(err);
            let fields = err
                .fields()
                .iter()
                .map(|f| {
                    let mut m = async_graphql::indexmap::IndexMap::new();
                    m.insert(async_graphql::Name::new("field"), Value::from(f.field.clone()));
                    m.insert(async_graphql::Name::new("code"), Value::from(f.code));
                    m.insert(async_graphql::Name::new("message"), Value::from(f.message.clone()));
                    Value::Object(m)
                })
                .collect::<Vec<_>>();
            (err.code(), fields)
        }
        None => (engine_code(&error.message), Vec::new()),
    };
    let mut ext: ErrorExtensionValues = error.extensions.take().unwrap_or_default();
    ext.set("code", code);
    if !fields.is_empty() {
        ext.set("fields", Value::List(fields));
    }
    error.extensions = Some(ext);
}

/// Codes for the engine's own errors, from their (stable) messages.
fn engine_code(message: &str) -> &'static str {
    if message.contains("nested too deep") {
        "query_too_deep"
    } else if message.contains("too complex") {
        "query_too_complex"
    } else {
        // Syntax errors, unknown fields, wrong argument types.
        "invalid_query"
    }
}
