//! Funds down the channel (issue 14, BSS B1.4.2, B2.4): the operator's payments, allocations
//! and reclaims between partners, resellers and reseller customers, the balances and records,
//! and the consumption quota they give back, through the real router on both backends.

use opc_core::ops::admin::{self, PartnerChange};
use opc_core::ops::funds::{self, FundsOpError, OperatorEntry};
use opc_core::Clock;
use opc_domain::association::AssociationModel;
use opc_domain::funds::{FundsError, Holder};
use opc_domain::partner::{PartnerState, Program};
use opc_domain::{Millis, Money};
use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::seed;
use opc_testkit::sign::Credentials;
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

const ALLOCATE: &str = "/v2/accounts/partner-accounts/adjust-amount";
const RECLAIM: &str = "/v2/accounts/partner-accounts/reclaim";
const TO_RESELLER: &str = "/v2/accounts/partner-accounts/indirect-partner-adjust";
const FROM_RESELLER: &str = "/v2/accounts/partner-accounts/indirect-partner-reclaim";
const PARTNER_BALANCES: &str = "/v2/accounts/partner-accounts/balances";
const CUSTOMER_BALANCES: &str = "/v2/accounts/customer-accounts/balances/batch-query";
const OWN_BALANCES: &str = "/v2/accounts/customer-accounts/balances";
const PARTNER_RECORDS: &str = "/v2/accounts/partner-accounts/account-change-records";
const ADJUST_RECORDS: &str = "/v3/accounts/partner-accounts/adjust-records";
const CUSTOMER_RECORDS: &str = "/v2/accounts/customer-accounts/account-change-records";
const QUOTA: &str = "/v2/partners/credit/consumption-quota";

on_both_backends!(
    b2_4_a_partner_funds_its_reseller_customer_and_takes_it_back,
    b2_4_funds_move_only_within_tenancy_and_amounts_are_checked,
    r_dist_02_a_distributor_funds_its_reseller_and_the_reseller_its_customers,
    r_quota_07_a_payment_gives_the_quota_back_and_ends_the_restriction,
    concurrent_allocations_never_overdraw_a_balance,
    b1_8_5_payments_are_invoiced_with_the_tax_they_include,
    the_operator_records_payments_over_the_console_api_and_the_partner_reads_its_statement,
    a_disassociated_reseller_customers_balance_returns_to_its_partner,
);

async fn post(app: &TestApp, creds: &Credentials, path: &str, body: Value) -> TestResponse {
    app.signed("POST", path, &body.to_string(), creds).await
}

async fn get(app: &TestApp, creds: &Credentials, target: &str) -> TestResponse {
    app.signed("GET", target, "", creds).await
}

async fn customer(app: &TestApp, partner: &opc_domain::PartnerId, name: &str, model: AssociationModel) -> String {
    let (account, association, audit) = seed::customer(name, partner, model, app.clock.now());
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    account.id().as_str().to_owned()
}

async fn pay(app: &TestApp, partner: &str, amount: &str) {
    let what = OperatorEntry::Payment(Money::parse(amount).unwrap());
    funds::record(&app.ctx, partner, what, "wire 42", "finance@operator.example").await.unwrap();
}

fn balance_of(r: &TestResponse) -> Value {
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["account_balances"][0]["amount"].clone()
}

async fn b2_4_a_partner_funds_its_reseller_customer_and_takes_it_back(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    let c = customer(&app, p.partner.id(), "fundee01", AssociationModel::Reseller).await;

    // Nothing to give yet.
    post(&app, &creds, ALLOCATE, json!({"customer_id": c, "amount": 10})).await.assert_error(400, "CBC.99000057");
    pay(&app, p.partner.id().as_str(), "100").await;
    assert_eq!(balance_of(&get(&app, &creds, PARTNER_BALANCES).await), json!(100));
    assert_eq!(balance_of(&get(&app, &creds, OWN_BALANCES).await), json!(100), "B1.4.2: the signer's own balance");

    app.clock.advance(Millis(1000));
    let r = post(&app, &creds, ALLOCATE, json!({"customer_id": c, "amount": 40.5})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let transfer = r.json()["transfer_id"].as_str().unwrap().to_owned();
    app.clock.advance(Millis(1000));
    let r = post(&app, &creds, RECLAIM, json!({"customer_id": c, "amount": 0.5})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let reclaim = r.json()["trans_id"].as_str().unwrap().to_owned();
    assert_ne!(transfer, reclaim);
    app.clock.advance(Millis(1000));
    post(&app, &creds, RECLAIM, json!({"customer_id": c, "amount": 40.01})).await.assert_error(400, "CBC.99000057");

    assert_eq!(balance_of(&get(&app, &creds, PARTNER_BALANCES).await), json!(60));
    let batch = post(&app, &creds, CUSTOMER_BALANCES, json!({"customer_infos": [{"customer_id": c}]})).await;
    assert_eq!(
        batch.body,
        format!(
            r#"{{"customer_balances":[{{"amount":40,"currency":"USD","customer_id":"{c}","debt_amount":0,"measure_id":1}}]}}"#
        )
    );

    // The partner's records, newest first: the reclaim, the allocation, the payment.
    let records = get(&app, &creds, &format!("{PARTNER_RECORDS}?balance_type=BALANCE_TYPE_DEBIT")).await.json();
    assert_eq!(records["total_count"], 3, "{records}");
    let kinds: Vec<_> = records["records"].as_array().unwrap().iter().map(|r| r["trade_detail_type"].clone()).collect();
    assert_eq!(
        kinds,
        [json!("SOURCE_OPERATION_BERETRIEVE"), json!("SOURCE_OPERATION_BEADJUST"), json!("SOURCE_OPERAIION_RECHARGE")]
    );
    let first = &records["records"][0];
    assert_eq!((first["change_amount"].as_str(), first["balance_after_change"].as_str()), (Some("0.5"), Some("60")));
    assert_eq!((first["type"].as_str(), first["customer_id"].as_str()), (Some("1"), Some(c.as_str())));
    assert_eq!(first["account_name"], "fundee01");
    assert_eq!(records["records"][1]["type"], "2", "an allocation is an expense");
    let recharges =
        get(&app, &creds, &format!("{PARTNER_RECORDS}?balance_type=BALANCE_TYPE_DEBIT&trade_type=RECHARGE"))
            .await
            .json();
    assert_eq!(recharges["total_count"], 1);
    let credit = get(&app, &creds, &format!("{PARTNER_RECORDS}?balance_type=BALANCE_TYPE_CREDIT")).await.json();
    assert_eq!(credit["total_count"], 0, "no credit account records");
    let old =
        get(&app, &creds, &format!("{PARTNER_RECORDS}?balance_type=BALANCE_TYPE_DEBIT&trade_time_end=2020-01-01"))
            .await;
    assert_eq!(old.json()["total_count"], 0);

    // The adjust records: allocations and reclaims only, by customer, type and transfer.
    let adjust = get(&app, &creds, ADJUST_RECORDS).await.json();
    assert_eq!(adjust["total_count"], 2, "{adjust}");
    assert_eq!(adjust["records"][0]["operation_type"], "SOURCE_OPERATION_BERETRIEVE");
    assert_eq!(adjust["records"][1]["amount"], "40.5");
    assert_eq!(adjust["records"][1]["customer_name"], "fundee01");
    let by_type = get(&app, &creds, &format!("{ADJUST_RECORDS}?operation_type=SOURCE_OPERATION_BEADJUST")).await.json();
    assert_eq!(
        (by_type["total_count"].as_u64(), by_type["records"][0]["trans_id"].as_str()),
        (Some(1), Some(transfer.as_str()))
    );
    let by_trans = get(&app, &creds, &format!("{ADJUST_RECORDS}?trans_id={reclaim}")).await.json();
    assert_eq!(by_trans["total_count"], 1);
    let by_customer = get(&app, &creds, &format!("{ADJUST_RECORDS}?customer_id={c}&limit=1&offset=1")).await.json();
    assert_eq!(
        (by_customer["total_count"].as_u64(), by_customer["records"][0]["amount"].as_str()),
        (Some(2), Some("40.5"))
    );
    let unbind = get(&app, &creds, &format!("{ADJUST_RECORDS}?operation_type=SOURCE_OPERATION_BEUNBIND")).await.json();
    assert_eq!(unbind["total_count"], 0);

    // The customer sees its own balance and records.
    let (key, secret) = admin::create_customer_key(&app.ctx, &c, "test").await.unwrap();
    let own =
        Credentials { access_key: key.id().as_str().into(), secret_key: secret.expose().into(), domain_id: c.clone() };
    assert_eq!(balance_of(&get(&app, &own, OWN_BALANCES).await), json!(40));
    let mine = get(&app, &own, &format!("{CUSTOMER_RECORDS}?balance_type=BALANCE_TYPE_DEBIT")).await.json();
    assert_eq!(mine["total_count"], 2, "{mine}");
    assert_eq!(mine["records"][0]["revenue_expense_type"], "EXPENSE");
    assert_eq!(mine["records"][0]["change_amount"], "-0.5");
    assert_eq!(mine["records"][1]["balance_after_change"], "40.5");
    assert_eq!(mine["records"][1]["account_name"], "fundee01");
    let revenue =
        get(&app, &own, &format!("{CUSTOMER_RECORDS}?balance_type=BALANCE_TYPE_DEBIT&revenue_expense_type=REVENUE"))
            .await;
    assert_eq!(revenue.json()["total_count"], 1);

    // The ledger reconciles with every balance.
    for holder in [Holder::Partner(p.partner.id().clone()), Holder::Customer(opc_domain::AccountId::parse(&c).unwrap())]
    {
        let balance = app.ctx.store.balances(std::slice::from_ref(&holder)).await.unwrap()[0].amount();
        let query = opc_core::store::LedgerQuery { limit: 1000, ..Default::default() };
        let (entries, _) = app.ctx.store.ledger(&holder, &query).await.unwrap();
        let sum = entries.iter().try_fold(Money::ZERO, |s, e| s.checked_add(e.entry.amount)).unwrap();
        assert_eq!(sum, balance, "{holder:?}");
    }
    let trail =
        app.ctx.store.audit_events(&opc_core::store::AuditQuery { limit: 100, ..Default::default() }).await.unwrap();
    assert!(trail.iter().any(|e| e.action.as_str() == "funds.allocated"));
    assert!(trail.iter().any(|e| e.action.as_str() == "funds.payment_recorded"));
}

async fn b2_4_funds_move_only_within_tenancy_and_amounts_are_checked(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let other = app.partner("Other Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    pay(&app, p.partner.id().as_str(), "100").await;
    let mine = customer(&app, p.partner.id(), "fundee02", AssociationModel::Reseller).await;
    let referral = customer(&app, p.partner.id(), "referee2", AssociationModel::Referral).await;
    let foreign = customer(&app, other.partner.id(), "foreign2", AssociationModel::Reseller).await;

    post(&app, &creds, ALLOCATE, json!({"customer_id": foreign, "amount": 1})).await.assert_error(400, "CBC.99000035");
    post(&app, &creds, ALLOCATE, json!({"customer_id": "nobody", "amount": 1})).await.assert_error(400, "CBC.99000035");
    post(&app, &creds, ALLOCATE, json!({"customer_id": referral, "amount": 1})).await.assert_error(400, "CBC.99000036");
    post(&app, &creds, RECLAIM, json!({"customer_id": foreign, "amount": 1})).await.assert_error(400, "CBC.99000035");
    let foreign_reseller = json!({"indirect_partner_id": other.partner.id().as_str(), "amount": 1});
    post(&app, &creds, TO_RESELLER, foreign_reseller.clone()).await.assert_error(400, "CBC.99000037");
    post(&app, &creds, FROM_RESELLER, foreign_reseller).await.assert_error(400, "CBC.99000037");
    let to_self = json!({"indirect_partner_id": p.partner.id().as_str(), "amount": 1});
    post(&app, &creds, TO_RESELLER, to_self).await.assert_error(400, "CBC.99000037");
    let reading_other = format!("{PARTNER_BALANCES}?indirect_partner_id={}", other.partner.id());
    get(&app, &creds, &reading_other).await.assert_error(400, "CBC.99000037");
    for bad in [json!(0), json!(-1), json!(1.001), json!("ten"), json!(2147483648u64), Value::Null] {
        post(&app, &creds, ALLOCATE, json!({"customer_id": mine, "amount": bad})).await.assert_error(400, "CBC.0100");
    }
    post(&app, &creds, ALLOCATE, json!({"amount": 1})).await.assert_error(400, "CBC.0100");
    // A batch query leaves out whatever is not the partner's reseller customer.
    let infos = json!({"customer_infos": [{"customer_id": mine}, {"customer_id": referral}, {"customer_id": foreign}, {"customer_id": "zz"}]});
    let batch = post(&app, &creds, CUSTOMER_BALANCES, infos).await.json();
    let ids: Vec<_> = batch["customer_balances"].as_array().unwrap().iter().map(|b| b["customer_id"].clone()).collect();
    assert_eq!(ids, [json!(mine)]);
    post(&app, &creds, CUSTOMER_BALANCES, json!({"customer_infos": []})).await.assert_error(400, "CBC.0100");
    get(&app, &creds, PARTNER_RECORDS).await.assert_error(400, "CBC.0100");
    get(&app, &creds, &format!("{PARTNER_RECORDS}?balance_type=X")).await.assert_error(400, "CBC.0100");
    get(&app, &creds, &format!("{PARTNER_RECORDS}?balance_type=BALANCE_TYPE_DEBIT&trade_type=PIZZA"))
        .await
        .assert_error(400, "CBC.0100");
    get(&app, &creds, &format!("{ADJUST_RECORDS}?operation_type=PIZZA")).await.assert_error(400, "CBC.0100");
    // Another partner sees none of it.
    let theirs = get(&app, &TestApp::credentials(&other), ADJUST_RECORDS).await.json();
    assert_eq!(theirs["total_count"], 0);
    assert_eq!(balance_of(&get(&app, &TestApp::credentials(&other), PARTNER_BALANCES).await), json!(0));
    // The operator's entries: a payment is positive; an adjustment never overdraws.
    let refused =
        funds::record(&app.ctx, p.partner.id().as_str(), OperatorEntry::Payment(Money::ZERO), "", "ops").await;
    assert!(matches!(refused, Err(FundsOpError::Funds(FundsError::NotPositive))), "{refused:?}");
    let take = OperatorEntry::Adjustment(Money::parse("-100.01").unwrap());
    let refused = funds::record(&app.ctx, p.partner.id().as_str(), take, "", "ops").await;
    assert!(matches!(refused, Err(FundsOpError::Funds(FundsError::Insufficient { .. }))), "{refused:?}");
    let unknown =
        funds::record(&app.ctx, "nope", OperatorEntry::Payment(Money::from_major(1).unwrap()), "", "ops").await;
    assert!(matches!(unknown, Err(FundsOpError::UnknownPartner(_))), "{unknown:?}");
    assert_eq!(balance_of(&get(&app, &creds, PARTNER_BALANCES).await), json!(100), "nothing moved");
}

async fn r_dist_02_a_distributor_funds_its_reseller_and_the_reseller_its_customers(db: TestStore) {
    let app = TestApp::new(db).await;
    let d = app.partner("Distri Ltd", Program::DistributionPartner, None).await;
    let r = app.partner("Resell Ltd", Program::Reseller, Some(d.partner.id())).await;
    let (dc, rc) = (TestApp::credentials(&d), TestApp::credentials(&r));
    let reseller = r.partner.id().as_str();
    let c = customer(&app, r.partner.id(), "fundee03", AssociationModel::Reseller).await;
    pay(&app, d.partner.id().as_str(), "500").await;

    let r1 = post(&app, &dc, TO_RESELLER, json!({"indirect_partner_id": reseller, "amount": 200})).await;
    assert_eq!(r1.status, 200, "{}", r1.body);
    assert!(r1.json()["transfer_id"].is_string());
    assert_eq!(balance_of(&get(&app, &rc, PARTNER_BALANCES).await), json!(200), "the reseller's own");
    let as_distributor = format!("{PARTNER_BALANCES}?indirect_partner_id={reseller}");
    assert_eq!(balance_of(&get(&app, &dc, &as_distributor).await), json!(200), "the distributor reads its reseller's");
    // The reseller funds its customer; the distributor may do it for the reseller too.
    assert_eq!(post(&app, &rc, ALLOCATE, json!({"customer_id": c, "amount": 50})).await.status, 200);
    let on_behalf = json!({"customer_id": c, "amount": 25, "indirect_partner_id": reseller});
    assert_eq!(post(&app, &dc, ALLOCATE, on_behalf).await.status, 200);
    post(&app, &dc, ALLOCATE, json!({"customer_id": c, "amount": 1})).await.assert_error(400, "CBC.99000035");
    // Reclaims: more than the reseller holds is refused, the rest comes back.
    app.clock.advance(Millis(1000));
    let too_much = json!({"indirect_partner_id": reseller, "amount": 125.01});
    post(&app, &dc, FROM_RESELLER, too_much).await.assert_error(400, "CBC.99000057");
    let back = post(&app, &dc, FROM_RESELLER, json!({"indirect_partner_id": reseller, "amount": 125})).await;
    assert_eq!(back.status, 200, "{}", back.body);
    assert!(back.json()["trans_id"].is_string());
    assert_eq!(balance_of(&get(&app, &dc, PARTNER_BALANCES).await), json!(425));
    assert_eq!(balance_of(&get(&app, &rc, PARTNER_BALANCES).await), json!(0));
    let batch = json!({"customer_infos": [{"customer_id": c}], "indirect_partner_id": reseller});
    assert_eq!(post(&app, &dc, CUSTOMER_BALANCES, batch).await.json()["customer_balances"][0]["amount"], 75);
    // The distributor's adjust records name its reseller; the reseller's, its customer.
    let records = get(&app, &dc, ADJUST_RECORDS).await.json();
    assert_eq!(records["total_count"], 2, "{records}");
    assert_eq!(records["records"][0]["customer_id"], reseller);
    assert_eq!(records["records"][0]["customer_name"], r.account.name().as_str());
    let by_reseller = get(&app, &dc, &format!("{ADJUST_RECORDS}?customer_id={reseller}")).await.json();
    assert_eq!(by_reseller["total_count"], 2);
    let theirs = get(&app, &dc, &format!("{ADJUST_RECORDS}?indirect_partner_id={reseller}")).await.json();
    assert_eq!(theirs["total_count"], 4, "the reseller's: two from the distributor, two to its customer: {theirs}");
    let a_reseller_has_no_resellers = json!({"indirect_partner_id": d.partner.id().as_str(), "amount": 1});
    post(&app, &rc, TO_RESELLER, a_reseller_has_no_resellers).await.assert_error(400, "CBC.99000037");
}

async fn r_quota_07_a_payment_gives_the_quota_back_and_ends_the_restriction(db: TestStore) {
    let app = TestApp::new(db).await;
    let catalog = opc_store::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    let c = customer(&app, p.partner.id(), "spender9", AssociationModel::Reseller).await;
    let id = p.partner.id().as_str();
    admin::change_partner(&app.ctx, id, PartnerChange::Quota(Money::parse("0.1").unwrap()), "test").await.unwrap();
    // 10 hours at 0.0125 = 0.125: over the quota, so the partner is restricted (R-QUOTA-06).
    let record =
        seed::vm_usage("u-1".into(), &opc_domain::AccountId::parse(&c).unwrap(), "vm-1".into(), 10, app.clock.now());
    let report = opc_core::ops::usage::ingest(&app.ctx, "ops", vec![(0, record)], vec![]).await.unwrap();
    assert_eq!(report.restricted, 1);
    let quota = get(&app, &creds, QUOTA).await.json();
    assert_eq!(
        (quota["unbilled_amount"].as_str(), quota["used_consumption_quota"].as_str()),
        (Some("0.125"), Some("0.125"))
    );

    // An advance of 1: used = unbilled − balance; the restriction ends (R-QUOTA-10).
    pay(&app, id, "1").await;
    let quota = get(&app, &creds, QUOTA).await;
    assert_eq!(
        quota.body,
        r#"{"amount":"1","consumption_quota":"0.1","coupon_amount":"0","currency":"USD","due_amount":"0","measure_id":1,"unbilled_amount":"0.125","used_consumption_quota":"-0.875"}"#
    );
    let partner = app.ctx.store.partner(p.partner.id()).await.unwrap().unwrap();
    assert_eq!(partner.state(), PartnerState::Normal);
    let trail =
        app.ctx.store.audit_events(&opc_core::store::AuditQuery { limit: 100, ..Default::default() }).await.unwrap();
    assert!(trail.iter().any(|e| e.action.as_str() == "partner.unrestricted"));
}

async fn concurrent_allocations_never_overdraw_a_balance(db: TestStore) {
    let app = std::sync::Arc::new(TestApp::new(db).await);
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    pay(&app, p.partner.id().as_str(), "100").await;
    let mut customers = Vec::new();
    for i in 0..16 {
        customers.push(customer(&app, p.partner.id(), &format!("fundee{i:02}x"), AssociationModel::Reseller).await);
    }
    // 16 allocations of 10 at once against a balance of 100.
    let tries: Vec<_> = customers
        .iter()
        .map(|c| {
            let (app, creds, body) = (app.clone(), creds.clone(), json!({"customer_id": c, "amount": 10}).to_string());
            tokio::spawn(async move { app.signed("POST", ALLOCATE, &body, &creds).await })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tries {
        answers.push(t.await.unwrap());
    }
    let moved = answers.iter().filter(|r| r.status == 200).count();
    for r in answers.iter().filter(|r| r.status != 200) {
        assert!(
            r.body.contains("CBC.99000057") || r.body.contains("CBC.99000049"),
            "insufficient or retry: {}",
            r.body
        );
    }
    assert!(moved <= 10, "{moved} allocations of 10 out of 100");
    let partner = Holder::Partner(p.partner.id().clone());
    let left = app.ctx.store.balances(std::slice::from_ref(&partner)).await.unwrap()[0].amount();
    assert_eq!(left, Money::from_major(100 - 10 * moved as i64).unwrap());
    let query = opc_core::store::LedgerQuery { limit: 1000, ..Default::default() };
    let (entries, _) = app.ctx.store.ledger(&partner, &query).await.unwrap();
    let sum = entries.iter().try_fold(Money::ZERO, |s, e| s.checked_add(e.entry.amount)).unwrap();
    assert_eq!(sum, left, "the ledger reconciles");
    let mut given = Money::ZERO;
    for c in &customers {
        let holder = Holder::Customer(opc_domain::AccountId::parse(c).unwrap());
        given = given.checked_add(app.ctx.store.balances(&[holder]).await.unwrap()[0].amount()).unwrap();
    }
    assert_eq!(given.checked_add(left).unwrap(), Money::from_major(100).unwrap(), "nothing created or lost");
}

async fn b1_8_5_payments_are_invoiced_with_the_tax_they_include(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let other = app.partner("Other Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    opc_core::ops::bills::set_tax_rate(&app.ctx, "SG", opc_domain::bill::TaxRate::parse("0.09").unwrap(), "ops")
        .await
        .unwrap();
    pay(&app, p.partner.id().as_str(), "109").await;
    app.clock.advance(Millis(60_000));
    pay(&app, p.partner.id().as_str(), "20").await;
    pay(&app, other.partner.id().as_str(), "5").await;
    let list = |q: &str| format!("/v1.0/{}/payments/intl-invoices?{q}", p.account.id());
    let all = "start_time=2026-01-01T00:00:00Z&end_time=2026-12-31T00:00:00Z";
    let r = get(&app, &creds, &list(&format!("{all}&offset=1&limit=10"))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["count"], 2, "{v}");
    let newest = &v["invoices"][0];
    assert_eq!((newest["invoiceAmount"].clone(), newest["tradeType"].clone()), (json!(20), json!(7)));
    let first = &v["invoices"][1];
    assert_eq!(first["invoiceAmount"], json!(109));
    assert_eq!(first["taxList"][0]["taxAmount"], json!(9), "the tax 109 includes at 9 %");
    assert_eq!(first["taxList"][0]["taxRate"], "0.09");
    assert_eq!((first["invoiceTitle"].as_str(), first["invoiceState"].as_i64()), (Some("Acme Ltd"), Some(8)));
    assert!(first["invoiceNo"].as_str().unwrap().starts_with("INV20260301"));
    let second_page = get(&app, &creds, &list(&format!("{all}&offset=2&limit=1"))).await.json();
    assert_eq!(
        (second_page["count"].as_u64(), second_page["invoices"][0]["invoiceAmount"].clone()),
        (Some(2), json!(109))
    );
    let before =
        get(&app, &creds, &list("start_time=2026-01-01T00:00:00Z&end_time=2026-02-01T00:00:00Z&offset=1&limit=10"))
            .await;
    assert_eq!(before.json()["count"], 0);
    get(&app, &creds, &list("offset=1&limit=10")).await.assert_error(400, "CBC.0100");
    get(&app, &creds, &list(&format!("{all}&limit=10"))).await.assert_error(400, "CBC.0100");
    let foreign = format!("/v1.0/{}/payments/intl-invoices?{all}&offset=1&limit=10", other.account.id());
    get(&app, &creds, &foreign).await.assert_error(403, "CBC.0151");
}

async fn the_operator_records_payments_over_the_console_api_and_the_partner_reads_its_statement(db: TestStore) {
    use opc_testkit::console::{call, hcpn_partner, staff};
    let app = TestApp::new(db).await;
    let ops = staff(&app).await;
    let (session, partner) = hcpn_partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    let payments = format!("/api/v1/operator/partners/{partner}/payments");
    let r = call(&app, "POST", &payments, json!({"amount": "1000.50", "memo": "wire 7"}), &ops).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let entry = r.json();
    assert_eq!((entry["kind"].as_str(), entry["balance_after"].as_str()), (Some("payment"), Some("1000.50000000")));
    assert_eq!(entry["memo"], "wire 7");
    for bad in [json!({"amount": "0"}), json!({"amount": "1.001"}), json!({"amount": "ten"}), json!({})] {
        call(&app, "POST", &payments, bad, &ops).await.assert_error(400, "CBC.0100");
    }
    call(&app, "POST", "/api/v1/operator/partners/nobody/payments", json!({"amount": "1"}), &ops)
        .await
        .assert_error(404, "CBC.99000054");
    let adjustments = format!("/api/v1/operator/partners/{partner}/adjustments");
    call(&app, "POST", &adjustments, json!({"amount": "-2000"}), &ops).await.assert_error(400, "CBC.99000057");
    let r = call(&app, "POST", &adjustments, json!({"amount": "-0.50"}), &ops).await;
    assert_eq!(r.json()["balance_after"], "1000.00000000", "{}", r.body);
    // Only the operator records; the partner reads its own statement.
    call(&app, "POST", &payments, json!({"amount": "1"}), &session).await.assert_error(403, "CBC.0151");
    let mine = call(&app, "GET", "/api/v1/partner/statement", Value::Null, &session).await.json();
    assert_eq!((mine["balance"].as_str(), mine["amount_due"].as_str()), (Some("1000.00000000"), Some("0.00000000")));
    assert_eq!(mine["entry_count"], 2);
    assert_eq!(mine["entries"][0]["kind"], "adjustment");
    let theirs = call(&app, "GET", &format!("/api/v1/operator/partners/{partner}/statement"), Value::Null, &ops).await;
    assert_eq!(theirs.json()["balance"], "1000.00000000", "{}", theirs.body);
    call(&app, "GET", "/api/v1/operator/partners/nobody/statement", Value::Null, &ops)
        .await
        .assert_error(404, "CBC.99000054");
}

async fn a_disassociated_reseller_customers_balance_returns_to_its_partner(db: TestStore) {
    use opc_core::ops::development;
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    pay(&app, p.partner.id().as_str(), "100").await;
    let c = customer(&app, p.partner.id(), "leaving1", AssociationModel::Reseller).await;
    assert_eq!(post(&app, &creds, ALLOCATE, json!({"customer_id": c, "amount": 30.25})).await.status, 200);
    // The partner asks to end the association; the customer agrees (R-ASSOC-27).
    development::request_by_partner(&app.ctx, &p.partner, &c, "Moving to another partner.").await.unwrap();
    let id = opc_domain::AccountId::parse(&c).unwrap();
    development::decide_by_customer(&app.ctx, &id, true).await.unwrap();
    assert_eq!(balance_of(&get(&app, &creds, PARTNER_BALANCES).await), json!(100), "everything came back");
    let customer_balance = app.ctx.store.balances(&[Holder::Customer(id.clone())]).await.unwrap()[0].amount();
    assert_eq!(customer_balance, Money::ZERO);
    let records = get(&app, &creds, &format!("{ADJUST_RECORDS}?operation_type=SOURCE_OPERATION_BEUNBIND")).await.json();
    assert_eq!(records["total_count"], 1, "{records}");
    assert_eq!(
        (records["records"][0]["amount"].as_str(), records["records"][0]["customer_id"].as_str()),
        (Some("30.25"), Some(c.as_str()))
    );
    let all = get(&app, &creds, ADJUST_RECORDS).await.json();
    assert_eq!(all["total_count"], 2, "the allocation and its return");
}
