//! Several nodes sharing one database and one Redis: events cross nodes,
//! pushes count and reach clients everywhere, a killed node's clients
//! resume elsewhere, a restarted Redis loses nothing committed, and the
//! bus contract holds for both buses.

use std::{process::Stdio, time::Duration};

use futures::StreamExt;
use serde_json::json;
use signoff::realtime::{
    bus::{Bus, BusError, Envelope, Retention, Route},
    bus_memory::MemoryBus,
    bus_redis::RedisBus,
};

use crate::{
    flow::{People, leave},
    harness::{TestApp, redis_url},
    ws::{connect, next, next_push, next_within, push, signed, subscribe},
};

fn envelope(n: i64) -> Envelope {
    Envelope {
        pid: "demo".into(),
        route: Route::Union { uids: vec!["u".into()], tags: vec![] },
        data: signoff::realtime::bus::JsonText::of(&json!(n)),
        event_id: None,
        committed_ms: 0,
        control: None,
    }
}

async fn contract(bus: &dyn Bus) {
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(bus.publish(&envelope(n)).await.unwrap());
    }
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids increase: {ids:?}");
    assert_eq!(bus.last_id().await.unwrap(), Some(ids[4]));
    let after = bus.range(ids[1], 10).await.unwrap();
    assert_eq!(after.iter().map(|e| e.envelope.data.value()).collect::<Vec<_>>(), [json!(2), json!(3), json!(4)]);
    assert_eq!(bus.range(ids[1], 2).await.unwrap().len(), 2, "limit");
    // A subscriber from a point gets what follows, in order, then live ones.
    let mut stream = bus.subscribe(Some(ids[2]));
    let a = stream.next().await.unwrap().unwrap();
    let b = stream.next().await.unwrap().unwrap();
    assert_eq!((a.id, b.id), (ids[3], ids[4]));
    let live = bus.publish(&envelope(5)).await.unwrap();
    let c = tokio::time::timeout(Duration::from_secs(7), stream.next()).await.unwrap().unwrap().unwrap();
    assert_eq!((c.id, c.envelope.data.value()), (live, json!(5)));
    assert!(bus.healthy());
}

#[tokio::test]
async fn both_buses_keep_the_contract() {
    contract(&MemoryBus::new(Retention::age(Duration::from_secs(600)))).await;
    let prefix = format!("signoff-test-{}", uuid::Uuid::new_v4().simple());
    let redis = RedisBus::connect(&redis_url(), &prefix, Retention::age(Duration::from_secs(600)))
        .await
        .expect("Redis for tests is reachable");
    contract(&redis).await;
    // Expiry is the same rule on both.
    for bus in [
        &MemoryBus::new(Retention::age(Duration::from_secs(1))) as &dyn Bus,
        &RedisBus::connect(&redis_url(), &prefix, Retention::age(Duration::from_secs(1))).await.unwrap(),
    ] {
        let id = bus.publish(&envelope(1)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(1100)).await;
        assert!(matches!(bus.range(id, 10).await, Err(BusError::Expired)), "{}", bus.kind());
    }
    let mut conn = redis::Client::open(redis_url()).unwrap().get_multiplexed_async_connection().await.unwrap();
    let _: () = redis::cmd("DEL").arg(format!("{prefix}:events")).query_async(&mut conn).await.unwrap();
}

#[tokio::test]
async fn both_buses_keep_at_most_their_bound_of_entries_and_say_when_a_reader_missed_some() {
    let prefix = format!("signoff-test-{}", uuid::Uuid::new_v4().simple());
    let bound = Retention { age: Duration::from_secs(600), entries: 500 };
    let redis = RedisBus::connect(&redis_url(), &prefix, bound).await.unwrap();
    let mut conn = redis::Client::open(redis_url()).unwrap().get_multiplexed_async_connection().await.unwrap();
    for bus in [&MemoryBus::new(bound) as &dyn Bus, &redis] {
        let mut ids = Vec::new();
        for n in 0..3_000 {
            ids.push(bus.publish(&envelope(n)).await.unwrap());
        }
        // Recent positions resume; one from before the kept entries is told so.
        let recent = bus.range(ids[2_800], 1_000).await.unwrap();
        assert_eq!(recent.len(), 199, "{}", bus.kind());
        assert!(matches!(bus.range(ids[10], 10).await, Err(BusError::Expired)), "{}", bus.kind());
        assert_eq!(bus.range(ids[2_600], 1_000).await.unwrap().len(), 399, "{}", bus.kind());
    }
    // Redis trims approximately (whole nodes of the stream): about the bound.
    let len: usize = redis::cmd("XLEN").arg(format!("{prefix}:events")).query_async(&mut conn).await.unwrap();
    assert!((500..1_000).contains(&len), "the stream holds {len}");
    let _: () = redis::cmd("DEL").arg(format!("{prefix}:events")).query_async(&mut conn).await.unwrap();
}

fn with_redis(c: &mut signoff::config::Config) {
    c.redis_url = Some(redis_url());
}

#[tokio::test]
async fn three_nodes_share_events_and_pushes() {
    let n1 = TestApp::spawn_with(with_redis).await;
    let n2 = n1.spawn_peer(|_| {}).await;
    let n3 = n1.spawn_peer(|_| {}).await;
    let mut p = People::new(&n1);
    let alice = p.token("alice").await;
    let mut on3 = connect(&n3, &format!("token={alice}")).await;
    let t = p.submit("alice", "leave", leave(1.0)).await;
    assert_eq!(next_push(&mut on3.socket).await.expect("submitted, via node 1")["data"]["kind"], "submitted");
    p.approve("bob", &t["id"]).await;
    let approved = next_push(&mut on3.socket).await.expect("approved, via node 1");
    assert_eq!(approved["data"]["kind"], "approved");

    // A push through node 2 reaches exactly the matching clients on every node.
    let mut a1 = connect(&n1, &signed("a")).await;
    let mut a3 = connect(&n3, &signed("a")).await;
    let mut b2 = connect(&n2, &signed("b")).await;
    let mut a2_other_room = connect(&n2, &signed("a")).await;
    subscribe(&mut a1, &["room"]).await;
    subscribe(&mut a3, &["room"]).await;
    subscribe(&mut b2, &["room"]).await;
    subscribe(&mut a2_other_room, &["hall"]).await;
    let (status, body) = push(&n2, &json!({ "pid": "demo", "uids": ["a"], "tags": ["room"], "data": "hi" })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["matched"], 2, "a1 and a3, counted across the cluster");
    assert_eq!(next_push(&mut a1.socket).await.unwrap()["data"], "hi");
    assert_eq!(next_push(&mut a3.socket).await.unwrap()["data"], "hi");
    for quiet in [&mut b2, &mut a2_other_room] {
        assert!(next_within(&mut quiet.socket, Duration::from_millis(400)).await.is_none());
    }
    let online = n2.gql_ok(Some(&alice), "{ onlineUsers { username } }", json!({})).await;
    assert!(online.to_string().contains("alice"), "presence spans nodes: {online}");
    n3.stop().await;
    n2.stop().await;
    n1.stop().await;
}

#[tokio::test]
async fn a_killed_nodes_client_resumes_on_another_without_missing_anything() {
    let n1 = TestApp::spawn_with(with_redis).await;
    let n2 = n1.spawn_peer(|c| c.relay_enabled = false).await;
    let mut on2 = connect(&n2, &signed("k")).await;
    // Node 1 owns the test database and stays; node 2 dies.
    push(&n1, &json!({ "pid": "demo", "uids": ["k"], "data": 1 })).await;
    let last = next_push(&mut on2.socket).await.unwrap()["id"].as_str().unwrap().to_string();
    n2.kill();
    assert!(next_within(&mut on2.socket, Duration::from_secs(2)).await.is_none(), "the connection died with its node");
    for n in 2..=4 {
        push(&n1, &json!({ "pid": "demo", "uids": ["k"], "data": n })).await;
    }
    let mut moved = connect(&n1, &format!("{}&last_event_id={last}", signed("k"))).await;
    for n in 2..=4 {
        assert_eq!(next_push(&mut moved.socket).await.unwrap()["data"], n);
    }
    // The dead node's presence is cleaned up by the survivors.
    n1.stop().await;
}

#[tokio::test]
async fn the_relay_moves_to_another_node_when_its_holder_dies() {
    // The first node only owns the test database; node 1 holds the relay
    // lease, node 2 waits for it.
    let owner = TestApp::spawn_with(|c| {
        with_redis(c);
        c.relay_enabled = false;
    })
    .await;
    let n1 = owner.spawn_peer(|c| c.relay_enabled = true).await;
    let relay = |app: &TestApp| {
        let (client, url) = (app.client.clone(), app.url("/readyz"));
        async move {
            client.get(url).send().await.unwrap().json::<serde_json::Value>().await.unwrap()["node"]["relay"].clone()
        }
    };
    for _ in 0..50 {
        if relay(&n1).await == "leading" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(relay(&n1).await, "leading");
    let n2 = owner.spawn_peer(|c| c.relay_enabled = true).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(relay(&n2).await, "standby");
    assert_eq!(relay(&owner).await, "off");
    let mut p = People::new(&n2);
    let alice = p.token("alice").await;
    let mut client = connect(&n2, &format!("token={alice}")).await;
    let t = p.submit("alice", "leave", leave(1.0)).await;
    assert_eq!(next_push(&mut client.socket).await.unwrap()["data"]["kind"], "submitted");
    n1.kill();
    // Committed after the holder died: it waits until node 2's lease starts.
    p.approve("bob", &t["id"]).await;
    let approved =
        next_within(&mut client.socket, Duration::from_secs(20)).await.expect("relayed once node 2 took the lease");
    assert_eq!(approved["data"]["kind"], "approved");
    assert_eq!(relay(&n2).await, "leading");
    n2.stop().await;
    owner.stop().await;
}

async fn relay_state(app: &TestApp) -> serde_json::Value {
    let readyz = app.client.get(app.url("/readyz")).send().await.unwrap();
    readyz.json::<serde_json::Value>().await.unwrap()["node"]["relay"].clone()
}

async fn wait_relay(app: &TestApp, state: &str, within: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    while tokio::time::Instant::now() < deadline {
        if relay_state(app).await == state {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn a_clean_stop_hands_the_relay_over_at_once() {
    let owner = TestApp::spawn_with(|c| {
        with_redis(c);
        c.relay_enabled = false;
    })
    .await;
    let n1 = owner.spawn_peer(|c| c.relay_enabled = true).await;
    assert!(wait_relay(&n1, "leading", Duration::from_secs(5)).await);
    let n2 = owner.spawn_peer(|c| c.relay_enabled = true).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(relay_state(&n2).await, "standby");
    n1.stop().await;
    // The lease lives 10 s; released on a clean stop, node 2 (which asks
    // every second) leads well before it would have expired.
    assert!(wait_relay(&n2, "leading", Duration::from_secs(5)).await, "the lease was not released");
    let mut p = People::new(&n2);
    let alice = p.token("alice").await;
    let mut client = connect(&n2, &format!("token={alice}")).await;
    p.submit("alice", "leave", leave(1.0)).await;
    assert_eq!(next_push(&mut client.socket).await.unwrap()["data"]["kind"], "submitted");
    n2.stop().await;
    owner.stop().await;
}

#[tokio::test]
async fn a_restarted_redis_loses_nothing_committed() {
    // A Redis of our own on a free port: never the machine's shared one.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = std::env::temp_dir().join(format!("signoff-redis-{port}"));
    std::fs::create_dir_all(&dir).unwrap();
    let start = || {
        std::process::Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir"])
            .arg(&dir)
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server is installed")
    };
    let mut redis = start();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let url = format!("redis://127.0.0.1:{port}");
    let app = TestApp::spawn_with(|c| c.redis_url = Some(url.clone())).await;
    let mut p = People::new(&app);
    let alice = p.token("alice").await;
    let mut client = connect(&app, &format!("token={alice}")).await;
    let t1 = p.submit("alice", "leave", leave(1.0)).await;
    let first = next_push(&mut client.socket).await.unwrap();
    assert_eq!(first["data"]["ticket_id"], t1["id"]);
    let before_restart = first["id"].as_str().unwrap().to_string();

    redis.kill().unwrap();
    redis.wait().unwrap();
    // Committed while Redis is down: it waits in the outbox.
    let t2 = p.submit("alice", "leave", leave(2.0)).await;
    let ready: serde_json::Value = app.client.get(app.url("/readyz")).send().await.unwrap().json().await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let ready_later: serde_json::Value = app.client.get(app.url("/readyz")).send().await.unwrap().json().await.unwrap();
    assert!(ready["bus"]["state"] == "down" || ready_later["bus"]["state"] == "down", "{ready} {ready_later}");
    let mut redis = start();
    let got = next_within(&mut client.socket, Duration::from_secs(20)).await.expect("delivered once Redis is back");
    assert_eq!(got["data"]["ticket_id"], t2["id"]);
    // The restarted Redis kept nothing: a client resuming from before the
    // restart is told the stream was lost, never silently given a gap.
    let mut resumed = connect(&app, &format!("token={alice}&last_event_id={before_restart}")).await;
    let reset = next(&mut resumed.socket).await.unwrap();
    assert_eq!((reset["type"].as_str(), reset["reason"].as_str()), (Some("reset"), Some("stream_lost")), "{reset}");
    // A cursor of the new stream resumes normally.
    let now = got["id"].as_str().unwrap().to_string();
    assert_ne!(now.split('@').nth(1), before_restart.split('@').nth(1), "a new epoch");
    let mut current = connect(&app, &format!("token={alice}&last_event_id={now}")).await;
    assert!(next_within(&mut current.socket, Duration::from_millis(300)).await.is_none(), "nothing missed");
    redis.kill().unwrap();
    redis.wait().unwrap();
    app.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn nodes_started_together_migrate_and_seed_once() {
    let mut nodes = TestApp::spawn_together(3).await;
    for node in &nodes {
        let token = node.token("alice").await;
        let me = node.gql_ok(Some(&token), "{ me { username } }", json!({})).await;
        assert_eq!(me["me"]["username"], "alice");
    }
    // One demo organisation, not three, and tokens of one node work on all.
    let admin = nodes[0].token("admin").await;
    let users = nodes[1].gql_ok(Some(&admin), "{ users(first: 100) { edges { cursor } } }", json!({})).await;
    assert_eq!(users["users"]["edges"].as_array().unwrap().len(), 30);
    let templates = nodes[2].gql_ok(Some(&admin), "{ templates(first: 50) { edges { cursor } } }", json!({})).await;
    assert_eq!(templates["templates"]["edges"].as_array().unwrap().len(), 3);
    let owner = nodes.remove(0);
    for node in nodes {
        node.stop().await;
    }
    owner.stop().await;
}
