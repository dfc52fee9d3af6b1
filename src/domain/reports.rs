//! Managers' reports (统计报表), computed from facts: the tickets filed in
//! a period (a cohort) and their items, jobs and ratings. Every figure is
//! about that cohort: how many were filed, how many of them are done and
//! how, how long they took, how their approvers answered, whether their
//! SLAs held, how their automations ran, how their applicants rated them.
//!
//! - [`Facts`]: what storage reads for a report.
//! - [`aggregate`]: the report, grouped by filing day, week or month (in
//!   the reader's time zone), template, department or approver.
//! - [`Stats`]: count, mean, median and p90 of durations; percentiles
//!   interpolate between ranks, as PostgreSQL's `percentile_cont` does.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, Utc};
use chrono_tz::Tz;

use super::{
    automation::JobStatus,
    workflow::{ItemStatus, TicketResult, TicketStatus, UserId},
};

/// One filed ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketFact {
    pub id: i64,
    pub template: String,
    pub department: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    pub status: TicketStatus,
    pub result: Option<TicketResult>,
}

/// One approval item of a ticket of the cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemFact {
    pub ticket_id: i64,
    pub step: String,
    pub assignee: UserId,
    pub decided_by: Option<UserId>,
    pub status: ItemStatus,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
}

/// One automation job of a ticket of the cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct JobFact {
    pub ticket_id: i64,
    pub status: JobStatus,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// What a report is computed from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub tickets: Vec<TicketFact>,
    pub items: Vec<ItemFact>,
    pub jobs: Vec<JobFact>,
    /// (ticket, score 1 to 5).
    pub ratings: Vec<(i64, u8)>,
}

/// How a report's rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupBy {
    Day,
    /// ISO weeks, from Monday.
    Week,
    Month,
    Template,
    Department,
    /// Each approver's row holds the tickets they decided on, and of the
    /// items only theirs.
    Approver,
}

/// Durations in seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Stats {
    pub count: u64,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

impl Stats {
    pub fn of(mut values: Vec<f64>) -> Self {
        if values.is_empty() {
            return Self::default();
        }
        values.sort_by(f64::total_cmp);
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        Self {
            count: values.len() as u64,
            mean: Some(mean),
            median: Some(percentile(&values, 0.5)),
            p90: Some(percentile(&values, 0.9)),
        }
    }
}

/// The `p` percentile of sorted `values`, interpolated between ranks.
fn percentile(values: &[f64], p: f64) -> f64 {
    let rank = p * (values.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    values[lo] + (values[hi] - values[lo]) * (rank - lo as f64)
}

/// Open tickets by how long ago they were filed.
pub const BACKLOG_BUCKETS: [(&str, i64); 5] =
    [("lt_1d", 1), ("1d_3d", 3), ("3d_7d", 7), ("7d_30d", 30), ("gt_30d", i64::MAX)];

/// The figures of one group (or of the whole cohort).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub filed: u64,
    pub completed: u64,
    pub approved: u64,
    pub rejected: u64,
    pub withdrawn: u64,
    pub open: u64,
    /// Filed to done, of the completed ones.
    pub cycle: Stats,
    /// Created to decided, of decided items.
    pub response: Stats,
    pub sla_items: u64,
    /// Items decided after their due time, or still pending past it.
    pub sla_breached: u64,
    pub jobs_succeeded: u64,
    pub jobs_failed: u64,
    /// Started to finished, of succeeded jobs (their last attempt).
    pub job_duration: Stats,
    /// How many tickets were rated with 1 to 5 (index 0 is 1).
    pub rating_distribution: [u64; 5],
    pub rating_average: Option<f64>,
    /// Open tickets by age, as [`BACKLOG_BUCKETS`].
    pub backlog: [u64; 5],
}

impl Figures {
    pub fn sla_breach_rate(&self) -> Option<f64> {
        (self.sla_items > 0).then(|| self.sla_breached as f64 / self.sla_items as f64)
    }

    pub fn automation_success_rate(&self) -> Option<f64> {
        let ended = self.jobs_succeeded + self.jobs_failed;
        (ended > 0).then(|| self.jobs_succeeded as f64 / ended as f64)
    }

    pub fn ratings(&self) -> u64 {
        self.rating_distribution.iter().sum()
    }
}

/// A report: the cohort's figures, its groups, and its waits per step
/// and per approver.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub totals: Figures,
    /// Keys: `2026-12-04` (day), `2026-W49` (week), `2026-12` (month), a
    /// template code, a department id (`none` without one), a user id.
    pub groups: Vec<(String, Figures)>,
    /// Per step name: created to decided of its decided items.
    pub steps: Vec<(String, Stats)>,
    /// Per approver: created to decided of the items they decided.
    pub approvers: Vec<(UserId, Stats)>,
}

fn secs(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_milliseconds() as f64 / 1000.0
}

/// The key of a filing time in `tz`.
pub fn time_key(at: DateTime<Utc>, tz: Tz, group: GroupBy) -> String {
    let local = at.with_timezone(&tz);
    match group {
        GroupBy::Week => {
            let w = local.iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        }
        GroupBy::Month => format!("{}-{:02}", local.year(), local.month()),
        _ => local.format("%Y-%m-%d").to_string(),
    }
}

/// Which items count in a group: all of its tickets', or an approver's own.
#[derive(Clone, Copy)]
enum ItemScope {
    All,
    Of(UserId),
}

/// A cohort's items, jobs and ratings by ticket, so each group reads only
/// its own tickets' rows.
struct ByTicket<'a> {
    items: HashMap<i64, Vec<&'a ItemFact>>,
    jobs: HashMap<i64, Vec<&'a JobFact>>,
    ratings: HashMap<i64, u8>,
}

impl<'a> ByTicket<'a> {
    fn new(facts: &'a Facts) -> Self {
        let mut items: HashMap<i64, Vec<&ItemFact>> = HashMap::new();
        for i in &facts.items {
            items.entry(i.ticket_id).or_default().push(i);
        }
        let mut jobs: HashMap<i64, Vec<&JobFact>> = HashMap::new();
        for j in &facts.jobs {
            jobs.entry(j.ticket_id).or_default().push(j);
        }
        Self { items, jobs, ratings: facts.ratings.iter().copied().collect() }
    }
}

fn figures(by: &ByTicket<'_>, tickets: &[&TicketFact], scope: ItemScope, now: DateTime<Utc>) -> Figures {
    let mut f = Figures::default();
    let mut cycle = Vec::new();
    let mut response = Vec::new();
    let mut durations = Vec::new();
    let mut sum = 0u64;
    for t in tickets {
        f.filed += 1;
        match (t.status, t.result) {
            (TicketStatus::Done, result) => {
                f.completed += 1;
                match result {
                    Some(TicketResult::Approved) => f.approved += 1,
                    Some(TicketResult::Rejected) => f.rejected += 1,
                    Some(TicketResult::Withdrawn) => f.withdrawn += 1,
                    None => {}
                }
                cycle.extend(t.done_at.map(|d| secs(t.created_at, d)));
            }
            _ => {
                f.open += 1;
                let age = (now - t.created_at).num_seconds();
                let bucket = BACKLOG_BUCKETS.iter().position(|(_, days)| age < days.saturating_mul(86_400));
                f.backlog[bucket.unwrap_or(4)] += 1;
            }
        }
        for i in by.items.get(&t.id).into_iter().flatten() {
            let (decided, held) = match scope {
                ItemScope::All => (true, true),
                ItemScope::Of(u) => (i.decided_by == Some(u), i.assignee == u),
            };
            if decided && i.status.is_decision() {
                response.extend(i.decided_at.map(|d| secs(i.created_at, d)));
            }
            if let (true, Some(due)) = (held, i.due_at) {
                f.sla_items += 1;
                if i.decided_at.unwrap_or(now) > due {
                    f.sla_breached += 1;
                }
            }
        }
        for j in by.jobs.get(&t.id).into_iter().flatten() {
            match j.status {
                JobStatus::Succeeded => {
                    f.jobs_succeeded += 1;
                    if let (Some(s), Some(e)) = (j.started_at, j.finished_at) {
                        durations.push(secs(s, e));
                    }
                }
                JobStatus::Failed => f.jobs_failed += 1,
                _ => {}
            }
        }
        if let Some(score) = by.ratings.get(&t.id).filter(|s| (1..=5).contains(*s)) {
            f.rating_distribution[*score as usize - 1] += 1;
            sum += *score as u64;
        }
    }
    f.cycle = Stats::of(cycle);
    f.response = Stats::of(response);
    f.job_duration = Stats::of(durations);
    let rated = f.ratings();
    f.rating_average = (rated > 0).then(|| sum as f64 / rated as f64);
    f
}

/// The report of `facts`, grouped by `group` (keys in `tz`), as of `now`.
pub fn aggregate(facts: &Facts, group: Option<GroupBy>, tz: Tz, now: DateTime<Utc>) -> Report {
    let all: Vec<&TicketFact> = facts.tickets.iter().collect();
    let by_ticket = ByTicket::new(facts);
    let totals = figures(&by_ticket, &all, ItemScope::All, now);
    let mut groups = Vec::new();
    match group {
        None => {}
        Some(GroupBy::Approver) => {
            let mut by: BTreeMap<UserId, std::collections::BTreeSet<i64>> = BTreeMap::new();
            for i in &facts.items {
                for u in [Some(i.assignee), i.decided_by].into_iter().flatten() {
                    by.entry(u).or_default().insert(i.ticket_id);
                }
            }
            let index: HashMap<i64, &TicketFact> = all.iter().map(|t| (t.id, *t)).collect();
            for (user, ids) in by {
                let tickets: Vec<&TicketFact> = ids.iter().filter_map(|id| index.get(id).copied()).collect();
                groups.push((user.to_string(), figures(&by_ticket, &tickets, ItemScope::Of(user), now)));
            }
        }
        Some(g) => {
            let mut by: BTreeMap<String, Vec<&TicketFact>> = BTreeMap::new();
            for t in &all {
                let key = match g {
                    GroupBy::Template => t.template.clone(),
                    GroupBy::Department => t.department.map_or("none".into(), |d| d.to_string()),
                    _ => time_key(t.created_at, tz, g),
                };
                by.entry(key).or_default().push(t);
            }
            groups = by.into_iter().map(|(k, ts)| (k, figures(&by_ticket, &ts, ItemScope::All, now))).collect();
        }
    }
    let ids: std::collections::HashSet<i64> = facts.tickets.iter().map(|t| t.id).collect();
    let mut steps: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut approvers: BTreeMap<UserId, Vec<f64>> = BTreeMap::new();
    for i in facts.items.iter().filter(|i| ids.contains(&i.ticket_id) && i.status.is_decision()) {
        if let (Some(d), Some(by)) = (i.decided_at, i.decided_by) {
            steps.entry(i.step.clone()).or_default().push(secs(i.created_at, d));
            approvers.entry(by).or_default().push(secs(i.created_at, d));
        }
    }
    Report {
        totals,
        groups,
        steps: steps.into_iter().map(|(k, v)| (k, Stats::of(v))).collect(),
        approvers: approvers.into_iter().map(|(k, v)| (k, Stats::of(v))).collect(),
    }
}

/// The local start of `day` in `tz` as UTC, for period bounds given as dates.
pub fn day_start(day: chrono::NaiveDate, tz: Tz) -> DateTime<Utc> {
    use chrono::TimeZone as _;
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    match tz.from_local_datetime(&midnight) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        // A zone that skips midnight (a DST jump): the first hour that exists.
        chrono::LocalResult::None => tz
            .from_local_datetime(&(midnight + Duration::hours(1)))
            .earliest()
            .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc)),
    }
}

#[cfg(test)]
#[path = "reports_tests.rs"]
mod tests;
