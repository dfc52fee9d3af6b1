use chrono::TimeZone;
use proptest::prelude::*;

use super::*;

fn at(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
}

fn ticket(
    id: i64,
    template: &str,
    dept: i64,
    created: DateTime<Utc>,
    done: Option<(DateTime<Utc>, TicketResult)>,
) -> TicketFact {
    TicketFact {
        id,
        template: template.into(),
        department: Some(dept),
        created_at: created,
        done_at: done.map(|d| d.0),
        status: if done.is_some() { TicketStatus::Done } else { TicketStatus::InApproval },
        result: done.map(|d| d.1),
    }
}

fn item(
    ticket_id: i64,
    by: UserId,
    created: DateTime<Utc>,
    decided: Option<DateTime<Utc>>,
    due: Option<DateTime<Utc>>,
) -> ItemFact {
    ItemFact {
        ticket_id,
        step: "head".into(),
        assignee: by,
        decided_by: decided.map(|_| by),
        status: if decided.is_some() { ItemStatus::Approved } else { ItemStatus::Pending },
        created_at: created,
        decided_at: decided,
        due_at: due,
    }
}

#[test]
fn a_small_history_gives_the_hand_computed_figures() {
    let shanghai: Tz = "Asia/Shanghai".parse().unwrap();
    let now = at(20, 0);
    // Filed 1 Nov 20:00 UTC (2 Nov in Shanghai), done after 2 h; filed 2 Nov, done after 4 h, rejected;
    // filed 3 Nov, done after 12 h; filed 4 Nov, still open (16 days old).
    let facts = Facts {
        tickets: vec![
            ticket(1, "leave", 10, at(1, 20), Some((at(1, 22), TicketResult::Approved))),
            ticket(2, "leave", 10, at(2, 8), Some((at(2, 12), TicketResult::Rejected))),
            ticket(3, "expense", 20, at(3, 0), Some((at(3, 12), TicketResult::Approved))),
            ticket(4, "expense", 20, at(4, 0), None),
        ],
        items: vec![
            item(1, 7, at(1, 20), Some(at(1, 21)), Some(at(1, 23))),
            item(2, 7, at(2, 8), Some(at(2, 12)), Some(at(2, 10))),
            item(3, 8, at(3, 0), Some(at(3, 6)), None),
            item(4, 8, at(4, 0), None, Some(at(5, 0))),
        ],
        jobs: vec![
            JobFact {
                ticket_id: 3,
                status: JobStatus::Succeeded,
                started_at: Some(at(3, 6)),
                finished_at: Some(at(3, 7)),
            },
            JobFact {
                ticket_id: 4,
                status: JobStatus::Failed,
                started_at: Some(at(4, 1)),
                finished_at: Some(at(4, 2)),
            },
        ],
        ratings: vec![(1, 5), (3, 2)],
    };
    let r = aggregate(&facts, Some(GroupBy::Day), shanghai, now);
    let t = &r.totals;
    assert_eq!((t.filed, t.completed, t.approved, t.rejected, t.withdrawn, t.open), (4, 3, 2, 1, 0, 1));
    // Cycle times 2 h, 4 h, 12 h: mean 6 h, median 4 h, p90 = 4 + 0.8 × 8 = 10.4 h.
    assert_eq!(t.cycle.count, 3);
    assert_eq!(t.cycle.mean, Some(6.0 * 3600.0));
    assert_eq!(t.cycle.median, Some(4.0 * 3600.0));
    assert!((t.cycle.p90.unwrap() - 10.4 * 3600.0).abs() < 1e-6);
    // SLA: item 2 decided after its due time, item 4 pending past it; item 1 in time.
    assert_eq!((t.sla_items, t.sla_breached, t.sla_breach_rate()), (3, 2, Some(2.0 / 3.0)));
    assert_eq!((t.jobs_succeeded, t.jobs_failed, t.automation_success_rate()), (1, 1, Some(0.5)));
    assert_eq!(t.job_duration.mean, Some(3600.0));
    assert_eq!((t.rating_distribution, t.rating_average), ([0, 1, 0, 0, 1], Some(3.5)));
    assert_eq!(t.backlog, [0, 0, 0, 1, 0], "16 days old");
    // Response: 1 h, 4 h, 6 h.
    assert_eq!(t.response.median, Some(4.0 * 3600.0));
    // Days in Shanghai: ticket 1 was filed on 2 Nov there, with ticket 2.
    let days: Vec<(&str, u64)> = r.groups.iter().map(|(k, f)| (k.as_str(), f.filed)).collect();
    assert_eq!(days, [("2026-11-02", 2), ("2026-11-03", 1), ("2026-11-04", 1)]);
    assert_eq!(r.steps, vec![("head".to_string(), Stats::of(vec![3600.0, 4.0 * 3600.0, 6.0 * 3600.0]))]);
    assert_eq!(r.approvers.iter().map(|(u, s)| (*u, s.count)).collect::<Vec<_>>(), [(7, 2), (8, 1)]);

    let by_approver = aggregate(&facts, Some(GroupBy::Approver), shanghai, now);
    let eight = &by_approver.groups.iter().find(|(k, _)| k == "8").unwrap().1;
    assert_eq!((eight.filed, eight.response.count, eight.sla_items, eight.sla_breached), (2, 1, 1, 1));
    let weeks = aggregate(&facts, Some(GroupBy::Week), shanghai, now);
    assert_eq!(weeks.groups.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["2026-W45"]);
    let months = aggregate(&facts, Some(GroupBy::Month), Tz::UTC, now);
    assert_eq!(months.groups.len(), 1);
}

#[test]
fn periods_start_at_local_midnight() {
    let shanghai: Tz = "Asia/Shanghai".parse().unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    assert_eq!(day_start(day, shanghai), Utc.with_ymd_and_hms(2026, 12, 3, 16, 0, 0).unwrap());
}

/// The median and p90 the slow way: sort, then pick by rank.
fn brute(values: &[f64]) -> (Option<f64>, Option<f64>) {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return (None, None);
    }
    let median = if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 };
    let rank = 0.9 * (n - 1) as f64;
    let p90 = v[rank as usize] + (v[(rank as usize + 1).min(n - 1)] - v[rank as usize]) * rank.fract();
    (Some(median), Some(p90))
}

fn history() -> impl Strategy<Value = Facts> {
    let one = (0u32..3, 0i64..3, 0u32..600, prop::option::of((1u32..200, 0u8..3)), 0u8..6, 0u8..4);
    prop::collection::vec(one, 0..40).prop_map(|rows| {
        let mut facts = Facts::default();
        for (i, (template, dept, start, done, rating, items)) in rows.into_iter().enumerate() {
            let id = i as i64 + 1;
            let created = at(1, 0) + Duration::hours(start as i64);
            let done = done.map(|(h, r)| {
                let result = [TicketResult::Approved, TicketResult::Rejected, TicketResult::Withdrawn][r as usize];
                (created + Duration::minutes(h as i64 * 7), result)
            });
            facts.tickets.push(ticket(id, ["leave", "expense", "it-access"][template as usize], dept, created, done));
            for k in 0..items as i64 {
                let decided = done.map(|(d, _)| created + (d - created) / 2 + Duration::minutes(k));
                let due = (k % 2 == 0).then(|| created + Duration::hours(3));
                facts.items.push(item(id, 100 + (id + k) % 4, created, decided, due));
            }
            if let (Some(_), 1..=5) = (done, rating) {
                facts.ratings.push((id, rating));
            }
        }
        facts
    })
}

proptest! {
    /// Every grouping partitions the cohort (approvers excepted), and each
    /// group's figures equal a recomputation from its own tickets.
    #[test]
    fn groups_equal_a_brute_force_recomputation(facts in history(), g in 0usize..5) {
        let group = [GroupBy::Day, GroupBy::Week, GroupBy::Month, GroupBy::Template, GroupBy::Department][g];
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        let now = at(28, 0);
        let r = aggregate(&facts, Some(group), tz, now);
        prop_assert_eq!(r.groups.iter().map(|(_, f)| f.filed).sum::<u64>(), facts.tickets.len() as u64);
        prop_assert_eq!(r.groups.iter().map(|(_, f)| f.completed).sum::<u64>(), r.totals.completed);
        prop_assert_eq!(r.groups.iter().map(|(_, f)| f.sla_breached).sum::<u64>(), r.totals.sla_breached);
        prop_assert_eq!(r.groups.iter().map(|(_, f)| f.ratings()).sum::<u64>(), facts.ratings.len() as u64);
        for (key, f) in &r.groups {
            let mine: Vec<&TicketFact> = facts.tickets.iter().filter(|t| match group {
                GroupBy::Template => &t.template == key,
                GroupBy::Department => t.department.map(|d| d.to_string()).as_deref() == Some(key.as_str()),
                _ => &time_key(t.created_at, tz, group) == key,
            }).collect();
            let cycles: Vec<f64> = mine.iter().filter_map(|t| t.done_at.map(|d| (d - t.created_at).num_seconds() as f64)).collect();
            let (median, p90) = brute(&cycles);
            prop_assert_eq!(f.filed, mine.len() as u64);
            prop_assert_eq!(f.cycle.median, median);
            let close = match (f.cycle.p90, p90) { (Some(a), Some(b)) => (a - b).abs() < 1e-6, (a, b) => a == b };
            prop_assert!(close, "p90 {:?} vs {:?}", f.cycle.p90, p90);
            let ids: Vec<i64> = mine.iter().map(|t| t.id).collect();
            let breached = facts.items.iter().filter(|i| ids.contains(&i.ticket_id) && i.due_at.is_some_and(|due| i.decided_at.unwrap_or(now) > due)).count();
            prop_assert_eq!(f.sla_breached, breached as u64);
            let scores: Vec<u8> = facts.ratings.iter().filter(|(t, _)| ids.contains(t)).map(|(_, s)| *s).collect();
            let average = (!scores.is_empty()).then(|| scores.iter().map(|s| *s as f64).sum::<f64>() / scores.len() as f64);
            prop_assert_eq!(f.rating_average, average);
        }
    }
}
