//! Every GraphQL operation and WebSocket entry point × every kind of caller:
//! who gets past authorization (anything but `unauthenticated` or
//! `forbidden`) and who is refused. The table must name every field of
//! Query, Mutation and Subscription: a new operation without a row fails
//! here, so nobody adds one without deciding who may call it.
//!
//! Arguments name records that do not exist (id 999999) or are invalid, so
//! a caller who is let through gets `not_found` or an input error and
//! nothing changes; a check that ran after validation would show up as a
//! caller let through who should not be.

use std::collections::{BTreeMap, BTreeSet};

use futures::SinkExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::{
    harness::{TestApp, error_code},
    subscriptions::{open, read},
    ws::refused,
};

/// Anonymous, staff, manager, admin, bot (API token).
const CALLERS: [&str; 5] = ["anon", "staff", "manager", "admin", "bot"];
const SIGNED_IN: &str = "staff manager admin bot";
const EVERYONE: &str = "anon staff manager admin bot";
const NO_DAY: &str = "2030-01-01T00:00:00Z";

/// (field, operation, callers let through).
fn table() -> Vec<(&'static str, String, &'static str)> {
    let q = |s: &str| s.to_string();
    let proxy = format!(
        "mutation {{ createProxy(input: {{ proxyId: \"999999\", startsAt: \"{NO_DAY}\", endsAt: \"{NO_DAY}\" }}) {{ id }} }}"
    );
    vec![
        // Query
        ("me", q("{ me { id } }"), SIGNED_IN),
        ("apiTokens", q("{ apiTokens { id } }"), "admin"),
        ("user", q("{ user(id: \"999999\") { id } }"), SIGNED_IN),
        ("users", q("{ users(first: 1) { edges { cursor } } }"), SIGNED_IN),
        ("department", q("{ department(id: \"999999\") { id } }"), SIGNED_IN),
        ("departments", q("{ departments(first: 1) { edges { cursor } } }"), SIGNED_IN),
        ("roles", q("{ roles { code } }"), SIGNED_IN),
        // A bot names no proxies, but may list its own (there are none) and is
        // refused revoking others' as anyone is (`not_found`).
        ("proxies", q("{ proxies(first: 1) { edges { cursor } } }"), SIGNED_IN),
        ("templates", q("{ templates(first: 1) { edges { cursor } } }"), SIGNED_IN),
        ("template", q("{ template(code: \"nope\") { code } }"), SIGNED_IN),
        ("ticket", q("{ ticket(id: \"999999\") { id } }"), SIGNED_IN),
        ("ticketByNumber", q("{ ticketByNumber(number: \"nope\") { id } }"), SIGNED_IN),
        ("myTickets", q("{ myTickets(first: 1) { edges { cursor } } }"), SIGNED_IN),
        ("tickets", q("{ tickets(first: 1) { edges { cursor } } }"), "manager admin"),
        ("inbox", q("{ inbox(first: 1) { edges { cursor } } }"), SIGNED_IN),
        ("handledItems", q("{ handledItems(first: 1) { edges { cursor } } }"), SIGNED_IN),
        ("inboxCounts", q("{ inboxCounts { pending } }"), SIGNED_IN),
        ("projects", q("{ projects { pid } }"), "admin"),
        ("onlineUsers", q("{ onlineUsers { id } }"), SIGNED_IN),
        ("onlineUids", q("{ onlineUids(pid: \"nope\") }"), "admin"),
        ("notificationSettings", q("{ notificationSettings { language } }"), SIGNED_IN),
        ("deliveries", q("{ deliveries(first: 1) { id } }"), "admin"),
        ("robots", q("{ robots { id } }"), "admin"),
        ("channelSettings", q("{ channelSettings { mail { configured } } }"), "admin"),
        ("jobs", q("{ jobs { id } }"), "admin bot"),
        ("report", q("{ report { from } }"), "manager admin"),
        ("webhookSigningSecret", q("{ webhookSigningSecret }"), "admin"),
        // Mutation
        (
            "login",
            q("mutation { login(username: \"nobody\", password: \"wrong-password\") { accessToken } }"),
            EVERYONE,
        ),
        ("refreshToken", q("mutation { refreshToken(refreshToken: \"nope\") { accessToken } }"), EVERYONE),
        ("logout", q("mutation { logout(refreshToken: \"nope\") }"), EVERYONE),
        ("createApiToken", q("mutation { createApiToken(userId: \"999999\", name: \"x\") { secret } }"), "admin"),
        ("revokeApiToken", q("mutation { revokeApiToken(id: \"999999\") { id } }"), "admin"),
        ("createUser", q("mutation { createUser(input: { username: \"X\", displayName: \"\" }) { id } }"), "admin"),
        ("updateUser", q("mutation { updateUser(input: { id: \"999999\" }) { id } }"), "admin"),
        ("deactivateUser", q("mutation { deactivateUser(id: \"999999\") { id } }"), "admin"),
        ("reactivateUser", q("mutation { reactivateUser(id: \"999999\") { id } }"), "admin"),
        ("changePassword", q("mutation { changePassword(currentPassword: \"wrong\", newPassword: \"x\") }"), SIGNED_IN),
        ("createDepartment", q("mutation { createDepartment(input: { name: \"\" }) { id } }"), "admin"),
        ("updateDepartment", q("mutation { updateDepartment(input: { id: \"999999\" }) { id } }"), "admin"),
        ("deactivateDepartment", q("mutation { deactivateDepartment(id: \"999999\") { id } }"), "admin"),
        ("reactivateDepartment", q("mutation { reactivateDepartment(id: \"999999\") { id } }"), "admin"),
        ("createRole", q("mutation { createRole(code: \"X\", name: \"\") { id } }"), "admin"),
        ("renameRole", q("mutation { renameRole(id: \"999999\", name: \"x\") { id } }"), "admin"),
        ("createProxy", proxy, "staff manager admin"),
        (
            "updateNotificationSettings",
            q("mutation { updateNotificationSettings(language: \"xx\", muted: []) { language } }"),
            SIGNED_IN,
        ),
        ("retryDelivery", q("mutation { retryDelivery(id: \"999999\") }"), "admin"),
        ("retryDeadDeliveries", q("mutation { retryDeadDeliveries(channel: EMAIL) }"), "admin"),
        ("sendTestNotification", q("mutation { sendTestNotification(channel: EMAIL, userId: \"999999\") }"), "admin"),
        ("createRobot", q("mutation { createRobot(input: { name: \"\", webhookKey: \"x\" }) { id } }"), "admin"),
        ("deleteRobot", q("mutation { deleteRobot(id: \"999999\") }"), "admin"),
        (
            "updateChannelSettings",
            q("mutation { updateChannelSettings(input: { wecomAesKey: \"short\" }) { mail { configured } } }"),
            "admin",
        ),
        ("revokeProxy", q("mutation { revokeProxy(id: \"999999\") { id } }"), SIGNED_IN),
        (
            "createTemplate",
            q(
                "mutation { createTemplate(input: { code: \"X\", name: \"\", category: \"\", form: {}, chain: {} }) { code } }",
            ),
            "admin",
        ),
        (
            "updateTemplate",
            q(
                "mutation { updateTemplate(input: { code: \"nope\", name: \"\", category: \"\", form: {}, chain: {} }) { code } }",
            ),
            "admin",
        ),
        ("deactivateTemplate", q("mutation { deactivateTemplate(code: \"nope\") { code } }"), "admin"),
        ("reactivateTemplate", q("mutation { reactivateTemplate(code: \"nope\") { code } }"), "admin"),
        (
            "submitTicket",
            q("mutation { submitTicket(input: { templateCode: \"nope\", form: {} }) { replayed } }"),
            SIGNED_IN,
        ),
        (
            "resubmitTicket",
            q("mutation { resubmitTicket(input: { ticketId: \"999999\", form: {} }) { replayed } }"),
            SIGNED_IN,
        ),
        ("approve", q("mutation { approve(itemId: \"999999\") { replayed } }"), SIGNED_IN),
        ("confirm", q("mutation { confirm(itemId: \"999999\") { replayed } }"), SIGNED_IN),
        ("returnTicket", q("mutation { returnTicket(itemId: \"999999\", reason: \"x\") { replayed } }"), SIGNED_IN),
        ("reject", q("mutation { reject(itemId: \"999999\", reason: \"x\") { replayed } }"), SIGNED_IN),
        ("transfer", q("mutation { transfer(itemId: \"999999\", toUserId: \"999999\") { replayed } }"), SIGNED_IN),
        ("addApprover", q("mutation { addApprover(itemId: \"999999\", userId: \"999999\") { replayed } }"), SIGNED_IN),
        ("withdrawTicket", q("mutation { withdrawTicket(ticketId: \"999999\") { replayed } }"), SIGNED_IN),
        (
            "commentOnTicket",
            q("mutation { commentOnTicket(ticketId: \"999999\", body: \"x\") { replayed } }"),
            SIGNED_IN,
        ),
        ("urgeTicket", q("mutation { urgeTicket(ticketId: \"999999\") { replayed } }"), SIGNED_IN),
        ("rateTicket", q("mutation { rateTicket(ticketId: \"999999\", score: 3) { replayed } }"), SIGNED_IN),
        ("finishProcessing", q("mutation { finishProcessing(ticketId: \"999999\") { replayed } }"), "admin bot"),
        ("claimJobs", q("mutation { claimJobs(kinds: [\"nope\"]) { id } }"), "admin bot"),
        ("heartbeatJob", q("mutation { heartbeatJob(jobId: \"999999\") { id } }"), "admin bot"),
        ("completeJob", q("mutation { completeJob(jobId: \"999999\") { id } }"), "admin bot"),
        ("failJob", q("mutation { failJob(jobId: \"999999\", error: \"x\") { id } }"), "admin bot"),
        ("retryJob", q("mutation { retryJob(jobId: \"999999\") { id } }"), "admin"),
        ("skipJob", q("mutation { skipJob(jobId: \"999999\") { id } }"), "admin"),
        (
            "rejectProcessing",
            q("mutation { rejectProcessing(ticketId: \"999999\", reason: \"x\") { replayed } }"),
            "admin",
        ),
        ("createProject", q("mutation { createProject(pid: \"X\", name: \"\") { pid } }"), "admin"),
        ("rotateProjectSecret", q("mutation { rotateProjectSecret(pid: \"nope\") { pid } }"), "admin"),
        ("deactivateProject", q("mutation { deactivateProject(pid: \"nope\") { pid } }"), "admin"),
        // Subscription (run over graphql-ws below)
        ("ticketEvents", q("subscription { ticketEvents(ticketId: \"999999\") { id } }"), SIGNED_IN),
        ("myEvents", q("subscription { myEvents { id } }"), SIGNED_IN),
    ]
}

fn refused_code(code: Option<&str>) -> bool {
    matches!(code, Some("unauthenticated" | "forbidden"))
}

/// Field names of the schema's root types, by introspection.
async fn root_fields(app: &TestApp) -> BTreeSet<String> {
    let query = "{ __schema { queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }";
    let schema = app.gql_ok(None, query, json!({})).await;
    let mut out = BTreeSet::new();
    for root in ["queryType", "mutationType", "subscriptionType"] {
        for field in schema["__schema"][root]["fields"].as_array().unwrap() {
            out.insert(field["name"].as_str().unwrap().to_string());
        }
    }
    out
}

/// A graphql-ws connection whose `connection_init` carries no token.
async fn open_anonymous(app: &TestApp) -> crate::ws::Socket {
    use tokio_tungstenite::tungstenite::{client::IntoClientRequest, http::HeaderValue};
    let mut request = format!("ws://{}/graphql/ws", app.addr).into_client_request().unwrap();
    request.headers_mut().insert("sec-websocket-protocol", HeaderValue::from_static("graphql-transport-ws"));
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let init = json!({ "type": "connection_init", "payload": {} });
    socket.send(Message::Text(init.to_string().into())).await.unwrap();
    assert_eq!(read(&mut socket).await["type"], "connection_ack");
    socket
}

async fn subscription_code(app: &TestApp, token: Option<&str>, query: &str) -> Option<String> {
    let mut socket = match token {
        Some(token) => open(app, token).await,
        None => open_anonymous(app).await,
    };
    let frame = json!({ "id": "1", "type": "subscribe", "payload": { "query": query } });
    socket.send(Message::Text(frame.to_string().into())).await.unwrap();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(2);
    while let Ok(msg) = tokio::time::timeout_at(deadline, read(&mut socket)).await {
        let errors = match msg["type"].as_str() {
            Some("next") => &msg["payload"]["errors"],
            Some("error") => &msg["payload"],
            _ => continue,
        };
        return errors[0]["extensions"]["code"].as_str().map(String::from);
    }
    None // accepted and waiting for events
}

#[tokio::test]
async fn every_operation_lets_through_exactly_the_callers_it_names() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let bot = app.user_id(&admin, "ops-bot").await;
    let create = "mutation($u: ID!) { createApiToken(userId: $u, name: \"matrix\") { secret } }";
    let bot_token = app.gql_ok(Some(&admin), create, json!({ "u": bot })).await["createApiToken"]["secret"]
        .as_str()
        .unwrap()
        .to_string();
    let tokens: BTreeMap<&str, Option<String>> = [
        ("anon", None),
        ("staff", Some(app.token("alice").await)),
        ("manager", Some(app.token("liu.yang").await)),
        ("admin", Some(admin.clone())),
        ("bot", Some(bot_token)),
    ]
    .into_iter()
    .collect();

    let table = table();
    let named: BTreeSet<String> = table.iter().map(|(f, _, _)| f.to_string()).collect();
    let fields = root_fields(&app).await;
    assert!(fields.len() > 50, "read the root fields: {fields:?}");
    let missing: Vec<_> = fields.difference(&named).collect();
    let stale: Vec<_> = named.difference(&fields).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "operations without a row: {missing:?}; rows of no operation: {stale:?}"
    );

    let mut wrong = Vec::new();
    for (field, operation, allowed) in &table {
        for caller in CALLERS {
            let token = tokens[caller].as_deref();
            let code = if operation.starts_with("subscription") {
                subscription_code(&app, token, operation).await
            } else {
                let resp: Value = app.gql(token, operation, json!({})).await;
                assert!(resp.get("data").is_some() || resp.get("errors").is_some(), "{field} as {caller}: {resp}");
                error_code(&resp)
            };
            let let_through = !refused_code(code.as_deref());
            let expected = allowed.split(' ').any(|a| a == caller);
            if let_through != expected {
                wrong.push(format!(
                    "{field} as {caller}: {code:?} (expected {})",
                    if expected { "through" } else { "refused" }
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));

    // Nothing the dummy arguments named was created or changed.
    let users = app.gql_ok(Some(&admin), "{ users(first: 100) { edges { cursor } } }", json!({})).await;
    assert_eq!(users["users"]["edges"].as_array().unwrap().len(), 30);
    app.stop().await;
}

#[tokio::test]
async fn websocket_entry_points_need_a_caller() {
    let app = TestApp::spawn().await;
    // /ws/connect: a token of any signed-in kind, or a project signature.
    let (status, body) = refused(&app, "").await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("unauthenticated")));
    for user in ["alice", "liu.yang", "admin"] {
        let token = app.token(user).await;
        crate::ws::connect(&app, &format!("token={token}")).await;
    }
    // /ws/push: a project signature only; a user's token is not one.
    let alice = app.token("alice").await;
    let resp = app
        .client
        .post(app.url("/ws/push"))
        .bearer_auth(&alice)
        .json(&json!({ "pid": "demo", "uids": ["u1"], "data": {} }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    app.stop().await;
}
