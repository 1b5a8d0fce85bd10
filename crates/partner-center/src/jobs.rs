//! The deadlines the server keeps while it runs: yearly/monthly resources' automatic renewal
//! and change to pay-per-use (`ops::orders::process_expiries`), and the monthly bill run
//! (`ops::bills::run`) once a month's closing time has come, then expired coupons and the
//! test-coupon notices (`ops::test_coupons::remind`). Each run reads the deadlines
//! from the database, so a restarted or second server picks them up; a bill run is claimed
//! with a lease, so several servers close a month once.

use std::time::Duration;

use opc_core::ops::{bills, orders};
use opc_core::Context;
use opc_domain::bill::closing_due;

/// Runs the expiry job every `every`, until the process ends.
pub fn spawn_expiries(ctx: Context, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match orders::process_expiries(&ctx).await {
                Ok(r) if r.renewed + r.to_on_demand + r.refused > 0 => {
                    tracing::info!(
                        renewed = r.renewed,
                        to_on_demand = r.to_on_demand,
                        refused = r.refused,
                        "Resource deadlines kept"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "The expiry job failed"),
            }
        }
    });
}

/// When a month closes: `day` of the next month at `hour`, in the billing zone.
#[derive(Clone, Copy, Debug)]
pub struct Closing {
    pub day: u32,
    pub hour: u32,
}

/// Closes the month that ended last once its closing time has come, and resumes any run left
/// unfinished (a crash, a lost lease), checking every `every`.
pub fn spawn_bill_runs(ctx: Context, closing: Closing, every: Duration) {
    let owner = format!("serve-{}-{:08x}", std::process::id(), u32::from_be_bytes(opc_core::ops::random()));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = close_due_months(&ctx, closing, &owner).await {
                tracing::error!(error = %e, "The bill run failed; it resumes at the next check");
            }
            // Expired coupons give their balance back to their quota: each once, whichever
            // process gets there first (the write is version-checked).
            match opc_core::ops::coupons::expire_coupons(&ctx, 500).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(coupons = n, "Expired coupons returned to their quotas"),
                Err(e) => tracing::error!(error = %e, "Closing expired coupons failed; it resumes at the next check"),
            }
            // R-CPN-18, R-NOTIF-04: test-coupon notices, each once whichever process sends it
            // (the store records each notice with its notifications).
            match opc_core::ops::test_coupons::remind(&ctx, 500).await {
                Ok(r) if r.notices > 0 => tracing::info!(notices = r.notices, "Test-coupon notices queued"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "Test-coupon reminders failed; they resume at the next check"),
            }
        }
    });
}

async fn close_due_months(ctx: &Context, closing: Closing, owner: &str) -> anyhow::Result<()> {
    let now = ctx.clock.now();
    let mut months: Vec<_> = ctx
        .store
        .bill_runs(12)
        .await?
        .into_iter()
        .filter(|r| r.phase != opc_core::store::RunPhase::Done)
        .map(|r| r.cycle)
        .collect();
    if let Some(last) = bills::last_closed_month(ctx, now) {
        if now >= closing_due(last, closing.day, closing.hour, ctx.policy.billing_offset)? && !months.contains(&last) {
            months.push(last);
        }
    }
    months.sort();
    for cycle in months {
        if let Some(run) = bills::run(ctx, cycle, owner, |_| ()).await? {
            tracing::info!(
                cycle = cycle.0,
                customers = run.customers_done,
                partners = run.partners_done,
                "Month closed"
            );
        }
    }
    Ok(())
}
