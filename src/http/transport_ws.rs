//! The graphql-transport-ws protocol (the `graphql-ws` library's), served
//! to the letter, since its clients act on the close codes:
//!
//! - 4408 when `connection_init` does not come in time,
//! - 4429 for a second `connection_init`,
//! - 4401 for `subscribe` before `connection_ack`,
//! - 4409 for an id already in use,
//! - 4400 for a message that is not one of the protocol's,
//! - 1009 for a frame over `ws_max_frame_bytes`,
//!
//! every close reason cut to the 123 bytes a close frame can carry.
//! Errors of the request itself (it does not parse, validate or pass the
//! limits) end the operation with an `error` message; errors met while it
//! runs come in `next` payloads, as the protocol asks. The older
//! subscriptions-transport-ws protocol stays with async-graphql's own
//! implementation ([`super::subscriptions`]).

use std::{sync::Arc, time::Duration};

use async_graphql::{Data, Response};
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes};
use futures::{Sink, SinkExt, Stream, StreamExt, stream::BoxStream};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio_stream::StreamMap;

use crate::graphql::AppSchema;

/// Client messages; anything else is a protocol error.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum ClientMessage {
    ConnectionInit {
        #[serde(default)]
        payload: Option<Value>,
    },
    Ping {
        #[serde(default)]
        payload: Option<Value>,
    },
    Pong {
        #[serde(default)]
        #[allow(dead_code)]
        payload: Option<Value>,
    },
    Subscribe {
        id: String,
        payload: Box<async_graphql::Request>,
    },
    Complete {
        id: String,
    },
}

/// What the connection is told when it ends: a close code and reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Close(pub u16, pub String);

impl Close {
    pub fn frame(&self) -> Message {
        Message::Close(Some(CloseFrame { code: self.0, reason: Utf8Bytes::from(fit_reason(&self.1)) }))
    }
}

/// A close reason fits a control frame: 125 bytes less the code's two.
pub fn fit_reason(reason: &str) -> String {
    const MAX: usize = 123;
    if reason.len() <= MAX {
        return reason.to_string();
    }
    let mut end = MAX;
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    reason[..end].to_string()
}

/// One operation's output: its responses, then its end, or its refusal.
enum Output {
    Response(Response),
    Refused(Response),
    End,
}

/// The connection, from the upgrade to its close. `init` turns the
/// `connection_init` payload into the connection's data; `stop` resolves
/// when the connection must end from outside (access changed, shutdown),
/// with its close. Returns how the connection ended.
pub async fn serve<S, K, I, F>(
    schema: &AppSchema,
    mut incoming: S,
    sink: &mut K,
    init_timeout: Duration,
    init: I,
    stop: impl Future<Output = Close>,
) -> Option<Close>
where
    S: Stream<Item = Result<Message, axum::Error>> + Unpin,
    K: Sink<Message> + Unpin,
    I: FnOnce(Value) -> F,
    F: Future<Output = Data>,
{
    let mut init = Some(init);
    let mut data: Option<Arc<Data>> = None;
    let mut operations: StreamMap<String, BoxStream<'static, Output>> = StreamMap::new();
    let deadline = tokio::time::sleep(init_timeout);
    tokio::pin!(deadline, stop);
    loop {
        tokio::select! {
            _ = &mut deadline, if data.is_none() => {
                break Some(Close(4408, "Connection initialisation timeout".into()));
            }
            close = &mut stop => break Some(close),
            Some((id, output)) = operations.next(), if !operations.is_empty() => {
                let message = match output {
                    Output::Response(response) => json!({ "id": id, "type": "next", "payload": response }),
                    Output::Refused(response) => {
                        operations.remove(&id);
                        json!({ "id": id, "type": "error", "payload": response.errors })
                    }
                    Output::End => json!({ "id": id, "type": "complete" }),
                };
                if send(sink, message).await.is_err() {
                    break None;
                }
            }
            message = incoming.next() => {
                let text = match message {
                    None | Some(Ok(Message::Close(_))) => break None,
                    Some(Err(e)) => break Some(read_failure(&e)),
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Binary(_))) => break Some(Close(4400, "Messages are JSON text frames".into())),
                    Some(Ok(_)) => continue,
                };
                let message = match serde_json::from_str::<ClientMessage>(text.as_str()) {
                    Ok(message) => message,
                    Err(e) => break Some(Close(4400, format!("Invalid message: {e}"))),
                };
                match message {
                    ClientMessage::ConnectionInit { payload } => {
                        let Some(init) = init.take() else {
                            break Some(Close(4429, "Too many initialisation requests".into()));
                        };
                        data = Some(Arc::new(init(payload.unwrap_or(Value::Null)).await));
                        if send(sink, json!({ "type": "connection_ack" })).await.is_err() {
                            break None;
                        }
                    }
                    ClientMessage::Ping { payload } => {
                        let pong = match payload {
                            Some(p) => json!({ "type": "pong", "payload": p }),
                            None => json!({ "type": "pong" }),
                        };
                        if send(sink, pong).await.is_err() {
                            break None;
                        }
                    }
                    ClientMessage::Pong { .. } => {}
                    ClientMessage::Subscribe { id, payload } => {
                        let Some(data) = &data else { break Some(Close(4401, "Unauthorized".into())) };
                        if operations.contains_key(&id) {
                            break Some(Close(4409, format!("Subscriber for {id} already exists")));
                        }
                        // A request that fails before it runs answers with one
                        // response of errors that have no path: that is an
                        // `error` message, and the operation is over.
                        let mut first = true;
                        let outputs = schema
                            .execute_stream_with_session_data(*payload, data.clone())
                            .map(move |response| {
                                let request_error = first && is_request_error(&response);
                                first = false;
                                let response = super::graphql::cap_errors(response);
                                if request_error { Output::Refused(response) } else { Output::Response(response) }
                            })
                            .chain(futures::stream::once(async { Output::End }));
                        operations.insert(id, outputs.boxed());
                    }
                    ClientMessage::Complete { id } => {
                        // The client stopped listening: nothing more is sent for it.
                        operations.remove(&id);
                    }
                }
            }
        }
    }
}

/// Whether the client's preferred protocol (the first it names that is
/// served here, as the upgrade picks it) is graphql-transport-ws.
pub fn chosen(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(|list| {
            list.split(',')
                .map(str::trim)
                .find(|p| p.eq_ignore_ascii_case("graphql-ws") || p.eq_ignore_ascii_case("graphql-transport-ws"))
        })
        .is_some_and(|p| p.eq_ignore_ascii_case("graphql-transport-ws"))
}

fn is_request_error(response: &Response) -> bool {
    !response.errors.is_empty()
        && response.data == async_graphql::Value::Null
        && response.errors.iter().all(|e| e.path.is_empty())
}

fn read_failure(error: &axum::Error) -> Close {
    let text = error.to_string();
    if text.contains("too long") || text.contains("Space limit exceeded") || text.contains("capacity") {
        Close(1009, "Message too big".into())
    } else {
        Close(4400, "Invalid frame".into())
    }
}

async fn send<K: Sink<Message> + Unpin>(sink: &mut K, message: Value) -> Result<(), K::Error> {
    sink.send(Message::Text(message.to_string().into())).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_reasons_fit_a_control_frame_on_a_character_boundary() {
        assert_eq!(fit_reason("short"), "short");
        let long = "审".repeat(60); // 180 bytes
        let cut = fit_reason(&long);
        assert!(cut.len() <= 123 && cut.len() > 118, "{}", cut.len());
        assert!(long.starts_with(&cut));
    }
}
