//! The web console: server-rendered HTML pages for partners (and their organization members),
//! customers and the operator's staff, over the same `ops` use cases as the APIs. No business
//! rule lives here: handlers read a form, call `ops`, and render what comes back; every error is
//! the use case's own, shown next to the field it names.
//!
//! Sessions are the console API's (`opc_session`, HttpOnly, SameSite=Lax; `__Host-` and Secure
//! over HTTPS: `session::Cookies`). Every form that
//! changes something carries a CSRF token: for a signed-in user it is derived from the session
//! token (which no script can read); before sign-in it is a random cookie repeated in the form
//! (double submit). A request whose `Origin` names another host is refused as well.

// Handlers return `Result<Response, Response>`: the error is the page that refuses, built
// once where the refusal is decided. Boxing it would buy nothing on this cold path.
#![allow(clippy::result_large_err)]

mod audit;
mod chart;
mod customer;
mod discounts;
mod extract;
mod form;
pub mod i18n;
mod notices;
mod operator;
mod operator_bills;
mod operator_coupons;
mod operator_realname;
mod orders;
mod packages;
mod page;
mod partner;
mod personnel;
mod programs;
mod realname_scan;
mod sign;
mod spend;
mod stored_value;
mod trace;
mod xlsx;

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use maud::Markup;
use opc_core::ops::console::{self, ConsoleUser};
use opc_core::Context;

use crate::error::ApiError;
use crate::session::{Cookie, Cookies};

pub use form::{Checks, Failed, Posted};

/// The console's routes, served at `/`.
pub fn routes() -> Router<Context> {
    Router::new()
        .route("/", get(home))
        .route("/assets/console.css", get(page::stylesheet))
        .route("/assets/console.js", get(page::script))
        .merge(sign::routes())
        .merge(i18n::routes())
        .merge(partner::routes())
        .merge(customer::routes())
        .merge(orders::routes())
        .merge(notices::routes())
        .merge(operator::routes())
        .merge(operator_bills::routes())
        .merge(operator_coupons::routes())
        .merge(operator_realname::routes())
        .merge(realname_scan::routes())
        .merge(stored_value::routes())
        .merge(discounts::routes())
        .merge(programs::routes())
        .merge(audit::routes())
        .merge(personnel::routes())
}

/// `/`: the signed-in user's home page, or the sign-in page.
async fn home(viewer: Option<Viewer>) -> Redirect {
    match viewer.map(|v| v.user) {
        None => Redirect::to("/login"),
        Some(ConsoleUser::Staff(_)) => Redirect::to("/operator"),
        Some(ConsoleUser::Account { partner: Some(_), .. } | ConsoleUser::Member { .. }) => Redirect::to("/partner"),
        Some(ConsoleUser::Account { partner: None, .. }) => Redirect::to("/my-partner"),
    }
}

/// A signed-in user looking at a page. A request without a live session is sent to the
/// sign-in page, which brings it back afterwards.
pub struct Viewer {
    pub user: ConsoleUser,
    token: String,
    /// A message left by the previous request (after a redirect), shown once.
    pub flash: Option<Flash>,
    /// The path and query of this request.
    pub here: String,
    /// How this server names and marks its cookies.
    pub cookies: Cookies,
    /// The language the viewer reads (`i18n::Lang::of_request`).
    pub lang: i18n::Lang,
    /// Whether this request is a GET, which the language switch can come back to (a form
    /// re-rendered by its POST cannot be reloaded by a link).
    reloadable: bool,
}

#[derive(Clone, Debug)]
pub enum Flash {
    Done(String),
    Failed(String),
}

impl Viewer {
    /// Where the language switch comes back to: this page, or the home page after a POST.
    pub fn switch_back(&self) -> &str {
        if self.reloadable {
            &self.here
        } else {
            "/"
        }
    }

    /// The CSRF token that this session's forms carry.
    pub fn csrf(&self) -> String {
        crate::session::csrf_token(&self.token)
    }
}

impl FromRequestParts<Context> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, ctx: &Context) -> Result<Viewer, Response> {
        let here = OriginalUri::from_request_parts(parts, ctx)
            .await
            .map(|u| u.0.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into()))
            .unwrap_or_else(|_| "/".into());
        let to_login = || Redirect::to(&format!("/login?next={}", form::encode(&here))).into_response();
        let cookies = Cookies::of(ctx);
        let Some(token) = cookies.read(&parts.headers, Cookie::Session) else { return Err(to_login()) };
        match console::user(ctx, &token).await {
            Ok(user) => {
                // The person's stored choice, else this browser's.
                let lang = match console::language(ctx, &user.subject()).await {
                    Ok(Some(stored)) => stored.into(),
                    Ok(None) => i18n::Lang::of_request(cookies, &parts.headers),
                    Err(e) => return Err(page::failure(ApiError::from(e))),
                };
                // Left for the form extractor (`Posted`), which comes after this one.
                parts.extensions.insert(lang);
                let reloadable = parts.method == axum::http::Method::GET;
                Ok(Viewer { user, token, flash: flash_of(cookies, &parts.headers), here, cookies, lang, reloadable })
            }
            Err(console::ConsoleError::Store(e)) => Err(page::failure(ApiError::internal(e))),
            Err(_) => Err(to_login()),
        }
    }
}

impl axum::extract::OptionalFromRequestParts<Context> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, ctx: &Context) -> Result<Option<Viewer>, Response> {
        if Cookies::of(ctx).read(&parts.headers, Cookie::Session).is_none() {
            return Ok(None);
        }
        match <Viewer as FromRequestParts<Context>>::from_request_parts(parts, ctx).await {
            Ok(v) => Ok(Some(v)),
            Err(r) if r.status().is_redirection() => Ok(None),
            Err(r) => Err(r),
        }
    }
}

fn flash_of(cookies: Cookies, headers: &HeaderMap) -> Option<Flash> {
    let raw = hex::decode(cookies.read(headers, Cookie::Flash)?).ok()?;
    let (kind, text) = raw.split_first()?;
    let text = String::from_utf8(text.to_vec()).ok()?;
    match kind {
        b'+' => Some(Flash::Done(text)),
        b'-' => Some(Flash::Failed(text)),
        _ => None,
    }
}

/// A 303 redirect to `to` that shows `message` there once.
pub fn done(cookies: Cookies, to: &str, message: impl AsRef<str>) -> Response {
    with_flash(cookies, to, b'+', message.as_ref())
}

/// A 303 redirect to `to` that shows the error there once (for actions without a form to
/// re-render, such as a button in a table row).
pub fn refused(cookies: Cookies, to: &str, error: &ApiError) -> Response {
    with_flash(cookies, to, b'-', error.message())
}

fn with_flash(cookies: Cookies, to: &str, kind: u8, message: &str) -> Response {
    let mut raw = vec![kind];
    raw.extend(message.chars().take(300).collect::<String>().as_bytes());
    let mut response = Redirect::to(to).into_response();
    cookies.set(response.headers_mut(), Cookie::Flash, &hex::encode(raw), Some(60));
    response
}

/// A full page for the viewer: its navigation, the flash message (cleared), and `body`.
pub fn render(viewer: &Viewer, title: &str, body: Markup) -> Response {
    let mut response = page::document(title, Some(viewer), body).into_response();
    if viewer.flash.is_some() {
        clear_flash(viewer.cookies, &mut response);
    }
    response
}

/// A page with a form on it: 422 when the form was refused (its error is next to its field).
pub fn render_form(viewer: &Viewer, title: &str, body: Markup, failed: Option<&Failed>) -> Response {
    let mut response = render(viewer, title, body);
    if failed.is_some() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

fn clear_flash(cookies: Cookies, response: &mut Response) {
    cookies.expire(response.headers_mut(), Cookie::Flash);
}

/// A page refused to this viewer (wrong audience, missing permission, a foreign id).
pub fn denied(viewer: &Viewer, error: ApiError) -> Response {
    if error.code() == crate::error::ErrorCode::Internal {
        return page::failure(error);
    }
    let status = error.code().wire().0;
    let title = viewer.lang.t("denied-title");
    let body = maud::html! {
        h1 { (title) }
        p role="alert" { (error.message()) }
        p { a href="/" { (viewer.lang.t("denied-home")) } }
    };
    (status, render(viewer, &title, body)).into_response()
}

/// Whether the `{decision}` of a path approves (`approve`) or rejects (`reject`); any other
/// word is a page that does not exist.
pub fn approves(viewer: &Viewer, decision: &str) -> Result<bool, Response> {
    match decision {
        "approve" => Ok(true),
        "reject" => Ok(false),
        _ => Err(denied(viewer, ApiError::new(crate::error::ErrorCode::NotFound, "No such decision."))),
    }
}

/// Turns a use case's error into the page that refuses it.
pub trait OrDeny<T> {
    fn or_deny(self, viewer: &Viewer) -> Result<T, Response>;
}

impl<T, E: Into<ApiError>> OrDeny<T> for Result<T, E> {
    fn or_deny(self, viewer: &Viewer) -> Result<T, Response> {
        self.map_err(|e| denied(viewer, e.into()))
    }
}

/// The query of a list page: its page number, CSV export, and the filters some lists take.
#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    pub page: Option<String>,
    pub format: Option<String>,
    pub q: Option<String>,
    pub model: Option<String>,
    pub queue: Option<String>,
    /// Which table of the page a CSV download is for (`Table::slug`), on pages with several.
    pub table: Option<String>,
}

impl ListQuery {
    pub fn paging(&self) -> page::Paging {
        page::Paging::from_query(self.page.as_deref())
    }

    pub fn csv(&self) -> bool {
        self.format.as_deref() == Some("csv")
    }

    pub fn xlsx(&self) -> bool {
        self.format.as_deref() == Some("xlsx")
    }

    pub fn text(&self) -> Option<&str> {
        self.q.as_deref().map(str::trim).filter(|q| !q.is_empty())
    }
}

/// The CSRF token of a page shown before sign-in, and the cookie to set if it is new.
pub fn anonymous_csrf(cookies: Cookies, headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    if let Some(token) = cookies.read(headers, Cookie::Csrf).filter(|t| t.len() == 32) {
        return (token, None);
    }
    let token = hex::encode(opc_core::ops::random::<16>());
    let cookie = cookies.header(Cookie::Csrf, &token, None);
    (token, cookie)
}

/// Whether a posted form's CSRF token is the one its sender calls for: with a live session, the
/// session's token only (issue 18: the pre-sign-in cookie is not honoured beside a session);
/// before sign-in, or beside a stale session cookie (a sign-in form), the CSRF cookie's.
async fn csrf_matches(ctx: &Context, headers: &HeaderMap, sent: &str) -> Result<bool, Response> {
    use crate::session::{csrf_token, same_secret};
    let cookies = Cookies::of(ctx);
    if let Some(session) = cookies.read(headers, Cookie::Session) {
        match console::user(ctx, &session).await {
            Ok(_) => return Ok(same_secret(&csrf_token(&session), sent)),
            Err(console::ConsoleError::Store(e)) => return Err(page::failure(ApiError::internal(e))),
            Err(_) => {}
        }
    }
    Ok(cookies.read(headers, Cookie::Csrf).is_some_and(|token| same_secret(&token, sent)))
}

/// A status and a short explanation, as a page without navigation.
pub fn plain(status: StatusCode, title: &str, message: &str) -> Response {
    plain_in(i18n::Lang::English, status, title, message)
}

/// [`plain`] in `lang` (its title and message given in `lang`).
pub fn plain_in(lang: i18n::Lang, status: StatusCode, title: &str, message: &str) -> Response {
    let body = maud::html! {
        h1 { (title) }
        p role="alert" { (message) }
        p { a href="/" { (lang.t("plain-back")) } }
    };
    (status, page::document_in(lang, "/", title, body)).into_response()
}
