//! Test coupons over the console API (R-CPN-15 … R-CPN-24, R-BEN-04): a partner reads its
//! benefit and requests test coupons; the operator's staff file project-based requests for one
//! customer, and approve or reject requests. The model is in docs/coupons.md.

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};
use axum::Json;
use opc_core::ops::test_coupons::{self, Decision, ProjectFacts};
use opc_core::Context;
use opc_domain::coupon::test_coupon::{Draft, Origin, PriceLink, RequestStatus, TestCouponRequest};
use opc_domain::coupon::Coupon;
use opc_domain::{Money, Timestamp};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Audience, Body, Endpoint, SignedIn};
use crate::audience::{acting_partner, staff_of};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath};

fn draft_properties() -> serde_json::Map<String, Value> {
    let Value::Object(map) = json!({
        "amount": {"type": "string", "description": "The amount in USD, more than 0 with at most 2 decimals, e.g. \"500.00\""},
        "resource_config": {"type": "string", "maxLength": 2000,
            "description": "R-CPN-24: the shared Price Calculator link (Save and Share > Share > Copy), an http(s) URL"},
        "purpose": {"type": "string", "maxLength": 1000, "description": "What the coupon is to test"},
        "duration_days": {"type": "integer", "minimum": 1, "maximum": 366,
            "description": "How long the coupon is valid from approval; the deployment's default (30) when left out"}})
    else {
        unreachable!("a JSON object literal")
    };
    map
}

pub fn endpoints() -> Vec<Endpoint> {
    let mut project = draft_properties();
    project
        .insert("customer_id".into(), json!({"type": "string", "description": "The one reseller customer (R-CPN-16)"}));
    project.insert("project_background".into(), json!({"type": "string", "maxLength": 1000}));
    project.insert("expected_order_date".into(), json!({"type": "string", "format": "date", "example": "2026-09-01"}));
    project.insert("expected_order_amount".into(), json!({"type": "string", "description": "USD, at most 2 decimals"}));
    vec![
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/test-coupons",
            summary: "The signed-in partner's test-coupon benefit (R-CPN-22, R-CPN-23): its tier's limit, what is \
                pending or approved of it, what is left, its requests (project requests filed for it included) and \
                its test coupons with their balances.",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "The benefit.")],
            handler: get(partner_benefit),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/partner/test-coupon-requests",
            summary: "Request test coupons (R-CPN-23, R-CPN-24, R-BEN-04): an amount within what is left of the \
                tier's limit, the resource configuration (a shared Price Calculator link), a purpose and optionally \
                a test duration. The operator approves or rejects it.",
            audience: Audience::Partner,
            request: Body::Required(json!({"type": "object",
                "required": ["amount", "resource_config", "purpose"], "properties": draft_properties()})),
            example: Some(json!({"amount": "500.00",
                "resource_config": "https://www.huaweicloud.com/intl/en-us/pricing/calculator.html#/share?id=abc",
                "purpose": "PoC of a web shop", "duration_days": 30})),
            responses: &[
                (201, "The request, pending."),
                (
                    400,
                    "A field is missing or malformed: amount, resource_config, purpose, duration_days (CBC.0100); \
                    or the amount would pass the tier's limit with what is pending and approved (CBC.99000056).",
                ),
                (409, "Other requests kept landing meanwhile; retry (CBC.99000049)."),
            ],
            handler: post(partner_request),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/operator/test-coupon-requests",
            summary: "Every partner's test-coupon requests, newest first.",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[(200, "The requests.")],
            handler: get(operator_list),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/partners/{partner}/test-coupon-requests",
            summary: "File a project-based test-coupon request on the partner's behalf (R-CPN-20, R-CPN-21) for one \
                of its reseller customers, with the project background, resource configuration, test duration, \
                expected order date and amount. Outside the tier's limit (R-CPN-22); the coupon is for that \
                customer only (R-CPN-16).",
            audience: Audience::Staff,
            request: Body::Required(json!({"type": "object",
                "required": ["customer_id", "amount", "resource_config", "purpose", "project_background",
                    "expected_order_date", "expected_order_amount"],
                "properties": Value::Object(project)})),
            example: Some(json!({"customer_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "amount": "2000.00",
                "resource_config": "https://www.huaweicloud.com/intl/en-us/pricing/calculator.html#/share?id=abc",
                "purpose": "Load test before go-live", "duration_days": 14,
                "project_background": "Retail chain moving its web shop", "expected_order_date": "2026-09-01",
                "expected_order_amount": "50000.00"})),
            responses: &[
                (201, "The request, pending."),
                (
                    400,
                    "A field is missing or malformed (CBC.0100); the customer is not the partner's (CBC.99000035) or \
                    not one of its reseller customers (CBC.99000036).",
                ),
                (404, "No such partner (CBC.99000054)."),
            ],
            handler: post(operator_project),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/test-coupon-requests/{request}/approval",
            summary: "Approve a pending request (R-CPN-15, R-CPN-16): a test coupon of its amount is issued to the \
                partner, valid from now for the request's duration, for all its reseller customers (a partner's \
                request) or for the project's customer only.",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[
                (200, "The request, approved, and its coupon."),
                (404, "No such request (CBC.99000054)."),
                (409, "The request is not pending (CBC.99000053), or changed meanwhile (CBC.99000049)."),
            ],
            handler: post(approve),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/test-coupon-requests/{request}/rejection",
            summary: "Reject a pending request with a reason; its amount no longer counts against the limit.",
            audience: Audience::Staff,
            request: Body::Required(json!({"type": "object", "required": ["reason"],
                "properties": {"reason": {"type": "string", "maxLength": 1000}}})),
            example: Some(json!({"reason": "No customer project named yet"})),
            responses: &[
                (200, "The request, rejected."),
                (400, "The reason is missing or too long (CBC.0100)."),
                (404, "No such request (CBC.99000054)."),
                (409, "The request is not pending (CBC.99000053), or changed meanwhile (CBC.99000049)."),
            ],
            handler: post(reject),
        },
    ]
}

pub(crate) fn request_json(r: &TestCouponRequest) -> Value {
    let (origin, customer, project) = match &r.origin {
        Origin::Partner => ("partner", None, Value::Null),
        Origin::Project(p) => (
            "project",
            Some(p.customer.as_str()),
            json!({"background": p.background, "expected_order_date": date_text(p.expected_order_at),
                "expected_order_amount": p.expected_order_amount.to_cents_string()}),
        ),
    };
    let (coupon, reason, decided_at, decided_by) = match &r.status {
        RequestStatus::Pending => (None, None, None, None),
        RequestStatus::Approved { coupon, at, by } => {
            (Some(coupon.as_str()), None, Some(at.to_rfc3339()), Some(by.as_str()))
        }
        RequestStatus::Rejected { reason, at, by } => {
            (None, Some(reason.as_str()), Some(at.to_rfc3339()), Some(by.as_str()))
        }
    };
    json!({"request_id": r.id, "partner_id": r.partner.as_str(), "origin": origin, "customer_id": customer,
        "project": project, "amount": r.amount.to_cents_string(), "resource_config": r.resource_config.as_str(),
        "purpose": r.purpose, "duration_days": r.duration_days, "status": r.status.word(), "coupon_id": coupon,
        "reason": reason, "decided_at": decided_at, "decided_by": decided_by,
        "requested_at": r.requested_at.to_rfc3339(), "requested_by": r.requested_by})
}

pub(crate) fn coupon_json(c: &Coupon, now: Timestamp) -> Value {
    let status = match c.status(now) {
        opc_domain::coupon::CouponStatus::NotActive => "not_active",
        opc_domain::coupon::CouponStatus::Available => "available",
        opc_domain::coupon::CouponStatus::Used => "used",
        opc_domain::coupon::CouponStatus::Expired => "expired",
        opc_domain::coupon::CouponStatus::Reclaimed => "reclaimed",
    };
    json!({"coupon_id": c.id, "kind": "test", "customer_id": c.customer.as_ref().map(|a| a.as_str()),
        "face_value": c.face_value.to_cents_string(), "balance": c.balance.to_string(), "status": status,
        "valid_from": c.validity.from.to_rfc3339(), "valid_to": c.validity.to.to_rfc3339(),
        "last_used_at": c.last_used_at.map(Timestamp::to_rfc3339)})
}

fn date_text(t: Timestamp) -> String {
    let (y, m, d, ..) = t.to_utc();
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DD`, read as that day's start in UTC.
pub(crate) fn parse_date(field: &str, text: &str) -> Result<Timestamp, ApiError> {
    let bad = || ApiError::invalid(field, "must be a date like 2026-09-01");
    let mut parts = text.trim().splitn(3, '-');
    let mut next = |len: usize| -> Result<u32, ApiError> {
        let p = parts.next().filter(|p| p.len() == len && p.bytes().all(|b| b.is_ascii_digit())).ok_or_else(bad)?;
        p.parse().map_err(|_| bad())
    };
    let (y, m, d) = (next(4)?, next(2)?, next(2)?);
    Timestamp::from_utc(i64::from(y), m, d, 0, 0, 0).map_err(|_| bad())
}

pub(crate) fn amount(field: &str, text: Option<&str>) -> Result<Money, ApiError> {
    let text = text.map(str::trim).filter(|t| !t.is_empty()).ok_or_else(|| ApiError::invalid(field, "is required"))?;
    Money::parse_with_scale(text, 2).map_err(|e| ApiError::invalid(field, e))
}

#[derive(Deserialize)]
pub(crate) struct DraftIn {
    pub amount: Option<String>,
    pub resource_config: Option<String>,
    pub purpose: Option<String>,
    pub duration_days: Option<i64>,
}

pub(crate) fn draft(body: &DraftIn) -> Result<Draft, ApiError> {
    let amount = amount("amount", body.amount.as_deref())?;
    let resource_config = PriceLink::parse(body.resource_config.as_deref().unwrap_or_default())
        .map_err(|e| ApiError::invalid("resource_config", e))?;
    let duration_days = body
        .duration_days
        .map(|d| u32::try_from(d).map_err(|_| ApiError::invalid("duration_days", "must be 1 to 366")))
        .transpose()?;
    Ok(Draft { amount, resource_config, purpose: body.purpose.clone().unwrap_or_default(), duration_days })
}

async fn partner_benefit(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let b = test_coupons::benefit(&ctx, partner).await?;
    let coupons = test_coupons::coupons_of(&ctx, partner.id()).await?;
    let now = ctx.clock.now();
    let left = b.limit.checked_sub(b.committed).unwrap_or(Money::ZERO).max(Money::ZERO);
    Ok(Json(json!({
        "partner_id": partner.id().as_str(),
        "tier": b.tier.map(crate::codes::tier_code),
        "limit": b.limit.to_cents_string(),
        "committed": b.committed.to_cents_string(),
        "available": left.to_cents_string(),
        "requests": b.requests.iter().map(request_json).collect::<Vec<_>>(),
        "coupons": coupons.iter().map(|c| coupon_json(c, now)).collect::<Vec<_>>(),
    })))
}

async fn partner_request(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<DraftIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let r = test_coupons::request(&ctx, partner, &draft(&body)?).await?;
    Ok((StatusCode::CREATED, Json(request_json(&r))))
}

async fn operator_list(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    staff_of(&user)?;
    let all = test_coupons::all_requests(&ctx, false).await?;
    Ok(Json(json!({"requests": all.iter().map(request_json).collect::<Vec<_>>()})))
}

#[derive(Deserialize)]
struct ProjectIn {
    #[serde(flatten)]
    draft: DraftIn,
    customer_id: Option<String>,
    project_background: Option<String>,
    expected_order_date: Option<String>,
    expected_order_amount: Option<String>,
}

async fn operator_project(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(partner): ApiPath<String>,
    ApiJson(body): ApiJson<ProjectIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let staff = staff_of(&user)?;
    let draft = draft(&body.draft)?;
    let customer = body.customer_id.clone().filter(|c| !c.trim().is_empty());
    let facts = ProjectFacts {
        customer: customer.ok_or_else(|| ApiError::invalid("customer_id", "is required"))?,
        background: body.project_background.clone().unwrap_or_default(),
        expected_order_at: parse_date("expected_order_date", body.expected_order_date.as_deref().unwrap_or_default())?,
        expected_order_amount: amount("expected_order_amount", body.expected_order_amount.as_deref())?,
    };
    let r = test_coupons::file_project(&ctx, staff.email.as_str(), &partner, facts, &draft).await?;
    Ok((StatusCode::CREATED, Json(request_json(&r))))
}

async fn approve(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(request): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    let (r, coupon) = test_coupons::decide(&ctx, staff.email.as_str(), &request, &Decision::Approve).await?;
    let now = ctx.clock.now();
    Ok(Json(json!({"request": request_json(&r), "coupon": coupon.map(|c| coupon_json(&c, now))})))
}

#[derive(Deserialize)]
struct RejectIn {
    reason: Option<String>,
}

async fn reject(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(request): ApiPath<String>,
    ApiJson(body): ApiJson<RejectIn>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    let decision = Decision::Reject { reason: body.reason.unwrap_or_default() };
    let (r, _) = test_coupons::decide(&ctx, staff.email.as_str(), &request, &decision).await?;
    Ok(Json(json!({"request": request_json(&r)})))
}
