//! Signed writes answered once (issue 18, item 8): the layer on the BSS write routes, inside the
//! signature middleware. See [`opc_core::ops::replays`].

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use opc_core::ops::auth::Principal;
use opc_core::ops::replays::{self, Turn};
use opc_core::store::StoredAnswer;
use opc_core::Context;

use crate::error::{ApiError, ErrorCode};

/// Marks an answer given again to a replayed request.
pub const REPLAYED: &str = "idempotent-replayed";
/// The largest answer kept for replays; a write's answers are far smaller.
const ANSWER_BYTES_MAX: usize = 1 << 20;

/// Marks the answer of a write that changed nothing though it succeeded (every item of a batch
/// failed): like a refusal, it may run again.
#[derive(Clone, Copy, Debug)]
pub struct Unchanged;

/// The mark for a batch answer whose every item failed.
pub fn unchanged_if(every_item_failed: bool) -> Option<axum::Extension<Unchanged>> {
    every_item_failed.then_some(axum::Extension(Unchanged))
}

pub async fn answer_once(State(ctx): State<Context>, req: Request, next: Next) -> Result<Response, ApiError> {
    let account = match req.extensions().get::<Principal>() {
        Some(Principal::Partner(caller)) => caller.partner.account_id().clone(),
        Some(Principal::Customer { account, .. }) => account.id().clone(),
        None => return Err(ApiError::internal(anyhow::anyhow!("answer_once runs after the signature middleware"))),
    };
    let Some(authorization) = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return Err(ApiError::internal(anyhow::anyhow!("a signed request without its Authorization header")));
    };
    let key = replays::WriteKey::of(authorization);
    let key = match replays::claim(&ctx, &key, &account).await.map_err(ApiError::internal)? {
        Turn::Run(key) => key,
        Turn::Replay(answer) => return Ok(replayed(answer)),
        Turn::Busy => {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "The same signed request is still being processed; send it again later for its answer.",
            ))
        }
    };
    let (parts, body) = next.run(req).await.into_parts();
    if !parts.status.is_success() || parts.extensions.get::<Unchanged>().is_some() {
        // Refused, failed or without effect, it changed nothing: the same request may run again (sent again
        // after its cause is fixed, it succeeds).
        if let Err(e) = replays::release(&ctx, &key).await {
            tracing::warn!(error = %e, "could not release a refused signed write");
        }
        return Ok(Response::from_parts(parts, body));
    }
    let body = axum::body::to_bytes(body, ANSWER_BYTES_MAX).await.map_err(ApiError::internal)?;
    let answer = StoredAnswer {
        status: parts.status.as_u16(),
        content_type: parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned),
        body: body.to_vec(),
    };
    // The write is done: failing to keep its answer must not fail it. Its replays are then told
    // it is still being processed until the signature expires, and never run it again.
    if let Err(e) = replays::record(&ctx, &key, &answer).await {
        tracing::error!(error = %e, "could not keep the answer of a signed write for its replays");
    }
    Ok(Response::from_parts(parts, Body::from(body)))
}

fn replayed(answer: StoredAnswer) -> Response {
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() =
        axum::http::StatusCode::from_u16(answer.status).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(value) = answer.content_type.and_then(|v| HeaderValue::from_str(&v).ok()) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response.headers_mut().insert(REPLAYED, HeaderValue::from_static("true"));
    response
}
