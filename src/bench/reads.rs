//! Ticket detail reads: the page an applicant or approver opens — a ticket
//! with its steps, items and timeline. Tickets are filed first, then every
//! virtual user reads them at random for the duration.

use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde_json::json;

use super::{BenchOptions, client::Client, flows::Tokens, report::Recorder};

const DETAIL: &str = "query($i: ID!) { ticket(id: $i) { id number title status result round form
    applicant { displayName } items { id status stepName assignee { displayName } decidedBy { displayName } }
    timeline { kind createdAt actor { displayName } } } }";

pub async fn run(options: &BenchOptions, tickets: usize) -> anyhow::Result<()> {
    let client = Client::new(&options.url, options.users)?;
    let tokens = Tokens::default();
    let token = tokens.get(&client, "alice").await?;
    let mut ids = Vec::with_capacity(tickets);
    let form = json!({ "leave_type": "sick", "start_date": "2026-12-02", "days": 1, "reason": "bench reads" });
    for _ in 0..tickets {
        let data = client
            .gql(
                Some(&token),
                "mutation($i: SubmitTicketInput!) { submitTicket(input: $i) { ticket { id } } }",
                json!({ "i": { "templateCode": "leave", "form": form } }),
            )
            .await?;
        ids.push(data["submitTicket"]["ticket"]["id"].as_str().context("no ticket id")?.to_string());
    }
    println!(
        "bench reads: {} virtual users, {} tickets, {} s (+{} s warm-up) against {}",
        options.users, tickets, options.duration, options.warmup, options.url
    );
    let measure_from = Instant::now() + Duration::from_secs(options.warmup);
    let until = measure_from + options.duration();
    let ids = std::sync::Arc::new(ids);
    let mut handles = Vec::new();
    for vu in 0..options.users {
        let (client, token, ids) = (client.clone(), token.clone(), ids.clone());
        handles.push(tokio::spawn(async move {
            let mut recorder = Recorder::default();
            let mut n = vu * 7919;
            while Instant::now() < until {
                n = n.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let id = &ids[n % ids.len()];
                let started = Instant::now();
                let result = client.gql(Some(&token), DETAIL, json!({ "i": id })).await.and_then(|d| {
                    anyhow::ensure!(d["ticket"]["id"] == json!(id), "wrong or missing ticket: {d}");
                    Ok(())
                });
                if started >= measure_from {
                    match result {
                        Ok(()) => recorder.ok(started.elapsed()),
                        Err(err) => recorder.error(&err),
                    }
                }
            }
            recorder
        }));
    }
    let mut total = Recorder::default();
    for handle in handles {
        total.merge(handle.await?);
    }
    total.print("ticket detail reads:", options.duration());
    Ok(())
}
