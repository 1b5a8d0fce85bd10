//! Yearly/monthly resources (B1.7): their status, expiry policy and terms, and what an
//! unsubscription refunds from those terms.

use crate::catalog::PeriodType;
use crate::{AccountId, Money, OrderId, ResourceId, Timestamp};

use super::{add_periods, Order, OrderLine, Product, Renewal};

/// B1.7.7 `status` of a yearly/monthly resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceStatus {
    InUse,
    Closed,
    Frozen,
    Expired,
}

impl ResourceStatus {
    pub const ALL: [ResourceStatus; 4] =
        [ResourceStatus::InUse, ResourceStatus::Closed, ResourceStatus::Frozen, ResourceStatus::Expired];
}

/// B1.7.7 `expire_policy`: what happens when the last term ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpirePolicy {
    /// A grace period, then deletion.
    Grace,
    /// The resource becomes pay-per-use (B1.7.10).
    ToOnDemand,
    /// Automatic renewal (B1.7.4), `times` more times (0: no limit).
    AutoRenew { period: PeriodType, times: u8 },
}

/// B1.7.4, B1.7.5, B1.7.10: a change of a resource's expiry policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyChange {
    /// Automatic renewal on: `period` by default the resource's last one; `times` 0 is no limit.
    AutoRenew {
        period: Option<PeriodType>,
        times: Option<u8>,
    },
    CancelAutoRenew,
    /// Change to pay-per-use on expiry, set (`true`) or cancelled.
    ToOnDemand(bool),
}

/// A yearly/monthly resource. Fields are private: a resource is provisioned by a paid purchase
/// ([`Order::payment`]) or rebuilt by the store ([`Resource::from_stored`]), and changes only
/// through the transitions below, each of which returns the changed resource with the same
/// `version` (the store bumps it on a version-checked write).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    id: ResourceId,
    customer: AccountId,
    order_id: OrderId,
    parent: Option<ResourceId>,
    product: Product,
    period: PeriodType,
    closed: bool,
    effective: Timestamp,
    expire: Timestamp,
    policy: ExpirePolicy,
    updated_at: Timestamp,
    version: i64,
}

/// A stored resource's fields, for [`Resource::from_stored`].
pub struct StoredResource {
    pub id: ResourceId,
    pub customer: AccountId,
    pub order_id: OrderId,
    pub parent: Option<ResourceId>,
    pub product: Product,
    pub period: PeriodType,
    pub closed: bool,
    pub effective: Timestamp,
    pub expire: Timestamp,
    pub policy: ExpirePolicy,
    pub updated_at: Timestamp,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResourceError {
    #[error("the resource is closed")]
    Closed,
    #[error("the resource is a child resource; act on its main resource {0}")]
    Child(String),
    #[error("automatic renewal is on; cancel it before changing to pay-per-use on expiry")]
    AutoRenewing,
    #[error("the resource changes to pay-per-use on expiry; cancel that before enabling automatic renewal")]
    ToOnDemand,
    #[error("automatic renewal is not on")]
    NotAutoRenewing,
    #[error("the resource is not set to change to pay-per-use on expiry")]
    NotToOnDemand,
    #[error("the resource has no renewed period that has not started")]
    NoRenewal,
}

impl Resource {
    /// R-ORD-02: the resource a paid purchase `line` of `order` provisions, in use for the
    /// line's term under the grace policy. `None` for a line without a period or a term.
    pub(super) fn provisioned(order: &Order, line: &OrderLine, now: Timestamp) -> Option<Resource> {
        let (Some((period, _)), Some((effective, expire))) = (line.period(), line.term()) else { return None };
        Some(Resource {
            id: line.resource_id().clone(),
            customer: order.customer().clone(),
            order_id: order.id().clone(),
            parent: line.parent_resource().cloned(),
            product: line.product().clone(),
            period,
            closed: false,
            effective,
            expire,
            policy: ExpirePolicy::Grace,
            updated_at: now,
            version: 0,
        })
    }

    /// Rebuilds a stored resource. For the store only: it performs no check, because the values
    /// were decided by the provisioning and the transitions.
    pub fn from_stored(s: StoredResource) -> Resource {
        Resource {
            id: s.id,
            customer: s.customer,
            order_id: s.order_id,
            parent: s.parent,
            product: s.product,
            period: s.period,
            closed: s.closed,
            effective: s.effective,
            expire: s.expire,
            policy: s.policy,
            updated_at: s.updated_at,
            version: s.version,
        }
    }

    pub fn id(&self) -> &ResourceId {
        &self.id
    }

    pub fn customer(&self) -> &AccountId {
        &self.customer
    }

    /// The purchase order that provisioned it.
    pub fn order_id(&self) -> &OrderId {
        &self.order_id
    }

    /// R-ORD-04: the main resource of a child resource (a VM's system disk).
    pub fn parent(&self) -> Option<&ResourceId> {
        self.parent.as_ref()
    }

    pub fn product(&self) -> &Product {
        &self.product
    }

    /// The period type of the last order that covered it.
    pub fn period(&self) -> PeriodType {
        self.period
    }

    /// In use, or closed (by an unsubscription or the change to pay-per-use); `status_at`
    /// derives frozen and expired.
    pub fn closed(&self) -> bool {
        self.closed
    }

    pub fn effective(&self) -> Timestamp {
        self.effective
    }

    pub fn expire(&self) -> Timestamp {
        self.expire
    }

    pub fn policy(&self) -> ExpirePolicy {
        self.policy
    }

    pub fn updated_at(&self) -> Timestamp {
        self.updated_at
    }

    /// The stored version it was read at.
    pub fn version(&self) -> i64 {
        self.version
    }

    /// The status shown at `now`: closed, frozen (the customer's ACCOUNT_AND_RESOURCE freeze
    /// stops its resources, R-RCM-10), expired, or in use.
    pub fn status_at(&self, now: Timestamp, resources_frozen: bool) -> ResourceStatus {
        if self.closed {
            ResourceStatus::Closed
        } else if resources_frozen {
            ResourceStatus::Frozen
        } else if now >= self.expire {
            ResourceStatus::Expired
        } else {
            ResourceStatus::InUse
        }
    }

    fn open(&self) -> Result<(), ResourceError> {
        if self.closed {
            return Err(ResourceError::Closed);
        }
        Ok(())
    }

    fn open_main(&self) -> Result<(), ResourceError> {
        self.open()?;
        match &self.parent {
            Some(parent) => Err(ResourceError::Child(parent.to_string())),
            None => Ok(()),
        }
    }

    /// B1.7.4: automatic renewal on (or its count reset). `period`: the renewal period, by
    /// default the resource's last one; `times` 0 is no limit.
    pub fn auto_renew(&self, period: Option<PeriodType>, times: Option<u8>) -> Result<Resource, ResourceError> {
        self.open_main()?;
        self.auto_renewed(period, times)
    }

    fn auto_renewed(&self, period: Option<PeriodType>, times: Option<u8>) -> Result<Resource, ResourceError> {
        let times = match (self.policy, times) {
            (ExpirePolicy::ToOnDemand, _) => return Err(ResourceError::ToOnDemand),
            (_, Some(t)) => t,
            (ExpirePolicy::AutoRenew { times, .. }, None) => times,
            (ExpirePolicy::Grace, None) => 0,
        };
        let period = period.unwrap_or(match self.policy {
            ExpirePolicy::AutoRenew { period, .. } => period,
            _ => self.period,
        });
        Ok(Resource { policy: ExpirePolicy::AutoRenew { period, times }, ..self.clone() })
    }

    /// B1.7.5: automatic renewal off.
    pub fn cancel_auto_renew(&self) -> Result<Resource, ResourceError> {
        self.open_main()?;
        self.auto_renew_cancelled()
    }

    fn auto_renew_cancelled(&self) -> Result<Resource, ResourceError> {
        match self.policy {
            ExpirePolicy::AutoRenew { .. } => Ok(Resource { policy: ExpirePolicy::Grace, ..self.clone() }),
            _ => Err(ResourceError::NotAutoRenewing),
        }
    }

    /// B1.7.10: change to pay-per-use on expiry, set (`true`) or cancelled.
    pub fn to_on_demand(&self, set: bool) -> Result<Resource, ResourceError> {
        self.open_main()?;
        self.on_demand_set(set)
    }

    fn on_demand_set(&self, set: bool) -> Result<Resource, ResourceError> {
        let policy = match (self.policy, set) {
            (ExpirePolicy::AutoRenew { .. }, true) => return Err(ResourceError::AutoRenewing),
            (_, true) => ExpirePolicy::ToOnDemand,
            (ExpirePolicy::ToOnDemand, false) => ExpirePolicy::Grace,
            (_, false) => return Err(ResourceError::NotToOnDemand),
        };
        Ok(Resource { policy, ..self.clone() })
    }

    /// B1.7.4, B1.7.5, B1.7.10: a main resource's expiry policy changed at `now`.
    pub fn change_policy(&self, change: PolicyChange, now: Timestamp) -> Result<Resource, ResourceError> {
        let changed = match change {
            PolicyChange::AutoRenew { period, times } => self.auto_renew(period, times),
            PolicyChange::CancelAutoRenew => self.cancel_auto_renew(),
            PolicyChange::ToOnDemand(set) => self.to_on_demand(set),
        }?;
        Ok(Resource { updated_at: now, ..changed })
    }

    /// R-ORD-04: a child resource following its main resource's policy `change` at `now` (a
    /// VM's disks follow it): the same change, refused the same way, but on a child.
    pub fn follow_policy(&self, change: PolicyChange, now: Timestamp) -> Result<Resource, ResourceError> {
        self.open()?;
        let changed = match change {
            PolicyChange::AutoRenew { period, times } => self.auto_renewed(period, times),
            PolicyChange::CancelAutoRenew => self.auto_renew_cancelled(),
            PolicyChange::ToOnDemand(set) => self.on_demand_set(set),
        }?;
        Ok(Resource { updated_at: now, ..changed })
    }

    /// The expiry job set the policy at `now` (an automatic renewal used up or refused at
    /// expiry).
    pub fn with_policy(&self, policy: ExpirePolicy, now: Timestamp) -> Resource {
        Resource { policy, updated_at: now, ..self.clone() }
    }

    /// The resource as last looked at `now`: an automatic renewal refused before expiry is
    /// tried again a day later.
    pub fn touched(&self, now: Timestamp) -> Resource {
        Resource { updated_at: now, ..self.clone() }
    }

    /// B1.7.10: at expiry the resource changes to pay-per-use, which ends it as a yearly/monthly
    /// resource (its usage is metered from then on).
    pub fn closed_at(&self, now: Timestamp) -> Resource {
        Resource { closed: true, updated_at: now, ..self.clone() }
    }

    /// B1.7.6: the resource after an unsubscription of `kind` at `now` whose refunds leave it
    /// until `expire` ([`unsubscribe`]): closed when the resource itself is unsubscribed.
    pub fn unsubscribed(&self, kind: Unsubscribe, expire: Timestamp, now: Timestamp) -> Resource {
        Resource { closed: kind == Unsubscribe::ResourceAndRenewals, expire, updated_at: now, ..self.clone() }
    }

    /// B1.7.8: the resource extended by a paid `renewal` at `now`: it takes the renewal's period
    /// type and expires when the renewal ends, unless it already expires later. A closed
    /// resource is not renewed.
    pub fn renew(&self, renewal: &Renewal, now: Timestamp) -> Result<Resource, ResourceError> {
        self.open()?;
        Ok(Resource { period: renewal.period, expire: self.expire.max(renewal.ends), updated_at: now, ..self.clone() })
    }

    /// B1.7.8: a renewal term, from the current expiry (a child renews with its main resource).
    pub fn renewal_term(&self, period: PeriodType, count: i32) -> Result<(Timestamp, Timestamp), ResourceError> {
        self.open()?;
        Ok((self.expire, add_periods(self.expire, period, count)))
    }
}

/// A paid term of a resource: what one purchase or renewal line paid for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    order_id: OrderId,
    starts: Timestamp,
    ends: Timestamp,
    paid: Money,
}

impl Term {
    /// The term `starts`–`ends` that order `order_id` paid `paid` for.
    pub fn new(order_id: OrderId, (starts, ends): (Timestamp, Timestamp), paid: Money) -> Term {
        Term { order_id, starts, ends, paid }
    }

    pub fn order_id(&self) -> &OrderId {
        &self.order_id
    }

    pub fn starts(&self) -> Timestamp {
        self.starts
    }

    pub fn ends(&self) -> Timestamp {
        self.ends
    }

    pub fn paid(&self) -> Money {
        self.paid
    }
}

/// B1.7.6 `unsubscribe_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unsubscribe {
    /// The resource and its renewed periods; the resource closes.
    ResourceAndRenewals,
    /// Only the renewed periods that have not started; the resource stays until its current
    /// term ends.
    RenewalsOnly,
}

/// What an unsubscription gives back from one term: decided by [`unsubscribe`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refund {
    order_id: OrderId,
    refunded: Money,
    consumed: Money,
}

impl Refund {
    /// The order that paid the term.
    pub fn order_id(&self) -> &OrderId {
        &self.order_id
    }

    /// What is refunded (≥ 0).
    pub fn refunded(&self) -> Money {
        self.refunded
    }

    /// The part of the term already used (≥ 0), kept.
    pub fn consumed(&self) -> Money {
        self.consumed
    }
}

/// The refunds of an unsubscription at `now`, and the resource's expiry after it. A term not
/// yet started is refunded whole (R-CPN-10: so would a coupon on it be); the current term is
/// refunded for its unused time, pro rata to the millisecond, the consumed part rounded up to
/// the 8th decimal; ended terms give nothing back. No handling fee is charged.
pub fn unsubscribe(
    terms: &[Term],
    kind: Unsubscribe,
    now: Timestamp,
) -> Result<(Vec<Refund>, Timestamp), ResourceError> {
    let mut refunds = vec![];
    let mut kept_until = None::<Timestamp>;
    for t in terms {
        if t.starts >= now {
            refunds.push(Refund { order_id: t.order_id.clone(), refunded: t.paid, consumed: Money::ZERO });
            continue;
        }
        kept_until = Some(kept_until.map_or(t.ends, |k| k.max(t.ends)));
        if kind == Unsubscribe::ResourceAndRenewals && t.ends > now {
            let (used, total) = (i128::from(now.since(t.starts).0), i128::from(t.ends.since(t.starts).0).max(1));
            let paid = i128::from(t.paid.e8());
            let consumed = (paid * used + total - 1) / total;
            let consumed = Money::from_e8(consumed as i64).unwrap_or(t.paid);
            let refunded = t.paid.checked_sub(consumed).unwrap_or(Money::ZERO);
            refunds.push(Refund { order_id: t.order_id.clone(), refunded, consumed });
        }
    }
    match kind {
        Unsubscribe::RenewalsOnly if refunds.is_empty() => Err(ResourceError::NoRenewal),
        Unsubscribe::RenewalsOnly => Ok((refunds, kept_until.unwrap_or(now))),
        Unsubscribe::ResourceAndRenewals => Ok((refunds, now)),
    }
}

#[cfg(test)]
mod tests;
