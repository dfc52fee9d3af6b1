//! Notifications: `deliveries` (one row per event, recipient, channel and
//! kind — the unique key that makes every message go out once), people's
//! notification settings, WeCom group robots, the notifier's position in
//! the outbox, used mobile-link tokens, and SLA firings (one per item and
//! kind, whichever node fires first) with an index of pending items by
//! due time for the SLA sweep.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Deliveries {
    Table,
    Id,
    EventId,
    TicketId,
    ItemId,
    RecipientId,
    Channel,
    Kind,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    LastError,
    ProviderId,
    ResponseCode,
    Message,
    EventAt,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum NotificationSettings {
    Table,
    UserId,
    Language,
    Muted,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Robots {
    Table,
    Id,
    Name,
    WebhookKey,
    TemplateCode,
    DepartmentId,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Cursors {
    Table,
    Name,
    Position,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UsedLinks {
    Table,
    Nonce,
    UsedAt,
}

#[derive(DeriveIden)]
enum SlaFirings {
    Table,
    ItemId,
    Kind,
    FiredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Deliveries::Table)
                .col(big_pk_auto(Deliveries::Id))
                .col(big_integer(Deliveries::EventId))
                .col(big_integer(Deliveries::TicketId))
                .col(big_integer_null(Deliveries::ItemId))
                .col(big_integer(Deliveries::RecipientId))
                .col(string_len(Deliveries::Channel, 16))
                .col(string_len(Deliveries::Kind, 24))
                .col(string_len(Deliveries::Status, 8))
                .col(integer(Deliveries::Attempts).default(0))
                .col(timestamp_with_time_zone(Deliveries::NextAttemptAt))
                .col(timestamp_with_time_zone_null(Deliveries::ClaimedUntil))
                .col(text_null(Deliveries::LastError))
                .col(string_len_null(Deliveries::ProviderId, 128))
                .col(string_len_null(Deliveries::ResponseCode, 256))
                .col(text(Deliveries::Message))
                .col(timestamp_with_time_zone(Deliveries::EventAt))
                .col(timestamp_with_time_zone(Deliveries::CreatedAt))
                .col(timestamp_with_time_zone_null(Deliveries::SentAt))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_deliveries_once")
                .table(Deliveries::Table)
                .col(Deliveries::EventId)
                .col(Deliveries::RecipientId)
                .col(Deliveries::Channel)
                .col(Deliveries::Kind)
                .unique()
                .take(),
        )
        .await?;
        // Senders claim what is due on their channel, soonest first, and
        // lapsed claims are released: partial indexes, so the rows already
        // sent (nearly all of them) are never walked.
        for sql in [
            "CREATE INDEX ix_deliveries_due ON deliveries (channel, next_attempt_at) WHERE status IN ('pending', 'failed')",
            "CREATE INDEX ix_deliveries_claimed ON deliveries (claimed_until) WHERE status = 'sending'",
        ] {
            m.get_connection().execute_unprepared(sql).await?;
        }
        m.create_index(
            Index::create().name("ix_deliveries_item").table(Deliveries::Table).col(Deliveries::ItemId).take(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_deliveries_ticket").table(Deliveries::Table).col(Deliveries::TicketId).take(),
        )
        .await?;
        // The SLA sweep reads pending items by due time.
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_ticket_items_pending_due ON ticket_items (due_at) WHERE status = 'pending'",
            )
            .await?;
        m.create_table(
            Table::create()
                .table(NotificationSettings::Table)
                .col(big_integer(NotificationSettings::UserId).primary_key())
                .col(string_len(NotificationSettings::Language, 8))
                .col(text(NotificationSettings::Muted))
                .col(timestamp_with_time_zone(NotificationSettings::UpdatedAt))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Robots::Table)
                .col(big_pk_auto(Robots::Id))
                .col(string_len(Robots::Name, 120))
                .col(string_len(Robots::WebhookKey, 128))
                .col(string_len_null(Robots::TemplateCode, 64))
                .col(big_integer_null(Robots::DepartmentId))
                .col(boolean(Robots::Active).default(true))
                .col(timestamp_with_time_zone(Robots::CreatedAt))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Cursors::Table)
                .col(string_len(Cursors::Name, 64).primary_key())
                .col(big_integer(Cursors::Position))
                .col(timestamp_with_time_zone(Cursors::UpdatedAt))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(UsedLinks::Table)
                .col(string_len(UsedLinks::Nonce, 64).primary_key())
                .col(timestamp_with_time_zone(UsedLinks::UsedAt))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SlaFirings::Table)
                .col(big_integer(SlaFirings::ItemId))
                .col(string_len(SlaFirings::Kind, 24))
                .col(timestamp_with_time_zone(SlaFirings::FiredAt))
                .primary_key(Index::create().col(SlaFirings::ItemId).col(SlaFirings::Kind))
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SlaFirings::Table).take()).await?;
        m.drop_table(Table::drop().table(UsedLinks::Table).take()).await?;
        m.drop_table(Table::drop().table(Cursors::Table).take()).await?;
        m.drop_table(Table::drop().table(Robots::Table).take()).await?;
        m.drop_table(Table::drop().table(NotificationSettings::Table).take()).await?;
        m.drop_table(Table::drop().table(Deliveries::Table).take()).await?;
        m.get_connection().execute_unprepared("DROP INDEX ix_ticket_items_pending_due").await?;
        Ok(())
    }
}
