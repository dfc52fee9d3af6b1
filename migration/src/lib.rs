//! Signoff's database migrations, applied in order and only ever forward.
//!
//! Each file is one released step of the schema; a release never edits a
//! migration that has been applied somewhere, it adds a new one.
//!
//! - `m20261122_000001_organisation`: departments, users, roles, proxies,
//!   refresh and API tokens, server secrets.
//! - `m20261122_000002_workflow`: templates and versions, tickets, approval
//!   items, events, outbox, mutation receipts, ticket number counters.
//! - `m20261122_000003_realtime`: ws-cluster projects, relay leases.
//! - `m20261202_000004_hardening`: receipt fingerprints, proxy hand-back times.
//! - `m20261203_000005_history`: an index to prune mutation receipts by age.
//! - `m20261203_000006_ticket_search`: (applicant, status, id) and, on
//!   PostgreSQL, a trigram index for title search.
//! - `m20261203_000007_notifications`: deliveries, notification settings,
//!   WeCom robots, the notifier's cursor, used mobile links, SLA firings.
//! - `m20261204_000008_ratings`: one `rated` event per ticket.
//! - `m20261204_000009_jobs`: automation jobs and their claim indexes.
//! - `m20261207_000010_outbox_waiting`: the relay's poll reads only waiting rows.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_organisation;
mod m20261122_000002_workflow;
mod m20261122_000003_realtime;
mod m20261202_000004_hardening;
mod m20261203_000005_history;
mod m20261203_000006_ticket_search;
mod m20261203_000007_notifications;
mod m20261204_000008_ratings;
mod m20261204_000009_jobs;
mod m20261207_000010_outbox_waiting;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_organisation::Migration),
            Box::new(m20261122_000002_workflow::Migration),
            Box::new(m20261122_000003_realtime::Migration),
            Box::new(m20261202_000004_hardening::Migration),
            Box::new(m20261203_000005_history::Migration),
            Box::new(m20261203_000006_ticket_search::Migration),
            Box::new(m20261203_000007_notifications::Migration),
            Box::new(m20261204_000008_ratings::Migration),
            Box::new(m20261204_000009_jobs::Migration),
            Box::new(m20261207_000010_outbox_waiting::Migration),
        ]
    }
}
