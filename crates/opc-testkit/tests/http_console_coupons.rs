//! The console's coupon pages (issue 15; R-CPN-01 … R-CPN-24, R-BILL-06, R-ORG-19) through the
//! real router on both backends: the operator grants a quota and gives a cash coupon from its
//! Coupons page; the partner's Cash coupons page shows balances to 2 decimals with 8 on hover
//! and each coupon's movements; the partner issues coupons from a quota and reclaims one after a
//! confirmation, and the ledgers show it; a distributor passes quota to a reseller and takes it
//! back; members see only what their role and their customers allow, other partners nothing;
//! the operator reviews test-coupon requests from its page; a customer sees its coupons.

use opc_core::ops::admin::{self, CreatePartner};
use opc_core::ops::test_coupons::{self, TestCouponPolicy};
use opc_core::ops::{bills, coupons, Policy};
use opc_core::store::CouponQuery;
use opc_core::Clock;
use opc_domain::association::AssociationModel;
use opc_domain::coupon::test_coupon::{RequestStatus, TierLimits};
use opc_domain::coupon::{CouponEntryKind, CouponRequest, Limits, Validity};
use opc_domain::partner::Program;
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Millis, Money, PartnerId, Timestamp};
use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::console::{call, flash, hcpn_partner, sign_in, staff};
use opc_testkit::{on_both_backends, seed, TestStore};
use serde_json::json;

on_both_backends!(
    r_cpn_12_r_bill_06_the_partner_sees_its_coupons_and_issues_and_reclaims_through_the_forms,
    r_org_19_members_see_what_their_role_allows_and_other_partners_nothing,
    r_dist_02_a_distributor_passes_quota_to_a_reseller_and_takes_it_back,
    r_cpn_15_the_operator_reviews_test_coupon_requests_from_its_page,
    r_cpn_05_r_cpn_07_the_operator_converts_a_partners_quotas_into_its_coupons_after_its_bill,
);

const DAY: Millis = Millis(86_400_000);
const LINK: &str = "https://www.huaweicloud.com/intl/en-us/pricing/calculator.html#/share?id=abc123";

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

/// `YYYY-MM-DD` of `t` in UTC, as the forms take it.
fn day(t: Timestamp) -> String {
    let (y, m, d, ..) = t.to_utc();
    format!("{y:04}-{m:02}-{d:02}")
}

/// The console's page token for a session: what its pages embed in forms.
fn csrf_token(session: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(format!("opc-console-csrf\0{session}").as_bytes())[..16])
}

fn cookie(session: &str) -> Vec<(String, String)> {
    vec![("Cookie".to_owned(), format!("opc_session={session}"))]
}

async fn get(app: &TestApp, session: &str, path: &str) -> TestResponse {
    app.send("GET", path, "", &cookie(session)).await
}

async fn page(app: &TestApp, session: &str, path: &str) -> String {
    let r = get(app, session, path).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.body
}

async fn submit(app: &TestApp, session: &str, path: &str, fields: &[(&str, &str)]) -> TestResponse {
    let mut body = format!("_csrf={}", csrf_token(session));
    for (k, v) in fields {
        let v: String = v
            .bytes()
            .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
            .collect();
        body.push_str(&format!("&{k}={v}"));
    }
    let mut headers = cookie(session);
    headers.push(("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()));
    app.send("POST", path, &body, &headers).await
}

fn see_other(r: &TestResponse) {
    assert_eq!(r.status, 303, "{}", r.body);
}

async fn customer(app: &TestApp, partner: &PartnerId, name: &str, login: Option<&str>) -> AccountId {
    let (mut account, association, audit) = seed::customer(name, partner, AssociationModel::Reseller, app.clock.now());
    if let Some(email) = login {
        account.set_login(Some(email.to_owned()), Some(opc_core::passwords::hash_blocking("Secret123!").unwrap()));
    }
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    account.id().clone()
}

async fn coupon_of(app: &TestApp, customer: &AccountId) -> opc_domain::coupon::Coupon {
    let query = CouponQuery { customer: Some(customer.clone()), ..CouponQuery::default() };
    let mut found = app.ctx.store.coupons(&query).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    found.pop().unwrap()
}

async fn r_cpn_12_r_bill_06_the_partner_sees_its_coupons_and_issues_and_reclaims_through_the_forms(db: TestStore) {
    let app = TestApp::new(db).await;
    let catalog = opc_store::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
    let ops = staff(&app).await;
    let (session, id) = hcpn_partner(&app, "ana@acme.example", "Acme Ltd").await;
    let p = PartnerId::parse(&id).unwrap();
    let c1 = customer(&app, &p, "ccp01", Some("c1@shop.example")).await;
    let c2 = customer(&app, &p, "ccp02", None).await;
    let until = day(app.clock.now().plus(Millis(DAY.0 * 120)));

    // R-CPN-01: the operator grants a quota and gives a cash coupon from its page; a bad day
    // is answered beside its field, the values kept.
    let bad = [("form", "grant"), ("partner_id", id.as_str()), ("face_value", "100"), ("expire_time", "soon")];
    let r = submit(&app, &ops, "/operator/coupon-quotas", &bad).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Must be a date") && r.body.contains("value=\"soon\""), "{}", r.body);
    // Issue 17: a face value and a day both wrong are answered together, each beside its field.
    let both = [("form", "grant"), ("partner_id", id.as_str()), ("face_value", "-1"), ("expire_time", "soon")];
    let r = submit(&app, &ops, "/operator/coupon-quotas", &both).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("2 fields need correcting"), "{}", r.body);
    let grant = [("form", "grant"), ("partner_id", id.as_str()), ("face_value", "100"), ("expire_time", &until)];
    let r = submit(&app, &ops, "/operator/coupon-quotas", &grant).await;
    see_other(&r);
    assert!(flash(&r).contains("coupon quota"), "{}", flash(&r));
    let give = [
        ("form", "give"),
        ("partner_id", id.as_str()),
        ("face_value", "8"),
        ("expire_time", &until),
        ("memo", "Launch"),
    ];
    see_other(&submit(&app, &ops, "/operator/coupons", &give).await);
    // A partner may not use the operator's page.
    assert_eq!(submit(&app, &session, "/operator/coupons", &give).await.status, 403);

    // One hour of c1's spend (0.0125) closes the month: the general coupon pays it.
    let month = Cycle::of(app.clock.now(), app.ctx.policy.billing_offset);
    let record = seed::vm_usage("u-ccp01".to_owned(), &c1, "vm-1".to_owned(), 1, app.clock.now());
    opc_core::ops::usage::ingest(&app.ctx, "ops", vec![(0, record)], vec![]).await.unwrap();
    let (_, end) = opc_domain::bill::cycle_bounds(month, app.ctx.policy.billing_offset).unwrap();
    app.clock.set(end.plus(DAY));
    bills::run(&app.ctx, month, "test", |_| ()).await.unwrap().unwrap();
    let session = sign_in(&app, "ana@acme.example", "Secret123!").await;

    // R-CPN-12, R-BILL-06: two decimals shown, the 8 on hover; its movements.
    let list = page(&app, &session, "/partner/coupons").await;
    assert!(list.contains("title=\"7.98750000\">USD 7.99<"), "{list}");
    assert!(list.contains("All reseller customers") && list.contains("Launch") && list.contains("The operator"));
    let general = app.ctx.store.coupons(&CouponQuery { partner: Some(p.clone()), ..CouponQuery::default() }).await;
    let general = general.unwrap().pop().unwrap();
    let detail = page(&app, &session, &format!("/partner/coupons/{}", general.id)).await;
    assert!(detail.contains("Deducted from a bill") && detail.contains("title=\"-0.01250000\""), "{detail}");
    assert!(detail.contains("Issued") && detail.contains(&format!("bill-{}", p.as_str())), "{detail}");

    // The partner issues 15 to each of c1 and c2 from its quota through the form.
    let quotas = page(&app, &session, "/partner/coupon-quotas").await;
    assert!(quotas.contains("Issue cash coupons") && quotas.contains("title=\"100.00000000\""), "{quotas}");
    let (quota, _) = coupons::quotas(
        &app.ctx,
        &opc_core::ops::auth::Caller::acting(&app.ctx, app.ctx.store.partner(&p).await.unwrap().unwrap(), None, None)
            .await
            .unwrap(),
        None,
        &coupons::QuotaFilter { limit: 10, ..Default::default() },
    )
    .await
    .unwrap();
    let quota = quota[0].quota.id.clone();
    let refused = [
        ("form", "issue"),
        ("quota_id", quota.as_str()),
        ("customer_ids", c1.as_str()),
        ("face_value", "15.001"),
        ("memo", "Welcome"),
    ];
    let r = submit(&app, &session, "/partner/coupon-issues", &refused).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("value=\"15.001\"") && r.body.contains("value=\"Welcome\""), "fields kept: {}", r.body);
    // No customer chosen and a bad face value: both at once.
    let both = [("form", "issue"), ("quota_id", quota.as_str()), ("face_value", "15.001")];
    let r = submit(&app, &session, "/partner/coupon-issues", &both).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("2 fields need correcting") && r.body.contains("Choose at least one customer"),
        "{}",
        r.body
    );
    let too_much =
        [("form", "issue"), ("quota_id", quota.as_str()), ("customer_ids", c1.as_str()), ("face_value", "150")];
    let r = submit(&app, &session, "/partner/coupon-issues", &too_much).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("refused"), "{}", r.body);
    let issue = [
        ("form", "issue"),
        ("quota_id", quota.as_str()),
        ("customer_ids", c1.as_str()),
        ("customer_ids", c2.as_str()),
        ("face_value", "15"),
        ("memo", "Welcome"),
    ];
    let r = submit(&app, &session, "/partner/coupon-issues", &issue).await;
    see_other(&r);
    assert!(flash(&r).contains("Issued 2"), "{}", flash(&r));
    let quotas = page(&app, &session, "/partner/coupon-quotas").await;
    assert!(quotas.contains("title=\"70.00000000\"") && quotas.contains("Coupon issued"), "{quotas}");

    // Reclaiming c1's coupon: the confirmation shows what returns, then the ledgers show it.
    let c1_coupon = coupon_of(&app, &c1).await;
    let confirm = page(&app, &session, &format!("/partner/coupons/{}/reclaim", c1_coupon.id)).await;
    assert!(confirm.contains("id=\"reclaim-amount\" title=\"15.00000000\">USD 15.00<"), "{confirm}");
    let r = submit(&app, &session, &format!("/partner/coupons/{}/reclaim", c1_coupon.id), &[]).await;
    see_other(&r);
    assert!(flash(&r).contains("15.00 returned"), "{}", flash(&r));
    let entries = app.ctx.store.coupon_entries(&c1_coupon.id).await.unwrap();
    let last = entries.last().unwrap();
    assert_eq!((last.kind, last.amount, last.balance_after), (CouponEntryKind::Reclaim, money("-15"), Money::ZERO));
    let quotas = page(&app, &session, "/partner/coupon-quotas").await;
    assert!(quotas.contains("title=\"85.00000000\"") && quotas.contains("Coupon reclaimed"), "{quotas}");
    let detail = page(&app, &session, &format!("/partner/coupons/{}", c1_coupon.id)).await;
    assert!(detail.contains("Reclaimed by its issuer") && detail.contains(">Reclaimed<"), "{detail}");
    // The exports keep every decimal.
    let history = get(&app, &session, "/partner/coupon-quotas?format=csv").await;
    assert!(
        history.body.contains("Coupon reclaimed,15.00000000") && history.body.contains("-15.00000000"),
        "{}",
        history.body
    );
    let own = get(&app, &session, "/partner/coupon-quotas?list=quotas&format=csv").await;
    assert!(own.body.contains(&format!("{quota},85.00000000,100.00000000")), "{}", own.body);
    let moves = get(&app, &session, &format!("/partner/coupons/{}?format=csv", general.id)).await;
    assert!(moves.body.contains("Deducted from a bill,-0.01250000,7.98750000"), "{}", moves.body);
    // Twice is refused, and nothing moves.
    let r = submit(&app, &session, &format!("/partner/coupons/{}/reclaim", c1_coupon.id), &[]).await;
    see_other(&r);
    assert!(flash(&r).contains("already reclaimed"), "{}", flash(&r));
    assert_eq!(app.ctx.store.coupon_entries(&c1_coupon.id).await.unwrap().len(), entries.len());
    assert_ne!(get(&app, &session, &format!("/partner/coupons/{}/reclaim", c1_coupon.id)).await.status, 200);
    // The status filter and the customer filter.
    let reclaimed = page(&app, &session, "/partner/coupons?status=reclaimed").await;
    assert!(reclaimed.contains(&c1_coupon.id) && !reclaimed.contains(&general.id), "{reclaimed}");
    let theirs = page(&app, &session, &format!("/partner/coupons?customer={c2}")).await;
    assert!(!theirs.contains(&c1_coupon.id) && theirs.contains("Rows 1–1 of 1"), "{theirs}");

    // The customer sees the coupons issued for it, read-only.
    let customer_session = sign_in(&app, "c1@shop.example", "Secret123!").await;
    let mine = page(&app, &customer_session, "/my-coupons").await;
    assert!(mine.contains(&c1_coupon.id) && !mine.contains(&general.id) && mine.contains("Reclaimed"), "{mine}");
}

async fn r_org_19_members_see_what_their_role_allows_and_other_partners_nothing(db: TestStore) {
    let app = TestApp::new(db).await;
    let (session, id) = hcpn_partner(&app, "boss@acme.example", "Acme Ltd").await;
    let p = PartnerId::parse(&id).unwrap();
    let (other, _) = hcpn_partner(&app, "bo@other.example", "Other Ltd").await;
    let (c1, c2) = (customer(&app, &p, "ccp11", None).await, customer(&app, &p, "ccp12", None).await);
    let now = app.clock.now();
    let validity = Validity::new(now, now.plus(Millis(DAY.0 * 60))).unwrap();
    let quota =
        coupons::grant_quota(&app.ctx, "finance", &id, money("100"), validity, Limits::default(), "").await.unwrap();
    let request =
        CouponRequest { face_value: money("10"), from: None, to: None, limits: Limits::default(), memo: String::new() };
    let caller =
        opc_core::ops::auth::Caller::acting(&app.ctx, app.ctx.store.partner(&p).await.unwrap().unwrap(), None, None)
            .await
            .unwrap();
    let customers = [c1.as_str().to_owned(), c2.as_str().to_owned()];
    coupons::issue_coupons(&app.ctx, &caller, None, &quota.id, &customers, &request).await.unwrap();
    let general = CouponRequest { to: Some(now.plus(Millis(DAY.0 * 30))), ..request.clone() };
    let general = coupons::give_coupon(&app.ctx, "finance", &id, None, &general).await.unwrap();
    let (k1, k2) = (coupon_of(&app, &c1).await, coupon_of(&app, &c2).await);

    // Another partner: none of it, by list or by id.
    let list = page(&app, &other, "/partner/coupons").await;
    assert!(!list.contains(&k1.id) && !list.contains(&general.id), "{list}");
    for path in [format!("/partner/coupons/{}", k1.id), format!("/partner/coupons/{}/reclaim", k1.id)] {
        let r = get(&app, &other, &path).await;
        assert_eq!(r.status, 404, "{path}: {}", r.body);
    }
    let r = submit(&app, &other, &format!("/partner/coupons/{}/reclaim", k1.id), &[]).await;
    see_other(&r);
    assert_eq!(coupon_of(&app, &c1).await.balance, money("10"), "nothing reclaimed");
    let issue =
        [("form", "issue"), ("quota_id", quota.id.as_str()), ("customer_ids", c1.as_str()), ("face_value", "5")];
    let r = submit(&app, &other, "/partner/coupon-issues", &issue).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("No coupon quota"), "{}", r.body);

    // A form without the session's token is refused whole.
    let mut headers = cookie(&session);
    headers.push(("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()));
    let forged = app.send("POST", &format!("/partner/coupons/{}/reclaim", k1.id), "_csrf=forged", &headers).await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert_eq!(coupon_of(&app, &c1).await.balance, money("10"), "nothing reclaimed");

    // R-ORG-02: a member whose role grants nothing is refused.
    let member = |name: &str, email: &str| json!({"name": name, "email": email, "password": "Member123!", "position": "account_manager"});
    let nothing = json!({"name": "Nothing", "permissions": []});
    let nothing = call(&app, "POST", "/api/v1/partner/roles", nothing, &session).await.json()["role_id"].clone();
    let viewer_role = json!({"name": "Viewers", "permissions": ["customers.view"]});
    let viewer_role =
        call(&app, "POST", "/api/v1/partner/roles", viewer_role, &session).await.json()["role_id"].clone();
    for (who, email, role) in
        [("Nil Nobody", "nil@acme.example", &nothing), ("Mei Tan", "mei@acme.example", &viewer_role)]
    {
        let m = call(&app, "POST", "/api/v1/partner/members", member(who, email), &session).await;
        assert_eq!(m.status, 201, "{}", m.body);
        let path = format!("/api/v1/partner/members/{}", m.json()["member_id"].as_str().unwrap());
        assert_eq!(call(&app, "PUT", &path, json!({"role_id": role}), &session).await.status, 200);
        if who == "Mei Tan" {
            let assign = format!("/api/v1/partner/customers/{c1}/account-manager");
            let r = call(&app, "PUT", &assign, json!({"member_id": m.json()["member_id"]}), &session).await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
    }
    let nil = sign_in(&app, "nil@acme.example", "Member123!").await;
    for path in ["/partner/coupons", "/partner/coupon-quotas", &format!("/partner/coupons/{}", k1.id)] {
        let r = get(&app, &nil, path).await;
        assert_eq!(r.status, 403, "{path}: {}", r.body);
    }
    let r = submit(&app, &nil, "/partner/coupon-issues", &issue).await;
    assert_eq!(r.status, 403, "{}", r.body);
    // R-ORG-19: an account manager who may view sees its customer's coupon only, and may not
    // reclaim it.
    let mei = sign_in(&app, "mei@acme.example", "Member123!").await;
    let seen = page(&app, &mei, "/partner/coupons").await;
    assert!(seen.contains(&k1.id) && !seen.contains(&k2.id) && !seen.contains(&general.id), "{seen}");
    assert!(!seen.contains("Reclaim…"), "{seen}");
    assert_eq!(get(&app, &mei, &format!("/partner/coupons/{}", k2.id)).await.status, 404);
    assert_eq!(get(&app, &mei, &format!("/partner/coupons/{}/reclaim", k1.id)).await.status, 403);
    let r = submit(&app, &mei, &format!("/partner/coupons/{}/reclaim", k1.id), &[]).await;
    see_other(&r);
    assert_eq!(coupon_of(&app, &c1).await.balance, money("10"), "nothing reclaimed");
    // The partner itself sees all three and may reclaim the issued ones.
    let all = page(&app, &session, "/partner/coupons").await;
    assert!(all.contains(&k1.id) && all.contains(&k2.id) && all.contains(&general.id), "{all}");
    assert_eq!(all.matches("Reclaim…").count(), 2, "{all}");
}

async fn r_dist_02_a_distributor_passes_quota_to_a_reseller_and_takes_it_back(db: TestStore) {
    let app = TestApp::new(db).await;
    let enroll = |name: &'static str, program, distributor: Option<String>, login: (&'static str, &'static str)| {
        let ctx = app.ctx.clone();
        async move {
            let cmd = CreatePartner {
                name,
                country: "SG",
                program,
                distributor: distributor.as_deref(),
                login: Some(login),
                operator: "test",
            };
            admin::create_partner(&ctx, cmd).await.unwrap()
        }
    };
    let d = enroll("Distri Ltd", Program::DistributionPartner, None, ("dan@distri.example", "Distri123!")).await;
    let d_id = d.partner.id().as_str().to_owned();
    let r = enroll("Resell Ltd", Program::Reseller, Some(d_id.clone()), ("rae@resell.example", "Resell123!")).await;
    let r_id = r.partner.id().as_str().to_owned();
    let now = app.clock.now();
    let validity = Validity::new(now, now.plus(Millis(DAY.0 * 60))).unwrap();
    let parent =
        coupons::grant_quota(&app.ctx, "finance", &d_id, money("100"), validity, Limits::default(), "").await.unwrap();
    let dan = sign_in(&app, "dan@distri.example", "Distri123!").await;
    let quotas = page(&app, &dan, "/partner/coupon-quotas").await;
    assert!(quotas.contains("Pass quota to resellers") && quotas.contains("Resell Ltd"), "{quotas}");
    let pass = [("form", "pass"), ("quota_id", parent.id.as_str()), ("reseller_ids", r_id.as_str()), ("amount", "40")];
    let res = submit(&app, &dan, "/partner/coupon-quotas/pass", &pass).await;
    see_other(&res);
    assert!(flash(&res).contains("Passed 1"), "{}", flash(&res));
    let quotas = page(&app, &dan, "/partner/coupon-quotas").await;
    assert!(quotas.contains("title=\"60.00000000\"") && quotas.contains("Quota passed to a reseller"), "{quotas}");
    // The reseller sees its new quota.
    let rae = sign_in(&app, "rae@resell.example", "Resell123!").await;
    let theirs = page(&app, &rae, "/partner/coupon-quotas").await;
    assert!(theirs.contains("title=\"40.00000000\"") && theirs.contains("Your distributor"), "{theirs}");
    // The distributor takes it back; the reseller cannot take back its distributor's.
    let (children, _) = coupons::issued_quotas(
        &app.ctx,
        &opc_core::ops::auth::Caller::acting(&app.ctx, d.partner.clone(), None, None).await.unwrap(),
        &coupons::QuotaFilter { limit: 10, ..Default::default() },
    )
    .await
    .unwrap();
    let child = children[0].quota.id.clone();
    let res = submit(&app, &rae, &format!("/partner/coupon-quotas/{}/reclaim", parent.id), &[]).await;
    see_other(&res);
    assert!(flash(&res).contains("No coupon quota"), "{}", flash(&res));
    let res = submit(&app, &dan, &format!("/partner/coupon-quotas/{child}/reclaim"), &[]).await;
    see_other(&res);
    assert!(flash(&res).contains("taken back"), "{}", flash(&res));
    let quotas = page(&app, &dan, "/partner/coupon-quotas").await;
    assert!(quotas.contains("title=\"100.00000000\"") && quotas.contains("Quota taken back"), "{quotas}");
}

async fn r_cpn_15_the_operator_reviews_test_coupon_requests_from_its_page(db: TestStore) {
    let l = money("50");
    let test_coupons = TestCouponPolicy {
        limits: TierLimits { standard: l, advanced: l, premier: l, core: l },
        ..TestCouponPolicy::default()
    };
    let app = TestApp::with_policy(db, Policy { test_coupons, ..Policy::default() }).await;
    let ops = staff(&app).await;
    let (session, id) = hcpn_partner(&app, "ana@acme.example", "Acme Ltd").await;
    let p = PartnerId::parse(&id).unwrap();
    let c = customer(&app, &p, "tcc01", None).await;
    let ask = |amount: &str| json!({"amount": amount, "resource_config": LINK, "purpose": "PoC of a shop", "duration_days": 30});
    let mut ids = vec![];
    for amount in ["20", "10"] {
        let r = call(&app, "POST", "/api/v1/partner/test-coupon-requests", ask(amount), &session).await;
        assert_eq!(r.status, 201, "{}", r.body);
        ids.push(r.json()["request_id"].as_str().unwrap().to_owned());
    }
    let pending = page(&app, &ops, "/operator/test-coupons").await;
    assert!(pending.contains(&ids[0]) && pending.contains("PoC of a shop") && pending.contains("20.00"), "{pending}");
    assert!(pending.contains(">Acme Ltd</a>"), "the partner by its name: {pending}");
    // Only staff decide.
    let r = submit(&app, &session, &format!("/operator/test-coupon-requests/{}/approve", ids[0]), &[]).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_ne!(get(&app, &session, "/operator/test-coupons").await.status, 200);
    let r = submit(&app, &ops, &format!("/operator/test-coupon-requests/{}/approve", ids[0]), &[]).await;
    see_other(&r);
    assert!(flash(&r).contains("test coupon"), "{}", flash(&r));
    let r =
        submit(&app, &ops, &format!("/operator/test-coupon-requests/{}/reject", ids[1]), &[("reason", "No project")])
            .await;
    see_other(&r);
    let r = submit(&app, &ops, &format!("/operator/test-coupon-requests/{}/approve", ids[1]), &[]).await;
    see_other(&r);
    assert!(flash(&r).contains("not pending"), "{}", flash(&r));
    let all = test_coupons::all_requests(&app.ctx, false).await.unwrap();
    let status = |id: &str| all.iter().find(|r| r.id == id).unwrap().status.clone();
    assert!(matches!(status(&ids[0]), RequestStatus::Approved { .. }));
    assert!(matches!(status(&ids[1]), RequestStatus::Rejected { ref reason, .. } if reason == "No project"));
    assert_eq!(test_coupons::coupons_of(&app.ctx, &p).await.unwrap()[0].face_value, money("20"));
    let decided = page(&app, &ops, "/operator/test-coupons?queue=all").await;
    assert!(
        decided.contains("Approved") && decided.contains("Rejected") && decided.contains("No project"),
        "{decided}"
    );
    assert!(
        !page(&app, &ops, "/operator/test-coupons").await.contains(&ids[0]),
        "decided ones leave the pending queue"
    );

    // A project request for one customer, filed from the page; a bad one keeps its fields.
    let project = |customer: &str| {
        vec![
            ("form", "project".to_owned()),
            ("partner_id", id.clone()),
            ("customer_id", customer.to_owned()),
            ("amount", "12".to_owned()),
            ("resource_config", LINK.to_owned()),
            ("purpose", "Load test".to_owned()),
            ("duration_days", "".to_owned()),
            ("project_background", "Retail chain".to_owned()),
            ("expected_order_date", "2026-09-01".to_owned()),
            ("expected_order_amount", "50000".to_owned()),
        ]
    };
    let fields = |v: &[(&'static str, String)]| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let bad = fields(&project("nobody"));
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = submit(&app, &ops, "/operator/test-coupons/projects", &bad).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("value=\"Retail chain\""), "{}", r.body);
    let good = fields(&project(c.as_str()));
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    see_other(&submit(&app, &ops, "/operator/test-coupons/projects", &good).await);
    let pending = page(&app, &ops, "/operator/test-coupons").await;
    assert!(pending.contains(&format!("Project of customer {c}")), "{pending}");
}

async fn r_cpn_05_r_cpn_07_the_operator_converts_a_partners_quotas_into_its_coupons_after_its_bill(db: TestStore) {
    let app = TestApp::new(db).await;
    let ops = staff(&app).await;
    let (_, id) = hcpn_partner(&app, "cy@convert.example", "Convert Ltd").await;
    let p = PartnerId::parse(&id).unwrap();
    let c1 = customer(&app, &p, "cnv01", None).await;
    let until = day(app.clock.now().plus(Millis(DAY.0 * 120)));
    let grant = [("form", "grant"), ("partner_id", id.as_str()), ("face_value", "100"), ("expire_time", &until)];
    see_other(&submit(&app, &ops, "/operator/coupon-quotas", &grant).await);
    let quota = app.ctx.store.quotas_of(&p, false).await.unwrap().pop().unwrap();
    let request =
        CouponRequest { face_value: money("30"), from: None, to: None, limits: Limits::default(), memo: String::new() };
    let partner = app.ctx.store.partner(&p).await.unwrap().unwrap();
    let caller = opc_core::ops::auth::Caller::acting(&app.ctx, partner, None, None).await.unwrap();
    let issued =
        coupons::issue_coupons(&app.ctx, &caller, None, &quota.id, &[c1.as_str().to_owned()], &request).await.unwrap();
    assert!(matches!(issued.as_slice(), [Ok(_)]), "{issued:?}");

    // Before the partner's bill of last month exists, converting is refused beside its form.
    let convert = [("form", "convert"), ("partner_id", id.as_str())];
    let r = submit(&app, &ops, "/operator/coupon-quotas/convert", &convert).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("is not generated yet"), "{}", r.body);

    // Once the month is billed, the quota's remaining 70 becomes a cash coupon of the partner's
    // for all its reseller customers (R-CPN-05, R-CPN-06); the customer's coupon stays its own.
    let cycle = Cycle::of(app.clock.now(), app.ctx.policy.billing_offset);
    let (_, end) = opc_domain::bill::cycle_bounds(cycle, app.ctx.policy.billing_offset).unwrap();
    app.clock.set(end.plus(DAY));
    bills::run(&app.ctx, cycle, "test", |_| ()).await.unwrap().unwrap();
    // (A month later, everyone signs in again.)
    let ops = sign_in(&app, "ops@provider.example", "Opspass123!").await;
    let session = sign_in(&app, "cy@convert.example", "Secret123!").await;
    let r = submit(&app, &ops, "/operator/coupon-quotas/convert", &convert).await;
    see_other(&r);
    assert!(flash(&r).contains("Converted USD 70.00 of partner"), "{}", flash(&r));
    let quota = app.ctx.store.quotas_of(&p, false).await.unwrap().pop().unwrap();
    assert_eq!(quota.balance, Money::ZERO);
    let all = app.ctx.store.coupons(&CouponQuery { partner: Some(p.clone()), ..CouponQuery::default() }).await.unwrap();
    let converted: Vec<_> = all.iter().filter(|c| c.customer.is_none()).collect();
    assert_eq!(converted.len(), 1, "{all:?}");
    let c = converted[0];
    assert_eq!(
        (c.face_value, c.balance, c.validity.to, c.quota.as_deref()),
        (money("70"), money("70"), quota.validity.to, None)
    );
    assert_eq!(all.iter().filter(|c| c.customer.as_ref() == Some(&c1)).count(), 1);
    let entries = app.ctx.store.coupon_entries(&c.id).await.unwrap();
    assert_eq!(
        entries.iter().map(|e| (e.kind, e.amount, e.trade.as_str())).collect::<Vec<_>>(),
        [(CouponEntryKind::Issue, money("70"), quota.id.as_str())]
    );
    // R-CPN-07: the partner sees the conversion in its quota history, and the coupon with its
    // cash coupons.
    let quotas = page(&app, &session, "/partner/coupon-quotas").await;
    assert!(quotas.contains("Converted into a cash coupon of yours") && quotas.contains(&c.id), "{quotas}");
    assert!(page(&app, &session, "/partner/coupons").await.contains(&c.id));
    // Nothing is left to convert: a second conversion changes nothing.
    let r = submit(&app, &ops, "/operator/coupon-quotas/convert", &convert).await;
    see_other(&r);
    assert!(flash(&r).contains("no quota balance"), "{}", flash(&r));
    assert_eq!(
        app.ctx.store.coupons(&CouponQuery { partner: Some(p.clone()), ..CouponQuery::default() }).await.unwrap().len(),
        all.len()
    );
    // A partner may not convert.
    assert_eq!(submit(&app, &session, "/operator/coupon-quotas/convert", &convert).await.status, 403);

    // R-CPN-01, R-CPN-12: the operator gives a coupon for pay-per-use only, paying at most half
    // of a line; the partner's page says so. A mode or ratio outside the choices is refused
    // beside its field.
    let until = day(app.clock.now().plus(Millis(DAY.0 * 30)));
    let mut give = vec![("form", "give"), ("partner_id", id.as_str()), ("face_value", "20"), ("expire_time", &until)];
    for (field, bad) in [("billing_mode", "weekly"), ("max_share", "1.5"), ("max_share", "0")] {
        let mut form = give.clone();
        form.push((field, bad));
        let r = submit(&app, &ops, "/operator/coupons", &form).await;
        assert_eq!(r.status, 422, "{field}={bad}: {}", r.body);
    }
    give.extend([("billing_mode", "on_demand"), ("max_share", "0.5")]);
    see_other(&submit(&app, &ops, "/operator/coupons", &give).await);
    let coupons = page(&app, &session, "/partner/coupons").await;
    assert!(coupons.contains("Pay-per-use; at most 50% of a line"), "{coupons}");
}
