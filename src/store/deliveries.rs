//! Notification deliveries: one row per event, recipient, channel and kind
//! (the unique key makes a second planning of the same event a no-op), the
//! notifier's position in the outbox, and the claims senders take. On
//! PostgreSQL senders on several nodes claim with `FOR UPDATE SKIP LOCKED`;
//! SQLite has one node, whose write lock serialises the claims.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
    Statement, TransactionTrait, Value,
};

use super::{
    Store,
    entity::{delivery, outbox},
};
use crate::error::Result;

pub use delivery::Model as Delivery;

/// Where a delivery stands.
pub mod status {
    /// Waiting for its first attempt or for its provider to come back.
    pub const PENDING: &str = "pending";
    /// Claimed by a sender until `claimed_until`.
    pub const SENDING: &str = "sending";
    pub const SENT: &str = "sent";
    /// An attempt failed; it is tried again at `next_attempt_at`.
    pub const FAILED: &str = "failed";
    /// Out of attempts, or refused for good: waits for an administrator.
    pub const DEAD: &str = "dead";
    pub const ALL: [&str; 5] = [PENDING, SENDING, SENT, FAILED, DEAD];
}

/// A delivery the notifier decided on.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub event_id: i64,
    pub ticket_id: i64,
    pub item_id: Option<i64>,
    pub recipient_id: i64,
    pub channel: &'static str,
    pub kind: String,
    /// The rendered message, as the channel's sender reads it.
    pub message: String,
    pub event_at: DateTime<Utc>,
    /// Not before (an SLA reminder is planned ahead of its time).
    pub not_before: DateTime<Utc>,
}

/// How an attempt ended.
#[derive(Debug, Clone)]
pub enum Attempt {
    Sent {
        provider_id: Option<String>,
        response_code: Option<String>,
    },
    /// Try again at the given time.
    Retry {
        error: String,
        at: DateTime<Utc>,
    },
    Dead {
        error: String,
    },
    /// Not attempted after all (a rate limit of ours): due again at `at`,
    /// the attempt not counted.
    Later {
        at: DateTime<Utc>,
    },
}

/// What an administrator's list of deliveries is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    pub status: Option<String>,
    pub channel: Option<String>,
    pub ticket_id: Option<i64>,
    pub recipient_id: Option<i64>,
}

#[derive(Debug, FromQueryResult)]
struct Position {
    position: i64,
}

#[derive(Debug, FromQueryResult)]
struct Depth {
    channel: String,
    n: i64,
}

impl Store {
    /// `sql` written with PostgreSQL's `$1` placeholders, for this backend.
    fn dialect(&self, sql: &str) -> String {
        match self.backend() {
            DbBackend::Postgres => sql.to_string(),
            _ => sql.replace('$', "?"),
        }
    }

    pub(crate) fn statement(&self, sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
        Statement::from_sql_and_values(self.backend(), self.dialect(sql), values)
    }

    /// The outbox id the notifier `name` has planned up to. A database that
    /// had history before notifications existed starts at its newest row:
    /// nobody is told about the past.
    pub async fn notify_cursor(&self, name: &str) -> Result<i64> {
        let read = || self.statement("SELECT position FROM cursors WHERE name = $1", [name.into()]);
        if let Some(p) = Position::find_by_statement(read()).one(&self.db).await? {
            return Ok(p.position);
        }
        // `WHERE true`: SQLite would read the upsert's ON as a join's.
        let seed = self.statement(
            "INSERT INTO cursors (name, position, updated_at) \
             SELECT $1, COALESCE(MAX(id), 0), $2 FROM outbox WHERE true ON CONFLICT (name) DO NOTHING",
            [name.into(), Utc::now().into()],
        );
        {
            let _guard = self.write_guard().await;
            self.db.execute_raw(seed).await?;
        }
        Ok(Position::find_by_statement(read()).one(&self.db).await?.map_or(0, |p| p.position))
    }

    /// Outbox rows after `after`, oldest first.
    pub async fn outbox_after(&self, after: i64, limit: u64) -> Result<Vec<outbox::Model>> {
        Ok(outbox::Entity::find()
            .filter(outbox::Column::Id.gt(after))
            .order_by_asc(outbox::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    /// Records `rows` and moves the cursor from `from` to `to` in one
    /// transaction; a row planned before (a second planner, a replay) is
    /// skipped. Returns how many rows are new.
    pub async fn plan_deliveries(&self, name: &str, from: i64, to: i64, rows: Vec<NewDelivery>) -> Result<u64> {
        let now = Utc::now();
        let _guard = self.write_guard().await;
        let txn = self.db.begin().await?;
        let moved = txn
            .execute_raw(self.statement(
                "UPDATE cursors SET position = $1, updated_at = $2 WHERE name = $3 AND position = $4",
                [to.into(), now.into(), name.into(), from.into()],
            ))
            .await?
            .rows_affected();
        if moved == 0 {
            // Another planner got here first; what it planned stands.
            return Ok(0);
        }
        let added = self.insert_rows(&txn, &rows, now).await?;
        txn.commit().await?;
        Ok(added)
    }

    /// Records deliveries outside planning (test messages); returns how many are new.
    pub async fn insert_deliveries(&self, rows: Vec<NewDelivery>) -> Result<u64> {
        let _guard = self.write_guard().await;
        self.insert_rows(&self.db, &rows, Utc::now()).await
    }

    async fn insert_rows(&self, conn: &impl ConnectionTrait, rows: &[NewDelivery], now: DateTime<Utc>) -> Result<u64> {
        let mut added = 0;
        for chunk in rows.chunks(200) {
            let mut sql = String::from(
                "INSERT INTO deliveries (event_id, ticket_id, item_id, recipient_id, channel, kind, status, attempts, \
                 next_attempt_at, message, event_at, created_at) VALUES ",
            );
            let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 11);
            for (i, d) in chunk.iter().enumerate() {
                let b = i * 11;
                if i > 0 {
                    sql.push(',');
                }
                // Columns in order, `attempts` (always 0 here) between the 7th and 8th.
                let marks: Vec<String> = (1..=11).map(|k| format!("${}", b + k)).collect();
                sql.push_str(&format!("({},0,{})", marks[..7].join(","), marks[7..].join(",")));
                values.extend([
                    d.event_id.into(),
                    d.ticket_id.into(),
                    d.item_id.into(),
                    d.recipient_id.into(),
                    d.channel.into(),
                    d.kind.clone().into(),
                    status::PENDING.into(),
                    d.not_before.into(),
                    d.message.clone().into(),
                    d.event_at.into(),
                    now.into(),
                ]);
            }
            sql.push_str(" ON CONFLICT (event_id, recipient_id, channel, kind) DO NOTHING");
            added += conn.execute_raw(self.statement(&sql, values)).await?.rows_affected();
        }
        Ok(added)
    }

    /// Up to `max` deliveries of `channel` that are due, claimed for `lease`
    /// (a sender that dies lets them go when it ends, see
    /// [`Store::release_lapsed_claims`]); each claim counts as an attempt.
    pub async fn claim_deliveries(&self, channel: &str, max: u64, lease: Duration) -> Result<Vec<Delivery>> {
        let now = Utc::now();
        // Idle senders poll: a read finds out whether there is work
        // before a write takes any lock.
        let due = self.statement(
            "SELECT id AS position FROM deliveries WHERE channel = $1 AND status IN ('pending', 'failed') \
             AND next_attempt_at <= $2 LIMIT 1",
            [channel.into(), now.into()],
        );
        if Position::find_by_statement(due).one(&self.db).await?.is_none() {
            return Ok(Vec::new());
        }
        let lock = if self.backend() == DbBackend::Postgres { "FOR UPDATE SKIP LOCKED" } else { "" };
        let sql = format!(
            "UPDATE deliveries SET status = 'sending', claimed_until = $1, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM deliveries WHERE channel = $2 AND status IN ('pending', 'failed') \
             AND next_attempt_at <= $3 ORDER BY next_attempt_at LIMIT $4 {lock}) RETURNING *"
        );
        let statement = self.statement(&sql, [(now + lease).into(), channel.into(), now.into(), (max as i64).into()]);
        let _guard = self.write_guard().await;
        let mut rows = Delivery::find_by_statement(statement).all(&self.db).await?;
        rows.sort_by_key(|d| (d.next_attempt_at, d.id));
        Ok(rows)
    }

    /// Claims whose sender died before recording an outcome become due
    /// again; returns how many.
    pub async fn release_lapsed_claims(&self) -> Result<u64> {
        let now = Utc::now();
        let statement = self.statement(
            "UPDATE deliveries SET status = 'failed', next_attempt_at = $1, claimed_until = NULL, \
             last_error = 'the sender stopped before it recorded an outcome' \
             WHERE status = 'sending' AND claimed_until < $1",
            [now.into()],
        );
        let _guard = self.write_guard().await;
        Ok(self.db.execute_raw(statement).await?.rows_affected())
    }

    /// Records how each attempt ended, in one transaction: the sent ones
    /// (nearly all) in one statement per 200, the rest one by one.
    pub async fn finish_deliveries(&self, outcomes: Vec<(i64, Attempt)>) -> Result<()> {
        if outcomes.is_empty() {
            return Ok(());
        }
        let now = Utc::now();
        let (sent, other): (Vec<_>, Vec<_>) =
            outcomes.into_iter().partition(|(_, a)| matches!(a, Attempt::Sent { .. }));
        let _guard = self.write_guard().await;
        let txn = self.db.begin().await?;
        for chunk in sent.chunks(200) {
            let mut values: Vec<Value> = vec![now.into()];
            let rows: Vec<String> = chunk
                .iter()
                .enumerate()
                .map(|(i, (id, attempt))| {
                    let Attempt::Sent { provider_id, response_code } = attempt else { unreachable!("partitioned") };
                    values.extend([(*id).into(), provider_id.clone().into(), response_code.clone().into()]);
                    let b = 2 + i * 3;
                    format!("(${b}, ${}, ${})", b + 1, b + 2)
                })
                .collect();
            // The first row names the columns' types for PostgreSQL.
            let cast = if self.backend() == DbBackend::Postgres { "::bigint" } else { "" };
            let first = rows[0].replacen(',', &format!("{cast},"), 1);
            let sql = format!(
                "UPDATE deliveries SET status = 'sent', sent_at = $1, provider_id = v.p, response_code = v.r, \
                 claimed_until = NULL, last_error = NULL FROM (SELECT column1 AS id, column2 AS p, column3 AS r \
                 FROM (VALUES {first}{}{}) AS t) AS v WHERE deliveries.id = v.id",
                if rows.len() > 1 { "," } else { "" },
                rows[1..].join(",")
            );
            txn.execute_raw(self.statement(&sql, values)).await?;
        }
        for (id, attempt) in other {
            txn.execute_raw(self.finish_statement(id, attempt, now)).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    fn finish_statement(&self, id: i64, attempt: Attempt, now: DateTime<Utc>) -> Statement {
        match attempt {
            Attempt::Sent { provider_id, response_code } => self.statement(
                "UPDATE deliveries SET status = 'sent', sent_at = $1, provider_id = $2, response_code = $3, \
                 claimed_until = NULL, last_error = NULL WHERE id = $4",
                [now.into(), provider_id.into(), response_code.into(), id.into()],
            ),
            Attempt::Retry { error, at } => self.statement(
                "UPDATE deliveries SET status = 'failed', next_attempt_at = $1, last_error = $2, claimed_until = NULL \
                 WHERE id = $3",
                [at.into(), error.into(), id.into()],
            ),
            Attempt::Later { at } => self.statement(
                "UPDATE deliveries SET status = 'pending', next_attempt_at = $1, attempts = attempts - 1, \
                 claimed_until = NULL WHERE id = $2",
                [at.into(), id.into()],
            ),
            Attempt::Dead { error } => self.statement(
                "UPDATE deliveries SET status = 'dead', last_error = $1, claimed_until = NULL WHERE id = $2",
                [error.into(), id.into()],
            ),
        }
    }

    /// Sends dead (or failed) deliveries again from their first attempt:
    /// the ones named, or every dead one (of `channel`, when given).
    pub async fn retry_deliveries(&self, ids: Option<&[i64]>, channel: Option<&str>) -> Result<u64> {
        let now = Utc::now();
        let mut query = delivery::Entity::update_many()
            .col_expr(delivery::Column::Status, status::PENDING.into())
            .col_expr(delivery::Column::Attempts, 0.into())
            .col_expr(delivery::Column::NextAttemptAt, now.into())
            .filter(delivery::Column::Status.is_in([status::DEAD, status::FAILED]));
        match ids {
            Some(ids) => query = query.filter(delivery::Column::Id.is_in(ids.iter().copied())),
            None => query = query.filter(delivery::Column::Status.eq(status::DEAD)),
        }
        if let Some(channel) = channel {
            query = query.filter(delivery::Column::Channel.eq(channel));
        }
        let _guard = self.write_guard().await;
        Ok(query.exec(&self.db).await?.rows_affected)
    }

    /// Deliveries matching `filter`, newest first, `limit` after the id `before`.
    pub async fn deliveries(&self, filter: &DeliveryFilter, before: Option<i64>, limit: u64) -> Result<Vec<Delivery>> {
        let mut query = delivery::Entity::find().order_by_desc(delivery::Column::Id).limit(limit);
        if let Some(s) = &filter.status {
            query = query.filter(delivery::Column::Status.eq(s.as_str()));
        }
        if let Some(c) = &filter.channel {
            query = query.filter(delivery::Column::Channel.eq(c.as_str()));
        }
        if let Some(t) = filter.ticket_id {
            query = query.filter(delivery::Column::TicketId.eq(t));
        }
        if let Some(r) = filter.recipient_id {
            query = query.filter(delivery::Column::RecipientId.eq(r));
        }
        if let Some(b) = before {
            query = query.filter(delivery::Column::Id.lt(b));
        }
        Ok(query.all(&self.db).await?)
    }

    /// Deliveries waiting to go out (pending, failed, sending), per channel.
    pub async fn delivery_queue_depths(&self) -> Result<Vec<(String, i64)>> {
        let statement = self.statement(
            "SELECT channel, COUNT(*) AS n FROM deliveries WHERE status IN ('pending', 'failed', 'sending') \
             GROUP BY channel",
            [],
        );
        Ok(Depth::find_by_statement(statement).all(&self.db).await?.into_iter().map(|d| (d.channel, d.n)).collect())
    }
}
