//! History that is not read any more is pruned by age, and a request's
//! statement cannot hold a connection for ever.

use std::time::Duration;

use sea_orm::{ColumnTrait, ConnectionTrait, Database, EntityTrait, PaginatorTrait, QueryFilter, sea_query::Expr};
use serde_json::json;
use signoff::store::{
    Store,
    entity::{mutation_receipt, outbox},
};

use crate::{
    flow::leave,
    harness::{TestApp, backend, error_code},
};

const SUBMIT: &str = "mutation($i: SubmitTicketInput!) { submitTicket(input: $i) { replayed ticket { id } } }";

#[tokio::test]
async fn published_outbox_rows_and_old_receipts_are_pruned_in_batches_unpublished_rows_never() {
    // No relay: the test decides which rows count as published.
    let app = TestApp::spawn_with(|c| c.relay_enabled = false).await;
    let alice = app.token("alice").await;
    for n in 0..5 {
        let input =
            json!({ "i": { "templateCode": "leave", "form": leave(1.0), "clientMutationId": format!("leave-{n}") } });
        app.gql_ok(Some(&alice), SUBMIT, input).await;
    }
    let db = Database::connect(&app.config.database_url).await.unwrap();
    let ids: Vec<i64> = outbox::Entity::find().all(&db).await.unwrap().iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), 5);
    let long_ago = chrono::Utc::now() - chrono::Duration::days(3);
    // Three published long ago, one published just now, one never published.
    outbox::Entity::update_many()
        .col_expr(outbox::Column::PublishedAt, Expr::value(Some(long_ago)))
        .filter(outbox::Column::Id.is_in(ids[..3].iter().copied()))
        .exec(&db)
        .await
        .unwrap();
    outbox::Entity::update_many()
        .col_expr(outbox::Column::PublishedAt, Expr::value(Some(chrono::Utc::now())))
        .filter(outbox::Column::Id.eq(ids[3]))
        .exec(&db)
        .await
        .unwrap();
    outbox::Entity::update_many()
        .col_expr(outbox::Column::CreatedAt, Expr::value(long_ago))
        .filter(outbox::Column::Id.eq(ids[4]))
        .exec(&db)
        .await
        .unwrap();
    mutation_receipt::Entity::update_many()
        .col_expr(mutation_receipt::Column::CreatedAt, Expr::value(long_ago))
        .filter(mutation_receipt::Column::ClientMutationId.is_in(["leave-0", "leave-1", "leave-2"]))
        .exec(&db)
        .await
        .unwrap();

    let store = Store::connect(&app.config).await.unwrap();
    let cutoff = chrono::Utc::now() - chrono::Duration::days(1);
    let pruned = store.prune_history(cutoff, cutoff, 2, false).await.unwrap();
    assert_eq!((pruned.outbox, pruned.receipts), (3, 3), "batches of 2 until nothing old is left");
    let left: Vec<i64> = outbox::Entity::find().all(&db).await.unwrap().iter().map(|r| r.id).collect();
    assert_eq!(left, ids[3..], "the recent row and the unpublished one stay");
    assert_eq!(mutation_receipt::Entity::find().count(&db).await.unwrap(), 2);

    // The sweep with the configured retention finds nothing more to do,
    // and a kept receipt still replays.
    let again = signoff::service::timers::prune(&store, &app.config).await.unwrap();
    assert_eq!((again.outbox, again.receipts), (0, 0));
    let replay = json!({ "i": { "templateCode": "leave", "form": leave(1.0), "clientMutationId": "leave-4" } });
    assert_eq!(app.gql_ok(Some(&alice), SUBMIT, replay).await["submitTicket"]["replayed"], true);
    store.close().await;
    let _ = db.close().await;
    app.stop().await;
}

#[tokio::test]
async fn a_request_statement_that_waits_too_long_is_cancelled_as_unavailable() {
    if backend() != "postgres" {
        // SQLite statements do not wait on each other's locks: its writers
        // queue in the node (busy timeout), and there is nothing to cancel.
        return;
    }
    let app = TestApp::spawn_with(|c| c.database_statement_timeout_ms = 300).await;
    let alice = app.token("alice").await;
    // Another session holds the tickets table: every read of it waits.
    let side = Database::connect(&app.config.database_url).await.unwrap();
    side.execute_unprepared("BEGIN; LOCK TABLE tickets IN ACCESS EXCLUSIVE MODE").await.unwrap();
    let list = "{ myTickets(first: 5) { edges { node { id } } } }";
    let started = std::time::Instant::now();
    let blocked = app.gql(Some(&alice), list, json!({})).await;
    assert_eq!(error_code(&blocked).as_deref(), Some("unavailable"), "{blocked}");
    assert!(started.elapsed() < Duration::from_secs(10), "the statement was not cancelled");
    side.execute_unprepared("ROLLBACK").await.unwrap();
    // The pool is healthy afterwards.
    app.gql_ok(Some(&alice), list, json!({})).await;
    let _ = side.close().await;
    app.stop().await;
}
