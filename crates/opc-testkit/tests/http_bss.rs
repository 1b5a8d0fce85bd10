//! The partner API through the real router, on both backends: authentication (every worked
//! failure of spec/BSS-API.md A.4), the error envelope, and `list_sub_customers`.

use opc_core::store::AuditQuery;
use opc_domain::association::AssociationModel;
use opc_domain::partner::Program;
use opc_domain::signature::MAX_CLOCK_SKEW;
use opc_domain::Millis;
use opc_testkit::app::{TestApp, T0};
use opc_testkit::sign::{self, Credentials};
use opc_testkit::{on_both_backends, seed, TestStore};

type Headers = Vec<(String, String)>;

const LIST: &str = "/v2/partners/sub-customers/query";

on_both_backends!(
    a_new_partner_has_no_customers,
    refused_signatures_get_401_and_touch_nothing,
    a_revoked_key_is_refused,
    a_declared_payload_hash_must_be_the_bodys,
    undecodable_path_parameters_are_answered_in_the_envelope,
    the_envelope_answers_bad_input_routes_and_methods,
    list_sub_customers_filters_pages_and_stays_in_tenancy,
    a_distributor_reads_only_its_own_resellers_customers,
);

async fn a_new_partner_has_no_customers(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let r = app.signed("POST", LIST, r#"{"offset": 0, "limit": 10}"#, &TestApp::credentials(&p)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body, r#"{"customer_infos":[],"count":0}"#);
    assert_eq!(r.request_id().len(), 32);
    let r = app.signed("POST", LIST, "", &TestApp::credentials(&p)).await;
    assert_eq!(r.body, r#"{"customer_infos":[],"count":0}"#, "no body reads as the defaults");
}

async fn refused_signatures_get_401_and_touch_nothing(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let other = app.partner("Other Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    let body = r#"{"offset": 0, "limit": 10}"#;
    let date = T0.to_sdk_date();
    let good = sign::sdk_headers("POST", LIST, body.as_bytes(), &creds, &date);
    let audit_before = app.ctx.store.audit_events(&AuditQuery { limit: 1000, ..AuditQuery::default() }).await.unwrap();

    let without = |name: &str| good.iter().filter(|(n, _)| !n.eq_ignore_ascii_case(name)).cloned().collect::<Vec<_>>();
    let replaced = |name: &str, value: &str| {
        good.iter()
            .map(
                |(n, v)| {
                    if n.eq_ignore_ascii_case(name) {
                        (n.clone(), value.to_owned())
                    } else {
                        (n.clone(), v.clone())
                    }
                },
            )
            .collect::<Vec<_>>()
    };
    let resigned = |creds: &Credentials, date: &str| sign::sdk_headers("POST", LIST, body.as_bytes(), creds, date);
    let auth = good.iter().find(|(n, _)| n == "Authorization").unwrap().1.clone();

    let cases: Vec<(&str, Headers, &str)> = vec![
        ("no Authorization", without("Authorization"), "Authentication required"),
        (
            "another algorithm",
            replaced("Authorization", &auth.replace("SDK-HMAC-SHA256", "SDK-HMAC-SM3")),
            "not an SDK-HMAC-SHA256",
        ),
        ("no Signature part", replaced("Authorization", auth.split(", Signature=").next().unwrap()), "malformed"),
        (
            "unknown access key",
            resigned(&Credentials { access_key: "UNKNOWNAK0000000000".into(), ..creds.clone() }, &date),
            "does not exist",
        ),
        (
            "wrong secret key",
            resigned(&Credentials { secret_key: "x".repeat(40), ..creds.clone() }, &date),
            "does not match",
        ),
        ("tampered user agent", replaced("User-Agent", "curl/8"), "does not match"),
        ("unsigned date", without("X-Sdk-Date"), "X-Sdk-Date"),
        ("malformed date", resigned(&creds, "2026-03-01T08:00:00Z"), "format"),
        ("stale date", resigned(&creds, &T0.plus(Millis(-MAX_CLOCK_SKEW.0 - 1000)).to_sdk_date()), "15 minutes"),
        ("future date", resigned(&creds, &T0.plus(Millis(MAX_CLOCK_SKEW.0 + 1000)).to_sdk_date()), "15 minutes"),
        (
            "another partner's domain",
            resigned(&Credentials { domain_id: other.account.id().as_str().into(), ..creds.clone() }, &date),
            "X-Domain-Id",
        ),
    ];
    for (case, headers, message) in cases {
        let r = app.send("POST", LIST, body, &headers).await;
        let msg = r.assert_error(401, "CBC.0154");
        assert!(msg.contains(message), "{case}: {msg}");
        assert!(!r.body.contains("customer_infos"), "{case}: no data");
    }

    // The body is part of the signature: the same headers over another body are refused.
    let r = app.send("POST", LIST, r#"{"offset": 1, "limit": 10}"#, &good).await;
    r.assert_error(401, "CBC.0154");
    // An X-Domain-Id that is sent but not signed is not trusted.
    let mut unsigned_domain = without("Authorization");
    let domain_value = unsigned_domain.iter().find(|(n, _)| n == "X-Domain-Id").unwrap().1.clone();
    unsigned_domain.retain(|(n, _)| n != "X-Domain-Id");
    let a = sign::authorization("POST", LIST, body.as_bytes(), &unsigned_domain, &creds);
    unsigned_domain.push(("X-Domain-Id".into(), domain_value));
    unsigned_domain.push(("Authorization".into(), a));
    app.send("POST", LIST, body, &unsigned_domain).await.assert_error(401, "CBC.0154");

    // The good request, at the edge of the allowed skew, still works.
    app.clock.advance(MAX_CLOCK_SKEW);
    assert_eq!(app.send("POST", LIST, body, &good).await.status, 200);
    let audit_after = app.ctx.store.audit_events(&AuditQuery { limit: 1000, ..AuditQuery::default() }).await.unwrap();
    assert_eq!(audit_before, audit_after, "refused requests change nothing");
}

/// Issue 18: the signature covers `X-Sdk-Content-Sha256` in place of the body, so the header
/// is only believed when it is the body's hash; otherwise signed headers would carry any body.
async fn a_declared_payload_hash_must_be_the_bodys(db: TestStore) {
    use sha2::{Digest, Sha256};
    const BUDGET: &str = "/v2/partners/sub-customers/budget";
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let (account, association, audit) = seed::customer("cust0001", p.partner.id(), AssociationModel::Reseller, T0);
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    let creds = TestApp::credentials(&p);
    let budget = |amount: u32| {
        format!(r#"{{"customer_id":"{}","budget_amount":{amount},"budget_type":"MONTHLY"}}"#, account.id())
    };
    let signed_body = budget(100);
    let good = sign::sdk_headers("POST", BUDGET, signed_body.as_bytes(), &creds, &T0.to_sdk_date());
    assert_eq!(app.send("POST", BUDGET, &signed_body, &good).await.status, 200);
    let amount = |app: &TestApp| {
        let id = account.id().clone();
        let store = app.ctx.store.clone();
        async move { store.budget(&id).await.unwrap().map(|b| b.amount().to_plain_string()) }
    };
    assert_eq!(amount(&app).await.as_deref(), Some("100"));

    // The signed body's hash declared over another body, in either case: refused as a bad
    // signature, and the budget stays.
    let signed_sha256 = hex::encode(Sha256::digest(signed_body.as_bytes()));
    for declared in [signed_sha256.clone(), signed_sha256.to_uppercase()] {
        let mut forged = good.clone();
        forged.push(("X-Sdk-Content-Sha256".into(), declared));
        let msg = app.send("POST", BUDGET, &budget(99999), &forged).await.assert_error(401, "CBC.0154");
        assert!(msg.contains("X-Sdk-Content-Sha256"), "{msg}");
    }
    let mut unsigned = good.clone();
    unsigned.push(("X-Sdk-Content-Sha256".into(), "UNSIGNED-PAYLOAD".into()));
    app.send("POST", BUDGET, &budget(99999), &unsigned).await.assert_error(401, "CBC.0154");
    assert_eq!(amount(&app).await.as_deref(), Some("100"));

    // The body's own hash, signed (uppercase hex included), is what the SDK may send.
    let body = budget(200);
    let mut declared: Headers = good.iter().filter(|(n, _)| n != "Authorization").cloned().collect();
    declared.push(("X-Sdk-Content-Sha256".into(), hex::encode(Sha256::digest(body.as_bytes())).to_uppercase()));
    let authorization = sign::authorization("POST", BUDGET, body.as_bytes(), &declared, &creds);
    declared.push(("Authorization".into(), authorization));
    assert_eq!(app.send("POST", BUDGET, &body, &declared).await.status, 200);
    assert_eq!(amount(&app).await.as_deref(), Some("200"));
    // UNSIGNED-PAYLOAD without a body, signed.
    let mut empty: Headers = good.iter().filter(|(n, _)| n != "Authorization").cloned().collect();
    empty.push(("X-Sdk-Content-Sha256".into(), "UNSIGNED-PAYLOAD".into()));
    let authorization = sign::authorization("POST", LIST, b"", &empty, &creds);
    empty.push(("Authorization".into(), authorization));
    assert_eq!(app.send("POST", LIST, "", &empty).await.status, 200);
}

/// Issue 18: a path parameter that does not decode (`%FF` is not UTF-8) was answered by axum in
/// plain text; every answer is in the envelope.
async fn undecodable_path_parameters_are_answered_in_the_envelope(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    let r = app.signed("GET", "/v2/orders/customer-orders/details/%FF", "", &creds).await;
    let msg = r.assert_error(400, "CBC.0100");
    assert!(msg.starts_with("Invalid parameter: path: "), "{msg}");
    assert_eq!(r.headers.get("content-type").unwrap(), "application/json");
    // The console API too.
    let json = [("Content-Type".to_owned(), "application/json".to_owned())];
    let r = app.send("POST", "/api/v1/new-account-links/%FF/accounts", "{}", &json).await;
    r.assert_error(400, "CBC.0100");
}

async fn a_revoked_key_is_refused(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    assert_eq!(app.signed("POST", LIST, "{}", &creds).await.status, 200);
    let (key, secret) = opc_core::ops::admin::create_key(&app.ctx, p.partner.id().as_str(), "test").await.unwrap();
    opc_core::ops::admin::revoke_key(&app.ctx, p.access_key.as_str(), "test").await.unwrap();
    let msg = app.signed("POST", LIST, "{}", &creds).await.assert_error(401, "CBC.0154");
    assert!(msg.contains("revoked"), "{msg}");
    let fresh = Credentials { access_key: key.id().as_str().into(), secret_key: secret.expose().into(), ..creds };
    assert_eq!(app.signed("POST", LIST, "{}", &fresh).await.status, 200);
}

async fn the_envelope_answers_bad_input_routes_and_methods(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    let cases = [
        ("{not json", "not valid JSON"),
        (r#"{"limit": "ten"}"#, "invalid type"),
        (r#"{"limit": 0}"#, "limit"),
        (r#"{"limit": 101}"#, "limit"),
        (r#"{"offset": -1}"#, "offset"),
        (r#"{"association_type": "2"}"#, "association_type"),
        (r#"{"associated_on_begin": "2024-01-01"}"#, "associated_on_begin"),
        (r#"{"customer_id": "../x"}"#, "customer_id"),
        (&format!(r#"{{"account_name": "{}"}}"#, "a".repeat(65)), "account_name"),
    ];
    for (body, field) in cases {
        let msg = app.signed("POST", LIST, body, &creds).await.assert_error(400, "CBC.0100");
        assert!(msg.contains(field), "{body}: {msg}");
    }
    let big = format!(r#"{{"label": "{}"}}"#, "x".repeat(1024 * 1024));
    app.signed("POST", LIST, &big, &creds).await.assert_error(413, "CBC.0100");
    app.send("GET", "/v2/no/such/api", "", &[]).await.assert_error(404, "APIG.0101");
    let r = app.send("GET", LIST, "", &[]).await;
    r.assert_error(405, "APIG.0101");
    assert_eq!(r.headers.get("allow").unwrap(), "POST");
    let health = app.send("GET", "/health", "", &[]).await;
    assert_eq!((health.status.as_u16(), health.body.as_str()), (200, r#"{"status":"ok"}"#));
    health.request_id();
}

async fn list_sub_customers_filters_pages_and_stays_in_tenancy(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let other = app.partner("Other Ltd", Program::CloudSolutionProvider, None).await;
    let mut ids = vec![];
    for (i, name) in ["cust0001", "cust0002", "client03"].iter().enumerate() {
        let model = if i == 1 { AssociationModel::Referral } else { AssociationModel::Reseller };
        let (mut account, association, audit) =
            seed::customer(name, p.partner.id(), model, T0.plus(Millis::minutes(i as i64)));
        seed::edit_account(&mut account, |account| {
            account.display_name = Some(format!("Customer {i}"));
            account.email = Some(format!("{name}@example.com"));
        });
        let association = seed::labelled(&association, "vip", Some((&format!("x-{i}"), "acme_platform")));
        app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
        ids.push(account.id().clone());
    }
    let (foreign, association, audit) = seed::customer("foreign1", other.partner.id(), AssociationModel::Reseller, T0);
    app.ctx.store.insert_customer(&foreign, &association, &[audit]).await.unwrap();
    let creds = TestApp::credentials(&p);

    let r = app.signed("POST", LIST, r#"{"account_name": "CUST", "offset": 0, "limit": 1}"#, &creds).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let expected = format!(
        r#"{{"customer_infos":[{{"customer":"Customer 1","account_name":"cust0002","customer_id":"{}","associated_on":"2026-03-01T08:01:00Z","association_type":"1","label":"vip","verified_status":"-1","customer_type":-1,"is_frozen":0,"xaccount_id":"x-1","xaccount_type":"acme_platform","email":"cust0002@example.com"}}],"count":2}}"#,
        ids[1]
    );
    assert_eq!(r.body, expected);

    // R-RCM-02: reseller customers show as frozen.
    let r = app.signed("POST", LIST, r#"{"association_type": "3"}"#, &creds).await.json();
    assert_eq!(r["count"], 2);
    assert!(r["customer_infos"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["is_frozen"] == 1 && c["association_type"] == "3"));

    let r = app.signed("POST", LIST, r#"{"associated_on_begin": "2026-03-01T08:01:00Z", "associated_on_end": "2026-03-01T08:02:00Z", "customer": "", "label": "VI"}"#, &creds).await.json();
    assert_eq!(r["count"], 2, "empty strings are no filter; the interval is inclusive");

    // Tenancy: another partner's customer is not found, even by its id.
    let r = app.signed("POST", LIST, &format!(r#"{{"customer_id": "{}"}}"#, foreign.id()), &creds).await;
    assert_eq!(r.body, r#"{"customer_infos":[],"count":0}"#);
    let r = app.signed("POST", LIST, "{}", &TestApp::credentials(&other)).await.json();
    assert_eq!(r["count"], 1);
    assert_eq!(r["customer_infos"][0]["account_name"], "foreign1");
}

/// R-DIST-02: a distributor reads its resellers' customers by naming the reseller; naming any
/// other partner is CBC.99000037 and reveals nothing.
async fn a_distributor_reads_only_its_own_resellers_customers(db: TestStore) {
    let app = TestApp::new(db).await;
    let distributor = app.partner("Distri Ltd", Program::DistributionPartner, None).await;
    let reseller = app.partner("Resell Ltd", Program::Reseller, Some(distributor.partner.id())).await;
    let rival = app.partner("Rival Distri", Program::DistributionPartner, None).await;
    let rivals_reseller = app.partner("Rival Resell", Program::Reseller, Some(rival.partner.id())).await;
    for (name, owner) in [("rcust001", &reseller), ("rcust002", &rivals_reseller)] {
        let (account, association, audit) = seed::customer(name, owner.partner.id(), AssociationModel::Reseller, T0);
        app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    }
    let creds = TestApp::credentials(&distributor);
    let body = |id: &str| format!(r#"{{"indirect_partner_id": "{id}"}}"#);

    let r = app.signed("POST", LIST, &body(reseller.partner.id().as_str()), &creds).await.json();
    assert_eq!(r["count"], 1);
    assert_eq!(r["customer_infos"][0]["account_name"], "rcust001");
    assert_eq!(app.signed("POST", LIST, "{}", &creds).await.json()["count"], 0, "its own customers are separate");

    for id in [
        rivals_reseller.partner.id().as_str(),
        rival.partner.id().as_str(),
        distributor.partner.id().as_str(),
        "ffffffffffffffffffffffffffffffff",
        "../x",
    ] {
        let r = app.signed("POST", LIST, &body(id), &creds).await;
        r.assert_error(400, "CBC.99000037");
        assert!(!r.body.contains("rcust"));
    }
    // A reseller cannot use the parameter to read its distributor's or a sibling's customers.
    let r = app.signed("POST", LIST, &body(distributor.partner.id().as_str()), &TestApp::credentials(&reseller)).await;
    r.assert_error(400, "CBC.99000037");
}
