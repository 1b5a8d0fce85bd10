use async_trait::async_trait;
use opc_domain::account::{Account, AccountName};
use opc_domain::audit::AuditEvent;
use opc_domain::console::NewAccountLink;
use opc_domain::customer::Email;
use opc_domain::tenant::TenantInfo;
use opc_domain::{AccountId, Timestamp};

use super::*;

/// What identifies a would-be customer (`check_user_identity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentityKind {
    Name,
    Email,
    Mobile,
}

/// A stored qualification proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
    pub uploaded_at: Timestamp,
}

#[async_trait]
pub trait Accounts: Send + Sync + 'static {
    async fn account(&self, id: &AccountId) -> Result<Option<Account>, StoreError>;
    /// The accounts with one of `ids`, in one read (unknown ones are left out; no order): the
    /// names a page of ids is shown by.
    async fn accounts_by_id(&self, ids: &[AccountId]) -> Result<Vec<Account>, StoreError>;
    async fn account_by_name(&self, name: &AccountName) -> Result<Option<Account>, StoreError>;
    /// The account registered with this email (compared case-insensitively).
    async fn account_by_email(&self, email: &Email) -> Result<Option<Account>, StoreError>;
    /// Registers a cloud account on its own (no partner): uses up the email's codes. With
    /// `uses_link` (a new-account link's token SHA-256 and now), also uses up that link, in the
    /// same transaction: `Conflict { constraint: Constraint::NewAccountLinkUsed }` when it is used
    /// or expired by then (R-ACCT-13).
    async fn register_account(
        &self,
        account: &Account,
        consumes_codes_of: &Email,
        uses_link: Option<(&str, Timestamp)>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Stores a new-account link (R-ACCT-13) and uses up the codes of the email it verified.
    async fn insert_new_account_link(
        &self,
        link: &NewAccountLink,
        consumes_codes_of: &Email,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn new_account_link(&self, token_sha256: &str) -> Result<Option<NewAccountLink>, StoreError>;
    async fn tenant_info(&self, account: &AccountId) -> Result<Option<TenantInfo>, StoreError>;
    /// Writes the tenant information and the account's type (version-checked on the account).
    async fn save_tenant_info(
        &self,
        account: &Account,
        info: &TenantInfo,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn save_proof(&self, account: &AccountId, proof: &Proof, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn proof(&self, account: &AccountId) -> Result<Option<Proof>, StoreError>;
    /// Writes the account's freeze if its stored version is still `account.version`.
    async fn update_account_freeze(&self, account: &Account, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// Writes `account.bd_preregistered`, if the account is still at `account.version`.
    async fn update_bd_preregistration(&self, account: &Account, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn identity_in_use(&self, kind: IdentityKind, value: &str) -> Result<bool, StoreError>;
}
