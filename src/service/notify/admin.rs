//! What people and administrators change about notifications: one's own
//! language and muted kinds, group robots, dead letters sent again, and a
//! test message to check a channel end to end.

use chrono::Utc;

use super::{
    render::{self, Facts, Lang},
    sender::Outgoing,
};
use crate::{
    config::Config,
    domain::{
        access::{Actor, Permission},
        events::NoticeKind,
    },
    error::{Error, Result},
    store::{Store, deliveries::NewDelivery, notify_settings::Robot},
};

pub const CHANNELS: [&str; 3] = ["email", "wecom_app", "wecom_robot"];

/// Checks and saves `actor`'s own settings.
pub async fn save_settings(store: &Store, actor: &Actor, language: &str, muted: &[String]) -> Result<()> {
    let lang = Lang::parse(language)
        .ok_or_else(|| Error::invalid_field("invalid_language", "language", "the language is zh-CN or en"))?;
    for entry in muted {
        let known = entry.split_once(':').is_some_and(|(channel, kind)| {
            (channel == "*" || CHANNELS.contains(&channel)) && (kind == "*" || NoticeKind::from_stored(kind).is_some())
        });
        if !known || entry == "*:*" {
            return Err(Error::invalid_field(
                "invalid_muted",
                "muted",
                format!("{entry:?} is not channel:kind (channels {CHANNELS:?}, kinds as in notices, * for all of one)"),
            ));
        }
    }
    store.save_notification_setting(actor.user_id, lang.code(), muted).await
}

/// Adds a group robot (admin).
pub async fn create_robot(
    store: &Store,
    actor: &Actor,
    name: &str,
    key: &str,
    template_code: Option<String>,
    department_id: Option<i64>,
) -> Result<Robot> {
    actor.require(Permission::ManageOrganisation)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(Error::invalid_field("invalid_name", "name", "a robot's name has 1 to 120 characters"));
    }
    if key.is_empty() || key.len() > 128 || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(Error::invalid_field(
            "invalid_webhook_key",
            "webhookKey",
            "the key is the webhook URL's key=… value",
        ));
    }
    store.insert_robot(name.into(), key.into(), template_code, department_id).await
}

/// Queues a test message to `user_id` on `channel` (admin): it goes out
/// through the same sender, so a success proves the channel end to end.
pub async fn send_test(store: &Store, config: &Config, actor: &Actor, channel: &str, user_id: i64) -> Result<i64> {
    actor.require(Permission::ManageOrganisation)?;
    let user = store.user(user_id).await?.ok_or(Error::not_found("user"))?;
    let now = Utc::now();
    let facts = Facts {
        number: "TEST".into(),
        title: "Signoff test message / 测试消息".into(),
        applicant: user.display_name.clone(),
        step: None,
        due: None,
        actor: None,
        event: "test".into(),
        done: false,
        comment: None,
        ticket_url: config.notify.public_url.clone(),
        mobile_url: None,
    };
    let text = render::message("submitted", Lang::Zh, &facts);
    let message = match channel {
        "email" => Outgoing::Email {
            to: user.email.clone().ok_or_else(|| Error::invalid("no_address", "this user has no email address"))?,
            subject: text.headline,
            text: text.text,
            html: text.html,
        },
        "wecom_app" => Outgoing::Card {
            touser: user
                .wecom_user_id
                .clone()
                .ok_or_else(|| Error::invalid("no_address", "this user has no WeCom id"))?,
            card: super::wecom::notice_card(&text.headline, &facts.title, &facts.ticket_url),
        },
        _ => return Err(Error::invalid_field("invalid_channel", "channel", "test messages go by email or wecom_app")),
    };
    // Test messages belong to no event: a negative, unique event id.
    let event_id = -now.timestamp_micros();
    let row = NewDelivery {
        event_id,
        ticket_id: 0,
        item_id: None,
        recipient_id: user.id,
        channel: if channel == "email" { "email" } else { "wecom_app" },
        kind: "test".into(),
        message: serde_json::to_string(&message).map_err(Error::internal)?,
        event_at: now,
        not_before: now,
    };
    store.insert_deliveries(vec![row]).await?;
    Ok(event_id)
}
