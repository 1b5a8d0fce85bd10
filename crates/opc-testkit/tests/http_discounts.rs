//! Partner discounts (issue 15; R-CPN-25 … R-CPN-33, R-RCM-13, A-09; BSS B1.6.3, B1.6.4,
//! B2.9.1, B2.9.2) through the real router on both backends: the operator lists a service type
//! and authorizes a partner a scope on it, the partner sets discounts for its referral
//! customers, a referral customer's order lists them and is paid with one at the exact amount
//! due; reseller customers, excluded products, other partners and settled orders get none.

use opc_core::ops::auth::Caller;
use opc_core::ops::bills;
use opc_core::ops::discounts::{self, Target};
use opc_core::store::DiscountQuery;
use opc_core::Clock;
use opc_domain::association::AssociationModel;
use opc_domain::bill::Payer;
use opc_domain::usage::Cycle;
use opc_domain::{Millis, Money, OrderId, PartnerId};
use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::console::{call, flash, sign_in};
use opc_testkit::shop::{customer, partner, place, world, Customer, Partner, EBS, EC2};
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

on_both_backends!(
    r_cpn_25_r_cpn_33_a_referral_customer_pays_an_order_with_its_partners_discount,
    r_cpn_27_r_cpn_29_discounts_stay_within_tenancy_scope_model_and_the_list,
    b2_9_policies_and_scopes_are_read_over_bss,
    r_cpn_33_the_console_sets_shows_and_pays_with_discounts,
    concurrent_settings_of_one_target_leave_one_scope_and_one_discount,
    r_org_19_an_account_manager_sets_discounts_for_its_own_customers_only,
    r_cpn_33_a_renewal_paid_automatically_takes_the_customers_best_general_discount,
    a_discount_removed_before_the_payments_transaction_refuses_it_whole,
);

const DISCOUNTS: &str = "/v2/orders/customer-orders/order-discounts";
const PAY: &str = "/v3/orders/customer-orders/pay";
const POLICIES: &str = "/v2/products/incentive-discount-policies";
const BUSINESS: &str = "/v2/promotions/business/discount-info";

fn ok(r: TestResponse) -> Value {
    assert!(r.status == 200 || r.status == 201, "{} {}", r.status, r.body);
    r.json()
}

async fn list_policy(app: &TestApp, ops: &str, service_type: &str, body: Value) {
    ok(call(app, "PUT", &format!("/api/v1/operator/discount-policies/{service_type}"), body, ops).await);
}

async fn authorize(app: &TestApp, ops: &str, p: &PartnerId, service_type: &str, max: &str) -> TestResponse {
    let path = format!("/api/v1/operator/partners/{p}/discount-scopes/{service_type}");
    call(app, "PUT", &path, json!({"max_discount": max}), ops).await
}

async fn set(app: &TestApp, p: &Partner, body: Value) -> TestResponse {
    call(app, "POST", "/api/v1/partner/discounts", body, &p.session).await
}

fn pay(order: &str, discount: Option<(&str, i64)>) -> String {
    match discount {
        None => json!({"order_id": order, "use_coupon": "NO", "use_discount": "NO"}),
        Some((id, kind)) => json!({"order_id": order, "use_coupon": "NO", "use_discount": "YES",
            "discount_infos": [{"id": id, "type": kind}]}),
    }
    .to_string()
}

async fn offered(app: &TestApp, c: &Customer, order: &str) -> Value {
    ok(app.signed("GET", &format!("{DISCOUNTS}?order_id={order}"), "", &c.creds).await)["discounts"].clone()
}

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

async fn r_cpn_25_r_cpn_33_a_referral_customer_pays_an_order_with_its_partners_discount(db: TestStore) {
    let (app, ops) = world(db).await;
    let p = partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    let c1 = customer(&app, &p.id, "referral01", AssociationModel::Referral).await;
    let c2 = customer(&app, &p.id, "referral02", AssociationModel::Referral).await;

    // EC2 is on the list of products partner discounts apply to; EBS is not.
    list_policy(&app, &ops, EC2, json!({"allow_discount": true})).await;
    let mine = json!({"service_type": EC2, "discount": "0.15", "customer_id": c1.id.as_str()});
    // No scope yet (R-CPN-25).
    set(&app, &p, mine.clone()).await.assert_error(400, "CBC.99000056");
    let scope = ok(authorize(&app, &ops, &p.id, EC2, "0.2").await);
    assert_eq!((scope["max_discount"].as_str(), scope["max_discount_text"].as_str()), (Some("0.2"), Some("20%")));
    let beyond = json!({"service_type": EC2, "discount": "0.25", "customer_id": c1.id.as_str()});
    let msg = set(&app, &p, beyond).await.assert_error(400, "CBC.99000056");
    assert!(msg.contains("20%"), "{msg}");
    set(&app, &p, json!({"service_type": EBS, "discount": "0.1"})).await.assert_error(400, "CBC.99000056");
    for bad in [
        json!({"service_type": EC2, "discount": "0"}),
        json!({"service_type": EC2, "discount": "1.5"}),
        json!({"discount": "0.1"}),
    ] {
        set(&app, &p, bad).await.assert_error(400, "CBC.0100");
    }
    let general = ok(set(&app, &p, mine).await);
    assert_eq!((general["kind"].as_str(), general["discount_text"].as_str()), (Some("general"), Some("15%")));
    let for_all = ok(set(&app, &p, json!({"service_type": EC2, "discount": "0.05"})).await);
    let general_id = general["discount_id"].as_str().unwrap().to_owned();

    // c1 orders a VM (EC2, 6.80) with its disk (EBS, 4.00): its own discount beats the one for
    // all; only the VM's line takes it (R-CPN-26): 6.80 × 15 % = 1.02, paid at 0.85.
    let order = place(&app, &c1).await;
    let list = offered(&app, &c1, &order).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["discount_id"], general_id.as_str());
    assert_eq!((list[0]["discount_type"].clone(), list[0]["discount_value"].clone()), (json!(3), json!("0.85")));
    let item = &list[0]["orders"][0]["order_line_items"][0];
    assert_eq!(list[0]["orders"][0]["order_id"], order.as_str());
    assert_eq!(list[0]["orders"][0]["order_line_items"].as_array().unwrap().len(), 1);
    assert_eq!(item["order_line_item_ids"], json!([format!("{order}-1")]));
    assert_eq!((item["discount_mode"].clone(), item["discount_amount"].clone()), (json!(0), json!(1.02)));
    assert_eq!(item["discount_ratio"].to_string(), "0.85");
    // c2 gets the one for all on its own order, never c1's.
    let order2 = place(&app, &c2).await;
    let theirs = offered(&app, &c2, &order2).await;
    assert_eq!(theirs[0]["discount_id"], for_all["discount_id"]);
    app.signed("GET", &format!("{DISCOUNTS}?order_id={order}"), "", &c2.creds).await.assert_error(404, "CBC.99000054");

    // The partner adjusts the price of c1's order (type 609): it comes first and must be used.
    let special = ok(set(&app, &p, json!({"service_type": EC2, "discount": "0.2", "order_id": order})).await);
    assert_eq!((special["kind"].as_str(), special["order_id"].as_str()), (Some("special"), Some(order.as_str())));
    let special_id = special["discount_id"].as_str().unwrap().to_owned();
    let list = offered(&app, &c1, &order).await;
    let kinds: Vec<Value> = list.as_array().unwrap().iter().map(|d| d["discount_type"].clone()).collect();
    assert_eq!(kinds, [json!(609), json!(3)]);
    for refused in [
        pay(&order, None),
        pay(&order, Some((&general_id, 3))),
        pay(&order, Some((&special_id, 3))),
        pay(&order, Some(("nope", 609))),
        pay(&order, Some((&special_id, 0))),
    ] {
        let msg = app.signed("POST", PAY, &refused, &c1.creds).await.assert_error(400, "CBC.0100");
        assert!(msg.contains("discount_infos"), "{msg}");
    }
    let two = json!({"order_id": order, "use_coupon": "NO", "use_discount": "YES",
        "discount_infos": [{"id": special_id, "type": 609}, {"id": general_id, "type": 3}]});
    app.signed("POST", PAY, &two.to_string(), &c1.creds).await.assert_error(400, "CBC.0100");
    let r = app.signed("POST", PAY, &pay(&order, Some((&special_id, 609))), &c1.creds).await;
    assert_eq!(r.status, 200, "{}", r.body);

    // Paid at 6.80 − 1.36 = 5.44 for the VM and 4.00 for the disk: the charge and every record
    // read from it carry the amount due, exactly; the discount per line is kept.
    assert_eq!(offered(&app, &c1, &order).await, json!([]), "a paid order is offered nothing");
    let order_id = OrderId::parse(&order).unwrap();
    let applied = app.ctx.store.applied_discount(&order_id).await.unwrap().unwrap();
    assert_eq!((applied.discount_id.as_str(), applied.special), (special_id.as_str(), true));
    let line = &applied.lines[0];
    assert_eq!((line.list, line.discount, line.due), (money("6.8"), money("1.36"), money("5.44")));
    let cycle = Cycle::of(app.clock.now(), app.ctx.policy.billing_offset);
    let costs = app.ctx.store.order_costs(&c1.id, cycle).await.unwrap();
    let amounts: Vec<Money> = costs.iter().map(|c| c.amount).collect();
    assert_eq!(amounts, [money("5.44"), money("4")]);
    let details = ok(app.signed("GET", &format!("/v2/orders/customer-orders/details/{order}"), "", &c1.creds).await);
    assert_eq!(details["order_info"]["status"], 5);
    assert_eq!(details["order_info"]["official_amount"].to_string(), "10.8");
    assert_eq!(details["order_info"]["amount_after_discount"].to_string(), "9.44");
    assert_eq!(
        details["order_info"]["amount_info"]["discounts"],
        json!([{"discount_type": "609", "discount_amount": 1.36}])
    );
    let vm = &details["order_line_items"][0];
    assert_eq!(
        (vm["official_amount"].to_string(), vm["amount_after_discount"].to_string()),
        ("6.8".into(), "5.44".into())
    );
    assert_eq!(details["order_line_items"][1]["amount_info"]["discounts"], json!([]), "the disk took none");
    let listed = ok(app.signed("GET", "/v2/orders/customer-orders", "", &c1.creds).await);
    assert_eq!(listed["order_infos"][0]["amount_after_discount"].to_string(), "9.44");

    // c2 pays with the discount for all: 6.80 × 5 % = 0.34.
    let r =
        app.signed("POST", PAY, &pay(&order2, Some((for_all["discount_id"].as_str().unwrap(), 3))), &c2.creds).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let costs = app.ctx.store.order_costs(&c2.id, cycle).await.unwrap();
    assert_eq!(costs[0].amount, money("6.46"));

    // R-CPN-33: the customer sees its commercial discounts; the partner lists what it set.
    let seen = ok(call(&app, "GET", "/api/v1/me/discounts", Value::Null, &c1.session).await);
    let ids: Vec<&str> =
        seen["discounts"].as_array().unwrap().iter().map(|d| d["discount_id"].as_str().unwrap()).collect();
    assert!(ids.contains(&general_id.as_str()) && ids.contains(&for_all["discount_id"].as_str().unwrap()), "{seen}");
    let all = ok(call(&app, "GET", "/api/v1/partner/discounts", Value::Null, &p.session).await);
    assert_eq!(all["discounts"].as_array().unwrap().len(), 3, "{all}");
    assert_eq!(all["scopes"][0]["service_type"], EC2);

    // The partner removes its discount for all: c2's next order is offered nothing.
    let removed = format!("/api/v1/partner/discounts/{}", for_all["discount_id"].as_str().unwrap());
    ok(call(&app, "DELETE", &removed, Value::Null, &p.session).await);
    call(&app, "DELETE", &removed, Value::Null, &p.session).await.assert_error(404, "CBC.99000054");
    let order3 = place(&app, &c2).await;
    assert_eq!(offered(&app, &c2, &order3).await, json!([]));
    let r =
        app.signed("POST", PAY, &pay(&order3, Some((for_all["discount_id"].as_str().unwrap(), 3))), &c2.creds).await;
    r.assert_error(400, "CBC.0100");

    // The month closes with the customers' bills at the amounts due, exactly (R-BILL-12).
    let month_end = opc_domain::bill::cycle_bounds(cycle, app.ctx.policy.billing_offset).unwrap().1;
    app.clock.set(month_end.plus(Millis(5 * 86_400_000)));
    bills::run(&app.ctx, cycle, "test", |_| ()).await.unwrap().unwrap();
    let c1_bill = &app.ctx.store.customer_bills(&c1.id, cycle).await.unwrap()[0];
    assert_eq!((c1_bill.payer.clone(), c1_bill.total), (Payer::Customer, money("9.44")), "5.44 + 4.00");
    let c2_bill = &app.ctx.store.customer_bills(&c2.id, cycle).await.unwrap()[0];
    assert_eq!((c2_bill.total, c2_bill.total_rounded), (money("10.46"), money("10.46")), "6.46 + 4.00");
}

async fn r_cpn_27_r_cpn_29_discounts_stay_within_tenancy_scope_model_and_the_list(db: TestStore) {
    let (app, ops) = world(db).await;
    let p = partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    let q = partner(&app, "boss@rival.example", "Rival Cloud Pte Ltd").await;
    list_policy(&app, &ops, EC2, json!({"allow_discount": true, "incentive_policy": "specific"})).await;
    ok(authorize(&app, &ops, &p.id, EC2, "0.3").await);
    ok(authorize(&app, &ops, &q.id, EC2, "0.3").await);
    let c = customer(&app, &p.id, "referral11", AssociationModel::Referral).await;
    let r = customer(&app, &p.id, "reseller11", AssociationModel::Reseller).await;
    let theirs = customer(&app, &q.id, "referral12", AssociationModel::Referral).await;

    // Only the operator authorizes and lists; partners and customers are refused.
    authorize(&app, &p.session, &p.id, EC2, "0.5").await.assert_error(403, "CBC.0151");
    call(
        &app,
        "PUT",
        &format!("/api/v1/operator/discount-policies/{EC2}"),
        json!({"allow_discount": true}),
        &c.session,
    )
    .await
    .assert_error(403, "CBC.0151");
    authorize(&app, &ops, &p.id, "hws.service.type.none", "0.1").await.assert_error(400, "CBC.0100");
    authorize(&app, &ops, &PartnerId::from_random([7; 16]), EC2, "0.1").await.assert_error(404, "CBC.99000054");
    authorize(&app, &ops, &p.id, EC2, "0.12345").await.assert_error(400, "CBC.0100");
    call(&app, "GET", "/api/v1/me/discounts", Value::Null, &p.session).await.assert_error(403, "CBC.0151");
    let bad_policy = json!({"allow_discount": true, "exclusion": "cheap"});
    call(&app, "PUT", &format!("/api/v1/operator/discount-policies/{EC2}"), bad_policy, &ops)
        .await
        .assert_error(400, "CBC.0100");

    // R-CPN-27, R-RCM-13: never a reseller customer; never another partner's customer.
    let to = |c: &Customer| json!({"service_type": EC2, "discount": "0.1", "customer_id": c.id.as_str()});
    set(&app, &p, to(&r)).await.assert_error(400, "CBC.99000052");
    set(&app, &p, to(&theirs)).await.assert_error(400, "CBC.99000035");
    set(&app, &p, json!({"service_type": EC2, "discount": "0.1", "customer_id": "nobody"}))
        .await
        .assert_error(400, "CBC.99000035");
    let all = ok(set(&app, &p, json!({"service_type": EC2, "discount": "0.1"})).await);
    let all_id = all["discount_id"].as_str().unwrap().to_owned();
    // A reseller customer's order is offered nothing, even by the discount for all customers.
    let budget = json!({"customer_id": r.id.as_str(), "budget_amount": 100, "cancel_partner_frozen": "1"}).to_string();
    assert_eq!(app.signed("POST", "/v2/partners/sub-customers/budget", &budget, &p.creds).await.status, 200);
    let resold = place(&app, &r).await;
    assert_eq!(offered(&app, &r, &resold).await, json!([]));
    app.signed("POST", PAY, &pay(&resold, Some((&all_id, 3))), &r.creds).await.assert_error(400, "CBC.0100");
    set(&app, &p, json!({"service_type": EC2, "discount": "0.1", "order_id": resold}))
        .await
        .assert_error(400, "CBC.99000052");
    // The partner lists its customers' orders by the reseller path only; a stranger's order is
    // not found, and another partner's customer's order is not its own.
    let foreign = place(&app, &theirs).await;
    set(&app, &p, json!({"service_type": EC2, "discount": "0.1", "order_id": foreign}))
        .await
        .assert_error(404, "CBC.99000054");
    set(&app, &p, json!({"service_type": EC2, "discount": "0.1", "order_id": "CS-NOPE"}))
        .await
        .assert_error(404, "CBC.99000054");
    assert_eq!(offered(&app, &theirs, &foreign).await, json!([]), "P's discount is not Q's customer's");
    // Another partner neither sees nor removes P's discounts.
    let seen = ok(call(&app, "GET", "/api/v1/partner/discounts", Value::Null, &q.session).await);
    assert_eq!(seen["discounts"], json!([]));
    call(&app, "DELETE", &format!("/api/v1/partner/discounts/{all_id}"), Value::Null, &q.session)
        .await
        .assert_error(404, "CBC.99000054");

    // Wrong order state: a cancelled order takes no price adjustment and offers nothing.
    let order = place(&app, &c).await;
    assert_eq!(offered(&app, &c, &order).await.as_array().unwrap().len(), 1);
    let cancel = json!({"order_id": order}).to_string();
    assert_eq!(app.signed("PUT", "/v2/orders/customer-orders/cancel", &cancel, &c.creds).await.status, 200);
    assert_eq!(offered(&app, &c, &order).await, json!([]));
    set(&app, &p, json!({"service_type": EC2, "discount": "0.1", "order_id": order}))
        .await
        .assert_error(409, "CBC.99000053");
    // An order without a line of the product type takes no price adjustment on it.
    list_policy(&app, &ops, EBS, json!({"allow_discount": true})).await;
    ok(authorize(&app, &ops, &p.id, EBS, "0.3").await);
    let order = place(&app, &c).await;
    let on_ebs = ok(set(&app, &p, json!({"service_type": EBS, "discount": "0.3", "order_id": order})).await);
    assert_eq!(on_ebs["kind"], "special");

    // A lowered scope makes a discount beyond it unusable until it fits again (R-CPN-25).
    ok(authorize(&app, &ops, &p.id, EC2, "0.05").await);
    let list = offered(&app, &c, &order).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "only the EBS adjustment within its scope: {list}");
    assert_eq!(list[0]["discount_type"], 609);
    ok(authorize(&app, &ops, &p.id, EC2, "0.3").await);
    assert_eq!(offered(&app, &c, &order).await.as_array().unwrap().len(), 2);

    // A-09, R-CPN-29: once EC2 is marked as spot instances, it takes no partner discount,
    // whatever the list says; the policy reads so over BSS.
    list_policy(&app, &ops, EC2, json!({"allow_discount": true, "exclusion": "spot", "incentive_policy": "specific"}))
        .await;
    let list = offered(&app, &c, &order).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    set(&app, &p, json!({"service_type": EC2, "discount": "0.1", "customer_id": c.id.as_str()}))
        .await
        .assert_error(400, "CBC.99000056");
    let policies =
        ok(app.signed("GET", &format!("{POLICIES}?time=2026-03&service_type_code={EC2}"), "", &p.creds).await);
    assert_eq!(policies["policies"][0]["allow_discount"], "NO");
    assert_eq!(policies["policies"][0]["incentive_policy"], "1");

    // Paying with the EBS adjustment: the disk's 4.00 less 30 % is 2.80, exactly.
    let id = on_ebs["discount_id"].as_str().unwrap();
    assert_eq!(app.signed("POST", PAY, &pay(&order, Some((id, 609))), &c.creds).await.status, 200);
    let applied = app.ctx.store.applied_discount(&OrderId::parse(&order).unwrap()).await.unwrap().unwrap();
    assert_eq!((applied.lines[0].discount, applied.lines[0].due), (money("1.2"), money("2.8")));

    // Unsubscribed ten days in, each line refunds from what was paid for it: the VM's 6.80, the
    // disk's 2.80 (not its list price): refund and consumed part add up to it.
    app.clock.advance(Millis::days(10));
    let q = json!({"only_main_resource": 1}).to_string();
    let res = ok(app.signed("POST", "/v2/orders/suscriptions/resources/query", &q, &c.creds).await);
    let vm = res["data"][0]["resource_id"].as_str().unwrap().to_owned();
    let body = json!({"resource_ids": [vm], "unsubscribe_type": 1}).to_string();
    let r = ok(app.signed("POST", "/v2/orders/subscriptions/resources/unsubscribe", &body, &c.creds).await);
    let refund_order = r["order_ids"][0].as_str().unwrap().to_owned();
    let url = format!("/v2/orders/customer-orders/refund-orders?order_id={refund_order}");
    let refunds = ok(app.signed("GET", &url, "", &c.creds).await);
    let amounts: Vec<Money> =
        refunds["refund_infos"].as_array().unwrap().iter().map(|r| money(&r["amount"].to_string())).collect();
    assert_eq!(amounts.len(), 4, "{refunds}");
    let paid = |refund: Money, consumed: Money| consumed.checked_sub(refund).unwrap();
    assert_eq!((paid(amounts[0], amounts[1]), paid(amounts[2], amounts[3])), (money("6.8"), money("2.8")));
}

async fn b2_9_policies_and_scopes_are_read_over_bss(db: TestStore) {
    let (app, ops) = world(db).await;
    let p = partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    list_policy(&app, &ops, EC2, json!({"allow_discount": true, "incentive_policy": "performance_no_rebate"})).await;
    ok(authorize(&app, &ops, &p.id, EC2, "0.2").await);

    // B2.9.2: every service type of the catalog, EBS not on the list.
    let all = ok(app.signed("GET", &format!("{POLICIES}?time=2026-03"), "", &p.creds).await);
    assert_eq!(all["total_count"], 2, "{all}");
    let ec2 = all["policies"].as_array().unwrap().iter().find(|x| x["service_type_code"] == EC2).unwrap().clone();
    assert_eq!(
        ec2,
        json!({"service_type_code": EC2, "service_type_name": "弹性云服务器", "incentive_policy": "13", "allow_discount": "YES"})
    );
    let ebs = all["policies"].as_array().unwrap().iter().find(|x| x["service_type_code"] == EBS).unwrap().clone();
    assert_eq!((ebs["allow_discount"].as_str(), ebs["incentive_policy"].as_str()), (Some("NO"), Some("0")));
    let page = ok(app.signed("GET", &format!("{POLICIES}?time=2026-03&offset=1&limit=1"), "", &p.creds).await);
    assert_eq!((page["total_count"].clone(), page["policies"].as_array().unwrap().len()), (json!(2), 1));
    let none = ok(app.signed("GET", &format!("{POLICIES}?time=2026-03&service_type_code="), "", &p.creds).await);
    assert_eq!(none["total_count"], 0, "an empty service_type_code filters");
    for bad in ["", "?time=2026-13", "?time=202603", "?time=2026-03&limit=0", "?time=2026-03&offset=-1"] {
        app.signed("GET", &format!("{POLICIES}{bad}"), "", &p.creds).await.assert_error(400, "CBC.0100");
    }

    // B2.9.1: the scope as a category quoting item, at the rate paid.
    let body = json!({"quoting_item_type": "CATEGORY_ITEM"}).to_string();
    let info = ok(app.signed("POST", BUSINESS, &body, &p.creds).await);
    assert_eq!(info["total_count"], 1, "{info}");
    let item = &info["category_quoting_items"][0];
    assert_eq!(
        (item["cloud_service_type"].as_str(), item["discount_ratio"].to_string()),
        (Some(EC2), "0.8".to_owned())
    );
    assert_eq!(item["cloud_service_type_name"], "弹性云服务器");
    let filtered =
        json!({"quoting_item_type": "CATEGORY_ITEM", "cloud_service_types": [EBS], "charging_modes": ["monthly"]});
    assert_eq!(ok(app.signed("POST", BUSINESS, &filtered.to_string(), &p.creds).await)["total_count"], 0);
    let products = json!({"quoting_item_type": "PRODUCT_ITEM"}).to_string();
    let products = ok(app.signed("POST", BUSINESS, &products, &p.creds).await);
    assert_eq!((products["total_count"].clone(), products["product_quoting_items"].clone()), (json!(0), json!([])));
    let many: Vec<String> = (0..101).map(|i| format!("t{i}")).collect();
    for bad in [
        json!({}),
        json!({"quoting_item_type": "ALL"}),
        json!({"quoting_item_type": "CATEGORY_ITEM", "limit": 1001}),
        json!({"quoting_item_type": "CATEGORY_ITEM", "cloud_service_types": many}),
        json!({"quoting_item_type": "CATEGORY_ITEM", "charging_modes": ["WEEKLY"]}),
        json!({"quoting_item_type": "CATEGORY_ITEM", "site_code": ""}),
    ] {
        app.signed("POST", BUSINESS, &bad.to_string(), &p.creds).await.assert_error(400, "CBC.0100");
    }
    // A customer's key reads neither.
    let c = customer(&app, &p.id, "referral21", AssociationModel::Referral).await;
    let r = app.signed("GET", &format!("{POLICIES}?time=2026-03"), "", &c.creds).await;
    assert_eq!(r.status, 403, "{}", r.body);
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

/// Posts a console form; returns where it redirects and the flash it leaves.
async fn submit(app: &TestApp, session: &str, path: &str, fields: &[(&str, &str)]) -> TestResponse {
    let mut body = format!("_csrf={}", csrf_token(session));
    for (k, v) in fields {
        body.push_str(&format!("&{k}={}", v.replace('|', "%7C")));
    }
    let headers = vec![
        ("Cookie".to_owned(), format!("opc_session={session}")),
        ("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()),
    ];
    let r = app.send("POST", path, &body, &headers).await;
    assert_eq!(r.status, 303, "{path}: {}", r.body);
    r
}

async fn r_cpn_33_the_console_sets_shows_and_pays_with_discounts(db: TestStore) {
    let (app, ops) = world(db).await;
    let p = partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    let c = customer(&app, &p.id, "referral31", AssociationModel::Referral).await;

    // The operator lists EC2 and authorizes the partner on its page.
    assert!(page(&app, &ops, "/operator/discount-policies").await.contains(EC2));
    let fields = [("service_type", EC2), ("allow_discount", "on"), ("incentive_policy", "specific")];
    submit(&app, &ops, "/operator/discount-policies", &fields).await;
    let policies = page(&app, &ops, "/operator/discount-policies").await;
    assert!(policies.contains("Apply") && policies.contains("specific"), "{policies}");
    let scopes = format!("/operator/partners/{}/discount-scopes", p.id);
    submit(&app, &ops, &scopes, &[("service_type", EC2), ("max_discount", "0.2")]).await;
    let r = submit(&app, &ops, &scopes, &[("service_type", EC2), ("max_discount", "two")]).await;
    assert!(flash(&r).contains("max_discount"), "{}", flash(&r));
    assert!(page(&app, &ops, &format!("/operator/partners/{}", p.id)).await.contains("20% off"));

    // The partner sets 10 % off for its customer on its Discounts page.
    assert!(page(&app, &p.session, "/partner/discounts").await.contains("20% off"));
    let fields = [("service_type", EC2), ("discount", "0.1"), ("customer_id", c.id.as_str())];
    let r = submit(&app, &p.session, "/partner/discounts", &fields).await;
    assert!(flash(&r).contains("10% off"), "{}", flash(&r));
    let mine = page(&app, &p.session, "/partner/discounts").await;
    assert!(mine.contains("10% off") && mine.contains(c.id.as_str()), "{mine}");

    // The customer sees it among its commercial discounts and chooses it at payment.
    assert!(page(&app, &c.session, "/my-discounts").await.contains("10% off"));
    let order = place(&app, &c).await;
    let orders = page(&app, &c.session, "/orders").await;
    assert!(orders.contains("name=\"discount\""), "{orders}");
    let id = offered(&app, &c, &order).await[0]["discount_id"].as_str().unwrap().to_owned();
    submit(&app, &c.session, &format!("/orders/{order}/pay"), &[("discount", &format!("{id}|3")), ("confirm", "yes")])
        .await;
    let applied = app.ctx.store.applied_discount(&OrderId::parse(&order).unwrap()).await.unwrap().unwrap();
    assert_eq!((applied.lines[0].discount, applied.lines[0].due), (money("0.68"), money("6.12")));
    // Removing it from the page.
    submit(&app, &p.session, &format!("/partner/discounts/{id}/remove"), &[]).await;
    assert!(page(&app, &p.session, "/partner/discounts").await.contains("None set."));
    let r =
        app.send("GET", "/partner/discounts", "", &[("Cookie".to_owned(), format!("opc_session={}", c.session))]).await;
    assert_eq!(r.status, 403, "a customer has no partner page");
}

async fn concurrent_settings_of_one_target_leave_one_scope_and_one_discount(db: TestStore) {
    let (app, ops) = world(db).await;
    let p = partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    list_policy(&app, &ops, EC2, json!({"allow_discount": true})).await;
    let rate = |t: &str| opc_domain::bill::Discount::parse(t).unwrap();
    let (a, b) = tokio::join!(
        discounts::authorize_scope(&app.ctx, "ops", p.id.as_str(), EC2, rate("0.3"), None),
        discounts::authorize_scope(&app.ctx, "ops", p.id.as_str(), EC2, rate("0.4"), None),
    );
    a.unwrap();
    b.unwrap();
    let scopes = app.ctx.store.discount_scopes(&p.id).await.unwrap();
    assert_eq!(scopes.len(), 1);
    let partner = app.ctx.store.partner(&p.id).await.unwrap().unwrap();
    let caller = Caller::acting(&app.ctx, partner, None, None).await.unwrap();
    let all = || Target::General { customer: None };
    let (a, b) = tokio::join!(
        discounts::set(&app.ctx, &caller, all(), EC2, rate("0.1")),
        discounts::set(&app.ctx, &caller, all(), EC2, rate("0.2")),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.id, b.id, "one discount for the target, its rate the last written");
    let query = DiscountQuery { partner: Some(p.id.clone()), ..DiscountQuery::default() };
    let stored = app.ctx.store.partner_discounts(&query).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!([rate("0.1"), rate("0.2")].contains(&stored[0].off));
}

async fn r_org_19_an_account_manager_sets_discounts_for_its_own_customers_only(db: TestStore) {
    let (app, ops) = world(db).await;
    let p = partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    list_policy(&app, &ops, EC2, json!({"allow_discount": true})).await;
    ok(authorize(&app, &ops, &p.id, EC2, "0.3").await);
    let c1 = customer(&app, &p.id, "referral41", AssociationModel::Referral).await;
    let c2 = customer(&app, &p.id, "referral42", AssociationModel::Referral).await;
    let role = json!({"name": "Sales", "permissions": ["customers.view", "customers.control"]});
    let role = ok(call(&app, "POST", "/api/v1/partner/roles", role, &p.session).await)["role_id"].clone();
    let member = json!({"name": "Mei Tan", "email": "mei@acme.example", "password": "Member123!", "position": "account_manager"});
    let mei = ok(call(&app, "POST", "/api/v1/partner/members", member, &p.session).await)["member_id"].clone();
    ok(call(
        &app,
        "PUT",
        &format!("/api/v1/partner/members/{}", mei.as_str().unwrap()),
        json!({"role_id": role}),
        &p.session,
    )
    .await);
    let assign = format!("/api/v1/partner/customers/{}/account-manager", c1.id);
    ok(call(&app, "PUT", &assign, json!({"member_id": mei}), &p.session).await);
    let session = sign_in(&app, "mei@acme.example", "Member123!").await;
    let mei = Partner { id: p.id.clone(), session, creds: p.creds.clone() };

    let to = |c: Option<&Customer>| match c {
        Some(c) => json!({"service_type": EC2, "discount": "0.1", "customer_id": c.id.as_str()}),
        None => json!({"service_type": EC2, "discount": "0.1"}),
    };
    ok(set(&app, &mei, to(Some(&c1))).await);
    set(&app, &mei, to(Some(&c2))).await.assert_error(400, "CBC.99000035");
    set(&app, &mei, to(None)).await.assert_error(400, "CBC.0100");
    ok(set(&app, &p, to(Some(&c2))).await);
    let all = ok(set(&app, &p, to(None)).await);
    let seen = ok(call(&app, "GET", "/api/v1/partner/discounts", Value::Null, &mei.session).await);
    assert_eq!(seen["discounts"].as_array().unwrap().len(), 2, "its customer's and the one for all: {seen}");
    let path = format!("/api/v1/partner/discounts/{}", all["discount_id"].as_str().unwrap());
    call(&app, "DELETE", &path, Value::Null, &mei.session).await.assert_error(400, "CBC.0100");
    ok(call(&app, "DELETE", &path, Value::Null, &p.session).await);
}

async fn r_cpn_33_a_renewal_paid_automatically_takes_the_customers_best_general_discount(db: TestStore) {
    let (app, ops) = world(db).await;
    let p = partner(&app, "auto@acme.example", "Auto Cloud Pte Ltd").await;
    let c1 = customer(&app, &p.id, "autoref01", AssociationModel::Referral).await;
    list_policy(&app, &ops, EC2, json!({"allow_discount": true})).await;
    ok(authorize(&app, &ops, &p.id, EC2, "0.2").await);
    let order = place(&app, &c1).await;
    ok(app.signed("POST", PAY, &pay(&order, None), &c1.creds).await);
    // The partner sets c1 a general discount of 15 % on EC2 and 5 % for all its customers.
    let mine = ok(set(&app, &p, json!({"service_type": EC2, "discount": "0.15", "customer_id": c1.id.as_str()})).await);
    ok(set(&app, &p, json!({"service_type": EC2, "discount": "0.05"})).await);
    let vm = app.ctx.store.resources_of(&c1.id).await.unwrap();
    let vm = vm.iter().find(|r| r.parent().is_none()).unwrap().id().as_str().to_owned();

    // A renewal paid as it is placed: no one picks a discount, so the best general one offered
    // is taken (6.80 × 15 % = 1.02 off, 5.78 due) and the trace says which.
    let body = json!({"resource_ids": [vm], "period_type": 2, "period_num": 1, "is_auto_pay": 1});
    let renewal =
        ok(app.signed("POST", "/v2/orders/subscriptions/resources/renew", &body.to_string(), &c1.creds).await);
    let renewal = renewal["order_ids"][0].as_str().unwrap().to_owned();
    let trace = ok(call(&app, "GET", &format!("/api/v1/orders/{renewal}/trace"), Value::Null, &c1.session).await);
    let line = &trace["lines"][0]["trace"];
    assert_eq!(line["steps"][0]["kind"], "partner_discount", "{trace}");
    assert_eq!(line["steps"][0]["discount_id"], mine["discount_id"], "{trace}");
    assert_eq!(line["result"], "5.78000000", "{trace}");
}

/// The discount a payment decided on before its transaction must still be there, at its rate,
/// inside it: one removed in between refuses the payment whole (the race, made deterministic by
/// settling by hand what `pay` decided from its read).
async fn a_discount_removed_before_the_payments_transaction_refuses_it_whole(db: TestStore) {
    use opc_core::store::{Constraint, Row, Settlement, StoreError};
    use opc_domain::order::OrderStatus;
    let (app, ops) = world(db).await;
    let p = partner(&app, "race@acme.example", "Race Cloud Pte Ltd").await;
    let c1 = customer(&app, &p.id, "raceref01", AssociationModel::Referral).await;
    list_policy(&app, &ops, EC2, json!({"allow_discount": true})).await;
    ok(authorize(&app, &ops, &p.id, EC2, "0.2").await);
    let d = ok(set(&app, &p, json!({"service_type": EC2, "discount": "0.15", "customer_id": c1.id.as_str()})).await);
    let id = OrderId::parse(&place(&app, &c1).await).unwrap();
    // The payment reads its offer…
    let account = app.ctx.store.account(&c1.id).await.unwrap().unwrap();
    let principal = opc_core::ops::auth::Principal::Customer { account, access_key: None };
    let applied = opc_core::ops::orders::offers(&app.ctx, &principal, &id, None).await.unwrap().remove(0);
    // …the partner removes the discount…
    let removed = call(
        &app,
        "DELETE",
        &format!("/api/v1/partner/discounts/{}", d["discount_id"].as_str().unwrap()),
        Value::Null,
        &p.session,
    )
    .await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    // …and the payment's transaction refuses it, writing nothing.
    let order = app.ctx.store.order(&id).await.unwrap().unwrap();
    let link = Some((p.id.clone(), AssociationModel::Referral));
    let payment = order.payment(link, app.clock.now(), app.ctx.policy.billing_offset).unwrap();
    let payment = opc_domain::discount::discounted(payment, &applied).unwrap();
    let charges = [payment.charge.clone()];
    let settlement = Settlement {
        order: &payment.order,
        pending_version: Some(order.version()),
        new_resources: &payment.resources,
        changed_resources: &[],
        charges: &charges,
        additions: &[],
        check: None,
        discount: Some(&applied),
        coupons: &[],
        holds: &[],
        given_back: None,
        cards: &[],
        packages: &[],
        audit: &[],
    };
    let refused = app.ctx.store.settle_order(&settlement).await;
    assert!(
        matches!(refused, Err(StoreError::Conflict { constraint: Constraint::Stale(Row::PartnerDiscount) })),
        "{refused:?}"
    );
    assert_eq!(app.ctx.store.order(&id).await.unwrap().unwrap().status(), OrderStatus::PendingPayment);
    assert!(app.ctx.store.resources_of(&c1.id).await.unwrap().is_empty(), "nothing was provisioned");
}
