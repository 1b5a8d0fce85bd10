//! Yearly/monthly orders and the resources they provision (B1.6, B1.7; R-ORD-*, R-RCM-09,
//! R-CPN-10).
//!
//! An order places one or more instances (a combined order, R-ORD-01): they are paid or
//! cancelled together (R-ORD-02) and, once paid, each resource is managed on its own. A resource
//! is covered by terms: the lines of the paid purchase and renewal orders that name it. An
//! unsubscription refunds from those terms (`resource`).

use crate::association::AssociationModel;
use crate::catalog::PeriodType;
use crate::partner::PartnerState;
use crate::time::days_in_month;
use crate::usage::Cycle;
use crate::{AccountId, Millis, Money, OrderId, PartnerId, ResourceId, Timestamp};

mod resource;

pub use resource::{
    unsubscribe, ExpirePolicy, PolicyChange, Refund, Resource, ResourceError, ResourceStatus, StoredResource, Term,
    Unsubscribe,
};

/// B1.6 `status`: the states this system's orders take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderStatus {
    PendingPayment,
    Cancelled,
    Completed,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 3] = [OrderStatus::PendingPayment, OrderStatus::Cancelled, OrderStatus::Completed];
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
}

/// B1.6 `source_type`: the customer ordered, or its partner on its behalf (R-RCM-14).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderSource {
    Customer,
    Partner,
    /// Created by the system (an automatic renewal).
    System,
}

impl OrderSource {
    pub const ALL: [OrderSource; 3] = [OrderSource::Customer, OrderSource::Partner, OrderSource::System];
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
/// Fields are private: a line is made by [`OrderLine::purchase`], [`OrderLine::renewal`] or
/// [`OrderLine::refund`], or rebuilt by the store ([`OrderLine::from_stored`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderLine {
    id: String,
    resource_id: ResourceId,
    parent_resource: Option<ResourceId>,
    product: Product,
    period: Option<(PeriodType, i32)>,
    official: Money,
    consumed: Money,
    term: Option<(Timestamp, Timestamp)>,
    base_order: Option<OrderId>,
}

/// A stored order line's fields, for [`OrderLine::from_stored`].
pub struct StoredOrderLine {
    pub id: String,
    pub resource_id: ResourceId,
    pub parent_resource: Option<ResourceId>,
    pub product: Product,
    pub period: Option<(PeriodType, i32)>,
    pub official: Money,
    pub consumed: Money,
    pub term: Option<(Timestamp, Timestamp)>,
    pub base_order: Option<OrderId>,
}

impl OrderLine {
    /// The id of the `number`th line (from 1) of order `order`.
    fn line_id(order: &OrderId, number: usize) -> String {
        format!("{order}-{number}")
    }

    /// The `number`th line (from 1) of purchase `order`: `resource` (a child of `parent`, R-ORD-04)
    /// for `period` at list price `official`; its term is set when the order is paid.
    pub fn purchase(
        order: &OrderId,
        number: usize,
        (resource, parent): (ResourceId, Option<ResourceId>),
        product: &Product,
        period: (PeriodType, i32),
        official: Money,
    ) -> OrderLine {
        OrderLine {
            id: Self::line_id(order, number),
            resource_id: resource,
            parent_resource: parent,
            product: product.clone(),
            period: Some(period),
            official,
            consumed: Money::ZERO,
            term: None,
            base_order: None,
        }
    }

    /// The `number`th line (from 1) of renewal `order`: `resource` renewed for `period` over
    /// `term` ([`Resource::renewal_term`]) at list price `official`.
    pub fn renewal(
        order: &OrderId,
        number: usize,
        resource: &Resource,
        period: (PeriodType, i32),
        term: (Timestamp, Timestamp),
        official: Money,
    ) -> OrderLine {
        OrderLine {
            id: Self::line_id(order, number),
            resource_id: resource.id().clone(),
            parent_resource: resource.parent().cloned(),
            product: resource.product().clone(),
            period: Some(period),
            official,
            consumed: Money::ZERO,
            term: Some(term),
            base_order: None,
        }
    }

    /// The `number`th line (from 1) of unsubscription `order`: `refund` of one of `resource`'s
    /// terms, as a negative amount, with the consumed part kept, against the term's order.
    pub fn refund(order: &OrderId, number: usize, resource: &Resource, refund: &Refund) -> OrderLine {
        OrderLine {
            id: Self::line_id(order, number),
            resource_id: resource.id().clone(),
            parent_resource: resource.parent().cloned(),
            product: resource.product().clone(),
            period: None,
            official: Money::from_e8(-refund.refunded().e8()).unwrap_or(Money::ZERO),
            consumed: refund.consumed(),
            term: None,
            base_order: Some(refund.order_id().clone()),
        }
    }

    /// Rebuilds a stored line. For the store only: it performs no check.
    pub fn from_stored(s: StoredOrderLine) -> OrderLine {
        OrderLine {
            id: s.id,
            resource_id: s.resource_id,
            parent_resource: s.parent_resource,
            product: s.product,
            period: s.period,
            official: s.official,
            consumed: s.consumed,
            term: s.term,
            base_order: s.base_order,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn resource_id(&self) -> &ResourceId {
        &self.resource_id
    }

    /// R-ORD-04: the resource this one belongs to (a VM's system disk).
    pub fn parent_resource(&self) -> Option<&ResourceId> {
        self.parent_resource.as_ref()
    }

    pub fn product(&self) -> &Product {
        &self.product
    }

    pub fn period(&self) -> Option<(PeriodType, i32)> {
        self.period
    }

    /// The list price (negative for a refund).
    pub fn official(&self) -> Money {
        self.official
    }

    /// An unsubscription line: the used part of the refunded term, kept.
    pub fn consumed(&self) -> Money {
        self.consumed
    }

    pub fn term(&self) -> Option<(Timestamp, Timestamp)> {
        self.term
    }

    /// An unsubscription line: the order that paid the refunded term.
    pub fn base_order(&self) -> Option<&OrderId> {
        self.base_order.as_ref()
    }
}

/// Who places an order: the customer, its partner and model when the order is placed (only a
/// reseller customer's spend counts against budgets and the partner's quota), who acted
/// (R-RCM-14) and under which login name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Orderer {
    pub customer: AccountId,
    pub partner: Option<(PartnerId, AssociationModel)>,
    pub source: OrderSource,
    /// The login name of the customer or of the partner's user.
    pub user_name: String,
}

/// An order. Fields are private: an order is placed by [`Order::pending`] or
/// [`Order::unsubscription`], or rebuilt by the store ([`Order::from_stored`]), and changes
/// only by [`Order::pay`] and [`Order::cancel`], which return it with the same `version` (the
/// store bumps it on a version-checked write).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    id: OrderId,
    customer: AccountId,
    partner: Option<(PartnerId, AssociationModel)>,
    order_type: OrderType,
    status: OrderStatus,
    source: OrderSource,
    user_name: String,
    created_at: Timestamp,
    pay_by: Timestamp,
    paid_at: Option<Timestamp>,
    lines: Vec<OrderLine>,
    version: i64,
}

/// A stored order's fields, for [`Order::from_stored`].
pub struct StoredOrder {
    pub id: OrderId,
    pub customer: AccountId,
    pub partner: Option<(PartnerId, AssociationModel)>,
    pub order_type: OrderType,
    pub status: OrderStatus,
    pub source: OrderSource,
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
    /// A purchase or renewal placed by `by` at `now`, pending payment for [`PAYMENT_WINDOW`].
    pub fn pending(id: OrderId, by: Orderer, order_type: OrderType, lines: Vec<OrderLine>, now: Timestamp) -> Order {
        Order {
            id,
            customer: by.customer,
            partner: by.partner,
            order_type,
            status: OrderStatus::PendingPayment,
            source: by.source,
            user_name: by.user_name,
            created_at: now,
            pay_by: now.plus(PAYMENT_WINDOW),
            paid_at: None,
            lines,
            version: 0,
        }
    }

    /// B1.7.6: an unsubscription by `by` at `now`, completed as it is placed: its lines are
    /// the refunds ([`OrderLine::refund`]).
    pub fn unsubscription(id: OrderId, by: Orderer, lines: Vec<OrderLine>, now: Timestamp) -> Order {
        Order {
            id,
            customer: by.customer,
            partner: by.partner,
            order_type: OrderType::Unsubscription,
            status: OrderStatus::Completed,
            source: by.source,
            user_name: by.user_name,
            created_at: now,
            pay_by: now,
            paid_at: Some(now),
            lines,
            version: 0,
        }
    }

    /// Rebuilds a stored order. For the store only: it performs no check, because the values
    /// were decided by the constructors and the transitions.
    pub fn from_stored(s: StoredOrder) -> Order {
        Order {
            id: s.id,
            customer: s.customer,
            partner: s.partner,
            order_type: s.order_type,
            status: s.status,
            source: s.source,
            user_name: s.user_name,
            created_at: s.created_at,
            pay_by: s.pay_by,
            paid_at: s.paid_at,
            lines: s.lines,
            version: s.version,
        }
    }

    pub fn id(&self) -> &OrderId {
        &self.id
    }

    pub fn customer(&self) -> &AccountId {
        &self.customer
    }

    /// The customer's partner and model when the order was placed: only a reseller customer's
    /// spend counts against budgets and the partner's quota.
    pub fn partner(&self) -> Option<&(PartnerId, AssociationModel)> {
        self.partner.as_ref()
    }

    pub fn order_type(&self) -> OrderType {
        self.order_type
    }

    pub fn status(&self) -> OrderStatus {
        self.status
    }

    pub fn source(&self) -> OrderSource {
        self.source
    }

    /// Who placed it: the login name of the customer or of the partner's user.
    pub fn user_name(&self) -> &str {
        &self.user_name
    }

    pub fn created_at(&self) -> Timestamp {
        self.created_at
    }

    /// The payment deadline.
    pub fn pay_by(&self) -> Timestamp {
        self.pay_by
    }

    pub fn paid_at(&self) -> Option<Timestamp> {
        self.paid_at
    }

    /// The lines, in their order.
    pub fn lines(&self) -> &[OrderLine] {
        &self.lines
    }

    /// The cloud service type the order is listed and billed under: its main product's (the
    /// first line's); empty for an order without lines.
    pub fn service_type(&self) -> &str {
        self.lines.first().map_or("", |l| l.product().service_type.as_str())
    }

    /// The stored version it was read at.
    pub fn version(&self) -> i64 {
        self.version
    }

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

    fn require_pending(&self) -> Result<(), OrderError> {
        match self.status {
            OrderStatus::PendingPayment => Ok(()),
            _ => Err(OrderError::NotPending(self.status_name())),
        }
    }

    /// R-ORD-02: pending payment → paid, every instance at once. A purchase's terms start now;
    /// a renewal's were fixed when it was placed.
    pub fn pay(&self, now: Timestamp) -> Result<Order, OrderError> {
        self.require_pending()?;
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
            let (Some((period, _)), Some((_, ends))) = (line.period, line.term) else { continue };
            match paid.order_type {
                OrderType::New => resources.extend(Resource::provisioned(&paid, line, now)),
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
        self.require_pending()?;
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

/// B1.7.9 `set_resources_renew_config`: the customer's renewal settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenewConfig {
    /// DEDUCTION_DATE: automatic renewal is charged this many days (2–7) before expiry.
    DeductionDays(u8),
    /// EXPIRE_DATE: renewed resources expire on this day of the month (1–28, or −1 for the
    /// last day).
    ExpireDay(i8),
}

/// B1.7.9: which renewal setting a [`RenewConfig`] sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenewSetting {
    DeductionDays,
    ExpireDay,
}

impl RenewSetting {
    pub const ALL: [RenewSetting; 2] = [RenewSetting::DeductionDays, RenewSetting::ExpireDay];
}

/// A renewal setting's value outside its documented range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is outside its range")]
pub struct RenewRangeError(pub RenewSetting);

impl RenewConfig {
    /// B1.7.9: `setting` at `value`, which must be in its range: 2–7 days before expiry, or a
    /// day of the month 1–28 (−1 for the last day).
    pub fn new(setting: RenewSetting, value: i64) -> Result<RenewConfig, RenewRangeError> {
        match setting {
            RenewSetting::DeductionDays if (2..=7).contains(&value) => Ok(RenewConfig::DeductionDays(value as u8)),
            RenewSetting::ExpireDay if (1..=28).contains(&value) || value == -1 => {
                Ok(RenewConfig::ExpireDay(value as i8))
            }
            RenewSetting::DeductionDays | RenewSetting::ExpireDay => Err(RenewRangeError(setting)),
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

/// B1.7.8, B1.9.5: a renewal buys 1–11 months or 1–3 years. `period` is `None` for a period
/// type that is not sold (the wire's day or hour, or an unknown one).
pub fn renewal_period(period: Option<PeriodType>, count: i64) -> Result<(PeriodType, i32), String> {
    match (period, count) {
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
    #[error("the distributor of the customer's partner is restricted: its resellers and their customers cannot purchase until it repays (R-DIST-03)")]
    DistributorRestricted,
    #[error("the account has a pending or approved {0} application and cannot purchase cloud resources (R-PROG-21, R-PROG-40)")]
    ProgramApplication(String),
    #[error("{amount} is more than is left of the {limit} ({left} of {total}); {advice}")]
    Limit { limit: &'static str, amount: String, left: String, total: String, advice: &'static str },
    /// The partner's consumption quota refusing its customer's own purchase: the customer is not
    /// shown its partner's figures (issue 17).
    #[error("the purchase is more than your partner's consumption quota allows now; your partner raises it with its ecosystem manager or repays (R-QUOTA-07)")]
    PartnerQuota,
}

impl PurchaseBlock {
    /// What the state of the customer's partner and, for a reseller under a distributor, of
    /// that distributor forbid: a restricted or frozen partner (R-QUOTA-06, R-QUOTA-10), a
    /// restricted distributor (R-DIST-03; a frozen one freezes its resellers, R-DIST-05).
    pub fn of_partners(partner: Option<PartnerState>, distributor: Option<PartnerState>) -> Option<PurchaseBlock> {
        match (partner, distributor) {
            (Some(PartnerState::Restricted), _) => Some(PurchaseBlock::PartnerRestricted),
            (Some(PartnerState::Frozen), _) => Some(PurchaseBlock::PartnerFrozen),
            (_, Some(PartnerState::Restricted)) => Some(PurchaseBlock::DistributorRestricted),
            _ => None,
        }
    }
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
            amount: amount.to_display_string(),
            left: left.to_display_string(),
            total: self.total.to_display_string(),
            advice: self.advice,
        })
    }
}

#[cfg(test)]
mod tests;
