//! Roles and their assignment to users.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    TransactionTrait,
};

use super::{
    Store,
    entity::{role, user_role},
};
use crate::error::{Error, Result};

pub use role::Model as Role;

impl Store {
    pub async fn roles(&self) -> Result<Vec<Role>> {
        Ok(role::Entity::find().order_by_asc(role::Column::Id).all(&self.db).await?)
    }

    pub async fn role(&self, id: i64) -> Result<Option<Role>> {
        Ok(role::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn roles_by_codes(&self, codes: &[String]) -> Result<Vec<Role>> {
        Ok(role::Entity::find().filter(role::Column::Code.is_in(codes.iter().cloned())).all(&self.db).await?)
    }

    pub async fn insert_role(&self, code: String, name: String, system: bool) -> Result<Role> {
        let row = role::ActiveModel {
            code: Set(code),
            name: Set(name),
            system: Set(system),
            created_at: Set(Utc::now()),
            ..Default::default()
        };
        let row = row.insert(&self.db).await?;
        self.org_changed();
        Ok(row)
    }

    pub async fn rename_role(&self, id: i64, name: String) -> Result<Role> {
        let current = self.role(id).await?.ok_or(Error::not_found("role"))?;
        let mut row = current.into_active_model();
        row.name = Set(name);
        Ok(row.update(&self.db).await?)
    }

    /// Role codes of each user asked for (users without roles are absent).
    pub async fn role_codes_of(&self, user_ids: &[i64]) -> Result<HashMap<i64, Vec<String>>> {
        let roles: HashMap<i64, String> = self.roles().await?.into_iter().map(|r| (r.id, r.code)).collect();
        let links = user_role::Entity::find()
            .filter(user_role::Column::UserId.is_in(user_ids.iter().copied()))
            .order_by_asc(user_role::Column::RoleId)
            .all(&self.db)
            .await?;
        let mut out: HashMap<i64, Vec<String>> = HashMap::new();
        for link in links {
            if let Some(code) = roles.get(&link.role_id) {
                out.entry(link.user_id).or_default().push(code.clone());
            }
        }
        Ok(out)
    }

    /// Replaces a user's roles with exactly `role_ids`, atomically.
    pub async fn set_user_roles(&self, user_id: i64, role_ids: &[i64]) -> Result<()> {
        let txn = self.db.begin().await?;
        user_role::Entity::delete_many().filter(user_role::Column::UserId.eq(user_id)).exec(&txn).await?;
        if !role_ids.is_empty() {
            let rows =
                role_ids.iter().map(|&role_id| user_role::ActiveModel { user_id: Set(user_id), role_id: Set(role_id) });
            user_role::Entity::insert_many(rows).exec(&txn).await?;
        }
        txn.commit().await?;
        self.org_changed();
        self.access_changed(crate::domain::events::Control::UserChanged { user_id });
        Ok(())
    }

    /// Active users holding the role `code`.
    pub async fn users_with_role(&self, code: &str) -> Result<Vec<i64>> {
        use super::entity::user;
        use sea_orm::QuerySelect;
        let Some(role) = role::Entity::find().filter(role::Column::Code.eq(code)).one(&self.db).await? else {
            return Ok(Vec::new());
        };
        let ids: Vec<i64> = user_role::Entity::find()
            .filter(user_role::Column::RoleId.eq(role.id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|l| l.user_id)
            .collect();
        let active: Vec<i64> = user::Entity::find()
            .filter(user::Column::Id.is_in(ids))
            .filter(user::Column::Active.eq(true))
            .order_by_asc(user::Column::Id)
            .select_only()
            .column(user::Column::Id)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(active)
    }
}
