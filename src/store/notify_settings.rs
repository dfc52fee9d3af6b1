//! What the notifier reads besides deliveries: people's notification
//! settings, WeCom group robots, and the approval items of a batch of
//! tickets.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::OnConflict,
};

use super::{
    Store,
    entity::{delivery, notification_setting, robot, ticket_item},
};
use crate::error::Result;

pub use notification_setting::Model as NotificationSetting;
pub use robot::Model as Robot;

impl Store {
    pub async fn notification_settings(&self, users: &[i64]) -> Result<Vec<NotificationSetting>> {
        Ok(notification_setting::Entity::find()
            .filter(notification_setting::Column::UserId.is_in(users.iter().copied()))
            .all(&self.db)
            .await?)
    }

    /// Sets a person's language and muted `channel:kind` pairs.
    pub async fn save_notification_setting(&self, user: i64, language: &str, muted: &[String]) -> Result<()> {
        let row = notification_setting::ActiveModel {
            user_id: Set(user),
            language: Set(language.into()),
            muted: Set(serde_json::to_string(muted).unwrap_or_else(|_| "[]".into())),
            updated_at: Set(Utc::now()),
        };
        let _guard = self.write_guard().await;
        notification_setting::Entity::insert(row)
            .on_conflict(
                OnConflict::column(notification_setting::Column::UserId)
                    .update_columns([
                        notification_setting::Column::Language,
                        notification_setting::Column::Muted,
                        notification_setting::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await?;
        Ok(())
    }

    pub async fn robots(&self) -> Result<Vec<Robot>> {
        Ok(robot::Entity::find().order_by_asc(robot::Column::Id).all(&self.db).await?)
    }

    pub async fn robot(&self, id: i64) -> Result<Option<Robot>> {
        Ok(robot::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn insert_robot(
        &self,
        name: String,
        webhook_key: String,
        template_code: Option<String>,
        department_id: Option<i64>,
    ) -> Result<Robot> {
        let row = robot::ActiveModel {
            name: Set(name),
            webhook_key: Set(webhook_key),
            template_code: Set(template_code),
            department_id: Set(department_id),
            active: Set(true),
            created_at: Set(Utc::now()),
            ..Default::default()
        };
        let _guard = self.write_guard().await;
        Ok(row.insert(&self.db).await?)
    }

    pub async fn delete_robot(&self, id: i64) -> Result<bool> {
        let _guard = self.write_guard().await;
        Ok(robot::Entity::delete_by_id(id).exec(&self.db).await?.rows_affected == 1)
    }

    /// The approval items of `tickets`.
    pub async fn items_of_tickets(&self, tickets: &[i64]) -> Result<Vec<ticket_item::Model>> {
        Ok(ticket_item::Entity::find()
            .filter(ticket_item::Column::TicketId.is_in(tickets.iter().copied()))
            .all(&self.db)
            .await?)
    }

    /// Cards sent for `items` that WeCom lets us update.
    /// WeCom cards about `items` that were or may still be sent (not dead,
    /// not updates themselves): the cards a decision must update.
    pub async fn cards_of_items(&self, items: &[i64]) -> Result<Vec<delivery::Model>> {
        Ok(delivery::Entity::find()
            .filter(delivery::Column::ItemId.is_in(items.iter().copied()))
            .filter(delivery::Column::Channel.eq("wecom_app"))
            .filter(delivery::Column::Kind.ne("card_update"))
            .filter(delivery::Column::Status.ne(super::deliveries::status::DEAD))
            .all(&self.db)
            .await?)
    }

    /// WeCom cards about `item` to `recipient` (a card update looks them
    /// up when it is sent).
    pub async fn cards_for(&self, item: i64, recipient: i64) -> Result<Vec<delivery::Model>> {
        Ok(delivery::Entity::find()
            .filter(delivery::Column::ItemId.eq(item))
            .filter(delivery::Column::RecipientId.eq(recipient))
            .filter(delivery::Column::Channel.eq("wecom_app"))
            .filter(delivery::Column::Kind.ne("card_update"))
            .all(&self.db)
            .await?)
    }

    /// Records that the mobile link with `nonce` decided; false when it
    /// had already.
    pub async fn use_link(&self, nonce: &str) -> Result<bool> {
        let sql = "INSERT INTO used_links (nonce, used_at) VALUES ($1, $2) ON CONFLICT (nonce) DO NOTHING";
        let statement = self.statement(sql, [nonce.into(), Utc::now().into()]);
        let _guard = self.write_guard().await;
        Ok(sea_orm::ConnectionTrait::execute_raw(&self.db, statement).await?.rows_affected() == 1)
    }

    pub async fn link_used(&self, nonce: &str) -> Result<bool> {
        let sql = "SELECT nonce FROM used_links WHERE nonce = $1";
        let statement = self.statement(sql, [nonce.into()]);
        Ok(sea_orm::ConnectionTrait::query_one_raw(&self.db, statement).await?.is_some())
    }
}
