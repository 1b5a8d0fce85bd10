//! Stored-value cards over the console API (issue 15; B2.5.8): the operator records a card a
//! customer bought and lists cards; a customer lists its own. Paying with a card is the Orders
//! page's or `pay_orders`' (type 303). The model is in docs/stored-value-cards.md.

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};
use axum::Json;
use opc_core::ops::auth::Principal;
use opc_core::ops::stored_value::{self, CardFilter};
use opc_core::Context;
use opc_domain::stored_value::{CardStatus, StoredValueCard};
use opc_domain::{Money, Timestamp};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Audience, Body, Endpoint, SignedIn};
use crate::audience::{customer_account, staff_of};
use crate::error::ApiError;
use crate::extract::{ApiJson, BssQuery};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/stored-value-cards",
            summary: "Record a stored-value card a customer bought: its name, face value (more than 0, at most 2 \
                decimals) and validity [effective_time, expire_time). Its balance starts at the face value. Not for \
                a partner's account, nor for a reseller customer, whose orders its partner's bill pays.",
            audience: Audience::Staff,
            request: Body::Required(json!({"type": "object",
                "required": ["customer_id", "name", "face_value", "effective_time", "expire_time"], "properties": {
                "customer_id": {"type": "string"},
                "name": {"type": "string", "maxLength": 64},
                "face_value": {"type": "string", "description": "A decimal amount, e.g. \"500.00\""},
                "effective_time": {"type": "string", "format": "date-time"},
                "expire_time": {"type": "string", "format": "date-time"}}})),
            example: Some(json!({"customer_id": "0f3c2a", "name": "Prepaid 2027", "face_value": "500",
                "effective_time": "2027-01-01T00:00:00Z", "expire_time": "2028-01-01T00:00:00Z"})),
            responses: &[
                (201, "The card."),
                (400, "A field is missing or malformed, or the customer is a reseller customer (CBC.0100)."),
                (404, "No such customer (CBC.99000054)."),
            ],
            handler: post(issue),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/operator/stored-value-cards",
            summary: "Every customer's stored-value cards, newest first; `customer_id` and `status` (usable, used_up) \
                filter.",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[(200, "The cards.")],
            handler: get(all_cards),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/me/stored-value-cards",
            summary: "The signed-in customer's stored-value cards, newest first; `status` usable or used_up \
                filters.",
            audience: Audience::Customer,
            request: Body::None,
            example: None,
            responses: &[(200, "The cards.")],
            handler: get(my_cards),
        },
    ]
}

pub(crate) fn status_text(s: CardStatus) -> &'static str {
    match s {
        CardStatus::Usable => "usable",
        CardStatus::UsedUp => "used_up",
    }
}

fn parse_status(text: Option<&str>) -> Result<Option<CardStatus>, ApiError> {
    match text.filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some("usable") => Ok(Some(CardStatus::Usable)),
        Some("used_up") => Ok(Some(CardStatus::UsedUp)),
        Some(_) => Err(ApiError::invalid("status", "must be usable or used_up")),
    }
}

fn card_json(c: &StoredValueCard) -> Value {
    json!({"card_id": c.id(), "card_name": c.name(), "customer_id": c.customer().as_str(),
        "status": status_text(c.status()), "face_value": c.face_value().to_plain_string(),
        "balance": c.balance().to_plain_string(), "effective_time": c.valid_from().to_rfc3339(),
        "expire_time": c.valid_to().to_rfc3339(), "created_at": c.created_at().to_rfc3339()})
}

#[derive(Deserialize)]
struct CardIn {
    customer_id: Option<String>,
    name: Option<String>,
    face_value: Option<String>,
    effective_time: Option<String>,
    expire_time: Option<String>,
}

fn required<'a>(field: &'static str, v: &'a Option<String>) -> Result<&'a str, ApiError> {
    v.as_deref().filter(|t| !t.is_empty()).ok_or_else(|| ApiError::invalid(field, "is required"))
}

fn time(field: &'static str, v: &Option<String>) -> Result<Timestamp, ApiError> {
    Timestamp::parse_rfc3339(required(field, v)?).map_err(|_| ApiError::invalid(field, "must be an RFC 3339 time"))
}

async fn issue(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<CardIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let staff = staff_of(&user)?;
    let customer = required("customer_id", &body.customer_id)?;
    let name = required("name", &body.name)?;
    let face =
        Money::parse(required("face_value", &body.face_value)?).map_err(|e| ApiError::invalid("face_value", e))?;
    let validity = (time("effective_time", &body.effective_time)?, time("expire_time", &body.expire_time)?);
    let card = stored_value::issue(&ctx, staff.email.as_str(), customer, name, face, validity).await?;
    Ok((StatusCode::CREATED, Json(card_json(&card))))
}

#[derive(Deserialize, Default)]
struct ListParams {
    customer_id: Option<String>,
    status: Option<String>,
}

async fn all_cards(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    BssQuery(q): BssQuery<ListParams>,
) -> Result<Json<Value>, ApiError> {
    staff_of(&user)?;
    let filter = CardFilter { status: parse_status(q.status.as_deref())?, ..CardFilter::default() };
    let customer = q.customer_id.as_deref().filter(|c| !c.is_empty());
    let (cards, total) = stored_value::all_cards(&ctx, customer, &filter).await?;
    Ok(Json(json!({"total_count": total, "cards": cards.iter().map(card_json).collect::<Vec<_>>()})))
}

async fn my_cards(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    BssQuery(q): BssQuery<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let account = customer_account(&user)?;
    let principal = Principal::Customer { account: account.clone(), access_key: None };
    let filter = CardFilter { status: parse_status(q.status.as_deref())?, ..CardFilter::default() };
    let (cards, total) = stored_value::cards_of(&ctx, &principal, &filter).await?;
    Ok(Json(json!({"total_count": total, "cards": cards.iter().map(card_json).collect::<Vec<_>>()})))
}
