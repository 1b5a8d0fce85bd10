//! The text codes under which enums are stored (each column has a matching `CHECK`), in one
//! table per enum so that the two backends cannot disagree.

use opc_domain::account::{AccountType, AccountingMode, FreezeCause, FreezeScope, RealNameStatus, Site};
use opc_domain::association::AssociationModel;
use opc_domain::budget::{BudgetOperation, BudgetType};
use opc_domain::notification::Channel;
use opc_domain::partner::{PartnerState, Program, Tier};

/// A two-way table between an enum and its stored codes.
pub trait Code: Sized + Copy + PartialEq + 'static {
    const TABLE: &'static [(Self, &'static str)];

    fn code(self) -> &'static str {
        Self::TABLE.iter().find(|(v, _)| *v == self).map(|(_, c)| *c).expect("every variant has a code")
    }

    fn from_code(code: &str) -> Result<Self, sqlx::Error> {
        Self::TABLE
            .iter()
            .find(|(_, c)| *c == code)
            .map(|(v, _)| *v)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown stored code {code:?}").into()))
    }
}

impl Code for Site {
    const TABLE: &'static [(Self, &'static str)] = &[(Site::International, "international"), (Site::China, "china")];
}

impl Code for AccountType {
    const TABLE: &'static [(Self, &'static str)] = &[
        (AccountType::Unset, "unset"),
        (AccountType::Individual, "individual"),
        (AccountType::Enterprise, "enterprise"),
    ];
}

impl Code for RealNameStatus {
    const TABLE: &'static [(Self, &'static str)] = &[
        (RealNameStatus::NotVerified, "not_verified"),
        (RealNameStatus::UnderReview, "under_review"),
        (RealNameStatus::Rejected, "rejected"),
        (RealNameStatus::Verified, "verified"),
        (RealNameStatus::Failed, "failed"),
    ];
}

impl Code for AccountingMode {
    const TABLE: &'static [(Self, &'static str)] =
        &[(AccountingMode::Unified, "unified"), (AccountingMode::Independent, "independent")];
}

impl Code for FreezeScope {
    const TABLE: &'static [(Self, &'static str)] =
        &[(FreezeScope::Account, "account"), (FreezeScope::AccountAndResource, "account_and_resource")];
}

impl Code for FreezeCause {
    const TABLE: &'static [(Self, &'static str)] = &[
        (FreezeCause::ResellerAssociation, "reseller_association"),
        (FreezeCause::Partner, "partner"),
        (FreezeCause::PartnerFrozen, "partner_frozen"),
        (FreezeCause::BudgetExhausted, "budget_exhausted"),
    ];
}

impl Code for Program {
    const TABLE: &'static [(Self, &'static str)] = &[
        (Program::CloudSolutionProvider, "csp"),
        (Program::DistributionPartner, "distributor"),
        (Program::Reseller, "reseller"),
        (Program::KooGallerySeller, "koogallery_seller"),
        (Program::KooGallerySales, "koogallery_sales"),
        (Program::Carrier, "carrier"),
        (Program::PartnerCompetency, "competency"),
    ];
}

impl Code for Tier {
    const TABLE: &'static [(Self, &'static str)] =
        &[(Tier::Standard, "standard"), (Tier::Advanced, "advanced"), (Tier::Premier, "premier"), (Tier::Core, "core")];
}

impl Code for PartnerState {
    const TABLE: &'static [(Self, &'static str)] =
        &[(PartnerState::Normal, "normal"), (PartnerState::Restricted, "restricted"), (PartnerState::Frozen, "frozen")];
}

impl Code for AssociationModel {
    const TABLE: &'static [(Self, &'static str)] =
        &[(AssociationModel::Referral, "referral"), (AssociationModel::Reseller, "reseller")];
}

impl Code for BudgetType {
    const TABLE: &'static [(Self, &'static str)] =
        &[(BudgetType::Monthly, "monthly"), (BudgetType::Package, "package")];
}

impl Code for BudgetOperation {
    const TABLE: &'static [(Self, &'static str)] =
        &[(BudgetOperation::Setting, "setting"), (BudgetOperation::Delete, "delete")];
}

impl Code for Channel {
    const TABLE: &'static [(Self, &'static str)] = &[(Channel::Email, "email"), (Channel::Webhook, "webhook")];
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: Code + std::fmt::Debug>() {
        let mut codes: Vec<_> = T::TABLE.iter().map(|(_, c)| *c).collect();
        for (v, c) in T::TABLE {
            assert_eq!(v.code(), *c);
            assert_eq!(T::from_code(c).unwrap(), *v);
        }
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), T::TABLE.len(), "codes are distinct");
        assert!(T::from_code("no-such-code").is_err());
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
    }
}
