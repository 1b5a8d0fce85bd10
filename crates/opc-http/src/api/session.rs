//! Console sessions: the cookie or bearer token that identifies a signed-in user.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use opc_core::ops::console::{self, ConsoleError, ConsoleUser};
use opc_core::Context;
use opc_domain::console::NewAccountError;

use crate::error::{ApiError, ErrorCode};

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

/// The session token of a request: `Authorization: Bearer <token>`, else the session cookie.
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

/// The signed-in user; a request without a live session is refused with 401.
pub struct SignedIn(pub ConsoleUser, pub String);

impl FromRequestParts<Context> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, ctx: &Context) -> Result<Self, ApiError> {
        let State(ctx): State<Context> = State(ctx.clone());
        let token = token(parts).ok_or_else(|| ApiError::from(ConsoleError::NoSession))?;
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
            ConsoleError::Password(e) => return e.into(),
            ConsoleError::Store(e) => return ApiError::internal(e),
        };
        let mut chars = message.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
        ApiError::new(code, format!("{first}{}.", chars.as_str()))
    }
}
