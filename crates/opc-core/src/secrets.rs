//! Secret keys at rest: sealed with the server's master key (XChaCha20-Poly1305), bound to
//! their access key id as associated data so a sealed secret cannot be moved to another row.

use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use opc_domain::access_key::SecretKey;
use opc_domain::AccessKeyId;
use rand::RngCore;

/// The 32-byte master key. Its `Debug` never shows the key.
#[derive(Clone)]
pub struct MasterKey([u8; 32]);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MasterKeyError {
    #[error("the master key must be 64 hexadecimal digits (32 bytes)")]
    Malformed,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("the sealed secret is not in a known format")]
    UnknownFormat,
    #[error("the sealed secret does not open with this master key")]
    WrongKeyOrTampered,
}

/// Format byte of the sealed layout `1 || nonce(24) || ciphertext+tag`.
const FORMAT_V1: u8 = 1;
const NONCE_LEN: usize = 24;

impl MasterKey {
    pub fn generate() -> MasterKey {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        MasterKey(bytes)
    }

    pub fn from_hex(text: &str) -> Result<MasterKey, MasterKeyError> {
        let bytes = hex::decode(text.trim()).map_err(|_| MasterKeyError::Malformed)?;
        Ok(MasterKey(bytes.try_into().map_err(|_| MasterKeyError::Malformed)?))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The key that verification codes are hashed with before they are stored (issue 18):
    /// derived from the master key for that use only, so it never keys anything else.
    pub fn verification_code_key(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        Sha256::new()
            .chain_update(b"open-partner-center verification codes v1\0")
            .chain_update(self.0)
            .finalize()
            .into()
    }

    /// The key's check value: a one-way digest of it under its own label, recorded in the
    /// database so that a server started with another key is told at once (issue 17). It
    /// shows nothing of the key.
    pub fn check_value(&self) -> String {
        use sha2::{Digest, Sha256};
        let digest =
            Sha256::new().chain_update(b"open-partner-center master key check v1\0").chain_update(self.0).finalize();
        format!("v1:{}", hex::encode(digest))
    }

    pub fn seal(&self, secret: &SecretKey, key_id: &AccessKeyId) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let payload = Payload { msg: secret.expose().as_bytes(), aad: key_id.as_str().as_bytes() };
        // Encryption with a valid key and nonce only fails for messages beyond 256 GiB.
        let ciphertext = self.cipher().encrypt(XNonce::from_slice(&nonce), payload).expect("a 40-byte secret encrypts");
        let mut sealed = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
        sealed.push(FORMAT_V1);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        sealed
    }

    pub fn open(&self, sealed: &[u8], key_id: &AccessKeyId) -> Result<SecretKey, SealError> {
        let Some((&FORMAT_V1, rest)) = sealed.split_first() else {
            return Err(SealError::UnknownFormat);
        };
        if rest.len() < NONCE_LEN {
            return Err(SealError::UnknownFormat);
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let payload = Payload { msg: ciphertext, aad: key_id.as_str().as_bytes() };
        let plain =
            self.cipher().decrypt(XNonce::from_slice(nonce), payload).map_err(|_| SealError::WrongKeyOrTampered)?;
        String::from_utf8(plain).map(SecretKey::from_stored).map_err(|_| SealError::WrongKeyOrTampered)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new((&self.0).into())
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_value_names_one_key_and_shows_none_of_it() {
        let key = MasterKey::generate();
        assert_eq!(key.check_value(), key.clone().check_value());
        assert_ne!(key.check_value(), MasterKey::generate().check_value());
        assert!(key.check_value().starts_with("v1:") && !key.check_value().contains(&key.to_hex()));
        assert_ne!(key.check_value()[3..], key.verification_code_key().map(|b| format!("{b:02x}")).concat());
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_its_access_key_id() {
        let master = MasterKey::generate();
        let ak = AccessKeyId::parse("AK0000000000000000001").unwrap();
        let sk = SecretKey::from_random([42; 40]);
        let sealed = master.seal(&sk, &ak);
        assert!(!sealed.windows(40).any(|w| w == sk.expose().as_bytes()), "the secret is not in clear");
        assert_eq!(master.open(&sealed, &ak), Ok(sk.clone()));
        assert_eq!(MasterKey::generate().open(&sealed, &ak), Err(SealError::WrongKeyOrTampered));
        let other = AccessKeyId::parse("AK0000000000000000002").unwrap();
        assert_eq!(master.open(&sealed, &other), Err(SealError::WrongKeyOrTampered));
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert_eq!(master.open(&tampered, &ak), Err(SealError::WrongKeyOrTampered));
        assert_eq!(master.open(&[], &ak), Err(SealError::UnknownFormat));
        assert_eq!(master.open(&[2, 0, 0], &ak), Err(SealError::UnknownFormat));
    }

    #[test]
    fn master_keys_round_trip_through_hex_and_hide_in_debug() {
        let k = MasterKey::generate();
        assert_eq!(MasterKey::from_hex(&k.to_hex()).unwrap().0, k.0);
        assert_eq!(MasterKey::from_hex("abcd").err(), Some(MasterKeyError::Malformed));
        assert_eq!(MasterKey::from_hex(&"zz".repeat(32)).err(), Some(MasterKeyError::Malformed));
        assert_eq!(format!("{k:?}"), "MasterKey(<redacted>)");
    }
}
