//! Reseller customer management over the BSS API, through the real router on both backends:
//! creation, verification codes, budgets, freezes, and tenancy on every read and write.

use opc_core::store::AuditQuery;
use opc_domain::association::AssociationModel;
use opc_domain::audit::Action;
use opc_domain::partner::Program;
use opc_domain::Millis;
use opc_testkit::app::{TestApp, TestResponse, T0};
use opc_testkit::sign::Credentials;
use opc_testkit::{on_both_backends, seed, TestStore};
use serde_json::{json, Value};

const CREATE: &str = "/v2/partners/sub-customers";
const LIST: &str = "/v2/partners/sub-customers/query";
const BUDGET: &str = "/v2/partners/sub-customers/budget";
const BUDGETS: &str = "/v2/partners/sub-customers/budget/query";
const RECORDS: &str = "/v2/partners/sub-customers/budget/records";
const FREEZE: &str = "/v2/partners/sub-customers/freeze";
const UNFREEZE: &str = "/v2/partners/sub-customers/unfreeze";
const CODE: &str = "/v2/bases/verificationcode/send";
const CHECK: &str = "/v2/partners/sub-customers/users/check-identity";

on_both_backends!(
    r_rcm_02_a_new_customer_is_frozen_until_its_partner_budgets_and_unfreezes_it,
    create_sub_customer_validates_every_field,
    verification_codes_are_checked_consumed_and_expire,
    r_dist_02_a_distributor_creates_and_manages_customers_only_through_its_resellers,
    budgets_validate_and_stay_in_tenancy,
    freezes_apply_per_id_and_report_failures,
    check_user_identity_answers_available_or_used,
);

async fn post(app: &TestApp, creds: &Credentials, path: &str, body: Value) -> TestResponse {
    app.signed("POST", path, &body.to_string(), creds).await
}

async fn get(app: &TestApp, creds: &Credentials, target: &str) -> TestResponse {
    app.signed("GET", target, "", creds).await
}

fn customer_body(name: &str) -> Value {
    json!({"domain_name": name, "domain_area": "SG", "xaccount_id": format!("x-{name}"), "xaccount_type": "acme_platform"})
}

/// Creates a customer and returns its id.
async fn create(app: &TestApp, creds: &Credentials, body: Value) -> String {
    let r = post(app, creds, CREATE, body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["domain_id"].as_str().unwrap().to_owned()
}

async fn listed(app: &TestApp, creds: &Credentials, id: &str) -> Value {
    let r = post(app, creds, LIST, json!({"customer_id": id})).await.json();
    assert_eq!(r["count"], 1, "{r}");
    r["customer_infos"][0].clone()
}

async fn audit_count(app: &TestApp, action: Action) -> usize {
    let all = app.ctx.store.audit_events(&AuditQuery { limit: 10_000, ..AuditQuery::default() }).await.unwrap();
    all.iter().filter(|e| e.action == action).count()
}

async fn r_rcm_02_a_new_customer_is_frozen_until_its_partner_budgets_and_unfreezes_it(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    let r = post(&app, &creds, CREATE, customer_body("newcust01")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.json()["domain_id"].as_str().unwrap().to_owned();
    assert_eq!(r.json()["domain_name"], "newcust01");
    let info = listed(&app, &creds, &id).await;
    assert_eq!((info["association_type"].as_str(), info["is_frozen"].as_i64()), (Some("3"), Some(1)), "R-ASSOC-23");
    assert_eq!(info["xaccount_id"], "x-newcust01");

    let r = get(&app, &creds, &format!("{BUDGET}?customer_id={id}")).await;
    assert_eq!(r.body, r#"{"used_amount":0,"measure_id":1,"currency":"USD"}"#, "no budget yet");

    let r =
        post(&app, &creds, BUDGET, json!({"customer_id": id, "budget_amount": 100.00, "cancel_partner_frozen": "1"}))
            .await;
    assert_eq!((r.status.as_u16(), r.body.as_str()), (200, "{}"));
    assert_eq!(listed(&app, &creds, &id).await["is_frozen"], 0, "R-RCM-03: unfrozen with the budget");
    let r = get(&app, &creds, &format!("{BUDGET}?customer_id={id}")).await;
    assert_eq!(
        r.body,
        r#"{"budget_amount":100,"used_amount":0,"measure_id":1,"currency":"USD","budget_type":"MONTHLY"}"#
    );
    let records = get(&app, &creds, &format!("{RECORDS}?customer_id={id}")).await.json();
    assert_eq!(records["total_count"], 1);
    let record = &records["record_list"][0];
    assert_eq!((record["operation_type"].as_str(), record["budget_type"].as_str()), (Some("SETTING"), Some("MONTHLY")));
    assert_eq!(record["operation_time"], T0.to_rfc3339());
    assert_eq!(record["operator"], p.account.name().as_str());
    assert_eq!(record["partner_corp_name"], "Acme Ltd");
    assert_eq!(audit_count(&app, Action::BudgetSet).await, 1);
    assert_eq!(audit_count(&app, Action::CustomerUnfrozen).await, 1);
    assert_eq!(audit_count(&app, Action::CustomerAssociated).await, 1);

    // The China-site variant (BssClient) sends cooperation_type and mobile_phone and no
    // domain_area; cooperation_type 1 is the referral model, which is not frozen.
    let china = json!({"domain_name": "china001", "xaccount_id": "x3", "xaccount_type": "acme", "cooperation_type": "1", "mobile_phone": "13800000000"});
    let id = create(&app, &creds, china).await;
    let info = listed(&app, &creds, &id).await;
    assert_eq!(
        (info["association_type"].as_str(), info["is_frozen"].as_i64(), info["telephone"].as_str()),
        (Some("1"), Some(0), Some("13800000000"))
    );

    // A random 32-character name when none is given.
    let r = post(&app, &creds, CREATE, json!({"domain_area": "SG", "xaccount_id": "x2", "xaccount_type": "acme"}))
        .await
        .json();
    assert_eq!(r["domain_name"].as_str().unwrap().len(), 32);
}

async fn create_sub_customer_validates_every_field(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    create(&app, &creds, customer_body("taken001")).await;
    let with = |field: &str, value: Value| {
        let mut body = customer_body("fresh001");
        body[field] = value;
        body
    };
    let without = |field: &str| {
        let mut body = customer_body("fresh001");
        body.as_object_mut().unwrap().remove(field);
        body
    };
    let cases = [
        (with("domain_name", json!("abcd")), "domain_name"),
        (with("domain_name", json!("op_abcde")), "domain_name"),
        (with("domain_name", json!("shadow_abc")), "domain_name"),
        (with("domain_name", json!("12345678")), "domain_name"),
        (with("domain_name", json!("a".repeat(33))), "domain_name"),
        (with("domain_name", json!("ab cde")), "domain_name"),
        (without("domain_area"), "domain_area"),
        (with("domain_area", json!("sgp")), "domain_area"),
        (without("xaccount_id"), "xaccount_id"),
        (with("xaccount_type", json!("x".repeat(65))), "xaccount_type"),
        (with("email", json!("not-an-email")), "email"),
        (with("password", json!("short1A")), "password"),
        (with("password", json!("alllowercase")), "password"),
        (with("password", json!("fresh001")), "password"),
        (with("is_close_market_ms", json!("maybe")), "is_close_market_ms"),
    ];
    for (body, field) in cases {
        let msg = post(&app, &creds, CREATE, body.clone()).await.assert_error(400, "CBC.0100");
        assert!(msg.contains(field), "{body}: {msg}");
    }
    // A second later: the same request within the same second would be a replay of the first,
    // answered with its answer (issue 18, item 8).
    app.clock.advance(Millis(1000));
    let msg = post(&app, &creds, CREATE, customer_body("taken001")).await.assert_error(400, "CBC.99000047");
    assert!(msg.contains("domain_name"), "{msg}");
    let msg = post(&app, &creds, CREATE, customer_body("TAKEN001")).await.assert_error(400, "CBC.99000047");
    assert!(msg.contains("domain_name"), "names are unique regardless of case: {msg}");
    assert_eq!(post(&app, &creds, LIST, json!({})).await.json()["count"], 1, "nothing was created");
}

async fn verification_codes_are_checked_consumed_and_expire(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    let send = |email: &str, extra: Value| {
        let mut body = json!({"receiver_type": 2, "email": email});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let latest_code = |email: String| {
        let store = app.ctx.store.clone();
        async move {
            let n = store.notifications(Some(&email), 1).await.unwrap().pop().expect("a queued email");
            n.body.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).expect("a six-digit code").to_owned()
        }
    };
    for (body, field) in [
        (send("a@example.com", json!({"receiver_type": 1})), "receiver_type"),
        (json!({"receiver_type": 2}), "email"),
        (send("nope", json!({})), "email"),
        (send("a@example.com", json!({"lang": "fr-fr"})), "lang"),
        (send("a@example.com", json!({"timeout": 0})), "timeout"),
    ] {
        let msg = post(&app, &creds, CODE, body).await.assert_error(400, "CBC.0100");
        assert!(msg.contains(field), "{msg}");
    }
    let r = post(&app, &creds, CODE, send(" new@example.com ", json!({"lang": "en-us"}))).await;
    assert_eq!((r.status.as_u16(), r.body.as_str()), (200, "{}"));
    let code = latest_code("new@example.com".into()).await;
    let body = |code: Option<&str>| {
        let mut b = customer_body("mailcust1");
        b["email"] = json!("new@example.com");
        if let Some(c) = code {
            b["verification_code"] = json!(c);
        }
        b
    };
    post(&app, &creds, CREATE, body(None)).await.assert_error(400, "CBC.99000048");
    let wrong = if code == "000000" { "000001" } else { "000000" };
    post(&app, &creds, CREATE, body(Some(wrong))).await.assert_error(400, "CBC.99000048");
    let id = create(&app, &creds, body(Some(&code))).await;
    assert_eq!(listed(&app, &creds, &id).await["email"], "new@example.com");
    let association_mail = app.ctx.store.notifications(Some("new@example.com"), 1).await.unwrap().pop().unwrap();
    assert!(association_mail.subject.contains("associated"), "R-ASSOC-21: {association_mail:?}");
    // The email is now taken, and the code was used up.
    let mut again = body(Some(&code));
    again["domain_name"] = json!("mailcust2");
    post(&app, &creds, CREATE, again).await.assert_error(400, "CBC.99000047");

    // A timeout over 60 minutes is fixed to 5 minutes.
    post(&app, &creds, CODE, send("late@example.com", json!({"timeout": 600, "lang": "zh-cn"}))).await;
    let code = latest_code("late@example.com".into()).await;
    app.clock.advance(Millis::minutes(5));
    let mut late = customer_body("latecust1");
    late["email"] = json!("late@example.com");
    late["verification_code"] = json!(code);
    post(&app, &creds, CREATE, late).await.assert_error(400, "CBC.99000048");
}

async fn r_dist_02_a_distributor_creates_and_manages_customers_only_through_its_resellers(db: TestStore) {
    let app = TestApp::new(db).await;
    let distributor = app.partner("Distri Ltd", Program::DistributionPartner, None).await;
    let reseller = app.partner("Resell Ltd", Program::Reseller, Some(distributor.partner.id())).await;
    let stranger = app.partner("Other Distri", Program::DistributionPartner, None).await;
    let strangers_reseller = app.partner("Other Resell", Program::Reseller, Some(stranger.partner.id())).await;
    let d = TestApp::credentials(&distributor);

    post(&app, &d, CREATE, customer_body("distcust1")).await.assert_error(403, "CBC.99000046");
    let mut body = customer_body("distcust1");
    body["indirect_partner_id"] = json!(reseller.partner.id().as_str());
    let id = create(&app, &d, body.clone()).await;
    let r = TestApp::credentials(&reseller);
    assert_eq!(listed(&app, &r, &id).await["is_frozen"], 1, "the customer is the reseller's");
    assert_eq!(post(&app, &d, LIST, json!({})).await.json()["count"], 0);

    body["indirect_partner_id"] = json!(strangers_reseller.partner.id().as_str());
    body["domain_name"] = json!("distcust2");
    post(&app, &d, CREATE, body).await.assert_error(400, "CBC.99000037");

    // The distributor budgets and unfreezes its reseller's customer by naming the reseller.
    let set = json!({"customer_id": id, "budget_amount": 50, "cancel_partner_frozen": "1", "indirect_partner_id": reseller.partner.id().as_str()});
    assert_eq!(post(&app, &d, BUDGET, set.clone()).await.status, 200);
    assert_eq!(listed(&app, &r, &id).await["is_frozen"], 0);
    let shown =
        get(&app, &d, &format!("{BUDGET}?customer_id={id}&indirect_partner_id={}", reseller.partner.id())).await.json();
    assert_eq!(shown["budget_amount"], 50);
    // Without naming the reseller, the customer is not the distributor's.
    get(&app, &d, &format!("{BUDGET}?customer_id={id}")).await.assert_error(400, "CBC.99000035");
    // A stranger distributor cannot reach it in any way.
    let s = TestApp::credentials(&stranger);
    let mut foreign = set.clone();
    foreign["indirect_partner_id"] = json!(reseller.partner.id().as_str());
    post(&app, &s, BUDGET, foreign).await.assert_error(400, "CBC.99000037");
}

async fn budgets_validate_and_stay_in_tenancy(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let other = app.partner("Other Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    let mine = create(&app, &creds, customer_body("budget01")).await;
    let theirs = create(&app, &TestApp::credentials(&other), customer_body("budget02")).await;
    let (referral, association, audit) = seed::customer("referral1", p.partner.id(), AssociationModel::Referral, T0);
    app.ctx.store.insert_customer(&referral, &association, &[audit]).await.unwrap();

    for (amount, why) in [
        (json!(0), "zero"),
        (json!(-1), "negative"),
        (json!(100.001), "three decimals"),
        (json!(2147483647.01), "over the maximum"),
        (json!("100"), "a string"),
    ] {
        let r = post(&app, &creds, BUDGET, json!({"customer_id": mine, "budget_amount": amount})).await;
        let msg = r.assert_error(400, "CBC.0100");
        assert!(msg.contains("budget_amount"), "{why}: {msg}");
    }
    let exponent = format!(r#"{{"customer_id": "{mine}", "budget_amount": 1E+2}}"#);
    app.signed("POST", BUDGET, &exponent, &creds).await.assert_error(400, "CBC.0100");
    for (body, field) in [
        (json!({"budget_amount": 1}), "customer_id"),
        (json!({"customer_id": mine}), "budget_amount"),
        (json!({"customer_id": mine, "budget_amount": 1, "budget_type": "YEARLY"}), "budget_type"),
        (json!({"customer_id": mine, "budget_amount": 1, "cancel_partner_frozen": "2"}), "cancel_partner_frozen"),
        (json!({"customer_id": mine, "budget_amount": 1, "frozen_operate_type": 3}), "frozen_operate_type"),
    ] {
        let msg = post(&app, &creds, BUDGET, body).await.assert_error(400, "CBC.0100");
        assert!(msg.contains(field), "{msg}");
    }

    // Foreign and referral customers: refused, nothing written.
    post(&app, &creds, BUDGET, json!({"customer_id": theirs, "budget_amount": 10}))
        .await
        .assert_error(400, "CBC.99000035");
    post(&app, &creds, BUDGET, json!({"customer_id": "ffffffffffffffffffffffffffffffff", "budget_amount": 10}))
        .await
        .assert_error(400, "CBC.99000035");
    post(&app, &creds, BUDGET, json!({"customer_id": referral.id().as_str(), "budget_amount": 10}))
        .await
        .assert_error(400, "CBC.99000036");
    get(&app, &creds, &format!("{BUDGET}?customer_id={theirs}")).await.assert_error(400, "CBC.99000035");
    get(&app, &creds, &format!("{RECORDS}?customer_id={theirs}")).await.assert_error(400, "CBC.99000035");
    assert_eq!(audit_count(&app, Action::BudgetSet).await, 0);

    // PACKAGE, then MONTHLY with auto-freeze: each change is a record, newest first.
    post(
        &app,
        &creds,
        BUDGET,
        json!({"customer_id": mine, "budget_amount": 12.5, "budget_type": "PACKAGE", "frozen_operate_type": 1}),
    )
    .await;
    post(&app, &creds, BUDGET, json!({"customer_id": mine, "budget_amount": 2147483647})).await;
    let shown = get(&app, &creds, &format!("{BUDGET}?customer_id={mine}")).await.json();
    assert_eq!((shown["budget_amount"].as_i64(), shown["budget_type"].as_str()), (Some(2147483647), Some("MONTHLY")));
    let budget = app.ctx.store.budget(&opc_domain::AccountId::parse(&mine).unwrap()).await.unwrap().unwrap();
    assert_eq!(budget.auto_freeze(), Some(true), "an absent frozen_operate_type keeps the earlier choice");
    assert_eq!(listed(&app, &creds, &mine).await["is_frozen"], 1, "without cancel_partner_frozen the freeze stays");
    let records = get(&app, &creds, &format!("{RECORDS}?customer_id={mine}&limit=1")).await.json();
    assert_eq!(records["total_count"], 2);
    assert_eq!(records["record_list"].as_array().unwrap().len(), 1);
    assert_eq!(records["record_list"][0]["budget_type"], "MONTHLY");
    let package = get(&app, &creds, &format!("{RECORDS}?customer_id={mine}&budget_type=PACKAGE")).await.json();
    assert_eq!(
        (package["total_count"].as_i64(), package["record_list"][0]["budget_amount"].as_f64().map(|_| ())),
        (Some(1), Some(()))
    );
    assert!(get(&app, &creds, &format!("{RECORDS}?customer_id={mine}&budget_type=PACKAGE"))
        .await
        .body
        .contains(r#""budget_amount":12.5"#));
    let deleted = get(&app, &creds, &format!("{RECORDS}?customer_id={mine}&operation_type=DELETE")).await.json();
    assert_eq!(deleted["total_count"], 0);
    for bad in ["operation_type=SET", "budget_type=", "limit=0", "limit=101", "offset=-1", "limit=x"] {
        get(&app, &creds, &format!("{RECORDS}?customer_id={mine}&{bad}")).await.assert_error(400, "CBC.0100");
    }
    get(&app, &creds, RECORDS).await.assert_error(400, "CBC.0100");

    // The batch read leaves out what is not the caller's reseller customer with a budget.
    let list = post(&app, &creds, BUDGETS, json!({"customer_ids": [mine, theirs, referral.id().as_str(), "zzz"]}))
        .await
        .json();
    assert_eq!(list["budget_infos"].as_array().unwrap().len(), 1);
    assert_eq!(list["budget_infos"][0]["customer_id"], mine.as_str());
    assert_eq!(list["currency"], "USD");
    let too_many: Vec<String> = (0..101).map(|i| format!("id{i}")).collect();
    post(&app, &creds, BUDGETS, json!({"customer_ids": too_many})).await.assert_error(400, "CBC.0100");
    post(&app, &creds, BUDGETS, json!({"customer_ids": []})).await.assert_error(400, "CBC.0100");
}

async fn freezes_apply_per_id_and_report_failures(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let other = app.partner("Other Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    let a = create(&app, &creds, customer_body("freeze01")).await;
    let b = create(&app, &creds, customer_body("freeze02")).await;
    let theirs = create(&app, &TestApp::credentials(&other), customer_body("freeze03")).await;
    let (referral, association, audit) = seed::customer("freeze04", p.partner.id(), AssociationModel::Referral, T0);
    app.ctx.store.insert_customer(&referral, &association, &[audit]).await.unwrap();

    // Both start frozen (account only). Unfreeze a with the wrong type, then the right one.
    let r = post(
        &app,
        &creds,
        UNFREEZE,
        json!({"customer_ids": [a], "reason": "go", "unfreeze_type": "ACCOUNT_AND_RESOURCE"}),
    )
    .await
    .json();
    assert_eq!(r["error_details"][0]["error_code"], "CBC.99000042");
    let r = post(
        &app,
        &creds,
        UNFREEZE,
        json!({"customer_ids": [a, theirs, referral.id().as_str(), "bogus"], "reason": "go"}),
    )
    .await;
    assert_eq!(r.status, 200);
    let codes: Vec<(String, String)> = r.json()["error_details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["id"].as_str().unwrap().to_owned(), d["error_code"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        codes,
        [
            (theirs.clone(), "CBC.99000035".to_owned()),
            (referral.id().as_str().to_owned(), "CBC.99000036".to_owned()),
            ("bogus".to_owned(), "CBC.99000035".to_owned())
        ]
    );
    assert_eq!(listed(&app, &creds, &a).await["is_frozen"], 0, "the valid id was applied");
    assert_eq!(listed(&app, &TestApp::credentials(&other), &theirs).await["is_frozen"], 1, "the foreign one was not");
    let r = post(&app, &creds, UNFREEZE, json!({"customer_ids": [a], "reason": "again"})).await.json();
    assert_eq!(r["error_details"][0]["error_code"], "CBC.99000041");

    // Freeze: a (active) freezes; b (frozen, account only) widens to resources; again is refused.
    let r = post(&app, &creds, FREEZE, json!({"customer_ids": [a, a], "reason": "overdue"})).await;
    assert_eq!(r.body, "{}", "a duplicate id is applied once");
    let r = post(
        &app,
        &creds,
        FREEZE,
        json!({"customer_ids": [b], "reason": "abuse", "freeze_type": "ACCOUNT_AND_RESOURCE"}),
    )
    .await;
    assert_eq!(r.body, "{}");
    let r = post(&app, &creds, FREEZE, json!({"customer_ids": [a, b], "reason": "again"})).await.json();
    let codes: Vec<&str> =
        r["error_details"].as_array().unwrap().iter().map(|d| d["error_code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["CBC.99000040", "CBC.99000040"]);
    let r = post(
        &app,
        &creds,
        UNFREEZE,
        json!({"customer_ids": [b], "reason": "ok", "unfreeze_type": "ACCOUNT_AND_RESOURCE"}),
    )
    .await;
    assert_eq!(r.body, "{}");
    assert_eq!(audit_count(&app, Action::CustomerFrozen).await, 2);
    assert_eq!(audit_count(&app, Action::CustomerUnfrozen).await, 2);

    let eleven: Vec<String> = (0..11).map(|i| format!("id{i}")).collect();
    for (body, field) in [
        (json!({"customer_ids": eleven, "reason": "x"}), "customer_ids"),
        (json!({"customer_ids": [], "reason": "x"}), "customer_ids"),
        (json!({"customer_ids": [a]}), "reason"),
        (json!({"customer_ids": [a], "reason": "  "}), "reason"),
        (json!({"customer_ids": [a], "reason": "x".repeat(513)}), "reason"),
        (json!({"customer_ids": [a], "reason": "x", "freeze_type": "RESOURCE"}), "freeze_type"),
    ] {
        let msg = post(&app, &creds, FREEZE, body).await.assert_error(400, "CBC.0100");
        assert!(msg.contains(field), "{msg}");
    }
}

async fn check_user_identity_answers_available_or_used(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    create(&app, &creds, customer_body("known001")).await;
    let check = |t: &str, v: &str| json!({"search_type": t, "search_value": v});
    for (body, expected) in [
        (check("name", "known001"), "used_by_user"),
        (check("name", "KNOWN001"), "used_by_user"),
        (check("name", "unknown01"), "available"),
        (check("email", "free@example.com"), "available"),
        (check("mobile", "0065-61234567"), "available"),
    ] {
        let r = post(&app, &creds, CHECK, body.clone()).await;
        assert_eq!(r.json()["check_result"], expected, "{body}");
    }
    for body in [
        check("name", "op_abcdef"),
        check("email", "x"),
        check("mobile", "61234567"),
        check("phone", "1"),
        check("name", ""),
    ] {
        post(&app, &creds, CHECK, body).await.assert_error(400, "CBC.0100");
    }
}
