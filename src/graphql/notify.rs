//! Notifications in the API: one's own settings for everyone; deliveries
//! (with retries of dead letters), group robots and test messages for
//! administrators. Robot keys are write-only: only their last characters
//! are ever shown.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::context::{actor, store};
use crate::{
    config::Config,
    domain::access::Permission,
    error::Result,
    service::{
        input::parse_id,
        notify::{
            admin,
            live::{ChannelChange, Channels, Live},
        },
    },
    store::deliveries::{Delivery, DeliveryFilter, status},
};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
/// Where a notification goes: mail, a WeCom application card, a WeCom group robot.
pub enum NotificationChannel {
    Email,
    WecomApp,
    WecomRobot,
}

impl NotificationChannel {
    fn code(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::WecomApp => "wecom_app",
            Self::WecomRobot => "wecom_robot",
        }
    }

    fn of(code: &str) -> Option<Self> {
        [Self::Email, Self::WecomApp, Self::WecomRobot].into_iter().find(|c| c.code() == code)
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
/// Where a delivery stands: waiting, being sent, sent, failed (will retry), dead (gave up).
pub enum DeliveryStatus {
    Pending,
    Sending,
    Sent,
    Failed,
    Dead,
}

impl DeliveryStatus {
    fn code(self) -> &'static str {
        match self {
            Self::Pending => status::PENDING,
            Self::Sending => status::SENDING,
            Self::Sent => status::SENT,
            Self::Failed => status::FAILED,
            Self::Dead => status::DEAD,
        }
    }
}

/// One message to one recipient on one channel.
pub struct DeliveryNode(Delivery);

#[Object(name = "Delivery")]
impl DeliveryNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The ticket event it tells of (negative for test messages).
    async fn event_id(&self) -> ID {
        ID(self.0.event_id.to_string())
    }
    async fn ticket_id(&self) -> Option<ID> {
        (self.0.ticket_id > 0).then(|| ID(self.0.ticket_id.to_string()))
    }
    /// A user, or for WECOM_ROBOT a robot.
    async fn recipient_id(&self) -> ID {
        ID(self.0.recipient_id.to_string())
    }
    async fn channel(&self) -> Option<NotificationChannel> {
        NotificationChannel::of(&self.0.channel)
    }
    /// What it tells: assigned, outcome, urged, commented, sla_*, card_update, submitted, test.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn status(&self) -> &str {
        &self.0.status
    }
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    async fn next_attempt_at(&self) -> DateTime<Utc> {
        self.0.next_attempt_at
    }
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    async fn provider_id(&self) -> Option<&str> {
        self.0.provider_id.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
}

#[derive(SimpleObject)]
/// How the viewer is notified.
pub struct NotificationSettings {
    /// zh-CN or en.
    pub language: String,
    /// `channel:kind` pairs turned off (`email:commented`, `wecom_app:*`).
    pub muted: Vec<String>,
}

#[derive(SimpleObject)]
/// A WeCom group robot and the tickets it posts about.
pub struct Robot {
    pub id: ID,
    pub name: String,
    /// The webhook key's last four characters; the key itself is never shown.
    pub key_hint: String,
    pub template_code: Option<String>,
    pub department_id: Option<ID>,
    pub active: bool,
}

impl From<crate::store::notify_settings::Robot> for Robot {
    fn from(r: crate::store::notify_settings::Robot) -> Self {
        let hint: String = r.webhook_key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        Self {
            id: ID(r.id.to_string()),
            name: r.name,
            key_hint: format!("…{hint}"),
            template_code: r.template_code,
            department_id: r.department_id.map(|d| ID(d.to_string())),
            active: r.active,
        }
    }
}

#[derive(InputObject)]
pub struct CreateRobotInput {
    pub name: String,
    /// The `key=` of the robot's webhook URL (write-only).
    pub webhook_key: String,
    /// Only tickets of this template; unset, every template.
    pub template_code: Option<String>,
    /// Only tickets filed in this department; unset, every department.
    pub department_id: Option<ID>,
}

#[derive(SimpleObject)]
/// Mail and the WeCom application as configured (admin). Secrets are
/// write-only: only whether they are set is shown.
pub struct ChannelSettings {
    pub mail: MailChannel,
    pub wecom: WecomChannel,
}

#[derive(SimpleObject)]
pub struct MailChannel {
    /// Whether mail goes out (an SMTP URL is set).
    pub configured: bool,
    /// The SMTP URL with its password replaced by `***`.
    pub smtp_url: Option<String>,
    pub mail_from: String,
}

#[derive(SimpleObject)]
pub struct WecomChannel {
    /// Whether application cards go out (corp id, agent id and secret set).
    pub configured: bool,
    /// Whether button clicks are received (token, EncodingAESKey and corp id set).
    pub callback_configured: bool,
    pub corp_id: Option<String>,
    pub agent_id: Option<i64>,
    pub secret_set: bool,
    pub token_set: bool,
    pub aes_key_set: bool,
    /// What to enter as the application's callback URL in WeCom.
    pub callback_url: String,
}

#[derive(InputObject)]
/// A change of channel settings: a field left out keeps its value, an
/// empty string (agent id 0) clears it; the sender `mailFrom` cannot be
/// cleared, only replaced.
pub struct ChannelSettingsInput {
    /// `smtp://host:25`, `smtp://user:pass@host:587?tls=required`, `smtps://user:pass@host:465`.
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub wecom_corp_id: Option<String>,
    pub wecom_agent_id: Option<i64>,
    pub wecom_secret: Option<String>,
    pub wecom_token: Option<String>,
    /// The 43-character EncodingAESKey.
    pub wecom_aes_key: Option<String>,
}

fn channel_settings(live: &Live, config: &Config) -> ChannelSettings {
    let v = &live.values;
    ChannelSettings {
        mail: MailChannel {
            configured: live.mailer.is_some(),
            smtp_url: v.smtp_url.as_deref().map(crate::config::redact_url),
            mail_from: v.mail_from.clone(),
        },
        wecom: WecomChannel {
            configured: v.wecom_app(),
            callback_configured: live.crypt.is_some(),
            corp_id: v.wecom_corp_id.clone(),
            agent_id: v.wecom_agent_id,
            secret_set: v.wecom_secret.is_some(),
            token_set: v.wecom_token.is_some(),
            aes_key_set: v.wecom_aes_key.is_some(),
            callback_url: format!("{}/wecom/callback", config.notify.public_url.trim_end_matches('/')),
        },
    }
}

#[derive(Default)]
pub struct NotifyQuery;

#[Object]
impl NotifyQuery {
    /// The viewer's notification settings.
    async fn notification_settings(&self, ctx: &Context<'_>) -> Result<NotificationSettings> {
        let actor = actor(ctx)?;
        let found = store(ctx).notification_settings(&[actor.user_id]).await?.into_iter().next();
        Ok(match found {
            Some(s) => {
                NotificationSettings { language: s.language, muted: serde_json::from_str(&s.muted).unwrap_or_default() }
            }
            None => NotificationSettings { language: "zh-CN".into(), muted: Vec::new() },
        })
    }

    /// Admin: deliveries, newest first, `first` of them before `beforeId`.
    #[graphql(complexity = "first.unwrap_or(50) as usize * child_complexity")]
    #[allow(clippy::too_many_arguments)]
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        status: Option<DeliveryStatus>,
        channel: Option<NotificationChannel>,
        ticket_id: Option<ID>,
        recipient_id: Option<ID>,
        first: Option<i32>,
        before_id: Option<ID>,
    ) -> Result<Vec<DeliveryNode>> {
        actor(ctx)?.require(Permission::ManageOrganisation)?;
        let max = ctx.data_unchecked::<Arc<Config>>().page_size_max as i32;
        let filter = DeliveryFilter {
            status: status.map(|s| s.code().into()),
            channel: channel.map(|c| c.code().into()),
            ticket_id: ticket_id.map(|t| parse_id("ticketId", &t)).transpose()?,
            recipient_id: recipient_id.map(|r| parse_id("recipientId", &r)).transpose()?,
        };
        let before = before_id.map(|b| parse_id("beforeId", &b)).transpose()?;
        let limit = first.unwrap_or(50).clamp(1, max) as u64;
        Ok(store(ctx).deliveries(&filter, before, limit).await?.into_iter().map(DeliveryNode).collect())
    }

    /// Admin: mail and WeCom application settings (secrets write-only).
    async fn channel_settings(&self, ctx: &Context<'_>) -> Result<ChannelSettings> {
        actor(ctx)?.require(Permission::ManageOrganisation)?;
        let live = ctx.data_unchecked::<Arc<Channels>>().current();
        Ok(channel_settings(&live, ctx.data_unchecked::<Arc<Config>>()))
    }

    /// Admin: the group robots.
    async fn robots(&self, ctx: &Context<'_>) -> Result<Vec<Robot>> {
        actor(ctx)?.require(Permission::ManageOrganisation)?;
        Ok(store(ctx).robots().await?.into_iter().map(Robot::from).collect())
    }
}

#[derive(Default)]
pub struct NotifyMutation;

#[Object]
impl NotifyMutation {
    /// Sets the viewer's language (zh-CN, en) and muted `channel:kind` pairs.
    async fn update_notification_settings(
        &self,
        ctx: &Context<'_>,
        language: String,
        muted: Vec<String>,
    ) -> Result<NotificationSettings> {
        admin::save_settings(store(ctx), actor(ctx)?, &language, &muted).await?;
        Ok(NotificationSettings { language, muted })
    }

    /// Admin: sends a failed or dead delivery again from its first attempt.
    async fn retry_delivery(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        actor(ctx)?.require(Permission::ManageOrganisation)?;
        let id = parse_id("id", &id)?;
        Ok(store(ctx).retry_deliveries(Some(&[id]), None).await? == 1)
    }

    /// Admin: sends every dead delivery (of `channel`) again; returns how many.
    async fn retry_dead_deliveries(&self, ctx: &Context<'_>, channel: Option<NotificationChannel>) -> Result<i32> {
        actor(ctx)?.require(Permission::ManageOrganisation)?;
        Ok(store(ctx).retry_deliveries(None, channel.map(NotificationChannel::code)).await? as i32)
    }

    /// Admin: queues a test message to a user by EMAIL or WECOM_APP; the
    /// delivery (find it by the returned event id) shows how it went.
    async fn send_test_notification(&self, ctx: &Context<'_>, channel: NotificationChannel, user_id: ID) -> Result<ID> {
        let config = ctx.data_unchecked::<Arc<Config>>();
        let user = parse_id("userId", &user_id)?;
        let event = admin::send_test(store(ctx), config, actor(ctx)?, channel.code(), user).await?;
        Ok(ID(event.to_string()))
    }

    /// Admin: changes mail and WeCom application settings; in effect on
    /// this node at once and on the others within seconds. They then
    /// replace the configuration file's.
    async fn update_channel_settings(&self, ctx: &Context<'_>, input: ChannelSettingsInput) -> Result<ChannelSettings> {
        let actor = actor(ctx)?;
        actor.require(Permission::ManageOrganisation)?;
        let change = ChannelChange {
            smtp_url: input.smtp_url,
            mail_from: input.mail_from,
            wecom_corp_id: input.wecom_corp_id,
            wecom_agent_id: input.wecom_agent_id,
            wecom_secret: input.wecom_secret,
            wecom_token: input.wecom_token,
            wecom_aes_key: input.wecom_aes_key,
        };
        let live = ctx.data_unchecked::<Arc<Channels>>().save(change).await?;
        tracing::info!(by = actor.user_id, "notification channel settings changed");
        Ok(channel_settings(&live, ctx.data_unchecked::<Arc<Config>>()))
    }

    /// Admin: adds a WeCom group robot.
    async fn create_robot(&self, ctx: &Context<'_>, input: CreateRobotInput) -> Result<Robot> {
        let department = input.department_id.map(|d| parse_id("departmentId", &d)).transpose()?;
        let robot = admin::create_robot(
            store(ctx),
            actor(ctx)?,
            &input.name,
            &input.webhook_key,
            input.template_code,
            department,
        )
        .await?;
        Ok(Robot::from(robot))
    }

    /// Admin: removes a group robot; its queued messages go dead.
    async fn delete_robot(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        actor(ctx)?.require(Permission::ManageOrganisation)?;
        store(ctx).delete_robot(parse_id("id", &id)?).await
    }
}
