//! Queries and mutations of the workflow: templates (admins edit, everyone
//! reads), filing and acting on tickets, my tickets, my inbox.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject, connection::Connection};
use chrono::{DateTime, Utc};

use super::{
    connection::{PageArgs, connection},
    context::{actor, store},
    enums, inputs,
    ticket_types::{ItemNode, TemplateNode, TicketNode},
};
use crate::{
    config::Config,
    domain::{access::Permission, workflow},
    error::Result,
    service::{
        catalog::Catalog,
        input::{parse_id, search as search_input},
        templates,
        tickets::{Outcome, Workflow, act::ItemAction},
    },
    store::{templates::TemplateFilter, ticket_reads::TicketFilter},
};

fn engine<'a>(ctx: &'a Context<'_>) -> &'a Workflow {
    ctx.data_unchecked::<Arc<Workflow>>()
}

fn page_max(ctx: &Context<'_>) -> usize {
    ctx.data_unchecked::<Arc<Config>>().page_size_max
}

/// The result of a ticket mutation.
#[derive(SimpleObject)]
pub struct TicketPayload {
    pub ticket: TicketNode,
    /// Echoed back; a retry with the same id returns the first result.
    pub client_mutation_id: Option<String>,
    /// True when this answered a retry instead of acting again.
    pub replayed: bool,
}

fn payload(outcome: Outcome, client_mutation_id: Option<String>) -> TicketPayload {
    TicketPayload { ticket: TicketNode::new(outcome.ticket), client_mutation_id, replayed: outcome.replayed }
}

/// Pending and overdue counts of the viewer's inbox.
#[derive(SimpleObject)]
pub struct InboxCounts {
    pub pending: u64,
    pub overdue: u64,
}

fn status_filter(status: Option<enums::TicketStatus>) -> Option<String> {
    status.map(|s| workflow::TicketStatus::from(s).as_str().to_string())
}

fn result_filter(result: Option<enums::TicketResult>) -> Option<String> {
    result.map(|r| workflow::TicketResult::from(r).as_str().to_string())
}

#[derive(Default)]
pub struct WorkflowQuery;

#[Object]
impl WorkflowQuery {
    /// Templates to file tickets from.
    #[graphql(complexity = "first.unwrap_or(20).max(last.unwrap_or(0)) as usize * child_complexity")]
    #[allow(clippy::too_many_arguments)]
    async fn templates(
        &self,
        ctx: &Context<'_>,
        category: Option<String>,
        #[graphql(default = false)] include_inactive: bool,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<String, TemplateNode>> {
        let actor = actor(ctx)?;
        actor.require(Permission::ReadDirectory)?;
        if include_inactive {
            actor.require(Permission::ManageTemplates)?;
        }
        let keyset = PageArgs::new(first, after, last, before).keyset(page_max(ctx))?;
        let page = store(ctx).templates_page(&TemplateFilter { category, include_inactive }, &keyset).await?;
        Ok(connection(&keyset, page, |t| t.id, TemplateNode))
    }

    async fn template(&self, ctx: &Context<'_>, code: String) -> Result<Option<TemplateNode>> {
        actor(ctx)?.require(Permission::ReadDirectory)?;
        Ok(store(ctx).template_by_code(&code).await?.map(TemplateNode))
    }

    /// A ticket the viewer may see (else null).
    async fn ticket(&self, ctx: &Context<'_>, id: ID) -> Result<Option<TicketNode>> {
        let actor = actor(ctx)?;
        let Some(ticket) = store(ctx).ticket(parse_id("id", &id)?).await? else { return Ok(None) };
        Ok(engine(ctx).can_see(actor, &ticket).await?.then_some(TicketNode::new(ticket)))
    }

    async fn ticket_by_number(&self, ctx: &Context<'_>, number: String) -> Result<Option<TicketNode>> {
        let actor = actor(ctx)?;
        let Some(ticket) = store(ctx).ticket_by_number(number.trim()).await? else { return Ok(None) };
        Ok(engine(ctx).can_see(actor, &ticket).await?.then_some(TicketNode::new(ticket)))
    }

    /// Tickets the viewer filed, newest first unless `order` says otherwise;
    /// filter by status, result, template, creation time; search by number
    /// or title.
    #[graphql(complexity = "first.unwrap_or(20).max(last.unwrap_or(0)) as usize * child_complexity")]
    #[allow(clippy::too_many_arguments)]
    async fn my_tickets(
        &self,
        ctx: &Context<'_>,
        status: Option<enums::TicketStatus>,
        result: Option<enums::TicketResult>,
        template_code: Option<String>,
        created_from: Option<DateTime<Utc>>,
        created_to: Option<DateTime<Utc>>,
        search: Option<String>,
        order: Option<enums::ListOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<String, TicketNode>> {
        let me = actor(ctx)?.user_id;
        let filter = TicketFilter {
            applicant_id: Some(me),
            status: status_filter(status),
            result: result_filter(result),
            template_code,
            created_from,
            created_to,
            search: search_input(search)?,
        };
        ticket_list(ctx, filter, order, PageArgs::new(first, after, last, before)).await
    }

    /// Every ticket (managers and admins), with the same filters and order and an applicant.
    #[graphql(complexity = "first.unwrap_or(20).max(last.unwrap_or(0)) as usize * child_complexity")]
    #[allow(clippy::too_many_arguments)]
    async fn tickets(
        &self,
        ctx: &Context<'_>,
        applicant_id: Option<ID>,
        status: Option<enums::TicketStatus>,
        result: Option<enums::TicketResult>,
        template_code: Option<String>,
        created_from: Option<DateTime<Utc>>,
        created_to: Option<DateTime<Utc>>,
        search: Option<String>,
        order: Option<enums::ListOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<String, TicketNode>> {
        actor(ctx)?.require(Permission::ReadAllTickets)?;
        let filter = TicketFilter {
            applicant_id: applicant_id.map(|a| parse_id("applicantId", &a)).transpose()?,
            status: status_filter(status),
            result: result_filter(result),
            template_code,
            created_from,
            created_to,
            search: search_input(search)?,
        };
        ticket_list(ctx, filter, order, PageArgs::new(first, after, last, before)).await
    }

    /// Approval items waiting for the viewer, including as a proxy and as a
    /// principal whose proxy holds them.
    #[graphql(complexity = "first.unwrap_or(20).max(last.unwrap_or(0)) as usize * child_complexity")]
    async fn inbox(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<String, ItemNode>> {
        let me = actor(ctx)?.user_id;
        let keyset = PageArgs::new(first, after, last, before).keyset(page_max(ctx))?;
        let page = store(ctx).inbox_page(me, &keyset).await?;
        Ok(connection(&keyset, page, |i| i.id, ItemNode))
    }

    /// Items the viewer has decided (已处理), themselves or as a proxy's
    /// principal; most recent first unless `order` says otherwise.
    #[graphql(complexity = "first.unwrap_or(20).max(last.unwrap_or(0)) as usize * child_complexity")]
    async fn handled_items(
        &self,
        ctx: &Context<'_>,
        order: Option<enums::ListOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<String, ItemNode>> {
        let me = actor(ctx)?.user_id;
        let keyset = PageArgs::new(first, after, last, before)
            .keyset(page_max(ctx))?
            .newest_first(enums::ListOrder::newest_first(order));
        let page = store(ctx).handled_page(me, &keyset).await?;
        Ok(connection(&keyset, page, |i| i.id, ItemNode))
    }

    async fn inbox_counts(&self, ctx: &Context<'_>) -> Result<InboxCounts> {
        let me = actor(ctx)?.user_id;
        let counts = store(ctx).inbox_counts(me, Utc::now()).await?;
        Ok(InboxCounts { pending: counts.pending, overdue: counts.overdue })
    }
}

/// One page of tickets in the list's order (newest first by default).
async fn ticket_list(
    ctx: &Context<'_>,
    filter: TicketFilter,
    order: Option<enums::ListOrder>,
    page: PageArgs,
) -> Result<Connection<String, TicketNode>> {
    let keyset = page.keyset(page_max(ctx))?.newest_first(enums::ListOrder::newest_first(order));
    let page = store(ctx).tickets_page(&filter, &keyset).await?;
    Ok(connection(&keyset, page, |t| t.id, TicketNode::new))
}

/// Runs an approver's action on their item and wraps the result.
async fn act(
    ctx: &Context<'_>,
    item_id: ID,
    action: ItemAction,
    comment: Option<String>,
    client_mutation_id: Option<String>,
) -> Result<TicketPayload> {
    let outcome =
        engine(ctx).act_on_item(actor(ctx)?, &item_id, action, comment, client_mutation_id.as_deref()).await?;
    Ok(payload(outcome, client_mutation_id))
}

#[derive(Default)]
pub struct WorkflowMutation;

#[Object]
impl WorkflowMutation {
    /// Admin: a new template (version 1). See the README for the form and chain JSON.
    async fn create_template(&self, ctx: &Context<'_>, input: inputs::TemplateInput) -> Result<TemplateNode> {
        let catalog = ctx.data_unchecked::<Arc<Catalog>>();
        Ok(TemplateNode(templates::create_template(store(ctx), catalog, actor(ctx)?, input.into()).await?.0))
    }

    /// Admin: saves a new version; open tickets keep theirs.
    async fn update_template(&self, ctx: &Context<'_>, input: inputs::TemplateInput) -> Result<TemplateNode> {
        let catalog = ctx.data_unchecked::<Arc<Catalog>>();
        Ok(TemplateNode(templates::update_template(store(ctx), catalog, actor(ctx)?, input.into()).await?.0))
    }

    async fn deactivate_template(&self, ctx: &Context<'_>, code: String) -> Result<TemplateNode> {
        Ok(TemplateNode(templates::set_template_active(store(ctx), actor(ctx)?, &code, false).await?))
    }

    async fn reactivate_template(&self, ctx: &Context<'_>, code: String) -> Result<TemplateNode> {
        Ok(TemplateNode(templates::set_template_active(store(ctx), actor(ctx)?, &code, true).await?))
    }

    /// Files a ticket; the first step's approvers are asked at once.
    async fn submit_ticket(&self, ctx: &Context<'_>, input: inputs::SubmitTicketInput) -> Result<TicketPayload> {
        let cmid = input.client_mutation_id.clone();
        Ok(payload(engine(ctx).submit(actor(ctx)?, input.into()).await?, cmid))
    }

    /// Applicant: resubmits a returned ticket with an edited form.
    async fn resubmit_ticket(&self, ctx: &Context<'_>, input: inputs::ResubmitTicketInput) -> Result<TicketPayload> {
        let cmid = input.client_mutation_id.clone();
        Ok(payload(engine(ctx).resubmit(actor(ctx)?, input.into()).await?, cmid))
    }

    /// Approver: approves their item of an APPROVE step.
    async fn approve(
        &self,
        ctx: &Context<'_>,
        item_id: ID,
        comment: Option<String>,
        client_mutation_id: Option<String>,
    ) -> Result<TicketPayload> {
        act(ctx, item_id, ItemAction::Approve, comment, client_mutation_id).await
    }

    /// Approver: confirms their item of a CONFIRM step.
    async fn confirm(
        &self,
        ctx: &Context<'_>,
        item_id: ID,
        comment: Option<String>,
        client_mutation_id: Option<String>,
    ) -> Result<TicketPayload> {
        act(ctx, item_id, ItemAction::Confirm, comment, client_mutation_id).await
    }

    /// Approver: sends the ticket back to the applicant (退回) with a reason.
    async fn return_ticket(
        &self,
        ctx: &Context<'_>,
        item_id: ID,
        reason: String,
        client_mutation_id: Option<String>,
    ) -> Result<TicketPayload> {
        act(ctx, item_id, ItemAction::Return { reason }, None, client_mutation_id).await
    }

    /// Approver: rejects the ticket (否决) with a reason; it is done.
    async fn reject(
        &self,
        ctx: &Context<'_>,
        item_id: ID,
        reason: String,
        client_mutation_id: Option<String>,
    ) -> Result<TicketPayload> {
        act(ctx, item_id, ItemAction::Reject { reason }, None, client_mutation_id).await
    }

    /// Approver: hands their item to someone else.
    async fn transfer(
        &self,
        ctx: &Context<'_>,
        item_id: ID,
        to_user_id: ID,
        comment: Option<String>,
        client_mutation_id: Option<String>,
    ) -> Result<TicketPayload> {
        let action = ItemAction::Transfer { to: to_user_id.0 };
        act(ctx, item_id, action, comment, client_mutation_id).await
    }

    /// Approver: asks one more person on their step (加签).
    async fn add_approver(
        &self,
        ctx: &Context<'_>,
        item_id: ID,
        user_id: ID,
        comment: Option<String>,
        client_mutation_id: Option<String>,
    ) -> Result<TicketPayload> {
        let action = ItemAction::AddApprover { user: user_id.0 };
        act(ctx, item_id, action, comment, client_mutation_id).await
    }

    /// Applicant: takes the ticket back while it is not done.
    async fn withdraw_ticket(
        &self,
        ctx: &Context<'_>,
        ticket_id: ID,
        reason: Option<String>,
        client_mutation_id: Option<String>,
    ) -> Result<TicketPayload> {
        let o = engine(ctx).withdraw(actor(ctx)?, &ticket_id, reason, client_mutation_id.as_deref()).await?;
        Ok(payload(o, client_mutation_id))
    }

    /// Anyone who may see the ticket: a comment on its timeline.
    async fn comment_on_ticket(
        &self,
        ctx: &Context<'_>,
        ticket_id: ID,
        body: String,
        client_mutation_id: Option<String>,
    ) -> Result<TicketPayload> {
        let o = engine(ctx).comment(actor(ctx)?, &ticket_id, &body, client_mutation_id.as_deref()).await?;
        Ok(payload(o, client_mutation_id))
    }

    /// Applicant: rates a DONE ticket once (满意度), `score` 1 to 5 with an
    /// optional comment of at most 500 characters.
    async fn rate_ticket(
        &self,
        ctx: &Context<'_>,
        ticket_id: ID,
        score: i32,
        comment: Option<String>,
        client_mutation_id: Option<String>,
    ) -> Result<TicketPayload> {
        let o =
            engine(ctx).rate(actor(ctx)?, &ticket_id, score, comment.as_deref(), client_mutation_id.as_deref()).await?;
        Ok(payload(o, client_mutation_id))
    }

    /// Applicant: reminds the current approvers (at most once per `urge_interval_secs`).
    async fn urge_ticket(&self, ctx: &Context<'_>, ticket_id: ID) -> Result<TicketPayload> {
        Ok(payload(engine(ctx).urge(actor(ctx)?, &ticket_id).await?, None))
    }

    /// Bot or admin: the automations of a PROCESSING ticket are done; it becomes DONE/APPROVED.
    async fn finish_processing(
        &self,
        ctx: &Context<'_>,
        ticket_id: ID,
        client_mutation_id: Option<String>,
    ) -> Result<TicketPayload> {
        let o = engine(ctx).finish_processing(actor(ctx)?, &ticket_id, client_mutation_id.as_deref()).await?;
        Ok(payload(o, client_mutation_id))
    }
}
