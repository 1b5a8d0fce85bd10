//! Partner discounts for referral customers (seeds 004 §8.1.10, §8.7.1, §11.2, §11.7, §11.10;
//! R-CPN-25 … R-CPN-33, R-RCM-13, A-09; BSS B1.6.3, B1.6.4, B2.9.2).
//!
//! The operator **authorizes** a partner, per product type (cloud service type), a scope: the
//! largest discount it may give, from a date ([`authorize`], R-CPN-25, R-CPN-26). Within it the
//! partner sets, for its referral customers only (R-CPN-27, R-RCM-13), a **general discount**
//! per product type — for one customer, or for all its referral customers — ([`set_general`]),
//! or a **special discount** on one pending order of one customer, the "price adjustment"
//! (discount type 609, [`set_special`]). The operator also keeps the **policy** of each
//! service type: whether a partner discount may apply to it at all (the whitelist of
//! "Product Discounts and Incentives", A-09) and its incentive policy ([`ServicePolicy`]); the
//! same data answers `list_incentive_discount_policies`.
//!
//! When a referral customer pays a pending order placed with its partner, the discounts that
//! apply are offered ([`offers`], R-CPN-33); the one chosen ([`choose`]) lowers each eligible
//! line by `list × rate`, rounded half away from zero to 10⁻⁸, and the amount due is list less
//! discount ([`AppliedLine`]). A special discount, when the order has one, must be used.
//!
//! Amounts are exact: i64 of 10⁻⁸ ([`Money`]), checked arithmetic, one rounding (the rate's
//! product, [`Discount::off`]).

use crate::association::AssociationModel;
use crate::bill::Discount;
use crate::ids::{AccountId, OrderId, PartnerId};
use crate::money::Money;
use crate::order::{Order, OrderStatus, Payment};
use crate::time::Timestamp;

/// Why a discount, a scope or a policy is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DiscountError {
    #[error("a product type (cloud service type) is required: discounts are set per product type (R-CPN-26)")]
    ServiceType,
    #[error("the discount must be more than 0 and at most 100%")]
    Rate,
    /// R-CPN-27, R-RCM-13.
    #[error(
        "no discount can be set for reseller customers: the partner sets their prices itself (R-CPN-27, R-RCM-13)"
    )]
    ResellerCustomer,
    #[error("customer {0} is not a referral customer of the partner")]
    NotReferralCustomer(String),
    /// R-CPN-25: no scope authorized for this product type, or not yet in force.
    #[error("the operator has not authorized a discount scope for {0} (R-CPN-25)")]
    NoScope(String),
    /// R-CPN-25: beyond the authorized scope.
    #[error("{asked} off is beyond the authorized scope of {max} off for {service_type} (R-CPN-25)")]
    BeyondScope { service_type: String, asked: String, max: String },
    /// the product type is not on the whitelist, or is excluded.
    #[error("partner discounts do not apply to {service_type}: {reason} (R-CPN-28, R-CPN-29, A-09)")]
    NotDiscountable { service_type: String, reason: Ineligible },
    #[error("the order is not pending payment")]
    OrderNotPending,
    #[error("the order was not placed by a referral customer of the discount's partner (R-CPN-25, R-CPN-27)")]
    OrderNotReferral,
    #[error("the order has no line the discount applies to")]
    NoEligibleLine,
    /// B1.6.4: a discount id that is not offered for the order.
    #[error("discount {0} is not usable for this order")]
    NotOffered(String),
    /// B1.6.4, discount type 609: an order with a price adjustment is paid with it.
    #[error("the order has a price adjustment (discount {0}, type 609): it must be used to pay the order")]
    AdjustmentRequired(String),
    #[error("an amount would pass the largest amount")]
    OutOfRange,
}

/// Why an order line takes no partner discount (R-CPN-28 … R-CPN-31, A-09).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Ineligible {
    /// R-CPN-29, A-09: exclusions win over the whitelist.
    #[error("{0} are excluded")]
    Excluded(Exclusion),
    /// the operator's list of applicable products does not name the product type.
    #[error("the product type is not on the list of products partner discounts apply to")]
    NotListed,
    /// R-CPN-31: the line already has a promotional or special-offer discount.
    #[error("a partner discount is not combined with promotional or special-offer discounts")]
    OtherDiscount,
}

/// What the seeds exclude from partner discounts whatever the list says (R-CPN-29, A-09).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Exclusion {
    /// Spot instances and Spot ECSs.
    Spot,
    /// KooGallery (marketplace) products.
    KooGallery,
    /// Open Cloud Service Alliance nodes.
    OcsaNode,
}

impl Exclusion {
    pub const ALL: [Exclusion; 3] = [Exclusion::Spot, Exclusion::KooGallery, Exclusion::OcsaNode];
}

impl std::fmt::Display for Exclusion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Exclusion::Spot => "spot instances",
            Exclusion::KooGallery => "KooGallery products",
            Exclusion::OcsaNode => "Open Cloud Service Alliance nodes",
        })
    }
}

/// B2.9.2 `incentive_policy`: how a product type's revenue counts for incentives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IncentivePolicy {
    NonSpecific,
    Specific,
    NoPerformanceNoRebate,
    PerformanceNoRebate,
}

impl IncentivePolicy {
    pub const ALL: [IncentivePolicy; 4] = [
        IncentivePolicy::NonSpecific,
        IncentivePolicy::Specific,
        IncentivePolicy::NoPerformanceNoRebate,
        IncentivePolicy::PerformanceNoRebate,
    ];
}

/// The operator's policy for one product type (A-09: "Product Discounts and Incentives" is the
/// authoritative, data-driven list). A product type without one takes no partner discount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePolicy {
    pub service_type: String,
    /// On the list of products partner discounts apply to.
    pub allow_discount: bool,
    pub incentive: IncentivePolicy,
    /// What the product type is, when the seeds exclude it (R-CPN-29): it never takes a partner
    /// discount, whatever `allow_discount` says (A-09: exclusions win).
    pub exclusion: Option<Exclusion>,
    pub updated_at: Timestamp,
}

impl ServicePolicy {
    pub fn new(
        service_type: &str,
        allow_discount: bool,
        incentive: IncentivePolicy,
        exclusion: Option<Exclusion>,
        at: Timestamp,
    ) -> Result<ServicePolicy, DiscountError> {
        Ok(ServicePolicy {
            service_type: product_type(service_type)?,
            allow_discount,
            incentive,
            exclusion,
            updated_at: at,
        })
    }

    /// B2.9.2 `allow_discount`: whether a partner discount may apply (exclusions win, A-09).
    pub fn allows_discount(&self) -> bool {
        self.allow_discount && self.exclusion.is_none()
    }
}

/// B2.9.2: whether partner discounts apply to a service type with `policy` (none: the service
/// type is not on the list, A-09).
pub fn allows_discount(policy: Option<&ServicePolicy>) -> bool {
    policy.is_some_and(ServicePolicy::allows_discount)
}

/// B2.9.2: a service type's incentive policy; one the operator has not set is non-specific.
pub fn incentive_of(policy: Option<&ServicePolicy>) -> IncentivePolicy {
    policy.map_or(IncentivePolicy::NonSpecific, |p| p.incentive)
}

/// How an order line is billed, for eligibility (R-CPN-28).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Billing {
    /// Yearly/monthly, any term: one-year and three-year RIs and normal one-year products are
    /// named as eligible (R-CPN-30), so the term does not exclude; the list decides.
    YearlyMonthly,
    PayPerUse,
    /// Resource packages.
    Package,
    /// Spot pricing (R-CPN-29): never eligible.
    Spot,
}

/// What eligibility looks at in an order line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineFacts<'a> {
    pub service_type: &'a str,
    pub billing: Billing,
    /// The line already carries a promotional or special-offer discount (R-CPN-31).
    pub other_discount: bool,
}

/// R-CPN-28 … R-CPN-31, A-09: whether a partner discount may apply to a line. Exclusions are
/// looked at first and win (spot billing, an excluded product type); then a line that already
/// has a promotional discount; then the operator's list (no policy, or not listed: no).
pub fn eligibility(line: &LineFacts<'_>, policy: Option<&ServicePolicy>) -> Result<(), Ineligible> {
    if line.billing == Billing::Spot {
        return Err(Ineligible::Excluded(Exclusion::Spot));
    }
    if let Some(exclusion) = policy.and_then(|p| p.exclusion) {
        return Err(Ineligible::Excluded(exclusion));
    }
    if line.other_discount {
        return Err(Ineligible::OtherDiscount);
    }
    match policy {
        Some(p) if p.service_type == line.service_type && p.allow_discount => Ok(()),
        Some(_) | None => Err(Ineligible::NotListed),
    }
}

fn product_type(service_type: &str) -> Result<String, DiscountError> {
    let s = service_type.trim();
    if s.is_empty() || s.chars().count() > 64 {
        return Err(DiscountError::ServiceType);
    }
    Ok(s.to_owned())
}

fn rate(off: Discount) -> Result<Discount, DiscountError> {
    if off == Discount::ZERO {
        return Err(DiscountError::Rate);
    }
    Ok(off)
}

/// The fraction of the list price a customer pays under `off` (Huawei's 折扣率 `discount_ratio`:
/// 0.85 for 15 % off).
pub fn payable(off: Discount) -> Discount {
    // `off` is at most 100 %, so the rest is a valid fraction.
    Discount::from_basis_points(10_000 - off.basis_points().min(10_000)).unwrap_or(Discount::ZERO)
}

/// R-CPN-25, R-CPN-26: the largest discount the operator lets a partner give on one product
/// type, from a time on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscountScope {
    pub partner: PartnerId,
    pub service_type: String,
    /// The largest fraction off the list price.
    pub max_off: Discount,
    /// From when discounts within it may be set and used.
    pub from: Timestamp,
    /// Who authorized it (the operator's staff).
    pub granted_by: String,
    pub updated_at: Timestamp,
    /// The store's optimistic-concurrency version (0: new).
    pub version: i64,
}

impl DiscountScope {
    fn admits(&self, service_type: &str, off: Discount, now: Timestamp) -> Result<(), DiscountError> {
        if self.service_type != service_type || now < self.from {
            return Err(DiscountError::NoScope(service_type.to_owned()));
        }
        if off > self.max_off {
            return Err(DiscountError::BeyondScope {
                service_type: service_type.to_owned(),
                asked: off.percent_text(),
                max: self.max_off.percent_text(),
            });
        }
        Ok(())
    }
}

/// R-CPN-25: whether `d` is within a scope its partner is authorized now (a discount beyond a
/// lowered scope, or before its start, is not usable).
pub fn in_scope(d: &PartnerDiscount, scopes: &[DiscountScope], now: Timestamp) -> bool {
    scopes.iter().any(|s| s.partner == d.partner && s.admits(&d.service_type, d.off, now).is_ok())
}

/// R-CPN-25, R-CPN-26: the operator authorizes `partner` up to `max_off` on `service_type`
/// from `from`; an existing scope of the pair is replaced (keeping its version for the
/// concurrency check). Discounts already set beyond a lowered scope stay, but are not offered
/// until they fit it again ([`offers`]).
pub fn authorize(
    existing: Option<DiscountScope>,
    partner: &PartnerId,
    service_type: &str,
    max_off: Discount,
    from: Timestamp,
    by: &str,
    now: Timestamp,
) -> Result<DiscountScope, DiscountError> {
    let service_type = product_type(service_type)?;
    let max_off = rate(max_off)?;
    let version = existing.filter(|e| e.partner == *partner && e.service_type == service_type).map_or(0, |e| e.version);
    Ok(DiscountScope {
        partner: partner.clone(),
        service_type,
        max_off,
        from,
        granted_by: by.to_owned(),
        updated_at: now,
        version,
    })
}

/// Which kind of partner discount (the wire's `discount_type` 3 and 609).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiscountKind {
    /// A general discount on a product type: for one referral customer, or (`None`) for every
    /// referral customer of the partner (R-CPN-25).
    General { customer: Option<AccountId> },
    /// A special discount on one pending order of one customer: the price adjustment (R-CPN-25,
    /// discount type 609).
    Special { customer: AccountId, order: OrderId },
}

/// A discount a partner set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerDiscount {
    pub id: String,
    pub partner: PartnerId,
    pub kind: DiscountKind,
    pub service_type: String,
    pub off: Discount,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

impl PartnerDiscount {
    /// The customer it is for; `None`: all the partner's referral customers.
    pub fn customer(&self) -> Option<&AccountId> {
        match &self.kind {
            DiscountKind::General { customer } => customer.as_ref(),
            DiscountKind::Special { customer, .. } => Some(customer),
        }
    }

    pub fn is_special(&self) -> bool {
        matches!(self.kind, DiscountKind::Special { .. })
    }

    /// Whether it is the same target as `kind` on `service_type` (setting it again replaces it).
    fn same_target(&self, kind: &DiscountKind, service_type: &str) -> bool {
        self.kind == *kind && self.service_type == service_type
    }
}

/// What a discount is set for: the partner, the customer with its model of association with
/// it (`None` for every referral customer), the product type and the rate.
pub struct DiscountRequest<'a> {
    pub partner: &'a PartnerId,
    pub customer: Option<(&'a AccountId, AssociationModel)>,
    pub service_type: &'a str,
    pub off: Discount,
}

fn check_request(
    r: &DiscountRequest<'_>,
    scope: Option<&DiscountScope>,
    policy: Option<&ServicePolicy>,
    now: Timestamp,
) -> Result<String, DiscountError> {
    let service_type = product_type(r.service_type)?;
    let off = rate(r.off)?;
    // R-CPN-27, R-RCM-13: referral customers only.
    if let Some((_, AssociationModel::Reseller)) = r.customer {
        return Err(DiscountError::ResellerCustomer);
    }
    let facts = LineFacts { service_type: &service_type, billing: Billing::YearlyMonthly, other_discount: false };
    if let Err(reason) = eligibility(&facts, policy) {
        return Err(DiscountError::NotDiscountable { service_type, reason });
    }
    let scope =
        scope.filter(|s| s.partner == *r.partner).ok_or_else(|| DiscountError::NoScope(service_type.clone()))?;
    scope.admits(&service_type, off, now)?;
    Ok(service_type)
}

fn upsert(
    id: String,
    existing: &[PartnerDiscount],
    partner: &PartnerId,
    kind: DiscountKind,
    service_type: String,
    off: Discount,
    now: Timestamp,
) -> PartnerDiscount {
    match existing.iter().find(|d| d.partner == *partner && d.same_target(&kind, &service_type)) {
        Some(d) => PartnerDiscount { off, updated_at: now, ..d.clone() },
        None => PartnerDiscount {
            id,
            partner: partner.clone(),
            kind,
            service_type,
            off,
            created_at: now,
            updated_at: now,
            version: 0,
        },
    }
}

/// R-CPN-25 … R-CPN-27: a general discount on a product type, for one referral customer or for
/// all (`request.customer` `None`), within the scope authorized for it and on a product type
/// partner discounts apply to. Setting it again for the same customer and product type
/// replaces the rate (`existing`: the partner's discounts).
pub fn set_general(
    id: String,
    existing: &[PartnerDiscount],
    request: &DiscountRequest<'_>,
    scope: Option<&DiscountScope>,
    policy: Option<&ServicePolicy>,
    now: Timestamp,
) -> Result<PartnerDiscount, DiscountError> {
    let service_type = check_request(request, scope, policy, now)?;
    let kind = DiscountKind::General { customer: request.customer.map(|(c, _)| c.clone()) };
    Ok(upsert(id, existing, request.partner, kind, service_type, request.off, now))
}

/// R-CPN-25 (discount type 609): a special discount — a price adjustment — on one order of a
/// referral customer, pending payment and placed with the partner, on one of its product types.
pub fn set_special(
    id: String,
    existing: &[PartnerDiscount],
    order: &Order,
    request: &DiscountRequest<'_>,
    scope: Option<&DiscountScope>,
    policy: Option<&ServicePolicy>,
    now: Timestamp,
) -> Result<PartnerDiscount, DiscountError> {
    let Some((customer, model)) = request.customer else {
        return Err(DiscountError::OrderNotReferral);
    };
    let service_type = check_request(request, scope, policy, now)?;
    if order.status() != OrderStatus::PendingPayment {
        return Err(DiscountError::OrderNotPending);
    }
    let current = Some((request.partner.clone(), model));
    referral_of(order, current.as_ref(), request.partner)?;
    if order.customer() != customer {
        return Err(DiscountError::OrderNotReferral);
    }
    if !order.lines().iter().any(|l| l.product().service_type == service_type) {
        return Err(DiscountError::NoEligibleLine);
    }
    let kind = DiscountKind::Special { customer: customer.clone(), order: order.id().clone() };
    Ok(upsert(id, existing, request.partner, kind, service_type, request.off, now))
}

/// R-CPN-25, R-CPN-27: the order was placed by a referral customer of `partner`, who still is
/// one (`current`: the customer's partner and model now).
fn referral_of(
    order: &Order,
    current: Option<&(PartnerId, AssociationModel)>,
    partner: &PartnerId,
) -> Result<(), DiscountError> {
    let referral = |link: Option<&(PartnerId, AssociationModel)>| matches!(link, Some((p, AssociationModel::Referral)) if p == partner);
    match (order.partner(), current) {
        (Some((_, AssociationModel::Reseller)), _) | (_, Some((_, AssociationModel::Reseller))) => {
            Err(DiscountError::ResellerCustomer)
        }
        (placed, now) if referral(placed) && referral(now) => Ok(()),
        _ => Err(DiscountError::OrderNotReferral),
    }
}

/// One order line under a discount: the price trace list → discount → due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedLine {
    pub line_id: String,
    pub list: Money,
    pub discount: Money,
    /// `list − discount`.
    pub due: Money,
}

/// A discount as it applies to one order: the lines it lowers (others are unchanged).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedDiscount {
    pub discount_id: String,
    pub special: bool,
    pub service_type: String,
    pub off: Discount,
    pub order: OrderId,
    pub lines: Vec<AppliedLine>,
}

impl AppliedDiscount {
    /// What it did to one line, if it lowered it.
    pub fn line(&self, line_id: &str) -> Option<&AppliedLine> {
        self.lines.iter().find(|l| l.line_id == line_id)
    }

    /// The order's amount due: its list total less the discount.
    pub fn order_due(&self, order: &Order) -> Result<Money, DiscountError> {
        let official = order.official().map_err(|_| DiscountError::OutOfRange)?;
        official.checked_sub(self.total()?).map_err(|_| DiscountError::OutOfRange)
    }

    /// The amount taken off the order.
    pub fn total(&self) -> Result<Money, DiscountError> {
        self.lines
            .iter()
            .try_fold(Money::ZERO, |sum, l| sum.checked_add(l.discount))
            .map_err(|_| DiscountError::OutOfRange)
    }
}

/// Applies `d` to `order`'s lines of its product type, each at `list × off` rounded half away
/// from zero to 10⁻⁸ ([`Discount::off`]).
fn apply(d: &PartnerDiscount, order: &Order, policy: Option<&ServicePolicy>) -> Result<AppliedDiscount, DiscountError> {
    let mut lines = vec![];
    for line in order.lines() {
        let facts = LineFacts {
            service_type: &line.product().service_type,
            billing: Billing::YearlyMonthly,
            other_discount: false,
        };
        if line.product().service_type != d.service_type || eligibility(&facts, policy).is_err() {
            continue;
        }
        let list = line.official();
        let discount = d.off.off(list).map_err(|_| DiscountError::OutOfRange)?;
        let due = list.checked_sub(discount).map_err(|_| DiscountError::OutOfRange)?;
        lines.push(AppliedLine { line_id: line.id().to_owned(), list, discount, due });
    }
    if lines.is_empty() {
        return Err(DiscountError::NoEligibleLine);
    }
    Ok(AppliedDiscount {
        discount_id: d.id.clone(),
        special: d.is_special(),
        service_type: d.service_type.clone(),
        off: d.off,
        order: order.id().clone(),
        lines,
    })
}

/// What [`offers`] weighs: the order, the customer's partner and model now, the partner's
/// discounts, scopes and the service types' policies.
pub struct Weighed<'a> {
    pub order: &'a Order,
    pub current: Option<&'a (PartnerId, AssociationModel)>,
    pub discounts: &'a [PartnerDiscount],
    pub scopes: &'a [DiscountScope],
    pub policies: &'a [ServicePolicy],
    pub now: Timestamp,
}

/// R-CPN-25 … R-CPN-33, B1.6.3: the discounts a referral customer may use to pay `order`: it
/// is pending payment and was placed by the customer while a referral customer of the
/// discount's partner, which it still is; the discount is for this customer (or all the
/// partner's referral customers; one for this customer wins over one for all on the same
/// product type) or, a special one, for this order; it is within the scope authorized now for
/// its product type; and at least one line of that product type is eligible. Special ones
/// first, then by product type. None for a reseller customer's order (R-CPN-27).
pub fn offers(w: &Weighed<'_>) -> Result<Vec<AppliedDiscount>, DiscountError> {
    if w.order.status() != OrderStatus::PendingPayment {
        return Ok(vec![]);
    }
    let mut found: Vec<(&PartnerDiscount, AppliedDiscount)> = vec![];
    for d in w.discounts {
        if referral_of(w.order, w.current, &d.partner).is_err() {
            continue;
        }
        let fits = match &d.kind {
            DiscountKind::General { customer } => customer.as_ref().is_none_or(|c| c == w.order.customer()),
            DiscountKind::Special { customer, order } => customer == w.order.customer() && order == w.order.id(),
        };
        if !fits || !in_scope(d, w.scopes, w.now) {
            continue;
        }
        let policy = w.policies.iter().find(|p| p.service_type == d.service_type);
        match apply(d, w.order, policy) {
            Ok(applied) => found.push((d, applied)),
            Err(DiscountError::NoEligibleLine) => continue,
            Err(e) => return Err(e),
        }
    }
    // One for this customer wins over one for all on the same product type.
    let specific: Vec<String> = found
        .iter()
        .filter(|(d, _)| matches!(&d.kind, DiscountKind::General { customer: Some(_) }))
        .map(|(d, _)| d.service_type.clone())
        .collect();
    found.retain(|(d, _)| {
        !matches!(&d.kind, DiscountKind::General { customer: None }) || !specific.contains(&d.service_type)
    });
    let mut offered: Vec<AppliedDiscount> = found.into_iter().map(|(_, a)| a).collect();
    offered.sort_by(|a, b| {
        (!a.special, &a.service_type, &a.discount_id).cmp(&(!b.special, &b.service_type, &b.discount_id))
    });
    Ok(offered)
}

/// B1.6.4: the discount a payment uses, from what is offered: `chosen` names one by id, and
/// `special` whether the caller named it as a price adjustment (type 609) rather than a
/// partner discount (type 3). An order with a price adjustment must be paid with it.
pub fn choose(
    offered: Vec<AppliedDiscount>,
    chosen: Option<(&str, bool)>,
) -> Result<Option<AppliedDiscount>, DiscountError> {
    let adjustment = offered.iter().find(|a| a.special).map(|a| a.discount_id.clone());
    match (chosen, adjustment) {
        (None, None) => Ok(None),
        (None, Some(required)) => Err(DiscountError::AdjustmentRequired(required)),
        (Some((id, special)), required) => {
            let found = offered.into_iter().find(|a| a.discount_id == id && a.special == special);
            match (found, required) {
                (Some(a), Some(required)) if a.discount_id != required => {
                    Err(DiscountError::AdjustmentRequired(required))
                }
                (Some(a), _) => Ok(Some(a)),
                (None, _) => Err(DiscountError::NotOffered(id.to_owned())),
            }
        }
    }
}

/// R-CPN-33 for payments no one makes by hand (reading in docs/discounts.md): a renewal paid as
/// it is placed, or an automatic renewal at expiry, has no payment page where the customer picks
/// "Partner Discounts", so it takes for the customer the general discount offered that takes the
/// most off (the first offered on a tie). Never a price adjustment: one is made for a pending
/// order a person pays.
pub fn for_automatic_payment(offered: Vec<AppliedDiscount>) -> Result<Option<AppliedDiscount>, DiscountError> {
    let mut best: Option<(Money, AppliedDiscount)> = None;
    for a in offered.into_iter().filter(|a| !a.special) {
        let off = a.total()?;
        if off > Money::ZERO && best.as_ref().is_none_or(|(b, _)| off > *b) {
            best = Some((off, a));
        }
    }
    Ok(best.map(|(_, a)| a))
}

/// B1.6.4: a payment under `applied`: the charge is the amount due, list less the discount, so
/// that the customer's spend and bills carry it (the lines' list prices stay the list prices;
/// the discount per line is the price trace, [`AppliedDiscount::lines`]).
pub fn discounted(mut payment: Payment, applied: &AppliedDiscount) -> Result<Payment, DiscountError> {
    assert_eq!(payment.order.id(), &applied.order, "a discount applies to the order it was decided for");
    let total = applied.total()?;
    payment.charge.amount = payment.charge.amount.checked_sub(total).map_err(|_| DiscountError::OutOfRange)?;
    Ok(payment)
}

/// A coupon's usage restrictions as far as partner discounts are concerned (R-CPN-11, R-CPN-32).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CouponTerms {
    /// The coupon may be used with a partner discount at all.
    pub with_partner_discount: bool,
    /// The lowest payable fraction ([`payable`]) the coupon accepts beside a discount: when
    /// every discounted line is paid at less than it, the two are not combined.
    pub min_payable: Option<Discount>,
}

/// R-CPN-11, R-CPN-32: whether a coupon with `terms` may be used together with `applied` on one order.
pub fn combinable_with_coupon(applied: &AppliedDiscount, terms: &CouponTerms) -> bool {
    if !terms.with_partner_discount {
        return false;
    }
    match terms.min_payable {
        None => true,
        Some(min) => payable(applied.off) >= min,
    }
}

#[cfg(test)]
mod tests;
