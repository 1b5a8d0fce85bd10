//! Resellers, quotas, balances, coupons, the operator's partner freeze and throttling, through
//! the real router on both backends.

use opc_core::ops::admin::{self, PartnerChange};
use opc_domain::partner::Program;
use opc_domain::{Millis, Money};
use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::sign::Credentials;
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

const CREATE: &str = "/v2/partners/sub-customers";
const LIST: &str = "/v2/partners/sub-customers/query";
const BUDGET: &str = "/v2/partners/sub-customers/budget";
const UNFREEZE: &str = "/v2/partners/sub-customers/unfreeze";
const RESELLERS: &str = "/v2/partners/indirect-partners/query";
const QUOTA: &str = "/v2/partners/credit/consumption-quota";
const BALANCES: &str = "/v2/accounts/customer-accounts/balances";
const EXPENDITURE: &str = "/v2/accounts/customer-accounts/expenditure-quota";
const COUPONS: &str = "/v2/promotions/benefits/coupons";

on_both_backends!(
    r_dist_02_a_distributor_lists_its_own_resellers,
    r_quota_01_the_partner_reads_its_consumption_quota,
    customers_read_their_own_balances_and_expenditure_quota,
    coupons_are_validated_and_scoped,
    r_quota_10_a_frozen_partner_develops_no_customers_and_keeps_resources_frozen,
    r_api_01_excess_requests_get_429_and_change_nothing,
);

async fn post(app: &TestApp, creds: &Credentials, path: &str, body: Value) -> TestResponse {
    app.signed("POST", path, &body.to_string(), creds).await
}

async fn get(app: &TestApp, creds: &Credentials, target: &str) -> TestResponse {
    app.signed("GET", target, "", creds).await
}

async fn create_customer(app: &TestApp, creds: &Credentials, name: &str, indirect: Option<&str>) -> String {
    let mut body = json!({"domain_name": name, "domain_area": "SG", "xaccount_id": name, "xaccount_type": "acme"});
    if let Some(id) = indirect {
        body["indirect_partner_id"] = json!(id);
    }
    let r = post(app, creds, CREATE, body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["domain_id"].as_str().unwrap().to_owned()
}

async fn r_dist_02_a_distributor_lists_its_own_resellers(db: TestStore) {
    let app = TestApp::new(db).await;
    let d = app.partner("Distri Ltd", Program::DistributionPartner, None).await;
    let r1 = app.partner("Alpha Resell", Program::Reseller, Some(d.partner.id())).await;
    app.clock.advance(Millis::days(1));
    let r2 = app.partner("Beta Resell", Program::Reseller, Some(d.partner.id())).await;
    let other = app.partner("Other Distri", Program::DistributionPartner, None).await;
    app.partner("Other Resell", Program::Reseller, Some(other.partner.id())).await;
    let creds = TestApp::credentials(&d);

    let all = post(&app, &creds, RESELLERS, json!({})).await.json();
    assert_eq!(all["count"], 2);
    let first = &all["indirect_partners"][0];
    assert_eq!(first["indirect_partner_id"], r1.partner.id().as_str());
    assert_eq!(first["name"], "Alpha Resell");
    assert_eq!(first["account_name"], r1.account.name().as_str());
    assert_eq!(first["associated_on"], "2026-03-01T08:00:00Z");
    let page = post(&app, &creds, RESELLERS, json!({"offset": 1, "limit": 1})).await.json();
    assert_eq!(
        (page["count"].as_i64(), page["indirect_partners"][0]["indirect_partner_id"].as_str()),
        (Some(2), Some(r2.partner.id().as_str()))
    );
    let by_id = post(&app, &creds, RESELLERS, json!({"indirect_partner_id": r2.partner.id().as_str()})).await.json();
    assert_eq!(by_id["count"], 1);
    let by_name =
        post(&app, &creds, RESELLERS, json!({"account_name": &r1.account.name().as_str()[..12]})).await.json();
    assert!(by_name["count"].as_i64().unwrap() >= 1);
    let since = post(&app, &creds, RESELLERS, json!({"associated_on_begin": "2026-03-02T00:00:00Z"})).await.json();
    assert_eq!(since["count"], 1);
    // Tenancy: another distributor's reseller is not found, even by id; a CSP has none.
    let foreign =
        post(&app, &TestApp::credentials(&other), RESELLERS, json!({"indirect_partner_id": r1.partner.id().as_str()}))
            .await;
    assert_eq!(foreign.body, r#"{"count":0,"indirect_partners":[]}"#);
    let csp = app.partner("Solo Ltd", Program::CloudSolutionProvider, None).await;
    assert_eq!(post(&app, &TestApp::credentials(&csp), RESELLERS, json!({})).await.json()["count"], 0);
    for bad in [json!({"limit": 0}), json!({"limit": 101}), json!({"associated_on_end": "yesterday"})] {
        post(&app, &creds, RESELLERS, bad).await.assert_error(400, "CBC.0100");
    }
}

async fn r_quota_01_the_partner_reads_its_consumption_quota(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    let r = get(&app, &creds, QUOTA).await.json();
    assert_eq!(r["consumption_quota"], "0");
    admin::change_partner(
        &app.ctx,
        p.partner.id().as_str(),
        PartnerChange::Quota(Money::parse("50000.5").unwrap()),
        "test",
    )
    .await
    .unwrap();
    let r = get(&app, &creds, QUOTA).await;
    assert_eq!(
        r.body,
        r#"{"amount":"0","consumption_quota":"50000.5","coupon_amount":"0","currency":"USD","due_amount":"0","measure_id":1,"unbilled_amount":"0","used_consumption_quota":"0"}"#
    );
}

async fn customers_read_their_own_balances_and_expenditure_quota(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    let id = create_customer(&app, &creds, "selfread1", None).await;
    let (key, secret) = admin::create_customer_key(&app.ctx, &id, "test").await.unwrap();
    let customer =
        Credentials { access_key: key.id().as_str().into(), secret_key: secret.expose().into(), domain_id: id.clone() };

    let q = get(&app, &customer, EXPENDITURE).await;
    assert_eq!(
        q.body,
        r#"{"currency":"USD","granting_amount":0,"granting_amount_used":0,"measure_id":1,"percentage_granting_amount_used":0}"#
    );
    post(&app, &creds, BUDGET, json!({"customer_id": id, "budget_amount": 300.25})).await;
    assert_eq!(get(&app, &customer, EXPENDITURE).await.json()["granting_amount"].to_string(), "300.25");

    let b = get(&app, &customer, BALANCES).await.json();
    assert_eq!(b["account_balances"][0]["account_type"], 1);
    assert_eq!(b["account_balances"][0]["amount"], 0);
    assert_eq!(b["debt_amount"], 0);
    assert_eq!(get(&app, &creds, BALANCES).await.status, 200, "a partner reads its own balances too");

    // A customer's key is not a partner's: partner operations are refused.
    post(&app, &customer, LIST, json!({})).await.assert_error(403, "CBC.0151");
    get(&app, &customer, QUOTA).await.assert_error(403, "CBC.0151");
    // And it signs only for its own account.
    let forged = Credentials { domain_id: p.account.id().as_str().into(), ..customer.clone() };
    get(&app, &forged, BALANCES).await.assert_error(401, "CBC.0154");
}

async fn coupons_are_validated_and_scoped(db: TestStore) {
    let app = TestApp::new(db).await;
    let d = app.partner("Distri Ltd", Program::DistributionPartner, None).await;
    let r = app.partner("Resell Ltd", Program::Reseller, Some(d.partner.id())).await;
    let other = app.partner("Other Ltd", Program::DistributionPartner, None).await;
    let creds = TestApp::credentials(&d);
    assert_eq!(get(&app, &creds, COUPONS).await.body, r#"{"count":0,"user_coupons":[]}"#);
    let scoped = format!("{COUPONS}?indirect_partner_id={}&status=2&limit=5", r.partner.id());
    assert_eq!(get(&app, &creds, &scoped).await.status, 200);
    get(&app, &TestApp::credentials(&other), &scoped).await.assert_error(400, "CBC.99000037");
    for bad in ["status=9", "coupon_type=0", "limit=0", "offset=-1", "active_start_time=2024", "status=x"] {
        get(&app, &creds, &format!("{COUPONS}?{bad}")).await.assert_error(400, "CBC.0100");
    }
}

/// R-QUOTA-10, R-DIST-05, R-RCM-11: while a partner (or its distributor) is frozen it develops
/// no customers, its customers show frozen, accounts may be unfrozen but resources may not;
/// unfreezing the partner restores every customer's own state.
async fn r_quota_10_a_frozen_partner_develops_no_customers_and_keeps_resources_frozen(db: TestStore) {
    let app = TestApp::new(db).await;
    let d = app.partner("Distri Ltd", Program::DistributionPartner, None).await;
    let r = app.partner("Resell Ltd", Program::Reseller, Some(d.partner.id())).await;
    let dc = TestApp::credentials(&d);
    let rc = TestApp::credentials(&r);
    let active = create_customer(&app, &rc, "active001", None).await;
    let frozen = create_customer(&app, &rc, "frozen001", None).await;
    post(&app, &rc, BUDGET, json!({"customer_id": active, "budget_amount": 10, "cancel_partner_frozen": "1"})).await;
    let is_frozen = |id: String| {
        let app = &app;
        let rc = rc.clone();
        async move {
            post(app, &rc, LIST, json!({"customer_id": id})).await.json()["customer_infos"][0]["is_frozen"]
                .as_i64()
                .unwrap()
        }
    };
    assert_eq!((is_frozen(active.clone()).await, is_frozen(frozen.clone()).await), (0, 1));

    admin::change_partner(&app.ctx, d.partner.id().as_str(), PartnerChange::Freeze, "test").await.unwrap();
    assert!(matches!(
        admin::change_partner(&app.ctx, d.partner.id().as_str(), PartnerChange::Freeze, "test").await,
        Err(admin::AdminError::PartnerState(_))
    ));
    // R-DIST-05: the distributor's freeze reaches its reseller and the reseller's customers.
    post(
        &app,
        &rc,
        CREATE,
        json!({"domain_name": "newcust99", "domain_area": "SG", "xaccount_id": "x", "xaccount_type": "t"}),
    )
    .await
    .assert_error(403, "CBC.99000044");
    post(&app, &dc, CREATE, json!({"domain_name": "newcust99", "domain_area": "SG", "xaccount_id": "x", "xaccount_type": "t", "indirect_partner_id": r.partner.id().as_str()}))
        .await
        .assert_error(403, "CBC.99000044");
    assert_eq!(is_frozen(active.clone()).await, 1, "the active customer is frozen with its partner");
    let r2 = post(
        &app,
        &rc,
        UNFREEZE,
        json!({"customer_ids": [frozen], "reason": "x", "unfreeze_type": "ACCOUNT_AND_RESOURCE"}),
    )
    .await
    .json();
    assert_eq!(r2["error_details"][0]["error_code"], "CBC.99000043", "R-RCM-11: no resource unfreezing");
    let r3 = post(&app, &rc, UNFREEZE, json!({"customer_ids": [frozen], "reason": "x"})).await;
    assert_eq!(r3.body, "{}", "R-RCM-11: account unfreezing is allowed");

    admin::change_partner(&app.ctx, d.partner.id().as_str(), PartnerChange::Unfreeze, "test").await.unwrap();
    assert_eq!((is_frozen(active.clone()).await, is_frozen(frozen.clone()).await), (0, 0));
    create_customer(&app, &rc, "newcust99", None).await;
}

async fn r_api_01_excess_requests_get_429_and_change_nothing(db: TestStore) {
    let app = TestApp::with_throttle(db, 10).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    for i in 0..10 {
        let r = post(&app, &creds, CREATE, json!({"domain_name": format!("burst{i:04}"), "domain_area": "SG", "xaccount_id": "x", "xaccount_type": "t"})).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let r = post(
        &app,
        &creds,
        CREATE,
        json!({"domain_name": "burst0010", "domain_area": "SG", "xaccount_id": "x", "xaccount_type": "t"}),
    )
    .await;
    let msg = r.assert_error(429, "APIG.0308");
    assert_eq!(msg, "The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 second");
    // Another API still answers; the refused request created nothing.
    let listed = post(&app, &creds, LIST, json!({"limit": 100})).await.json();
    assert_eq!(listed["count"], 10);
    app.clock.advance(Millis(1000));
    let r = post(
        &app,
        &creds,
        CREATE,
        json!({"domain_name": "burst0010", "domain_area": "SG", "xaccount_id": "x", "xaccount_type": "t"}),
    )
    .await;
    assert_eq!(r.status, 200, "a second later the budget is back");
}
