//! The operator's real-name review page (issue 16; `ops::realname`): the applications waiting
//! for review, each with its attachments, approved or rejected with an opinion.

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use maud::html;
use opc_core::ops::realname;
use opc_core::Context;
use opc_domain::realname::Identity;

use super::extract::{PagePath, PageQuery};
use super::page::{when, Cell, Count, Table};
use super::{denied, done, refused, render, ListQuery, OrDeny, Posted, Viewer};
use crate::audience::staff_of;
use crate::error::ApiError;

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/operator/realname", get(page))
        .route("/operator/realname-applications/{id}/{decision}", post(decide))
}

async fn page(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    staff_of(&viewer.user).map_err(|e| denied(&viewer, e))?;
    let list = realname::pending(&ctx, 500).await.or_deny(&viewer)?;
    let token = viewer.csrf();
    let paging = q.paging();
    let rows = list
        .iter()
        .map(|a| {
            let what = match &a.identity {
                Identity::Individual { document, name, .. } => {
                    format!("Individual: {name} (document type {})", document.code())
                }
                Identity::Enterprise { certificate, corp_name, legal_person, .. } => format!(
                    "Enterprise: {corp_name} (certificate type {}){}",
                    certificate.code(),
                    legal_person.as_ref().map(|p| format!(", legal representative {}", p.name)).unwrap_or_default()
                ),
            };
            let files = html! {
                @for (i, f) in a.files.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href=(format!("/api/v1/operator/realname-applications/{}/files/{f}", a.id)) { (f) }
                }
            };
            let cells = vec![
                Cell::from(when(a.submitted_at)),
                Cell::from(a.customer.as_str().to_owned()),
                Cell::link(a.partner.as_str(), &format!("/operator/partners/{}", a.partner)),
                Cell::from(if a.change { format!("Change to enterprise · {what}") } else { what }),
                Cell::rich(a.files.join(", "), files),
            ];
            let subject = format!("the real-name application of customer {}", a.customer);
            let action =
                super::operator::decision_forms(&format!("/operator/realname-applications/{}", a.id), &token, &subject);
            (cells, Some(action))
        })
        .collect();
    let table = Table {
        caption: "Real-name applications waiting for review",
        columns: &["Submitted", "Customer", "Partner", "Identity", "Attachments"],
        rows,
        total: Count::Exact(list.len() as u64),
    };
    if q.csv() {
        return Ok(table.csv("realname-applications"));
    }
    let table = Table { rows: paging.slice(table.rows), ..table };
    let body = html! {
        h1 { "Real-name authentication" }
        p { "Partners apply for their customers with the attachments they uploaded. Approving verifies the account as an individual or an enterprise; rejecting needs an opinion, which the partner reads back. Identity numbers are not shown here." }
        (table.render(&viewer.here, paging))
    };
    Ok(render(&viewer, "Real-name authentication", body))
}

async fn decide(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath((id, verdict)): PagePath<(String, String)>,
    form: Posted,
) -> Result<Response, Response> {
    let operator = staff_of(&viewer.user).map_err(|e| denied(&viewer, e))?.email.as_str().to_owned();
    let approve = super::approves(&viewer, &verdict)?;
    let to = "/operator/realname";
    match realname::review(&ctx, &operator, &id, approve, form.get("reason").trim()).await {
        Ok(a) if approve => Ok(done(viewer.cookies, to, format!("Approved: customer {} is verified.", a.customer))),
        Ok(a) => Ok(done(viewer.cookies, to, format!("Rejected the application of customer {}.", a.customer))),
        Err(e) => Ok(refused(viewer.cookies, to, &ApiError::from(e))),
    }
}
