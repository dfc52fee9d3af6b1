//! Statements each action and each read costs the database, counted with
//! the request pool's `db_statements_total` (as Django's assertNumQueries
//! does) and compared with the figures the README documents: a change that
//! adds a round trip to the hot path fails here and has to say so there.
//! Each is measured on its second run, with caches warm, as in steady
//! traffic. Needs a process of its own (nextest gives each test one): the
//! counter is the process's.

use serde_json::{Value, json};

use crate::{
    flow::{People, leave},
    harness::{TestApp, backend},
};

async fn statements(app: &TestApp) -> u64 {
    let text = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    text.lines()
        .find(|l| l.starts_with("db_statements_total{pool=\"requests\"}"))
        .and_then(|l| l.rsplit(' ').next())
        .map_or(0, |n| n.parse::<f64>().unwrap() as u64)
}

/// Statements `run` costs, measured around it.
async fn cost<F: AsyncFnMut() -> Value>(app: &TestApp, mut run: F) -> u64 {
    let before = statements(app).await;
    let out = run().await;
    assert!(out.get("errors").is_none(), "{out}");
    statements(app).await - before
}

const DETAIL: &str = "query($i: ID!) { ticket(id: $i) { id number title status result round form
    applicant { displayName } items { id status stepName assignee { displayName } decidedBy { displayName } }
    timeline { kind createdAt actor { displayName } } } }";
const INBOX: &str =
    "{ inbox(first: 20) { nodes { id stepName ticket { id number title applicant { displayName } } } } }";
const MINE: &str = "{ myTickets(first: 20) { nodes { id number title status } } }";
const HANDLED: &str = "{ handledItems(first: 20) { nodes { id decidedAt ticket { id number } } } }";
const COUNTS: &str = "{ inboxCounts { pending overdue } }";

/// The most each may cost, on both databases: the README's table. A
/// ticket's users are batched by a loader that may split them in two
/// batches when the fields asking for them resolve far apart.
const MOST: &[(&str, u64)] = &[
    ("submitTicket", 6),
    ("approve", 6),
    ("commentOnTicket", 3),
    ("ticket", 6),
    ("inbox", 4),
    ("inboxCounts", 1),
    ("myTickets", 1),
    ("handledItems", 3),
];

#[tokio::test]
async fn each_action_and_read_costs_the_documented_statements() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let (alice, bob) = (p.token("alice").await, p.token("bob").await);
    let submit = "mutation($i: SubmitTicketInput!) { submitTicket(input: $i) { ticket { id status items { id } } } }";
    let file = json!({ "i": { "templateCode": "leave", "form": leave(1.0) } });
    let approve = "mutation($i: ID!) { approve(itemId: $i) { ticket { status result } } }";
    let comment = "mutation($t: ID!) { commentOnTicket(ticketId: $t, body: \"ok\") { ticket { id } } }";
    let mut measured = Vec::new();
    for round in 0..2 {
        let mut tickets = Vec::new();
        let c = cost(&app, async || {
            let r = app.gql(Some(&alice), submit, file.clone()).await;
            tickets.push(r["data"]["submitTicket"]["ticket"].clone());
            r
        })
        .await;
        let t = tickets.pop().unwrap();
        let item = p.item("bob", &t["id"]).await;
        let a = cost(&app, async || app.gql(Some(&bob), approve, json!({ "i": item })).await).await;
        let m = cost(&app, async || app.gql(Some(&alice), comment, json!({ "t": t["id"] })).await).await;
        let d = cost(&app, async || app.gql(Some(&alice), DETAIL, json!({ "i": t["id"] })).await).await;
        p.submit("alice", "leave", leave(1.0)).await;
        let i = cost(&app, async || app.gql(Some(&bob), INBOX, json!({})).await).await;
        let n = cost(&app, async || app.gql(Some(&bob), COUNTS, json!({})).await).await;
        let y = cost(&app, async || app.gql(Some(&alice), MINE, json!({})).await).await;
        let h = cost(&app, async || app.gql(Some(&bob), HANDLED, json!({})).await).await;
        if round == 1 {
            measured = vec![
                ("submitTicket", c),
                ("approve", a),
                ("commentOnTicket", m),
                ("ticket", d),
                ("inbox", i),
                ("inboxCounts", n),
                ("myTickets", y),
                ("handledItems", h),
            ];
        }
    }
    let over: Vec<_> = measured.iter().zip(MOST).filter(|((_, n), (_, most))| n > most).collect();
    assert!(over.is_empty(), "more statements than documented: {over:?} (all: {measured:?}, {})", backend());
    println!("statements per request ({}): {measured:?}", backend());
    app.stop().await;
}

/// Claiming one job and completing it (the ticket's last), as a bot does.
const MOST_JOBS: &[(&str, u64)] = &[("claimJobs", 7), ("completeJob", 8)];

#[tokio::test]
async fn claiming_and_completing_a_job_cost_the_documented_statements() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    let bot = crate::jobs::bot_token(&app, &admin).await;
    let template = json!({ "i": {
        "code": "counted", "name": "Counted", "category": "Ops",
        "form": { "fields": [{ "key": "host", "label": "Host", "type": "text" }] },
        "chain": { "steps": [] },
        "automations": [{ "name": "run", "executor": "bot", "kind": "counted" }],
    } });
    app.gql_ok(Some(&admin), "mutation($i: TemplateInput!) { createTemplate(input: $i) { code } }", template).await;
    let claim =
        "mutation { claimJobs(kinds: [\"counted\"], max: 1, leaseSeconds: 30) { id attempts ticket { id form } } }";
    let complete =
        "mutation($j: ID!, $a: Int) { completeJob(jobId: $j, attempt: $a, output: { ok: true }) { status } }";
    let mut measured = Vec::new();
    for round in 0..2 {
        p.submit("alice", "counted", json!({ "host": "h" })).await;
        let mut claimed = Value::Null;
        let c = cost(&app, async || {
            let r = app.gql(Some(&bot), claim, json!({})).await;
            claimed = r["data"]["claimJobs"][0].clone();
            r
        })
        .await;
        let vars = json!({ "j": claimed["id"], "a": claimed["attempts"] });
        let d = cost(&app, async || app.gql(Some(&bot), complete, vars.clone()).await).await;
        if round == 1 {
            measured = vec![("claimJobs", c), ("completeJob", d)];
        }
    }
    let over: Vec<_> = measured.iter().zip(MOST_JOBS).filter(|((_, n), (_, most))| n > most).collect();
    assert!(over.is_empty(), "more statements than documented: {over:?} (all: {measured:?}, {})", backend());
    println!("statements per job request ({}): {measured:?}", backend());
    app.stop().await;
}
