//! Senders: one loop per channel claims due deliveries in batches, sends
//! them concurrently and records each outcome. A failed attempt waits
//! `notify_retry_base_ms · 2^(attempts-1)` (capped, with ±25 % jitter so a
//! provider coming back is not hit by every delivery at once); the last
//! allowed attempt's failure, or a refusal retrying cannot cure, makes it
//! dead. A claim is a lease: a sender that dies lets its claims go when
//! the lease ends, and another sender takes them.

use std::{sync::Arc, time::Duration};

use async_trait::async_trait;
use chrono::Utc;
use futures::StreamExt as _;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::{
    config::NotifyConfig,
    store::{
        Store,
        deliveries::{Attempt, Delivery},
    },
};

/// What a provider accepted.
#[derive(Debug, Clone, Default)]
pub struct Accepted {
    pub provider_id: Option<String>,
    /// A handle to change the message later (WeCom cards).
    pub response_code: Option<String>,
}

/// Why an attempt failed.
#[derive(Debug, Clone)]
pub enum SendError {
    /// May pass later: retried with backoff.
    Retry(String),
    /// The provider asked us to slow down: retried no sooner than this.
    RetryAfter(String, Duration),
    /// Cannot pass: dead at once.
    Dead(String),
    /// Not now, through no fault of the message (a rate limit of ours):
    /// put back without counting the attempt.
    Later(Duration),
}

/// A delivery's message as the planner wrote it and its sender reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outgoing {
    Email {
        to: String,
        subject: String,
        text: String,
        html: String,
    },
    /// A WeCom template card to one person.
    Card {
        touser: String,
        card: serde_json::Value,
    },
    /// The buttons of every card about the delivery's item to its
    /// recipient replaced by the result. The cards may not have been
    /// accepted (or even planned in an earlier batch) when the decision
    /// was planned, so they are looked up when the update is sent.
    CardUpdate {
        userids: Vec<String>,
        /// Set in updates planned by earlier releases, which looked it up when planning.
        #[serde(default)]
        response_code: Option<String>,
        replace_name: String,
    },
    /// Markdown to the group robot that is the delivery's recipient.
    Robot {
        markdown: String,
    },
}

/// One channel's way of sending.
#[async_trait]
pub trait Channel: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    /// Most deliveries one claim takes.
    fn batch(&self) -> usize {
        usize::MAX
    }
    async fn send(&self, delivery: &Delivery, message: Outgoing) -> Result<Accepted, SendError>;
}

/// How long a claim lasts: longer than any attempt takes.
const CLAIM: chrono::Duration = chrono::Duration::seconds(60);
const IDLE: Duration = Duration::from_millis(100);

/// The delay before attempt `attempts + 1`.
pub fn backoff(config: &NotifyConfig, attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 30) as u32 - 1;
    let base = config.notify_retry_base_ms.saturating_mul(1u64 << exp.min(20));
    let capped = base.min(config.notify_retry_max_secs.saturating_mul(1000));
    let jitter = rand::random_range(0.75..1.25);
    Duration::from_millis((capped as f64 * jitter) as u64)
}

fn delta(wait: Duration) -> chrono::Duration {
    chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::days(1))
}

/// Sends `channel`'s deliveries until `stop`.
pub async fn run(
    store: Store,
    channel: Arc<dyn Channel>,
    config: Arc<NotifyConfig>,
    wake: Arc<Notify>,
    stop: CancellationToken,
) {
    let name = channel.name();
    while !stop.is_cancelled() {
        let size = channel.batch().min(config.notify_concurrency * 2) as u64;
        let batch = match store.claim_deliveries(name, size, CLAIM).await {
            Ok(batch) => batch,
            Err(e) => {
                tracing::warn!(channel = name, error = %crate::error::Chain(&e), "cannot claim deliveries");
                tokio::select! { _ = stop.cancelled() => break, _ = tokio::time::sleep(Duration::from_secs(1)) => {} }
                continue;
            }
        };
        if batch.is_empty() {
            tokio::select! {
                _ = stop.cancelled() => break,
                _ = wake.notified() => {}
                _ = tokio::time::sleep(IDLE) => {}
            }
            continue;
        }
        let outcomes: Vec<(i64, Attempt)> = futures::stream::iter(batch)
            .map(|d| attempt(channel.as_ref(), &config, d))
            .buffer_unordered(config.notify_concurrency)
            .collect()
            .await;
        // One transaction records the whole batch: one commit, not one per
        // message. If it fails, the claims lapse and the batch goes again
        // (at least once).
        if let Err(e) = store.finish_deliveries(outcomes).await {
            tracing::warn!(channel = name, error = %crate::error::Chain(&e), "cannot record deliveries");
        }
    }
}

/// One attempt at one delivery, and how it ended.
async fn attempt(channel: &dyn Channel, config: &NotifyConfig, d: Delivery) -> (i64, Attempt) {
    let name = channel.name();
    let result = match serde_json::from_str::<Outgoing>(&d.message) {
        Ok(message) => channel.send(&d, message).await,
        Err(e) => Err(SendError::Dead(format!("the stored message is unreadable: {e}"))),
    };
    let now = Utc::now();
    let (outcome, label) = match result {
        Ok(accepted) => {
            let lag = (now - d.event_at).num_milliseconds().max(0) as f64 / 1000.0;
            metrics::histogram!("notification_lag_seconds", "channel" => name).record(lag);
            (Attempt::Sent { provider_id: accepted.provider_id, response_code: accepted.response_code }, "sent")
        }
        Err(SendError::Later(wait)) => (Attempt::Later { at: now + delta(wait) }, "deferred"),
        Err(SendError::Dead(error)) => (Attempt::Dead { error }, "dead"),
        Err(SendError::Retry(error)) | Err(SendError::RetryAfter(error, _))
            if d.attempts >= config.notify_max_attempts as i32 =>
        {
            (Attempt::Dead { error: format!("{error} (after {} attempts)", d.attempts) }, "dead")
        }
        Err(SendError::Retry(error)) => {
            (Attempt::Retry { error, at: now + delta(backoff(config, d.attempts)) }, "failed")
        }
        Err(SendError::RetryAfter(error, wait)) => {
            let wait = wait.max(backoff(config, d.attempts));
            (Attempt::Retry { error, at: now + delta(wait) }, "failed")
        }
    };
    if let Attempt::Retry { error, .. } | Attempt::Dead { error } = &outcome {
        tracing::info!(channel = name, delivery = d.id, attempts = d.attempts, result = label, %error, "delivery failed");
    }
    metrics::counter!("notifications_total", "channel" => name, "result" => label).increment(1);
    (d.id, outcome)
}
