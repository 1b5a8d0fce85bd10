//! An enterprise master's organization over the console API (issue 16; EMA-1): the units its
//! members are created in (`create_sub_enterprise_account`'s `party_id`). The partner API only
//! reads them (`list_enterprise_organizations`). The model is in docs/enterprise.md.

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};
use axum::Json;
use opc_core::ops::enterprise;
use opc_core::Context;
use opc_domain::enterprise::Unit;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Audience, Body, Endpoint, SignedIn};
use crate::audience::customer_account;
use crate::error::ApiError;
use crate::extract::ApiJson;

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            method: Method::GET,
            path: "/api/v1/me/enterprise/units",
            summary: "The signed-in enterprise master's organization units, the root first (created with the first \
                use). Only an enterprise account with verified real-name authentication has one.",
            audience: Audience::Customer,
            request: Body::None,
            example: None,
            responses: &[(200, "The units.")],
            handler: get(units),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/me/enterprise/units",
            summary: "Add a unit (1 to 64 characters) to the signed-in enterprise master's organization, under \
                `parent_id` (the root when absent).",
            audience: Audience::Customer,
            request: Body::Required(json!({"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string", "maxLength": 64},
                "parent_id": {"type": "string", "description": "A unit's id (digits)"}}})),
            example: Some(json!({"name": "Research"})),
            responses: &[
                (201, "The unit."),
                (400, "The name is missing or too long, or the parent is no unit of this organization (CBC.0100)."),
            ],
            handler: post(add_unit),
        },
    ]
}

fn unit_json(u: &Unit) -> Value {
    json!({"id": u.id, "parent_id": u.parent, "name": u.name, "relation_id": u.relation,
        "created_at": u.created_at.to_rfc3339()})
}

async fn units(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let master = customer_account(&user)?;
    let units = enterprise::organization(&ctx, master).await?;
    Ok(Json(json!({"units": units.iter().map(unit_json).collect::<Vec<_>>()})))
}

#[derive(Deserialize)]
struct UnitIn {
    name: Option<String>,
    parent_id: Option<String>,
}

async fn add_unit(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<UnitIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let master = customer_account(&user)?;
    let name = body.name.as_deref().unwrap_or_default();
    let parent = body.parent_id.as_deref().filter(|p| !p.is_empty());
    let unit = enterprise::add_unit(&ctx, master, parent, name).await.map_err(|e| match e {
        enterprise::EnterpriseOpError::Enterprise(opc_domain::enterprise::EnterpriseError::UnknownUnit(p)) => {
            ApiError::invalid("parent_id", format_args!("{p} is not a unit of this organization"))
        }
        other => other.into(),
    })?;
    Ok((StatusCode::CREATED, Json(unit_json(&unit))))
}
