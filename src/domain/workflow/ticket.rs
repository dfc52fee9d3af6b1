//! The state of one ticket and its approval items, and the vocabulary of
//! its state machine.
//!
//! - [`TicketState`]: status, round, the current round's [`Plan`], and every
//!   approval item of every round (history is kept: items are never removed).
//! - [`Command`]: what people and bots ask of a ticket.
//! - [`Change`]: what a command did, in order, for the storage layer to
//!   persist and to append as events.
//! - [`TicketState::submit`] opens the first step; `TicketState::apply`
//!   (in `machine`) runs every later command.
//!
//! Items are keyed by their index in `TicketState::items` ([`ItemKey`]):
//! storage keeps that index as a per-ticket sequence number next to the
//! database id, so a `Change` naming item 3 maps to one row.

use serde::{Deserialize, Serialize};

use super::UserId;
use super::chain::ReturnPolicy;
use super::plan::{Plan, PlannedStep};

/// An approval item's index in `TicketState::items`.
pub type ItemKey = usize;

/// Where a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    /// A step is open and waiting for its approvers.
    InApproval,
    /// Sent back to the applicant, who may edit and resubmit.
    Returned,
    /// Approved; automations are running.
    Processing,
    /// Final; `TicketState::result` says how it ended.
    Done,
}

/// How a finished ticket ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketResult {
    Approved,
    Rejected,
    Withdrawn,
}

/// Where one approver's item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Pending,
    Approved,
    Returned,
    Rejected,
    Confirmed,
    /// Decided without this approver, transferred away, or withdrawn.
    Cancelled,
}

impl TicketStatus {
    /// The snake_case name used in JSON and storage.
    /// The status of its stored name (see [`as_str`](Self::as_str)).
    pub fn from_stored(name: &str) -> Option<Self> {
        [Self::InApproval, Self::Returned, Self::Processing, Self::Done].into_iter().find(|s| s.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InApproval => "in_approval",
            Self::Returned => "returned",
            Self::Processing => "processing",
            Self::Done => "done",
        }
    }
}

impl TicketResult {
    /// The snake_case name used in JSON and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
        }
    }
}

impl ItemStatus {
    /// The snake_case name used in JSON and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Returned => "returned",
            Self::Rejected => "rejected",
            Self::Confirmed => "confirmed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Whether an approver decided this item (as opposed to pending or
    /// cancelled).
    pub fn is_decision(self) -> bool {
        matches!(self, Self::Approved | Self::Returned | Self::Rejected | Self::Confirmed)
    }

    /// Approved or confirmed: the item lets its step go on.
    pub fn is_positive(self) -> bool {
        matches!(self, Self::Approved | Self::Confirmed)
    }
}

/// One approver's item on one step of one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemState {
    pub id: ItemKey,
    /// Index of the step in the plan of `round`.
    pub step: usize,
    /// Index of the step in the template's chain, stable across rounds.
    pub chain_step: usize,
    pub round: u32,
    pub assignee: UserId,
    /// The principal when the assignee is a proxy; they may act too.
    pub on_behalf_of: Option<UserId>,
    pub status: ItemStatus,
    pub decided_by: Option<UserId>,
    /// Why it was returned or rejected.
    pub reason: Option<String>,
}

impl ItemState {
    /// Whether `user` may act on this item: its assignee, or the principal
    /// a proxy acts for.
    pub fn may_act(&self, user: UserId) -> bool {
        self.assignee == user || self.on_behalf_of == Some(user)
    }
}

/// A ticket's workflow state, as storage loads and saves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketState {
    pub applicant: UserId,
    pub status: TicketStatus,
    /// Set exactly when `status` is `Done`.
    pub result: Option<TicketResult>,
    /// 1 at submission, one more at each resubmission.
    pub round: u32,
    /// Position in `plan.steps` of the open step, while in approval.
    pub current_step: Option<usize>,
    /// The plan of the current round.
    pub plan: Plan,
    pub items: Vec<ItemState>,
    /// Whether approval hands over to automations (`Processing`) rather than
    /// finishing at once.
    pub has_automations: bool,
    pub on_return: ReturnPolicy,
    /// Chain index of the step that returned the ticket, while returned.
    pub returned_from: Option<usize>,
}

/// What someone asks of a ticket. The actor is passed beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    Approve {
        item: ItemKey,
    },
    Confirm {
        item: ItemKey,
    },
    Return {
        item: ItemKey,
        reason: String,
    },
    Reject {
        item: ItemKey,
        reason: String,
    },
    /// By the applicant, any time before the ticket is done.
    Withdraw,
    /// By the applicant after a return, with the plan resolved for the
    /// edited form.
    Resubmit {
        plan: Plan,
    },
    /// Hands an item to someone else; the old item is cancelled.
    Transfer {
        item: ItemKey,
        to: UserId,
    },
    /// Asks one more person on the item's step (加签).
    AddApprover {
        item: ItemKey,
        user: UserId,
    },
    /// Every automation of an approved ticket has run.
    AutomationsFinished,
    /// An administrator gives up on a processing ticket whose automations
    /// failed: it ends rejected.
    RejectProcessing,
}

/// One effect of a command, in the order it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Change {
    /// A round began: 1 at submission, then at each resubmission with the
    /// plan the command carried.
    RoundStarted {
        round: u32,
    },
    TicketStatusChanged {
        from: TicketStatus,
        to: TicketStatus,
        result: Option<TicketResult>,
    },
    /// Step `step` (position in the round's plan) opened.
    StepOpened {
        step: usize,
        round: u32,
    },
    /// Step `step` was approved or confirmed as its mode requires.
    StepCompleted {
        step: usize,
        round: u32,
    },
    ItemCreated {
        item: ItemKey,
        step: usize,
        round: u32,
        assignee: UserId,
        on_behalf_of: Option<UserId>,
    },
    ItemDecided {
        item: ItemKey,
        from: ItemStatus,
        to: ItemStatus,
        by: UserId,
        reason: Option<String>,
    },
    ItemCancelled {
        item: ItemKey,
    },
    /// `by` handed item `from` over; `to` is the new item.
    ItemTransferred {
        from: ItemKey,
        to: ItemKey,
        by: UserId,
    },
    /// `by` asked one more person, whose new item is `item`.
    ApproverAdded {
        item: ItemKey,
        by: UserId,
    },
    /// The step that returned the ticket (`chain_step`, its index in the
    /// chain) no longer applies to the resubmitted form, so the round
    /// started from the first step that does.
    ReturningStepDropped {
        chain_step: usize,
    },
}

impl TicketState {
    /// A newly filed ticket: round 1, its first step open, or approved at
    /// once when the plan has no step (handed to automations if it has any).
    pub fn submit(
        plan: Plan,
        applicant: UserId,
        has_automations: bool,
        on_return: ReturnPolicy,
    ) -> (Self, Vec<Change>) {
        let mut state = Self {
            applicant,
            status: TicketStatus::InApproval,
            result: None,
            round: 1,
            current_step: None,
            plan,
            items: Vec::new(),
            has_automations,
            on_return,
            returned_from: None,
        };
        let mut changes = vec![Change::RoundStarted { round: 1 }];
        state.advance_from(0, &mut changes);
        (state, changes)
    }

    /// Whether the ticket is final.
    pub fn is_done(&self) -> bool {
        self.status == TicketStatus::Done
    }

    /// The open step, while in approval.
    pub fn open_step(&self) -> Option<&PlannedStep> {
        self.current_step.and_then(|i| self.plan.steps.get(i))
    }

    /// Items waiting for a decision: all on the open step.
    pub fn pending_items(&self) -> impl Iterator<Item = &ItemState> {
        self.items.iter().filter(|i| i.status == ItemStatus::Pending)
    }

    /// Items of one step of one round, cancelled ones included.
    pub fn items_of(&self, step: usize, round: u32) -> impl Iterator<Item = &ItemState> {
        self.items.iter().filter(move |i| i.step == step && i.round == round)
    }
}
