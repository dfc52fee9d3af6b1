//! The workflow engine's rules, free of I/O: forms, step conditions,
//! approval chains and the ticket state machine. Storage feeds it loaded
//! rows and persists the [`Change`]s it returns; GraphQL maps its error
//! codes. Nothing here reads the clock: times are passed in.
//!
//! How a ticket flows through it:
//! 1. The template's [`FormSchema`] checks the submitted form
//!    ([`FormSchema::validate`]) and returns it normalized.
//! 2. [`plan()`] resolves the template's [`ChainDef`] for that form and
//!    applicant against an [`OrgView`] into a [`Plan`]: the people of each
//!    step, after conditions, escalation, self-approval and proxies.
//! 3. [`TicketState::submit`] opens the first step; [`TicketState::apply`]
//!    runs each later [`Command`] and returns the [`Change`]s to persist and
//!    publish as events, or a [`WorkflowError`] with a stable code.
//!
//! Modules:
//! - [`form`]: form schema, field types, schema checks, [`FieldError`].
//! - `form_input`: checking and normalizing a submitted form.
//! - [`decimal`]: exact decimals for money and number comparisons.
//! - [`condition`]: step conditions (`amount > 10000 and …`); tokens in
//!   `condition_lexer`, grammar and type checks in `condition_parser`.
//! - [`chain`]: chain, step and approver-rule definitions and their checks.
//! - [`ids`]: ids given as numbers or as the API's digit strings.
//! - [`mod@plan`]: the [`OrgView`] contract and the resolved [`Plan`].
//! - [`resolve`]: chain resolution, [`plan()`] and [`resolve_step`].
//! - [`ticket`]: ticket and item states, commands and changes.
//! - `machine`: the transitions behind [`TicketState::apply`].
//! - [`ticket_error`]: [`WorkflowError`] and its codes.

/// A user's database id.
pub type UserId = i64;
/// A department's database id.
pub type DeptId = i64;

pub mod chain;
pub mod condition;
mod condition_lexer;
mod condition_parser;
pub mod decimal;
pub mod form;
mod form_input;
pub mod ids;
mod machine;
pub mod plan;
pub mod resolve;
pub mod ticket;
pub mod ticket_error;

pub use chain::{
    ApproverRule, ChainDef, ChainError, ReturnPolicy, SelfApproval, SlaAction, StepDef, StepKind, StepMode,
};
pub use condition::{CompareOp, Condition, ConditionError, Literal};
pub use decimal::{Decimal, DecimalError};
pub use form::{FieldDef, FieldError, FieldType, FormData, FormSchema, ReferencedIds};
pub use plan::{Assignment, OrgDepartment, OrgUser, OrgView, Plan, PlanContext, PlanError, PlanNote, PlannedStep};
pub use resolve::{plan, resolve_step};
pub use ticket::{Change, Command, ItemKey, ItemState, ItemStatus, TicketResult, TicketState, TicketStatus};
pub use ticket_error::WorkflowError;
