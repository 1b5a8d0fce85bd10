//! B1.6.4: paying an order, weighed against the quota and an auto-freeze budget under a lock.

use opc_domain::association::AssociationModel;
use opc_domain::audit::Action;
use opc_domain::coupon::{self, Coupon, OrderHold, OrderLineToPay, OrderToPay};
use opc_domain::discount::{self, AppliedDiscount};
use opc_domain::order::{Order, Payment, PurchaseBlock, SpendLimit};
use opc_domain::usage::Cycle;
use opc_domain::{Money, MoneyError, OrderId, PartnerId};

use super::place::order_audit;
use super::scope::{order_in_scope, require_open, Scoped};
use super::{additions, OrderOpError};
use crate::ops::auth::Principal;
use crate::ops::discounts;
use crate::ops::usage::{weigh_budget, weigh_quota, IngestReport};
use crate::ops::Context;
use crate::store::{CouponQuery, Settlement, SpendScope, SpendWindow, Spent};

/// B1.6.4: pays a pending order, every instance at once (R-ORD-02). A purchase provisions its
/// resources; a renewal extends them. For a reseller customer the payment must fit the
/// partner's consumption quota (R-QUOTA-01) and a budget set to freeze at its limit,
/// weighed under a lock; then budget and quota notices follow as for usage.
///
/// `with` says what the payment uses besides the customer's money: a partner discount a
/// referral customer chose among those offered (R-CPN-33, B1.6.4); an order with a price
/// adjustment must use it. The charge is then the amount due, list less discount, and what
/// the discount took off each line is kept with the order.
pub async fn pay(
    ctx: &Context,
    principal: &Principal,
    order_id: &OrderId,
    with: &PayWith,
) -> Result<Order, OrderOpError> {
    let (order, scoped) = order_in_scope(ctx, principal, (order_id, None), true).await?;
    settle(ctx, order, &scoped, with).await
}

/// What a payment uses besides the customer's money.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PayWith {
    /// The partner discount chosen (B1.6.4 `discount_infos`).
    pub discount: Option<DiscountChoice>,
    /// The cash coupon chosen (B1.6.4 `coupon_infos`; one per order, A-07): held for the order
    /// and deducted from the partner's bill of the order's month (R-CPN-02, R-CPN-04).
    pub coupon: Option<String>,
    /// Paid with no one choosing (a renewal paid as it is placed, an automatic renewal): the
    /// best general discount offered is taken ([`discount::for_automatic_payment`]).
    pub automatic: bool,
    /// The customer's stored-value card chosen (B1.6.4 `coupon_infos` type 303; SVC-1, SVC-2):
    /// it pays what it can of the amount due, in the payment's transaction.
    pub card: Option<String>,
}

/// A discount named by a payment: its id and whether it was named as a price adjustment
/// (`discount_infos[].type` 609) rather than a partner-granted discount (type 3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscountChoice {
    pub id: String,
    pub special: bool,
}

/// The cash coupons a pending order may be paid with (B2.6.1): the order's partner's available
/// coupons for the order's customer, or for all its customers, that apply to every product of
/// the order and no other order holds (R-CPN-02, R-CPN-06); none for a referral or direct
/// customer's order. Newest first.
pub async fn coupon_offers(
    ctx: &Context,
    principal: &Principal,
    order_id: &OrderId,
) -> Result<Vec<Coupon>, OrderOpError> {
    let (order, scoped) = order_in_scope(ctx, principal, (order_id, None), false).await?;
    let Some(partner) = reseller_of(&scoped) else { return Ok(vec![]) };
    let lines = lines_to_pay(&order);
    let to_pay = order_to_pay(&order, partner, &lines);
    let now = ctx.clock.now();
    let query = CouponQuery { partner: Some(partner.clone()), open_only: true, ..CouponQuery::default() };
    let mut coupons = ctx.store.coupons(&query).await?;
    coupons.retain(|c| coupon::usable_for_order(c, &to_pay, now).is_ok());
    Ok(coupons)
}

/// The partner whose reseller customer `scoped` is, if it is one.
fn reseller_of(scoped: &Scoped) -> Option<&PartnerId> {
    scoped.link.as_ref().filter(|(_, m)| *m == AssociationModel::Reseller).map(|(p, _)| p.id())
}

/// The order's lines as a coupon sees them: service type, product (its spec) and list price.
fn lines_to_pay(order: &Order) -> Vec<OrderLineToPay<'_>> {
    order
        .lines()
        .iter()
        .map(|l| OrderLineToPay {
            service_type: &l.product().service_type,
            product: &l.product().spec,
            official: l.official(),
        })
        .collect()
}

/// `order` of `partner`'s reseller customer as a coupon sees it, billed under the order's
/// service type as the partner's bill sums orders.
fn order_to_pay<'a>(order: &'a Order, partner: &'a PartnerId, lines: &'a [OrderLineToPay<'a>]) -> OrderToPay<'a> {
    OrderToPay {
        id: order.id().as_str(),
        partner: Some(partner),
        customer: order.customer(),
        billed_under: order.service_type(),
        lines,
    }
}

/// R-CPN-02, A-07, A-08: the coupon a payment named, held for `order` whose charge falls in
/// `cycle`: one of the order's partner's, for a reseller customer's order only.
async fn hold_coupon(
    ctx: &Context,
    order: &Order,
    scoped: &Scoped,
    id: &str,
    cycle: Cycle,
) -> Result<(Coupon, OrderHold), OrderOpError> {
    let invalid = |reason: String| OrderOpError::Invalid { field: "coupon_infos[0].id".into(), reason };
    let Some(partner) = reseller_of(scoped) else {
        return Err(invalid(
            "cash coupons pay the orders of a partner's reseller customers only (A-08); this customer pays its own \
             orders"
                .into(),
        ));
    };
    let query = CouponQuery { partner: Some(partner.clone()), coupon: Some(id.to_owned()), ..CouponQuery::default() };
    let mut coupon = ctx.store.coupons(&query).await?.pop().ok_or_else(|| invalid(format!("{id:?} was not found")))?;
    let lines = lines_to_pay(order);
    let to_pay = order_to_pay(order, partner, &lines);
    let hold = coupon::hold_for_order(&mut coupon, &to_pay, cycle, ctx.clock.now())
        .map_err(|e| invalid(format!("{id:?}: {e}")))?;
    Ok((coupon, hold))
}

/// The discounts a pending order may be paid with (B1.6.3): none unless its customer is a
/// referral customer of the partner it was placed with (R-CPN-27).
pub async fn offers(
    ctx: &Context,
    principal: &Principal,
    order_id: &OrderId,
    indirect_partner: Option<&str>,
) -> Result<Vec<AppliedDiscount>, OrderOpError> {
    let (order, scoped) = order_in_scope(ctx, principal, (order_id, indirect_partner), false).await?;
    Ok(discounts::offers_for(ctx, &order, scoped.owner().as_ref()).await?)
}

/// Pays `order` for the customer `scoped` names, once it may buy (a renewal paid as it is
/// placed, an automatic renewal).
pub(super) async fn settle_payment(ctx: &Context, order: Order, scoped: &Scoped) -> Result<Order, OrderOpError> {
    settle(ctx, order, scoped, &PayWith { automatic: true, ..PayWith::default() }).await
}

async fn settle(ctx: &Context, order: Order, scoped: &Scoped, with: &PayWith) -> Result<Order, OrderOpError> {
    require_open(ctx, scoped).await?;
    let now = ctx.clock.now();
    let owner = scoped.owner();
    let offered = discounts::offers_for(ctx, &order, owner.as_ref()).await?;
    let applied = match with.automatic {
        true => discount::for_automatic_payment(offered)?,
        false => discount::choose(offered, with.discount.as_ref().map(|c| (c.id.as_str(), c.special)))?,
    };
    let payment = order.payment(owner, now, ctx.policy.billing_offset)?;
    let payment = match &applied {
        Some(a) => discount::discounted(payment, a)?,
        None => payment,
    };
    let Payment { order: paid, resources: new_resources, renewals, charge } = payment;
    let held = match &with.coupon {
        Some(_) if applied.is_some() => {
            return Err(OrderOpError::Invalid {
                field: "coupon_infos".into(),
                reason: "a partner discount (referral customers) and a cash coupon (reseller customers) are never \
                         both offered for one order"
                    .into(),
            })
        }
        Some(id) => Some(hold_coupon(ctx, &order, scoped, id, charge.cycle).await?),
        None => None,
    };
    let card = match (&with.card, &with.coupon) {
        (Some(_), Some(_)) => {
            return Err(OrderOpError::Invalid {
                field: "coupon_infos".into(),
                reason: "one coupon or stored-value card pays an order".into(),
            })
        }
        (Some(id), None) => Some(
            crate::ops::stored_value::pay_order(ctx, &paid, reseller_of(scoped).is_some(), id, applied.as_ref(), now)
                .await?,
        ),
        (None, _) => None,
    };
    let mut changed = Vec::with_capacity(renewals.len());
    for renewal in &renewals {
        let resource = ctx
            .store
            .resource(&renewal.resource)
            .await?
            .ok_or_else(|| OrderOpError::NotFound(format!("resource {}", renewal.resource)))?;
        changed.push(resource.renew(renewal, now)?);
    }
    let (amount, cycle) = (charge.amount, charge.cycle);
    let charges = [charge];
    let reseller = scoped.link.as_ref().filter(|(_, m)| *m == AssociationModel::Reseller).map(|(p, _)| p.clone());
    let budget = match &reseller {
        Some(p) => ctx.store.budget(paid.customer()).await?.filter(|b| *b.partner() == *p.id()),
        None => None,
    };
    let window = SpendWindow::of(budget.as_ref().map(|b| b.budget_type()), cycle);
    let spend_scope =
        SpendScope { customer: paid.customer().clone(), cycle, partner: reseller.as_ref().map(|p| p.id().clone()) };
    let quota = reseller.as_ref().map_or(Money::ZERO, |p| p.consumption_quota());
    let by_customer = !scoped.acted_by_partner();
    let check = |spent: &Spent| -> Result<Result<(), PurchaseBlock>, MoneyError> {
        let customer = window.spent(&spent.customer)?;
        let partner = spent.partner.used()?;
        let admit = || {
            if let Some(limit) = SpendLimit::quota(quota, partner) {
                // Issue 17: a customer paying itself is not shown its partner's quota figures.
                limit.admit(amount).map_err(|e| if by_customer { PurchaseBlock::PartnerQuota } else { e })?;
            }
            if let Some(limit) =
                budget.as_ref().and_then(|b| SpendLimit::budget(b.amount(), customer, b.auto_freeze() == Some(true)))
            {
                limit.admit(amount)?;
            }
            Ok(())
        };
        Ok(admit())
    };
    let audit = [order_audit(
        now,
        &paid,
        scoped,
        Action::OrderPaid,
        Some("status=pending_payment".into()),
        match &applied {
            Some(a) => format!("status=completed due={amount} discount={} discount_id={}", a.total()?, a.discount_id),
            None => match &held {
                Some((coupon, _)) => format!("status=completed official={amount} coupon={}", coupon.id),
                None => format!("status=completed official={amount}"),
            },
        } + &card.as_ref().map_or(String::new(), |c| format!(" card={} card_paid={}", c.card.id(), c.amount())),
    )];
    let (coupons, holds): (Vec<Coupon>, Vec<OrderHold>) = held.into_iter().unzip();
    // Issue #16: the purchase's resources that are resource packages, with their grants.
    let packages = if new_resources.is_empty() {
        vec![]
    } else {
        opc_domain::package::bought(&crate::ops::catalog::current(ctx).await?.1, &new_resources)
    };
    let settlement = Settlement {
        order: &paid,
        pending_version: Some(order.version()),
        new_resources: &new_resources,
        changed_resources: &changed,
        charges: &charges,
        additions: &additions(&charges)?,
        check: reseller.is_some().then_some((&spend_scope, &check as _)),
        discount: applied.as_ref(),
        coupons: &coupons,
        holds: &holds,
        given_back: None,
        cards: card.as_slice(),
        packages: &packages,
        audit: &audit,
    };
    if let Some(block) = ctx.store.settle_order(&settlement).await? {
        return Err(OrderOpError::Blocked(block));
    }
    // The payment stands; notices missed here are sent when the next spend is weighed.
    if let Err(e) = weigh(ctx, scoped).await {
        tracing::error!(order.id = %paid.id(), error = %e, "The budget and quota could not be weighed after a payment");
    }
    Ok(paid)
}

/// Budget and quota notices, the automatic freeze and the restriction, after a spend change.
async fn weigh(ctx: &Context, scoped: &Scoped) -> Result<(), OrderOpError> {
    let Some((partner, AssociationModel::Reseller)) = &scoped.link else { return Ok(()) };
    let mut report = IngestReport::default();
    let weighed = async {
        if let Some(budget) = ctx.store.budget(scoped.account.id()).await?.filter(|b| *b.partner() == *partner.id()) {
            let used = crate::ops::customers::budget_used(ctx, budget.customer(), Some(&budget)).await?;
            weigh_budget(ctx, &budget, used, &mut report).await?;
        }
        let used = crate::ops::accounts::quota_used(ctx, partner.id()).await?;
        weigh_quota(ctx, partner.id(), used, &mut report).await
    };
    weighed.await.map_err(|e| match e {
        crate::ops::usage::UsageOpError::Store(s) => OrderOpError::Store(s),
        other => OrderOpError::Rating(other.to_string()),
    })
}
