//! Hardening: a mutation receipt remembers a fingerprint of the request's
//! arguments (a retry must be the same request), and a proxy window records
//! when its open items went back to the principal after it ended.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MutationReceipts {
    Table,
    Fingerprint,
}

#[derive(DeriveIden)]
enum Proxies {
    Table,
    HandedBackAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Receipts written before this release have an empty fingerprint and
        // match any retry, as they did then.
        m.alter_table(
            Table::alter()
                .table(MutationReceipts::Table)
                .add_column(string_len(MutationReceipts::Fingerprint, 64).default(""))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Proxies::Table)
                .add_column(timestamp_with_time_zone_null(Proxies::HandedBackAt))
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Proxies::Table).drop_column(Proxies::HandedBackAt).take()).await?;
        m.alter_table(Table::alter().table(MutationReceipts::Table).drop_column(MutationReceipts::Fingerprint).take())
            .await?;
        Ok(())
    }
}
