//! Dedicated personnel (R-ORG-05 … R-ORG-13): the administrator's invitations and
//! cancellations, the invited person's acceptance and its own information.

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::{get, post, put};
use axum::Json;
use opc_core::ops::personnel::{self};
use opc_core::Context;
use opc_domain::credential::Certificate;
use opc_domain::personnel::{Personnel, PersonnelState};

use crate::codes::{certificate_kind_code, certificate_source_code, parse_certificate_kind, seen_state_code};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Audience, Body, Endpoint, SignedIn};
use crate::audience::{account_of, acting_partner, staff_of};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            method: Method::POST,
            path: "/api/v1/partner/personnel-invitations",
            summary: "Invite a HUAWEI ID, by its login ID (tenant name), to associate with the company account as \
                dedicated personnel (R-ORG-05, R-ORG-06). The ID is verified (R-ORG-07 … R-ORG-10, every failure \
                at once); the 7-day link (R-ORG-11) is emailed through the outbox and returned to share. An expired \
                or cancelled person is invited again the same way (R-ORG-13). The administrator only.",
            audience: Audience::Partner,
            request: Body::Required(json!({"type": "object", "required": ["login_id"], "properties": {
                "login_id": {"type": "string"},
                "lang": {"type": "string", "enum": ["en-us", "zh-cn"], "description": "The email's language; en-us by default."}}})),
            example: Some(json!({"login_id": "ana_lim", "lang": "en-us"})),
            responses: &[
                (201, "The invitation, with its accept_path and expires_at."),
                (400, "Verification failed, with every cause (CBC.99000052)."),
                (404, "The login ID cannot be found (CBC.99000054)."),
                (409, "Already invited with a valid link, or associated (CBC.99000053)."),
            ],
            handler: post(invite),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/personnel",
            summary: "The company's dedicated personnel and invitations, with their state: invited, expired, \
                associated or unassociated (R-ORG-13), what each maintains (R-ORG-12) and, while associated, the \
                certificates of its HUAWEI ID (R-ORG-14).",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "The personnel.")],
            handler: get(list),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/partner/personnel/{account}/cancel",
            summary: "Cancel the association between a HUAWEI ID and the company account (R-ORG-05, R-ORG-13). The \
                administrator only.",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[
                (200, "Unassociated."),
                (404, "No such person (CBC.99000054)."),
                (409, "Not associated (CBC.99000053)."),
            ],
            handler: post(cancel),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/personnel-invitations/{token}/accept",
            summary: "The invited person, signed in with that HUAWEI ID, associates it with the partner (R-ORG-13); \
                verification is made again (R-ORG-07 … R-ORG-10).",
            audience: Audience::Account,
            request: Body::None,
            example: None,
            responses: &[
                (200, "Associated."),
                (400, "Verification failed, with every cause (CBC.99000052)."),
                (404, "No such invitation for this account (CBC.99000054)."),
                (409, "Expired: ask for a new invitation (R-ORG-11), or no longer open (CBC.99000053)."),
            ],
            handler: post(accept),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/me/personnel",
            summary: "The partners the signed-in HUAWEI ID is invited by or associated with.",
            audience: Audience::Account,
            request: Body::None,
            example: None,
            responses: &[(200, "The records.")],
            handler: get(mine),
        },
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/me/personnel/{partner}",
            summary: "Maintain your own information as a partner's dedicated personnel: position and employment \
                information (R-ORG-12); your certificates are your HUAWEI ID's (/api/v1/me/certificates).",
            audience: Audience::Account,
            request: Body::Required(json!({"type": "object", "properties": {
                "position": {"type": "string", "maxLength": 200},
                "employment": {"type": "string", "maxLength": 200}}})),
            example: Some(json!({"position": "Solution architect", "employment": "Full time since 2024"})),
            responses: &[
                (200, "The record."),
                (400, "Invalid (CBC.0100)."),
                (404, "No such partner record (CBC.99000054)."),
                (409, "Not associated (CBC.99000053)."),
            ],
            handler: put(update_profile),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/me/certificates",
            summary: "Upload a certificate to your HUAWEI ID: hcia, hcip or hcie (R-ORG-16; Cloud Migration ones are \
                synchronized, never uploaded: R-ORG-15). It counts for the partner you are associated with (R-ORG-14). \
                A number bound to an account already must be unbound there first (R-ORG-17).",
            audience: Audience::Account,
            request: Body::Required(json!({"type": "object", "required": ["kind", "number"], "properties": {
                "kind": {"type": "string", "enum": ["hcia", "hcip", "hcie", "cloud_migration"]},
                "number": {"type": "string", "maxLength": 64}}})),
            example: Some(json!({"kind": "hcip", "number": "HCIP-2026-000123"})),
            responses: &[
                (201, "Bound."),
                (400, "Invalid, or a Cloud Migration certificate (CBC.0100)."),
                (409, "Bound to an account already (CBC.99000049)."),
            ],
            handler: post(upload_certificate),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/me/certificates",
            summary: "Your HUAWEI ID's certificates.",
            audience: Audience::Account,
            request: Body::None,
            example: None,
            responses: &[(200, "The certificates.")],
            handler: get(my_certificates),
        },
        Endpoint {
            method: Method::DELETE,
            path: "/api/v1/me/certificates/{number}",
            summary: "Unbind one of your certificates, to bind it to another account (R-ORG-17).",
            audience: Audience::Account,
            request: Body::None,
            example: None,
            responses: &[(204, "Unbound."), (404, "You hold no such certificate (CBC.99000054).")],
            handler: axum::routing::delete(unbind_certificate),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/accounts/{account}/certificates",
            summary:
                "Synchronize a certificate from the Developer Institute to a HUAWEI ID, such as a Cloud Migration \
                certificate once its certification is complete (R-ORG-15).",
            audience: Audience::Staff,
            request: Body::Required(json!({"type": "object", "required": ["kind", "number"], "properties": {
                "kind": {"type": "string", "enum": ["hcia", "hcip", "hcie", "cloud_migration"]},
                "number": {"type": "string", "maxLength": 64}}})),
            example: Some(json!({"kind": "cloud_migration", "number": "CM-2026-000042"})),
            responses: &[
                (201, "Bound."),
                (404, "No such account (CBC.99000054)."),
                (409, "Bound to an account already (CBC.99000049)."),
            ],
            handler: post(synchronize_certificate),
        },
    ]
}

fn personnel_json(p: &Personnel, now: opc_domain::Timestamp) -> Value {
    let expires_at = match p.state() {
        PersonnelState::Invited { expires_at } => Some(expires_at.to_rfc3339()),
        PersonnelState::Associated { .. } | PersonnelState::Unassociated { .. } => None,
    };
    json!({"partner_id": p.partner().as_str(), "account_id": p.account().as_str(), "state": seen_state_code(p.state_at(now)),
        "invited_at": p.invited_at().to_rfc3339(), "expires_at": expires_at,
        "associated_at": p.associated_at().map(|t| t.to_rfc3339()),
        "position": p.profile().position, "employment": p.profile().employment})
}

fn certificate_json(c: &Certificate) -> Value {
    json!({"number": c.number, "kind": certificate_kind_code(c.kind), "source": certificate_source_code(c.source), "bound_at": c.bound_at.to_rfc3339()})
}

#[derive(Deserialize)]
struct InviteIn {
    login_id: Option<String>,
    lang: Option<String>,
}

async fn invite(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<InviteIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let login_id = body.login_id.as_deref().filter(|l| !l.trim().is_empty());
    let login_id = login_id.ok_or_else(|| ApiError::invalid("login_id", "is required"))?;
    let lang = super::language(body.lang.as_deref())?;
    let (personnel, token) = personnel::invite(&ctx, partner, login_id, lang).await?;
    let mut out = personnel_json(&personnel, ctx.clock.now());
    out["accept_path"] = json!(format!("/api/v1/personnel-invitations/{token}/accept"));
    Ok((StatusCode::CREATED, Json(out)))
}

async fn list(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let now = ctx.clock.now();
    let (all, certificates) = personnel::of_partner(&ctx, partner).await?;
    let list: Vec<Value> = all
        .iter()
        .map(|p| {
            let mut out = personnel_json(p, now);
            out["certificates"] = certificates
                .iter()
                .filter(|c| c.account == *p.account())
                .map(certificate_json)
                .collect::<Vec<_>>()
                .into();
            out
        })
        .collect();
    Ok(Json(json!({"personnel": list})))
}

async fn cancel(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(account): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let p = personnel::cancel(&ctx, partner, &account).await?;
    Ok(Json(personnel_json(&p, ctx.clock.now())))
}

async fn accept(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(token): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    let person = account_of(&user)?;
    let p = personnel::accept(&ctx, person, &token).await?;
    Ok(Json(personnel_json(&p, ctx.clock.now())))
}

async fn mine(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let person = account_of(&user)?;
    let now = ctx.clock.now();
    let all = personnel::of_person(&ctx, person).await?;
    Ok(Json(json!({"personnel": all.iter().map(|p| personnel_json(p, now)).collect::<Vec<_>>()})))
}

#[derive(Deserialize)]
struct ProfileIn {
    position: Option<String>,
    employment: Option<String>,
}

async fn update_profile(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(partner): ApiPath<String>,
    ApiJson(body): ApiJson<ProfileIn>,
) -> Result<Json<Value>, ApiError> {
    let person = account_of(&user)?;
    let (position, employment) = (body.position.as_deref().unwrap_or(""), body.employment.as_deref().unwrap_or(""));
    let p = personnel::update_profile(&ctx, person, &partner, position, employment).await?;
    Ok(Json(personnel_json(&p, ctx.clock.now())))
}

#[derive(Deserialize)]
struct CertificateIn {
    kind: Option<String>,
    number: Option<String>,
}

async fn upload_certificate(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<CertificateIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let person = account_of(&user)?;
    let (kind, number) = (body.kind.as_deref().unwrap_or(""), body.number.as_deref().unwrap_or(""));
    let c = personnel::upload_certificate(&ctx, person, parse_certificate_kind(kind), number).await?;
    Ok((StatusCode::CREATED, Json(certificate_json(&c))))
}

async fn my_certificates(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let person = account_of(&user)?;
    let all = personnel::certificates_of(&ctx, person).await?;
    Ok(Json(json!({"certificates": all.iter().map(certificate_json).collect::<Vec<_>>()})))
}

async fn unbind_certificate(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(number): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    let person = account_of(&user)?;
    personnel::unbind_certificate(&ctx, person, &number).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn synchronize_certificate(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(account): ApiPath<String>,
    ApiJson(body): ApiJson<CertificateIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let staff = staff_of(&user)?;
    let (kind, number) = (body.kind.as_deref().unwrap_or(""), body.number.as_deref().unwrap_or(""));
    let c = personnel::synchronize_certificate(&ctx, staff, &account, parse_certificate_kind(kind), number).await?;
    Ok((StatusCode::CREATED, Json(certificate_json(&c))))
}
