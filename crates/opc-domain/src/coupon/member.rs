//! EMA-7 (issue 16; B2.11.1, B2.11.5 … B2.11.7): an enterprise master gives part of its coupons
//! to its unified-accounting members and takes back what they have left.
//!
//! A customer's coupons here are its partner's coupons for that customer's spend alone
//! (R-CPN-06): they pay the partner's bill. A master's members in unified accounting are paid
//! for through their master (EMA-3), so their spend reaches the same partner's bill and a
//! coupon can pay it; an independent member pays its own bills, which no coupon here pays, so
//! it cannot be given one.
//!
//! - The coupons a master may give are its own: for its spend alone, open, with a balance, and
//!   not held for an order ([`givable`]).
//! - Giving `amount` (more than 0, whole cents, at most the balance) takes it from the master's
//!   coupon and issues the member a coupon of it: the same partner, kind, validity and limits,
//!   issued from the master's coupon ([`Coupon::parent`]) and from its quota, so that what
//!   expires unused goes back where the master's coupon would have sent it ([`give`]).
//! - Taking back returns the member's coupon's whole remaining balance to the master's coupon
//!   it came from, while both are open ([`take_back`]).

use super::{coupon_entry, negate, reclaimable, Coupon, CouponEntry, CouponEntryKind, CouponError, CouponStatus, Ids};
use crate::ids::AccountId;
use crate::money::Money;
use crate::time::Timestamp;

/// Whether `coupon` is one of `master`'s coupons it may give to a member at `at`.
pub fn givable(coupon: &Coupon, master: &AccountId, at: Timestamp) -> Result<(), CouponError> {
    if coupon.customer.as_ref() != Some(master) || coupon.parent.is_some() {
        return Err(CouponError::NotGivable("it is not one of the master's own coupons"));
    }
    if coupon.held_by.is_some() {
        return Err(CouponError::NotGivable("it pays an order until the order's month is billed"));
    }
    match coupon.status(at) {
        CouponStatus::Available | CouponStatus::NotActive => Ok(()),
        CouponStatus::Used => Err(CouponError::NotGivable("nothing is left of it")),
        CouponStatus::Expired => Err(CouponError::NotGivable("it has expired")),
        CouponStatus::Reclaimed => Err(CouponError::NotGivable("it was reclaimed")),
    }
}

/// What [`give`] decided: the member's new coupon and the two ledger entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Given {
    pub coupon: Coupon,
    pub entries: [CouponEntry; 2],
}

/// What a master gives: `amount` of one of its coupons to its `member`, with the new coupon's
/// memo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gift {
    pub master: AccountId,
    pub member: AccountId,
    pub amount: Money,
    pub memo: String,
}

/// EMA-7: the gift's amount of the master's coupon `from` becomes a coupon of the member's.
/// `out_id` is the master's entry's id (the caller derives it from the request's `trans_id`, so
/// the same request is written once).
pub fn give(
    ids: &mut impl Ids,
    from: &mut Coupon,
    gift: Gift,
    out_id: String,
    at: Timestamp,
) -> Result<Given, CouponError> {
    let Gift { master, member, amount, memo } = gift;
    givable(from, &master, at)?;
    let amount = super::cents_amount(amount)?;
    if from.balance < amount {
        return Err(CouponError::InsufficientBalance { balance: from.balance, needed: amount });
    }
    from.balance = from.balance.checked_sub(amount)?;
    from.last_used_at = Some(at);
    let coupon = Coupon {
        id: ids.next_id(),
        kind: from.kind,
        partner: from.partner.clone(),
        customer: Some(member),
        grantor: from.grantor.clone(),
        quota: from.quota.clone(),
        parent: Some(from.id.clone()),
        face_value: amount,
        balance: amount,
        validity: from.validity,
        limits: from.limits.clone(),
        memo,
        closure: None,
        held_by: None,
        created_at: at,
        last_used_at: None,
        version: 0,
    };
    let out = CouponEntry {
        id: out_id,
        ..coupon_entry(ids, from, CouponEntryKind::MemberGrant, negate(amount)?, &coupon.id, at)
    };
    let into = coupon_entry(ids, &coupon, CouponEntryKind::Issue, amount, &from.id, at);
    Ok(Given { coupon, entries: [out, into] })
}

/// EMA-7: the member's coupon `given`'s whole remaining balance goes back to the master's coupon
/// `to` it was given from. `into_id` is the master's entry's id (see [`give`]). Returns the
/// amount and the two entries.
pub fn take_back(
    ids: &mut impl Ids,
    given: &mut Coupon,
    to: &mut Coupon,
    into_id: String,
    at: Timestamp,
) -> Result<(Money, [CouponEntry; 2]), CouponError> {
    if given.parent.as_deref() != Some(to.id.as_str()) {
        return Err(CouponError::NotReclaimable("it was not given from this coupon"));
    }
    let amount = reclaimable(given, at)?;
    if to.closure.is_some() || to.status(at) == CouponStatus::Expired {
        return Err(CouponError::NotReclaimable("the coupon it was given from is closed"));
    }
    given.balance = Money::ZERO;
    given.closure = Some(super::Closure::Reclaimed);
    to.balance = to.balance.checked_add(amount)?;
    let out = coupon_entry(ids, given, CouponEntryKind::Reclaim, negate(amount)?, &to.id, at);
    let into =
        CouponEntry { id: into_id, ..coupon_entry(ids, to, CouponEntryKind::MemberReturn, amount, &given.id, at) };
    Ok((amount, [out, into]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coupon::{CouponKind, Grantor, Limits, Validity};
    use crate::ids::PartnerId;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_unix_ms(ms)
    }

    fn account(n: u8) -> AccountId {
        AccountId::from_random([n; 16])
    }

    fn masters_coupon(balance: &str) -> Coupon {
        let value = Money::parse(balance).unwrap();
        Coupon {
            id: "c-master".into(),
            kind: CouponKind::Cash,
            partner: PartnerId::from_random([9; 16]),
            customer: Some(account(1)),
            grantor: Grantor::Operator,
            quota: Some("q1".into()),
            parent: None,
            face_value: value,
            balance: value,
            validity: Validity::new(at(1_000), at(100_000)).unwrap(),
            limits: Limits::new(vec!["hws.service.type.ec2".into()], vec![]).unwrap(),
            memo: String::new(),
            closure: None,
            held_by: None,
            created_at: at(1_000),
            last_used_at: None,
            version: 3,
        }
    }

    fn gift(master: u8, amount: Money, memo: String) -> Gift {
        Gift { master: account(master), member: account(2), amount, memo }
    }

    fn ids() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("id{n}")
        }
    }

    fn money(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    #[test]
    fn ema_7_giving_moves_exact_cents_into_a_coupon_of_the_members_with_the_masters_terms() {
        let mut from = masters_coupon("100");
        let given = give(&mut ids(), &mut from, gift(1, money("30.25"), "m".into()), "out".into(), at(5_000)).unwrap();
        assert_eq!(from.balance, money("69.75"));
        let c = &given.coupon;
        assert_eq!((c.customer.as_ref(), c.parent.as_deref()), (Some(&account(2)), Some("c-master")));
        assert_eq!(
            (c.face_value, c.balance, c.validity, &c.limits),
            (money("30.25"), money("30.25"), from.validity, &from.limits)
        );
        assert_eq!(
            (c.partner.clone(), c.quota.as_deref(), c.kind),
            (from.partner.clone(), Some("q1"), CouponKind::Cash)
        );
        let [out, into] = &given.entries;
        assert_eq!(
            (out.id.as_str(), out.kind, out.amount, out.balance_after),
            ("out", CouponEntryKind::MemberGrant, money("-30.25"), money("69.75"))
        );
        assert_eq!((into.kind, into.amount, into.trade.as_str()), (CouponEntryKind::Issue, money("30.25"), "c-master"));
        assert_eq!(out.trade, c.id);
    }

    #[test]
    fn ema_7_never_more_than_the_balance_nor_fractions_of_a_cent_nor_anothers_coupon() {
        let give_ = |from: &mut Coupon, master: u8, amount: &str| {
            give(&mut ids(), from, gift(master, money(amount), String::new()), "o".into(), at(5_000)).map(|_| ())
        };
        let mut from = masters_coupon("10");
        assert_eq!(
            give_(&mut from, 1, "10.01"),
            Err(CouponError::InsufficientBalance { balance: money("10"), needed: money("10.01") })
        );
        assert_eq!(give_(&mut from, 1, "0.001"), Err(CouponError::Amount));
        assert_eq!(give_(&mut from, 1, "0"), Err(CouponError::Amount));
        assert!(matches!(give_(&mut from, 3, "1"), Err(CouponError::NotGivable(_))));
        assert_eq!(from.balance, money("10"), "a refusal changes nothing");
        assert_eq!(give_(&mut from, 1, "10"), Ok(()));
        assert!(matches!(give_(&mut from, 1, "1"), Err(CouponError::NotGivable("nothing is left of it"))));
        let mut held = Coupon { held_by: Some("order".into()), ..masters_coupon("10") };
        assert!(matches!(give_(&mut held, 1, "1"), Err(CouponError::NotGivable(_))));
        let mut expired = masters_coupon("10");
        assert!(givable(&expired, &account(1), at(100_000)).is_err());
        expired.closure = Some(crate::coupon::Closure::Reclaimed);
        assert!(givable(&expired, &account(1), at(5_000)).is_err());
    }

    #[test]
    fn ema_7_taking_back_returns_the_whole_rest_to_the_coupon_it_came_from_once() {
        let mut from = masters_coupon("100");
        let mut given =
            give(&mut ids(), &mut from, gift(1, money("40"), String::new()), "o".into(), at(5_000)).unwrap().coupon;
        given.balance = money("12.34567891"); // a bill deducted part of it
        let (amount, [out, into]) = take_back(&mut ids(), &mut given, &mut from, "back".into(), at(6_000)).unwrap();
        assert_eq!(amount, money("12.34567891"));
        assert_eq!(from.balance, money("72.34567891"));
        assert_eq!((given.balance, given.status(at(6_000))), (Money::ZERO, CouponStatus::Reclaimed));
        assert_eq!((out.kind, out.amount), (CouponEntryKind::Reclaim, money("-12.34567891")));
        assert_eq!(
            (into.id.as_str(), into.kind, into.amount, into.balance_after),
            ("back", CouponEntryKind::MemberReturn, amount, from.balance)
        );
        assert!(matches!(
            take_back(&mut ids(), &mut given, &mut from, "again".into(), at(6_000)),
            Err(CouponError::NotReclaimable(_))
        ));
        let mut other = Coupon { id: "c-other".into(), ..masters_coupon("1") };
        let mut given =
            give(&mut ids(), &mut from, gift(1, money("1"), String::new()), "o".into(), at(5_000)).unwrap().coupon;
        assert!(matches!(
            take_back(&mut ids(), &mut given, &mut other, "x".into(), at(6_000)),
            Err(CouponError::NotReclaimable("it was not given from this coupon"))
        ));
        from.closure = Some(crate::coupon::Closure::Reclaimed);
        assert!(matches!(
            take_back(&mut ids(), &mut given, &mut from, "x".into(), at(6_000)),
            Err(CouponError::NotReclaimable("the coupon it was given from is closed"))
        ));
    }
}
