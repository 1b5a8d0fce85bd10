//! B1.11, B2.11: enterprise multi-account, called by the enterprise master with its own key:
//! its organization and members, and funds and coupons moved to and from its members.

use axum::extract::State;
use axum::Json;
use opc_core::ops::auth::Principal;
use opc_core::ops::enterprise::{self as ops, Direction};
use opc_core::store::MemberQuery;
use opc_core::Context;
use opc_domain::account::{Account, AccountName};
use opc_domain::coupon::Coupon;
use opc_domain::enterprise::{self, BalanceType, MemberPhone, MemberRequest, Node, Phone};
use opc_domain::funds::TransferAmount;
use opc_domain::notification::Language;
use opc_domain::Money;
use serde::{Deserialize, Serialize};

use super::coupons::{paging, time, use_limits, UseLimit};
use super::wire::{self, non_empty, Amount, Empty};
use crate::error::ApiError;
use crate::extract::{AuthenticatedCustomer, BssJson, BssQuery};

/// The signing customer's account: the master.
fn master(principal: Principal) -> Result<Account, ApiError> {
    match principal {
        Principal::Customer { account, .. } => Ok(account),
        Principal::Partner(_) => Err(ApiError::new(
            crate::error::ErrorCode::AccessDenied,
            "Access denied: this API is for an enterprise master; sign with its key.",
        )),
    }
}

/// `POST /v2/enterprises/enterprise-projects/authority` (B1.11.1).
pub async fn create_enterprise_project_auth(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
) -> Result<Json<Empty>, ApiError> {
    ops::enable_projects(&ctx, &master(principal)?).await?;
    Ok(Json(Empty {}))
}

#[derive(Deserialize)]
pub struct SubCustomersQuery {
    sub_customer_account_name: Option<String>,
    sub_customer_display_name: Option<String>,
    fuzzy_query: Option<i64>,
    offset: Option<i64>,
    limit: Option<i64>,
    org_id: Option<String>,
}

/// `SubCustomerInfoV2`.
#[derive(Serialize)]
pub struct SubCustomerInfo {
    id: String,
    name: String,
    display_name: String,
    status: i64,
    org_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    org_name: Option<String>,
}

#[derive(Serialize)]
pub struct SubCustomersResponse {
    total_count: u64,
    sub_customer_infos: Vec<SubCustomerInfo>,
}

/// `GET /v2/enterprises/multi-accounts/sub-customers` (B1.11.2). A name given as an empty string
/// is a filter (it matches no member), as the spec says; an absent one is none.
pub async fn list_enterprise_sub_customers(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssQuery(q): BssQuery<SubCustomersQuery>,
) -> Result<Json<SubCustomersResponse>, ApiError> {
    let fuzzy = match q.fuzzy_query {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => return Err(ApiError::invalid("fuzzy_query", "must be 0 or 1")),
    };
    for (field, value) in [
        ("sub_customer_account_name", &q.sub_customer_account_name),
        ("sub_customer_display_name", &q.sub_customer_display_name),
    ] {
        if value.as_deref().is_some_and(|v| v.contains(' ') || v.chars().count() > 64) {
            return Err(ApiError::invalid(field, "at most 64 characters, without spaces"));
        }
    }
    let (offset, limit) = paging(q.offset, q.limit)?;
    let query = MemberQuery {
        name: q.sub_customer_account_name,
        display_name: q.sub_customer_display_name,
        fuzzy,
        unit: wire::max_chars("org_id", non_empty(&q.org_id), 64)?.map(str::to_owned),
        offset,
        limit,
    };
    let (page, total_count) = ops::members(&ctx, &master(principal)?, &query).await?;
    let sub_customer_infos = page
        .into_iter()
        .map(|(member, account, unit)| SubCustomerInfo {
            id: account.id().as_str().to_owned(),
            name: account.name().as_str().to_owned(),
            display_name: account.display_name().unwrap_or_default().to_owned(),
            status: member.status.code(),
            org_id: member.unit,
            org_name: unit.map(|u| u.name).filter(|n| !n.is_empty()),
        })
        .collect();
    Ok(Json(SubCustomersResponse { total_count, sub_customer_infos }))
}

#[derive(Deserialize, Default)]
pub struct NewSubCustomer {
    customer_name: Option<String>,
    mobile_phone: Option<String>,
    use_pri_mobile_phone: Option<String>,
    password: Option<String>,
    verification_code: Option<String>,
}

/// `CreateSubCustomerReqV2`.
#[derive(Deserialize, Default)]
pub struct CreateSubCustomerReq {
    party_id: Option<String>,
    display_name: Option<String>,
    sub_customer_association_type: Option<i64>,
    permission_ids: Option<Vec<String>>,
    new_sub_customer: Option<NewSubCustomer>,
    financial_custody: Option<i64>,
}

/// `POST /v2/enterprises/multi-accounts/sub-customers` (B2.11.2).
pub async fn create_sub_enterprise_account(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssJson(req): BssJson<CreateSubCustomerReq>,
) -> Result<Json<Empty>, ApiError> {
    let unit = wire::required("party_id", &req.party_id, 64)?.to_owned();
    match req.sub_customer_association_type {
        Some(1) => {}
        None => return Err(ApiError::invalid("sub_customer_association_type", "is required")),
        Some(_) => return Err(ApiError::invalid("sub_customer_association_type", "must be 1 (the same legal entity)")),
    }
    let custody = match req.financial_custody {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => return Err(ApiError::invalid("financial_custody", "must be 0 or 1")),
    };
    let new = req.new_sub_customer.ok_or_else(|| ApiError::invalid("new_sub_customer", "is required"))?;
    let name = wire::required("new_sub_customer.customer_name", &new.customer_name, 64)?;
    let name = AccountName::parse(name).map_err(|e| ApiError::invalid("new_sub_customer.customer_name", e))?;
    let password = wire::required("new_sub_customer.password", &new.password, 64)?;
    let phone = match new.use_pri_mobile_phone.as_deref() {
        Some("Y") => MemberPhone::Masters,
        None | Some("N") => {
            let text = wire::required("new_sub_customer.mobile_phone", &new.mobile_phone, 32)?;
            let phone = Phone::parse(text).map_err(|e| ApiError::invalid("new_sub_customer.mobile_phone", e))?;
            let code = wire::required("new_sub_customer.verification_code", &new.verification_code, 16)?;
            MemberPhone::Own { phone, code: code.to_owned() }
        }
        Some(_) => return Err(ApiError::invalid("new_sub_customer.use_pri_mobile_phone", "must be Y or N")),
    };
    let permissions = enterprise::permissions(req.permission_ids.as_deref().unwrap_or_default())
        .map_err(|e| ApiError::invalid("permission_ids", e))?;
    let display_name = req.display_name.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty());
    let request = MemberRequest { name, display_name, unit, custody, permissions, phone };
    ops::create_member(&ctx, &master(principal)?, &request, password).await?;
    Ok(Json(Empty {}))
}

#[derive(Deserialize)]
pub struct OrganizationsQuery {
    recursive_query: Option<i64>,
    parent_id: Option<String>,
}

/// `EmChildNodeV2`.
#[derive(Serialize)]
pub struct ChildNode {
    relation_id: String,
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    child_nodes: Vec<ChildNode>,
}

impl From<Node> for ChildNode {
    fn from(n: Node) -> ChildNode {
        ChildNode {
            relation_id: n.unit.relation,
            id: n.unit.id,
            name: n.unit.name,
            child_nodes: n.children.into_iter().map(ChildNode::from).collect(),
        }
    }
}

#[derive(Serialize)]
pub struct OrganizationsResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    root_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    root_name: Option<String>,
    child_nodes: Vec<ChildNode>,
}

/// `GET /v2/enterprises/multi-accounts/enterprise-organizations` (B2.11.4).
pub async fn list_enterprise_organizations(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssQuery(q): BssQuery<OrganizationsQuery>,
) -> Result<Json<OrganizationsResponse>, ApiError> {
    let recursive = match q.recursive_query {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => return Err(ApiError::invalid("recursive_query", "must be 0 or 1")),
    };
    let parent = non_empty(&q.parent_id);
    if parent.is_some_and(|p| p.len() > 64 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(ApiError::invalid("parent_id", "must be digits only"));
    }
    let (root, nodes) = ops::units(&ctx, &master(principal)?, parent, recursive).await.map_err(|e| match e {
        ops::EnterpriseOpError::Enterprise(enterprise::EnterpriseError::UnknownUnit(p)) => {
            ApiError::invalid("parent_id", format_args!("{p} is not a unit of this enterprise's organization"))
        }
        other => other.into(),
    })?;
    Ok(Json(OrganizationsResponse {
        root_id: root.as_ref().map(|r| r.id.clone()),
        root_name: root.map(|r| r.name).filter(|n| !n.is_empty()),
        child_nodes: nodes.into_iter().map(ChildNode::from).collect(),
    }))
}

#[derive(Deserialize, Default)]
pub struct TemplateArg {
    key: Option<String>,
    value: Option<String>,
}

/// `SendSmVerificationCodeReq`.
#[derive(Deserialize, Default)]
pub struct SmsCodeReq {
    mobile_phone: Option<String>,
    timeout: Option<i64>,
    language: Option<String>,
    sm_template_args: Option<Vec<TemplateArg>>,
}

/// `POST /v2/enterprises/multi-accounts/sm-verification-code` (B2.11.9).
pub async fn send_sms_verification_code(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssJson(req): BssJson<SmsCodeReq>,
) -> Result<Json<Empty>, ApiError> {
    let phone = wire::required("mobile_phone", &req.mobile_phone, 32)?;
    let lang = match non_empty(&req.language) {
        None => Language::default(),
        Some(text) => Language::parse(text).ok_or_else(|| ApiError::invalid("language", "must be zh-cn or en-us"))?,
    };
    let args = req.sm_template_args.unwrap_or_default();
    if args.is_empty() {
        return Err(ApiError::invalid("sm_template_args", "is required"));
    }
    let mut member = None;
    for arg in &args {
        match arg.key.as_deref() {
            Some("sub_customer_name") => member = Some(wire::required("sm_template_args.value", &arg.value, 64)?),
            _ => return Err(ApiError::invalid("sm_template_args.key", "must be sub_customer_name")),
        }
    }
    let member = member.ok_or_else(|| ApiError::invalid("sm_template_args", "needs sub_customer_name"))?;
    ops::send_sms_code(&ctx, &master(principal)?, phone, req.timeout, lang, member).await?;
    Ok(Json(Empty {}))
}

fn balance_type(value: Option<&str>, default: Option<BalanceType>) -> Result<BalanceType, ApiError> {
    match value.filter(|v| !v.is_empty()) {
        None => default.ok_or_else(|| ApiError::invalid("balance_type", "is required")),
        Some(text) => BalanceType::parse(text)
            .ok_or_else(|| ApiError::invalid("balance_type", "must be BALANCE_TYPE_DEBIT or BALANCE_TYPE_CREDIT")),
    }
}

#[derive(Deserialize)]
pub struct AmountQuery {
    sub_customer_id: Option<String>,
    balance_type: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// `TransferAmountInfoV2` and `RetrieveAmountInfoV2`: the one cash balance.
#[derive(Serialize)]
pub struct AmountInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    avail_transfer_amount: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    avail_retrieve_amount: Option<Amount>,
    measure_id: i64,
    currency: &'static str,
}

#[derive(Serialize)]
pub struct AmountsResponse {
    total_count: u64,
    amount_infos: Vec<AmountInfo>,
}

fn amounts(amount: Option<Money>, transfer: bool) -> AmountsResponse {
    let amount_infos: Vec<AmountInfo> = amount
        .into_iter()
        .map(|m| AmountInfo {
            avail_transfer_amount: transfer.then_some(Amount(m)),
            avail_retrieve_amount: (!transfer).then_some(Amount(m)),
            measure_id: 1,
            currency: wire::CURRENCY,
        })
        .collect();
    AmountsResponse { total_count: amount_infos.len() as u64, amount_infos }
}

/// `GET /v2/enterprises/multi-accounts/transfer-amount` (B2.11.10).
pub async fn show_multi_account_transfer_amount(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssQuery(q): BssQuery<AmountQuery>,
) -> Result<Json<AmountsResponse>, ApiError> {
    let kind = balance_type(q.balance_type.as_deref(), None)?;
    paging(q.offset, q.limit)?;
    let amount = ops::transferable(&ctx, &master(principal)?, kind).await?;
    Ok(Json(amounts(amount, true)))
}

/// `GET /v2/enterprises/multi-accounts/retrieve-amount` (B2.11.3).
pub async fn list_enterprise_multi_account(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssQuery(q): BssQuery<AmountQuery>,
) -> Result<Json<AmountsResponse>, ApiError> {
    let member = wire::required("sub_customer_id", &q.sub_customer_id, 64)?;
    let kind = balance_type(q.balance_type.as_deref(), None)?;
    paging(q.offset, q.limit)?;
    let amount = ops::reclaimable(&ctx, &master(principal)?, member, kind).await?;
    Ok(Json(amounts(amount, false)))
}

/// `TransferEnterpriseMultiAccountReq` and `RetrieveEnterpriseMultiAccountReq`.
#[derive(Deserialize, Default)]
pub struct MoveAmountReq {
    customer_id: Option<String>,
    amount: Option<String>,
    trans_id: Option<String>,
    balance_type: Option<String>,
    expire_time: Option<String>,
}

async fn move_amount(
    ctx: &Context,
    principal: Principal,
    req: MoveAmountReq,
    direction: Direction,
) -> Result<Json<Empty>, ApiError> {
    let member = wire::required("customer_id", &req.customer_id, 64)?;
    let amount = wire::required("amount", &req.amount, 32)?;
    let amount = TransferAmount::parse(amount).map_err(|e| ApiError::invalid("amount", e))?;
    let trans_id = wire::max_chars("trans_id", non_empty(&req.trans_id), 64)?;
    if balance_type(req.balance_type.as_deref(), Some(BalanceType::Debit))? == BalanceType::Credit {
        return Err(ApiError::invalid("balance_type", "no credit account is kept here: use BALANCE_TYPE_DEBIT"));
    }
    if non_empty(&req.expire_time).is_some() {
        return Err(ApiError::invalid("expire_time", "applies to credit accounts only"));
    }
    ops::move_member_funds(ctx, &master(principal)?, member, direction, amount, trans_id).await?;
    Ok(Json(Empty {}))
}

/// `POST /v2/enterprises/multi-accounts/transfer-amount` (B2.11.11).
pub async fn update_sub_enterprise_amount(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssJson(req): BssJson<MoveAmountReq>,
) -> Result<Json<Empty>, ApiError> {
    move_amount(&ctx, principal, req, Direction::ToMember).await
}

/// `POST /v2/enterprises/multi-accounts/retrieve-amount` (B2.11.8).
pub async fn reclaim_sub_enterprise_amount(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssJson(req): BssJson<MoveAmountReq>,
) -> Result<Json<Empty>, ApiError> {
    move_amount(&ctx, principal, req, Direction::FromMember).await
}

/// `TransferEnterpriseMultiAccountCouponReq`.
#[derive(Deserialize, Default)]
pub struct GiveCouponReq {
    customer_id: Option<String>,
    coupon_id: Option<String>,
    amount: Option<String>,
    trans_id: Option<String>,
}

#[derive(Serialize)]
pub struct GiveCouponResponse {
    sub_coupon_id: String,
}

/// `POST /v2/enterprises/multi-accounts/transfer-coupon` (B2.11.1, EMA-7).
pub async fn claim_enterprise_multi_account_coupon(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssJson(req): BssJson<GiveCouponReq>,
) -> Result<Json<GiveCouponResponse>, ApiError> {
    let member = wire::required("customer_id", &req.customer_id, 64)?;
    let coupon = wire::required("coupon_id", &req.coupon_id, 64)?;
    let amount = wire::required("amount", &req.amount, 32)?;
    let amount = TransferAmount::parse(amount).map_err(|e| ApiError::invalid("amount", e))?.money();
    let trans_id = wire::max_chars("trans_id", non_empty(&req.trans_id), 64)?;
    let sub_coupon_id = ops::give_coupon(&ctx, &master(principal)?, member, coupon, amount, trans_id).await?;
    Ok(Json(GiveCouponResponse { sub_coupon_id }))
}

/// `RetrieveEnterpriseMultiAccountCouponReq`.
#[derive(Deserialize, Default)]
pub struct TakeBackCouponReq {
    customer_id: Option<String>,
    coupon_id: Option<String>,
    sub_coupon_id: Option<String>,
    trans_id: Option<String>,
}

#[derive(Serialize)]
pub struct TakeBackCouponResponse {
    /// Spelled as the SDK spells it.
    real_retrieve_amout: String,
}

/// `POST /v2/enterprises/multi-accounts/retrieve-coupon` (B2.11.7, EMA-7).
pub async fn reclaim_enterprise_multi_account_coupon(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssJson(req): BssJson<TakeBackCouponReq>,
) -> Result<Json<TakeBackCouponResponse>, ApiError> {
    let member = wire::required("customer_id", &req.customer_id, 64)?;
    let coupon = wire::required("coupon_id", &req.coupon_id, 64)?;
    let sub = wire::required("sub_coupon_id", &req.sub_coupon_id, 64)?;
    let trans_id = wire::max_chars("trans_id", non_empty(&req.trans_id), 64)?;
    let amount = ops::take_back_coupon(&ctx, &master(principal)?, member, coupon, sub, trans_id).await?;
    Ok(Json(TakeBackCouponResponse { real_retrieve_amout: amount.to_plain_string() }))
}

#[derive(Deserialize)]
pub struct CouponsQuery {
    sub_customer_id: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// `AvailTransferCoupon` and `AvailRetrieveCoupons`: a coupon the master may give, or take back
/// from its member (then `coupon_id` is the master's coupon it came from).
#[derive(Serialize)]
pub struct MovableCoupon {
    coupon_id: String,
    plan_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_coupon_id: Option<String>,
    balance: String,
    effective_time: String,
    expire_time: String,
    use_limits: Vec<UseLimit>,
}

impl MovableCoupon {
    fn of(c: &Coupon) -> MovableCoupon {
        let (coupon_id, sub_coupon_id) = match &c.parent {
            Some(parent) => (parent.clone(), Some(c.id.clone())),
            None => (c.id.clone(), None),
        };
        MovableCoupon {
            coupon_id,
            plan_name: c.memo.clone(),
            sub_coupon_id,
            balance: c.balance.to_plain_string(),
            effective_time: time(c.validity.from),
            expire_time: time(c.validity.to),
            use_limits: use_limits(c),
        }
    }
}

#[derive(Serialize)]
pub struct GivableCouponsResponse {
    total_count: u64,
    avail_transfer_coupons: Vec<MovableCoupon>,
}

/// `GET /v2/enterprises/multi-accounts/transfer-coupons` (B2.11.6, EMA-7).
pub async fn list_multi_account_transfer_coupons(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssQuery(q): BssQuery<CouponsQuery>,
) -> Result<Json<GivableCouponsResponse>, ApiError> {
    let (offset, limit) = paging(q.offset, q.limit)?;
    let (coupons, total_count) = ops::givable_coupons(&ctx, &master(principal)?, offset, limit).await?;
    Ok(Json(GivableCouponsResponse {
        total_count,
        avail_transfer_coupons: coupons.iter().map(MovableCoupon::of).collect(),
    }))
}

#[derive(Serialize)]
pub struct MembersCouponsResponse {
    total_count: u64,
    avail_retrieve_coupons: Vec<MovableCoupon>,
}

/// `GET /v2/enterprises/multi-accounts/retrieve-coupons` (B2.11.5, EMA-7).
pub async fn list_multi_account_retrieve_coupons(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssQuery(q): BssQuery<CouponsQuery>,
) -> Result<Json<MembersCouponsResponse>, ApiError> {
    let member = wire::required("sub_customer_id", &q.sub_customer_id, 64)?;
    let (offset, limit) = paging(q.offset, q.limit)?;
    let (coupons, total_count) = ops::members_coupons(&ctx, &master(principal)?, member, offset, limit).await?;
    Ok(Json(MembersCouponsResponse {
        total_count,
        avail_retrieve_coupons: coupons.iter().map(MovableCoupon::of).collect(),
    }))
}
