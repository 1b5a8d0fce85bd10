//! Cash balances and the ledger that moves them (seeds 004 §8.1.11, §8.8.9; BSS B1.4.2, B2.4).
//!
//! Every movement of money on a partner's or a reseller customer's cash account is an
//! [`Entry`] in an append-only ledger. A [`Balance`] is the sum of its holder's entries; the
//! store keeps it as a running total written in the same transaction as the entries that change
//! it, with a version so that two movements decided from the same balance cannot both land.
//! Nothing here lets a balance go below zero: a movement that would is refused whole.

use crate::bill::TaxRate;
use crate::ids::{AccountId, PartnerId};
use crate::money::{Money, MoneyError};
use crate::time::Timestamp;
use crate::usage::Cycle;

/// Whose cash account: a partner's (its account balance, R-BILL-02) or a reseller-model
/// customer's (funded by its partner, B2.4.8).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Holder {
    Partner(PartnerId),
    Customer(AccountId),
}

impl Holder {
    pub fn id(&self) -> &str {
        match self {
            Holder::Partner(id) => id.as_str(),
            Holder::Customer(id) => id.as_str(),
        }
    }
}

/// What moved the money. Each kind has its own sign: payments add, deductions take, the two
/// sides of a transfer mirror each other, adjustments go either way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    /// The operator records money received from the partner: a repayment, or an advance that
    /// stays on the balance (R-QUOTA-07).
    Payment,
    /// The operator corrects a balance, either way.
    Adjustment,
    /// A closed month's amount due taken from the balance (R-BILL-02).
    BillDeduction,
    /// Funds given down the channel: partner → reseller customer, distributor → reseller.
    Allocation,
    /// Funds taken back up the channel: reseller customer → partner, reseller → distributor.
    Reclaim,
    /// A reseller customer's whole balance returned to its partner when their association ends.
    Unbind,
}

impl EntryKind {
    pub const ALL: [EntryKind; 6] = [
        EntryKind::Payment,
        EntryKind::Adjustment,
        EntryKind::BillDeduction,
        EntryKind::Allocation,
        EntryKind::Reclaim,
        EntryKind::Unbind,
    ];

    /// Allocations, reclaims and unbinding returns are the channel's adjustments
    /// (`list_partner_adjust_records`).
    pub fn is_channel_transfer(self) -> bool {
        matches!(self, EntryKind::Allocation | EntryKind::Reclaim | EntryKind::Unbind)
    }
}

/// One line of the ledger. Written once, never changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The record's own id (`account_change_id`).
    pub id: String,
    pub holder: Holder,
    pub kind: EntryKind,
    /// Signed: more than 0 is revenue, less than 0 is expense.
    pub amount: Money,
    pub balance_after: Money,
    /// Shared by the two sides of a transfer (`trans_id`, `transfer_id`); a payment's or
    /// deduction's own reference otherwise.
    pub transfer: String,
    /// The other side of a transfer.
    pub counterpart: Option<Holder>,
    /// The partner bill a deduction paid.
    pub bill: Option<BillRef>,
    pub at: Timestamp,
    pub memo: String,
}

/// A partner bill: the partner it is for and its billing cycle.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BillRef {
    pub partner: PartnerId,
    pub cycle: Cycle,
}

/// A holder's cash balance, as read (with its stored version) or as decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Balance {
    holder: Holder,
    amount: Money,
    version: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FundsError {
    /// The movement would take the balance below zero (B2.4.6–B2.4.9: the amount may not be
    /// more than the balance it comes from).
    #[error("insufficient balance: {available} available")]
    Insufficient { available: Money },
    #[error("the amount must be more than 0")]
    NotPositive,
    #[error("the amount is out of range")]
    OutOfRange,
    #[error("a transfer needs two different accounts")]
    SameAccount,
}

impl From<MoneyError> for FundsError {
    fn from(_: MoneyError) -> FundsError {
        FundsError::OutOfRange
    }
}

/// An invoice the operator issues to a partner for money received (B1.8.5, invoicing on
/// receipt): its amount is what was received, tax included; the tax it holds at the partner
/// country's rate is shown apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invoice {
    pub id: String,
    pub number: String,
    pub partner: PartnerId,
    /// The payment's ledger entry.
    pub entry: String,
    pub amount: Money,
    pub tax_rate: TaxRate,
    pub tax: Money,
    pub issued_at: Timestamp,
}

impl Invoice {
    /// The invoice for a payment entry on a partner's balance; `None` for any other entry.
    pub fn for_payment(
        id: String,
        number: String,
        entry: &Entry,
        rate: TaxRate,
    ) -> Result<Option<Invoice>, FundsError> {
        let (EntryKind::Payment, Holder::Partner(partner)) = (entry.kind, &entry.holder) else {
            return Ok(None);
        };
        Ok(Some(Invoice {
            id,
            number,
            partner: partner.clone(),
            entry: entry.id.clone(),
            amount: entry.amount,
            tax_rate: rate,
            tax: rate.included_in(entry.amount)?,
            issued_at: entry.at,
        }))
    }
}

/// What a movement is, apart from its amount: ids and time come in from the caller.
#[derive(Clone, Debug)]
pub struct Posting {
    pub id: String,
    pub transfer: String,
    pub at: Timestamp,
    pub memo: String,
}

impl Balance {
    /// A holder's balance before its first entry.
    pub fn opening(holder: Holder) -> Balance {
        Balance { holder, amount: Money::ZERO, version: 0 }
    }

    pub fn from_stored(holder: Holder, amount: Money, version: i64) -> Balance {
        Balance { holder, amount, version }
    }

    pub fn holder(&self) -> &Holder {
        &self.holder
    }

    pub fn amount(&self) -> Money {
        self.amount
    }

    /// The stored version this balance was read at: the store's check.
    pub fn version(&self) -> i64 {
        self.version
    }

    /// Posts `amount` (signed) to this balance and returns its ledger entry. Refused whole when
    /// it would leave the balance below zero.
    fn post(
        &mut self,
        kind: EntryKind,
        amount: Money,
        counterpart: Option<Holder>,
        posting: &Posting,
    ) -> Result<Entry, FundsError> {
        let after = self.amount.checked_add(amount)?;
        if after.is_negative() {
            return Err(FundsError::Insufficient { available: self.amount });
        }
        self.amount = after;
        Ok(Entry {
            id: posting.id.clone(),
            holder: self.holder.clone(),
            kind,
            amount,
            balance_after: after,
            transfer: posting.transfer.clone(),
            counterpart,
            bill: None,
            at: posting.at,
            memo: posting.memo.clone(),
        })
    }

    /// The operator records money received (R-QUOTA-07: a repayment, or an advance).
    pub fn receive(&mut self, amount: Money, posting: &Posting) -> Result<Entry, FundsError> {
        if amount <= Money::ZERO {
            return Err(FundsError::NotPositive);
        }
        self.post(EntryKind::Payment, amount, None, posting)
    }

    /// The operator corrects the balance by `amount` (either sign, not zero).
    pub fn adjust(&mut self, amount: Money, posting: &Posting) -> Result<Entry, FundsError> {
        if amount == Money::ZERO {
            return Err(FundsError::NotPositive);
        }
        self.post(EntryKind::Adjustment, amount, None, posting)
    }

    /// R-BILL-02: takes what it can of a closed month's amount due from the balance; returns
    /// the entry (none when nothing is taken) and the amount taken.
    pub fn deduct_due(&mut self, due: Money, posting: &Posting) -> Result<(Option<Entry>, Money), FundsError> {
        let taken = due.min(self.amount).max(Money::ZERO);
        if taken == Money::ZERO {
            return Ok((None, Money::ZERO));
        }
        let entry = self.post(EntryKind::BillDeduction, Money::ZERO.checked_sub(taken)?, None, posting)?;
        Ok((Some(entry), taken))
    }

    /// R-BILL-02, R-BILL-03: pays unpaid bills from the balance, oldest cycle first (then by
    /// partner), as far as the balance goes: one deduction entry per bill paid, naming it; the
    /// entries' ids are the posting's id with `-1`, `-2`, …. What stays is an advance
    /// (R-QUOTA-07).
    pub fn settle_bills(&mut self, unpaid: &[(BillRef, Money)], posting: &Posting) -> Result<Vec<Entry>, FundsError> {
        let mut bills: Vec<&(BillRef, Money)> = unpaid.iter().filter(|(_, m)| *m > Money::ZERO).collect();
        bills.sort_by(|a, b| (a.0.cycle, &a.0.partner).cmp(&(b.0.cycle, &b.0.partner)));
        let mut entries = Vec::new();
        for (bill, owed) in bills {
            let step = Posting { id: format!("{}-{}", posting.id, entries.len() + 1), ..posting.clone() };
            match self.deduct_due(*owed, &step)? {
                (Some(mut entry), _) => {
                    entry.bill = Some(bill.clone());
                    entries.push(entry);
                }
                (None, _) => break,
            }
        }
        Ok(entries)
    }
}

/// Moves `amount` from one balance to the other (B2.4.6–B2.4.9): an allocation down the
/// channel or a reclaim up it. Both entries share the posting's transfer id; the second entry's
/// id is the posting's id with `-2`. Refused whole when `from` has less than `amount`.
pub fn transfer(
    kind: EntryKind,
    from: &mut Balance,
    to: &mut Balance,
    amount: TransferAmount,
    posting: &Posting,
) -> Result<[Entry; 2], FundsError> {
    if from.holder == to.holder {
        return Err(FundsError::SameAccount);
    }
    let amount = amount.money();
    let out = from.post(kind, Money::ZERO.checked_sub(amount)?, Some(to.holder.clone()), posting)?;
    let second = Posting { id: format!("{}-2", posting.id), ..posting.clone() };
    let into = match to.post(kind, amount, Some(from.holder.clone()), &second) {
        Ok(entry) => entry,
        Err(e) => {
            // Undo the first side so that a refused transfer leaves both balances as they were.
            from.amount = from.amount.checked_add(amount)?;
            return Err(e);
        }
    };
    Ok([out, into])
}

/// When a reseller customer's association ends, its whole balance returns to the partner that
/// funded it (BSS `SOURCE_OPERATION_BEUNBIND`); nothing when the balance is empty.
pub fn unbind(
    customer: &mut Balance,
    partner: &mut Balance,
    posting: &Posting,
) -> Result<Option<[Entry; 2]>, FundsError> {
    let left = customer.amount;
    if left <= Money::ZERO {
        return Ok(None);
    }
    let out =
        customer.post(EntryKind::Unbind, Money::ZERO.checked_sub(left)?, Some(partner.holder.clone()), posting)?;
    let second = Posting { id: format!("{}-2", posting.id), ..posting.clone() };
    let into = partner.post(EntryKind::Unbind, left, Some(customer.holder.clone()), &second)?;
    Ok(Some([out, into]))
}

/// An amount moved down or up the channel, as the API accepts it (B2.4.6–B2.4.9): more than 0,
/// at most 2 decimals, at most [`TransferAmount::MAX_MAJOR`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TransferAmount(Money);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransferAmountError {
    #[error("must be a number with at most 2 decimals")]
    Malformed,
    #[error("must be more than 0 and at most 2147483647")]
    OutOfRange,
}

impl TransferAmount {
    pub const MAX_MAJOR: i64 = 2_147_483_647;

    pub fn parse(text: &str) -> Result<TransferAmount, TransferAmountError> {
        let money = Money::parse_with_scale(text, 2).map_err(|e| match e {
            MoneyError::OutOfRange => TransferAmountError::OutOfRange,
            MoneyError::TooPrecise { .. } | MoneyError::Malformed => TransferAmountError::Malformed,
        })?;
        TransferAmount::new(money)
    }

    pub fn new(money: Money) -> Result<TransferAmount, TransferAmountError> {
        let max = Money::from_major(Self::MAX_MAJOR).expect("the maximum transfer is a valid amount");
        if money <= Money::ZERO || money > max {
            return Err(TransferAmountError::OutOfRange);
        }
        if money.e8() % (Money::SCALE / 100) != 0 {
            return Err(TransferAmountError::Malformed);
        }
        Ok(TransferAmount(money))
    }

    pub fn money(self) -> Money {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    fn partner() -> Holder {
        Holder::Partner(PartnerId::parse("p1").unwrap())
    }

    fn customer() -> Holder {
        Holder::Customer(AccountId::parse("c1").unwrap())
    }

    fn posting() -> Posting {
        Posting {
            id: "e1".into(),
            transfer: "t1".into(),
            at: Timestamp::from_utc(2026, 6, 1, 0, 0, 0).unwrap(),
            memo: String::new(),
        }
    }

    fn amount(text: &str) -> TransferAmount {
        TransferAmount::parse(text).unwrap()
    }

    #[test]
    fn an_allocation_moves_the_amount_and_both_entries_mirror_each_other_b2_4_8() {
        let mut from = Balance::from_stored(partner(), money("100"), 3);
        let mut to = Balance::opening(customer());
        let [out, into] = transfer(EntryKind::Allocation, &mut from, &mut to, amount("40.5"), &posting()).unwrap();
        assert_eq!((from.amount(), to.amount()), (money("59.5"), money("40.5")));
        assert_eq!((out.amount, out.balance_after), (money("-40.5"), money("59.5")));
        assert_eq!((into.amount, into.balance_after), (money("40.5"), money("40.5")));
        assert_eq!((out.transfer.as_str(), into.transfer.as_str()), ("t1", "t1"));
        assert_eq!((out.id.as_str(), into.id.as_str()), ("e1", "e1-2"));
        assert_eq!(out.counterpart, Some(customer()));
        assert_eq!(into.counterpart, Some(partner()));
        assert_eq!(from.version(), 3, "the version read is kept for the store's check");
    }

    #[test]
    fn a_transfer_larger_than_the_balance_is_refused_whole_b2_4_6_b2_4_7() {
        let mut from = Balance::from_stored(customer(), money("10"), 1);
        let mut to = Balance::from_stored(partner(), money("5"), 1);
        let refused = transfer(EntryKind::Reclaim, &mut from, &mut to, amount("10.01"), &posting());
        assert_eq!(refused, Err(FundsError::Insufficient { available: money("10") }));
        assert_eq!((from.amount(), to.amount()), (money("10"), money("5")), "nothing moved");
        assert!(transfer(EntryKind::Reclaim, &mut from, &mut to, amount("10"), &posting()).is_ok());
        assert_eq!((from.amount(), to.amount()), (Money::ZERO, money("15")), "exactly the balance may go");
    }

    #[test]
    fn a_refused_receiving_side_leaves_both_balances_as_they_were() {
        let mut from = Balance::from_stored(partner(), money("10"), 1);
        let mut to = Balance::from_stored(customer(), Money::MAX, 1);
        let refused = transfer(EntryKind::Allocation, &mut from, &mut to, amount("1"), &posting());
        assert_eq!(refused, Err(FundsError::OutOfRange));
        assert_eq!((from.amount(), to.amount()), (money("10"), Money::MAX));
    }

    #[test]
    fn a_transfer_needs_two_accounts() {
        let mut a = Balance::from_stored(partner(), money("10"), 1);
        let mut b = a.clone();
        assert_eq!(
            transfer(EntryKind::Allocation, &mut a, &mut b, amount("1"), &posting()),
            Err(FundsError::SameAccount)
        );
    }

    #[test]
    fn transfer_amounts_are_positive_with_at_most_two_decimals_b2_4_8() {
        assert_eq!(amount("0.01").money(), money("0.01"));
        assert_eq!(amount("2147483647").money(), money("2147483647"));
        assert_eq!(TransferAmount::parse("0"), Err(TransferAmountError::OutOfRange));
        assert_eq!(TransferAmount::parse("-1"), Err(TransferAmountError::OutOfRange));
        assert_eq!(TransferAmount::parse("2147483647.01"), Err(TransferAmountError::OutOfRange));
        assert_eq!(TransferAmount::parse("1.001"), Err(TransferAmountError::Malformed));
        assert_eq!(TransferAmount::parse("ten"), Err(TransferAmountError::Malformed));
        assert_eq!(TransferAmount::new(money("0.005")), Err(TransferAmountError::Malformed));
    }

    #[test]
    fn a_payment_adds_and_an_advance_stays_on_the_balance_r_quota_07() {
        let mut balance = Balance::opening(partner());
        let entry = balance.receive(money("250.12345678"), &posting()).unwrap();
        assert_eq!(
            (entry.kind, entry.amount, entry.balance_after),
            (EntryKind::Payment, money("250.12345678"), money("250.12345678"))
        );
        assert_eq!(balance.receive(Money::ZERO, &posting()), Err(FundsError::NotPositive));
        assert_eq!(balance.receive(money("-1"), &posting()), Err(FundsError::NotPositive));
    }

    #[test]
    fn an_adjustment_goes_either_way_but_never_below_zero() {
        let mut balance = Balance::from_stored(partner(), money("3"), 0);
        assert_eq!(balance.adjust(money("-2"), &posting()).unwrap().balance_after, money("1"));
        assert_eq!(
            balance.adjust(money("-1.00000001"), &posting()),
            Err(FundsError::Insufficient { available: money("1") })
        );
        assert_eq!(balance.adjust(Money::ZERO, &posting()), Err(FundsError::NotPositive));
        assert_eq!(balance.adjust(money("0.5"), &posting()).unwrap().balance_after, money("1.5"));
    }

    #[test]
    fn a_closed_months_due_is_taken_from_the_balance_as_far_as_it_goes_r_bill_02() {
        let mut balance = Balance::from_stored(partner(), money("30"), 0);
        let (entry, taken) = balance.deduct_due(money("45.5"), &posting()).unwrap();
        assert_eq!(taken, money("30"));
        let entry = entry.unwrap();
        assert_eq!(
            (entry.kind, entry.amount, entry.balance_after),
            (EntryKind::BillDeduction, money("-30"), Money::ZERO)
        );
        assert_eq!(
            balance.deduct_due(money("15.5"), &posting()).unwrap(),
            (None, Money::ZERO),
            "an empty balance gives nothing"
        );
        let mut rich = Balance::from_stored(partner(), money("100"), 0);
        assert_eq!(rich.deduct_due(money("0.00000001"), &posting()).unwrap().1, money("0.00000001"));
        assert_eq!(rich.amount(), money("99.99999999"));
        assert_eq!(rich.deduct_due(Money::ZERO, &posting()).unwrap(), (None, Money::ZERO));
    }

    #[test]
    fn every_entry_kind_is_listed_once() {
        let mut kinds = EntryKind::ALL.to_vec();
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds.len(), EntryKind::ALL.len());
        assert!(EntryKind::Allocation.is_channel_transfer() && EntryKind::Reclaim.is_channel_transfer());
        assert!(!EntryKind::Payment.is_channel_transfer());
    }

    #[test]
    fn a_balance_pays_the_oldest_bills_first_and_keeps_the_rest_r_bill_02_r_quota_07() {
        let bill = |p: &str, cycle: i64| BillRef { partner: PartnerId::parse(p).unwrap(), cycle: Cycle(cycle) };
        let unpaid = [
            (bill("b", 202606), money("10")),
            (bill("a", 202606), money("5")),
            (bill("a", 202605), money("7.5")),
            (bill("a", 202604), Money::ZERO),
        ];
        let mut balance = Balance::from_stored(partner(), money("20"), 4);
        let entries = balance.settle_bills(&unpaid, &posting()).unwrap();
        let paid: Vec<_> = entries.iter().map(|e| (e.bill.clone().unwrap(), e.amount, e.id.clone())).collect();
        assert_eq!(
            paid,
            [
                (bill("a", 202605), money("-7.5"), "e1-1".to_owned()),
                (bill("a", 202606), money("-5"), "e1-2".to_owned()),
                (bill("b", 202606), money("-7.5"), "e1-3".to_owned()),
            ]
        );
        assert_eq!(balance.amount(), Money::ZERO);
        let mut rich = Balance::from_stored(partner(), money("100"), 0);
        let entries = rich.settle_bills(&unpaid, &posting()).unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(rich.amount(), money("77.5"), "the rest stays as an advance");
        let mut empty = Balance::opening(partner());
        assert!(empty.settle_bills(&unpaid, &posting()).unwrap().is_empty());
    }

    #[test]
    fn a_payment_is_invoiced_with_the_tax_it_includes_b1_8_5() {
        let mut balance = Balance::opening(partner());
        let payment = balance.receive(money("109"), &posting()).unwrap();
        let rate = TaxRate::parse("0.09").unwrap();
        let invoice = Invoice::for_payment("i1".into(), "INV1".into(), &payment, rate).unwrap().unwrap();
        assert_eq!((invoice.amount, invoice.tax, invoice.entry.as_str()), (money("109"), money("9"), "e1"));
        assert_eq!(invoice.partner, PartnerId::parse("p1").unwrap());
        let adjustment = balance.adjust(money("1"), &posting()).unwrap();
        assert_eq!(Invoice::for_payment("i2".into(), "INV2".into(), &adjustment, rate), Ok(None));
    }

    #[test]
    fn an_ended_association_returns_the_customers_whole_balance_to_its_partner() {
        let mut customer_balance = Balance::from_stored(customer(), money("40.25"), 2);
        let mut partner_balance = Balance::from_stored(partner(), money("10"), 5);
        let [out, into] = unbind(&mut customer_balance, &mut partner_balance, &posting()).unwrap().unwrap();
        assert_eq!((out.kind, out.amount, out.balance_after), (EntryKind::Unbind, money("-40.25"), Money::ZERO));
        assert_eq!((into.amount, into.balance_after), (money("40.25"), money("50.25")));
        assert!(EntryKind::Unbind.is_channel_transfer());
        assert_eq!(unbind(&mut customer_balance, &mut partner_balance, &posting()), Ok(None), "nothing left");
    }
}
