//! Refresh tokens and API tokens. Only SHA-256 hashes are stored: a leaked
//! database does not hand out sessions.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};

use super::{
    Store,
    entity::{api_token, refresh_token},
};
use crate::{domain::events::Control, error::Result};

pub use api_token::Model as ApiToken;
pub use refresh_token::Model as RefreshToken;

impl Store {
    pub async fn insert_refresh_token(
        &self,
        user_id: i64,
        family: &str,
        token_hash: String,
        expires_at: DateTime<Utc>,
    ) -> Result<RefreshToken> {
        let row = refresh_token::ActiveModel {
            user_id: Set(user_id),
            family: Set(family.to_string()),
            token_hash: Set(token_hash),
            expires_at: Set(expires_at),
            used_at: Set(None),
            revoked_at: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        };
        Ok(row.insert(&self.db).await?)
    }

    pub async fn refresh_token_by_hash(&self, hash: &str) -> Result<Option<RefreshToken>> {
        Ok(refresh_token::Entity::find().filter(refresh_token::Column::TokenHash.eq(hash)).one(&self.db).await?)
    }

    /// Marks the token spent. Returns false when another request spent it
    /// first: the conditional update is what makes rotation race-free.
    pub async fn spend_refresh_token(&self, id: i64) -> Result<bool> {
        let result = refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::UsedAt, Expr::value(Utc::now()))
            .filter(refresh_token::Column::Id.eq(id))
            .filter(refresh_token::Column::UsedAt.is_null())
            .filter(refresh_token::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Revokes every token of a login session (after reuse or on logout).
    pub async fn revoke_refresh_family(&self, family: &str) -> Result<u64> {
        let result = refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
            .filter(refresh_token::Column::Family.eq(family))
            .filter(refresh_token::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        self.access_changed(Control::SessionEnded { session: family.to_string() });
        Ok(result.rows_affected)
    }

    /// Whether a login session still stands: some token of its family is
    /// not revoked.
    pub async fn session_alive(&self, family: &str) -> Result<bool> {
        use sea_orm::PaginatorTrait;
        let open = refresh_token::Entity::find()
            .filter(refresh_token::Column::Family.eq(family))
            .filter(refresh_token::Column::RevokedAt.is_null())
            .count(&self.db)
            .await?;
        Ok(open > 0)
    }

    /// Ends every session of a user but `keep` (a password change keeps the
    /// caller's own).
    pub async fn revoke_other_sessions(&self, user_id: i64, keep: Option<&str>) -> Result<()> {
        use sea_orm::QuerySelect;
        let families: Vec<String> = refresh_token::Entity::find()
            .select_only()
            .column(refresh_token::Column::Family)
            .distinct()
            .filter(refresh_token::Column::UserId.eq(user_id))
            .filter(refresh_token::Column::RevokedAt.is_null())
            .into_tuple()
            .all(&self.db)
            .await?;
        for family in families.iter().filter(|f| Some(f.as_str()) != keep) {
            self.revoke_refresh_family(family).await?;
        }
        Ok(())
    }

    /// Revokes every session of a user (deactivation, password change).
    pub async fn revoke_refresh_tokens_of(&self, user_id: i64) -> Result<u64> {
        let result = refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
            .filter(refresh_token::Column::UserId.eq(user_id))
            .filter(refresh_token::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        self.access_changed(Control::UserChanged { user_id });
        Ok(result.rows_affected)
    }

    pub async fn insert_api_token(
        &self,
        user_id: i64,
        name: String,
        prefix: String,
        token_hash: String,
        created_by: i64,
    ) -> Result<ApiToken> {
        let row = api_token::ActiveModel {
            user_id: Set(user_id),
            name: Set(name),
            prefix: Set(prefix),
            token_hash: Set(token_hash),
            created_by: Set(created_by),
            created_at: Set(Utc::now()),
            last_used_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        };
        Ok(row.insert(&self.db).await?)
    }

    pub async fn api_token_by_hash(&self, hash: &str) -> Result<Option<ApiToken>> {
        Ok(api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(hash))
            .filter(api_token::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?)
    }

    pub async fn api_token(&self, id: i64) -> Result<Option<ApiToken>> {
        Ok(api_token::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn api_tokens_of(&self, user_id: Option<i64>) -> Result<Vec<ApiToken>> {
        let mut select = api_token::Entity::find().order_by_asc(api_token::Column::Id);
        if let Some(user) = user_id {
            select = select.filter(api_token::Column::UserId.eq(user));
        }
        Ok(select.all(&self.db).await?)
    }

    pub async fn touch_api_token(&self, id: i64) -> Result<()> {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(Utc::now()))
            .filter(api_token::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    pub async fn revoke_api_token(&self, id: i64) -> Result<bool> {
        let result = api_token::Entity::update_many()
            .col_expr(api_token::Column::RevokedAt, Expr::value(Utc::now()))
            .filter(api_token::Column::Id.eq(id))
            .filter(api_token::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected == 1)
    }
}
