//! The console API through the real router on both backends: its OpenAPI document, registration,
//! sessions (cookie and bearer), and the audit trail per audience.

use std::sync::Arc;
use std::time::Duration;

use opc_core::ops::console;
use opc_core::PasswordWork;
use opc_domain::partner::Program;
use opc_domain::Millis;
use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

on_both_backends!(
    the_openapi_document_describes_every_route_and_its_examples_are_valid,
    r_acct_15_a_person_registers_signs_in_and_out,
    registration_refuses_bad_input_and_changes_nothing,
    audit_events_are_scoped_to_the_audience,
    r_acct_06_tenant_information_converts_an_individual_and_proofs_are_checked,
    r_acct_13_14_a_new_account_is_registered_through_a_24_hour_single_use_link,
    concurrent_wrong_sign_ins_check_no_more_passwords_than_the_lockout_allows,
    a_right_password_amid_concurrent_guesses_is_checked_only_within_the_limit,
    sign_ins_check_a_bounded_number_of_passwords_at_once_and_the_server_still_answers,
    a_sign_in_without_a_turn_to_check_its_password_is_told_to_try_later,
    verification_codes_are_stored_as_their_keyed_hash,
);

async fn post(app: &TestApp, path: &str, body: Value, headers: &[(String, String)]) -> TestResponse {
    let mut all = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    all.extend_from_slice(headers);
    app.send("POST", path, &body.to_string(), &all).await
}

fn bearer(token: &str) -> Vec<(String, String)> {
    vec![("Authorization".into(), format!("Bearer {token}"))]
}

async fn latest_code(app: &TestApp, email: &str) -> String {
    let n = app.ctx.store.notifications(Some(email), 1).await.unwrap().pop().expect("a queued email");
    n.body.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).expect("a six-digit code").to_owned()
}

/// Checks `value` against the subset of JSON Schema the document uses.
fn conforms(schema: &Value, value: &Value) -> Result<(), String> {
    match schema["type"].as_str() {
        Some("object") => {
            let object = value.as_object().ok_or("not an object")?;
            for required in schema["required"].as_array().into_iter().flatten() {
                let name = required.as_str().unwrap();
                if !object.contains_key(name) {
                    return Err(format!("missing {name}"));
                }
            }
            for (name, v) in object {
                let property = schema["properties"].get(name).ok_or(format!("undocumented property {name}"))?;
                conforms(property, v).map_err(|e| format!("{name}: {e}"))?;
            }
            Ok(())
        }
        Some("string") if value.is_string() => match schema["enum"].as_array() {
            Some(allowed) if !allowed.contains(value) => Err(format!("{value} is not one of {allowed:?}")),
            _ => Ok(()),
        },
        Some("array") => {
            let items = value.as_array().ok_or("not an array")?;
            items.iter().try_for_each(|item| conforms(&schema["items"], item))
        }
        Some("boolean") if value.is_boolean() => Ok(()),
        Some("integer") if value.is_i64() => Ok(()),
        Some("number") if value.is_number() => Ok(()),
        Some(t) => Err(format!("{value} is not a {t}")),
        None => Err("a schema without a type".into()),
    }
}

async fn the_openapi_document_describes_every_route_and_its_examples_are_valid(db: TestStore) {
    let app = TestApp::new(db).await;
    let r = app.send("GET", "/api/v1/openapi.json", "", &[]).await;
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.0.3");
    let endpoints = opc_http::api::endpoints();
    let documented: usize =
        doc["paths"].as_object().unwrap().values().map(|item| item.as_object().unwrap().len()).sum();
    assert_eq!(documented, endpoints.len(), "one operation per endpoint");
    for e in &endpoints {
        let op = &doc["paths"][e.path][e.method.as_str().to_ascii_lowercase()];
        assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{} {} has a summary", e.method, e.path);
        assert!(op["responses"].as_object().is_some_and(|r| !r.is_empty()), "{} {} has responses", e.method, e.path);
        if let Some(schema) = e.request.schema() {
            let example = e.example.as_ref().unwrap_or_else(|| panic!("{} {} has an example", e.method, e.path));
            conforms(schema, example).unwrap_or_else(|err| panic!("{} {} example: {err}", e.method, e.path));
        }
        // Every documented route is served: it may refuse the empty request, but it exists.
        let answer = app.send(e.method.as_str(), e.path, "", &[]).await;
        let unrouted = answer.status.as_u16() == 405 || answer.body.contains("APIG.0101");
        assert!(!unrouted, "{} {} is routed: {}", e.method, e.path, answer.body);
    }
    assert!(conforms(
        &json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}),
        &json!({})
    )
    .is_err());
}

async fn r_acct_15_a_person_registers_signs_in_and_out(db: TestStore) {
    let app = TestApp::new(db).await;
    let r = post(&app, "/api/v1/registration/verification-codes", json!({"email": "Ana@Example.com "}), &[]).await;
    assert_eq!(r.status, 202, "{}", r.body);
    let code = latest_code(&app, "Ana@Example.com").await;
    let form = json!({"country": "SG", "email": " Ana@Example.com", "verification_code": code, "password": "Secret123!",
        "password_confirmation": "Secret123!", "accepts_id_agreement": true, "accepts_privacy_statement": true,
        "enable_services": false});
    let r = post(&app, "/api/v1/accounts", form.clone(), &[]).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let account = r.json();
    assert_eq!(
        (account["email"].as_str(), account["services_enabled"].as_bool()),
        (Some("Ana@Example.com"), Some(false)),
        "R-ACCT-16, R-ACCT-17"
    );
    post(&app, "/api/v1/accounts", form, &[]).await.assert_error(400, "CBC.99000047");

    // Wrong password and unknown login are the same refusal.
    let wrong =
        post(&app, "/api/v1/sessions", json!({"login": "ana@example.com", "password": "Secret123?"}), &[]).await;
    let unknown =
        post(&app, "/api/v1/sessions", json!({"login": "bob@example.com", "password": "Secret123!"}), &[]).await;
    assert_eq!(wrong.assert_error(401, "CBC.0154"), unknown.assert_error(401, "CBC.0154"));

    // Five failures within 15 minutes lock a login, known or not, even to its right password;
    // a success before that forgets the failures.
    for _ in 0..3 {
        post(&app, "/api/v1/sessions", json!({"login": "Ana@example.com", "password": "nope"}), &[]).await;
    }
    let ok = post(&app, "/api/v1/sessions", json!({"login": "ana@example.com", "password": "Secret123!"}), &[]).await;
    assert_eq!(ok.status, 201, "four failures (with the one above) do not lock: {}", ok.body);
    for _ in 0..5 {
        post(&app, "/api/v1/sessions", json!({"login": "ana@example.com", "password": "nope"}), &[]).await;
        post(&app, "/api/v1/sessions", json!({"login": "bob@example.com", "password": "nope"}), &[]).await;
    }
    let locked =
        post(&app, "/api/v1/sessions", json!({"login": "ana@example.com", "password": "Secret123!"}), &[]).await;
    let msg = locked.assert_error(429, "APIG.0308");
    assert_eq!(
        msg,
        post(&app, "/api/v1/sessions", json!({"login": "bob@example.com", "password": "x"}), &[])
            .await
            .assert_error(429, "APIG.0308")
    );
    app.clock.advance(opc_domain::Millis(15 * 60_000 + 1));

    let r = post(&app, "/api/v1/sessions", json!({"login": "ana@example.com", "password": "Secret123!"}), &[]).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let token = r.json()["token"].as_str().unwrap().to_owned();
    let cookie = r.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with(&format!("opc_session={token};"))
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let me = app.send("GET", "/api/v1/me", "", &bearer(&token)).await.json();
    assert_eq!(
        (me["kind"].as_str(), me["account"]["account_id"].as_str()),
        (Some("account"), account["account_id"].as_str())
    );
    let by_cookie =
        app.send("GET", "/api/v1/me", "", &[("Cookie".into(), format!("theme=dark; opc_session={token}"))]).await;
    assert_eq!(by_cookie.status, 200);
    let by_name =
        post(&app, "/api/v1/sessions", json!({"login": account["account_name"], "password": "Secret123!"}), &[]).await;
    assert_eq!(by_name.status, 201, "the login name works too");

    let r = app.send("DELETE", "/api/v1/sessions/current", "", &bearer(&token)).await;
    assert_eq!(r.status, 204);
    app.send("GET", "/api/v1/me", "", &bearer(&token)).await.assert_error(401, "CBC.0154");
    // R-ORG-01: a user the console does not know (no session, or a forged one, as an IAM user
    // created outside Partner Center) gets 401 and sees nothing.
    app.send("GET", "/api/v1/me", "", &[]).await.assert_error(401, "CBC.0154");
    app.send("GET", "/api/v1/me", "", &bearer("forged")).await.assert_error(401, "CBC.0154");

    // Sessions expire.
    let token = post(&app, "/api/v1/sessions", json!({"login": "ana@example.com", "password": "Secret123!"}), &[])
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.clock.advance(Millis::days(1));
    app.send("GET", "/api/v1/me", "", &bearer(&token)).await.assert_error(401, "CBC.0154");
}

async fn registration_refuses_bad_input_and_changes_nothing(db: TestStore) {
    let app = TestApp::new(db).await;
    post(&app, "/api/v1/registration/verification-codes", json!({"email": "x"}), &[])
        .await
        .assert_error(400, "CBC.0100");
    post(&app, "/api/v1/registration/verification-codes", json!({"email": "c@example.com", "lang": "fr"}), &[])
        .await
        .assert_error(400, "CBC.0100");
    post(&app, "/api/v1/registration/verification-codes", json!({"email": "c@example.com"}), &[]).await;
    let code = latest_code(&app, "c@example.com").await;
    let base = json!({"country": "SG", "email": "c@example.com", "verification_code": code, "password": "Secret123!",
        "password_confirmation": "Secret123!", "accepts_id_agreement": true, "accepts_privacy_statement": true,
        "enable_services": true, "accepts_customer_agreement": true});
    for (field, value, code_expected) in [
        ("country", json!("Singapore"), "CBC.0100"),
        ("email", json!("c-at-example.com"), "CBC.0100"),
        ("password", json!("weak"), "CBC.0100"),
        ("password_confirmation", json!("Secret123?"), "CBC.0100"),
        // R-CERT-10: the HUAWEI ID User Agreement and the Statement About HUAWEI ID and Privacy.
        ("accepts_id_agreement", json!(false), "CBC.0100"),
        ("accepts_privacy_statement", json!(false), "CBC.0100"),
        ("accepts_customer_agreement", json!(false), "CBC.0100"),
        ("verification_code", json!("000000x"), "CBC.99000048"),
    ] {
        let mut body = base.clone();
        body[field] = value;
        let msg = post(&app, "/api/v1/accounts", body, &[]).await.assert_error(400, code_expected);
        if code_expected == "CBC.0100" {
            assert!(msg.contains(field), "{field}: {msg}");
        }
    }
    assert!(app
        .ctx
        .store
        .account_by_email(&opc_domain::customer::Email::parse("c@example.com").unwrap())
        .await
        .unwrap()
        .is_none());
    assert_eq!(post(&app, "/api/v1/accounts", base, &[]).await.status, 201);
}

async fn audit_events_are_scoped_to_the_audience(db: TestStore) {
    let app = TestApp::new(db).await;
    app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    console::create_staff(&app.ctx, "ops@provider.example", "Olga Ops", "Opspass123!", "test").await.unwrap();
    post(&app, "/api/v1/registration/verification-codes", json!({"email": "d@example.com"}), &[]).await;
    let code = latest_code(&app, "d@example.com").await;
    post(&app, "/api/v1/accounts", json!({"country": "SG", "email": "d@example.com", "verification_code": code, "password": "Secret123!",
        "password_confirmation": "Secret123!", "accepts_id_agreement": true, "accepts_privacy_statement": true, "enable_services": false}), &[]).await;
    let sign_in = |login: &'static str, password: &'static str| {
        let app = &app;
        async move {
            post(app, "/api/v1/sessions", json!({"login": login, "password": password}), &[]).await.json()["token"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let staff = sign_in("ops@provider.example", "Opspass123!").await;
    let customer = sign_in("d@example.com", "Secret123!").await;
    let me = app.send("GET", "/api/v1/me", "", &bearer(&staff)).await.json();
    assert_eq!((me["kind"].as_str(), me["staff"]["name"].as_str()), (Some("staff"), Some("Olga Ops")));

    let actions = |events: Value| -> Vec<String> {
        events["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect()
    };
    let all = actions(app.send("GET", "/api/v1/audit-events", "", &bearer(&staff)).await.json());
    assert!(all.contains(&"partner.enrolled".to_owned()) && all.contains(&"account.registered".to_owned()), "{all:?}");
    let own = actions(app.send("GET", "/api/v1/audit-events", "", &bearer(&customer)).await.json());
    assert_eq!(own, ["account.registered"], "a customer sees only its own account's events");
    app.send("GET", "/api/v1/audit-events?limit=0", "", &bearer(&staff)).await.assert_error(400, "CBC.0100");
    app.send("GET", "/api/v1/audit-events", "", &[]).await.assert_error(401, "CBC.0154");
}

async fn r_acct_06_tenant_information_converts_an_individual_and_proofs_are_checked(db: TestStore) {
    let app = TestApp::new(db).await;
    post(&app, "/api/v1/registration/verification-codes", json!({"email": "t@example.com"}), &[]).await;
    let code = latest_code(&app, "t@example.com").await;
    post(&app, "/api/v1/accounts", json!({"country": "SG", "email": "t@example.com", "verification_code": code, "password": "Secret123!",
        "password_confirmation": "Secret123!", "accepts_id_agreement": true, "accepts_privacy_statement": true, "enable_services": false}), &[]).await;
    let token = post(&app, "/api/v1/sessions", json!({"login": "t@example.com", "password": "Secret123!"}), &[])
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let auth = bearer(&token);
    let with_json = || {
        let mut h = auth.clone();
        h.push(("Content-Type".into(), "application/json".into()));
        h
    };
    assert_eq!(
        app.send("GET", "/api/v1/account/tenant-information", "", &auth).await.body,
        r#"{"tenant_information":null}"#
    );
    let mut form = json!({"tenant_type": "individual", "full_name": "Tan Wei", "qualification_name": "Tan Wei",
        "description": "non_vat_register", "address_line1": "2 Example Road", "city": "Singapore", "region": "Singapore",
        "postal_code": "018989", "payment_currency": "USD", "industry": "Retail"});
    for (field, bad) in [
        ("tenant_type", json!("company")),
        ("payment_currency", json!("dollars")),
        ("city", json!(" ")),
        ("description", json!("vat")),
    ] {
        let mut f = form.clone();
        f[field] = bad;
        let msg = app
            .send("PUT", "/api/v1/account/tenant-information", &f.to_string(), &with_json())
            .await
            .assert_error(400, "CBC.0100");
        assert!(msg.contains(field), "{msg}");
    }
    assert_eq!(
        app.send("PUT", "/api/v1/account/tenant-information", &form.to_string(), &with_json()).await.status,
        200
    );
    // R-ACCT-06: individual → enterprise, and the account's type follows; not back.
    form["tenant_type"] = json!("enterprise");
    form["qualification_name"] = json!("Tan Trading Pte Ltd");
    let r = app.send("PUT", "/api/v1/account/tenant-information", &form.to_string(), &with_json()).await.json();
    assert_eq!(
        (r["tenant_information"]["tenant_type"].as_str(), r["tenant_information"]["country"].as_str()),
        (Some("enterprise"), Some("SG"))
    );
    let email = opc_domain::customer::Email::parse("t@example.com").unwrap();
    let account = app.ctx.store.account_by_email(&email).await.unwrap().unwrap();
    assert_eq!(account.account_type(), opc_domain::account::AccountType::Enterprise);
    form["tenant_type"] = json!("individual");
    app.send("PUT", "/api/v1/account/tenant-information", &form.to_string(), &with_json())
        .await
        .assert_error(400, "CBC.0100");

    // R-ACCT-08: documents and images up to 5 MB.
    let upload = |name: &str, bytes: Vec<u8>| {
        let app = &app;
        let auth = auth.clone();
        let name = name.to_owned();
        async move {
            app.send_bytes("PUT", &format!("/api/v1/account/qualification-proof?file_name={name}"), bytes, &auth).await
        }
    };
    upload("licence.exe", b"MZ".to_vec()).await.assert_error(400, "CBC.0100");
    upload("licence.pdf", vec![]).await.assert_error(400, "CBC.0100");
    let msg =
        upload("licence.pdf", vec![0u8; opc_domain::tenant::PROOF_BYTES_MAX + 1]).await.assert_error(400, "CBC.0100");
    assert!(msg.contains("5 MB"), "{msg}");
    upload("licence.pdf", vec![0u8; 6 * 1024 * 1024]).await.assert_error(413, "CBC.0100");
    let r = upload("licence.pdf", b"%PDF-1.7 proof".to_vec()).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let back = app.send("GET", "/api/v1/account/qualification-proof", "", &auth).await;
    assert_eq!((back.status.as_u16(), back.body.as_str()), (200, "%PDF-1.7 proof"));
    assert_eq!(back.headers.get("content-type").unwrap(), "application/pdf");
    assert_eq!(back.headers.get("x-content-type-options").unwrap(), "nosniff");
}

async fn registered_and_signed_in(app: &TestApp, email: &str) -> String {
    post(app, "/api/v1/registration/verification-codes", json!({"email": email}), &[]).await;
    let code = latest_code(app, email).await;
    let form = json!({"country": "SG", "email": email, "verification_code": code, "password": "Secret123!",
        "password_confirmation": "Secret123!", "accepts_id_agreement": true, "accepts_privacy_statement": true,
        "enable_services": false});
    assert_eq!(post(app, "/api/v1/accounts", form, &[]).await.status, 201);
    let r = post(app, "/api/v1/sessions", json!({"login": email, "password": "Secret123!"}), &[]).await;
    r.json()["token"].as_str().unwrap().to_owned()
}

fn new_account_form(email: &str, code: &str) -> Value {
    json!({"country": "SG", "email": email, "verification_code": code, "password": "Secret123!",
        "password_confirmation": "Secret123!", "accepts_id_agreement": true, "accepts_privacy_statement": true,
        "enable_services": true, "accepts_customer_agreement": true})
}

async fn r_acct_13_14_a_new_account_is_registered_through_a_24_hour_single_use_link(db: TestStore) {
    let app = TestApp::new(db).await;
    let old = registered_and_signed_in(&app, "old@example.com").await;

    // R-ACCT-13: the code goes to the current account's own email; a wrong code issues nothing.
    let r = post(&app, "/api/v1/new-account-links/verification-codes", json!({}), &bearer(&old)).await;
    assert_eq!(r.status, 202, "{}", r.body);
    let code = latest_code(&app, "old@example.com").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    post(&app, "/api/v1/new-account-links", json!({"verification_code": wrong}), &bearer(&old))
        .await
        .assert_error(400, "CBC.99000048");
    let r = post(&app, "/api/v1/new-account-links", json!({"verification_code": code}), &bearer(&old)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let link = r.json();
    let path = link["register_path"].as_str().unwrap().to_owned();
    assert_eq!(path, format!("/api/v1/new-account-links/{}/accounts", link["token"].as_str().unwrap()));
    post(&app, "/api/v1/new-account-links", json!({"verification_code": code}), &bearer(&old))
        .await
        .assert_error(400, "CBC.99000048");

    // R-ACCT-14: not with the current account's email, in any case.
    post(&app, "/api/v1/registration/verification-codes", json!({"email": "OLD@example.com"}), &[]).await;
    let same = latest_code(&app, "OLD@example.com").await;
    let r = post(&app, &path, new_account_form("OLD@example.com", &same), &[]).await;
    assert!(r.assert_error(400, "CBC.0100").contains("R-ACCT-14"), "{}", r.body);
    post(&app, "/api/v1/new-account-links/0123456789abcdef/accounts", new_account_form("n@example.com", "1"), &[])
        .await
        .assert_error(404, "CBC.99000054");

    // Within 24 hours, once.
    app.clock.advance(Millis::minutes(23 * 60));
    post(&app, "/api/v1/registration/verification-codes", json!({"email": "new@example.com"}), &[]).await;
    let fresh = latest_code(&app, "new@example.com").await;
    let r = post(&app, &path, new_account_form("new@example.com", &fresh), &[]).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["email"], "new@example.com");
    post(&app, "/api/v1/registration/verification-codes", json!({"email": "third@example.com"}), &[]).await;
    let third = latest_code(&app, "third@example.com").await;
    post(&app, &path, new_account_form("third@example.com", &third), &[]).await.assert_error(409, "CBC.99000053");

    // R-ACCT-13: after 24 hours the link is invalid.
    let r = post(&app, "/api/v1/sessions", json!({"login": "old@example.com", "password": "Secret123!"}), &[]).await;
    let old = r.json()["token"].as_str().unwrap().to_owned();
    post(&app, "/api/v1/new-account-links/verification-codes", json!({"lang": "zh-cn"}), &bearer(&old)).await;
    let code = latest_code(&app, "old@example.com").await;
    let path = post(&app, "/api/v1/new-account-links", json!({"verification_code": code}), &bearer(&old)).await.json()
        ["register_path"]
        .as_str()
        .unwrap()
        .to_owned();
    app.clock.advance(Millis::days(1));
    post(&app, "/api/v1/registration/verification-codes", json!({"email": "third@example.com"}), &[]).await;
    let third = latest_code(&app, "third@example.com").await;
    let r = post(&app, &path, new_account_form("third@example.com", &third), &[]).await;
    assert!(r.assert_error(409, "CBC.99000053").contains("24 hours"), "{}", r.body);
    let third = opc_domain::customer::Email::parse("third@example.com").unwrap();
    assert!(app.ctx.store.account_by_email(&third).await.unwrap().is_none(), "a refused registration creates nothing");
}

/// Signs in `passwords.len()` times at once through the use case; how many got in, were
/// refused (their password checked) and were locked (not checked).
async fn sign_in_at_once(app: &TestApp, login: &str, passwords: &[&'static str]) -> (usize, usize, usize) {
    let tasks: Vec<_> = passwords
        .iter()
        .map(|password| {
            let (ctx, login, password) = (app.ctx.clone(), login.to_owned(), *password);
            tokio::spawn(async move { console::sign_in(&ctx, &login, password).await })
        })
        .collect();
    let (mut signed_in, mut refused, mut locked) = (0, 0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => signed_in += 1,
            Err(console::ConsoleError::BadCredentials) => refused += 1,
            Err(console::ConsoleError::Locked) => locked += 1,
            Err(e) => panic!("unexpected: {e}"),
        }
    }
    (signed_in, refused, locked)
}

/// Issue 18: each attempt is counted before its password is checked, atomically, so a burst
/// of guesses checks no more passwords than the lockout allows, and the right password after
/// them is refused as locked.
async fn concurrent_wrong_sign_ins_check_no_more_passwords_than_the_lockout_allows(db: TestStore) {
    use opc_domain::console::{LOGIN_FAILURES_MAX, LOGIN_FAILURE_WINDOW};
    let app = TestApp::new(db).await;
    opc_testkit::console::account(&app, "ana_lim", "ana@example.com", |_| {}).await;
    let max = LOGIN_FAILURES_MAX as usize;
    let (signed_in, refused, locked) = sign_in_at_once(&app, "ana@example.com", &["Wrong123!"; 40]).await;
    assert_eq!((signed_in, refused, locked), (0, max, 40 - max), "exactly the limit's passwords are checked");
    let right = console::sign_in(&app.ctx, "Ana@example.com", "Secret123!").await;
    assert!(matches!(right, Err(console::ConsoleError::Locked)), "{:?}", right.err());
    app.clock.advance(Millis(LOGIN_FAILURE_WINDOW.0 + 1));
    assert!(console::sign_in(&app.ctx, "ana@example.com", "Secret123!").await.is_ok());
}

/// Issue 18: with four failures standing, of a burst of nine guesses and the right password
/// exactly one attempt is checked (the right one may be it); the rest are locked. Before the
/// fix every one of them was checked and the right one got in.
async fn a_right_password_amid_concurrent_guesses_is_checked_only_within_the_limit(db: TestStore) {
    use opc_domain::console::LOGIN_FAILURES_MAX;
    let app = TestApp::new(db).await;
    opc_testkit::console::account(&app, "ana_lim", "ana@example.com", |_| {}).await;
    let standing = LOGIN_FAILURES_MAX as usize - 1;
    let (_, refused, _) = sign_in_at_once(&app, "ana@example.com", &vec!["Wrong123!"; standing]).await;
    assert_eq!(refused, standing);
    let mut burst = vec!["Wrong123!"; 9];
    burst.insert(6, "Secret123!");
    let (signed_in, refused, locked) = sign_in_at_once(&app, "ana@example.com", &burst).await;
    assert_eq!((signed_in + refused, locked), (1, 9), "signed in {signed_in}, refused {refused}");
}

/// Issue 18: argon2 (19 MiB and tens of milliseconds a check) runs off the async workers, a
/// bounded number at once: a burst of unauthenticated sign-ins waits its turn while the server
/// keeps answering.
async fn sign_ins_check_a_bounded_number_of_passwords_at_once_and_the_server_still_answers(db: TestStore) {
    let work = Arc::new(PasswordWork::new(2, Duration::from_secs(120)));
    let app = Arc::new(TestApp::with_password_work(db, work.clone()).await);
    opc_testkit::console::account(&app, "ana_lim", "ana@example.com", |_| {}).await;
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                let (login, password) = match i {
                    7 => ("ana@example.com".to_owned(), "Secret123!"),
                    _ => (format!("guess{i}@example.com"), "Wrong123!"),
                };
                post(&app, "/api/v1/sessions", json!({"login": login, "password": password}), &[]).await.status
            })
        })
        .collect();
    let health = app.send("GET", "/health", "", &[]).await;
    assert_eq!(health.status, 200, "{}", health.body);
    let mut statuses = vec![];
    for task in tasks {
        statuses.push(task.await.unwrap().as_u16());
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [[201].as_slice(), &[401; 15]].concat());
    assert!((1..=2).contains(&work.running_max()), "{} at once", work.running_max());
}

/// Issue 18: a sign-in that gets no turn to check its password within the wait is told to try
/// later in the envelope (429, as throttling), and gets in once a turn is free.
async fn a_sign_in_without_a_turn_to_check_its_password_is_told_to_try_later(db: TestStore) {
    let work = Arc::new(PasswordWork::new(1, Duration::from_millis(50)));
    let app = TestApp::with_password_work(db, work.clone()).await;
    opc_testkit::console::account(&app, "ana_lim", "ana@example.com", |_| {}).await;
    let sign_in = json!({"login": "ana@example.com", "password": "Secret123!"});
    let turn = work.turn().await.unwrap();
    let msg = post(&app, "/api/v1/sessions", sign_in.clone(), &[]).await.assert_error(429, "APIG.0308");
    assert_eq!(msg, "The server is busy checking passwords: try again in a moment.");
    drop(turn);
    let r = post(&app, "/api/v1/sessions", sign_in, &[]).await;
    assert_eq!(r.status, 201, "{}", r.body);
}

/// Issue 18: a verification code is stored as its keyed hash, never as the digits; the digits
/// from the email still register, others do not.
async fn verification_codes_are_stored_as_their_keyed_hash(db: TestStore) {
    use opc_domain::customer::Email;
    use sha2::{Digest, Sha256};
    let app = TestApp::new(db).await;
    let r = post(&app, "/api/v1/registration/verification-codes", json!({"email": "ana@example.com"}), &[]).await;
    assert_eq!(r.status, 202, "{}", r.body);
    let code = latest_code(&app, "ana@example.com").await;
    let stored = app.ctx.store.latest_verification_code(&Email::parse("ana@example.com").unwrap()).await.unwrap();
    let stored = stored.expect("a stored code").code;
    assert!(stored.len() == 64 && !stored.contains(&code), "{stored}");
    for unkeyed in [code.clone(), format!("ana@example.com\n{code}")] {
        assert_ne!(stored, hex::encode(Sha256::digest(unkeyed.as_bytes())), "keyed, not a plain hash");
    }
    let form = |code: &str| {
        json!({"country": "SG", "email": "ana@example.com", "verification_code": code, "password": "Secret123!",
            "password_confirmation": "Secret123!", "accepts_id_agreement": true, "accepts_privacy_statement": true,
            "enable_services": false})
    };
    let wrong = if code == "000000" { "000001" } else { "000000" };
    post(&app, "/api/v1/accounts", form(wrong), &[]).await.assert_error(400, "CBC.99000048");
    let r = post(&app, "/api/v1/accounts", form(&code), &[]).await;
    assert_eq!(r.status, 201, "{}", r.body);
}
