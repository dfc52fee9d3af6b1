//! Proxies (代理人): anyone may name a stand-in for their own absence;
//! admins may do it for anybody. Windows of one principal never overlap for
//! the same templates, so an approval always has one proxy at most.

use chrono::{DateTime, Utc};

use super::input::{Issues, RawId, active_user, approver, checked, parse_id};
use crate::{
    domain::{
        access::{Actor, Permission},
        names::Code,
        org::{self, ProxyWindow},
    },
    error::{Error, Result},
    store::{
        Store,
        proxies::{NewProxy, Proxy},
    },
};

#[derive(Debug)]
pub struct CreateProxyInput {
    /// Whose approvals are handed over; defaults to the caller.
    pub principal_id: Option<RawId>,
    /// Who approves in their place.
    pub proxy_id: RawId,
    /// Only tickets of this template; none means every template.
    pub template_code: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

pub async fn create_proxy(store: &Store, actor: &Actor, input: CreateProxyInput) -> Result<Proxy> {
    let principal = match &input.principal_id {
        Some(id) => parse_id("principalId", id)?,
        None => actor.user_id,
    };
    if principal == actor.user_id {
        actor.require(Permission::ManageOwnProxies)?;
    } else {
        actor.require(Permission::ManageOrganisation)?;
    }
    let mut issues = Issues::default();
    if principal != actor.user_id {
        issues.take(active_user(store, "principalId", &principal.to_string()).await);
    }
    let proxy = issues.take(approver(store, "proxyId", &input.proxy_id).await);
    let template_code = input.template_code.as_deref().and_then(|c| issues.take(Code::parse("templateCode", c)));
    if input.ends_at <= Utc::now() {
        issues.take::<()>(Err(Error::invalid_field(
            "invalid_window",
            "endsAt",
            "a proxy window must end in the future",
        )));
    }
    issues.finish()?;
    let proxy = checked(proxy)?;
    let window = ProxyWindow {
        starts_at: input.starts_at,
        ends_at: input.ends_at,
        template_code: template_code.map(Code::into_inner),
    };
    let existing: Vec<ProxyWindow> = store
        .live_proxies_of(principal)
        .await?
        .into_iter()
        .map(|p| ProxyWindow { starts_at: p.starts_at, ends_at: p.ends_at, template_code: p.template_code })
        .collect();
    org::check_proxy(principal, proxy, &window, &existing)?;
    store
        .insert_proxy(NewProxy {
            principal_id: principal,
            proxy_id: proxy,
            template_code: window.template_code,
            starts_at: window.starts_at,
            ends_at: window.ends_at,
            created_by: actor.user_id,
        })
        .await
}

/// Ends a proxy early. The principal or an admin may; others learn nothing.
pub async fn revoke_proxy(store: &Store, actor: &Actor, id: &str) -> Result<Proxy> {
    let id = parse_id("id", id)?;
    let proxy = store.proxy(id).await?.ok_or(Error::not_found("proxy"))?;
    let involved = proxy.principal_id == actor.user_id || proxy.proxy_id == actor.user_id;
    if !actor.can(Permission::ManageOrganisation) {
        if !involved {
            return Err(Error::not_found("proxy"));
        }
        if proxy.principal_id != actor.user_id {
            return Err(Error::forbidden("only the principal or an admin can revoke a proxy"));
        }
    }
    store.revoke_proxy(proxy).await
}
