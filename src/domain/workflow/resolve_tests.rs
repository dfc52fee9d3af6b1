//! Chain resolution against a small organisation:
//!
//! ```text
//! 1 Company (head 100)
//! └─ 2 Engineering (head 20)
//!    └─ 3 Backend (head 30)      staff 40 (manager 30), 31
//!       └─ 4 Platform (no head)  staff 41 (manager 99, deactivated)
//! ```
//! Role `finance` is 50 (51 is deactivated); 60 is the admin; 99 is
//! deactivated.

use std::collections::HashMap;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;

use super::super::chain::tests::step;
use super::super::chain::{ApproverRule, ChainDef, SelfApproval, SlaAction, StepKind, StepMode};
use super::super::form::tests::field;
use super::super::form::{FieldType, FormData, FormSchema};
use super::super::plan::{Assignment, OrgDepartment, OrgUser, OrgView, PlanContext, PlanError, PlanNote};
use super::super::{DeptId, UserId};
use super::*;

struct Proxy {
    principal: UserId,
    proxy: UserId,
    scope: Option<&'static str>,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
}

struct FakeOrg {
    users: HashMap<UserId, OrgUser>,
    departments: HashMap<DeptId, OrgDepartment>,
    roles: HashMap<&'static str, Vec<UserId>>,
    admins: Vec<UserId>,
    proxies: Vec<Proxy>,
}

impl OrgView for FakeOrg {
    fn user(&self, id: UserId) -> Option<OrgUser> {
        self.users.get(&id).cloned()
    }
    fn department(&self, id: DeptId) -> Option<OrgDepartment> {
        self.departments.get(&id).cloned()
    }
    fn users_with_role(&self, role_code: &str) -> Vec<UserId> {
        let holders = self.roles.get(role_code).cloned().unwrap_or_default();
        holders.into_iter().filter(|id| self.users[id].active).collect()
    }
    fn admins(&self) -> Vec<UserId> {
        self.admins.clone()
    }
    fn active_proxy(&self, principal: UserId, template_code: &str, at: DateTime<Utc>) -> Option<UserId> {
        self.proxies
            .iter()
            .find(|p| {
                p.principal == principal && p.from <= at && at < p.until && p.scope.is_none_or(|s| s == template_code)
            })
            .map(|p| p.proxy)
    }
}

fn day(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, 9, 0, 0).unwrap()
}

fn org() -> FakeOrg {
    let mut users = HashMap::new();
    let mut user = |id, dept, manager, active| {
        users.insert(id, OrgUser { id, active, department_id: dept, manager_id: manager });
    };
    user(100, Some(1), None, true);
    user(20, Some(2), Some(100), true);
    user(30, Some(3), Some(20), true);
    user(31, Some(3), Some(30), true);
    user(40, Some(3), Some(30), true);
    user(41, Some(4), Some(99), true);
    user(50, Some(1), None, true);
    user(51, Some(1), None, false);
    user(60, None, None, true);
    user(99, Some(3), None, false);
    let mut departments = HashMap::new();
    for (id, parent, head) in [(1, None, Some(100)), (2, Some(1), Some(20)), (3, Some(2), Some(30)), (4, Some(3), None)]
    {
        departments.insert(id, OrgDepartment { id, parent_id: parent, head_id: head, active: true });
    }
    let roles = HashMap::from([("finance", vec![50, 51]), ("legal", vec![51])]);
    FakeOrg { users, departments, roles, admins: vec![60], proxies: vec![] }
}

fn schema() -> FormSchema {
    FormSchema { fields: vec![field("amount", FieldType::Money), field("boss", FieldType::User)] }
}

/// Resolves a one-step chain for `applicant` and returns its assignees,
/// or `None` if the step was left out.
fn resolve_with(org: &FakeOrg, applicant: UserId, chain: &ChainDef, form: serde_json::Value) -> Option<PlannedStep> {
    let form: FormData = serde_json::from_value(form).unwrap();
    let schema = schema();
    let ctx = PlanContext { schema: &schema, form: &form, applicant, template_code: "leave", now: day(10) };
    resolve_step(chain, 0, &ctx, org).unwrap()
}

fn chain_of(rules: Vec<ApproverRule>, self_approval: SelfApproval) -> ChainDef {
    let mut only = step("Step", rules[0].clone());
    only.approvers = rules;
    ChainDef { steps: vec![only], self_approval, ..ChainDef::default() }
}

fn people(org: &FakeOrg, applicant: UserId, rules: Vec<ApproverRule>) -> Vec<UserId> {
    people_with(org, applicant, rules, SelfApproval::Skip, json!({}))
}

fn people_with(
    org: &FakeOrg,
    applicant: UserId,
    rules: Vec<ApproverRule>,
    policy: SelfApproval,
    form: serde_json::Value,
) -> Vec<UserId> {
    let step = resolve_with(org, applicant, &chain_of(rules, policy), form);
    step.map(|s| s.assignments.iter().map(|a| a.assignee).collect()).unwrap_or_default()
}

fn head(levels_up: u8) -> ApproverRule {
    ApproverRule::DepartmentHead { levels_up }
}

#[test]
fn heads_n_levels_up() {
    let org = org();
    assert_eq!(people(&org, 40, vec![head(0)]), vec![30]);
    assert_eq!(people(&org, 40, vec![head(1)]), vec![20]);
    assert_eq!(people(&org, 40, vec![head(2)]), vec![100]);
    let beyond_the_top = resolve_with(&org, 40, &chain_of(vec![head(3)], SelfApproval::Skip), json!({})).unwrap();
    assert_eq!(beyond_the_top.assignments, vec![Assignment { assignee: 60, on_behalf_of: None }]);
    assert_eq!(beyond_the_top.notes, vec![PlanNote::Escalated { rule: 0, to: vec![60], to_admins: true }]);
    assert!(beyond_the_top.escalated());
}

#[test]
fn manager_role_users_and_form_field() {
    let org = org();
    assert_eq!(people(&org, 40, vec![ApproverRule::Manager]), vec![30]);
    assert_eq!(people(&org, 40, vec![ApproverRule::Role { code: "finance".into() }]), vec![50]);
    assert_eq!(people(&org, 40, vec![ApproverRule::Users { ids: vec![50, 99, 20] }]), vec![50, 20]);
    let boss = vec![ApproverRule::FormField { key: "boss".into() }];
    assert_eq!(people_with(&org, 40, boss.clone(), SelfApproval::Skip, json!({"boss": 20})), vec![20]);
    // Left blank or naming a deactivated user: the head of the applicant's department.
    assert_eq!(people_with(&org, 40, boss.clone(), SelfApproval::Skip, json!({})), vec![30]);
    assert_eq!(people_with(&org, 40, boss, SelfApproval::Skip, json!({"boss": 99})), vec![30]);
}

#[test]
fn rules_naming_nobody_climb_to_the_next_head() {
    let org = org();
    // 41's manager is deactivated and Platform has no head: Backend's head.
    let step = resolve_with(&org, 41, &chain_of(vec![ApproverRule::Manager], SelfApproval::Skip), json!({})).unwrap();
    assert_eq!(step.assignments[0].assignee, 30);
    assert_eq!(step.notes, vec![PlanNote::Escalated { rule: 0, to: vec![30], to_admins: false }]);
    assert_eq!(people(&org, 41, vec![head(0)]), vec![30]);
    assert_eq!(people(&org, 40, vec![ApproverRule::Role { code: "legal".into() }]), vec![30]);
    assert_eq!(people(&org, 40, vec![ApproverRule::Role { code: "nobody".into() }]), vec![30]);
    assert_eq!(people(&org, 40, vec![ApproverRule::Users { ids: vec![99] }]), vec![30]);
}

#[test]
fn deactivated_heads_and_departments_are_passed_over() {
    let mut org = org();
    org.departments.get_mut(&2).unwrap().head_id = Some(99);
    assert_eq!(people(&org, 40, vec![head(1)]), vec![100]);
    org.departments.get_mut(&3).unwrap().active = false;
    assert_eq!(people(&org, 40, vec![head(0)]), vec![100]);
    // With no head anywhere, the admins; without admins, no plan at all.
    for dept in org.departments.values_mut() {
        dept.head_id = None;
    }
    assert_eq!(people(&org, 40, vec![ApproverRule::Manager, head(0)]), vec![30, 60]);
    org.admins = vec![99, 40];
    let chain = chain_of(vec![head(0)], SelfApproval::Skip);
    let form = FormData::new();
    let schema = schema();
    let ctx = PlanContext { schema: &schema, form: &form, applicant: 40, template_code: "leave", now: day(10) };
    assert_eq!(resolve_step(&chain, 0, &ctx, &org), Err(PlanError::NoApprover { step: 0 }));
    assert_eq!(PlanError::NoApprover { step: 0 }.code(), "no_approver");
}

#[test]
fn a_loop_in_the_tree_ends_at_the_admins() {
    let mut org = org();
    org.departments.get_mut(&1).unwrap().parent_id = Some(4);
    for dept in org.departments.values_mut() {
        dept.head_id = None;
    }
    assert_eq!(people(&org, 40, vec![head(0)]), vec![60]);
}

#[test]
fn repeats_collapse_in_first_order() {
    let org = org();
    let rules = vec![
        ApproverRule::Manager,
        head(0),
        ApproverRule::Users { ids: vec![50, 30, 20] },
        ApproverRule::Role { code: "finance".into() },
    ];
    assert_eq!(people(&org, 40, rules), vec![30, 50, 20]);
}

#[test]
fn self_approval_skip() {
    let org = org();
    // 30 heads Backend: asked alone, the step is skipped; with others, left out.
    let lone = resolve_with(&org, 30, &chain_of(vec![head(0)], SelfApproval::Skip), json!({}));
    assert_eq!(lone, None);
    let step = resolve_with(&org, 30, &chain_of(vec![head(0), head(1)], SelfApproval::Skip), json!({})).unwrap();
    assert_eq!(step.assignments.iter().map(|a| a.assignee).collect::<Vec<_>>(), vec![20]);
    assert_eq!(step.notes, vec![PlanNote::ApplicantSkipped]);
}

#[test]
fn self_approval_pass_up() {
    let org = org();
    let step = resolve_with(&org, 30, &chain_of(vec![head(0)], SelfApproval::PassUp), json!({})).unwrap();
    assert_eq!(step.assignments[0].assignee, 20);
    assert_eq!(step.notes, vec![PlanNote::PassedUp { to: vec![20] }]);
    // The replacement keeps the applicant's place and does not repeat.
    let rules = vec![ApproverRule::Users { ids: vec![50, 30, 20] }];
    assert_eq!(people_with(&org, 30, rules, SelfApproval::PassUp, json!({})), vec![50, 20]);
    // At the top of the tree: the admins.
    assert_eq!(people_with(&org, 100, vec![head(0)], SelfApproval::PassUp, json!({})), vec![60]);
}

#[test]
fn proxies_apply_within_their_window_and_scope() {
    let mut org = org();
    org.proxies.push(Proxy { principal: 30, proxy: 31, scope: None, from: day(5), until: day(12) });
    org.proxies.push(Proxy { principal: 20, proxy: 31, scope: Some("expense"), from: day(1), until: day(30) });
    org.proxies.push(Proxy { principal: 100, proxy: 50, scope: Some("leave"), from: day(11), until: day(20) });
    let step = resolve_with(&org, 40, &chain_of(vec![head(0), head(1), head(2)], SelfApproval::Skip), json!({}));
    let step = step.unwrap();
    assert_eq!(
        step.assignments,
        vec![
            Assignment { assignee: 31, on_behalf_of: Some(30) },
            Assignment { assignee: 20, on_behalf_of: None },
            Assignment { assignee: 100, on_behalf_of: None },
        ]
    );
    assert_eq!(step.notes, vec![PlanNote::Proxied { principal: 30, proxy: 31 }]);
    // Out of the window: the principal again.
    org.proxies[0].until = day(10);
    assert_eq!(people(&org, 40, vec![head(0)]), vec![30]);
    org.proxies[0].until = day(12);
    // The applicant never becomes a proxy approver; a deactivated proxy is ignored.
    assert_eq!(people(&org, 31, vec![head(0)]), vec![30]);
    org.proxies[0].proxy = 99;
    assert_eq!(people(&org, 40, vec![head(0)]), vec![30]);
}

#[test]
fn a_proxy_already_asked_acts_once() {
    let mut org = org();
    org.proxies.push(Proxy { principal: 30, proxy: 20, scope: None, from: day(1), until: day(30) });
    let step = resolve_with(&org, 40, &chain_of(vec![head(1), head(0)], SelfApproval::Skip), json!({})).unwrap();
    assert_eq!(step.assignments, vec![Assignment { assignee: 20, on_behalf_of: None }]);
}

#[test]
fn plans_a_whole_chain() {
    let org = org();
    let mut big = step("Finance", ApproverRule::Role { code: "finance".into() });
    (big.condition, big.mode, big.kind) = (Some("amount > 10000".into()), StepMode::All, StepKind::Confirm);
    (big.sla_minutes, big.on_sla) = (Some(90), SlaAction::Escalate);
    let chain = ChainDef { steps: vec![step("Lead", head(0)), big], ..ChainDef::default() };
    let schema = schema();
    let plan_for = |amount: &str| {
        let form: FormData = serde_json::from_value(json!({ "amount": amount })).unwrap();
        let ctx = PlanContext { schema: &schema, form: &form, applicant: 40, template_code: "leave", now: day(10) };
        plan(&chain, &ctx, &org).unwrap()
    };
    let small = plan_for("10000.00");
    assert_eq!(small.steps.len(), 1);
    assert_eq!(small.steps[0].due_at, None);
    let large = plan_for("10000.01");
    assert_eq!(large.steps.len(), 2);
    let finance = &large.steps[1];
    assert_eq!((finance.index, finance.kind, finance.mode), (1, StepKind::Confirm, StepMode::All));
    assert_eq!(finance.due_at, Some(day(10) + chrono::Duration::minutes(90)));
    assert_eq!(large.position_from(1), Some(1));
    assert_eq!(small.position_from(1), None);
    let empty = FormData::new();
    let ctx = PlanContext { schema: &schema, form: &empty, applicant: 40, template_code: "leave", now: day(10) };
    assert!(plan(&ChainDef::default(), &ctx, &org).unwrap().steps.is_empty());
}

#[test]
fn broken_conditions_and_missing_steps_are_errors() {
    let org = org();
    let mut bad = step("Bad", head(0));
    bad.condition = Some("amout > 1".into());
    let chain = ChainDef { steps: vec![bad], ..ChainDef::default() };
    let (schema, form) = (schema(), FormData::new());
    let ctx = PlanContext { schema: &schema, form: &form, applicant: 40, template_code: "leave", now: day(10) };
    let error = plan(&chain, &ctx, &org).unwrap_err();
    assert_eq!(error.code(), "bad_condition");
    assert_eq!(error.to_string(), "step 1: condition: unknown field \"amout\" at 0");
    assert_eq!(resolve_step(&chain, 5, &ctx, &org).unwrap_err().code(), "no_such_step");
}
