//! A node behind a load balancer: it drains before it stops, and believes
//! client addresses only from the proxies it trusts.

use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::{TestApp, error_code};

async fn readiness(app: &TestApp) -> (u16, Value) {
    let response = app.client.get(app.url("/readyz")).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_terminated_node_turns_not_ready_keeps_serving_while_it_drains_then_stops() {
    let mut app = TestApp::spawn_with(|c| c.shutdown_drain_secs = 3).await;
    let token = app.token("alice").await;
    assert_eq!(readiness(&app).await.0, 200);
    app.terminate();
    let mut draining = None;
    for _ in 0..40 {
        let (status, body) = readiness(&app).await;
        if status == 503 {
            draining = Some(body);
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let draining = draining.expect("the node never turned not-ready");
    assert_eq!(draining["status"], "draining", "{draining}");
    // Still serving what reaches it: the balancer has not noticed yet.
    let me = app.gql_ok(Some(&token), "{ me { username } }", json!({})).await;
    assert_eq!(me["me"]["username"], "alice");
    assert!(app.stopped(Duration::from_secs(15)).await, "the node did not stop after its drain");
    app.stop().await;
}

#[tokio::test]
async fn a_second_signal_cuts_the_drain_short() {
    let mut app = TestApp::spawn_with(|c| c.shutdown_drain_secs = 3_600).await;
    app.terminate();
    assert!(!app.stopped(Duration::from_millis(500)).await, "the node stopped without draining");
    assert_eq!(readiness(&app).await.0, 503);
    app.terminate();
    assert!(app.stopped(Duration::from_secs(15)).await, "a second signal did not end the drain");
    app.stop().await;
}

/// Failed logins from `address` as a proxy would relay them.
async fn guesses(app: &TestApp, forwarded_for: &str, n: usize) -> Vec<Option<String>> {
    let login = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }";
    let mut codes = Vec::new();
    for i in 0..n {
        let body = json!({ "query": login, "variables": { "u": format!("nobody{i}"), "p": "guess" } });
        let response = app
            .client
            .post(app.url("/graphql"))
            .header("x-forwarded-for", forwarded_for)
            .json(&body)
            .send()
            .await
            .unwrap();
        codes.push(error_code(&response.json().await.unwrap()));
    }
    codes
}

#[tokio::test]
async fn address_limits_follow_the_forwarded_client_only_behind_a_trusted_proxy() {
    let throttled = |codes: &[Option<String>]| codes.iter().any(|c| c.as_deref() == Some("too_many_attempts"));
    let behind = TestApp::spawn_with(|c| {
        c.login_attempts_per_minute = 3;
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    assert!(throttled(&guesses(&behind, "198.51.100.1", 5).await), "one client's guesses were not limited");
    // Another client behind the same proxy has its own allowance.
    let other = guesses(&behind, "198.51.100.2", 2).await;
    assert!(!throttled(&other), "a second client was limited by the first one's guesses: {other:?}");
    // A client cannot escape its limit by writing the header itself: the
    // proxy appends the address it saw, and that one counts.
    let spoofed = guesses(&behind, "203.0.113.9, 198.51.100.1", 1).await;
    assert!(throttled(&spoofed), "a forged hop let a limited client through: {spoofed:?}");
    behind.stop().await;

    // Without a trusted proxy the header is ignored: every request is the peer's.
    let direct = TestApp::spawn_with(|c| c.login_attempts_per_minute = 3).await;
    let mut codes = guesses(&direct, "198.51.100.1", 3).await;
    codes.extend(guesses(&direct, "198.51.100.2", 2).await);
    assert!(throttled(&codes), "forwarded addresses were believed from an untrusted peer: {codes:?}");
    direct.stop().await;
}
