//! Development paths (R-PROG-02, R-HCPN-07, R-HCPN-19): Service Partner, Software Partner and
//! System Integrator, each walked in stages. An account joins one path once it is an HCPN
//! partner; the operator moves it from stage to stage as the partner completes them.

use crate::ids::{AccountId, PartnerId};
use crate::time::Timestamp;

/// R-PROG-02: the three development paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DevelopmentPath {
    Service,
    Software,
    SystemIntegrator,
}

impl DevelopmentPath {
    pub const ALL: [DevelopmentPath; 3] =
        [DevelopmentPath::Service, DevelopmentPath::Software, DevelopmentPath::SystemIntegrator];
}

/// R-PROG-02: a path's stages, in order. The seeds name role validation and competency
/// differentiation (004 §6.7.1, §7.1.2.1, §8.2.16); the certificate "is awarded to partners who
/// have completed role validation and competency differentiation certification" (§6.1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathStage {
    /// Joined; role validation not yet started.
    Joined,
    /// The role validation phase has been entered (R-BEN-57, A-18).
    RoleValidation,
    /// Role validation is complete and the competency-differentiation stage has been entered
    /// (R-HCPN-19 reads "completed role validation" as this stage or later).
    CompetencyDifferentiation,
    /// Competency differentiation is certified: the path is complete.
    Certified,
}

impl PathStage {
    pub const ALL: [PathStage; 4] =
        [PathStage::Joined, PathStage::RoleValidation, PathStage::CompetencyDifferentiation, PathStage::Certified];

    fn next(self) -> Option<PathStage> {
        match self {
            PathStage::Joined => Some(PathStage::RoleValidation),
            PathStage::RoleValidation => Some(PathStage::CompetencyDifferentiation),
            PathStage::CompetencyDifferentiation => Some(PathStage::Certified),
            PathStage::Certified => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// R-HCPN-07: paths are for HCPN partners.
    #[error("join the Huawei Cloud Partner Network first (R-HCPN-07)")]
    NotHcpnPartner,
    /// The wire names the path by its code (`opc-http`'s `From<TierError>`).
    #[error("the account has already joined the {0:?} development path")]
    AlreadyJoined(DevelopmentPath),
    /// R-PROG-08, read in both directions: a CSP account cannot be on a path, so a path is
    /// joined with another account of the company (R-HCPN-19's suggestion).
    #[error("a Cloud Solution Provider account cannot join a development path: register a new account for the path (R-PROG-08, R-ACCT-13)")]
    CspAccount,
    #[error("the path is complete: there is no further stage")]
    Complete,
}

/// What [`PathMembership::join`] reads besides the request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JoinFacts {
    pub is_hcpn_partner: bool,
    /// The account is in, or applying to, the Cloud Solution Provider program.
    pub in_or_joining_csp: bool,
    /// The path the account is already on, if any.
    pub current: Option<DevelopmentPath>,
}

/// An account on a development path. Fields are private: a membership begins with
/// [`PathMembership::join`], moves on by [`PathMembership::advance`], or is rebuilt by the store
/// ([`PathMembership::from_stored`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathMembership {
    account: AccountId,
    partner: PartnerId,
    path: DevelopmentPath,
    stage: PathStage,
    joined_at: Timestamp,
    stage_since: Timestamp,
    version: i64,
}

/// A stored path membership's fields, for [`PathMembership::from_stored`].
pub struct StoredPathMembership {
    pub account: AccountId,
    pub partner: PartnerId,
    pub path: DevelopmentPath,
    pub stage: PathStage,
    pub joined_at: Timestamp,
    pub stage_since: Timestamp,
    pub version: i64,
}

impl PathMembership {
    /// Rebuilds a stored path membership. For the store only: it performs no check, because
    /// the values were decided by [`PathMembership::join`] and [`PathMembership::advance`].
    pub fn from_stored(s: StoredPathMembership) -> PathMembership {
        PathMembership {
            account: s.account,
            partner: s.partner,
            path: s.path,
            stage: s.stage,
            joined_at: s.joined_at,
            stage_since: s.stage_since,
            version: s.version,
        }
    }

    pub fn account(&self) -> &AccountId {
        &self.account
    }

    pub fn partner(&self) -> &PartnerId {
        &self.partner
    }

    pub fn path(&self) -> DevelopmentPath {
        self.path
    }

    pub fn stage(&self) -> PathStage {
        self.stage
    }

    pub fn joined_at(&self) -> Timestamp {
        self.joined_at
    }

    pub fn stage_since(&self) -> Timestamp {
        self.stage_since
    }

    /// The stored version this value was read at (optimistic concurrency).
    pub fn version(&self) -> i64 {
        self.version
    }

    /// The store wrote this value: its stored version moved on.
    pub fn saved(&mut self) {
        self.version += 1;
    }

    /// R-HCPN-07: an HCPN partner selects a development path. One path per account, and never
    /// on a CSP account (R-PROG-08).
    pub fn join(
        account: AccountId,
        partner: PartnerId,
        path: DevelopmentPath,
        facts: JoinFacts,
        now: Timestamp,
    ) -> Result<PathMembership, PathError> {
        if !facts.is_hcpn_partner {
            return Err(PathError::NotHcpnPartner);
        }
        if let Some(current) = facts.current {
            return Err(PathError::AlreadyJoined(current));
        }
        if facts.in_or_joining_csp {
            return Err(PathError::CspAccount);
        }
        Ok(PathMembership {
            account,
            partner,
            path,
            stage: PathStage::Joined,
            joined_at: now,
            stage_since: now,
            version: 0,
        })
    }

    /// The operator records that the partner completed the current stage.
    pub fn advance(&self, now: Timestamp) -> Result<PathMembership, PathError> {
        let stage = self.stage.next().ok_or(PathError::Complete)?;
        Ok(PathMembership { stage, stage_since: now, ..self.clone() })
    }

    /// R-HCPN-19: role validation is complete.
    pub fn role_validated(&self) -> bool {
        self.stage >= PathStage::CompetencyDifferentiation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        Timestamp::from_unix_ms(1_772_352_000_000)
    }

    fn join(facts: JoinFacts) -> Result<PathMembership, PathError> {
        PathMembership::join(
            AccountId::from_random([1; 16]),
            PartnerId::from_random([2; 16]),
            DevelopmentPath::Software,
            facts,
            now(),
        )
    }

    const HCPN: JoinFacts = JoinFacts { is_hcpn_partner: true, in_or_joining_csp: false, current: None };

    #[test]
    fn r_hcpn_07_an_hcpn_partner_joins_one_path() {
        let m = join(HCPN).unwrap();
        assert_eq!((m.stage, m.joined_at), (PathStage::Joined, now()));
        assert_eq!(join(JoinFacts { is_hcpn_partner: false, ..HCPN }), Err(PathError::NotHcpnPartner));
        assert_eq!(
            join(JoinFacts { current: Some(DevelopmentPath::Service), ..HCPN }),
            Err(PathError::AlreadyJoined(DevelopmentPath::Service))
        );
    }

    #[test]
    fn r_prog_08_a_csp_account_is_never_on_a_path() {
        assert_eq!(join(JoinFacts { in_or_joining_csp: true, ..HCPN }), Err(PathError::CspAccount));
    }

    #[test]
    fn r_prog_02_stages_run_in_order_and_role_validation_completes_at_competency_differentiation() {
        let mut m = join(HCPN).unwrap();
        let mut seen = vec![m.stage];
        while let Ok(next) = m.advance(now()) {
            assert!(next.stage > m.stage);
            m = next;
            seen.push(m.stage);
        }
        assert_eq!(seen, PathStage::ALL);
        assert_eq!(m.advance(now()), Err(PathError::Complete));
        let validated: Vec<bool> = PathStage::ALL
            .iter()
            .map(|&stage| PathMembership { stage, ..join(HCPN).unwrap() }.role_validated())
            .collect();
        assert_eq!(validated, [false, false, true, true], "R-HCPN-19");
    }
}
