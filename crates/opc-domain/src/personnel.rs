//! Dedicated personnel (R-ORG-05 … R-ORG-13): the partner's administrator invites an individual
//! HUAWEI ID, by its login ID, to associate with the company account; the link is valid 7
//! days; once associated, the person maintains its own position and employment information,
//! and its certificates count for the partner ([`crate::credential`], R-ORG-14); the
//! administrator may cancel the association.

use crate::ids::{AccountId, PartnerId};
use crate::time::{Millis, Timestamp};

/// R-ORG-11: how long an invitation link is valid.
pub const INVITATION_VALIDITY: Millis = Millis::days(7);

/// R-ORG-10: the window in which three partner associations bar a fourth.
pub const ASSOCIATION_WINDOW: Millis = Millis::days(365);

/// R-ORG-10: how many partners a HUAWEI ID may be associated with within the window.
pub const MAX_PARTNERS_PER_WINDOW: usize = 3;

/// Why a HUAWEI ID cannot be invited, or cannot accept (R-ORG-07 … R-ORG-10). The seeds show
/// every one as "Verification failed"; the rule says which.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VerificationCause {
    /// R-ORG-07.
    EnterpriseAuthenticated,
    /// R-ORG-08.
    AssociatedWithAnotherPartner,
    /// R-ORG-09.
    IsPartnerAccount,
    /// R-ORG-10.
    ThreePartnersThisYear,
}

impl VerificationCause {
    pub fn rule(self) -> &'static str {
        match self {
            VerificationCause::EnterpriseAuthenticated => "R-ORG-07",
            VerificationCause::AssociatedWithAnotherPartner => "R-ORG-08",
            VerificationCause::IsPartnerAccount => "R-ORG-09",
            VerificationCause::ThreePartnersThisYear => "R-ORG-10",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            VerificationCause::EnterpriseAuthenticated => {
                "Verification failed: the HUAWEI ID has been authenticated as an enterprise user."
            }
            VerificationCause::AssociatedWithAnotherPartner => {
                "Verification failed: the HUAWEI ID is associated with another partner."
            }
            VerificationCause::IsPartnerAccount => {
                "Verification failed: the HUAWEI ID is a Huawei Cloud partner account."
            }
            VerificationCause::ThreePartnersThisYear => {
                "Verification failed: the HUAWEI ID has been associated with three partners within the past year."
            }
        }
    }
}

/// What verification reads about the invited HUAWEI ID.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VerificationFacts {
    pub enterprise_authenticated: bool,
    pub associated_with_another_partner: bool,
    pub is_partner_account: bool,
    /// Partners the ID has been associated with within [`ASSOCIATION_WINDOW`], this one
    /// excluded.
    pub other_partners_this_year: usize,
}

/// R-ORG-07 … R-ORG-10: every reason verification fails, in rule order; empty if it passes.
pub fn verify(facts: &VerificationFacts) -> Vec<VerificationCause> {
    [
        (VerificationCause::EnterpriseAuthenticated, facts.enterprise_authenticated),
        (VerificationCause::AssociatedWithAnotherPartner, facts.associated_with_another_partner),
        (VerificationCause::IsPartnerAccount, facts.is_partner_account),
        (VerificationCause::ThreePartnersThisYear, facts.other_partners_this_year >= MAX_PARTNERS_PER_WINDOW),
    ]
    .into_iter()
    .filter_map(|(cause, fails)| fails.then_some(cause))
    .collect()
}

/// R-ORG-13: the stored states. `Expired` is derived: an `Invited` row past its expiry is
/// expired ([`Personnel::state_at`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonnelState {
    Invited { expires_at: Timestamp },
    Associated { at: Timestamp },
    Unassociated { at: Timestamp },
}

/// R-ORG-13 as seen at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeenState {
    Invited,
    Expired,
    Associated,
    Unassociated,
}

impl SeenState {
    pub const ALL: [SeenState; 4] =
        [SeenState::Invited, SeenState::Expired, SeenState::Associated, SeenState::Unassociated];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PersonnelError {
    #[error("the person is already invited, with a link that is still valid")]
    StillInvited,
    #[error("the person is already associated with the company account")]
    AlreadyAssociated,
    #[error("the invitation link has expired: ask the administrator to invite you again (R-ORG-11)")]
    Expired,
    #[error("the invitation is no longer open")]
    NotInvited,
    #[error("the person is not associated with the company account")]
    NotAssociated,
}

/// R-ORG-12: what an associated person maintains about itself for the partner. Its
/// certificates are its HUAWEI ID's own ([`crate::credential`]), shared while associated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    pub position: String,
    pub employment: String,
}

/// The longest text a profile field takes.
pub const PROFILE_TEXT_MAX: usize = 200;

impl Profile {
    /// Trims both fields; refuses over-long text and control characters.
    pub fn parse(position: &str, employment: &str) -> Result<Profile, (&'static str, String)> {
        fn text(field: &'static str, value: &str) -> Result<String, (&'static str, String)> {
            let value = value.trim();
            if value.chars().count() > PROFILE_TEXT_MAX {
                return Err((field, format!("at most {PROFILE_TEXT_MAX} characters")));
            }
            if value.chars().any(char::is_control) {
                return Err((field, "no control characters".to_owned()));
            }
            Ok(value.to_owned())
        }
        Ok(Profile { position: text("position", position)?, employment: text("employment", employment)? })
    }
}

/// A HUAWEI ID invited as, or associated as, dedicated personnel of a partner. One per partner
/// and person; re-inviting reuses it. Fields are private: a record begins with
/// [`Personnel::invite`], changes by its transitions (each returns the changed record), or is
/// rebuilt by the store ([`Personnel::from_stored`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Personnel {
    partner: PartnerId,
    account: AccountId,
    token_sha256: String,
    state: PersonnelState,
    invited_at: Timestamp,
    associated_at: Option<Timestamp>,
    profile: Profile,
    version: i64,
}

/// A stored personnel record's fields, for [`Personnel::from_stored`].
pub struct StoredPersonnel {
    pub partner: PartnerId,
    pub account: AccountId,
    /// The SHA-256 of the invitation link's token (the token itself is only in the email).
    pub token_sha256: String,
    pub state: PersonnelState,
    pub invited_at: Timestamp,
    /// The latest association, kept after cancellation for R-ORG-10's count.
    pub associated_at: Option<Timestamp>,
    pub profile: Profile,
    pub version: i64,
}

impl Personnel {
    /// Rebuilds a stored record. For the store only: it performs no check, because the values
    /// were decided by [`Personnel::invite`] and the transitions.
    pub fn from_stored(s: StoredPersonnel) -> Personnel {
        Personnel {
            partner: s.partner,
            account: s.account,
            token_sha256: s.token_sha256,
            state: s.state,
            invited_at: s.invited_at,
            associated_at: s.associated_at,
            profile: s.profile,
            version: s.version,
        }
    }

    pub fn partner(&self) -> &PartnerId {
        &self.partner
    }

    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The SHA-256 of the invitation link's token (the token itself is only in the email).
    pub fn token_sha256(&self) -> &str {
        &self.token_sha256
    }

    pub fn state(&self) -> PersonnelState {
        self.state
    }

    pub fn invited_at(&self) -> Timestamp {
        self.invited_at
    }

    /// The latest association, kept after cancellation for R-ORG-10's count.
    pub fn associated_at(&self) -> Option<Timestamp> {
        self.associated_at
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The stored version this value was read at (optimistic concurrency).
    pub fn version(&self) -> i64 {
        self.version
    }

    /// The store wrote this value: its stored version moved on.
    pub fn saved(&mut self) {
        self.version += 1;
    }

    pub fn state_at(&self, now: Timestamp) -> SeenState {
        match self.state {
            PersonnelState::Invited { expires_at } if now > expires_at => SeenState::Expired,
            PersonnelState::Invited { .. } => SeenState::Invited,
            PersonnelState::Associated { .. } => SeenState::Associated,
            PersonnelState::Unassociated { .. } => SeenState::Unassociated,
        }
    }

    /// A first invitation. Verification ([`verify`]) is the caller's, before.
    pub fn invite(partner: PartnerId, account: AccountId, token_sha256: String, now: Timestamp) -> Personnel {
        Personnel {
            partner,
            account,
            token_sha256,
            state: PersonnelState::Invited { expires_at: now.plus(INVITATION_VALIDITY) },
            invited_at: now,
            associated_at: None,
            profile: Profile::default(),
            version: 0,
        }
    }

    /// R-ORG-13 `Expired → Invited` (and an unassociated person invited again): a new link.
    pub fn reinvite(&self, token_sha256: String, now: Timestamp) -> Result<Personnel, PersonnelError> {
        match self.state_at(now) {
            SeenState::Invited => Err(PersonnelError::StillInvited),
            SeenState::Associated => Err(PersonnelError::AlreadyAssociated),
            SeenState::Expired | SeenState::Unassociated => Ok(Personnel {
                token_sha256,
                state: PersonnelState::Invited { expires_at: now.plus(INVITATION_VALIDITY) },
                invited_at: now,
                ..self.clone()
            }),
        }
    }

    /// R-ORG-13 `Invited → Associated`: the person accepts within 7 days.
    pub fn accept(&self, now: Timestamp) -> Result<Personnel, PersonnelError> {
        match self.state_at(now) {
            SeenState::Invited => Ok(Personnel {
                state: PersonnelState::Associated { at: now },
                associated_at: Some(now),
                ..self.clone()
            }),
            SeenState::Expired => Err(PersonnelError::Expired),
            SeenState::Associated | SeenState::Unassociated => Err(PersonnelError::NotInvited),
        }
    }

    /// R-ORG-05, R-ORG-13 `Associated → Unassociated`: the administrator cancels.
    pub fn cancel(&self, now: Timestamp) -> Result<Personnel, PersonnelError> {
        match self.state {
            PersonnelState::Associated { .. } => {
                Ok(Personnel { state: PersonnelState::Unassociated { at: now }, ..self.clone() })
            }
            _ => Err(PersonnelError::NotAssociated),
        }
    }

    /// R-ORG-12: only an associated person maintains its information.
    pub fn update_profile(&self, profile: Profile) -> Result<Personnel, PersonnelError> {
        match self.state {
            PersonnelState::Associated { .. } => Ok(Personnel { profile, ..self.clone() }),
            _ => Err(PersonnelError::NotAssociated),
        }
    }

    /// Whether the association counts towards R-ORG-10 at `now`.
    pub fn associated_within_window(&self, now: Timestamp) -> bool {
        self.associated_at.is_some_and(|at| now.since(at) <= ASSOCIATION_WINDOW)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        Timestamp::from_unix_ms(1_772_352_000_000)
    }

    fn invited() -> Personnel {
        Personnel::invite(PartnerId::from_random([1; 16]), AccountId::from_random([2; 16]), "h1".into(), now())
    }

    #[test]
    fn r_org_07_to_10_every_failing_verification_at_once() {
        assert!(verify(&VerificationFacts::default()).is_empty());
        let all = VerificationFacts {
            enterprise_authenticated: true,
            associated_with_another_partner: true,
            is_partner_account: true,
            other_partners_this_year: 3,
        };
        let rules: Vec<&str> = verify(&all).iter().map(|c| c.rule()).collect();
        assert_eq!(rules, ["R-ORG-07", "R-ORG-08", "R-ORG-09", "R-ORG-10"]);
        let two = VerificationFacts { other_partners_this_year: 2, ..VerificationFacts::default() };
        assert!(verify(&two).is_empty(), "R-ORG-10: three bar a fourth, two do not");
        assert!(verify(&all).iter().all(|c| c.message().starts_with("Verification failed")));
    }

    #[test]
    fn r_org_11_r_org_13_the_link_lasts_7_days_then_expires_and_can_be_renewed() {
        let p = invited();
        let last = now().plus(INVITATION_VALIDITY);
        assert_eq!(p.state_at(last), SeenState::Invited, "exactly 7 days is still valid");
        let after = last.plus(Millis(1));
        assert_eq!(p.state_at(after), SeenState::Expired);
        assert_eq!(p.accept(after), Err(PersonnelError::Expired));
        assert_eq!(p.reinvite("h2".into(), last), Err(PersonnelError::StillInvited));
        let again = p.reinvite("h2".into(), after).unwrap();
        assert_eq!((again.state_at(after), again.token_sha256.as_str()), (SeenState::Invited, "h2"));
        assert_eq!(again.accept(after).unwrap().state_at(after), SeenState::Associated);
    }

    #[test]
    fn r_org_13_associated_then_cancelled_by_the_administrator() {
        let associated = invited().accept(now()).unwrap();
        assert_eq!(associated.associated_at, Some(now()));
        assert_eq!(associated.accept(now()), Err(PersonnelError::NotInvited));
        assert_eq!(associated.reinvite("h3".into(), now()), Err(PersonnelError::AlreadyAssociated));
        let cancelled = associated.cancel(now()).unwrap();
        assert_eq!(cancelled.state_at(now()), SeenState::Unassociated);
        assert_eq!(cancelled.cancel(now()), Err(PersonnelError::NotAssociated));
        assert!(cancelled.associated_within_window(now().plus(ASSOCIATION_WINDOW)), "R-ORG-10 still counts it");
        assert!(!cancelled.associated_within_window(now().plus(Millis(ASSOCIATION_WINDOW.0 + 1))));
        assert!(cancelled.reinvite("h4".into(), now()).is_ok());
    }

    #[test]
    fn r_org_12_only_associated_people_maintain_their_profile() {
        let profile = Profile::parse(" Architect ", "Full time").unwrap();
        assert_eq!(profile.position, "Architect");
        assert_eq!(invited().update_profile(profile.clone()), Err(PersonnelError::NotAssociated));
        let updated = invited().accept(now()).unwrap().update_profile(profile.clone()).unwrap();
        assert_eq!(updated.profile, profile);
        assert_eq!(Profile::parse("x", "a\u{7}b").unwrap_err().0, "employment");
        assert_eq!(Profile::parse(&"x".repeat(201), "").unwrap_err().0, "position");
    }
}
