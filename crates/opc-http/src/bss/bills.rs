//! B1.8 expenditures: a customer's own resource expenditure records, from the rated usage
//! (pay-per-use, at list price; no discount applies yet, so the amount is the official one and
//! is owed on credit until bills and payments come).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use opc_core::ops::{accounts, catalog, usage};
use opc_core::store::{UsageQuery, UsageSummary};
use opc_core::Context;
use opc_domain::account::Account;
use opc_domain::catalog::Catalog;
use opc_domain::usage::Cycle;
use opc_domain::{Millis, Money};
use serde::{Deserialize, Serialize};

use super::wire::{self, non_empty, Amount, CURRENCY, MEASURE_ID};
use crate::error::ApiError;
use crate::extract::{AuthenticatedAny, BssJson, BssQuery};

#[derive(Deserialize, Default)]
pub struct ResourceRecordsQuery {
    cycle: Option<String>,
    cloud_service_type: Option<String>,
    region: Option<String>,
    charge_mode: Option<String>,
    bill_type: Option<i64>,
    offset: Option<i64>,
    limit: Option<i64>,
    resource_id: Option<String>,
    include_zero_record: Option<bool>,
    statistic_type: Option<i64>,
}

/// `ListCustomerselfResourceRecordsResponse`. Fields here and below are in the order the answer
/// has always had: by name (bytewise, so `resource_Type_code` comes before `resource_type`).
#[derive(Serialize)]
pub struct FeeRecordsResponse {
    currency: &'static str,
    fee_records: Vec<FeeRecord>,
    total_count: u64,
}

/// A record of `fee_records`: each record, or a sum per resource (and day).
#[derive(Serialize)]
#[serde(untagged)]
pub enum FeeRecord {
    Sum(FeeRecordSum),
    Detail(FeeRecordDetail),
}

/// `ResFeeRecordV2` of a sum (`statistic_type` 1 or 2).
#[derive(Serialize)]
pub struct FeeRecordSum {
    account_name: String,
    amount: Amount,
    bill_date: Option<String>,
    bill_type: i32,
    cash_amount: Amount,
    charge_mode: &'static str,
    cloud_service_type: String,
    cloud_service_type_name: Option<String>,
    coupon_amount: Amount,
    credit_amount: Amount,
    customer_id: String,
    discount_amount: Amount,
    effective_time: String,
    expire_time: String,
    measure_id: i32,
    official_amount: Amount,
    product_spec_desc: String,
    region: String,
    resource_id: String,
    resource_type: String,
    resource_type_name: Option<String>,
    sku_code: String,
}

/// `ResFeeRecordV2` of one record (`statistic_type` 3).
#[derive(Serialize)]
pub struct FeeRecordDetail {
    account_name: String,
    amount: Amount,
    bill_date: String,
    bill_type: i32,
    cash_amount: Amount,
    charge_mode: &'static str,
    cloud_service_type: String,
    cloud_service_type_name: Option<String>,
    consume_time: String,
    coupon_amount: Amount,
    credit_amount: Amount,
    customer_id: String,
    discount_amount: Amount,
    expire_time: String,
    id: String,
    measure_id: i32,
    official_amount: Amount,
    product_spec_desc: String,
    region: String,
    resource_id: String,
    resource_type: String,
    resource_type_name: Option<String>,
    sku_code: String,
    usage: Amount,
    usage_measure_id: i32,
    usage_type: String,
}

/// `ListCustomerselfResourceRecordDetailsResponse`.
#[derive(Serialize)]
pub struct MonthlyRecordsResponse {
    currency: &'static str,
    monthly_records: Vec<MonthlyRecord>,
    total_count: u64,
}

/// `MonthlyBillRes`: a sum per resource in the cycle (or per day, or one record).
#[derive(Serialize)]
pub struct MonthlyRecord {
    account_name: String,
    bill_date: Option<String>,
    bill_type: i32,
    cash_amount: Amount,
    /// A number here, a string in `ResFeeRecordV2`, as each answer has always had it.
    charge_mode: i32,
    cloud_service_type: String,
    cloud_service_type_name: Option<String>,
    consume_amount: Amount,
    coupon_amount: Amount,
    credit_amount: Amount,
    customer_id: String,
    cycle: String,
    discount_amount: Amount,
    effective_time: String,
    expire_time: String,
    measure_id: i32,
    official_amount: Amount,
    product_spec_desc: String,
    region: String,
    res_instance_id: String,
    /// The vendor's model spells it so.
    #[serde(rename = "resource_Type_code")]
    resource_type_code: String,
    resource_type: String,
    resource_type_name: Option<String>,
    sku_code: String,
}

/// `YYYY-MM` → the cycle.
fn parse_cycle(text: &str) -> Result<Cycle, ApiError> {
    let bad = || ApiError::invalid("cycle", "must be YYYY-MM");
    let (y, m) = text.split_once('-').ok_or_else(bad)?;
    let (y, m): (i64, i64) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if y.to_string().len() != 4 || !(1..=12).contains(&m) || text.len() != 7 {
        return Err(bad());
    }
    Ok(Cycle(y * 100 + m))
}

/// `GET /v2/bills/customer-bills/res-fee-records`: the signer's own pay-per-use expenditure
/// records of a cycle: each record (`statistic_type` 3, the default), or their sums per
/// resource and day (2) or per resource in the cycle (1).
pub async fn list_customerself_resource_records(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    headers: HeaderMap,
    BssQuery(q): BssQuery<ResourceRecordsQuery>,
) -> Result<Json<FeeRecordsResponse>, ApiError> {
    let english = super::products::english(&headers);
    let cycle = parse_cycle(non_empty(&q.cycle).ok_or_else(|| ApiError::invalid("cycle", "is required"))?)?;
    let statistic = match q.statistic_type {
        None | Some(3) => Statistic::Details,
        Some(2) => Statistic::Daily,
        Some(1) => Statistic::Cycle,
        Some(_) => return Err(ApiError::invalid("statistic_type", "must be 1, 2 or 3")),
    };
    let empty = || Ok(Json(FeeRecordsResponse { fee_records: vec![], total_count: 0, currency: CURRENCY }));
    // Only pay-per-use usage (charge_mode 3, bill_type 5 "consumption - usage") is recorded.
    if let Some(m) = q.charge_mode.as_deref().filter(|m| !matches!(*m, "1" | "3" | "10" | "11")) {
        return Err(ApiError::invalid("charge_mode", format_args!("{m:?} must be 1, 3, 10 or 11")));
    }
    if q.charge_mode.as_deref().is_some_and(|m| m != "3") || q.bill_type.is_some_and(|t| t != 5) {
        return empty();
    }
    let account = accounts::own_account(&ctx, &principal).await?;
    let query = UsageQuery {
        cycle,
        service_type: wire::max_chars("cloud_service_type", non_empty(&q.cloud_service_type), 64)?.map(str::to_owned),
        region: wire::max_chars("region", non_empty(&q.region), 64)?.map(str::to_owned),
        resource_id: wire::max_chars("resource_id", non_empty(&q.resource_id), 64)?.map(str::to_owned),
        offset: wire::int_in("offset", q.offset, 0, i64::from(i32::MAX), 0)? as u32,
        limit: wire::int_in("limit", q.limit, 1, 1000, 10)? as u32,
    };
    let (_, catalog) = catalog::current(&ctx).await?;
    if statistic != Statistic::Details {
        let (sums, total) = usage::summaries_of(&ctx, account.id(), &query, statistic == Statistic::Daily).await?;
        let list: Vec<FeeRecord> = sums
            .iter()
            .filter(|s| q.include_zero_record != Some(false) || s.amount > Money::ZERO)
            .map(|s| FeeRecord::Sum(fee_record_sum(s, &catalog, english, &account)))
            .collect();
        return Ok(Json(FeeRecordsResponse { fee_records: list, total_count: total, currency: CURRENCY }));
    }
    let (records, total) = usage::records_of(&ctx, account.id(), &query).await?;
    // Bill dates are days of the billing time zone (spec: "按照东八区截取").
    let offset: Millis = ctx.policy.billing_offset;
    let list: Vec<FeeRecord> = records
        .iter()
        .filter(|e| q.include_zero_record != Some(false) || e.amount > Money::ZERO)
        .map(|e| {
            let r = &e.record;
            let local = r.ended_at.plus(offset).to_rfc3339();
            let resource = catalog.resource_type(&r.resource_type);
            let service = catalog.service_type(&r.service_type);
            FeeRecord::Detail(FeeRecordDetail {
                account_name: account.name().as_str().to_owned(),
                amount: Amount(e.amount),
                bill_date: local[..10].to_owned(),
                bill_type: 5,
                cash_amount: Amount(Money::ZERO),
                charge_mode: "3",
                cloud_service_type: r.service_type.clone(),
                cloud_service_type_name: service.map(|s| s.name.get(english).to_owned()),
                consume_time: r.ended_at.to_rfc3339(),
                coupon_amount: Amount(Money::ZERO),
                credit_amount: Amount(e.amount),
                customer_id: r.customer.as_str().to_owned(),
                discount_amount: Amount(Money::ZERO),
                expire_time: r.ended_at.to_rfc3339(),
                id: r.id.clone(),
                measure_id: MEASURE_ID,
                official_amount: Amount(e.amount),
                product_spec_desc: r.spec.clone(),
                region: r.region.clone(),
                resource_id: r.resource_id.clone(),
                resource_type: r.resource_type.clone(),
                resource_type_name: resource.map(|t| t.name.get(english).to_owned()),
                sku_code: r.spec.clone(),
                usage: Amount(Money::from_e8(r.usage.e8()).unwrap_or(Money::ZERO)),
                usage_measure_id: r.usage_measure_id,
                usage_type: r.usage_factor.clone(),
            })
        })
        .collect();
    Ok(Json(FeeRecordsResponse { fee_records: list, total_count: total, currency: CURRENCY }))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Statistic {
    /// 1: per resource in the cycle.
    Cycle,
    /// 2: per resource and day.
    Daily,
    /// 3: each record.
    Details,
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01.
pub(super) fn day_text(day: i64) -> String {
    opc_domain::Timestamp::from_unix_ms(day * 86_400_000).to_rfc3339()[..10].to_owned()
}

/// A resource's sum as `list_customerself_resource_records` gives it.
fn fee_record_sum(s: &UsageSummary, catalog: &Catalog, english: bool, account: &Account) -> FeeRecordSum {
    let resource = catalog.resource_type(&s.resource_type);
    let service = catalog.service_type(&s.service_type);
    FeeRecordSum {
        account_name: account.name().as_str().to_owned(),
        amount: Amount(s.amount),
        bill_date: s.day.map(day_text),
        bill_type: 5,
        cash_amount: Amount(Money::ZERO),
        charge_mode: "3",
        cloud_service_type: s.service_type.clone(),
        cloud_service_type_name: service.map(|t| t.name.get(english).to_owned()),
        coupon_amount: Amount(Money::ZERO),
        credit_amount: Amount(s.amount),
        customer_id: account.id().as_str().to_owned(),
        discount_amount: Amount(Money::ZERO),
        effective_time: s.first_ended_at.to_rfc3339(),
        expire_time: s.last_ended_at.to_rfc3339(),
        measure_id: MEASURE_ID,
        official_amount: Amount(s.amount),
        product_spec_desc: s.spec.clone(),
        region: s.region.clone(),
        resource_id: s.resource_id.clone(),
        resource_type: s.resource_type.clone(),
        resource_type_name: resource.map(|t| t.name.get(english).to_owned()),
        sku_code: s.spec.clone(),
    }
}

/// A resource's sum as `list_customerself_resource_record_details` gives it.
fn monthly_record(
    s: &UsageSummary,
    catalog: &Catalog,
    english: bool,
    account: &Account,
    cycle_text: &str,
) -> MonthlyRecord {
    let resource = catalog.resource_type(&s.resource_type);
    let service = catalog.service_type(&s.service_type);
    MonthlyRecord {
        account_name: account.name().as_str().to_owned(),
        bill_date: s.day.map(day_text),
        bill_type: 5,
        cash_amount: Amount(Money::ZERO),
        charge_mode: 3,
        cloud_service_type: s.service_type.clone(),
        cloud_service_type_name: service.map(|t| t.name.get(english).to_owned()),
        consume_amount: Amount(s.amount),
        coupon_amount: Amount(Money::ZERO),
        credit_amount: Amount(s.amount),
        customer_id: account.id().as_str().to_owned(),
        cycle: cycle_text.to_owned(),
        discount_amount: Amount(Money::ZERO),
        effective_time: s.first_ended_at.to_rfc3339(),
        expire_time: s.last_ended_at.to_rfc3339(),
        measure_id: MEASURE_ID,
        official_amount: Amount(s.amount),
        product_spec_desc: s.spec.clone(),
        region: s.region.clone(),
        res_instance_id: s.resource_id.clone(),
        resource_type_code: s.resource_type.clone(),
        resource_type: s.resource_type.clone(),
        resource_type_name: resource.map(|t| t.name.get(english).to_owned()),
        sku_code: s.spec.clone(),
    }
}

#[derive(Deserialize, Default)]
pub struct QueryResRecordsDetailReq {
    cycle: Option<String>,
    cloud_service_type: Option<String>,
    resource_type: Option<String>,
    region: Option<String>,
    res_instance_id: Option<String>,
    charge_mode: Option<i64>,
    bill_type: Option<i64>,
    include_zero_record: Option<bool>,
    offset: Option<i64>,
    limit: Option<i64>,
    statistic_type: Option<i64>,
}

/// `POST /v2/bills/customer-bills/res-records/query`: the signer's own resource detail records
/// of a cycle: sums per resource in the cycle (`statistic_type` 1, the default) or per day (2),
/// or each record (3).
pub async fn list_customerself_resource_record_details(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    headers: HeaderMap,
    BssJson(req): BssJson<QueryResRecordsDetailReq>,
) -> Result<Json<MonthlyRecordsResponse>, ApiError> {
    // The international site answers in English unless asked otherwise.
    let english =
        !headers.get("x-language").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("zh_cn"));
    let cycle = parse_cycle(non_empty(&req.cycle).ok_or_else(|| ApiError::invalid("cycle", "is required"))?)?;
    let statistic = match req.statistic_type {
        None | Some(1) => Statistic::Cycle,
        Some(2) => Statistic::Daily,
        Some(3) => Statistic::Details,
        Some(_) => return Err(ApiError::invalid("statistic_type", "must be 1, 2 or 3")),
    };
    let empty = || Ok(Json(MonthlyRecordsResponse { monthly_records: vec![], total_count: 0, currency: CURRENCY }));
    if req.charge_mode.is_some_and(|m| m != 3) || req.bill_type.is_some_and(|t| t != 5) {
        return empty();
    }
    let account = accounts::own_account(&ctx, &principal).await?;
    let query = UsageQuery {
        cycle,
        service_type: wire::max_chars("cloud_service_type", non_empty(&req.cloud_service_type), 64)?.map(str::to_owned),
        region: wire::max_chars("region", non_empty(&req.region), 64)?.map(str::to_owned),
        resource_id: wire::max_chars("res_instance_id", non_empty(&req.res_instance_id), 64)?.map(str::to_owned),
        offset: wire::int_in("offset", req.offset, 0, i64::from(i32::MAX), 0)? as u32,
        limit: wire::int_in("limit", req.limit, 1, 1000, 10)? as u32,
    };
    let resource_type = wire::max_chars("resource_type", non_empty(&req.resource_type), 64)?;
    let (_, catalog) = catalog::current(&ctx).await?;
    let cycle_text = format!("{:04}-{:02}", cycle.0 / 100, cycle.0 % 100);
    let (sums, total) = match statistic {
        Statistic::Details => {
            let (records, total) = usage::records_of(&ctx, account.id(), &query).await?;
            let sums = records
                .into_iter()
                .map(|e| UsageSummary {
                    resource_id: e.record.resource_id,
                    service_type: e.record.service_type,
                    resource_type: e.record.resource_type,
                    spec: e.record.spec,
                    region: e.record.region,
                    day: Some((e.record.ended_at.unix_ms() + ctx.policy.billing_offset.0).div_euclid(86_400_000)),
                    amount: e.amount,
                    first_ended_at: e.record.ended_at,
                    last_ended_at: e.record.ended_at,
                })
                .collect();
            (sums, total)
        }
        Statistic::Daily | Statistic::Cycle => {
            usage::summaries_of(&ctx, account.id(), &query, statistic == Statistic::Daily).await?
        }
    };
    let list: Vec<MonthlyRecord> = sums
        .iter()
        .filter(|s| resource_type.is_none_or(|t| s.resource_type == t))
        .filter(|s| req.include_zero_record != Some(false) || s.amount > Money::ZERO)
        .map(|s| monthly_record(s, &catalog, english, &account, &cycle_text))
        .collect();
    Ok(Json(MonthlyRecordsResponse { monthly_records: list, total_count: total, currency: CURRENCY }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_year_and_month() {
        assert_eq!(parse_cycle("2026-03").unwrap(), Cycle(202603));
        for bad in ["2026-3", "2026-13", "26-03", "2026/03", "2026-03-01"] {
            assert!(parse_cycle(bad).is_err(), "{bad}");
        }
    }
}
