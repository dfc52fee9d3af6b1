//! Users: identity, contact channels, place in the organisation, and the
//! password hash (absent for bots, which use API tokens).

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QuerySelect,
};

use super::{
    Store,
    entity::user::{self, Column, Entity},
    keyset::{self, Keyset, Page},
};
use crate::domain::events::Control;
use crate::error::{Error, Result};

pub use user::Model as User;

/// Fields of a new user, already parsed.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub wecom_user_id: Option<String>,
    pub department_id: Option<i64>,
    pub manager_id: Option<i64>,
    pub password_hash: Option<String>,
}

/// A partial update; `Some(None)` clears a nullable field.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub display_name: Option<String>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub wecom_user_id: Option<Option<String>>,
    pub department_id: Option<Option<i64>>,
    pub manager_id: Option<Option<i64>>,
    pub active: Option<bool>,
    pub password_hash: Option<Option<String>>,
}

/// Which users a list shows.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Matches username or display name, case-insensitively.
    pub search: Option<String>,
    pub department_id: Option<i64>,
    pub include_inactive: bool,
}

impl Store {
    pub async fn user(&self, id: i64) -> Result<Option<User>> {
        Ok(Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn user_required(&self, id: i64) -> Result<User> {
        self.user(id).await?.ok_or(Error::not_found("user"))
    }

    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        Ok(Entity::find().filter(Column::Username.eq(username)).one(&self.db).await?)
    }

    /// The user WeCom names `wecom_user_id` (callbacks carry it).
    pub async fn user_by_wecom_id(&self, wecom_user_id: &str) -> Result<Option<User>> {
        Ok(Entity::find().filter(Column::WecomUserId.eq(wecom_user_id)).one(&self.db).await?)
    }

    pub async fn users_by_ids(&self, ids: &[i64]) -> Result<Vec<User>> {
        Ok(Entity::find().filter(Column::Id.is_in(ids.iter().copied())).all(&self.db).await?)
    }

    pub async fn users_page(&self, filter: &UserFilter, keyset: &Keyset) -> Result<Page<User>> {
        let mut select = Entity::find();
        if let Some(search) = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            // LIKE is case-insensitive for ASCII on SQLite; lower() makes
            // PostgreSQL agree. Wildcards typed by the user are escaped.
            let pattern =
                format!("%{}%", search.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
            let like =
                |col: Column| Expr::expr(Func::lower(Expr::col(col))).like(LikeExpr::new(pattern.clone()).escape('\\'));
            select = select.filter(Condition::any().add(like(Column::Username)).add(like(Column::DisplayName)));
        }
        if let Some(dept) = filter.department_id {
            select = select.filter(Column::DepartmentId.eq(dept));
        }
        if !filter.include_inactive {
            select = select.filter(Column::Active.eq(true));
        }
        let rows = keyset::apply(select, Column::Id, keyset).all(&self.db).await?;
        Ok(keyset::finish(rows, keyset))
    }

    /// Every user's manager, for cycle checks over the whole chain.
    pub async fn manager_links(&self) -> Result<HashMap<i64, Option<i64>>> {
        let rows: Vec<(i64, Option<i64>)> = Entity::find()
            .select_only()
            .column(Column::Id)
            .column(Column::ManagerId)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// Active members of a department (not of its sub-departments).
    pub async fn active_members_count(&self, department: i64) -> Result<u64> {
        Ok(Entity::find()
            .filter(Column::DepartmentId.eq(department))
            .filter(Column::Active.eq(true))
            .count(&self.db)
            .await?)
    }

    pub async fn count_users(&self) -> Result<u64> {
        Ok(Entity::find().count(&self.db).await?)
    }

    pub async fn insert_user(&self, new: NewUser) -> Result<User> {
        let now = Utc::now();
        let row = user::ActiveModel {
            username: Set(new.username),
            display_name: Set(new.display_name),
            email: Set(new.email),
            phone: Set(new.phone),
            wecom_user_id: Set(new.wecom_user_id),
            department_id: Set(new.department_id),
            manager_id: Set(new.manager_id),
            active: Set(true),
            password_hash: Set(new.password_hash),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        let row = row.insert(&self.db).await?;
        self.org_changed();
        Ok(row)
    }

    pub async fn update_user(&self, current: User, patch: UserPatch) -> Result<User> {
        let mut row = current.into_active_model();
        if let Some(v) = patch.display_name {
            row.display_name = Set(v);
        }
        if let Some(v) = patch.email {
            row.email = Set(v);
        }
        if let Some(v) = patch.phone {
            row.phone = Set(v);
        }
        if let Some(v) = patch.wecom_user_id {
            row.wecom_user_id = Set(v);
        }
        if let Some(v) = patch.department_id {
            row.department_id = Set(v);
        }
        if let Some(v) = patch.manager_id {
            row.manager_id = Set(v);
        }
        let access = patch.active.is_some();
        if let Some(v) = patch.active {
            row.active = Set(v);
        }
        if let Some(v) = patch.password_hash {
            row.password_hash = Set(v);
        }
        row.updated_at = Set(Utc::now());
        let row = row.update(&self.db).await?;
        self.org_changed();
        if access {
            self.access_changed(Control::UserChanged { user_id: row.id });
        }
        Ok(row)
    }
}
