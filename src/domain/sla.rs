//! SLA rules (超时): which firings an approval item is due for, and who an
//! overdue item escalates to. Time is passed in, never read, so the
//! scheduler and its tests decide what "now" is.

use chrono::{DateTime, Duration, Utc};

use super::workflow::{OrgView, UserId};

/// One firing of an item's SLA; each happens at most once per item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Firing {
    /// `lead` before the due time: the holders are reminded.
    Reminder,
    /// At the due time: the holders are told it is overdue.
    Due,
    /// At the due time: the step's `on_sla` (escalate, alarm the admins;
    /// `remind` does nothing more than `Due`).
    Action,
}

impl Firing {
    pub const ALL: [Self; 3] = [Self::Reminder, Self::Due, Self::Action];

    /// The firing's key in storage and, but for `Action`, its event kind.
    pub fn code(self) -> &'static str {
        match self {
            Self::Reminder => "sla_reminder",
            Self::Due => "sla_due",
            Self::Action => "sla_action",
        }
    }

    /// Items due at or before this time are due for the firing at `now`.
    pub fn threshold(self, now: DateTime<Utc>, lead: Duration) -> DateTime<Utc> {
        match self {
            Self::Reminder => now + lead,
            Self::Due | Self::Action => now,
        }
    }
}

/// Who an overdue item held by `holder` escalates to: their manager, else
/// the head of their department, else the nearest head up the tree —
/// someone active, who is neither the holder nor the applicant.
pub fn escalation_target(org: &dyn OrgView, holder: UserId, applicant: UserId) -> Option<UserId> {
    let fits = |id: UserId| id != holder && id != applicant && org.user(id).is_some_and(|u| u.active);
    let user = org.user(holder)?;
    if let Some(m) = user.manager_id.filter(|m| fits(*m)) {
        return Some(m);
    }
    let mut dept = user.department_id;
    // The tree has no cycles (the organisation refuses them); the bound is
    // a guard all the same.
    for _ in 0..64 {
        let d = org.department(dept?)?;
        if let Some(head) = d.head_id.filter(|h| fits(*h)) {
            return Some(head);
        }
        dept = d.parent_id;
    }
    None
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::domain::workflow::{OrgDepartment, OrgUser};

    struct Org {
        users: HashMap<UserId, OrgUser>,
        depts: HashMap<i64, OrgDepartment>,
    }

    impl OrgView for Org {
        fn user(&self, id: UserId) -> Option<OrgUser> {
            self.users.get(&id).cloned()
        }
        fn department(&self, id: i64) -> Option<OrgDepartment> {
            self.depts.get(&id).cloned()
        }
        fn users_with_role(&self, _: &str) -> Vec<UserId> {
            Vec::new()
        }
        fn admins(&self) -> Vec<UserId> {
            Vec::new()
        }
        fn active_proxy(&self, _: UserId, _: &str, _: DateTime<Utc>) -> Option<UserId> {
            None
        }
    }

    #[test]
    fn an_overdue_item_goes_to_the_next_head_up() {
        let user = |id, department_id, manager_id, active| OrgUser { id, active, department_id, manager_id };
        let dept = |id, parent_id, head_id| OrgDepartment { id, parent_id, head_id, active: true };
        let org = Org {
            users: [
                (1, user(1, Some(10), Some(2), true)),
                (2, user(2, Some(10), None, true)),
                (3, user(3, Some(10), None, true)),
                (4, user(4, Some(20), None, true)),
                (5, user(5, Some(10), Some(6), true)),
                (6, user(6, None, None, false)),
            ]
            .into(),
            depts: [(10, dept(10, Some(20), Some(3))), (20, dept(20, None, Some(4)))].into(),
        };
        assert_eq!(escalation_target(&org, 1, 9), Some(2), "the manager first");
        assert_eq!(escalation_target(&org, 2, 9), Some(3), "no manager: the department's head");
        assert_eq!(escalation_target(&org, 3, 9), Some(4), "the head itself: one level up");
        assert_eq!(escalation_target(&org, 5, 9), Some(3), "an inactive manager is skipped");
        assert_eq!(escalation_target(&org, 2, 3), Some(4), "never the applicant");
        assert_eq!(escalation_target(&org, 4, 9), None, "nobody above the top");
        let lead = Duration::minutes(30);
        let now = Utc::now();
        assert_eq!(Firing::Reminder.threshold(now, lead), now + lead);
        assert_eq!(Firing::Action.threshold(now, lead), now);
    }
}
