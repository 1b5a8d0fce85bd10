//! B1.2 budgets of reseller customers.

use axum::extract::State;
use axum::Json;
use opc_core::ops::customers;
use opc_core::store::BudgetRecordQuery;
use opc_core::Context;
use opc_domain::budget::{Budget, BudgetAmount, BudgetChange, BudgetOperation, BudgetType};
use opc_domain::Money;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::wire::{self, Amount, Empty, CURRENCY, MEASURE_ID};
use crate::error::ApiError;
use crate::extract::{Authenticated, BssJson, BssQuery};

fn customer_id(value: &Option<String>) -> Result<&str, ApiError> {
    wire::required("customer_id", value, 64)
}

/// `ModSubCustomerBudgetReq`.
#[derive(Deserialize, Default)]
pub struct ModSubCustomerBudgetReq {
    customer_id: Option<String>,
    budget_amount: Option<Box<RawValue>>,
    cancel_partner_frozen: Option<String>,
    indirect_partner_id: Option<String>,
    budget_type: Option<String>,
    frozen_operate_type: Option<i64>,
}

/// `POST /v2/partners/sub-customers/budget`.
pub async fn update_sub_customer_budget(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<ModSubCustomerBudgetReq>,
) -> Result<Json<Empty>, ApiError> {
    let customer = customer_id(&req.customer_id)?;
    let raw = req.budget_amount.as_ref().ok_or_else(|| ApiError::invalid("budget_amount", "is required"))?;
    let amount = BudgetAmount::parse(raw.get()).map_err(|e| ApiError::invalid("budget_amount", e))?;
    // Issue 16: only an absent or null type takes the default; "" is outside the enumeration.
    let budget_type = match req.budget_type.as_deref() {
        None => BudgetType::Monthly,
        Some(t) => wire::parse_budget_type("budget_type", t)?,
    };
    let unfreeze = match req.cancel_partner_frozen.as_deref() {
        None | Some("0") => false,
        Some("1") => true,
        Some(_) => return Err(ApiError::invalid("cancel_partner_frozen", "must be 0 or 1")),
    };
    let auto_freeze = match req.frozen_operate_type {
        None => None,
        Some(0) => Some(false),
        Some(1) => Some(true),
        Some(_) => return Err(ApiError::invalid("frozen_operate_type", "must be 0 or 1")),
    };
    let change = BudgetChange { budget_type, amount, auto_freeze };
    customers::set_budget(
        &ctx,
        &caller,
        wire::indirect_partner(&req.indirect_partner_id)?,
        customer,
        &change,
        unfreeze,
    )
    .await?;
    Ok(Json(Empty {}))
}

#[derive(Deserialize)]
pub struct ShowBudgetQuery {
    customer_id: Option<String>,
    indirect_partner_id: Option<String>,
}

/// `ShowSubCustomerBudgetResponse`.
#[derive(Serialize)]
pub struct ShowSubCustomerBudgetResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    budget_amount: Option<Amount>,
    used_amount: Amount,
    measure_id: i32,
    currency: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    budget_type: Option<&'static str>,
}

/// `GET /v2/partners/sub-customers/budget`. The used amount is the list-price spend the budget
/// is compared with (R-RCM-04: this cycle's, or a package budget's since it was set).
pub async fn show_sub_customer_budget(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssQuery(q): BssQuery<ShowBudgetQuery>,
) -> Result<Json<ShowSubCustomerBudgetResponse>, ApiError> {
    let (budget, used) = customers::show_budget(
        &ctx,
        &caller,
        wire::indirect_partner(&q.indirect_partner_id)?,
        customer_id(&q.customer_id)?,
    )
    .await?;
    Ok(Json(ShowSubCustomerBudgetResponse {
        budget_amount: budget.as_ref().map(|b| Amount(b.amount())),
        used_amount: Amount(used),
        measure_id: MEASURE_ID,
        currency: CURRENCY,
        budget_type: budget.as_ref().map(|b| wire::budget_type(b.budget_type())),
    }))
}

/// `ListSubCustomerBudgetReq`.
#[derive(Deserialize, Default)]
pub struct ListSubCustomerBudgetReq {
    customer_ids: Option<Vec<String>>,
    indirect_partner_id: Option<String>,
}

/// `ListSubCustomerBudgetResponse`. Fields here and below are in the order the answer has
/// always had: by name.
#[derive(Serialize)]
pub struct ListSubCustomerBudgetResponse {
    budget_infos: Vec<BudgetInfo>,
    currency: &'static str,
    measure_id: i32,
}

#[derive(Serialize)]
struct BudgetInfo {
    budget_amount: Amount,
    budget_type: &'static str,
    customer_id: String,
    used_amount: Amount,
}

impl From<(Budget, Money)> for BudgetInfo {
    fn from((b, used): (Budget, Money)) -> BudgetInfo {
        BudgetInfo {
            customer_id: b.customer().as_str().to_owned(),
            budget_amount: Amount(b.amount()),
            used_amount: Amount(used),
            budget_type: wire::budget_type(b.budget_type()),
        }
    }
}

/// `POST /v2/partners/sub-customers/budget/query`: ids that are not the caller's reseller
/// customers are silently left out.
pub async fn list_sub_customer_budget(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<ListSubCustomerBudgetReq>,
) -> Result<Json<ListSubCustomerBudgetResponse>, ApiError> {
    let ids = req.customer_ids.as_deref().unwrap_or_default();
    if ids.is_empty() || ids.len() > 100 {
        return Err(ApiError::invalid("customer_ids", "must name 1 to 100 customers"));
    }
    if ids.iter().any(|id| id.is_empty() || id.chars().count() > 64) {
        return Err(ApiError::invalid("customer_ids", "each id is 1 to 64 characters"));
    }
    let budgets =
        customers::list_budgets(&ctx, &caller, wire::indirect_partner(&req.indirect_partner_id)?, ids).await?;
    let infos: Vec<BudgetInfo> = budgets.into_iter().map(Into::into).collect();
    Ok(Json(ListSubCustomerBudgetResponse { measure_id: MEASURE_ID, currency: CURRENCY, budget_infos: infos }))
}

#[derive(Deserialize)]
pub struct BudgetRecordsQuery {
    customer_id: Option<String>,
    indirect_partner_id: Option<String>,
    operation_type: Option<String>,
    budget_type: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// `ListSubCustomerBudgetRecordsResponse`.
#[derive(Serialize)]
pub struct BudgetRecordsResponse {
    currency: &'static str,
    measure_id: i32,
    record_list: Vec<BudgetRecordInfo>,
    total_count: u64,
}

#[derive(Serialize)]
struct BudgetRecordInfo {
    budget_amount: Amount,
    budget_type: &'static str,
    operation_time: String,
    operation_type: &'static str,
    operator: String,
    partner_account_name: String,
    partner_corp_name: String,
}

/// `GET /v2/partners/sub-customers/budget/records`.
pub async fn list_sub_customer_budget_records(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssQuery(q): BssQuery<BudgetRecordsQuery>,
) -> Result<Json<BudgetRecordsResponse>, ApiError> {
    let operation = match q.operation_type.as_deref() {
        None => None,
        Some("SETTING") => Some(BudgetOperation::Setting),
        Some("DELETE") => Some(BudgetOperation::Delete),
        Some(_) => return Err(ApiError::invalid("operation_type", "must be SETTING or DELETE")),
    };
    let budget_type = q.budget_type.as_deref().map(|t| wire::parse_budget_type("budget_type", t)).transpose()?;
    let query = BudgetRecordQuery {
        operation,
        budget_type,
        offset: wire::int_in("offset", q.offset, 0, i64::from(i32::MAX), 0)? as u32,
        limit: wire::int_in("limit", q.limit, 1, 100, 10)? as u32,
    };
    let (records, total) = customers::budget_records(
        &ctx,
        &caller,
        wire::indirect_partner(&q.indirect_partner_id)?,
        customer_id(&q.customer_id)?,
        &query,
    )
    .await?;
    let list: Vec<BudgetRecordInfo> = records
        .into_iter()
        .map(|r| BudgetRecordInfo {
            budget_amount: Amount(r.amount),
            operation_type: match r.operation {
                BudgetOperation::Setting => "SETTING",
                BudgetOperation::Delete => "DELETE",
            },
            operation_time: r.at.to_rfc3339(),
            operator: r.operator,
            budget_type: wire::budget_type(r.budget_type),
            partner_corp_name: r.partner_corp_name,
            partner_account_name: r.partner_account_name,
        })
        .collect();
    Ok(Json(BudgetRecordsResponse {
        total_count: total,
        measure_id: MEASURE_ID,
        currency: CURRENCY,
        record_list: list,
    }))
}
