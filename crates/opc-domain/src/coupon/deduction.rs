//! R-CPN-03, R-CPN-08, R-CPN-09, A-07: the partner's coupons deducted from its bill; test coupons
//! among them, kept apart (R-CPN-19); coupons held for orders first (R-CPN-02).

use super::{coupon_entry, negate, Coupon, CouponEntry, CouponEntryKind, CouponError, CouponKind, CouponRefund, Ids};
use crate::bill::CouponUse;
use crate::catalog::ChargingMode;
use crate::{AccountId, Money, Timestamp};

/// A line of spend a coupon may pay: whose, on which service type, and what is due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payable<'a> {
    pub customer: &'a AccountId,
    pub service_type: &'a str,
    /// The line's billing mode (a coupon may be limited to one, R-CPN-12).
    pub mode: ChargingMode,
    pub due: Money,
    /// The line where yearly/monthly orders' charges land (the expenditure line of that billing
    /// mode), which a coupon held for an order pays.
    pub ordered: bool,
    /// The line where yearly/monthly orders' refunds land, which keeps what coupons were given
    /// back ([`super::refund_after_bill`]).
    pub order_refunds: bool,
}

/// A partner's bill as its coupons pay it: `lines` of the cycle `[start, end)`, at most `cap` in
/// all (its amount due), deducted at `at` under the trade name `trade`; `refunds`, what coupons
/// were given back for orders unsubscribed in the cycle after an earlier bill paid them.
#[derive(Clone, Copy, Debug)]
pub struct BillToPay<'a> {
    pub cap: Money,
    pub lines: &'a [Payable<'a>],
    pub refunds: &'a [CouponRefund],
    pub cycle: (Timestamp, Timestamp),
    pub trade: &'a str,
    pub at: Timestamp,
}

/// A coupon held for an order ([`super::hold_for_order`]) as the bill pays it: what the partner
/// owes for the order, at the settlement price, per cloud service type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldOrder<'a> {
    pub order: &'a str,
    pub coupon: &'a str,
    pub customer: &'a AccountId,
    pub due: Vec<(&'a str, Money)>,
}

/// What [`deduct`] decided: the amount paid by cash coupons and by test coupons on each line (in
/// the lines' order), and the coupons' entries (one per coupon used).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deductions {
    /// Paid by cash coupons (less what they were given back on a refund line: R-CPN-10).
    pub per_line: Vec<Money>,
    /// Paid by test coupons (R-CPN-19: not partner revenue, so kept apart).
    pub per_line_test: Vec<Money>,
    /// Which coupons paid each line and how much (the line's price trace): `per_line` and
    /// `per_line_test` are their sums.
    pub uses: Vec<Vec<CouponUse>>,
    pub entries: Vec<CouponEntry>,
    /// What each held coupon paid of its order, in the holds' order (0 when it could not).
    pub held: Vec<Money>,
}

/// Where a coupon's kind puts it within its group (customer-specific or general): test coupons
/// before cash coupons (reading A-TC-1 in docs/coupons.md: a test coupon is given to pay for
/// tests, is short-lived and counts as no one's revenue, so it is used before the partner's cash
/// coupons, which stay for the bills they were given for).
fn kind_rank(kind: CouponKind) -> u8 {
    match kind {
        CouponKind::Test => 0,
        CouponKind::Cash => 1,
    }
}

/// R-CPN-03, R-CPN-08, R-CPN-09, A-07: deducts a partner's coupons from its bill of the cycle
/// `[start, end)`, when the bill is generated at `at`.
///
/// First each coupon held for an order of the cycle pays that order (R-CPN-02), in the order of
/// `holds` (the payments' order, R-CPN-08): up to what the partner owes for the order, on the
/// customer's yearly/monthly lines, as far as its balance goes, whatever its validity now (it
/// was chosen when the order was paid); its entry names the order, and the hold ends. A coupon
/// still held for an order of another cycle pays nothing else.
///
/// Every coupon still open, with a balance, valid at some time in the cycle (R-CPN-03, R-CPN-08:
/// the coupon is chosen by when the spend happened, which is in the cycle) and allowing the
/// line's service type pays the line, several coupons per bill and per line. For each
/// line, coupons given for that line's customer go first (R-CPN-09), then the partner's general
/// ones; within each, test coupons before cash coupons (reading A-TC-1), then the one that expires
/// first, then the oldest. A coupon limited to a billing mode pays only lines of that mode, and
/// one with a usage-limit ratio at most that share of a line or held order (R-CPN-01, R-CPN-12).
/// What test coupons paid is given apart (R-CPN-19). Lines with nothing due (a
/// refund) take nothing, and coupons never pay more in all than `cap`, the bill's amount due (a
/// refund lowers it). Amounts keep 8 decimals (R-BILL-07). `coupons` are updated in place.
///
/// R-CPN-10: a coupon given back its share of an order unsubscribed after an earlier bill paid
/// it (`refunds`) takes that share off the partner's refund: a negative use on the customer's
/// yearly/monthly refund line of the refund's service type, at most that line's refund. What the
/// partner owes before coupons is then the amount due plus those shares, which raises `cap`.
pub fn deduct(
    ids: &mut impl Ids,
    bill: &BillToPay<'_>,
    coupons: &mut [Coupon],
    holds: &[HeldOrder<'_>],
) -> Result<Deductions, CouponError> {
    let BillToPay { cap, lines, refunds, cycle: (start, end), trade, at } = *bill;
    let mut given_back: Vec<Vec<CouponUse>> = vec![Vec::new(); lines.len()];
    let mut cap = cap;
    for r in refunds {
        let line =
            lines.iter().position(|l| l.order_refunds && l.customer == &r.customer && l.service_type == r.service_type);
        let Some(i) = line else { continue };
        let kept = given_back[i].iter().try_fold(Money::ZERO, |s, u| s.checked_sub(u.amount))?;
        let room = negate(lines[i].due)?.checked_sub(kept)?;
        let take = r.amount.min(room);
        if take > Money::ZERO {
            given_back[i].push(CouponUse {
                coupon: r.coupon.clone(),
                amount: negate(take)?,
                test: false,
                order: Some(r.unsubscription.clone()),
            });
            cap = cap.checked_add(take)?;
        }
    }
    let mut order: Vec<usize> = (0..coupons.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&coupons[a], &coupons[b]);
        (kind_rank(a.kind), a.validity.to, a.created_at, &a.id).cmp(&(
            kind_rank(b.kind),
            b.validity.to,
            b.created_at,
            &b.id,
        ))
    });
    let mut cap = cap.max(Money::ZERO);
    let mut by_holds = vec![Money::ZERO; lines.len()];
    let mut uses: Vec<Vec<CouponUse>> = vec![Vec::new(); lines.len()];
    let mut held = Vec::with_capacity(holds.len());
    let mut entries = vec![];
    for hold in holds {
        let mut paid = Money::ZERO;
        if let Some(c) = coupons.iter_mut().find(|c| c.id == hold.coupon && c.held_by.as_deref() == Some(hold.order)) {
            for &(service_type, due) in &hold.due {
                let line = lines
                    .iter()
                    .position(|l| l.ordered && l.customer == hold.customer && l.service_type == service_type);
                let Some(i) = line.filter(|_| c.closure.is_none()) else { continue };
                let room = lines[i].due.checked_sub(by_holds[i])?;
                let take = c.balance.min(due).min(room).min(cap).min(c.limits.cap(due)?).max(Money::ZERO);
                c.balance = c.balance.checked_sub(take)?;
                by_holds[i] = by_holds[i].checked_add(take)?;
                cap = cap.checked_sub(take)?;
                if take > Money::ZERO {
                    uses[i].push(CouponUse {
                        coupon: c.id.clone(),
                        amount: take,
                        test: false,
                        order: Some(hold.order.to_owned()),
                    });
                }
                paid = paid.checked_add(take)?;
            }
            c.held_by = None;
            if paid > Money::ZERO {
                c.last_used_at = Some(at);
                entries.push(coupon_entry(ids, c, CouponEntryKind::Deduct, negate(paid)?, hold.order, at));
            }
        }
        held.push(paid);
    }
    let mut used: Vec<Money> = vec![Money::ZERO; coupons.len()];
    let mut per_line = Vec::with_capacity(lines.len());
    let mut per_line_test = Vec::with_capacity(lines.len());
    for ((line, by_hold), line_uses) in lines.iter().zip(&by_holds).zip(&mut uses) {
        let mut left = line.due.checked_sub(*by_hold)?.min(cap);
        let (mut paid, mut paid_test) = (*by_hold, Money::ZERO);
        for specific in [true, false] {
            for &i in &order {
                if left <= Money::ZERO {
                    break;
                }
                let c = &mut coupons[i];
                let fits = match &c.customer {
                    Some(customer) => specific && customer == line.customer,
                    None => !specific,
                };
                if !fits
                    || c.closure.is_some()
                    || c.held_by.is_some()
                    || c.balance <= Money::ZERO
                    || !c.validity.overlaps(start, end)
                    || !c.limits.allows(line.service_type, None)
                    || !c.limits.allows_mode(line.mode)
                {
                    continue;
                }
                let take = c.balance.min(left).min(c.limits.cap(line.due)?);
                c.balance = c.balance.checked_sub(take)?;
                left = left.checked_sub(take)?;
                match c.kind {
                    CouponKind::Cash => paid = paid.checked_add(take)?,
                    CouponKind::Test => paid_test = paid_test.checked_add(take)?,
                }
                if take > Money::ZERO {
                    line_uses.push(CouponUse {
                        coupon: c.id.clone(),
                        amount: take,
                        test: c.kind == CouponKind::Test,
                        order: None,
                    });
                }
                used[i] = used[i].checked_add(take)?;
            }
        }
        cap = cap.checked_sub(paid.checked_sub(*by_hold)?)?.checked_sub(paid_test)?;
        per_line.push(paid);
        per_line_test.push(paid_test);
    }
    for ((paid, line_uses), back) in per_line.iter_mut().zip(&mut uses).zip(given_back) {
        for u in back {
            *paid = paid.checked_add(u.amount)?;
            line_uses.push(u);
        }
    }
    for &i in &order {
        if used[i] > Money::ZERO {
            coupons[i].last_used_at = Some(at);
            entries.push(coupon_entry(ids, &coupons[i], CouponEntryKind::Deduct, negate(used[i])?, trade, at));
        }
    }
    Ok(Deductions { per_line, per_line_test, uses, entries, held })
}
