//! B1.10, B2.10: real-name authentication. A partner applies for its customer with attachments
//! it uploaded beforehand (`PUT /api/v1/partner/customers/{id}/realname-files/{name}`); every
//! application goes to the operator's review (`is_review` 1), whose result is read back here.

use axum::extract::State;
use axum::Json;
use opc_core::ops::auth::Principal;
use opc_core::ops::realname;
use opc_core::Context;
use opc_domain::account::{AccountType, RealNameStatus};
use opc_domain::realname::{Certificate, IdDocument, Identity, LegalPerson, Request, Review, Standing};
use serde::{Deserialize, Serialize};

use super::wire;
use crate::error::ApiError;
use crate::extract::{Authenticated, AuthenticatedAny, AuthenticatedCustomer, BssJson, BssQuery};

/// `xaccount_type`: the platform mark Huawei gives a partner; required, not interpreted here.
fn xaccount_type(value: &Option<String>) -> Result<(), ApiError> {
    wire::required("xaccount_type", value, 64).map(|_| ())
}

fn files(value: &Option<Vec<String>>) -> Result<Vec<String>, ApiError> {
    let files = value
        .as_ref()
        .filter(|f| !f.is_empty())
        .ok_or_else(|| ApiError::invalid("verified_file_url", "is required"))?;
    if files.len() > 4 {
        return Err(ApiError::invalid("verified_file_url", "at most 4 attachments"));
    }
    Ok(files.iter().map(|f| f.trim().to_owned()).collect())
}

#[derive(Serialize)]
pub struct IsReview {
    /// Always 1 here: every application is reviewed by the operator.
    is_review: i64,
}

/// `ApplyIndividualRealnameAuthsReq` (with the BssClient's `bank_card_info`).
#[derive(Deserialize, Default)]
pub struct IndividualReq {
    customer_id: Option<String>,
    identify_type: Option<i64>,
    verified_type: Option<i64>,
    verified_file_url: Option<Vec<String>>,
    name: Option<String>,
    verified_number: Option<String>,
    change_type: Option<i64>,
    xaccount_type: Option<String>,
    #[allow(dead_code)]
    bank_card_info: Option<serde_json::Value>,
}

/// `POST /v2/customers/realname-auths/individual` (B1.10.3).
pub async fn create_personal_realname_auth(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<IndividualReq>,
) -> Result<Json<IsReview>, ApiError> {
    let customer = wire::required("customer_id", &req.customer_id, 64)?;
    match req.identify_type {
        Some(0) => {}
        Some(4) => {
            return Err(ApiError::invalid(
                "identify_type",
                "bank-card authentication (4) is not offered here; apply with an identity document (0)",
            ))
        }
        None => return Err(ApiError::invalid("identify_type", "is required")),
        Some(_) => return Err(ApiError::invalid("identify_type", "must be 0 (an identity document)")),
    }
    let document = match req.verified_type {
        None => return Err(ApiError::invalid("verified_type", "is required with identify_type 0")),
        Some(code) => {
            IdDocument::from_code(code).ok_or_else(|| ApiError::invalid("verified_type", "must be 3, 5, 6, 9 or 10"))?
        }
    };
    match req.change_type {
        None | Some(-1) => {}
        Some(_) => return Err(ApiError::invalid("change_type", "must be -1 (a first authentication)")),
    }
    xaccount_type(&req.xaccount_type)?;
    let identity = Identity::Individual {
        document,
        name: wire::required("name", &req.name, 200)?.to_owned(),
        number: wire::required("verified_number", &req.verified_number, 200)?.to_owned(),
    };
    let request = Request { identity, change: false, files: files(&req.verified_file_url)? };
    realname::apply(&ctx, &caller, customer, request).await?;
    Ok(Json(IsReview { is_review: 1 }))
}

#[derive(Deserialize, Default)]
pub struct EnterprisePerson {
    legel_name: Option<String>,
    legel_id_number: Option<String>,
    certifier_role: Option<String>,
}

/// `ApplyEnterpriseRealnameAuthsReq` and `ChangeEnterpriseRealnameAuthsReq`.
#[derive(Deserialize, Default)]
pub struct EnterpriseReq {
    customer_id: Option<String>,
    identify_type: Option<i64>,
    certificate_type: Option<i64>,
    verified_file_url: Option<Vec<String>>,
    corp_name: Option<String>,
    verified_number: Option<String>,
    reg_country: Option<String>,
    reg_address: Option<String>,
    change_type: Option<i64>,
    xaccount_type: Option<String>,
    enterprise_person: Option<EnterprisePerson>,
}

async fn enterprise(
    ctx: &Context,
    caller: &opc_core::ops::auth::Caller,
    req: EnterpriseReq,
    change: bool,
) -> Result<(), ApiError> {
    let customer = wire::required("customer_id", &req.customer_id, 64)?;
    match req.identify_type {
        Some(1) => {}
        None => return Err(ApiError::invalid("identify_type", "is required")),
        Some(_) => return Err(ApiError::invalid("identify_type", "must be 1 (an organization's certificate)")),
    }
    let certificate = match req.certificate_type {
        None => Certificate::BusinessLicense,
        Some(code) => Certificate::from_code(code)
            .ok_or_else(|| ApiError::invalid("certificate_type", "must be 0, 1, 2, 3, 4 or 99"))?,
    };
    match (change, req.change_type) {
        (true, Some(1)) | (false, None) => {}
        (true, None) => return Err(ApiError::invalid("change_type", "is required")),
        (true, Some(_)) => return Err(ApiError::invalid("change_type", "must be 1 (individual to enterprise)")),
        (false, Some(_)) => return Err(ApiError::invalid("change_type", "is only for a change (PUT)")),
    }
    xaccount_type(&req.xaccount_type)?;
    let legal_person = match req.enterprise_person {
        None => None,
        Some(p) => {
            match p.certifier_role.as_deref() {
                None | Some("legalPerson") => {}
                Some(_) => return Err(ApiError::invalid("enterprise_person.certifier_role", "must be legalPerson")),
            }
            Some(LegalPerson {
                name: wire::required("enterprise_person.legel_name", &p.legel_name, 200)?.to_owned(),
                id_number: wire::required("enterprise_person.legel_id_number", &p.legel_id_number, 200)?.to_owned(),
            })
        }
    };
    let identity = Identity::Enterprise {
        certificate,
        corp_name: wire::required("corp_name", &req.corp_name, 200)?.to_owned(),
        number: wire::required("verified_number", &req.verified_number, 200)?.to_owned(),
        reg_country: req.reg_country,
        reg_address: req.reg_address,
        legal_person,
    };
    let request = Request { identity, change, files: files(&req.verified_file_url)? };
    realname::apply(ctx, caller, customer, request).await?;
    Ok(())
}

/// `POST /v2/customers/realname-auths/enterprise` (B1.10.2).
pub async fn create_enterprise_realname_authentication(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<EnterpriseReq>,
) -> Result<Json<IsReview>, ApiError> {
    enterprise(&ctx, &caller, req, false).await?;
    Ok(Json(IsReview { is_review: 1 }))
}

/// `PUT /v2/customers/realname-auths/enterprise` (B1.10.1): a verified individual changes to
/// an enterprise.
pub async fn change_enterprise_realname_authentication(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<EnterpriseReq>,
) -> Result<Json<IsReview>, ApiError> {
    enterprise(&ctx, &caller, req, true).await?;
    Ok(Json(IsReview { is_review: 1 }))
}

#[derive(Deserialize)]
pub struct ResultQuery {
    customer_id: Option<String>,
}

#[derive(Serialize)]
pub struct ReviewResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    review_result: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    opinion: Option<String>,
}

/// `GET /v2/customers/realname-auths/result` (B1.10.4): the latest application's review, or
/// nothing when none was made.
pub async fn show_realname_authentication_review_result(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssQuery(q): BssQuery<ResultQuery>,
) -> Result<Json<ReviewResult>, ApiError> {
    let customer = wire::required("customer_id", &q.customer_id, 64)?;
    let latest = realname::latest(&ctx, &caller, customer).await?;
    Ok(Json(match latest {
        None => ReviewResult { review_result: None, opinion: None },
        Some(a) => ReviewResult {
            review_result: Some(a.review.code()),
            opinion: match a.review {
                Review::Rejected { opinion, .. } => Some(opinion),
                _ => None,
            },
        },
    }))
}

#[derive(Serialize)]
pub struct AuthStatus {
    verified_status: i64,
    verified_type: Option<i64>,
}

/// `GET /v2/customers/real-name-auth-status` (B2.10.2): the signer's own account's status, and
/// `verified_type` 0 (individual) or 1 (enterprise) once verified.
pub async fn show_real_name_auth_status(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
) -> Result<Json<AuthStatus>, ApiError> {
    let account = match principal {
        Principal::Customer { account, .. } => account,
        Principal::Partner(caller) => ctx
            .store
            .account(caller.partner.account_id())
            .await
            .map_err(ApiError::internal)?
            .ok_or_else(|| ApiError::internal(std::io::Error::other("the partner's account is missing")))?,
    };
    let standing = Standing::of(account.real_name(), account.account_type());
    let verified_status = match standing.status {
        RealNameStatus::NotVerified => -1,
        RealNameStatus::UnderReview => 0,
        RealNameStatus::Rejected | RealNameStatus::Failed => 1,
        RealNameStatus::Verified => 2,
    };
    let verified_type = match standing.verified_as {
        Some(AccountType::Enterprise) => Some(1),
        Some(_) => Some(0),
        None => None,
    };
    Ok(Json(AuthStatus { verified_status, verified_type }))
}

/// `ListSubCustomerNewTagReq`.
#[derive(Deserialize, Default)]
pub struct NewTagReq {
    customer_ids: Option<Vec<String>>,
    offset: Option<i64>,
    limit: Option<i64>,
    indirect_partner_id: Option<String>,
}

/// `NewCustomerTagItem`.
#[derive(Serialize)]
pub struct NewTagItem {
    customer_id: String,
    customer_tag_type: &'static str,
    /// Empty for a customer not verified.
    new_customer_tag: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    effective_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expire_time: Option<String>,
}

#[derive(Serialize)]
pub struct NewTagResponse {
    new_customer_tags: Vec<NewTagItem>,
}

/// `POST /v2/partners/sub-customers/new-customers-tags/batch-query` (B2.1.1): the SMB
/// "new customer" tag of the caller's (or its reseller's) customers; others named are left out.
pub async fn list_sub_customer_new_tag(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<NewTagReq>,
) -> Result<Json<NewTagResponse>, ApiError> {
    let ids = req.customer_ids.unwrap_or_default();
    if let Some(bad) = ids.iter().find(|id| id.is_empty() || id.chars().count() > 64) {
        return Err(ApiError::invalid("customer_ids", format_args!("{bad:?}: each id is 1 to 64 characters")));
    }
    if ids.len() > 100 {
        return Err(ApiError::invalid("customer_ids", "at most 100 ids"));
    }
    let (offset, limit) = super::coupons::paging(req.offset, req.limit)?;
    let indirect = wire::indirect_partner(&req.indirect_partner_id)?;
    let tags = realname::new_customer_tags(&ctx, &caller, indirect, &ids, offset, limit).await?;
    let new_customer_tags = tags
        .into_iter()
        .map(|(customer, window)| NewTagItem {
            customer_id: customer.as_str().to_owned(),
            customer_tag_type: "SMB",
            new_customer_tag: window.map_or("", |w| w.tag.code()),
            effective_time: window.map(|w| opc_core::ops::bills::month_text(w.effective)),
            expire_time: window.map(|w| opc_core::ops::bills::month_text(w.expire)),
        })
        .collect();
    Ok(Json(NewTagResponse { new_customer_tags }))
}

#[derive(Serialize)]
pub struct QrCodeResponse {
    qr_code_url: String,
}

/// `GET /v2/customers/real-name-auth-qrcode` (B2.10.1, RN-QR): the signing customer's
/// single-use address, valid 10 minutes, where it authenticates itself.
pub async fn show_real_name_auth_qr_code(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
) -> Result<Json<QrCodeResponse>, ApiError> {
    let account = match principal {
        Principal::Customer { account, .. } => account,
        Principal::Partner(_) => {
            return Err(ApiError::new(
                crate::error::ErrorCode::AccessDenied,
                "Access denied: the QR code is the customer's own; sign with its key.",
            ))
        }
    };
    let qr_code_url = realname::scan_link(&ctx, &account).await?;
    Ok(Json(QrCodeResponse { qr_code_url }))
}
