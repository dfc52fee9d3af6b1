//! Rules of the organisation's shape: the department tree and the manager
//! chain never loop, and a principal's proxy windows never overlap for the
//! same templates. Callers pass in the current links; nothing here reads a
//! database.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};

/// Would making `parent` the parent of `node` close a loop? Walks up from the
/// proposed parent through `links` (child → parent); reaching `node` means a
/// cycle. A corrupt chain longer than the map is treated as a cycle too.
pub fn would_cycle(node: i64, parent: Option<i64>, links: &HashMap<i64, Option<i64>>) -> bool {
    let mut current = parent;
    let mut steps = 0;
    while let Some(id) = current {
        if id == node || steps > links.len() {
            return true;
        }
        current = links.get(&id).copied().flatten();
        steps += 1;
    }
    false
}

/// `department_cycle` unless the new parent keeps the tree a tree.
pub fn check_department_parent(dept: i64, parent: Option<i64>, links: &HashMap<i64, Option<i64>>) -> Result<()> {
    if would_cycle(dept, parent, links) {
        return Err(Error::invalid_field(
            "department_cycle",
            "parentId",
            "a department cannot sit under itself or one of its own sub-departments",
        ));
    }
    Ok(())
}

/// `manager_cycle` unless the new manager keeps the chain free of loops.
pub fn check_manager(user: i64, manager: Option<i64>, links: &HashMap<i64, Option<i64>>) -> Result<()> {
    if would_cycle(user, manager, links) {
        return Err(Error::invalid_field(
            "manager_cycle",
            "managerId",
            "a user cannot be their own manager, directly or through others",
        ));
    }
    Ok(())
}

/// A proxy window as the overlap rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyWindow {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// `None` covers every template.
    pub template_code: Option<String>,
}

impl ProxyWindow {
    /// Two windows clash when their times intersect and their scopes do:
    /// an unscoped proxy covers every template.
    pub fn overlaps(&self, other: &ProxyWindow) -> bool {
        let times = self.starts_at < other.ends_at && other.starts_at < self.ends_at;
        let scopes = match (&self.template_code, &other.template_code) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        times && scopes
    }

    /// Is the window open at `at` for a ticket of `template_code`?
    pub fn covers(&self, at: DateTime<Utc>, template_code: &str) -> bool {
        self.starts_at <= at
            && at < self.ends_at
            && self.template_code.as_deref().is_none_or(|code| code == template_code)
    }
}

/// Checks a new proxy against the principal's live windows.
pub fn check_proxy(principal: i64, proxy: i64, window: &ProxyWindow, existing: &[ProxyWindow]) -> Result<()> {
    if principal == proxy {
        return Err(Error::invalid_field("proxy_to_self", "proxyId", "a user cannot be their own proxy"));
    }
    if window.ends_at <= window.starts_at {
        return Err(Error::invalid_field("invalid_window", "endsAt", "a proxy window ends after it starts"));
    }
    if existing.iter().any(|w| w.overlaps(window)) {
        return Err(Error::invalid(
            "proxy_overlap",
            "this principal already has a proxy for an overlapping window and scope",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn links(pairs: &[(i64, Option<i64>)]) -> HashMap<i64, Option<i64>> {
        pairs.iter().copied().collect()
    }

    #[test]
    fn cycles_in_a_tree() {
        // 1 ← 2 ← 3
        let l = links(&[(1, None), (2, Some(1)), (3, Some(2))]);
        assert!(would_cycle(1, Some(3), &l));
        assert!(would_cycle(2, Some(2), &l));
        assert!(!would_cycle(3, Some(1), &l));
        assert!(!would_cycle(1, None, &l));
        assert_eq!(check_department_parent(1, Some(3), &l).unwrap_err().code(), "department_cycle");
        assert_eq!(check_manager(2, Some(3), &l).unwrap_err().code(), "manager_cycle");
    }

    #[test]
    fn a_corrupt_loop_is_not_walked_forever() {
        let l = links(&[(1, Some(2)), (2, Some(1))]);
        assert!(would_cycle(9, Some(1), &l));
    }

    fn w(start: u32, end: u32, scope: Option<&str>) -> ProxyWindow {
        ProxyWindow {
            starts_at: Utc.with_ymd_and_hms(2026, 1, start, 0, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 1, end, 0, 0, 0).unwrap(),
            template_code: scope.map(str::to_string),
        }
    }

    #[test]
    fn proxy_windows() {
        assert!(w(1, 5, None).overlaps(&w(4, 8, Some("leave"))));
        assert!(!w(1, 5, None).overlaps(&w(5, 8, None)));
        assert!(!w(1, 5, Some("leave")).overlaps(&w(2, 3, Some("expense"))));
        assert_eq!(check_proxy(1, 1, &w(1, 2, None), &[]).unwrap_err().code(), "proxy_to_self");
        assert_eq!(check_proxy(1, 2, &w(3, 2, None), &[]).unwrap_err().code(), "invalid_window");
        assert_eq!(check_proxy(1, 2, &w(1, 5, None), &[w(4, 6, None)]).unwrap_err().code(), "proxy_overlap");
        assert!(check_proxy(1, 2, &w(1, 5, Some("a")), &[w(1, 6, Some("b"))]).is_ok());
        let at = Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap();
        assert!(w(1, 5, Some("leave")).covers(at, "leave"));
        assert!(!w(1, 5, Some("leave")).covers(at, "expense"));
    }
}
