//! Settings of notifications: delivery retries, mail over SMTP, WeCom (the
//! application that sends cards and receives button clicks, and group
//! robots), mobile links and SLA reminders. Flattened into [`Config`], so
//! each is a top-level key (`smtp_url`, `SIGNOFF_SMTP_URL`).
//!
//! [`Config`]: super::Config

use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct NotifyConfig {
    /// Whether this node plans and sends notifications at all.
    pub notify_enabled: bool,
    /// Attempts before a delivery goes dead (dead letters wait for a retry).
    pub notify_max_attempts: u32,
    /// First retry delay in milliseconds; doubled each attempt, with jitter.
    pub notify_retry_base_ms: u64,
    /// Longest delay between two attempts, in seconds.
    pub notify_retry_max_secs: u64,
    /// Deliveries one sender sends at once.
    pub notify_concurrency: usize,
    /// Base of links in messages (`https://signoff.example.com`).
    pub public_url: String,
    /// Seconds a mobile approval link stays valid.
    pub mobile_link_ttl_secs: u64,
    /// `smtp://host:25` (plain), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS) or `smtps://user:pass@host:465` (TLS); unset: no mail.
    pub smtp_url: Option<String>,
    /// The sender of mail.
    pub mail_from: String,
    /// WeCom's API, replaced by a local server in tests.
    pub wecom_base: String,
    /// The enterprise's corp id (also the receive id callbacks must carry).
    pub wecom_corp_id: Option<String>,
    /// The self-built application's agent id and secret.
    pub wecom_agent_id: Option<i64>,
    pub wecom_secret: Option<String>,
    /// The callback's token and EncodingAESKey (43 characters).
    pub wecom_token: Option<String>,
    pub wecom_aes_key: Option<String>,
    /// Messages one group robot may send per window (WeCom: 20 a minute),
    /// spread evenly so no window of that length ever holds more.
    pub wecom_robot_limit: u32,
    pub wecom_robot_window_secs: u64,
    /// Seconds before an item's due time that its reminder goes out.
    pub sla_reminder_lead_secs: u64,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        Self {
            notify_enabled: true,
            notify_max_attempts: 8,
            notify_retry_base_ms: 2_000,
            notify_retry_max_secs: 3_600,
            notify_concurrency: 64,
            public_url: "http://127.0.0.1:8080".into(),
            mobile_link_ttl_secs: 7 * 24 * 3600,
            smtp_url: None,
            mail_from: "Signoff <signoff@localhost>".into(),
            wecom_base: "https://qyapi.weixin.qq.com".into(),
            wecom_corp_id: None,
            wecom_agent_id: None,
            wecom_secret: None,
            wecom_token: None,
            wecom_aes_key: None,
            wecom_robot_limit: 20,
            wecom_robot_window_secs: 60,
            sla_reminder_lead_secs: 30 * 60,
        }
    }
}

impl NotifyConfig {
    /// Whether the WeCom application is configured (cards to people).
    pub fn wecom_app(&self) -> bool {
        self.wecom_corp_id.is_some() && self.wecom_agent_id.is_some() && self.wecom_secret.is_some()
    }

    pub(super) fn validate(&self, problems: &mut Vec<String>) {
        if self.notify_max_attempts == 0 {
            problems.push("notify_max_attempts is 0; it must be at least 1".into());
        }
        if self.notify_concurrency == 0 {
            problems.push("notify_concurrency is 0; it must be at least 1".into());
        }
        if self.wecom_robot_limit == 0 || self.wecom_robot_window_secs == 0 {
            problems.push("wecom_robot_limit and wecom_robot_window_secs must be at least 1".into());
        }
        if self.mobile_link_ttl_secs < 60 {
            problems.push(format!("mobile_link_ttl_secs is {}; it must be at least 60", self.mobile_link_ttl_secs));
        }
        let url = &self.public_url;
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.contains(['"', '<', '>', ' ']) {
            problems.push(format!("public_url {url:?} must be an http(s) URL"));
        }
        if let Some(key) = &self.wecom_aes_key {
            if key.len() != 43 {
                problems.push("wecom_aes_key must be the 43 characters WeCom shows".into());
            }
        }
        if let Some(url) = &self.smtp_url {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                problems.push("smtp_url must start with smtp:// or smtps://".into());
            }
        }
    }
}
