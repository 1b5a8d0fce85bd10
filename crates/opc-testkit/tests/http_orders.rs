//! Yearly/monthly orders and resources on both backends (issue #6): a reseller customer buys,
//! its partner pays on its behalf with the authorization letter, the spend meets the budget and
//! the quota at list price, renewals extend and unsubscriptions refund; frozen and restricted
//! customers cannot buy; foreign orders stay invisible.

use opc_core::ops::admin::{self, PartnerChange};
use opc_core::ops::auth::{Caller, Principal};
use opc_core::ops::orders::{self, Item, OrderOpError};
use opc_domain::association::AssociationModel;
use opc_domain::catalog::PeriodType;
use opc_domain::order::{OrderSource, Product};
use opc_domain::partner::Program;
use opc_domain::{Millis, Money};
use opc_testkit::app::{TestApp, T0};
use opc_testkit::console::{call, sign_in, staff};
use opc_testkit::sign::Credentials;
use opc_testkit::{on_both_backends, seed, TestStore};
use serde_json::{json, Value};

on_both_backends!(
    r_ord_01_a_reseller_customer_buys_is_billed_at_list_price_renews_and_unsubscribes,
    r_quota_01_a_payment_never_exceeds_the_quota_nor_a_budget_that_freezes,
    r_rcm_09_frozen_customers_cannot_buy_and_foreign_orders_stay_hidden,
    resources_change_their_expiry_policy_and_usage_lists_pay_per_use_resources,
    resources_renew_automatically_before_expiry_and_turn_pay_per_use_at_it,
    r_dist_a_distributor_reads_its_resellers_customers_orders_by_naming_the_reseller,
    a_package_budget_counts_the_spend_after_it_is_set_and_a_monthly_one_the_months,
    a_refused_automatic_renewal_is_tried_once_a_day_then_turned_off_at_expiry,
    a_unified_expiry_day_moves_renewals_to_it_at_their_price_per_millisecond,
    b2_7_1_a_resource_turns_pay_per_use_at_once_its_unused_time_refunded,
    r_dist_03_a_restricted_distributors_resellers_customers_cannot_buy,
);

const VM: &str = "s6.small.1.linux";

fn catalog() -> Value {
    json!({
        "service_types": [{"code": "hws.service.type.ec2", "name": "Elastic Cloud Server", "name_zh": "弹性云服务器"},
            {"code": "hws.service.type.ebs", "name": "Elastic Volume Service"}],
        "resource_types": [{"code": "hws.resource.type.vm", "service_type": "hws.service.type.ec2", "name": "Cloud server"},
            {"code": "hws.resource.type.volume", "service_type": "hws.service.type.ebs", "name": "Disk"}],
        "usage_types": [{"code": "Duration", "resource_type": "hws.resource.type.vm", "name": "Duration"}],
        "measure_units": [{"id": 4, "name": "hour", "measure_type": 2}],
        "specs": [{"code": VM, "resource_type": "hws.resource.type.vm", "name": "s6 small", "regions": ["ap-southeast-1"]},
            {"code": "SATA", "resource_type": "hws.resource.type.volume", "name": "SATA disk", "regions": ["ap-southeast-1"]}],
        "prices": [
            {"spec": VM, "region": "ap-southeast-1", "charging_mode": "PERIOD", "period_type": 2, "period_nums": [1, 2, 3], "amount": "6.8"},
            {"spec": VM, "region": "ap-southeast-1", "charging_mode": "ON_DEMAND", "usage_factor": "Duration", "usage_measure_id": 4, "amount": "0.0125"},
            {"spec": "SATA", "region": "ap-southeast-1", "charging_mode": "PERIOD", "period_type": 2, "period_nums": [1, 2, 3], "amount": "0.1"}]})
}

fn vm_with_disk(months: i64) -> Value {
    json!({"items": [{"cloud_service_type": "hws.service.type.ec2", "resource_type": "hws.resource.type.vm",
        "resource_spec": VM, "region": "ap-southeast-1", "period_type": 2, "period_num": months,
        "children": [{"cloud_service_type": "hws.service.type.ebs", "resource_type": "hws.resource.type.volume",
            "resource_spec": "SATA", "resource_size": 40}]}]})
}

struct World {
    app: TestApp,
    ops: String,
    partner: Credentials,
    partner_id: opc_domain::PartnerId,
}

async fn world(db: TestStore, quota: &str) -> World {
    let app = TestApp::new(db).await;
    let ops = staff(&app).await;
    assert_eq!(call(&app, "PUT", "/api/v1/operator/catalog", catalog(), &ops).await.status, 200);
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let id = p.partner.id().as_str().to_owned();
    admin::change_partner(&app.ctx, &id, PartnerChange::Quota(Money::parse(quota).unwrap()), "test").await.unwrap();
    World { partner: TestApp::credentials(&p), partner_id: p.partner.id().clone(), app, ops }
}

/// A reseller customer of the world's partner (frozen on association, R-ASSOC-23), signed in to
/// the console and with its own access key: (id, session, credentials).
async fn new_customer(w: &World, name: &str) -> (String, String, Credentials) {
    let (mut account, association, audit) = seed::customer(name, &w.partner_id, AssociationModel::Reseller, T0);
    let email = format!("{name}@example.com");
    account.set_login(Some(email.clone()), Some(opc_core::passwords::hash_blocking("Secret123!").unwrap()));
    w.app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    let token = sign_in(&w.app, &email, "Secret123!").await;
    let (key, secret) = admin::create_customer_key(&w.app.ctx, account.id().as_str(), "test").await.unwrap();
    let creds = Credentials {
        access_key: key.id().as_str().to_owned(),
        secret_key: secret.expose().to_owned(),
        domain_id: account.id().as_str().to_owned(),
    };
    (account.id().as_str().to_owned(), token, creds)
}

/// Sets a monthly budget and unfreezes the customer, over BSS.
async fn budget(w: &World, customer: &str, amount: &str, freeze_at_limit: bool) {
    let mut body = json!({"customer_id": customer, "budget_amount": serde_json::from_str::<Value>(amount).unwrap(),
        "cancel_partner_frozen": "1"});
    if freeze_at_limit {
        body["frozen_operate_type"] = json!(1);
    }
    let r = w.app.signed("POST", "/v2/partners/sub-customers/budget", &body.to_string(), &w.partner).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

fn pay_body(order: &str) -> String {
    json!({"order_id": order, "use_coupon": "NO", "use_discount": "NO"}).to_string()
}

/// A new reseller customer (with a budget of 100) that bought and paid a month of a VM with
/// its disk (expiring 2026-04-01T08:00Z): its id, session, access key and the VM's id.
async fn bought_vm(w: &World, name: &str) -> (String, String, Credentials, String) {
    let (customer, session, own) = new_customer(w, name).await;
    budget(w, &customer, "100", false).await;
    let order = call(&w.app, "POST", "/api/v1/orders", vm_with_disk(1), &session).await.json()["order_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(w.app.signed("POST", "/v3/orders/customer-orders/pay", &pay_body(&order), &own).await.status, 200);
    let q = json!({"customer_id": customer, "only_main_resource": 1}).to_string();
    let res = w.app.signed("POST", "/v2/orders/suscriptions/resources/query", &q, &own).await.json();
    assert_eq!(res["total_count"], 1, "only the main resource: {res}");
    let vm = res["data"][0]["resource_id"].as_str().unwrap().to_owned();
    (customer, session, own, vm)
}

async fn used(w: &World, customer: &str) -> String {
    let r =
        w.app.signed("GET", &format!("/v2/partners/sub-customers/budget?customer_id={customer}"), "", &w.partner).await;
    r.json()["used_amount"].to_string()
}

async fn r_ord_01_a_reseller_customer_buys_is_billed_at_list_price_renews_and_unsubscribes(db: TestStore) {
    let w = world(db, "1000").await;
    let (customer, session, own) = new_customer(&w, "buyer001").await;
    budget(&w, &customer, "100", false).await;

    // The customer orders a VM with a 40 GB disk for a month: 6.80 + 40 × 0.10, pending payment.
    let r = call(&w.app, "POST", "/api/v1/orders", vm_with_disk(1), &session).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let order = r.json()["order_id"].as_str().unwrap().to_owned();
    assert_eq!(r.json()["official_amount"].to_string(), "10.8");
    let listed = w.app.signed("GET", "/v2/orders/customer-orders", "", &own).await.json();
    assert_eq!((listed["total_count"].as_i64(), listed["order_infos"][0]["status"].as_i64()), (Some(1), Some(6)));
    assert_eq!(listed["order_infos"][0]["official_amount"].to_string(), "10.8");

    // R-RCM-14: the partner pays on the customer's behalf only with the authorization letter.
    let pay = "/v3/orders/customer-orders/pay";
    w.app.signed("POST", pay, &pay_body(&order), &w.partner).await.assert_error(403, "CBC.0151");
    let letter = call(&w.app, "PUT", "/api/v1/me/partner-authorization", json!({"authorized": true}), &session).await;
    assert_eq!(letter.status, 200, "{}", letter.body);
    assert!(letter.json()["authorized_at"].is_string());
    let r = w.app.signed("POST", pay, &pay_body(&order), &w.partner).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Paid once: a second payment is refused and counts nothing (R-ORD-02).
    // A second later, or it would be the first request's replay (issue 18); then back.
    w.app.clock.advance(Millis(1000));
    w.app.signed("POST", pay, &pay_body(&order), &w.partner).await.assert_error(409, "CBC.99000053");
    w.app.clock.advance(Millis(-1000));
    assert_eq!(used(&w, &customer).await, "10.8", "R-BILL-18: the budget weighs the list price");
    let quota = w.app.signed("GET", "/v2/partners/credit/consumption-quota", "", &w.partner).await.json();
    assert_eq!(quota["used_consumption_quota"], "10.8", "{quota}");

    // The resources: the VM and its disk (a child, R-ORD-04), a month from payment.
    let q = json!({"customer_id": customer}).to_string();
    let res = w.app.signed("POST", "/v2/orders/suscriptions/resources/query", &q, &w.partner).await.json();
    assert_eq!(res["total_count"], 2, "{res}");
    let vm = res["data"].as_array().unwrap().iter().find(|r| r["is_main_resource"] == 1).unwrap().clone();
    let vm_id = vm["resource_id"].as_str().unwrap().to_owned();
    assert_eq!((vm["status"].as_i64(), vm["expire_policy"].as_i64()), (Some(2), Some(0)));
    assert_eq!(
        (vm["effective_time"].as_str(), vm["expire_time"].as_str()),
        (Some("2026-03-01T08:00:00Z"), Some("2026-04-01T08:00:00Z"))
    );
    let details = w.app.signed("GET", &format!("/v2/orders/customer-orders/details/{order}"), "", &own).await.json();
    assert_eq!((details["total_count"].as_i64(), details["order_info"]["status"].as_i64()), (Some(2), Some(5)));
    assert_eq!(details["order_info"]["source_type"], 1, "the customer placed it");
    assert_eq!(details["order_line_items"][1]["official_amount"].to_string(), "4");

    // Renewal: priced first (with the disk), then renewed for two months and paid at once.
    let ids = json!({"resource_ids": [vm_id], "period_type": 2, "period_num": 2, "include_relative_resources": true});
    let rate =
        w.app.signed("POST", "/v2/bills/ratings/period-resources/renew-rate", &ids.to_string(), &own).await.json();
    assert_eq!(rate["renew_inquiry_results"][0]["amount"], "21.6", "{rate}");
    let mut renew = ids.clone();
    renew["is_auto_pay"] = json!(1);
    let r = w.app.signed("POST", "/v2/orders/subscriptions/resources/renew", &renew.to_string(), &w.partner).await;
    assert_eq!((r.status.as_u16(), r.json()["order_ids"].as_array().map(Vec::len)), (200, Some(1)), "{}", r.body);
    assert_eq!(used(&w, &customer).await, "32.4");
    let res = w.app.signed("POST", "/v2/orders/suscriptions/resources/query", &q, &w.partner).await.json();
    assert!(res["data"].as_array().unwrap().iter().all(|r| r["expire_time"] == "2026-06-01T08:00:00Z"), "{res}");

    // Ten days in, the whole VM is unsubscribed: the first month refunds its unused 21 of 31
    // days, the renewal (not started) refunds whole (R-CPN-10); the refund lowers the spend.
    w.app.clock.advance(Millis::days(10));
    let body = json!({"resource_ids": [vm_id], "unsubscribe_type": 1}).to_string();
    let r = w.app.signed("POST", "/v2/orders/subscriptions/resources/unsubscribe", &body, &own).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let refund_order = r.json()["order_ids"][0].as_str().unwrap().to_owned();
    let url = format!("/v2/orders/customer-orders/refund-orders?order_id={refund_order}&customer_id={customer}");
    let refunds = w.app.signed("GET", &url, "", &w.partner).await.json();
    let amounts: Vec<String> =
        refunds["refund_infos"].as_array().unwrap().iter().map(|r| r["amount"].to_string()).collect();
    // VM: 6.80 × 21/31 back (4.60645161), 2.19354839 consumed; renewal 13.60 back; disk alike.
    assert_eq!(amounts, ["-4.60645161", "2.19354839", "-13.6", "-2.70967741", "1.29032259", "-8"], "{refunds}");
    let expected = Money::parse("32.4").unwrap().e8() - (460_645_161 + 1_360_000_000 + 270_967_741 + 800_000_000);
    assert_eq!(used(&w, &customer).await, Money::from_e8(expected).unwrap().to_plain_string());
    let res = w.app.signed("POST", "/v2/orders/suscriptions/resources/query", &q, &own).await.json();
    assert!(res["data"].as_array().unwrap().iter().all(|r| r["status"] == 3), "closed: {res}");
    let listed = w.app.signed("GET", "/v2/orders/customer-orders?order_type=4", "", &own).await.json();
    assert_eq!(
        (listed["total_count"].as_i64(), listed["order_infos"][0]["order_id"].as_str()),
        (Some(1), Some(refund_order.as_str()))
    );
    // A second later, or it would be the first request's replay (issue 18).
    w.app.clock.advance(Millis(1000));
    let again = w.app.signed("POST", "/v2/orders/subscriptions/resources/unsubscribe", &body, &own).await.json();
    assert_eq!(again["fail_resource_infos"][0]["error_code"], "CBC.99000053", "{again}");
}

async fn r_quota_01_a_payment_never_exceeds_the_quota_nor_a_budget_that_freezes(db: TestStore) {
    let w = world(db, "30").await;
    let (first, s1, own1) = new_customer(&w, "buyer101").await;
    let (second, s2, _) = new_customer(&w, "buyer102").await;
    budget(&w, &first, "15", true).await;
    budget(&w, &second, "1000", false).await;
    let place = |session: String| {
        let app = &w.app;
        async move {
            let r = call(app, "POST", "/api/v1/orders", vm_with_disk(1), &session).await;
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()["order_id"].as_str().unwrap().to_owned()
        }
    };
    let (a, b) = (place(s1.clone()).await, place(s1.clone()).await);
    let pay = "/v3/orders/customer-orders/pay";
    assert_eq!(w.app.signed("POST", pay, &pay_body(&a), &own1).await.status, 200);
    // 10.80 + 10.80 > 15, and the partner asked to freeze at the budget (A-06): refused, nothing kept.
    let msg = w.app.signed("POST", pay, &pay_body(&b), &own1).await.assert_error(400, "CBC.99000056");
    assert!(msg.contains("customer's budget (USD 4.20 of USD 15.00)"), "{msg}");
    assert_eq!(used(&w, &first).await, "10.8");

    // The quota: 10.80 used of 30; the second customer pays 10.80, then 10.80 more would make 32.40.
    let (c, d) = (place(s2.clone()).await, place(s2.clone()).await);
    let own2 = {
        let (key, secret) = admin::create_customer_key(&w.app.ctx, &second, "test").await.unwrap();
        Credentials {
            access_key: key.id().as_str().to_owned(),
            secret_key: secret.expose().to_owned(),
            domain_id: second.clone(),
        }
    };
    assert_eq!(w.app.signed("POST", pay, &pay_body(&c), &own2).await.status, 200);
    let msg = w.app.signed("POST", pay, &pay_body(&d), &own2).await.assert_error(400, "CBC.99000056");
    // Issue 17: the customer paying itself is refused without its partner's quota figures.
    assert!(msg.contains("more than your partner's consumption quota allows") && msg.contains("R-QUOTA-07"), "{msg}");
    assert!(!msg.contains("30.00") && !msg.contains("8.40"), "no partner figures for the customer: {msg}");
    assert_eq!(used(&w, &second).await, "10.8");
    // Pay-per-use is never refused (R-RCM-07); beyond the quota it restricts the partner
    // (R-QUOTA-06), and then no customer of it can buy (R-QUOTA-09).
    let ops = w.ops.clone();
    let usage = json!({"records": [{"id": "u-1", "customer_id": second, "resource_id": "vm-x", "cloud_service_type": "hws.service.type.ec2",
        "resource_type": "hws.resource.type.vm", "resource_spec": VM, "region": "ap-southeast-1", "usage_factor": "Duration",
        "usage_value": 800, "usage_measure_id": 4, "ended_at": "2026-03-01T07:00:00Z"}]});
    let r = call(&w.app, "POST", "/api/v1/operator/usage-records", usage, &ops).await;
    assert_eq!(r.json()["restricted"], 1, "{}", r.body);
    let r = call(&w.app, "POST", "/api/v1/orders", vm_with_disk(1), &s2).await;
    let msg = r.assert_error(403, "CBC.99000055");
    assert!(msg.contains("R-QUOTA-09"), "{msg}");
    w.app.signed("POST", pay, &pay_body(&d), &own2).await.assert_error(403, "CBC.99000055");
    // Cancelling stays possible, once.
    let cancel = json!({"order_id": d}).to_string();
    assert_eq!(w.app.signed("PUT", "/v2/orders/customer-orders/cancel", &cancel, &own2).await.status, 200);
    // A second later, or it would be the first request's replay (issue 18); then back.
    w.app.clock.advance(Millis(1000));
    w.app.signed("PUT", "/v2/orders/customer-orders/cancel", &cancel, &own2).await.assert_error(409, "CBC.99000053");
    w.app.clock.advance(Millis(-1000));
    let listed = w.app.signed("GET", "/v2/orders/customer-orders?status=4", "", &own2).await.json();
    assert_eq!(listed["total_count"], 1);
}

async fn r_rcm_09_frozen_customers_cannot_buy_and_foreign_orders_stay_hidden(db: TestStore) {
    let w = world(db, "1000").await;
    let (customer, session, own) = new_customer(&w, "buyer201").await;
    // Frozen on reseller association (R-ASSOC-23): no purchase until unfrozen.
    let msg = call(&w.app, "POST", "/api/v1/orders", vm_with_disk(1), &session).await.assert_error(403, "CBC.99000055");
    assert!(msg.contains("R-RCM-09"), "{msg}");
    budget(&w, &customer, "100", false).await;
    let mut bad = vm_with_disk(4);
    let msg = call(&w.app, "POST", "/api/v1/orders", bad.clone(), &session).await.assert_error(400, "CBC.0100");
    assert!(msg.contains("items[0]"), "{msg}");
    bad["items"][0]["children"][0]["resource_spec"] = json!("NOPE");
    bad["items"][0]["period_num"] = json!(1);
    let msg = call(&w.app, "POST", "/api/v1/orders", bad, &session).await.assert_error(400, "CBC.0100");
    assert!(msg.contains("items[0].children[0]"), "{msg}");
    let order = call(&w.app, "POST", "/api/v1/orders", vm_with_disk(1), &session).await.json()["order_id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Coupons and discounts: none exist for the order, and the flags are checked.
    let discounts =
        w.app.signed("GET", &format!("/v2/orders/customer-orders/order-discounts?order_id={order}"), "", &own).await;
    assert_eq!(discounts.json()["discounts"], json!([]));
    let with_coupon = json!({"order_id": order, "use_coupon": "YES", "use_discount": "NO",
        "coupon_infos": [{"id": "CP1", "type": 301}]})
    .to_string();
    w.app.signed("POST", "/v3/orders/customer-orders/pay", &with_coupon, &own).await.assert_error(400, "CBC.0100");
    let no_flag = json!({"order_id": order, "use_discount": "NO"}).to_string();
    w.app.signed("POST", "/v3/orders/customer-orders/pay", &no_flag, &own).await.assert_error(400, "CBC.0100");

    // Another partner, and another customer, see nothing of it.
    let rival = w.app.partner("Rival Ltd", Program::CloudSolutionProvider, None).await;
    let rival = TestApp::credentials(&rival);
    let details = format!("/v2/orders/customer-orders/details/{order}");
    w.app.signed("GET", &details, "", &rival).await.assert_error(404, "CBC.99000054");
    let (_, _, stranger) = new_customer(&w, "buyer202").await;
    w.app.signed("GET", &details, "", &stranger).await.assert_error(404, "CBC.99000054");
    let cancel = json!({"order_id": order}).to_string();
    w.app
        .signed("PUT", "/v2/orders/customer-orders/cancel", &cancel, &stranger)
        .await
        .assert_error(404, "CBC.99000054");
    let listed = w.app.signed("GET", &format!("/v2/orders/customer-orders?customer_id={customer}"), "", &rival).await;
    listed.assert_error(400, "CBC.99000035");
    // Its own partner lists it without naming the customer.
    let mine = w.app.signed("GET", "/v2/orders/customer-orders", "", &w.partner).await.json();
    assert_eq!(
        (mine["total_count"].as_i64(), mine["order_infos"][0]["order_id"].as_str()),
        (Some(1), Some(order.as_str()))
    );
    // A partner places an order on the customer's behalf only with the authorization letter
    // (R-RCM-14), as the partner (source 2).
    let partner = w.app.ctx.store.partner(&w.partner_id).await.unwrap().unwrap();
    let caller =
        Principal::Partner(std::sync::Arc::new(Caller::acting(&w.app.ctx, partner, None, None).await.unwrap()));
    let item = Item {
        product: Product {
            service_type: "hws.service.type.ec2".into(),
            resource_type: "hws.resource.type.vm".into(),
            spec: VM.into(),
            region: "ap-southeast-1".into(),
            size: None,
        },
        period: Some(PeriodType::Month),
        period_num: 1,
        quantity: 2,
        children: vec![],
    };
    let refused = orders::place(&w.app.ctx, &caller, Some(&customer), std::slice::from_ref(&item)).await;
    assert!(matches!(refused, Err(OrderOpError::NotAuthorized(_))), "{refused:?}");
    call(&w.app, "PUT", "/api/v1/me/partner-authorization", json!({"authorized": true}), &session).await;
    let placed = orders::place(&w.app.ctx, &caller, Some(&customer), &[item]).await.unwrap();
    assert_eq!((placed.source(), placed.lines().len()), (OrderSource::Partner, 2));
    assert_eq!(placed.official().unwrap(), Money::parse("13.6").unwrap());

    // The customer's ACCOUNT_AND_RESOURCE freeze stops its resources and blocks payment.
    assert_eq!(w.app.signed("POST", "/v3/orders/customer-orders/pay", &pay_body(&order), &w.partner).await.status, 200);
    let freeze =
        json!({"customer_ids": [customer], "reason": "unpaid", "freeze_type": "ACCOUNT_AND_RESOURCE"}).to_string();
    assert_eq!(w.app.signed("POST", "/v2/partners/sub-customers/freeze", &freeze, &w.partner).await.status, 200);
    let q = json!({"customer_id": customer, "status_list": [4]}).to_string();
    let frozen = w.app.signed("POST", "/v2/orders/suscriptions/resources/query", &q, &w.partner).await.json();
    assert_eq!(frozen["total_count"], 2, "{frozen}");
    let again = call(&w.app, "POST", "/api/v1/orders", vm_with_disk(1), &session).await;
    again.assert_error(403, "CBC.99000055");
}

async fn resources_change_their_expiry_policy_and_usage_lists_pay_per_use_resources(db: TestStore) {
    let w = world(db, "1000").await;
    let (customer, _, own, vm) = bought_vm(&w, "buyer301").await;
    let disk_query = json!({"customer_id": customer, "resource_ids": [vm]}).to_string();

    // Automatic renewal, with the disk; then change to pay-per-use is refused until it is off.
    let auto = format!("/v2/orders/subscriptions/resources/autorenew/{vm}");
    let r = w.app.signed("POST", &auto, r#"{"auto_renew_times": 3, "period_type": "MONTH"}"#, &own).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let both = w.app.signed("POST", "/v2/orders/suscriptions/resources/query", &disk_query, &own).await.json();
    assert!(both["data"].as_array().unwrap().iter().all(|r| r["expire_policy"] == 3), "{both}");
    let to_od = json!({"operation": "SET_UP", "resource_ids": [vm]}).to_string();
    let r = w.app.signed("POST", "/v2/orders/subscriptions/resources/to-on-demand", &to_od, &own).await.json();
    assert_eq!(r["error_details"][0]["id"], vm.as_str(), "{r}");
    assert_eq!(w.app.signed("DELETE", &auto, "", &own).await.status, 200);
    // A second later, or it would be the first request's replay (issue 18); then back.
    w.app.clock.advance(Millis(1000));
    w.app.signed("DELETE", &auto, "", &own).await.assert_error(409, "CBC.99000053");
    w.app.clock.advance(Millis(-1000));
    let r = w.app.signed("POST", "/v2/orders/subscriptions/resources/to-on-demand", &to_od, &own).await.json();
    assert_eq!(r["error_details"], json!([]), "{r}");
    let res = w.app.signed("POST", "/v2/orders/suscriptions/resources/query", &disk_query, &own).await.json();
    assert!(res["data"].as_array().unwrap().iter().all(|r| r["expire_policy"] == 1), "{res}");
    let bad = w.app.signed("POST", &auto, r#"{"auto_renew_times": 100}"#, &own).await;
    bad.assert_error(400, "CBC.0100");

    // Renewal settings: checked ranges.
    let config = "/v2/orders/subscriptions/resources/renew/config";
    assert_eq!(
        w.app.signed("POST", config, r#"{"config_name": "DEDUCTION_DATE", "config_value": "3"}"#, &own).await.status,
        200
    );
    w.app
        .signed("POST", config, r#"{"config_name": "EXPIRE_DATE", "config_value": "29"}"#, &own)
        .await
        .assert_error(400, "CBC.0100");
    // Renewal is refused for a child (its main resource renews it) and for periods out of range.
    let disk =
        both["data"].as_array().unwrap().iter().find(|r| r["is_main_resource"] == 0).unwrap()["resource_id"].clone();
    let r = w
        .app
        .signed(
            "POST",
            "/v2/orders/subscriptions/resources/renew",
            &json!({"resource_ids": [disk], "period_type": 2, "period_num": 1}).to_string(),
            &own,
        )
        .await
        .json();
    assert_eq!(r["fail_resource_infos"][0]["error_code"], "CBC.99000053", "{r}");
    let r = w
        .app
        .signed(
            "POST",
            "/v2/orders/subscriptions/resources/renew",
            &json!({"resource_ids": [vm], "period_type": 2, "period_num": 12}).to_string(),
            &own,
        )
        .await;
    r.assert_error(400, "CBC.0100");

    // Pay-per-use resources come from usage.
    let ops = w.ops.clone();
    let usage = json!({"records": [{"id": "u-1", "customer_id": customer, "resource_id": "vm-od", "cloud_service_type": "hws.service.type.ec2",
        "resource_type": "hws.resource.type.vm", "resource_spec": VM, "region": "ap-southeast-1", "usage_factor": "Duration",
        "usage_value": 2, "usage_measure_id": 4, "ended_at": "2026-03-01T07:00:00Z"}]});
    assert_eq!(call(&w.app, "POST", "/api/v1/operator/usage-records", usage, &ops).await.status, 200);
    let body = json!({"customer_id": customer}).to_string();
    let od =
        w.app.signed("POST", "/v2/partners/sub-customers/on-demand-resources/query", &body, &w.partner).await.json();
    assert_eq!(
        (od["total_count"].as_i64(), od["resources"][0]["resource_id"].as_str()),
        (Some(1), Some("vm-od")),
        "{od}"
    );
    assert_eq!(od["resources"][0]["status"], 1);
    let r = w.app.signed("POST", "/v2/partners/sub-customers/on-demand-resources/query", "{}", &w.partner).await;
    r.assert_error(400, "CBC.0100");
}

async fn resources_renew_automatically_before_expiry_and_turn_pay_per_use_at_it(db: TestStore) {
    let w = world(db, "1000").await;
    let (customer, session, own) = new_customer(&w, "buyer401").await;
    budget(&w, &customer, "100", false).await;
    let mut ids = vec![];
    for _ in 0..2 {
        let order = call(&w.app, "POST", "/api/v1/orders", vm_with_disk(1), &session).await.json()["order_id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(w.app.signed("POST", "/v3/orders/customer-orders/pay", &pay_body(&order), &own).await.status, 200);
        let q = json!({"customer_id": customer, "order_id": order, "only_main_resource": 1}).to_string();
        let res = w.app.signed("POST", "/v2/orders/suscriptions/resources/query", &q, &own).await.json();
        ids.push(res["data"][0]["resource_id"].as_str().unwrap().to_owned());
    }
    // The first renews itself once, three days before expiry; the second turns pay-per-use.
    let auto = format!("/v2/orders/subscriptions/resources/autorenew/{}", ids[0]);
    assert_eq!(w.app.signed("POST", &auto, r#"{"auto_renew_times": 1}"#, &own).await.status, 200);
    let config = r#"{"config_name": "DEDUCTION_DATE", "config_value": "3"}"#;
    assert_eq!(w.app.signed("POST", "/v2/orders/subscriptions/resources/renew/config", config, &own).await.status, 200);
    let to_od = json!({"operation": "SET_UP", "resource_ids": [ids[1]]}).to_string();
    w.app.signed("POST", "/v2/orders/subscriptions/resources/to-on-demand", &to_od, &own).await;

    // Expiry is 2026-04-01T08:00Z. Four days before: nothing yet.
    w.app.clock.set(opc_domain::Timestamp::parse_rfc3339("2026-03-28T08:00:00Z").unwrap());
    let r = orders::process_expiries(&w.app.ctx).await.unwrap();
    assert_eq!((r.renewed, r.to_on_demand), (0, 0));
    w.app.clock.set(opc_domain::Timestamp::parse_rfc3339("2026-03-29T08:00:00Z").unwrap());
    let r = orders::process_expiries(&w.app.ctx).await.unwrap();
    assert_eq!((r.renewed, r.to_on_demand, r.refused), (1, 0, 0));
    assert_eq!(used(&w, &customer).await, "32.4", "two purchases and one renewal at list price");
    let q = json!({"customer_id": customer, "resource_ids": [ids[0]]}).to_string();
    let res = w.app.signed("POST", "/v2/orders/suscriptions/resources/query", &q, &own).await.json();
    assert!(
        res["data"].as_array().unwrap().iter().all(|r| r["expire_time"] == "2026-05-01T08:00:00Z"),
        "with its disk: {res}"
    );
    assert_eq!(res["data"][0]["expire_policy"], 0, "its one automatic renewal is used");
    let renewal = w.app.signed("GET", "/v2/orders/customer-orders?order_type=2", "", &own).await.json();
    assert_eq!(
        (renewal["total_count"].as_i64(), renewal["order_infos"][0]["source_type"].as_i64()),
        (Some(1), Some(8))
    );
    assert_eq!(orders::process_expiries(&w.app.ctx).await.unwrap().renewed, 0, "once");

    // At expiry the second becomes pay-per-use: the yearly/monthly resource ends.
    w.app.clock.set(opc_domain::Timestamp::parse_rfc3339("2026-04-01T08:00:00Z").unwrap());
    assert_eq!(orders::process_expiries(&w.app.ctx).await.unwrap().to_on_demand, 1);
    let q = json!({"customer_id": customer, "resource_ids": [ids[1]]}).to_string();
    let res = w.app.signed("POST", "/v2/orders/suscriptions/resources/query", &q, &own).await.json();
    assert!(res["data"].as_array().unwrap().iter().all(|r| r["status"] == 3), "{res}");
}

async fn r_dist_a_distributor_reads_its_resellers_customers_orders_by_naming_the_reseller(db: TestStore) {
    let mut w = world(db, "1000").await;
    let distributor = w.app.partner("Distri Ltd", Program::DistributionPartner, None).await;
    let reseller = w.app.partner("Resell Ltd", Program::Reseller, Some(distributor.partner.id())).await;
    // The reseller's customer orders for itself.
    w.partner = TestApp::credentials(&reseller);
    w.partner_id = reseller.partner.id().clone();
    let (customer, session, _) = new_customer(&w, "buyer501").await;
    budget(&w, &customer, "100", false).await;
    let order = call(&w.app, "POST", "/api/v1/orders", vm_with_disk(1), &session).await.json()["order_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let distri = TestApp::credentials(&distributor);
    let details = format!("/v2/orders/customer-orders/details/{order}");
    w.app.signed("GET", &details, "", &distri).await.assert_error(404, "CBC.99000054");
    let named = format!("{details}?indirect_partner_id={}", reseller.partner.id());
    let r = w.app.signed("GET", &named, "", &distri).await;
    assert_eq!(
        (r.status.as_u16(), r.json()["order_info"]["order_id"].as_str()),
        (200, Some(order.as_str())),
        "{}",
        r.body
    );
    let listed = format!("/v2/orders/customer-orders?indirect_partner_id={}", reseller.partner.id());
    assert_eq!(w.app.signed("GET", &listed, "", &distri).await.json()["total_count"], 1);
    // Another distributor naming the reseller gets nothing.
    let rival = w.app.partner("Rival Distri", Program::DistributionPartner, None).await;
    w.app.signed("GET", &named, "", &TestApp::credentials(&rival)).await.assert_error(404, "CBC.99000054");
}

async fn a_package_budget_counts_the_spend_after_it_is_set_and_a_monthly_one_the_months(db: TestStore) {
    let w = world(db, "1000").await;
    let (customer, session, own) = new_customer(&w, "buyer601").await;
    budget(&w, &customer, "100", false).await;
    let buy = || async {
        let order = call(&w.app, "POST", "/api/v1/orders", vm_with_disk(1), &session).await.json()["order_id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(w.app.signed("POST", "/v3/orders/customer-orders/pay", &pay_body(&order), &own).await.status, 200);
    };
    buy().await;
    assert_eq!(used(&w, &customer).await, "10.8", "the month's spend");
    // A one-time budget set now counts only what is spent from now on (it never restores).
    let package = json!({"customer_id": customer, "budget_amount": 50, "budget_type": "PACKAGE"}).to_string();
    assert_eq!(w.app.signed("POST", "/v2/partners/sub-customers/budget", &package, &w.partner).await.status, 200);
    assert_eq!(used(&w, &customer).await, "0");
    buy().await;
    assert_eq!(used(&w, &customer).await, "10.8");
    // Next month a monthly budget starts from nothing; the package one keeps counting.
    w.app.clock.set(opc_domain::Timestamp::parse_rfc3339("2026-04-05T00:00:00Z").unwrap());
    assert_eq!(used(&w, &customer).await, "10.8", "a package budget does not restore");
    let monthly = json!({"customer_id": customer, "budget_amount": 50, "budget_type": "MONTHLY"}).to_string();
    assert_eq!(w.app.signed("POST", "/v2/partners/sub-customers/budget", &monthly, &w.partner).await.status, 200);
    assert_eq!(used(&w, &customer).await, "0", "R-RCM-06: the new month restores");
}

async fn a_refused_automatic_renewal_is_tried_once_a_day_then_turned_off_at_expiry(db: TestStore) {
    let w = world(db, "1000").await;
    let (customer, session, own) = new_customer(&w, "buyer701").await;
    budget(&w, &customer, "100", false).await;
    let order = call(&w.app, "POST", "/api/v1/orders", vm_with_disk(1), &session).await.json()["order_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(w.app.signed("POST", "/v3/orders/customer-orders/pay", &pay_body(&order), &own).await.status, 200);
    let q = json!({"customer_id": customer, "only_main_resource": 1}).to_string();
    let vm = w.app.signed("POST", "/v2/orders/suscriptions/resources/query", &q, &own).await.json()["data"][0]
        ["resource_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let auto = format!("/v2/orders/subscriptions/resources/autorenew/{vm}");
    assert_eq!(w.app.signed("POST", &auto, "{}", &own).await.status, 200);
    // The partner freezes the customer: it cannot renew (R-RCM-09).
    let freeze = json!({"customer_ids": [customer], "reason": "unpaid"}).to_string();
    assert_eq!(w.app.signed("POST", "/v2/partners/sub-customers/freeze", &freeze, &w.partner).await.status, 200);
    let at = |t: &str| w.app.clock.set(opc_domain::Timestamp::parse_rfc3339(t).unwrap());
    at("2026-03-25T08:00:00Z"); // 7 days before expiry
    assert_eq!(orders::process_expiries(&w.app.ctx).await.unwrap().refused, 1);
    at("2026-03-25T20:00:00Z");
    assert_eq!(orders::process_expiries(&w.app.ctx).await.unwrap().refused, 0, "not again the same day");
    at("2026-03-26T08:00:00Z");
    assert_eq!(orders::process_expiries(&w.app.ctx).await.unwrap().refused, 1, "a day later");
    // At expiry, the last try: refused, the automatic renewal is turned off.
    at("2026-04-01T08:00:00Z");
    assert_eq!(orders::process_expiries(&w.app.ctx).await.unwrap().refused, 1);
    let q = json!({"customer_id": customer, "resource_ids": [vm]}).to_string();
    let res = w.app.signed("POST", "/v2/orders/suscriptions/resources/query", &q, &own).await.json();
    assert!(res["data"].as_array().unwrap().iter().all(|r| r["expire_policy"] == 0), "{res}");
    assert_eq!(orders::process_expiries(&w.app.ctx).await.unwrap(), orders::ExpiryReport::default());
}

async fn a_unified_expiry_day_moves_renewals_to_it_at_their_price_per_millisecond(db: TestStore) {
    let w = world(db, "1000").await;
    let (customer, _, own, vm) = bought_vm(&w, "buyer601").await;

    // B1.7.9 EXPIRE_DATE 15: a month's renewal from April 1 (16:00 in the billing zone) ends on
    // May 15, 14 days of a 30-day month later: 6.80 + 3.17333333 and 4.00 + 1.86666666.
    let config = r#"{"config_name": "EXPIRE_DATE", "config_value": "15"}"#;
    assert_eq!(w.app.signed("POST", "/v2/orders/subscriptions/resources/renew/config", config, &own).await.status, 200);
    let ids = json!({"resource_ids": [vm], "period_type": 2, "period_num": 1, "include_relative_resources": true});
    let rate =
        w.app.signed("POST", "/v2/bills/ratings/period-resources/renew-rate", &ids.to_string(), &own).await.json();
    assert_eq!(rate["renew_inquiry_results"][0]["amount"], "15.83999999", "{rate}");
    let mut renew = ids.clone();
    renew["is_auto_pay"] = json!(1);
    let r = w.app.signed("POST", "/v2/orders/subscriptions/resources/renew", &renew.to_string(), &own).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(used(&w, &customer).await, "26.63999999", "the purchase and the renewal at list price");
    let q = json!({"customer_id": customer}).to_string();
    let res = w.app.signed("POST", "/v2/orders/suscriptions/resources/query", &q, &own).await.json();
    assert!(res["data"].as_array().unwrap().iter().all(|r| r["expire_time"] == "2026-05-15T08:00:00Z"), "{res}");
    // Already on the 15th: the next month's renewal is a plain month.
    let r = w.app.signed("POST", "/v2/bills/ratings/period-resources/renew-rate", &ids.to_string(), &own).await.json();
    assert_eq!(r["renew_inquiry_results"][0]["amount"], "10.8", "{r}");
}

async fn b2_7_1_a_resource_turns_pay_per_use_at_once_its_unused_time_refunded(db: TestStore) {
    let w = world(db, "1000").await;
    let (customer, _, own, vm) = bought_vm(&w, "instant").await;
    const NOW: &str = "/v2/orders/subscriptions/resources/to-on-demand/instantly";
    // Ten days in, the VM becomes pay-per-use: the month's unused 21 of 31 days come back, as
    // an unsubscription's would, and the resource closes as yearly/monthly.
    w.app.clock.advance(Millis::days(10));
    let body = json!({"resource_ids": [vm, "no-such-resource"]}).to_string();
    let r = w.app.signed("POST", NOW, &body, &own).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let results = r.json()["to_ondemand_service_results"].clone();
    assert_eq!(
        (results[0]["resource_id"].as_str(), results[0]["result"].as_str()),
        (Some(vm.as_str()), Some("SUCCESS"))
    );
    let order = results[0]["order_id"].as_str().unwrap().to_owned();
    assert_eq!(
        (results[1]["result"].as_str(), results[1]["error_code"].as_str()),
        (Some("FAIL"), Some("CBC.99000054"))
    );
    let url = format!("/v2/orders/customer-orders/refund-orders?order_id={order}&customer_id={customer}");
    let refunds = w.app.signed("GET", &url, "", &w.partner).await.json();
    let amounts: Vec<String> =
        refunds["refund_infos"].as_array().unwrap().iter().map(|r| r["amount"].to_string()).collect();
    assert_eq!(amounts, ["-4.60645161", "2.19354839", "-2.70967741", "1.29032259"], "{refunds}");
    let expected = Money::parse("10.8").unwrap().e8() - (460_645_161 + 270_967_741);
    assert_eq!(used(&w, &customer).await, Money::from_e8(expected).unwrap().to_plain_string());
    let q = json!({"customer_id": customer, "only_main_resource": 1}).to_string();
    let res = w.app.signed("POST", "/v2/orders/suscriptions/resources/query", &q, &own).await.json();
    assert_eq!(res["data"][0]["status"], 3, "closed as yearly/monthly: {res}");
    // Refused whole: none, more than 10, an empty id.
    for bad in [json!({"resource_ids": []}), json!({"resource_ids": vec!["r"; 11]}), json!({"resource_ids": [""]})] {
        w.app.signed("POST", NOW, &bad.to_string(), &own).await.assert_error(400, "CBC.0100");
    }
    // Once closed it cannot change again (a second later, or it would be the replay).
    w.app.clock.advance(Millis(1000));
    let again = w.app.signed("POST", NOW, &json!({"resource_ids": [vm]}).to_string(), &own).await.json();
    assert_eq!(again["to_ondemand_service_results"][0]["result"], "FAIL", "{again}");
}

async fn r_dist_03_a_restricted_distributors_resellers_customers_cannot_buy(db: TestStore) {
    let w = world(db, "1000").await;
    let d = w.app.partner("Dist Three", Program::DistributionPartner, None).await;
    let r = w.app.partner("Resale Three", Program::Reseller, Some(d.partner.id())).await;
    let c = opc_testkit::shop::customer(&w.app, r.partner.id(), "buyer301", AssociationModel::Referral).await;
    let r1 = call(&w.app, "POST", "/api/v1/orders", vm_with_disk(1), &c.session).await;
    assert_eq!(r1.status, 201, "{}", r1.body);

    // The distributor's quota is exceeded: it is restricted, its reseller is not.
    let mut distributor = w.app.ctx.store.partner(d.partner.id()).await.unwrap().unwrap();
    distributor.restrict().unwrap();
    w.app.ctx.store.update_partner(&distributor, &[]).await.unwrap();
    let msg =
        call(&w.app, "POST", "/api/v1/orders", vm_with_disk(1), &c.session).await.assert_error(403, "CBC.99000055");
    assert!(msg.contains("R-DIST-03"), "{msg}");

    // Lifted with the distributor's restriction.
    let mut distributor = w.app.ctx.store.partner(d.partner.id()).await.unwrap().unwrap();
    admin::change_partner(
        &w.app.ctx,
        distributor.id().as_str(),
        PartnerChange::Quota(Money::from_major(1_000_000).unwrap()),
        "test",
    )
    .await
    .unwrap();
    distributor = w.app.ctx.store.partner(distributor.id()).await.unwrap().unwrap();
    assert_eq!(distributor.state(), opc_domain::partner::PartnerState::Normal);
    let r2 = call(&w.app, "POST", "/api/v1/orders", vm_with_disk(1), &c.session).await;
    assert_eq!(r2.status, 201, "{}", r2.body);
}
