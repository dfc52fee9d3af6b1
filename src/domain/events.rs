//! Ticket events as they leave a transaction: who hears about one (the one
//! rule realtime routing, notifications and jobs all use) and the typed
//! message the outbox carries from the writer to the relay.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::workflow::{ItemStatus, TicketState, TicketStatus, UserId};

/// The project Signoff's own clients (web UI, subscriptions) belong to.
pub const SIGNOFF_PID: &str = "signoff";

/// Who hears about a change from `before` to `after`: the applicant,
/// everyone whose item changed, and everyone (assignee and principal) with
/// an item still pending. An event that changes no state (a comment, an
/// urge) passes the same state twice: the applicant and the pending people.
pub fn audience(before: &TicketState, after: &TicketState) -> Vec<UserId> {
    let mut users = BTreeSet::from([after.applicant]);
    for (i, item) in after.items.iter().enumerate() {
        let changed = before.items.get(i) != Some(item);
        if changed || item.status == ItemStatus::Pending {
            users.insert(item.assignee);
            users.extend(item.on_behalf_of);
        }
    }
    users.into_iter().collect()
}

/// One outbox row's message: written with the event in its transaction,
/// read by the relay, which turns it into a bus envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketEventMessage {
    pub event_id: i64,
    pub ticket_id: i64,
    /// The project whose clients may receive it (rows written before it
    /// was recorded are Signoff's own).
    #[serde(default = "signoff_pid")]
    pub pid: String,
    pub kind: String,
    pub actor_id: Option<UserId>,
    /// The ticket's status after the event.
    pub status: TicketStatus,
    /// The users told, from [`audience`].
    pub audience: Vec<UserId>,
    /// Tags it is published under (`ticket:<id>`, `template:<code>`, `dept:<id>`).
    pub tags: Vec<String>,
    pub payload: serde_json::Value,
    pub at: DateTime<Utc>,
}

fn signoff_pid() -> String {
    SIGNOFF_PID.into()
}

/// What one node tells every node about access: each applies it to its own
/// clients and caches. Typed, because it crosses the bus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Control {
    /// A project's secret changed or it was deactivated: the connections it
    /// signed are closed.
    ProjectChanged { pid: String },
    /// A user's status, roles or password changed: cached access is dropped
    /// and the user's connections are closed (they reconnect under what
    /// holds now).
    UserChanged { user_id: UserId },
    /// A login session ended (logout, revocation, reuse): its access tokens
    /// stop working and the connections opened with them are closed.
    SessionEnded { session: String },
}

/// What a tag of Signoff's own project carries. Reserved tags carry ticket
/// events, so following one needs the right to see what it carries: a
/// ticket's tag, that ticket; a template's or department's, every ticket
/// (managers and admins).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagScope {
    Ticket(i64),
    Template(String),
    Department(i64),
    /// Not reserved: a tag of the deployment's own.
    Free,
    /// Reserved prefix, but not a well-formed id: refused.
    Malformed,
}

/// The scope of a tag (see [`TagScope`]).
pub fn tag_scope(tag: &str) -> TagScope {
    let id = |rest: &str| rest.parse::<i64>().ok().filter(|id| *id > 0 && rest.bytes().all(|b| b.is_ascii_digit()));
    if let Some(rest) = tag.strip_prefix("ticket:") {
        id(rest).map_or(TagScope::Malformed, TagScope::Ticket)
    } else if let Some(rest) = tag.strip_prefix("dept:") {
        id(rest).map_or(TagScope::Malformed, TagScope::Department)
    } else if let Some(rest) = tag.strip_prefix("template:") {
        if rest.is_empty() { TagScope::Malformed } else { TagScope::Template(rest.to_string()) }
    } else {
        TagScope::Free
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_tags_are_recognised() {
        assert_eq!(tag_scope("ticket:12"), TagScope::Ticket(12));
        assert_eq!(tag_scope("ticket:+12"), TagScope::Malformed);
        assert_eq!(tag_scope("ticket:x"), TagScope::Malformed);
        assert_eq!(tag_scope("dept:3"), TagScope::Department(3));
        assert_eq!(tag_scope("template:leave"), TagScope::Template("leave".into()));
        assert_eq!(tag_scope("template:"), TagScope::Malformed);
        assert_eq!(tag_scope("room"), TagScope::Free);
    }

    #[test]
    fn messages_round_trip() {
        let m = TicketEventMessage {
            event_id: 7,
            ticket_id: 3,
            pid: SIGNOFF_PID.into(),
            kind: "approved".into(),
            actor_id: Some(2),
            status: TicketStatus::InApproval,
            audience: vec![1, 2],
            tags: vec!["ticket:3".into()],
            payload: serde_json::json!({ "x": 1 }),
            at: Utc::now(),
        };
        let text = serde_json::to_string(&m).unwrap();
        assert!(text.contains(r#""status":"in_approval""#));
        assert_eq!(serde_json::from_str::<TicketEventMessage>(&text).unwrap(), m);
    }
}
