//! Every transition and every refusal of the ticket state machine.

use super::super::UserId;
use super::super::chain::{ReturnPolicy, SlaAction, StepKind, StepMode};
use super::super::plan::{Assignment, Plan, PlannedStep};
use super::super::ticket::{Change, Command, ItemStatus, TicketResult, TicketState, TicketStatus};
use super::super::ticket_error::WorkflowError;

const APPLICANT: UserId = 1;

/// A planned step; `index` is its chain index.
pub(super) fn planned(index: usize, kind: StepKind, mode: StepMode, people: &[UserId]) -> PlannedStep {
    PlannedStep {
        index,
        name: format!("step {index}"),
        kind,
        mode,
        assignments: people.iter().map(|&assignee| Assignment { assignee, on_behalf_of: None }).collect(),
        due_at: None,
        on_sla: SlaAction::Remind,
        notes: vec![],
    }
}

fn approve(index: usize, mode: StepMode, people: &[UserId]) -> PlannedStep {
    planned(index, StepKind::Approve, mode, people)
}

fn plan(steps: Vec<PlannedStep>) -> Plan {
    Plan { steps }
}

fn submit(steps: Vec<PlannedStep>) -> TicketState {
    TicketState::submit(plan(steps), APPLICANT, false, ReturnPolicy::RestartChain).0
}

fn statuses(state: &TicketState) -> Vec<ItemStatus> {
    state.items.iter().map(|i| i.status).collect()
}

fn code(state: &mut TicketState, command: Command, actor: UserId) -> &'static str {
    let before = state.clone();
    let error = state.apply(command, actor).unwrap_err();
    assert_eq!(*state, before, "a refused command changes nothing");
    error.code()
}

fn ret(item: usize) -> Command {
    Command::Return { item, reason: "missing receipt".into() }
}

#[test]
fn submit_opens_the_first_step() {
    let (state, changes) = TicketState::submit(
        plan(vec![approve(0, StepMode::Any, &[10, 11]), approve(1, StepMode::Any, &[12])]),
        APPLICANT,
        false,
        ReturnPolicy::RestartChain,
    );
    assert_eq!((state.status, state.round, state.current_step), (TicketStatus::InApproval, 1, Some(0)));
    assert_eq!(
        changes,
        vec![
            Change::RoundStarted { round: 1 },
            Change::StepOpened { step: 0, round: 1 },
            Change::ItemCreated { item: 0, step: 0, round: 1, assignee: 10, on_behalf_of: None },
            Change::ItemCreated { item: 1, step: 0, round: 1, assignee: 11, on_behalf_of: None },
        ]
    );
    assert_eq!(state.pending_items().count(), 2);
    assert_eq!(state.open_step().unwrap().index, 0);
}

#[test]
fn no_step_means_approved_at_once_or_processing() {
    let (state, changes) = TicketState::submit(Plan::default(), APPLICANT, false, ReturnPolicy::RestartChain);
    assert_eq!((state.status, state.result), (TicketStatus::Done, Some(TicketResult::Approved)));
    assert_eq!(changes.len(), 2);
    let (mut state, _) = TicketState::submit(Plan::default(), APPLICANT, true, ReturnPolicy::RestartChain);
    assert_eq!((state.status, state.result), (TicketStatus::Processing, None));
    let changes = state.apply(Command::AutomationsFinished, 0).unwrap();
    assert_eq!(
        changes,
        vec![Change::TicketStatusChanged {
            from: TicketStatus::Processing,
            to: TicketStatus::Done,
            result: Some(TicketResult::Approved)
        }]
    );
    assert_eq!(code(&mut state, Command::AutomationsFinished, 0), "ticket_closed");
}

#[test]
fn automations_finish_only_while_processing() {
    let mut state = submit(vec![approve(0, StepMode::Any, &[10])]);
    assert_eq!(code(&mut state, Command::AutomationsFinished, 0), "not_processing");
    assert_eq!(code(&mut state, Command::RejectProcessing, 0), "not_processing");
}

#[test]
fn a_processing_ticket_given_up_on_ends_rejected() {
    let (mut state, _) = TicketState::submit(Plan::default(), APPLICANT, true, ReturnPolicy::RestartChain);
    state.apply(Command::RejectProcessing, 0).unwrap();
    assert_eq!((state.status, state.result), (TicketStatus::Done, Some(TicketResult::Rejected)));
    assert_eq!(code(&mut state, Command::AutomationsFinished, 0), "ticket_closed");
}

#[test]
fn any_step_is_decided_by_the_first_approval() {
    let mut state = submit(vec![approve(0, StepMode::Any, &[10, 11, 12]), approve(1, StepMode::Any, &[13])]);
    let changes = state.apply(Command::Approve { item: 1 }, 11).unwrap();
    assert_eq!(
        changes,
        vec![
            Change::ItemDecided { item: 1, from: ItemStatus::Pending, to: ItemStatus::Approved, by: 11, reason: None },
            Change::ItemCancelled { item: 0 },
            Change::ItemCancelled { item: 2 },
            Change::StepCompleted { step: 0, round: 1 },
            Change::StepOpened { step: 1, round: 1 },
            Change::ItemCreated { item: 3, step: 1, round: 1, assignee: 13, on_behalf_of: None },
        ]
    );
    assert_eq!(statuses(&state)[..3], [ItemStatus::Cancelled, ItemStatus::Approved, ItemStatus::Cancelled]);
    assert_eq!(code(&mut state, Command::Approve { item: 0 }, 10), "item_not_pending");
    let last = state.apply(Command::Approve { item: 3 }, 13).unwrap();
    assert_eq!(
        last.last(),
        Some(&Change::TicketStatusChanged {
            from: TicketStatus::InApproval,
            to: TicketStatus::Done,
            result: Some(TicketResult::Approved)
        })
    );
}

#[test]
fn all_step_needs_every_approval() {
    let mut state = submit(vec![approve(0, StepMode::All, &[10, 11, 12])]);
    state.has_automations = true;
    assert_eq!(state.apply(Command::Approve { item: 2 }, 12).unwrap().len(), 1);
    state.apply(Command::Approve { item: 0 }, 10).unwrap();
    assert_eq!(state.status, TicketStatus::InApproval);
    let changes = state.apply(Command::Approve { item: 1 }, 11).unwrap();
    assert_eq!(changes[1], Change::StepCompleted { step: 0, round: 1 });
    assert_eq!((state.status, state.result, state.current_step), (TicketStatus::Processing, None, None));
    assert_eq!(code(&mut state, Command::Approve { item: 1 }, 11), "item_not_pending");
}

#[test]
fn approve_and_confirm_belong_to_their_step_kind() {
    let mut state =
        submit(vec![approve(0, StepMode::Any, &[10]), planned(1, StepKind::Confirm, StepMode::All, &[11, 12])]);
    assert_eq!(code(&mut state, Command::Confirm { item: 0 }, 10), "wrong_action_for_step");
    state.apply(Command::Approve { item: 0 }, 10).unwrap();
    assert_eq!(code(&mut state, Command::Approve { item: 1 }, 11), "wrong_action_for_step");
    state.apply(Command::Confirm { item: 1 }, 11).unwrap();
    state.apply(Command::Confirm { item: 2 }, 12).unwrap();
    assert_eq!(statuses(&state), vec![ItemStatus::Approved, ItemStatus::Confirmed, ItemStatus::Confirmed]);
    assert_eq!(state.result, Some(TicketResult::Approved));
}

#[test]
fn a_return_sends_the_ticket_back_at_once() {
    let mut state = submit(vec![approve(0, StepMode::All, &[10, 11, 12])]);
    state.apply(Command::Approve { item: 0 }, 10).unwrap();
    assert_eq!(code(&mut state, Command::Return { item: 1, reason: "  ".into() }, 11), "reason_required");
    let changes = state.apply(Command::Return { item: 1, reason: " missing receipt ".into() }, 11).unwrap();
    assert_eq!(changes.len(), 3);
    assert_eq!(statuses(&state), vec![ItemStatus::Approved, ItemStatus::Returned, ItemStatus::Cancelled]);
    assert_eq!(state.items[1].reason.as_deref(), Some("missing receipt"));
    assert_eq!((state.status, state.current_step, state.returned_from), (TicketStatus::Returned, None, Some(0)));
    assert_eq!(code(&mut state, Command::Approve { item: 2 }, 12), "item_not_pending");
}

#[test]
fn a_rejection_closes_the_ticket_for_good() {
    let mut state = submit(vec![planned(0, StepKind::Confirm, StepMode::Any, &[10, 11])]);
    state.apply(Command::Reject { item: 0, reason: "no budget".into() }, 10).unwrap();
    assert_eq!((state.status, state.result), (TicketStatus::Done, Some(TicketResult::Rejected)));
    assert_eq!(statuses(&state), vec![ItemStatus::Rejected, ItemStatus::Cancelled]);
    for command in [Command::Approve { item: 1 }, Command::Withdraw, Command::Resubmit { plan: Plan::default() }] {
        assert_eq!(code(&mut state, command, APPLICANT), "ticket_closed");
    }
}

#[test]
fn only_the_assignee_or_their_principal_acts() {
    let mut step = approve(0, StepMode::All, &[10, 11]);
    step.assignments[1].on_behalf_of = Some(20);
    let mut state = submit(vec![step]);
    assert_eq!(code(&mut state, Command::Approve { item: 0 }, 11), "not_an_approver");
    assert_eq!(code(&mut state, Command::Approve { item: 0 }, APPLICANT), "not_an_approver");
    assert_eq!(code(&mut state, Command::Approve { item: 9 }, 10), "no_such_item");
    state.apply(Command::Approve { item: 1 }, 20).unwrap();
    assert_eq!(state.items[1].decided_by, Some(20), "the principal acted on their own item");
    state.apply(Command::Approve { item: 0 }, 10).unwrap();
    assert_eq!(state.items[0].decided_by, Some(10));
}

#[test]
fn withdraw_by_the_applicant_before_done() {
    let mut state = submit(vec![approve(0, StepMode::All, &[10, 11])]);
    assert_eq!(code(&mut state, Command::Withdraw, 10), "not_applicant");
    state.apply(Command::Withdraw, APPLICANT).unwrap();
    assert_eq!((state.status, state.result), (TicketStatus::Done, Some(TicketResult::Withdrawn)));
    assert_eq!(statuses(&state), vec![ItemStatus::Cancelled, ItemStatus::Cancelled]);

    let mut returned = submit(vec![approve(0, StepMode::Any, &[10])]);
    returned.apply(ret(0), 10).unwrap();
    returned.apply(Command::Withdraw, APPLICANT).unwrap();
    assert_eq!(returned.result, Some(TicketResult::Withdrawn));

    let (mut processing, _) = TicketState::submit(Plan::default(), APPLICANT, true, ReturnPolicy::RestartChain);
    processing.apply(Command::Withdraw, APPLICANT).unwrap();
    assert_eq!(processing.result, Some(TicketResult::Withdrawn));
}

#[test]
fn resubmit_restarts_the_chain_in_a_new_round() {
    let steps = || vec![approve(0, StepMode::Any, &[10]), approve(1, StepMode::Any, &[11])];
    let mut state = submit(steps());
    assert_eq!(code(&mut state, Command::Resubmit { plan: plan(steps()) }, APPLICANT), "not_returned");
    state.apply(Command::Approve { item: 0 }, 10).unwrap();
    state.apply(ret(1), 11).unwrap();
    assert_eq!(code(&mut state, Command::Resubmit { plan: plan(steps()) }, 10), "not_applicant");
    let changes = state.apply(Command::Resubmit { plan: plan(steps()) }, APPLICANT).unwrap();
    assert_eq!(changes[0], Change::RoundStarted { round: 2 });
    assert_eq!(
        changes[1],
        Change::TicketStatusChanged { from: TicketStatus::Returned, to: TicketStatus::InApproval, result: None }
    );
    assert_eq!(changes[2], Change::StepOpened { step: 0, round: 2 });
    assert_eq!((state.round, state.current_step, state.returned_from), (2, Some(0), None));
    let fresh = &state.items[2];
    assert_eq!((fresh.round, fresh.assignee, fresh.status), (2, 10, ItemStatus::Pending));
}

#[test]
fn resubmit_back_to_the_returning_step() {
    let steps =
        || vec![approve(0, StepMode::Any, &[10]), approve(2, StepMode::Any, &[11]), approve(3, StepMode::Any, &[12])];
    let (mut state, _) = TicketState::submit(plan(steps()), APPLICANT, false, ReturnPolicy::BackToReturningStep);
    state.apply(Command::Approve { item: 0 }, 10).unwrap();
    state.apply(ret(1), 11).unwrap();
    assert_eq!(state.returned_from, Some(2));
    state.apply(Command::Resubmit { plan: plan(steps()) }, APPLICANT).unwrap();
    assert_eq!(state.current_step, Some(1));
    assert_eq!(state.items.last().unwrap().assignee, 11);

    // The returning step dropped out of the new plan: the round starts from
    // the first step that applies, and the changes say why.
    state.apply(ret(2), 11).unwrap();
    let without = plan(vec![approve(0, StepMode::Any, &[10]), approve(3, StepMode::Any, &[12])]);
    let changes = state.apply(Command::Resubmit { plan: without }, APPLICANT).unwrap();
    assert!(changes.contains(&Change::ReturningStepDropped { chain_step: 2 }));
    assert_eq!((state.current_step, state.items.last().unwrap().assignee), (Some(0), 10));

    // Even when no step after it is left, the edit is reviewed.
    state.apply(Command::Approve { item: state.items.len() - 1 }, 10).unwrap();
    state.apply(ret(state.items.len() - 1), 12).unwrap();
    state.apply(Command::Resubmit { plan: plan(vec![approve(0, StepMode::Any, &[10])]) }, APPLICANT).unwrap();
    assert_eq!((state.status, state.current_step), (TicketStatus::InApproval, Some(0)));
    assert_eq!(state.items.last().unwrap().assignee, 10);
}

#[test]
fn transfer_hands_the_item_over_and_keeps_history() {
    let mut state = submit(vec![approve(0, StepMode::All, &[10, 11])]);
    assert_eq!(code(&mut state, Command::Transfer { item: 0, to: APPLICANT }, 10), "invalid_transfer");
    assert_eq!(code(&mut state, Command::Transfer { item: 0, to: 10 }, 10), "invalid_transfer");
    assert_eq!(code(&mut state, Command::Transfer { item: 0, to: 11 }, 10), "already_assigned");
    assert_eq!(code(&mut state, Command::Transfer { item: 0, to: 15 }, 11), "not_an_approver");
    let changes = state.apply(Command::Transfer { item: 0, to: 15 }, 10).unwrap();
    assert_eq!(
        changes,
        vec![
            Change::ItemCancelled { item: 0 },
            Change::ItemCreated { item: 2, step: 0, round: 1, assignee: 15, on_behalf_of: None },
            Change::ItemTransferred { from: 0, to: 2, by: 10 },
        ]
    );
    assert_eq!(code(&mut state, Command::Approve { item: 0 }, 10), "item_not_pending");
    state.apply(Command::Approve { item: 1 }, 11).unwrap();
    assert_eq!(state.status, TicketStatus::InApproval, "the transferred item still counts");
    state.apply(Command::Approve { item: 2 }, 15).unwrap();
    assert_eq!(state.result, Some(TicketResult::Approved));
}

#[test]
fn add_approver_asks_one_more_on_the_step() {
    let mut state = submit(vec![approve(0, StepMode::All, &[10, 11])]);
    assert_eq!(code(&mut state, Command::AddApprover { item: 0, user: APPLICANT }, 10), "invalid_approver");
    assert_eq!(code(&mut state, Command::AddApprover { item: 0, user: 11 }, 10), "already_assigned");
    let changes = state.apply(Command::AddApprover { item: 0, user: 16 }, 10).unwrap();
    assert_eq!(changes[1], Change::ApproverAdded { item: 2, by: 10 });
    state.apply(Command::Approve { item: 0 }, 10).unwrap();
    assert_eq!(code(&mut state, Command::AddApprover { item: 1, user: 10 }, 11), "already_assigned");
    state.apply(Command::Approve { item: 1 }, 11).unwrap();
    assert_eq!(state.status, TicketStatus::InApproval, "the added approver must approve too");
    state.apply(Command::Approve { item: 2 }, 16).unwrap();
    assert_eq!(state.result, Some(TicketResult::Approved));
}

#[test]
fn errors_have_stable_codes_and_messages() {
    let cases = [
        (WorkflowError::TicketClosed, "ticket_closed", "the ticket is closed"),
        (WorkflowError::NoSuchItem { item: 4 }, "no_such_item", "the ticket has no such item"),
        (
            WorkflowError::ItemNotPending { item: 2, status: ItemStatus::Cancelled },
            "item_not_pending",
            "the item is already cancelled",
        ),
        (WorkflowError::NotAnApprover { item: 1, actor: 7 }, "not_an_approver", "you are not an approver of this item"),
        (
            WorkflowError::WrongActionForStep { kind: StepKind::Confirm },
            "wrong_action_for_step",
            "this is a confirmation step: confirm it, not approve",
        ),
        (WorkflowError::NotApplicant, "not_applicant", "only the applicant may do this"),
        (
            WorkflowError::NotReturned { status: TicketStatus::InApproval },
            "not_returned",
            "only a returned ticket can be resubmitted; this one is in_approval",
        ),
        (
            WorkflowError::NotProcessing { status: TicketStatus::Returned },
            "not_processing",
            "automations only finish on a ticket in processing; this one is returned",
        ),
        (WorkflowError::InvalidTransfer { reason: "x" }, "invalid_transfer", "cannot transfer: x"),
        (WorkflowError::InvalidApprover, "invalid_approver", "the applicant cannot approve their own ticket"),
        (WorkflowError::AlreadyAssigned { user: 3 }, "already_assigned", "user 3 is already asked on this step"),
        (WorkflowError::ReasonRequired, "reason_required", "say why the ticket is returned or rejected"),
    ];
    for (error, code, message) in cases {
        assert_eq!((error.code(), error.message().as_str()), (code, message));
    }
    assert!(WorkflowError::TicketClosed.is_conflict());
    assert!(!WorkflowError::NotApplicant.is_conflict());
}

#[test]
fn state_and_commands_read_and_write_as_json() {
    let mut state = submit(vec![approve(0, StepMode::All, &[10, 11])]);
    let command: Command = serde_json::from_str(r#"{"type":"return","item":1,"reason":"why"}"#).unwrap();
    let changes = state.apply(command, 11).unwrap();
    let json = serde_json::to_value(&changes[0]).unwrap();
    assert_eq!(json["type"], "item_decided");
    assert_eq!(json["to"], "returned");
    let again: TicketState = serde_json::from_value(serde_json::to_value(&state).unwrap()).unwrap();
    assert_eq!(again, state);
    assert_eq!(serde_json::to_value(TicketStatus::InApproval).unwrap(), TicketStatus::InApproval.as_str());
}
