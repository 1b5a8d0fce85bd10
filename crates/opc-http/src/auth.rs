//! The signature middleware of the partner API: every BSS request is authenticated before
//! its handler runs, from the bytes exactly as received.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use opc_core::ops::auth::{self, AuthError, Freshness, Principal};
use opc_core::Context;
use opc_domain::signature::{ReceivedRequest, SignatureError};

use crate::error::{ApiError, ErrorCode};
use crate::extract::BODY_BYTES_MAX;

/// The store's principal-changes number a signed read was authenticated under (`None` for a
/// write, or when the store cannot vouch for one): the number an answer it computes may be kept
/// under ([`opc_core::ops::auth::AnswerCache`]).
#[derive(Clone, Copy, Debug)]
pub struct ReadGeneration(pub Option<u64>);

/// For signed reads: the key and its owner as this process last read them, unless the store
/// says they may have changed since ([`Freshness::Kept`]).
pub async fn require_signature_for_read(
    State(ctx): State<Context>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    require_signature(ctx, req, next, Freshness::Kept).await
}

/// For signed writes: the key and its owner read from the store ([`Freshness::Read`]).
pub async fn require_signature_for_write(
    State(ctx): State<Context>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    require_signature(ctx, req, next, Freshness::Read).await
}

async fn require_signature(ctx: Context, req: Request, next: Next, freshness: Freshness) -> Result<Response, ApiError> {
    let (mut parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, BODY_BYTES_MAX)
        .await
        .map_err(|_| ApiError::new(ErrorCode::PayloadTooLarge, "The request body is too large."))?;
    let headers: Vec<(&str, &str)> =
        parts.headers.iter().filter_map(|(name, value)| value.to_str().ok().map(|v| (name.as_str(), v))).collect();
    let received = ReceivedRequest {
        method: parts.method.as_str(),
        raw_path: parts.uri.path(),
        raw_query: parts.uri.query().unwrap_or(""),
        headers: &headers,
        body: &body,
    };
    let (principal, generation) = auth::authenticate(&ctx, &received, freshness).await.map_err(refusal)?;
    match &principal {
        Principal::Partner(caller) => {
            tracing::Span::current().record("partner.id", tracing::field::display(&caller.partner.id()))
        }
        Principal::Customer { account, .. } => {
            tracing::Span::current().record("account.id", tracing::field::display(&account.id()))
        }
    };
    parts.extensions.insert(principal);
    parts.extensions.insert(ReadGeneration(generation));
    Ok(next.run(Request::from_parts(parts, Body::from(body))).await)
}

fn refusal(e: AuthError) -> ApiError {
    let message = match &e {
        AuthError::Signature(SignatureError::Missing) => {
            "Authentication required: sign the request with SDK-HMAC-SHA256 (AK/SK).".to_owned()
        }
        AuthError::Signature(s) => format!("Authentication failed: {s}."),
        AuthError::UnknownKey => "Authentication failed: the access key does not exist or is revoked.".to_owned(),
        AuthError::DomainMismatch => {
            "Authentication failed: X-Domain-Id must be signed and be the access key's account.".to_owned()
        }
        AuthError::BrokenKey(_) | AuthError::Store(_) => return ApiError::internal(e),
    };
    ApiError::new(ErrorCode::Unauthenticated, message)
}
