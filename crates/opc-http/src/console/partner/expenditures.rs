//! Customer expenditures (R-BILL-14, R-BILL-15, R-BILL-17): a month's spend of the partner's
//! customers by service type, billing mode, bill type and association type, with who settles
//! it, filtered by customer, account manager, association type, service type and billing mode,
//! "hide 0 expenditures", and exported as CSV or XLSX to 8 decimals.

use axum::extract::State;
use axum::response::Response;
use maud::html;
use opc_core::ops::bill_queries::{self, ChargeFilter, ExpenditureFilter};
use opc_core::ops::bills::{self, month_text};
use opc_core::Context;
use opc_domain::association::AssociationModel;
use opc_domain::catalog::ChargingMode;
use opc_domain::organization::Permission;
use opc_domain::usage::Cycle;
use opc_domain::Money;
use serde::Deserialize;

use super::{acting, caller, kind_name, marked, mode_name, model_name, strs, texts};
use crate::console::extract::PageQuery;
use crate::console::i18n::Lang;
use crate::console::page::{exact, Cell, Count, Paging, Table};
use crate::console::{render, OrDeny, Viewer};
use crate::error::ApiError;

/// The page's filters, as its form sends them; an empty field is no filter.
#[derive(Deserialize, Default)]
pub(super) struct ExpenditureQuery {
    month: Option<String>,
    customer: Option<String>,
    service: Option<String>,
    mode: Option<String>,
    association: Option<String>,
    manager: Option<String>,
    hide_zero: Option<String>,
    page: Option<String>,
    format: Option<String>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

pub(super) async fn expenditures_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<ExpenditureQuery>,
) -> Result<Response, Response> {
    acting(&viewer, Some(Permission::ViewCustomers))?;
    let caller = caller(&ctx, &viewer).await?;
    let open = Cycle::of(ctx.clock.now(), ctx.policy.billing_offset);
    let cycle = match given(&q.month) {
        Some(m) => bills::parse_month(m).map_err(ApiError::from).or_deny(&viewer)?,
        None => open,
    };
    let modes = match given(&q.mode) {
        Some("period") => Some(vec![ChargingMode::Period]),
        Some("on_demand") => Some(vec![ChargingMode::OnDemand]),
        _ => None,
    };
    let model = match given(&q.association) {
        Some("referral") => Some(AssociationModel::Referral),
        Some("reseller") => Some(AssociationModel::Reseller),
        _ => None,
    };
    let filter = ExpenditureFilter {
        charges: ChargeFilter {
            service_type: given(&q.service).map(str::to_owned),
            modes,
            kinds: None,
            offset: 0,
            limit: u32::MAX,
        },
        model,
        account_manager: given(&q.manager).map(str::to_owned),
        unmatchable: false,
    };
    let hide_zero = given(&q.hide_zero).is_some();
    let lang = viewer.lang;
    // Exports stay in English (their columns and words are read by machines).
    let export_format = matches!(q.format.as_deref(), Some("csv" | "xlsx"));
    let tl = if export_format { Lang::English } else { lang };
    // R-BILL-17: the customers the caller sees (the use cases scope them).
    let (customers, _) = bill_queries::consuming_customers(&ctx, &caller, cycle, 0, u32::MAX)
        .await
        .map_err(ApiError::from)
        .or_deny(&viewer)?;
    let mut rows = Vec::new();
    let mut total = Money::ZERO;
    for customer in customers {
        if given(&q.customer).is_some_and(|c| c != customer.as_str()) {
            continue;
        }
        let page = bill_queries::expenditure_records(&ctx, &caller, None, cycle, customer.as_str(), &filter)
            .await
            .map_err(ApiError::from)
            .or_deny(&viewer)?;
        let name = ctx.store.account(&customer).await.or_deny(&viewer)?.map(|a| a.name().as_str().to_owned());
        for r in page.items {
            if hide_zero && r.sum.official == Money::ZERO {
                continue;
            }
            total = total.checked_add(r.sum.official).unwrap_or(total);
            let cells = vec![
                Cell::from(name.clone().unwrap_or_else(|| customer.to_string())),
                Cell::from(customer.as_str()),
                Cell::from(r.sum.service_type.as_str()),
                Cell::from(mode_name(tl, r.sum.mode)),
                Cell::from(kind_name(tl, r.sum.kind)),
                Cell::from(model_name(tl, r.model)),
                exact(r.sum.official),
                exact(Money::ZERO),
                exact(Money::ZERO),
                exact(r.sum.partner_pays),
                exact(r.sum.customer_owes),
                exact(Money::ZERO),
            ];
            rows.push((cells, None));
        }
    }
    let count = rows.len() as u64;
    let title = tl.t("partner-expenditures-title");
    let columns = texts(
        tl,
        &[
            "partner-expenditures-col-account-name",
            "partner-expenditures-col-customer",
            "partner-expenditures-col-service-type",
            "partner-expenditures-col-billing-mode",
            "partner-expenditures-col-bill-type",
            "partner-expenditures-col-association-type",
            "partner-expenditures-col-amount",
            "partner-expenditures-col-cash-payments",
            "partner-expenditures-col-coupons-used",
            "partner-expenditures-col-monthly-settlement",
            "partner-expenditures-col-customer-owes",
            "partner-expenditures-col-discount",
        ],
    );
    let table = Table { caption: &title, columns: &strs(&columns), rows, total: Count::Exact(count) };
    let file = format!("expenditures-{}", month_text(cycle));
    match q.format.as_deref() {
        Some("csv") => return Ok(table.csv(&file)),
        Some("xlsx") => return Ok(table.xlsx(&file)),
        _ => {}
    }
    let paging = Paging::from_query(q.page.as_deref());
    let shown = Table { rows: paging.slice(table.rows), ..table };
    let here = &viewer.here;
    let export = |format: &str| {
        let base = if here.contains('?') { format!("{here}&") } else { format!("{here}?") };
        format!("{base}format={format}")
    };
    let value = |v: &Option<String>| given(v).unwrap_or_default().to_owned();
    let any = lang.t("partner-expenditures-any");
    let body = html! {
        h1 { (title) }
        p.hint { (lang.t("partner-expenditures-hint")) }
        form.filters method="get" action="/partner/expenditures" {
            label { (lang.t("partner-expenditures-month")) " " input type="text" name="month" value=(given(&q.month).map_or_else(|| month_text(cycle), str::to_owned)); }
            label { (lang.t("partner-expenditures-customer-id")) " " input type="text" name="customer" value=(value(&q.customer)); }
            label { (lang.t("partner-expenditures-service-type")) " " input type="text" name="service" value=(value(&q.service)); }
            label { (lang.t("partner-expenditures-billing-mode")) " " select name="mode" {
                option value="" { (any) }
                option value="on_demand" selected[given(&q.mode) == Some("on_demand")] { (mode_name(lang, ChargingMode::OnDemand)) }
                option value="period" selected[given(&q.mode) == Some("period")] { (mode_name(lang, ChargingMode::Period)) }
            } }
            label { (lang.t("partner-expenditures-association-type")) " " select name="association" {
                option value="" { (any) }
                option value="reseller" selected[given(&q.association) == Some("reseller")] { (model_name(lang, AssociationModel::Reseller)) }
                option value="referral" selected[given(&q.association) == Some("referral")] { (model_name(lang, AssociationModel::Referral)) }
            } }
            label { (lang.t("partner-expenditures-manager")) " " input type="text" name="manager" value=(value(&q.manager)); }
            label { input type="checkbox" name="hide_zero" value="1" checked[hide_zero]; " " (lang.t("partner-expenditures-hide-zero")) }
            button type="submit" { (lang.t("partner-expenditures-filter")) }
        }
        p { (marked(lang, "partner-expenditures-total", &[("total", html! { strong #expenditure-total title=(total.to_string()) { (crate::console::page::money(total)) } })])) }
        (shown.render(lang, here, paging))
        p { a href=(export("csv")) { (lang.t("partner-export-csv")) } " · " a href=(export("xlsx")) { (lang.t("partner-export-xlsx")) } }
    };
    Ok(render(&viewer, &title, body))
}
