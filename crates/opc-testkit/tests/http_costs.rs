//! The signer's own costs (issue 14, BSS B1.8.1 `list_costs`, B2.8.2
//! `list_customer_bills_fee_records`, B2.8.3 `list_customer_bills_monthly_break_down`) through
//! the real router on both backends: a month of usage, a yearly/monthly purchase and its
//! unsubscription, read by day and month, original and amortized (COST-AMORTIZE,
//! COST-REFUND-TERM), with the records' payment status before and after the bill run and a
//! repayment (COST-STATUS), every filter, paging, tenancy and bad input; sums exact to 1e-8.

use opc_core::ops::admin::{self, PartnerChange};
use opc_core::ops::auth::Principal;
use opc_core::ops::bills;
use opc_core::ops::funds::{self, OperatorEntry};
use opc_core::ops::orders;
use opc_core::Clock;
use opc_domain::association::AssociationModel;
use opc_domain::order::Unsubscribe;
use opc_domain::partner::Program;
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Millis, Money, Timestamp};
use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::sign::Credentials;
use opc_testkit::{on_both_backends, seed, TestStore};
use serde_json::{json, Value};

const COSTS: &str = "/v4/costs/cost-analysed-bills/query";
const FEES: &str = "/v2/bills/customer-bills/fee-records";
const BREAKDOWN: &str = "/v2/costs/cost-analysed-bills/monthly-breakdown";

on_both_backends!(
    b1_8_1_cost_analysis_by_day_and_month_original_and_amortized,
    b2_8_2_fee_records_with_every_filter_and_their_payment_status,
    b2_8_3_the_monthly_break_down_sums_exactly_to_each_charge,
    costs_refuse_bad_input_and_show_a_customer_only_its_own,
);

struct World {
    app: TestApp,
    partner: Credentials,
    partner_id: opc_domain::PartnerId,
    /// p's reseller customer (usage, a purchase and its refund) and referral customer (usage).
    c1: String,
    c2: String,
    c1_key: Credentials,
    c2_key: Credentials,
    order: String,
    refund: String,
    vm: String,
}

async fn key_of(app: &TestApp, customer: &AccountId) -> Credentials {
    let (key, secret) = admin::create_customer_key(&app.ctx, customer.as_str(), "test").await.unwrap();
    Credentials {
        access_key: key.id().as_str().into(),
        secret_key: secret.expose().into(),
        domain_id: customer.as_str().into(),
    }
}

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

async fn usage(app: &TestApp, id: &str, customer: &AccountId, resource: &str, hours: i64) {
    let record = seed::vm_usage(id.into(), customer, resource.into(), hours, app.clock.now());
    opc_core::ops::usage::ingest(&app.ctx, "ops", vec![(0, record)], vec![]).await.unwrap();
}

/// From 2026-03-01T08:00Z (16:00 Beijing): c1 uses vm-u1 10 hours (0.125) and c2 4 hours
/// (0.05); on March 10th c1 buys a VM for a month (6.8, to April 10th: 22 days of March, 9 of
/// April); on March 20th it uses vm-u2 2 hours (0.025) and unsubscribes the VM, which refunds
/// its unused 21 of 31 days (-4.60645161).
async fn world(db: TestStore) -> World {
    let app = TestApp::new(db).await;
    let catalog = opc_store::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let partner_id = p.partner.id().clone();
    admin::change_partner(&app.ctx, partner_id.as_str(), PartnerChange::Quota(money("1000")), "test").await.unwrap();
    let partner = TestApp::credentials(&p);
    let mut ids = vec![];
    for (name, model) in [("costs001", AssociationModel::Reseller), ("costs002", AssociationModel::Referral)] {
        let (account, association, audit) = seed::customer(name, &partner_id, model, app.clock.now());
        app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
        ids.push(account.id().clone());
    }
    let (c1, c2) = (ids[0].clone(), ids[1].clone());
    // The reseller customer, frozen on association (R-RCM-02), is let buy with a budget.
    let body = json!({"customer_id": c1.as_str(), "budget_amount": 100, "cancel_partner_frozen": "1"});
    let r = app.signed("POST", "/v2/partners/sub-customers/budget", &body.to_string(), &partner).await;
    assert_eq!(r.status, 200, "{}", r.body);
    usage(&app, "u-1", &c1, "vm-u1", 10).await;
    usage(&app, "u-2", &c2, "vm-c2", 4).await;

    app.clock.set(Timestamp::from_utc(2026, 3, 10, 8, 0, 0).unwrap());
    let own = |id: &AccountId| {
        let app = &app;
        let id = id.clone();
        async move { Principal::Customer { account: app.ctx.store.account(&id).await.unwrap().unwrap(), access_key: None } }
    };
    let item = opc_testkit::shop::vm_month();
    let placed = orders::place(&app.ctx, &own(&c1).await, None, &[item]).await.unwrap();
    let paid = orders::pay(&app.ctx, &own(&c1).await, placed.id(), &orders::PayWith::default()).await.unwrap();
    let vm = paid.lines()[0].resource_id().to_string();

    app.clock.set(Timestamp::from_utc(2026, 3, 20, 8, 0, 0).unwrap());
    usage(&app, "u-3", &c1, "vm-u2", 2).await;
    let (refunds, failures) =
        orders::unsubscribe(&app.ctx, &own(&c1).await, std::slice::from_ref(&vm), Unsubscribe::ResourceAndRenewals)
            .await
            .unwrap();
    assert!(failures.is_empty());
    let (c1_key, c2_key) = (key_of(&app, &c1).await, key_of(&app, &c2).await);
    World {
        partner,
        partner_id,
        c1: c1.as_str().into(),
        c2: c2.as_str().into(),
        c1_key,
        c2_key,
        order: paid.id().to_string(),
        refund: refunds[0].to_string(),
        vm,
        app,
    }
}

async fn costs(app: &TestApp, creds: &Credentials, body: Value) -> TestResponse {
    app.signed("POST", COSTS, &body.to_string(), creds).await
}

async fn costs_ok(app: &TestApp, creds: &Credentials, body: Value) -> Value {
    let r = costs(app, creds, body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

async fn ok(app: &TestApp, creds: &Credentials, target: &str) -> Value {
    let r = app.signed("GET", target, "", creds).await;
    assert_eq!(r.status, 200, "{target}: {}", r.body);
    r.json()
}

fn query(unit: i64, begin: &str, end: &str, cost_type: &str, groupby: &[&str]) -> Value {
    json!({"time_condition": {"time_measure_id": unit, "begin_time": begin, "end_time": end},
        "groupby": groupby.iter().map(|k| json!({"type": "dimension", "key": k})).collect::<Vec<_>>(),
        "cost_type": cost_type, "amount_type": "PAYMENT_AMOUNT", "limit": 100})
}

/// Each group's dimension values (joined by `/`) with its costs per time and its total.
/// A group as read back: its values, its (time, amount) costs and its total.
type Group = (String, Vec<(String, String)>, String);

fn groups(answer: &Value) -> Vec<Group> {
    answer["cost_data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let dims: Vec<&str> =
                g["dimensions"].as_array().unwrap().iter().map(|d| d["value"].as_str().unwrap()).collect();
            let costs = g["costs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c["time_dimension_value"].as_str().unwrap().into(), c["amount"].as_str().unwrap().into()))
                .collect();
            (dims.join("/"), costs, g["amount_by_costs"].as_str().unwrap().into())
        })
        .collect()
}

fn s(text: &str) -> String {
    text.into()
}

fn total(values: impl Iterator<Item = String>) -> Money {
    values.fold(Money::ZERO, |sum, v| sum.checked_add(money(&v)).unwrap())
}

async fn b1_8_1_cost_analysis_by_day_and_month_original_and_amortized(db: TestStore) {
    let w = world(db).await;
    let app = &w.app;
    // By month, as charged: the purchase and its refund in March; usage 0.125 + 0.025.
    let original = costs_ok(app, &w.c1_key, query(2, "2026-03", "2026-04", "ORIGINAL_COST", &["CHARGING_MODE"])).await;
    assert_eq!((original["total_count"].clone(), original["currency"].clone()), (json!(2), json!("USD")));
    assert_eq!(
        groups(&original),
        vec![
            (s("1"), vec![(s("2026-03"), s("2.19354839"))], s("2.19354839")),
            (s("3"), vec![(s("2026-03"), s("0.15000000"))], s("0.15000000")),
        ],
        "6.8 - 4.60645161; amounts are strings to 8 decimals"
    );
    assert_eq!(original["cost_data"][0]["dimensions"], json!([{"key": "CHARGING_MODE", "value": "1"}]));
    assert_eq!(original["cost_data"][0]["costs"][0]["time_measure_id"], 2);
    assert_eq!(original["cost_data"][0]["official_amount_by_costs"], "2.19354839");

    // Amortized (COST-AMORTIZE, COST-REFUND-TERM): 6.8 over 31 days (22 in March), the refund
    // over the 21 days left (12 in March): April nets to zero exactly.
    let amortized =
        costs_ok(app, &w.c1_key, query(2, "2026-03", "2026-04", "AMORTIZED_COST", &["BILL_TYPE", "CHARGING_MODE"]))
            .await;
    assert_eq!(
        groups(&amortized),
        vec![
            (s("1/1"), vec![(s("2026-03"), s("4.82580645")), (s("2026-04"), s("1.97419355"))], s("6.80000000")),
            (s("1/3"), vec![(s("2026-03"), s("0.15000000"))], s("0.15000000")),
            (s("2/1"), vec![(s("2026-03"), s("-2.63225806")), (s("2026-04"), s("-1.97419355"))], s("-4.60645161")),
        ]
    );
    // By day: the days of March add up to March's amount exactly.
    let days = costs_ok(app, &w.c1_key, query(1, "2026-03-01", "2026-03-31", "AMORTIZED_COST", &[])).await;
    let march = groups(&days);
    assert_eq!(march.len(), 1);
    assert_eq!(total(march[0].1.iter().map(|(_, a)| a.clone())), money("2.34354839"), "4.82580645 - 2.63225806 + 0.15");
    assert_eq!(march[0].2, "2.34354839");
    assert_eq!(march[0].1[0].0, "2026-03-01", "usage on its day, oldest first");
    let original_days = costs_ok(app, &w.c1_key, query(1, "2026-03-10", "2026-03-10", "ORIGINAL_COST", &[])).await;
    assert_eq!(groups(&original_days), vec![(s(""), vec![(s("2026-03-10"), s("6.80000000"))], s("6.80000000"))]);

    // By resource, largest first, paged; filters include (0) and exclude (1).
    let mut by_resource = query(2, "2026-03", "2026-03", "ORIGINAL_COST", &["RESOURCE_ID"]);
    by_resource["limit"] = json!(2);
    let page = costs_ok(app, &w.c1_key, by_resource.clone()).await;
    assert_eq!(page["total_count"], 3);
    let values: Vec<String> = groups(&page).into_iter().map(|(d, ..)| d).collect();
    assert_eq!(values, vec![w.vm.clone(), s("vm-u1")]);
    by_resource["offset"] = json!(2);
    assert_eq!(groups(&costs_ok(app, &w.c1_key, by_resource.clone()).await)[0].0, "vm-u2");
    by_resource["offset"] = json!(0);
    by_resource["filters"] = json!([{"operator": 1, "filter_factor": {"key": "CHARGING_MODE", "value": ["1"]}},
        {"operator": 0, "filter_factor": {"key": "REGION_CODE", "value": ["ap-southeast-1"]}}]);
    let usage_only = costs_ok(app, &w.c1_key, by_resource.clone()).await;
    assert_eq!(usage_only["total_count"], 2);
    by_resource["filters"] = json!([{"operator": 0, "filter_factor": {"key": "RESOURCE_ID", "value": ["vm-u2"]}},
        {"operator": null, "filter_factor": {"key": "RESOURCE_ID", "value": ["vm-u1"]}}]);
    assert_eq!(
        groups(&costs_ok(app, &w.c1_key, by_resource).await),
        vec![(s("vm-u2"), vec![(s("2026-03"), s("0.02500000"))], s("0.02500000"))],
        "a filter without an operator is not applied"
    );

    // Who pays: the reseller partner's account for c1 (R-RCM-07); dimensions no cost holds
    // (a tag, an availability zone) group under an empty value.
    let partner_account = app.ctx.store.partner(&w.partner_id).await.unwrap().unwrap().account_id().to_string();
    let mut payer =
        query(2, "2026-03", "2026-03", "ORIGINAL_COST", &["PAYER_ACCOUNT_ID", "ASSOCIATED_ACCOUNT", "AZ_CODE"]);
    payer["groupby"].as_array_mut().unwrap().push(json!({"type": "tag", "key": "team"}));
    let paid_by = costs_ok(app, &w.c1_key, payer).await;
    assert_eq!(groups(&paid_by)[0].0, format!("{partner_account}/{}//", w.c1));
    assert_eq!(paid_by["cost_data"][0]["dimensions"][3], json!({"key": "RESOURCE_TAG", "value": ""}));
    // NET_AMOUNT is the same: no discount or coupon applies.
    let mut net = query(2, "2026-03", "2026-04", "ORIGINAL_COST", &["CHARGING_MODE"]);
    net["amount_type"] = json!("NET_AMOUNT");
    assert_eq!(groups(&costs_ok(app, &w.c1_key, net).await), groups(&original));
}

async fn b2_8_2_fee_records_with_every_filter_and_their_payment_status(db: TestStore) {
    let w = world(db).await;
    let app = &w.app;
    let all = ok(app, &w.c1_key, &format!("{FEES}?bill_cycle=2026-03")).await;
    assert_eq!((all["total_count"].clone(), all["currency"].clone()), (json!(4), json!("USD")));
    let records = all["records"].as_array().unwrap();
    let sum = total(records.iter().map(|r| r["consume_amount"].to_string()));
    assert_eq!(sum, money("2.34354839"), "0.125 + 6.8 - 4.60645161 + 0.025, exact");
    // Newest first: the refund (bill type 4) and vm-u2's usage on the 20th, the purchase on the
    // 10th, vm-u1's usage on the 1st. All unbilled (3) while March is open.
    let kinds: Vec<(i64, i64, String)> = records
        .iter()
        .map(|r| {
            (
                r["bill_type"].as_i64().unwrap(),
                r["charging_mode"].as_i64().unwrap(),
                r["trade_id"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(kinds[2], (1, 1, w.order.clone()));
    assert!(kinds.contains(&(4, 1, w.refund.clone())), "{kinds:?}");
    assert!(records.iter().all(|r| r["status"] == 3 && r["customer_id"] == json!(w.c1)));
    let refund = records.iter().find(|r| r["bill_type"] == 4).unwrap();
    assert_eq!(
        (refund["consume_amount"].clone(), refund["credit_amount"].clone(), refund["debt_amount"].clone()),
        (json!(-4.60645161), json!(-4.60645161), json!(0)),
        "the reseller partner settles it on credit"
    );
    assert_eq!(refund["service_type_name"], "Elastic Cloud Server");
    assert_eq!((refund["account_name"].as_str(), refund["bill_cycle"].as_str()), (Some("costs001"), Some("2026-03")));

    let count = |target: String| {
        let c1 = w.c1_key.clone();
        async move { ok(app, &c1, &target).await["total_count"].as_i64().unwrap() }
    };
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&charging_mode=1")).await, 2);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&charging_mode=3")).await, 2);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&charging_mode=10")).await, 0);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&bill_type=4")).await, 1);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&bill_type=5&charging_mode=1")).await, 0);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&trade_id={}", w.order)).await, 1);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&resource_type_code=hws.resource.type.vm")).await, 4);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&service_type_code=hws.service.type.obs")).await, 0);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&region_code=ap-southeast-1&provider_type=1")).await, 4);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&provider_type=2")).await, 0);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&enterprise_project_id=0")).await, 4);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&enterprise_project_id=p-9")).await, 0);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&method=sub_customer&sub_customer_id=x")).await, 0);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&include_zero_record=false")).await, 4);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&status=3")).await, 4);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&status=1")).await, 0);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-02")).await, 0);
    let tenth =
        ok(app, &w.c1_key, &format!("{FEES}?bill_cycle=2026-03&bill_date_begin=2026-03-10&bill_date_end=2026-03-10"))
            .await;
    assert_eq!((tenth["total_count"].clone(), tenth["records"][0]["trade_id"].clone()), (json!(1), json!(w.order)));
    // One date alone is not a filter (as documented).
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&bill_date_begin=2026-03-10")).await, 4);
    let page = ok(app, &w.c1_key, &format!("{FEES}?bill_cycle=2026-03&offset=1&limit=2")).await;
    assert_eq!((page["total_count"].clone(), page["records"].as_array().unwrap().len()), (json!(4), 2));
    assert_eq!(page["records"][0], all["records"][1]);

    // The bill run closes March: c1's records are in a bill its partner pays, not paid yet (2);
    // once the partner repays, paid (1). c2 pays its own bill: unsettled.
    app.clock.set(Timestamp::from_utc(2026, 4, 5, 4, 0, 0).unwrap());
    bills::run(&app.ctx, Cycle(202603), "test", |_| ()).await.unwrap().unwrap();
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&status=2")).await, 4);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&status=3")).await, 0);
    funds::record(&app.ctx, w.partner_id.as_str(), OperatorEntry::Payment(money("10")), "wire", "finance")
        .await
        .unwrap();
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&status=1")).await, 4);
    assert_eq!(count(format!("{FEES}?bill_cycle=2026-03&status=2")).await, 0);
    let c2 = ok(app, &w.c2_key, &format!("{FEES}?bill_cycle=2026-03")).await;
    assert_eq!(
        (c2["total_count"].clone(), c2["records"][0]["status"].clone(), c2["records"][0]["debt_amount"].clone()),
        (json!(1), json!(2), json!(0.05))
    );
    // Usage after the run in an open month is not billed yet.
    app.clock.advance(Millis::days(1));
    let c2_id = AccountId::parse(&w.c2).unwrap();
    usage(app, "u-4", &c2_id, "vm-c2", 1).await;
    let april = ok(app, &w.c2_key, &format!("{FEES}?bill_cycle=2026-04")).await;
    assert_eq!((april["total_count"].clone(), april["records"][0]["status"].clone()), (json!(1), json!(3)));
}

async fn b2_8_3_the_monthly_break_down_sums_exactly_to_each_charge(db: TestStore) {
    let w = world(db).await;
    let app = &w.app;
    let march = ok(app, &w.c1_key, &format!("{BREAKDOWN}?shared_month=2026-03&limit=100")).await;
    assert_eq!(march["total_count"], 4);
    let details = march["details"].as_array().unwrap();
    for d in details {
        let parts = total(
            ["past_months_amortized_amount", "current_month_amortized_amount", "future_months_amortized_amount"]
                .iter()
                .map(|f| d[*f].to_string()),
        );
        assert_eq!(parts, money(&d["consume_amount"].to_string()), "{d}");
    }
    let of = |kind: i64| details.iter().find(|d| d["bill_type"] == kind).unwrap().clone();
    let bought = of(1);
    assert_eq!(
        (
            bought["past_months_amortized_amount"].clone(),
            bought["current_month_amortized_amount"].clone(),
            bought["future_months_amortized_amount"].clone(),
            bought["consume_amount"].clone()
        ),
        (json!(0), json!(4.82580645), json!(1.97419355), json!(6.8))
    );
    assert_eq!((bought["order_id"].as_str(), bought["period_type"].as_i64()), (Some(w.order.as_str()), Some(20)));
    let refund = of(4);
    assert_eq!(
        (refund["current_month_amortized_amount"].clone(), refund["future_months_amortized_amount"].clone()),
        (json!(-2.63225806), json!(-1.97419355))
    );
    let used = details.iter().find(|d| d["resource_id"] == "vm-u1").unwrap();
    assert_eq!(
        (
            used["charging_mode"].clone(),
            used["current_month_amortized_amount"].clone(),
            used["past_months_amortized_amount"].clone(),
            used["future_months_amortized_amount"].clone(),
            used["usage"].clone(),
            used["usage_type"].clone()
        ),
        (json!(3), json!(0.125), json!(0), json!(0), json!(10), json!("Duration"))
    );
    // April: what is left of March's charges; no usage.
    let april = ok(app, &w.c1_key, &format!("{BREAKDOWN}?shared_month=2026-04")).await;
    assert_eq!(april["total_count"], 2);
    let current =
        total(april["details"].as_array().unwrap().iter().map(|d| d["current_month_amortized_amount"].to_string()));
    assert_eq!(current, Money::ZERO, "the refund takes back April's share exactly");
    assert!(april["details"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["bill_cycle"] == "2026-03" && d["shared_month"] == "2026-04"));
    assert_eq!(ok(app, &w.c1_key, &format!("{BREAKDOWN}?shared_month=2026-05")).await["total_count"], 0);
    // Filters and paging.
    let count = |target: String| {
        let c1 = w.c1_key.clone();
        async move { ok(app, &c1, &target).await["total_count"].as_i64().unwrap() }
    };
    assert_eq!(count(format!("{BREAKDOWN}?shared_month=2026-03&charging_mode=3")).await, 2);
    assert_eq!(count(format!("{BREAKDOWN}?shared_month=2026-03&bill_type=1")).await, 1);
    assert_eq!(count(format!("{BREAKDOWN}?shared_month=2026-03&bill_type=8")).await, 0);
    assert_eq!(count(format!("{BREAKDOWN}?shared_month=2026-03&resource_id={}", w.vm)).await, 2);
    assert_eq!(count(format!("{BREAKDOWN}?shared_month=2026-03&resource_name=vm-u2")).await, 1);
    assert_eq!(
        count(format!("{BREAKDOWN}?shared_month=2026-03&service_type_code=")).await,
        0,
        "an empty code is a filter"
    );
    assert_eq!(count(format!("{BREAKDOWN}?shared_month=2026-03&region_code=ap-southeast-1")).await, 4);
    let page = ok(app, &w.c1_key, &format!("{BREAKDOWN}?shared_month=2026-03&offset=3&limit=10")).await;
    assert_eq!((page["total_count"].clone(), page["details"].as_array().unwrap().len()), (json!(4), 1));
}

async fn costs_refuse_bad_input_and_show_a_customer_only_its_own(db: TestStore) {
    let w = world(db).await;
    let app = &w.app;
    let good = query(2, "2026-03", "2026-04", "ORIGINAL_COST", &["RESOURCE_ID"]);
    let bad = |edit: fn(&mut Value)| {
        let mut body = good.clone();
        edit(&mut body);
        body
    };
    for (body, words) in [
        (bad(|b| b["time_condition"]["time_measure_id"] = json!(3)), "time_measure_id"),
        (bad(|b| b["time_condition"]["begin_time"] = json!("2026-03-01")), "begin_time"),
        (bad(|b| b["time_condition"]["end_time"] = json!("2026-02")), "end_time must be on or after"),
        (bad(|b| b["groupby"][0]["key"] = json!("NOPE")), "\"NOPE\" is not a dimension"),
        (bad(|b| b["groupby"][0]["type"] = json!("label")), "groupby.type"),
        (bad(|b| b["cost_type"] = json!("NET")), "cost_type"),
        (bad(|b| b["amount_type"] = json!(null)), "amount_type"),
        (bad(|b| b["limit"] = json!(0)), "limit"),
        (
            bad(|b| b["filters"] = json!([{"operator": 2, "filter_factor": {"key": "RESOURCE_ID", "value": []}}])),
            "operator",
        ),
        (
            bad(|b| b["filters"] = json!([{"operator": 0, "filter_factor": {"key": "X", "value": []}}])),
            "filter_factor.key",
        ),
    ] {
        let message = costs(app, &w.c1_key, body).await.assert_error(400, "CBC.0100");
        assert!(message.contains(words), "{words}: {message}");
    }
    let long = query(1, "2025-01-01", "2026-03-01", "ORIGINAL_COST", &[]);
    assert!(costs(app, &w.c1_key, long).await.assert_error(400, "CBC.0100").contains("366 days"));
    for target in [
        FEES.to_string(),
        format!("{FEES}?bill_cycle=2026-3"),
        format!("{FEES}?bill_cycle=2026-03&status=4"),
        format!("{FEES}?bill_cycle=2026-03&bill_type=7"),
        format!("{FEES}?bill_cycle=2026-03&charging_mode=2"),
        format!("{FEES}?bill_cycle=2026-03&method=team"),
        format!("{FEES}?bill_cycle=2026-03&method=sub_customer"),
        format!("{FEES}?bill_cycle=2026-03&bill_date_begin=2026-04-01&bill_date_end=2026-04-02"),
        format!("{FEES}?bill_cycle=2026-03&bill_date_begin=2026-03-05&bill_date_end=2026-03-04"),
        format!("{FEES}?bill_cycle=2026-03&limit=1001"),
        BREAKDOWN.to_string(),
        format!("{BREAKDOWN}?shared_month=2026-03&charging_mode=4"),
        format!("{BREAKDOWN}?shared_month=2026-03&offset=-1"),
    ] {
        app.signed("GET", &target, "", &w.c1_key).await.assert_error(400, "CBC.0100");
    }

    // Tenancy: each signer reads its own account only. c2 has only its usage; the partner's
    // own account spends nothing.
    let c2 = costs_ok(app, &w.c2_key, good.clone()).await;
    assert_eq!(groups(&c2), vec![(s("vm-c2"), vec![(s("2026-03"), s("0.05000000"))], s("0.05000000"))]);
    let mine = costs_ok(app, &w.partner, good).await;
    assert_eq!((mine["total_count"].clone(), mine["cost_data"].clone()), (json!(0), json!([])));
    let c2_fees = ok(app, &w.c2_key, &format!("{FEES}?bill_cycle=2026-03")).await;
    assert!(c2_fees["records"].as_array().unwrap().iter().all(|r| r["customer_id"] == json!(w.c2)));
    assert_eq!(ok(app, &w.c2_key, &format!("{FEES}?bill_cycle=2026-03&trade_id={}", w.order)).await["total_count"], 0);
    assert_eq!(ok(app, &w.partner, &format!("{FEES}?bill_cycle=2026-03")).await["total_count"], 0);
    assert_eq!(ok(app, &w.c2_key, &format!("{BREAKDOWN}?shared_month=2026-03")).await["total_count"], 1);
    assert_eq!(ok(app, &w.partner, &format!("{BREAKDOWN}?shared_month=2026-03")).await["total_count"], 0);
}
