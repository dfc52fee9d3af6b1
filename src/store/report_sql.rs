//! Reports computed inside PostgreSQL: the same figures as
//! [`crate::domain::reports::aggregate`], but the database groups, counts
//! and takes percentiles (`percentile_cont`, as the domain interpolates),
//! so a cohort of hundreds of thousands of tickets never crosses the wire.
//! One statement per table, each grouping its rows once for the groups and
//! the total (`GROUPING SETS`), all four run at once on separate
//! connections. SQLite reports read facts instead (its databases are
//! small); the grouping by approver reads facts on both.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use super::{Store, reports::Cohort};
use crate::{
    domain::reports::{Figures, GroupBy, Report, Stats},
    error::Result,
};

/// The SQL of a group's key (a ticket `t`'s), with `$tz` the time zone.
fn key_sql(group: Option<GroupBy>, tz: usize) -> String {
    let local = format!("t.created_at AT TIME ZONE ${tz}");
    match group {
        Some(GroupBy::Day) => format!("to_char({local}, 'YYYY-MM-DD')"),
        Some(GroupBy::Week) => format!("to_char({local}, 'IYYY-\"W\"IW')"),
        Some(GroupBy::Month) => format!("to_char({local}, 'YYYY-MM')"),
        Some(GroupBy::Template) => "t.template_code".into(),
        Some(GroupBy::Department) => "COALESCE(CAST(t.department_id AS TEXT), 'none')".into(),
        Some(GroupBy::Approver) | None => "''".into(),
    }
}

/// Count, mean, median and p90 of `column`, as columns `{p}_n` …
fn stats_sql(column: &str, p: &str) -> String {
    format!(
        "count({column}) AS {p}_n, avg({column}) AS {p}_mean, \
         percentile_cont(0.5) WITHIN GROUP (ORDER BY {column}) AS {p}_median, \
         percentile_cont(0.9) WITHIN GROUP (ORDER BY {column}) AS {p}_p90"
    )
}

fn seconds(later: &str, earlier: &str) -> String {
    format!("CAST(EXTRACT(EPOCH FROM ({later} - {earlier})) AS DOUBLE PRECISION)")
}

fn count(row: &QueryResult, column: &str) -> Result<u64> {
    Ok(row.try_get::<i64>("", column)?.max(0) as u64)
}

fn stats(row: &QueryResult, p: &str) -> Result<Stats> {
    Ok(Stats {
        count: count(row, &format!("{p}_n"))?,
        mean: row.try_get::<Option<f64>>("", &format!("{p}_mean"))?,
        median: row.try_get::<Option<f64>>("", &format!("{p}_median"))?,
        p90: row.try_get::<Option<f64>>("", &format!("{p}_p90"))?,
    })
}

/// Whether a row is the total (`GROUPING(g) = 1`) and its group key.
fn slot(row: &QueryResult) -> Result<Option<String>> {
    let total: i32 = row.try_get("", "total")?;
    Ok(if total == 1 { None } else { Some(row.try_get::<Option<String>>("", "g")?.unwrap_or_default()) })
}

fn figures_of<'a>(
    totals: &'a mut Figures,
    groups: &'a mut BTreeMap<String, Figures>,
    key: Option<String>,
) -> &'a mut Figures {
    match key {
        None => totals,
        Some(k) => groups.entry(k).or_default(),
    }
}

impl Store {
    /// The report of `cohort` grouped by `group` (not by approver) in `tz`,
    /// as of `now`. PostgreSQL only.
    pub async fn report_in_database(
        &self,
        cohort: &Cohort,
        group: Option<GroupBy>,
        tz: &str,
        now: DateTime<Utc>,
    ) -> Result<Report> {
        let (f, mut values) = cohort.filter();
        let base = values.len();
        values.push(tz.to_string().into());
        values.push(now.into());
        for days in [1, 3, 7, 30] {
            values.push(Value::from(now - Duration::days(days)));
        }
        let (tz_at, now_at) = (base + 1, base + 2);
        let b = |i: usize| format!("${}", base + 3 + i);
        let g = key_sql(group, tz_at);
        let sets = "GROUP BY GROUPING SETS ((g), ())";
        let tickets = format!(
            "SELECT GROUPING(g) AS total, g, count(*) AS filed, \
             count(*) FILTER (WHERE status = 'done') AS completed, \
             count(*) FILTER (WHERE result = 'approved') AS approved, \
             count(*) FILTER (WHERE result = 'rejected') AS rejected, \
             count(*) FILTER (WHERE result = 'withdrawn') AS withdrawn, \
             count(*) FILTER (WHERE status <> 'done') AS open, \
             count(*) FILTER (WHERE status <> 'done' AND created_at > {b0}) AS b0, \
             count(*) FILTER (WHERE status <> 'done' AND created_at <= {b0} AND created_at > {b1}) AS b1, \
             count(*) FILTER (WHERE status <> 'done' AND created_at <= {b1} AND created_at > {b2}) AS b2, \
             count(*) FILTER (WHERE status <> 'done' AND created_at <= {b2} AND created_at > {b3}) AS b3, \
             count(*) FILTER (WHERE status <> 'done' AND created_at <= {b3}) AS b4, {cycle} \
             FROM (SELECT {g} AS g, t.status, t.result, t.created_at, {secs} AS cycle FROM tickets t WHERE {f}) x {sets}",
            b0 = b(0),
            b1 = b(1),
            b2 = b(2),
            b3 = b(3),
            cycle = stats_sql("cycle", "cycle"),
            secs = seconds("t.done_at", "t.created_at"),
        );
        let items = format!(
            "SELECT GROUPING(g) AS total, GROUPING(step_name) AS by_step, GROUPING(decided_by) AS by_approver, \
             g, step_name, decided_by, count(*) FILTER (WHERE due_at IS NOT NULL) AS sla_items, \
             count(*) FILTER (WHERE due_at IS NOT NULL AND COALESCE(decided_at, ${now_at}) > due_at) AS sla_breached, \
             {wait} FROM (SELECT {g} AS g, i.step_name, i.decided_by, i.due_at, i.decided_at, \
             CASE WHEN i.status IN ('approved', 'returned', 'rejected', 'confirmed') THEN {secs} END AS wait \
             FROM ticket_items i JOIN tickets t ON t.id = i.ticket_id WHERE {f} AND i.created_at >= $1) x \
             GROUP BY GROUPING SETS ((g), (), (step_name), (decided_by))",
            wait = stats_sql("wait", "wait"),
            secs = seconds("i.decided_at", "i.created_at"),
        );
        let jobs = format!(
            "SELECT GROUPING(g) AS total, g, count(*) FILTER (WHERE status = 'succeeded') AS succeeded, \
             count(*) FILTER (WHERE status = 'failed') AS failed, {d} \
             FROM (SELECT {g} AS g, j.status, CASE WHEN j.status = 'succeeded' THEN {secs} END AS d \
             FROM jobs j JOIN tickets t ON t.id = j.ticket_id WHERE {f}) x {sets}",
            d = stats_sql("d", "d"),
            secs = seconds("j.finished_at", "j.started_at"),
        );
        let ratings = format!(
            "SELECT GROUPING(g) AS total, g, {scores} FROM (SELECT {g} AS g, \
             CAST(CAST(e.payload AS JSONB) ->> 'score' AS INTEGER) AS s FROM ticket_events e \
             JOIN tickets t ON t.id = e.ticket_id WHERE e.kind = 'rated' AND {f}) x {sets}",
            scores = (1..=5).map(|s| format!("count(*) FILTER (WHERE s = {s}) AS s{s}")).collect::<Vec<_>>().join(", "),
        );
        let run = |sql: String| {
            let statement = self.statement(&sql, values.clone());
            async move { Ok::<_, crate::error::Error>(self.db.query_all_raw(statement).await?) }
        };
        let (tickets, items, jobs, ratings) = futures::try_join!(run(tickets), run(items), run(jobs), run(ratings))?;

        let mut groups: BTreeMap<String, Figures> = BTreeMap::new();
        let mut totals = Figures::default();
        for row in &tickets {
            let f = figures_of(&mut totals, &mut groups, slot(row)?);
            f.filed = count(row, "filed")?;
            f.completed = count(row, "completed")?;
            f.approved = count(row, "approved")?;
            f.rejected = count(row, "rejected")?;
            f.withdrawn = count(row, "withdrawn")?;
            f.open = count(row, "open")?;
            for (i, bucket) in f.backlog.iter_mut().enumerate() {
                *bucket = count(row, &format!("b{i}"))?;
            }
            f.cycle = stats(row, "cycle")?;
        }
        let (mut steps, mut approvers) = (Vec::new(), Vec::new());
        for row in &items {
            let (by_step, by_approver): (i32, i32) = (row.try_get("", "by_step")?, row.try_get("", "by_approver")?);
            let total: i32 = row.try_get("", "total")?;
            match (total, by_step, by_approver) {
                // (step_name): total and decided_by are grouped away too.
                (1, 0, 1) => {
                    let wait = stats(row, "wait")?;
                    if wait.count > 0 {
                        steps.push((row.try_get::<String>("", "step_name")?, wait));
                    }
                }
                (1, 1, 0) => {
                    if let Some(user) = row.try_get::<Option<i64>>("", "decided_by")? {
                        approvers.push((user, stats(row, "wait")?));
                    }
                }
                _ => {
                    let f = figures_of(&mut totals, &mut groups, slot(row)?);
                    f.sla_items = count(row, "sla_items")?;
                    f.sla_breached = count(row, "sla_breached")?;
                    f.response = stats(row, "wait")?;
                }
            }
        }
        for row in &jobs {
            let f = figures_of(&mut totals, &mut groups, slot(row)?);
            f.jobs_succeeded = count(row, "succeeded")?;
            f.jobs_failed = count(row, "failed")?;
            f.job_duration = stats(row, "d")?;
        }
        for row in &ratings {
            let f = figures_of(&mut totals, &mut groups, slot(row)?);
            for s in 0..5 {
                f.rating_distribution[s] = count(row, &format!("s{}", s + 1))?;
            }
            let rated = f.ratings();
            let sum: u64 = f.rating_distribution.iter().enumerate().map(|(i, n)| (i as u64 + 1) * n).sum();
            f.rating_average = (rated > 0).then(|| sum as f64 / rated as f64);
        }
        steps.sort_by(|a, b| a.0.cmp(&b.0));
        approvers.sort_by_key(|a| a.0);
        // Groups only exist for tickets filed; a grouping of none has none.
        let groups = match group {
            None => Vec::new(),
            Some(_) => groups.into_iter().filter(|(_, f)| f.filed > 0).collect(),
        };
        Ok(Report { totals, groups, steps, approvers })
    }
}
