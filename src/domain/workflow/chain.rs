//! The approval chain of a template, as an admin defines it, and the checks
//! it must pass before the template version is saved.
//!
//! - [`ChainDef`] / [`StepDef`] / [`ApproverRule`]: ordered steps, each with
//!   a kind, a mode, who approves, an optional condition and an SLA.
//! - [`ChainDef::validate`]: every problem at once, as [`ChainError`]s.
//!
//! Turning a chain into the people who approve one ticket is `resolve`.

use serde::{Deserialize, Serialize};

use super::UserId;
use super::condition::Condition;
use super::form::{FieldType, FormSchema};

/// A template's approval chain. No step at all means auto-approved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainDef {
    pub steps: Vec<StepDef>,
    #[serde(default)]
    pub on_return: ReturnPolicy,
    #[serde(default)]
    pub self_approval: SelfApproval,
}

/// Where a returned ticket starts again once the applicant resubmits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnPolicy {
    /// From the first step: earlier approvals are asked again.
    #[default]
    RestartChain,
    /// From the step that returned it: earlier approvals stand.
    BackToReturningStep,
}

/// What happens when a step would ask the applicant to approve their own
/// ticket.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SelfApproval {
    /// Leave the applicant out; a step left with nobody is skipped.
    #[default]
    Skip,
    /// Ask the next head up from the applicant's department instead.
    PassUp,
}

/// One step of a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDef {
    pub name: String,
    pub kind: StepKind,
    #[serde(default)]
    pub mode: StepMode,
    /// Everyone these rules name is asked; repeats collapse.
    pub approvers: Vec<ApproverRule>,
    /// A condition on form fields; the step is left out when it is false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla_minutes: Option<u32>,
    #[serde(default)]
    pub on_sla: SlaAction,
}

/// Whether approvers approve (and may return or reject) or confirm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Approve,
    Confirm,
}

/// How many of a step's approvers must agree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepMode {
    /// One approver decides; the others' items are cancelled.
    #[default]
    Any,
    /// Countersign: every approver must approve.
    All,
}

/// What happens when a step's SLA runs out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaAction {
    #[default]
    Remind,
    /// Hand the step to the next head up.
    Escalate,
    AlarmAdmins,
}

/// Who approves a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ApproverRule {
    /// Named users.
    Users {
        #[serde(deserialize_with = "super::ids::user_ids")]
        ids: Vec<UserId>,
    },
    /// Every active holder of a role.
    Role { code: String },
    /// The head of the applicant's department, `levels_up` levels above it
    /// (0 is the applicant's own department).
    DepartmentHead { levels_up: u8 },
    /// The applicant's manager.
    Manager,
    /// The user picked in a form field of type `user`.
    FormField { key: String },
}

/// One problem of a chain definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainError {
    /// Index of the step in `ChainDef::steps`.
    pub step: usize,
    /// Stable snake_case code the UI translates.
    pub code: &'static str,
    pub message: String,
    /// For `bad_condition`: the character offset in the condition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
}

impl std::fmt::Display for ChainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "step {}: {}", self.step + 1, self.message)
    }
}

impl ChainDef {
    /// Every problem of the chain against the template's form schema.
    /// Codes: `empty_name`, `no_approvers`, `empty_user_list`, `empty_role`,
    /// `unknown_field`, `not_a_user_field`, `bad_condition`, `bad_sla`.
    pub fn validate(&self, schema: &FormSchema) -> Result<(), Vec<ChainError>> {
        let mut errors = Vec::new();
        for (step, def) in self.steps.iter().enumerate() {
            let mut err = |code, message: String, position| errors.push(ChainError { step, code, message, position });
            if def.name.trim().is_empty() {
                err("empty_name", "a step needs a name".into(), None);
            }
            if def.approvers.is_empty() {
                err("no_approvers", format!("step \"{}\" names no approvers", def.name), None);
            }
            for rule in &def.approvers {
                match rule {
                    ApproverRule::Users { ids } if ids.is_empty() => {
                        err("empty_user_list", "a user rule lists no users".into(), None);
                    }
                    ApproverRule::Role { code } if code.trim().is_empty() => {
                        err("empty_role", "a role rule names no role".into(), None);
                    }
                    ApproverRule::FormField { key } => match schema.field(key) {
                        None => err("unknown_field", format!("the form has no field \"{key}\""), None),
                        Some(field) if field.field_type != FieldType::User => err(
                            "not_a_user_field",
                            format!("field \"{key}\" is {}, not a user", field.field_type.as_str()),
                            None,
                        ),
                        Some(_) => {}
                    },
                    _ => {}
                }
            }
            if let Some(source) = &def.condition
                && let Err(e) = Condition::parse(source, schema)
            {
                err("bad_condition", format!("condition: {e}"), Some(e.position));
            }
            if def.sla_minutes == Some(0) {
                err("bad_sla", "an SLA must be at least one minute".into(), None);
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::form::tests::field;
    use super::*;

    /// A one-rule APPROVE step in ANY mode.
    pub fn step(name: &str, rule: ApproverRule) -> StepDef {
        StepDef {
            name: name.into(),
            kind: StepKind::Approve,
            mode: StepMode::Any,
            approvers: vec![rule],
            condition: None,
            sla_minutes: None,
            on_sla: SlaAction::Remind,
        }
    }

    fn schema() -> FormSchema {
        FormSchema {
            fields: vec![
                field("amount", FieldType::Money),
                field("boss", FieldType::User),
                field("days", FieldType::Number),
            ],
        }
    }

    #[test]
    fn an_empty_chain_is_valid() {
        assert_eq!(ChainDef::default().validate(&schema()), Ok(()));
    }

    #[test]
    fn a_good_chain_passes_and_reads_from_json() {
        let json = serde_json::json!({
            "steps": [
                {"name": "Lead", "kind": "approve", "approvers": [{"type": "department_head", "levels_up": 0}]},
                {"name": "Finance", "kind": "approve", "mode": "all", "condition": "amount > 10000",
                 "approvers": [{"type": "role", "code": "finance"}, {"type": "form_field", "key": "boss"}],
                 "sla_minutes": 60, "on_sla": "escalate"},
                {"name": "HR", "kind": "confirm", "approvers": [{"type": "manager"}, {"type": "users", "ids": [4]}]}
            ],
            "on_return": "back_to_returning_step",
            "self_approval": "pass_up"
        });
        let chain: ChainDef = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(chain.steps[1].mode, StepMode::All);
        assert_eq!(chain.steps[0].on_sla, SlaAction::Remind);
        assert_eq!(chain.validate(&schema()), Ok(()));
        let again: ChainDef = serde_json::from_value(serde_json::to_value(&chain).unwrap()).unwrap();
        assert_eq!(again, chain);
    }

    #[test]
    fn reports_every_problem_with_its_step() {
        let mut nobody = step(" ", ApproverRule::Manager);
        nobody.approvers.clear();
        let mut bad_rules = step("Rules", ApproverRule::Users { ids: vec![] });
        bad_rules.approvers.extend([
            ApproverRule::Role { code: "".into() },
            ApproverRule::FormField { key: "bos".into() },
            ApproverRule::FormField { key: "days".into() },
        ]);
        let mut bad_condition = step("Cond", ApproverRule::Manager);
        bad_condition.condition = Some("days > 1 and amout > 5".into());
        bad_condition.sla_minutes = Some(0);
        let chain = ChainDef { steps: vec![nobody, bad_rules, bad_condition], ..ChainDef::default() };
        let errors = chain.validate(&schema()).unwrap_err();
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.step, e.code)).collect();
        assert_eq!(
            found,
            vec![
                (0, "empty_name"),
                (0, "no_approvers"),
                (1, "empty_user_list"),
                (1, "empty_role"),
                (1, "unknown_field"),
                (1, "not_a_user_field"),
                (2, "bad_condition"),
                (2, "bad_sla"),
            ]
        );
        let condition = &errors[6];
        assert_eq!(condition.position, Some(13));
        assert_eq!(condition.message, "condition: unknown field \"amout\" at 13");
        assert_eq!(condition.to_string(), "step 3: condition: unknown field \"amout\" at 13");
    }
}
