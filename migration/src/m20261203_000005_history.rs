//! History maintenance: mutation receipts are pruned by age, so they get
//! an index on their creation time (published outbox rows already have
//! one on `published_at`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MutationReceipts {
    Table,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ix_mutation_receipts_created")
                .table(MutationReceipts::Table)
                .col(MutationReceipts::CreatedAt)
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_mutation_receipts_created").table(MutationReceipts::Table).to_owned()).await
    }
}
