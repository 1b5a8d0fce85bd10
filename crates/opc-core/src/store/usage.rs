use async_trait::async_trait;
use opc_domain::association::AssociationModel;
use opc_domain::audit::AuditEvent;
use opc_domain::budget::Budget;
use opc_domain::notification::Notification;
use opc_domain::usage::{Cycle, Expenditure};
use opc_domain::{AccountId, Millis, Money, MoneyError, PartnerId, Timestamp};

use super::*;

/// A customer's spend on one resource in a cycle, or on one day of it (`day`: days since
/// 1970-01-01 in the billing time zone), summed from its rated usage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageSummary {
    pub resource_id: String,
    pub service_type: String,
    pub resource_type: String,
    pub spec: String,
    pub region: String,
    pub day: Option<i64>,
    pub amount: Money,
    pub first_ended_at: Timestamp,
    pub last_ended_at: Timestamp,
}

/// A customer's rated usage of one resource, usage type and unit on one day (days since
/// 1970-01-01 in the billing zone), with the partner and model it was rated under: what the
/// pay-per-use costs of `list_costs` and `list_customer_bills_monthly_break_down` are made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageDay {
    pub day: i64,
    pub cycle: Cycle,
    pub resource_id: String,
    pub service_type: String,
    pub resource_type: String,
    pub spec: String,
    pub region: String,
    pub usage_factor: String,
    pub usage_measure_id: i32,
    pub usage: opc_domain::rating::Quantity,
    pub partner: Option<(PartnerId, AssociationModel)>,
    pub amount: Money,
    pub first_ended_at: Timestamp,
    pub last_ended_at: Timestamp,
}

/// List-price spend (R-BILL-18) summed per day (days since 1970-01-01 in the billing zone) and
/// billing cycle, and per partner and model it was rated or charged under: see
/// [`Usage::spend_sums`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpendSum {
    pub cycle: Cycle,
    pub day: i64,
    pub partner: Option<(PartnerId, AssociationModel)>,
    pub amount: Money,
}

/// Filters of `list_customerself_resource_records`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UsageQuery {
    pub cycle: Cycle,
    pub service_type: Option<String>,
    pub region: Option<String>,
    pub resource_id: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

pub use opc_domain::spend::{CustomerTotals, QuotaUse, SpendWindow};

/// Whose spend a purchase is weighed against: the customer's running totals (with `cycle`'s),
/// and its partner's reseller customers' in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpendScope {
    pub customer: AccountId,
    pub cycle: Cycle,
    pub partner: Option<PartnerId>,
}

/// The spend of a [`SpendScope`], read under the purchase's lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spent {
    pub customer: CustomerTotals,
    pub partner: QuotaUse,
}

/// Budgets and quotas with their spend: see [`Usage::spend_state`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpendState {
    pub budgets: Vec<(Budget, Money)>,
    /// (partner, its consumption quota, how much of it is used: [`QuotaUse::used`]).
    pub quotas: Vec<(PartnerId, Money, Money)>,
}

/// Budgets and quotas with the running totals their spend is derived from: see
/// [`Usage::spend_totals`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpendTotals {
    pub budgets: Vec<(Budget, CustomerTotals)>,
    /// (partner, its consumption quota, what uses it).
    pub quotas: Vec<(PartnerId, Money, QuotaUse)>,
}

fn invalid_spend(e: MoneyError) -> StoreError {
    StoreError::Unavailable(anyhow::anyhow!("stored spend is invalid: {e}"))
}

/// A customer of a usage batch, with the facts that decide whose spend its usage is
/// ([`opc_domain::enterprise::spend_partner`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageOwner {
    pub customer: AccountId,
    /// Its current association's partner and model.
    pub association: Option<(PartnerId, AssociationModel)>,
    /// When it is a unified-accounting member of an enterprise: its master's current
    /// association's partner and model.
    pub unified_master: Option<(PartnerId, AssociationModel)>,
}

#[async_trait]
pub trait Usage: Send + Sync + 'static {
    /// Stores rated usage; a record whose id is stored already is skipped. Returns how many
    /// were new and how many were duplicates. If a running sum would pass `Money::MAX`
    /// (`Conflict` on `spend_totals.amount_e8`, `usage_hours.amount_e8` or
    /// `usage_hours.usage_e8`), nothing is written.
    ///
    /// Issue #16: `deductions` are what the new records took from packages, decided from the
    /// uses read before; if a package's use moved meanwhile, or a record they name was stored
    /// meanwhile, nothing is written (`Conflict` on `Stale(Row::PackageUse)`: decide again).
    async fn ingest_usage(
        &self,
        expenditures: &[Expenditure],
        deductions: &[opc_domain::package::Deduction],
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(u64, u64), StoreError>;
    /// The thresholds whose notice `(kind, subject, period, …)` was sent already.
    async fn notices_sent(&self, kind: &str, subject: &str, period: i64) -> Result<Vec<u32>, StoreError>;
    /// Records that the notice `(kind, subject, period, threshold)` is sent, with its
    /// notifications and audit events, unless it was already: returns whether it is new.
    #[allow(clippy::too_many_arguments)]
    async fn record_notice(
        &self,
        kind: &str,
        subject: &str,
        period: i64,
        threshold: u32,
        at: Timestamp,
        notifications: &[Notification],
        audit: &[AuditEvent],
    ) -> Result<bool, StoreError>;
    /// Which of `customers` exist, each with its current association's partner and model and,
    /// for a unified-accounting enterprise member, its master's.
    async fn usage_owners(&self, customers: &[AccountId]) -> Result<Vec<UsageOwner>, StoreError>;
    /// The customer's rated usage in `cycle`, newest first, filtered, with the count of all that
    /// match (`list_customerself_resource_records`).
    async fn usage_records_of(
        &self,
        customer: &AccountId,
        query: &UsageQuery,
    ) -> Result<(Vec<Expenditure>, u64), StoreError>;
    /// The customer's spend per resource in the query's cycle, or per resource and day when
    /// `day_offset` (the billing zone's offset from UTC) is given; with the count of groups.
    async fn usage_summaries_of(
        &self,
        customer: &AccountId,
        query: &UsageQuery,
        day_offset: Option<Millis>,
    ) -> Result<(Vec<UsageSummary>, u64), StoreError>;
    /// The customer's rated usage in the cycles `from` to `through`, summed per day (in the
    /// billing zone `day_offset` from UTC), resource, usage type, unit, partner and model; by
    /// day, then resource.
    async fn usage_days(
        &self,
        customer: &AccountId,
        from: Cycle,
        through: Cycle,
        day_offset: Millis,
    ) -> Result<Vec<UsageDay>, StoreError>;
    /// The list-price spend of `customers` in the cycles `from` to `through` (R-BILL-18: their
    /// rated usage and charged orders, the amounts their running totals add up), summed per
    /// day (in the billing zone `day_offset` from UTC), cycle, and partner and model it was
    /// rated or charged under; oldest first.
    async fn spend_sums(
        &self,
        customers: &[AccountId],
        from: Cycle,
        through: Cycle,
        day_offset: Millis,
    ) -> Result<Vec<SpendSum>, StoreError>;
    /// The budgets the partner set for its current reseller customers, each with the
    /// customer's running totals (with `cycle`'s), by customer: what its budgets' use is
    /// derived from ([`Usage::spend_state`] for a given list of customers).
    async fn partner_budget_totals(
        &self,
        partner: &PartnerId,
        cycle: Cycle,
    ) -> Result<Vec<(Budget, CustomerTotals)>, StoreError>;
    /// The list-price spend of the partner's reseller customers (R-QUOTA-06).
    async fn partner_reseller_spend(&self, partner: &PartnerId) -> Result<Money, StoreError>;
    /// What uses the partner's consumption quota, read at once: its reseller customers' spend
    /// and its account balance.
    async fn quota_use(&self, partner: &PartnerId) -> Result<QuotaUse, StoreError>;
    /// The customer's running totals of list-price spend, usage and orders: `cycle`'s (0
    /// without one), in all, and its budget's baseline.
    async fn customer_totals(&self, customer: &AccountId, cycle: Option<Cycle>) -> Result<CustomerTotals, StoreError>;
    /// What weighing a usage batch needs, read at once however many customers and partners it
    /// spans: the budgets of those of `customers` whose current reseller partner set them, each
    /// with the customer's running totals (with `cycle`'s); and those of `partners` with a
    /// consumption quota, with it and their reseller customers' spend (R-QUOTA-04).
    async fn spend_totals(
        &self,
        customers: &[AccountId],
        partners: &[PartnerId],
        cycle: Cycle,
    ) -> Result<SpendTotals, StoreError>;

    /// Provided: the customer's list-price spend, usage and orders, in `window`, derived from
    /// its running totals by the domain's rule ([`SpendWindow::spent`]).
    async fn spend(&self, customer: &AccountId, window: SpendWindow) -> Result<Money, StoreError> {
        let totals = self.customer_totals(customer, window.cycle()).await?;
        window.spent(&totals).map_err(invalid_spend)
    }

    /// Provided: [`Usage::spend_totals`] with each budget's spend in its window (`cycle`'s for
    /// a monthly budget, since it was set for a package one, R-RCM-04), derived by the domain's
    /// rule.
    async fn spend_state(
        &self,
        customers: &[AccountId],
        partners: &[PartnerId],
        cycle: Cycle,
    ) -> Result<SpendState, StoreError> {
        let totals = self.spend_totals(customers, partners, cycle).await?;
        let mut budgets = Vec::with_capacity(totals.budgets.len());
        for (budget, spend) in totals.budgets {
            let used = SpendWindow::of(Some(budget.budget_type()), cycle).spent(&spend).map_err(invalid_spend)?;
            budgets.push((budget, used));
        }
        let mut quotas = Vec::with_capacity(totals.quotas.len());
        for (partner, quota, use_) in totals.quotas {
            quotas.push((partner, quota, use_.used().map_err(invalid_spend)?));
        }
        Ok(SpendState { budgets, quotas })
    }
}
