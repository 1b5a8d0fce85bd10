use async_trait::async_trait;

use super::*;

#[async_trait]
pub trait Schema: Send + Sync + 'static {
    /// Applies pending migrations. Idempotent.
    async fn migrate(&self) -> Result<(), StoreError>;
}
