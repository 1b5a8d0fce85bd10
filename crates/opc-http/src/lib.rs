//! The HTTP surfaces of Open Partner Center. Today: the BSS-compatible partner API and
//! `/health`. Handlers translate wire formats and call `opc_core::ops`; they hold no rules.
//!
//! API boundary: the only crate that knows the vendor's field names, enumerations and error
//! codes ([`error::ErrorCode::wire`]). Domain types are never `Serialize`.

pub mod api;
mod audience;
pub mod auth;
mod bss;
mod codes;
pub mod console;
pub mod error;
pub mod extract;
mod hcpn;
mod links;
pub mod middleware;
pub(crate) mod replay;
mod session;
pub mod throttle;

use axum::routing::get;
use axum::{Json, Router};
use opc_core::Context;
use serde_json::{json, Value};
use tower_http::catch_panic::CatchPanicLayer;

/// Settings of the HTTP surfaces.
#[derive(Clone, Copy, Debug)]
pub struct HttpConfig {
    /// Requests per second per (source IP, API, account); 0 turns throttling off.
    pub throttle_per_second: u32,
}

/// The whole application, ready to serve or to drive with `oneshot` in tests.
pub fn router(ctx: Context, config: HttpConfig) -> Router {
    let throttle = std::sync::Arc::new(throttle::Throttle::new(config.throttle_per_second, ctx.clock.clone()));
    // Writes are answered once per signature (inside the signature check, which finds the caller).
    let writes = bss::writes()
        .route_layer(axum::middleware::from_fn_with_state(ctx.clone(), replay::answer_once))
        .route_layer(axum::middleware::from_fn_with_state(ctx.clone(), auth::require_signature_for_write));
    // Reads authenticate from what this process keeps of the key while nothing changed.
    let reads =
        bss::reads().route_layer(axum::middleware::from_fn_with_state(ctx.clone(), auth::require_signature_for_read));
    let bss = reads.merge(writes).route_layer(axum::middleware::from_fn_with_state(throttle, throttle::throttle));
    Router::new()
        .route("/health", get(health))
        .merge(bss)
        .merge(api::routes())
        .merge(console::routes())
        .fallback(middleware::route_not_found)
        .method_not_allowed_fallback(middleware::method_not_allowed)
        .layer(CatchPanicLayer::custom(middleware::panic_response))
        .layer(axum::middleware::from_fn(middleware::request_context))
        .with_state(ctx)
}

async fn health() -> Json<Value> {
    Json(json!({"status": "ok"}))
}
