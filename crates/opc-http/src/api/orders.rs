//! Placing yearly/monthly orders (which the BSS API only pays, lists and cancels) and the
//! customer authorization letter that lets a partner act on its customer's behalf (R-RCM-14).

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::{get, post, put};
use axum::Json;
use opc_core::ops::console::ConsoleUser;
use opc_core::ops::orders::{self, Item};
use opc_core::Context;
use opc_domain::order::Product;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Audience, Body, Endpoint, SignedIn};
use crate::audience::principal;
use crate::error::{ApiError, ErrorCode};
use crate::extract::ApiJson;

pub fn endpoints() -> Vec<Endpoint> {
    let product = json!({"type": "object", "required": ["cloud_service_type", "resource_type", "resource_spec"],
        "properties": {"cloud_service_type": {"type": "string"}, "resource_type": {"type": "string"},
        "resource_spec": {"type": "string"}, "region": {"type": "string"},
        "resource_size": {"type": "integer", "description": "a linear product's size, e.g. a volume's GB"}}});
    vec![
        Endpoint {
            method: Method::POST,
            path: "/api/v1/orders",
            summary: "Place a yearly/monthly order, pending payment for 7 days: each item × quantity is an instance \
                with its child resources (R-ORD-01, R-ORD-04), priced at list price. A customer orders for itself; a \
                partner (customers.control) for a reseller customer named by customer_id that accepted the customer \
                authorization letter (R-RCM-14). A frozen customer, or one whose partner is restricted, cannot \
                (R-RCM-09, R-QUOTA-09). Pay, list and cancel it with the BSS order APIs (B1.6).",
            audience: Audience::Account,
            request: Body::Required(json!({"type": "object", "required": ["items"], "properties": {
                "customer_id": {"type": "string", "description": "required for a partner"},
                "items": {"type": "array", "items": {"type": "object",
                    "required": ["cloud_service_type", "resource_type", "resource_spec", "region", "period_type", "period_num"],
                    "properties": {"cloud_service_type": {"type": "string"}, "resource_type": {"type": "string"},
                    "resource_spec": {"type": "string"}, "region": {"type": "string"}, "resource_size": {"type": "integer"},
                    "period_type": {"type": "integer", "description": "2 month, 3 year"},
                    "period_num": {"type": "integer"}, "quantity": {"type": "integer", "default": 1},
                    "children": {"type": "array", "items": product}}}}}})),
            example: Some(json!({"items": [{"cloud_service_type": "hws.service.type.ec2",
                "resource_type": "hws.resource.type.vm", "resource_spec": "s6.small.1.linux", "region": "ap-southeast-1",
                "period_type": 2, "period_num": 1, "quantity": 1}]})),
            responses: &[
                (201, "The order: order_id, official_amount, pending_payment_end_time."),
                (400, "A bad item, named (CBC.0100)."),
                (403, "Frozen or restricted (CBC.99000055), or no authorization letter (CBC.0151)."),
            ],
            handler: post(place_order),
        },
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/me/partner-authorization",
            summary: "The customer accepts (authorized: true) or withdraws the customer authorization letter for its \
                reseller-model partner, which lets the partner order and manage resources on its behalf (R-RCM-14).",
            audience: Audience::Customer,
            request: Body::Required(json!({"type": "object", "required": ["authorized"],
                "properties": {"authorized": {"type": "boolean"}}})),
            example: Some(json!({"authorized": true})),
            responses: &[(200, "The partner and the letter's state."), (400, "No reseller-model partner (CBC.0100).")],
            handler: put(set_authorization),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/me/partner-authorization",
            summary: "Whether the customer's current partner holds its authorization letter, and since when.",
            audience: Audience::Customer,
            request: Body::None,
            example: None,
            responses: &[(200, "partner_id and authorized_at (null when not authorized).")],
            handler: get(show_authorization),
        },
    ]
}

#[derive(Deserialize, Default)]
struct ProductIn {
    cloud_service_type: Option<String>,
    resource_type: Option<String>,
    resource_spec: Option<String>,
    region: Option<String>,
    resource_size: Option<i64>,
}

#[derive(Deserialize, Default)]
struct ItemIn {
    #[serde(flatten)]
    product: ProductIn,
    period_type: Option<i64>,
    period_num: Option<i64>,
    quantity: Option<i64>,
    children: Option<Vec<ProductIn>>,
}

#[derive(Deserialize, Default)]
struct OrderIn {
    customer_id: Option<String>,
    items: Option<Vec<ItemIn>>,
}

fn product(field: &str, p: &ProductIn) -> Result<Product, ApiError> {
    let text = |name: &str, v: Option<&str>| -> Result<String, ApiError> {
        match v.map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) if v.chars().count() <= 64 => Ok(v.to_owned()),
            Some(_) => Err(ApiError::invalid(&format!("{field}.{name}"), "at most 64 characters")),
            None => Err(ApiError::invalid(&format!("{field}.{name}"), "is required")),
        }
    };
    if p.resource_size.is_some_and(|s| s < 1) {
        return Err(ApiError::invalid(&format!("{field}.resource_size"), "must be 1 or more"));
    }
    Ok(Product {
        service_type: text("cloud_service_type", p.cloud_service_type.as_deref())?,
        resource_type: text("resource_type", p.resource_type.as_deref())?,
        spec: text("resource_spec", p.resource_spec.as_deref())?,
        region: text("region", p.region.as_deref())?,
        size: p.resource_size,
    })
}

async fn place_order(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<OrderIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let principal = principal(&ctx, &user).await?;
    let mut items = vec![];
    for (i, item) in body.items.unwrap_or_default().iter().enumerate() {
        let field = format!("items[{i}]");
        let main = product(&field, &item.product)?;
        let children = item
            .children
            .as_deref()
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(c, p)| {
                // A child is in its main resource's region and, unless it says, its service.
                let p = ProductIn {
                    cloud_service_type: p.cloud_service_type.clone().or_else(|| Some(main.service_type.clone())),
                    resource_type: p.resource_type.clone(),
                    resource_spec: p.resource_spec.clone(),
                    region: Some(main.region.clone()),
                    resource_size: p.resource_size,
                };
                product(&format!("{field}.children[{c}]"), &p)
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        let period_num =
            item.period_num.ok_or_else(|| ApiError::invalid(&format!("{field}.period_num"), "is required"))?;
        items.push(Item {
            product: main,
            period: item
                .period_type
                .map(crate::bss::parse_period_type)
                .ok_or_else(|| ApiError::invalid(&format!("{field}.period_type"), "is required"))?,
            period_num: i32::try_from(period_num)
                .map_err(|_| ApiError::invalid(&format!("{field}.period_num"), "is out of range"))?,
            quantity: u32::try_from(item.quantity.unwrap_or(1))
                .map_err(|_| ApiError::invalid(&format!("{field}.quantity"), "must be 1 or more"))?,
            children,
        });
    }
    let order = orders::place(&ctx, &principal, body.customer_id.as_deref(), &items).await?;
    let official = order.official().map_err(|e| ApiError::internal(anyhow::anyhow!(e)))?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"order_id": order.id().as_str(), "customer_id": order.customer().as_str(),
            "official_amount": crate::bss::Amount(official), "status": crate::bss::order_status(order.status()),
            "pending_payment_end_time": order.pay_by().to_rfc3339(),
            "resource_ids": order.lines().iter().map(|l| l.resource_id().as_str()).collect::<Vec<_>>()})),
    ))
}

fn customer_account(user: &ConsoleUser) -> Result<&opc_domain::account::Account, ApiError> {
    match user {
        ConsoleUser::Account { account, partner: None } => Ok(account),
        _ => Err(ApiError::new(ErrorCode::AccessDenied, "Access denied: this is for customers.")),
    }
}

#[derive(Deserialize, Default)]
struct AuthorizationIn {
    authorized: Option<bool>,
}

async fn set_authorization(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<AuthorizationIn>,
) -> Result<Json<Value>, ApiError> {
    let account = customer_account(&user)?;
    let granted = body.authorized.ok_or_else(|| ApiError::invalid("authorized", "is required"))?;
    let partner = orders::authorize(&ctx, account, granted).await?;
    show(&ctx, account, partner.id()).await
}

async fn show_authorization(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let account = customer_account(&user)?;
    match orders::partner_of(&ctx, account).await? {
        Some(partner) => show(&ctx, account, &partner).await,
        None => Ok(Json(json!({"partner_id": null, "authorized_at": null}))),
    }
}

async fn show(
    ctx: &Context,
    account: &opc_domain::account::Account,
    partner: &opc_domain::PartnerId,
) -> Result<Json<Value>, ApiError> {
    let at = ctx.store.authorization(account.id(), partner).await?;
    Ok(Json(json!({"partner_id": partner.as_str(), "authorized_at": at.map(|t| t.to_rfc3339())})))
}
