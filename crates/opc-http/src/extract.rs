//! Extractors that answer bad input in the API's own error envelope.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use opc_core::ops::auth::{Caller, Principal};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ErrorCode};

/// The most a request body may weigh.
pub const BODY_BYTES_MAX: usize = 1024 * 1024;

/// A JSON body. An empty body reads as `{}` (the SDK sends none when the request model has no
/// body set; the console API's optional bodies, `api::Body::Optional`); anything that is not the
/// expected JSON is a CBC.0100 naming the problem.
pub struct BssJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for BssJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiError> {
        let bytes = axum::body::to_bytes(req.into_body(), BODY_BYTES_MAX)
            .await
            .map_err(|_| ApiError::new(ErrorCode::PayloadTooLarge, "The request body is too large."))?;
        BssJson::parse(&bytes)
    }
}

impl<T: DeserializeOwned> BssJson<T> {
    /// Reads a body already taken whole (at most [`BODY_BYTES_MAX`], as the signature middleware
    /// takes it), as the extractor does.
    pub fn parse(bytes: &[u8]) -> Result<BssJson<T>, ApiError> {
        let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"{}" } else { bytes };
        serde_json::from_slice(text).map(BssJson).map_err(|e| ApiError::invalid("body", json_problem(&e)))
    }
}

/// The console API's JSON body. Unlike [`BssJson`] an empty body is refused (issue 18): the
/// console API has no SDK that sends none, and its document declares every body it reads
/// required; `{}` is the empty object.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiError> {
        let bytes = axum::body::to_bytes(req.into_body(), BODY_BYTES_MAX)
            .await
            .map_err(|_| ApiError::new(ErrorCode::PayloadTooLarge, "The request body is too large."))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::invalid("body", "is required: send a JSON object"));
        }
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|e| ApiError::invalid("body", json_problem(&e)))
    }
}

fn json_problem(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => format!("not valid JSON ({e})"),
        Category::Data => e.to_string(),
    }
}

/// Takes the principal the signature middleware put in the request (a handler reads it once).
fn principal(parts: &mut Parts) -> Result<Principal, ApiError> {
    parts
        .extensions
        .remove::<Principal>()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a BSS route is missing the signature middleware")))
}

/// The authenticated partner, put there by the signature middleware. A customer's key is
/// refused: partner operations are for partners (CBC.0151).
pub struct Authenticated(pub std::sync::Arc<Caller>);

impl<S: Send + Sync> FromRequestParts<S> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        match principal(parts)? {
            Principal::Partner(caller) => Ok(Authenticated(caller)),
            Principal::Customer { .. } => Err(ApiError::new(
                ErrorCode::AccessDenied,
                "Access denied: this API is for partners; sign with a partner's key.",
            )),
        }
    }
}

/// Whoever signed: a partner or a customer, for the APIs both may call about themselves.
pub struct AuthenticatedAny(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for AuthenticatedAny {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        principal(parts).map(AuthenticatedAny)
    }
}

/// A customer's signature: a partner's is refused, as partner APIs refuse a customer's.
pub struct AuthenticatedCustomer(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for AuthenticatedCustomer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        match principal(parts)? {
            p @ Principal::Customer { .. } => Ok(AuthenticatedCustomer(p)),
            Principal::Partner(_) => Err(ApiError::new(
                ErrorCode::AccessDenied,
                "Access denied: this API is for customers; sign with a customer's key.",
            )),
        }
    }
}

/// A query string, answered in the API's envelope when it does not parse.
pub struct BssQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for BssQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        serde_urlencoded_from_str(query).map(BssQuery).map_err(|e| ApiError::invalid("query", e))
    }
}

fn serde_urlencoded_from_str<T: DeserializeOwned>(query: &str) -> Result<T, String> {
    axum::extract::Query::<T>::try_from_uri(
        &format!("/?{query}").parse().map_err(|_| "malformed query string".to_owned())?,
    )
    .map(|q| q.0)
    .map_err(|e| e.body_text())
}

/// Path parameters, answered in the API's envelope when they do not decode (issue 18: axum's
/// own rejection, `%FF` for instance, was plain text): CBC.0100 naming the problem.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| ApiPath(value))
            .map_err(|e| ApiError::invalid("path", e.body_text()))
    }
}

/// A raw request body of at most `MAX` bytes; more is answered 413 in the API's envelope.
pub struct LimitedBody<const MAX: usize>(pub axum::body::Bytes);

impl<S: Send + Sync, const MAX: usize> FromRequest<S> for LimitedBody<MAX> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiError> {
        axum::body::to_bytes(req.into_body(), MAX).await.map(LimitedBody).map_err(|_| {
            ApiError::new(ErrorCode::PayloadTooLarge, format!("The request body is larger than {MAX} bytes."))
        })
    }
}
