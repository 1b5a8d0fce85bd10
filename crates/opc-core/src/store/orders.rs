use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::order::{Order, OrderStatus, OrderType, PurchaseBlock, RenewConfig, Resource, Term};
use opc_domain::spend::Addition;
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Money, MoneyError, OrderId, PartnerId, ResourceId, Timestamp};

use super::*;

/// Whose orders a listing covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderScope {
    Customer(AccountId),
    /// The partner's current reseller customers.
    Partner(PartnerId),
}

/// Filters of `list_customer_orders`, whoever's orders they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderFilter {
    pub order_id: Option<String>,
    pub status: Option<OrderStatus>,
    pub order_type: Option<OrderType>,
    pub service_type: Option<String>,
    pub created: (Option<Timestamp>, Option<Timestamp>),
    pub paid: (Option<Timestamp>, Option<Timestamp>),
    pub newest_first: bool,
    pub offset: u32,
    pub limit: u32,
}

pub use opc_domain::order::Charge;

/// A line of a charged order (paid, or an unsubscription): what the yearly/monthly costs of
/// `list_costs`, `list_customer_bills_fee_records` and the monthly break-down are made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderCost {
    pub order_id: OrderId,
    pub order_type: OrderType,
    pub line_id: String,
    pub resource_id: String,
    pub product: opc_domain::order::Product,
    pub period: Option<(opc_domain::catalog::PeriodType, i32)>,
    /// The line's list price (negative for a refund).
    pub amount: Money,
    /// A purchase's or renewal's term.
    pub term: Option<(Timestamp, Timestamp)>,
    /// A refund's: the term of the line it refunds (its base order's line of the resource).
    pub refunded_term: Option<(Timestamp, Timestamp)>,
    pub charged_at: Timestamp,
    pub cycle: Cycle,
    /// The customer's partner and model when charged.
    pub partner: Option<(PartnerId, opc_domain::association::AssociationModel)>,
}

/// The decision on a purchase, taken on the spend read under the payment's lock: admitted
/// (`Ok(Ok(()))`) or refused (`Ok(Err(block))`); `Err` when the stored totals make no valid
/// spend.
pub type SpendCheck<'a> = &'a (dyn Fn(&Spent) -> Result<Result<(), PurchaseBlock>, MoneyError> + Send + Sync);

/// An order's settlement, written in one transaction: the order (inserted, or updated from
/// pending at `pending_version`), the resources it creates and changes, its charges and what
/// they add to the running totals (one addition per total, [`opc_domain::spend::Totals`]). With a
/// `check`, the customer's and partner's rows are locked first, so that concurrent payments
/// are weighed one after the other, and nothing is written if the check refuses.
pub struct Settlement<'a> {
    pub order: &'a Order,
    pub pending_version: Option<i64>,
    pub new_resources: &'a [Resource],
    pub changed_resources: &'a [Resource],
    pub charges: &'a [Charge],
    pub additions: &'a [Addition],
    pub check: Option<(&'a SpendScope, SpendCheck<'a>)>,
    /// The partner discount the payment used: what it took off each line is kept beside the
    /// order (the price trace).
    pub discount: Option<&'a opc_domain::discount::AppliedDiscount>,
    /// R-CPN-02, R-CPN-10: coupons as the settlement left them (held for the order, or released
    /// by an unsubscription; version-checked) and their holds (new, or ended while still held).
    pub coupons: &'a [opc_domain::coupon::Coupon],
    pub holds: &'a [opc_domain::coupon::OrderHold],
    /// R-CPN-10: what an unsubscription gave back to coupons whose orders' bills paid them.
    pub given_back: Option<&'a opc_domain::coupon::GivenBack>,
    /// The stored-value card the payment used (B1.6.4 type 303), or the refunds an
    /// unsubscription gives back to cards (SVC-3), in order: each card as it leaves it (written
    /// only if still at its version, else `Stale(Row::StoredValueCard)`), its entry and what it
    /// paid (or got back) of each line.
    pub cards: &'a [opc_domain::stored_value::CardPayment],
    /// Issue #16: the resource packages a purchase's resources are (one per package resource).
    pub packages: &'a [opc_domain::package::Package],
    pub audit: &'a [AuditEvent],
}

/// A pay-per-use resource, as its usage shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnDemandResource {
    pub resource_id: String,
    pub service_type: String,
    pub resource_type: String,
    pub spec: String,
    pub region: String,
    /// Its first usage.
    pub since: Timestamp,
}

/// Filters of `list_customer_on_demand_resources`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OnDemandQuery {
    pub region: Option<String>,
    pub service_type: Option<String>,
    pub resource_ids: Vec<String>,
    pub since: (Option<Timestamp>, Option<Timestamp>),
    pub offset: u32,
    pub limit: u32,
}

#[async_trait]
pub trait Orders: Send + Sync + 'static {
    /// Stores a new pending order.
    async fn insert_order(&self, order: &Order, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn order(&self, id: &OrderId) -> Result<Option<Order>, StoreError>;
    /// The lines of the customer's charged orders in cycles up to `through`, oldest charge
    /// first.
    async fn order_costs(&self, customer: &AccountId, through: Cycle) -> Result<Vec<OrderCost>, StoreError>;
    /// The orders of `scope` matching `filter` (lines included), with the count of all that match.
    async fn orders(&self, scope: &OrderScope, filter: &OrderFilter) -> Result<(Vec<Order>, u64), StoreError>;
    /// Writes a settlement; `Ok(Some(block))` when its check refused and nothing was written.
    async fn settle_order(&self, settlement: &Settlement<'_>) -> Result<Option<PurchaseBlock>, StoreError>;
    async fn resource(&self, id: &ResourceId) -> Result<Option<Resource>, StoreError>;
    /// Open main resources with automatic renewal or the change to pay-per-use whose expiry is
    /// at or before `until`, soonest first.
    async fn resources_due(&self, until: Timestamp, limit: u32) -> Result<Vec<Resource>, StoreError>;
    /// The customer's yearly/monthly resources, oldest first.
    async fn resources_of(&self, customer: &AccountId) -> Result<Vec<Resource>, StoreError>;
    /// Updates resources, each if still at its version.
    async fn update_resources(&self, changed: &[Resource], audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// The terms paid for a resource: its lines in completed purchase and renewal orders.
    async fn terms_of(&self, resource: &ResourceId) -> Result<Vec<Term>, StoreError>;
    /// The customer's pay-per-use resources, from its usage, newest first, with the count.
    async fn on_demand_resources(
        &self,
        customer: &AccountId,
        query: &OnDemandQuery,
    ) -> Result<(Vec<OnDemandResource>, u64), StoreError>;
    async fn set_renew_config(
        &self,
        customer: &AccountId,
        config: RenewConfig,
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn renew_config(&self, customer: &AccountId) -> Result<(Option<u8>, Option<i8>), StoreError>;
    /// R-ASSOC-19, R-RCM-14: records (`Some(at)`) or withdraws the customer's authorization
    /// letter on its current association with the partner.
    async fn set_authorization(
        &self,
        customer: &AccountId,
        partner: &PartnerId,
        granted: Option<Timestamp>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// When the customer's current association with the partner got the authorization letter.
    async fn authorization(&self, customer: &AccountId, partner: &PartnerId) -> Result<Option<Timestamp>, StoreError>;
}
