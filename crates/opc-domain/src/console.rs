//! Console users: registration of a cloud account (R-ACCT-15 … R-ACCT-17), operator staff, and
//! login sessions.

use crate::customer::{self, Email, PasswordError};
use crate::ids::{AccountId, MemberId, StaffId};
use crate::redact::REDACTED;
use crate::text::{CountryCode, DisplayName};
use crate::time::{Millis, Timestamp};

/// What a person fills in to register a HUAWEI ID with cloud services.
pub struct RegistrationForm<'a> {
    pub country: &'a str,
    pub email: &'a str,
    pub verification_code: &'a str,
    pub password: &'a str,
    pub password_confirmation: &'a str,
    /// R-ACCT-15: the HUAWEI ID User Agreement and the Statement About HUAWEI ID and Privacy.
    pub accepts_id_agreement: bool,
    pub accepts_privacy_statement: bool,
    /// R-ACCT-16: enabling cloud services needs the Customer Agreement and Privacy Statement;
    /// "enable services later" leaves them for later.
    pub enable_services: bool,
    pub accepts_customer_agreement: bool,
}

/// A registration that passed every check, ready to become an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    pub country: CountryCode,
    pub email: Email,
    pub enable_services: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid {field}: {reason}")]
pub struct FieldError {
    pub field: &'static str,
    pub reason: String,
}

fn field(field: &'static str, reason: impl ToString) -> FieldError {
    FieldError { field, reason: reason.to_string() }
}

impl Registration {
    /// Checks the form (R-ACCT-15, R-ACCT-16, R-ACCT-17); the verification code is checked
    /// against the code sent, by the caller. The first problem, in the form's order.
    pub fn validate(form: &RegistrationForm<'_>) -> Result<Registration, FieldError> {
        Registration::check_all(form).map_err(|mut problems| problems.remove(0))
    }

    /// Like [`Registration::validate`], with every problem of the form at once (never empty),
    /// so that a person sees them all next to their fields.
    pub fn check_all(form: &RegistrationForm<'_>) -> Result<Registration, Vec<FieldError>> {
        let mut problems = vec![];
        let country = CountryCode::parse(form.country).map_err(|e| problems.push(field("country", e))).ok();
        let email = Email::parse(form.email).map_err(|e| problems.push(field("email", e))).ok();
        if form.verification_code.trim().is_empty() {
            problems.push(field("verification_code", "is required"));
        }
        let email_text = email.as_ref().map(Email::as_str);
        if let Err(e) = customer::check_password(form.password, "", email_text) {
            problems.push(field("password", e as PasswordError));
        } else if form.password != form.password_confirmation {
            problems.push(field("password_confirmation", "does not match the password"));
        }
        if !form.accepts_id_agreement {
            problems.push(field("accepts_id_agreement", "the HUAWEI ID User Agreement must be accepted"));
        }
        if !form.accepts_privacy_statement {
            problems
                .push(field("accepts_privacy_statement", "the Statement About HUAWEI ID and Privacy must be accepted"));
        }
        if form.enable_services && !form.accepts_customer_agreement {
            problems.push(field(
                "accepts_customer_agreement",
                "enabling cloud services needs the Customer Agreement and Privacy Statement; or enable them later",
            ));
        }
        match (country, email) {
            (Some(country), Some(email)) if problems.is_empty() => {
                Ok(Registration { country, email, enable_services: form.enable_services })
            }
            _ => Err(problems),
        }
    }
}

/// A member of the operator's staff.
#[derive(Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: StaffId,
    pub email: Email,
    pub name: DisplayName,
    pub password_hash: String,
    pub created_at: Timestamp,
    pub version: i64,
}

/// Who a session belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionSubject {
    Account(AccountId),
    Staff(StaffId),
    /// A member of a partner's organization (R-ORG-02).
    Member(MemberId),
}

impl SessionSubject {
    /// The kind (`account`, `staff`, `member`) and id under which what belongs to the person is
    /// kept (its chosen language) and audited.
    pub fn kind_and_id(&self) -> (&'static str, &str) {
        match self {
            SessionSubject::Account(id) => ("account", id.as_str()),
            SessionSubject::Staff(id) => ("staff", id.as_str()),
            SessionSubject::Member(id) => ("member", id.as_str()),
        }
    }
}

/// A console session. Only the token's SHA-256 is kept.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    pub token_sha256: String,
    pub subject: SessionSubject,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

impl Session {
    /// A session lasts a working day; signing in again starts a new one.
    pub const LIFETIME: Millis = Millis(12 * 60 * 60 * 1000);

    pub fn start(token_sha256: String, subject: SessionSubject, now: Timestamp) -> Session {
        Session { token_sha256, subject, created_at: now, expires_at: now.plus(Self::LIFETIME), revoked_at: None }
    }

    pub fn is_active(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

/// Failed sign-ins of one login within [`LOGIN_FAILURE_WINDOW`] that lock it until the oldest
/// of them leaves the window: passwords cannot be guessed at speed (the seeds are silent; this
/// is the usual protection of a sign-in form). An attempt counts as a failure from before its
/// password is checked until it succeeds, so concurrent guesses cannot exceed it.
pub const LOGIN_FAILURES_MAX: u32 = 5;
pub const LOGIN_FAILURE_WINDOW: Millis = Millis(15 * 60_000);

/// Whether a login with `recent_failures` failures within the window may try again.
pub fn login_locked(recent_failures: u32) -> bool {
    recent_failures >= LOGIN_FAILURES_MAX
}

/// The password hash is redacted.
impl std::fmt::Debug for Staff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Staff")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("name", &self.name)
            .field("password_hash", &REDACTED)
            .field("created_at", &self.created_at)
            .field("version", &self.version)
            .finish()
    }
}

/// The token's hash is redacted: with the hash, a stolen database copy would tell which
/// sessions exist.
impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("token_sha256", &REDACTED)
            .field("subject", &self.subject)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("revoked_at", &self.revoked_at)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RegistrationForm<'static> {
        RegistrationForm {
            country: "SG",
            email: " new@example.com ",
            verification_code: "123456",
            password: "Secret123!",
            password_confirmation: "Secret123!",
            accepts_id_agreement: true,
            accepts_privacy_statement: true,
            enable_services: true,
            accepts_customer_agreement: true,
        }
    }

    fn check(edit: impl FnOnce(&mut RegistrationForm<'static>), expected_field: Option<&str>) {
        let mut f = form();
        edit(&mut f);
        assert_eq!(Registration::validate(&f).err().map(|e| e.field), expected_field);
    }

    #[test]
    fn r_acct_15_registration_needs_every_field_and_both_agreements() {
        check(|_| {}, None);
        check(|f| f.country = "sg", Some("country"));
        check(|f| f.email = "nope", Some("email"));
        check(|f| f.verification_code = " ", Some("verification_code"));
        check(|f| f.password = "weak", Some("password"));
        check(|f| f.password_confirmation = "Secret123?", Some("password_confirmation"));
        check(|f| f.accepts_id_agreement = false, Some("accepts_id_agreement"));
        check(|f| f.accepts_privacy_statement = false, Some("accepts_privacy_statement"));
    }

    #[test]
    fn every_problem_of_the_form_is_reported_at_once_in_the_forms_order() {
        let mut f = form();
        f.email = "nope";
        f.password = "Secret123!";
        f.password_confirmation = "Secret123?";
        f.accepts_id_agreement = false;
        f.accepts_customer_agreement = false;
        let fields: Vec<&str> = Registration::check_all(&f).unwrap_err().iter().map(|p| p.field).collect();
        assert_eq!(fields, ["email", "password_confirmation", "accepts_id_agreement", "accepts_customer_agreement"]);
        assert_eq!(Registration::validate(&f).err().map(|e| e.field), Some("email"), "the first, for the API");
    }

    #[test]
    fn r_acct_16_services_may_be_enabled_later() {
        check(|f| f.accepts_customer_agreement = false, Some("accepts_customer_agreement"));
        check(
            |f| {
                f.enable_services = false;
                f.accepts_customer_agreement = false
            },
            None,
        );
    }

    #[test]
    fn r_acct_17_the_email_is_trimmed() {
        assert_eq!(Registration::validate(&form()).unwrap().email.as_str(), "new@example.com");
    }

    #[test]
    fn sessions_expire_and_can_be_revoked() {
        let now = Timestamp::from_unix_ms(0);
        let mut s = Session::start("h".into(), SessionSubject::Account(AccountId::from_random([1; 16])), now);
        assert!(s.is_active(now));
        assert!(!s.is_active(now.plus(Session::LIFETIME)));
        s.revoked_at = Some(now);
        assert!(!s.is_active(now));
    }
}

/// R-ACCT-13, R-ACCT-14: the "register a new account" flow started from View Cause. After the
/// current account's email is verified, a link lets a new account be registered within 24
/// hours, with another email.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccountLink {
    /// The SHA-256 (hex) of the link's token: the token itself is only ever in the link.
    pub token_sha256: String,
    pub from_account: AccountId,
    pub from_email: crate::customer::Email,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NewAccountError {
    #[error("the link has expired: registration must be completed within 24 hours (R-ACCT-13)")]
    Expired,
    #[error("the link was used already")]
    Used,
    #[error("the new account must use an email other than the current account's (R-ACCT-14)")]
    SameEmail,
}

impl NewAccountLink {
    pub const VALIDITY: Millis = Millis(24 * 60 * 60 * 1000);

    pub fn issue(
        token_sha256: String,
        from_account: AccountId,
        from_email: crate::customer::Email,
        now: Timestamp,
    ) -> NewAccountLink {
        NewAccountLink {
            token_sha256,
            from_account,
            from_email,
            created_at: now,
            expires_at: now.plus(Self::VALIDITY),
            used_at: None,
        }
    }

    /// Whether a registration with `email` may use the link now.
    pub fn check(&self, email: &crate::customer::Email, now: Timestamp) -> Result<(), NewAccountError> {
        if self.used_at.is_some() {
            return Err(NewAccountError::Used);
        }
        if now >= self.expires_at {
            return Err(NewAccountError::Expired);
        }
        if email.as_str().eq_ignore_ascii_case(self.from_email.as_str()) {
            return Err(NewAccountError::SameEmail);
        }
        Ok(())
    }
}

#[cfg(test)]
mod new_account_tests {
    use super::*;
    use crate::customer::Email;

    #[test]
    fn r_acct_13_14_the_link_lasts_24_hours_and_needs_another_email() {
        let now = Timestamp::from_unix_ms(0);
        let old = Email::parse("old@example.com").unwrap();
        let mut link = NewAccountLink::issue("t".into(), AccountId::from_random([1; 16]), old.clone(), now);
        let new = Email::parse("new@example.com").unwrap();
        assert_eq!(link.check(&new, now.plus(Millis(NewAccountLink::VALIDITY.0 - 1))), Ok(()));
        assert_eq!(link.check(&new, now.plus(NewAccountLink::VALIDITY)), Err(NewAccountError::Expired));
        assert_eq!(link.check(&Email::parse("OLD@example.com").unwrap(), now), Err(NewAccountError::SameEmail));
        link.used_at = Some(now);
        assert_eq!(link.check(&new, now), Err(NewAccountError::Used));
    }

    #[test]
    fn five_failed_sign_ins_lock_the_login_for_the_window() {
        assert!(!login_locked(4));
        assert!(login_locked(5));
        assert_eq!(LOGIN_FAILURE_WINDOW, Millis(900_000));
    }
}
