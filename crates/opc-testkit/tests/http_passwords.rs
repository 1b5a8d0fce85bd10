//! Changing and resetting passwords through the console API, on both backends (R-ACCT-19).

use opc_domain::Millis;
use opc_testkit::app::TestApp;
use opc_testkit::console::{call, hcpn_partner, sign_in};
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

on_both_backends!(r_acct_19_a_member_changes_its_password_or_resets_it_with_an_emailed_code);

async fn latest_code(app: &TestApp, email: &str) -> String {
    let n = app.ctx.store.notifications(Some(email), 1).await.unwrap().pop().unwrap();
    n.body.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).unwrap().to_owned()
}

async fn r_acct_19_a_member_changes_its_password_or_resets_it_with_an_emailed_code(db: TestStore) {
    let app = TestApp::new(db).await;
    let (admin, _) = hcpn_partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    let admin_name = call(&app, "GET", "/api/v1/me", Value::Null, &admin).await.json()["account"]["account_name"]
        .as_str()
        .unwrap()
        .to_owned();
    let member =
        json!({"name": "Mei Tan", "email": "mei@acme.example", "password": "Member123!", "position": "member"});
    assert_eq!(call(&app, "POST", "/api/v1/partner/members", member, &admin).await.status, 201);
    let (first, second) =
        (sign_in(&app, "mei@acme.example", "Member123!").await, sign_in(&app, "mei@acme.example", "Member123!").await);

    // (a) with the current password, under the registration rules.
    let change = |current: &str, new: &str, again: &str| json!({"current_password": current, "new_password": new, "new_password_confirmation": again});
    for (body, field) in [
        (change("Wrong123!", "Better456!", "Better456!"), "current_password"),
        (change("Member123!", "weak", "weak"), "new_password"),
        (change("Member123!", "Better456!", "Better457!"), "new_password_confirmation"),
    ] {
        let msg = call(&app, "PUT", "/api/v1/me/password", body, &first).await.assert_error(400, "CBC.0100");
        assert!(msg.contains(field), "{field}: {msg}");
    }
    let r = call(&app, "PUT", "/api/v1/me/password", change("Member123!", "Better456!", "Better456!"), &first).await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(call(&app, "GET", "/api/v1/me", Value::Null, &first).await.status, 200, "this session stays");
    call(&app, "GET", "/api/v1/me", Value::Null, &second).await.assert_error(401, "CBC.0154");
    let old = json!({"login": "mei@acme.example", "password": "Member123!"}).to_string();
    let json_header = [("Content-Type".to_owned(), "application/json".to_owned())];
    app.send("POST", "/api/v1/sessions", &old, &json_header).await.assert_error(401, "CBC.0154");

    // (b) Forgot Password: the administrator account, the member's name or email, an emailed code.
    let start = |user: &str| {
        let body = json!({"administrator_account": admin_name, "user": user}).to_string();
        let app = &app;
        let json_header = json_header.clone();
        async move { app.send("POST", "/api/v1/member-password-resets/verification-codes", &body, &json_header).await }
    };
    assert_eq!(start("nobody@acme.example").await.status, 202, "an unknown member is not revealed");
    assert!(app.ctx.store.notifications(Some("nobody@acme.example"), 1).await.unwrap().is_empty());
    assert_eq!(start("Mei Tan").await.status, 202);
    let code = latest_code(&app, "mei@acme.example").await;
    let reset = |code: &str| {
        json!({"administrator_account": admin_name, "user": "MEI@acme.example", "verification_code": code,
            "new_password": "Newest789!", "new_password_confirmation": "Newest789!"})
        .to_string()
    };
    let wrong = if code == "000000" { "111111" } else { "000000" };
    app.send("POST", "/api/v1/member-password-resets", &reset(wrong), &json_header)
        .await
        .assert_error(400, "CBC.99000048");
    let r = app.send("POST", "/api/v1/member-password-resets", &reset(&code), &json_header).await;
    assert_eq!(r.status, 204, "{}", r.body);
    call(&app, "GET", "/api/v1/me", Value::Null, &first).await.assert_error(401, "CBC.0154");
    app.send("POST", "/api/v1/member-password-resets", &reset(&code), &json_header)
        .await
        .assert_error(400, "CBC.99000048");
    assert!(!sign_in(&app, "mei@acme.example", "Newest789!").await.is_empty());
    // An expired code does not reset.
    assert_eq!(start("mei@acme.example").await.status, 202);
    let code = latest_code(&app, "mei@acme.example").await;
    app.clock.advance(Millis::days(1));
    app.send("POST", "/api/v1/member-password-resets", &reset(&code), &json_header)
        .await
        .assert_error(400, "CBC.99000048");
}
