//! A snapshot of the organisation, loaded in five queries, that answers
//! chain resolution ([`OrgView`]) from memory. Resolution asks a handful of
//! questions per step; answering them from a snapshot keeps a submission at
//! a fixed number of queries however deep the department tree is.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{
    Store,
    entity::{department, proxy, role, user, user_role},
};
use crate::{
    domain::{
        access::SystemRole,
        org::ProxyWindow,
        workflow::{DeptId, OrgDepartment, OrgUser, OrgView, UserId},
    },
    error::Result,
};

/// The organisation at one moment.
#[derive(Debug, Default)]
pub struct OrgSnapshot {
    users: HashMap<UserId, OrgUser>,
    departments: HashMap<DeptId, OrgDepartment>,
    /// Role code → active holders, in id order.
    roles: HashMap<String, Vec<UserId>>,
    /// Principal → (proxy, window), live windows only.
    proxies: HashMap<UserId, Vec<(UserId, ProxyWindow)>>,
    /// Holders of the system role `bot`, active or not.
    bots: HashSet<UserId>,
}

impl Store {
    /// Loads the whole organisation; callers cache it (see `service::orgcache`).
    pub async fn org_snapshot(&self) -> Result<OrgSnapshot> {
        let users: Vec<(i64, bool, Option<i64>, Option<i64>)> = user::Entity::find()
            .select_only()
            .columns([user::Column::Id, user::Column::Active, user::Column::DepartmentId, user::Column::ManagerId])
            .into_tuple()
            .all(&self.db)
            .await?;
        let departments: Vec<(i64, Option<i64>, Option<i64>, bool)> = department::Entity::find()
            .select_only()
            .columns([
                department::Column::Id,
                department::Column::ParentId,
                department::Column::HeadId,
                department::Column::Active,
            ])
            .into_tuple()
            .all(&self.db)
            .await?;
        let role_codes: HashMap<i64, String> =
            role::Entity::find().all(&self.db).await?.into_iter().map(|r| (r.id, r.code)).collect();
        let links = user_role::Entity::find().order_by_asc(user_role::Column::UserId).all(&self.db).await?;
        let proxies = proxy::Entity::find()
            .filter(proxy::Column::RevokedAt.is_null())
            .filter(proxy::Column::EndsAt.gt(Utc::now()))
            .all(&self.db)
            .await?;

        let mut snapshot = OrgSnapshot::default();
        for (id, active, department_id, manager_id) in users {
            snapshot.users.insert(id, OrgUser { id, active, department_id, manager_id });
        }
        for (id, parent_id, head_id, active) in departments {
            snapshot.departments.insert(id, OrgDepartment { id, parent_id, head_id, active });
        }
        for link in links {
            if role_codes.get(&link.role_id).is_some_and(|c| c == SystemRole::Bot.code()) {
                snapshot.bots.insert(link.user_id);
            }
            let active = snapshot.users.get(&link.user_id).is_some_and(|u| u.active);
            if let (true, Some(code)) = (active, role_codes.get(&link.role_id)) {
                snapshot.roles.entry(code.clone()).or_default().push(link.user_id);
            }
        }
        for p in proxies {
            let window = ProxyWindow { starts_at: p.starts_at, ends_at: p.ends_at, template_code: p.template_code };
            snapshot.proxies.entry(p.principal_id).or_default().push((p.proxy_id, window));
        }
        Ok(snapshot)
    }
}

impl OrgSnapshot {
    /// Whether the user exists and is active.
    pub fn is_active_user(&self, id: UserId) -> bool {
        self.users.get(&id).is_some_and(|u| u.active)
    }

    /// Whether the user may hold approval items: an active person. Bots run
    /// automations and close processing tickets; they never approve, so a
    /// transfer, an added approver, a proxy or a chain rule cannot hand one
    /// an item (its API token would otherwise approve on nobody's judgement).
    pub fn may_hold_items(&self, id: UserId) -> bool {
        self.is_active_user(id) && !self.bots.contains(&id)
    }

    pub fn is_active_department(&self, id: DeptId) -> bool {
        self.departments.get(&id).is_some_and(|d| d.active)
    }

    pub fn department_of(&self, user: UserId) -> Option<DeptId> {
        self.users.get(&user).and_then(|u| u.department_id)
    }

    /// The departments a manager answers for: those they head, else their
    /// own, each with every department below it.
    pub fn departments_of_manager(&self, user: UserId) -> Vec<DeptId> {
        let mut roots: Vec<DeptId> =
            self.departments.values().filter(|d| d.head_id == Some(user)).map(|d| d.id).collect();
        if roots.is_empty() {
            roots.extend(self.department_of(user));
        }
        self.subtree(roots)
    }

    /// `roots` and every department below them, in id order.
    pub fn subtree(&self, mut roots: Vec<DeptId>) -> Vec<DeptId> {
        let mut children: HashMap<DeptId, Vec<DeptId>> = HashMap::new();
        for d in self.departments.values() {
            if let Some(parent) = d.parent_id {
                children.entry(parent).or_default().push(d.id);
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        while let Some(d) = roots.pop() {
            if seen.insert(d) {
                roots.extend(children.get(&d).into_iter().flatten().copied());
            }
        }
        seen.into_iter().collect()
    }
}

impl OrgView for OrgSnapshot {
    fn user(&self, id: UserId) -> Option<OrgUser> {
        self.users.get(&id).cloned()
    }

    fn department(&self, id: DeptId) -> Option<OrgDepartment> {
        self.departments.get(&id).cloned()
    }

    /// Holders who may approve: a grouping role that includes a bot (say
    /// `automation`) never routes an item to it.
    fn users_with_role(&self, role_code: &str) -> Vec<UserId> {
        let holders = self.roles.get(role_code).map(Vec::as_slice).unwrap_or_default();
        holders.iter().copied().filter(|id| !self.bots.contains(id)).collect()
    }

    fn admins(&self) -> Vec<UserId> {
        self.users_with_role("admin")
    }

    fn active_proxy(&self, principal: UserId, template_code: &str, at: DateTime<Utc>) -> Option<UserId> {
        self.proxies.get(&principal)?.iter().find(|(_, w)| w.covers(at, template_code)).map(|(proxy, _)| *proxy)
    }
}
