use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::PartnerId;

use super::*;

/// Which audit events to read, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub partner: Option<PartnerId>,
    pub subject_id: Option<String>,
    pub limit: u32,
    /// Events skipped, newest first (for paging).
    pub offset: u32,
}

#[async_trait]
pub trait Audit: Send + Sync + 'static {
    async fn audit_events(&self, query: &AuditQuery) -> Result<Vec<AuditEvent>, StoreError>;
}
