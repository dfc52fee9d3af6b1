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

#[cfg(test)]
mod tests {
    use super::*;

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
