//! Proxies (代理人): a principal's stand-in for a window of time, optionally
//! for one template only. Revoked proxies stay for the record.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, IntoActiveModel, QueryFilter};

use super::{
    Store,
    entity::proxy::{self, Column, Entity},
    keyset::{self, Keyset, Page},
};
use crate::error::{Error, Result};

pub use proxy::Model as Proxy;

/// A new proxy window, already validated.
#[derive(Debug, Clone)]
pub struct NewProxy {
    pub principal_id: i64,
    pub proxy_id: i64,
    pub template_code: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub created_by: i64,
}

/// Which proxies a list shows.
#[derive(Debug, Clone, Default)]
pub struct ProxyFilter {
    /// Only proxies where this user is the principal or the proxy.
    pub involving: Option<i64>,
    pub principal_id: Option<i64>,
    /// Hide revoked and ended windows.
    pub current_only: bool,
}

impl Store {
    pub async fn proxy(&self, id: i64) -> Result<Option<Proxy>> {
        Ok(Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn proxies_page(&self, filter: &ProxyFilter, keyset: &Keyset) -> Result<Page<Proxy>> {
        let mut select = Entity::find();
        if let Some(user) = filter.involving {
            select = select.filter(Condition::any().add(Column::PrincipalId.eq(user)).add(Column::ProxyId.eq(user)));
        }
        if let Some(principal) = filter.principal_id {
            select = select.filter(Column::PrincipalId.eq(principal));
        }
        if filter.current_only {
            select = select.filter(Column::RevokedAt.is_null()).filter(Column::EndsAt.gt(Utc::now()));
        }
        let rows = keyset::apply(select, Column::Id, keyset).all(&self.db).await?;
        Ok(keyset::finish(rows, keyset))
    }

    /// The principal's windows that are not revoked and not over.
    pub async fn live_proxies_of(&self, principal: i64) -> Result<Vec<Proxy>> {
        Ok(Entity::find()
            .filter(Column::PrincipalId.eq(principal))
            .filter(Column::RevokedAt.is_null())
            .filter(Column::EndsAt.gt(Utc::now()))
            .all(&self.db)
            .await?)
    }

    /// Whether `proxy` may act for `principal` on a ticket of `template` at
    /// `at`: a window that is not revoked, has begun and has not ended, for
    /// every template or this one.
    pub async fn proxy_covers(&self, principal: i64, proxy: i64, template: &str, at: DateTime<Utc>) -> Result<bool> {
        let found = Entity::find()
            .filter(Column::PrincipalId.eq(principal))
            .filter(Column::ProxyId.eq(proxy))
            .filter(Column::RevokedAt.is_null())
            .filter(Column::StartsAt.lte(at))
            .filter(Column::EndsAt.gt(at))
            .filter(Condition::any().add(Column::TemplateCode.is_null()).add(Column::TemplateCode.eq(template)))
            .one(&self.db)
            .await?;
        Ok(found.is_some())
    }

    /// Windows that ended (not revoked) whose open items have not gone back
    /// to their principal yet, oldest first.
    pub async fn ended_proxies_to_hand_back(&self, now: DateTime<Utc>, limit: u64) -> Result<Vec<Proxy>> {
        use sea_orm::{QueryOrder, QuerySelect};
        Ok(Entity::find()
            .filter(Column::RevokedAt.is_null())
            .filter(Column::HandedBackAt.is_null())
            .filter(Column::EndsAt.lte(now))
            .order_by_asc(Column::EndsAt)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    /// Records that an ended window's items went back.
    pub async fn mark_handed_back(&self, id: i64, at: DateTime<Utc>) -> Result<()> {
        Entity::update_many()
            .col_expr(Column::HandedBackAt, sea_orm::sea_query::Expr::value(at))
            .filter(Column::Id.eq(id))
            .filter(Column::HandedBackAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }

    pub async fn insert_proxy(&self, new: NewProxy) -> Result<Proxy> {
        let row = proxy::ActiveModel {
            principal_id: Set(new.principal_id),
            proxy_id: Set(new.proxy_id),
            template_code: Set(new.template_code),
            starts_at: Set(new.starts_at),
            ends_at: Set(new.ends_at),
            revoked_at: Set(None),
            handed_back_at: Set(None),
            created_by: Set(new.created_by),
            created_at: Set(Utc::now()),
            ..Default::default()
        };
        let row = row.insert(&self.db).await?;
        self.org_changed();
        Ok(row)
    }

    pub async fn revoke_proxy(&self, current: Proxy) -> Result<Proxy> {
        if current.revoked_at.is_some() {
            return Err(Error::conflict("already_revoked", "this proxy is already revoked"));
        }
        let mut row = current.into_active_model();
        row.revoked_at = Set(Some(Utc::now()));
        let row = row.update(&self.db).await?;
        self.org_changed();
        Ok(row)
    }
}
