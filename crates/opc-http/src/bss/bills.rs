//! B1.8 expenditures: a customer's own resource expenditure records, from the rated usage
//! (pay-per-use, at list price; no discount applies yet, so the amount is the official one and
//! is owed on credit until bills and payments come).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use opc_core::ops::{accounts, catalog, usage};
use opc_core::store::{UsageQuery, UsageSummary};
use opc_core::Context;
use opc_domain::catalog::Catalog;
use opc_domain::usage::Cycle;
use opc_domain::{Millis, Money};
use serde::Deserialize;
use serde_json::{json, Value};

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
) -> Result<Json<Value>, ApiError> {
    let english = super::products::english(&headers);
    let cycle = parse_cycle(non_empty(&q.cycle).ok_or_else(|| ApiError::invalid("cycle", "is required"))?)?;
    let statistic = match q.statistic_type {
        None | Some(3) => Statistic::Details,
        Some(2) => Statistic::Daily,
        Some(1) => Statistic::Cycle,
        Some(_) => return Err(ApiError::invalid("statistic_type", "must be 1, 2 or 3")),
    };
    let empty = || Ok(Json(json!({"fee_records": [], "total_count": 0, "currency": CURRENCY})));
    // Only pay-per-use usage (charge_mode 3, bill_type 5 "consumption - usage") is recorded.
    if non_empty(&q.charge_mode).is_some_and(|m| m != "3") || q.bill_type.is_some_and(|t| t != 5) {
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
        let (sums, total) = usage::summaries_of(&ctx, &account.id, &query, statistic == Statistic::Daily).await?;
        let list: Vec<Value> = sums
            .iter()
            .filter(|s| q.include_zero_record != Some(false) || s.amount > Money::ZERO)
            .map(|s| {
                let mut out = summary_json(s, &catalog, english);
                out["customer_id"] = json!(account.id.as_str());
                out["account_name"] = json!(account.name.as_str());
                out["resource_id"] = json!(s.resource_id);
                out["amount"] = json!(Amount(s.amount));
                out["credit_amount"] = json!(Amount(s.amount));
                out
            })
            .collect();
        return Ok(Json(json!({"fee_records": list, "total_count": total, "currency": CURRENCY})));
    }
    let (records, total) = usage::records_of(&ctx, &account.id, &query).await?;
    let zero = Amount(Money::ZERO);
    // Bill dates are days of the billing time zone (spec: "按照东八区截取").
    let offset: Millis = ctx.policy.billing_offset;
    let list: Vec<Value> = records
        .iter()
        .filter(|e| q.include_zero_record != Some(false) || e.amount > Money::ZERO)
        .map(|e| {
            let r = &e.record;
            let local = r.ended_at.plus(offset).to_rfc3339();
            let resource = catalog.resource_type(&r.resource_type);
            let service = catalog.service_type(&r.service_type);
            json!({"id": r.id, "bill_date": &local[..10], "bill_type": 5, "customer_id": r.customer.as_str(),
                "account_name": account.name.as_str(), "region": r.region, "cloud_service_type": r.service_type,
                "cloud_service_type_name": service.map(|s| s.name.get(english)),
                "resource_type": r.resource_type, "resource_type_name": resource.map(|t| t.name.get(english)),
                "resource_id": r.resource_id, "product_spec_desc": r.spec, "sku_code": r.spec,
                "expire_time": r.ended_at.to_rfc3339(), "consume_time": r.ended_at.to_rfc3339(),
                "charge_mode": "3", "usage_type": r.usage_factor, "usage": Amount(Money::from_e8(r.usage.e8()).unwrap_or(Money::ZERO)),
                "usage_measure_id": r.usage_measure_id, "official_amount": Amount(e.amount), "discount_amount": zero,
                "amount": Amount(e.amount), "cash_amount": zero, "credit_amount": Amount(e.amount), "coupon_amount": zero,
                "measure_id": MEASURE_ID})
        })
        .collect();
    Ok(Json(json!({"fee_records": list, "total_count": total, "currency": CURRENCY})))
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
fn day_text(day: i64) -> String {
    opc_domain::Timestamp::from_unix_ms(day * 86_400_000).to_rfc3339()[..10].to_owned()
}

/// The fields a resource's sum shares between the two record queries.
fn summary_json(s: &UsageSummary, catalog: &Catalog, english: bool) -> Value {
    let resource = catalog.resource_type(&s.resource_type);
    let service = catalog.service_type(&s.service_type);
    let zero = Amount(Money::ZERO);
    json!({"bill_date": s.day.map(day_text), "bill_type": 5, "region": s.region,
        "cloud_service_type": s.service_type, "cloud_service_type_name": service.map(|t| t.name.get(english)),
        "resource_type": s.resource_type, "resource_type_name": resource.map(|t| t.name.get(english)),
        "sku_code": s.spec, "product_spec_desc": s.spec, "charge_mode": "3",
        "effective_time": s.first_ended_at.to_rfc3339(), "expire_time": s.last_ended_at.to_rfc3339(),
        "official_amount": Amount(s.amount), "discount_amount": zero, "cash_amount": zero, "coupon_amount": zero,
        "measure_id": MEASURE_ID})
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
) -> Result<Json<Value>, ApiError> {
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
    let empty = || Ok(Json(json!({"monthly_records": [], "total_count": 0, "currency": CURRENCY})));
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
            let (records, total) = usage::records_of(&ctx, &account.id, &query).await?;
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
            usage::summaries_of(&ctx, &account.id, &query, statistic == Statistic::Daily).await?
        }
    };
    let list: Vec<Value> = sums
        .iter()
        .filter(|s| resource_type.is_none_or(|t| s.resource_type == t))
        .filter(|s| req.include_zero_record != Some(false) || s.amount > Money::ZERO)
        .map(|s| {
            let mut out = summary_json(s, &catalog, english);
            out["cycle"] = json!(cycle_text);
            out["customer_id"] = json!(account.id.as_str());
            out["account_name"] = json!(account.name.as_str());
            out["res_instance_id"] = json!(s.resource_id);
            out["resource_Type_code"] = json!(s.resource_type);
            out["consume_amount"] = json!(Amount(s.amount));
            out["credit_amount"] = json!(Amount(s.amount));
            out["charge_mode"] = json!(3);
            out
        })
        .collect();
    Ok(Json(json!({"monthly_records": list, "total_count": total, "currency": CURRENCY})))
}

impl From<usage::UsageOpError> for ApiError {
    fn from(e: usage::UsageOpError) -> ApiError {
        match e {
            e @ (usage::UsageOpError::Invalid(_) | usage::UsageOpError::Overflow(_)) => ApiError::invalid("records", e),
            usage::UsageOpError::Store(e) => e.into(),
        }
    }
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
