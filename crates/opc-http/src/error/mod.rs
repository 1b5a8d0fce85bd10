//! The error envelope of the partner API: `{"error_code": "...", "error_msg": "..."}` with an
//! `X-Request-Id` header, as the SDK's exception handler reads it (spec/BSS-API.md A.7).
//!
//! One table, [`ErrorCode::wire`], holds every status and code a client can see.
//! `from_ops` turns each use case's error into an [`ApiError`], one `match` per `ops` enum.

use std::borrow::Cow;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

mod from_ops;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// A field is missing, malformed or out of range; the body is not JSON.
    InvalidParameter,
    /// The request body is over the size limit.
    PayloadTooLarge,
    /// No or bad signature, unknown or revoked key, stale date, wrong domain.
    Unauthenticated,
    /// The caller is authenticated but may not do this.
    AccessDenied,
    /// CBC.99000035: the customer is not the partner's (whether or not it exists).
    NotYourCustomer,
    /// CBC.99000037: the named indirect partner is not the caller's reseller.
    NotYourReseller,
    /// The customer is not associated in the reseller model.
    NotResellerCustomer,
    /// The customer is already frozen (that far).
    AlreadyFrozen,
    /// The customer is not frozen.
    NotFrozen,
    /// The unfreeze type is not the freeze's type.
    UnfreezeTypeMismatch,
    /// R-RCM-11: resources stay frozen while the partner is frozen.
    ResourcesStayFrozen,
    /// R-QUOTA-10, R-DIST-05: a frozen partner develops no customers.
    PartnerFrozen,
    /// R-DIST-01: a distributor's customers belong to its resellers.
    DistributorWithoutReseller,
    /// The login name, email or mobile number is already registered.
    IdentityTaken,
    /// The email verification code is wrong, used or expired.
    BadVerificationCode,
    /// A concurrent change won; the request changed nothing and may be retried.
    Conflict,
    /// R-PROG-05: the account cannot join the program; every cause is in the message.
    Ineligible,
    /// The thing is not in a state that allows this (an application already decided, …).
    InvalidState,
    /// No such thing in the caller's scope.
    NotFound,
    /// R-RCM-09, R-QUOTA-06, R-QUOTA-09, R-PROG-21: the customer cannot buy, renew or change now.
    PurchaseBlocked,
    /// R-QUOTA-01, A-06: the payment does not fit the partner's quota or the customer's budget.
    LimitExceeded,
    /// B2.4.6–B2.4.9: the amount is more than the balance it would come from.
    InsufficientBalance,
    /// No API at this path.
    RouteNotFound,
    /// The path exists, the method does not.
    MethodNotAllowed,
    /// Throttled (seed 004 §15.1.1).
    Throttled,
    /// Anything unexpected. The detail goes to the log only.
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 26] = [
        ErrorCode::InvalidParameter,
        ErrorCode::PayloadTooLarge,
        ErrorCode::Unauthenticated,
        ErrorCode::AccessDenied,
        ErrorCode::NotYourCustomer,
        ErrorCode::NotYourReseller,
        ErrorCode::NotResellerCustomer,
        ErrorCode::AlreadyFrozen,
        ErrorCode::NotFrozen,
        ErrorCode::UnfreezeTypeMismatch,
        ErrorCode::ResourcesStayFrozen,
        ErrorCode::PartnerFrozen,
        ErrorCode::DistributorWithoutReseller,
        ErrorCode::IdentityTaken,
        ErrorCode::BadVerificationCode,
        ErrorCode::Conflict,
        ErrorCode::Ineligible,
        ErrorCode::InvalidState,
        ErrorCode::NotFound,
        ErrorCode::PurchaseBlocked,
        ErrorCode::LimitExceeded,
        ErrorCode::InsufficientBalance,
        ErrorCode::RouteNotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Throttled,
        ErrorCode::Internal,
    ];

    /// The whole client-visible contract in one match. CBC.0100, .0151, .0154, .0999,
    /// .99000035, .99000037 and APIG.0308 are Huawei's; the other CBC.990000xx codes are ours,
    /// in the same family, for conditions Huawei's documentation leaves unnumbered.
    pub fn wire(self) -> (StatusCode, &'static str) {
        match self {
            ErrorCode::InvalidParameter => (StatusCode::BAD_REQUEST, "CBC.0100"),
            ErrorCode::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "CBC.0100"),
            ErrorCode::Unauthenticated => (StatusCode::UNAUTHORIZED, "CBC.0154"),
            ErrorCode::AccessDenied => (StatusCode::FORBIDDEN, "CBC.0151"),
            ErrorCode::NotYourCustomer => (StatusCode::BAD_REQUEST, "CBC.99000035"),
            ErrorCode::NotYourReseller => (StatusCode::BAD_REQUEST, "CBC.99000037"),
            ErrorCode::NotResellerCustomer => (StatusCode::BAD_REQUEST, "CBC.99000036"),
            ErrorCode::AlreadyFrozen => (StatusCode::BAD_REQUEST, "CBC.99000040"),
            ErrorCode::NotFrozen => (StatusCode::BAD_REQUEST, "CBC.99000041"),
            ErrorCode::UnfreezeTypeMismatch => (StatusCode::BAD_REQUEST, "CBC.99000042"),
            ErrorCode::ResourcesStayFrozen => (StatusCode::BAD_REQUEST, "CBC.99000043"),
            ErrorCode::PartnerFrozen => (StatusCode::FORBIDDEN, "CBC.99000044"),
            ErrorCode::DistributorWithoutReseller => (StatusCode::FORBIDDEN, "CBC.99000046"),
            ErrorCode::IdentityTaken => (StatusCode::BAD_REQUEST, "CBC.99000047"),
            ErrorCode::BadVerificationCode => (StatusCode::BAD_REQUEST, "CBC.99000048"),
            ErrorCode::Conflict => (StatusCode::CONFLICT, "CBC.99000049"),
            ErrorCode::Ineligible => (StatusCode::BAD_REQUEST, "CBC.99000052"),
            ErrorCode::InvalidState => (StatusCode::CONFLICT, "CBC.99000053"),
            ErrorCode::NotFound => (StatusCode::NOT_FOUND, "CBC.99000054"),
            ErrorCode::PurchaseBlocked => (StatusCode::FORBIDDEN, "CBC.99000055"),
            ErrorCode::LimitExceeded => (StatusCode::BAD_REQUEST, "CBC.99000056"),
            ErrorCode::InsufficientBalance => (StatusCode::BAD_REQUEST, "CBC.99000057"),
            ErrorCode::RouteNotFound => (StatusCode::NOT_FOUND, "APIG.0101"),
            ErrorCode::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "APIG.0101"),
            ErrorCode::Throttled => (StatusCode::TOO_MANY_REQUESTS, "APIG.0308"),
            ErrorCode::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "CBC.0999"),
        }
    }
}

/// An error answer. `message` is shown to the client; `cause` only reaches the log.
#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    message: Cow<'static, str>,
    /// The request field a parameter error is about, for showing it next to that field.
    field: Option<String>,
    /// Every field's problem of a parameter error (issue 17: a form shows each next to its
    /// field); empty for other errors.
    problems: Vec<(String, String)>,
    cause: Option<anyhow::Error>,
}

/// The logged detail of an error response, handed from the response to the logging middleware.
#[derive(Clone, Debug)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: Cow<'static, str>,
    pub cause: Option<Arc<anyhow::Error>>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error_code: &'a str,
    error_msg: &'a str,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<Cow<'static, str>>) -> ApiError {
        ApiError { code, message: message.into(), field: None, problems: vec![], cause: None }
    }

    /// A parameter error naming the field.
    pub fn invalid(field: &str, problem: impl std::fmt::Display) -> ApiError {
        let message = format!("Invalid parameter: {field}: {problem}.");
        ApiError {
            field: Some(field.to_owned()),
            problems: vec![(field.to_owned(), problem.to_string())],
            ..ApiError::new(ErrorCode::InvalidParameter, message)
        }
    }

    /// A parameter error naming every field refused, in the order given (at least one); the
    /// message lists them all.
    pub fn invalid_all(problems: &[(&str, String)]) -> ApiError {
        let Some(((field, problem), rest)) = problems.split_first() else {
            return ApiError::new(ErrorCode::InvalidParameter, "Invalid parameter.");
        };
        let mut error = ApiError::invalid(field, problem);
        if !rest.is_empty() {
            let all: Vec<String> = problems.iter().map(|(f, p)| format!("{f}: {p}")).collect();
            error.message = Cow::Owned(format!("Invalid parameters: {}.", all.join("; ")));
            error.problems = problems.iter().map(|(f, p)| ((*f).to_owned(), p.clone())).collect();
        }
        error
    }

    /// Every field's problem, each with its field: one for [`ApiError::invalid`], several for
    /// [`ApiError::invalid_all`], none for other errors.
    pub fn problems(&self) -> &[(String, String)] {
        &self.problems
    }

    /// A 500 whose cause is logged and never shown.
    pub fn internal(cause: impl Into<anyhow::Error>) -> ApiError {
        ApiError {
            code: ErrorCode::Internal,
            message: Cow::Borrowed("Internal error."),
            field: None,
            problems: vec![],
            cause: Some(cause.into()),
        }
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// What the logging middleware reads from an error response's extensions.
    pub fn into_detail(self) -> ErrorDetail {
        ErrorDetail { code: self.code, message: self.message, cause: self.cause.map(Arc::new) }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, error_code) = self.code.wire();
        let mut response = (status, Json(ErrorBody { error_code, error_msg: &self.message })).into_response();
        response.extensions_mut().insert(self.into_detail());
        response
    }
}

/// `"the customer …"` → `"The customer …."`: capitalized, one full stop at the end.
pub(crate) fn capitalize(message: &str) -> String {
    let mut chars = message.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
    format!("{first}{}.", chars.as_str().trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_distinct_status_and_code_pair() {
        let mut pairs: Vec<_> = ErrorCode::ALL.iter().map(|c| c.wire()).collect();
        pairs.sort_by_key(|(s, c)| (s.as_u16(), *c));
        pairs.dedup();
        assert_eq!(pairs.len(), ErrorCode::ALL.len());
    }

    #[test]
    fn password_work_busy_is_try_later_and_a_hashing_failure_is_internal() {
        use opc_core::ops::console::ConsoleError;
        use opc_core::ops::customers::CustomerError;
        use opc_core::passwords::PasswordError;
        let busy = ApiError::from(ConsoleError::Password(PasswordError::Busy));
        assert_eq!(busy.code.wire(), (StatusCode::TOO_MANY_REQUESTS, "APIG.0308"));
        assert_eq!(busy.message, "The server is busy checking passwords: try again in a moment.");
        let failed = ApiError::from(CustomerError::Password(PasswordError::Failed("argon2: bad params".into())));
        assert_eq!(
            (failed.code.wire().0, failed.message.as_ref()),
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal error.")
        );
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let e = ApiError::internal(anyhow::anyhow!("password=hunter2 connection refused"));
        assert_eq!(e.message, "Internal error.");
        assert_eq!(e.code.wire(), (StatusCode::INTERNAL_SERVER_ERROR, "CBC.0999"));
    }
}
