//! Partner discounts over the console API (R-CPN-25 … R-CPN-33, A-09): the operator sets each
//! cloud service type's discount policy and authorizes partners a scope per service type; a
//! partner sets general discounts for its referral customers and special ones (price
//! adjustments) on their pending orders, and removes them; a referral customer reads its
//! commercial discounts. The model is in docs/discounts.md.

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::{delete, get, post, put};
use axum::Json;
use opc_core::ops::discounts::{self, Target};
use opc_core::Context;
use opc_domain::bill::Discount;
use opc_domain::discount::{DiscountKind, DiscountScope, PartnerDiscount, ServicePolicy};
use opc_domain::organization::Permission;
use opc_domain::Timestamp;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Audience, Body, Endpoint, SignedIn};
use crate::audience::{acting_caller, customer_account, staff_of};
use crate::codes::{exclusion_code, incentive_code, parse_exclusion, parse_incentive};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            method: Method::GET,
            path: "/api/v1/operator/discount-policies",
            summary: "Every cloud service type's discount policy (A-09): whether partner discounts apply to it, what \
                excludes it, its incentive policy.",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[(200, "The policies, by service type.")],
            handler: get(list_policies),
        },
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/operator/discount-policies/{service_type}",
            summary: "Set a cloud service type's discount policy (A-09): `allow_discount` puts it on the list of \
                products partner discounts apply to; an `exclusion` (spot, koogallery, ocsa_node) keeps it off \
                whatever the list says (R-CPN-29).",
            audience: Audience::Staff,
            request: Body::Required(json!({"type": "object", "required": ["allow_discount"], "properties": {
                "allow_discount": {"type": "boolean"},
                "exclusion": {"type": ["string", "null"], "enum": ["spot", "koogallery", "ocsa_node", null]},
                "incentive_policy": {"type": "string", "enum": ["non_specific", "specific", "no_performance_no_rebate", "performance_no_rebate"]}}})),
            example: Some(json!({"allow_discount": true, "incentive_policy": "non_specific"})),
            responses: &[
                (200, "The policy."),
                (400, "A field is missing or not one of its values, or the service type is not in the catalog (CBC.0100)."),
            ],
            handler: put(set_policy),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/operator/partners/{partner}/discount-scopes",
            summary: "The discount scopes authorized to a partner, one per cloud service type (R-CPN-25, R-CPN-26).",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[(200, "The scopes."), (404, "No such partner (CBC.99000054).")],
            handler: get(list_scopes),
        },
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/operator/partners/{partner}/discount-scopes/{service_type}",
            summary: "Authorize a partner up to `max_discount` off the list price of a cloud service type, from \
                `from` (default now), replacing its scope there (R-CPN-25, R-CPN-26). Discounts set beyond a \
                lowered scope are not offered until they fit it.",
            audience: Audience::Staff,
            request: Body::Required(json!({"type": "object", "required": ["max_discount"], "properties": {
                "max_discount": {"type": "string", "description": "A fraction off, more than 0 and at most 1 with at most 4 decimals, e.g. \"0.2\""},
                "from": {"type": "string", "format": "date-time"}}})),
            example: Some(json!({"max_discount": "0.2"})),
            responses: &[
                (200, "The scope."),
                (400, "The discount or the time is malformed, or the service type is not in the catalog (CBC.0100)."),
                (404, "No such partner (CBC.99000054)."),
                (409, "The scope changed meanwhile; retry (CBC.99000049)."),
            ],
            handler: put(authorize_scope),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/discounts",
            summary: "The signed-in partner's discount scopes, the discounts it set (for the customers it sees) and \
                the service types' policies (R-CPN-25).",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "Scopes, discounts and policies.")],
            handler: get(partner_discounts),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/partner/discounts",
            summary: "Set a discount on a cloud service type within the authorized scope: a general one for a referral \
                customer (`customer_id`) or for all (neither id), or a special one — a price adjustment, discount \
                type 609 — on a referral customer's pending order (`order_id`). Setting the same target again \
                replaces its rate. Never for reseller customers (R-CPN-25 … R-CPN-27, R-RCM-13).",
            audience: Audience::Partner,
            request: Body::Required(json!({"type": "object", "required": ["service_type", "discount"], "properties": {
                "service_type": {"type": "string", "maxLength": 64},
                "discount": {"type": "string", "description": "A fraction off, e.g. \"0.1\" for 10 % off"},
                "customer_id": {"type": "string"},
                "order_id": {"type": "string"}}})),
            example: Some(json!({"service_type": "hws.service.type.ec2", "discount": "0.1"})),
            responses: &[
                (201, "The discount."),
                (400, "A field is missing or malformed (CBC.0100); the customer is not yours (CBC.99000035); no \
                    scope covers it or it is beyond it, or the service type takes no partner discount (CBC.99000056); \
                    a reseller customer or order (CBC.99000052)."),
                (404, "No such order among your customers' (CBC.99000054)."),
                (409, "The order is not pending payment, or has no line of the service type (CBC.99000053); the \
                    discount changed meanwhile (CBC.99000049)."),
            ],
            handler: post(set_discount),
        },
        Endpoint {
            method: Method::DELETE,
            path: "/api/v1/partner/discounts/{discount}",
            summary: "Remove one of the signed-in partner's discounts.",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[
                (200, "Removed: the discount as it was."),
                (404, "You have no such discount (CBC.99000054)."),
                (409, "It changed meanwhile; retry (CBC.99000049)."),
            ],
            handler: delete(remove_discount),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/me/discounts",
            summary: "The signed-in referral customer's commercial discounts from its partner, usable now (R-CPN-33); \
                none for another customer.",
            audience: Audience::Customer,
            request: Body::None,
            example: None,
            responses: &[(200, "The discounts.")],
            handler: get(my_discounts),
        },
    ]
}

fn policy_json(p: &ServicePolicy) -> Value {
    json!({"service_type": p.service_type, "allow_discount": p.allow_discount,
        "discount_applies": p.allows_discount(), "exclusion": p.exclusion.map(exclusion_code),
        "incentive_policy": incentive_code(p.incentive), "updated_at": p.updated_at.to_rfc3339()})
}

fn scope_json(s: &DiscountScope) -> Value {
    json!({"partner_id": s.partner.as_str(), "service_type": s.service_type,
        "max_discount": s.max_off.fraction_text(), "max_discount_text": s.max_off.percent_text(),
        "from": s.from.to_rfc3339(), "granted_by": s.granted_by, "updated_at": s.updated_at.to_rfc3339()})
}

pub(crate) fn discount_json(d: &PartnerDiscount) -> Value {
    let (kind, customer, order) = match &d.kind {
        DiscountKind::General { customer } => ("general", customer.as_ref().map(|c| c.as_str()), None),
        DiscountKind::Special { customer, order } => ("special", Some(customer.as_str()), Some(order.as_str())),
    };
    json!({"discount_id": d.id, "kind": kind, "customer_id": customer, "order_id": order,
        "service_type": d.service_type, "discount": d.off.fraction_text(), "discount_text": d.off.percent_text(),
        "updated_at": d.updated_at.to_rfc3339()})
}

async fn list_policies(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    staff_of(&user)?;
    let policies = discounts::policies(&ctx).await?;
    Ok(Json(json!({"policies": policies.iter().map(policy_json).collect::<Vec<_>>()})))
}

#[derive(Deserialize)]
struct PolicyIn {
    allow_discount: Option<bool>,
    exclusion: Option<String>,
    incentive_policy: Option<String>,
}

async fn set_policy(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(service_type): ApiPath<String>,
    ApiJson(body): ApiJson<PolicyIn>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    let allow = body.allow_discount.ok_or_else(|| ApiError::invalid("allow_discount", "is required"))?;
    let exclusion = body.exclusion.as_deref().map(parse_exclusion).transpose()?;
    let incentive = parse_incentive(body.incentive_policy.as_deref().unwrap_or("non_specific"))?;
    let p = discounts::set_policy(&ctx, staff.email.as_str(), &service_type, allow, incentive, exclusion).await?;
    Ok(Json(policy_json(&p)))
}

async fn list_scopes(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(partner): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    staff_of(&user)?;
    let scopes = discounts::scopes_of(&ctx, &partner).await?;
    Ok(Json(json!({"scopes": scopes.iter().map(scope_json).collect::<Vec<_>>()})))
}

#[derive(Deserialize)]
struct ScopeIn {
    max_discount: Option<String>,
    from: Option<String>,
}

fn rate(field: &'static str, text: Option<&str>) -> Result<Discount, ApiError> {
    let text = text.map(str::trim).ok_or_else(|| ApiError::invalid(field, "is required"))?;
    Discount::parse(text).map_err(|e| ApiError::invalid(field, e))
}

async fn authorize_scope(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath((partner, service_type)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<ScopeIn>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    let max = rate("max_discount", body.max_discount.as_deref())?;
    let from = body
        .from
        .as_deref()
        .map(|f| Timestamp::parse_rfc3339(f).map_err(|_| ApiError::invalid("from", "must be an RFC 3339 time")))
        .transpose()?;
    let s = discounts::authorize_scope(&ctx, staff.email.as_str(), &partner, &service_type, max, from).await?;
    Ok(Json(scope_json(&s)))
}

async fn partner_discounts(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let caller = acting_caller(&ctx, &user, Permission::ViewCustomers).await?;
    let all = discounts::of_partner(&ctx, &caller).await?;
    Ok(Json(json!({
        "scopes": all.scopes.iter().map(scope_json).collect::<Vec<_>>(),
        "discounts": all.discounts.iter().map(discount_json).collect::<Vec<_>>(),
        "policies": all.policies.iter().map(policy_json).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
struct DiscountIn {
    service_type: Option<String>,
    discount: Option<String>,
    customer_id: Option<String>,
    order_id: Option<String>,
}

async fn set_discount(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<DiscountIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let caller = acting_caller(&ctx, &user, Permission::ControlCustomers).await?;
    let service_type = body.service_type.as_deref().ok_or_else(|| ApiError::invalid("service_type", "is required"))?;
    let off = rate("discount", body.discount.as_deref())?;
    let target = match (body.customer_id.as_deref().filter(|c| !c.is_empty()), body.order_id.as_deref()) {
        (_, Some(order)) if !order.is_empty() => Target::Special { order },
        (customer, _) => Target::General { customer },
    };
    let d = discounts::set(&ctx, &caller, target, service_type, off).await?;
    Ok((StatusCode::CREATED, Json(discount_json(&d))))
}

async fn remove_discount(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = acting_caller(&ctx, &user, Permission::ControlCustomers).await?;
    let d = discounts::remove(&ctx, &caller, &id).await?;
    Ok(Json(discount_json(&d)))
}

async fn my_discounts(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let account = customer_account(&user)?;
    let mine = discounts::of_customer(&ctx, account.id()).await?;
    Ok(Json(json!({"discounts": mine.iter().map(discount_json).collect::<Vec<_>>()})))
}
