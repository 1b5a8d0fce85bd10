//! Costs as a customer reads them back (BSS B1.8.1 `list_costs`, B2.8.2
//! `list_customer_bills_fee_records`, B2.8.3 `list_customer_bills_monthly_break_down`): what
//! kind of transaction a cost is, whether the bill that holds it is paid, and how a
//! yearly/monthly charge is amortized over its term.
//!
//! Rules named here (this server's, as the spec leaves them open; `docs/bills.md` says them):
//!
//! - **COST-AMORTIZE**: a yearly/monthly charge is spread over the days of its term in the
//!   billing zone, month by month in proportion to the term's days in each month (each share
//!   truncated towards zero), the remainder to the last month; within a month, the month's share
//!   day by day alike, the remainder to its last day. So the days of a month add up to the
//!   month, and the months to the charge, exactly. A pay-per-use cost is not amortized: all of
//!   it is in the month (and day) it was used.
//! - **COST-REFUND-TERM**: a refund (an unsubscription) is amortized over what was left of the
//!   refunded term when it was refunded: from the refund (or the term's start, if it had not
//!   begun) to the term's end; a refund with nothing of its term left is all in its own day.
//! - **COST-STATUS** (R-BILL-03, R-RCM-07): a record's payment status follows the monthly bill
//!   that holds it: no bill yet, "not billed"; a bill its reseller partner pays, "paid" once the
//!   partner's bill of the month is paid in full, else "unsettled"; a bill the customer pays
//!   itself, "unsettled" (it pays the operator directly; this server records no such payment).
//!
//! Invariant: no float touches an amount; every sum is checked.

use crate::bill::{BillBalance, ChargeKind, Payer};
use crate::money::{Money, MoneyError};
use crate::order::OrderType;
use crate::time::{Millis, Timestamp};
use crate::usage::Cycle;

const DAY_MS: i64 = 86_400_000;

/// What a cost record is, as the detailed bill types (`bill_type` 1, 2, 4, 5) say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CostKind {
    /// A yearly/monthly new purchase ("expenditure - new purchase").
    Purchase,
    /// A yearly/monthly renewal ("expenditure - renewal").
    Renewal,
    /// An unsubscription's refund ("refund - unsubscription").
    Refund,
    /// Pay-per-use usage ("expenditure - usage").
    Usage,
}

impl CostKind {
    pub const ALL: [CostKind; 4] = [CostKind::Purchase, CostKind::Renewal, CostKind::Refund, CostKind::Usage];

    /// What a yearly/monthly order's charge is, by the order's type.
    pub fn of_order(order_type: OrderType) -> CostKind {
        match order_type {
            OrderType::New => CostKind::Purchase,
            OrderType::Renewal => CostKind::Renewal,
            OrderType::Unsubscription => CostKind::Refund,
        }
    }

    /// R-BILL-15: the charge kind a bill's line gives it: a refund, or an expenditure.
    pub fn charge_kind(self) -> ChargeKind {
        match self {
            CostKind::Refund => ChargeKind::Refund,
            CostKind::Purchase | CostKind::Renewal | CostKind::Usage => ChargeKind::Expenditure,
        }
    }

    /// Whether it is a yearly/monthly charge (else pay-per-use).
    pub fn is_period(self) -> bool {
        !matches!(self, CostKind::Usage)
    }
}

/// COST-STATUS: whether a record's bill is paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PaymentStatus {
    Paid,
    Unsettled,
    NotBilled,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 3] = [PaymentStatus::Paid, PaymentStatus::Unsettled, PaymentStatus::NotBilled];
}

/// COST-STATUS (R-BILL-03, R-RCM-07): the payment status of a record of a month paid by
/// `payer`: `billed` says whether the customer's monthly bill for that payer exists, and
/// `partner_bill` is the paying partner's bill of the month, if issued.
pub fn payment_status(billed: bool, payer: &Payer, partner_bill: Option<&BillBalance>) -> PaymentStatus {
    if !billed {
        return PaymentStatus::NotBilled;
    }
    match payer {
        Payer::Customer => PaymentStatus::Unsettled,
        Payer::Partner(_) => match partner_bill.map(BillBalance::unpaid) {
            Some(Ok(left)) if left == Money::ZERO => PaymentStatus::Paid,
            Some(_) | None => PaymentStatus::Unsettled,
        },
    }
}

/// The day `at` falls on in the billing zone (`offset` from UTC), as days since 1970-01-01.
pub fn day_of(at: Timestamp, offset: Millis) -> i64 {
    (at.unix_ms() + offset.0).div_euclid(DAY_MS)
}

/// The billing cycle of a day counted by [`day_of`].
pub fn cycle_of_day(day: i64) -> Cycle {
    Cycle::of(Timestamp::from_unix_ms(day * DAY_MS), Millis(0))
}

/// An amortization term: the days, in the billing zone, a charge is spread over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    /// The first day (days since 1970-01-01).
    pub first: i64,
    /// The number of days, at least one.
    pub days: i64,
}

impl Term {
    /// The days from the one `start` falls on up to the one `end` falls on, excluded (a term
    /// ends at the instant the next begins); at least the start's day.
    pub fn between(start: Timestamp, end: Timestamp, offset: Millis) -> Term {
        let first = day_of(start, offset);
        Term { first, days: (day_of(end, offset) - first).max(1) }
    }

    /// COST-REFUND-TERM: a refund at `at` of a term `refunded` (start, end) is spread over what
    /// was left of it: from the refund, or the term's start if later, to its end; without a
    /// known term, or with nothing left, the refund's day.
    pub fn of_refund(at: Timestamp, refunded: Option<(Timestamp, Timestamp)>, offset: Millis) -> Term {
        match refunded {
            Some((start, end)) if end > at => Term::between(start.max(at), end, offset),
            _ => Term { first: day_of(at, offset), days: 1 },
        }
    }
}

/// Why an amortization cannot be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AmortizeError {
    #[error("an amortized amount would pass the largest amount")]
    OutOfRange,
}

impl From<MoneyError> for AmortizeError {
    fn from(_: MoneyError) -> AmortizeError {
        AmortizeError::OutOfRange
    }
}

/// `amount × part / whole`, truncated towards zero (`0 < part ≤ whole`).
fn share(amount: Money, part: i64, whole: i64) -> Result<Money, AmortizeError> {
    let e8 = i128::from(amount.e8()) * i128::from(part) / i128::from(whole);
    Ok(Money::from_e8(i64::try_from(e8).map_err(|_| AmortizeError::OutOfRange)?)?)
}

/// Splits `amount` over `parts` (each a count of days, all positive) in proportion, each share
/// truncated towards zero and the remainder to the last: the shares add up to `amount`.
fn split(amount: Money, parts: &[i64]) -> Result<Vec<Money>, AmortizeError> {
    let whole: i64 = parts.iter().sum();
    let mut out = Vec::with_capacity(parts.len());
    let mut given = Money::ZERO;
    for (i, part) in parts.iter().enumerate() {
        let s = if i + 1 == parts.len() { amount.checked_sub(given)? } else { share(amount, *part, whole)? };
        given = given.checked_add(s)?;
        out.push(s);
    }
    Ok(out)
}

/// COST-AMORTIZE: `amount` spread over the months of `term`, oldest first, each with its share;
/// the shares add up to `amount` exactly.
pub fn amortize_months(amount: Money, term: Term) -> Result<Vec<(Cycle, Money)>, AmortizeError> {
    let months = months_of(term);
    let days: Vec<i64> = months.iter().map(|(_, first, days)| days - first + 1).collect();
    let shares = split(amount, &days)?;
    Ok(months.iter().map(|(c, ..)| *c).zip(shares).collect())
}

/// COST-AMORTIZE: `amount` spread over the days of `term`, oldest first (days since 1970-01-01
/// in the billing zone): each month's share of [`amortize_months`] split over its days, so the
/// days of a month add up to its share.
pub fn amortize_days(amount: Money, term: Term) -> Result<Vec<(i64, Money)>, AmortizeError> {
    let months = months_of(term);
    let mut out = Vec::with_capacity(usize::try_from(term.days).unwrap_or(0));
    for ((_, first, last), (_, month_share)) in months.iter().zip(amortize_months(amount, term)?) {
        let ones = vec![1; usize::try_from(last - first + 1).unwrap_or(0)];
        for (i, s) in split(month_share, &ones)?.into_iter().enumerate() {
            out.push((first + i as i64, s));
        }
    }
    Ok(out)
}

/// The months `term` spans, each with its first and last day in the term.
fn months_of(term: Term) -> Vec<(Cycle, i64, i64)> {
    let mut months: Vec<(Cycle, i64, i64)> = Vec::new();
    for day in term.first..term.first + term.days.max(1) {
        let cycle = cycle_of_day(day);
        match months.last_mut() {
            Some((c, _, last)) if *c == cycle => *last = day,
            _ => months.push((cycle, day, day)),
        }
    }
    months
}

/// An amortized amount seen from a month: what was amortized before it, in it, and after it.
/// The three add up to the amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct MonthShares {
    pub past: Money,
    pub current: Money,
    pub future: Money,
}

/// COST-AMORTIZE: the shares of [`amortize_months`] before `month`, in it, and after it.
pub fn month_shares(shares: &[(Cycle, Money)], month: Cycle) -> Result<MonthShares, AmortizeError> {
    let mut out = MonthShares::default();
    for (cycle, amount) in shares {
        let into = match cycle.cmp(&month) {
            std::cmp::Ordering::Less => &mut out.past,
            std::cmp::Ordering::Equal => &mut out.current,
            std::cmp::Ordering::Greater => &mut out.future,
        };
        *into = into.checked_add(*amount)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PartnerId;

    const BEIJING: Millis = Millis(8 * 3_600_000);

    fn m(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    fn at(y: i64, mo: u32, d: u32, h: u32) -> Timestamp {
        Timestamp::from_utc(y, mo, d, h, 0, 0).unwrap()
    }

    fn sum<T>(items: &[(T, Money)]) -> Money {
        items.iter().try_fold(Money::ZERO, |s, (_, a)| s.checked_add(*a)).unwrap()
    }

    #[test]
    fn cost_amortize_a_month_bought_mid_month_splits_by_days_with_the_remainder_last() {
        // 2026-03-10 16:00 to 2026-04-10 16:00 Beijing: 22 days of March, 9 of April.
        let term = Term::between(at(2026, 3, 10, 8), at(2026, 4, 10, 8), BEIJING);
        assert_eq!(term.days, 31);
        let months = amortize_months(m("10"), term).unwrap();
        // 10 × 22 / 31 = 7.09677419(35…), truncated; April takes the rest.
        assert_eq!(months, vec![(Cycle(202603), m("7.09677419")), (Cycle(202604), m("2.90322581"))]);
        assert_eq!(sum(&months), m("10"));
    }

    #[test]
    fn cost_amortize_days_add_up_to_their_month_and_the_months_to_the_charge() {
        for (amount, start, end) in [
            ("6.8", at(2026, 3, 1, 8), at(2026, 4, 1, 8)),
            ("0.00000007", at(2026, 1, 31, 0), at(2027, 1, 31, 0)),
            ("-13.6", at(2026, 4, 1, 8), at(2026, 6, 1, 8)),
            ("99999.99999999", at(2026, 2, 27, 15), at(2029, 2, 27, 15)),
        ] {
            let term = Term::between(start, end, BEIJING);
            let months = amortize_months(m(amount), term).unwrap();
            let days = amortize_days(m(amount), term).unwrap();
            assert_eq!(sum(&months), m(amount), "{amount}");
            assert_eq!(sum(&days), m(amount), "{amount}");
            assert_eq!(days.len() as i64, term.days);
            for (cycle, share) in &months {
                let of_month: Vec<(i64, Money)> =
                    days.iter().filter(|(d, _)| cycle_of_day(*d) == *cycle).copied().collect();
                assert_eq!(sum(&of_month), *share, "{amount} in {cycle:?}");
            }
            // A refund's negative amount is split as the opposite of its absolute value.
            if !m(amount).is_negative() {
                let negative = Money::from_e8(-m(amount).e8()).unwrap();
                let opposite: Vec<(Cycle, Money)> = amortize_months(negative, term)
                    .unwrap()
                    .into_iter()
                    .map(|(c, a)| (c, Money::from_e8(-a.e8()).unwrap()))
                    .collect();
                assert_eq!(opposite, months);
            }
        }
    }

    #[test]
    fn cost_amortize_a_term_within_one_day_is_that_day() {
        let term = Term::between(at(2026, 3, 5, 1), at(2026, 3, 5, 2), BEIJING);
        assert_eq!(term, Term { first: day_of(at(2026, 3, 5, 1), BEIJING), days: 1 });
        assert_eq!(amortize_days(m("1"), term).unwrap(), vec![(term.first, m("1"))]);
    }

    #[test]
    fn cost_amortize_month_shares_are_past_current_and_future() {
        let term = Term::between(at(2026, 3, 1, 8), at(2026, 6, 1, 8), BEIJING);
        let months = amortize_months(m("9.2"), term).unwrap();
        assert_eq!(months.iter().map(|(c, _)| c.0).collect::<Vec<_>>(), [202603, 202604, 202605]);
        let april = month_shares(&months, Cycle(202604)).unwrap();
        // 31 + 30 + 31 days: 3.1, 3.0, 3.1.
        assert_eq!((april.past, april.current, april.future), (m("3.1"), m("3"), m("3.1")));
        let later = month_shares(&months, Cycle(202609)).unwrap();
        assert_eq!((later.past, later.current, later.future), (m("9.2"), m("0"), m("0")));
    }

    #[test]
    fn cost_refund_term_is_what_was_left_of_the_refunded_term() {
        let refunded = Some((at(2026, 3, 1, 8), at(2026, 4, 1, 8)));
        // Refunded on the 11th: March 11th to 31st.
        let term = Term::of_refund(at(2026, 3, 11, 8), refunded, BEIJING);
        assert_eq!((term.first, term.days), (day_of(at(2026, 3, 11, 8), BEIJING), 21));
        // A renewal not begun is refunded over its whole term.
        let renewal = Some((at(2026, 4, 1, 8), at(2026, 6, 1, 8)));
        assert_eq!(
            Term::of_refund(at(2026, 3, 11, 8), renewal, BEIJING),
            Term::between(at(2026, 4, 1, 8), at(2026, 6, 1, 8), BEIJING)
        );
        // Nothing left, or no term known: the refund's day.
        let day = Term { first: day_of(at(2026, 4, 2, 0), BEIJING), days: 1 };
        assert_eq!(Term::of_refund(at(2026, 4, 2, 0), refunded, BEIJING), day);
        assert_eq!(Term::of_refund(at(2026, 4, 2, 0), None, BEIJING), day);
    }

    #[test]
    fn cost_amortize_refuses_amounts_past_the_largest() {
        let term = Term::between(at(2026, 3, 1, 8), at(2026, 5, 1, 8), BEIJING);
        let shares = [(Cycle(202603), Money::MAX), (Cycle(202604), Money::MAX)];
        assert_eq!(month_shares(&shares, Cycle(202605)), Err(AmortizeError::OutOfRange));
        assert_eq!(sum(&amortize_months(Money::MAX, term).unwrap()), Money::MAX);
    }

    #[test]
    fn cost_status_r_bill_03_r_rcm_07_follows_the_bill_that_holds_the_record() {
        let p = Payer::Partner(PartnerId::parse("p-1").unwrap());
        let bill = |paid: &str| BillBalance {
            cycle: Cycle(202603),
            amount_due: m("5"),
            paid: m(paid),
            due_at: at(2026, 4, 30, 16),
        };
        assert_eq!(payment_status(false, &p, Some(&bill("5"))), PaymentStatus::NotBilled);
        assert_eq!(payment_status(false, &Payer::Customer, None), PaymentStatus::NotBilled);
        assert_eq!(payment_status(true, &p, Some(&bill("5"))), PaymentStatus::Paid);
        assert_eq!(payment_status(true, &p, Some(&bill("4.99999999"))), PaymentStatus::Unsettled);
        assert_eq!(payment_status(true, &p, None), PaymentStatus::Unsettled, "the partner's bill is not issued yet");
        assert_eq!(payment_status(true, &Payer::Customer, None), PaymentStatus::Unsettled);
        let refunds = BillBalance { amount_due: m("-1"), ..bill("0") };
        assert_eq!(
            payment_status(true, &p, Some(&refunds)),
            PaymentStatus::Paid,
            "a month of net refunds owes nothing"
        );
    }
}
