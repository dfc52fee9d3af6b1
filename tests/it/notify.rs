//! Notifications end to end against real local providers: mail over SMTP
//! (down, then up), WeCom cards and their buttons through the encrypted
//! callback, group robots under WeCom's rate limit, dead letters revived,
//! and two nodes (or a replanned outbox) still sending each message once.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use signoff::{config::Config, service::notify::crypto::MsgCrypt};

use crate::{
    clients::urlencode,
    fakes::{Smtp, WeCom},
    flow::{People, leave, pending, timeline},
    harness::TestApp,
};

pub const PUBLIC: &str = "http://signoff.test";
pub const CORP: &str = "wx-test-corp";
pub const TOKEN: &str = "QDG6eK";
pub const AES_KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

pub fn with_mail(c: &mut Config, port: u16) {
    c.notify.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    c.notify.public_url = PUBLIC.into();
    c.notify.notify_retry_base_ms = 100;
    c.notify.notify_retry_max_secs = 1;
}

pub fn with_wecom(c: &mut Config, wecom: &WeCom) {
    c.notify.public_url = PUBLIC.into();
    c.notify.wecom_base = wecom.base();
    c.notify.wecom_corp_id = Some(CORP.into());
    c.notify.wecom_agent_id = Some(1000002);
    c.notify.wecom_secret = Some("app-secret".into());
    c.notify.wecom_token = Some(TOKEN.into());
    c.notify.wecom_aes_key = Some(AES_KEY.into());
    c.notify.notify_retry_base_ms = 100;
    c.notify.notify_retry_max_secs = 1;
}

/// Waits up to 20 s for `check` to hold.
pub async fn until(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

pub async fn deliveries(app: &TestApp, admin: &str, args: &str) -> Vec<Value> {
    let q = format!("{{ deliveries({args} first: 100) {{ id kind status attempts lastError channel recipientId }} }}");
    app.gql_ok(Some(admin), &q, json!({})).await["deliveries"].as_array().unwrap().clone()
}

fn link_in(text: &str) -> String {
    let start = text.find(&format!("{PUBLIC}/approve/")).expect("a mobile link");
    text[start..].split_whitespace().next().unwrap().to_string()
}

#[tokio::test]
async fn mail_reaches_the_approver_and_its_link_decides_once() {
    let smtp = Smtp::start().await;
    let app = TestApp::spawn_with(|c| with_mail(c, smtp.port)).await;
    let mut p = People::new(&app);
    let t = p.submit("alice", "leave", leave(1.0)).await;
    let number = t["number"].as_str().unwrap().to_string();
    until("bob's mail", async || smtp.received().iter().any(|m| m.to == ["bob@xinghe.example"])).await;
    let mail = smtp.received().into_iter().find(|m| m.to == ["bob@xinghe.example"]).unwrap();
    let parsed = mail.parsed();
    let subject = parsed.subject().unwrap().to_string();
    assert!(subject.contains(&number) && subject.contains("待您审批"), "{subject}");
    let text = parsed.body_text(0).unwrap().to_string();
    let html = parsed.body_html(0).unwrap().to_string();
    assert!(text.contains(&format!("{PUBLIC}/tickets/{}", t["id"].as_str().unwrap())), "{text}");
    let link = link_in(&text);
    assert!(html.contains(&format!("href=\"{link}\"")), "{html}");

    // Opening the link shows the item and acts on nothing.
    let url = link.replace(PUBLIC, &app.url(""));
    let page = app.client.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("同意"));
    assert_eq!(pending(&p.ticket("alice", &t["id"]).await), ["bob"], "a GET never decides");

    let decided = app.client.post(&url).form(&[("action", "approve"), ("comment", "ok")]).send().await.unwrap();
    assert_eq!(decided.status(), 200);
    let after = p.ticket("alice", &t["id"]).await;
    assert_eq!(timeline(&after)[..2], ["submitted", "approved"]);
    assert_eq!(after["timeline"][1]["actor"]["username"], "bob");
    let again = app.client.post(&url).form(&[("action", "approve")]).send().await.unwrap();
    assert_eq!(again.status(), 409, "a link decides once");
    assert!(again.text().await.unwrap().contains("link_used"));
    let forged = format!("{}x", url);
    assert_eq!(app.client.get(&forged).send().await.unwrap().status(), 403);

    // The applicant hears the outcome.
    until("alice's mail", async || smtp.received().iter().any(|m| m.to == ["alice@xinghe.example"])).await;
    app.stop().await;
}

#[tokio::test]
async fn mail_waits_while_smtp_is_down_and_goes_once_when_it_is_back() {
    let mut smtp = Smtp::start().await;
    let app = TestApp::spawn_with(|c| with_mail(c, smtp.port)).await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    p.submit("alice", "leave", leave(1.0)).await;
    until("the first mail", async || smtp.received().len() == 1).await;
    // The server goes away, pooled connection and all.
    smtp.down().await;
    let mut numbers = Vec::new();
    for _ in 0..3 {
        numbers.push(p.submit("alice", "leave", leave(1.0)).await["number"].as_str().unwrap().to_string());
    }
    until("failed attempts", async || {
        let d = deliveries(&app, &admin, "channel: EMAIL status: FAILED").await;
        d.len() == 3 && d.iter().all(|d| d["attempts"].as_i64() >= Some(1))
    })
    .await;
    let failed = deliveries(&app, &admin, "channel: EMAIL status: FAILED").await;
    assert!(failed[0]["lastError"].as_str().unwrap().contains("unreachable"), "{failed:?}");

    smtp.up().await;
    until("three more mails", async || smtp.received().len() >= 4).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let subjects: Vec<String> = smtp.received().iter().map(|m| m.parsed().subject().unwrap().to_string()).collect();
    assert_eq!(subjects.len(), 4, "each mail once: {subjects:?}");
    for n in &numbers {
        assert_eq!(subjects.iter().filter(|s| s.contains(n.as_str())).count(), 1, "{n} in {subjects:?}");
    }
    assert!(deliveries(&app, &admin, "channel: EMAIL").await.iter().all(|d| d["status"] == "sent"));
    app.stop().await;
}

#[tokio::test]
async fn a_dead_letter_waits_for_an_administrator_and_a_retry_revives_it() {
    let port = Smtp::free_port();
    let app = TestApp::spawn_with(|c| {
        with_mail(c, port);
        c.notify.notify_max_attempts = 2;
    })
    .await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    p.submit("alice", "leave", leave(1.0)).await;
    until("a dead letter", async || deliveries(&app, &admin, "status: DEAD").await.iter().any(|d| d["attempts"] == 2))
        .await;
    let smtp = Smtp::start_on(port).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(smtp.received().is_empty(), "dead stays dead until someone acts");
    let staff = p.token("alice").await;
    let refused = app.gql_err(Some(&staff), "mutation { retryDeadDeliveries(channel: EMAIL) }", json!({})).await;
    assert_eq!(refused, "forbidden");
    let revived = app.gql_ok(Some(&admin), "mutation { retryDeadDeliveries(channel: EMAIL) }", json!({})).await;
    assert_eq!(revived["retryDeadDeliveries"], 1);
    until("the revived mail", async || smtp.received().len() == 1).await;
    app.stop().await;
}

#[tokio::test]
async fn two_nodes_and_a_replanned_outbox_still_send_each_mail_once() {
    let smtp = Smtp::start().await;
    let app = TestApp::spawn_with(|c| with_mail(c, smtp.port)).await;
    let peer = app.spawn_peer(|_| {}).await;
    let (mut p, mut q) = (People::new(&app), People::new(&peer));
    for i in 0..10 {
        let people = if i % 2 == 0 { &mut p } else { &mut q };
        people.submit("alice", "leave", leave(1.0)).await;
    }
    until("ten mails", async || smtp.received().len() >= 10).await;
    // The notifier reads the whole outbox again, as after a lost cursor.
    let db = sea_orm::Database::connect(&app.config.database_url).await.unwrap();
    signoff::store::execute_raw(&db, "UPDATE cursors SET position = 0").await.unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(smtp.received().len(), 10, "nothing twice");
    let admin = p.token("admin").await;
    assert_eq!(deliveries(&app, &admin, "channel: EMAIL").await.len(), 10);
    peer.stop().await;
    app.stop().await;
}

fn callback_body(crypt: &MsgCrypt, xml: &str) -> (String, String, String, String) {
    let encrypted = crypt.encrypt(xml, rand_bytes());
    let (ts, nonce) = (chrono::Utc::now().timestamp().to_string(), "1234567".to_string());
    let sig = crypt.signature(&ts, &nonce, &encrypted);
    let body = format!(
        "<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>"
    );
    (sig, ts, nonce, body)
}

fn rand_bytes() -> [u8; 16] {
    *uuid::Uuid::new_v4().as_bytes()
}

fn click(from: &str, key: &str, task: &str) -> String {
    format!(
        "<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[{from}]]></FromUserName>\
         <CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType>\
         <Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[{key}]]></EventKey>\
         <TaskId><![CDATA[{task}]]></TaskId><CardType><![CDATA[button_interaction]]></CardType>\
         <AgentID>1000002</AgentID></xml>"
    )
}

async fn post_callback(app: &TestApp, parts: &(String, String, String, String)) -> u16 {
    let (sig, ts, nonce, body) = parts;
    let url = app.url(&format!("/wecom/callback?msg_signature={sig}&timestamp={ts}&nonce={nonce}"));
    app.client.post(url).body(body.clone()).send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn a_wecom_card_button_approves_once_and_the_card_shows_the_result() {
    let wecom = WeCom::start(CORP, "app-secret", 1000002, 20, Duration::from_secs(60)).await;
    // The first token WeCom hands out is reported expired on first use.
    wecom.state.expire_next.store(true, std::sync::atomic::Ordering::SeqCst);
    let app = TestApp::spawn_with(|c| with_wecom(c, &wecom)).await;
    let crypt = MsgCrypt::new(TOKEN, AES_KEY, CORP).unwrap();

    // URL verification answers the decrypted echo string.
    let echo = crypt.encrypt("echo-4711", rand_bytes());
    let sig = crypt.signature("1", "2", &echo);
    let url = app.url(&format!("/wecom/callback?msg_signature={sig}&timestamp=1&nonce=2&echostr={}", urlencode(&echo)));
    let verified = app.client.get(url).send().await.unwrap();
    assert_eq!(verified.status(), 200);
    assert_eq!(verified.text().await.unwrap(), "echo-4711");

    let mut p = People::new(&app);
    let t = p.submit("alice", "leave", leave(1.0)).await;
    until("bob's card", async || !wecom.state.cards.lock().unwrap().is_empty()).await;
    let card = wecom.state.cards.lock().unwrap()[0].clone();
    assert_eq!(card["touser"], "bob");
    assert_eq!(card["template_card"]["card_type"], "button_interaction");
    assert_eq!(wecom.state.token_fetches.load(std::sync::atomic::Ordering::SeqCst), 2, "renewed once after 42001");
    let buttons = card["template_card"]["button_list"].as_array().unwrap();
    let approve = buttons.iter().find(|b| b["key"].as_str().unwrap().starts_with("approve:")).unwrap();
    let key = approve["key"].as_str().unwrap();
    let task = card["template_card"]["task_id"].as_str().unwrap();

    // A forged signature and an unknown WeCom user act on nothing.
    let mut forged = callback_body(&crypt, &click("bob", key, task));
    forged.0 = "0".repeat(40);
    assert_eq!(post_callback(&app, &forged).await, 403);
    assert_eq!(post_callback(&app, &callback_body(&crypt, &click("mallory", key, task))).await, 200);
    let other = MsgCrypt::new(TOKEN, AES_KEY, "another-corp").unwrap();
    assert_eq!(post_callback(&app, &callback_body(&other, &click("bob", key, task))).await, 403);
    assert_eq!(pending(&p.ticket("alice", &t["id"]).await), ["bob"]);

    // Bob's click approves; WeCom's retry of the same callback acts once.
    let clicked = callback_body(&crypt, &click("bob", key, task));
    assert_eq!(post_callback(&app, &clicked).await, 200);
    assert_eq!(post_callback(&app, &clicked).await, 200);
    let after = p.ticket("alice", &t["id"]).await;
    assert_eq!(timeline(&after).iter().filter(|k| *k == "approved").count(), 1, "{:?}", timeline(&after));
    assert_eq!(after["timeline"][1]["actor"]["username"], "bob");

    until("the card's update", async || !wecom.state.updates.lock().unwrap().is_empty()).await;
    let update = wecom.state.updates.lock().unwrap()[0].clone();
    assert_eq!(update["userids"], json!(["bob"]));
    assert_eq!(update["button"]["replace_name"], "已同意");
    let refusals = wecom.state.refusals.lock().unwrap().clone();
    assert_eq!(refusals, ["42001 access_token expired"], "only the planned expiry was refused");
    app.stop().await;
}

#[tokio::test]
async fn robots_keep_to_wecom_s_rate_limit_under_a_burst_and_a_bad_key_goes_dead() {
    let wecom = WeCom::start(CORP, "app-secret", 1000002, 20, Duration::from_secs(1)).await;
    wecom.state.robot_keys.lock().unwrap().insert("robot-key-1".into());
    let app = TestApp::spawn_with(|c| {
        c.notify.wecom_base = wecom.base();
        c.notify.wecom_robot_limit = 20;
        c.notify.wecom_robot_window_secs = 1;
        c.notify.public_url = PUBLIC.into();
    })
    .await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    let create = "mutation($i: CreateRobotInput!) { createRobot(input: $i) { id keyHint } }";
    let robot = app
        .gql_ok(
            Some(&admin),
            create,
            json!({ "i": { "name": "IT group", "webhookKey": "robot-key-1", "templateCode": "leave" } }),
        )
        .await;
    assert_eq!(robot["createRobot"]["keyHint"], "…ey-1");
    app.gql_ok(
        Some(&admin),
        create,
        json!({ "i": { "name": "Gone", "webhookKey": "unknown-key", "templateCode": "expense" } }),
    )
    .await;

    for _ in 0..100 {
        p.submit("alice", "leave", leave(1.0)).await;
    }
    p.submit("alice", "expense", crate::flow::expense("120.00")).await;
    until("a hundred robot posts", async || wecom.state.robot_posts.lock().unwrap().len() >= 100).await;
    let posts = wecom.state.robot_posts.lock().unwrap().clone();
    assert_eq!(posts.len(), 100);
    assert!(posts.iter().all(|(_, _, text)| text.contains("新工单")), "{:?}", posts[0]);
    until("the bad key's dead letter", async || {
        deliveries(&app, &admin, "channel: WECOM_ROBOT status: DEAD").await.len() == 1
    })
    .await;
    let dead = deliveries(&app, &admin, "channel: WECOM_ROBOT status: DEAD").await;
    assert!(dead[0]["lastError"].as_str().unwrap().contains("invalid"), "{dead:?}");
    let refusals = wecom.state.refusals.lock().unwrap().clone();
    assert!(refusals.iter().all(|r| r.starts_with("93000")), "never over the limit: {refusals:?}");
    app.stop().await;
}

#[tokio::test]
async fn people_choose_language_and_mute_kinds_and_admins_can_send_a_test() {
    let smtp = Smtp::start().await;
    let app = TestApp::spawn_with(|c| with_mail(c, smtp.port)).await;
    let mut p = People::new(&app);
    let (alice, bob, admin) = (p.token("alice").await, p.token("bob").await, p.token("admin").await);
    let set = "mutation($l: String!, $m: [String!]!) { updateNotificationSettings(language: $l, muted: $m) { language muted } }";
    let bad = app.gql(Some(&alice), set, json!({ "l": "fr", "m": [] })).await;
    assert_eq!(crate::harness::error_code(&bad).as_deref(), Some("invalid_language"));
    let bad = app.gql(Some(&alice), set, json!({ "l": "en", "m": ["pigeon:outcome"] })).await;
    assert_eq!(crate::harness::error_code(&bad).as_deref(), Some("invalid_muted"));
    app.gql_ok(Some(&alice), set, json!({ "l": "en", "m": ["email:outcome"] })).await;
    app.gql_ok(Some(&bob), set, json!({ "l": "en", "m": [] })).await;
    let mine = app.gql_ok(Some(&alice), "{ notificationSettings { language muted } }", json!({})).await;
    assert_eq!(mine["notificationSettings"], json!({ "language": "en", "muted": ["email:outcome"] }));

    let t = p.submit("alice", "leave", leave(1.0)).await;
    until("bob's mail", async || smtp.received().iter().any(|m| m.to == ["bob@xinghe.example"])).await;
    let subject = smtp.received()[0].parsed().subject().unwrap().to_string();
    assert!(subject.starts_with("Waiting for your approval"), "bob reads English: {subject}");
    p.approve("bob", &t["id"]).await;
    let comment = "mutation($t: ID!) { commentOnTicket(ticketId: $t, body: \"thanks\") { ticket { id } } }";
    app.gql_ok(Some(&bob), comment, json!({ "t": t["id"] })).await;
    until("alice's comment mail", async || smtp.received().iter().any(|m| m.to == ["alice@xinghe.example"])).await;
    let to_alice: Vec<String> = smtp
        .received()
        .iter()
        .filter(|m| m.to == ["alice@xinghe.example"])
        .map(|m| m.parsed().subject().unwrap().to_string())
        .collect();
    assert_eq!(to_alice.len(), 1, "the outcome is muted, the comment is not: {to_alice:?}");
    assert!(to_alice[0].contains("commented"), "{to_alice:?}");

    let bob_id = p.id_of("bob").await;
    let test = "mutation($u: ID!) { sendTestNotification(channel: EMAIL, userId: $u) }";
    app.gql_ok(Some(&admin), test, json!({ "u": bob_id })).await;
    until("the test mail", async || {
        smtp.received().iter().any(|m| m.parsed().subject().unwrap_or_default().contains("TEST"))
    })
    .await;
    app.stop().await;
}
