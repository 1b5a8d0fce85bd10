//! The console API's signed-in user: a live session named by its cookie or bearer token.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use opc_core::ops::console::{self, ConsoleError, ConsoleUser};
use opc_core::Context;
use opc_domain::console::NewAccountError;

use crate::error::{ApiError, ErrorCode};

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

impl From<ConsoleError> for ApiError {
    fn from(e: ConsoleError) -> ApiError {
        let message = e.to_string();
        let code = match e {
            ConsoleError::Invalid { field, reason } => return ApiError::invalid(field, reason),
            ConsoleError::EmailTaken => ErrorCode::IdentityTaken,
            ConsoleError::BadVerificationCode => ErrorCode::BadVerificationCode,
            ConsoleError::BadCredentials | ConsoleError::NoSession => ErrorCode::Unauthenticated,
            ConsoleError::Locked => ErrorCode::Throttled,
            ConsoleError::UnknownLink => ErrorCode::NotFound,
            ConsoleError::NewAccount(NewAccountError::SameEmail) => return ApiError::invalid("email", message),
            ConsoleError::NoEmail | ConsoleError::NewAccount(NewAccountError::Expired | NewAccountError::Used) => {
                ErrorCode::InvalidState
            }
            ConsoleError::Store(e) => return ApiError::internal(e),
        };
        let mut chars = message.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
        ApiError::new(code, format!("{first}{}.", chars.as_str()))
    }
}
