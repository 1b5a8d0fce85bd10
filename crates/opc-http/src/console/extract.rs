//! The path and query extractors of the console's pages: input they cannot read is answered
//! with the console's own error page (issue 18: axum's rejections are plain text, and the API's
//! extractors answer JSON, which a browser shows raw).

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use serde::de::DeserializeOwned;

/// Path parameters; a path that does not decode (`%FF` is not UTF-8) is a 400 page.
pub struct PagePath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PagePath<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(PagePath(value)),
            Err(_) => Err(super::plain(
                StatusCode::BAD_REQUEST,
                "Not a valid address",
                "This address could not be read; follow a link from the console instead.",
            )),
        }
    }
}

/// A query string; one that does not parse (a filter given twice, for instance) is a 400 page.
pub struct PageQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for PageQuery<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(PageQuery(value)),
            Err(_) => Err(super::plain(
                StatusCode::BAD_REQUEST,
                "Not a valid address",
                "The address's query could not be read; follow a link from the console instead.",
            )),
        }
    }
}
