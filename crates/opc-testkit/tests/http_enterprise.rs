//! Enterprise multi-account (issue 16; BSS B1.11, B2.11; EMA-1 … EMA-6) through the real router
//! on both backends: a verified enterprise customer, signing with its own key, reads and grows
//! its organization, sends an SMS code and creates members with it (or with its own phone),
//! lists them, and moves cash to and from an independent member — exactly, never overdrawing,
//! once per `trans_id`. Partners, individuals, unified members and other masters' members are
//! refused with no data.

use opc_core::ops::{admin, coupons, funds};
use opc_core::store::CouponQuery;
use opc_core::Clock;
use opc_domain::account::{AccountType, AccountingMode, EnterpriseRole, RealNameStatus};
use opc_domain::association::AssociationModel;
use opc_domain::coupon::{CouponRequest, Limits};
use opc_domain::funds::Holder;
use opc_domain::{AccountId, Millis, Money};
use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::console::{call, sign_in};
use opc_testkit::shop::{customer_with, partner, world, Customer};
use opc_testkit::sign::Credentials;
use opc_testkit::{on_both_backends, seed, TestStore};
use serde_json::{json, Value};

on_both_backends!(
    ema_a_master_builds_its_organization_creates_members_and_moves_funds_with_them,
    ema_who_may_not_act_as_a_master_and_whose_members_stay_out_of_reach,
    ema_7_a_master_gives_part_of_its_coupon_to_a_unified_member_and_takes_back_the_rest,
    ema_3_ema_7_a_unified_members_spend_reaches_the_masters_partners_bill_where_its_coupon_pays,
);

const ORGS: &str = "/v2/enterprises/multi-accounts/enterprise-organizations";
const MEMBERS: &str = "/v2/enterprises/multi-accounts/sub-customers";
const SMS: &str = "/v2/enterprises/multi-accounts/sm-verification-code";
const TRANSFER: &str = "/v2/enterprises/multi-accounts/transfer-amount";
const RETRIEVE: &str = "/v2/enterprises/multi-accounts/retrieve-amount";
const UNITS: &str = "/api/v1/me/enterprise/units";
const GIVE_COUPON: &str = "/v2/enterprises/multi-accounts/transfer-coupon";
const TAKE_COUPON: &str = "/v2/enterprises/multi-accounts/retrieve-coupon";
const GIVABLE: &str = "/v2/enterprises/multi-accounts/transfer-coupons";
const TAKEABLE: &str = "/v2/enterprises/multi-accounts/retrieve-coupons";

/// A referral customer of a new partner, with its own key and console session; `verified`
/// makes it an enterprise with verified real-name authentication.
async fn customer(app: &TestApp, name: &str, verified: bool) -> Customer {
    let p = partner(app, &format!("{name}-partner@example.com"), &format!("{name} Partner Ltd")).await;
    customer_with(app, &p.id, name, AssociationModel::Referral, |a| {
        a.display_name = Some(format!("{name} Group"));
        a.phone = Some("13800000000".into());
        if verified {
            a.account_type = AccountType::Enterprise;
            a.real_name = RealNameStatus::Verified;
        }
    })
    .await
}

fn ok(r: TestResponse) -> Value {
    assert!(r.status == 200 || r.status == 201 || r.status == 204, "{} {}", r.status, r.body);
    if r.body.is_empty() {
        Value::Null
    } else {
        r.json()
    }
}

fn refused(r: &TestResponse, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.json()["error_code"], code, "{}", r.body);
}

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

/// The one cash amount of an amounts answer, exactly.
fn amount_of(v: &Value, field: &str) -> Money {
    assert_eq!(v["total_count"], 1, "{v}");
    money(&v["amount_infos"][0][field].to_string())
}

async fn balance(app: &TestApp, id: &AccountId) -> Money {
    app.ctx.store.balances(&[Holder::Customer(id.clone())]).await.unwrap()[0].amount()
}

/// The digits of the newest SMS queued for `phone`.
async fn sms_code(app: &TestApp, phone: &str) -> String {
    let sent = app.ctx.store.notifications(Some(phone), 10).await.unwrap();
    let text = &sent.first().expect("an SMS was queued").body;
    let digits: String = text.split("code: ").nth(1).unwrap().chars().take(6).collect();
    assert!(digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()), "{text}");
    digits
}

fn member_body(name: &str, unit: &str, custody: i64, phone: Value) -> String {
    let mut new = json!({"customer_name": name, "password": "Member#2026"});
    new.as_object_mut().unwrap().extend(phone.as_object().unwrap().clone());
    json!({"party_id": unit, "display_name": format!("{name} team"), "sub_customer_association_type": 1,
        "permission_ids": ["READ_CONSUME_BILL"], "financial_custody": custody, "new_sub_customer": new})
    .to_string()
}

async fn ema_a_master_builds_its_organization_creates_members_and_moves_funds_with_them(db: TestStore) {
    let (app, ops) = world(db).await;
    let m = customer(&app, "acmegroup", true).await;

    // EMA-1: the root is created with the first use; units are added in the console API.
    let orgs = ok(app.signed("GET", ORGS, "", &m.creds).await);
    let root = orgs["root_id"].as_str().unwrap().to_owned();
    assert!(root.bytes().all(|b| b.is_ascii_digit()), "{orgs}");
    assert_eq!(
        (orgs["root_name"].as_str(), orgs["child_nodes"].as_array().unwrap().len()),
        (Some("acmegroup Group"), 0)
    );
    let sales =
        ok(call(&app, "POST", UNITS, json!({"name": "Sales"}), &m.session).await)["id"].as_str().unwrap().to_owned();
    let east = ok(call(&app, "POST", UNITS, json!({"name": "Sales east", "parent_id": sales}), &m.session).await);
    let east = east["id"].as_str().unwrap().to_owned();
    let flat = ok(app.signed("GET", ORGS, "", &m.creds).await);
    assert_eq!(flat["root_id"], root.as_str());
    assert_eq!(
        flat["child_nodes"],
        json!([{"relation_id": flat["child_nodes"][0]["relation_id"], "id": sales, "name": "Sales"}])
    );
    let deep = ok(app.signed("GET", &format!("{ORGS}?recursive_query=1"), "", &m.creds).await);
    assert_eq!(deep["child_nodes"][0]["child_nodes"][0]["id"], east.as_str());
    let under = ok(app.signed("GET", &format!("{ORGS}?parent_id={sales}"), "", &m.creds).await);
    assert!(under.get("root_id").is_none(), "no root when a parent is named: {under}");
    assert_eq!(under["child_nodes"][0]["name"], "Sales east");
    refused(&app.signed("GET", &format!("{ORGS}?parent_id=12345"), "", &m.creds).await, 400, "CBC.0100");

    // EMA-6, EMA-2: an SMS code to the member's phone, used to create it once.
    let sms = json!({"mobile_phone": "13900000001", "language": "en-us",
        "sm_template_args": [{"key": "sub_customer_name", "value": "acme-dev"}]})
    .to_string();
    ok(app.signed("POST", SMS, &sms, &m.creds).await);
    let code = sms_code(&app, "13900000001").await;
    let stored = app.ctx.store.latest_sms_code(&m.id, "13900000001").await.unwrap().unwrap();
    assert_ne!(stored.code, code, "the code is stored as its keyed hash");
    let own = |code: &str| json!({"mobile_phone": "13900000001", "verification_code": code});
    let wrong = if code == "000000" { "000001" } else { "000000" };
    refused(
        &app.signed("POST", MEMBERS, &member_body("acme-dev", &east, 0, own(wrong)), &m.creds).await,
        400,
        "CBC.99000048",
    );
    app.clock.advance(Millis(1000));
    ok(app.signed("POST", MEMBERS, &member_body("acme-dev", &east, 0, own(&code)), &m.creds).await);
    app.clock.advance(Millis(1000));
    let reused = app.signed("POST", MEMBERS, &member_body("acme-dev2", &east, 0, own(&code)), &m.creds).await;
    refused(&reused, 400, "CBC.99000048");
    // EMA-3: with financial custody, unified, with the master's phone.
    ok(app
        .signed("POST", MEMBERS, &member_body("acme-ops", &sales, 1, json!({"use_pri_mobile_phone": "Y"})), &m.creds)
        .await);
    app.clock.advance(Millis(1000));
    let taken = app
        .signed("POST", MEMBERS, &member_body("acme-ops", &sales, 1, json!({"use_pri_mobile_phone": "Y"})), &m.creds)
        .await;
    assert_eq!(taken.status, 400, "{}", taken.body);

    let master = app.ctx.store.account(&m.id).await.unwrap().unwrap();
    assert_eq!(master.enterprise(), EnterpriseRole::Master { has_independent_members: true });
    let listed = ok(app.signed("GET", MEMBERS, "", &m.creds).await);
    assert_eq!(listed["total_count"], 2, "{listed}");
    let dev = &listed["sub_customer_infos"][0];
    assert_eq!((dev["name"].as_str(), dev["display_name"].as_str()), (Some("acme-dev"), Some("acme-dev team")));
    assert_eq!(
        (dev["status"].as_i64(), dev["org_id"].as_str(), dev["org_name"].as_str()),
        (Some(1), Some(east.as_str()), Some("Sales east"))
    );
    let dev_id = AccountId::parse(dev["id"].as_str().unwrap()).unwrap();
    let ops_id = listed["sub_customer_infos"][1]["id"].as_str().unwrap().to_owned();
    let member = app.ctx.store.account(&dev_id).await.unwrap().unwrap();
    assert_eq!(member.enterprise(), EnterpriseRole::Member { accounting: AccountingMode::Independent });
    assert_eq!(
        (member.account_type(), member.real_name(), member.phone()),
        (AccountType::Enterprise, RealNameStatus::Verified, Some("13900000001"))
    );
    let unified = app.ctx.store.account(&AccountId::parse(&ops_id).unwrap()).await.unwrap().unwrap();
    assert_eq!(
        (unified.phone(), unified.enterprise()),
        (Some("13800000000"), EnterpriseRole::Member { accounting: AccountingMode::Unified })
    );
    let fuzzy =
        ok(app.signed("GET", &format!("{MEMBERS}?sub_customer_account_name=OPS&fuzzy_query=1"), "", &m.creds).await);
    assert_eq!(
        (fuzzy["total_count"].as_u64(), fuzzy["sub_customer_infos"][0]["id"].as_str()),
        (Some(1), Some(ops_id.as_str()))
    );
    let exact = ok(app.signed("GET", &format!("{MEMBERS}?sub_customer_account_name=ops"), "", &m.creds).await);
    assert_eq!(exact["total_count"], 0);
    let in_sales = ok(app.signed("GET", &format!("{MEMBERS}?org_id={sales}"), "", &m.creds).await);
    assert_eq!(in_sales["total_count"], 1);
    // The member signs in to the console with its password.
    sign_in(&app, "acme-dev", "Member#2026").await;

    // EMA-5: the master's top-up, moved to the independent member and partly back, exactly.
    funds::record_customer_payment(&app.ctx, m.id.as_str(), money("100.50"), "top-up", &ops).await.unwrap();
    let debit = "balance_type=BALANCE_TYPE_DEBIT";
    let mine = ok(app.signed("GET", &format!("{TRANSFER}?{debit}"), "", &m.creds).await);
    assert_eq!(amount_of(&mine, "avail_transfer_amount"), money("100.50"));
    let give = |amount: &str, trans: &str| {
        json!({"customer_id": dev_id.as_str(), "amount": amount, "trans_id": trans}).to_string()
    };
    refused(&app.signed("POST", TRANSFER, &give("100.51", "t-0"), &m.creds).await, 400, "CBC.99000057");
    ok(app.signed("POST", TRANSFER, &give("60.25", "t-1"), &m.creds).await);
    app.clock.advance(Millis(1000));
    ok(app.signed("POST", TRANSFER, &give("60.25", "t-1"), &m.creds).await);
    assert_eq!(
        (balance(&app, &m.id).await, balance(&app, &dev_id).await),
        (money("40.25"), money("60.25")),
        "a trans_id moves once"
    );
    let back = json!({"customer_id": dev_id.as_str(), "amount": "10.05"}).to_string();
    ok(app.signed("POST", RETRIEVE, &back, &m.creds).await);
    let theirs = ok(app.signed("GET", &format!("{RETRIEVE}?sub_customer_id={dev_id}&{debit}"), "", &m.creds).await);
    assert_eq!(amount_of(&theirs, "avail_retrieve_amount"), money("50.20"));
    let too_much = json!({"customer_id": dev_id.as_str(), "amount": "50.21"}).to_string();
    refused(&app.signed("POST", RETRIEVE, &too_much, &m.creds).await, 400, "CBC.99000057");
    assert_eq!(
        balance(&app, &m.id).await.checked_add(balance(&app, &dev_id).await).unwrap(),
        money("100.50"),
        "no cent made or lost"
    );
    // Credit accounts are not kept: none to show, none to move.
    let credit = ok(app.signed("GET", &format!("{TRANSFER}?balance_type=BALANCE_TYPE_CREDIT"), "", &m.creds).await);
    assert_eq!(credit, json!({"total_count": 0, "amount_infos": []}));
    let on_credit = json!({"customer_id": dev_id.as_str(), "amount": "1", "balance_type": "BALANCE_TYPE_CREDIT"});
    refused(&app.signed("POST", TRANSFER, &on_credit.to_string(), &m.creds).await, 400, "CBC.0100");
    // A unified member holds no funds of its own.
    let to_unified = json!({"customer_id": ops_id, "amount": "1"}).to_string();
    refused(&app.signed("POST", TRANSFER, &to_unified, &m.creds).await, 409, "CBC.99000053");
    refused(
        &app.signed("GET", &format!("{RETRIEVE}?sub_customer_id={ops_id}&{debit}"), "", &m.creds).await,
        409,
        "CBC.99000053",
    );

    // B1.11.1: enabling enterprise projects twice is one change.
    ok(app.signed("POST", "/v2/enterprises/enterprise-projects/authority", "", &m.creds).await);
    app.clock.advance(Millis(1000));
    ok(app.signed("POST", "/v2/enterprises/enterprise-projects/authority", "", &m.creds).await);
}

async fn ema_who_may_not_act_as_a_master_and_whose_members_stay_out_of_reach(db: TestStore) {
    let (app, ops) = world(db).await;
    let m = customer(&app, "acmegroup", true).await;
    let other = customer(&app, "betagroup", true).await;
    let individual = customer(&app, "solotrader", false).await;
    let p = partner(&app, "reseller-owner@example.com", "Owner Ltd").await;

    // EMA-1: an individual, or a partner's key, is refused.
    refused(&app.signed("GET", ORGS, "", &individual.creds).await, 403, "CBC.0151");
    refused(&app.signed("GET", ORGS, "", &p.creds).await, 403, "CBC.0151");
    assert_eq!(call(&app, "GET", UNITS, Value::Null, &individual.session).await.status, 403);

    let root = ok(app.signed("GET", ORGS, "", &m.creds).await)["root_id"].as_str().unwrap().to_owned();
    let body = member_body("acme-dev", &root, 0, json!({"use_pri_mobile_phone": "Y"}));
    // Another master's unit is no unit of this one.
    let foreign_root = ok(app.signed("GET", ORGS, "", &other.creds).await)["root_id"].as_str().unwrap().to_owned();
    let foreign = member_body("beta-dev", &root, 0, json!({"use_pri_mobile_phone": "Y"}));
    refused(&app.signed("POST", MEMBERS, &foreign, &other.creds).await, 400, "CBC.0100");
    assert_ne!(root, foreign_root);
    ok(app.signed("POST", MEMBERS, &body, &m.creds).await);
    let dev =
        ok(app.signed("GET", MEMBERS, "", &m.creds).await)["sub_customer_infos"][0]["id"].as_str().unwrap().to_owned();

    // Another master sees none of them, and cannot reach the member's funds.
    let theirs = ok(app.signed("GET", MEMBERS, "", &other.creds).await);
    assert_eq!(theirs, json!({"total_count": 0, "sub_customer_infos": []}));
    funds::record_customer_payment(&app.ctx, other.id.as_str(), money("5"), "", &ops).await.unwrap();
    let give = json!({"customer_id": dev, "amount": "1"}).to_string();
    refused(&app.signed("POST", TRANSFER, &give, &other.creds).await, 400, "CBC.99000035");
    let peek = format!("{RETRIEVE}?sub_customer_id={dev}&balance_type=BALANCE_TYPE_DEBIT");
    let r = app.signed("GET", &peek, "", &other.creds).await;
    refused(&r, 400, "CBC.99000035");
    assert!(!r.body.contains("amount_infos"));
    assert_eq!(balance(&app, &other.id).await, money("5"), "nothing moved");

    // A member cannot act as a master.
    let member_id = AccountId::parse(&dev).unwrap();
    let (key, secret) = admin::create_customer_key(&app.ctx, member_id.as_str(), "test").await.unwrap();
    let member = Credentials {
        access_key: key.id().as_str().to_owned(),
        secret_key: secret.expose().to_owned(),
        domain_id: dev,
    };
    refused(&app.signed("GET", ORGS, "", &member).await, 403, "CBC.0151");

    // The operator records no top-up for a reseller-model customer: its partner funds it.
    let (account, association, audit) = seed::customer("resold01", &p.id, AssociationModel::Reseller, app.clock.now());
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    let refused_top_up = funds::record_customer_payment(&app.ctx, account.id().as_str(), money("1"), "", &ops).await;
    assert!(refused_top_up.is_err());
    // The SMS code's timeout is checked.
    let sms = json!({"mobile_phone": "13900000001", "timeout": 61,
        "sm_template_args": [{"key": "sub_customer_name", "value": "x"}]});
    refused(&app.signed("POST", SMS, &sms.to_string(), &m.creds).await, 400, "CBC.0100");
}

/// A verified enterprise in the reseller model (its partner's coupons pay its spend), its
/// partner, and the id of its member `acme-ops` in unified accounting.
async fn reseller_master_with_unified_member(app: &TestApp) -> (opc_testkit::shop::Partner, Customer, String) {
    let p = partner(app, "channel@example.com", "Channel Ltd").await;
    let m = customer_with(app, &p.id, "acmegroup", AssociationModel::Reseller, |a| {
        a.display_name = Some("Acme Group".into());
        a.phone = Some("13800000000".into());
        a.account_type = AccountType::Enterprise;
        a.real_name = RealNameStatus::Verified;
    })
    .await;
    let root = ok(app.signed("GET", ORGS, "", &m.creds).await)["root_id"].as_str().unwrap().to_owned();
    let pri = json!({"use_pri_mobile_phone": "Y"});
    ok(app.signed("POST", MEMBERS, &member_body("acme-ops", &root, 1, pri), &m.creds).await);
    let members = ok(app.signed("GET", MEMBERS, "", &m.creds).await);
    let member = members["sub_customer_infos"][0]["id"].as_str().unwrap().to_owned();
    (p, m, member)
}

async fn ema_7_a_master_gives_part_of_its_coupon_to_a_unified_member_and_takes_back_the_rest(db: TestStore) {
    let (app, ops) = world(db).await;
    let (p, m, ops_id) = reseller_master_with_unified_member(&app).await;
    let pri = json!({"use_pri_mobile_phone": "Y"});
    let now = app.clock.now();
    let request = CouponRequest {
        face_value: money("100"),
        from: None,
        to: Some(now.plus(Millis::days(30))),
        limits: Limits::default(),
        memo: "Spring campaign".into(),
    };
    let mine = coupons::give_coupon(&app.ctx, &ops, p.id.as_str(), Some(m.id.as_str()), &request).await.unwrap();

    // B2.11.6: the master's own coupon is what it may give.
    let givable = ok(app.signed("GET", GIVABLE, "", &m.creds).await);
    assert_eq!(givable["total_count"], 1, "{givable}");
    let listed = &givable["avail_transfer_coupons"][0];
    assert_eq!((listed["coupon_id"].as_str(), listed["balance"].as_str()), (Some(mine.id.as_str()), Some("100")));
    assert_eq!(listed["plan_name"], "Spring campaign");

    // B2.11.1: part of it becomes the member's, once per trans_id, never more than is left.
    let give = |amount: &str, trans: &str| {
        json!({"customer_id": ops_id, "coupon_id": mine.id, "amount": amount, "trans_id": trans}).to_string()
    };
    refused(&app.signed("POST", GIVE_COUPON, &give("100.01", "g-0"), &m.creds).await, 400, "CBC.99000057");
    refused(&app.signed("POST", GIVE_COUPON, &give("0.001", "g-0"), &m.creds).await, 400, "CBC.0100");
    let first = ok(app.signed("POST", GIVE_COUPON, &give("30.25", "g-1"), &m.creds).await);
    app.clock.advance(Millis(1000));
    let again = ok(app.signed("POST", GIVE_COUPON, &give("30.25", "g-1"), &m.creds).await);
    let sub = first["sub_coupon_id"].as_str().unwrap().to_owned();
    assert_eq!(again["sub_coupon_id"], sub.as_str(), "the same request answers as the first time");
    let coupon = |holder: &str| {
        let query = CouponQuery { customer: Some(AccountId::parse(holder).unwrap()), ..CouponQuery::default() };
        let store = app.ctx.store.clone();
        async move { store.coupons(&query).await.unwrap() }
    };
    let masters = coupon(m.id.as_str()).await;
    assert_eq!(masters[0].balance, money("69.75"), "a trans_id moves once");
    let theirs = coupon(&ops_id).await;
    assert_eq!(theirs.len(), 1);
    assert_eq!(
        (theirs[0].balance, theirs[0].parent.as_deref(), &theirs[0].partner, theirs[0].validity),
        (money("30.25"), Some(mine.id.as_str()), &p.id, mine.validity)
    );

    // B2.11.5: what the master may take back from its member names both coupons.
    let takeable = ok(app.signed("GET", &format!("{TAKEABLE}?sub_customer_id={ops_id}"), "", &m.creds).await);
    assert_eq!(takeable["total_count"], 1, "{takeable}");
    let back = &takeable["avail_retrieve_coupons"][0];
    assert_eq!(
        (back["coupon_id"].as_str(), back["sub_coupon_id"].as_str(), back["balance"].as_str()),
        (Some(mine.id.as_str()), Some(sub.as_str()), Some("30.25"))
    );

    // B2.11.7: the whole rest goes back to the coupon it came from; no cent made or lost.
    let take =
        json!({"customer_id": ops_id, "coupon_id": mine.id, "sub_coupon_id": sub, "trans_id": "b-1"}).to_string();
    let taken = ok(app.signed("POST", TAKE_COUPON, &take, &m.creds).await);
    assert_eq!(taken["real_retrieve_amout"], "30.25");
    app.clock.advance(Millis(1000));
    assert_eq!(ok(app.signed("POST", TAKE_COUPON, &take, &m.creds).await)["real_retrieve_amout"], "30.25");
    assert_eq!(coupon(m.id.as_str()).await[0].balance, money("100"));
    assert_eq!(coupon(&ops_id).await[0].balance, Money::ZERO);
    let other = json!({"customer_id": ops_id, "coupon_id": mine.id, "sub_coupon_id": sub, "trans_id": "b-2"});
    refused(&app.signed("POST", TAKE_COUPON, &other.to_string(), &m.creds).await, 409, "CBC.99000053");
    let none = ok(app.signed("GET", &format!("{TAKEABLE}?sub_customer_id={ops_id}"), "", &m.creds).await);
    assert_eq!(none, json!({"total_count": 0, "avail_retrieve_coupons": []}));

    // The master's ledger shows both movements (B2.5.3).
    let changes = ok(app
        .signed("GET", "/v2/promotions/benefits/account-change-records?balance_type=BALANCE_TYPE_COUPON", "", &m.creds)
        .await);
    let kinds: Vec<(&str, &str)> = changes["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["trade_type"].as_str().unwrap_or(""), r["change_amount"].as_str().unwrap()))
        .collect();
    assert!(changes.to_string().contains("SOURCE_OPERATION_TRANSFER"), "{changes}");
    assert!(changes.to_string().contains("SOURCE_OPERATION_RETRIEVE"), "{changes}");
    assert!(kinds.iter().any(|(_, a)| *a == "-30.25") && kinds.iter().any(|(_, a)| *a == "30.25"), "{kinds:?}");

    // Another master's member, or another's coupon, answers with no data; an independent
    // member pays its own bills, so it gets no coupon.
    let other = customer(&app, "betagroup", true).await;
    let foreign = json!({"customer_id": ops_id, "coupon_id": mine.id, "amount": "1"}).to_string();
    refused(&app.signed("POST", GIVE_COUPON, &foreign, &other.creds).await, 400, "CBC.99000035");
    let r = app.signed("GET", &format!("{TAKEABLE}?sub_customer_id={ops_id}"), "", &other.creds).await;
    refused(&r, 400, "CBC.99000035");
    assert!(!r.body.contains("avail_retrieve_coupons"));
    let other_root = ok(app.signed("GET", ORGS, "", &other.creds).await)["root_id"].as_str().unwrap().to_owned();
    ok(app.signed("POST", MEMBERS, &member_body("beta-dev", &other_root, 0, pri), &other.creds).await);
    let dev = ok(app.signed("GET", MEMBERS, "", &other.creds).await)["sub_customer_infos"][0]["id"].clone();
    let to_independent = json!({"customer_id": dev, "coupon_id": mine.id, "amount": "1"}).to_string();
    refused(&app.signed("POST", GIVE_COUPON, &to_independent, &other.creds).await, 409, "CBC.99000053");
    let unknown = json!({"customer_id": ops_id, "coupon_id": "nope", "amount": "1"}).to_string();
    refused(&app.signed("POST", GIVE_COUPON, &unknown, &m.creds).await, 404, "CBC.99000054");
    assert_eq!(coupon(m.id.as_str()).await[0].balance, money("100"), "nothing moved");
}

/// EMA-3 with EMA-7: a reseller master's unified member is paid for through its master, so its
/// usage is the partner's spend, on the partner's bill, where the coupon its master gave it
/// pays its lines (and only its lines).
async fn ema_3_ema_7_a_unified_members_spend_reaches_the_masters_partners_bill_where_its_coupon_pays(db: TestStore) {
    use opc_domain::bill::Payer;
    use opc_domain::usage::Cycle;
    let (app, ops) = world(db).await;
    let catalog = opc_store::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
    let (p, m, member) = reseller_master_with_unified_member(&app).await;
    let member = AccountId::parse(&member).unwrap();
    let request = CouponRequest {
        face_value: money("1"),
        from: None,
        to: Some(app.clock.now().plus(Millis::days(60))),
        limits: Limits::default(),
        memo: String::new(),
    };
    let mine = coupons::give_coupon(&app.ctx, &ops, p.id.as_str(), Some(m.id.as_str()), &request).await.unwrap();
    let give = json!({"customer_id": member.as_str(), "coupon_id": mine.id, "amount": "0.05"}).to_string();
    ok(app.signed("POST", GIVE_COUPON, &give, &m.creds).await);

    // 0.0125 an hour: the member uses 0.125, the master 0.05.
    let records = [(&member, 10), (&m.id, 4)]
        .iter()
        .enumerate()
        .map(|(i, (c, hours))| (i, seed::vm_usage(format!("u-{i}"), c, format!("vm-{i}"), *hours, app.clock.now())))
        .collect();
    opc_core::ops::usage::ingest(&app.ctx, "ops", records, vec![]).await.unwrap();
    let march = Cycle(202603);
    assert_eq!(Cycle::of(app.clock.now(), app.ctx.policy.billing_offset), march);
    app.clock.set(opc_domain::Timestamp::from_utc(2026, 4, 5, 4, 0, 0).unwrap());
    opc_core::ops::bills::run(&app.ctx, march, "test", |_| ()).await.unwrap().unwrap();

    let members_bills = app.ctx.store.customer_bills(&member, march).await.unwrap();
    assert_eq!(members_bills[0].payer, Payer::Partner(p.id.clone()), "EMA-3: paid through its reseller master");
    let lines = app.ctx.store.partner_bill_lines(&p.id, march).await.unwrap();
    let line = |c: &AccountId| lines.iter().find(|l| &l.customer == c).unwrap().clone();
    let (theirs, masters) = (line(&member), line(&m.id));
    assert_eq!((theirs.official, theirs.coupon), (money("0.125"), money("0.05")), "its coupon paid its line");
    assert_eq!((masters.official, masters.coupon), (money("0.05"), money("0.05")), "the master's paid the master's");
    let left = app.ctx.store.coupons(&CouponQuery { customer: Some(member), ..CouponQuery::default() }).await.unwrap();
    assert_eq!(left[0].balance, Money::ZERO);
}
