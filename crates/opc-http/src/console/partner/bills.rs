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

use super::{acting, caller, kind_name, marked, mode_name, strs, texts};
use crate::console::chart::bars;
use crate::console::extract::{PagePath, PageQuery};
use crate::console::i18n::Lang;
use crate::console::page::{exact, money, when, Cell, Count, Table};
use crate::console::trace::trace;
use crate::console::{denied, render, ListQuery, OrDeny, Viewer};
use crate::error::{ApiError, ErrorCode};

fn status(lang: Lang, b: &PartnerBillRecord, now: opc_domain::Timestamp) -> String {
    if b.unpaid() == Money::ZERO {
        lang.t("partner-bills-paid")
    } else if b.balance().is_arrear(now) {
        lang.t("partner-bills-in-arrears")
    } else {
        lang.t("partner-bills-unpaid")
    }
}

/// Exports stay in English (their columns and words are read by machines): the language of a
/// list's words.
fn list_lang(viewer: &Viewer, q: &ListQuery) -> Lang {
    if q.csv() || q.xlsx() {
        Lang::English
    } else {
        viewer.lang
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
    let lang = viewer.lang;
    let tl = list_lang(&viewer, &q);
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
                Cell::from(status(tl, b, now)),
                Cell::from(when(b.due_at)),
            ];
            (cells, None)
        })
        .collect();
    let caption = tl.t("partner-bills-caption");
    let columns = texts(
        tl,
        &[
            "partner-bills-col-month",
            "partner-bills-col-list-price",
            "partner-bills-col-settlement-discount",
            "partner-bills-col-amount-due",
            "partner-bills-col-cash-coupons",
            "partner-bills-col-test-coupons",
            "partner-bills-col-tax",
            "partner-bills-col-paid",
            "partner-bills-col-status",
            "partner-bills-col-due-by",
        ],
    );
    let table = Table { caption: &caption, columns: &strs(&columns), rows, total: Count::Exact(own.len() as u64) };
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
    let title = lang.t("partner-bills-title");
    let amount_due = lang.t("partner-bills-amount-due");
    let body = html! {
        h1 { (title) }
        @if let Some(s) = &statement {
            section.card aria-labelledby="due" {
                h2 #due { (amount_due) }
                dl {
                    dt { @match s.due.latest_cycle {
                        Some(c) => (lang.t_with("partner-bills-latest-month-of", &[("month", month_text(c).into())])),
                        None => (lang.t("partner-bills-latest-month")),
                    } }
                    dd { span #amount-due-latest title=(s.due.latest.to_string()) { (money(s.due.latest)) } }
                    dt { (lang.t("partner-bills-earlier-months")) } dd { span title=(s.due.previous.to_string()) { (money(s.due.previous)) } }
                    dt { (amount_due) } dd { strong #amount-due title=(s.due.total.to_string()) { (money(s.due.total)) } }
                    dt { (lang.t("partner-bills-in-arrears")) } dd #arrears { (money(s.arrears)) }
                    dt { (lang.t("partner-bills-account-balance")) } dd #account-balance { (money(s.balance)) }
                }
                p.hint { (lang.t("partner-bills-repay-hint")) }
            }
        }
        @if let Some(e) = &estimate {
            section.card aria-labelledby="estimate" {
                h2 #estimate { (lang.t_with("partner-bills-estimate-title", &[("month", month_text(open).into())])) }
                p { (marked(lang, "partner-bills-estimate", &[
                    ("due", html! { strong #bill-estimate title=(e.totals().amount_due.to_string()) { (money(e.totals().amount_due)) } }),
                    ("list", html! { (money(e.totals().official)) }),
                    ("discount", html! { (money(e.totals().discount)) }),
                    ("tax", html! { (money(e.totals().tax)) }),
                ])) }
            }
        }
        @if !chart.is_empty() { (bars(lang, &lang.t("partner-bills-chart-months"), &chart)) }
        (table.render(viewer.lang, &viewer.here, q.paging()))
        p { a href="/partner/bills?format=csv" { (lang.t("partner-export-csv")) } " · " a href="/partner/bills?format=xlsx" { (lang.t("partner-export-xlsx")) } }
    };
    Ok(render(&viewer, &title, body))
}

pub(super) async fn bill_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(month): PagePath<String>,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    acting(&viewer, Some(Permission::ViewCustomers))?;
    let caller = caller(&ctx, &viewer).await?;
    let lang = viewer.lang;
    let tl = list_lang(&viewer, &q);
    let not_found = || {
        let message = lang.t_with("partner-bill-not-found", &[("month", month.as_str().into())]);
        denied(&viewer, ApiError::new(ErrorCode::NotFound, message))
    };
    let cycle = bills::parse_month(&month).map_err(|_| not_found())?;
    let view =
        bills::bill_view(&ctx, &caller, cycle).await.map_err(ApiError::from).or_deny(&viewer)?.ok_or_else(not_found)?;
    let name = |id: &opc_domain::AccountId| view.names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let pays = lang.t("partner-bill-partner-pays");
    let rows = view
        .lines
        .iter()
        .zip(&view.traces)
        .map(|(l, t)| {
            let cells = vec![
                Cell::from(name(&l.customer)),
                Cell::from(l.customer.as_str()),
                Cell::from(l.service_type.as_str()),
                Cell::from(mode_name(tl, l.mode)),
                Cell::from(kind_name(tl, l.kind)),
                exact(l.official),
                exact(l.discount),
                exact(l.due),
                exact(l.coupon),
                exact(l.test_coupon),
            ];
            (cells, Some(trace(lang, t, &pays)))
        })
        .collect();
    let caption = tl.t("partner-bill-lines-caption");
    let columns = texts(
        tl,
        &[
            "partner-bill-col-customer",
            "partner-bill-col-customer-id",
            "partner-bill-col-service-type",
            "partner-bill-col-billing-mode",
            "partner-bill-col-bill-type",
            "partner-bills-col-list-price",
            "partner-bills-col-settlement-discount",
            "partner-bills-col-amount-due",
            "partner-bills-col-cash-coupons",
            "partner-bills-col-test-coupons",
        ],
    );
    let table =
        Table { caption: &caption, columns: &strs(&columns), rows, total: Count::Exact(view.lines.len() as u64) };
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
    let title = lang.t_with("partner-bill-title", &[("month", month.as_str().into())]);
    let amount_due = lang.t("partner-bills-amount-due");
    let body = html! {
        p { a href="/partner/bills" { (lang.t("partner-bill-back")) } }
        h1 { (title) }
        @if view.whole {
            section.card {
                dl {
                    dt { (lang.t("partner-bill-consumption")) } dd { span title=(t.consumption.to_string()) { (money(t.consumption)) } }
                    dt { (lang.t("partner-bill-refunds")) } dd { span title=(t.refunds.to_string()) { (money(t.refunds)) } }
                    dt { (lang.t("partner-bill-adjustments")) } dd { span title=(t.adjustments.to_string()) { (money(t.adjustments)) } }
                    dt { (amount_due) } dd { strong #bill-amount-due { (t.amount_due.to_string()) } }
                    dt { (lang.t("partner-bills-col-cash-coupons")) } dd { span #bill-coupons title=(t.coupons.to_string()) { (money(t.coupons)) } }
                    dt { (lang.t("partner-bill-test-coupons")) } dd { span #bill-test-coupons title=(t.test_coupons.to_string()) { (money(t.test_coupons)) } }
                    dt { (lang.t("partner-bill-tax")) } dd { span title=(t.tax.to_string()) { (money(t.tax)) } }
                    dt { (lang.t("partner-bills-col-paid")) } dd { (money(view.record.paid)) }
                    dt { (lang.t("partner-bill-billed-to")) } dd { code { (view.record.billed_to.as_str()) } }
                }
                p.hint { (lang.t("partner-bill-decimals-hint")) }
            }
        } @else {
            p { (marked(lang, "partner-bill-share", &[("share", html! { strong { (view.summaries.total.to_string()) } })])) }
        }
        div.columns {
            section {
                h2 { (lang.t("partner-bill-by-product")) }
                table { thead { tr { th { (lang.t("partner-bill-col-service-type")) } th.num { (amount_due) } } }
                    tbody { @for (s, m) in &view.summaries.by_product { tr { td { (s) } td.num { (money(*m)) } } } } }
            }
            section {
                h2 { (lang.t("partner-bill-by-customer")) }
                table { thead { tr { th { (lang.t("partner-bill-col-customer")) } th.num { (amount_due) } } }
                    tbody { @for (c, m) in &by_customer { tr { td { (c) } td.num { (money(*m)) } } } } }
            }
        }
        @if !by_customer.is_empty() { (bars(lang, &lang.t("partner-bill-chart-customers"), &by_customer)) }
        (shown.render(viewer.lang, &viewer.here, paging))
        p { a href=(format!("/partner/bills/{month}?format=csv")) { (lang.t("partner-export-csv")) } " · " a href=(format!("/partner/bills/{month}?format=xlsx")) { (lang.t("partner-export-xlsx")) } }
    };
    Ok(render(&viewer, &title, body))
}
