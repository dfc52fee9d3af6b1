//! What resolving a chain needs and what it yields.
//!
//! - [`OrgView`]: the organisation as chain resolution reads it; the storage
//!   layer implements it over its tables (or a snapshot of them).
//! - [`Plan`] / [`PlannedStep`] / [`Assignment`]: the concrete people of
//!   one ticket's round, stored with the ticket so that later changes to the
//!   organisation do not move approvals already under way.
//! - [`PlanNote`]: why the people differ from what the rules say
//!   (escalation, self-approval, proxies), for the audit trail.
//! - [`PlanContext`] and [`PlanError`]: inputs and failures of `resolve`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::chain::{SlaAction, StepKind, StepMode};
use super::condition::ConditionError;
use super::form::{FormData, FormSchema};
use super::{DeptId, UserId};

/// A user as chain resolution sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgUser {
    pub id: UserId,
    pub active: bool,
    pub department_id: Option<DeptId>,
    pub manager_id: Option<UserId>,
}

/// A department as chain resolution sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgDepartment {
    pub id: DeptId,
    pub parent_id: Option<DeptId>,
    pub head_id: Option<UserId>,
    pub active: bool,
}

/// Read access to the organisation at the moment a ticket is planned.
///
/// Resolution calls these a handful of times per step; an implementation
/// may query lazily or answer from a preloaded snapshot. It never needs to
/// filter for the applicant or for repeats: resolution does that.
pub trait OrgView {
    /// Any user, active or not; `None` if the id is unknown.
    fn user(&self, id: UserId) -> Option<OrgUser>;
    /// Any department, active or not.
    fn department(&self, id: DeptId) -> Option<OrgDepartment>;
    /// Active holders of a role, in a stable order.
    fn users_with_role(&self, role_code: &str) -> Vec<UserId>;
    /// Holders of the admin role, the approvers of last resort.
    fn admins(&self) -> Vec<UserId>;
    /// The proxy acting for `principal` on a ticket of `template_code` at
    /// `at`: a window with `starts_at <= at < ends_at` whose scope is every
    /// template or this one.
    fn active_proxy(&self, principal: UserId, template_code: &str, at: DateTime<Utc>) -> Option<UserId>;
}

/// Everything chain resolution reads besides the chain and the organisation.
#[derive(Debug, Clone, Copy)]
pub struct PlanContext<'a> {
    /// The schema of the template version the ticket is filed under.
    pub schema: &'a FormSchema,
    /// The normalized form, as `FormSchema::validate` returned it.
    pub form: &'a FormData,
    pub applicant: UserId,
    pub template_code: &'a str,
    /// When the plan is made: proxies are looked up and SLAs start here.
    pub now: DateTime<Utc>,
}

/// The resolved approval steps of one round of a ticket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Only the steps whose condition held and that kept someone to ask.
    pub steps: Vec<PlannedStep>,
}

/// One step with the people asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedStep {
    /// Index of the step in `ChainDef::steps`.
    pub index: usize,
    pub name: String,
    pub kind: StepKind,
    pub mode: StepMode,
    /// Never empty; one per person, in rule order.
    pub assignments: Vec<Assignment>,
    /// When the SLA runs out, if the step has one.
    pub due_at: Option<DateTime<Utc>>,
    pub on_sla: SlaAction,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<PlanNote>,
}

/// One person asked to act on a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub assignee: UserId,
    /// The principal, when `assignee` acts as their proxy.
    pub on_behalf_of: Option<UserId>,
}

/// Why a step's people differ from what its rules say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PlanNote {
    /// Rule number `rule` named nobody active, so `to` were asked instead:
    /// the next head up the department tree or, failing that, the admins.
    Escalated { rule: usize, to: Vec<UserId>, to_admins: bool },
    /// The applicant was named and left out (`SelfApproval::Skip`).
    ApplicantSkipped,
    /// The applicant was named and replaced by `to` (`SelfApproval::PassUp`).
    PassedUp { to: Vec<UserId> },
    /// `principal` is away; `proxy` acts for them.
    Proxied { principal: UserId, proxy: UserId },
}

impl PlannedStep {
    /// Whether any rule of this step fell back to someone else.
    pub fn escalated(&self) -> bool {
        self.notes.iter().any(|n| matches!(n, PlanNote::Escalated { .. }))
    }
}

impl Plan {
    /// Position in `steps` of the first planned step at or after chain step
    /// `chain_index`: where a ticket returned from that step picks up again.
    pub fn position_from(&self, chain_index: usize) -> Option<usize> {
        self.steps.iter().position(|s| s.index >= chain_index)
    }
}

/// Why a chain could not be resolved for a ticket.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// A condition that no longer fits the schema; `validate` should have
    /// caught it when the template was saved.
    #[error("step {}: condition: {error}", step + 1)]
    BadCondition { step: usize, error: ConditionError },
    #[error("the chain has no step {}", step + 1)]
    NoSuchStep { step: usize },
    /// Nobody at all could be found, not even an admin.
    #[error("step {} has nobody to approve it, not even an admin", step + 1)]
    NoApprover { step: usize },
}

impl PlanError {
    /// Stable snake_case code: `bad_condition`, `no_such_step`, `no_approver`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadCondition { .. } => "bad_condition",
            Self::NoSuchStep { .. } => "no_such_step",
            Self::NoApprover { .. } => "no_approver",
        }
    }
}
