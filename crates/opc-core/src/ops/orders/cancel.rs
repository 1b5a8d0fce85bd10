//! B1.6.1: cancelling a pending order.

use opc_domain::audit::Action;
use opc_domain::order::Order;
use opc_domain::OrderId;

use super::place::order_audit;
use super::scope::order_in_scope;
use super::OrderOpError;
use crate::ops::auth::Principal;
use crate::ops::Context;
use crate::store::Settlement;

/// B1.6.1: cancels a pending order, every instance at once (R-ORD-02).
pub async fn cancel(ctx: &Context, principal: &Principal, order_id: &OrderId) -> Result<Order, OrderOpError> {
    let (order, scoped) = order_in_scope(ctx, principal, (order_id, None), true).await?;
    let cancelled = order.cancel()?;
    let audit = [order_audit(
        ctx.clock.now(),
        &cancelled,
        &scoped,
        Action::OrderCancelled,
        Some("status=pending_payment".into()),
        "status=cancelled".into(),
    )];
    let settlement = Settlement {
        order: &cancelled,
        pending_version: Some(order.version()),
        new_resources: &[],
        changed_resources: &[],
        charges: &[],
        additions: &[],
        check: None,
        discount: None,
        coupons: &[],
        holds: &[],
        given_back: None,
        cards: &[],
        packages: &[],
        audit: &audit,
    };
    ctx.store.settle_order(&settlement).await?;
    Ok(cancelled)
}
