use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::catalog::Catalog;
use opc_domain::Timestamp;

use super::*;

#[async_trait]
pub trait Catalogs: Send + Sync + 'static {
    /// Stores `catalog` as the new current version; returns its version number.
    async fn import_catalog(
        &self,
        catalog: &Catalog,
        at: Timestamp,
        by: &str,
        audit: &[AuditEvent],
    ) -> Result<i64, StoreError>;
    /// The current catalog and its version, if one was ever imported.
    async fn catalog(&self) -> Result<Option<(i64, Catalog)>, StoreError>;
}
