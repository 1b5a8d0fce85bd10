//! The operator's product catalog (issue #6): import a whole new version, read the current one
//! (the document's format is `opc_store::catalog`; the CLI imports the same document); and the
//! metering feed that ingests pay-per-use usage.

use axum::extract::State;
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Json;
use opc_core::ops::catalog;
use opc_core::ops::packages;
use opc_core::ops::usage;
use opc_core::Context;
use opc_domain::rating::Quantity;
use opc_domain::usage::UsageRecord;
use opc_domain::{AccountId, Timestamp};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use super::{Audience, Body, Endpoint, SignedIn};
use crate::audience::staff_of;
use crate::error::ApiError;
use crate::extract::{ApiJson, LimitedBody};

/// The largest catalog document accepted.
pub const CATALOG_BYTES_MAX: usize = 8 * 1024 * 1024;

fn document_schema() -> Value {
    let names = json!({"name": {"type": "string"}, "name_zh": {"type": "string"}});
    json!({"type": "object", "additionalProperties": false, "properties": {
        "service_types": {"type": "array", "items": {"type": "object", "required": ["code", "name"],
            "properties": {"code": {"type": "string"}, "name": names["name"], "name_zh": names["name_zh"], "abbreviation": {"type": "string"}}}},
        "resource_types": {"type": "array", "items": {"type": "object", "required": ["code", "service_type", "name"],
            "properties": {"code": {"type": "string"}, "service_type": {"type": "string"}, "name": names["name"], "name_zh": names["name_zh"],
                "description": {"type": "string"}, "description_zh": {"type": "string"}}}},
        "usage_types": {"type": "array", "items": {"type": "object", "required": ["code", "resource_type", "name"],
            "properties": {"code": {"type": "string"}, "resource_type": {"type": "string"}, "name": names["name"], "name_zh": names["name_zh"]}}},
        "measure_units": {"type": "array", "items": {"type": "object", "required": ["id", "name", "measure_type"],
            "properties": {"id": {"type": "integer"}, "name": names["name"], "name_zh": names["name_zh"], "abbreviation": {"type": "string"},
                "measure_type": {"type": "integer"}}}},
        "conversions": {"type": "array", "items": {"type": "object", "required": ["measure_id", "ref_measure_id", "ratio", "measure_type"],
            "properties": {"measure_id": {"type": "integer"}, "ref_measure_id": {"type": "integer"}, "ratio": {"type": "integer"},
                "measure_type": {"type": "integer"}}}},
        "specs": {"type": "array", "items": {"type": "object", "required": ["code", "resource_type", "name", "regions"],
            "properties": {"code": {"type": "string"}, "resource_type": {"type": "string"}, "name": names["name"], "name_zh": names["name_zh"],
                "regions": {"type": "array", "items": {"type": "string"}}}}},
        "prices": {"type": "array", "items": {"type": "object", "required": ["spec", "region", "charging_mode", "amount"],
            "properties": {"spec": {"type": "string"}, "region": {"type": "string"},
                "charging_mode": {"type": "string", "enum": ["PERIOD", "ON_DEMAND"]},
                "period_type": {"type": "integer", "enum": [2, 3]}, "period_nums": {"type": "array", "items": {"type": "integer"}},
                "usage_factor": {"type": "string"}, "usage_measure_id": {"type": "integer"},
                "amount": {"type": "string", "description": "USD, a decimal with at most 8 decimals"},
                "package": {"type": "object", "additionalProperties": false,
                    "description": "Yearly/monthly only: the offering is a resource package granting `amount` of `usage_type` \
                        of `resource_type` in `measure_id`, once for its term (`reset` NONE) or each billing month (MONTHLY)",
                    "required": ["resource_type", "usage_type", "measure_id", "amount"],
                    "properties": {"resource_type": {"type": "string"}, "usage_type": {"type": "string"},
                        "measure_id": {"type": "integer"}, "amount": {"type": "string"},
                        "reset": {"type": "string", "enum": ["NONE", "MONTHLY"]}}}}}}}})
}

fn example() -> Value {
    json!({
        "service_types": [{"code": "hws.service.type.ec2", "name": "Elastic Cloud Server", "name_zh": "弹性云服务器", "abbreviation": "ECS"}],
        "resource_types": [{"code": "hws.resource.type.vm", "service_type": "hws.service.type.ec2", "name": "Cloud server"}],
        "usage_types": [{"code": "Duration", "resource_type": "hws.resource.type.vm", "name": "Duration"}],
        "measure_units": [{"id": 4, "name": "hour", "abbreviation": "h", "measure_type": 2}],
        "conversions": [],
        "specs": [{"code": "s6.small.1.linux", "resource_type": "hws.resource.type.vm", "name": "s6.small.1 Linux", "regions": ["ap-southeast-1"]}],
        "prices": [{"spec": "s6.small.1.linux", "region": "ap-southeast-1", "charging_mode": "ON_DEMAND", "usage_factor": "Duration",
            "usage_measure_id": 4, "amount": "0.0125"}]})
}

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/operator/catalog",
            summary: "Import the product catalog as a whole (service, resource and usage types, measure units and \
                conversions, resource specifications, and list prices per region for yearly/monthly and pay-per-use \
                billing). Every problem is reported at once and a bad document changes nothing; a good one becomes \
                the new version that the BSS product APIs serve.",
            audience: Audience::Staff,
            request: Body::Required(document_schema()),
            example: Some(example()),
            responses: &[(200, "The new version."), (400, "Every problem of the document (CBC.0100).")],
            handler: put(import_catalog),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/operator/catalog",
            summary: "The current catalog document and its version (0 and an empty catalog before the first import).",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[(200, "The version and the document.")],
            handler: get(show_catalog),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/usage-records",
            summary: "Ingest a batch of pay-per-use usage records (at most 10,000), rated at list price into the \
                customers' spend (attributed to their partner), which budgets compare with (R-RCM-04). A record \
                whose id was ingested before is skipped, so a replayed batch changes nothing; one bad record \
                refuses the batch, with every problem listed. Then budgets are weighed (notices to the partner at 75, \
                90 and 100 %, once per period; the customer frozen at 100 % when the partner set frozen_operate_type \
                1) and partners' consumption quotas (a notice at 80 %, the restriction beyond it: R-QUOTA-04, -06).",
            audience: Audience::Staff,
            request: Body::Required(
                json!({"type": "object", "required": ["records"], "properties": {"records": {"type": "array",
                "items": {"type": "object", "required": ["id", "customer_id", "resource_id", "cloud_service_type", "resource_type",
                    "resource_spec", "region", "usage_factor", "usage_value", "usage_measure_id", "ended_at"],
                "properties": {"id": {"type": "string"}, "customer_id": {"type": "string"}, "resource_id": {"type": "string"},
                    "cloud_service_type": {"type": "string"}, "resource_type": {"type": "string"}, "resource_spec": {"type": "string"},
                    "region": {"type": "string"}, "usage_factor": {"type": "string"},
                    "usage_value": {"type": "number", "description": "exact, at most 8 decimals"},
                    "usage_measure_id": {"type": "integer"},
                    "ended_at": {"type": "string", "description": "UTC, yyyy-MM-ddTHH:mm:ssZ: the end of the metered period"}}}}}}),
            ),
            example: Some(json!({"records": [{"id": "rec-0001", "customer_id": "0123456789abcdef0123456789abcdef",
                "resource_id": "vm-1", "cloud_service_type": "hws.service.type.ec2", "resource_type": "hws.resource.type.vm",
                "resource_spec": "s6.small.1.linux", "region": "ap-southeast-1", "usage_factor": "Duration",
                "usage_value": 1, "usage_measure_id": 4, "ended_at": "2026-11-23T01:00:00Z"}]})),
            responses: &[
                (200, "{\"accepted\": n, \"duplicates\": m}"),
                (400, "Every problem of the batch (CBC.0100)."),
            ],
            handler: post(ingest_usage),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/bandwidth-samples",
            summary:
                "Ingest 5-minute bandwidth samples (at most 10,000) of the products billed at the 95th percentile \
                (R-ORD-07: CDN, Anti-DDoS, OBS, Live, VPC, Cloud Connect, Direct Connect). A sample is one per \
                customer, resource, usage type and instant: one sent again is kept as it was. One bad sample \
                refuses the batch, with every problem listed.",
            audience: Audience::Staff,
            request: Body::Required(
                json!({"type": "object", "required": ["samples"], "properties": {"samples": {"type": "array",
                "items": {"type": "object", "required": ["customer_id", "resource_id", "cloud_service_type", "resource_type",
                    "resource_spec", "region", "usage_type", "usage_value", "usage_measure_id", "stat_time"],
                "properties": {"customer_id": {"type": "string"}, "resource_id": {"type": "string"},
                    "cloud_service_type": {"type": "string"}, "resource_type": {"type": "string"}, "resource_spec": {"type": "string"},
                    "region": {"type": "string"}, "usage_type": {"type": "string"},
                    "usage_value": {"type": "number", "description": "exact, at most 8 decimals"},
                    "usage_measure_id": {"type": "integer"},
                    "stat_time": {"type": "string", "description": "UTC, yyyy-MM-ddTHH:mm:ssZ"}}}}}}),
            ),
            example: Some(
                json!({"samples": [{"customer_id": "0123456789abcdef0123456789abcdef", "resource_id": "cdn-1",
                "cloud_service_type": "hws.service.type.cdn", "resource_type": "hws.resource.type.cdn",
                "resource_spec": "cdn.95peak", "region": "ap-southeast-1", "usage_type": "95Peak", "usage_value": 12.5,
                "usage_measure_id": 52, "stat_time": "2026-11-23T01:05:00Z"}]}),
            ),
            responses: &[
                (200, "{\"accepted\": n, \"duplicates\": m}"),
                (400, "Every problem of the batch (CBC.0100)."),
            ],
            handler: post(ingest_samples),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/bandwidth-billing",
            summary:
                "Bill a month that is over at the 95th percentile (R-ORD-07): for each resource, the month's samples \
                sorted from the highest, the top 5 % (rounded down) dropped, the highest left prorated by the days \
                sampled (samples / 288 of the month's days) is ingested as one usage record of the month and rated \
                at the pay-per-use price of its spec, region and usage type. Billing a month again changes nothing. \
                Run it before the month's bill run.",
            audience: Audience::Staff,
            request: Body::Required(json!({"type": "object", "required": ["month"], "properties": {
                "month": {"type": "string", "description": "yyyy-MM, in the billing time zone"}}})),
            example: Some(json!({"month": "2026-11"})),
            responses: &[
                (200, "{\"accepted\": n, \"duplicates\": m}"),
                (400, "A bad month, one not over, or a product without a price (CBC.0100)."),
            ],
            handler: post(bill_bandwidth),
        },
    ]
}

#[derive(Deserialize)]
struct SampleIn {
    customer_id: Option<String>,
    resource_id: Option<String>,
    cloud_service_type: Option<String>,
    resource_type: Option<String>,
    resource_spec: Option<String>,
    region: Option<String>,
    usage_type: Option<String>,
    usage_value: Option<Box<RawValue>>,
    usage_measure_id: Option<i64>,
    stat_time: Option<String>,
}

#[derive(Deserialize)]
struct SampleBatchIn {
    samples: Option<Vec<SampleIn>>,
}

impl SampleIn {
    fn sample(self) -> Result<packages::SampleInput, String> {
        Ok(packages::SampleInput {
            customer: required("customer_id", self.customer_id)?,
            resource_id: required("resource_id", self.resource_id)?,
            service_type: required("cloud_service_type", self.cloud_service_type)?,
            resource_type: required("resource_type", self.resource_type)?,
            spec: required("resource_spec", self.resource_spec)?,
            region: required("region", self.region)?,
            usage_type: required("usage_type", self.usage_type)?,
            usage: usage_value(self.usage_value)?,
            measure_id: measure_id(self.usage_measure_id)?,
            at: time("stat_time", self.stat_time)?,
        })
    }
}

/// A text field a record must have; the problem names it.
fn required(field: &str, v: Option<String>) -> Result<String, String> {
    v.filter(|s| !s.is_empty()).ok_or(format!("{field} is required"))
}

/// `usage_value`, an exact number (or its text), at most 8 decimals.
fn usage_value(v: Option<Box<RawValue>>) -> Result<Quantity, String> {
    Quantity::parse(v.as_ref().ok_or("usage_value is required")?.get().trim_matches('"'))
        .map_err(|e| format!("usage_value: {e}"))
}

fn measure_id(v: Option<i64>) -> Result<i32, String> {
    v.and_then(|m| i32::try_from(m).ok()).ok_or_else(|| "usage_measure_id is required".to_owned())
}

fn time(field: &str, v: Option<String>) -> Result<Timestamp, String> {
    Timestamp::parse_rfc3339(&required(field, v)?).map_err(|e| format!("{field}: {e}"))
}

/// A batch's items read, and the problems of those that did not read, by place in the batch.
type ReadBatch<U> = (Vec<(usize, U)>, Vec<(usize, String)>);

/// A batch's items, each read on its own.
fn read_each<T, U>(items: Vec<T>, read: impl Fn(T) -> Result<U, String>) -> ReadBatch<U> {
    let (mut good, mut bad) = (vec![], vec![]);
    for (i, item) in items.into_iter().enumerate() {
        match read(item) {
            Ok(value) => good.push((i, value)),
            Err(problem) => bad.push((i, problem)),
        }
    }
    (good, bad)
}

async fn ingest_samples(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<SampleBatchIn>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    let samples = body.samples.filter(|r| !r.is_empty()).ok_or_else(|| ApiError::invalid("samples", "is required"))?;
    let (good, bad) = read_each(samples, SampleIn::sample);
    let (accepted, duplicates) = packages::ingest_samples(&ctx, staff.email.as_str(), good, bad).await?;
    Ok(Json(json!({"accepted": accepted, "duplicates": duplicates})))
}

#[derive(Deserialize)]
struct BillingIn {
    month: Option<String>,
}

async fn bill_bandwidth(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<BillingIn>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    let month = body.month.filter(|m| !m.is_empty()).ok_or_else(|| ApiError::invalid("month", "is required"))?;
    let cycle = opc_core::ops::bills::parse_month(&month)
        .map_err(|_| ApiError::invalid("month", "must be a month like 2026-03"))?;
    let report = packages::bill_month(&ctx, staff.email.as_str(), cycle).await?;
    Ok(Json(json!({"accepted": report.accepted, "duplicates": report.duplicates})))
}

#[derive(Deserialize)]
struct UsageIn {
    id: Option<String>,
    customer_id: Option<String>,
    resource_id: Option<String>,
    cloud_service_type: Option<String>,
    resource_type: Option<String>,
    resource_spec: Option<String>,
    region: Option<String>,
    usage_factor: Option<String>,
    usage_value: Option<Box<RawValue>>,
    usage_measure_id: Option<i64>,
    ended_at: Option<String>,
}

#[derive(Deserialize)]
struct UsageBatchIn {
    records: Option<Vec<UsageIn>>,
}

impl UsageIn {
    fn record(self) -> Result<UsageRecord, String> {
        Ok(UsageRecord {
            id: required("id", self.id)?,
            customer: AccountId::parse(&required("customer_id", self.customer_id)?)
                .map_err(|e| format!("customer_id: {e}"))?,
            resource_id: required("resource_id", self.resource_id)?,
            service_type: required("cloud_service_type", self.cloud_service_type)?,
            resource_type: required("resource_type", self.resource_type)?,
            spec: required("resource_spec", self.resource_spec)?,
            region: required("region", self.region)?,
            usage_factor: required("usage_factor", self.usage_factor)?,
            usage: usage_value(self.usage_value)?,
            usage_measure_id: measure_id(self.usage_measure_id)?,
            ended_at: time("ended_at", self.ended_at)?,
        })
    }
}

async fn ingest_usage(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<UsageBatchIn>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    let records = body.records.filter(|r| !r.is_empty()).ok_or_else(|| ApiError::invalid("records", "is required"))?;
    let (good, bad) = read_each(records, UsageIn::record);
    let report = usage::ingest(&ctx, staff.email.as_str(), good, bad).await?;
    Ok(Json(json!({"accepted": report.accepted, "duplicates": report.duplicates, "notices": report.notices,
        "frozen": report.frozen, "restricted": report.restricted})))
}

async fn import_catalog(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    LimitedBody(body): LimitedBody<CATALOG_BYTES_MAX>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    let text = std::str::from_utf8(&body).map_err(|_| ApiError::invalid("catalog", "the document is not UTF-8"))?;
    let parsed = opc_store::catalog::parse(text).map_err(catalog::CatalogError::Invalid)?;
    let version = catalog::import(&ctx, &parsed, staff.email.as_str()).await?;
    Ok(Json(json!({"version": version})))
}

async fn show_catalog(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Response, ApiError> {
    staff_of(&user)?;
    let (version, current) = catalog::current(&ctx).await?;
    let body = format!(r#"{{"version":{version},"catalog":{}}}"#, opc_store::catalog::to_json(&current));
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response())
}
