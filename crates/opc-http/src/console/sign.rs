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
fn safe_next(next: Option<&str>) -> &str {
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
    let body = html! {
        h1 { "Sign in" }
        @if let Some(super::Flash::Done(text) | super::Flash::Failed(text)) = &flash { p.flash.done role="status" { (text) } }
        form.card method="post" action="/login" {
            (csrf(&token))
            input type="hidden" name="next" value=(next);
            (form_error(failed, &["login", "password"]))
            (field(failed, "Login ID or email", "login", Input::Text, "", true))
            (field(failed, "Password", "password", Input::Password, "", true))
            button type="submit" { "Sign in" }
        }
        p { "New here? Register through a partner's invitation link, or ask the operator for staff access." }
    };
    let mut response = (status, page::document("Sign in", None, body)).into_response();
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
        Ok((token, _)) => {
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
    let mut response = super::done(viewer.cookies, "/login", "You are signed out.");
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
