use async_trait::async_trait;
use opc_domain::account::Account;
use opc_domain::audit::AuditEvent;
use opc_domain::enterprise::{Member, SmsCode, Unit};
use opc_domain::notification::Notification;
use opc_domain::{AccountId, Timestamp};

use super::*;

/// Which members of a master to read (B1.11.2): every filter given must match; names are
/// matched whole, or anywhere in them with `fuzzy`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemberQuery {
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub fuzzy: bool,
    pub unit: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

/// A new member account and what changes with it, written in one transaction.
#[derive(Debug)]
pub struct NewMember<'a> {
    pub account: &'a Account,
    pub member: &'a Member,
    /// The master with its new role, written if its version still matches
    /// (`Stale(Row::Account)` otherwise).
    pub master: &'a Account,
    /// The SMS code the member's phone was proven with, used up.
    pub uses_code: Option<&'a str>,
    pub audit: &'a [AuditEvent],
}

/// The enterprise multi-account room (B1.11, B2.11): organization units, members, SMS codes,
/// enterprise-project permission. Funds move through [`Funds`].
#[async_trait]
pub trait Enterprises: Send + Sync + 'static {
    /// The master's units, oldest first.
    async fn enterprise_units(&self, master: &AccountId) -> Result<Vec<Unit>, StoreError>;
    /// Stores a unit; a second root for the same master is ignored (the first stays).
    async fn insert_enterprise_unit(&self, unit: &Unit, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn enterprise_member(&self, member: &AccountId) -> Result<Option<Member>, StoreError>;
    /// A page of the master's members with their accounts, oldest first, and how many match.
    async fn enterprise_members(
        &self,
        master: &AccountId,
        query: &MemberQuery,
    ) -> Result<(Vec<(Member, Account)>, u64), StoreError>;
    async fn insert_enterprise_member(&self, new: &NewMember<'_>) -> Result<(), StoreError>;
    /// Stores an SMS code (hashed) and queues the message that carries it.
    async fn insert_sms_code(
        &self,
        code: &SmsCode,
        notification: &Notification,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// The newest code the master sent to this phone.
    async fn latest_sms_code(&self, master: &AccountId, phone: &str) -> Result<Option<SmsCode>, StoreError>;
    /// Records that the account enabled enterprise projects; `false` when it already had.
    async fn enable_enterprise_projects(
        &self,
        account: &AccountId,
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<bool, StoreError>;
}
