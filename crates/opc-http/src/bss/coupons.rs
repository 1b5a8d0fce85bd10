//! B1.5.1 and B2.5: coupon quotas down the channel and the partner's cash coupons. A batch
//! (issuing coupons or quotas, reclaiming quotas) applies what it can and names each id that
//! failed in `error_details`, with HTTP 200.

use axum::extract::{RawQuery, State};
use axum::Json;
use opc_core::ops::coupons::{self, CouponFilter, CouponOpError, Outcome};
use opc_core::store::{CouponEntryQuery, QuotaEntryQuery, QuotaEntryView};
use opc_core::Context;
use opc_domain::coupon::{Coupon, CouponEntryKind, CouponRequest, CouponStatus, Limits, QuotaEntryKind};
use opc_domain::{Money, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::wire::{self, non_empty, Amount, MEASURE_ID};
use crate::error::ApiError;
use crate::extract::{Authenticated, AuthenticatedAny, BssJson, BssQuery};

/// The China-site answers' currency (B2.5 models say CNY); amounts are the deployment's one
/// currency all the same.
pub(super) const CURRENCY: &str = wire::CURRENCY;

/// A face value or quota amount: more than 0, at most 2 decimals (a JSON number or string).
pub(super) fn cents(field: &'static str, raw: &Option<Box<RawValue>>) -> Result<Money, ApiError> {
    let raw = raw.as_ref().ok_or_else(|| ApiError::invalid(field, "is required"))?;
    let text = raw.get().trim_matches('"');
    let money = Money::parse(text).map_err(|e| ApiError::invalid(field, e))?;
    opc_domain::coupon::cents_amount(money).map_err(|e| ApiError::invalid(field, e))
}

pub(super) fn time(t: Timestamp) -> String {
    t.to_rfc3339()
}

#[derive(Serialize)]
pub(super) struct ErrorDetail {
    error_code: &'static str,
    error_msg: String,
    id: String,
}

fn detail(id: String, e: CouponOpError) -> ErrorDetail {
    let error = ApiError::from(e);
    ErrorDetail { error_code: error.code().wire().1, error_msg: error.message().to_owned(), id }
}

/// Splits a batch's outcomes into what succeeded and the error details.
pub(super) fn split<T>(outcomes: Vec<Outcome<T>>) -> (Vec<T>, Vec<ErrorDetail>) {
    let (mut done, mut failed) = (vec![], vec![]);
    for o in outcomes {
        match o {
            Ok(t) => done.push(t),
            Err((id, e)) => failed.push(detail(id, e)),
        }
    }
    (done, failed)
}

pub(super) fn ids(field: &'static str, list: &Option<Vec<String>>, max: usize) -> Result<Vec<String>, ApiError> {
    let list = list.clone().unwrap_or_default();
    if list.is_empty() || list.len() > max {
        return Err(ApiError::invalid(field, format!("must list 1 to {max} ids")));
    }
    if list.iter().any(|id| id.is_empty() || id.chars().count() > 64) {
        return Err(ApiError::invalid(field, "each id is 1 to 64 characters"));
    }
    Ok(list)
}

pub(super) fn paging(offset: Option<i64>, limit: Option<i64>) -> Result<(u32, u32), ApiError> {
    Ok((
        wire::int_in("offset", offset, 0, i64::from(i32::MAX), 0)? as u32,
        wire::int_in("limit", limit, 1, 1000, 10)? as u32,
    ))
}

pub(super) fn range(
    (begin, end): (&'static str, &'static str),
    (b, e): (&Option<String>, &Option<String>),
) -> Result<(Option<Timestamp>, Option<Timestamp>), ApiError> {
    Ok((wire::utc_time(begin, non_empty(b))?, wire::utc_time(end, non_empty(e))?))
}

/// `LimitValue` / `QuotaLimitInfo`: a quota's limits as the spec lists them.
#[derive(Serialize)]
pub(super) struct LimitInfo {
    limit_key: &'static str,
    limit_values: Vec<LimitValue>,
}

#[derive(Serialize)]
pub(super) struct LimitValue {
    value1: String,
    value2: String,
}

pub(super) fn limit_infos(limits: &Limits) -> Vec<LimitInfo> {
    let mut out = vec![];
    for (key, list) in [("cloud_service_types", limits.service_types()), ("product_ids", limits.products())] {
        if !list.is_empty() {
            out.push(LimitInfo {
                limit_key: key,
                limit_values: list.iter().map(|v| LimitValue { value1: v.clone(), value2: String::new() }).collect(),
            });
        }
    }
    out
}

// ---- B2.5.1 create_partner_coupons ----

#[derive(Deserialize, Default)]
pub struct CreateCouponsReq {
    quota_id: Option<String>,
    customer_ids: Option<Vec<String>>,
    face_value: Option<Box<RawValue>>,
    valid_time: Option<String>,
    expire_time: Option<String>,
    cloud_service_types: Option<Vec<String>>,
    product_ids: Option<Vec<String>>,
    memo: Option<String>,
    indirect_partner_id: Option<String>,
}

#[derive(Serialize)]
pub struct CreateCouponsResponse {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    error_details: Vec<ErrorDetail>,
    coupon_infos: Vec<CouponSimpleInfo>,
}

#[derive(Serialize)]
struct CouponSimpleInfo {
    id: String,
    coupon_id: String,
}

/// `POST /v2/promotions/benefits/partner-coupons` (B2.5.1).
pub async fn create_partner_coupons(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<CreateCouponsReq>,
) -> Result<Json<CreateCouponsResponse>, ApiError> {
    let quota = wire::required("quota_id", &req.quota_id, 64)?;
    let customers = ids("customer_ids", &req.customer_ids, opc_domain::coupon::MAX_CUSTOMERS)?;
    let face_value = cents("face_value", &req.face_value)?;
    // An end left out is the quota's (decided with the quota, in the domain).
    let (from, to) = range(("valid_time", "expire_time"), (&req.valid_time, &req.expire_time))?;
    let limits =
        Limits::new(req.cloud_service_types.clone().unwrap_or_default(), req.product_ids.clone().unwrap_or_default())
            .map_err(|e| ApiError::invalid("cloud_service_types", e))?;
    let memo = wire::max_chars("memo", req.memo.as_deref(), 200)?.unwrap_or_default().to_owned();
    let request = CouponRequest { face_value, from, to, limits, memo };
    let outcomes = coupons::issue_coupons(
        &ctx,
        &caller,
        wire::indirect_partner(&req.indirect_partner_id)?,
        quota,
        &customers,
        &request,
    )
    .await?;
    let (done, error_details) = split(outcomes);
    let coupon_infos = done
        .into_iter()
        .map(|(customer, coupon_id)| CouponSimpleInfo { id: customer.as_str().to_owned(), coupon_id })
        .collect();
    Ok(Json(CreateCouponsResponse { error_details, coupon_infos }))
}

// ---- B2.5.10 reclaim_partner_coupons ----

#[derive(Deserialize, Default)]
pub struct ReclaimCouponReq {
    coupon_id: Option<String>,
    indirect_partner_id: Option<String>,
}

/// `POST /v2/promotions/benefits/partner-coupons/reclaim` (B2.5.10): `{}`.
pub async fn reclaim_partner_coupons(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<ReclaimCouponReq>,
) -> Result<Json<wire::Empty>, ApiError> {
    let coupon = wire::required("coupon_id", &req.coupon_id, 64)?;
    coupons::reclaim_coupon(&ctx, &caller, wire::indirect_partner(&req.indirect_partner_id)?, coupon).await?;
    Ok(Json(wire::Empty {}))
}

// ---- B2.5.11 update_coupon_quotas, B2.5.9 reclaim_coupon_quotas ----

#[derive(Deserialize, Default)]
pub struct CouponRecordsQuery {
    quota_id: Option<String>,
    quota_type: Option<i64>,
    customer_id: Option<String>,
    operation_time_begin: Option<String>,
    operation_time_end: Option<String>,
    result: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    indirect_partner_id: Option<String>,
}

#[derive(Serialize)]
struct CouponRecord {
    id: String,
    operation_type: &'static str,
    quota_id: String,
    quota_type: i32,
    coupon_id: String,
    customer_id: String,
    operation_amount: Amount,
    operation_time: String,
    result: &'static str,
    remark: String,
}

#[derive(Serialize)]
pub struct CouponRecordsResponse {
    total_count: u64,
    records: Vec<CouponRecord>,
}

fn operation_type(kind: QuotaEntryKind) -> &'static str {
    match kind {
        QuotaEntryKind::CouponReclaim => "2",
        QuotaEntryKind::CouponExpiry => "4",
        _ => "1",
    }
}

/// `GET /v2/promotions/benefits/partner-coupons/records/query` (B2.5.6): the partner's coupon
/// issues (1), reclaims (2) and expiry returns (4).
pub async fn list_partner_coupons_record(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    RawQuery(raw): RawQuery,
    BssQuery(q): BssQuery<CouponRecordsQuery>,
) -> Result<Json<CouponRecordsResponse>, ApiError> {
    let (offset, limit) = paging(q.offset, q.limit)?;
    // The two lists come as repeated keys (`operation_types=1&operation_types=2`).
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or_default()).map_err(|e| ApiError::invalid("query", e))?;
    let listed = |key: &str| {
        let values: Vec<String> = pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect();
        (!values.is_empty()).then_some(values)
    };
    let (operation_types, coupon_ids) = (listed("operation_types"), listed("coupon_ids"));
    let empty = || Ok(Json(CouponRecordsResponse { total_count: 0, records: vec![] }));
    let (from, to) =
        range(("operation_time_begin", "operation_time_end"), (&q.operation_time_begin, &q.operation_time_end))?;
    let quota_type = q.quota_type.map(|t| wire::int_in("quota_type", Some(t), 0, 1, 0)).transpose()?;
    // Every record succeeded; only cash-coupon quotas (0) exist.
    if q.result.as_deref() == Some("-1") || quota_type == Some(1) {
        return empty();
    }
    let kinds: Vec<QuotaEntryKind> = match &operation_types {
        None => vec![QuotaEntryKind::CouponIssue, QuotaEntryKind::CouponReclaim, QuotaEntryKind::CouponExpiry],
        Some(types) => types.iter().filter_map(|t| coupons::coupon_operation_kind(t)).collect(),
    };
    if kinds.is_empty() {
        return empty();
    }
    let customer =
        match wire::max_chars("customer_id", non_empty(&q.customer_id), 64)?.map(opc_domain::AccountId::parse) {
            Some(Ok(c)) => Some(c),
            Some(Err(_)) => return empty(),
            None => None,
        };
    let indirect = wire::indirect_partner(&q.indirect_partner_id)?;
    let query = QuotaEntryQuery {
        partner: caller.partner.id().clone(),
        children: false,
        kinds,
        quota: wire::max_chars("quota_id", non_empty(&q.quota_id), 64)?.map(str::to_owned),
        parent: None,
        holder: None,
        coupons: coupon_ids.unwrap_or_default(),
        customer,
        from,
        to,
        offset,
        limit,
    };
    let (views, total) = coupons::quota_records(&ctx, &caller, indirect, query).await?;
    let records = views.into_iter().map(coupon_record).collect();
    Ok(Json(CouponRecordsResponse { total_count: total, records }))
}

fn coupon_record(v: QuotaEntryView) -> CouponRecord {
    CouponRecord {
        operation_type: operation_type(v.entry.kind),
        quota_id: v.entry.quota.clone(),
        quota_type: 0,
        coupon_id: v.entry.counterpart.clone().unwrap_or_default(),
        customer_id: v.customer.map(|c| c.as_str().to_owned()).unwrap_or_default(),
        operation_amount: Amount(v.entry.amount.abs()),
        operation_time: time(v.entry.at),
        result: "0",
        remark: v.entry.remark.clone(),
        id: v.entry.id,
    }
}

// ---- B2.5.5 list_issued_partner_coupons, B1.5.1 list_sub_customer_coupons ----

#[derive(Deserialize, Default)]
pub struct IssuedCouponsQuery {
    coupon_id: Option<String>,
    customer_id: Option<String>,
    order_id: Option<String>,
    coupon_type: Option<i64>,
    status: Option<i64>,
    create_time_begin: Option<String>,
    create_time_end: Option<String>,
    effective_time_begin: Option<String>,
    effective_time_end: Option<String>,
    expire_time_begin: Option<String>,
    expire_time_end: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    indirect_partner_id: Option<String>,
}

#[derive(Serialize)]
pub(super) struct UseLimit {
    use_limiti_info_id: String,
    limit_key: &'static str,
    value1: String,
    value2: String,
    value_unit: String,
    limit_type: String,
    promotion_plan_id: String,
}

pub(super) fn use_limits(c: &Coupon) -> Vec<UseLimit> {
    let mut out = vec![];
    let mut push = |key: &'static str, n: usize, value1: String, value_unit: &str| {
        out.push(UseLimit {
            use_limiti_info_id: format!("{}-{key}-{n}", c.id),
            limit_key: key,
            value1,
            value2: String::new(),
            value_unit: value_unit.to_owned(),
            limit_type: String::new(),
            promotion_plan_id: String::new(),
        })
    };
    for (key, list) in [("cloud_service_types", c.limits.service_types()), ("product_ids", c.limits.products())] {
        for (n, v) in list.iter().enumerate() {
            push(key, n, v.clone(), "");
        }
    }
    // R-CPN-12: the billing modes it pays (charge_mode 1 yearly/monthly, 3 pay-per-use).
    for (n, m) in c.limits.modes().iter().enumerate() {
        let code = match m {
            opc_domain::catalog::ChargingMode::Period => "1",
            opc_domain::catalog::ChargingMode::OnDemand => "3",
        };
        push("charging_modes", n, code.to_owned(), "");
    }
    // R-CPN-01: its usage-limit ratio, the largest share of a line or order it pays.
    if let Some(share) = c.limits.max_share() {
        push("usage_ratio", 0, share.fraction_text(), "ratio");
    }
    out
}

/// `IQueryUserPartnerCouponsResultV2`.
#[derive(Serialize)]
struct IssuedCoupon {
    coupon_id: String,
    status: i32,
    customer_id: String,
    coupon_type: i32,
    measure_id: i32,
    face_value: Amount,
    effective_time: String,
    expire_time: String,
    media_type: i32,
    fetch_method: i32,
    use_limits: Vec<UseLimit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_used_time: Option<String>,
    create_time: String,
    balance: Amount,
    is_frozen: &'static str,
    promotion_plan_desc: String,
}

#[derive(Serialize)]
pub struct IssuedCouponsResponse {
    total_count: u64,
    user_coupons: Vec<IssuedCoupon>,
}

fn status(field: &str, value: Option<i64>) -> Result<Option<CouponStatus>, ApiError> {
    value.map(|s| CouponStatus::from_code(s).ok_or_else(|| ApiError::invalid(field, "must be 1 to 5"))).transpose()
}

/// `GET /v2/promotions/benefits/partner-coupons` (B2.5.5). Only cash coupons (type 1) exist;
/// `order_id` selects the coupon that order's payment named (R-CPN-02).
pub async fn list_issued_partner_coupons(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssQuery(q): BssQuery<IssuedCouponsQuery>,
) -> Result<Json<IssuedCouponsResponse>, ApiError> {
    let (offset, limit) = paging(q.offset, q.limit)?;
    let coupon_type = q.coupon_type.map(|t| wire::int_in("coupon_type", Some(t), 1, 4, 1)).transpose()?;
    let filter = CouponFilter {
        coupon: wire::max_chars("coupon_id", non_empty(&q.coupon_id), 64)?.map(str::to_owned),
        order: wire::max_chars("order_id", non_empty(&q.order_id), 64)?.map(str::to_owned),
        customer: wire::max_chars("customer_id", non_empty(&q.customer_id), 64)?.map(str::to_owned),
        status: status("status", q.status)?,
        created: range(("create_time_begin", "create_time_end"), (&q.create_time_begin, &q.create_time_end))?,
        effective: range(
            ("effective_time_begin", "effective_time_end"),
            (&q.effective_time_begin, &q.effective_time_end),
        )?,
        expire: range(("expire_time_begin", "expire_time_end"), (&q.expire_time_begin, &q.expire_time_end))?,
        offset,
        limit,
    };
    let indirect = wire::indirect_partner(&q.indirect_partner_id)?;
    let (list, total) = coupons::issued_coupons(&ctx, &caller, indirect, &filter).await?;
    if coupon_type.is_some_and(|t| t != 1) {
        return Ok(Json(IssuedCouponsResponse { total_count: 0, user_coupons: vec![] }));
    }
    let now = ctx.clock.now();
    let user_coupons = list
        .iter()
        .map(|c| IssuedCoupon {
            coupon_id: c.id.clone(),
            status: c.status(now).code(),
            customer_id: c.customer.as_ref().map(|a| a.as_str().to_owned()).unwrap_or_default(),
            coupon_type: 1,
            measure_id: MEASURE_ID,
            face_value: Amount(c.face_value),
            effective_time: time(c.validity.from),
            expire_time: time(c.validity.to),
            media_type: 1,
            fetch_method: 3,
            use_limits: use_limits(c),
            last_used_time: c.last_used_at.map(time),
            create_time: time(c.created_at),
            balance: Amount(c.balance),
            is_frozen: "0",
            promotion_plan_desc: c.memo.clone(),
        })
        .collect();
    Ok(Json(IssuedCouponsResponse { total_count: total, user_coupons }))
}

#[derive(Deserialize, Default)]
pub struct CouponsQuery {
    coupon_id: Option<String>,
    order_id: Option<String>,
    promotion_plan_id: Option<String>,
    coupon_type: Option<i64>,
    status: Option<i64>,
    active_start_time: Option<String>,
    active_end_time: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    source_id: Option<String>,
    indirect_partner_id: Option<String>,
}

/// `IQueryUserCouponsResultV2`.
#[derive(Serialize)]
struct UserCoupon {
    coupon_id: String,
    coupon_code: String,
    status: i32,
    customer_id: String,
    coupon_type: i32,
    measure_id: i32,
    face_value: Amount,
    valid_time: String,
    expire_time: String,
    media_type: i32,
    fetch_method: i32,
    use_limits: Vec<UseLimit>,
    active_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reserve_time: Option<String>,
    create_time: String,
    coupon_version: i32,
    balance: Amount,
    is_frozen: &'static str,
    currency: &'static str,
    source_id: String,
    plan_desc: String,
    /// `test` for a test coupon (R-CPN-15); left out for a cash coupon, as before.
    #[serde(skip_serializing_if = "Option::is_none")]
    coupon_usage: Option<&'static str>,
}

#[derive(Serialize)]
pub struct CouponsResponse {
    count: u64,
    user_coupons: Vec<UserCoupon>,
}

/// B1.5.1 `coupon_usage` of a test coupon.
pub const TEST_COUPON_USAGE: &str = "test";

/// `GET /v2/promotions/benefits/coupons` (B1.5.1): the coupons that pay for the signer's
/// spend: a partner's own, or those issued for a customer. `active_start_time` and
/// `active_end_time` bound when a coupon became valid.
pub async fn list_sub_customer_coupons(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    BssQuery(q): BssQuery<CouponsQuery>,
) -> Result<Json<CouponsResponse>, ApiError> {
    for (field, value) in [
        ("coupon_id", &q.coupon_id),
        ("order_id", &q.order_id),
        ("promotion_plan_id", &q.promotion_plan_id),
        ("source_id", &q.source_id),
    ] {
        wire::max_chars(field, value.as_deref(), 64)?;
    }
    let coupon_type = q.coupon_type.map(|t| wire::int_in("coupon_type", Some(t), 1, 4, 1)).transpose()?;
    let (offset, limit) = paging(q.offset, q.limit)?;
    let filter = CouponFilter {
        coupon: non_empty(&q.coupon_id).map(str::to_owned),
        order: non_empty(&q.order_id).map(str::to_owned),
        status: status("status", q.status)?,
        effective: range(("active_start_time", "active_end_time"), (&q.active_start_time, &q.active_end_time))?,
        offset,
        limit,
        ..CouponFilter::default()
    };
    let indirect = wire::max_chars("indirect_partner_id", non_empty(&q.indirect_partner_id), 64)?;
    if let (Some(_), opc_core::ops::auth::Principal::Partner(caller)) = (indirect, &principal) {
        opc_core::ops::customers::check_scope(&ctx, caller, indirect).await?;
    }
    let empty = || Ok(Json(CouponsResponse { count: 0, user_coupons: vec![] }));
    if coupon_type.is_some_and(|t| t != 1) || non_empty(&q.promotion_plan_id).is_some() {
        return empty();
    }
    let account = opc_core::ops::accounts::own_account(&ctx, &principal).await?;
    let (list, count) = coupons::coupons_of_signer(&ctx, account.id(), &filter, non_empty(&q.source_id)).await?;
    let now = ctx.clock.now();
    let user_coupons = list
        .iter()
        .map(|c| UserCoupon {
            coupon_id: c.id.clone(),
            coupon_code: c.id.clone(),
            status: c.status(now).code(),
            customer_id: c
                .customer
                .as_ref()
                .map_or_else(|| account.id().as_str().to_owned(), |a| a.as_str().to_owned()),
            coupon_type: 1,
            measure_id: MEASURE_ID,
            face_value: Amount(c.face_value),
            valid_time: time(c.validity.from),
            expire_time: time(c.validity.to),
            media_type: 1,
            fetch_method: 3,
            use_limits: use_limits(c),
            active_time: time(c.created_at),
            reserve_time: c.last_used_at.map(time),
            create_time: time(c.created_at),
            coupon_version: 2,
            balance: Amount(c.balance),
            is_frozen: "0",
            currency: CURRENCY,
            source_id: coupons::coupon_source(c).to_owned(),
            plan_desc: c.memo.clone(),
            coupon_usage: match c.kind {
                opc_domain::coupon::CouponKind::Cash => None,
                opc_domain::coupon::CouponKind::Test => Some(TEST_COUPON_USAGE),
            },
        })
        .collect();
    Ok(Json(CouponsResponse { count, user_coupons }))
}

// ---- B2.5.3 list_customer_coupon_change_records ----

#[derive(Deserialize, Default)]
pub struct CouponChangesQuery {
    balance_type: Option<String>,
    revenue_expense_type: Option<String>,
    trade_type: Option<String>,
    trade_id: Option<String>,
    trade_time_begin: Option<String>,
    trade_time_end: Option<String>,
    coupon_id: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// `CustomerCouponChangeRecord`.
#[derive(Serialize)]
struct CouponChange {
    coupon_id: String,
    trade_detail_type: &'static str,
    trade_time: String,
    trade_id: String,
    change_amount: String,
    balance_after_change: String,
    revenue_expense_type: &'static str,
    bill_cycle: String,
    account_name: String,
    cloud_service_type_name: String,
    resource_type_name: String,
}

#[derive(Serialize)]
pub struct CouponChangesResponse {
    total_count: u64,
    currency: &'static str,
    records: Vec<CouponChange>,
}

/// B2.5.3 `trade_type`, and each kind's `trade_detail_type`.
fn trade_type(kind: CouponEntryKind) -> (&'static str, &'static str) {
    match kind {
        CouponEntryKind::Issue => ("ADJUST", "SOURCE_OPERAIION_PRIZE"),
        CouponEntryKind::Deduct => ("DEDEUCT", "SOURCE_OPERAIION_WRITEOFF"),
        CouponEntryKind::Reclaim => ("COUPONCANCEL", "SOURCE_OPERATION_COUPONCANCEL"),
        CouponEntryKind::Expire => ("EXPIRED", "SOURCE_OPERAIION_EXPIRECLEAR"),
        CouponEntryKind::Refund => ("REFUND", "SOURCE_OPERAIION_UNSUBSCRIBE"),
        // EMA-7: a master's coupon given in part to its member, and taken back.
        CouponEntryKind::MemberGrant => ("COUPONADJUST", "SOURCE_OPERATION_TRANSFER"),
        CouponEntryKind::MemberReturn => ("COUPONCANCEL", "SOURCE_OPERATION_RETRIEVE"),
    }
}

/// `GET /v2/promotions/benefits/account-change-records` (B2.5.3): the movements of the
/// signer's own coupons — a partner's, or a customer's — newest first: issued (revenue),
/// deducted from a bill, reclaimed by their issuer, expired (expense). Times are dates in the
/// billing zone; the default is the year up to today.
pub async fn list_customer_coupon_change_records(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    BssQuery(q): BssQuery<CouponChangesQuery>,
) -> Result<Json<CouponChangesResponse>, ApiError> {
    match q.balance_type.as_deref() {
        Some("BALANCE_TYPE_COUPON") => {}
        None | Some("") => return Err(ApiError::invalid("balance_type", "is required")),
        Some(_) => return Err(ApiError::invalid("balance_type", "must be BALANCE_TYPE_COUPON")),
    }
    let revenue = match q.revenue_expense_type.as_deref() {
        None => None,
        Some("REVENUE") => Some(true),
        Some("EXPENSE") => Some(false),
        Some(_) => return Err(ApiError::invalid("revenue_expense_type", "must be REVENUE or EXPENSE")),
    };
    const TRADE_TYPES: [&str; 7] =
        ["ADJUST", "DEDEUCT", "REFUND", "RFROZEN", "EXPIRED", "COUPONADJUST", "COUPONCANCEL"];
    let trade = match q.trade_type.as_deref() {
        None => None,
        Some(t) if TRADE_TYPES.contains(&t) => Some(t),
        Some(_) => {
            return Err(ApiError::invalid("trade_type", format_args!("must be one of {}", TRADE_TYPES.join(", "))))
        }
    };
    // Coupons here are never frozen: that trade type selects nothing.
    let kinds: Vec<CouponEntryKind> = CouponEntryKind::ALL
        .into_iter()
        .filter(|k| revenue.is_none_or(|r| k.is_revenue() == r) && trade.is_none_or(|t| trade_type(*k).0 == t))
        .collect();
    let trade_id = wire::max_chars("trade_id", non_empty(&q.trade_id), 128)?.map(str::to_owned);
    let coupon = wire::max_chars("coupon_id", non_empty(&q.coupon_id), 64)?.map(str::to_owned);
    let now = ctx.clock.now();
    let from = match q.trade_time_begin.as_deref() {
        None => Timestamp::from_unix_ms(now.unix_ms() - 365 * 86_400_000),
        Some(t) => super::funds::zone_date(&ctx, "trade_time_begin", t, false)?,
    };
    let to = match q.trade_time_end.as_deref() {
        None => now,
        Some(t) => super::funds::zone_date(&ctx, "trade_time_end", t, true)?,
    };
    let offset = wire::int_in("offset", q.offset, 0, i64::from(i32::MAX), 0)? as u32;
    let limit = wire::int_in("limit", q.limit, 1, 100, 10)? as u32;
    let account = opc_core::ops::accounts::own_account(&ctx, &principal).await?;
    let (entries, total_count) = coupons::coupon_changes(&ctx, account.id(), |holder| CouponEntryQuery {
        holder,
        kinds,
        coupon,
        trade: trade_id,
        from,
        to,
        offset,
        limit,
    })
    .await?;
    let records = entries
        .into_iter()
        .map(|e| CouponChange {
            trade_detail_type: trade_type(e.kind).1,
            trade_time: time(e.at),
            change_amount: e.amount.to_plain_string(),
            balance_after_change: e.balance_after.to_plain_string(),
            revenue_expense_type: if e.kind.is_revenue() { "REVENUE" } else { "EXPENSE" },
            bill_cycle: String::new(),
            account_name: account.name().as_str().to_owned(),
            cloud_service_type_name: String::new(),
            resource_type_name: String::new(),
            coupon_id: e.coupon,
            trade_id: e.trade,
        })
        .collect();
    Ok(Json(CouponChangesResponse { total_count, currency: CURRENCY, records }))
}

// ---- B2.6.1 list_order_coupons_by_order_id ----

#[derive(Deserialize, Default)]
pub struct OrderCouponsQuery {
    order_id: Option<String>,
}

/// `CouponInfoV2`: a coupon that may pay a pending order.
#[derive(Serialize)]
struct OrderCoupon {
    coupon_id: String,
    coupon_code: String,
    status: i32,
    coupon_type: i32,
    measure_id: i32,
    face_value: Amount,
    effective_time: String,
    expire_time: String,
    plan_name: String,
    plan_desc: String,
    use_limits: Vec<UseLimit>,
    active_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_used_time: Option<String>,
    create_time: String,
    coupon_version: i32,
    balance: Amount,
    #[serde(skip_serializing_if = "Option::is_none")]
    used_by_order_id: Option<String>,
    coupon_group: i32,
}

/// `CouponMaxUseQuantity`.
#[derive(Serialize)]
struct MaxUseQuantity {
    coupon_type: i32,
    coupon_group: i32,
    use_quantity_value: i32,
}

#[derive(Serialize)]
pub struct OrderCouponsResponse {
    count: usize,
    user_coupons: Vec<OrderCoupon>,
    coupon_max_use_quantity: Vec<MaxUseQuantity>,
}

/// `GET /v2/orders/customer-orders/order-coupons` (B2.6.1): the cash coupons that may pay a
/// pending order (R-CPN-02, R-CPN-06): its partner's available coupons for its customer or for
/// all, applying to every product of the order, that no other order holds; none for a referral
/// or direct customer's order. At most one is used per order.
pub async fn list_order_coupons_by_order_id(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    BssQuery(q): BssQuery<OrderCouponsQuery>,
) -> Result<Json<OrderCouponsResponse>, ApiError> {
    let id = wire::required("order_id", &q.order_id, 64)?;
    let order = opc_core::ops::orders::order_id(id)?;
    let offered = opc_core::ops::orders::coupon_offers(&ctx, &principal, &order).await?;
    let now = ctx.clock.now();
    let user_coupons: Vec<OrderCoupon> = offered
        .iter()
        .map(|c| OrderCoupon {
            coupon_id: c.id.clone(),
            coupon_code: c.id.clone(),
            status: c.status(now).code(),
            coupon_type: 1,
            measure_id: MEASURE_ID,
            face_value: Amount(c.face_value),
            effective_time: time(c.validity.from),
            expire_time: time(c.validity.to),
            plan_name: coupons::coupon_source(c).to_owned(),
            plan_desc: c.memo.clone(),
            use_limits: use_limits(c),
            active_time: time(c.created_at),
            last_used_time: c.last_used_at.map(time),
            create_time: time(c.created_at),
            coupon_version: 2,
            balance: Amount(c.balance),
            used_by_order_id: c.held_by.clone(),
            coupon_group: 0,
        })
        .collect();
    Ok(Json(OrderCouponsResponse {
        count: user_coupons.len(),
        user_coupons,
        coupon_max_use_quantity: vec![MaxUseQuantity { coupon_type: 1, coupon_group: 0, use_quantity_value: 1 }],
    }))
}
