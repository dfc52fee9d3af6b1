//! Message text, from minijinja templates in zh-CN and en: one headline
//! per kind of notice, and one layout per channel (mail text and HTML, the
//! WeCom card, the robot's markdown). The templates are compiled once.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, Utc};
use minijinja::{Environment, context};
use serde::Serialize;

use crate::domain::events::NoticeKind;

/// A person's language for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Lang {
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "zh-CN" | "zh" => Some(Self::Zh),
            "en" | "en-US" | "en-GB" => Some(Self::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Zh => "zh-CN",
            Self::En => "en",
        }
    }
}

/// What a message says about a ticket.
#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    pub number: String,
    pub title: String,
    pub applicant: String,
    pub step: Option<String>,
    /// The item's due time, in China Standard Time.
    pub due: Option<String>,
    pub actor: Option<String>,
    /// The event that moved the ticket (`approved`, `returned`, …).
    pub event: String,
    /// Whether the ticket is done after the event.
    pub done: bool,
    pub comment: Option<String>,
    pub ticket_url: String,
    pub mobile_url: Option<String>,
}

/// Formats a due time as people in China read it (UTC+8, no DST).
pub fn china_time(at: DateTime<Utc>) -> String {
    let cst = FixedOffset::east_opt(8 * 3600).expect("a valid offset");
    at.with_timezone(&cst).format("%Y-%m-%d %H:%M").to_string()
}

const HEADLINES: &[(&str, &str, &str)] = &[
    ("assigned", "待您审批：{{ number }} {{ title }}", "Waiting for your approval: {{ number }} {{ title }}"),
    ("outcome", "您的工单 {{ number }} {{ outcome }}", "Your ticket {{ number }} {{ outcome }}"),
    ("urged", "{{ actor }} 催办：{{ number }} {{ title }}", "{{ actor }} is waiting on {{ number }} {{ title }}"),
    ("commented", "{{ actor }} 评论了 {{ number }} {{ title }}", "{{ actor }} commented on {{ number }} {{ title }}"),
    (
        "sla_reminder",
        "即将超时：{{ number }} {{ title }}（截止 {{ due }}）",
        "Due soon: {{ number }} {{ title }} (due {{ due }})",
    ),
    ("sla_due", "已超时：{{ number }} {{ title }}", "Overdue: {{ number }} {{ title }}"),
    (
        "sla_escalated",
        "超时升级给您审批：{{ number }} {{ title }}",
        "Escalated to you (overdue): {{ number }} {{ title }}",
    ),
    (
        "sla_alarm",
        "超时报警：{{ number }} {{ title }}，{{ step }} 超过截止时间 {{ due }}",
        "SLA alarm: {{ number }} {{ title }}, {{ step }} is past its due time {{ due }}",
    ),
    (
        "job_failed",
        "自动化执行异常：{{ number }} {{ title }}，请重试或跳过",
        "Automation failed: {{ number }} {{ title }}; retry or skip it",
    ),
    (
        "submitted",
        "新工单：{{ number }} {{ title }}（{{ applicant }}）",
        "New ticket: {{ number }} {{ title }} ({{ applicant }})",
    ),
];

/// What happened to a ticket, as its applicant is told.
fn outcome(lang: Lang, event: &str, done: bool) -> &'static str {
    match (lang, event, done) {
        (Lang::Zh, "approved" | "confirmed" | "processing_finished", true) => "已完成",
        (Lang::Zh, "approved" | "confirmed", false) => "已通过一步审批",
        (Lang::Zh, "returned", _) => "被退回，请修改后重新提交",
        (Lang::Zh, "rejected", _) => "被拒绝",
        (Lang::Zh, "withdrawn", _) => "已撤回",
        (Lang::Zh, _, _) => "有新进展",
        (Lang::En, "approved" | "confirmed" | "processing_finished", true) => "is done",
        (Lang::En, "approved" | "confirmed", false) => "passed a step",
        (Lang::En, "returned", _) => "was returned to you for changes",
        (Lang::En, "rejected", _) => "was rejected",
        (Lang::En, "withdrawn", _) => "was withdrawn",
        (Lang::En, _, _) => "moved on",
    }
}

/// The words around the facts, per language.
fn labels(lang: Lang) -> std::collections::BTreeMap<&'static str, &'static str> {
    let (keys, zh, en): (&[&str], &[&str], &[&str]) = (
        &["ticket", "applicant", "step", "due", "comment", "decide", "open", "approve", "reject", "detail"],
        &["工单", "申请人", "环节", "截止时间", "评论", "手机审批", "查看工单", "同意", "拒绝", "详情"],
        &[
            "Ticket",
            "Applicant",
            "Step",
            "Due",
            "Comment",
            "Decide on your phone",
            "Open the ticket",
            "Approve",
            "Reject",
            "Details",
        ],
    );
    let words = if lang == Lang::Zh { zh } else { en };
    keys.iter().copied().zip(words.iter().copied()).collect()
}

const MAIL_TEXT: &str = "{{ headline }}

{{ L.ticket }}: {{ number }} {{ title }}
{{ L.applicant }}: {{ applicant }}
{% if step %}{{ L.step }}: {{ step }}
{% endif %}{% if due %}{{ L.due }}: {{ due }}
{% endif %}{% if comment %}{{ L.comment }}: {{ comment }}
{% endif %}
{% if mobile_url %}{{ L.decide }}: {{ mobile_url }}
{% endif %}{{ L.open }}: {{ ticket_url }}
";

/// Links are built here from `public_url` and base64url tokens, so they
/// go into `href` as they are (the escaper would turn `/` into `&#x2f;`).
const MAIL_HTML: &str = r#"<!doctype html><html><body style="font-family:sans-serif">
<p><strong>{{ headline }}</strong></p>
<table>
<tr><td>{{ L.ticket }}</td><td>{{ number }} {{ title }}</td></tr>
<tr><td>{{ L.applicant }}</td><td>{{ applicant }}</td></tr>
{% if step %}<tr><td>{{ L.step }}</td><td>{{ step }}</td></tr>{% endif %}
{% if due %}<tr><td>{{ L.due }}</td><td>{{ due }}</td></tr>{% endif %}
{% if comment %}<tr><td>{{ L.comment }}</td><td>{{ comment }}</td></tr>{% endif %}
</table>
{% if mobile_url %}<p><a href="{{ mobile_url|safe }}">{{ L.decide }}</a></p>{% endif %}
<p><a href="{{ ticket_url|safe }}">{{ L.open }}</a></p>
</body></html>"#;

const ROBOT_MARKDOWN: &str = "**{{ headline }}**
> {{ L.applicant }}: {{ applicant }}{% if step %}
> {{ L.step }}: {{ step }}{% endif %}{% if due %}
> {{ L.due }}: {{ due }}{% endif %}

[{{ L.open }}]({{ ticket_url }})";

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (kind, zh, en) in HEADLINES {
        env.add_template_owned(format!("zh-CN/{kind}"), (*zh).to_string()).expect("a valid headline");
        env.add_template_owned(format!("en/{kind}"), (*en).to_string()).expect("a valid headline");
    }
    for (name, body) in [("mail.txt", MAIL_TEXT), ("mail.html", MAIL_HTML), ("robot.md", ROBOT_MARKDOWN)] {
        env.add_template(name, body).expect("a valid layout");
    }
    env
});

/// A rendered message: what every channel's layout needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub headline: String,
    pub text: String,
    pub html: String,
    pub markdown: String,
    pub approve: String,
    pub reject: String,
    pub detail: String,
}

fn render(name: &str, ctx: &minijinja::Value) -> String {
    TEMPLATES.get_template(name).and_then(|t| t.render(ctx)).unwrap_or_else(|e| {
        // Templates are compiled in and tested: a failure is a bug, and a
        // message with its facts is better than none.
        tracing::error!(template = name, error = %e, "a message template failed");
        String::new()
    })
}

/// The message of `kind` (a notice kind or `submitted`) in `lang`.
pub fn message(kind: &str, lang: Lang, facts: &Facts) -> Rendered {
    let l = lang.code();
    let outcome = outcome(lang, &facts.event, facts.done);
    let words = labels(lang);
    let base = context! { outcome => outcome, L => words.clone(), ..minijinja::Value::from_serialize(facts) };
    let headline = render(&format!("{l}/{kind}"), &base).trim().to_string();
    let ctx = context! { headline => headline.clone(), ..base };
    let label = |k: &str| words.get(k).copied().unwrap_or(k).to_string();
    Rendered {
        headline,
        text: render("mail.txt", &ctx),
        html: render("mail.html", &ctx),
        markdown: render("robot.md", &ctx),
        approve: label("approve"),
        reject: label("reject"),
        detail: label("detail"),
    }
}

/// Every notice kind has a headline in both languages.
pub fn kinds() -> impl Iterator<Item = &'static str> {
    NoticeKind::ALL.into_iter().map(NoticeKind::as_str).chain(["submitted"])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            number: "LV-20261203-0001".into(),
            title: "Leave <3 days>".into(),
            applicant: "Alice".into(),
            step: Some("Head".into()),
            due: Some("2026-12-04 09:00".into()),
            actor: Some("Bob".into()),
            event: "returned".into(),
            done: false,
            comment: None,
            ticket_url: "http://x/tickets/1".into(),
            mobile_url: Some("http://x/approve/t".into()),
        }
    }

    #[test]
    fn every_kind_renders_in_both_languages() {
        for kind in kinds() {
            for lang in [Lang::Zh, Lang::En] {
                let m = message(kind, lang, &facts());
                assert!(m.headline.contains("LV-20261203-0001"), "{kind} {lang:?}: {}", m.headline);
                assert!(!m.headline.contains("{{"), "{kind}");
                assert!(m.text.contains("http://x/tickets/1"), "{kind}");
            }
        }
        let m = message("outcome", Lang::Zh, &facts());
        assert_eq!(m.headline, "您的工单 LV-20261203-0001 被退回，请修改后重新提交");
        assert_eq!((m.approve.as_str(), m.reject.as_str()), ("同意", "拒绝"));
        // HTML is escaped; text is not.
        assert!(m.html.contains("Leave &lt;3 days&gt;"), "{}", m.html);
        assert!(m.text.contains("Leave <3 days>"));
        assert!(m.html.contains(r#"href="http://x/approve/t""#));
    }
}
