//! Coupons (issue 15, BSS B1.5.1, B2.5): the operator grants a distributor a coupon quota, the
//! distributor passes part of it to a reseller, the reseller issues coupons to its customers
//! and reclaims them, expired coupons return to their quota, and the month's bill deducts the
//! coupons in the documented order (R-CPN-03, R-CPN-09), through the real router on both
//! backends.

use opc_core::ops::bills;
use opc_core::ops::coupons;
use opc_core::store::CouponQuery;
use opc_core::Clock;
use opc_domain::association::AssociationModel;
use opc_domain::coupon::{CouponRequest, Limits, Validity};
use opc_domain::partner::Program;
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Millis, Money, PartnerId};
use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::seed;
use opc_testkit::sign::Credentials;
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

const CHANGES: &str = "/v2/promotions/benefits/account-change-records";
const COUPONS: &str = "/v2/promotions/benefits/partner-coupons";
const RECLAIM: &str = "/v2/promotions/benefits/partner-coupons/reclaim";
const COUPON_RECORDS: &str = "/v2/promotions/benefits/partner-coupons/records/query";
const QUOTAS: &str = "/v2/partners/coupon-quotas/query";
const QUOTA_RECORDS: &str = "/v2/partners/coupon-quotas/records";
const ISSUE_QUOTA: &str = "/v2/partners/coupon-quotas/indirect-partner-adjust";
const RECLAIM_QUOTA: &str = "/v2/partners/coupon-quotas/indirect-partner-reclaim";
const ISSUED_QUOTAS: &str = "/v2/partners/issued-coupon-quotas";
const OWN_COUPONS: &str = "/v2/promotions/benefits/coupons";
const DAY: Millis = Millis(86_400_000);

on_both_backends!(
    b2_5_a_quota_goes_down_the_channel_and_becomes_coupons,
    b2_5_coupons_stay_within_tenancy_and_requests_are_checked,
    concurrent_issuing_never_over_issues_a_quota,
    an_expired_coupon_returns_to_its_quota_once,
    r_cpn_03_r_cpn_09_the_month_closes_with_coupons_deducted_before_the_balance,
    r_cpn_01_r_cpn_12_a_coupon_for_pay_per_use_at_half_a_line_pays_just_that,
);

async fn post(app: &TestApp, creds: &Credentials, path: &str, body: Value) -> TestResponse {
    app.signed("POST", path, &body.to_string(), creds).await
}

async fn get(app: &TestApp, creds: &Credentials, target: &str) -> TestResponse {
    app.signed("GET", target, "", creds).await
}

fn ok(r: TestResponse) -> Value {
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

async fn customer(app: &TestApp, partner: &PartnerId, name: &str, model: AssociationModel) -> AccountId {
    let (account, association, audit) = seed::customer(name, partner, model, app.clock.now());
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    account.id().clone()
}

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

fn validity(app: &TestApp, days: i64) -> Validity {
    let now = app.clock.now();
    Validity::new(now, now.plus(Millis(DAY.0 * days))).unwrap()
}

async fn grant(app: &TestApp, partner: &PartnerId, value: &str) -> String {
    let v = validity(app, 60);
    coupons::grant_quota(&app.ctx, "finance", partner.as_str(), money(value), v, Limits::default(), "Q1")
        .await
        .unwrap()
        .id
}

async fn b2_5_a_quota_goes_down_the_channel_and_becomes_coupons(db: TestStore) {
    let app = TestApp::new(db).await;
    let d = app.partner("Distri Ltd", Program::DistributionPartner, None).await;
    let r = app.partner("Resell Ltd", Program::Reseller, Some(d.partner.id())).await;
    let (dc, rc) = (TestApp::credentials(&d), TestApp::credentials(&r));
    let reseller = r.partner.id().as_str().to_owned();
    let parent = grant(&app, d.partner.id(), "100").await;

    // The distributor passes 40 to its reseller (B2.5.11); a second reseller id is not its.
    app.clock.advance(Millis(1000));
    let stranger = app.partner("Other Ltd", Program::CloudSolutionProvider, None).await;
    let body = json!({"quota_id": parent, "indirect_partner_ids": [reseller, stranger.partner.id().as_str()], "quota_amount": 40});
    let issued = ok(post(&app, &dc, ISSUE_QUOTA, body).await);
    assert_eq!(issued["simple_quota_infos"].as_array().unwrap().len(), 1, "{issued}");
    assert_eq!(issued["simple_quota_infos"][0]["id"], reseller.as_str());
    assert_eq!(issued["error_details"][0]["id"], stranger.partner.id().as_str());
    let child = issued["simple_quota_infos"][0]["quota_id"].as_str().unwrap().to_owned();

    let own = ok(post(&app, &dc, QUOTAS, json!({})).await);
    assert_eq!((own["total_count"].clone(), own["quotas"][0]["balance"].clone()), (json!(1), json!(60)));
    assert_eq!(
        (own["quotas"][0]["quota_value"].clone(), own["quotas"][0]["quota_status"].clone()),
        (json!(100), json!(0))
    );
    let theirs = ok(post(&app, &rc, QUOTAS, json!({})).await);
    assert_eq!(
        (theirs["quotas"][0]["quota_id"].as_str(), theirs["quotas"][0]["balance"].clone()),
        (Some(child.as_str()), json!(40))
    );
    let on_behalf = ok(post(&app, &dc, QUOTAS, json!({"indirect_partner_id": reseller})).await);
    assert_eq!(on_behalf["total_count"], 1, "the distributor reads its reseller's quotas");
    let listed = ok(get(&app, &dc, ISSUED_QUOTAS).await);
    assert_eq!(listed["total_count"], 1);
    assert_eq!(listed["quotas"][0]["parent_quota_id"], parent.as_str());
    assert_eq!(listed["quotas"][0]["indirect_partner_name"], "Resell Ltd");

    // The reseller issues 15 to each of its reseller customers; a referral customer gets none.
    let c1 = customer(&app, r.partner.id(), "cpn01", AssociationModel::Reseller).await;
    let c2 = customer(&app, r.partner.id(), "cpn02", AssociationModel::Reseller).await;
    let c3 = customer(&app, r.partner.id(), "cpn03", AssociationModel::Referral).await;
    app.clock.advance(Millis(1000));
    let body = json!({"quota_id": child, "customer_ids": [c1.as_str(), c3.as_str(), c2.as_str()], "face_value": 15, "memo": "welcome"});
    let made = ok(post(&app, &rc, COUPONS, body).await);
    assert_eq!(made["coupon_infos"].as_array().unwrap().len(), 2, "{made}");
    assert_eq!(made["error_details"][0]["id"], c3.as_str());
    let c1_coupon = made["coupon_infos"][0]["coupon_id"].as_str().unwrap().to_owned();
    assert_eq!(made["coupon_infos"][0]["id"], c1.as_str());
    let theirs = ok(post(&app, &rc, QUOTAS, json!({})).await);
    assert_eq!(theirs["quotas"][0]["balance"], 10, "40 less two coupons of 15");
    // Now the quota cannot cover another 15.
    let body = json!({"quota_id": child, "customer_ids": [c1.as_str()], "face_value": 15});
    let short = ok(post(&app, &rc, COUPONS, body).await);
    assert_eq!(short["error_details"][0]["error_code"], "CBC.99000057", "{short}");

    let list = ok(get(&app, &rc, &format!("{COUPONS}?customer_id={c1}")).await);
    assert_eq!(list["total_count"], 1);
    let coupon = &list["user_coupons"][0];
    assert_eq!(
        (coupon["face_value"].clone(), coupon["balance"].clone(), coupon["status"].clone()),
        (json!(15), json!(15), json!(2))
    );
    assert_eq!(coupon["promotion_plan_desc"], "welcome");
    let on_behalf = ok(get(&app, &dc, &format!("{COUPONS}?indirect_partner_id={reseller}")).await);
    assert_eq!(on_behalf["total_count"], 2);
    let mine = ok(get(&app, &rc, OWN_COUPONS).await);
    assert_eq!(mine["count"], 2, "the reseller's own coupons, for its customers: {mine}");

    // Reclaim: the whole remaining balance back into the quota (B2.5.10); only once.
    app.clock.advance(Millis(1000));
    ok(post(&app, &rc, RECLAIM, json!({"coupon_id": c1_coupon})).await);
    // (The same request signed at the same instant would be a replay, answered as the first.)
    app.clock.advance(Millis(1000));
    post(&app, &rc, RECLAIM, json!({"coupon_id": c1_coupon})).await.assert_error(400, "CBC.0100");
    let theirs = ok(post(&app, &rc, QUOTAS, json!({})).await);
    assert_eq!(theirs["quotas"][0]["balance"], 25);
    let reclaimed = ok(get(&app, &rc, &format!("{COUPONS}?status=5")).await);
    assert_eq!(
        (reclaimed["total_count"].clone(), reclaimed["user_coupons"][0]["balance"].clone()),
        (json!(1), json!(0))
    );

    // The records: two issues and a reclaim, newest first.
    let records = ok(get(&app, &rc, COUPON_RECORDS).await);
    assert_eq!(records["total_count"], 3, "{records}");
    let types: Vec<_> = records["records"].as_array().unwrap().iter().map(|r| r["operation_type"].clone()).collect();
    assert_eq!(types, [json!("2"), json!("1"), json!("1")]);
    assert_eq!(records["records"][0]["operation_amount"], 15);
    let of_c1 = ok(get(&app, &rc, &format!("{COUPON_RECORDS}?customer_id={c1}&operation_types=1")).await);
    assert_eq!(of_c1["total_count"], 1);

    // The distributor takes the rest of the reseller's quota back (B2.5.9).
    app.clock.advance(Millis(1000));
    let back = ok(post(&app, &dc, RECLAIM_QUOTA, json!({"quota_ids": [child], "remark": "quarter end"})).await);
    assert_eq!(back["simple_quota_infos"][0]["quota_balance"], 0, "{back}");
    let own = ok(post(&app, &dc, QUOTAS, json!({})).await);
    assert_eq!(own["quotas"][0]["balance"], 85, "60 and the 25 left");
    let again = ok(post(&app, &dc, RECLAIM_QUOTA, json!({"quota_ids": [child]})).await);
    assert_eq!(again["error_details"][0]["id"], child.as_str(), "nothing left to reclaim");
    let records = ok(get(&app, &dc, QUOTA_RECORDS).await);
    assert_eq!(records["total_count"], 2, "{records}");
    assert_eq!(records["records"][0]["operation_type"], "11");
    assert_eq!(records["records"][0]["amount"], 25);
    assert_eq!(records["records"][0]["remark"], "quarter end");
    assert_eq!(records["records"][1]["operation_type"], "10");
    assert_eq!(records["records"][1]["parent_quota_id"], parent.as_str());
    let issues = ok(get(&app, &dc, &format!("{QUOTA_RECORDS}?operation_type=10")).await);
    assert_eq!(issues["total_count"], 1);
}

async fn b2_5_coupons_stay_within_tenancy_and_requests_are_checked(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let other = app.partner("Other Ltd", Program::CloudSolutionProvider, None).await;
    let (pc, oc) = (TestApp::credentials(&p), TestApp::credentials(&other));
    let quota = grant(&app, p.partner.id(), "50").await;
    let c = customer(&app, p.partner.id(), "cpn10", AssociationModel::Reseller).await;
    let theirs = customer(&app, other.partner.id(), "cpn11", AssociationModel::Reseller).await;

    for (body, field) in [
        (json!({"quota_id": quota, "customer_ids": [c.as_str()], "face_value": 1.001}), "face_value"),
        (json!({"quota_id": quota, "customer_ids": [c.as_str()], "face_value": 0}), "face_value"),
        (json!({"quota_id": quota, "customer_ids": [c.as_str()]}), "face_value"),
        (json!({"quota_id": quota, "customer_ids": [], "face_value": 1}), "customer_ids"),
        (json!({"customer_ids": [c.as_str()], "face_value": 1}), "quota_id"),
        (
            json!({"quota_id": quota, "customer_ids": [c.as_str()], "face_value": 1, "expire_time": "2099-01-01T00:00:00Z"}),
            "expire_time",
        ),
    ] {
        let r = post(&app, &pc, COUPONS, body).await;
        r.assert_error(400, "CBC.0100");
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    let many: Vec<String> = (0..101).map(|n| format!("id{n}")).collect();
    post(&app, &pc, COUPONS, json!({"quota_id": quota, "customer_ids": many, "face_value": 1}))
        .await
        .assert_error(400, "CBC.0100");

    // Another partner's quota, coupon or customer is not found, and nothing moves.
    let body = json!({"quota_id": quota, "customer_ids": [theirs.as_str()], "face_value": 1});
    post(&app, &oc, COUPONS, body).await.assert_error(404, "CBC.99000054");
    let body = json!({"quota_id": quota, "customer_ids": [theirs.as_str()], "face_value": 1});
    let refused = ok(post(&app, &pc, COUPONS, body).await);
    assert_eq!(refused["error_details"][0]["id"], theirs.as_str(), "not its customer");
    let made =
        ok(post(&app, &pc, COUPONS, json!({"quota_id": quota, "customer_ids": [c.as_str()], "face_value": 5})).await);
    let coupon = made["coupon_infos"][0]["coupon_id"].as_str().unwrap().to_owned();
    post(&app, &oc, RECLAIM, json!({"coupon_id": coupon})).await.assert_error(404, "CBC.99000054");
    assert_eq!(ok(get(&app, &oc, COUPONS).await)["total_count"], 0);
    assert_eq!(ok(post(&app, &oc, QUOTAS, json!({})).await)["total_count"], 0);
    assert_eq!(ok(get(&app, &oc, COUPON_RECORDS).await)["total_count"], 0);
    post(&app, &oc, QUOTAS, json!({"indirect_partner_id": p.partner.id().as_str()}))
        .await
        .assert_error(400, "CBC.99000037");
    post(&app, &oc, RECLAIM_QUOTA, json!({"quota_ids": [quota]})).await;
    assert_eq!(ok(post(&app, &pc, QUOTAS, json!({})).await)["quotas"][0]["balance"], 45);
    // A status filter and a malformed one.
    assert_eq!(ok(get(&app, &pc, &format!("{COUPONS}?status=2")).await)["total_count"], 1);
    assert_eq!(ok(get(&app, &pc, &format!("{COUPONS}?status=3")).await)["total_count"], 0);
    get(&app, &pc, &format!("{COUPONS}?status=9")).await.assert_error(400, "CBC.0100");
    post(&app, &pc, QUOTAS, json!({"quota_status_list": [7]})).await.assert_error(400, "CBC.0100");
}

async fn concurrent_issuing_never_over_issues_a_quota(db: TestStore) {
    let app = std::sync::Arc::new(TestApp::new(db).await);
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let pc = TestApp::credentials(&p);
    let quota = grant(&app, p.partner.id(), "100").await;
    let c = customer(&app, p.partner.id(), "cpn20", AssociationModel::Reseller).await;
    // Ten calls of 15 at once against a quota of 100, each its own request (one cent apart: the
    // same request signed at the same instant would be one request, answered once).
    let tries: Vec<_> = (0..10)
        .map(|i| {
            let face = format!("15.{i:02}");
            let body = json!({"quota_id": quota, "customer_ids": [c.as_str()], "face_value": face}).to_string();
            let (app, pc) = (app.clone(), pc.clone());
            tokio::spawn(async move { app.signed("POST", COUPONS, &body, &pc).await })
        })
        .collect();
    let (mut issued, mut total) = (0, Money::ZERO);
    for (i, t) in tries.into_iter().enumerate() {
        let r = t.await.unwrap();
        if r.status == 200 {
            let made = r.json()["coupon_infos"].as_array().map_or(0, Vec::len);
            issued += made;
            if made == 1 {
                total = total.checked_add(Money::parse(&format!("15.{i:02}")).unwrap()).unwrap();
            }
        } else {
            assert!(r.body.contains("CBC.99000049"), "only a retry may fail: {}", r.body);
        }
    }
    let q = ok(post(&app, &pc, QUOTAS, json!({})).await);
    let balance = Money::parse(&q["quotas"][0]["balance"].to_string()).unwrap();
    let expected = Money::from_major(100).unwrap().checked_sub(total).unwrap();
    assert_eq!(balance, expected, "the quota moved by what was issued");
    assert!(issued <= 6, "100 covers at most six coupons of 15");
    assert_eq!(ok(get(&app, &pc, COUPONS).await)["total_count"], issued);
}

async fn an_expired_coupon_returns_to_its_quota_once(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let pc = TestApp::credentials(&p);
    let quota = grant(&app, p.partner.id(), "30").await;
    let c = customer(&app, p.partner.id(), "cpn30", AssociationModel::Reseller).await;
    let soon = app.clock.now().plus(DAY).to_rfc3339();
    let body = json!({"quota_id": quota, "customer_ids": [c.as_str()], "face_value": 12.34, "expire_time": soon});
    ok(post(&app, &pc, COUPONS, body).await);
    assert_eq!(coupons::expire_coupons(&app.ctx, 100).await.unwrap(), 0, "still valid");
    app.clock.advance(Millis(DAY.0 + 1));
    assert_eq!(ok(get(&app, &pc, &format!("{COUPONS}?status=4")).await)["total_count"], 1, "expired");
    assert_eq!(coupons::expire_coupons(&app.ctx, 100).await.unwrap(), 1);
    assert_eq!(coupons::expire_coupons(&app.ctx, 100).await.unwrap(), 0, "only once");
    assert_eq!(ok(post(&app, &pc, QUOTAS, json!({})).await)["quotas"][0]["balance"], 30);
    let records = ok(get(&app, &pc, &format!("{COUPON_RECORDS}?operation_types=4")).await);
    assert_eq!(
        (records["total_count"].clone(), records["records"][0]["operation_amount"].clone()),
        (json!(1), json!(12.34))
    );

    // B2.5.3: the partner's coupon movements, newest first: issued (revenue), then expired.
    let changes = ok(get(&app, &pc, &format!("{CHANGES}?balance_type=BALANCE_TYPE_COUPON")).await);
    assert_eq!(changes["total_count"], 2, "{changes}");
    let first = &changes["records"][0];
    assert_eq!(
        (first["trade_detail_type"].as_str(), first["revenue_expense_type"].as_str()),
        (Some("SOURCE_OPERAIION_EXPIRECLEAR"), Some("EXPENSE"))
    );
    assert_eq!((first["change_amount"].as_str(), first["balance_after_change"].as_str()), (Some("-12.34"), Some("0")));
    assert_eq!(changes["records"][1]["change_amount"], "12.34");
    assert_eq!(changes["records"][1]["account_name"], p.account.name().as_str(), "{changes}");
    let revenue =
        ok(get(&app, &pc, &format!("{CHANGES}?balance_type=BALANCE_TYPE_COUPON&revenue_expense_type=REVENUE")).await);
    assert_eq!(revenue["total_count"], 1);
    let refunds = ok(get(&app, &pc, &format!("{CHANGES}?balance_type=BALANCE_TYPE_COUPON&trade_type=REFUND")).await);
    assert_eq!(refunds["total_count"], 0, "no order these coupons paid was unsubscribed");
    let later =
        ok(get(&app, &pc, &format!("{CHANGES}?balance_type=BALANCE_TYPE_COUPON&trade_time_begin=2099-01-01")).await);
    assert_eq!(later["total_count"], 0);
    for bad in [
        "",
        "?balance_type=BALANCE_TYPE_DEBIT",
        "?balance_type=BALANCE_TYPE_COUPON&limit=101",
        "?balance_type=BALANCE_TYPE_COUPON&trade_time_begin=2026-13-01",
    ] {
        get(&app, &pc, &format!("{CHANGES}{bad}")).await.assert_error(400, "CBC.0100");
    }
    let other = app.partner("Other Ltd", Program::CloudSolutionProvider, None).await;
    let theirs =
        ok(get(&app, &TestApp::credentials(&other), &format!("{CHANGES}?balance_type=BALANCE_TYPE_COUPON")).await);
    assert_eq!(theirs["total_count"], 0, "another partner sees none of them");
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

async fn r_cpn_03_r_cpn_09_the_month_closes_with_coupons_deducted_before_the_balance(db: TestStore) {
    let app = TestApp::new(db).await;
    let catalog = opc_store::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let pid = p.partner.id().clone();
    let pc = TestApp::credentials(&p);
    let (c1, c2) = (
        customer(&app, &pid, "cpn40", AssociationModel::Reseller).await,
        customer(&app, &pid, "cpn41", AssociationModel::Reseller).await,
    );
    let month = Cycle::of(app.clock.now(), app.ctx.policy.billing_offset);
    // 0.0125 an hour: c1 uses 25, c2 10, at list price (no settlement discount).
    use_hours(&app, &[(&c1, 2000), (&c2, 800)]).await;
    let quota = grant(&app, &pid, "100").await;
    ok(post(&app, &pc, COUPONS, json!({"quota_id": quota, "customer_ids": [c1.as_str()], "face_value": 15})).await);
    let general = CouponRequest {
        face_value: money("8"),
        from: None,
        to: Some(validity(&app, 60).to),
        limits: Limits::default(),
        memo: String::new(),
    };
    coupons::give_coupon(&app.ctx, "finance", pid.as_str(), None, &general).await.unwrap();
    let obs_only =
        CouponRequest { limits: Limits::new(vec!["hws.service.type.obs".into()], vec![]).unwrap(), ..general.clone() };
    coupons::give_coupon(&app.ctx, "finance", pid.as_str(), None, &obs_only).await.unwrap();
    opc_core::ops::funds::record(
        &app.ctx,
        pid.as_str(),
        opc_core::ops::funds::OperatorEntry::Payment(money("5")),
        "",
        "finance",
    )
    .await
    .unwrap();

    // B1.2: the open cash coupons' balance counts against the quota's use (coupon_amount).
    let quota_before = ok(get(&app, &pc, "/v2/partners/credit/consumption-quota").await);
    assert_eq!(quota_before["coupon_amount"], "31", "c1's 15, the general 8, the OBS-only 8: {quota_before}");

    // The estimate deducts the same coupons, as a dry run.
    let estimate = bills::estimate(&app.ctx, &pid, month).await.unwrap();
    assert_eq!((estimate.totals().amount_due, estimate.totals().coupons), (money("35"), money("23")));
    let (_, end) = opc_domain::bill::cycle_bounds(month, app.ctx.policy.billing_offset).unwrap();
    app.clock.set(end.plus(DAY));
    bills::run(&app.ctx, month, "test", |_| ()).await.unwrap().unwrap();

    let bill = app.ctx.store.partner_bill(&pid, month).await.unwrap().unwrap();
    // R-CPN-09: c1's own 15 first, then the general 8; the OBS-only coupon pays nothing.
    assert_eq!(
        (bill.totals.amount_due, bill.totals.coupons, bill.totals.to_pay()),
        (money("35"), money("23"), money("12"))
    );
    assert_eq!(bill.paid, money("5"), "R-BILL-02: the balance pays what the coupons left, as far as it goes");
    let lines = app.ctx.store.partner_bill_lines(&pid, month).await.unwrap();
    let coupons_sum = lines.iter().try_fold(Money::ZERO, |s, l| s.checked_add(l.coupon)).unwrap();
    assert_eq!(coupons_sum, bill.totals.coupons, "R-BILL-07: the lines' coupons add up to the bill's");
    let of_c1 = lines.iter().find(|l| l.customer == c1).unwrap();
    assert!(of_c1.coupon >= money("15"), "c1's own coupon paid c1's spend");
    let left = ok(get(&app, &pc, OWN_COUPONS).await);
    let balances: Vec<_> = left["user_coupons"].as_array().unwrap().iter().map(|c| c["balance"].clone()).collect();
    assert_eq!(balances.iter().filter(|b| **b == json!(0)).count(), 2, "{left}");
    assert!(balances.contains(&json!(8)), "the OBS-only coupon is untouched");
    // The coupon ledger: each used coupon has one deduction naming the bill.
    let used = app
        .ctx
        .store
        .coupons(&opc_core::store::CouponQuery { partner: Some(pid.clone()), ..Default::default() })
        .await
        .unwrap();
    let mut deducted = Money::ZERO;
    for c in &used {
        for e in app.ctx.store.coupon_entries(&c.id).await.unwrap() {
            if e.kind == opc_domain::coupon::CouponEntryKind::Deduct {
                assert_eq!(e.trade, format!("bill-{pid}-{}", month.0));
                deducted = deducted.checked_add(e.amount.abs()).unwrap();
            }
        }
    }
    assert_eq!(deducted, money("23"));
    // What the quota counts as owed is what is left to pay, less the coupons still open.
    let quota = app.ctx.store.quota_use(&pid).await.unwrap();
    assert_eq!((quota.due, quota.coupons), (money("7"), money("8")));
    let read = ok(get(&app, &pc, "/v2/partners/credit/consumption-quota").await);
    assert_eq!(
        (read["coupon_amount"].as_str(), read["due_amount"].as_str(), read["used_consumption_quota"].as_str()),
        (Some("8"), Some("7"), Some("-1")),
        "used = due + unbilled − balance − coupon balance: {read}"
    );
}

async fn r_cpn_01_r_cpn_12_a_coupon_for_pay_per_use_at_half_a_line_pays_just_that(db: TestStore) {
    let app = TestApp::new(db).await;
    let catalog = opc_store::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
    let p = app.partner("Half Ltd", Program::CloudSolutionProvider, None).await;
    let pid = p.partner.id().clone();
    let pc = TestApp::credentials(&p);
    let c1 = customer(&app, &pid, "cpn50", AssociationModel::Reseller).await;
    let month = Cycle::of(app.clock.now(), app.ctx.policy.billing_offset);
    // 0.0125 an hour: c1 uses 25 pay-per-use.
    use_hours(&app, &[(&c1, 2000)]).await;
    let limits = Limits::default()
        .with_modes(vec![opc_domain::catalog::ChargingMode::OnDemand])
        .with_max_share(Some(opc_domain::bill::Discount::parse("0.5").unwrap()))
        .unwrap();
    let half = CouponRequest {
        face_value: money("100"),
        from: None,
        to: Some(validity(&app, 60).to),
        limits,
        memo: String::new(),
    };
    let coupon = coupons::give_coupon(&app.ctx, "finance", pid.as_str(), None, &half).await.unwrap();
    // Its limits read back over BSS (use_limits): pay-per-use (charge mode 3), at most half.
    let mine = ok(get(&app, &pc, OWN_COUPONS).await);
    let limits: Vec<(String, String)> = mine["user_coupons"][0]["use_limits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["limit_key"].as_str().unwrap().to_owned(), l["value1"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(limits, [("charging_modes".to_owned(), "3".to_owned()), ("usage_ratio".to_owned(), "0.5".to_owned())]);

    // The month closes: the coupon pays half of c1's 25, and the partner the rest.
    let (_, end) = opc_domain::bill::cycle_bounds(month, app.ctx.policy.billing_offset).unwrap();
    app.clock.set(end.plus(DAY));
    bills::run(&app.ctx, month, "test", |_| ()).await.unwrap().unwrap();
    let bill = app.ctx.store.partner_bill(&pid, month).await.unwrap().unwrap();
    assert_eq!(
        (bill.totals.amount_due, bill.totals.coupons, bill.totals.to_pay()),
        (money("25"), money("12.5"), money("12.5"))
    );
    let left = app.ctx.store.coupons(&CouponQuery { coupon: Some(coupon.id.clone()), ..CouponQuery::default() }).await;
    assert_eq!(left.unwrap()[0].balance, money("87.5"));
}
