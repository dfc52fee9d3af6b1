//! The outbox relay: moves committed ticket events from the outbox table to
//! the bus, oldest first, at least once. One node relays at a time: it holds
//! a lease in the database and renews it; if it dies, the lease expires and
//! another node takes over where the outbox says. Rows are marked published
//! only after the bus accepted them, so a crash in between publishes them
//! again (nodes drop the second copy by event id). While the bus is down,
//! events wait in the outbox.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use chrono::Utc;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::bus::{Bus, Envelope, Route};
use crate::{
    domain::events::TicketEventMessage,
    store::{Store, realtime::OutboxRow},
};

const LEASE: &str = "outbox-relay";
const LEASE_TTL: chrono::Duration = chrono::Duration::seconds(10);
/// How often the relay looks when nothing woke it (commits on other nodes).
const POLL: Duration = Duration::from_millis(20);
const BATCH: u64 = 512;

/// The envelope of an outbox row: to the project, people and tags its
/// message names, carrying the event as data. `None` for a row that is not
/// a ticket event message.
pub fn envelope(row: &OutboxRow) -> Option<Envelope> {
    let message: TicketEventMessage = serde_json::from_str(&row.payload).ok()?;
    let data = serde_json::json!({
        "type": "ticket_event",
        "event_id": message.event_id.to_string(),
        "ticket_id": message.ticket_id.to_string(),
        "kind": message.kind,
        "status": message.status,
        "actor_id": message.actor_id.map(|a| a.to_string()),
        "payload": message.payload,
        "at": message.at,
    });
    Some(Envelope {
        pid: message.pid,
        route: Route::Union { uids: message.audience.iter().map(i64::to_string).collect(), tags: message.tags },
        data: super::bus::JsonText::of(&data),
        event_id: Some(message.event_id),
        committed_ms: row.created_at.timestamp_millis().max(0) as u64,
        control: None,
    })
}

/// Runs the relay until `stop`; `wake` is notified after local commits so
/// they go out without waiting for the next poll.
pub async fn run(
    store: Store,
    bus: Arc<dyn Bus>,
    node: String,
    wake: Arc<Notify>,
    leading_flag: Arc<AtomicBool>,
    stop: CancellationToken,
) {
    let mut leading = false;
    let mut renewed = tokio::time::Instant::now();
    let mut backoff = Duration::from_millis(100);
    while !stop.is_cancelled() {
        if !leading || renewed.elapsed() > Duration::from_secs(3) {
            match store.try_lease(LEASE, &node, LEASE_TTL).await {
                Ok(held) => {
                    if held != leading {
                        tracing::info!(node = %node, leading = held, "outbox relay lease changed");
                    }
                    leading = held;
                    leading_flag.store(held, Ordering::Relaxed);
                    renewed = tokio::time::Instant::now();
                }
                Err(err) => {
                    tracing::warn!(error = %crate::error::Chain(&err), "outbox relay cannot reach the database");
                    leading = false;
                    leading_flag.store(false, Ordering::Relaxed);
                }
            }
            if !leading {
                tokio::select! {
                    _ = stop.cancelled() => break,
                    _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
                }
            }
        }
        match relay_batch(&store, bus.as_ref()).await {
            Ok(0) => {
                backoff = Duration::from_millis(100);
                tokio::select! {
                    _ = stop.cancelled() => break,
                    _ = wake.notified() => {}
                    _ = tokio::time::sleep(POLL) => {}
                }
            }
            Ok(_) => backoff = Duration::from_millis(100),
            Err(err) => {
                tracing::warn!(error = %err, "outbox relay paused");
                tokio::select! {
                    _ = stop.cancelled() => break,
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(2));
            }
        }
    }
    if leading {
        let _ = store.release_lease(LEASE, &node).await;
    }
}

/// Publishes one batch; returns how many rows went out.
async fn relay_batch(store: &Store, bus: &dyn Bus) -> anyhow::Result<usize> {
    let rows = store.unpublished_outbox(BATCH).await?;
    if let Some(oldest) = rows.first() {
        let lag = (Utc::now() - oldest.created_at).num_milliseconds().max(0) as f64 / 1000.0;
        metrics::gauge!("relay_lag_seconds").set(lag);
    } else {
        metrics::gauge!("relay_lag_seconds").set(0.0);
        return Ok(0);
    }
    let mut published = Vec::with_capacity(rows.len());
    let mut failure = None;
    for row in &rows {
        match envelope(row) {
            Some(envelope) => match bus.publish(&envelope).await {
                Ok(_) => published.push(row.id),
                Err(err) => {
                    failure = Some(err);
                    break;
                }
            },
            None => {
                tracing::error!(
                    outbox_id = row.id,
                    "outbox row is not a ticket event; marking it published to unblock the relay"
                );
                published.push(row.id);
            }
        }
    }
    store.mark_published(&published).await?;
    metrics::counter!("relay_published_total").increment(published.len() as u64);
    match failure {
        Some(err) => Err(err.into()),
        None => Ok(published.len()),
    }
}
