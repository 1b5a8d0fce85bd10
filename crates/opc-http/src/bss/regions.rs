//! B2.12 `list_provinces`, `list_cities`, `list_counties`: the operator's imported regions, by
//! code, a page at a time (at most 1000), named in Chinese unless `X-Language` asks for English.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use opc_core::ops::regions;
use opc_core::store::RegionQuery;
use opc_core::Context;
use opc_domain::region::{Level, Region};
use serde::{Deserialize, Serialize};

use super::coupons::paging;
use super::products::english;
use super::wire;
use crate::error::ApiError;
use crate::extract::{AuthenticatedAny, BssQuery};

#[derive(Deserialize, Default)]
pub struct RegionsQuery {
    province_code: Option<String>,
    city_code: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// `Province`, `City`, `County`.
#[derive(Serialize)]
pub struct RegionItem {
    code: String,
    name: String,
}

#[derive(Serialize)]
pub struct ProvincesResponse {
    count: u64,
    provinces: Vec<RegionItem>,
}

#[derive(Serialize)]
pub struct CitiesResponse {
    count: u64,
    cities: Vec<RegionItem>,
}

#[derive(Serialize)]
pub struct CountiesResponse {
    count: u64,
    counties: Vec<RegionItem>,
}

/// The page `q` asks for at `level` under `parent`, named in the header's language.
async fn page(
    ctx: &Context,
    headers: &HeaderMap,
    q: &RegionsQuery,
    level: Level,
    parent: Option<&str>,
) -> Result<(u64, Vec<RegionItem>), ApiError> {
    let (offset, limit) = paging(q.offset, q.limit)?;
    let query = RegionQuery { level, parent: parent.map(str::to_owned), offset, limit };
    let (list, count) = regions::list(ctx, &query).await?;
    let en = english(headers);
    let items =
        list.iter().map(|r: &Region| RegionItem { code: r.code.clone(), name: r.name(en).to_owned() }).collect();
    Ok((count, items))
}

/// `GET /v2/systems/configs/provinces` (B2.12.3).
pub async fn list_provinces(
    State(ctx): State<Context>,
    AuthenticatedAny(_): AuthenticatedAny,
    headers: HeaderMap,
    BssQuery(q): BssQuery<RegionsQuery>,
) -> Result<Json<ProvincesResponse>, ApiError> {
    let (count, provinces) = page(&ctx, &headers, &q, Level::Province, None).await?;
    Ok(Json(ProvincesResponse { count, provinces }))
}

/// `GET /v2/systems/configs/cities` (B2.12.1): the cities of `province_code`.
pub async fn list_cities(
    State(ctx): State<Context>,
    AuthenticatedAny(_): AuthenticatedAny,
    headers: HeaderMap,
    BssQuery(q): BssQuery<RegionsQuery>,
) -> Result<Json<CitiesResponse>, ApiError> {
    let province = wire::required("province_code", &q.province_code, 32)?;
    let (count, cities) = page(&ctx, &headers, &q, Level::City, Some(province)).await?;
    Ok(Json(CitiesResponse { count, cities }))
}

/// `GET /v2/systems/configs/counties` (B2.12.2): the districts and counties of `city_code`.
pub async fn list_counties(
    State(ctx): State<Context>,
    AuthenticatedAny(_): AuthenticatedAny,
    headers: HeaderMap,
    BssQuery(q): BssQuery<RegionsQuery>,
) -> Result<Json<CountiesResponse>, ApiError> {
    let city = wire::required("city_code", &q.city_code, 32)?;
    let (count, counties) = page(&ctx, &headers, &q, Level::County, Some(city)).await?;
    Ok(Json(CountiesResponse { count, counties }))
}
