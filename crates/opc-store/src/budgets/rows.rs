//! The budgets rows as stored, and their conversions to and from the domain.

use opc_domain::budget::{Budget, BudgetRecord, StoredBudget};
use opc_domain::{AccountId, PartnerId, Timestamp};

use crate::codes::Code;
use crate::rows::{decode_error, money};

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct BudgetRow {
    pub customer_id: String,
    pub partner_id: String,
    pub budget_type: String,
    pub amount_e8: i64,
    pub auto_freeze: Option<bool>,
    pub set_at_ms: i64,
    pub version: i64,
}

impl From<&Budget> for BudgetRow {
    fn from(b: &Budget) -> BudgetRow {
        BudgetRow {
            customer_id: b.customer().as_str().to_owned(),
            partner_id: b.partner().as_str().to_owned(),
            budget_type: b.budget_type().code().to_owned(),
            amount_e8: b.amount().e8(),
            auto_freeze: b.auto_freeze(),
            set_at_ms: b.set_at().unix_ms(),
            version: b.version(),
        }
    }
}

impl TryFrom<BudgetRow> for Budget {
    type Error = sqlx::Error;

    fn try_from(r: BudgetRow) -> Result<Budget, sqlx::Error> {
        Ok(Budget::from_stored(StoredBudget {
            customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            budget_type: Code::from_code(&r.budget_type)?,
            amount: money("budget amount", r.amount_e8)?,
            auto_freeze: r.auto_freeze,
            set_at: Timestamp::from_unix_ms(r.set_at_ms),
            version: r.version,
        }))
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct BudgetRecordRow {
    pub customer_id: String,
    pub partner_id: String,
    pub operation: String,
    pub budget_type: String,
    pub amount_e8: i64,
    pub operator: String,
    pub partner_corp_name: String,
    pub partner_account_name: String,
    pub at_ms: i64,
}

impl From<&BudgetRecord> for BudgetRecordRow {
    fn from(r: &BudgetRecord) -> BudgetRecordRow {
        BudgetRecordRow {
            customer_id: r.customer.as_str().to_owned(),
            partner_id: r.partner.as_str().to_owned(),
            operation: r.operation.code().to_owned(),
            budget_type: r.budget_type.code().to_owned(),
            amount_e8: r.amount.e8(),
            operator: r.operator.clone(),
            partner_corp_name: r.partner_corp_name.clone(),
            partner_account_name: r.partner_account_name.clone(),
            at_ms: r.at.unix_ms(),
        }
    }
}

impl TryFrom<BudgetRecordRow> for BudgetRecord {
    type Error = sqlx::Error;

    fn try_from(r: BudgetRecordRow) -> Result<BudgetRecord, sqlx::Error> {
        Ok(BudgetRecord {
            customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            operation: Code::from_code(&r.operation)?,
            budget_type: Code::from_code(&r.budget_type)?,
            amount: money("budget amount", r.amount_e8)?,
            operator: r.operator,
            partner_corp_name: r.partner_corp_name,
            partner_account_name: r.partner_account_name,
            at: Timestamp::from_unix_ms(r.at_ms),
        })
    }
}
