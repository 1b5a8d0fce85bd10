//! Console sessions and the cookies that carry them, for the console API (`api`, which also
//! takes the token as a bearer) and the web console (`console`).
//!
//! Every cookie the server sets is named and marked here, by [`Cookies`].

use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use opc_core::{Context, PublicUrl};
use sha2::{Digest, Sha256};

/// The cookies the console sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cookie {
    /// The session token (HttpOnly: no script reads it).
    Session,
    /// The pre-sign-in CSRF token, repeated in the forms shown before sign-in.
    Csrf,
    /// A message for the page a redirect leads to, shown once.
    Flash,
    /// The console's language chosen in its header (`en-US` or `zh-CN`; `console::i18n`).
    Lang,
}

/// How this server names and marks its cookies. Served over HTTPS (the deployment's public URL
/// is https://), each cookie is `Secure` and named with the `__Host-` prefix, which a browser
/// accepts only when set over HTTPS by this very host for `Path=/` without `Domain` (issue 18):
/// neither a sibling subdomain nor a plain-HTTP page can plant one, and only that name is read.
/// Over plain HTTP (a local run) they keep their bare names, so the local console keeps working.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cookies {
    https: bool,
}

impl Cookies {
    pub fn of(ctx: &Context) -> Cookies {
        Cookies { https: ctx.public_url.as_ref().is_some_and(opc_core::PublicUrl::is_https) }
    }

    /// The name `cookie` has on this server.
    pub fn name(self, cookie: Cookie) -> &'static str {
        match (cookie, self.https) {
            (Cookie::Session, false) => "opc_session",
            (Cookie::Session, true) => "__Host-opc_session",
            (Cookie::Csrf, false) => "opc_csrf",
            (Cookie::Csrf, true) => "__Host-opc_csrf",
            (Cookie::Flash, false) => "opc_flash",
            (Cookie::Flash, true) => "__Host-opc_flash",
            (Cookie::Lang, false) => "opc_lang",
            (Cookie::Lang, true) => "__Host-opc_lang",
        }
    }

    /// The value of `cookie` in the request; an empty value counts as absent.
    pub fn read(self, headers: &HeaderMap, cookie: Cookie) -> Option<String> {
        cookie_pairs(headers).find(|(n, v)| *n == self.name(cookie) && !v.is_empty()).map(|(_, v)| v.to_owned())
    }

    /// The `Set-Cookie` value that sets `cookie` to `value` for `max_age_s` seconds (`None`:
    /// until the browser closes). Every cookie is HttpOnly, SameSite=Lax, `Path=/` and has no
    /// `Domain`. `None` if `value` cannot be in a header (values are hex or URL-safe tokens).
    pub fn header(self, cookie: Cookie, value: &str, max_age_s: Option<u64>) -> Option<HeaderValue> {
        let name = self.name(cookie);
        let secure = if self.https { "; Secure" } else { "" };
        let max_age = max_age_s.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
        HeaderValue::from_str(&format!("{name}={value}{secure}; HttpOnly; SameSite=Lax; Path=/{max_age}")).ok()
    }

    /// Appends the `Set-Cookie` of [`Cookies::header`] to `headers`.
    pub fn set(self, headers: &mut HeaderMap, cookie: Cookie, value: &str, max_age_s: Option<u64>) {
        if let Some(value) = self.header(cookie, value, max_age_s) {
            headers.append(header::SET_COOKIE, value);
        }
    }

    /// Appends the `Set-Cookie` that removes `cookie`.
    pub fn expire(self, headers: &mut HeaderMap, cookie: Cookie) {
        self.set(headers, cookie, "", Some(0));
    }

    /// Appends the `Set-Cookie` that holds a new session for its lifetime.
    pub fn set_session(self, headers: &mut HeaderMap, token: &str) {
        let max_age_s = opc_domain::console::Session::LIFETIME.0 / 1000;
        self.set(headers, Cookie::Session, token, u64::try_from(max_age_s).ok());
    }
}

fn cookie_pairs(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
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
/// session cookie (an empty one is taken as it is, unlike in [`Cookies::read`]).
pub fn token_and_carrier(parts: &Parts, cookies: Cookies) -> Option<(String, Carrier)> {
    if let Some(bearer) =
        parts.headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some((bearer.trim().to_owned(), Carrier::Bearer));
    }
    let cookie = cookie_pairs(&parts.headers)
        .find(|(name, _)| *name == cookies.name(Cookie::Session))
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

/// Whether the request's `Origin` is this site's: the public URL's origin when the deployment
/// names one (behind a proxy, `Host` may be an internal name), else `http(s)://` and the
/// request's `Host`. Without an `Origin`, `absent` decides.
pub fn same_origin(headers: &HeaderMap, public: Option<&PublicUrl>, absent: bool) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return absent };
    if let Some(public) = public {
        return origin.eq_ignore_ascii_case(public.origin());
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    origin.split_once("://").is_some_and(|(_, rest)| !host.is_empty() && rest == host)
}
