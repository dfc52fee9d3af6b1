//! Satisfaction (满意度): only the applicant rates, only a DONE ticket,
//! 1 to 5, once — however many requests race — and the rating shows on
//! the ticket and its timeline.

use serde_json::json;

use crate::{
    flow::{People, leave, timeline},
    harness::{TestApp, error_code},
};

const RATE: &str = "mutation($t: ID!, $s: Int!, $c: String, $m: String) {
    rateTicket(ticketId: $t, score: $s, comment: $c, clientMutationId: $m) { replayed ticket { id } } }";
const RATING: &str = "query($t: ID!) { ticket(id: $t) { rating { score comment ratedAt } } }";

#[tokio::test]
async fn the_applicant_rates_a_finished_ticket_once() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let (alice, bob) = (p.token("alice").await, p.token("bob").await);
    let open = p.submit("alice", "leave", leave(1.0)).await;
    let refused = app.gql(Some(&alice), RATE, json!({ "t": open["id"], "s": 5 })).await;
    assert_eq!(error_code(&refused).as_deref(), Some("not_done"), "{refused}");

    let t = p.submit("alice", "leave", leave(1.0)).await;
    p.approve("bob", &t["id"]).await;
    let by_bob = app.gql(Some(&bob), RATE, json!({ "t": t["id"], "s": 5 })).await;
    assert_eq!(error_code(&by_bob).as_deref(), Some("not_applicant"));
    for bad in [0, 6] {
        let r = app.gql(Some(&alice), RATE, json!({ "t": t["id"], "s": bad })).await;
        assert_eq!(error_code(&r).as_deref(), Some("invalid_score"), "{r}");
    }
    let long = "长".repeat(501);
    let r = app.gql(Some(&alice), RATE, json!({ "t": t["id"], "s": 4, "c": long })).await;
    assert_eq!(error_code(&r).as_deref(), Some("invalid_comment"));
    let none = app.gql_ok(Some(&alice), RATING, json!({ "t": t["id"] })).await;
    assert_eq!(none["ticket"]["rating"], serde_json::Value::Null, "nothing changed");

    // Twelve requests at once, each its own: one rating.
    let answers = futures::future::join_all((0..12).map(|i| {
        let vars = json!({ "t": t["id"], "s": 4, "c": " 很快 quick ", "m": format!("rate-{i}") });
        let (app, alice) = (&app, alice.clone());
        async move { app.gql(Some(&alice), RATE, vars).await }
    }))
    .await;
    let ok = answers.iter().filter(|a| a.get("errors").is_none()).count();
    let again: Vec<_> = answers.iter().filter_map(|a| error_code(a)).collect();
    assert_eq!(ok, 1, "{answers:?}");
    assert!(again.iter().all(|c| c == "already_rated"), "{again:?}");

    // A retry of the one that won answers as it did.
    let winner = answers.iter().position(|a| a.get("errors").is_none()).unwrap();
    let vars = json!({ "t": t["id"], "s": 4, "c": " 很快 quick ", "m": format!("rate-{winner}") });
    let replayed = app.gql_ok(Some(&alice), RATE, vars).await;
    assert_eq!(replayed["rateTicket"]["replayed"], true);

    let rated = app.gql_ok(Some(&bob), RATING, json!({ "t": t["id"] })).await;
    assert_eq!(rated["ticket"]["rating"]["score"], 4);
    assert_eq!(rated["ticket"]["rating"]["comment"], "很快 quick");
    let events = timeline(&p.ticket("alice", &t["id"]).await);
    assert_eq!(events.iter().filter(|k| *k == "rated").count(), 1, "{events:?}");
    app.stop().await;
}
