//! Development paths and tiers: the partner joins a path and sees why its tier cannot be
//! upgraded (R-HCPN-07, R-HCPN-19); the operator records path stages, invites to Core and
//! certifies tiers by entry path (R-PROG-02, R-HCPN-10 … R-HCPN-19).

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};
use axum::Json;
use opc_core::ops::tiers::{self};
use opc_core::Context;
use opc_domain::path::PathMembership;
use opc_domain::tier::{Commitment, CompetitorTier, EntryPath, EntryPathKind, TierCause, TierChange};
use opc_domain::{Money, PartnerId};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Audience, Body, Endpoint, SignedIn};
use crate::audience::{acting_partner, staff_of};
use crate::codes::{
    competitor_tier_code, entry_path_code, parse_competitor_tier, parse_entry_path, parse_path, parse_program,
    parse_tier, path_code, program_code, stage_code, tier_code,
};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiJson, ApiPath};

fn tier_schema() -> Value {
    let flag = json!({"type": "boolean"});
    json!({"type": "object", "required": ["program", "entry_path"], "properties": {
        "program": {"type": "string"},
        "entry_path": {"type": "string", "enum": ["direct", "won_back", "core_carrier", "core_regional", "core_global", "review"]},
        "tier": {"type": "string", "enum": ["standard", "advanced", "premier", "core"], "description": "For direct (advanced or premier) and review."},
        "competitor_tier": {"type": "string", "enum": CompetitorTier::ALL.map(competitor_tier_code),
            "description": "For won_back; for core_regional, the tier to fall back on (R-HCPN-15)."},
        "commitment": {"type": "object", "properties": {
            "annual_revenue_usd": {"type": "string", "description": "a decimal with at most two decimals"},
            "business_plan": flag, "certified_employees": {"type": "integer", "minimum": 0}}},
        "hcpn_management": flag, "established_local_enterprise": flag, "b2b_basis": flag, "top3_carrier": flag,
        "special_capabilities": flag, "builds_on_cloud": flag, "registered_face_to_face": flag}})
}

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            method: Method::POST,
            path: "/api/v1/partner/development-path",
            summary: "Join a development path: service, software or system_integrator (R-PROG-02, R-HCPN-07). One \
                path per account, and never on a Cloud Solution Provider account (R-PROG-08). The administrator only.",
            audience: Audience::Partner,
            request: Body::Required(json!({"type": "object", "required": ["path"], "properties": {
                "path": {"type": "string", "enum": ["service", "software", "system_integrator"]}}})),
            example: Some(json!({"path": "software"})),
            responses: &[
                (201, "The path and its stage."),
                (400, "Unknown path (CBC.0100)."),
                (409, "Already on a path, or a CSP account (CBC.99000053)."),
            ],
            handler: post(join_path),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/development-path",
            summary: "The partner account's development path and stage (R-PROG-02), or null.",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "The path, or null.")],
            handler: get(my_path),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/tier-upgrade",
            summary: "View Reason (R-HCPN-19): whether the tier can be upgraded and, if not, why, with what to do.",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "{\"upgradable\": bool, \"reasons\": [...]}")],
            handler: get(tier_upgrade),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/partners/{partner}/development-path/advance",
            summary: "Record that the partner completed its path's current stage: joined → role_validation → \
                competency_differentiation → certified (R-PROG-02).",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[
                (200, "The path and its new stage."),
                (404, "No such partner, or no path (CBC.99000054)."),
                (409, "The path is complete (CBC.99000053)."),
            ],
            handler: post(advance_path),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/partners/{partner}/core-invitation",
            summary: "Invite the partner to apply for the Core tier (R-HCPN-13).",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[
                (201, "Invited."),
                (404, "No such partner (CBC.99000054)."),
                (409, "Invited already (CBC.99000053)."),
            ],
            handler: post(invite_to_core),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/partners/{partner}/tier",
            summary: "Certify the partner's tier in a program by an entry path: direct at Advanced or Premier \
                (R-HCPN-10, -11), won back from a competitor (R-HCPN-12), Core as a leading carrier, leading regional \
                partner or a global partner's local organization (R-HCPN-13 … -16), or a review upgrade or downgrade \
                (R-HCPN-17 … -19). Every unmet condition is reported at once, with its fix.",
            audience: Audience::Staff,
            request: Body::Required(tier_schema()),
            example: Some(json!({"program": "csp", "entry_path": "direct", "tier": "premier", "hcpn_management": true,
                "established_local_enterprise": true,
                "commitment": {"annual_revenue_usd": "360000.00", "business_plan": true, "certified_employees": 5}})),
            responses: &[
                (200, "The tier granted."),
                (400, "Invalid, or conditions unmet, with every cause (CBC.99000052)."),
                (404, "No such partner or enrollment (CBC.99000054)."),
            ],
            handler: post(certify),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/operator/partners/{partner}/tier-changes",
            summary: "The partner's tier certifications and their entry paths, latest first.",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[(200, "The changes.")],
            handler: get(tier_changes),
        },
    ]
}

fn path_json(m: &PathMembership) -> Value {
    json!({"account_id": m.account().as_str(), "path": path_code(m.path()), "stage": stage_code(m.stage()),
        "role_validated": m.role_validated(), "joined_at": m.joined_at().to_rfc3339(), "stage_since": m.stage_since().to_rfc3339()})
}

fn cause_json(c: &TierCause) -> Value {
    json!({"rule": c.rule, "message": c.message, "fix": c.fix})
}

#[derive(Deserialize)]
struct JoinIn {
    path: Option<String>,
}

async fn join_path(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<JoinIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let path = body
        .path
        .as_deref()
        .and_then(parse_path)
        .ok_or_else(|| ApiError::invalid("path", "must be service, software or system_integrator"))?;
    let membership = tiers::join_path(&ctx, partner, path).await?;
    Ok((StatusCode::CREATED, Json(path_json(&membership))))
}

async fn my_path(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let membership = tiers::path_of(&ctx, partner.account_id()).await?;
    Ok(Json(membership.as_ref().map_or(Value::Null, path_json)))
}

async fn tier_upgrade(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let reasons = tiers::upgrade_reasons(&ctx, partner).await?;
    Ok(Json(json!({"upgradable": reasons.is_empty(), "reasons": reasons.iter().map(cause_json).collect::<Vec<_>>()})))
}

async fn advance_path(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(partner): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    Ok(Json(path_json(&tiers::advance_path(&ctx, staff, &partner).await?)))
}

async fn invite_to_core(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(partner): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    let staff = staff_of(&user)?;
    tiers::invite_to_core(&ctx, staff, &partner).await?;
    Ok(StatusCode::CREATED)
}

#[derive(Deserialize, Default)]
struct CommitmentIn {
    annual_revenue_usd: Option<String>,
    business_plan: Option<bool>,
    certified_employees: Option<u32>,
}

#[derive(Deserialize)]
struct CertifyIn {
    program: Option<String>,
    entry_path: Option<String>,
    tier: Option<String>,
    competitor_tier: Option<String>,
    #[serde(default)]
    commitment: CommitmentIn,
    #[serde(default)]
    hcpn_management: bool,
    #[serde(default)]
    established_local_enterprise: bool,
    #[serde(default)]
    b2b_basis: bool,
    #[serde(default)]
    top3_carrier: bool,
    #[serde(default)]
    special_capabilities: bool,
    #[serde(default)]
    builds_on_cloud: bool,
    #[serde(default)]
    registered_face_to_face: bool,
}

impl CertifyIn {
    fn commitment(&self) -> Result<Commitment, ApiError> {
        let revenue = match self.commitment.annual_revenue_usd.as_deref() {
            None => Money::ZERO,
            Some(text) => Money::parse_with_scale(text.trim(), 2)
                .map_err(|e| ApiError::invalid("commitment.annual_revenue_usd", e.to_string()))?,
        };
        Ok(Commitment {
            annual_revenue_usd: revenue,
            business_plan: self.commitment.business_plan.unwrap_or(false),
            certified_employees: self.commitment.certified_employees.unwrap_or(0),
        })
    }

    fn competitor_tier(&self) -> Result<Option<CompetitorTier>, ApiError> {
        self.competitor_tier
            .as_deref()
            .map(|text| {
                parse_competitor_tier(text)
                    .ok_or_else(|| ApiError::invalid("competitor_tier", "unknown competitor tier"))
            })
            .transpose()
    }

    fn entry_path(&self) -> Result<EntryPath, ApiError> {
        Ok(match self.entry_path.as_deref().and_then(parse_entry_path) {
            Some(EntryPathKind::Direct) => EntryPath::Direct {
                tier: parse_tier(self.tier.as_deref())?,
                hcpn_management: self.hcpn_management,
                established_local_enterprise: self.established_local_enterprise,
                commitment: self.commitment()?,
            },
            Some(EntryPathKind::WonBack) => EntryPath::WonBack(
                self.competitor_tier()?.ok_or_else(|| ApiError::invalid("competitor_tier", "is required"))?,
            ),
            Some(EntryPathKind::CoreCarrier) => EntryPath::CoreCarrier {
                commitment: self.commitment()?,
                b2b_basis: self.b2b_basis,
                top3_carrier: self.top3_carrier,
            },
            Some(EntryPathKind::CoreRegional) => EntryPath::CoreRegional {
                commitment: self.commitment()?,
                special_capabilities: self.special_capabilities,
                builds_on_cloud: self.builds_on_cloud,
                won_back: self.competitor_tier()?,
            },
            Some(EntryPathKind::CoreGlobal) => EntryPath::CoreGlobal {
                commitment: self.commitment()?,
                registered_face_to_face: self.registered_face_to_face,
                builds_on_cloud: self.builds_on_cloud,
            },
            Some(EntryPathKind::Review) => EntryPath::Review { tier: parse_tier(self.tier.as_deref())? },
            None => {
                return Err(ApiError::invalid(
                    "entry_path",
                    "must be direct, won_back, core_carrier, core_regional, core_global or review",
                ))
            }
        })
    }
}

async fn certify(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(partner): ApiPath<String>,
    ApiJson(body): ApiJson<CertifyIn>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    let program =
        body.program.as_deref().ok_or_else(|| ApiError::invalid("program", "is required")).and_then(|p| {
            parse_program(p).map_err(|_| ApiError::invalid("program", format!("unknown program {p:?}")))
        })?;
    let path = body.entry_path()?;
    let decision = tiers::certify(&ctx, staff, &partner, program, &path).await?;
    Ok(Json(
        json!({"program": program_code(program), "tier": tier_code(decision.tier), "entry_path": entry_path_code(path.kind()),
        "fell_back": decision.fell_back.iter().map(cause_json).collect::<Vec<_>>()}),
    ))
}

fn change_json(c: &TierChange) -> Value {
    json!({"program": program_code(c.program()), "from": tier_code(c.from()), "to": tier_code(c.to()),
        "entry_path": entry_path_code(c.entry_path()), "decided_at": c.decided_at().to_rfc3339(), "decided_by": c.decided_by()})
}

async fn tier_changes(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(partner): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    staff_of(&user)?;
    let id = PartnerId::parse(&partner)
        .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("There is no partner {partner:?}.")))?;
    let changes = tiers::tier_changes(&ctx, &id).await?;
    Ok(Json(json!({"tier_changes": changes.iter().map(change_json).collect::<Vec<_>>()})))
}
