//! HCPN membership and partner programs: the applicant's wizard and "View Cause", the
//! operator's review queues.

use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::{get, post, put};
use axum::Json;
use opc_core::ops::console::ConsoleUser;
use opc_core::ops::programs::{self};
use opc_core::Context;
use opc_domain::certificate::{self, Certificate, RenewalPolicy};
use opc_domain::hcpn::{HcpnApplication, HcpnState};
use opc_domain::partner::Program;
use opc_domain::program::{Agreement, Cause, ProgramApplication, ProgramApplicationState};
use opc_domain::Timestamp;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Audience, Body, Endpoint, SignedIn};
use crate::audience::{account_of, acting_partner, staff_of};
use crate::codes::{agreement_code, parse_agreement, parse_program, program_code, tier_code};
use crate::console::i18n::{Arg, Lang};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiJson, ApiPath, BssQuery};
use crate::hcpn;
use crate::session::Cookies;

fn hcpn_form_schema() -> Value {
    json!({"type": "object", "required": ["agreement_accepted"], "properties": {
        "business": {"type": "object", "required": ["company_name", "country", "address"], "properties": {
            "company_name": {"type": "string"}, "country": {"type": "string"}, "address": {"type": "string"},
            "website": {"type": "string"}}},
        "contact": {"type": "object", "required": ["name", "email", "phone"], "properties": {
            "name": {"type": "string"}, "email": {"type": "string"}, "phone": {"type": "string"}}},
        "sensitive_relationships": {"type": "object", "required": ["has_relationship"], "properties": {
            "has_relationship": {"type": "boolean"}, "description": {"type": "string"}}},
        "agreement_accepted": {"type": "boolean"}}})
}

fn hcpn_example() -> Value {
    json!({"business": {"company_name": "Example Cloud Pte Ltd", "country": "SG", "address": "1 Example Road, Singapore"},
        "contact": {"name": "Ana Lim", "email": "ana@example.com", "phone": "+65 6123 4567"},
        "sensitive_relationships": {"has_relationship": false}, "agreement_accepted": true})
}

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            method: Method::POST,
            path: "/api/v1/hcpn/application",
            summary: "Apply to join HCPN (R-HCPN-02): every incomplete wizard step is reported at once; the \
                automatic check approves at once or sends the application to manual review (R-HCPN-04).",
            audience: Audience::Account,
            request: Body::Required(hcpn_form_schema()),
            example: Some(hcpn_example()),
            responses: &[(201, "The application."), (400, "Incomplete or invalid (CBC.0100)."), (409, "Already applied, or already a partner (CBC.99000053).")],
            handler: post(submit_hcpn),
        },
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/hcpn/application",
            summary: "Resubmit a rejected HCPN application after editing it (R-HCPN-04).",
            audience: Audience::Account,
            request: Body::Required(hcpn_form_schema()),
            example: Some(hcpn_example()),
            responses: &[(200, "The application."), (404, "No application (CBC.99000054)."), (409, "Not rejected (CBC.99000053).")],
            handler: axum::routing::put(resubmit_hcpn),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/hcpn/application",
            summary: "The account's HCPN application, its state and, when rejected, the reason (R-HCPN-05).",
            audience: Audience::Account,
            request: Body::None,
            example: None,
            responses: &[(200, "The application, or null.")],
            handler: get(my_hcpn),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/operator/hcpn-applications",
            summary: "The operator's HCPN review queue. Query: state (manual_review by default, or submitted, approved, rejected).",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[(200, "The applications, oldest first.")],
            handler: get(hcpn_queue),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/hcpn-applications/{applicant}/approve",
            summary: "Approve an application in manual review; the applicant becomes a Standard partner (R-HCPN-08).",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[(200, "The application."), (404, "No application (CBC.99000054)."), (409, "Not in manual review (CBC.99000053).")],
            handler: post(approve_hcpn),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/hcpn-applications/{applicant}/reject",
            summary: "Reject an application in manual review, with the reason the applicant sees (R-HCPN-05).",
            audience: Audience::Staff,
            request: Body::Required(json!({"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}})),
            example: Some(json!({"reason": "The business licence does not match the company name."})),
            responses: &[
                (200, "The application."),
                (400, "No reason (CBC.0100)."),
                (404, "No such application (CBC.99000054)."),
                (409, "Not in manual review (CBC.99000053)."),
            ],
            handler: post(reject_hcpn),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/programs/{program}/eligibility",
            summary: "View Cause (R-PROG-05): every condition of the program the account fails, each with its rule and fix.",
            audience: Audience::Account,
            request: Body::None,
            example: None,
            responses: &[(200, "Eligible or not, with every cause."), (404, "No such program (CBC.99000054).")],
            handler: get(program_eligibility),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/programs/{program}/applications",
            summary: "Apply to a program (R-PROG-04). The CSP business area defaults to the account's country and \
                cannot change once joined (R-PROG-22). An ineligible account is told every cause at once. The \
                wizard's documents are listed in agreements: for CSP csp_cooperation_agreement and \
                anti_bribery_questionnaire (R-PROG-24, R-CERT-05); for DPP huawei_id_association_statement and \
                distribution_cooperation_agreement (R-PROG-41, R-CERT-06); for Carrier carrier_cooperation_agreement \
                (R-CERT-08). Every missing one is reported at once.",
            audience: Audience::Account,
            request: Body::Required(json!({"type": "object", "properties": {
                "business_area": {"type": "string"},
                "agreements": {"type": "array", "items": {"type": "string", "enum": Agreement::ALL.map(agreement_code)}}}})),
            example: Some(json!({"business_area": "SG", "agreements": ["csp_cooperation_agreement", "anti_bribery_questionnaire"]})),
            responses: &[
                (201, "The application."),
                (400, "Ineligible, with every cause and fix (CBC.99000052); or documents missing, every one (CBC.0100)."),
            ],
            handler: post(apply_program),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/account/agreements",
            summary: "The agreements the account has signed, oldest first (R-CERT-09): HCPN's certification agreement \
                and each program application's documents.",
            audience: Audience::Account,
            request: Body::None,
            example: None,
            responses: &[(200, "The agreements.")],
            handler: get(signed_agreements),
        },
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/partner/revenue-goals",
            summary: "Set the partner's annual revenue goal for this year or the next (R-PROG-44); setting a \
                year again replaces its goal. The partner's administrator only.",
            audience: Audience::Partner,
            request: Body::Required(json!({"type": "object", "required": ["year", "amount"], "properties": {
                "year": {"type": "integer"},
                "amount": {"type": "string", "description": "a positive decimal with at most two decimals"}}})),
            example: Some(json!({"year": 2027, "amount": "1500000.00"})),
            responses: &[
                (200, "The goal."),
                (400, "The year is not this or the next, or the amount is invalid (CBC.0100)."),
            ],
            handler: put(set_revenue_goal),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/revenue-goals",
            summary: "The partner's annual revenue goals, latest year first (R-PROG-44).",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "The goals.")],
            handler: get(revenue_goals),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/programs/{program}/certificate.pdf",
            summary: "Download the program certificate, with its validity period; certificates renew on January 31 (R-CERT-02, R-CERT-03).",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "application/pdf"), (404, "Not enrolled in the program (CBC.99000054).")],
            handler: get(certificate_pdf),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/programs/{program}/certificate.png",
            summary: "The program certificate as a PNG image, stating what the PDF states (R-CERT-02, R-CERT-03).",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "image/png"), (404, "Not enrolled in the program (CBC.99000054).")],
            handler: get(certificate_png),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/programs",
            summary: "Requested and enrolled partner programs (R-PROG-45), with tiers (R-HCPN-20).",
            audience: Audience::Account,
            request: Body::None,
            example: None,
            responses: &[(200, "The programs.")],
            handler: get(my_programs),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/dpp-invitations",
            summary: "Invite an account, by its email, to the Distribution Partner Program, which is joined by invitation only (R-PROG-27).",
            audience: Audience::Staff,
            request: Body::Required(json!({"type": "object", "required": ["email"], "properties": {"email": {"type": "string"}}})),
            example: Some(json!({"email": "distributor@example.com"})),
            responses: &[(201, "Invited; the email is queued."), (400, "Invalid or already invited (CBC.0100)."), (404, "No account with that email (CBC.99000054).")],
            handler: post(invite_to_dpp),
        },
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/operator/accounts/{account}/bd-pre-registration",
            summary: "A Huawei BD pre-registers an account, or releases it (R-PROG-16, R-PROG-37): a pre-registered \
                account cannot join CSP or DPP until released.",
            audience: Audience::Staff,
            request: Body::Required(json!({"type": "object", "required": ["pre_registered"], "properties": {"pre_registered": {"type": "boolean"}}})),
            example: Some(json!({"pre_registered": false})),
            responses: &[(200, "The account's state."), (404, "No such account (CBC.99000054).")],
            handler: put(set_bd_preregistration),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/operator/program-applications",
            summary: "The operator's program review queue. Query: state (submitted by default, approved, rejected).",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[(200, "The applications, oldest first.")],
            handler: get(program_queue),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/program-applications/{applicant}/{program}/approve",
            summary: "Approve a program application: the program is enrolled at the Standard tier.",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[(200, "The application."), (404, "No application (CBC.99000054)."), (409, "Already decided (CBC.99000053).")],
            handler: post(approve_program),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/program-applications/{applicant}/{program}/reject",
            summary: "Reject a program application with a reason.",
            audience: Audience::Staff,
            request: Body::Required(json!({"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}})),
            example: Some(json!({"reason": "The company information could not be verified."})),
            responses: &[
                (200, "The application."),
                (404, "No such application (CBC.99000054)."),
                (409, "Already decided (CBC.99000053)."),
            ],
            handler: post(reject_program),
        },
    ]
}

fn hcpn_json(app: &HcpnApplication) -> Value {
    let (state, reasons, rejection) = match app.state() {
        HcpnState::Submitted => ("submitted", vec![], None),
        HcpnState::ManualReview { reasons } => (
            "manual_review",
            reasons.iter().map(|r| json!({"rule": r.rule(), "reason": r.to_string()})).collect(),
            None,
        ),
        HcpnState::Approved => ("approved", vec![], None),
        HcpnState::Rejected { reason } => ("rejected", vec![], Some(reason.as_str().to_owned())),
    };
    json!({
        "applicant": app.applicant().as_str(),
        "company_name": app.filing().business.company_name.as_str(),
        "country": app.filing().business.country.as_str(),
        "state": state,
        "review_reasons": reasons,
        "rejection_reason": rejection,
        "message": app.is_approved().then_some(opc_domain::hcpn::APPROVED_MESSAGE),
        "submitted_at": app.submitted_at().to_rfc3339(),
        "decided_at": app.decided_at().map(|t| t.to_rfc3339()),
    })
}

async fn submit_hcpn(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(input): ApiJson<hcpn::HcpnIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let account = account_of(&user)?;
    let app = programs::submit_hcpn(&ctx, account, hcpn::form(input)?).await?;
    Ok((StatusCode::CREATED, Json(hcpn_json(&app))))
}

async fn resubmit_hcpn(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(input): ApiJson<hcpn::HcpnIn>,
) -> Result<Json<Value>, ApiError> {
    let account = account_of(&user)?;
    let app = programs::resubmit_hcpn(&ctx, account, hcpn::form(input)?).await?;
    Ok(Json(hcpn_json(&app)))
}

async fn my_hcpn(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let account = account_of(&user)?;
    let app = programs::hcpn_of(&ctx, account.id()).await?;
    Ok(Json(json!({"application": app.as_ref().map(hcpn_json)})))
}

#[derive(Deserialize)]
struct StateQuery {
    state: Option<String>,
}

fn queue_state<'a>(q: &'a StateQuery, default: &'a str, allowed: &[&str]) -> Result<&'a str, ApiError> {
    let state = q.state.as_deref().unwrap_or(default);
    if !allowed.contains(&state) {
        return Err(ApiError::invalid("state", format_args!("must be one of {}", allowed.join(", "))));
    }
    Ok(state)
}

async fn hcpn_queue(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    BssQuery(q): BssQuery<StateQuery>,
) -> Result<Json<Value>, ApiError> {
    staff_of(&user)?;
    let state = queue_state(&q, "manual_review", &["submitted", "manual_review", "approved", "rejected"])?;
    let apps = programs::hcpn_queue(&ctx, state).await?;
    Ok(Json(json!({"applications": apps.iter().map(hcpn_json).collect::<Vec<_>>()})))
}

async fn approve_hcpn(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(applicant): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    Ok(Json(hcpn_json(&programs::decide_hcpn(&ctx, staff, &applicant, None).await?)))
}

#[derive(Deserialize)]
struct Reason {
    reason: Option<String>,
}

async fn reject_hcpn(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(applicant): ApiPath<String>,
    ApiJson(body): ApiJson<Reason>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    let reason = body.reason.unwrap_or_default();
    Ok(Json(hcpn_json(&programs::decide_hcpn(&ctx, staff, &applicant, Some(&reason)).await?)))
}

fn cause_json(c: &Cause) -> Value {
    json!({"rule": c.rule(), "message": c.message(), "fix": c.fix()})
}

async fn program_eligibility(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(program): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    let account = account_of(&user)?;
    let program = parse_program(&program)?;
    let causes = programs::eligibility_of(&ctx, account, program).await?;
    Ok(Json(
        json!({"program": program_code(program), "eligible": causes.is_empty(), "causes": causes.iter().map(cause_json).collect::<Vec<_>>()}),
    ))
}

fn application_json(a: &ProgramApplication) -> Value {
    let (state, reason) = match a.state() {
        ProgramApplicationState::Submitted => ("submitted", None),
        ProgramApplicationState::Approved => ("approved", None),
        ProgramApplicationState::Rejected { reason } => ("rejected", Some(reason.as_str())),
    };
    json!({
        "applicant": a.applicant().as_str(),
        "program": program_code(a.program()),
        "business_area": a.business_area().as_str(),
        "state": state,
        "rejection_reason": reason,
        "agreements": a.agreements().iter().map(|g| agreement_code(*g)).collect::<Vec<_>>(),
        "submitted_at": a.submitted_at().to_rfc3339(),
        "decided_at": a.decided_at().map(|t| t.to_rfc3339()),
    })
}

#[derive(Deserialize)]
struct ApplyIn {
    business_area: Option<String>,
    #[serde(default)]
    agreements: Vec<String>,
}

async fn apply_program(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(program): ApiPath<String>,
    ApiJson(body): ApiJson<ApplyIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let account = account_of(&user)?;
    let program = parse_program(&program)?;
    let accepted = body.agreements.iter().map(|a| parse_agreement(a)).collect::<Result<Vec<_>, _>>()?;
    let app = programs::apply(&ctx, account, program, body.business_area.as_deref(), &accepted).await?;
    Ok((StatusCode::CREATED, Json(application_json(&app))))
}

async fn my_programs(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let ConsoleUser::Account { account, partner } = &user else {
        return Err(ApiError::new(ErrorCode::AccessDenied, "Access denied: this is for accounts, not staff."));
    };
    let apps = programs::applications_of(&ctx, account.id()).await?;
    let enrolled: Vec<Value> = partner
        .iter()
        .flat_map(|p| p.enrollments().iter())
        .map(|e| json!({"program": program_code(e.program), "tier": tier_code(e.tier), "enrolled_at": e.enrolled_at.to_rfc3339()}))
        .collect();
    let requested: Vec<Value> =
        apps.iter().filter(|a| *a.state() != ProgramApplicationState::Approved).map(application_json).collect();
    Ok(Json(json!({"hcpn_partner": partner.is_some(), "requested": requested, "enrolled": enrolled})))
}

async fn program_queue(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    BssQuery(q): BssQuery<StateQuery>,
) -> Result<Json<Value>, ApiError> {
    staff_of(&user)?;
    let state = queue_state(&q, "submitted", &["submitted", "approved", "rejected"])?;
    let apps = programs::program_queue(&ctx, state).await?;
    Ok(Json(json!({"applications": apps.iter().map(application_json).collect::<Vec<_>>()})))
}

async fn approve_program(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath((applicant, program)): ApiPath<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    let program = parse_program(&program)?;
    Ok(Json(application_json(&programs::decide_program(&ctx, staff, &applicant, program, None).await?)))
}

async fn reject_program(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath((applicant, program)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<Reason>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    let program = parse_program(&program)?;
    let reason = body.reason.unwrap_or_default();
    Ok(Json(application_json(&programs::decide_program(&ctx, staff, &applicant, program, Some(&reason)).await?)))
}

#[derive(Deserialize)]
struct InviteIn {
    email: Option<String>,
}

async fn invite_to_dpp(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<InviteIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let staff = staff_of(&user)?;
    let account = programs::invite_to_dpp(&ctx, staff, body.email.as_deref().unwrap_or_default()).await?;
    Ok((StatusCode::CREATED, Json(json!({"account_id": account.as_str(), "program": "distributor"}))))
}

async fn certificate_pdf(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(program): ApiPath<String>,
    headers: HeaderMap,
) -> Result<axum::response::Response, ApiError> {
    let (program, lines) = certificate_lines(&ctx, &user, &program, &headers)?;
    let pdf = super::pdf::text_page(&lines).map_err(ApiError::internal)?;
    Ok(certificate_file(program, "pdf", "application/pdf", pdf))
}

/// R-CERT-03: the same statements as the PDF, drawn into a picture.
async fn certificate_png(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(program): ApiPath<String>,
    headers: HeaderMap,
) -> Result<axum::response::Response, ApiError> {
    let (program, lines) = certificate_lines(&ctx, &user, &program, &headers)?;
    let png = super::raster::text_page(&lines).map_err(ApiError::internal)?;
    Ok(certificate_file(program, "png", "image/png", png))
}

/// The program certificate of the partner the caller acts for, as (font size, text) lines, in
/// the request's language (the console's language cookie, else `Accept-Language`).
fn certificate_lines(
    ctx: &Context,
    user: &ConsoleUser,
    program: &str,
    headers: &HeaderMap,
) -> Result<(Program, Vec<(u32, String)>), ApiError> {
    let (partner, _) = acting_partner(user, None)?;
    let program = parse_program(program)?;
    let now = ctx.clock.now();
    let cert = certificate::certificate(partner, program, now)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "The partner is not enrolled in this program."))?;
    let lang = Lang::of_request(Cookies::of(ctx), headers);
    Ok((program, certificate_text(&cert, now, lang)))
}

/// What a program certificate states (R-CERT-03): partner, program, tier and validity period,
/// and its renewal policy (R-CERT-01) when that is not the automatic one of R-CERT-02.
fn certificate_text(cert: &Certificate, now: Timestamp, lang: Lang) -> Vec<(u32, String)> {
    let date = |t: Timestamp| Arg::from(t.to_rfc3339()[..10].to_owned());
    let period = [("from", date(cert.valid_from())), ("until", date(cert.valid_until()))];
    let statement = [("tier", Arg::from(lang.tier(cert.tier()))), ("program", Arg::from(lang.program(cert.program())))];
    let mut lines = vec![
        (30, lang.t("cert-title")),
        (20, cert.partner_name().to_owned()),
        (16, lang.t_with("cert-statement", &statement)),
    ];
    let renewal = match cert.policy() {
        RenewalPolicy::Automatic => None,
        RenewalPolicy::ManualRecertification => Some("cert-renewal-manual"),
        RenewalPolicy::Reapplication => Some("cert-renewal-reapply"),
    };
    match renewal {
        None => lines.push((12, lang.t_with("cert-valid-yearly", &period))),
        Some(how) => {
            let valid = if cert.lapsed(now) { "cert-valid-expired" } else { "cert-valid" };
            lines.push((12, lang.t_with(valid, &period)));
            lines.push((12, lang.t(how)));
        }
    }
    lines
}

/// A certificate download: `certificate-<program>.<extension>`.
fn certificate_file(
    program: Program,
    extension: &str,
    content_type: &'static str,
    body: Vec<u8>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let disposition = format!("attachment; filename=\"certificate-{}.{extension}\"", program_code(program));
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

#[derive(Deserialize)]
struct GoalIn {
    year: Option<i64>,
    amount: Option<String>,
}

fn goal_json(g: &opc_domain::goal::RevenueGoal) -> Value {
    json!({"year": g.year, "amount": g.amount.to_cents_string(), "set_at": g.set_at.to_rfc3339()})
}

async fn set_revenue_goal(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(body): ApiJson<GoalIn>,
) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let year = body.year.ok_or_else(|| ApiError::invalid("year", "is required"))?;
    let goal = programs::set_revenue_goal(&ctx, partner, year, body.amount.as_deref().unwrap_or_default()).await?;
    Ok(Json(goal_json(&goal)))
}

async fn revenue_goals(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let (partner, _) = acting_partner(&user, None)?;
    let goals = programs::revenue_goals(&ctx, partner.id()).await?;
    Ok(Json(json!({"goals": goals.iter().map(goal_json).collect::<Vec<_>>()})))
}

#[derive(Deserialize)]
struct BdIn {
    pre_registered: Option<bool>,
}

async fn set_bd_preregistration(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(account): ApiPath<String>,
    ApiJson(body): ApiJson<BdIn>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    let value = body.pre_registered.ok_or_else(|| ApiError::invalid("pre_registered", "is required"))?;
    let account = programs::set_bd_preregistration(&ctx, staff, &account, value).await?;
    Ok(Json(json!({"account_id": account.id().as_str(), "pre_registered": account.bd_preregistered()})))
}

async fn signed_agreements(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let account = account_of(&user)?;
    let signed = programs::signed_agreements(&ctx, account.id()).await?;
    let list: Vec<Value> = signed
        .iter()
        .map(|s| {
            json!({"title": s.title, "rule": s.rule, "signed_for": s.signed_for.map_or("hcpn", program_code),
                "signed_at": s.signed_at.to_rfc3339()})
        })
        .collect();
    Ok(Json(json!({"agreements": list})))
}

#[cfg(test)]
mod tests {
    use super::*;
    use opc_domain::partner::Tier;

    fn day(y: i64, m: u32, d: u32) -> Timestamp {
        Timestamp::from_utc(y, m, d, 0, 0, 0).unwrap()
    }

    fn cert(policy: RenewalPolicy) -> Certificate {
        Certificate::stating(
            "Example Ltd",
            (Program::Carrier, Tier::Standard),
            policy,
            (day(2025, 6, 1), day(2026, 1, 31)),
        )
    }

    fn texts(cert: &Certificate, now: Timestamp) -> Vec<String> {
        certificate_text(cert, now, Lang::English).into_iter().map(|(_, text)| text).collect()
    }

    #[test]
    fn r_cert_01_the_certificate_names_its_renewal_policy_unless_automatic() {
        let before = day(2025, 12, 1);
        assert_eq!(
            texts(&cert(RenewalPolicy::Automatic), before)[1..],
            [
                "Example Ltd",
                "is a Standard tier partner in the Carrier Partner program",
                "Valid from 2025-06-01 until 2026-01-31 (renewed every January 31)"
            ]
        );
        assert_eq!(
            texts(&cert(RenewalPolicy::ManualRecertification), before)[3..],
            ["Valid from 2025-06-01 until 2026-01-31", "Renewed by manual re-certification"]
        );
        assert_eq!(
            texts(&cert(RenewalPolicy::Reapplication), day(2026, 1, 31))[3..],
            ["Valid from 2025-06-01 until 2026-01-31 (expired)", "Renewed by re-application to the program"]
        );
    }

    #[test]
    fn r_cert_03_a_reader_of_the_chinese_console_gets_the_certificate_in_chinese() {
        let chinese = certificate_text(&cert(RenewalPolicy::ManualRecertification), day(2025, 12, 1), Lang::Chinese);
        let texts: Vec<&str> = chinese.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "合作伙伴证书",
                "Example Ltd",
                "是运营商伙伴（Carrier Partner）计划的标准级合作伙伴",
                "有效期：2025-06-01 至 2026-01-31",
                "续期方式：人工重新认证"
            ]
        );
    }
}
