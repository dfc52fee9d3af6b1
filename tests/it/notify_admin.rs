//! Notification administration: channel settings changed through the API
//! (secrets write-only, bad values refused whole, in force on every node),
//! and a card decided before WeCom accepted it still shows the result.

use std::time::Duration;

use serde_json::{Value, json};

use crate::{
    fakes::{Smtp, WeCom},
    flow::{People, leave},
    harness::{TestApp, error_code},
    notify::{AES_KEY, CORP, PUBLIC, TOKEN, deliveries, until, with_wecom},
};

const READ: &str = "{ channelSettings { mail { configured smtpUrl mailFrom } \
    wecom { configured callbackConfigured corpId agentId secretSet tokenSet aesKeySet callbackUrl } } }";
const SAVE: &str = "mutation($i: ChannelSettingsInput!) { updateChannelSettings(input: $i) { mail { configured smtpUrl } \
    wecom { configured callbackConfigured secretSet } } }";

async fn settings(app: &TestApp, admin: &str) -> Value {
    app.gql_ok(Some(admin), READ, json!({})).await["channelSettings"].clone()
}

#[tokio::test]
async fn channel_settings_saved_through_the_api_hide_secrets_and_reach_every_node() {
    let smtp = Smtp::start().await;
    let app = TestApp::spawn_with(|c| {
        c.notify.public_url = PUBLIC.into();
        c.notify.notify_retry_base_ms = 100;
        c.notify.notify_retry_max_secs = 1;
    })
    .await;
    let peer = app.spawn_peer(|_| {}).await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    let before = settings(&app, &admin).await;
    assert_eq!(before["mail"]["configured"], false);
    assert_eq!(before["wecom"]["callbackUrl"], format!("{PUBLIC}/wecom/callback"));

    // Secrets are written, never read back.
    let secret = "s3cret-app-key";
    let i = json!({ "smtpUrl": "smtp://mailer:pa55word@127.0.0.1:1", "wecomCorpId": CORP, "wecomAgentId": 1000002,
        "wecomSecret": secret, "wecomToken": TOKEN, "wecomAesKey": AES_KEY });
    app.gql_ok(Some(&admin), SAVE, json!({ "i": i })).await;
    let shown = settings(&app, &admin).await;
    assert_eq!(shown["mail"]["smtpUrl"], "smtp://mailer:***@127.0.0.1:1");
    assert_eq!(shown["wecom"]["configured"], true);
    assert_eq!(shown["wecom"]["callbackConfigured"], true);
    assert_eq!(shown["wecom"]["agentId"], 1000002);
    assert!([shown["wecom"]["secretSet"].clone(), shown["wecom"]["tokenSet"].clone()].iter().all(|v| v == true));
    let text = shown.to_string();
    assert!(!text.contains(secret) && !text.contains("pa55word") && !text.contains(AES_KEY), "{text}");

    // A bad value refuses the whole change, on its field.
    let bad = json!({ "i": { "wecomAesKey": "too-short", "smtpUrl": "http://127.0.0.1:1" } });
    let refused = app.gql(Some(&admin), SAVE, bad).await;
    assert_eq!(error_code(&refused).as_deref(), Some("invalid_input"), "{refused}");
    let fields: Vec<&str> = refused["errors"][0]["extensions"]["fields"]
        .as_array()
        .map(|f| f.iter().filter_map(|f| f["field"].as_str()).collect())
        .unwrap_or_default();
    assert!(fields.contains(&"wecomAesKey") && fields.contains(&"smtpUrl"), "{refused}");
    assert_eq!(settings(&app, &admin).await, shown, "nothing changed");

    // Empty clears: WeCom off, mail to the real listener.
    let i = json!({ "smtpUrl": format!("smtp://127.0.0.1:{}", smtp.port), "wecomSecret": "", "wecomCorpId": "" });
    let saved = app.gql_ok(Some(&admin), SAVE, json!({ "i": i })).await["updateChannelSettings"].clone();
    assert_eq!(saved["wecom"], json!({ "configured": false, "callbackConfigured": false, "secretSet": false }));

    // The other node takes the saved settings up on its own, and mail
    // filed there goes out.
    let peer_admin = People::new(&peer).token("admin").await;
    until("the peer's settings", async || settings(&peer, &peer_admin).await["mail"]["configured"] == true).await;
    People::new(&peer).submit("alice", "leave", leave(1.0)).await;
    until("bob's mail", async || smtp.received().iter().any(|m| m.to == ["bob@xinghe.example"])).await;
    peer.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn a_card_decided_before_wecom_accepted_it_still_shows_the_result() {
    let wecom = WeCom::start(CORP, "app-secret", 1000002, 20, Duration::from_secs(60)).await;
    let app = TestApp::spawn_with(|c| with_wecom(c, &wecom)).await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    wecom.state.down.store(true, std::sync::atomic::Ordering::SeqCst);
    let t = p.submit("alice", "leave", leave(1.0)).await;
    until("a failed card", async || {
        deliveries(&app, &admin, "channel: WECOM_APP status: FAILED").await.iter().any(|d| d["kind"] == "assigned")
    })
    .await;
    // Bob decides in the web UI while his card is still on its way.
    p.approve("bob", &t["id"]).await;
    until("the update planned", async || {
        deliveries(&app, &admin, "channel: WECOM_APP").await.iter().any(|d| d["kind"] == "card_update")
    })
    .await;
    let waiting = deliveries(&app, &admin, "channel: WECOM_APP").await;
    assert!(waiting.iter().all(|d| d["status"] != "sent"), "{waiting:?}");

    wecom.state.down.store(false, std::sync::atomic::Ordering::SeqCst);
    until("the card's update", async || !wecom.state.updates.lock().unwrap().is_empty()).await;
    let card = wecom.state.cards.lock().unwrap().iter().find(|c| c["touser"] == "bob").cloned().expect("bob's card");
    assert_eq!(card["template_card"]["card_type"], "button_interaction");
    let update = wecom.state.updates.lock().unwrap()[0].clone();
    assert_eq!(update["userids"], json!(["bob"]));
    assert_eq!(update["button"]["replace_name"], "已同意");
    until("all sent", async || {
        deliveries(&app, &admin, "channel: WECOM_APP").await.iter().all(|d| d["status"] == "sent")
    })
    .await;
    assert!(wecom.state.refusals.lock().unwrap().is_empty(), "{:?}", wecom.state.refusals.lock().unwrap());
    app.stop().await;
}

#[tokio::test]
async fn concurrent_saves_and_reads_of_channel_settings_always_see_one_whole_set() {
    let app = TestApp::spawn().await;
    let peer = app.spawn_peer(|_| {}).await;
    let admin = People::new(&app).token("admin").await;
    let peer_admin = People::new(&peer).token("admin").await;
    // Each save pairs a sender with a port: a read that mixed two saves
    // would show a sender and a port of different saves.
    let save = |i: u16| {
        let vars = json!({ "i": { "mailFrom": format!("n{i}@signoff.test"), "smtpUrl": format!("smtp://127.0.0.1:{}", 2000 + i) } });
        let (app, admin) = (&app, admin.clone());
        async move { app.gql_ok(Some(&admin), SAVE, vars).await }
    };
    let read = || {
        let (app, admin) = (&app, admin.clone());
        async move { settings(app, &admin).await }
    };
    let whole = |s: &Value| {
        let from = s["mail"]["mailFrom"].as_str().unwrap().to_string();
        let url = s["mail"]["smtpUrl"].as_str().unwrap_or_default().to_string();
        let n: u16 = from.trim_start_matches('n').split('@').next().unwrap().parse().unwrap_or(9999);
        n == 9999 || url == format!("smtp://127.0.0.1:{}", 2000 + n)
    };
    save(0).await;
    let saves = futures::future::join_all((1..=24).map(save));
    let reads = futures::future::join_all((0..48).map(|_| read()));
    let (_, seen) = tokio::join!(saves, reads);
    assert!(seen.iter().all(whole), "a read mixed two saves: {seen:?}");
    // Every node ends on the set saved last.
    let last = settings(&app, &admin).await;
    assert!(whole(&last));
    until("the peer on the last set", async || settings(&peer, &peer_admin).await["mail"] == last["mail"]).await;
    peer.stop().await;
    app.stop().await;
}
