//! The lists people read, as the history grows: an approver's inbox,
//! counts and handled items, an applicant's tickets (all, by status, a
//! number search, a title search) and a manager's search over everything
//! (by number, by a colleague's name). All virtual users run one list
//! at a time; each list gets its own line, so a database of a million tickets
//! can be compared with an empty one list by list (`seed --volume`).

use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde_json::{Value, json};

use super::{BenchOptions, client::Client, flows::Tokens, report::Recorder};

/// (name, who asks, query, variables); `$number` and `$mine` are filled in.
const LISTS: [(&str, &str, &str); 9] = [
    ("inbox", "bob", "{ inbox(first: 20) { edges { node { id stepName dueAt ticket { number title } } } } }"),
    ("inboxCounts", "bob", "{ inboxCounts { pending overdue } }"),
    ("handledItems", "bob", "{ handledItems(first: 20) { edges { node { id status ticket { number } } } } }"),
    ("myTickets", "alice", "{ myTickets(first: 20) { edges { node { number title status createdAt } } } }"),
    ("myTickets(status)", "alice", "{ myTickets(first: 20, status: DONE) { edges { node { number status } } } }"),
    (
        "myTickets(number)",
        "alice",
        "query($s: String) { myTickets(first: 20, search: $s) { edges { node { number } } } }",
    ),
    ("myTickets(title)", "alice", "{ myTickets(first: 20, search: \"leave\") { edges { node { number } } } }"),
    ("tickets(number)", "admin", "query($s: String) { tickets(first: 20, search: $s) { edges { node { number } } } }"),
    // A generated colleague's name (`seed --volume`), in the title of each of their tickets.
    ("tickets(name)", "admin", "{ tickets(first: 20, search: \"Lin Ping\") { edges { node { number } } } }"),
];

fn numbers(data: &Value, list: &str) -> Vec<String> {
    data[list]["edges"]
        .as_array()
        .map(|edges| edges.iter().filter_map(|e| e["node"]["number"].as_str().map(String::from)).collect())
        .unwrap_or_default()
}

/// Spreads the virtual users over the numbers to search for.
fn options_stride() -> usize {
    7
}

type Shared = (std::collections::HashMap<&'static str, String>, Vec<String>, Vec<String>);

/// One request of list `k`, checked.
async fn once(client: &Client, shared: &Shared, k: usize, n: usize) -> anyhow::Result<()> {
    let (people, mine, all) = shared;
    let (name, who, query) = LISTS[k];
    let variables = match name {
        "myTickets(number)" => json!({ "s": mine[n % mine.len()] }),
        "tickets(number)" => json!({ "s": all[n % all.len()] }),
        _ => json!({}),
    };
    let d = client.gql(Some(&people[who]), query, variables).await.with_context(|| name.to_string())?;
    anyhow::ensure!(d.as_object().is_some_and(|o| !o.is_empty()), "{name}: empty answer");
    if name.ends_with("(number)") {
        let list = if name.starts_with("my") { "myTickets" } else { "tickets" };
        anyhow::ensure!(numbers(&d, list).len() == 1, "{name} found {d}");
    }
    Ok(())
}

pub async fn run(options: &BenchOptions) -> anyhow::Result<()> {
    let client = Client::new(&options.url, options.users)?;
    let tokens = Tokens::default();
    let mut people = std::collections::HashMap::new();
    for user in ["bob", "alice", "admin"] {
        people.insert(user, tokens.get(&client, user).await?);
    }
    // Numbers to search for: some of alice's, some of anyone's.
    let mine =
        client.gql(Some(&people["alice"]), "{ myTickets(first: 50) { edges { node { number } } } }", json!({})).await?;
    let all = client
        .gql(
            Some(&people["admin"]),
            "{ tickets(first: 50, order: OLDEST_FIRST) { edges { node { number } } } }",
            json!({}),
        )
        .await?;
    let (mine, all) = (numbers(&mine, "myTickets"), numbers(&all, "tickets"));
    anyhow::ensure!(!mine.is_empty() && !all.is_empty(), "no tickets to search for: seed some first");
    println!(
        "bench lists: {} virtual users, {} s (+{} s warm-up) per list, one list at a time, against {}",
        options.users, options.duration, options.warmup, options.url
    );
    let shared = std::sync::Arc::new((people, mine, all));
    for (k, (name, _, _)) in LISTS.iter().enumerate() {
        let measure_from = Instant::now() + Duration::from_secs(options.warmup);
        let until = measure_from + options.duration();
        let mut handles = Vec::new();
        for vu in 0..options.users {
            let (client, shared) = (client.clone(), shared.clone());
            handles.push(tokio::spawn(async move {
                let mut recorder = Recorder::default();
                let mut n = vu;
                while Instant::now() < until {
                    n = n.wrapping_add(options_stride());
                    let started = Instant::now();
                    let result = once(&client, &shared, k, n).await;
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
        total.print(&format!("{name}:"), options.duration());
    }
    Ok(())
}
