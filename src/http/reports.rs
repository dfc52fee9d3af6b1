//! CSV exports of reports (`GET /reports/report.csv`) and of the tickets
//! behind them (`GET /reports/tickets.csv`), for the bearer of
//! `Authorization`, with the query parameters of GraphQL's `report`
//! (`from`, `to`, `timeZone`, `templateCode`, `departmentId`, `groupBy`).
//! UTF-8 with a byte-order mark; the ticket list streams page by page, so
//! a year of tickets never sits in memory at once.

use axum::{
    body::Body,
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::json_error;
use crate::graphql::context::Viewer;
use crate::{
    app::AppState,
    domain::access::Actor,
    error::{Error, Result},
    service::reports::{self, ReportRequest, parse_day, parse_group},
};

/// How many tickets one page of the export reads.
const PAGE: u64 = 2_000;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Params {
    from: Option<String>,
    to: Option<String>,
    time_zone: Option<String>,
    template_code: Option<String>,
    department_id: Option<String>,
    group_by: Option<String>,
}

impl Params {
    fn request(&self) -> Result<ReportRequest> {
        Ok(ReportRequest {
            from: self.from.as_deref().filter(|d| !d.is_empty()).map(|d| parse_day("from", d)).transpose()?,
            to: self.to.as_deref().filter(|d| !d.is_empty()).map(|d| parse_day("to", d)).transpose()?,
            time_zone: self.time_zone.clone(),
            template: self.template_code.clone(),
            department: self.department_id.clone().filter(|d| !d.is_empty()),
            group_by: self.group_by.as_deref().filter(|g| !g.is_empty()).map(parse_group).transpose()?,
        })
    }
}

async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Actor> {
    match super::graphql::viewer(state, headers).await {
        Viewer::Authenticated(actor) => Ok(actor),
        Viewer::Anonymous => Err(Error::unauthenticated("unauthenticated", "sign in first")),
        Viewer::Rejected { code, message } => Err(Error::unauthenticated(code, message)),
    }
}

fn csv_response(body: Body, name: &str) -> Response {
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

pub async fn report_csv(State(state): State<AppState>, headers: HeaderMap, Query(params): Query<Params>) -> Response {
    let made = async {
        let actor = caller(&state, &headers).await?;
        let request = params.request()?;
        let (scope, report) = reports::report(&state.store, &state.catalog, &actor, &request).await?;
        let labels = reports::labels(&state.store, &report, scope.group_by, &[], &[]).await?;
        let bytes = reports::report_csv(&scope, &report, &labels)?;
        Ok::<_, Error>((bytes, format!("signoff-report-{}-{}.csv", scope.from, scope.to)))
    };
    match made.await {
        Ok((bytes, name)) => csv_response(Body::from(bytes), &name),
        Err(e) => json_error(&e),
    }
}

pub async fn tickets_csv(State(state): State<AppState>, headers: HeaderMap, Query(params): Query<Params>) -> Response {
    let scoped = async {
        let actor = caller(&state, &headers).await?;
        reports::scope(&state.catalog, &actor, &params.request()?).await
    };
    let scope = match scoped.await {
        Ok(scope) => scope,
        Err(e) => return json_error(&e),
    };
    let name = format!("signoff-tickets-{}-{}.csv", scope.from, scope.to);
    let store = state.store.clone();
    // Each page is read when the client takes the previous one; a failure
    // midway ends the body early (the client sees a truncated download).
    let pages = futures::stream::unfold(Some(None), move |next: Option<Option<i64>>| {
        let (store, scope) = (store.clone(), scope.clone());
        async move {
            let after = next?;
            let Some(after) = after else {
                return Some((reports::ticket_csv_header(), Some(Some(0))));
            };
            match reports::ticket_csv_page(&store, &scope, after, PAGE).await {
                Ok((bytes, more)) if !bytes.is_empty() => Some((Ok(bytes), more.map(Some))),
                Ok(_) => None,
                Err(e) => {
                    crate::error::log_if_server_fault(&e);
                    Some((Err(e), None))
                }
            }
        }
    });
    // Fused: the compression layer polls once more after the last page.
    csv_response(Body::from_stream(futures::StreamExt::fuse(pages)), &name)
}
