//! Console sessions and the cookies that carry them, for the console API (`api`, which also
//! takes the token as a bearer) and the web console (`console`).

use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use sha2::{Digest, Sha256};

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

/// How a request carried its session token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carrier {
    /// `Authorization: Bearer`: a script that holds the token, which no other site can send.
    Bearer,
    /// The session cookie, which the browser attaches to requests other sites make too.
    Cookie,
}

/// The session token of a request and how it came: `Authorization: Bearer <token>`, else the
/// session cookie (an empty one is taken as it is, unlike in [`cookie`]).
pub fn token_and_carrier(parts: &Parts) -> Option<(String, Carrier)> {
    if let Some(bearer) =
        parts.headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some((bearer.trim().to_owned(), Carrier::Bearer));
    }
    let cookie = parts
        .headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned());
    cookie.map(|token| (token, Carrier::Cookie))
}

/// The CSRF token bound to a session: what its forms carry (`_csrf`) and what a cookie-carried
/// change of the console API sends as `X-CSRF-Token`. Another site can neither read nor derive it.
pub fn csrf_token(session_token: &str) -> String {
    let digest = Sha256::digest(format!("opc-console-csrf\0{session_token}").as_bytes());
    hex::encode(&digest[..16])
}

/// Whether `sent` is `expected`, compared in constant time.
pub fn same_secret(expected: &str, sent: &str) -> bool {
    use subtle::ConstantTimeEq;
    expected.len() == sent.len() && bool::from(expected.as_bytes().ct_eq(sent.as_bytes()))
}

/// Whether the request's `Origin` names this host; without an `Origin`, `absent` decides.
pub fn same_origin(headers: &HeaderMap, absent: bool) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return absent };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    origin.split_once("://").is_some_and(|(_, rest)| !host.is_empty() && rest == host)
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
