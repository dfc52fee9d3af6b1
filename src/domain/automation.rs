//! Automations (自动化): what a template version asks to be done, in order,
//! once a ticket is approved — or at once, for a template with no chain.
//! Each task of a ticket becomes a job: `pending (待执行) → running →
//! succeeded (完成) | failed (执行异常)`, or `skipped` by an administrator,
//! or `cancelled` when the ticket closed around it.
//!
//! - [`Task`] and [`parse_tasks`]: the typed task list of a version,
//!   checked completely (every problem names its task).
//! - [`render_params`]: task parameters with `{{form.<key>}}` and
//!   `{{ticket.number}}` references filled from the ticket.
//! - [`retry_delay`]: the backoff before the next attempt.
//! - [`JobStatus`]: where a job stands.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How many tasks a version may have, and how many parameters a task.
pub const MAX_TASKS: usize = 20;
const MAX_PARAMS: usize = 50;

/// One task of a template version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub name: String,
    #[serde(flatten)]
    pub executor: Executor,
    /// Parameters, rendered into each job (see [`render_params`]).
    #[serde(default)]
    pub params: Map<String, Value>,
    /// How long one attempt may run: a bot's lease never reaches past it,
    /// a webhook call is cut off after it.
    #[serde(default = "default_timeout")]
    pub timeout_secs: u32,
    #[serde(default)]
    pub retry: Retry,
}

/// Who runs a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "executor", rename_all = "snake_case")]
pub enum Executor {
    /// Bots serving `kind` claim the job through the API.
    Bot { kind: String },
    /// Signoff calls `url` with the job, signed as Standard Webhooks does.
    /// `sync`: a 2xx answer completes the job with its body; `async`: a
    /// 2xx answer only accepts it, and the receiver completes it later
    /// through the API before the timeout.
    Webhook {
        url: String,
        #[serde(default)]
        mode: WebhookMode,
    },
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookMode {
    #[default]
    Sync,
    Async,
}

/// How often a job is tried and how long it waits between attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retry {
    #[serde(default = "default_attempts")]
    pub max_attempts: u32,
    /// The wait after the first failed attempt; it doubles after each.
    #[serde(default = "default_backoff")]
    pub backoff_secs: u32,
}

impl Default for Retry {
    fn default() -> Self {
        Self { max_attempts: default_attempts(), backoff_secs: default_backoff() }
    }
}

fn default_timeout() -> u32 {
    300
}
fn default_attempts() -> u32 {
    3
}
fn default_backoff() -> u32 {
    10
}

/// The job kind webhook tasks are queued under (bots never serve it).
pub const WEBHOOK_KIND: &str = "webhook";

impl Task {
    /// The queue its jobs wait in: the bot kind, or [`WEBHOOK_KIND`].
    pub fn kind(&self) -> &str {
        match &self.executor {
            Executor::Bot { kind } => kind,
            Executor::Webhook { .. } => WEBHOOK_KIND,
        }
    }
}

/// A task list that cannot be used, with the task it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskError {
    pub index: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for TaskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.index {
            Some(i) => write!(f, "automation {}: {}", i + 1, self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Whether `kind` may name a bot queue: 1 to 64 of `a-z 0-9 . _ -`,
/// starting with a letter or digit.
pub fn valid_kind(kind: &str) -> bool {
    let b = kind.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && b[0].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"._-".contains(c))
}

/// The tasks of a version's `automations`, every rule checked.
pub fn parse_tasks(value: &Value) -> Result<Vec<Task>, TaskError> {
    let err = |index, message: String| TaskError { index, message };
    let list = value.as_array().ok_or_else(|| err(None, "automations are a list of tasks".into()))?;
    if list.len() > MAX_TASKS {
        return Err(err(None, format!("at most {MAX_TASKS} automations")));
    }
    let mut tasks = Vec::with_capacity(list.len());
    for (i, raw) in list.iter().enumerate() {
        let task: Task = serde_json::from_value(raw.clone()).map_err(|e| err(Some(i), e.to_string()))?;
        let name = task.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(err(Some(i), "a task's name has 1 to 100 characters".into()));
        }
        match &task.executor {
            Executor::Bot { kind } if !valid_kind(kind) || kind == WEBHOOK_KIND => {
                return Err(err(Some(i), format!("{kind:?} is not a bot kind (a-z, 0-9, '.', '_', '-')")));
            }
            Executor::Webhook { url, .. }
                if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() > 2000 =>
            {
                return Err(err(Some(i), "a webhook's url is an http:// or https:// address".into()));
            }
            _ => {}
        }
        if !(1..=86_400).contains(&task.timeout_secs) {
            return Err(err(Some(i), "timeout_secs is 1 to 86400".into()));
        }
        if !(1..=20).contains(&task.retry.max_attempts) || task.retry.backoff_secs > 3_600 {
            return Err(err(Some(i), "retry: max_attempts is 1 to 20, backoff_secs at most 3600".into()));
        }
        if task.params.len() > MAX_PARAMS {
            return Err(err(Some(i), format!("at most {MAX_PARAMS} params")));
        }
        tasks.push(Task { name: name.to_string(), ..task });
    }
    Ok(tasks)
}

/// `params` with references filled in: a string that is exactly one
/// reference becomes the referenced value (a number stays a number);
/// references inside longer strings are replaced by their text. Unknown
/// references become null (alone) or nothing (inside text).
pub fn render_params(params: &Map<String, Value>, form: &Value, number: &str) -> Value {
    fn lookup(name: &str, form: &Value, number: &str) -> Value {
        match name.trim() {
            "ticket.number" => Value::String(number.into()),
            other => other.strip_prefix("form.").and_then(|k| form.get(k)).cloned().unwrap_or(Value::Null),
        }
    }
    fn text(v: &Value) -> String {
        match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
    fn render(v: &Value, form: &Value, number: &str) -> Value {
        match v {
            Value::String(s) => {
                let t = s.trim();
                if let Some(inner) = t.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")) {
                    if !inner.contains("{{") && !inner.contains("}}") {
                        return lookup(inner, form, number);
                    }
                }
                let mut out = String::with_capacity(s.len());
                let mut rest = s.as_str();
                while let Some(start) = rest.find("{{") {
                    let Some(end) = rest[start..].find("}}") else { break };
                    out.push_str(&rest[..start]);
                    out.push_str(&text(&lookup(&rest[start + 2..start + end], form, number)));
                    rest = &rest[start + end + 2..];
                }
                out.push_str(rest);
                Value::String(out)
            }
            Value::Array(a) => Value::Array(a.iter().map(|v| render(v, form, number)).collect()),
            Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), render(v, form, number))).collect()),
            other => other.clone(),
        }
    }
    Value::Object(params.iter().map(|(k, v)| (k.clone(), render(v, form, number))).collect())
}

/// How long a job waits after its `attempts`-th failed attempt: the
/// backoff, doubled after each further failure, at most an hour.
pub fn retry_delay(retry: &Retry, attempts: u32) -> Duration {
    let doublings = attempts.saturating_sub(1).min(16);
    Duration::from_secs((retry.backoff_secs as u64).saturating_mul(1 << doublings).min(3_600))
}

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting to be claimed (待执行), possibly not before a retry time.
    Pending,
    /// Claimed under a lease.
    Running,
    /// Done (完成).
    Succeeded,
    /// Failed for good (执行异常): an administrator retries or skips it.
    Failed,
    /// Passed over by an administrator.
    Skipped,
    /// The ticket closed while the job was open.
    Cancelled,
}

impl JobStatus {
    pub const ALL: [Self; 6] =
        [Self::Pending, Self::Running, Self::Succeeded, Self::Failed, Self::Skipped, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn from_stored(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn tasks_parse_with_defaults_and_every_rule_names_its_task() {
        let tasks = parse_tasks(&json!([
            { "name": "grant", "executor": "bot", "kind": "it-access", "params": { "system": "{{form.system}}" } },
            { "name": "cmdb", "executor": "webhook", "url": "http://127.0.0.1:9/hook", "mode": "async",
              "timeout_secs": 30, "retry": { "max_attempts": 5, "backoff_secs": 2 } }
        ]))
        .unwrap();
        assert_eq!(tasks[0].kind(), "it-access");
        assert_eq!((tasks[0].timeout_secs, tasks[0].retry), (300, Retry { max_attempts: 3, backoff_secs: 10 }));
        assert_eq!(tasks[1].kind(), WEBHOOK_KIND);
        assert_eq!(
            tasks[1].executor,
            Executor::Webhook { url: "http://127.0.0.1:9/hook".into(), mode: WebhookMode::Async }
        );
        for (bad, index) in [
            (json!({}), None),
            (json!([{ "name": "x", "executor": "robot" }]), Some(0)),
            (
                json!([{ "name": "ok", "executor": "bot", "kind": "a" }, { "name": "x", "executor": "bot", "kind": "A b" }]),
                Some(1),
            ),
            (json!([{ "name": "x", "executor": "bot", "kind": "webhook" }]), Some(0)),
            (json!([{ "name": "x", "executor": "webhook", "url": "ftp://x" }]), Some(0)),
            (json!([{ "name": " ", "executor": "bot", "kind": "a" }]), Some(0)),
            (json!([{ "name": "x", "executor": "bot", "kind": "a", "timeout_secs": 0 }]), Some(0)),
            (json!([{ "name": "x", "executor": "bot", "kind": "a", "retry": { "max_attempts": 0 } }]), Some(0)),
            (json!([{ "name": "grant access", "kind": "bot", "bot": "ops-bot" }]), Some(0)),
        ] {
            assert_eq!(parse_tasks(&bad).unwrap_err().index, index, "{bad}");
        }
    }

    #[test]
    fn params_take_the_ticket_values_they_name() {
        let params = json!({
            "system": "{{form.system}}", "days": "{{ form.days }}", "note": "{{ticket.number}}: {{form.system}} x{{form.days}}",
            "nested": ["{{form.missing}}", { "k": "{{form.system}}" }], "plain": 3
        });
        let form = json!({ "system": "vpn", "days": 2.5 });
        let out = render_params(params.as_object().unwrap(), &form, "IT-20261204-0001");
        assert_eq!(
            out,
            json!({ "system": "vpn", "days": 2.5, "note": "IT-20261204-0001: vpn x2.5",
                    "nested": [null, { "k": "vpn" }], "plain": 3 })
        );
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let r = Retry { max_attempts: 9, backoff_secs: 10 };
        let secs: Vec<u64> = (1..=4).map(|a| retry_delay(&r, a).as_secs()).collect();
        assert_eq!(secs, [10, 20, 40, 80]);
        assert_eq!(retry_delay(&r, 30).as_secs(), 3_600);
        assert_eq!(retry_delay(&Retry { max_attempts: 1, backoff_secs: 0 }, 3).as_secs(), 0);
    }

    #[test]
    fn statuses_round_trip() {
        for s in JobStatus::ALL {
            assert_eq!(JobStatus::from_stored(s.as_str()), Some(s));
        }
    }
}
