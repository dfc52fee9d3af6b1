//! Satisfaction (满意度): an applicant rates a finished ticket once. The
//! rating is the ticket's `rated` event; a partial unique index on the
//! events makes a second one fail in the database, whatever the nodes do.

use sea_orm_migration::{prelude::*, sea_orm::ConnectionTrait};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_ticket_events_rated ON ticket_events (ticket_id) WHERE kind = 'rated'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP INDEX ux_ticket_events_rated").await?;
        Ok(())
    }
}
