//! Cloud accounts: the facts about an account that the eligibility rules read (R-ACCT-20).

use crate::ids::AccountId;
use crate::money::Money;
use crate::redact::REDACTED;
use crate::text::{CountryCode, TextError};
use crate::time::Timestamp;

/// Which Huawei Cloud site the account is registered on. R-ASSOC-01: China-site customers
/// cannot be associated with any partner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Site {
    International,
    China,
}

/// The BSS `customer_type`: -1 none yet, 0 individual, 1 enterprise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountType {
    Unset,
    Individual,
    Enterprise,
}

/// The BSS `verified_status`: -1 not verified, 0 under review, 1 rejected, 2 verified, 3 failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RealNameStatus {
    NotVerified,
    UnderReview,
    Rejected,
    Verified,
    Failed,
}

/// Accounting mode between an enterprise master and a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountingMode {
    Unified,
    Independent,
}

/// The account's place in an enterprise multi-account structure (R-ASSOC-06, -09, -10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnterpriseRole {
    Standalone,
    Master { has_independent_members: bool },
    Member { accounting: AccountingMode },
}

/// How far a freeze reaches: the BSS `ACCOUNT` / `ACCOUNT_AND_RESOURCE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FreezeScope {
    Account,
    AccountAndResource,
}

impl std::fmt::Display for FreezeScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FreezeScope::Account => "account only",
            FreezeScope::AccountAndResource => "account and resources",
        })
    }
}

/// Why an account is frozen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FreezeCause {
    /// R-RCM-02: association in the reseller model freezes the account until the partner
    /// sets a budget and unfreezes it.
    ResellerAssociation,
    /// The partner froze it (R-RCM-10).
    Partner,
    /// The partner's own account is frozen (R-QUOTA-10, R-DIST-05).
    PartnerFrozen,
    /// The budget was used up and the partner asked for an automatic freeze.
    BudgetExhausted,
}

impl FreezeCause {
    /// Whether the freeze waits for the partner's budget: a new reseller customer's, until a
    /// budget is set and it is unfrozen (R-RCM-02), and one whose budget is used up (R-RCM-04),
    /// until the budget is raised. The others end with the partner's own decision or account.
    pub fn awaits_budget(self) -> bool {
        match self {
            FreezeCause::ResellerAssociation | FreezeCause::BudgetExhausted => true,
            FreezeCause::Partner | FreezeCause::PartnerFrozen => false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Freeze {
    pub scope: FreezeScope,
    pub cause: FreezeCause,
    pub since: Timestamp,
}

/// The contracts with the cloud provider that bar association (R-ASSOC-03, R-ASSOC-07).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Contracts {
    /// Offline directly-signed, authorized telemarketing with discounts, or special offer.
    pub special: bool,
    pub professional_service: bool,
}

/// A cloud account (a "HUAWEI ID" with cloud services), whether partner or customer. Fields are
/// private: an account is registered by [`Account::new_registered`] or rebuilt by the store
/// ([`Account::from_stored`]), changes only through its transitions, and is read by getters.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    id: AccountId,
    name: AccountName,
    display_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    country: CountryCode,
    site: Site,
    account_type: AccountType,
    real_name: RealNameStatus,
    enterprise: EnterpriseRole,
    registered_at: Timestamp,
    has_credit_card: bool,
    has_credit_account: bool,
    arrears: Money,
    consumption: Money,
    cash_expenditure: Money,
    resources_in_use: u32,
    reserved_instances: u32,
    freeze: Option<Freeze>,
    bd_preregistered: bool,
    contracts: Contracts,
    password_hash: Option<String>,
    marketing_opt_out: bool,
    services_enabled_at: Option<Timestamp>,
    version: i64,
}

/// A stored account's fields, for [`Account::from_stored`].
pub struct StoredAccount {
    pub id: AccountId,
    /// The login name (`account_name` / `domain_name` on the wire). Unique.
    pub name: AccountName,
    /// The real-name (or company) name, the BSS `customer`.
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub country: CountryCode,
    pub site: Site,
    pub account_type: AccountType,
    pub real_name: RealNameStatus,
    pub enterprise: EnterpriseRole,
    pub registered_at: Timestamp,
    pub has_credit_card: bool,
    pub has_credit_account: bool,
    /// Unpaid bills (R-ASSOC-05).
    pub arrears: Money,
    /// Total consumption at list price (R-ASSOC-04).
    pub consumption: Money,
    /// The part of the consumption paid in cash (R-ASSOC-04).
    pub cash_expenditure: Money,
    /// Resources in use, pay-per-use included (R-ASSOC-08).
    pub resources_in_use: u32,
    /// Valid reserved instances (R-ASSOC-08).
    pub reserved_instances: u32,
    pub freeze: Option<Freeze>,
    /// Pre-registered by the cloud provider's BD (blocks a partner's pre-registration).
    pub bd_preregistered: bool,
    pub contracts: Contracts,
    /// The login password's hash (PHC string), if the account has a password; without one the
    /// customer signs in only through the partner's platform.
    pub password_hash: Option<String>,
    /// The customer declined marketing messages (`is_close_market_ms`).
    pub marketing_opt_out: bool,
    /// R-ACCT-16: when cloud services were enabled; `None` while postponed.
    pub services_enabled_at: Option<Timestamp>,
    /// The stored version this value was read at (optimistic concurrency).
    pub version: i64,
}

impl Account {
    /// A freshly registered account with no history and cloud services enabled: what
    /// `create_sub_customer` and the CLI create.
    pub fn new_registered(id: AccountId, name: AccountName, country: CountryCode, now: Timestamp) -> Account {
        Account {
            id,
            name,
            display_name: None,
            email: None,
            phone: None,
            country,
            site: Site::International,
            account_type: AccountType::Unset,
            real_name: RealNameStatus::NotVerified,
            enterprise: EnterpriseRole::Standalone,
            registered_at: now,
            has_credit_card: false,
            has_credit_account: false,
            arrears: Money::ZERO,
            consumption: Money::ZERO,
            cash_expenditure: Money::ZERO,
            resources_in_use: 0,
            reserved_instances: 0,
            freeze: None,
            bd_preregistered: false,
            contracts: Contracts::default(),
            password_hash: None,
            marketing_opt_out: false,
            services_enabled_at: Some(now),
            version: 0,
        }
    }

    /// Rebuilds a stored account. For the store only: it performs no check, because the values
    /// were decided by the constructor and transitions (or are the cloud's facts).
    pub fn from_stored(s: StoredAccount) -> Account {
        Account {
            id: s.id,
            name: s.name,
            display_name: s.display_name,
            email: s.email,
            phone: s.phone,
            country: s.country,
            site: s.site,
            account_type: s.account_type,
            real_name: s.real_name,
            enterprise: s.enterprise,
            registered_at: s.registered_at,
            has_credit_card: s.has_credit_card,
            has_credit_account: s.has_credit_account,
            arrears: s.arrears,
            consumption: s.consumption,
            cash_expenditure: s.cash_expenditure,
            resources_in_use: s.resources_in_use,
            reserved_instances: s.reserved_instances,
            freeze: s.freeze,
            bd_preregistered: s.bd_preregistered,
            contracts: s.contracts,
            password_hash: s.password_hash,
            marketing_opt_out: s.marketing_opt_out,
            services_enabled_at: s.services_enabled_at,
            version: s.version,
        }
    }

    pub fn id(&self) -> &AccountId {
        &self.id
    }

    /// The login name (`account_name` / `domain_name` on the wire). Unique.
    pub fn name(&self) -> &AccountName {
        &self.name
    }

    /// The real-name (or company) name, the BSS `customer`.
    pub fn display_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }

    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }

    pub fn phone(&self) -> Option<&str> {
        self.phone.as_deref()
    }

    pub fn country(&self) -> &CountryCode {
        &self.country
    }

    pub fn site(&self) -> Site {
        self.site
    }

    pub fn account_type(&self) -> AccountType {
        self.account_type
    }

    pub fn real_name(&self) -> RealNameStatus {
        self.real_name
    }

    pub fn enterprise(&self) -> EnterpriseRole {
        self.enterprise
    }

    pub fn registered_at(&self) -> Timestamp {
        self.registered_at
    }

    pub fn has_credit_card(&self) -> bool {
        self.has_credit_card
    }

    pub fn has_credit_account(&self) -> bool {
        self.has_credit_account
    }

    /// Unpaid bills (R-ASSOC-05).
    pub fn arrears(&self) -> Money {
        self.arrears
    }

    /// Total consumption at list price (R-ASSOC-04).
    pub fn consumption(&self) -> Money {
        self.consumption
    }

    /// The part of the consumption paid in cash (R-ASSOC-04).
    pub fn cash_expenditure(&self) -> Money {
        self.cash_expenditure
    }

    /// Resources in use, pay-per-use included (R-ASSOC-08).
    pub fn resources_in_use(&self) -> u32 {
        self.resources_in_use
    }

    /// Valid reserved instances (R-ASSOC-08).
    pub fn reserved_instances(&self) -> u32 {
        self.reserved_instances
    }

    pub fn freeze(&self) -> Option<Freeze> {
        self.freeze
    }

    /// Pre-registered by the cloud provider's BD (blocks a partner's pre-registration).
    pub fn bd_preregistered(&self) -> bool {
        self.bd_preregistered
    }

    pub fn contracts(&self) -> Contracts {
        self.contracts
    }

    /// The login password's hash (PHC string), if the account has a password; without one the
    /// customer signs in only through the partner's platform.
    pub fn password_hash(&self) -> Option<&str> {
        self.password_hash.as_deref()
    }

    /// The customer declined marketing messages (`is_close_market_ms`).
    pub fn marketing_opt_out(&self) -> bool {
        self.marketing_opt_out
    }

    /// R-ACCT-16: when cloud services were enabled; `None` while postponed.
    pub fn services_enabled_at(&self) -> Option<Timestamp> {
        self.services_enabled_at
    }

    /// The stored version this value was read at (optimistic concurrency).
    pub fn version(&self) -> i64 {
        self.version
    }

    pub fn is_frozen(&self) -> bool {
        self.freeze.is_some()
    }

    /// The store wrote this value: its stored version moved on.
    pub fn saved(&mut self) {
        self.version += 1;
    }

    /// For the domain's tests: the account's fields, to change facts no operation sets.
    #[cfg(test)]
    pub(crate) fn into_stored(self) -> StoredAccount {
        StoredAccount {
            id: self.id,
            name: self.name,
            display_name: self.display_name,
            email: self.email,
            phone: self.phone,
            country: self.country,
            site: self.site,
            account_type: self.account_type,
            real_name: self.real_name,
            enterprise: self.enterprise,
            registered_at: self.registered_at,
            has_credit_card: self.has_credit_card,
            has_credit_account: self.has_credit_account,
            arrears: self.arrears,
            consumption: self.consumption,
            cash_expenditure: self.cash_expenditure,
            resources_in_use: self.resources_in_use,
            reserved_instances: self.reserved_instances,
            freeze: self.freeze,
            bd_preregistered: self.bd_preregistered,
            contracts: self.contracts,
            password_hash: self.password_hash,
            marketing_opt_out: self.marketing_opt_out,
            services_enabled_at: self.services_enabled_at,
            version: self.version,
        }
    }

    /// For the domain's tests: changes the account's stored facts as `change` says.
    #[cfg(test)]
    pub(crate) fn edit(&mut self, change: impl FnOnce(&mut StoredAccount)) {
        let mut s = self.clone().into_stored();
        change(&mut s);
        *self = Account::from_stored(s);
    }

    /// The email and password hash a new account signs in with, as registered.
    pub fn set_login(&mut self, email: Option<String>, password_hash: Option<String>) {
        self.email = email;
        self.password_hash = password_hash;
    }

    /// The mobile phone given when the account was created (`create_sub_customer`).
    pub fn set_phone(&mut self, phone: Option<String>) {
        self.phone = phone;
    }

    /// `is_close_market_ms`: whether the customer declined marketing messages.
    pub fn set_marketing_opt_out(&mut self, opt_out: bool) {
        self.marketing_opt_out = opt_out;
    }

    /// EMA-2, EMA-3 (`opc_domain::enterprise`): a new account becomes a member of `master`'s
    /// enterprise: an enterprise of the same legal entity, verified through its master, on the
    /// master's site.
    pub fn become_member(
        &mut self,
        master: &Account,
        accounting: AccountingMode,
        display_name: Option<String>,
        phone: Option<String>,
    ) {
        self.account_type = AccountType::Enterprise;
        self.real_name = RealNameStatus::Verified;
        self.site = master.site;
        self.enterprise = EnterpriseRole::Member { accounting };
        self.display_name = display_name;
        self.phone = phone;
    }

    /// EMA-4: the account is an enterprise master, with or without independent members.
    pub fn set_enterprise_role(&mut self, role: EnterpriseRole) {
        self.enterprise = role;
    }

    /// A partner's own login account registers as an enterprise.
    pub fn set_account_type(&mut self, account_type: AccountType) {
        self.account_type = account_type;
    }

    /// R-ACCT-16: cloud services are postponed at registration (not enabled yet).
    pub fn postpone_services(&mut self) {
        self.services_enabled_at = None;
    }

    /// R-ACCT-16, R-ASSOC-20: cloud services are enabled now (kept if they already were).
    pub fn enable_services(&mut self, now: Timestamp) {
        self.services_enabled_at.get_or_insert(now);
    }

    /// Whether the cloud provider's BD pre-registered the account (R-PROG-16, R-PROG-37; set by the operator).
    pub fn set_bd_preregistered(&mut self, pre_registered: bool) {
        self.bd_preregistered = pre_registered;
    }

    /// The account is frozen as `freeze` says (R-RCM-02 on reseller association, R-RCM-10 by the
    /// partner, R-RCM-04 when the budget is used up and the partner asked for it); it replaces any earlier freeze.
    pub fn set_freeze(&mut self, freeze: Freeze) {
        self.freeze = Some(freeze);
    }

    /// The account is no longer frozen (R-RCM-12 by the partner; on disassociation the
    /// partner's freezes no longer apply).
    pub fn lift_freeze(&mut self) {
        self.freeze = None;
    }
}

/// An account's login name: 5–64 characters of letters, digits, `_` and `-`, not starting with
/// a digit. (The stricter `domain_name` rules of `create_sub_customer` are in `customer`.)
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountName(String);

impl AccountName {
    pub const MIN_LEN: usize = 5;
    pub const MAX_LEN: usize = 64;

    pub fn parse(text: &str) -> Result<AccountName, TextError> {
        let len = text.chars().count();
        if len < Self::MIN_LEN {
            return Err(TextError::TooShort { min: Self::MIN_LEN });
        }
        if len > Self::MAX_LEN {
            return Err(TextError::TooLong { max: Self::MAX_LEN });
        }
        let mut chars = text.chars();
        let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '-');
        if !first_is_letter || !text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return Err(TextError::BadCharacters);
        }
        Ok(AccountName(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The password hash is redacted (shown only as whether there is one).
impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("display_name", &self.display_name)
            .field("email", &self.email)
            .field("phone", &self.phone)
            .field("country", &self.country)
            .field("site", &self.site)
            .field("account_type", &self.account_type)
            .field("real_name", &self.real_name)
            .field("enterprise", &self.enterprise)
            .field("registered_at", &self.registered_at)
            .field("has_credit_card", &self.has_credit_card)
            .field("has_credit_account", &self.has_credit_account)
            .field("arrears", &self.arrears)
            .field("consumption", &self.consumption)
            .field("cash_expenditure", &self.cash_expenditure)
            .field("resources_in_use", &self.resources_in_use)
            .field("reserved_instances", &self.reserved_instances)
            .field("freeze", &self.freeze)
            .field("bd_preregistered", &self.bd_preregistered)
            .field("contracts", &self.contracts)
            .field("password_hash", &self.password_hash.as_ref().map(|_| REDACTED))
            .field("marketing_opt_out", &self.marketing_opt_out)
            .field("services_enabled_at", &self.services_enabled_at)
            .field("version", &self.version)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names_follow_their_pattern() {
        assert!(AccountName::parse("customer01").is_ok());
        assert!(AccountName::parse("a_b-c").is_ok());
        assert_eq!(AccountName::parse("abcd"), Err(TextError::TooShort { min: 5 }));
        assert_eq!(AccountName::parse(&"a".repeat(65)), Err(TextError::TooLong { max: 64 }));
        assert_eq!(AccountName::parse("1abcde"), Err(TextError::BadCharacters));
        assert_eq!(AccountName::parse("abc de"), Err(TextError::BadCharacters));
    }

    #[test]
    fn r_acct_20_a_new_account_has_no_history() {
        let now = Timestamp::from_unix_ms(1_700_000_000_000);
        let a = Account::new_registered(
            AccountId::from_random([1; 16]),
            AccountName::parse("customer01").unwrap(),
            CountryCode::parse("SG").unwrap(),
            now,
        );
        assert_eq!(a.registered_at, now);
        assert_eq!(a.cash_expenditure, Money::ZERO);
        assert_eq!(a.arrears, Money::ZERO);
        assert!(!a.is_frozen());
        assert_eq!(a.enterprise, EnterpriseRole::Standalone);
    }

    #[test]
    fn r_rcm_02_r_rcm_04_a_freeze_awaits_a_budget_only_when_a_budget_ends_it() {
        assert!(FreezeCause::ResellerAssociation.awaits_budget(), "set a budget and unfreeze");
        assert!(FreezeCause::BudgetExhausted.awaits_budget(), "raise the budget");
        assert!(!FreezeCause::Partner.awaits_budget(), "the partner's own decision");
        assert!(!FreezeCause::PartnerFrozen.awaits_budget(), "the partner's account");
    }
}
