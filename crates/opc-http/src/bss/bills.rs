//! B1.8 expenditures: a customer's own resource expenditure records, from the rated usage
//! (pay-per-use, at list price; no discount applies yet, so the amount is the official one and
//! is owed on credit until bills and payments come).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use opc_core::ops::{accounts, catalog, usage};
use opc_core::store::UsageQuery;
use opc_core::Context;
use opc_domain::usage::Cycle;
use opc_domain::{Millis, Money};
use serde::Deserialize;
use serde_json::{json, Value};

use super::wire::{self, non_empty, Amount, CURRENCY, MEASURE_ID};
use crate::error::ApiError;
use crate::extract::{AuthenticatedAny, BssQuery};

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
/// records of a cycle, newest first (`statistic_type` 3, details; the daily and per-cycle
/// statistics are not offered yet).
pub async fn list_customerself_resource_records(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    headers: HeaderMap,
    BssQuery(q): BssQuery<ResourceRecordsQuery>,
) -> Result<Json<Value>, ApiError> {
    let english =
        headers.get("x-language").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("en_us"));
    let cycle = parse_cycle(non_empty(&q.cycle).ok_or_else(|| ApiError::invalid("cycle", "is required"))?)?;
    match q.statistic_type {
        None | Some(3) => {}
        Some(1 | 2) => return Err(ApiError::invalid("statistic_type", "only 3 (details) is offered")),
        Some(_) => return Err(ApiError::invalid("statistic_type", "must be 1, 2 or 3")),
    }
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
    let (records, total) = usage::records_of(&ctx, &account.id, &query).await?;
    let (_, catalog) = catalog::current(&ctx).await?;
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

impl From<usage::UsageOpError> for ApiError {
    fn from(e: usage::UsageOpError) -> ApiError {
        match e {
            e @ usage::UsageOpError::Invalid(_) => ApiError::invalid("records", e),
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
