//! Joining HCPN and partner programs through the console API, on both backends: the wizard,
//! automatic and manual review, rejection and resubmission, View Cause, and the operator's
//! queues (R-HCPN-*, R-PROG-*).

use opc_core::ops::console;
use opc_domain::account::{
    Account, AccountName, AccountType, AccountingMode, EnterpriseRole, RealNameStatus, StoredAccount,
};
use opc_domain::customer::Email;
use opc_domain::text::CountryCode;
use opc_domain::{AccountId, Money};
use opc_testkit::app::{TestApp, TestResponse, T0};
use opc_testkit::{on_both_backends, seed, TestStore};
use serde_json::{json, Value};

on_both_backends!(
    r_hcpn_04_a_clean_application_is_approved_at_once,
    r_hcpn_05_manual_review_rejection_and_resubmission,
    r_prog_05_an_ineligible_account_sees_every_cause_then_joins_once_fixed,
    r_prog_27_dpp_is_joined_by_invitation_only,
    r_info_02_incentives_are_payable_once_both_authentications_pass,
    r_prog_44_the_partner_sets_annual_revenue_goals,
    r_prog_05_the_same_account_fixes_every_cause_then_joins,
);

fn bearer(token: &str) -> Vec<(String, String)> {
    vec![("Authorization".into(), format!("Bearer {token}")), ("Content-Type".into(), "application/json".into())]
}

async fn call(app: &TestApp, method: &str, path: &str, body: Value, token: &str) -> TestResponse {
    let body = if body.is_null() { String::new() } else { body.to_string() };
    app.send(method, path, &body, &bearer(token)).await
}

/// Stores an account with these facts and a password, and signs it in.
async fn account(app: &TestApp, email: &str, edit: impl FnOnce(&mut StoredAccount)) -> String {
    let id = AccountId::from_random(*uuid::Uuid::new_v4().as_bytes());
    let name = AccountName::parse(&format!("acct_{}", &id.as_str()[..10])).unwrap();
    let mut a = Account::new_registered(id, name, CountryCode::parse("SG").unwrap(), T0);
    a.set_login(Some(email.to_owned()), Some(opc_core::passwords::hash_blocking("Secret123!").unwrap()));
    a.set_account_type(AccountType::Enterprise);
    seed::edit_account(&mut a, edit);
    app.ctx.store.register_account(&a, &Email::parse(email).unwrap(), None, &[]).await.unwrap();
    sign_in(app, email, "Secret123!").await
}

async fn sign_in(app: &TestApp, login: &str, password: &str) -> String {
    let r = app
        .send(
            "POST",
            "/api/v1/sessions",
            &json!({"login": login, "password": password}).to_string(),
            &[("Content-Type".into(), "application/json".into())],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["token"].as_str().unwrap().to_owned()
}

async fn staff(app: &TestApp) -> String {
    console::create_staff(&app.ctx, "ops@provider.example", "Olga Ops", "Opspass123!", "test").await.unwrap();
    sign_in(app, "ops@provider.example", "Opspass123!").await
}

fn form(country: &str) -> Value {
    json!({"business": {"company_name": "Example Cloud Pte Ltd", "country": country, "address": "1 Example Road"},
        "contact": {"name": "Ana Lim", "email": "ana@example.com", "phone": "+65 6123 4567"},
        "sensitive_relationships": {"has_relationship": false}, "agreement_accepted": true})
}

async fn r_hcpn_04_a_clean_application_is_approved_at_once(db: TestStore) {
    let app = TestApp::new(db).await;
    let token = account(&app, "clean@example.com", |_| {}).await;

    // R-HCPN-02: every incomplete step at once.
    let msg = call(&app, "POST", "/api/v1/hcpn/application", json!({"business": null}), &token)
        .await
        .assert_error(400, "CBC.0100");
    for step in ["business information", "contact information", "sensitive relationships", "agreement"] {
        assert!(msg.contains(step), "{step}: {msg}");
    }
    let mut undescribed = form("SG");
    undescribed["sensitive_relationships"] = json!({"has_relationship": true});
    call(&app, "POST", "/api/v1/hcpn/application", undescribed, &token).await.assert_error(400, "CBC.0100");

    let r = call(&app, "POST", "/api/v1/hcpn/application", form("SG"), &token).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let body = r.json();
    assert_eq!(
        (body["state"].as_str(), body["message"].as_str()),
        (Some("approved"), Some("You are a Huawei Cloud partner."))
    );
    let me = call(&app, "GET", "/api/v1/me", Value::Null, &token).await.json();
    assert_eq!(me["partner"]["name"], "Example Cloud Pte Ltd", "R-HCPN-08: a partner now");
    let programs = call(&app, "GET", "/api/v1/programs", Value::Null, &token).await.json();
    assert_eq!(
        (programs["hcpn_partner"].as_bool(), programs["enrolled"].as_array().map(Vec::len)),
        (Some(true), Some(0))
    );

    call(&app, "POST", "/api/v1/hcpn/application", form("SG"), &token).await.assert_error(409, "CBC.99000053");
    call(&app, "PUT", "/api/v1/hcpn/application", form("SG"), &token).await.assert_error(409, "CBC.99000053");
    // R-HCPN-06: there is no withdrawal.
    call(&app, "DELETE", "/api/v1/hcpn/application", Value::Null, &token).await.assert_error(405, "APIG.0101");
}

async fn r_hcpn_05_manual_review_rejection_and_resubmission(db: TestStore) {
    let app = TestApp::new(db).await;
    let token = account(&app, "abroad@example.com", |_| {}).await;
    let ops = staff(&app).await;

    // R-ACCT-01: a company registered elsewhere than the account goes to manual review.
    let r = call(&app, "POST", "/api/v1/hcpn/application", form("HK"), &token).await.json();
    assert_eq!(r["state"], "manual_review");
    assert_eq!(r["review_reasons"][0]["rule"], "R-ACCT-01");
    let applicant = r["applicant"].as_str().unwrap().to_owned();

    // Only staff review; an account is refused and changes nothing.
    call(&app, "GET", "/api/v1/operator/hcpn-applications", Value::Null, &token).await.assert_error(403, "CBC.0151");
    call(&app, "POST", &format!("/api/v1/operator/hcpn-applications/{applicant}/approve"), Value::Null, &token)
        .await
        .assert_error(403, "CBC.0151");
    let queue = call(&app, "GET", "/api/v1/operator/hcpn-applications", Value::Null, &ops).await.json();
    assert_eq!(queue["applications"][0]["applicant"], applicant.as_str());
    call(&app, "GET", "/api/v1/operator/hcpn-applications?state=pending", Value::Null, &ops)
        .await
        .assert_error(400, "CBC.0100");

    let reject = format!("/api/v1/operator/hcpn-applications/{applicant}/reject");
    call(&app, "POST", &reject, json!({"reason": "  "}), &ops).await.assert_error(400, "CBC.0100");
    let r = call(&app, "POST", &reject, json!({"reason": "Register the company in the account's country."}), &ops)
        .await
        .json();
    assert_eq!(r["state"], "rejected");
    let mine = call(&app, "GET", "/api/v1/hcpn/application", Value::Null, &token).await.json();
    assert_eq!(mine["application"]["rejection_reason"], "Register the company in the account's country.", "R-HCPN-05");
    call(&app, "POST", &reject, json!({"reason": "again"}), &ops).await.assert_error(409, "CBC.99000053");

    // Resubmitted, still abroad: back to manual review; the operator approves.
    let r = call(&app, "PUT", "/api/v1/hcpn/application", form("HK"), &token).await.json();
    assert_eq!(r["state"], "manual_review");
    let r = call(&app, "POST", &format!("/api/v1/operator/hcpn-applications/{applicant}/approve"), Value::Null, &ops)
        .await
        .json();
    assert_eq!(r["state"], "approved");
    assert!(call(&app, "GET", "/api/v1/me", Value::Null, &token).await.json()["partner"].is_object());
    let unknown = "/api/v1/operator/hcpn-applications/ffffffffffffffffffffffffffffffff/approve";
    call(&app, "POST", unknown, Value::Null, &ops).await.assert_error(404, "CBC.99000054");
    let trail = call(&app, "GET", "/api/v1/audit-events", Value::Null, &ops).await.json();
    let actions: Vec<&str> =
        trail["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(
        actions.starts_with(&["hcpn.approved", "hcpn.submitted", "hcpn.rejected", "hcpn.submitted"]),
        "{actions:?}"
    );
}

async fn r_prog_05_an_ineligible_account_sees_every_cause_then_joins_once_fixed(db: TestStore) {
    let app = TestApp::new(db).await;
    let troubled = account(&app, "troubled@example.com", |a| {
        a.account_type = AccountType::Individual;
        a.arrears = Money::parse("1").unwrap();
        a.consumption = Money::parse("5").unwrap();
        a.resources_in_use = 1;
        a.has_credit_card = true;
        a.bd_preregistered = true;
        a.real_name = RealNameStatus::Verified;
        a.enterprise = EnterpriseRole::Member { accounting: AccountingMode::Unified };
    })
    .await;
    let view = call(&app, "GET", "/api/v1/programs/csp/eligibility", Value::Null, &troubled).await.json();
    let rules: Vec<&str> = view["causes"].as_array().unwrap().iter().map(|c| c["rule"].as_str().unwrap()).collect();
    assert_eq!(view["eligible"], false);
    assert_eq!(
        rules,
        [
            "R-PROG-03",
            "R-PROG-06",
            "R-PROG-10",
            "R-PROG-11",
            "R-PROG-12",
            "R-PROG-14",
            "R-PROG-15",
            "R-PROG-16",
            "R-PROG-17"
        ]
    );
    assert!(
        view["causes"].as_array().unwrap().iter().all(|c| !c["fix"].as_str().unwrap().is_empty()),
        "each cause has its fix"
    );
    let msg = call(&app, "POST", "/api/v1/programs/csp/applications", json!({}), &troubled)
        .await
        .assert_error(400, "CBC.99000052");
    assert!(msg.contains("R-PROG-03") && msg.contains("R-PROG-17") && msg.contains("Fix:"), "{msg}");
    call(&app, "GET", "/api/v1/programs/nonsense/eligibility", Value::Null, &troubled)
        .await
        .assert_error(404, "CBC.99000054");
    // R-PROG-01: the six programs, each with its View Cause.
    for program in ["competency", "csp", "distributor", "koogallery_seller", "koogallery_sales", "carrier"] {
        let r = call(&app, "GET", &format!("/api/v1/programs/{program}/eligibility"), Value::Null, &troubled).await;
        assert_eq!((r.status.as_u16(), r.json()["eligible"].as_bool()), (200, Some(false)), "{program}");
    }

    // A clean enterprise account joins HCPN, then CSP once the operator approves.
    let clean = account(&app, "clean@example.com", |_| {}).await;
    assert_eq!(call(&app, "POST", "/api/v1/hcpn/application", form("SG"), &clean).await.status, 201);
    let view = call(&app, "GET", "/api/v1/programs/csp/eligibility", Value::Null, &clean).await.json();
    assert_eq!((view["eligible"].as_bool(), view["causes"].as_array().map(Vec::len)), (Some(true), Some(0)));
    call(&app, "POST", "/api/v1/programs/csp/applications", json!({"business_area": "Singapore"}), &clean)
        .await
        .assert_error(400, "CBC.0100");
    // R-PROG-24, R-CERT-05: the agreement and the anti-bribery questionnaire, both reported missing.
    let msg =
        call(&app, "POST", "/api/v1/programs/csp/applications", json!({}), &clean).await.assert_error(400, "CBC.0100");
    assert!(
        msg.contains("Solution Provider Cooperation Agreement") && msg.contains("Anti-Commercial Bribery"),
        "{msg}"
    );
    call(&app, "POST", "/api/v1/programs/csp/applications", json!({"agreements": ["nonsense"]}), &clean)
        .await
        .assert_error(400, "CBC.0100");
    let r = call(
        &app,
        "POST",
        "/api/v1/programs/csp/applications",
        json!({"agreements": ["csp_cooperation_agreement", "anti_bribery_questionnaire"]}),
        &clean,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // R-CERT-09: the signed agreements can be queried.
    let signed = call(&app, "GET", "/api/v1/account/agreements", Value::Null, &clean).await.json();
    let titles: Vec<&str> =
        signed["agreements"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        [
            "Huawei Cloud Partner Network Certification Agreement",
            "Huawei Cloud Solution Provider Cooperation Agreement",
            "HUAWEI CLOUD Partner Anti-Commercial Bribery Due Diligence Questionnaire"
        ]
    );
    assert_eq!(r.json()["business_area"], "SG", "R-PROG-22: the account's country by default");
    let again = call(
        &app,
        "POST",
        "/api/v1/programs/csp/applications",
        json!({"agreements": ["csp_cooperation_agreement", "anti_bribery_questionnaire"]}),
        &clean,
    )
    .await
    .assert_error(400, "CBC.99000052");
    assert!(again.contains("under review"), "{again}");
    let dpp = call(&app, "GET", "/api/v1/programs/distributor/eligibility", Value::Null, &clean).await.json();
    let dpp_rules: Vec<&str> = dpp["causes"].as_array().unwrap().iter().map(|c| c["rule"].as_str().unwrap()).collect();
    assert!(
        dpp_rules.contains(&"R-PROG-27") && dpp_rules.contains(&"R-PROG-29"),
        "invitation only, and not while joining CSP: {dpp_rules:?}"
    );

    let ops = staff(&app).await;
    let queue = call(&app, "GET", "/api/v1/operator/program-applications", Value::Null, &ops).await.json();
    let applicant = queue["applications"][0]["applicant"].as_str().unwrap().to_owned();
    // The console's review queue names the applicant by its email, not its generated id.
    let reviews = opc_testkit::console::page(&app, &ops, "/operator?queue=programs").await;
    assert!(reviews.contains("clean@example.com") && !reviews.contains(&format!(">{applicant}<")), "{reviews}");
    call(&app, "POST", &format!("/api/v1/operator/program-applications/{applicant}/csp/approve"), Value::Null, &clean)
        .await
        .assert_error(403, "CBC.0151");
    let r = call(
        &app,
        "POST",
        &format!("/api/v1/operator/program-applications/{applicant}/csp/approve"),
        Value::Null,
        &ops,
    )
    .await
    .json();
    assert_eq!(r["state"], "approved");
    call(
        &app,
        "POST",
        &format!("/api/v1/operator/program-applications/{applicant}/csp/reject"),
        json!({"reason": "late"}),
        &ops,
    )
    .await
    .assert_error(409, "CBC.99000053");
    let mine = call(&app, "GET", "/api/v1/programs", Value::Null, &clean).await.json();
    assert_eq!(mine["enrolled"][0]["program"], "csp");
    assert_eq!(mine["enrolled"][0]["tier"], "standard", "R-HCPN-20");
    let rules: Vec<String> = call(&app, "GET", "/api/v1/programs/csp/eligibility", Value::Null, &clean).await.json()
        ["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(rules, ["R-PROG-04"], "already enrolled");

    // R-CERT-02, R-CERT-03, R-INFO-12: the enrolled programs and tiers, and the certificate,
    // valid until the next January 31.
    let pdf = app.send("GET", "/api/v1/programs/csp/certificate.pdf", "", &bearer(&clean)).await;
    assert_eq!(
        (pdf.status.as_u16(), pdf.headers.get("content-type").unwrap().to_str().unwrap()),
        (200, "application/pdf")
    );
    assert!(pdf.bytes.starts_with(b"%PDF-"), "{}", &pdf.body[..200]);
    // The text is set in the embedded font (its extraction is checked in sdk-tests,
    // test_certificates.py); the disposition names the program.
    assert_eq!(
        pdf.headers.get("content-disposition").unwrap().to_str().unwrap(),
        "attachment; filename=\"certificate-csp.pdf\""
    );
    let not_enrolled = app.send("GET", "/api/v1/programs/distributor/certificate.pdf", "", &bearer(&clean)).await;
    let not_enrolled_message = not_enrolled.assert_error(404, "CBC.99000054");

    // R-CERT-03: the same certificate as a PNG image.
    let png = app.send("GET", "/api/v1/programs/csp/certificate.png", "", &bearer(&clean)).await;
    let header = |name: &str| png.headers.get(name).unwrap().to_str().unwrap().to_owned();
    assert_eq!(
        (png.status.as_u16(), header("content-type"), header("content-disposition")),
        (200, "image/png".to_owned(), "attachment; filename=\"certificate-csp.png\"".to_owned())
    );
    assert!(png.bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "the PNG signature");
    let mut reader = png::Decoder::new(png.bytes.as_slice()).read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((frame.width, frame.height, frame.color_type), (1200, 850, png::ColorType::Rgb));
    let rows = pixels[..frame.buffer_size()].chunks(1200 * 3);
    let inside = rows.skip(60).take(850 - 120).flat_map(|row| row[60 * 3..(1200 - 60) * 3].chunks(3));
    let dark = inside.filter(|p| p[0] < 140).count();
    assert!(dark > 5_000, "text is drawn inside the borders ({dark} dark pixels)");
    let r = app.send("GET", "/api/v1/programs/distributor/certificate.png", "", &bearer(&clean)).await;
    assert_eq!(r.assert_error(404, "CBC.99000054"), not_enrolled_message, "the same refusal as the PDF's");
}

async fn r_prog_27_dpp_is_joined_by_invitation_only(db: TestStore) {
    let app = TestApp::new(db).await;
    let token = account(&app, "distri@example.com", |_| {}).await;
    assert_eq!(call(&app, "POST", "/api/v1/hcpn/application", form("SG"), &token).await.status, 201);
    let rules = |v: Value| -> Vec<String> {
        v["causes"].as_array().unwrap().iter().map(|c| c["rule"].as_str().unwrap().to_owned()).collect()
    };
    let view = call(&app, "GET", "/api/v1/programs/distributor/eligibility", Value::Null, &token).await.json();
    assert_eq!(rules(view), ["R-PROG-27"]);
    call(&app, "POST", "/api/v1/programs/distributor/applications", json!({}), &token)
        .await
        .assert_error(400, "CBC.99000052");

    let ops = staff(&app).await;
    call(&app, "POST", "/api/v1/operator/dpp-invitations", json!({"email": "distri@example.com"}), &token)
        .await
        .assert_error(403, "CBC.0151");
    call(&app, "POST", "/api/v1/operator/dpp-invitations", json!({"email": "nobody@example.com"}), &ops)
        .await
        .assert_error(404, "CBC.99000054");
    let r = call(&app, "POST", "/api/v1/operator/dpp-invitations", json!({"email": "distri@example.com"}), &ops).await;
    assert_eq!(r.status, 201, "{}", r.body);
    call(&app, "POST", "/api/v1/operator/dpp-invitations", json!({"email": "distri@example.com"}), &ops)
        .await
        .assert_error(400, "CBC.0100");
    let mail = app.ctx.store.notifications(Some("distri@example.com"), 1).await.unwrap().pop().unwrap();
    assert!(mail.subject.contains("Distribution Partner Program"), "{mail:?}");
    let view = call(&app, "GET", "/api/v1/programs/distributor/eligibility", Value::Null, &token).await.json();
    assert_eq!(view["eligible"], true);
    // R-PROG-41, R-CERT-06: the association statement and the distribution agreement.
    let msg = call(&app, "POST", "/api/v1/programs/distributor/applications", json!({}), &token)
        .await
        .assert_error(400, "CBC.0100");
    assert!(msg.contains("R-CERT-06"), "{msg}");
    let dpp = json!({"agreements": ["huawei_id_association_statement", "distribution_cooperation_agreement"]});
    assert_eq!(call(&app, "POST", "/api/v1/programs/distributor/applications", dpp, &token).await.status, 201);
    // R-PROG-28, R-PROG-09: joining DPP closes CSP.
    let csp = call(&app, "GET", "/api/v1/programs/csp/eligibility", Value::Null, &token).await.json();
    assert_eq!(rules(csp), ["R-PROG-09"]);
}

async fn r_info_02_incentives_are_payable_once_both_authentications_pass(db: TestStore) {
    let app = TestApp::new(db).await;
    let token = account(&app, "info@example.com", |_| {}).await;
    call(&app, "PUT", "/api/v1/partner/information/business", json!({}), &token).await.assert_error(403, "CBC.0151");
    assert_eq!(call(&app, "POST", "/api/v1/hcpn/application", form("SG"), &token).await.status, 201);
    let ops = staff(&app).await;

    // R-INFO-03, R-INFO-08: the business information is checked; a Chinese name settled in USD
    // needs English bank details (R-INFO-04); unsupported bank countries go offline (R-INFO-06).
    let business = |name: &str| json!({"company_name": name, "registration_number": "201912345K", "settlement_currency": "USD", "questionnaire_completed": true});
    call(&app, "PUT", "/api/v1/partner/information/business", business("Пример"), &token)
        .await
        .assert_error(400, "CBC.0100");
    let mut no_questionnaire = business("Example");
    no_questionnaire["questionnaire_completed"] = json!(false);
    let msg = call(&app, "PUT", "/api/v1/partner/information/business", no_questionnaire, &token)
        .await
        .assert_error(400, "CBC.0100");
    assert!(msg.contains("R-INFO-08"), "{msg}");
    assert_eq!(
        call(&app, "PUT", "/api/v1/partner/information/business", business("示例云有限公司"), &token).await.json()
            ["state"],
        "submitted"
    );
    let payment = |bank: &str, country: &str| {
        json!({"bank_name": bank, "bank_country": country, "account_name": "Example Cloud",
        "account_number": "0123456789", "swift_code": "DBSSSGSG", "tax_rate": "9"})
    };
    let msg = call(&app, "PUT", "/api/v1/partner/information/payment", payment("星展银行", "SG"), &token)
        .await
        .assert_error(400, "CBC.0100");
    assert!(msg.contains("R-INFO-04"), "{msg}");
    let msg = call(&app, "PUT", "/api/v1/partner/information/payment", payment("Bank", "KP"), &token)
        .await
        .assert_error(400, "CBC.0100");
    assert!(msg.contains("R-INFO-06"), "{msg}");
    let r = call(&app, "PUT", "/api/v1/partner/information/payment", payment("DBS Bank", "SG"), &token).await.json();
    assert_eq!((r["account_number"].as_str(), r["tax_rate"].as_str()), (Some("****6789"), Some("9.00")));

    // The operator reviews both; incentives are payable only once both passed.
    let queue = call(&app, "GET", "/api/v1/operator/information-reviews", Value::Null, &ops).await.json();
    assert_eq!(queue["records"].as_array().unwrap().len(), 2);
    let partner_id = queue["records"][0]["partner_id"].as_str().unwrap().to_owned();
    let decide = |kind: &str, verb: &str| format!("/api/v1/operator/information-reviews/{partner_id}/{kind}/{verb}");
    assert_eq!(call(&app, "POST", &decide("business", "approve"), Value::Null, &ops).await.json()["state"], "approved");
    let r =
        call(&app, "POST", &decide("payment", "reject"), json!({"reason": "The account name does not match."}), &ops)
            .await
            .json();
    assert_eq!(r["rejection_reason"], "The account name does not match.");
    call(&app, "POST", &decide("payment", "approve"), Value::Null, &ops).await.assert_error(409, "CBC.99000053");
    assert_eq!(
        call(&app, "GET", "/api/v1/partner/information", Value::Null, &token).await.json()["incentives_payable"],
        false
    );
    // R-INFO-07: corrected and resubmitted, then approved.
    call(&app, "PUT", "/api/v1/partner/information/payment", payment("DBS Bank Ltd", "SG"), &token).await;
    call(&app, "POST", &decide("payment", "approve"), Value::Null, &ops).await;
    let info = call(&app, "GET", "/api/v1/partner/information", Value::Null, &token).await.json();
    assert_eq!(
        (info["incentives_payable"].as_bool(), info["payment"]["bank_name"].as_str()),
        (Some(true), Some("DBS Bank Ltd"))
    );
    call(&app, "POST", &decide("nonsense", "approve"), Value::Null, &ops).await.assert_error(404, "CBC.99000054");
}

async fn r_prog_44_the_partner_sets_annual_revenue_goals(db: TestStore) {
    let app = TestApp::new(db).await;
    let plain = account(&app, "plain@example.com", |_| {}).await;
    let partner = account(&app, "goals@example.com", |_| {}).await;
    assert_eq!(call(&app, "POST", "/api/v1/hcpn/application", form("SG"), &partner).await.status, 201);
    let year = T0.to_utc().0;
    let goals = || async { call(&app, "GET", "/api/v1/partner/revenue-goals", Value::Null, &partner).await.json() };
    assert_eq!(goals().await, json!({"goals": []}));

    let set = |year: i64, amount: &str| {
        call(&app, "PUT", "/api/v1/partner/revenue-goals", json!({"year": year, "amount": amount}), &partner)
    };
    let r = set(year + 1, "1500000").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["amount"], "1500000.00");
    assert_eq!(set(year, "250000.5").await.status, 200);
    assert_eq!(set(year + 1, "2000000.25").await.status, 200, "setting a year again replaces its goal");
    let listed: Vec<(i64, String)> = goals().await["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["year"].as_i64().unwrap(), g["amount"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(listed, [(year + 1, "2000000.25".to_owned()), (year, "250000.50".to_owned())]);

    for (y, amount, field) in [
        (year - 1, "1", "year"),
        (year + 2, "1", "year"),
        (year, "0", "amount"),
        (year, "-5", "amount"),
        (year, "1.001", "amount"),
        (year, "lots", "amount"),
    ] {
        let msg = set(y, amount).await.assert_error(400, "CBC.0100");
        assert!(msg.contains(field), "{y} {amount}: {msg}");
    }
    call(&app, "PUT", "/api/v1/partner/revenue-goals", json!({"year": year, "amount": "1"}), &plain)
        .await
        .assert_error(403, "CBC.0151");
    assert_eq!(goals().await["goals"].as_array().unwrap().len(), 2, "refusals change nothing");
}

/// The journey on one account: refused with every cause, each fixed through the API by
/// its documented fix, then joined.
async fn r_prog_05_the_same_account_fixes_every_cause_then_joins(db: TestStore) {
    let app = TestApp::new(db).await;
    // An individual account a Huawei BD pre-registered, not in HCPN.
    let token = account(&app, "fixer@example.com", |a| {
        a.account_type = AccountType::Individual;
        a.bd_preregistered = true;
    })
    .await;
    let ops = staff(&app).await;
    let causes = |token: String| {
        let app = &app;
        async move {
            let view = call(app, "GET", "/api/v1/programs/csp/eligibility", Value::Null, &token).await.json();
            view["causes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["rule"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(causes(token.clone()).await, ["R-PROG-03", "R-PROG-06", "R-PROG-16"]);
    call(&app, "POST", "/api/v1/programs/csp/applications", json!({}), &token).await.assert_error(400, "CBC.99000052");

    // R-PROG-06's fix: convert to an enterprise in the tenant information (R-ACCT-06).
    let tenant = json!({"tenant_type": "enterprise", "full_name": "Fixer Pte Ltd", "qualification_name": "Fixer Pte Ltd",
        "description": "non_vat_register", "address_line1": "3 Example Road", "city": "Singapore", "region": "Singapore",
        "postal_code": "018989", "payment_currency": "USD", "industry": "Retail"});
    assert_eq!(call(&app, "PUT", "/api/v1/account/tenant-information", tenant, &token).await.status, 200);
    // R-PROG-03's fix: join HCPN.
    assert_eq!(call(&app, "POST", "/api/v1/hcpn/application", form("SG"), &token).await.json()["state"], "approved");
    // R-PROG-16's fix: the BD releases the account. Only staff may.
    let me = call(&app, "GET", "/api/v1/me", Value::Null, &token).await.json();
    let release =
        format!("/api/v1/operator/accounts/{}/bd-pre-registration", me["account"]["account_id"].as_str().unwrap());
    call(&app, "PUT", &release, json!({"pre_registered": false}), &token).await.assert_error(403, "CBC.0151");
    let released = call(&app, "PUT", &release, json!({"pre_registered": false}), &ops).await.json();
    assert_eq!(released["pre_registered"], false);
    call(&app, "PUT", "/api/v1/operator/accounts/nobody/bd-pre-registration", json!({"pre_registered": false}), &ops)
        .await
        .assert_error(404, "CBC.99000054");

    assert_eq!(causes(token.clone()).await, Vec::<String>::new());
    let r = call(
        &app,
        "POST",
        "/api/v1/programs/csp/applications",
        json!({"agreements": ["csp_cooperation_agreement", "anti_bribery_questionnaire"]}),
        &token,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let applicant = r.json()["applicant"].as_str().unwrap().to_owned();
    let approve = format!("/api/v1/operator/program-applications/{applicant}/csp/approve");
    assert_eq!(call(&app, "POST", &approve, Value::Null, &ops).await.json()["state"], "approved");
    assert_eq!(
        call(&app, "GET", "/api/v1/programs", Value::Null, &token).await.json()["enrolled"][0]["program"],
        "csp"
    );
}
