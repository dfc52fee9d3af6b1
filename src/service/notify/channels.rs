//! The three channels as senders see them: mail, WeCom application cards
//! (and their updates), and WeCom group robots behind a per-robot rate
//! limit (WeCom allows 20 messages a minute; a message over the limit is
//! put back to wait, never dropped).

use std::{num::NonZeroU32, sync::Arc};

use async_trait::async_trait;
use governor::{DefaultKeyedRateLimiter, Quota, clock::Clock as _};

use super::{
    live::Channels,
    sender::{Accepted, Channel, Outgoing, SendError},
    wecom::WeCom,
};
use crate::store::{
    Store,
    deliveries::{Delivery, status},
};

fn wrong(channel: &str, message: &Outgoing) -> SendError {
    SendError::Dead(format!("a {channel} delivery holds a message of another channel: {message:?}"))
}

/// Mail, with the SMTP settings in force when each message goes.
pub struct Email(pub Arc<Channels>);

#[async_trait]
impl Channel for Email {
    fn name(&self) -> &'static str {
        "email"
    }

    async fn send(&self, _: &Delivery, message: Outgoing) -> Result<Accepted, SendError> {
        let Some(mailer) = self.0.current().mailer.clone() else {
            return Err(SendError::Retry("mail is not configured (no SMTP URL)".into()));
        };
        match message {
            Outgoing::Email { to, subject, text, html } => mailer.send(&to, &subject, &text, &html).await,
            other => Err(wrong("email", &other)),
        }
    }
}

/// How long a card update waits before it looks for its card again.
const CARD_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// WeCom application cards and their updates.
pub struct App {
    pub channels: Arc<Channels>,
    pub store: Store,
}

impl App {
    /// Replaces the buttons of the recipient's cards about the delivery's
    /// item once each was accepted; waits while one is still on its way,
    /// skips those that died or carry no buttons.
    async fn update_cards(
        &self,
        wecom: &WeCom,
        d: &Delivery,
        userids: &[String],
        label: &str,
    ) -> Result<Accepted, SendError> {
        let item = d.item_id.ok_or_else(|| SendError::Dead("a card update names no item".into()))?;
        let found = self.store.cards_for(item, d.recipient_id).await.map_err(|e| SendError::Retry(e.to_string()))?;
        // Waiting for a card is no failed attempt: put back, uncounted.
        if found.iter().any(|c| c.status != status::SENT && c.status != status::DEAD) {
            return Err(SendError::Later(CARD_WAIT));
        }
        let codes: Vec<&str> = found.iter().filter_map(|c| c.response_code.as_deref()).collect();
        for code in &codes {
            wecom.update_card(userids, code, label).await?;
        }
        Ok(Accepted { provider_id: Some(format!("{} cards updated", codes.len())), response_code: None })
    }
}

#[async_trait]
impl Channel for App {
    fn name(&self) -> &'static str {
        "wecom_app"
    }

    async fn send(&self, d: &Delivery, message: Outgoing) -> Result<Accepted, SendError> {
        let live = self.channels.current();
        if !live.values.wecom_app() {
            return Err(SendError::Retry("the WeCom application is not configured".into()));
        }
        match message {
            Outgoing::Card { touser, card } => live.wecom.send_card(&touser, &card).await,
            Outgoing::CardUpdate { userids, response_code: Some(code), replace_name, .. } => {
                live.wecom.update_card(&userids, &code, &replace_name).await
            }
            Outgoing::CardUpdate { userids, replace_name, response_code: None } => {
                self.update_cards(&live.wecom, d, &userids, &replace_name).await
            }
            other => Err(wrong("wecom_app", &other)),
        }
    }
}

pub struct Robots {
    wecom: Arc<WeCom>,
    store: Store,
    limiter: DefaultKeyedRateLimiter<i64>,
}

impl Robots {
    /// At most `limit` messages per robot in any `window`: one every
    /// `window / limit` plus 5 % (network delays can bunch messages up on
    /// arrival), no bursts (a burst allowance would let a rolling window
    /// see up to twice the limit).
    pub fn new(wecom: Arc<WeCom>, store: Store, limit: u32, window: std::time::Duration) -> Self {
        let period = (window.mul_f64(1.05) / limit.max(1)).max(std::time::Duration::from_millis(1));
        let quota = Quota::with_period(period).expect("a non-zero period").allow_burst(NonZeroU32::MIN);
        Self { wecom, store, limiter: DefaultKeyedRateLimiter::keyed(quota) }
    }
}

#[async_trait]
impl Channel for Robots {
    fn name(&self) -> &'static str {
        "wecom_robot"
    }

    /// A few at a time: most of a burst waits in the table, not in claims
    /// that would only be put back.
    fn batch(&self) -> usize {
        4
    }

    async fn send(&self, d: &Delivery, message: Outgoing) -> Result<Accepted, SendError> {
        let Outgoing::Robot { markdown } = message else { return Err(wrong("wecom_robot", &message)) };
        let robot = match self.store.robot(d.recipient_id).await {
            Ok(Some(robot)) if robot.active => robot,
            Ok(_) => return Err(SendError::Dead("the robot was removed or turned off".into())),
            Err(e) => return Err(SendError::Retry(format!("cannot read the robot: {e}"))),
        };
        if let Err(not_until) = self.limiter.check_key(&robot.id) {
            let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
            return Err(SendError::Later(wait));
        }
        self.wecom.robot(&robot.webhook_key, &markdown).await
    }
}
