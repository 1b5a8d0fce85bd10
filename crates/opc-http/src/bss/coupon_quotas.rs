//! Coupon quotas down the channel (B2.5): a distributor issues and reclaims its resellers'
//! quotas, and a partner lists its quotas and their records. The coupons issued from them are
//! in [`super::coupons`].

use axum::extract::State;
use axum::Json;
use opc_core::ops::coupons::{self, QuotaFilter, QuotaView};
use opc_core::store::QuotaEntryQuery;
use opc_core::Context;
use opc_domain::coupon::QuotaEntryKind;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::coupons::{cents, ids, limit_infos, paging, range, split, time, ErrorDetail, LimitInfo, CURRENCY};
use super::wire::{self, non_empty, Amount, MEASURE_ID};
use crate::error::ApiError;
use crate::extract::{Authenticated, BssJson, BssQuery};

#[derive(Deserialize, Default)]
pub struct IssueQuotasReq {
    quota_id: Option<String>,
    indirect_partner_ids: Option<Vec<String>>,
    quota_amount: Option<Box<RawValue>>,
}

#[derive(Serialize)]
pub struct IssueQuotasResponse {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    error_details: Vec<ErrorDetail>,
    simple_quota_infos: Vec<QuotaSimpleInfo>,
}

#[derive(Serialize)]
struct QuotaSimpleInfo {
    id: String,
    quota_id: String,
}

/// `POST /v2/partners/coupon-quotas/indirect-partner-adjust` (B2.5.11).
pub async fn update_coupon_quotas(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<IssueQuotasReq>,
) -> Result<Json<IssueQuotasResponse>, ApiError> {
    let quota = wire::required("quota_id", &req.quota_id, 64)?;
    let resellers = ids("indirect_partner_ids", &req.indirect_partner_ids, opc_domain::coupon::MAX_CUSTOMERS)?;
    let amount = cents("quota_amount", &req.quota_amount)?;
    let (done, error_details) = split(coupons::issue_quotas(&ctx, &caller, quota, &resellers, amount).await?);
    let simple_quota_infos = done
        .into_iter()
        .map(|(reseller, quota_id)| QuotaSimpleInfo { id: reseller.as_str().to_owned(), quota_id })
        .collect();
    Ok(Json(IssueQuotasResponse { error_details, simple_quota_infos }))
}

#[derive(Deserialize, Default)]
pub struct ReclaimQuotasReq {
    quota_ids: Option<Vec<String>>,
    remark: Option<String>,
}

#[derive(Serialize)]
pub struct ReclaimQuotasResponse {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    error_details: Vec<ErrorDetail>,
    simple_quota_infos: Vec<QuotaReclaim>,
}

#[derive(Serialize)]
struct QuotaReclaim {
    quota_id: String,
    quota_balance: Amount,
}

/// `POST /v2/partners/coupon-quotas/indirect-partner-reclaim` (B2.5.9).
pub async fn reclaim_coupon_quotas(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<ReclaimQuotasReq>,
) -> Result<Json<ReclaimQuotasResponse>, ApiError> {
    let quotas = ids("quota_ids", &req.quota_ids, opc_domain::coupon::MAX_CUSTOMERS)?;
    let remark = wire::max_chars("remark", req.remark.as_deref(), 200)?.unwrap_or_default();
    let (done, error_details) = split(coupons::reclaim_quotas(&ctx, &caller, &quotas, remark).await?);
    let simple_quota_infos =
        done.into_iter().map(|(quota_id, balance)| QuotaReclaim { quota_id, quota_balance: Amount(balance) }).collect();
    Ok(Json(ReclaimQuotasResponse { error_details, simple_quota_infos }))
}

// ---- B2.5.7 list_quota_coupons, B2.5.4 list_issued_coupon_quotas ----

#[derive(Deserialize, Default)]
pub struct QuotasReq {
    quota_ids: Option<Vec<String>>,
    quota_status_list: Option<Vec<i32>>,
    quota_type: Option<i64>,
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

/// `CouponQuotaV2` (and, with the reseller's fields, `IssuedCouponQuota`).
#[derive(Serialize)]
struct QuotaItem {
    quota_id: String,
    quota_type: i32,
    create_time: String,
    last_update_time: String,
    quota_value: Amount,
    quota_status: i32,
    balance: Amount,
    measure_id: i32,
    currency: &'static str,
    effective_time: String,
    expire_time: String,
    limit_infos: Vec<LimitInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    indirect_partner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    indirect_partner_account_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    indirect_partner_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_quota_id: Option<String>,
}

fn quota_item(v: QuotaView, issued: bool) -> QuotaItem {
    let q = v.quota;
    QuotaItem {
        quota_type: 0,
        create_time: time(q.created_at),
        last_update_time: time(q.updated_at),
        quota_value: Amount(q.value),
        quota_status: v.status.code(),
        balance: Amount(q.balance),
        measure_id: MEASURE_ID,
        currency: CURRENCY,
        effective_time: time(q.validity.from),
        expire_time: time(q.validity.to),
        limit_infos: limit_infos(&q.limits),
        indirect_partner_id: issued.then(|| q.partner.as_str().to_owned()),
        indirect_partner_account_name: issued.then_some(v.holder_account_name),
        indirect_partner_name: issued.then_some(v.holder_name),
        parent_quota_id: if issued { q.parent.clone() } else { None },
        quota_id: q.id,
    }
}

#[derive(Serialize)]
pub struct QuotasResponse {
    total_count: u64,
    quotas: Vec<QuotaItem>,
}

/// `POST /v2/partners/coupon-quotas/query` (B2.5.7). Only cash-coupon quotas (`quota_type` 0)
/// exist; asking for type 1 answers none.
pub async fn list_quota_coupons(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<QuotasReq>,
) -> Result<Json<QuotasResponse>, ApiError> {
    let quota_type = wire::int_in("quota_type", req.quota_type, 0, 1, 0)?;
    let (offset, limit) = paging(req.offset, req.limit)?;
    let statuses = req.quota_status_list.clone().unwrap_or_default();
    if statuses.iter().any(|s| ![0, 3, 4, 5].contains(s)) {
        return Err(ApiError::invalid("quota_status_list", "each status is 0, 3, 4 or 5"));
    }
    let filter = QuotaFilter {
        ids: req.quota_ids.clone().unwrap_or_default(),
        statuses,
        created: range(("create_time_begin", "create_time_end"), (&req.create_time_begin, &req.create_time_end))?,
        effective: range(
            ("effective_time_begin", "effective_time_end"),
            (&req.effective_time_begin, &req.effective_time_end),
        )?,
        expire: range(("expire_time_begin", "expire_time_end"), (&req.expire_time_begin, &req.expire_time_end))?,
        offset,
        limit,
        ..QuotaFilter::default()
    };
    let indirect = wire::indirect_partner(&req.indirect_partner_id)?;
    let (views, total) = coupons::quotas(&ctx, &caller, indirect, &filter).await?;
    if quota_type != 0 {
        return Ok(Json(QuotasResponse { total_count: 0, quotas: vec![] }));
    }
    Ok(Json(QuotasResponse { total_count: total, quotas: views.into_iter().map(|v| quota_item(v, false)).collect() }))
}

#[derive(Deserialize, Default)]
pub struct IssuedQuotasQuery {
    quota_id: Option<String>,
    indirect_partner_id: Option<String>,
    parent_quota_id: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// `GET /v2/partners/issued-coupon-quotas` (B2.5.4).
pub async fn list_issued_coupon_quotas(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssQuery(q): BssQuery<IssuedQuotasQuery>,
) -> Result<Json<QuotasResponse>, ApiError> {
    let (offset, limit) = paging(q.offset, q.limit)?;
    let filter = QuotaFilter {
        ids: wire::max_chars("quota_id", non_empty(&q.quota_id), 64)?.map(str::to_owned).into_iter().collect(),
        parent: wire::max_chars("parent_quota_id", q.parent_quota_id.as_deref(), 64)?.map(str::to_owned),
        reseller: wire::max_chars("indirect_partner_id", non_empty(&q.indirect_partner_id), 64)?.map(str::to_owned),
        offset,
        limit,
        ..QuotaFilter::default()
    };
    let (views, total) = coupons::issued_quotas(&ctx, &caller, &filter).await?;
    Ok(Json(QuotasResponse { total_count: total, quotas: views.into_iter().map(|v| quota_item(v, true)).collect() }))
}

// ---- B2.5.2 list_coupon_quotas_records, B2.5.6 list_partner_coupons_record ----

#[derive(Deserialize, Default)]
pub struct QuotaRecordsQuery {
    indirect_partner_id: Option<String>,
    quota_id: Option<String>,
    operation_time_begin: Option<String>,
    operation_time_end: Option<String>,
    parent_quota_id: Option<String>,
    operation_type: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

#[derive(Serialize)]
struct QuotaRecord {
    id: String,
    operator: String,
    operation_type: &'static str,
    quota_id: String,
    parent_quota_id: String,
    amount: Amount,
    operation_time: String,
    result: &'static str,
    indirect_partner_account_name: String,
    indirect_partner_id: String,
    indirect_partner_name: String,
    remark: String,
}

#[derive(Serialize)]
pub struct QuotaRecordsResponse {
    total_count: u64,
    records: Vec<QuotaRecord>,
}

/// `GET /v2/partners/coupon-quotas/records` (B2.5.2): the distributor's issues (10) and
/// reclaims (11) of its resellers' quotas, one record per movement, on the reseller's quota.
pub async fn list_coupon_quotas_records(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssQuery(q): BssQuery<QuotaRecordsQuery>,
) -> Result<Json<QuotaRecordsResponse>, ApiError> {
    let (offset, limit) = paging(q.offset, q.limit)?;
    let (from, to) =
        range(("operation_time_begin", "operation_time_end"), (&q.operation_time_begin, &q.operation_time_end))?;
    let kinds = match non_empty(&q.operation_type) {
        Some("10") => vec![QuotaEntryKind::QuotaIssue],
        Some("11") => vec![QuotaEntryKind::QuotaReclaim],
        // Any other value is not a filter (B2.5.2).
        _ => vec![QuotaEntryKind::QuotaIssue, QuotaEntryKind::QuotaReclaim],
    };
    let holder = wire::max_chars("indirect_partner_id", non_empty(&q.indirect_partner_id), 64)?;
    let holder = match holder.map(opc_domain::PartnerId::parse) {
        Some(Ok(p)) => Some(p),
        Some(Err(_)) => return Ok(Json(QuotaRecordsResponse { total_count: 0, records: vec![] })),
        None => None,
    };
    let query = QuotaEntryQuery {
        partner: caller.partner.id().clone(),
        children: true,
        kinds,
        quota: wire::max_chars("quota_id", non_empty(&q.quota_id), 64)?.map(str::to_owned),
        parent: wire::max_chars("parent_quota_id", non_empty(&q.parent_quota_id), 64)?.map(str::to_owned),
        holder,
        coupons: vec![],
        customer: None,
        from,
        to,
        offset,
        limit,
    };
    let (views, total) = coupons::quota_records(&ctx, &caller, None, query).await?;
    let mut records = Vec::with_capacity(views.len());
    for v in views {
        let (name, account) = coupons::partner_names(&ctx, &v.holder).await?;
        records.push(QuotaRecord {
            operation_type: if v.entry.kind == QuotaEntryKind::QuotaIssue { "10" } else { "11" },
            quota_id: v.entry.quota.clone(),
            parent_quota_id: v.parent.clone().unwrap_or_default(),
            amount: Amount(v.entry.amount.abs()),
            operation_time: time(v.entry.at),
            result: "0",
            indirect_partner_account_name: account,
            indirect_partner_id: v.holder.as_str().to_owned(),
            indirect_partner_name: name,
            remark: v.entry.remark.clone(),
            operator: v.entry.operator.clone(),
            id: v.entry.id,
        });
    }
    Ok(Json(QuotaRecordsResponse { total_count: total, records }))
}
