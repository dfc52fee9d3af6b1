//! Automation jobs of processing tickets (自动化工单). The first job is
//! queued in the transaction that puts a ticket in processing; each job
//! that succeeds (or that an administrator skips) queues the next task's
//! job in its own transaction, and the last one finishes the ticket, DONE
//! and APPROVED. A job that fails for good leaves the ticket in processing,
//! marked by that job, and alarms the administrators, who retry it, skip
//! it or reject the ticket. Every change of a job is a ticket event.
//!
//! Holders: a bot claims as `user:<id>`; the webhook executor claims as
//! `webhook`, and an asynchronous receiver's accepted job is held by
//! `webhook-async` until someone running automations completes it.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use super::{
    Outcome, Workflow,
    act::Transition,
    persist::{dump, load_state, tags},
};
use crate::{
    domain::{
        access::{Actor, Permission},
        automation::{self, JobStatus, Task},
        events::job_hearers,
        workflow::{Command, OrgView as _, TicketState, TicketStatus},
    },
    error::{Error, Result},
    service::{catalog::CompiledVersion, input::parse_id},
    store::{
        jobs::{Job, JobChange, JobSet, NewJob},
        tickets::{EventWrite, Ticket, TicketUpdate},
    },
};

/// The holder of an accepted asynchronous webhook job.
pub const WEBHOOK_ASYNC: &str = "webhook-async";
/// The holder of a job the webhook executor is calling out for.
pub const WEBHOOK: &str = "webhook";

/// The longest lease a claim or heartbeat may ask for.
pub const MAX_LEASE_SECS: u32 = 3_600;
/// The most jobs one claim returns.
pub const MAX_CLAIM: u32 = 100;
/// Outputs and errors are kept to this many bytes.
const MAX_OUTPUT: usize = 64 * 1024;
const MAX_ERROR: usize = 4 * 1024;

/// A claimed job with the ticket it works on.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub job: Job,
    pub ticket: Ticket,
}

/// The job of task `seq` of `tasks` for a ticket with `form` and `number`.
pub fn job_for(tasks: &[Task], seq: usize, form: &Value, number: &str) -> Option<NewJob> {
    let task = tasks.get(seq)?;
    Some(NewJob {
        seq: seq as i32,
        name: task.name.clone(),
        executor: match task.executor {
            automation::Executor::Bot { .. } => "bot",
            automation::Executor::Webhook { .. } => "webhook",
        },
        kind: task.kind().to_string(),
        params: automation::render_params(&task.params, form, number).to_string(),
        max_attempts: task.retry.max_attempts as i32,
        backoff_secs: task.retry.backoff_secs as i32,
        timeout_secs: task.timeout_secs as i32,
    })
}

/// The first job of a ticket that enters processing now (`before` is the
/// status it had, none at filing).
pub fn first_job(
    version: &CompiledVersion,
    before: Option<TicketStatus>,
    after: TicketStatus,
    form: &str,
    number: &str,
) -> Result<Option<NewJob>> {
    if after != TicketStatus::Processing || before == Some(TicketStatus::Processing) || version.tasks.is_empty() {
        return Ok(None);
    }
    let form: Value = serde_json::from_str(form).map_err(Error::internal)?;
    Ok(job_for(&version.tasks, 0, &form, number))
}

fn job_payload(job: &Job) -> Value {
    json!({ "job": { "id": job.id.to_string(), "seq": job.seq, "name": job.name, "kind": job.kind, "attempt": job.attempts } })
}

fn clip(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

/// A lease length a bot asked for, checked.
fn lease(secs: u32) -> Result<Duration> {
    if !(1..=MAX_LEASE_SECS).contains(&secs) {
        return Err(Error::invalid_field(
            "invalid_lease",
            "leaseSeconds",
            format!("a lease is 1 to {MAX_LEASE_SECS} seconds"),
        ));
    }
    Ok(Duration::seconds(secs as i64))
}

/// Why a holder's change of `job` was refused, read after the fact.
fn refusal(job: Option<&Job>) -> Error {
    match job.map(|j| JobStatus::from_stored(&j.status)) {
        None => Error::not_found("job"),
        Some(Some(JobStatus::Cancelled)) => Error::conflict("job_closed", "the ticket closed; this job was cancelled"),
        Some(Some(JobStatus::Succeeded | JobStatus::Failed | JobStatus::Skipped)) => {
            Error::conflict("job_finished", "this job has already finished")
        }
        Some(_) => Error::conflict(
            "lease_lost",
            "your lease on this job lapsed: it waits for a new claim or another claim holds it",
        ),
    }
}

impl Workflow {
    fn holder(actor: &Actor) -> String {
        format!("user:{}", actor.user_id)
    }

    /// An event about `job` on `ticket`, which keeps its status; `queued`
    /// names the kind of a job that became due, whose bots hear of it.
    async fn job_event(
        &self,
        ticket: &Ticket,
        kind: &str,
        job: &Job,
        extra: Value,
        queued: Option<&str>,
    ) -> Result<EventWrite> {
        let state = load_state(ticket)?;
        let admins = if kind == "job_failed" { self.catalog.org().await?.admins() } else { Vec::new() };
        Ok(job_event_on(ticket, &state, kind, job, extra, queued, &admins))
    }

    /// Bots: claims up to `max` due jobs of `kinds` for `lease_secs`.
    pub async fn claim_jobs(&self, actor: &Actor, kinds: &[String], max: u32, lease_secs: u32) -> Result<Vec<Claimed>> {
        actor.require(Permission::RunAutomations)?;
        self.claim_as(&Self::holder(actor), kinds, max, lease_secs).await
    }

    pub(crate) async fn claim_as(
        &self,
        holder: &str,
        kinds: &[String],
        max: u32,
        lease_secs: u32,
    ) -> Result<Vec<Claimed>> {
        if kinds.is_empty() || kinds.len() > 20 || kinds.iter().any(|k| !automation::valid_kind(k)) {
            return Err(Error::invalid_field("invalid_kinds", "kinds", "1 to 20 job kinds (a-z, 0-9, '.', '_', '-')"));
        }
        if !(1..=MAX_CLAIM).contains(&max) {
            return Err(Error::invalid_field("invalid_max", "max", format!("a claim takes 1 to {MAX_CLAIM} jobs")));
        }
        let until = Utc::now() + lease(lease_secs)?;
        let claimed = self
            .store
            .claim_jobs(holder, kinds, max as u64, until, |claimed| {
                claimed
                    .iter()
                    .map(|(job, ticket)| {
                        let state = load_state(ticket)?;
                        let extra = json!({ "reclaimed": job.attempts > 1 });
                        Ok(job_event_on(ticket, &state, "job_started", job, extra, None, &[]))
                    })
                    .collect()
            })
            .await?;
        Ok(claimed.into_iter().map(|(job, ticket)| Claimed { job, ticket }).collect())
    }

    /// The job `id` if `actor` holds it under a running lease (at `attempt`,
    /// when given): what heartbeats, completions and failures act on.
    async fn held_job(&self, actor: &Actor, id: &str, attempt: Option<i32>) -> Result<Job> {
        actor.require(Permission::RunAutomations)?;
        let job = self.store.job(parse_id("jobId", id)?).await?.ok_or(Error::not_found("job"))?;
        let mine = match job.holder.as_deref() {
            Some(WEBHOOK_ASYNC) => true,
            Some(h) => h == Self::holder(actor),
            None => false,
        };
        let running = job.status == JobStatus::Running.as_str() && job.lease_expires_at.is_some_and(|t| t > Utc::now());
        if !mine || !running || attempt.is_some_and(|a| a != job.attempts) {
            return Err(refusal(Some(&job)));
        }
        Ok(job)
    }

    /// A holder keeps its lease for `lease_secs` more, never past the
    /// attempt's timeout.
    pub async fn heartbeat_job(&self, actor: &Actor, id: &str, attempt: Option<i32>, lease_secs: u32) -> Result<Job> {
        let length = lease(lease_secs)?;
        let job = self.held_job(actor, id, attempt).await?;
        let deadline = job.started_at.unwrap_or_else(Utc::now) + Duration::seconds(job.timeout_secs as i64);
        let until = (Utc::now() + length).min(deadline);
        if until <= Utc::now() {
            return Err(Error::conflict("job_timed_out", "this attempt has run for its task's whole timeout"));
        }
        if !self.store.extend_lease(&job, until).await? {
            return Err(refusal(self.store.job(job.id).await?.as_ref()));
        }
        Ok(self.store.job(job.id).await?.ok_or(Error::not_found("job"))?)
    }

    /// The holder reports the job done with `output`; the ticket goes on
    /// to its next task, or is done.
    pub async fn complete_job(
        &self,
        actor: &Actor,
        id: &str,
        attempt: Option<i32>,
        output: Option<Value>,
    ) -> Result<Job> {
        let output = output.map(|o| o.to_string());
        if output.as_ref().is_some_and(|o| o.len() > MAX_OUTPUT) {
            return Err(Error::invalid_field("output_too_large", "output", "an output has at most 64 KiB of JSON"));
        }
        let job = self.held_job(actor, id, attempt).await?;
        self.move_on(job, JobSet::Succeeded { output }, "job_succeeded", Some(Utc::now()), None).await
    }

    /// The holder reports the attempt failed: tried again after the
    /// backoff while attempts are left and the failure is `retryable`,
    /// else failed for good (the administrators are alarmed).
    pub async fn fail_job(
        &self,
        actor: &Actor,
        id: &str,
        attempt: Option<i32>,
        error: &str,
        retryable: bool,
    ) -> Result<Job> {
        let error = clip(error.trim(), MAX_ERROR);
        if error.is_empty() {
            return Err(Error::invalid_field("invalid_error", "error", "say what went wrong"));
        }
        let job = self.held_job(actor, id, attempt).await?;
        self.fail_attempt(job, error, retryable, Some(Utc::now())).await
    }

    pub(crate) async fn fail_attempt(
        &self,
        job: Job,
        error: String,
        retryable: bool,
        leased_at: Option<chrono::DateTime<Utc>>,
    ) -> Result<Job> {
        let ticket = self.store.ticket(job.ticket_id).await?.ok_or(Error::not_found("ticket"))?;
        let retry = automation::Retry { max_attempts: job.max_attempts as u32, backoff_secs: job.backoff_secs as u32 };
        let (set, kind, extra, queued) = if retryable && job.attempts < job.max_attempts {
            let at = Utc::now()
                + Duration::from_std(automation::retry_delay(&retry, job.attempts as u32)).map_err(Error::internal)?;
            (
                JobSet::Retry { error: error.clone(), at },
                "job_retrying",
                json!({ "error": error, "retry_at": at }),
                Some(job.kind.clone()),
            )
        } else {
            (JobSet::Failed { error: error.clone() }, "job_failed", json!({ "error": error }), None)
        };
        let event = self.job_event(&ticket, kind, &job, extra, queued.as_deref()).await?;
        let id = job.id;
        let change = JobChange { job, leased_at, set, next: None, ticket: None, event };
        self.save(change, id).await
    }

    /// Saves a job change and answers the job as it now is; a change lost
    /// to another is explained by what the job became.
    async fn save(&self, change: JobChange, id: i64) -> Result<Job> {
        match self.store.save_job_change(change).await {
            Ok(job) => Ok(job),
            Err(Error::Conflict { code: "job_changed", .. }) => Err(refusal(self.store.job(id).await?.as_ref())),
            Err(e) => Err(e),
        }
    }

    /// The job ends well (done, or skipped): the next task's job is queued
    /// with it, or the ticket is done.
    async fn move_on(
        &self,
        job: Job,
        set: JobSet,
        kind: &'static str,
        leased_at: Option<chrono::DateTime<Utc>>,
        by: Option<i64>,
    ) -> Result<Job> {
        let ticket = self.store.ticket(job.ticket_id).await?.ok_or(Error::not_found("ticket"))?;
        let version = self.catalog.version(ticket.template_version_id).await?;
        let form: Value = serde_json::from_str(&ticket.form).map_err(Error::internal)?;
        let next = job_for(&version.tasks, job.seq as usize + 1, &form, &ticket.number);
        let id = job.id;
        let change = match next {
            Some(next) => {
                let mut event = self.job_event(&ticket, kind, &job, json!({}), Some(&next.kind)).await?;
                event.actor_id = by;
                JobChange { job, leased_at, set, next: Some(next), ticket: None, event }
            }
            None => {
                let before = load_state(&ticket)?;
                let mut state = before.clone();
                let changes = state.apply(Command::AutomationsFinished, 0).map_err(super::persist::refused)?;
                let update = finished_update(&state)?;
                let mut payload = job_payload(&job);
                payload["changes"] = json!(changes);
                payload["via"] = json!(kind);
                let event = EventWrite {
                    kind: "processing_finished".into(),
                    actor_id: by,
                    on_behalf_of: None,
                    status_before: Some(before.status.as_str().into()),
                    status_after: state.status.as_str().into(),
                    payload,
                    hearers: job_hearers(&state, false, &[]),
                    tags: tags(&ticket),
                    firing: None,
                };
                JobChange { job, leased_at, set, next: None, ticket: Some((ticket.version, update)), event }
            }
        };
        self.save(change, id).await
    }

    /// The webhook executor's call completed a synchronous job.
    pub(crate) async fn webhook_done(&self, job: Job, output: Option<Value>) -> Result<()> {
        let output = output
            .map(|o| o.to_string())
            .map(|o| if o.len() <= MAX_OUTPUT { o } else { json!({ "truncated": clip(&o, 1024) }).to_string() });
        self.move_on(job, JobSet::Succeeded { output }, "job_succeeded", Some(Utc::now()), None).await.map(drop)
    }

    /// An asynchronous receiver accepted the job: it completes it through
    /// the API before the task's timeout, or the job runs again.
    pub(crate) async fn webhook_accepted(&self, job: Job) -> Result<()> {
        let ticket = self.store.ticket(job.ticket_id).await?.ok_or(Error::not_found("ticket"))?;
        let until = Utc::now() + Duration::seconds(job.timeout_secs as i64);
        let event = self.job_event(&ticket, "job_accepted", &job, json!({ "until": until }), None).await?;
        let set = JobSet::Accepted { holder: WEBHOOK_ASYNC.into(), until };
        let id = job.id;
        self.save(JobChange { job, leased_at: Some(Utc::now()), set, next: None, ticket: None, event }, id)
            .await
            .map(drop)
    }

    /// The job's ticket, still processing: a job of a closed ticket is
    /// history, never run or skipped again.
    async fn open_ticket_of(&self, job: &Job) -> Result<Ticket> {
        let ticket = self.store.ticket(job.ticket_id).await?.ok_or(Error::not_found("ticket"))?;
        if ticket.status != TicketStatus::Processing.as_str() {
            return Err(Error::conflict("job_closed", "the ticket is closed; its jobs no longer run"));
        }
        Ok(ticket)
    }

    fn administered_job(&self, actor: &Actor) -> Result<()> {
        actor.require(Permission::ManageTemplates)
    }

    /// Administrators: a failed job is due again now, with its attempts anew.
    pub async fn retry_job(&self, actor: &Actor, id: &str) -> Result<Job> {
        self.administered_job(actor)?;
        let job = self.store.job(parse_id("jobId", id)?).await?.ok_or(Error::not_found("job"))?;
        if job.status != JobStatus::Failed.as_str() {
            return Err(Error::invalid("job_not_failed", "only a job that failed for good is retried"));
        }
        let ticket = self.open_ticket_of(&job).await?;
        let mut event = self.job_event(&ticket, "job_retried", &job, json!({}), Some(&job.kind)).await?;
        event.actor_id = Some(actor.user_id);
        let id = job.id;
        self.save(JobChange { job, leased_at: None, set: JobSet::Requeued, next: None, ticket: None, event }, id).await
    }

    /// Administrators: a failed (or waiting) job is passed over; the
    /// ticket goes on as if it had succeeded.
    pub async fn skip_job(&self, actor: &Actor, id: &str) -> Result<Job> {
        self.administered_job(actor)?;
        let job = self.store.job(parse_id("jobId", id)?).await?.ok_or(Error::not_found("job"))?;
        if ![JobStatus::Failed.as_str(), JobStatus::Pending.as_str()].contains(&job.status.as_str()) {
            return Err(Error::invalid("job_not_skippable", "only a failed or waiting job is skipped"));
        }
        self.open_ticket_of(&job).await?;
        self.move_on(job, JobSet::Skipped, "job_skipped", None, Some(actor.user_id)).await
    }

    /// Administrators: a processing ticket is given up on; it ends
    /// rejected and its open jobs are cancelled.
    pub async fn reject_processing(&self, actor: &Actor, ticket_id: &str, reason: &str) -> Result<Outcome> {
        self.administered_job(actor)?;
        let ticket = self.visible_ticket(actor, parse_id("ticketId", ticket_id)?).await?;
        let reason = super::act::reason_text(reason)?;
        if reason.is_empty() {
            return Err(Error::invalid_field("reason_required", "reason", "say why the ticket is given up on"));
        }
        let t = Transition {
            ticket,
            command: Command::RejectProcessing,
            kind: "rejected",
            on_behalf_of: None,
            extra: json!({ "reason": reason }),
            receipt: &None,
            urged: false,
            firing: None,
            at: None,
        };
        self.transition(actor, t).await
    }

    /// Jobs whose lease lapsed on their last attempt fail for good; run by
    /// every node's timers (each change is guarded, so one node wins).
    pub async fn fail_exhausted_jobs(&self) -> Result<usize> {
        let mut failed = 0;
        for job in self.store.exhausted_jobs(Utc::now(), 100).await? {
            let error = "the lease lapsed on the last attempt (the runner stopped or timed out)".to_string();
            match self.fail_attempt(job, error, false, None).await {
                Ok(_) => failed += 1,
                Err(Error::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(failed)
    }

    /// A ticket's jobs, for someone who may see the ticket.
    pub async fn jobs_of(&self, ticket: &Ticket) -> Result<Vec<Job>> {
        self.store.jobs_of(ticket.id).await
    }
}

/// The ticket row once its automations are finished.
fn finished_update(state: &TicketState) -> Result<TicketUpdate> {
    Ok(TicketUpdate {
        status: state.status.as_str().into(),
        result: state.result.map(|r| r.as_str().into()),
        round: state.round as i32,
        state: dump(state)?,
        form: None,
        title: None,
        done: true,
        urged: false,
        close_jobs: false,
        job: None,
    })
}

fn job_event_on(
    ticket: &Ticket,
    state: &TicketState,
    kind: &str,
    job: &Job,
    extra: Value,
    queued: Option<&str>,
    admins: &[i64],
) -> EventWrite {
    let mut payload = job_payload(job);
    if let (Value::Object(p), Value::Object(extra)) = (&mut payload, extra) {
        p.extend(extra);
    }
    let mut tags = tags(ticket);
    tags.extend(queued.map(|k| format!("jobs:{k}")));
    EventWrite {
        kind: kind.into(),
        actor_id: None,
        on_behalf_of: None,
        status_before: Some(ticket.status.clone()),
        status_after: ticket.status.clone(),
        payload,
        hearers: job_hearers(state, kind == "job_failed", admins),
        tags,
        firing: None,
    }
}
