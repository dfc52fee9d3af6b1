//! Probes for the load balancer and the orchestrator, and the metrics page.

use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

use crate::app::AppState;

/// The process is up and serving.
pub async fn healthz() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

/// The node can do useful work: its database answers. The bus is
/// reported as it is; while it is down the node still serves the API and
/// events wait in the outbox, so readiness depends on the database alone.
/// A node told to stop is not ready while it drains, though it still
/// serves what reaches it.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let rt = &state.realtime;
    let bus = json!({ "kind": rt.bus.kind(), "state": if rt.bus.healthy() { "up" } else { "down" } });
    let node = json!({ "id": rt.hub.node, "connections": rt.hub.connections(), "relay": rt.relay_state() });
    if state.stopping.is_cancelled() {
        let body = json!({ "status": "draining", "bus": bus, "node": node });
        return (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
    }
    match state.store.ping().await {
        Ok(()) => Json(json!({ "status": "ready", "database": "up", "bus": bus, "node": node })).into_response(),
        Err(err) => {
            tracing::warn!(error = %crate::error::Chain(&err), "readiness check failed");
            let body = json!({ "status": "unavailable", "database": "down", "bus": bus, "node": node });
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
    }
}

/// Resident memory of this process, from /proc (Linux); 0 elsewhere.
pub fn resident_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1).and_then(|p| p.parse::<u64>().ok()))
        .map(|pages| pages * 4096)
        .unwrap_or(0)
}

/// Prometheus text format. Gauges of the node's state are read at scrape
/// time: `bus_up` (1 while the bus answers), `draining`.
pub async fn metrics(State(state): State<AppState>) -> Response {
    metrics::gauge!("process_resident_memory_bytes").set(resident_bytes() as f64);
    metrics::gauge!("bus_up").set(if state.realtime.bus.healthy() { 1.0 } else { 0.0 });
    metrics::gauge!("draining").set(if state.stopping.is_cancelled() { 1.0 } else { 0.0 });
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], super::metrics::handle().render()).into_response()
}
