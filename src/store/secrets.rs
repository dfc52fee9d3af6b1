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
}
