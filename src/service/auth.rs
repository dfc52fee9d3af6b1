//! Authentication. Access tokens are short-lived HS256 JWTs naming the user
//! and the login session; what the user may do comes from their current
//! status and roles ([`AccessCache`]), never from the token alone, so a
//! deactivation, a role change or a logout takes effect at once. Expiry is
//! checked with at most [`CLOCK_SKEW_SECS`] of leeway. Refresh
//! tokens are random, stored hashed, single-use and rotated: presenting a
//! spent one means it was stolen or replayed, and the whole login session
//! (its family) is revoked. Bots present API tokens, also stored hashed.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{access::AccessCache, login_guard::LoginGuard, passwords};
use crate::{
    config::Config,
    domain::access::Actor,
    error::{Error, Result},
    store::{Store, users::User},
};

/// Prefix that tells an API token from a JWT at a glance (and to secret scanners).
pub const API_TOKEN_PREFIX: &str = "so_";

/// Clock difference between nodes tolerated on a token's expiry.
pub const CLOCK_SKEW_SECS: u64 = 2;

/// Claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    /// Role codes when issued; informational (clients show them), never
    /// used for decisions.
    pub roles: Vec<String>,
    /// The login session (refresh-token family).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub exp: i64,
    pub iat: i64,
    pub iss: String,
}

/// What a checked bearer says.
#[derive(Debug, Clone)]
pub struct Bearer {
    pub actor: Actor,
    /// Unix seconds the access token stops working; none for API tokens.
    pub expires_at: Option<i64>,
}

/// Signing material and lifetimes, built once at start-up.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    access_ttl: Duration,
    refresh_ttl: Duration,
}

impl TokenKeys {
    pub fn new(secret: &[u8], config: &Config) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&["signoff"]);
        validation.leeway = CLOCK_SKEW_SECS;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl: Duration::seconds(config.access_token_ttl_secs as i64),
            refresh_ttl: Duration::seconds(config.refresh_token_ttl_secs as i64),
        }
    }

    /// The configured secret, or the cluster's generated one.
    pub async fn load(store: &Store, config: &Config) -> Result<Self> {
        let secret = match &config.jwt_secret {
            Some(secret) => secret.clone(),
            None => store.secret_or_create("jwt", || random_token(48)).await?,
        };
        Ok(Self::new(secret.as_bytes(), config))
    }

    pub fn issue_access(&self, user_id: i64, roles: &[String], session: &str) -> Result<(String, DateTime<Utc>)> {
        let now = Utc::now();
        let exp = now + self.access_ttl;
        let claims = Claims {
            sub: user_id.to_string(),
            roles: roles.to_vec(),
            sid: Some(session.to_string()),
            exp: exp.timestamp(),
            iat: now.timestamp(),
            iss: "signoff".into(),
        };
        let token =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(Error::internal)?;
        Ok((token, exp))
    }

    /// Checks signature, issuer and expiry; says which of them failed.
    pub fn verify_access(&self, token: &str) -> Result<Claims> {
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => {
                    Error::unauthenticated("token_expired", "the access token has expired; refresh it")
                }
                _ => Error::unauthenticated("invalid_token", "the access token is not valid"),
            })?;
        data.claims
            .sub
            .parse::<i64>()
            .map_err(|_| Error::unauthenticated("invalid_token", "the access token is not valid"))?;
        Ok(data.claims)
    }
}

/// What a successful login or refresh hands the client.
pub struct Session {
    pub access_token: String,
    pub access_expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub refresh_expires_at: DateTime<Utc>,
    pub user: User,
}

/// `n` random bytes, URL-safe base64.
pub fn random_token(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 hex of a token; tokens are long and random, so no salt is needed.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

async fn open_session(store: &Store, keys: &TokenKeys, user: User, family: &str) -> Result<Session> {
    let roles = store.role_codes_of(&[user.id]).await?.remove(&user.id).unwrap_or_default();
    let (access_token, access_expires_at) = keys.issue_access(user.id, &roles, family)?;
    let refresh_token = random_token(32);
    let refresh_expires_at = Utc::now() + keys.refresh_ttl;
    store.insert_refresh_token(user.id, family, token_hash(&refresh_token), refresh_expires_at).await?;
    Ok(Session { access_token, access_expires_at, refresh_token, refresh_expires_at, user })
}

fn bad_credentials() -> Error {
    Error::unauthenticated("invalid_credentials", "wrong username or password")
}

/// Username and password in, a new session out. The same error for an
/// unknown user, a wrong password and a deactivated account; too many
/// attempts (per account, per address) are refused before any hashing.
pub async fn login(
    store: &Store,
    keys: &TokenKeys,
    guard: &LoginGuard,
    address: Option<std::net::IpAddr>,
    username: &str,
    password: &str,
) -> Result<Session> {
    let username = username.trim().to_lowercase();
    guard.admit(&username, address)?;
    let user = store.user_by_username(&username).await?;
    let stored = user.as_ref().filter(|u| u.active).and_then(|u| u.password_hash.clone());
    if !passwords::verify(stored, password).await? {
        guard.failed(&username);
        return Err(bad_credentials());
    }
    guard.succeeded(&username);
    let user = user.ok_or_else(bad_credentials)?;
    let family = uuid::Uuid::new_v4().to_string();
    open_session(store, keys, user, &family).await
}

/// Spends a refresh token for a new pair. A spent or revoked token revokes
/// its whole family: the legitimate holder has to log in again, and so does
/// whoever replayed it.
pub async fn refresh(store: &Store, keys: &TokenKeys, refresh_token: &str) -> Result<Session> {
    let invalid = || Error::unauthenticated("invalid_refresh_token", "the refresh token is not valid");
    let row = store.refresh_token_by_hash(&token_hash(refresh_token)).await?.ok_or_else(invalid)?;
    if row.revoked_at.is_some() {
        return Err(Error::unauthenticated("invalid_refresh_token", "this session has ended; log in again"));
    }
    if row.used_at.is_some() || !store.spend_refresh_token(row.id).await? {
        store.revoke_refresh_family(&row.family).await?;
        tracing::warn!(user_id = row.user_id, family = %row.family, "refresh token reused; session revoked");
        return Err(Error::unauthenticated(
            "refresh_token_reused",
            "this refresh token was already used; the session has been revoked, log in again",
        ));
    }
    if row.expires_at <= Utc::now() {
        return Err(Error::unauthenticated("refresh_token_expired", "the session has expired; log in again"));
    }
    let user = store.user(row.user_id).await?.filter(|u| u.active).ok_or_else(invalid)?;
    open_session(store, keys, user, &row.family).await
}

/// Ends the login session the refresh token belongs to.
pub async fn logout(store: &Store, refresh_token: &str) -> Result<bool> {
    match store.refresh_token_by_hash(&token_hash(refresh_token)).await? {
        Some(row) => Ok(store.revoke_refresh_family(&row.family).await? > 0),
        None => Ok(false),
    }
}

/// Turns an `Authorization: Bearer …` value into the acting user, as they
/// stand now.
pub async fn authenticate(store: &Store, keys: &TokenKeys, access: &AccessCache, bearer: &str) -> Result<Bearer> {
    if bearer.starts_with(API_TOKEN_PREFIX) {
        let token = store
            .api_token_by_hash(&token_hash(bearer))
            .await?
            .ok_or_else(|| Error::unauthenticated("invalid_token", "the API token is not valid or was revoked"))?;
        let actor = access.actor(token.user_id, None).await.map_err(|e| match e {
            Error::Unauthenticated { .. } => {
                Error::unauthenticated("invalid_token", "the API token's user is deactivated")
            }
            other => other,
        })?;
        store.touch_api_token(token.id).await?;
        return Ok(Bearer { actor, expires_at: None });
    }
    let claims = keys.verify_access(bearer)?;
    let user_id =
        claims.sub.parse().map_err(|_| Error::unauthenticated("invalid_token", "the access token is not valid"))?;
    let actor = access.actor(user_id, claims.sid.as_deref()).await?;
    Ok(Bearer { actor, expires_at: Some(claims.exp) })
}

/// A new API token for `user_id`; the secret is returned once and only its
/// hash is kept.
pub async fn issue_api_token(
    store: &Store,
    user_id: i64,
    name: String,
    created_by: i64,
) -> Result<(String, crate::store::tokens::ApiToken)> {
    let secret = format!("{API_TOKEN_PREFIX}{}", random_token(32));
    let prefix: String = secret.chars().take(10).collect();
    let row = store.insert_api_token(user_id, name, prefix, token_hash(&secret), created_by).await?;
    Ok((secret, row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_tokens_round_trip_and_reject_forgeries() {
        let config = Config::default();
        let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef", &config);
        let (token, _) = keys.issue_access(7, &["admin".into()], "s").unwrap();
        let claims = keys.verify_access(&token).unwrap();
        assert_eq!((claims.sub.as_str(), claims.sid.as_deref()), ("7", Some("s")));
        let other = TokenKeys::new(b"another-secret-another-secret-xx", &config);
        assert_eq!(other.verify_access(&token).unwrap_err().code(), "invalid_token");
        assert_eq!(keys.verify_access("garbage").unwrap_err().code(), "invalid_token");
    }

    #[test]
    fn expired_tokens_say_so() {
        let config = Config { access_token_ttl_secs: 0, ..Config::default() };
        let keys = TokenKeys { access_ttl: Duration::seconds(-60), ..TokenKeys::new(b"k", &config) };
        let (token, _) = keys.issue_access(1, &[], "s").unwrap();
        assert_eq!(keys.verify_access(&token).unwrap_err().code(), "token_expired");
    }
}
