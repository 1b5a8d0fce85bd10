use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::credential::Certificate;
use opc_domain::notification::Notification;
use opc_domain::personnel::Personnel;
use opc_domain::{AccountId, PartnerId};

use super::*;

#[async_trait]
pub trait PersonnelRecords: Send + Sync + 'static {
    /// The partner's dedicated personnel and invitations, latest invitation first.
    async fn personnel_of_partner(&self, partner: &PartnerId) -> Result<Vec<Personnel>, StoreError>;
    /// Every partner's record of this HUAWEI ID (R-ORG-08, R-ORG-10).
    async fn personnel_of_account(&self, account: &AccountId) -> Result<Vec<Personnel>, StoreError>;
    async fn personnel_by_token(&self, token_sha256: &str) -> Result<Option<Personnel>, StoreError>;
    /// The certificates bound to these accounts (R-ORG-14).
    async fn certificates_of(&self, accounts: &[AccountId]) -> Result<Vec<Certificate>, StoreError>;
    /// Binds a certificate; a number bound to any account already is a conflict on
    /// `person_certificates.number` (R-ORG-17: unbind it there first).
    async fn bind_certificate(&self, certificate: &Certificate, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// Unbinds the account's certificate `number`; `NotFound` if the account holds no such one.
    async fn unbind_certificate(
        &self,
        account: &AccountId,
        number: &str,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Inserts (`expected_version` `None`) or updates, with a version check, a personnel
    /// record, with the notifications it sends.
    async fn save_personnel(
        &self,
        personnel: &Personnel,
        expected_version: Option<i64>,
        notifications: &[Notification],
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
}
