//! Report latency: each report a manager's page asks for (totals, each
//! grouping, longer periods, a manager's own departments, the CSV
//! exports), `--repeat` times one after another, as one reader would.

use std::time::Instant;

use clap::Args;
use serde_json::{Value, json};

use super::{client::Client, report::Recorder};

#[derive(Args, Debug, Clone)]
pub struct ReportsOptions {
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// Times each report is asked for.
    #[arg(long, default_value_t = 5)]
    pub repeat: usize,
}

const REPORT: &str = "query($g: ReportGroupBy, $f: String, $t: String) { report(groupBy: $g, from: $f, to: $t) {
    totals { filed completed cycle { medianSeconds p90Seconds } slaBreachRate ratingAverage automationSuccessRate
             backlog { count } }
    groups { key label figures { filed completed cycle { medianSeconds } } }
    steps { step wait { medianSeconds } } approvers { name response { medianSeconds } } } }";

fn day(days_ago: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days_ago)).format("%Y-%m-%d").to_string()
}

pub async fn run(options: &ReportsOptions) -> anyhow::Result<()> {
    let client = Client::new(&options.url, 4)?;
    let admin = client.login("admin", "signoff").await?;
    let head = client.login("chen.jie", "signoff").await?;
    let http = reqwest::Client::new();
    println!("bench reports: each {} times against {}", options.repeat, options.url);
    let cases: Vec<(&str, &str, Value)> = vec![
        ("30 days, totals", "admin", json!({})),
        ("30 days by day", "admin", json!({ "g": "DAY" })),
        ("30 days by week", "admin", json!({ "g": "WEEK" })),
        ("30 days by template", "admin", json!({ "g": "TEMPLATE" })),
        ("30 days by department", "admin", json!({ "g": "DEPARTMENT" })),
        ("30 days by approver", "admin", json!({ "g": "APPROVER" })),
        ("90 days by month", "admin", json!({ "g": "MONTH", "f": day(89) })),
        ("180 days by month", "admin", json!({ "g": "MONTH", "f": day(179) })),
        ("30 days, R&D head's departments", "head", json!({ "g": "DEPARTMENT" })),
    ];
    for (name, who, vars) in cases {
        let token = if who == "admin" { &admin } else { &head };
        let mut latency = Recorder::default();
        let mut filed = 0;
        let started = Instant::now();
        for _ in 0..options.repeat {
            let t = Instant::now();
            match client.gql(Some(token), REPORT, vars.clone()).await {
                Ok(data) => {
                    latency.ok(t.elapsed());
                    filed = data["report"]["totals"]["filed"].as_u64().unwrap_or_default();
                }
                Err(e) => latency.error(&e),
            }
        }
        latency.print(&format!("report {name} ({filed} tickets):"), started.elapsed());
    }
    for (name, path) in [
        ("report CSV by day, 30 days", "/reports/report.csv?groupBy=day".to_string()),
        ("tickets CSV, 30 days", "/reports/tickets.csv".to_string()),
    ] {
        let mut latency = Recorder::default();
        let mut bytes = 0;
        let started = Instant::now();
        for _ in 0..options.repeat {
            let t = Instant::now();
            let url = format!("{}{path}", options.url.trim_end_matches('/'));
            match http.get(url).bearer_auth(&admin).send().await {
                Ok(resp) if resp.status().is_success() => {
                    bytes = resp.bytes().await?.len();
                    latency.ok(t.elapsed());
                }
                Ok(resp) => latency.error(&anyhow::anyhow!("HTTP {}", resp.status())),
                Err(e) => latency.error(&e.into()),
            }
        }
        latency.print(&format!("{name} ({bytes} bytes):"), started.elapsed());
    }
    Ok(())
}
