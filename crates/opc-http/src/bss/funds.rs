//! B2.4 funds down the channel and the account records: allocations to and reclaims from
//! reseller customers and resellers, balances, and the revenue/expense and adjustment records.

use axum::extract::State;
use axum::Json;
use opc_core::ops::funds;
use opc_core::store::{EntryView, LedgerQuery};
use opc_core::Context;
use opc_domain::funds::{EntryKind, TransferAmount};
use opc_domain::{Money, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::wire::{self, non_empty, Amount, CURRENCY, MEASURE_ID};
use crate::error::ApiError;
use crate::extract::{ApiPath, Authenticated, AuthenticatedAny, BssJson, BssQuery};

/// The most customers `list_customers_balances_detail` takes at once.
const MAX_BATCH: usize = 100;

/// B2.4.6–B2.4.9 `amount`: more than 0, at most 2 decimals.
fn transfer_amount(raw: &Option<Box<RawValue>>) -> Result<TransferAmount, ApiError> {
    let raw = raw.as_ref().ok_or_else(|| ApiError::invalid("amount", "is required"))?;
    TransferAmount::parse(raw.get()).map_err(|e| ApiError::invalid("amount", e))
}

/// `AdjustAccountReq` and `ReclaimToPartnerAccountBalancesReq`.
#[derive(Deserialize, Default)]
pub struct CustomerTransferReq {
    customer_id: Option<String>,
    amount: Option<Box<RawValue>>,
    indirect_partner_id: Option<String>,
}

/// `AdjustToIndirectPartnerReq` and `ReclaimIndirectPartnerAccountReq`.
#[derive(Deserialize, Default)]
pub struct ResellerTransferReq {
    indirect_partner_id: Option<String>,
    amount: Option<Box<RawValue>>,
}

/// `UpdateCustomerAccountAmountResponse`, `UpdateIndirectPartnerAccountResponse`.
#[derive(Serialize)]
pub struct TransferResponse {
    transfer_id: String,
}

/// `ReclaimToPartnerAccountResponse`, `ReclaimIndirectPartnerAccountResponse`.
#[derive(Serialize)]
pub struct ReclaimResponse {
    trans_id: String,
}

/// `POST /v2/accounts/partner-accounts/adjust-amount` (B2.4.8).
pub async fn update_customer_account_amount(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<CustomerTransferReq>,
) -> Result<Json<TransferResponse>, ApiError> {
    let customer = wire::required("customer_id", &req.customer_id, 64)?;
    let amount = transfer_amount(&req.amount)?;
    let transfer_id =
        funds::allocate_to_customer(&ctx, &caller, wire::indirect_partner(&req.indirect_partner_id)?, customer, amount)
            .await?;
    Ok(Json(TransferResponse { transfer_id }))
}

/// `POST /v2/accounts/partner-accounts/reclaim` (B2.4.7).
pub async fn reclaim_to_partner_account(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<CustomerTransferReq>,
) -> Result<Json<ReclaimResponse>, ApiError> {
    let customer = wire::required("customer_id", &req.customer_id, 64)?;
    let amount = transfer_amount(&req.amount)?;
    let trans_id = funds::reclaim_from_customer(
        &ctx,
        &caller,
        wire::indirect_partner(&req.indirect_partner_id)?,
        customer,
        amount,
    )
    .await?;
    Ok(Json(ReclaimResponse { trans_id }))
}

/// `POST /v2/accounts/partner-accounts/indirect-partner-adjust` (B2.4.9).
pub async fn update_indirect_partner_account(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<ResellerTransferReq>,
) -> Result<Json<TransferResponse>, ApiError> {
    let reseller = wire::required("indirect_partner_id", &req.indirect_partner_id, 64)?;
    let amount = transfer_amount(&req.amount)?;
    let transfer_id = funds::allocate_to_reseller(&ctx, &caller, reseller, amount).await?;
    Ok(Json(TransferResponse { transfer_id }))
}

/// `POST /v2/accounts/partner-accounts/indirect-partner-reclaim` (B2.4.6).
pub async fn reclaim_indirect_partner_account(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<ResellerTransferReq>,
) -> Result<Json<ReclaimResponse>, ApiError> {
    let reseller = wire::required("indirect_partner_id", &req.indirect_partner_id, 64)?;
    let amount = transfer_amount(&req.amount)?;
    let trans_id = funds::reclaim_from_reseller(&ctx, &caller, reseller, amount).await?;
    Ok(Json(ReclaimResponse { trans_id }))
}

#[derive(Deserialize, Default)]
pub struct PartnerBalancesQuery {
    indirect_partner_id: Option<String>,
}

/// `AccountBalanceV2`.
#[derive(Serialize)]
struct PartnerBalance {
    account_id: String,
    account_type: i32,
    amount: Amount,
    currency: &'static str,
    designated_amount: Amount,
    measure_id: i32,
}

/// `ListPartnerBalancesResponse`.
#[derive(Serialize)]
pub struct PartnerBalancesResponse {
    account_balances: [PartnerBalance; 1],
}

/// `GET /v2/accounts/partner-accounts/balances` (B2.4.5): the caller's cash balance, or its
/// reseller's.
pub async fn list_partner_balances(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssQuery(q): BssQuery<PartnerBalancesQuery>,
) -> Result<Json<PartnerBalancesResponse>, ApiError> {
    let balance = funds::partner_balance(&ctx, &caller, wire::indirect_partner(&q.indirect_partner_id)?).await?;
    Ok(Json(PartnerBalancesResponse {
        account_balances: [PartnerBalance {
            account_id: format!("{}-cash", balance.holder().id()),
            account_type: 1,
            amount: Amount(balance.amount()),
            currency: CURRENCY,
            designated_amount: Amount(Money::ZERO),
            measure_id: MEASURE_ID,
        }],
    }))
}

/// `CustomerInfoV2`.
#[derive(Deserialize)]
pub struct CustomerInfo {
    customer_id: Option<String>,
}

/// `QueryCustomersBalancesReq`.
#[derive(Deserialize, Default)]
pub struct QueryCustomersBalancesReq {
    customer_infos: Option<Vec<CustomerInfo>>,
    indirect_partner_id: Option<String>,
}

/// `CustomerBalancesV2`.
#[derive(Serialize)]
struct CustomerBalance {
    amount: Amount,
    currency: &'static str,
    customer_id: String,
    debt_amount: Amount,
    measure_id: i32,
}

/// `ListCustomersBalancesDetailResponse`.
#[derive(Serialize)]
pub struct CustomersBalancesResponse {
    customer_balances: Vec<CustomerBalance>,
}

/// `POST /v2/accounts/customer-accounts/balances/batch-query` (B2.4.2): the balances of the
/// named reseller-model customers; other ids are left out.
pub async fn list_customers_balances_detail(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<QueryCustomersBalancesReq>,
) -> Result<Json<CustomersBalancesResponse>, ApiError> {
    let infos = req.customer_infos.as_deref().unwrap_or_default();
    if infos.is_empty() || infos.len() > MAX_BATCH {
        return Err(ApiError::invalid("customer_infos", format_args!("must list 1 to {MAX_BATCH} customers")));
    }
    let ids = infos
        .iter()
        .map(|i| wire::required("customer_infos.customer_id", &i.customer_id, 64).map(str::to_owned))
        .collect::<Result<Vec<_>, _>>()?;
    let balances =
        funds::customer_balances(&ctx, &caller, wire::indirect_partner(&req.indirect_partner_id)?, &ids).await?;
    let customer_balances = balances
        .into_iter()
        .map(|b| CustomerBalance {
            amount: Amount(b.amount()),
            currency: CURRENCY,
            customer_id: b.holder().id().to_owned(),
            debt_amount: Amount(Money::ZERO),
            measure_id: MEASURE_ID,
        })
        .collect();
    Ok(Json(CustomersBalancesResponse { customer_balances }))
}

/// The revenue/expense `trade_type` of an entry kind.
fn trade_type(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Payment => "RECHARGE",
        EntryKind::Adjustment => "ADJUST",
        EntryKind::BillDeduction => "DEDEUCT",
        EntryKind::Allocation => "BEADJUST",
        EntryKind::Reclaim => "BERETRIEVE",
        EntryKind::Unbind => "BEUNBIND",
    }
}

/// The `trade_detail_type` (and adjust records' `operation_type`) of an entry kind.
fn trade_detail_type(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Payment => "SOURCE_OPERAIION_RECHARGE",
        EntryKind::Adjustment => "SOURCE_OPERAIION_ADJUST",
        EntryKind::BillDeduction => "SOURCE_OPERAIION_WRITEOFF",
        EntryKind::Allocation => "SOURCE_OPERATION_BEADJUST",
        EntryKind::Reclaim => "SOURCE_OPERATION_BERETRIEVE",
        EntryKind::Unbind => "SOURCE_OPERATION_BEUNBIND",
    }
}

/// The kinds a `trade_type` filter names: one of ours, or none (a documented type that this
/// server never records, which matches nothing).
fn kinds_of_trade_type(text: &str) -> Result<Vec<EntryKind>, ApiError> {
    const NEVER_RECORDED: [&str; 7] =
        ["REFUND", "RFROZEN", "TRANS", "EXPIRED", "BONUSCONVERT", "TRADE_MODE_TRANSFER", "DEPOSIT"];
    if let Some(kind) = EntryKind::ALL.into_iter().find(|k| trade_type(*k) == text) {
        return Ok(vec![kind]);
    }
    if NEVER_RECORDED.contains(&text) {
        return Ok(vec![]);
    }
    Err(ApiError::invalid("trade_type", "is not a trade type"))
}

/// `balance_type`: the cash account has records; the credit account none.
fn is_cash(value: &Option<String>) -> Result<bool, ApiError> {
    match non_empty(value) {
        Some("BALANCE_TYPE_DEBIT") => Ok(true),
        Some("BALANCE_TYPE_CREDIT") => Ok(false),
        Some(_) => Err(ApiError::invalid("balance_type", "must be BALANCE_TYPE_DEBIT or BALANCE_TYPE_CREDIT")),
        None => Err(ApiError::invalid("balance_type", "is required")),
    }
}

/// A date `YYYY-MM-DD` in the billing zone (UTC+08:00 by default): its first or last millisecond.
pub(super) fn zone_date(ctx: &Context, field: &str, text: &str, end_of_day: bool) -> Result<Timestamp, ApiError> {
    let midnight = Timestamp::parse_rfc3339(&format!("{text}T00:00:00Z"))
        .map_err(|_| ApiError::invalid(field, "must be a date like 2017-10-21"))?;
    let start = Timestamp::from_unix_ms(midnight.unix_ms() - ctx.policy.billing_offset.0);
    Ok(if end_of_day { Timestamp::from_unix_ms(start.unix_ms() + 86_400_000 - 1) } else { start })
}

fn amount_text(money: Money) -> String {
    money.to_plain_string()
}

#[derive(Deserialize, Default)]
pub struct PartnerChangeRecordsQuery {
    balance_type: Option<String>,
    trade_type: Option<String>,
    trade_time_begin: Option<String>,
    trade_time_end: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    indirect_partner_id: Option<String>,
}

/// `AccountChangeRecord`.
#[derive(Serialize)]
struct PartnerChangeRecord {
    account_change_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_name: Option<String>,
    balance_after_change: String,
    change_amount: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_id: Option<String>,
    trade_detail_type: &'static str,
    trade_id: String,
    trade_time: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// `ListPartnerAccountChangeRecordsResponse`.
#[derive(Serialize)]
pub struct PartnerChangeRecordsResponse {
    currency: &'static str,
    records: Vec<PartnerChangeRecord>,
    total_count: u64,
}

/// `GET /v2/accounts/partner-accounts/account-change-records` (B2.4.3): the partner's (or its
/// reseller's) cash account records, newest first; by default the last year's.
pub async fn list_partner_account_change_records(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssQuery(q): BssQuery<PartnerChangeRecordsQuery>,
) -> Result<Json<PartnerChangeRecordsResponse>, ApiError> {
    let cash = is_cash(&q.balance_type)?;
    let kinds = match non_empty(&q.trade_type) {
        Some(t) => Some(kinds_of_trade_type(t)?),
        None => None,
    };
    let now = ctx.clock.now();
    let from = match non_empty(&q.trade_time_begin) {
        Some(t) => zone_date(&ctx, "trade_time_begin", t, false)?,
        None => Timestamp::from_unix_ms(now.unix_ms() - 365 * 86_400_000),
    };
    let to = match non_empty(&q.trade_time_end) {
        Some(t) => Some(zone_date(&ctx, "trade_time_end", t, true)?),
        None => None,
    };
    let query = LedgerQuery {
        kinds: kinds.clone().unwrap_or_default(),
        from: Some(from),
        to,
        offset: wire::int_in("offset", q.offset, 0, i64::from(i32::MAX), 0)? as u32,
        limit: wire::int_in("limit", q.limit, 1, 1000, 10)? as u32,
        ..LedgerQuery::default()
    };
    let indirect = wire::indirect_partner(&q.indirect_partner_id)?;
    let (views, total_count) = if !cash || kinds.as_ref().is_some_and(Vec::is_empty) {
        // Checked for scope all the same, so that a foreign reseller is refused either way.
        funds::partner_balance(&ctx, &caller, indirect).await?;
        (vec![], 0)
    } else {
        funds::partner_ledger(&ctx, &caller, indirect, None, query).await?
    };
    let records = views
        .into_iter()
        .map(|EntryView { entry, counterpart_name }| PartnerChangeRecord {
            account_change_id: entry.id,
            customer_id: entry.counterpart.as_ref().map(|h| h.id().to_owned()),
            account_name: counterpart_name,
            balance_after_change: amount_text(entry.balance_after),
            change_amount: amount_text(entry.amount),
            trade_detail_type: trade_detail_type(entry.kind),
            trade_id: entry.transfer,
            trade_time: entry.at.to_rfc3339(),
            kind: if entry.amount.is_negative() { "2" } else { "1" },
        })
        .collect();
    Ok(Json(PartnerChangeRecordsResponse { currency: CURRENCY, records, total_count }))
}

#[derive(Deserialize, Default)]
pub struct AdjustRecordsQuery {
    customer_id: Option<String>,
    operation_type: Option<String>,
    operation_time_begin: Option<String>,
    operation_time_end: Option<String>,
    trans_id: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    indirect_partner_id: Option<String>,
}

/// `AdjustRecordV3`.
#[derive(Serialize)]
struct AdjustRecord {
    amount: String,
    apply_scene: String,
    currency: &'static str,
    customer_id: String,
    customer_name: String,
    measure_id: i32,
    memo: String,
    operation_time: String,
    operation_type: &'static str,
    trans_id: String,
}

/// `ListPartnerAdjustRecordsResponse`.
#[derive(Serialize)]
pub struct AdjustRecordsResponse {
    records: Vec<AdjustRecord>,
    total_count: u64,
}

/// `GET /v3/accounts/partner-accounts/adjust-records` (B2.4.4): the partner's (or its
/// reseller's) allocations and reclaims, newest first.
pub async fn list_partner_adjust_records(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssQuery(q): BssQuery<AdjustRecordsQuery>,
) -> Result<Json<AdjustRecordsResponse>, ApiError> {
    let kinds = match non_empty(&q.operation_type) {
        None => vec![EntryKind::Allocation, EntryKind::Reclaim, EntryKind::Unbind],
        Some("SOURCE_OPERATION_BEADJUST") => vec![EntryKind::Allocation],
        Some("SOURCE_OPERATION_BERETRIEVE") => vec![EntryKind::Reclaim],
        Some("SOURCE_OPERATION_BEUNBIND") => vec![EntryKind::Unbind],
        Some(_) => return Err(ApiError::invalid("operation_type", "is not an operation type")),
    };
    let query = LedgerQuery {
        from: wire::utc_time("operation_time_begin", non_empty(&q.operation_time_begin))?,
        to: wire::utc_time("operation_time_end", non_empty(&q.operation_time_end))?,
        transfer: wire::max_chars("trans_id", non_empty(&q.trans_id), 64)?.map(str::to_owned),
        offset: wire::int_in("offset", q.offset, 0, i64::from(i32::MAX), 0)? as u32,
        limit: wire::int_in("limit", q.limit, 1, 1000, 10)? as u32,
        kinds: kinds.clone(),
        ..LedgerQuery::default()
    };
    let customer = wire::max_chars("customer_id", non_empty(&q.customer_id), 64)?;
    let indirect = wire::indirect_partner(&q.indirect_partner_id)?;
    let (views, total_count) = if kinds.is_empty() {
        funds::partner_balance(&ctx, &caller, indirect).await?;
        (vec![], 0)
    } else {
        funds::partner_ledger(&ctx, &caller, indirect, customer, query).await?
    };
    let records = views
        .into_iter()
        .map(|EntryView { entry, counterpart_name }| AdjustRecord {
            amount: amount_text(entry.amount.abs()),
            apply_scene: String::new(),
            currency: CURRENCY,
            customer_id: entry.counterpart.as_ref().map_or_else(String::new, |h| h.id().to_owned()),
            customer_name: counterpart_name.unwrap_or_default(),
            measure_id: MEASURE_ID,
            memo: entry.memo,
            operation_time: entry.at.to_rfc3339(),
            operation_type: trade_detail_type(entry.kind),
            trans_id: entry.transfer,
        })
        .collect();
    Ok(Json(AdjustRecordsResponse { records, total_count }))
}

#[derive(Deserialize, Default)]
pub struct CustomerChangeRecordsQuery {
    balance_type: Option<String>,
    revenue_expense_type: Option<String>,
    trade_type: Option<String>,
    trade_time_begin: Option<String>,
    trade_time_end: Option<String>,
    trade_id: Option<String>,
    payment_channel_id: Option<String>,
    payment_channel_no: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// `CustomerAccountChangeRecord`.
#[derive(Serialize)]
struct CustomerChangeRecord {
    account_change_id: String,
    account_name: String,
    balance_after_change: String,
    bill_cycle: String,
    change_amount: String,
    revenue_expense_type: &'static str,
    trade_detail_type: &'static str,
    trade_id: String,
    trade_time: String,
}

/// `ListCustomerAccountChangeRecordsResponse`.
#[derive(Serialize)]
pub struct CustomerChangeRecordsResponse {
    currency: &'static str,
    records: Vec<CustomerChangeRecord>,
    total_count: u64,
}

/// `GET /v2/accounts/customer-accounts/account-change-records` (B2.4.1): the signer's own
/// cash account records, newest first.
pub async fn list_customer_account_change_records(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    BssQuery(q): BssQuery<CustomerChangeRecordsQuery>,
) -> Result<Json<CustomerChangeRecordsResponse>, ApiError> {
    let cash = is_cash(&q.balance_type)?;
    let revenue = match q.revenue_expense_type.as_deref() {
        None => None,
        Some("REVENUE") => Some(true),
        Some("EXPENSE") => Some(false),
        Some(_) => return Err(ApiError::invalid("revenue_expense_type", "must be REVENUE or EXPENSE")),
    };
    let kinds = match non_empty(&q.trade_type) {
        Some(t) => Some(kinds_of_trade_type(t)?),
        None => None,
    };
    wire::max_chars("payment_channel_no", non_empty(&q.payment_channel_no), 64)?;
    // Payments through channels are not recorded per channel: a channel filter matches none.
    let by_channel = non_empty(&q.payment_channel_id).is_some() || non_empty(&q.payment_channel_no).is_some();
    let query = LedgerQuery {
        kinds: kinds.clone().unwrap_or_default(),
        revenue,
        transfer: wire::max_chars("trade_id", non_empty(&q.trade_id), 64)?.map(str::to_owned),
        from: non_empty(&q.trade_time_begin).map(|t| zone_date(&ctx, "trade_time_begin", t, false)).transpose()?,
        to: non_empty(&q.trade_time_end).map(|t| zone_date(&ctx, "trade_time_end", t, true)).transpose()?,
        offset: wire::int_in("offset", q.offset, 0, i64::from(i32::MAX), 0)? as u32,
        limit: wire::int_in("limit", q.limit, 1, 1000, 10)? as u32,
        ..LedgerQuery::default()
    };
    let account = opc_core::ops::accounts::own_account(&ctx, &principal).await?;
    let (views, total_count) = if !cash || by_channel || kinds.as_ref().is_some_and(Vec::is_empty) {
        (vec![], 0)
    } else {
        funds::customer_ledger(&ctx, &principal, &query).await?
    };
    let offset = ctx.policy.billing_offset;
    let records: Vec<CustomerChangeRecord> = views
        .into_iter()
        .map(|EntryView { entry, .. }| {
            let (y, m, ..) = entry.at.plus(offset).to_utc();
            CustomerChangeRecord {
                account_change_id: entry.id,
                account_name: account.name().as_str().to_owned(),
                balance_after_change: amount_text(entry.balance_after),
                bill_cycle: format!("{y:04}-{m:02}"),
                change_amount: amount_text(entry.amount),
                revenue_expense_type: if entry.amount.is_negative() { "EXPENSE" } else { "REVENUE" },
                trade_detail_type: trade_detail_type(entry.kind),
                trade_id: entry.transfer,
                trade_time: entry.at.to_rfc3339(),
            }
        })
        .collect();
    Ok(Json(CustomerChangeRecordsResponse { currency: CURRENCY, records, total_count }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_kind_has_its_own_trade_types() {
        let mut types: Vec<_> = EntryKind::ALL.iter().map(|k| (trade_type(*k), trade_detail_type(*k))).collect();
        types.sort();
        types.dedup();
        assert_eq!(types.len(), EntryKind::ALL.len());
        for kind in EntryKind::ALL {
            assert_eq!(kinds_of_trade_type(trade_type(kind)).unwrap(), vec![kind]);
        }
        assert_eq!(kinds_of_trade_type("REFUND").unwrap(), vec![]);
        assert!(kinds_of_trade_type("PIZZA").is_err());
    }
}

#[derive(Deserialize, Default)]
pub struct InvoicesQuery {
    start_time: Option<String>,
    end_time: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// `TaxInfo`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TaxInfo {
    sub_tax_class: &'static str,
    tax_accounting_flag: &'static str,
    tax_amount: Amount,
    tax_class: &'static str,
    tax_rate: String,
    tax_visible_flag: &'static str,
}

/// `InvoiceRequestInfoIntl`, as this server issues them: on receipt of a payment (method 1,
/// trade type 7), done (state 8), a company's (title type 1) paper-less tax invoice.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InvoiceInfo {
    apply_opera: &'static str,
    apply_time: String,
    bill_cycle: String,
    channel_type: i32,
    invoice_amount: Amount,
    invoice_class: i32,
    invoice_method: i32,
    invoice_no: String,
    invoice_state: i32,
    invoice_title: String,
    invoice_type: i32,
    request_id: String,
    request_mode: &'static str,
    tax_list: [TaxInfo; 1],
    title_type: i32,
    trade_type: i32,
}

/// `ListInvoicesResponse`.
#[derive(Serialize)]
pub struct InvoicesResponse {
    count: u64,
    invoices: Vec<InvoiceInfo>,
}

/// `GET /v1.0/{domain_id}/payments/intl-invoices` (B1.8.5): the invoices issued to the signer
/// for its payments in `[start_time, end_time]`; `offset` is the page number (from 1; 0 reads
/// as 1) and `limit` the page size. The path's account must be the signer's.
pub async fn list_invoices(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    ApiPath(domain_id): ApiPath<String>,
    BssQuery(q): BssQuery<InvoicesQuery>,
) -> Result<Json<InvoicesResponse>, ApiError> {
    let required_time = |field: &str, value: &Option<String>| {
        wire::utc_time(field, non_empty(value))?.ok_or_else(|| ApiError::invalid(field, "is required"))
    };
    let from = required_time("start_time", &q.start_time)?;
    let to = required_time("end_time", &q.end_time)?;
    let page = wire::int_in(
        "offset",
        Some(q.offset.ok_or_else(|| ApiError::invalid("offset", "is required"))?),
        0,
        100_000,
        1,
    )?;
    let limit =
        wire::int_in("limit", Some(q.limit.ok_or_else(|| ApiError::invalid("limit", "is required"))?), 1, 100, 10)?;
    let own = opc_core::ops::accounts::own_account(&ctx, &principal).await?;
    if domain_id != own.id().as_str() {
        return Err(ApiError::new(crate::error::ErrorCode::AccessDenied, "The path names another account."));
    }
    let opc_core::ops::auth::Principal::Partner(caller) = &principal else {
        return Ok(Json(InvoicesResponse { count: 0, invoices: vec![] }));
    };
    let skip = (page.max(1) - 1) * limit;
    let (invoices, count) =
        funds::invoices(&ctx, caller, (from, to), u32::try_from(skip).unwrap_or(u32::MAX), limit as u32).await?;
    let offset = ctx.policy.billing_offset;
    let invoices = invoices
        .into_iter()
        .map(|i| {
            let (y, m, ..) = i.issued_at.plus(offset).to_utc();
            InvoiceInfo {
                apply_opera: "operator",
                apply_time: i.issued_at.to_rfc3339(),
                bill_cycle: format!("{y:04}-{m:02}"),
                channel_type: 0,
                invoice_amount: Amount(i.amount),
                invoice_class: 0,
                invoice_method: 1,
                invoice_no: i.number,
                invoice_state: 8,
                invoice_title: caller.partner.name().as_str().to_owned(),
                invoice_type: 1,
                request_id: i.id,
                request_mode: "0",
                tax_list: [TaxInfo {
                    sub_tax_class: "VAT",
                    tax_accounting_flag: "Y",
                    tax_amount: Amount(i.tax),
                    tax_class: "VAT",
                    tax_rate: i.tax_rate.fraction_text(),
                    tax_visible_flag: "Y",
                }],
                title_type: 1,
                trade_type: 7,
            }
        })
        .collect();
    Ok(Json(InvoicesResponse { count, invoices }))
}
