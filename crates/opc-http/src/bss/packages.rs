//! Resource packages (issue #16): B1.7.2 `list_free_resource_infos`, B1.7.3
//! `list_free_resource_usages`, B1.8.4 `list_free_resources_usage_records`; and the
//! 95th-percentile bandwidth (R-ORD-07): B2.8.4 `list_resource_usage`, B2.8.5
//! `list_resource_usage_summary` (BssClient only). All five are the signing customer's own; a
//! partner's signature is refused (CBC.0151).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use opc_core::ops::packages::{self, BandwidthMonth, BandwidthQuery, PackageView};
use opc_core::store::{PackageFilter, PackageRecordQuery};
use opc_core::Context;
use opc_domain::catalog::Catalog;
use opc_domain::package::{quantity_text, PackageStatus, Reset};
use opc_domain::rating::Quantity;
use opc_domain::{AccountId, Millis, Money, Timestamp};
use serde::{Deserialize, Serialize};

use super::coupons::{paging, time};
use super::partner_bills::month;
use super::products::english;
use super::wire::{self, non_empty, Amount};
use crate::error::ApiError;
use crate::extract::{AuthenticatedCustomer, BssJson, BssQuery};

/// `status (resource package)`.
fn status_code(s: PackageStatus) -> i32 {
    match s {
        PackageStatus::NotYetEffective => 0,
        PackageStatus::InEffect => 1,
        PackageStatus::UsedUp => 2,
        PackageStatus::Expired => 3,
        PackageStatus::Unsubscribed => 4,
    }
}

fn parse_status(code: Option<i64>) -> Result<Option<PackageStatus>, ApiError> {
    Ok(match code {
        None => None,
        Some(0) => Some(PackageStatus::NotYetEffective),
        Some(1) => Some(PackageStatus::InEffect),
        Some(2) => Some(PackageStatus::UsedUp),
        Some(3) => Some(PackageStatus::Expired),
        Some(4) => Some(PackageStatus::Unsubscribed),
        Some(_) => return Err(ApiError::invalid("status", "must be 0, 1, 2, 3 or 4")),
    })
}

/// `quota_reuse_mode`: 1 resettable, 2 not.
fn reuse_mode(r: Reset) -> i32 {
    match r {
        Reset::Monthly => 1,
        Reset::Never => 2,
    }
}

fn amount(q: Quantity) -> Amount {
    Amount(Money::from_e8(q.e8()).unwrap_or(Money::MAX))
}

fn usage_type_name(catalog: &Catalog, resource_type: &str, usage_type: &str, english: bool) -> String {
    catalog
        .usage_types
        .iter()
        .find(|u| u.resource_type == resource_type && u.code == usage_type)
        .map_or_else(|| usage_type.to_owned(), |u| u.name.get(english).to_owned())
}

#[derive(Deserialize, Default)]
pub struct InfosRequest {
    region_code: Option<String>,
    order_id: Option<String>,
    product_id: Option<String>,
    product_name: Option<String>,
    enterprise_project_id: Option<String>,
    status: Option<i64>,
    offset: Option<i64>,
    limit: Option<i64>,
    service_type_code_list: Option<Vec<String>>,
}

/// `ListFreeResourceInfosResponse`.
#[derive(Serialize)]
pub struct InfosResponse {
    free_resource_packages: Vec<FreeResourcePackageV3>,
    total_count: u64,
}

#[derive(Serialize)]
struct FreeResourcePackageV3 {
    order_instance_id: String,
    order_id: String,
    product_id: String,
    product_name: String,
    enterprise_project_id: String,
    enterprise_project_scope: i32,
    effective_time: String,
    expire_time: String,
    status: i32,
    service_type_code: String,
    service_type_name: String,
    region_code: String,
    source_type: i32,
    bundle_type: &'static str,
    quota_reuse_mode: i32,
    free_resources: Vec<FreeResourceV3>,
}

#[derive(Serialize)]
struct FreeResourceV3 {
    free_resource_id: String,
    usage_type_name: String,
    amount: String,
    original_amount: String,
    measure_id: i32,
}

fn package_v3(v: PackageView, catalog: &Catalog, english: bool) -> FreeResourcePackageV3 {
    let p = v.package;
    FreeResourcePackageV3 {
        free_resources: vec![FreeResourceV3 {
            free_resource_id: p.id.clone(),
            usage_type_name: usage_type_name(catalog, &p.grant.resource_type, &p.grant.usage_type, english),
            amount: quantity_text(v.remaining),
            original_amount: quantity_text(p.grant.amount),
            measure_id: p.grant.measure_id,
        }],
        order_instance_id: p.id,
        order_id: p.order_id,
        product_id: p.product_id,
        product_name: p.product_name,
        // Packages apply to every enterprise project (none exist).
        enterprise_project_id: "0".into(),
        enterprise_project_scope: 0,
        effective_time: time(p.effective),
        expire_time: time(p.expire),
        status: status_code(v.status),
        service_type_name: catalog
            .service_type(&p.service_type)
            .map_or_else(|| p.service_type.clone(), |s| s.name.get(english).to_owned()),
        service_type_code: p.service_type,
        region_code: p.region,
        // Bought by order, one usage type each.
        source_type: 0,
        bundle_type: "ATOMIC_PKG",
        quota_reuse_mode: reuse_mode(p.grant.reset),
    }
}

fn opt(field: &str, value: &Option<String>, max: usize) -> Result<Option<String>, ApiError> {
    Ok(wire::max_chars(field, non_empty(value), max)?.map(str::to_owned))
}

/// `POST /v3/payments/free-resources/query` (B1.7.2): the signer's packages, oldest first.
/// `enterprise_project_id` selects nothing: every package applies to all enterprise projects.
pub async fn list_free_resource_infos(
    State(ctx): State<Context>,
    headers: HeaderMap,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssJson(r): BssJson<InfosRequest>,
) -> Result<Json<InfosResponse>, ApiError> {
    opt("enterprise_project_id", &r.enterprise_project_id, 64)?;
    let service_types = r.service_type_code_list.unwrap_or_default();
    if service_types.len() > 100 || service_types.iter().any(|s| s.chars().count() > 64) {
        return Err(ApiError::invalid("service_type_code_list", "lists at most 100 codes of 64 characters"));
    }
    let filter = PackageFilter {
        region: opt("region_code", &r.region_code, 64)?,
        order_id: opt("order_id", &r.order_id, 64)?,
        product_id: opt("product_id", &r.product_id, 128)?,
        product_name: opt("product_name", &r.product_name, 256)?,
        service_types: service_types.into_iter().filter(|s| !s.is_empty()).collect(),
        ids: None,
    };
    let status = parse_status(r.status)?;
    let paged = paging(r.offset, r.limit)?;
    let (list, total_count) = packages::packages_of(&ctx, &principal, &filter, status, paged).await?;
    let (_, catalog) = opc_core::ops::catalog::current(&ctx).await?;
    let english = english(&headers);
    Ok(Json(InfosResponse {
        total_count,
        free_resource_packages: list.into_iter().map(|v| package_v3(v, &catalog, english)).collect(),
    }))
}

#[derive(Deserialize, Default)]
pub struct UsagesRequest {
    free_resource_ids: Option<Vec<String>>,
}

/// `ListFreeResourceUsagesResponse`.
#[derive(Serialize)]
pub struct UsagesResponse {
    free_resources: Vec<FreeResourceDetail>,
}

#[derive(Serialize)]
struct FreeResourceDetail {
    free_resource_id: String,
    free_resource_type_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    quota_reuse_cycle: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quota_reuse_cycle_type: Option<i32>,
    usage_type_name: String,
    start_time: String,
    end_time: String,
    amount: Amount,
    original_amount: Amount,
    measure_id: i32,
}

/// The most ids one query names.
const IDS_MAX: usize = 100;

/// `POST /v2/payments/free-resources/usages/details/query` (B1.7.3): the remaining quantity of
/// each of the signer's packages named, in its current period; ids that are not the signer's
/// are left out.
pub async fn list_free_resource_usages(
    State(ctx): State<Context>,
    headers: HeaderMap,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssJson(r): BssJson<UsagesRequest>,
) -> Result<Json<UsagesResponse>, ApiError> {
    let ids = r.free_resource_ids.ok_or_else(|| ApiError::invalid("free_resource_ids", "is required"))?;
    if ids.is_empty() || ids.len() > IDS_MAX {
        return Err(ApiError::invalid("free_resource_ids", format!("lists 1 to {IDS_MAX} ids")));
    }
    if ids.iter().any(|id| id.is_empty() || id.len() > 64) {
        return Err(ApiError::invalid("free_resource_ids", "each id is 1 to 64 bytes"));
    }
    let found = packages::package_items(&ctx, &principal, &ids).await?;
    let (_, catalog) = opc_core::ops::catalog::current(&ctx).await?;
    let english = english(&headers);
    let free_resources = found
        .into_iter()
        .map(|v| {
            let p = &v.package;
            let (cycle, cycle_type) = match p.grant.reset {
                // A month, reset on the natural month (the billing month).
                Reset::Monthly => (Some(4), Some(1)),
                Reset::Never => (None, None),
            };
            let name = usage_type_name(&catalog, &p.grant.resource_type, &p.grant.usage_type, english);
            FreeResourceDetail {
                free_resource_id: p.id.clone(),
                free_resource_type_name: catalog
                    .resource_type(&p.grant.resource_type)
                    .map_or_else(|| p.grant.resource_type.clone(), |t| t.name.get(english).to_owned()),
                quota_reuse_cycle: cycle,
                quota_reuse_cycle_type: cycle_type,
                usage_type_name: name,
                start_time: time(v.period.0),
                end_time: time(v.period.1),
                amount: amount(v.remaining),
                original_amount: amount(p.grant.amount),
                measure_id: p.grant.measure_id,
            }
        })
        .collect();
    Ok(Json(UsagesResponse { free_resources }))
}

#[derive(Deserialize, Default)]
pub struct RecordsQuery {
    free_resource_id: Option<String>,
    product_id: Option<String>,
    resource_type_code: Option<String>,
    deduct_time_begin: Option<String>,
    deduct_time_end: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// `ListFreeResourcesUsageRecordsResponse`.
#[derive(Serialize)]
pub struct RecordsResponse {
    free_resource_records: Vec<FreeResourceRecord>,
    total_count: u64,
}

#[derive(Serialize)]
struct FreeResourceRecord {
    deduct_time: String,
    free_resource_id: String,
    resource_id: String,
    resource_type_code: String,
    resource_type_name: String,
    resource_tag: String,
    product_id: String,
    product_name: String,
    usage_type_code: String,
    available_amount: String,
    remaining_amount: String,
    used_amount: String,
    measure_id: i32,
    effective_time: String,
    expire_time: String,
}

/// The start (UTC) of a `YYYY-MM-DD` day in the billing time zone.
fn day_start(field: &'static str, value: &Option<String>, offset: Millis) -> Result<Timestamp, ApiError> {
    let text = non_empty(value).ok_or_else(|| ApiError::invalid(field, "is required"))?;
    Ok(Timestamp::from_unix_ms(super::costs::parse_day(field, text)? * 86_400_000 - offset.0))
}

/// The longest span of `deduct_time_begin` to `deduct_time_end`, in days.
const RECORD_DAYS_MAX: i64 = 90;

/// `GET /v2/bills/customer-bills/free-resources-usage-records` (B1.8.4): what the signer's
/// usage took from its packages, newest first, between two days of the billing time zone
/// (both included, at most 90 days apart).
pub async fn list_free_resources_usage_records(
    State(ctx): State<Context>,
    headers: HeaderMap,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssQuery(q): BssQuery<RecordsQuery>,
) -> Result<Json<RecordsResponse>, ApiError> {
    let zone = ctx.policy.billing_offset;
    let from = day_start("deduct_time_begin", &q.deduct_time_begin, zone)?;
    let last = day_start("deduct_time_end", &q.deduct_time_end, zone)?;
    if last < from {
        return Err(ApiError::invalid("deduct_time_end", "must not be before deduct_time_begin"));
    }
    if last.since(from).0 > Millis::days(RECORD_DAYS_MAX).0 {
        return Err(ApiError::invalid("deduct_time_end", "must be at most 90 days after deduct_time_begin"));
    }
    let (offset, limit) = paging(q.offset, q.limit)?;
    let query = PackageRecordQuery {
        customer: AccountId::from_random([0; 16]),
        package: opt("free_resource_id", &q.free_resource_id, 64)?,
        product_id: opt("product_id", &q.product_id, 128)?,
        resource_type: opt("resource_type_code", &q.resource_type_code, 64)?,
        from,
        to: last.plus(Millis::days(1)),
        offset,
        limit,
    };
    let (records, total_count) = packages::package_records(&ctx, &principal, query).await?;
    let (_, catalog) = opc_core::ops::catalog::current(&ctx).await?;
    let english = english(&headers);
    let free_resource_records = records
        .into_iter()
        .map(|r| {
            let d = r.deduction;
            // The hour the record was metered in.
            let hour = Timestamp::from_unix_ms(opc_domain::usage::hour_of(d.at));
            FreeResourceRecord {
                deduct_time: time(d.at),
                free_resource_id: d.package,
                resource_type_name: catalog
                    .resource_type(&d.resource_type)
                    .map_or_else(|| d.resource_type.clone(), |t| t.name.get(english).to_owned()),
                resource_id: d.resource_id,
                resource_type_code: d.resource_type,
                resource_tag: String::new(),
                product_id: r.product_id,
                product_name: r.product_name,
                usage_type_code: d.usage_type,
                available_amount: quantity_text(d.available),
                remaining_amount: quantity_text(d.remaining),
                used_amount: quantity_text(d.used),
                measure_id: d.measure_id,
                effective_time: time(hour),
                expire_time: time(d.at),
            }
        })
        .collect();
    Ok(Json(RecordsResponse { free_resource_records, total_count }))
}

// ---------------------------------------------------------------------------------------------
// R-ORD-07: 95th-percentile bandwidth (BssClient only).

const SERVICE_TYPES_95: [&str; 4] =
    ["hws.service.type.cdn", "hws.service.type.obs", "hws.service.type.vpc", "hws.service.type.iec"];
const RESOURCE_TYPES_95: [&str; 4] = [
    "hws.resource.type.cdn",
    "hws.resource.type.obs",
    "hws.resource.type.bandwidth",
    "hws.resource.type.edgebandwidth",
];
const USAGE_TYPES_95: [&str; 4] = ["95Peak", "95peak_1000", "bandwidth95peak", "95peak_plus"];

fn one_of(field: &str, value: &Option<String>, allowed: &[&str]) -> Result<String, ApiError> {
    let text = non_empty(value).ok_or_else(|| ApiError::invalid(field, "is required"))?;
    if allowed.contains(&text) {
        Ok(text.to_owned())
    } else {
        Err(ApiError::invalid(field, format!("must be one of {}", allowed.join(", "))))
    }
}

#[derive(Deserialize, Default)]
pub struct UsageQuery {
    bill_cycle: Option<String>,
    service_type_code: Option<String>,
    resource_type_code: Option<String>,
    usage_type: Option<String>,
    resource_id: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

fn bandwidth_query(q: &UsageQuery) -> Result<BandwidthQuery, ApiError> {
    Ok(BandwidthQuery {
        cycle: month("bill_cycle", &q.bill_cycle)?,
        service_type: one_of("service_type_code", &q.service_type_code, &SERVICE_TYPES_95)?,
        resource_type: one_of("resource_type_code", &q.resource_type_code, &RESOURCE_TYPES_95)?,
        usage_type: one_of("usage_type", &q.usage_type, &USAGE_TYPES_95)?,
    })
}

/// `ListResourceUsageResponse`.
#[derive(Serialize)]
pub struct UsageResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    actual_days: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    band_width: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    band_width_measure_id: Option<i32>,
    total_count: u64,
    usage_info_list: Vec<StatUsageInfo>,
}

#[derive(Serialize)]
struct StatUsageInfo {
    stat_time: String,
    usage: String,
    measure_id: i32,
}

/// `GET /v2/bills/customer-bills/resources/usage/details` (B2.8.4): one of the signer's
/// resources in a month: its 5-minute samples (paged, oldest first), the days sampled and —
/// once the month is over — the bandwidth billed, its 95th percentile (R-ORD-07). A resource
/// that is not the signer's has no samples.
pub async fn list_resource_usage(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssQuery(q): BssQuery<UsageQuery>,
) -> Result<Json<UsageResponse>, ApiError> {
    let query = bandwidth_query(&q)?;
    let resource = wire::required("resource_id", &q.resource_id, 64)?;
    let (offset, limit) = paging(q.offset, q.limit)?;
    let month = packages::usage_details(&ctx, &principal, &query, resource).await?;
    let Some(BandwidthMonth { samples, billed, actual_days, measure_id, .. }) = month else {
        return Ok(Json(UsageResponse {
            actual_days: None,
            band_width: None,
            band_width_measure_id: None,
            total_count: 0,
            usage_info_list: vec![],
        }));
    };
    let total_count = samples.len() as u64;
    let usage_info_list = samples
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|s| StatUsageInfo { stat_time: time(s.at), usage: quantity_text(s.usage), measure_id: s.measure_id })
        .collect();
    Ok(Json(UsageResponse {
        actual_days: Some(actual_days),
        band_width_measure_id: billed.map(|_| measure_id),
        band_width: billed.map(quantity_text),
        total_count,
        usage_info_list,
    }))
}

/// `ListResourceUsageSummaryResponse`.
#[derive(Serialize)]
pub struct SummaryResponse {
    total_count: u64,
    summary_usage_info_list: Vec<StatUsageSummaryInfo>,
}

#[derive(Serialize)]
struct StatUsageSummaryInfo {
    resource_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    actual_days: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    band_width: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    band_width_measure_id: Option<i32>,
}

/// `GET /v2/bills/customer-bills/resources/usage/summary` (B2.8.5): the signer's resources
/// sampled in a month, by id; once the month is over, each with its days sampled and the
/// bandwidth billed (R-ORD-07); before, the ids alone.
pub async fn list_resource_usage_summary(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssQuery(q): BssQuery<UsageQuery>,
) -> Result<Json<SummaryResponse>, ApiError> {
    let query = bandwidth_query(&q)?;
    let (offset, limit) = paging(q.offset, q.limit)?;
    let months = packages::usage_summary(&ctx, &principal, &query).await?;
    let total_count = months.len() as u64;
    let summary_usage_info_list = months
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|m| StatUsageSummaryInfo {
            actual_days: m.billed.map(|_| m.actual_days.clone()),
            band_width_measure_id: m.billed.map(|_| m.measure_id),
            band_width: m.billed.map(quantity_text),
            resource_id: m.resource_id,
        })
        .collect();
    Ok(Json(SummaryResponse { total_count, summary_usage_info_list }))
}
