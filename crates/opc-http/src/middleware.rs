//! Cross-cutting request handling: request ids, one log line per request (errors logged once,
//! here), panics turned into the error envelope, and the fallbacks for unknown routes.

use std::any::Any;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

use crate::error::{ApiError, ErrorCode, ErrorDetail};
use opc_core::Context;

/// The id of a request, echoed in the `X-Request-Id` response header and the log.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Gives every request an id and a span, stamps `X-Request-Id` on every response, and logs the
/// request once when it completes, with the error detail if it failed.
pub async fn request_context(mut req: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().simple().to_string();
    req.extensions_mut().insert(RequestId(id.clone()));
    let path =
        req.extensions().get::<MatchedPath>().map_or_else(|| req.uri().path().to_owned(), |m| m.as_str().to_owned());
    let span = tracing::info_span!(
        "request",
        request.id = %id,
        http.method = %req.method(),
        http.path = %path,
        partner.id = tracing::field::Empty,
        account.id = tracing::field::Empty
    );
    let started = Instant::now();
    let mut response = next.run(req).instrument(span.clone()).await;
    let _entered = span.enter();
    let status = response.status().as_u16();
    let duration_ms = started.elapsed().as_millis() as u64;
    match response.extensions().get::<ErrorDetail>() {
        Some(ErrorDetail { code: ErrorCode::Internal, message, cause }) => {
            let cause = cause.as_ref().map(|c| format!("{c:#}")).unwrap_or_default();
            tracing::error!(http.status = status, duration_ms, error.message = %message, error.cause = %cause, "Request failed");
        }
        Some(ErrorDetail { message, .. }) => {
            tracing::info!(http.status = status, duration_ms, error.message = %message, "Request refused");
        }
        None => tracing::info!(http.status = status, duration_ms, "Request served"),
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// `CatchPanicLayer` handler: a panic is a bug; the client gets a generic 500.
pub fn panic_response(payload: Box<dyn Any + Send + 'static>) -> Response {
    let detail = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "unknown panic".to_owned());
    ApiError::internal(anyhow::anyhow!("handler panicked: {detail}")).into_response()
}

/// An address no route serves: in the console (any path outside the APIs) a page that says so
/// (issue 17); in the BSS and console APIs, the envelope's "the API does not exist".
pub async fn route_not_found(State(ctx): State<Context>, headers: HeaderMap, uri: Uri) -> Response {
    if !is_api_path(uri.path()) {
        let lang = crate::console::i18n::Lang::of_request(crate::session::Cookies::of(&ctx), &headers);
        let (title, message) = (lang.t("missing-title"), lang.t("missing-message"));
        return crate::console::plain_in(lang, StatusCode::NOT_FOUND, &title, &message);
    }
    ApiError::new(ErrorCode::RouteNotFound, "The API does not exist or has not been published.").into_response()
}

/// Whether `path` is under the BSS API (`/v1/`, `/v2/`, `/v3/`) or the console API (`/api/`).
fn is_api_path(path: &str) -> bool {
    ["/api/", "/v1/", "/v2/", "/v3/"].iter().any(|prefix| path.starts_with(prefix))
        || ["/api", "/v1", "/v2", "/v3"].contains(&path)
}

pub async fn method_not_allowed(method: Method) -> ApiError {
    ApiError::new(ErrorCode::MethodNotAllowed, format!("The API does not support the method {method}."))
}
