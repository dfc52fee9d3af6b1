//! The HTTP edge: oversized and malformed bodies, query depth and complexity
//! limits, probes, metrics, unknown routes, and no internals in errors.

use serde_json::{Value, json};

use crate::harness::TestApp;

#[tokio::test]
async fn oversized_and_malformed_bodies_get_clear_errors() {
    let app = TestApp::spawn().await;
    let big = format!(
        "{{\"query\": \"{{ me {{ id }} }}\", \"variables\": {{ \"pad\": \"{}\" }} }}",
        "x".repeat(2 * 1024 * 1024)
    );
    // The server answers before reading the rest and closes that connection:
    // a client of its own keeps the shared pool clean.
    let once = reqwest::Client::new();
    let resp =
        once.post(app.url("/graphql")).header("content-type", "application/json").body(big).send().await.unwrap();
    assert_eq!(resp.status(), 413);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "payload_too_large");

    for bad in ["{not json", "", "[1, 2]", "{\"query\": 42}"] {
        let resp = app
            .client
            .post(app.url("/graphql"))
            .header("content-type", "application/json")
            .body(bad)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{bad:?}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "invalid_json", "{bad:?}");
    }

    let syntax = app.gql(None, "{ me { id ", json!({})).await;
    assert_eq!(syntax["errors"][0]["extensions"]["code"], "invalid_query");
    let unknown_field = app.gql(None, "{ secrets }", json!({})).await;
    assert_eq!(unknown_field["errors"][0]["extensions"]["code"], "invalid_query");
    app.stop().await;
}

#[tokio::test]
async fn deep_and_expensive_queries_are_refused() {
    let app = TestApp::spawn().await;
    let token = app.token("alice").await;
    let mut deep = String::from("id");
    for _ in 0..14 {
        deep = format!("parent {{ {deep} }}");
    }
    let resp = app.gql(Some(&token), &format!("{{ me {{ department {{ {deep} }} }} }}"), json!({})).await;
    assert_eq!(resp["errors"][0]["extensions"]["code"], "query_too_deep", "{resp}");

    let costly = "{ users(first: 100) { edges { node { department { members(first: 100) { edges { node { id username manager { id } } } } } } } } }";
    let resp = app.gql(Some(&token), costly, json!({})).await;
    assert_eq!(resp["errors"][0]["extensions"]["code"], "query_too_complex", "{resp}");

    // A reasonable nested query is fine, and batch loading answers it.
    let fine = "{ users(first: 30) { edges { node { username department { name head { username } } manager { username } roles } } } }";
    let data = app.gql_ok(Some(&token), fine, json!({})).await;
    assert_eq!(data["users"]["edges"].as_array().unwrap().len(), 30);
    app.stop().await;
}

#[tokio::test]
async fn probes_metrics_and_unknown_routes() {
    let app = TestApp::spawn().await;
    let health: Value = app.client.get(app.url("/healthz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
    let ready: Value = app.client.get(app.url("/readyz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(ready["database"], "up");

    app.gql(None, "{ me { id } }", json!({})).await;
    let metrics = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    for name in ["request_total", "request_url_total{url=\"/graphql\",code=\"200\"}", "request_duration_bucket"] {
        assert!(metrics.contains(name), "{name} missing from /metrics");
    }

    // Unknown API routes are JSON 404s (other GETs are the web UI's pages).
    let resp = app.client.post(app.url("/nope")).send().await.unwrap();
    assert_eq!(resp.status(), 404);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");

    let api = app.client.post(app.url("/graphql")).json(&json!({ "query": "{ me { id } }" })).send().await.unwrap();
    assert_eq!(api.headers()["cache-control"], "no-store");
    assert_eq!(api.headers()["x-content-type-options"], "nosniff");
    app.stop().await;
}

#[tokio::test]
async fn batches_run_each_operation() {
    let app = TestApp::spawn().await;
    let token = app.token("alice").await;
    let resp: Value = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .json(&json!([{ "query": "{ me { username } }" }, { "query": "{ roles { code } }" }]))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(resp[0]["data"]["me"]["username"], "alice");
    assert!(resp[1]["data"]["roles"].as_array().unwrap().len() >= 4);
    app.stop().await;
}

#[tokio::test]
async fn the_web_ui_is_served_with_spa_fallback_and_cache_headers() {
    assert!(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web/dist/index.html").exists(),
        "the web UI is not built: run web/scripts/build.sh (scripts/test does)"
    );
    let app = TestApp::spawn().await;
    for path in ["/", "/inbox", "/tickets/12", "/m/items/3"] {
        let resp = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(resp.headers()["cache-control"], "no-cache", "{path}");
        assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let csp = resp.headers()["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && csp.contains("object-src 'none'"), "{path}: {csp}");
        assert_eq!(resp.headers()["x-frame-options"], "DENY");
        assert!(resp.text().await.unwrap().contains("<div id=\"root\""), "{path}");
    }
    let index = app.client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    let asset = index.split("src=\"").nth(1).and_then(|s| s.split('"').next()).expect("a script in index.html");
    let resp = app.client.get(app.url(asset)).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{asset}");
    assert_eq!(resp.headers()["cache-control"], "public, max-age=31536000, immutable");
    // A missing asset or API path is a JSON 404, never the page.
    for path in ["/assets/missing.js", "/ws/nothing", "/metrics/x"] {
        let resp = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), 404, "{path}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found", "{path}");
    }
    app.stop().await;
}
