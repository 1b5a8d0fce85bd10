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

fn phase_name(phase: RunPhase) -> &'static str {
    match phase {
        RunPhase::Customers => "Closing customers' bills",
        RunPhase::Partners => "Closing partners' bills",
        RunPhase::Done => "Done",
    }
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
    let runs = ctx.store.bill_runs(24).await.or_deny(&viewer)?;
    let run_rows = runs
        .iter()
        .map(|r| {
            let cells = vec![
                Cell::from(month_text(r.cycle)),
                Cell::from(phase_name(r.phase)),
                Cell::from(r.customers_done.to_string()),
                Cell::from(r.partners_done.to_string()),
                Cell::from(when(r.started_at)),
                Cell::from(r.finished_at.map(when).unwrap_or_default()),
            ];
            (cells, None)
        })
        .collect();
    let runs_table = Table {
        caption: "Bill runs",
        columns: &["Month", "State", "Customers billed", "Partners billed", "Started", "Finished"],
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
    let owed_table = Table {
        caption: "Amounts due",
        columns: &["Partner", "Amount due", "In arrears", "Unpaid bills"],
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
        h1 { "Bills" }
        section.card {
            h2 { "Close a month" }
            p.hint { "The server closes each month by itself at its closing time (by default the 5th at 12:00 in the billing zone). Closing one by hand runs the same bill run; a month already closed changes nothing." }
            form method="post" action="/operator/bills/run" {
                (csrf(&token))
                (form_error(failed, &["month"]))
                (field(failed, "Month (YYYY-MM)", "month", Input::Text, &last, true))
                button type="submit" { "Run the bill run" }
            }
        }
        (runs_table.render(&viewer.here, Paging::from_query(None)))
        (owed_table.render(&viewer.here, Paging::from_query(None)))
        section.card {
            h2 { "Output tax" }
            p.hint { "Shown apart on partner bills, never in the amount due." }
            form method="post" action="/operator/tax-rates" {
                (csrf(&token))
                (form_error(failed, &["country", "rate"]))
                (field(failed, "Country (ISO code)", "country", Input::Text, "", true))
                (field(failed, "Rate, e.g. 0.09", "rate", Input::Text, "", true))
                button type="submit" { "Set the rate" }
            }
        }
    };
    Ok(render_form(&viewer, "Bills", body, failed))
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
    Ok(done(viewer.cookies, "/operator/bills", format!("The bill run of {} has started.", month_text(cycle))))
}

async fn set_tax_rate(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let operator = staff_of(&viewer.user).map_err(|e| denied(&viewer, e))?.email.as_str().to_owned();
    let outcome = async {
        let rate = TaxRate::parse(form.get("rate").trim()).map_err(|e| ApiError::invalid("rate", e))?;
        bills::set_tax_rate(&ctx, form.get("country").trim(), rate, &operator).await.map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(()) => Ok(done(viewer.cookies, "/operator/bills", "The tax rate is set.")),
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
        Ok(()) => Ok(done(viewer.cookies, &to, "The settlement discounts are set.")),
        Err(e) => Ok(refused(viewer.cookies, &to, &e)),
    }
}

/// The partner page's settlement section: the discounts by month and the form to set them.
pub async fn settlement_section(
    ctx: &Context,
    partner: &opc_domain::PartnerId,
    token: &str,
) -> Result<maud::Markup, opc_core::StoreError> {
    let schedule = ctx.store.settlement_schedule(partner).await?;
    Ok(html! {
        section.card {
            h2 { "Settlement discounts" }
            p.hint { "What the partner owes for its reseller customers' spend is the list price less this discount (R-BILL-01)." }
            @let terms: Vec<_> = schedule.iter().collect();
            @if terms.is_empty() { p { "None set: the partner settles at list price." } } @else {
                table { thead { tr { th { "From" } th { "Default" } th { "By service type" } } }
                    tbody { @for (from, t) in &terms {
                        tr { td { (month_text(*from)) } td { (t.default.percent_text()) }
                             td { @for (s, d) in &t.by_service_type { (s) " " (d.percent_text()) "; " } } }
                    } } }
            }
            form method="post" action=(format!("/operator/partners/{partner}/settlement-terms")) {
                (csrf(token))
                label { "From month (YYYY-MM) " input type="text" name="from" required; }
                label { "Default discount, e.g. 0.15 " input type="text" name="default" required; }
                label { "Per service type, one a line: hws.service.type.ec2=0.2 " textarea name="services" rows="3" {} }
                button type="submit" { "Set discounts" }
            }
        }
    })
}
