//! The organisation: departments (a tree with a head), users, roles and their
//! assignment, proxies (代理人), refresh tokens (rotating, hashed), API tokens
//! for bots (hashed) and server secrets (the JWT signing key of a cluster).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Departments {
    Table,
    Id,
    Name,
    ParentId,
    HeadId,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    DisplayName,
    Email,
    Phone,
    WecomUserId,
    DepartmentId,
    ManagerId,
    Active,
    PasswordHash,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Roles {
    Table,
    Id,
    Code,
    Name,
    System,
    CreatedAt,
}

#[derive(DeriveIden)]
enum UserRoles {
    Table,
    UserId,
    RoleId,
}

#[derive(DeriveIden)]
enum Proxies {
    Table,
    Id,
    PrincipalId,
    ProxyId,
    TemplateCode,
    StartsAt,
    EndsAt,
    RevokedAt,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    Family,
    TokenHash,
    ExpiresAt,
    UsedAt,
    RevokedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    Prefix,
    TokenHash,
    CreatedBy,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum ServerSecrets {
    Table,
    Name,
    Value,
    CreatedAt,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Restrict).take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The head of a department is a user and a user belongs to a
        // department; SQLite cannot add a foreign key after the fact, so the
        // head is checked by the application instead of by a constraint.
        m.create_table(
            Table::create()
                .table(Departments::Table)
                .col(big_pk_auto(Departments::Id))
                .col(string_len(Departments::Name, 120))
                .col(big_integer_null(Departments::ParentId))
                .col(big_integer_null(Departments::HeadId))
                .col(boolean(Departments::Active).default(true))
                .col(timestamp_with_time_zone(Departments::CreatedAt))
                .col(timestamp_with_time_zone(Departments::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_departments_parent",
                    (Departments::Table, Departments::ParentId),
                    (Departments::Table, Departments::Id),
                ))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_departments_parent_name")
                .table(Departments::Table)
                .col(Departments::ParentId)
                .col(Departments::Name)
                .unique()
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(big_pk_auto(Users::Id))
                .col(string_len(Users::Username, 64))
                .col(string_len(Users::DisplayName, 120))
                .col(string_len_null(Users::Email, 254))
                .col(string_len_null(Users::Phone, 32))
                .col(string_len_null(Users::WecomUserId, 64))
                .col(big_integer_null(Users::DepartmentId))
                .col(big_integer_null(Users::ManagerId))
                .col(boolean(Users::Active).default(true))
                .col(string_len_null(Users::PasswordHash, 255))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_users_department",
                    (Users::Table, Users::DepartmentId),
                    (Departments::Table, Departments::Id),
                ))
                .foreign_key(&mut fk("fk_users_manager", (Users::Table, Users::ManagerId), (Users::Table, Users::Id)))
                .take(),
        )
        .await?;
        for (name, col) in [
            ("uq_users_username", Users::Username),
            ("uq_users_email", Users::Email),
            ("uq_users_wecom_user_id", Users::WecomUserId),
        ] {
            m.create_index(Index::create().name(name).table(Users::Table).col(col).unique().take()).await?;
        }
        m.create_index(Index::create().name("ix_users_department").table(Users::Table).col(Users::DepartmentId).take())
            .await?;

        m.create_table(
            Table::create()
                .table(Roles::Table)
                .col(big_pk_auto(Roles::Id))
                .col(string_len_uniq(Roles::Code, 64))
                .col(string_len(Roles::Name, 120))
                .col(boolean(Roles::System).default(false))
                .col(timestamp_with_time_zone(Roles::CreatedAt))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(UserRoles::Table)
                .col(big_integer(UserRoles::UserId))
                .col(big_integer(UserRoles::RoleId))
                .primary_key(Index::create().col(UserRoles::UserId).col(UserRoles::RoleId))
                .foreign_key(&mut fk(
                    "fk_user_roles_user",
                    (UserRoles::Table, UserRoles::UserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_user_roles_role",
                    (UserRoles::Table, UserRoles::RoleId),
                    (Roles::Table, Roles::Id),
                ))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_user_roles_role").table(UserRoles::Table).col(UserRoles::RoleId).take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Proxies::Table)
                .col(big_pk_auto(Proxies::Id))
                .col(big_integer(Proxies::PrincipalId))
                .col(big_integer(Proxies::ProxyId))
                .col(string_len_null(Proxies::TemplateCode, 64))
                .col(timestamp_with_time_zone(Proxies::StartsAt))
                .col(timestamp_with_time_zone(Proxies::EndsAt))
                .col(timestamp_with_time_zone_null(Proxies::RevokedAt))
                .col(big_integer(Proxies::CreatedBy))
                .col(timestamp_with_time_zone(Proxies::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_proxies_principal",
                    (Proxies::Table, Proxies::PrincipalId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk("fk_proxies_proxy", (Proxies::Table, Proxies::ProxyId), (Users::Table, Users::Id)))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_proxies_principal").table(Proxies::Table).col(Proxies::PrincipalId).take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RefreshTokens::Table)
                .col(big_pk_auto(RefreshTokens::Id))
                .col(big_integer(RefreshTokens::UserId))
                .col(string_len(RefreshTokens::Family, 36))
                .col(string_len_uniq(RefreshTokens::TokenHash, 64))
                .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_refresh_tokens_user",
                    (RefreshTokens::Table, RefreshTokens::UserId),
                    (Users::Table, Users::Id),
                ))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_refresh_tokens_family")
                .table(RefreshTokens::Table)
                .col(RefreshTokens::Family)
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .col(big_pk_auto(ApiTokens::Id))
                .col(big_integer(ApiTokens::UserId))
                .col(string_len(ApiTokens::Name, 120))
                .col(string_len(ApiTokens::Prefix, 16))
                .col(string_len_uniq(ApiTokens::TokenHash, 64))
                .col(big_integer(ApiTokens::CreatedBy))
                .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                .foreign_key(&mut fk(
                    "fk_api_tokens_user",
                    (ApiTokens::Table, ApiTokens::UserId),
                    (Users::Table, Users::Id),
                ))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ServerSecrets::Table)
                .col(string_len(ServerSecrets::Name, 64).primary_key())
                .col(text(ServerSecrets::Value))
                .col(timestamp_with_time_zone(ServerSecrets::CreatedAt))
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ServerSecrets::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            Proxies::Table.into_iden(),
            UserRoles::Table.into_iden(),
            Roles::Table.into_iden(),
            Users::Table.into_iden(),
            Departments::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
