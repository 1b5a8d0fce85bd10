use async_trait::async_trait;
use opc_domain::account::Account;
use opc_domain::audit::AuditEvent;
use opc_domain::budget::{Budget, BudgetOperation, BudgetRecord, BudgetType};
use opc_domain::{AccountId, Money, PartnerId};

use super::*;

/// Filters of `list_sub_customer_budget_records`, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BudgetRecordQuery {
    pub operation: Option<BudgetOperation>,
    pub budget_type: Option<BudgetType>,
    pub offset: u32,
    pub limit: u32,
}

/// How a budget's spend baseline follows from the customer's spend in all, read inside the
/// budget's write ([`opc_domain::spend::baseline_when_set`]); the store writes what it returns.
pub type BaselineRule<'a> = &'a (dyn Fn(Money) -> Money + Send + Sync);

#[async_trait]
pub trait Budgets: Send + Sync + 'static {
    async fn budget(&self, customer: &AccountId) -> Result<Option<Budget>, StoreError>;
    /// The budgets of those of `customers` that are the partner's current reseller customers.
    async fn budgets_of(&self, partner: &PartnerId, customers: &[AccountId]) -> Result<Vec<Budget>, StoreError>;
    /// Writes the budget (inserting it when `expected_version` is `None`, else updating it if
    /// its stored version still matches), its record, and optionally the account's new freeze
    /// (version-checked too), in one transaction. The customer's spend in all at that moment,
    /// read in the same transaction, goes through `baseline` and the result is kept as the
    /// budget's baseline ([`CustomerTotals::baseline`](opc_domain::spend::CustomerTotals::baseline)),
    /// so that no spend falls between the two.
    async fn set_budget(
        &self,
        budget: &Budget,
        expected_version: Option<i64>,
        baseline: BaselineRule<'_>,
        record: &BudgetRecord,
        account: Option<&Account>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn budget_records(
        &self,
        partner: &PartnerId,
        customer: &AccountId,
        query: &BudgetRecordQuery,
    ) -> Result<(Vec<BudgetRecord>, u64), StoreError>;
}
