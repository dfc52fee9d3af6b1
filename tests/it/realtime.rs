//! The realtime protocol on one node: connecting (signed or with a token),
//! frames, ticket events reaching the people concerned, signed pushes and
//! their intersections, resume after a reconnect, slow clients.

use std::time::Duration;

use serde_json::json;
use signoff::realtime::sign;

use crate::{
    flow::{People, leave},
    harness::{DEMO_SECRET, TestApp},
    ws::{self, ask, connect, next, next_push, next_within, push, refused, signed, subscribe},
};

#[tokio::test]
async fn connecting_needs_a_valid_signature_or_token() {
    let app = TestApp::spawn().await;
    let client = connect(&app, &signed("u1")).await;
    assert!(client.client_id.starts_with(&client.node));

    let ts = chrono::Utc::now().timestamp();
    let good = sign::sign(DEMO_SECRET, sign::connect_message("demo", "u1", ts).as_bytes());
    let cases = [
        (format!("pid=demo&uid=u1&type=1&ts={ts}&sign={}", "0".repeat(64)), "invalid_sign"),
        (format!("pid=demo&uid=u2&type=1&ts={ts}&sign={good}"), "invalid_sign"),
        (format!("pid=nope&uid=u1&type=1&ts={ts}&sign={good}"), "invalid_sign"),
        (
            {
                let old = ts - 400;
                let sig = sign::sign(DEMO_SECRET, sign::connect_message("demo", "u1", old).as_bytes());
                format!("pid=demo&uid=u1&type=1&ts={old}&sign={sig}")
            },
            "stale_timestamp",
        ),
        ("pid=demo&uid=u1".to_string(), "unauthenticated"),
        ("token=not-a-jwt".to_string(), "invalid_token"),
    ];
    for (query, code) in cases {
        let (status, body) = refused(&app, &query).await;
        assert_eq!(status, 401, "{query}");
        assert_eq!(body["error"]["code"], code, "{query}: {body}");
    }
    let token = app.token("alice").await;
    connect(&app, &format!("token={token}")).await;
    app.stop().await;
}

#[tokio::test]
async fn frames_are_answered_and_bad_ones_get_errors() {
    let app = TestApp::spawn().await;
    let mut c = connect(&app, &signed("u1")).await;
    let pong = ask(&mut c.socket, json!({ "type": "heart" })).await;
    assert_eq!(pong["type"], "heart");
    assert!(pong["pong"].as_u64().is_some());
    assert_eq!(ask(&mut c.socket, json!({ "type": "dance" })).await["code"], "unknown_type");
    ws::send(&mut c.socket, json!("garbage")).await;
    assert_eq!(next(&mut c.socket).await.unwrap()["code"], "invalid_frame");
    c.socket.send(tokio_tungstenite::tungstenite::Message::Text("{not json".into())).await.unwrap();
    assert_eq!(next(&mut c.socket).await.unwrap()["code"], "invalid_frame");
    let many: Vec<String> = (0..65).map(|i| format!("t{i}")).collect();
    assert_eq!(ask(&mut c.socket, json!({ "type": "subscribe", "tags": many })).await["code"], "too_many_tags");
    assert_eq!(ask(&mut c.socket, json!({ "type": "subscribe", "tags": [""] })).await["code"], "invalid_tag");
    // Still connected after all that.
    assert_eq!(ask(&mut c.socket, json!({ "type": "heart" })).await["type"], "heart");

    // A frame over the limit closes the connection (1009), nothing else.
    let mut big = connect(&app, &signed("u2")).await;
    ws::send(&mut big.socket, json!({ "type": "subscribe", "tags": ["x".repeat(20 * 1024)] })).await;
    assert!(next(&mut big.socket).await.is_none(), "closed for an oversize frame");
    assert_eq!(ask(&mut c.socket, json!({ "type": "heart" })).await["type"], "heart", "others are unaffected");

    // A flood is slowed down with errors, then cut off.
    for _ in 0..60 {
        ws::send(&mut c.socket, json!({ "type": "heart" })).await;
    }
    let mut limited = false;
    while let Some(frame) = next_within(&mut c.socket, Duration::from_millis(500)).await {
        if frame["code"] == "rate_limited" {
            limited = true;
        }
    }
    assert!(limited, "a flood gets rate_limited errors");
    app.stop().await;
}

use futures::SinkExt;

#[tokio::test]
async fn an_approval_reaches_the_applicant_and_ticket_followers() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let alice = p.token("alice").await;
    let mut applicant = connect(&app, &format!("token={alice}")).await;
    let zhang = p.token("zhang.min").await;
    let mut bystander = connect(&app, &format!("token={zhang}")).await;

    let t = p.submit("alice", "leave", leave(1.0)).await;
    let filed = next_push(&mut applicant.socket).await.expect("the applicant hears of the new ticket");
    assert_eq!(filed["data"]["kind"], "submitted");
    assert_eq!(filed["data"]["ticket_id"], t["id"]);

    // A manager may follow any ticket; a bystander may not (see security).
    let manager = p.token("sun.li").await;
    let mut follower = connect(&app, &format!("token={manager}")).await;
    subscribe(&mut follower, &[&format!("ticket:{}", t["id"].as_str().unwrap())]).await;
    p.approve("bob", &t["id"]).await;
    let approved = next_push(&mut applicant.socket).await.unwrap();
    assert_eq!(approved["data"]["kind"], "approved");
    assert_eq!(approved["data"]["status"], "done");
    assert!(approved["id"].as_str().unwrap().contains('-'));
    let followed = next_push(&mut follower.socket).await.unwrap();
    assert_eq!(followed["id"], approved["id"], "one event, one id, everywhere");
    assert!(
        next_within(&mut bystander.socket, Duration::from_millis(500)).await.is_none(),
        "nothing for people not concerned"
    );

    // Presence: alice and zhang.min are online.
    let online = app.gql_ok(Some(&alice), "{ onlineUsers { username } }", json!({})).await;
    let names: Vec<&str> =
        online["onlineUsers"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    assert!(names.contains(&"alice") && names.contains(&"zhang.min"), "{names:?}");
    app.stop().await;
}

#[tokio::test]
async fn pushes_reach_exactly_the_intersection() {
    let app = TestApp::spawn().await;
    let mut a1 = connect(&app, &signed("a")).await;
    let mut a2 = connect(&app, &signed("a")).await;
    let mut b = connect(&app, &signed("b")).await;
    subscribe(&mut a1, &["room:1"]).await;
    subscribe(&mut b, &["room:1"]).await;
    // A client of Signoff's own project with the same uid and tag must not get it.
    let token = app.token("alice").await;
    let mut other = connect(&app, &format!("token={token}")).await;
    subscribe(&mut other, &["room:1"]).await;

    let (status, body) =
        push(&app, &json!({ "pid": "demo", "uids": ["a"], "tags": ["room:1"], "data": { "hello": 1 } })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["matched"], 1, "only a1 is user a and in room:1");
    assert_eq!(next_push(&mut a1.socket).await.unwrap()["data"]["hello"], 1);
    for quiet in [&mut a2, &mut b, &mut other] {
        assert!(next_within(&mut quiet.socket, Duration::from_millis(300)).await.is_none());
    }
    // Comma-separated lists as in ws-cluster, and client ids.
    let (_, body) = push(&app, &json!({ "pid": "demo", "uids": "a,b", "data": 2 })).await;
    assert_eq!(body["matched"], 3);
    let (_, body) = push(&app, &json!({ "pid": "demo", "cids": [b.client_id], "data": 3 })).await;
    assert_eq!(body["matched"], 1);
    assert_eq!(next_push(&mut b.socket).await.unwrap()["data"], 2);
    assert_eq!(next_push(&mut b.socket).await.unwrap()["data"], 3);
    app.stop().await;
}

#[tokio::test]
async fn bad_pushes_are_refused() {
    let app = TestApp::spawn().await;
    let body = json!({ "pid": "demo", "uids": ["a"], "data": 1 }).to_string();
    let ts = chrono::Utc::now().timestamp().to_string();
    let sig = sign::sign(DEMO_SECRET, &sign::push_message(&ts, body.as_bytes()));
    assert_eq!(ws::post_push(&app, body.clone(), &ts, &sig).await.0, 200);
    let (status, reply) = ws::post_push(&app, body.clone(), &ts, &sig).await;
    assert_eq!((status, reply["error"]["code"].as_str()), (409, Some("replayed")));
    let (status, reply) = ws::post_push(&app, body.clone(), &ts, &"ab".repeat(32)).await;
    assert_eq!((status, reply["error"]["code"].as_str()), (401, Some("invalid_signature")));
    let old = (chrono::Utc::now().timestamp() - 1000).to_string();
    let old_sig = sign::sign(DEMO_SECRET, &sign::push_message(&old, body.as_bytes()));
    let (status, reply) = ws::post_push(&app, body.clone(), &old, &old_sig).await;
    assert_eq!((status, reply["error"]["code"].as_str()), (401, Some("stale_timestamp")));
    let (status, reply) = push(&app, &json!({ "pid": "demo", "data": 1 })).await;
    assert_eq!((status, reply["error"]["code"].as_str()), (422, Some("no_target")));
    let (status, reply) = ws::post_push(&app, "{oops".into(), &ts, &sig).await;
    assert_eq!((status, reply["error"]["code"].as_str()), (400, Some("invalid_json")));
    let big = json!({ "pid": "demo", "uids": ["a"], "data": "x".repeat(70 * 1024) }).to_string();
    let ts = chrono::Utc::now().timestamp().to_string();
    let sig = sign::sign(DEMO_SECRET, &sign::push_message(&ts, big.as_bytes()));
    let resp = reqwest::Client::new()
        .post(app.url("/ws/push"))
        .header("x-signoff-timestamp", &ts)
        .header("x-signoff-signature", sig)
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    // Another project's secret does not sign for demo.
    let forged = sign::sign("not-the-secret", &sign::push_message(&ts, body.as_bytes()));
    assert_eq!(ws::post_push(&app, body, &ts, &forged).await.0, 401);
    app.stop().await;
}

#[tokio::test]
async fn a_reconnecting_client_resumes_without_gaps_or_duplicates() {
    let app = TestApp::spawn().await;
    let mut c = connect(&app, &signed("r")).await;
    push(&app, &json!({ "pid": "demo", "uids": ["r"], "data": 1 })).await;
    let first = next_push(&mut c.socket).await.unwrap();
    let last_id = first["id"].as_str().unwrap().to_string();
    drop(c);
    for n in 2..=4 {
        push(&app, &json!({ "pid": "demo", "uids": ["r"], "data": n })).await;
    }
    push(&app, &json!({ "pid": "demo", "uids": ["someone-else"], "data": 99 })).await;
    let mut again = connect(&app, &format!("{}&last_event_id={last_id}", signed("r"))).await;
    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(next_push(&mut again.socket).await.unwrap()["data"].clone());
    }
    assert_eq!(got, [json!(2), json!(3), json!(4)], "missed events, in order, only its own");
    push(&app, &json!({ "pid": "demo", "uids": ["r"], "data": 5 })).await;
    assert_eq!(next_push(&mut again.socket).await.unwrap()["data"], 5);
    assert!(next_within(&mut again.socket, Duration::from_millis(300)).await.is_none(), "no duplicates");

    let mut bad = connect(&app, &format!("{}&last_event_id=yesterday", signed("r"))).await;
    assert_eq!(next(&mut bad.socket).await.unwrap()["type"], "reset");
    app.stop().await;
}

#[tokio::test]
async fn tags_named_on_the_url_are_followed_before_the_replay_so_a_resume_misses_nothing() {
    let app = TestApp::spawn().await;
    let mut c = connect(&app, &format!("{}&tags=news,weather", signed("t"))).await;
    let subscribed = next(&mut c.socket).await.unwrap();
    assert_eq!(subscribed["type"], "subscribed", "{subscribed}");
    push(&app, &json!({ "pid": "demo", "tags": ["news"], "data": 1 })).await;
    let last_id = next_push(&mut c.socket).await.unwrap()["id"].as_str().unwrap().to_string();
    drop(c);
    push(&app, &json!({ "pid": "demo", "tags": ["news"], "data": 2 })).await;
    push(&app, &json!({ "pid": "demo", "tags": ["sports"], "data": 98 })).await;
    push(&app, &json!({ "pid": "demo", "tags": ["weather"], "data": 3 })).await;
    let mut again = connect(&app, &format!("{}&tags=news,weather&last_event_id={last_id}", signed("t"))).await;
    assert_eq!(next(&mut again.socket).await.unwrap()["type"], "subscribed");
    let got = [
        next_push(&mut again.socket).await.unwrap()["data"].clone(),
        next_push(&mut again.socket).await.unwrap()["data"].clone(),
    ];
    assert_eq!(got, [json!(2), json!(3)], "what reached its tags while it was away, in order");
    assert!(next_within(&mut again.socket, Duration::from_millis(300)).await.is_none(), "nothing else");

    // A tag the client may not follow is refused on the URL as in a frame.
    let alice = app.token("alice").await;
    let mut user = connect(&app, &format!("token={alice}&tags=ticket:999999")).await;
    assert_eq!(next(&mut user.socket).await.unwrap()["code"], "forbidden_tag");
    app.stop().await;
}

#[tokio::test]
async fn a_cursor_older_than_the_retention_gets_reset() {
    let app = TestApp::spawn_with(|c| c.bus_retention_secs = 1).await;
    let mut c = connect(&app, &signed("r")).await;
    push(&app, &json!({ "pid": "demo", "uids": ["r"], "data": 1 })).await;
    let old = next_push(&mut c.socket).await.unwrap()["id"].as_str().unwrap().to_string();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let mut late = connect(&app, &format!("{}&last_event_id={old}", signed("r"))).await;
    assert_eq!(next(&mut late.socket).await.unwrap()["type"], "reset");
    app.stop().await;
}

#[tokio::test]
async fn a_client_that_never_reads_is_cut_off_and_others_carry_on() {
    let app = TestApp::spawn_with(|c| {
        c.ws_queue = 8;
        c.ws_max_write_buffer_bytes = 64 * 1024;
    })
    .await;
    let stuck = connect(&app, &signed("s")).await;
    let mut reader = connect(&app, &signed("s")).await;
    let blob = "x".repeat(60 * 1024);
    let mut received = 0;
    // 400 × 60 KiB is more than loopback socket buffers hold for a reader that never reads.
    for n in 0..400 {
        push(&app, &json!({ "pid": "demo", "uids": ["s"], "data": { "n": n, "blob": blob } })).await;
        if next_push(&mut reader.socket).await.is_some() {
            received += 1;
        }
    }
    assert_eq!(received, 400, "the reading client got everything");
    let metrics = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let slow = metrics.lines().find(|l| l.starts_with("ws_slow_disconnects_total")).unwrap_or("");
    assert!(!slow.is_empty(), "the slow client was disconnected: {metrics}");
    // What the stuck client finally reads ends with the server closing it.
    let mut stuck = stuck;
    let mut closed = None;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while let Ok(Some(msg)) = tokio::time::timeout_at(deadline, futures::StreamExt::next(&mut stuck.socket)).await {
        match msg {
            Ok(tokio_tungstenite::tungstenite::Message::Close(frame)) => {
                closed = frame.map(|f| (u16::from(f.code), f.reason.to_string()));
                break;
            }
            Ok(_) => continue,
            Err(_) => break,
        }
    }
    assert_eq!(closed, Some((1008, "slow_consumer".to_string())), "the slow client was told why it was cut off");
    app.stop().await;
}
