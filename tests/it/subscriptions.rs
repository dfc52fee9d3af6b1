//! GraphQL subscriptions over graphql-transport-ws at `/graphql/ws`.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::HeaderValue};

use crate::{
    flow::{People, leave},
    harness::TestApp,
    ws::Socket,
};

pub async fn open(app: &TestApp, token: &str) -> Socket {
    let mut request = format!("ws://{}/graphql/ws", app.addr).into_client_request().unwrap();
    request.headers_mut().insert("sec-websocket-protocol", HeaderValue::from_static("graphql-transport-ws"));
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("subscriptions endpoint");
    socket
        .send(Message::Text(json!({ "type": "connection_init", "payload": { "token": token } }).to_string().into()))
        .await
        .unwrap();
    assert_eq!(read(&mut socket).await["type"], "connection_ack");
    socket
}

pub async fn read(socket: &mut Socket) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("a message in time")
            .unwrap()
            .unwrap();
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(t.as_str()).unwrap();
            if v["type"] != "ping" {
                return v;
            }
        }
    }
}

async fn subscribe(socket: &mut Socket, id: &str, query: &str, variables: Value) {
    let frame = json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } });
    socket.send(Message::Text(frame.to_string().into())).await.unwrap();
}

#[tokio::test]
async fn my_events_and_ticket_events_arrive_live_and_resume() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let alice = p.token("alice").await;
    let mut socket = open(&app, &alice).await;
    subscribe(&mut socket, "mine", "subscription { myEvents { id data } }", json!({})).await;
    // The subscription registers with the hub asynchronously; give it a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let t = p.submit("alice", "leave", leave(1.0)).await;
    let next = read(&mut socket).await;
    assert_eq!(next["type"], "next", "{next}");
    let event = &next["payload"]["data"]["myEvents"];
    assert_eq!(event["data"]["kind"], "submitted");
    let first_id = event["id"].as_str().unwrap().to_string();

    // A follower of the ticket: a stranger may not, the approver may.
    let zhang = p.token("zhang.min").await;
    let mut stranger = open(&app, &zhang).await;
    subscribe(
        &mut stranger,
        "t",
        "subscription($t: ID!) { ticketEvents(ticketId: $t) { id } }",
        json!({ "t": t["id"] }),
    )
    .await;
    let refused = read(&mut stranger).await;
    assert_eq!(refused["payload"]["errors"][0]["extensions"]["code"], "not_found", "{refused}");

    p.approve("bob", &t["id"]).await;
    let next = read(&mut socket).await;
    assert_eq!(next["payload"]["data"]["myEvents"]["data"]["kind"], "approved");

    // Resuming from the first event replays the approval only.
    let mut again = open(&app, &alice).await;
    subscribe(
        &mut again,
        "r",
        "subscription($l: String) { myEvents(lastEventId: $l) { id data } }",
        json!({ "l": first_id }),
    )
    .await;
    let replayed = read(&mut again).await;
    assert_eq!(replayed["payload"]["data"]["myEvents"]["data"]["kind"], "approved");

    // Without a token, subscriptions that need one are refused.
    let mut anonymous = open(&app, "").await;
    subscribe(&mut anonymous, "x", "subscription { myEvents { id } }", json!({})).await;
    let err = read(&mut anonymous).await;
    assert_eq!(err["payload"]["errors"][0]["extensions"]["code"], "invalid_token", "{err}");
    app.stop().await;
}
