//! Who may do what. Users hold any number of roles; four of them are system
//! roles that grant permissions (admin, manager, staff, bot). Other roles
//! (`hr`, `finance`…) only group people for approval chains.

use crate::error::{Error, Result};

/// A role that grants permissions, as opposed to a grouping role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SystemRole {
    Admin,
    Manager,
    Staff,
    Bot,
}

impl SystemRole {
    pub const ALL: [SystemRole; 4] = [Self::Admin, Self::Manager, Self::Staff, Self::Bot];

    pub fn code(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Manager => "manager",
            Self::Staff => "staff",
            Self::Bot => "bot",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Something an operation needs the caller to be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Create, update and deactivate users, departments, roles; anyone's proxies; API tokens.
    ManageOrganisation,
    /// Read the directory: users, departments, roles.
    ReadDirectory,
    /// Name a proxy for oneself while away, and revoke it.
    ManageOwnProxies,
    /// See every proxy of the organisation.
    ReadAllProxies,
    /// File tickets from templates.
    FileTickets,
    /// See every ticket, not only one's own and those one approves.
    ReadAllTickets,
    /// Create and edit templates and their approval chains.
    ManageTemplates,
    /// Report a ticket's automations finished (bots, admins).
    RunAutomations,
}

/// The authenticated caller of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub roles: Vec<SystemRole>,
    /// The login session the caller's access token belongs to (none for
    /// API tokens and work the system does on someone's behalf).
    pub session: Option<String>,
}

impl Actor {
    pub fn new(user_id: i64, role_codes: &[String]) -> Self {
        let roles = role_codes.iter().filter_map(|c| SystemRole::from_code(c)).collect();
        Self { user_id, roles, session: None }
    }

    /// The same caller within a login session.
    pub fn in_session(self, session: Option<String>) -> Self {
        Self { session, ..self }
    }

    pub fn has(&self, role: SystemRole) -> bool {
        self.roles.contains(&role)
    }

    /// The role × permission matrix, in one place.
    pub fn can(&self, permission: Permission) -> bool {
        self.roles.iter().any(|role| grants(*role, permission))
    }

    /// `forbidden` unless the caller holds the permission.
    pub fn require(&self, permission: Permission) -> Result<()> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(Error::forbidden(format!("this needs the {} permission", describe(permission))))
        }
    }
}

fn grants(role: SystemRole, permission: Permission) -> bool {
    use Permission::*;
    use SystemRole::*;
    match (role, permission) {
        (Admin, _) => true,
        (Manager, ReadDirectory | ManageOwnProxies | ReadAllProxies | FileTickets | ReadAllTickets) => true,
        (Staff, ReadDirectory | ManageOwnProxies | FileTickets) => true,
        // Bots read the directory to resolve people, file automated tickets
        // and finish automations; they name no proxies.
        (Bot, ReadDirectory | FileTickets | RunAutomations) => true,
        _ => false,
    }
}

fn describe(permission: Permission) -> &'static str {
    match permission {
        Permission::ManageOrganisation => "manage_organisation",
        Permission::ReadDirectory => "read_directory",
        Permission::ManageOwnProxies => "manage_own_proxies",
        Permission::ReadAllProxies => "read_all_proxies",
        Permission::FileTickets => "file_tickets",
        Permission::ReadAllTickets => "read_all_tickets",
        Permission::ManageTemplates => "manage_templates",
        Permission::RunAutomations => "run_automations",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(roles: &[&str]) -> Actor {
        Actor::new(1, &roles.iter().map(|r| r.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn admin_can_everything() {
        let admin = actor(&["admin"]);
        assert!(admin.can(Permission::ManageOrganisation));
        assert!(admin.can(Permission::ReadAllProxies));
    }

    #[test]
    fn staff_and_bots_cannot_manage_the_organisation() {
        for roles in [&["staff"][..], &["bot"], &["manager"], &["hr"], &[]] {
            let a = actor(roles);
            assert_eq!(a.require(Permission::ManageOrganisation).unwrap_err().code(), "forbidden");
        }
    }

    #[test]
    fn grouping_roles_grant_nothing() {
        assert!(!actor(&["hr", "finance"]).can(Permission::ReadDirectory));
    }

    #[test]
    fn bots_do_not_name_proxies() {
        assert!(!actor(&["bot"]).can(Permission::ManageOwnProxies));
        assert!(actor(&["staff"]).can(Permission::ManageOwnProxies));
    }
}
