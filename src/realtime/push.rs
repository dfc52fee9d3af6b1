//! `POST /ws/push`: a business system pushes its own message to the clients
//! of its project. Body `{"pid", "uids"?, "cids"?, "tags"?, "data"}` (lists,
//! or comma-separated strings as in ws-cluster); the conditions given are
//! intersected and at least one is required. Signed with
//! `X-Signoff-Timestamp: T` and `X-Signoff-Signature: hex(HMAC-SHA256(secret,
//! "T." + raw body))`; a signature is accepted once.

use std::time::Duration;

use axum::{
    Json,
    body::Bytes,
    extract::{State, rejection::BytesRejection},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

use super::{
    bus::{Envelope, Route, now_ms},
    sign,
};
use crate::app::AppState;

/// A list given as JSON strings/numbers or as one comma-separated string.
fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        One(String),
        Many(Vec<Value>),
    }
    Ok(match Option::<Raw>::deserialize(d)? {
        None => Vec::new(),
        Some(Raw::One(s)) => s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect(),
        Some(Raw::Many(v)) => {
            v.into_iter().map(|x| x.as_str().map(str::to_string).unwrap_or_else(|| x.to_string())).collect()
        }
    })
}

#[derive(Deserialize)]
struct PushRequest {
    pid: String,
    #[serde(default, deserialize_with = "list")]
    uids: Vec<String>,
    #[serde(default, deserialize_with = "list")]
    cids: Vec<String>,
    #[serde(default, deserialize_with = "list")]
    tags: Vec<String>,
    data: Value,
}

fn fail(status: StatusCode, code: &str, message: &str) -> Response {
    crate::http::error_response(status, code, message)
}

pub async fn push(State(state): State<AppState>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Response {
    let rt = &state.realtime;
    let body = match body {
        Ok(b) => b,
        Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return fail(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "a push body holds at most 64 KiB");
        }
        Err(r) => return fail(StatusCode::BAD_REQUEST, "invalid_request", &r.body_text()),
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).map(str::to_string);
    let (Some(ts), Some(signature)) = (header("x-signoff-timestamp"), header("x-signoff-signature")) else {
        return fail(StatusCode::UNAUTHORIZED, "unauthenticated", "send X-Signoff-Timestamp and X-Signoff-Signature");
    };
    let request: PushRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return fail(StatusCode::BAD_REQUEST, "invalid_json", &format!("the body is not a push request: {e}"));
        }
    };
    let Some(secret) = rt.project_secret(&request.pid).await else {
        return fail(StatusCode::UNAUTHORIZED, "invalid_signature", "unknown project or wrong signature");
    };
    let Ok(ts_num) = ts.parse::<i64>() else {
        return fail(StatusCode::UNAUTHORIZED, "stale_timestamp", "X-Signoff-Timestamp is unix seconds");
    };
    if !sign::fresh(ts_num, chrono::Utc::now().timestamp()) {
        return fail(
            StatusCode::UNAUTHORIZED,
            "stale_timestamp",
            "the timestamp is more than 300 s from the server's clock",
        );
    }
    if !sign::verify(&secret, &sign::push_message(&ts, &body), &signature) {
        return fail(StatusCode::UNAUTHORIZED, "invalid_signature", "unknown project or wrong signature");
    }
    if request.uids.is_empty() && request.cids.is_empty() && request.tags.is_empty() {
        return fail(StatusCode::UNPROCESSABLE_ENTITY, "no_target", "give at least one of uids, cids, tags");
    }
    match rt.cluster.first_use(&format!("{}:{}", request.pid, signature.to_lowercase()), Duration::from_secs(600)).await
    {
        Ok(true) => {}
        Ok(false) => return fail(StatusCode::CONFLICT, "replayed", "this signed request was already accepted"),
        Err(e) => {
            tracing::warn!(error = %e, "replay guard unavailable");
            return fail(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "the cluster state is unreachable; try again");
        }
    }
    let route = Route::Intersect { uids: request.uids, cids: request.cids, tags: request.tags };
    let matched = rt.cluster.count(&request.pid, &route).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "could not count matching clients");
        0
    });
    let envelope = Envelope {
        pid: request.pid,
        route,
        data: super::bus::JsonText::of(&request.data),
        event_id: None,
        committed_ms: now_ms(),
        control: None,
    };
    match rt.bus.publish(&envelope).await {
        Ok(id) => {
            let event_id = super::bus::cursor(id, &rt.hub.epoch());
            Json(json!({ "event_id": event_id, "matched": matched })).into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "push not published");
            fail(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "the bus is unreachable; try again")
        }
    }
}
