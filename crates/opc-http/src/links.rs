//! Public addresses the server hands out, built from the request that asks for them.

use axum::http::{header, HeaderMap};

/// The public address of an invitation, from the request's Host (and a proxy's scheme).
pub(crate) fn invitation_url(headers: &HeaderMap, token: &str) -> String {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("localhost");
    let scheme =
        headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).filter(|s| *s == "https").unwrap_or("http");
    format!("{scheme}://{host}/invitations/{token}")
}
