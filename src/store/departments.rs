//! Departments: a tree (parent link) where each node may have a head.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect,
};

use super::{
    Store,
    entity::department::{self, Column, Entity},
    keyset::{self, Keyset, Page},
};
use crate::error::{Error, Result};

pub use department::Model as Department;

/// Fields of a new department.
#[derive(Debug, Clone)]
pub struct NewDepartment {
    pub name: String,
    pub parent_id: Option<i64>,
    pub head_id: Option<i64>,
}

/// A partial update; `Some(None)` clears a nullable field.
#[derive(Debug, Clone, Default)]
pub struct DepartmentPatch {
    pub name: Option<String>,
    pub parent_id: Option<Option<i64>>,
    pub head_id: Option<Option<i64>>,
    pub active: Option<bool>,
}

/// Which departments a list shows.
#[derive(Debug, Clone, Default)]
pub struct DepartmentFilter {
    pub parent_id: Option<i64>,
    pub roots_only: bool,
    pub include_inactive: bool,
}

impl Store {
    pub async fn department(&self, id: i64) -> Result<Option<Department>> {
        Ok(Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn department_required(&self, id: i64) -> Result<Department> {
        self.department(id).await?.ok_or(Error::not_found("department"))
    }

    pub async fn departments_by_ids(&self, ids: &[i64]) -> Result<Vec<Department>> {
        Ok(Entity::find().filter(Column::Id.is_in(ids.iter().copied())).all(&self.db).await?)
    }

    pub async fn departments_page(&self, filter: &DepartmentFilter, keyset: &Keyset) -> Result<Page<Department>> {
        let mut select = Entity::find();
        if let Some(parent) = filter.parent_id {
            select = select.filter(Column::ParentId.eq(parent));
        }
        if filter.roots_only {
            select = select.filter(Column::ParentId.is_null());
        }
        if !filter.include_inactive {
            select = select.filter(Column::Active.eq(true));
        }
        let rows = keyset::apply(select, Column::Id, keyset).all(&self.db).await?;
        Ok(keyset::finish(rows, keyset))
    }

    /// Every department's parent, for cycle checks over the whole tree.
    pub async fn department_links(&self) -> Result<HashMap<i64, Option<i64>>> {
        let rows: Vec<(i64, Option<i64>)> =
            Entity::find().select_only().column(Column::Id).column(Column::ParentId).into_tuple().all(&self.db).await?;
        Ok(rows.into_iter().collect())
    }

    pub async fn insert_department(&self, new: NewDepartment) -> Result<Department> {
        let now = Utc::now();
        let row = department::ActiveModel {
            name: Set(new.name),
            parent_id: Set(new.parent_id),
            head_id: Set(new.head_id),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        let row = row.insert(&self.db).await?;
        self.org_changed();
        Ok(row)
    }

    pub async fn update_department(&self, current: Department, patch: DepartmentPatch) -> Result<Department> {
        let mut row = current.into_active_model();
        if let Some(name) = patch.name {
            row.name = Set(name);
        }
        if let Some(parent) = patch.parent_id {
            row.parent_id = Set(parent);
        }
        if let Some(head) = patch.head_id {
            row.head_id = Set(head);
        }
        if let Some(active) = patch.active {
            row.active = Set(active);
        }
        row.updated_at = Set(Utc::now());
        let row = row.update(&self.db).await?;
        self.org_changed();
        Ok(row)
    }

    /// Active sub-departments, to refuse deactivating a department that still has some.
    pub async fn active_children_count(&self, id: i64) -> Result<u64> {
        use sea_orm::PaginatorTrait;
        Ok(Entity::find().filter(Column::ParentId.eq(id)).filter(Column::Active.eq(true)).count(&self.db).await?)
    }
}
