//! `report(...)`: managers' figures over their departments, administrators'
//! over everything (see `service::reports`). The same report as CSV is at
//! `GET /reports/report.csv`, its tickets at `GET /reports/tickets.csv`.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, SimpleObject};

use super::context::{actor, store};
use crate::{
    domain::reports::{self, BACKLOG_BUCKETS, Figures, Stats},
    error::Result,
    service::{
        catalog::Catalog,
        reports::{Labels, ReportRequest, Scope, labels, parse_day, report},
    },
};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "reports::GroupBy")]
/// How a report's rows are grouped: by filing day, ISO week or month in
/// the report's time zone, by template, department or approver.
pub enum ReportGroupBy {
    Day,
    Week,
    Month,
    Template,
    Department,
    Approver,
}

/// Durations in seconds; null when there is nothing to measure.
#[derive(SimpleObject)]
pub struct DurationStats {
    pub count: u64,
    pub mean_seconds: Option<f64>,
    pub median_seconds: Option<f64>,
    /// Interpolated between ranks, as PostgreSQL's `percentile_cont`.
    pub p90_seconds: Option<f64>,
}

impl From<&Stats> for DurationStats {
    fn from(s: &Stats) -> Self {
        Self { count: s.count, mean_seconds: s.mean, median_seconds: s.median, p90_seconds: s.p90 }
    }
}

/// Open tickets filed between `minDays` and `maxDays` ago.
#[derive(SimpleObject)]
pub struct BacklogBucket {
    /// `lt_1d`, `1d_3d`, `3d_7d`, `7d_30d`, `gt_30d`.
    pub bucket: &'static str,
    pub count: u64,
}

/// The figures of the tickets filed in a period (or one group of them).
pub struct ReportFigures(Figures);

#[Object]
impl ReportFigures {
    async fn filed(&self) -> u64 {
        self.0.filed
    }
    /// Of the filed ones, how many are DONE, and how they ended.
    async fn completed(&self) -> u64 {
        self.0.completed
    }
    async fn approved(&self) -> u64 {
        self.0.approved
    }
    async fn rejected(&self) -> u64 {
        self.0.rejected
    }
    async fn withdrawn(&self) -> u64 {
        self.0.withdrawn
    }
    async fn open(&self) -> u64 {
        self.0.open
    }
    /// Filed to done.
    async fn cycle(&self) -> DurationStats {
        (&self.0.cycle).into()
    }
    /// Item created to decided (approvers' response time).
    async fn response(&self) -> DurationStats {
        (&self.0.response).into()
    }
    /// Items with a due time, and those decided after it or pending past it.
    async fn sla_items(&self) -> u64 {
        self.0.sla_items
    }
    async fn sla_breached(&self) -> u64 {
        self.0.sla_breached
    }
    async fn sla_breach_rate(&self) -> Option<f64> {
        self.0.sla_breach_rate()
    }
    async fn jobs_succeeded(&self) -> u64 {
        self.0.jobs_succeeded
    }
    async fn jobs_failed(&self) -> u64 {
        self.0.jobs_failed
    }
    /// Succeeded over succeeded and failed-for-good jobs.
    async fn automation_success_rate(&self) -> Option<f64> {
        self.0.automation_success_rate()
    }
    /// Started to finished of succeeded jobs (their last attempt).
    async fn job_duration(&self) -> DurationStats {
        (&self.0.job_duration).into()
    }
    async fn ratings(&self) -> u64 {
        self.0.ratings()
    }
    async fn rating_average(&self) -> Option<f64> {
        self.0.rating_average
    }
    /// How many rated 1, 2, 3, 4 and 5.
    async fn rating_distribution(&self) -> Vec<u64> {
        self.0.rating_distribution.to_vec()
    }
    /// Open tickets by age.
    async fn backlog(&self) -> Vec<BacklogBucket> {
        BACKLOG_BUCKETS.iter().zip(self.0.backlog).map(|((bucket, _), count)| BacklogBucket { bucket, count }).collect()
    }
}

#[derive(SimpleObject)]
pub struct ReportGroup {
    /// `2026-12-04`, `2026-W49`, `2026-12`, a template code, a department
    /// id (`none`) or a user id.
    pub key: String,
    /// The template's, department's or person's name; the key otherwise.
    pub label: String,
    pub figures: ReportFigures,
}

#[derive(SimpleObject)]
pub struct StepWait {
    pub step: String,
    pub wait: DurationStats,
}

#[derive(SimpleObject)]
pub struct ApproverResponse {
    pub user_id: ID,
    pub name: String,
    pub response: DurationStats,
}

#[derive(SimpleObject)]
pub struct Report {
    /// The period's first and last day (inclusive) in `timeZone`.
    pub from: String,
    pub to: String,
    pub time_zone: String,
    pub group_by: Option<ReportGroupBy>,
    pub totals: ReportFigures,
    pub groups: Vec<ReportGroup>,
    /// Per step: created to decided of its decided items.
    pub steps: Vec<StepWait>,
    pub approvers: Vec<ApproverResponse>,
}

fn build(scope: &Scope, report: reports::Report, labels: &Labels) -> Report {
    Report {
        from: scope.from.to_string(),
        to: scope.to.to_string(),
        time_zone: scope.tz.name().to_string(),
        group_by: scope.group_by.map(Into::into),
        groups: report
            .groups
            .into_iter()
            .map(|(key, f)| ReportGroup { label: labels.group(scope.group_by, &key), key, figures: ReportFigures(f) })
            .collect(),
        steps: report.steps.iter().map(|(step, s)| StepWait { step: step.clone(), wait: s.into() }).collect(),
        approvers: report
            .approvers
            .iter()
            .map(|(u, s)| ApproverResponse {
                user_id: ID(u.to_string()),
                name: labels.users.get(u).cloned().unwrap_or_default(),
                response: s.into(),
            })
            .collect(),
        totals: ReportFigures(report.totals),
    }
}

#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// Managers (their departments and below) and administrators: the
    /// tickets filed from `from` to `to` (days, inclusive, `YYYY-MM-DD`,
    /// in `timeZone`, default Asia/Shanghai; the last 30 days by default,
    /// at most 366), of one template and one department's subtree if
    /// given, grouped by `groupBy`.
    #[allow(clippy::too_many_arguments)]
    async fn report(
        &self,
        ctx: &Context<'_>,
        from: Option<String>,
        to: Option<String>,
        time_zone: Option<String>,
        template_code: Option<String>,
        department_id: Option<ID>,
        group_by: Option<ReportGroupBy>,
    ) -> Result<Report> {
        let request = ReportRequest {
            from: from.as_deref().map(|d| parse_day("from", d)).transpose()?,
            to: to.as_deref().map(|d| parse_day("to", d)).transpose()?,
            time_zone,
            template: template_code,
            department: department_id.map(|d| d.0),
            group_by: group_by.map(Into::into),
        };
        let catalog = ctx.data_unchecked::<Arc<Catalog>>();
        let (scope, report) = report(store(ctx), catalog, actor(ctx)?, &request).await?;
        let labels = labels(store(ctx), &report, scope.group_by, &[], &[]).await?;
        Ok(build(&scope, report, &labels))
    }
}
