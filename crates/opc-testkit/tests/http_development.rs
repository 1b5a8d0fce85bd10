//! The customer-development journey through the console API, with the BSS API watching, on
//! both backends: pre-registration, invitation, acceptance with every precaution, the reseller
//! freeze, My Partner, and disassociation (R-DEV-*, R-ASSOC-*).

use opc_core::ops::{admin, Policy};
use opc_domain::Millis;
use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::sign::Credentials;
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

on_both_backends!(
    r_assoc_a_customer_is_invited_accepts_frozen_and_disassociates,
    r_assoc_11_every_failing_precaution_is_reported,
    r_org_19_managers_see_their_customers_directors_their_teams,
    r_assoc_26_with_the_verification_code_function_decisions_need_a_code,
    r_dev_04_a_customer_abroad_is_associated_once_pre_registered,
    r_dev_04_a_deployment_may_waive_pre_registration_abroad,
    r_assoc_21_the_association_email_speaks_the_customers_language,
    r_assoc_28_an_association_record_names_the_model_and_the_account_manager,
    links_people_receive_open_at_the_public_url,
    a_revoked_invitation_is_accepted_by_no_one,
);

/// Issue 17: a partner revokes an invitation it gave out; no one can accept it afterwards, it
/// is revoked once, only by its partner, and its state shows on the list and the page.
async fn a_revoked_invitation_is_accepted_by_no_one(db: TestStore) {
    let app = TestApp::new(db).await;
    let (p, _, _) = partner(&app, "owner@acme.example", "Acme Cloud Pte Ltd").await;
    let (rival, _, _) = partner(&app, "owner@rival.example", "Rival Cloud Pte Ltd").await;
    let link =
        call(&app, "POST", "/api/v1/partner/invitations", json!({"channel": "qr_code", "model": "referral"}), Some(&p))
            .await
            .json();
    let token = link["token"].as_str().unwrap().to_owned();
    assert_eq!(link["state"], "open", "{link}");
    let revoke = format!("/api/v1/partner/invitations/{token}/revoke");
    call(&app, "POST", &revoke, Value::Null, Some(&rival)).await.assert_error(404, "CBC.99000054");
    let r = call(&app, "POST", &revoke, Value::Null, Some(&p)).await;
    assert_eq!((r.status.as_u16(), r.json()["state"].clone()), (200, json!("revoked")), "{}", r.body);
    call(&app, "POST", &revoke, Value::Null, Some(&p)).await.assert_error(409, "CBC.99000053");

    let code = code_for(&app, "late@example.com").await;
    let accept = format!("/api/v1/invitations/{token}/accept-by-registering");
    let msg = call(&app, "POST", &accept, registration("late@example.com", &code), None)
        .await
        .assert_error(409, "CBC.99000053");
    assert!(msg.contains("withdrawn by the partner"), "{msg}");
    let list = call(&app, "GET", "/api/v1/partner/invitations", Value::Null, Some(&p)).await.json();
    assert_eq!(list["invitations"][0]["state"], "revoked", "{list}");
    let events =
        app.ctx.store.audit_events(&opc_core::store::AuditQuery { limit: 50, ..Default::default() }).await.unwrap();
    assert!(events.iter().any(|e| e.action == opc_domain::audit::Action::InvitationRevoked), "audited");
}

/// Issue 17: an emailed invitation carries an absolute link — under `--public-url` when set, and
/// the invitation's link and QR code name that address whatever `Host` a request names.
async fn links_people_receive_open_at_the_public_url(db: TestStore) {
    let app = TestApp::with_public_url(db, "https://partners.example.com/").await;
    let (p, _, _) = partner(&app, "owner@acme.example", "Acme Cloud Pte Ltd").await;
    let invite = json!({"channel": "email", "email": "buyer@example.com", "model": "referral"});
    assert_eq!(call(&app, "POST", "/api/v1/partner/invitations", invite, Some(&p)).await.status, 201);
    let mail = app.ctx.store.notifications(Some("buyer@example.com"), 1).await.unwrap().pop().unwrap();
    let token = invitation_token(&mail.body);
    assert!(mail.body.contains(&format!("Open https://partners.example.com/invitations/{token} ")), "{}", mail.body);

    let mut forged = headers(Some(&p));
    forged.push(("Host".into(), "evil.example".into()));
    let link = json!({"channel": "link", "model": "reseller"});
    let r = app.send("POST", "/api/v1/partner/invitations", &link.to_string(), &forged).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let url = r.json()["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("https://partners.example.com/invitations/"), "{url}");
}

fn headers(token: Option<&str>) -> Vec<(String, String)> {
    let mut h = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    if let Some(t) = token {
        h.push(("Authorization".into(), format!("Bearer {t}")));
    }
    h
}

async fn call(app: &TestApp, method: &str, path: &str, body: Value, token: Option<&str>) -> TestResponse {
    let body = if body.is_null() { String::new() } else { body.to_string() };
    app.send(method, path, &body, &headers(token)).await
}

async fn code_for(app: &TestApp, email: &str) -> String {
    call(app, "POST", "/api/v1/registration/verification-codes", json!({"email": email}), None).await;
    let n = app.ctx.store.notifications(Some(email), 1).await.unwrap().pop().unwrap();
    n.body.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).unwrap().to_owned()
}

async fn sign_in(app: &TestApp, login: &str) -> String {
    call(app, "POST", "/api/v1/sessions", json!({"login": login, "password": "Secret123!"}), None).await.json()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Registers an account, joins HCPN (approved at once) and returns the session, the partner id
/// and BSS credentials for it.
async fn partner(app: &TestApp, email: &str, company: &str) -> (String, String, Credentials) {
    let code = code_for(app, email).await;
    let r = call(
        app,
        "POST",
        "/api/v1/accounts",
        json!({"country": "SG", "email": email, "verification_code": code, "password": "Secret123!",
        "password_confirmation": "Secret123!", "accepts_id_agreement": true, "accepts_privacy_statement": true,
        "enable_services": true, "accepts_customer_agreement": true}),
        None,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let token = sign_in(app, email).await;
    let hcpn = json!({"business": {"company_name": company, "country": "SG", "address": "1 Example Road"},
        "contact": {"name": "Ana Lim", "email": email, "phone": "+65 6123 4567"},
        "sensitive_relationships": {"has_relationship": false}, "agreement_accepted": true});
    assert_eq!(call(app, "POST", "/api/v1/hcpn/application", hcpn, Some(&token)).await.json()["state"], "approved");
    let me = call(app, "GET", "/api/v1/me", Value::Null, Some(&token)).await.json();
    let partner_id = me["partner"]["partner_id"].as_str().unwrap().to_owned();
    let (key, secret) = admin::create_key(&app.ctx, &partner_id, "test").await.unwrap();
    let creds = Credentials {
        access_key: key.id().as_str().into(),
        secret_key: secret.expose().into(),
        domain_id: me["account"]["account_id"].as_str().unwrap().into(),
    };
    (token, partner_id, creds)
}

fn registration(email: &str, code: &str) -> Value {
    registration_in("SG", email, code)
}

fn registration_in(country: &str, email: &str, code: &str) -> Value {
    json!({"country": country, "email": email, "verification_code": code, "password": "Secret123!", "password_confirmation": "Secret123!",
        "accepts_id_agreement": true, "accepts_privacy_statement": true, "accepts_customer_agreement": true,
        "accepts_association_instructions": true, "accepts_authorization_letter": true})
}

fn invitation_token(app_mail: &str) -> String {
    app_mail.split("/invitations/").nth(1).unwrap().split(|c: char| !c.is_ascii_hexdigit()).next().unwrap().to_owned()
}

async fn r_assoc_a_customer_is_invited_accepts_frozen_and_disassociates(db: TestStore) {
    let app = TestApp::new(db).await;
    let (p, _, p_bss) = partner(&app, "owner@acme.example", "Acme Cloud Pte Ltd").await;
    let (q, _, _) = partner(&app, "owner@rival.example", "Rival Cloud Pte Ltd").await;

    // R-DEV-05: the first pre-registration is exclusive.
    assert_eq!(
        call(&app, "POST", "/api/v1/partner/pre-registrations", json!({"email": "buyer@example.com"}), Some(&p))
            .await
            .status,
        201
    );
    call(&app, "POST", "/api/v1/partner/pre-registrations", json!({"email": "BUYER@example.com"}), Some(&q))
        .await
        .assert_error(409, "CBC.99000053");
    call(&app, "POST", "/api/v1/partner/pre-registrations", json!({"email": "x"}), Some(&p))
        .await
        .assert_error(400, "CBC.0100");
    // Only partners develop customers.
    let customer_only = {
        let code = code_for(&app, "lurker@example.com").await;
        call(&app, "POST", "/api/v1/accounts", json!({"country": "SG", "email": "lurker@example.com", "verification_code": code, "password": "Secret123!",
            "password_confirmation": "Secret123!", "accepts_id_agreement": true, "accepts_privacy_statement": true, "enable_services": false}), None).await;
        sign_in(&app, "lurker@example.com").await
    };
    call(
        &app,
        "POST",
        "/api/v1/partner/invitations",
        json!({"channel": "link", "model": "reseller"}),
        Some(&customer_only),
    )
    .await
    .assert_error(403, "CBC.0151");

    // R-DEV-01(a), R-DEV-10: an emailed invitation in the reseller model; the customer finds it
    // in the email (the link and QR code are shared otherwise).
    let r = call(
        &app,
        "POST",
        "/api/v1/partner/invitations",
        json!({"channel": "email", "email": "buyer@example.com", "model": "reseller"}),
        Some(&p),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.json()["expires_at"].is_string(), "R-DEV-08: an emailed invitation expires");
    let mail = app.ctx.store.notifications(Some("buyer@example.com"), 1).await.unwrap().pop().unwrap();
    let token = invitation_token(&mail.body);
    let shown = call(&app, "GET", &format!("/api/v1/invitations/{token}"), Value::Null, None).await.json();
    assert_eq!(
        (shown["partner"]["name"].as_str(), shown["model"].as_str(), shown["email"].is_null()),
        (Some("Acme Cloud Pte Ltd"), Some("reseller"), true)
    );

    // R-ASSOC-18, R-CERT-07: the reseller model needs the Instructions accepted.
    let code = code_for(&app, "buyer@example.com").await;
    let mut form = registration("buyer@example.com", &code);
    form["accepts_association_instructions"] = json!(false);
    let accept = format!("/api/v1/invitations/{token}/accept-by-registering");
    call(&app, "POST", &accept, form, None).await.assert_error(400, "CBC.0100");
    let r = call(&app, "POST", &accept, registration("buyer@example.com", &code), None).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let customer_id = r.json()["customer_id"].as_str().unwrap().to_owned();
    assert_eq!(r.json()["frozen"], true, "R-ASSOC-23: frozen on reseller association");
    let notice = app.ctx.store.notifications(Some("buyer@example.com"), 1).await.unwrap().pop().unwrap();
    assert!(notice.subject.contains("associated with Acme"), "R-ASSOC-21: {notice:?}");

    // The BSS API shows the customer, frozen, in the reseller model.
    let listed = app.signed("POST", "/v2/partners/sub-customers/query", "{}", &p_bss).await.json();
    assert_eq!(listed["count"], 1);
    assert_eq!(
        (listed["customer_infos"][0]["is_frozen"].as_i64(), listed["customer_infos"][0]["association_type"].as_str()),
        (Some(1), Some("3"))
    );
    let pres = call(&app, "GET", "/api/v1/partner/pre-registrations", Value::Null, Some(&p)).await.json();
    assert_eq!(pres["pre_registrations"][0]["state"], "associated", "R-DEV-06");
    // The partner budgets and unfreezes it over BSS.
    let budget = json!({"customer_id": customer_id, "budget_amount": 100, "cancel_partner_frozen": "1"});
    assert_eq!(app.signed("POST", "/v2/partners/sub-customers/budget", &budget.to_string(), &p_bss).await.status, 200);

    // R-ASSOC-22 My Partner; then the customer asks to leave and the partner's admin approves.
    let buyer = sign_in(&app, "buyer@example.com").await;
    let mine = call(&app, "GET", "/api/v1/my-partner", Value::Null, Some(&buyer)).await.json();
    assert_eq!(
        (mine["partner"]["name"].as_str(), mine["association"]["model"].as_str()),
        (Some("Acme Cloud Pte Ltd"), Some("reseller"))
    );
    call(&app, "POST", "/api/v1/my-partner/disassociation-request", json!({"reason": " "}), Some(&buyer))
        .await
        .assert_error(400, "CBC.0100");
    let r =
        call(&app, "POST", "/api/v1/my-partner/disassociation-request", json!({"reason": "Moving on."}), Some(&buyer))
            .await;
    assert_eq!(r.status, 201, "{}", r.body);
    call(&app, "POST", "/api/v1/my-partner/disassociation-request", json!({"reason": "Again."}), Some(&buyer))
        .await
        .assert_error(409, "CBC.99000053");
    call(&app, "POST", "/api/v1/my-partner/disassociation-request/approve", Value::Null, Some(&buyer))
        .await
        .assert_error(403, "CBC.0151");
    let records = call(&app, "GET", "/api/v1/partner/association-records", Value::Null, Some(&p)).await.json();
    assert_eq!(
        (records["records"][0]["status"].as_str(), records["records"][0]["initiated_by"].as_str()),
        (Some("pending"), Some("customer"))
    );
    call(&app, "POST", &format!("/api/v1/partner/association-records/{customer_id}/approve"), Value::Null, Some(&q))
        .await
        .assert_error(404, "CBC.99000054");
    let r = call(
        &app,
        "POST",
        &format!("/api/v1/partner/association-records/{customer_id}/approve"),
        Value::Null,
        Some(&p),
    )
    .await;
    assert_eq!(r.json()["status"], "approved", "{}", r.body);
    assert_eq!(
        app.signed("POST", "/v2/partners/sub-customers/query", "{}", &p_bss).await.json()["count"],
        0,
        "disassociated"
    );
    assert!(call(&app, "GET", "/api/v1/my-partner", Value::Null, Some(&buyer)).await.json()["partner"].is_null());
    let id = opc_domain::AccountId::parse(&customer_id).unwrap();
    assert_eq!(app.ctx.store.budget(&id).await.unwrap(), None, "the budget ends with the association");

    // R-ASSOC-30: disassociated, the customer accepts another partner's online invitation.
    app.clock.advance(Millis(1000));
    call(
        &app,
        "POST",
        "/api/v1/partner/invitations",
        json!({"channel": "email", "email": "buyer@example.com", "model": "referral"}),
        Some(&q),
    )
    .await;
    let mail = app.ctx.store.notifications(Some("buyer@example.com"), 1).await.unwrap().pop().unwrap();
    let token = invitation_token(&mail.body);
    let r = call(&app, "POST", &format!("/api/v1/invitations/{token}/accept"), json!({}), Some(&buyer)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["model"], "referral");

    // QR codes of a link invitation.
    let link =
        call(&app, "POST", "/api/v1/partner/invitations", json!({"channel": "qr_code", "model": "reseller"}), Some(&p))
            .await
            .json();
    let png = app.send("GET", link["qr_png"].as_str().unwrap(), "", &[]).await;
    assert_eq!(png.headers.get("content-type").unwrap(), "image/png");
    assert_eq!(&png.bytes[..8], b"\x89PNG\r\n\x1a\n");
    let svg = app.send("GET", link["qr_svg"].as_str().unwrap(), "", &[]).await;
    assert!(svg.body.contains("<svg"));
    call(&app, "GET", "/api/v1/invitations/00000000000000000000000000000000", Value::Null, None)
        .await
        .assert_error(404, "CBC.99000054");
}

async fn r_assoc_11_every_failing_precaution_is_reported(db: TestStore) {
    let app = TestApp::new(db).await;
    partner(&app, "owner@acme.example", "Acme Cloud Pte Ltd").await;
    let (q, _, _) = partner(&app, "owner@rival.example", "Rival Cloud Pte Ltd").await;
    // A customer of Q's, registered 8 days ago.
    call(
        &app,
        "POST",
        "/api/v1/partner/invitations",
        json!({"channel": "email", "email": "taken@example.com", "model": "referral"}),
        Some(&q),
    )
    .await;
    let token =
        invitation_token(&app.ctx.store.notifications(Some("taken@example.com"), 1).await.unwrap().pop().unwrap().body);
    let code = code_for(&app, "taken@example.com").await;
    assert_eq!(
        call(
            &app,
            "POST",
            &format!("/api/v1/invitations/{token}/accept-by-registering"),
            registration("taken@example.com", &code),
            None
        )
        .await
        .status,
        201
    );
    app.clock.advance(Millis::days(8));
    let p = sign_in(&app, "owner@acme.example").await;

    // P's link cannot take an existing account (R-DEV-09); P's email invitation lists every cause.
    let link =
        call(&app, "POST", "/api/v1/partner/invitations", json!({"channel": "link", "model": "reseller"}), Some(&p))
            .await
            .json();
    let taken = sign_in(&app, "taken@example.com").await;
    let accept = json!({"accepts_association_instructions": true});
    call(
        &app,
        "POST",
        &format!("/api/v1/invitations/{}/accept", link["token"].as_str().unwrap()),
        accept.clone(),
        Some(&taken),
    )
    .await
    .assert_error(409, "CBC.99000053");
    call(
        &app,
        "POST",
        "/api/v1/partner/invitations",
        json!({"channel": "email", "email": "taken@example.com", "model": "reseller"}),
        Some(&p),
    )
    .await;
    let token =
        invitation_token(&app.ctx.store.notifications(Some("taken@example.com"), 1).await.unwrap().pop().unwrap().body);
    let msg = call(&app, "POST", &format!("/api/v1/invitations/{token}/accept"), accept, Some(&taken))
        .await
        .assert_error(400, "CBC.99000052");
    assert!(msg.contains("R-ASSOC-02") && msg.contains("R-ASSOC-04") && msg.contains("Fix:"), "{msg}");
    // Nothing changed: still Q's customer.
    let mine = call(&app, "GET", "/api/v1/my-partner", Value::Null, Some(&taken)).await.json();
    assert_eq!(mine["partner"]["name"], "Rival Cloud Pte Ltd");

    // An emailed invitation expires after 7 days (R-DEV-08).
    call(
        &app,
        "POST",
        "/api/v1/partner/invitations",
        json!({"channel": "email", "email": "late@example.com", "model": "reseller"}),
        Some(&p),
    )
    .await;
    let token =
        invitation_token(&app.ctx.store.notifications(Some("late@example.com"), 1).await.unwrap().pop().unwrap().body);
    app.clock.advance(Millis::days(8));
    let code = code_for(&app, "late@example.com").await;
    let _ = sign_in(&app, "owner@acme.example").await;
    call(
        &app,
        "POST",
        &format!("/api/v1/invitations/{token}/accept-by-registering"),
        registration("late@example.com", &code),
        None,
    )
    .await
    .assert_error(409, "CBC.99000053");
}

async fn r_org_19_managers_see_their_customers_directors_their_teams(db: TestStore) {
    let app = TestApp::new(db).await;
    let (admin, _, bss) = partner(&app, "owner@acme.example", "Acme Cloud Pte Ltd").await;
    let mut customers = vec![];
    for name in ["orgcust1", "orgcust2", "orgcust3"] {
        let body = json!({"domain_name": name, "domain_area": "SG", "xaccount_id": name, "xaccount_type": "acme"});
        let r = app.signed("POST", "/v2/partners/sub-customers", &body.to_string(), &bss).await;
        assert_eq!(r.status, 200, "{}", r.body);
        customers.push(r.json()["domain_id"].as_str().unwrap().to_owned());
    }
    let role = call(
        &app,
        "POST",
        "/api/v1/partner/roles",
        json!({"name": "Sales", "permissions": ["customers.view"]}),
        Some(&admin),
    )
    .await;
    assert_eq!(role.status, 201, "{}", role.body);
    let role_id = role.json()["role_id"].as_str().unwrap().to_owned();
    call(&app, "POST", "/api/v1/partner/roles", json!({"name": "Nothing", "permissions": []}), Some(&admin))
        .await
        .assert_error(400, "CBC.0100");
    let member = |email: &str, position: &str| json!({"name": "Team Member", "email": email, "password": "Member123!", "position": position});
    let create = |body: Value| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let r = call(app, "POST", "/api/v1/partner/members", body, Some(&admin)).await;
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()["member_id"].as_str().unwrap().to_owned()
        }
    };
    let director = create(member("director@acme.example", "account_director")).await;
    let m1 = create(member("m1@acme.example", "account_manager")).await;
    let m2 = create(member("m2@acme.example", "account_manager")).await;
    let idle = create(member("idle@acme.example", "member")).await;
    // R-ORG-03/04: a registered account cannot be added.
    call(&app, "POST", "/api/v1/partner/members", member("owner@acme.example", "member"), Some(&admin))
        .await
        .assert_error(400, "CBC.0100");
    for (m, director_id) in [(&m1, Some(&director)), (&m2, None), (&director, None)] {
        let mut body = json!({"role_id": role_id});
        if let Some(d) = director_id {
            body["director_id"] = json!(d);
        }
        let r = call(&app, "PUT", &format!("/api/v1/partner/members/{m}"), body, Some(&admin)).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    call(&app, "PUT", &format!("/api/v1/partner/members/{m2}"), json!({"director_id": m1}), Some(&admin))
        .await
        .assert_error(400, "CBC.0100");
    for (customer, manager) in [(&customers[0], &m1), (&customers[1], &m2)] {
        let r = call(
            &app,
            "PUT",
            &format!("/api/v1/partner/customers/{customer}/account-manager"),
            json!({"member_id": manager}),
            Some(&admin),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    call(
        &app,
        "PUT",
        &format!("/api/v1/partner/customers/{}/account-manager", customers[2]),
        json!({"member_id": director}),
        Some(&admin),
    )
    .await
    .assert_error(400, "CBC.0100");

    let seen = |token: String| {
        let app = &app;
        async move {
            let r = call(app, "GET", "/api/v1/partner/customers", Value::Null, Some(&token)).await.json();
            let mut names: Vec<String> = r["customers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["account_name"].as_str().unwrap().to_owned())
                .collect();
            names.sort();
            names
        }
    };
    let sign = |email: &'static str| {
        let app = &app;
        async move {
            let r =
                call(app, "POST", "/api/v1/sessions", json!({"login": email, "password": "Member123!"}), None).await;
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()["token"].as_str().unwrap().to_owned()
        }
    };
    assert_eq!(seen(admin.clone()).await, ["orgcust1", "orgcust2", "orgcust3"]);
    let t1 = sign("m1@acme.example").await;
    assert_eq!(seen(t1.clone()).await, ["orgcust1"], "an account manager sees only its customers");
    assert_eq!(seen(sign("m2@acme.example").await).await, ["orgcust2"]);
    assert_eq!(
        seen(sign("director@acme.example").await).await,
        ["orgcust1"],
        "a director sees its managers' customers"
    );
    let me = call(&app, "GET", "/api/v1/me", Value::Null, Some(&t1)).await.json();
    assert_eq!((me["kind"].as_str(), me["partner"]["name"].as_str()), (Some("member"), Some("Acme Cloud Pte Ltd")));
    // R-ORG-02: no role, no permission; and members cannot administer.
    let idle_token = sign("idle@acme.example").await;
    call(&app, "GET", "/api/v1/partner/customers", Value::Null, Some(&idle_token)).await.assert_error(403, "CBC.0151");
    call(&app, "POST", "/api/v1/partner/members", member("x@acme.example", "member"), Some(&t1))
        .await
        .assert_error(403, "CBC.0151");
    call(
        &app,
        "PUT",
        &format!("/api/v1/partner/customers/{}/account-manager", customers[2]),
        json!({"member_id": m1}),
        Some(&t1),
    )
    .await
    .assert_error(403, "CBC.0151");
    call(&app, "POST", "/api/v1/partner/invitations", json!({"channel": "link", "model": "reseller"}), Some(&t1))
        .await
        .assert_error(403, "CBC.0151");

    // Member access keys: m1 issues its own; through the BSS API it acts with m1's role and
    // sees m1's customers only (R-ORG-02, R-ORG-19).
    let key = call(&app, "POST", "/api/v1/partner/access-keys", json!({}), Some(&t1)).await;
    assert_eq!(key.status, 201, "{}", key.body);
    let key = key.json();
    assert_eq!(key["member_id"], m1.as_str());
    let as_member = |key: &Value| Credentials {
        access_key: key["access_key"].as_str().unwrap().into(),
        secret_key: key["secret_key"].as_str().unwrap().into(),
        domain_id: bss.domain_id.clone(),
    };
    let m1_bss = as_member(&key);
    let query = |creds: Credentials| {
        let app = &app;
        async move { app.signed("POST", "/v2/partners/sub-customers/query", "{}", &creds).await }
    };
    let listed = query(m1_bss.clone()).await.json();
    assert_eq!(
        (listed["count"].as_u64(), listed["customer_infos"][0]["account_name"].as_str()),
        (Some(1), Some("orgcust1"))
    );
    assert_eq!(query(bss.clone()).await.json()["count"], 3, "the partner's own key sees every customer");
    let budget_of = |id: &str| format!("/v2/partners/sub-customers/budget?customer_id={id}");
    assert_eq!(app.signed("GET", &budget_of(&customers[0]), "", &m1_bss).await.status, 200);
    app.signed("GET", &budget_of(&customers[1]), "", &m1_bss).await.assert_error(400, "CBC.99000035");
    let freeze = json!({"customer_ids": [customers[0]], "reason": "risk", "freeze_type": "ACCOUNT"}).to_string();
    let msg =
        app.signed("POST", "/v2/partners/sub-customers/freeze", &freeze, &m1_bss).await.assert_error(403, "CBC.0151");
    assert!(msg.contains("customers.control"), "{msg}");
    // A member issues keys for itself only, and manages only its own.
    call(&app, "POST", "/api/v1/partner/access-keys", json!({"member_id": m2}), Some(&t1))
        .await
        .assert_error(404, "CBC.99000054");
    let t2 = sign("m2@acme.example").await;
    assert_eq!(
        call(&app, "GET", "/api/v1/partner/access-keys", Value::Null, Some(&t2)).await.json()["access_keys"],
        json!([])
    );
    let revoke_m1 = format!("/api/v1/partner/access-keys/{}/revoke", key["access_key"].as_str().unwrap());
    call(&app, "POST", &revoke_m1, Value::Null, Some(&t2)).await.assert_error(404, "CBC.99000054");
    // The administrator issues a key for a member without a role: it may do nothing.
    let idle_key =
        call(&app, "POST", "/api/v1/partner/access-keys", json!({"member_id": idle}), Some(&admin)).await.json();
    query(as_member(&idle_key)).await.assert_error(403, "CBC.0151");
    let own = call(&app, "POST", "/api/v1/partner/access-keys", json!({}), Some(&admin)).await.json();
    assert_eq!(own["member_id"], Value::Null);
    let keys = call(&app, "GET", "/api/v1/partner/access-keys", Value::Null, Some(&admin)).await.json();
    let keys = keys["access_keys"].as_array().unwrap();
    assert!(keys.len() >= 4 && keys.iter().all(|k| k.get("secret_key").is_none()), "secrets are shown once: {keys:?}");
    // Revoked, the member's key is refused.
    assert_eq!(call(&app, "POST", &revoke_m1, Value::Null, Some(&admin)).await.json()["active"], false);
    call(&app, "POST", &revoke_m1, Value::Null, Some(&admin)).await.assert_error(409, "CBC.99000053");
    assert_eq!(query(m1_bss).await.status, 401);
}

/// The latest six-digit code emailed to `email`.
async fn emailed_code(app: &TestApp, email: &str) -> String {
    let n = app.ctx.store.notifications(Some(email), 1).await.unwrap().pop().unwrap();
    n.body.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).unwrap().to_owned()
}

async fn r_assoc_26_with_the_verification_code_function_decisions_need_a_code(db: TestStore) {
    let app = TestApp::new(db).await;
    let (p, _, _) = partner(&app, "owner@acme.example", "Acme Cloud Pte Ltd").await;
    let invite = json!({"channel": "email", "email": "buyer@example.com", "model": "referral"});
    assert_eq!(call(&app, "POST", "/api/v1/partner/invitations", invite, Some(&p)).await.status, 201);
    let mail = app.ctx.store.notifications(Some("buyer@example.com"), 1).await.unwrap().pop().unwrap();
    // Issue 17: without a public URL, the link is under the address the server listens on.
    assert!(mail.body.contains(&format!("{}/invitations/", opc_testkit::app::LOCAL_URL)), "{}", mail.body);
    let accept = format!("/api/v1/invitations/{}/accept-by-registering", invitation_token(&mail.body));
    let code = code_for(&app, "buyer@example.com").await;
    let r = call(&app, "POST", &accept, registration("buyer@example.com", &code), None).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let customer = r.json()["customer_id"].as_str().unwrap().to_owned();
    let buyer = sign_in(&app, "buyer@example.com").await;
    let ask = || async {
        let r =
            call(&app, "POST", "/api/v1/my-partner/disassociation-request", json!({"reason": "Bye."}), Some(&buyer))
                .await;
        assert_eq!(r.status, 201, "{}", r.body);
    };
    ask().await;

    // Off by default. Switching it on needs a code sent to the partner's own email.
    let protection = "/api/v1/partner/critical-operation-protection";
    assert_eq!(call(&app, "GET", protection, Value::Null, Some(&p)).await.json()["enabled"], false);
    call(&app, "PUT", protection, json!({"enabled": true, "verification_code": "000000"}), Some(&p))
        .await
        .assert_error(400, "CBC.99000048");
    let r = call(&app, "POST", "/api/v1/partner/critical-operation-codes", json!({}), Some(&p)).await;
    assert_eq!(r.status, 202, "{}", r.body);
    let code = emailed_code(&app, "owner@acme.example").await;
    let r = call(&app, "PUT", protection, json!({"enabled": true, "verification_code": code}), Some(&p)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(call(&app, "GET", protection, Value::Null, Some(&p)).await.json()["enabled"], true);

    // R-ASSOC-26: approving or rejecting now needs a fresh code; a used one does not do.
    let reject = format!("/api/v1/partner/association-records/{customer}/reject");
    let approve = format!("/api/v1/partner/association-records/{customer}/approve");
    let msg = call(&app, "POST", &reject, Value::Null, Some(&p)).await.assert_error(400, "CBC.99000048");
    assert!(msg.contains("R-ASSOC-26"), "{msg}");
    call(&app, "POST", &reject, json!({"verification_code": code}), Some(&p)).await.assert_error(400, "CBC.99000048");
    call(&app, "POST", "/api/v1/partner/critical-operation-codes", json!({"lang": "zh-cn"}), Some(&p)).await;
    let code = emailed_code(&app, "owner@acme.example").await;
    let r = call(&app, "POST", &reject, json!({"verification_code": code}), Some(&p)).await;
    assert_eq!(r.json()["status"], "rejected", "{}", r.body);
    app.clock.advance(Millis(1000));
    ask().await;
    call(&app, "POST", &approve, json!({"verification_code": code}), Some(&p)).await.assert_error(400, "CBC.99000048");
    assert!(call(&app, "GET", "/api/v1/my-partner", Value::Null, Some(&buyer)).await.json()["partner"].is_object());

    // Switched off (with a code), decisions need none again.
    call(&app, "POST", "/api/v1/partner/critical-operation-codes", json!({}), Some(&p)).await;
    let code = emailed_code(&app, "owner@acme.example").await;
    let r = call(&app, "PUT", protection, json!({"enabled": false, "verification_code": code}), Some(&p)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = call(&app, "POST", &approve, Value::Null, Some(&p)).await;
    assert_eq!(r.json()["status"], "approved", "{}", r.body);
    assert!(call(&app, "GET", "/api/v1/my-partner", Value::Null, Some(&buyer)).await.json()["partner"].is_null());
}

/// Registers `email` in Malaysia through a new link of the Singapore partner `p`.
async fn register_abroad(app: &TestApp, p: &str, email: &str) -> TestResponse {
    let link =
        call(app, "POST", "/api/v1/partner/invitations", json!({"channel": "link", "model": "reseller"}), Some(p))
            .await
            .json();
    let code = code_for(app, email).await;
    let path = format!("/api/v1/invitations/{}/accept-by-registering", link["token"].as_str().unwrap());
    call(app, "POST", &path, registration_in("MY", email, &code), None).await
}

async fn r_dev_04_a_customer_abroad_is_associated_once_pre_registered(db: TestStore) {
    let app = TestApp::new(db).await;
    let (p, _, _) = partner(&app, "owner@acme.example", "Acme Cloud Pte Ltd").await;
    // Same country: no pre-registration needed (R-DEV-04).
    let code = code_for(&app, "near@example.com").await;
    let link =
        call(&app, "POST", "/api/v1/partner/invitations", json!({"channel": "link", "model": "reseller"}), Some(&p))
            .await
            .json();
    let path = format!("/api/v1/invitations/{}/accept-by-registering", link["token"].as_str().unwrap());
    assert_eq!(call(&app, "POST", &path, registration("near@example.com", &code), None).await.status, 201);

    // Another country: refused with the cause and its fix, and no account is created.
    let msg = register_abroad(&app, &p, "far@example.com").await.assert_error(400, "CBC.99000052");
    assert!(msg.contains("R-DEV-04") && msg.contains("pre-register"), "{msg}");
    assert!(app
        .ctx
        .store
        .account_by_email(&opc_domain::customer::Email::parse("far@example.com").unwrap())
        .await
        .unwrap()
        .is_none());

    // Once the partner pre-registers the email, the same registration goes through.
    let r =
        call(&app, "POST", "/api/v1/partner/pre-registrations", json!({"email": "far@example.com"}), Some(&p)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(register_abroad(&app, &p, "far@example.com").await.status, 201);

    // A lapsed pre-registration no longer counts.
    call(&app, "POST", "/api/v1/partner/pre-registrations", json!({"email": "late@example.com"}), Some(&p)).await;
    app.clock.advance(Millis::days(16));
    let p = sign_in(&app, "owner@acme.example").await;
    let msg = register_abroad(&app, &p, "late@example.com").await.assert_error(400, "CBC.99000052");
    assert!(msg.contains("R-DEV-04"), "{msg}");
}

async fn r_dev_04_a_deployment_may_waive_pre_registration_abroad(db: TestStore) {
    let app = TestApp::with_policy(db, Policy { cross_country_pre_registration: false, ..Policy::default() }).await;
    let (p, _, _) = partner(&app, "owner@acme.example", "Acme Cloud Pte Ltd").await;
    assert_eq!(register_abroad(&app, &p, "far@example.com").await.status, 201);
}

async fn r_assoc_21_the_association_email_speaks_the_customers_language(db: TestStore) {
    let app = TestApp::new(db).await;
    let (p, _, _) = partner(&app, "owner@acme.example", "Acme Cloud Pte Ltd").await;
    for (email, lang, subject) in [
        ("en@example.com", None, "You are now associated with Acme Cloud Pte Ltd"),
        ("zh@example.com", Some("zh-cn"), "您已与 Acme Cloud Pte Ltd 关联"),
    ] {
        // The invitation email is in the language the partner picks (R-DEV-01(a)).
        let r = call(
            &app,
            "POST",
            "/api/v1/partner/invitations",
            json!({"channel": "email", "email": email, "model": "referral", "lang": lang}),
            Some(&p),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let invitation = app.ctx.store.notifications(Some(email), 1).await.unwrap().pop().unwrap();
        assert_eq!(invitation.subject.contains("邀请"), lang.is_some(), "{}", invitation.subject);
        let token = invitation_token(&invitation.body);
        let code = code_for(&app, email).await;
        let mut body = registration(email, &code);
        body["lang"] = json!(lang);
        let path = format!("/api/v1/invitations/{token}/accept-by-registering");
        assert_eq!(call(&app, "POST", &path, body, None).await.status, 201);
        let mail = app.ctx.store.notifications(Some(email), 1).await.unwrap().pop().unwrap();
        assert_eq!(mail.subject, subject);
    }
    let link =
        call(&app, "POST", "/api/v1/partner/invitations", json!({"channel": "link", "model": "referral"}), Some(&p))
            .await
            .json();
    let code = code_for(&app, "fr@example.com").await;
    let mut body = registration("fr@example.com", &code);
    body["lang"] = json!("fr-fr");
    let path = format!("/api/v1/invitations/{}/accept-by-registering", link["token"].as_str().unwrap());
    call(&app, "POST", &path, body, None).await.assert_error(400, "CBC.0100");
}

/// R-ASSOC-28 (issue 18): an association record lists the association type (Referral |
/// Reseller) and the account manager, from the association it is about.
async fn r_assoc_28_an_association_record_names_the_model_and_the_account_manager(db: TestStore) {
    use opc_domain::association::AssociationModel;
    let app = TestApp::new(db).await;
    let (admin, partner_id) =
        opc_testkit::console::hcpn_partner(&app, "owner@acme.example", "Acme Cloud Pte Ltd").await;
    let partner = opc_domain::PartnerId::parse(&partner_id).unwrap();
    let mut customers = vec![];
    for (name, model) in [("resell01", AssociationModel::Reseller), ("refer001", AssociationModel::Referral)] {
        let (account, association, audit) = opc_testkit::seed::customer(name, &partner, model, opc_testkit::app::T0);
        app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
        customers.push(account.id().as_str().to_owned());
    }
    let member = json!({"name": "Mei Tan", "email": "mei@acme.example", "password": "Member123!", "position": "account_manager"});
    let r = call(&app, "POST", "/api/v1/partner/members", member, Some(&admin)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let mei = r.json()["member_id"].as_str().unwrap().to_owned();
    let assign = format!("/api/v1/partner/customers/{}/account-manager", customers[0]);
    let r = call(&app, "PUT", &assign, json!({"member_id": mei}), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    for customer in &customers {
        let path = format!("/api/v1/partner/customers/{customer}/disassociation-request");
        let r = call(&app, "POST", &path, json!({"reason": "Restructuring."}), Some(&admin)).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let records = call(&app, "GET", "/api/v1/partner/association-records", Value::Null, Some(&admin)).await.json();
    let mut seen: Vec<(String, Value, Value)> = records["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["customer_id"].as_str().unwrap().to_owned(), r["model"].clone(), r["account_manager"].clone()))
        .collect();
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    let mut expected = vec![
        (customers[0].clone(), json!("reseller"), json!({"member_id": mei, "name": "Mei Tan"})),
        (customers[1].clone(), json!("referral"), Value::Null),
    ];
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(seen, expected);
    // The OpenAPI document describes both fields.
    let doc = app.send("GET", "/api/v1/openapi.json", "", &[]).await.json();
    let summary = doc["paths"]["/api/v1/partner/association-records"]["get"].to_string();
    assert!(summary.contains("model") && summary.contains("account_manager"), "{summary}");
}
