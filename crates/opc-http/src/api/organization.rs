//! The partner's organization (R-ORG-*): custom roles, members, account managers, and the
//! customers each member sees (R-ORG-19).

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::{delete, get, post, put};
use axum::Json;
use opc_core::ops::organization::{self};
use opc_core::store::{CustomerQuery, CustomerView};
use opc_core::Context;
use opc_domain::access_key::{AccessKey, KeyState};
use opc_domain::association::AssociationModel;
use opc_domain::organization::{Member, Permission, Role};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Audience, Body, Endpoint, SignedIn};
use crate::audience::acting_partner;
use crate::codes::{parse_permission, parse_position, permission_code, position_code};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, BssQuery};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            method: Method::POST,
            path: "/api/v1/partner/roles",
            summary: "Create a custom role from permission items (R-ORG-02): customers.view, customers.manage, customers.develop, customers.control (budgets and freezes), audit.view.",
            audience: Audience::Partner,
            request: Body::Required(json!({"type": "object", "required": ["name", "permissions"], "properties": {
                "name": {"type": "string"}, "permissions": {"type": "array", "items": {"type": "string"}}}})),
            example: Some(json!({"name": "Sales", "permissions": ["customers.view", "customers.develop"]})),
            responses: &[(201, "The role."), (400, "A field is invalid (CBC.0100).")],
            handler: post(create_role),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/roles",
            summary: "The organization's custom roles.",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "The roles.")],
            handler: get(roles),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/partner/members",
            summary: "Create an organization member (R-ORG-02; a registered account cannot be added, R-ORG-03/04). Position: member, account_manager or account_director.",
            audience: Audience::Partner,
            request: Body::Required(json!({"type": "object", "required": ["name", "email", "password", "position"], "properties": {
                "name": {"type": "string"}, "email": {"type": "string"}, "password": {"type": "string"},
                "position": {"type": "string", "enum": ["member", "account_manager", "account_director"]}}})),
            example: Some(json!({"name": "Mei Tan", "email": "mei@acme.example", "password": "Member123!", "position": "account_manager"})),
            responses: &[(201, "The member."), (400, "Invalid, or the email is registered (CBC.0100).")],
            handler: post(create_member),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/members",
            summary: "The organization's members.",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "The members.")],
            handler: get(members),
        },
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/partner/members/{member}",
            summary: "Assign a member's role, and an account manager's account director.",
            audience: Audience::Partner,
            request: Body::Required(json!({"type": "object", "properties": {"role_id": {"type": "string"}, "director_id": {"type": "string"}}})),
            example: Some(json!({"role_id": "0123456789abcdef0123456789abcdef"})),
            responses: &[(200, "The member."), (404, "Not in the organization (CBC.99000054).")],
            handler: put(update_member),
        },
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/partner/customers/{customer}/account-manager",
            summary: "Assign a customer to an account manager (R-RCM-01).",
            audience: Audience::Partner,
            request: Body::Required(json!({"type": "object", "required": ["member_id"], "properties": {"member_id": {"type": "string"}}})),
            example: Some(json!({"member_id": "0123456789abcdef0123456789abcdef"})),
            responses: &[
                (200, "Assigned."),
                (400, "Not your customer (CBC.99000035) or not an account manager (CBC.0100)."),
                (404, "No such member in the organization (CBC.99000054)."),
            ],
            handler: put(assign_manager),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/customers",
            summary: "The customers the signed-in partner user may see (R-ORG-19): all for the administrator, an account manager's own, an account director's team's. Query: offset, limit (1-100).",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "The customers."), (400, "A bad offset or limit (CBC.0100).")],
            handler: get(customers),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/partner/access-keys",
            summary: "Issue an access key (AK/SK) for the BSS API; the secret key is shown in this answer only. The \
                administrator issues the partner's keys, or a member's with member_id; a member issues its own. A \
                member's key acts with the member's permission items and sees the customers the member sees \
                (R-ORG-02, R-ORG-19).",
            audience: Audience::Partner,
            request: Body::Required(json!({"type": "object", "properties": {"member_id": {"type": "string"}}})),
            example: Some(json!({"member_id": "0123456789abcdef0123456789abcdef"})),
            responses: &[(201, "The key, with its secret_key, once."), (404, "No such member (CBC.99000054).")],
            handler: post(create_access_key),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/access-keys",
            summary: "The access keys the signed-in user manages (every key of the partner for the administrator, its own for a member), without secrets.",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "The keys.")],
            handler: get(access_keys),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/partner/access-keys/{key}/revoke",
            summary: "Revoke an access key: requests signed with it are refused from now on.",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "Revoked."), (404, "Not a key you manage (CBC.99000054)."), (409, "Already revoked (CBC.99000053).")],
            handler: post(revoke_access_key),
        },
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/partner/notice-recipients",
            summary: "Who receives the partner's budget notices (75, 90, 100 %) and consumption-quota notices (80 %, \
                used up): one to ten emails. Without them, the partner account's email does. The administrator only.",
            audience: Audience::Partner,
            request: Body::Required(json!({"type": "object", "required": ["emails"], "properties": {
                "emails": {"type": "array", "minItems": 1, "maxItems": 10, "items": {"type": "string"}}}})),
            example: Some(json!({"emails": ["finance@acme.example", "sales@acme.example"]})),
            responses: &[(200, "The recipients."), (400, "An invalid email, none, or more than ten (CBC.0100).")],
            handler: put(set_notice_recipients),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/notice-recipients",
            summary: "Who receives the partner's budget and quota notices now.",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "The recipients.")],
            handler: get(notice_recipients),
        },
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/partner/webhook",
            summary: "Where the partner's budget and quota notices are also POSTed, as JSON ({event, partner_id, \
                subject_id, title, message, at}), with the header X-OPC-Signature: sha256=<hex HMAC-SHA256 of the \
                body under the secret returned here, once>. Deliveries are retried (30 s, doubling, up to an hour; \
                eight attempts). Setting it again replaces the URL and the secret. The administrator only.",
            audience: Audience::Partner,
            request: Body::Required(json!({"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}})),
            example: Some(json!({"url": "https://hooks.acme.example/opc"})),
            responses: &[(200, "The URL and the signing secret (shown this once)."), (400, "Not an http(s) URL (CBC.0100).")],
            handler: put(set_webhook),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/webhook",
            summary: "The partner's webhook URL, if it set one (never the secret).",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "{\"url\": … or null}")],
            handler: get(show_webhook),
        },
        Endpoint {
            method: Method::DELETE,
            path: "/api/v1/partner/webhook",
            summary: "Remove the partner's webhook: notices go by email only.",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "Removed.")],
            handler: delete(remove_webhook),
        },
    ]
}

#[derive(Deserialize)]
struct WebhookIn {
    url: Option<String>,
}

async fn set_webhook(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<WebhookIn>,
) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let url = body.url.ok_or_else(|| ApiError::invalid("url", "is required"))?;
    let secret = opc_core::ops::outbox::set_webhook(&ctx, partner, &url).await?;
    Ok(Json(json!({"url": url.trim(), "secret": secret.expose()})))
}

async fn show_webhook(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let url = ctx.store.webhook(partner.id()).await?.map(|(url, _)| url);
    Ok(Json(json!({"url": url})))
}

async fn remove_webhook(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    opc_core::ops::outbox::remove_webhook(&ctx, partner).await?;
    Ok(Json(json!({"url": null})))
}

#[derive(Deserialize)]
struct RecipientsIn {
    emails: Option<Vec<String>>,
}

async fn set_notice_recipients(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<RecipientsIn>,
) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let emails = opc_core::ops::usage::set_recipients(&ctx, partner, &body.emails.unwrap_or_default()).await?;
    Ok(Json(json!({"emails": emails.iter().map(|e| e.as_str()).collect::<Vec<_>>()})))
}

async fn notice_recipients(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    Ok(Json(json!({"emails": opc_core::ops::usage::notice_recipients(&ctx, partner).await?})))
}

/// The signed-in partner user allowed to manage keys: the administrator (`None`) or a member.
fn key_manager(
    user: &opc_core::ops::console::ConsoleUser,
) -> Result<(&opc_domain::partner::Partner, Option<&Member>), ApiError> {
    use opc_core::ops::console::ConsoleUser;
    match user {
        ConsoleUser::Member { member, partner, .. } => Ok((partner, Some(member))),
        _ => acting_partner(user, None),
    }
}

fn key_json(k: &AccessKey) -> Value {
    let revoked_at = match k.state() {
        KeyState::Active => None,
        KeyState::Revoked { at } => Some(at.to_rfc3339()),
    };
    json!({"access_key": k.id().as_str(), "member_id": k.member().as_ref().map(|m| m.as_str()),
        "created_at": k.created_at().to_rfc3339(), "active": k.is_active(), "revoked_at": revoked_at})
}

#[derive(Deserialize)]
struct KeyIn {
    member_id: Option<String>,
}

async fn create_access_key(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<KeyIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (partner, by) = key_manager(&user)?;
    let (key, secret) = organization::create_access_key(&ctx, partner, by, body.member_id.as_deref()).await?;
    let mut out = key_json(&key);
    out["secret_key"] = json!(secret.expose());
    Ok((StatusCode::CREATED, Json(out)))
}

async fn access_keys(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let (partner, by) = key_manager(&user)?;
    let keys = organization::access_keys(&ctx, partner, by).await?;
    Ok(Json(json!({"access_keys": keys.iter().map(key_json).collect::<Vec<_>>()})))
}

async fn revoke_access_key(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(key): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    let (partner, by) = key_manager(&user)?;
    Ok(Json(key_json(&organization::revoke_access_key(&ctx, partner, by, &key).await?)))
}

fn role_json(r: &Role) -> Value {
    json!({"role_id": r.id().as_str(), "name": r.name().as_str(), "permissions": r.permissions().iter().map(|p| permission_code(*p)).collect::<Vec<_>>()})
}

fn member_json(m: &Member) -> Value {
    json!({"member_id": m.id().as_str(), "name": m.name().as_str(), "email": m.email().as_str(), "position": position_code(m.position()),
        "role_id": m.role().map(|r| r.as_str()), "director_id": m.director().map(|d| d.as_str())})
}

#[derive(Deserialize)]
struct RoleIn {
    name: Option<String>,
    permissions: Option<Vec<String>>,
}

async fn create_role(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<RoleIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let permissions: Vec<_> = body.permissions.iter().flatten().map(|p| parse_permission(p)).collect();
    let role = organization::create_role(&ctx, partner, body.name.as_deref().unwrap_or_default(), &permissions).await?;
    Ok((StatusCode::CREATED, Json(role_json(&role))))
}

async fn roles(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let list = organization::roles(&ctx, partner).await?;
    Ok(Json(json!({"roles": list.iter().map(role_json).collect::<Vec<_>>()})))
}

#[derive(Deserialize)]
struct MemberIn {
    name: Option<String>,
    email: Option<String>,
    password: Option<String>,
    position: Option<String>,
}

async fn create_member(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<MemberIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let position = parse_position(body.position.as_deref())?;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let member =
        organization::create_member(&ctx, partner, &s(&body.name), &s(&body.email), &s(&body.password), position)
            .await?;
    Ok((StatusCode::CREATED, Json(member_json(&member))))
}

async fn members(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let list = organization::members(&ctx, partner).await?;
    Ok(Json(json!({"members": list.iter().map(member_json).collect::<Vec<_>>()})))
}

#[derive(Deserialize)]
struct UpdateIn {
    role_id: Option<String>,
    director_id: Option<String>,
}

async fn update_member(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(member): ApiPath<String>,
    ApiJson(body): ApiJson<UpdateIn>,
) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let m = organization::update_member(&ctx, partner, &member, body.role_id.as_deref(), body.director_id.as_deref())
        .await?;
    Ok(Json(member_json(&m)))
}

#[derive(Deserialize)]
struct AssignIn {
    member_id: Option<String>,
}

async fn assign_manager(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(customer): ApiPath<String>,
    ApiJson(body): ApiJson<AssignIn>,
) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, Some(Permission::ManageCustomers))?;
    let a =
        organization::assign_account_manager(&ctx, partner, &customer, body.member_id.as_deref().unwrap_or_default())
            .await?;
    Ok(Json(
        json!({"customer_id": a.customer().as_str(), "account_manager_id": a.account_manager().as_ref().map(|m| m.as_str())}),
    ))
}

#[derive(Deserialize)]
struct Paging {
    offset: Option<i64>,
    limit: Option<i64>,
}

fn customer_json(v: &CustomerView) -> Value {
    json!({
        "customer_id": v.account.id().as_str(),
        "account_name": v.account.name().as_str(),
        "model": match v.association.model() { AssociationModel::Referral => "referral", AssociationModel::Reseller => "reseller" },
        "frozen": v.account.is_frozen(),
        "associated_at": v.association.associated_at().to_rfc3339(),
        "account_manager_id": v.association.account_manager().as_ref().map(|m| m.as_str()),
    })
}

async fn customers(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    BssQuery(q): BssQuery<Paging>,
) -> Result<Json<Value>, ApiError> {
    let (partner, member) = acting_partner(&user, Some(Permission::ViewCustomers))?;
    let offset = q.offset.unwrap_or(0);
    let limit = q.limit.unwrap_or(20);
    if !(0..=i64::from(i32::MAX)).contains(&offset) || !(1..=100).contains(&limit) {
        return Err(ApiError::invalid("limit", "offset must be 0 or more and limit 1 to 100"));
    }
    let query = CustomerQuery { offset: offset as u32, limit: limit as u32, ..CustomerQuery::default() };
    let (list, count) = organization::visible_customers(&ctx, partner, member, query).await?;
    Ok(Json(json!({"count": count, "customers": list.iter().map(customer_json).collect::<Vec<_>>()})))
}
