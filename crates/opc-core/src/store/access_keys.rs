use async_trait::async_trait;
use opc_domain::access_key::AccessKey;
use opc_domain::audit::AuditEvent;
use opc_domain::{AccessKeyId, PartnerId};

use super::*;

/// An access key with its secret sealed by the master key.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedAccessKey {
    pub key: AccessKey,
    pub sealed_secret: Vec<u8>,
}

/// The sealed secret is redacted: it is ciphertext, but only the master key stands between it
/// and the secret.
impl std::fmt::Debug for SealedAccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedAccessKey")
            .field("key", &self.key)
            .field("sealed_secret", &opc_domain::redact::REDACTED)
            .finish()
    }
}

#[async_trait]
pub trait AccessKeys: Send + Sync + 'static {
    async fn insert_access_key(&self, key: &SealedAccessKey, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn access_key(&self, id: &AccessKeyId) -> Result<Option<SealedAccessKey>, StoreError>;
    async fn access_keys_of(&self, partner: &PartnerId) -> Result<Vec<AccessKey>, StoreError>;
    /// Writes the key's new state if its stored version is still `key.version`; the stored
    /// version then becomes `key.version + 1`. Otherwise [`StoreError::Conflict`].
    async fn update_access_key(&self, key: &AccessKey, audit: &[AuditEvent]) -> Result<(), StoreError>;
}
