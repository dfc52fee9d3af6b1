//! GraphQL input objects. Use cases take plain structs of their own
//! (`service::*::…Input`, ids as strings, [`Patch`] for nullable changes),
//! so no API type reaches them; these mirror them field by field and
//! convert at the edge.

use async_graphql::{ID, InputObject, Json, MaybeUndefined};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::service::{self, input::Patch};

fn patch<T, U>(value: MaybeUndefined<T>, map: impl FnOnce(T) -> U) -> Patch<U> {
    match value {
        MaybeUndefined::Undefined => Patch::Keep,
        MaybeUndefined::Null => Patch::Clear,
        MaybeUndefined::Value(v) => Patch::Set(map(v)),
    }
}

/// A new user. Bots get no password: they authenticate with API tokens.
#[derive(Debug, InputObject)]
pub struct CreateUserInput {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub wecom_user_id: Option<String>,
    pub department_id: Option<ID>,
    pub manager_id: Option<ID>,
    /// Role codes, e.g. `["staff", "hr"]`. Defaults to `["staff"]`.
    pub roles: Option<Vec<String>>,
    pub password: Option<String>,
}

impl From<CreateUserInput> for service::users::CreateUserInput {
    fn from(i: CreateUserInput) -> Self {
        Self {
            username: i.username,
            display_name: i.display_name,
            email: i.email,
            phone: i.phone,
            wecom_user_id: i.wecom_user_id,
            department_id: i.department_id.map(|v| v.0),
            manager_id: i.manager_id.map(|v| v.0),
            roles: i.roles,
            password: i.password,
        }
    }
}

/// Changes to a user; absent fields stay, `null` clears a nullable one.
#[derive(Debug, InputObject)]
pub struct UpdateUserInput {
    pub id: ID,
    pub display_name: Option<String>,
    pub email: MaybeUndefined<String>,
    pub phone: MaybeUndefined<String>,
    pub wecom_user_id: MaybeUndefined<String>,
    pub department_id: MaybeUndefined<ID>,
    pub manager_id: MaybeUndefined<ID>,
    pub roles: Option<Vec<String>>,
    /// Sets a new password and ends the user's sessions.
    pub password: Option<String>,
}

impl From<UpdateUserInput> for service::users::UpdateUserInput {
    fn from(i: UpdateUserInput) -> Self {
        Self {
            id: i.id.0,
            display_name: i.display_name,
            email: patch(i.email, |v| v),
            phone: patch(i.phone, |v| v),
            wecom_user_id: patch(i.wecom_user_id, |v| v),
            department_id: patch(i.department_id, |v| v.0),
            manager_id: patch(i.manager_id, |v| v.0),
            roles: i.roles,
            password: i.password,
        }
    }
}

#[derive(Debug, InputObject)]
pub struct CreateDepartmentInput {
    pub name: String,
    /// The parent department; none makes a top-level department.
    pub parent_id: Option<ID>,
    /// The user who heads it (approvals "head of department" go to them).
    pub head_id: Option<ID>,
}

impl From<CreateDepartmentInput> for service::departments::CreateDepartmentInput {
    fn from(i: CreateDepartmentInput) -> Self {
        Self { name: i.name, parent_id: i.parent_id.map(|v| v.0), head_id: i.head_id.map(|v| v.0) }
    }
}

#[derive(Debug, InputObject)]
pub struct UpdateDepartmentInput {
    pub id: ID,
    pub name: Option<String>,
    /// `null` makes it top-level.
    pub parent_id: MaybeUndefined<ID>,
    /// `null` leaves it without a head (approvals then go one level up).
    pub head_id: MaybeUndefined<ID>,
}

impl From<UpdateDepartmentInput> for service::departments::UpdateDepartmentInput {
    fn from(i: UpdateDepartmentInput) -> Self {
        Self { id: i.id.0, name: i.name, parent_id: patch(i.parent_id, |v| v.0), head_id: patch(i.head_id, |v| v.0) }
    }
}

#[derive(Debug, InputObject)]
pub struct CreateProxyInput {
    /// Whose approvals are handed over; defaults to the caller.
    pub principal_id: Option<ID>,
    /// Who approves in their place.
    pub proxy_id: ID,
    /// Only tickets of this template; none means every template.
    pub template_code: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl From<CreateProxyInput> for service::proxies::CreateProxyInput {
    fn from(i: CreateProxyInput) -> Self {
        Self {
            principal_id: i.principal_id.map(|v| v.0),
            proxy_id: i.proxy_id.0,
            template_code: i.template_code,
            starts_at: i.starts_at,
            ends_at: i.ends_at,
        }
    }
}

/// A template as an admin saves it. `form` is `{"fields": [...]}`, `chain`
/// is `{"steps": [...], "on_return": …, "self_approval": …}` (see the README).
#[derive(Debug, InputObject)]
pub struct TemplateInput {
    /// Stable code, e.g. `leave`; ticket numbers start with it.
    pub code: String,
    pub name: String,
    pub category: String,
    pub description: Option<String>,
    pub form: Json<Value>,
    pub chain: Json<Value>,
    /// Automations run once the chain approves; an empty list means none.
    pub automations: Option<Json<Value>>,
}

impl From<TemplateInput> for service::templates::TemplateInput {
    fn from(i: TemplateInput) -> Self {
        Self {
            code: i.code,
            name: i.name,
            category: i.category,
            description: i.description,
            form: i.form.0,
            chain: i.chain.0,
            automations: i.automations.map(|v| v.0),
        }
    }
}

#[derive(Debug, InputObject)]
pub struct SubmitTicketInput {
    /// The template to file under (its current version).
    pub template_code: String,
    /// Defaults to the template's name and the applicant's.
    pub title: Option<String>,
    /// Field key → value, as the template's form schema describes.
    pub form: Json<Value>,
    /// Makes the call idempotent: a retry with the same id returns the first result.
    pub client_mutation_id: Option<String>,
}

impl From<SubmitTicketInput> for service::tickets::submit::SubmitTicketInput {
    fn from(i: SubmitTicketInput) -> Self {
        Self {
            template_code: i.template_code,
            title: i.title,
            form: i.form.0,
            client_mutation_id: i.client_mutation_id,
        }
    }
}

#[derive(Debug, InputObject)]
pub struct ResubmitTicketInput {
    pub ticket_id: ID,
    /// The edited form; the whole form, not a patch.
    pub form: Json<Value>,
    pub title: Option<String>,
    pub client_mutation_id: Option<String>,
}

impl From<ResubmitTicketInput> for service::tickets::submit::ResubmitTicketInput {
    fn from(i: ResubmitTicketInput) -> Self {
        Self { ticket_id: i.ticket_id.0, form: i.form.0, title: i.title, client_mutation_id: i.client_mutation_id }
    }
}
