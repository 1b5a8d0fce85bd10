//! Access keys (AK/SK) with which partners sign BSS API requests.

use std::fmt;

use crate::ids::{AccessKeyId, AccountId, MemberId, PartnerId};
use crate::time::Timestamp;

/// A secret key (the "SK"). Its `Debug` never shows the value; only [`SecretKey::expose`]
/// does, for the one moment it is handed to the partner or fed to the HMAC.
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
    pub id: AccessKeyId,
    /// The partner that signs with the key; `None` for a customer's own key.
    pub partner: Option<PartnerId>,
    /// The key's account: the only `X-Domain-Id` this key may sign for.
    pub account: AccountId,
    /// The organization member the key was issued to, if any: requests signed with it act
    /// with that member's permission items and customer visibility (R-ORG-02, R-ORG-19).
    pub member: Option<MemberId>,
    pub created_at: Timestamp,
    pub state: KeyState,
    pub version: i64,
}

impl AccessKey {
    pub fn revoke(&self, now: Timestamp) -> Result<KeyState, KeyError> {
        match self.state {
            KeyState::Active => Ok(KeyState::Revoked { at: now }),
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
        let mut key = AccessKey {
            id: AccessKeyId::from_random([1; 20]),
            partner: Some(PartnerId::from_random([2; 16])),
            account: AccountId::from_random([3; 16]),
            member: None,
            created_at: now,
            state: KeyState::Active,
            version: 0,
        };
        key.state = key.revoke(now).unwrap();
        assert!(!key.is_active());
        assert_eq!(key.revoke(now), Err(KeyError::AlreadyRevoked));
    }
}
