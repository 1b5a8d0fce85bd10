//! B1.1 sub-customer management.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use opc_core::ops::customers::{self, NewSubCustomer};
use opc_core::store::IdentityKind;
use opc_core::store::{CustomerQuery, CustomerView};
use opc_core::Context;
use opc_domain::association::AssociationModel;
use opc_domain::notification::Language;
use opc_domain::AccountId;
use serde::{Deserialize, Serialize};

use super::wire::{self, non_empty, Empty};
use crate::auth::ReadGeneration;
use crate::error::ApiError;
use crate::extract::{Authenticated, BssJson};

/// `QuerySubCustomerListReq`.
#[derive(Deserialize, Default)]
pub struct QuerySubCustomerListReq {
    account_name: Option<String>,
    customer: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    label: Option<String>,
    association_type: Option<String>,
    associated_on_begin: Option<String>,
    associated_on_end: Option<String>,
    customer_id: Option<String>,
    indirect_partner_id: Option<String>,
}

/// `ListSubCustomersResponse`.
#[derive(Serialize)]
pub struct ListSubCustomersResponse {
    customer_infos: Vec<CustomerInformation>,
    count: u64,
}

/// `CustomerInformation`.
#[derive(Serialize)]
struct CustomerInformation {
    #[serde(skip_serializing_if = "Option::is_none")]
    customer: Option<String>,
    account_name: String,
    customer_id: String,
    associated_on: String,
    association_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<String>,
    verified_status: &'static str,
    customer_type: i32,
    is_frozen: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    xaccount_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    xaccount_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
}

impl From<CustomerView> for CustomerInformation {
    fn from(v: CustomerView) -> CustomerInformation {
        let CustomerView { account, association } = v;
        CustomerInformation {
            customer: account.display_name().map(str::to_owned),
            account_name: account.name().as_str().to_owned(),
            customer_id: account.id().as_str().to_owned(),
            associated_on: association.associated_at().to_rfc3339(),
            association_type: wire::association_type(association.model()),
            label: association.label().map(str::to_owned),
            telephone: account.phone().map(str::to_owned),
            verified_status: wire::verified_status(account.real_name()),
            customer_type: wire::customer_type(account.account_type()),
            is_frozen: i32::from(account.is_frozen()),
            xaccount_id: association.xaccount_id().map(str::to_owned),
            xaccount_type: association.xaccount_type().map(str::to_owned),
            email: account.email().map(str::to_owned),
        }
    }
}

impl QuerySubCustomerListReq {
    fn validate(&self) -> Result<CustomerQuery, ApiError> {
        let text =
            |field, value: &Option<String>| wire::max_chars(field, non_empty(value), 64).map(|v| v.map(str::to_owned));
        Ok(CustomerQuery {
            account_name: text("account_name", &self.account_name)?,
            customer: text("customer", &self.customer)?,
            label: text("label", &self.label)?,
            model: self
                .association_type
                .as_deref()
                .map(|t| wire::parse_association_type("association_type", t))
                .transpose()?,
            associated_from: wire::utc_time("associated_on_begin", non_empty(&self.associated_on_begin))?,
            associated_to: wire::utc_time("associated_on_end", non_empty(&self.associated_on_end))?,
            customer_id: non_empty(&self.customer_id)
                .map(|id| AccountId::parse(id).map_err(|e| ApiError::invalid("customer_id", e)))
                .transpose()?,
            account_managers: None,
            freeze_causes: None,
            offset: wire::int_in("offset", self.offset, 0, i64::from(i32::MAX), 0)? as u32,
            limit: wire::int_in("limit", self.limit, 1, 100, 10)? as u32,
        })
    }
}

/// `POST /v2/partners/sub-customers/query`: the caller's customers (or, for a distributor,
/// a named reseller's), filtered and paged, with the total count.
///
/// The answer is kept ([`opc_core::ops::auth::AnswerCache`]) while the store's principal-changes
/// number stays the one the request was authenticated under: the list is made only of accounts,
/// associations, partners and organization members, which that number covers (issue 18).
pub async fn list_sub_customers(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    Extension(ReadGeneration(generation)): Extension<ReadGeneration>,
    body: Bytes,
) -> Result<Response, ApiError> {
    // The same caller sending the same body asks the same: only answers are kept, so a body
    // that is refused is refused again.
    let member = caller.member.as_ref().map(|m| m.member.id().as_str()).unwrap_or("");
    let key = format!("list_sub_customers\n{}\n{member}\n{}", caller.partner.id(), String::from_utf8_lossy(&body));
    if let Some(answer) = generation.and_then(|g| ctx.answers.get(g, &key)) {
        return Ok(json_bytes(answer));
    }
    let BssJson(req) = BssJson::<QuerySubCustomerListReq>::parse(&body)?;
    let query = req.validate()?;
    let indirect = wire::max_chars("indirect_partner_id", non_empty(&req.indirect_partner_id), 64)?;
    let page = customers::list_customers(&ctx, &caller, indirect, &query).await?;
    let customer_infos = page
        .customers
        .into_iter()
        .map(|v| {
            let mut info = CustomerInformation::from(v);
            info.is_frozen |= i32::from(page.partner_frozen);
            info
        })
        .collect();
    let answer: Arc<[u8]> = serde_json::to_vec(&ListSubCustomersResponse { customer_infos, count: page.count })
        .map_err(ApiError::internal)?
        .into();
    if let Some(g) = generation {
        ctx.answers.put(g, key, answer.clone());
    }
    Ok(json_bytes(answer))
}

/// A JSON answer from its bytes.
fn json_bytes(answer: Arc<[u8]>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], Bytes::from_owner(answer)).into_response()
}

/// `CreateCustomerV2Response`.
#[derive(Serialize)]
pub struct CreateCustomerResponse {
    domain_id: String,
    domain_name: String,
}

/// `CreateCustomerV2Req`, with the China-site variant's fields.
#[derive(Deserialize, Default)]
pub struct CreateCustomerV2Req {
    domain_name: Option<String>,
    email: Option<String>,
    verification_code: Option<String>,
    domain_area: Option<String>,
    xaccount_id: Option<String>,
    xaccount_type: Option<String>,
    password: Option<String>,
    is_close_market_ms: Option<String>,
    indirect_partner_id: Option<String>,
    include_association_result: Option<bool>,
    cooperation_type: Option<String>,
    mobile_phone: Option<String>,
}

/// `POST /v2/partners/sub-customers`: creates a customer account associated with the caller
/// (or the caller's reseller) in the reseller model; it starts frozen (R-RCM-02).
pub async fn create_sub_customer(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<CreateCustomerV2Req>,
) -> Result<Json<CreateCustomerResponse>, ApiError> {
    let marketing_opt_out = match req.is_close_market_ms.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::invalid("is_close_market_ms", "must be true or false")),
    };
    // China site: cooperation_type 1 is the referral model; anything else is reseller.
    let model = match req.cooperation_type.as_deref() {
        Some("1") => AssociationModel::Referral,
        _ => AssociationModel::Reseller,
    };
    let _ = req.include_association_result;
    // The China-site model has no domain_area: its customers are in China.
    let china_variant = req.cooperation_type.is_some() || req.mobile_phone.is_some();
    let domain_area = match non_empty(&req.domain_area) {
        None if china_variant => Some("CN"),
        other => other,
    };
    let new = NewSubCustomer {
        domain_name: req.domain_name.as_deref(),
        email: req.email.as_deref(),
        verification_code: req.verification_code.as_deref(),
        domain_area,
        xaccount_id: req.xaccount_id.as_deref(),
        xaccount_type: req.xaccount_type.as_deref(),
        password: req.password.as_deref(),
        mobile_phone: req.mobile_phone.as_deref(),
        marketing_opt_out,
        indirect_partner: wire::max_chars("indirect_partner_id", non_empty(&req.indirect_partner_id), 64)?,
        model: Some(model),
    };
    let account = customers::create_customer(&ctx, &caller, &new).await?;
    Ok(Json(CreateCustomerResponse {
        domain_id: account.id().as_str().to_owned(),
        domain_name: account.name().as_str().to_owned(),
    }))
}

/// `CheckSubcustomerUserReq`.
#[derive(Deserialize, Default)]
pub struct CheckSubcustomerUserReq {
    search_type: Option<String>,
    search_value: Option<String>,
}

/// `CheckUserResponse`.
#[derive(Serialize)]
pub struct CheckUserResponse {
    check_result: &'static str,
}

/// `POST /v2/partners/sub-customers/users/check-identity`.
pub async fn check_user_identity(
    State(ctx): State<Context>,
    Authenticated(_caller): Authenticated,
    BssJson(req): BssJson<CheckSubcustomerUserReq>,
) -> Result<Json<CheckUserResponse>, ApiError> {
    let kind = match req.search_type.as_deref() {
        Some("name") => IdentityKind::Name,
        Some("email") => IdentityKind::Email,
        Some("mobile") => IdentityKind::Mobile,
        _ => return Err(ApiError::invalid("search_type", "must be email, mobile or name")),
    };
    let value = req.search_value.as_deref().ok_or_else(|| ApiError::invalid("search_value", "is required"))?;
    let available = customers::identity_available(&ctx, kind, value).await?;
    Ok(Json(CheckUserResponse { check_result: if available { "available" } else { "used_by_user" } }))
}

/// `SendVerificationCodeV2Req`.
#[derive(Deserialize, Default)]
pub struct SendVerificationCodeV2Req {
    receiver_type: Option<i64>,
    timeout: Option<i64>,
    email: Option<String>,
    lang: Option<String>,
}

/// `POST /v2/bases/verificationcode/send`: the code goes to the notification outbox.
pub async fn send_verification_message_code(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<SendVerificationCodeV2Req>,
) -> Result<Json<Empty>, ApiError> {
    if req.receiver_type != Some(2) {
        return Err(ApiError::invalid("receiver_type", "must be 2 (email)"));
    }
    let timeout = match req.timeout {
        None => None,
        Some(t) if t >= 1 => Some(u32::try_from(t).unwrap_or(u32::MAX)),
        Some(_) => return Err(ApiError::invalid("timeout", "must be at least 1 minute")),
    };
    // The BSS API lists zh-cn first; the console API's `api::language` says en-us first.
    let lang = match req.lang.as_deref() {
        None => Language::default(),
        Some(text) => Language::parse(text).ok_or_else(|| ApiError::invalid("lang", "must be zh-cn or en-us"))?,
    };
    let email =
        req.email.as_deref().filter(|e| !e.is_empty()).ok_or_else(|| ApiError::invalid("email", "is required"))?;
    customers::send_verification_code(&ctx, &caller, email, timeout, lang).await?;
    Ok(Json(Empty {}))
}
