//! Bill queries (issue 14, BSS B1.8.6, B1.8.7, B2.8.1, B2.8.6, B2.8.7) through the real router
//! on both backends: a month of usage by reseller and referral customers of a partner and of a
//! distributor's reseller, read while open (the estimate) and once the bill run has closed it
//! (the same answers), with every filter, paging, tenancy and bad input.

use opc_core::ops::admin;
use opc_core::ops::bills;
use opc_core::Clock;
use opc_domain::association::AssociationModel;
use opc_domain::bill::{Discount, SettlementTerms, TaxRate};
use opc_domain::partner::Program;
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, PartnerId, Timestamp};
use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::sign::Credentials;
use opc_testkit::{on_both_backends, seed, TestStore};
use serde_json::{json, Value};

const POSTPAID: &str = "/v2/bills/partner-bills/postpaid-bill-summary";
const MONTHLY_SUM: &str = "/v2/bills/customer-bills/monthly-sum";
const PAID_BILLS: &str = "/v2/bills/partner-bills/subcustomer-bills/monthly-sum";
const CONSUMERS: &str = "/v2/bills/subcustomer-bills/res-fee-records/sub-customers/query";
const DETAIL: &str = "/v2/bills/subcustomer-bills/res-fee-records";

on_both_backends!(
    b1_8_b2_8_bills_read_alike_while_estimated_and_once_closed,
    b2_8_filters_paging_and_bad_input,
    b2_8_tenancy_gives_errors_or_nothing_never_data,
);

const MARCH: Cycle = Cycle(202603);

struct World {
    app: TestApp,
    /// The distributor, its reseller, and a partner of its own.
    d: Credentials,
    r: Credentials,
    p: Credentials,
    r_id: PartnerId,
    /// p's reseller customers, its referral customer, r's reseller customer.
    c1: String,
    c4: String,
    c2: String,
    c3: String,
    c1_key: Credentials,
    c2_key: Credentials,
}

async fn customer(app: &TestApp, partner: &PartnerId, name: &str, model: AssociationModel) -> AccountId {
    let (account, association, audit) = seed::customer(name, partner, model, app.clock.now());
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    account.id().clone()
}

async fn key_of(app: &TestApp, customer: &AccountId) -> Credentials {
    let (key, secret) = admin::create_customer_key(&app.ctx, customer.as_str(), "test").await.unwrap();
    Credentials {
        access_key: key.id().as_str().into(),
        secret_key: secret.expose().into(),
        domain_id: customer.as_str().into(),
    }
}

/// c1 0.1375, c4 0.025 (p's reseller customers); c2 0.05 (p's referral); c3 0.1 (r's).
async fn world(db: TestStore) -> World {
    let app = TestApp::new(db).await;
    let catalog = opc_store::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
    let d = app.partner("Distri Ltd", Program::DistributionPartner, None).await;
    let r = app.partner("Resell Ltd", Program::Reseller, Some(d.partner.id())).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let c1 = customer(&app, p.partner.id(), "billed01", AssociationModel::Reseller).await;
    let c2 = customer(&app, p.partner.id(), "billed02", AssociationModel::Referral).await;
    let c3 = customer(&app, r.partner.id(), "billed03", AssociationModel::Reseller).await;
    let c4 = customer(&app, p.partner.id(), "billed04", AssociationModel::Reseller).await;
    let usage = [(&c1, 10), (&c2, 4), (&c3, 8), (&c1, 1), (&c4, 2)];
    let records = usage
        .iter()
        .enumerate()
        .map(|(i, (c, hours))| {
            (i, seed::vm_usage(format!("u-{}-{i}", c.as_str()), c, format!("vm-{i}"), *hours, app.clock.now()))
        })
        .collect();
    opc_core::ops::usage::ingest(&app.ctx, "ops", records, vec![]).await.unwrap();
    // R-BILL-01: 20 % off ECS for Acme, 10 % for the reseller; 7 % output tax in Singapore.
    let acme = SettlementTerms::flat(Discount::parse("0.15").unwrap())
        .with("hws.service.type.ec2", Discount::parse("0.2").unwrap());
    bills::set_settlement_terms(&app.ctx, p.partner.id().as_str(), MARCH, &acme, "finance").await.unwrap();
    let resell = SettlementTerms::flat(Discount::parse("0.1").unwrap());
    bills::set_settlement_terms(&app.ctx, r.partner.id().as_str(), MARCH, &resell, "finance").await.unwrap();
    bills::set_tax_rate(&app.ctx, "SG", TaxRate::parse("0.07").unwrap(), "finance").await.unwrap();
    let (c1_key, c2_key) = (key_of(&app, &c1).await, key_of(&app, &c2).await);
    World {
        d: TestApp::credentials(&d),
        r: TestApp::credentials(&r),
        p: TestApp::credentials(&p),
        r_id: r.partner.id().clone(),
        c1: c1.as_str().into(),
        c2: c2.as_str().into(),
        c3: c3.as_str().into(),
        c4: c4.as_str().into(),
        c1_key,
        c2_key,
        app,
    }
}

async fn close_march(app: &TestApp) {
    app.clock.set(Timestamp::from_utc(2026, 4, 5, 4, 0, 0).unwrap());
    bills::run(&app.ctx, MARCH, "test", |_| ()).await.unwrap().unwrap();
}

async fn get(app: &TestApp, creds: &Credentials, target: &str) -> TestResponse {
    app.signed("GET", target, "", creds).await
}

async fn ok(app: &TestApp, creds: &Credentials, target: &str) -> Value {
    let r = get(app, creds, target).await;
    assert_eq!(r.status, 200, "{target}: {}", r.body);
    r.json()
}

async fn consumers(app: &TestApp, creds: &Credentials, body: Value) -> TestResponse {
    app.signed("POST", CONSUMERS, &body.to_string(), creds).await
}

fn ids(list: &Value, field: &str) -> Vec<String> {
    list.as_array().unwrap().iter().map(|r| r[field].as_str().unwrap().to_owned()).collect()
}

fn sorted(mut ids: Vec<&String>) -> Vec<String> {
    ids.sort();
    ids.into_iter().cloned().collect()
}

/// Every answer of the month, as bodies: the same whether estimated or closed.
async fn answers(w: &World) -> Vec<(String, String)> {
    let app = &w.app;
    let mut bodies = Vec::new();
    let reads: Vec<(&Credentials, String)> = vec![
        (&w.c1_key, format!("{MONTHLY_SUM}?bill_cycle=2026-03")),
        (&w.c2_key, format!("{MONTHLY_SUM}?bill_cycle=2026-03")),
        (&w.p, format!("{PAID_BILLS}?cycle=2026-03&charge_mode=3")),
        (&w.d, format!("{PAID_BILLS}?cycle=2026-03&charge_mode=3&indirect_partner_id={}", w.r_id)),
        (&w.p, format!("{DETAIL}?bill_cycle=2026-03&customer_id={}", w.c1)),
        (&w.p, format!("{DETAIL}?bill_cycle=2026-03&customer_id={}", w.c2)),
        (&w.d, format!("{DETAIL}?bill_cycle=2026-03&customer_id={}&indirect_partner_id={}", w.c3, w.r_id)),
    ];
    for (creds, target) in reads {
        bodies.push((target.clone(), serde_json::to_string(&ok(app, creds, &target).await).unwrap()));
    }
    for creds in [&w.p, &w.r] {
        let r = consumers(app, creds, json!({"bill_cycle": "2026-03"})).await;
        assert_eq!(r.status, 200, "{}", r.body);
        bodies.push((CONSUMERS.into(), r.body));
    }
    bodies
}

async fn b1_8_b2_8_bills_read_alike_while_estimated_and_once_closed(db: TestStore) {
    let w = world(db).await;
    let app = &w.app;

    // B1.8.6: the open month's estimate, exact to 8 decimals, tax apart.
    let estimate = ok(app, &w.p, &format!("{POSTPAID}?bill_cycle=2026-03")).await;
    let acme_march = json!({"adjustments": 0, "bill_cycle": "2026-03", "consume_amount": 0.13, "currency": "USD",
        "initial_amount_due": 0.13, "refunds": 0, "tax_amount": 0.0091});
    assert_eq!(estimate, acme_march, "(0.1375 + 0.025) less 20 %");
    let zeros = |month: &str| {
        json!({"adjustments": 0, "bill_cycle": month, "consume_amount": 0, "currency": "USD",
            "initial_amount_due": 0, "refunds": 0, "tax_amount": 0})
    };
    assert_eq!(ok(app, &w.p, &format!("{POSTPAID}?bill_cycle=2026-04")).await, zeros("2026-04"), "not begun");
    let open = answers(&w).await;

    close_march(app).await;
    assert_eq!(ok(app, &w.p, &format!("{POSTPAID}?bill_cycle=2026-03")).await, acme_march, "the estimate was the bill");
    let r_march = ok(app, &w.r, &format!("{POSTPAID}?bill_cycle=2026-03")).await;
    assert_eq!((r_march["initial_amount_due"].clone(), r_march["tax_amount"].clone()), (json!(0.09), json!(0.0063)));
    assert_eq!(
        ok(app, &w.d, &format!("{POSTPAID}?bill_cycle=2026-03")).await,
        zeros("2026-03"),
        "no customers of its own"
    );
    assert_eq!(ok(app, &w.p, &format!("{POSTPAID}?bill_cycle=2026-02")).await, zeros("2026-02"), "nothing spent");
    assert_eq!(ok(app, &w.p, &format!("{POSTPAID}?bill_cycle=2026-04")).await, zeros("2026-04"), "open, nothing yet");
    let closed = answers(&w).await;
    for ((target, before), (_, after)) in open.iter().zip(&closed) {
        assert_eq!(before, after, "{target}: the estimate and the closed month answer alike");
    }

    // B1.8.7: the reseller customer's spend is settled by its partner (credit), the referral
    // customer's is its own debt.
    let c1 = ok(app, &w.c1_key, &format!("{MONTHLY_SUM}?bill_cycle=2026-03")).await;
    assert_eq!((c1["total_count"].clone(), c1["consume_amount"].clone()), (json!(1), json!(0.1375)));
    assert_eq!(
        (c1["credit_amount"].clone(), c1["debt_amount"].clone(), c1["currency"].clone()),
        (json!(0.1375), json!(0), json!("USD"))
    );
    let sum = &c1["bill_sums"][0];
    assert_eq!(
        (sum["customer_id"].as_str(), sum["account_name"].as_str(), sum["bill_cycle"].as_str()),
        (Some(w.c1.as_str()), Some("billed01"), Some("2026-03"))
    );
    assert_eq!(
        (sum["service_type_code"].clone(), sum["charging_mode"].clone(), sum["bill_type"].clone()),
        (json!("hws.service.type.ec2"), json!(3), json!(1))
    );
    assert_eq!(
        (sum["official_amount"].clone(), sum["official_discount_amount"].clone(), sum["consume_amount"].clone()),
        (json!(0.1375), json!(0), json!(0.1375))
    );
    let c2 = ok(app, &w.c2_key, &format!("{MONTHLY_SUM}?bill_cycle=2026-03")).await;
    assert_eq!((c2["debt_amount"].clone(), c2["credit_amount"].clone()), (json!(0.05), json!(0)));
    assert_eq!(c2["bill_sums"][0]["debt_amount"], json!(0.05));
    let own = ok(app, &w.p, &format!("{MONTHLY_SUM}?bill_cycle=2026-03")).await;
    assert_eq!(
        (own["total_count"].clone(), own["consume_amount"].clone()),
        (json!(0), json!(0)),
        "the partner's own account spent nothing"
    );

    // B2.8.7: the customer bills Acme pays, by customer.
    let paid = ok(app, &w.p, &format!("{PAID_BILLS}?cycle=2026-03&charge_mode=3")).await;
    assert_eq!(paid["count"], 2);
    assert_eq!(ids(&paid["bill_sums"], "customer_id"), sorted(vec![&w.c1, &w.c4]));
    let of_c1 = paid["bill_sums"].as_array().unwrap().iter().find(|s| s["customer_id"] == json!(w.c1)).unwrap();
    assert_eq!(
        of_c1,
        &json!({"account_details": [{"amount": 0.1375, "balance_type": "BALANCE_TYPE_CREDIT", "bill_type": "0"}],
            "adjustment_amount": 0, "amount": 0.1375, "bill_type": "0", "charge_mode": "3",
            "cloud_service_type": "hws.service.type.ec2", "cloud_service_type_name": "Elastic Cloud Server",
            "customer_id": w.c1, "debt_amount": 0, "discount_amount": 0, "measure_id": 1})
    );
    let of_r = ok(app, &w.d, &format!("{PAID_BILLS}?cycle=2026-03&charge_mode=3&indirect_partner_id={}", w.r_id)).await;
    assert_eq!(
        (ids(&of_r["bill_sums"], "customer_id"), of_r["bill_sums"][0]["amount"].clone()),
        (vec![w.c3.clone()], json!(0.1))
    );
    let r_own = ok(app, &w.r, &format!("{PAID_BILLS}?cycle=2026-03&charge_mode=3")).await;
    assert_eq!(r_own["bill_sums"], of_r["bill_sums"], "the reseller reads its own alike");

    // B2.8.1: customers with spend, referral ones included.
    let r = consumers(app, &w.p, json!({"bill_cycle": "2026-03"})).await.json();
    assert_eq!(
        (ids(&r["sub_customers"], "customer_id"), r["total_count"].clone()),
        (sorted(vec![&w.c1, &w.c2, &w.c4]), json!(3))
    );
    let r = consumers(app, &w.r, json!({"bill_cycle": "2026-03"})).await.json();
    assert_eq!(ids(&r["sub_customers"], "customer_id"), vec![w.c3.clone()]);
    let r = consumers(app, &w.p, json!({"bill_cycle": "2026-02"})).await.json();
    assert_eq!(r, json!({"sub_customers": [], "total_count": 0}));

    // B2.8.6: the expenditure records.
    let detail = ok(app, &w.p, &format!("{DETAIL}?bill_cycle=2026-03&customer_id={}", w.c1)).await;
    assert_eq!((detail["total_count"].clone(), detail["currency"].clone()), (json!(1), json!("USD")));
    let rec = &detail["fee_records"][0];
    assert_eq!(
        (rec["association_type"].clone(), rec["bill_detail_type"].clone(), rec["charging_mode"].clone()),
        (json!("2"), json!(5), json!(3))
    );
    assert_eq!(
        (
            rec["official_amount"].clone(),
            rec["payment_amount"].clone(),
            rec["credit_amount"].clone(),
            rec["debt_amount"].clone()
        ),
        (json!(0.1375), json!(0.1375), json!(0.1375), json!(0))
    );
    assert_eq!((rec["customer_id"].as_str(), rec["bill_cycle"].as_str()), (Some(w.c1.as_str()), Some("2026-03")));
    let referral = ok(app, &w.p, &format!("{DETAIL}?bill_cycle=2026-03&customer_id={}", w.c2)).await;
    let rec = &referral["fee_records"][0];
    assert_eq!(
        (rec["association_type"].clone(), rec["debt_amount"].clone(), rec["credit_amount"].clone()),
        (json!("1"), json!(0.05), json!(0))
    );
    let indirect =
        ok(app, &w.d, &format!("{DETAIL}?bill_cycle=2026-03&customer_id={}&indirect_partner_id={}", w.c3, w.r_id))
            .await;
    assert_eq!(
        (indirect["fee_records"][0]["official_amount"].clone(), indirect["fee_records"][0]["partner_id"].as_str()),
        (json!(0.1), Some(w.r_id.as_str()))
    );
}

async fn b2_8_filters_paging_and_bad_input(db: TestStore) {
    let w = world(db).await;
    let app = &w.app;
    close_march(app).await;
    let count = |v: Value, field: &str| v[field].as_u64().unwrap();

    // B2.8.7: paging and filters.
    let paid = |q: String| format!("{PAID_BILLS}?cycle=2026-03{q}");
    let page = ok(app, &w.p, &paid("&charge_mode=3&limit=1&offset=1".into())).await;
    assert_eq!(
        (page["count"].clone(), ids(&page["bill_sums"], "customer_id")),
        (json!(2), vec![sorted(vec![&w.c1, &w.c4])[1].clone()])
    );
    assert_eq!(count(ok(app, &w.p, &paid(format!("&charge_mode=3&customer_id={}", w.c1))).await, "count"), 1);
    assert_eq!(
        count(ok(app, &w.p, &paid(format!("&charge_mode=3&customer_id={}", w.c2))).await, "count"),
        0,
        "a referral customer pays its own"
    );
    assert_eq!(count(ok(app, &w.p, &paid("&charge_mode=1".into())).await, "count"), 0, "no yearly/monthly");
    assert_eq!(count(ok(app, &w.p, &paid("&charge_mode=11".into())).await, "count"), 0, "no savings plans");
    assert_eq!(count(ok(app, &w.p, &paid("&charge_mode=3&bill_type=1".into())).await, "count"), 0, "no refunds");
    assert_eq!(count(ok(app, &w.p, &paid("&charge_mode=3&bill_type=0".into())).await, "count"), 2);
    assert_eq!(
        count(ok(app, &w.p, &paid("&charge_mode=3&cloud_service_type=hws.service.type.obs".into())).await, "count"),
        0
    );
    assert_eq!(
        count(ok(app, &w.p, &paid("&charge_mode=3&cloud_service_type=hws.service.type.ec2".into())).await, "count"),
        2
    );
    for bad in [
        "",
        "&charge_mode=2",
        "&charge_mode=x",
        "&charge_mode=3&bill_type=5",
        "&charge_mode=3&limit=0",
        "&charge_mode=3&offset=-1",
    ] {
        get(app, &w.p, &paid(bad.into())).await.assert_error(400, "CBC.0100");
    }
    get(app, &w.p, &format!("{PAID_BILLS}?cycle=2026-3&charge_mode=3")).await.assert_error(400, "CBC.0100");
    get(app, &w.p, &format!("{PAID_BILLS}?charge_mode=3")).await.assert_error(400, "CBC.0100");

    // B2.8.1: paging; the month is required.
    let r = consumers(app, &w.p, json!({"bill_cycle": "2026-03", "offset": 2, "limit": 1})).await.json();
    assert_eq!(
        (ids(&r["sub_customers"], "customer_id"), r["total_count"].clone()),
        (vec![sorted(vec![&w.c1, &w.c2, &w.c4])[2].clone()], json!(3))
    );
    consumers(app, &w.p, json!({})).await.assert_error(400, "CBC.0100");
    consumers(app, &w.p, json!({"bill_cycle": "March"})).await.assert_error(400, "CBC.0100");
    consumers(app, &w.p, json!({"bill_cycle": "2026-03", "limit": 0})).await.assert_error(400, "CBC.0100");

    // B2.8.6: every filter.
    let detail = |q: String| format!("{DETAIL}?bill_cycle=2026-03&customer_id={}{q}", w.c1);
    assert_eq!(count(ok(app, &w.p, &detail(String::new())).await, "total_count"), 1);
    for (q, n) in [
        ("&service_type_code=hws.service.type.ec2", 1),
        ("&service_type_code=hws.service.type.obs", 0),
        ("&charging_mode=3", 1),
        ("&charging_mode=1", 0),
        ("&charging_mode=11", 0),
        ("&bill_detail_type=5", 1),
        ("&bill_detail_type=5&charging_mode=1", 0),
        ("&bill_detail_type=4", 0),
        ("&bill_detail_type=2", 0),
        ("&association_type=2", 1),
        ("&association_type=1", 0),
        ("&region_code=ap-southeast-1", 0),
        ("&resource_id=vm-0", 0),
        ("&resource_name=vm", 0),
        ("&trade_id=x", 0),
        ("&account_manager_id=0123456789abcdef0123456789abcdef", 0),
        ("&bill_date_begin=2026-03-01&bill_date_end=2026-03-31", 1),
        ("&bill_date_begin=2026-03-02&bill_date_end=2026-03-31", 0),
        ("&bill_date_begin=2026-03-02", 1),
        ("&offset=1", 1),
    ] {
        assert_eq!(count(ok(app, &w.p, &detail(q.into())).await, "total_count"), n, "{q}");
    }
    assert_eq!(ok(app, &w.p, &detail("&offset=1".into())).await["fee_records"], json!([]));
    for bad in [
        "&charging_mode=2",
        "&bill_detail_type=7",
        "&association_type=3",
        "&bill_date_begin=2026-04-01&bill_date_end=2026-04-02",
        "&bill_date_begin=2026-03-10&bill_date_end=2026-03-09",
        "&bill_date_begin=2026-03-32&bill_date_end=2026-03-31",
        "&limit=1001",
    ] {
        get(app, &w.p, &detail(bad.into())).await.assert_error(400, "CBC.0100");
    }
    get(app, &w.p, &format!("{DETAIL}?bill_cycle=2026-03")).await.assert_error(400, "CBC.0100");

    // B1.8.7: filters, scope and paging.
    let sum = |q: &str| format!("{MONTHLY_SUM}?bill_cycle=2026-03{q}");
    for (q, n) in [
        ("", 1),
        ("&service_type_code=hws.service.type.obs", 0),
        ("&method=all", 1),
        ("&method=oneself", 1),
        ("&method=sub_customer&sub_customer_id=0123456789abcdef0123456789abcdef", 0),
        ("&enterprise_project_id=0", 1),
        ("&enterprise_project_id=ep-1", 0),
    ] {
        assert_eq!(count(ok(app, &w.c1_key, &sum(q)).await, "total_count"), n, "{q}");
    }
    let paged = ok(app, &w.c1_key, &sum("&offset=1")).await;
    assert_eq!(
        (paged["bill_sums"].clone(), paged["consume_amount"].clone()),
        (json!([]), json!(0.1375)),
        "totals are of every match"
    );
    for bad in ["&method=sub_customer", "&method=everyone", "&limit=0"] {
        get(app, &w.c1_key, &sum(bad)).await.assert_error(400, "CBC.0100");
    }
    get(app, &w.c1_key, MONTHLY_SUM).await.assert_error(400, "CBC.0100");

    // B1.8.6: the month is required and well formed.
    for bad in ["", "?bill_cycle=2026/03", "?bill_cycle=2026-13"] {
        get(app, &w.p, &format!("{POSTPAID}{bad}")).await.assert_error(400, "CBC.0100");
    }
}

async fn b2_8_tenancy_gives_errors_or_nothing_never_data(db: TestStore) {
    let w = world(db).await;
    let app = &w.app;
    for month_closed in [false, true] {
        if month_closed {
            close_march(app).await;
        }
        // Another partner's customer: nothing.
        let foreign = ok(app, &w.p, &format!("{DETAIL}?bill_cycle=2026-03&customer_id={}", w.c3)).await;
        assert_eq!(foreign["total_count"], 0, "{foreign}");
        let foreign = ok(app, &w.r, &format!("{DETAIL}?bill_cycle=2026-03&customer_id={}", w.c1)).await;
        assert_eq!(foreign["total_count"], 0);
        let unknown = ok(app, &w.p, &format!("{DETAIL}?bill_cycle=2026-03&customer_id=nobody")).await;
        assert_eq!(unknown["total_count"], 0);
        let foreign = ok(app, &w.r, &format!("{PAID_BILLS}?cycle=2026-03&charge_mode=3&customer_id={}", w.c1)).await;
        assert_eq!(foreign["count"], 0);
        // A reseller that is not the caller's: refused.
        for target in [
            format!("{PAID_BILLS}?cycle=2026-03&charge_mode=3&indirect_partner_id={}", w.r_id),
            format!("{DETAIL}?bill_cycle=2026-03&customer_id={}&indirect_partner_id={}", w.c3, w.r_id),
        ] {
            get(app, &w.p, &target).await.assert_error(400, "CBC.99000037");
        }
        // A customer's key reads only its own monthly sums; the partner operations are refused.
        for target in [
            format!("{POSTPAID}?bill_cycle=2026-03"),
            format!("{PAID_BILLS}?cycle=2026-03&charge_mode=3"),
            format!("{DETAIL}?bill_cycle=2026-03&customer_id={}", w.c1),
        ] {
            get(app, &w.c1_key, &target).await.assert_error(403, "CBC.0151");
        }
        consumers(app, &w.c1_key, json!({"bill_cycle": "2026-03"})).await.assert_error(403, "CBC.0151");
        let c2 = ok(app, &w.c2_key, &format!("{MONTHLY_SUM}?bill_cycle=2026-03")).await;
        assert_eq!(ids(&c2["bill_sums"], "customer_id"), vec![w.c2.clone()], "its own only");
        // The distributor has no customers of its own.
        let r = consumers(app, &w.d, json!({"bill_cycle": "2026-03"})).await.json();
        assert_eq!(r["total_count"], 0);
        let of_d = ok(app, &w.d, &format!("{PAID_BILLS}?cycle=2026-03&charge_mode=3")).await;
        assert_eq!(of_d["count"], 0);
    }
}
