//! B1.7.4, B1.7.5, B1.7.10: a resource's expiry policy.

use opc_domain::audit::Action;
use opc_domain::order::PolicyChange;

use super::scope::{children_of, require_open, resource_in_scope};
use super::{invalid, Failure, OrderOpError};
use crate::ops::admin::audit_event;
use crate::ops::auth::Principal;
use crate::ops::{audit_text, Context};

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
            let now = ctx.clock.now();
            let mut changed = vec![main.change_policy(change, now)?];
            for child in children_of(ctx, &main).await? {
                if let Ok(c) = child.follow_policy(change, now) {
                    changed.push(c);
                }
            }
            let (action, after) = match change {
                PolicyChange::AutoRenew { .. } => (
                    Action::AutoRenewalSet,
                    format!("expire_policy={}", audit_text::expire_policy(changed[0].policy())),
                ),
                PolicyChange::CancelAutoRenew => (Action::AutoRenewalCancelled, "expire_policy=grace".to_owned()),
                PolicyChange::ToOnDemand(true) => (Action::ExpiryPolicySet, "expire_policy=to_on_demand".to_owned()),
                PolicyChange::ToOnDemand(false) => (Action::ExpiryPolicySet, "expire_policy=grace".to_owned()),
            };
            let audit = [audit_event(
                ctx.clock.now(),
                scoped.actor(),
                scoped.link.as_ref().map(|(p, _)| p.id()),
                action,
                "resource",
                main.id().as_str(),
                Some(format!("expire_policy={}", audit_text::expire_policy(main.policy()))),
                Some(after),
            )
            .on_behalf_of(scoped.on_behalf_of())];
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
