//! Lists that stay fast at millions of tickets: a person's tickets by
//! status come from one index range, and on PostgreSQL title search uses
//! trigram indexes (pg_trgm, a trusted extension) on title and number
//! instead of reading every row. Number-shaped searches need nothing new: they go to the unique
//! index on `number`.

use sea_orm_migration::{
    prelude::*,
    sea_orm::{ConnectionTrait, DbBackend},
};

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
        if m.get_database_backend() == DbBackend::Postgres {
            let db = m.get_connection();
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
        if m.get_database_backend() == DbBackend::Postgres {
            let db = m.get_connection();
            db.execute_unprepared("DROP INDEX IF EXISTS ix_tickets_title_trgm").await?;
            db.execute_unprepared("DROP INDEX IF EXISTS ix_tickets_number_trgm").await?;
        }
        m.drop_index(Index::drop().name("ix_tickets_applicant_status").table(Tickets::Table).to_owned()).await
    }
}
