//! Realtime administration: ws-cluster projects (admins) and presence.

use std::sync::Arc;

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::{
    context::{actor, store},
    types::UserNode,
};
use crate::{
    domain::{
        access::Permission,
        names::{Code, DisplayName},
    },
    error::{Error, Result},
    realtime::{Realtime, SIGNOFF_PID},
    service::auth::random_token,
    store::realtime::Project,
};

/// A ws-cluster project: its clients connect with signatures made with its
/// secret, and its business system pushes with the same secret.
#[derive(SimpleObject)]
#[graphql(name = "Project")]
pub struct ProjectNode {
    pub pid: String,
    pub name: String,
    /// The signing secret (admins only see projects at all).
    pub secret: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<Project> for ProjectNode {
    fn from(p: Project) -> Self {
        Self { pid: p.pid, name: p.name, secret: p.secret, active: p.active, created_at: p.created_at }
    }
}

fn rt<'a>(ctx: &'a Context<'_>) -> &'a Arc<Realtime> {
    ctx.data_unchecked::<Arc<Realtime>>()
}

#[derive(Default)]
pub struct RealtimeQuery;

#[Object]
impl RealtimeQuery {
    /// Admin: every project.
    async fn projects(&self, ctx: &Context<'_>) -> Result<Vec<ProjectNode>> {
        actor(ctx)?.require(Permission::ManageOrganisation)?;
        Ok(store(ctx).projects().await?.into_iter().map(ProjectNode::from).collect())
    }

    /// Users of Signoff with a live connection on any node.
    async fn online_users(&self, ctx: &Context<'_>) -> Result<Vec<UserNode>> {
        actor(ctx)?.require(Permission::ReadDirectory)?;
        let uids =
            rt(ctx).cluster.online_users(SIGNOFF_PID).await.map_err(|e| Error::Unavailable(anyhow::anyhow!(e)))?;
        let ids: Vec<i64> = uids.iter().filter_map(|u| u.parse().ok()).collect();
        let mut users = store(ctx).users_by_ids(&ids).await?;
        users.sort_by_key(|u| u.id);
        Ok(users.into_iter().map(UserNode).collect())
    }

    /// Admin: uids of a project with a live connection on any node.
    async fn online_uids(&self, ctx: &Context<'_>, pid: String) -> Result<Vec<String>> {
        actor(ctx)?.require(Permission::ManageOrganisation)?;
        rt(ctx).cluster.online_users(&pid).await.map_err(|e| Error::Unavailable(anyhow::anyhow!(e)))
    }
}

#[derive(Default)]
pub struct RealtimeMutation;

#[Object]
impl RealtimeMutation {
    /// Admin: a new project with a generated secret.
    async fn create_project(&self, ctx: &Context<'_>, pid: String, name: String) -> Result<ProjectNode> {
        actor(ctx)?.require(Permission::ManageOrganisation)?;
        let pid = Code::parse("pid", &pid)?.into_inner();
        let name = DisplayName::parse("name", &name)?.into_inner();
        if store(ctx).project_by_pid(&pid).await?.is_some() {
            return Err(Error::invalid_field("already_exists", "pid", "a project with this pid exists"));
        }
        Ok(store(ctx).insert_project(pid, name, random_token(32)).await?.into())
    }

    /// Admin: a new secret; the old one stops working at once.
    async fn rotate_project_secret(&self, ctx: &Context<'_>, pid: String) -> Result<ProjectNode> {
        actor(ctx)?.require(Permission::ManageOrganisation)?;
        let current = store(ctx).project_by_pid(&pid).await?.ok_or(Error::not_found("project"))?;
        let updated = store(ctx).update_project(current, None, Some(random_token(32)), None).await?;
        rt(ctx).projects_changed();
        Ok(updated.into())
    }

    /// Admin: its clients can no longer connect or be pushed to.
    async fn deactivate_project(&self, ctx: &Context<'_>, pid: String) -> Result<ProjectNode> {
        actor(ctx)?.require(Permission::ManageOrganisation)?;
        if pid == SIGNOFF_PID {
            return Err(Error::conflict("cannot_deactivate_signoff", "Signoff's own project stays active"));
        }
        let current = store(ctx).project_by_pid(&pid).await?.ok_or(Error::not_found("project"))?;
        let updated = store(ctx).update_project(current, None, None, Some(false)).await?;
        rt(ctx).projects_changed();
        Ok(updated.into())
    }
}
