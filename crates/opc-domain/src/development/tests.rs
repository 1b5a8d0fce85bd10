use super::*;
use crate::account::{AccountName, StoredAccount};
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

    type Tweak = fn(&mut StoredAccount, &mut AssociationFacts);

    /// The fresh account and empty facts with `tweak` applied must give exactly `expected`
    /// in `model`, asked at `now()`.
    fn check(label: &str, model: AssociationModel, tweak: Tweak, expected: &[AssociationCause]) {
        let (mut account, mut facts) = (fresh_account(), AssociationFacts::default());
        account.edit(|a| tweak(a, &mut facts));
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

    fn worst_member(a: &mut StoredAccount, f: &mut AssociationFacts) {
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

    fn worst_master(a: &mut StoredAccount, f: &mut AssociationFacts) {
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
            &[master_both.as_slice(), &[ProfessionalServiceContract, ReservedInstances, MasterWithIndependentMembers]]
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
        Invitation::by_email(token(), partner_id(1), model, email("ana@example.com"), EMAIL_INVITATION_VALIDITY, now())
    }

    #[test]
    fn issue_17_a_revoked_invitation_is_accepted_by_no_one_and_revoked_once() {
        let later = now().plus(Millis::days(1));
        let mut link = Invitation::by_link(token(), partner_id(1), Referral, now());
        assert_eq!(link.state(later), InvitationState::Open);
        link.revoke(later).unwrap();
        assert_eq!(link.state(later), InvitationState::Revoked { at: later });
        assert_eq!(link.revoke(later), Err(RevokeError::AlreadyRevoked));
        assert_eq!(link.check_acceptance(true, true, later), Err(Revoked { at: later }));

        // An emailed invitation past its validity is expired: nothing to revoke.
        let mut mail = by_email(Referral);
        let expired = now().plus(EMAIL_INVITATION_VALIDITY);
        assert_eq!(mail.revoke(expired), Err(RevokeError::Expired { at: expired }));
        mail.revoke(later).unwrap();
        assert_eq!(mail.state(expired), InvitationState::Revoked { at: later }, "revoked before it expired");
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
        let custom = Invitation::by_email(token(), partner_id(1), Referral, email("a@b.co"), Millis::days(30), now());
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
        customer.edit(|a| a.country = CountryCode::parse("MY").unwrap());
        assert!(cross_country_unregistered(true, &sg, &customer, false), "A-10: required across countries");
        assert!(!cross_country_unregistered(true, &sg, &customer, true), "the partner's own pre-registration");
        assert!(!cross_country_unregistered(false, &sg, &customer, false), "the deployment does not require it");
    }

    #[test]
    fn r_dev_11_r_dev_12_who_may_develop_customers() {
        let frozen = |mut p: Partner| {
            p.freeze().unwrap();
            p
        };
        let restricted = |mut p: Partner| {
            p.restrict().unwrap();
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
            ("R-DIST-01 distributor", partner(Program::DistributionPartner), false, Err(DevelopmentError::Distributor)),
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
        Association::begin(fresh_account().id().clone(), partner_id(1), AssociationModel::Reseller, now()).0
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
                customer: a.customer().clone(),
                partner: a.partner().clone(),
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
        let pending = association().disassociation_requested().unwrap();
        let with_state = |state| match state {
            AssociationState::DisassociationPending => pending.clone(),
            _ => pending.disassociation_decided(true, now()).unwrap(),
        };
        let cases = [
            ("R-ASSOC-31 frozen partner", association(), true, Err(RequestError::PartnerFrozen)),
            ("pending", with_state(AssociationState::DisassociationPending), false, Err(RequestError::AlreadyPending)),
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
        let mut r = request(initiated_by, state);
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
            let a = association();
            let mut r = DisassociationRequest::request(&a, Customer, reason(), false, now()).unwrap();
            let a = a.disassociation_requested().unwrap();
            let decided = r.decide_by_partner_admin(approve, false, later()).unwrap();
            assert_eq!(decided == (Approved { at: later() }), approve);
            assert_eq!(a.decide_disassociation(approve, later()), Ok(expected), "approve={approve}");
        }
    }
}
