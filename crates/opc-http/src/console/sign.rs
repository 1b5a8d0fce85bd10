//! Signing in and out. One form for everyone: accounts (partners and customers), organization
//! members and the operator's staff (R-ACCT-19: five failed attempts lock a login for 15 minutes).

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::html;
use opc_core::ops::console;
use opc_core::Context;
use serde::Deserialize;

use super::i18n::Lang;
use super::page::{self, csrf, field, form_error, Input};
use super::{anonymous_csrf, Failed, Posted, Viewer};
use crate::console::extract::PageQuery;
use crate::error::ApiError;
use crate::session::{Cookie, Cookies};

pub fn routes() -> Router<Context> {
    Router::new().route("/login", get(show).post(sign_in)).route("/logout", post(sign_out))
}

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Only a path on this site is followed after sign-in (no open redirect).
pub(super) fn safe_next(next: Option<&str>) -> &str {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\')).unwrap_or("/")
}

async fn show(State(ctx): State<Context>, headers: HeaderMap, PageQuery(q): PageQuery<Next>) -> Response {
    login_page(Cookies::of(&ctx), &headers, safe_next(q.next.as_deref()), None, StatusCode::OK)
}

fn login_page(
    cookies: Cookies,
    headers: &HeaderMap,
    next: &str,
    failed: Option<&Failed>,
    status: StatusCode,
) -> Response {
    let (token, cookie) = anonymous_csrf(cookies, headers);
    let flash = super::flash_of(cookies, headers);
    let lang = Lang::of_request(cookies, headers);
    let here = if next == "/" { "/login".to_owned() } else { format!("/login?next={}", super::form::encode(next)) };
    let body = html! {
        h1 { (lang.t("sign-in-title")) }
        @if let Some(super::Flash::Done(text) | super::Flash::Failed(text)) = &flash { p.flash.done role="status" { (text) } }
        form.card method="post" action="/login" {
            (csrf(&token))
            input type="hidden" name="next" value=(next);
            (form_error(failed, &["login", "password"]))
            (field(failed, &lang.t("sign-in-login"), "login", Input::Text, "", true))
            (field(failed, &lang.t("sign-in-password"), "password", Input::Password, "", true))
            button type="submit" { (lang.t("sign-in-submit")) }
        }
        p { (lang.t("sign-in-new-here")) }
    };
    let mut response = (status, page::document_in(lang, &here, &lang.t("sign-in-title"), body)).into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    if flash.is_some() {
        super::clear_flash(cookies, &mut response);
    }
    response
}

async fn sign_in(State(ctx): State<Context>, headers: HeaderMap, form: Posted) -> Response {
    let next = safe_next(form.opt("next")).to_owned();
    let cookies = Cookies::of(&ctx);
    match console::sign_in(&ctx, form.get("login"), form.get("password")).await {
        Ok((token, session)) => {
            // A language chosen on this browser before signing in is the person's latest choice.
            if let Some(lang) = super::i18n::Lang::chosen(cookies, &headers) {
                if let Err(e) = console::choose_language(&ctx, &session.subject, lang.into()).await {
                    return page::failure(ApiError::from(e));
                }
            }
            let mut response = Redirect::to(&next).into_response();
            cookies.set_session(response.headers_mut(), &token);
            response
        }
        Err(e) => {
            let error = ApiError::from(e);
            let status = error.code().wire().0;
            login_page(cookies, &headers, &next, Some(&form.failed(&error)), status)
        }
    }
}

async fn sign_out(State(ctx): State<Context>, viewer: Viewer, _form: Posted) -> Response {
    if let Err(e) = console::sign_out(&ctx, &viewer.token).await {
        return page::failure(ApiError::from(e));
    }
    let mut response = super::done(viewer.cookies, "/login", viewer.lang.t("signed-out"));
    viewer.cookies.expire(response.headers_mut(), Cookie::Session);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/partner/customers?page=2")), "/partner/customers?page=2");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
