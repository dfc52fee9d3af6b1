//! From a transition to rows: which items to insert or update, who hears
//! about it, what the event says. Also client mutation receipts (a retry
//! under the same id returns the first result) and who may see a ticket.

use chrono::{DateTime, Duration, Utc};
use sha2::Digest as _;

use super::{Outcome, Workflow};
use crate::{
    domain::{
        access::{Actor, Permission},
        workflow::{ChainDef, ItemState, StepKind, TicketState, WorkflowError},
    },
    error::{Error, Result},
    store::tickets::{EventWrite, ItemWrite, ReceiptWrite, Ticket},
};

/// A refused command as a client error with the domain's code. Losing a race
/// (the item was decided, the ticket closed meanwhile) is a `conflict`.
pub fn refused(err: WorkflowError) -> Error {
    let message = err.message();
    match err {
        e if e.is_conflict() => Error::conflict("conflict", message),
        WorkflowError::NotAnApprover { .. } | WorkflowError::NotApplicant => Error::denied(err.code(), message),
        other => Error::invalid(other.code(), message),
    }
}

/// Items that are new or changed between two states.
pub fn item_writes(before: &TicketState, after: &TicketState, chain: &ChainDef, now: DateTime<Utc>) -> Vec<ItemWrite> {
    after
        .items
        .iter()
        .enumerate()
        .filter(|(i, item)| before.items.get(*i) != Some(*item))
        .map(|(_, item)| item_write(after, item, chain, now))
        .collect()
}

pub fn item_write(state: &TicketState, item: &ItemState, chain: &ChainDef, now: DateTime<Utc>) -> ItemWrite {
    let planned = state.plan.steps.get(item.step).filter(|_| item.round == state.round);
    let step_def = chain.steps.get(item.chain_step);
    let sla = step_def.and_then(|s| s.sla_minutes);
    ItemWrite {
        seq: item.id as i32,
        round: item.round as i32,
        step: item.step as i32,
        chain_step: item.chain_step as i32,
        step_name: planned.map(|p| p.name.clone()).or_else(|| step_def.map(|s| s.name.clone())).unwrap_or_default(),
        kind: match planned.map(|p| p.kind).or_else(|| step_def.map(|s| s.kind)) {
            Some(StepKind::Approve) | None => "approve".into(),
            Some(StepKind::Confirm) => "confirm".into(),
        },
        assignee_id: item.assignee,
        on_behalf_of: item.on_behalf_of,
        status: item.status.as_str().to_string(),
        decided_by: item.decided_by,
        reason: item.reason.clone(),
        due_at: sla.map(|m| now + Duration::minutes(m as i64)),
    }
}

pub use crate::domain::events::hearers;

/// Tags an event is published under, besides `ticket:<id>`.
pub fn tags(ticket: &Ticket) -> Vec<String> {
    let mut tags = vec![format!("template:{}", ticket.template_code)];
    if let Some(dept) = ticket.department_id {
        tags.push(format!("dept:{dept}"));
    }
    tags
}

/// An event that changes nothing but the timeline (a comment, a rating):
/// the ticket's people hear of it as it stands.
pub fn event_on(ticket: &Ticket, kind: &str, actor_id: i64, payload: serde_json::Value) -> Result<EventWrite> {
    let state = load_state(ticket)?;
    Ok(EventWrite {
        kind: kind.into(),
        actor_id: Some(actor_id),
        on_behalf_of: None,
        status_before: Some(ticket.status.clone()),
        status_after: ticket.status.clone(),
        payload,
        hearers: hearers(&state, &state),
        tags: tags(ticket),
        firing: None,
    })
}

/// A client mutation id, checked for shape, with a fingerprint of the
/// request it names: `args` are the arguments that make the request what it
/// is (ids, form, texts), so a retry must send the same ones.
pub fn receipt(
    actor: &Actor,
    client_mutation_id: Option<&str>,
    operation: &'static str,
    args: serde_json::Value,
) -> Result<Option<ReceiptWrite>> {
    let Some(id) = client_mutation_id else { return Ok(None) };
    if id.is_empty() || id.len() > 100 {
        return Err(Error::invalid_field(
            "invalid_client_mutation_id",
            "clientMutationId",
            "a client mutation id has 1 to 100 characters",
        ));
    }
    // serde_json's maps are sorted by key, so equal arguments hash equally.
    let fingerprint = hex::encode(sha2::Sha256::digest(format!("{operation}\n{args}").as_bytes()));
    Ok(Some(ReceiptWrite { actor_id: actor.user_id, client_mutation_id: id.to_string(), operation, fingerprint }))
}

impl Workflow {
    /// The result of an earlier request with this client mutation id, if any.
    pub async fn replay(&self, receipt: &Option<ReceiptWrite>) -> Result<Option<Outcome>> {
        let Some(r) = receipt else { return Ok(None) };
        let Some(found) = self.store.mutation_receipt(r.actor_id, &r.client_mutation_id).await? else {
            return Ok(None);
        };
        if found.operation != r.operation {
            return Err(Error::invalid_field(
                "client_mutation_id_reused",
                "clientMutationId",
                format!("this client mutation id was already used for {}", found.operation),
            ));
        }
        if !found.fingerprint.is_empty() && found.fingerprint != r.fingerprint {
            return Err(Error::invalid_field(
                "client_mutation_id_reused",
                "clientMutationId",
                "this client mutation id was already used for a request with other arguments",
            ));
        }
        let ticket = self.store.ticket(found.ticket_id).await?.ok_or(Error::not_found("ticket"))?;
        Ok(Some(Outcome { ticket, replayed: true }))
    }

    /// After a failed save: a concurrent retry with the same id may have won.
    pub async fn replay_after(&self, err: Error, receipt: &Option<ReceiptWrite>) -> Result<Outcome> {
        match err {
            Error::Conflict { .. } if receipt.is_some() => match self.replay(receipt).await? {
                Some(outcome) => Ok(outcome),
                None => Err(err),
            },
            other => Err(other),
        }
    }

    /// Whether the actor may see the ticket: its applicant, anyone with an
    /// item on it (proxies and their principals included), managers and admins.
    pub async fn can_see(&self, actor: &Actor, ticket: &Ticket) -> Result<bool> {
        Ok(ticket.applicant_id == actor.user_id
            || actor.can(Permission::ReadAllTickets)
            || self.store.is_involved(ticket.id, actor.user_id).await?)
    }

    /// Whether the actor may follow a tag of Signoff's own project: reserved
    /// tags carry ticket events, so they need the right to see them.
    pub async fn may_follow(&self, actor: &Actor, tag: &str) -> Result<bool> {
        use crate::domain::events::{TagScope, tag_scope};
        Ok(match tag_scope(tag) {
            TagScope::Free => true,
            TagScope::Malformed => false,
            TagScope::Template(_) | TagScope::Department(_) => actor.can(Permission::ReadAllTickets),
            TagScope::Jobs(_) => actor.can(Permission::RunAutomations),
            TagScope::Ticket(id) => match self.store.ticket(id).await? {
                Some(ticket) => self.can_see(actor, &ticket).await?,
                None => false,
            },
        })
    }

    /// The ticket if the actor may see it; `not_found` otherwise, so its
    /// existence is not revealed.
    pub async fn visible_ticket(&self, actor: &Actor, id: i64) -> Result<Ticket> {
        match self.store.ticket(id).await? {
            Some(t) if self.can_see(actor, &t).await? => Ok(t),
            _ => Err(Error::not_found("ticket")),
        }
    }
}

/// The stored state of a ticket.
pub fn load_state(ticket: &Ticket) -> Result<TicketState> {
    serde_json::from_str(&ticket.state)
        .map_err(|e| Error::internal(anyhow::anyhow!("ticket {} has a corrupt state: {e}", ticket.id)))
}

pub fn dump<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(Error::internal)
}
