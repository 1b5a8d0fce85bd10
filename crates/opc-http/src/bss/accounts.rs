//! B1.4 indirect partners, balances and quotas, and B1.5.1 coupons (none are issued yet).

use axum::extract::State;
use axum::Json;
use opc_core::ops::accounts;
use opc_core::ops::customers;
use opc_core::ops::funds;
use opc_core::store::ResellerQuery;
use opc_core::Context;
use opc_domain::{Money, PartnerId};
use serde::{Deserialize, Serialize};

use super::wire::{self, non_empty, Amount, CURRENCY, MEASURE_ID};
use crate::error::ApiError;
use crate::extract::{Authenticated, AuthenticatedAny, BssJson};

/// `QueryIndirectPartnersReq`.
#[derive(Deserialize, Default)]
pub struct QueryIndirectPartnersReq {
    account_name: Option<String>,
    associated_on_begin: Option<String>,
    associated_on_end: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    indirect_partner_id: Option<String>,
}

/// `QueryIndirectPartnersResponse`. Fields here and below are in the order the answer has
/// always had: by name.
#[derive(Serialize)]
pub struct QueryIndirectPartnersResponse {
    count: u64,
    indirect_partners: Vec<IndirectPartnerInfo>,
}

#[derive(Serialize)]
struct IndirectPartnerInfo {
    account_name: String,
    associated_on: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    indirect_partner_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    mobile_phone: Option<String>,
    name: String,
}

/// `POST /v2/partners/indirect-partners/query`: the caller's resellers (R-DIST-02).
pub async fn list_indirect_partners(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<QueryIndirectPartnersReq>,
) -> Result<Json<QueryIndirectPartnersResponse>, ApiError> {
    let reseller = match non_empty(&req.indirect_partner_id) {
        None => None,
        // An id that cannot be a partner id matches no reseller.
        Some(id) => match PartnerId::parse(id) {
            Ok(id) => Some(id),
            Err(_) => return Ok(Json(QueryIndirectPartnersResponse { count: 0, indirect_partners: vec![] })),
        },
    };
    let query = ResellerQuery {
        account_name: wire::max_chars("account_name", non_empty(&req.account_name), 64)?.map(str::to_owned),
        associated_from: wire::utc_time("associated_on_begin", non_empty(&req.associated_on_begin))?,
        associated_to: wire::utc_time("associated_on_end", non_empty(&req.associated_on_end))?,
        reseller,
        offset: wire::int_in("offset", req.offset, 0, i64::from(i32::MAX), 0)? as u32,
        limit: wire::int_in("limit", req.limit, 1, 100, 10)? as u32,
    };
    let (resellers, count) = customers::list_resellers(&ctx, &caller, &query).await?;
    let infos: Vec<IndirectPartnerInfo> = resellers
        .into_iter()
        .map(|(p, a)| IndirectPartnerInfo {
            indirect_partner_id: p.id().as_str().to_owned(),
            mobile_phone: a.phone().map(str::to_owned),
            email: a.email().map(str::to_owned),
            account_name: a.name().as_str().to_owned(),
            name: p.name().as_str().to_owned(),
            associated_on: p.created_at().to_rfc3339(),
        })
        .collect();
    Ok(Json(QueryIndirectPartnersResponse { count, indirect_partners: infos }))
}

/// `ShowPartnerConsumptionQuotaResponse`.
#[derive(Serialize)]
pub struct ConsumptionQuotaResponse {
    amount: String,
    consumption_quota: String,
    coupon_amount: String,
    currency: &'static str,
    due_amount: String,
    measure_id: i32,
    unbilled_amount: String,
    used_consumption_quota: String,
}

/// `GET /v2/partners/credit/consumption-quota` (R-QUOTA-01). Amounts are strings here, as the
/// wire model declares them; `used_consumption_quota` = `due_amount` + `unbilled_amount` −
/// `amount` (the account balance) − `coupon_amount`.
pub async fn show_partner_consumption_quota(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
) -> Result<Json<ConsumptionQuotaResponse>, ApiError> {
    let q = accounts::partner_quota(&ctx, &caller).await?;
    Ok(Json(ConsumptionQuotaResponse {
        consumption_quota: q.quota.to_plain_string(),
        amount: q.parts.balance.to_plain_string(),
        coupon_amount: q.parts.coupons.to_plain_string(),
        due_amount: q.parts.due.to_plain_string(),
        unbilled_amount: q.parts.unbilled.to_plain_string(),
        used_consumption_quota: q.used.to_plain_string(),
        measure_id: MEASURE_ID,
        currency: CURRENCY,
    }))
}

#[derive(Serialize)]
struct AccountBalance {
    account_id: String,
    account_type: i32,
    amount: Amount,
    currency: &'static str,
    designated_amount: Amount,
    measure_id: i32,
}

/// `ShowCustomerAccountBalancesResponse`.
#[derive(Serialize)]
pub struct AccountBalancesResponse {
    account_balances: [AccountBalance; 1],
    currency: &'static str,
    debt_amount: Amount,
    measure_id: i32,
}

/// `GET /v2/accounts/customer-accounts/balances`: the signer's own cash balance (a partner's
/// account balance, or a reseller customer's funds from its partner) and its debt.
pub async fn show_customer_account_balances(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
) -> Result<Json<AccountBalancesResponse>, ApiError> {
    let account = accounts::own_account(&ctx, &principal).await?;
    let balance = funds::own_balance(&ctx, &principal).await?;
    let cash = AccountBalance {
        account_id: format!("{}-cash", account.id()),
        account_type: 1,
        amount: Amount(balance.amount()),
        currency: CURRENCY,
        designated_amount: Amount(Money::ZERO),
        measure_id: MEASURE_ID,
    };
    Ok(Json(AccountBalancesResponse {
        account_balances: [cash],
        debt_amount: Amount(account.arrears()),
        measure_id: MEASURE_ID,
        currency: CURRENCY,
    }))
}

/// `ShowCustomerExpenditureQuotaResponse`.
#[derive(Serialize)]
pub struct ExpenditureQuotaResponse {
    currency: &'static str,
    granting_amount: Amount,
    granting_amount_used: Amount,
    measure_id: i32,
    percentage_granting_amount_used: i32,
}

/// `GET /v2/accounts/customer-accounts/expenditure-quota`.
pub async fn show_customer_expenditure_quota(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
) -> Result<Json<ExpenditureQuotaResponse>, ApiError> {
    let q = accounts::expenditure_quota(&ctx, &principal).await?;
    Ok(Json(ExpenditureQuotaResponse {
        granting_amount: Amount(q.granted),
        granting_amount_used: Amount(q.used),
        percentage_granting_amount_used: 0,
        measure_id: MEASURE_ID,
        currency: CURRENCY,
    }))
}
