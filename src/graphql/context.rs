//! What a resolver knows about its request: who is asking (the [`Viewer`]),
//! and the shared services. Authentication happens once per request in the
//! HTTP layer; resolvers only ask for the actor they need.

use async_graphql::Context;

use crate::{
    domain::access::Actor,
    error::{Error, Result},
    service::auth::TokenKeys,
    store::Store,
};

/// Where one HTTP request came from, and the logins it may still try: one
/// per HTTP request, however many aliases or batched operations it holds,
/// so a single request cannot make the server hash a thousand passwords.
#[derive(Debug, Default)]
pub struct RequestOrigin {
    pub address: Option<std::net::IpAddr>,
    pub logins: std::sync::atomic::AtomicU32,
}

/// The caller of one request.
#[derive(Debug, Clone)]
pub enum Viewer {
    /// No credentials were sent.
    Anonymous,
    /// Credentials checked out.
    Authenticated(Actor),
    /// Credentials were sent and rejected; the reason is kept so a resolver
    /// that needs an actor reports `token_expired` rather than a bare 401.
    Rejected { code: &'static str, message: String },
}

/// The authenticated caller, or the reason there is none.
pub fn actor<'a>(ctx: &'a Context<'_>) -> Result<&'a Actor> {
    match ctx.data_opt::<Viewer>() {
        Some(Viewer::Authenticated(actor)) => Ok(actor),
        Some(Viewer::Rejected { code, message }) => Err(Error::unauthenticated(code, message.clone())),
        _ => Err(Error::unauthenticated("unauthenticated", "log in first: send Authorization: Bearer <token>")),
    }
}

pub fn store<'a>(ctx: &'a Context<'_>) -> &'a Store {
    ctx.data_unchecked::<Store>()
}

pub fn keys<'a>(ctx: &'a Context<'_>) -> &'a TokenKeys {
    ctx.data_unchecked::<std::sync::Arc<TokenKeys>>()
}
