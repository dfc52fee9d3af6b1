//! `seed --volume`: generated history is real history. Every ticket is
//! one the engine could have written, ids follow time, and a node filing
//! afterwards carries on without colliding with it.

use std::sync::Arc;

use sea_orm::{Database, EntityTrait, PaginatorTrait, QueryOrder};
use serde_json::json;
use signoff::{
    service::volume::{VolumeOptions, generate},
    store::{
        Store,
        entity::{ticket, ticket_item},
    },
};

use crate::{
    flow::{People, leave},
    harness::TestApp,
};

#[tokio::test]
async fn generated_history_reads_like_real_tickets_and_filing_carries_on_after_it() {
    let app = TestApp::spawn().await;
    let store = Store::connect(&app.config).await.unwrap();
    let options = VolumeOptions { tickets: 3_000, users: 40, days: 90, seed: 7 };
    generate(&store, Arc::new((*app.config).clone()), options).await.unwrap();

    let db = Database::connect(&app.config.database_url).await.unwrap();
    let total = ticket::Entity::find().count(&db).await.unwrap();
    assert!(total >= 3_000, "{total} tickets");
    // Ids follow time among the generated tickets (the model tickets come first).
    let rows = ticket::Entity::find().order_by_asc(ticket::Column::Id).all(&db).await.unwrap();
    let history: Vec<_> =
        rows.iter().filter(|t| t.created_at < chrono::Utc::now() - chrono::Duration::hours(1)).collect();
    assert!(history.len() >= 2_900, "{} in the past", history.len());
    assert!(history.windows(2).all(|w| w[0].created_at <= w[1].created_at), "ids follow filing time");
    assert!(rows.iter().all(|t| t.updated_at <= chrono::Utc::now()), "nothing happens in the future");
    let open = rows.iter().filter(|t| t.status != "done").count();
    assert!(open > 0 && open < rows.len() / 5, "{open} open of {}", rows.len());

    // A generated colleague signs in, sees their tickets newest first, and
    // each reads back whole: steps, items and a timeline in order.
    let mut p = People::new(&app);
    let colleague = p.token("vol.00003").await;
    let q = "{ myTickets(first: 5) { edges { node { number createdAt applicant { username } steps { name }
               timeline { kind createdAt } } } } }";
    let mine = app.gql_ok(Some(&colleague), q, json!({})).await;
    let edges = mine["myTickets"]["edges"].as_array().unwrap();
    assert!(!edges.is_empty(), "{mine}");
    for edge in edges {
        let node = &edge["node"];
        assert_eq!(node["applicant"]["username"], "vol.00003");
        assert!(!node["steps"].as_array().unwrap().is_empty(), "{node}");
        let times: Vec<&str> =
            node["timeline"].as_array().unwrap().iter().map(|e| e["createdAt"].as_str().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        assert_eq!(node["timeline"][0]["kind"], "submitted");
    }
    let created: Vec<&str> = edges.iter().map(|e| e["node"]["createdAt"].as_str().unwrap()).collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first: {created:?}");

    // Heads have generated work waiting.
    let bob = p.token("bob").await;
    let bob_id: i64 = p.id_of("bob").await.parse().unwrap();
    let counts = app.gql_ok(Some(&bob), "{ inboxCounts { pending overdue } }", json!({})).await;
    let items = ticket_item::Entity::find().all(&db).await.unwrap();
    let now = chrono::Utc::now();
    let mine: Vec<_> = items
        .iter()
        .filter(|i| i.status == "pending" && (i.assignee_id == bob_id || i.on_behalf_of == Some(bob_id)))
        .collect();
    let overdue = mine.iter().filter(|i| i.due_at.is_some_and(|d| d < now)).count() as u64;
    assert!(!mine.is_empty() && overdue > 0, "{} pending, {overdue} overdue", mine.len());
    assert_eq!(counts["inboxCounts"]["pending"].as_u64(), Some(mine.len() as u64), "{counts}");
    assert_eq!(counts["inboxCounts"]["overdue"].as_u64(), Some(overdue), "{counts}");

    // Reports over the history find every kind of ending, SLA breaches,
    // automations that ran and failed, and ratings.
    let admin = p.token("admin").await;
    let from = (chrono::Utc::now() - chrono::Duration::days(100)).format("%Y-%m-%d").to_string();
    let q = "query($f: String) { report(from: $f) { totals { filed approved rejected withdrawn open slaBreached
               jobsSucceeded jobsFailed ratings ratingAverage } } }";
    let r = app.gql_ok(Some(&admin), q, json!({ "f": from })).await;
    let t = &r["report"]["totals"];
    assert!(t["filed"].as_u64().unwrap() >= 3_000, "{r}");
    for figure in ["approved", "rejected", "withdrawn", "open", "slaBreached", "jobsSucceeded", "jobsFailed", "ratings"]
    {
        assert!(t[figure].as_u64().unwrap() > 0, "{figure}: {r}");
    }
    assert!((1.0..=5.0).contains(&t["ratingAverage"].as_f64().unwrap()), "{r}");

    // On PostgreSQL the database computes reports; they equal the domain's
    // computation from the raw facts, figure by figure, for every grouping.
    if crate::harness::backend() == "postgres" {
        use signoff::{domain::reports, store::reports::Cohort};
        let now = chrono::Utc::now();
        let cohort = Cohort { from: now - chrono::Duration::days(100), to: now, template: None, departments: None };
        let facts = store.report_facts(&cohort).await.unwrap();
        let tz = chrono_tz::Asia::Shanghai;
        let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() <= 0.01 + a.abs() * 1e-9,
            (a, b) => a == b,
        };
        for group in [
            None,
            Some(reports::GroupBy::Day),
            Some(reports::GroupBy::Week),
            Some(reports::GroupBy::Month),
            Some(reports::GroupBy::Template),
            Some(reports::GroupBy::Department),
        ] {
            let sql = store.report_in_database(&cohort, group, tz.name(), now).await.unwrap();
            let brute = reports::aggregate(&facts, group, tz, now);
            assert_eq!(sql.groups.len(), brute.groups.len(), "{group:?}");
            let pairs = std::iter::once((&sql.totals, &brute.totals)).chain(sql.groups.iter().zip(&brute.groups).map(
                |((ka, a), (kb, b))| {
                    assert_eq!(ka, kb, "{group:?}");
                    (a, b)
                },
            ));
            for (a, b) in pairs {
                let counts = |f: &reports::Figures| {
                    (
                        (f.filed, f.completed, f.approved, f.rejected, f.withdrawn, f.open, f.backlog),
                        (f.sla_items, f.sla_breached, f.jobs_succeeded, f.jobs_failed, f.rating_distribution),
                        (f.response.count, f.cycle.count),
                    )
                };
                assert_eq!(counts(a), counts(b), "{group:?}");
                for (x, y) in [(&a.cycle, &b.cycle), (&a.response, &b.response), (&a.job_duration, &b.job_duration)] {
                    assert!(
                        close(x.mean, y.mean) && close(x.median, y.median) && close(x.p90, y.p90),
                        "{group:?}: {x:?} vs {y:?}"
                    );
                }
                assert!(close(a.rating_average, b.rating_average), "{group:?}");
            }
            assert_eq!(sql.steps.len(), brute.steps.len());
            for ((sa, a), (sb, b)) in sql.steps.iter().zip(&brute.steps) {
                assert_eq!((sa, a.count), (sb, b.count));
                assert!(close(a.median, b.median) && close(a.p90, b.p90), "step {sa}: {a:?} vs {b:?}");
            }
            assert_eq!(
                sql.approvers.iter().map(|(u, s)| (*u, s.count)).collect::<Vec<_>>(),
                brute.approvers.iter().map(|(u, s)| (*u, s.count)).collect::<Vec<_>>()
            );
        }
    }

    // Filing after the bulk load: fresh id and number, and it is approvable.
    let filed = p.submit("alice", "leave", leave(1.0)).await;
    let newest = ticket::Entity::find().order_by_desc(ticket::Column::Id).one(&db).await.unwrap().unwrap();
    assert_eq!(newest.number, filed["number"].as_str().unwrap());
    p.approve("bob", &filed["id"]).await;
    store.close().await;
    let _ = db.close().await;
    app.stop().await;
}
