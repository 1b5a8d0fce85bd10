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

/// A cloud account (a "HUAWEI ID" with cloud services), whether partner or customer.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
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
    /// Total consumption at list price, and the part of it paid in cash (R-ASSOC-04).
    pub consumption: Money,
    pub cash_expenditure: Money,
    /// Resources in use, pay-per-use included, and valid reserved instances (R-ASSOC-08).
    pub resources_in_use: u32,
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

    pub fn is_frozen(&self) -> bool {
        self.freeze.is_some()
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
}
