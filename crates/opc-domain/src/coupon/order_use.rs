//! A cash coupon named when an order is paid (R-CPN-02, R-CPN-04, R-CPN-06, R-CPN-08, R-CPN-10,
//! A-07; BSS B1.6.4, B2.6.1).
//!
//! Under A-08 a coupon is the partner's money for its reseller customers' spend, deducted when
//! the partner's bill is generated (R-CPN-04). So paying an order with a coupon does not move
//! money at once: the coupon is **held** for the order ([`hold_for_order`]; B2.6.1's
//! `used_by_order_id`). The order's charge stays whole, because the customer's budget weighs
//! spend at list price (R-RCM-04). When the partner's bill of the order's month is generated,
//! a held coupon pays what the partner owes for that order (its settlement price, R-BILL-01)
//! before any other coupon is deducted ([`super::deduct`]), and the hold ends. Unsubscribing
//! the order's term before it took effect, or a renewal period before it began, takes that part
//! off the hold before the bill, and a hold with nothing left ends unused (R-CPN-10:
//! [`refund_on_hold`]). Unsubscribing such a part after the bill gives the coupon back its share
//! of what it paid ([`refund_after_bill`]); the partner's bill of the unsubscription's month
//! then keeps that share from the partner's refund, as a negative use of the coupon.

use super::{
    coupon_entry, negate, quota_entry, Act, Closure, Coupon, CouponEntry, CouponEntryKind, CouponError, CouponKind,
    CouponQuota, CouponStatus, Ids, QuotaEntry, QuotaEntryKind,
};
use crate::catalog::ChargingMode;
use crate::ids::{AccountId, PartnerId};
use crate::money::Money;
use crate::time::Timestamp;
use crate::usage::Cycle;

/// A pending order as a coupon sees it.
#[derive(Clone, Copy, Debug)]
pub struct OrderToPay<'a> {
    pub id: &'a str,
    /// The partner whose reseller customer the order is for (`None`: a referral or direct
    /// customer's order, which no partner coupon pays: R-CPN-06).
    pub partner: Option<&'a PartnerId>,
    pub customer: &'a AccountId,
    /// The cloud service type the order's charge is billed under: its main product's (the
    /// first line's), as the partner's bill lines sum orders.
    pub billed_under: &'a str,
    pub lines: &'a [OrderLineToPay<'a>],
}

/// One line of [`OrderToPay`]: what it is and its charge at list price.
#[derive(Clone, Copy, Debug)]
pub struct OrderLineToPay<'a> {
    pub service_type: &'a str,
    pub product: &'a str,
    pub official: Money,
}

/// Why a coupon cannot pay an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotForOrder {
    /// Not one of the order's partner's coupons for this customer (R-CPN-06).
    NotTheirs,
    /// A test coupon: it pays bills of tested resources, not orders (R-CPN-15).
    TestCoupon,
    /// Not available now (not yet valid, used up, expired or reclaimed).
    Status(CouponStatus),
    /// Its limits leave out one of the order's lines (R-CPN-02: it must apply to the product).
    Limits,
    /// Another order's payment holds it (B2.6.1 `used_by_order_id`).
    HeldBy(String),
    /// The order has nothing to pay.
    NothingDue,
}

/// R-CPN-02, R-CPN-06: whether `coupon` may pay `order` at `now`.
pub fn usable_for_order(coupon: &Coupon, order: &OrderToPay<'_>, now: Timestamp) -> Result<(), NotForOrder> {
    if order.partner != Some(&coupon.partner) || coupon.customer.as_ref().is_some_and(|c| c != order.customer) {
        return Err(NotForOrder::NotTheirs);
    }
    if coupon.kind == CouponKind::Test {
        return Err(NotForOrder::TestCoupon);
    }
    match coupon.status(now) {
        CouponStatus::Available => {}
        other => return Err(NotForOrder::Status(other)),
    }
    if let Some(other) = coupon.held_by.as_deref().filter(|o| *o != order.id) {
        return Err(NotForOrder::HeldBy(other.to_owned()));
    }
    if !coupon.limits.allows_mode(ChargingMode::Period)
        || !order.lines.iter().all(|l| coupon.limits.allows(l.service_type, Some(l.product)))
    {
        return Err(NotForOrder::Limits);
    }
    if !order.lines.iter().any(|l| l.official > Money::ZERO) {
        return Err(NotForOrder::NothingDue);
    }
    Ok(())
}

/// A coupon held for an order: what the bill of `cycle` deducts it against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderHold {
    pub order: String,
    pub coupon: String,
    pub partner: PartnerId,
    pub customer: AccountId,
    /// The month of the order's charge, whose partner bill pays it.
    pub cycle: Cycle,
    /// The order's charge at list price still to pay, per cloud service type it is billed
    /// under (one: the order's main product's).
    pub parts: Vec<(String, Money)>,
    pub at: Timestamp,
    pub state: HoldState,
    /// Of what the coupon paid, what unsubscriptions after the bill gave back to it
    /// ([`refund_after_bill`]): never more than it paid.
    pub refunded: Money,
}

/// Where a hold stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HoldState {
    /// Waiting for the bill of its cycle.
    Held,
    /// The bill was generated: the coupon paid `paid` for the order (R-BILL-07: 8 decimals),
    /// which may be less than owed when its balance ran short, or 0.
    Paid { paid: Money, at: Timestamp },
    /// The order's term was unsubscribed before it took effect (R-CPN-10): nothing was used.
    Released { at: Timestamp },
}

/// R-CPN-02, A-07: the one coupon a payment names is held for `order`, whose charge falls in
/// `cycle`. Refused whole when the coupon may not pay the order ([`usable_for_order`]).
pub fn hold_for_order(
    coupon: &mut Coupon,
    order: &OrderToPay<'_>,
    cycle: Cycle,
    now: Timestamp,
) -> Result<OrderHold, CouponError> {
    usable_for_order(coupon, order, now).map_err(|why| CouponError::NotForOrder(why.reason()))?;
    let total = order.lines.iter().try_fold(Money::ZERO, |sum, l| sum.checked_add(l.official))?;
    let parts = vec![(order.billed_under.to_owned(), total)];
    coupon.held_by = Some(order.id.to_owned());
    Ok(OrderHold {
        order: order.id.to_owned(),
        coupon: coupon.id.clone(),
        partner: coupon.partner.clone(),
        customer: order.customer.clone(),
        cycle,
        parts,
        at: now,
        state: HoldState::Held,
        refunded: Money::ZERO,
    })
}

/// R-CPN-10: part of the order was unsubscribed before it took effect (a term not yet begun:
/// a purchase not yet in effect, a renewal period) while the coupon was still held, so the
/// coupon will not pay for that part: `refunded`, at list price, comes off the hold. Once
/// nothing of the order is left to pay, the hold ends unused and the coupon is free again.
/// Whether the hold changed (not once it has ended).
pub fn refund_on_hold(
    coupon: &mut Coupon,
    hold: &mut OrderHold,
    refunded: Money,
    now: Timestamp,
) -> Result<bool, CouponError> {
    if hold.state != HoldState::Held || coupon.id != hold.coupon {
        return Ok(false);
    }
    let mut changed = false;
    let mut left_to_take = refunded.max(Money::ZERO);
    for (_, part) in &mut hold.parts {
        let take = left_to_take.min(*part).max(Money::ZERO);
        *part = part.checked_sub(take)?;
        left_to_take = left_to_take.checked_sub(take)?;
        changed |= take > Money::ZERO;
    }
    if hold.parts.iter().all(|(_, m)| *m <= Money::ZERO) {
        if coupon.held_by.as_deref() == Some(hold.order.as_str()) {
            coupon.held_by = None;
        }
        hold.state = HoldState::Released { at: now };
        changed = true;
    }
    Ok(changed)
}

/// Where a coupon's refund lands: the unsubscription that refunded part of the order, and the
/// partner bill line that carries it (the unsubscription's cloud service type and month).
#[derive(Clone, Copy, Debug)]
pub struct RefundedTo<'a> {
    pub unsubscription: &'a str,
    pub service_type: &'a str,
    pub cycle: Cycle,
}

/// What a coupon gave back for an order it paid (R-CPN-10), kept for the partner's bill of the
/// unsubscription's month: that bill takes `amount` off the partner's refund on the customer's
/// yearly/monthly refund line of `service_type`, so the partner is not paid back what the coupon
/// paid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CouponRefund {
    /// The coupon entry that gave it back.
    pub entry: String,
    pub coupon: String,
    pub partner: PartnerId,
    pub customer: AccountId,
    /// The order the coupon paid, and the unsubscription that refunded part of it.
    pub order: String,
    pub unsubscription: String,
    pub service_type: String,
    pub cycle: Cycle,
    /// More than 0 (8 decimals, R-BILL-07).
    pub amount: Money,
    pub at: Timestamp,
}

/// What refunds after bills decided: coupons' entries, the entries of the quotas that took back
/// a closed coupon's refund, and the refunds for the bills. `quotas` are those quotas as left;
/// [`refund_after_bill`] leaves it to its caller, as several coupons may return to one quota.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GivenBack {
    pub entries: Vec<CouponEntry>,
    pub quota_entries: Vec<QuotaEntry>,
    pub refunds: Vec<CouponRefund>,
    pub quotas: Vec<CouponQuota>,
}

impl GivenBack {
    pub fn absorb(&mut self, other: GivenBack) {
        self.entries.extend(other.entries);
        self.quota_entries.extend(other.quota_entries);
        self.refunds.extend(other.refunds);
        self.quotas.extend(other.quotas);
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// R-CPN-10 after the bill: `refunded` (at list price) of `hold`'s order was unsubscribed before
/// it took effect (a renewal period not begun, a purchase not in effect) after the partner's bill
/// of the order's month had paid the order with `coupon`. The coupon gets back its share of what
/// it paid, `paid × refunded / charge` (the charge at list price it paid for, truncated to
/// 10⁻⁸), never more in all than it paid. A coupon closed since (expired, reclaimed) passes the
/// share on the way it closed: back to the quota it came from, if any (a coupon given by the
/// operator without a quota just ends with it). Nothing when the hold was not paid or the share
/// is 0.
pub fn refund_after_bill(
    ids: &mut impl Ids,
    coupon: &mut Coupon,
    hold: &mut OrderHold,
    refunded: Money,
    to: RefundedTo<'_>,
    quota: Option<&mut CouponQuota>,
    act: &Act,
) -> Result<Option<GivenBack>, CouponError> {
    let HoldState::Paid { paid, .. } = hold.state else { return Ok(None) };
    if coupon.id != hold.coupon {
        return Ok(None);
    }
    let charge = hold.parts.iter().try_fold(Money::ZERO, |sum, (_, m)| sum.checked_add(*m))?;
    if charge <= Money::ZERO || refunded <= Money::ZERO {
        return Ok(None);
    }
    let part = refunded.min(charge);
    let e8 = i128::from(paid.e8()) * i128::from(part.e8()) / i128::from(charge.e8());
    let share = Money::from_e8(i64::try_from(e8).map_err(|_| CouponError::OutOfRange)?)?;
    let share = share.min(paid.checked_sub(hold.refunded)?);
    if share <= Money::ZERO {
        return Ok(None);
    }
    hold.refunded = hold.refunded.checked_add(share)?;
    coupon.balance = coupon.balance.checked_add(share)?;
    let mut out = GivenBack::default();
    out.entries.push(coupon_entry(ids, coupon, CouponEntryKind::Refund, share, to.unsubscription, act.at));
    if let Some(closure) = coupon.closure {
        coupon.balance = coupon.balance.checked_sub(share)?;
        let (kind, quota_kind) = match closure {
            Closure::Expired => (CouponEntryKind::Expire, QuotaEntryKind::CouponExpiry),
            Closure::Reclaimed => (CouponEntryKind::Reclaim, QuotaEntryKind::CouponReclaim),
        };
        let trade = coupon.quota.clone().unwrap_or_default();
        out.entries.push(coupon_entry(ids, coupon, kind, negate(share)?, &trade, act.at));
        if let Some(quota) = quota.filter(|q| coupon.quota.as_deref() == Some(q.id.as_str())) {
            quota.give(share, act.at)?;
            let e = quota_entry(ids, quota, quota_kind, share, Some(&coupon.id), "", act);
            out.quota_entries.push(QuotaEntry { transfer: e.id.clone(), ..e });
        }
    }
    out.refunds.push(CouponRefund {
        entry: out.entries[0].id.clone(),
        coupon: coupon.id.clone(),
        partner: coupon.partner.clone(),
        customer: hold.customer.clone(),
        order: hold.order.clone(),
        unsubscription: to.unsubscription.to_owned(),
        service_type: to.service_type.to_owned(),
        cycle: to.cycle,
        amount: share,
        at: act.at,
    });
    Ok(Some(out))
}

impl NotForOrder {
    pub fn reason(&self) -> &'static str {
        match self {
            NotForOrder::NotTheirs => "it is not one of the order's partner's coupons for this customer",
            NotForOrder::TestCoupon => "a test coupon pays bills of tested resources, not orders",
            NotForOrder::Status(CouponStatus::NotActive) => "it is not valid yet",
            NotForOrder::Status(CouponStatus::Used) => "it is used up",
            NotForOrder::Status(CouponStatus::Expired) => "it has expired",
            NotForOrder::Status(CouponStatus::Reclaimed) => "it was reclaimed",
            NotForOrder::Status(CouponStatus::Available) => "it is available",
            NotForOrder::Limits => "its limits leave out a product of the order",
            NotForOrder::HeldBy(_) => "another order's payment holds it",
            NotForOrder::NothingDue => "the order has nothing to pay",
        }
    }
}
