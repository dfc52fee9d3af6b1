//! Limits that bound what one client can hold or replay: a signed connect
//! URL opens one connection, graphql-ws subscriptions per connection and per
//! user, an idle kept-alive HTTP connection is closed, and production
//! switches for GraphiQL and introspection.

use std::time::Duration;

use futures::SinkExt;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use crate::{
    harness::TestApp,
    subscriptions::{open, read},
    ws::{connect, refused},
};
use signoff::realtime::sign;

use crate::harness::DEMO_SECRET;

#[tokio::test]
async fn a_signed_connect_url_opens_one_connection() {
    let app = TestApp::spawn().await;
    let ts = chrono::Utc::now().timestamp();
    let sig = sign::sign(DEMO_SECRET, sign::connect_message("demo", "u1", ts).as_bytes());
    let query = format!("pid=demo&uid=u1&type=1&ts={ts}&sign={sig}");
    let _first = connect(&app, &query).await;
    let (status, body) = refused(&app, &query).await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("replayed")), "{body}");

    // Nonces tell apart connections of one uid within the same second.
    for nonce in ["tab-1", "tab-2"] {
        let sig = sign::sign(DEMO_SECRET, sign::connect_message_with_nonce("demo", "u1", ts, nonce).as_bytes());
        connect(&app, &format!("pid=demo&uid=u1&type=1&ts={ts}&nonce={nonce}&sign={sig}")).await;
    }
    let sig = sign::sign(DEMO_SECRET, sign::connect_message_with_nonce("demo", "u1", ts, "a b").as_bytes());
    let (status, body) = refused(&app, &format!("pid=demo&uid=u1&type=1&ts={ts}&nonce=a%20b&sign={sig}")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("invalid_nonce")), "{body}");
    // A nonce is part of what is signed: changing it breaks the signature.
    let sig = sign::sign(DEMO_SECRET, sign::connect_message_with_nonce("demo", "u1", ts, "n1").as_bytes());
    let (_, body) = refused(&app, &format!("pid=demo&uid=u1&type=1&ts={ts}&nonce=n2&sign={sig}")).await;
    assert_eq!(body["error"]["code"], "invalid_sign");
    app.stop().await;
}

async fn subscribe(socket: &mut crate::ws::Socket, id: &str) {
    let frame = json!({ "id": id, "type": "subscribe", "payload": { "query": "subscription { myEvents { id } }" } });
    socket.send(Message::Text(frame.to_string().into())).await.unwrap();
}

/// The subscriptions refused within 2 s: (id, error code). A refused start
/// is a `next` carrying only errors, then `complete`. Subscriptions sent
/// together start in no particular order, so which one is refused is not
/// fixed; how many is.
async fn refusals(socket: &mut crate::ws::Socket) -> Vec<(String, String)> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    let mut out = Vec::new();
    while let Ok(msg) = tokio::time::timeout_at(deadline, read(socket)).await {
        if msg["type"] == "next" && msg["payload"]["errors"].is_array() || msg["type"] == "error" {
            let errors = if msg["type"] == "error" { &msg["payload"] } else { &msg["payload"]["errors"] };
            let code = errors[0]["extensions"]["code"].as_str().unwrap_or_default().to_string();
            out.push((msg["id"].as_str().unwrap_or_default().to_string(), code));
        }
    }
    out
}

fn codes(refused: &[(String, String)]) -> Vec<&str> {
    refused.iter().map(|(_, code)| code.as_str()).collect()
}

#[tokio::test]
async fn subscriptions_are_capped_per_connection_and_per_user() {
    let app = TestApp::spawn_with(|c| {
        c.graphql_subscriptions_per_connection = 3;
        c.graphql_subscriptions_per_user = 4;
    })
    .await;
    let alice = app.token("alice").await;
    let mut one = open(&app, &alice).await;
    for i in 0..4 {
        subscribe(&mut one, &format!("s{i}")).await;
    }
    let refused = refusals(&mut one).await;
    assert_eq!(codes(&refused), ["too_many_subscriptions"], "one of four is refused on the connection");
    let live: Vec<String> = (0..4).map(|i| format!("s{i}")).filter(|id| *id != refused[0].0).collect();

    // Another connection of the same user reaches the user's limit of 4.
    let mut two = open(&app, &alice).await;
    subscribe(&mut two, "t0").await;
    assert!(refusals(&mut two).await.is_empty(), "the user's fourth is fine");
    subscribe(&mut two, "t1").await;
    assert_eq!(codes(&refusals(&mut two).await), ["too_many_subscriptions"], "the user's fifth is refused");

    // Completing one gives its slot back.
    one.send(Message::Text(json!({ "id": live[0], "type": "complete" }).to_string().into())).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    subscribe(&mut two, "t2").await;
    assert!(refusals(&mut two).await.is_empty(), "a freed slot is reused");

    // Another user is not affected.
    let bob = app.token("bob").await;
    let mut other = open(&app, &bob).await;
    subscribe(&mut other, "b0").await;
    assert!(refusals(&mut other).await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn_with(|c| c.http_header_timeout_secs = 1).await;
    let mut socket = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    socket.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n").await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut buf)).await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"), "answered");
    // Now silent: the server closes the connection after the header timeout.
    let started = tokio::time::Instant::now();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(10), socket.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "the idle connection stayed open");
    assert!(started.elapsed() < Duration::from_secs(9));
    app.stop().await;
}

#[tokio::test]
async fn graphiql_and_introspection_can_be_turned_off() {
    let open_app = TestApp::spawn().await;
    let introspect = "{ __schema { queryType { name } } }";
    let data = open_app.gql_ok(None, introspect, json!({})).await;
    assert_eq!(data["__schema"]["queryType"]["name"], "Query");
    let page = open_app.client.get(open_app.url("/graphql")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(!html.contains("unpkg.com") && !html.contains("cdn."), "no CDN: {html}");
    open_app.stop().await;

    let closed = TestApp::spawn_with(|c| {
        c.graphiql = false;
        c.graphql_introspection = false;
    })
    .await;
    let page = closed.client.get(closed.url("/graphql")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(page.status(), 404);
    let resp = closed.gql(None, introspect, json!({})).await;
    assert!(resp.get("errors").is_some() || resp["data"]["__schema"].is_null(), "{resp}");
    // Ordinary queries still work.
    assert_eq!(closed.gql_ok(None, "{ __typename }", json!({})).await["__typename"], "Query");
    closed.stop().await;
}
