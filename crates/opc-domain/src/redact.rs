//! `Debug` for values that hold a secret (a password hash, a verification code, a session
//! token's hash): the secret shows as [`REDACTED`], so that a log line or a panic message
//! never carries it.

use std::fmt;

/// Stands in for a secret in `Debug` output.
pub struct Redacted;

pub const REDACTED: Redacted = Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use crate::account::{Account, AccountName};
    use crate::console::{Session, SessionSubject, Staff};
    use crate::customer::{Email, VerificationCode};
    use crate::organization::{Member, Position, StoredMember};
    use crate::text::{CountryCode, DisplayName};
    use crate::{AccountId, Millis, PartnerId, StaffId, Timestamp};

    const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$secret-hash-bytes";

    fn shows_no_secret(value: &impl std::fmt::Debug, secret: &str) {
        let text = format!("{value:?}");
        assert!(!text.contains(secret), "{text} shows the secret");
        assert!(text.contains("<redacted>"), "{text} does not say what it hid");
    }

    #[test]
    fn secrets_never_show_in_debug() {
        let now = Timestamp::from_unix_ms(1_700_000_000_000);
        let email = Email::parse("someone@example.com").unwrap();
        let mut account = Account::new_registered(
            AccountId::from_random([1; 16]),
            AccountName::parse("someone_1").unwrap(),
            CountryCode::parse("SG").unwrap(),
            now,
        );
        account.set_login(None, Some(HASH.to_owned()));
        shows_no_secret(&account, HASH);
        let staff = Staff {
            id: StaffId::from_random([2; 16]),
            email: email.clone(),
            name: DisplayName::parse("Olga Ops").unwrap(),
            password_hash: HASH.to_owned(),
            created_at: now,
            version: 1,
        };
        shows_no_secret(&staff, HASH);
        let member = Member::from_stored(StoredMember {
            id: crate::MemberId::from_random([3; 16]),
            partner: PartnerId::from_random([4; 16]),
            name: DisplayName::parse("Mia Member").unwrap(),
            email: email.clone(),
            password_hash: HASH.to_owned(),
            role: None,
            position: Position::Member,
            director: None,
            created_at: now,
            version: 1,
        });
        shows_no_secret(&member, HASH);
        let code = VerificationCode::new(email, 123_456, now, Millis(600_000));
        shows_no_secret(&code, &code.code);
        let token_sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".to_owned();
        let session = Session::start(token_sha256.clone(), SessionSubject::Account(account.id().clone()), now);
        shows_no_secret(&session, &token_sha256);
    }
}
