//! Storage: the one place that talks to the database. [`Store::connect`] is
//! the factory that picks SQLite (embedded default) or PostgreSQL from the
//! URL; the rest of the crate sees only `Store` methods, grouped by what they
//! hold.
//!
//! - [`entity`]: sea-orm rows, one per table.
//! - [`keyset`]: keyset pagination shared by every list.
//! - [`departments`], [`users`], [`roles`], [`proxies`]: the organisation.
//! - [`orgview`]: a snapshot of the organisation for chain resolution.
//! - [`templates`]: templates and their immutable versions.
//! - [`tickets`]: the ticket write path (state, items, event, outbox,
//!   receipt in one transaction); [`ticket_reads`]: what lists and detail
//!   pages read.
//! - [`tokens`]: refresh tokens and API tokens (hashes only).
//! - [`realtime`]: ws-cluster projects, the outbox's unpublished rows, leases.
//! - [`secrets`]: cluster-wide generated secrets.
//! - [`deliveries`]: notification deliveries, the notifier's cursor and
//!   senders' claims; [`notify_settings`]: people's settings, robots;
//!   [`sla`]: items due for SLA firings, and the firings.
//! - [`jobs`]: automation jobs, their claims and changes.
//! - [`reports`]: the facts reports are computed from; [`report_sql`]:
//!   the same figures computed inside PostgreSQL.
//! - [`seed`]: the demo organisation; [`demo_templates`]: its templates;
//!   [`volume`]: bulk history for `seed --volume`.

pub mod deliveries;
pub mod demo_templates;
pub mod departments;
pub mod entity;
pub mod jobs;
pub mod keyset;
pub mod notify_settings;
pub mod orgview;
pub mod proxies;
pub mod realtime;
pub mod report_sql;
pub mod reports;
pub mod roles;
pub mod secrets;
pub mod seed;
pub mod sla;
pub mod templates;
pub mod ticket_reads;
pub mod tickets;
pub mod tokens;
pub mod users;
pub mod volume;

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use anyhow::Context as _;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, SqlErr, TransactionTrait,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};

use crate::{
    config::{Config, redact_url},
    domain::events::Control,
    error::{Error, Result},
};

/// The database, whichever backend the configuration named.
/// What hears of access changes (see [`Store::on_access_change`]).
struct AccessHook(Arc<dyn Fn(Control) + Send + Sync>);

impl std::fmt::Debug for AccessHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessHook")
    }
}

#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) db: DatabaseConnection,
    /// The background pool ([`Store::background`]); `db` there too.
    background: DatabaseConnection,
    database_url: String,
    /// SQLite has one writer: queueing write transactions here, in order,
    /// beats having them spin on the database lock. None on PostgreSQL.
    write_lock: Option<Arc<tokio::sync::Mutex<()>>>,
    /// Bumped by every write to the organisation or to templates, so caches
    /// of this node know to reload.
    generations: Arc<Generations>,
    /// Notified after every commit that wrote an outbox row, so the relay
    /// publishes it at once instead of at its next poll.
    outbox: Arc<tokio::sync::Notify>,
    /// Told of every write that changes someone's access.
    access: Arc<std::sync::OnceLock<AccessHook>>,
    /// SQLite: the file next to the database whose lock serialises start-up
    /// work of nodes sharing it (none for an in-memory database).
    setup_lock_file: Option<std::path::PathBuf>,
}

/// `signoff.db.setup-lock` for `sqlite://signoff.db?mode=rwc`.
fn sqlite_setup_lock_file(url: &str) -> Option<std::path::PathBuf> {
    let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:")).then(|| format!("{path}.setup-lock").into())
}

#[derive(Debug, Default)]
struct Generations {
    org: AtomicU64,
    templates: AtomicU64,
}

/// Background statements (relay, pruning batches) may run longer than a
/// request's, but not for ever.
const BACKGROUND_STATEMENT_TIMEOUT_MS: u64 = 60_000;

/// A pool of `size` connections. On PostgreSQL every statement is cut off
/// after `statement_timeout_ms` (0: never), so one slow query cannot hold
/// a connection and its locks indefinitely.
async fn pool(config: &Config, size: u32, statement_timeout_ms: u64) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(config.database_url.clone());
    options
        .max_connections(size)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        })
        .map_sqlx_postgres_opts(move |opts| opts.options([("statement_timeout", format!("{statement_timeout_ms}"))]));
    Database::connect(options).await.with_context(|| format!("connecting to {}", redact_url(&config.database_url)))
}

/// The advisory lock key of start-up work ("signoff setup" as a number).
const SETUP_LOCK_KEY: i64 = 0x5349_474e_5345_5455;

impl Store {
    /// Opens the pools for `config.database_url`: one for requests, whose
    /// statements are cut off after `database_statement_timeout_ms` on
    /// PostgreSQL, and a small one of its own for background work (the
    /// relay, leases, pruning) so slow requests cannot starve it (see
    /// [`Store::background`]). SQLite runs in WAL mode with a busy timeout
    /// so readers never block the single writer and writers queue instead
    /// of failing.
    pub async fn connect(config: &Config) -> anyhow::Result<Self> {
        let mut db = pool(config, config.database_max_connections, config.database_statement_timeout_ms).await?;
        // `db_statements_total`: what requests cost the database (background
        // work has a pool of its own); the statement-count tests read it
        // around each action.
        db.set_metric_callback(|_| metrics::counter!("db_statements_total", "pool" => "requests").increment(1));
        let background = pool(config, config.database_background_connections, BACKGROUND_STATEMENT_TIMEOUT_MS).await?;
        let write_lock = (!config.is_postgres()).then(|| Arc::new(tokio::sync::Mutex::new(())));
        let setup_lock_file = (!config.is_postgres()).then(|| sqlite_setup_lock_file(&config.database_url)).flatten();
        Ok(Self {
            db,
            background,
            database_url: config.database_url.clone(),
            write_lock,
            generations: Arc::default(),
            outbox: Arc::default(),
            access: Arc::default(),
            setup_lock_file,
        })
    }

    /// The same store on the background pool: for work no request waits
    /// on, which must go on while requests hold every request connection.
    pub fn background(&self) -> Self {
        Self { db: self.background.clone(), ..self.clone() }
    }

    /// Held across a write transaction on SQLite; a no-op on PostgreSQL.
    pub(crate) async fn write_guard(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match &self.write_lock {
            Some(lock) => Some(lock.lock().await),
            None => None,
        }
    }

    /// What the relay waits on between polls.
    pub fn outbox_signal(&self) -> Arc<tokio::sync::Notify> {
        self.outbox.clone()
    }

    pub(crate) fn outbox_written(&self) {
        self.outbox.notify_one();
    }

    /// Who hears of access changes (the node's access cache and, through
    /// it, the other nodes); set once at start-up.
    pub fn on_access_change(&self, hook: Arc<dyn Fn(Control) + Send + Sync>) {
        let _ = self.access.set(AccessHook(hook));
    }

    /// A write changed someone's access: every write that can, says so here.
    pub(crate) fn access_changed(&self, control: Control) {
        if let Some(AccessHook(hook)) = self.access.get() {
            hook(control);
        }
    }

    /// The organisation changed (users, departments, roles, proxies).
    pub(crate) fn org_changed(&self) {
        self.generations.org.fetch_add(1, Ordering::Relaxed);
    }

    pub fn org_generation(&self) -> u64 {
        self.generations.org.load(Ordering::Relaxed)
    }

    /// A template or its current version changed.
    pub(crate) fn template_changed(&self) {
        self.generations.templates.fetch_add(1, Ordering::Relaxed);
    }

    pub fn template_generation(&self) -> u64 {
        self.generations.templates.load(Ordering::Relaxed)
    }

    /// Applies pending migrations; applied ones are never touched.
    /// Runs `setup` (migrations, the demo seed, first keys) holding the
    /// database's setup lock, so nodes that start together do it one at a
    /// time. On PostgreSQL a transaction-scoped advisory lock, held by a
    /// connection of its own while `setup` works through the pool, and
    /// released however `setup` ends (even if this node dies); on SQLite an
    /// exclusive lock on a file beside the database, which the operating
    /// system releases with the process.
    pub async fn with_setup_lock<T, F, Fut>(&self, setup: F) -> anyhow::Result<T>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = anyhow::Result<T>>,
    {
        if self.backend() != DbBackend::Postgres {
            let Some(path) = self.setup_lock_file.clone() else { return setup().await };
            let file = tokio::task::spawn_blocking(move || -> std::io::Result<std::fs::File> {
                let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(path)?;
                file.lock()?;
                Ok(file)
            })
            .await
            .context("waiting for the setup lock")?
            .context("taking the setup lock")?;
            let outcome = setup().await;
            drop(file);
            return outcome;
        }
        // Waiting for another node's migrations may take longer than any
        // statement timeout: the lock's connection has none.
        let holder = self.dedicated().await?;
        let lock = holder.begin().await.context("opening the setup lock's transaction")?;
        lock.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({SETUP_LOCK_KEY})"))
            .await
            .context("taking the setup lock")?;
        let outcome = setup().await;
        lock.rollback().await.context("releasing the setup lock")?;
        let _ = holder.close().await;
        outcome
    }

    /// Migrations may build indexes over big tables: they run on a
    /// connection of their own, without the statement timeout.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        if self.backend() != DbBackend::Postgres {
            return Migrator::up(&self.db, None).await.context("applying migrations");
        }
        let db = self.dedicated().await?;
        let outcome = Migrator::up(&db, None).await.context("applying migrations");
        let _ = db.close().await;
        outcome
    }

    /// One PostgreSQL connection outside the pools, without a statement timeout.
    async fn dedicated(&self) -> anyhow::Result<DatabaseConnection> {
        let url = self.database_url.clone();
        let mut options = ConnectOptions::new(url.as_str());
        options.max_connections(1).min_connections(1).sqlx_logging(false);
        Database::connect(options).await.with_context(|| format!("connecting to {}", redact_url(&url)))
    }

    /// A cheap round trip, for `/readyz`.
    pub async fn ping(&self) -> Result<()> {
        self.db.ping().await.map_err(|e| Error::Unavailable(e.into()))
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    pub async fn close(self) {
        let _ = self.db.close().await;
        let _ = self.background.close().await;
    }
}

/// Turns database failures into client errors where the client caused them:
/// a unique constraint becomes `already_exists` naming the field, a foreign
/// key `invalid_reference`. Everything else is internal.
impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => {
                let field = ["username", "email", "wecom_user_id", "code", "name", "token_hash"]
                    .into_iter()
                    .find(|f| detail.contains(f))
                    .map(|f| match f {
                        "wecom_user_id" => "wecomUserId",
                        other => other,
                    });
                match field {
                    Some(field) => {
                        Error::invalid_field("already_exists", field, format!("this {field} is already taken"))
                    }
                    None => Error::conflict("already_exists", "a record with these values already exists"),
                }
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                Error::invalid("invalid_reference", "a referenced record does not exist or is still in use")
            }
            _ => match err {
                DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => Error::Unavailable(err.into()),
                // The statement ran past `database_statement_timeout_ms`:
                // the database is too busy for it now; nothing was changed.
                other if other.to_string().contains("canceling statement due to statement timeout") => {
                    Error::Unavailable(other.into())
                }
                other => Error::Internal(other.into()),
            },
        }
    }
}

/// Runs `sql` and ignores the result; for maintenance statements in tests and tools.
pub async fn execute_raw(db: &DatabaseConnection, sql: &str) -> Result<()> {
    db.execute_unprepared(sql).await?;
    Ok(())
}
