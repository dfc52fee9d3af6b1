//! The GraphQL API at `/graphql`: the schema is assembled here from one
//! query and one mutation object per concern, with depth and complexity
//! limits, and every error leaves with a stable `code` extension.
//!
//! - [`context`]: the viewer of a request and access to services.
//! - [`connection`]: Relay paging over keysets.
//! - [`loaders`]: per-request batch loaders.
//! - [`types`]: object types of the organisation.
//! - [`enums`], [`ticket_types`]: workflow types.
//! - [`auth`], [`org`], [`workflow`], [`jobs`], [`reports`], [`realtime`], [`notify`]: the operations;
//!   subscriptions live in `crate::realtime::subscriptions`.
//! - [`errors`]: error codes on every GraphQL error.
//! - [`parse_cache`]: parsed queries kept for reuse.

pub mod auth;
pub mod connection;
pub mod context;
pub mod enums;
pub mod errors;
pub mod inputs;
pub mod jobs;
pub mod loaders;
pub mod notify;
pub mod org;
pub mod parse_cache;
pub mod realtime;
pub mod reports;
pub mod ticket_types;
pub mod types;
pub mod workflow;

use std::sync::Arc;

use async_graphql::{MergedObject, Request, Schema, dataloader::DataLoader};

use crate::{
    config::Config,
    realtime::{Realtime, sub_limits::SubscriptionLimits, subscriptions::Subscription},
    service::{auth::TokenKeys, catalog::Catalog, tickets::Workflow},
    store::Store,
};

#[derive(MergedObject, Default)]
pub struct Query(
    auth::AuthQuery,
    org::OrgQuery,
    workflow::WorkflowQuery,
    jobs::JobQuery,
    reports::ReportQuery,
    realtime::RealtimeQuery,
    notify::NotifyQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    auth::AuthMutation,
    org::OrgMutation,
    workflow::WorkflowMutation,
    jobs::JobMutation,
    realtime::RealtimeMutation,
    notify::NotifyMutation,
);

pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// The schema with its limits, without services: enough to print the SDL.
fn builder(config: &Config) -> async_graphql::SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .limit_depth(config.graphql_depth_limit)
        .limit_complexity(config.graphql_complexity_limit)
        .limit_recursive_depth(64)
        .extension(errors::ErrorCodes)
        .extension(parse_cache::ParseCache::default())
}

/// The depth limit of introspection-only operations. The standard
/// introspection query (graphql-js, GraphiQL, codegen) nests `ofType` so
/// deep that an application limit refuses it; its shape is fixed, so a
/// higher limit here costs nothing, and the complexity limit still holds.
pub const INTROSPECTION_DEPTH_LIMIT: usize = 32;

/// The live schema, and its copy for introspection-only operations.
pub struct Schemas {
    pub main: AppSchema,
    pub introspection: AppSchema,
}

/// Whether every operation of the document selects only `__schema`,
/// `__type` and `__typename` at its top. Anything else (a fragment spread
/// at the top included) is an ordinary operation.
pub fn is_introspection(query: &str) -> bool {
    use async_graphql::parser::types::Selection;
    // Most requests are not: skip the parse for them.
    if !query.contains("__schema") && !query.contains("__type") {
        return false;
    }
    let Ok(document) = async_graphql::parser::parse_query(query) else { return false };
    document.operations.iter().all(|(_, op)| {
        op.node.selection_set.node.items.iter().all(|item| match &item.node {
            Selection::Field(field) => field.node.name.node.starts_with("__"),
            _ => false,
        })
    })
}

/// The live schemas, holding the services resolvers use.
pub fn build(
    config: Arc<Config>,
    store: Store,
    keys: Arc<TokenKeys>,
    catalog: Arc<Catalog>,
    engine: Arc<Workflow>,
    realtime: Arc<Realtime>,
    channels: Arc<crate::service::notify::live::Channels>,
) -> Schemas {
    let guard = Arc::new(crate::service::login_guard::LoginGuard::new(config.login_attempts_per_minute));
    let slots =
        SubscriptionLimits::new(config.graphql_subscriptions_per_connection, config.graphql_subscriptions_per_user);
    let finish = |mut schema: async_graphql::SchemaBuilder<Query, Mutation, Subscription>| {
        if !config.graphql_introspection {
            schema = schema.disable_introspection();
        }
        schema
            .data(store.clone())
            .data(keys.clone())
            .data(config.clone())
            .data(catalog.clone())
            .data(engine.clone())
            .data(realtime.clone())
            .data(channels.clone())
            .data(guard.clone())
            .data(slots.clone())
            .finish()
    };
    let deeper = builder(&config).limit_depth(INTROSPECTION_DEPTH_LIMIT.max(config.graphql_depth_limit));
    Schemas { main: finish(builder(&config)), introspection: finish(deeper) }
}

/// The SDL that `signoff schema` prints and `schema.graphql` must equal.
pub fn sdl() -> String {
    builder(&Config::default()).finish().sdl()
}

/// Attaches what one request needs: its viewer and fresh batch loaders.
pub fn prepare(request: Request, store: &Store, viewer: context::Viewer) -> Request {
    let mut request = request;
    request.data = request_data(store, viewer);
    request
}

/// How long a loader waits to batch keys. The default millisecond is pure
/// latency here: sibling fields ask for their keys in the same poll.
const LOADER_DELAY: std::time::Duration = std::time::Duration::from_micros(50);

/// The viewer and batch loaders of one request or subscription connection.
pub fn request_data(store: &Store, viewer: context::Viewer) -> async_graphql::Data {
    let mut data = async_graphql::Data::default();
    data.insert(viewer);
    data.insert(DataLoader::new(loaders::UserLoader(store.clone()), tokio::spawn).delay(LOADER_DELAY));
    data.insert(DataLoader::new(loaders::DepartmentLoader(store.clone()), tokio::spawn).delay(LOADER_DELAY));
    data.insert(DataLoader::new(loaders::RoleCodesLoader(store.clone()), tokio::spawn).delay(LOADER_DELAY));
    data.insert(DataLoader::new(loaders::TicketLoader(store.clone()), tokio::spawn).delay(LOADER_DELAY));
    data.insert(DataLoader::new(loaders::TemplateLoader(store.clone()), tokio::spawn).delay(LOADER_DELAY));
    data
}
