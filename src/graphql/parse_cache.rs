//! A cache of parsed queries. Clients send the same few operations over and
//! over; parsing each time showed up in profiles, cloning the parsed
//! document is much cheaper. Bounded: past the limit, new queries are parsed
//! and not kept (a client sending endless distinct queries gains nothing).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use async_graphql::{
    ServerResult, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery},
    parser::types::ExecutableDocument,
};

/// Most distinct queries kept.
const CAPACITY: usize = 512;
/// Queries longer than this are not kept.
const MAX_QUERY: usize = 16 * 1024;

#[derive(Default)]
pub struct ParseCache(Arc<Mutex<HashMap<String, ExecutableDocument>>>);

impl ExtensionFactory for ParseCache {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ParseCacheExtension(self.0.clone()))
    }
}

struct ParseCacheExtension(Arc<Mutex<HashMap<String, ExecutableDocument>>>);

#[async_trait::async_trait]
impl Extension for ParseCacheExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        if let Some(doc) = self.0.lock().expect("parse cache poisoned").get(query) {
            return Ok(doc.clone());
        }
        let doc = next.run(ctx, query, variables).await?;
        if query.len() <= MAX_QUERY {
            let mut cache = self.0.lock().expect("parse cache poisoned");
            if cache.len() < CAPACITY {
                cache.insert(query.to_string(), doc.clone());
            }
        }
        Ok(doc)
    }
}
