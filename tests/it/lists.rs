//! The lists people read: their tickets newest first, paged both ways, and
//! an approver's handled items (已处理) beside the inbox.

use serde_json::{Value, json};

use crate::{
    flow::{People, leave},
    harness::TestApp,
};

fn numbers(connection: &Value) -> Vec<String> {
    connection["edges"].as_array().unwrap().iter().map(|e| e["node"]["number"].as_str().unwrap().to_string()).collect()
}

const MINE: &str = "query($first: Int, $after: String, $last: Int, $before: String, $order: ListOrder) {
    myTickets(first: $first, after: $after, last: $last, before: $before, order: $order) {
        edges { node { number } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";

#[tokio::test]
async fn ticket_lists_are_newest_first_by_default_and_page_both_ways() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let mut filed = Vec::new();
    for _ in 0..5 {
        filed.push(p.submit("alice", "leave", leave(1.0)).await["number"].as_str().unwrap().to_string());
    }
    let newest: Vec<String> = filed.iter().rev().cloned().collect();
    let alice = p.token("alice").await;
    let page = |vars: Value| {
        let (app, alice) = (&app, alice.clone());
        async move { app.gql_ok(Some(&alice), MINE, vars).await["myTickets"].clone() }
    };

    let first = page(json!({ "first": 2 })).await;
    assert_eq!(numbers(&first), newest[..2], "the latest tickets come first");
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let second = page(json!({ "first": 2, "after": first["pageInfo"]["endCursor"] })).await;
    assert_eq!(numbers(&second), newest[2..4]);
    let third = page(json!({ "first": 2, "after": second["pageInfo"]["endCursor"] })).await;
    assert_eq!(numbers(&third), newest[4..]);
    assert_eq!(third["pageInfo"]["hasNextPage"], false);

    // Backwards from the end of the list (the oldest), still in list order.
    let tail = page(json!({ "last": 2 })).await;
    assert_eq!(numbers(&tail), newest[3..]);
    let before = page(json!({ "last": 2, "before": tail["pageInfo"]["startCursor"] })).await;
    assert_eq!(numbers(&before), newest[1..3]);
    assert_eq!(before["pageInfo"]["hasPreviousPage"], true);

    let oldest = page(json!({ "first": 2, "order": "OLDEST_FIRST" })).await;
    assert_eq!(numbers(&oldest), filed[..2]);

    let admin = p.token("admin").await;
    let all = app.gql_ok(Some(&admin), "{ tickets(first: 1) { edges { node { number } } } }", json!({})).await;
    assert_eq!(numbers(&all["tickets"]), newest[..1]);
    app.stop().await;
}

#[tokio::test]
async fn an_approver_sees_the_items_they_decided_most_recent_first() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let mut tickets = Vec::new();
    for _ in 0..3 {
        tickets.push(p.submit("alice", "leave", leave(1.0)).await);
    }
    p.approve("bob", &tickets[0]["id"]).await;
    let item = p.item("bob", &tickets[2]["id"]).await;
    let returned = p.act("bob", "returnTicket", &item, ", reason: \"dates?\"").await;
    assert!(returned.get("errors").is_none(), "{returned}");

    let bob = p.token("bob").await;
    let q = "{ handledItems { edges { node { status reason ticket { number } decidedBy { username } } } }
               inbox { edges { node { ticket { number } } } } }";
    let data = app.gql_ok(Some(&bob), q, json!({})).await;
    let handled = data["handledItems"]["edges"].as_array().unwrap();
    let seen: Vec<(&str, &str)> = handled
        .iter()
        .map(|e| (e["node"]["ticket"]["number"].as_str().unwrap(), e["node"]["status"].as_str().unwrap()))
        .collect();
    let number = |i: usize| tickets[i]["number"].as_str().unwrap();
    assert_eq!(seen, [(number(2), "RETURNED"), (number(0), "APPROVED")], "{data}");
    assert_eq!(handled[0]["node"]["decidedBy"]["username"], "bob");
    assert_eq!(handled[0]["node"]["reason"], "dates?");
    // What is still waiting is in the inbox, not among the handled.
    let waiting: Vec<&str> = data["inbox"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["ticket"]["number"].as_str().unwrap())
        .collect();
    assert_eq!(waiting, [number(1)]);
    // Nobody else's decisions show.
    let carol = p.token("carol").await;
    let none = app.gql_ok(Some(&carol), "{ handledItems { edges { node { id } } } }", json!({})).await;
    assert_eq!(none["handledItems"]["edges"].as_array().unwrap().len(), 0);
    app.stop().await;
}
