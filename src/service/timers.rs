//! Work that happens because time passed, not because someone asked: for
//! now, handing the open items of ended proxy windows back to their
//! principals. Every node runs it; each hand-over is a versioned ticket
//! transition, so nodes sweeping at once settle each item once.

use std::{sync::Arc, time::Duration};

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::tickets::Workflow;

/// How often ended proxy windows are looked for. Until a sweep hands an
/// item back, the ended proxy still sees it but cannot act on it.
const PROXY_SWEEP: Duration = Duration::from_secs(5);

/// Starts the timers on `tasks`; they end when `stop` is cancelled.
pub fn spawn(tasks: &mut JoinSet<()>, workflow: Arc<Workflow>, stop: CancellationToken) {
    tasks.spawn(async move {
        let mut every = tokio::time::interval(PROXY_SWEEP);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = stop.cancelled() => break,
                _ = every.tick() => match workflow.hand_back_ended_proxies().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(windows = n, "handed back the items of ended proxy windows"),
                    Err(e) => tracing::warn!(error = %crate::error::Chain(&e), "proxy sweep failed"),
                },
            }
        }
    });
}
