//! What the realtime cluster keeps in the database: ws-cluster projects,
//! the outbox's unpublished rows, and leases (one relay at a time).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, OnConflict},
};

use super::{
    Store,
    entity::{lease, outbox, project},
};
use crate::error::Result;

pub use outbox::Model as OutboxRow;
pub use project::Model as Project;

impl Store {
    pub async fn projects(&self) -> Result<Vec<Project>> {
        Ok(project::Entity::find().order_by_asc(project::Column::Id).all(&self.db).await?)
    }

    pub async fn project_by_pid(&self, pid: &str) -> Result<Option<Project>> {
        Ok(project::Entity::find().filter(project::Column::Pid.eq(pid)).one(&self.db).await?)
    }

    pub async fn insert_project(&self, pid: String, name: String, secret: String) -> Result<Project> {
        let now = Utc::now();
        let row = project::ActiveModel {
            pid: Set(pid),
            name: Set(name),
            secret: Set(secret),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        Ok(row.insert(&self.db).await?)
    }

    /// Changes a project's secret, name or active flag.
    pub async fn update_project(
        &self,
        current: Project,
        name: Option<String>,
        secret: Option<String>,
        active: Option<bool>,
    ) -> Result<Project> {
        let mut row = current.into_active_model();
        if let Some(name) = name {
            row.name = Set(name);
        }
        if let Some(secret) = secret {
            row.secret = Set(secret);
        }
        if let Some(active) = active {
            row.active = Set(active);
        }
        row.updated_at = Set(Utc::now());
        Ok(row.update(&self.db).await?)
    }

    /// Committed outbox rows not yet on the bus, oldest first.
    pub async fn unpublished_outbox(&self, limit: u64) -> Result<Vec<OutboxRow>> {
        Ok(outbox::Entity::find()
            .filter(outbox::Column::PublishedAt.is_null())
            .order_by_asc(outbox::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    pub async fn mark_published(&self, ids: &[i64]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        outbox::Entity::update_many()
            .col_expr(outbox::Column::PublishedAt, Expr::value(Some(Utc::now())))
            .filter(outbox::Column::Id.is_in(ids.iter().copied()))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// When the oldest unpublished row was committed (the relay's lag).
    pub async fn oldest_unpublished(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(outbox::Entity::find()
            .filter(outbox::Column::PublishedAt.is_null())
            .order_by_asc(outbox::Column::Id)
            .one(&self.db)
            .await?
            .map(|r| r.created_at))
    }

    /// Takes or renews the lease `name` for `holder` when it is free, expired
    /// or already theirs. One conditional update decides between racing nodes.
    pub async fn try_lease(&self, name: &str, holder: &str, ttl: Duration) -> Result<bool> {
        let now = Utc::now();
        let seed = lease::ActiveModel {
            name: Set(name.into()),
            holder: Set(String::new()),
            expires_at: Set(now - Duration::seconds(1)),
        };
        lease::Entity::insert(seed)
            .on_conflict(OnConflict::column(lease::Column::Name).do_nothing().to_owned())
            .exec_without_returning(&self.db)
            .await?;
        let result = lease::Entity::update_many()
            .col_expr(lease::Column::Holder, Expr::value(holder))
            .col_expr(lease::Column::ExpiresAt, Expr::value(now + ttl))
            .filter(lease::Column::Name.eq(name))
            .filter(
                sea_orm::Condition::any().add(lease::Column::Holder.eq(holder)).add(lease::Column::ExpiresAt.lt(now)),
            )
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Gives a lease up (clean shutdown) so another node takes over at once.
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<()> {
        lease::Entity::update_many()
            .col_expr(lease::Column::ExpiresAt, Expr::value(Utc::now() - Duration::seconds(1)))
            .filter(lease::Column::Name.eq(name))
            .filter(lease::Column::Holder.eq(holder))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

/// Rows removed by one pruning pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub outbox: u64,
    pub receipts: u64,
}

impl Store {
    /// Deletes published outbox rows older than `outbox_before` and mutation
    /// receipts older than `receipts_before`, at most `batch` rows per
    /// statement so no statement holds locks for long; returns how many of
    /// each went. Unpublished rows are never touched, however old, and with
    /// `notifier` neither are rows the notifier has not planned yet.
    pub async fn prune_history(
        &self,
        outbox_before: DateTime<Utc>,
        receipts_before: DateTime<Utc>,
        batch: u64,
        notifier: bool,
    ) -> Result<Pruned> {
        let pg = self.backend() == sea_orm::DbBackend::Postgres;
        let (cutoff, limit) = if pg { ("$1", "$2") } else { ("?1", "?2") };
        let planned = if notifier {
            "AND id <= COALESCE((SELECT position FROM cursors WHERE name = 'notifier'), id)"
        } else {
            ""
        };
        let outbox_sql = format!(
            "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE published_at < {cutoff} {planned} \
             ORDER BY published_at LIMIT {limit})"
        );
        let receipts_sql = format!(
            "DELETE FROM mutation_receipts WHERE (actor_id, client_mutation_id) IN \
             (SELECT actor_id, client_mutation_id FROM mutation_receipts WHERE created_at < {cutoff} ORDER BY created_at LIMIT {limit})"
        );
        let mut pruned = Pruned::default();
        for (sql, before, total) in
            [(outbox_sql, outbox_before, &mut pruned.outbox), (receipts_sql, receipts_before, &mut pruned.receipts)]
        {
            loop {
                let statement = sea_orm::Statement::from_sql_and_values(
                    self.backend(),
                    sql.as_str(),
                    [before.into(), (batch as i64).into()],
                );
                let _guard = self.write_guard().await;
                let removed = self.db.execute_raw(statement).await?.rows_affected();
                *total += removed;
                if removed < batch {
                    break;
                }
            }
        }
        Ok(pruned)
    }
}
