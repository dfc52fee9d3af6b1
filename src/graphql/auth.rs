//! Logging in and out, refreshing, `me`, and API tokens for bots.

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::{
    context::{RequestOrigin, actor, keys, store},
    types::{ApiTokenNode, UserNode},
};
use crate::{
    domain::access::Permission,
    error::{Error, Result},
    service::{
        auth::{self, Session},
        input::{active_user, parse_id},
        login_guard::LoginGuard,
    },
};

/// Tokens of a login session. Send `accessToken` as `Authorization: Bearer`;
/// when it expires, trade `refreshToken` for a new pair (each refresh token
/// works once).
#[derive(SimpleObject)]
pub struct AuthPayload {
    pub access_token: String,
    pub access_token_expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub refresh_token_expires_at: DateTime<Utc>,
    pub user: UserNode,
}

impl From<Session> for AuthPayload {
    fn from(s: Session) -> Self {
        Self {
            access_token: s.access_token,
            access_token_expires_at: s.access_expires_at,
            refresh_token: s.refresh_token,
            refresh_token_expires_at: s.refresh_expires_at,
            user: UserNode(s.user),
        }
    }
}

/// A new API token; `secret` is shown here once and never again.
#[derive(SimpleObject)]
pub struct CreatedApiToken {
    pub secret: String,
    pub token: ApiTokenNode,
}

#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// The logged-in user.
    async fn me(&self, ctx: &Context<'_>) -> Result<UserNode> {
        let actor = actor(ctx)?;
        let user = store(ctx)
            .user(actor.user_id)
            .await?
            .filter(|u| u.active)
            .ok_or_else(|| Error::unauthenticated("invalid_token", "this account is no longer active"))?;
        Ok(UserNode(user))
    }

    /// Admin: API tokens, of one user or of everyone.
    async fn api_tokens(&self, ctx: &Context<'_>, user_id: Option<ID>) -> Result<Vec<ApiTokenNode>> {
        actor(ctx)?.require(Permission::ManageOrganisation)?;
        let user = user_id.map(|u| parse_id("userId", &u)).transpose()?;
        Ok(store(ctx).api_tokens_of(user).await?.into_iter().map(ApiTokenNode::from).collect())
    }
}

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Starts a session. Wrong username, wrong password and a deactivated
    /// account all answer `invalid_credentials`.
    async fn login(&self, ctx: &Context<'_>, username: String, password: String) -> Result<AuthPayload> {
        let origin = ctx.data_opt::<std::sync::Arc<RequestOrigin>>();
        if let Some(origin) = origin {
            if origin.logins.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= 1 {
                return Err(Error::invalid("one_login_per_request", "a request may log in once"));
            }
        }
        let guard = ctx.data_unchecked::<std::sync::Arc<LoginGuard>>();
        let address = origin.and_then(|o| o.address);
        Ok(auth::login(store(ctx), keys(ctx), guard, address, &username, &password).await?.into())
    }

    /// Trades a refresh token for a new pair. Reusing a spent one revokes the session.
    async fn refresh_token(&self, ctx: &Context<'_>, refresh_token: String) -> Result<AuthPayload> {
        Ok(auth::refresh(store(ctx), keys(ctx), &refresh_token).await?.into())
    }

    /// Ends the session the refresh token belongs to.
    async fn logout(&self, _ctx: &Context<'_>, refresh_token: String) -> Result<bool> {
        auth::logout(store(_ctx), &refresh_token).await
    }

    /// Admin: a token for a bot or integration to call the API as `userId`.
    async fn create_api_token(&self, ctx: &Context<'_>, user_id: ID, name: String) -> Result<CreatedApiToken> {
        let actor = actor(ctx)?;
        actor.require(Permission::ManageOrganisation)?;
        let user = active_user(store(ctx), "userId", &user_id).await?;
        let name = crate::domain::names::DisplayName::parse("name", &name)?.into_inner();
        let (secret, token) = auth::issue_api_token(store(ctx), user, name, actor.user_id).await?;
        Ok(CreatedApiToken { secret, token: token.into() })
    }

    /// Admin: the token stops working at once.
    async fn revoke_api_token(&self, ctx: &Context<'_>, id: ID) -> Result<ApiTokenNode> {
        actor(ctx)?.require(Permission::ManageOrganisation)?;
        let id = parse_id("id", &id)?;
        let store = store(ctx);
        if !store.revoke_api_token(id).await? {
            return Err(match store.api_token(id).await? {
                Some(_) => Error::conflict("already_revoked", "this token is already revoked"),
                None => Error::not_found("api token"),
            });
        }
        Ok(store.api_token(id).await?.ok_or(Error::not_found("api token"))?.into())
    }
}
