//! Test coupons (issue 15; R-CPN-15 … R-CPN-24, R-BEN-04, R-NOTIF-04) through the real router on
//! both backends: a partner requests test coupons within its tier's limit, the operator rejects
//! one, approves another and files a project request for one customer; the month's bill run
//! deducts the test coupons with the cash coupons and keeps what they paid apart on the bill
//! lines; the partner is reminded once per notice; other partners see and decide nothing.

use opc_core::ops::test_coupons::{self, TestCouponPolicy};
use opc_core::ops::{admin, bills, coupons, Policy};
use opc_core::Clock;
use opc_domain::association::AssociationModel;
use opc_domain::coupon::test_coupon::{Draft, PriceLink, TierLimits};
use opc_domain::coupon::{CouponRequest, Limits};
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Millis, Money, PartnerId};
use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::console::{call, hcpn_partner, sign_in, staff};
use opc_testkit::sign::Credentials;
use opc_testkit::{on_both_backends, seed, TestStore};
use serde_json::{json, Value};

on_both_backends!(
    r_cpn_15_r_cpn_24_request_approve_deduct_apart_and_remind_once,
    r_cpn_16_r_cpn_23_other_partners_see_and_decide_nothing_and_requests_are_checked,
    r_cpn_23_concurrent_requests_never_pass_the_limit,
    r_cpn_24_the_console_page_requests_and_shows_test_coupons,
);

const DAY: Millis = Millis(86_400_000);
const BENEFIT: &str = "/api/v1/partner/test-coupons";
const REQUESTS: &str = "/api/v1/partner/test-coupon-requests";
const QUEUE: &str = "/api/v1/operator/test-coupon-requests";
const OWN_COUPONS: &str = "/v2/promotions/benefits/coupons";
const LINK: &str = "https://www.huaweicloud.com/intl/en-us/pricing/calculator.html#/share?id=abc123";

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

/// Every tier may have 50 pending and approved.
async fn app_with_limit(db: TestStore) -> TestApp {
    let l = money("50");
    let test_coupons = TestCouponPolicy {
        limits: TierLimits { standard: l, advanced: l, premier: l, core: l },
        ..TestCouponPolicy::default()
    };
    TestApp::with_policy(db, Policy { test_coupons, ..Policy::default() }).await
}

struct Partner {
    id: PartnerId,
    session: String,
    email: String,
    creds: Credentials,
}

async fn partner(app: &TestApp, email: &str, company: &str) -> Partner {
    let (session, id) = hcpn_partner(app, email, company).await;
    let (key, secret) = admin::create_key(&app.ctx, &id, "test").await.unwrap();
    let id = PartnerId::parse(&id).unwrap();
    let account = app.ctx.store.partner(&id).await.unwrap().unwrap().account_id().as_str().to_owned();
    let creds = Credentials {
        access_key: key.id().as_str().to_owned(),
        secret_key: secret.expose().to_owned(),
        domain_id: account,
    };
    Partner { id, session, email: email.to_owned(), creds }
}

async fn customer(app: &TestApp, partner: &PartnerId, name: &str) -> AccountId {
    let (account, association, audit) = seed::customer(name, partner, AssociationModel::Reseller, app.clock.now());
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    account.id().clone()
}

fn created(r: TestResponse) -> Value {
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

fn ok(r: TestResponse) -> Value {
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

fn ask(amount: &str, days: i64) -> Value {
    json!({"amount": amount, "resource_config": LINK, "purpose": "PoC of a web shop", "duration_days": days})
}

async fn use_hours(app: &TestApp, usage: &[(&AccountId, i64)]) {
    let records = usage
        .iter()
        .enumerate()
        .map(|(i, (c, hours))| {
            (i, seed::vm_usage(format!("u-{}-{i}", c.as_str()), c, format!("vm-{i}"), *hours, app.clock.now()))
        })
        .collect();
    opc_core::ops::usage::ingest(&app.ctx, "ops", records, vec![]).await.unwrap();
}

/// The test-coupon notices queued for `to`.
async fn notices(app: &TestApp, to: &str) -> Vec<String> {
    let all = app.ctx.store.notifications(Some(to), 100).await.unwrap();
    all.into_iter()
        .filter(|n| n.subject.starts_with("Test coupon"))
        .map(|n| format!("{}\n{}", n.subject, n.body))
        .collect()
}

async fn r_cpn_15_r_cpn_24_request_approve_deduct_apart_and_remind_once(db: TestStore) {
    let app = app_with_limit(db).await;
    let catalog = opc_store::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
    let ops = staff(&app).await;
    let p = partner(&app, "ana@acme.example", "Acme Ltd").await;
    let (c1, c2) = (customer(&app, &p.id, "tcp01").await, customer(&app, &p.id, "tcp02").await);

    // R-CPN-23: several requests, never past the limit of 50.
    let first = created(call(&app, "POST", REQUESTS, ask("30", 60), &p.session).await);
    assert_eq!((first["status"].as_str(), first["amount"].as_str()), (Some("pending"), Some("30.00")));
    let over = call(&app, "POST", REQUESTS, ask("25", 60), &p.session).await;
    assert!(over.assert_error(400, "CBC.99000056").contains("limit"), "{}", over.body);
    let second = created(call(&app, "POST", REQUESTS, ask("20", 60), &p.session).await);
    let benefit = ok(call(&app, "GET", BENEFIT, Value::Null, &p.session).await);
    assert_eq!((benefit["limit"].as_str(), benefit["available"].as_str()), (Some("50.00"), Some("0.00")));
    // The operator rejects one (its amount is free again) and approves the other.
    let path = |id: &Value, what: &str| format!("{QUEUE}/{}/{what}", id.as_str().unwrap());
    let rejected =
        ok(call(&app, "POST", &path(&second["request_id"], "rejection"), json!({"reason": "no project"}), &ops).await);
    assert_eq!(rejected["request"]["status"], "rejected");
    let approved = ok(call(&app, "POST", &path(&first["request_id"], "approval"), Value::Null, &ops).await);
    assert_eq!(
        (approved["coupon"]["kind"].as_str(), approved["coupon"]["customer_id"].clone()),
        (Some("test"), Value::Null)
    );
    let again = call(&app, "POST", &path(&first["request_id"], "approval"), Value::Null, &ops).await;
    again.assert_error(409, "CBC.99000053");
    // R-CPN-20, R-CPN-22: a project request for c2, outside the limit, usable by c2 only.
    let project = json!({"customer_id": c2.as_str(), "amount": "12", "resource_config": LINK,
        "purpose": "Load test", "duration_days": 60, "project_background": "Retail chain moving its shop",
        "expected_order_date": "2026-09-01", "expected_order_amount": "50000"});
    let filed = created(
        call(&app, "POST", &format!("/api/v1/operator/partners/{}/test-coupon-requests", p.id), project, &ops).await,
    );
    assert_eq!(
        (filed["origin"].as_str(), filed["project"]["expected_order_date"].as_str()),
        (Some("project"), Some("2026-09-01"))
    );
    let for_c2 = ok(call(&app, "POST", &path(&filed["request_id"], "approval"), Value::Null, &ops).await);
    assert_eq!(for_c2["coupon"]["customer_id"].as_str(), Some(c2.as_str()));
    // A cash coupon beside them, for all the partner's customers.
    let cash = CouponRequest {
        face_value: money("8"),
        from: None,
        to: Some(app.clock.now().plus(Millis(DAY.0 * 60))),
        limits: Limits::default(),
        memo: String::new(),
    };
    coupons::give_coupon(&app.ctx, "finance", p.id.as_str(), None, &cash).await.unwrap();
    // The existing B1.5.1 list shows them all, the test ones marked.
    let listed = ok(app.signed("GET", OWN_COUPONS, "", &p.creds).await);
    let usages: Vec<Value> =
        listed["user_coupons"].as_array().unwrap().iter().map(|c| c["coupon_usage"].clone()).collect();
    assert_eq!(usages.iter().filter(|u| **u == json!("test")).count(), 2, "{listed}");
    assert_eq!(usages.iter().filter(|u| u.is_null()).count(), 1, "a cash coupon's field is left out: {listed}");

    // 0.0125 an hour: c1 uses 40, c2 10.
    let month = Cycle::of(app.clock.now(), app.ctx.policy.billing_offset);
    use_hours(&app, &[(&c1, 3200), (&c2, 800)]).await;
    assert_eq!(test_coupons::remind(&app.ctx, 100).await.unwrap().notices, 0, "nothing due yet");
    let estimate = bills::estimate(&app.ctx, &p.id, month).await.unwrap();
    assert_eq!((estimate.totals().test_coupons, estimate.totals().coupons), (money("40"), money("8")));
    let (_, end) = opc_domain::bill::cycle_bounds(month, app.ctx.policy.billing_offset).unwrap();
    app.clock.set(end.plus(DAY));
    bills::run(&app.ctx, month, "test", |_| ()).await.unwrap().unwrap();

    // R-CPN-19: test coupons paid 30 of c1 (then cash 8; 2 owed, R-CPN-17) and 10 of c2.
    let bill = app.ctx.store.partner_bill(&p.id, month).await.unwrap().unwrap();
    let t = bill.totals;
    assert_eq!(
        (t.amount_due, t.test_coupons, t.coupons, t.to_pay()),
        (money("50"), money("40"), money("8"), money("2"))
    );
    let lines = app.ctx.store.partner_bill_lines(&p.id, month).await.unwrap();
    let line = |c: &AccountId| lines.iter().find(|l| l.customer == *c).unwrap().clone();
    assert_eq!(
        (line(&c1).test_coupon, line(&c1).coupon, line(&c1).revenue().unwrap()),
        (money("30"), money("8"), money("2"))
    );
    assert_eq!(
        (line(&c2).test_coupon, line(&c2).coupon, line(&c2).revenue().unwrap()),
        (money("10"), Money::ZERO, Money::ZERO)
    );
    assert_eq!(app.ctx.store.quota_use(&p.id).await.unwrap().due, money("2"), "what is owed counts apart from coupons");

    // R-CPN-18, R-NOTIF-04: the partner hears once about each coupon left low, and the open one's
    // reminder, with the estimated bill; a second pass (another process) sends nothing more.
    let first_pass = test_coupons::remind(&app.ctx, 100).await.unwrap().notices;
    let second = app.another_process().await;
    assert_eq!(test_coupons::remind(&second.ctx, 100).await.unwrap().notices, 0);
    let sent = notices(&app, &p.email).await;
    assert_eq!(first_pass, sent.len());
    assert_eq!(sent.iter().filter(|n| n.contains("is used up")).count(), 1, "{sent:#?}");
    assert_eq!(sent.iter().filter(|n| n.contains("is running low")).count(), 1, "{sent:#?}");
    assert_eq!(sent.iter().filter(|n| n.contains("usage reminder")).count(), 1, "{sent:#?}");
    assert!(sent.iter().all(|n| n.contains("Estimated bill for") && n.contains("Balance:")), "{sent:#?}");
    app.clock.set(end.plus(Millis(DAY.0 * 8)));
    assert_eq!(test_coupons::remind(&app.ctx, 100).await.unwrap().notices, 1, "the next interval's reminder");
    assert_eq!(test_coupons::remind(&app.ctx, 100).await.unwrap().notices, 0);
    // Every change is in the audit trail.
    let session = sign_in(&app, &p.email, "Secret123!").await;
    let bill_page = page(&app, &session, &format!("/partner/bills/{}", bills::month_text(month))).await;
    assert!(bill_page.contains("Test coupons (not revenue)") && bill_page.contains("40.00"), "{bill_page}");
    let trail = ok(call(&app, "GET", "/api/v1/audit-events?limit=500", Value::Null, &session).await);
    let actions: Vec<&str> = trail["events"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    for action in ["test_coupon.requested", "test_coupon.approved", "test_coupon.rejected", "test_coupon.notice_sent"] {
        assert!(actions.contains(&action), "{action}: {trail}");
    }
}

async fn r_cpn_16_r_cpn_23_other_partners_see_and_decide_nothing_and_requests_are_checked(db: TestStore) {
    let app = app_with_limit(db).await;
    let ops = staff(&app).await;
    let p = partner(&app, "ana@acme.example", "Acme Ltd").await;
    let other = partner(&app, "bo@other.example", "Other Ltd").await;
    let theirs = customer(&app, &other.id, "tcp11").await;
    let mine = created(call(&app, "POST", REQUESTS, ask("10", 30), &p.session).await);
    let id = mine["request_id"].as_str().unwrap();
    // Another partner sees none of it and cannot decide it.
    let seen = ok(call(&app, "GET", BENEFIT, Value::Null, &other.session).await);
    assert_eq!(seen["requests"], json!([]));
    call(&app, "GET", QUEUE, Value::Null, &other.session).await.assert_error(403, "CBC.0151");
    call(&app, "POST", &format!("{QUEUE}/{id}/approval"), Value::Null, &other.session)
        .await
        .assert_error(403, "CBC.0151");
    call(&app, "POST", &format!("{QUEUE}/{id}/rejection"), json!({"reason": "x"}), &p.session)
        .await
        .assert_error(403, "CBC.0151");
    // Staff may not act as a partner.
    call(&app, "POST", REQUESTS, ask("10", 30), &ops).await.assert_error(403, "CBC.0151");
    // A project request only for one of the partner's reseller customers.
    let project = json!({"customer_id": theirs.as_str(), "amount": "5", "resource_config": LINK, "purpose": "x",
        "project_background": "y", "expected_order_date": "2026-09-01", "expected_order_amount": "10"});
    let r =
        call(&app, "POST", &format!("/api/v1/operator/partners/{}/test-coupon-requests", p.id), project, &ops).await;
    r.assert_error(400, "CBC.99000035");
    // Requests are checked field by field (R-CPN-24).
    for (body, field) in [
        (json!({"amount": "10", "resource_config": "not a link", "purpose": "x"}), "resource_config"),
        (json!({"amount": "10", "purpose": "x"}), "resource_config"),
        (json!({"amount": "10.001", "resource_config": LINK, "purpose": "x"}), "amount"),
        (json!({"amount": "0", "resource_config": LINK, "purpose": "x"}), "amount"),
        (json!({"amount": "10", "resource_config": LINK, "purpose": " "}), "purpose"),
        (json!({"amount": "10", "resource_config": LINK, "purpose": "x", "duration_days": 0}), "duration_days"),
    ] {
        let r = call(&app, "POST", REQUESTS, body.clone(), &p.session).await;
        assert!(r.assert_error(400, "CBC.0100").contains(field), "{body}: {}", r.body);
    }
    let queue = ok(call(&app, "GET", QUEUE, Value::Null, &ops).await);
    assert_eq!(queue["requests"].as_array().unwrap().len(), 1, "nothing refused was stored");
    call(&app, "POST", &format!("{QUEUE}/nope/approval"), Value::Null, &ops).await.assert_error(404, "CBC.99000054");
}

async fn r_cpn_23_concurrent_requests_never_pass_the_limit(db: TestStore) {
    let app = std::sync::Arc::new(app_with_limit(db).await);
    let p = partner(&app, "ana@acme.example", "Acme Ltd").await;
    let partner = app.ctx.store.partner(&p.id).await.unwrap().unwrap();
    // Eight requests of 15 at once against a limit of 50: at most three pass.
    let tries: Vec<_> = (0..8)
        .map(|_| {
            let (app, partner) = (app.clone(), partner.clone());
            tokio::spawn(async move {
                let draft = Draft {
                    amount: Money::parse("15").unwrap(),
                    resource_config: PriceLink::parse(LINK).unwrap(),
                    purpose: "PoC".into(),
                    duration_days: None,
                };
                test_coupons::request(&app.ctx, &partner, &draft).await
            })
        })
        .collect();
    let mut passed = 0;
    for t in tries {
        match t.await.unwrap() {
            Ok(_) => passed += 1,
            Err(e) => assert!(
                matches!(
                    e,
                    test_coupons::TestCouponOpError::TestCoupon(
                        opc_domain::coupon::test_coupon::TestCouponError::OverLimit { .. }
                    ) | test_coupons::TestCouponOpError::Concurrent
                ),
                "{e}"
            ),
        }
    }
    assert_eq!(passed, 3);
    let b = test_coupons::benefit(&app.ctx, &partner).await.unwrap();
    assert_eq!((b.committed, b.requests.len()), (money("45"), 3));
}

/// The console's page token for a session: what its pages embed in forms.
fn csrf_token(session: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(format!("opc-console-csrf\0{session}").as_bytes())[..16])
}

async fn page(app: &TestApp, session: &str, path: &str) -> String {
    let r = app.send("GET", path, "", &[("Cookie".to_owned(), format!("opc_session={session}"))]).await;
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
    let headers = vec![
        ("Cookie".to_owned(), format!("opc_session={session}")),
        ("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()),
    ];
    app.send("POST", path, &body, &headers).await
}

async fn r_cpn_24_the_console_page_requests_and_shows_test_coupons(db: TestStore) {
    let app = app_with_limit(db).await;
    let ops = staff(&app).await;
    let p = partner(&app, "ana@acme.example", "Acme Ltd").await;
    let empty = page(&app, &p.session, "/partner/test-coupons").await;
    assert!(empty.contains("Request test coupons") && empty.contains("50.00"), "{empty}");
    let fields = [("amount", "20"), ("resource_config", LINK), ("purpose", "PoC"), ("duration_days", "")];
    let r = submit(&app, &p.session, "/partner/test-coupon-requests", &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    // A bad link is answered on the page, next to its field, and nothing is stored.
    let bad = [("amount", "20"), ("resource_config", "calculator"), ("purpose", "PoC"), ("duration_days", "")];
    let r = submit(&app, &p.session, "/partner/test-coupon-requests", &bad).await;
    assert!(r.body.contains("Price Calculator link"), "{}", r.body);
    // Issue 17: several refused fields are answered at once, each next to its own.
    let several = [("amount", "0"), ("resource_config", LINK), ("purpose", " "), ("duration_days", "400")];
    let r = submit(&app, &p.session, "/partner/test-coupon-requests", &several).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("3 fields need correcting"), "{}", r.body);
    assert_eq!(r.body.matches(r#"<p class="error""#).count(), 3, "{}", r.body);
    let over = [("amount", "31"), ("resource_config", LINK), ("purpose", "PoC"), ("duration_days", "")];
    let r = submit(&app, &p.session, "/partner/test-coupon-requests", &over).await;
    assert!(r.body.contains("limit"), "{}", r.body);
    let queue = ok(call(&app, "GET", QUEUE, Value::Null, &ops).await);
    let requests = queue["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 1);
    let id = requests[0]["request_id"].as_str().unwrap();
    ok(call(&app, "POST", &format!("{QUEUE}/{id}/approval"), Value::Null, &ops).await);
    let shown = page(&app, &p.session, "/partner/test-coupons").await;
    assert!(
        shown.contains("Approved") && shown.contains("All reseller customers") && shown.contains("30.00"),
        "{shown}"
    );
    // Each table downloads as its own CSV.
    let requests_csv = page(&app, &p.session, "/partner/test-coupons?format=csv&table=requests").await;
    assert!(requests_csv.starts_with("Requested,Amount") && requests_csv.contains("Approved"), "{requests_csv}");
    let coupons_csv = page(&app, &p.session, "/partner/test-coupons?format=csv&table=test-coupons").await;
    assert!(
        coupons_csv.starts_with("Coupon,For,Face value") && coupons_csv.contains("All reseller customers"),
        "{coupons_csv}"
    );
    // Staff have no partner page.
    let r = app.send("GET", "/partner/test-coupons", "", &[("Cookie".to_owned(), format!("opc_session={ops}"))]).await;
    assert_ne!(r.status, 200);
}
