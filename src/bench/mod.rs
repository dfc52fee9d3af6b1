//! `signoff bench`: load tools that drive a running node over HTTP as real
//! clients do (GraphQL, bearer tokens), for a fixed time, and print a
//! JMeter-style summary plus percentiles. Loopback only by design: point
//! them at a node on this machine.
//!
//! - [`client`]: a small GraphQL client and demo logins.
//! - [`report`]: latency recording and the summary lines.
//! - [`flows`]: full approval flows (submit a one-step ticket, approve it).
//! - [`reads`]: ticket detail queries.
//! - [`lists`]: inbox, counts, handled items, my tickets, searches.
//! - [`jobs`]: bots claiming and completing automation jobs.
//! - [`reports`]: managers' report latency, CSV exports included.
//! - [`notify`]: notification deliveries to a local WeCom endpoint.
//! - [`ws`]: WebSocket connections, memory, broadcast latency and rate.

pub mod client;
pub mod flows;
pub mod jobs;
pub mod lists;
pub mod notify;
pub mod reads;
pub mod report;
pub mod reports;
pub mod ws;

use std::time::Duration;

use clap::{Args, Subcommand};

/// Options every bench shares.
#[derive(Args, Debug, Clone)]
pub struct BenchOptions {
    /// Base URL of the node under test.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// Concurrent virtual users.
    #[arg(long, default_value_t = 32)]
    pub users: usize,
    /// How long to run, in seconds (after warm-up).
    #[arg(long, default_value_t = 30)]
    pub duration: u64,
    /// Warm-up before measuring, in seconds.
    #[arg(long, default_value_t = 3)]
    pub warmup: u64,
}

impl BenchOptions {
    pub fn duration(&self) -> Duration {
        Duration::from_secs(self.duration)
    }
}

#[derive(Subcommand, Debug)]
pub enum BenchKind {
    /// Full flows: a staff member files a one-step leave request, its approver approves it.
    Flows(BenchOptions),
    /// Ticket detail reads (ticket with items and timeline) by its applicant.
    Reads {
        #[command(flatten)]
        options: BenchOptions,
        /// Tickets filed before the run, read at random.
        #[arg(long, default_value_t = 200)]
        tickets: usize,
    },
    /// The lists people read (inbox, counts, handled, my tickets, searches), one line each.
    Lists(BenchOptions),
    /// Notifications: flows against a node whose `wecom_base` is this bench's endpoint; or `--drain` a backlog.
    Notify(notify::NotifyOptions),
    /// WebSocket clients: connect rate, memory per idle connection, push latency, delivery rate.
    Ws(ws::WsOptions),
    /// Automation jobs: bots claim and complete a queue of jobs.
    Jobs(jobs::JobsOptions),
    /// Report latency (totals, groupings, periods, CSV exports).
    Reports(reports::ReportsOptions),
}

/// Runs a bench to completion and prints its report.
pub async fn run(kind: BenchKind) -> anyhow::Result<()> {
    match kind {
        BenchKind::Flows(options) => flows::run(&options).await,
        BenchKind::Reads { options, tickets } => reads::run(&options, tickets).await,
        BenchKind::Lists(options) => lists::run(&options).await,
        BenchKind::Notify(options) => notify::run(&options).await,
        BenchKind::Ws(options) => ws::run(&options).await,
        BenchKind::Jobs(options) => jobs::run(&options).await,
        BenchKind::Reports(options) => reports::run(&options).await,
    }
}
