//! Request metrics under the seed's names, so its Prometheus queries keep
//! working: `request_total`, `request_url_total{url,code}` and the
//! `request_duration{url}` histogram (seconds). One recorder per process: tests
//! start many apps in one process and they share it.

use std::{sync::OnceLock, time::Instant};

use axum::{extract::MatchedPath, extract::Request, middleware::Next, response::Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Buckets around the latencies that matter here: 1 ms to 10 s.
const BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The process's Prometheus handle, installing the recorder on first use.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(BUCKETS)
            .and_then(|b| b.set_buckets_for_metric(Matcher::Suffix("duration".into()), BUCKETS))
            .expect("static bucket list is not empty")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (an embedding program);
        // then our handle simply renders nothing of theirs.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Counts and times each request by its route template, not its raw path,
/// so ids in URLs cannot blow up the label space.
pub async fn record(request: Request, next: Next) -> Response {
    let url = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let started = Instant::now();
    let response = next.run(request).await;
    let code = response.status().as_u16().to_string();
    metrics::counter!("request_total").increment(1);
    metrics::counter!("request_url_total", "url" => url.clone(), "code" => code).increment(1);
    metrics::histogram!("request_duration", "url" => url).record(started.elapsed().as_secs_f64());
    response
}
