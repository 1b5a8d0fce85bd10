//! Registration, sign-in and sign-out, the signed-in user, and the audit trail of one's scope.

use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::Json;
use opc_core::ops::console::{self, ConsoleUser};
use opc_core::store::AuditQuery;
use opc_core::Context;
use opc_domain::audit::{Actor, AuditEvent};
use opc_domain::console::RegistrationForm;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{language, Audience, Body, Endpoint, SignedIn};
use crate::audience::{account_of, audit_scope};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, BssQuery};
use crate::session::{Cookie, Cookies};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            method: Method::POST,
            path: "/api/v1/registration/verification-codes",
            summary: "Send a registration verification code to an email (R-ACCT-15); it waits in the notification outbox.",
            audience: Audience::Anyone,
            request: Body::Required(json!({"type": "object", "required": ["email"], "properties": {
                "email": {"type": "string", "format": "email"},
                "lang": {"type": "string", "enum": ["en-us", "zh-cn"]}}})),
            example: Some(json!({"email": "new.customer@example.com", "lang": "en-us"})),
            responses: &[(202, "The code is on its way."), (400, "A field is invalid (CBC.0100).")],
            handler: post(send_code),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/accounts",
            summary: "Register a cloud account (R-ACCT-15, R-ACCT-16, R-ACCT-17).",
            audience: Audience::Anyone,
            request: Body::Required(registration_schema()),
            example: Some(registration_example()),
            responses: &[
                (201, "The account."),
                (400, "A field is invalid (CBC.0100), the email is taken (CBC.99000047) or the code is wrong (CBC.99000048)."),
            ],
            handler: post(register),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/new-account-links/verification-codes",
            summary: "Register a new account, step 1 (R-ACCT-13): send a verification code to the signed-in \
                account's own email; it waits in the notification outbox.",
            audience: Audience::Account,
            request: Body::Required(json!({"type": "object", "properties": {
                "lang": {"type": "string", "enum": ["en-us", "zh-cn"]}}})),
            example: Some(json!({"lang": "en-us"})),
            responses: &[
                (202, "The code is on its way."),
                (409, "The account has no email (CBC.99000053)."),
            ],
            handler: post(send_new_account_code),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/new-account-links",
            summary: "Register a new account, step 2 (R-ACCT-13): check the code and issue a link for \
                registering the new account, valid 24 hours and once. The token is shown only here.",
            audience: Audience::Account,
            request: Body::Required(json!({"type": "object", "required": ["verification_code"], "properties": {
                "verification_code": {"type": "string"}}})),
            example: Some(json!({"verification_code": "123456"})),
            responses: &[
                (201, "The link: token, register_path and expires_at."),
                (400, "The code is wrong or expired (CBC.99000048)."),
            ],
            handler: post(issue_new_account_link),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/new-account-links/{token}/accounts",
            summary: "Register a new account, step 3 (R-ACCT-13, R-ACCT-14): register through the link, with \
                an email other than the current account's. The body is that of POST /api/v1/accounts.",
            audience: Audience::Anyone,
            request: Body::Required(registration_schema()),
            example: Some(registration_example()),
            responses: &[
                (201, "The new account."),
                (400, "A field is invalid or the email is the current account's (CBC.0100), the email is \
                    taken (CBC.99000047) or the code is wrong (CBC.99000048)."),
                (404, "No such link (CBC.99000054)."),
                (409, "The link has expired or was used (CBC.99000053)."),
            ],
            handler: post(register_with_link),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/sessions",
            summary: "Sign in with an email (or login name) and password; sets the session cookie and returns the token.",
            audience: Audience::Anyone,
            request: Body::Required(json!({"type": "object", "required": ["login", "password"], "properties": {
                "login": {"type": "string"}, "password": {"type": "string"}}})),
            example: Some(json!({"login": "new.customer@example.com", "password": "Secret123!"})),
            responses: &[
                (201, "Signed in."),
                (401, "The login or the password is wrong (CBC.0154)."),
                (429, "Five failed sign-ins lock the login for 15 minutes (R-ACCT-19), or no turn to check the password now: try later (APIG.0308)."),
            ],
            handler: post(sign_in),
        },
        Endpoint {
            method: Method::DELETE,
            path: "/api/v1/sessions/current",
            summary: "Sign out.",
            audience: Audience::SignedIn,
            request: Body::None,
            example: None,
            responses: &[(204, "Signed out.")],
            handler: delete(sign_out),
        },
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/me/password",
            summary: "Change your password (R-ACCT-19 (a)): the current one, then the new one twice, under the \
                registration rules. Your other sessions are signed out.",
            audience: Audience::SignedIn,
            request: Body::Required(json!({"type": "object", "required": ["current_password", "new_password", "new_password_confirmation"],
                "properties": {"current_password": {"type": "string"}, "new_password": {"type": "string"},
                    "new_password_confirmation": {"type": "string"}}})),
            example: Some(json!({"current_password": "Secret123!", "new_password": "Better456!", "new_password_confirmation": "Better456!"})),
            responses: &[(204, "Changed."), (400, "Wrong current password, or the new one breaks a rule (CBC.0100).")],
            handler: put(change_password),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/member-password-resets/verification-codes",
            summary: "Forgot Password for an organization member (R-ACCT-19 (b)): the administrator account's name and \
                the member's name or email; a six-digit code goes to the member's bound email. The answer is the \
                same whether or not the member exists.",
            audience: Audience::Anyone,
            request: Body::Required(json!({"type": "object", "required": ["administrator_account", "user"], "properties": {
                "administrator_account": {"type": "string"}, "user": {"type": "string"},
                "lang": {"type": "string", "enum": ["en-us", "zh-cn"]}}})),
            example: Some(json!({"administrator_account": "acme_admin", "user": "mei@acme.example"})),
            responses: &[(202, "If the member exists, the code is on its way.")],
            handler: post(start_member_reset),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/member-password-resets",
            summary: "Set a member's new password with the emailed code (R-ACCT-19 (b) step 4); the code is used up \
                and every session of the member is signed out.",
            audience: Audience::Anyone,
            request: Body::Required(json!({"type": "object", "required": ["administrator_account", "user", "verification_code", "new_password", "new_password_confirmation"],
                "properties": {"administrator_account": {"type": "string"}, "user": {"type": "string"},
                    "verification_code": {"type": "string"}, "new_password": {"type": "string"},
                    "new_password_confirmation": {"type": "string"}}})),
            example: Some(json!({"administrator_account": "acme_admin", "user": "mei@acme.example", "verification_code": "123456",
                "new_password": "Better456!", "new_password_confirmation": "Better456!"})),
            responses: &[(204, "Changed."), (400, "The code is wrong or expired (CBC.99000048), or the password breaks a rule (CBC.0100).")],
            handler: post(reset_member_password),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/me",
            summary: "The signed-in user: an account (with its partner, if it is one) or operator staff.",
            audience: Audience::SignedIn,
            request: Body::None,
            example: None,
            responses: &[(200, "The user.")],
            handler: get(me),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/audit-events",
            summary: "Audit events of the caller's scope, newest first: all for staff, the partner's for a \
                partner account, the account's own for a customer. Query: limit (1-500, default 50).",
            audience: Audience::SignedIn,
            request: Body::None,
            example: None,
            responses: &[(200, "The events."), (400, "A bad limit (CBC.0100)."), (403, "A member whose role does not grant audit.view (CBC.0151).")],
            handler: get(audit_events),
        },
    ]
}

#[derive(Deserialize)]
struct SendCode {
    email: Option<String>,
    lang: Option<String>,
}

async fn send_code(State(ctx): State<Context>, ApiJson(req): ApiJson<SendCode>) -> Result<StatusCode, ApiError> {
    let lang = language(req.lang.as_deref())?;
    console::send_registration_code(&ctx, req.email.as_deref().unwrap_or_default(), lang).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Deserialize)]
struct Register {
    country: Option<String>,
    email: Option<String>,
    verification_code: Option<String>,
    password: Option<String>,
    password_confirmation: Option<String>,
    accepts_id_agreement: Option<bool>,
    accepts_privacy_statement: Option<bool>,
    enable_services: Option<bool>,
    accepts_customer_agreement: Option<bool>,
}

impl Register {
    fn form(&self) -> RegistrationForm<'_> {
        RegistrationForm {
            country: self.country.as_deref().unwrap_or_default(),
            email: self.email.as_deref().unwrap_or_default(),
            verification_code: self.verification_code.as_deref().unwrap_or_default(),
            password: self.password.as_deref().unwrap_or_default(),
            password_confirmation: self.password_confirmation.as_deref().unwrap_or_default(),
            accepts_id_agreement: self.accepts_id_agreement.unwrap_or(false),
            accepts_privacy_statement: self.accepts_privacy_statement.unwrap_or(false),
            enable_services: self.enable_services.unwrap_or(true),
            accepts_customer_agreement: self.accepts_customer_agreement.unwrap_or(false),
        }
    }
}

fn registration_schema() -> Value {
    json!({"type": "object",
        "required": ["country", "email", "verification_code", "password", "password_confirmation",
            "accepts_id_agreement", "accepts_privacy_statement"],
        "properties": {
            "country": {"type": "string", "description": "ISO 3166-1 alpha-2"},
            "email": {"type": "string", "format": "email"},
            "verification_code": {"type": "string"},
            "password": {"type": "string", "minLength": 8, "maxLength": 32},
            "password_confirmation": {"type": "string"},
            "accepts_id_agreement": {"type": "boolean"},
            "accepts_privacy_statement": {"type": "boolean"},
            "enable_services": {"type": "boolean", "default": true},
            "accepts_customer_agreement": {"type": "boolean"}}})
}

fn registration_example() -> Value {
    json!({"country": "SG", "email": "new.customer@example.com", "verification_code": "123456",
        "password": "Secret123!", "password_confirmation": "Secret123!", "accepts_id_agreement": true,
        "accepts_privacy_statement": true, "enable_services": false})
}

async fn register(
    State(ctx): State<Context>,
    ApiJson(req): ApiJson<Register>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let account = console::register(&ctx, &req.form()).await?;
    Ok((StatusCode::CREATED, Json(account_json(&account))))
}

#[derive(Deserialize)]
struct Lang {
    lang: Option<String>,
}

async fn send_new_account_code(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(req): ApiJson<Lang>,
) -> Result<StatusCode, ApiError> {
    console::start_new_account(&ctx, account_of(&user)?, language(req.lang.as_deref())?).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Deserialize)]
struct Verify {
    verification_code: Option<String>,
}

async fn issue_new_account_link(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(req): ApiJson<Verify>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let code = req.verification_code.as_deref().unwrap_or_default();
    let (token, link) = console::verify_new_account(&ctx, account_of(&user)?, code).await?;
    let body = json!({
        "token": token,
        "register_path": format!("/api/v1/new-account-links/{token}/accounts"),
        "expires_at": link.expires_at.to_rfc3339(),
    });
    Ok((StatusCode::CREATED, Json(body)))
}

async fn register_with_link(
    State(ctx): State<Context>,
    ApiPath(token): ApiPath<String>,
    ApiJson(req): ApiJson<Register>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let account = console::register_with_link(&ctx, &token, &req.form()).await?;
    Ok((StatusCode::CREATED, Json(account_json(&account))))
}

fn account_json(a: &opc_domain::account::Account) -> Value {
    json!({
        "account_id": a.id().as_str(),
        "account_name": a.name().as_str(),
        "email": a.email(),
        "country": a.country().as_str(),
        "registered_at": a.registered_at().to_rfc3339(),
        "services_enabled": a.services_enabled_at().is_some(),
    })
}

#[derive(Deserialize)]
struct SignIn {
    login: Option<String>,
    password: Option<String>,
}

async fn sign_in(State(ctx): State<Context>, ApiJson(req): ApiJson<SignIn>) -> Result<Response, ApiError> {
    let (token, session) =
        console::sign_in(&ctx, req.login.as_deref().unwrap_or_default(), req.password.as_deref().unwrap_or_default())
            .await?;
    let mut headers = HeaderMap::new();
    Cookies::of(&ctx).set_session(&mut headers, &token);
    let body = json!({"token": token, "expires_at": session.expires_at.to_rfc3339()});
    Ok((StatusCode::CREATED, headers, Json(body)).into_response())
}

async fn sign_out(State(ctx): State<Context>, SignedIn(_, token): SignedIn) -> Result<Response, ApiError> {
    console::sign_out(&ctx, &token).await?;
    let mut headers = HeaderMap::new();
    Cookies::of(&ctx).expire(&mut headers, Cookie::Session);
    Ok((StatusCode::NO_CONTENT, headers).into_response())
}

async fn me(SignedIn(user, _): SignedIn) -> Json<Value> {
    Json(match user {
        ConsoleUser::Account { account, partner } => json!({
            "kind": "account",
            "account": account_json(&account),
            "partner": partner.map(|p| json!({"partner_id": p.id().as_str(), "name": p.name().as_str()})),
        }),
        ConsoleUser::Member { member, partner, role } => json!({
            "kind": "member",
            "member": {"member_id": member.id().as_str(), "name": member.name().as_str(), "email": member.email().as_str(),
                "position": format!("{:?}", member.position()), "role": role.as_ref().map(|r| r.name().as_str()),
                "permissions": role.as_ref().map(|r| r.permissions().iter().map(|p| crate::codes::permission_code(*p)).collect::<Vec<_>>())},
            "partner": {"partner_id": partner.id().as_str(), "name": partner.name().as_str()},
        }),
        ConsoleUser::Staff(staff) => json!({
            "kind": "staff",
            "staff": {"staff_id": staff.id.as_str(), "name": staff.name.as_str(), "email": staff.email.as_str()},
        }),
    })
}

#[derive(Deserialize)]
struct AuditParams {
    limit: Option<i64>,
}

async fn audit_events(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    BssQuery(params): BssQuery<AuditParams>,
) -> Result<Json<Value>, ApiError> {
    let limit = match params.limit {
        None => 50,
        Some(l) if (1..=500).contains(&l) => l as u32,
        Some(_) => return Err(ApiError::invalid("limit", "must be between 1 and 500")),
    };
    let query = AuditQuery { limit, ..audit_scope(&user)? };
    let events = ctx.store.audit_events(&query).await?;
    Ok(Json(json!({"events": events.iter().map(event_json).collect::<Vec<_>>()})))
}

fn event_json(e: &AuditEvent) -> Value {
    let actor = match &e.actor {
        Actor::Operator(name) => json!({"kind": "operator", "name": name}),
        Actor::PartnerKey { partner, key } => {
            json!({"kind": "partner", "partner_id": partner.as_str(), "access_key": key.as_str()})
        }
        Actor::Customer(account) => json!({"kind": "account", "account_id": account.as_str()}),
        Actor::System => json!({"kind": "system"}),
    };
    json!({
        "id": e.id.as_str(),
        "at": e.at.to_rfc3339(),
        "actor": actor,
        "partner_id": e.partner.as_ref().map(|p| p.as_str()),
        "on_behalf_of": e.on_behalf_of.as_ref().map(|a| a.as_str()),
        "action": e.action.as_str(),
        "subject": {"kind": e.subject.kind, "id": e.subject.id},
        "before": e.before,
        "after": e.after,
    })
}

#[derive(Deserialize)]
struct PasswordIn {
    current_password: Option<String>,
    new_password: Option<String>,
    new_password_confirmation: Option<String>,
}

async fn change_password(
    State(ctx): State<Context>,
    SignedIn(user, token): SignedIn,
    ApiJson(body): ApiJson<PasswordIn>,
) -> Result<StatusCode, ApiError> {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let (current, new, confirmation) =
        (s(&body.current_password), s(&body.new_password), s(&body.new_password_confirmation));
    console::change_password(&ctx, &user, &token, &current, &new, &confirmation).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct MemberResetIn {
    administrator_account: Option<String>,
    user: Option<String>,
    lang: Option<String>,
    verification_code: Option<String>,
    new_password: Option<String>,
    new_password_confirmation: Option<String>,
}

async fn start_member_reset(
    State(ctx): State<Context>,
    ApiJson(body): ApiJson<MemberResetIn>,
) -> Result<StatusCode, ApiError> {
    // Both are required, as the document says; the answer is the same whether or not they name
    // a member.
    let required = |field: &str, v: &Option<String>| {
        v.clone().filter(|v| !v.trim().is_empty()).ok_or_else(|| ApiError::invalid(field, "is required"))
    };
    let administrator = required("administrator_account", &body.administrator_account)?;
    let user = required("user", &body.user)?;
    let lang = language(body.lang.as_deref())?;
    console::start_member_password_reset(&ctx, &administrator, &user, lang).await?;
    Ok(StatusCode::ACCEPTED)
}

async fn reset_member_password(
    State(ctx): State<Context>,
    ApiJson(body): ApiJson<MemberResetIn>,
) -> Result<StatusCode, ApiError> {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    console::reset_member_password(
        &ctx,
        &s(&body.administrator_account),
        &s(&body.user),
        &s(&body.verification_code),
        &s(&body.new_password),
        &s(&body.new_password_confirmation),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
