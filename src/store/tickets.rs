//! The ticket write path. Every state change is one transaction holding the
//! ticket row (state snapshot, optimistic version), the approval items it
//! touched, one event for the timeline and its outbox row for the realtime
//! bus, and the caller's mutation receipt when it sent a client mutation id.
//! Either all of it commits or none of it does.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    QueryFilter, Statement, TransactionTrait, sea_query::Expr,
};

use super::{
    Store,
    entity::{mutation_receipt, outbox, ticket, ticket_event, ticket_item},
};
use crate::{
    domain::events::{SIGNOFF_PID, TicketEventMessage},
    error::{Error, Result},
};

pub use mutation_receipt::Model as MutationReceipt;
pub use ticket::Model as Ticket;
pub use ticket_event::Model as TicketEvent;
pub use ticket_item::Model as TicketItem;

/// A ticket about to be filed.
#[derive(Debug, Clone)]
pub struct NewTicket {
    pub number: String,
    pub template_id: i64,
    pub template_version_id: i64,
    pub template_code: String,
    pub title: String,
    pub applicant_id: i64,
    pub department_id: Option<i64>,
    pub status: String,
    pub result: Option<String>,
    pub round: i32,
    pub form: String,
    pub state: String,
    pub done: bool,
    /// Processing from the start (no chain): its first job.
    pub job: Option<super::jobs::NewJob>,
}

/// The ticket row after a transition.
#[derive(Debug, Clone)]
pub struct TicketUpdate {
    pub status: String,
    pub result: Option<String>,
    pub round: i32,
    pub state: String,
    /// A new form (resubmission) or none.
    pub form: Option<String>,
    pub title: Option<String>,
    pub done: bool,
    pub urged: bool,
    /// The ticket left processing: its open jobs are cancelled.
    pub close_jobs: bool,
    /// The ticket entered processing: its first job.
    pub job: Option<super::jobs::NewJob>,
}

/// An approval item row, new or changed, keyed by its per-ticket sequence.
#[derive(Debug, Clone)]
pub struct ItemWrite {
    pub seq: i32,
    pub round: i32,
    pub step: i32,
    pub chain_step: i32,
    pub step_name: String,
    pub kind: String,
    pub assignee_id: i64,
    pub on_behalf_of: Option<i64>,
    pub status: String,
    pub decided_by: Option<i64>,
    pub reason: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
}

/// The timeline entry of a change, with what the bus needs to route it.
#[derive(Debug, Clone)]
pub struct EventWrite {
    pub kind: String,
    pub actor_id: Option<i64>,
    pub on_behalf_of: Option<i64>,
    pub status_before: Option<String>,
    pub status_after: String,
    pub payload: serde_json::Value,
    /// People concerned (applicant, approvers concerned, their proxies),
    /// from [`crate::domain::events::hearers`].
    pub hearers: Vec<crate::domain::events::Hearer>,
    /// Tags to publish under (`ticket:<id>` is added by the store).
    pub tags: Vec<String>,
    /// The SLA firing (item id, kind) this event is, recorded in the same
    /// transaction: a firing some node already recorded refuses the write
    /// (`already_fired`), and one that is recorded always has its event.
    pub firing: Option<(i64, &'static str)>,
}

/// A client mutation id to record with the change.
#[derive(Debug, Clone)]
pub struct ReceiptWrite {
    pub actor_id: i64,
    pub client_mutation_id: String,
    pub operation: &'static str,
    /// What a retry must repeat: a hash of the request's arguments.
    pub fingerprint: String,
}

impl Store {
    /// Reserves `count` numbers of `prefix` on `day` and returns the last
    /// one; the caller hands out the block from memory, so most filings
    /// touch no counter at all. Runs in its own short transaction so the
    /// counter row is locked only for an instant; on PostgreSQL it commits
    /// without waiting for the disk, which is safe: a ticket using a number
    /// commits durably after it, and WAL order makes the counter durable no
    /// later than that ticket.
    pub async fn reserve_ticket_seqs(&self, prefix: &str, day: &str, count: i32) -> Result<i64> {
        let backend = self.backend();
        let txn = self.db.begin().await?;
        let sql = match backend {
            DbBackend::Postgres => {
                txn.execute_unprepared("SET LOCAL synchronous_commit = off").await?;
                "INSERT INTO ticket_counters (prefix, day, seq) VALUES ($1, $2, $3) \
                 ON CONFLICT (prefix, day) DO UPDATE SET seq = ticket_counters.seq + $3 RETURNING seq"
            }
            _ => {
                "INSERT INTO ticket_counters (prefix, day, seq) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (prefix, day) DO UPDATE SET seq = ticket_counters.seq + ?3 RETURNING seq"
            }
        };
        let values = [prefix.into(), day.into(), count.into()];
        let row = txn
            .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?
            .ok_or_else(|| Error::internal(anyhow::anyhow!("ticket counter returned no row")))?;
        let seq: i32 = row.try_get_by_index(0)?;
        txn.commit().await?;
        Ok(seq as i64)
    }

    /// Files a ticket: row, first items, `submitted` event, outbox, receipt.
    pub async fn insert_ticket(
        &self,
        new: NewTicket,
        items: Vec<ItemWrite>,
        event: EventWrite,
        receipt: Option<ReceiptWrite>,
    ) -> Result<(Ticket, TicketEvent)> {
        let now = Utc::now();
        let _guard = self.write_guard().await;
        let txn = self.db.begin().await?;
        let ticket = ticket::ActiveModel {
            number: Set(new.number),
            template_id: Set(new.template_id),
            template_version_id: Set(new.template_version_id),
            template_code: Set(new.template_code),
            title: Set(new.title),
            applicant_id: Set(new.applicant_id),
            department_id: Set(new.department_id),
            status: Set(new.status),
            result: Set(new.result),
            round: Set(new.round),
            form: Set(new.form),
            state: Set(new.state),
            version: Set(1),
            last_urged_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            done_at: Set(new.done.then_some(now)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        insert_items(&txn, ticket.id, &items, now).await?;
        if let Some(job) = &new.job {
            super::jobs::insert_job(&txn, ticket.id, job, now).await?;
        }
        let event = self.finish(txn, ticket.id, event, receipt, now).await?;
        Ok((ticket, event))
    }

    /// Applies a transition if nobody changed the ticket since `version`
    /// was read; otherwise `conflict` and nothing is written.
    pub async fn save_transition(
        &self,
        ticket_id: i64,
        version: i32,
        update: TicketUpdate,
        items: Vec<ItemWrite>,
        event: EventWrite,
        receipt: Option<ReceiptWrite>,
    ) -> Result<TicketEvent> {
        let now = Utc::now();
        let _guard = self.write_guard().await;
        let txn = self.db.begin().await?;
        apply_update(&txn, ticket_id, version, update, items, now).await?;
        self.finish(txn, ticket_id, event, receipt, now).await
    }

    /// An event with no state change (a comment): event, outbox, receipt.
    pub async fn append_ticket_event(
        &self,
        ticket_id: i64,
        event: EventWrite,
        receipt: Option<ReceiptWrite>,
    ) -> Result<TicketEvent> {
        let now = Utc::now();
        let _guard = self.write_guard().await;
        let txn = self.db.begin().await?;
        self.finish(txn, ticket_id, event, receipt, now).await
    }

    /// The end of every ticket write: the event and its outbox row, the
    /// receipt, the commit, and a nudge to the relay.
    pub(super) async fn finish(
        &self,
        txn: DatabaseTransaction,
        ticket_id: i64,
        event: EventWrite,
        receipt: Option<ReceiptWrite>,
        now: DateTime<Utc>,
    ) -> Result<TicketEvent> {
        if let Some((item_id, kind)) = event.firing {
            let sql = "INSERT INTO sla_firings (item_id, kind, fired_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
            let statement = self.statement(sql, [item_id.into(), kind.into(), now.into()]);
            if txn.execute_raw(statement).await?.rows_affected() != 1 {
                return Err(Error::conflict("already_fired", "another node fired this SLA firing"));
            }
        }
        let event = append_event(&txn, ticket_id, event, now).await?;
        if let Some(receipt) = receipt {
            insert_receipt(&txn, ticket_id, receipt, now).await?;
        }
        txn.commit().await?;
        self.outbox_written();
        Ok(event)
    }

    pub async fn mutation_receipt(&self, actor_id: i64, client_mutation_id: &str) -> Result<Option<MutationReceipt>> {
        Ok(mutation_receipt::Entity::find_by_id((actor_id, client_mutation_id.to_string())).one(&self.db).await?)
    }
}

/// The ticket row, its items and its jobs after a transition, if nobody
/// changed the ticket since `version` was read; otherwise `conflict`.
pub(super) async fn apply_update(
    txn: &DatabaseTransaction,
    ticket_id: i64,
    version: i32,
    update: TicketUpdate,
    items: Vec<ItemWrite>,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut stmt = ticket::Entity::update_many()
        .col_expr(ticket::Column::Status, Expr::value(update.status))
        .col_expr(ticket::Column::Result, Expr::value(update.result))
        .col_expr(ticket::Column::Round, Expr::value(update.round))
        .col_expr(ticket::Column::State, Expr::value(update.state))
        .col_expr(ticket::Column::Version, Expr::value(version + 1))
        .col_expr(ticket::Column::UpdatedAt, Expr::value(now))
        .filter(ticket::Column::Id.eq(ticket_id))
        .filter(ticket::Column::Version.eq(version));
    if let Some(form) = update.form {
        stmt = stmt.col_expr(ticket::Column::Form, Expr::value(form));
    }
    if let Some(title) = update.title {
        stmt = stmt.col_expr(ticket::Column::Title, Expr::value(title));
    }
    if update.done {
        stmt = stmt.col_expr(ticket::Column::DoneAt, Expr::value(Some(now)));
    }
    if update.urged {
        stmt = stmt.col_expr(ticket::Column::LastUrgedAt, Expr::value(Some(now)));
    }
    if stmt.exec(txn).await?.rows_affected != 1 {
        return Err(Error::conflict(
            "conflict",
            "the ticket changed while you were acting on it; reload and try again",
        ));
    }
    // New items are pending; an existing item only ever changes by leaving pending.
    let (inserts, updates): (Vec<_>, Vec<_>) = items.into_iter().partition(|i| i.status == "pending");
    for item in &updates {
        ticket_item::Entity::update_many()
            .col_expr(ticket_item::Column::Status, Expr::value(item.status.clone()))
            .col_expr(ticket_item::Column::DecidedBy, Expr::value(item.decided_by))
            .col_expr(ticket_item::Column::Reason, Expr::value(item.reason.clone()))
            .col_expr(ticket_item::Column::DecidedAt, Expr::value(Some(now)))
            .filter(ticket_item::Column::TicketId.eq(ticket_id))
            .filter(ticket_item::Column::Seq.eq(item.seq))
            .exec(txn)
            .await?;
    }
    insert_items(txn, ticket_id, &inserts, now).await?;
    if update.close_jobs {
        super::jobs::close_open_jobs(txn, ticket_id, now).await?;
    }
    if let Some(job) = update.job {
        super::jobs::insert_job(txn, ticket_id, &job, now).await?;
    }
    Ok(())
}

async fn insert_items(
    txn: &DatabaseTransaction,
    ticket_id: i64,
    items: &[ItemWrite],
    now: DateTime<Utc>,
) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let rows = items.iter().map(|item| ticket_item::ActiveModel {
        ticket_id: Set(ticket_id),
        seq: Set(item.seq),
        round: Set(item.round),
        step: Set(item.step),
        chain_step: Set(item.chain_step),
        step_name: Set(item.step_name.clone()),
        kind: Set(item.kind.clone()),
        assignee_id: Set(item.assignee_id),
        on_behalf_of: Set(item.on_behalf_of),
        status: Set(item.status.clone()),
        decided_by: Set(item.decided_by),
        reason: Set(item.reason.clone()),
        due_at: Set(item.due_at),
        created_at: Set(now),
        decided_at: Set(None),
        ..Default::default()
    });
    ticket_item::Entity::insert_many(rows).exec_without_returning(txn).await?;
    Ok(())
}

pub(super) async fn append_event(
    txn: &DatabaseTransaction,
    ticket_id: i64,
    event: EventWrite,
    now: DateTime<Utc>,
) -> Result<TicketEvent> {
    let row = ticket_event::ActiveModel {
        ticket_id: Set(ticket_id),
        kind: Set(event.kind.clone()),
        actor_id: Set(event.actor_id),
        on_behalf_of: Set(event.on_behalf_of),
        status_before: Set(event.status_before.clone()),
        status_after: Set(event.status_after.clone()),
        payload: Set(event.payload.to_string()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let mut tags = vec![format!("ticket:{ticket_id}")];
    tags.extend(event.tags);
    let message = TicketEventMessage {
        event_id: row.id,
        ticket_id,
        pid: SIGNOFF_PID.into(),
        kind: event.kind,
        actor_id: event.actor_id,
        status: crate::domain::workflow::TicketStatus::from_stored(&event.status_after)
            .ok_or_else(|| Error::internal(anyhow::anyhow!("unknown ticket status {:?}", event.status_after)))?,
        audience: crate::domain::events::audience(&event.hearers),
        hearers: event.hearers,
        tags,
        payload: event.payload,
        at: now,
    };
    let message = serde_json::to_string(&message).map_err(Error::internal)?;
    let outbox_row = outbox::ActiveModel {
        event_id: Set(row.id),
        ticket_id: Set(ticket_id),
        topic: Set("ticket".into()),
        payload: Set(message),
        created_at: Set(now),
        published_at: Set(None),
        ..Default::default()
    };
    // Nothing to read back: skip RETURNING.
    outbox::Entity::insert(outbox_row).exec_without_returning(txn).await?;
    Ok(row)
}

async fn insert_receipt(
    txn: &DatabaseTransaction,
    ticket_id: i64,
    receipt: ReceiptWrite,
    now: DateTime<Utc>,
) -> Result<()> {
    mutation_receipt::ActiveModel {
        actor_id: Set(receipt.actor_id),
        client_mutation_id: Set(receipt.client_mutation_id),
        operation: Set(receipt.operation.to_string()),
        fingerprint: Set(receipt.fingerprint),
        ticket_id: Set(ticket_id),
        created_at: Set(now),
    }
    .insert(txn)
    .await
    .map_err(|e| match Error::from(e) {
        // The same id committed by a concurrent retry: the caller replays it.
        Error::Invalid { code: "already_exists", .. } | Error::Conflict { code: "already_exists", .. } => {
            Error::conflict("duplicate_mutation", "this client mutation id was just used")
        }
        other => other,
    })?;
    Ok(())
}
