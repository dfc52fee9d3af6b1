//! Automation jobs (自动化工单): a bot closes an it-access ticket end to
//! end; bots racing for jobs get each exactly once; a dead bot's job is
//! claimed again after its lease; a failed job alarms, is retried or
//! skipped by an administrator, or the ticket is given up on; the webhook
//! executor signs its calls and retries on 5xx; an asynchronous receiver
//! completes later through the API.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::{Value, json};

use crate::{
    flow::{People, timeline},
    harness::{TestApp, error_code},
};

const CLAIM: &str = "mutation($k: [String!]!, $n: Int!, $l: Int!) { claimJobs(kinds: $k, max: $n, leaseSeconds: $l) {
    id seq name kind status attempts params ticket { id number form applicant { username } } } }";
const COMPLETE: &str =
    "mutation($j: ID!, $a: Int, $o: JSON) { completeJob(jobId: $j, attempt: $a, output: $o) { id status output } }";
const FAIL: &str = "mutation($j: ID!, $e: String!, $r: Boolean!) { failJob(jobId: $j, error: $e, retryable: $r) { status attempts lastError availableAt } }";
const JOBS: &str =
    "query($t: ID!) { ticket(id: $t) { status result jobs { id name kind status attempts output lastError } } }";

/// An API token of the demo's ops bot.
pub async fn bot_token(app: &TestApp, admin: &str) -> String {
    let bot = app.user_id(admin, "ops-bot").await;
    app.gql_ok(
        Some(admin),
        "mutation($u: ID!) { createApiToken(userId: $u, name: \"jobs\") { secret } }",
        json!({ "u": bot }),
    )
    .await["createApiToken"]["secret"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A template with no chain whose tickets go straight to `automations`.
async fn automated(app: &TestApp, admin: &str, code: &str, automations: Value) {
    let input = json!({ "i": {
        "code": code, "name": format!("Auto {code}"), "category": "Ops",
        "form": { "fields": [{ "key": "host", "label": "Host", "type": "text", "required": true }] },
        "chain": { "steps": [] },
        "automations": automations,
    } });
    app.gql_ok(Some(admin), "mutation($i: TemplateInput!) { createTemplate(input: $i) { code } }", input).await;
}

fn bot_task(kind: &str, attempts: u32) -> Value {
    json!({ "name": format!("run {kind}"), "executor": "bot", "kind": kind, "params": { "host": "{{form.host}}" },
            "timeout_secs": 60, "retry": { "max_attempts": attempts, "backoff_secs": 0 } })
}

#[tokio::test]
async fn a_bot_closes_an_it_access_ticket() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    let bot = bot_token(&app, &admin).await;
    let form = json!({ "system": "grafana", "level": "read", "justification": "on-call dashboards" });
    let t = p.submit("alice", "it-access", form).await;
    p.approve("bob", &t["id"]).await;
    let item = p.item("song.jia", &t["id"]).await;
    p.act("song.jia", "confirm", &item, "").await;

    let alice = p.token("alice").await;
    let waiting = app.gql_ok(Some(&alice), JOBS, json!({ "t": t["id"] })).await;
    assert_eq!(waiting["ticket"]["status"], "PROCESSING");
    assert_eq!(waiting["ticket"]["jobs"][0]["status"], "PENDING", "{waiting}");
    assert_eq!(waiting["ticket"]["jobs"][0]["kind"], "it-access");
    assert_eq!(
        error_code(&app.gql(Some(&alice), CLAIM, json!({ "k": ["it-access"], "n": 1, "l": 30 })).await).as_deref(),
        Some("forbidden")
    );

    let claimed = app.gql_ok(Some(&bot), CLAIM, json!({ "k": ["it-access"], "n": 5, "l": 30 })).await;
    let jobs = claimed["claimJobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 1, "{claimed}");
    let job = &jobs[0];
    assert_eq!((job["status"].as_str(), job["attempts"].as_i64()), (Some("RUNNING"), Some(1)));
    assert_eq!(job["params"]["system"], "grafana", "params take the form's values");
    assert_eq!(job["ticket"]["form"]["level"], "read");
    assert_eq!(job["ticket"]["applicant"]["username"], "alice");
    let again = app.gql_ok(Some(&bot), CLAIM, json!({ "k": ["it-access"], "n": 5, "l": 30 })).await;
    assert_eq!(again["claimJobs"], json!([]), "a held job is nobody else's");

    let output = json!({ "account": "alice@grafana", "level": "read" });
    let done = app.gql_ok(Some(&bot), COMPLETE, json!({ "j": job["id"], "a": 1, "o": output })).await;
    assert_eq!(done["completeJob"]["status"], "SUCCEEDED");
    let twice = app.gql(Some(&bot), COMPLETE, json!({ "j": job["id"], "a": 1 })).await;
    assert_eq!(error_code(&twice).as_deref(), Some("job_finished"), "{twice}");

    let closed = app.gql_ok(Some(&alice), JOBS, json!({ "t": t["id"] })).await;
    assert_eq!(
        (closed["ticket"]["status"].as_str(), closed["ticket"]["result"].as_str()),
        (Some("DONE"), Some("APPROVED"))
    );
    assert_eq!(closed["ticket"]["jobs"][0]["output"], output);
    let events = timeline(&p.ticket("alice", &t["id"]).await);
    assert!(events.ends_with(&["job_started".to_string(), "processing_finished".to_string()]), "{events:?}");
    app.stop().await;
}

#[tokio::test]
async fn bots_racing_for_jobs_run_each_once() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    let bot = bot_token(&app, &admin).await;
    automated(&app, &admin, "race", json!([bot_task("race", 3)])).await;
    let mut tickets = Vec::new();
    for i in 0..100 {
        let t = p.submit("alice", "race", json!({ "host": format!("h{i}") })).await;
        assert_eq!(t["status"], "PROCESSING", "no chain: automated from the start");
        tickets.push(t["id"].clone());
    }
    // Twenty bots, each claiming a few at a time until nothing is left.
    let done: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let bots = (0..20).map(|_| {
        let (app, bot, done) = (&app, bot.clone(), done.clone());
        async move {
            loop {
                let claimed = app.gql_ok(Some(&bot), CLAIM, json!({ "k": ["race"], "n": 3, "l": 60 })).await;
                let jobs = claimed["claimJobs"].as_array().unwrap().clone();
                if jobs.is_empty() {
                    break;
                }
                for job in jobs {
                    let host = job["params"]["host"].as_str().unwrap().to_string();
                    let vars = json!({ "j": job["id"], "a": job["attempts"], "o": { "host": host } });
                    app.gql_ok(Some(&bot), COMPLETE, vars).await;
                    *done.lock().unwrap().entry(job["id"].as_str().unwrap().to_string()).or_default() += 1;
                }
            }
        }
    });
    futures::future::join_all(bots).await;
    let done = done.lock().unwrap().clone();
    assert_eq!(done.len(), 100, "every job ran");
    assert!(done.values().all(|n| *n == 1), "each exactly once: {done:?}");
    for t in &tickets {
        let r = app.gql_ok(Some(&admin), JOBS, json!({ "t": t })).await;
        assert_eq!(r["ticket"]["status"], "DONE");
        assert_eq!(r["ticket"]["jobs"][0]["attempts"], 1, "nobody claimed a held job");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_dead_bots_job_is_claimed_again_after_its_lease() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    let bot = bot_token(&app, &admin).await;
    automated(&app, &admin, "lease", json!([bot_task("lease", 3)])).await;
    let t = p.submit("alice", "lease", json!({ "host": "db1" })).await;
    let first = app.gql_ok(Some(&bot), CLAIM, json!({ "k": ["lease"], "n": 1, "l": 1 })).await["claimJobs"][0].clone();
    assert_eq!(first["attempts"], 1);
    // The first bot dies: nothing more from it. After its lease, another claims.
    tokio::time::sleep(Duration::from_millis(1_300)).await;
    let second =
        app.gql_ok(Some(&bot), CLAIM, json!({ "k": ["lease"], "n": 1, "l": 30 })).await["claimJobs"][0].clone();
    assert_eq!((second["id"].clone(), second["attempts"].as_i64()), (first["id"].clone(), Some(2)));
    let late = app.gql(Some(&bot), COMPLETE, json!({ "j": first["id"], "a": 1 })).await;
    assert_eq!(error_code(&late).as_deref(), Some("lease_lost"), "the old claim may not complete: {late}");
    let hb = "mutation($j: ID!, $a: Int) { heartbeatJob(jobId: $j, attempt: $a, leaseSeconds: 30) { leaseExpiresAt } }";
    assert_eq!(
        error_code(&app.gql(Some(&bot), hb, json!({ "j": first["id"], "a": 1 })).await).as_deref(),
        Some("lease_lost")
    );
    app.gql_ok(Some(&bot), hb, json!({ "j": second["id"], "a": 2 })).await;
    app.gql_ok(Some(&bot), COMPLETE, json!({ "j": second["id"], "a": 2 })).await;
    let r = app.gql_ok(Some(&admin), JOBS, json!({ "t": t["id"] })).await;
    assert_eq!(r["ticket"]["status"], "DONE");
    let events = timeline(&p.ticket("alice", &t["id"]).await);
    assert_eq!(events.iter().filter(|k| *k == "job_started").count(), 2, "{events:?}");
    app.stop().await;
}

#[tokio::test]
async fn a_failed_job_alarms_and_an_admin_retries_skips_or_rejects() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    let bot = bot_token(&app, &admin).await;
    automated(&app, &admin, "flaky", json!([bot_task("flaky", 2), bot_task("flaky-2", 1)])).await;
    let t = p.submit("alice", "flaky", json!({ "host": "web1" })).await;

    // Attempt 1 fails and is retried (no backoff); attempt 2 fails for good.
    let job = app.gql_ok(Some(&bot), CLAIM, json!({ "k": ["flaky"], "n": 1, "l": 30 })).await["claimJobs"][0].clone();
    let failed = app.gql_ok(Some(&bot), FAIL, json!({ "j": job["id"], "e": "ssh: timeout", "r": true })).await;
    assert_eq!(failed["failJob"]["status"], "PENDING", "{failed}");
    app.gql_ok(Some(&bot), CLAIM, json!({ "k": ["flaky"], "n": 1, "l": 30 })).await;
    let failed = app.gql_ok(Some(&bot), FAIL, json!({ "j": job["id"], "e": "ssh: refused", "r": true })).await;
    assert_eq!(failed["failJob"]["status"], "FAILED");
    assert_eq!(failed["failJob"]["lastError"], "ssh: refused");
    let r = app.gql_ok(Some(&admin), JOBS, json!({ "t": t["id"] })).await;
    assert_eq!(r["ticket"]["status"], "PROCESSING", "an exception, not an outcome");
    let listed = app.gql_ok(Some(&admin), "{ jobs(status: FAILED) { id ticket { id } } }", json!({})).await;
    assert_eq!(listed["jobs"][0]["id"], job["id"]);
    let events = timeline(&p.ticket("alice", &t["id"]).await);
    assert!(events.contains(&"job_retrying".to_string()) && events.contains(&"job_failed".to_string()), "{events:?}");

    // Only administrators retry; the retried job runs and the next task follows.
    let retry = "mutation($j: ID!) { retryJob(jobId: $j) { status attempts } }";
    assert_eq!(error_code(&app.gql(Some(&bot), retry, json!({ "j": job["id"] })).await).as_deref(), Some("forbidden"));
    let retried = app.gql_ok(Some(&admin), retry, json!({ "j": job["id"] })).await;
    assert_eq!(
        (retried["retryJob"]["status"].as_str(), retried["retryJob"]["attempts"].as_i64()),
        (Some("PENDING"), Some(0))
    );
    let again = app.gql_ok(Some(&bot), CLAIM, json!({ "k": ["flaky"], "n": 1, "l": 30 })).await["claimJobs"][0].clone();
    app.gql_ok(Some(&bot), COMPLETE, json!({ "j": again["id"] })).await;
    let r = app.gql_ok(Some(&admin), JOBS, json!({ "t": t["id"] })).await;
    assert_eq!(r["ticket"]["jobs"][1]["status"], "PENDING", "the second task is due: {r}");

    // The second task fails for good at once; the admin skips it: done.
    let second =
        app.gql_ok(Some(&bot), CLAIM, json!({ "k": ["flaky-2"], "n": 1, "l": 30 })).await["claimJobs"][0].clone();
    app.gql_ok(Some(&bot), FAIL, json!({ "j": second["id"], "e": "quota", "r": false })).await;
    let skip = "mutation($j: ID!) { skipJob(jobId: $j) { status } }";
    assert_eq!(app.gql_ok(Some(&admin), skip, json!({ "j": second["id"] })).await["skipJob"]["status"], "SKIPPED");
    let r = app.gql_ok(Some(&admin), JOBS, json!({ "t": t["id"] })).await;
    assert_eq!((r["ticket"]["status"].as_str(), r["ticket"]["result"].as_str()), (Some("DONE"), Some("APPROVED")));

    // Another ticket is given up on: rejected, its open job cancelled.
    let t2 = p.submit("alice", "flaky", json!({ "host": "web2" })).await;
    let reject =
        "mutation($t: ID!, $r: String!) { rejectProcessing(ticketId: $t, reason: $r) { ticket { status result } } }";
    assert_eq!(
        error_code(&app.gql(Some(&bot), reject, json!({ "t": t2["id"], "r": "no" })).await).as_deref(),
        Some("forbidden")
    );
    let rejected = app.gql_ok(Some(&admin), reject, json!({ "t": t2["id"], "r": "host retired" })).await;
    assert_eq!(rejected["rejectProcessing"]["ticket"]["result"], "REJECTED");
    let r = app.gql_ok(Some(&admin), JOBS, json!({ "t": t2["id"] })).await;
    assert_eq!(r["ticket"]["jobs"][0]["status"], "CANCELLED");
    assert_eq!(app.gql_ok(Some(&bot), CLAIM, json!({ "k": ["flaky"], "n": 1, "l": 30 })).await["claimJobs"], json!([]));

    // A failed job of a ticket given up on is history: it is neither retried nor skipped.
    let t3 = p.submit("alice", "flaky", json!({ "host": "web3" })).await;
    let job3 = app.gql_ok(Some(&bot), CLAIM, json!({ "k": ["flaky"], "n": 1, "l": 30 })).await["claimJobs"][0].clone();
    app.gql_ok(Some(&bot), FAIL, json!({ "j": job3["id"], "e": "gone", "r": false })).await;
    app.gql_ok(Some(&admin), reject, json!({ "t": t3["id"], "r": "host gone" })).await;
    for op in [retry, skip] {
        let refused = app.gql(Some(&admin), op, json!({ "j": job3["id"] })).await;
        assert_eq!(error_code(&refused).as_deref(), Some("job_closed"), "{refused}");
    }
    let events = p.ticket("alice", &t["id"]).await["timeline"].clone();
    // Skipping the last task finished the ticket: the timeline names who did it.
    let skipped = events.as_array().unwrap().iter().find(|e| e["kind"] == "processing_finished").unwrap();
    assert_eq!(skipped["actor"]["username"], "admin", "{skipped}");
    app.stop().await;
}

/// What the receiving server saw: (webhook-id, signature valid, body).
type Seen = Arc<Mutex<Vec<(String, bool, Value)>>>;

/// A receiver that checks Standard Webhooks signatures, fails the first
/// call of each job with a 500, then answers `answer`.
async fn receiver(secret: String, answer: (u16, Value)) -> (String, Seen) {
    use axum::{Router, body::Bytes, http::HeaderMap, routing::post};
    let seen: Seen = Arc::default();
    let state = seen.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let (seen, secret, answer) = (state.clone(), secret.clone(), answer.clone());
            async move {
                let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
                let (id, ts) = (h("webhook-id"), h("webhook-timestamp"));
                let body = String::from_utf8(body.to_vec()).unwrap();
                let expected = signoff::service::webhooks::sign(&secret, &id, ts.parse().unwrap_or(0), &body).unwrap();
                let valid = h("webhook-signature").split(' ').any(|s| s == expected);
                let parsed: Value = serde_json::from_str(&body).unwrap_or_default();
                let job = parsed["data"]["job"]["id"].as_str().unwrap_or_default().to_string();
                let mut seen = seen.lock().unwrap();
                let first = !seen.iter().any(|(_, _, b)| b["data"]["job"]["id"] == job.as_str());
                seen.push((id, valid, parsed));
                let (status, json) = if first { (500, json!({ "error": "busy" })) } else { answer };
                (axum::http::StatusCode::from_u16(status).unwrap(), axum::Json(json))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

async fn wait_for_status(app: &TestApp, token: &str, ticket: &Value, status: &str) -> Value {
    for _ in 0..100 {
        let r = app.gql_ok(Some(token), JOBS, json!({ "t": ticket })).await;
        if r["ticket"]["status"] == status {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("ticket {ticket} never became {status}");
}

#[tokio::test]
async fn the_webhook_executor_signs_retries_and_completes() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    let secret = app.gql_ok(Some(&admin), "{ webhookSigningSecret }", json!({})).await["webhookSigningSecret"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(secret.starts_with("whsec_"));
    let (url, seen) = receiver(secret, (200, json!({ "ticketInCmdb": "CMDB-7" }))).await;
    let task = json!({ "name": "cmdb", "executor": "webhook", "url": url, "timeout_secs": 5,
                       "retry": { "max_attempts": 3, "backoff_secs": 0 } });
    automated(&app, &admin, "hooked", json!([task])).await;
    let t = p.submit("alice", "hooked", json!({ "host": "web9" })).await;
    let r = wait_for_status(&app, &admin, &t["id"], "DONE").await;
    let job = &r["ticket"]["jobs"][0];
    assert_eq!((job["status"].as_str(), job["attempts"].as_i64()), (Some("SUCCEEDED"), Some(2)), "{r}");
    assert_eq!(job["output"], json!({ "ticketInCmdb": "CMDB-7" }));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "a 500, then a retry");
    assert!(seen.iter().all(|(_, valid, _)| *valid), "every call is signed with the cluster's secret");
    assert_ne!(seen[0].0, seen[1].0, "each attempt is its own message id");
    assert_eq!(seen[1].2["data"]["ticket"]["form"]["host"], "web9");
    let events = timeline(&p.ticket("alice", &t["id"]).await);
    assert!(events.contains(&"job_retrying".to_string()), "{events:?}");
    app.stop().await;
}

#[tokio::test]
async fn an_asynchronous_receiver_completes_through_the_api() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    let bot = bot_token(&app, &admin).await;
    let secret = app.gql_ok(Some(&admin), "{ webhookSigningSecret }", json!({})).await["webhookSigningSecret"]
        .as_str()
        .unwrap()
        .to_string();
    let (url, seen) = receiver(secret, (202, json!({ "queued": true }))).await;
    let task = json!({ "name": "provision", "executor": "webhook", "url": url, "mode": "async", "timeout_secs": 60,
                       "retry": { "max_attempts": 3, "backoff_secs": 0 } });
    automated(&app, &admin, "asyncd", json!([task])).await;
    let t = p.submit("alice", "asyncd", json!({ "host": "vm3" })).await;
    let mut job = Value::Null;
    for _ in 0..100 {
        let r = app.gql_ok(Some(&admin), JOBS, json!({ "t": t["id"] })).await;
        job = r["ticket"]["jobs"][0].clone();
        if job["attempts"] == 2 && job["status"] == "RUNNING" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!((job["status"].as_str(), job["attempts"].as_i64()), (Some("RUNNING"), Some(2)), "accepted: {job}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(seen.lock().unwrap().len(), 2, "an accepted job is not called again");
    // The receiver finishes later with a bot's token.
    app.gql_ok(Some(&bot), COMPLETE, json!({ "j": job["id"], "o": { "vm": "vm3" } })).await;
    let r = wait_for_status(&app, &admin, &t["id"], "DONE").await;
    assert_eq!(r["ticket"]["jobs"][0]["output"], json!({ "vm": "vm3" }));
    app.stop().await;
}

#[tokio::test]
async fn bots_hear_of_new_jobs_on_their_kind_tag() {
    use crate::ws::{connect, next_push, subscribe};
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    let bot = bot_token(&app, &admin).await;
    automated(&app, &admin, "heard", json!([bot_task("heard", 1)])).await;
    let mut listener = connect(&app, &format!("token={bot}")).await;
    subscribe(&mut listener, &["jobs:heard"]).await;
    // Staff may not follow a job queue.
    let alice = p.token("alice").await;
    let mut staff = connect(&app, &format!("token={alice}")).await;
    let refused = crate::ws::ask(&mut staff.socket, json!({ "type": "subscribe", "tags": ["jobs:heard"] })).await;
    assert_eq!(refused["code"], "forbidden_tag", "{refused}");

    let t = p.submit("alice", "heard", json!({ "host": "h" })).await;
    let pushed = next_push(&mut listener.socket).await.expect("told of the new job");
    assert_eq!(
        (pushed["data"]["kind"].as_str(), pushed["data"]["ticket_id"].clone()),
        (Some("submitted"), t["id"].clone())
    );
    let claimed = app.gql_ok(Some(&bot), CLAIM, json!({ "k": ["heard"], "n": 1, "l": 30 })).await;
    assert_eq!(claimed["claimJobs"].as_array().unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn the_example_bot_grants_access_and_reports_a_system_down() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    let bot = bot_token(&app, &admin).await;
    let mut tickets = Vec::new();
    for system in ["grafana", "vpn"] {
        let form = json!({ "system": system, "level": "write", "justification": "on call" });
        let t = p.submit("alice", "it-access", form).await;
        p.approve("bob", &t["id"]).await;
        let item = p.item("song.jia", &t["id"]).await;
        p.act("song.jia", "confirm", &item, "").await;
        tickets.push(t["id"].clone());
    }
    let dir = std::env::temp_dir().join(format!("signoff-bot-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = dir.join("accounts.json");
    std::fs::write(&store, json!({ "accounts": { "gitlab": { "bob": "admin" } }, "down": ["vpn"] }).to_string())
        .unwrap();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/access_bot.py");
    let run = || {
        tokio::process::Command::new("python3")
            .arg(&script)
            .args(["--url", &format!("http://{}", app.addr), "--token", &bot, "--until-idle", "--store"])
            .arg(&store)
            .output()
    };
    let out = tokio::time::timeout(Duration::from_secs(60), run()).await.expect("the bot stops when idle").unwrap();
    let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("granted write on grafana to alice"), "{said}");

    let accounts: Value = serde_json::from_str(&std::fs::read_to_string(&store).unwrap()).unwrap();
    assert_eq!(accounts["accounts"]["grafana"]["alice"], "write");
    assert_eq!(accounts["accounts"]["gitlab"]["bob"], "admin", "the store keeps what it had");
    let granted = app.gql_ok(Some(&admin), JOBS, json!({ "t": tickets[0] })).await;
    assert_eq!(granted["ticket"]["status"], "DONE");
    assert_eq!(granted["ticket"]["jobs"][0]["output"]["account"], "alice");
    // vpn is down: the bot failed it, retryably; it waits for its backoff.
    let down = app.gql_ok(Some(&admin), JOBS, json!({ "t": tickets[1] })).await;
    assert_eq!(down["ticket"]["status"], "PROCESSING");
    let job = &down["ticket"]["jobs"][0];
    assert_eq!(
        (job["status"].as_str(), job["lastError"].as_str()),
        (Some("PENDING"), Some("vpn is not answering")),
        "{down}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    app.stop().await;
}

#[tokio::test]
async fn a_job_failed_for_good_mails_the_administrators() {
    use crate::{
        fakes::Smtp,
        notify::{until, with_mail},
    };
    let smtp = Smtp::start().await;
    let app = TestApp::spawn_with(|c| with_mail(c, smtp.port)).await;
    let mut p = People::new(&app);
    let admin = p.token("admin").await;
    let bot = bot_token(&app, &admin).await;
    automated(&app, &admin, "alarmed", json!([bot_task("alarmed", 1)])).await;
    let t = p.submit("alice", "alarmed", json!({ "host": "db9" })).await;
    let job = app.gql_ok(Some(&bot), CLAIM, json!({ "k": ["alarmed"], "n": 1, "l": 30 })).await["claimJobs"][0].clone();
    app.gql_ok(Some(&bot), FAIL, json!({ "j": job["id"], "e": "disk full", "r": true })).await;
    until("the administrators' alarm", async || smtp.received().iter().any(|m| m.to == ["admin@xinghe.example"])).await;
    let mail = smtp.received().into_iter().find(|m| m.to == ["admin@xinghe.example"]).unwrap();
    let subject = mail.parsed().subject().unwrap().to_string();
    assert!(subject.contains("自动化执行异常") && subject.contains(t["number"].as_str().unwrap()), "{subject}");
    assert!(!smtp.received().iter().any(|m| m.to == ["alice@xinghe.example"]), "the applicant is not alarmed");
    app.stop().await;
}
