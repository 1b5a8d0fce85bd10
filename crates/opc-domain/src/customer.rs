//! Reseller customer management rules: who may be created, frozen and unfrozen, and how
//! (R-RCM-*, R-DIST-05, R-QUOTA-10), and the registration checks of `create_sub_customer`.

use crate::account::{AccountName, Freeze, FreezeCause, FreezeScope};
use crate::redact::REDACTED;
use crate::text::TextError;
use crate::time::{Millis, Timestamp};

/// The login name rules of `create_sub_customer` and `check_user_identity`: 5–32 characters,
/// `^[a-zA-Z_-][a-zA-Z0-9_-]*$`, not starting with `op_` or `shadow_`, not all digits.
pub fn customer_login_name(text: &str) -> Result<AccountName, TextError> {
    let len = text.chars().count();
    if len < 5 {
        return Err(TextError::TooShort { min: 5 });
    }
    if len > 32 {
        return Err(TextError::TooLong { max: 32 });
    }
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("op_") || lower.starts_with("shadow_") || text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TextError::BadCharacters);
    }
    AccountName::parse(text)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("must be 8 to 32 characters")]
    Length,
    #[error("must contain at least two of: uppercase letters, lowercase letters, digits, special characters")]
    TooSimple,
    #[error("must not be the account name or the account name reversed")]
    IsAccountName,
    #[error("must not contain the email address")]
    ContainsEmail,
}

/// The password rules of `create_sub_customer`.
pub fn check_password(password: &str, account_name: &str, email: Option<&str>) -> Result<(), PasswordError> {
    let len = password.chars().count();
    if !(8..=32).contains(&len) {
        return Err(PasswordError::Length);
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|c| **c).count() < 2 {
        return Err(PasswordError::TooSimple);
    }
    let reversed: String = account_name.chars().rev().collect();
    if password.eq_ignore_ascii_case(account_name) || password.eq_ignore_ascii_case(&reversed) {
        return Err(PasswordError::IsAccountName);
    }
    if email.is_some_and(|e| !e.is_empty() && password.to_lowercase().contains(&e.to_lowercase())) {
        return Err(PasswordError::ContainsEmail);
    }
    Ok(())
}

/// An email address: trimmed of spaces and invisible characters (R-ACCT-17), at most 254
/// characters, one `@` with text on both sides and a dot in the domain.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Email, TextError> {
        let trimmed =
            text.trim_matches(|c: char| c.is_whitespace() || c.is_control() || matches!(c, '\u{200b}' | '\u{feff}'));
        if trimmed.is_empty() {
            return Err(TextError::Empty);
        }
        if trimmed.chars().count() > 254 {
            return Err(TextError::TooLong { max: 254 });
        }
        let (local, domain) = trimmed.split_once('@').ok_or(TextError::BadCharacters)?;
        let well_formed = !local.is_empty()
            && !domain.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !trimmed.chars().any(|c| c.is_whitespace() || c.is_control());
        if !well_formed {
            return Err(TextError::BadCharacters);
        }
        Ok(Email(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A registration verification code sent by email.
#[derive(Clone, PartialEq, Eq)]
pub struct VerificationCode {
    pub email: Email,
    /// Six digits; as stored, their keyed hash ([`VerificationCode::hashed`]): the digits
    /// themselves are only in the email.
    pub code: String,
    pub expires_at: Timestamp,
}

impl VerificationCode {
    /// The documented lifetime: 10 minutes by default; a `timeout` over 60 minutes is fixed to
    /// 5 minutes.
    pub fn lifetime(timeout_minutes: Option<u32>) -> Millis {
        match timeout_minutes {
            None => Millis::minutes(10),
            Some(m) if m > 60 => Millis::minutes(5),
            Some(m) => Millis::minutes(i64::from(m)),
        }
    }

    /// Six decimal digits from caller-supplied randomness.
    pub fn new(email: Email, random: u32, now: Timestamp, lifetime: Millis) -> VerificationCode {
        VerificationCode { email, code: format!("{:06}", random % 1_000_000), expires_at: now.plus(lifetime) }
    }

    pub fn accepts(&self, code: &str, now: Timestamp) -> bool {
        now < self.expires_at && subtle::ConstantTimeEq::ct_eq(self.code.as_bytes(), code.as_bytes()).into()
    }

    /// The code as it is stored (issue 18): its digits replaced by their HMAC-SHA256 under
    /// `key`, bound to the email, so a database reader learns no code (a plain hash of six
    /// digits would fall to a million guesses).
    pub fn hashed(&self, key: &[u8]) -> VerificationCode {
        VerificationCode { code: code_hash(key, self.email.as_str(), &self.code), ..self.clone() }
    }

    /// Whether this stored (hashed) code accepts the digits `code` at `now`.
    pub fn accepts_hashed(&self, key: &[u8], code: &str, now: Timestamp) -> bool {
        self.accepts(&code_hash(key, self.email.as_str(), code), now)
    }
}

/// Hex HMAC-SHA256 under `key` of the lower-cased address the code went to (an email, a phone)
/// and the digits.
pub(crate) fn code_hash(key: &[u8], sent_to: &str, digits: &str) -> String {
    use hmac::{Hmac, Mac};
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(sent_to.to_lowercase().as_bytes());
    mac.update(b"\n");
    mac.update(digits.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FreezeError {
    #[error("the customer is already frozen")]
    AlreadyFrozen,
}

/// R-RCM-10: the partner freezes a customer's account, or its account and resources. Freezing
/// an account-only freeze again with resources widens it.
pub fn freeze(current: Option<Freeze>, scope: FreezeScope, now: Timestamp) -> Result<Freeze, FreezeError> {
    match (current, scope) {
        (None, _) => Ok(Freeze { scope, cause: FreezeCause::Partner, since: now }),
        (Some(f), FreezeScope::AccountAndResource) if f.scope == FreezeScope::Account => {
            Ok(Freeze { scope, cause: FreezeCause::Partner, since: now })
        }
        (Some(_), _) => Err(FreezeError::AlreadyFrozen),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UnfreezeError {
    #[error("the customer is not frozen")]
    NotFrozen,
    #[error("the customer is frozen ({frozen}); unfreeze it with that type")]
    TypeMismatch { frozen: FreezeScope },
    /// R-RCM-11, R-DIST-05.
    #[error("while the partner account is frozen, customer resources cannot be unfrozen")]
    PartnerFrozen,
}

/// R-RCM-12 `Frozen → Active`: the unfreeze must match the type of the freeze it lifts, and a
/// frozen partner may unfreeze accounts but not resources (R-RCM-11).
pub fn unfreeze(current: Option<Freeze>, scope: FreezeScope, partner_frozen: bool) -> Result<(), UnfreezeError> {
    if partner_frozen && scope == FreezeScope::AccountAndResource {
        return Err(UnfreezeError::PartnerFrozen);
    }
    let f = current.ok_or(UnfreezeError::NotFrozen)?;
    if f.scope != scope {
        return Err(UnfreezeError::TypeMismatch { frozen: f.scope });
    }
    Ok(())
}

/// The code is redacted.
impl std::fmt::Debug for VerificationCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerificationCode")
            .field("email", &self.email)
            .field("code", &REDACTED)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_login_names_follow_the_create_sub_customer_rules() {
        for ok in ["abcde", "Cust_01", "-abcd", "_abcd", &"a".repeat(32)] {
            assert!(customer_login_name(ok).is_ok(), "{ok}");
        }
        assert_eq!(customer_login_name("abcd"), Err(TextError::TooShort { min: 5 }));
        assert_eq!(customer_login_name(&"a".repeat(33)), Err(TextError::TooLong { max: 32 }));
        for bad in ["op_user1", "OP_user1", "shadow_x1", "123456", "1abcde", "ab cd e", "abc.de", "客户名称五个"]
        {
            assert!(customer_login_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_follow_the_documented_rules() {
        assert_eq!(check_password("Secret123", "cust01", None), Ok(()));
        assert_eq!(check_password("short1A", "cust01", None), Err(PasswordError::Length));
        assert_eq!(check_password("alllowercase", "cust01", None), Err(PasswordError::TooSimple));
        assert_eq!(check_password("customer01", "customer01", None), Err(PasswordError::IsAccountName));
        assert_eq!(check_password("10remotsuc", "customer01", None), Err(PasswordError::IsAccountName));
        assert_eq!(check_password("x1a@b.comZ", "cust01", Some("a@b.com")), Err(PasswordError::ContainsEmail));
    }

    #[test]
    fn r_acct_17_emails_are_trimmed_of_stray_characters() {
        assert_eq!(Email::parse("  ops@example.com\u{200b} ").unwrap().as_str(), "ops@example.com");
        for bad in [
            "",
            "   ",
            "no-at.example.com",
            "@example.com",
            "ops@",
            "ops@example",
            "a@b@c.com",
            "o ps@example.com",
            "ops@.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn verification_codes_expire_as_documented() {
        assert_eq!(VerificationCode::lifetime(None), Millis::minutes(10));
        assert_eq!(VerificationCode::lifetime(Some(30)), Millis::minutes(30));
        assert_eq!(VerificationCode::lifetime(Some(61)), Millis::minutes(5));
        let now = Timestamp::from_unix_ms(1_000);
        let code = VerificationCode::new(Email::parse("a@b.co").unwrap(), 4_242, now, Millis::minutes(10));
        assert_eq!(code.code, "004242");
        assert!(code.accepts("004242", now));
        assert!(!code.accepts("004243", now));
        assert!(!code.accepts("004242", now.plus(Millis::minutes(10))));
    }

    #[test]
    fn issue_18_a_stored_code_is_its_keyed_hash() {
        let now = Timestamp::from_unix_ms(1_000);
        let code = VerificationCode::new(Email::parse("A@b.co").unwrap(), 4_242, now, Millis::minutes(10));
        let stored = code.hashed(b"key one");
        assert_eq!(stored.code.len(), 64);
        assert_ne!(stored.code, code.hashed(b"key two").code, "keyed");
        let other = VerificationCode::new(Email::parse("c@b.co").unwrap(), 4_242, now, Millis::minutes(10));
        assert_ne!(stored.code, other.hashed(b"key one").code, "bound to the email");
        assert!(stored.accepts_hashed(b"key one", "004242", now));
        assert!(!stored.accepts_hashed(b"key one", "004243", now));
        assert!(!stored.accepts_hashed(b"key two", "004242", now));
        assert!(!stored.accepts_hashed(b"key one", "004242", now.plus(Millis::minutes(10))));
        assert!(!stored.accepts("004242", now), "the digits themselves are not stored");
    }

    #[test]
    fn r_rcm_10_freezing_and_widening() {
        let now = Timestamp::from_unix_ms(7);
        let f = freeze(None, FreezeScope::Account, now).unwrap();
        assert_eq!(f, Freeze { scope: FreezeScope::Account, cause: FreezeCause::Partner, since: now });
        assert_eq!(freeze(Some(f), FreezeScope::Account, now), Err(FreezeError::AlreadyFrozen));
        let wide = freeze(Some(f), FreezeScope::AccountAndResource, now).unwrap();
        assert_eq!(wide.scope, FreezeScope::AccountAndResource);
        assert_eq!(freeze(Some(wide), FreezeScope::Account, now), Err(FreezeError::AlreadyFrozen));
    }

    #[test]
    fn r_rcm_12_an_unfreeze_matches_the_freeze_type() {
        let now = Timestamp::from_unix_ms(7);
        let account = Freeze { scope: FreezeScope::Account, cause: FreezeCause::ResellerAssociation, since: now };
        let both = Freeze { scope: FreezeScope::AccountAndResource, cause: FreezeCause::Partner, since: now };
        assert_eq!(unfreeze(None, FreezeScope::Account, false), Err(UnfreezeError::NotFrozen));
        assert_eq!(unfreeze(Some(account), FreezeScope::Account, false), Ok(()));
        assert_eq!(
            unfreeze(Some(account), FreezeScope::AccountAndResource, false),
            Err(UnfreezeError::TypeMismatch { frozen: FreezeScope::Account })
        );
        assert_eq!(
            unfreeze(Some(both), FreezeScope::Account, false),
            Err(UnfreezeError::TypeMismatch { frozen: FreezeScope::AccountAndResource })
        );
        assert_eq!(unfreeze(Some(both), FreezeScope::AccountAndResource, false), Ok(()));
    }

    #[test]
    fn r_rcm_11_a_frozen_partner_unfreezes_accounts_but_not_resources() {
        let now = Timestamp::from_unix_ms(7);
        let account = Freeze { scope: FreezeScope::Account, cause: FreezeCause::Partner, since: now };
        let both = Freeze { scope: FreezeScope::AccountAndResource, cause: FreezeCause::PartnerFrozen, since: now };
        assert_eq!(unfreeze(Some(account), FreezeScope::Account, true), Ok(()));
        assert_eq!(unfreeze(Some(both), FreezeScope::AccountAndResource, true), Err(UnfreezeError::PartnerFrozen));
        assert_eq!(unfreeze(Some(account), FreezeScope::AccountAndResource, true), Err(UnfreezeError::PartnerFrozen));
        assert_eq!(unfreeze(None, FreezeScope::AccountAndResource, true), Err(UnfreezeError::PartnerFrozen));
    }
}
