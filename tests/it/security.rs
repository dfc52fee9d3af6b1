//! Security: live events never reach someone who may not see the ticket,
//! access changes take effect at once (tokens and open connections alike),
//! and each is tested for every kind of viewer.

use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::{
    flow::{People, leave},
    harness::{TestApp, error_code},
    subscriptions::{open, read},
    ws::{ask, closed, connect, next_push, next_within, send, signed},
};

const CREATE_PROXY: &str = "mutation($i: CreateProxyInput!) { createProxy(input: $i) { id } }";

#[tokio::test]
async fn reserved_tags_follow_ticket_visibility_for_every_kind_of_viewer() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    // Bob (alice's head) is away: Carol holds his item as proxy.
    let (bob, carol) = (p.token("bob").await, p.id_of("carol").await);
    let now = chrono::Utc::now();
    let window = json!({ "i": { "proxyId": carol, "startsAt": (now - chrono::Duration::days(1)).to_rfc3339(),
        "endsAt": (now + chrono::Duration::days(1)).to_rfc3339() } });
    app.gql_ok(Some(&bob), CREATE_PROXY, window).await;
    let t = p.submit("alice", "leave", leave(1.0)).await;
    let id = t["id"].as_str().unwrap().to_string();
    let alice = p.token("alice").await;
    let dept = app.gql_ok(Some(&alice), "{ me { department { id } } }", json!({})).await["me"]["department"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // viewer, may see the ticket, is a manager or admin
    let viewers = [
        ("alice", true, false),      // applicant
        ("bob", true, true),         // approver (principal) and a manager
        ("carol", true, false),      // proxy holding the item
        ("zhang.min", false, false), // stranger
        ("liu.yang", true, true),    // manager of another department: managers see every ticket
        ("admin", true, true),
    ];
    for (user, sees_ticket, sees_all) in viewers {
        let token = p.token(user).await;
        let seen = app.gql_ok(Some(&token), "query($i: ID!) { ticket(id: $i) { id } }", json!({ "i": id })).await;
        assert_eq!(!seen["ticket"].is_null(), sees_ticket, "{user}: ticket(id)");
        let mut c = connect(&app, &format!("token={token}")).await;
        for (tag, allowed) in [
            (format!("ticket:{id}"), sees_ticket),
            ("template:leave".to_string(), sees_all),
            (format!("dept:{dept}"), sees_all),
            ("ticket:999999".to_string(), sees_all && false),
            ("ticket:abc".to_string(), false),
        ] {
            let reply = ask(&mut c.socket, json!({ "type": "subscribe", "tags": [tag] })).await;
            let ok = reply["type"] == "subscribed";
            assert_eq!(ok, allowed, "{user} following {tag}: {reply}");
            if !ok {
                assert_eq!(reply["code"], "forbidden_tag", "{reply}");
            }
        }
        // ticketEvents over GraphQL: the same rule.
        let mut gql = open(&app, &token).await;
        send(
            &mut gql,
            json!({ "id": "1", "type": "subscribe", "payload": {
            "query": "subscription($t: ID!) { ticketEvents(ticketId: $t) { id data } }", "variables": { "t": id } } }),
        )
        .await;
        if !sees_ticket {
            let refused = read(&mut gql).await;
            assert_eq!(refused["type"], "next", "{refused}");
            assert_eq!(refused["payload"]["errors"][0]["extensions"]["code"], "not_found", "{refused}");
        }
    }

    // A comment reaches the people concerned, never the stranger, by any path.
    let zhang = p.token("zhang.min").await;
    let mut stranger = connect(&app, &format!("token={zhang}")).await;
    let _ =
        ask(&mut stranger.socket, json!({ "type": "subscribe", "tags": ["template:leave", format!("ticket:{id}")] }))
            .await;
    let mut stranger_gql = open(&app, &zhang).await;
    send(
        &mut stranger_gql,
        json!({ "id": "m", "type": "subscribe", "payload": {
        "query": "subscription { myEvents { id data } }" } }),
    )
    .await;
    let mut applicant = connect(&app, &format!("token={alice}")).await;
    let comment =
        "mutation($t: ID!) { commentOnTicket(ticketId: $t, body: \"private note: salary\") { ticket { id } } }";
    app.gql_ok(Some(&alice), comment, json!({ "t": id })).await;
    assert_eq!(next_push(&mut applicant.socket).await.unwrap()["data"]["kind"], "commented");
    assert!(next_within(&mut stranger.socket, Duration::from_millis(500)).await.is_none(), "nothing over /ws/connect");
    let nothing = tokio::time::timeout(Duration::from_millis(300), stranger_gql.next()).await;
    assert!(nothing.is_err() || matches!(nothing, Ok(Some(Ok(Message::Ping(_))))), "nothing over myEvents");
    app.stop().await;
}

#[tokio::test]
async fn revoked_access_ends_at_once() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;

    // A second admin, demoted to staff: admin rights end with the next request.
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }";
    let input = |name: &str, roles: Value| json!({ "i": { "username": name, "displayName": name, "roles": roles, "password": "a-long-password" } });
    let deputy = app.gql_ok(Some(&admin), create, input("deputy", json!(["admin"]))).await["createUser"]["id"].clone();
    let deputy_token = app.login_pair("deputy", "a-long-password").await["accessToken"].as_str().unwrap().to_string();
    app.gql_ok(Some(&deputy_token), create, input("temp1", json!(["staff"]))).await;
    let update = "mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }";
    app.gql_ok(Some(&admin), update, json!({ "i": { "id": deputy, "roles": ["staff"] } })).await;
    assert_eq!(app.gql_err(Some(&deputy_token), create, input("temp2", json!(["admin"]))).await, "forbidden");
    assert_eq!(app.gql_err(Some(&deputy_token), "{ projects { pid secret } }", json!({})).await, "forbidden");

    // Deactivated: nothing works any more, filing included.
    let alice = p.token("alice").await;
    let alice_id = p.id_of("alice").await;
    app.gql_ok(Some(&admin), "mutation($i: ID!) { deactivateUser(id: $i) { id } }", json!({ "i": alice_id })).await;
    let submit = "mutation($i: SubmitTicketInput!) { submitTicket(input: $i) { ticket { id } } }";
    let form = json!({ "i": { "templateCode": "leave", "form": leave(1.0) } });
    assert_eq!(app.gql_err(Some(&alice), submit, form.clone()).await, "account_deactivated");

    // Logged out: the access token of that session stops too.
    let pair = app.login_pair("bob", "signoff").await;
    let bob = pair["accessToken"].as_str().unwrap();
    app.gql_ok(Some(bob), "{ me { id } }", json!({})).await;
    app.gql_ok(None, "mutation($t: String!) { logout(refreshToken: $t) }", json!({ "t": pair["refreshToken"] })).await;
    assert_eq!(app.gql_err(Some(bob), "{ me { id } }", json!({})).await, "session_ended");

    // A reused refresh token revokes the session, its access token included.
    let pair = app.login_pair("carol", "signoff").await;
    let refresh = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }";
    let next = app.gql_ok(None, refresh, json!({ "t": pair["refreshToken"] })).await["refreshToken"].clone();
    let newer_access = next["accessToken"].as_str().map(str::to_string);
    assert_eq!(app.gql_err(None, refresh, json!({ "t": pair["refreshToken"] })).await, "refresh_token_reused");
    assert_eq!(app.gql_err(pair["accessToken"].as_str(), "{ me { id } }", json!({})).await, "session_ended");
    if let Some(newer) = newer_access {
        assert_eq!(app.gql_err(Some(&newer), "{ me { id } }", json!({})).await, "session_ended");
    }
    app.stop().await;
}

#[tokio::test]
async fn open_connections_close_when_access_ends() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;

    // Logout closes that session's socket with 4401.
    let pair = app.login_pair("bob", "signoff").await;
    let mut bob = connect(&app, &format!("token={}", pair["accessToken"].as_str().unwrap())).await;
    app.gql_ok(None, "mutation($t: String!) { logout(refreshToken: $t) }", json!({ "t": pair["refreshToken"] })).await;
    assert_eq!(closed(&mut bob.socket, Duration::from_secs(5)).await, Some((4401, "session_ended".into())));

    // Deactivation closes every socket of the user, GraphQL ones too.
    let carol = p.token("carol").await;
    let mut ws = connect(&app, &format!("token={carol}")).await;
    let mut gql = open(&app, &carol).await;
    let carol_id = p.id_of("carol").await;
    app.gql_ok(Some(&admin), "mutation($i: ID!) { deactivateUser(id: $i) { id } }", json!({ "i": carol_id })).await;
    assert_eq!(closed(&mut ws.socket, Duration::from_secs(5)).await, Some((4401, "access_changed".into())));
    assert_eq!(closed(&mut gql, Duration::from_secs(5)).await, Some((4401, "access_changed".into())));

    // A rotated project secret closes the connections it signed.
    let mut signed_client = connect(&app, &signed("u1")).await;
    app.gql_ok(Some(&admin), "mutation { rotateProjectSecret(pid: \"demo\") { pid } }", json!({})).await;
    assert_eq!(closed(&mut signed_client.socket, Duration::from_secs(5)).await, Some((4403, "project_changed".into())));
    app.stop().await;
}

#[tokio::test]
async fn a_token_connection_closes_at_expiry_unless_it_authenticates_again() {
    let app = TestApp::spawn_with(|c| {
        c.access_token_ttl_secs = 3;
        c.ws_ping_secs = 1;
    })
    .await;
    let alice = app.token("alice").await;
    let mut stale = connect(&app, &format!("token={alice}")).await;
    let mut renewed = connect(&app, &format!("token={alice}")).await;
    let fresh = app.token("alice").await;
    let reply = ask(&mut renewed.socket, json!({ "type": "auth", "token": fresh })).await;
    assert_eq!(reply["type"], "authenticated", "{reply}");
    let bob = app.token("bob").await;
    let wrong = ask(&mut renewed.socket, json!({ "type": "auth", "token": bob })).await;
    assert_eq!(wrong["code"], "invalid_token", "another user's token: {wrong}");
    assert_eq!(closed(&mut stale.socket, Duration::from_secs(15)).await, Some((4401, "token_expired".into())));
    let _ = error_code;
    app.stop().await;
}

#[tokio::test]
async fn password_guessing_is_throttled_per_account_per_address_and_per_request() {
    let app = TestApp::spawn_with(|c| c.login_attempts_per_minute = 12).await;
    let login = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }";
    let attempt = |user: &str, password: &str| json!({ "u": user, "p": password });
    for _ in 0..5 {
        assert_eq!(app.gql_err(None, login, attempt("alice", "guess")).await, "invalid_credentials");
    }
    // Locked for a while now, even with the right password.
    assert_eq!(app.gql_err(None, login, attempt("alice", "signoff")).await, "too_many_attempts");
    // Another account is not affected…
    app.gql_ok(None, login, attempt("bob", "signoff")).await;
    // …until the address runs out of attempts (12 a minute here; 6 used).
    let mut codes = Vec::new();
    for _ in 0..10 {
        codes.push(app.gql(None, login, attempt("carol", "signoff")).await);
    }
    assert!(codes.iter().any(|r| error_code(r).as_deref() == Some("too_many_attempts")), "{codes:?}");

    // One login per request, whatever the aliases or batching.
    let fresh = TestApp::spawn().await;
    let aliased = "mutation { a: login(username: \"bob\", password: \"x\") { accessToken } b: login(username: \"bob\", password: \"y\") { accessToken } }";
    let resp = fresh.gql(None, aliased, json!({})).await;
    let codes: Vec<_> = resp["errors"].as_array().unwrap().iter().map(|e| e["extensions"]["code"].clone()).collect();
    assert!(codes.contains(&json!("one_login_per_request")), "{resp}");
    let batch: Vec<Value> = (0..5).map(|_| json!({ "query": login, "variables": attempt("bob", "nope") })).collect();
    let answers: Value =
        fresh.client.post(fresh.url("/graphql")).json(&batch).send().await.unwrap().json().await.unwrap();
    let refused = answers
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| error_code(a).as_deref() == Some("one_login_per_request"))
        .count();
    assert_eq!(refused, 4, "{answers}");
    fresh.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn slow_and_silent_clients_are_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn_with(|c| {
        c.http_header_timeout_secs = 1;
        c.http_body_timeout_secs = 2;
    })
    .await;
    // Silent: connected, never says a word.
    let silent = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    // Slow headers: a byte now and then.
    let mut slow = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    slow.write_all(b"POST /graphql HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    // Slow body: headers at once, the body never completes.
    let mut trickle = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    trickle
        .write_all(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
        )
        .await
        .unwrap();
    let ends = |mut s: tokio::net::TcpStream| async move {
        let mut buf = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut buf)).await.map(|_| buf)
    };
    assert!(ends(silent).await.is_ok(), "a silent connection is closed");
    let _ = slow.write_all(b"X-A: 1\r\n").await;
    assert!(ends(slow).await.is_ok(), "slow headers are cut off");
    let answer = ends(trickle).await.expect("a slow body is cut off");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.is_empty() || text.starts_with("HTTP/1.1 4"), "{text}");
    // Normal requests and WebSockets still work.
    let alice = app.token("alice").await;
    let mut c = connect(&app, &format!("token={alice}")).await;
    assert_eq!(ask(&mut c.socket, json!({ "type": "heart" })).await["type"], "heart");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(ask(&mut c.socket, json!({ "type": "heart" })).await["type"], "heart", "upgraded: no header timeout");
    app.stop().await;
}

#[tokio::test]
async fn a_client_that_keeps_flooding_is_closed_even_if_some_frames_get_through() {
    use futures::SinkExt;
    let app = TestApp::spawn().await;
    let alice = app.token("alice").await;
    let mut c = connect(&app, &format!("token={alice}")).await;
    // 100 frames a second against a rate of 20: some pass, most are refused.
    for _ in 0..300 {
        if c.socket.send(Message::Text(json!({ "type": "heart" }).to_string().into())).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(closed(&mut c.socket, Duration::from_secs(10)).await.map(|c| c.0), Some(1008));
    app.stop().await;
}
