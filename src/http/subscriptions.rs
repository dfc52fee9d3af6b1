//! `GET /graphql/ws`: GraphQL subscriptions over graphql-transport-ws. The
//! access token comes in the `connection_init` payload (`{"token": …}` or
//! `{"Authorization": "Bearer …"}`); without one, only anonymous operations
//! run. An authenticated connection is a client of the hub itself, so the
//! access changes that close `/ws/connect` clients close it too (4401:
//! logout, deactivation, role change), and so does its token's expiry:
//! the client reconnects with a fresh token and resumes with `lastEventId`.
//! graphql-transport-ws is served by [`super::transport_ws`]; the older
//! subscriptions-transport-ws by async-graphql.

use std::{sync::Arc, time::Duration};

use axum::{
    extract::{
        State, WebSocketUpgrade,
        ws::{CloseFrame, Message, WebSocket},
    },
    response::Response,
};
use futures::{SinkExt, StreamExt};
use tokio_util::sync::CancellationToken;

use crate::{
    app::AppState,
    error::Error,
    graphql::{self, context::Viewer},
    realtime::{
        SIGNOFF_PID,
        hub::{Conn, ConnAuth},
        sub_limits::ConnectionSlots,
        ws::{close_code, expired},
    },
    service::auth,
};

use super::transport_ws::{self, Close, fit_reason};

pub async fn subscriptions(
    State(state): State<AppState>,
    protocol: async_graphql_axum::GraphQLProtocol,
    headers: axum::http::HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let modern = transport_ws::chosen(&headers);
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_message_size(state.config.ws_max_frame_bytes)
        .on_upgrade(move |socket| serve(state, socket, protocol, modern))
}

fn bearer(payload: &serde_json::Value) -> Option<&str> {
    payload["token"]
        .as_str()
        .or_else(|| payload["Authorization"].as_str().and_then(|a| a.strip_prefix("Bearer ")))
        .or_else(|| payload["authorization"].as_str().and_then(|a| a.strip_prefix("Bearer ")))
}

/// The connection's data from its `connection_init` payload; an
/// authenticated connection is registered with the hub (sent on `hub`) so
/// access changes and token expiry reach it.
async fn connection_data(
    state: &AppState,
    payload: &serde_json::Value,
    hub: &tokio::sync::watch::Sender<Option<Arc<Conn>>>,
) -> async_graphql::Data {
    let viewer = match bearer(payload) {
        None => Viewer::Anonymous,
        Some(token) => match auth::authenticate(&state.store, &state.keys, &state.access, token.trim()).await {
            Ok(b) => {
                let auth = ConnAuth::Token {
                    user_id: b.actor.user_id,
                    session: b.actor.session.clone(),
                    expires_at: std::sync::atomic::AtomicI64::new(b.expires_at.unwrap_or(i64::MAX)),
                };
                let (conn, _queue) = state.realtime.hub.register_as(SIGNOFF_PID, None, 1, auth);
                let _ = hub.send(Some(conn));
                Viewer::Authenticated(b.actor)
            }
            Err(Error::Unauthenticated { code, message }) => Viewer::Rejected { code, message },
            Err(other) => Viewer::Rejected { code: other.code(), message: other.public_message() },
        },
    };
    let mut data = graphql::request_data(&state.store, viewer);
    data.insert(Arc::new(ConnectionSlots::default()));
    data
}

async fn serve(state: AppState, socket: WebSocket, protocol: async_graphql_axum::GraphQLProtocol, modern: bool) {
    let (sink, stream) = socket.split();
    // Every close reason fits its frame, whichever protocol wrote it.
    let mut sink = sink.with(|message: Message| {
        futures::future::ready(Ok::<_, axum::Error>(match message {
            Message::Close(Some(frame)) if frame.reason.len() > 123 => {
                Message::Close(Some(CloseFrame { code: frame.code, reason: fit_reason(&frame.reason).into() }))
            }
            other => other,
        }))
    });
    // Cancelled to end the connection from outside (access changed, token
    // expired, shutdown).
    let closing = CancellationToken::new();
    let (watch_tx, mut watch_rx) = tokio::sync::watch::channel::<Option<Arc<Conn>>>(None);
    let ended_by = {
        let sink = &mut sink;
        let serving: std::pin::Pin<Box<dyn Future<Output = Option<Close>> + Send + '_>> = if modern {
            let (state, watch_rx, closing) = (state.clone(), watch_rx.clone(), closing.clone());
            let stop = async move {
                closing.cancelled().await;
                let reason = watch_rx.borrow().as_ref().and_then(|c| c.close_reason()).unwrap_or("going_away");
                Close(close_code(reason), reason.to_string())
            };
            let init_timeout = Duration::from_secs(state.config.graphql_ws_init_timeout_secs);
            Box::pin(async move {
                let (st, tx) = (&state, &watch_tx);
                let init = move |payload: serde_json::Value| async move { connection_data(st, &payload, tx).await };
                transport_ws::serve(&state.schema, stream, sink, init_timeout, init, stop).await
            })
        } else {
            let input = stream.take_until(closing.clone().cancelled_owned());
            let init_state = state.clone();
            Box::pin(async move {
                async_graphql_axum::GraphQLWebSocket::new_with_pair(sink, input, state.schema.clone(), protocol)
                    .on_connection_init(move |payload: serde_json::Value| async move {
                        Ok(connection_data(&init_state, &payload, &watch_tx).await)
                    })
                    .serve()
                    .await;
                None
            })
        };
        tokio::pin!(serving);
        let mut every = tokio::time::interval(Duration::from_secs(1));
        let mut init_done = false;
        loop {
            let conn = watch_rx.borrow().clone();
            tokio::select! {
                ended_by = &mut serving => break ended_by,
                changed = watch_rx.changed(), if !init_done => init_done = changed.is_err(),
                _ = async { match &conn { Some(c) => c.closed.cancelled().await, None => std::future::pending().await } } => {
                    closing.cancel();
                }
                _ = every.tick() => {
                    if let Some(c) = conn.filter(|c| expired(c)) {
                        c.kill("token_expired");
                    }
                }
            }
        }
    };
    let conn = watch_rx.borrow().clone();
    let close = ended_by.or_else(|| {
        let reason = conn.as_ref()?.close_reason()?;
        Some(Close(close_code(reason), reason.to_string()))
    });
    if let Some(close) = close {
        let _ = sink.send(close.frame()).await;
    }
    if let Some(conn) = conn {
        state.realtime.hub.unregister(&conn);
    }
}
