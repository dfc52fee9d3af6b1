//! Bulk writes for `signoff seed --volume`: historical tickets with their
//! items, events and automation jobs inserted many rows per statement under ids reserved up
//! front, then the id sequences and number counters moved past them. Only
//! for a database no node is writing to while it runs.

use sea_orm::{
    ConnectionTrait, DbBackend, EntityTrait, QuerySelect, Statement, TransactionTrait,
    sea_query::{Expr, Func},
};

use super::{
    Store,
    entity::{job, ticket, ticket_event, ticket_item},
    jobs::Job,
    tickets::{Ticket, TicketEvent, TicketItem},
};
use crate::error::Result;

/// One ticket as it is stored, with its items and timeline.
#[derive(Debug, Clone)]
pub struct StoredTicket {
    pub ticket: Ticket,
    pub items: Vec<TicketItem>,
    pub events: Vec<TicketEvent>,
    pub jobs: Vec<Job>,
}

/// The next free id of each table the generator writes.
#[derive(Debug, Clone, Copy)]
pub struct NextIds {
    pub ticket: i64,
    pub item: i64,
    pub event: i64,
    pub job: i64,
}

impl Store {
    pub async fn next_ids(&self) -> Result<NextIds> {
        async fn next<E: EntityTrait>(store: &Store, id: E::Column) -> Result<i64> {
            let max: Option<Option<i64>> =
                E::find().select_only().expr(Func::max(Expr::col(id))).into_tuple().one(&store.db).await?;
            Ok(max.flatten().unwrap_or(0) + 1)
        }
        Ok(NextIds {
            ticket: next::<ticket::Entity>(self, ticket::Column::Id).await?,
            item: next::<ticket_item::Entity>(self, ticket_item::Column::Id).await?,
            event: next::<ticket_event::Entity>(self, ticket_event::Column::Id).await?,
            job: next::<job::Entity>(self, job::Column::Id).await?,
        })
    }

    /// A ticket with everything stored about it.
    pub async fn stored_ticket(&self, id: i64) -> Result<Option<StoredTicket>> {
        let Some(ticket) = self.ticket(id).await? else { return Ok(None) };
        Ok(Some(StoredTicket {
            items: self.ticket_items(id).await?,
            events: self.ticket_events(id).await?,
            jobs: self.jobs_of(id).await?,
            ticket,
        }))
    }

    /// Inserts tickets (ids already assigned) in one transaction, a few
    /// multi-row statements per table.
    pub async fn insert_stored_tickets(&self, batch: Vec<StoredTicket>) -> Result<()> {
        use sea_orm::IntoActiveModel as _;
        const ROWS: usize = 1_000;
        let (mut tickets, mut items, mut events, mut jobs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for stored in batch {
            tickets.push(stored.ticket.into_active_model());
            items.extend(stored.items.into_iter().map(|i| i.into_active_model()));
            events.extend(stored.events.into_iter().map(|e| e.into_active_model()));
            jobs.extend(stored.jobs.into_iter().map(|j| j.into_active_model()));
        }
        let _guard = self.write_guard().await;
        let txn = self.db.begin().await?;
        for chunk in tickets.chunks(ROWS) {
            ticket::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
        }
        for chunk in items.chunks(ROWS) {
            ticket_item::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
        }
        for chunk in events.chunks(ROWS) {
            ticket_event::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
        }
        for chunk in jobs.chunks(ROWS) {
            job::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// After bulk inserts with explicit ids: sequences continue after
    /// them, each (prefix, day) counter after its highest number, and the
    /// planner knows the new sizes.
    pub async fn finish_bulk_load(&self, counters: &[(String, String, i64)]) -> Result<()> {
        let backend = self.backend();
        if backend == DbBackend::Postgres {
            for table in ["tickets", "ticket_items", "ticket_events", "jobs"] {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                );
                self.db.execute_unprepared(&sql).await?;
            }
        }
        let upsert = match backend {
            DbBackend::Postgres => {
                "INSERT INTO ticket_counters (prefix, day, seq) VALUES ($1, $2, $3) \
                 ON CONFLICT (prefix, day) DO UPDATE SET seq = GREATEST(ticket_counters.seq, $3)"
            }
            _ => {
                "INSERT INTO ticket_counters (prefix, day, seq) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (prefix, day) DO UPDATE SET seq = MAX(ticket_counters.seq, ?3)"
            }
        };
        let txn = self.db.begin().await?;
        for (prefix, day, seq) in counters {
            let values = [prefix.as_str().into(), day.as_str().into(), (*seq as i32).into()];
            txn.execute_raw(Statement::from_sql_and_values(backend, upsert, values)).await?;
        }
        txn.commit().await?;
        if backend == DbBackend::Postgres {
            self.vacuum_loaded_tables().await?;
        } else {
            self.db.execute_unprepared("ANALYZE").await?;
        }
        Ok(())
    }

    /// A database that grew by itself has been vacuumed as it went; a bulk
    /// load has not, so index-only scans would still read the heap and the
    /// planner would pick other indexes (the inbox counts walked every
    /// pending item). VACUUM on a large load outlasts a request's statement
    /// timeout, so it runs on the dedicated connection migrations use.
    async fn vacuum_loaded_tables(&self) -> Result<()> {
        let db = self.dedicated().await.map_err(crate::error::Error::internal)?;
        let vacuum = db.execute_unprepared("VACUUM (ANALYZE) tickets, ticket_items, ticket_events, jobs, users").await;
        let _ = db.close().await;
        vacuum?;
        Ok(())
    }
}
