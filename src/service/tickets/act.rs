//! Acting on a ticket: approvers decide, transfer or add an approver on
//! their item; the applicant withdraws or urges; anyone who may see the
//! ticket comments; bots report automations finished.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use super::{
    Outcome, Workflow,
    persist::{dump, event_on, hearers, item_writes, load_state, receipt, refused, tags},
    submit::updated,
};
use crate::{
    domain::{
        access::{Actor, Permission},
        workflow::{Command, TicketStatus},
    },
    error::{Error, Result},
    service::input::{RawId, free_text, parse_id},
    store::tickets::{EventWrite, ReceiptWrite, Ticket, TicketUpdate},
};

/// What an approver does with their item.
#[derive(Debug, Clone)]
pub enum ItemAction {
    Approve,
    Confirm,
    Return { reason: String },
    Reject { reason: String },
    Transfer { to: RawId },
    AddApprover { user: RawId },
}

impl ItemAction {
    /// What makes two requests the same action (for receipt fingerprints).
    fn arguments(&self) -> Value {
        match self {
            Self::Approve | Self::Confirm => json!(self.name()),
            Self::Return { reason } | Self::Reject { reason } => json!([self.name(), reason]),
            Self::Transfer { to: user } | Self::AddApprover { user } => json!([self.name(), user]),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Self::Approve => "approved",
            Self::Confirm => "confirmed",
            Self::Return { .. } => "returned",
            Self::Reject { .. } => "rejected",
            Self::Transfer { .. } => "transferred",
            Self::AddApprover { .. } => "approver_added",
        }
    }
}

/// One transition to save, whatever asked for it.
pub(super) struct Transition<'a> {
    pub(super) ticket: Ticket,
    pub(super) command: Command,
    pub(super) kind: &'static str,
    pub(super) on_behalf_of: Option<i64>,
    pub(super) extra: Value,
    pub(super) receipt: &'a Option<ReceiptWrite>,
    pub(super) urged: bool,
    /// Done by Signoff itself for this SLA firing (item id, kind), recorded
    /// with the event: the timeline names no actor, though the machine
    /// checks the command as the item's holder's.
    pub(super) firing: Option<(i64, &'static str)>,
    /// When it happens, if not now: the SLA sweep's clock, so items it
    /// creates are due from the time it acts at.
    pub(super) at: Option<chrono::DateTime<Utc>>,
}

fn comment_text(field: &str, raw: &str) -> Result<String> {
    let text = raw.trim();
    if text.is_empty() || text.chars().count() > 2000 {
        return Err(Error::invalid_field("invalid_comment", field, "a comment has 1 to 2000 characters"));
    }
    free_text(field, "invalid_comment", text, true)?;
    Ok(text.to_string())
}

/// A return or reject reason: the machine insists on one; what it may contain
/// is the comment rule.
pub(super) fn reason_text(raw: &str) -> Result<String> {
    match raw.trim() {
        "" => Ok(String::new()),
        _ => comment_text("reason", raw),
    }
}

impl Workflow {
    pub(super) async fn transition(&self, actor: &Actor, t: Transition<'_>) -> Result<Outcome> {
        let version = self.catalog.version(t.ticket.template_version_id).await?;
        let before = load_state(&t.ticket)?;
        let mut state = before.clone();
        let changes = match state.apply(t.command, actor.user_id) {
            Ok(changes) => changes,
            // Lost to a concurrent retry under the same client mutation id?
            Err(refusal) => return self.replay_after(refused(refusal), t.receipt).await,
        };
        let now = t.at.unwrap_or_else(Utc::now);
        let job =
            super::jobs::first_job(&version, Some(before.status), state.status, &t.ticket.form, &t.ticket.number)?;
        let mut tags = tags(&t.ticket);
        tags.extend(job.as_ref().map(|j| format!("jobs:{}", j.kind)));
        let update = TicketUpdate {
            status: state.status.as_str().into(),
            result: state.result.map(|r| r.as_str().into()),
            round: state.round as i32,
            state: dump(&state)?,
            form: None,
            title: None,
            done: state.is_done() && !before.is_done(),
            urged: t.urged,
            close_jobs: before.status == TicketStatus::Processing && state.status != TicketStatus::Processing,
            job,
        };
        let mut payload = json!({ "changes": changes });
        if let (Value::Object(p), Value::Object(extra)) = (&mut payload, t.extra) {
            p.extend(extra);
        }
        let event = EventWrite {
            kind: t.kind.into(),
            actor_id: t.firing.is_none().then_some(actor.user_id),
            on_behalf_of: t.on_behalf_of,
            status_before: Some(before.status.as_str().into()),
            status_after: state.status.as_str().into(),
            payload,
            hearers: hearers(&before, &state),
            tags,
            firing: t.firing,
        };
        let items = item_writes(&before, &state, &version.chain, now);
        let ticket = t.ticket;
        match self
            .store
            .save_transition(ticket.id, ticket.version, update.clone(), items, event, t.receipt.clone())
            .await
        {
            Ok(_) => Ok(Outcome { ticket: updated(ticket, &update, now), replayed: false }),
            Err(err) => self.replay_after(err, t.receipt).await,
        }
    }

    /// An approver's decision or hand-over on their item.
    pub async fn act_on_item(
        &self,
        actor: &Actor,
        item_id: &str,
        action: ItemAction,
        comment: Option<String>,
        client_mutation_id: Option<&str>,
    ) -> Result<Outcome> {
        let args = json!({ "item": item_id, "action": action.arguments(), "comment": comment });
        let receipt = receipt(actor, client_mutation_id, action.name(), args)?;
        if let Some(outcome) = self.replay(&receipt).await? {
            return Ok(outcome);
        }
        let item =
            self.store.ticket_item(parse_id("itemId", item_id)?).await?.ok_or(Error::not_found("approval item"))?;
        let ticket = self.visible_ticket(actor, item.ticket_id).await?;
        let key = item.seq as usize;
        let org = self.catalog.org().await?;
        let person = |field: &str, id: &str| -> Result<i64> {
            let id = parse_id(field, id)?;
            match (org.is_active_user(id), org.may_hold_items(id)) {
                (false, _) => Err(crate::service::input::unknown(field, "user")),
                (true, false) => Err(crate::service::input::bot_cannot_approve(field)),
                (true, true) => Ok(id),
            }
        };
        let mut extra = json!({ "item_id": item.id.to_string(), "step": item.step_name });
        let command = match &action {
            ItemAction::Approve => Command::Approve { item: key },
            ItemAction::Confirm => Command::Confirm { item: key },
            ItemAction::Return { reason } => Command::Return { item: key, reason: reason_text(reason)? },
            ItemAction::Reject { reason } => Command::Reject { item: key, reason: reason_text(reason)? },
            ItemAction::Transfer { to } => {
                let to = person("toUserId", to)?;
                extra["to_user_id"] = json!(to.to_string());
                Command::Transfer { item: key, to }
            }
            ItemAction::AddApprover { user } => {
                let user = person("userId", user)?;
                extra["user_id"] = json!(user.to_string());
                Command::AddApprover { item: key, user }
            }
        };
        if let Some(c) = comment {
            extra["comment"] = json!(comment_text("comment", &c)?);
        }
        // A proxy acting records the principal; a principal acting on their
        // proxy's item acts for themself. A window that ended or was revoked
        // gives no right to act, even before its items have gone back.
        let on_behalf_of = if actor.user_id == item.assignee_id { item.on_behalf_of } else { None };
        if let Some(principal) = on_behalf_of {
            if !self.store.proxy_covers(principal, actor.user_id, &ticket.template_code, Utc::now()).await? {
                return Err(Error::denied(
                    "proxy_ended",
                    "your proxy window for this approver has ended; the item goes back to them",
                ));
            }
        }
        let t = Transition {
            ticket,
            command,
            kind: action.name(),
            on_behalf_of,
            extra,
            receipt: &receipt,
            urged: false,
            firing: None,
            at: None,
        };
        self.transition(actor, t).await
    }

    /// The applicant takes the ticket back before it is done.
    pub async fn withdraw(
        &self,
        actor: &Actor,
        ticket_id: &str,
        reason: Option<String>,
        client_mutation_id: Option<&str>,
    ) -> Result<Outcome> {
        let receipt =
            receipt(actor, client_mutation_id, "withdrawn", json!({ "ticket": ticket_id, "reason": reason }))?;
        if let Some(outcome) = self.replay(&receipt).await? {
            return Ok(outcome);
        }
        let ticket = self.visible_ticket(actor, parse_id("ticketId", ticket_id)?).await?;
        let extra = match reason {
            Some(r) => json!({ "reason": comment_text("reason", &r)? }),
            None => json!({}),
        };
        let t = Transition {
            ticket,
            command: Command::Withdraw,
            kind: "withdrawn",
            on_behalf_of: None,
            extra,
            receipt: &receipt,
            urged: false,
            firing: None,
            at: None,
        };
        self.transition(actor, t).await
    }

    /// A bot (or admin) reports the automations of a processing ticket done.
    pub async fn finish_processing(
        &self,
        actor: &Actor,
        ticket_id: &str,
        client_mutation_id: Option<&str>,
    ) -> Result<Outcome> {
        actor.require(Permission::RunAutomations)?;
        let receipt = receipt(actor, client_mutation_id, "processing_finished", json!({ "ticket": ticket_id }))?;
        if let Some(outcome) = self.replay(&receipt).await? {
            return Ok(outcome);
        }
        let ticket = self.store.ticket(parse_id("ticketId", ticket_id)?).await?.ok_or(Error::not_found("ticket"))?;
        // Running automations is a bot's licence to a processing ticket, not
        // to the others: for them a bot that may not otherwise see the ticket
        // learns nothing, not even its status.
        if ticket.status != TicketStatus::Processing.as_str() && !self.can_see(actor, &ticket).await? {
            return Err(Error::not_found("ticket"));
        }
        let t = Transition {
            ticket,
            command: Command::AutomationsFinished,
            kind: "processing_finished",
            on_behalf_of: None,
            extra: json!({}),
            receipt: &receipt,
            urged: false,
            firing: None,
            at: None,
        };
        self.transition(actor, t).await
    }

    /// Reminds the current approvers again, at most once per configured interval.
    pub async fn urge(&self, actor: &Actor, ticket_id: &str) -> Result<Outcome> {
        let ticket = self.visible_ticket(actor, parse_id("ticketId", ticket_id)?).await?;
        if ticket.applicant_id != actor.user_id {
            return Err(Error::denied("not_applicant", "only the applicant may urge a ticket"));
        }
        let state = load_state(&ticket)?;
        if state.status != crate::domain::workflow::TicketStatus::InApproval {
            return Err(Error::invalid("not_in_approval", "only a ticket waiting for approval can be urged"));
        }
        let interval = Duration::seconds(self.config.urge_interval_secs as i64);
        if let Some(last) = ticket.last_urged_at.filter(|last| Utc::now() < *last + interval) {
            let wait = (last + interval - Utc::now()).num_seconds().max(1);
            return Err(Error::rate_limited(
                "rate_limited",
                format!("this ticket was urged recently; try again in {wait} s"),
            ));
        }
        let reminded: Vec<i64> =
            state.pending_items().flat_map(|i| [Some(i.assignee), i.on_behalf_of]).flatten().collect();
        // Urging changes no state; saving it under the ticket's version
        // makes two urges at once count as one.
        let update = TicketUpdate {
            status: ticket.status.clone(),
            result: ticket.result.clone(),
            round: ticket.round,
            state: ticket.state.clone(),
            form: None,
            title: None,
            done: false,
            urged: true,
            close_jobs: false,
            job: None,
        };
        let event = EventWrite {
            kind: "urged".into(),
            actor_id: Some(actor.user_id),
            on_behalf_of: None,
            status_before: Some(ticket.status.clone()),
            status_after: ticket.status.clone(),
            payload: json!({ "reminded": reminded.iter().map(i64::to_string).collect::<Vec<_>>() }),
            hearers: hearers(&state, &state),
            tags: tags(&ticket),
            firing: None,
        };
        let now = Utc::now();
        self.store.save_transition(ticket.id, ticket.version, update.clone(), Vec::new(), event, None).await?;
        Ok(Outcome { ticket: updated(ticket, &update, now), replayed: false })
    }

    /// A comment on the timeline, by anyone who may see the ticket.
    pub async fn comment(
        &self,
        actor: &Actor,
        ticket_id: &str,
        body: &str,
        client_mutation_id: Option<&str>,
    ) -> Result<Outcome> {
        let receipt = receipt(actor, client_mutation_id, "commented", json!({ "ticket": ticket_id, "body": body }))?;
        if let Some(outcome) = self.replay(&receipt).await? {
            return Ok(outcome);
        }
        let ticket = self.visible_ticket(actor, parse_id("ticketId", ticket_id)?).await?;
        let body = comment_text("body", body)?;
        let event = event_on(&ticket, "commented", actor.user_id, json!({ "body": body }))?;
        match self.store.append_ticket_event(ticket.id, event, receipt.clone()).await {
            Ok(_) => Ok(Outcome { ticket, replayed: false }),
            Err(err) => self.replay_after(err, &receipt).await,
        }
    }

    /// A revoked or ended proxy hands the principal's open items back: each
    /// becomes the principal's own again (the proxy's item is cancelled, the
    /// timeline says why: `proxy_revoked` or `proxy_ended`). Safe to run on
    /// several nodes at once: each hand-over is a versioned transition, so a
    /// second run finds nothing left. Returns how many were handed back.
    pub async fn hand_back(&self, proxy: &crate::store::proxies::Proxy, reason: &'static str) -> Result<usize> {
        let principal = Actor::new(proxy.principal_id, &[]);
        let mut handed = 0;
        for item in self.store.pending_items_held(proxy.proxy_id, proxy.principal_id).await? {
            // A concurrent decision on the ticket wins; read it again once.
            for _ in 0..2 {
                let Some(ticket) = self.store.ticket(item.ticket_id).await? else { break };
                let t = Transition {
                    ticket,
                    command: Command::Transfer { item: item.seq as usize, to: proxy.principal_id },
                    kind: "transferred",
                    on_behalf_of: None,
                    extra: json!({ "item_id": item.id.to_string(), "reason": reason }),
                    receipt: &None,
                    urged: false,
                    firing: None,
                    at: None,
                };
                match self.transition(&principal, t).await {
                    Ok(_) => {
                        handed += 1;
                        break;
                    }
                    Err(Error::Conflict { code: "conflict", .. }) => continue,
                    Err(Error::Invalid { .. }) => break,
                    Err(other) => return Err(other),
                }
            }
        }
        Ok(handed)
    }

    /// Hands back the items of proxy windows that ended since the last
    /// sweep; returns how many windows were settled.
    pub async fn hand_back_ended_proxies(&self) -> Result<usize> {
        let now = Utc::now();
        let ended = self.store.ended_proxies_to_hand_back(now, 100).await?;
        for proxy in &ended {
            // A later window of the same pair that is live now keeps them.
            let renewed =
                self.store.live_proxies_of(proxy.principal_id).await?.iter().any(|p| {
                    p.proxy_id == proxy.proxy_id && p.starts_at <= now && p.template_code == proxy.template_code
                });
            if !renewed {
                self.hand_back(proxy, "proxy_ended").await?;
            }
            self.store.mark_handed_back(proxy.id, now).await?;
        }
        Ok(ended.len())
    }
}
