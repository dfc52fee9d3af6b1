//! Realtime administration: ws-cluster projects (admins) and presence.

use std::sync::Arc;

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::{
    context::{actor, store},
    types::UserNode,
};
use crate::{
    domain::access::Permission,
    error::{Error, Result},
    realtime::{Realtime, SIGNOFF_PID},
    service::projects,
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
        Ok(projects::list(store(ctx), actor(ctx)?).await?.into_iter().map(ProjectNode::from).collect())
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
        Ok(projects::create(store(ctx), actor(ctx)?, &pid, &name).await?.into())
    }

    /// Admin: a new secret; the old one stops working at once and the
    /// project's open connections are closed.
    async fn rotate_project_secret(&self, ctx: &Context<'_>, pid: String) -> Result<ProjectNode> {
        Ok(projects::rotate_secret(store(ctx), rt(ctx), actor(ctx)?, &pid).await?.into())
    }

    /// Admin: its clients can no longer connect or be pushed to; open
    /// connections are closed.
    async fn deactivate_project(&self, ctx: &Context<'_>, pid: String) -> Result<ProjectNode> {
        Ok(projects::deactivate(store(ctx), rt(ctx), actor(ctx)?, &pid).await?.into())
    }
}
