//! The deadlines the server keeps while it runs: yearly/monthly resources' automatic renewal
//! and change to pay-per-use (`ops::orders::process_expiries`). Each run reads the deadlines
//! from the database, so a restarted or second server picks them up.

use std::time::Duration;

use opc_core::ops::orders;
use opc_core::Context;

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
