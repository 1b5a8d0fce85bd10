//! Coupon quotas and cash coupons (seeds 004 §8.7; R-CPN-01 … R-CPN-14; BSS B1.5.1,
//! B2.5).
//!
//! The operator grants a partner a **coupon quota** ([`grant`]); a distributor passes part of
//! its quota to one of its resellers ([`issue_quota`]) and takes the rest of it back
//! ([`reclaim_quota`]); a partner issues **cash coupons** from a quota to its reseller customers
//! ([`issue_coupons`]) and reclaims what is left of them ([`reclaim_coupon`]); a coupon that
//! expires unused returns its balance to the quota it came from ([`expire_coupon`]). The
//! operator may also give a partner a coupon of its own, for all its reseller customers
//! ([`operator_coupon`]).
//!
//! A-08, R-CPN-04: since 2021 a partner's coupons are deducted centrally, from the partner's
//! monthly bill. A coupon a partner issues to a customer is therefore not the customer's money:
//! it is one of the partner's coupons that applies only to that customer's spend (R-CPN-06),
//! and it is deducted when the partner's bill is generated ([`deduct`]: every eligible coupon
//! valid in the cycle, customer-specific before general, R-CPN-03, R-CPN-09).
//!
//! Every movement is an entry in an append-only ledger ([`QuotaEntry`], [`CouponEntry`]); a
//! quota's or a coupon's balance is the sum of its entries and never goes below zero. Amounts
//! given by people (a quota, a face value) are whole cents; deductions keep 8 decimals
//! (R-BILL-07).

use crate::bill::Discount;
use crate::catalog::ChargingMode;
use crate::ids::{AccountId, PartnerId};
use crate::money::{Money, MoneyError};
use crate::time::Timestamp;

/// Why a coupon or quota movement is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CouponError {
    #[error("the amount must be more than 0 with at most 2 decimals")]
    Amount,
    #[error("the validity must end after it starts")]
    Validity,
    #[error("the validity must lie within the quota's ({from} to {to})")]
    ValidityOutsideQuota { from: String, to: String },
    #[error("at most {max} {what} may be listed")]
    TooManyLimits { what: &'static str, max: usize },
    #[error("{what} {value} is outside the quota's limits")]
    LimitOutsideQuota { what: &'static str, value: String },
    #[error("the quota is not usable: {0}")]
    QuotaNotUsable(&'static str),
    #[error("the quota's balance ({balance}) is less than {needed}")]
    InsufficientQuota { balance: Money, needed: Money },
    #[error("between 1 and {max} customers may be given coupons at once")]
    Customers { max: usize },
    #[error("the coupon cannot be reclaimed: {0}")]
    NotReclaimable(&'static str),
    #[error("the quota has no balance to reclaim")]
    NothingToReclaim,
    #[error("the quota {child} was not issued from {parent}")]
    NotChildQuota { child: String, parent: String },
    #[error("the coupon cannot pay this order: {0}")]
    NotForOrder(&'static str),
    #[error("an amount would pass the largest amount")]
    OutOfRange,
    #[error("the usage-limit ratio must be more than 0 and at most 1")]
    Share,
    /// EMA-7.
    #[error("the coupon cannot be given to a member: {0}")]
    NotGivable(&'static str),
    /// EMA-7.
    #[error("the coupon's balance ({balance}) is less than {needed}")]
    InsufficientBalance { balance: Money, needed: Money },
}

impl From<MoneyError> for CouponError {
    fn from(_: MoneyError) -> CouponError {
        CouponError::OutOfRange
    }
}

/// How many cloud service types, or products, a quota or coupon may be limited to.
pub const MAX_LIMITS: usize = 10;
/// B2.5.1: how many customers one call may give coupons to.
pub const MAX_CUSTOMERS: usize = 100;

/// A whole-cent amount of more than 0: a quota, a face value.
pub fn cents_amount(amount: Money) -> Result<Money, CouponError> {
    if amount <= Money::ZERO || amount.round_to_cents() != amount {
        return Err(CouponError::Amount);
    }
    Ok(amount)
}

/// From when to when a quota or coupon may be used: `[from, to)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validity {
    pub from: Timestamp,
    pub to: Timestamp,
}

impl Validity {
    pub fn new(from: Timestamp, to: Timestamp) -> Result<Validity, CouponError> {
        if to <= from {
            return Err(CouponError::Validity);
        }
        Ok(Validity { from, to })
    }

    pub fn contains(&self, at: Timestamp) -> bool {
        self.from <= at && at < self.to
    }

    fn within(&self, outer: &Validity) -> bool {
        outer.from <= self.from && self.to <= outer.to
    }

    /// Whether any instant of `[start, end)` is in it (R-CPN-03: valid in the billing cycle).
    pub fn overlaps(&self, start: Timestamp, end: Timestamp) -> bool {
        self.from < end && start < self.to
    }
}

/// What a quota or coupon may pay for: cloud service types and products, each list empty for
/// "any"; and, set by the operator on a coupon it gives (R-CPN-01, R-CPN-12), the billing modes
/// it pays (empty: both) and the largest share of each bill line, or order, it may pay (its
/// usage-limit ratio; `None`: all of it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    service_types: Vec<String>,
    products: Vec<String>,
    modes: Vec<ChargingMode>,
    max_share: Option<Discount>,
}

impl Limits {
    /// At most [`MAX_LIMITS`] of each, blanks dropped, sorted and without repeats.
    pub fn new(service_types: Vec<String>, products: Vec<String>) -> Result<Limits, CouponError> {
        let clean = |mut list: Vec<String>, what: &'static str| {
            list.retain(|s| !s.trim().is_empty());
            list.sort();
            list.dedup();
            if list.len() > MAX_LIMITS {
                return Err(CouponError::TooManyLimits { what, max: MAX_LIMITS });
            }
            Ok(list)
        };
        Ok(Limits {
            service_types: clean(service_types, "cloud service types")?,
            products: clean(products, "products")?,
            modes: vec![],
            max_share: None,
        })
    }

    /// Limited to the billing modes `modes` (none given: both).
    pub fn with_modes(mut self, mut modes: Vec<ChargingMode>) -> Limits {
        modes.sort();
        modes.dedup();
        self.modes = if modes.len() == 2 { vec![] } else { modes };
        self
    }

    /// Paying at most `share` of each bill line, or of an order (more than 0; `None`: all).
    pub fn with_max_share(mut self, share: Option<Discount>) -> Result<Limits, CouponError> {
        if share.is_some_and(|s| s.basis_points() == 0) {
            return Err(CouponError::Share);
        }
        self.max_share = share;
        Ok(self)
    }

    pub fn modes(&self) -> &[ChargingMode] {
        &self.modes
    }

    pub fn max_share(&self) -> Option<Discount> {
        self.max_share
    }

    /// Whether spend of billing mode `mode` may be paid with it.
    pub fn allows_mode(&self, mode: ChargingMode) -> bool {
        self.modes.is_empty() || self.modes.contains(&mode)
    }

    /// R-CPN-01: the most it may pay of `due` (all of it without a usage-limit ratio).
    pub fn cap(&self, due: Money) -> Result<Money, CouponError> {
        match self.max_share {
            None => Ok(due),
            Some(share) => Ok(share.off(due.max(Money::ZERO))?),
        }
    }

    pub fn service_types(&self) -> &[String] {
        &self.service_types
    }

    pub fn products(&self) -> &[String] {
        &self.products
    }

    /// B2.5.1: a coupon's limits inside its quota's. A list left empty inherits the quota's;
    /// a list given must be within the quota's when the quota has one.
    fn narrowed_to(&self, quota: &Limits) -> Result<Limits, CouponError> {
        let narrow = |own: &[String], outer: &[String], what: &'static str| {
            if own.is_empty() {
                return Ok(outer.to_vec());
            }
            match own.iter().find(|v| !outer.is_empty() && !outer.contains(v)) {
                Some(v) => Err(CouponError::LimitOutsideQuota { what, value: v.clone() }),
                None => Ok(own.to_vec()),
            }
        };
        Ok(Limits {
            service_types: narrow(&self.service_types, &quota.service_types, "cloud service type")?,
            products: narrow(&self.products, &quota.products, "product")?,
            modes: quota.modes.clone(),
            max_share: quota.max_share,
        })
    }

    /// Whether spend on `service_type` (of `product`, when known) may be paid with it. Spend
    /// whose product is not known (a bill line) is not paid by a product-limited coupon.
    pub fn allows(&self, service_type: &str, product: Option<&str>) -> bool {
        let service = self.service_types.is_empty() || self.service_types.iter().any(|s| s == service_type);
        let product = self.products.is_empty() || product.is_some_and(|p| self.products.iter().any(|q| q == p));
        service && product
    }
}

/// Who gave a quota or a coupon.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grantor {
    /// The cloud provider's staff (R-CPN-01).
    Operator,
    /// A partner: a distributor passing on quota, or a partner issuing coupons from its quota.
    Partner(PartnerId),
}

/// A quota's state (B2.5.4, B2.5.7 `quota_status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotaStatus {
    /// 0: coupons and quotas may be issued from it.
    Normal,
    /// 3: its validity has ended.
    Expired,
    /// 6: its distributor took its balance back.
    Reclaimed,
}

impl QuotaStatus {
    pub fn code(self) -> i32 {
        match self {
            QuotaStatus::Normal => 0,
            QuotaStatus::Expired => 3,
            QuotaStatus::Reclaimed => 6,
        }
    }
}

/// A coupon quota: the right to issue coupons (or pass quota on) up to its balance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CouponQuota {
    pub id: String,
    pub partner: PartnerId,
    /// The distributor's quota it was issued from; `None` for a quota the operator granted.
    pub parent: Option<String>,
    pub grantor: Grantor,
    /// What was granted (`quota_value`).
    pub value: Money,
    pub balance: Money,
    pub validity: Validity,
    pub limits: Limits,
    /// Its distributor reclaimed it ([`reclaim_quota`]).
    pub reclaimed: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// The store's optimistic-concurrency version: a quota decided from a stale read is
    /// refused.
    pub version: i64,
}

impl CouponQuota {
    pub fn status(&self, now: Timestamp) -> QuotaStatus {
        if now >= self.validity.to {
            QuotaStatus::Expired
        } else if self.reclaimed && self.balance == Money::ZERO {
            QuotaStatus::Reclaimed
        } else {
            QuotaStatus::Normal
        }
    }

    fn usable(&self, now: Timestamp) -> Result<(), CouponError> {
        match self.status(now) {
            QuotaStatus::Normal => Ok(()),
            QuotaStatus::Expired => Err(CouponError::QuotaNotUsable("it has expired")),
            QuotaStatus::Reclaimed => Err(CouponError::QuotaNotUsable("it was reclaimed")),
        }
    }

    fn take(&mut self, amount: Money, now: Timestamp) -> Result<(), CouponError> {
        if self.balance < amount {
            return Err(CouponError::InsufficientQuota { balance: self.balance, needed: amount });
        }
        self.balance = self.balance.checked_sub(amount)?;
        self.updated_at = now;
        Ok(())
    }

    fn give(&mut self, amount: Money, now: Timestamp) -> Result<(), CouponError> {
        self.balance = self.balance.checked_add(amount)?;
        self.updated_at = now;
        Ok(())
    }
}

/// What moved a quota's balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuotaEntryKind {
    /// The operator granted the quota.
    Grant,
    /// Quota passed from a distributor's quota to a reseller's (both sides: − on the parent,
    /// + on the child). B2.5.2 operation type 10.
    QuotaIssue,
    /// A reseller's remaining quota taken back by its distributor (− child, + parent). B2.5.2
    /// operation type 11.
    QuotaReclaim,
    /// A coupon issued from the quota (−).
    CouponIssue,
    /// A coupon's remaining balance reclaimed into the quota (+).
    CouponReclaim,
    /// An expired coupon's remaining balance returned to the quota (+).
    CouponExpiry,
    /// The quota's remaining balance converted into a coupon of the partner's (−, R-CPN-05).
    Conversion,
}

impl QuotaEntryKind {
    pub const ALL: [QuotaEntryKind; 7] = [
        QuotaEntryKind::Grant,
        QuotaEntryKind::QuotaIssue,
        QuotaEntryKind::QuotaReclaim,
        QuotaEntryKind::CouponIssue,
        QuotaEntryKind::CouponReclaim,
        QuotaEntryKind::CouponExpiry,
        QuotaEntryKind::Conversion,
    ];
}

/// One line of a quota's ledger. Written once, never changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotaEntry {
    pub id: String,
    pub quota: String,
    pub kind: QuotaEntryKind,
    /// Signed: more than 0 adds to the balance.
    pub amount: Money,
    pub balance_after: Money,
    /// The other quota of a quota movement, or the coupon of a coupon movement.
    pub counterpart: Option<String>,
    /// Shared by the two sides of a quota movement.
    pub transfer: String,
    pub at: Timestamp,
    /// The login name of who did it (the operator's staff, the partner's user).
    pub operator: String,
    pub remark: String,
}

/// A coupon's state (B1.5.1, B2.5.5 `status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CouponStatus {
    /// 1: its validity has not begun.
    NotActive,
    /// 2: it may be used.
    Available,
    /// 3: nothing is left of it.
    Used,
    /// 4: its validity has ended.
    Expired,
    /// 5: its issuer took back what was left.
    Reclaimed,
}

impl CouponStatus {
    pub const ALL: [CouponStatus; 5] = [
        CouponStatus::NotActive,
        CouponStatus::Available,
        CouponStatus::Used,
        CouponStatus::Expired,
        CouponStatus::Reclaimed,
    ];

    pub fn code(self) -> i32 {
        match self {
            CouponStatus::NotActive => 1,
            CouponStatus::Available => 2,
            CouponStatus::Used => 3,
            CouponStatus::Expired => 4,
            CouponStatus::Reclaimed => 5,
        }
    }

    pub fn from_code(code: i64) -> Option<CouponStatus> {
        CouponStatus::ALL.into_iter().find(|s| i64::from(s.code()) == code)
    }
}

/// How a coupon's life ended, when it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closure {
    Reclaimed,
    /// It expired and its balance went back to its quota.
    Expired,
}

/// Which money a coupon is (R-CPN-15): a cash coupon, or a test coupon ("practice &
/// demonstration coupon") given for testing services and resources. Both pay the partner's
/// bill the same way; what test coupons paid is kept apart on the bill, as it is not partner
/// revenue (R-CPN-19, R-INC-03).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CouponKind {
    Cash,
    Test,
}

impl CouponKind {
    pub const ALL: [CouponKind; 2] = [CouponKind::Cash, CouponKind::Test];
}

/// A coupon of a partner (R-CPN-12): it pays the partner's bills for its reseller customers'
/// spend — all of them, or only `customer`'s (R-CPN-06, R-CPN-09, R-CPN-16).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coupon {
    pub id: String,
    /// A cash coupon, or a test coupon ([`test_coupon`]).
    pub kind: CouponKind,
    /// The partner whose bill it pays.
    pub partner: PartnerId,
    /// The one reseller customer whose spend it pays; `None`: all the partner's.
    pub customer: Option<AccountId>,
    pub grantor: Grantor,
    /// The quota it was issued from, if any.
    pub quota: Option<String>,
    /// The enterprise master's coupon a member's coupon was given from (EMA-7, [`member`]).
    pub parent: Option<String>,
    pub face_value: Money,
    pub balance: Money,
    pub validity: Validity,
    pub limits: Limits,
    pub memo: String,
    pub closure: Option<Closure>,
    /// The order whose payment named it (R-CPN-02; B2.6.1 `used_by_order_id`): until the
    /// partner's bill of that order's month is generated, no other order may use it, it cannot
    /// be reclaimed, and it does not expire ([`order_use`]).
    pub held_by: Option<String>,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub version: i64,
}

impl Coupon {
    pub fn status(&self, now: Timestamp) -> CouponStatus {
        match self.closure {
            Some(Closure::Reclaimed) => CouponStatus::Reclaimed,
            Some(Closure::Expired) => CouponStatus::Expired,
            None if self.balance == Money::ZERO => CouponStatus::Used,
            None if now >= self.validity.to => CouponStatus::Expired,
            None if now < self.validity.from => CouponStatus::NotActive,
            None => CouponStatus::Available,
        }
    }
}

/// What moved a coupon's balance (B2.5.3 `trade_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CouponEntryKind {
    /// Issued: its face value (ADJUST, revenue).
    Issue,
    /// Deducted from a bill (DEDEUCT, expense).
    Deduct,
    /// Taken back by its issuer (COUPONCANCEL, expense).
    Reclaim,
    /// Expired; the balance went back to its quota (EXPIRED, expense).
    Expire,
    /// Given back because part of an order it paid was unsubscribed before taking effect
    /// (R-CPN-10; REFUND, revenue).
    Refund,
    /// Part of an enterprise master's coupon given to its member (EMA-7; COUPONADJUST, expense).
    MemberGrant,
    /// What was left of a member's coupon, back in the master's coupon it came from (EMA-7;
    /// COUPONCANCEL, revenue).
    MemberReturn,
}

impl CouponEntryKind {
    pub const ALL: [CouponEntryKind; 7] = [
        CouponEntryKind::Issue,
        CouponEntryKind::Deduct,
        CouponEntryKind::Reclaim,
        CouponEntryKind::Expire,
        CouponEntryKind::Refund,
        CouponEntryKind::MemberGrant,
        CouponEntryKind::MemberReturn,
    ];

    /// B2.5.3 `revenue_expense_type`: an issue, a refund or a member's return adds to its
    /// holder's coupons (revenue); every other movement takes from them (expense).
    pub fn is_revenue(self) -> bool {
        matches!(self, CouponEntryKind::Issue | CouponEntryKind::Refund | CouponEntryKind::MemberReturn)
    }
}

/// One line of a coupon's ledger. Written once, never changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CouponEntry {
    pub id: String,
    pub coupon: String,
    pub kind: CouponEntryKind,
    /// Signed: more than 0 adds to the balance.
    pub amount: Money,
    pub balance_after: Money,
    /// What it paid or came from: the bill (`partner:cycle`), the quota.
    pub trade: String,
    pub at: Timestamp,
}

/// Ids and the time of one decision: the domain has no randomness or clock of its own.
pub trait Ids {
    fn next_id(&mut self) -> String;
}

impl<F: FnMut() -> String> Ids for F {
    fn next_id(&mut self) -> String {
        self()
    }
}

/// Who acts, for the ledgers' `operator` and `remark`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Act {
    pub at: Timestamp,
    pub operator: String,
    pub remark: String,
}

fn quota_entry(
    ids: &mut impl Ids,
    quota: &CouponQuota,
    kind: QuotaEntryKind,
    amount: Money,
    counterpart: Option<&str>,
    transfer: &str,
    act: &Act,
) -> QuotaEntry {
    QuotaEntry {
        id: ids.next_id(),
        quota: quota.id.clone(),
        kind,
        amount,
        balance_after: quota.balance,
        counterpart: counterpart.map(str::to_owned),
        transfer: transfer.to_owned(),
        at: act.at,
        operator: act.operator.clone(),
        remark: act.remark.clone(),
    }
}

fn coupon_entry(
    ids: &mut impl Ids,
    coupon: &Coupon,
    kind: CouponEntryKind,
    amount: Money,
    trade: &str,
    at: Timestamp,
) -> CouponEntry {
    CouponEntry {
        id: ids.next_id(),
        coupon: coupon.id.clone(),
        kind,
        amount,
        balance_after: coupon.balance,
        trade: trade.to_owned(),
        at,
    }
}

/// R-CPN-01: the operator grants `partner` a quota of `value` (whole cents).
pub fn grant(
    ids: &mut impl Ids,
    partner: &PartnerId,
    value: Money,
    validity: Validity,
    limits: Limits,
    act: &Act,
) -> Result<(CouponQuota, QuotaEntry), CouponError> {
    let value = cents_amount(value)?;
    if validity.to <= act.at {
        return Err(CouponError::Validity);
    }
    let quota = CouponQuota {
        id: ids.next_id(),
        partner: partner.clone(),
        parent: None,
        grantor: Grantor::Operator,
        value,
        balance: value,
        validity,
        limits,
        reclaimed: false,
        created_at: act.at,
        updated_at: act.at,
        version: 0,
    };
    let transfer = ids.next_id();
    let entry = quota_entry(ids, &quota, QuotaEntryKind::Grant, value, None, &transfer, act);
    Ok((quota, entry))
}

/// B2.5.11 (R-DIST-02): a distributor passes `amount` of its quota `parent` to its reseller
/// `to`, as a new quota with the parent's validity and limits.
pub fn issue_quota(
    ids: &mut impl Ids,
    parent: &mut CouponQuota,
    to: &PartnerId,
    amount: Money,
    act: &Act,
) -> Result<(CouponQuota, [QuotaEntry; 2]), CouponError> {
    let amount = cents_amount(amount)?;
    parent.usable(act.at)?;
    parent.take(amount, act.at)?;
    let child = CouponQuota {
        id: ids.next_id(),
        partner: to.clone(),
        parent: Some(parent.id.clone()),
        grantor: Grantor::Partner(parent.partner.clone()),
        value: amount,
        balance: amount,
        validity: parent.validity,
        limits: parent.limits.clone(),
        reclaimed: false,
        created_at: act.at,
        updated_at: act.at,
        version: 0,
    };
    let transfer = ids.next_id();
    let out = quota_entry(ids, parent, QuotaEntryKind::QuotaIssue, negate(amount)?, Some(&child.id), &transfer, act);
    let into = quota_entry(ids, &child, QuotaEntryKind::QuotaIssue, amount, Some(&parent.id), &transfer, act);
    Ok((child, [out, into]))
}

fn negate(amount: Money) -> Result<Money, CouponError> {
    Ok(Money::ZERO.checked_sub(amount)?)
}

/// B2.5.9: what taking back a reseller's quota would return to its distributor's: its whole
/// remaining balance, if any is left.
pub fn quota_reclaimable(child: &CouponQuota) -> Result<Money, CouponError> {
    if child.balance <= Money::ZERO {
        return Err(CouponError::NothingToReclaim);
    }
    Ok(child.balance)
}

/// B2.5.9: a distributor takes back the whole remaining balance of `child`, which it issued
/// from `parent`; returns the amount and the two entries.
pub fn reclaim_quota(
    ids: &mut impl Ids,
    parent: &mut CouponQuota,
    child: &mut CouponQuota,
    act: &Act,
) -> Result<(Money, [QuotaEntry; 2]), CouponError> {
    if child.parent.as_deref() != Some(parent.id.as_str()) {
        return Err(CouponError::NotChildQuota { child: child.id.clone(), parent: parent.id.clone() });
    }
    let amount = quota_reclaimable(child)?;
    child.take(amount, act.at)?;
    child.reclaimed = true;
    parent.give(amount, act.at)?;
    let transfer = ids.next_id();
    let out = quota_entry(ids, child, QuotaEntryKind::QuotaReclaim, negate(amount)?, Some(&parent.id), &transfer, act);
    let into = quota_entry(ids, parent, QuotaEntryKind::QuotaReclaim, amount, Some(&child.id), &transfer, act);
    Ok((amount, [out, into]))
}

/// What a partner asks to issue (B2.5.1): a face value in whole cents, optionally a validity
/// and limits inside the quota's (none: the quota's), and a memo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CouponRequest {
    pub face_value: Money,
    /// From when it may be used; `None`: the quota's start (an operator's coupon: now).
    pub from: Option<Timestamp>,
    /// Until when; `None`: the quota's end (an operator's coupon must say).
    pub to: Option<Timestamp>,
    pub limits: Limits,
    pub memo: String,
}

/// Why one customer of a batch got no coupon.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a reseller-model customer of the quota's partner (B2.5.1: reseller customers only).
    NotResellerCustomer,
    /// The quota ran out before this customer's turn.
    InsufficientQuota,
}

/// What [`issue_coupons`] decided: the coupons and entries to write, and who got none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issued {
    pub coupons: Vec<Coupon>,
    pub quota_entries: Vec<QuotaEntry>,
    pub coupon_entries: Vec<CouponEntry>,
    pub refused: Vec<(AccountId, Refusal)>,
}

/// B2.5.1: issues one coupon of `request.face_value` from `quota` to each of `customers`
/// (at most [`MAX_CUSTOMERS`], in the order given; each paired with whether it is one of the
/// partner's reseller-model customers). The request is refused whole when it is malformed or
/// outside the quota; a customer who is not eligible, or whose turn comes after the quota ran
/// out, is refused alone.
pub fn issue_coupons(
    ids: &mut impl Ids,
    quota: &mut CouponQuota,
    request: &CouponRequest,
    customers: &[(AccountId, bool)],
    act: &Act,
) -> Result<Issued, CouponError> {
    if customers.is_empty() || customers.len() > MAX_CUSTOMERS {
        return Err(CouponError::Customers { max: MAX_CUSTOMERS });
    }
    let face_value = cents_amount(request.face_value)?;
    quota.usable(act.at)?;
    let validity = Validity::new(request.from.unwrap_or(quota.validity.from), request.to.unwrap_or(quota.validity.to))?;
    if !validity.within(&quota.validity) {
        return Err(CouponError::ValidityOutsideQuota {
            from: quota.validity.from.to_rfc3339(),
            to: quota.validity.to.to_rfc3339(),
        });
    }
    if validity.to <= act.at {
        return Err(CouponError::Validity);
    }
    let limits = request.limits.narrowed_to(&quota.limits)?;
    let mut issued = Issued { coupons: vec![], quota_entries: vec![], coupon_entries: vec![], refused: vec![] };
    for (customer, eligible) in customers {
        if !eligible {
            issued.refused.push((customer.clone(), Refusal::NotResellerCustomer));
            continue;
        }
        if quota.take(face_value, act.at).is_err() {
            issued.refused.push((customer.clone(), Refusal::InsufficientQuota));
            continue;
        }
        let coupon = Coupon {
            id: ids.next_id(),
            kind: CouponKind::Cash,
            partner: quota.partner.clone(),
            customer: Some(customer.clone()),
            grantor: Grantor::Partner(quota.partner.clone()),
            quota: Some(quota.id.clone()),
            parent: None,
            face_value,
            balance: face_value,
            validity,
            limits: limits.clone(),
            memo: request.memo.clone(),
            closure: None,
            held_by: None,
            created_at: act.at,
            last_used_at: None,
            version: 0,
        };
        let out = quota_entry(ids, quota, QuotaEntryKind::CouponIssue, negate(face_value)?, Some(&coupon.id), "", act);
        issued.quota_entries.push(QuotaEntry { transfer: out.id.clone(), ..out });
        issued.coupon_entries.push(coupon_entry(ids, &coupon, CouponEntryKind::Issue, face_value, &quota.id, act.at));
        issued.coupons.push(coupon);
    }
    Ok(issued)
}

/// R-CPN-05, R-CPN-06, R-CPN-07: what is left of `quota` becomes a cash coupon of its partner's
/// for all the partner's reseller customers, with the quota's limits and valid from now to the
/// quota's end: the quota's ledger takes the balance out (`Conversion`, naming the coupon) and
/// the coupon's ledger issues it (naming the quota), so the quota's history shows where it went.
/// The coupon is the partner's like any other (no quota to return to when it expires). Nothing
/// for a quota with no balance or that is no longer usable (expired, reclaimed).
pub fn convert_quota(
    ids: &mut impl Ids,
    quota: &mut CouponQuota,
    act: &Act,
) -> Result<Option<(Coupon, QuotaEntry, CouponEntry)>, CouponError> {
    if quota.balance <= Money::ZERO || quota.usable(act.at).is_err() {
        return Ok(None);
    }
    let amount = quota.balance;
    let coupon = Coupon {
        id: ids.next_id(),
        kind: CouponKind::Cash,
        partner: quota.partner.clone(),
        customer: None,
        grantor: quota.grantor.clone(),
        quota: None,
        parent: None,
        face_value: amount,
        balance: amount,
        validity: Validity::new(act.at, quota.validity.to)?,
        limits: quota.limits.clone(),
        memo: format!("Converted from coupon quota {}", quota.id),
        closure: None,
        held_by: None,
        created_at: act.at,
        last_used_at: None,
        version: 0,
    };
    quota.take(amount, act.at)?;
    let out = quota_entry(ids, quota, QuotaEntryKind::Conversion, negate(amount)?, Some(&coupon.id), "", act);
    let out = QuotaEntry { transfer: out.id.clone(), ..out };
    let issued = coupon_entry(ids, &coupon, CouponEntryKind::Issue, amount, &quota.id, act.at);
    Ok(Some((coupon, out, issued)))
}

/// R-CPN-01: the operator gives `partner` a coupon of its own, for all its reseller customers
/// (or only `customer`'s spend).
pub fn operator_coupon(
    ids: &mut impl Ids,
    partner: &PartnerId,
    customer: Option<AccountId>,
    request: &CouponRequest,
    act: &Act,
) -> Result<(Coupon, CouponEntry), CouponError> {
    let face_value = cents_amount(request.face_value)?;
    let validity = Validity::new(request.from.unwrap_or(act.at), request.to.ok_or(CouponError::Validity)?)?;
    if validity.to <= act.at {
        return Err(CouponError::Validity);
    }
    let coupon = Coupon {
        id: ids.next_id(),
        kind: CouponKind::Cash,
        partner: partner.clone(),
        customer,
        grantor: Grantor::Operator,
        quota: None,
        parent: None,
        face_value,
        balance: face_value,
        validity,
        limits: request.limits.clone(),
        memo: request.memo.clone(),
        closure: None,
        held_by: None,
        created_at: act.at,
        last_used_at: None,
        version: 0,
    };
    let entry = coupon_entry(ids, &coupon, CouponEntryKind::Issue, face_value, "", act.at);
    Ok((coupon, entry))
}

/// B2.5.10: what reclaiming `coupon` at `at` would return to its quota: its whole remaining
/// balance, while it is available or not yet active.
pub fn reclaimable(coupon: &Coupon, at: Timestamp) -> Result<Money, CouponError> {
    match coupon.status(at) {
        CouponStatus::Available | CouponStatus::NotActive if coupon.held_by.is_some() => {
            Err(CouponError::NotReclaimable("it pays an order until the order's month is billed"))
        }
        CouponStatus::Available | CouponStatus::NotActive => Ok(coupon.balance),
        CouponStatus::Used => Err(CouponError::NotReclaimable("nothing is left of it")),
        CouponStatus::Expired => Err(CouponError::NotReclaimable("it has expired")),
        CouponStatus::Reclaimed => Err(CouponError::NotReclaimable("it was already reclaimed")),
    }
}

/// B2.5.10: the issuer takes back the whole remaining balance of an available (or not yet
/// active) coupon into the quota it came from.
pub fn reclaim_coupon(
    ids: &mut impl Ids,
    coupon: &mut Coupon,
    quota: &mut CouponQuota,
    act: &Act,
) -> Result<(Money, QuotaEntry, CouponEntry), CouponError> {
    let amount = reclaimable(coupon, act.at)?;
    if coupon.quota.as_deref() != Some(quota.id.as_str()) {
        return Err(CouponError::NotReclaimable("it was not issued from a quota of this partner"));
    }
    coupon.balance = Money::ZERO;
    coupon.closure = Some(Closure::Reclaimed);
    quota.give(amount, act.at)?;
    let into = quota_entry(ids, quota, QuotaEntryKind::CouponReclaim, amount, Some(&coupon.id), "", act);
    let into = QuotaEntry { transfer: into.id.clone(), ..into };
    let out = coupon_entry(ids, coupon, CouponEntryKind::Reclaim, negate(amount)?, &quota.id, act.at);
    Ok((amount, into, out))
}

/// An expired coupon with a balance left gives it back to its quota (when it came from one),
/// and is closed; `None` when there is nothing to do.
pub fn expire_coupon(
    ids: &mut impl Ids,
    coupon: &mut Coupon,
    quota: Option<&mut CouponQuota>,
    act: &Act,
) -> Result<Option<(Option<QuotaEntry>, CouponEntry)>, CouponError> {
    // A coupon held for an order stays until the order's bill is generated (R-CPN-08: the
    // coupon was chosen when the order was paid, within its validity).
    if coupon.status(act.at) != CouponStatus::Expired || coupon.closure.is_some() || coupon.held_by.is_some() {
        return Ok(None);
    }
    let amount = coupon.balance;
    coupon.balance = Money::ZERO;
    coupon.closure = Some(Closure::Expired);
    let returned = match quota {
        Some(quota) if coupon.quota.as_deref() == Some(quota.id.as_str()) => {
            quota.give(amount, act.at)?;
            let e = quota_entry(ids, quota, QuotaEntryKind::CouponExpiry, amount, Some(&coupon.id), "", act);
            Some(QuotaEntry { transfer: e.id.clone(), ..e })
        }
        _ => None,
    };
    let out = coupon_entry(
        ids,
        coupon,
        CouponEntryKind::Expire,
        negate(amount)?,
        coupon.quota.as_deref().unwrap_or(""),
        act.at,
    );
    Ok(Some((returned, out)))
}

mod deduction;
pub mod member;
mod order_use;
pub mod test_coupon;
pub use deduction::{deduct, BillToPay, Deductions, HeldOrder, Payable};
pub use order_use::{
    hold_for_order, refund_after_bill, refund_on_hold, usable_for_order, CouponRefund, GivenBack, HoldState,
    NotForOrder, OrderHold, OrderLineToPay, OrderToPay, RefundedTo,
};

#[cfg(test)]
mod tests;
