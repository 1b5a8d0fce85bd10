use async_trait::async_trait;
use opc_domain::audit::{Action, AuditEvent};
use opc_domain::{PartnerId, Timestamp};

use super::*;

/// Which audit events to read, newest first: the reader's scope, then what it asked for
/// inside it. Both hold at once, so a filter never reaches outside the scope.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Scope: only this partner's events.
    pub partner: Option<PartnerId>,
    /// Scope: only the events about this subject (a customer's own account).
    pub subject_id: Option<String>,
    /// What the reader asked for, inside the scope.
    pub filter: AuditFilter,
    pub limit: u32,
    /// Events skipped, newest first (for paging).
    pub offset: u32,
}

/// A reader's choice of events; an empty field chooses every event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// At or after.
    pub from: Option<Timestamp>,
    /// Before.
    pub until: Option<Timestamp>,
    /// The acting operator (by the name it is recorded by), partner, account or access key.
    pub actor: Option<String>,
    /// One of `Subject::KINDS`.
    pub subject_kind: Option<&'static str>,
    pub subject_id: Option<String>,
    pub action: Option<Action>,
}

#[async_trait]
pub trait Audit: Send + Sync + 'static {
    async fn audit_events(&self, query: &AuditQuery) -> Result<Vec<AuditEvent>, StoreError>;
}
