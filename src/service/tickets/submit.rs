//! Filing a ticket and resubmitting a returned one: the form is checked
//! against the template version's schema (every field error at once, and
//! every user or department it names must exist), the chain is resolved for
//! this applicant and form, and the first step opens.

use chrono::Utc;
use serde_json::{Value, json};

use super::{
    Outcome, Workflow,
    persist::{dump, hearers, item_write, item_writes, load_state, receipt, refused, tags},
};
use crate::{
    domain::{
        access::{Actor, Permission},
        workflow::{Command, FormData, FormSchema, PlanContext, PlanError, TicketState, plan},
    },
    error::{Error, FieldIssue, Result},
    service::input::{RawId, free_text, parse_id},
    store::{
        orgview::OrgSnapshot,
        tickets::{EventWrite, NewTicket, TicketUpdate},
    },
};

#[derive(Debug)]
pub struct SubmitTicketInput {
    /// The template to file under (its current version).
    pub template_code: String,
    /// Defaults to the template's name and the applicant's.
    pub title: Option<String>,
    /// Field key → value, as the template's form schema describes.
    pub form: Value,
    /// Makes the call idempotent: a retry with the same id returns the first result.
    pub client_mutation_id: Option<String>,
}

#[derive(Debug)]
pub struct ResubmitTicketInput {
    pub ticket_id: RawId,
    /// The edited form; the whole form, not a patch.
    pub form: Value,
    pub title: Option<String>,
    pub client_mutation_id: Option<String>,
}

/// Checks a form: shape and types per field, then the people and
/// departments it names.
pub fn check_form(schema: &FormSchema, value: &Value, org: &OrgSnapshot) -> Result<FormData> {
    let form = schema.validate(value).map_err(|errors| {
        Error::invalid_fields(
            errors
                .into_iter()
                .map(|e| FieldIssue::new(format!("form.{}", e.field).trim_end_matches('.'), e.code, e.message))
                .collect(),
        )
    })?;
    let mut issues = Vec::new();
    for field in &schema.fields {
        let Some(id) = form.get(&field.key).and_then(Value::as_i64) else { continue };
        use crate::domain::workflow::FieldType;
        let known = match field.field_type {
            FieldType::User => org.is_active_user(id),
            FieldType::Department => org.is_active_department(id),
            _ => true,
        };
        if !known {
            issues.push(FieldIssue::new(
                format!("form.{}", field.key),
                "invalid_reference",
                format!("nothing active has id {id}"),
            ));
        }
    }
    if issues.is_empty() { Ok(form) } else { Err(Error::invalid_fields(issues)) }
}

fn plan_error(err: PlanError) -> Error {
    // Conditions are checked when a template is saved, so a bad one here
    // means the organisation has nobody left to ask: tell the applicant.
    Error::invalid(err.code(), err.to_string())
}

fn title(raw: Option<&str>, default: impl FnOnce() -> String) -> Result<String> {
    match raw.map(str::trim) {
        Some(t) if t.is_empty() || t.chars().count() > 200 => {
            Err(Error::invalid_field("invalid_title", "title", "a title has 1 to 200 characters"))
        }
        Some(t) => {
            free_text("title", "invalid_title", t, false)?;
            Ok(t.to_string())
        }
        None => Ok(default()),
    }
}

impl Workflow {
    /// Files a ticket under the template's current version.
    pub async fn submit(&self, actor: &Actor, input: SubmitTicketInput) -> Result<Outcome> {
        actor.require(Permission::FileTickets)?;
        let args = json!({ "template": input.template_code, "title": input.title, "form": input.form });
        let receipt = receipt(actor, input.client_mutation_id.as_deref(), "submit", args)?;
        if let Some(outcome) = self.replay(&receipt).await? {
            return Ok(outcome);
        }
        let (template, version) = self.catalog.current(input.template_code.trim()).await?;
        if !template.active {
            return Err(Error::invalid_field(
                "template_inactive",
                "templateCode",
                "this template takes no new tickets",
            ));
        }
        let org = self.catalog.org().await?;
        let form = check_form(&version.schema, &input.form, &org)?;
        let applicant = self.store.user_required(actor.user_id).await?;
        let title = title(input.title.as_deref(), || format!("{} - {}", template.name, applicant.display_name))?;
        let now = Utc::now();
        let ctx = PlanContext {
            schema: &version.schema,
            form: &form,
            applicant: actor.user_id,
            template_code: &template.code,
            now,
        };
        let plan = plan(&version.chain, &ctx, &*org).map_err(plan_error)?;
        let (state, changes) =
            TicketState::submit(plan, actor.user_id, version.has_automations(), version.chain.on_return);

        let prefix = template.code.to_uppercase();
        let day = now.format("%Y%m%d").to_string();
        let number = format!("{prefix}-{day}-{:04}", self.next_number(&prefix, &day).await?);
        let items = state.items.iter().map(|i| item_write(&state, i, &version.chain, now)).collect();
        let empty = TicketState { items: Vec::new(), ..state.clone() };
        let new = NewTicket {
            number: number.clone(),
            template_id: template.id,
            template_version_id: version.id,
            template_code: template.code.clone(),
            title: title.clone(),
            applicant_id: actor.user_id,
            department_id: org.department_of(actor.user_id),
            status: state.status.as_str().into(),
            result: state.result.map(|r| r.as_str().into()),
            round: state.round as i32,
            form: dump(&form)?,
            state: dump(&state)?,
            done: state.is_done(),
            job: super::jobs::first_job(&version, None, state.status, &dump(&form)?, &number)?,
        };
        let mut event = EventWrite {
            kind: "submitted".into(),
            actor_id: Some(actor.user_id),
            on_behalf_of: None,
            status_before: None,
            status_after: state.status.as_str().into(),
            payload: json!({ "number": number, "title": title, "template_version": version.version, "changes": changes }),
            hearers: hearers(&empty, &state),
            tags: vec![format!("template:{}", template.code)],
            firing: None,
        };
        if let Some(dept) = new.department_id {
            event.tags.push(format!("dept:{dept}"));
        }
        event.tags.extend(new.job.as_ref().map(|j| format!("jobs:{}", j.kind)));
        match self.store.insert_ticket(new, items, event, receipt.clone()).await {
            Ok((ticket, _)) => Ok(Outcome { ticket, replayed: false }),
            Err(err) => self.replay_after(err, &receipt).await,
        }
    }

    /// Resubmits a returned ticket with an edited form: a new round, from the
    /// first step or from the step that returned it, as the template says.
    pub async fn resubmit(&self, actor: &Actor, input: ResubmitTicketInput) -> Result<Outcome> {
        let args = json!({ "ticket": input.ticket_id.as_str(), "title": input.title, "form": input.form });
        let receipt = receipt(actor, input.client_mutation_id.as_deref(), "resubmit", args)?;
        if let Some(outcome) = self.replay(&receipt).await? {
            return Ok(outcome);
        }
        let ticket = self.visible_ticket(actor, parse_id("ticketId", &input.ticket_id)?).await?;
        if ticket.applicant_id != actor.user_id {
            return Err(Error::denied("not_applicant", "only the applicant may resubmit a ticket"));
        }
        let version = self.catalog.version(ticket.template_version_id).await?;
        let org = self.catalog.org().await?;
        let form = check_form(&version.schema, &input.form, &org)?;
        let title = input.title.as_deref().map(|t| title(Some(t), String::new)).transpose()?;
        let now = Utc::now();
        let ctx = PlanContext {
            schema: &version.schema,
            form: &form,
            applicant: actor.user_id,
            template_code: &ticket.template_code,
            now,
        };
        let plan = plan(&version.chain, &ctx, &*org).map_err(plan_error)?;
        let before = load_state(&ticket)?;
        let mut state = before.clone();
        let changes = state.apply(Command::Resubmit { plan }, actor.user_id).map_err(refused)?;
        let new_form = dump(&form)?;
        let job = super::jobs::first_job(&version, Some(before.status), state.status, &new_form, &ticket.number)?;
        let mut tags = tags(&ticket);
        tags.extend(job.as_ref().map(|j| format!("jobs:{}", j.kind)));
        let update = TicketUpdate {
            status: state.status.as_str().into(),
            result: state.result.map(|r| r.as_str().into()),
            round: state.round as i32,
            state: dump(&state)?,
            form: Some(new_form),
            title: title.clone(),
            done: state.is_done(),
            urged: false,
            close_jobs: false,
            job,
        };
        let event = EventWrite {
            kind: "resubmitted".into(),
            actor_id: Some(actor.user_id),
            on_behalf_of: None,
            status_before: Some(before.status.as_str().into()),
            status_after: state.status.as_str().into(),
            payload: json!({ "round": state.round, "changes": changes }),
            hearers: hearers(&before, &state),
            tags,
            firing: None,
        };
        let items = item_writes(&before, &state, &version.chain, now);
        match self.store.save_transition(ticket.id, ticket.version, update.clone(), items, event, receipt.clone()).await
        {
            Ok(_) => Ok(Outcome { ticket: updated(ticket, &update, now), replayed: false }),
            Err(err) => self.replay_after(err, &receipt).await,
        }
    }
}

/// The ticket row as a saved transition left it, without reading it back.
pub fn updated(
    mut ticket: crate::store::tickets::Ticket,
    update: &TicketUpdate,
    now: chrono::DateTime<Utc>,
) -> crate::store::tickets::Ticket {
    ticket.status = update.status.clone();
    ticket.result = update.result.clone();
    ticket.round = update.round;
    ticket.state = update.state.clone();
    if let Some(form) = &update.form {
        ticket.form = form.clone();
    }
    if let Some(title) = &update.title {
        ticket.title = title.clone();
    }
    if update.done {
        ticket.done_at = Some(now);
    }
    if update.urged {
        ticket.last_urged_at = Some(now);
    }
    ticket.version += 1;
    ticket.updated_at = now;
    ticket
}
