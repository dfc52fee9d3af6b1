//! The workflow: templates and their immutable versions, tickets (with the
//! state machine's snapshot and an optimistic version), approval items (the
//! projection the inbox reads), the event log, the outbox that feeds the
//! realtime bus, mutation receipts (idempotency under a client mutation id)
//! and the per-day counters behind human ticket numbers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Templates {
    Table,
    Id,
    Code,
    Name,
    Category,
    Description,
    CurrentVersion,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TemplateVersions {
    Table,
    Id,
    TemplateId,
    Version,
    FormSchema,
    Chain,
    Automations,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Tickets {
    Table,
    Id,
    Number,
    TemplateId,
    TemplateVersionId,
    TemplateCode,
    Title,
    ApplicantId,
    DepartmentId,
    Status,
    Result,
    Round,
    Form,
    State,
    Version,
    LastUrgedAt,
    CreatedAt,
    UpdatedAt,
    DoneAt,
}

#[derive(DeriveIden)]
enum TicketItems {
    Table,
    Id,
    TicketId,
    Seq,
    Round,
    Step,
    ChainStep,
    StepName,
    Kind,
    AssigneeId,
    OnBehalfOf,
    Status,
    DecidedBy,
    Reason,
    DueAt,
    CreatedAt,
    DecidedAt,
}

#[derive(DeriveIden)]
enum TicketEvents {
    Table,
    Id,
    TicketId,
    Kind,
    ActorId,
    OnBehalfOf,
    StatusBefore,
    StatusAfter,
    Payload,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    EventId,
    TicketId,
    Topic,
    Payload,
    CreatedAt,
    PublishedAt,
}

#[derive(DeriveIden)]
enum MutationReceipts {
    Table,
    ActorId,
    ClientMutationId,
    Operation,
    TicketId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TicketCounters {
    Table,
    Prefix,
    Day,
    Seq,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn index(name: &str, table: impl IntoIden, cols: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for col in cols {
        idx.col(Alias::new(*col));
    }
    if unique {
        idx.unique();
    }
    idx.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Templates::Table)
                .col(big_pk_auto(Templates::Id))
                .col(string_len_uniq(Templates::Code, 64))
                .col(string_len(Templates::Name, 120))
                .col(string_len(Templates::Category, 64))
                .col(text(Templates::Description))
                .col(integer(Templates::CurrentVersion))
                .col(boolean(Templates::Active).default(true))
                .col(timestamp_with_time_zone(Templates::CreatedAt))
                .col(timestamp_with_time_zone(Templates::UpdatedAt))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(TemplateVersions::Table)
                .col(big_pk_auto(TemplateVersions::Id))
                .col(big_integer(TemplateVersions::TemplateId))
                .col(integer(TemplateVersions::Version))
                .col(text(TemplateVersions::FormSchema))
                .col(text(TemplateVersions::Chain))
                .col(text(TemplateVersions::Automations))
                .col(big_integer(TemplateVersions::CreatedBy))
                .col(timestamp_with_time_zone(TemplateVersions::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_template_versions_template")
                        .from(TemplateVersions::Table, TemplateVersions::TemplateId)
                        .to(Templates::Table, Templates::Id),
                )
                .take(),
        )
        .await?;
        m.create_index(index("uq_template_versions", TemplateVersions::Table, &["template_id", "version"], true))
            .await?;

        m.create_table(
            Table::create()
                .table(Tickets::Table)
                .col(big_pk_auto(Tickets::Id))
                .col(string_len_uniq(Tickets::Number, 80))
                .col(big_integer(Tickets::TemplateId))
                .col(big_integer(Tickets::TemplateVersionId))
                .col(string_len(Tickets::TemplateCode, 64))
                .col(string_len(Tickets::Title, 200))
                .col(big_integer(Tickets::ApplicantId))
                .col(big_integer_null(Tickets::DepartmentId))
                .col(string_len(Tickets::Status, 16))
                .col(string_len_null(Tickets::Result, 16))
                .col(integer(Tickets::Round))
                .col(text(Tickets::Form))
                .col(text(Tickets::State))
                .col(integer(Tickets::Version))
                .col(timestamp_with_time_zone_null(Tickets::LastUrgedAt))
                .col(timestamp_with_time_zone(Tickets::CreatedAt))
                .col(timestamp_with_time_zone(Tickets::UpdatedAt))
                .col(timestamp_with_time_zone_null(Tickets::DoneAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_tickets_applicant")
                        .from(Tickets::Table, Tickets::ApplicantId)
                        .to(Users::Table, Users::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_tickets_template_version")
                        .from(Tickets::Table, Tickets::TemplateVersionId)
                        .to(TemplateVersions::Table, TemplateVersions::Id),
                )
                .take(),
        )
        .await?;
        m.create_index(index("ix_tickets_applicant", Tickets::Table, &["applicant_id", "id"], false)).await?;
        m.create_index(index("ix_tickets_status", Tickets::Table, &["status", "id"], false)).await?;
        m.create_index(index("ix_tickets_template", Tickets::Table, &["template_id", "id"], false)).await?;
        m.create_index(index("ix_tickets_created", Tickets::Table, &["created_at"], false)).await?;

        m.create_table(
            Table::create()
                .table(TicketItems::Table)
                .col(big_pk_auto(TicketItems::Id))
                .col(big_integer(TicketItems::TicketId))
                .col(integer(TicketItems::Seq))
                .col(integer(TicketItems::Round))
                .col(integer(TicketItems::Step))
                .col(integer(TicketItems::ChainStep))
                .col(string_len(TicketItems::StepName, 120))
                .col(string_len(TicketItems::Kind, 16))
                .col(big_integer(TicketItems::AssigneeId))
                .col(big_integer_null(TicketItems::OnBehalfOf))
                .col(string_len(TicketItems::Status, 16))
                .col(big_integer_null(TicketItems::DecidedBy))
                .col(text_null(TicketItems::Reason))
                .col(timestamp_with_time_zone_null(TicketItems::DueAt))
                .col(timestamp_with_time_zone(TicketItems::CreatedAt))
                .col(timestamp_with_time_zone_null(TicketItems::DecidedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_ticket_items_ticket")
                        .from(TicketItems::Table, TicketItems::TicketId)
                        .to(Tickets::Table, Tickets::Id),
                )
                .take(),
        )
        .await?;
        m.create_index(index("uq_ticket_items_seq", TicketItems::Table, &["ticket_id", "seq"], true)).await?;
        m.create_index(index("ix_ticket_items_assignee", TicketItems::Table, &["assignee_id", "status", "id"], false))
            .await?;
        m.create_index(index(
            "ix_ticket_items_principal",
            TicketItems::Table,
            &["on_behalf_of", "status", "id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(TicketEvents::Table)
                .col(big_pk_auto(TicketEvents::Id))
                .col(big_integer(TicketEvents::TicketId))
                .col(string_len(TicketEvents::Kind, 32))
                .col(big_integer_null(TicketEvents::ActorId))
                .col(big_integer_null(TicketEvents::OnBehalfOf))
                .col(string_len_null(TicketEvents::StatusBefore, 16))
                .col(string_len(TicketEvents::StatusAfter, 16))
                .col(text(TicketEvents::Payload))
                .col(timestamp_with_time_zone(TicketEvents::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_ticket_events_ticket")
                        .from(TicketEvents::Table, TicketEvents::TicketId)
                        .to(Tickets::Table, Tickets::Id),
                )
                .take(),
        )
        .await?;
        m.create_index(index("ix_ticket_events_ticket", TicketEvents::Table, &["ticket_id", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(big_pk_auto(Outbox::Id))
                .col(big_integer(Outbox::EventId))
                .col(big_integer(Outbox::TicketId))
                .col(string_len(Outbox::Topic, 64))
                .col(text(Outbox::Payload))
                .col(timestamp_with_time_zone(Outbox::CreatedAt))
                .col(timestamp_with_time_zone_null(Outbox::PublishedAt))
                .take(),
        )
        .await?;
        m.create_index(index("ix_outbox_unpublished", Outbox::Table, &["published_at", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table(MutationReceipts::Table)
                .col(big_integer(MutationReceipts::ActorId))
                .col(string_len(MutationReceipts::ClientMutationId, 100))
                .col(string_len(MutationReceipts::Operation, 32))
                .col(big_integer(MutationReceipts::TicketId))
                .col(timestamp_with_time_zone(MutationReceipts::CreatedAt))
                .primary_key(Index::create().col(MutationReceipts::ActorId).col(MutationReceipts::ClientMutationId))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(TicketCounters::Table)
                .col(string_len(TicketCounters::Prefix, 64))
                .col(string_len(TicketCounters::Day, 8))
                .col(integer(TicketCounters::Seq))
                .primary_key(Index::create().col(TicketCounters::Prefix).col(TicketCounters::Day))
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            TicketCounters::Table.into_iden(),
            MutationReceipts::Table.into_iden(),
            Outbox::Table.into_iden(),
            TicketEvents::Table.into_iden(),
            TicketItems::Table.into_iden(),
            Tickets::Table.into_iden(),
            TemplateVersions::Table.into_iden(),
            Templates::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
