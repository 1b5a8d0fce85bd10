//! Partners: their programs, tier, distributor link and account state.

use crate::ids::{AccountId, PartnerId};
use crate::money::Money;
use crate::text::{CountryCode, DisplayName};
use crate::time::Timestamp;

/// The partner programs of seeds 000–004. `Reseller` is the second tier of the Distribution
/// Partner Program: a cloud reseller developed by a distributor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Program {
    CloudSolutionProvider,
    DistributionPartner,
    Reseller,
    KooGallerySeller,
    KooGallerySales,
    Carrier,
    PartnerCompetency,
}

impl Program {
    /// Every program, in the order the seeds list them (and the console shows them).
    pub const ALL: [Program; 7] = [
        Program::CloudSolutionProvider,
        Program::DistributionPartner,
        Program::Reseller,
        Program::KooGallerySeller,
        Program::KooGallerySales,
        Program::Carrier,
        Program::PartnerCompetency,
    ];
}

/// R-HCPN-09: the four tiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    Standard,
    Advanced,
    Premier,
    Core,
}

/// R-HCPN-20: the tier is recorded per enrolled program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrollment {
    pub program: Program,
    pub tier: Tier,
    pub enrolled_at: Timestamp,
}

/// R-QUOTA-10: the partner account's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartnerState {
    Normal,
    /// The consumption quota is exceeded: no purchases for the partner and its reseller
    /// customers (R-QUOTA-06, R-QUOTA-09).
    Restricted,
    /// No customer development, no disassociation; customer accounts may be unfrozen but not
    /// their resources (R-QUOTA-10, R-DIST-05).
    Frozen,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PartnerStateError {
    #[error("the partner account is already restricted")]
    AlreadyRestricted,
    #[error("the partner account is not restricted")]
    NotRestricted,
    #[error("the partner account is already frozen")]
    AlreadyFrozen,
    #[error("the partner account is not frozen")]
    NotFrozen,
    #[error("the partner account is frozen")]
    Frozen,
}

/// A partner. Fields are private: a partner is decided by [`Partner::enroll_by_operator`] or
/// [`Partner::join_hcpn`], or rebuilt by the store ([`Partner::from_stored`]); its state and
/// quota change only through transitions, and its `version` is the stored one it was read at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partner {
    id: PartnerId,
    account_id: AccountId,
    name: DisplayName,
    country: CountryCode,
    enrollments: Vec<Enrollment>,
    distributor: Option<PartnerId>,
    state: PartnerState,
    consumption_quota: Money,
    created_at: Timestamp,
    version: i64,
}

/// A stored partner's fields, for [`Partner::from_stored`].
pub struct StoredPartner {
    pub id: PartnerId,
    pub account_id: AccountId,
    pub name: DisplayName,
    pub country: CountryCode,
    pub enrollments: Vec<Enrollment>,
    pub distributor: Option<PartnerId>,
    pub state: PartnerState,
    pub consumption_quota: Money,
    pub created_at: Timestamp,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EnrollError {
    #[error("a reseller must name its distributor")]
    ResellerWithoutDistributor,
    #[error("only a reseller names a distributor")]
    DistributorForNonReseller,
    #[error("partner {0} is not a distributor")]
    NotADistributor(PartnerId),
    /// R-DIST-04: a frozen distributor cannot develop resellers.
    #[error("distributor {0} is frozen and cannot develop resellers")]
    DistributorFrozen(PartnerId),
}

/// What the operator asks for when enrolling a partner directly (an audited override of the
/// HCPN and program flow).
pub struct OperatorEnrollment<'a> {
    pub id: PartnerId,
    pub account_id: AccountId,
    pub name: DisplayName,
    pub country: CountryCode,
    pub program: Program,
    pub distributor: Option<&'a Partner>,
}

impl Partner {
    /// Decides an operator enrollment. R-HCPN-08: a new partner starts at the Standard tier.
    pub fn enroll_by_operator(e: OperatorEnrollment<'_>, now: Timestamp) -> Result<Partner, EnrollError> {
        let distributor = match (e.program, e.distributor) {
            (Program::Reseller, None) => return Err(EnrollError::ResellerWithoutDistributor),
            (Program::Reseller, Some(d)) => {
                if !d.is_in(Program::DistributionPartner) {
                    return Err(EnrollError::NotADistributor(d.id.clone()));
                }
                if d.state == PartnerState::Frozen {
                    return Err(EnrollError::DistributorFrozen(d.id.clone()));
                }
                Some(d.id.clone())
            }
            (_, Some(_)) => return Err(EnrollError::DistributorForNonReseller),
            (_, None) => None,
        };
        Ok(Partner {
            id: e.id,
            account_id: e.account_id,
            name: e.name,
            country: e.country,
            enrollments: vec![Enrollment { program: e.program, tier: Tier::Standard, enrolled_at: now }],
            distributor,
            state: PartnerState::Normal,
            consumption_quota: Money::ZERO,
            created_at: now,
            version: 0,
        })
    }

    /// R-HCPN-04, R-HCPN-08: an approved HCPN applicant becomes a partner, in no program yet
    /// (it may then join programs, R-HCPN-07).
    pub fn join_hcpn(
        id: PartnerId,
        account_id: AccountId,
        name: DisplayName,
        country: CountryCode,
        now: Timestamp,
    ) -> Partner {
        Partner {
            id,
            account_id,
            name,
            country,
            enrollments: vec![],
            distributor: None,
            state: PartnerState::Normal,
            consumption_quota: Money::ZERO,
            created_at: now,
            version: 0,
        }
    }

    /// R-HCPN-08, R-HCPN-20: a program joined starts at the Standard tier.
    pub fn enrollment(program: Program, now: Timestamp) -> Enrollment {
        Enrollment { program, tier: Tier::Standard, enrolled_at: now }
    }

    pub fn is_in(&self, program: Program) -> bool {
        self.enrollments.iter().any(|e| e.program == program)
    }

    /// Rebuilds a stored partner. For the store only: it performs no check, because the values
    /// were decided by the constructors and transitions.
    pub fn from_stored(s: StoredPartner) -> Partner {
        Partner {
            id: s.id,
            account_id: s.account_id,
            name: s.name,
            country: s.country,
            enrollments: s.enrollments,
            distributor: s.distributor,
            state: s.state,
            consumption_quota: s.consumption_quota,
            created_at: s.created_at,
            version: s.version,
        }
    }

    pub fn id(&self) -> &PartnerId {
        &self.id
    }

    /// The partner's own cloud account.
    pub fn account_id(&self) -> &AccountId {
        &self.account_id
    }

    pub fn name(&self) -> &DisplayName {
        &self.name
    }

    pub fn country(&self) -> &CountryCode {
        &self.country
    }

    /// R-HCPN-20: the programs the partner is in, each with its tier.
    pub fn enrollments(&self) -> &[Enrollment] {
        &self.enrollments
    }

    /// For a reseller: the distributor that developed it.
    pub fn distributor(&self) -> Option<&PartnerId> {
        self.distributor.as_ref()
    }

    pub fn state(&self) -> PartnerState {
        self.state
    }

    /// R-QUOTA-01: the credit limit the provider grants, set by the operator (R-QUOTA-02).
    pub fn consumption_quota(&self) -> Money {
        self.consumption_quota
    }

    pub fn created_at(&self) -> Timestamp {
        self.created_at
    }

    /// The stored version this value was read at (optimistic concurrency).
    pub fn version(&self) -> i64 {
        self.version
    }

    /// The store wrote this value: its stored version moved on.
    pub fn saved(&mut self) {
        self.version += 1;
    }

    /// R-QUOTA-02, R-QUOTA-07: the operator sets the consumption quota.
    pub fn set_consumption_quota(&mut self, amount: Money) {
        self.consumption_quota = amount;
    }

    /// R-QUOTA-06: `Normal → Restricted` when the consumption quota is exceeded.
    pub fn restrict(&mut self) -> Result<(), PartnerStateError> {
        self.state = match self.state {
            PartnerState::Normal => PartnerState::Restricted,
            PartnerState::Restricted => return Err(PartnerStateError::AlreadyRestricted),
            PartnerState::Frozen => return Err(PartnerStateError::Frozen),
        };
        Ok(())
    }

    /// R-QUOTA-10: `Restricted → Normal` after repayment.
    pub fn lift_restriction(&mut self) -> Result<(), PartnerStateError> {
        self.state = match self.state {
            PartnerState::Restricted => PartnerState::Normal,
            PartnerState::Normal => return Err(PartnerStateError::NotRestricted),
            PartnerState::Frozen => return Err(PartnerStateError::Frozen),
        };
        Ok(())
    }

    /// R-QUOTA-07, R-QUOTA-10: whether a restricted partner's restriction ends with `used` of
    /// its consumption quota used (a quota raised, or a repayment): the quota is set and no
    /// longer exceeded.
    pub fn restriction_ends(&self, used: Money) -> bool {
        self.state == PartnerState::Restricted
            && self.consumption_quota > Money::ZERO
            && !crate::budget::quota_state(self.consumption_quota, used).1
    }

    /// R-QUOTA-10: `Normal/Restricted → Frozen`.
    pub fn freeze(&mut self) -> Result<(), PartnerStateError> {
        self.state = match self.state {
            PartnerState::Normal | PartnerState::Restricted => PartnerState::Frozen,
            PartnerState::Frozen => return Err(PartnerStateError::AlreadyFrozen),
        };
        Ok(())
    }

    /// `Frozen → Normal`, by the operator.
    pub fn unfreeze(&mut self) -> Result<(), PartnerStateError> {
        self.state = match self.state {
            PartnerState::Frozen => PartnerState::Normal,
            PartnerState::Normal | PartnerState::Restricted => return Err(PartnerStateError::NotFrozen),
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        Timestamp::from_unix_ms(1_700_000_000_000)
    }

    fn enroll(program: Program, distributor: Option<&Partner>) -> Result<Partner, EnrollError> {
        Partner::enroll_by_operator(
            OperatorEnrollment {
                id: PartnerId::from_random([program as u8; 16]),
                account_id: AccountId::from_random([9; 16]),
                name: DisplayName::parse("Example Ltd").unwrap(),
                country: CountryCode::parse("SG").unwrap(),
                program,
                distributor,
            },
            now(),
        )
    }

    #[test]
    fn r_hcpn_08_an_enrolled_partner_starts_at_standard() {
        let p = enroll(Program::CloudSolutionProvider, None).unwrap();
        assert_eq!(
            p.enrollments,
            [Enrollment { program: Program::CloudSolutionProvider, tier: Tier::Standard, enrolled_at: now() }]
        );
        assert_eq!(p.state, PartnerState::Normal);
        assert_eq!(p.distributor, None);
    }

    #[test]
    fn a_reseller_needs_a_distributor_and_only_a_distributor() {
        let distributor = enroll(Program::DistributionPartner, None).unwrap();
        let csp = enroll(Program::CloudSolutionProvider, None).unwrap();
        let reseller = enroll(Program::Reseller, Some(&distributor)).unwrap();
        assert_eq!(reseller.distributor, Some(distributor.id.clone()));
        assert_eq!(enroll(Program::Reseller, None), Err(EnrollError::ResellerWithoutDistributor));
        assert_eq!(enroll(Program::Reseller, Some(&csp)), Err(EnrollError::NotADistributor(csp.id.clone())));
        assert_eq!(enroll(Program::Reseller, Some(&reseller)), Err(EnrollError::NotADistributor(reseller.id.clone())));
        assert_eq!(
            enroll(Program::CloudSolutionProvider, Some(&distributor)),
            Err(EnrollError::DistributorForNonReseller)
        );
    }

    #[test]
    fn r_dist_04_a_frozen_distributor_cannot_develop_resellers() {
        let mut distributor = enroll(Program::DistributionPartner, None).unwrap();
        distributor.freeze().unwrap();
        assert_eq!(
            enroll(Program::Reseller, Some(&distributor)),
            Err(EnrollError::DistributorFrozen(distributor.id.clone()))
        );
    }

    #[test]
    fn r_quota_10_partner_state_transitions() {
        let mut p = enroll(Program::CloudSolutionProvider, None).unwrap();
        assert_eq!(p.lift_restriction(), Err(PartnerStateError::NotRestricted));
        assert_eq!(p.unfreeze(), Err(PartnerStateError::NotFrozen));
        p.restrict().unwrap();
        assert_eq!(p.state, PartnerState::Restricted);
        assert_eq!(p.restrict(), Err(PartnerStateError::AlreadyRestricted));
        p.freeze().unwrap();
        assert_eq!(p.state, PartnerState::Frozen);
        assert_eq!(p.freeze(), Err(PartnerStateError::AlreadyFrozen));
        assert_eq!(p.restrict(), Err(PartnerStateError::Frozen));
        assert_eq!(p.lift_restriction(), Err(PartnerStateError::Frozen));
        p.unfreeze().unwrap();
        assert_eq!(p.state, PartnerState::Normal);
    }

    #[test]
    fn a_restriction_ends_once_the_set_quota_is_no_longer_exceeded_r_quota_07_r_quota_10() {
        let mut p = enroll(Program::CloudSolutionProvider, None).unwrap();
        p.set_consumption_quota(Money::from_major(10).unwrap());
        assert!(!p.restriction_ends(Money::ZERO), "a partner not restricted has none to end");
        p.restrict().unwrap();
        assert!(!p.restriction_ends(Money::parse("10.00000001").unwrap()));
        assert!(p.restriction_ends(Money::from_major(10).unwrap()));
        p.set_consumption_quota(Money::ZERO);
        assert!(!p.restriction_ends(Money::ZERO), "no quota set: nothing is checked against it");
    }
}
