//! Concurrency, idempotency and bad input: one decision per step however
//! many calls race, retries under a client mutation id act once, and every
//! refused request leaves the ticket and its timeline as they were.

use serde_json::{Value, json};

use crate::{
    flow::{People, leave, timeline},
    harness::TestApp,
};

#[tokio::test]
async fn fifty_concurrent_approvals_make_one_decision() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let t = p.submit("alice", "leave", leave(1.0)).await;
    let item = p.item("bob", &t["id"]).await;
    let bob = p.token("bob").await;
    let calls = (0..50).map(|_| {
        let (app, bob, item) = (&app, bob.clone(), item.clone());
        async move {
            app.gql(Some(&bob), "mutation($i: ID!) { approve(itemId: $i) { ticket { status } } }", json!({ "i": item }))
                .await
        }
    });
    let results: Vec<Value> = futures::future::join_all(calls).await;
    let ok = results.iter().filter(|r| r.get("errors").is_none()).count();
    let conflicts = results.iter().filter(|r| r["errors"][0]["extensions"]["code"] == "conflict").count();
    assert_eq!(ok, 1, "exactly one approval wins");
    assert_eq!(conflicts, 49, "every other call is told it lost: {results:?}");
    let after = p.ticket("alice", &t["id"]).await;
    assert_eq!(after["result"], "APPROVED");
    assert_eq!(after["items"].as_array().unwrap().iter().filter(|i| i["status"] == "APPROVED").count(), 1);
    assert_eq!(timeline(&after), ["submitted", "approved"]);
    app.stop().await;
}

#[tokio::test]
async fn retries_with_a_client_mutation_id_act_once() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let alice = p.token("alice").await;
    let submit = "mutation($i: SubmitTicketInput!) { submitTicket(input: $i) { replayed clientMutationId ticket { id number } } }";
    let input = json!({ "i": { "templateCode": "leave", "form": leave(1.0), "clientMutationId": "leave-2026-12-01" } });
    let first = app.gql_ok(Some(&alice), submit, input.clone()).await["submitTicket"].clone();
    let second = app.gql_ok(Some(&alice), submit, input.clone()).await["submitTicket"].clone();
    assert_eq!(first["replayed"], false);
    assert_eq!(second["replayed"], true);
    assert_eq!(first["ticket"]["id"], second["ticket"]["id"]);
    let mine = app.gql_ok(Some(&alice), "{ myTickets { edges { node { id } } } }", json!({})).await;
    assert_eq!(mine["myTickets"]["edges"].as_array().unwrap().len(), 1, "one ticket, not two");

    // Concurrent retries of one approval: one acts, the others replay it.
    let item = p.item("bob", &first["ticket"]["id"]).await;
    let bob = p.token("bob").await;
    let approve =
        "mutation($i: ID!) { approve(itemId: $i, clientMutationId: \"ok-1\") { replayed ticket { status } } }";
    let calls = (0..8).map(|_| app.gql(Some(&bob), approve, json!({ "i": item })));
    let results = futures::future::join_all(calls).await;
    assert!(results.iter().all(|r| r.get("errors").is_none()), "{results:?}");
    assert_eq!(results.iter().filter(|r| r["data"]["approve"]["replayed"] == false).count(), 1);
    let t = p.ticket("alice", &first["ticket"]["id"]).await;
    assert_eq!(timeline(&t), ["submitted", "approved"]);

    // The same id for another operation is refused.
    let reuse = json!({ "i": { "templateCode": "leave", "form": leave(1.0), "clientMutationId": "ok-1" } });
    assert_eq!(app.gql_err(Some(&bob), submit, reuse).await, "client_mutation_id_reused");
    app.stop().await;
}

async fn snapshot(p: &mut People<'_>, ticket: &Value) -> (Value, usize) {
    let t = p.ticket("alice", ticket).await;
    let events = t["timeline"].as_array().unwrap().len();
    (json!({ "status": t["status"], "items": t["items"], "form": t["form"] }), events)
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let alice = p.token("alice").await;
    let submit = "mutation($i: SubmitTicketInput!) { submitTicket(input: $i) { ticket { id } } }";

    assert_eq!(
        app.gql_err(Some(&alice), submit, json!({ "i": { "templateCode": "nope", "form": {} } })).await,
        "not_found"
    );
    let resp = app
        .gql(Some(&alice), submit, json!({ "i": { "templateCode": "leave", "form": { "days": "many", "leave_type": "holiday", "extra": 1 } } }))
        .await;
    assert_eq!(resp["errors"][0]["extensions"]["code"], "invalid_input");
    let mut fields: Vec<(String, String)> = resp["errors"][0]["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap().to_string(), f["code"].as_str().unwrap().to_string()))
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            ("form.days", "wrong_type"),
            ("form.extra", "unknown_field"),
            ("form.leave_type", "not_an_option"),
            ("form.reason", "required"),
            ("form.start_date", "required"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let mine = app.gql_ok(Some(&alice), "{ myTickets { edges { node { id } } } }", json!({})).await;
    assert_eq!(mine["myTickets"]["edges"].as_array().unwrap().len(), 0, "nothing was filed");

    let t = p.submit("alice", "leave", leave(1.0)).await;
    let item = p.item("bob", &t["id"]).await;
    let before = snapshot(&mut p, &t["id"]).await;

    // Someone else's item: the applicant sees the ticket but is not its approver.
    let resp = p.act("alice", "approve", &item, "").await;
    assert_eq!(resp["errors"][0]["extensions"]["code"], "not_an_approver");
    // A stranger does not even learn that the item exists.
    let resp = p.act("zhang.min", "approve", &item, "").await;
    assert_eq!(resp["errors"][0]["extensions"]["code"], "not_found");
    let resp = p.act("bob", "approve", "999999", "").await;
    assert_eq!(resp["errors"][0]["extensions"]["code"], "not_found");
    let resp = p.act("bob", "confirm", &item, "").await;
    assert_eq!(resp["errors"][0]["extensions"]["code"], "wrong_action_for_step");
    let resp = p.act("bob", "transfer", &item, ", toUserId: \"424242\"").await;
    assert_eq!(resp["errors"][0]["extensions"]["code"], "invalid_reference");
    assert_eq!(snapshot(&mut p, &t["id"]).await, before, "refusals changed nothing");

    // Acting twice, and acting on a done ticket.
    p.act("bob", "approve", &item, "").await;
    let done = snapshot(&mut p, &t["id"]).await;
    let resp = p.act("bob", "approve", &item, "").await;
    assert_eq!(resp["errors"][0]["extensions"]["code"], "conflict");
    let resp = p.act("bob", "reject", &item, ", reason: \"changed my mind\"").await;
    assert_eq!(resp["errors"][0]["extensions"]["code"], "conflict");
    let withdraw = "mutation($t: ID!) { withdrawTicket(ticketId: $t) { ticket { id } } }";
    assert_eq!(app.gql_err(Some(&alice), withdraw, json!({ "t": t["id"] })).await, "conflict");
    assert_eq!(snapshot(&mut p, &t["id"]).await, done, "nothing changed after DONE");
    app.stop().await;
}

#[tokio::test]
async fn only_the_people_concerned_see_a_ticket() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let t = p.submit("alice", "leave", leave(1.0)).await;
    assert!(p.ticket("bob", &t["id"]).await.is_object(), "the approver");
    assert!(p.ticket("admin", &t["id"]).await.is_object(), "an admin");
    assert!(p.ticket("zhang.min", &t["id"]).await.is_null(), "a colleague of the same team");
    let zhang = p.token("zhang.min").await;
    let by_number = app
        .gql_ok(Some(&zhang), "query($n: String!) { ticketByNumber(number: $n) { id } }", json!({ "n": t["number"] }))
        .await;
    assert!(by_number["ticketByNumber"].is_null());
    assert_eq!(app.gql_err(Some(&zhang), "{ tickets { edges { node { id } } } }", json!({})).await, "forbidden");
    let comment = "mutation($t: ID!) { commentOnTicket(ticketId: $t, body: \"+1\") { ticket { id } } }";
    assert_eq!(app.gql_err(Some(&zhang), comment, json!({ "t": t["id"] })).await, "not_found");
    let bob = p.token("bob").await;
    app.gql_ok(Some(&bob), comment, json!({ "t": t["id"] })).await;
    let seen = p.ticket("alice", &t["id"]).await;
    assert_eq!(timeline(&seen), ["submitted", "commented"]);
    app.stop().await;
}

#[tokio::test]
async fn urging_is_rate_limited_and_lists_filter() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let t = p.submit("alice", "leave", leave(1.0)).await;
    let alice = p.token("alice").await;
    let urge = "mutation($t: ID!) { urgeTicket(ticketId: $t) { ticket { lastUrgedAt } } }";
    let first = app.gql_ok(Some(&alice), urge, json!({ "t": t["id"] })).await;
    assert!(!first["urgeTicket"]["ticket"]["lastUrgedAt"].is_null());
    assert_eq!(app.gql_err(Some(&alice), urge, json!({ "t": t["id"] })).await, "rate_limited");
    let bob = p.token("bob").await;
    assert_eq!(app.gql_err(Some(&bob), urge, json!({ "t": t["id"] })).await, "not_applicant");

    let e = p
        .submit(
            "alice",
            "expense",
            json!({ "amount": "99.90", "category": "meals", "spent_on": "2026-11-02", "description": "team lunch" }),
        )
        .await;
    p.approve("bob", &e["id"]).await;
    let list = "query($s: TicketStatus, $c: String, $q: String) { myTickets(status: $s, templateCode: $c, search: $q) { edges { node { number status } } } }";
    let count = |v: &Value| v["myTickets"]["edges"].as_array().unwrap().len();
    assert_eq!(count(&app.gql_ok(Some(&alice), list, json!({})).await), 2);
    assert_eq!(count(&app.gql_ok(Some(&alice), list, json!({ "s": "DONE" })).await), 1);
    assert_eq!(count(&app.gql_ok(Some(&alice), list, json!({ "c": "leave" })).await), 1);
    assert_eq!(count(&app.gql_ok(Some(&alice), list, json!({ "q": e["number"] })).await), 1);
    assert_eq!(
        count(&app.gql_ok(Some(&alice), list, json!({ "q": "Expense" })).await),
        1,
        "titles default to the template name"
    );
    app.stop().await;
}
