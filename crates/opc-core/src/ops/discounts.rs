//! Partner discounts (issue 15; R-CPN-25 … R-CPN-33, R-RCM-13, A-09; BSS B1.6.3, B1.6.4,
//! B2.9.2): the operator keeps each service type's policy (whether partner discounts apply, its
//! exclusion, its incentive policy) and authorizes partners a scope per service type; a partner
//! sets general discounts for its referral customers and special ones (price adjustments) on
//! their pending orders; a referral customer sees its discounts and pays an order with one
//! ([`super::orders::pay`]). The rules are in [`opc_domain::discount`]; each decision is
//! written with its audit event in one transaction, on rows read with their versions.

use opc_domain::association::AssociationModel;
use opc_domain::audit::{Action, Actor};
use opc_domain::bill::Discount;
use opc_domain::catalog::ServiceType;
use opc_domain::discount::{
    self, AppliedDiscount, DiscountError, DiscountKind, DiscountRequest, DiscountScope, Exclusion, IncentivePolicy,
    PartnerDiscount, ServicePolicy, Weighed,
};
use opc_domain::order::Order;
use opc_domain::organization::Permission;
use opc_domain::partner::Partner;
use opc_domain::{AccountId, OrderId, PartnerId, Timestamp};

use super::admin::audit_event;
use super::audit_text;
use super::auth::Caller;
use super::customers::{actor, owner, their_customer, CustomerError};
use super::{random, Context};
use crate::store::{Constraint, DiscountQuery, Row, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum DiscountOpError {
    /// Tenancy: not your customer, not your reseller, no permission.
    #[error(transparent)]
    Scope(#[from] CustomerError),
    #[error(transparent)]
    Discount(#[from] DiscountError),
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("no partner {0}")]
    UnknownPartner(String),
    /// No such discount among the caller's, or no such order among its customers' (whether it
    /// exists or not).
    #[error("{0} was not found")]
    NotFound(String),
    #[error("the scope or discount changed meanwhile; retry")]
    Concurrent,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for DiscountOpError {
    fn from(e: StoreError) -> DiscountOpError {
        match e {
            StoreError::Conflict {
                constraint: Constraint::Stale(Row::DiscountScope | Row::PartnerDiscount) | Constraint::ForeignKey,
            } => DiscountOpError::Concurrent,
            other => DiscountOpError::Store(other),
        }
    }
}

fn new_id() -> String {
    hex::encode(random::<16>())
}

async fn partner(ctx: &Context, id: &str) -> Result<Partner, DiscountOpError> {
    let unknown = || DiscountOpError::UnknownPartner(id.to_owned());
    let parsed = PartnerId::parse(id).map_err(|_| unknown())?;
    ctx.store.partner(&parsed).await?.ok_or_else(unknown)
}

/// A service type the catalog sells.
async fn known_service_type(ctx: &Context, service_type: &str) -> Result<(), DiscountOpError> {
    let (_, catalog) = super::catalog::current(ctx).await?;
    if !catalog.service_types.iter().any(|s| s.code == service_type.trim()) {
        return Err(DiscountOpError::Invalid {
            field: "service_type",
            reason: format!("{service_type:?} is not a cloud service type of the catalog"),
        });
    }
    Ok(())
}

fn policy_text(p: &ServicePolicy) -> String {
    format!(
        "allow_discount={} incentive={} exclusion={}",
        p.allow_discount,
        audit_text::incentive_policy(p.incentive),
        p.exclusion.map_or("none", audit_text::exclusion)
    )
}

/// the operator sets a service type's policy: whether partner discounts apply to it (the
/// list of "Product Discounts and Incentives"), what it is when the seeds exclude it, and its
/// incentive policy. Audited.
pub async fn set_policy(
    ctx: &Context,
    operator: &str,
    service_type: &str,
    allow_discount: bool,
    incentive: IncentivePolicy,
    exclusion: Option<Exclusion>,
) -> Result<ServicePolicy, DiscountOpError> {
    known_service_type(ctx, service_type).await?;
    let now = ctx.clock.now();
    let policy = ServicePolicy::new(service_type, allow_discount, incentive, exclusion, now)?;
    let before = ctx.store.discount_policies().await?.into_iter().find(|p| p.service_type == policy.service_type);
    let audit = [audit_event(
        now,
        Actor::Operator(operator.to_owned()),
        None,
        Action::DiscountPolicySet,
        "discount_policy",
        &policy.service_type,
        before.as_ref().map(policy_text),
        Some(policy_text(&policy)),
    )];
    ctx.store.set_discount_policy(&policy, &audit).await?;
    Ok(policy)
}

/// B2.9.2: every service type's policy.
pub async fn policies(ctx: &Context) -> Result<Vec<ServicePolicy>, DiscountOpError> {
    Ok(ctx.store.discount_policies().await?)
}

/// B2.9.2: every service type of the catalog with its policy, if the operator set one.
pub async fn catalog_policies(ctx: &Context) -> Result<Vec<(ServiceType, Option<ServicePolicy>)>, DiscountOpError> {
    let (_, catalog) = super::catalog::current(ctx).await?;
    let policies = ctx.store.discount_policies().await?;
    Ok(catalog
        .service_types
        .into_iter()
        .map(|s| {
            let policy = policies.iter().find(|p| p.service_type == s.code).cloned();
            (s, policy)
        })
        .collect())
}

/// B2.9.1: the calling partner's scopes, with their service types' catalog entries.
pub async fn own_scopes(
    ctx: &Context,
    caller: &Caller,
) -> Result<Vec<(DiscountScope, Option<ServiceType>)>, DiscountOpError> {
    let (_, catalog) = super::catalog::current(ctx).await?;
    let scopes = ctx.store.discount_scopes(caller.partner.id()).await?;
    Ok(scopes
        .into_iter()
        .map(|s| {
            let entry = catalog.service_types.iter().find(|t| t.code == s.service_type).cloned();
            (s, entry)
        })
        .collect())
}

/// R-CPN-25, R-CPN-26: the operator authorizes `partner_id` up to `max_off` on a service type
/// from `from` (now when `None`), replacing the pair's scope. Audited.
pub async fn authorize_scope(
    ctx: &Context,
    operator: &str,
    partner_id: &str,
    service_type: &str,
    max_off: Discount,
    from: Option<Timestamp>,
) -> Result<DiscountScope, DiscountOpError> {
    let p = partner(ctx, partner_id).await?;
    known_service_type(ctx, service_type).await?;
    let mut attempt = 0;
    loop {
        match authorize_once(ctx, operator, &p, service_type, max_off, from).await {
            Err(DiscountOpError::Concurrent) if attempt + 1 < ATTEMPTS => attempt += 1,
            other => return other,
        }
    }
}

/// How many times a decision is made again after a concurrent one on the same scope or
/// discount landed first.
const ATTEMPTS: usize = 3;

async fn authorize_once(
    ctx: &Context,
    operator: &str,
    p: &Partner,
    service_type: &str,
    max_off: Discount,
    from: Option<Timestamp>,
) -> Result<DiscountScope, DiscountOpError> {
    let now = ctx.clock.now();
    let existing = ctx.store.discount_scopes(p.id()).await?.into_iter().find(|s| s.service_type == service_type.trim());
    let before = existing.as_ref().map(|s| format!("max_off={} from={}", s.max_off.fraction_text(), s.from));
    let scope = discount::authorize(existing, p.id(), service_type, max_off, from.unwrap_or(now), operator, now)?;
    let audit = [audit_event(
        now,
        Actor::Operator(operator.to_owned()),
        Some(p.id()),
        Action::DiscountScopeAuthorized,
        "discount_scope",
        &format!("{}:{}", p.id(), scope.service_type),
        before,
        Some(format!("max_off={} from={}", scope.max_off.fraction_text(), scope.from)),
    )];
    ctx.store.write_discount_scope(&scope, &audit).await?;
    tracing::info!(partner.id = %p.id(), service_type = %scope.service_type, "Discount scope authorized");
    Ok(scope)
}

/// The scopes authorized to a partner (the operator's view, by partner id).
pub async fn scopes_of(ctx: &Context, partner_id: &str) -> Result<Vec<DiscountScope>, DiscountOpError> {
    let p = partner(ctx, partner_id).await?;
    Ok(ctx.store.discount_scopes(p.id()).await?)
}

/// The caller's own scopes, discounts and the policies that govern them.
pub struct PartnerDiscounts {
    pub scopes: Vec<DiscountScope>,
    pub discounts: Vec<PartnerDiscount>,
    pub policies: Vec<ServicePolicy>,
}

/// R-CPN-25: what the calling partner was authorized and has set.
pub async fn of_partner(ctx: &Context, caller: &Caller) -> Result<PartnerDiscounts, DiscountOpError> {
    let owner = owner(ctx, caller, None, Permission::ViewCustomers).await?;
    let query = DiscountQuery { partner: Some(owner.id().clone()), ..DiscountQuery::default() };
    let mut discounts = ctx.store.partner_discounts(&query).await?;
    // R-ORG-19: a member sees the discounts of the customers it sees (and those for all).
    let mut seen = vec![];
    for d in discounts.drain(..) {
        let visible = match d.customer() {
            None => true,
            Some(c) => their_customer(ctx, caller, &owner, c.as_str()).await.is_ok(),
        };
        if visible {
            seen.push(d);
        }
    }
    Ok(PartnerDiscounts {
        scopes: ctx.store.discount_scopes(owner.id()).await?,
        discounts: seen,
        policies: ctx.store.discount_policies().await?,
    })
}

/// R-ORG-19: a discount for all the partner's referral customers is set or removed only by who
/// sees them all (not an account manager or director, who sees its own customers).
fn everyones(caller: &Caller) -> Result<(), DiscountOpError> {
    if caller.sees(None) {
        return Ok(());
    }
    Err(DiscountOpError::Invalid {
        field: "customer_id",
        reason: "account managers and directors set discounts for their own customers only: name one".into(),
    })
}

/// What a partner asks to set.
pub enum Target<'a> {
    /// A general discount for one customer, or (`None`) for all its referral customers.
    General { customer: Option<&'a str> },
    /// A special discount (price adjustment) on one pending order.
    Special { order: &'a str },
}

/// R-CPN-25 … R-CPN-27: the calling partner sets a general or a special discount on a service
/// type, within its scope; setting the same target again replaces its rate. Audited.
pub async fn set(
    ctx: &Context,
    caller: &Caller,
    target: Target<'_>,
    service_type: &str,
    off: Discount,
) -> Result<PartnerDiscount, DiscountOpError> {
    let owner = owner(ctx, caller, None, Permission::ControlCustomers).await?;
    let mut attempt = 0;
    loop {
        match set_once(ctx, caller, &owner, &target, service_type, off).await {
            Err(DiscountOpError::Concurrent) if attempt + 1 < ATTEMPTS => attempt += 1,
            other => return other,
        }
    }
}

async fn set_once(
    ctx: &Context,
    caller: &Caller,
    owner: &Partner,
    target: &Target<'_>,
    service_type: &str,
    off: Discount,
) -> Result<PartnerDiscount, DiscountOpError> {
    let now = ctx.clock.now();
    let scopes = ctx.store.discount_scopes(owner.id()).await?;
    let scope = scopes.iter().find(|s| s.service_type == service_type.trim());
    let policies = ctx.store.discount_policies().await?;
    let policy = policies.iter().find(|p| p.service_type == service_type.trim());
    let existing =
        ctx.store.partner_discounts(&DiscountQuery { partner: Some(owner.id().clone()), ..Default::default() }).await?;
    let discount = match target {
        Target::General { customer: None } => {
            everyones(caller)?;
            let request = DiscountRequest { partner: owner.id(), customer: None, service_type, off };
            discount::set_general(new_id(), &existing, &request, scope, policy, now)?
        }
        Target::General { customer: Some(id) } => {
            let view = their_customer(ctx, caller, owner, id).await?;
            let customer = (view.account.id(), view.association.model());
            let request = DiscountRequest { partner: owner.id(), customer: Some(customer), service_type, off };
            discount::set_general(new_id(), &existing, &request, scope, policy, now)?
        }
        Target::Special { order } => {
            let order = customers_order(ctx, caller, owner, order).await?;
            let view = their_customer(ctx, caller, owner, order.customer().as_str()).await?;
            let customer = (view.account.id(), view.association.model());
            let request = DiscountRequest { partner: owner.id(), customer: Some(customer), service_type, off };
            discount::set_special(new_id(), &existing, &order, &request, scope, policy, now)?
        }
    };
    let before = existing.iter().find(|d| d.id == discount.id).map(|d| format!("off={}", d.off.fraction_text()));
    let audit = [audit_event(
        now,
        actor(caller),
        Some(owner.id()),
        Action::PartnerDiscountSet,
        "partner_discount",
        &discount.id,
        before,
        Some(describe(&discount)),
    )];
    ctx.store.write_partner_discount(&discount, &audit).await?;
    Ok(discount)
}

fn describe(d: &PartnerDiscount) -> String {
    let target = match &d.kind {
        DiscountKind::General { customer: None } => "general customer=all".to_owned(),
        DiscountKind::General { customer: Some(c) } => format!("general customer={c}"),
        DiscountKind::Special { customer, order } => format!("special customer={customer} order={order}"),
    };
    format!("{target} service_type={} off={}", d.service_type, d.off.fraction_text())
}

/// An order of one of the owner's customers; a foreign or unknown one is not found.
async fn customers_order(ctx: &Context, caller: &Caller, owner: &Partner, id: &str) -> Result<Order, DiscountOpError> {
    let missing = || DiscountOpError::NotFound(format!("order {id}"));
    let parsed = OrderId::parse(id).map_err(|_| missing())?;
    let order = ctx.store.order(&parsed).await?.ok_or_else(missing)?;
    match their_customer(ctx, caller, owner, order.customer().as_str()).await {
        Ok(_) => Ok(order),
        Err(CustomerError::NotYourCustomer(_)) => Err(missing()),
        Err(e) => Err(e.into()),
    }
}

/// The calling partner removes one of its discounts. Audited.
pub async fn remove(ctx: &Context, caller: &Caller, id: &str) -> Result<PartnerDiscount, DiscountOpError> {
    let owner = owner(ctx, caller, None, Permission::ControlCustomers).await?;
    let query = DiscountQuery { partner: Some(owner.id().clone()), id: Some(id.to_owned()), ..Default::default() };
    let missing = || DiscountOpError::NotFound(format!("discount {id}"));
    let found = ctx.store.partner_discounts(&query).await?.pop().ok_or_else(missing)?;
    match found.customer() {
        Some(c) if their_customer(ctx, caller, &owner, c.as_str()).await.is_err() => return Err(missing()),
        Some(_) => {}
        None => everyones(caller)?,
    }
    let audit = [audit_event(
        ctx.clock.now(),
        actor(caller),
        Some(owner.id()),
        Action::PartnerDiscountRemoved,
        "partner_discount",
        &found.id,
        Some(describe(&found)),
        None,
    )];
    ctx.store.remove_partner_discount(&found, &audit).await?;
    Ok(found)
}

/// R-CPN-25 … R-CPN-33: the discounts `order` may be paid with, for its customer whose partner
/// and model are now `current` (none unless a referral customer's).
pub(crate) async fn offers_for(
    ctx: &Context,
    order: &Order,
    current: Option<&(PartnerId, AssociationModel)>,
) -> Result<Vec<AppliedDiscount>, DiscountOpError> {
    let Some((partner, AssociationModel::Referral)) = current else { return Ok(vec![]) };
    let query = DiscountQuery {
        partner: Some(partner.clone()),
        customer: Some(order.customer().clone()),
        with_all: true,
        ..DiscountQuery::default()
    };
    let discounts = ctx.store.partner_discounts(&query).await?;
    if discounts.is_empty() {
        return Ok(vec![]);
    }
    let scopes = ctx.store.discount_scopes(partner).await?;
    let policies = ctx.store.discount_policies().await?;
    let w =
        Weighed { order, current, discounts: &discounts, scopes: &scopes, policies: &policies, now: ctx.clock.now() };
    Ok(discount::offers(&w)?)
}

/// R-CPN-33: a referral customer's commercial discounts from its partner: the general ones for
/// it (or for all the partner's referral customers) and the special ones on its orders, with
/// the scope each is within now (those beyond it are not usable and not shown).
pub async fn of_customer(ctx: &Context, customer: &AccountId) -> Result<Vec<PartnerDiscount>, DiscountOpError> {
    let Some(association) = ctx.store.association_of(customer).await? else { return Ok(vec![]) };
    if association.model() != AssociationModel::Referral {
        return Ok(vec![]);
    }
    let partner = association.partner().clone();
    let query = DiscountQuery {
        partner: Some(partner.clone()),
        customer: Some(customer.clone()),
        with_all: true,
        ..DiscountQuery::default()
    };
    let scopes = ctx.store.discount_scopes(&partner).await?;
    let now = ctx.clock.now();
    Ok(ctx.store.partner_discounts(&query).await?.into_iter().filter(|d| discount::in_scope(d, &scopes, now)).collect())
}

/// The price trace of orders the caller already holds (read through `ops::orders`, so within
/// its tenancy): for each, the discount it was paid with, if any.
pub async fn applied(ctx: &Context, orders: &[Order]) -> Result<Vec<Option<AppliedDiscount>>, DiscountOpError> {
    let mut all = Vec::with_capacity(orders.len());
    for o in orders {
        all.push(ctx.store.applied_discount(o.id()).await?);
    }
    Ok(all)
}
