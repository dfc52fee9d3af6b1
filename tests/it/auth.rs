//! Logging in, refresh rotation and reuse detection, expired and forged
//! tokens, API tokens for bots.

use jsonwebtoken::{EncodingKey, Header};
use serde_json::json;

use crate::harness::{JWT_SECRET, TestApp, error_code};

const ME: &str = "{ me { id username roles } }";
const REFRESH: &str = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }";

#[tokio::test]
async fn login_returns_tokens_and_me_returns_the_user() {
    let app = TestApp::spawn().await;
    let pair = app.login_pair("admin", "signoff").await;
    assert!(pair["refreshToken"].as_str().unwrap().len() > 30);
    let token = pair["accessToken"].as_str().unwrap();
    let me = app.gql_ok(Some(token), ME, json!({})).await;
    assert_eq!(me["me"]["username"], "admin");
    assert!(me["me"]["roles"].as_array().unwrap().contains(&json!("admin")));
    // Usernames are case-insensitive at login.
    app.login_pair("Alice", "signoff").await;
    app.stop().await;
}

#[tokio::test]
async fn wrong_credentials_all_look_the_same() {
    let app = TestApp::spawn().await;
    let login = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }";
    for (u, p) in [("admin", "wrong"), ("nobody", "signoff"), ("ops-bot", "signoff"), ("", "")] {
        assert_eq!(app.gql_err(None, login, json!({ "u": u, "p": p })).await, "invalid_credentials", "{u}");
    }
    app.stop().await;
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_session() {
    let app = TestApp::spawn().await;
    let first = app.login_pair("alice", "signoff").await;
    let r1 = first["refreshToken"].as_str().unwrap().to_string();

    let second = app.gql_ok(None, REFRESH, json!({ "t": r1 })).await["refreshToken"].clone();
    let r2 = second["refreshToken"].as_str().unwrap().to_string();
    let a2 = second["accessToken"].as_str().unwrap().to_string();
    assert_ne!(r1, r2, "a refresh hands out a new refresh token");
    assert_eq!(app.gql_ok(Some(&a2), ME, json!({})).await["me"]["username"], "alice");

    // Replaying the spent token is reuse: refused, and the whole family dies.
    assert_eq!(app.gql_err(None, REFRESH, json!({ "t": r1 })).await, "refresh_token_reused");
    assert_eq!(app.gql_err(None, REFRESH, json!({ "t": r2 })).await, "invalid_refresh_token");

    // A fresh login is unaffected by another session's revocation.
    let other = app.login_pair("alice", "signoff").await;
    assert!(app.gql(None, REFRESH, json!({ "t": other["refreshToken"] })).await.get("errors").is_none());
    assert_eq!(app.gql_err(None, REFRESH, json!({ "t": "made-up" })).await, "invalid_refresh_token");
    app.stop().await;
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::spawn().await;
    let pair = app.login_pair("alice", "signoff").await;
    let data = app
        .gql_ok(None, "mutation($t: String!) { logout(refreshToken: $t) }", json!({ "t": pair["refreshToken"] }))
        .await;
    assert_eq!(data["logout"], true);
    let code = app.gql_err(None, REFRESH, json!({ "t": pair["refreshToken"] })).await;
    assert_eq!(code, "invalid_refresh_token");
    app.stop().await;
}

fn sign(secret: &str, sub: &str, exp: i64) -> String {
    let claims = json!({ "sub": sub, "roles": ["admin"], "exp": exp, "iat": exp - 900, "iss": "signoff" });
    jsonwebtoken::encode(&Header::default(), &claims, &EncodingKey::from_secret(secret.as_bytes())).unwrap()
}

#[tokio::test]
async fn expired_forged_and_malformed_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let now = chrono::Utc::now().timestamp();
    let expired = sign(JWT_SECRET, "1", now - 60);
    assert_eq!(app.gql_err(Some(&expired), ME, json!({})).await, "token_expired");
    let forged = sign("some-other-secret-some-other-secret", "1", now + 600);
    assert_eq!(app.gql_err(Some(&forged), ME, json!({})).await, "invalid_token");
    assert_eq!(app.gql_err(Some("not.a.jwt"), ME, json!({})).await, "invalid_token");
    assert_eq!(app.gql_err(None, ME, json!({})).await, "unauthenticated");
    // A token signed with the right key is accepted, which proves the two above failed for their reason.
    let good = sign(JWT_SECRET, "1", now + 600);
    assert!(app.gql(Some(&good), ME, json!({})).await.get("errors").is_none());
    // A header that is not a bearer at all.
    let resp: serde_json::Value = app
        .client
        .post(app.url("/graphql"))
        .header("authorization", "Basic YWRtaW46c2lnbm9mZg==")
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(error_code(&resp).as_deref(), Some("invalid_token"));
    app.stop().await;
}

#[tokio::test]
async fn bots_use_api_tokens_shown_once_and_revocable() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let bot_id = app.user_id(&admin, "ops-bot").await;
    let created = app
        .gql_ok(
            Some(&admin),
            "mutation($u: ID!) { createApiToken(userId: $u, name: \"runner\") { secret token { id prefix user { username } } } }",
            json!({ "u": bot_id }),
        )
        .await;
    let secret = created["createApiToken"]["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("so_"));
    assert!(secret.starts_with(created["createApiToken"]["token"]["prefix"].as_str().unwrap()));
    let me = app.gql_ok(Some(&secret), ME, json!({})).await;
    assert_eq!(me["me"]["username"], "ops-bot");
    // Listing never shows the secret again.
    let list = app.gql_ok(Some(&admin), "{ apiTokens { id name prefix lastUsedAt } }", json!({})).await;
    assert!(!list.to_string().contains(&secret));
    assert!(!list["apiTokens"][0]["lastUsedAt"].is_null());

    let token_id = created["createApiToken"]["token"]["id"].clone();
    app.gql_ok(Some(&admin), "mutation($i: ID!) { revokeApiToken(id: $i) { revokedAt } }", json!({ "i": token_id }))
        .await;
    assert_eq!(app.gql_err(Some(&secret), ME, json!({})).await, "invalid_token");
    let again = app
        .gql_err(Some(&admin), "mutation($i: ID!) { revokeApiToken(id: $i) { id } }", json!({ "i": token_id }))
        .await;
    assert_eq!(again, "already_revoked");
    app.stop().await;
}

#[tokio::test]
async fn changing_a_password_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let pair = app.login_pair("alice", "signoff").await;
    let token = pair["accessToken"].as_str().unwrap();
    let change = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";
    assert_eq!(
        app.gql_err(Some(token), change, json!({ "c": "wrong", "n": "a-long-new-one" })).await,
        "wrong_password"
    );
    assert_eq!(app.gql_err(Some(token), change, json!({ "c": "signoff", "n": "short" })).await, "weak_password");
    let other = app.login_pair("alice", "signoff").await;
    app.gql_ok(Some(token), change, json!({ "c": "signoff", "n": "a-long-new-one" })).await;
    // The other session ends at once, its access token too; this one stays.
    assert_eq!(app.gql_err(None, REFRESH, json!({ "t": other["refreshToken"] })).await, "invalid_refresh_token");
    let me = "{ me { username } }";
    assert_eq!(app.gql_err(other["accessToken"].as_str(), me, json!({})).await, "session_ended");
    assert_eq!(app.gql_ok(Some(token), me, json!({})).await["me"]["username"], "alice");
    app.gql_ok(None, REFRESH, json!({ "t": pair["refreshToken"] })).await;
    app.login_pair("alice", "a-long-new-one").await;
    app.stop().await;
}
