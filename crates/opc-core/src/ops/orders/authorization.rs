//! R-RCM-14: the customer authorization letter.

use opc_domain::account::Account;
use opc_domain::association::AssociationModel;
use opc_domain::audit::{Action, Actor};
use opc_domain::partner::Partner;
use opc_domain::PartnerId;

use super::scope::own_scope;
use super::{invalid, OrderOpError};
use crate::ops::admin::audit_event;
use crate::ops::Context;

/// The customer's current reseller-model partner, whom its authorization letter is for.
pub async fn partner_of(ctx: &Context, customer: &Account) -> Result<Option<PartnerId>, OrderOpError> {
    Ok(match own_scope(ctx, customer).await?.link {
        Some((partner, AssociationModel::Reseller)) => Some(partner.id().clone()),
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
        Actor::Customer(customer.id().clone()),
        Some(partner.id()),
        action,
        "customer",
        customer.id().as_str(),
        None,
        Some(format!("partner={}", partner.id())),
    )];
    ctx.store.set_authorization(customer.id(), partner.id(), granted.then_some(now), &audit).await?;
    Ok(partner)
}
