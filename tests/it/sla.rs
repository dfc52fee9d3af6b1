//! SLA timers driven by a clock the test sets: a reminder before the due
//! time, an overdue notice at it, then the step's `on_sla` — escalation to
//! the next head up, or an alarm to the administrators — each fired once
//! however many nodes sweep at the same moment, each on the timeline and
//! in the recipients' mail.

use std::sync::Arc;

use chrono::{Duration, Utc};
use signoff::{
    service::{catalog::Catalog, tickets::Workflow},
    store::Store,
};

use crate::{
    fakes::Smtp,
    flow::{People, expense, leave, pending, timeline},
    harness::TestApp,
};

/// A node's workflow engine on the app's database, swept by the test.
async fn node(app: &TestApp) -> Workflow {
    let store = Store::connect(&app.config).await.unwrap();
    Workflow::new(store.clone(), Arc::new(Catalog::new(store)), app.config.clone())
}

/// Two nodes sweep at the same `at`; how many firings they made between them.
async fn sweep(a: &Workflow, b: &Workflow, at: chrono::DateTime<Utc>) -> usize {
    let lead = Duration::minutes(30);
    let (x, y) = tokio::join!(a.fire_sla(at, lead), b.fire_sla(at, lead));
    x.unwrap() + y.unwrap()
}

async fn mails_to(smtp: &Smtp, to: &str, count: usize) -> Vec<String> {
    let start = std::time::Instant::now();
    loop {
        let subjects: Vec<String> = smtp
            .received()
            .iter()
            .filter(|m| m.to == [to])
            .map(|m| m.parsed().subject().unwrap_or_default().to_string())
            .collect();
        if subjects.len() >= count || start.elapsed() > std::time::Duration::from_secs(15) {
            return subjects;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn mail(c: &mut signoff::config::Config, port: u16) {
    c.notify.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
}

#[tokio::test]
async fn a_reminder_and_an_overdue_notice_fire_once_across_two_nodes() {
    let smtp = Smtp::start().await;
    let app = TestApp::spawn_with(|c| mail(c, smtp.port)).await;
    let mut p = People::new(&app);
    let t = p.submit("alice", "leave", leave(1.0)).await;
    assert_eq!(pending(&t), ["bob"]);
    let (a, b) = (node(&app).await, node(&app).await);
    let now = Utc::now();
    assert_eq!(sweep(&a, &b, now + Duration::hours(12)).await, 0, "nothing is due yet");
    assert_eq!(sweep(&a, &b, now + Duration::minutes(24 * 60 - 20)).await, 1, "the reminder, once");
    assert_eq!(sweep(&a, &b, now + Duration::minutes(24 * 60 - 10)).await, 0);
    assert_eq!(sweep(&a, &b, now + Duration::hours(25)).await, 1, "overdue, once; `remind` adds nothing");
    assert_eq!(sweep(&a, &b, now + Duration::hours(26)).await, 0);
    let after = p.ticket("alice", &t["id"]).await;
    assert_eq!(timeline(&after), ["submitted", "sla_reminder", "sla_due"]);
    assert!(after["timeline"][2]["actor"].is_null());
    let subjects = mails_to(&smtp, "bob@xinghe.example", 3).await;
    assert_eq!(subjects.len(), 3, "assigned, reminder, overdue: {subjects:?}");
    assert!(subjects.iter().any(|s| s.starts_with("即将超时")), "{subjects:?}");
    assert!(subjects.iter().any(|s| s.starts_with("已超时")), "{subjects:?}");
    assert!(smtp.received().iter().all(|m| m.to != ["alice@xinghe.example"]), "the applicant is not reminded");
    app.stop().await;
}

/// No firing appears twice for one item on the timeline.
fn each_once(ticket: &serde_json::Value) {
    let mut seen = std::collections::BTreeSet::new();
    for e in ticket["timeline"].as_array().unwrap() {
        let kind = e["kind"].as_str().unwrap();
        if kind.starts_with("sla_") {
            assert!(seen.insert((kind.to_string(), e["payload"]["item_id"].to_string())), "{kind} twice: {ticket:#}");
        }
    }
}

fn count(kinds: &[String], kind: &str) -> usize {
    kinds.iter().filter(|k| *k == kind).count()
}

#[tokio::test]
async fn an_overdue_step_escalates_to_the_next_head_up_once() {
    let smtp = Smtp::start().await;
    let app = TestApp::spawn_with(|c| mail(c, smtp.port)).await;
    let mut p = People::new(&app);
    let t = p.submit("alice", "leave", leave(3.0)).await;
    let t = p.approve("bob", &t["id"]).await;
    let holders = pending(&t);
    let n = holders.len();
    assert!(n >= 1, "the HR step");
    let (a, b) = (node(&app).await, node(&app).await);
    let at = Utc::now() + Duration::hours(49);
    assert_eq!(sweep(&a, &b, at).await, 2 * n, "overdue and escalated, per item");
    let after = p.ticket("alice", &t["id"]).await;
    let kinds = timeline(&after);
    let escalated = count(&kinds, "sla_escalated");
    assert!(escalated >= 1 && escalated + count(&kinds, "sla_alarm") == n, "{kinds:?}");
    let event = after["timeline"].as_array().unwrap().iter().find(|e| e["kind"] == "sla_escalated").unwrap().clone();
    assert!(event["actor"].is_null(), "Signoff escalated, not the holder: {event}");
    let now_pending = pending(&after);
    assert_eq!(now_pending.len(), n + escalated, "holders keep their items; heads are added: {now_pending:?}");
    let head = now_pending.iter().find(|u| !holders.contains(u)).unwrap().clone();
    // The head is told why they have it (the demo's addresses are username@…).
    let subjects = mails_to(&smtp, &format!("{}@xinghe.example", head.replace('.', "_")), 1).await;
    assert!(subjects.iter().any(|s| s.starts_with("超时升级")), "{head}: {subjects:?}");
    // Sweeping again fires nothing: the heads' items are due from the
    // moment they were added.
    assert_eq!(sweep(&a, &b, at).await, 0);
    each_once(&p.ticket("alice", &t["id"]).await);
    app.stop().await;
}

#[tokio::test]
async fn an_overdue_step_with_alarm_admins_alarms_the_administrators_once() {
    let smtp = Smtp::start().await;
    let app = TestApp::spawn_with(|c| mail(c, smtp.port)).await;
    let mut p = People::new(&app);
    let t = p.submit("alice", "expense", expense("20000.00")).await;
    let manager = pending(&t)[0].clone();
    let t = p.approve(&manager, &t["id"]).await;
    let n = pending(&t).len();
    let (a, b) = (node(&app).await, node(&app).await);
    let at = Utc::now() + Duration::hours(49);
    assert_eq!(sweep(&a, &b, at).await, 2 * n, "overdue and alarmed, per item");
    assert_eq!(sweep(&a, &b, at).await, 0, "each once");
    let after = p.ticket("alice", &t["id"]).await;
    each_once(&after);
    assert_eq!(count(&timeline(&after), "sla_alarm"), n);
    let subjects = mails_to(&smtp, "admin@xinghe.example", 1).await;
    assert!(subjects.iter().any(|s| s.starts_with("超时报警")), "{subjects:?}");
    app.stop().await;
}
