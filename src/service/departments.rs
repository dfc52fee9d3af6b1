//! Administration of the department tree and of roles.

use super::input::{Issues, Patch, RawId, active_department, active_user, checked, parse_id};
use crate::{
    domain::{
        access::{Actor, Permission},
        names::{Code, DisplayName},
        org,
    },
    error::{Error, Result},
    store::{
        Store,
        departments::{Department, DepartmentPatch, NewDepartment},
        roles::Role,
    },
};

#[derive(Debug)]
pub struct CreateDepartmentInput {
    pub name: String,
    /// The parent department; none makes a top-level department.
    pub parent_id: Option<RawId>,
    /// The user who heads it (approvals "head of department" go to them).
    pub head_id: Option<RawId>,
}

pub async fn create_department(store: &Store, actor: &Actor, input: CreateDepartmentInput) -> Result<Department> {
    actor.require(Permission::ManageOrganisation)?;
    let mut issues = Issues::default();
    let name = issues.take(DisplayName::parse("name", &input.name));
    let parent_id = match &input.parent_id {
        Some(id) => issues.take(active_department(store, "parentId", id).await),
        None => None,
    };
    let head_id = match &input.head_id {
        Some(id) => issues.take(active_user(store, "headId", id).await),
        None => None,
    };
    issues.finish()?;
    let name = checked(name)?.into_inner();
    store.insert_department(NewDepartment { name, parent_id, head_id }).await
}

#[derive(Debug)]
pub struct UpdateDepartmentInput {
    pub id: RawId,
    pub name: Option<String>,
    /// `null` makes it top-level.
    pub parent_id: Patch<RawId>,
    /// `null` leaves it without a head (approvals then go one level up).
    pub head_id: Patch<RawId>,
}

pub async fn update_department(store: &Store, actor: &Actor, input: UpdateDepartmentInput) -> Result<Department> {
    actor.require(Permission::ManageOrganisation)?;
    let id = parse_id("id", &input.id)?;
    let current = store.department_required(id).await?;
    let mut issues = Issues::default();
    let name = input.name.as_deref().and_then(|n| issues.take(DisplayName::parse("name", n)));
    let parent_id = match &input.parent_id {
        Patch::Keep => None,
        Patch::Clear => Some(None),
        Patch::Set(p) => issues.take(active_department(store, "parentId", p).await).map(Some),
    };
    if let Some(parent) = parent_id {
        issues.take(org::check_department_parent(id, parent, &store.department_links().await?));
    }
    let head_id = match &input.head_id {
        Patch::Keep => None,
        Patch::Clear => Some(None),
        Patch::Set(h) => issues.take(active_user(store, "headId", h).await).map(Some),
    };
    issues.finish()?;
    let patch = DepartmentPatch { name: name.map(DisplayName::into_inner), parent_id, head_id, active: None };
    store.update_department(current, patch).await
}

/// Deactivates a department that has no active sub-department and no active
/// member left (move them first), or reactivates one under an active parent.
pub async fn set_department_active(store: &Store, actor: &Actor, id: &str, active: bool) -> Result<Department> {
    actor.require(Permission::ManageOrganisation)?;
    let id = parse_id("id", id)?;
    let current = store.department_required(id).await?;
    if current.active == active {
        return Ok(current);
    }
    if !active {
        if store.active_children_count(id).await? > 0 || store.active_members_count(id).await? > 0 {
            return Err(Error::conflict(
                "department_in_use",
                "move the active sub-departments and members elsewhere before deactivating this department",
            ));
        }
    } else if let Some(parent) = current.parent_id {
        if !store.department_required(parent).await?.active {
            return Err(Error::conflict("parent_inactive", "reactivate the parent department first"));
        }
    }
    store.update_department(current, DepartmentPatch { active: Some(active), ..Default::default() }).await
}

pub async fn create_role(store: &Store, actor: &Actor, code: &str, name: &str) -> Result<Role> {
    actor.require(Permission::ManageOrganisation)?;
    let mut issues = Issues::default();
    let code = issues.take(Code::parse("code", code));
    let name = issues.take(DisplayName::parse("name", name));
    issues.finish()?;
    let (code, name) = (checked(code)?, checked(name)?);
    store.insert_role(code.into_inner(), name.into_inner(), false).await
}

pub async fn rename_role(store: &Store, actor: &Actor, id: &str, name: &str) -> Result<Role> {
    actor.require(Permission::ManageOrganisation)?;
    let id = parse_id("id", id)?;
    let name = DisplayName::parse("name", name)?;
    store.rename_role(id, name.into_inner()).await
}
