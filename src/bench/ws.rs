//! WebSocket load: opens many signed clients of the demo project over one or
//! more nodes, measures connect rate and the memory an idle connection
//! costs each node, then the push-to-client latency of paced broadcasts and
//! the delivery rate of a burst, all to one tag every client follows.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::Context as _;
use clap::Args;
use futures::{SinkExt, StreamExt};
use serde_json::json;
use tokio::sync::Mutex;
use tokio_tungstenite::tungstenite::Message;

use super::report::Recorder;
use crate::realtime::{bus::now_ms, sign};

#[derive(Args, Debug, Clone)]
pub struct WsOptions {
    /// Base URLs of the nodes, comma-separated; clients are spread over them.
    #[arg(long, default_value = "http://127.0.0.1:8080", value_delimiter = ',')]
    pub urls: Vec<String>,
    /// WebSocket clients to open in all.
    #[arg(long, default_value_t = 1000)]
    pub clients: usize,
    /// Secret of the demo project (printed by `serve` in demo mode).
    #[arg(long, default_value = "demo-secret")]
    pub secret: String,
    /// Pushes for the latency measurement, each to one client's user, paced
    /// at `--rate` a second (an approval reaches a few people, not everyone).
    #[arg(long, default_value_t = 2000)]
    pub pushes: usize,
    /// Pace of the latency pushes, per second.
    #[arg(long, default_value_t = 500)]
    pub rate: u64,
    /// Broadcasts sent back to back for the delivery rate.
    #[arg(long, default_value_t = 50)]
    pub burst: usize,
    /// Connections opened at once.
    #[arg(long, default_value_t = 200)]
    pub connect_concurrency: usize,
    /// Approval flows to time from commit to the applicant's WebSocket
    /// (through the outbox relay and the bus); 0 skips the phase.
    #[arg(long, default_value_t = 200)]
    pub approvals: usize,
}

/// Files and approves tickets through the first node while the applicant
/// listens on the last one; records commit-to-client latency of each event.
async fn approvals(o: &WsOptions) -> anyhow::Result<Recorder> {
    use super::{client::Client, flows::Tokens};
    let api = Client::new(&o.urls[0], 4)?;
    let tokens = Tokens::default();
    let alice = tokens.get(&api, "alice").await?;
    let bob = tokens.get(&api, "bob").await?;
    let listen = o.urls[o.urls.len() - 1].replace("http://", "ws://");
    let (mut socket, _) = tokio_tungstenite::connect_async(format!("{listen}/ws/connect?token={alice}")).await?;
    let mut recorder = Recorder::default();
    let form = json!({ "leave_type": "annual", "start_date": "2026-12-01", "days": 1, "reason": "bench ws" });
    for _ in 0..o.approvals {
        let data = api
            .gql(
                Some(&alice),
                "mutation($i: SubmitTicketInput!) { submitTicket(input: $i) { ticket { items { id } } } }",
                json!({ "i": { "templateCode": "leave", "form": form } }),
            )
            .await?;
        let item = data["submitTicket"]["ticket"]["items"][0]["id"].clone();
        api.gql(Some(&bob), "mutation($i: ID!) { approve(itemId: $i) { ticket { id } } }", json!({ "i": item }))
            .await?;
        // Two events per flow reach the applicant: submitted and approved.
        let mut seen = 0;
        while seen < 2 {
            let msg = tokio::time::timeout(Duration::from_secs(10), socket.next()).await?.context("closed")??;
            let Message::Text(text) = msg else { continue };
            let frame: serde_json::Value = serde_json::from_str(text.as_str())?;
            if frame["type"] != "push" {
                continue;
            }
            let at = frame["data"]["at"].as_str().and_then(|a| chrono::DateTime::parse_from_rfc3339(a).ok());
            if let Some(at) = at {
                let took = (chrono::Utc::now() - at.with_timezone(&chrono::Utc)).to_std().unwrap_or_default();
                recorder.ok(took);
            }
            seen += 1;
        }
    }
    Ok(recorder)
}

async fn node_rss(http: &reqwest::Client, url: &str) -> anyhow::Result<f64> {
    let text = http.get(format!("{url}/metrics")).send().await?.text().await?;
    text.lines()
        .find(|l| l.starts_with("process_resident_memory_bytes"))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|v| v.parse().ok())
        .context("the node reports no process_resident_memory_bytes")
}

async fn push(http: &reqwest::Client, url: &str, secret: &str, data: serde_json::Value) -> anyhow::Result<()> {
    push_to(http, url, secret, json!({ "pid": "demo", "tags": ["bench"], "data": data })).await
}

async fn push_to(http: &reqwest::Client, url: &str, secret: &str, body: serde_json::Value) -> anyhow::Result<()> {
    let body = body.to_string();
    let ts = chrono::Utc::now().timestamp().to_string();
    let sig = sign::sign(secret, &sign::push_message(&ts, body.as_bytes()));
    let resp = http
        .post(format!("{url}/ws/push"))
        .header("content-type", "application/json")
        .header("x-signoff-timestamp", ts)
        .header("x-signoff-signature", sig)
        .body(body)
        .send()
        .await?;
    anyhow::ensure!(resp.status().is_success(), "push refused: {}", resp.text().await.unwrap_or_default());
    Ok(())
}

/// Unix time in microseconds: the latency of one push is often under a millisecond.
fn now_us() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_micros() as u64).unwrap_or(0)
}

struct Shared {
    latencies: Mutex<Recorder>,
    delivered: AtomicU64,
    burst_delivered: AtomicU64,
    last_burst_ms: AtomicU64,
}

pub async fn run(o: &WsOptions) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let mut before = Vec::new();
    for url in &o.urls {
        before.push(node_rss(&http, url).await?);
    }
    println!("bench ws: {} clients over {} node(s)", o.clients, o.urls.len());
    let shared = Arc::new(Shared {
        latencies: Mutex::new(Recorder::default()),
        delivered: AtomicU64::new(0),
        burst_delivered: AtomicU64::new(0),
        last_burst_ms: AtomicU64::new(0),
    });
    let gate = Arc::new(tokio::sync::Semaphore::new(o.connect_concurrency));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(o.clients);
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<anyhow::Result<()>>(o.clients.max(1));
    for i in 0..o.clients {
        let url = o.urls[i % o.urls.len()].replace("http://", "ws://");
        let (secret, shared, gate, ready) = (o.secret.clone(), shared.clone(), gate.clone(), ready_tx.clone());
        tasks.push(tokio::spawn(async move {
            let uid = format!("bench-{i}");
            let ts = chrono::Utc::now().timestamp();
            let sig = sign::sign(&secret, sign::connect_message("demo", &uid, ts).as_bytes());
            let permit = gate.acquire_owned().await.expect("semaphore open");
            let conn = tokio_tungstenite::connect_async(format!(
                "{url}/ws/connect?pid=demo&uid={uid}&type=1&ts={ts}&sign={sig}"
            ))
            .await;
            drop(permit);
            let (mut socket, _) = match conn {
                Ok(c) => c,
                Err(e) => {
                    let _ = ready.send(Err(anyhow::anyhow!("connect: {e}"))).await;
                    return;
                }
            };
            let sub = json!({ "type": "subscribe", "tags": ["bench"] }).to_string();
            let _ = socket.send(Message::Text(sub.into())).await;
            let _ = ready.send(Ok(())).await;
            let mut local = Recorder::default();
            while let Some(Ok(msg)) = socket.next().await {
                let Message::Text(text) = msg else { continue };
                let Ok(frame) = serde_json::from_str::<serde_json::Value>(text.as_str()) else { continue };
                if frame["type"] != "push" {
                    continue;
                }
                let data = &frame["data"];
                if data["phase"] == "stop" {
                    break;
                }
                if data["phase"] == "latency" {
                    let sent = data["sent_us"].as_u64().unwrap_or(0);
                    local.ok(Duration::from_micros(now_us().saturating_sub(sent)));
                    shared.delivered.fetch_add(1, Ordering::Relaxed);
                } else {
                    shared.burst_delivered.fetch_add(1, Ordering::Relaxed);
                    shared.last_burst_ms.fetch_max(now_ms(), Ordering::Relaxed);
                }
            }
            shared.latencies.lock().await.merge(local);
        }));
    }
    drop(ready_tx);
    let mut failed = 0;
    let mut first_error = None;
    for _ in 0..o.clients {
        match ready_rx.recv().await {
            Some(Ok(())) => {}
            Some(Err(e)) => {
                failed += 1;
                first_error.get_or_insert(e);
            }
            None => break,
        }
    }
    let connect_secs = started.elapsed().as_secs_f64();
    let connected = o.clients - failed;
    println!(
        "connected {connected} of {} in {connect_secs:.2} s = {:.0} connections/s",
        o.clients,
        connected as f64 / connect_secs
    );
    if let Some(e) = first_error {
        println!("first connect error: {e:#}");
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    for (i, url) in o.urls.iter().enumerate() {
        let after = node_rss(&http, url).await?;
        let per_node = (0..o.clients).filter(|c| c % o.urls.len() == i).count().max(1);
        println!(
            "node {url}: RSS {:.1} MiB -> {:.1} MiB, {:.1} KiB per idle connection",
            before[i] / 1048576.0,
            after / 1048576.0,
            (after - before[i]) / per_node as f64 / 1024.0
        );
    }
    // Paced pushes, each to one user somewhere in the cluster: latency from
    // push to client, crossing nodes (sent through one node, received on any).
    let mut pace = tokio::time::interval(Duration::from_micros(1_000_000 / o.rate.max(1)));
    let mut inflight = Vec::new();
    for n in 0..o.pushes {
        pace.tick().await;
        let (http, url, secret) = (http.clone(), o.urls[n % o.urls.len()].clone(), o.secret.clone());
        let target = format!("bench-{}", (n * 7919) % connected.max(1));
        inflight.push(tokio::spawn(async move {
            let body =
                json!({ "pid": "demo", "uids": [target], "data": { "phase": "latency", "sent_us": now_us(), "n": n } });
            push_to(&http, &url, &secret, body).await
        }));
    }
    for p in inflight {
        p.await??;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    // A burst: delivery rate of the cluster.
    let burst_start = now_ms();
    let pushers: Vec<_> = (0..o.burst)
        .map(|n| {
            let (http, url, secret) = (http.clone(), o.urls[n % o.urls.len()].clone(), o.secret.clone());
            tokio::spawn(async move { push(&http, &url, &secret, json!({ "phase": "burst", "n": n })).await })
        })
        .collect();
    for p in pushers {
        p.await??;
    }
    let expected = (o.burst * connected) as u64;
    let deadline = Instant::now() + Duration::from_secs(60);
    while shared.burst_delivered.load(Ordering::Relaxed) < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let burst_ms = shared.last_burst_ms.load(Ordering::Relaxed).saturating_sub(burst_start).max(1);
    let burst_got = shared.burst_delivered.load(Ordering::Relaxed);
    println!(
        "burst: {burst_got} of {expected} deliveries in {burst_ms} ms = {:.0} deliveries/s (all nodes)",
        burst_got as f64 * 1000.0 / burst_ms as f64
    );
    push(&http, &o.urls[0], &o.secret, json!({ "phase": "stop" })).await?;
    for t in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(10), t).await;
    }
    if o.approvals > 0 {
        let started = Instant::now();
        let commit_to_client = approvals(o).await?;
        commit_to_client.print(
            "commit-to-client latency of ticket events (approvals through the first node, applicant on the last):",
            started.elapsed(),
        );
    }
    let recorder = shared.latencies.lock().await;
    println!("latency: {} of {} deliveries", shared.delivered.load(Ordering::Relaxed), o.pushes);
    let paced = Duration::from_secs_f64((o.pushes as f64 / o.rate.max(1) as f64).max(0.1));
    recorder.print("push-to-client latency (one user per push, paced):", paced);
    Ok(())
}
