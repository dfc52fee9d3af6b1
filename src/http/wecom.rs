//! WeCom's callback (`/wecom/callback`): GET verifies the URL (the
//! decrypted `echostr` is the answer), POST carries events. Both are
//! signed and encrypted ([`MsgCrypt`]). A card button (Approve/Reject)
//! acts on its item as the Signoff user mapped from `FromUserName`,
//! through the same workflow as every other client; WeCom retries
//! callbacks, and the click's client mutation id makes a retry act once.
//! Whatever is wrong — signature, corp id, unknown user, an item already
//! decided — is logged and answered without a 5xx, so WeCom stops retrying.
//!
//! [`MsgCrypt`]: crate::service::notify::crypto::MsgCrypt

use std::collections::HashMap;

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};

use crate::{
    app::AppState,
    service::{notify::crypto::xml_field, tickets::act::ItemAction},
};

fn params(q: &HashMap<String, String>) -> (&str, &str, &str) {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or_default();
    (get("msg_signature"), get("timestamp"), get("nonce"))
}

/// URL verification.
pub async fn verify(State(state): State<AppState>, Query(q): Query<HashMap<String, String>>) -> Response {
    let Some(crypt) = state.channels.current().crypt.clone() else { return StatusCode::NOT_FOUND.into_response() };
    let (signature, timestamp, nonce) = params(&q);
    let echo = q.get("echostr").map(String::as_str).unwrap_or_default();
    match crypt.open(signature, timestamp, nonce, echo) {
        Ok(plain) => plain.into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "WeCom URL verification refused");
            (StatusCode::FORBIDDEN, e.to_string()).into_response()
        }
    }
}

/// An event: a card button is acted on; anything else is acknowledged.
pub async fn event(State(state): State<AppState>, Query(q): Query<HashMap<String, String>>, body: String) -> Response {
    let Some(crypt) = state.channels.current().crypt.clone() else { return StatusCode::NOT_FOUND.into_response() };
    let (signature, timestamp, nonce) = params(&q);
    let Some(encrypted) = xml_field(&body, "Encrypt") else {
        return (StatusCode::BAD_REQUEST, "no Encrypt element").into_response();
    };
    let xml = match crypt.open(signature, timestamp, nonce, encrypted) {
        Ok(xml) => xml,
        Err(e) => {
            tracing::warn!(error = %e, "WeCom callback refused");
            return (StatusCode::FORBIDDEN, e.to_string()).into_response();
        }
    };
    let outcome = act(&state, &xml).await;
    match &outcome {
        Ok(what) => tracing::info!(outcome = %what, "WeCom callback"),
        Err(why) => tracing::warn!(outcome = %why, "WeCom callback not acted on"),
    }
    // An empty 200 tells WeCom the event was received; nothing to show.
    (StatusCode::OK, "").into_response()
}

/// Acts on a card button's click; says what happened.
async fn act(state: &AppState, xml: &str) -> Result<String, String> {
    if xml_field(xml, "Event") != Some("template_card_event") {
        return Ok(format!("ignored {} event", xml_field(xml, "Event").unwrap_or("unknown")));
    }
    let from = xml_field(xml, "FromUserName").ok_or("no FromUserName")?;
    let key = xml_field(xml, "EventKey").ok_or("no EventKey")?;
    let task = xml_field(xml, "TaskId").unwrap_or_default();
    let (verb, item) = key.split_once(':').ok_or_else(|| format!("unknown button {key:?}"))?;
    let action = match verb {
        "approve" => ItemAction::Approve,
        "reject" => ItemAction::Reject { reason: "在企业微信中拒绝 (rejected in WeCom)".into() },
        _ => return Err(format!("unknown button {key:?}")),
    };
    let user = match state.store.user_by_wecom_id(from).await {
        Ok(Some(user)) if user.active => user,
        Ok(_) => return Err(format!("no active Signoff user has the WeCom id {from:?}")),
        Err(e) => return Err(format!("cannot look the user up: {e}")),
    };
    let actor = state.access.actor(user.id, None).await.map_err(|e| format!("user {}: {e}", user.id))?;
    // WeCom retries a callback it got no answer to: the same click
    // replays the first decision instead of making a second.
    let id = format!("wecom:{task}:{key}");
    match state.workflow.act_on_item(&actor, item, action, None, Some(&id)).await {
        Ok(outcome) if outcome.replayed => Ok(format!("{verb} on item {item} by user {} replayed", user.id)),
        Ok(_) => Ok(format!("{verb} on item {item} by user {}", user.id)),
        Err(e) => {
            Err(format!("{verb} on item {item} by user {} refused: {} ({})", user.id, e.public_message(), e.code()))
        }
    }
}
