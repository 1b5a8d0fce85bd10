//! The partner API, wire-compatible with Huawei Cloud's BSS partner APIs (spec/BSS-API.md):
//! exact paths, JSON field names and enumerations. The only module that knows them.

mod customers;
mod wire;

use axum::routing::post;
use axum::Router;
use opc_core::Context;

/// Every BSS route. The caller wraps them in the signature middleware.
pub fn routes() -> Router<Context> {
    Router::new().route("/v2/partners/sub-customers/query", post(customers::list_sub_customers))
}
