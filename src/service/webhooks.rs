//! The webhook executor: every node claims due webhook jobs and calls
//! their task's URL with the job as JSON, signed as Standard Webhooks
//! does (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64
//! HMAC-SHA256 of "id.timestamp.body">`, with the cluster's `whsec_`
//! secret). A 2xx answer completes a `sync` job with its body as output, or
//! hands an `async` job to its receiver, who completes it through the API
//! before the task's timeout; 5xx, 408, 429, timeouts and connection errors
//! are retried with the task's backoff; any other answer fails the job.
//!
//! Claims are leased, so a node that dies mid-call loses its jobs to the
//! next claim; a call that outlives its lease cannot record its outcome
//! (the guarded change is refused) and the job runs again.

use std::{sync::Arc, time::Duration};

use base64::{Engine as _, engine::general_purpose::STANDARD};
use chrono::Utc;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::tickets::{
    Workflow,
    jobs::{Claimed, WEBHOOK},
};
use crate::{
    domain::automation::{Executor, WEBHOOK_KIND, WebhookMode},
    error::{Error, Result},
};

/// The name of the signing secret among the cluster's secrets.
pub const SECRET_NAME: &str = "webhook_signing";
/// How often an idle executor looks for due jobs.
const POLL: Duration = Duration::from_millis(500);
/// Jobs one node calls at once.
const BATCH: u32 = 16;
/// How much longer than the call's timeout a claim is leased.
const LEASE_MARGIN_SECS: i64 = 10;

/// The cluster's signing secret, created by the first node that needs it.
pub async fn signing_secret(store: &crate::store::Store) -> Result<String> {
    store.secret_or_create(SECRET_NAME, || format!("whsec_{}", STANDARD.encode(rand::random::<[u8; 32]>()))).await
}

/// The `webhook-signature` value of `body` sent as `id` at `timestamp`.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Result<String> {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .map_err(|e| Error::internal(anyhow::anyhow!("the webhook signing secret is not base64: {e}")))?;
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).map_err(Error::internal)?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Ok(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// How one call ended.
enum Called {
    Done(Option<Value>),
    Accepted,
    Retry(String),
    Refused(String),
}

pub struct WebhookExecutor {
    pub workflow: Arc<Workflow>,
    pub http: reqwest::Client,
}

impl WebhookExecutor {
    /// Starts the executor on `tasks`; it ends when `stop` is cancelled,
    /// after the calls under way have recorded their outcome.
    pub fn spawn(tasks: &mut JoinSet<()>, workflow: Arc<Workflow>, stop: CancellationToken) -> anyhow::Result<()> {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
        let executor = Arc::new(Self { workflow, http });
        tasks.spawn(async move {
            loop {
                let ran = tokio::select! {
                    _ = stop.cancelled() => break,
                    ran = executor.run_once() => ran,
                };
                let idle = match ran {
                    Ok(n) => n == 0,
                    Err(e) => {
                        tracing::warn!(error = %crate::error::Chain(&e), "webhook executor");
                        true
                    }
                };
                if idle {
                    tokio::select! { _ = stop.cancelled() => break, _ = tokio::time::sleep(POLL) => {} }
                }
            }
        });
        Ok(())
    }

    /// Claims a batch and calls each job's receiver; returns how many ran.
    pub async fn run_once(&self) -> Result<usize> {
        let claimed = self.workflow.claim_as(WEBHOOK, &[WEBHOOK_KIND.to_string()], BATCH, 30).await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let secret = signing_secret(&self.workflow.store).await?;
        let n = claimed.len();
        futures::future::join_all(claimed.into_iter().map(|c| self.run(c, &secret))).await;
        Ok(n)
    }

    async fn run(&self, claimed: Claimed, secret: &str) {
        let job_id = claimed.job.id;
        if let Err(e) = self.call_and_record(claimed, secret).await {
            // A lost lease or a closed ticket: the job's state says what next.
            tracing::info!(job = job_id, error = %crate::error::Chain(&e), "webhook outcome not recorded");
        }
    }

    async fn call_and_record(&self, Claimed { mut job, ticket }: Claimed, secret: &str) -> Result<()> {
        let version = self.workflow.catalog.version(ticket.template_version_id).await?;
        let Some(Executor::Webhook { url, mode }) = version.tasks.get(job.seq as usize).map(|t| t.executor.clone())
        else {
            return self
                .workflow
                .fail_attempt(job, "the task is not a webhook".into(), false, Some(Utc::now()))
                .await
                .map(drop);
        };
        let timeout = Duration::from_secs(job.timeout_secs.max(1) as u64);
        // The claim's lease is short; a long call keeps it for its timeout.
        if job.timeout_secs as i64 + LEASE_MARGIN_SECS > 30 {
            let until = Utc::now() + chrono::Duration::seconds(job.timeout_secs as i64 + LEASE_MARGIN_SECS);
            if !self.workflow.store.extend_lease(&job, until).await? {
                return Ok(());
            }
            job.lease_expires_at = Some(until);
        }
        let id = format!("job_{}_{}", job.id, job.attempts);
        let timestamp = Utc::now().timestamp();
        let body = json!({
            "type": "job.run",
            "timestamp": Utc::now(),
            "data": {
                "job": { "id": job.id.to_string(), "seq": job.seq, "name": job.name, "attempt": job.attempts,
                         "params": serde_json::from_str::<Value>(&job.params).unwrap_or(Value::Null),
                         "mode": match mode { WebhookMode::Sync => "sync", WebhookMode::Async => "async" } },
                "ticket": { "id": ticket.id.to_string(), "number": ticket.number, "title": ticket.title,
                            "template": ticket.template_code, "applicant_id": ticket.applicant_id.to_string(),
                            "form": serde_json::from_str::<Value>(&ticket.form).unwrap_or(Value::Null) },
            }
        })
        .to_string();
        let signature = sign(secret, &id, timestamp, &body)?;
        let sent = self
            .http
            .post(&url)
            .timeout(timeout)
            .header("content-type", "application/json")
            .header("webhook-id", &id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await;
        let called = match sent {
            Err(e) if e.is_timeout() => Called::Retry(format!("no answer within {} s", timeout.as_secs())),
            Err(e) => Called::Retry(format!("the call failed: {}", crate::error::Chain(&e))),
            Ok(resp) => {
                let status = resp.status();
                let text = resp.text().await.unwrap_or_default();
                let said = text.chars().take(500).collect::<String>();
                match status.as_u16() {
                    200..=299 if mode == WebhookMode::Async => Called::Accepted,
                    200..=299 => Called::Done(
                        serde_json::from_str(&text)
                            .ok()
                            .or_else(|| (!text.trim().is_empty()).then(|| json!({ "text": said }))),
                    ),
                    408 | 429 | 500..=599 => Called::Retry(format!("HTTP {status}: {said}")),
                    _ => Called::Refused(format!("HTTP {status}: {said}")),
                }
            }
        };
        let now = Some(Utc::now());
        match called {
            Called::Done(output) => self.workflow.webhook_done(job, output).await,
            Called::Accepted => self.workflow.webhook_accepted(job).await,
            Called::Retry(error) => self.workflow.fail_attempt(job, error, true, now).await.map(drop),
            Called::Refused(error) => self.workflow.fail_attempt(job, error, false, now).await.map(drop),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_follow_standard_webhooks() {
        // The example of the Standard Webhooks specification.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        let got = sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).unwrap();
        assert_eq!(got, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }
}
