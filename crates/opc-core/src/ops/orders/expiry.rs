//! The expiry job: automatic renewals and the change to pay-per-use at expiry.

use opc_domain::audit::{Action, Actor};
use opc_domain::order::{ExpirePolicy, OrderSource, Resource};
use opc_domain::Millis;

use super::pay::settle_payment;
use super::renew::renewal_order;
use super::scope::{children_of, own_scope};
use super::OrderOpError;
use crate::ops::admin::audit_event;
use crate::ops::{audit_text, Context};

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
    let horizon = now.plus(Millis::days(i64::from(DEDUCTION_DAYS_DEFAULT.max(7))));
    let mut report = ExpiryReport::default();
    for main in ctx.store.resources_due(horizon, 200).await? {
        let Some(account) = ctx.store.account(main.customer()).await? else { continue };
        let mut scoped = own_scope(ctx, &account).await?;
        scoped.source = OrderSource::System;
        scoped.user_name = "system".into();
        match main.policy() {
            ExpirePolicy::AutoRenew { period, times } => {
                let days = ctx.store.renew_config(account.id()).await?.0.unwrap_or(DEDUCTION_DAYS_DEFAULT);
                let window = main.expire().plus(Millis::days(-i64::from(days)));
                // Before expiry, once a day: a resource changed (or refused) within its window
                // in the last day waits; at expiry it is the last try.
                let recent = main.updated_at() >= window && now < main.updated_at().plus(Millis::days(1));
                if now < window || (now < main.expire() && recent) {
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
                            1 => ExpirePolicy::Grace,
                            0 => main.policy(),
                            n => ExpirePolicy::AutoRenew { period, times: n - 1 },
                        };
                        if policy != main.policy() {
                            set_policy(ctx, &family, policy).await?;
                        }
                    }
                    Err(OrderOpError::Store(e)) => return Err(OrderOpError::Store(e)),
                    Err(e) => {
                        tracing::warn!(resource.id = %main.id(), error = %e, "Automatic renewal refused");
                        report.refused += 1;
                        if now < main.expire() {
                            // Tried again a day later (the customer may be unfrozen by then).
                            let audit = [audit_event(
                                now,
                                Actor::System,
                                scoped.link.as_ref().map(|(p, _)| p.id()),
                                Action::AutoRenewalRefused,
                                "resource",
                                main.id().as_str(),
                                None,
                                Some(format!("refused: {e}")),
                            )];
                            ctx.store.update_resources(&[main.touched(now)], &audit).await?;
                            continue;
                        }
                        set_policy(ctx, &family, ExpirePolicy::Grace).await?;
                    }
                }
            }
            ExpirePolicy::ToOnDemand if now >= main.expire() => {
                let mut family = vec![main.clone()];
                family.extend(children_of(ctx, &main).await?);
                let closed: Vec<Resource> = family.iter().map(|r| r.closed_at(now)).collect();
                let audit = [audit_event(
                    now,
                    Actor::System,
                    scoped.link.as_ref().map(|(p, _)| p.id()),
                    Action::ExpiryPolicySet,
                    "resource",
                    main.id().as_str(),
                    Some(format!("expire_policy={}", audit_text::expire_policy(ExpirePolicy::ToOnDemand))),
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
async fn set_policy(ctx: &Context, family: &[Resource], policy: ExpirePolicy) -> Result<(), OrderOpError> {
    let mut changed = vec![];
    for r in family {
        if let Some(fresh) = ctx.store.resource(r.id()).await? {
            changed.push(fresh.with_policy(policy, ctx.clock.now()));
        }
    }
    let Some(main) = family.first() else { return Ok(()) };
    let audit = [audit_event(
        ctx.clock.now(),
        Actor::System,
        None,
        Action::AutoRenewalCancelled,
        "resource",
        main.id().as_str(),
        Some(format!("expire_policy={}", audit_text::expire_policy(main.policy()))),
        Some(format!("expire_policy={}", audit_text::expire_policy(policy))),
    )];
    Ok(ctx.store.update_resources(&changed, &audit).await?)
}
