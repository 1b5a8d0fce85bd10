//! Who may act on which customer's orders and resources: a customer for itself, a partner for
//! its reseller customers (R-RCM-01) with the authorization letter to act (R-RCM-14); and what
//! stops a customer from buying (R-RCM-09, R-QUOTA-06, R-QUOTA-09).

use opc_domain::account::{Account, FreezeScope};
use opc_domain::association::AssociationModel;
use opc_domain::audit::Actor;
use opc_domain::order::{Order, OrderSource, Orderer, PurchaseBlock, Resource, ResourceError};
use opc_domain::organization::Permission;
use opc_domain::partner::Partner;
use opc_domain::{AccountId, OrderId, PartnerId, ResourceId};

use super::{invalid, Failure, OrderOpError};
use crate::ops::auth::{Caller, Principal};
use crate::ops::customers::{actor as customer_actor, owner, their_reseller_customer, CustomerError};
use crate::ops::Context;

/// The customer a request acts on, and its current partner.
pub struct Scoped {
    pub account: Account,
    pub link: Option<(Partner, AssociationModel)>,
    pub(super) source: OrderSource,
    pub(super) user_name: String,
    /// Who acts: the customer itself, or its partner (by key or in the console).
    actor: Actor,
}

impl Scoped {
    pub(super) fn owner(&self) -> Option<(PartnerId, AssociationModel)> {
        self.link.as_ref().map(|(p, m)| (p.id().clone(), *m))
    }

    /// Who places the scope's orders: the customer, its partner now, and who acts.
    pub(super) fn orderer(&self) -> Orderer {
        Orderer {
            customer: self.account.id().clone(),
            partner: self.owner(),
            source: self.source,
            user_name: self.user_name.clone(),
        }
    }

    /// Who acts, for the audit trail: the customer, or the partner acting for it.
    pub(super) fn actor(&self) -> Actor {
        self.actor.clone()
    }

    /// Whether its partner acts (by key or in the console), rather than the customer itself.
    pub(super) fn acted_by_partner(&self) -> bool {
        self.source == OrderSource::Partner
    }

    /// The customer a partner acts for, in its place (R-RCM-14); none when it acts itself.
    pub(super) fn on_behalf_of(&self) -> Option<AccountId> {
        (self.source == OrderSource::Partner).then(|| self.account.id().clone())
    }

    /// Whether the customer's resources are stopped (R-RCM-10).
    pub(super) fn resources_frozen(&self) -> bool {
        self.account.freeze().is_some_and(|f| f.scope == FreezeScope::AccountAndResource)
    }
}

fn user_name(caller: &Caller) -> String {
    match &caller.member {
        Some(m) => m.member.name().as_str().to_owned(),
        None => caller.partner.name().as_str().to_owned(),
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
            if customer_id.is_some_and(|id| id != account.id().as_str()) {
                return Err(CustomerError::NotYourCustomer(customer_id.unwrap_or_default().to_owned()).into());
            }
            own_scope(ctx, account).await
        }
        Principal::Partner(caller) => {
            let id = customer_id.ok_or_else(|| invalid("customer_id", "is required for a partner"))?;
            let permission = if act { Permission::ControlCustomers } else { Permission::ViewCustomers };
            let owner = owner(ctx, caller, indirect_partner, permission).await?;
            let view = their_reseller_customer(ctx, caller, &owner, id).await?;
            if act && ctx.store.authorization(view.account.id(), owner.id()).await?.is_none() {
                return Err(OrderOpError::NotAuthorized(id.to_owned()));
            }
            Ok(Scoped {
                account: view.account,
                link: Some((owner, AssociationModel::Reseller)),
                source: OrderSource::Partner,
                user_name: user_name(caller),
                actor: customer_actor(caller),
            })
        }
    }
}

/// A customer acting for itself, with its current partner.
pub(super) async fn own_scope(ctx: &Context, account: &Account) -> Result<Scoped, OrderOpError> {
    let link = match ctx.store.association_of(account.id()).await? {
        Some(a) => ctx.store.partner(a.partner()).await?.map(|p| (p, a.model())),
        None => None,
    };
    Ok(Scoped {
        account: account.clone(),
        link,
        source: OrderSource::Customer,
        user_name: account.name().as_str().to_owned(),
        actor: Actor::Customer(account.id().clone()),
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
pub(super) async fn order_in_scope(
    ctx: &Context,
    principal: &Principal,
    (order_id, indirect_partner): (&OrderId, Option<&str>),
    act: bool,
) -> Result<(Order, Scoped), OrderOpError> {
    let what = format!("order {order_id}");
    let order = ctx.store.order(order_id).await?.ok_or_else(|| OrderOpError::NotFound(what.clone()))?;
    let scoped = scope_of(ctx, principal, order.customer(), (&what, indirect_partner), act).await?;
    Ok((order, scoped))
}

pub(super) async fn resource_in_scope(
    ctx: &Context,
    principal: &Principal,
    id: &str,
    act: bool,
) -> Result<(Resource, Scoped), OrderOpError> {
    let what = format!("resource {id}");
    // An id that cannot be one is not found, like one that does not exist.
    let resource = match ResourceId::parse(id) {
        Ok(id) => ctx.store.resource(&id).await?,
        Err(_) => None,
    };
    let resource = resource.ok_or_else(|| OrderOpError::NotFound(what.clone()))?;
    let scoped = scope_of(ctx, principal, resource.customer(), (&what, None), act).await?;
    Ok((resource, scoped))
}

/// Why the customer cannot buy, renew or change now, if it cannot.
pub(super) async fn purchase_block(ctx: &Context, scoped: &Scoped) -> Result<Option<PurchaseBlock>, OrderOpError> {
    if let Some(freeze) = &scoped.account.freeze() {
        return Ok(Some(PurchaseBlock::CustomerFrozen(freeze.scope.to_string())));
    }
    let partner = scoped.link.as_ref().map(|(p, _)| p);
    let distributor = match partner.and_then(|p| p.distributor()) {
        Some(id) => ctx.store.partner(id).await?.map(|d| d.state()),
        None => None,
    };
    if let Some(block) = PurchaseBlock::of_partners(partner.map(|p| p.state()), distributor) {
        return Ok(Some(block));
    }
    let applications = ctx.store.program_applications_of(scoped.account.id()).await?;
    Ok(applications
        .iter()
        .find(|a| a.blocks_purchases())
        .map(|a| PurchaseBlock::ProgramApplication(format!("{:?}", a.program()))))
}

/// Why the customer `customer_id` names cannot buy, renew or change resources now, if it cannot:
/// what a console shows instead of the buttons that would be refused (issue 17).
pub async fn why_blocked(
    ctx: &Context,
    principal: &Principal,
    customer_id: Option<&str>,
) -> Result<Option<PurchaseBlock>, OrderOpError> {
    let scoped = scope(ctx, principal, customer_id, None, false).await?;
    purchase_block(ctx, &scoped).await
}

pub(super) async fn require_open(ctx: &Context, scoped: &Scoped) -> Result<(), OrderOpError> {
    match purchase_block(ctx, scoped).await? {
        Some(block) => Err(OrderOpError::Blocked(block)),
        None => Ok(()),
    }
}

/// The main resources named, in scope and open, with their children; the others as failures.
pub(super) async fn main_resources(
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
            Ok((r, _)) if r.closed() => {
                failures.push(Failure { resource_id: id.clone(), error: ResourceError::Closed.into() })
            }
            Ok((r, _)) if r.parent().is_some() => failures.push(Failure {
                resource_id: id.clone(),
                error: ResourceError::Child(r.parent().map(ResourceId::to_string).unwrap_or_default()).into(),
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
pub(super) async fn children_of(ctx: &Context, main: &Resource) -> Result<Vec<Resource>, OrderOpError> {
    Ok(ctx
        .store
        .resources_of(main.customer())
        .await?
        .into_iter()
        .filter(|r| r.parent() == Some(main.id()) && !r.closed())
        .collect())
}
