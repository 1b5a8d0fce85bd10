//! B1.9 products: the catalog's service types, resource types, usage types, measure units,
//! conversions, resource specifications and list prices, and price inquiries (ratings) at list
//! price. Partners and customers read them alike; names follow `X-Language` (zh_CN by default,
//! en_US). `project_id` is required as the wire says but not checked: projects are not modelled.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use opc_core::ops::catalog::{self};
use opc_core::Context;
use opc_domain::catalog::{ChargingMode, Price};
use opc_domain::rating::{
    rate_on_demand, rate_on_period, OnDemandInquiry, PeriodInquiry, Precision, Quantity, RatingError,
};
use opc_domain::Money;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::wire::{self, non_empty, Amount};
use crate::error::ApiError;
use crate::extract::{AuthenticatedAny, BssJson, BssQuery};

/// `X-Language`: en_US (any case, `-` or `_`) asks for English; anything else, or none, Chinese.
pub(super) fn english(headers: &HeaderMap) -> bool {
    headers
        .get("x-language")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.replace('-', "_").eq_ignore_ascii_case("en_us"))
}

/// A page of `items` by offset and limit, as the list operations take them.
fn page<T>(items: Vec<T>, offset: Option<i64>, limit: Option<i64>) -> Result<(usize, Vec<T>), ApiError> {
    let offset = wire::int_in("offset", offset, 0, i64::from(i32::MAX), 0)? as usize;
    let limit = wire::int_in("limit", limit, 1, 1000, 10)? as usize;
    let total = items.len();
    Ok((total, items.into_iter().skip(offset).take(limit).collect()))
}

/// `ListServiceTypesResponse`. Fields here and below are in the order the answer has always
/// had: by name.
#[derive(Serialize)]
pub struct ServiceTypesResponse {
    service_types: Vec<ServiceTypeInfo>,
    total_count: usize,
}

/// `ServiceType`.
#[derive(Serialize)]
pub struct ServiceTypeInfo {
    abbreviation: String,
    service_type_code: String,
    service_type_name: String,
}

/// `ListResourceTypesResponse`.
#[derive(Serialize)]
pub struct ResourceTypesResponse {
    resource_types: Vec<ResourceTypeInfo>,
    total_count: usize,
}

/// `ResourceType`.
#[derive(Serialize)]
pub struct ResourceTypeInfo {
    resource_type_code: String,
    resource_type_desc: String,
    resource_type_name: String,
    service_type_code: String,
}

/// `ListServiceResourcesResponse`.
#[derive(Serialize)]
pub struct ServiceResourcesResponse {
    infos: Vec<ServiceResourceInfo>,
    total_count: usize,
}

/// `ServiceResourceInfo`.
#[derive(Serialize)]
pub struct ServiceResourceInfo {
    basic_info: ResourceBasicInfo,
}

/// `ResourceBasicInfo`.
#[derive(Serialize)]
pub struct ResourceBasicInfo {
    description: String,
    name: String,
    product_owner_service: String,
    resource_type_code: String,
}

/// `ListUsageTypesResponse`.
#[derive(Serialize)]
pub struct UsageTypesResponse {
    total_count: usize,
    usage_types: Vec<UsageTypeInfo>,
}

/// `UsageType`.
#[derive(Serialize)]
pub struct UsageTypeInfo {
    code: String,
    name: String,
    resource_type_code: String,
    resource_type_name: Option<String>,
    service_type_code: Option<String>,
    service_type_name: Option<String>,
}

/// `ListMeasureUnitsResponse`.
#[derive(Serialize)]
pub struct MeasureUnitsResponse {
    measure_units: Vec<MeasureUnitInfo>,
}

/// `MeasureUnitRest`.
#[derive(Serialize)]
pub struct MeasureUnitInfo {
    abbreviation: String,
    measure_id: i32,
    measure_name: String,
    measure_type: i32,
}

/// `ListConversionsResponse`.
#[derive(Serialize)]
pub struct ConversionsResponse {
    conversions: Vec<ConversionInfo>,
}

/// `Conversion`.
#[derive(Serialize)]
pub struct ConversionInfo {
    conversion_ratio: i64,
    measure_id: i32,
    measure_type: i32,
    ref_measure_id: i32,
}

/// `PageInfo`: the marker of the next page, if there is one.
#[derive(Serialize)]
pub struct PageInfo {
    next_marker: Option<String>,
}

/// `ListResourceSpecsResponse`.
#[derive(Serialize)]
pub struct ResourceSpecsResponse {
    cloud_service_basics: Vec<CloudServiceBasic>,
    page_info: PageInfo,
}

/// `CloudServiceBasic`.
#[derive(Serialize)]
pub struct CloudServiceBasic {
    charge_mode: &'static str,
    cloud_service_type: String,
    cloud_service_type_name: Option<String>,
    region_code: String,
    resource_spec: String,
    resource_spec_name: String,
    resource_type: String,
    resource_type_name: Option<String>,
}

/// `ListResourceSpecsPriceResponse`.
#[derive(Serialize)]
pub struct ResourceSpecsPriceResponse {
    page_info: PageInfo,
    region_code: String,
    resource_spec_infos: Vec<ResourceSpecInfo>,
}

/// `ResourceSpecInfo`: `attributes` (always empty) when asked for, `price_lists` when asked for.
#[derive(Serialize)]
pub struct ResourceSpecInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    attributes: Option<[(); 0]>,
    cloud_service_type: Option<String>,
    cloud_service_type_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    price_lists: Option<Vec<PriceInfo>>,
    resource_spec: String,
    resource_spec_name: String,
    resource_type: String,
    resource_type_name: Option<String>,
}

/// `PriceInfo`.
#[derive(Serialize)]
pub struct PriceInfo {
    billing_usage_factor: Option<String>,
    charging_mode: &'static str,
    currency: &'static str,
    offering_id: String,
    official_price: String,
    period_nums: Vec<i32>,
    period_type: Option<i32>,
}

/// `ListOnDemandResourceRatingsResponse`.
#[derive(Serialize)]
pub struct OnDemandRatingResponse {
    amount: Amount,
    currency: &'static str,
    discount_amount: Amount,
    measure_id: i32,
    official_website_amount: Amount,
    product_rating_results: Vec<DemandRatingResult>,
}

/// `DemandProductRatingResult`: no discount applies, so `discount_rating_results` is empty.
#[derive(Serialize)]
pub struct DemandRatingResult {
    amount: Amount,
    discount_amount: Amount,
    discount_rating_results: [(); 0],
    id: Option<String>,
    measure_id: i32,
    official_website_amount: Amount,
    product_id: String,
}

/// `ListRateOnPeriodDetailResponse`: no discount is offered, so
/// `optional_discount_rating_results` is empty.
#[derive(Serialize)]
pub struct PeriodRatingResponse {
    currency: &'static str,
    official_website_rating_result: OfficialWebsiteRatingResult,
    optional_discount_rating_results: [(); 0],
}

/// `OfficialWebsiteRatingResult`.
#[derive(Serialize)]
pub struct OfficialWebsiteRatingResult {
    measure_id: i32,
    official_website_amount: Amount,
    product_rating_results: Vec<PeriodRatingResult>,
}

/// `PeriodProductOfficialRatingResult`.
#[derive(Serialize)]
pub struct PeriodRatingResult {
    id: Option<String>,
    measure_id: i32,
    official_website_amount: Amount,
    product_id: String,
}

#[derive(Deserialize, Default)]
pub struct ServiceTypesQuery {
    offset: Option<i64>,
    limit: Option<i64>,
    service_type_name: Option<String>,
}

/// `GET /v2/products/service-types`.
pub async fn list_service_types(
    State(ctx): State<Context>,
    AuthenticatedAny(_): AuthenticatedAny,
    headers: HeaderMap,
    BssQuery(q): BssQuery<ServiceTypesQuery>,
) -> Result<Json<ServiceTypesResponse>, ApiError> {
    let en = english(&headers);
    let name = wire::max_chars("service_type_name", non_empty(&q.service_type_name), 128)?;
    let (_, catalog) = catalog::current(&ctx).await?;
    let (total, items) = page(catalog.service_types_named(name, en), q.offset, q.limit)?;
    let list = items
        .iter()
        .map(|s| ServiceTypeInfo {
            abbreviation: s.abbreviation.clone(),
            service_type_code: s.code.clone(),
            service_type_name: s.name.get(en).to_owned(),
        })
        .collect();
    Ok(Json(ServiceTypesResponse { total_count: total, service_types: list }))
}

#[derive(Deserialize, Default)]
pub struct PagedQuery {
    offset: Option<i64>,
    limit: Option<i64>,
    service_type_code: Option<String>,
    resource_type_code: Option<String>,
}

/// `GET /v2/products/resource-types`.
pub async fn list_resource_types(
    State(ctx): State<Context>,
    AuthenticatedAny(_): AuthenticatedAny,
    headers: HeaderMap,
    BssQuery(q): BssQuery<PagedQuery>,
) -> Result<Json<ResourceTypesResponse>, ApiError> {
    let en = english(&headers);
    let (_, catalog) = catalog::current(&ctx).await?;
    let (total, items) = page(catalog.resource_types.iter().collect(), q.offset, q.limit)?;
    let list = items
        .iter()
        .map(|r| ResourceTypeInfo {
            resource_type_code: r.code.clone(),
            resource_type_desc: r.description.get(en).to_owned(),
            resource_type_name: r.name.get(en).to_owned(),
            service_type_code: r.service_type.clone(),
        })
        .collect();
    Ok(Json(ResourceTypesResponse { total_count: total, resource_types: list }))
}

/// `GET /v2/products/service-resources`: the resource types of one service type.
pub async fn list_service_resources(
    State(ctx): State<Context>,
    AuthenticatedAny(_): AuthenticatedAny,
    headers: HeaderMap,
    BssQuery(q): BssQuery<PagedQuery>,
) -> Result<Json<ServiceResourcesResponse>, ApiError> {
    let en = english(&headers);
    let service =
        non_empty(&q.service_type_code).ok_or_else(|| ApiError::invalid("service_type_code", "is required"))?;
    let (_, catalog) = catalog::current(&ctx).await?;
    let (total, items) = page(catalog.resource_types_of(service), q.offset, q.limit)?;
    let list = items
        .iter()
        .map(|r| ServiceResourceInfo {
            basic_info: ResourceBasicInfo {
                description: r.description.get(en).to_owned(),
                name: r.name.get(en).to_owned(),
                product_owner_service: r.service_type.clone(),
                resource_type_code: r.code.clone(),
            },
        })
        .collect();
    Ok(Json(ServiceResourcesResponse { total_count: total, infos: list }))
}

/// `GET /v2/products/usage-types`.
pub async fn list_usage_types(
    State(ctx): State<Context>,
    AuthenticatedAny(_): AuthenticatedAny,
    headers: HeaderMap,
    BssQuery(q): BssQuery<PagedQuery>,
) -> Result<Json<UsageTypesResponse>, ApiError> {
    let en = english(&headers);
    let (_, catalog) = catalog::current(&ctx).await?;
    let (total, items) = page(catalog.usage_types_of(non_empty(&q.resource_type_code)), q.offset, q.limit)?;
    let list = items
        .iter()
        .map(|u| {
            let resource = catalog.resource_type(&u.resource_type);
            let service = resource.and_then(|r| catalog.service_type(&r.service_type));
            UsageTypeInfo {
                code: u.code.clone(),
                name: u.name.get(en).to_owned(),
                resource_type_code: u.resource_type.clone(),
                resource_type_name: resource.map(|r| r.name.get(en).to_owned()),
                service_type_code: resource.map(|r| r.service_type.clone()),
                service_type_name: service.map(|s| s.name.get(en).to_owned()),
            }
        })
        .collect();
    Ok(Json(UsageTypesResponse { total_count: total, usage_types: list }))
}

/// `GET /v2/bases/measurements`.
pub async fn list_measure_units(
    State(ctx): State<Context>,
    AuthenticatedAny(_): AuthenticatedAny,
    headers: HeaderMap,
) -> Result<Json<MeasureUnitsResponse>, ApiError> {
    let en = english(&headers);
    let (_, catalog) = catalog::current(&ctx).await?;
    let list = catalog
        .measure_units
        .iter()
        .map(|m| MeasureUnitInfo {
            abbreviation: m.abbreviation.clone(),
            measure_id: m.id,
            measure_name: m.name.get(en).to_owned(),
            measure_type: m.measure_type,
        })
        .collect();
    Ok(Json(MeasureUnitsResponse { measure_units: list }))
}

#[derive(Deserialize, Default)]
pub struct ConversionsQuery {
    measure_type: Option<i64>,
}

/// `GET /v2/bases/conversions`.
pub async fn list_conversions(
    State(ctx): State<Context>,
    AuthenticatedAny(_): AuthenticatedAny,
    BssQuery(q): BssQuery<ConversionsQuery>,
) -> Result<Json<ConversionsResponse>, ApiError> {
    let (_, catalog) = catalog::current(&ctx).await?;
    let list = catalog
        .conversions
        .iter()
        .filter(|c| q.measure_type.is_none_or(|t| i64::from(c.measure_type) == t))
        .map(|c| ConversionInfo {
            conversion_ratio: c.ratio,
            measure_id: c.measure_id,
            measure_type: c.measure_type,
            ref_measure_id: c.ref_measure_id,
        })
        .collect();
    Ok(Json(ConversionsResponse { conversions: list }))
}

#[derive(Deserialize, Default)]
pub struct SpecFilter {
    key: Option<String>,
    value: Option<String>,
}

/// The one filter the spec queries take: `RESOURCE_SPEC` (and, for prices, `CHARGING_MODE`).
fn filter<'a>(filters: &'a Option<Vec<SpecFilter>>, allowed: &[&str]) -> Result<Option<(&'a str, &'a str)>, ApiError> {
    let filters = filters.as_deref().unwrap_or_default();
    if filters.len() > 1 {
        return Err(ApiError::invalid("filters", "at most one filter"));
    }
    filters
        .first()
        .map(|f| match (f.key.as_deref(), f.value.as_deref()) {
            (Some(k), Some(v)) if allowed.contains(&k) && !v.is_empty() => Ok((k, v)),
            _ => Err(ApiError::invalid("filters", format!("key must be {} with a value", allowed.join(" or ")))),
        })
        .transpose()
}

/// A page by marker (the offset as text, as the spec queries page).
fn marker_page<T>(
    items: Vec<T>,
    marker: Option<&str>,
    limit: Option<i64>,
    max: i64,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let start = match marker {
        None => 0,
        Some(m) => m.parse::<usize>().map_err(|_| ApiError::invalid("marker", "is not a marker this API returned"))?,
    };
    let limit = wire::int_in("limit", limit, 1, max, max)? as usize;
    let total = items.len();
    let next = (start + limit < total).then(|| (start + limit).to_string());
    Ok((items.into_iter().skip(start).take(limit).collect(), next))
}

fn charge_mode_code(mode: ChargingMode) -> &'static str {
    match mode {
        ChargingMode::Period => "1",
        ChargingMode::OnDemand => "3",
    }
}

#[derive(Deserialize, Default)]
pub struct ResourceSpecsQueryReq {
    cloud_service_type: Option<String>,
    resource_type: Option<String>,
    region_code: Option<String>,
    charge_mode: Option<String>,
    filters: Option<Vec<SpecFilter>>,
    marker: Option<String>,
    limit: Option<i64>,
}

/// `POST /v2/products/resource-specs-query`.
pub async fn list_resource_specs(
    State(ctx): State<Context>,
    AuthenticatedAny(_): AuthenticatedAny,
    headers: HeaderMap,
    BssJson(req): BssJson<ResourceSpecsQueryReq>,
) -> Result<Json<ResourceSpecsResponse>, ApiError> {
    let en = english(&headers);
    let required = |field: &'static str, v: &Option<String>| {
        non_empty(v).map(str::to_owned).ok_or_else(|| ApiError::invalid(field, "is required"))
    };
    let service = required("cloud_service_type", &req.cloud_service_type)?;
    let resource = required("resource_type", &req.resource_type)?;
    let region = required("region_code", &req.region_code)?;
    let mode = match required("charge_mode", &req.charge_mode)?.as_str() {
        "1" => ChargingMode::Period,
        "3" => ChargingMode::OnDemand,
        _ => return Err(ApiError::invalid("charge_mode", "must be 1 (yearly/monthly) or 3 (pay-per-use)")),
    };
    let spec = filter(&req.filters, &["RESOURCE_SPEC"])?.map(|(_, v)| v);
    let (_, catalog) = catalog::current(&ctx).await?;
    let service_type = catalog.service_type(&service);
    let resource_type = catalog.resource_type(&resource).filter(|r| r.service_type == service);
    let specs = match resource_type {
        Some(_) => catalog.specs_priced(&resource, &region, mode, spec),
        None => vec![],
    };
    let (items, next) = marker_page(specs, non_empty(&req.marker), req.limit, 100)?;
    let list = items
        .iter()
        .map(|s| CloudServiceBasic {
            charge_mode: charge_mode_code(mode),
            cloud_service_type: service.clone(),
            cloud_service_type_name: service_type.map(|t| t.name.get(en).to_owned()),
            region_code: region.clone(),
            resource_spec: s.code.clone(),
            resource_spec_name: s.name.get(en).to_owned(),
            resource_type: s.resource_type.clone(),
            resource_type_name: resource_type.map(|r| r.name.get(en).to_owned()),
        })
        .collect();
    Ok(Json(ResourceSpecsResponse { page_info: PageInfo { next_marker: next }, cloud_service_basics: list }))
}

#[derive(Deserialize, Default)]
pub struct ResourceSpecsPriceQueryReq {
    cloud_service_type: Option<String>,
    resource_type: Option<String>,
    region_code: Option<String>,
    filters: Option<Vec<SpecFilter>>,
    need_attributes: Option<bool>,
    need_price: Option<bool>,
    marker: Option<String>,
    limit: Option<i64>,
}

fn price_info(p: &Price) -> PriceInfo {
    let (mode, period_type, period_nums) = match (&p.charging_mode, &p.period) {
        (ChargingMode::Period, Some((t, nums))) => ("PERIOD", Some(wire::period_type(*t)), nums.clone()),
        _ => ("ON_DEMAND", Some(4), vec![]),
    };
    PriceInfo {
        billing_usage_factor: p.usage.as_ref().map(|(f, _)| f.clone()),
        charging_mode: mode,
        currency: "USD",
        offering_id: p.offering_id(),
        official_price: p.amount.to_plain_string(),
        period_nums,
        period_type,
    }
}

/// `POST /v2/products/resource-specs-price/query`: list prices, by region.
pub async fn list_resource_specs_price(
    State(ctx): State<Context>,
    AuthenticatedAny(_): AuthenticatedAny,
    headers: HeaderMap,
    BssJson(req): BssJson<ResourceSpecsPriceQueryReq>,
) -> Result<Json<ResourceSpecsPriceResponse>, ApiError> {
    let en = english(&headers);
    let region = wire::max_chars("region_code", non_empty(&req.region_code), 64)?
        .ok_or_else(|| ApiError::invalid("region_code", "is required"))?
        .to_owned();
    let service = wire::max_chars("cloud_service_type", non_empty(&req.cloud_service_type), 64)?;
    let resource = wire::max_chars("resource_type", non_empty(&req.resource_type), 64)?;
    let (spec, mode) = match filter(&req.filters, &["RESOURCE_SPEC", "CHARGING_MODE"])? {
        None => (None, None),
        Some(("RESOURCE_SPEC", v)) => (Some(v), None),
        Some((_, "PERIOD")) => (None, Some(ChargingMode::Period)),
        Some((_, "ON_DEMAND")) => (None, Some(ChargingMode::OnDemand)),
        // ONE_TIME and ON_DEMAND_PKG are valid modes the catalog does not sell yet.
        Some((_, "ONE_TIME" | "ON_DEMAND_PKG")) => {
            return Ok(Json(ResourceSpecsPriceResponse {
                page_info: PageInfo { next_marker: None },
                region_code: region,
                resource_spec_infos: vec![],
            }))
        }
        Some((_, other)) => return Err(ApiError::invalid("filters", format!("unknown charging mode {other:?}"))),
    };
    let (_, catalog) = catalog::current(&ctx).await?;
    let found = catalog.specs_in_region(&region, service, resource, spec, mode);
    let (items, next) = marker_page(found, non_empty(&req.marker), req.limit, 50)?;
    let need_price = req.need_price.unwrap_or(false);
    let list = items
        .iter()
        .map(|(s, prices)| {
            let resource_type = catalog.resource_type(&s.resource_type);
            let service_type = resource_type.and_then(|r| catalog.service_type(&r.service_type));
            ResourceSpecInfo {
                attributes: req.need_attributes.unwrap_or(false).then_some([]),
                cloud_service_type: resource_type.map(|r| r.service_type.clone()),
                cloud_service_type_name: service_type.map(|t| t.name.get(en).to_owned()),
                price_lists: need_price.then(|| prices.iter().map(|p| price_info(p)).collect()),
                resource_spec: s.code.clone(),
                resource_spec_name: s.name.get(en).to_owned(),
                resource_type: s.resource_type.clone(),
                resource_type_name: resource_type.map(|r| r.name.get(en).to_owned()),
            }
        })
        .collect();
    Ok(Json(ResourceSpecsPriceResponse {
        page_info: PageInfo { next_marker: next },
        region_code: region,
        resource_spec_infos: list,
    }))
}

fn rating_error(index: usize, e: RatingError) -> ApiError {
    ApiError::invalid("product_infos", format!("[{index}]: {e}"))
}

/// Ids are required and unique within an inquiry (they map results to requests).
fn check_ids<'a>(ids: impl Iterator<Item = Option<&'a str>>) -> Result<(), ApiError> {
    let mut seen = std::collections::BTreeSet::new();
    for (i, id) in ids.enumerate() {
        let id = id
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ApiError::invalid("product_infos", format!("[{i}].id is required")))?;
        if !seen.insert(id) {
            return Err(ApiError::invalid("product_infos", format!("id {id:?} is repeated")));
        }
    }
    Ok(())
}

fn required_text<'a>(i: usize, field: &str, value: &'a Option<String>) -> Result<&'a str, ApiError> {
    non_empty(value).ok_or_else(|| ApiError::invalid("product_infos", format!("[{i}].{field} is required")))
}

#[derive(Deserialize, Default)]
pub struct DemandProductInfo {
    id: Option<String>,
    cloud_service_type: Option<String>,
    resource_type: Option<String>,
    resource_spec: Option<String>,
    region: Option<String>,
    resource_size: Option<i64>,
    usage_factor: Option<String>,
    usage_value: Option<Box<RawValue>>,
    usage_measure_id: Option<i64>,
    subscription_num: Option<i64>,
}

#[derive(Deserialize, Default)]
pub struct RateOnDemandReq {
    project_id: Option<String>,
    inquiry_precision: Option<i64>,
    product_infos: Option<Vec<DemandProductInfo>>,
}

fn project(project_id: &Option<String>) -> Result<(), ApiError> {
    wire::max_chars("project_id", non_empty(project_id), 64)?
        .ok_or_else(|| ApiError::invalid("project_id", "is required"))?;
    Ok(())
}

/// `POST /v2/bills/ratings/on-demand-resources`: pay-per-use prices at list price.
pub async fn list_on_demand_resource_ratings(
    State(ctx): State<Context>,
    AuthenticatedAny(_): AuthenticatedAny,
    BssJson(req): BssJson<RateOnDemandReq>,
) -> Result<Json<OnDemandRatingResponse>, ApiError> {
    project(&req.project_id)?;
    let precision = match req.inquiry_precision {
        None | Some(0) => Precision::Six,
        Some(1) => Precision::Full,
        Some(_) => return Err(ApiError::invalid("inquiry_precision", "must be 0 or 1")),
    };
    let infos = req.product_infos.as_deref().filter(|p| !p.is_empty());
    let infos = infos.ok_or_else(|| ApiError::invalid("product_infos", "is required"))?;
    check_ids(infos.iter().map(|p| p.id.as_deref()))?;
    let (_, catalog) = catalog::current(&ctx).await?;
    let mut total = Money::ZERO;
    let mut results = vec![];
    for (i, p) in infos.iter().enumerate() {
        let usage = p
            .usage_value
            .as_ref()
            .ok_or_else(|| ApiError::invalid("product_infos", format!("[{i}].usage_value is required")))?;
        let inquiry = OnDemandInquiry {
            service_type: required_text(i, "cloud_service_type", &p.cloud_service_type)?,
            resource_type: required_text(i, "resource_type", &p.resource_type)?,
            spec: required_text(i, "resource_spec", &p.resource_spec)?,
            region: required_text(i, "region", &p.region)?,
            usage_factor: required_text(i, "usage_factor", &p.usage_factor)?,
            // A JSON number, or the same decimal as a string.
            usage: Quantity::parse(usage.get().trim_matches('"')).map_err(|e| rating_error(i, e))?,
            usage_measure_id: p
                .usage_measure_id
                .and_then(|m| i32::try_from(m).ok())
                .ok_or_else(|| ApiError::invalid("product_infos", format!("[{i}].usage_measure_id is required")))?,
            subscription_num: wire::int_in("subscription_num", p.subscription_num, 1, 100_000, 1)?,
            resource_size: p.resource_size,
        };
        let rated = rate_on_demand(&catalog, &inquiry, precision).map_err(|e| rating_error(i, e))?;
        total = total
            .checked_add(rated.official)
            .map_err(|_| ApiError::invalid("product_infos", "the total is too large"))?;
        results.push(DemandRatingResult {
            amount: Amount(rated.official),
            discount_amount: Amount(Money::ZERO),
            discount_rating_results: [],
            id: p.id.clone(),
            measure_id: wire::MEASURE_ID,
            official_website_amount: Amount(rated.official),
            product_id: rated.offering_id,
        });
    }
    Ok(Json(OnDemandRatingResponse {
        amount: Amount(total),
        currency: wire::CURRENCY,
        discount_amount: Amount(Money::ZERO),
        measure_id: wire::MEASURE_ID,
        official_website_amount: Amount(total),
        product_rating_results: results,
    }))
}

#[derive(Deserialize, Default)]
pub struct PeriodProductInfo {
    id: Option<String>,
    cloud_service_type: Option<String>,
    resource_type: Option<String>,
    resource_spec: Option<String>,
    region: Option<String>,
    resource_size: Option<i64>,
    period_type: Option<i64>,
    period_num: Option<i64>,
    subscription_num: Option<i64>,
    fee_installment_mode: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct RateOnPeriodReq {
    project_id: Option<String>,
    product_infos: Option<Vec<PeriodProductInfo>>,
}

/// `POST /v2/bills/ratings/period-resources/subscribe-rate`: yearly/monthly prices for a new
/// purchase, at list price. No discount is offered yet, so `optional_discount_rating_results`
/// is empty.
pub async fn list_rate_on_period_detail(
    State(ctx): State<Context>,
    AuthenticatedAny(_): AuthenticatedAny,
    BssJson(req): BssJson<RateOnPeriodReq>,
) -> Result<Json<PeriodRatingResponse>, ApiError> {
    project(&req.project_id)?;
    let infos = req.product_infos.as_deref().filter(|p| !p.is_empty());
    let infos = infos.ok_or_else(|| ApiError::invalid("product_infos", "is required"))?;
    check_ids(infos.iter().map(|p| p.id.as_deref()))?;
    let (_, catalog) = catalog::current(&ctx).await?;
    let mut total = Money::ZERO;
    let mut results = vec![];
    for (i, p) in infos.iter().enumerate() {
        match p.fee_installment_mode.as_deref() {
            None | Some("") | Some("NA") => {}
            Some("HALF_PAY" | "ZERO_PAY") => {
                return Err(ApiError::invalid(
                    "product_infos",
                    format!("[{i}].fee_installment_mode: installments are not offered"),
                ))
            }
            Some(_) => {
                return Err(ApiError::invalid(
                    "product_infos",
                    format!("[{i}].fee_installment_mode must be NA, HALF_PAY or ZERO_PAY"),
                ))
            }
        }
        let inquiry = PeriodInquiry {
            service_type: required_text(i, "cloud_service_type", &p.cloud_service_type)?,
            resource_type: required_text(i, "resource_type", &p.resource_type)?,
            spec: required_text(i, "resource_spec", &p.resource_spec)?,
            region: required_text(i, "region", &p.region)?,
            period: p
                .period_type
                .map(wire::parse_period_type)
                .ok_or_else(|| ApiError::invalid("product_infos", format!("[{i}].period_type is required")))?,
            period_num: i32::try_from(wire::int_in("period_num", p.period_num, 1, 1000, 1)?).unwrap_or(1),
            subscription_num: wire::int_in("subscription_num", p.subscription_num, 1, 100_000, 1)?,
            resource_size: p.resource_size,
        };
        let rated = rate_on_period(&catalog, &inquiry).map_err(|e| rating_error(i, e))?;
        total = total
            .checked_add(rated.official)
            .map_err(|_| ApiError::invalid("product_infos", "the total is too large"))?;
        results.push(PeriodRatingResult {
            id: p.id.clone(),
            measure_id: wire::MEASURE_ID,
            official_website_amount: Amount(rated.official),
            product_id: rated.offering_id,
        });
    }
    Ok(Json(PeriodRatingResponse {
        official_website_rating_result: OfficialWebsiteRatingResult {
            official_website_amount: Amount(total),
            measure_id: wire::MEASURE_ID,
            product_rating_results: results,
        },
        optional_discount_rating_results: [],
        currency: wire::CURRENCY,
    }))
}
