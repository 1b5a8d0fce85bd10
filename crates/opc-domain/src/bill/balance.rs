//! What a partner owes across closed months, and how payments settle it (R-BILL-02, R-BILL-03,
//! R-QUOTA-07).

use super::{add, sub, BillError};
use crate::money::Money;
use crate::time::Timestamp;
use crate::usage::Cycle;

/// A closed month's bill as far as paying it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BillBalance {
    pub cycle: Cycle,
    /// The bill's amount due (a partner bill's [`super::PartnerBillTotals::amount_due`]).
    pub amount_due: Money,
    /// What was paid towards it so far.
    pub paid: Money,
    /// When it must be paid by: unpaid after this moment, it is in arrears.
    pub due_at: Timestamp,
}

impl BillBalance {
    /// What is left to pay: the amount due less what was paid, and nothing for a bill paid in
    /// full or whose amount due is not positive (a month of net refunds owes nothing).
    pub fn unpaid(&self) -> Result<Money, BillError> {
        Ok(sub(self.amount_due, self.paid)?.max(Money::ZERO))
    }

    /// Whether the bill is in arrears at `now`: something is left to pay after its due date.
    pub fn is_arrear(&self, now: Timestamp) -> bool {
        now > self.due_at && self.amount_due > self.paid
    }
}

/// R-BILL-03: the amount due shown to the partner, "unpaid fees of the latest billing month +
/// unpaid fees of previous months".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct AmountDue {
    /// The latest billed month, if any bill was given.
    pub latest_cycle: Option<Cycle>,
    /// What is left to pay of the latest month's bill.
    pub latest: Money,
    /// What is left to pay of earlier months' bills.
    pub previous: Money,
    /// `latest + previous`.
    pub total: Money,
}

/// R-BILL-03: the amount due over a partner's closed bills, in any order. Bills of the same
/// month all count as the latest when it is the latest.
pub fn amount_due(bills: &[BillBalance]) -> Result<AmountDue, BillError> {
    let Some(latest_cycle) = bills.iter().map(|b| b.cycle).max() else {
        return Ok(AmountDue::default());
    };
    let mut due = AmountDue { latest_cycle: Some(latest_cycle), ..AmountDue::default() };
    for bill in bills {
        let part = if bill.cycle == latest_cycle { &mut due.latest } else { &mut due.previous };
        *part = add(*part, bill.unpaid()?)?;
    }
    due.total = add(due.latest, due.previous)?;
    Ok(due)
}

/// How a payment was applied: to which months, and what was left over.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Settlement {
    /// The part of the payment each month's bill received, oldest first; months that received
    /// nothing are not listed.
    pub applied: Vec<(Cycle, Money)>,
    /// R-QUOTA-07: what was left after every bill was paid, an advance that stays on the
    /// partner's balance ("repaying in advance" raises what the partner may still owe).
    pub advance: Money,
}

/// Applies `payment` to the unpaid `bills`, oldest month first (by cycle, then due date, then
/// order given), raising their `paid`; what is left is an advance (R-QUOTA-07).
///
/// R-BILL-02: once a month is closed, its amount due is deducted from the partner's cash
/// balance: that is `settle(bills, balance_deduction(balance, &amount_due(bills)?))`, the
/// balance then being lowered by that deduction (which leaves no advance).
pub fn settle(bills: &mut [BillBalance], payment: Money) -> Result<Settlement, BillError> {
    if payment.is_negative() {
        return Err(BillError::NegativePayment);
    }
    let mut order: Vec<usize> = (0..bills.len()).collect();
    order.sort_by_key(|&i| (bills[i].cycle, bills[i].due_at, i));
    let mut settlement = Settlement { applied: Vec::new(), advance: payment };
    for i in order {
        if settlement.advance == Money::ZERO {
            break;
        }
        let bill = &mut bills[i];
        let part = bill.unpaid()?.min(settlement.advance);
        if part == Money::ZERO {
            continue;
        }
        bill.paid = add(bill.paid, part)?;
        settlement.advance = sub(settlement.advance, part)?;
        settlement.applied.push((bill.cycle, part));
    }
    Ok(settlement)
}

/// R-BILL-02: what the monthly deduction takes from a cash `balance` towards `due`: all of the
/// amount due when the balance covers it, else the whole (positive) balance.
pub fn balance_deduction(balance: Money, due: &AmountDue) -> Money {
    balance.max(Money::ZERO).min(due.total.max(Money::ZERO))
}

/// What is in arrears at `now`: the unpaid parts of the bills past their due date.
pub fn arrears(bills: &[BillBalance], now: Timestamp) -> Result<Money, BillError> {
    bills.iter().filter(|b| b.is_arrear(now)).try_fold(Money::ZERO, |sum, b| add(sum, b.unpaid()?))
}
