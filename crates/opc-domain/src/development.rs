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
    required && partner.country != account.country && !own_live_pre_registration
}

/// R-ASSOC-11: every reason `account` cannot be associated in `model`, in [`AssociationCause`]
/// declaration order. Never stops at the first. Empty when the association may go ahead.
pub fn association_causes(
    model: AssociationModel,
    account: &Account,
    facts: &AssociationFacts,
    now: Timestamp,
) -> Vec<AssociationCause> {
    let china = match account.site {
        Site::China => true,
        Site::International => false,
    };
    let (unified_member, member, master_with_independent_members) = match account.enterprise {
        EnterpriseRole::Standalone => (false, false, false),
        EnterpriseRole::Master { has_independent_members } => (false, false, has_independent_members),
        EnterpriseRole::Member { accounting: AccountingMode::Unified } => (true, true, false),
        EnterpriseRole::Member { accounting: AccountingMode::Independent } => (false, true, false),
    };
    let not_new = now.since(account.registered_at) > NEW_ACCOUNT_PERIOD || account.cash_expenditure > Money::ZERO;
    let mut checks = vec![
        (AssociationCause::ChinaSite, china),
        (AssociationCause::AlreadyAssociated, facts.current_partner.is_some()),
        (AssociationCause::SpecialContract, account.contracts.special),
        (AssociationCause::NotNewAccount, not_new),
        (AssociationCause::UnpaidBills, account.arrears > Money::ZERO),
        (AssociationCause::UnifiedAccountingMember, unified_member),
        (AssociationCause::PreRegisteredByAnotherPartner, facts.preregistered_by_other),
        (AssociationCause::CrossCountryWithoutPreRegistration, facts.cross_country_unregistered),
    ];
    match model {
        AssociationModel::Reseller => checks.extend([
            (AssociationCause::ProfessionalServiceContract, account.contracts.professional_service),
            (AssociationCause::ReservedInstances, account.reserved_instances > 0),
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AcceptanceError {
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
        Invitation { token, partner, model, channel, created_at: now }
    }

    /// R-DEV-01(b), R-DEV-02: a permanent registration link.
    pub fn by_link(token: InvitationToken, partner: PartnerId, model: AssociationModel, now: Timestamp) -> Invitation {
        Invitation { token, partner, model, channel: InvitationChannel::Link, created_at: now }
    }

    /// R-DEV-01(b), R-DEV-02: a permanent QR code.
    pub fn by_qr_code(
        token: InvitationToken,
        partner: PartnerId,
        model: AssociationModel,
        now: Timestamp,
    ) -> Invitation {
        Invitation { token, partner, model, channel: InvitationChannel::QrCode, created_at: now }
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
        if let Some(at) = self.expires_at().filter(|at| now >= *at) {
            return Err(AcceptanceError::Expired { at });
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
    let frozen = match partner.state {
        PartnerState::Frozen => true,
        PartnerState::Normal | PartnerState::Restricted => partner_frozen,
    };
    if frozen {
        return Err(DevelopmentError::PartnerFrozen);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Association records and disassociation (R-ASSOC-25 … R-ASSOC-31)
// ---------------------------------------------------------------------------------------------

/// The reason given with a disassociation request (R-ASSOC-28 "Reason"): trimmed, 1–500
/// characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DisassociationReason(String);

impl DisassociationReason {
    pub const MAX_LEN: usize = 500;

    pub fn parse(text: &str) -> Result<DisassociationReason, TextError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(TextError::Empty);
        }
        if text.chars().count() > Self::MAX_LEN {
            return Err(TextError::TooLong { max: Self::MAX_LEN });
        }
        Ok(DisassociationReason(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// R-ASSOC-27: the record's Initiation Method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Initiator {
    /// "Requested by customers": the partner's administrator approves or rejects it.
    Customer,
    /// "Requested by partners": the customer confirms or refuses it.
    Partner,
}

/// R-ASSOC-27: `Pending confirmation → Approved | Rejected`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestState {
    Pending,
    /// The Approval Time is `at`; the customer is disassociated.
    Approved {
        at: Timestamp,
    },
    Rejected {
        at: Timestamp,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// R-ASSOC-31, R-QUOTA-10.
    #[error("while the partner account is frozen, disassociation is not allowed")]
    PartnerFrozen,
    #[error("a disassociation request is already pending")]
    AlreadyPending,
    #[error("the customer is not associated with the partner")]
    NotAssociated,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    /// R-ASSOC-25, R-ORG-21: a customer's request is for the partner's administrator.
    #[error("the partner's administrator decides a request made by the customer")]
    AwaitsPartnerAdmin,
    /// R-ASSOC-27: a partner's request is for the customer to confirm.
    #[error("the customer confirms a request made by the partner")]
    AwaitsCustomer,
    #[error("the request is already approved")]
    AlreadyApproved,
    #[error("the request is already rejected")]
    AlreadyRejected,
    /// R-ASSOC-31: approval would disassociate, which a frozen partner may not; rejecting
    /// stays possible.
    #[error("while the partner account is frozen, disassociation is not allowed")]
    PartnerFrozen,
}

/// An association record with the purpose "Disassociate" (R-ASSOC-27, R-ASSOC-28). The other
/// columns of the record (account name, mobile number, association type, account manager)
/// come from the account and the [`Association`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisassociationRequest {
    pub customer: AccountId,
    pub partner: PartnerId,
    pub initiated_by: Initiator,
    pub reason: DisassociationReason,
    pub state: RequestState,
    pub requested_at: Timestamp,
    pub version: i64,
}

impl DisassociationRequest {
    /// Decides a request to end `association`, by either side (R-ASSOC-27; A-31: referral
    /// customers too; R-ASSOC-32: a distributor's reseller too). Refused while the partner is
    /// frozen (R-ASSOC-31; `partner_frozen` as for [`can_develop_customers`]), and unless the
    /// association is `Associated` with nothing pending. The caller stores the association's
    /// new state with it: [`Association::request_disassociation`], which succeeds whenever
    /// this does.
    pub fn request(
        association: &Association,
        initiated_by: Initiator,
        reason: DisassociationReason,
        partner_frozen: bool,
        now: Timestamp,
    ) -> Result<DisassociationRequest, RequestError> {
        if partner_frozen {
            return Err(RequestError::PartnerFrozen);
        }
        match association.state {
            AssociationState::Associated => {}
            AssociationState::DisassociationPending => return Err(RequestError::AlreadyPending),
            AssociationState::Disassociated { .. } => return Err(RequestError::NotAssociated),
        }
        Ok(DisassociationRequest {
            customer: association.customer.clone(),
            partner: association.partner.clone(),
            initiated_by,
            reason,
            state: RequestState::Pending,
            requested_at: now,
            version: 0,
        })
    }

    /// R-ASSOC-25, R-ASSOC-27: the partner's administrator approves or rejects a request made
    /// by the customer. Checking that the user is an administrator (R-ORG-21) and the
    /// verification code (R-ASSOC-26) is the caller's. On approval the caller ends the
    /// association with [`Association::decide_disassociation`]`(true, now)`; on rejection it
    /// restores it with `(false, now)`.
    pub fn decide_by_partner_admin(
        &self,
        approve: bool,
        partner_frozen: bool,
        now: Timestamp,
    ) -> Result<RequestState, DecisionError> {
        match self.initiated_by {
            Initiator::Customer => self.decide(approve, partner_frozen, now),
            Initiator::Partner => Err(DecisionError::AwaitsCustomer),
        }
    }

    /// R-ASSOC-27: the customer confirms (`approve`) or refuses a request made by the partner.
    /// The association follows as for [`Self::decide_by_partner_admin`].
    pub fn decide_by_customer(
        &self,
        approve: bool,
        partner_frozen: bool,
        now: Timestamp,
    ) -> Result<RequestState, DecisionError> {
        match self.initiated_by {
            Initiator::Partner => self.decide(approve, partner_frozen, now),
            Initiator::Customer => Err(DecisionError::AwaitsPartnerAdmin),
        }
    }

    fn decide(&self, approve: bool, partner_frozen: bool, now: Timestamp) -> Result<RequestState, DecisionError> {
        match self.state {
            RequestState::Pending if approve && partner_frozen => Err(DecisionError::PartnerFrozen),
            RequestState::Pending if approve => Ok(RequestState::Approved { at: now }),
            RequestState::Pending => Ok(RequestState::Rejected { at: now }),
            RequestState::Approved { .. } => Err(DecisionError::AlreadyApproved),
            RequestState::Rejected { .. } => Err(DecisionError::AlreadyRejected),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::AccountName;
    use crate::text::{CountryCode, DisplayName};

    fn now() -> Timestamp {
        Timestamp::from_unix_ms(1_700_000_000_000)
    }

    fn ago(d: Millis) -> Timestamp {
        now().plus(Millis(-d.0))
    }

    fn partner_id(n: u8) -> PartnerId {
        PartnerId::from_random([n; 16])
    }

    fn email(text: &str) -> Email {
        Email::parse(text).unwrap()
    }

    /// An account that may be associated in both models: registered just now, nothing on it.
    fn fresh_account() -> Account {
        Account::new_registered(
            AccountId::from_random([4; 16]),
            AccountName::parse("customer01").unwrap(),
            CountryCode::parse("SG").unwrap(),
            now(),
        )
    }

    mod association_eligibility {
        use super::*;
        use crate::account::{Freeze, FreezeCause, FreezeScope, RealNameStatus};
        use AssociationCause::*;
        use AssociationModel::{Referral, Reseller};

        type Tweak = fn(&mut Account, &mut AssociationFacts);

        /// The fresh account and empty facts with `tweak` applied must give exactly `expected`
        /// in `model`, asked at `now()`.
        fn check(label: &str, model: AssociationModel, tweak: Tweak, expected: &[AssociationCause]) {
            let (mut account, mut facts) = (fresh_account(), AssociationFacts::default());
            tweak(&mut account, &mut facts);
            assert_eq!(association_causes(model, &account, &facts, now()), expected, "{model:?}: {label}");
        }

        #[test]
        fn r_assoc_11_a_fresh_account_may_associate_in_both_models() {
            check("fresh", Referral, |_, _| {}, &[]);
            check("fresh", Reseller, |_, _| {}, &[]);
        }

        /// One fact flipped from the fresh account; the causes in the referral and in the
        /// reseller model.
        const SINGLE_FACTS: &[(&str, Tweak, &[AssociationCause], &[AssociationCause])] = &[
            ("R-ASSOC-01 China site", |a, _| a.site = Site::China, &[ChinaSite], &[ChinaSite]),
            (
                "R-ASSOC-02 associated",
                |_, f| f.current_partner = Some(partner_id(7)),
                &[AlreadyAssociated],
                &[AlreadyAssociated],
            ),
            ("R-ASSOC-03 special contract", |a, _| a.contracts.special = true, &[SpecialContract], &[SpecialContract]),
            (
                "R-ASSOC-04 registered 7 days and 1 ms ago",
                |a, _| a.registered_at = ago(Millis(NEW_ACCOUNT_PERIOD.0 + 1)),
                &[NotNewAccount],
                &[NotNewAccount],
            ),
            (
                "R-ASSOC-04 cash expenditure",
                |a, _| a.cash_expenditure = Money::from_e8(1).unwrap(),
                &[NotNewAccount],
                &[NotNewAccount],
            ),
            (
                "R-ASSOC-04 consumption paid otherwise than in cash is no cash expenditure",
                |a, _| a.consumption = Money::from_major(5).unwrap(),
                &[],
                &[],
            ),
            ("R-ASSOC-05 unpaid bills", |a, _| a.arrears = Money::from_e8(1).unwrap(), &[UnpaidBills], &[UnpaidBills]),
            (
                "R-ASSOC-06 unified-accounting member",
                |a, _| a.enterprise = EnterpriseRole::Member { accounting: AccountingMode::Unified },
                &[UnifiedAccountingMember],
                &[UnifiedAccountingMember, EnterpriseMember],
            ),
            (
                "R-DEV-05 pre-registered by another partner",
                |_, f| f.preregistered_by_other = true,
                &[PreRegisteredByAnotherPartner],
                &[PreRegisteredByAnotherPartner],
            ),
            (
                "R-DEV-04 (A-10) another country, not pre-registered",
                |_, f| f.cross_country_unregistered = true,
                &[CrossCountryWithoutPreRegistration],
                &[CrossCountryWithoutPreRegistration],
            ),
            (
                "R-ASSOC-07 professional service contract",
                |a, _| a.contracts.professional_service = true,
                &[],
                &[ProfessionalServiceContract],
            ),
            ("R-ASSOC-08 reserved instances", |a, _| a.reserved_instances = 1, &[], &[ReservedInstances]),
            (
                "R-ASSOC-09 independent-accounting member",
                |a, _| a.enterprise = EnterpriseRole::Member { accounting: AccountingMode::Independent },
                &[],
                &[EnterpriseMember],
            ),
            (
                "R-ASSOC-10 master with independent members",
                |a, _| a.enterprise = EnterpriseRole::Master { has_independent_members: true },
                &[],
                &[MasterWithIndependentMembers],
            ),
            (
                "R-ASSOC-10 (A-02) master without independent members",
                |a, _| a.enterprise = EnterpriseRole::Master { has_independent_members: false },
                &[],
                &[],
            ),
            (
                "facts that are program conditions, not association ones",
                |a, _| {
                    a.resources_in_use = 3;
                    a.has_credit_card = true;
                    a.has_credit_account = true;
                    a.real_name = RealNameStatus::Verified;
                    a.bd_preregistered = true;
                    a.freeze = Some(Freeze { scope: FreezeScope::Account, cause: FreezeCause::Partner, since: now() });
                },
                &[],
                &[],
            ),
        ];

        #[test]
        fn r_assoc_01_to_10_each_fact_gives_exactly_its_cause() {
            for &(label, tweak, referral, reseller) in SINGLE_FACTS {
                check(label, Referral, tweak, referral);
                check(label, Reseller, tweak, reseller);
            }
        }

        #[test]
        fn r_assoc_04_exactly_seven_days_after_registration_is_still_eligible() {
            // "more than seven days" bars; registration time + 7 × 24 h is the last instant.
            for (label, tweak, expected) in [
                ("registered now", (|_, _| {}) as Tweak, &[][..]),
                ("registered 7 days ago", |a, _| a.registered_at = ago(NEW_ACCOUNT_PERIOD), &[]),
                (
                    "registered 7 days 1 ms ago",
                    |a, _| a.registered_at = ago(Millis(NEW_ACCOUNT_PERIOD.0 + 1)),
                    &[NotNewAccount],
                ),
                ("registered 8 days ago", |a, _| a.registered_at = ago(Millis::days(8)), &[NotNewAccount]),
            ] {
                check(label, Referral, tweak, expected);
                check(label, Reseller, tweak, expected);
            }
            assert_eq!(NEW_ACCOUNT_PERIOD, Millis::days(7));
        }

        fn worst_member(a: &mut Account, f: &mut AssociationFacts) {
            a.site = Site::China;
            a.contracts.special = true;
            a.contracts.professional_service = true;
            a.registered_at = ago(Millis::days(30));
            a.cash_expenditure = Money::from_major(10).unwrap();
            a.arrears = Money::from_major(2).unwrap();
            a.enterprise = EnterpriseRole::Member { accounting: AccountingMode::Unified };
            a.reserved_instances = 2;
            f.current_partner = Some(partner_id(7));
            f.preregistered_by_other = true;
            f.cross_country_unregistered = true;
        }

        fn worst_master(a: &mut Account, f: &mut AssociationFacts) {
            worst_member(a, f);
            a.enterprise = EnterpriseRole::Master { has_independent_members: true };
        }

        #[test]
        fn r_assoc_11_every_cause_is_reported_at_once_in_order() {
            let both = [
                ChinaSite,
                AlreadyAssociated,
                SpecialContract,
                NotNewAccount,
                UnpaidBills,
                UnifiedAccountingMember,
                PreRegisteredByAnotherPartner,
                CrossCountryWithoutPreRegistration,
            ];
            check("worst member", Referral, worst_member, &both);
            check(
                "worst member",
                Reseller,
                worst_member,
                &[both.as_slice(), &[ProfessionalServiceContract, ReservedInstances, EnterpriseMember]].concat(),
            );
            // An account is a member or a master, never both: the master gets R-ASSOC-10
            // instead of R-ASSOC-06 and R-ASSOC-09.
            let master_both = [
                ChinaSite,
                AlreadyAssociated,
                SpecialContract,
                NotNewAccount,
                UnpaidBills,
                PreRegisteredByAnotherPartner,
                CrossCountryWithoutPreRegistration,
            ];
            check("worst master", Referral, worst_master, &master_both);
            check(
                "worst master",
                Reseller,
                worst_master,
                &[
                    master_both.as_slice(),
                    &[ProfessionalServiceContract, ReservedInstances, MasterWithIndependentMembers],
                ]
                .concat(),
            );
        }

        fn is_rule_id(text: &str) -> bool {
            let digits = text.strip_prefix("R-ASSOC-").or_else(|| text.strip_prefix("R-DEV-"));
            digits.is_some_and(|d| d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()))
        }

        /// Guards `AssociationCause::ALL`: a new variant fails to compile here until it is
        /// listed.
        fn position(cause: AssociationCause) -> usize {
            match cause {
                ChinaSite => 0,
                AlreadyAssociated => 1,
                SpecialContract => 2,
                NotNewAccount => 3,
                UnpaidBills => 4,
                UnifiedAccountingMember => 5,
                PreRegisteredByAnotherPartner => 6,
                CrossCountryWithoutPreRegistration => 7,
                ProfessionalServiceContract => 8,
                ReservedInstances => 9,
                EnterpriseMember => 10,
                MasterWithIndependentMembers => 11,
            }
        }

        #[test]
        fn r_assoc_11_every_cause_names_its_rule_and_says_what_is_wrong_and_how_to_fix_it() {
            assert!(AssociationCause::ALL.is_sorted());
            for (i, cause) in AssociationCause::ALL.into_iter().enumerate() {
                assert_eq!(position(cause), i, "{cause:?}");
                assert!(is_rule_id(cause.rule()), "{cause:?}: {}", cause.rule());
                for text in [cause.message(), cause.fix()] {
                    assert!(text.len() > 10 && text.ends_with('.'), "{cause:?}: {text:?}");
                }
            }
            let reseller_only: Vec<&str> =
                AssociationCause::ALL.iter().filter(|c| c.reseller_only()).map(|c| c.rule()).collect();
            assert_eq!(reseller_only, ["R-ASSOC-07", "R-ASSOC-08", "R-ASSOC-09", "R-ASSOC-10"]);
            assert_eq!(PreRegisteredByAnotherPartner.rule(), "R-DEV-05");
            assert!(!is_rule_id("R-ASSOC-1") && !is_rule_id("R-PROG-03"));
            assert_eq!(
                AlreadyAssociated.fix(),
                "Disassociate from the current partner on the My Partner page first, then accept an online invitation from the new partner."
            );
        }
    }

    mod preregistration {
        use super::*;
        use PreRegistrationState::{Active, Associated, Expired};

        fn prereg(partner: u8, address: &str, created_at: Timestamp, state: PreRegistrationState) -> PreRegistration {
            PreRegistration {
                partner: partner_id(partner),
                email: email(address),
                created_at,
                expires_at: created_at.plus(PREREGISTRATION_PERIOD),
                state,
                version: 3,
            }
        }

        /// Partner 1 pre-registers `address` at `now()`, with `others` on record.
        fn check(label: &str, address: &str, others: &[PreRegistration], expected: Result<(), PreRegistrationError>) {
            let got = pre_register(partner_id(1), email(address), others, now());
            match (got, expected) {
                (Ok(p), Ok(())) => {
                    assert_eq!(p, PreRegistration { version: 0, ..prereg(1, address, now(), Active) }, "{label}");
                    assert_eq!(p.expires_at, now().plus(Millis::days(15)), "{label}");
                }
                (got, expected) => assert_eq!(got.map(|_| ()), expected, "{label}"),
            }
        }

        #[test]
        fn r_dev_05_another_partners_live_pre_registration_is_exclusive_for_15_days() {
            let until = |created: Timestamp| created.plus(PREREGISTRATION_PERIOD);
            let just_in = ago(Millis(PREREGISTRATION_PERIOD.0 - 1));
            let cases = [
                ("nobody", vec![], Ok(())),
                (
                    "other partner, today",
                    vec![prereg(2, "ana@example.com", now(), Active)],
                    Err(PreRegistrationError::HeldByAnotherPartner { until: until(now()) }),
                ),
                (
                    "other partner, 15 days less 1 ms ago",
                    vec![prereg(2, "ana@example.com", just_in, Active)],
                    Err(PreRegistrationError::HeldByAnotherPartner { until: until(just_in) }),
                ),
                (
                    "other partner, exactly 15 days ago: lapsed, stored state not yet updated",
                    vec![prereg(2, "ana@example.com", ago(PREREGISTRATION_PERIOD), Active)],
                    Ok(()),
                ),
                ("other partner, expired", vec![prereg(2, "ana@example.com", now(), Expired)], Ok(())),
                (
                    "other partner, associated",
                    vec![prereg(2, "ana@example.com", ago(Millis::days(1)), Associated { at: now() })],
                    Ok(()),
                ),
                ("other partner, a new email address", vec![prereg(2, "ana.new@example.com", now(), Active)], Ok(())),
                (
                    "other partner, the same address capitalised",
                    vec![prereg(2, "Ana@Example.COM", now(), Active)],
                    Err(PreRegistrationError::HeldByAnotherPartner { until: until(now()) }),
                ),
                (
                    "the same partner, live",
                    vec![prereg(1, "ana@example.com", ago(Millis::days(3)), Active)],
                    Err(PreRegistrationError::AlreadyPreRegistered { until: until(ago(Millis::days(3))) }),
                ),
                (
                    "the same partner, lapsed: pre-registers again",
                    vec![prereg(1, "ana@example.com", ago(Millis::days(20)), Active)],
                    Ok(()),
                ),
                (
                    "another partner's live one wins over the same partner's",
                    vec![prereg(1, "ana@example.com", now(), Active), prereg(2, "ana@example.com", now(), Active)],
                    Err(PreRegistrationError::HeldByAnotherPartner { until: until(now()) }),
                ),
            ];
            for (label, others, expected) in cases {
                check(label, "ana@example.com", &others, expected);
            }
        }

        #[test]
        fn r_dev_05_a_live_pre_registration_blocks_association_by_other_partners_only() {
            let records = [prereg(2, "ana@example.com", ago(Millis::days(14)), Active)];
            let ana = email("ana@example.com");
            assert!(preregistered_by_other(&partner_id(1), &ana, &records, now()));
            assert!(!preregistered_by_other(&partner_id(2), &ana, &records, now()), "the holder itself");
            assert!(!preregistered_by_other(&partner_id(1), &email("ana2@example.com"), &records, now()));
            assert!(!preregistered_by_other(&partner_id(1), &ana, &records, now().plus(Millis::days(1))));
            assert!(!preregistered_by_other(&partner_id(1), &ana, &[], now()));
        }

        enum Op {
            Associate,
            Expire,
        }

        /// One transition at `at` on a pre-registration created at `now()` in `state`.
        fn check_transition(
            state: PreRegistrationState,
            op: Op,
            at: Timestamp,
            expected: Result<PreRegistrationState, PreRegistrationError>,
        ) {
            let p = prereg(1, "ana@example.com", now(), state);
            let got = match op {
                Op::Associate => p.associate(at),
                Op::Expire => p.expire(at),
            };
            assert_eq!(got, expected, "from {state:?} at {at}");
        }

        #[test]
        fn r_dev_06_pre_registration_lifecycle() {
            let end = now().plus(PREREGISTRATION_PERIOD);
            let last = now().plus(Millis(PREREGISTRATION_PERIOD.0 - 1));
            let associated = Associated { at: now() };
            let cases = [
                (Active, Op::Associate, last, Ok(Associated { at: last })),
                (Active, Op::Associate, end, Err(PreRegistrationError::Expired)),
                (Active, Op::Expire, last, Err(PreRegistrationError::StillLive { until: end })),
                (Active, Op::Expire, end, Ok(Expired)),
                (associated, Op::Associate, last, Err(PreRegistrationError::AlreadyAssociated)),
                (associated, Op::Expire, end, Err(PreRegistrationError::AlreadyAssociated)),
                (Expired, Op::Associate, last, Err(PreRegistrationError::Expired)),
                (Expired, Op::Expire, end, Err(PreRegistrationError::Expired)),
            ];
            for (state, op, at, expected) in cases {
                check_transition(state, op, at, expected);
            }
        }

        #[test]
        fn r_dev_06_expiry_is_derived_without_waiting_for_the_job() {
            let p = prereg(1, "ana@example.com", now(), Active);
            let end = now().plus(Millis::days(15));
            assert_eq!((p.state_at(now()), p.is_live(now())), (Active, true));
            assert_eq!(p.state_at(end.plus(Millis(-1))), Active);
            assert_eq!((p.state_at(end), p.is_live(end)), (Expired, false));
            let associated = PreRegistration { state: Associated { at: now() }, ..p.clone() };
            assert_eq!((associated.state_at(end), associated.is_live(now())), (Associated { at: now() }, false));
            let expired = PreRegistration { state: Expired, ..p };
            assert!(!expired.is_live(now()));
        }
    }

    mod invitations {
        use super::*;
        use crate::partner::OperatorEnrollment;
        use AcceptanceError::*;
        use AssociationModel::{Referral, Reseller};

        fn token() -> InvitationToken {
            InvitationToken::from_random([0xa5; 16])
        }

        fn by_email(model: AssociationModel) -> Invitation {
            Invitation::by_email(
                token(),
                partner_id(1),
                model,
                email("ana@example.com"),
                EMAIL_INVITATION_VALIDITY,
                now(),
            )
        }

        #[test]
        fn invitation_tokens_are_32_hex_digits_and_never_shown_whole() {
            let t = token();
            assert_eq!(t.as_str(), "a5".repeat(16));
            assert_eq!(InvitationToken::parse(t.as_str()), Ok(t.clone()));
            assert_eq!(format!("{t:?}"), "InvitationToken(a5a5…)");
            assert_eq!(InvitationToken::parse(""), Err(IdError::Empty));
            assert_eq!(InvitationToken::parse(&"a".repeat(33)), Err(IdError::TooLong { max: 32 }));
            for bad in ["a".repeat(31), "A".repeat(32), "g".repeat(32), format!("{}/", "a".repeat(31))] {
                assert_eq!(InvitationToken::parse(&bad), Err(IdError::BadCharacters), "{bad}");
            }
        }

        #[test]
        fn r_dev_08_email_invitations_expire_and_offline_ones_never_do() {
            let email_invitation = by_email(Referral);
            let end = now().plus(Millis::days(7));
            assert_eq!(email_invitation.expires_at(), Some(end));
            assert!(!email_invitation.is_expired(end.plus(Millis(-1))));
            assert!(email_invitation.is_expired(end));
            let custom =
                Invitation::by_email(token(), partner_id(1), Referral, email("a@b.co"), Millis::days(30), now());
            assert_eq!(custom.expires_at(), Some(now().plus(Millis::days(30))));
            for offline in [
                Invitation::by_link(token(), partner_id(1), Reseller, now()),
                Invitation::by_qr_code(token(), partner_id(1), Reseller, now()),
            ] {
                assert_eq!(offline.expires_at(), None, "{:?}", offline.channel);
                assert!(!offline.is_expired(now().plus(Millis::days(100_000))), "{:?}", offline.channel);
                assert_eq!(offline.created_at, now());
            }
        }

        /// Acceptance of `invitation` at `at` by a new (or existing) account, with (or without)
        /// the reseller Instructions accepted.
        fn check(
            invitation: &Invitation,
            by_new_account: bool,
            instructions: bool,
            at: Timestamp,
            expected: Result<(), AcceptanceError>,
        ) {
            assert_eq!(
                invitation.check_acceptance(by_new_account, instructions, at),
                expected,
                "{:?} {:?} new={by_new_account} instructions={instructions} at {at}",
                invitation.model,
                invitation.channel
            );
        }

        #[test]
        fn r_dev_09_and_r_assoc_18_acceptance() {
            let link = |model| Invitation::by_link(token(), partner_id(1), model, now());
            let qr = |model| Invitation::by_qr_code(token(), partner_id(1), model, now());
            let last = now().plus(Millis(EMAIL_INVITATION_VALIDITY.0 - 1));
            let end = now().plus(EMAIL_INVITATION_VALIDITY);
            let far = now().plus(Millis::days(3650));
            let cases = [
                // R-DEV-09: new accounts through any channel; existing ones only by email.
                (by_email(Referral), true, false, last, Ok(())),
                (by_email(Referral), false, false, last, Ok(())),
                (link(Referral), true, false, far, Ok(())),
                (link(Referral), false, false, now(), Err(ExistingAccountNeedsOnlineInvitation)),
                (qr(Referral), true, false, far, Ok(())),
                (qr(Referral), false, false, now(), Err(ExistingAccountNeedsOnlineInvitation)),
                // R-ASSOC-18: the reseller model needs the Instructions; the referral model not.
                (by_email(Reseller), false, true, now(), Ok(())),
                (by_email(Reseller), false, false, now(), Err(InstructionsNotAccepted)),
                (link(Reseller), true, true, far, Ok(())),
                (link(Reseller), true, false, now(), Err(InstructionsNotAccepted)),
                (qr(Reseller), true, false, now(), Err(InstructionsNotAccepted)),
                (qr(Reseller), false, false, now(), Err(ExistingAccountNeedsOnlineInvitation)),
                // R-DEV-08: an expired email invitation is refused whatever else holds.
                (by_email(Referral), true, true, end, Err(Expired { at: end })),
                (by_email(Reseller), false, false, end, Err(Expired { at: end })),
            ];
            for (invitation, by_new_account, instructions, at, expected) in cases {
                check(&invitation, by_new_account, instructions, at, expected);
            }
        }

        #[test]
        fn r_dev_09_only_online_invitations_accept_existing_accounts() {
            assert!(by_email(Reseller).accepts_existing_accounts());
            assert!(!Invitation::by_link(token(), partner_id(1), Reseller, now()).accepts_existing_accounts());
            assert!(!Invitation::by_qr_code(token(), partner_id(1), Referral, now()).accepts_existing_accounts());
        }

        fn partner(program: Program) -> Partner {
            Partner::enroll_by_operator(
                OperatorEnrollment {
                    id: partner_id(1),
                    account_id: AccountId::from_random([9; 16]),
                    name: DisplayName::parse("Example Ltd").unwrap(),
                    country: CountryCode::parse("SG").unwrap(),
                    program,
                    distributor: None,
                },
                now(),
            )
            .unwrap()
        }

        #[test]
        fn r_dev_04_a_10_pre_registration_is_needed_across_countries_only() {
            let sg = partner(Program::CloudSolutionProvider);
            let mut customer = fresh_account();
            // Same country (R-DEV-04): a link or QR code suffices, required or not.
            for required in [true, false] {
                for pre_registered in [true, false] {
                    assert!(!cross_country_unregistered(required, &sg, &customer, pre_registered));
                }
            }
            customer.country = CountryCode::parse("MY").unwrap();
            assert!(cross_country_unregistered(true, &sg, &customer, false), "A-10: required across countries");
            assert!(!cross_country_unregistered(true, &sg, &customer, true), "the partner's own pre-registration");
            assert!(!cross_country_unregistered(false, &sg, &customer, false), "the deployment does not require it");
        }

        #[test]
        fn r_dev_11_r_dev_12_who_may_develop_customers() {
            let frozen = |mut p: Partner| {
                p.state = PartnerState::Frozen;
                p
            };
            let restricted = |mut p: Partner| {
                p.state = PartnerState::Restricted;
                p
            };
            let cases = [
                ("CSP", partner(Program::CloudSolutionProvider), false, Ok(())),
                ("R-QUOTA-09 restricted CSP", restricted(partner(Program::CloudSolutionProvider)), false, Ok(())),
                (
                    "R-DEV-12 frozen CSP",
                    frozen(partner(Program::CloudSolutionProvider)),
                    false,
                    Err(DevelopmentError::PartnerFrozen),
                ),
                (
                    "R-QUOTA-10 frozen by its distributor",
                    partner(Program::CloudSolutionProvider),
                    true,
                    Err(DevelopmentError::PartnerFrozen),
                ),
                (
                    "R-DIST-01 distributor",
                    partner(Program::DistributionPartner),
                    false,
                    Err(DevelopmentError::Distributor),
                ),
                (
                    "R-DIST-01 frozen distributor",
                    frozen(partner(Program::DistributionPartner)),
                    false,
                    Err(DevelopmentError::Distributor),
                ),
            ];
            for (label, p, partner_frozen, expected) in cases {
                assert_eq!(can_develop_customers(&p, partner_frozen), expected, "{label}");
            }
        }
    }

    mod disassociation {
        use super::*;
        use DecisionError::*;
        use Initiator::{Customer, Partner};
        use RequestState::{Approved, Pending, Rejected};

        fn later() -> Timestamp {
            now().plus(Millis::days(2))
        }

        fn association() -> Association {
            Association::begin(fresh_account().id, partner_id(1), AssociationModel::Reseller, now()).0
        }

        fn reason() -> DisassociationReason {
            DisassociationReason::parse("  Moving to another partner ").unwrap()
        }

        fn request(initiated_by: Initiator, state: RequestState) -> DisassociationRequest {
            let r = DisassociationRequest::request(&association(), initiated_by, reason(), false, now()).unwrap();
            DisassociationRequest { state, ..r }
        }

        #[test]
        fn r_assoc_28_the_reason_is_trimmed_and_bounded() {
            assert_eq!(reason().as_str(), "Moving to another partner");
            assert_eq!(DisassociationReason::parse(" \n "), Err(TextError::Empty));
            assert_eq!(DisassociationReason::parse(&"é".repeat(500)).unwrap().as_str().chars().count(), 500);
            assert_eq!(DisassociationReason::parse(&"x".repeat(501)), Err(TextError::TooLong { max: 500 }));
        }

        #[test]
        fn r_assoc_27_a_request_starts_pending_and_marks_the_association() {
            let a = association();
            let r = DisassociationRequest::request(&a, Customer, reason(), false, now()).unwrap();
            assert_eq!(
                r,
                DisassociationRequest {
                    customer: a.customer.clone(),
                    partner: a.partner.clone(),
                    initiated_by: Customer,
                    reason: reason(),
                    state: Pending,
                    requested_at: now(),
                    version: 0,
                }
            );
            assert_eq!(a.request_disassociation(), Ok(AssociationState::DisassociationPending));
        }

        #[test]
        fn r_assoc_31_requests_are_refused_while_frozen_or_not_associated() {
            let with_state = |state| Association { state, ..association() };
            let cases = [
                ("R-ASSOC-31 frozen partner", association(), true, Err(RequestError::PartnerFrozen)),
                (
                    "pending",
                    with_state(AssociationState::DisassociationPending),
                    false,
                    Err(RequestError::AlreadyPending),
                ),
                (
                    "disassociated",
                    with_state(AssociationState::Disassociated { at: now() }),
                    false,
                    Err(RequestError::NotAssociated),
                ),
            ];
            for (label, a, partner_frozen, expected) in cases {
                for initiated_by in [Customer, Partner] {
                    let got = DisassociationRequest::request(&a, initiated_by, reason(), partner_frozen, now());
                    assert_eq!(got.map(|r| r.state), expected, "{label}, by {initiated_by:?}");
                }
            }
        }

        #[derive(Clone, Copy, Debug)]
        enum Decider {
            PartnerAdmin,
            Customer,
        }

        /// `decider` decides (`approve`) a request initiated by `initiated_by` in `state`.
        fn check(
            initiated_by: Initiator,
            state: RequestState,
            decider: Decider,
            approve: bool,
            partner_frozen: bool,
            expected: Result<RequestState, DecisionError>,
        ) {
            let r = request(initiated_by, state);
            let got = match decider {
                Decider::PartnerAdmin => r.decide_by_partner_admin(approve, partner_frozen, later()),
                Decider::Customer => r.decide_by_customer(approve, partner_frozen, later()),
            };
            assert_eq!(
                got, expected,
                "{initiated_by:?} request in {state:?}, {decider:?} approve={approve} frozen={partner_frozen}"
            );
        }

        #[test]
        fn r_assoc_25_r_assoc_27_who_decides() {
            let cases = [
                // R-ASSOC-25: the partner's administrator decides the customer's request.
                (Customer, Decider::PartnerAdmin, true, Ok(Approved { at: later() })),
                (Customer, Decider::PartnerAdmin, false, Ok(Rejected { at: later() })),
                (Customer, Decider::Customer, true, Err(AwaitsPartnerAdmin)),
                (Customer, Decider::Customer, false, Err(AwaitsPartnerAdmin)),
                // R-ASSOC-27: the customer confirms the partner's request.
                (Partner, Decider::Customer, true, Ok(Approved { at: later() })),
                (Partner, Decider::Customer, false, Ok(Rejected { at: later() })),
                (Partner, Decider::PartnerAdmin, true, Err(AwaitsCustomer)),
                (Partner, Decider::PartnerAdmin, false, Err(AwaitsCustomer)),
            ];
            for (initiated_by, decider, approve, expected) in cases {
                check(initiated_by, Pending, decider, approve, false, expected);
            }
        }

        #[test]
        fn r_assoc_27_a_request_is_decided_once() {
            for (initiated_by, decider) in [(Customer, Decider::PartnerAdmin), (Partner, Decider::Customer)] {
                for approve in [true, false] {
                    check(initiated_by, Approved { at: now() }, decider, approve, false, Err(AlreadyApproved));
                    check(initiated_by, Rejected { at: now() }, decider, approve, false, Err(AlreadyRejected));
                }
            }
        }

        #[test]
        fn r_assoc_31_a_frozen_partner_cannot_disassociate_but_may_reject() {
            for (initiated_by, decider) in [(Customer, Decider::PartnerAdmin), (Partner, Decider::Customer)] {
                check(initiated_by, Pending, decider, true, true, Err(DecisionError::PartnerFrozen));
                check(initiated_by, Pending, decider, false, true, Ok(Rejected { at: later() }));
            }
        }

        #[test]
        fn r_assoc_30_the_decision_ends_or_restores_the_association() {
            for (approve, expected) in
                [(true, AssociationState::Disassociated { at: later() }), (false, AssociationState::Associated)]
            {
                let mut a = association();
                let r = DisassociationRequest::request(&a, Customer, reason(), false, now()).unwrap();
                a.state = a.request_disassociation().unwrap();
                let decided = r.decide_by_partner_admin(approve, false, later()).unwrap();
                assert_eq!(decided == (Approved { at: later() }), approve);
                assert_eq!(a.decide_disassociation(approve, later()), Ok(expected), "approve={approve}");
            }
        }
    }
}
