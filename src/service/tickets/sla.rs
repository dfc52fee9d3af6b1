//! SLA timers (超时): a sweep, run by every node, finds pending items whose
//! due time (or reminder time) has come and fires each firing once:
//! whichever node records the firing first (one row per item and kind)
//! fires it. A reminder before the due time, an "overdue" notice at it,
//! then the step's `on_sla`: `escalate` adds the next head up as an
//! approver of the step, `alarm_admins` alarms the administrators (and the
//! group robots). Each firing is a ticket event: it reaches browsers, the
//! notifier and the timeline. The time is passed in, so tests drive it.
//!
//! A firing is recorded in the transaction that writes its event: the
//! node that records it first fires it, a second one's write is refused
//! (`already_fired`) and changes nothing, and a node that dies mid-way
//! leaves neither, so the next sweep fires it. A firing with nothing to
//! do (the item left pending, `remind` has no action) is recorded alone.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{
    Workflow,
    act::Transition,
    persist::{load_state, tags},
};
use crate::{
    domain::{
        access::Actor,
        events::sla_hearers,
        sla::{Firing, escalation_target},
        workflow::{Command, ItemStatus, OrgView as _, SlaAction},
    },
    error::Result,
    store::tickets::{EventWrite, Ticket, TicketItem},
};

/// Items one sweep looks at per firing kind.
const SWEEP_BATCH: u64 = 200;

impl Workflow {
    /// Fires every SLA firing due at `now` (reminders `lead` ahead); returns
    /// how many this call fired.
    pub async fn fire_sla(&self, now: DateTime<Utc>, lead: Duration) -> Result<usize> {
        let mut fired = 0;
        for firing in Firing::ALL {
            for item in self.store.items_due_for(firing.code(), firing.threshold(now, lead), SWEEP_BATCH).await? {
                match self.fire(&item, firing, now).await {
                    Ok(true) => fired += 1,
                    // Recorded so the sweep stops finding it.
                    Ok(false) => {
                        self.store.claim_firing(item.id, firing.code(), now).await?;
                    }
                    // Another node fired it, or changed the ticket first:
                    // the next sweep sees what it did.
                    Err(e) if matches!(e.code(), "already_fired" | "conflict") => {}
                    Err(e) => tracing::warn!(
                        item = item.id, firing = firing.code(), error = %crate::error::Chain(&e),
                        "an SLA firing failed; the next sweep tries again"
                    ),
                }
            }
        }
        Ok(fired)
    }

    /// One firing on one item; false when there was nothing to do.
    async fn fire(&self, item: &TicketItem, firing: Firing, now: DateTime<Utc>) -> Result<bool> {
        let Some(ticket) = self.store.ticket(item.ticket_id).await? else { return Ok(false) };
        let state = load_state(&ticket)?;
        let key = item.seq as usize;
        if state.items.get(key).is_none_or(|i| i.status != ItemStatus::Pending) {
            return Ok(false);
        }
        let kind = match firing {
            // Already overdue when first seen: the overdue notice says it all.
            Firing::Reminder if item.due_at.is_some_and(|d| d <= now) => return Ok(false),
            Firing::Reminder => "sla_reminder",
            Firing::Due => "sla_due",
            Firing::Action => {
                let version = self.catalog.version(ticket.template_version_id).await?;
                match version.chain.steps.get(item.chain_step as usize).map(|s| s.on_sla).unwrap_or_default() {
                    SlaAction::Remind => return Ok(false),
                    SlaAction::AlarmAdmins => "sla_alarm",
                    SlaAction::Escalate => return self.escalate(ticket, item, now).await,
                }
            }
        };
        self.sla_event(&ticket, item, kind, firing).await?;
        Ok(true)
    }

    async fn sla_event(&self, ticket: &Ticket, item: &TicketItem, kind: &str, firing: Firing) -> Result<()> {
        let state = load_state(ticket)?;
        let admins = if kind == "sla_alarm" { self.catalog.org().await?.admins() } else { Vec::new() };
        let event = EventWrite {
            kind: kind.into(),
            actor_id: None,
            on_behalf_of: None,
            status_before: Some(ticket.status.clone()),
            status_after: ticket.status.clone(),
            payload: json!({ "item_id": item.id.to_string(), "step": item.step_name, "due_at": item.due_at }),
            hearers: sla_hearers(&state, item.seq as usize, &admins),
            tags: tags(ticket),
            firing: Some((item.id, firing.code())),
        };
        self.store.append_ticket_event(ticket.id, event, None).await?;
        Ok(())
    }

    /// Adds the next head up as an approver of the overdue item's step;
    /// with nobody to escalate to, the administrators are alarmed instead.
    async fn escalate(&self, ticket: Ticket, item: &TicketItem, now: DateTime<Utc>) -> Result<bool> {
        let org = self.catalog.org().await?;
        let Some(target) = escalation_target(org.as_ref(), item.assignee_id, ticket.applicant_id) else {
            self.sla_event(&ticket, item, "sla_alarm", Firing::Action).await?;
            return Ok(true);
        };
        // The machine checks the command as the holder's own add-approver;
        // the timeline names no actor.
        let holder = Actor::new(item.assignee_id, &[]);
        let extra = json!({ "item_id": item.id.to_string(), "step": item.step_name, "user_id": target.to_string() });
        let t = Transition {
            ticket: ticket.clone(),
            command: Command::AddApprover { item: item.seq as usize, user: target },
            kind: "sla_escalated",
            on_behalf_of: None,
            extra,
            receipt: &None,
            urged: false,
            firing: Some((item.id, Firing::Action.code())),
            at: Some(now),
        };
        match self.transition(&holder, t).await {
            Ok(_) => Ok(true),
            // Already asked on this step: the head knows; alarm instead.
            Err(e) if matches!(e.code(), "already_assigned" | "invalid_approver") => {
                self.sla_event(&ticket, item, "sla_alarm", Firing::Action).await?;
                Ok(true)
            }
            Err(e) => Err(e),
        }
    }
}
