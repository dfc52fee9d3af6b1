//! Workflow defects an outside client found, each with the state asserted
//! unchanged where something is refused: an ended proxy's items, a client
//! mutation id reused for another request, a resubmission that would skip
//! review, a countersign that would count one person twice, ids as strings.

use std::time::Duration;

use serde_json::{Value, json};

use crate::{
    flow::{People, TICKET, expense, leave, pending, timeline},
    harness::TestApp,
};

const CREATE_PROXY: &str = "mutation($i: CreateProxyInput!) { createProxy(input: $i) { id } }";

async fn events(p: &mut People<'_>, ticket: &Value) -> usize {
    p.ticket("alice", &ticket["id"]).await["timeline"].as_array().unwrap().len()
}

#[tokio::test]
async fn an_ended_proxy_cannot_act_and_its_items_go_back() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let (bob, carol) = (p.token("bob").await, p.id_of("carol").await);
    let now = chrono::Utc::now();
    let window = json!({ "i": { "proxyId": carol, "startsAt": (now - chrono::Duration::days(1)).to_rfc3339(),
        "endsAt": (now + chrono::Duration::seconds(3)).to_rfc3339() } });
    app.gql_ok(Some(&bob), CREATE_PROXY, window).await;
    let t = p.submit("alice", "leave", leave(1.0)).await;
    assert_eq!(pending(&t), ["carol"]);
    let item = p.item("carol", &t["id"]).await;
    tokio::time::sleep(Duration::from_millis(3500)).await;

    // Over, even if the hand-back has not run yet: refused, nothing changed.
    let before = events(&mut p, &t).await;
    let resp = p.act("carol", "approve", &item, "").await;
    assert_eq!(crate::harness::error_code(&resp).as_deref(), Some("proxy_ended"), "{resp}");
    let after = p.ticket("alice", &t["id"]).await;
    assert_eq!(after["status"], "IN_APPROVAL");
    assert_eq!(after["timeline"].as_array().unwrap().len(), before);

    // The sweep hands the item back to Bob, once, and says why.
    let mut back = Value::Null;
    for _ in 0..100 {
        back = p.ticket("alice", &t["id"]).await;
        if pending(&back) == ["bob"] {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(pending(&back), ["bob"], "{back:#}");
    assert_eq!(timeline(&back), ["submitted", "transferred"]);
    assert_eq!(back["timeline"][1]["payload"]["reason"], "proxy_ended");
    let carol_token = p.token("carol").await;
    let carol_inbox = app.gql_ok(Some(&carol_token), "{ inboxCounts { pending } }", json!({})).await;
    assert_eq!(carol_inbox["inboxCounts"]["pending"], 0);
    p.approve("bob", &t["id"]).await;
    app.stop().await;
}

#[tokio::test]
async fn a_client_mutation_id_names_one_request() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let a = p.submit("alice", "leave", leave(1.0)).await;
    let b = p.submit("alice", "leave", leave(1.0)).await;
    let (item_a, item_b) = (p.item("bob", &a["id"]).await, p.item("bob", &b["id"]).await);
    let cmid = ", clientMutationId: \"x\"";
    let first = p.act("bob", "approve", &item_a, cmid).await;
    assert!(first.get("errors").is_none(), "{first}");
    let retry = p.act("bob", "approve", &item_a, cmid).await;
    assert!(retry.get("errors").is_none(), "the same request is a retry: {retry}");
    let other = p.act("bob", "approve", &item_b, cmid).await;
    assert_eq!(crate::harness::error_code(&other).as_deref(), Some("client_mutation_id_reused"), "{other}");
    assert_eq!(pending(&p.ticket("alice", &b["id"]).await), ["bob"], "item B is still pending");

    let alice = p.token("alice").await;
    let submit =
        format!("mutation($i: SubmitTicketInput!) {{ submitTicket(input: $i) {{ replayed ticket {{ {TICKET} }} }} }}");
    let input = |template: &str, form: Value| json!({ "i": { "templateCode": template, "form": form, "clientMutationId": "s1" } });
    app.gql_ok(Some(&alice), &submit, input("leave", leave(1.0))).await;
    let replay = app.gql_ok(Some(&alice), &submit, input("leave", leave(1.0))).await;
    assert_eq!(replay["submitTicket"]["replayed"], true);
    let mine = "{ myTickets(first: 50) { edges { node { id } } } }";
    let count = app.gql_ok(Some(&alice), mine, json!({})).await["myTickets"]["edges"].as_array().unwrap().len();
    assert_eq!(app.gql_err(Some(&alice), &submit, input("expense", expense("10"))).await, "client_mutation_id_reused");
    assert_eq!(app.gql_err(Some(&alice), &submit, input("leave", leave(2.0))).await, "client_mutation_id_reused");
    let after = app.gql_ok(Some(&alice), mine, json!({})).await["myTickets"]["edges"].as_array().unwrap().len();
    assert_eq!(after, count, "nothing was filed");
    app.stop().await;
}

#[tokio::test]
async fn a_resubmission_whose_returning_step_no_longer_applies_is_reviewed_from_the_start() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    // Four days: head, then HR countersign (days >= 3). HR returns it.
    let t = p.submit("alice", "leave", leave(4.0)).await;
    p.approve("bob", &t["id"]).await;
    let item = p.item("carol", &t["id"]).await;
    let resp = p.act("carol", "returnTicket", &item, ", reason: \"too long\"").await;
    assert_eq!(resp["data"]["returnTicket"]["ticket"]["status"], "RETURNED", "{resp}");

    // One day now: the HR step drops out, so the round starts at the head.
    let alice = p.token("alice").await;
    let resubmit = "mutation($i: ResubmitTicketInput!) { resubmitTicket(input: $i) { ticket { status round } } }";
    let data = app.gql_ok(Some(&alice), resubmit, json!({ "i": { "ticketId": t["id"], "form": leave(1.0) } })).await;
    assert_eq!(data["resubmitTicket"]["ticket"]["status"], "IN_APPROVAL");
    let again = p.ticket("alice", &t["id"]).await;
    assert_eq!(pending(&again), ["bob"]);
    let resubmitted = again["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(resubmitted["kind"], "resubmitted");
    let changes = resubmitted["payload"]["changes"].as_array().unwrap();
    assert!(changes.iter().any(|c| c["type"] == "returning_step_dropped"), "the timeline says why: {changes:?}");
    let done = p.approve("bob", &t["id"]).await;
    assert_eq!((done["status"].as_str(), done["result"].as_str()), (Some("DONE"), Some("APPROVED")));
    app.stop().await;
}

#[tokio::test]
async fn a_countersign_keeps_one_signature_per_person() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    // Carol (HR) is away and names Ma Xin, who countersigns HR in her own right.
    let (carol, ma_xin) = (p.token("carol").await, p.id_of("ma.xin").await);
    let now = chrono::Utc::now();
    let window = json!({ "i": { "proxyId": ma_xin, "startsAt": (now - chrono::Duration::days(1)).to_rfc3339(),
        "endsAt": (now + chrono::Duration::days(1)).to_rfc3339() } });
    app.gql_ok(Some(&carol), CREATE_PROXY, window).await;
    let t = p.submit("alice", "leave", leave(4.0)).await;
    let hr = p.approve("bob", &t["id"]).await;
    assert_eq!(pending(&hr), ["carol", "ma.xin", "sun.li"], "three people, three signatures");
    p.approve("ma.xin", &t["id"]).await;
    p.approve("sun.li", &t["id"]).await;
    let waiting = p.ticket("alice", &t["id"]).await;
    assert_eq!((waiting["status"].as_str(), pending(&waiting)), (Some("IN_APPROVAL"), vec!["carol".to_string()]));
    let done = p.approve("carol", &t["id"]).await;
    assert_eq!(done["status"], "DONE");
    app.stop().await;
}

#[tokio::test]
async fn ids_may_be_given_as_the_apis_strings() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    let carol = p.id_of("carol").await;
    let create = "mutation($i: TemplateInput!) { createTemplate(input: $i) { code } }";
    let input = json!({ "i": {
        "code": "purchase", "name": "Purchase", "category": "Finance",
        "form": { "fields": [
            { "key": "amount", "label": "Amount", "type": "money", "required": true },
            { "key": "buyer", "label": "Buyer", "type": "user", "required": true }
        ] },
        "chain": { "steps": [
            { "name": "Named", "kind": "approve", "approvers": [{ "type": "users", "ids": [carol] }] },
            { "name": "Buyer", "kind": "approve", "approvers": [{ "type": "form_field", "key": "buyer" }] }
        ] }
    } });
    app.gql_ok(Some(&admin), create, input).await;
    let bob = p.id_of("bob").await;
    let t = p.submit("alice", "purchase", json!({ "amount": "10.00", "buyer": bob })).await;
    assert_eq!(pending(&t), ["carol"]);
    assert_eq!(t["form"]["buyer"].to_string(), bob, "stored as the number");
    let next = p.approve("carol", &t["id"]).await;
    assert_eq!(pending(&next), ["bob"]);
    app.stop().await;
}

#[tokio::test]
async fn clients_hanging_up_mid_mutation_leave_whole_tickets_and_a_clean_pool() {
    use tokio::io::AsyncWriteExt;
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let alice = p.token("alice").await;
    let query = "mutation($i: SubmitTicketInput!) { submitTicket(input: $i) { ticket { id } } }";
    let body =
        json!({ "query": query, "variables": { "i": { "templateCode": "leave", "form": leave(1.0) } } }).to_string();
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer {alice}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    for i in 0..40u64 {
        let mut socket = tokio::net::TcpStream::connect(app.addr).await.unwrap();
        socket.write_all(request.as_bytes()).await.unwrap();
        // Hang up at different moments of the mutation, with a reset.
        tokio::time::sleep(Duration::from_millis(i % 12)).await;
        #[allow(deprecated)]
        socket.set_linger(Some(Duration::ZERO)).unwrap();
        drop(socket);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    // The pool is healthy: every later request works.
    for _ in 0..10 {
        p.submit("alice", "leave", leave(1.0)).await;
    }
    // Every ticket that exists was filed whole.
    let mine = app
        .gql_ok(Some(&alice), "{ myTickets(first: 100) { edges { node { status timeline { kind } } } } }", json!({}))
        .await;
    let tickets = mine["myTickets"]["edges"].as_array().unwrap();
    assert!(tickets.len() >= 10);
    for t in tickets {
        assert_eq!(t["node"]["status"], "IN_APPROVAL", "{t}");
        assert_eq!(t["node"]["timeline"].as_array().unwrap().len(), 1, "{t}");
    }
    if crate::harness::backend() == "postgres" {
        use sea_orm::{ConnectionTrait, Statement};
        let db = sea_orm::Database::connect(app.config.database_url.clone()).await.unwrap();
        let sql = "SELECT count(*)::bigint AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'";
        let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
        let stuck: i64 = row.try_get("", "n").unwrap();
        assert_eq!(stuck, 0, "connections left inside a transaction");
        let _ = db.close().await;
    }
    app.stop().await;
}
