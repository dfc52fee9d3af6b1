//! Mobile approval from a signed link (`/approve/{token}`): GET shows the
//! item and never acts — mail scanners and chat previews fetch links — and
//! the decision is a POST of the page's form, which carries the token.
//! Each token decides once; its client mutation id makes a double tap one
//! decision.

use std::sync::LazyLock;

use axum::{
    Form,
    extract::{Path, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use minijinja::{Environment, context};
use serde::Deserialize;

use crate::{app::AppState, error::Error, service::tickets::act::ItemAction};

const PAGE: &str = r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Signoff</title>
<style>body{font-family:sans-serif;margin:1rem;max-width:32rem}dt{color:#666}dd{margin:0 0 .6rem}
button{font-size:1.1rem;padding:.6rem 1.2rem;margin-right:.6rem}textarea{width:100%;min-height:4rem}</style></head>
<body>
{% if error %}<p role="alert" data-code="{{ code }}"><strong>{{ error }}</strong></p>{% endif %}
{% if done %}<p role="status"><strong>{{ done }}</strong></p>{% endif %}
{% if ticket %}
<h1>{{ ticket.number }} {{ ticket.title }}</h1>
<dl><dt>申请人 Applicant</dt><dd>{{ applicant }}</dd>
<dt>环节 Step</dt><dd>{{ item.step_name }}</dd>
<dt>状态 Status</dt><dd data-status="{{ item.status }}">{{ item.status }}</dd></dl>
{% if item.status == "pending" and not used %}
<form method="post">
<label>意见 Comment<textarea name="comment" maxlength="2000"></textarea></label>
<p><button name="action" value="approve">同意 Approve</button><button name="action" value="reject">拒绝 Reject</button></p>
</form>
{% endif %}
<p><a href="{{ ticket_url }}">在 Signoff 中打开 Open in Signoff</a></p>
{% endif %}
</body></html>"#;

static PAGES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.add_template("approve.html", PAGE).expect("a valid page");
    env
});

fn page(status: StatusCode, ctx: minijinja::Value) -> Response {
    match PAGES.get_template("approve.html").and_then(|t| t.render(ctx)) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "the approval page failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be shown").into_response()
        }
    }
}

fn refused(err: &Error) -> Response {
    if let Error::Internal(e) = err {
        tracing::error!(error = %crate::error::Chain(e.as_ref()), "a mobile decision failed");
    }
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    page(status, context! { error => err.public_message(), code => err.code() })
}

/// The item behind a token, checked; with the page's facts.
async fn load(
    state: &AppState,
    token: &str,
) -> Result<(crate::service::notify::links::LinkClaims, minijinja::Value), Error> {
    let claims = state.links.verify(token, chrono::Utc::now())?;
    let item = state.store.ticket_item(claims.item_id).await?.ok_or(Error::not_found("approval item"))?;
    let ticket = state.store.ticket(item.ticket_id).await?.ok_or(Error::not_found("ticket"))?;
    let applicant = state.store.user(ticket.applicant_id).await?.map(|u| u.display_name).unwrap_or_default();
    let used = state.store.link_used(&claims.nonce).await?;
    let base = state.config.notify.public_url.trim_end_matches('/');
    let ctx = context! {
        ticket => context! { number => ticket.number, title => ticket.title },
        item => context! { step_name => item.step_name, status => item.status },
        applicant => applicant,
        used => used,
        ticket_url => format!("{base}/tickets/{}", ticket.id),
    };
    Ok((claims, ctx))
}

/// GET: the item and its buttons; nothing is acted on.
pub async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match load(&state, &token).await {
        Ok((_, ctx)) => page(StatusCode::OK, ctx),
        Err(e) => refused(&e),
    }
}

#[derive(Deserialize)]
pub struct Decision {
    action: String,
    #[serde(default)]
    comment: String,
}

/// POST: the decision, as the link's recipient, once.
pub async fn decide(State(state): State<AppState>, Path(token): Path<String>, Form(form): Form<Decision>) -> Response {
    let (claims, _) = match load(&state, &token).await {
        Ok(found) => found,
        Err(e) => return refused(&e),
    };
    let comment = form.comment.trim().to_string();
    let action = match form.action.as_str() {
        "approve" => ItemAction::Approve,
        "reject" => ItemAction::Reject { reason: comment.clone() },
        _ => return refused(&Error::invalid("invalid_action", "the decision is approve or reject")),
    };
    let comment = (!comment.is_empty() && matches!(action, ItemAction::Approve)).then_some(comment);
    if state.store.link_used(&claims.nonce).await.unwrap_or(false) {
        return refused(&Error::conflict("link_used", "this link has already been used"));
    }
    let outcome = async {
        let actor = state.access.actor(claims.user_id, None).await?;
        let id = format!("link:{}", claims.nonce);
        state.workflow.act_on_item(&actor, &claims.item_id.to_string(), action, comment, Some(&id)).await?;
        state.store.use_link(&claims.nonce).await
    }
    .await;
    match (outcome, load(&state, &token).await) {
        (Ok(_), Ok((_, ctx))) => page(StatusCode::OK, context! { done => "已提交 Done", ..ctx }),
        (Ok(_), Err(_)) => page(StatusCode::OK, context! { done => "已提交 Done" }),
        (Err(e), _) => refused(&e),
    }
}
