//! The console API's signed-in user: a live session named by its cookie or bearer token.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use opc_core::ops::console::{self, ConsoleError, ConsoleUser};
use opc_core::Context;

use crate::error::ApiError;

/// The signed-in user; a request without a live session is refused with 401.
pub struct SignedIn(pub ConsoleUser, pub String);

impl FromRequestParts<Context> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, ctx: &Context) -> Result<Self, ApiError> {
        let State(ctx): State<Context> = State(ctx.clone());
        let token = crate::session::token(parts).ok_or_else(|| ApiError::from(ConsoleError::NoSession))?;
        let user = console::user(&ctx, &token).await?;
        Ok(SignedIn(user, token))
    }
}
