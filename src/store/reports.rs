//! What reports read: the facts of a cohort (tickets filed in a period,
//! narrowed to a template and a set of departments) in four narrow
//! statements run at once on separate connections, and the cohort's
//! tickets page by page for the CSV export.

use chrono::{DateTime, Utc};
use sea_orm::{FromQueryResult, Value};

use super::Store;
use crate::{
    domain::{
        automation::JobStatus,
        reports::{Facts, ItemFact, JobFact, TicketFact},
        workflow::{ItemStatus, TicketResult, TicketStatus},
    },
    error::{Error, Result},
};

/// The tickets a report covers.
#[derive(Debug, Clone)]
pub struct Cohort {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub template: Option<String>,
    /// None: every department (and tickets of none).
    pub departments: Option<Vec<i64>>,
}

impl Cohort {
    /// The WHERE clause over `t` (tickets) and its values, numbered from $1.
    pub(super) fn filter(&self) -> (String, Vec<Value>) {
        let mut sql = "t.created_at >= $1 AND t.created_at < $2".to_string();
        let mut values: Vec<Value> = vec![self.from.into(), self.to.into()];
        if let Some(template) = &self.template {
            values.push(template.clone().into());
            sql.push_str(&format!(" AND t.template_code = ${}", values.len()));
        }
        if let Some(departments) = &self.departments {
            if departments.is_empty() {
                sql.push_str(" AND 1 = 0");
            } else {
                let first = values.len() + 1;
                values.extend(departments.iter().map(|d| Value::from(*d)));
                let list: Vec<String> = (first..first + departments.len()).map(|i| format!("${i}")).collect();
                sql.push_str(&format!(" AND t.department_id IN ({})", list.join(", ")));
            }
        }
        (sql, values)
    }
}

#[derive(FromQueryResult)]
struct TicketRow {
    id: i64,
    template_code: String,
    department_id: Option<i64>,
    created_at: DateTime<Utc>,
    done_at: Option<DateTime<Utc>>,
    status: String,
    result: Option<String>,
}

#[derive(FromQueryResult)]
struct ItemRow {
    ticket_id: i64,
    step_name: String,
    assignee_id: i64,
    decided_by: Option<i64>,
    status: String,
    created_at: DateTime<Utc>,
    decided_at: Option<DateTime<Utc>>,
    due_at: Option<DateTime<Utc>>,
}

#[derive(FromQueryResult)]
struct JobRow {
    ticket_id: i64,
    status: String,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
}

#[derive(FromQueryResult)]
struct RatingRow {
    ticket_id: i64,
    payload: String,
}

impl RatingRow {
    /// (ticket, score) of a `rated` event.
    fn score(self) -> Option<(i64, u8)> {
        let payload: serde_json::Value = serde_json::from_str(&self.payload).ok()?;
        Some((self.ticket_id, payload["score"].as_u64()? as u8))
    }
}

/// One row of the ticket list behind a report.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ReportTicket {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub template_code: String,
    pub department_id: Option<i64>,
    pub applicant_id: i64,
    pub status: String,
    pub result: Option<String>,
    pub created_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
}

fn stored<T: serde::de::DeserializeOwned>(what: &str, name: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(name.into()))
        .map_err(|_| Error::internal(anyhow::anyhow!("unknown {what} {name:?}")))
}

impl Store {
    /// The facts of `cohort`.
    pub async fn report_facts(&self, cohort: &Cohort) -> Result<Facts> {
        let (f, values) = cohort.filter();
        let tickets = format!(
            "SELECT t.id, t.template_code, t.department_id, t.created_at, t.done_at, t.status, t.result \
             FROM tickets t WHERE {f}"
        );
        // Items are created no earlier than their ticket: the bound lets an
        // index on their creation time narrow the scan too.
        let items = format!(
            "SELECT i.ticket_id, i.step_name, i.assignee_id, i.decided_by, i.status, i.created_at, i.decided_at, \
             i.due_at FROM ticket_items i JOIN tickets t ON t.id = i.ticket_id WHERE {f} AND i.created_at >= $1"
        );
        let jobs = format!(
            "SELECT j.ticket_id, j.status, j.started_at, j.finished_at FROM jobs j \
             JOIN tickets t ON t.id = j.ticket_id WHERE {f}"
        );
        let ratings = format!(
            "SELECT e.ticket_id, e.payload FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id \
             WHERE e.kind = 'rated' AND {f}"
        );
        let (tickets, items, jobs, ratings) = futures::try_join!(
            TicketRow::find_by_statement(self.statement(&tickets, values.clone())).all(&self.db),
            ItemRow::find_by_statement(self.statement(&items, values.clone())).all(&self.db),
            JobRow::find_by_statement(self.statement(&jobs, values.clone())).all(&self.db),
            RatingRow::find_by_statement(self.statement(&ratings, values)).all(&self.db),
        )?;
        let mut facts = Facts::default();
        facts.tickets = tickets
            .into_iter()
            .map(|t| {
                Ok(TicketFact {
                    id: t.id,
                    template: t.template_code,
                    department: t.department_id,
                    created_at: t.created_at,
                    done_at: t.done_at,
                    status: TicketStatus::from_stored(&t.status)
                        .ok_or_else(|| Error::internal(anyhow::anyhow!("unknown ticket status {:?}", t.status)))?,
                    result: t.result.as_deref().map(|r| stored::<TicketResult>("result", r)).transpose()?,
                })
            })
            .collect::<Result<_>>()?;
        facts.items = items
            .into_iter()
            .map(|i| {
                Ok(ItemFact {
                    ticket_id: i.ticket_id,
                    step: i.step_name,
                    assignee: i.assignee_id,
                    decided_by: i.decided_by,
                    status: stored::<ItemStatus>("item status", &i.status)?,
                    created_at: i.created_at,
                    decided_at: i.decided_at,
                    due_at: i.due_at,
                })
            })
            .collect::<Result<_>>()?;
        facts.jobs = jobs
            .into_iter()
            .map(|j| {
                Ok(JobFact {
                    ticket_id: j.ticket_id,
                    status: JobStatus::from_stored(&j.status)
                        .ok_or_else(|| Error::internal(anyhow::anyhow!("unknown job status {:?}", j.status)))?,
                    started_at: j.started_at,
                    finished_at: j.finished_at,
                })
            })
            .collect::<Result<_>>()?;
        facts.ratings = ratings.into_iter().filter_map(RatingRow::score).collect();
        Ok(facts)
    }

    /// The cohort's tickets after id `after`, oldest first, `limit` at a time.
    pub async fn report_tickets(&self, cohort: &Cohort, after: i64, limit: u64) -> Result<Vec<ReportTicket>> {
        let (f, mut values) = cohort.filter();
        values.push(after.into());
        values.push((limit as i64).into());
        let sql = format!(
            "SELECT t.id, t.number, t.title, t.template_code, t.department_id, t.applicant_id, t.status, t.result, \
             t.created_at, t.done_at FROM tickets t WHERE {f} AND t.id > ${} ORDER BY t.id LIMIT ${}",
            values.len() - 1,
            values.len()
        );
        Ok(ReportTicket::find_by_statement(self.statement(&sql, values)).all(&self.db).await?)
    }

    /// Ratings of the given tickets (ticket, score).
    pub async fn ratings_of(&self, tickets: &[i64]) -> Result<Vec<(i64, u8)>> {
        if tickets.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = (1..=tickets.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT ticket_id, payload FROM ticket_events WHERE kind = 'rated' AND ticket_id IN ({})",
            list.join(", ")
        );
        let rows = RatingRow::find_by_statement(self.statement(&sql, tickets.iter().map(|t| Value::from(*t))))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().filter_map(RatingRow::score).collect())
    }
}
