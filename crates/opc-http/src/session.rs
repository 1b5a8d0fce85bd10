//! Console sessions and the cookies that carry them, for the console API (`api`, which also
//! takes the token as a bearer) and the web console (`console`).

use axum::http::request::Parts;
use axum::http::{header, HeaderMap};

pub const SESSION_COOKIE: &str = "opc_session";

/// The `Set-Cookie` value that holds a new session for its lifetime.
pub fn session_cookie(token: &str) -> String {
    let max_age = opc_domain::console::Session::LIFETIME.0 / 1000;
    format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}")
}

/// The `Set-Cookie` value that ends the session cookie.
pub fn expired_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0")
}

/// The session token of a request: `Authorization: Bearer <token>`, else the session cookie (an
/// empty one is taken as it is, unlike in [`cookie`]).
pub fn token(parts: &Parts) -> Option<String> {
    if let Some(bearer) =
        parts.headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some(bearer.trim().to_owned());
    }
    parts
        .headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// The value of cookie `name`; an empty value counts as absent.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, v)| *n == name && !v.is_empty())
        .map(|(_, v)| v.to_owned())
}
