//! The text codes under which enums shared by several aggregates are stored (each column has a
//! matching `CHECK`), one exhaustive `match` per enum so that the two backends cannot disagree
//! and a new variant does not compile without its code. An aggregate's own enums have their
//! codes in its `rows.rs`.

use opc_domain::account::{AccountType, AccountingMode, FreezeCause, FreezeScope, RealNameStatus, Site};
use opc_domain::association::AssociationModel;
use opc_domain::budget::{BudgetOperation, BudgetType};
use opc_domain::catalog::PeriodType;
use opc_domain::notification::Channel;
use opc_domain::partner::{PartnerState, Program, Tier};

/// An enum's stored text codes: `code` is an exhaustive `match`, so a new variant does not
/// compile until it has its code; decoding finds the variant of `ALL` with that code, and an
/// unknown stored code is a decode error, never a panic.
pub trait Code: Sized + Copy + PartialEq + 'static {
    /// Every variant (the round-trip tests check that each has a distinct code).
    const ALL: &'static [Self];

    fn code(self) -> &'static str;

    fn from_code(code: &str) -> Result<Self, sqlx::Error> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.code() == code)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown stored code {code:?}").into()))
    }
}

/// An enum's stored integer codes, as [`Code`] is for text codes.
pub trait NumCode: Sized + Copy + PartialEq + 'static {
    /// Every variant (the round-trip tests check that each has a distinct code).
    const ALL: &'static [Self];

    fn code(self) -> i64;

    fn from_code(code: i64) -> Result<Self, sqlx::Error> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.code() == code)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown stored code {code}").into()))
    }
}

/// A yearly/monthly period, in order lines, resources and the catalog document.
impl NumCode for PeriodType {
    const ALL: &'static [Self] = &[PeriodType::Month, PeriodType::Year];

    fn code(self) -> i64 {
        match self {
            PeriodType::Month => 2,
            PeriodType::Year => 3,
        }
    }
}

impl Code for Site {
    const ALL: &'static [Self] = &[Site::International, Site::China];

    fn code(self) -> &'static str {
        match self {
            Site::International => "international",
            Site::China => "china",
        }
    }
}

impl Code for AccountType {
    const ALL: &'static [Self] = &[AccountType::Unset, AccountType::Individual, AccountType::Enterprise];

    fn code(self) -> &'static str {
        match self {
            AccountType::Unset => "unset",
            AccountType::Individual => "individual",
            AccountType::Enterprise => "enterprise",
        }
    }
}

impl Code for RealNameStatus {
    const ALL: &'static [Self] = &[
        RealNameStatus::NotVerified,
        RealNameStatus::UnderReview,
        RealNameStatus::Rejected,
        RealNameStatus::Verified,
        RealNameStatus::Failed,
    ];

    fn code(self) -> &'static str {
        match self {
            RealNameStatus::NotVerified => "not_verified",
            RealNameStatus::UnderReview => "under_review",
            RealNameStatus::Rejected => "rejected",
            RealNameStatus::Verified => "verified",
            RealNameStatus::Failed => "failed",
        }
    }
}

impl Code for AccountingMode {
    const ALL: &'static [Self] = &[AccountingMode::Unified, AccountingMode::Independent];

    fn code(self) -> &'static str {
        match self {
            AccountingMode::Unified => "unified",
            AccountingMode::Independent => "independent",
        }
    }
}

impl Code for FreezeScope {
    const ALL: &'static [Self] = &[FreezeScope::Account, FreezeScope::AccountAndResource];

    fn code(self) -> &'static str {
        match self {
            FreezeScope::Account => "account",
            FreezeScope::AccountAndResource => "account_and_resource",
        }
    }
}

impl Code for FreezeCause {
    const ALL: &'static [Self] = &[
        FreezeCause::ResellerAssociation,
        FreezeCause::Partner,
        FreezeCause::PartnerFrozen,
        FreezeCause::BudgetExhausted,
    ];

    fn code(self) -> &'static str {
        match self {
            FreezeCause::ResellerAssociation => "reseller_association",
            FreezeCause::Partner => "partner",
            FreezeCause::PartnerFrozen => "partner_frozen",
            FreezeCause::BudgetExhausted => "budget_exhausted",
        }
    }
}

impl Code for Program {
    const ALL: &'static [Self] = &Program::ALL;

    fn code(self) -> &'static str {
        match self {
            Program::CloudSolutionProvider => "csp",
            Program::DistributionPartner => "distributor",
            Program::Reseller => "reseller",
            Program::KooGallerySeller => "koogallery_seller",
            Program::KooGallerySales => "koogallery_sales",
            Program::Carrier => "carrier",
            Program::PartnerCompetency => "competency",
        }
    }
}

impl Code for Tier {
    const ALL: &'static [Self] = &[Tier::Standard, Tier::Advanced, Tier::Premier, Tier::Core];

    fn code(self) -> &'static str {
        match self {
            Tier::Standard => "standard",
            Tier::Advanced => "advanced",
            Tier::Premier => "premier",
            Tier::Core => "core",
        }
    }
}

impl Code for PartnerState {
    const ALL: &'static [Self] = &[PartnerState::Normal, PartnerState::Restricted, PartnerState::Frozen];

    fn code(self) -> &'static str {
        match self {
            PartnerState::Normal => "normal",
            PartnerState::Restricted => "restricted",
            PartnerState::Frozen => "frozen",
        }
    }
}

impl Code for AssociationModel {
    const ALL: &'static [Self] = &[AssociationModel::Referral, AssociationModel::Reseller];

    fn code(self) -> &'static str {
        match self {
            AssociationModel::Referral => "referral",
            AssociationModel::Reseller => "reseller",
        }
    }
}

impl Code for BudgetType {
    const ALL: &'static [Self] = &[BudgetType::Monthly, BudgetType::Package];

    fn code(self) -> &'static str {
        match self {
            BudgetType::Monthly => "monthly",
            BudgetType::Package => "package",
        }
    }
}

impl Code for BudgetOperation {
    const ALL: &'static [Self] = &[BudgetOperation::Setting, BudgetOperation::Delete];

    fn code(self) -> &'static str {
        match self {
            BudgetOperation::Setting => "setting",
            BudgetOperation::Delete => "delete",
        }
    }
}

impl Code for Channel {
    const ALL: &'static [Self] = &[Channel::Email, Channel::Webhook, Channel::Sms];

    fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Webhook => "webhook",
            Channel::Sms => "sms",
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every variant of `all` round-trips through its code, codes are distinct, and `unknown`
    /// is refused.
    fn round_trips<T: PartialEq + std::fmt::Debug + Copy, C: Ord + Copy>(
        all: &[T],
        code: fn(T) -> C,
        from_code: fn(C) -> Result<T, sqlx::Error>,
        unknown: C,
    ) {
        for v in all {
            assert_eq!(from_code(code(*v)).unwrap(), *v);
        }
        let mut codes: Vec<C> = all.iter().map(|v| code(*v)).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len(), "codes are distinct");
        assert!(from_code(unknown).is_err());
    }

    pub(crate) fn check<T: Code + std::fmt::Debug>() {
        round_trips(T::ALL, T::code, |c| T::from_code(c), "no-such-code");
    }

    pub(crate) fn check_num<T: NumCode + std::fmt::Debug>() {
        round_trips(T::ALL, T::code, T::from_code, -99);
    }

    #[test]
    fn every_code_table_round_trips() {
        check::<Site>();
        check::<AccountType>();
        check::<RealNameStatus>();
        check::<AccountingMode>();
        check::<FreezeScope>();
        check::<FreezeCause>();
        check::<Program>();
        check::<Tier>();
        check::<PartnerState>();
        check::<AssociationModel>();
        check::<BudgetType>();
        check::<BudgetOperation>();
        check::<Channel>();
        check_num::<PeriodType>();
    }
}
