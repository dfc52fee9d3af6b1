//! Secrets the cluster generates for itself (the JWT key when none is
//! configured). The first node to start creates one; an insert race is
//! settled by the primary key, and every node then reads the winner.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, EntityTrait};

use super::{Store, entity::server_secret};
use crate::error::Result;

impl Store {
    /// Returns the secret `name`, creating it from `generate` if absent.
    pub async fn secret_or_create(&self, name: &str, generate: impl FnOnce() -> String) -> Result<String> {
        if let Some(row) = server_secret::Entity::find_by_id(name.to_string()).one(&self.db).await? {
            return Ok(row.value);
        }
        let row = server_secret::ActiveModel {
            name: Set(name.to_string()),
            value: Set(generate()),
            created_at: Set(Utc::now()),
        };
        // Another node may have won the race; its value is the one to use.
        let _ = server_secret::Entity::insert(row).exec(&self.db).await;
        let row = server_secret::Entity::find_by_id(name.to_string())
            .one(&self.db)
            .await?
            .ok_or_else(|| crate::error::Error::internal(anyhow::anyhow!("secret {name} vanished")))?;
        Ok(row.value)
    }

    /// The secret `name`, if one was saved.
    pub async fn secret(&self, name: &str) -> Result<Option<String>> {
        Ok(server_secret::Entity::find_by_id(name.to_string()).one(&self.db).await?.map(|row| row.value))
    }

    /// Saves the secret `name`, replacing what was there.
    pub async fn put_secret(&self, name: &str, value: &str) -> Result<()> {
        let row = server_secret::ActiveModel {
            name: Set(name.to_string()),
            value: Set(value.to_string()),
            created_at: Set(Utc::now()),
        };
        let _guard = self.write_guard().await;
        server_secret::Entity::insert(row)
            .on_conflict(
                sea_orm::sea_query::OnConflict::column(server_secret::Column::Name)
                    .update_columns([server_secret::Column::Value, server_secret::Column::CreatedAt])
                    .to_owned(),
            )
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
