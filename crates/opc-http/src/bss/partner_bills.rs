//! B1.8.6, B1.8.7, B2.8.1, B2.8.6, B2.8.7: bill queries. The partner's own monthly bill, the
//! signer's monthly sums, the customer bills a partner pays, its customers with spend and their
//! expenditure records (`ops::bill_queries` decides what each reads).
//!
//! Wire choices, the same in every answer: amounts at list price (no discount shown, no
//! truncation); what the reseller partner settles for its reseller customer is its monthly
//! settlement on credit (`credit_amount`, `BALANCE_TYPE_CREDIT`, R-RCM-07), what a customer
//! owes itself is its `debt_amount` (R-BILL-03); cash, coupons, cards and write-offs are zero.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use opc_core::ops::bill_queries::{self, ChargeFilter, ChargeSum, ExpenditureFilter, SumScope};
use opc_core::ops::catalog;
use opc_core::Context;
use opc_domain::association::AssociationModel;
use opc_domain::bill::ChargeKind;
use opc_domain::catalog::{Catalog, ChargingMode};
use opc_domain::usage::Cycle;
use opc_domain::Money;
use serde::{Deserialize, Serialize};

use super::products::english;
use super::wire::{self, non_empty, Amount, CURRENCY, MEASURE_ID};
use crate::error::ApiError;
use crate::extract::{Authenticated, AuthenticatedAny, BssJson, BssQuery};

/// A required `YYYY-MM` month.
pub(super) fn month(field: &str, value: &Option<String>) -> Result<Cycle, ApiError> {
    let text = non_empty(value).ok_or_else(|| ApiError::invalid(field, "is required"))?;
    opc_core::ops::bills::parse_month(text).map_err(|_| ApiError::invalid(field, "must be a month like 2026-03"))
}

pub(super) fn offset(value: Option<i64>) -> Result<u32, ApiError> {
    Ok(wire::int_in("offset", value, 0, i64::from(i32::MAX), 0)? as u32)
}

pub(super) fn limit(value: Option<i64>) -> Result<u32, ApiError> {
    Ok(wire::int_in("limit", value, 1, 1000, 10)? as u32)
}

/// `charging_mode` / `charge_mode` as a number: 1 yearly/monthly, 3 pay-per-use.
pub(super) fn charging_mode(mode: ChargingMode) -> i32 {
    match mode {
        ChargingMode::Period => 1,
        ChargingMode::OnDemand => 3,
    }
}

/// The modes a `charging_mode` filter names: one of ours, or none for the documented reserved
/// instances (10) and savings plans (11), never sold here.
pub(super) fn parse_charging_mode(field: &str, code: i64) -> Result<Vec<ChargingMode>, ApiError> {
    match code {
        10 | 11 => Ok(vec![]),
        _ => [ChargingMode::Period, ChargingMode::OnDemand]
            .into_iter()
            .find(|m| i64::from(charging_mode(*m)) == code)
            .map(|m| vec![m])
            .ok_or_else(|| ApiError::invalid(field, "must be 1, 3, 10 or 11")),
    }
}

pub(super) fn service_name(catalog: &Catalog, code: &str, english: bool) -> Option<String> {
    catalog.service_type(code).map(|s| s.name.get(english).to_owned())
}

pub(super) fn text(cycle: Cycle) -> String {
    opc_core::ops::bills::month_text(cycle)
}

#[derive(Deserialize, Default)]
pub struct PostpaidBillSumQuery {
    bill_cycle: Option<String>,
}

/// `ListPostpaidBillSumResponse`. Fields here and below are by name.
#[derive(Serialize)]
pub struct PostpaidBillSumResponse {
    adjustments: Amount,
    bill_cycle: String,
    consume_amount: Amount,
    currency: &'static str,
    /// The amount due, tax excluded: the tax is shown apart (`tax_amount`).
    initial_amount_due: Amount,
    refunds: Amount,
    tax_amount: Amount,
}

/// `GET /v2/bills/partner-bills/postpaid-bill-summary` (B1.8.6): the caller's own partner bill
/// of a month, or its estimate while the month is not closed.
pub async fn list_postpaid_bill_sum(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssQuery(q): BssQuery<PostpaidBillSumQuery>,
) -> Result<Json<PostpaidBillSumResponse>, ApiError> {
    let cycle = month("bill_cycle", &q.bill_cycle)?;
    let t = bill_queries::partner_bill_sum(&ctx, &caller, cycle).await?;
    Ok(Json(PostpaidBillSumResponse {
        adjustments: Amount(t.adjustments),
        bill_cycle: text(cycle),
        consume_amount: Amount(t.consumption),
        currency: CURRENCY,
        initial_amount_due: Amount(t.amount_due),
        refunds: Amount(t.refunds),
        tax_amount: Amount(t.tax),
    }))
}

/// BillSumRecordInfoV2 `bill_type`: 1 expenditure, 2 refund, 3 adjustment.
pub(super) fn sum_bill_type(kind: ChargeKind) -> i32 {
    match kind {
        ChargeKind::Expenditure => 1,
        ChargeKind::Refund => 2,
        ChargeKind::Adjustment => 3,
    }
}

#[derive(Deserialize, Default)]
pub struct MonthlySumQuery {
    bill_cycle: Option<String>,
    service_type_code: Option<String>,
    enterprise_project_id: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    method: Option<String>,
    sub_customer_id: Option<String>,
}

/// `BillSumRecordInfoV2`.
#[derive(Serialize)]
struct BillSumRecord {
    account_name: String,
    bill_cycle: String,
    bill_type: i32,
    cash_amount: Amount,
    charging_mode: i32,
    consume_amount: Amount,
    coupon_amount: Amount,
    credit_amount: Amount,
    customer_id: String,
    debt_amount: Amount,
    flexipurchase_coupon_amount: Amount,
    measure_id: i32,
    official_amount: Amount,
    official_discount_amount: Amount,
    service_type_code: String,
    service_type_name: Option<String>,
    stored_value_card_amount: Amount,
    truncated_amount: Amount,
    writeoff_amount: Amount,
}

/// `ShowCustomerMonthlySumResponse`: the totals are over every matching sum, not the page.
#[derive(Serialize)]
pub struct MonthlySumResponse {
    bill_sums: Vec<BillSumRecord>,
    cash_amount: Amount,
    consume_amount: Amount,
    coupon_amount: Amount,
    credit_amount: Amount,
    currency: &'static str,
    debt_amount: Amount,
    flexipurchase_coupon_amount: Amount,
    measure_id: i32,
    stored_value_card_amount: Amount,
    total_count: u64,
    writeoff_amount: Amount,
}

/// `GET /v2/bills/customer-bills/monthly-sum` (B1.8.7): the signer's own monthly sums, one per
/// service type, billing mode and bill type.
pub async fn show_customer_monthly_sum(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    headers: HeaderMap,
    BssQuery(q): BssQuery<MonthlySumQuery>,
) -> Result<Json<MonthlySumResponse>, ApiError> {
    let cycle = month("bill_cycle", &q.bill_cycle)?;
    let scope = match non_empty(&q.method) {
        // No enterprise sub-customers exist: "all" is the customer's own.
        None | Some("all") | Some("oneself") => SumScope::Oneself,
        Some("sub_customer") => {
            wire::max_chars("sub_customer_id", non_empty(&q.sub_customer_id), 64)?
                .ok_or_else(|| ApiError::invalid("sub_customer_id", "is required with method sub_customer"))?;
            SumScope::SubCustomer
        }
        Some(_) => return Err(ApiError::invalid("method", "must be oneself, sub_customer or all")),
    };
    let mut filter = ChargeFilter {
        service_type: wire::max_chars("service_type_code", non_empty(&q.service_type_code), 64)?.map(str::to_owned),
        offset: offset(q.offset)?,
        limit: limit(q.limit)?,
        ..ChargeFilter::default()
    };
    // Every amount is in the default enterprise project ("0"): another project has none.
    if wire::max_chars("enterprise_project_id", non_empty(&q.enterprise_project_id), 64)?.is_some_and(|p| p != "0") {
        filter.kinds = Some(vec![]);
    }
    let (account, page) = bill_queries::own_monthly_sum(&ctx, &principal, cycle, scope, &filter).await?;
    let (_, catalog) = catalog::current(&ctx).await?;
    let english = english(&headers);
    let zero = || Amount(Money::ZERO);
    let bill_sums = page
        .items
        .iter()
        .map(|s| BillSumRecord {
            account_name: account.name().as_str().to_owned(),
            bill_cycle: text(cycle),
            bill_type: sum_bill_type(s.kind),
            cash_amount: zero(),
            charging_mode: charging_mode(s.mode),
            consume_amount: Amount(s.official),
            coupon_amount: zero(),
            credit_amount: Amount(s.partner_pays),
            customer_id: s.customer.as_str().to_owned(),
            debt_amount: Amount(s.customer_owes),
            flexipurchase_coupon_amount: zero(),
            measure_id: MEASURE_ID,
            official_amount: Amount(s.official),
            official_discount_amount: zero(),
            service_type_code: s.service_type.clone(),
            service_type_name: service_name(&catalog, &s.service_type, english),
            stored_value_card_amount: Amount(s.stored_value_card),
            truncated_amount: zero(),
            writeoff_amount: zero(),
        })
        .collect();
    Ok(Json(MonthlySumResponse {
        bill_sums,
        cash_amount: zero(),
        consume_amount: Amount(page.totals.official),
        coupon_amount: zero(),
        credit_amount: Amount(page.totals.partner_pays),
        currency: CURRENCY,
        debt_amount: Amount(page.totals.customer_owes),
        flexipurchase_coupon_amount: zero(),
        measure_id: MEASURE_ID,
        stored_value_card_amount: Amount(page.totals.stored_value_card),
        total_count: page.count,
        writeoff_amount: zero(),
    }))
}

/// `bill_type` (0/1/2 variant): 0 normal, 1 unsubscription, 2 write-off (an adjustment).
fn coarse_bill_type(kind: ChargeKind) -> &'static str {
    match kind {
        ChargeKind::Expenditure => "0",
        ChargeKind::Refund => "1",
        ChargeKind::Adjustment => "2",
    }
}

#[derive(Deserialize, Default)]
pub struct SubcustomerMonthlyBillsQuery {
    customer_id: Option<String>,
    cycle: Option<String>,
    cloud_service_type: Option<String>,
    charge_mode: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    bill_type: Option<String>,
    indirect_partner_id: Option<String>,
}

/// `BalanceTypeDeductSumV2`.
#[derive(Serialize)]
struct AccountDetail {
    amount: Amount,
    balance_type: &'static str,
    bill_type: &'static str,
}

/// `BillSumInfoV2`.
#[derive(Serialize)]
struct BillSumInfo {
    account_details: Vec<AccountDetail>,
    adjustment_amount: Amount,
    amount: Amount,
    bill_type: &'static str,
    charge_mode: String,
    cloud_service_type: String,
    cloud_service_type_name: Option<String>,
    customer_id: String,
    debt_amount: Amount,
    discount_amount: Amount,
    measure_id: i32,
}

/// `ListSubcustomerMonthlyBillsResponse`.
#[derive(Serialize)]
pub struct SubcustomerMonthlyBillsResponse {
    bill_sums: Vec<BillSumInfo>,
    count: u64,
    currency: &'static str,
}

/// `GET /v2/bills/partner-bills/subcustomer-bills/monthly-sum` (B2.8.7): the monthly sums of
/// the customer bills the partner (or its reseller) pays, by customer, service type, billing
/// mode and bill type.
pub async fn list_subcustomer_monthly_bills(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
    BssQuery(q): BssQuery<SubcustomerMonthlyBillsQuery>,
) -> Result<Json<SubcustomerMonthlyBillsResponse>, ApiError> {
    let cycle = month("cycle", &q.cycle)?;
    let mode = non_empty(&q.charge_mode).ok_or_else(|| ApiError::invalid("charge_mode", "is required"))?;
    let modes = parse_charging_mode(
        "charge_mode",
        mode.parse().map_err(|_| ApiError::invalid("charge_mode", "must be 1, 3, 10 or 11"))?,
    )?;
    let kinds = match non_empty(&q.bill_type) {
        None => None,
        Some(t) => {
            let kind = [ChargeKind::Expenditure, ChargeKind::Refund, ChargeKind::Adjustment]
                .into_iter()
                .find(|k| coarse_bill_type(*k) == t)
                .ok_or_else(|| ApiError::invalid("bill_type", "must be 0, 1 or 2"))?;
            Some(vec![kind])
        }
    };
    let filter = ChargeFilter {
        service_type: wire::max_chars("cloud_service_type", non_empty(&q.cloud_service_type), 64)?.map(str::to_owned),
        modes: Some(modes),
        kinds,
        offset: offset(q.offset)?,
        limit: limit(q.limit)?,
    };
    let customer = wire::max_chars("customer_id", non_empty(&q.customer_id), 64)?;
    let page = bill_queries::paid_monthly_bills(
        &ctx,
        &caller,
        wire::indirect_partner(&q.indirect_partner_id)?,
        cycle,
        customer,
        &filter,
    )
    .await?;
    let (_, catalog) = catalog::current(&ctx).await?;
    let english = english(&headers);
    let bill_sums = page.items.iter().map(|s| bill_sum_info(s, &catalog, english)).collect();
    Ok(Json(SubcustomerMonthlyBillsResponse { bill_sums, count: page.count, currency: CURRENCY }))
}

fn bill_sum_info(s: &ChargeSum, catalog: &Catalog, english: bool) -> BillSumInfo {
    let bill_type = coarse_bill_type(s.kind);
    let mut account_details =
        vec![AccountDetail { amount: Amount(s.partner_pays), balance_type: "BALANCE_TYPE_CREDIT", bill_type }];
    if s.customer_owes != Money::ZERO {
        account_details.push(AccountDetail {
            amount: Amount(s.customer_owes),
            balance_type: "BALANCE_TYPE_DEBIT",
            bill_type,
        });
    }
    BillSumInfo {
        account_details,
        adjustment_amount: Amount(Money::ZERO),
        amount: Amount(s.official),
        bill_type,
        charge_mode: charging_mode(s.mode).to_string(),
        cloud_service_type: s.service_type.clone(),
        cloud_service_type_name: service_name(catalog, &s.service_type, english),
        customer_id: s.customer.as_str().to_owned(),
        debt_amount: Amount(s.customer_owes),
        discount_amount: Amount(Money::ZERO),
        measure_id: MEASURE_ID,
    }
}

/// `ListConsumeSubCustomersReq`.
#[derive(Deserialize, Default)]
pub struct ConsumeSubCustomersReq {
    bill_cycle: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// `SubCustomerInfoV3`.
#[derive(Serialize)]
struct SubCustomerInfo {
    customer_id: String,
}

/// `ListConsumeSubCustomersResponse`.
#[derive(Serialize)]
pub struct ConsumeSubCustomersResponse {
    sub_customers: Vec<SubCustomerInfo>,
    total_count: u64,
}

/// `POST /v2/bills/subcustomer-bills/res-fee-records/sub-customers/query` (B2.8.1): the
/// partner's customers with spend in a month, by id.
pub async fn list_consume_sub_customers(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<ConsumeSubCustomersReq>,
) -> Result<Json<ConsumeSubCustomersResponse>, ApiError> {
    let cycle = month("bill_cycle", &req.bill_cycle)?;
    let (ids, total_count) =
        bill_queries::consuming_customers(&ctx, &caller, cycle, offset(req.offset)?, limit(req.limit)?).await?;
    let sub_customers = ids.into_iter().map(|id| SubCustomerInfo { customer_id: id.as_str().to_owned() }).collect();
    Ok(Json(ConsumeSubCustomersResponse { sub_customers, total_count }))
}

/// The detailed `bill_detail_type` of a sum: 5 "expenditure - usage" (pay-per-use), 1
/// "expenditure - new purchase" (yearly/monthly: purchases, renewals and changes are summed
/// together), 4 "refund - unsubscription", 16 "adjustment - deduction".
fn bill_detail_type(kind: ChargeKind, mode: ChargingMode) -> i32 {
    match (kind, mode) {
        (ChargeKind::Expenditure, ChargingMode::OnDemand) => 5,
        (ChargeKind::Expenditure, ChargingMode::Period) => 1,
        (ChargeKind::Refund, _) => 4,
        (ChargeKind::Adjustment, _) => 16,
    }
}

/// What a `bill_detail_type` filter keeps: the kinds and modes of the sums that have it; none
/// for the other documented types.
fn parse_bill_detail_type(code: i64) -> Result<(Vec<ChargeKind>, Vec<ChargingMode>), ApiError> {
    const DOCUMENTED: [i64; 15] = [1, 2, 3, 4, 5, 8, 9, 14, 16, 18, 20, 23, 24, 25, 103];
    if !DOCUMENTED.contains(&code) {
        return Err(ApiError::invalid("bill_detail_type", "is not a bill type"));
    }
    let mut kinds = Vec::new();
    let mut modes = Vec::new();
    for kind in [ChargeKind::Expenditure, ChargeKind::Refund, ChargeKind::Adjustment] {
        for mode in [ChargingMode::Period, ChargingMode::OnDemand] {
            if i64::from(bill_detail_type(kind, mode)) == code {
                kinds.push(kind);
                modes.push(mode);
            }
        }
    }
    kinds.dedup();
    modes.sort_by_key(|m| charging_mode(*m));
    modes.dedup();
    Ok((kinds, modes))
}

/// China-site `association_type`: 1 referral (consultant sale), 2 reseller (agency sale).
fn association_type(model: AssociationModel) -> &'static str {
    match model {
        AssociationModel::Referral => "1",
        AssociationModel::Reseller => "2",
    }
}

#[derive(Deserialize, Default)]
pub struct BillDetailQuery {
    bill_cycle: Option<String>,
    customer_id: Option<String>,
    service_type_code: Option<String>,
    region_code: Option<String>,
    charging_mode: Option<i64>,
    bill_detail_type: Option<i64>,
    resource_id: Option<String>,
    resource_name: Option<String>,
    trade_id: Option<String>,
    account_manager_id: Option<String>,
    association_type: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    indirect_partner_id: Option<String>,
    bill_date_begin: Option<String>,
    bill_date_end: Option<String>,
}

/// `SubCustomerMonthlyBillDetail`: a sum of the customer's month.
#[derive(Serialize)]
struct FeeRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    account_manager_id: Option<String>,
    association_type: &'static str,
    bill_cycle: String,
    bill_detail_type: i32,
    cash_amount: Amount,
    charging_mode: i32,
    coupon_amount: Amount,
    credit_amount: Amount,
    customer_id: String,
    debt_amount: Amount,
    flexipurchase_coupon_amount: Amount,
    id: String,
    official_amount: Amount,
    official_discount_amount: Amount,
    #[serde(skip_serializing_if = "Option::is_none")]
    partner_id: Option<String>,
    payment_amount: Amount,
    service_type_code: String,
    service_type_name: Option<String>,
    stored_value_card_amount: Amount,
    writeoff_amount: Amount,
}

/// `ListSubCustomerBillDetailResponse`.
#[derive(Serialize)]
pub struct BillDetailResponse {
    currency: &'static str,
    fee_records: Vec<FeeRecord>,
    total_count: u64,
}

/// The number of days of a month.
fn days_in(cycle: Cycle) -> u32 {
    let (year, month) = (cycle.0 / 100, cycle.0 % 100);
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `bill_date_begin` and `bill_date_end`: days of the month asked, the first not after the
/// second; only both together filter. Records are monthly sums: only a range of the whole
/// month keeps them, so this is `true` when a part of the month is asked.
fn part_of_month(cycle: Cycle, begin: Option<&str>, end: Option<&str>) -> Result<bool, ApiError> {
    let month = text(cycle);
    let day = |field: &str, value: &str| -> Result<u32, ApiError> {
        let bad = || ApiError::invalid(field, format_args!("must be a day of {month} like {month}-01"));
        let (m, d) = value.rsplit_once('-').ok_or_else(bad)?;
        let d: u32 = d.parse().map_err(|_| bad())?;
        if m != month || value.len() != 10 || d == 0 || d > days_in(cycle) {
            return Err(bad());
        }
        Ok(d)
    };
    let begin = begin.map(|b| day("bill_date_begin", b)).transpose()?;
    let end = end.map(|e| day("bill_date_end", e)).transpose()?;
    let (Some(begin), Some(end)) = (begin, end) else {
        return Ok(false);
    };
    if begin > end {
        return Err(ApiError::invalid("bill_date_begin", "must not be after bill_date_end"));
    }
    Ok(begin != 1 || end != days_in(cycle))
}

/// `GET /v2/bills/subcustomer-bills/res-fee-records` (B2.8.6): a customer's expenditure in a
/// month while it was the partner's (or its reseller's) customer, as sums per service type,
/// billing mode, bill type and association model.
pub async fn list_sub_customer_bill_detail(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
    BssQuery(q): BssQuery<BillDetailQuery>,
) -> Result<Json<BillDetailResponse>, ApiError> {
    let cycle = month("bill_cycle", &q.bill_cycle)?;
    let customer = wire::max_chars("customer_id", non_empty(&q.customer_id), 64)?
        .ok_or_else(|| ApiError::invalid("customer_id", "is required"))?;
    let mut modes = q.charging_mode.map(|m| parse_charging_mode("charging_mode", m)).transpose()?;
    let mut kinds = None;
    if let Some(code) = q.bill_detail_type {
        let (k, m) = parse_bill_detail_type(code)?;
        kinds = Some(k);
        modes = Some(match modes {
            None => m,
            Some(asked) => asked.into_iter().filter(|x| m.contains(x)).collect(),
        });
    }
    let model = match non_empty(&q.association_type) {
        None => None,
        Some("1") => Some(AssociationModel::Referral),
        Some("2") => Some(AssociationModel::Reseller),
        Some(_) => return Err(ApiError::invalid("association_type", "must be 1 (referral) or 2 (reseller)")),
    };
    // Monthly sums carry no region, resource, order or transaction: a filter on one keeps none.
    let mut unmatchable = false;
    for (field, value) in [
        ("region_code", &q.region_code),
        ("resource_id", &q.resource_id),
        ("resource_name", &q.resource_name),
        ("trade_id", &q.trade_id),
    ] {
        unmatchable |= wire::max_chars(field, non_empty(value), 128)?.is_some();
    }
    unmatchable |= part_of_month(cycle, non_empty(&q.bill_date_begin), non_empty(&q.bill_date_end))?;
    let indirect = wire::indirect_partner(&q.indirect_partner_id)?;
    let filter = ExpenditureFilter {
        charges: ChargeFilter {
            service_type: wire::max_chars("service_type_code", non_empty(&q.service_type_code), 64)?.map(str::to_owned),
            modes,
            kinds,
            offset: offset(q.offset)?,
            limit: limit(q.limit)?,
        },
        model,
        account_manager: wire::max_chars("account_manager_id", non_empty(&q.account_manager_id), 64)?
            .map(str::to_owned),
        unmatchable,
    };
    let page = bill_queries::expenditure_records(&ctx, &caller, indirect, cycle, customer, &filter).await?;
    let (_, catalog) = catalog::current(&ctx).await?;
    let english = english(&headers);
    let zero = || Amount(Money::ZERO);
    let fee_records = page
        .items
        .into_iter()
        .map(|r| {
            let s = r.sum;
            FeeRecord {
                account_manager_id: r.account_manager.map(|m| m.as_str().to_owned()),
                association_type: association_type(r.model),
                bill_cycle: text(cycle),
                bill_detail_type: bill_detail_type(s.kind, s.mode),
                cash_amount: zero(),
                charging_mode: charging_mode(s.mode),
                coupon_amount: zero(),
                credit_amount: Amount(s.partner_pays),
                customer_id: s.customer.as_str().to_owned(),
                debt_amount: Amount(s.customer_owes),
                flexipurchase_coupon_amount: zero(),
                id: format!(
                    "{}-{}-{}-{}-{}-{}",
                    s.customer.as_str(),
                    cycle.0,
                    s.service_type,
                    charging_mode(s.mode),
                    bill_detail_type(s.kind, s.mode),
                    association_type(r.model)
                ),
                official_amount: Amount(s.official),
                official_discount_amount: zero(),
                partner_id: indirect.map(str::to_owned),
                payment_amount: Amount(s.official),
                service_type_name: service_name(&catalog, &s.service_type, english),
                service_type_code: s.service_type,
                stored_value_card_amount: zero(),
                writeoff_amount: zero(),
            }
        })
        .collect();
    Ok(Json(BillDetailResponse { currency: CURRENCY, fee_records, total_count: page.count }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bill_detail_type_we_give_is_read_back() {
        for kind in [ChargeKind::Expenditure, ChargeKind::Refund, ChargeKind::Adjustment] {
            for mode in [ChargingMode::Period, ChargingMode::OnDemand] {
                let (kinds, modes) = parse_bill_detail_type(i64::from(bill_detail_type(kind, mode))).unwrap();
                assert!(kinds.contains(&kind) && modes.contains(&mode));
            }
        }
        assert_eq!(parse_bill_detail_type(2).unwrap(), (vec![], vec![]), "renewals are not told apart");
        assert!(parse_bill_detail_type(7).is_err());
    }

    #[test]
    fn a_day_range_must_be_in_the_month() {
        let march = Cycle(202603);
        assert!(!part_of_month(march, Some("2026-03-01"), Some("2026-03-31")).unwrap());
        assert!(part_of_month(march, Some("2026-03-02"), Some("2026-03-31")).unwrap());
        assert!(!part_of_month(march, Some("2026-03-05"), None).unwrap(), "one alone does not filter");
        for (b, e) in [("2026-04-01", "2026-04-02"), ("2026-03-10", "2026-03-09"), ("2026-03-32", "2026-03-31")] {
            assert!(part_of_month(march, Some(b), Some(e)).is_err(), "{b} {e}");
        }
    }
}
