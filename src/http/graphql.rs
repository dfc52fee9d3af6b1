//! `POST /graphql`: reads the body itself (so an oversized body is a 413 and
//! malformed JSON a 400, each with a JSON error), authenticates the bearer
//! once, and runs the request; `GET /graphql` runs queries (GraphQL over
//! HTTP) and serves GraphiQL to browsers.

use axum::{
    Json,
    body::Bytes,
    extract::{ConnectInfo, RawQuery, State, rejection::BytesRejection},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::{
    app::AppState,
    error::Error,
    graphql::{
        self,
        context::{RequestOrigin, Viewer},
    },
    service::auth,
};

/// `GET /graphql`: a browser asking for a page (`Accept: text/html`, no
/// `query`) gets GraphiQL; anything else is a GraphQL-over-HTTP GET, the
/// way urql and Apollo send queries by default. Only queries run over GET:
/// a mutation must not be a link someone can be made to follow (405).
pub async fn get(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let has_query = query.as_deref().is_some_and(|q| q.split('&').any(|p| p.starts_with("query=")));
    if !has_query && accepts_html(&headers) {
        return graphiql(&state);
    }
    let Some(query) = query.filter(|_| has_query) else {
        return engine_error(StatusCode::BAD_REQUEST, "invalid_request", "a GET request carries ?query=…");
    };
    let Some(request) = get_request(&query) else {
        let message = "the query string is not a GraphQL request (query, variables as JSON, operationName)";
        return engine_error(StatusCode::BAD_REQUEST, "invalid_request", message);
    };
    if !read_only(&request) {
        let mut response = engine_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "send mutations and subscriptions with POST",
        );
        response.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("GET, POST"));
        return response;
    }
    run_whole(&state, peer, &headers, async_graphql::BatchRequest::Single(request)).await
}

/// A GraphQL-over-HTTP GET: `query`, `variables` as JSON, `operationName` (the spec's spelling; async-graphql's own parser reads
/// `operation_name` only, so a named operation would run the wrong one).
#[derive(serde::Deserialize)]
struct GetParams {
    query: String,
    #[serde(rename = "operationName", alias = "operation_name")]
    operation_name: Option<String>,
    variables: Option<String>,
}

fn get_request(query_string: &str) -> Option<async_graphql::Request> {
    let params: GetParams = axum::extract::Query::try_from_uri(&format!("/?{query_string}").parse().ok()?).ok()?.0;
    let variables = match params.variables.filter(|s| !s.is_empty()) {
        Some(raw) => serde_json::from_str(&raw).ok()?,
        None => async_graphql::Variables::default(),
    };
    let mut request = async_graphql::Request::new(params.query).variables(variables);
    request.operation_name = params.operation_name.filter(|n| !n.is_empty());
    Some(request)
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
}

/// Whether the operation a GET names is a query. One that does not parse is
/// left to the engine, which says what is wrong with it.
fn read_only(request: &async_graphql::Request) -> bool {
    use async_graphql::parser::types::{DocumentOperations, OperationType};
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else { return true };
    let operation = match (&document.operations, request.operation_name.as_deref()) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => {
            ops.iter().find(|(n, _)| n.as_str() == name).map(|(_, op)| op)
        }
        (DocumentOperations::Multiple(ops), None) => ops.values().next().filter(|_| ops.len() == 1),
    };
    operation.is_none_or(|op| op.node.ty == OperationType::Query)
}

/// The GraphiQL IDE, built with the web UI and served from the binary (no
/// CDN), under the pages' CSP; a 404 when the `graphiql` setting is off.
fn graphiql(state: &AppState) -> Response {
    if !state.config.graphiql {
        return super::json_error(&Error::not_found("route"));
    }
    super::webui::page("graphiql.html").unwrap_or_else(|| {
        (StatusCode::NOT_FOUND, "GraphiQL is not built into this binary: run web/scripts/build.sh.\n").into_response()
    })
}

/// Errors one response carries at most. A query of thousands of bad
/// directives would otherwise answer megabytes of the same complaint.
const MAX_ERRORS: usize = 20;

pub(super) fn cap_errors(mut response: async_graphql::Response) -> async_graphql::Response {
    if response.errors.len() > MAX_ERRORS {
        let dropped = response.errors.len() - MAX_ERRORS;
        response.errors.truncate(MAX_ERRORS);
        let mut more = async_graphql::ServerError::new(format!("{dropped} more errors were left out"), None);
        let mut extensions = async_graphql::ErrorExtensionValues::default();
        extensions.set("code", "too_many_errors");
        more.extensions = Some(extensions);
        response.errors.push(more);
    }
    response
}

/// What a POST body says it is.
#[derive(PartialEq)]
enum BodyKind {
    /// `application/json` or any `+json` type: a request or batch in JSON.
    Json,
    /// `application/graphql`: the bare query.
    Query,
}

/// The body's kind from its content type, or None for anything else (a
/// form post above all), refused before it is read as a request: browsers
/// send forms across origins without a preflight.
fn body_kind(headers: &HeaderMap) -> Option<BodyKind> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let mime = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json")) {
        Some(BodyKind::Json)
    } else if mime == "application/graphql" {
        Some(BodyKind::Query)
    } else {
        None
    }
}

/// What to tell a client whose body is not a GraphQL request: where the
/// JSON breaks, or what shape is expected (never the parser's own words).
fn parse_problem(err: &serde_json::Error) -> String {
    match err.classify() {
        serde_json::error::Category::Data => {
            "a GraphQL request is an object with a \"query\" string (and optional \"variables\" and \"operationName\"), or a list of them".into()
        }
        _ => format!("the body is not valid JSON (line {}, column {})", err.line(), err.column()),
    }
}

fn engine_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, Json(body)).into_response()
}

/// Who is calling, from `Authorization: Bearer …`.
pub async fn viewer(state: &AppState, headers: &HeaderMap) -> Viewer {
    let Some(value) = headers.get(header::AUTHORIZATION) else { return Viewer::Anonymous };
    let Some(token) = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim) else {
        return Viewer::Rejected { code: "invalid_token", message: "use Authorization: Bearer <token>".into() };
    };
    match auth::authenticate(&state.store, &state.keys, &state.access, token).await {
        Ok(bearer) => Viewer::Authenticated(bearer.actor),
        Err(Error::Unauthenticated { code, message }) => Viewer::Rejected { code, message },
        Err(other) => {
            crate::error::log_if_server_fault(&other);
            Viewer::Rejected { code: other.code(), message: other.public_message() }
        }
    }
}

pub async fn execute(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let limit = state.config.body_limit_bytes;
            return engine_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                &format!("the request body is larger than {limit} bytes"),
            );
        }
        Err(rejection) => return engine_error(StatusCode::BAD_REQUEST, "invalid_request", &rejection.body_text()),
    };
    let Some(kind) = body_kind(&headers) else {
        return engine_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the request as Content-Type: application/json",
        );
    };
    let batch: async_graphql::BatchRequest = if kind == BodyKind::Query {
        match std::str::from_utf8(&body) {
            Ok(query) => async_graphql::BatchRequest::Single(async_graphql::Request::new(query)),
            Err(_) => return engine_error(StatusCode::BAD_REQUEST, "invalid_json", "the query is not UTF-8"),
        }
    } else {
        match serde_json::from_slice(&body) {
            Ok(batch) => batch,
            Err(err) => return engine_error(StatusCode::BAD_REQUEST, "invalid_json", &parse_problem(&err)),
        }
    };
    run_whole(&state, peer, &headers, batch).await
}

/// Runs the request on a task of its own. A client that hangs up makes the
/// server drop the handler's future; a mutation dropped between two
/// statements would hand its pooled connection back inside a transaction
/// ("there is already a transaction in progress" for the next request). A
/// request that arrived whole is carried out whole; only its answer is lost.
async fn run_whole(
    state: &AppState,
    peer: std::net::SocketAddr,
    headers: &HeaderMap,
    batch: async_graphql::BatchRequest,
) -> Response {
    let (task_state, headers) = (state.clone(), headers.clone());
    let task = state.requests.spawn(async move { run(&task_state, peer, &headers, batch).await });
    match task.await {
        Ok(response) => response,
        Err(e) => {
            tracing::error!(error = %e, "a GraphQL request's task failed");
            engine_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the request failed; try again")
        }
    }
}

fn schema_for<'a>(state: &'a AppState, request: &async_graphql::Request) -> &'a graphql::AppSchema {
    if graphql::is_introspection(&request.query) { &state.introspection } else { &state.schema }
}

/// GraphQL over HTTP's own media type, for clients that ask for it.
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json; charset=utf-8";

/// Whether `Accept` prefers `application/graphql-response+json` to plain
/// JSON (a client naming both with equal weight gets the newer one).
fn wants_graphql_response(headers: &HeaderMap) -> bool {
    let (mut graphql, mut json) = (0.0f32, 0.0f32);
    for value in headers.get_all(header::ACCEPT).iter().filter_map(|v| v.to_str().ok()) {
        for range in value.split(',') {
            let mut parts = range.split(';').map(str::trim);
            let media = parts.next().unwrap_or_default().to_ascii_lowercase();
            let q = parts
                .find_map(|p| p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
                .unwrap_or(1.0)
                .clamp(0.0, 1.0);
            match media.as_str() {
                "application/graphql-response+json" => graphql = graphql.max(q),
                "application/json" | "application/*" | "*/*" => json = json.max(q),
                _ => {}
            }
        }
    }
    graphql > 0.0 && graphql >= json
}

/// A response in `application/graphql-response+json`: a request that
/// could not run (it does not parse or validate, its variables do not fit,
/// it is over a limit) is a 400 without `data`; one that ran is a 200,
/// whatever errors its fields met.
fn graphql_response(response: async_graphql::Response) -> Response {
    let refused = !response.errors.is_empty()
        && response.data == async_graphql::Value::Null
        && response.errors.iter().all(|e| e.path.is_empty());
    let (status, body) = if refused {
        (StatusCode::BAD_REQUEST, serde_json::json!({ "errors": response.errors }))
    } else {
        (StatusCode::OK, serde_json::to_value(&response).unwrap_or_default())
    };
    let mut answer = (status, Json(body)).into_response();
    answer.headers_mut().insert(header::CONTENT_TYPE, header::HeaderValue::from_static(GRAPHQL_RESPONSE));
    answer
}

/// Runs a request or batch as the bearer of `headers`.
async fn run(
    state: &AppState,
    peer: std::net::SocketAddr,
    headers: &HeaderMap,
    batch: async_graphql::BatchRequest,
) -> Response {
    let viewer = viewer(state, headers).await;
    let origin = std::sync::Arc::new(RequestOrigin { address: Some(peer.ip()), ..Default::default() });
    let prepare = |request, viewer| {
        let mut request = graphql::prepare(request, &state.store, viewer);
        request.data.insert(origin.clone());
        request
    };
    let response = match batch {
        async_graphql::BatchRequest::Single(request) => {
            let request = prepare(request, viewer);
            let response = cap_errors(schema_for(state, &request).execute(request).await);
            if wants_graphql_response(headers) {
                return graphql_response(response);
            }
            async_graphql::BatchResponse::Single(response)
        }
        async_graphql::BatchRequest::Batch(requests) => {
            if requests.len() > 20 {
                return engine_error(StatusCode::BAD_REQUEST, "batch_too_large", "a batch holds at most 20 operations");
            }
            let mut out = Vec::with_capacity(requests.len());
            for request in requests {
                let schema = schema_for(state, &request);
                out.push(cap_errors(schema.execute(prepare(request, viewer.clone())).await));
            }
            async_graphql::BatchResponse::Batch(out)
        }
    };
    Json(response).into_response()
}
