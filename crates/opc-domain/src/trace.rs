//! The price trace (issue 15): how a line's amount came about, step by step, exact to 10⁻⁸ —
//! the list price, the discount taken off it (which, and why), each coupon that paid it (which,
//! how much), and what is left. A trace is built only from the line it explains, and refuses
//! to exist when the line's amounts do not add up, so the steps shown always add up to the line.

use crate::bill::{CouponUse, Discount, PartnerBillLine};
use crate::discount::AppliedDiscount;
use crate::money::Money;
use crate::order::OrderLine;

/// Why an amount was taken off the list price, or what paid part of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The partner's settlement discount (R-BILL-01), at `rate` when the partner's terms for the
    /// month still give the amount shown.
    SettlementDiscount { rate: Option<Discount> },
    /// The partner discount the customer chose at payment (R-CPN-33): a general or special
    /// discount, or a price adjustment of the order (`special`, type 609), at `rate`.
    PartnerDiscount { id: String, special: bool, rate: Discount },
    /// A coupon's part (R-CPN-03; R-CPN-19 for a test coupon), as held for `order` when the
    /// order's payment named it (R-CPN-02). `coupon` is `None` on lines billed before coupons
    /// were itemized: their coupons' sum, unnamed.
    Coupon { coupon: Option<String>, test: bool, order: Option<String> },
}

/// One step: what it took off (below zero only on a refund line, whose settlement discount is
/// negative as its list price is).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceStep {
    pub step: Step,
    pub amount: Money,
}

/// A line's trace: `list` less each step is `result`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    list: Money,
    steps: Vec<TraceStep>,
    result: Money,
}

/// Why a line cannot be traced: its amounts do not add up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the line's amounts do not add up")]
pub struct Unbalanced;

impl Trace {
    /// The list price the trace starts from.
    pub fn list(&self) -> Money {
        self.list
    }

    pub fn steps(&self) -> &[TraceStep] {
        &self.steps
    }

    /// What is left after every step: the line's amount due (an order line) or what the partner
    /// pays itself (a bill line).
    pub fn result(&self) -> Money {
        self.result
    }

    fn new(list: Money, steps: Vec<TraceStep>) -> Result<Trace, Unbalanced> {
        let mut result = list;
        for s in &steps {
            result = result.checked_sub(s.amount).map_err(|_| Unbalanced)?;
        }
        Ok(Trace { list, steps, result })
    }
}

/// A partner bill line's trace: list price → settlement discount (at `rate`, the partner's
/// terms for the month, shown when they give the line's discount) → amount due → each coupon →
/// what the partner pays itself. Refused when `official − discount ≠ due`, or when the coupons
/// named do not sum to the line's cash and test coupons.
pub fn bill_line(line: &PartnerBillLine, rate: Discount) -> Result<Trace, Unbalanced> {
    if line.official.checked_sub(line.discount) != Ok(line.due) {
        return Err(Unbalanced);
    }
    let shown = (rate.off(line.official) == Ok(line.discount)).then_some(rate);
    let mut steps = vec![TraceStep { step: Step::SettlementDiscount { rate: shown }, amount: line.discount }];
    let sum = |test: bool| {
        line.coupon_uses.iter().filter(|u| u.test == test).try_fold(Money::ZERO, |s, u| s.checked_add(u.amount))
    };
    if line.coupon_uses.is_empty() {
        for (amount, test) in [(line.coupon, false), (line.test_coupon, true)] {
            if amount != Money::ZERO {
                steps.push(TraceStep { step: Step::Coupon { coupon: None, test, order: None }, amount });
            }
        }
    } else if sum(false) != Ok(line.coupon) || sum(true) != Ok(line.test_coupon) {
        return Err(Unbalanced);
    } else {
        steps.extend(line.coupon_uses.iter().map(|CouponUse { coupon, amount, test, order }| TraceStep {
            step: Step::Coupon { coupon: Some(coupon.clone()), test: *test, order: order.clone() },
            amount: *amount,
        }));
    }
    let trace = Trace::new(line.official, steps)?;
    let paid_by_partner = line.due.checked_sub(line.coupon).and_then(|m| m.checked_sub(line.test_coupon));
    if paid_by_partner != Ok(trace.result) {
        return Err(Unbalanced);
    }
    Ok(trace)
}

/// An order line's trace: list price → the partner discount it was paid with, if it lowered this
/// line (R-CPN-33) → the amount due, the customer's charge.
pub fn order_line(line: &OrderLine, applied: Option<&AppliedDiscount>) -> Result<Trace, Unbalanced> {
    let mut steps = vec![];
    if let Some((a, l)) = applied.and_then(|a| a.line(line.id()).map(|l| (a, l))) {
        if l.list != line.official() || l.list.checked_sub(l.discount) != Ok(l.due) {
            return Err(Unbalanced);
        }
        let step = Step::PartnerDiscount { id: a.discount_id.clone(), special: a.special, rate: a.off };
        steps.push(TraceStep { step, amount: l.discount });
    }
    Trace::new(line.official(), steps)
}

#[cfg(test)]
mod tests;
