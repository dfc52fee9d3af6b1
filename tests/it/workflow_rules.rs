//! Resolution rules people expect: proxies in and out of their window,
//! self-approval, missing heads, confirm steps and automations.

use serde_json::json;

use crate::{
    flow::{People, leave, pending, timeline},
    harness::TestApp,
};

const CREATE_PROXY: &str = "mutation($i: CreateProxyInput!) { createProxy(input: $i) { id } }";

#[tokio::test]
async fn proxies_in_and_out_of_their_window() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let carol = p.id_of("carol").await;
    let bob = p.token("bob").await;
    let now = chrono::Utc::now();
    let day = chrono::Duration::days(1);

    // Out of window: the proxy starts tomorrow, so Bob is asked himself.
    let later = json!({ "i": { "proxyId": carol, "startsAt": (now + day).to_rfc3339(), "endsAt": (now + day * 3).to_rfc3339() } });
    app.gql_ok(Some(&bob), CREATE_PROXY, later).await;
    let t = p.submit("alice", "leave", leave(1.0)).await;
    assert_eq!(pending(&t), ["bob"]);

    // In window (scoped to leave): Carol is asked on Bob's behalf; both see it.
    let admin = p.token("admin").await;
    let bob_id = p.id_of("bob").await;
    let now_window = json!({ "i": { "principalId": bob_id, "proxyId": carol, "templateCode": "leave",
        "startsAt": (now - day).to_rfc3339(), "endsAt": (now + chrono::Duration::hours(12)).to_rfc3339() } });
    let proxy = app.gql_ok(Some(&admin), CREATE_PROXY, now_window).await;
    let t2 = p.submit("alice", "leave", leave(1.0)).await;
    assert_eq!(pending(&t2), ["carol"]);
    assert_eq!(t2["items"][0]["onBehalfOf"]["username"], "bob");
    let bob_inbox = app.gql_ok(Some(&bob), "{ inboxCounts { pending } }", json!({})).await;
    assert_eq!(bob_inbox["inboxCounts"]["pending"], 2, "his own item and the one his proxy holds");
    // Another template is out of the proxy's scope.
    let e = p
        .submit(
            "alice",
            "expense",
            json!({ "amount": "10", "category": "meals", "spent_on": "2026-11-01", "description": "x" }),
        )
        .await;
    assert_eq!(pending(&e), ["bob"]);

    let done = p.approve("carol", &t2["id"]).await;
    let decided = done["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(decided["actor"]["username"], "carol");
    assert_eq!(decided["onBehalfOf"]["username"], "bob", "the record says both");

    // Revoking hands open items back to the principal.
    let t3 = p.submit("alice", "leave", leave(1.0)).await;
    assert_eq!(pending(&t3), ["carol"]);
    let revoke = "mutation($i: ID!) { revokeProxy(id: $i) { revokedAt } }";
    app.gql_ok(Some(&admin), revoke, json!({ "i": proxy["createProxy"]["id"] })).await;
    let back = p.ticket("alice", &t3["id"]).await;
    assert_eq!(pending(&back), ["bob"]);
    assert_eq!(timeline(&back), ["submitted", "transferred"]);
    p.approve("bob", &t3["id"]).await;
    app.stop().await;
}

#[tokio::test]
async fn applicants_never_approve_their_own_tickets() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    // Bob heads Platform: the leave template skips him, so with 1 day there is no step left.
    let own = p.submit("bob", "leave", leave(1.0)).await;
    assert_eq!((own["status"].as_str(), own["result"].as_str()), (Some("DONE"), Some("APPROVED")));
    // With 5 days only HR is asked.
    let own = p.submit("bob", "leave", leave(5.0)).await;
    assert_eq!(pending(&own), ["carol", "ma.xin", "sun.li"]);
    // Carol is HR herself: her countersign is skipped, the others still sign.
    let hers = p.submit("carol", "leave", leave(5.0)).await;
    let hr_step: Vec<_> = pending(&p.ticket("carol", &hers["id"]).await);
    assert_eq!(hr_step, ["sun.li"], "sun.li heads HR; carol and ma.xin: ma.xin countersigns after");
    app.stop().await;
}

#[tokio::test]
async fn pass_up_sends_a_managers_own_expense_above_them() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    // The expense template passes up: wang.fang (finance head) claiming 20000
    // is her own finance approver, so that step goes up to the head above Finance.
    let t = p
        .submit(
            "wang.fang",
            "expense",
            json!({ "amount": "20000", "category": "training", "spent_on": "2026-11-01", "description": "course" }),
        )
        .await;
    assert_eq!(pending(&t), ["zhao.wei"], "her manager first");
    let t = p.approve("zhao.wei", &t["id"]).await;
    let finance = pending(&t);
    assert!(!finance.contains(&"wang.fang".to_string()), "{finance:?}");
    assert!(finance.contains(&"zhao.wei".to_string()), "passed up to the head above Finance: {finance:?}");
    app.stop().await;
}

#[tokio::test]
async fn a_missing_head_escalates_to_the_next_head_up() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    let platform = app
        .gql_ok(Some(&admin), "{ users(search: \"alice\") { edges { node { department { id } } } } }", json!({}))
        .await;
    let platform = platform["users"]["edges"][0]["node"]["department"]["id"].clone();
    let clear = "mutation($i: UpdateDepartmentInput!) { updateDepartment(input: $i) { head { id } } }";
    app.gql_ok(Some(&admin), clear, json!({ "i": { "id": platform, "headId": null } })).await;
    let t = p.submit("alice", "leave", leave(1.0)).await;
    assert_eq!(pending(&t), ["chen.jie"], "head of R&D, one level up");

    // A deactivated head counts as missing too.
    let chen = p.id_of("chen.jie").await;
    app.gql_ok(Some(&admin), "mutation($i: ID!) { deactivateUser(id: $i) { id } }", json!({ "i": chen })).await;
    let t = p.submit("alice", "leave", leave(1.0)).await;
    assert_eq!(pending(&t), ["zhao.wei"]);
    app.stop().await;
}

#[tokio::test]
async fn confirm_steps_and_automations() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let form = json!({ "system": "grafana", "level": "read", "justification": "on-call dashboards" });
    let t = p.submit("alice", "it-access", form).await;
    p.approve("bob", &t["id"]).await;
    let item = p.item("song.jia", &t["id"]).await;
    let wrong = p.act("song.jia", "approve", &item, "").await;
    assert_eq!(wrong["errors"][0]["extensions"]["code"], "wrong_action_for_step");
    let resp = p.act("song.jia", "confirm", &item, "").await;
    let processing = &resp["data"]["confirm"]["ticket"];
    assert_eq!(processing["status"], "PROCESSING", "approved; automations run next");
    assert!(processing["result"].is_null());

    // The ops bot reports the automations done with its API token.
    let admin = p.token("admin").await;
    let bot = p.id_of("ops-bot").await;
    let secret = app
        .gql_ok(
            Some(&admin),
            "mutation($u: ID!) { createApiToken(userId: $u, name: \"ops\") { secret } }",
            json!({ "u": bot }),
        )
        .await["createApiToken"]["secret"]
        .as_str()
        .unwrap()
        .to_string();
    let finish = "mutation($t: ID!) { finishProcessing(ticketId: $t) { ticket { status result } } }";
    let alice = p.token("alice").await;
    assert_eq!(app.gql_err(Some(&alice), finish, json!({ "t": t["id"] })).await, "forbidden");
    let done = app.gql_ok(Some(&secret), finish, json!({ "t": t["id"] })).await;
    assert_eq!(done["finishProcessing"]["ticket"]["result"], "APPROVED");
    // Done, the ticket is no longer the bot's business: it learns nothing more.
    assert_eq!(app.gql_err(Some(&secret), finish, json!({ "t": t["id"] })).await, "not_found");
    assert_eq!(app.gql_err(Some(&admin), finish, json!({ "t": t["id"] })).await, "conflict");
    app.stop().await;
}
