//! WeCom's HTTP API as Signoff uses it: the application's access token
//! (cached until shortly before it expires, fetched again once when WeCom
//! says it is invalid or expired), `message/send` with template cards,
//! `message/update_template_card` after a decision, and group robots'
//! webhooks. Every call goes to `wecom_base`, so tests run WeCom locally.

use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use super::sender::{Accepted, SendError};

/// Errors WeCom answers that mean the access token must be fetched again.
const TOKEN_INVALID: [i64; 3] = [40014, 42001, 40001];
/// "API frequency out of limit": back off and retry.
const RATE_LIMITED: i64 = 45009;
/// Robot keys WeCom does not know: retrying cannot help.
const ROBOT_KEY_INVALID: [i64; 2] = [93000, 40058];
/// Recipients or payloads WeCom refuses outright.
const REFUSED: [i64; 6] = [40003, 81013, 40008, 40035, 44004, 82001];

#[derive(Debug, Deserialize)]
struct Answer {
    #[serde(default)]
    errcode: i64,
    #[serde(default)]
    errmsg: String,
    access_token: Option<String>,
    expires_in: Option<u64>,
    msgid: Option<String>,
    response_code: Option<String>,
}

/// A client of one WeCom application and its robots.
pub struct WeCom {
    http: reqwest::Client,
    base: String,
    corp_id: String,
    secret: String,
    pub agent_id: i64,
    token: Mutex<Option<(String, Instant)>>,
}

impl WeCom {
    pub fn new(http: reqwest::Client, base: &str, corp_id: String, secret: String, agent_id: i64) -> Self {
        Self { http, base: base.trim_end_matches('/').to_string(), corp_id, secret, agent_id, token: Mutex::new(None) }
    }

    /// The cached access token, or a new one.
    async fn token(&self, renew: bool) -> Result<String, SendError> {
        let mut cached = self.token.lock().await;
        if let Some((token, until)) = cached.as_ref() {
            if !renew && Instant::now() < *until {
                return Ok(token.clone());
            }
        }
        let url = format!("{}/cgi-bin/gettoken", self.base);
        let answer =
            self.call(self.http.get(url).query(&[("corpid", &self.corp_id), ("corpsecret", &self.secret)])).await?;
        if answer.errcode != 0 {
            return Err(SendError::Retry(format!("gettoken: {} {}", answer.errcode, answer.errmsg)));
        }
        let token = answer.access_token.ok_or_else(|| SendError::Retry("gettoken: no access_token".into()))?;
        // Renew a little early so a token never expires in flight.
        let life = Duration::from_secs(answer.expires_in.unwrap_or(7200).saturating_sub(300).max(60));
        *cached = Some((token.clone(), Instant::now() + life));
        Ok(token)
    }

    async fn call(&self, request: reqwest::RequestBuilder) -> Result<Answer, SendError> {
        let response = request.send().await.map_err(|e| SendError::Retry(format!("WeCom unreachable: {e}")))?;
        let status = response.status();
        if !status.is_success() {
            return Err(SendError::Retry(format!("WeCom answered HTTP {status}")));
        }
        response.json::<Answer>().await.map_err(|e| SendError::Retry(format!("WeCom's answer is not JSON: {e}")))
    }

    /// POSTs `body` to an application API path, renewing the token once
    /// when WeCom says it is no longer valid.
    async fn app_call(&self, path: &str, body: &Value) -> Result<Answer, SendError> {
        let mut renew = false;
        loop {
            let token = self.token(renew).await?;
            let url = format!("{}{path}", self.base);
            let answer = self.call(self.http.post(url).query(&[("access_token", &token)]).json(body)).await?;
            match answer.errcode {
                0 => return Ok(answer),
                code if TOKEN_INVALID.contains(&code) && !renew => renew = true,
                code => return Err(refusal(code, &answer.errmsg)),
            }
        }
    }

    /// Sends a template card to one person.
    pub async fn send_card(&self, touser: &str, card: &Value) -> Result<Accepted, SendError> {
        let body =
            json!({ "touser": touser, "msgtype": "template_card", "agentid": self.agent_id, "template_card": card });
        let answer = self.app_call("/cgi-bin/message/send", &body).await?;
        Ok(Accepted { provider_id: answer.msgid, response_code: answer.response_code })
    }

    /// Replaces a sent card's buttons with `replace_name` (the result).
    pub async fn update_card(
        &self,
        userids: &[String],
        response_code: &str,
        replace_name: &str,
    ) -> Result<Accepted, SendError> {
        let body = json!({
            "userids": userids,
            "agentid": self.agent_id,
            "response_code": response_code,
            "button": { "replace_name": replace_name },
        });
        self.app_call("/cgi-bin/message/update_template_card", &body).await?;
        Ok(Accepted { provider_id: None, response_code: None })
    }

    /// Posts markdown to a group robot.
    pub async fn robot(&self, key: &str, markdown: &str) -> Result<Accepted, SendError> {
        let url = format!("{}/cgi-bin/webhook/send", self.base);
        let body = json!({ "msgtype": "markdown", "markdown": { "content": markdown } });
        let answer = self.call(self.http.post(url).query(&[("key", key)]).json(&body)).await?;
        match answer.errcode {
            0 => Ok(Accepted { provider_id: None, response_code: None }),
            code if ROBOT_KEY_INVALID.contains(&code) => {
                Err(SendError::Dead(format!("the robot's key is invalid: {code} {}", answer.errmsg)))
            }
            code => Err(refusal(code, &answer.errmsg)),
        }
    }
}

fn refusal(code: i64, message: &str) -> SendError {
    let reason = format!("WeCom error {code}: {message}");
    match code {
        RATE_LIMITED => SendError::RetryAfter(reason, Duration::from_secs(60)),
        code if REFUSED.contains(&code) => SendError::Dead(reason),
        _ => SendError::Retry(reason),
    }
}

/// The card for an approval item: Approve and Reject buttons whose keys
/// name the item, and a link to the item's mobile page.
pub fn button_card(
    task_id: &str,
    headline: &str,
    facts: &[(String, String)],
    url: &str,
    buttons: [(&str, String); 2],
) -> Value {
    json!({
        "card_type": "button_interaction",
        "source": { "desc": "Signoff" },
        "main_title": { "title": clip(headline, 36) },
        "horizontal_content_list": facts.iter().map(|(k, v)| json!({ "keyname": clip(k, 5), "value": clip(v, 26) })).collect::<Vec<_>>(),
        "card_action": { "type": 1, "url": url },
        "task_id": task_id,
        "button_list": [
            { "text": buttons[0].0, "style": 1, "key": buttons[0].1 },
            { "text": buttons[1].0, "style": 2, "key": buttons[1].1 },
        ],
    })
}

/// A card that only tells (no buttons), linking to the ticket.
pub fn notice_card(headline: &str, detail: &str, url: &str) -> Value {
    json!({
        "card_type": "text_notice",
        "source": { "desc": "Signoff" },
        "main_title": { "title": clip(headline, 36) },
        "sub_title_text": clip(detail, 100),
        "card_action": { "type": 1, "url": url },
    })
}

/// WeCom limits card fields by characters; cut at a character boundary.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}
