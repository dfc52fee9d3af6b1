//! The graphql-transport-ws protocol's rules, as its clients rely on them:
//! close codes, `error` for refused requests, bounded close reasons, and
//! oversized frames closed properly.

use std::time::Duration;

use futures::SinkExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::HeaderValue};

use crate::{
    harness::TestApp,
    subscriptions::{open, read},
    ws::{Socket, closed},
};

async fn raw(app: &TestApp) -> Socket {
    let mut request = format!("ws://{}/graphql/ws", app.addr).into_client_request().unwrap();
    request.headers_mut().insert("sec-websocket-protocol", HeaderValue::from_static("graphql-transport-ws"));
    tokio_tungstenite::connect_async(request).await.expect("subscriptions endpoint").0
}

async fn say(socket: &mut Socket, message: Value) {
    socket.send(Message::Text(message.to_string().into())).await.unwrap();
}

const WAIT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn the_protocols_close_codes() {
    let app = TestApp::spawn_with(|c| c.graphql_ws_init_timeout_secs = 1).await;
    let token = app.token("alice").await;

    let mut silent = raw(&app).await;
    assert_eq!(closed(&mut silent, WAIT).await.map(|c| c.0), Some(4408), "no connection_init in time");

    let mut early = raw(&app).await;
    say(&mut early, json!({ "type": "subscribe", "id": "1", "payload": { "query": "{ me { id } }" } })).await;
    assert_eq!(closed(&mut early, WAIT).await.map(|c| c.0), Some(4401), "subscribe before the ack");

    let mut twice = open(&app, &token).await;
    say(&mut twice, json!({ "type": "connection_init", "payload": { "token": token } })).await;
    assert_eq!(closed(&mut twice, WAIT).await.map(|c| c.0), Some(4429), "a second connection_init");

    let mut duplicate = open(&app, &token).await;
    let live = json!({ "type": "subscribe", "id": "a", "payload": { "query": "subscription { myEvents { id } }" } });
    say(&mut duplicate, live.clone()).await;
    say(&mut duplicate, live).await;
    let (code, reason) = closed(&mut duplicate, WAIT).await.unwrap();
    assert_eq!((code, reason.as_str()), (4409, "Subscriber for a already exists"));

    for bad in [json!({ "type": "nope" }), json!({ "type": "subscribe", "id": "x" }), json!([1, 2])] {
        let mut socket = open(&app, &token).await;
        say(&mut socket, bad.clone()).await;
        assert_eq!(closed(&mut socket, WAIT).await.map(|c| c.0), Some(4400), "{bad}");
    }
    let mut garbage = open(&app, &token).await;
    garbage.send(Message::Text("{not json".into())).await.unwrap();
    assert_eq!(closed(&mut garbage, WAIT).await.map(|c| c.0), Some(4400));
    app.stop().await;
}

#[tokio::test]
async fn close_reasons_fit_their_frame_and_oversized_frames_are_closed_not_dropped() {
    let app = TestApp::spawn().await;
    let token = app.token("alice").await;
    // The error names the unknown type, 300 characters of it: the reason
    // is cut to fit, so the client reads a valid close frame.
    let mut long = open(&app, &token).await;
    say(&mut long, json!({ "type": "审".repeat(100) })).await;
    let (code, reason) = closed(&mut long, WAIT).await.unwrap();
    assert_eq!(code, 4400, "a valid close frame with the protocol's code");
    assert!(!reason.is_empty() && reason.len() <= 123, "{} bytes", reason.len());

    let mut big = open(&app, &token).await;
    let query = format!("{{ me {{ id }} }} # {}", "x".repeat(app.config.ws_max_frame_bytes + 1));
    say(&mut big, json!({ "type": "subscribe", "id": "1", "payload": { "query": query } })).await;
    assert_eq!(closed(&mut big, WAIT).await.map(|c| c.0), Some(1009), "message too big, with a close frame");
    app.stop().await;
}

#[tokio::test]
async fn refused_requests_are_error_messages_and_the_connection_stays_open() {
    let app = TestApp::spawn().await;
    let token = app.token("alice").await;
    let mut socket = open(&app, &token).await;
    say(&mut socket, json!({ "type": "subscribe", "id": "bad", "payload": { "query": "subscription { nope }" } }))
        .await;
    let refused = read(&mut socket).await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["id"], "bad");
    assert!(refused["payload"][0]["message"].as_str().unwrap().contains("nope"), "{refused}");

    // Still open: a query over the socket answers `next` then `complete`,
    // and the refused id is free again.
    say(&mut socket, json!({ "type": "subscribe", "id": "bad", "payload": { "query": "{ me { username } }" } })).await;
    let next = read(&mut socket).await;
    assert_eq!((next["type"].as_str(), next["id"].as_str()), (Some("next"), Some("bad")), "{next}");
    assert_eq!(next["payload"]["data"]["me"]["username"], "alice");
    assert_eq!(read(&mut socket).await, json!({ "id": "bad", "type": "complete" }));

    say(&mut socket, json!({ "type": "ping", "payload": { "n": 1 } })).await;
    let pong = read(&mut socket).await;
    assert_eq!(pong, json!({ "type": "pong", "payload": { "n": 1 } }));

    // A client's `complete` stops its subscription without an answer.
    say(
        &mut socket,
        json!({ "type": "subscribe", "id": "live", "payload": { "query": "subscription { myEvents { id } }" } }),
    )
    .await;
    say(&mut socket, json!({ "type": "complete", "id": "live" })).await;
    say(&mut socket, json!({ "type": "subscribe", "id": "live", "payload": { "query": "{ me { id } }" } })).await;
    assert_eq!(read(&mut socket).await["type"], "next", "the id was released by complete");
    app.stop().await;
}
