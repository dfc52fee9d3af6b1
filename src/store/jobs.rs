//! Automation jobs. A job is inserted in the transaction that made its task
//! due (the ticket entering processing, or the task before it finishing);
//! every later change is one transaction holding the job row — changed
//! only if it is still as the caller read it — its ticket event and outbox
//! row, and the ticket's own change when the job was its last.
//!
//! Claims take due jobs of the asked kinds, and running jobs whose lease
//! lapsed, under a new lease. On PostgreSQL claims on several nodes skip
//! each other's rows (`FOR UPDATE SKIP LOCKED`); SQLite has one node, whose
//! write lock serialises them.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait, Value, sea_query::Expr,
};

use super::{
    Store,
    entity::{job, ticket},
    tickets::{EventWrite, Ticket, TicketUpdate, append_event, apply_update},
};
use crate::{
    domain::automation::JobStatus,
    error::{Error, Result},
};

pub use job::Model as Job;

/// A job about to be queued.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub seq: i32,
    pub name: String,
    pub executor: &'static str,
    pub kind: String,
    /// Rendered parameters (JSON).
    pub params: String,
    pub max_attempts: i32,
    pub backoff_secs: i32,
    pub timeout_secs: i32,
}

/// What a job becomes.
#[derive(Debug, Clone)]
pub enum JobSet {
    Succeeded {
        output: Option<String>,
    },
    /// The attempt failed; due again at `at`.
    Retry {
        error: String,
        at: DateTime<Utc>,
    },
    Failed {
        error: String,
    },
    Skipped,
    /// An administrator's retry: due now, with its attempts anew.
    Requeued,
    /// A webhook receiver accepted it and completes it later, before `until`.
    Accepted {
        holder: String,
        until: DateTime<Utc>,
    },
}

/// One change of one job, with everything that goes with it.
#[derive(Debug, Clone)]
pub struct JobChange {
    pub job: Job,
    /// The lease must still run at this time (a holder's own change).
    pub leased_at: Option<DateTime<Utc>>,
    pub set: JobSet,
    /// The next task's job, when this one let the ticket go on.
    pub next: Option<NewJob>,
    /// The ticket's change (its version as read), when this was its last job.
    pub ticket: Option<(i32, TicketUpdate)>,
    pub event: EventWrite,
}

pub(super) async fn insert_job(
    txn: &DatabaseTransaction,
    ticket_id: i64,
    job: &NewJob,
    now: DateTime<Utc>,
) -> Result<()> {
    let row = job::ActiveModel {
        ticket_id: Set(ticket_id),
        seq: Set(job.seq),
        name: Set(job.name.clone()),
        executor: Set(job.executor.into()),
        kind: Set(job.kind.clone()),
        params: Set(job.params.clone()),
        status: Set(JobStatus::Pending.as_str().into()),
        attempts: Set(0),
        max_attempts: Set(job.max_attempts),
        backoff_secs: Set(job.backoff_secs),
        timeout_secs: Set(job.timeout_secs),
        holder: Set(None),
        lease_expires_at: Set(None),
        available_at: Set(now),
        started_at: Set(None),
        finished_at: Set(None),
        output: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    job::Entity::insert(row).exec_without_returning(txn).await?;
    Ok(())
}

/// The ticket closed (finished by hand, given up on, withdrawn): its open
/// jobs are cancelled, so no bot claims them any more.
pub(super) async fn close_open_jobs(txn: &DatabaseTransaction, ticket_id: i64, now: DateTime<Utc>) -> Result<()> {
    job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(JobStatus::Cancelled.as_str()))
        .col_expr(job::Column::Holder, Expr::value(Option::<String>::None))
        .col_expr(job::Column::LeaseExpiresAt, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(job::Column::FinishedAt, Expr::value(Some(now)))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::TicketId.eq(ticket_id))
        .filter(job::Column::Status.is_in([JobStatus::Pending.as_str(), JobStatus::Running.as_str()]))
        .exec(txn)
        .await?;
    Ok(())
}

impl Store {
    pub async fn job(&self, id: i64) -> Result<Option<Job>> {
        Ok(job::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// A ticket's jobs in task order.
    pub async fn jobs_of(&self, ticket_id: i64) -> Result<Vec<Job>> {
        Ok(job::Entity::find()
            .filter(job::Column::TicketId.eq(ticket_id))
            .order_by_asc(job::Column::Seq)
            .all(&self.db)
            .await?)
    }

    /// Jobs in `status`, newest change first, after the keyset `before`
    /// (an administrator's list of failed jobs).
    pub async fn jobs_in(
        &self,
        status: JobStatus,
        kind: Option<&str>,
        before: Option<i64>,
        limit: u64,
    ) -> Result<Vec<Job>> {
        let mut q = job::Entity::find().filter(job::Column::Status.eq(status.as_str()));
        if let Some(kind) = kind {
            q = q.filter(job::Column::Kind.eq(kind));
        }
        if let Some(before) = before {
            q = q.filter(job::Column::Id.lt(before));
        }
        Ok(q.order_by_desc(job::Column::Id).limit(limit).all(&self.db).await?)
    }

    /// Claims up to `max` jobs of `kinds` for `holder` until `until`: due
    /// pending jobs, and running ones whose lease lapsed with attempts left.
    /// Each claim counts an attempt. `events` names the event of each claim,
    /// written in the same transaction.
    pub async fn claim_jobs(
        &self,
        holder: &str,
        kinds: &[String],
        max: u64,
        until: DateTime<Utc>,
        events: impl FnOnce(&[(Job, Ticket)]) -> Result<Vec<EventWrite>>,
    ) -> Result<Vec<(Job, Ticket)>> {
        if kinds.is_empty() || max == 0 {
            return Ok(Vec::new());
        }
        let now = Utc::now();
        let postgres = self.backend() == DbBackend::Postgres;
        // $1 is the time; the kinds follow from $2.
        let due = |extra: &str| {
            let list: Vec<String> = (2..2 + kinds.len()).map(|i| format!("${i}")).collect();
            format!(
                "SELECT id FROM jobs WHERE kind IN ({}) AND ((status = 'pending' AND available_at <= $1) \
                 OR (status = 'running' AND lease_expires_at <= $1 AND attempts < max_attempts)) {extra}",
                list.join(", ")
            )
        };
        let mut values: Vec<Value> = vec![now.into()];
        values.extend(kinds.iter().map(|k| Value::from(k.clone())));
        // Idle claimers poll: a read finds out whether there is work before
        // a write takes any lock.
        let probe = self.statement(&due("LIMIT 1"), values.clone());
        if self.db.query_one_raw(probe).await?.is_none() {
            return Ok(Vec::new());
        }
        let _guard = self.write_guard().await;
        let txn = self.db.begin().await?;
        // Waiting jobs first, soonest due first; then running ones whose
        // lease lapsed. Each is one ordered scan of its partial index: a
        // single OR of both would walk the finished jobs too.
        let waiting = "status = 'pending' AND available_at <= $1 ORDER BY available_at";
        let lapsed =
            "status = 'running' AND lease_expires_at <= $1 AND attempts < max_attempts ORDER BY lease_expires_at";
        let mut jobs = Vec::new();
        for condition in [waiting, lapsed] {
            let left = max - jobs.len() as u64;
            if left == 0 {
                break;
            }
            let list: Vec<String> = (2..2 + kinds.len()).map(|i| format!("${i}")).collect();
            let n = values.len();
            let chosen =
                format!("SELECT id FROM jobs WHERE kind IN ({}) AND {condition} LIMIT ${}", list.join(", "), n + 1);
            // ANY(ARRAY(...)): the locked ids are chosen once, not per row.
            let chosen = if postgres {
                format!("= ANY(ARRAY({chosen} FOR UPDATE SKIP LOCKED))")
            } else {
                format!("IN ({chosen})")
            };
            let sql = format!(
                "UPDATE jobs SET status = 'running', holder = ${h}, lease_expires_at = ${u}, attempts = attempts + 1, \
                 started_at = $1, updated_at = $1 WHERE id {chosen} RETURNING *",
                h = n + 2,
                u = n + 3
            );
            let mut bound = values.clone();
            bound.extend([Value::from(left as i64), holder.into(), until.into()]);
            jobs.extend(Job::find_by_statement(self.statement(&sql, bound)).all(&txn).await?);
        }
        if jobs.is_empty() {
            txn.rollback().await?;
            return Ok(Vec::new());
        }
        jobs.sort_by_key(|j| j.id);
        let ids: Vec<i64> = jobs.iter().map(|j| j.ticket_id).collect();
        let tickets: std::collections::HashMap<i64, Ticket> = ticket::Entity::find()
            .filter(ticket::Column::Id.is_in(ids))
            .all(&txn)
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        let claimed: Vec<(Job, Ticket)> = jobs
            .into_iter()
            .map(|j| match tickets.get(&j.ticket_id) {
                Some(t) => Ok((j, t.clone())),
                None => Err(Error::internal(anyhow::anyhow!("job {} has no ticket", j.id))),
            })
            .collect::<Result<_>>()?;
        for ((_, t), event) in claimed.iter().zip(events(&claimed)?) {
            append_event(&txn, t.id, event, now).await?;
        }
        txn.commit().await?;
        self.outbox_written();
        Ok(claimed)
    }

    /// Moves a holder's lease to `until` if it still holds it; false when
    /// the lease lapsed or the job moved on.
    pub async fn extend_lease(&self, job: &Job, until: DateTime<Utc>) -> Result<bool> {
        let now = Utc::now();
        let _guard = self.write_guard().await;
        let changed = held(job::Entity::update_many(), job, Some(now))
            .col_expr(job::Column::LeaseExpiresAt, Expr::value(Some(until)))
            .col_expr(job::Column::UpdatedAt, Expr::value(now))
            .exec(&self.db)
            .await?;
        Ok(changed.rows_affected == 1)
    }

    /// Saves one job change if the job is still as it was read (else
    /// `job_changed`), with its event and the ticket's change; answers the
    /// job as saved.
    pub async fn save_job_change(&self, change: JobChange) -> Result<Job> {
        let now = Utc::now();
        let JobChange { job, leased_at, set, next, ticket, event } = change;
        let mut update =
            held(job::Entity::update_many(), &job, leased_at).col_expr(job::Column::UpdatedAt, Expr::value(now));
        let (status, finished) = match set {
            JobSet::Succeeded { output } => {
                update = update.col_expr(job::Column::Output, Expr::value(output));
                (JobStatus::Succeeded, true)
            }
            JobSet::Retry { error, at } => {
                update = update
                    .col_expr(job::Column::LastError, Expr::value(Some(error)))
                    .col_expr(job::Column::AvailableAt, Expr::value(at));
                (JobStatus::Pending, false)
            }
            JobSet::Failed { error } => {
                update = update.col_expr(job::Column::LastError, Expr::value(Some(error)));
                (JobStatus::Failed, true)
            }
            JobSet::Skipped => (JobStatus::Skipped, true),
            JobSet::Requeued => {
                update = update
                    .col_expr(job::Column::Attempts, Expr::value(0))
                    .col_expr(job::Column::AvailableAt, Expr::value(now));
                (JobStatus::Pending, false)
            }
            JobSet::Accepted { holder, until } => {
                update = update
                    .col_expr(job::Column::Holder, Expr::value(Some(holder)))
                    .col_expr(job::Column::LeaseExpiresAt, Expr::value(Some(until)));
                (JobStatus::Running, false)
            }
        };
        update = update.col_expr(job::Column::Status, Expr::value(status.as_str()));
        if status != JobStatus::Running {
            update = update
                .col_expr(job::Column::Holder, Expr::value(Option::<String>::None))
                .col_expr(job::Column::LeaseExpiresAt, Expr::value(Option::<DateTime<Utc>>::None));
        }
        if finished {
            update = update.col_expr(job::Column::FinishedAt, Expr::value(Some(now)));
        }
        let _guard = self.write_guard().await;
        let txn = self.db.begin().await?;
        let Some(saved) = update.exec_with_returning(&txn).await?.pop() else {
            return Err(Error::conflict("job_changed", "the job changed meanwhile; read it again"));
        };
        if let Some(next) = &next {
            insert_job(&txn, job.ticket_id, next, now).await?;
        }
        if let Some((version, ticket_update)) = ticket {
            apply_update(&txn, job.ticket_id, version, ticket_update, Vec::new(), now).await?;
        }
        self.finish(txn, job.ticket_id, event, None, now).await?;
        Ok(saved)
    }

    /// Running jobs whose lease lapsed on their last attempt: nobody may
    /// claim them again, so they fail.
    pub async fn exhausted_jobs(&self, now: DateTime<Utc>, limit: u64) -> Result<Vec<Job>> {
        Ok(job::Entity::find()
            .filter(job::Column::Status.eq(JobStatus::Running.as_str()))
            .filter(job::Column::LeaseExpiresAt.lte(now))
            .filter(Expr::cust("attempts >= max_attempts"))
            .limit(limit)
            .all(&self.db)
            .await?)
    }
}

/// An update of `job` only while it is as it was read: same status,
/// attempt and holder, and, for a holder's change, a lease still running at
/// `leased_at`.
fn held(
    update: sea_orm::UpdateMany<job::Entity>,
    job: &Job,
    leased_at: Option<DateTime<Utc>>,
) -> sea_orm::UpdateMany<job::Entity> {
    let mut update = update
        .filter(job::Column::Id.eq(job.id))
        .filter(job::Column::Status.eq(job.status.clone()))
        .filter(job::Column::Attempts.eq(job.attempts));
    update = match &job.holder {
        Some(h) => update.filter(job::Column::Holder.eq(h.clone())),
        None => update.filter(job::Column::Holder.is_null()),
    };
    if let Some(at) = leased_at {
        update = update.filter(job::Column::LeaseExpiresAt.gt(at));
    }
    update
}
