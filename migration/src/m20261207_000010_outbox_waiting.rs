//! The outbox relay polls for rows not yet on the bus many times a second.
//! With only `(published_at, id)` to go by, the planner walked the primary
//! key past every published row kept for `outbox_retention_secs` (a day of
//! traffic), so each idle poll cost more as the outbox filled. A partial
//! index of the waiting rows alone answers it in proportion to what waits.

use sea_orm_migration::{prelude::*, sea_orm::ConnectionTrait};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX IF NOT EXISTS ix_outbox_waiting ON outbox (id) WHERE published_at IS NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP INDEX IF EXISTS ix_outbox_waiting").await?;
        Ok(())
    }
}
