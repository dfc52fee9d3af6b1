//! ws-cluster projects (admins): creating one with a generated secret,
//! rotating its secret, deactivating it. A rotated or deactivated project's
//! open connections are closed on every node (they signed with what no
//! longer holds).

use crate::{
    domain::{
        access::{Actor, Permission},
        names::{Code, DisplayName},
    },
    error::{Error, Result},
    realtime::{Realtime, SIGNOFF_PID},
    service::auth::random_token,
    store::{Store, realtime::Project},
};

/// Admin: every project.
pub async fn list(store: &Store, actor: &Actor) -> Result<Vec<Project>> {
    actor.require(Permission::ManageOrganisation)?;
    store.projects().await
}

/// Admin: a new project with a generated secret.
pub async fn create(store: &Store, actor: &Actor, pid: &str, name: &str) -> Result<Project> {
    actor.require(Permission::ManageOrganisation)?;
    let pid = Code::parse("pid", pid)?.into_inner();
    let name = DisplayName::parse("name", name)?.into_inner();
    if store.project_by_pid(&pid).await?.is_some() {
        return Err(Error::invalid_field("already_exists", "pid", "a project with this pid exists"));
    }
    store.insert_project(pid, name, random_token(32)).await
}

/// Admin: a new secret; the old one stops working at once.
pub async fn rotate_secret(store: &Store, rt: &Realtime, actor: &Actor, pid: &str) -> Result<Project> {
    actor.require(Permission::ManageOrganisation)?;
    let current = store.project_by_pid(pid).await?.ok_or(Error::not_found("project"))?;
    let updated = store.update_project(current, None, Some(random_token(32)), None).await?;
    rt.project_changed(pid);
    Ok(updated)
}

/// Admin: its clients can no longer connect or be pushed to.
pub async fn deactivate(store: &Store, rt: &Realtime, actor: &Actor, pid: &str) -> Result<Project> {
    actor.require(Permission::ManageOrganisation)?;
    if pid == SIGNOFF_PID {
        return Err(Error::conflict("cannot_deactivate_signoff", "Signoff's own project stays active"));
    }
    let current = store.project_by_pid(pid).await?.ok_or(Error::not_found("project"))?;
    let updated = store.update_project(current, None, None, Some(false)).await?;
    rt.project_changed(pid);
    Ok(updated)
}
