//! `GET /ws/connect`: the ws-cluster client protocol. The upgrade is
//! authorised first (a project signature, or the web UI's access token);
//! a refused one gets 401 with a JSON error and nothing is upgraded.
//!
//! Frames, all JSON text. Server: `connected` (client id, node), `push`
//! (id, data), `heart` (pong), `error` (code), `reset` (the resume point is
//! gone: refetch), `authenticated`. Client: `subscribe` / `unsubscribe`
//! (tags; reserved ticket tags need the right to see the ticket), `heart`,
//! `auth` (a fresh token before the current one expires, else 4401).
//! A client that reconnects with `last_event_id` first gets what it missed;
//! one that follows tags names them in `tags=` on the URL, so what reached
//! them while it was away is replayed too.

use std::{
    sync::atomic::{AtomicI64, Ordering},
    time::Duration,
};

use axum::{
    extract::{
        Query, State, WebSocketUpgrade,
        ws::{CloseFrame, Message, Utf8Bytes, WebSocket},
    },
    http::StatusCode,
    response::Response,
};
use futures::SinkExt;
use governor::{Quota, RateLimiter};
use serde::Deserialize;
use serde_json::json;

use super::{
    Realtime,
    bus::{BusError, BusId, Cursor, now_ms},
    hub::{Conn, ConnAuth, Delivery},
    sign,
};
use crate::{app::AppState, domain::access::Actor, service::auth};

/// Query parameters of `/ws/connect`.
#[derive(Debug, Deserialize)]
pub struct ConnectParams {
    pub pid: Option<String>,
    pub uid: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<u8>,
    pub ts: Option<i64>,
    pub sign: Option<String>,
    pub nonce: Option<String>,
    pub token: Option<String>,
    pub last_event_id: Option<String>,
    /// Tags to follow from the start, comma-separated: followed before the
    /// missed events are replayed, so a resuming client also gets what
    /// reached those tags while it was away.
    pub tags: Option<String>,
}

fn refuse(code: &str, message: &str) -> Response {
    crate::http::error_response(StatusCode::UNAUTHORIZED, code, message)
}

/// Who is connecting, once the credentials checked out.
struct Identity {
    pid: String,
    uid: String,
    auth: ConnAuth,
    /// The Signoff user of a token connection, for tag checks.
    actor: Option<Actor>,
}

/// A token connection's identity, as the user stands now.
async fn token_identity(state: &AppState, token: &str) -> Result<Identity, crate::error::Error> {
    let bearer = auth::authenticate(&state.store, &state.keys, &state.access, token.trim()).await?;
    let actor = bearer.actor;
    Ok(Identity {
        pid: super::SIGNOFF_PID.into(),
        uid: actor.user_id.to_string(),
        auth: ConnAuth::Token {
            user_id: actor.user_id,
            session: actor.session.clone(),
            expires_at: AtomicI64::new(bearer.expires_at.unwrap_or(i64::MAX)),
        },
        actor: Some(actor),
    })
}

async fn identify(rt: &Realtime, state: &AppState, p: &ConnectParams) -> Result<Identity, Response> {
    if let Some(token) = &p.token {
        return token_identity(state, token).await.map_err(|e| refuse(e.code(), &e.public_message()));
    }
    let (Some(pid), Some(uid), Some(ts), Some(signature)) = (&p.pid, &p.uid, p.ts, &p.sign) else {
        return Err(refuse("unauthenticated", "pass pid, uid, ts and sign, or token"));
    };
    if !matches!(p.kind, None | Some(1) | Some(2)) {
        return Err(refuse("invalid_type", "type is 1 (client) or 2 (server)"));
    }
    if uid.is_empty() || uid.len() > 128 {
        return Err(refuse("invalid_uid", "uid has 1 to 128 characters"));
    }
    let Some(secret) = rt.project_secret(pid).await else {
        return Err(refuse("invalid_sign", "unknown project or wrong signature"));
    };
    if !sign::fresh(ts, chrono::Utc::now().timestamp()) {
        return Err(refuse("stale_timestamp", "ts must be within 300 s of the server's clock"));
    }
    let message = match p.nonce.as_deref() {
        None => sign::connect_message(pid, uid, ts),
        Some(nonce) if sign::valid_nonce(nonce) => sign::connect_message_with_nonce(pid, uid, ts, nonce),
        Some(_) => return Err(refuse("invalid_nonce", "a nonce has 1 to 64 of a-z, A-Z, 0-9, '-', '_'")),
    };
    if !sign::verify(&secret, message.as_bytes(), signature) {
        return Err(refuse("invalid_sign", "unknown project or wrong signature"));
    }
    // A signed URL opens one connection: one copied from a log, a proxy or
    // browser history is worthless. Remembered for twice the window, so it
    // is still known when its timestamp stops being fresh.
    let key = format!("connect:{pid}:{}", signature.trim().to_lowercase());
    match rt.cluster.first_use(&key, Duration::from_secs(2 * sign::WINDOW_SECS as u64)).await {
        Ok(true) => {}
        Ok(false) => return Err(refuse("replayed", "this signed URL was already used; sign a new one")),
        Err(e) => {
            tracing::warn!(error = %e, "replay guard unavailable");
            let unavailable = "the cluster state is unreachable; try again";
            return Err(crate::http::error_response(StatusCode::SERVICE_UNAVAILABLE, "unavailable", unavailable));
        }
    }
    Ok(Identity { pid: pid.clone(), uid: uid.clone(), auth: ConnAuth::Signed, actor: None })
}

pub async fn connect(
    State(state): State<AppState>,
    Query(params): Query<ConnectParams>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let rt = state.realtime.clone();
    let identity = match identify(&rt, &state, &params).await {
        Ok(identity) => identity,
        Err(refusal) => return refusal,
    };
    let resume = match params.last_event_id.as_deref().map(str::parse::<Cursor>) {
        Some(Ok(id)) => Some(Ok(id)),
        Some(Err(())) => Some(Err(())),
        None => None,
    };
    let tags: Vec<String> = params
        .tags
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect();
    upgrade
        // Small buffers: an idle connection should cost a few KB, not 256.
        .read_buffer_size(2 * 1024)
        .write_buffer_size(0)
        .max_write_buffer_size(rt.config.ws_max_write_buffer)
        .max_message_size(rt.config.ws_max_frame)
        .max_frame_size(rt.config.ws_max_frame)
        .on_upgrade(move |socket| serve(state, socket, identity, resume, tags))
}

fn frame(value: serde_json::Value) -> Message {
    Message::Text(Utf8Bytes::from(value.to_string()))
}

fn error_frame(code: &str, message: &str) -> Message {
    frame(json!({ "type": "error", "code": code, "message": message }))
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientFrame {
    Subscribe {
        tags: Vec<String>,
    },
    Unsubscribe {
        tags: Vec<String>,
    },
    Heart,
    /// A fresh access token of the same user, before the current one expires.
    Auth {
        token: String,
    },
}

fn valid_tag(tag: &str) -> bool {
    !tag.is_empty() && tag.len() <= 128 && !tag.chars().any(char::is_control)
}

/// The close code a client can act on: 4401 means "authenticate again",
/// 4403 "this project no longer lets you in", 1008 a policy (too slow, too
/// many frames), 1001 going away (shutdown, idle).
pub fn close_code(reason: &str) -> u16 {
    match reason {
        "access_changed" | "session_ended" | "token_expired" => 4401,
        "project_changed" => 4403,
        "slow_consumer" | "flooding" => 1008,
        _ => 1001,
    }
}

async fn serve(
    state: AppState,
    mut socket: WebSocket,
    who: Identity,
    resume: Option<Result<Cursor, ()>>,
    tags: Vec<String>,
) {
    let rt = state.realtime.clone();
    let (conn, mut queue) = rt.hub.register_as(&who.pid, Some(who.uid.clone()), rt.config.ws_queue, who.auth);
    if let Err(e) = rt.cluster.joined(&conn).await {
        tracing::warn!(error = %e, "presence not recorded");
    }
    let hello = json!({ "type": "connected", "client_id": conn.cid, "node": rt.hub.node });
    let mut last = BusId::default();
    let mut ok = socket.send(frame(hello)).await.is_ok();
    let mut client = Client { rt: &rt, state: &state, conn: &conn, actor: who.actor };
    if ok && !tags.is_empty() {
        // Exactly as a `subscribe` frame would, answered the same way.
        let subscribe = json!({ "type": "subscribe", "tags": tags }).to_string();
        if let Some(reply) = handle(&mut client, &subscribe).await {
            ok = socket.send(reply).await.is_ok();
        }
    }
    if ok {
        ok = match resume {
            Some(Ok(from)) => Box::pin(replay(&rt, &conn, &mut socket, from, &mut last)).await,
            Some(Err(())) => {
                socket.send(frame(json!({ "type": "reset", "reason": "invalid_last_event_id" }))).await.is_ok()
            }
            None => true,
        };
    }
    if ok {
        run_loop(client, &mut socket, &mut queue, last).await;
    }
    if let Some(reason) = conn.close_reason() {
        let frame = CloseFrame { code: close_code(reason), reason: Utf8Bytes::from(reason) };
        let _ = socket.send(Message::Close(Some(frame))).await;
    }
    let tags = rt.hub.tags(&conn);
    rt.hub.unregister(&conn);
    if let Err(e) = rt.cluster.left(&conn, &tags).await {
        tracing::warn!(error = %e, "presence not cleared");
    }
}

/// Sends what the client missed since `from`, in order; `reset` when the
/// point is older than the retention window.
async fn replay(rt: &Realtime, conn: &Conn, socket: &mut WebSocket, from: Cursor, last: &mut BusId) -> bool {
    let epoch = match rt.resume_epoch(&from).await {
        Ok(epoch) => epoch,
        Err(reason) => return socket.send(frame(json!({ "type": "reset", "reason": reason }))).await.is_ok(),
    };
    let mut cursor = from.id;
    let mut seen = std::collections::HashSet::new();
    *last = from.id;
    loop {
        match rt.bus.range(cursor, 1000).await {
            Ok(batch) if batch.is_empty() => return true,
            Ok(batch) => {
                for entry in batch {
                    cursor = entry.id;
                    if rt.hub.wants(conn, &entry.envelope) && !super::hub::repeated(&mut seen, &entry.envelope) {
                        let text = super::hub::push_frame(entry.id, &epoch, &entry.envelope.data);
                        if socket.send(Message::Text(Utf8Bytes::from(text))).await.is_err() {
                            return false;
                        }
                        *last = entry.id;
                    }
                }
                *last = (*last).max(cursor);
            }
            Err(BusError::Expired) => {
                return socket.send(frame(json!({ "type": "reset", "reason": "expired" }))).await.is_ok();
            }
            Err(BusError::Unavailable(e)) => {
                tracing::warn!(error = %e, "cannot replay missed events");
                return socket.send(frame(json!({ "type": "reset", "reason": "unavailable" }))).await.is_ok();
            }
        }
    }
}

/// One connected client, as its frames are handled.
struct Client<'a> {
    rt: &'a Realtime,
    state: &'a AppState,
    conn: &'a Conn,
    actor: Option<Actor>,
}

/// Whether a token connection's token has run out.
pub fn expired(conn: &Conn) -> bool {
    match &conn.auth {
        ConnAuth::Token { expires_at, .. } => {
            // An API token never expires (i64::MAX): saturate, never wrap.
            expires_at.load(Ordering::Relaxed).saturating_add(auth::CLOCK_SKEW_SECS as i64)
                <= chrono::Utc::now().timestamp()
        }
        _ => false,
    }
}

async fn run_loop(
    mut client: Client<'_>,
    socket: &mut WebSocket,
    queue: &mut tokio::sync::mpsc::Receiver<Delivery>,
    mut last: BusId,
) {
    let (rt, conn) = (client.rt, client.conn);
    let limiter =
        RateLimiter::direct(Quota::per_second(rt.config.ws_frames_per_sec).allow_burst(rt.config.ws_frames_burst));
    let idle = Duration::from_secs(rt.config.ws_idle_secs);
    let mut ping = tokio::time::interval(Duration::from_secs(rt.config.ws_ping_secs));
    ping.tick().await;
    let mut heard = tokio::time::Instant::now();
    // Refused frames in the current window: a client that keeps sending
    // past its rate is closed, even if some of its frames get through.
    let (mut refused, mut window) = (0u32, tokio::time::Instant::now());
    loop {
        tokio::select! {
            _ = conn.closed.cancelled() => return,
            delivery = queue.recv() => {
                let Some(first) = delivery else { return };
                // Write whatever is already waiting in one flush: a burst
                // costs one syscall per batch, not one per frame.
                let mut batch = vec![first];
                while batch.len() < 64 {
                    match queue.try_recv() {
                        Ok(more) => batch.push(more),
                        Err(_) => break,
                    }
                }
                let now = now_ms();
                for d in batch {
                    // Already sent while catching up after a resume.
                    if d.id <= last {
                        continue;
                    }
                    last = d.id;
                    if socket.feed(Message::Text(Utf8Bytes::from(&*d.frame))).await.is_err() {
                        return;
                    }
                    if d.committed_ms > 0 {
                        metrics::histogram!("ws_commit_to_write_seconds").record(now.saturating_sub(d.committed_ms) as f64 / 1000.0);
                    }
                }
                if socket.flush().await.is_err() {
                    return;
                }
            }
            incoming = socket.recv() => {
                let Some(Ok(message)) = incoming else {
                    if let Some(Err(e)) = incoming {
                        let oversize = e.to_string().to_lowercase().contains("too long") || e.to_string().to_lowercase().contains("capacity");
                        if oversize {
                            let _ = socket.send(Message::Close(Some(CloseFrame { code: 1009, reason: Utf8Bytes::from_static("frame_too_large") }))).await;
                        }
                    }
                    return;
                };
                heard = tokio::time::Instant::now();
                let text = match message {
                    Message::Text(t) => t,
                    Message::Binary(_) => {
                        let _ = socket.send(error_frame("invalid_frame", "frames are JSON text")).await;
                        continue;
                    }
                    Message::Close(_) => return,
                    Message::Ping(_) | Message::Pong(_) => continue,
                };
                if limiter.check().is_err() {
                    if window.elapsed() > Duration::from_secs(10) {
                        (refused, window) = (0, tokio::time::Instant::now());
                    }
                    refused += 1;
                    if refused > 50 {
                        conn.kill("flooding");
                        return;
                    }
                    let _ = socket.send(error_frame("rate_limited", "too many frames; slow down")).await;
                    continue;
                }
                let reply = Box::pin(handle(&mut client, text.as_str())).await;
                if let Some(reply) = reply {
                    if socket.send(reply).await.is_err() {
                        return;
                    }
                }
            }
            _ = ping.tick() => {
                if heard.elapsed() > idle {
                    conn.kill("idle");
                    return;
                }
                if expired(conn) {
                    conn.kill("token_expired");
                    return;
                }
                if socket.send(Message::Ping(Default::default())).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Answers one client frame.
async fn handle(client: &mut Client<'_>, text: &str) -> Option<Message> {
    let (rt, conn) = (client.rt, client.conn);
    let parsed: Result<ClientFrame, _> = serde_json::from_str(text);
    match parsed {
        Ok(ClientFrame::Heart) => Some(frame(json!({ "type": "heart", "pong": now_ms() }))),
        Ok(ClientFrame::Subscribe { tags }) => {
            if let Some(bad) = tags.iter().find(|t| !valid_tag(t)) {
                return Some(error_frame("invalid_tag", &format!("{bad:?} is not a tag (1 to 128 characters)")));
            }
            // Reserved tags of Signoff's project carry ticket events: a
            // user follows only what they may see.
            if let Some(actor) = &client.actor {
                for tag in &tags {
                    // Boxed: the check's database future would otherwise sit
                    // inside every connection's task, idle or not.
                    match Box::pin(client.state.workflow.may_follow(actor, tag)).await {
                        Ok(true) => {}
                        Ok(false) => {
                            return Some(error_frame("forbidden_tag", &format!("you may not follow {tag:?}")));
                        }
                        Err(e) => return Some(error_frame(e.code(), &e.public_message())),
                    }
                }
            }
            if let Err(limit) = rt.hub.subscribe(conn, &tags) {
                return Some(error_frame("too_many_tags", &format!("a client follows at most {limit} tags")));
            }
            if let Err(e) = rt.cluster.tagged(conn, &tags, true).await {
                tracing::warn!(error = %e, "presence tags not recorded");
            }
            Some(frame(json!({ "type": "subscribed", "tags": rt.hub.tags(conn) })))
        }
        Ok(ClientFrame::Unsubscribe { tags }) => {
            rt.hub.unsubscribe(conn, &tags);
            if let Err(e) = rt.cluster.tagged(conn, &tags, false).await {
                tracing::warn!(error = %e, "presence tags not cleared");
            }
            Some(frame(json!({ "type": "unsubscribed", "tags": rt.hub.tags(conn) })))
        }
        Ok(ClientFrame::Auth { token }) => {
            let ConnAuth::Token { user_id, expires_at, .. } = &conn.auth else {
                return Some(error_frame("invalid_frame", "only token connections authenticate again"));
            };
            let checked =
                auth::authenticate(&client.state.store, &client.state.keys, &client.state.access, token.trim());
            match Box::pin(checked).await {
                Ok(bearer) if bearer.actor.user_id == *user_id => {
                    let until = bearer.expires_at.unwrap_or(i64::MAX);
                    expires_at.store(until, Ordering::Relaxed);
                    client.actor = Some(bearer.actor);
                    Some(frame(json!({ "type": "authenticated", "expires_at": until })))
                }
                Ok(_) => Some(error_frame("invalid_token", "the token belongs to another user")),
                Err(e) => Some(error_frame(e.code(), &e.public_message())),
            }
        }
        Err(_) => {
            let value: Option<serde_json::Value> = serde_json::from_str(text).ok();
            let kind = value.as_ref().and_then(|v| v.get("type")).and_then(|t| t.as_str());
            let unknown = kind.is_some_and(|t| !["subscribe", "unsubscribe", "heart", "auth"].contains(&t));
            if unknown {
                Some(error_frame("unknown_type", "frame types are subscribe, unsubscribe, heart and auth"))
            } else {
                // serde's own words name its internals; say what a frame is.
                Some(error_frame(
                    "invalid_frame",
                    "a frame is {\"type\":\"subscribe\"|\"unsubscribe\",\"tags\":[…]}, {\"type\":\"heart\"} or {\"type\":\"auth\",\"token\":…}",
                ))
            }
        }
    }
}
