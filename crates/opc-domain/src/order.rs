//! Yearly/monthly orders and the resources they provision (B1.6, B1.7; R-ORD-*, R-RCM-09,
//! R-CPN-10).
//!
//! An order places one or more instances (a combined order, R-ORD-01): they are paid or
//! cancelled together (R-ORD-02) and, once paid, each resource is managed on its own. A resource
//! is covered by terms: the lines of the paid purchase and renewal orders that name it. An
//! unsubscription refunds from those terms.

use crate::association::AssociationModel;
use crate::catalog::PeriodType;
use crate::time::days_in_month;
use crate::usage::Cycle;
use crate::{AccountId, Millis, Money, OrderId, PartnerId, ResourceId, Timestamp};

/// B1.6 `status`: the states this system's orders take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderStatus {
    PendingPayment,
    Cancelled,
    Completed,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 3] = [OrderStatus::PendingPayment, OrderStatus::Cancelled, OrderStatus::Completed];

    pub fn code(self) -> i32 {
        match self {
            OrderStatus::Cancelled => 4,
            OrderStatus::Completed => 5,
            OrderStatus::PendingPayment => 6,
        }
    }

    pub fn from_code(code: i64) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|s| i64::from(s.code()) == code)
    }
}

/// B1.6 `order_type`: new purchase, renewal or unsubscription.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderType {
    New,
    Renewal,
    Unsubscription,
}

impl OrderType {
    pub const ALL: [OrderType; 3] = [OrderType::New, OrderType::Renewal, OrderType::Unsubscription];

    pub fn code(self) -> i32 {
        match self {
            OrderType::New => 1,
            OrderType::Renewal => 2,
            OrderType::Unsubscription => 4,
        }
    }

    pub fn from_code(code: i64) -> Option<OrderType> {
        OrderType::ALL.into_iter().find(|s| i64::from(s.code()) == code)
    }
}

/// B1.6 `source_type`: the customer ordered, or its partner on its behalf (R-RCM-14).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderSource {
    Customer,
    Partner,
    /// 8: created by the system (an automatic renewal).
    System,
}

impl OrderSource {
    pub fn code(self) -> i32 {
        match self {
            OrderSource::Customer => 1,
            OrderSource::Partner => 2,
            OrderSource::System => 8,
        }
    }

    pub fn from_code(code: i64) -> Option<OrderSource> {
        match code {
            1 => Some(OrderSource::Customer),
            2 => Some(OrderSource::Partner),
            8 => Some(OrderSource::System),
            _ => None,
        }
    }
}

/// How long an order waits for payment before it can no longer be paid.
pub const PAYMENT_WINDOW: Millis = Millis::days(7);

/// What a line buys or refunds: one resource instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Product {
    pub service_type: String,
    pub resource_type: String,
    pub spec: String,
    pub region: String,
    /// A linear product's size (a volume's GB).
    pub size: Option<i64>,
}

/// One line of an order: one resource. A purchase or renewal line carries its period and the
/// term it pays for (a purchase's term is set when it is paid); an unsubscription line carries
/// a negative amount (the refund) or a positive one (the consumed part), against `base_order`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderLine {
    pub id: String,
    pub resource_id: ResourceId,
    /// R-ORD-04: the resource this one belongs to (a VM's system disk).
    pub parent_resource: Option<ResourceId>,
    pub product: Product,
    pub period: Option<(PeriodType, i32)>,
    pub official: Money,
    /// An unsubscription line: the used part of the refunded term, kept.
    pub consumed: Money,
    pub term: Option<(Timestamp, Timestamp)>,
    pub base_order: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    pub id: OrderId,
    pub customer: AccountId,
    /// The customer's partner and model when the order was placed: only a reseller
    /// customer's spend counts against budgets and the partner's quota.
    pub partner: Option<(PartnerId, AssociationModel)>,
    pub order_type: OrderType,
    pub status: OrderStatus,
    pub source: OrderSource,
    /// Who placed it: the login name of the customer or of the partner's user.
    pub user_name: String,
    pub created_at: Timestamp,
    pub pay_by: Timestamp,
    pub paid_at: Option<Timestamp>,
    pub lines: Vec<OrderLine>,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OrderError {
    #[error("the order is {0}, not pending payment")]
    NotPending(&'static str),
    #[error("the order's payment deadline {0} has passed; place a new order")]
    PaymentExpired(String),
    #[error("the amount overflows")]
    Overflow,
}

impl Order {
    /// The order's list-price total (negative for a refund).
    pub fn official(&self) -> Result<Money, OrderError> {
        self.lines.iter().try_fold(Money::ZERO, |sum, l| sum.checked_add(l.official).map_err(|_| OrderError::Overflow))
    }

    fn status_name(&self) -> &'static str {
        match self.status {
            OrderStatus::PendingPayment => "pending payment",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Completed => "completed",
        }
    }

    fn pending(&self) -> Result<(), OrderError> {
        match self.status {
            OrderStatus::PendingPayment => Ok(()),
            _ => Err(OrderError::NotPending(self.status_name())),
        }
    }

    /// R-ORD-02: pending payment → paid, every instance at once. A purchase's terms start now;
    /// a renewal's were fixed when it was placed.
    pub fn pay(&self, now: Timestamp) -> Result<Order, OrderError> {
        self.pending()?;
        if now > self.pay_by {
            return Err(OrderError::PaymentExpired(self.pay_by.to_rfc3339()));
        }
        let mut paid = self.clone();
        paid.status = OrderStatus::Completed;
        paid.paid_at = Some(now);
        if paid.order_type == OrderType::New {
            for line in &mut paid.lines {
                if let Some((period, count)) = line.period {
                    line.term = Some((now, add_periods(now, period, count)));
                }
            }
        }
        Ok(paid)
    }

    /// R-ORD-02, R-BILL-18: pays the order at `now` (as [`Order::pay`]) and says what the
    /// payment creates: a purchase's resources, in use from now under the grace policy; a
    /// renewal's terms, for the resources they extend ([`Resource::renew`]); and the charge of
    /// its list price, in the billing cycle of `now` (`billing_offset` from UTC), to the
    /// customer and `partner`, its partner and model now.
    pub fn payment(
        &self,
        partner: Option<(PartnerId, AssociationModel)>,
        now: Timestamp,
        billing_offset: Millis,
    ) -> Result<Payment, OrderError> {
        let paid = self.pay(now)?;
        let (mut resources, mut renewals) = (vec![], vec![]);
        for line in &paid.lines {
            let (Some((period, _)), Some((starts, ends))) = (line.period, line.term) else { continue };
            match paid.order_type {
                OrderType::New => resources.push(Resource {
                    id: line.resource_id.clone(),
                    customer: paid.customer.clone(),
                    order_id: paid.id.clone(),
                    parent: line.parent_resource.clone(),
                    product: line.product.clone(),
                    period,
                    closed: false,
                    effective: starts,
                    expire: ends,
                    policy: ExpirePolicy::Grace,
                    updated_at: now,
                    version: 0,
                }),
                OrderType::Renewal => renewals.push(Renewal { resource: line.resource_id.clone(), period, ends }),
                OrderType::Unsubscription => {}
            }
        }
        let charge = paid.charge(partner, now, billing_offset)?;
        Ok(Payment { order: paid, resources, renewals, charge })
    }

    /// R-BILL-18: the order's list price (negative for a refund) as a change of the customer's
    /// spend at `now`, counted in that billing cycle (`billing_offset` from UTC); `partner` is
    /// the customer's partner and model now.
    pub fn charge(
        &self,
        partner: Option<(PartnerId, AssociationModel)>,
        now: Timestamp,
        billing_offset: Millis,
    ) -> Result<Charge, OrderError> {
        Ok(Charge {
            id: self.id.to_string(),
            order_id: self.id.clone(),
            customer: self.customer.clone(),
            partner,
            amount: self.official()?,
            cycle: Cycle::of(now, billing_offset),
            at: now,
        })
    }

    /// R-ORD-02: pending payment → cancelled, every instance at once.
    pub fn cancel(&self) -> Result<Order, OrderError> {
        self.pending()?;
        let mut cancelled = self.clone();
        cancelled.status = OrderStatus::Cancelled;
        Ok(cancelled)
    }
}

/// What paying an order creates: see [`Order::payment`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    /// The order, paid.
    pub order: Order,
    /// A purchase's resources, provisioned.
    pub resources: Vec<Resource>,
    /// A renewal's terms, one per resource it renews.
    pub renewals: Vec<Renewal>,
    pub charge: Charge,
}

/// A paid renewal term of a resource: its period type, and when it ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Renewal {
    pub resource: ResourceId,
    pub period: PeriodType,
    pub ends: Timestamp,
}

/// A change of a customer's list-price spend from an order (R-BILL-18): a payment, or a refund
/// (negative), counted in the billing cycle it happened in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Charge {
    pub id: String,
    pub order_id: OrderId,
    pub customer: AccountId,
    /// The customer's partner and model when charged: a partner's spend counts only its reseller
    /// customers' (R-QUOTA-06).
    pub partner: Option<(PartnerId, AssociationModel)>,
    pub amount: Money,
    pub cycle: Cycle,
    pub at: Timestamp,
}

/// `at` plus `count` months or years, on the same day of the month (the last day when the
/// month is shorter) and the same time of day.
pub fn add_periods(at: Timestamp, period: PeriodType, count: i32) -> Timestamp {
    let months = match period {
        PeriodType::Month => i64::from(count),
        PeriodType::Year => i64::from(count) * 12,
    };
    let (y, mo, d, h, mi, s) = at.to_utc();
    let index = y * 12 + i64::from(mo) - 1 + months;
    let (year, month) = (index.div_euclid(12), (index.rem_euclid(12) + 1) as u32);
    let day = d.min(days_in_month(year, month));
    let ms = at.unix_ms().rem_euclid(1000);
    Timestamp::from_utc(year, month, day, h, mi, s).map(|t| t.plus(Millis(ms))).unwrap_or(at)
}

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

    pub fn code(self) -> i32 {
        match self {
            ResourceStatus::InUse => 2,
            ResourceStatus::Closed => 3,
            ResourceStatus::Frozen => 4,
            ResourceStatus::Expired => 5,
        }
    }

    pub fn from_code(code: i64) -> Option<ResourceStatus> {
        ResourceStatus::ALL.into_iter().find(|s| i64::from(s.code()) == code)
    }
}

/// B1.7.7 `expire_policy`: what happens when the last term ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpirePolicy {
    /// 0: a grace period, then deletion.
    Grace,
    /// 1: the resource becomes pay-per-use (B1.7.10).
    ToOnDemand,
    /// 3: automatic renewal (B1.7.4), `times` more times (0: no limit).
    AutoRenew { period: PeriodType, times: u8 },
}

impl ExpirePolicy {
    pub fn code(self) -> i32 {
        match self {
            ExpirePolicy::Grace => 0,
            ExpirePolicy::ToOnDemand => 1,
            ExpirePolicy::AutoRenew { .. } => 3,
        }
    }
}

/// A yearly/monthly resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    pub id: ResourceId,
    pub customer: AccountId,
    /// The purchase order that provisioned it.
    pub order_id: OrderId,
    pub parent: Option<ResourceId>,
    pub product: Product,
    /// The period type of the last order that covered it.
    pub period: PeriodType,
    /// In use, or closed by an unsubscription; `status_at` derives frozen and expired.
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

    fn open_main(&self) -> Result<(), ResourceError> {
        if self.closed {
            return Err(ResourceError::Closed);
        }
        match &self.parent {
            Some(parent) => Err(ResourceError::Child(parent.to_string())),
            None => Ok(()),
        }
    }

    /// B1.7.4: automatic renewal on (or its count reset). `period`: the renewal period, by
    /// default the resource's last one; `times` 0 is no limit.
    pub fn auto_renew(&self, period: Option<PeriodType>, times: Option<u8>) -> Result<Resource, ResourceError> {
        self.open_main()?;
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
        match self.policy {
            ExpirePolicy::AutoRenew { .. } => Ok(Resource { policy: ExpirePolicy::Grace, ..self.clone() }),
            _ => Err(ResourceError::NotAutoRenewing),
        }
    }

    /// B1.7.10: change to pay-per-use on expiry, set (`true`) or cancelled.
    pub fn to_on_demand(&self, set: bool) -> Result<Resource, ResourceError> {
        self.open_main()?;
        let policy = match (self.policy, set) {
            (ExpirePolicy::AutoRenew { .. }, true) => return Err(ResourceError::AutoRenewing),
            (_, true) => ExpirePolicy::ToOnDemand,
            (ExpirePolicy::ToOnDemand, false) => ExpirePolicy::Grace,
            (_, false) => return Err(ResourceError::NotToOnDemand),
        };
        Ok(Resource { policy, ..self.clone() })
    }

    /// B1.7.8: the resource extended by a paid `renewal` at `now`: it takes the renewal's period
    /// type and expires when the renewal ends, unless it already expires later. A closed
    /// resource is not renewed.
    pub fn renew(&self, renewal: &Renewal, now: Timestamp) -> Result<Resource, ResourceError> {
        if self.closed {
            return Err(ResourceError::Closed);
        }
        Ok(Resource { period: renewal.period, expire: self.expire.max(renewal.ends), updated_at: now, ..self.clone() })
    }

    /// B1.7.8: a renewal term, from the current expiry (a child renews with its main resource).
    pub fn renewal_term(&self, period: PeriodType, count: i32) -> Result<(Timestamp, Timestamp), ResourceError> {
        if self.closed {
            return Err(ResourceError::Closed);
        }
        Ok((self.expire, add_periods(self.expire, period, count)))
    }
}

/// A paid term of a resource: what one purchase or renewal line paid for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub order_id: String,
    pub starts: Timestamp,
    pub ends: Timestamp,
    pub paid: Money,
}

/// B1.7.6 `unsubscribe_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unsubscribe {
    /// 1: the resource and its renewed periods; the resource closes.
    ResourceAndRenewals,
    /// 2: only the renewed periods that have not started; the resource stays until its
    /// current term ends.
    RenewalsOnly,
}

/// What an unsubscription gives back from one term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refund {
    pub order_id: String,
    /// What is refunded (≥ 0).
    pub refunded: Money,
    /// The part of the term already used (≥ 0), kept.
    pub consumed: Money,
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

/// B1.7.9 `set_resources_renew_config`: the customer's renewal settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenewConfig {
    /// DEDUCTION_DATE: automatic renewal is charged this many days (2–7) before expiry.
    DeductionDays(u8),
    /// EXPIRE_DATE: renewed resources expire on this day of the month (1–28, or −1 for the
    /// last day).
    ExpireDay(i8),
}

impl RenewConfig {
    pub fn parse(name: &str, value: &str) -> Result<RenewConfig, String> {
        let n: i64 = value.trim().parse().map_err(|_| format!("config_value {value:?} is not a number"))?;
        match name {
            "DEDUCTION_DATE" if (2..=7).contains(&n) => Ok(RenewConfig::DeductionDays(n as u8)),
            "DEDUCTION_DATE" => Err("config_value must be 2 to 7 (days before expiry) for DEDUCTION_DATE".into()),
            "EXPIRE_DATE" if (1..=28).contains(&n) || n == -1 => Ok(RenewConfig::ExpireDay(n as i8)),
            "EXPIRE_DATE" => Err("config_value must be 1 to 28, or -1 (the last day), for EXPIRE_DATE".into()),
            _ => Err("config_name must be DEDUCTION_DATE or EXPIRE_DATE".into()),
        }
    }
}

impl RenewConfig {
    /// B1.7.9 EXPIRE_DATE: a renewal's `term` ends on the customer's unified expiry `day` (1–28,
    /// or −1 for a month's last day) in the billing time zone (`offset` from UTC): its end moves
    /// forward to the next such day, at the same time of day, and the extension costs the
    /// term's `amount` pro rata to the millisecond, truncated (the renewal's own price per unit
    /// of time). A term already ending on that day is unchanged.
    pub fn unified_expiry(
        day: i8,
        term: (Timestamp, Timestamp),
        amount: Money,
        offset: Millis,
    ) -> Result<((Timestamp, Timestamp), Money), OrderError> {
        let (starts, ends) = term;
        let local = ends.plus(offset);
        let (y, m, d, h, mi, sec) = local.to_utc();
        let day_of = |y: i64, m: u32| if day < 0 { days_in_month(y, m) } else { day as u32 };
        let (y, m) = if d <= day_of(y, m) {
            (y, m)
        } else if m == 12 {
            (y + 1, 1)
        } else {
            (y, m + 1)
        };
        let ms = local.unix_ms().rem_euclid(1000);
        let aligned = Timestamp::from_utc(y, m, day_of(y, m), h, mi, sec)
            .map_err(|_| OrderError::Overflow)?
            .plus(Millis(ms - offset.0));
        let (whole, extra) = (i128::from(ends.since(starts).0), i128::from(aligned.since(ends).0));
        if whole <= 0 || extra == 0 {
            return Ok(((starts, ends), amount));
        }
        let extension = i64::try_from(i128::from(amount.e8()) * extra / whole).map_err(|_| OrderError::Overflow)?;
        let total = Money::from_e8(extension).and_then(|e| amount.checked_add(e)).map_err(|_| OrderError::Overflow)?;
        Ok(((starts, aligned), total))
    }
}

/// B1.7.8, B1.9.5: a renewal buys 1–11 months or 1–3 years.
pub fn renewal_period(period_type: i64, count: i64) -> Result<(PeriodType, i32), String> {
    match (PeriodType::parse(period_type), count) {
        (Some(PeriodType::Month), 1..=11) => Ok((PeriodType::Month, count as i32)),
        (Some(PeriodType::Year), 1..=3) => Ok((PeriodType::Year, count as i32)),
        (Some(PeriodType::Month), _) => Err("period_num must be 1 to 11 for months".into()),
        (Some(PeriodType::Year), _) => Err("period_num must be 1 to 3 for years".into()),
        (None, _) => Err("period_type must be 2 (month) or 3 (year)".into()),
    }
}

/// Why a purchase, renewal or change is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PurchaseBlock {
    #[error("the customer's account is frozen ({0}): it cannot purchase, renew or change resources until its partner unfreezes it (R-RCM-02, R-RCM-09)")]
    CustomerFrozen(String),
    #[error("the customer's partner is restricted because its consumption quota is used up: its customers cannot purchase until it repays (R-QUOTA-06, R-QUOTA-09)")]
    PartnerRestricted,
    #[error("the customer's partner is frozen: its customers' accounts are frozen (R-QUOTA-10)")]
    PartnerFrozen,
    #[error("the account has a pending or approved {0} application and cannot purchase cloud resources (R-PROG-21, R-PROG-40)")]
    ProgramApplication(String),
    #[error("USD {amount} is more than is left of the {limit} (USD {left} of USD {total}); {advice}")]
    Limit { limit: &'static str, amount: String, left: String, total: String, advice: &'static str },
}

/// A limit a purchase must fit in: what it is, its total and what is already spent.
pub struct SpendLimit {
    pub name: &'static str,
    pub total: Money,
    pub spent: Money,
    pub advice: &'static str,
}

impl SpendLimit {
    /// The partner's consumption quota: the most it may owe (R-QUOTA-01). A quota of 0 is one
    /// not set yet and limits nothing (R-QUOTA-02).
    pub fn quota(total: Money, spent: Money) -> Option<SpendLimit> {
        (total > Money::ZERO).then_some(SpendLimit {
            name: "partner's consumption quota",
            total,
            spent,
            advice: "the partner raises it with its ecosystem manager or repays (R-QUOTA-07)",
        })
    }

    /// A budget the partner asked to freeze the customer at (`frozen_operate_type` 1): a
    /// purchase that would overspend it is refused rather than made and frozen after
    /// (R-RCM-04, A-06). Otherwise the budget only drives notices.
    pub fn budget(total: Money, spent: Money, auto_freeze: bool) -> Option<SpendLimit> {
        auto_freeze.then_some(SpendLimit {
            name: "customer's budget",
            total,
            spent,
            advice: "the partner can raise the budget (R-RCM-05)",
        })
    }

    /// Whether `amount` more fits.
    pub fn admit(&self, amount: Money) -> Result<(), PurchaseBlock> {
        let after = i128::from(self.spent.e8()) + i128::from(amount.e8());
        if after <= i128::from(self.total.e8()) {
            return Ok(());
        }
        let left = Money::from_e8((self.total.e8() - self.spent.e8()).max(0)).unwrap_or(Money::ZERO);
        Err(PurchaseBlock::Limit {
            limit: self.name,
            amount: amount.to_plain_string(),
            left: left.to_plain_string(),
            total: self.total.to_plain_string(),
            advice: self.advice,
        })
    }
}

#[cfg(test)]
mod tests;
