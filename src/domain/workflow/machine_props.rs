//! Property test: random plans and random commands by random actors never
//! break the ticket's invariants, and the emitted changes, replayed from
//! the start, rebuild the same state.

use std::collections::HashMap;

use proptest::prelude::*;

use super::super::UserId;
use super::super::chain::{ReturnPolicy, StepKind, StepMode};
use super::super::plan::{Plan, PlannedStep};
use super::super::ticket::{Change, Command, ItemStatus, TicketResult, TicketState, TicketStatus};
use super::super::ticket_error::WorkflowError;
use super::tests::planned;

const APPLICANT: UserId = 1;
/// Everyone who might act: the applicant, approvers, principals, strangers.
const PEOPLE: [UserId; 8] = [APPLICANT, 10, 11, 12, 13, 14, 20, 99];

fn step() -> impl Strategy<Value = (PlannedStep, usize)> {
    let people = proptest::sample::subsequence(vec![10, 11, 12, 13, 14], 1..=3);
    (any::<bool>(), any::<bool>(), people, any::<bool>(), 1..=2_usize).prop_map(|(confirm, all, people, proxy, gap)| {
        let kind = if confirm { StepKind::Confirm } else { StepKind::Approve };
        let mode = if all { StepMode::All } else { StepMode::Any };
        let mut step = planned(0, kind, mode, &people);
        if proxy {
            // The first approver acts as a proxy for principal 20.
            step.assignments[0].on_behalf_of = Some(20);
        }
        (step, gap)
    })
}

/// 0–4 steps whose chain indices have gaps, so that a resubmitted plan may
/// lack the step that returned the ticket.
fn plan() -> impl Strategy<Value = Plan> {
    proptest::collection::vec(step(), 0..=4).prop_map(|steps| {
        let mut index = 0;
        let steps = steps
            .into_iter()
            .map(|(mut step, gap)| {
                step.index = index;
                index += gap;
                step
            })
            .collect();
        Plan { steps }
    })
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Approve,
    Confirm,
    Return,
    Reject,
    Withdraw,
    Resubmit,
    Transfer,
    AddApprover,
    AutomationsFinished,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => Just(Op::Approve),
        4 => Just(Op::Confirm),
        2 => Just(Op::Return),
        1 => Just(Op::Reject),
        1 => Just(Op::Withdraw),
        3 => Just(Op::Resubmit),
        2 => Just(Op::Transfer),
        2 => Just(Op::AddApprover),
        2 => Just(Op::AutomationsFinished),
    ]
}

/// Turns a random draw into a command and an actor, aiming mostly at
/// pending items and their rightful actors so that runs get somewhere.
fn command(state: &TicketState, plans: &[Plan], (op, pick, who): (Op, usize, u8)) -> (Command, UserId) {
    let pending: Vec<usize> = state.pending_items().map(|i| i.id).collect();
    let item =
        if who < 8 && !pending.is_empty() { pending[pick % pending.len()] } else { pick % (state.items.len() + 1) };
    let stranger = PEOPLE[pick % PEOPLE.len()];
    let actor = match (state.items.get(item), who) {
        (Some(i), 0..=5) => i.assignee,
        (Some(i), 6..=7) => i.on_behalf_of.unwrap_or(i.assignee),
        _ => stranger,
    };
    let reason = if pick % 7 == 0 { " ".to_owned() } else { "because".to_owned() };
    let applicant_or_not = if who < 9 { APPLICANT } else { stranger };
    match op {
        Op::Approve => (Command::Approve { item }, actor),
        Op::Confirm => (Command::Confirm { item }, actor),
        Op::Return => (Command::Return { item, reason }, actor),
        Op::Reject => (Command::Reject { item, reason }, actor),
        Op::Withdraw => (Command::Withdraw, applicant_or_not),
        Op::Resubmit => (Command::Resubmit { plan: plans[pick % plans.len()].clone() }, applicant_or_not),
        Op::Transfer => (Command::Transfer { item, to: stranger }, actor),
        Op::AddApprover => (Command::AddApprover { item, user: stranger }, actor),
        Op::AutomationsFinished => (Command::AutomationsFinished, 0),
    }
}

/// An item as the changes tell it: step, round, assignee, on_behalf_of,
/// status, decided_by.
type ReplayedItem = (usize, u32, UserId, Option<UserId>, ItemStatus, Option<UserId>);

/// The state as far as the changes alone tell it.
#[derive(Debug, Default)]
struct Replay {
    status: Option<TicketStatus>,
    result: Option<TicketResult>,
    round: u32,
    current_step: Option<usize>,
    items: Vec<ReplayedItem>,
    decisions: usize,
}

impl Replay {
    fn apply(&mut self, change: &Change) -> Result<(), TestCaseError> {
        match change {
            Change::RoundStarted { round } => {
                prop_assert_eq!(*round, self.round + 1);
                self.round = *round;
                self.status.get_or_insert(TicketStatus::InApproval);
            }
            Change::TicketStatusChanged { from, to, result } => {
                prop_assert_eq!(Some(*from), self.status);
                self.status = Some(*to);
                self.result = *result;
                self.current_step = None;
            }
            Change::ReturningStepDropped { .. } => {}
            Change::StepOpened { step, round } => {
                prop_assert_eq!(*round, self.round);
                self.current_step = Some(*step);
            }
            Change::StepCompleted { round, .. } => {
                prop_assert_eq!(*round, self.round);
                self.current_step = None;
            }
            Change::ItemCreated { item, step, round, assignee, on_behalf_of } => {
                prop_assert_eq!(*item, self.items.len());
                self.items.push((*step, *round, *assignee, *on_behalf_of, ItemStatus::Pending, None));
            }
            Change::ItemDecided { item, from, to, by, .. } => {
                let it = &mut self.items[*item];
                prop_assert_eq!(*from, ItemStatus::Pending);
                prop_assert_eq!(it.4, ItemStatus::Pending, "a decision on a non-pending item");
                prop_assert!(to.is_decision());
                (it.4, it.5) = (*to, Some(*by));
                self.decisions += 1;
            }
            Change::ItemCancelled { item } => {
                prop_assert_eq!(self.items[*item].4, ItemStatus::Pending);
                self.items[*item].4 = ItemStatus::Cancelled;
            }
            Change::ItemTransferred { from, to, .. } => {
                prop_assert_eq!(self.items[*from].4, ItemStatus::Cancelled);
                prop_assert!(*to < self.items.len());
            }
            Change::ApproverAdded { item, .. } => prop_assert!(*item < self.items.len()),
        }
        Ok(())
    }

    fn matches(&self, state: &TicketState) -> Result<(), TestCaseError> {
        prop_assert_eq!(self.status, Some(state.status));
        prop_assert_eq!(self.result, state.result);
        prop_assert_eq!(self.round, state.round);
        prop_assert_eq!(self.current_step, state.current_step);
        let items: Vec<ReplayedItem> =
            state.items.iter().map(|i| (i.step, i.round, i.assignee, i.on_behalf_of, i.status, i.decided_by)).collect();
        prop_assert_eq!(&self.items, &items);
        prop_assert_eq!(self.decisions, state.items.iter().filter(|i| i.status.is_decision()).count());
        Ok(())
    }
}

/// Invariants that hold after every command, whatever happened.
fn check_state(state: &TicketState, plans: &HashMap<u32, Plan>) -> Result<(), TestCaseError> {
    prop_assert_eq!(state.is_done(), state.result.is_some(), "exactly one result once done");
    for item in &state.items {
        prop_assert_eq!(item.decided_by.is_some(), item.status.is_decision());
        prop_assert!(item.assignee != APPLICANT, "the applicant is never asked");
        if item.status == ItemStatus::Pending {
            prop_assert_eq!(state.status, TicketStatus::InApproval);
            prop_assert_eq!((Some(item.step), item.round), (state.current_step, state.round));
        }
        let kind = plans[&item.round].steps[item.step].kind;
        match item.status {
            ItemStatus::Approved => prop_assert_eq!(kind, StepKind::Approve),
            ItemStatus::Confirmed => prop_assert_eq!(kind, StepKind::Confirm),
            _ => {}
        }
    }
    if state.status == TicketStatus::InApproval {
        prop_assert!(state.pending_items().count() > 0, "an open step always waits for someone");
    }
    for (round, plan) in plans {
        for (index, step) in plan.steps.iter().enumerate() {
            let live: Vec<_> = state.items_of(index, *round).filter(|i| i.status.is_decision()).collect();
            if step.mode == StepMode::Any {
                prop_assert!(live.len() <= 1, "two decisions on one ANY step");
            }
        }
    }
    Ok(())
}

/// A completed step: every live item approved, and one only on ANY steps.
fn check_completed(
    state: &TicketState,
    plans: &HashMap<u32, Plan>,
    step: usize,
    round: u32,
) -> Result<(), TestCaseError> {
    let live: Vec<_> = state.items_of(step, round).filter(|i| i.status != ItemStatus::Cancelled).collect();
    prop_assert!(!live.is_empty());
    prop_assert!(live.iter().all(|i| i.status.is_positive()), "completed without every approval");
    if plans[&round].steps[step].mode == StepMode::Any {
        prop_assert_eq!(live.len(), 1);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn random_runs_keep_every_invariant(
        first in plan(),
        later in proptest::collection::vec(plan(), 1..=3),
        automations in any::<bool>(),
        back_to_step in any::<bool>(),
        draws in proptest::collection::vec((op(), any::<usize>(), 0..10_u8), 1..60),
    ) {
        let policy = if back_to_step { ReturnPolicy::BackToReturningStep } else { ReturnPolicy::RestartChain };
        let (mut state, changes) = TicketState::submit(first.clone(), APPLICANT, automations, policy);
        let mut plans = HashMap::from([(1, first)]);
        let mut replay = Replay::default();
        for change in &changes {
            replay.apply(change)?;
        }
        check_state(&state, &plans)?;
        let mut after_done = 0;
        for draw in draws {
            // A few commands on a done ticket show it stays closed; more
            // would only spend the run.
            if state.is_done() {
                after_done += 1;
                if after_done > 3 {
                    break;
                }
            }
            let (command, actor) = command(&state, &later, draw);
            let before = state.clone();
            match state.apply(command.clone(), actor) {
                Err(error) => {
                    prop_assert_eq!(&state, &before, "a refused command changed the ticket");
                    if before.is_done() {
                        prop_assert_eq!(error, WorkflowError::TicketClosed);
                    }
                }
                Ok(changes) => {
                    prop_assert!(!before.is_done(), "a done ticket changed");
                    if let Command::Resubmit { plan } = &command {
                        plans.insert(state.round, plan.clone());
                    }
                    for change in &changes {
                        replay.apply(change)?;
                        if let Change::StepCompleted { step, round } = change {
                            check_completed(&state, &plans, *step, *round)?;
                        }
                    }
                }
            }
            check_state(&state, &plans)?;
            replay.matches(&state)?;
        }
    }
}
