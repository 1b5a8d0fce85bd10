//! Which cash coupon may pay a pending order, and how one coupon covers an order's lines
//! (R-CPN-02, R-CPN-06, A-07; BSS B1.6.4, B2.6.1).
//!
//! Under A-08 a coupon is the partner's money for its reseller customers' spend: only the order's
//! partner's available cash coupons, for the order's customer or for all of them, that apply to
//! every product of the order may pay it, and at most one does; it covers the lines in
//! order, each up to its amount due, as far as its balance goes.
//!
//! Not yet wired to payments: `pay_orders` still refuses coupons. What is left is where the
//! coupon's amount lands, which must keep three rules at once: the budget weighs spend at list
//! price (R-RCM-04), so the order's charge stays whole; the partner owes its settlement price
//! (R-BILL-01), so a coupon taken at list value at payment can exceed what the partner's bill
//! line for the order owes; and the bill run must not deduct the same coupon again.

use super::{coupon_entry, negate, Coupon, CouponEntry, CouponEntryKind, CouponError, CouponKind, CouponStatus, Ids};
use crate::ids::{AccountId, PartnerId};
use crate::money::Money;
use crate::time::Timestamp;

/// A pending order as a coupon sees it.
#[derive(Clone, Copy, Debug)]
pub struct OrderToPay<'a> {
    /// The partner whose reseller customer the order is for (`None`: a referral or direct
    /// customer's order, which no partner coupon pays: R-CPN-06).
    pub partner: Option<&'a PartnerId>,
    pub customer: &'a AccountId,
    pub lines: &'a [OrderLineToPay<'a>],
}

/// One line of [`OrderToPay`]: what it is and what is due for it.
#[derive(Clone, Copy, Debug)]
pub struct OrderLineToPay<'a> {
    pub service_type: &'a str,
    pub product: &'a str,
    pub due: Money,
}

/// Why a coupon cannot pay an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotForOrder {
    /// Not one of the order's partner's coupons for this customer (R-CPN-06).
    NotTheirs,
    /// A test coupon: it pays bills of tested resources, not orders (R-CPN-15).
    TestCoupon,
    /// Not available now (not yet valid, used up, expired or reclaimed).
    Status(CouponStatus),
    /// Its limits leave out one of the order's lines (R-CPN-02: it must apply to the product).
    Limits,
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
    if !order.lines.iter().all(|l| coupon.limits.allows(l.service_type, Some(l.product))) {
        return Err(NotForOrder::Limits);
    }
    Ok(())
}

/// What one coupon paid of one order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderCouponUse {
    /// What it paid of each line, in the order's line order.
    pub per_line: Vec<Money>,
    pub total: Money,
    /// Its movement: a deduction whose trade is the order.
    pub entry: CouponEntry,
}

/// R-CPN-02: `coupon` pays `order` (named `trade`) at `now`, each line up to its amount due,
/// as far as its balance goes; `coupon` is left as the payment leaves it. Refused whole when
/// the coupon may not pay the order ([`usable_for_order`]) or the order has nothing to pay.
pub fn pay_order(
    ids: &mut impl Ids,
    coupon: &mut Coupon,
    order: &OrderToPay<'_>,
    trade: &str,
    now: Timestamp,
) -> Result<OrderCouponUse, CouponError> {
    usable_for_order(coupon, order, now).map_err(|why| CouponError::NotForOrder(why.reason()))?;
    let mut left = coupon.balance;
    let mut per_line = Vec::with_capacity(order.lines.len());
    let mut total = Money::ZERO;
    for line in order.lines {
        let paid = line.due.max(Money::ZERO).min(left);
        left = left.checked_sub(paid)?;
        total = total.checked_add(paid)?;
        per_line.push(paid);
    }
    if total == Money::ZERO {
        return Err(CouponError::NotForOrder("the order has nothing to pay"));
    }
    coupon.balance = left;
    coupon.last_used_at = Some(now);
    let entry = coupon_entry(ids, coupon, CouponEntryKind::Deduct, negate(total)?, trade, now);
    Ok(OrderCouponUse { per_line, total, entry })
}

impl NotForOrder {
    pub fn reason(self) -> &'static str {
        match self {
            NotForOrder::NotTheirs => "it is not one of the order's partner's coupons for this customer",
            NotForOrder::TestCoupon => "a test coupon pays bills of tested resources, not orders",
            NotForOrder::Status(CouponStatus::NotActive) => "it is not valid yet",
            NotForOrder::Status(CouponStatus::Used) => "it is used up",
            NotForOrder::Status(CouponStatus::Expired) => "it has expired",
            NotForOrder::Status(CouponStatus::Reclaimed) => "it was reclaimed",
            NotForOrder::Status(CouponStatus::Available) => "it is available",
            NotForOrder::Limits => "its limits leave out a product of the order",
        }
    }
}
