//! A partner's monthly bill (R-BILL-01, R-BILL-03, R-BILL-04, R-BILL-05, R-BILL-11).

use std::collections::BTreeMap;

use super::{add, sub, BillError, ChargeKind, Rated, SettlementSchedule, TaxRate};
use crate::association::AssociationModel;
use crate::catalog::ChargingMode;
use crate::ids::{AccountId, PartnerId};
use crate::money::Money;
use crate::usage::Cycle;

/// One line of a partner bill: a reseller customer's amount for a service type, billing mode
/// and charge kind. R-BILL-11: every amount to 8 decimals; `due = official − discount`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerBillLine {
    pub customer: AccountId,
    pub service_type: String,
    pub mode: ChargingMode,
    pub kind: ChargeKind,
    /// At list price.
    pub official: Money,
    /// The settlement discount off `official` (R-BILL-01).
    pub discount: Money,
    /// At the settlement price: what the partner owes for the line.
    pub due: Money,
    /// What the partner's cash coupons paid of `due` when the bill was generated (R-CPN-03,
    /// R-BILL-07: to 8 decimals), from 0 to `due`.
    pub coupon: Money,
    /// What the partner's test coupons paid of `due` (R-CPN-19: kept apart from `coupon`, as it
    /// is not partner revenue), to 8 decimals; `coupon + test_coupon` is at most `due`.
    pub test_coupon: Money,
    /// Which coupons paid `coupon` and `test_coupon`, and how much each (the line's price trace);
    /// empty on lines billed before coupons were itemized.
    pub coupon_uses: Vec<CouponUse>,
}

/// One coupon's part in paying a bill line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CouponUse {
    pub coupon: String,
    pub amount: Money,
    /// A test coupon (its amount is in the line's `test_coupon`, else in `coupon`).
    pub test: bool,
    /// The order whose payment named the coupon, when it paid as held for that order (R-CPN-02).
    pub order: Option<String>,
}

impl PartnerBillLine {
    /// R-CPN-19, R-INC-03, R-INC-04: what of the line counts as the partner's revenue — what it
    /// pays itself, without what coupons paid (cash coupons are the operator's money; test
    /// coupons are for tests). A refund line (its due below zero) counts as it is.
    pub fn revenue(&self) -> Result<Money, BillError> {
        sub(sub(self.due, self.coupon)?, self.test_coupon)
    }
}

/// A partner bill's totals, all exact to 8 decimals (R-BILL-04: the monthly total is not
/// rounded). `amount_due = consumption + refunds + adjustments = official − discount`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct PartnerBillTotals {
    /// What the expenditure lines are due.
    pub consumption: Money,
    /// What the refund lines are due (normally negative or zero).
    pub refunds: Money,
    pub adjustments: Money,
    /// Every line at list price.
    pub official: Money,
    /// Every line's settlement discount.
    pub discount: Money,
    /// What the partner owes for the month (R-BILL-01), tax excluded.
    pub amount_due: Money,
    /// The output tax on the amount due, shown apart and never part of it.
    pub tax: Money,
    /// What the partner's cash coupons paid of the amount due (R-CPN-03): the lines' coupons.
    pub coupons: Money,
    /// What the partner's test coupons paid of the amount due (R-CPN-19): the lines' test
    /// coupons.
    pub test_coupons: Money,
}

impl PartnerBillTotals {
    /// What is left to pay once coupons are deducted: the amount due less the cash and test
    /// coupons.
    pub fn to_pay(&self) -> Money {
        self.amount_due
            .checked_sub(self.coupons)
            .and_then(|m| m.checked_sub(self.test_coupons))
            .unwrap_or(self.amount_due)
    }
}

/// A partner's bill for one month: its reseller customers' usage at the settlement price.
/// Built only by [`partner_bill`], so its lines always add up to its totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerBill {
    partner: PartnerId,
    cycle: Cycle,
    lines: Vec<PartnerBillLine>,
    totals: PartnerBillTotals,
    by_product: Vec<(String, Money)>,
    by_customer: Vec<(AccountId, Money)>,
}

impl PartnerBill {
    pub fn partner(&self) -> &PartnerId {
        &self.partner
    }

    pub fn cycle(&self) -> Cycle {
        self.cycle
    }

    /// Ordered by customer, service type, billing mode and charge kind; one per such key.
    pub fn lines(&self) -> &[PartnerBillLine] {
        &self.lines
    }

    pub fn totals(&self) -> PartnerBillTotals {
        self.totals
    }

    /// R-CPN-03, R-CPN-19: records which coupons paid each line and how much (`uses`, in the
    /// lines' order), each more than 0 and together at most the line's due; a line's `coupon`
    /// and `test_coupon` are its cash and test coupons' sums, the totals' the lines'. A cash
    /// coupon's use below 0 is what it was given back (R-CPN-10), kept from a refund line: those
    /// together at most the line's refund.
    pub fn pay_with_coupons(&mut self, uses: &[Vec<CouponUse>]) -> Result<(), BillError> {
        if uses.len() != self.lines.len() {
            return Err(BillError::OutOfRange);
        }
        let mut sums = Vec::with_capacity(uses.len());
        for (l, line_uses) in self.lines.iter().zip(uses) {
            let (mut cash, mut test, mut given_back) = (Money::ZERO, Money::ZERO, Money::ZERO);
            for u in line_uses {
                let sum = match (u.amount, u.test) {
                    (a, _) if a == Money::ZERO => return Err(BillError::OutOfRange),
                    // R-CPN-10: what a cash coupon was given back, kept from a refund line.
                    (a, false) if a < Money::ZERO => &mut given_back,
                    (a, true) if a < Money::ZERO => return Err(BillError::OutOfRange),
                    (_, false) => &mut cash,
                    (_, true) => &mut test,
                };
                *sum = add(*sum, u.amount)?;
            }
            let both = add(cash, test)?;
            if both > Money::ZERO && both > l.due {
                return Err(BillError::OutOfRange);
            }
            if given_back < Money::ZERO && given_back < l.due.min(Money::ZERO) {
                return Err(BillError::OutOfRange);
            }
            sums.push((add(cash, given_back)?, test));
        }
        let (mut coupons, mut test_coupons) = (Money::ZERO, Money::ZERO);
        for ((line, (c, t)), line_uses) in self.lines.iter_mut().zip(sums).zip(uses) {
            line.coupon = c;
            line.test_coupon = t;
            line.coupon_uses = line_uses.clone();
            coupons = add(coupons, c)?;
            test_coupons = add(test_coupons, t)?;
        }
        self.totals.coupons = coupons;
        self.totals.test_coupons = test_coupons;
        Ok(())
    }

    /// R-BILL-05: the "By Product" summary, the amount due per service type rounded to the
    /// cent, by service type. Rounded apart, these may not add up to the exact total.
    pub fn by_product(&self) -> &[(String, Money)] {
        &self.by_product
    }

    /// R-BILL-05: the "By Customer" summary, the amount due per customer rounded to the cent,
    /// by customer. Rounded apart, these may not add up to the exact total.
    pub fn by_customer(&self) -> &[(AccountId, Money)] {
        &self.by_customer
    }
}

type LineKey = (AccountId, String, ChargingMode, ChargeKind);

/// R-BILL-05: the "By Product" and "By Customer" summaries of stored lines (a subset of a bill's,
/// for a member who sees only some customers), each amount rounded to the cent apart.
pub fn summaries(lines: &[PartnerBillLine]) -> Result<Summaries, BillError> {
    let mut by_product: BTreeMap<&str, Money> = BTreeMap::new();
    let mut by_customer: BTreeMap<&AccountId, Money> = BTreeMap::new();
    let mut total = Money::ZERO;
    for l in lines {
        let product = by_product.entry(&l.service_type).or_insert(Money::ZERO);
        *product = add(*product, l.due)?;
        let of_customer = by_customer.entry(&l.customer).or_insert(Money::ZERO);
        *of_customer = add(*of_customer, l.due)?;
        total = add(total, l.due)?;
    }
    Ok(Summaries {
        by_product: by_product.into_iter().map(|(s, m)| (s.to_owned(), m.round_to_cents())).collect(),
        by_customer: by_customer.into_iter().map(|(c, m)| (c.clone(), m.round_to_cents())).collect(),
        total,
    })
}

/// What [`summaries`] gives: rounded summaries and the lines' exact total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summaries {
    pub by_product: Vec<(String, Money)>,
    pub by_customer: Vec<(AccountId, Money)>,
    pub total: Money,
}

/// Closes month `cycle` for `partner`.
///
/// - R-BILL-03: only its reseller customers' amounts count; a referral customer's (it pays its
///   own bill), another partner's customer's or a customer's without a partner are skipped.
/// - Amounts of the same customer, service type, billing mode and charge kind make one line;
///   its discount is taken on the line's whole list price, so how the store split the amounts
///   changes nothing.
/// - R-BILL-01: each line's discount is the settlement discount the `schedule` gives its service
///   type in `cycle` (none: list price); R-BILL-04, R-BILL-11: lines and totals keep 8 decimals.
/// - The output tax on the amount due at `tax` is computed and shown apart.
pub fn partner_bill(
    partner: &PartnerId,
    cycle: Cycle,
    schedule: &SettlementSchedule,
    tax: TaxRate,
    rated: impl IntoIterator<Item = Rated>,
) -> Result<PartnerBill, BillError> {
    let mut official: BTreeMap<LineKey, Money> = BTreeMap::new();
    for r in rated {
        match &r.partner {
            Some((p, AssociationModel::Reseller)) if p == partner => {}
            _ => continue,
        }
        let sum = official.entry((r.customer, r.service_type, r.mode, r.kind)).or_insert(Money::ZERO);
        *sum = add(*sum, r.official)?;
    }
    let mut lines = Vec::with_capacity(official.len());
    let mut totals = PartnerBillTotals::default();
    let mut by_product: BTreeMap<&str, Money> = BTreeMap::new();
    let mut by_customer: BTreeMap<&AccountId, Money> = BTreeMap::new();
    for ((customer, service_type, mode, kind), official) in &official {
        let discount = schedule.discount_for(cycle, service_type).off(*official).map_err(|_| BillError::OutOfRange)?;
        let due = sub(*official, discount)?;
        let by_kind = match kind {
            ChargeKind::Expenditure => &mut totals.consumption,
            ChargeKind::Refund => &mut totals.refunds,
            ChargeKind::Adjustment => &mut totals.adjustments,
        };
        *by_kind = add(*by_kind, due)?;
        totals.official = add(totals.official, *official)?;
        totals.discount = add(totals.discount, discount)?;
        totals.amount_due = add(totals.amount_due, due)?;
        let product = by_product.entry(service_type).or_insert(Money::ZERO);
        *product = add(*product, due)?;
        let of_customer = by_customer.entry(customer).or_insert(Money::ZERO);
        *of_customer = add(*of_customer, due)?;
        lines.push(PartnerBillLine {
            customer: customer.clone(),
            service_type: service_type.clone(),
            mode: *mode,
            kind: *kind,
            official: *official,
            discount,
            due,
            coupon: Money::ZERO,
            test_coupon: Money::ZERO,
            coupon_uses: Vec::new(),
        });
    }
    totals.tax = tax.tax_on(totals.amount_due).map_err(|_| BillError::OutOfRange)?;
    debug_assert_eq!(sub(totals.official, totals.discount), Ok(totals.amount_due));
    Ok(PartnerBill {
        partner: partner.clone(),
        cycle,
        lines,
        totals,
        by_product: by_product.into_iter().map(|(s, m)| (s.to_owned(), m.round_to_cents())).collect(),
        by_customer: by_customer.into_iter().map(|(c, m)| (c.clone(), m.round_to_cents())).collect(),
    })
}
