//! Partner information authentication (R-INFO-*): the partner's business and payment
//! information and the operator's reviews.

use axum::extract::State;
use axum::http::Method;
use axum::routing::{get, post, put};
use axum::Json;
use opc_core::ops::information::{self};
use opc_core::store::{InfoData, InfoRecord};
use opc_core::Context;
use opc_domain::information::{InfoKind, ReviewState};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Audience, Body, Endpoint, SignedIn};
use crate::audience::{acting_partner, staff_of};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiJson, ApiPath, BssQuery};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/partner/information/business",
            summary: "Submit (or edit and resubmit) the business information for authentication (R-INFO-01, R-INFO-03, R-INFO-08, R-INFO-10).",
            audience: Audience::Partner,
            request: Body::Required(json!({"type": "object", "required": ["company_name", "registration_number", "settlement_currency", "questionnaire_completed"],
                "properties": {"company_name": {"type": "string"}, "registration_number": {"type": "string"},
                    "settlement_currency": {"type": "string"}, "questionnaire_completed": {"type": "boolean"}}})),
            example: Some(json!({"company_name": "Example Cloud Pte Ltd", "registration_number": "201912345K", "settlement_currency": "USD", "questionnaire_completed": true})),
            responses: &[(200, "Submitted for review."), (400, "A field is invalid (CBC.0100).")],
            handler: put(submit_business),
        },
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/partner/information/payment",
            summary: "Submit (or, R-INFO-07, correct and resubmit) the payment information: bank and tax rate (R-INFO-04 … R-INFO-06).",
            audience: Audience::Partner,
            request: Body::Required(json!({"type": "object", "required": ["bank_name", "bank_country", "account_name", "account_number", "swift_code", "tax_rate"],
                "properties": {"bank_name": {"type": "string"}, "bank_country": {"type": "string"}, "account_name": {"type": "string"},
                    "account_number": {"type": "string"}, "swift_code": {"type": "string"}, "tax_rate": {"type": "string"}}})),
            example: Some(json!({"bank_name": "DBS Bank", "bank_country": "SG", "account_name": "Example Cloud Pte Ltd",
                "account_number": "0123456789", "swift_code": "DBSSSGSG", "tax_rate": "9"})),
            responses: &[(200, "Submitted for review."), (400, "A field is invalid, or the bank country is not supported online (CBC.0100).")],
            handler: put(submit_payment),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/information",
            summary: "The partner's business and payment information with their review states, and whether incentives are payable (R-INFO-02).",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "The information.")],
            handler: get(show),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/operator/information-reviews",
            summary: "The operator's queue of partner information to review. Query: state (submitted by default, approved, rejected).",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[(200, "The records, oldest first.")],
            handler: get(queue),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/information-reviews/{partner}/{kind}/approve",
            summary: "Approve a partner's business or payment information (kind: business | payment).",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[(200, "Approved."), (404, "Nothing to review (CBC.99000054)."), (409, "Already decided (CBC.99000053).")],
            handler: post(approve),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/information-reviews/{partner}/{kind}/reject",
            summary: "Reject a partner's business or payment information with a reason.",
            audience: Audience::Staff,
            request: Body::Required(json!({"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}})),
            example: Some(json!({"reason": "The account name does not match the company name."})),
            responses: &[(200, "Rejected."), (404, "Nothing to review (CBC.99000054)."), (409, "Already decided (CBC.99000053).")],
            handler: post(reject),
        },
    ]
}

fn record_json(r: &InfoRecord) -> Value {
    let (state, reason, decided_at) = match &r.state {
        ReviewState::Submitted => ("submitted", None, None),
        ReviewState::Approved { at } => ("approved", None, Some(at.to_rfc3339())),
        ReviewState::Rejected { at, reason } => ("rejected", Some(reason.as_str().to_owned()), Some(at.to_rfc3339())),
    };
    let data = match &r.data {
        InfoData::Business(b) => {
            json!({"kind": "business", "company_name": b.company_name, "registration_number": b.registration_number,
            "settlement_currency": b.settlement_currency, "questionnaire_completed": b.questionnaire_completed})
        }
        // The account number is shown masked: it is not needed to review the state.
        InfoData::Payment(p) => json!({"kind": "payment", "bank_name": p.bank_name, "bank_country": p.bank_country,
            "account_name": p.account_name, "account_number": mask(&p.account_number), "swift_code": p.swift_code,
            "tax_rate": format!("{}.{:02}", p.tax_rate_bp / 100, p.tax_rate_bp % 100)}),
    };
    let mut v = data;
    v["partner_id"] = json!(r.partner.as_str());
    v["state"] = json!(state);
    v["rejection_reason"] = json!(reason);
    v["submitted_at"] = json!(r.submitted_at.to_rfc3339());
    v["decided_at"] = json!(decided_at);
    v
}

fn mask(number: &str) -> String {
    let keep: String = number.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("****{keep}")
}

#[derive(Deserialize)]
struct BusinessIn {
    company_name: Option<String>,
    registration_number: Option<String>,
    settlement_currency: Option<String>,
    questionnaire_completed: Option<bool>,
}

async fn submit_business(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(b): ApiJson<BusinessIn>,
) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let record = information::submit_business(
        &ctx,
        partner,
        &s(&b.company_name),
        &s(&b.registration_number),
        &s(&b.settlement_currency),
        b.questionnaire_completed.unwrap_or(false),
    )
    .await?;
    Ok(Json(record_json(&record)))
}

#[derive(Deserialize)]
struct PaymentIn {
    bank_name: Option<String>,
    bank_country: Option<String>,
    account_name: Option<String>,
    account_number: Option<String>,
    swift_code: Option<String>,
    tax_rate: Option<String>,
}

async fn submit_payment(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(p): ApiJson<PaymentIn>,
) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let record = information::submit_payment(
        &ctx,
        partner,
        &s(&p.bank_name),
        &s(&p.bank_country),
        &s(&p.account_name),
        &s(&p.account_number),
        &s(&p.swift_code),
        &s(&p.tax_rate),
    )
    .await?;
    Ok(Json(record_json(&record)))
}

async fn show(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let info = information::information(&ctx, partner.id()).await?;
    Ok(Json(json!({
        "business": info.business.as_ref().map(record_json),
        "payment": info.payment.as_ref().map(record_json),
        "incentives_payable": info.incentives_payable,
    })))
}

#[derive(Deserialize)]
struct StateQuery {
    state: Option<String>,
}

async fn queue(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    BssQuery(q): BssQuery<StateQuery>,
) -> Result<Json<Value>, ApiError> {
    staff_of(&user)?;
    let state = q.state.as_deref().unwrap_or("submitted");
    if !["submitted", "approved", "rejected"].contains(&state) {
        return Err(ApiError::invalid("state", "must be submitted, approved or rejected"));
    }
    let records = information::queue(&ctx, state).await?;
    Ok(Json(json!({"records": records.iter().map(record_json).collect::<Vec<_>>()})))
}

fn kind(text: &str) -> Result<InfoKind, ApiError> {
    match text {
        "business" => Ok(InfoKind::Business),
        "payment" => Ok(InfoKind::Payment),
        _ => Err(ApiError::new(ErrorCode::NotFound, "There is nothing to review.")),
    }
}

async fn approve(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath((partner, k)): ApiPath<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    Ok(Json(record_json(&information::review(&ctx, staff, &partner, kind(&k)?, None).await?)))
}

#[derive(Deserialize)]
struct ReasonIn {
    reason: Option<String>,
}

async fn reject(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath((partner, k)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<ReasonIn>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    let reason = body.reason.unwrap_or_default();
    Ok(Json(record_json(&information::review(&ctx, staff, &partner, kind(&k)?, Some(&reason)).await?)))
}
