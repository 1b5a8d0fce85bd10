//! Access keys (AK/SK) with which partners sign BSS API requests.

use std::fmt;

use crate::ids::{AccessKeyId, AccountId, MemberId, PartnerId};
use crate::time::Timestamp;

/// A secret key (the "SK"). Its `Debug` never shows the value; only [`SecretKey::expose`]
/// does, when it is handed to the partner or fed to the HMAC. A process keeps an opened secret
/// only with its key in the principal cache, never in a log or an answer.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(String);

impl SecretKey {
    pub const LEN: usize = 40;
    const ALPHABET: &'static [u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// Mints an SK from caller-supplied random bytes: 40 alphanumeric characters (≈238 bits;
    /// the modulo bias of 256 % 62 costs under a bit per character).
    pub fn from_random(bytes: [u8; Self::LEN]) -> SecretKey {
        SecretKey(bytes.iter().map(|b| Self::ALPHABET[usize::from(b % 62)] as char).collect())
    }

    /// Wraps a decrypted secret read back from storage.
    pub fn from_stored(text: String) -> SecretKey {
        SecretKey(text)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyState {
    Active,
    Revoked { at: Timestamp },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the access key is already revoked")]
    AlreadyRevoked,
}

/// An access key's public half and state. The secret is stored encrypted beside it and is
/// never part of this value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessKey {
    id: AccessKeyId,
    partner: Option<PartnerId>,
    account: AccountId,
    member: Option<MemberId>,
    created_at: Timestamp,
    state: KeyState,
    version: i64,
}

/// An access key as stored, to rebuild it ([`AccessKey::from_stored`]).
pub struct StoredAccessKey {
    pub id: AccessKeyId,
    pub partner: Option<PartnerId>,
    pub account: AccountId,
    pub member: Option<MemberId>,
    pub created_at: Timestamp,
    pub state: KeyState,
    pub version: i64,
}

impl AccessKey {
    /// A new, active key of `account`, signing for `partner` (none: a customer's own key) and,
    /// if issued to one, acting as `member`.
    pub fn issue(
        id: AccessKeyId,
        partner: Option<PartnerId>,
        account: AccountId,
        member: Option<MemberId>,
        now: Timestamp,
    ) -> AccessKey {
        AccessKey { id, partner, account, member, created_at: now, state: KeyState::Active, version: 0 }
    }

    pub fn from_stored(s: StoredAccessKey) -> AccessKey {
        AccessKey {
            id: s.id,
            partner: s.partner,
            account: s.account,
            member: s.member,
            created_at: s.created_at,
            state: s.state,
            version: s.version,
        }
    }

    pub fn id(&self) -> &AccessKeyId {
        &self.id
    }

    /// The partner that signs with the key; `None` for a customer's own key.
    pub fn partner(&self) -> Option<&PartnerId> {
        self.partner.as_ref()
    }

    /// The key's account: the only `X-Domain-Id` this key may sign for.
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The organization member the key was issued to, if any: requests signed with it act
    /// with that member's permission items and customer visibility (R-ORG-02, R-ORG-19).
    pub fn member(&self) -> Option<&MemberId> {
        self.member.as_ref()
    }

    pub fn created_at(&self) -> Timestamp {
        self.created_at
    }

    pub fn state(&self) -> KeyState {
        self.state
    }

    /// The stored version this value was read at (optimistic concurrency).
    pub fn version(&self) -> i64 {
        self.version
    }

    /// The store wrote this value: its stored version moved on.
    pub fn saved(&mut self) {
        self.version += 1;
    }

    /// Revokes the key (once).
    pub fn revoke(&mut self, now: Timestamp) -> Result<(), KeyError> {
        match self.state {
            KeyState::Active => {
                self.state = KeyState::Revoked { at: now };
                Ok(())
            }
            KeyState::Revoked { .. } => Err(KeyError::AlreadyRevoked),
        }
    }

    pub fn is_active(&self) -> bool {
        self.state == KeyState::Active
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_never_show_in_debug() {
        let sk = SecretKey::from_random([200; 40]);
        assert_eq!(sk.expose().len(), 40);
        assert!(sk.expose().bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(format!("{sk:?}"), "SecretKey(<redacted>)");
    }

    #[test]
    fn a_key_is_revoked_once() {
        let now = Timestamp::from_unix_ms(1);
        let mut key = AccessKey::issue(
            AccessKeyId::from_random([1; 20]),
            Some(PartnerId::from_random([2; 16])),
            AccountId::from_random([3; 16]),
            None,
            now,
        );
        key.revoke(now).unwrap();
        assert!(!key.is_active());
        assert_eq!(key.state(), KeyState::Revoked { at: now });
        assert_eq!(key.revoke(now), Err(KeyError::AlreadyRevoked));
    }
}
