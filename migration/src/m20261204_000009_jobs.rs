//! Automation jobs: one row per task of a processing ticket, created in
//! the transaction that made the next task due. Claims read two partial
//! indexes — jobs waiting in a queue by time, running jobs by lease
//! expiry — so the finished jobs (nearly all of them) are never walked.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::ConnectionTrait};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    TicketId,
    Seq,
    Name,
    Executor,
    Kind,
    Params,
    Status,
    Attempts,
    MaxAttempts,
    BackoffSecs,
    TimeoutSecs,
    Holder,
    LeaseExpiresAt,
    AvailableAt,
    StartedAt,
    FinishedAt,
    Output,
    LastError,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Jobs::Table)
                .col(big_pk_auto(Jobs::Id))
                .col(big_integer(Jobs::TicketId))
                .col(integer(Jobs::Seq))
                .col(string_len(Jobs::Name, 120))
                .col(string_len(Jobs::Executor, 16))
                .col(string_len(Jobs::Kind, 64))
                .col(text(Jobs::Params))
                .col(string_len(Jobs::Status, 16))
                .col(integer(Jobs::Attempts).default(0))
                .col(integer(Jobs::MaxAttempts))
                .col(integer(Jobs::BackoffSecs))
                .col(integer(Jobs::TimeoutSecs))
                .col(string_len_null(Jobs::Holder, 64))
                .col(timestamp_with_time_zone_null(Jobs::LeaseExpiresAt))
                .col(timestamp_with_time_zone(Jobs::AvailableAt))
                .col(timestamp_with_time_zone_null(Jobs::StartedAt))
                .col(timestamp_with_time_zone_null(Jobs::FinishedAt))
                .col(text_null(Jobs::Output))
                .col(text_null(Jobs::LastError))
                .col(timestamp_with_time_zone(Jobs::CreatedAt))
                .col(timestamp_with_time_zone(Jobs::UpdatedAt))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_jobs_ticket_seq")
                .table(Jobs::Table)
                .col(Jobs::TicketId)
                .col(Jobs::Seq)
                .unique()
                .take(),
        )
        .await?;
        for sql in [
            "CREATE INDEX ix_jobs_waiting ON jobs (kind, available_at) WHERE status = 'pending'",
            "CREATE INDEX ix_jobs_leased ON jobs (kind, lease_expires_at) WHERE status = 'running'",
            "CREATE INDEX ix_jobs_failed ON jobs (updated_at) WHERE status = 'failed'",
        ] {
            m.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Jobs::Table).take()).await?;
        Ok(())
    }
}
