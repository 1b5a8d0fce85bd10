use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::discount::{AppliedDiscount, DiscountScope, PartnerDiscount, ServicePolicy};
use opc_domain::{AccountId, OrderId, PartnerId};

use super::*;

/// Which partner discounts to read: every filter given must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DiscountQuery {
    pub partner: Option<PartnerId>,
    /// Those for this customer, and (with `with_all`) those for all the partner's customers.
    pub customer: Option<AccountId>,
    pub with_all: bool,
    /// Special discounts on this order.
    pub order: Option<OrderId>,
    pub id: Option<String>,
}

/// The partner-discount room (R-CPN-25 … R-CPN-33): the operator's policies per service type,
/// the scopes it authorizes, the discounts partners set, and what a discount took off a paid
/// order's lines (written with the order's settlement, [`Settlement::discount`]).
#[async_trait]
pub trait Discounts: Send + Sync + 'static {
    /// Every service type's policy, by service type.
    async fn discount_policies(&self) -> Result<Vec<ServicePolicy>, StoreError>;
    /// Stores a service type's policy, replacing the one it had.
    async fn set_discount_policy(&self, policy: &ServicePolicy, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// The scopes authorized to `partner`, by service type.
    async fn discount_scopes(&self, partner: &PartnerId) -> Result<Vec<DiscountScope>, StoreError>;
    /// Inserts a new scope (version 0) or replaces one still at its version; a stale one is
    /// `Stale(Row::DiscountScope)`.
    async fn write_discount_scope(&self, scope: &DiscountScope, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// The discounts the query selects, oldest first.
    async fn partner_discounts(&self, query: &DiscountQuery) -> Result<Vec<PartnerDiscount>, StoreError>;
    /// Inserts a new discount (version 0) or updates one still at its version; a stale one is
    /// `Stale(Row::PartnerDiscount)`.
    async fn write_partner_discount(&self, discount: &PartnerDiscount, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// Removes a discount still at its version.
    async fn remove_partner_discount(&self, discount: &PartnerDiscount, audit: &[AuditEvent])
        -> Result<(), StoreError>;
    /// What a discount took off the order's lines when it was paid, if one did.
    async fn applied_discount(&self, order: &OrderId) -> Result<Option<AppliedDiscount>, StoreError>;
}
