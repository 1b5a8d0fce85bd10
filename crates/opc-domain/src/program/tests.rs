use super::*;
use crate::account::{AccountName, AccountingMode, Freeze, FreezeCause, FreezeScope, StoredAccount};
use Cause::*;
use Program::*;

fn now() -> Timestamp {
    Timestamp::from_unix_ms(1_700_000_000_000)
}

fn country(code: &str) -> CountryCode {
    CountryCode::parse(code).unwrap()
}

/// An account every program accepts: a fresh enterprise account with nothing on it.
fn ideal_account() -> Account {
    let mut a = Account::new_registered(
        AccountId::from_random([5; 16]),
        AccountName::parse("solution01").unwrap(),
        country("SG"),
        now(),
    );
    a.set_account_type(AccountType::Enterprise);
    a
}

fn ideal_facts() -> EligibilityFacts {
    EligibilityFacts {
        is_hcpn_partner: true,
        enrolled: vec![],
        pending: vec![],
        joined_development_path: false,
        associated_partner: None,
        business_area_taken: false,
        invited_to_dpp: true,
    }
}

type Tweak = fn(&mut StoredAccount, &mut EligibilityFacts);

/// The ideal account and facts with `tweak` applied must give exactly `expected` for
/// `program`.
fn check(label: &str, program: Program, tweak: Tweak, expected: &[Cause]) {
    let (mut account, mut facts) = (ideal_account(), ideal_facts());
    account.edit(|a| tweak(a, &mut facts));
    assert_eq!(eligibility(program, &account, &facts), expected, "{program:?}: {label}");
}

const OTHER_PROGRAMS: [Program; 5] = [Reseller, KooGallerySeller, KooGallerySales, Carrier, PartnerCompetency];

#[test]
fn r_prog_05_an_ideal_account_may_join_every_program() {
    for program in [CloudSolutionProvider, DistributionPartner].into_iter().chain(OTHER_PROGRAMS) {
        check("ideal", program, |_, _| {}, &[]);
    }
}

/// One fact flipped from the ideal; the causes it gives for CSP and for DPP. Programs
/// without documented conditions are checked separately.
const SINGLE_FACTS: &[(&str, Tweak, &[Cause], &[Cause])] = &[
    ("R-PROG-06 individual", |a, _| a.account_type = AccountType::Individual, &[CspNotEnterprise], &[]),
    ("R-PROG-06 type unset", |a, _| a.account_type = AccountType::Unset, &[CspNotEnterprise], &[]),
    ("R-PROG-07 area taken", |_, f| f.business_area_taken = true, &[CspBusinessAreaTaken], &[]),
    ("R-PROG-08 development path", |_, f| f.joined_development_path = true, &[CspOnDevelopmentPath], &[]),
    ("R-PROG-09 in DPP", |_, f| f.enrolled = vec![DistributionPartner], &[CspInDpp], &[AlreadyEnrolled]),
    ("R-PROG-09 joining DPP", |_, f| f.pending = vec![DistributionPartner], &[CspInDpp], &[AlreadyPending]),
    ("R-PROG-29 in CSP", |_, f| f.enrolled = vec![CloudSolutionProvider], &[AlreadyEnrolled], &[DppInCsp]),
    ("R-PROG-29 joining CSP", |_, f| f.pending = vec![CloudSolutionProvider], &[AlreadyPending], &[DppInCsp]),
    ("R-PROG-10 resources", |a, _| a.resources_in_use = 1, &[CspResourcesInUse], &[DppResourcesInUse]),
    ("R-ACCT-20 reserved instances", |a, _| a.reserved_instances = 1, &[CspResourcesInUse], &[DppResourcesInUse]),
    ("R-PROG-11 arrears", |a, _| a.arrears = Money::from_e8(1).unwrap(), &[CspInArrears], &[DppInArrears]),
    (
        "R-PROG-12 consumption",
        |a, _| a.consumption = Money::from_e8(1).unwrap(),
        &[CspHasConsumption],
        &[DppHasConsumption],
    ),
    (
        "R-PROG-13 referral customer",
        |_, f| f.associated_partner = Some(AssociationModel::Referral),
        &[CspAssociatedWithPartner],
        &[],
    ),
    (
        "R-PROG-30 reseller customer",
        |_, f| f.associated_partner = Some(AssociationModel::Reseller),
        &[CspAssociatedWithPartner],
        &[DppResellerCustomer],
    ),
    (
        "R-PROG-14 master",
        |a, _| a.enterprise = EnterpriseRole::Master { has_independent_members: false },
        &[CspEnterpriseMasterOrMember],
        &[DppEnterpriseMasterOrMember],
    ),
    (
        "R-PROG-14 member",
        |a, _| a.enterprise = EnterpriseRole::Member { accounting: AccountingMode::Unified },
        &[CspEnterpriseMasterOrMember],
        &[DppEnterpriseMasterOrMember],
    ),
    (
        "R-PROG-15 real-name under review",
        |a, _| a.real_name = RealNameStatus::UnderReview,
        &[CspRealNameAuthentication],
        &[DppRealNameAuthentication],
    ),
    (
        "R-PROG-15 real-name verified",
        |a, _| a.real_name = RealNameStatus::Verified,
        &[CspRealNameAuthentication],
        &[DppRealNameAuthentication],
    ),
    ("R-PROG-15 real-name rejected", |a, _| a.real_name = RealNameStatus::Rejected, &[], &[]),
    ("R-PROG-15 real-name failed", |a, _| a.real_name = RealNameStatus::Failed, &[], &[]),
    ("R-PROG-16 BD", |a, _| a.bd_preregistered = true, &[CspBdPreregistered], &[DppBdPreregistered]),
    ("R-PROG-17 credit card", |a, _| a.has_credit_card = true, &[CspCreditCardLinked], &[]),
    ("R-PROG-27 not invited", |_, f| f.invited_to_dpp = false, &[], &[DppNotInvited]),
    (
        "R-PROG-32 frozen",
        |a, _| a.freeze = Some(Freeze { scope: FreezeScope::Account, cause: FreezeCause::Partner, since: now() }),
        &[],
        &[DppFrozen],
    ),
    ("R-PROG-36 credit account", |a, _| a.has_credit_account = true, &[], &[DppCreditAccount]),
    ("R-PROG-03 not HCPN", |_, f| f.is_hcpn_partner = false, &[NotHcpnPartner], &[NotHcpnPartner]),
    (
        "special contracts and marketing opt-out are not program conditions",
        |a, _| {
            a.contracts.special = true;
            a.marketing_opt_out = true;
        },
        &[],
        &[],
    ),
];

#[test]
fn r_prog_06_to_39_each_fact_gives_exactly_its_cause() {
    for &(name, tweak, csp, dpp) in SINGLE_FACTS {
        check(name, CloudSolutionProvider, tweak, csp);
        check(name, DistributionPartner, tweak, dpp);
    }
}

#[test]
fn r_prog_03_and_r_prog_04_are_the_only_conditions_of_the_other_programs() {
    for program in OTHER_PROGRAMS {
        check("not HCPN", program, |_, f| f.is_hcpn_partner = false, &[NotHcpnPartner]);
        check(
            "CSP and DPP conditions",
            program,
            |a, f| {
                *a = Account::new_registered(a.id.clone(), a.name.clone(), a.country.clone(), a.registered_at)
                    .into_stored();
                a.arrears = Money::from_major(9).unwrap();
                a.has_credit_card = true;
                f.invited_to_dpp = false;
                f.joined_development_path = true;
            },
            &[],
        );
        let (account, facts) = (ideal_account(), EligibilityFacts { enrolled: vec![program], ..ideal_facts() });
        assert_eq!(eligibility(program, &account, &facts), [AlreadyEnrolled], "{program:?}");
        let facts = EligibilityFacts { pending: vec![program], ..ideal_facts() };
        assert_eq!(eligibility(program, &account, &facts), [AlreadyPending], "{program:?}");
    }
}

fn worst(a: &mut StoredAccount, f: &mut EligibilityFacts) {
    a.account_type = AccountType::Individual;
    a.resources_in_use = 3;
    a.arrears = Money::from_major(10).unwrap();
    a.consumption = Money::from_major(100).unwrap();
    a.enterprise = EnterpriseRole::Member { accounting: AccountingMode::Independent };
    a.real_name = RealNameStatus::Verified;
    a.bd_preregistered = true;
    a.has_credit_card = true;
    a.has_credit_account = true;
    a.freeze = Some(Freeze { scope: FreezeScope::Account, cause: FreezeCause::ResellerAssociation, since: now() });
    f.is_hcpn_partner = false;
    f.enrolled = vec![CloudSolutionProvider, DistributionPartner];
    f.pending = vec![CloudSolutionProvider, DistributionPartner];
    f.joined_development_path = true;
    f.associated_partner = Some(AssociationModel::Reseller);
    f.business_area_taken = true;
    f.invited_to_dpp = false;
}

#[test]
fn r_prog_05_every_cause_is_reported_at_once_in_order() {
    check(
        "worst",
        CloudSolutionProvider,
        worst,
        &[
            NotHcpnPartner,
            AlreadyEnrolled,
            AlreadyPending,
            CspNotEnterprise,
            CspBusinessAreaTaken,
            CspOnDevelopmentPath,
            CspInDpp,
            CspResourcesInUse,
            CspInArrears,
            CspHasConsumption,
            CspAssociatedWithPartner,
            CspEnterpriseMasterOrMember,
            CspRealNameAuthentication,
            CspBdPreregistered,
            CspCreditCardLinked,
        ],
    );
    check(
        "worst",
        DistributionPartner,
        worst,
        &[
            NotHcpnPartner,
            AlreadyEnrolled,
            AlreadyPending,
            DppNotInvited,
            DppInCsp,
            DppResellerCustomer,
            DppResourcesInUse,
            DppFrozen,
            DppHasConsumption,
            DppInArrears,
            DppEnterpriseMasterOrMember,
            DppCreditAccount,
            DppBdPreregistered,
            DppRealNameAuthentication,
        ],
    );
}

fn is_rule_id(text: &str) -> bool {
    let digits = text.strip_prefix("R-PROG-").or_else(|| text.strip_prefix("R-ACCT-"));
    digits.is_some_and(|d| d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Guards `Cause::ALL`: a new variant fails to compile here until it is listed.
fn position(cause: Cause) -> usize {
    match cause {
        NotHcpnPartner => 0,
        AlreadyEnrolled => 1,
        AlreadyPending => 2,
        CspNotEnterprise => 3,
        CspBusinessAreaTaken => 4,
        CspOnDevelopmentPath => 5,
        CspInDpp => 6,
        CspResourcesInUse => 7,
        CspInArrears => 8,
        CspHasConsumption => 9,
        CspAssociatedWithPartner => 10,
        CspEnterpriseMasterOrMember => 11,
        CspRealNameAuthentication => 12,
        CspBdPreregistered => 13,
        CspCreditCardLinked => 14,
        DppNotInvited => 15,
        DppInCsp => 16,
        DppResellerCustomer => 17,
        DppResourcesInUse => 18,
        DppFrozen => 19,
        DppHasConsumption => 20,
        DppInArrears => 21,
        DppEnterpriseMasterOrMember => 22,
        DppCreditAccount => 23,
        DppBdPreregistered => 24,
        DppRealNameAuthentication => 25,
    }
}

#[test]
fn r_prog_05_every_cause_names_its_rule_and_says_what_is_wrong_and_how_to_fix_it() {
    assert!(Cause::ALL.is_sorted());
    for (i, cause) in Cause::ALL.into_iter().enumerate() {
        assert_eq!(position(cause), i, "{cause:?}");
        assert!(is_rule_id(cause.rule()), "{cause:?}: {}", cause.rule());
        for text in [cause.message(), cause.fix()] {
            assert!(text.len() > 10 && text.ends_with('.'), "{cause:?}: {text:?}");
        }
    }
    assert!(!is_rule_id("R-PROG-1") && !is_rule_id("R-HCPN-03") && !is_rule_id("R-PROG-123"));
    assert_eq!(DppNotInvited.fix(), "Ask for an invitation from your local ecosystem manager.");
    assert_eq!(CspOnDevelopmentPath.fix(), "Register a new account and apply with it (R-ACCT-13).");
    assert_eq!(DppResellerCustomer.fix(), "Disassociate from the reseller first.");
    assert_eq!(DppInArrears.fix(), "Top up to pay off the arrears.");
}

fn apply(program: Program, tweak: Tweak, area: Option<&str>) -> Result<ProgramApplication, ApplyError> {
    let (mut account, mut facts) = (ideal_account(), ideal_facts());
    account.edit(|a| tweak(a, &mut facts));
    ProgramApplication::apply(program, &account, &facts, area.map(country), required_agreements(program), now())
}

#[test]
fn r_prog_22_the_business_area_defaults_to_the_account_country_and_may_be_chosen() {
    let app = apply(CloudSolutionProvider, |_, _| {}, None).unwrap();
    assert_eq!(app.business_area(), &country("SG"));
    assert_eq!(app.applicant(), ideal_account().id());
    assert_eq!(
        (app.program(), app.state(), app.submitted_at()),
        (CloudSolutionProvider, &ProgramApplicationState::Submitted, now())
    );
    assert_eq!((app.decided_at(), app.version()), (None, 0));
    let chosen = apply(CloudSolutionProvider, |_, _| {}, Some("MY")).unwrap();
    assert_eq!(chosen.business_area(), &country("MY"));
    let approved = chosen.approve(now()).unwrap();
    assert_eq!(approved.business_area(), &country("MY"), "immutable through transitions");
}

#[test]
fn r_prog_05_apply_refuses_with_every_cause() {
    assert_eq!(
        apply(
            DistributionPartner,
            |a, f| {
                f.invited_to_dpp = false;
                a.arrears = Money::from_major(1).unwrap();
            },
            None
        ),
        Err(ApplyError::Ineligible(vec![DppNotInvited, DppInArrears]))
    );
    assert_eq!(
        apply(KooGallerySeller, |_, f| f.pending = vec![KooGallerySeller], None),
        Err(ApplyError::Ineligible(vec![AlreadyPending]))
    );
    let text = ApplyError::Ineligible(vec![CspInArrears]).to_string();
    assert!(text.contains("The account is in arrears. (R-PROG-11)"), "{text}");
}

#[test]
fn r_prog_04_submitted_is_approved_or_rejected_once() {
    let later = now().plus(crate::time::Millis::days(3));
    let app = apply(CloudSolutionProvider, |_, _| {}, None).unwrap();
    let approved = app.approve(later).unwrap();
    assert_eq!((approved.state(), approved.decided_at()), (&ProgramApplicationState::Approved, Some(later)));
    assert_eq!(approved.version(), app.version());
    let reason = RejectionReason::parse("Qualification documents are unreadable").unwrap();
    let rejected = app.reject(reason.clone(), later).unwrap();
    assert_eq!(rejected.state(), &ProgramApplicationState::Rejected { reason: reason.clone() });
    assert_eq!(rejected.decided_at(), Some(later));
    assert_eq!(approved.approve(later), Err(ProgramDecisionError::AlreadyApproved));
    assert_eq!(approved.reject(reason.clone(), later), Err(ProgramDecisionError::AlreadyApproved));
    assert_eq!(rejected.approve(later), Err(ProgramDecisionError::AlreadyRejected));
    assert_eq!(rejected.reject(reason, later), Err(ProgramDecisionError::AlreadyRejected));
}

#[test]
fn r_prog_21_and_r_prog_40_pending_or_joined_csp_and_dpp_block_purchases() {
    let reason = RejectionReason::parse("No").unwrap();
    for (program, blocks) in [(CloudSolutionProvider, true), (DistributionPartner, true), (Carrier, false)] {
        let app = apply(program, |_, _| {}, None).unwrap();
        assert_eq!(app.blocks_purchases(), blocks, "{program:?} submitted");
        assert_eq!(app.approve(now()).unwrap().blocks_purchases(), blocks, "{program:?} approved");
        assert!(!app.reject(reason.clone(), now()).unwrap().blocks_purchases(), "{program:?} rejected");
    }
}

#[test]
fn a_stored_application_is_rebuilt_as_it_was() {
    let app = apply(DistributionPartner, |_, _| {}, Some("HK")).unwrap().approve(now()).unwrap();
    let rebuilt = ProgramApplication::from_stored(StoredApplication {
        applicant: app.applicant().clone(),
        program: app.program(),
        business_area: app.business_area().clone(),
        state: app.state().clone(),
        agreements: app.agreements().to_vec(),
        submitted_at: app.submitted_at(),
        decided_at: app.decided_at(),
        version: app.version(),
    });
    assert_eq!(rebuilt, app);
}

#[test]
fn r_prog_24_r_prog_41_r_cert_05_06_08_each_application_signs_its_documents() {
    let (account, facts) = (ideal_account(), ideal_facts());
    let submit =
        |program, accepted: &[Agreement]| ProgramApplication::apply(program, &account, &facts, None, accepted, now());
    assert_eq!(
        submit(CloudSolutionProvider, &[]),
        Err(ApplyError::StepsIncomplete(vec![Agreement::CspCooperation, Agreement::AntiBriberyQuestionnaire]))
    );
    assert_eq!(
        submit(DistributionPartner, &[Agreement::DistributionCooperation]),
        Err(ApplyError::StepsIncomplete(vec![Agreement::HuaweiIdAssociationStatement]))
    );
    assert_eq!(submit(Carrier, &[]), Err(ApplyError::StepsIncomplete(vec![Agreement::CarrierCooperation])));
    // Extra documents are not recorded as signed; only the program's own are.
    let csp = submit(CloudSolutionProvider, &Agreement::ALL).unwrap();
    assert_eq!(csp.agreements(), [Agreement::CspCooperation, Agreement::AntiBriberyQuestionnaire]);
    assert!(submit(KooGallerySeller, &[]).unwrap().agreements().is_empty());
    let text = ApplyError::StepsIncomplete(vec![Agreement::AntiBriberyQuestionnaire]).to_string();
    assert!(
        text.contains(
            "complete the HUAWEI CLOUD Partner Anti-Commercial Bribery Due Diligence Questionnaire (R-CERT-05)"
        ),
        "{text}"
    );
}
