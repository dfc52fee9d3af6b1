//! Why a command was refused. Every refusal leaves the ticket exactly as it
//! was, and carries a stable snake_case code the UI translates.

use super::UserId;
use super::chain::StepKind;
use super::ticket::{ItemKey, ItemStatus, TicketStatus};

/// A command the ticket's state does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("the ticket is closed")]
    TicketClosed,
    #[error("the ticket has no such item")]
    NoSuchItem { item: ItemKey },
    #[error("the item is already {}", status.as_str())]
    ItemNotPending { item: ItemKey, status: ItemStatus },
    // The message names no ids: `item` is the item's place in the ticket, not
    // the id clients know, and the actor knows who they are.
    #[error("you are not an approver of this item")]
    NotAnApprover { item: ItemKey, actor: UserId },
    #[error("this is {} step: {}", step_kind_phrase(*kind), right_action(*kind))]
    WrongActionForStep { kind: StepKind },
    #[error("only the applicant may do this")]
    NotApplicant,
    #[error("only a returned ticket can be resubmitted; this one is {}", status.as_str())]
    NotReturned { status: TicketStatus },
    #[error("automations only finish on a ticket in processing; this one is {}", status.as_str())]
    NotProcessing { status: TicketStatus },
    #[error("cannot transfer: {reason}")]
    InvalidTransfer { reason: &'static str },
    #[error("the applicant cannot approve their own ticket")]
    InvalidApprover,
    #[error("user {user} is already asked on this step")]
    AlreadyAssigned { user: UserId },
    #[error("say why the ticket is returned or rejected")]
    ReasonRequired,
}

fn step_kind_phrase(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Approve => "an approval",
        StepKind::Confirm => "a confirmation",
    }
}

fn right_action(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Approve => "approve it, not confirm",
        StepKind::Confirm => "confirm it, not approve",
    }
}

impl WorkflowError {
    /// Stable snake_case code: `ticket_closed`, `no_such_item`,
    /// `item_not_pending`, `not_an_approver`, `wrong_action_for_step`,
    /// `not_applicant`, `not_returned`, `not_processing`,
    /// `invalid_transfer`, `invalid_approver`, `already_assigned`,
    /// `reason_required`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TicketClosed => "ticket_closed",
            Self::NoSuchItem { .. } => "no_such_item",
            Self::ItemNotPending { .. } => "item_not_pending",
            Self::NotAnApprover { .. } => "not_an_approver",
            Self::WrongActionForStep { .. } => "wrong_action_for_step",
            Self::NotApplicant => "not_applicant",
            Self::NotReturned { .. } => "not_returned",
            Self::NotProcessing { .. } => "not_processing",
            Self::InvalidTransfer { .. } => "invalid_transfer",
            Self::InvalidApprover => "invalid_approver",
            Self::AlreadyAssigned { .. } => "already_assigned",
            Self::ReasonRequired => "reason_required",
        }
    }

    /// The message for people; the same as `Display`.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// Whether the refusal means someone else got there first (the item was
    /// decided or the ticket closed meanwhile): the API reports these as a
    /// conflict rather than bad input.
    pub fn is_conflict(&self) -> bool {
        matches!(self, Self::TicketClosed | Self::ItemNotPending { .. })
    }
}
