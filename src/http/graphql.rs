//! `POST /graphql`: reads the body itself (so an oversized body is a 413 and
//! malformed JSON a 400, each with a JSON error), authenticates the bearer
//! once, and runs the request; `GET /graphql` serves GraphiQL.

use axum::{
    Json,
    body::Bytes,
    extract::{ConnectInfo, State, rejection::BytesRejection},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
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

/// The GraphiQL IDE, pointed at this node.
pub async fn graphiql() -> Html<String> {
    Html(async_graphql::http::GraphiQLSource::build().endpoint("/graphql").title("Signoff GraphQL").finish())
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
    let batch: async_graphql::BatchRequest = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(err) => {
            return engine_error(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                &format!("the body is not a GraphQL request in JSON: {err}"),
            );
        }
    };
    let viewer = viewer(&state, &headers).await;
    let origin = std::sync::Arc::new(RequestOrigin { address: Some(peer.ip()), ..Default::default() });
    let prepare = |request, viewer| {
        let mut request = graphql::prepare(request, &state.store, viewer);
        request.data.insert(origin.clone());
        request
    };
    let response = match batch {
        async_graphql::BatchRequest::Single(request) => {
            let request = prepare(request, viewer);
            async_graphql::BatchResponse::Single(state.schema.execute(request).await)
        }
        async_graphql::BatchRequest::Batch(requests) => {
            if requests.len() > 20 {
                return engine_error(StatusCode::BAD_REQUEST, "batch_too_large", "a batch holds at most 20 operations");
            }
            let mut out = Vec::with_capacity(requests.len());
            for request in requests {
                out.push(state.schema.execute(prepare(request, viewer.clone())).await);
            }
            async_graphql::BatchResponse::Batch(out)
        }
    };
    Json(response).into_response()
}
