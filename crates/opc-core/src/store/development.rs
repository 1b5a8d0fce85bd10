use async_trait::async_trait;
use opc_domain::account::Account;
use opc_domain::association::Association;
use opc_domain::audit::AuditEvent;
use opc_domain::budget::BudgetRecord;
use opc_domain::customer::Email;
use opc_domain::development::{DisassociationRequest, Invitation, InvitationToken, PreRegistration};
use opc_domain::notification::Notification;
use opc_domain::{AccountId, PartnerId};

use super::*;

/// A customer's acceptance of an invitation, with everything written with it.
pub struct Acceptance<'a> {
    /// A new account registered to accept (R-ASSOC-20 "Register for Association")…
    pub new_account: Option<&'a Account>,
    /// …or an existing account (its freeze written, version-checked).
    pub existing_account: Option<&'a Account>,
    pub association: &'a Association,
    /// The invitation accepted: refused if it was revoked meanwhile.
    pub invitation: &'a InvitationToken,
    /// R-ASSOC-19: the Customer Authorization Letter was accepted.
    pub authorized: bool,
    /// The accepting partner's pre-registration of this customer, now associated.
    pub pre_registration: Option<&'a PreRegistration>,
    pub consumes_codes_of: Option<&'a Email>,
    pub notifications: &'a [Notification],
    pub audit: &'a [AuditEvent],
}

/// What an approved disassociation ends.
pub struct Disassociation<'a> {
    /// The customer's account with the partner's freezes lifted (version-checked).
    pub account: &'a Account,
    /// The budget removed with the association, recorded as a DELETE.
    pub budget_record: Option<&'a BudgetRecord>,
    /// A reseller customer's balance returned to its partner: the two balances as decided
    /// (version-checked) and their entries.
    pub unbind: Option<(&'a [opc_domain::funds::Balance], &'a [opc_domain::funds::Entry])>,
}

#[async_trait]
pub trait Development: Send + Sync + 'static {
    async fn pre_registrations_for(&self, email: &Email) -> Result<Vec<PreRegistration>, StoreError>;
    async fn pre_registrations_of(&self, partner: &PartnerId) -> Result<Vec<PreRegistration>, StoreError>;
    async fn insert_pre_registration(
        &self,
        pre_registration: &PreRegistration,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn insert_invitation(
        &self,
        invitation: &Invitation,
        notifications: &[Notification],
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn invitation(&self, token: &InvitationToken) -> Result<Option<Invitation>, StoreError>;
    async fn invitations_of(&self, partner: &PartnerId) -> Result<Vec<Invitation>, StoreError>;
    /// Writes the invitation's revocation, unless it is revoked already ([`StoreError::Conflict`]).
    async fn revoke_invitation(&self, invitation: &Invitation, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// Associates the customer: one transaction for the account, the association, the
    /// pre-registration, the codes, the notifications and the audit.
    async fn accept_invitation(&self, acceptance: &Acceptance<'_>) -> Result<(), StoreError>;
    async fn disassociation_requests_of(&self, partner: &PartnerId) -> Result<Vec<DisassociationRequest>, StoreError>;
    /// The customer's pending request, if any.
    async fn pending_disassociation(&self, customer: &AccountId) -> Result<Option<DisassociationRequest>, StoreError>;
    /// Writes a request (inserted when `expected_version` is `None`, else version-checked), the
    /// association's new state (version-checked) and, when approved, what it ends.
    async fn save_disassociation(
        &self,
        request: &DisassociationRequest,
        expected_version: Option<i64>,
        association: &Association,
        ended: Option<Disassociation<'_>>,
        consumes_codes_of: Option<&Email>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
}
