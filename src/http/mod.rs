//! The HTTP surface: routes, and the layers every request passes through
//! (metrics, tracing, body limit, compression).
//!
//! - [`graphql`]: `POST /graphql`, the GraphiQL page on `GET /graphql`.
//! - [`subscriptions`]: GraphQL subscriptions on `GET /graphql/ws`, with
//!   [`transport_ws`] speaking graphql-transport-ws.
//! - `/ws/connect` and `/ws/push` belong to [`crate::realtime`].
//! - [`server`]: the accept loop with header, body and idle timeouts.
//! - [`forwarded`]: the client's address behind trusted proxies.
//! - [`webui`]: the embedded web UI at `/`, with SPA fallback.
//! - [`approve`]: mobile approval from signed links, `/approve/{token}`.
//! - [`wecom`]: WeCom's callback, `/wecom/callback`.
//! - [`reports`]: CSV exports, `/reports/report.csv` and `/reports/tickets.csv`.
//! - [`ops`]: `/healthz`, `/readyz`, `/metrics`.
//! - [`metrics`]: the request metrics of the seed (`request_total`,
//!   `request_url_total{url,code}`, `request_duration`).
//! - [`json_error`]: the JSON body of every non-GraphQL error.

pub mod approve;
pub mod forwarded;
pub mod graphql;
pub mod metrics;
pub mod ops;
pub mod reports;
pub mod server;
pub mod subscriptions;
pub mod transport_ws;
pub mod webui;
pub mod wecom;

use axum::http::{HeaderValue, header};
use axum::{
    Json, Router,
    extract::DefaultBodyLimit,
    http::StatusCode,
    middleware,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use tower_http::{compression::CompressionLayer, set_header::SetResponseHeaderLayer, trace::TraceLayer};

use crate::{app::AppState, error::Error};

/// Every route of a node.
pub fn router(state: AppState) -> Router {
    let body_limit = state.config.body_limit_bytes;
    Router::new()
        // API answers (tokens, tickets) are never stored by browsers or proxies.
        .route(
            "/graphql",
            get(graphql::get).post(graphql::execute).layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            )),
        )
        .route("/graphql/ws", get(subscriptions::subscriptions))
        .route("/ws/connect", get(crate::realtime::ws::connect))
        .route("/ws/push", post(crate::realtime::push::push).layer(DefaultBodyLimit::max(64 * 1024)))
        .route("/approve/{token}", get(approve::show).post(approve::decide))
        .route("/wecom/callback", get(wecom::verify).post(wecom::event))
        .route("/reports/report.csv", get(reports::report_csv))
        .route("/reports/tickets.csv", get(reports::tickets_csv))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .fallback(webui::fallback)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(middleware::from_fn(metrics::record))
        .layer(middleware::from_fn_with_state(state.clone(), close_while_draining))
        // Spans name the path only: a query string can hold `?token=`.
        // Server faults are logged where they happen, with their cause; a
        // 503 from a draining node's `/readyz` is no fault at all.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<axum::body::Body>| {
                    tracing::debug_span!("request", method = %request.method(), path = %request.uri().path())
                })
                .on_failure(()),
        )
        .with_state(state)
}

/// While a node drains, each HTTP/1.1 answer closes its connection, so a
/// proxy opens its next one to another node instead of sending a request
/// down a kept-alive connection just as this node closes it.
async fn close_while_draining(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    let http1 = request.version() <= axum::http::Version::HTTP_11;
    let mut response = next.run(request).await;
    if http1 && state.stopping.is_cancelled() && response.status() != StatusCode::SWITCHING_PROTOCOLS {
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// `{"error": {"code": …, "message": …}}` with the error's status: the one
/// shape of every HTTP error body outside GraphQL.
pub fn json_error(err: &Error) -> Response {
    crate::error::log_if_server_fault(err);
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    error_body(status, err.code(), &err.public_message(), Some(serde_json::json!(err.fields())))
}

/// An error body for a refusal that is not an [`Error`] (a WebSocket
/// upgrade, a push): same shape as [`json_error`].
pub fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    error_body(status, code, message, None)
}

fn error_body(status: StatusCode, code: &str, message: &str, fields: Option<serde_json::Value>) -> Response {
    let mut error = serde_json::json!({ "code": code, "message": message });
    if let Some(fields) = fields.filter(|f| f.as_array().is_some_and(|a| !a.is_empty())) {
        error["fields"] = fields;
    }
    (status, Json(serde_json::json!({ "error": error }))).into_response()
}
