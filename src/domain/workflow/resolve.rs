//! Chain resolution: from a chain, a form and the organisation to the
//! people who approve one round of one ticket.
//!
//! The rules people rely on, in the order they apply to a step:
//! 1. A step whose condition is false is left out.
//! 2. Each approver rule names active users. A rule naming nobody (no head,
//!    a deactivated user, an empty role) falls back to the next active head
//!    up the department tree, else to the admins, so a step is never left
//!    without an approver.
//! 3. The same person named twice is asked once, at the first place.
//! 4. The applicant never approves their own ticket: `Skip` leaves them out
//!    (and the step, if nobody else is left); `PassUp` asks the next head up
//!    from their department instead.
//! 5. A person with an active proxy is replaced by the proxy, acting on
//!    their behalf. In a countersign (`all`) step every signature is one
//!    person's own decision: when the proxy is already asked in the step
//!    (in their own right or for someone else), the principal keeps their
//!    item rather than collapsing two signatures into one.

use std::collections::HashSet;

use chrono::Duration;

use super::DeptId;
use super::UserId;
use super::chain::{ApproverRule, ChainDef, SelfApproval, StepMode};
use super::condition::Condition;
use super::plan::{Assignment, OrgView, Plan, PlanContext, PlanError, PlanNote, PlannedStep};

/// Longest department path walked; a corrupt tree with a loop stops here
/// instead of hanging the request.
const MAX_TREE_DEPTH: usize = 256;

/// Resolves every step of `chain` for one ticket.
pub fn plan(chain: &ChainDef, ctx: &PlanContext<'_>, org: &dyn OrgView) -> Result<Plan, PlanError> {
    let mut steps = Vec::with_capacity(chain.steps.len());
    for index in 0..chain.steps.len() {
        if let Some(step) = resolve_step(chain, index, ctx, org)? {
            steps.push(step);
        }
    }
    Ok(Plan { steps })
}

/// Resolves step `index` of `chain`; `None` when its condition is false or
/// the applicant was the only one to ask and `SelfApproval::Skip` applies.
pub fn resolve_step(
    chain: &ChainDef,
    index: usize,
    ctx: &PlanContext<'_>,
    org: &dyn OrgView,
) -> Result<Option<PlannedStep>, PlanError> {
    let def = chain.steps.get(index).ok_or(PlanError::NoSuchStep { step: index })?;
    if let Some(source) = &def.condition {
        let condition =
            Condition::parse(source, ctx.schema).map_err(|error| PlanError::BadCondition { step: index, error })?;
        if !condition.eval(ctx.form) {
            return Ok(None);
        }
    }
    let resolver = Resolver { org, ctx };
    let mut notes = Vec::new();
    let mut people = Vec::new();
    for (rule_index, rule) in def.approvers.iter().enumerate() {
        let named = resolver.rule(rule);
        if named.is_empty() {
            let (to, to_admins) = resolver.head_above(resolver.escalation_start(rule));
            notes.push(PlanNote::Escalated { rule: rule_index, to: to.clone(), to_admins });
            push_new(&mut people, to);
        } else {
            push_new(&mut people, named);
        }
    }
    let applicant = ctx.applicant;
    if people.contains(&applicant) {
        match chain.self_approval {
            SelfApproval::Skip => {
                people.retain(|u| *u != applicant);
                notes.push(PlanNote::ApplicantSkipped);
                if people.is_empty() {
                    return Ok(None);
                }
            }
            SelfApproval::PassUp => {
                let (to, _) = resolver.head_above(resolver.applicant_department());
                let mut replaced = Vec::with_capacity(people.len() + to.len());
                for person in people {
                    push_new(&mut replaced, if person == applicant { to.clone() } else { vec![person] });
                }
                people = replaced;
                notes.push(PlanNote::PassedUp { to });
            }
        }
    }
    if people.is_empty() {
        return Err(PlanError::NoApprover { step: index });
    }
    let mut assignments: Vec<Assignment> = Vec::with_capacity(people.len());
    for principal in people.iter().copied() {
        let countersigned = |proxy: UserId| {
            def.mode == StepMode::All && (people.contains(&proxy) || assignments.iter().any(|a| a.assignee == proxy))
        };
        let assignment = match resolver.proxy_for(principal).filter(|p| !countersigned(*p)) {
            Some(proxy) => {
                notes.push(PlanNote::Proxied { principal, proxy });
                Assignment { assignee: proxy, on_behalf_of: Some(principal) }
            }
            None => Assignment { assignee: principal, on_behalf_of: None },
        };
        // In an `any` step a proxy who is also asked in their own right
        // decides once: one pending item per person per step.
        if !assignments.iter().any(|a| a.assignee == assignment.assignee) {
            assignments.push(assignment);
        }
    }
    Ok(Some(PlannedStep {
        index,
        name: def.name.clone(),
        kind: def.kind,
        mode: def.mode,
        assignments,
        due_at: def.sla_minutes.map(|m| ctx.now + Duration::minutes(i64::from(m))),
        on_sla: def.on_sla,
        notes,
    }))
}

/// Appends the people not already listed, keeping first order.
fn push_new(list: &mut Vec<UserId>, people: Vec<UserId>) {
    for person in people {
        if !list.contains(&person) {
            list.push(person);
        }
    }
}

struct Resolver<'a> {
    org: &'a dyn OrgView,
    ctx: &'a PlanContext<'a>,
}

impl Resolver<'_> {
    fn is_active(&self, id: UserId) -> bool {
        self.org.user(id).is_some_and(|u| u.active)
    }

    fn applicant_department(&self) -> Option<DeptId> {
        self.org.user(self.ctx.applicant).and_then(|u| u.department_id)
    }

    /// The active users a rule names, before any fallback.
    fn rule(&self, rule: &ApproverRule) -> Vec<UserId> {
        let named = match rule {
            ApproverRule::Users { ids } => ids.clone(),
            ApproverRule::Role { code } => self.org.users_with_role(code),
            ApproverRule::DepartmentHead { levels_up } => {
                self.department_up(*levels_up).filter(|d| d.active).and_then(|d| d.head_id).into_iter().collect()
            }
            ApproverRule::Manager => self.org.user(self.ctx.applicant).and_then(|u| u.manager_id).into_iter().collect(),
            ApproverRule::FormField { key } => {
                self.ctx.form.get(key).and_then(serde_json::Value::as_i64).into_iter().collect()
            }
        };
        named.into_iter().filter(|id| self.is_active(*id)).collect()
    }

    /// The department `levels` above the applicant's own, if the tree is
    /// that deep.
    fn department_up(&self, levels: u8) -> Option<super::plan::OrgDepartment> {
        let mut dept = self.org.department(self.applicant_department()?)?;
        for _ in 0..levels {
            dept = self.org.department(dept.parent_id?)?;
        }
        Some(dept)
    }

    /// Where the search for a head starts when `rule` names nobody: above
    /// the department a head rule pointed at, else at the applicant's own.
    fn escalation_start(&self, rule: &ApproverRule) -> Option<DeptId> {
        match rule {
            ApproverRule::DepartmentHead { levels_up } => self.department_up(*levels_up).and_then(|d| d.parent_id),
            _ => self.applicant_department(),
        }
    }

    /// The first active head from `start` upward who is not the applicant,
    /// else the active admins other than the applicant. The flag says
    /// whether it came to the admins.
    fn head_above(&self, start: Option<DeptId>) -> (Vec<UserId>, bool) {
        let mut seen = HashSet::new();
        let mut current = start;
        while let Some(id) = current {
            if !seen.insert(id) || seen.len() > MAX_TREE_DEPTH {
                break;
            }
            let Some(dept) = self.org.department(id) else { break };
            if let Some(head) = dept.head_id.filter(|h| dept.active && *h != self.ctx.applicant && self.is_active(*h)) {
                return (vec![head], false);
            }
            current = dept.parent_id;
        }
        let mut admins = Vec::new();
        let eligible = self.org.admins().into_iter().filter(|a| *a != self.ctx.applicant && self.is_active(*a));
        push_new(&mut admins, eligible.collect());
        (admins, true)
    }

    /// The proxy who takes `principal`'s place now, if one may: never the
    /// applicant, never someone deactivated.
    fn proxy_for(&self, principal: UserId) -> Option<UserId> {
        self.org
            .active_proxy(principal, self.ctx.template_code, self.ctx.now)
            .filter(|p| *p != principal && *p != self.ctx.applicant && self.is_active(*p))
    }
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
