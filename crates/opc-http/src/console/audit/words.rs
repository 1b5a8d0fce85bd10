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

use crate::console::page::{money, when};

/// An action as the log names it.
pub fn action_label(a: Action) -> &'static str {
    match a {
        Action::PartnerEnrolled => "Partner enrolled",
        Action::AccessKeyCreated => "Access key created",
        Action::AccessKeyRevoked => "Access key revoked",
        Action::CustomerAssociated => "Customer associated",
        Action::CustomerFrozen => "Customer frozen",
        Action::CustomerUnfrozen => "Customer unfrozen",
        Action::BudgetSet => "Budget set",
        Action::VerificationCodeSent => "Verification code sent",
        Action::PartnerFrozen => "Partner frozen",
        Action::PartnerUnfrozen => "Partner unfrozen",
        Action::ConsumptionQuotaSet => "Consumption quota set",
        Action::RevenueGoalSet => "Revenue goal set",
        Action::CriticalOperationProtectionSet => "Critical operation protection set",
        Action::AccountRegistered => "Account registered",
        Action::NewAccountLinkIssued => "New-account link issued",
        Action::StaffCreated => "Staff member created",
        Action::HcpnSubmitted => "HCPN application submitted",
        Action::HcpnApproved => "HCPN application approved",
        Action::HcpnRejected => "HCPN application rejected",
        Action::ProgramApplied => "Program applied for",
        Action::ProgramApproved => "Program application approved",
        Action::ProgramRejected => "Program application rejected",
        Action::TenantInfoSaved => "Tenant information saved",
        Action::ProofUploaded => "Qualification proof uploaded",
        Action::CustomerPreRegistered => "Customer pre-registered",
        Action::InvitationCreated => "Invitation created",
        Action::InvitationRevoked => "Invitation revoked",
        Action::DisassociationRequested => "Disassociation requested",
        Action::DisassociationApproved => "Disassociation approved",
        Action::DisassociationRejected => "Disassociation rejected",
        Action::DppInvited => "Invited to the Distribution Partner Program",
        Action::InformationSubmitted => "Partner information submitted",
        Action::InformationReviewed => "Partner information reviewed",
        Action::RoleCreated => "Role created",
        Action::MemberCreated => "Member created",
        Action::MemberUpdated => "Member updated",
        Action::AccountManagerAssigned => "Account manager assigned",
        Action::DevelopmentPathJoined => "Development path joined",
        Action::DevelopmentPathAdvanced => "Development path advanced",
        Action::CoreInvited => "Invited to the Core tier",
        Action::TierChanged => "Tier changed",
        Action::PersonnelInvited => "Personnel invited",
        Action::PersonnelAssociated => "Personnel associated",
        Action::PersonnelUnassociated => "Personnel unassociated",
        Action::PersonnelProfileUpdated => "Personnel profile updated",
        Action::BdPreRegistrationSet => "BD pre-registration set",
        Action::CertificateBound => "Certificate bound",
        Action::CertificateUnbound => "Certificate unbound",
        Action::PasswordChanged => "Password changed",
        Action::CatalogImported => "Catalog imported",
        Action::RegionsImported => "Regions imported",
        Action::ChangedToOnDemand => "Changed to pay-per-use",
        Action::UsageIngested => "Usage ingested",
        Action::BandwidthSamplesIngested => "Bandwidth samples ingested",
        Action::BudgetThresholdReached => "Budget threshold reached",
        Action::QuotaThresholdReached => "Quota threshold reached",
        Action::PartnerRestricted => "Partner restricted",
        Action::NoticeRecipientsSet => "Notice recipients set",
        Action::OrderPlaced => "Order placed",
        Action::OrderPaid => "Order paid",
        Action::OrderCancelled => "Order cancelled",
        Action::ResourcesUnsubscribed => "Resources unsubscribed",
        Action::AutoRenewalSet => "Automatic renewal set",
        Action::AutoRenewalCancelled => "Automatic renewal cancelled",
        Action::ExpiryPolicySet => "Expiry policy set",
        Action::RenewConfigSet => "Renewal settings set",
        Action::AuthorizationGranted => "Authorization granted",
        Action::AuthorizationWithdrawn => "Authorization withdrawn",
        Action::WebhookSet => "Webhook set",
        Action::AutoRenewalRefused => "Automatic renewal refused",
        Action::FundsAllocated => "Funds allocated",
        Action::FundsReclaimed => "Funds reclaimed",
        Action::PaymentRecorded => "Payment recorded",
        Action::BalanceAdjusted => "Balance adjusted",
        Action::PartnerUnrestricted => "Partner restriction lifted",
        Action::SettlementTermsSet => "Settlement terms set",
        Action::TaxRateSet => "Tax rate set",
        Action::CouponQuotaGranted => "Coupon quota granted",
        Action::CouponQuotaIssued => "Coupon quota issued",
        Action::CouponQuotaReclaimed => "Coupon quota reclaimed",
        Action::CouponsIssued => "Coupons issued",
        Action::CouponQuotasConverted => "Coupon quotas converted",
        Action::RealNameApplied => "Real-name authentication applied for",
        Action::RealNameReviewed => "Real-name authentication reviewed",
        Action::EnterpriseUnitCreated => "Enterprise unit created",
        Action::EnterpriseMemberCreated => "Enterprise member created",
        Action::SmsCodeSent => "SMS code sent",
        Action::EnterpriseProjectsEnabled => "Enterprise projects enabled",
        Action::CouponReclaimed => "Coupon reclaimed",
        Action::MemberCouponGiven => "Coupon given to an enterprise member",
        Action::MemberCouponTakenBack => "Coupon taken back from an enterprise member",
        Action::CouponExpired => "Coupon expired",
        Action::DiscountPolicySet => "Discount policy set",
        Action::DiscountScopeAuthorized => "Discount scope authorized",
        Action::PartnerDiscountSet => "Partner discount set",
        Action::PartnerDiscountRemoved => "Partner discount removed",
        Action::TestCouponRequested => "Test coupon requested",
        Action::TestCouponApproved => "Test coupon approved",
        Action::TestCouponRejected => "Test coupon rejected",
        Action::TestCouponNoticeSent => "Test coupon notice sent",
        Action::StoredValueCardIssued => "Stored-value card issued",
    }
}

/// A subject kind (`Subject::KINDS`) as the log names it; `None` for a kind it does not know.
pub fn subject_kind_label(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "partner" => "Partner",
        "access_key" => "Access key",
        "customer" => "Customer",
        "account" => "Account",
        "staff" => "Staff",
        "hcpn_application" => "HCPN application",
        "program_application" => "Program application",
        "invitation" => "Invitation",
        "development_path" => "Development path",
        "personnel" => "Personnel",
        "member" => "Member",
        "catalog" => "Catalog",
        "regions" => "Regions",
        "usage" => "Usage",
        "order" => "Order",
        "resource" => "Resource",
        "transfer" => "Transfer",
        "tax_rate" => "Tax rate",
        "coupon_quota" => "Coupon quota",
        "coupon" => "Coupon",
        "discount_policy" => "Discount policy",
        "discount_scope" => "Discount scope",
        "partner_discount" => "Partner discount",
        "test_coupon_request" => "Test coupon request",
        "realname_application" => "Real-name application",
        "stored_value_card" => "Stored-value card",
        "enterprise_unit" => "Enterprise unit",
        _ => return None,
    })
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
    ("official", "list price", Shape::Money),
    ("due", "due", Shape::Money),
    ("discount", "discount", Shape::Money),
    ("refund", "refund", Shape::Money),
    ("balance", "balance", Shape::Money),
    ("face_value", "face value", Shape::Money),
    ("value", "value", Shape::Money),
    ("total", "total", Shape::Money),
    ("used", "used", Shape::Money),
    ("budget", "budget", Shape::Money),
    ("estimate", "estimate", Shape::Money),
    ("consumption_quota", "consumption quota", Shape::Money),
    ("card_paid", "paid by card", Shape::Money),
    ("repaid", "repaid", Shape::Money),
    ("max_off", "at most", Shape::Percent),
    ("off", "off", Shape::Percent),
    ("default", "default", Shape::Percent),
    ("rate", "rate", Shape::Percent),
    ("expires_at", "expires", Shape::Time),
    ("until", "until", Shape::Time),
    ("valid_to", "valid to", Shape::Time),
    ("revoked_at", "revoked", Shape::Time),
    ("from", "from", Shape::Holder),
    ("to", "to", Shape::Holder),
    ("customer", "customer", Shape::Account),
    ("account", "account", Shape::Account),
    ("master", "master", Shape::Account),
    ("partner", "partner", Shape::Partner),
    ("reseller", "reseller", Shape::Partner),
    ("distributor", "distributor", Shape::Partner),
    ("reason", "reason", Shape::Quoted),
    ("reasons", "reasons", Shape::Text),
    ("by", "requested by", Shape::Word),
    ("position", "position", Shape::Word),
    ("employment", "employment", Shape::Text),
    ("accounting", "accounting", Shape::Word),
    ("program", "program", Shape::Word),
    ("programs", "programs", Shape::Word),
    ("tier", "tier", Shape::Word),
    ("entry_path", "entry path", Shape::Word),
    ("path", "path", Shape::Word),
    ("stage", "stage", Shape::Word),
    ("source", "source", Shape::Word),
    ("incentive", "incentive", Shape::Word),
    ("exclusion", "exclusion", Shape::Word),
    ("notice", "notice", Shape::Word),
    ("billing", "billing", Shape::Word),
    ("period", "period", Shape::Word),
    ("cause", "cause", Shape::Word),
    ("role", "role", Shape::Id),
    ("director", "director", Shape::Id),
    ("member", "member", Shape::Id),
    ("account_manager", "account manager", Shape::Id),
    ("unit", "unit", Shape::Id),
    ("parent", "parent", Shape::Id),
    ("entry", "ledger entry", Shape::Id),
    ("coupon", "coupon", Shape::Id),
    ("coupons", "coupons", Shape::Text),
    ("quota", "quota", Shape::Id),
    ("quotas", "quotas", Shape::Text),
    ("card", "card", Shape::Id),
    ("order", "order", Shape::Id),
    ("resources", "resources", Shape::Text),
    ("discount_id", "discount id", Shape::Id),
    ("service_type", "service type", Shape::Text),
    ("email", "email", Shape::Text),
    ("country", "country", Shape::Text),
    ("services_enabled", "services enabled", Shape::Text),
    ("webhook", "webhook", Shape::Text),
    ("recipients", "recipients", Shape::Text),
    ("business_area", "business area", Shape::Text),
    ("bd_preregistered", "BD pre-registered", Shape::Text),
    ("year", "year", Shape::Text),
    ("records", "records", Shape::Text),
    ("samples", "samples", Shape::Text),
    ("provinces", "provinces", Shape::Text),
    ("cities", "cities", Shape::Text),
    ("counties", "counties", Shape::Text),
    ("service_types", "service types", Shape::Text),
    ("resource_types", "resource types", Shape::Text),
    ("usage_types", "usage types", Shape::Text),
    ("specs", "specs", Shape::Text),
    ("prices", "prices", Shape::Text),
    ("name", "name", Shape::Quoted),
    ("qualification_name", "qualification name", Shape::Quoted),
    ("file", "file", Shape::Text),
    ("files", "files", Shape::Text),
    ("bytes", "bytes", Shape::Text),
    ("allow_discount", "discounts allowed", Shape::Text),
    ("change", "change to enterprise", Shape::Text),
    ("enabled", "enabled", Shape::Text),
    ("days", "days", Shape::Text),
    ("config", "configuration", Shape::Text),
];

fn shape_of(key: &str) -> Option<(&'static str, Shape)> {
    KEYS.iter().find(|(k, ..)| *k == key).map(|(_, label, shape)| (*label, *shape))
}

/// A value in the shape of its key; `None` when it does not read as that shape.
fn shaped(shape: Shape, value: &str, names: &Names) -> Option<Phrase> {
    let mut p = Phrase::default();
    match shape {
        Shape::Money => p.0.push(Piece::Money(Money::parse_with_scale(value, 8).ok()?)),
        Shape::Percent => p.push(Discount::parse(value).ok()?.percent_text()),
        Shape::Time => p.push(when(Timestamp::parse_rfc3339(value).ok()?)),
        Shape::Word => p.push(word(value)),
        Shape::Account => p.0.push(named(value, names.account(value))),
        Shape::Partner => p.0.push(named(value, names.partner(value))),
        Shape::Holder => {
            if let Some(id) = value.strip_prefix("partner:") {
                p.push("partner ");
                p.0.push(named(id, names.partner(id)));
            } else if let Some(id) = value.strip_prefix("customer:") {
                p.push("customer ");
                p.0.push(named(id, names.account(id)));
            } else if let Ok(t) = Timestamp::parse_rfc3339(value) {
                p.push(when(t));
            } else {
                p.push(value);
            }
        }
        Shape::Id => match value.split('"').nth(1) {
            Some(id) if is_debug(value) => p.push(id),
            _ if value == "None" => p.push("none"),
            _ => p.push(value),
        },
        Shape::Text => p.push(value),
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

/// A value that is a stored word or an older code: the words that read better than the code.
fn spoken(key: &str, value: &str) -> Option<&'static str> {
    Some(match (key, word(value).as_str()) {
        // Older order types and expiry policies were numbers.
        ("type", "1") => "new",
        ("type", "2") => "renewal",
        ("type", "4") => "unsubscription",
        ("expire_policy", "0" | "grace") => "grace period, then deletion",
        ("expire_policy", "1" | "to on demand") => "pay-per-use after expiry",
        ("expire_policy", "3" | "auto renew") => "automatic renewal",
        ("billing", "pay per use") => "pay-per-use",
        _ => return None,
    })
}

/// One stored text (`before` or `after`) as people read it.
pub fn phrase(text: &str, names: &Names) -> Phrase {
    let pairs = pairs(text);
    let mut parts: Vec<Phrase> = vec![];
    let value_of = |key: &str| pairs.iter().find(|p| p.key.as_deref() == Some(key)).map(|p| p.value.as_str());
    for pair in &pairs {
        let Some(key) = pair.key.as_deref() else {
            let mut p = Phrase::default();
            p.push(if FLAGS.contains(&pair.value.as_str()) || is_debug(&pair.value) {
                word(&pair.value)
            } else {
                pair.value.clone()
            });
            parts.push(p);
            continue;
        };
        let value = pair.value.as_str();
        if let Some(p) = special(key, value, value_of("cause")) {
            if !p.is_empty() {
                parts.push(p);
            }
            continue;
        }
        let mut p = Phrase::default();
        match (spoken(key, value), shape_of(key)) {
            (Some(words), Some((label, _))) => {
                if !label.is_empty() {
                    p.push(format!("{label} "));
                }
                p.push(words);
            }
            (None, Some((label, shape))) => match shaped(shape, value, names) {
                Some(v) => {
                    if !label.is_empty() {
                        p.push(format!("{label} "));
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
            out.push(", ");
        }
        out.append(p);
    }
    out
}

/// The keys that read as a phrase of their own; `Some(empty)` leaves the pair out (it is said
/// with another, or says nothing: an automatic freeze never chosen).
fn special(key: &str, value: &str, cause: Option<&str>) -> Option<Phrase> {
    let mut p = Phrase::default();
    match key {
        "freeze" => {
            let words = word(value);
            if words == "none" {
                p.push("not frozen");
                return Some(p);
            }
            // Older texts held the scope and cause together: `Some((Account, Partner))`.
            let (scope, old_cause) = match words.split_once(", ") {
                Some((s, c)) => (s.to_owned(), Some(c.to_owned())),
                None => (words, None),
            };
            p.push(format!("frozen: {scope}"));
            if let Some(c) = cause.map(word).or(old_cause) {
                p.push(format!(" ({c})"));
            }
        }
        "cause" => {
            // Said with the freeze.
            return Some(p);
        }
        "auto_freeze" => match word(value).as_str() {
            "on" | "true" => p.push("freeze when used up"),
            "off" | "false" => p.push("no automatic freeze"),
            "unset" | "none" => {}
            other => p.push(format!("auto_freeze={other}")),
        },
        "model" => p.push(format!("{} model", word(value))),
        "frozen" => match value {
            "true" => p.push("frozen"),
            "false" => p.push("not frozen"),
            _ => return None,
        },
        "threshold" => p.push(format!("{value} % reached")),
        "times" => match value {
            "0" => p.push("no limit"),
            n => p.push(format!("{n} times")),
        },
        "deduction_days" => p.push(format!("charged {value} days before expiry")),
        "expire_day" => match value {
            "last" | "-1" => p.push("renewed resources expire on the month's last day"),
            day => p.push(format!("renewed resources expire on day {day}")),
        },
        "expire_policy" => {
            let words =
                spoken(key, value.split(' ').next().unwrap_or(value)).map_or_else(|| word(value), str::to_owned);
            p.push(format!("expiry: {words}"));
        }
        _ => return None,
    }
    Some(p)
}

/// An event's change: what it is after, and what it was where that differs (only the
/// pairs that changed); a removal says so.
pub fn change(before: Option<&str>, after: Option<&str>, names: &Names) -> Phrase {
    let mut out = match after {
        Some(a) => phrase(a, names),
        None if before.is_some() => {
            let mut p = Phrase::default();
            p.push("removed");
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
            let was = phrase(&changed.join(" "), names);
            if !was.is_empty() {
                if !out.is_empty() {
                    out.push(" ");
                }
                out.push("(was ");
                out.append(was);
                out.push(")");
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
        assert_eq!(change(before, after, &names()).text(), expected, "{before:?} → {after:?}");
    }

    #[test]
    fn every_action_has_its_own_label() {
        let mut labels: Vec<&str> = Action::ALL.iter().map(|a| action_label(*a)).collect();
        assert!(labels.iter().all(|l| !l.is_empty() && l.starts_with(|c: char| c.is_ascii_uppercase())));
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), Action::ALL.len(), "labels are distinct");
    }

    #[test]
    fn every_subject_kind_has_a_label() {
        for kind in opc_domain::audit::Subject::KINDS {
            assert!(subject_kind_label(kind).is_some(), "{kind}");
        }
        assert_eq!(subject_kind_label("nope"), None);
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
        let html = change(None, Some("type=monthly amount=100.12345678"), &names()).html().into_string();
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
