use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::coupon::test_coupon::{NoticeKind, TestCouponRequest};
use opc_domain::coupon::{Coupon, CouponEntry};
use opc_domain::notification::Notification;
use opc_domain::{PartnerId, Timestamp};

use super::*;

/// Which test-coupon requests to read, newest first: every filter given must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TestCouponRequestQuery {
    pub partner: Option<PartnerId>,
    pub id: Option<String>,
    /// Only pending ones (the operator's queue).
    pub pending_only: bool,
}

/// What one test-coupon decision writes, in one transaction: the request as decided (version 0:
/// a new one; else written only if its stored version is unchanged), the partner's benefit
/// version it was decided on (`Some` for a partner's own new request: written only if unchanged,
/// so concurrent requests cannot together pass the limit), the coupon an approval issues with
/// its entry, and the audit events.
#[derive(Clone, Copy, Debug)]
pub struct TestCouponWrite<'a> {
    pub request: &'a TestCouponRequest,
    pub benefit_version: Option<i64>,
    pub coupon: Option<(&'a Coupon, &'a CouponEntry)>,
    pub audit: &'a [AuditEvent],
}

#[async_trait]
pub trait TestCoupons: Send + Sync + 'static {
    /// A partner's requests and the version of its test-coupon benefit (0 before its first
    /// request), read in one snapshot.
    async fn test_coupon_benefit(&self, partner: &PartnerId) -> Result<(Vec<TestCouponRequest>, i64), StoreError>;
    /// The requests the query selects, newest first.
    async fn test_coupon_requests(&self, query: &TestCouponRequestQuery) -> Result<Vec<TestCouponRequest>, StoreError>;
    /// Writes one decision (see [`TestCouponWrite`]); a stale request or benefit refuses it whole
    /// with `Stale(Row::TestCouponRequest | Row::TestCouponBenefit)`.
    async fn write_test_coupon(&self, write: &TestCouponWrite<'_>) -> Result<(), StoreError>;
    /// The notices already sent for a coupon: `(kind, period)`.
    async fn test_coupon_notices(&self, coupon: &str) -> Result<Vec<(NoticeKind, i64)>, StoreError>;
    /// Records that notice `(coupon, kind, period)` is sent, with its notifications and audit
    /// events, unless it was already: returns whether it is new.
    async fn record_test_coupon_notice(
        &self,
        coupon: &str,
        notice: (NoticeKind, i64),
        at: Timestamp,
        notifications: &[Notification],
        audit: &[AuditEvent],
    ) -> Result<bool, StoreError>;
}
