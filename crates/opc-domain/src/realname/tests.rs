use super::*;

fn t(day: u32) -> Timestamp {
    Timestamp::from_utc(2026, 5, day, 0, 0, 0).unwrap()
}

fn customer() -> AccountId {
    AccountId::from_random([7; 16])
}

fn partner() -> PartnerId {
    PartnerId::from_random([1; 16])
}

fn unverified() -> Standing {
    Standing { status: RealNameStatus::NotVerified, verified_as: None }
}

fn passport() -> Identity {
    Identity::Individual { document: IdDocument::Passport, name: " Ana Lim ".into(), number: "E1234567".into() }
}

fn enterprise(legal: bool) -> Identity {
    Identity::Enterprise {
        certificate: Certificate::BusinessLicense,
        corp_name: "Example Cloud Ltd".into(),
        number: "91310000MA1FL".into(),
        reg_country: Some("cn".into()),
        reg_address: None,
        legal_person: legal.then(|| LegalPerson { name: "Wang Wei".into(), id_number: "110101199001011234".into() }),
    }
}

fn files(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("page{i}.jpg")).collect()
}

fn ask(identity: Identity, change: bool, n: usize) -> Request {
    Request { identity, change, files: files(n) }
}

#[test]
fn b1_10_3_an_individual_applies_with_its_documents_pages_and_is_under_review() {
    let (app, status) =
        apply("a1".into(), customer(), partner(), unverified(), false, ask(passport(), false, 2), t(1)).unwrap();
    assert_eq!(status, RealNameStatus::UnderReview);
    assert_eq!((app.review.code(), app.identity.display_name()), (0, "Ana Lim"), "names are trimmed");
    // A permit needs three pages; a passport two.
    let permit = Identity::Individual { document: IdDocument::TaiwanPermit, name: "Li".into(), number: "T1".into() };
    let refused = apply("a2".into(), customer(), partner(), unverified(), false, ask(permit, false, 2), t(1));
    assert!(matches!(refused, Err(RealNameError::Invalid { field: "verified_file_url", .. })), "{refused:?}");
    let twice = Request { files: vec!["a.jpg".into(), "a.jpg".into()], ..ask(passport(), false, 2) };
    assert!(apply("a3".into(), customer(), partner(), unverified(), false, twice, t(1)).is_err());
    // One application at a time.
    let again = apply("a4".into(), customer(), partner(), unverified(), true, ask(passport(), false, 2), t(2));
    assert_eq!(again.unwrap_err(), RealNameError::UnderReview);
}

#[test]
fn b1_10_2_an_enterprise_names_its_certificate_and_its_legal_representatives_id_when_given() {
    let (app, _) =
        apply("e1".into(), customer(), partner(), unverified(), false, ask(enterprise(false), false, 2), t(1)).unwrap();
    let Identity::Enterprise { reg_country, .. } = &app.identity else { panic!() };
    assert_eq!(reg_country.as_deref(), Some("CN"));
    assert!(
        apply("e2".into(), customer(), partner(), unverified(), false, ask(enterprise(true), false, 2), t(1)).is_err()
    );
    assert!(
        apply("e3".into(), customer(), partner(), unverified(), false, ask(enterprise(true), false, 4), t(1)).is_ok()
    );
    for bad in ["12345", "  ", "-- 42 --"] {
        let Identity::Enterprise { certificate, number, reg_country, reg_address, legal_person, .. } =
            enterprise(false)
        else {
            panic!()
        };
        let identity =
            Identity::Enterprise { certificate, corp_name: bad.into(), number, reg_country, reg_address, legal_person };
        let refused = apply("e4".into(), customer(), partner(), unverified(), false, ask(identity, false, 2), t(1));
        assert!(matches!(refused, Err(RealNameError::Invalid { field: "corp_name", .. })), "{bad:?}: {refused:?}");
    }
}

#[test]
fn b1_10_1_only_a_verified_individual_changes_to_an_enterprise() {
    let individual = Standing { status: RealNameStatus::Verified, verified_as: Some(AccountType::Individual) };
    let company = Standing { status: RealNameStatus::Verified, verified_as: Some(AccountType::Enterprise) };
    let (app, status) =
        apply("c1".into(), customer(), partner(), individual, false, ask(enterprise(false), true, 2), t(1)).unwrap();
    assert_eq!(
        (app.change, status),
        (true, RealNameStatus::Verified),
        "it stays verified while the change is reviewed"
    );
    let refused = apply("c2".into(), customer(), partner(), company, false, ask(enterprise(false), true, 2), t(1));
    assert_eq!(refused.unwrap_err(), RealNameError::NotAnIndividual);
    let refused = apply("c3".into(), customer(), partner(), unverified(), false, ask(enterprise(false), true, 2), t(1));
    assert_eq!(refused.unwrap_err(), RealNameError::NotAnIndividual);
    let refused = apply("c4".into(), customer(), partner(), individual, false, ask(passport(), false, 2), t(1));
    assert_eq!(refused.unwrap_err(), RealNameError::AlreadyVerified);
}

#[test]
fn the_operators_review_sets_the_accounts_standing_once() {
    let (mut app, _) =
        apply("a1".into(), customer(), partner(), unverified(), false, ask(passport(), false, 2), t(1)).unwrap();
    assert!(matches!(review(&mut app, false, " ", "ops", t(2)), Err(RealNameError::Invalid { field: "opinion", .. })));
    let standing = review(&mut app, false, "The photo is blurred", "ops", t(2)).unwrap();
    assert_eq!(standing, Standing { status: RealNameStatus::Rejected, verified_as: None });
    assert_eq!(app.review.code(), 1);
    assert_eq!(review(&mut app, true, "", "ops", t(3)), Err(RealNameError::AlreadyReviewed));

    let individual = Standing { status: RealNameStatus::Verified, verified_as: Some(AccountType::Individual) };
    let (mut change, _) =
        apply("c1".into(), customer(), partner(), individual, false, ask(enterprise(false), true, 2), t(4)).unwrap();
    assert_eq!(review(&mut change.clone(), false, "No seal", "ops", t(5)).unwrap(), individual);
    let approved = review(&mut change, true, "", "ops", t(5)).unwrap();
    assert_eq!(approved, Standing { status: RealNameStatus::Verified, verified_as: Some(AccountType::Enterprise) });
    assert_eq!(change.review.code(), 2);
}

#[test]
fn attachments_are_the_listed_types_up_to_10_mb_and_are_what_their_names_say() {
    assert_eq!(check_attachment("front.JPG", b"\xFF\xD8\xFF\xE0rest"), Ok("image/jpeg"));
    assert_eq!(check_attachment("scan.pdf", b"%PDF-1.7"), Ok("application/pdf"));
    assert_eq!(check_attachment("a.png", b"\x89PNG\r\n"), Ok("image/png"));
    for (name, content) in [
        ("front.jpg", &b"%PDF-1.7"[..]),
        ("front.exe", &b"MZ"[..]),
        ("../etc.jpg", &b"\xFF\xD8\xFF"[..]),
        ("front", &b"\xFF\xD8\xFF"[..]),
        ("empty.png", &b""[..]),
    ] {
        assert!(check_attachment(name, content).is_err(), "{name}");
    }
    let big = [b"GIF89a".as_slice(), &vec![0; ATTACHMENT_BYTES_MAX]].concat();
    assert!(check_attachment("big.gif", &big).is_err());
}

#[test]
fn identity_numbers_never_show_in_debug() {
    let shown = format!("{:?}", enterprise(true));
    assert!(!shown.contains("91310000MA1FL") && !shown.contains("110101199001011234"), "{shown}");
}

#[test]
fn b2_1_1_a_verified_customer_is_new_for_twelve_months_and_qualified_once_it_spends() {
    let (may, next_may) = (Cycle(202605), Cycle(202705));
    assert_eq!(new_customer_tag(None, true, may), None, "not verified: no tag");
    let w = new_customer_tag(Some(may), false, Cycle(202608)).unwrap();
    assert_eq!((w.tag, w.effective, w.expire), (NewCustomerTag::Undetermined, may, next_may));
    assert_eq!(new_customer_tag(Some(may), true, Cycle(202704)).unwrap().tag, NewCustomerTag::Qualified);
    assert_eq!(new_customer_tag(Some(may), true, next_may).unwrap().tag, NewCustomerTag::NotNew);
    assert_eq!(
        [NewCustomerTag::Qualified, NewCustomerTag::NotNew, NewCustomerTag::Undetermined].map(NewCustomerTag::code),
        ["Y", "N", "UNDETERMINED"]
    );
}

#[test]
fn rn_qr_a_scan_link_is_for_an_unverified_customer_of_a_partner_used_once_within_10_minutes() {
    let now = Timestamp::from_unix_ms(1_000_000);
    let customer = AccountId::from_random([1; 16]);
    let partner = Some(PartnerId::from_random([2; 16]));
    let not_verified = Standing::of(RealNameStatus::NotVerified, AccountType::Unset);
    let issue = |standing, pending, partner: Option<PartnerId>| {
        ScanLink::issue("h".into(), customer.clone(), partner, standing, pending, now)
    };
    let mut link = issue(not_verified, false, partner.clone()).unwrap();
    assert_eq!(link.expires_at, now.plus(Millis::minutes(10)));
    assert_eq!(link.usable(now.plus(Millis(599_999))), Ok(()));
    assert_eq!(link.usable(now.plus(Millis::minutes(10))), Err(RealNameError::ScanNotUsable("has expired")));
    link.used_at = Some(now);
    assert_eq!(link.usable(now), Err(RealNameError::ScanNotUsable("was already used")));
    assert_eq!(issue(not_verified, true, partner.clone()), Err(RealNameError::UnderReview));
    let verified = Standing::of(RealNameStatus::Verified, AccountType::Individual);
    assert_eq!(issue(verified, false, partner.clone()), Err(RealNameError::AlreadyVerified));
    assert_eq!(issue(not_verified, false, None), Err(RealNameError::NoPartner));
    let rejected = Standing::of(RealNameStatus::Rejected, AccountType::Unset);
    assert!(issue(rejected, false, partner).is_ok(), "a rejected customer may try again");
    assert_ne!(scan_token_hash(b"k", "t"), scan_token_hash(b"k2", "t"), "keyed");
}
