//! Audit events: who did what to which thing, on whose behalf, when, and what changed. Each is
//! written in the same transaction as the change it records.

use crate::ids::{AccessKeyId, AccountId, AuditEventId, PartnerId};
use crate::time::Timestamp;

/// Who acted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// Operator staff, by name (the CLI records the OS user or `cli`).
    Operator(String),
    /// A partner, through the BSS API with one of its access keys.
    PartnerKey {
        partner: PartnerId,
        key: AccessKeyId,
    },
    Customer(AccountId),
    /// The system itself (jobs, automatic decisions).
    System,
}

/// What happened. The string forms are stable: they are stored and shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    PartnerEnrolled,
    AccessKeyCreated,
    AccessKeyRevoked,
    CustomerAssociated,
    CustomerFrozen,
    CustomerUnfrozen,
    BudgetSet,
    VerificationCodeSent,
    PartnerFrozen,
    PartnerUnfrozen,
    ConsumptionQuotaSet,
    RevenueGoalSet,
    CriticalOperationProtectionSet,
    AccountRegistered,
    NewAccountLinkIssued,
    StaffCreated,
    HcpnSubmitted,
    HcpnApproved,
    HcpnRejected,
    ProgramApplied,
    ProgramApproved,
    ProgramRejected,
    TenantInfoSaved,
    ProofUploaded,
    CustomerPreRegistered,
    InvitationCreated,
    DisassociationRequested,
    DisassociationApproved,
    DisassociationRejected,
    DppInvited,
    InformationSubmitted,
    InformationReviewed,
    RoleCreated,
    MemberCreated,
    MemberUpdated,
    AccountManagerAssigned,
    DevelopmentPathJoined,
    DevelopmentPathAdvanced,
    CoreInvited,
    TierChanged,
    PersonnelInvited,
    PersonnelAssociated,
    PersonnelUnassociated,
    PersonnelProfileUpdated,
    BdPreRegistrationSet,
    CertificateBound,
    CertificateUnbound,
    PasswordChanged,
    CatalogImported,
    UsageIngested,
    BudgetThresholdReached,
    QuotaThresholdReached,
    PartnerRestricted,
    NoticeRecipientsSet,
    OrderPlaced,
    OrderPaid,
    OrderCancelled,
    ResourcesUnsubscribed,
    AutoRenewalSet,
    AutoRenewalCancelled,
    ExpiryPolicySet,
    RenewConfigSet,
    AuthorizationGranted,
    AuthorizationWithdrawn,
    WebhookSet,
    AutoRenewalRefused,
    FundsAllocated,
    FundsReclaimed,
    PaymentRecorded,
    BalanceAdjusted,
    PartnerUnrestricted,
    SettlementTermsSet,
    TaxRateSet,
}

impl Action {
    pub const ALL: [Action; 73] = [
        Action::PartnerEnrolled,
        Action::AccessKeyCreated,
        Action::AccessKeyRevoked,
        Action::CustomerAssociated,
        Action::CustomerFrozen,
        Action::CustomerUnfrozen,
        Action::BudgetSet,
        Action::VerificationCodeSent,
        Action::PartnerFrozen,
        Action::PartnerUnfrozen,
        Action::ConsumptionQuotaSet,
        Action::RevenueGoalSet,
        Action::CriticalOperationProtectionSet,
        Action::AccountRegistered,
        Action::NewAccountLinkIssued,
        Action::StaffCreated,
        Action::HcpnSubmitted,
        Action::HcpnApproved,
        Action::HcpnRejected,
        Action::ProgramApplied,
        Action::ProgramApproved,
        Action::ProgramRejected,
        Action::TenantInfoSaved,
        Action::ProofUploaded,
        Action::CustomerPreRegistered,
        Action::InvitationCreated,
        Action::DisassociationRequested,
        Action::DisassociationApproved,
        Action::DisassociationRejected,
        Action::DppInvited,
        Action::InformationSubmitted,
        Action::InformationReviewed,
        Action::RoleCreated,
        Action::MemberCreated,
        Action::MemberUpdated,
        Action::AccountManagerAssigned,
        Action::DevelopmentPathJoined,
        Action::DevelopmentPathAdvanced,
        Action::CoreInvited,
        Action::TierChanged,
        Action::PersonnelInvited,
        Action::PersonnelAssociated,
        Action::PersonnelUnassociated,
        Action::PersonnelProfileUpdated,
        Action::BdPreRegistrationSet,
        Action::CertificateBound,
        Action::CertificateUnbound,
        Action::PasswordChanged,
        Action::CatalogImported,
        Action::UsageIngested,
        Action::BudgetThresholdReached,
        Action::QuotaThresholdReached,
        Action::PartnerRestricted,
        Action::NoticeRecipientsSet,
        Action::OrderPlaced,
        Action::OrderPaid,
        Action::OrderCancelled,
        Action::ResourcesUnsubscribed,
        Action::AutoRenewalSet,
        Action::AutoRenewalCancelled,
        Action::ExpiryPolicySet,
        Action::RenewConfigSet,
        Action::AuthorizationGranted,
        Action::AuthorizationWithdrawn,
        Action::WebhookSet,
        Action::AutoRenewalRefused,
        Action::FundsAllocated,
        Action::FundsReclaimed,
        Action::PaymentRecorded,
        Action::BalanceAdjusted,
        Action::PartnerUnrestricted,
        Action::SettlementTermsSet,
        Action::TaxRateSet,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::PartnerEnrolled => "partner.enrolled",
            Action::AccessKeyCreated => "access_key.created",
            Action::AccessKeyRevoked => "access_key.revoked",
            Action::CustomerAssociated => "customer.associated",
            Action::CustomerFrozen => "customer.frozen",
            Action::CustomerUnfrozen => "customer.unfrozen",
            Action::BudgetSet => "budget.set",
            Action::VerificationCodeSent => "verification_code.sent",
            Action::PartnerFrozen => "partner.frozen",
            Action::PartnerUnfrozen => "partner.unfrozen",
            Action::ConsumptionQuotaSet => "partner.consumption_quota_set",
            Action::RevenueGoalSet => "partner.revenue_goal_set",
            Action::CriticalOperationProtectionSet => "partner.critical_operation_protection_set",
            Action::AccountRegistered => "account.registered",
            Action::NewAccountLinkIssued => "account.new_account_link_issued",
            Action::StaffCreated => "staff.created",
            Action::HcpnSubmitted => "hcpn.submitted",
            Action::HcpnApproved => "hcpn.approved",
            Action::HcpnRejected => "hcpn.rejected",
            Action::ProgramApplied => "program.applied",
            Action::ProgramApproved => "program.approved",
            Action::ProgramRejected => "program.rejected",
            Action::TenantInfoSaved => "account.tenant_info_saved",
            Action::ProofUploaded => "account.qualification_proof_uploaded",
            Action::CustomerPreRegistered => "customer.pre_registered",
            Action::InvitationCreated => "invitation.created",
            Action::DisassociationRequested => "disassociation.requested",
            Action::DisassociationApproved => "disassociation.approved",
            Action::DisassociationRejected => "disassociation.rejected",
            Action::DppInvited => "program.dpp_invited",
            Action::InformationSubmitted => "partner.information_submitted",
            Action::InformationReviewed => "partner.information_reviewed",
            Action::RoleCreated => "organization.role_created",
            Action::MemberCreated => "organization.member_created",
            Action::MemberUpdated => "organization.member_updated",
            Action::AccountManagerAssigned => "customer.account_manager_assigned",
            Action::DevelopmentPathJoined => "partner.development_path_joined",
            Action::DevelopmentPathAdvanced => "partner.development_path_advanced",
            Action::CoreInvited => "partner.core_invited",
            Action::TierChanged => "partner.tier_changed",
            Action::PersonnelInvited => "organization.personnel_invited",
            Action::PersonnelAssociated => "organization.personnel_associated",
            Action::PersonnelUnassociated => "organization.personnel_unassociated",
            Action::PersonnelProfileUpdated => "organization.personnel_profile_updated",
            Action::BdPreRegistrationSet => "account.bd_pre_registration_set",
            Action::CertificateBound => "account.certificate_bound",
            Action::CertificateUnbound => "account.certificate_unbound",
            Action::PasswordChanged => "account.password_changed",
            Action::CatalogImported => "catalog.imported",
            Action::UsageIngested => "usage.ingested",
            Action::BudgetThresholdReached => "budget.threshold_reached",
            Action::QuotaThresholdReached => "partner.quota_threshold_reached",
            Action::PartnerRestricted => "partner.restricted",
            Action::NoticeRecipientsSet => "partner.notice_recipients_set",
            Action::OrderPlaced => "order.placed",
            Action::OrderPaid => "order.paid",
            Action::OrderCancelled => "order.cancelled",
            Action::ResourcesUnsubscribed => "order.resources_unsubscribed",
            Action::AutoRenewalSet => "resource.auto_renewal_set",
            Action::AutoRenewalCancelled => "resource.auto_renewal_cancelled",
            Action::ExpiryPolicySet => "resource.expiry_policy_set",
            Action::RenewConfigSet => "resource.renew_config_set",
            Action::AuthorizationGranted => "customer.authorization_granted",
            Action::AuthorizationWithdrawn => "customer.authorization_withdrawn",
            Action::WebhookSet => "partner.webhook_set",
            Action::AutoRenewalRefused => "resource.auto_renewal_refused",
            Action::FundsAllocated => "funds.allocated",
            Action::FundsReclaimed => "funds.reclaimed",
            Action::PaymentRecorded => "funds.payment_recorded",
            Action::BalanceAdjusted => "funds.balance_adjusted",
            Action::PartnerUnrestricted => "partner.unrestricted",
            Action::SettlementTermsSet => "partner.settlement_terms_set",
            Action::TaxRateSet => "billing.tax_rate_set",
        }
    }

    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// The kind and id of the thing acted on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    pub kind: &'static str,
    pub id: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    pub id: AuditEventId,
    pub at: Timestamp,
    pub actor: Actor,
    /// The partner whose data this is: the scope in which partners may read the event.
    pub partner: Option<PartnerId>,
    pub action: Action,
    pub subject: Subject,
    /// Short `key=value` descriptions of the state before and after; never secrets.
    pub before: Option<String>,
    pub after: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_names_are_distinct_and_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
        let mut names: Vec<_> = Action::ALL.iter().map(|a| a.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
        assert_eq!(Action::parse("nope"), None);
    }
}
