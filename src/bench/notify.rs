//! `bench notify`: notification throughput against a local WeCom endpoint
//! the bench itself serves (point the node's `wecom_base` at it). With
//! load, it runs the approval flows bench — every flow sends the approver a
//! card, the applicant an outcome card and updates the approver's card —
//! and reports the cards WeCom accepted per second and the node's
//! `notification_lag_seconds` (event commit → accepted) quantiles. With
//! `--drain`, it generates nothing: it counts what a node sends from a
//! backlog until the endpoint has been quiet for two seconds.

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

use super::BenchOptions;

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
}

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
    super::flows::run(&o.options).await?;
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
    Ok(())
}
