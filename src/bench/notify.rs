//! `bench notify`: notification throughput against a local WeCom endpoint
//! the bench itself serves (point the node's `wecom_base` at it). With
//! load, it runs the approval flows bench — every flow sends the approver a
//! card, the applicant an outcome card and updates the approver's card —
//! and reports the cards WeCom accepted per second and the node's
//! `notification_lag_seconds` (event commit → accepted) quantiles. With
//! `--drain`, it generates nothing: it counts what a node sends from a
//! backlog until the endpoint has been quiet for two seconds. With
//! `--fanout N`, it files tickets that ask N managers at once (N cards
//! each, nobody decides), to offer more deliveries than flows can.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    Json, Router,
    routing::{get, post},
};
use clap::Args;
use serde_json::{Value, json};

use anyhow::{Context as _, ensure};

use super::{
    BenchOptions,
    client::Client,
    flows::{APPLICANTS, Tokens},
    report::Recorder,
};

#[derive(Args, Debug, Clone)]
pub struct NotifyOptions {
    #[command(flatten)]
    pub options: BenchOptions,
    /// Where the WeCom endpoint listens (the node's `wecom_base`).
    #[arg(long, default_value = "127.0.0.1:18090")]
    pub wecom: SocketAddr,
    /// Generate no load: measure how fast a node drains its backlog.
    #[arg(long)]
    pub drain: bool,
    /// Instead of flows, file tickets whose one step asks this many
    /// managers at once (any of them decides): each filing is that many
    /// cards, so the offered rate is the filing rate times this.
    #[arg(long, default_value_t = 0)]
    pub fanout: usize,
    /// With `--fanout`: filings per second in all, spread evenly over the
    /// virtual users (0: as fast as they can), to offer a chosen rate.
    #[arg(long, default_value_t = 0)]
    pub rate: u64,
}

/// Managers of the demo organisation, none of them a bench applicant.
const MANAGERS: &[&str] =
    &["zhao.wei", "chen.jie", "bob", "liu.yang", "wang.fang", "sun.li", "zhou.qiang", "li.na", "wu.hao", "song.jia"];
const FANOUT: &str = "bench-fanout";

#[derive(Default)]
struct Counts {
    cards: AtomicU64,
    updates: AtomicU64,
}

async fn endpoint(addr: SocketAddr) -> anyhow::Result<Arc<Counts>> {
    let counts = Arc::new(Counts::default());
    let (c1, c2) = (counts.clone(), counts.clone());
    let app = Router::new()
        .route(
            "/cgi-bin/gettoken",
            get(|| async { Json(json!({ "errcode": 0, "errmsg": "ok", "access_token": "bench", "expires_in": 7200 })) }),
        )
        .route(
            "/cgi-bin/message/send",
            post(move |Json(_): Json<Value>| async move {
                let n = c1.cards.fetch_add(1, Ordering::Relaxed);
                Json(json!({ "errcode": 0, "errmsg": "ok", "msgid": format!("m{n}"), "response_code": format!("rc{n}") }))
            }),
        )
        .route(
            "/cgi-bin/message/update_template_card",
            post(move |Json(_): Json<Value>| async move {
                c2.updates.fetch_add(1, Ordering::Relaxed);
                Json(json!({ "errcode": 0, "errmsg": "ok" }))
            }),
        );
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(counts)
}

fn total(c: &Counts) -> u64 {
    c.cards.load(Ordering::Relaxed) + c.updates.load(Ordering::Relaxed)
}

pub async fn run(o: &NotifyOptions) -> anyhow::Result<()> {
    let counts = endpoint(o.wecom).await?;
    if o.drain {
        println!("bench notify --drain: waiting for deliveries on http://{}", o.wecom);
        let deadline = Instant::now() + o.options.duration();
        while total(&counts) == 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let start = Instant::now();
        let (mut last, mut last_change) = (total(&counts), Instant::now());
        while last_change.elapsed() < Duration::from_secs(2) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
            let now = total(&counts);
            if now != last {
                (last, last_change) = (now, Instant::now());
            }
        }
        let secs = (last_change - start).as_secs_f64().max(0.001);
        println!("drained {last} deliveries in {secs:.2} s = {:.0} deliveries/s", last as f64 / secs);
        return Ok(());
    }
    let measure = {
        let counts = counts.clone();
        let (warmup, duration) = (Duration::from_secs(o.options.warmup), o.options.duration());
        tokio::spawn(async move {
            tokio::time::sleep(warmup).await;
            let from = total(&counts);
            tokio::time::sleep(duration).await;
            total(&counts) - from
        })
    };
    if o.fanout > 0 {
        file_fanout(o).await?;
    } else {
        super::flows::run(&o.options).await?;
    }
    let sent = measure.await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    println!(
        "notifications: {sent} WeCom deliveries accepted in {} s = {:.0} deliveries/s ({} cards, {} card updates in all)",
        o.options.duration,
        sent as f64 / o.options.duration as f64,
        counts.cards.load(Ordering::Relaxed),
        counts.updates.load(Ordering::Relaxed)
    );
    let metrics = reqwest::get(format!("{}/metrics", o.options.url.trim_end_matches('/'))).await?.text().await?;
    for line in metrics.lines().filter(|l| l.starts_with("notification_lag_seconds")) {
        println!("  {line}");
    }
    let bucket = |le: &str| {
        metrics
            .lines()
            .filter(|l| l.starts_with("notification_lag_seconds_bucket") && l.contains(&format!("le=\"{le}\"")))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum::<f64>()
    };
    let all = bucket("+Inf").max(1.0);
    println!(
        "commit → accepted: {:.2} % within 0.5 s, {:.2} % within 1 s, of {all} deliveries",
        bucket("0.5") * 100.0 / all,
        bucket("1") * 100.0 / all
    );
    Ok(())
}

/// Creates the fan-out template (as admin) and files tickets of it from
/// every virtual user until the run ends; nobody decides.
async fn file_fanout(o: &NotifyOptions) -> anyhow::Result<()> {
    let options = &o.options;
    let client = Client::new(&options.url, options.users)?;
    let tokens = Tokens::default();
    let admin = tokens.get(&client, "admin").await?;
    let mut ids = Vec::new();
    for name in MANAGERS.iter().take(o.fanout) {
        let found = client
            .gql(
                Some(&admin),
                "query($s: String!) { users(search: $s, first: 5) { nodes { id username } } }",
                json!({ "s": name }),
            )
            .await?;
        let nodes = found["users"]["nodes"].as_array().cloned().unwrap_or_default();
        let user = nodes.iter().find(|u| u["username"] == *name).with_context(|| format!("no user {name}"))?;
        ids.push(user["id"].as_str().context("user id")?.parse::<i64>()?);
    }
    let template = json!({ "i": {
        "code": FANOUT, "name": "Bench fan-out", "category": "Bench",
        "form": { "fields": [{ "key": "note", "label": "Note", "type": "text", "required": true }] },
        "chain": { "steps": [{ "name": "Managers", "kind": "approve", "mode": "any",
                               "approvers": [{ "type": "users", "ids": ids }] }] },
    }});
    let create = "mutation($i: TemplateInput!) { createTemplate(input: $i) { code } }";
    if let Err(e) = client.gql(Some(&admin), create, template).await {
        ensure!(e.to_string().contains("already_exists"), "creating the fan-out template: {e:#}");
    }
    for user in APPLICANTS.iter().take(options.users) {
        tokens.get(&client, user).await?;
    }
    println!(
        "bench notify --fanout {}: {} virtual users file tickets ({}), {} s (+{} s warm-up)",
        ids.len(),
        options.users,
        if o.rate > 0 { format!("{} a second", o.rate) } else { "as fast as they can".into() },
        options.duration,
        options.warmup
    );
    let measure_from = Instant::now() + Duration::from_secs(options.warmup);
    let until = measure_from + options.duration();
    let submit = "mutation($i: SubmitTicketInput!) { submitTicket(input: $i) { ticket { id } } }";
    let (rate, users) = (o.rate, options.users);
    let mut handles = Vec::new();
    for vu in 0..options.users {
        let (client, tokens) = (client.clone(), tokens.clone());
        let applicant = APPLICANTS[vu % APPLICANTS.len()];
        handles.push(tokio::spawn(async move {
            let mut requests = Recorder::default();
            let token = tokens.get(&client, applicant).await?;
            let input = json!({ "i": { "templateCode": FANOUT, "form": { "note": "bench" } } });
            let mut pace = (rate > 0).then(|| {
                let mut every = tokio::time::interval(Duration::from_secs_f64(users as f64 / rate as f64));
                every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                every
            });
            while Instant::now() < until {
                if let Some(pace) = pace.as_mut() {
                    pace.tick().await;
                }
                let started = Instant::now();
                let result = client.gql(Some(&token), submit, input.clone()).await;
                if started >= measure_from {
                    match result {
                        Ok(_) => requests.ok(started.elapsed()),
                        Err(e) => requests.error(&e),
                    }
                }
            }
            anyhow::Ok(requests)
        }));
    }
    let mut requests = Recorder::default();
    for handle in handles {
        requests.merge(handle.await??);
    }
    requests.print("filings (submitTicket):", options.duration());
    Ok(())
}
