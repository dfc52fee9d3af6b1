//! `GET /graphql/ws`: GraphQL subscriptions over graphql-transport-ws. The
//! access token comes in the `connection_init` payload (`{"token": …}` or
//! `{"Authorization": "Bearer …"}`); without one, only anonymous operations
//! run. An authenticated connection is a client of the hub itself, so the
//! access changes that close `/ws/connect` clients close it too (4401:
//! logout, deactivation, role change), and so does its token's expiry:
//! the client reconnects with a fresh token and resumes with `lastEventId`.

use std::{sync::Arc, time::Duration};

use axum::{
    extract::{
        State, WebSocketUpgrade,
        ws::{CloseFrame, Message, Utf8Bytes, WebSocket},
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

pub async fn subscriptions(
    State(state): State<AppState>,
    protocol: async_graphql_axum::GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_message_size(state.config.ws_max_frame_bytes)
        .on_upgrade(move |socket| serve(state, socket, protocol))
}

fn bearer(payload: &serde_json::Value) -> Option<&str> {
    payload["token"]
        .as_str()
        .or_else(|| payload["Authorization"].as_str().and_then(|a| a.strip_prefix("Bearer ")))
        .or_else(|| payload["authorization"].as_str().and_then(|a| a.strip_prefix("Bearer ")))
}

async fn serve(state: AppState, socket: WebSocket, protocol: async_graphql_axum::GraphQLProtocol) {
    let (mut sink, stream) = socket.split();
    // Cancelled to end the connection: its input ends, the protocol stops.
    let closing = CancellationToken::new();
    let input = stream.take_until(closing.clone().cancelled_owned());
    let (watch_tx, mut watch_rx) = tokio::sync::watch::channel::<Option<Arc<Conn>>>(None);
    let init_state = state.clone();
    {
        let serving =
            async_graphql_axum::GraphQLWebSocket::new_with_pair(&mut sink, input, state.schema.clone(), protocol)
                .on_connection_init(move |payload: serde_json::Value| async move {
                    let st = init_state;
                    let viewer = match bearer(&payload) {
                        None => Viewer::Anonymous,
                        Some(token) => match auth::authenticate(&st.store, &st.keys, &st.access, token.trim()).await {
                            Ok(b) => {
                                let auth = ConnAuth::Token {
                                    user_id: b.actor.user_id,
                                    session: b.actor.session.clone(),
                                    expires_at: std::sync::atomic::AtomicI64::new(b.expires_at.unwrap_or(i64::MAX)),
                                };
                                let (conn, _queue) = st.realtime.hub.register_as(SIGNOFF_PID, None, 1, auth);
                                let _ = watch_tx.send(Some(conn));
                                Viewer::Authenticated(b.actor)
                            }
                            Err(Error::Unauthenticated { code, message }) => Viewer::Rejected { code, message },
                            Err(other) => Viewer::Rejected { code: other.code(), message: other.public_message() },
                        },
                    };
                    let mut data = graphql::request_data(&st.store, viewer);
                    data.insert(Arc::new(ConnectionSlots::default()));
                    Ok(data)
                })
                .serve();
        tokio::pin!(serving);
        let mut every = tokio::time::interval(Duration::from_secs(1));
        let mut init_done = false;
        loop {
            let conn = watch_rx.borrow().clone();
            tokio::select! {
                _ = &mut serving => break,
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
    }
    let conn = watch_rx.borrow().clone();
    if let Some(conn) = conn {
        if let Some(reason) = conn.close_reason() {
            let frame = CloseFrame { code: close_code(reason), reason: Utf8Bytes::from(reason) };
            let _ = sink.send(Message::Close(Some(frame))).await;
        }
        state.realtime.hub.unregister(&conn);
    }
}
