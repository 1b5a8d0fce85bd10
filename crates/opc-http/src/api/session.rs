//! The console API's signed-in user: a live session named by its cookie or bearer token.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use opc_core::ops::console::{self, ConsoleError, ConsoleUser};
use opc_core::Context;

use crate::error::{ApiError, ErrorCode};
use crate::session::{self, Carrier};

/// The signed-in user; a request without a live session is refused with 401.
pub struct SignedIn(pub ConsoleUser, pub String);

impl FromRequestParts<Context> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, ctx: &Context) -> Result<Self, ApiError> {
        let State(ctx): State<Context> = State(ctx.clone());
        let (token, carrier) = session::token_and_carrier(parts, session::Cookies::of(&ctx))
            .ok_or_else(|| ApiError::from(ConsoleError::NoSession))?;
        // Issue 18: the browser sends the session cookie with requests other sites make, so a
        // change it authenticates must come from this site's pages and carry the session's CSRF
        // token. Bearer tokens are held by scripts, which no other site can make send them.
        if carrier == Carrier::Cookie && !parts.method.is_safe() {
            let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or_default();
            if !session::same_origin(&parts.headers, ctx.public_url.as_ref(), false)
                || !session::same_secret(&session::csrf_token(&token), sent)
            {
                return Err(ApiError::new(
                    ErrorCode::AccessDenied,
                    "A change made with the session cookie must come from this site and carry its X-CSRF-Token \
                     header; scripts use the bearer token.",
                ));
            }
        }
        let user = console::user(&ctx, &token).await?;
        Ok(SignedIn(user, token))
    }
}
