//! Queries and mutations of the organisation: the directory (users,
//! departments, roles) for everyone logged in, its administration for admins,
//! and proxies for their principals.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, connection::Connection};

use super::{
    connection::{PageArgs, connection},
    context::{actor, store},
    inputs,
    types::{DepartmentNode, ProxyNode, RoleNode, UserNode},
};
use crate::{
    config::Config,
    domain::access::Permission,
    error::Result,
    service::{
        departments,
        input::{parse_id, search as search_input},
        proxies, users,
    },
    store::{departments::DepartmentFilter, proxies::ProxyFilter, users::UserFilter},
};

fn page_max(ctx: &Context<'_>) -> usize {
    ctx.data_unchecked::<Arc<Config>>().page_size_max
}

#[derive(Default)]
pub struct OrgQuery;

#[Object]
impl OrgQuery {
    /// One user of the directory.
    async fn user(&self, ctx: &Context<'_>, id: ID) -> Result<Option<UserNode>> {
        actor(ctx)?.require(Permission::ReadDirectory)?;
        Ok(store(ctx).user(parse_id("id", &id)?).await?.map(UserNode))
    }

    /// The directory, searchable by username or name.
    #[graphql(complexity = "first.unwrap_or(20).max(last.unwrap_or(0)) as usize * child_complexity")]
    #[allow(clippy::too_many_arguments)]
    async fn users(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        department_id: Option<ID>,
        #[graphql(default = false)] include_inactive: bool,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<String, UserNode>> {
        let actor = actor(ctx)?;
        actor.require(Permission::ReadDirectory)?;
        if include_inactive {
            actor.require(Permission::ManageOrganisation)?;
        }
        let keyset = PageArgs::new(first, after, last, before).keyset(page_max(ctx))?;
        let filter = UserFilter {
            search: search_input(search)?,
            department_id: department_id.map(|d| parse_id("departmentId", &d)).transpose()?,
            include_inactive,
        };
        let page = store(ctx).users_page(&filter, &keyset).await?;
        Ok(connection(&keyset, page, |u| u.id, UserNode))
    }

    async fn department(&self, ctx: &Context<'_>, id: ID) -> Result<Option<DepartmentNode>> {
        actor(ctx)?.require(Permission::ReadDirectory)?;
        Ok(store(ctx).department(parse_id("id", &id)?).await?.map(DepartmentNode))
    }

    /// Departments; `rootsOnly` gives the tops of the tree to walk down from.
    #[graphql(complexity = "first.unwrap_or(20).max(last.unwrap_or(0)) as usize * child_complexity")]
    #[allow(clippy::too_many_arguments)]
    async fn departments(
        &self,
        ctx: &Context<'_>,
        parent_id: Option<ID>,
        #[graphql(default = false)] roots_only: bool,
        #[graphql(default = false)] include_inactive: bool,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<String, DepartmentNode>> {
        actor(ctx)?.require(Permission::ReadDirectory)?;
        let keyset = PageArgs::new(first, after, last, before).keyset(page_max(ctx))?;
        let filter = DepartmentFilter {
            parent_id: parent_id.map(|p| parse_id("parentId", &p)).transpose()?,
            roots_only,
            include_inactive,
        };
        let page = store(ctx).departments_page(&filter, &keyset).await?;
        Ok(connection(&keyset, page, |d| d.id, DepartmentNode))
    }

    async fn roles(&self, ctx: &Context<'_>) -> Result<Vec<RoleNode>> {
        actor(ctx)?.require(Permission::ReadDirectory)?;
        Ok(store(ctx).roles().await?.into_iter().map(RoleNode::from).collect())
    }

    /// Proxies: your own (as principal or proxy); managers and admins see
    /// everyone's and may filter by principal.
    #[graphql(complexity = "first.unwrap_or(20).max(last.unwrap_or(0)) as usize * child_complexity")]
    #[allow(clippy::too_many_arguments)]
    async fn proxies(
        &self,
        ctx: &Context<'_>,
        principal_id: Option<ID>,
        #[graphql(default = false)] current_only: bool,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<String, ProxyNode>> {
        let actor = actor(ctx)?;
        let keyset = PageArgs::new(first, after, last, before).keyset(page_max(ctx))?;
        let filter = ProxyFilter {
            involving: (!actor.can(Permission::ReadAllProxies)).then_some(actor.user_id),
            principal_id: principal_id.map(|p| parse_id("principalId", &p)).transpose()?,
            current_only,
        };
        let page = store(ctx).proxies_page(&filter, &keyset).await?;
        Ok(connection(&keyset, page, |p| p.id, ProxyNode::from))
    }
}

#[derive(Default)]
pub struct OrgMutation;

#[Object]
impl OrgMutation {
    /// Admin: adds a user (a bot when its roles include `bot` and no password is set).
    async fn create_user(&self, ctx: &Context<'_>, input: inputs::CreateUserInput) -> Result<UserNode> {
        Ok(UserNode(users::create_user(store(ctx), actor(ctx)?, input.into()).await?))
    }

    /// Admin: changes a user's profile, place, roles or password.
    async fn update_user(&self, ctx: &Context<'_>, input: inputs::UpdateUserInput) -> Result<UserNode> {
        Ok(UserNode(users::update_user(store(ctx), actor(ctx)?, input.into()).await?))
    }

    /// Admin: the user can no longer log in; their sessions end.
    async fn deactivate_user(&self, ctx: &Context<'_>, id: ID) -> Result<UserNode> {
        Ok(UserNode(users::set_user_active(store(ctx), actor(ctx)?, &id, false).await?))
    }

    async fn reactivate_user(&self, ctx: &Context<'_>, id: ID) -> Result<UserNode> {
        Ok(UserNode(users::set_user_active(store(ctx), actor(ctx)?, &id, true).await?))
    }

    /// Any user: changes their own password; their other sessions end.
    async fn change_password(&self, ctx: &Context<'_>, current_password: String, new_password: String) -> Result<bool> {
        users::change_password(store(ctx), actor(ctx)?, &current_password, &new_password).await?;
        Ok(true)
    }

    async fn create_department(
        &self,
        ctx: &Context<'_>,
        input: inputs::CreateDepartmentInput,
    ) -> Result<DepartmentNode> {
        Ok(DepartmentNode(departments::create_department(store(ctx), actor(ctx)?, input.into()).await?))
    }

    /// Admin: renames, moves (never under itself) or changes the head.
    async fn update_department(
        &self,
        ctx: &Context<'_>,
        input: inputs::UpdateDepartmentInput,
    ) -> Result<DepartmentNode> {
        Ok(DepartmentNode(departments::update_department(store(ctx), actor(ctx)?, input.into()).await?))
    }

    /// Admin: only an empty department (no active members or sub-departments).
    async fn deactivate_department(&self, ctx: &Context<'_>, id: ID) -> Result<DepartmentNode> {
        Ok(DepartmentNode(departments::set_department_active(store(ctx), actor(ctx)?, &id, false).await?))
    }

    async fn reactivate_department(&self, ctx: &Context<'_>, id: ID) -> Result<DepartmentNode> {
        Ok(DepartmentNode(departments::set_department_active(store(ctx), actor(ctx)?, &id, true).await?))
    }

    /// Admin: a grouping role for approval chains (`hr`, `finance`…).
    async fn create_role(&self, ctx: &Context<'_>, code: String, name: String) -> Result<RoleNode> {
        Ok(departments::create_role(store(ctx), actor(ctx)?, &code, &name).await?.into())
    }

    async fn rename_role(&self, ctx: &Context<'_>, id: ID, name: String) -> Result<RoleNode> {
        Ok(departments::rename_role(store(ctx), actor(ctx)?, &id, &name).await?.into())
    }

    /// Names a proxy for your own absence (admins: for anyone).
    async fn create_proxy(&self, ctx: &Context<'_>, input: inputs::CreateProxyInput) -> Result<ProxyNode> {
        Ok(proxies::create_proxy(store(ctx), actor(ctx)?, input.into()).await?.into())
    }

    /// Ends a proxy now (the principal or an admin); items it holds go back to the principal.
    async fn revoke_proxy(&self, ctx: &Context<'_>, id: ID) -> Result<ProxyNode> {
        let proxy = proxies::revoke_proxy(store(ctx), actor(ctx)?, &id).await?;
        ctx.data_unchecked::<Arc<crate::service::tickets::Workflow>>().hand_back(&proxy, "proxy_revoked").await?;
        Ok(proxy.into())
    }
}
