//! Expenditures and bills (R-BILL-01 … R-BILL-17): what the partner owes (amount due with its
//! months, arrears, the account balance), the open month's bill estimate, the partner's
//! monthly bills with a chart, and each bill's By Product / By Customer summaries and lines,
//! exported as CSV or XLSX to 8 decimals.

use axum::extract::State;
use axum::response::Response;
use maud::html;
use opc_core::ops::bills::{self, month_text};
use opc_core::store::PartnerBillRecord;
use opc_core::Context;
use opc_domain::organization::Permission;
use opc_domain::usage::Cycle;
use opc_domain::Money;

use super::{acting, caller};
use crate::console::chart::bars;
use crate::console::extract::{PagePath, PageQuery};
use crate::console::page::{charge_kind_name, charging_mode_name, exact, money, when, Cell, Count, Table};
use crate::console::trace::trace;
use crate::console::{denied, render, ListQuery, OrDeny, Viewer};
use crate::error::{ApiError, ErrorCode};

fn status(b: &PartnerBillRecord, now: opc_domain::Timestamp) -> &'static str {
    if b.unpaid() == Money::ZERO {
        "Paid"
    } else if b.balance().is_arrear(now) {
        "In arrears"
    } else {
        "Unpaid"
    }
}

pub(super) async fn bills_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, Some(Permission::ViewCustomers))?;
    let caller = caller(&ctx, &viewer).await?;
    let now = ctx.clock.now();
    let own = bills::bills_of(&ctx, partner.id()).await.map_err(ApiError::from).or_deny(&viewer)?;
    let rows = own
        .iter()
        .map(|b| {
            let month = month_text(b.cycle);
            let cells = vec![
                Cell::link(month.clone(), &format!("/partner/bills/{month}")),
                exact(b.totals.official),
                exact(b.totals.discount),
                exact(b.totals.amount_due),
                exact(b.totals.coupons),
                exact(b.totals.test_coupons),
                exact(b.totals.tax),
                exact(b.paid),
                Cell::from(status(b, now)),
                Cell::from(when(b.due_at)),
            ];
            (cells, None)
        })
        .collect();
    let table = Table {
        caption: "Monthly bills",
        columns: &[
            "Month",
            "List price",
            "Settlement discount",
            "Amount due",
            "Cash coupons",
            "Test coupons",
            "Tax",
            "Paid",
            "Status",
            "Due by",
        ],
        rows,
        total: Count::Exact(own.len() as u64),
    };
    if q.csv() {
        return Ok(table.csv("bills"));
    }
    if q.xlsx() {
        return Ok(table.xlsx("bills"));
    }
    // R-BILL-17: the amount due and the estimate are the whole partner's: only for those who
    // see every customer.
    let whole = caller.sees(None);
    let statement = if whole {
        Some(bills::statement(&ctx, partner.id()).await.map_err(ApiError::from).or_deny(&viewer)?)
    } else {
        None
    };
    let open = Cycle::of(now, ctx.policy.billing_offset);
    let estimate = if whole {
        Some(bills::estimate(&ctx, partner.id(), open).await.map_err(ApiError::from).or_deny(&viewer)?)
    } else {
        None
    };
    let mut chart: Vec<(String, Money)> =
        own.iter().take(12).map(|b| (month_text(b.cycle), b.totals.amount_due)).collect();
    chart.reverse();
    let body = html! {
        h1 { "Expenditures and bills" }
        @if let Some(s) = &statement {
            section.card aria-labelledby="due" {
                h2 #due { "Amount due" }
                dl {
                    dt { "Latest billed month" @if let Some(c) = s.due.latest_cycle { " (" (month_text(c)) ")" } }
                    dd { span #amount-due-latest title=(s.due.latest.to_string()) { (money(s.due.latest)) } }
                    dt { "Earlier months" } dd { span title=(s.due.previous.to_string()) { (money(s.due.previous)) } }
                    dt { "Amount due" } dd { strong #amount-due title=(s.due.total.to_string()) { (money(s.due.total)) } }
                    dt { "In arrears" } dd #arrears { (money(s.arrears)) }
                    dt { "Account balance" } dd #account-balance { (money(s.balance)) }
                }
                p.hint { "Repay by bank transfer to the operator: once it records your payment, your bills are settled oldest first and what remains stays on your balance." }
            }
        }
        @if let Some(e) = &estimate {
            section.card aria-labelledby="estimate" {
                h2 #estimate { "Bill estimate for " (month_text(open)) }
                p { "If the month closed now, its bill would be " strong #bill-estimate title=(e.totals().amount_due.to_string()) { (money(e.totals().amount_due)) } " (list price " (money(e.totals().official)) ", settlement discount " (money(e.totals().discount)) "; tax apart " (money(e.totals().tax)) ")." }
            }
        }
        @if !chart.is_empty() { (bars("Amount due per month", &chart)) }
        (table.render(&viewer.here, q.paging()))
        p { a href="/partner/bills?format=csv" { "Export CSV" } " · " a href="/partner/bills?format=xlsx" { "Export XLSX" } }
    };
    Ok(render(&viewer, "Expenditures and bills", body))
}

pub(super) async fn bill_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(month): PagePath<String>,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    acting(&viewer, Some(Permission::ViewCustomers))?;
    let caller = caller(&ctx, &viewer).await?;
    let not_found = || denied(&viewer, ApiError::new(ErrorCode::NotFound, format!("There is no bill for {month}.")));
    let cycle = bills::parse_month(&month).map_err(|_| not_found())?;
    let view =
        bills::bill_view(&ctx, &caller, cycle).await.map_err(ApiError::from).or_deny(&viewer)?.ok_or_else(not_found)?;
    let name = |id: &opc_domain::AccountId| view.names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let rows = view
        .lines
        .iter()
        .zip(&view.traces)
        .map(|(l, t)| {
            let cells = vec![
                Cell::from(name(&l.customer)),
                Cell::from(l.customer.as_str()),
                Cell::from(l.service_type.as_str()),
                Cell::from(charging_mode_name(l.mode)),
                Cell::from(charge_kind_name(l.kind)),
                exact(l.official),
                exact(l.discount),
                exact(l.due),
                exact(l.coupon),
                exact(l.test_coupon),
            ];
            (cells, Some(trace(t, "The partner pays")))
        })
        .collect();
    let table = Table {
        caption: "Bill lines",
        columns: &[
            "Customer",
            "Customer ID",
            "Service type",
            "Billing mode",
            "Bill type",
            "List price",
            "Settlement discount",
            "Amount due",
            "Cash coupons",
            "Test coupons",
        ],
        rows,
        total: Count::Exact(view.lines.len() as u64),
    };
    let file = format!("bill-{month}");
    if q.csv() {
        return Ok(table.csv(&file));
    }
    if q.xlsx() {
        return Ok(table.xlsx(&file));
    }
    let t = view.record.totals;
    let by_customer: Vec<(String, Money)> = view.summaries.by_customer.iter().map(|(c, m)| (name(c), *m)).collect();
    let paging = q.paging();
    let shown = Table { rows: paging.slice(table.rows), ..table };
    let body = html! {
        p { a href="/partner/bills" { "← Bills" } }
        h1 { "Bill for " (month) }
        @if view.whole {
            section.card {
                dl {
                    dt { "Consumption" } dd { span title=(t.consumption.to_string()) { (money(t.consumption)) } }
                    dt { "Refunds" } dd { span title=(t.refunds.to_string()) { (money(t.refunds)) } }
                    dt { "Adjustments" } dd { span title=(t.adjustments.to_string()) { (money(t.adjustments)) } }
                    dt { "Amount due" } dd { strong #bill-amount-due { (t.amount_due.to_string()) } }
                    dt { "Cash coupons" } dd { span #bill-coupons title=(t.coupons.to_string()) { (money(t.coupons)) } }
                    dt { "Test coupons (not revenue)" } dd { span #bill-test-coupons title=(t.test_coupons.to_string()) { (money(t.test_coupons)) } }
                    dt { "Tax (apart)" } dd { span title=(t.tax.to_string()) { (money(t.tax)) } }
                    dt { "Paid" } dd { (money(view.record.paid)) }
                    dt { "Billed to" } dd { code { (view.record.billed_to.as_str()) } }
                }
                p.hint { "The amount due keeps every decimal; the summaries below are rounded to the cent one by one and may not add up to it. Exports keep 8 decimals." }
            }
        } @else {
            p { "Your customers' share of this bill: " strong { (view.summaries.total.to_string()) } "." }
        }
        div.columns {
            section {
                h2 { "By product" }
                table { thead { tr { th { "Service type" } th.num { "Amount due" } } }
                    tbody { @for (s, m) in &view.summaries.by_product { tr { td { (s) } td.num { (money(*m)) } } } } }
            }
            section {
                h2 { "By customer" }
                table { thead { tr { th { "Customer" } th.num { "Amount due" } } }
                    tbody { @for (c, m) in &by_customer { tr { td { (c) } td.num { (money(*m)) } } } } }
            }
        }
        @if !by_customer.is_empty() { (bars("Amount due per customer", &by_customer)) }
        (shown.render(&viewer.here, paging))
        p { a href=(format!("/partner/bills/{month}?format=csv")) { "Export CSV" } " · " a href=(format!("/partner/bills/{month}?format=xlsx")) { "Export XLSX" } }
    };
    Ok(render(&viewer, &format!("Bill for {month}"), body))
}
