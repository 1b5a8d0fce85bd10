//! The audit log in people's words: each action's label, each subject kind's, and each
//! event's change as a short sentence or list, read from the `key=value` text ops write in
//! stable words (`opc-core`'s `ops::audit_text`). Older events keep the forms they were
//! written in (numeric codes such as `type=1`, Rust `Debug` text such as
//! `freeze=Some((Account, ResellerAssociation))`), and read the same. A key this module does
//! not know is shown as written (`key=value`), never dropped. Words only: no rule is decided
//! here, and the stored text stays what the CSV export carries.

use std::collections::HashMap;

use maud::{html, Markup};
use opc_domain::audit::Action;
use opc_domain::bill::Discount;
use opc_domain::{Money, Timestamp};

use crate::console::i18n::Lang;
use crate::console::page::{money, when};

/// An action's message id: its label in the catalogue.
fn action_id(a: Action) -> &'static str {
    match a {
        Action::PartnerEnrolled => "action-partner-enrolled",
        Action::AccessKeyCreated => "action-access-key-created",
        Action::AccessKeyRevoked => "action-access-key-revoked",
        Action::CustomerAssociated => "action-customer-associated",
        Action::CustomerFrozen => "action-customer-frozen",
        Action::CustomerUnfrozen => "action-customer-unfrozen",
        Action::BudgetSet => "action-budget-set",
        Action::VerificationCodeSent => "action-verification-code-sent",
        Action::PartnerFrozen => "action-partner-frozen",
        Action::PartnerUnfrozen => "action-partner-unfrozen",
        Action::ConsumptionQuotaSet => "action-consumption-quota-set",
        Action::RevenueGoalSet => "action-revenue-goal-set",
        Action::CriticalOperationProtectionSet => "action-critical-operation-protection-set",
        Action::AccountRegistered => "action-account-registered",
        Action::NewAccountLinkIssued => "action-new-account-link-issued",
        Action::StaffCreated => "action-staff-created",
        Action::HcpnSubmitted => "action-hcpn-submitted",
        Action::HcpnApproved => "action-hcpn-approved",
        Action::HcpnRejected => "action-hcpn-rejected",
        Action::ProgramApplied => "action-program-applied",
        Action::ProgramApproved => "action-program-approved",
        Action::ProgramRejected => "action-program-rejected",
        Action::TenantInfoSaved => "action-tenant-info-saved",
        Action::ProofUploaded => "action-proof-uploaded",
        Action::CustomerPreRegistered => "action-customer-pre-registered",
        Action::InvitationCreated => "action-invitation-created",
        Action::InvitationRevoked => "action-invitation-revoked",
        Action::DisassociationRequested => "action-disassociation-requested",
        Action::DisassociationApproved => "action-disassociation-approved",
        Action::DisassociationRejected => "action-disassociation-rejected",
        Action::DppInvited => "action-dpp-invited",
        Action::InformationSubmitted => "action-information-submitted",
        Action::InformationReviewed => "action-information-reviewed",
        Action::RoleCreated => "action-role-created",
        Action::MemberCreated => "action-member-created",
        Action::MemberUpdated => "action-member-updated",
        Action::AccountManagerAssigned => "action-account-manager-assigned",
        Action::DevelopmentPathJoined => "action-development-path-joined",
        Action::DevelopmentPathAdvanced => "action-development-path-advanced",
        Action::CoreInvited => "action-core-invited",
        Action::TierChanged => "action-tier-changed",
        Action::PersonnelInvited => "action-personnel-invited",
        Action::PersonnelAssociated => "action-personnel-associated",
        Action::PersonnelUnassociated => "action-personnel-unassociated",
        Action::PersonnelProfileUpdated => "action-personnel-profile-updated",
        Action::BdPreRegistrationSet => "action-bd-pre-registration-set",
        Action::CertificateBound => "action-certificate-bound",
        Action::CertificateUnbound => "action-certificate-unbound",
        Action::PasswordChanged => "action-password-changed",
        Action::CatalogImported => "action-catalog-imported",
        Action::RegionsImported => "action-regions-imported",
        Action::ChangedToOnDemand => "action-changed-to-on-demand",
        Action::UsageIngested => "action-usage-ingested",
        Action::BandwidthSamplesIngested => "action-bandwidth-samples-ingested",
        Action::BudgetThresholdReached => "action-budget-threshold-reached",
        Action::QuotaThresholdReached => "action-quota-threshold-reached",
        Action::PartnerRestricted => "action-partner-restricted",
        Action::NoticeRecipientsSet => "action-notice-recipients-set",
        Action::OrderPlaced => "action-order-placed",
        Action::OrderPaid => "action-order-paid",
        Action::OrderCancelled => "action-order-cancelled",
        Action::ResourcesUnsubscribed => "action-resources-unsubscribed",
        Action::AutoRenewalSet => "action-auto-renewal-set",
        Action::AutoRenewalCancelled => "action-auto-renewal-cancelled",
        Action::ExpiryPolicySet => "action-expiry-policy-set",
        Action::RenewConfigSet => "action-renew-config-set",
        Action::AuthorizationGranted => "action-authorization-granted",
        Action::AuthorizationWithdrawn => "action-authorization-withdrawn",
        Action::WebhookSet => "action-webhook-set",
        Action::AutoRenewalRefused => "action-auto-renewal-refused",
        Action::FundsAllocated => "action-funds-allocated",
        Action::FundsReclaimed => "action-funds-reclaimed",
        Action::PaymentRecorded => "action-payment-recorded",
        Action::BalanceAdjusted => "action-balance-adjusted",
        Action::PartnerUnrestricted => "action-partner-unrestricted",
        Action::SettlementTermsSet => "action-settlement-terms-set",
        Action::TaxRateSet => "action-tax-rate-set",
        Action::CouponQuotaGranted => "action-coupon-quota-granted",
        Action::CouponQuotaIssued => "action-coupon-quota-issued",
        Action::CouponQuotaReclaimed => "action-coupon-quota-reclaimed",
        Action::CouponsIssued => "action-coupons-issued",
        Action::CouponQuotasConverted => "action-coupon-quotas-converted",
        Action::RealNameApplied => "action-real-name-applied",
        Action::RealNameReviewed => "action-real-name-reviewed",
        Action::EnterpriseUnitCreated => "action-enterprise-unit-created",
        Action::EnterpriseMemberCreated => "action-enterprise-member-created",
        Action::SmsCodeSent => "action-sms-code-sent",
        Action::EnterpriseProjectsEnabled => "action-enterprise-projects-enabled",
        Action::CouponReclaimed => "action-coupon-reclaimed",
        Action::MemberCouponGiven => "action-member-coupon-given",
        Action::MemberCouponTakenBack => "action-member-coupon-taken-back",
        Action::CouponExpired => "action-coupon-expired",
        Action::DiscountPolicySet => "action-discount-policy-set",
        Action::DiscountScopeAuthorized => "action-discount-scope-authorized",
        Action::PartnerDiscountSet => "action-partner-discount-set",
        Action::PartnerDiscountRemoved => "action-partner-discount-removed",
        Action::TestCouponRequested => "action-test-coupon-requested",
        Action::TestCouponApproved => "action-test-coupon-approved",
        Action::TestCouponRejected => "action-test-coupon-rejected",
        Action::TestCouponNoticeSent => "action-test-coupon-notice-sent",
        Action::StoredValueCardIssued => "action-stored-value-card-issued",
    }
}

/// An action as the log names it, in `lang`.
pub fn action_label(lang: Lang, a: Action) -> String {
    lang.t(action_id(a))
}

/// A subject kind (`Subject::KINDS`) as the log names it, in `lang`; `None` for a kind it does
/// not know.
pub fn subject_kind_label(lang: Lang, kind: &str) -> Option<String> {
    let id = match kind {
        "partner" => "audit-kind-partner",
        "access_key" => "audit-kind-access-key",
        "customer" => "audit-kind-customer",
        "account" => "audit-kind-account",
        "staff" => "audit-kind-staff",
        "hcpn_application" => "audit-kind-hcpn-application",
        "program_application" => "audit-kind-program-application",
        "invitation" => "audit-kind-invitation",
        "development_path" => "audit-kind-development-path",
        "personnel" => "audit-kind-personnel",
        "member" => "audit-kind-member",
        "catalog" => "audit-kind-catalog",
        "regions" => "audit-kind-regions",
        "usage" => "audit-kind-usage",
        "order" => "audit-kind-order",
        "resource" => "audit-kind-resource",
        "transfer" => "audit-kind-transfer",
        "tax_rate" => "audit-kind-tax-rate",
        "coupon_quota" => "audit-kind-coupon-quota",
        "coupon" => "audit-kind-coupon",
        "discount_policy" => "audit-kind-discount-policy",
        "discount_scope" => "audit-kind-discount-scope",
        "partner_discount" => "audit-kind-partner-discount",
        "test_coupon_request" => "audit-kind-test-coupon-request",
        "realname_application" => "audit-kind-realname-application",
        "stored_value_card" => "audit-kind-stored-value-card",
        "enterprise_unit" => "audit-kind-enterprise-unit",
        _ => return None,
    };
    Some(lang.t(id))
}

/// A name and, where there is one, an email.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub email: Option<String>,
}

/// The names of the accounts, partners and staff one page of events names, by id (staff
/// also by email, the name an operator acts under).
#[derive(Default)]
pub struct Names {
    pub accounts: HashMap<String, Named>,
    pub partners: HashMap<String, Named>,
    /// A partner's own account id → the partner's id: what the partner did in the console.
    pub partner_of_account: HashMap<String, String>,
    pub staff_by_id: HashMap<String, Named>,
    /// A partner's members (people of its organization), by member id.
    pub members: HashMap<String, Named>,
    /// Keyed by the lowercased email.
    pub staff_by_email: HashMap<String, Named>,
}

impl Names {
    pub fn account(&self, id: &str) -> Option<&Named> {
        self.accounts.get(id)
    }

    pub fn partner(&self, id: &str) -> Option<&Named> {
        self.partners.get(id)
    }

    /// The partner whose own account this is.
    pub fn partner_by_account(&self, account: &str) -> Option<(&str, &Named)> {
        let id = self.partner_of_account.get(account)?;
        Some((id.as_str(), self.partners.get(id)?))
    }

    pub fn staff_by_email(&self, email: &str) -> Option<&Named> {
        self.staff_by_email.get(&email.to_lowercase())
    }
}

/// A part of a change as people read it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// Two decimals, the exact amount on hover.
    Money(Money),
    /// A name, its id on hover.
    Named {
        name: String,
        id: String,
    },
}

/// A change as people read it: a few words, amounts and names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Phrase(Vec<Piece>);

impl Phrase {
    fn push(&mut self, text: impl Into<String>) {
        self.0.push(Piece::Text(text.into()));
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn append(&mut self, other: Phrase) {
        self.0.extend(other.0);
    }

    /// The phrase in plain words (amounts to 2 decimals).
    pub fn text(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::Money(m) => money(*m),
                Piece::Named { name, .. } => name.clone(),
            })
            .collect()
    }

    pub fn html(&self) -> Markup {
        html! {
            @for p in &self.0 {
                @match p {
                    Piece::Text(t) => (t),
                    Piece::Money(m) => span.num title=(m.to_string()) { (money(*m)) },
                    Piece::Named { name, id } => span title=(id) { (name) },
                }
            }
        }
    }
}

/// One `key=value` of a stored text; `key` is `None` for words outside any pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub key: Option<String>,
    pub value: String,
}

/// Keys whose value is free text to the end of the line (so it may hold spaces and `=`).
const FREE_TEXT: [&str; 3] = ["reason", "name", "qualification_name"];

/// Words that stand alone between pairs.
const FLAGS: [&str; 1] = ["by_invitation"];

/// `key=value` when `token` starts with a key (lowercase letters, digits, `_` and `.`).
fn key_value(token: &str) -> Option<(&str, &str)> {
    let (key, value) = token.split_once('=')?;
    let mut chars = key.chars();
    let first = chars.next()?;
    (first.is_ascii_lowercase() && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'))
        .then_some((key, value))
}

/// A stored text's pairs, in order. A word that does not start a pair continues the one
/// before it (an older `Debug` value holds spaces: `Some((Account, ResellerAssociation))`).
pub fn pairs(text: &str) -> Vec<Pair> {
    let mut out: Vec<Pair> = vec![];
    let mut free = false;
    for token in text.split(' ') {
        if !free {
            if let Some((key, value)) = key_value(token) {
                free = FREE_TEXT.contains(&key);
                out.push(Pair { key: Some(key.to_owned()), value: value.to_owned() });
                continue;
            }
            if FLAGS.contains(&token) {
                out.push(Pair { key: None, value: token.to_owned() });
                continue;
            }
        }
        match out.last_mut() {
            Some(last) if !(last.key.is_none() && FLAGS.contains(&last.value.as_str())) => {
                last.value.push(' ');
                last.value.push_str(token);
            }
            _ => out.push(Pair { key: None, value: token.to_owned() }),
        }
    }
    out.retain(|p| p.key.is_some() || !p.value.is_empty());
    out
}

/// Whether a value is an older `Debug` form (`Monthly`, `Some(true)`, `Approved { at: … }`)
/// rather than a stored word.
fn is_debug(value: &str) -> bool {
    value.starts_with(|c: char| c.is_ascii_uppercase()) || value.contains(['(', '{'])
}

/// An older `Debug` value in words: `Some((Account, ResellerAssociation))` → `account,
/// reseller association`; `None` → `none`; a struct's fields are dropped but its quoted text
/// kept (`Rejected { reason: RejectionReason("late") }` → `rejected "late"`).
fn undebug(value: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut quoted = false;
    let mut previous_lower = false;
    for c in value.chars() {
        if quoted {
            out.push(c);
            quoted = c != '"';
            continue;
        }
        match c {
            '"' => {
                out.push_str(if out.ends_with(' ') || out.is_empty() { "\"" } else { " \"" });
                quoted = true;
            }
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '(' | ')' => out.push(' '),
            c if c.is_ascii_uppercase() => {
                if previous_lower {
                    out.push(' ');
                }
                out.push(c.to_ascii_lowercase());
            }
            c => out.push(c),
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    let words: Vec<&str> =
        out.split(' ').filter(|w| !w.is_empty() && *w != "some" && *w != "timestamp" && *w != "at:").collect();
    words.join(" ").replace(" ,", ",")
}

/// A stored word (or an older `Debug` value) in words: `account_and_resources` → `account and
/// resources`.
fn word(value: &str) -> String {
    if is_debug(value) {
        undebug(value)
    } else {
        value.replace('_', " ")
    }
}

/// How a key's value reads.
#[derive(Clone, Copy)]
enum Shape {
    /// An amount: two decimals, exact on hover.
    Money,
    /// A fraction (`0.15`) as a percent.
    Percent,
    /// A time (RFC 3339).
    Time,
    /// A stored word, or an older `Debug` value.
    Word,
    /// An account's id, shown by its name.
    Account,
    /// A partner's id, shown by its name.
    Partner,
    /// A funds holder (`partner:<id>`, `customer:<id>`), a time or a month.
    Holder,
    /// An id, as written (an older `Debug` value by its quoted id: `Some(RoleId("r1"))`).
    Id,
    /// Free text or counts, as written.
    Text,
    /// Free text, quoted.
    Quoted,
}

/// The keys ops write, each with its label (empty: the value speaks for itself) and shape.
/// A key not listed reads as written.
const KEYS: &[(&str, &str, Shape)] = &[
    ("type", "", Shape::Word),
    ("amount", "", Shape::Money),
    ("state", "", Shape::Word),
    ("status", "", Shape::Word),
    ("review", "", Shape::Word),
    ("kind", "", Shape::Word),
    ("official", "audit-key-official", Shape::Money),
    ("due", "audit-key-due", Shape::Money),
    ("discount", "audit-key-discount", Shape::Money),
    ("refund", "audit-key-refund", Shape::Money),
    ("balance", "audit-key-balance", Shape::Money),
    ("face_value", "audit-key-face-value", Shape::Money),
    ("value", "audit-key-value", Shape::Money),
    ("total", "audit-key-total", Shape::Money),
    ("used", "audit-key-used", Shape::Money),
    ("budget", "audit-key-budget", Shape::Money),
    ("estimate", "audit-key-estimate", Shape::Money),
    ("consumption_quota", "audit-key-consumption-quota", Shape::Money),
    ("card_paid", "audit-key-card-paid", Shape::Money),
    ("repaid", "audit-key-repaid", Shape::Money),
    ("max_off", "audit-key-max-off", Shape::Percent),
    ("off", "audit-key-off", Shape::Percent),
    ("default", "audit-key-default", Shape::Percent),
    ("rate", "audit-key-rate", Shape::Percent),
    ("expires_at", "audit-key-expires-at", Shape::Time),
    ("until", "audit-key-until", Shape::Time),
    ("valid_to", "audit-key-valid-to", Shape::Time),
    ("revoked_at", "audit-key-revoked-at", Shape::Time),
    ("from", "audit-key-from", Shape::Holder),
    ("to", "audit-key-to", Shape::Holder),
    ("customer", "audit-key-customer", Shape::Account),
    ("account", "audit-key-account", Shape::Account),
    ("master", "audit-key-master", Shape::Account),
    ("partner", "audit-key-partner", Shape::Partner),
    ("reseller", "audit-key-reseller", Shape::Partner),
    ("distributor", "audit-key-distributor", Shape::Partner),
    ("reason", "audit-key-reason", Shape::Quoted),
    ("reasons", "audit-key-reasons", Shape::Text),
    ("by", "audit-key-by", Shape::Word),
    ("position", "audit-key-position", Shape::Word),
    ("employment", "audit-key-employment", Shape::Text),
    ("accounting", "audit-key-accounting", Shape::Word),
    ("program", "audit-key-program", Shape::Word),
    ("programs", "audit-key-programs", Shape::Word),
    ("tier", "audit-key-tier", Shape::Word),
    ("entry_path", "audit-key-entry-path", Shape::Word),
    ("path", "audit-key-path", Shape::Word),
    ("stage", "audit-key-stage", Shape::Word),
    ("source", "audit-key-source", Shape::Word),
    ("incentive", "audit-key-incentive", Shape::Word),
    ("exclusion", "audit-key-exclusion", Shape::Word),
    ("notice", "audit-key-notice", Shape::Word),
    ("billing", "audit-key-billing", Shape::Word),
    ("period", "audit-key-period", Shape::Word),
    ("cause", "audit-key-cause", Shape::Word),
    ("role", "audit-key-role", Shape::Id),
    ("director", "audit-key-director", Shape::Id),
    ("member", "audit-key-member", Shape::Id),
    ("account_manager", "audit-key-account-manager", Shape::Id),
    ("unit", "audit-key-unit", Shape::Id),
    ("parent", "audit-key-parent", Shape::Id),
    ("entry", "audit-key-entry", Shape::Id),
    ("coupon", "audit-key-coupon", Shape::Id),
    ("coupons", "audit-key-coupons", Shape::Text),
    ("quota", "audit-key-quota", Shape::Id),
    ("quotas", "audit-key-quotas", Shape::Text),
    ("card", "audit-key-card", Shape::Id),
    ("order", "audit-key-order", Shape::Id),
    ("resources", "audit-key-resources", Shape::Text),
    ("discount_id", "audit-key-discount-id", Shape::Id),
    ("service_type", "audit-key-service-type", Shape::Text),
    ("email", "audit-key-email", Shape::Text),
    ("country", "audit-key-country", Shape::Text),
    ("services_enabled", "audit-key-services-enabled", Shape::Text),
    ("webhook", "audit-key-webhook", Shape::Text),
    ("recipients", "audit-key-recipients", Shape::Text),
    ("business_area", "audit-key-business-area", Shape::Text),
    ("bd_preregistered", "audit-key-bd-preregistered", Shape::Text),
    ("year", "audit-key-year", Shape::Text),
    ("records", "audit-key-records", Shape::Text),
    ("samples", "audit-key-samples", Shape::Text),
    ("provinces", "audit-key-provinces", Shape::Text),
    ("cities", "audit-key-cities", Shape::Text),
    ("counties", "audit-key-counties", Shape::Text),
    ("service_types", "audit-key-service-types", Shape::Text),
    ("resource_types", "audit-key-resource-types", Shape::Text),
    ("usage_types", "audit-key-usage-types", Shape::Text),
    ("specs", "audit-key-specs", Shape::Text),
    ("prices", "audit-key-prices", Shape::Text),
    ("name", "audit-key-name", Shape::Quoted),
    ("qualification_name", "audit-key-qualification-name", Shape::Quoted),
    ("file", "audit-key-file", Shape::Text),
    ("files", "audit-key-files", Shape::Text),
    ("bytes", "audit-key-bytes", Shape::Text),
    ("allow_discount", "audit-key-allow-discount", Shape::Text),
    ("change", "audit-key-change", Shape::Text),
    ("enabled", "audit-key-enabled", Shape::Text),
    ("days", "audit-key-days", Shape::Text),
    ("config", "audit-key-config", Shape::Text),
];

fn shape_of(key: &str) -> Option<(&'static str, Shape)> {
    KEYS.iter().find(|(k, ..)| *k == key).map(|(_, label, shape)| (*label, *shape))
}

/// A key's label (a message id) in `lang`, with what parts it from its value.
fn labelled(lang: Lang, label: &str) -> String {
    format!("{}{}", lang.t(label), lang.t("audit-label-gap"))
}

/// The message id of a stored word (as `word` reads it) that ops writes as `key`'s value, or
/// of an older code's words; `None` for a word the catalogue does not name.
fn vocabulary(key: &str, words: &str) -> Option<&'static str> {
    Some(match (key, words) {
        ("program" | "programs", "reseller") => "audit-word-program-reseller",
        (_, "new") => "audit-word-new",
        (_, "renewal") => "audit-word-renewal",
        (_, "unsubscription") => "audit-word-unsubscription",
        (_, "monthly") => "audit-word-monthly",
        (_, "package") => "audit-word-package",
        (_, "unset") => "audit-word-unset",
        (_, "individual") => "audit-word-individual",
        (_, "enterprise") => "audit-word-enterprise",
        (_, "normal") => "audit-word-normal",
        (_, "restricted") => "audit-word-restricted",
        (_, "frozen") => "audit-word-frozen",
        (_, "submitted") => "audit-word-submitted",
        (_, "approved") => "audit-word-approved",
        (_, "rejected") => "audit-word-rejected",
        (_, "pending") => "audit-word-pending",
        (_, "manual review") => "audit-word-manual-review",
        (_, "active") => "audit-word-active",
        (_, "revoked") => "audit-word-revoked",
        (_, "pending payment") => "audit-word-pending-payment",
        (_, "completed") => "audit-word-completed",
        (_, "cancelled") => "audit-word-cancelled",
        (_, "business") => "audit-word-business",
        (_, "payment") => "audit-word-payment",
        (_, "qr code") => "audit-word-qr-code",
        (_, "customer") => "audit-word-customer",
        (_, "partner") => "audit-word-partner",
        (_, "member") => "audit-word-member",
        (_, "account manager") => "audit-word-account-manager",
        (_, "account director") => "audit-word-account-director",
        (_, "unified") => "audit-word-unified",
        (_, "independent") => "audit-word-independent",
        (_, "cloud solution provider") => "audit-word-cloud-solution-provider",
        (_, "distribution partner") => "audit-word-distribution-partner",
        (_, "koogallery seller") => "audit-word-koogallery-seller",
        (_, "koogallery sales") => "audit-word-koogallery-sales",
        (_, "carrier") => "audit-word-carrier",
        (_, "partner competency") => "audit-word-partner-competency",
        (_, "standard") => "audit-word-standard",
        (_, "advanced") => "audit-word-advanced",
        (_, "premier") => "audit-word-premier",
        (_, "core") => "audit-word-core",
        (_, "direct") => "audit-word-direct",
        (_, "won back") => "audit-word-won-back",
        (_, "core carrier") => "audit-word-core-carrier",
        (_, "core regional") => "audit-word-core-regional",
        (_, "core global") => "audit-word-core-global",
        (_, "review") => "audit-word-review",
        (_, "service") => "audit-word-service",
        (_, "software") => "audit-word-software",
        (_, "system integrator") => "audit-word-system-integrator",
        (_, "joined") => "audit-word-joined",
        (_, "role validation") => "audit-word-role-validation",
        (_, "competency differentiation") => "audit-word-competency-differentiation",
        (_, "certified") => "audit-word-certified",
        (_, "uploaded") => "audit-word-uploaded",
        (_, "synchronized") => "audit-word-synchronized",
        (_, "non specific") => "audit-word-non-specific",
        (_, "specific") => "audit-word-specific",
        (_, "no performance no rebate") => "audit-word-no-performance-no-rebate",
        (_, "performance no rebate") => "audit-word-performance-no-rebate",
        (_, "spot") => "audit-word-spot",
        (_, "koogallery") => "audit-word-koogallery",
        (_, "ocsa node") => "audit-word-ocsa-node",
        (_, "none") => "audit-word-none",
        (_, "low balance") => "audit-word-low-balance",
        (_, "reminder") => "audit-word-reminder",
        (_, "month") => "audit-word-month",
        (_, "year") => "audit-word-year",
        (_, "reseller association") => "audit-word-reseller-association",
        (_, "partner frozen") => "audit-word-partner-frozen",
        (_, "budget exhausted") => "audit-word-budget-exhausted",
        (_, "account") => "audit-word-account",
        (_, "account and resources") => "audit-word-account-and-resources",
        // An older `Debug` scope: `AccountAndResource`.
        (_, "account and resource") => "audit-word-account-and-resource",
        (_, "referral") => "audit-word-referral",
        (_, "reseller") => "audit-word-reseller",
        (_, "by invitation") => "audit-word-by-invitation",
        (_, "general") => "audit-word-general",
        (_, "special") => "audit-word-special",
        (_, "true") => "audit-word-true",
        (_, "false") => "audit-word-false",
        (_, "password changed; other sessions signed out") => "audit-word-password-changed",
        (_, "password reset with an emailed code; other sessions signed out") => "audit-word-password-reset",
        _ => return None,
    })
}

/// Stored words (as `word` reads them) in `lang`; words the catalogue does not name read as
/// written.
fn said(lang: Lang, key: &str, words: String) -> String {
    vocabulary(key, &words).map_or(words, |id| lang.t(id))
}

/// A list of stored words (`reseller/standard,carrier/core`) in `lang`, each word on its own.
fn said_list(lang: Lang, key: &str, words: &str) -> String {
    let item = |item: &str| item.split('/').map(|w| said(lang, key, w.to_owned())).collect::<Vec<_>>().join("/");
    words.split(',').map(item).collect::<Vec<_>>().join(&lang.t("audit-list-comma"))
}

/// A value in the shape of its key; `None` when it does not read as that shape.
fn shaped(lang: Lang, key: &str, shape: Shape, value: &str, names: &Names) -> Option<Phrase> {
    let mut p = Phrase::default();
    let kind = |kind: &str| format!("{} ", subject_kind_label(lang, kind).unwrap_or_default().to_lowercase());
    match shape {
        Shape::Money => p.0.push(Piece::Money(Money::parse_with_scale(value, 8).ok()?)),
        Shape::Percent => p.push(Discount::parse(value).ok()?.percent_text()),
        Shape::Time => p.push(when(Timestamp::parse_rfc3339(value).ok()?)),
        Shape::Word if key == "programs" => p.push(said_list(lang, key, &word(value))),
        Shape::Word => p.push(said(lang, key, word(value))),
        // A discount for every customer: `customer=all`.
        Shape::Account if value == "all" && names.account(value).is_none() => p.push(lang.t("audit-word-all")),
        Shape::Account => p.0.push(named(value, names.account(value))),
        Shape::Partner => p.0.push(named(value, names.partner(value))),
        Shape::Holder => {
            if let Some(id) = value.strip_prefix("partner:") {
                p.push(kind("partner"));
                p.0.push(named(id, names.partner(id)));
            } else if let Some(id) = value.strip_prefix("customer:") {
                p.push(kind("customer"));
                p.0.push(named(id, names.account(id)));
            } else if let Ok(t) = Timestamp::parse_rfc3339(value) {
                p.push(when(t));
            } else {
                p.push(value);
            }
        }
        Shape::Id => match value.split('"').nth(1) {
            Some(id) if is_debug(value) => p.push(id),
            _ if value == "None" => p.push(lang.t("audit-word-none")),
            _ => p.push(value),
        },
        Shape::Text => match value {
            "true" | "false" => p.push(said(lang, key, value.to_owned())),
            _ => p.push(value),
        },
        Shape::Quoted => p.push(format!("“{value}”")),
    }
    Some(p)
}

fn named(id: &str, name: Option<&Named>) -> Piece {
    match name {
        Some(n) => Piece::Named { name: n.name.clone(), id: id.to_owned() },
        None => Piece::Text(id.to_owned()),
    }
}

/// A value that is a stored word or an older code: the message id of the words that read better
/// than the code.
fn spoken(key: &str, value: &str) -> Option<&'static str> {
    Some(match (key, word(value).as_str()) {
        // Older order types and expiry policies were numbers.
        ("type", "1") => "audit-word-new",
        ("type", "2") => "audit-word-renewal",
        ("type", "4") => "audit-word-unsubscription",
        ("expire_policy", "0" | "grace") => "audit-expiry-grace",
        ("expire_policy", "1" | "to on demand") => "audit-expiry-to-on-demand",
        ("expire_policy", "3" | "auto renew") => "audit-expiry-auto-renew",
        ("billing", "pay per use") => "audit-billing-pay-per-use",
        _ => return None,
    })
}

/// One stored text (`before` or `after`) as people read it, in `lang`.
pub fn phrase(lang: Lang, text: &str, names: &Names) -> Phrase {
    let pairs = pairs(text);
    let mut parts: Vec<Phrase> = vec![];
    let value_of = |key: &str| pairs.iter().find(|p| p.key.as_deref() == Some(key)).map(|p| p.value.as_str());
    for pair in &pairs {
        let Some(key) = pair.key.as_deref() else {
            let mut p = Phrase::default();
            p.push(if FLAGS.contains(&pair.value.as_str()) || is_debug(&pair.value) {
                said(lang, "", word(&pair.value))
            } else {
                said(lang, "", pair.value.clone())
            });
            parts.push(p);
            continue;
        };
        let value = pair.value.as_str();
        if let Some(p) = special(lang, key, value, value_of("cause")) {
            if !p.is_empty() {
                parts.push(p);
            }
            continue;
        }
        let mut p = Phrase::default();
        match (spoken(key, value), shape_of(key)) {
            (Some(words), Some((label, _))) => {
                if !label.is_empty() {
                    p.push(labelled(lang, label));
                }
                p.push(lang.t(words));
            }
            (None, Some((label, shape))) => match shaped(lang, key, shape, value, names) {
                Some(v) => {
                    if !label.is_empty() {
                        p.push(labelled(lang, label));
                    }
                    p.append(v);
                }
                None => p.push(format!("{key}={value}")),
            },
            (_, None) => p.push(format!("{key}={value}")),
        }
        parts.push(p);
    }
    let mut out = Phrase::default();
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push(lang.t("audit-separator"));
        }
        out.append(p);
    }
    out
}

/// The keys that read as a phrase of their own; `Some(empty)` leaves the pair out (it is said
/// with another, or says nothing: an automatic freeze never chosen).
fn special(lang: Lang, key: &str, value: &str, cause: Option<&str>) -> Option<Phrase> {
    let mut p = Phrase::default();
    match key {
        "freeze" => {
            let words = word(value);
            if words == "none" {
                p.push(lang.t("audit-not-frozen"));
                return Some(p);
            }
            // Older texts held the scope and cause together: `Some((Account, Partner))`.
            let (scope, old_cause) = match words.split_once(", ") {
                Some((s, c)) => (s.to_owned(), Some(c.to_owned())),
                None => (words, None),
            };
            let scope = said(lang, "freeze", scope);
            p.push(match cause.map(word).or(old_cause) {
                Some(c) => lang
                    .t_with("audit-freeze-cause", &[("scope", scope.into()), ("cause", said(lang, "cause", c).into())]),
                None => lang.t_with("audit-freeze", &[("scope", scope.into())]),
            });
        }
        "cause" => {
            // Said with the freeze.
            return Some(p);
        }
        "auto_freeze" => match word(value).as_str() {
            "on" | "true" => p.push(lang.t("audit-auto-freeze-on")),
            "off" | "false" => p.push(lang.t("audit-auto-freeze-off")),
            "unset" | "none" => {}
            other => p.push(format!("auto_freeze={other}")),
        },
        "model" => p.push(lang.t_with("audit-model", &[("model", said(lang, key, word(value)).into())])),
        "frozen" => match value {
            "true" => p.push(lang.t("audit-frozen")),
            "false" => p.push(lang.t("audit-not-frozen")),
            _ => return None,
        },
        "threshold" => p.push(lang.t_with("audit-threshold", &[("percent", value.into())])),
        "times" => match value {
            "0" => p.push(lang.t("audit-times-unlimited")),
            n => p.push(lang.t_with("audit-times", &[("times", n.into())])),
        },
        "deduction_days" => p.push(lang.t_with("audit-deduction-days", &[("days", value.into())])),
        "expire_day" => match value {
            "last" | "-1" => p.push(lang.t("audit-expire-day-last")),
            day => p.push(lang.t_with("audit-expire-day", &[("day", day.into())])),
        },
        "expire_policy" => {
            let words = match spoken(key, value.split(' ').next().unwrap_or(value)) {
                Some(id) => lang.t(id),
                None => said(lang, key, word(value)),
            };
            p.push(lang.t_with("audit-expiry", &[("policy", words.into())]));
        }
        _ => return None,
    }
    Some(p)
}

/// An event's change, in `lang`: what it is after, and what it was where that differs (only the
/// pairs that changed); a removal says so.
pub fn change(lang: Lang, before: Option<&str>, after: Option<&str>, names: &Names) -> Phrase {
    let mut out = match after {
        Some(a) => phrase(lang, a, names),
        None if before.is_some() => {
            let mut p = Phrase::default();
            p.push(lang.t("audit-removed"));
            p
        }
        None => Phrase::default(),
    };
    if let Some(b) = before {
        let after_pairs = after.map(pairs).unwrap_or_default();
        let changed: Vec<String> = pairs(b)
            .into_iter()
            .filter(|p| !after_pairs.contains(p))
            .map(|p| match p.key {
                Some(k) => format!("{k}={}", p.value),
                None => p.value,
            })
            .collect();
        if !changed.is_empty() {
            let was = phrase(lang, &changed.join(" "), names);
            if !was.is_empty() {
                // " (was …)" after the change; alone, without the space.
                let open = lang.t("audit-was-open");
                out.push(if out.is_empty() { open.trim_start().to_owned() } else { open });
                out.append(was);
                out.push(lang.t("audit-was-close"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        let mut n = Names::default();
        n.accounts.insert("acc1".into(), Named { name: "Bright Bakery".into(), email: Some("b@example.com".into()) });
        n.partners.insert("ptn1".into(), Named { name: "Acme Cloud".into(), email: None });
        n
    }

    fn check(before: Option<&str>, after: Option<&str>, expected: &str) {
        assert_eq!(change(Lang::English, before, after, &names()).text(), expected, "{before:?} → {after:?}");
    }

    fn check_in_chinese(before: Option<&str>, after: Option<&str>, expected: &str) {
        assert_eq!(change(Lang::Chinese, before, after, &names()).text(), expected, "{before:?} → {after:?}");
    }

    #[test]
    fn every_action_has_its_own_label_in_both_languages() {
        for lang in Lang::ALL {
            let mut labels: Vec<String> = Action::ALL.iter().map(|a| action_label(lang, *a)).collect();
            for (a, label) in Action::ALL.iter().zip(&labels) {
                assert!(!label.is_empty() && label != action_id(*a), "{} lacks {a:?}", lang.tag());
            }
            if lang == Lang::English {
                assert!(labels.iter().all(|l| l.starts_with(|c: char| c.is_ascii_uppercase())));
            }
            labels.sort();
            labels.dedup();
            assert_eq!(labels.len(), Action::ALL.len(), "{} labels are distinct", lang.tag());
        }
        assert_eq!(action_label(Lang::English, Action::BudgetSet), "Budget set");
        assert_eq!(action_label(Lang::Chinese, Action::BudgetSet), "设置预算");
    }

    #[test]
    fn every_subject_kind_has_a_label_in_both_languages() {
        for lang in Lang::ALL {
            for kind in opc_domain::audit::Subject::KINDS {
                let label = subject_kind_label(lang, kind);
                assert!(label.is_some_and(|l| !l.starts_with("audit-kind-")), "{} lacks {kind}", lang.tag());
            }
            assert_eq!(subject_kind_label(lang, "nope"), None);
        }
    }

    #[test]
    fn changes_read_in_chinese_with_its_own_punctuation() {
        check_in_chinese(
            Some("type=monthly amount=50.00000000 auto_freeze=on"),
            Some("type=monthly amount=100.00000000 auto_freeze=on"),
            "月度，USD 100.00，用完时冻结（原为：USD 50.00）",
        );
        check_in_chinese(
            Some("freeze=none"),
            Some("freeze=account cause=partner reason=late payment"),
            "已冻结：账号（伙伴），原因：“late payment”（原为：未冻结）",
        );
        check_in_chinese(
            None,
            Some("from=partner:ptn1 to=customer:acc1 amount=3"),
            "从：伙伴 Acme Cloud，到：客户 Bright Bakery，USD 3.00",
        );
        check_in_chinese(
            None,
            Some("programs=reseller/standard,carrier/core"),
            "伙伴计划：云经销商/标准、运营商伙伴/核心",
        );
        check_in_chinese(Some("freeze=Some(AccountAndResource)"), None, "已删除（原为：已冻结：账号和资源）");
        check_in_chinese(None, Some("mystery=42"), "mystery=42");
    }

    #[test]
    fn budgets_new_and_old_read_the_same() {
        let new = "type=monthly amount=100.00000000 auto_freeze=on";
        check(None, Some(new), "monthly, USD 100.00, freeze when used up");
        check(
            None,
            Some("type=Monthly amount=100.00000000 auto_freeze=Some(true)"),
            "monthly, USD 100.00, freeze when used up",
        );
        check(None, Some("type=Package amount=7.5 auto_freeze=None"), "package, USD 7.50");
        check(
            Some("type=monthly amount=50.00000000 auto_freeze=on"),
            Some(new),
            "monthly, USD 100.00, freeze when used up (was USD 50.00)",
        );
    }

    #[test]
    fn money_is_shown_to_two_decimals_with_the_exact_amount_on_hover() {
        let html = change(Lang::English, None, Some("type=monthly amount=100.12345678"), &names()).html().into_string();
        assert!(html.contains(r#"<span class="num" title="100.12345678">USD 100.12</span>"#), "{html}");
    }

    #[test]
    fn freezes_new_and_old_read_in_words() {
        check(
            Some("freeze=none"),
            Some("freeze=account cause=partner reason=late payment"),
            "frozen: account (partner), reason “late payment” (was not frozen)",
        );
        check(
            Some("freeze=None"),
            Some("freeze=Account reason=late payment"),
            "frozen: account, reason “late payment” (was not frozen)",
        );
        check(
            Some("freeze=Some((Account, ResellerAssociation))"),
            Some("freeze=None reason=budget set with cancel_partner_frozen"),
            "not frozen, reason “budget set with cancel_partner_frozen” (was frozen: account (reseller association))",
        );
        check(
            Some("freeze=account cause=reseller_association"),
            Some("freeze=none reason=budget set"),
            "not frozen, reason “budget set” (was frozen: account (reseller association))",
        );
        check(Some("freeze=Some(AccountAndResource)"), None, "removed (was frozen: account and resource)");
    }

    #[test]
    fn older_codes_and_debug_text_read_in_words() {
        check(None, Some("type=1 official=10"), "new, list price USD 10.00");
        check(None, Some("type=new official=10.00000000"), "new, list price USD 10.00");
        check(
            Some("expire_policy=0"),
            Some("expire_policy=auto_renew Month"),
            "expiry: automatic renewal (was expiry: grace period, then deletion)",
        );
        check(
            None,
            Some("expire_policy=auto_renew period=year times=0"),
            "expiry: automatic renewal, period year, no limit",
        );
        check(None, Some("model=Reseller frozen=true"), "reseller model, frozen");
        check(None, Some("model=reseller by_invitation frozen=false"), "reseller model, by invitation, not frozen");
        check(None, Some("state=Normal consumption_quota=100.00000000"), "normal, consumption quota USD 100.00");
        check(None, Some("kind=Business Approved { at: Timestamp(1700000000000) }"), "business approved");
        check(None, Some("Rejected { reason: RejectionReason(\"too small\") }"), "rejected \"too small\"");
        check(None, Some("DeductionDays(3)"), "deduction days 3");
        check(None, Some("role=Some(RoleId(\"r1\")) director=None"), "role r1, director none");
    }

    #[test]
    fn names_replace_ids_and_unknown_keys_stay_as_written() {
        check(None, Some("customer=acc1 face_value=5"), "customer Bright Bakery, face value USD 5.00");
        check(
            None,
            Some("from=partner:ptn1 to=customer:acc1 amount=3"),
            "from partner Acme Cloud, to customer Bright Bakery, USD 3.00",
        );
        check(None, Some("customer=acc9"), "customer acc9");
        check(None, Some("mystery=42 amount=oops"), "mystery=42, amount=oops");
        check(None, Some("hws.service.type.ec2=0.1"), "hws.service.type.ec2=0.1");
        check(None, Some("password changed; other sessions signed out"), "password changed; other sessions signed out");
        check(None, Some("max_off=0.15 off=0.1"), "at most 15%, off 10%");
    }

    #[test]
    fn free_text_keeps_its_spaces_and_signs() {
        assert_eq!(
            pairs("freeze=account reason=a=b c d"),
            vec![
                Pair { key: Some("freeze".into()), value: "account".into() },
                Pair { key: Some("reason".into()), value: "a=b c d".into() }
            ]
        );
    }
}
