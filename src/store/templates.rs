//! Templates and their versions. A version is immutable once written:
//! editing a template appends a version and moves `current_version`, and a
//! ticket keeps pointing at the version it was filed under.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    TransactionTrait,
};

use super::{
    Store,
    entity::{template, template_version},
    keyset::{self, Keyset, Page},
};
use crate::error::{Error, Result};

pub use template::Model as Template;
pub use template_version::Model as TemplateVersion;

/// The content of one version, serialized by the caller after validation.
#[derive(Debug, Clone)]
pub struct VersionContent {
    pub form_schema: String,
    pub chain: String,
    pub automations: String,
}

/// Header fields of a template.
#[derive(Debug, Clone)]
pub struct TemplateHeader {
    pub name: String,
    pub category: String,
    pub description: String,
}

/// Which templates a list shows.
#[derive(Debug, Clone, Default)]
pub struct TemplateFilter {
    pub category: Option<String>,
    pub include_inactive: bool,
}

impl Store {
    pub async fn template_by_code(&self, code: &str) -> Result<Option<Template>> {
        Ok(template::Entity::find().filter(template::Column::Code.eq(code)).one(&self.db).await?)
    }

    pub async fn template(&self, id: i64) -> Result<Option<Template>> {
        Ok(template::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn templates_page(&self, filter: &TemplateFilter, keyset: &Keyset) -> Result<Page<Template>> {
        let mut select = template::Entity::find();
        if let Some(category) = &filter.category {
            select = select.filter(template::Column::Category.eq(category.clone()));
        }
        if !filter.include_inactive {
            select = select.filter(template::Column::Active.eq(true));
        }
        let rows = keyset::apply(select, template::Column::Id, keyset).all(&self.db).await?;
        Ok(keyset::finish(rows, keyset))
    }

    pub async fn template_version(&self, id: i64) -> Result<Option<TemplateVersion>> {
        Ok(template_version::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn template_version_number(&self, template_id: i64, version: i32) -> Result<Option<TemplateVersion>> {
        Ok(template_version::Entity::find()
            .filter(template_version::Column::TemplateId.eq(template_id))
            .filter(template_version::Column::Version.eq(version))
            .one(&self.db)
            .await?)
    }

    pub async fn template_versions(&self, template_id: i64) -> Result<Vec<TemplateVersion>> {
        Ok(template_version::Entity::find()
            .filter(template_version::Column::TemplateId.eq(template_id))
            .order_by_asc(template_version::Column::Version)
            .all(&self.db)
            .await?)
    }

    /// A new template with its version 1, atomically.
    pub async fn insert_template(
        &self,
        code: String,
        header: TemplateHeader,
        content: VersionContent,
        created_by: i64,
    ) -> Result<(Template, TemplateVersion)> {
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let template = template::ActiveModel {
            code: Set(code),
            name: Set(header.name),
            category: Set(header.category),
            description: Set(header.description),
            current_version: Set(1),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let version = insert_version(&txn, template.id, 1, content, created_by).await?;
        txn.commit().await?;
        self.template_changed();
        Ok((template, version))
    }

    /// Appends version `current + 1` and makes it current. Two admins saving
    /// at once: the unique (template, version) key lets one win; the other
    /// gets `conflict` and saves again on top of it.
    pub async fn insert_template_version(
        &self,
        current: Template,
        header: TemplateHeader,
        content: VersionContent,
        created_by: i64,
    ) -> Result<(Template, TemplateVersion)> {
        let next = current.current_version + 1;
        let txn = self.db.begin().await?;
        let version = insert_version(&txn, current.id, next, content, created_by).await.map_err(|e| match e {
            Error::Invalid { code: "already_exists", .. } | Error::Conflict { .. } => {
                Error::conflict("conflict", "someone saved this template at the same time; reload and save again")
            }
            other => other,
        })?;
        let mut row = current.into_active_model();
        row.name = Set(header.name);
        row.category = Set(header.category);
        row.description = Set(header.description);
        row.current_version = Set(next);
        row.updated_at = Set(Utc::now());
        let template = row.update(&txn).await?;
        txn.commit().await?;
        self.template_changed();
        Ok((template, version))
    }

    pub async fn set_template_active(&self, current: Template, active: bool) -> Result<Template> {
        let mut row = current.into_active_model();
        row.active = Set(active);
        row.updated_at = Set(Utc::now());
        let template = row.update(&self.db).await?;
        self.template_changed();
        Ok(template)
    }
}

async fn insert_version(
    txn: &sea_orm::DatabaseTransaction,
    template_id: i64,
    version: i32,
    content: VersionContent,
    created_by: i64,
) -> Result<TemplateVersion> {
    Ok(template_version::ActiveModel {
        template_id: Set(template_id),
        version: Set(version),
        form_schema: Set(content.form_schema),
        chain: Set(content.chain),
        automations: Set(content.automations),
        created_by: Set(created_by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}
