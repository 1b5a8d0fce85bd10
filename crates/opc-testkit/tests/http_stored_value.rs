//! Stored-value cards (issue 15; BSS B2.5.8 `list_stored_value_cards`, B1.6.4 `coupon_infos`
//! type 303; SVC-1, SVC-2) through the real router on both backends: the operator records cards
//! customers bought, a customer lists only its own, a referral customer pays an order partly with
//! a card (only the card's balance) and another wholly after its partner's discount, the fee
//! records show what the card paid of each line, and the card is refused for a reseller
//! customer, another customer's order, and once expired — every amount exact to 10⁻⁸.

use opc_core::store::CardQuery;
use opc_core::Clock;
use opc_domain::association::AssociationModel;
use opc_domain::stored_value::{balance_of, CardEntryKind};
use opc_domain::{Millis, Money};
use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::console::{call, cookie, page, submit};
use opc_testkit::shop::{customer, partner, place, world, Customer, EC2};
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

on_both_backends!(
    svc_a_card_pays_its_customers_orders_up_to_its_balance_and_the_fee_records_show_the_split,
    svc_the_operator_records_a_card_in_the_console_and_the_customer_pays_with_it_from_its_orders_page,
    svc_concurrent_payments_with_one_card_never_spend_it_twice,
);

const PAY: &str = "/v3/orders/customer-orders/pay";
const CARDS: &str = "/v2/promotions/benefits/stored-value-cards";
const RECORD: &str = "/api/v1/operator/stored-value-cards";
const FEES: &str = "/v2/bills/customer-bills/fee-records";
const DAY: Millis = Millis(86_400_000);

fn ok(r: TestResponse) -> Value {
    assert!(r.status == 200 || r.status == 201, "{} {}", r.status, r.body);
    r.json()
}

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

/// An amount answered as a JSON number or string, exactly.
fn amount(v: &Value) -> Money {
    money(v.as_str().map_or_else(|| v.to_string(), str::to_owned).as_str())
}

fn pay_with_card(order: &str, card: &str) -> String {
    json!({"order_id": order, "use_coupon": "YES", "use_discount": "NO",
        "coupon_infos": [{"id": card, "type": 303}]})
    .to_string()
}

async fn record(app: &TestApp, ops: &str, c: &Customer, face: &str, days: i64) -> TestResponse {
    let now = app.clock.now();
    let body = json!({"customer_id": c.id.as_str(), "name": format!("Prepaid {face}"), "face_value": face,
        "effective_time": now.to_rfc3339(), "expire_time": now.plus(Millis(DAY.0 * days)).to_rfc3339()});
    call(app, "POST", RECORD, body, ops).await
}

async fn cards(app: &TestApp, c: &Customer, query: &str) -> Value {
    ok(app.signed("GET", &format!("{CARDS}?{query}"), "", &c.creds).await)
}

/// The card's balance as the store holds it, checked against the sum of its entries.
async fn balance(app: &TestApp, card: &str) -> Money {
    let query = CardQuery { card: Some(card.to_owned()), ..CardQuery::default() };
    let stored = app.ctx.store.stored_value_cards(&query).await.unwrap().0.pop().unwrap();
    let entries = app.ctx.store.stored_value_card_entries(card).await.unwrap();
    assert_eq!(balance_of(&entries).unwrap(), stored.balance(), "the balance is the sum of its entries");
    stored.balance()
}

async fn svc_a_card_pays_its_customers_orders_up_to_its_balance_and_the_fee_records_show_the_split(db: TestStore) {
    let (app, ops) = world(db).await;
    let p = partner(&app, "mia@kite.example", "Kite Partner Ltd").await;
    let referral = customer(&app, &p.id, "kiteref", AssociationModel::Referral).await;
    let neighbour = customer(&app, &p.id, "kiteref2", AssociationModel::Referral).await;
    let reseller = customer(&app, &p.id, "kiteres", AssociationModel::Reseller).await;

    // The operator records the cards the referral customer bought; none for a reseller customer,
    // whose orders its partner's bill pays (SVC-1), and none below a cent.
    let small = ok(record(&app, &ops, &referral, "4", 30).await);
    let large = ok(record(&app, &ops, &referral, "20.00", 30).await);
    let brief = ok(record(&app, &ops, &referral, "5", 1).await);
    assert_eq!((small["face_value"].as_str(), small["balance"].as_str()), (Some("4"), Some("4")));
    record(&app, &ops, &reseller, "4", 30).await.assert_error(400, "CBC.0100");
    record(&app, &ops, &referral, "0.001", 30).await.assert_error(400, "CBC.0100");
    call(&app, "POST", RECORD, json!({"customer_id": referral.id.as_str()}), &referral.session)
        .await
        .assert_error(403, "CBC.0151");
    let [small, large, brief] = [&small, &large, &brief].map(|c| c["card_id"].as_str().unwrap().to_owned());

    // B2.5.8: a customer sees only its own cards; a partner's signature is refused.
    let mine = cards(&app, &referral, "status=1").await;
    assert_eq!(mine["total_count"], 3);
    let listed: Vec<&str> =
        mine["stored_value_cards"].as_array().unwrap().iter().map(|c| c["card_id"].as_str().unwrap()).collect();
    assert_eq!(listed.len(), 3);
    assert!([&small, &large, &brief].iter().all(|id| listed.contains(&id.as_str())));
    let one = cards(&app, &referral, &format!("status=1&card_id={large}")).await;
    assert_eq!(
        (one["total_count"].clone(), one["stored_value_cards"][0]["face_value"].clone()),
        (json!(1), json!("20"))
    );
    assert_eq!(one["stored_value_cards"][0]["status"], 1);
    assert_eq!(cards(&app, &referral, "status=1&card_id=").await["total_count"], 3, "an empty card_id is no filter");
    assert_eq!(
        cards(&app, &referral, "status=1&limit=1&offset=1").await["stored_value_cards"].as_array().unwrap().len(),
        1
    );
    assert_eq!(cards(&app, &neighbour, "status=1").await["total_count"], 0);
    assert_eq!(cards(&app, &referral, "status=2").await["total_count"], 0);
    app.signed("GET", CARDS, "", &referral.creds).await.assert_error(400, "CBC.0100");
    app.signed("GET", &format!("{CARDS}?status=3"), "", &referral.creds).await.assert_error(400, "CBC.0100");
    app.signed("GET", &format!("{CARDS}?status=1"), "", &p.creds).await.assert_error(403, "CBC.0151");

    // A card pays at most its balance: 4.00 of the 10.80 order, the VM's line first (SVC-2).
    let first = place(&app, &referral).await;
    app.signed("POST", PAY, &pay_with_card(&first, &small), &neighbour.creds).await.assert_error(404, "CBC.99000054");
    ok(app.signed("POST", PAY, &pay_with_card(&first, &small), &referral.creds).await);
    assert_eq!(balance(&app, &small).await, Money::ZERO);
    let used_up = cards(&app, &referral, "status=2").await;
    assert_eq!(
        (used_up["total_count"].clone(), used_up["stored_value_cards"][0]["balance"].clone()),
        (json!(1), json!("0"))
    );

    // With its partner's discount (12.34 % off the VM) the amount due is 5.96088 + 4 = 9.96088,
    // which the large card pays whole: 10.03912 is left, exactly.
    ok(call(&app, "PUT", &format!("/api/v1/operator/discount-policies/{EC2}"), json!({"allow_discount": true}), &ops)
        .await);
    let scope = format!("/api/v1/operator/partners/{}/discount-scopes/{EC2}", p.id);
    ok(call(&app, "PUT", &scope, json!({"max_discount": "0.2"}), &ops).await);
    let discount = ok(call(
        &app,
        "POST",
        "/api/v1/partner/discounts",
        json!({"service_type": EC2, "discount": "0.1234"}),
        &p.session,
    )
    .await);
    let second = place(&app, &referral).await;
    let body = json!({"order_id": second, "use_coupon": "YES", "use_discount": "YES",
        "coupon_infos": [{"id": large, "type": 303}], "discount_infos": [{"id": discount["discount_id"], "type": 3}]});
    ok(app.signed("POST", PAY, &body.to_string(), &referral.creds).await);
    assert_eq!(balance(&app, &large).await, money("10.03912"));
    let listed = cards(&app, &referral, &format!("status=1&card_id={large}")).await;
    assert_eq!(amount(&listed["stored_value_cards"][0]["balance"]), money("10.03912"));
    let entries = app.ctx.store.stored_value_card_entries(&large).await.unwrap();
    let kinds: Vec<_> =
        entries.iter().map(|e| (e.kind, e.amount, e.order.as_ref().map(|o| o.as_str().to_owned()))).collect();
    assert_eq!(
        kinds,
        vec![(CardEntryKind::Issue, money("20"), None), (CardEntryKind::Pay, money("-9.96088"), Some(second.clone()))]
    );

    // The fee records show what the card paid of each line; the rest is paid as without one.
    let cycle = {
        let (y, m, ..) = app.clock.now().plus(app.ctx.policy.billing_offset).to_utc();
        format!("{y}-{m:02}")
    };
    let fees = ok(app.signed("GET", &format!("{FEES}?bill_cycle={cycle}&limit=100"), "", &referral.creds).await);
    let of = |order: &str| -> Vec<(Money, Money, Money)> {
        let mut lines: Vec<(Money, Money, Money)> = fees["records"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["trade_id"] == order)
            .map(|r| {
                let (consume, card, debt) =
                    (amount(&r["consume_amount"]), amount(&r["stored_value_card_amount"]), amount(&r["debt_amount"]));
                assert_eq!(card.checked_add(debt).unwrap(), consume, "card + the rest = the amount due: {r}");
                (consume, card, debt)
            })
            .collect();
        lines.sort();
        lines
    };
    assert_eq!(
        of(&first),
        vec![(money("4"), Money::ZERO, money("4")), (money("6.8"), money("4"), money("2.8"))],
        "the card's 4.00 paid the VM's line first"
    );
    assert_eq!(
        of(&second),
        vec![(money("4"), money("4"), Money::ZERO), (money("5.96088"), money("5.96088"), Money::ZERO)]
    );

    // SVC-3: unsubscribing the first order's server refunds its terms; what the card paid for
    // that order (4.00) goes back to it, the rest as without a card. Once only: nothing more
    // comes back later.
    let resources = app.ctx.store.resources_of(&referral.id).await.unwrap();
    let vm = resources
        .iter()
        .find(|r| r.parent().is_none() && r.order_id().as_str() == first)
        .unwrap()
        .id()
        .as_str()
        .to_owned();
    let body = json!({"resource_ids": [vm], "unsubscribe_type": 1});
    let done = ok(app
        .signed("POST", "/v2/orders/subscriptions/resources/unsubscribe", &body.to_string(), &referral.creds)
        .await);
    assert_eq!(balance(&app, &small).await, money("4"), "{done}");
    let entries = app.ctx.store.stored_value_card_entries(&small).await.unwrap();
    assert_eq!(
        entries.iter().map(|e| (e.kind, e.amount)).collect::<Vec<_>>(),
        vec![
            (CardEntryKind::Issue, money("4")),
            (CardEntryKind::Pay, money("-4")),
            (CardEntryKind::Refund, money("4"))
        ]
    );
    assert_eq!(
        entries[2].order.as_ref().map(|o| o.as_str()),
        Some(first.as_str()),
        "the refund names the order the card paid"
    );
    let fees = ok(app.signed("GET", &format!("{FEES}?bill_cycle={cycle}&limit=100"), "", &referral.creds).await);
    let refunds: Vec<(Money, Money, Money)> = fees["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["consume_amount"].to_string().starts_with('-'))
        .map(|r| (amount(&r["consume_amount"]), amount(&r["stored_value_card_amount"]), amount(&r["debt_amount"])))
        .collect();
    let card_back = refunds.iter().try_fold(Money::ZERO, |s, (_, c, _)| s.checked_add(*c)).unwrap();
    assert_eq!(card_back, money("-4"), "the refund records show what went back to the card: {refunds:?}");
    assert!(refunds.iter().all(|(all, c, rest)| c.checked_add(*rest).unwrap() == *all), "{refunds:?}");
    // The customer's monthly sums: what its cards paid (13.96088, less the 4 that came back) is
    // no longer owed; per sum, card + owed + what a partner pays = the whole.
    let sums = ok(app
        .signed("GET", &format!("/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}"), "", &referral.creds)
        .await);
    assert_eq!(amount(&sums["stored_value_card_amount"]), money("9.96088"), "{sums}");
    let whole = amount(&sums["consume_amount"]);
    let parts = amount(&sums["stored_value_card_amount"])
        .checked_add(amount(&sums["debt_amount"]))
        .and_then(|m| m.checked_add(amount(&sums["credit_amount"])))
        .unwrap();
    assert_eq!(parts, whole, "{sums}");
    for r in sums["bill_sums"].as_array().unwrap() {
        let parts = amount(&r["stored_value_card_amount"]).checked_add(amount(&r["debt_amount"])).unwrap();
        assert_eq!(parts, amount(&r["consume_amount"]), "{r}");
    }

    // Refused: for a reseller customer (SVC-1), two at once, another type, and an expired card.
    let body = json!({"customer_id": reseller.id.as_str(), "budget_amount": 100, "cancel_partner_frozen": "1"});
    ok(app.signed("POST", "/v2/partners/sub-customers/budget", &body.to_string(), &p.creds).await);
    let theirs = place(&app, &reseller).await;
    let msg =
        app.signed("POST", PAY, &pay_with_card(&theirs, &brief), &reseller.creds).await.assert_error(400, "CBC.0100");
    assert!(msg.contains("reseller"), "{msg}");
    let third = place(&app, &referral).await;
    let two = json!({"order_id": third, "use_coupon": "YES", "use_discount": "NO",
        "coupon_infos": [{"id": brief, "type": 303}, {"id": large, "type": 303}]});
    app.signed("POST", PAY, &two.to_string(), &referral.creds).await.assert_error(400, "CBC.0100");
    let other_type = json!({"order_id": third, "use_coupon": "YES", "use_discount": "NO",
        "coupon_infos": [{"id": brief, "type": 302}]});
    app.signed("POST", PAY, &other_type.to_string(), &referral.creds).await.assert_error(400, "CBC.0100");
    app.clock.set(app.clock.now().plus(Millis(DAY.0 * 2)));
    let msg =
        app.signed("POST", PAY, &pay_with_card(&third, &brief), &referral.creds).await.assert_error(400, "CBC.0100");
    assert!(msg.contains("expired"), "{msg}");
    assert_eq!(balance(&app, &brief).await, money("5"), "a refused payment takes nothing");
    // The order is still pending: it can be paid without the card.
    let plain = json!({"order_id": third, "use_coupon": "NO", "use_discount": "NO"}).to_string();
    ok(app.signed("POST", PAY, &plain, &referral.creds).await);
}

/// The console's page token for a session: what its pages embed in forms.
async fn svc_the_operator_records_a_card_in_the_console_and_the_customer_pays_with_it_from_its_orders_page(
    db: TestStore,
) {
    let (app, ops) = world(db).await;
    let p = partner(&app, "mia@kite.example", "Kite Partner Ltd").await;
    let referral = customer(&app, &p.id, "kiteref", AssociationModel::Referral).await;
    let reseller = customer(&app, &p.id, "kiteres", AssociationModel::Reseller).await;
    let (y, m, d, ..) = app.clock.now().plus(Millis(DAY.0 * 60)).to_utc();
    let until = format!("{y:04}-{m:02}-{d:02}");

    // The operator's page records a card; a reseller customer's is refused beside the form.
    let form = [
        ("customer_id", referral.id.as_str()),
        ("name", "Prepaid 2026"),
        ("face_value", "7.5"),
        ("expire_time", until.as_str()),
    ];
    let r = submit(&app, &ops, "/operator/stored-value-cards", &form).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let refused =
        [("customer_id", reseller.id.as_str()), ("name", "x"), ("face_value", "1"), ("expire_time", until.as_str())];
    let r = submit(&app, &ops, "/operator/stored-value-cards", &refused).await;
    assert!(r.body.contains("reseller"), "{}", r.body);
    let listed = page(&app, &ops, "/operator/stored-value-cards").await;
    assert!(listed.contains("Prepaid 2026") && listed.contains(referral.id.as_str()), "{listed}");
    let (cards, _) = app.ctx.store.stored_value_cards(&CardQuery::default()).await.unwrap();
    assert_eq!(cards.len(), 1, "only the referral customer's card");
    let card = cards[0].id().to_owned();
    assert_eq!(app.send("GET", "/operator/stored-value-cards", "", &cookie(&referral.session)).await.status, 403);

    // The customer sees its card, and downloads it with the 8 decimals.
    let mine = page(&app, &referral.session, "/my-stored-value-cards").await;
    assert!(mine.contains(&card) && mine.contains("7.50"), "{mine}");
    let csv = page(&app, &referral.session, "/my-stored-value-cards?format=csv").await;
    assert!(csv.contains(&card) && csv.contains("7.50000000"), "{csv}");
    assert!(!page(&app, &reseller.session, "/my-stored-value-cards").await.contains(&card));

    // Its Orders page offers the card at payment; paying with it leaves 7.50 − 10.80 → 0.
    let order = place(&app, &referral).await;
    let orders = page(&app, &referral.session, "/orders").await;
    assert!(orders.contains("name=\"card\"") && orders.contains(&card), "{orders}");
    assert!(
        !page(&app, &reseller.session, "/orders").await.contains("name=\"card\""),
        "no card for a reseller customer"
    );
    let r = submit(
        &app,
        &referral.session,
        &format!("/orders/{order}/pay"),
        &[("card", card.as_str()), ("confirm", "yes")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(balance(&app, &card).await, Money::ZERO);
    let details =
        ok(app.signed("GET", &format!("/v2/orders/customer-orders/details/{order}"), "", &referral.creds).await);
    assert_eq!(details["order_info"]["status"], 5, "{details}");
}

async fn svc_concurrent_payments_with_one_card_never_spend_it_twice(db: TestStore) {
    let (app, ops) = world(db).await;
    let p = partner(&app, "mia@kite.example", "Kite Partner Ltd").await;
    let referral = customer(&app, &p.id, "kiteref", AssociationModel::Referral).await;
    let card = ok(record(&app, &ops, &referral, "10", 30).await)["card_id"].as_str().unwrap().to_owned();
    let (a, b) = (place(&app, &referral).await, place(&app, &referral).await);
    // Both payments read the card at once or one after the other: either way the second finds
    // it changed (409) or used up (400), and the card pays its 10.00 once.
    let (body_a, body_b) = (pay_with_card(&a, &card), pay_with_card(&b, &card));
    let (first, second) = tokio::join!(
        app.signed("POST", PAY, &body_a, &referral.creds),
        app.signed("POST", PAY, &body_b, &referral.creds),
    );
    let mut statuses = [first.status.as_u16(), second.status.as_u16()];
    statuses.sort_unstable();
    assert!(statuses == [200, 400] || statuses == [200, 409], "{statuses:?}: {} {}", first.body, second.body);
    assert_eq!(balance(&app, &card).await, Money::ZERO);
    let entries = app.ctx.store.stored_value_card_entries(&card).await.unwrap();
    assert_eq!(entries.iter().filter(|e| e.kind == CardEntryKind::Pay).count(), 1, "{entries:?}");
}
