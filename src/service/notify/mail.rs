//! Mail over SMTP with lettre: plain, STARTTLS or TLS as `smtp_url` says,
//! authentication when the URL carries a user, multipart text + HTML.
//! Connections are pooled; a broken one is replaced on the next message.

use lettre::{
    AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
};

use super::sender::{Accepted, SendError};

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(url: &str, from: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("smtp_url: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(15)))
            .build();
        let from = from.parse().map_err(|e| anyhow::anyhow!("mail_from {from:?}: {e}"))?;
        Ok(Self { transport, from })
    }

    pub async fn send(&self, to: &str, subject: &str, text: &str, html: &str) -> Result<Accepted, SendError> {
        let to: Mailbox = to.parse().map_err(|e| SendError::Dead(format!("the address {to:?} is not valid: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(None)
            .multipart(MultiPart::alternative_plain_html(text.to_string(), html.to_string()))
            .map_err(|e| SendError::Dead(format!("the message cannot be built: {e}")))?;
        let id = message.headers().get_raw("Message-ID").map(str::to_string);
        match self.transport.send(message).await {
            Ok(_) => Ok(Accepted { provider_id: id, response_code: None }),
            // 5xx: the server refuses this message for good (no such
            // mailbox, policy); anything else may pass later.
            Err(e) if e.is_permanent() => Err(SendError::Dead(format!("the mail server refused it: {e}"))),
            Err(e) => Err(SendError::Retry(format!("the mail server is unreachable or busy: {e}"))),
        }
    }
}
