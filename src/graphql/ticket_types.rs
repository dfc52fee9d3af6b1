//! GraphQL types of the workflow: tickets with their chain, items and
//! timeline; approval items; events; templates and their forms.

use async_graphql::{Context, ID, Json, Object, SimpleObject, dataloader::DataLoader};
use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio::sync::OnceCell;

use super::{
    context::{actor, store},
    enums::{self, parse_stored},
    loaders::{DepartmentLoader, TemplateLoader, TicketLoader, UserLoader},
    types::{DepartmentNode, UserNode},
};
use crate::{
    domain::workflow::{self, FieldDef, TicketState},
    error::{Error, Result},
    service::catalog::Catalog,
    store::{
        templates::{Template, TemplateVersion},
        tickets::{Ticket, TicketEvent, TicketItem},
    },
};

async fn user(ctx: &Context<'_>, id: Option<i64>) -> async_graphql::Result<Option<UserNode>> {
    let Some(id) = id else { return Ok(None) };
    Ok(ctx.data_unchecked::<DataLoader<UserLoader>>().load_one(id).await?.map(UserNode))
}

fn id(v: i64) -> ID {
    ID(v.to_string())
}

/// A ticket (申请人工单) with its form, chain and timeline.
pub struct TicketNode {
    pub row: Ticket,
    /// Items and events are read once per ticket however many fields
    /// (`steps`, `items`, `myPendingItems`, `timeline`, `comments`) need them.
    items: OnceCell<Vec<TicketItem>>,
    events: OnceCell<Vec<TicketEvent>>,
}

impl TicketNode {
    pub fn new(row: Ticket) -> Self {
        Self { row, items: OnceCell::new(), events: OnceCell::new() }
    }

    async fn load_items(&self, ctx: &Context<'_>) -> Result<&Vec<TicketItem>> {
        self.items.get_or_try_init(|| store(ctx).ticket_items(self.row.id)).await
    }

    async fn load_events(&self, ctx: &Context<'_>) -> Result<&Vec<TicketEvent>> {
        self.events.get_or_try_init(|| store(ctx).ticket_events(self.row.id)).await
    }

    fn state(&self) -> Result<TicketState> {
        serde_json::from_str(&self.row.state)
            .map_err(|e| Error::internal(anyhow::anyhow!("ticket {}: {e}", self.row.id)))
    }
}

#[Object(name = "Ticket")]
impl TicketNode {
    async fn id(&self) -> ID {
        id(self.row.id)
    }
    /// Human number, e.g. `LEAVE-20261122-0001`.
    async fn number(&self) -> &str {
        &self.row.number
    }
    async fn title(&self) -> &str {
        &self.row.title
    }
    async fn status(&self) -> Result<enums::TicketStatus> {
        Ok(parse_stored::<workflow::TicketStatus>(&self.row.status)?.into())
    }
    /// Set once the ticket is DONE.
    async fn result(&self) -> Result<Option<enums::TicketResult>> {
        self.row.result.as_deref().map(|r| parse_stored::<workflow::TicketResult>(r).map(Into::into)).transpose()
    }
    /// 1, plus one per resubmission.
    async fn round(&self) -> i32 {
        self.row.round
    }
    async fn template_code(&self) -> &str {
        &self.row.template_code
    }
    async fn template(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<TemplateNode>> {
        Ok(ctx.data_unchecked::<DataLoader<TemplateLoader>>().load_one(self.row.template_id).await?.map(TemplateNode))
    }
    /// The template version the ticket was filed under; it keeps it.
    async fn template_version(&self, ctx: &Context<'_>) -> Result<i32> {
        // Versions are immutable: the catalog has them cached.
        Ok(ctx.data_unchecked::<std::sync::Arc<Catalog>>().version(self.row.template_version_id).await?.version)
    }
    async fn applicant(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserNode>> {
        user(ctx, Some(self.row.applicant_id)).await
    }
    /// The applicant's department when the ticket was filed.
    async fn department(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<DepartmentNode>> {
        let Some(dept) = self.row.department_id else { return Ok(None) };
        Ok(ctx.data_unchecked::<DataLoader<DepartmentLoader>>().load_one(dept).await?.map(DepartmentNode))
    }
    /// The form as filed (or last resubmitted), normalized.
    async fn form(&self) -> Result<Json<Value>> {
        serde_json::from_str(&self.row.form).map(Json).map_err(Error::internal)
    }
    /// The steps of the current round, each with its items.
    async fn steps(&self, ctx: &Context<'_>) -> Result<Vec<TicketStep>> {
        let state = self.state()?;
        let rows = self.load_items(ctx).await?;
        Ok(state
            .plan
            .steps
            .iter()
            .enumerate()
            .map(|(position, step)| {
                let items: Vec<ItemNode> = rows
                    .iter()
                    .filter(|r| r.round as u32 == state.round && r.step as usize == position)
                    .cloned()
                    .map(ItemNode)
                    .collect();
                let closed = matches!(state.status, workflow::TicketStatus::Done | workflow::TicketStatus::Processing);
                let phase =
                    if state.current_step == Some(position) && state.status == workflow::TicketStatus::InApproval {
                        StepPhase::Open
                    } else if !items.is_empty() {
                        StepPhase::Decided
                    } else if closed {
                        StepPhase::NotReached
                    } else {
                        StepPhase::Waiting
                    };
                TicketStep {
                    position: position as i32,
                    name: step.name.clone(),
                    kind: step.kind.into(),
                    mode: step.mode.into(),
                    phase,
                    due_at: step.due_at,
                    items,
                }
            })
            .collect())
    }
    /// Every approval item of every round, in order.
    async fn items(&self, ctx: &Context<'_>) -> Result<Vec<ItemNode>> {
        Ok(self.load_items(ctx).await?.iter().cloned().map(ItemNode).collect())
    }
    /// Items waiting for the viewer (as approver or as a proxy's principal).
    async fn my_pending_items(&self, ctx: &Context<'_>) -> Result<Vec<ItemNode>> {
        let me = actor(ctx)?.user_id;
        Ok(self
            .load_items(ctx)
            .await?
            .iter()
            .filter(|i| i.status == "pending" && (i.assignee_id == me || i.on_behalf_of == Some(me)))
            .cloned()
            .map(ItemNode)
            .collect())
    }
    /// Every event, oldest first: the audit trail.
    async fn timeline(&self, ctx: &Context<'_>) -> Result<Vec<EventNode>> {
        Ok(self.load_events(ctx).await?.iter().cloned().map(EventNode).collect())
    }
    async fn comments(&self, ctx: &Context<'_>) -> Result<Vec<EventNode>> {
        Ok(self.load_events(ctx).await?.iter().filter(|e| e.kind == "commented").cloned().map(EventNode).collect())
    }
    /// The automation jobs, in task order: a PROCESSING ticket with a
    /// FAILED job is an exception (执行异常) waiting for an administrator.
    async fn jobs(&self, ctx: &Context<'_>) -> Result<Vec<super::jobs::JobNode>> {
        super::jobs::ticket_jobs(ctx, &self.row).await
    }
    /// The applicant's rating, once the ticket is done and rated.
    async fn rating(&self, ctx: &Context<'_>) -> Result<Option<TicketRating>> {
        let events = self.load_events(ctx).await?;
        Ok(events.iter().find(|e| e.kind == "rated").map(|e| {
            let payload: serde_json::Value = serde_json::from_str(&e.payload).unwrap_or_default();
            TicketRating {
                score: payload["score"].as_i64().unwrap_or_default() as i32,
                comment: payload["comment"].as_str().map(str::to_string),
                rated_at: e.created_at,
            }
        }))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }
    async fn done_at(&self) -> Option<DateTime<Utc>> {
        self.row.done_at
    }
    async fn last_urged_at(&self) -> Option<DateTime<Utc>> {
        self.row.last_urged_at
    }
}

#[derive(async_graphql::SimpleObject)]
/// How the applicant rated a finished ticket (满意度).
pub struct TicketRating {
    /// 1 (poor) to 5 (excellent).
    pub score: i32,
    pub comment: Option<String>,
    pub rated_at: DateTime<Utc>,
}

#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
/// Where a step of the current round stands.
pub enum StepPhase {
    /// Not opened yet.
    Waiting,
    /// Its approvers are deciding now.
    Open,
    /// Its items were decided (or cancelled by a decision elsewhere).
    Decided,
    /// The ticket ended before this step.
    NotReached,
}

/// A step of the current round's resolved chain.
#[derive(SimpleObject)]
pub struct TicketStep {
    /// Position in this round's chain (steps whose condition is false are left out).
    pub position: i32,
    pub name: String,
    pub kind: enums::StepKind,
    pub mode: enums::StepMode,
    pub phase: StepPhase,
    pub due_at: Option<DateTime<Utc>>,
    pub items: Vec<ItemNode>,
}

/// An approval item (审批人子工单): one approver's part in one step.
pub struct ItemNode(pub TicketItem);

#[Object(name = "ApprovalItem")]
impl ItemNode {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn ticket(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<TicketNode>> {
        Ok(ctx.data_unchecked::<DataLoader<TicketLoader>>().load_one(self.0.ticket_id).await?.map(TicketNode::new))
    }
    async fn round(&self) -> i32 {
        self.0.round
    }
    async fn step_name(&self) -> &str {
        &self.0.step_name
    }
    async fn kind(&self) -> Result<enums::StepKind> {
        Ok(parse_stored::<workflow::StepKind>(&self.0.kind)?.into())
    }
    async fn status(&self) -> Result<enums::ItemStatus> {
        Ok(parse_stored::<workflow::ItemStatus>(&self.0.status)?.into())
    }
    /// Who is asked; a proxy when `onBehalfOf` is set.
    async fn assignee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserNode>> {
        user(ctx, Some(self.0.assignee_id)).await
    }
    /// The principal a proxy acts for.
    async fn on_behalf_of(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserNode>> {
        user(ctx, self.0.on_behalf_of).await
    }
    async fn decided_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserNode>> {
        user(ctx, self.0.decided_by).await
    }
    /// Why it was returned or rejected.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    async fn due_at(&self) -> Option<DateTime<Utc>> {
        self.0.due_at
    }
    /// Pending past its SLA.
    async fn overdue(&self) -> bool {
        self.0.status == "pending" && self.0.due_at.is_some_and(|d| d < Utc::now())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
}

/// One entry of a ticket's timeline.
pub struct EventNode(pub TicketEvent);

#[Object(name = "TicketEvent")]
impl EventNode {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// `submitted`, `approved`, `confirmed`, `returned`, `rejected`, `withdrawn`,
    /// `resubmitted`, `transferred`, `approver_added`, `commented`, `urged`,
    /// `processing_finished`.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserNode>> {
        user(ctx, self.0.actor_id).await
    }
    /// The principal when a proxy acted.
    async fn on_behalf_of(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserNode>> {
        user(ctx, self.0.on_behalf_of).await
    }
    async fn status_before(&self) -> Result<Option<enums::TicketStatus>> {
        self.0.status_before.as_deref().map(|s| parse_stored::<workflow::TicketStatus>(s).map(Into::into)).transpose()
    }
    async fn status_after(&self) -> Result<enums::TicketStatus> {
        Ok(parse_stored::<workflow::TicketStatus>(&self.0.status_after)?.into())
    }
    /// What changed: the state machine's changes, reasons, comments.
    async fn payload(&self) -> Result<Json<Value>> {
        serde_json::from_str(&self.0.payload).map(Json).map_err(Error::internal)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A ticket template (工单模板) and its current version.
pub struct TemplateNode(pub Template);

#[Object(name = "Template")]
impl TemplateNode {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn category(&self) -> &str {
        &self.0.category
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn current_version(&self) -> i32 {
        self.0.current_version
    }
    /// The current version's form, chain and automations.
    async fn current(&self, ctx: &Context<'_>) -> Result<Option<TemplateVersionNode>> {
        Ok(store(ctx).template_version_number(self.0.id, self.0.current_version).await?.map(TemplateVersionNode))
    }
    /// Every version, oldest first.
    async fn versions(&self, ctx: &Context<'_>) -> Result<Vec<TemplateVersionNode>> {
        Ok(store(ctx).template_versions(self.0.id).await?.into_iter().map(TemplateVersionNode).collect())
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// One immutable version of a template.
pub struct TemplateVersionNode(pub TemplateVersion);

#[Object(name = "TemplateVersion")]
impl TemplateVersionNode {
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The form's fields, in display order.
    async fn fields(&self) -> Result<Vec<FormField>> {
        let schema: workflow::FormSchema = serde_json::from_str(&self.0.form_schema).map_err(Error::internal)?;
        Ok(schema.fields.into_iter().map(FormField::from).collect())
    }
    async fn form_schema(&self) -> Result<Json<Value>> {
        serde_json::from_str(&self.0.form_schema).map(Json).map_err(Error::internal)
    }
    async fn chain(&self) -> Result<Json<Value>> {
        serde_json::from_str(&self.0.chain).map(Json).map_err(Error::internal)
    }
    async fn automations(&self) -> Result<Json<Value>> {
        serde_json::from_str(&self.0.automations).map(Json).map_err(Error::internal)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A field of a template's form, for rendering it.
#[derive(SimpleObject)]
pub struct FormField {
    pub key: String,
    pub label: String,
    #[graphql(name = "type")]
    pub field_type: enums::FieldType,
    pub required: bool,
    pub options: Vec<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub help: Option<String>,
}

impl From<FieldDef> for FormField {
    fn from(f: FieldDef) -> Self {
        Self {
            key: f.key,
            label: f.label,
            field_type: f.field_type.into(),
            required: f.required,
            options: f.options,
            min: f.min,
            max: f.max,
            help: f.help,
        }
    }
}
