//! The operator's product catalog (issue #6): import a whole new version, read the current one.
//! The document's format is `opc_rows::catalog`; the CLI imports the same document.

use axum::extract::State;
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::Json;
use opc_core::ops::catalog;
use opc_core::Context;
use serde_json::{json, Value};

use super::{staff_of, Endpoint, SignedIn};
use crate::error::ApiError;
use crate::extract::LimitedBody;

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
                "amount": {"type": "string", "description": "USD, a decimal with at most 8 decimals"}}}}}})
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
            audience: "staff",
            request: Some(document_schema()),
            example: Some(example()),
            responses: &[(200, "The new version."), (400, "Every problem of the document (CBC.0100).")],
            handler: put(import_catalog),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/operator/catalog",
            summary: "The current catalog document and its version (0 and an empty catalog before the first import).",
            audience: "staff",
            request: None,
            example: None,
            responses: &[(200, "The version and the document.")],
            handler: get(show_catalog),
        },
    ]
}

async fn import_catalog(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    LimitedBody(body): LimitedBody<CATALOG_BYTES_MAX>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    let text = std::str::from_utf8(&body).map_err(|_| ApiError::invalid("catalog", "the document is not UTF-8"))?;
    let parsed = opc_rows::catalog::parse(text).map_err(catalog::CatalogError::Invalid)?;
    let version = catalog::import(&ctx, &parsed, staff.email.as_str()).await?;
    Ok(Json(json!({"version": version})))
}

async fn show_catalog(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Response, ApiError> {
    staff_of(&user)?;
    let (version, current) = catalog::current(&ctx).await?;
    let body = format!(r#"{{"version":{version},"catalog":{}}}"#, opc_rows::catalog::to_json(&current));
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response())
}
