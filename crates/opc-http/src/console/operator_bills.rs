//! The operator's billing pages: bill runs (state and progress; closing a month by hand), what
//! each partner owes and what is in arrears, and a partner's settlement discounts and the
//! output tax rates (R-BILL-01, R-BILL-02, R-BILL-03).

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use maud::html;
use opc_core::ops::bills::{self, month_text};
use opc_core::store::RunPhase;
use opc_core::Context;
use opc_domain::bill::{Discount, SettlementTerms, TaxRate};

use super::extract::{PagePath, PageQuery};
use super::i18n::Lang;
use super::operator::words;
use super::page::{csrf, exact, field, form_error, when, Cell, Count, Input, Paging, Table};
use super::{denied, done, refused, render_form, Failed, ListQuery, OrDeny, Posted, Viewer};
use crate::audience::staff_of;
use crate::error::ApiError;

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/operator/bills", get(bills_page))
        .route("/operator/bills/run", post(start_run))
        .route("/operator/tax-rates", post(set_tax_rate))
        .route("/operator/partners/{id}/settlement-terms", post(set_terms))
}

fn phase_name(lang: Lang, phase: RunPhase) -> String {
    lang.t(match phase {
        RunPhase::Customers => "operator-bills-phase-customers",
        RunPhase::Partners => "operator-bills-phase-partners",
        RunPhase::Done => "operator-bills-phase-done",
    })
}

async fn bills_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    bills_view(&ctx, viewer, &q, None).await
}

async fn bills_view(
    ctx: &Context,
    viewer: Viewer,
    q: &ListQuery,
    failed: Option<&Failed>,
) -> Result<Response, Response> {
    staff_of(&viewer.user).map_err(|e| denied(&viewer, e))?;
    let now = ctx.clock.now();
    // Exports stay in English, for the machines that read them.
    let lang = if q.csv() { Lang::English } else { viewer.lang };
    let runs = ctx.store.bill_runs(24).await.or_deny(&viewer)?;
    let run_rows = runs
        .iter()
        .map(|r| {
            let cells = vec![
                Cell::from(month_text(r.cycle)),
                Cell::from(phase_name(lang, r.phase)),
                Cell::from(r.customers_done.to_string()),
                Cell::from(r.partners_done.to_string()),
                Cell::from(when(r.started_at)),
                Cell::from(r.finished_at.map(when).unwrap_or_default()),
            ];
            (cells, None)
        })
        .collect();
    let runs_caption = lang.t("operator-bills-runs");
    let runs_columns = words(
        lang,
        &[
            "operator-bills-col-month",
            "operator-bills-col-state",
            "operator-bills-col-customers",
            "operator-bills-col-partners",
            "operator-bills-col-started",
            "operator-bills-col-finished",
        ],
    );
    let runs_columns: Vec<&str> = runs_columns.iter().map(String::as_str).collect();
    let runs_table = Table {
        caption: &runs_caption,
        columns: &runs_columns,
        rows: run_rows,
        total: Count::Exact(runs.len() as u64),
    };
    // What each payer owes, and what of it is past due.
    let owed = bills::amounts_owed(ctx).await.map_err(ApiError::from).or_deny(&viewer)?;
    let owed_rows = owed
        .iter()
        .map(|o| {
            let cells = vec![
                Cell::link(o.payer.as_str(), &format!("/operator/partners/{}", o.payer)),
                exact(o.due),
                exact(o.arrears),
                Cell::from(o.bills.to_string()),
            ];
            (cells, None)
        })
        .collect();
    let owed_caption = lang.t("operator-bills-owed");
    let owed_columns = words(
        lang,
        &[
            "operator-bills-col-partner",
            "operator-bills-col-due",
            "operator-bills-col-arrears",
            "operator-bills-col-unpaid",
        ],
    );
    let owed_columns: Vec<&str> = owed_columns.iter().map(String::as_str).collect();
    let owed_table = Table {
        caption: &owed_caption,
        columns: &owed_columns,
        rows: owed_rows,
        total: Count::Exact(owed.len() as u64),
    };
    if q.csv() {
        let wanted = q.table.as_deref();
        return Ok(if wanted == Some(&owed_table.slug()) {
            owed_table.csv("amounts-due")
        } else {
            runs_table.csv("bill-runs")
        });
    }
    let last = bills::last_closed_month(ctx, now).map(month_text).unwrap_or_default();
    let token = viewer.csrf();
    let body = html! {
        h1 { (lang.t("operator-bills-title")) }
        section.card {
            h2 { (lang.t("operator-bills-close")) }
            p.hint { (lang.t("operator-bills-close-hint")) }
            form method="post" action="/operator/bills/run" {
                (csrf(&token))
                (form_error(failed, &["month"]))
                (field(failed, &lang.t("operator-bills-month"), "month", Input::Text, &last, true))
                button type="submit" { (lang.t("operator-bills-run")) }
            }
        }
        (runs_table.render(viewer.lang, &viewer.here, Paging::from_query(None)))
        (owed_table.render(viewer.lang, &viewer.here, Paging::from_query(None)))
        section.card {
            h2 { (lang.t("operator-bills-tax")) }
            p.hint { (lang.t("operator-bills-tax-hint")) }
            form method="post" action="/operator/tax-rates" {
                (csrf(&token))
                (form_error(failed, &["country", "rate"]))
                (field(failed, &lang.t("operator-bills-tax-country"), "country", Input::Text, "", true))
                (field(failed, &lang.t("operator-bills-tax-rate"), "rate", Input::Text, "", true))
                button type="submit" { (lang.t("operator-bills-tax-set")) }
            }
        }
    };
    Ok(render_form(&viewer, &lang.t("operator-bills-title"), body, failed))
}

async fn start_run(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let staff = staff_of(&viewer.user).map_err(|e| denied(&viewer, e))?;
    let owner = format!("console-{}", staff.email.as_str());
    let cycle = match bills::parse_month(form.get("month").trim()) {
        Ok(c) => c,
        Err(e) => return bills_view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&ApiError::from(e)))).await,
    };
    let (_, end) = opc_domain::bill::cycle_bounds(cycle, ctx.policy.billing_offset)
        .map_err(|e| denied(&viewer, ApiError::from(bills::BillOpError::from(e))))?;
    if ctx.clock.now() < end {
        let e = ApiError::from(bills::BillOpError::NotOver(month_text(cycle)));
        return Ok(refused(viewer.cookies, "/operator/bills", &e));
    }
    // The run goes on after this answer; its progress shows on this page.
    let run_ctx = ctx.clone();
    tokio::spawn(async move {
        if let Err(e) = bills::run(&run_ctx, cycle, &owner, |_| ()).await {
            tracing::error!(cycle = cycle.0, error = %e, "The bill run started from the console failed");
        }
    });
    let message = viewer.lang.t_with("operator-bills-run-started", &[("month", month_text(cycle).into())]);
    Ok(done(viewer.cookies, "/operator/bills", message))
}

async fn set_tax_rate(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let operator = staff_of(&viewer.user).map_err(|e| denied(&viewer, e))?.email.as_str().to_owned();
    let outcome = async {
        let rate = TaxRate::parse(form.get("rate").trim()).map_err(|e| ApiError::invalid("rate", e))?;
        bills::set_tax_rate(&ctx, form.get("country").trim(), rate, &operator).await.map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(()) => Ok(done(viewer.cookies, "/operator/bills", viewer.lang.t("operator-bills-tax-done"))),
        Err(e) => bills_view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&e))).await,
    }
}

async fn set_terms(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(id): PagePath<String>,
    form: Posted,
) -> Result<Response, Response> {
    let operator = staff_of(&viewer.user).map_err(|e| denied(&viewer, e))?.email.as_str().to_owned();
    let to = format!("/operator/partners/{id}");
    let outcome = async {
        let from = bills::parse_month(form.get("from").trim()).map_err(ApiError::from)?;
        let default = Discount::parse(form.get("default").trim()).map_err(|e| ApiError::invalid("default", e))?;
        let mut terms = SettlementTerms::flat(default);
        for line in form.get("services").lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (service, rate) = line
                .split_once('=')
                .ok_or_else(|| ApiError::invalid("services", "one service_type=discount a line"))?;
            let rate = Discount::parse(rate.trim()).map_err(|e| ApiError::invalid("services", e))?;
            terms = terms.with(service.trim(), rate);
        }
        bills::set_settlement_terms(&ctx, &id, from, &terms, &operator).await.map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(()) => Ok(done(viewer.cookies, &to, viewer.lang.t("operator-settlement-done"))),
        Err(e) => Ok(refused(viewer.cookies, &to, &e)),
    }
}

/// The partner page's settlement section: the discounts by month and the form to set them.
pub async fn settlement_section(
    ctx: &Context,
    lang: Lang,
    partner: &opc_domain::PartnerId,
    token: &str,
) -> Result<maud::Markup, opc_core::StoreError> {
    let schedule = ctx.store.settlement_schedule(partner).await?;
    Ok(html! {
        section.card {
            h2 { (lang.t("operator-settlement-title")) }
            p.hint { (lang.t("operator-settlement-hint")) }
            @let terms: Vec<_> = schedule.iter().collect();
            @if terms.is_empty() { p { (lang.t("operator-settlement-none")) } } @else {
                table { thead { tr {
                    th { (lang.t("operator-settlement-col-from")) } th { (lang.t("operator-settlement-col-default")) }
                    th { (lang.t("operator-settlement-col-by-service")) }
                } }
                    tbody { @for (from, t) in &terms {
                        tr { td { (month_text(*from)) } td { (t.default.percent_text()) }
                             td { @for (s, d) in &t.by_service_type { (s) " " (d.percent_text()) "; " } } }
                    } } }
            }
            form method="post" action=(format!("/operator/partners/{partner}/settlement-terms")) {
                (csrf(token))
                label { (lang.t("operator-settlement-from")) input type="text" name="from" required; }
                label { (lang.t("operator-settlement-default")) input type="text" name="default" required; }
                label { (lang.t("operator-settlement-services")) textarea name="services" rows="3" {} }
                button type="submit" { (lang.t("operator-settlement-set")) }
            }
        }
    })
}
