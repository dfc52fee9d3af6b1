//! Automation jobs: a template with no chain and one bot task is created,
//! `--jobs` tickets are filed (each queues a job; not measured), then
//! `--users` bots claim `--batch` jobs at a time and complete each, until
//! the queue is empty or the time is up. A job counts when its completion
//! is recorded (the ticket is then DONE).

use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Args;
use serde_json::json;

use super::{BenchOptions, client::Client, flows::APPLICANTS, flows::Tokens, report::Recorder};

#[derive(Args, Debug, Clone)]
pub struct JobsOptions {
    #[command(flatten)]
    pub bench: BenchOptions,
    /// Tickets (hence jobs) filed before the clock starts.
    #[arg(long, default_value_t = 20_000)]
    pub jobs: usize,
    /// Jobs one claim asks for.
    #[arg(long, default_value_t = 10)]
    pub batch: usize,
}

const SUBMIT: &str = "mutation($i: SubmitTicketInput!) { submitTicket(input: $i) { ticket { status } } }";
const CLAIM: &str =
    "mutation($k: [String!]!, $n: Int!) { claimJobs(kinds: $k, max: $n, leaseSeconds: 60) { id attempts } }";
const COMPLETE: &str =
    "mutation($j: ID!, $a: Int) { completeJob(jobId: $j, attempt: $a, output: { ok: true }) { status } }";

async fn setup(client: &Client, kind: &str) -> anyhow::Result<String> {
    let admin = client.login("admin", "signoff").await?;
    let template = json!({ "i": {
        "code": kind, "name": format!("Bench {kind}"), "category": "Bench",
        "form": { "fields": [{ "key": "n", "label": "N", "type": "text" }] },
        "chain": { "steps": [] },
        "automations": [{ "name": "bench", "executor": "bot", "kind": kind, "retry": { "max_attempts": 3, "backoff_secs": 0 } }],
    } });
    client.gql(Some(&admin), "mutation($i: TemplateInput!) { createTemplate(input: $i) { code } }", template).await?;
    let users = client
        .gql(Some(&admin), "{ users(first: 100, search: \"ops-bot\") { nodes { id username } } }", json!({}))
        .await?;
    let bot = users["users"]["nodes"]
        .as_array()
        .and_then(|n| n.iter().find(|u| u["username"] == "ops-bot"))
        .and_then(|u| u["id"].as_str())
        .context("the demo's ops-bot")?
        .to_string();
    let token = client
        .gql(
            Some(&admin),
            "mutation($u: ID!) { createApiToken(userId: $u, name: \"bench\") { secret } }",
            json!({ "u": bot }),
        )
        .await?;
    Ok(token["createApiToken"]["secret"].as_str().context("no secret")?.to_string())
}

pub async fn run(options: &JobsOptions) -> anyhow::Result<()> {
    let o = &options.bench;
    let client = Client::new(&o.url, o.users.max(16))?;
    let kind = format!("bench-{}", chrono::Utc::now().timestamp_millis());
    let bot = setup(&client, &kind).await?;
    let tokens = Tokens::default();
    for user in APPLICANTS {
        tokens.get(&client, user).await?;
    }
    let filing = Instant::now();
    let per = options.jobs.div_ceil(16);
    let fillers: Vec<_> = (0..16)
        .map(|i| {
            let (client, tokens, kind) = (client.clone(), tokens.clone(), kind.clone());
            tokio::spawn(async move {
                let token = tokens.get(&client, APPLICANTS[i % APPLICANTS.len()]).await?;
                for n in 0..per {
                    let input = json!({ "i": { "templateCode": kind, "form": { "n": n.to_string() } } });
                    client.gql(Some(&token), SUBMIT, input).await?;
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for f in fillers {
        f.await??;
    }
    let queued = per * 16;
    println!(
        "bench jobs: {queued} jobs queued in {:.1?}; {} bots claiming {} at a time for at most {} s against {}",
        filing.elapsed(),
        o.users,
        options.batch,
        o.duration,
        o.url
    );
    let started = Instant::now();
    let until = started + o.duration();
    let handles: Vec<_> = (0..o.users)
        .map(|_| {
            let (client, bot, kind, batch) = (client.clone(), bot.clone(), kind.clone(), options.batch);
            tokio::spawn(async move {
                let (mut claims, mut completes, mut done) = (Recorder::default(), Recorder::default(), 0u64);
                while Instant::now() < until {
                    let t = Instant::now();
                    let claimed = match client.gql(Some(&bot), CLAIM, json!({ "k": [kind], "n": batch })).await {
                        Ok(c) => {
                            claims.ok(t.elapsed());
                            c["claimJobs"].as_array().cloned().unwrap_or_default()
                        }
                        Err(e) => {
                            claims.error(&e);
                            continue;
                        }
                    };
                    if claimed.is_empty() {
                        break;
                    }
                    for job in claimed {
                        let t = Instant::now();
                        match client.gql(Some(&bot), COMPLETE, json!({ "j": job["id"], "a": job["attempts"] })).await {
                            Ok(_) => {
                                completes.ok(t.elapsed());
                                done += 1;
                            }
                            Err(e) => completes.error(&e),
                        }
                    }
                }
                (claims, completes, done)
            })
        })
        .collect();
    let (mut claims, mut completes, mut done) = (Recorder::default(), Recorder::default(), 0u64);
    for h in handles {
        let (c, d, n) = h.await?;
        claims.merge(c);
        completes.merge(d);
        done += n;
    }
    let elapsed = started.elapsed().max(Duration::from_millis(1));
    println!(
        "jobs claimed and completed: {done} in {:.1} s = {:.0}/s",
        elapsed.as_secs_f64(),
        done as f64 / elapsed.as_secs_f64()
    );
    claims.print("claims (claimJobs, one per batch):", elapsed);
    completes.print("completions (completeJob, one per job):", elapsed);
    Ok(())
}
