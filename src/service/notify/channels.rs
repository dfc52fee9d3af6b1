//! The three channels as senders see them: mail, WeCom application cards
//! (and their updates), and WeCom group robots behind a per-robot rate
//! limit (WeCom allows 20 messages a minute; a message over the limit is
//! put back to wait, never dropped).

use std::{num::NonZeroU32, sync::Arc};

use async_trait::async_trait;
use governor::{DefaultKeyedRateLimiter, Quota, clock::Clock as _};

use super::{
    mail::Mailer,
    sender::{Accepted, Channel, Outgoing, SendError},
    wecom::WeCom,
};
use crate::store::{Store, deliveries::Delivery};

fn wrong(channel: &str, message: &Outgoing) -> SendError {
    SendError::Dead(format!("a {channel} delivery holds a message of another channel: {message:?}"))
}

pub struct Email(pub Mailer);

#[async_trait]
impl Channel for Email {
    fn name(&self) -> &'static str {
        "email"
    }

    async fn send(&self, _: &Delivery, message: Outgoing) -> Result<Accepted, SendError> {
        match message {
            Outgoing::Email { to, subject, text, html } => self.0.send(&to, &subject, &text, &html).await,
            other => Err(wrong("email", &other)),
        }
    }
}

pub struct App(pub Arc<WeCom>);

#[async_trait]
impl Channel for App {
    fn name(&self) -> &'static str {
        "wecom_app"
    }

    async fn send(&self, _: &Delivery, message: Outgoing) -> Result<Accepted, SendError> {
        match message {
            Outgoing::Card { touser, card } => self.0.send_card(&touser, &card).await,
            Outgoing::CardUpdate { userids, response_code, replace_name } => {
                self.0.update_card(&userids, &response_code, &replace_name).await
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
