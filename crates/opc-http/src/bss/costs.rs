//! B1.8.1 `list_costs`, B2.8.2 `list_customer_bills_fee_records`, B2.8.3
//! `list_customer_bills_monthly_break_down`: the signer's own costs (`ops::costs` decides
//! them).
//!
//! Wire choices (docs/bills.md says them too):
//!
//! - amounts at list price: no discount, rounding (`erase_amount`) or coupon applies to a
//!   customer's own costs, so `official_amount` is the amount, and `PAYMENT_AMOUNT` and
//!   `NET_AMOUNT` give the same figures; what the reseller partner settles is on credit
//!   (`credit_amount`, R-RCM-07), what the customer owes itself is its `debt_amount` (R-BILL-03);
//! - `list_costs` amounts are strings with exactly 8 decimals (R-BILL-11); its `BILL_TYPE` values
//!   are the bill categories (1 expenditure, 2 refund, 3 adjustment), `CHARGING_MODE` 1 or 3;
//!   a dimension no cost here holds (`AZ_CODE`, `BE_ID`, a `tag` or `cost_unit` key) groups
//!   every cost under an empty value; an unknown `type` or `key` is `CBC.0100`;
//! - every cost is in the default enterprise project (`"0"`).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use opc_core::ops::catalog;
use opc_core::ops::costs::{
    self, BreakdownQuery, Bucket, CostBasis, CostFilter, CostQuery, Dimension, DimensionValue, FeeRecordsQuery,
    DEFAULT_ENTERPRISE_PROJECT,
};
use opc_core::store::FeeQuery;
use opc_core::Context;
use opc_domain::bill::{ChargeKind, Payer};
use opc_domain::catalog::{Catalog, ChargingMode};
use opc_domain::cost::{CostKind, PaymentStatus};
use opc_domain::{Money, Timestamp};
use serde::{Deserialize, Serialize};

use super::partner_bills::{
    charging_mode, limit, month, offset, parse_charging_mode, service_name, sum_bill_type, text,
};
use super::products::english;
use super::wire::{self, non_empty, Amount, CURRENCY};
use crate::error::ApiError;
use crate::extract::{AuthenticatedAny, BssJson, BssQuery};

/// `bill_type` (detailed): 1 new purchase, 2 renewal, 4 refund - unsubscription, 5 usage.
fn bill_type(kind: CostKind) -> i32 {
    match kind {
        CostKind::Purchase => 1,
        CostKind::Renewal => 2,
        CostKind::Refund => 4,
        CostKind::Usage => 5,
    }
}

/// The kinds a detailed `bill_type` filter names: one of ours, or none for another documented
/// bill type (never recorded here).
fn parse_bill_type(code: i64) -> Result<Vec<CostKind>, ApiError> {
    const DOCUMENTED: [i64; 15] = [1, 2, 3, 4, 5, 8, 9, 14, 16, 18, 20, 23, 24, 25, 103];
    if !DOCUMENTED.contains(&code) {
        return Err(ApiError::invalid("bill_type", "must be a documented bill type such as 1, 2, 4 or 5"));
    }
    Ok(CostKind::ALL.into_iter().filter(|k| i64::from(bill_type(*k)) == code).collect())
}

/// The kinds a `charging_mode` filter keeps.
fn kinds_of_modes(modes: &[ChargingMode]) -> Vec<CostKind> {
    CostKind::ALL
        .into_iter()
        .filter(|k| modes.contains(&if k.is_period() { ChargingMode::Period } else { ChargingMode::OnDemand }))
        .collect()
}

fn intersect(a: Option<Vec<CostKind>>, b: Option<Vec<CostKind>>) -> Option<Vec<CostKind>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.into_iter().filter(|k| b.contains(k)).collect()),
        (a, None) => a,
        (None, b) => b,
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
pub(super) fn parse_day(field: &str, text: &str) -> Result<i64, ApiError> {
    let bad = || ApiError::invalid(field, "must be a date like 2026-03-01");
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (y, m, d) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    let at = Timestamp::from_utc(y, m, d, 0, 0, 0).map_err(|_| bad())?;
    Ok(at.unix_ms().div_euclid(86_400_000))
}

/// A `method` of the signer's own records: an enterprise master's costs do not include its
/// members' here, so `all` is the signer's own and `sub_customer` (which names one) has none.
/// `true`: the signer's own.
fn own_scope(method: &Option<String>, sub_customer_id: &Option<String>) -> Result<bool, ApiError> {
    match non_empty(method) {
        None | Some("all") | Some("oneself") => Ok(true),
        Some("sub_customer") => {
            wire::max_chars("sub_customer_id", non_empty(sub_customer_id), 64)?
                .ok_or_else(|| ApiError::invalid("sub_customer_id", "is required with method sub_customer"))?;
            Ok(false)
        }
        Some(_) => Err(ApiError::invalid("method", "must be oneself, sub_customer or all")),
    }
}

/// An optional text filter of at most 64 characters.
fn filter_text(field: &str, value: &Option<String>) -> Result<Option<String>, ApiError> {
    Ok(wire::max_chars(field, non_empty(value), 64)?.map(str::to_owned))
}

// ---------------------------------------------------------------------------------------------
// B1.8.1 list_costs

#[derive(Deserialize, Default)]
pub struct ListCostsReq {
    time_condition: Option<TimeCondition>,
    groupby: Option<Vec<GroupBy>>,
    cost_type: Option<String>,
    amount_type: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    filters: Option<Vec<FilterV2>>,
}

#[derive(Deserialize, Default)]
pub struct TimeCondition {
    time_measure_id: Option<i64>,
    begin_time: Option<String>,
    end_time: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct GroupBy {
    #[serde(rename = "type")]
    kind: Option<String>,
    key: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct FilterV2 {
    operator: Option<i64>,
    filter_factor: Option<FilterFactor>,
}

#[derive(Deserialize, Default)]
pub struct FilterFactor {
    key: Option<String>,
    value: Option<Vec<String>>,
}

/// `ListCostsResponse`.
#[derive(Serialize)]
pub struct ListCostsResponse {
    cost_data: Vec<CostData>,
    currency: &'static str,
    total_count: u64,
}

/// `CostDataByDimension`.
#[derive(Serialize)]
pub struct CostData {
    amount_by_costs: String,
    costs: Vec<Cost>,
    dimensions: Vec<DimensionGroup>,
    official_amount_by_costs: String,
}

#[derive(Serialize)]
pub struct Cost {
    amount: String,
    official_amount: String,
    time_dimension_value: String,
    time_measure_id: i32,
}

#[derive(Serialize)]
pub struct DimensionGroup {
    key: &'static str,
    value: String,
}

/// The dimension keys, as `groupby[].key` (type `dimension`) and `filter_factor.key` name them.
const DIMENSIONS: [(&str, Dimension); 13] = [
    ("CLOUD_SERVICE_TYPE", Dimension::CloudServiceType),
    ("RESOURCE_TYPE", Dimension::ResourceType),
    ("REGION_CODE", Dimension::RegionCode),
    ("CHARGING_MODE", Dimension::ChargingMode),
    ("BILL_TYPE", Dimension::BillType),
    ("RESOURCE_ID", Dimension::ResourceId),
    ("PAYER_ACCOUNT_ID", Dimension::PayerAccountId),
    ("ASSOCIATED_ACCOUNT", Dimension::AssociatedAccount),
    ("RES_SPEC_CODE", Dimension::ResSpecCode),
    ("USAGE_TYPE", Dimension::UsageType),
    ("ENTERPRISE_PROJECT_ID", Dimension::EnterpriseProjectId),
    ("AZ_CODE", Dimension::AzCode),
    ("BE_ID", Dimension::BeId),
];

fn dimension_key(d: &Dimension) -> &'static str {
    match d {
        Dimension::Tag(_) => "RESOURCE_TAG",
        Dimension::CostUnit(_) => "COST_UNIT",
        other => DIMENSIONS.iter().find(|(_, x)| x == other).map_or("", |(k, _)| k),
    }
}

fn parse_dimension(field: &str, key: &str) -> Result<Dimension, ApiError> {
    DIMENSIONS.iter().find(|(k, _)| *k == key).map(|(_, d)| d.clone()).ok_or_else(|| {
        ApiError::invalid(field, format_args!("{key:?} is not a dimension: must be one of {}", dimension_names()))
    })
}

fn dimension_names() -> String {
    DIMENSIONS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
}

/// A value as the wire writes it.
fn value_text(v: &DimensionValue) -> String {
    match v {
        DimensionValue::Text(t) => t.clone(),
        DimensionValue::Mode(m) => charging_mode(*m).to_string(),
        DimensionValue::Kind(k) => sum_bill_type(*k).to_string(),
        DimensionValue::Empty => String::new(),
    }
}

/// A filter's value of `dimension`, as the costs hold it (an unknown code matches nothing).
fn parse_value(dimension: &Dimension, text: &str) -> DimensionValue {
    if text.is_empty() {
        return DimensionValue::Empty;
    }
    match dimension {
        Dimension::ChargingMode => [ChargingMode::Period, ChargingMode::OnDemand]
            .into_iter()
            .find(|m| charging_mode(*m).to_string() == text)
            .map_or(DimensionValue::Text(text.to_owned()), DimensionValue::Mode),
        Dimension::BillType => [ChargeKind::Expenditure, ChargeKind::Refund, ChargeKind::Adjustment]
            .into_iter()
            .find(|k| sum_bill_type(*k).to_string() == text)
            .map_or(DimensionValue::Text(text.to_owned()), DimensionValue::Kind),
        _ => DimensionValue::Text(text.to_owned()),
    }
}

fn amount_text(m: Money) -> String {
    m.to_string()
}

/// `POST /v4/costs/cost-analysed-bills/query`: the signer's own costs by day or month, grouped
/// by the asked dimensions.
pub async fn list_costs(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    BssJson(req): BssJson<ListCostsReq>,
) -> Result<Json<ListCostsResponse>, ApiError> {
    let time = req.time_condition.ok_or_else(|| ApiError::invalid("time_condition", "is required"))?;
    let begin = wire::required("time_condition.begin_time", &time.begin_time, 10)?;
    let end = wire::required("time_condition.end_time", &time.end_time, 10)?;
    let (from, through, unit) = match time.time_measure_id {
        None | Some(1) => (
            Bucket::Day(parse_day("time_condition.begin_time", begin)?),
            Bucket::Day(parse_day("time_condition.end_time", end)?),
            1,
        ),
        Some(2) => (
            Bucket::Month(month("time_condition.begin_time", &time.begin_time)?),
            Bucket::Month(month("time_condition.end_time", &time.end_time)?),
            2,
        ),
        Some(_) => return Err(ApiError::invalid("time_condition.time_measure_id", "must be 1 (day) or 2 (month)")),
    };
    let basis = match req.cost_type.as_deref() {
        Some("ORIGINAL_COST") => CostBasis::Original,
        Some("AMORTIZED_COST") => CostBasis::Amortized,
        Some(_) => return Err(ApiError::invalid("cost_type", "must be ORIGINAL_COST or AMORTIZED_COST")),
        None => return Err(ApiError::invalid("cost_type", "is required")),
    };
    // No discount or coupon applies to a customer's own costs: both amounts are the same.
    match req.amount_type.as_deref() {
        Some("PAYMENT_AMOUNT" | "NET_AMOUNT") => {}
        Some(_) => return Err(ApiError::invalid("amount_type", "must be PAYMENT_AMOUNT or NET_AMOUNT")),
        None => return Err(ApiError::invalid("amount_type", "is required")),
    }
    let groupby = req.groupby.ok_or_else(|| ApiError::invalid("groupby", "is required"))?;
    let mut group_by = Vec::with_capacity(groupby.len());
    for g in &groupby {
        let key = wire::required("groupby.key", &g.key, 128)?;
        let dimension = match non_empty(&g.kind) {
            None | Some("dimension") => parse_dimension("groupby.key", key)?,
            Some("tag") => Dimension::Tag(key.to_owned()),
            Some("cost_unit") => Dimension::CostUnit(key.to_owned()),
            Some(_) => return Err(ApiError::invalid("groupby.type", "must be dimension, tag or cost_unit")),
        };
        if !group_by.contains(&dimension) {
            group_by.push(dimension);
        }
    }
    let mut filters = Vec::new();
    for f in req.filters.unwrap_or_default() {
        // Without an operator, the filter is not applied.
        let Some(operator) = f.operator else { continue };
        let exclude = match operator {
            0 => false,
            1 => true,
            _ => return Err(ApiError::invalid("filters.operator", "must be 0 (include) or 1 (exclude)")),
        };
        let factor = f.filter_factor.ok_or_else(|| ApiError::invalid("filters.filter_factor", "is required"))?;
        let key = wire::required("filters.filter_factor.key", &factor.key, 128)?;
        let dimension = match key {
            "RESOURCE_TAG" => Dimension::Tag(String::new()),
            "COST_UNIT" => Dimension::CostUnit(String::new()),
            _ => parse_dimension("filters.filter_factor.key", key)?,
        };
        let values = factor.value.ok_or_else(|| ApiError::invalid("filters.filter_factor.value", "is required"))?;
        let values = values.iter().map(|v| parse_value(&dimension, v)).collect();
        filters.push(CostFilter { dimension, exclude, values });
    }
    let query =
        CostQuery { from, through, basis, group_by, filters, offset: offset(req.offset)?, limit: limit(req.limit)? };
    let (groups, total) = costs::costs(&ctx, &principal, &query).await?;
    let bucket_text = |b: Bucket| match b {
        Bucket::Day(d) => super::bills::day_text(d),
        Bucket::Month(c) => text(c),
    };
    let cost_data = groups
        .into_iter()
        .map(|g| CostData {
            amount_by_costs: amount_text(g.total),
            official_amount_by_costs: amount_text(g.total),
            costs: g
                .costs
                .iter()
                .map(|(b, m)| Cost {
                    amount: amount_text(*m),
                    official_amount: amount_text(*m),
                    time_dimension_value: bucket_text(*b),
                    time_measure_id: unit,
                })
                .collect(),
            dimensions: g
                .dimensions
                .iter()
                .map(|(d, v)| DimensionGroup { key: dimension_key(d), value: value_text(v) })
                .collect(),
        })
        .collect();
    Ok(Json(ListCostsResponse { cost_data, currency: CURRENCY, total_count: total }))
}

// ---------------------------------------------------------------------------------------------
// B2.8.2 list_customer_bills_fee_records

#[derive(Deserialize, Default)]
pub struct FeeRecordsParams {
    bill_cycle: Option<String>,
    provider_type: Option<i64>,
    service_type_code: Option<String>,
    resource_type_code: Option<String>,
    region_code: Option<String>,
    charging_mode: Option<i64>,
    bill_type: Option<i64>,
    trade_id: Option<String>,
    enterprise_project_id: Option<String>,
    include_zero_record: Option<bool>,
    status: Option<i64>,
    method: Option<String>,
    sub_customer_id: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    bill_date_begin: Option<String>,
    bill_date_end: Option<String>,
}

/// `ListCustomerBillsFeeRecordsResponse`.
#[derive(Serialize)]
pub struct FeeRecordsResponse {
    currency: &'static str,
    records: Vec<MonthlyBillRecord>,
    total_count: u64,
}

/// `MonthlyBillRecord`.
#[derive(Serialize)]
pub struct MonthlyBillRecord {
    account_name: String,
    bill_cycle: String,
    bill_type: i32,
    bonus_amount: Amount,
    cash_amount: Amount,
    charging_mode: i32,
    consume_amount: Amount,
    consume_time: String,
    coupon_amount: Amount,
    credit_amount: Amount,
    customer_id: String,
    debt_amount: Amount,
    enterprise_project_id: &'static str,
    erase_amount: Amount,
    flexipurchase_coupon_amount: Amount,
    id: String,
    official_amount: Amount,
    official_discount_amount: Amount,
    provider_type: i32,
    region_code: String,
    resource_type_code: String,
    resource_type_name: Option<String>,
    service_type_code: String,
    service_type_name: Option<String>,
    status: i32,
    stored_value_card_amount: Amount,
    trade_id: String,
    trade_time: String,
    writeoff_amount: Amount,
}

/// `status`: 1 paid, 2 unsettled, 3 not billed.
fn status_code(s: PaymentStatus) -> i32 {
    match s {
        PaymentStatus::Paid => 1,
        PaymentStatus::Unsettled => 2,
        PaymentStatus::NotBilled => 3,
    }
}

fn resource_type_name(catalog: &Catalog, code: &str, english: bool) -> Option<String> {
    catalog.resource_type(code).map(|t| t.name.get(english).to_owned())
}

/// `GET /v2/bills/customer-bills/fee-records`: the signer's own transaction records of a
/// cycle: its usage records and its charged orders' lines, with their payment status.
pub async fn list_customer_bills_fee_records(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    headers: HeaderMap,
    BssQuery(q): BssQuery<FeeRecordsParams>,
) -> Result<Json<FeeRecordsResponse>, ApiError> {
    let cycle = month("bill_cycle", &q.bill_cycle)?;
    let own = own_scope(&q.method, &q.sub_customer_id)?;
    let mut kinds = match q.provider_type {
        None | Some(1) => None,
        // Nothing is sold through the marketplace (KooGallery).
        Some(2) => Some(vec![]),
        Some(_) => return Err(ApiError::invalid("provider_type", "must be 1 or 2")),
    };
    if let Some(code) = q.charging_mode {
        kinds = intersect(kinds, Some(kinds_of_modes(&parse_charging_mode("charging_mode", code)?)));
    }
    if let Some(code) = q.bill_type {
        kinds = intersect(kinds, Some(parse_bill_type(code)?));
    }
    if filter_text("enterprise_project_id", &q.enterprise_project_id)?.is_some_and(|p| p != DEFAULT_ENTERPRISE_PROJECT)
        || !own
    {
        kinds = Some(vec![]);
    }
    let status = match q.status {
        None => None,
        Some(1) => Some(PaymentStatus::Paid),
        Some(2) => Some(PaymentStatus::Unsettled),
        Some(3) => Some(PaymentStatus::NotBilled),
        Some(_) => return Err(ApiError::invalid("status", "must be 1 (paid), 2 (unsettled) or 3 (not billed)")),
    };
    // Both dates, or the cycle alone (as documented, one date without the other is not a filter).
    let days = match (non_empty(&q.bill_date_begin), non_empty(&q.bill_date_end)) {
        (Some(b), Some(e)) => Some((parse_day("bill_date_begin", b)?, parse_day("bill_date_end", e)?)),
        _ => None,
    };
    let query = FeeRecordsQuery {
        store: FeeQuery {
            cycle,
            service_type: filter_text("service_type_code", &q.service_type_code)?,
            resource_type: filter_text("resource_type_code", &q.resource_type_code)?,
            region: filter_text("region_code", &q.region_code)?,
            trade_id: filter_text("trade_id", &q.trade_id)?,
            kinds,
            between: None,
            non_zero: q.include_zero_record == Some(false),
            payers: None,
            offset: offset(q.offset)?,
            limit: limit(q.limit)?,
        },
        status,
        days,
    };
    let (account, records, total) = costs::fee_records(&ctx, &principal, &query).await?;
    let (_, catalog) = catalog::current(&ctx).await?;
    let english = english(&headers);
    let zero = || Amount(Money::ZERO);
    // What a stored-value card paid of an order's line (SVC-2); the rest is paid as without one.
    let orders: Vec<String> =
        records.iter().filter_map(|(r, _)| r.order_id.clone()).filter(|o| !o.is_empty()).collect();
    let by_cards = opc_core::ops::stored_value::paid_by_cards(&ctx, &orders).await?;
    let records = records
        .into_iter()
        .map(|(r, status)| {
            let by_partner = matches!(Payer::of(r.partner.as_ref()), Payer::Partner(_));
            let card = by_cards.get(&r.id).copied().unwrap_or(Money::ZERO);
            let rest = r.amount.checked_sub(card).map_err(ApiError::internal)?;
            Ok(MonthlyBillRecord {
                account_name: account.name().as_str().to_owned(),
                bill_cycle: text(cycle),
                bill_type: bill_type(r.kind),
                bonus_amount: zero(),
                cash_amount: zero(),
                charging_mode: charging_mode(if r.kind.is_period() {
                    ChargingMode::Period
                } else {
                    ChargingMode::OnDemand
                }),
                consume_amount: Amount(r.amount),
                consume_time: r.at.to_rfc3339(),
                coupon_amount: zero(),
                credit_amount: Amount(if by_partner { r.amount } else { Money::ZERO }),
                customer_id: account.id().as_str().to_owned(),
                debt_amount: Amount(if by_partner { Money::ZERO } else { rest }),
                enterprise_project_id: DEFAULT_ENTERPRISE_PROJECT,
                erase_amount: zero(),
                flexipurchase_coupon_amount: zero(),
                official_amount: Amount(r.amount),
                official_discount_amount: zero(),
                provider_type: 1,
                region_code: r.region.clone(),
                resource_type_name: resource_type_name(&catalog, &r.resource_type, english),
                resource_type_code: r.resource_type.clone(),
                service_type_name: service_name(&catalog, &r.service_type, english),
                service_type_code: r.service_type.clone(),
                status: status_code(status),
                stored_value_card_amount: Amount(card),
                trade_id: r.order_id.clone().unwrap_or_else(|| r.id.clone()),
                trade_time: r.at.to_rfc3339(),
                writeoff_amount: zero(),
                id: r.id,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(Json(FeeRecordsResponse { currency: CURRENCY, records, total_count: total }))
}

// ---------------------------------------------------------------------------------------------
// B2.8.3 list_customer_bills_monthly_break_down

#[derive(Deserialize, Default)]
pub struct BreakdownParams {
    shared_month: Option<String>,
    service_type_code: Option<String>,
    resource_type_code: Option<String>,
    region_code: Option<String>,
    charging_mode: Option<i64>,
    bill_type: Option<i64>,
    offset: Option<i64>,
    limit: Option<i64>,
    resource_id: Option<String>,
    resource_name: Option<String>,
    enterprise_project_id: Option<String>,
    method: Option<String>,
    sub_customer_id: Option<String>,
}

/// `ListCustomerBillsMonthlyBreakDownResponse`.
#[derive(Serialize)]
pub struct BreakdownResponse {
    currency: &'static str,
    details: Vec<BreakdownDetail>,
    total_count: u64,
}

/// `NvlCostAnalysedBillDetail`.
#[derive(Serialize)]
pub struct BreakdownDetail {
    amortized_bonus_amount: Amount,
    amortized_cash_amount: Amount,
    amortized_coupon_amount: Amount,
    amortized_credit_amount: Amount,
    amortized_flexipurchase_coupon_amount: Amount,
    amortized_stored_value_card_amount: Amount,
    bill_cycle: String,
    bill_type: i32,
    charging_mode: i32,
    consume_amount: Amount,
    current_month_amortized_amount: Amount,
    customer_id: String,
    effective_time: Option<String>,
    enterprise_project_id: &'static str,
    expire_time: Option<String>,
    future_months_amortized_amount: Amount,
    order_id: Option<String>,
    past_months_amortized_amount: Amount,
    period_type: Option<i32>,
    product_spec_desc: String,
    region_code: String,
    resource_id: String,
    resource_name: String,
    resource_type_code: String,
    resource_type_name: Option<String>,
    service_type_code: String,
    service_type_name: Option<String>,
    shared_month: String,
    usage: Option<Amount>,
    usage_measure_id: Option<i32>,
    usage_type: Option<String>,
}

/// `period_type` of bill models: 19 year, 20 month.
fn bill_period_type(t: opc_domain::catalog::PeriodType) -> i32 {
    match t {
        opc_domain::catalog::PeriodType::Year => 19,
        opc_domain::catalog::PeriodType::Month => 20,
    }
}

/// `GET /v2/costs/cost-analysed-bills/monthly-breakdown`: the signer's own amortized costs of
/// a month (COST-AMORTIZE).
pub async fn list_customer_bills_monthly_break_down(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    headers: HeaderMap,
    BssQuery(q): BssQuery<BreakdownParams>,
) -> Result<Json<BreakdownResponse>, ApiError> {
    let shared = month("shared_month", &q.shared_month)?;
    let own = own_scope(&q.method, &q.sub_customer_id)?;
    let mut kinds = None;
    let mut modes = None;
    if let Some(code) = q.charging_mode {
        modes = Some(parse_charging_mode("charging_mode", code)?);
    }
    if let Some(code) = q.bill_type {
        kinds = Some(parse_bill_type(code)?);
    }
    if filter_text("enterprise_project_id", &q.enterprise_project_id)?.is_some_and(|p| p != DEFAULT_ENTERPRISE_PROJECT)
        || !own
    {
        kinds = Some(vec![]);
    }
    // A resource's name is its id. An empty service or resource type is a filter (documented):
    // every cost has one, so it matches none.
    let resource_id = filter_text("resource_id", &q.resource_id)?;
    let resource_name = filter_text("resource_name", &q.resource_name)?;
    if resource_id.is_some() && resource_name.is_some() && resource_id != resource_name {
        kinds = Some(vec![]);
    }
    let query = BreakdownQuery {
        month: shared,
        service_type: wire::max_chars("service_type_code", q.service_type_code.as_deref(), 64)?.map(str::to_owned),
        resource_type: wire::max_chars("resource_type_code", q.resource_type_code.as_deref(), 64)?.map(str::to_owned),
        region: filter_text("region_code", &q.region_code)?,
        modes,
        kinds,
        resource_id: resource_id.or(resource_name),
        offset: offset(q.offset)?,
        limit: limit(q.limit)?,
    };
    let (account, lines, total) = costs::monthly_breakdown(&ctx, &principal, &query).await?;
    let (_, catalog) = catalog::current(&ctx).await?;
    let english = english(&headers);
    let zero = || Amount(Money::ZERO);
    let details = lines
        .into_iter()
        .map(|l| BreakdownDetail {
            amortized_bonus_amount: zero(),
            amortized_cash_amount: zero(),
            amortized_coupon_amount: zero(),
            amortized_credit_amount: zero(),
            amortized_flexipurchase_coupon_amount: zero(),
            amortized_stored_value_card_amount: zero(),
            bill_cycle: text(l.bill_cycle),
            bill_type: bill_type(l.kind),
            charging_mode: charging_mode(if l.kind.is_period() {
                ChargingMode::Period
            } else {
                ChargingMode::OnDemand
            }),
            consume_amount: Amount(l.amount),
            current_month_amortized_amount: Amount(l.shares.current),
            customer_id: account.id().as_str().to_owned(),
            effective_time: l.used.map(|(first, _)| first.to_rfc3339()),
            enterprise_project_id: DEFAULT_ENTERPRISE_PROJECT,
            expire_time: l.used.map(|(_, last)| last.to_rfc3339()),
            future_months_amortized_amount: Amount(l.shares.future),
            order_id: l.order_id,
            past_months_amortized_amount: Amount(l.shares.past),
            period_type: l.period.map(|(t, _)| bill_period_type(t)),
            product_spec_desc: l.spec,
            region_code: l.region,
            resource_name: l.resource_id.clone(),
            resource_id: l.resource_id,
            resource_type_name: resource_type_name(&catalog, &l.resource_type, english),
            resource_type_code: l.resource_type,
            service_type_name: service_name(&catalog, &l.service_type, english),
            service_type_code: l.service_type,
            shared_month: text(shared),
            usage: l.usage.as_ref().map(|(_, _, u)| Amount(Money::from_e8(u.e8()).unwrap_or(Money::ZERO))),
            usage_measure_id: l.usage.as_ref().map(|(_, m, _)| *m),
            usage_type: l.usage.map(|(t, ..)| t),
        })
        .collect();
    Ok(Json(BreakdownResponse { currency: CURRENCY, details, total_count: total }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_dates() {
        assert_eq!(parse_day("d", "1970-01-02").unwrap(), 1);
        for bad in ["2026-3-01", "2026-02-30", "2026-03", "2026-03-01T00", ""] {
            assert!(parse_day("d", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_dimension_key_reads_back() {
        for (key, d) in DIMENSIONS {
            assert_eq!(dimension_key(&parse_dimension("k", key).unwrap()), key);
            assert_eq!(dimension_key(&d), key);
        }
        assert!(parse_dimension("k", "NOPE").is_err());
    }
}
