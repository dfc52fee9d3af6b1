//! The ticket state machine: [`TicketState::apply`] runs one command.
//!
//! Every handler checks everything first and only then changes state, so a
//! refused command leaves the ticket untouched. The rules:
//! - ANY step: the first approval decides it; the others' items are cancelled.
//! - ALL step: it completes once every one of its items is approved.
//! - A return or rejection on any item decides the ticket at once: returned
//!   to the applicant, or done and rejected; the step's other items are
//!   cancelled.
//! - Approve belongs to APPROVE steps, Confirm to CONFIRM steps; return and
//!   reject are open on both.
//! - After the last step: processing when there are automations, else done
//!   and approved.

use super::UserId;
use super::chain::{ReturnPolicy, StepKind, StepMode};
use super::plan::Plan;
use super::ticket::{Change, Command, ItemKey, ItemState, ItemStatus, TicketResult, TicketState, TicketStatus};
use super::ticket_error::WorkflowError;

impl TicketState {
    /// Runs `command` for `actor` and returns what changed, in order.
    pub fn apply(&mut self, command: Command, actor: UserId) -> Result<Vec<Change>, WorkflowError> {
        if self.is_done() {
            return Err(WorkflowError::TicketClosed);
        }
        let mut changes = Vec::new();
        match command {
            Command::Approve { item } => self.decide(item, actor, ItemStatus::Approved, None, &mut changes)?,
            Command::Confirm { item } => self.decide(item, actor, ItemStatus::Confirmed, None, &mut changes)?,
            Command::Return { item, reason } => {
                self.decide(item, actor, ItemStatus::Returned, Some(reason), &mut changes)?;
            }
            Command::Reject { item, reason } => {
                self.decide(item, actor, ItemStatus::Rejected, Some(reason), &mut changes)?;
            }
            Command::Withdraw => self.withdraw(actor, &mut changes)?,
            Command::Resubmit { plan } => self.resubmit(plan, actor, &mut changes)?,
            Command::Transfer { item, to } => self.transfer(item, actor, to, &mut changes)?,
            Command::AddApprover { item, user } => self.add_approver(item, actor, user, &mut changes)?,
            Command::AutomationsFinished => {
                if self.status != TicketStatus::Processing {
                    return Err(WorkflowError::NotProcessing { status: self.status });
                }
                self.set_status(TicketStatus::Done, Some(TicketResult::Approved), &mut changes);
            }
            Command::RejectProcessing => {
                if self.status != TicketStatus::Processing {
                    return Err(WorkflowError::NotProcessing { status: self.status });
                }
                self.set_status(TicketStatus::Done, Some(TicketResult::Rejected), &mut changes);
            }
        }
        Ok(changes)
    }

    /// The pending item `item`, if `actor` may act on it.
    fn actionable(&self, item: ItemKey, actor: UserId) -> Result<&ItemState, WorkflowError> {
        let found = self.items.get(item).ok_or(WorkflowError::NoSuchItem { item })?;
        if found.status != ItemStatus::Pending {
            return Err(WorkflowError::ItemNotPending { item, status: found.status });
        }
        if !found.may_act(actor) {
            return Err(WorkflowError::NotAnApprover { item, actor });
        }
        Ok(found)
    }

    fn decide(
        &mut self,
        item: ItemKey,
        actor: UserId,
        to: ItemStatus,
        reason: Option<String>,
        changes: &mut Vec<Change>,
    ) -> Result<(), WorkflowError> {
        let (step, round) = {
            let found = self.actionable(item, actor)?;
            (found.step, found.round)
        };
        // A pending item always sits on the open step of the current round.
        let planned = &self.plan.steps[step];
        let (kind, mode, chain_step) = (planned.kind, planned.mode, planned.index);
        match (kind, to) {
            (StepKind::Confirm, ItemStatus::Approved) | (StepKind::Approve, ItemStatus::Confirmed) => {
                return Err(WorkflowError::WrongActionForStep { kind });
            }
            _ => {}
        }
        let reason = reason.map(|r| r.trim().to_owned());
        if reason.as_deref().is_some_and(str::is_empty) {
            return Err(WorkflowError::ReasonRequired);
        }

        let decided = &mut self.items[item];
        decided.status = to;
        decided.decided_by = Some(actor);
        decided.reason.clone_from(&reason);
        changes.push(Change::ItemDecided { item, from: ItemStatus::Pending, to, by: actor, reason });

        match to {
            ItemStatus::Returned => {
                self.cancel_pending(changes);
                self.current_step = None;
                self.returned_from = Some(chain_step);
                self.set_status(TicketStatus::Returned, None, changes);
            }
            ItemStatus::Rejected => {
                self.cancel_pending(changes);
                self.current_step = None;
                self.set_status(TicketStatus::Done, Some(TicketResult::Rejected), changes);
            }
            _ => {
                if mode == StepMode::Any {
                    self.cancel_pending(changes);
                }
                let complete = self
                    .items_of(step, round)
                    .filter(|i| i.status != ItemStatus::Cancelled)
                    .all(|i| i.status.is_positive());
                if complete {
                    changes.push(Change::StepCompleted { step, round });
                    self.advance_from(step + 1, changes);
                }
            }
        }
        Ok(())
    }

    fn withdraw(&mut self, actor: UserId, changes: &mut Vec<Change>) -> Result<(), WorkflowError> {
        if actor != self.applicant {
            return Err(WorkflowError::NotApplicant);
        }
        self.cancel_pending(changes);
        self.current_step = None;
        self.set_status(TicketStatus::Done, Some(TicketResult::Withdrawn), changes);
        Ok(())
    }

    fn resubmit(&mut self, plan: Plan, actor: UserId, changes: &mut Vec<Change>) -> Result<(), WorkflowError> {
        if actor != self.applicant {
            return Err(WorkflowError::NotApplicant);
        }
        if self.status != TicketStatus::Returned {
            return Err(WorkflowError::NotReturned { status: self.status });
        }
        // A resubmission is always reviewed. When the returning step no
        // longer applies to the edited form (its condition is false now),
        // the round starts from the first step that does, as `restart_chain`.
        let (start, restarted) = match self.on_return {
            ReturnPolicy::RestartChain => (0, None),
            ReturnPolicy::BackToReturningStep => {
                let from = self.returned_from.unwrap_or(0);
                match plan.steps.iter().position(|s| s.index == from) {
                    Some(position) => (position, None),
                    None => (0, Some(from)),
                }
            }
        };
        self.round += 1;
        self.plan = plan;
        self.returned_from = None;
        changes.push(Change::RoundStarted { round: self.round });
        if let Some(returned_from) = restarted {
            changes.push(Change::ReturningStepDropped { chain_step: returned_from });
        }
        self.set_status(TicketStatus::InApproval, None, changes);
        self.advance_from(start, changes);
        Ok(())
    }

    fn transfer(
        &mut self,
        item: ItemKey,
        actor: UserId,
        to: UserId,
        changes: &mut Vec<Change>,
    ) -> Result<(), WorkflowError> {
        let found = self.actionable(item, actor)?;
        let (step, round) = (found.step, found.round);
        if to == self.applicant {
            return Err(WorkflowError::InvalidTransfer { reason: "the applicant cannot approve their own ticket" });
        }
        if to == found.assignee {
            return Err(WorkflowError::InvalidTransfer { reason: "the item is already theirs" });
        }
        self.check_not_asked(step, round, to)?;
        self.items[item].status = ItemStatus::Cancelled;
        changes.push(Change::ItemCancelled { item });
        let new = self.create_item(step, to, None, changes);
        changes.push(Change::ItemTransferred { from: item, to: new, by: actor });
        Ok(())
    }

    fn add_approver(
        &mut self,
        item: ItemKey,
        actor: UserId,
        user: UserId,
        changes: &mut Vec<Change>,
    ) -> Result<(), WorkflowError> {
        let found = self.actionable(item, actor)?;
        let (step, round) = (found.step, found.round);
        if user == self.applicant {
            return Err(WorkflowError::InvalidApprover);
        }
        self.check_not_asked(step, round, user)?;
        let new = self.create_item(step, user, None, changes);
        changes.push(Change::ApproverAdded { item: new, by: actor });
        Ok(())
    }

    /// `already_assigned` when `user` has a live (pending or decided) item on
    /// the step: nobody is asked twice for the same step.
    fn check_not_asked(&self, step: usize, round: u32, user: UserId) -> Result<(), WorkflowError> {
        let asked = self.items_of(step, round).any(|i| i.status != ItemStatus::Cancelled && i.assignee == user);
        if asked { Err(WorkflowError::AlreadyAssigned { user }) } else { Ok(()) }
    }

    /// Opens the first step at or after `position` that has someone to ask,
    /// or, past the last one, hands over to automations or finishes.
    pub(super) fn advance_from(&mut self, position: usize, changes: &mut Vec<Change>) {
        let next = (position..self.plan.steps.len()).find(|&i| !self.plan.steps[i].assignments.is_empty());
        match next {
            Some(step) => {
                self.current_step = Some(step);
                changes.push(Change::StepOpened { step, round: self.round });
                for assignment in self.plan.steps[step].assignments.clone() {
                    self.create_item(step, assignment.assignee, assignment.on_behalf_of, changes);
                }
            }
            None => {
                self.current_step = None;
                if self.has_automations {
                    self.set_status(TicketStatus::Processing, None, changes);
                } else {
                    self.set_status(TicketStatus::Done, Some(TicketResult::Approved), changes);
                }
            }
        }
    }

    fn create_item(
        &mut self,
        step: usize,
        assignee: UserId,
        on_behalf_of: Option<UserId>,
        changes: &mut Vec<Change>,
    ) -> ItemKey {
        let item = self.items.len();
        self.items.push(ItemState {
            id: item,
            step,
            chain_step: self.plan.steps[step].index,
            round: self.round,
            assignee,
            on_behalf_of,
            status: ItemStatus::Pending,
            decided_by: None,
            reason: None,
        });
        changes.push(Change::ItemCreated { item, step, round: self.round, assignee, on_behalf_of });
        item
    }

    /// Cancels every pending item; they all sit on the open step.
    fn cancel_pending(&mut self, changes: &mut Vec<Change>) {
        for item in &mut self.items {
            if item.status == ItemStatus::Pending {
                item.status = ItemStatus::Cancelled;
                changes.push(Change::ItemCancelled { item: item.id });
            }
        }
    }

    fn set_status(&mut self, to: TicketStatus, result: Option<TicketResult>, changes: &mut Vec<Change>) {
        changes.push(Change::TicketStatusChanged { from: self.status, to, result });
        self.status = to;
        self.result = result;
    }
}

#[cfg(test)]
#[path = "machine_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "machine_props.rs"]
mod props;
