//! Paying orders with coupons (issue 15; R-CPN-02, R-CPN-04, R-CPN-08, R-CPN-10, A-07, A-08; BSS
//! B1.6.4, B2.6.1) through the real router on both backends: the operator grants a distributor
//! a coupon quota, the distributor passes part to a reseller, the reseller issues a coupon to a
//! customer, the customer pays an order with it, another partner's referral customer pays with
//! its partner's discount, and the month closes with the held coupon paying its order at the
//! settlement price before the partner's other coupons — every amount explained to 10⁻⁸.

use opc_core::ops::admin::{self, CreatePartner};
use opc_core::ops::{bills, coupons};
use opc_core::store::CouponQuery;
use opc_core::Clock;
use opc_domain::association::AssociationModel;
use opc_domain::bill::{Discount, SettlementTerms};
use opc_domain::coupon::{Coupon, CouponEntryKind, CouponRequest, HoldState, Limits, Validity};
use opc_domain::partner::Program;
use opc_domain::usage::Cycle;
use opc_domain::{Millis, Money, PartnerId};
use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::console::{call, sign_in};
use opc_testkit::shop::{customer, partner, place, world, Customer, EC2};
use opc_testkit::sign::Credentials;
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

on_both_backends!(
    r_cpn_02_r_cpn_04_a_coupon_pays_its_order_from_the_partners_bill_and_every_amount_adds_up,
    r_cpn_10_a_renewal_unsubscribed_before_it_begins_frees_its_coupon_unused,
    r_cpn_10_a_renewal_unsubscribed_after_its_bill_gives_the_coupon_its_share_and_the_partner_the_rest,
);

const PAY: &str = "/v3/orders/customer-orders/pay";
const ORDER_COUPONS: &str = "/v2/orders/customer-orders/order-coupons";
const COUPONS: &str = "/v2/promotions/benefits/partner-coupons";
const RECLAIM: &str = "/v2/promotions/benefits/partner-coupons/reclaim";
const ISSUE_QUOTA: &str = "/v2/partners/coupon-quotas/indirect-partner-adjust";
const DAY: Millis = Millis(86_400_000);

fn ok(r: TestResponse) -> Value {
    assert!(r.status == 200 || r.status == 201, "{} {}", r.status, r.body);
    r.json()
}

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

fn validity(app: &TestApp, days: i64) -> Validity {
    let now = app.clock.now();
    Validity::new(now, now.plus(Millis(DAY.0 * days))).unwrap()
}

fn pay_with(order: &str, coupons: &[(&str, i64)]) -> String {
    let infos: Vec<Value> = coupons.iter().map(|(id, kind)| json!({"id": id, "type": kind})).collect();
    json!({"order_id": order, "use_coupon": "YES", "use_discount": "NO", "coupon_infos": infos}).to_string()
}

fn pay_plain(order: &str) -> String {
    json!({"order_id": order, "use_coupon": "NO", "use_discount": "NO"}).to_string()
}

async fn offered(app: &TestApp, c: &Customer, order: &str) -> Value {
    ok(app.signed("GET", &format!("{ORDER_COUPONS}?order_id={order}"), "", &c.creds).await)
}

fn ids(offered: &Value) -> Vec<String> {
    let list = offered["user_coupons"].as_array().unwrap();
    list.iter().map(|c| c["coupon_id"].as_str().unwrap().to_owned()).collect()
}

async fn coupon(app: &TestApp, id: &str) -> Coupon {
    let query = CouponQuery { coupon: Some(id.to_owned()), ..CouponQuery::default() };
    app.ctx.store.coupons(&query).await.unwrap().pop().unwrap()
}

/// A reseller with its distributor, its credentials, a coupon of `face` issued from quota its
/// distributor passed down to `customer`, and a general coupon of 3 from the operator.
struct Channel {
    reseller: PartnerId,
    creds: Credentials,
    /// The reseller's console sign-in (password `Secret123!`).
    login: String,
    coupon: String,
    general: String,
}

async fn channel(app: &TestApp, names: (&str, &str), face: &str) -> (Channel, Customer, Customer) {
    let d = app.partner(&format!("{} Distribution", names.0), Program::DistributionPartner, None).await;
    let login = format!("{}@resale.example", names.1);
    let r = admin::create_partner(
        &app.ctx,
        CreatePartner {
            name: &format!("{} Resale", names.0),
            country: "SG",
            program: Program::Reseller,
            distributor: Some(d.partner.id().as_str()),
            login: Some((&login, "Secret123!")),
            operator: "test",
        },
    )
    .await
    .unwrap();

    let reseller = r.partner.id().clone();
    let creds = TestApp::credentials(&r);
    let v = validity(app, 60);
    let parent =
        coupons::grant_quota(&app.ctx, "finance", d.partner.id().as_str(), money("100"), v, Limits::default(), "")
            .await
            .unwrap()
            .id;
    let body = json!({"quota_id": parent, "indirect_partner_ids": [reseller.as_str()], "quota_amount": 40});
    let issued = ok(app.signed("POST", ISSUE_QUOTA, &body.to_string(), &TestApp::credentials(&d)).await);
    let quota = issued["simple_quota_infos"][0]["quota_id"].as_str().unwrap().to_owned();
    let c1 = customer(app, &reseller, &format!("{}1", names.1), AssociationModel::Reseller).await;
    let c2 = customer(app, &reseller, &format!("{}2", names.1), AssociationModel::Reseller).await;
    // A new reseller customer may buy once its partner sets a budget and unfreezes it.
    for c in [&c1, &c2] {
        let body = json!({"customer_id": c.id.as_str(), "budget_amount": 100, "cancel_partner_frozen": "1"});
        ok(app.signed("POST", "/v2/partners/sub-customers/budget", &body.to_string(), &creds).await);
    }
    let body = json!({"quota_id": quota, "customer_ids": [c1.id.as_str()], "face_value": face});
    let made = ok(app.signed("POST", COUPONS, &body.to_string(), &creds).await);
    let coupon = made["coupon_infos"][0]["coupon_id"].as_str().unwrap().to_owned();
    let general = CouponRequest {
        face_value: money("3"),
        from: None,
        to: Some(v.to),
        limits: Limits::default(),
        memo: String::new(),
    };
    let general = coupons::give_coupon(&app.ctx, "finance", reseller.as_str(), None, &general).await.unwrap();
    (Channel { reseller, creds, login, coupon, general: general.id }, c1, c2)
}

async fn r_cpn_02_r_cpn_04_a_coupon_pays_its_order_from_the_partners_bill_and_every_amount_adds_up(db: TestStore) {
    let (app, ops) = world(db).await;
    let cycle = Cycle::of(app.clock.now(), app.ctx.policy.billing_offset);
    let (ch, c1, c2) = channel(&app, ("Kite", "kite"), "20").await;
    // The reseller settles at 10 % off list price (R-BILL-01).
    let terms = SettlementTerms::flat(Discount::parse("0.1").unwrap());
    bills::set_settlement_terms(&app.ctx, ch.reseller.as_str(), cycle, &terms, "finance").await.unwrap();

    // c1 orders a VM (EC2, 6.80) with its disk (EBS, 4.00) and lists the coupons that may pay it
    // (B2.6.1): its own and its partner's general one; one may be used.
    let order = place(&app, &c1).await;
    let list = offered(&app, &c1, &order).await;
    assert_eq!(list["count"], 2, "{list}");
    assert!(ids(&list).contains(&ch.coupon) && ids(&list).contains(&ch.general), "{list}");
    let own = list["user_coupons"].as_array().unwrap().iter().find(|c| c["coupon_id"] == ch.coupon.as_str()).unwrap();
    assert_eq!(
        (own["balance"].clone(), own["coupon_type"].clone(), own["status"].clone()),
        (json!(20), json!(1), json!(2))
    );
    assert!(own.get("used_by_order_id").is_none(), "{own}");
    assert_eq!(
        list["coupon_max_use_quantity"],
        json!([{"coupon_type": 1, "coupon_group": 0, "use_quantity_value": 1}])
    );
    // c2 never sees c1's coupon (R-CPN-06).
    let order2 = place(&app, &c2).await;
    assert_eq!(ids(&offered(&app, &c2, &order2).await), std::slice::from_ref(&ch.general));

    // Refused whole: two coupons, another coupon type, c1's coupon for c2's order.
    for (who, body) in [
        (&c1, pay_with(&order, &[(&ch.coupon, 301), (&ch.general, 301)])),
        (&c1, pay_with(&order, &[(&ch.coupon, 302)])),
        (&c1, pay_with(&order, &[("nope", 301)])),
        (&c2, pay_with(&order2, &[(&ch.coupon, 301)])),
    ] {
        let msg = app.signed("POST", PAY, &body, &who.creds).await.assert_error(400, "CBC.0100");
        assert!(msg.contains("coupon_infos"), "{msg}");
    }
    assert_eq!(coupon(&app, &ch.coupon).await.held_by, None, "a refused payment holds nothing");

    // c1 pays with its coupon: the order's charge stays at list price for the budget
    // (R-RCM-04); the coupon is held for the order until the month is billed (R-CPN-04).
    ok(app.signed("POST", PAY, &pay_with(&order, &[(&ch.coupon, 301)]), &c1.creds).await);
    let details = ok(app.signed("GET", &format!("/v2/orders/customer-orders/details/{order}"), "", &c1.creds).await);
    assert_eq!(details["order_info"]["status"], 5);
    assert_eq!(details["order_info"]["official_amount"].to_string(), "10.8");
    let held = coupon(&app, &ch.coupon).await;
    assert_eq!((held.held_by.as_deref(), held.balance), (Some(order.as_str()), money("20")));
    let by_order = ok(app.signed("GET", &format!("{COUPONS}?order_id={order}"), "", &ch.creds).await);
    assert_eq!(
        (by_order["total_count"].clone(), by_order["user_coupons"][0]["coupon_id"].clone()),
        (json!(1), json!(ch.coupon))
    );
    // Held, it pays no other order and cannot be reclaimed.
    let order3 = place(&app, &c1).await;
    assert_eq!(ids(&offered(&app, &c1, &order3).await), std::slice::from_ref(&ch.general));
    app.signed("POST", PAY, &pay_with(&order3, &[(&ch.coupon, 301)]), &c1.creds).await.assert_error(400, "CBC.0100");
    let reclaim = json!({"coupon_id": ch.coupon}).to_string();
    app.signed("POST", RECLAIM, &reclaim, &ch.creds).await.assert_error(400, "CBC.0100");
    ok(app.signed("POST", PAY, &pay_plain(&order2), &c2.creds).await);

    // Another partner's referral customer pays with its partner's discount: 15 % off the VM.
    ok(call(&app, "PUT", &format!("/api/v1/operator/discount-policies/{EC2}"), json!({"allow_discount": true}), &ops)
        .await);
    let other = partner(&app, "lena@other.example", "Other Partner Ltd").await;
    let scope = format!("/api/v1/operator/partners/{}/discount-scopes/{EC2}", other.id);
    ok(call(&app, "PUT", &scope, json!({"max_discount": "0.2"}), &ops).await);
    let referral = customer(&app, &other.id, "kiteref", AssociationModel::Referral).await;
    let discount = ok(call(
        &app,
        "POST",
        "/api/v1/partner/discounts",
        json!({"service_type": EC2, "discount": "0.15"}),
        &other.session,
    )
    .await);
    let ref_order = place(&app, &referral).await;
    assert_eq!(
        offered(&app, &referral, &ref_order).await["count"],
        0,
        "no partner coupon pays a referral customer (A-08)"
    );
    let body = json!({"order_id": ref_order, "use_coupon": "NO", "use_discount": "YES",
        "discount_infos": [{"id": discount["discount_id"], "type": 3}]});
    ok(app.signed("POST", PAY, &body.to_string(), &referral.creds).await);
    let ref_details =
        ok(app.signed("GET", &format!("/v2/orders/customer-orders/details/{ref_order}"), "", &referral.creds).await);
    let info = &ref_details["order_info"];
    let (list_price, due) =
        (money(&info["official_amount"].to_string()), money(&info["amount_after_discount"].to_string()));
    let off = money(&info["amount_info"]["discounts"][0]["discount_amount"].to_string());
    assert_eq!((list_price, off, due), (money("10.8"), money("1.02"), money("9.78")));
    assert_eq!(list_price.checked_sub(off).unwrap(), due, "its trace adds up: list − discount = due");

    // The month closes (R-CPN-03): the held coupon pays its order at the settlement price first
    // (6.12 for the VM, 3.60 for the disk), then c2's spend takes the general coupon.
    let (_, end) = opc_domain::bill::cycle_bounds(cycle, app.ctx.policy.billing_offset).unwrap();
    app.clock.set(end.plus(DAY));
    bills::run(&app.ctx, cycle, "test", |_| ()).await.unwrap().unwrap();
    let bill = app.ctx.store.partner_bill(&ch.reseller, cycle).await.unwrap().unwrap();
    let t = bill.totals;
    assert_eq!((t.official, t.discount, t.amount_due), (money("21.6"), money("2.16"), money("19.44")));
    assert_eq!((t.coupons, t.test_coupons, t.to_pay()), (money("12.72"), Money::ZERO, money("6.72")));
    let lines = app.ctx.store.partner_bill_lines(&ch.reseller, cycle).await.unwrap();
    let of = |c: &Customer| -> Vec<(String, Money, Money, Money)> {
        lines
            .iter()
            .filter(|l| l.customer == c.id)
            .map(|l| (l.service_type.clone(), l.official, l.due, l.coupon))
            .collect()
    };
    let c1_lines = of(&c1);
    assert_eq!(
        c1_lines.iter().map(|l| l.3).collect::<Vec<_>>(),
        c1_lines.iter().map(|l| l.2).collect::<Vec<_>>(),
        "c1's lines are paid whole by its coupon"
    );
    assert_eq!(c1_lines.iter().try_fold(Money::ZERO, |s, l| s.checked_add(l.3)).unwrap(), money("9.72"));
    assert_eq!(of(&c2).iter().try_fold(Money::ZERO, |s, l| s.checked_add(l.3)).unwrap(), money("3"));
    // The price trace of every line adds up exactly: list − settlement discount = due, and
    // due − coupons is what the partner pays; the columns add up to the bill's totals.
    let mut sums = [Money::ZERO; 4];
    for l in &lines {
        assert_eq!(l.official.checked_sub(l.discount).unwrap(), l.due, "{l:?}");
        let left = l.due.checked_sub(l.coupon).unwrap().checked_sub(l.test_coupon).unwrap();
        assert!(left >= Money::ZERO, "{l:?}");
        for (sum, v) in sums.iter_mut().zip([l.official, l.discount, l.due, left]) {
            *sum = sum.checked_add(v).unwrap();
        }
    }
    assert_eq!(sums, [t.official, t.discount, t.amount_due, t.to_pay()]);

    // The coupon's ledger names the order; the hold is paid and ended; the rest is free again.
    let entries = app.ctx.store.coupon_entries(&ch.coupon).await.unwrap();
    let moves: Vec<_> = entries.iter().map(|e| (e.kind, e.amount, e.balance_after, e.trade.clone())).collect();
    assert_eq!(moves[1..], [(CouponEntryKind::Deduct, money("-9.72"), money("10.28"), order.clone())]);
    let hold = app.ctx.store.order_holds(std::slice::from_ref(&order)).await.unwrap().pop().unwrap();
    assert!(matches!(hold.state, HoldState::Paid { paid, .. } if paid == money("9.72")), "{hold:?}");
    let freed = coupon(&app, &ch.coupon).await;
    assert_eq!((freed.held_by, freed.balance), (None, money("10.28")));
    let general = app.ctx.store.coupon_entries(&ch.general).await.unwrap();
    assert_eq!(
        general.last().map(|e| (e.amount, e.trade.clone())),
        Some((money("-3"), format!("bill-{}-{}", ch.reseller, cycle.0)))
    );
    // Billed again, nothing changes.
    bills::run(&app.ctx, cycle, "test", |_| ()).await.unwrap();
    assert_eq!(app.ctx.store.coupon_entries(&ch.coupon).await.unwrap().len(), entries.len());

    // The console API shows each bill line's trace: list → settlement discount → due → each
    // coupon (the held one naming its order) → what the partner pays; every trace adds up.
    // (A month later, everyone signs in again.)
    let session = sign_in(&app, &ch.login, "Secret123!").await;
    let c1_session = sign_in(&app, "kite1@example.com", "Secret123!").await;
    let referral_session = sign_in(&app, "kiteref@example.com", "Secret123!").await;
    let month = bills::month_text(cycle);
    let traced = ok(call(&app, "GET", &format!("/api/v1/partner/bills/{month}"), Value::Null, &session).await);
    assert_eq!(traced["totals"]["to_pay"], "6.72000000", "money on the wire keeps 8 decimals");
    let mut paid_by_partner = Money::ZERO;
    for l in traced["lines"].as_array().unwrap() {
        let t = &l["trace"];
        let mut left = money(t["list"].as_str().unwrap());
        for s in t["steps"].as_array().unwrap() {
            left = left.checked_sub(money(s["amount"].as_str().unwrap())).unwrap();
        }
        assert_eq!(left, money(t["result"].as_str().unwrap()), "{l}");
        paid_by_partner = paid_by_partner.checked_add(left).unwrap();
    }
    assert_eq!(paid_by_partner, money("6.72"));
    let ec2 = traced["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["customer_id"] == c1.id.as_str() && l["service_type"] == EC2)
        .unwrap();
    assert_eq!(
        ec2["trace"]["steps"],
        json!([{"step": "settlement_discount", "rate": "0.1", "amount": "1.08000000"},
            {"step": "cash_coupon", "coupon_id": ch.coupon, "order_id": order, "amount": "9.72000000"}])
    );
    assert_eq!(ec2["trace"]["result"], "0.00000000");
    call(&app, "GET", "/api/v1/partner/bills/2001-01", Value::Null, &session).await.assert_error(404, "CBC.99000054");
    call(&app, "GET", "/api/v1/partner/bills/January", Value::Null, &session).await.assert_error(400, "CBC.0100");
    // The order's own trace, for its customer: list price, no discount, and its coupon paid.
    let order_trace = ok(call(&app, "GET", &format!("/api/v1/orders/{order}/trace"), Value::Null, &c1_session).await);
    assert_eq!(
        order_trace["coupon"],
        json!({"coupon_id": ch.coupon, "state": "paid", "paid": "9.72000000", "billed_month": month})
    );
    assert_eq!(order_trace["lines"][0]["trace"], json!({"list": "6.80000000", "steps": [], "result": "6.80000000"}));
    // The referral customer's order shows its discount; another customer's order is not found.
    let ref_trace =
        ok(call(&app, "GET", &format!("/api/v1/orders/{ref_order}/trace"), Value::Null, &referral_session).await);
    assert_eq!(ref_trace["lines"][0]["trace"]["steps"][0]["kind"], "partner_discount");
    assert_eq!(ref_trace["lines"][0]["trace"]["result"], "5.78000000");
    call(&app, "GET", &format!("/api/v1/orders/{order}/trace"), Value::Null, &referral_session)
        .await
        .assert_error(404, "CBC.99000054");
    // The console's bill page folds each line's trace under "How".
    let page = app
        .send("GET", &format!("/partner/bills/{month}"), "", &[("Cookie".into(), format!("opc_session={session}"))])
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("How") && page.body.contains(&format!("held for order {order}")),
        "the held coupon's step names its order"
    );
}

async fn r_cpn_10_a_renewal_unsubscribed_before_it_begins_frees_its_coupon_unused(db: TestStore) {
    let (app, _) = world(db).await;
    let cycle = Cycle::of(app.clock.now(), app.ctx.policy.billing_offset);
    let (ch, c1, _) = channel(&app, ("Lark", "lark"), "15").await;
    let order = place(&app, &c1).await;
    ok(app.signed("POST", PAY, &pay_plain(&order), &c1.creds).await);
    let resources = app.ctx.store.resources_of(&c1.id).await.unwrap();
    let vm = resources.iter().find(|r| r.parent().is_none()).unwrap().id().as_str().to_owned();

    // A month's renewal, paid with the coupon: held for the renewal order.
    let body = json!({"resource_ids": [vm], "period_type": 2, "period_num": 1, "is_auto_pay": 0});
    let renewal =
        ok(app.signed("POST", "/v2/orders/subscriptions/resources/renew", &body.to_string(), &c1.creds).await);
    let renewal = renewal["order_ids"][0].as_str().unwrap().to_owned();
    ok(app.signed("POST", PAY, &pay_with(&renewal, &[(&ch.coupon, 301)]), &c1.creds).await);
    assert_eq!(coupon(&app, &ch.coupon).await.held_by.as_deref(), Some(renewal.as_str()));

    // The resource is unsubscribed with its renewal, which has not begun: the renewal is
    // refunded whole, so the coupon is freed unused (R-CPN-10); the current term's refund
    // keeps its used part.
    let body = json!({"resource_ids": [vm], "unsubscribe_type": 1});
    ok(app.signed("POST", "/v2/orders/subscriptions/resources/unsubscribe", &body.to_string(), &c1.creds).await);
    let freed = coupon(&app, &ch.coupon).await;
    assert_eq!((freed.held_by, freed.balance), (None, money("15")));
    let hold = app.ctx.store.order_holds(std::slice::from_ref(&renewal)).await.unwrap().pop().unwrap();
    assert!(matches!(hold.state, HoldState::Released { .. }), "{hold:?}");
    assert!(hold.parts.iter().all(|(_, m)| *m == Money::ZERO), "{hold:?}");

    // The month closes: the freed coupon pays c1's remaining spend like any coupon of c1's.
    let (_, end) = opc_domain::bill::cycle_bounds(cycle, app.ctx.policy.billing_offset).unwrap();
    app.clock.set(end.plus(DAY));
    bills::run(&app.ctx, cycle, "test", |_| ()).await.unwrap().unwrap();
    let entries = app.ctx.store.coupon_entries(&ch.coupon).await.unwrap();
    assert!(entries.iter().all(|e| e.trade != renewal), "nothing was deducted for the renewal: {entries:?}");
    let bill = app.ctx.store.partner_bill(&ch.reseller, cycle).await.unwrap().unwrap();
    assert!(bill.totals.coupons <= bill.totals.amount_due, "{:?}", bill.totals);
}

async fn r_cpn_10_a_renewal_unsubscribed_after_its_bill_gives_the_coupon_its_share_and_the_partner_the_rest(
    db: TestStore,
) {
    let (app, _) = world(db).await;
    let march = Cycle::of(app.clock.now(), app.ctx.policy.billing_offset);
    let (ch, c1, _) = channel(&app, ("Wren", "wren"), "15").await;
    let order = place(&app, &c1).await;
    ok(app.signed("POST", PAY, &pay_plain(&order), &c1.creds).await);
    let resources = app.ctx.store.resources_of(&c1.id).await.unwrap();
    let vm = resources.iter().find(|r| r.parent().is_none()).unwrap().id().as_str().to_owned();
    let renew = |paid_with: Option<String>| {
        let (app, c1, vm) = (&app, &c1, vm.clone());
        async move {
            let body = json!({"resource_ids": [vm], "period_type": 2, "period_num": 1, "is_auto_pay": 0});
            let renewal =
                ok(app.signed("POST", "/v2/orders/subscriptions/resources/renew", &body.to_string(), &c1.creds).await);
            let renewal = renewal["order_ids"][0].as_str().unwrap().to_owned();
            let body = match paid_with {
                Some(coupon) => pay_with(&renewal, &[(&coupon, 301)]),
                None => pay_plain(&renewal),
            };
            ok(app.signed("POST", PAY, &body, &c1.creds).await);
            renewal
        }
    };
    // April's renewal paid in cash, May's with the coupon; March's bill pays May's with it.
    renew(None).await;
    // (A second identical request signed at the same instant would be answered as a replay.)
    app.clock.set(app.clock.now().plus(Millis(60_000)));
    let may = renew(Some(ch.coupon.clone())).await;
    let (_, end) = opc_domain::bill::cycle_bounds(march, app.ctx.policy.billing_offset).unwrap();
    app.clock.set(end.plus(DAY));
    bills::run(&app.ctx, march, "test", |_| ()).await.unwrap().unwrap();
    let hold = app.ctx.store.order_holds(std::slice::from_ref(&may)).await.unwrap().pop().unwrap();
    let HoldState::Paid { paid, .. } = hold.state else { panic!("{hold:?}") };
    assert!(paid > Money::ZERO);
    let before = coupon(&app, &ch.coupon).await.balance;

    // In April the VM is unsubscribed with its renewals: May's has not begun, so it is refunded
    // whole and the coupon gets back all it paid for it (R-CPN-10).
    let body = json!({"resource_ids": [vm], "unsubscribe_type": 1});
    let unsub =
        ok(app.signed("POST", "/v2/orders/subscriptions/resources/unsubscribe", &body.to_string(), &c1.creds).await);
    let unsub = unsub["order_ids"][0].as_str().unwrap().to_owned();
    let given = coupon(&app, &ch.coupon).await;
    assert_eq!(given.balance, before.checked_add(paid).unwrap(), "the coupon has its share back");
    let last = app.ctx.store.coupon_entries(&ch.coupon).await.unwrap().pop().unwrap();
    assert_eq!((last.kind, last.amount, last.trade.as_str()), (CouponEntryKind::Refund, paid, unsub.as_str()));
    let hold = app.ctx.store.order_holds(std::slice::from_ref(&may)).await.unwrap().pop().unwrap();
    assert_eq!(hold.refunded, paid);
    // The partner sees it in its coupon change records, as a refund from an unsubscription.
    let changes = ok(app
        .signed(
            "GET",
            "/v2/promotions/benefits/account-change-records?balance_type=BALANCE_TYPE_COUPON&trade_type=REFUND",
            "",
            &ch.creds,
        )
        .await);
    assert_eq!(changes["total_count"], 1, "{changes}");
    assert_eq!(changes["records"][0]["trade_detail_type"], "SOURCE_OPERAIION_UNSUBSCRIBE");
    assert_eq!(changes["records"][0]["revenue_expense_type"], "REVENUE");
    // Unsubscribing again gives nothing back twice: the replay is answered with the first
    // answer, and a new request finds nothing left to unsubscribe.
    let path = "/v2/orders/subscriptions/resources/unsubscribe";
    let replay = ok(app.signed("POST", path, &body.to_string(), &c1.creds).await);
    assert_eq!(replay["order_ids"][0].as_str(), Some(unsub.as_str()));
    app.clock.set(app.clock.now().plus(Millis(60_000)));
    let again = app.signed("POST", path, &body.to_string(), &c1.creds).await;
    assert!(again.status != 200 || again.json()["order_ids"].as_array().is_some_and(Vec::is_empty), "{}", again.body);
    assert_eq!(coupon(&app, &ch.coupon).await.balance, given.balance);

    // April's bill keeps the coupon's share from the partner's refund: on c1's refund line the
    // coupon's use is below 0, and the partner gets back only what it paid itself.
    let april = Cycle::of(app.clock.now(), app.ctx.policy.billing_offset);
    let (_, end) = opc_domain::bill::cycle_bounds(april, app.ctx.policy.billing_offset).unwrap();
    app.clock.set(end.plus(DAY));
    bills::run(&app.ctx, april, "test", |_| ()).await.unwrap().unwrap();
    let bill = app.ctx.store.partner_bill(&ch.reseller, april).await.unwrap().unwrap();
    let lines = app.ctx.store.partner_bill_lines(&ch.reseller, april).await.unwrap();
    let refund = lines.iter().find(|l| l.customer == c1.id && l.due < Money::ZERO).unwrap();
    assert_eq!(refund.coupon, Money::ZERO.checked_sub(paid).unwrap(), "{refund:?}");
    assert_eq!(refund.coupon_uses.len(), 1);
    assert_eq!(refund.coupon_uses[0].order.as_deref(), Some(unsub.as_str()));
    assert!(refund.due.checked_sub(refund.coupon).unwrap() <= Money::ZERO, "the partner gets back at most its part");
    let t = bill.totals;
    assert_eq!(t.to_pay(), t.amount_due.checked_sub(t.coupons).unwrap().checked_sub(t.test_coupons).unwrap());
    let kept: Money = lines
        .iter()
        .flat_map(|l| &l.coupon_uses)
        .filter(|u| u.amount < Money::ZERO)
        .try_fold(Money::ZERO, |s, u| s.checked_sub(u.amount))
        .unwrap();
    assert_eq!(kept, paid, "the bill keeps exactly what the coupon got back");
    // Every line's trace still adds up, the coupon's share shown as given back.
    let session = sign_in(&app, &ch.login, "Secret123!").await;
    let month = bills::month_text(april);
    let traced = ok(call(&app, "GET", &format!("/api/v1/partner/bills/{month}"), Value::Null, &session).await);
    for l in traced["lines"].as_array().unwrap() {
        let t = &l["trace"];
        let mut left = money(t["list"].as_str().unwrap());
        for s in t["steps"].as_array().unwrap() {
            left = left.checked_sub(money(s["amount"].as_str().unwrap())).unwrap();
        }
        assert_eq!(left, money(t["result"].as_str().unwrap()), "{l}");
    }
    let page = app
        .send("GET", &format!("/partner/bills/{month}"), "", &[("Cookie".into(), format!("opc_session={session}"))])
        .await;
    assert!(page.body.contains(&format!("Given back to cash coupon {} by unsubscription {unsub}", ch.coupon)));
    // Billed again, nothing changes.
    bills::run(&app.ctx, april, "test", |_| ()).await.unwrap();
    assert_eq!(app.ctx.store.partner_bill(&ch.reseller, april).await.unwrap().unwrap().totals, t);
}
