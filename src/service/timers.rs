//! Work that happens because time passed, not because someone asked:
//! handing the open items of ended proxy windows back to their principals,
//! SLA firings (see [`super::tickets::sla`]), failing jobs whose lease lapsed on their last attempt, and pruning history nobody reads any more (published outbox rows,
//! mutation receipts past their retention). Every node runs both; each
//! hand-over is a versioned ticket transition, so nodes sweeping at once
//! settle each item once, and two nodes pruning at once delete each row once.

use std::{sync::Arc, time::Duration};

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::tickets::Workflow;

/// How often ended proxy windows are looked for. Until a sweep hands an
/// item back, the ended proxy still sees it but cannot act on it.
const PROXY_SWEEP: Duration = Duration::from_secs(5);

/// How often SLA firings are looked for: a reminder or an overdue notice
/// goes out at most this long after its time.
const SLA_SWEEP: Duration = Duration::from_secs(15);

/// How often history is pruned, and how many rows one statement deletes.
const PRUNE_EVERY: Duration = Duration::from_secs(300);
const PRUNE_BATCH: u64 = 1_000;

/// Starts the timers on `tasks`; they end when `stop` is cancelled.
pub fn spawn(
    tasks: &mut JoinSet<()>,
    workflow: Arc<Workflow>,
    store: crate::store::Store,
    config: Arc<crate::config::Config>,
    stop: CancellationToken,
) {
    let (sla_workflow, sla_stop) = (workflow.clone(), stop.clone());
    let lead = chrono::Duration::seconds(config.notify.sla_reminder_lead_secs.min(i64::MAX as u64 / 1000) as i64);
    tasks.spawn(async move {
        let mut every = tokio::time::interval(SLA_SWEEP);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = sla_stop.cancelled() => break,
                _ = every.tick() => match sla_workflow.fire_sla(chrono::Utc::now(), lead).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(firings = n, "SLA firings"),
                    Err(e) => tracing::warn!(error = %crate::error::Chain(&e), "SLA sweep failed"),
                },
            }
        }
    });
    let pruning = stop.clone();
    tasks.spawn(async move {
        let mut every = tokio::time::interval(PRUNE_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = pruning.cancelled() => break,
                _ = every.tick() => match prune(&store, &config).await {
                    Ok(p) if p == Default::default() => {}
                    Ok(p) => tracing::info!(outbox = p.outbox, receipts = p.receipts, "pruned history"),
                    Err(e) => tracing::warn!(error = %crate::error::Chain(&e), "pruning failed"),
                },
            }
        }
    });
    tasks.spawn(async move {
        let mut every = tokio::time::interval(PROXY_SWEEP);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = stop.cancelled() => break,
                _ = every.tick() => {
                    match workflow.hand_back_ended_proxies().await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(windows = n, "handed back the items of ended proxy windows"),
                        Err(e) => tracing::warn!(error = %crate::error::Chain(&e), "proxy sweep failed"),
                    }
                    match workflow.fail_exhausted_jobs().await {
                        Ok(0) => {}
                        Ok(n) => tracing::warn!(jobs = n, "jobs failed: their lease lapsed on the last attempt"),
                        Err(e) => tracing::warn!(error = %crate::error::Chain(&e), "job sweep failed"),
                    }
                }
            }
        }
    });
}

/// One pruning pass with the configured retention.
pub async fn prune(
    store: &crate::store::Store,
    config: &crate::config::Config,
) -> crate::error::Result<crate::store::realtime::Pruned> {
    let now = chrono::Utc::now();
    let age = |secs: u64| now - chrono::Duration::seconds(secs.min(i64::MAX as u64 / 1000) as i64);
    let (outbox, receipts) = (age(config.outbox_retention_secs), age(config.receipt_retention_secs));
    store.prune_history(outbox, receipts, PRUNE_BATCH, config.notify.notify_enabled).await
}
