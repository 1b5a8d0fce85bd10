//! Customer development and association (R-DEV-01 … R-DEV-13, R-ASSOC-01 … R-ASSOC-31).
//!
//! - [`association_causes`]: whether an account may be associated with a partner in a model.
//!   Every failing [`AssociationCause`] comes back at once, each with its rule, message and
//!   fix (R-ASSOC-01 … R-ASSOC-11, R-DEV-05).
//! - [`PreRegistration`]: a partner's 15-day exclusive claim on a potential customer's email
//!   address (R-DEV-05, R-DEV-06).
//! - [`Invitation`]: an email invitation, a link or a QR code, and the checks made when a
//!   customer accepts one (R-DEV-01, -02, -08, -09, R-ASSOC-17 … R-ASSOC-20).
//!   [`can_develop_customers`] says whether a partner may develop customers at all (R-DEV-11,
//!   R-DEV-12, R-DIST-01, R-QUOTA-10).
//! - [`DisassociationRequest`]: an association record whose purpose is "Disassociate", and who
//!   decides it (R-ASSOC-25 … R-ASSOC-31).
//!
//! Transitions are pure. Each returns the decided state and changes nothing in place; the
//! store writes it with a version check and bumps `version`. The association itself is
//! [`Association`]: this module decides whether it may begin or end, and
//! [`Association::begin`] / [`Association::decide_disassociation`] decide the rest.

use std::fmt;

use crate::account::{Account, AccountingMode, EnterpriseRole, Site};
use crate::association::{Association, AssociationModel, AssociationState};
use crate::customer::Email;
use crate::ids::{AccountId, IdError, PartnerId};
use crate::money::Money;
use crate::partner::{Partner, PartnerState, Program};
use crate::text::TextError;
use crate::time::{Millis, Timestamp};

// ---------------------------------------------------------------------------------------------
// Association eligibility (R-ASSOC-01 … R-ASSOC-11, R-DEV-05)
// ---------------------------------------------------------------------------------------------

/// R-ASSOC-04: an account may be associated only within this period after its registration.
/// measured as registration time + 7 × 24 h, and exactly seven days is still eligible
/// ("registered for more than seven days" is what bars).
pub const NEW_ACCOUNT_PERIOD: Millis = Millis::days(7);

/// One reason a customer account cannot be associated with a partner. Variants are declared
/// in the order [`association_causes`] reports them: the conditions of both models
/// (R-ASSOC-01 … R-ASSOC-06, then R-DEV-05), then those of the reseller model only
/// (R-ASSOC-07 … R-ASSOC-10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AssociationCause {
    /// R-ASSOC-01.
    ChinaSite,
    /// R-ASSOC-02. An association with the inviting partner itself counts too: it already
    /// exists. An association whose disassociation is pending is still current.
    AlreadyAssociated,
    /// R-ASSOC-03.
    SpecialContract,
    /// R-ASSOC-04: registered more than [`NEW_ACCOUNT_PERIOD`] ago, or any cash expenditure.
    NotNewAccount,
    /// R-ASSOC-05.
    UnpaidBills,
    /// R-ASSOC-06: a member of an enterprise master in the unified accounting mode. The seeds
    /// add "with a resource account or a cloud account"; the account's facts do not tell the
    /// two apart, and both are barred, so every unified-accounting member is.
    UnifiedAccountingMember,
    /// R-DEV-05: another partner's pre-registration of the customer's email is live.
    PreRegisteredByAnotherPartner,
    /// R-DEV-04, read by A-10: the customer's country differs from the partner's and the
    /// partner holds no live pre-registration of the customer's email. Raised only where the
    /// deployment requires it ([`AssociationFacts::cross_country_unregistered`]).
    CrossCountryWithoutPreRegistration,
    /// R-ASSOC-07 (reseller model only).
    ProfessionalServiceContract,
    /// R-ASSOC-08 (reseller model only).
    ReservedInstances,
    /// R-ASSOC-09 (reseller model only): any enterprise member account, whatever its
    /// accounting mode.
    EnterpriseMember,
    /// R-ASSOC-10 (reseller model only). A-02: the newer 004 §8.3.1 wording, a master "that has
    /// independent accounting members". The older 003 wording (a master with any member)
    /// needs a fact the account does not hold.
    MasterWithIndependentMembers,
}

impl AssociationCause {
    /// Every cause, in declaration (and report) order.
    pub const ALL: [AssociationCause; 12] = [
        AssociationCause::ChinaSite,
        AssociationCause::AlreadyAssociated,
        AssociationCause::SpecialContract,
        AssociationCause::NotNewAccount,
        AssociationCause::UnpaidBills,
        AssociationCause::UnifiedAccountingMember,
        AssociationCause::PreRegisteredByAnotherPartner,
        AssociationCause::CrossCountryWithoutPreRegistration,
        AssociationCause::ProfessionalServiceContract,
        AssociationCause::ReservedInstances,
        AssociationCause::EnterpriseMember,
        AssociationCause::MasterWithIndependentMembers,
    ];

    /// The rule the cause comes from.
    pub fn rule(&self) -> &'static str {
        match self {
            AssociationCause::ChinaSite => "R-ASSOC-01",
            AssociationCause::AlreadyAssociated => "R-ASSOC-02",
            AssociationCause::SpecialContract => "R-ASSOC-03",
            AssociationCause::NotNewAccount => "R-ASSOC-04",
            AssociationCause::UnpaidBills => "R-ASSOC-05",
            AssociationCause::UnifiedAccountingMember => "R-ASSOC-06",
            AssociationCause::PreRegisteredByAnotherPartner => "R-DEV-05",
            AssociationCause::CrossCountryWithoutPreRegistration => "R-DEV-04",
            AssociationCause::ProfessionalServiceContract => "R-ASSOC-07",
            AssociationCause::ReservedInstances => "R-ASSOC-08",
            AssociationCause::EnterpriseMember => "R-ASSOC-09",
            AssociationCause::MasterWithIndependentMembers => "R-ASSOC-10",
        }
    }

    /// Whether the cause bars only the reseller model (R-ASSOC-07 … R-ASSOC-10).
    pub fn reseller_only(&self) -> bool {
        match self {
            AssociationCause::ChinaSite
            | AssociationCause::AlreadyAssociated
            | AssociationCause::SpecialContract
            | AssociationCause::NotNewAccount
            | AssociationCause::UnpaidBills
            | AssociationCause::UnifiedAccountingMember
            | AssociationCause::PreRegisteredByAnotherPartner
            | AssociationCause::CrossCountryWithoutPreRegistration => false,
            AssociationCause::ProfessionalServiceContract
            | AssociationCause::ReservedInstances
            | AssociationCause::EnterpriseMember
            | AssociationCause::MasterWithIndependentMembers => true,
        }
    }

    /// What is wrong, in one sentence (the seeds' wording, 003 Precautions and 004 §8.3.1).
    pub fn message(&self) -> &'static str {
        match self {
            AssociationCause::ChinaSite => "The account is registered with Huawei Cloud (China).",
            AssociationCause::AlreadyAssociated => "The account is already associated with a partner.",
            AssociationCause::SpecialContract => {
                "The account has signed a special contract with Huawei Cloud, such as an offline directly-signed contract, an authorized telemarketing contract with discounts, or a directly-signed special offer contract."
            }
            AssociationCause::NotNewAccount => {
                "The account was registered more than seven days ago or has cash expenditure records."
            }
            AssociationCause::UnpaidBills => "The account has unpaid bills.",
            AssociationCause::UnifiedAccountingMember => {
                "The account is associated with an enterprise master in the unified accounting mode."
            }
            AssociationCause::PreRegisteredByAnotherPartner => {
                "Another partner pre-registered the customer's email address less than 15 days ago."
            }
            AssociationCause::CrossCountryWithoutPreRegistration => {
                "The account is in another country or region than the partner, and the partner has not pre-registered it."
            }
            AssociationCause::ProfessionalServiceContract => {
                "The account has signed a professional service contract with Huawei Cloud."
            }
            AssociationCause::ReservedInstances => "The account has valid reserved instances (RIs).",
            AssociationCause::EnterpriseMember => "The account is an enterprise member account.",
            AssociationCause::MasterWithIndependentMembers => {
                "The account is an enterprise master account that has independent accounting members."
            }
        }
    }

    /// The recommended solution (R-ASSOC-11). The seeds give three (R-ASSOC-02 from 004
    /// §11.9, R-DEV-05 from §8.3.7, R-ASSOC-03 from §11.14); the others are implied and marked
    /// so below.
    pub fn fix(&self) -> &'static str {
        match self {
            // Implied: only international-site accounts can be associated.
            AssociationCause::ChinaSite => {
                "Register a Huawei Cloud account on the international site and associate with it."
            }
            AssociationCause::AlreadyAssociated => {
                "Disassociate from the current partner on the My Partner page first, then accept an online invitation from the new partner."
            }
            AssociationCause::SpecialContract => {
                "Contact customer service and submit a service ticket requesting the association."
            }
            // Implied: a new account is new (R-DEV-09: a link or QR code registers one).
            AssociationCause::NotNewAccount => "Register a new account through the partner's invitation.",
            // Implied.
            AssociationCause::UnpaidBills => "Pay the unpaid bills, then accept the invitation again.",
            // Implied.
            AssociationCause::UnifiedAccountingMember => {
                "Leave the enterprise's unified accounting, or register a new account through the partner's invitation."
            }
            AssociationCause::PreRegisteredByAnotherPartner => {
                "Use a new email address, or wait until the other partner's 15-day pre-registration lapses."
            }
            // Implied by R-DEV-04.
            AssociationCause::CrossCountryWithoutPreRegistration => {
                "Ask the partner to pre-register your email address, then accept its invitation within 15 days."
            }
            // Implied: the condition bars the reseller model only.
            AssociationCause::ProfessionalServiceContract => "Ask the partner for a referral-model invitation.",
            // Implied.
            AssociationCause::ReservedInstances => {
                "Ask the partner for a referral-model invitation, or accept the reseller-model one after the reserved instances expire."
            }
            // Implied.
            AssociationCause::EnterpriseMember => {
                "Ask the partner for a referral-model invitation, or associate with an account outside the enterprise."
            }
            // Implied.
            AssociationCause::MasterWithIndependentMembers => {
                "Ask the partner for a referral-model invitation, or remove the independent accounting members first."
            }
        }
    }
}

/// Everything [`association_causes`] reads that is not on [`Account`], computed by the caller.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AssociationFacts {
    /// R-ASSOC-02: the partner of the account's current association (one whose state is not
    /// `Disassociated`, [`Association::is_current`]), if any.
    pub current_partner: Option<PartnerId>,
    /// R-DEV-05: a partner other than the inviting one holds a live pre-registration of the
    /// customer's email ([`preregistered_by_other`] computes it).
    pub preregistered_by_other: bool,
    /// R-DEV-04: the deployment requires pre-registration across countries, the
    /// account's country differs from the partner's, and the inviting partner holds no live
    /// pre-registration of the customer's email ([`cross_country_unregistered`] computes it).
    pub cross_country_unregistered: bool,
}

/// R-DEV-04, read by A-10: pre-registration is not mandatory within one country, so across
/// countries it is, where the deployment says so (`required`). `own_live_pre_registration`
/// is whether the inviting partner holds a live pre-registration of the customer's email.
pub fn cross_country_unregistered(
    required: bool,
    partner: &Partner,
    account: &Account,
    own_live_pre_registration: bool,
) -> bool {
    required && *partner.country() != *account.country() && !own_live_pre_registration
}

/// R-ASSOC-11: every reason `account` cannot be associated in `model`, in [`AssociationCause`]
/// declaration order. Never stops at the first. Empty when the association may go ahead.
pub fn association_causes(
    model: AssociationModel,
    account: &Account,
    facts: &AssociationFacts,
    now: Timestamp,
) -> Vec<AssociationCause> {
    let china = match account.site() {
        Site::China => true,
        Site::International => false,
    };
    let (unified_member, member, master_with_independent_members) = match account.enterprise() {
        EnterpriseRole::Standalone => (false, false, false),
        EnterpriseRole::Master { has_independent_members } => (false, false, has_independent_members),
        EnterpriseRole::Member { accounting: AccountingMode::Unified } => (true, true, false),
        EnterpriseRole::Member { accounting: AccountingMode::Independent } => (false, true, false),
    };
    let not_new = now.since(account.registered_at()) > NEW_ACCOUNT_PERIOD || account.cash_expenditure() > Money::ZERO;
    let mut checks = vec![
        (AssociationCause::ChinaSite, china),
        (AssociationCause::AlreadyAssociated, facts.current_partner.is_some()),
        (AssociationCause::SpecialContract, account.contracts().special),
        (AssociationCause::NotNewAccount, not_new),
        (AssociationCause::UnpaidBills, account.arrears() > Money::ZERO),
        (AssociationCause::UnifiedAccountingMember, unified_member),
        (AssociationCause::PreRegisteredByAnotherPartner, facts.preregistered_by_other),
        (AssociationCause::CrossCountryWithoutPreRegistration, facts.cross_country_unregistered),
    ];
    match model {
        AssociationModel::Reseller => checks.extend([
            (AssociationCause::ProfessionalServiceContract, account.contracts().professional_service),
            (AssociationCause::ReservedInstances, account.reserved_instances() > 0),
            (AssociationCause::EnterpriseMember, member),
            (AssociationCause::MasterWithIndependentMembers, master_with_independent_members),
        ]),
        AssociationModel::Referral => {}
    }
    let causes: Vec<AssociationCause> =
        checks.into_iter().filter_map(|(cause, fails)| fails.then_some(cause)).collect();
    debug_assert!(causes.is_sorted(), "causes are reported in declaration order");
    causes
}

// ---------------------------------------------------------------------------------------------
// Pre-registration (R-DEV-05, R-DEV-06)
// ---------------------------------------------------------------------------------------------

/// R-DEV-05: how long a pre-registration keeps other partners away from the customer.
pub const PREREGISTRATION_PERIOD: Millis = Millis::days(15);

/// R-DEV-06: a pre-registration's states.
///
/// Expiry is derived lazily: an `Active` pre-registration whose `expires_at` has passed is
/// expired whether or not the stored state says so yet ([`PreRegistration::state_at`]). The
/// deadline job writes `Expired` ([`PreRegistration::expire`]) for listings and audit, but no
/// decision waits for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PreRegistrationState {
    /// Live until `expires_at` (exclusive): no other partner may pre-register or associate the
    /// customer's email.
    Active,
    /// The customer accepted this partner's invitation within the period.
    Associated { at: Timestamp },
    /// The period lapsed without association.
    Expired,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PreRegistrationError {
    /// R-DEV-05. Which partner holds it is not said: that is another partner's business.
    #[error(
        "another partner has pre-registered this email address until {until}; the customer may use a new email address"
    )]
    HeldByAnotherPartner { until: Timestamp },
    #[error("you have already pre-registered this email address, until {until}")]
    AlreadyPreRegistered { until: Timestamp },
    #[error("the pre-registration is already associated")]
    AlreadyAssociated,
    #[error("the pre-registration has expired")]
    Expired,
    #[error("the pre-registration is live until {until}")]
    StillLive { until: Timestamp },
}

/// A partner's pre-registration of a potential customer, identified by email address (R-DEV-05:
/// "unless the customer uses a new email address": a different address is a different
/// customer). Pre-registration alone never makes the customer the partner's (R-DEV-06).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreRegistration {
    pub partner: PartnerId,
    pub email: Email,
    pub created_at: Timestamp,
    /// `created_at` + [`PREREGISTRATION_PERIOD`].
    pub expires_at: Timestamp,
    pub state: PreRegistrationState,
    pub version: i64,
}

/// R-DEV-05: decides a new pre-registration of `email` by `partner`.
///
/// `others` are the existing pre-registrations of that email (any partner, any state; entries
/// for other addresses are ignored). Refused while another partner's is live, and while the
/// same partner's own is live. Email addresses are compared without ASCII case, so that the
/// exclusivity cannot be dodged by capitalisation.
///
/// The caller checks [`can_develop_customers`] first (R-DEV-12: a frozen partner cannot
/// pre-register).
pub fn pre_register(
    partner: PartnerId,
    email: Email,
    others: &[PreRegistration],
    now: Timestamp,
) -> Result<PreRegistration, PreRegistrationError> {
    let live = |p: &&PreRegistration| same_email(&p.email, &email) && p.is_live(now);
    if let Some(held) = others.iter().filter(live).find(|p| p.partner != partner) {
        return Err(PreRegistrationError::HeldByAnotherPartner { until: held.expires_at });
    }
    if let Some(own) = others.iter().find(live) {
        return Err(PreRegistrationError::AlreadyPreRegistered { until: own.expires_at });
    }
    Ok(PreRegistration {
        partner,
        email,
        created_at: now,
        expires_at: now.plus(PREREGISTRATION_PERIOD),
        state: PreRegistrationState::Active,
        version: 0,
    })
}

/// R-DEV-05, for [`AssociationFacts::preregistered_by_other`]: whether a partner other than
/// `partner` holds a live pre-registration of `email`.
pub fn preregistered_by_other(
    partner: &PartnerId,
    email: &Email,
    preregistrations: &[PreRegistration],
    now: Timestamp,
) -> bool {
    preregistrations.iter().any(|p| p.partner != *partner && same_email(&p.email, email) && p.is_live(now))
}

fn same_email(a: &Email, b: &Email) -> bool {
    a.as_str().eq_ignore_ascii_case(b.as_str())
}

impl PreRegistration {
    /// The state at `now`, with expiry derived (see [`PreRegistrationState`]).
    pub fn state_at(&self, now: Timestamp) -> PreRegistrationState {
        match self.state {
            PreRegistrationState::Active if now >= self.expires_at => PreRegistrationState::Expired,
            PreRegistrationState::Active => PreRegistrationState::Active,
            PreRegistrationState::Associated { at } => PreRegistrationState::Associated { at },
            PreRegistrationState::Expired => PreRegistrationState::Expired,
        }
    }

    /// R-DEV-05: whether the pre-registration still keeps other partners away.
    pub fn is_live(&self, now: Timestamp) -> bool {
        match self.state_at(now) {
            PreRegistrationState::Active => true,
            PreRegistrationState::Associated { .. } | PreRegistrationState::Expired => false,
        }
    }

    /// R-DEV-06 `Active → Associated`: the customer accepted this partner's invitation within
    /// the period. After it, association is still possible (pre-registration is not
    /// mandatory, R-DEV-04) but no longer through this pre-registration.
    pub fn associate(&self, now: Timestamp) -> Result<PreRegistrationState, PreRegistrationError> {
        match self.state_at(now) {
            PreRegistrationState::Active => Ok(PreRegistrationState::Associated { at: now }),
            PreRegistrationState::Associated { .. } => Err(PreRegistrationError::AlreadyAssociated),
            PreRegistrationState::Expired => Err(PreRegistrationError::Expired),
        }
    }

    /// R-DEV-06 `Active → Expired`, for the deadline job, once `expires_at` has passed.
    pub fn expire(&self, now: Timestamp) -> Result<PreRegistrationState, PreRegistrationError> {
        match self.state {
            PreRegistrationState::Active if now >= self.expires_at => Ok(PreRegistrationState::Expired),
            PreRegistrationState::Active => Err(PreRegistrationError::StillLive { until: self.expires_at }),
            PreRegistrationState::Associated { .. } => Err(PreRegistrationError::AlreadyAssociated),
            PreRegistrationState::Expired => Err(PreRegistrationError::Expired),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Invitations (R-DEV-01, -02, -08, -09, -11, -12, R-ASSOC-17 … R-ASSOC-20)
// ---------------------------------------------------------------------------------------------

/// R-DEV-08, A-11: how long an email invitation is valid when the operator configures nothing
/// else. The seeds never quantify "the period stated in the email"; seven days is the
/// validity of member invitations, and the email states whatever `expires_at` says.
pub const EMAIL_INVITATION_VALIDITY: Millis = Millis::days(7);

/// The secret part of an invitation link or QR code: 32 lowercase hexadecimal digits (128
/// random bits). Anyone holding it can accept the invitation, so its `Debug` shows only the
/// first four digits and it has no `Display`: it is never logged by accident.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct InvitationToken(String);

impl InvitationToken {
    pub const LEN: usize = 32;

    /// Mints a token from 16 random bytes supplied by the caller.
    pub fn from_random(bytes: [u8; 16]) -> InvitationToken {
        InvitationToken(hex::encode(bytes))
    }

    /// Parses a token from a link: exactly [`Self::LEN`] lowercase hexadecimal digits.
    pub fn parse(text: &str) -> Result<InvitationToken, IdError> {
        if text.is_empty() {
            return Err(IdError::Empty);
        }
        if text.len() > Self::LEN {
            return Err(IdError::TooLong { max: Self::LEN });
        }
        if text.len() != Self::LEN || !text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(IdError::BadCharacters);
        }
        Ok(InvitationToken(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for InvitationToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InvitationToken({}…)", &self.0[..4])
    }
}

/// R-DEV-01: how the invitation reaches the customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvitationChannel {
    /// R-DEV-01(a): an online invitation, emailed by the platform. R-DEV-08: valid until
    /// `expires_at` (exclusive), the period stated in the email. The only channel through
    /// which an existing account may associate (R-DEV-09).
    Email { to: Email, expires_at: Timestamp },
    /// R-DEV-01(b), R-DEV-02: a generic registration link the partner shares offline. R-DEV-08:
    /// valid permanently.
    Link,
    /// R-DEV-01(b), R-DEV-02: the same as a QR code. Valid permanently.
    QrCode,
}

/// A partner's invitation to associate in one model (R-ASSOC-12: the model is fixed by the
/// invitation). Links and QR codes may be accepted by any number of customers; the seeds say
/// nothing of single use, so nothing here consumes an invitation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    pub token: InvitationToken,
    pub partner: PartnerId,
    pub model: AssociationModel,
    pub channel: InvitationChannel,
    pub created_at: Timestamp,
    /// When its partner revoked it (issue 17): a link or QR code given out by mistake, or to
    /// the wrong person, stops working. `None` while it stands.
    pub revoked_at: Option<Timestamp>,
}

/// Where an invitation stands, as its partner sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvitationState {
    Open,
    Expired { at: Timestamp },
    Revoked { at: Timestamp },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RevokeError {
    #[error("the invitation is revoked already")]
    AlreadyRevoked,
    #[error("the invitation expired at {at}: there is nothing to revoke")]
    Expired { at: Timestamp },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AcceptanceError {
    /// Issue 17: its partner revoked it.
    #[error("the invitation was withdrawn by the partner at {at}; ask the partner for a new one")]
    Revoked { at: Timestamp },
    /// R-DEV-08.
    #[error("the invitation expired at {at}; ask the partner for a new one")]
    Expired { at: Timestamp },
    /// R-DEV-09, A-12.
    #[error(
        "an existing account can only be associated through an online invitation; ask the partner to send one by email"
    )]
    ExistingAccountNeedsOnlineInvitation,
    /// R-ASSOC-18.
    #[error("accept the Instructions for Associating with a Huawei Cloud Partner to associate in the reseller model")]
    InstructionsNotAccepted,
}

impl Invitation {
    /// R-DEV-01(a): an email invitation valid for `validity` ([`EMAIL_INVITATION_VALIDITY`]
    /// unless configured otherwise; the configuration guarantees a positive period).
    pub fn by_email(
        token: InvitationToken,
        partner: PartnerId,
        model: AssociationModel,
        to: Email,
        validity: Millis,
        now: Timestamp,
    ) -> Invitation {
        assert!(validity > Millis(0), "an invitation's validity is positive: {validity:?}");
        let channel = InvitationChannel::Email { to, expires_at: now.plus(validity) };
        Invitation { token, partner, model, channel, created_at: now, revoked_at: None }
    }

    /// R-DEV-01(b), R-DEV-02: a permanent registration link.
    pub fn by_link(token: InvitationToken, partner: PartnerId, model: AssociationModel, now: Timestamp) -> Invitation {
        Invitation { token, partner, model, channel: InvitationChannel::Link, created_at: now, revoked_at: None }
    }

    /// R-DEV-01(b), R-DEV-02: a permanent QR code.
    pub fn by_qr_code(
        token: InvitationToken,
        partner: PartnerId,
        model: AssociationModel,
        now: Timestamp,
    ) -> Invitation {
        Invitation { token, partner, model, channel: InvitationChannel::QrCode, created_at: now, revoked_at: None }
    }

    /// R-DEV-08: when the invitation stops being valid; `None` for the permanent ones.
    pub fn expires_at(&self) -> Option<Timestamp> {
        match self.channel {
            InvitationChannel::Email { expires_at, .. } => Some(expires_at),
            InvitationChannel::Link | InvitationChannel::QrCode => None,
        }
    }

    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires_at().is_some_and(|at| now >= at)
    }

    /// Where it stands at `now`: a revocation wins over an expiry that came after it.
    pub fn state(&self, now: Timestamp) -> InvitationState {
        match (self.revoked_at, self.expires_at().filter(|at| now >= *at)) {
            (Some(revoked), Some(expired)) if expired < revoked => InvitationState::Expired { at: expired },
            (Some(at), _) => InvitationState::Revoked { at },
            (None, Some(at)) => InvitationState::Expired { at },
            (None, None) => InvitationState::Open,
        }
    }

    /// Issue 17: its partner withdraws it; no one can accept it from `now` on.
    pub fn revoke(&mut self, now: Timestamp) -> Result<(), RevokeError> {
        match self.state(now) {
            InvitationState::Open => {
                self.revoked_at = Some(now);
                Ok(())
            }
            InvitationState::Revoked { .. } => Err(RevokeError::AlreadyRevoked),
            InvitationState::Expired { at } => Err(RevokeError::Expired { at }),
        }
    }

    /// R-DEV-09: only an online (email) invitation lets an existing account associate
    /// ("Login for Association"); a generic link or QR code registers a new account.
    pub fn accepts_existing_accounts(&self) -> bool {
        match self.channel {
            InvitationChannel::Email { .. } => true,
            InvitationChannel::Link | InvitationChannel::QrCode => false,
        }
    }

    /// Whether a customer may accept the invitation at `now`: it has not expired (R-DEV-08),
    /// an existing account uses an online invitation (R-DEV-09), and in the reseller model the
    /// customer accepted the Instructions for Associating (R-ASSOC-18). The first failure, in
    /// that order, comes back.
    ///
    /// R-ASSOC-19: the Customer Authorization Letter is optional and does not affect the
    /// association, so it is no argument here; the caller records whether it was accepted
    /// (with the time) beside the association. The caller also checks, at acceptance, the
    /// account's [`association_causes`] and the inviting partner's [`can_develop_customers`]
    /// (a partner frozen since sending the invitation develops no customers, R-DEV-12). R-ASSOC-20:
    /// the association begins ([`Association::begin`]) once the account has cloud services
    /// enabled (`Account::services_enabled_at`).
    pub fn check_acceptance(
        &self,
        by_new_account: bool,
        accepted_reseller_instructions: bool,
        now: Timestamp,
    ) -> Result<(), AcceptanceError> {
        match self.state(now) {
            InvitationState::Open => {}
            InvitationState::Revoked { at } => return Err(AcceptanceError::Revoked { at }),
            InvitationState::Expired { at } => return Err(AcceptanceError::Expired { at }),
        }
        if !by_new_account && !self.accepts_existing_accounts() {
            return Err(AcceptanceError::ExistingAccountNeedsOnlineInvitation);
        }
        let needs_instructions = match self.model {
            AssociationModel::Reseller => true,
            AssociationModel::Referral => false,
        };
        if needs_instructions && !accepted_reseller_instructions {
            return Err(AcceptanceError::InstructionsNotAccepted);
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DevelopmentError {
    /// R-DEV-11(1), R-DIST-01.
    #[error("a distributor account develops resellers, not customers")]
    Distributor,
    /// R-DEV-12, R-QUOTA-10.
    #[error("while the partner account is frozen, neither online nor offline customer development is allowed")]
    PartnerFrozen,
}

/// Whether `partner` may develop customers: pre-register them, invite them and have them
/// accept (R-DEV-01). A distributor develops resellers instead (R-DEV-11(1), R-DIST-01); a
/// frozen partner develops no one (R-DEV-12, R-QUOTA-10). The partner is frozen when its own
/// state is `Frozen` or when `partner_frozen` says so: the caller sets it for a reseller
/// whose distributor is frozen (004 §8.8.14).
pub fn can_develop_customers(partner: &Partner, partner_frozen: bool) -> Result<(), DevelopmentError> {
    if partner.is_in(Program::DistributionPartner) {
        return Err(DevelopmentError::Distributor);
    }
    let frozen = match partner.state() {
        PartnerState::Frozen => true,
        PartnerState::Normal | PartnerState::Restricted => partner_frozen,
    };
    if frozen {
        return Err(DevelopmentError::PartnerFrozen);
    }
    Ok(())
}

mod disassociation;
pub use disassociation::*;

#[cfg(test)]
mod tests;
