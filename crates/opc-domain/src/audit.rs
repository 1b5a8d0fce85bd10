//! Audit events: who did what to which thing, on whose behalf, when, and what changed. Each is
//! written in the same transaction as the change it records.

use crate::ids::{AccessKeyId, AccountId, AuditEventId, PartnerId};
use crate::time::Timestamp;

/// Who acted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// Operator staff: in the console by email, the CLI by the OS user or `cli`.
    Operator(String),
    /// A partner, through the BSS API with one of its access keys.
    PartnerKey { partner: PartnerId, key: AccessKeyId },
    /// An account signed in to the console (a customer, or a partner's own account and its
    /// organization members), or a customer through its own access key.
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
    InvitationRevoked,
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
    /// The operator replaced the administrative regions (B2.12).
    RegionsImported,
    /// Yearly/monthly resources became pay-per-use at once (B2.7.1), the unused time refunded.
    ChangedToOnDemand,
    UsageIngested,
    /// R-ORD-07: 5-minute bandwidth samples stored.
    BandwidthSamplesIngested,
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
    CouponQuotaGranted,
    CouponQuotaIssued,
    CouponQuotaReclaimed,
    CouponsIssued,
    /// R-CPN-05: a partner's remaining coupon quotas converted into its cash coupons.
    CouponQuotasConverted,
    /// Issue 16: a partner applied for its customer's real-name authentication.
    RealNameApplied,
    /// Issue 16: the operator approved or rejected a real-name application.
    RealNameReviewed,
    /// EMA-1: a unit of an enterprise's organization was created.
    EnterpriseUnitCreated,
    /// EMA-2: a master created a member account.
    EnterpriseMemberCreated,
    /// EMA-6: a master sent an SMS verification code.
    SmsCodeSent,
    /// B1.11.1: a customer enabled enterprise projects.
    EnterpriseProjectsEnabled,
    CouponReclaimed,
    CouponExpired,
    DiscountPolicySet,
    DiscountScopeAuthorized,
    PartnerDiscountSet,
    PartnerDiscountRemoved,
    TestCouponRequested,
    TestCouponApproved,
    TestCouponRejected,
    TestCouponNoticeSent,
    /// The operator recorded a stored-value card a customer bought.
    StoredValueCardIssued,
    /// EMA-7: a master gave part of a coupon to its member.
    MemberCouponGiven,
    /// EMA-7: a master took back what was left of its member's coupon.
    MemberCouponTakenBack,
}

impl Action {
    pub const ALL: [Action; 101] = [
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
        Action::InvitationRevoked,
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
        Action::RegionsImported,
        Action::ChangedToOnDemand,
        Action::UsageIngested,
        Action::BandwidthSamplesIngested,
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
        Action::CouponQuotaGranted,
        Action::CouponQuotaIssued,
        Action::CouponQuotaReclaimed,
        Action::CouponsIssued,
        Action::CouponQuotasConverted,
        Action::RealNameApplied,
        Action::RealNameReviewed,
        Action::EnterpriseUnitCreated,
        Action::EnterpriseMemberCreated,
        Action::SmsCodeSent,
        Action::EnterpriseProjectsEnabled,
        Action::CouponReclaimed,
        Action::CouponExpired,
        Action::DiscountPolicySet,
        Action::DiscountScopeAuthorized,
        Action::PartnerDiscountSet,
        Action::PartnerDiscountRemoved,
        Action::TestCouponRequested,
        Action::TestCouponApproved,
        Action::TestCouponRejected,
        Action::TestCouponNoticeSent,
        Action::StoredValueCardIssued,
        Action::MemberCouponGiven,
        Action::MemberCouponTakenBack,
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
            Action::InvitationRevoked => "invitation.revoked",
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
            Action::RegionsImported => "regions.imported",
            Action::ChangedToOnDemand => "resources.changed_to_on_demand",
            Action::UsageIngested => "usage.ingested",
            Action::BandwidthSamplesIngested => "usage.bandwidth_samples_ingested",
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
            Action::CouponQuotaGranted => "coupon.quota_granted",
            Action::CouponQuotaIssued => "coupon.quota_issued",
            Action::CouponQuotaReclaimed => "coupon.quota_reclaimed",
            Action::CouponsIssued => "coupon.issued",
            Action::CouponQuotasConverted => "coupon_quota.converted",
            Action::RealNameApplied => "realname.applied",
            Action::RealNameReviewed => "realname.reviewed",
            Action::EnterpriseUnitCreated => "enterprise.unit_created",
            Action::EnterpriseMemberCreated => "enterprise.member_created",
            Action::SmsCodeSent => "sms_code.sent",
            Action::EnterpriseProjectsEnabled => "enterprise.projects_enabled",
            Action::CouponReclaimed => "coupon.reclaimed",
            Action::CouponExpired => "coupon.expired",
            Action::DiscountPolicySet => "discount.policy_set",
            Action::DiscountScopeAuthorized => "discount.scope_authorized",
            Action::PartnerDiscountSet => "discount.set",
            Action::PartnerDiscountRemoved => "discount.removed",
            Action::TestCouponRequested => "test_coupon.requested",
            Action::TestCouponApproved => "test_coupon.approved",
            Action::TestCouponRejected => "test_coupon.rejected",
            Action::TestCouponNoticeSent => "test_coupon.notice_sent",
            Action::StoredValueCardIssued => "stored_value_card.issued",
            Action::MemberCouponGiven => "enterprise.coupon_given",
            Action::MemberCouponTakenBack => "enterprise.coupon_taken_back",
        }
    }

    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// The kind and id of the thing acted on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    /// One of [`Subject::KINDS`].
    pub kind: &'static str,
    pub id: String,
}

impl Subject {
    /// The kinds of thing an audit event may name. They are stored (an unknown one is a
    /// decode error) and shown, so each stays as it is once written.
    pub const KINDS: [&'static str; 27] = [
        "partner",
        "access_key",
        "customer",
        "account",
        "staff",
        "hcpn_application",
        "program_application",
        "invitation",
        "development_path",
        "personnel",
        "member",
        "catalog",
        "regions",
        "usage",
        "order",
        "resource",
        "transfer",
        "tax_rate",
        "coupon_quota",
        "coupon",
        "discount_policy",
        "discount_scope",
        "partner_discount",
        "test_coupon_request",
        "realname_application",
        "stored_value_card",
        "enterprise_unit",
    ];

    /// The kind as [`Subject::KINDS`] spells it, if it is one.
    pub fn kind(text: &str) -> Option<&'static str> {
        Subject::KINDS.into_iter().find(|k| *k == text)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    pub id: AuditEventId,
    pub at: Timestamp,
    pub actor: Actor,
    /// The customer the actor acted for, in the customer's place: a partner placing, paying,
    /// renewing or unsubscribing an order, or setting a resource's policy, for its reseller
    /// customer (R-RCM-01, R-RCM-14). The actor is then the partner (its key, or its account in
    /// the console), never the customer.
    pub on_behalf_of: Option<AccountId>,
    /// The partner whose data this is: the scope in which partners may read the event.
    pub partner: Option<PartnerId>,
    pub action: Action,
    pub subject: Subject,
    /// Short `key=value` descriptions of the state before and after, in stable words
    /// (`opc-core`'s `ops::audit_text`); never secrets.
    pub before: Option<String>,
    pub after: Option<String>,
}

impl AuditEvent {
    /// The event, recorded as done for `customer` in its place.
    pub fn on_behalf_of(self, customer: Option<AccountId>) -> AuditEvent {
        AuditEvent { on_behalf_of: customer, ..self }
    }
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

    #[test]
    fn subject_kinds_are_distinct_and_parse() {
        let mut kinds = Subject::KINDS.to_vec();
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds.len(), Subject::KINDS.len());
        assert!(Subject::KINDS.iter().all(|k| Subject::kind(k) == Some(*k)));
        assert_eq!(Subject::kind("nope"), None);
    }
}
