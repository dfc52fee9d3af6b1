//! What off-the-shelf GraphQL clients and tools expect of the endpoint:
//! queries over GET (urql and Apollo do this by default), GraphiQL only for
//! browsers, and the standard introspection query that codegen and IDEs send.

use serde_json::{Value, json};

use crate::harness::TestApp;

/// graphql-js's `getIntrospectionQuery()`, with the `ofType` depth GraphiQL uses.
const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
}
"#;

#[tokio::test]
async fn queries_run_over_get_and_mutations_do_not() {
    let app = TestApp::spawn().await;
    let token = app.token("alice").await;
    let get = |query: &str, extra: &str| {
        let url = format!("{}?query={}{extra}", app.url("/graphql"), urlencode(query));
        app.client.get(url).bearer_auth(&token).header("accept", "application/graphql-response+json, application/json")
    };
    let resp = get("{ me { username } }", "").send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"].to_str().unwrap().contains("json"));
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["data"]["me"]["username"], "alice");

    let vars = format!("&variables={}", urlencode(r#"{"n":"nope"}"#));
    let body: Value =
        get("query($n: String!) { template(code: $n) { code } }", &vars).send().await.unwrap().json().await.unwrap();
    assert!(body["data"]["template"].is_null(), "{body}");

    // A mutation over GET could be a link someone is made to follow.
    let resp = get("mutation { logout(refreshToken: \"x\") }", "").send().await.unwrap();
    assert_eq!(resp.status(), 405);
    assert_eq!(resp.headers()["allow"], "GET, POST");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "method_not_allowed");
    let doc = "query In { me { id } } mutation Out { logout(refreshToken: \"x\") }";
    assert_eq!(get(doc, "&operationName=Out").send().await.unwrap().status(), 405);
    assert_eq!(get(doc, "&operationName=In").send().await.unwrap().status(), 200);

    // A browser asking for a page gets GraphiQL; a client without a query gets a JSON error.
    let page = app.client.get(app.url("/graphql")).header("accept", "text/html,*/*").send().await.unwrap();
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let bare = app.client.get(app.url("/graphql")).header("accept", "application/json").send().await.unwrap();
    assert_eq!(bare.status(), 400);
    let body: Value = bare.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "invalid_request");
    app.stop().await;
}

#[tokio::test]
async fn the_standard_introspection_query_is_answered_and_other_deep_queries_are_not() {
    let app = TestApp::spawn().await;
    let data = app.gql_ok(None, INTROSPECTION, json!({})).await;
    let types = data["__schema"]["types"].as_array().unwrap();
    assert!(types.iter().any(|t| t["name"] == "Ticket"), "the schema's types are listed");
    assert_eq!(data["__schema"]["subscriptionType"]["name"], "Subscription");

    // The exemption is for introspection only: mixing in a field is an ordinary query.
    let mixed = INTROSPECTION.replacen("__schema {", "me { id } __schema {", 1);
    let token = app.token("alice").await;
    let resp = app.gql(Some(&token), &mixed, json!({})).await;
    assert_eq!(resp["errors"][0]["extensions"]["code"], "query_too_deep", "{resp}");
    app.stop().await;
}

/// Percent-encodes everything but unreserved characters.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// POSTs `query` asking for `accept`; status, content type and body.
async fn post_accepting(app: &TestApp, token: Option<&str>, accept: &str, query: &str) -> (u16, String, Value) {
    let mut request = app.client.post(app.url("/graphql")).header("accept", accept).json(&json!({ "query": query }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    (response.status().as_u16(), content_type, response.json().await.unwrap())
}

#[tokio::test]
async fn the_graphql_response_media_type_gets_its_status_codes() {
    let app = TestApp::spawn().await;
    let alice = app.token("alice").await;
    let modern = "application/graphql-response+json, application/json;q=0.9";

    // A request that cannot run: 400, errors only, no data key.
    for bad in ["{ nope }", "{ me { ", "query($n: Int!) { me { id } }"] {
        let (status, content_type, body) = post_accepting(&app, Some(&alice), modern, bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(content_type.starts_with("application/graphql-response+json"), "{content_type}");
        assert!(body.get("data").is_none() && body["errors"][0]["message"].is_string(), "{bad}: {body}");
    }
    // One that ran: 200 with data, even when a field failed.
    let (status, content_type, body) = post_accepting(&app, Some(&alice), modern, "{ me { username } }").await;
    assert_eq!((status, body["data"]["me"]["username"].as_str()), (200, Some("alice")));
    assert!(content_type.starts_with("application/graphql-response+json"));
    let forbidden = "{ tickets(first: 1) { edges { node { id } } } }";
    let (status, _, body) = post_accepting(&app, Some(&alice), modern, forbidden).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "forbidden", "{body}");
    assert!(body.get("data").is_some());

    // Plain JSON clients keep the old contract: 200 for everything.
    let (status, content_type, _) = post_accepting(&app, Some(&alice), "application/json", "{ nope }").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("application/json"), "{content_type}");
    let (status, _, _) =
        post_accepting(&app, None, "application/json;q=1, application/graphql-response+json;q=0.5", "{ nope }").await;
    assert_eq!(status, 200, "plain JSON was preferred");

    // GET follows the same rules.
    let url = app.url(&format!("/graphql?query={}", urlencode("{ nope }")));
    let response = app.client.get(url).header("accept", "application/graphql-response+json").send().await.unwrap();
    assert_eq!(response.status(), 400);
    app.stop().await;
}
