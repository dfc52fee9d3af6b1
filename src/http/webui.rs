//! The web UI, built into `web/dist` by `web/scripts/build.sh` and embedded
//! in the release binary (debug builds read the folder from disk). Hashed
//! files under `/assets/` are cached for a year; `index.html` is never
//! cached, so a deploy reaches browsers on their next load. Any other GET
//! that is not an API route gets `index.html` (the UI routes in the
//! browser); a missing asset stays a 404. Without a built UI, `/` says how
//! to build it.

use axum::{
    http::{HeaderValue, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use rust_embed::RustEmbed;

use crate::error::Error;

#[derive(RustEmbed)]
#[folder = "web/dist"]
#[allow_missing = true]
#[exclude = ".vite/*"]
struct Assets;

/// Paths the server answers itself; they never fall back to the UI.
const API_PREFIXES: [&str; 6] = ["/graphql", "/ws/", "/healthz", "/readyz", "/metrics", "/assets/"];

/// The policy of every page the server renders: the UI's own scripts only
/// (no inline script, no eval, no CDN), inline styles for antd's CSS-in-JS,
/// API and WebSocket calls to this origin, never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; \
     frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'";

/// An HTML page of the build, with the pages' CSP.
pub fn page(path: &str) -> Option<Response> {
    let mut response = asset(path)?;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    Some(response)
}

fn asset(path: &str) -> Option<Response> {
    let file = Assets::get(path)?;
    let cache = if path.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
    let mime = file.metadata.mimetype().to_string();
    let mut response = (StatusCode::OK, file.data.into_owned()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Some(response)
}

/// Whether the UI was built into this binary (or is on disk, in debug).
pub fn available() -> bool {
    Assets::get("index.html").is_some()
}

/// Everything no route claimed: a UI file, the UI's page, or a JSON 404.
pub async fn fallback(method: Method, uri: Uri) -> Response {
    let path = uri.path();
    if method != Method::GET && method != Method::HEAD {
        return super::json_error(&Error::not_found("route"));
    }
    let file = path.trim_start_matches('/');
    if file.ends_with(".html") {
        if let Some(found) = page(file) {
            return found;
        }
    } else if let Some(found) = asset(file).filter(|_| path != "/") {
        return found;
    }
    if API_PREFIXES.iter().any(|p| path.starts_with(p)) {
        return super::json_error(&Error::not_found("route"));
    }
    match page("index.html") {
        Some(page) => page,
        None => (
            StatusCode::NOT_FOUND,
            "The web UI is not built into this binary: run web/scripts/build.sh, then build Signoff again.\n",
        )
            .into_response(),
    }
}
