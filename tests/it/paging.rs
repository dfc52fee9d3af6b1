//! Relay paging over the directory: forward, backward, and bad arguments.

use serde_json::json;

use crate::harness::TestApp;

const PAGE: &str = "query($f: Int, $a: String, $l: Int, $b: String) { users(first: $f, after: $a, last: $l, before: $b) { edges { cursor node { username } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";

#[tokio::test]
async fn walking_the_directory_forwards_and_backwards() {
    let app = TestApp::spawn().await;
    let token = app.token("alice").await;
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = app.gql_ok(Some(&token), PAGE, json!({ "f": 7, "a": after })).await;
        let users = &data["users"];
        for e in users["edges"].as_array().unwrap() {
            seen.push(e["node"]["username"].as_str().unwrap().to_string());
        }
        assert_eq!(users["pageInfo"]["hasPreviousPage"], after.is_some());
        if users["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = users["pageInfo"]["endCursor"].as_str().map(str::to_string);
    }
    assert_eq!(seen.len(), 30, "every active demo user once");
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 30);

    // The last five, then the five before them.
    let last = app.gql_ok(Some(&token), PAGE, json!({ "l": 5 })).await;
    let names: Vec<_> = last["users"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["username"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, seen[25..]);
    assert_eq!(last["users"]["pageInfo"]["hasPreviousPage"], true);
    let before = last["users"]["pageInfo"]["startCursor"].clone();
    let prev = app.gql_ok(Some(&token), PAGE, json!({ "l": 5, "b": before })).await;
    let names: Vec<_> = prev["users"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["username"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, seen[20..25]);
    assert_eq!(prev["users"]["pageInfo"]["hasNextPage"], true);
    app.stop().await;
}

#[tokio::test]
async fn bad_paging_arguments_are_refused() {
    let app = TestApp::spawn().await;
    let token = app.token("alice").await;
    assert_eq!(app.gql_err(Some(&token), PAGE, json!({ "f": 2, "l": 2 })).await, "invalid_paging");
    assert_eq!(app.gql_err(Some(&token), PAGE, json!({ "f": -1 })).await, "invalid_paging");
    assert_eq!(app.gql_err(Some(&token), PAGE, json!({ "f": 101 })).await, "page_too_large");
    assert_eq!(app.gql_err(Some(&token), PAGE, json!({ "f": 2, "a": "zzz" })).await, "invalid_cursor");
    // Search narrows the list, case-insensitively and with wildcards taken literally.
    let found = app.gql_ok(Some(&token), "{ users(search: \"ALI\") { edges { node { username } } } }", json!({})).await;
    assert_eq!(found["users"]["edges"][0]["node"]["username"], "alice");
    let none = app.gql_ok(Some(&token), "{ users(search: \"%\") { edges { node { username } } } }", json!({})).await;
    assert_eq!(none["users"]["edges"].as_array().unwrap().len(), 0);
    app.stop().await;
}
