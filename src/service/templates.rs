//! Saving templates. A template's form schema, approval chain and
//! automations are checked completely before anything is written; every
//! save after the first appends a new version.

use serde_json::Value;

use super::{catalog::Catalog, input::checked};
use crate::{
    domain::{
        access::{Actor, Permission},
        names::{Code, DisplayName},
        workflow::{ApproverRule, ChainDef, FormSchema},
    },
    error::{Error, FieldIssue, Result},
    store::{
        Store,
        templates::{Template, TemplateHeader, TemplateVersion, VersionContent},
    },
};

/// A template as an admin saves it. `form` is `{"fields": [...]}`, `chain`
/// is `{"steps": [...], "on_return": …, "self_approval": …}` (see the README).
#[derive(Debug)]
pub struct TemplateInput {
    /// Stable code, e.g. `leave`; ticket numbers start with it.
    pub code: String,
    pub name: String,
    pub category: String,
    pub description: Option<String>,
    pub form: Value,
    pub chain: Value,
    /// Automations run once the chain approves; an empty list means none.
    pub automations: Option<Value>,
}

struct Checked {
    code: String,
    header: TemplateHeader,
    content: VersionContent,
}

fn json_issue(field: &str, code: &'static str, err: serde_json::Error) -> Error {
    Error::invalid_field(code, field, format!("{field} does not have the expected shape: {err}"))
}

async fn check(store: &Store, catalog: &Catalog, input: TemplateInput) -> Result<Checked> {
    let mut issues = Vec::new();
    let mut keep = |r: Result<String>| match r {
        Ok(v) => Some(v),
        Err(e) => {
            issues.extend(e.fields().iter().cloned());
            None
        }
    };
    let code = keep(Code::parse("code", &input.code).map(Code::into_inner));
    let name = keep(DisplayName::parse("name", &input.name).map(DisplayName::into_inner));
    let category = keep(DisplayName::parse("category", &input.category).map(DisplayName::into_inner));
    let schema: FormSchema = serde_json::from_value(input.form).map_err(|e| json_issue("form", "invalid_form", e))?;
    if let Err(errors) = schema.validate_schema() {
        issues.extend(errors.into_iter().map(|e| FieldIssue::new(format!("form.{}", e.field), e.code, e.message)));
    }
    let chain: ChainDef = serde_json::from_value(input.chain).map_err(|e| json_issue("chain", "invalid_chain", e))?;
    if let Err(errors) = chain.validate(&schema) {
        issues.extend(errors.into_iter().map(|e| {
            let message = match e.position {
                Some(p) => format!("{} (at character {p})", e.message),
                None => e.message,
            };
            FieldIssue::new(format!("chain.steps[{}]", e.step), e.code, message)
        }));
    }
    // Rules that name people or roles must name real ones.
    let org = catalog.org().await?;
    for (i, step) in chain.steps.iter().enumerate() {
        for rule in &step.approvers {
            match rule {
                ApproverRule::Users { ids } => {
                    for id in ids.iter().filter(|id| !org.may_hold_items(**id)) {
                        let (code, message) = match org.is_active_user(*id) {
                            false => ("invalid_reference", format!("no active user has id {id}")),
                            true => ("bot_cannot_approve", format!("user {id} is a bot and cannot approve")),
                        };
                        issues.push(FieldIssue::new(format!("chain.steps[{i}]"), code, message));
                    }
                }
                ApproverRule::Role { code } if store.roles_by_codes(std::slice::from_ref(code)).await?.is_empty() => {
                    issues.push(FieldIssue::new(
                        format!("chain.steps[{i}]"),
                        "invalid_reference",
                        format!("there is no role {code:?}"),
                    ));
                }
                _ => {}
            }
        }
    }
    let automations = input.automations.unwrap_or_else(|| Value::Array(Vec::new()));
    match crate::domain::automation::parse_tasks(&automations) {
        Ok(tasks) => {
            for (i, task) in tasks.iter().enumerate() {
                if let crate::domain::automation::Executor::Webhook { url, .. } = &task.executor {
                    if reqwest::Url::parse(url).map_or(true, |u| u.host_str().is_none()) {
                        issues.push(FieldIssue::new(
                            format!("automations[{i}].url"),
                            "invalid_automations",
                            "a webhook's url is an http:// or https:// address with a host",
                        ));
                    }
                }
            }
        }
        Err(e) => {
            let field = e.index.map_or("automations".to_string(), |i| format!("automations[{i}]"));
            issues.push(FieldIssue::new(field, "invalid_automations", e.to_string()));
        }
    }
    if !issues.is_empty() {
        return Err(Error::invalid_fields(issues));
    }
    let (code, name, category) = (checked(code)?, checked(name)?, checked(category)?);
    Ok(Checked {
        code,
        header: TemplateHeader { name, category, description: input.description.unwrap_or_default() },
        content: VersionContent {
            form_schema: serde_json::to_string(&schema).map_err(Error::internal)?,
            chain: serde_json::to_string(&chain).map_err(Error::internal)?,
            automations: automations.to_string(),
        },
    })
}

/// Admin: a new template, version 1.
pub async fn create_template(
    store: &Store,
    catalog: &Catalog,
    actor: &Actor,
    input: TemplateInput,
) -> Result<(Template, TemplateVersion)> {
    actor.require(Permission::ManageTemplates)?;
    let checked = check(store, catalog, input).await?;
    if store.template_by_code(&checked.code).await?.is_some() {
        return Err(Error::invalid_field(
            "already_exists",
            "code",
            "a template with this code exists; update it instead",
        ));
    }
    store.insert_template(checked.code, checked.header, checked.content, actor.user_id).await
}

/// Admin: saves a new version of the template `input.code`; tickets filed
/// under earlier versions keep theirs.
pub async fn update_template(
    store: &Store,
    catalog: &Catalog,
    actor: &Actor,
    input: TemplateInput,
) -> Result<(Template, TemplateVersion)> {
    actor.require(Permission::ManageTemplates)?;
    let checked = check(store, catalog, input).await?;
    let current = store.template_by_code(&checked.code).await?.ok_or(Error::not_found("template"))?;
    store.insert_template_version(current, checked.header, checked.content, actor.user_id).await
}

/// Admin: an inactive template takes no new tickets; open ones go on.
pub async fn set_template_active(store: &Store, actor: &Actor, code: &str, active: bool) -> Result<Template> {
    actor.require(Permission::ManageTemplates)?;
    let current = store.template_by_code(code).await?.ok_or(Error::not_found("template"))?;
    if current.active == active {
        return Ok(current);
    }
    store.set_template_active(current, active).await
}
