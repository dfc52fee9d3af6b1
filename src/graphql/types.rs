//! GraphQL object types of the organisation. They wrap storage rows and
//! resolve relations through the request's batch loaders.

use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject, connection::Connection, dataloader::DataLoader};
use chrono::{DateTime, Utc};

use super::{
    connection::{PageArgs, connection},
    context::store,
    loaders::{DepartmentLoader, RoleCodesLoader, UserLoader},
};
use crate::{
    error::Result,
    store::{
        departments::{Department, DepartmentFilter},
        proxies::Proxy,
        roles::Role,
        tokens::ApiToken,
        users::{User, UserFilter},
    },
};

async fn load_user(ctx: &Context<'_>, id: Option<i64>) -> async_graphql::Result<Option<UserNode>> {
    let Some(id) = id else { return Ok(None) };
    Ok(ctx.data_unchecked::<DataLoader<UserLoader>>().load_one(id).await?.map(UserNode))
}

async fn load_department(ctx: &Context<'_>, id: Option<i64>) -> async_graphql::Result<Option<DepartmentNode>> {
    let Some(id) = id else { return Ok(None) };
    Ok(ctx.data_unchecked::<DataLoader<DepartmentLoader>>().load_one(id).await?.map(DepartmentNode))
}

/// A person (or a bot) in the organisation.
pub struct UserNode(pub User);

#[Object(name = "User")]
impl UserNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn username(&self) -> &str {
        &self.0.username
    }
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    /// The user's id in WeCom (企业微信), for app messages and mobile approval.
    async fn wecom_user_id(&self) -> Option<&str> {
        self.0.wecom_user_id.as_deref()
    }
    /// Deactivated users cannot log in and receive no new approvals.
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn department(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<DepartmentNode>> {
        load_department(ctx, self.0.department_id).await
    }
    async fn manager(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserNode>> {
        load_user(ctx, self.0.manager_id).await
    }
    /// Role codes: system roles (admin, manager, staff, bot) and grouping roles.
    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        Ok(ctx.data_unchecked::<DataLoader<RoleCodesLoader>>().load_one(self.0.id).await?.unwrap_or_default())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A department: a node of the organisation tree, with an optional head.
pub struct DepartmentNode(pub Department);

#[Object(name = "Department")]
impl DepartmentNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<DepartmentNode>> {
        load_department(ctx, self.0.parent_id).await
    }
    async fn head(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserNode>> {
        load_user(ctx, self.0.head_id).await
    }
    /// Active sub-departments.
    #[graphql(complexity = "20 * child_complexity")]
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<DepartmentNode>> {
        let filter = DepartmentFilter { parent_id: Some(self.0.id), ..Default::default() };
        let keyset = crate::store::keyset::Keyset {
            after: None,
            before: None,
            limit: 500,
            backward: false,
            newest_first: false,
        };
        Ok(store(ctx).departments_page(&filter, &keyset).await?.rows.into_iter().map(DepartmentNode).collect())
    }
    /// Active members of this department (not of its sub-departments).
    #[graphql(complexity = "first.unwrap_or(20).max(last.unwrap_or(0)) as usize * child_complexity")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<String, UserNode>> {
        let max = ctx.data_unchecked::<std::sync::Arc<crate::config::Config>>().page_size_max;
        let keyset = PageArgs::new(first, after, last, before).keyset(max)?;
        let filter = UserFilter { department_id: Some(self.0.id), ..Default::default() };
        let page = store(ctx).users_page(&filter, &keyset).await?;
        Ok(connection(&keyset, page, |u| u.id, UserNode))
    }
}

/// A role: a system role that grants permissions, or a group used by approval chains.
#[derive(SimpleObject)]
#[graphql(name = "Role")]
pub struct RoleNode {
    pub id: ID,
    pub code: String,
    pub name: String,
    /// System roles (admin, manager, staff, bot) grant permissions and cannot be renamed away.
    pub system: bool,
}

impl From<Role> for RoleNode {
    fn from(r: Role) -> Self {
        Self { id: ID(r.id.to_string()), code: r.code, name: r.name, system: r.system }
    }
}

/// A proxy (代理人): `proxy` approves in place of `principal` within the window.
#[derive(SimpleObject)]
#[graphql(name = "Proxy", complex)]
pub struct ProxyNode {
    pub id: ID,
    #[graphql(skip)]
    pub principal_id: i64,
    #[graphql(skip)]
    pub proxy_id: i64,
    /// Only tickets of this template; null means every template.
    pub template_code: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[ComplexObject]
impl ProxyNode {
    async fn principal(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserNode>> {
        load_user(ctx, Some(self.principal_id)).await
    }
    async fn proxy(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserNode>> {
        load_user(ctx, Some(self.proxy_id)).await
    }
    /// In its window and not revoked, now.
    async fn active(&self) -> bool {
        let now = Utc::now();
        self.revoked_at.is_none() && self.starts_at <= now && now < self.ends_at
    }
}

impl From<Proxy> for ProxyNode {
    fn from(p: Proxy) -> Self {
        Self {
            id: ID(p.id.to_string()),
            principal_id: p.principal_id,
            proxy_id: p.proxy_id,
            template_code: p.template_code,
            starts_at: p.starts_at,
            ends_at: p.ends_at,
            revoked_at: p.revoked_at,
        }
    }
}

/// An API token of a bot or integration. The secret itself is shown once, at creation.
#[derive(SimpleObject)]
#[graphql(name = "ApiToken", complex)]
pub struct ApiTokenNode {
    pub id: ID,
    pub name: String,
    /// The first characters of the secret, to recognise it.
    pub prefix: String,
    #[graphql(skip)]
    pub user_id: i64,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[ComplexObject]
impl ApiTokenNode {
    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserNode>> {
        load_user(ctx, Some(self.user_id)).await
    }
}

impl From<ApiToken> for ApiTokenNode {
    fn from(t: ApiToken) -> Self {
        Self {
            id: ID(t.id.to_string()),
            name: t.name,
            prefix: t.prefix,
            user_id: t.user_id,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}
