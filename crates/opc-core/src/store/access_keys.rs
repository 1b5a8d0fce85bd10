use async_trait::async_trait;
use opc_domain::access_key::AccessKey;
use opc_domain::audit::AuditEvent;
use opc_domain::{AccessKeyId, PartnerId};

use super::*;

/// An access key with its secret sealed by the master key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedAccessKey {
    pub key: AccessKey,
    pub sealed_secret: Vec<u8>,
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
