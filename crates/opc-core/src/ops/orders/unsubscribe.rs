//! B1.7.6: unsubscribing resources, with their refunds.

use std::collections::BTreeMap;

use opc_domain::audit::Action;
use opc_domain::coupon::{self, Act, Coupon, GivenBack, HoldState, OrderHold, RefundedTo};
use opc_domain::order::{unsubscribe as refunds_of, Order, OrderLine, Refund, Resource, Unsubscribe};
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Money, OrderId, Timestamp};

use super::place::{new_order_id, order_audit};
use super::scope::{children_of, main_resources, Scoped};
use super::{additions, Failure, OrderOpError};
use crate::ops::auth::Principal;
use crate::ops::Context;
use crate::store::{Charge, CouponQuery, Settlement};

/// A resource an unsubscription changes: its refunds and its expiry after.
type Planned = (Resource, Vec<Refund>, Timestamp);

/// B1.7.6: unsubscribes main resources with their children: one completed unsubscription order
/// per customer, whose lines refund each term (R-CPN-10 for what is refunded whole) and record
/// the consumed part. The refund lowers the customer's spend in the current cycle (R-RCM-17).
/// Unsubscribing is allowed to a frozen customer: it stops fees rather than incurring them.
pub async fn unsubscribe(
    ctx: &Context,
    principal: &Principal,
    ids: &[String],
    kind: Unsubscribe,
) -> Result<(Vec<OrderId>, Vec<Failure>), OrderOpError> {
    let (settled, failures) = settle_unsubscriptions(ctx, principal, ids, kind, Action::ResourcesUnsubscribed).await?;
    Ok((settled.into_iter().map(|(order, _)| order).collect(), failures))
}

/// B2.7.1: yearly/monthly resources become pay-per-use now: each is closed with its renewals as
/// an unsubscription would, the unused part of its term and the renewals not begun refunded
/// (R-CPN-10), and its usage from then on is rated at the pay-per-use price, as when a resource
/// set to change to pay-per-use reaches its expiry. The order that settled each resource.
pub async fn to_on_demand_now(
    ctx: &Context,
    principal: &Principal,
    ids: &[String],
) -> Result<(Vec<(String, OrderId)>, Vec<Failure>), OrderOpError> {
    let (settled, failures) =
        settle_unsubscriptions(ctx, principal, ids, Unsubscribe::ResourceAndRenewals, Action::ChangedToOnDemand)
            .await?;
    let by_resource =
        settled.into_iter().flat_map(|(order, resources)| resources.into_iter().map(move |r| (r, order.clone())));
    Ok((by_resource.collect(), failures))
}

/// The unsubscriptions of `ids`, one settled order per customer (audited as `action`), each with
/// the main resources it closed or shortened.
async fn settle_unsubscriptions(
    ctx: &Context,
    principal: &Principal,
    ids: &[String],
    kind: Unsubscribe,
    action: Action,
) -> Result<(Vec<(OrderId, Vec<String>)>, Vec<Failure>), OrderOpError> {
    let (found, mut failures) = main_resources(ctx, principal, ids, true).await?;
    let now = ctx.clock.now();
    let mut by_customer: BTreeMap<AccountId, (Scoped, Vec<Planned>)> = BTreeMap::new();
    for (main, scoped) in found {
        let mut family = vec![main.clone()];
        if kind == Unsubscribe::ResourceAndRenewals {
            family.extend(children_of(ctx, &main).await?);
        }
        let mut planned = vec![];
        let mut failed = None;
        for r in family {
            let terms: Vec<_> =
                ctx.store.terms_of(r.id()).await?.into_iter().filter(|t| t.starts() < r.expire()).collect();
            match refunds_of(&terms, kind, now) {
                Ok((refunds, expire)) => planned.push((r, refunds, expire)),
                Err(e) if r.id() == main.id() => failed = Some(e),
                Err(_) => {}
            }
        }
        match failed {
            Some(e) => failures.push(Failure { resource_id: main.id().to_string(), error: e.into() }),
            None => {
                by_customer.entry(scoped.account.id().clone()).or_insert_with(|| (scoped, vec![])).1.extend(planned)
            }
        }
    }
    let mut orders = vec![];
    for (_, (scoped, planned)) in by_customer {
        let id = new_order_id(now);
        let mut lines = vec![];
        let mut changed = vec![];
        let mains: Vec<String> =
            planned.iter().filter(|(r, ..)| r.parent().is_none()).map(|(r, ..)| r.id().to_string()).collect();
        for (r, refunds, expire) in planned {
            for refund in &refunds {
                lines.push(OrderLine::refund(&id, lines.len() + 1, &r, refund));
            }
            changed.push(r.unsubscribed(kind, expire, now));
        }
        let order = Order::unsubscription(id, scoped.orderer(), lines, now);
        let charge = order.charge(scoped.owner(), now, ctx.policy.billing_offset)?;
        let (refund, charge_cycle) = (charge.amount, charge.cycle);
        let charges: Vec<Charge> = (refund != Money::ZERO).then_some(charge).into_iter().collect();
        let ids: Vec<&str> = changed.iter().map(|r| r.id().as_str()).collect();
        let audit =
            [order_audit(now, &order, &scoped, action, None, format!("resources={} refund={refund}", ids.join(",")))];
        let (coupons, holds, given_back) = refund_coupons(ctx, &order, charge_cycle, now).await?;
        let cards = crate::ops::stored_value::refund_cards(ctx, &order, now).await?;
        let settlement = Settlement {
            order: &order,
            pending_version: None,
            new_resources: &[],
            changed_resources: &changed,
            charges: &charges,
            additions: &additions(&charges)?,
            check: None,
            discount: None,
            coupons: &coupons,
            holds: &holds,
            given_back: (!given_back.is_empty()).then_some(&given_back),
            cards: &cards,
            packages: &[],
            audit: &audit,
        };
        ctx.store.settle_order(&settlement).await?;
        orders.push((order.id().clone(), mains));
    }
    Ok((orders, failures))
}

/// What an unsubscription changed of coupons: the coupons, the holds still held that it changed,
/// and what it gave back to coupons whose orders' bills paid them.
type CouponChanges = (Vec<Coupon>, Vec<OrderHold>, GivenBack);

/// R-CPN-10: the terms `unsubscription` refunds whole (not yet begun) come off the coupons still
/// held for the orders that paid them; a coupon whose order's bill paid it already gets back its
/// share of the refunded part, which the partner's bill of `cycle` (the refund's) keeps from the
/// partner's refund.
async fn refund_coupons(
    ctx: &Context,
    unsubscription: &Order,
    cycle: Cycle,
    now: Timestamp,
) -> Result<CouponChanges, OrderOpError> {
    let whole = |l: &&OrderLine| l.consumed() == Money::ZERO && l.official() < Money::ZERO;
    let mut paid_by: Vec<String> =
        unsubscription.lines().iter().filter(whole).filter_map(|l| l.base_order().map(|o| o.to_string())).collect();
    paid_by.sort();
    paid_by.dedup();
    let mut holds = ctx.store.order_holds(&paid_by).await?;
    holds.retain(|h| matches!(h.state, HoldState::Held | HoldState::Paid { .. }));
    let mut coupons: Vec<Coupon> = vec![];
    for h in &holds {
        if !coupons.iter().any(|c| c.id == h.coupon) {
            let query = CouponQuery { coupon: Some(h.coupon.clone()), ..CouponQuery::default() };
            coupons.extend(ctx.store.coupons(&query).await?);
        }
    }
    let quota_ids: Vec<String> =
        coupons.iter().filter(|c| c.closure.is_some()).filter_map(|c| c.quota.clone()).collect();
    let mut quotas = ctx.store.coupon_quotas(&quota_ids).await?;
    let rating = |e: opc_domain::coupon::CouponError| OrderOpError::Rating(e.to_string());
    let act = Act { at: now, operator: "system".into(), remark: format!("unsubscription {}", unsubscription.id()) };
    let to =
        RefundedTo { unsubscription: unsubscription.id().as_str(), service_type: unsubscription.service_type(), cycle };
    let mut ids = || hex::encode(rand::random::<[u8; 16]>());
    let (mut changed, mut changed_holds, mut given) = (BTreeMap::new(), vec![], GivenBack::default());
    for mut hold in holds {
        let refunded = unsubscription
            .lines()
            .iter()
            .filter(whole)
            .filter(|l| l.base_order().is_some_and(|o| o.as_str() == hold.order))
            .try_fold(Money::ZERO, |sum, l| sum.checked_sub(l.official()))
            .map_err(|e| OrderOpError::Rating(e.to_string()))?;
        let Some(coupon) = coupons.iter_mut().find(|c| c.id == hold.coupon) else { continue };
        if hold.state == HoldState::Held {
            if coupon::refund_on_hold(coupon, &mut hold, refunded, now).map_err(rating)? {
                changed.insert(coupon.id.clone(), coupon.clone());
                changed_holds.push(hold);
            }
            continue;
        }
        let quota = quotas.iter_mut().find(|q| coupon.quota.as_deref() == Some(q.id.as_str()));
        if let Some(back) =
            coupon::refund_after_bill(&mut ids, coupon, &mut hold, refunded, to, quota, &act).map_err(rating)?
        {
            changed.insert(coupon.id.clone(), coupon.clone());
            given.absorb(back);
        }
    }
    given.quotas = quotas.into_iter().filter(|q| given.quota_entries.iter().any(|e| e.quota == q.id)).collect();
    Ok((changed.into_values().collect(), changed_holds, given))
}
