use async_trait::async_trait;
use opc_domain::account::Account;
use opc_domain::audit::AuditEvent;
use opc_domain::customer::Email;
use opc_domain::partner::Partner;
use opc_domain::{AccountId, PartnerId, Timestamp};

use super::*;

/// Filters of `list_indirect_partners`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResellerQuery {
    pub account_name: Option<String>,
    pub associated_from: Option<Timestamp>,
    pub associated_to: Option<Timestamp>,
    pub reseller: Option<PartnerId>,
    pub offset: u32,
    pub limit: u32,
}

#[async_trait]
pub trait Partners: Send + Sync + 'static {
    /// Inserts an enrolled partner, its account and its first access key.
    async fn insert_partner(
        &self,
        account: &Account,
        partner: &Partner,
        key: &SealedAccessKey,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn partner(&self, id: &PartnerId) -> Result<Option<Partner>, StoreError>;
    /// The partners with one of `ids` or of one of `accounts`, in one read (unknown ones are
    /// left out; no order): the names a page of ids is shown by.
    async fn partners_by_id_or_account(
        &self,
        ids: &[PartnerId],
        accounts: &[AccountId],
    ) -> Result<Vec<Partner>, StoreError>;
    /// Partners whose name contains `name` (case-insensitive), newest first, and how many
    /// match in all.
    async fn partners(&self, name: Option<&str>, offset: u32, limit: u32) -> Result<(Vec<Partner>, u64), StoreError>;
    /// Writes the partner's state and consumption quota if its stored version is still
    /// `partner.version`.
    async fn update_partner(&self, partner: &Partner, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// A distributor's resellers with their accounts, oldest first, and how many match in all.
    async fn resellers_of(
        &self,
        distributor: &PartnerId,
        query: &ResellerQuery,
    ) -> Result<(Vec<(Partner, Account)>, u64), StoreError>;
    /// The partner whose account this is.
    async fn partner_of_account(&self, account: &AccountId) -> Result<Option<Partner>, StoreError>;
    /// Whether the partner has enabled the verification-code function (R-ASSOC-26).
    async fn critical_operation_protection(&self, partner: &PartnerId) -> Result<bool, StoreError>;
    /// Enables (`Some(since)`) or disables it, using up the codes of the email that confirmed.
    async fn set_critical_operation_protection(
        &self,
        partner: &PartnerId,
        enabled_since: Option<Timestamp>,
        consumes_codes_of: &Email,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
}
