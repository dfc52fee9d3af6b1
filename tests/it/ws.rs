//! WebSocket clients for the realtime tests: connect, read frames with a
//! deadline, sign as a business system.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use signoff::realtime::sign;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, tungstenite::Message};

use crate::harness::{DEMO_SECRET, TestApp};

pub type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

pub struct Client {
    pub socket: Socket,
    pub client_id: String,
    pub node: String,
}

/// Connects with a query string; panics unless the upgrade succeeds.
pub async fn connect(app: &TestApp, query: &str) -> Client {
    let url = format!("ws://{}/ws/connect?{query}", app.addr);
    let (mut socket, _) =
        tokio_tungstenite::connect_async(&url).await.unwrap_or_else(|e| panic!("connecting {url}: {e}"));
    let hello = next(&mut socket).await.expect("a connected frame");
    assert_eq!(hello["type"], "connected", "{hello}");
    Client {
        client_id: hello["client_id"].as_str().unwrap().into(),
        node: hello["node"].as_str().unwrap().into(),
        socket,
    }
}

/// The query of a signed client connection of the demo project.
/// Each carries a fresh nonce: a signed URL connects once.
pub fn signed(uid: &str) -> String {
    let ts = chrono::Utc::now().timestamp();
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let sig = sign::sign(DEMO_SECRET, sign::connect_message_with_nonce("demo", uid, ts, &nonce).as_bytes());
    format!("pid=demo&uid={uid}&type=1&ts={ts}&nonce={nonce}&sign={sig}")
}

/// The status and JSON body of a refused upgrade.
pub async fn refused(app: &TestApp, query: &str) -> (u16, Value) {
    let url = format!("ws://{}/ws/connect?{query}", app.addr);
    match tokio_tungstenite::connect_async(&url).await {
        Ok(_) => panic!("the upgrade was accepted"),
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => {
            let status = resp.status().as_u16();
            let body =
                resp.body().as_ref().map(|b| serde_json::from_slice(b).unwrap_or(Value::Null)).unwrap_or(Value::Null);
            (status, body)
        }
        Err(other) => panic!("unexpected failure: {other}"),
    }
}

/// The next JSON text frame within 5 s, skipping pings.
pub async fn next(socket: &mut Socket) -> Option<Value> {
    next_within(socket, Duration::from_secs(5)).await
}

pub async fn next_within(socket: &mut Socket, wait: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let msg = tokio::time::timeout_at(deadline, socket.next()).await.ok()??.ok()?;
        match msg {
            Message::Text(t) => return serde_json::from_str(t.as_str()).ok(),
            Message::Close(_) => return None,
            _ => continue,
        }
    }
}

/// The next `push` frame, skipping other frames.
pub async fn next_push(socket: &mut Socket) -> Option<Value> {
    loop {
        let frame = next(socket).await?;
        if frame["type"] == "push" {
            return Some(frame);
        }
    }
}

pub async fn send(socket: &mut Socket, frame: Value) {
    socket.send(Message::Text(frame.to_string().into())).await.unwrap();
}

/// Sends a frame and returns the reply.
pub async fn ask(socket: &mut Socket, frame: Value) -> Value {
    send(socket, frame).await;
    next(socket).await.expect("a reply")
}

pub async fn subscribe(client: &mut Client, tags: &[&str]) {
    let reply = ask(&mut client.socket, json!({ "type": "subscribe", "tags": tags })).await;
    assert_eq!(reply["type"], "subscribed", "{reply}");
}

/// Signs and posts a push of the demo project; returns status and body.
pub async fn push(app: &TestApp, body: &Value) -> (u16, Value) {
    let raw = body.to_string();
    let ts = chrono::Utc::now().timestamp().to_string();
    let sig = sign::sign(DEMO_SECRET, &sign::push_message(&ts, raw.as_bytes()));
    post_push(app, raw, &ts, &sig).await
}

pub async fn post_push(app: &TestApp, raw: String, ts: &str, sig: &str) -> (u16, Value) {
    let resp = app
        .client
        .post(app.url("/ws/push"))
        .header("content-type", "application/json")
        .header("x-signoff-timestamp", ts)
        .header("x-signoff-signature", sig)
        .body(raw)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Reads until the server closes; the close code and reason (0 when the
/// connection ended without a valid close frame).
pub async fn closed(socket: &mut Socket, within: Duration) -> Option<(u16, String)> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await.ok()?? {
            Ok(Message::Close(Some(frame))) => return Some((frame.code.into(), frame.reason.to_string())),
            Ok(Message::Close(None)) | Err(_) => return Some((0, String::new())),
            Ok(_) => continue,
        }
    }
}
