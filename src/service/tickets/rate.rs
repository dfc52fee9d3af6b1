//! Satisfaction (满意度): the applicant rates a finished ticket once, 1 to
//! 5 with an optional comment. The rating is the ticket's `rated` event —
//! on the timeline, to realtime and to the reports like every other — and
//! the database's unique index on `rated` events makes it once only.

use serde_json::json;

use super::{
    Outcome, Workflow,
    persist::{event_on, receipt},
};
use crate::{
    domain::{access::Actor, workflow::TicketStatus},
    error::{Error, Result},
    service::input::parse_id,
};

/// Longest rating comment, in characters.
const COMMENT_MAX: usize = 500;

impl Workflow {
    /// Records the applicant's rating of a DONE ticket.
    pub async fn rate(
        &self,
        actor: &Actor,
        ticket_id: &str,
        score: i32,
        comment: Option<&str>,
        client_mutation_id: Option<&str>,
    ) -> Result<Outcome> {
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        let args = json!({ "ticket": ticket_id, "score": score, "comment": comment });
        let receipt = receipt(actor, client_mutation_id, "rated", args)?;
        if let Some(outcome) = self.replay(&receipt).await? {
            return Ok(outcome);
        }
        if !(1..=5).contains(&score) {
            return Err(Error::invalid_field("invalid_score", "score", "a rating is 1 to 5"));
        }
        if comment.is_some_and(|c| c.chars().count() > COMMENT_MAX) {
            return Err(Error::invalid_field(
                "invalid_comment",
                "comment",
                format!("a rating's comment has at most {COMMENT_MAX} characters"),
            ));
        }
        let ticket = self.visible_ticket(actor, parse_id("ticketId", ticket_id)?).await?;
        if ticket.applicant_id != actor.user_id {
            return Err(Error::denied("not_applicant", "only the applicant rates a ticket"));
        }
        if ticket.status != TicketStatus::Done.as_str() {
            return Err(Error::invalid("not_done", "a ticket is rated once it is done"));
        }
        let event = event_on(&ticket, "rated", actor.user_id, json!({ "score": score, "comment": comment }))?;
        match self.store.append_ticket_event(ticket.id, event, receipt.clone()).await {
            Ok(_) => Ok(Outcome { ticket, replayed: false }),
            // The unique index on `rated` events: rated already.
            Err(Error::Conflict { code: "already_exists", .. }) => match self.replay(&receipt).await? {
                Some(outcome) => Ok(outcome),
                None => Err(Error::conflict("already_rated", "this ticket has been rated already")),
            },
            Err(err) => Err(err),
        }
    }
}
