//! Customer development and associations (R-DEV-*, R-ASSOC-*): the partner's pre-registrations,
//! invitations and association records; the customer's acceptance, My Partner and
//! disassociation requests.

use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Json;
use opc_core::ops::console::ConsoleUser;
use opc_core::ops::development::{self, Consents, InviteBy};
use opc_core::Context;
use opc_domain::association::{Association, AssociationModel, AssociationState};
use opc_domain::console::RegistrationForm;
use opc_domain::development::{
    DisassociationRequest, Initiator, Invitation, InvitationChannel, InvitationState, PreRegistration,
    PreRegistrationState, RequestState,
};
use opc_domain::organization::Permission;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{qr, Audience, Body, Endpoint, SignedIn};
use crate::audience::{account_of, acting_partner};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, BssJson};
use crate::links::invitation_url;

fn endpoint(
    method: Method,
    path: &'static str,
    summary: &'static str,
    audience: Audience,
    request: Option<(Value, Value)>,
    responses: &'static [(u16, &'static str)],
    handler: axum::routing::MethodRouter<Context>,
) -> Endpoint {
    let (request, example) = match request {
        Some((schema, example)) => (Body::Required(schema), Some(example)),
        None => (Body::None, None),
    };
    Endpoint { method, path, summary, audience, request, example, responses, handler }
}

fn code_schema() -> (Value, Value) {
    (
        json!({"type": "object", "properties": {"verification_code": {"type": "string"}}}),
        json!({"verification_code": "123456"}),
    )
}

fn reason_schema() -> (Value, Value) {
    (
        json!({"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}}),
        json!({"reason": "We are moving our cloud account to another partner."}),
    )
}

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        endpoint(Method::POST, "/api/v1/partner/pre-registrations",
            "Pre-register a potential customer by email: no other partner may pre-register or associate it for 15 days (R-DEV-05).",
            Audience::Partner,
            Some((json!({"type": "object", "required": ["email"], "properties": {"email": {"type": "string"}}}), json!({"email": "buyer@example.com"}))),
            &[(201, "Pre-registered."), (409, "Held by another partner, or already pre-registered (CBC.99000053)."), (403, "A distributor or a frozen partner (R-DEV-11, R-DEV-12).")],
            post(pre_register)),
        endpoint(Method::GET, "/api/v1/partner/pre-registrations", "The partner's pre-registrations and their state (R-DEV-06).", Audience::Partner, None,
            &[(200, "The pre-registrations.")], get(pre_registrations)),
        endpoint(Method::POST, "/api/v1/partner/invitations",
            "Invite a customer: by email (queued in the outbox, valid 7 days) or as a permanent link or QR code (R-DEV-01, R-DEV-08), in the referral or reseller model.",
            Audience::Partner,
            Some((json!({"type": "object", "required": ["channel", "model"], "properties": {
                "channel": {"type": "string", "enum": ["email", "link", "qr_code"]},
                "email": {"type": "string"},
                "model": {"type": "string", "enum": ["referral", "reseller"]},
                "lang": {"type": "string", "enum": ["en-us", "zh-cn"], "description": "The invitation email's language; en-us by default."}}}),
                json!({"channel": "email", "email": "buyer@example.com", "model": "reseller", "lang": "en-us"}))),
            &[(201, "The invitation, with its link and QR code addresses."), (403, "A distributor or a frozen partner (R-DEV-11, R-DEV-12).")],
            post(invite)),
        endpoint(Method::GET, "/api/v1/partner/invitations", "The partner's invitations, each with its state (open, expired or revoked).", Audience::Partner, None,
            &[(200, "The invitations.")], get(invitations)),
        endpoint(Method::POST, "/api/v1/partner/invitations/{token}/revoke",
            "Revoke one of the partner's open invitations (a link or QR code given out by mistake): no one can accept it afterwards.",
            Audience::Partner, None,
            &[(200, "The invitation, revoked."), (404, "No such invitation of this partner (CBC.99000054)."),
              (409, "Revoked already, or expired (CBC.99000053).")],
            post(revoke_invitation)),
        endpoint(Method::GET, "/api/v1/invitations/{token}", "An invitation as the customer sees it: the partner, the model, whether it is still valid.", Audience::Anyone, None,
            &[(200, "The invitation."), (404, "No such invitation (CBC.99000054).")], get(show_invitation)),
        endpoint(Method::GET, "/api/v1/invitations/{token}/qr.png", "The invitation's QR code as a PNG image (R-DEV-02).", Audience::Anyone, None,
            &[(200, "image/png"), (404, "No such invitation (CBC.99000054).")], get(qr_png)),
        endpoint(Method::GET, "/api/v1/invitations/{token}/qr.svg", "The invitation's QR code as an SVG image (R-DEV-02).", Audience::Anyone, None,
            &[(200, "image/svg+xml"), (404, "No such invitation (CBC.99000054).")], get(qr_svg)),
        endpoint(Method::POST, "/api/v1/invitations/{token}/accept-by-registering",
            "Register for Association (R-ASSOC-20): register a new account and associate it. Every failing precaution is reported at once with its solution (R-ASSOC-11).",
            Audience::Anyone,
            Some((json!({"type": "object", "required": ["country", "email", "verification_code", "password", "password_confirmation",
                    "accepts_id_agreement", "accepts_privacy_statement", "accepts_customer_agreement"],
                "properties": {
                    "country": {"type": "string"}, "email": {"type": "string"}, "verification_code": {"type": "string"},
                    "password": {"type": "string"}, "password_confirmation": {"type": "string"},
                    "accepts_id_agreement": {"type": "boolean"}, "accepts_privacy_statement": {"type": "boolean"},
                    "accepts_customer_agreement": {"type": "boolean"},
                    "accepts_association_instructions": {"type": "boolean"}, "accepts_authorization_letter": {"type": "boolean"},
                    "lang": {"type": "string", "enum": ["en-us", "zh-cn"], "description": "The association email's language (R-ASSOC-21); en-us by default."}}}),
                json!({"country": "SG", "email": "buyer@example.com", "verification_code": "123456", "password": "Secret123!",
                    "password_confirmation": "Secret123!", "accepts_id_agreement": true, "accepts_privacy_statement": true,
                    "accepts_customer_agreement": true, "accepts_association_instructions": true, "accepts_authorization_letter": false}))),
            &[(201, "Registered and associated."), (400, "Invalid, or not eligible with every cause (CBC.99000052)."), (404, "No such invitation (CBC.99000054)."), (409, "Expired (CBC.99000053).")],
            post(accept_by_registering)),
        endpoint(Method::POST, "/api/v1/invitations/{token}/accept",
            "Login for Association (R-ASSOC-20): associate the signed-in account; only emailed (online) invitations accept existing accounts (R-DEV-09).",
            Audience::Account,
            Some((json!({"type": "object", "properties": {
                    "accepts_association_instructions": {"type": "boolean"}, "accepts_authorization_letter": {"type": "boolean"},
                    "accepts_customer_agreement": {"type": "boolean"},
                    "lang": {"type": "string", "enum": ["en-us", "zh-cn"], "description": "The association email's language (R-ASSOC-21); en-us by default."}}}),
                json!({"accepts_association_instructions": true, "accepts_authorization_letter": true, "accepts_customer_agreement": true, "lang": "zh-cn"}))),
            &[(201, "Associated."), (400, "Not eligible, with every cause (CBC.99000052)."), (404, "No such invitation (CBC.99000054)."), (409, "Expired, or a link that needs a new account (CBC.99000053).")],
            post(accept_by_login)),
        endpoint(Method::GET, "/api/v1/my-partner", "My Partner (R-ASSOC-22): the associated partner, the model, any pending disassociation request.", Audience::Account, None,
            &[(200, "The partner, or null.")], get(my_partner)),
        endpoint(Method::POST, "/api/v1/my-partner/disassociation-request", "Ask to disassociate from the partner (R-ASSOC-29); its administrator decides.", Audience::Account,
            Some(reason_schema()), &[(201, "Requested."), (409, "Not associated, already pending, or the partner is frozen (CBC.99000053).")],
            post(request_by_customer)),
        endpoint(Method::POST, "/api/v1/my-partner/disassociation-request/approve", "Confirm the partner's disassociation request (R-ASSOC-27).", Audience::Account, None,
            &[(200, "Disassociated."), (403, "The request is the customer's own; the partner decides (CBC.0151)."), (404, "None pending (CBC.99000054).")],
            post(customer_approves)),
        endpoint(Method::POST, "/api/v1/my-partner/disassociation-request/reject", "Refuse the partner's disassociation request.", Audience::Account, None,
            &[(200, "Still associated."), (404, "None pending (CBC.99000054).")], post(customer_rejects)),
        endpoint(Method::GET, "/api/v1/partner/association-records", "Association records (R-ASSOC-25, R-ASSOC-28), newest first: account_name, customer, mobile_number, model (the association type: referral or reseller), purpose, reason, initiated_by, status, account_manager ({member_id, name} or null), requested_at, approved_at.", Audience::Partner, None,
            &[(200, "The records: {\"records\": [...]}, each with the fields above.")], get(association_records)),
        endpoint(Method::POST, "/api/v1/partner/customers/{customer}/disassociation-request", "Ask a customer to disassociate; the customer confirms (R-ASSOC-27).", Audience::Partner,
            Some(reason_schema()), &[(201, "Requested."), (400, "Not your customer (CBC.99000035)."), (409, "Already pending, or frozen (CBC.99000053).")],
            post(request_by_partner)),
        endpoint(Method::POST, "/api/v1/partner/association-records/{customer}/approve", "Approve a customer's disassociation request (R-ASSOC-25): the association ends, with the partner's budget and freezes. With the verification-code function enabled, the body carries a code (R-ASSOC-26).", Audience::Partner, Some(code_schema()),
            &[(200, "Disassociated."), (400, "The code is missing or wrong (CBC.99000048)."), (404, "None pending (CBC.99000054)."), (403, "Frozen (R-ASSOC-31) or the partner's own request.")],
            post(partner_approves)).with_optional_body(),
        endpoint(Method::POST, "/api/v1/partner/association-records/{customer}/reject", "Reject a customer's disassociation request; a code as for approving (R-ASSOC-26).", Audience::Partner, Some(code_schema()),
            &[(200, "Still associated."), (400, "The code is missing or wrong (CBC.99000048)."), (404, "None pending (CBC.99000054).")], post(partner_rejects))
            .with_optional_body(),
        endpoint(Method::POST, "/api/v1/partner/critical-operation-codes", "Send a verification code for a critical operation to the partner's email (R-ASSOC-26); it waits in the outbox.", Audience::Partner,
            Some((json!({"type": "object", "properties": {"lang": {"type": "string", "enum": ["en-us", "zh-cn"]}}}), json!({"lang": "en-us"}))),
            &[(202, "The code is on its way."), (409, "The partner's account has no email (CBC.99000053).")], post(send_critical_code)),
        endpoint(Method::GET, "/api/v1/partner/critical-operation-protection", "Whether the verification-code function is enabled (R-ASSOC-26).", Audience::Partner, None,
            &[(200, "{\"enabled\": bool}")], get(critical_protection)),
        endpoint(Method::PUT, "/api/v1/partner/critical-operation-protection", "Enable or disable the verification-code function (R-ASSOC-26); either way needs a code from POST /api/v1/partner/critical-operation-codes.", Audience::Partner,
            Some((json!({"type": "object", "required": ["enabled", "verification_code"], "properties": {
                "enabled": {"type": "boolean"}, "verification_code": {"type": "string"}}}), json!({"enabled": true, "verification_code": "123456"}))),
            &[(200, "{\"enabled\": bool}"), (400, "The code is wrong or expired (CBC.99000048).")], put(set_critical_protection)),
    ]
}

fn model_code(m: AssociationModel) -> &'static str {
    match m {
        AssociationModel::Referral => "referral",
        AssociationModel::Reseller => "reseller",
    }
}

fn parse_model(text: Option<&str>) -> Result<AssociationModel, ApiError> {
    match text {
        Some("referral") => Ok(AssociationModel::Referral),
        Some("reseller") => Ok(AssociationModel::Reseller),
        _ => Err(ApiError::invalid("model", "must be referral or reseller")),
    }
}

#[derive(Deserialize)]
struct EmailIn {
    email: Option<String>,
}

fn pre_registration_json(p: &PreRegistration, now: opc_domain::Timestamp) -> Value {
    let state = match p.state_at(now) {
        PreRegistrationState::Active => "active",
        PreRegistrationState::Associated { .. } => "associated",
        PreRegistrationState::Expired => "expired",
    };
    json!({"email": p.email.as_str(), "state": state, "created_at": p.created_at.to_rfc3339(), "exclusive_until": p.expires_at.to_rfc3339()})
}

async fn pre_register(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<EmailIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (partner, _) = acting_partner(&user, Some(Permission::DevelopCustomers))?;
    let pre = development::pre_register(&ctx, partner, body.email.as_deref().unwrap_or_default()).await?;
    Ok((StatusCode::CREATED, Json(pre_registration_json(&pre, ctx.clock.now()))))
}

async fn pre_registrations(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, Some(Permission::DevelopCustomers))?;
    let now = ctx.clock.now();
    let list = development::pre_registrations(&ctx, partner).await?;
    Ok(Json(json!({"pre_registrations": list.iter().map(|p| pre_registration_json(p, now)).collect::<Vec<_>>()})))
}

fn invitation_json(ctx: &Context, i: &Invitation, headers: &HeaderMap, now: opc_domain::Timestamp) -> Value {
    let token = i.token.as_str();
    let (channel, email) = match &i.channel {
        InvitationChannel::Email { to, .. } => ("email", Some(to.as_str())),
        InvitationChannel::Link => ("link", None),
        InvitationChannel::QrCode => ("qr_code", None),
    };
    json!({
        "token": token,
        "url": invitation_url(ctx, headers, token),
        "qr_png": format!("/api/v1/invitations/{token}/qr.png"),
        "qr_svg": format!("/api/v1/invitations/{token}/qr.svg"),
        "channel": channel,
        "email": email,
        "model": model_code(i.model),
        "created_at": i.created_at.to_rfc3339(),
        "expires_at": i.expires_at().map(|t| t.to_rfc3339()),
        "expired": i.is_expired(now),
        "revoked_at": i.revoked_at.map(|t| t.to_rfc3339()),
        "state": match i.state(now) {
            InvitationState::Open => "open",
            InvitationState::Expired { .. } => "expired",
            InvitationState::Revoked { .. } => "revoked",
        },
        "accepts_existing_accounts": i.accepts_existing_accounts(),
    })
}

#[derive(Deserialize)]
struct InviteIn {
    channel: Option<String>,
    email: Option<String>,
    model: Option<String>,
    lang: Option<String>,
}

async fn invite(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    headers: HeaderMap,
    ApiJson(body): ApiJson<InviteIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (partner, _) = acting_partner(&user, Some(Permission::DevelopCustomers))?;
    let model = parse_model(body.model.as_deref())?;
    let by = match body.channel.as_deref() {
        Some("email") => InviteBy::Email(body.email.as_deref().unwrap_or_default()),
        Some("link") => InviteBy::Link,
        Some("qr_code") => InviteBy::QrCode,
        _ => return Err(ApiError::invalid("channel", "must be email, link or qr_code")),
    };
    let invitation = development::invite(&ctx, partner, by, model, super::language(body.lang.as_deref())?).await?;
    Ok((StatusCode::CREATED, Json(invitation_json(&ctx, &invitation, &headers, ctx.clock.now()))))
}

async fn revoke_invitation(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(token): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, Some(Permission::DevelopCustomers))?;
    let invitation = development::revoke_invitation(&ctx, partner, &token).await?;
    Ok(Json(invitation_json(&ctx, &invitation, &headers, ctx.clock.now())))
}

async fn invitations(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, Some(Permission::DevelopCustomers))?;
    let now = ctx.clock.now();
    let list = development::invitations(&ctx, partner).await?;
    Ok(Json(json!({"invitations": list.iter().map(|i| invitation_json(&ctx, i, &headers, now)).collect::<Vec<_>>()})))
}

async fn show_invitation(
    State(ctx): State<Context>,
    ApiPath(token): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let (invitation, partner) = development::invitation(&ctx, &token).await?;
    let mut body = invitation_json(&ctx, &invitation, &headers, ctx.clock.now());
    body["partner"] = json!({"name": partner.name().as_str(), "country": partner.country().as_str()});
    // The invitee's address is not shown to whoever holds the link.
    body["email"] = Value::Null;
    Ok(Json(body))
}

async fn qr_png(
    State(ctx): State<Context>,
    ApiPath(token): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (invitation, _) = development::invitation(&ctx, &token).await?;
    let png = qr::png(&invitation_url(&ctx, &headers, invitation.token.as_str())).map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

async fn qr_svg(
    State(ctx): State<Context>,
    ApiPath(token): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (invitation, _) = development::invitation(&ctx, &token).await?;
    let svg = qr::svg(&invitation_url(&ctx, &headers, invitation.token.as_str())).map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

#[derive(Deserialize)]
struct AcceptIn {
    country: Option<String>,
    email: Option<String>,
    verification_code: Option<String>,
    password: Option<String>,
    password_confirmation: Option<String>,
    accepts_id_agreement: Option<bool>,
    accepts_privacy_statement: Option<bool>,
    accepts_customer_agreement: Option<bool>,
    accepts_association_instructions: Option<bool>,
    accepts_authorization_letter: Option<bool>,
    lang: Option<String>,
}

impl AcceptIn {
    fn consents(&self) -> Result<Consents, ApiError> {
        Ok(Consents {
            association_instructions: self.accepts_association_instructions.unwrap_or(false),
            authorization_letter: self.accepts_authorization_letter.unwrap_or(false),
            customer_agreement: self.accepts_customer_agreement.unwrap_or(false),
            lang: super::language(self.lang.as_deref())?,
        })
    }
}

fn association_json(a: &Association) -> Value {
    let state = match a.state() {
        AssociationState::Associated => "associated",
        AssociationState::DisassociationPending => "disassociation_pending",
        AssociationState::Disassociated { .. } => "disassociated",
    };
    json!({"customer_id": a.customer().as_str(), "partner_id": a.partner().as_str(), "model": model_code(a.model()),
        "associated_at": a.associated_at().to_rfc3339(), "state": state})
}

async fn accept_by_registering(
    State(ctx): State<Context>,
    ApiPath(token): ApiPath<String>,
    ApiJson(body): ApiJson<AcceptIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let (country, email, code, password, confirmation) = (
        s(&body.country),
        s(&body.email),
        s(&body.verification_code),
        s(&body.password),
        s(&body.password_confirmation),
    );
    let form = RegistrationForm {
        country: &country,
        email: &email,
        verification_code: &code,
        password: &password,
        password_confirmation: &confirmation,
        accepts_id_agreement: body.accepts_id_agreement.unwrap_or(false),
        accepts_privacy_statement: body.accepts_privacy_statement.unwrap_or(false),
        enable_services: true,
        accepts_customer_agreement: body.accepts_customer_agreement.unwrap_or(false),
    };
    let (account, association) = development::accept_by_registering(&ctx, &token, &form, &body.consents()?).await?;
    let mut out = association_json(&association);
    out["account_name"] = json!(account.name().as_str());
    out["frozen"] = json!(account.is_frozen());
    Ok((StatusCode::CREATED, Json(out)))
}

async fn accept_by_login(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(token): ApiPath<String>,
    ApiJson(body): ApiJson<AcceptIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let account = account_of(&user)?;
    let association = development::accept_by_login(&ctx, &token, account, &body.consents()?).await?;
    Ok((StatusCode::CREATED, Json(association_json(&association))))
}

fn request_json(r: &DisassociationRequest) -> Value {
    let (state, decided_at) = match r.state() {
        RequestState::Pending => ("pending", None),
        RequestState::Approved { at } => ("approved", Some(at.to_rfc3339())),
        RequestState::Rejected { at } => ("rejected", Some(at.to_rfc3339())),
    };
    json!({
        "customer_id": r.customer().as_str(),
        "purpose": "disassociate",
        "reason": r.reason().as_str(),
        "initiated_by": match r.initiated_by() { Initiator::Customer => "customer", Initiator::Partner => "partner" },
        "status": state,
        "requested_at": r.requested_at().to_rfc3339(),
        "approved_at": decided_at,
    })
}

async fn my_partner(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let account = account_of(&user)?;
    let found = development::my_partner(&ctx, account.id()).await?;
    Ok(Json(match found {
        None => json!({"partner": null}),
        Some((association, partner, pending)) => json!({
            "partner": {"partner_id": partner.id().as_str(), "name": partner.name().as_str(), "country": partner.country().as_str()},
            "association": association_json(&association),
            "pending_request": pending.as_ref().map(request_json),
        }),
    }))
}

#[derive(Deserialize)]
struct ReasonIn {
    reason: Option<String>,
}

async fn request_by_customer(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<ReasonIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let account = account_of(&user)?;
    let r = development::request_by_customer(&ctx, account.id(), body.reason.as_deref().unwrap_or_default()).await?;
    Ok((StatusCode::CREATED, Json(request_json(&r))))
}

async fn customer_decides(ctx: &Context, user: &ConsoleUser, approve: bool) -> Result<Json<Value>, ApiError> {
    let account = account_of(user)?;
    Ok(Json(request_json(&development::decide_by_customer(ctx, account.id(), approve).await?)))
}

async fn customer_approves(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    customer_decides(&ctx, &user, true).await
}

async fn customer_rejects(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    customer_decides(&ctx, &user, false).await
}

async fn association_records(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let records = development::association_record_details(&ctx, partner).await?;
    let list: Vec<Value> = records
        .iter()
        .map(|record| {
            let account = record.account.as_ref();
            let mut v = request_json(&record.request);
            v["account_name"] = json!(account.map(|a| a.name().as_str()));
            v["customer"] = json!(account.and_then(|a| a.display_name()));
            v["mobile_number"] = json!(account.and_then(|a| a.phone()));
            // R-ASSOC-28: the association type and the account manager.
            v["model"] = json!(record.model.map(model_code));
            v["account_manager"] = json!(record
                .account_manager
                .as_ref()
                .map(|m| json!({"member_id": m.id().as_str(), "name": m.name().as_str()})));
            v
        })
        .collect();
    Ok(Json(json!({"records": list})))
}

async fn request_by_partner(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(customer): ApiPath<String>,
    ApiJson(body): ApiJson<ReasonIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let r =
        development::request_by_partner(&ctx, partner, &customer, body.reason.as_deref().unwrap_or_default()).await?;
    Ok((StatusCode::CREATED, Json(request_json(&r))))
}

async fn partner_decides(
    ctx: &Context,
    user: &ConsoleUser,
    customer: &str,
    approve: bool,
    body: CodeIn,
) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(user, None)?;
    let code = body.verification_code.as_deref();
    Ok(Json(request_json(&development::decide_by_partner(ctx, partner, customer, approve, code).await?)))
}

#[derive(Deserialize)]
struct CodeIn {
    verification_code: Option<String>,
}

async fn partner_approves(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(customer): ApiPath<String>,
    BssJson(body): BssJson<CodeIn>,
) -> Result<Json<Value>, ApiError> {
    partner_decides(&ctx, &user, &customer, true, body).await
}

async fn partner_rejects(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(customer): ApiPath<String>,
    BssJson(body): BssJson<CodeIn>,
) -> Result<Json<Value>, ApiError> {
    partner_decides(&ctx, &user, &customer, false, body).await
}

#[derive(Deserialize)]
struct LangIn {
    lang: Option<String>,
}

async fn send_critical_code(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<LangIn>,
) -> Result<StatusCode, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    development::send_critical_operation_code(&ctx, partner, super::language(body.lang.as_deref())?).await?;
    Ok(StatusCode::ACCEPTED)
}

async fn critical_protection(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    Ok(Json(json!({"enabled": development::critical_operation_protection(&ctx, partner).await?})))
}

#[derive(Deserialize)]
struct ProtectionIn {
    enabled: Option<bool>,
    verification_code: Option<String>,
}

async fn set_critical_protection(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<ProtectionIn>,
) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let enabled = body.enabled.ok_or_else(|| ApiError::invalid("enabled", "is required"))?;
    let code = body.verification_code.as_deref().unwrap_or_default();
    development::set_critical_operation_protection(&ctx, partner, enabled, code).await?;
    Ok(Json(json!({"enabled": enabled})))
}
