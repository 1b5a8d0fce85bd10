//! B1.7.8, B1.7.9, B1.9.5: renewals, their prices and the customer's renewal settings.

use std::collections::BTreeMap;

use opc_domain::audit::{Action, Actor};
use opc_domain::catalog::PeriodType;
use opc_domain::order::{Order, OrderLine, OrderType, RenewConfig, Resource};
use opc_domain::rating::rate_renewal;
use opc_domain::{AccountId, Money, OrderId, ResourceId, Timestamp};

use super::pay::settle_payment;
use super::place::{new_order_id, pending_order};
use super::scope::{children_of, main_resources, purchase_block, Scoped};
use super::{Failure, OrderOpError};
use crate::ops::admin::audit_event;
use crate::ops::auth::Principal;
use crate::ops::{audit_text, catalog, Context};

/// B1.9.5: the list price of renewing each main resource (with its children when
/// `include_children`), and the total.
pub async fn renewal_rates(
    ctx: &Context,
    principal: &Principal,
    ids: &[String],
    period: (PeriodType, i32),
    include_children: bool,
) -> Result<(Vec<(ResourceId, Money)>, Money, Vec<Failure>), OrderOpError> {
    let (found, mut failures) = main_resources(ctx, principal, ids, false).await?;
    let (_, catalog) = catalog::current(ctx).await?;
    let (mut rates, mut total) = (vec![], Money::ZERO);
    for (main, scoped) in found {
        let mut family = vec![main.clone()];
        if include_children {
            family.extend(children_of(ctx, &main).await?);
        }
        // Priced as `renew` would charge it: moved to the unified expiry day, if set.
        let expire_day = ctx.store.renew_config(scoped.account.id()).await?.1;
        let mut sum = Money::ZERO;
        let mut failed = None;
        for r in &family {
            let priced = rate_renewal(&catalog, r.product(), period.0, period.1)
                .map_err(|e| OrderOpError::Rating(e.to_string()))
                .and_then(|m| match r.renewal_term(period.0, period.1) {
                    Ok(term) => Ok(unified(ctx, expire_day, term, m)?.1),
                    // A closed resource is not renewed: its list price, for the inquiry.
                    Err(_) => Ok(m),
                });
            match priced {
                Ok(m) => sum = sum.checked_add(m).map_err(|_| OrderOpError::Rating("the amount overflows".into()))?,
                Err(e) => failed = Some(e),
            }
        }
        match failed {
            Some(error) => failures.push(Failure { resource_id: main.id().to_string(), error }),
            None => {
                total = total.checked_add(sum).map_err(|_| OrderOpError::Rating("the amount overflows".into()))?;
                rates.push((main.id().clone(), sum));
            }
        }
    }
    Ok((rates, total, failures))
}

/// B1.7.8: renews main resources with their children: one renewal order per customer, pending
/// payment, or paid at once with `auto_pay`. Returns the order ids and the failures.
pub async fn renew(
    ctx: &Context,
    principal: &Principal,
    ids: &[String],
    period: (PeriodType, i32),
    auto_pay: bool,
) -> Result<(Vec<OrderId>, Vec<Failure>), OrderOpError> {
    let (found, mut failures) = main_resources(ctx, principal, ids, true).await?;
    let mut by_customer: BTreeMap<AccountId, (Scoped, Vec<Resource>)> = BTreeMap::new();
    for (main, scoped) in found {
        if let Some(block) = purchase_block(ctx, &scoped).await? {
            failures.push(Failure { resource_id: main.id().to_string(), error: OrderOpError::Blocked(block) });
            continue;
        }
        let mut family = vec![main.clone()];
        family.extend(children_of(ctx, &main).await?);
        by_customer.entry(scoped.account.id().clone()).or_insert_with(|| (scoped, vec![])).1.extend(family);
    }
    let mut orders = vec![];
    for (_, (scoped, family)) in by_customer {
        let (order, unpriced) = renewal_order(ctx, &scoped, &family, period).await?;
        failures.extend(unpriced);
        let Some(order) = order else { continue };
        if auto_pay {
            settle_payment(ctx, order.clone(), &scoped).await?;
        }
        orders.push(order.id().clone());
    }
    Ok((orders, failures))
}

/// Places the order renewing `family` (main resources with their children) for `period`,
/// pending payment; the resources the catalog cannot price are failures.
pub(super) async fn renewal_order(
    ctx: &Context,
    scoped: &Scoped,
    family: &[Resource],
    period: (PeriodType, i32),
) -> Result<(Option<Order>, Vec<Failure>), OrderOpError> {
    let (_, catalog) = catalog::current(ctx).await?;
    let expire_day = ctx.store.renew_config(scoped.account.id()).await?.1;
    let now = ctx.clock.now();
    let id = new_order_id(now);
    let (mut lines, mut failures) = (vec![], vec![]);
    for r in family {
        let official = match rate_renewal(&catalog, r.product(), period.0, period.1) {
            Ok(m) => m,
            Err(e) => {
                failures.push(Failure { resource_id: r.id().to_string(), error: OrderOpError::Rating(e.to_string()) });
                continue;
            }
        };
        let (term, official) = unified(ctx, expire_day, r.renewal_term(period.0, period.1)?, official)?;
        lines.push(OrderLine::renewal(&id, lines.len() + 1, r, period, term, official));
    }
    if lines.is_empty() {
        return Ok((None, failures));
    }
    let order = pending_order(ctx, id, scoped, OrderType::Renewal, lines).await?;
    Ok((Some(order), failures))
}

/// B1.7.9 EXPIRE_DATE: a renewal's term and price, moved to the customer's unified expiry day
/// if it set one.
fn unified(
    ctx: &Context,
    expire_day: Option<i8>,
    term: (Timestamp, Timestamp),
    official: Money,
) -> Result<((Timestamp, Timestamp), Money), OrderOpError> {
    match expire_day {
        Some(day) => Ok(RenewConfig::unified_expiry(day, term, official, ctx.policy.billing_offset)?),
        None => Ok((term, official)),
    }
}

/// B1.7.9: the signer's renewal settings.
pub async fn set_renew_config(ctx: &Context, principal: &Principal, config: RenewConfig) -> Result<(), OrderOpError> {
    let account = crate::ops::accounts::own_account(ctx, principal).await?;
    let now = ctx.clock.now();
    // A partner's own settings are set by the partner (its key), not by its account.
    let (actor, partner) = match principal {
        Principal::Partner(c) => (crate::ops::customers::actor(c), Some(c.partner.id())),
        Principal::Customer { .. } => (Actor::Customer(account.id().clone()), None),
    };
    let audit = [audit_event(
        now,
        actor,
        partner,
        Action::RenewConfigSet,
        "account",
        account.id().as_str(),
        None,
        Some(audit_text::renew_config(config)),
    )];
    ctx.store.set_renew_config(account.id(), config, now, &audit).await?;
    Ok(())
}
