//! Public addresses the server hands out: under the public URL when the deployment names one,
//! else built from the request that asks for them.

use axum::http::{header, HeaderMap};
use opc_core::Context;

/// The public address of an invitation: under `--public-url` when set (a proxy's `Host` is not
/// trusted then), else from the request's Host (and a proxy's scheme).
pub(crate) fn invitation_url(ctx: &Context, headers: &HeaderMap, token: &str) -> String {
    if ctx.public_url.is_some() {
        return ctx.link(&format!("/invitations/{token}"));
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("localhost");
    let scheme =
        headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).filter(|s| *s == "https").unwrap_or("http");
    format!("{scheme}://{host}/invitations/{token}")
}
