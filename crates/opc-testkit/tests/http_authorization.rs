//! The authorization matrix of the console API: every endpoint, called by every audience it is
//! not for, is refused (401 without a session, 403 CBC.0151 with the wrong one), and a refusal
//! changes nothing: the audit trail is the same before and after.

use opc_core::ops::console;
use opc_core::store::AuditQuery;
use opc_domain::partner::Program;
use opc_http::api::Audience;
use opc_testkit::app::TestApp;
use opc_testkit::{on_both_backends, TestStore};
use serde_json::json;

on_both_backends!(every_endpoint_refuses_the_audiences_it_is_not_for);

async fn sign_in(app: &TestApp, login: &str, password: &str) -> String {
    let body = json!({"login": login, "password": password}).to_string();
    let r = app.send("POST", "/api/v1/sessions", &body, &[("Content-Type".into(), "application/json".into())]).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["token"].as_str().unwrap().to_owned()
}

async fn register(app: &TestApp, email: &str) {
    let json_header = [("Content-Type".to_owned(), "application/json".to_owned())];
    app.send("POST", "/api/v1/registration/verification-codes", &json!({"email": email}).to_string(), &json_header)
        .await;
    let n = app.ctx.store.notifications(Some(email), 1).await.unwrap().pop().unwrap();
    let code = n.body.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).unwrap().to_owned();
    let body = json!({"country": "SG", "email": email, "verification_code": code, "password": "Secret123!",
        "password_confirmation": "Secret123!", "accepts_id_agreement": true, "accepts_privacy_statement": true,
        "enable_services": true, "accepts_customer_agreement": true});
    assert_eq!(app.send("POST", "/api/v1/accounts", &body.to_string(), &json_header).await.status, 201);
}

async fn every_endpoint_refuses_the_audiences_it_is_not_for(db: TestStore) {
    let app = TestApp::new(db).await;
    app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    console::create_staff(&app.ctx, "ops@provider.example", "Olga Ops", "Opspass123!", "test").await.unwrap();
    register(&app, "plain@example.com").await;
    register(&app, "partner@example.com").await;
    let partner = sign_in(&app, "partner@example.com", "Secret123!").await;
    let hcpn = json!({"business": {"company_name": "Partner Pte Ltd", "country": "SG", "address": "1 Road"},
        "contact": {"name": "Pat", "email": "partner@example.com", "phone": "1"},
        "sensitive_relationships": {"has_relationship": false}, "agreement_accepted": true});
    let headers = |token: &str| {
        vec![
            ("Authorization".to_owned(), format!("Bearer {token}")),
            ("Content-Type".to_owned(), "application/json".to_owned()),
        ]
    };
    assert_eq!(
        app.send("POST", "/api/v1/hcpn/application", &hcpn.to_string(), &headers(&partner)).await.json()["state"],
        "approved"
    );
    let staff = sign_in(&app, "ops@provider.example", "Opspass123!").await;
    let account = sign_in(&app, "plain@example.com", "Secret123!").await;

    let trail =
        || async { app.ctx.store.audit_events(&AuditQuery { limit: 10_000, ..AuditQuery::default() }).await.unwrap() };
    let before = trail().await;
    let mut checked = 0;
    for e in opc_http::api::endpoints() {
        let path = e
            .path
            .replace("{token}", "0123456789abcdef0123456789abcdef")
            .replace("{program}", "csp")
            .replace("{applicant}", "ffffffffffffffffffffffffffffffff");
        let path = path
            .replace("{customer}", "ffffffffffffffffffffffffffffffff")
            .replace("{partner}", "ffffffffffffffffffffffffffffffff")
            .replace("{kind}", "business")
            .replace("{member}", "ffffffffffffffffffffffffffffffff")
            .replace("{account}", "ffffffffffffffffffffffffffffffff")
            .replace("{key}", "ffffffffffffffffffffffffffffffffffffffff")
            .replace("{number}", "HCIP-1");
        let body = e.example.as_ref().map_or_else(String::new, |b| b.to_string());
        let denied: Vec<(&str, &str)> = match e.audience {
            Audience::Anyone | Audience::SignedIn => vec![],
            Audience::Account => vec![("staff", staff.as_str())],
            Audience::Partner => vec![("staff", staff.as_str()), ("a non-partner account", account.as_str())],
            Audience::Staff => vec![("an account", account.as_str()), ("a partner", partner.as_str())],
            Audience::Customer => vec![("staff", staff.as_str()), ("a partner", partner.as_str())],
        };
        if e.audience != Audience::Anyone {
            let r =
                app.send(e.method.as_str(), &path, &body, &[("Content-Type".into(), "application/json".into())]).await;
            let code = r.assert_error(401, "CBC.0154");
            assert!(code.contains("Sign in"), "{} {} without a session: {code}", e.method, e.path);
            checked += 1;
        }
        for (who, token) in denied {
            let r = app.send(e.method.as_str(), &path, &body, &headers(token)).await;
            assert_eq!(r.status, 403, "{} {} by {who}: {}", e.method, e.path, r.body);
            r.assert_error(403, "CBC.0151");
            checked += 1;
        }
    }
    assert!(checked > 40, "the matrix covers the console API ({checked} refusals checked)");
    assert_eq!(trail().await, before, "refusals change nothing");
}
