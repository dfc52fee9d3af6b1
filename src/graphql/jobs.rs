//! Automation jobs over GraphQL: bots claim, heartbeat, complete and fail
//! the jobs of the kinds they serve; administrators list failed jobs,
//! retry or skip them, or give up on the ticket; anyone who sees a ticket
//! sees its jobs (`Ticket.jobs`).

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Json, Object};
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{
    context::{actor, store},
    ticket_types::TicketNode,
    workflow::TicketPayload,
};
use crate::{
    domain::{access::Permission, automation},
    error::{Error, Result},
    service::{
        input::parse_id,
        tickets::{Workflow, jobs::Claimed},
    },
    store::{jobs::Job, tickets::Ticket},
};

fn engine<'a>(ctx: &'a Context<'_>) -> &'a Workflow {
    ctx.data_unchecked::<Arc<Workflow>>()
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "automation::JobStatus")]
/// Where an automation job stands: 待执行, running, 完成, 执行异常, skipped, cancelled.
pub enum JobStatus {
    Pending,
    Running,
    Succeeded,
    Failed,
    Skipped,
    Cancelled,
}

/// One task of a processing ticket's automations, as a job.
pub struct JobNode {
    pub job: Job,
    /// The ticket, when the caller already has it (claims).
    pub ticket: Option<Ticket>,
}

fn json_text(text: Option<&str>) -> Option<Json<Value>> {
    text.and_then(|t| serde_json::from_str(t).ok()).map(Json)
}

#[Object(name = "Job")]
impl JobNode {
    async fn id(&self) -> ID {
        ID(self.job.id.to_string())
    }
    /// The task's position in the version's automations, from 0.
    async fn seq(&self) -> i32 {
        self.job.seq
    }
    async fn name(&self) -> &str {
        &self.job.name
    }
    /// `bot` or `webhook`.
    async fn executor(&self) -> &str {
        &self.job.executor
    }
    /// The queue bots claim from (`webhook` for webhook tasks).
    async fn kind(&self) -> &str {
        &self.job.kind
    }
    async fn status(&self) -> Result<JobStatus> {
        automation::JobStatus::from_stored(&self.job.status)
            .map(Into::into)
            .ok_or_else(|| Error::internal(anyhow::anyhow!("job {} has status {:?}", self.job.id, self.job.status)))
    }
    /// Claims so far; a claim sends `attempt` back to act on this one.
    async fn attempts(&self) -> i32 {
        self.job.attempts
    }
    async fn max_attempts(&self) -> i32 {
        self.job.max_attempts
    }
    async fn timeout_seconds(&self) -> i32 {
        self.job.timeout_secs
    }
    /// The task's parameters with the ticket's values filled in.
    async fn params(&self) -> Option<Json<Value>> {
        json_text(Some(&self.job.params))
    }
    async fn output(&self) -> Option<Json<Value>> {
        json_text(self.job.output.as_deref())
    }
    async fn last_error(&self) -> Option<&str> {
        self.job.last_error.as_deref()
    }
    async fn lease_expires_at(&self) -> Option<DateTime<Utc>> {
        self.job.lease_expires_at
    }
    /// Not claimed before this time (a retry's backoff).
    async fn available_at(&self) -> DateTime<Utc> {
        self.job.available_at
    }
    async fn started_at(&self) -> Option<DateTime<Utc>> {
        self.job.started_at
    }
    async fn finished_at(&self) -> Option<DateTime<Utc>> {
        self.job.finished_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.job.created_at
    }
    /// The ticket the job works on, with its form: its holder, anyone
    /// running automations and administrators read it here.
    async fn ticket(&self, ctx: &Context<'_>) -> Result<TicketNode> {
        let row = match &self.ticket {
            Some(t) => t.clone(),
            None => store(ctx).ticket(self.job.ticket_id).await?.ok_or(Error::not_found("ticket"))?,
        };
        Ok(TicketNode::new(row))
    }
}

fn nodes(jobs: Vec<Job>) -> Vec<JobNode> {
    jobs.into_iter().map(|job| JobNode { job, ticket: None }).collect()
}

fn node(job: Job) -> JobNode {
    JobNode { job, ticket: None }
}

#[derive(Default)]
pub struct JobQuery;

#[Object]
impl JobQuery {
    /// Administrators and bots: jobs in `status` (FAILED by default),
    /// newest first, of one `kind` if given; `before` pages by job id.
    async fn jobs(
        &self,
        ctx: &Context<'_>,
        status: Option<JobStatus>,
        kind: Option<String>,
        before: Option<ID>,
        #[graphql(default = 50)] first: i32,
    ) -> Result<Vec<JobNode>> {
        let actor = actor(ctx)?;
        if !actor.can(Permission::ManageTemplates) {
            actor.require(Permission::RunAutomations)?;
        }
        let before = before.map(|b| parse_id("before", &b)).transpose()?;
        let status = status.map(Into::into).unwrap_or(automation::JobStatus::Failed);
        let first = first.clamp(1, 200) as u64;
        Ok(nodes(store(ctx).jobs_in(status, kind.as_deref(), before, first).await?))
    }

    /// Administrators: the secret webhook receivers check signatures with
    /// (Standard Webhooks, `whsec_…`).
    async fn webhook_signing_secret(&self, ctx: &Context<'_>) -> Result<String> {
        actor(ctx)?.require(Permission::ManageTemplates)?;
        crate::service::webhooks::signing_secret(store(ctx)).await
    }
}

#[derive(Default)]
pub struct JobMutation;

#[Object]
impl JobMutation {
    /// Bots: up to `max` due jobs of `kinds`, each leased to the caller for
    /// `leaseSeconds` (at most 3600; a heartbeat keeps it). A job whose
    /// holder's lease lapsed is claimed again (another attempt).
    async fn claim_jobs(
        &self,
        ctx: &Context<'_>,
        kinds: Vec<String>,
        #[graphql(default = 1)] max: i32,
        #[graphql(default = 60)] lease_seconds: i32,
    ) -> Result<Vec<JobNode>> {
        let (max, lease) = (max.clamp(0, i32::MAX) as u32, lease_seconds.clamp(0, i32::MAX) as u32);
        let claimed = engine(ctx).claim_jobs(actor(ctx)?, &kinds, max, lease).await?;
        Ok(claimed.into_iter().map(|Claimed { job, ticket }| JobNode { job, ticket: Some(ticket) }).collect())
    }

    /// The holder keeps its lease `leaseSeconds` longer (never past the
    /// task's timeout). `attempt`, when sent, must be the claim's.
    async fn heartbeat_job(
        &self,
        ctx: &Context<'_>,
        job_id: ID,
        attempt: Option<i32>,
        #[graphql(default = 60)] lease_seconds: i32,
    ) -> Result<JobNode> {
        let lease = lease_seconds.clamp(0, i32::MAX) as u32;
        Ok(node(engine(ctx).heartbeat_job(actor(ctx)?, &job_id, attempt, lease).await?))
    }

    /// The holder reports the job done; the ticket moves to its next task,
    /// or is done. Refused once the lease is lost (`lease_lost`) or the job
    /// finished (`job_finished`).
    async fn complete_job(
        &self,
        ctx: &Context<'_>,
        job_id: ID,
        attempt: Option<i32>,
        output: Option<Json<Value>>,
    ) -> Result<JobNode> {
        Ok(node(engine(ctx).complete_job(actor(ctx)?, &job_id, attempt, output.map(|o| o.0)).await?))
    }

    /// The holder reports the attempt failed: retried after the task's
    /// backoff while attempts are left and `retryable`, else failed for
    /// good (执行异常; administrators are alarmed).
    async fn fail_job(
        &self,
        ctx: &Context<'_>,
        job_id: ID,
        attempt: Option<i32>,
        error: String,
        #[graphql(default = true)] retryable: bool,
    ) -> Result<JobNode> {
        Ok(node(engine(ctx).fail_job(actor(ctx)?, &job_id, attempt, &error, retryable).await?))
    }

    /// Administrators: a failed job is due again now, its attempts anew.
    async fn retry_job(&self, ctx: &Context<'_>, job_id: ID) -> Result<JobNode> {
        Ok(node(engine(ctx).retry_job(actor(ctx)?, &job_id).await?))
    }

    /// Administrators: a failed or waiting job is passed over; the ticket
    /// goes on as if it had succeeded.
    async fn skip_job(&self, ctx: &Context<'_>, job_id: ID) -> Result<JobNode> {
        Ok(node(engine(ctx).skip_job(actor(ctx)?, &job_id).await?))
    }

    /// Administrators: a processing ticket is given up on: DONE/REJECTED,
    /// its open jobs cancelled.
    async fn reject_processing(&self, ctx: &Context<'_>, ticket_id: ID, reason: String) -> Result<TicketPayload> {
        let o = engine(ctx).reject_processing(actor(ctx)?, &ticket_id, &reason).await?;
        Ok(TicketPayload { ticket: TicketNode::new(o.ticket), client_mutation_id: None, replayed: o.replayed })
    }
}

/// `Ticket.jobs`: the jobs of a ticket the caller already may see.
pub async fn ticket_jobs(ctx: &Context<'_>, ticket: &Ticket) -> Result<Vec<JobNode>> {
    Ok(nodes(engine(ctx).jobs_of(ticket).await?))
}
