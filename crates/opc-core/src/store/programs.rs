use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::goal::RevenueGoal;
use opc_domain::hcpn::HcpnApplication;
use opc_domain::notification::Notification;
use opc_domain::partner::{Enrollment, Partner};
use opc_domain::path::PathMembership;
use opc_domain::program::ProgramApplication;
use opc_domain::text::CountryCode;
use opc_domain::tier::{EntryPathKind, TierChange};
use opc_domain::{AccountId, PartnerId, Timestamp};

use super::*;

#[async_trait]
pub trait Programs: Send + Sync + 'static {
    /// Sets (inserts or replaces) a partner's revenue goal for its year (R-PROG-44).
    async fn set_revenue_goal(&self, goal: &RevenueGoal, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// The partner's revenue goals, latest year first.
    async fn revenue_goals(&self, partner: &PartnerId) -> Result<Vec<RevenueGoal>, StoreError>;

    /// The development paths of the account and of every account of its company
    /// (`BusinessInfo::company_key`, R-HCPN-19).
    async fn company_paths(&self, account: &AccountId) -> Result<Vec<PathMembership>, StoreError>;
    /// Inserts (`expected_version` `None`) or updates, with a version check, a path membership.
    async fn save_path(
        &self,
        membership: &PathMembership,
        expected_version: Option<i64>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// R-PROG-23: the business areas in which another account of the account's company has
    /// applied to, or joined, the Cloud Solution Provider program.
    async fn company_csp_areas(&self, account: &AccountId) -> Result<Vec<CountryCode>, StoreError>;
    /// R-HCPN-13: whether the partner has been invited to apply for Core.
    async fn core_invited(&self, partner: &PartnerId) -> Result<bool, StoreError>;
    async fn invite_to_core(
        &self,
        partner: &PartnerId,
        at: Timestamp,
        by: &str,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Partners of `country` other than `excluding` now at Core in some program by the entry
    /// path `entry_path` (R-HCPN-14, R-HCPN-15).
    async fn core_partners(
        &self,
        country: &CountryCode,
        entry_path: EntryPathKind,
        excluding: &PartnerId,
    ) -> Result<u32, StoreError>;
    /// Records a tier change and sets the enrollment's tier, if it is still `change.from`.
    async fn change_tier(&self, change: &TierChange, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// The partner's tier changes, latest first.
    async fn tier_changes(&self, partner: &PartnerId) -> Result<Vec<TierChange>, StoreError>;

    async fn hcpn_application(&self, applicant: &AccountId) -> Result<Option<HcpnApplication>, StoreError>;
    /// Inserts (`expected_version` `None`) or updates (version-checked) an HCPN application;
    /// with `new_partner`, the partner its approval creates, in the same transaction.
    async fn save_hcpn_application(
        &self,
        application: &HcpnApplication,
        expected_version: Option<i64>,
        new_partner: Option<&Partner>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Applications in a state (`submitted`, `manual_review`, `approved`, `rejected`), oldest first.
    async fn hcpn_applications(&self, state: &str, limit: u32) -> Result<Vec<HcpnApplication>, StoreError>;

    async fn program_applications_of(&self, applicant: &AccountId) -> Result<Vec<ProgramApplication>, StoreError>;
    /// Inserts or updates (version-checked) a program application; with `enrollment`, the
    /// program its approval adds to the partner, in the same transaction.
    async fn save_program_application(
        &self,
        application: &ProgramApplication,
        expected_version: Option<i64>,
        enrollment: Option<(&PartnerId, &Enrollment)>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Applications in a state, oldest first.
    async fn program_applications(&self, state: &str, limit: u32) -> Result<Vec<ProgramApplication>, StoreError>;
    /// R-PROG-27: records the operator's invitation of an account to DPP and queues its email.
    async fn insert_dpp_invitation(
        &self,
        account: &AccountId,
        invited_by: &str,
        at: Timestamp,
        notification: &Notification,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn dpp_invited(&self, account: &AccountId) -> Result<bool, StoreError>;
}
