//! Channel settings as they stand: mail (SMTP URL, sender) and the WeCom
//! application (corp id, agent id, secret, callback token and AES key).
//! They start as the configuration file's; once an administrator saves
//! them through the API the saved set replaces the file's, cluster-wide.
//! Every node reloads them every few seconds (the saving node at once),
//! so senders, the planner and the callback follow without a restart.
//!
//! Two locks, always taken in this order: `saving` (async, held across a
//! whole save or reload, so on one node they run one at a time and what a
//! node holds is what it saved or loaded last) and `current` (held only to clone or swap an
//! `Arc`, never across an await). Saves on different nodes may race; the
//! database keeps the last, and every node's reload converges on it.

use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};

use super::{crypto::MsgCrypt, mail::Mailer, wecom::WeCom};
use crate::{
    config::NotifyConfig,
    error::{Error, FieldIssue, Result},
    store::Store,
};

/// Where the saved set lives (a server secret: it holds credentials).
const SECRET_NAME: &str = "notification_channels";

/// The settings an administrator may change at run time.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChannelValues {
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub wecom_corp_id: Option<String>,
    pub wecom_agent_id: Option<i64>,
    pub wecom_secret: Option<String>,
    pub wecom_token: Option<String>,
    pub wecom_aes_key: Option<String>,
}

impl ChannelValues {
    pub fn from_config(n: &NotifyConfig) -> Self {
        Self {
            smtp_url: n.smtp_url.clone(),
            mail_from: n.mail_from.clone(),
            wecom_corp_id: n.wecom_corp_id.clone(),
            wecom_agent_id: n.wecom_agent_id,
            wecom_secret: n.wecom_secret.clone(),
            wecom_token: n.wecom_token.clone(),
            wecom_aes_key: n.wecom_aes_key.clone(),
        }
    }

    /// Whether application cards can go out.
    pub fn wecom_app(&self) -> bool {
        self.wecom_corp_id.is_some() && self.wecom_agent_id.is_some() && self.wecom_secret.is_some()
    }
}

/// A change: `None` keeps a value, an empty string (agent id 0) clears it.
#[derive(Default)]
pub struct ChannelChange {
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub wecom_corp_id: Option<String>,
    pub wecom_agent_id: Option<i64>,
    pub wecom_secret: Option<String>,
    pub wecom_token: Option<String>,
    pub wecom_aes_key: Option<String>,
}

impl ChannelChange {
    fn apply(self, mut v: ChannelValues) -> ChannelValues {
        let set = |slot: &mut Option<String>, new: Option<String>| {
            if let Some(new) = new {
                let new = new.trim().to_string();
                *slot = (!new.is_empty()).then_some(new);
            }
        };
        set(&mut v.smtp_url, self.smtp_url);
        set(&mut v.wecom_corp_id, self.wecom_corp_id);
        set(&mut v.wecom_secret, self.wecom_secret);
        set(&mut v.wecom_token, self.wecom_token);
        set(&mut v.wecom_aes_key, self.wecom_aes_key);
        if let Some(from) = self.mail_from {
            v.mail_from = from.trim().to_string();
        }
        if let Some(agent) = self.wecom_agent_id {
            v.wecom_agent_id = (agent != 0).then_some(agent);
        }
        v
    }
}

/// What senders and the callback use, built from one set of values.
pub struct Live {
    pub values: ChannelValues,
    pub mailer: Option<Arc<Mailer>>,
    pub wecom: Arc<WeCom>,
    /// The callback's decryption, when token, AES key and corp id are set.
    pub crypt: Option<Arc<MsgCrypt>>,
}

impl Live {
    /// Builds the clients; every problem is reported against its field.
    fn build(values: ChannelValues, base: &str, http: &reqwest::Client) -> std::result::Result<Self, Vec<FieldIssue>> {
        let mut issues = Vec::new();
        let mut issue =
            |code: &'static str, field: &str, message: String| issues.push(FieldIssue::new(field, code, message));
        let from_ok = values.mail_from.parse::<lettre::message::Mailbox>().is_ok();
        if !from_ok {
            issue("invalid_mail_from", "mailFrom", format!("{:?} is not a sender address", values.mail_from));
        }
        let mailer = match &values.smtp_url {
            // The sender is reported on its own field.
            Some(_) if !from_ok => None,
            Some(url) if !(url.starts_with("smtp://") || url.starts_with("smtps://")) => {
                issue("invalid_smtp_url", "smtpUrl", "the SMTP URL starts with smtp:// or smtps://".into());
                None
            }
            Some(url) => match Mailer::new(url, &values.mail_from) {
                Ok(m) => Some(Arc::new(m)),
                Err(e) => {
                    issue("invalid_smtp_url", "smtpUrl", e.to_string());
                    None
                }
            },
            None => None,
        };
        if let Some(key) = &values.wecom_aes_key
            && (key.len() != 43 || MsgCrypt::new("", key, "").is_err())
        {
            issue("invalid_aes_key", "wecomAesKey", "the EncodingAESKey is the 43 characters WeCom shows".into());
        }
        if values.wecom_agent_id.is_some_and(|a| a < 0) {
            issue("invalid_agent_id", "wecomAgentId", "the agent id is a positive number".into());
        }
        let crypt = match (&values.wecom_token, &values.wecom_aes_key, &values.wecom_corp_id) {
            (Some(token), Some(key), Some(corp)) => MsgCrypt::new(token, key, corp).ok().map(Arc::new),
            _ => None,
        };
        if !issues.is_empty() {
            return Err(issues);
        }
        let wecom = Arc::new(WeCom::new(
            http.clone(),
            base,
            values.wecom_corp_id.clone().unwrap_or_default(),
            values.wecom_secret.clone().unwrap_or_default(),
            values.wecom_agent_id.unwrap_or_default(),
        ));
        Ok(Self { values, mailer, wecom, crypt })
    }
}

/// The node's current channel settings.
pub struct Channels {
    store: Store,
    base: String,
    http: reqwest::Client,
    /// The saved text last loaded, to skip rebuilding when nothing changed.
    current: RwLock<(Option<String>, Arc<Live>)>,
    saving: tokio::sync::Mutex<()>,
}

impl Channels {
    /// The file's settings, replaced by the saved ones if any.
    pub async fn load(store: Store, config: &NotifyConfig) -> anyhow::Result<Arc<Self>> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).build()?;
        let base = config.wecom_base.trim_end_matches('/').to_string();
        let file = ChannelValues::from_config(config);
        let live = Live::build(file, &base, &http).map_err(|issues| {
            let all: Vec<String> = issues.into_iter().map(|i| format!("{}: {}", i.field, i.message)).collect();
            anyhow::anyhow!("notification settings: {}", all.join("; "))
        })?;
        let channels = Arc::new(Self {
            store,
            base,
            http,
            current: RwLock::new((None, Arc::new(live))),
            saving: tokio::sync::Mutex::new(()),
        });
        channels.refresh().await?;
        Ok(channels)
    }

    pub fn current(&self) -> Arc<Live> {
        self.current.read().expect("channel settings lock").1.clone()
    }

    /// Loads the saved settings if they changed since the last look.
    pub async fn refresh(&self) -> Result<()> {
        // Not between a save's write and its swap: that would put back
        // what the save replaced.
        let _not_while_saving = self.saving.lock().await;
        let Some(saved) = self.store.secret(SECRET_NAME).await? else { return Ok(()) };
        if self.current.read().expect("channel settings lock").0.as_deref() == Some(saved.as_str()) {
            return Ok(());
        }
        let values: ChannelValues = serde_json::from_str(&saved).map_err(Error::internal)?;
        match Live::build(values, &self.base, &self.http) {
            Ok(live) => *self.current.write().expect("channel settings lock") = (Some(saved), Arc::new(live)),
            // Saved sets were checked before saving; one that no longer
            // builds leaves the previous set in place.
            Err(issues) => tracing::warn!(problems = issues.len(), "saved notification settings do not build"),
        }
        Ok(())
    }

    /// Checks and saves a change; in effect here at once, elsewhere
    /// within a few seconds.
    pub async fn save(&self, change: ChannelChange) -> Result<Arc<Live>> {
        let _one_at_a_time = self.saving.lock().await;
        let values = change.apply(self.current().values.clone());
        let live = Live::build(values.clone(), &self.base, &self.http).map_err(Error::invalid_fields)?;
        let text = serde_json::to_string(&values).map_err(Error::internal)?;
        self.store.put_secret(SECRET_NAME, &text).await?;
        let live = Arc::new(live);
        *self.current.write().expect("channel settings lock") = (Some(text), live.clone());
        Ok(live)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_keeps_what_it_leaves_out_and_clears_what_is_empty() {
        let before = ChannelValues {
            smtp_url: Some("smtp://a:1".into()),
            mail_from: "x@y".into(),
            wecom_agent_id: Some(7),
            wecom_secret: Some("s".into()),
            ..Default::default()
        };
        let change = ChannelChange {
            smtp_url: Some(" ".into()),
            wecom_agent_id: Some(0),
            wecom_corp_id: Some("ww1".into()),
            ..Default::default()
        };
        let after = change.apply(before);
        assert_eq!(after.smtp_url, None);
        assert_eq!(after.wecom_agent_id, None);
        assert_eq!(after.wecom_corp_id.as_deref(), Some("ww1"));
        assert_eq!(after.wecom_secret.as_deref(), Some("s"));
        assert_eq!(after.mail_from, "x@y");
    }
}
