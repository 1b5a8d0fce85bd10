//! Posted forms: CSRF-checked field access, and a refused form's values and error for
//! showing it again with the error next to its field.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::Response;
use opc_core::Context;

use super::i18n::Lang;
use crate::error::ApiError;

/// The largest form the console accepts.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// An `application/x-www-form-urlencoded` body whose CSRF token (`_csrf`) checked out.
pub struct Posted {
    fields: Vec<(String, String)>,
    /// The language of the page the form came from.
    lang: Lang,
}

impl FromRequest<Context> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, ctx: &Context) -> Result<Posted, Response> {
        let headers = req.headers().clone();
        // The viewer's language, as its extractor resolved it (its stored choice), else the
        // browser's.
        let lang = req
            .extensions()
            .get::<Lang>()
            .copied()
            .unwrap_or_else(|| Lang::of_request(super::Cookies::of(ctx), &headers));
        if !crate::session::same_origin(&headers, ctx.public_url.as_ref(), true) {
            return Err(super::plain(StatusCode::FORBIDDEN, "Refused", "The form was sent from another site."));
        }
        let bytes = Bytes::from_request(req, ctx).await.map_err(|_| {
            super::plain(StatusCode::BAD_REQUEST, "Refused", "The form could not be read; send it again.")
        })?;
        if bytes.len() > MAX_FORM_BYTES {
            return Err(super::plain(StatusCode::PAYLOAD_TOO_LARGE, "Refused", "The form is too large."));
        }
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
            super::plain(StatusCode::BAD_REQUEST, "Refused", "The form could not be read; send it again.")
        })?;
        let posted = Posted { fields, lang };
        if !super::csrf_matches(ctx, &headers, posted.get("_csrf")).await? {
            return Err(super::plain(
                StatusCode::FORBIDDEN,
                "Form expired",
                "This form is from an earlier session: reload the page and send it again.",
            ));
        }
        Ok(posted)
    }
}

impl Posted {
    /// The field's value, or "" when it is missing.
    pub fn get(&self, name: &str) -> &str {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// The field's value, `None` when missing or blank.
    pub fn opt(&self, name: &str) -> Option<&str> {
        Some(self.get(name)).filter(|v| !v.trim().is_empty())
    }

    /// Whether a checkbox was ticked.
    pub fn checked(&self, name: &str) -> bool {
        matches!(self.get(name), "on" | "1" | "true" | "yes")
    }

    /// Every value of a repeated field (a group of checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields.iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect()
    }

    /// The form's values to show again, without an error (after an intermediate step such as
    /// sending a verification code).
    pub fn kept(&self) -> Failed {
        Failed { field: None, message: String::new(), more: vec![], values: self.shown_again(), lang: self.lang }
    }

    /// The form refused for every one of `problems` (field, message) at once, each shown next to
    /// its field; the first also leads. Passwords and codes are not kept.
    pub fn failed_all(&self, problems: &[(&str, String)]) -> Failed {
        let mut all = problems.iter().map(|(f, m)| ((*f).to_owned(), crate::error::capitalize(m)));
        let (field, message) = all.next().map_or((None, String::new()), |(f, m)| (Some(f), m));
        Failed { field, message, more: all.collect(), values: self.shown_again(), lang: self.lang }
    }

    /// The values worth showing again: passwords, codes and the CSRF token are not.
    fn shown_again(&self) -> Vec<(String, String)> {
        let secret = |n: &str| n.contains("password") || n == "_csrf" || n.contains("code");
        self.fields.iter().filter(|(n, _)| !secret(n)).cloned().collect()
    }

    /// The form refused with `error`, to show again. Passwords and codes are not kept.
    pub fn failed(&self, error: &ApiError) -> Failed {
        let field = error.field().map(str::to_owned);
        if error.problems().len() > 1 {
            // Refused for several fields at once: each next to its own.
            let problems: Vec<(&str, String)> = error.problems().iter().map(|(f, p)| (f.as_str(), p.clone())).collect();
            return self.failed_all(&problems);
        }
        // Next to its field, "Invalid parameter: email: is taken." reads "Is taken."
        let message =
            match field.as_deref().and_then(|f| error.message().strip_prefix(&format!("Invalid parameter: {f}: "))) {
                Some(problem) => crate::error::capitalize(problem),
                None => error.message().to_owned(),
            };
        Failed { field, message, more: vec![], values: self.shown_again(), lang: self.lang }
    }
}

/// A form's fields read one after the other, each problem kept rather than returned at once, so
/// the form is refused for all of them together (issue 17).
#[derive(Default)]
pub struct Checks {
    problems: Vec<(String, String)>,
    /// An error that is not about a field, kept to be returned as it is.
    other: Option<ApiError>,
}

impl Checks {
    /// The value read, or `None` with its problem kept.
    pub fn take<T>(&mut self, read: Result<T, ApiError>) -> Option<T> {
        match read {
            Ok(value) => Some(value),
            Err(e) if !e.problems().is_empty() => {
                self.problems.extend(e.problems().iter().cloned());
                None
            }
            Err(e) => {
                self.other.get_or_insert(e);
                None
            }
        }
    }

    /// A problem of `field` found by the form's own check.
    pub fn refuse(&mut self, field: &str, problem: impl std::fmt::Display) {
        self.problems.push((field.to_owned(), problem.to_string()));
    }

    /// Every problem kept, as one parameter error (or the first error not about a field).
    pub fn error(self) -> ApiError {
        match self.other {
            Some(e) if self.problems.is_empty() => e,
            _ => {
                let problems: Vec<(&str, String)> =
                    self.problems.iter().map(|(f, p)| (f.as_str(), p.clone())).collect();
                ApiError::invalid_all(&problems)
            }
        }
    }
}

/// A refused form: its error (with the field it is about) and the values that were sent.
#[derive(Clone, Debug, Default)]
pub struct Failed {
    pub field: Option<String>,
    pub message: String,
    /// The other fields' problems, when a form is refused for several at once.
    more: Vec<(String, String)>,
    values: Vec<(String, String)>,
    /// The language the form's page is shown in again.
    pub lang: Lang,
}

impl Failed {
    /// How many fields the form was refused for.
    pub fn problems(&self) -> usize {
        usize::from(self.field.is_some()) + self.more.len()
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn checked(&self, name: &str) -> bool {
        matches!(self.value(name), Some("on" | "1" | "true" | "yes"))
    }

    /// Every value sent for a repeated field (a group of checkboxes).
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.values.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect()
    }

    /// The error if it is about `name`.
    pub fn about(&self, name: &str) -> Option<&str> {
        if self.field.as_deref() == Some(name) {
            return Some(self.message.as_str());
        }
        self.more.iter().find(|(f, _)| f == name).map(|(_, m)| m.as_str())
    }
}

/// Percent-encodes `text` for a URL query value.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_keeps_paths_and_escapes_the_rest() {
        assert_eq!(encode("/partner/customers?page=2&q=a b"), "/partner/customers%3Fpage%3D2%26q%3Da%20b");
    }

    #[test]
    fn a_refused_form_keeps_no_secret() {
        let posted = Posted {
            fields: vec![
                ("email".into(), "a@b.example".into()),
                ("password".into(), "hunter22".into()),
                ("verification_code".into(), "123456".into()),
                ("_csrf".into(), "x".into()),
            ],
            lang: Lang::Chinese,
        };
        let failed = posted.failed(&ApiError::invalid("email", "is taken"));
        assert_eq!(failed.value("email"), Some("a@b.example"));
        assert_eq!(failed.lang, Lang::Chinese, "shown again in the page's language");
        assert_eq!(
            (failed.value("password"), failed.value("verification_code"), failed.value("_csrf")),
            (None, None, None)
        );
        assert_eq!(failed.about("email"), Some("Is taken."));
        assert_eq!(failed.about("password"), None);
    }

    #[test]
    fn checks_keep_every_field_problem_and_return_them_together() {
        let mut checks = Checks::default();
        assert_eq!(checks.take(Ok::<_, ApiError>(3)), Some(3));
        assert_eq!(checks.take(Err::<u8, _>(ApiError::invalid("amount", "must be more than 0"))), None);
        checks.refuse("customer_ids", "choose at least one customer");
        let error = checks.error();
        let fields: Vec<&str> = error.problems().iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["amount", "customer_ids"]);
        assert_eq!(
            error.message(),
            "Invalid parameters: amount: must be more than 0; customer_ids: choose at least one customer."
        );
        let posted = Posted { fields: vec![], lang: Lang::English };
        assert_eq!(posted.failed(&error).problems(), 2, "each shown next to its field");
    }
}
