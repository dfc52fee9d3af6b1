//! Lists that stay fast at millions of tickets: a person's tickets by
//! status come from one index range, and on PostgreSQL title search uses
//! trigram indexes (pg_trgm, a trusted extension) on title and number
//! instead of reading every row. Number-shaped searches need nothing new: they go to the unique
//! index on `number`. An inbox's counts and an approver's handled items
//! come from partial indexes of their own.

use sea_orm_migration::{
    prelude::*,
    sea_orm::{ConnectionTrait, DbBackend},
};

/// Partial indexes of approval items: (name, columns, condition). The
/// handled statuses must match `Store::handled_page` exactly.
const PARTIAL: [(&str, &str, &str); 4] = [
    ("ix_ticket_items_pending_assignee", "assignee_id, due_at", "status = 'pending'"),
    ("ix_ticket_items_pending_principal", "on_behalf_of, due_at", "status = 'pending'"),
    (
        "ix_ticket_items_decided_assignee",
        "assignee_id, id",
        "status IN ('approved', 'returned', 'rejected', 'confirmed')",
    ),
    (
        "ix_ticket_items_decided_principal",
        "on_behalf_of, id",
        "status IN ('approved', 'returned', 'rejected', 'confirmed')",
    ),
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tickets {
    Table,
    ApplicantId,
    Status,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ix_tickets_applicant_status")
                .table(Tickets::Table)
                .col(Tickets::ApplicantId)
                .col(Tickets::Status)
                .col(Tickets::Id)
                .take(),
        )
        .await?;
        // An inbox's counts and the handled list read only their own
        // items, from partial indexes in the order they list them.
        let db = m.get_connection();
        for (name, columns, condition) in PARTIAL {
            db.execute_unprepared(&format!(
                "CREATE INDEX IF NOT EXISTS {name} ON ticket_items ({columns}) WHERE {condition}"
            ))
            .await?;
        }
        if m.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm").await?;
            for (name, column) in [("ix_tickets_title_trgm", "title"), ("ix_tickets_number_trgm", "number")] {
                db.execute_unprepared(&format!(
                    "CREATE INDEX IF NOT EXISTS {name} ON tickets USING gin (lower({column}) gin_trgm_ops)"
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, _, _) in PARTIAL {
            m.get_connection().execute_unprepared(&format!("DROP INDEX IF EXISTS {name}")).await?;
        }
        if m.get_database_backend() == DbBackend::Postgres {
            let db = m.get_connection();
            db.execute_unprepared("DROP INDEX IF EXISTS ix_tickets_title_trgm").await?;
            db.execute_unprepared("DROP INDEX IF EXISTS ix_tickets_number_trgm").await?;
        }
        m.drop_index(Index::drop().name("ix_tickets_applicant_status").table(Tickets::Table).to_owned()).await
    }
}
