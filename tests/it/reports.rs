//! Managers' reports over the API and as CSV: every figure of a small
//! history counted by hand, managers confined to their departments, CSV
//! with a byte-order mark, bad input refused with stable codes.

use serde_json::{Value, json};

use crate::{
    flow::{People, leave},
    harness::{TestApp, error_code},
    org::dept_id,
};

const REPORT: &str = "query($g: ReportGroupBy, $d: ID, $t: String, $tz: String, $from: String, $to: String) {
    report(groupBy: $g, departmentId: $d, templateCode: $t, timeZone: $tz, from: $from, to: $to) {
        from to timeZone
        totals { filed completed approved rejected withdrawn open ratings ratingAverage ratingDistribution
                 cycle { count meanSeconds medianSeconds p90Seconds } response { count } slaItems slaBreached
                 backlog { bucket count } jobsSucceeded jobsFailed automationSuccessRate }
        groups { key label figures { filed completed } }
        steps { step wait { count } }
        approvers { userId name response { count } } } }";

#[tokio::test]
async fn report_figures_match_a_small_history_and_stay_within_departments() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    // Platform (alice): approved and rated 5, withdrawn, open. Mobile (xu.jing): approved.
    let t1 = p.submit("alice", "leave", leave(1.0)).await;
    p.approve("bob", &t1["id"]).await;
    let t2 = p.submit("alice", "leave", leave(1.0)).await;
    let alice = p.token("alice").await;
    app.gql_ok(
        Some(&alice),
        "mutation($t: ID!) { withdrawTicket(ticketId: $t) { replayed } }",
        json!({ "t": t2["id"] }),
    )
    .await;
    let _t3 = p.submit("alice", "leave", leave(1.0)).await;
    let t4 = p.submit("xu.jing", "leave", leave(1.0)).await;
    p.approve("liu.yang", &t4["id"]).await;
    app.gql_ok(
        Some(&alice),
        "mutation($t: ID!) { rateTicket(ticketId: $t, score: 5) { replayed } }",
        json!({ "t": t1["id"] }),
    )
    .await;

    let admin = p.token("admin").await;
    let all = app.gql_ok(Some(&admin), REPORT, json!({ "g": "TEMPLATE" })).await["report"].clone();
    let t = &all["totals"];
    assert_eq!(all["timeZone"], "Asia/Shanghai");
    assert_eq!(
        (
            t["filed"].as_u64(),
            t["completed"].as_u64(),
            t["approved"].as_u64(),
            t["withdrawn"].as_u64(),
            t["open"].as_u64()
        ),
        (Some(4), Some(3), Some(2), Some(1), Some(1)),
        "{all}"
    );
    assert_eq!((t["ratings"].as_u64(), t["ratingAverage"].as_f64()), (Some(1), Some(5.0)));
    assert_eq!(t["ratingDistribution"], json!([0, 0, 0, 0, 1]));
    assert_eq!(t["cycle"]["count"], 3);
    assert!(t["cycle"]["medianSeconds"].as_f64().unwrap() >= 0.0);
    assert_eq!(t["response"]["count"], 2, "bob's and liu.yang's decisions");
    assert_eq!(t["backlog"][0], json!({ "bucket": "lt_1d", "count": 1 }));
    assert_eq!(t["automationSuccessRate"], Value::Null, "no jobs");
    assert_eq!(all["groups"][0]["key"], "leave");
    assert!(all["groups"][0]["label"].as_str().unwrap().contains("请假"), "{all}");
    assert_eq!(all["steps"][0]["wait"]["count"], 2);
    let names: Vec<&str> = all["approvers"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert!(names.iter().any(|n| n.contains("Bob")) && names.iter().any(|n| n.contains("Liu")), "{names:?}");

    // Bob heads platform: three tickets. Chen Jie heads R&D (platform and mobile): four.
    let bob = p.token("bob").await;
    let mine = app.gql_ok(Some(&bob), REPORT, json!({})).await;
    assert_eq!(mine["report"]["totals"]["filed"], 3, "{mine}");
    let chen = p.token("chen.jie").await;
    let by_dept = app.gql_ok(Some(&chen), REPORT, json!({ "g": "DEPARTMENT" })).await["report"].clone();
    assert_eq!(by_dept["totals"]["filed"], 4);
    let groups: Vec<(String, u64)> = by_dept["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["label"].as_str().unwrap().to_string(), g["figures"]["filed"].as_u64().unwrap()))
        .collect();
    assert!(
        groups.contains(&("平台组 Platform Team".into(), 3)) && groups.contains(&("移动组 Mobile Team".into(), 1)),
        "{groups:?}"
    );
    // A manager never reads another department's figures; staff read none.
    let mobile = dept_id(&app, &admin, "Mobile").await;
    let refused = app.gql(Some(&bob), REPORT, json!({ "d": mobile })).await;
    assert_eq!(error_code(&refused).as_deref(), Some("outside_your_departments"), "{refused}");
    let within = app.gql_ok(Some(&chen), REPORT, json!({ "d": mobile })).await;
    assert_eq!(within["report"]["totals"]["filed"], 1);
    assert_eq!(error_code(&app.gql(Some(&alice), REPORT, json!({})).await).as_deref(), Some("forbidden"));
    let liu = p.token("liu.yang").await;
    assert_eq!(app.gql_ok(Some(&liu), REPORT, json!({})).await["report"]["totals"]["filed"], 1);

    // By approver: each approver's own decisions.
    let by = app.gql_ok(Some(&admin), REPORT, json!({ "g": "APPROVER" })).await["report"]["groups"].clone();
    let bob_id = app.user_id(&admin, "bob").await;
    let bob_row = by.as_array().unwrap().iter().find(|g| g["key"] == bob_id.as_str()).unwrap();
    assert_eq!(bob_row["figures"]["filed"], 3, "the tickets bob held items on (one withdrawn, one open): {by}");

    // A period before anything was filed is empty; bad input is refused.
    let empty = app.gql_ok(Some(&admin), REPORT, json!({ "from": "2025-01-01", "to": "2025-01-31" })).await;
    assert_eq!(empty["report"]["totals"]["filed"], 0);
    for (vars, code) in [
        (json!({ "tz": "Mars/Olympus" }), "invalid_time_zone"),
        (json!({ "from": "2026-02-01", "to": "2026-01-01" }), "invalid_period"),
        (json!({ "from": "2024-01-01", "to": "2026-01-01" }), "invalid_period"),
        (json!({ "from": "yesterday" }), "invalid_date"),
    ] {
        assert_eq!(error_code(&app.gql(Some(&admin), REPORT, vars.clone()).await).as_deref(), Some(code), "{vars}");
    }
    app.stop().await;
}

#[tokio::test]
async fn reports_and_their_tickets_export_as_csv_excel_reads() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    for _ in 0..3 {
        let t = p.submit("alice", "leave", leave(1.0)).await;
        p.approve("bob", &t["id"]).await;
    }
    p.submit("xu.jing", "leave", leave(1.0)).await;
    let admin = p.token("admin").await;
    let get = |path: &str, token: &str| app.client.get(app.url(path)).bearer_auth(token.to_string()).send();

    let resp = get("/reports/report.csv?groupBy=template", &admin).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(resp.headers()["content-disposition"].to_str().unwrap().contains("signoff-report-"));
    let body = resp.bytes().await.unwrap();
    assert!(body.starts_with(b"\xEF\xBB\xBF"), "a byte-order mark for Excel");
    let text = String::from_utf8(body[3..].to_vec()).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header = rows.headers().unwrap().clone();
    let filed = header.iter().position(|h| h == "filed").unwrap();
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 2, "the leave row and the total: {text}");
    assert_eq!(&records[0][1], "leave");
    assert!(records[0][2].contains("请假"), "Chinese labels: {text}");
    assert_eq!(&records[1][0], "total");
    assert_eq!(&records[1][filed], "4");

    // Browsers always ask for compression: the streamed list must survive it.
    let gzipped = app
        .client
        .get(app.url("/reports/tickets.csv"))
        .bearer_auth(&admin)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.status(), 200);
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    assert!(!gzipped.bytes().await.unwrap().is_empty(), "the whole compressed body arrives");
    let tickets = get("/reports/tickets.csv", &admin).await.unwrap();
    assert_eq!(tickets.status(), 200);
    let body = tickets.bytes().await.unwrap();
    assert!(body.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(body[3..].to_vec()).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(&rows.headers().unwrap()[0], "number");
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 4, "{text}");
    assert!(records.iter().any(|r| r[4].contains("Alice") && &r[5] == "done"), "{text}");

    // Bob's export holds his department's three only.
    let bob = p.token("bob").await;
    let text = get("/reports/tickets.csv", &bob).await.unwrap().text().await.unwrap();
    assert_eq!(text.lines().count(), 4, "a header and three tickets: {text}");
    // Refusals carry the JSON error body of every HTTP error.
    let alice = p.token("alice").await;
    let refused = get("/reports/report.csv", &alice).await.unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(refused.json::<Value>().await.unwrap()["error"]["code"], "forbidden");
    let bad = get("/reports/report.csv?groupBy=weekly", &admin).await.unwrap();
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.json::<Value>().await.unwrap()["error"]["code"], "invalid_group");
    let anon = app.client.get(app.url("/reports/tickets.csv")).send().await.unwrap();
    assert_eq!(anon.status(), 401);
    app.stop().await;
}
