//! Yearly/monthly orders and resources (issue #6; B1.6, B1.7). A customer orders for itself; its
//! partner orders and manages resources on its behalf once the customer accepted the customer
//! authorization letter (R-RCM-14). A frozen or restricted customer cannot buy, renew or change
//! (R-RCM-09, R-QUOTA-06, R-QUOTA-09), and a payment must fit the partner's consumption quota
//! and a budget set to freeze at its limit; both are weighed under a lock, so concurrent
//! payments never overspend. A paid order's list price is the customer's spend (R-BILL-18),
//! weighed for budget and quota notices like usage.

use std::collections::BTreeMap;

use opc_domain::account::{Account, FreezeScope};
use opc_domain::association::AssociationModel;
use opc_domain::audit::{Action, Actor};
use opc_domain::budget::BudgetType;
use opc_domain::catalog::PeriodType;
use opc_domain::order::{
    unsubscribe as refunds_of, Order, OrderError, OrderLine, OrderSource, OrderStatus, OrderType, Product,
    PurchaseBlock, RenewConfig, Resource, ResourceError, ResourceStatus, SpendLimit, Unsubscribe, PAYMENT_WINDOW,
};
use opc_domain::organization::Permission;
use opc_domain::partner::{Partner, PartnerState};
use opc_domain::rating::{rate_on_period, rate_renewal, PeriodInquiry, RatingError};
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Money, Timestamp};

use super::admin::audit_event;
use super::auth::{Caller, Principal};
use super::customers::{owner, their_reseller_customer, CustomerError};
use super::usage::{weigh_budget, weigh_quota, IngestReport};
use super::{catalog, random, Context};
use crate::store::{
    Charge, OnDemandQuery, OnDemandResource, OrderFilter, OrderScope, Settlement, SpendScope, SpendWindow, Spent,
    StoreError,
};

#[derive(Debug, thiserror::Error)]
pub enum OrderOpError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: String, reason: String },
    /// No such order or resource in the caller's scope (a foreign one is not revealed).
    #[error("{0} was not found")]
    NotFound(String),
    #[error(transparent)]
    Customer(#[from] CustomerError),
    /// R-RCM-14.
    #[error(
        "customer {0} has not accepted the customer authorization letter for you: a partner orders and manages \
         resources on a customer's behalf only with it (R-RCM-14)"
    )]
    NotAuthorized(String),
    #[error(transparent)]
    Blocked(PurchaseBlock),
    #[error(transparent)]
    Order(#[from] OrderError),
    #[error(transparent)]
    Resource(#[from] ResourceError),
    #[error("{0}")]
    Rating(String),
    #[error("the order or resource changed meanwhile; retry")]
    Concurrent,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for OrderOpError {
    fn from(e: StoreError) -> OrderOpError {
        match e {
            StoreError::Conflict { constraint: "orders.version" | "resources.version" } => OrderOpError::Concurrent,
            // Issue 18: a charge that would take a spend total past the largest amount.
            StoreError::Conflict { constraint: "spend_totals.amount_e8" } => {
                OrderOpError::Rating(opc_domain::rating::RatingError::Overflow.to_string())
            }
            other => OrderOpError::Store(other),
        }
    }
}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> OrderOpError {
    OrderOpError::Invalid { field: field.into(), reason: reason.into() }
}

/// The customer a request acts on, and its current partner.
pub struct Scoped {
    pub account: Account,
    pub link: Option<(Partner, AssociationModel)>,
    source: OrderSource,
    user_name: String,
}

impl Scoped {
    fn owner(&self) -> Option<(opc_domain::PartnerId, AssociationModel)> {
        self.link.as_ref().map(|(p, m)| (p.id.clone(), *m))
    }

    fn actor(&self) -> Actor {
        Actor::Customer(self.account.id.clone())
    }

    /// Whether the customer's resources are stopped (R-RCM-10).
    fn resources_frozen(&self) -> bool {
        self.account.freeze.as_ref().is_some_and(|f| f.scope == FreezeScope::AccountAndResource)
    }
}

fn user_name(caller: &Caller) -> String {
    match &caller.member {
        Some(m) => m.member.name.as_str().to_owned(),
        None => caller.partner.name.as_str().to_owned(),
    }
}

/// The customer `customer_id` names (the signer itself for a customer's key), with its partner.
/// A partner acts only on its current reseller customers (R-RCM-01), with `customers.view` to
/// read and `customers.control` and the customer's authorization letter to act (R-RCM-14).
pub async fn scope(
    ctx: &Context,
    principal: &Principal,
    customer_id: Option<&str>,
    indirect_partner: Option<&str>,
    act: bool,
) -> Result<Scoped, OrderOpError> {
    match principal {
        Principal::Customer { account, .. } => {
            if customer_id.is_some_and(|id| id != account.id.as_str()) {
                return Err(CustomerError::NotYourCustomer(customer_id.unwrap_or_default().to_owned()).into());
            }
            own_scope(ctx, account).await
        }
        Principal::Partner(caller) => {
            let id = customer_id.ok_or_else(|| invalid("customer_id", "is required for a partner"))?;
            let permission = if act { Permission::ControlCustomers } else { Permission::ViewCustomers };
            let owner = owner(ctx, caller, indirect_partner, permission).await?;
            let view = their_reseller_customer(ctx, caller, &owner, id).await?;
            if act && ctx.store.authorization(&view.account.id, &owner.id).await?.is_none() {
                return Err(OrderOpError::NotAuthorized(id.to_owned()));
            }
            Ok(Scoped {
                account: view.account,
                link: Some((owner, AssociationModel::Reseller)),
                source: OrderSource::Partner,
                user_name: user_name(caller),
            })
        }
    }
}

/// A customer acting for itself, with its current partner.
async fn own_scope(ctx: &Context, account: &Account) -> Result<Scoped, OrderOpError> {
    let link = match ctx.store.association_of(&account.id).await? {
        Some(a) => ctx.store.partner(&a.partner).await?.map(|p| (p, a.model)),
        None => None,
    };
    Ok(Scoped {
        account: account.clone(),
        link,
        source: OrderSource::Customer,
        user_name: account.name.as_str().to_owned(),
    })
}

/// The customer an existing order or resource belongs to, in the caller's scope; a foreign one
/// is not found.
async fn scope_of(
    ctx: &Context,
    principal: &Principal,
    customer: &AccountId,
    (what, indirect_partner): (&str, Option<&str>),
    act: bool,
) -> Result<Scoped, OrderOpError> {
    match scope(ctx, principal, Some(customer.as_str()), indirect_partner, act).await {
        Err(OrderOpError::Customer(
            CustomerError::NotYourCustomer(_)
            | CustomerError::NotResellerCustomer(_)
            | CustomerError::NotYourReseller(_),
        )) => Err(OrderOpError::NotFound(what.to_owned())),
        other => other,
    }
}

/// The order in the caller's scope; a distributor names the reseller whose customer's it is.
async fn order_in_scope(
    ctx: &Context,
    principal: &Principal,
    (order_id, indirect_partner): (&str, Option<&str>),
    act: bool,
) -> Result<(Order, Scoped), OrderOpError> {
    let what = format!("order {order_id}");
    let order = ctx.store.order(order_id).await?.ok_or_else(|| OrderOpError::NotFound(what.clone()))?;
    let scoped = scope_of(ctx, principal, &order.customer, (&what, indirect_partner), act).await?;
    Ok((order, scoped))
}

async fn resource_in_scope(
    ctx: &Context,
    principal: &Principal,
    id: &str,
    act: bool,
) -> Result<(Resource, Scoped), OrderOpError> {
    let what = format!("resource {id}");
    let resource = ctx.store.resource(id).await?.ok_or_else(|| OrderOpError::NotFound(what.clone()))?;
    let scoped = scope_of(ctx, principal, &resource.customer, (&what, None), act).await?;
    Ok((resource, scoped))
}

/// Why the customer cannot buy, renew or change now, if it cannot.
async fn purchase_block(ctx: &Context, scoped: &Scoped) -> Result<Option<PurchaseBlock>, OrderOpError> {
    if let Some(freeze) = &scoped.account.freeze {
        return Ok(Some(PurchaseBlock::CustomerFrozen(freeze.scope.to_string())));
    }
    match scoped.link.as_ref().map(|(p, _)| p.state) {
        Some(PartnerState::Restricted) => return Ok(Some(PurchaseBlock::PartnerRestricted)),
        Some(PartnerState::Frozen) => return Ok(Some(PurchaseBlock::PartnerFrozen)),
        Some(PartnerState::Normal) | None => {}
    }
    let applications = ctx.store.program_applications_of(&scoped.account.id).await?;
    Ok(applications
        .iter()
        .find(|a| a.blocks_purchases())
        .map(|a| PurchaseBlock::ProgramApplication(format!("{:?}", a.program()))))
}

async fn require_open(ctx: &Context, scoped: &Scoped) -> Result<(), OrderOpError> {
    match purchase_block(ctx, scoped).await? {
        Some(block) => Err(OrderOpError::Blocked(block)),
        None => Ok(()),
    }
}

/// An order id in Huawei Cloud's style: `CS`, the UTC date and time, five random characters.
fn order_id(now: Timestamp) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let (y, mo, d, h, mi, s) = now.to_utc();
    let tail: String = random::<5>().iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect();
    format!("CS{:02}{mo:02}{d:02}{h:02}{mi:02}{s:02}{tail}", y % 100)
}

fn resource_id() -> String {
    hex::encode(random::<16>())
}

/// One instance to buy, with the child resources that come with it (R-ORD-04).
#[derive(Clone, Debug)]
pub struct Item {
    pub product: Product,
    pub period_type: i64,
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
    let id = order_id(now);
    let mut lines = vec![];
    for (i, item) in items.iter().enumerate() {
        if item.quantity == 0 {
            return Err(invalid(format!("items[{i}].quantity"), "must be 1 or more"));
        }
        let period = PeriodType::parse(item.period_type)
            .ok_or_else(|| invalid(format!("items[{i}].period_type"), "must be 2 (month) or 3 (year)"))?;
        let rate = |p: &Product, field: String| {
            rate_on_period(
                &catalog,
                &PeriodInquiry {
                    service_type: &p.service_type,
                    resource_type: &p.resource_type,
                    spec: &p.spec,
                    region: &p.region,
                    period_type: item.period_type,
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
            let mut line = |resource: String, parent: Option<String>, product: &Product, official: Money| {
                lines.push(OrderLine {
                    id: format!("{id}-{}", lines.len() + 1),
                    resource_id: resource,
                    parent_resource: parent,
                    product: product.clone(),
                    period: Some((period, item.period_num)),
                    official,
                    consumed: Money::ZERO,
                    term: None,
                    base_order: None,
                })
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
async fn pending_order(
    ctx: &Context,
    id: String,
    scoped: &Scoped,
    order_type: OrderType,
    lines: Vec<OrderLine>,
) -> Result<Order, OrderOpError> {
    let now = ctx.clock.now();
    let order = Order {
        id,
        customer: scoped.account.id.clone(),
        partner: scoped.owner(),
        order_type,
        status: OrderStatus::PendingPayment,
        source: scoped.source,
        user_name: scoped.user_name.clone(),
        created_at: now,
        pay_by: now.plus(PAYMENT_WINDOW),
        paid_at: None,
        lines,
        version: 0,
    };
    let after = format!("type={} official={}", order_type.code(), order.official()?.to_plain_string());
    let audit = [order_audit(now, &order, scoped, Action::OrderPlaced, None, after)];
    ctx.store.insert_order(&order, &audit).await?;
    Ok(order)
}

fn order_audit(
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
        scoped.link.as_ref().map(|(p, _)| &p.id),
        action,
        "order",
        &order.id,
        before,
        Some(after),
    )
}

/// B1.6.4: pays a pending order, every instance at once (R-ORD-02). A purchase provisions its
/// resources; a renewal extends them. For a reseller customer the payment must fit the
/// partner's consumption quota (R-QUOTA-01) and a budget set to freeze at its limit,
/// weighed under a lock; then budget and quota notices follow as for usage.
pub async fn pay(ctx: &Context, principal: &Principal, order_id: &str) -> Result<Order, OrderOpError> {
    let (order, scoped) = order_in_scope(ctx, principal, (order_id, None), true).await?;
    settle_payment(ctx, order, &scoped).await
}

/// Pays `order` for the customer `scoped` names, once it may buy.
async fn settle_payment(ctx: &Context, order: Order, scoped: &Scoped) -> Result<Order, OrderOpError> {
    require_open(ctx, scoped).await?;
    let now = ctx.clock.now();
    let paid = order.pay(now)?;
    let (mut new_resources, mut changed) = (vec![], vec![]);
    for line in &paid.lines {
        let (Some((period, _)), Some((starts, ends))) = (line.period, line.term) else { continue };
        match paid.order_type {
            OrderType::New => new_resources.push(Resource {
                id: line.resource_id.clone(),
                customer: paid.customer.clone(),
                order_id: paid.id.clone(),
                parent: line.parent_resource.clone(),
                product: line.product.clone(),
                period,
                closed: false,
                effective: starts,
                expire: ends,
                policy: opc_domain::order::ExpirePolicy::Grace,
                updated_at: now,
                version: 0,
            }),
            OrderType::Renewal => {
                let resource = ctx
                    .store
                    .resource(&line.resource_id)
                    .await?
                    .ok_or_else(|| OrderOpError::NotFound(format!("resource {}", line.resource_id)))?;
                if resource.closed {
                    return Err(ResourceError::Closed.into());
                }
                changed.push(Resource { period, expire: resource.expire.max(ends), updated_at: now, ..resource });
            }
            OrderType::Unsubscription => {}
        }
    }
    let amount = paid.official()?;
    let charges = [Charge {
        id: paid.id.clone(),
        order_id: paid.id.clone(),
        customer: paid.customer.clone(),
        partner: scoped.owner(),
        amount,
        cycle: Cycle::of(now, ctx.policy.billing_offset),
        at: now,
    }];
    let reseller = scoped.link.as_ref().filter(|(_, m)| *m == AssociationModel::Reseller).map(|(p, _)| p.clone());
    let budget = match &reseller {
        Some(p) => ctx.store.budget(&paid.customer).await?.filter(|b| b.partner == p.id),
        None => None,
    };
    let spend_scope = SpendScope {
        customer: paid.customer.clone(),
        window: match budget.as_ref().map(|b| b.budget_type) {
            Some(BudgetType::Package) => SpendWindow::SinceBudgetSet,
            _ => SpendWindow::Cycle(Cycle::of(now, ctx.policy.billing_offset)),
        },
        partner: reseller.as_ref().map(|p| p.id.clone()),
    };
    let quota = reseller.as_ref().map_or(Money::ZERO, |p| p.consumption_quota);
    let check = |spent: &Spent| -> Result<(), PurchaseBlock> {
        if let Some(limit) = SpendLimit::quota(quota, spent.partner) {
            limit.admit(amount)?;
        }
        if let Some(limit) =
            budget.as_ref().and_then(|b| SpendLimit::budget(b.amount, spent.customer, b.auto_freeze == Some(true)))
        {
            limit.admit(amount)?;
        }
        Ok(())
    };
    let audit = [order_audit(
        now,
        &paid,
        scoped,
        Action::OrderPaid,
        Some("status=pending_payment".into()),
        format!("status=completed official={}", amount.to_plain_string()),
    )];
    let settlement = Settlement {
        order: &paid,
        pending_version: Some(order.version),
        new_resources: &new_resources,
        changed_resources: &changed,
        charges: &charges,
        check: reseller.is_some().then_some((&spend_scope, &check as _)),
        audit: &audit,
    };
    if let Some(block) = ctx.store.settle_order(&settlement).await? {
        return Err(OrderOpError::Blocked(block));
    }
    // The payment stands; notices missed here are sent when the next spend is weighed.
    if let Err(e) = weigh(ctx, scoped).await {
        tracing::error!(order.id = %paid.id, error = %e, "The budget and quota could not be weighed after a payment");
    }
    Ok(paid)
}

/// Budget and quota notices, the automatic freeze and the restriction, after a spend change.
async fn weigh(ctx: &Context, scoped: &Scoped) -> Result<(), OrderOpError> {
    let Some((partner, AssociationModel::Reseller)) = &scoped.link else { return Ok(()) };
    let mut report = IngestReport::default();
    let weighed = async {
        if let Some(budget) = ctx.store.budget(&scoped.account.id).await?.filter(|b| b.partner == partner.id) {
            let used = super::customers::budget_used(ctx, &budget.customer, Some(&budget)).await?;
            weigh_budget(ctx, &budget, used, &mut report).await?;
        }
        let used = ctx.store.partner_reseller_spend(&partner.id).await?;
        weigh_quota(ctx, &partner.id, used, &mut report).await
    };
    weighed.await.map_err(|e| match e {
        super::usage::UsageOpError::Store(s) => OrderOpError::Store(s),
        other => OrderOpError::Rating(other.to_string()),
    })
}

/// B1.6.1: cancels a pending order, every instance at once (R-ORD-02).
pub async fn cancel(ctx: &Context, principal: &Principal, order_id: &str) -> Result<Order, OrderOpError> {
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
        pending_version: Some(order.version),
        new_resources: &[],
        changed_resources: &[],
        charges: &[],
        check: None,
        audit: &audit,
    };
    ctx.store.settle_order(&settlement).await?;
    Ok(cancelled)
}

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
            OrderScope::Partner(owner.id)
        }
        (_, customer_id) => {
            let scoped = scope(ctx, principal, customer_id, indirect_partner, false).await?;
            OrderScope::Customer(scoped.account.id)
        }
    };
    Ok(ctx.store.orders(&scope, filter).await?)
}

/// B1.6.5: one order in the caller's scope.
pub async fn details(
    ctx: &Context,
    principal: &Principal,
    order_id: &str,
    indirect_partner: Option<&str>,
) -> Result<Order, OrderOpError> {
    Ok(order_in_scope(ctx, principal, (order_id, indirect_partner), false).await?.0)
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
    let named = |r: &Resource| {
        f.ids.is_empty()
            || f.ids.contains(&r.id)
            || (!f.only_main && r.parent.as_ref().is_some_and(|p| f.ids.contains(p)))
    };
    let matching: Vec<(Resource, ResourceStatus)> = ctx
        .store
        .resources_of(&scoped.account.id)
        .await?
        .into_iter()
        .filter(|r| named(r) && !(f.only_main && f.ids.is_empty() && r.parent.is_some()))
        .filter(|r| f.order_id.as_ref().is_none_or(|o| *o == r.order_id))
        .filter(|r| f.service_type.as_ref().is_none_or(|s| *s == r.product.service_type))
        .filter(|r| f.expire.0.is_none_or(|t| r.expire >= t) && f.expire.1.is_none_or(|t| r.expire <= t))
        .map(|r| {
            let status = r.status_at(now, frozen);
            (r, status)
        })
        .filter(|(_, s)| f.statuses.is_empty() || f.statuses.contains(s))
        .collect();
    let total = matching.len() as u64;
    Ok((matching.into_iter().skip(f.offset as usize).take(f.limit as usize).collect(), total))
}

/// A resource an operation on several could not act on, and why.
#[derive(Debug)]
pub struct Failure {
    pub resource_id: String,
    pub error: OrderOpError,
}

/// The main resources named, in scope and open, with their children; the others as failures.
async fn main_resources(
    ctx: &Context,
    principal: &Principal,
    ids: &[String],
    act: bool,
) -> Result<(Vec<(Resource, Scoped)>, Vec<Failure>), OrderOpError> {
    if ids.is_empty() || ids.len() > 10 {
        return Err(invalid("resource_ids", "name 1 to 10 main resources"));
    }
    let (mut found, mut failures) = (vec![], vec![]);
    for id in ids {
        match resource_in_scope(ctx, principal, id, act).await {
            Ok((r, _)) if r.closed => {
                failures.push(Failure { resource_id: id.clone(), error: ResourceError::Closed.into() })
            }
            Ok((r, _)) if r.parent.is_some() => failures.push(Failure {
                resource_id: id.clone(),
                error: ResourceError::Child(r.parent.clone().unwrap_or_default()).into(),
            }),
            Ok(pair) => found.push(pair),
            Err(e @ (OrderOpError::NotFound(_) | OrderOpError::NotAuthorized(_) | OrderOpError::Customer(_))) => {
                failures.push(Failure { resource_id: id.clone(), error: e })
            }
            Err(e) => return Err(e),
        }
    }
    Ok((found, failures))
}

/// The open children of a main resource (R-ORD-04).
async fn children_of(ctx: &Context, main: &Resource) -> Result<Vec<Resource>, OrderOpError> {
    Ok(ctx
        .store
        .resources_of(&main.customer)
        .await?
        .into_iter()
        .filter(|r| r.parent.as_deref() == Some(main.id.as_str()) && !r.closed)
        .collect())
}

/// B1.9.5: the list price of renewing each main resource (with its children when
/// `include_children`), and the total.
pub async fn renewal_rates(
    ctx: &Context,
    principal: &Principal,
    ids: &[String],
    period: (PeriodType, i32),
    include_children: bool,
) -> Result<(Vec<(String, Money)>, Money, Vec<Failure>), OrderOpError> {
    let (found, mut failures) = main_resources(ctx, principal, ids, false).await?;
    let (_, catalog) = catalog::current(ctx).await?;
    let (mut rates, mut total) = (vec![], Money::ZERO);
    for (main, scoped) in found {
        let mut family = vec![main.clone()];
        if include_children {
            family.extend(children_of(ctx, &main).await?);
        }
        // Priced as `renew` would charge it: moved to the unified expiry day, if set.
        let expire_day = ctx.store.renew_config(&scoped.account.id).await?.1;
        let mut sum = Money::ZERO;
        let mut failed = None;
        for r in &family {
            let priced = rate_renewal(&catalog, &r.product, period.0, period.1)
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
            Some(error) => failures.push(Failure { resource_id: main.id.clone(), error }),
            None => {
                total = total.checked_add(sum).map_err(|_| OrderOpError::Rating("the amount overflows".into()))?;
                rates.push((main.id.clone(), sum));
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
) -> Result<(Vec<String>, Vec<Failure>), OrderOpError> {
    let (found, mut failures) = main_resources(ctx, principal, ids, true).await?;
    let mut by_customer: BTreeMap<AccountId, (Scoped, Vec<Resource>)> = BTreeMap::new();
    for (main, scoped) in found {
        if let Some(block) = purchase_block(ctx, &scoped).await? {
            failures.push(Failure { resource_id: main.id.clone(), error: OrderOpError::Blocked(block) });
            continue;
        }
        let mut family = vec![main.clone()];
        family.extend(children_of(ctx, &main).await?);
        by_customer.entry(scoped.account.id.clone()).or_insert_with(|| (scoped, vec![])).1.extend(family);
    }
    let mut orders = vec![];
    for (_, (scoped, family)) in by_customer {
        let (order, unpriced) = renewal_order(ctx, &scoped, &family, period).await?;
        failures.extend(unpriced);
        let Some(order) = order else { continue };
        if auto_pay {
            settle_payment(ctx, order.clone(), &scoped).await?;
        }
        orders.push(order.id);
    }
    Ok((orders, failures))
}

/// Places the order renewing `family` (main resources with their children) for `period`,
/// pending payment; the resources the catalog cannot price are failures.
async fn renewal_order(
    ctx: &Context,
    scoped: &Scoped,
    family: &[Resource],
    period: (PeriodType, i32),
) -> Result<(Option<Order>, Vec<Failure>), OrderOpError> {
    let (_, catalog) = catalog::current(ctx).await?;
    let expire_day = ctx.store.renew_config(&scoped.account.id).await?.1;
    let now = ctx.clock.now();
    let id = order_id(now);
    let (mut lines, mut failures) = (vec![], vec![]);
    for r in family {
        let official = match rate_renewal(&catalog, &r.product, period.0, period.1) {
            Ok(m) => m,
            Err(e) => {
                failures.push(Failure { resource_id: r.id.clone(), error: OrderOpError::Rating(e.to_string()) });
                continue;
            }
        };
        let (term, official) = unified(ctx, expire_day, r.renewal_term(period.0, period.1)?, official)?;
        lines.push(OrderLine {
            id: format!("{id}-{}", lines.len() + 1),
            resource_id: r.id.clone(),
            parent_resource: r.parent.clone(),
            product: r.product.clone(),
            period: Some(period),
            official,
            consumed: Money::ZERO,
            term: Some(term),
            base_order: None,
        });
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

/// What the expiry job did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExpiryReport {
    pub renewed: u32,
    pub to_on_demand: u32,
    /// Automatic renewals refused (a frozen or restricted customer, a limit, no price): the
    /// resource expires unless it is renewed meanwhile.
    pub refused: u32,
}

/// How many days before expiry an automatic renewal is charged, unless the customer set it
/// (B1.7.9 DEDUCTION_DATE).
pub const DEDUCTION_DAYS_DEFAULT: u8 = 7;

/// The deadlines of yearly/monthly resources at now: automatic renewal (B1.7.4), charged the
/// customer's deduction days before expiry, as a system order paid at once with every purchase
/// check; and the change to pay-per-use at expiry (B1.7.10), which ends the yearly/monthly
/// resource (its usage is metered from then on).
pub async fn process_expiries(ctx: &Context) -> Result<ExpiryReport, OrderOpError> {
    let now = ctx.clock.now();
    let horizon = now.plus(opc_domain::Millis::days(i64::from(DEDUCTION_DAYS_DEFAULT.max(7))));
    let mut report = ExpiryReport::default();
    for main in ctx.store.resources_due(horizon, 200).await? {
        let Some(account) = ctx.store.account(&main.customer).await? else { continue };
        let mut scoped = own_scope(ctx, &account).await?;
        scoped.source = OrderSource::System;
        scoped.user_name = "system".into();
        match main.policy {
            opc_domain::order::ExpirePolicy::AutoRenew { period, times } => {
                let days = ctx.store.renew_config(&account.id).await?.0.unwrap_or(DEDUCTION_DAYS_DEFAULT);
                let window = main.expire.plus(opc_domain::Millis::days(-i64::from(days)));
                // Before expiry, once a day: a resource changed (or refused) within its window
                // in the last day waits; at expiry it is the last try.
                let recent = main.updated_at >= window && now < main.updated_at.plus(opc_domain::Millis::days(1));
                if now < window || (now < main.expire && recent) {
                    continue;
                }
                // One period at a time, of the type set for renewal.
                let count = 1;
                let mut family = vec![main.clone()];
                family.extend(children_of(ctx, &main).await?);
                let renewed = async {
                    let (order, _) = renewal_order(ctx, &scoped, &family, (period, count)).await?;
                    let order = order.ok_or_else(|| OrderOpError::Rating("no renewal price".into()))?;
                    settle_payment(ctx, order, &scoped).await
                };
                match renewed.await {
                    Ok(_) => {
                        report.renewed += 1;
                        // `times` renewals left (0: no limit); the last one turns it off.
                        let policy = match times {
                            1 => opc_domain::order::ExpirePolicy::Grace,
                            0 => main.policy,
                            n => opc_domain::order::ExpirePolicy::AutoRenew { period, times: n - 1 },
                        };
                        if policy != main.policy {
                            set_policy(ctx, &family, policy).await?;
                        }
                    }
                    Err(OrderOpError::Store(e)) => return Err(OrderOpError::Store(e)),
                    Err(e) => {
                        tracing::warn!(resource.id = %main.id, error = %e, "Automatic renewal refused");
                        report.refused += 1;
                        if now < main.expire {
                            // Tried again a day later (the customer may be unfrozen by then).
                            let audit = [audit_event(
                                now,
                                Actor::System,
                                scoped.link.as_ref().map(|(p, _)| &p.id),
                                Action::AutoRenewalRefused,
                                "resource",
                                &main.id,
                                None,
                                Some(format!("refused: {e}")),
                            )];
                            ctx.store.update_resources(&[Resource { updated_at: now, ..main.clone() }], &audit).await?;
                            continue;
                        }
                        set_policy(ctx, &family, opc_domain::order::ExpirePolicy::Grace).await?;
                    }
                }
            }
            opc_domain::order::ExpirePolicy::ToOnDemand if now >= main.expire => {
                let mut family = vec![main.clone()];
                family.extend(children_of(ctx, &main).await?);
                let closed: Vec<Resource> =
                    family.into_iter().map(|r| Resource { closed: true, updated_at: now, ..r }).collect();
                let audit = [audit_event(
                    now,
                    Actor::System,
                    scoped.link.as_ref().map(|(p, _)| &p.id),
                    Action::ExpiryPolicySet,
                    "resource",
                    &main.id,
                    Some("expire_policy=1".into()),
                    Some("billing=pay_per_use".into()),
                )];
                ctx.store.update_resources(&closed, &audit).await?;
                report.to_on_demand += 1;
            }
            _ => {}
        }
    }
    Ok(report)
}

/// Sets the expiry policy of a main resource and its children, as they are now.
async fn set_policy(
    ctx: &Context,
    family: &[Resource],
    policy: opc_domain::order::ExpirePolicy,
) -> Result<(), OrderOpError> {
    let mut changed = vec![];
    for r in family {
        if let Some(fresh) = ctx.store.resource(&r.id).await? {
            changed.push(Resource { policy, updated_at: ctx.clock.now(), ..fresh });
        }
    }
    let Some(main) = family.first() else { return Ok(()) };
    let audit = [audit_event(
        ctx.clock.now(),
        Actor::System,
        None,
        Action::AutoRenewalCancelled,
        "resource",
        &main.id,
        Some(format!("expire_policy={}", main.policy.code())),
        Some(format!("expire_policy={}", policy.code())),
    )];
    Ok(ctx.store.update_resources(&changed, &audit).await?)
}

/// A resource an unsubscription changes: its refunds and its expiry after.
type Planned = (Resource, Vec<opc_domain::order::Refund>, Timestamp);

/// B1.7.6: unsubscribes main resources with their children: one completed unsubscription order
/// per customer, whose lines refund each term (R-CPN-10 for what is refunded whole) and record
/// the consumed part. The refund lowers the customer's spend in the current cycle (R-RCM-17).
/// Unsubscribing is allowed to a frozen customer: it stops fees rather than incurring them.
pub async fn unsubscribe(
    ctx: &Context,
    principal: &Principal,
    ids: &[String],
    kind: Unsubscribe,
) -> Result<(Vec<String>, Vec<Failure>), OrderOpError> {
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
            let terms: Vec<_> = ctx.store.terms_of(&r.id).await?.into_iter().filter(|t| t.starts < r.expire).collect();
            match refunds_of(&terms, kind, now) {
                Ok((refunds, expire)) => planned.push((r, refunds, expire)),
                Err(e) if r.id == main.id => failed = Some(e),
                Err(_) => {}
            }
        }
        match failed {
            Some(e) => failures.push(Failure { resource_id: main.id.clone(), error: e.into() }),
            None => by_customer.entry(scoped.account.id.clone()).or_insert_with(|| (scoped, vec![])).1.extend(planned),
        }
    }
    let mut orders = vec![];
    for (_, (scoped, planned)) in by_customer {
        let id = order_id(now);
        let mut lines = vec![];
        let mut changed = vec![];
        for (r, refunds, expire) in planned {
            for refund in &refunds {
                lines.push(OrderLine {
                    id: format!("{id}-{}", lines.len() + 1),
                    resource_id: r.id.clone(),
                    parent_resource: r.parent.clone(),
                    product: r.product.clone(),
                    period: None,
                    official: Money::from_e8(-refund.refunded.e8()).unwrap_or(Money::ZERO),
                    consumed: refund.consumed,
                    term: None,
                    base_order: Some(refund.order_id.clone()),
                });
            }
            let closed = kind == Unsubscribe::ResourceAndRenewals;
            changed.push(Resource { closed, expire, updated_at: now, ..r });
        }
        let order = Order {
            id,
            customer: scoped.account.id.clone(),
            partner: scoped.owner(),
            order_type: OrderType::Unsubscription,
            status: OrderStatus::Completed,
            source: scoped.source,
            user_name: scoped.user_name.clone(),
            created_at: now,
            pay_by: now,
            paid_at: Some(now),
            lines,
            version: 0,
        };
        let refund = order.official()?;
        let charges: Vec<Charge> = (refund != Money::ZERO)
            .then(|| Charge {
                id: order.id.clone(),
                order_id: order.id.clone(),
                customer: order.customer.clone(),
                partner: scoped.owner(),
                amount: refund,
                cycle: Cycle::of(now, ctx.policy.billing_offset),
                at: now,
            })
            .into_iter()
            .collect();
        let ids: Vec<&str> = changed.iter().map(|r| r.id.as_str()).collect();
        let audit = [order_audit(
            now,
            &order,
            &scoped,
            Action::ResourcesUnsubscribed,
            None,
            format!("resources={} refund={}", ids.join(","), refund.to_plain_string()),
        )];
        let settlement = Settlement {
            order: &order,
            pending_version: None,
            new_resources: &[],
            changed_resources: &changed,
            charges: &charges,
            check: None,
            audit: &audit,
        };
        ctx.store.settle_order(&settlement).await?;
        orders.push(order.id);
    }
    Ok((orders, failures))
}

/// B1.6.6: the refund and consumed lines of an unsubscription order (none for other orders).
pub async fn refund_lines(
    ctx: &Context,
    principal: &Principal,
    order_id: &str,
    indirect_partner: Option<&str>,
) -> Result<(Order, Vec<OrderLine>), OrderOpError> {
    let order = details(ctx, principal, order_id, indirect_partner).await?;
    let lines = match order.order_type {
        OrderType::Unsubscription => order.lines.clone(),
        _ => vec![],
    };
    Ok((order, lines))
}

/// How a resource's expiry policy changes.
#[derive(Clone, Copy, Debug)]
pub enum PolicyChange {
    AutoRenew { period: Option<PeriodType>, times: Option<u8> },
    CancelAutoRenew,
    ToOnDemand(bool),
}

/// B1.7.4, B1.7.5, B1.7.10: changes the expiry policy of main resources and their children
/// (a VM's disks follow it). Enabling is a change a frozen or restricted customer cannot make;
/// cancelling is always possible. Returns the failures.
pub async fn change_policy(
    ctx: &Context,
    principal: &Principal,
    ids: &[String],
    change: PolicyChange,
) -> Result<Vec<Failure>, OrderOpError> {
    if ids.is_empty() || ids.len() > 100 {
        return Err(invalid("resource_ids", "name 1 to 100 main resources"));
    }
    let mut failures = vec![];
    for id in ids {
        let result = async {
            let (main, scoped) = resource_in_scope(ctx, principal, id, true).await?;
            let enabling = matches!(change, PolicyChange::AutoRenew { .. } | PolicyChange::ToOnDemand(true));
            if enabling {
                require_open(ctx, &scoped).await?;
            }
            let apply = |r: &Resource| match change {
                PolicyChange::AutoRenew { period, times } => r.auto_renew(period, times),
                PolicyChange::CancelAutoRenew => r.cancel_auto_renew(),
                PolicyChange::ToOnDemand(set) => r.to_on_demand(set),
            };
            let mut changed = vec![Resource { updated_at: ctx.clock.now(), ..apply(&main)? }];
            for child in children_of(ctx, &main).await? {
                let child = Resource { parent: None, ..child };
                if let Ok(c) = apply(&child) {
                    changed.push(Resource { parent: Some(main.id.clone()), updated_at: ctx.clock.now(), ..c });
                }
            }
            let (action, after) = match change {
                PolicyChange::AutoRenew { .. } => {
                    (Action::AutoRenewalSet, format!("expire_policy=auto_renew {:?}", changed[0].policy))
                }
                PolicyChange::CancelAutoRenew => (Action::AutoRenewalCancelled, "expire_policy=grace".to_owned()),
                PolicyChange::ToOnDemand(true) => (Action::ExpiryPolicySet, "expire_policy=to_on_demand".to_owned()),
                PolicyChange::ToOnDemand(false) => (Action::ExpiryPolicySet, "expire_policy=grace".to_owned()),
            };
            let audit = [audit_event(
                ctx.clock.now(),
                scoped.actor(),
                scoped.link.as_ref().map(|(p, _)| &p.id),
                action,
                "resource",
                &main.id,
                Some(format!("expire_policy={}", main.policy.code())),
                Some(after),
            )];
            ctx.store.update_resources(&changed, &audit).await?;
            Ok::<_, OrderOpError>(())
        };
        match result.await {
            Ok(()) => {}
            Err(e @ (OrderOpError::Store(_) | OrderOpError::Rating(_))) => return Err(e),
            Err(error) => failures.push(Failure { resource_id: id.clone(), error }),
        }
    }
    Ok(failures)
}

/// B1.7.9: the signer's renewal settings.
pub async fn set_renew_config(ctx: &Context, principal: &Principal, config: RenewConfig) -> Result<(), OrderOpError> {
    let account = super::accounts::own_account(ctx, principal).await?;
    let now = ctx.clock.now();
    let audit = [audit_event(
        now,
        Actor::Customer(account.id.clone()),
        match principal {
            Principal::Partner(c) => Some(&c.partner.id),
            Principal::Customer { .. } => None,
        },
        Action::RenewConfigSet,
        "account",
        account.id.as_str(),
        None,
        Some(format!("{config:?}")),
    )];
    ctx.store.set_renew_config(&account.id, config, now, &audit).await?;
    Ok(())
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
    let (list, total) = ctx.store.on_demand_resources(&scoped.account.id, query).await?;
    Ok((list, total, scoped.resources_frozen()))
}

/// The customer's current reseller-model partner, whom its authorization letter is for.
pub async fn partner_of(ctx: &Context, customer: &Account) -> Result<Option<opc_domain::PartnerId>, OrderOpError> {
    Ok(match own_scope(ctx, customer).await?.link {
        Some((partner, AssociationModel::Reseller)) => Some(partner.id),
        _ => None,
    })
}

/// R-RCM-14: the customer accepts (`true`) or withdraws the customer authorization letter for
/// its current reseller-model partner.
pub async fn authorize(ctx: &Context, customer: &Account, granted: bool) -> Result<Partner, OrderOpError> {
    let scoped = own_scope(ctx, customer).await?;
    let Some((partner, AssociationModel::Reseller)) = scoped.link else {
        return Err(invalid(
            "partner",
            "the authorization letter is for a partner you are associated with in the reseller model",
        ));
    };
    let now = ctx.clock.now();
    let action = if granted { Action::AuthorizationGranted } else { Action::AuthorizationWithdrawn };
    let audit = [audit_event(
        now,
        Actor::Customer(customer.id.clone()),
        Some(&partner.id),
        action,
        "customer",
        customer.id.as_str(),
        None,
        Some(format!("partner={}", partner.id)),
    )];
    ctx.store.set_authorization(&customer.id, &partner.id, granted.then_some(now), &audit).await?;
    Ok(partner)
}
