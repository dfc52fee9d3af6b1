//! Full approval flows: each virtual user is a staff member who files a
//! one-day leave request (a one-step chain: the head of department) and then,
//! as that head, approves it. A flow counts when the ticket is DONE.

use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{Context as _, ensure};
use serde_json::json;
use tokio::sync::Mutex;

use super::{BenchOptions, client::Client, report::Recorder};

/// Demo staff whose head is someone else, so every flow has an approver.
pub const APPLICANTS: &[&str] = &[
    "alice",
    "zhang.min",
    "huang.lei",
    "xu.jing",
    "he.tao",
    "gao.yan",
    "lin.hui",
    "qian.duo",
    "carol",
    "ma.xin",
    "guo.feng",
    "zheng.qi",
    "feng.bo",
    "cao.yue",
    "dave",
    "yang.guang",
    "erin",
];

const SUBMIT: &str = "mutation($i: SubmitTicketInput!) { submitTicket(input: $i) { ticket { id status items { id assignee { username } } } } }";
const APPROVE: &str = "mutation($i: ID!) { approve(itemId: $i) { ticket { status result } } }";

/// Logs each demo user in once and shares the token.
#[derive(Clone, Default)]
pub struct Tokens(Arc<Mutex<HashMap<String, String>>>);

impl Tokens {
    pub async fn get(&self, client: &Client, user: &str) -> anyhow::Result<String> {
        let mut tokens = self.0.lock().await;
        if let Some(t) = tokens.get(user) {
            return Ok(t.clone());
        }
        let token = client.login(user, "signoff").await?;
        tokens.insert(user.to_string(), token.clone());
        Ok(token)
    }
}

async fn one_flow(
    client: &Client,
    tokens: &Tokens,
    applicant: &str,
    requests: &mut Recorder,
    measuring: bool,
) -> anyhow::Result<()> {
    let token = tokens.get(client, applicant).await?;
    let form = json!({ "leave_type": "annual", "start_date": "2026-12-01", "days": 1, "reason": "bench" });
    let started = Instant::now();
    let data = client.gql(Some(&token), SUBMIT, json!({ "i": { "templateCode": "leave", "form": form } })).await?;
    if measuring {
        requests.ok(started.elapsed());
    }
    let item = &data["submitTicket"]["ticket"]["items"][0];
    let item_id = item["id"].as_str().context("the ticket has no approval item")?.to_string();
    let approver = item["assignee"]["username"].as_str().context("no assignee")?.to_string();
    let approver_token = tokens.get(client, &approver).await?;
    let started = Instant::now();
    let data = client.gql(Some(&approver_token), APPROVE, json!({ "i": item_id })).await?;
    if measuring {
        requests.ok(started.elapsed());
    }
    ensure!(data["approve"]["ticket"]["status"] == "DONE", "the flow did not finish: {data}");
    Ok(())
}

pub async fn run(options: &BenchOptions) -> anyhow::Result<()> {
    let client = Client::new(&options.url, options.users)?;
    let tokens = Tokens::default();
    // Log everyone in before the clock starts: logins are argon2-bound by design.
    for user in APPLICANTS.iter().take(options.users) {
        tokens.get(&client, user).await?;
    }
    println!(
        "bench flows: {} virtual users, {} s (+{} s warm-up) against {}",
        options.users, options.duration, options.warmup, options.url
    );
    let measure_from = Instant::now() + Duration::from_secs(options.warmup);
    let until = measure_from + options.duration();
    let mut handles = Vec::new();
    for vu in 0..options.users {
        let (client, tokens) = (client.clone(), tokens.clone());
        let applicant = APPLICANTS[vu % APPLICANTS.len()];
        handles.push(tokio::spawn(async move {
            let (mut flows, mut requests) = (Recorder::default(), Recorder::default());
            while Instant::now() < until {
                let started = Instant::now();
                let measuring = started >= measure_from;
                let result = one_flow(&client, &tokens, applicant, &mut requests, measuring).await;
                if measuring {
                    match result {
                        Ok(()) => flows.ok(started.elapsed()),
                        Err(err) => flows.error(&err),
                    }
                }
            }
            (flows, requests)
        }));
    }
    let (mut flows, mut requests) = (Recorder::default(), Recorder::default());
    for handle in handles {
        let (f, r) = handle.await?;
        flows.merge(f);
        requests.merge(r);
    }
    let elapsed = options.duration();
    flows.print("flows (submit + approve):", elapsed);
    requests.print("requests (each submit and approve):", elapsed);
    Ok(())
}
