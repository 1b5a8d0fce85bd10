use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::realname::{Application, ScanLink, Standing};
use opc_domain::{AccountId, PartnerId, Timestamp};

use super::*;

/// A real-name attachment as stored: whose, its name and content (checked before storing).
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    pub customer: AccountId,
    pub name: String,
    pub partner: PartnerId,
    pub content_type: String,
    pub content: Vec<u8>,
    pub uploaded_at: Timestamp,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("customer", &self.customer)
            .field("name", &self.name)
            .field("content_type", &self.content_type)
            .field("bytes", &self.content.len())
            .finish()
    }
}

/// An attachment without its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentInfo {
    pub name: String,
    pub content_type: String,
    pub bytes: u64,
    pub uploaded_at: Timestamp,
}

#[async_trait]
pub trait RealNames: Send + Sync + 'static {
    /// Stores an attachment; one of the same name for the customer refuses it
    /// (`Stale(Row::RealNameFile)`): attachments are never replaced.
    async fn insert_realname_file(&self, file: &Attachment) -> Result<(), StoreError>;
    async fn realname_file(&self, customer: &AccountId, name: &str) -> Result<Option<Attachment>, StoreError>;
    /// The customer's attachments, by name.
    async fn realname_files(&self, customer: &AccountId) -> Result<Vec<AttachmentInfo>, StoreError>;
    /// Stores a new application and sets the account's real-name status, in one transaction;
    /// another application under review for the customer refuses it
    /// (`Stale(Row::RealNameApplication)`).
    async fn insert_realname_application(
        &self,
        application: &Application,
        status: opc_domain::account::RealNameStatus,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn realname_application(&self, id: &str) -> Result<Option<Application>, StoreError>;
    /// The customer's applications, newest first.
    async fn realname_applications(&self, customer: &AccountId) -> Result<Vec<Application>, StoreError>;
    /// Up to `limit` applications waiting for review, oldest first.
    async fn pending_realname_applications(&self, limit: u32) -> Result<Vec<Application>, StoreError>;
    /// Writes a review (if the application is still at the version it was read at) and the
    /// account's new standing, in one transaction.
    async fn review_realname(
        &self,
        application: &Application,
        standing: Standing,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// RN-QR: stores a new scan link.
    async fn insert_realname_scan(&self, link: &ScanLink) -> Result<(), StoreError>;
    async fn realname_scan(&self, token_hash: &str) -> Result<Option<ScanLink>, StoreError>;
    /// RN-QR: uses the scan link (while it is still unused) and stores the attachments and the
    /// application it carried with the account's new status, in one transaction. A link used
    /// meanwhile refuses it all (`Stale(Row::RealNameScan)`), as does another application under
    /// review.
    async fn submit_realname_scan(
        &self,
        token_hash: &str,
        files: &[Attachment],
        application: &Application,
        status: opc_domain::account::RealNameStatus,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
}
