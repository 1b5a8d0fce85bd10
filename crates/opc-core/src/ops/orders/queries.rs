//! Reading orders and resources in the caller's scope.

use opc_domain::coupon::OrderHold;
use opc_domain::order::{Order, OrderLine, OrderType, Resource, ResourceStatus};
use opc_domain::organization::Permission;
use opc_domain::trace::{self, Trace};
use opc_domain::{OrderId, ResourceId, Timestamp};

use super::scope::{order_in_scope, scope};
use super::{invalid, OrderOpError};
use crate::ops::auth::Principal;
use crate::ops::customers::owner;
use crate::ops::Context;
use crate::store::{OnDemandQuery, OnDemandResource, OrderFilter, OrderScope};

/// B1.6.2: the signer's orders, or a partner's reseller customers' (one customer's with
/// `customer_id`; an account manager's key must name one, R-ORG-19).
pub async fn list(
    ctx: &Context,
    principal: &Principal,
    (customer_id, indirect_partner): (Option<&str>, Option<&str>),
    filter: &OrderFilter,
) -> Result<(Vec<Order>, u64), OrderOpError> {
    let scope = match (principal, customer_id) {
        (Principal::Partner(caller), None) => {
            let owner = owner(ctx, caller, indirect_partner, Permission::ViewCustomers).await?;
            if !caller.sees(None) {
                return Err(invalid(
                    "customer_id",
                    "is required for an account manager's key: it lists one customer's orders",
                ));
            }
            OrderScope::Partner(owner.id().clone())
        }
        (_, customer_id) => {
            let scoped = scope(ctx, principal, customer_id, indirect_partner, false).await?;
            OrderScope::Customer(scoped.account.id().clone())
        }
    };
    Ok(ctx.store.orders(&scope, filter).await?)
}

/// B1.6.5: one order in the caller's scope.
pub async fn details(
    ctx: &Context,
    principal: &Principal,
    order_id: &OrderId,
    indirect_partner: Option<&str>,
) -> Result<Order, OrderOpError> {
    Ok(order_in_scope(ctx, principal, (order_id, indirect_partner), false).await?.0)
}

/// An order's price trace (issue 15): each line's list price less the partner discount it was
/// paid with (R-CPN-33), and the coupon its payment named, with how far the partner's bill has
/// used it (R-CPN-02, R-CPN-04).
#[derive(Clone, Debug)]
pub struct OrderTrace {
    pub order: Order,
    /// Per line, in the order's line order.
    pub lines: Vec<Trace>,
    pub coupon: Option<OrderHold>,
}

/// The price trace of `orders` the caller already holds (read through this module, so within
/// its scope), in their order.
pub async fn traces(ctx: &Context, orders: Vec<Order>) -> Result<Vec<OrderTrace>, OrderOpError> {
    let applied = crate::ops::discounts::applied(ctx, &orders).await?;
    let ids: Vec<String> = orders.iter().map(|o| o.id().to_string()).collect();
    let mut holds = ctx.store.order_holds(&ids).await?;
    let mut out = Vec::with_capacity(orders.len());
    for (order, applied) in orders.into_iter().zip(applied) {
        let lines = order
            .lines()
            .iter()
            .map(|l| trace::order_line(l, applied.as_ref()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| OrderOpError::Rating(format!("order {}: {e}", order.id())))?;
        let at = holds.iter().position(|h| h.order == order.id().as_str());
        let coupon = at.map(|i| holds.swap_remove(i));
        out.push(OrderTrace { order, lines, coupon });
    }
    Ok(out)
}

/// B1.7.7 filters.
#[derive(Clone, Debug, Default)]
pub struct ResourceFilter {
    pub customer_id: Option<String>,
    pub ids: Vec<String>,
    pub order_id: Option<String>,
    pub only_main: bool,
    pub statuses: Vec<ResourceStatus>,
    pub expire: (Option<Timestamp>, Option<Timestamp>),
    pub service_type: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

/// B1.7.7: the customer's yearly/monthly resources with their status now, oldest first; named
/// ids bring their child resources unless `only_main`.
pub async fn resources(
    ctx: &Context,
    principal: &Principal,
    f: &ResourceFilter,
) -> Result<(Vec<(Resource, ResourceStatus)>, u64), OrderOpError> {
    let scoped = scope(ctx, principal, f.customer_id.as_deref(), None, false).await?;
    let now = ctx.clock.now();
    let frozen = scoped.resources_frozen();
    let named_id = |id: &ResourceId| f.ids.iter().any(|n| n == id.as_str());
    let named =
        |r: &Resource| f.ids.is_empty() || named_id(r.id()) || (!f.only_main && r.parent().is_some_and(named_id));
    let matching: Vec<(Resource, ResourceStatus)> = ctx
        .store
        .resources_of(scoped.account.id())
        .await?
        .into_iter()
        .filter(|r| named(r) && !(f.only_main && f.ids.is_empty() && r.parent().is_some()))
        .filter(|r| f.order_id.as_ref().is_none_or(|o| o == r.order_id().as_str()))
        .filter(|r| f.service_type.as_ref().is_none_or(|s| *s == r.product().service_type))
        .filter(|r| f.expire.0.is_none_or(|t| r.expire() >= t) && f.expire.1.is_none_or(|t| r.expire() <= t))
        .map(|r| {
            let status = r.status_at(now, frozen);
            (r, status)
        })
        .filter(|(_, s)| f.statuses.is_empty() || f.statuses.contains(s))
        .collect();
    let total = matching.len() as u64;
    Ok((matching.into_iter().skip(f.offset as usize).take(f.limit as usize).collect(), total))
}

/// B1.6.6: the refund and consumed lines of an unsubscription order (none for other orders).
pub async fn refund_lines(
    ctx: &Context,
    principal: &Principal,
    order_id: &OrderId,
    indirect_partner: Option<&str>,
) -> Result<(Order, Vec<OrderLine>), OrderOpError> {
    let order = details(ctx, principal, order_id, indirect_partner).await?;
    let lines = match order.order_type() {
        OrderType::Unsubscription => order.lines().to_vec(),
        _ => vec![],
    };
    Ok((order, lines))
}

/// B1.7.1: the customer's pay-per-use resources, as its usage shows them, and whether they are
/// stopped by an ACCOUNT_AND_RESOURCE freeze (R-RCM-10).
pub async fn on_demand_resources(
    ctx: &Context,
    principal: &Principal,
    customer_id: Option<&str>,
    indirect_partner: Option<&str>,
    query: &OnDemandQuery,
) -> Result<(Vec<OnDemandResource>, u64, bool), OrderOpError> {
    let scoped = scope(ctx, principal, customer_id, indirect_partner, false).await?;
    let (list, total) = ctx.store.on_demand_resources(scoped.account.id(), query).await?;
    Ok((list, total, scoped.resources_frozen()))
}
