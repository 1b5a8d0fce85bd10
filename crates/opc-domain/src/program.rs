//! Partner-program applications and their eligibility checks (R-PROG-03 … R-PROG-40).
//!
//! [`eligibility`] evaluates every condition of a program and returns every failing [`Cause`]
//! at once, each with its rule, message and fix (R-PROG-05; RULES.md "Eligibility checks").
//! [`ProgramApplication`] is the R-PROG-04 state machine.
//!
//! Which conditions apply to which program:
//! - every program: the account is an HCPN partner (R-PROG-03, which names CSP and DPP; for the
//!   others it is implied by R-HCPN-07: programs are joined after HCPN), and is neither
//!   enrolled in nor applying to the same program (R-PROG-04);
//! - CSP: R-PROG-06 … R-PROG-17, in rule order;
//! - DPP: R-PROG-27, R-PROG-29 … R-PROG-38, in rule order;
//! - Reseller, KooGallery Seller and Sales, Carrier, Partner Competency: the seeds document no
//!   further condition (R-PROG-42 defers to KooGallery's own requirements; R-PROG-43 is a
//!   separate agreement, not an eligibility condition), so only the common ones apply.

use crate::account::{Account, AccountType, EnterpriseRole, RealNameStatus};
use crate::association::AssociationModel;
use crate::hcpn::RejectionReason;
use crate::ids::AccountId;
use crate::money::Money;
use crate::partner::Program;
use crate::text::CountryCode;
use crate::time::Timestamp;

/// One reason an account cannot join a program. Variants are declared in the order
/// [`eligibility`] reports them: prerequisites, then the program's own reasons in rule order.
/// A reason the seeds give for both CSP and DPP has one variant per program, because each has
/// its own rule and fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cause {
    /// R-PROG-03.
    NotHcpnPartner,
    /// R-PROG-04: the program is already under Partner Programs Enrolled.
    AlreadyEnrolled,
    /// R-PROG-04: an application to the program is under review (Requested Partner Programs).
    AlreadyPending,

    /// R-PROG-06.
    CspNotEnterprise,
    /// R-PROG-07, R-PROG-23: one CSP account per company and business area.
    CspBusinessAreaTaken,
    /// R-PROG-08.
    CspOnDevelopmentPath,
    /// R-PROG-09, R-PROG-28. An application to DPP under review counts too (implied: otherwise
    /// both could be approved and the exclusion of R-PROG-28 broken).
    CspInDpp,
    /// R-PROG-10, with R-PROG-18 (pay-per-use resources) and R-PROG-19 (card plus resources)
    /// folded in: the account's facts do not tell pay-per-use resources apart. Valid reserved
    /// instances count as resources (R-ACCT-20).
    CspResourcesInUse,
    /// R-PROG-11.
    CspInArrears,
    /// R-PROG-12.
    CspHasConsumption,
    /// R-PROG-13.
    CspAssociatedWithPartner,
    /// R-PROG-14.
    CspEnterpriseMasterOrMember,
    /// R-PROG-15: real-name authentication under review or passed.
    CspRealNameAuthentication,
    /// R-PROG-16.
    CspBdPreregistered,
    /// R-PROG-17.
    CspCreditCardLinked,

    /// R-PROG-27.
    DppNotInvited,
    /// R-PROG-29, R-PROG-28: joined or joining CSP.
    DppInCsp,
    /// R-PROG-30: associated in the reseller model.
    DppResellerCustomer,
    /// R-PROG-31, with R-PROG-39 (pay-per-use resources) folded in: the account's facts do not
    /// tell pay-per-use resources apart. Valid reserved instances count (R-ACCT-20).
    DppResourcesInUse,
    /// R-PROG-32.
    DppFrozen,
    /// R-PROG-33.
    DppHasConsumption,
    /// R-PROG-34.
    DppInArrears,
    /// R-PROG-35.
    DppEnterpriseMasterOrMember,
    /// R-PROG-36.
    DppCreditAccount,
    /// R-PROG-37.
    DppBdPreregistered,
    /// R-PROG-38: real-name authentication under review or passed.
    DppRealNameAuthentication,
}

impl Cause {
    /// Every cause, in declaration (and report) order.
    pub const ALL: [Cause; 26] = [
        Cause::NotHcpnPartner,
        Cause::AlreadyEnrolled,
        Cause::AlreadyPending,
        Cause::CspNotEnterprise,
        Cause::CspBusinessAreaTaken,
        Cause::CspOnDevelopmentPath,
        Cause::CspInDpp,
        Cause::CspResourcesInUse,
        Cause::CspInArrears,
        Cause::CspHasConsumption,
        Cause::CspAssociatedWithPartner,
        Cause::CspEnterpriseMasterOrMember,
        Cause::CspRealNameAuthentication,
        Cause::CspBdPreregistered,
        Cause::CspCreditCardLinked,
        Cause::DppNotInvited,
        Cause::DppInCsp,
        Cause::DppResellerCustomer,
        Cause::DppResourcesInUse,
        Cause::DppFrozen,
        Cause::DppHasConsumption,
        Cause::DppInArrears,
        Cause::DppEnterpriseMasterOrMember,
        Cause::DppCreditAccount,
        Cause::DppBdPreregistered,
        Cause::DppRealNameAuthentication,
    ];

    /// The rule the cause comes from (the first one, where several are folded together).
    pub fn rule(&self) -> &'static str {
        match self {
            Cause::NotHcpnPartner => "R-PROG-03",
            Cause::AlreadyEnrolled | Cause::AlreadyPending => "R-PROG-04",
            Cause::CspNotEnterprise => "R-PROG-06",
            Cause::CspBusinessAreaTaken => "R-PROG-07",
            Cause::CspOnDevelopmentPath => "R-PROG-08",
            Cause::CspInDpp => "R-PROG-09",
            Cause::CspResourcesInUse => "R-PROG-10",
            Cause::CspInArrears => "R-PROG-11",
            Cause::CspHasConsumption => "R-PROG-12",
            Cause::CspAssociatedWithPartner => "R-PROG-13",
            Cause::CspEnterpriseMasterOrMember => "R-PROG-14",
            Cause::CspRealNameAuthentication => "R-PROG-15",
            Cause::CspBdPreregistered => "R-PROG-16",
            Cause::CspCreditCardLinked => "R-PROG-17",
            Cause::DppNotInvited => "R-PROG-27",
            Cause::DppInCsp => "R-PROG-29",
            Cause::DppResellerCustomer => "R-PROG-30",
            Cause::DppResourcesInUse => "R-PROG-31",
            Cause::DppFrozen => "R-PROG-32",
            Cause::DppHasConsumption => "R-PROG-33",
            Cause::DppInArrears => "R-PROG-34",
            Cause::DppEnterpriseMasterOrMember => "R-PROG-35",
            Cause::DppCreditAccount => "R-PROG-36",
            Cause::DppBdPreregistered => "R-PROG-37",
            Cause::DppRealNameAuthentication => "R-PROG-38",
        }
    }

    /// What is wrong, in one sentence.
    pub fn message(&self) -> &'static str {
        match self {
            Cause::NotHcpnPartner => "The account is not an HCPN partner.",
            Cause::AlreadyEnrolled => "The account has already joined this program.",
            Cause::AlreadyPending => "An application of this account to this program is under review.",
            Cause::CspNotEnterprise => "Only enterprise accounts may apply to the Cloud Solution Provider Program.",
            Cause::CspBusinessAreaTaken => {
                "Another account of the company has already joined the Cloud Solution Provider Program in this business area."
            }
            Cause::CspOnDevelopmentPath => "The account has already joined a development path.",
            Cause::CspInDpp => "The account has joined, or is applying to, the Distribution Partner Program.",
            Cause::CspResourcesInUse => "Resources, pay-per-use ones included, are provisioned for the account.",
            Cause::CspInArrears | Cause::DppInArrears => "The account is in arrears.",
            Cause::CspHasConsumption | Cause::DppHasConsumption => "The account has consumption records.",
            Cause::CspAssociatedWithPartner => "The account is associated with a partner.",
            Cause::CspEnterpriseMasterOrMember | Cause::DppEnterpriseMasterOrMember => {
                "The account is an enterprise master account or member account."
            }
            Cause::CspRealNameAuthentication | Cause::DppRealNameAuthentication => {
                "The account is being used for, or has passed, real-name authentication."
            }
            Cause::CspBdPreregistered | Cause::DppBdPreregistered => "The account has been pre-registered by a Huawei BD.",
            Cause::CspCreditCardLinked => "A credit card is linked to the account.",
            Cause::DppNotInvited => "The Distribution Partner Program is joined by invitation only.",
            Cause::DppInCsp => "The account has joined, or is applying to, the Cloud Solution Provider Program.",
            Cause::DppResellerCustomer => "The account belongs to a customer of a reseller.",
            Cause::DppResourcesInUse => "The account has resources in use, pay-per-use ones included.",
            Cause::DppFrozen => "The account is frozen.",
            Cause::DppCreditAccount => "The account has a credit account.",
        }
    }

    /// The suggested fix. Where the seeds document one it is theirs (R-PROG-08, -12, -17,
    /// -18, -27, -30, -31, -34, -39, R-ACCT-06); the others are implied and marked so in
    /// the code below.
    pub fn fix(&self) -> &'static str {
        match self {
            Cause::NotHcpnPartner => "Apply to join HCPN first, then apply to the program.",
            Cause::AlreadyEnrolled => "Nothing to do: the program is listed under Partner Programs Enrolled.",
            Cause::AlreadyPending => "Wait for the review of the application listed under Requested Partner Programs.",
            Cause::CspNotEnterprise => {
                "Change the account to an enterprise account in Basic Information > HUAWEI CLOUD Tenant Information (R-ACCT-06)."
            }
            // Implied by R-PROG-22 and R-PROG-23.
            Cause::CspBusinessAreaTaken => {
                "Choose another business area, or use the company's account that already joined in this one."
            }
            Cause::CspOnDevelopmentPath
            | Cause::CspHasConsumption
            | Cause::CspRealNameAuthentication
            | Cause::CspEnterpriseMasterOrMember
            | Cause::CspInDpp => "Register a new account and apply with it (R-ACCT-13).",
            Cause::CspResourcesInUse => {
                "Release pay-per-use resources on the console or register a new account; with a credit card linked, disable and unsubscribe all resources through a service ticket (R-PROG-19)."
            }
            Cause::CspInArrears | Cause::DppInArrears => "Top up to pay off the arrears.",
            // Implied: disassociation ends an association (R-ASSOC-30).
            Cause::CspAssociatedWithPartner => {
                "Disassociate from the partner first, or register a new account and apply with it (R-ACCT-13)."
            }
            // Implied: only the BD can release its pre-registration.
            Cause::CspBdPreregistered => {
                "Ask the Huawei BD who pre-registered the account to release it, or register a new account and apply with it (R-ACCT-13)."
            }
            Cause::CspCreditCardLinked => {
                "Register a new account without a credit card and apply with it; the program needs no card (R-PROG-20)."
            }
            Cause::DppNotInvited => "Ask for an invitation from your local ecosystem manager.",
            // Implied by R-PROG-28.
            Cause::DppInCsp => "Use another account: an account in the Cloud Solution Provider Program cannot join.",
            Cause::DppResellerCustomer => "Disassociate from the reseller first.",
            Cause::DppResourcesInUse => {
                "Disable the resources and release pay-per-use resources on the console, or register a new account."
            }
            // Implied: the freeze's cause (arrears, a partner) decides who lifts it.
            Cause::DppFrozen => "Have the account unfrozen before applying.",
            // Implied: DPP is by invitation, so a new account needs its own invitation.
            Cause::DppHasConsumption
            | Cause::DppEnterpriseMasterOrMember
            | Cause::DppCreditAccount
            | Cause::DppRealNameAuthentication => {
                "Register a new account and ask your local ecosystem manager to invite it."
            }
            Cause::DppBdPreregistered => {
                "Ask the Huawei BD who pre-registered the account to release it, or register a new account and ask your local ecosystem manager to invite it."
            }
        }
    }
}

/// Everything the eligibility checks read that is not on [`Account`].
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct EligibilityFacts {
    pub is_hcpn_partner: bool,
    /// Programs the account has joined.
    pub enrolled: Vec<Program>,
    /// Programs the account has applied to, with the application under review.
    pub pending: Vec<Program>,
    /// R-PROG-02: the account has joined a development path.
    pub joined_development_path: bool,
    /// The account's current association as a customer, if any.
    pub associated_partner: Option<AssociationModel>,
    /// R-PROG-23: another account of the company has already joined CSP in the business area
    /// being applied for (computed by the caller for that area).
    pub business_area_taken: bool,
    /// R-PROG-27: the account holds a valid DPP invitation.
    pub invited_to_dpp: bool,
}

impl EligibilityFacts {
    fn in_or_joining(&self, program: Program) -> bool {
        self.enrolled.contains(&program) || self.pending.contains(&program)
    }
}

/// R-PROG-05: every failing condition of `program` for the account, in [`Cause`] declaration
/// order (prerequisites, then the program's reasons in rule order). Never stops at the first.
/// Empty when the account may apply.
pub fn eligibility(program: Program, account: &Account, facts: &EligibilityFacts) -> Vec<Cause> {
    let mut checks = vec![
        (Cause::NotHcpnPartner, !facts.is_hcpn_partner),
        (Cause::AlreadyEnrolled, facts.enrolled.contains(&program)),
        (Cause::AlreadyPending, facts.pending.contains(&program)),
    ];
    match program {
        Program::CloudSolutionProvider => checks.extend(csp_checks(account, facts)),
        Program::DistributionPartner => checks.extend(dpp_checks(account, facts)),
        // No further documented conditions (see the module documentation).
        Program::Reseller
        | Program::KooGallerySeller
        | Program::KooGallerySales
        | Program::Carrier
        | Program::PartnerCompetency => {}
    }
    let causes: Vec<Cause> = checks.into_iter().filter_map(|(cause, fails)| fails.then_some(cause)).collect();
    debug_assert!(causes.is_sorted(), "causes are reported in declaration order");
    causes
}

/// Facts about the account shared by the CSP and DPP lists.
fn has_resources(account: &Account) -> bool {
    account.resources_in_use() > 0 || account.reserved_instances() > 0
}

fn in_enterprise_structure(account: &Account) -> bool {
    match account.enterprise() {
        EnterpriseRole::Standalone => false,
        EnterpriseRole::Master { .. } | EnterpriseRole::Member { .. } => true,
    }
}

fn real_name_used(account: &Account) -> bool {
    match account.real_name() {
        RealNameStatus::UnderReview | RealNameStatus::Verified => true,
        RealNameStatus::NotVerified | RealNameStatus::Rejected | RealNameStatus::Failed => false,
    }
}

/// R-PROG-06 … R-PROG-17.
fn csp_checks(account: &Account, facts: &EligibilityFacts) -> [(Cause, bool); 12] {
    let enterprise = match account.account_type() {
        AccountType::Enterprise => true,
        AccountType::Unset | AccountType::Individual => false,
    };
    [
        (Cause::CspNotEnterprise, !enterprise),
        (Cause::CspBusinessAreaTaken, facts.business_area_taken),
        (Cause::CspOnDevelopmentPath, facts.joined_development_path),
        (Cause::CspInDpp, facts.in_or_joining(Program::DistributionPartner)),
        (Cause::CspResourcesInUse, has_resources(account)),
        (Cause::CspInArrears, account.arrears() > Money::ZERO),
        (Cause::CspHasConsumption, account.consumption() > Money::ZERO),
        (Cause::CspAssociatedWithPartner, facts.associated_partner.is_some()),
        (Cause::CspEnterpriseMasterOrMember, in_enterprise_structure(account)),
        (Cause::CspRealNameAuthentication, real_name_used(account)),
        (Cause::CspBdPreregistered, account.bd_preregistered()),
        (Cause::CspCreditCardLinked, account.has_credit_card()),
    ]
}

/// R-PROG-27, R-PROG-29 … R-PROG-38.
fn dpp_checks(account: &Account, facts: &EligibilityFacts) -> [(Cause, bool); 11] {
    let reseller_customer = match facts.associated_partner {
        Some(AssociationModel::Reseller) => true,
        Some(AssociationModel::Referral) | None => false,
    };
    [
        (Cause::DppNotInvited, !facts.invited_to_dpp),
        (Cause::DppInCsp, facts.in_or_joining(Program::CloudSolutionProvider)),
        (Cause::DppResellerCustomer, reseller_customer),
        (Cause::DppResourcesInUse, has_resources(account)),
        (Cause::DppFrozen, account.is_frozen()),
        (Cause::DppHasConsumption, account.consumption() > Money::ZERO),
        (Cause::DppInArrears, account.arrears() > Money::ZERO),
        (Cause::DppEnterpriseMasterOrMember, in_enterprise_structure(account)),
        (Cause::DppCreditAccount, account.has_credit_account()),
        (Cause::DppBdPreregistered, account.bd_preregistered()),
        (Cause::DppRealNameAuthentication, real_name_used(account)),
    ]
}

/// R-PROG-04: a program application's states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProgramApplicationState {
    /// Listed under Requested Partner Programs, with review progress.
    Submitted,
    /// The program is then listed under Partner Programs Enrolled.
    Approved,
    Rejected {
        reason: RejectionReason,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    /// R-PROG-05: every failing cause, in report order.
    #[error("the account cannot apply: {}", causes_list(.0))]
    Ineligible(Vec<Cause>),
    /// R-PROG-24, R-PROG-41: wizard steps not completed, every one.
    #[error("the application is incomplete: {}", agreements_list(.0))]
    StepsIncomplete(Vec<Agreement>),
}

fn agreements_list(missing: &[Agreement]) -> String {
    missing.iter().map(|a| format!("{} {} ({})", a.step(), a.title(), a.rule())).collect::<Vec<_>>().join("; ")
}

/// A document an application accepts, or a questionnaire it completes (R-CERT-05, R-CERT-06,
/// R-CERT-08). They are the application wizard's steps (R-PROG-24, R-PROG-41) and can be
/// queried afterwards (R-CERT-09).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Agreement {
    /// R-CERT-05, R-PROG-24 step 1.
    CspCooperation,
    /// R-CERT-05, R-PROG-24 step 4, R-INFO-08.
    AntiBriberyQuestionnaire,
    /// R-CERT-06, R-PROG-41 step 3.
    HuaweiIdAssociationStatement,
    /// R-CERT-06, R-PROG-41 step 5.
    DistributionCooperation,
    /// R-CERT-08, R-PROG-43.
    CarrierCooperation,
}

impl Agreement {
    pub const ALL: [Agreement; 5] = [
        Agreement::CspCooperation,
        Agreement::AntiBriberyQuestionnaire,
        Agreement::HuaweiIdAssociationStatement,
        Agreement::DistributionCooperation,
        Agreement::CarrierCooperation,
    ];

    /// The document's title, as the seeds name it.
    pub fn title(self) -> &'static str {
        match self {
            Agreement::CspCooperation => "Huawei Cloud Solution Provider Cooperation Agreement",
            Agreement::AntiBriberyQuestionnaire => {
                "HUAWEI CLOUD Partner Anti-Commercial Bribery Due Diligence Questionnaire"
            }
            Agreement::HuaweiIdAssociationStatement => "Statement for HUAWEI ID Association with Huawei Cloud Partner",
            Agreement::DistributionCooperation => "Huawei Cloud Distribution Cooperation Agreement",
            Agreement::CarrierCooperation => "Carrier Partner Cooperation Agreement",
        }
    }

    /// "accept the" or "complete the".
    fn step(self) -> &'static str {
        match self {
            Agreement::AntiBriberyQuestionnaire => "complete the",
            _ => "accept the",
        }
    }

    pub fn rule(self) -> &'static str {
        match self {
            Agreement::CspCooperation | Agreement::AntiBriberyQuestionnaire => "R-CERT-05",
            Agreement::HuaweiIdAssociationStatement | Agreement::DistributionCooperation => "R-CERT-06",
            Agreement::CarrierCooperation => "R-CERT-08",
        }
    }
}

/// What an application to `program` must accept or complete, in wizard order (R-PROG-24,
/// R-PROG-41, R-PROG-43). The other programs' applications sign nothing beyond HCPN's
/// certification agreement (R-CERT-04).
pub fn required_agreements(program: Program) -> &'static [Agreement] {
    match program {
        Program::CloudSolutionProvider => &[Agreement::CspCooperation, Agreement::AntiBriberyQuestionnaire],
        Program::DistributionPartner => &[Agreement::HuaweiIdAssociationStatement, Agreement::DistributionCooperation],
        Program::Carrier => &[Agreement::CarrierCooperation],
        Program::Reseller | Program::KooGallerySeller | Program::KooGallerySales | Program::PartnerCompetency => &[],
    }
}

fn causes_list(causes: &[Cause]) -> String {
    causes.iter().map(|c| format!("{} ({})", c.message(), c.rule())).collect::<Vec<_>>().join(" ")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProgramDecisionError {
    #[error("the application is already approved")]
    AlreadyApproved,
    #[error("the application is already rejected")]
    AlreadyRejected,
}

/// An account's application to one partner program. Fields are private: `business_area` is
/// fixed at application and no operation changes it (R-PROG-22), so there are getters and no
/// setters. Transitions are pure: each returns the decided application with the same
/// `version` (the store bumps it on a version-checked write).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramApplication {
    applicant: AccountId,
    program: Program,
    business_area: CountryCode,
    state: ProgramApplicationState,
    /// What the application accepted or completed (R-CERT-09), in [`Agreement`] order.
    agreements: Vec<Agreement>,
    submitted_at: Timestamp,
    decided_at: Option<Timestamp>,
    version: i64,
}

/// A stored application's fields, for [`ProgramApplication::from_stored`].
pub struct StoredApplication {
    pub applicant: AccountId,
    pub program: Program,
    pub business_area: CountryCode,
    pub state: ProgramApplicationState,
    pub agreements: Vec<Agreement>,
    pub submitted_at: Timestamp,
    pub decided_at: Option<Timestamp>,
    pub version: i64,
}

impl ProgramApplication {
    /// Decides an application. Every failing [`Cause`] of [`eligibility`] comes back at once,
    /// already-enrolled and already-pending included.
    ///
    /// R-PROG-22: the business area defaults to the account's registered country and may be
    /// chosen here (`Some`); it cannot be changed afterwards. The caller computes
    /// `facts.business_area_taken` for the area it passes. For programs other than CSP the
    /// area is recorded the same way but no rule reads it.
    pub fn apply(
        program: Program,
        account: &Account,
        facts: &EligibilityFacts,
        business_area: Option<CountryCode>,
        accepted: &[Agreement],
        now: Timestamp,
    ) -> Result<ProgramApplication, ApplyError> {
        let causes = eligibility(program, account, facts);
        if !causes.is_empty() {
            return Err(ApplyError::Ineligible(causes));
        }
        let required = required_agreements(program);
        let missing: Vec<Agreement> = required.iter().copied().filter(|a| !accepted.contains(a)).collect();
        if !missing.is_empty() {
            return Err(ApplyError::StepsIncomplete(missing));
        }
        Ok(ProgramApplication {
            applicant: account.id().clone(),
            program,
            business_area: business_area.unwrap_or_else(|| account.country().clone()),
            state: ProgramApplicationState::Submitted,
            agreements: required.to_vec(),
            submitted_at: now,
            decided_at: None,
            version: 0,
        })
    }

    /// Rebuilds a stored application. For the store only: it performs no check, because the
    /// values were decided by [`ProgramApplication::apply`] and the transitions.
    pub fn from_stored(s: StoredApplication) -> ProgramApplication {
        ProgramApplication {
            applicant: s.applicant,
            program: s.program,
            business_area: s.business_area,
            state: s.state,
            agreements: s.agreements,
            submitted_at: s.submitted_at,
            decided_at: s.decided_at,
            version: s.version,
        }
    }

    /// R-PROG-04: `Submitted → Approved`.
    pub fn approve(&self, now: Timestamp) -> Result<ProgramApplication, ProgramDecisionError> {
        self.submitted()?;
        Ok(ProgramApplication { state: ProgramApplicationState::Approved, decided_at: Some(now), ..self.clone() })
    }

    /// R-PROG-04: `Submitted → Rejected`, with the reason (never empty: [`RejectionReason`]).
    pub fn reject(&self, reason: RejectionReason, now: Timestamp) -> Result<ProgramApplication, ProgramDecisionError> {
        self.submitted()?;
        Ok(ProgramApplication {
            state: ProgramApplicationState::Rejected { reason },
            decided_at: Some(now),
            ..self.clone()
        })
    }

    /// R-PROG-21, R-PROG-40: while a CSP or DPP application is pending, and after it is
    /// approved, the account cannot purchase or provision cloud services or resources.
    pub fn blocks_purchases(&self) -> bool {
        let management_program = match self.program {
            Program::CloudSolutionProvider | Program::DistributionPartner => true,
            Program::Reseller
            | Program::KooGallerySeller
            | Program::KooGallerySales
            | Program::Carrier
            | Program::PartnerCompetency => false,
        };
        let live = match self.state {
            ProgramApplicationState::Submitted | ProgramApplicationState::Approved => true,
            ProgramApplicationState::Rejected { .. } => false,
        };
        management_program && live
    }

    pub fn applicant(&self) -> &AccountId {
        &self.applicant
    }
    pub fn program(&self) -> Program {
        self.program
    }
    /// R-PROG-22: shown on Partner Programs Enrolled; immutable.
    pub fn business_area(&self) -> &CountryCode {
        &self.business_area
    }
    pub fn state(&self) -> &ProgramApplicationState {
        &self.state
    }
    /// R-CERT-09: what the application accepted or completed, when it was submitted.
    pub fn agreements(&self) -> &[Agreement] {
        &self.agreements
    }
    pub fn submitted_at(&self) -> Timestamp {
        self.submitted_at
    }
    pub fn decided_at(&self) -> Option<Timestamp> {
        self.decided_at
    }
    pub fn version(&self) -> i64 {
        self.version
    }

    fn submitted(&self) -> Result<(), ProgramDecisionError> {
        match self.state {
            ProgramApplicationState::Submitted => Ok(()),
            ProgramApplicationState::Approved => Err(ProgramDecisionError::AlreadyApproved),
            ProgramApplicationState::Rejected { .. } => Err(ProgramDecisionError::AlreadyRejected),
        }
    }
}

#[cfg(test)]
mod tests;
