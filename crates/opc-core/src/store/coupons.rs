use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::coupon::{
    Coupon, CouponEntry, CouponEntryKind, CouponKind, CouponQuota, CouponRefund, OrderHold, QuotaEntry, QuotaEntryKind,
};
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, PartnerId, Timestamp};

use super::*;

/// What one coupon decision writes: quotas and coupons as decided (each written only if its
/// stored version is still the one it was read at: version 0 is a new one), the entries of both
/// ledgers, and the audit events, in one transaction.
#[derive(Clone, Copy, Debug, Default)]
pub struct CouponWrite<'a> {
    pub quotas: &'a [CouponQuota],
    pub quota_entries: &'a [QuotaEntry],
    pub coupons: &'a [Coupon],
    pub coupon_entries: &'a [CouponEntry],
    pub audit: &'a [AuditEvent],
}

/// Which coupons to read: every filter given must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CouponQuery {
    /// The partner whose bills they pay.
    pub partner: Option<PartnerId>,
    pub customer: Option<AccountId>,
    pub coupon: Option<String>,
    pub quota: Option<String>,
    /// Only those still open with a balance left (what a bill may deduct).
    pub open_only: bool,
    /// Only coupons of this kind (cash or test).
    pub kind: Option<CouponKind>,
}

/// Filters of a quota ledger's movements (B2.5.2, B2.5.6), newest first. Times are inclusive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotaEntryQuery {
    /// Entries on quotas of this partner, or (with `children`) on quotas it issued.
    pub partner: PartnerId,
    /// Read the entries of the quotas `partner` issued to its resellers instead of its own.
    pub children: bool,
    pub kinds: Vec<QuotaEntryKind>,
    /// The quota the entry is on.
    pub quota: Option<String>,
    /// The quota the entry's quota was issued from.
    pub parent: Option<String>,
    /// The partner holding the entry's quota.
    pub holder: Option<PartnerId>,
    /// The coupon moved (the entry's counterpart), any of these when not empty.
    pub coupons: Vec<String>,
    /// The customer of the coupon moved.
    pub customer: Option<AccountId>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub offset: u32,
    pub limit: u32,
}

/// A quota entry with what its lists show beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotaEntryView {
    pub entry: QuotaEntry,
    pub holder: PartnerId,
    pub parent: Option<String>,
    /// The customer of the coupon moved, for coupon movements.
    pub customer: Option<AccountId>,
}

/// Whose coupons: a partner's (they pay its bills) or one customer's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CouponHolder {
    Partner(PartnerId),
    Customer(AccountId),
}

/// Filters of the movements of one holder's coupons (B2.5.3), newest first. Times are
/// inclusive; `kinds` empty selects none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CouponEntryQuery {
    pub holder: CouponHolder,
    pub kinds: Vec<CouponEntryKind>,
    pub coupon: Option<String>,
    pub trade: Option<String>,
    pub from: Timestamp,
    pub to: Timestamp,
    pub offset: u32,
    pub limit: u32,
}

#[async_trait]
pub trait Coupons: Send + Sync + 'static {
    /// The quotas with these ids that exist, in no particular order.
    async fn coupon_quotas(&self, ids: &[String]) -> Result<Vec<CouponQuota>, StoreError>;
    /// Every quota `partner` holds (`issued_by`: every quota issued from one of its quotas),
    /// newest first.
    async fn quotas_of(&self, partner: &PartnerId, issued_by: bool) -> Result<Vec<CouponQuota>, StoreError>;
    /// The coupons the query selects, newest first.
    async fn coupons(&self, query: &CouponQuery) -> Result<Vec<Coupon>, StoreError>;
    /// R-CPN-02: the coupons still held for orders of `partner` whose charge falls in `cycle`
    /// (what its bill of the cycle deducts first), in the order they were held.
    async fn held_orders(&self, partner: &PartnerId, cycle: Cycle) -> Result<Vec<OrderHold>, StoreError>;
    /// R-CPN-10: what coupons were given back for `partner`'s orders unsubscribed in `cycle` after
    /// an earlier bill paid them (what its bill of the cycle keeps from the partner's refund).
    async fn coupon_refunds(&self, partner: &PartnerId, cycle: Cycle) -> Result<Vec<CouponRefund>, StoreError>;
    /// The coupon holds of these orders, whatever their state, in the order they were held.
    async fn order_holds(&self, orders: &[String]) -> Result<Vec<OrderHold>, StoreError>;
    /// Up to `limit` coupons still open with a balance whose validity ended by `now` and that no
    /// order holds (what the expiry job closes), oldest expiry first.
    async fn expired_coupons(&self, now: Timestamp, limit: u32) -> Result<Vec<Coupon>, StoreError>;
    /// Writes one decision (see [`CouponWrite`]); a stale quota or coupon refuses it whole with
    /// `Stale(Row::CouponQuota | Row::Coupon)`.
    async fn write_coupons(&self, write: &CouponWrite<'_>) -> Result<(), StoreError>;
    /// A page of quota entries and the count of all that match.
    async fn quota_entries(&self, query: &QuotaEntryQuery) -> Result<(Vec<QuotaEntryView>, u64), StoreError>;
    /// A coupon's ledger, oldest first.
    async fn coupon_entries(&self, coupon: &str) -> Result<Vec<CouponEntry>, StoreError>;
    /// A page of the movements of a holder's coupons and the count of all that match.
    async fn coupon_changes(&self, query: &CouponEntryQuery) -> Result<(Vec<CouponEntry>, u64), StoreError>;
}
