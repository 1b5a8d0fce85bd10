//! B1.6: placing an order, pending payment.

use opc_domain::audit::Action;
use opc_domain::catalog::PeriodType;
use opc_domain::order::{Order, OrderLine, OrderType, Product};
use opc_domain::rating::{rate_on_period, PeriodInquiry, RatingError};
use opc_domain::{Money, OrderId, ResourceId, Timestamp};

use super::scope::{require_open, scope, Scoped};
use super::{invalid, OrderOpError};
use crate::ops::admin::audit_event;
use crate::ops::auth::Principal;
use crate::ops::{audit_text, catalog, random, Context};

/// A new order's id, in Huawei Cloud's style.
pub(super) fn new_order_id(now: Timestamp) -> OrderId {
    OrderId::mint(now, random())
}

fn resource_id() -> ResourceId {
    ResourceId::from_random(random())
}

/// One instance to buy, with the child resources that come with it (R-ORD-04).
#[derive(Clone, Debug)]
pub struct Item {
    pub product: Product,
    /// `None` for a period type that is not sold.
    pub period: Option<PeriodType>,
    pub period_num: i32,
    pub quantity: u32,
    pub children: Vec<Product>,
}

/// The most instances one order places.
pub const ORDER_INSTANCES_MAX: u32 = 100;

/// Places a yearly/monthly order, pending payment: every item × quantity is an instance, with
/// its children, priced at list price (R-RCM-13: no discount for reseller customers).
pub async fn place(
    ctx: &Context,
    principal: &Principal,
    customer_id: Option<&str>,
    items: &[Item],
) -> Result<Order, OrderOpError> {
    let scoped = scope(ctx, principal, customer_id, None, true).await?;
    require_open(ctx, &scoped).await?;
    if items.is_empty() {
        return Err(invalid("items", "name at least one product"));
    }
    let instances: u32 = items.iter().map(|i| i.quantity).sum();
    if instances > ORDER_INSTANCES_MAX {
        return Err(invalid("items", format!("an order places at most {ORDER_INSTANCES_MAX} instances")));
    }
    let (_, catalog) = catalog::current(ctx).await?;
    let now = ctx.clock.now();
    let id = new_order_id(now);
    let mut lines = vec![];
    for (i, item) in items.iter().enumerate() {
        if item.quantity == 0 {
            return Err(invalid(format!("items[{i}].quantity"), "must be 1 or more"));
        }
        let period =
            item.period.ok_or_else(|| invalid(format!("items[{i}].period_type"), "must be 2 (month) or 3 (year)"))?;
        let rate = |p: &Product, field: String| {
            rate_on_period(
                &catalog,
                &PeriodInquiry {
                    service_type: &p.service_type,
                    resource_type: &p.resource_type,
                    spec: &p.spec,
                    region: &p.region,
                    period: item.period,
                    period_num: item.period_num,
                    subscription_num: 1,
                    resource_size: p.size,
                },
            )
            .map_err(|e: RatingError| invalid(field, e.to_string()))
        };
        let main = rate(&item.product, format!("items[{i}]"))?;
        let children: Vec<_> = item
            .children
            .iter()
            .enumerate()
            .map(|(c, p)| rate(p, format!("items[{i}].children[{c}]")).map(|r| (p, r)))
            .collect::<Result<_, _>>()?;
        for _ in 0..item.quantity {
            let main_id = resource_id();
            let mut line = |resource: ResourceId, parent: Option<ResourceId>, product: &Product, official: Money| {
                let number = lines.len() + 1;
                lines.push(OrderLine::purchase(
                    &id,
                    number,
                    (resource, parent),
                    product,
                    (period, item.period_num),
                    official,
                ))
            };
            line(main_id.clone(), None, &item.product, main.official);
            for (product, rated) in &children {
                line(resource_id(), Some(main_id.clone()), product, rated.official);
            }
        }
    }
    pending_order(ctx, id, &scoped, OrderType::New, lines).await
}

/// Stores a new order pending payment for 7 days, with its audit event.
pub(super) async fn pending_order(
    ctx: &Context,
    id: OrderId,
    scoped: &Scoped,
    order_type: OrderType,
    lines: Vec<OrderLine>,
) -> Result<Order, OrderOpError> {
    let now = ctx.clock.now();
    let order = Order::pending(id, scoped.orderer(), order_type, lines, now);
    let after = format!("type={} official={}", audit_text::order_type(order_type), order.official()?);
    let audit = [order_audit(now, &order, scoped, Action::OrderPlaced, None, after)];
    ctx.store.insert_order(&order, &audit).await?;
    Ok(order)
}

pub(super) fn order_audit(
    at: Timestamp,
    order: &Order,
    scoped: &Scoped,
    action: Action,
    before: Option<String>,
    after: String,
) -> opc_domain::audit::AuditEvent {
    audit_event(
        at,
        scoped.actor(),
        scoped.link.as_ref().map(|(p, _)| p.id()),
        action,
        "order",
        order.id().as_str(),
        before,
        Some(after),
    )
    .on_behalf_of(scoped.on_behalf_of())
}
