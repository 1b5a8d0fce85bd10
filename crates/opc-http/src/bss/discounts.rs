//! B2.9.1 `list_business_discount_info` and B2.9.2 `list_incentive_discount_policies`: a
//! partner reads the discount scopes the operator authorized it (R-CPN-25, R-CPN-26) and the
//! policy of each cloud service type (A-09: whether partner discounts apply, and its incentive
//! policy), from the same data the discounts are decided on.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use opc_core::ops::discounts;
use opc_core::Context;
use opc_domain::discount::{self, payable, IncentivePolicy};
use serde::{Deserialize, Serialize};

use super::products::english;
use super::wire::{self, Rate};
use crate::error::ApiError;
use crate::extract::{Authenticated, BssJson, BssQuery};

/// B2.9.2 `incentive_policy`.
fn incentive_code(p: IncentivePolicy) -> &'static str {
    match p {
        IncentivePolicy::NonSpecific => "0",
        IncentivePolicy::Specific => "1",
        IncentivePolicy::NoPerformanceNoRebate => "2",
        IncentivePolicy::PerformanceNoRebate => "13",
    }
}

fn yes_no(yes: bool) -> &'static str {
    if yes {
        "YES"
    } else {
        "NO"
    }
}

#[derive(Deserialize, Default)]
pub struct PoliciesQuery {
    time: Option<String>,
    service_type_code: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// `ListIncentiveDiscountPoliciesResponse`.
#[derive(Serialize)]
pub struct PoliciesResponse {
    policies: Vec<PolicyInfo>,
    total_count: usize,
}

/// `IncentiveAndDiscountPolicy`.
#[derive(Serialize)]
struct PolicyInfo {
    service_type_code: String,
    service_type_name: String,
    incentive_policy: &'static str,
    allow_discount: &'static str,
}

/// `time` is `YYYY-MM` (UTC+8): the month whose policies are asked for.
fn month(value: &Option<String>) -> Result<(), ApiError> {
    let text = wire::required("time", value, 7)?;
    let well_formed = text.len() == 7
        && text.as_bytes()[4] == b'-'
        && text[..4].bytes().all(|b| b.is_ascii_digit())
        && matches!(text[5..].parse::<u32>(), Ok(1..=12));
    if !well_formed {
        return Err(ApiError::invalid("time", "must be a month like 2026-05"));
    }
    Ok(())
}

/// `GET /v2/products/incentive-discount-policies`: every cloud service type of the catalog
/// with its policy. Policies are the current ones whatever month `time` names (they keep no
/// history). `service_type_code` given, even empty, filters.
pub async fn list_incentive_discount_policies(
    State(ctx): State<Context>,
    Authenticated(_caller): Authenticated,
    headers: HeaderMap,
    BssQuery(q): BssQuery<PoliciesQuery>,
) -> Result<Json<PoliciesResponse>, ApiError> {
    month(&q.time)?;
    wire::max_chars("service_type_code", q.service_type_code.as_deref(), 64)?;
    let offset = wire::int_in("offset", q.offset, 0, i64::from(i32::MAX), 0)? as usize;
    let limit = wire::int_in("limit", q.limit, 1, 1000, 10)? as usize;
    let en = english(&headers);
    let all: Vec<PolicyInfo> = discounts::catalog_policies(&ctx)
        .await?
        .into_iter()
        .filter(|(s, _)| q.service_type_code.as_deref().is_none_or(|code| s.code == code))
        .map(|(s, policy)| PolicyInfo {
            service_type_name: s.name.get(en).to_owned(),
            service_type_code: s.code,
            incentive_policy: incentive_code(discount::incentive_of(policy.as_ref())),
            allow_discount: yes_no(discount::allows_discount(policy.as_ref())),
        })
        .collect();
    let total_count = all.len();
    Ok(Json(PoliciesResponse { policies: all.into_iter().skip(offset).take(limit).collect(), total_count }))
}

#[derive(Deserialize, Default)]
pub struct BusinessDiscountQuery {
    quoting_item_type: Option<String>,
    cloud_service_types: Option<Vec<String>>,
    charging_modes: Option<Vec<String>>,
    site_code: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// `ListBusinessDiscountInfoResponse`: the partner's authorized scopes as category quoting
/// items (one per cloud service type: the largest discount it may give, as the rate paid).
/// There is no framework contract, so `commerce_*` and its times are left out; product quoting
/// items are never given.
#[derive(Serialize)]
pub struct BusinessDiscountResponse {
    total_count: usize,
    product_quoting_items: Vec<()>,
    category_quoting_items: Vec<CategoryItem>,
    category_quoting_item_steps: Vec<()>,
    sites: Vec<()>,
}

/// `CategoryQuotingItem`.
#[derive(Serialize)]
struct CategoryItem {
    item_id: String,
    cloud_service_type: String,
    cloud_service_type_name: String,
    discount_ratio: Rate,
    effective_time: String,
}

/// B2.9.1 `charging_mode` values: a scope covers every one that partner discounts apply to.
const CHARGING_MODES: [&str; 11] = [
    "ONDEMAND",
    "ONETIME",
    "DAILY",
    "MONTHLY",
    "1_YEARLY",
    "2_YEARLY",
    "3_YEARLY",
    "4_YEARLY",
    "5_YEARLY",
    "1_YEARLY_RI",
    "3_YEARLY_RI",
];

fn list_of<'a>(field: &str, list: &'a Option<Vec<String>>, max: usize) -> Result<&'a [String], ApiError> {
    let list = list.as_deref().unwrap_or_default();
    if list.len() > max {
        return Err(ApiError::invalid(field, format_args!("holds at most {max}")));
    }
    if list.iter().any(|v| v.is_empty() || v.chars().count() > 64) {
        return Err(ApiError::invalid(field, "each value is 1 to 64 characters"));
    }
    Ok(list)
}

/// `POST /v2/promotions/business/discount-info`.
pub async fn list_business_discount_info(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
    BssJson(body): BssJson<BusinessDiscountQuery>,
) -> Result<Json<BusinessDiscountResponse>, ApiError> {
    let category = match wire::required("quoting_item_type", &body.quoting_item_type, 64)? {
        "CATEGORY_ITEM" => true,
        "PRODUCT_ITEM" => false,
        _ => return Err(ApiError::invalid("quoting_item_type", "must be PRODUCT_ITEM or CATEGORY_ITEM")),
    };
    let service_types = list_of("cloud_service_types", &body.cloud_service_types, 100)?;
    let modes = list_of("charging_modes", &body.charging_modes, 20)?;
    if let Some(m) = modes.iter().find(|m| !CHARGING_MODES.iter().any(|c| c.eq_ignore_ascii_case(m))) {
        return Err(ApiError::invalid("charging_modes", format_args!("{m:?} is not a charging mode")));
    }
    if let Some(site) = &body.site_code {
        if site.is_empty() || site.chars().count() > 64 {
            return Err(ApiError::invalid("site_code", "must be 1 to 64 characters"));
        }
    }
    let offset = wire::int_in("offset", body.offset, 0, i64::from(i32::MAX), 0)? as usize;
    let limit = wire::int_in("limit", body.limit, 1, 1000, 20)? as usize;
    let en = english(&headers);
    let items: Vec<CategoryItem> = if category {
        discounts::own_scopes(&ctx, &caller)
            .await?
            .into_iter()
            .filter(|(s, _)| {
                service_types.is_empty() || service_types.iter().any(|t| t.eq_ignore_ascii_case(&s.service_type))
            })
            .map(|(s, entry)| CategoryItem {
                item_id: format!("{}:{}", s.partner, s.service_type),
                cloud_service_type_name: entry.map(|e| e.name.get(en).to_owned()).unwrap_or_default(),
                cloud_service_type: s.service_type,
                discount_ratio: Rate(payable(s.max_off)),
                effective_time: s.from.to_rfc3339(),
            })
            .collect()
    } else {
        vec![]
    };
    let total_count = items.len();
    Ok(Json(BusinessDiscountResponse {
        total_count,
        product_quoting_items: vec![],
        category_quoting_items: items.into_iter().skip(offset).take(limit).collect(),
        category_quoting_item_steps: vec![],
        sites: vec![],
    }))
}
