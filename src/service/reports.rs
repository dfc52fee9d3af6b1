//! Managers' reports: who may read which figures, the period in the
//! reader's time zone, and the CSV exports. Managers read the departments
//! they head (or their own) and everything below; administrators read
//! everything. A manager naming a department outside that gets
//! `outside_your_departments`, never another department's figures.
//!
//! CSV is UTF-8 with a byte-order mark, so Excel opens Chinese text
//! correctly; the ticket list is written page by page as it is read.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::{catalog::Catalog, input::parse_id};
use crate::{
    domain::{
        access::{Actor, Permission},
        reports::{self, BACKLOG_BUCKETS, Figures, GroupBy, Report, Stats},
    },
    error::{Error, FieldIssue, Result},
    store::{Store, reports::Cohort},
};

/// The default and the longest period, in days.
const DEFAULT_DAYS: i64 = 30;
const MAX_DAYS: i64 = 366;
/// What Excel needs to read UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What a reader asks for.
#[derive(Debug, Clone, Default)]
pub struct ReportRequest {
    /// First and last day of the period, inclusive, in `time_zone`.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// An IANA name; Asia/Shanghai when absent.
    pub time_zone: Option<String>,
    pub template: Option<String>,
    pub department: Option<String>,
    pub group_by: Option<GroupBy>,
}

/// A request checked against the reader's access.
#[derive(Debug, Clone)]
pub struct Scope {
    pub cohort: Cohort,
    pub tz: Tz,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub group_by: Option<GroupBy>,
}

/// Names for a report's keys (templates, departments, people).
#[derive(Debug, Clone, Default)]
pub struct Labels {
    pub templates: HashMap<String, String>,
    pub departments: HashMap<i64, String>,
    pub users: HashMap<i64, String>,
}

impl Labels {
    pub fn group(&self, group: Option<GroupBy>, key: &str) -> String {
        let id = key.parse::<i64>().ok();
        match group {
            Some(GroupBy::Template) => self.templates.get(key).cloned(),
            Some(GroupBy::Department) => id.and_then(|i| self.departments.get(&i).cloned()),
            Some(GroupBy::Approver) => id.and_then(|i| self.users.get(&i).cloned()),
            _ => None,
        }
        .unwrap_or_else(|| key.to_string())
    }
}

pub async fn scope(catalog: &Catalog, actor: &Actor, request: &ReportRequest) -> Result<Scope> {
    actor.require(Permission::ReadAllTickets)?;
    let tz: Tz = match request.time_zone.as_deref().map(str::trim) {
        None | Some("") => chrono_tz::Asia::Shanghai,
        Some(name) => name.parse().map_err(|_| {
            Error::invalid_field("invalid_time_zone", "timeZone", format!("{name:?} is not an IANA time zone"))
        })?,
    };
    let today = Utc::now().with_timezone(&tz).date_naive();
    let to = request.to.unwrap_or(today);
    let from = request.from.unwrap_or(to - Duration::days(DEFAULT_DAYS - 1));
    if from > to || (to - from).num_days() >= MAX_DAYS {
        return Err(Error::invalid_fields(vec![FieldIssue::new(
            "from",
            "invalid_period",
            format!("a period runs from a day to a later one, at most {MAX_DAYS} days"),
        )]));
    }
    let org = catalog.org().await?;
    // Administrators see everything; a manager the departments they answer for.
    let allowed = (!actor.can(Permission::ManageOrganisation)).then(|| org.departments_of_manager(actor.user_id));
    let departments = match request.department.as_deref() {
        None => allowed,
        Some(raw) => {
            let id = parse_id("department", raw)?;
            if allowed.as_ref().is_some_and(|a| !a.contains(&id)) {
                return Err(Error::denied(
                    "outside_your_departments",
                    "you read the figures of your own departments only",
                ));
            }
            Some(org.subtree(vec![id]))
        }
    };
    let cohort = Cohort {
        from: reports::day_start(from, tz),
        to: reports::day_start(to + Duration::days(1), tz),
        template: request.template.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string),
        departments,
    };
    Ok(Scope { cohort, tz, from, to, group_by: request.group_by })
}

/// The report the reader asked for.
pub async fn report(
    store: &Store,
    catalog: &Catalog,
    actor: &Actor,
    request: &ReportRequest,
) -> Result<(Scope, Report)> {
    let scope = scope(catalog, actor, request).await?;
    let now = Utc::now();
    // PostgreSQL computes the figures itself; SQLite's databases are small
    // enough to read the facts, and the grouping by approver reads them on both.
    let report = if store.backend() == sea_orm::DbBackend::Postgres && scope.group_by != Some(GroupBy::Approver) {
        store.report_in_database(&scope.cohort, scope.group_by, scope.tz.name(), now).await?
    } else {
        reports::aggregate(&store.report_facts(&scope.cohort).await?, scope.group_by, scope.tz, now)
    };
    Ok((scope, report))
}

/// Names for the keys of `report` grouped by `group` (its approvers
/// always), and for the departments and people `departments` and `users`
/// name: each looked up only where a key of its kind can be.
pub async fn labels(
    store: &Store,
    report: &Report,
    group: Option<GroupBy>,
    departments: &[i64],
    users: &[i64],
) -> Result<Labels> {
    let keyed = |kind: GroupBy| -> Vec<i64> {
        if group != Some(kind) {
            return Vec::new();
        }
        report.groups.iter().filter_map(|(k, _)| k.parse::<i64>().ok()).collect()
    };
    let mut user_ids: Vec<i64> = report.approvers.iter().map(|(u, _)| *u).chain(users.iter().copied()).collect();
    user_ids.extend(keyed(GroupBy::Approver));
    user_ids.sort_unstable();
    user_ids.dedup();
    let mut dept_ids: Vec<i64> = departments.to_vec();
    dept_ids.extend(keyed(GroupBy::Department));
    dept_ids.sort_unstable();
    dept_ids.dedup();
    let mut labels = Labels::default();
    if !user_ids.is_empty() {
        for u in store.users_by_ids(&user_ids).await? {
            labels.users.insert(u.id, u.display_name);
        }
    }
    if !dept_ids.is_empty() {
        for d in store.departments_by_ids(&dept_ids).await? {
            labels.departments.insert(d.id, d.name);
        }
    }
    if group == Some(GroupBy::Template) {
        for (code, _) in &report.groups {
            if let Some(t) = store.template_by_code(code).await? {
                labels.templates.insert(t.code, t.name);
            }
        }
    }
    Ok(labels)
}

fn number(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}")).unwrap_or_default()
}

fn rate(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.4}")).unwrap_or_default()
}

fn stats_cells(s: &Stats) -> [String; 4] {
    [s.count.to_string(), number(s.mean), number(s.median), number(s.p90)]
}

const FIGURE_COLUMNS: [&str; 33] = [
    "filed",
    "completed",
    "approved",
    "rejected",
    "withdrawn",
    "open",
    "cycle_count",
    "cycle_mean_s",
    "cycle_median_s",
    "cycle_p90_s",
    "response_count",
    "response_mean_s",
    "response_median_s",
    "response_p90_s",
    "sla_items",
    "sla_breached",
    "sla_breach_rate",
    "jobs_succeeded",
    "jobs_failed",
    "automation_success_rate",
    "job_median_s",
    "ratings",
    "rating_average",
    "rating_1",
    "rating_2",
    "rating_3",
    "rating_4",
    "rating_5",
    "backlog_lt_1d",
    "backlog_1d_3d",
    "backlog_3d_7d",
    "backlog_7d_30d",
    "backlog_gt_30d",
];

fn figure_cells(f: &Figures) -> Vec<String> {
    let mut row = vec![
        f.filed.to_string(),
        f.completed.to_string(),
        f.approved.to_string(),
        f.rejected.to_string(),
        f.withdrawn.to_string(),
        f.open.to_string(),
    ];
    row.extend(stats_cells(&f.cycle));
    row.extend(stats_cells(&f.response));
    row.extend([f.sla_items.to_string(), f.sla_breached.to_string(), rate(f.sla_breach_rate())]);
    row.extend([
        f.jobs_succeeded.to_string(),
        f.jobs_failed.to_string(),
        rate(f.automation_success_rate()),
        number(f.job_duration.median),
    ]);
    row.extend([f.ratings().to_string(), number(f.rating_average)]);
    row.extend(f.rating_distribution.iter().map(u64::to_string));
    row.extend(f.backlog.iter().map(u64::to_string));
    row
}

/// The report as CSV: one row per group (or one `total` row), then the total.
pub fn report_csv(scope: &Scope, report: &Report, labels: &Labels) -> Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(BOM.to_vec());
    let mut header = vec!["group", "key", "label"];
    header.extend(FIGURE_COLUMNS);
    out.write_record(&header).map_err(Error::internal)?;
    let group = match scope.group_by {
        None => "",
        Some(GroupBy::Day) => "day",
        Some(GroupBy::Week) => "week",
        Some(GroupBy::Month) => "month",
        Some(GroupBy::Template) => "template",
        Some(GroupBy::Department) => "department",
        Some(GroupBy::Approver) => "approver",
    };
    for (key, figures) in &report.groups {
        let mut row = vec![group.to_string(), key.clone(), labels.group(scope.group_by, key)];
        row.extend(figure_cells(figures));
        out.write_record(&row).map_err(Error::internal)?;
    }
    let mut total = vec!["total".to_string(), String::new(), format!("{} – {}", scope.from, scope.to)];
    total.extend(figure_cells(&report.totals));
    out.write_record(&total).map_err(Error::internal)?;
    out.into_inner().map_err(|e| Error::internal(anyhow::anyhow!("{e}")))
}

pub const TICKET_COLUMNS: [&str; 11] = [
    "number",
    "title",
    "template",
    "department",
    "applicant",
    "status",
    "result",
    "filed_at",
    "done_at",
    "cycle_s",
    "rating",
];

/// One page of the ticket list behind a report as CSV rows (no header),
/// and the id to continue after; None when the list is done.
pub async fn ticket_csv_page(store: &Store, scope: &Scope, after: i64, limit: u64) -> Result<(Vec<u8>, Option<i64>)> {
    let rows = store.report_tickets(&scope.cohort, after, limit).await?;
    let Some(last) = rows.last().map(|r| r.id) else { return Ok((Vec::new(), None)) };
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let ratings: HashMap<i64, u8> = store.ratings_of(&ids).await?.into_iter().collect();
    let mut users: Vec<i64> = rows.iter().map(|r| r.applicant_id).collect();
    users.sort_unstable();
    users.dedup();
    let mut depts: Vec<i64> = rows.iter().filter_map(|r| r.department_id).collect();
    depts.sort_unstable();
    depts.dedup();
    let labels = labels(store, &Report::default(), None, &depts, &users).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    for r in &rows {
        let local = |t: chrono::DateTime<Utc>| t.with_timezone(&scope.tz).format("%Y-%m-%d %H:%M:%S").to_string();
        out.write_record([
            r.number.clone(),
            r.title.clone(),
            r.template_code.clone(),
            r.department_id.and_then(|d| labels.departments.get(&d).cloned()).unwrap_or_default(),
            labels.users.get(&r.applicant_id).cloned().unwrap_or_default(),
            r.status.clone(),
            r.result.clone().unwrap_or_default(),
            local(r.created_at),
            r.done_at.map(local).unwrap_or_default(),
            r.done_at.map(|d| (d - r.created_at).num_seconds().to_string()).unwrap_or_default(),
            ratings.get(&r.id).map(u8::to_string).unwrap_or_default(),
        ])
        .map_err(Error::internal)?;
    }
    let bytes = out.into_inner().map_err(|e| Error::internal(anyhow::anyhow!("{e}")))?;
    Ok((bytes, (rows.len() as u64 == limit).then_some(last)))
}

/// The header of the ticket list CSV, after the byte-order mark.
pub fn ticket_csv_header() -> Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(BOM.to_vec());
    out.write_record(TICKET_COLUMNS).map_err(Error::internal)?;
    out.into_inner().map_err(|e| Error::internal(anyhow::anyhow!("{e}")))
}

/// The backlog buckets' names, in order.
pub fn backlog_names() -> impl Iterator<Item = &'static str> {
    BACKLOG_BUCKETS.iter().map(|(name, _)| *name)
}

/// A day as the API takes it: `YYYY-MM-DD`.
pub fn parse_day(field: &str, raw: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid_field("invalid_date", field, "a day is written YYYY-MM-DD"))
}

/// A grouping by its API name (`day`, `week`, `month`, `template`, `department`, `approver`).
pub fn parse_group(raw: &str) -> Result<GroupBy> {
    Ok(match raw.trim().to_ascii_lowercase().as_str() {
        "day" => GroupBy::Day,
        "week" => GroupBy::Week,
        "month" => GroupBy::Month,
        "template" => GroupBy::Template,
        "department" => GroupBy::Department,
        "approver" => GroupBy::Approver,
        _ => {
            return Err(Error::invalid_field(
                "invalid_group",
                "groupBy",
                "group by day, week, month, template, department or approver",
            ));
        }
    })
}
