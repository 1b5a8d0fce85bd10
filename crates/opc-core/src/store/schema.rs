use async_trait::async_trait;

use super::*;

#[async_trait]
pub trait Schema: Send + Sync + 'static {
    /// Applies pending migrations. Idempotent.
    async fn migrate(&self) -> Result<(), StoreError>;

    /// Records the master key's check value unless one is recorded, and answers the recorded one
    /// (`check` itself the first time).
    async fn record_master_key_check(&self, check: &str) -> Result<String, StoreError>;

    /// The master key's recorded check value, if one is.
    async fn master_key_check(&self) -> Result<Option<String>, StoreError>;

    /// The first access key written, with its sealed secret: what a database written before the
    /// check value was recorded is tried with.
    async fn first_sealed_access_key(&self) -> Result<Option<SealedAccessKey>, StoreError>;
}
