//! Stored-value cards (issue 15; B2.5.8 `list_stored_value_cards`, B1.6.4 `coupon_infos[].type`
//! 303): a customer's own prepaid money. The operator records a card a customer bought; the
//! customer pays its orders with it.
//!
//! A card's balance is the sum of its ledger entries (issue +face value, pay −amount naming the
//! order, refund +amount naming the order), never below zero, in checked arithmetic.
//!
//! Readings (docs/stored-value-cards.md):
//! - *SVC-1, who may pay with a card.* A card pays the orders of a customer who pays its own
//!   orders: a referral or direct customer. A reseller customer's orders are paid through its
//!   partner's bill, so no card is offered or accepted for them (as cash coupons are refused
//!   for referral customers, A-08).
//! - *SVC-2, how much a card pays.* At most the order's amount due (after a partner discount,
//!   which a card combines with) and at most its balance; the rest is paid as without a card.
//!   One card per payment. The card must be usable then: its validity contains the moment and
//!   its balance is above zero.
//! - *SVC-3, refunds (R-CPN-10 reading).* The card is the customer's own money: a refund of an
//!   order it paid goes back to the card up to what the card paid for that order, the rest as
//!   without a card.
//! - *A-16, R-INC-02:* payments for and with stored-value cards are no partner's revenue.

use crate::ids::{AccountId, OrderId};
use crate::money::Money;
use crate::time::Timestamp;

/// B2.5.8 `status` (`status_svc`): a card with money left is usable; one without is used up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardStatus {
    Usable,
    UsedUp,
}

impl CardStatus {
    pub const ALL: [CardStatus; 2] = [CardStatus::Usable, CardStatus::UsedUp];
}

/// What a card ledger entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardEntryKind {
    /// The card was bought: +face value.
    Issue,
    /// It paid (part of) an order: −amount.
    Pay,
    /// A refund of an order it paid came back to it: +amount.
    Refund,
}

impl CardEntryKind {
    pub const ALL: [CardEntryKind; 3] = [CardEntryKind::Issue, CardEntryKind::Pay, CardEntryKind::Refund];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("the card's name must be 1 to 64 characters")]
    Name,
    #[error("the face value must be more than 0 with at most 2 decimals")]
    FaceValue,
    #[error("the validity must end after it starts")]
    Validity,
    #[error("the card is not valid yet")]
    NotYetValid,
    #[error("the card has expired")]
    Expired,
    #[error("the card is used up: its balance is 0")]
    UsedUp,
    #[error(
        "stored-value cards pay the orders of customers who pay their own orders (referral and direct customers); \
         a reseller customer's orders are paid by its partner's bill"
    )]
    ResellerCustomer,
    #[error("the order has nothing to pay")]
    NothingDue,
    #[error("a refund to the card must be more than 0 and at most what the card paid for the order")]
    Refund,
    #[error("the amount is out of range")]
    Overflow,
}

/// A stored-value card: a customer's prepaid money, with its balance as its entries left it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredValueCard {
    id: String,
    name: String,
    customer: AccountId,
    face_value: Money,
    balance: Money,
    valid_from: Timestamp,
    valid_to: Timestamp,
    created_at: Timestamp,
    version: i64,
}

/// One movement of a card's balance. `amount` is signed: + issue and refund, − pay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardEntry {
    pub id: String,
    pub card: String,
    pub kind: CardEntryKind,
    pub amount: Money,
    pub balance_after: Money,
    /// The order paid or refunded.
    pub order: Option<OrderId>,
    pub at: Timestamp,
}

/// A card's payment of an order, or a refund to it: the card as it leaves it (stored only if
/// still at the version it was read at), its entry, and what it paid of each line of the order
/// (negative for a refund: what came back to it of each line of the unsubscription).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardPayment {
    pub card: StoredValueCard,
    pub entry: CardEntry,
    pub lines: Vec<(String, Money)>,
}

impl CardPayment {
    /// What the card paid: minus the entry's amount (negative for a refund).
    pub fn amount(&self) -> Money {
        Money::from_e8(-self.entry.amount.e8()).unwrap_or(Money::ZERO)
    }
}

/// The fields of a new card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCard<'a> {
    pub id: String,
    pub entry_id: String,
    pub name: &'a str,
    pub customer: AccountId,
    pub face_value: Money,
    pub valid_from: Timestamp,
    pub valid_to: Timestamp,
    pub at: Timestamp,
}

impl StoredValueCard {
    /// A card the customer bought, with its issue entry (+face value). The face value is whole
    /// cents and more than 0; the validity `[from, to)` is not empty.
    pub fn issue(new: NewCard<'_>) -> Result<(StoredValueCard, CardEntry), CardError> {
        let name = new.name.trim();
        if name.is_empty() || name.chars().count() > 64 {
            return Err(CardError::Name);
        }
        if new.face_value <= Money::ZERO || new.face_value.round_to_cents() != new.face_value {
            return Err(CardError::FaceValue);
        }
        if new.valid_to <= new.valid_from {
            return Err(CardError::Validity);
        }
        let card = StoredValueCard {
            id: new.id,
            name: name.to_owned(),
            customer: new.customer,
            face_value: new.face_value,
            balance: new.face_value,
            valid_from: new.valid_from,
            valid_to: new.valid_to,
            created_at: new.at,
            version: 0,
        };
        let entry = CardEntry {
            id: new.entry_id,
            card: card.id.clone(),
            kind: CardEntryKind::Issue,
            amount: new.face_value,
            balance_after: new.face_value,
            order: None,
            at: new.at,
        };
        Ok((card, entry))
    }

    /// A card as stored (the store's rows); `version` is its optimistic-concurrency version.
    #[allow(clippy::too_many_arguments)]
    pub fn from_stored(
        id: String,
        name: String,
        customer: AccountId,
        face_value: Money,
        balance: Money,
        validity: (Timestamp, Timestamp),
        created_at: Timestamp,
        version: i64,
    ) -> StoredValueCard {
        StoredValueCard {
            id,
            name,
            customer,
            face_value,
            balance,
            valid_from: validity.0,
            valid_to: validity.1,
            created_at,
            version,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn customer(&self) -> &AccountId {
        &self.customer
    }
    pub fn face_value(&self) -> Money {
        self.face_value
    }
    pub fn balance(&self) -> Money {
        self.balance
    }
    pub fn valid_from(&self) -> Timestamp {
        self.valid_from
    }
    pub fn valid_to(&self) -> Timestamp {
        self.valid_to
    }
    pub fn created_at(&self) -> Timestamp {
        self.created_at
    }
    pub fn version(&self) -> i64 {
        self.version
    }

    /// The card once written: its version moved on, for a further change in the same write.
    pub fn saved(&self) -> StoredValueCard {
        StoredValueCard { version: self.version + 1, ..self.clone() }
    }

    /// B2.5.8 `status`: usable while money is left, used up at 0.
    pub fn status(&self) -> CardStatus {
        if self.balance > Money::ZERO {
            CardStatus::Usable
        } else {
            CardStatus::UsedUp
        }
    }

    /// SVC-2: whether the card may pay at `now`: within its validity `[from, to)` and with money
    /// left.
    pub fn usable_at(&self, now: Timestamp) -> Result<(), CardError> {
        if now < self.valid_from {
            return Err(CardError::NotYetValid);
        }
        if now >= self.valid_to {
            return Err(CardError::Expired);
        }
        if self.balance <= Money::ZERO {
            return Err(CardError::UsedUp);
        }
        Ok(())
    }

    /// SVC-2: the card pays `order`, whose lines are due `lines` (line id, amount due after any
    /// partner discount), at `now`: as much as its balance and the amount due allow, the lines
    /// in their order. The card's balance falls by what it paid; its version stays the one it
    /// was read at, so the store writes it only if no one changed it since.
    pub fn pay(
        &self,
        entry_id: String,
        order: &OrderId,
        lines: &[(String, Money)],
        now: Timestamp,
    ) -> Result<CardPayment, CardError> {
        self.usable_at(now)?;
        let mut due = Money::ZERO;
        for (_, d) in lines {
            due = due.checked_add(*d).map_err(|_| CardError::Overflow)?;
        }
        if due <= Money::ZERO {
            return Err(CardError::NothingDue);
        }
        let paid = due.min(self.balance);
        let mut card = self.clone();
        card.balance = self.balance.checked_sub(paid).map_err(|_| CardError::Overflow)?;
        let entry = CardEntry {
            id: entry_id,
            card: self.id.clone(),
            kind: CardEntryKind::Pay,
            amount: Money::from_e8(-paid.e8()).map_err(|_| CardError::Overflow)?,
            balance_after: card.balance,
            order: Some(order.clone()),
            at: now,
        };
        Ok(CardPayment { card, entry, lines: allocate(paid, lines)? })
    }

    /// SVC-3: `amount` of a refund of `order` goes back to the card, which paid `paid_left` of
    /// that order not yet refunded to it: at most that. Validity does not matter: the money is
    /// the customer's.
    pub fn refund(
        &self,
        entry_id: String,
        order: &OrderId,
        amount: Money,
        paid_left: Money,
        now: Timestamp,
    ) -> Result<(StoredValueCard, CardEntry), CardError> {
        if amount <= Money::ZERO || amount > paid_left {
            return Err(CardError::Refund);
        }
        let mut card = self.clone();
        card.balance = self.balance.checked_add(amount).map_err(|_| CardError::Overflow)?;
        let entry = CardEntry {
            id: entry_id,
            card: self.id.clone(),
            kind: CardEntryKind::Refund,
            amount,
            balance_after: card.balance,
            order: Some(order.clone()),
            at: now,
        };
        Ok((card, entry))
    }
}

/// SVC-1: whether a customer may pay with a card: not a reseller customer (`reseller` is whether
/// its orders are paid by a partner's bill).
pub fn accepted_for(reseller: bool) -> Result<(), CardError> {
    if reseller {
        return Err(CardError::ResellerCustomer);
    }
    Ok(())
}

/// What `paid` covers of `lines` (line id, amount due), the lines in order, each up to its due;
/// lines it does not reach are left out.
pub fn allocate(paid: Money, lines: &[(String, Money)]) -> Result<Vec<(String, Money)>, CardError> {
    let mut left = paid;
    let mut out = Vec::new();
    for (id, due) in lines {
        if left <= Money::ZERO {
            break;
        }
        let part = (*due).max(Money::ZERO).min(left);
        if part > Money::ZERO {
            out.push((id.clone(), part));
            left = left.checked_sub(part).map_err(|_| CardError::Overflow)?;
        }
    }
    Ok(out)
}

/// A card's balance from its entries: their sum, in checked arithmetic; a sum below 0 is no
/// valid ledger.
pub fn balance_of(entries: &[CardEntry]) -> Result<Money, CardError> {
    let mut sum = Money::ZERO;
    for e in entries {
        sum = sum.checked_add(e.amount).map_err(|_| CardError::Overflow)?;
        if sum.is_negative() {
            return Err(CardError::Overflow);
        }
    }
    Ok(sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(day: u32) -> Timestamp {
        Timestamp::from_utc(2026, 12, day, 0, 0, 0).unwrap()
    }

    fn m(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    fn card(face: &str) -> StoredValueCard {
        let (card, _) = StoredValueCard::issue(NewCard {
            id: "svc1".into(),
            entry_id: "e1".into(),
            name: "Prepaid 2026",
            customer: AccountId::parse("cust1").unwrap(),
            face_value: m(face),
            valid_from: t(1),
            valid_to: t(31),
            at: t(1),
        })
        .unwrap();
        card
    }

    fn order() -> OrderId {
        OrderId::parse("CS2612011200AAAAA").unwrap()
    }

    #[test]
    fn svc_issue_credits_the_face_value_and_checks_its_fields() {
        let (c, e) = StoredValueCard::issue(NewCard {
            id: "svc1".into(),
            entry_id: "e1".into(),
            name: "  Prepaid  ",
            customer: AccountId::parse("cust1").unwrap(),
            face_value: m("100.5"),
            valid_from: t(1),
            valid_to: t(2),
            at: t(1),
        })
        .unwrap();
        assert_eq!((c.name(), c.balance(), c.status()), ("Prepaid", m("100.5"), CardStatus::Usable));
        assert_eq!((e.kind, e.amount, e.balance_after), (CardEntryKind::Issue, m("100.5"), m("100.5")));
        let base = NewCard {
            id: "x".into(),
            entry_id: "y".into(),
            name: "n",
            customer: AccountId::parse("cust1").unwrap(),
            face_value: m("1"),
            valid_from: t(1),
            valid_to: t(2),
            at: t(1),
        };
        let check = |new: NewCard<'_>, want: CardError| assert_eq!(StoredValueCard::issue(new).unwrap_err(), want);
        check(NewCard { face_value: m("0"), ..base.clone() }, CardError::FaceValue);
        check(NewCard { face_value: m("-1"), ..base.clone() }, CardError::FaceValue);
        check(NewCard { face_value: m("1.001"), ..base.clone() }, CardError::FaceValue);
        check(NewCard { name: " ", ..base.clone() }, CardError::Name);
        check(NewCard { name: &"x".repeat(65), ..base.clone() }, CardError::Name);
        check(NewCard { valid_to: t(1), ..base }, CardError::Validity);
    }

    #[test]
    fn svc2_a_card_pays_at_most_the_amount_due_lines_in_order() {
        let c = card("100");
        let lines = [("l1".to_owned(), m("30.12345678")), ("l2".to_owned(), m("20"))];
        let p = c.pay("e2".into(), &order(), &lines, t(5)).unwrap();
        assert_eq!(p.amount(), m("50.12345678"));
        assert_eq!(p.card.balance(), m("49.87654322"));
        assert_eq!(p.card.version(), c.version());
        assert_eq!(p.entry.amount, m("-50.12345678"));
        assert_eq!(p.entry.order, Some(order()));
        assert_eq!(p.lines, lines.to_vec());
    }

    #[test]
    fn svc2_a_card_pays_at_most_its_balance_the_rest_is_paid_as_today() {
        let c = card("40");
        let lines = [("l1".to_owned(), m("30")), ("l2".to_owned(), m("20")), ("l3".to_owned(), m("5"))];
        let p = c.pay("e2".into(), &order(), &lines, t(5)).unwrap();
        assert_eq!(p.amount(), m("40"));
        assert_eq!((p.card.balance(), p.card.status()), (Money::ZERO, CardStatus::UsedUp));
        assert_eq!(p.lines, vec![("l1".to_owned(), m("30")), ("l2".to_owned(), m("10"))]);
        // Used up: it pays nothing more.
        assert_eq!(p.card.pay("e3".into(), &order(), &lines, t(6)).unwrap_err(), CardError::UsedUp);
    }

    #[test]
    fn svc2_a_card_pays_only_within_its_validity() {
        let c = card("40");
        let lines = [("l1".to_owned(), m("1"))];
        let at = |ts| c.pay("e".into(), &order(), &lines, ts).map(|_| ());
        assert_eq!(at(Timestamp::from_utc(2026, 11, 30, 23, 59, 59).unwrap()), Err(CardError::NotYetValid));
        assert_eq!(at(t(1)), Ok(()));
        assert_eq!(at(t(31)), Err(CardError::Expired));
        assert_eq!(c.pay("e".into(), &order(), &[("l".into(), Money::ZERO)], t(2)).unwrap_err(), CardError::NothingDue);
    }

    #[test]
    fn svc1_no_card_for_reseller_customers() {
        assert_eq!(accepted_for(true), Err(CardError::ResellerCustomer));
        assert_eq!(accepted_for(false), Ok(()));
    }

    #[test]
    fn svc3_a_refund_returns_at_most_what_the_card_paid() {
        let c = card("40");
        let p = c.pay("e2".into(), &order(), &[("l1".to_owned(), m("25"))], t(5)).unwrap();
        let (after, e) = p.card.refund("e3".into(), &order(), m("10"), p.amount(), t(30)).unwrap();
        assert_eq!((after.balance(), e.amount, e.kind), (m("25"), m("10"), CardEntryKind::Refund));
        assert_eq!(p.card.refund("e3".into(), &order(), m("25.00000001"), m("25"), t(6)), Err(CardError::Refund));
        assert_eq!(p.card.refund("e3".into(), &order(), Money::ZERO, m("25"), t(6)), Err(CardError::Refund));
    }

    #[test]
    fn svc_balance_is_the_sum_of_the_entries() {
        let (c, issue) = StoredValueCard::issue(NewCard {
            id: "svc1".into(),
            entry_id: "e1".into(),
            name: "n",
            customer: AccountId::parse("cust1").unwrap(),
            face_value: m("10"),
            valid_from: t(1),
            valid_to: t(2),
            at: t(1),
        })
        .unwrap();
        let p = c.pay("e2".into(), &order(), &[("l".into(), m("3.3"))], t(1)).unwrap();
        let entries = [issue.clone(), p.entry.clone()];
        assert_eq!(balance_of(&entries), Ok(p.card.balance()));
        assert_eq!(balance_of(&[p.entry]), Err(CardError::Overflow));
    }

    #[test]
    fn svc_allocate_skips_lines_with_nothing_due() {
        let lines = [("a".to_owned(), Money::ZERO), ("b".to_owned(), m("2")), ("c".to_owned(), m("2"))];
        assert_eq!(allocate(m("3"), &lines).unwrap(), vec![("b".to_owned(), m("2")), ("c".to_owned(), m("1"))]);
        assert_eq!(allocate(Money::ZERO, &lines).unwrap(), vec![]);
    }
}
