//! Realtime: projects of the ws-cluster protocol (pid, name, signing
//! secret) and leases, which let exactly one node run the outbox relay.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Projects {
    Table,
    Id,
    Pid,
    Name,
    Secret,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Leases {
    Table,
    Name,
    Holder,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Projects::Table)
                .col(big_pk_auto(Projects::Id))
                .col(string_len_uniq(Projects::Pid, 64))
                .col(string_len(Projects::Name, 120))
                .col(string_len(Projects::Secret, 128))
                .col(boolean(Projects::Active).default(true))
                .col(timestamp_with_time_zone(Projects::CreatedAt))
                .col(timestamp_with_time_zone(Projects::UpdatedAt))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Leases::Table)
                .col(string_len(Leases::Name, 64).primary_key())
                .col(string_len(Leases::Holder, 128))
                .col(timestamp_with_time_zone(Leases::ExpiresAt))
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Leases::Table).take()).await?;
        m.drop_table(Table::drop().table(Projects::Table).take()).await?;
        Ok(())
    }
}
