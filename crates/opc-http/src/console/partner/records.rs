//! Association records: the disassociation requests, and the administrator's decisions on them.

use axum::extract::State;

use crate::console::extract::{PagePath, PageQuery};
use axum::response::Response;
use maud::html;
use opc_core::ops::development;
use opc_core::Context;
use opc_domain::development::RequestState;

use super::{acting, strs, texts};
use crate::console::i18n::Lang;
use crate::console::page::{csrf, when, Cell, Count, Table};
use crate::console::{done, refused, render, ListQuery, OrDeny, Posted, Viewer};

pub(super) async fn records_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, None)?;
    let paging = q.paging();
    let records = development::association_records(&ctx, partner).await.or_deny(&viewer)?;
    let total = records.len() as u64;
    let shown = if q.csv() { records } else { paging.slice(records) };
    let token = viewer.csrf();
    let lang = viewer.lang;
    // Exports stay in English (their columns and words are read by machines).
    let tl = if q.csv() { Lang::English } else { lang };
    let rows = shown
        .iter()
        .map(|(r, account)| {
            let customer = account.as_ref().map(|a| a.name().as_str().to_owned()).unwrap_or_else(|| r.customer().as_str().to_owned());
            let (status, decided) = match &r.state() {
                RequestState::Pending => (tl.t("partner-records-pending"), String::new()),
                RequestState::Approved { at } => (tl.t("partner-records-approved"), when(*at)),
                RequestState::Rejected { at, .. } => (tl.t("partner-records-rejected"), when(*at)),
            };
            let by = match r.initiated_by() {
                opc_domain::development::Initiator::Customer => tl.t("partner-records-by-customer"),
                opc_domain::development::Initiator::Partner => tl.t("partner-records-by-partner"),
            };
            let cells = vec![
                Cell::from(customer.clone()),
                Cell::from(by),
                Cell::from(r.reason().as_str()),
                Cell::from(status),
                Cell::from(when(r.requested_at())),
                Cell::from(decided),
            ];
            let pending_from_customer =
                r.state() == RequestState::Pending && r.initiated_by() == opc_domain::development::Initiator::Customer;
            let actions = pending_from_customer.then(|| {
                let base = format!("/partner/association-records/{}", r.customer().as_str());
                html! {
                    form method="post" action=(format!("{base}/approve")) data-confirm=(lang.t_with("partner-records-approve-confirm", &[("customer", customer.as_str().into())])) {
                        (csrf(&token)) button type="submit" { (lang.t("partner-records-approve")) }
                    }
                    " "
                    form method="post" action=(format!("{base}/reject")) data-confirm=(lang.t_with("partner-records-reject-confirm", &[("customer", customer.as_str().into())])) {
                        (csrf(&token)) button.secondary type="submit" { (lang.t("partner-records-reject")) }
                    }
                }
            });
            (cells, actions)
        })
        .collect();
    let caption = tl.t("partner-records-caption");
    let columns = texts(
        tl,
        &[
            "partner-records-col-customer",
            "partner-records-col-requested-by",
            "partner-records-col-reason",
            "partner-records-col-status",
            "partner-records-col-requested",
            "partner-records-col-decided",
        ],
    );
    let table = Table { caption: &caption, columns: &strs(&columns), rows, total: Count::Exact(total) };
    if q.csv() {
        return Ok(table.csv("association-records"));
    }
    let title = lang.t("partner-records-title");
    let body = html! { h1 { (title) } (table.render(viewer.lang, &viewer.here, paging)) };
    Ok(render(&viewer, &title, body))
}

pub(super) async fn decide_record(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath((customer, decision)): PagePath<(String, String)>,
    form: Posted,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, None)?;
    let approve = crate::console::approves(&viewer, &decision)?;
    let to = "/partner/association-records";
    match development::decide_by_partner(&ctx, partner, &customer, approve, form.opt("verification_code")).await {
        Ok(_) if approve => Ok(done(viewer.cookies, to, viewer.lang.t("partner-records-approved-done"))),
        Ok(_) => Ok(done(viewer.cookies, to, viewer.lang.t("partner-records-rejected-done"))),
        Err(e) => Ok(refused(viewer.cookies, to, &e.into())),
    }
}
