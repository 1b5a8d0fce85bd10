//! The HCPN application (R-HCPN-01 … R-HCPN-08): the wizard a registered account fills in to
//! join the Huawei Cloud Partner Network, the automatic system check, and manual review.
//!
//! R-HCPN-06: once enrolled in HCPN, a partner cannot withdraw. There is deliberately no
//! withdraw (or cancel) operation on [`HcpnApplication`], and none may be added: an approved
//! application is final, and every transition out of `Approved` is refused with
//! [`HcpnError::AlreadyApproved`].
//!
//! R-HCPN-08: an approved applicant becomes a partner at the Standard tier; that happens where
//! the `Partner` is created (`partner::Partner`), which reads [`HcpnApplication::is_approved`].

use std::fmt;

use crate::account::Account;
use crate::customer::Email;
use crate::ids::AccountId;
use crate::money::Money;
use crate::text::{CountryCode, DisplayName, TextError};
use crate::time::Timestamp;

/// R-HCPN-04: the message shown to the applicant once the application is approved.
pub const APPROVED_MESSAGE: &str = "You are a Huawei Cloud partner.";

/// R-HCPN-02: the wizard's steps, in order. The fifth step, Submit, is the submission itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WizardStep {
    BusinessInformation,
    ContactInformation,
    /// R-INFO-11: sensitive relationships are filed during HCPN registration.
    SensitiveRelationships,
    /// R-CERT-04: the Huawei Cloud Partner Network Certification Agreement.
    Agreement,
}

impl fmt::Display for WizardStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WizardStep::BusinessInformation => "business information",
            WizardStep::ContactInformation => "contact information",
            WizardStep::SensitiveRelationships => "filing of sensitive relationships",
            WizardStep::Agreement => "agreement to the Huawei Cloud Partner Network Certification Agreement",
        })
    }
}

/// Wizard step 1. `company_name` and `country` are parsed at the boundary; the free-text fields
/// are checked (trimmed, not blank, bounded) when the form is completed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusinessInfo {
    pub company_name: DisplayName,
    /// Where the company's legal entity is registered (compared with the account's country by
    /// the automatic check, R-ACCT-01).
    pub country: CountryCode,
    pub address: String,
    pub website: Option<String>,
}

impl BusinessInfo {
    /// Which company the account belongs to, for "one CSP account per company and business
    /// area" (R-PROG-23) and "some account of the company" (R-HCPN-19). The seeds do not say how
    /// accounts are grouped; this reads it as the company name filed in HCPN, compared without
    /// ASCII case and with runs of whitespace as one space.
    pub fn company_key(&self) -> String {
        self.company_name.as_str().split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase()
    }
}

/// Wizard step 2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub name: DisplayName,
    pub email: Email,
    pub phone: String,
}

/// Wizard step 3 (R-INFO-11). Invariant of a complete filing: `description` is present exactly
/// when `has_relationship` is true.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SensitiveRelationships {
    pub has_relationship: bool,
    pub description: Option<String>,
}

/// What the applicant filled in, possibly partly: a step not yet done is `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HcpnForm {
    pub business: Option<BusinessInfo>,
    pub contact: Option<Contact>,
    pub sensitive_relationships: Option<SensitiveRelationships>,
    pub agreement_accepted: bool,
}

/// A complete filing: every step done and every free-text field trimmed, not blank and within
/// its limit. Built only by [`HcpnForm::complete`] (or rebuilt by the store from a stored one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HcpnFiling {
    pub business: BusinessInfo,
    pub contact: Contact,
    pub sensitive_relationships: SensitiveRelationships,
}

impl HcpnForm {
    pub const ADDRESS_MAX_CHARS: usize = 512;
    pub const WEBSITE_MAX_CHARS: usize = 256;
    pub const PHONE_MAX_CHARS: usize = 32;
    pub const DESCRIPTION_MAX_CHARS: usize = 2000;

    /// R-HCPN-02: checks every step and reports every incomplete one at once, in wizard
    /// order. A step is incomplete when it is missing, when a required field is blank or
    /// longer than its limit, or (step 3) when a relationship is declared without a
    /// description. An optional field left blank becomes `None`.
    pub fn complete(self) -> Result<HcpnFiling, Vec<WizardStep>> {
        let business = self.business.and_then(|b| {
            let address = bounded(&b.address, Self::ADDRESS_MAX_CHARS)?;
            let website = match b.website.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(w) => Some(bounded(w, Self::WEBSITE_MAX_CHARS)?),
            };
            Some(BusinessInfo { company_name: b.company_name, country: b.country, address, website })
        });
        let contact = self.contact.and_then(|c| {
            let phone = bounded(&c.phone, Self::PHONE_MAX_CHARS)?;
            Some(Contact { name: c.name, email: c.email, phone })
        });
        let sensitive = self.sensitive_relationships.and_then(|s| {
            let description = match (s.has_relationship, s.description.as_deref().map(str::trim)) {
                (true, Some(d)) => Some(bounded(d, Self::DESCRIPTION_MAX_CHARS)?),
                (true, None) => return None,
                (false, _) => None,
            };
            Some(SensitiveRelationships { has_relationship: s.has_relationship, description })
        });
        match (business, contact, sensitive, self.agreement_accepted) {
            (Some(business), Some(contact), Some(sensitive_relationships), true) => {
                Ok(HcpnFiling { business, contact, sensitive_relationships })
            }
            (business, contact, sensitive, agreement_accepted) => {
                let steps = [
                    (business.is_none(), WizardStep::BusinessInformation),
                    (contact.is_none(), WizardStep::ContactInformation),
                    (sensitive.is_none(), WizardStep::SensitiveRelationships),
                    (!agreement_accepted, WizardStep::Agreement),
                ];
                Err(steps.into_iter().filter_map(|(missing, step)| missing.then_some(step)).collect())
            }
        }
    }
}

/// The trimmed text if it is neither blank nor longer than `max` characters.
fn bounded(text: &str, max: usize) -> Option<String> {
    let text = text.trim();
    (!text.is_empty() && text.chars().count() <= max).then(|| text.to_owned())
}

/// Why the automatic check sent an application to manual review, so that the operator sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ManualReviewReason {
    AccountFrozen,
    AccountInArrears,
    /// R-ACCT-01: the legal entity's country differs from the account's registered country,
    /// which affects tax calculation and bills.
    CountryMismatch {
        business: CountryCode,
        account: CountryCode,
    },
    /// R-INFO-11: the applicant filed a sensitive relationship.
    SensitiveRelationshipFiled,
}

impl ManualReviewReason {
    /// The rule the reason comes from.
    pub fn rule(&self) -> &'static str {
        match self {
            ManualReviewReason::AccountFrozen | ManualReviewReason::AccountInArrears => "R-HCPN-04",
            ManualReviewReason::CountryMismatch { .. } => "R-ACCT-01",
            ManualReviewReason::SensitiveRelationshipFiled => "R-INFO-11",
        }
    }
}

impl fmt::Display for ManualReviewReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ManualReviewReason::AccountFrozen => f.write_str("the account is frozen"),
            ManualReviewReason::AccountInArrears => f.write_str("the account is in arrears"),
            ManualReviewReason::CountryMismatch { business, account } => {
                write!(f, "the company is registered in {} but the account in {}", business.as_str(), account.as_str())
            }
            ManualReviewReason::SensitiveRelationshipFiled => f.write_str("a sensitive relationship was filed"),
        }
    }
}

/// What the automatic system check reads about the applicant's account at review time (the
/// account may have changed since submission). The application itself supplies the business
/// country and the sensitive-relationship filing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AutoReviewFacts {
    pub account_frozen: bool,
    pub account_in_arrears: bool,
    pub account_country: CountryCode,
}

impl AutoReviewFacts {
    pub fn of(account: &Account) -> AutoReviewFacts {
        AutoReviewFacts {
            account_frozen: account.is_frozen(),
            account_in_arrears: account.arrears() > Money::ZERO,
            account_country: account.country().clone(),
        }
    }
}

/// R-HCPN-05: why an application was rejected, shown to the applicant. Trimmed, 1–2000
/// characters: an empty reason is refused.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RejectionReason(String);

impl RejectionReason {
    pub const MAX_LEN: usize = 2000;

    pub fn parse(text: &str) -> Result<RejectionReason, TextError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(TextError::Empty);
        }
        if text.chars().count() > Self::MAX_LEN {
            return Err(TextError::TooLong { max: Self::MAX_LEN });
        }
        Ok(RejectionReason(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// R-HCPN-04: the application's states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HcpnState {
    /// Waiting for the automatic system check.
    Submitted,
    /// The system check did not pass; every reason is kept for the operator.
    ManualReview { reasons: Vec<ManualReviewReason> },
    /// Final (R-HCPN-06).
    Approved,
    /// R-HCPN-05: the reason is kept and shown; the applicant may edit and resubmit.
    Rejected { reason: RejectionReason },
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HcpnError {
    /// R-HCPN-02: every incomplete step, in wizard order.
    #[error("the application is incomplete: {}", steps_list(.0))]
    StepsIncomplete(Vec<WizardStep>),
    /// R-HCPN-03.
    #[error("your company is already a Huawei Cloud partner: associate with your company instead of applying")]
    AlreadyPartner,
    #[error("the application is waiting for the automatic system check")]
    AwaitingSystemCheck,
    #[error("the application is in manual review")]
    InManualReview,
    /// R-HCPN-06: approval is final.
    #[error("the application is already approved")]
    AlreadyApproved,
    #[error("the application is rejected; edit and resubmit it")]
    AlreadyRejected,
}

fn steps_list(steps: &[WizardStep]) -> String {
    steps.iter().map(WizardStep::to_string).collect::<Vec<_>>().join(", ")
}

/// An account's application to join HCPN. One per account: the applicant's id is its key.
/// Transitions are pure: each returns the decided application (same `version`; the store
/// bumps it on a version-checked write) and changes nothing in place. Fields are private: the
/// store rebuilds an application with [`HcpnApplication::from_stored`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HcpnApplication {
    applicant: AccountId,
    filing: HcpnFiling,
    agreement_accepted_at: Timestamp,
    state: HcpnState,
    submitted_at: Timestamp,
    decided_at: Option<Timestamp>,
    version: i64,
}

/// A stored HCPN application's fields, for [`HcpnApplication::from_stored`].
pub struct StoredHcpnApplication {
    pub applicant: AccountId,
    pub filing: HcpnFiling,
    /// R-CERT-04: when the certification agreement was (last) accepted.
    pub agreement_accepted_at: Timestamp,
    pub state: HcpnState,
    /// The latest submission (a resubmission moves it).
    pub submitted_at: Timestamp,
    /// When the application was approved or rejected; `None` while submitted or in review.
    pub decided_at: Option<Timestamp>,
    pub version: i64,
}

impl HcpnApplication {
    /// Rebuilds a stored application. For the store only: it performs no check, because the
    /// values were decided by [`HcpnApplication::submit`] and the transitions.
    pub fn from_stored(s: StoredHcpnApplication) -> HcpnApplication {
        HcpnApplication {
            applicant: s.applicant,
            filing: s.filing,
            agreement_accepted_at: s.agreement_accepted_at,
            state: s.state,
            submitted_at: s.submitted_at,
            decided_at: s.decided_at,
            version: s.version,
        }
    }

    pub fn applicant(&self) -> &AccountId {
        &self.applicant
    }

    pub fn filing(&self) -> &HcpnFiling {
        &self.filing
    }

    /// R-CERT-04: when the certification agreement was (last) accepted.
    pub fn agreement_accepted_at(&self) -> Timestamp {
        self.agreement_accepted_at
    }

    pub fn state(&self) -> &HcpnState {
        &self.state
    }

    /// The latest submission (a resubmission moves it).
    pub fn submitted_at(&self) -> Timestamp {
        self.submitted_at
    }

    /// When the application was approved or rejected; `None` while submitted or in review.
    pub fn decided_at(&self) -> Option<Timestamp> {
        self.decided_at
    }

    /// The stored version this value was read at (optimistic concurrency).
    pub fn version(&self) -> i64 {
        self.version
    }

    /// Decides a new application. R-HCPN-01: only a registered account applies, which holding
    /// an `Account` proves. R-HCPN-03: if the account's company is already a partner, the user
    /// associates with the company instead; that is reported before the wizard's state,
    /// since no edit of the form can fix it. R-HCPN-02: otherwise every incomplete step is
    /// reported at once.
    pub fn submit(
        form: HcpnForm,
        account: &Account,
        already_partner: bool,
        now: Timestamp,
    ) -> Result<HcpnApplication, HcpnError> {
        if already_partner {
            return Err(HcpnError::AlreadyPartner);
        }
        let filing = form.complete().map_err(HcpnError::StepsIncomplete)?;
        Ok(HcpnApplication {
            applicant: account.id().clone(),
            filing,
            agreement_accepted_at: now,
            state: HcpnState::Submitted,
            submitted_at: now,
            decided_at: None,
            version: 0,
        })
    }

    /// Every reason the automatic check finds against the application, in a stable order
    /// (frozen, arrears, country mismatch, sensitive relationship); empty when it passes.
    pub fn manual_review_reasons(&self, facts: &AutoReviewFacts) -> Vec<ManualReviewReason> {
        let business_country = &self.filing.business.country;
        let checks = [
            (facts.account_frozen, ManualReviewReason::AccountFrozen),
            (facts.account_in_arrears, ManualReviewReason::AccountInArrears),
            (
                *business_country != facts.account_country,
                ManualReviewReason::CountryMismatch {
                    business: business_country.clone(),
                    account: facts.account_country.clone(),
                },
            ),
            (self.filing.sensitive_relationships.has_relationship, ManualReviewReason::SensitiveRelationshipFiled),
        ];
        checks.into_iter().filter_map(|(fails, reason)| fails.then_some(reason)).collect()
    }

    /// R-HCPN-04: `Submitted → Approved` when the automatic check passes, else
    /// `Submitted → Manual review`, keeping every reason.
    pub fn auto_review(&self, facts: &AutoReviewFacts, now: Timestamp) -> Result<HcpnApplication, HcpnError> {
        match &self.state {
            HcpnState::Submitted => {
                let reasons = self.manual_review_reasons(facts);
                if reasons.is_empty() {
                    Ok(self.with(HcpnState::Approved, Some(now)))
                } else {
                    Ok(self.with(HcpnState::ManualReview { reasons }, None))
                }
            }
            HcpnState::ManualReview { .. } => Err(HcpnError::InManualReview),
            HcpnState::Approved => Err(HcpnError::AlreadyApproved),
            HcpnState::Rejected { .. } => Err(HcpnError::AlreadyRejected),
        }
    }

    /// R-HCPN-04: `Manual review → Approved`, by the operator.
    pub fn approve(&self, now: Timestamp) -> Result<HcpnApplication, HcpnError> {
        self.in_manual_review()?;
        Ok(self.with(HcpnState::Approved, Some(now)))
    }

    /// R-HCPN-04, R-HCPN-05: `Manual review → Rejected`, by the operator, with the reason the
    /// applicant will see (an empty reason cannot be built: [`RejectionReason::parse`]).
    pub fn reject(&self, reason: RejectionReason, now: Timestamp) -> Result<HcpnApplication, HcpnError> {
        self.in_manual_review()?;
        Ok(self.with(HcpnState::Rejected { reason }, Some(now)))
    }

    /// R-HCPN-04: `Rejected → Submitted` after the applicant edits the application according
    /// to the rejection reason. The edited form is checked as on submission, R-HCPN-03
    /// included (the company may have become a partner meanwhile); the agreement is accepted
    /// again.
    pub fn resubmit(
        &self,
        form: HcpnForm,
        already_partner: bool,
        now: Timestamp,
    ) -> Result<HcpnApplication, HcpnError> {
        match &self.state {
            HcpnState::Rejected { .. } => {}
            HcpnState::Submitted => return Err(HcpnError::AwaitingSystemCheck),
            HcpnState::ManualReview { .. } => return Err(HcpnError::InManualReview),
            HcpnState::Approved => return Err(HcpnError::AlreadyApproved),
        }
        if already_partner {
            return Err(HcpnError::AlreadyPartner);
        }
        let filing = form.complete().map_err(HcpnError::StepsIncomplete)?;
        Ok(HcpnApplication {
            applicant: self.applicant.clone(),
            filing,
            agreement_accepted_at: now,
            state: HcpnState::Submitted,
            submitted_at: now,
            decided_at: None,
            version: self.version,
        })
    }

    /// R-HCPN-08: an approved applicant is made a partner (at the Standard tier).
    pub fn is_approved(&self) -> bool {
        match self.state {
            HcpnState::Approved => true,
            HcpnState::Submitted | HcpnState::ManualReview { .. } | HcpnState::Rejected { .. } => false,
        }
    }

    /// R-HCPN-05: the reason to show the applicant, while the application is rejected.
    pub fn rejection_reason(&self) -> Option<&RejectionReason> {
        match &self.state {
            HcpnState::Rejected { reason } => Some(reason),
            HcpnState::Submitted | HcpnState::ManualReview { .. } | HcpnState::Approved => None,
        }
    }

    fn in_manual_review(&self) -> Result<(), HcpnError> {
        match self.state {
            HcpnState::ManualReview { .. } => Ok(()),
            HcpnState::Submitted => Err(HcpnError::AwaitingSystemCheck),
            HcpnState::Approved => Err(HcpnError::AlreadyApproved),
            HcpnState::Rejected { .. } => Err(HcpnError::AlreadyRejected),
        }
    }

    fn with(&self, state: HcpnState, decided_at: Option<Timestamp>) -> HcpnApplication {
        HcpnApplication { state, decided_at, ..self.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::AccountName;
    use crate::time::Millis;

    fn now() -> Timestamp {
        Timestamp::from_unix_ms(1_700_000_000_000)
    }

    fn later() -> Timestamp {
        now().plus(Millis::days(1))
    }

    fn country(code: &str) -> CountryCode {
        CountryCode::parse(code).unwrap()
    }

    fn account() -> Account {
        Account::new_registered(
            AccountId::from_random([3; 16]),
            AccountName::parse("applicant01").unwrap(),
            country("SG"),
            now(),
        )
    }

    #[test]
    fn r_prog_23_accounts_of_one_company_share_its_key() {
        let key = |name: &str| {
            BusinessInfo {
                company_name: DisplayName::parse(name).unwrap(),
                country: country("SG"),
                address: String::new(),
                website: None,
            }
            .company_key()
        };
        assert_eq!(key("Example  Ltd"), key(" example LTD"));
        assert_ne!(key("Example Ltd"), key("Example Pte Ltd"));
        assert_eq!(key("Ünïcode Co"), "Ünïcode co", "only ASCII letters fold");
    }

    fn form() -> HcpnForm {
        HcpnForm {
            business: Some(BusinessInfo {
                company_name: DisplayName::parse("Example Ltd").unwrap(),
                country: country("SG"),
                address: " 1 Example Road, Singapore ".to_owned(),
                website: Some("  ".to_owned()),
            }),
            contact: Some(Contact {
                name: DisplayName::parse("Ana Lim").unwrap(),
                email: Email::parse("ana@example.com").unwrap(),
                phone: "+65 6000 0000".to_owned(),
            }),
            sensitive_relationships: Some(SensitiveRelationships { has_relationship: false, description: None }),
            agreement_accepted: true,
        }
    }

    fn passing() -> AutoReviewFacts {
        AutoReviewFacts::of(&account())
    }

    fn submitted() -> HcpnApplication {
        HcpnApplication::submit(form(), &account(), false, now()).unwrap()
    }

    fn in_state(state: HcpnState) -> HcpnApplication {
        HcpnApplication { state, ..submitted() }
    }

    fn manual_review() -> HcpnState {
        HcpnState::ManualReview { reasons: vec![ManualReviewReason::AccountFrozen] }
    }

    fn rejected() -> HcpnState {
        HcpnState::Rejected { reason: RejectionReason::parse("Company name does not match the licence").unwrap() }
    }

    /// One transition on an application in `from`; the expected new state and `decided_at`,
    /// or the expected error.
    enum Op {
        AutoReview(AutoReviewFacts),
        Approve,
        Reject,
        Resubmit,
    }

    fn check(from: HcpnState, op: Op, expected: Result<(HcpnState, Option<Timestamp>), HcpnError>) {
        let app = in_state(from.clone());
        let reason = RejectionReason::parse("Company name does not match the licence").unwrap();
        let got = match op {
            Op::AutoReview(facts) => app.auto_review(&facts, later()),
            Op::Approve => app.approve(later()),
            Op::Reject => app.reject(reason, later()),
            Op::Resubmit => app.resubmit(form(), false, later()),
        };
        let got = got.map(|a| {
            assert_eq!(a.applicant, app.applicant, "from {from:?}");
            assert_eq!(a.version, app.version, "from {from:?}: the store bumps the version");
            (a.state, a.decided_at)
        });
        assert_eq!(got, expected, "from {from:?}");
    }

    #[test]
    fn r_hcpn_02_a_complete_wizard_submits_trimmed() {
        let app = submitted();
        assert_eq!(app.state, HcpnState::Submitted);
        assert_eq!(app.applicant, account().id().clone());
        assert_eq!((app.submitted_at, app.agreement_accepted_at, app.decided_at), (now(), now(), None));
        assert_eq!(app.filing.business.address, "1 Example Road, Singapore");
        assert_eq!(app.filing.business.website, None);
        assert!(!app.is_approved());
    }

    #[test]
    fn r_hcpn_02_every_incomplete_step_is_reported_at_once() {
        use WizardStep::{Agreement, BusinessInformation, ContactInformation};
        let sensitive = WizardStep::SensitiveRelationships;
        let blank =
            HcpnForm { business: None, contact: None, sensitive_relationships: None, agreement_accepted: false };
        let cases: Vec<(HcpnForm, Vec<WizardStep>)> = vec![
            (blank, vec![BusinessInformation, ContactInformation, sensitive, Agreement]),
            (HcpnForm { agreement_accepted: false, ..form() }, vec![Agreement]),
            (HcpnForm { business: None, ..form() }, vec![BusinessInformation]),
            (
                HcpnForm {
                    business: form().business.map(|b| BusinessInfo { address: "  ".into(), ..b }),
                    contact: form().contact.map(|c| Contact { phone: "1".repeat(33), ..c }),
                    ..form()
                },
                vec![BusinessInformation, ContactInformation],
            ),
            (
                HcpnForm {
                    business: form().business.map(|b| BusinessInfo { website: Some("w".repeat(257)), ..b }),
                    ..form()
                },
                vec![BusinessInformation],
            ),
            (
                // R-INFO-11: a declared relationship needs a description.
                HcpnForm {
                    sensitive_relationships: Some(SensitiveRelationships {
                        has_relationship: true,
                        description: Some(" ".into()),
                    }),
                    ..form()
                },
                vec![sensitive],
            ),
            (
                HcpnForm {
                    sensitive_relationships: Some(SensitiveRelationships { has_relationship: true, description: None }),
                    agreement_accepted: false,
                    ..form()
                },
                vec![sensitive, Agreement],
            ),
        ];
        for (form, steps) in cases {
            assert_eq!(HcpnApplication::submit(form, &account(), false, now()), Err(HcpnError::StepsIncomplete(steps)));
        }
    }

    #[test]
    fn r_info_11_a_declared_relationship_keeps_its_description_and_an_undeclared_one_drops_it() {
        let declared = HcpnForm {
            sensitive_relationships: Some(SensitiveRelationships {
                has_relationship: true,
                description: Some(" Director is a civil servant ".into()),
            }),
            ..form()
        };
        let filing = declared.complete().unwrap();
        assert_eq!(filing.sensitive_relationships.description.as_deref(), Some("Director is a civil servant"));
        let undeclared = HcpnForm {
            sensitive_relationships: Some(SensitiveRelationships {
                has_relationship: false,
                description: Some("stale".into()),
            }),
            ..form()
        };
        assert_eq!(undeclared.complete().unwrap().sensitive_relationships.description, None);
    }

    #[test]
    fn r_hcpn_03_a_company_already_partner_associates_instead() {
        let incomplete = HcpnForm { agreement_accepted: false, ..form() };
        assert_eq!(HcpnApplication::submit(incomplete, &account(), true, now()), Err(HcpnError::AlreadyPartner));
        let rejected = in_state(rejected());
        assert_eq!(rejected.resubmit(form(), true, later()), Err(HcpnError::AlreadyPartner));
        assert!(HcpnError::AlreadyPartner.to_string().contains("associate with your company"));
    }

    #[test]
    fn r_hcpn_04_the_automatic_check_approves_or_sends_to_manual_review_with_every_reason() {
        use ManualReviewReason::*;
        check(HcpnState::Submitted, Op::AutoReview(passing()), Ok((HcpnState::Approved, Some(later()))));
        let mismatch = CountryMismatch { business: country("SG"), account: country("HK") };
        let cases: Vec<(AutoReviewFacts, Vec<ManualReviewReason>)> = vec![
            (AutoReviewFacts { account_frozen: true, ..passing() }, vec![AccountFrozen]),
            (AutoReviewFacts { account_in_arrears: true, ..passing() }, vec![AccountInArrears]),
            // R-ACCT-01
            (AutoReviewFacts { account_country: country("HK"), ..passing() }, vec![mismatch.clone()]),
            (
                AutoReviewFacts { account_frozen: true, account_in_arrears: true, account_country: country("HK") },
                vec![AccountFrozen, AccountInArrears, mismatch],
            ),
        ];
        for (facts, reasons) in cases {
            check(HcpnState::Submitted, Op::AutoReview(facts), Ok((HcpnState::ManualReview { reasons }, None)));
        }
        // R-INFO-11: a filed sensitive relationship is for a person to judge.
        let mut app = submitted();
        app.filing.sensitive_relationships =
            SensitiveRelationships { has_relationship: true, description: Some("Director is a civil servant".into()) };
        assert_eq!(
            app.auto_review(&passing(), later()).unwrap().state,
            HcpnState::ManualReview { reasons: vec![SensitiveRelationshipFiled] }
        );
    }

    #[test]
    fn r_hcpn_04_auto_review_facts_come_from_the_account() {
        let mut a = account();
        assert_eq!(
            AutoReviewFacts::of(&a),
            AutoReviewFacts { account_frozen: false, account_in_arrears: false, account_country: country("SG") }
        );
        a.edit(|a| {
            a.arrears = Money::from_major(1).unwrap();
            a.freeze = Some(crate::account::Freeze {
                scope: crate::account::FreezeScope::Account,
                cause: crate::account::FreezeCause::Partner,
                since: now(),
            });
        });
        let facts = AutoReviewFacts::of(&a);
        assert!(facts.account_frozen && facts.account_in_arrears);
    }

    #[test]
    fn r_hcpn_04_manual_review_approves_or_rejects() {
        check(manual_review(), Op::Approve, Ok((HcpnState::Approved, Some(later()))));
        check(manual_review(), Op::Reject, Ok((rejected(), Some(later()))));
    }

    #[test]
    fn r_hcpn_04_a_rejected_application_is_resubmitted() {
        check(rejected(), Op::Resubmit, Ok((HcpnState::Submitted, None)));
        let resubmitted = in_state(rejected()).resubmit(form(), false, later()).unwrap();
        assert_eq!((resubmitted.submitted_at, resubmitted.agreement_accepted_at), (later(), later()));
        assert_eq!(
            in_state(rejected()).resubmit(HcpnForm { contact: None, ..form() }, false, later()),
            Err(HcpnError::StepsIncomplete(vec![WizardStep::ContactInformation]))
        );
    }

    #[test]
    fn r_hcpn_04_illegal_transitions_are_refused_by_name() {
        let cases = [
            (manual_review(), Op::AutoReview(passing()), HcpnError::InManualReview),
            (manual_review(), Op::Resubmit, HcpnError::InManualReview),
            (HcpnState::Submitted, Op::Approve, HcpnError::AwaitingSystemCheck),
            (HcpnState::Submitted, Op::Reject, HcpnError::AwaitingSystemCheck),
            (HcpnState::Submitted, Op::Resubmit, HcpnError::AwaitingSystemCheck),
            (rejected(), Op::AutoReview(passing()), HcpnError::AlreadyRejected),
            (rejected(), Op::Approve, HcpnError::AlreadyRejected),
            (rejected(), Op::Reject, HcpnError::AlreadyRejected),
        ];
        for (from, op, error) in cases {
            check(from, op, Err(error));
        }
    }

    #[test]
    fn r_hcpn_06_approval_is_final() {
        for op in [Op::AutoReview(passing()), Op::Approve, Op::Reject, Op::Resubmit] {
            check(HcpnState::Approved, op, Err(HcpnError::AlreadyApproved));
        }
    }

    #[test]
    fn r_hcpn_05_the_rejection_reason_is_kept_and_must_not_be_empty() {
        let app =
            in_state(manual_review()).reject(RejectionReason::parse("  Wrong address ").unwrap(), later()).unwrap();
        assert_eq!(app.rejection_reason().map(RejectionReason::as_str), Some("Wrong address"));
        assert_eq!(submitted().rejection_reason(), None);
        assert_eq!(RejectionReason::parse(" \t "), Err(TextError::Empty));
        assert_eq!(RejectionReason::parse(&"x".repeat(2001)), Err(TextError::TooLong { max: 2000 }));
    }

    #[test]
    fn r_hcpn_08_is_approved_only_when_approved() {
        for (state, approved) in
            [(HcpnState::Submitted, false), (manual_review(), false), (HcpnState::Approved, true), (rejected(), false)]
        {
            assert_eq!(in_state(state).is_approved(), approved);
        }
        assert_eq!(APPROVED_MESSAGE, "You are a Huawei Cloud partner.");
    }

    #[test]
    fn every_manual_review_reason_names_its_rule() {
        let all = [
            ManualReviewReason::AccountFrozen,
            ManualReviewReason::AccountInArrears,
            ManualReviewReason::CountryMismatch { business: country("SG"), account: country("HK") },
            ManualReviewReason::SensitiveRelationshipFiled,
        ];
        for reason in all {
            assert!(reason.rule().starts_with("R-") && reason.rule().len() == 9, "{reason:?}");
            assert!(!reason.to_string().is_empty());
        }
        assert_eq!(
            ManualReviewReason::CountryMismatch { business: country("SG"), account: country("HK") }.to_string(),
            "the company is registered in SG but the account in HK"
        );
    }
}
