//! What ticket lists, the inbox and the detail page read.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait, Func, IntoCondition, LikeExpr},
};

use super::{
    Store,
    entity::{ticket, ticket_event, ticket_item},
    keyset::{self, Keyset, Page},
    tickets::{Ticket, TicketEvent, TicketItem},
};
use crate::error::Result;

/// Which tickets a list shows.
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub applicant_id: Option<i64>,
    pub status: Option<String>,
    pub result: Option<String>,
    pub template_code: Option<String>,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
    /// Matches the number or the title, case-insensitively.
    pub search: Option<String>,
}

/// Pending and overdue counts of an inbox.
#[derive(Debug, Clone, Copy, Default)]
pub struct InboxCounts {
    pub pending: u64,
    pub overdue: u64,
}

/// `leave-20261203-0042` → `LEAVE-20261203-0042`: a search that is a
/// whole ticket number (prefix, day, sequence), in the stored spelling.
fn ticket_number(search: &str) -> Option<String> {
    let mut parts = search.rsplitn(3, '-');
    let (seq, day, prefix) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let prefix_ok = !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (digits(seq) && day.len() == 8 && digits(day) && prefix_ok).then(|| search.to_uppercase())
}

fn mine(user: i64) -> Condition {
    Condition::any().add(ticket_item::Column::AssigneeId.eq(user)).add(ticket_item::Column::OnBehalfOf.eq(user))
}

impl Store {
    pub async fn ticket(&self, id: i64) -> Result<Option<Ticket>> {
        Ok(ticket::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn ticket_by_number(&self, number: &str) -> Result<Option<Ticket>> {
        Ok(ticket::Entity::find().filter(ticket::Column::Number.eq(number)).one(&self.db).await?)
    }

    pub async fn tickets_by_ids(&self, ids: &[i64]) -> Result<Vec<Ticket>> {
        Ok(ticket::Entity::find().filter(ticket::Column::Id.is_in(ids.iter().copied())).all(&self.db).await?)
    }

    pub async fn ticket_item(&self, id: i64) -> Result<Option<TicketItem>> {
        Ok(ticket_item::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// Every item of a ticket, all rounds, in creation order.
    pub async fn ticket_items(&self, ticket_id: i64) -> Result<Vec<TicketItem>> {
        Ok(ticket_item::Entity::find()
            .filter(ticket_item::Column::TicketId.eq(ticket_id))
            .order_by_asc(ticket_item::Column::Seq)
            .all(&self.db)
            .await?)
    }

    /// The timeline: every event of a ticket in order.
    pub async fn ticket_events(&self, ticket_id: i64) -> Result<Vec<TicketEvent>> {
        Ok(ticket_event::Entity::find()
            .filter(ticket_event::Column::TicketId.eq(ticket_id))
            .order_by_asc(ticket_event::Column::Id)
            .all(&self.db)
            .await?)
    }

    pub async fn count_ticket_events(&self, ticket_id: i64) -> Result<u64> {
        Ok(ticket_event::Entity::find().filter(ticket_event::Column::TicketId.eq(ticket_id)).count(&self.db).await?)
    }

    /// Whether `user` has (or had) an item on the ticket, as assignee or principal.
    pub async fn is_involved(&self, ticket_id: i64, user: i64) -> Result<bool> {
        let n = ticket_item::Entity::find()
            .filter(ticket_item::Column::TicketId.eq(ticket_id))
            .filter(mine(user))
            .count(&self.db)
            .await?;
        Ok(n > 0)
    }

    pub async fn tickets_page(&self, filter: &TicketFilter, keyset: &Keyset) -> Result<Page<Ticket>> {
        let mut select = ticket::Entity::find();
        if let Some(applicant) = filter.applicant_id {
            select = select.filter(ticket::Column::ApplicantId.eq(applicant));
        }
        if let Some(status) = &filter.status {
            select = select.filter(ticket::Column::Status.eq(status.clone()));
        }
        if let Some(result) = &filter.result {
            select = select.filter(ticket::Column::Result.eq(result.clone()));
        }
        if let Some(code) = &filter.template_code {
            select = select.filter(ticket::Column::TemplateCode.eq(code.clone()));
        }
        if let Some(from) = filter.created_from {
            select = select.filter(ticket::Column::CreatedAt.gte(from));
        }
        if let Some(to) = filter.created_to {
            select = select.filter(ticket::Column::CreatedAt.lt(to));
        }
        let search = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if let Some(number) = search.and_then(ticket_number) {
            // A whole ticket number: the unique index answers it at once.
            select = select.filter(ticket::Column::Number.eq(number));
        } else if let Some(search) = search {
            let pattern =
                format!("%{}%", search.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            let like = |col: ticket::Column| {
                Expr::expr(Func::lower(Expr::col(col))).like(LikeExpr::new(pattern.clone()).escape('\\'))
            };
            select = select.filter(Condition::any().add(like(ticket::Column::Number)).add(like(ticket::Column::Title)));
        }
        let rows = keyset::apply(select, ticket::Column::Id, keyset).all(&self.db).await?;
        Ok(keyset::finish(rows, keyset))
    }

    /// Pending items waiting for `user`, as assignee or as a proxy's principal.
    pub async fn inbox_page(&self, user: i64, keyset: &Keyset) -> Result<Page<TicketItem>> {
        self.items_of(user, ticket_item::Column::Status.eq("pending"), keyset).await
    }

    /// Items `user` has decided (已处理), as assignee or through a proxy.
    pub async fn handled_page(&self, user: i64, keyset: &Keyset) -> Result<Page<TicketItem>> {
        let decided = ["approved", "returned", "rejected", "confirmed"];
        self.items_of(user, ticket_item::Column::Status.is_in(decided), keyset).await
    }

    /// Items of `user` (assignee or principal) matching `condition`, read
    /// through the two indexes that lead with those columns.
    async fn items_of(&self, user: i64, condition: impl IntoCondition, keyset: &Keyset) -> Result<Page<TicketItem>> {
        let condition = condition.into_condition();
        let parts = [ticket_item::Column::AssigneeId, ticket_item::Column::OnBehalfOf]
            .map(|column| ticket_item::Entity::find().filter(column.eq(user)).filter(condition.clone()));
        Ok(keyset::union(&self.db, parts.into(), ticket_item::Column::Id, |i| i.id, keyset).await?)
    }

    /// Pending items a proxy holds for a principal.
    pub async fn pending_items_held(&self, proxy: i64, principal: i64) -> Result<Vec<TicketItem>> {
        Ok(ticket_item::Entity::find()
            .filter(ticket_item::Column::Status.eq("pending"))
            .filter(ticket_item::Column::AssigneeId.eq(proxy))
            .filter(ticket_item::Column::OnBehalfOf.eq(principal))
            .order_by_asc(ticket_item::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// One round trip of four index-only counts (pending, and overdue, as
    /// assignee and as principal; an item is never both, a proxy is never
    /// their own principal) from the partial indexes on pending items.
    pub async fn inbox_counts(&self, user: i64, now: DateTime<Utc>) -> Result<InboxCounts> {
        use sea_orm::ConnectionTrait as _;
        let backend = self.backend();
        let (me, at) = if backend == sea_orm::DbBackend::Postgres { ("$1", "$2") } else { ("?1", "?2") };
        let count = |column: &str, overdue: bool| {
            let due = if overdue { format!(" AND due_at < {at}") } else { String::new() };
            format!("(SELECT COUNT(*) FROM ticket_items WHERE {column} = {me} AND status = 'pending'{due})")
        };
        let sql = format!(
            "SELECT {} + {}, {} + {}",
            count("assignee_id", false),
            count("on_behalf_of", false),
            count("assignee_id", true),
            count("on_behalf_of", true)
        );
        let statement = sea_orm::Statement::from_sql_and_values(backend, sql, [user.into(), now.into()]);
        let row = self
            .db
            .query_one_raw(statement)
            .await?
            .ok_or_else(|| crate::error::Error::internal(anyhow::anyhow!("the inbox counts returned no row")))?;
        let (pending, overdue): (i64, i64) = (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
        Ok(InboxCounts { pending: pending as u64, overdue: overdue as u64 })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn whole_ticket_numbers_are_recognised_in_any_case() {
        assert_eq!(super::ticket_number("leave-20261203-0042").as_deref(), Some("LEAVE-20261203-0042"));
        assert_eq!(super::ticket_number("IT-ACCESS-20261203-7").as_deref(), Some("IT-ACCESS-20261203-7"));
        for not in
            ["leave", "20261203-0042", "LEAVE-2026123-0042", "LEAVE-20261203-", "请假-20261203-0001", "a b-20261203-1"]
        {
            assert_eq!(super::ticket_number(not), None, "{not}");
        }
    }
}
