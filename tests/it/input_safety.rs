//! What clients send that must be refused with a clear code and change
//! nothing: search strings, text with NUL, bidi overrides or nothing
//! visible, bodies that are not JSON, queries that would answer megabytes of
//! errors; and what refusals must not say (parser internals, wrong ids, the
//! status of a ticket the caller may not see).

use serde_json::{Value, json};

use crate::{
    flow::{People, leave},
    harness::{TestApp, error_code},
};

const MY_TICKETS: &str = "query($s: String) { myTickets(search: $s) { edges { node { id title } } } }";

async fn my_ticket_count(app: &TestApp, token: &str) -> usize {
    app.gql_ok(Some(token), MY_TICKETS, json!({ "s": null })).await["myTickets"]["edges"].as_array().unwrap().len()
}

#[tokio::test]
async fn search_strings_are_bounded_escaped_and_free_of_control_characters() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let alice = p.token("alice").await;
    let submit = "mutation($i: SubmitTicketInput!) { submitTicket(input: $i) { ticket { id } } }";
    for title in ["100% done", "under_score trip", "plain trip"] {
        let input = json!({ "i": { "templateCode": "leave", "title": title, "form": leave(1.0) } });
        app.gql_ok(Some(&alice), submit, input).await;
    }
    let found = |resp: Value| -> Vec<String> {
        resp["myTickets"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["title"].as_str().unwrap().into())
            .collect()
    };
    // `%` and `_` are literal characters, not wildcards.
    assert_eq!(found(app.gql_ok(Some(&alice), MY_TICKETS, json!({ "s": "%" })).await), ["100% done"]);
    assert_eq!(found(app.gql_ok(Some(&alice), MY_TICKETS, json!({ "s": "_" })).await), ["under_score trip"]);
    assert_eq!(found(app.gql_ok(Some(&alice), MY_TICKETS, json!({ "s": "TRIP" })).await).len(), 2);

    let huge = "a".repeat(50 * 1024);
    for bad in [huge.as_str(), "a\0", "\0", "trip\u{202E}"] {
        assert_eq!(
            app.gql_err(Some(&alice), MY_TICKETS, json!({ "s": bad })).await,
            "invalid_search",
            "{:?}",
            &bad[..bad.len().min(8)]
        );
    }
    let admin = p.token("admin").await;
    let users = "query($s: String) { users(search: $s) { edges { node { id } } } }";
    assert_eq!(app.gql_err(Some(&admin), users, json!({ "s": huge })).await, "invalid_search");
    assert_eq!(app.gql_err(Some(&admin), users, json!({ "s": "\0" })).await, "invalid_search");
    let tickets = "query($s: String) { tickets(search: $s) { edges { node { id } } } }";
    assert_eq!(app.gql_err(Some(&admin), tickets, json!({ "s": "x\0y" })).await, "invalid_search");
    app.stop().await;
}

#[tokio::test]
async fn text_with_nul_bidi_overrides_or_nothing_visible_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let alice = p.token("alice").await;
    let submit = "mutation($i: SubmitTicketInput!) { submitTicket(input: $i) { ticket { id } } }";
    for title in ["a\0b", "invoice \u{202E}fdp.exe", "\u{200B}\u{200B}", "\u{3164}", "x\u{2066}y"] {
        let input = json!({ "i": { "templateCode": "leave", "title": title, "form": leave(1.0) } });
        assert_eq!(app.gql_err(Some(&alice), submit, input).await, "invalid_title", "{title:?}");
    }
    let mut form = leave(1.0);
    form["reason"] = json!("family\0trip");
    assert_eq!(p.submit_err("alice", "leave", form).await, "invalid_text");
    let mut form = leave(1.0);
    form["reason"] = json!("two lines\nare fine");
    let t = p.submit("alice", "leave", form).await;
    assert_eq!(my_ticket_count(&app, &alice).await, 1, "only the good ticket was filed");

    let comment = "mutation($t: ID!, $b: String!) { commentOnTicket(ticketId: $t, body: $b) { ticket { id } } }";
    for body in ["x\0", "\u{202D}reversed", "\u{200B}"] {
        let resp = app.gql(Some(&alice), comment, json!({ "t": t["id"], "b": body })).await;
        assert_eq!(error_code(&resp).as_deref(), Some("invalid_comment"), "{body:?}: {resp}");
    }
    let item = p.item("bob", &t["id"]).await;
    let resp = p.act("bob", "reject", &item, ", reason: \"no\\u0000\"").await;
    assert_eq!(error_code(&resp).as_deref(), Some("invalid_comment"), "{resp}");
    let resp = p.act("bob", "approve", &item, ", comment: \"ok\\u202e\"").await;
    assert_eq!(error_code(&resp).as_deref(), Some("invalid_comment"), "{resp}");
    let after = p.ticket("alice", &t["id"]).await;
    assert_eq!(after["status"], "IN_APPROVAL");
    assert_eq!(after["timeline"].as_array().unwrap().len(), 1, "nothing but the submission: {after}");

    let admin = p.token("admin").await;
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }";
    for name in ["Evil\u{202E}Name", "\u{200B}", "nul\0"] {
        let input = json!({ "i": { "username": "newbie", "displayName": name, "password": "long-enough-1" } });
        assert_eq!(app.gql_err(Some(&admin), create, input).await, "invalid_name", "{name:?}");
    }
    let users =
        app.gql_ok(Some(&admin), "query { users(search: \"newbie\") { edges { node { id } } } }", json!({})).await;
    assert!(users["users"]["edges"].as_array().unwrap().is_empty(), "no user was created");
    app.stop().await;
}

#[tokio::test]
async fn bodies_that_are_not_json_are_refused_and_errors_name_no_internals() {
    let app = TestApp::spawn().await;
    let query = r#"{"query":"{ __typename }"}"#;
    for content_type in
        [Some("application/x-www-form-urlencoded"), Some("text/plain"), Some("multipart/form-data"), None]
    {
        let mut request = app.client.post(app.url("/graphql")).body(query);
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        let resp = request.send().await.unwrap();
        assert_eq!(resp.status(), 415, "{content_type:?}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "unsupported_media_type");
    }
    for ok in ["application/json", "application/json; charset=utf-8", "application/graphql-request+json"] {
        let resp = app.client.post(app.url("/graphql")).header("content-type", ok).body(query).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{ok}");
    }
    let raw = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/graphql")
        .body("{ __typename }")
        .send()
        .await
        .unwrap();
    let raw: Value = raw.json().await.unwrap();
    assert_eq!(raw["data"]["__typename"], "Query");

    for bad in ["[1, 2]", "{\"query\": 42}", "{not json", "\"text\""] {
        let resp = app
            .client
            .post(app.url("/graphql"))
            .header("content-type", "application/json")
            .body(bad)
            .send()
            .await
            .unwrap();
        let text = resp.text().await.unwrap();
        for internal in ["untagged", "enum", "BatchRequest", "serde"] {
            assert!(!text.contains(internal), "{bad:?} answered {text}");
        }
        assert!(text.contains("invalid_json"), "{text}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_query_full_of_errors_answers_a_bounded_list() {
    let app = TestApp::spawn().await;
    let query = format!("query Q {} {{ __typename }}", "@nope ".repeat(20_000));
    let resp = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(resp.len() < 20_000, "{} bytes of errors", resp.len());
    let resp: Value = serde_json::from_str(&resp).unwrap();
    let errors = resp["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 21);
    assert_eq!(errors[0]["extensions"]["code"], "invalid_query");
    assert_eq!(errors[20]["extensions"]["code"], "too_many_errors");
    app.stop().await;
}

#[tokio::test]
async fn refusals_name_no_wrong_id_and_reveal_nothing_of_tickets_out_of_sight() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let t = p.submit("alice", "leave", leave(1.0)).await;
    let item = p.item("bob", &t["id"]).await;
    // Zhang Min may see the item id if someone leaks it, but is not its approver.
    let resp = p.act("zhang.min", "approve", &item, "").await;
    let message = resp["errors"][0]["message"].as_str().unwrap_or_default().to_string();
    let code = error_code(&resp).unwrap_or_default();
    assert!(code == "not_found" || code == "not_an_approver", "{resp}");
    assert!(!message.contains("item 0") && !message.contains("user "), "{message}");

    // The ops bot runs automations: of a ticket still in approval, which it
    // may not see, it learns nothing, not even the status.
    let admin = p.token("admin").await;
    let bot = p.id_of("ops-bot").await;
    let create = "mutation($u: ID!) { createApiToken(userId: $u, name: \"ops\") { secret } }";
    let secret = app.gql_ok(Some(&admin), create, json!({ "u": bot })).await["createApiToken"]["secret"]
        .as_str()
        .unwrap()
        .to_string();
    let finish = "mutation($t: ID!) { finishProcessing(ticketId: $t) { ticket { status } } }";
    let resp = app.gql(Some(&secret), finish, json!({ "t": t["id"] })).await;
    assert_eq!(error_code(&resp).as_deref(), Some("not_found"), "{resp}");
    assert!(!resp.to_string().contains("in_approval"), "{resp}");
    // An admin may see it and is told why.
    assert_eq!(app.gql_err(Some(&admin), finish, json!({ "t": t["id"] })).await, "not_processing");
    app.stop().await;
}

#[tokio::test]
async fn bots_never_hold_approval_items() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let bot = p.id_of("ops-bot").await;
    let t = p.submit("alice", "leave", leave(1.0)).await;
    let item = p.item("bob", &t["id"]).await;
    for (mutation, arg) in [("transfer", "toUserId"), ("addApprover", "userId")] {
        let resp = p.act("bob", mutation, &item, &format!(", {arg}: \"{bot}\"")).await;
        assert_eq!(error_code(&resp).as_deref(), Some("bot_cannot_approve"), "{mutation}: {resp}");
    }
    assert_eq!(crate::flow::pending(&p.ticket("alice", &t["id"]).await), ["bob"], "unchanged");

    let bob = p.token("bob").await;
    let now = chrono::Utc::now();
    let window = json!({ "i": { "proxyId": bot, "startsAt": now.to_rfc3339(),
        "endsAt": (now + chrono::Duration::days(1)).to_rfc3339() } });
    let proxy = "mutation($i: CreateProxyInput!) { createProxy(input: $i) { id } }";
    assert_eq!(app.gql_err(Some(&bob), proxy, window).await, "bot_cannot_approve");

    let admin = p.token("admin").await;
    let template = json!({ "i": {
        "code": "bot-approves", "name": "Bot approves", "category": "IT",
        "form": { "fields": [{ "key": "what", "label": "What", "type": "text", "required": true }] },
        "chain": { "steps": [{ "name": "Bot", "kind": "approve", "approvers": [{ "type": "users", "ids": [bot.parse::<i64>().unwrap()] }] }] }
    } });
    let resp =
        app.gql(Some(&admin), "mutation($i: TemplateInput!) { createTemplate(input: $i) { code } }", template).await;
    let fields = resp["errors"][0]["extensions"]["fields"].to_string();
    assert!(
        fields.contains("bot_cannot_approve") || error_code(&resp).as_deref() == Some("bot_cannot_approve"),
        "{resp}"
    );
    app.stop().await;
}
