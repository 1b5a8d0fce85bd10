//! The operator's product catalog through the console API, on both backends: an import is
//! checked whole (every problem, nothing changed), versions follow each other, and the BSS
//! product APIs serve the current one.

use opc_testkit::app::TestApp;
use opc_testkit::console::{call, staff};
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

on_both_backends!(
    an_imported_catalog_is_served_and_a_bad_one_changes_nothing,
    r_rcm_04_ingested_usage_is_rated_into_the_budgets_spend_once,
    r_rcm_04_r_quota_06_spend_brings_notices_the_automatic_freeze_and_the_restriction,
    issue_18_a_batch_that_would_take_a_spend_past_the_largest_amount_is_refused_whole,
);

fn catalog(price: &str) -> Value {
    json!({
        "service_types": [{"code": "hws.service.type.ec2", "name": "Elastic Cloud Server", "name_zh": "弹性云服务器"}],
        "resource_types": [{"code": "hws.resource.type.vm", "service_type": "hws.service.type.ec2", "name": "Cloud server"}],
        "usage_types": [{"code": "Duration", "resource_type": "hws.resource.type.vm", "name": "Duration"}],
        "measure_units": [{"id": 4, "name": "hour", "measure_type": 2}],
        "specs": [{"code": "s6.small.1.linux", "resource_type": "hws.resource.type.vm", "name": "s6 small", "regions": ["ap-southeast-1"]}],
        "prices": [{"spec": "s6.small.1.linux", "region": "ap-southeast-1", "charging_mode": "ON_DEMAND",
            "usage_factor": "Duration", "usage_measure_id": 4, "amount": price}]})
}

async fn an_imported_catalog_is_served_and_a_bad_one_changes_nothing(db: TestStore) {
    let app = TestApp::new(db).await;
    let ops = staff(&app).await;
    let empty = call(&app, "GET", "/api/v1/operator/catalog", Value::Null, &ops).await.json();
    assert_eq!((empty["version"].as_i64(), empty["catalog"]["prices"].as_array().map(Vec::len)), (Some(0), Some(0)));

    let r = call(&app, "PUT", "/api/v1/operator/catalog", catalog("0.0125"), &ops).await;
    assert_eq!((r.status.as_u16(), r.json()["version"].as_i64()), (200, Some(1)), "{}", r.body);
    let mut bad = catalog("0.00000000001");
    bad["resource_types"][0]["service_type"] = json!("hws.service.type.nope");
    let msg = call(&app, "PUT", "/api/v1/operator/catalog", bad, &ops).await.assert_error(400, "CBC.0100");
    assert!(msg.contains("prices[0]") && msg.contains("resource_types[0]"), "{msg}");
    call(&app, "PUT", "/api/v1/operator/catalog", json!({"unknown": []}), &ops).await.assert_error(400, "CBC.0100");
    let current = call(&app, "GET", "/api/v1/operator/catalog", Value::Null, &ops).await.json();
    assert_eq!(
        (current["version"].as_i64(), current["catalog"]["prices"][0]["amount"].as_str()),
        (Some(1), Some("0.0125"))
    );

    assert_eq!(call(&app, "PUT", "/api/v1/operator/catalog", catalog("0.02"), &ops).await.json()["version"], 2);
    let partner = app.partner("Acme Ltd", opc_domain::partner::Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&partner);
    let body = json!({"region_code": "ap-southeast-1", "need_price": true}).to_string();
    let prices = app.signed("POST", "/v2/products/resource-specs-price/query", &body, &creds).await.json();
    assert_eq!(prices["resource_spec_infos"][0]["price_lists"][0]["official_price"], "0.02", "the current version");
    let trail = call(&app, "GET", "/api/v1/audit-events", Value::Null, &ops).await.json();
    let imports = trail["events"].as_array().unwrap().iter().filter(|e| e["action"] == "catalog.imported").count();
    assert_eq!(imports, 2, "a refused import leaves no trace");
}

fn usage(id: &str, customer: &str, value: &str, unit: i32, ended_at: &str) -> Value {
    json!({"id": id, "customer_id": customer, "resource_id": "vm-1", "cloud_service_type": "hws.service.type.ec2",
        "resource_type": "hws.resource.type.vm", "resource_spec": "s6.small.1.linux", "region": "ap-southeast-1",
        "usage_factor": "Duration", "usage_value": serde_json::from_str::<Value>(value).unwrap(), "usage_measure_id": unit,
        "ended_at": ended_at})
}

async fn r_rcm_04_ingested_usage_is_rated_into_the_budgets_spend_once(db: TestStore) {
    let app = TestApp::new(db).await;
    let ops = staff(&app).await;
    let mut doc = catalog("0.0125");
    doc["measure_units"] =
        json!([{"id": 4, "name": "hour", "measure_type": 2}, {"id": 5, "name": "minute", "measure_type": 2}]);
    doc["conversions"] = json!([{"measure_id": 4, "ref_measure_id": 5, "ratio": 60, "measure_type": 2}]);
    assert_eq!(call(&app, "PUT", "/api/v1/operator/catalog", doc, &ops).await.status, 200);
    let partner = app.partner("Acme Ltd", opc_domain::partner::Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&partner);
    let new = json!({"domain_name": "spender01", "domain_area": "SG", "xaccount_id": "x1", "xaccount_type": "acme"});
    let customer = app.signed("POST", "/v2/partners/sub-customers", &new.to_string(), &creds).await.json()["domain_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let budget = json!({"customer_id": customer, "budget_amount": 100, "cancel_partner_frozen": "1"}).to_string();
    assert_eq!(app.signed("POST", "/v2/partners/sub-customers/budget", &budget, &creds).await.status, 200);
    let used = || {
        let (app, creds, customer) = (&app, creds.clone(), customer.clone());
        async move {
            let path = format!("/v2/partners/sub-customers/budget?customer_id={customer}");
            app.signed("GET", &path, "", &creds).await.json()["used_amount"].clone()
        }
    };
    assert_eq!(used().await, json!(0));

    // T0 is 2026-03-01 08:00 UTC, 16:00 in the billing zone (UTC+8): March's cycle.
    let batch = json!({"records": [usage("r-1", &customer, "3", 4, "2026-03-01T07:00:00Z"),
        usage("r-2", &customer, "90", 5, "2026-03-01T07:30:00Z"),
        // 2026-02-28 15:59 UTC is still February in UTC+8: another cycle.
        usage("r-3", &customer, "10", 4, "2026-02-28T15:59:00Z")]});
    let r = call(&app, "POST", "/api/v1/operator/usage-records", batch.clone(), &ops).await;
    assert_eq!((r.json()["accepted"].as_u64(), r.json()["duplicates"].as_u64()), (Some(3), Some(0)), "{}", r.body);
    // 0.0125 × 3 h + 0.0125 × 1.5 h, at list price, exactly (R-BILL-18).
    assert_eq!(used().await, json!(0.05625));
    // A replayed batch changes nothing.
    let replay = call(&app, "POST", "/api/v1/operator/usage-records", batch, &ops).await.json();
    assert_eq!((replay["accepted"].as_u64(), replay["duplicates"].as_u64()), (Some(0), Some(3)));
    assert_eq!(used().await, json!(0.05625));
    // A batch mixing stored and new records adds the new ones only: 0.0125 × 2 h.
    let mixed = json!({"records": [usage("r-2", &customer, "90", 5, "2026-03-01T07:30:00Z"),
        usage("r-8", &customer, "2", 4, "2026-03-01T07:50:00Z")]});
    let r = call(&app, "POST", "/api/v1/operator/usage-records", mixed, &ops).await.json();
    assert_eq!((r["accepted"].as_u64(), r["duplicates"].as_u64()), (Some(1), Some(1)));
    assert_eq!(used().await, json!(0.08125));
    // One bad record refuses the whole batch, with every problem.
    let mut unknown = usage("r-5", &customer, "1", 4, "2026-03-01T07:45:00Z");
    unknown["region"] = json!("eu-west-0");
    let bad = json!({"records": [usage("r-4", &customer, "1", 4, "2026-03-01T07:40:00Z"), unknown,
        usage("r-6", "ffffffffffffffffffffffffffffffff", "1", 4, "2026-03-01T07:40:00Z"),
        usage("r-7", &customer, "-1", 4, "2026-03-01T07:40:00Z")]});
    let msg = call(&app, "POST", "/api/v1/operator/usage-records", bad, &ops).await.assert_error(400, "CBC.0100");
    assert!(
        msg.contains("records[1]")
            && msg.contains("records[2]")
            && msg.contains("records[3]")
            && !msg.contains("records[0]"),
        "{msg}"
    );
    assert_eq!(used().await, json!(0.08125), "nothing of the refused batch was stored");
    // Only the operator feeds usage.
    let partner_session = call(&app, "POST", "/api/v1/operator/usage-records", json!({"records": []}), "forged").await;
    assert_eq!(partner_session.status.as_u16(), 401);
}

async fn r_rcm_04_r_quota_06_spend_brings_notices_the_automatic_freeze_and_the_restriction(db: TestStore) {
    use opc_core::ops::admin::{self, PartnerChange};
    use opc_domain::account::FreezeCause;
    use opc_domain::partner::PartnerState;
    use opc_domain::{AccountId, Money, PartnerId};

    let app = TestApp::new(db).await;
    let ops = staff(&app).await;
    let mut doc = catalog("0.0125");
    doc["measure_units"] =
        json!([{"id": 4, "name": "hour", "measure_type": 2}, {"id": 5, "name": "minute", "measure_type": 2}]);
    doc["conversions"] = json!([{"measure_id": 4, "ref_measure_id": 5, "ratio": 60, "measure_type": 2}]);
    assert_eq!(call(&app, "PUT", "/api/v1/operator/catalog", doc, &ops).await.status, 200);
    let (session, partner_id) =
        opc_testkit::console::hcpn_partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    let me = call(&app, "GET", "/api/v1/me", Value::Null, &session).await.json();
    let (key, secret) = admin::create_key(&app.ctx, &partner_id, "test").await.unwrap();
    let creds = opc_testkit::sign::Credentials {
        access_key: key.id().as_str().into(),
        secret_key: secret.expose().into(),
        domain_id: me["account"]["account_id"].as_str().unwrap().into(),
    };
    admin::change_partner(&app.ctx, &partner_id, PartnerChange::Quota(Money::parse("0.10").unwrap()), "test")
        .await
        .unwrap();
    let new = json!({"domain_name": "spender02", "domain_area": "SG", "xaccount_id": "x2", "xaccount_type": "acme"});
    let r = app.signed("POST", "/v2/partners/sub-customers", &new.to_string(), &creds).await;
    let customer = r.json()["domain_id"].as_str().unwrap().to_owned();
    let budget =
        json!({"customer_id": customer, "budget_amount": 0.05, "cancel_partner_frozen": "1", "frozen_operate_type": 1});
    assert_eq!(app.signed("POST", "/v2/partners/sub-customers/budget", &budget.to_string(), &creds).await.status, 200);
    let ingest = |id: &'static str, value: &'static str, unit: i32| {
        let (app, ops, customer) = (&app, ops.clone(), customer.clone());
        async move {
            let batch = json!({"records": [usage(id, &customer, value, unit, "2026-03-01T07:00:00Z")]});
            let r = call(app, "POST", "/api/v1/operator/usage-records", batch, &ops).await;
            assert_eq!(r.status.as_u16(), 200, "{}", r.body);
            r.json()
        }
    };
    // The partner sends its notices to finance rather than to its account's email.
    let recipients = "/api/v1/partner/notice-recipients";
    call(&app, "PUT", recipients, json!({"emails": ["not an email"]}), &session).await.assert_error(400, "CBC.0100");
    call(&app, "PUT", recipients, json!({"emails": []}), &session).await.assert_error(400, "CBC.0100");
    let r =
        call(&app, "PUT", recipients, json!({"emails": ["finance@acme.example", "FINANCE@acme.example"]}), &session)
            .await;
    assert_eq!(r.json()["emails"], json!(["finance@acme.example"]), "{}", r.body);
    let outbox = || async {
        let mails = app.ctx.store.notifications(Some("finance@acme.example"), 50).await.unwrap();
        mails.into_iter().map(|n| n.subject).collect::<Vec<_>>()
    };
    let customer_id = AccountId::parse(&customer).unwrap();

    // 3 h at 0.0125 = 0.0375: 75 % of the budget.
    let r = ingest("b-1", "3", 4).await;
    assert_eq!((r["notices"].as_u64(), r["frozen"].as_u64()), (Some(1), Some(0)));
    assert!(outbox().await.iter().any(|s| s == "spender02 has used 75% of its monthly budget"), "{:?}", outbox().await);
    // Issue 17: the partner chooses Chinese in the console's header; the choice is kept with its
    // account, and its notices are written in Chinese from then on.
    let cookie = [("Cookie".to_owned(), format!("opc_session={session}"))];
    assert_eq!(app.send("GET", "/lang?to=zh-CN&next=%2Fpartner", "", &cookie).await.status, 303);
    // One more hour: 0.05, the whole budget: the 90 % and 100 % notices, and the freeze the
    // partner asked for (frozen_operate_type 1).
    let r = ingest("b-2", "1", 4).await;
    assert_eq!((r["notices"].as_u64(), r["frozen"].as_u64()), (Some(2), Some(1)));
    assert!(outbox().await.iter().any(|s| s == "spender02 已使用其月度预算的 90%"), "{:?}", outbox().await);
    let account = app.ctx.store.account(&customer_id).await.unwrap().unwrap();
    assert_eq!(account.freeze().map(|f| f.cause), Some(FreezeCause::BudgetExhausted));
    // Each notice once per cycle: a replay and more spend send none again.
    assert_eq!(ingest("b-2", "1", 4).await["notices"], 0);
    // 4 more hours: 0.10, the partner's whole quota: the 80 % notice, not yet the restriction.
    let r = ingest("b-3", "4", 4).await;
    assert_eq!((r["notices"].as_u64(), r["restricted"].as_u64()), (Some(1), Some(0)));
    assert!(outbox().await.iter().any(|s| s == "您的消费额度已使用 80%"), "{:?}", outbox().await);
    // One minute more exceeds it: the partner is restricted (R-QUOTA-06).
    let r = ingest("b-4", "1", 5).await;
    assert_eq!((r["notices"].as_u64(), r["restricted"].as_u64()), (Some(1), Some(1)));
    let partner = app.ctx.store.partner(&PartnerId::parse(&partner_id).unwrap()).await.unwrap().unwrap();
    assert_eq!(partner.state(), PartnerState::Restricted);
    assert!(outbox().await.iter().any(|s| s == "您的消费额度已用完"));
    let quota = app.signed("GET", "/v2/partners/credit/consumption-quota", "", &creds).await;
    assert_eq!(quota.status.as_u16(), 200, "{}", quota.body);
    assert_eq!(quota.json()["used_consumption_quota"], "0.10020833", "the reseller customers' list-price spend");
    // R-QUOTA-07: a quota raised above the spend ends the restriction.
    let raised = PartnerChange::Quota(Money::parse("0.1002").unwrap());
    let p = admin::change_partner(&app.ctx, &partner_id, raised, "test").await.unwrap();
    assert_eq!(p.state(), PartnerState::Restricted, "not above the spend yet");
    let raised = PartnerChange::Quota(Money::from_major(5).unwrap());
    assert_eq!(
        admin::change_partner(&app.ctx, &partner_id, raised, "test").await.unwrap().state(),
        PartnerState::Normal
    );
    let to_boss = app.ctx.store.notifications(Some("boss@acme.example"), 50).await.unwrap();
    assert!(to_boss.iter().all(|n| !n.subject.contains("budget") && !n.subject.contains("额度")), "the recipients set");
}

/// Issue 18: spend sums were added unchecked; a batch of 1,476 records of 10,000,000,000 hours
/// answered 200 and the budget read wrong. Now a batch whose sums, alone or with what is
/// stored, would pass the largest amount is refused whole (400, naming the overflow) and
/// nothing of it is stored; reads keep working.
async fn issue_18_a_batch_that_would_take_a_spend_past_the_largest_amount_is_refused_whole(db: TestStore) {
    let app = TestApp::new(db).await;
    let ops = staff(&app).await;
    assert_eq!(call(&app, "PUT", "/api/v1/operator/catalog", catalog("0.0125"), &ops).await.status, 200);
    let partner = app.partner("Acme Ltd", opc_domain::partner::Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&partner);
    let new = json!({"domain_name": "spender01", "domain_area": "SG", "xaccount_id": "x1", "xaccount_type": "acme"});
    let customer = app.signed("POST", "/v2/partners/sub-customers", &new.to_string(), &creds).await.json()["domain_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let budget = json!({"customer_id": customer, "budget_amount": 100, "cancel_partner_frozen": "1"}).to_string();
    assert_eq!(app.signed("POST", "/v2/partners/sub-customers/budget", &budget, &creds).await.status, 200);
    let used = || {
        let (app, creds, customer) = (&app, creds.clone(), customer.clone());
        async move {
            let path = format!("/v2/partners/sub-customers/budget?customer_id={customer}");
            let r = app.signed("GET", &path, "", &creds).await;
            assert_eq!(r.status, 200, "{}", r.body);
            r.json()["used_amount"].clone()
        }
    };
    // Each record is 125,000,000.00 at list price: within range; 80 of them make the largest amount.
    let batch = |tag: &str, n: usize| {
        let records: Vec<Value> = (0..n)
            .map(|i| {
                let mut r = usage(&format!("{tag}-{i}"), &customer, "10000000000", 4, "2026-03-01T07:00:00Z");
                r["resource_id"] = json!(format!("{tag}-vm-{i}"));
                r
            })
            .collect();
        json!({ "records": records })
    };
    let msg = call(&app, "POST", "/api/v1/operator/usage-records", batch("a", 1476), &ops)
        .await
        .assert_error(400, "CBC.0100");
    assert_eq!(
        msg,
        format!(
            "Invalid parameter: records: the batch is refused: customer {customer}'s spend in cycle 202603 would \
             pass the largest amount (10000000000)."
        )
    );
    assert_eq!(used().await, json!(0), "nothing of the refused batch was stored");

    let r = call(&app, "POST", "/api/v1/operator/usage-records", batch("b", 79), &ops).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(used().await, json!(9875000000u64));
    // With what is stored, two more would pass it: refused in the store's transaction.
    let msg =
        call(&app, "POST", "/api/v1/operator/usage-records", batch("c", 2), &ops).await.assert_error(400, "CBC.0100");
    assert!(msg.contains("with the spend and usage stored already"), "{msg}");
    assert_eq!(used().await, json!(9875000000u64));
    let r = call(&app, "POST", "/api/v1/operator/usage-records", batch("c", 1), &ops).await;
    assert_eq!(r.json()["accepted"], 1, "{}", r.body);
    assert_eq!(used().await, json!(10000000000u64), "up to the largest amount exactly");
}
