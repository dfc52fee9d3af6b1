//! Ticket events as they leave a transaction: who hears about one (the one
//! rule realtime routing, notifications and jobs all use) and the typed
//! message the outbox carries from the writer to the relay.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::workflow::{ItemStatus, TicketState, TicketStatus, UserId};

/// The project Signoff's own clients (web UI, subscriptions) belong to.
pub const SIGNOFF_PID: &str = "signoff";

/// How a person is concerned by a change, which decides what they are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", content = "item", rename_all = "snake_case")]
pub enum Role {
    /// Filed the ticket.
    Applicant,
    /// Holds an item that became pending with this change (its assignee,
    /// or the principal a proxy holds it for).
    Assigned(usize),
    /// Holds an item that was already pending and still is.
    Pending(usize),
    /// Held an item this change decided or cancelled.
    Changed(usize),
    /// An administrator alarmed about an overdue item.
    Admin(usize),
    /// An administrator alarmed about an automation that failed for good.
    Operator,
}

/// One person concerned by a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hearer {
    pub user: UserId,
    #[serde(flatten)]
    pub role: Role,
}

/// Who hears about a change from `before` to `after`, and how each is
/// concerned: the applicant, everyone whose item changed, and everyone
/// (assignee and principal) with an item still pending. An event that
/// changes no state (a comment, an urge) passes the same state twice: the
/// applicant and the pending people. This is the one rule: realtime
/// routing reads its [`audience`], notifications its [`notices`].
pub fn hearers(before: &TicketState, after: &TicketState) -> Vec<Hearer> {
    let mut out = vec![Hearer { user: after.applicant, role: Role::Applicant }];
    for (i, item) in after.items.iter().enumerate() {
        let previous = before.items.get(i);
        let role = match (previous, item.status) {
            (Some(p), ItemStatus::Pending) if p == item => Role::Pending(i),
            (_, ItemStatus::Pending) => Role::Assigned(i),
            (Some(p), _) if p == item => continue,
            _ => Role::Changed(i),
        };
        out.push(Hearer { user: item.assignee, role });
        if let Some(principal) = item.on_behalf_of {
            out.push(Hearer { user: principal, role });
        }
    }
    out
}

/// Who hears about an SLA firing on item `item`: the applicant, the item's
/// holders, and for an alarm the administrators.
pub fn sla_hearers(state: &TicketState, item: usize, admins: &[UserId]) -> Vec<Hearer> {
    let mut out: Vec<Hearer> = hearers(state, state)
        .into_iter()
        .filter(|h| matches!(h.role, Role::Applicant) || h.role == Role::Pending(item))
        .collect();
    out.extend(admins.iter().map(|&user| Hearer { user, role: Role::Admin(item) }));
    out
}

/// Who hears about an automation job's event: the applicant, and for a
/// job that failed for good the administrators, who retry or skip it.
pub fn job_hearers(state: &TicketState, failed: bool, admins: &[UserId]) -> Vec<Hearer> {
    let mut out = vec![Hearer { user: state.applicant, role: Role::Applicant }];
    if failed {
        out.extend(admins.iter().map(|&user| Hearer { user, role: Role::Operator }));
    }
    out
}

/// The users realtime tells about a change: everyone in [`hearers`].
pub fn audience(hearers: &[Hearer]) -> Vec<UserId> {
    hearers.iter().map(|h| h.user).collect::<BTreeSet<_>>().into_iter().collect()
}

/// What a person is told (the `kind` of a delivery): stable codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// An item waits for you.
    Assigned,
    /// Your ticket moved: decided, returned, rejected, withdrawn, done.
    Outcome,
    /// The applicant urges you to act on your pending item.
    Urged,
    /// Someone commented on a ticket you are concerned by.
    Commented,
    /// Your pending item is about to reach its due time.
    SlaReminder,
    /// Your pending item reached its due time.
    SlaDue,
    /// An item overdue was escalated to you.
    SlaEscalated,
    /// An item is overdue: administrators are alarmed.
    SlaAlarm,
    /// An automation failed for good: administrators are alarmed.
    JobFailed,
}

impl NoticeKind {
    pub const ALL: [Self; 9] = [
        Self::Assigned,
        Self::Outcome,
        Self::Urged,
        Self::Commented,
        Self::SlaReminder,
        Self::SlaDue,
        Self::SlaEscalated,
        Self::SlaAlarm,
        Self::JobFailed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Assigned => "assigned",
            Self::Outcome => "outcome",
            Self::Urged => "urged",
            Self::Commented => "commented",
            Self::SlaReminder => "sla_reminder",
            Self::SlaDue => "sla_due",
            Self::SlaEscalated => "sla_escalated",
            Self::SlaAlarm => "sla_alarm",
            Self::JobFailed => "job_failed",
        }
    }

    pub fn from_stored(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// One person told one thing about one event; `item` is the approval item
/// it is about, when there is one (a card with buttons needs it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Notice {
    pub user: UserId,
    pub kind: NoticeKind,
    pub item: Option<usize>,
}

/// Event kinds that move a ticket its applicant wants to hear about.
const OUTCOMES: [&str; 6] = ["approved", "confirmed", "returned", "rejected", "withdrawn", "processing_finished"];

/// Who is told what about an event of `kind` by `actor` (see
/// [`hearers`]): a newly pending item to its holders; an outcome to the
/// applicant; an urge or an SLA firing to the holders of pending items; a
/// comment to the applicant and the pending holders. Nobody is told of
/// their own act; one notice per person and kind.
pub fn notices(kind: &str, actor: Option<UserId>, hearers: &[Hearer]) -> Vec<Notice> {
    let mut out = BTreeSet::new();
    for h in hearers {
        if Some(h.user) == actor {
            continue;
        }
        let notice = |kind, item| Notice { user: h.user, kind, item };
        let told = match (kind, h.role) {
            (_, Role::Assigned(i)) if kind == "sla_escalated" => Some(notice(NoticeKind::SlaEscalated, Some(i))),
            (_, Role::Assigned(i)) => Some(notice(NoticeKind::Assigned, Some(i))),
            ("urged", Role::Pending(i)) => Some(notice(NoticeKind::Urged, Some(i))),
            ("sla_reminder", Role::Pending(i)) => Some(notice(NoticeKind::SlaReminder, Some(i))),
            ("sla_due", Role::Pending(i)) => Some(notice(NoticeKind::SlaDue, Some(i))),
            ("commented", Role::Pending(i)) => Some(notice(NoticeKind::Commented, Some(i))),
            ("sla_alarm", Role::Admin(i)) => Some(notice(NoticeKind::SlaAlarm, Some(i))),
            ("job_failed", Role::Operator) => Some(notice(NoticeKind::JobFailed, None)),
            ("commented", Role::Applicant) => Some(notice(NoticeKind::Commented, None)),
            (k, Role::Applicant) if OUTCOMES.contains(&k) => Some(notice(NoticeKind::Outcome, None)),
            _ => None,
        };
        out.extend(told);
    }
    // A person holding two items (or holding one as proxy and principal)
    // hears once per kind: keep the first item.
    let mut seen = BTreeSet::new();
    out.into_iter().filter(|n| seen.insert((n.user, n.kind))).collect()
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
    /// How each is concerned, from [`hearers`] (rows written before it was
    /// recorded have none: they notify nobody).
    #[serde(default)]
    pub hearers: Vec<Hearer>,
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
    /// A queue of automation jobs: bots serving it hear of new jobs.
    Jobs(String),
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
    } else if let Some(rest) = tag.strip_prefix("jobs:") {
        if super::automation::valid_kind(rest) { TagScope::Jobs(rest.to_string()) } else { TagScope::Malformed }
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
        assert_eq!(tag_scope("jobs:it-access"), TagScope::Jobs("it-access".into()));
        assert_eq!(tag_scope("jobs:"), TagScope::Malformed);
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
            hearers: vec![Hearer { user: 2, role: Role::Assigned(0) }, Hearer { user: 1, role: Role::Applicant }],
            tags: vec!["ticket:3".into()],
            payload: serde_json::json!({ "x": 1 }),
            at: Utc::now(),
        };
        let text = serde_json::to_string(&m).unwrap();
        assert!(text.contains(r#""status":"in_approval""#));
        assert!(text.contains(r#"{"user":2,"role":"assigned","item":0}"#), "{text}");
        assert_eq!(serde_json::from_str::<TicketEventMessage>(&text).unwrap(), m);
    }

    fn hear(user: UserId, role: Role) -> Hearer {
        Hearer { user, role }
    }

    #[test]
    fn each_event_tells_the_people_it_concerns() {
        let hs = [hear(1, Role::Applicant), hear(2, Role::Changed(0)), hear(3, Role::Assigned(1))];
        // An approval that opens the next step: the next approver and the applicant.
        let n = notices("approved", Some(2), &hs);
        assert_eq!(
            n,
            vec![
                Notice { user: 1, kind: NoticeKind::Outcome, item: None },
                Notice { user: 3, kind: NoticeKind::Assigned, item: Some(1) }
            ]
        );
        // A comment by the applicant: the pending approver only.
        let hs = [hear(1, Role::Applicant), hear(3, Role::Pending(1)), hear(4, Role::Pending(1))];
        let n = notices("commented", Some(1), &hs);
        assert_eq!(n.iter().map(|n| n.user).collect::<Vec<_>>(), vec![3, 4]);
        // An urge: pending holders, never the applicant.
        assert!(notices("urged", Some(1), &hs).iter().all(|n| n.kind == NoticeKind::Urged && n.user != 1));
        // Withdrawn by the applicant: nobody is told of their own act.
        assert!(notices("withdrawn", Some(1), &[hear(1, Role::Applicant)]).is_empty());
        // A person with two pending items hears one urge.
        let hs = [hear(3, Role::Pending(0)), hear(3, Role::Pending(1))];
        assert_eq!(notices("urged", Some(1), &hs).len(), 1);
        // An automation failed for good: the administrators, not the applicant.
        let hs = [hear(1, Role::Applicant), hear(9, Role::Operator)];
        assert_eq!(notices("job_failed", None, &hs), vec![Notice { user: 9, kind: NoticeKind::JobFailed, item: None }]);
        assert!(notices("job_retrying", None, &hs).is_empty());
    }
}
