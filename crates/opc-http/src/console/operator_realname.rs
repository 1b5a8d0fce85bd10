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
use super::i18n::Lang;
use super::operator::words;
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
    // Exports stay in English, for the machines that read them.
    let lang = if q.csv() { Lang::English } else { viewer.lang };
    let rows = list
        .iter()
        .map(|a| {
            let what = match &a.identity {
                Identity::Individual { document, name, .. } => lang.t_with(
                    "operator-realname-individual",
                    &[("name", name.to_string().into()), ("document", document.code().to_string().into())],
                ),
                Identity::Enterprise { certificate, corp_name, legal_person, .. } => {
                    let (name, certificate) = (corp_name.to_string(), certificate.code().to_string());
                    match legal_person {
                        Some(p) => lang.t_with(
                            "operator-realname-enterprise-legal",
                            &[
                                ("name", name.into()),
                                ("certificate", certificate.into()),
                                ("legal", p.name.to_string().into()),
                            ],
                        ),
                        None => lang.t_with(
                            "operator-realname-enterprise",
                            &[("name", name.into()), ("certificate", certificate.into())],
                        ),
                    }
                }
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
                Cell::from(if a.change {
                    lang.t_with("operator-realname-change", &[("identity", what.into())])
                } else {
                    what
                }),
                Cell::rich(a.files.join(", "), files),
            ];
            let subject = lang.t_with("operator-realname-what", &[("customer", a.customer.to_string().into())]);
            let base = format!("/operator/realname-applications/{}", a.id);
            let action = super::operator::decision_forms(lang, &base, &token, &subject);
            (cells, Some(action))
        })
        .collect();
    let caption = lang.t("operator-realname-caption");
    let columns = words(
        lang,
        &[
            "operator-realname-col-submitted",
            "operator-realname-col-customer",
            "operator-realname-col-partner",
            "operator-realname-col-identity",
            "operator-realname-col-attachments",
        ],
    );
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    let table = Table { caption: &caption, columns: &columns, rows, total: Count::Exact(list.len() as u64) };
    if q.csv() {
        return Ok(table.csv("realname-applications"));
    }
    let table = Table { rows: paging.slice(table.rows), ..table };
    let body = html! {
        h1 { (lang.t("operator-realname-title")) }
        p { (lang.t("operator-realname-intro")) }
        (table.render(viewer.lang, &viewer.here, paging))
    };
    Ok(render(&viewer, &lang.t("operator-realname-title"), body))
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
        Ok(a) => {
            let id = if approve { "operator-realname-approved" } else { "operator-realname-rejected" };
            Ok(done(viewer.cookies, to, viewer.lang.t_with(id, &[("customer", a.customer.to_string().into())])))
        }
        Err(e) => Ok(refused(viewer.cookies, to, &ApiError::from(e))),
    }
}
