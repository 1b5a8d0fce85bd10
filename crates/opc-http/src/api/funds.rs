//! Balances, payments and bills over the console API: the operator records a partner's payments
//! and adjustments and reads its balance and ledger (R-BILL-02, R-QUOTA-07); a partner reads
//! what it owes (R-BILL-03). The model is in docs/bills.md.

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};
use axum::Json;
use opc_core::ops::bills;
use opc_core::ops::funds::{self, OperatorEntry};
use opc_core::store::LedgerQuery;
use opc_core::Context;
use opc_domain::funds::{Entry, EntryKind, Holder};
use opc_domain::organization::Permission;
use opc_domain::{Money, PartnerId};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Audience, Body, Endpoint, SignedIn};
use crate::audience::{acting_caller, staff_of};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiJson, ApiPath};

pub fn endpoints() -> Vec<Endpoint> {
    let entry_schema = || {
        json!({"type": "object", "required": ["amount"], "properties": {
            "amount": {"type": "string", "description": "A decimal with at most 2 decimals, e.g. \"1000.50\""},
            "memo": {"type": "string", "maxLength": 200}}})
    };
    vec![
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/partners/{partner}/payments",
            summary:
                "Record money received from the partner (R-QUOTA-07): it repays the partner's unpaid bills oldest \
                first (R-BILL-02, R-BILL-03), the rest stays on its balance, a restriction it ends is lifted \
                (R-QUOTA-10), and it is invoiced (B1.8.5).",
            audience: Audience::Staff,
            request: Body::Required(entry_schema()),
            example: Some(json!({"amount": "1000.50", "memo": "wire 2026-06-02"})),
            responses: &[
                (201, "The payment's ledger entry."),
                (400, "The amount is not more than 0, or has more than 2 decimals (CBC.0100)."),
                (404, "No such partner (CBC.99000054)."),
                (409, "The balance kept changing meanwhile; retry (CBC.99000049)."),
            ],
            handler: post(record_payment),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/partners/{partner}/adjustments",
            summary: "Correct the partner's balance by an amount, negative to take; never below zero.",
            audience: Audience::Staff,
            request: Body::Required(entry_schema()),
            example: Some(json!({"amount": "12.00", "memo": "goodwill"})),
            responses: &[
                (201, "The adjustment's ledger entry."),
                (400, "The amount is 0 or malformed (CBC.0100), or more than the balance (CBC.99000057)."),
                (404, "No such partner (CBC.99000054)."),
                (409, "The balance kept changing meanwhile; retry (CBC.99000049)."),
            ],
            handler: post(record_adjustment),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/operator/partners/{partner}/statement",
            summary:
                "What the partner owes (the latest billed month's unpaid part and the earlier months'), what of it \
                is in arrears, its balance, its unpaid bills and its 20 latest ledger entries.",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[(200, "The statement."), (404, "No such partner (CBC.99000054).")],
            handler: get(operator_statement),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/statement",
            summary:
                "The signed-in partner's statement: amount due with its months, arrears, balance, unpaid bills and \
                the latest ledger entries (R-BILL-03, R-BILL-13).",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[(200, "The statement.")],
            handler: get(partner_statement),
        },
    ]
}

#[derive(Deserialize)]
struct EntryIn {
    amount: Option<String>,
    memo: Option<String>,
}

fn entry_json(e: &Entry) -> Value {
    let kind = match e.kind {
        EntryKind::Payment => "payment",
        EntryKind::Adjustment => "adjustment",
        EntryKind::BillDeduction => "bill_deduction",
        EntryKind::Allocation => "allocation",
        EntryKind::Reclaim => "reclaim",
        EntryKind::Unbind => "unbind",
    };
    json!({"entry_id": e.id, "kind": kind, "amount": e.amount.to_string(), "balance_after": e.balance_after.to_string(),
        "transfer_id": e.transfer, "counterpart_id": e.counterpart.as_ref().map(|h| h.id().to_owned()),
        "bill": e.bill.as_ref().map(|b| json!({"partner_id": b.partner.as_str(), "month": bills::month_text(b.cycle)})),
        "memo": e.memo, "at": e.at.to_rfc3339()})
}

async fn record(
    ctx: &Context,
    user: &opc_core::ops::console::ConsoleUser,
    partner: &str,
    body: EntryIn,
    payment: bool,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let staff = staff_of(user)?;
    let text = body.amount.as_deref().map(str::trim).ok_or_else(|| ApiError::invalid("amount", "is required"))?;
    let amount = Money::parse_with_scale(text, 2).map_err(|e| ApiError::invalid("amount", e))?;
    let what = if payment { OperatorEntry::Payment(amount) } else { OperatorEntry::Adjustment(amount) };
    let memo = body.memo.unwrap_or_default();
    let entry = funds::record(ctx, partner, what, memo.trim(), staff.email.as_str()).await?;
    Ok((StatusCode::CREATED, Json(entry_json(&entry))))
}

async fn record_payment(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(partner): ApiPath<String>,
    ApiJson(body): ApiJson<EntryIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    record(&ctx, &user, &partner, body, true).await
}

async fn record_adjustment(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(partner): ApiPath<String>,
    ApiJson(body): ApiJson<EntryIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    record(&ctx, &user, &partner, body, false).await
}

async fn statement_json(ctx: &Context, partner: &PartnerId) -> Result<Value, ApiError> {
    let s = bills::statement(ctx, partner).await?;
    let latest = LedgerQuery { limit: 20, ..LedgerQuery::default() };
    let (entries, count) = ctx.store.ledger(&Holder::Partner(partner.clone()), &latest).await?;
    let unpaid: Vec<Value> = s
        .unpaid
        .iter()
        .map(|b| {
            json!({"partner_id": b.partner.as_str(), "month": bills::month_text(b.cycle),
                "amount_due": b.totals.amount_due.to_string(), "tax": b.totals.tax.to_string(),
                "paid": b.paid.to_string(), "due_at": b.due_at.to_rfc3339()})
        })
        .collect();
    Ok(json!({
        "partner_id": partner.as_str(),
        "amount_due": s.due.total.to_string(),
        "latest_month": s.due.latest_cycle.map(bills::month_text),
        "latest_month_due": s.due.latest.to_string(),
        "earlier_months_due": s.due.previous.to_string(),
        "arrears": s.arrears.to_string(),
        "balance": s.balance.to_string(),
        "unpaid_bills": unpaid,
        "entries": entries.iter().map(|v| entry_json(&v.entry)).collect::<Vec<_>>(),
        "entry_count": count,
    }))
}

async fn operator_statement(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(partner): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    staff_of(&user)?;
    let missing = || ApiError::new(ErrorCode::NotFound, format!("There is no partner {partner:?}."));
    let id = PartnerId::parse(&partner).map_err(|_| missing())?;
    ctx.store.partner(&id).await?.ok_or_else(missing)?;
    Ok(Json(statement_json(&ctx, &id).await?))
}

async fn partner_statement(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    // R-BILL-17: the whole partner's figures, for those who see every customer.
    let caller = acting_caller(&ctx, &user, Permission::ViewCustomers).await?;
    if !caller.sees(None) {
        return Err(ApiError::new(
            ErrorCode::AccessDenied,
            "Access denied: account managers and directors see their customers' bills only.",
        ));
    }
    Ok(Json(statement_json(&ctx, caller.partner.id()).await?))
}
