//! Dedicated personnel through the console API, on both backends: invitation by login ID,
//! verification, the 7-day link, acceptance, the person's own information and cancellation
//! (R-ORG-05 … R-ORG-13).

use opc_domain::account::{AccountType, RealNameStatus};
use opc_domain::Millis;
use opc_testkit::app::TestApp;
use opc_testkit::console::{account, call, hcpn_partner};
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

on_both_backends!(
    r_org_13_a_person_is_invited_associates_maintains_its_information_and_is_cancelled,
    r_org_07_to_11_verification_and_the_7_day_link,
    r_org_11_the_emailed_link_opens_a_console_page_that_accepts,
);

/// The accept path in the latest email to `email`.
async fn emailed_accept_path(app: &TestApp, email: &str) -> String {
    let mail = app.ctx.store.notifications(Some(email), 1).await.unwrap().pop().unwrap();
    let token = mail.body.split("/personnel-invitations/").nth(1).unwrap().split(' ').next().unwrap();
    format!("/api/v1/personnel-invitations/{token}/accept")
}

async fn invite(app: &TestApp, admin: &str, login_id: &str) -> opc_testkit::app::TestResponse {
    call(app, "POST", "/api/v1/partner/personnel-invitations", json!({"login_id": login_id}), admin).await
}

async fn r_org_13_a_person_is_invited_associates_maintains_its_information_and_is_cancelled(db: TestStore) {
    let app = TestApp::new(db).await;
    let (acme, acme_id) = hcpn_partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    let (rival, _) = hcpn_partner(&app, "boss@rival.example", "Rival Cloud Pte Ltd").await;
    let ana = account(&app, "ana_lim", "ana@example.com", |_| {}).await;
    let eve = account(&app, "eve_k", "eve@example.com", |_| {}).await;

    // R-ORG-06: addressed by login ID.
    let msg = invite(&app, &acme, "nobody_here").await.assert_error(404, "CBC.99000054");
    assert!(msg.contains("login ID cannot be found"), "{msg}");
    // R-ORG-05: accounts that are not the partner's administrator cannot invite.
    invite(&app, &ana, "eve_k").await.assert_error(403, "CBC.0151");

    let r = invite(&app, &acme, "ana_lim").await;
    assert_eq!(r.status, 201, "{}", r.body);
    let invited = r.json();
    assert_eq!(invited["state"], "invited");
    let accept = emailed_accept_path(&app, "ana@example.com").await;
    assert_eq!(accept, invited["accept_path"].as_str().unwrap(), "the link is emailed and returned to share");
    invite(&app, &acme, "ana_lim").await.assert_error(409, "CBC.99000053");

    // Only the invited HUAWEI ID accepts; anyone else learns nothing.
    call(&app, "POST", &accept, Value::Null, &eve).await.assert_error(404, "CBC.99000054");
    let r = call(&app, "POST", &accept, Value::Null, &ana).await;
    assert_eq!((r.status.as_u16(), r.json()["state"].as_str()), (200, Some("associated")), "{}", r.body);
    call(&app, "POST", &accept, Value::Null, &ana).await.assert_error(409, "CBC.99000053");
    invite(&app, &acme, "ana_lim").await.assert_error(409, "CBC.99000053");
    // R-ORG-08: associated with Acme, so not with Rival.
    let msg = invite(&app, &rival, "ana_lim").await.assert_error(400, "CBC.99000052");
    assert!(msg.contains("R-ORG-08") && msg.contains("Verification failed"), "{msg}");

    // R-ORG-12: the person maintains its own information; the partner sees it.
    let profile = json!({"position": "Solution architect", "employment": "Full time"});
    let mine = format!("/api/v1/me/personnel/{acme_id}");
    assert_eq!(call(&app, "PUT", &mine, profile.clone(), &ana).await.status, 200);
    call(&app, "PUT", &mine, json!({"position": "x".repeat(201)}), &ana).await.assert_error(400, "CBC.0100");
    call(&app, "PUT", &mine, profile.clone(), &eve).await.assert_error(404, "CBC.99000054");

    // R-ORG-14 … R-ORG-17: the person's own certificates count for the partner.
    let upload = |token: &str, kind: &str, number: &str| {
        let (app, token, body) = (&app, token.to_owned(), json!({"kind": kind, "number": number}));
        async move { call(app, "POST", "/api/v1/me/certificates", body, &token).await }
    };
    assert_eq!(upload(&ana, "hcip", "hcip-2026-1").await.status, 201, "R-ORG-16: HCIX uploaded by hand");
    assert_eq!(upload(&ana, "hcia", "HCIA-2025-7").await.status, 201);
    let msg = upload(&ana, "cloud_migration", "CM-1").await.assert_error(400, "CBC.0100");
    assert!(msg.contains("R-ORG-15"), "{msg}");
    let ops = opc_testkit::console::staff(&app).await;
    let ana_account = call(&app, "GET", "/api/v1/me", Value::Null, &ana).await.json()["account"]["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let sync = format!("/api/v1/operator/accounts/{ana_account}/certificates");
    let r = call(&app, "POST", &sync, json!({"kind": "cloud_migration", "number": "CM-1"}), &ops).await;
    assert_eq!((r.status.as_u16(), r.json()["source"].as_str()), (201, Some("synchronized")), "R-ORG-15");
    call(&app, "POST", &sync, json!({"kind": "hcia", "number": "X-1"}), &ana).await.assert_error(403, "CBC.0151");
    let list = call(&app, "GET", "/api/v1/partner/personnel", Value::Null, &acme).await.json();
    let person = &list["personnel"][0];
    let numbers: Vec<&str> =
        person["certificates"].as_array().unwrap().iter().map(|c| c["number"].as_str().unwrap()).collect();
    assert_eq!(
        (person["state"].as_str(), person["position"].as_str()),
        (Some("associated"), Some("Solution architect"))
    );
    assert_eq!(numbers, ["CM-1", "HCIA-2025-7", "HCIP-2026-1"], "R-ORG-14: bound to the partner while associated");
    // R-ORG-17: moved by unbinding here and binding there.
    upload(&eve, "hcip", "HCIP-2026-1").await.assert_error(409, "CBC.99000049");
    let unbind = "/api/v1/me/certificates/HCIP-2026-1";
    call(&app, "DELETE", unbind, Value::Null, &eve).await.assert_error(404, "CBC.99000054");
    assert_eq!(call(&app, "DELETE", unbind, Value::Null, &ana).await.status, 204);
    assert_eq!(upload(&eve, "hcip", "HCIP-2026-1").await.status, 201);
    let eves = call(&app, "GET", "/api/v1/me/certificates", Value::Null, &eve).await.json();
    assert_eq!(eves["certificates"][0]["number"], "HCIP-2026-1");
    let ana_id = person["account_id"].as_str().unwrap().to_owned();
    assert_eq!(
        call(&app, "GET", "/api/v1/partner/personnel", Value::Null, &rival).await.json()["personnel"],
        json!([])
    );
    let seen = call(&app, "GET", "/api/v1/me/personnel", Value::Null, &ana).await.json();
    assert_eq!(seen["personnel"][0]["partner_id"], acme_id.as_str());

    // R-ORG-05, R-ORG-13: the administrator cancels; the person no longer edits; Rival may invite.
    let cancel = format!("/api/v1/partner/personnel/{ana_id}/cancel");
    call(&app, "POST", &cancel, Value::Null, &rival).await.assert_error(404, "CBC.99000054");
    assert_eq!(call(&app, "POST", &cancel, Value::Null, &acme).await.json()["state"], "unassociated");
    call(&app, "POST", &cancel, Value::Null, &acme).await.assert_error(409, "CBC.99000053");
    call(&app, "PUT", &mine, profile, &ana).await.assert_error(409, "CBC.99000053");
    let list = call(&app, "GET", "/api/v1/partner/personnel", Value::Null, &acme).await.json();
    assert_eq!(list["personnel"][0]["certificates"], json!([]), "R-ORG-14: no longer shared once unassociated");
    assert_eq!(invite(&app, &rival, "ana_lim").await.status, 201);
    let trail = call(&app, "GET", "/api/v1/audit-events", Value::Null, &acme).await;
    assert_eq!(trail.status, 200, "{}", trail.body);
    let trail = trail.json();
    let actions: Vec<&str> = trail["events"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    for action in
        ["organization.personnel_invited", "organization.personnel_associated", "organization.personnel_unassociated"]
    {
        assert!(actions.contains(&action), "{action}: {actions:?}");
    }
}

async fn r_org_07_to_11_verification_and_the_7_day_link(db: TestStore) {
    let app = TestApp::new(db).await;
    let (acme, _) = hcpn_partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    account(&app, "corp_id", "corp@example.com", |a| {
        a.account_type = AccountType::Enterprise;
        a.real_name = RealNameStatus::Verified;
    })
    .await;
    let (_, _) = hcpn_partner(&app, "boss@other.example", "Other Cloud Pte Ltd").await;
    let other_login = app
        .ctx
        .store
        .account_by_email(&opc_domain::customer::Email::parse("boss@other.example").unwrap())
        .await
        .unwrap()
        .unwrap()
        .name()
        .clone();

    // R-ORG-07, R-ORG-09.
    let msg = invite(&app, &acme, "corp_id").await.assert_error(400, "CBC.99000052");
    assert!(msg.contains("R-ORG-07") && msg.contains("enterprise user"), "{msg}");
    let msg = invite(&app, &acme, other_login.as_str()).await.assert_error(400, "CBC.99000052");
    assert!(msg.contains("R-ORG-09"), "{msg}");

    // R-ORG-11, R-ORG-13: 7 days, then expired; the administrator invites again.
    account(&app, "bob_t", "bob@example.com", |_| {}).await;
    assert_eq!(invite(&app, &acme, "bob_t").await.status, 201);
    let first = emailed_accept_path(&app, "bob@example.com").await;
    app.clock.advance(Millis(Millis::days(7).0 + 1));
    let (acme, bob) = (
        opc_testkit::console::sign_in(&app, "boss@acme.example", "Secret123!").await,
        opc_testkit::console::sign_in(&app, "bob@example.com", "Secret123!").await,
    );
    let list = call(&app, "GET", "/api/v1/partner/personnel", Value::Null, &acme).await.json();
    assert_eq!(list["personnel"][0]["state"], "expired");
    let msg = call(&app, "POST", &first, Value::Null, &bob).await.assert_error(409, "CBC.99000053");
    assert!(msg.contains("R-ORG-11"), "{msg}");
    assert_eq!(invite(&app, &acme, "bob_t").await.status, 201);
    let second = emailed_accept_path(&app, "bob@example.com").await;
    call(&app, "POST", &first, Value::Null, &bob).await.assert_error(404, "CBC.99000054");
    assert_eq!(call(&app, "POST", &second, Value::Null, &bob).await.status, 200);

    // R-ORG-10: three partners within a year bar a fourth.
    let carl = account(&app, "carl_w", "carl@example.com", |_| {}).await;
    for n in 0..3 {
        let (admin, _) = hcpn_partner(&app, &format!("boss@p{n}.example"), &format!("Partner {n} Ltd")).await;
        assert_eq!(invite(&app, &admin, "carl_w").await.status, 201);
        let accept = emailed_accept_path(&app, "carl@example.com").await;
        assert_eq!(call(&app, "POST", &accept, Value::Null, &carl).await.status, 200);
        let id = call(&app, "GET", "/api/v1/partner/personnel", Value::Null, &admin).await.json()["personnel"][0]
            ["account_id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            call(&app, "POST", &format!("/api/v1/partner/personnel/{id}/cancel"), Value::Null, &admin).await.status,
            200
        );
    }
    let msg = invite(&app, &acme, "carl_w").await.assert_error(400, "CBC.99000052");
    assert!(msg.contains("R-ORG-10") && !msg.contains("R-ORG-08"), "{msg}");
}

/// Issue 17: the emailed link (`/personnel-invitations/{token}`) opens a console page: after
/// signing in, the invited person reads who invites it and accepts there; anyone else, or a used
/// link, gets nothing to accept. The partner's list names the person.
async fn r_org_11_the_emailed_link_opens_a_console_page_that_accepts(db: TestStore) {
    use opc_testkit::console::{flash, page, submit};
    let app = TestApp::new(db).await;
    let (acme, _) = hcpn_partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    let ana = account(&app, "ana_lim", "ana@example.com", |_| {}).await;
    let eve = account(&app, "eve_k", "eve@example.com", |_| {}).await;
    assert_eq!(invite(&app, &acme, "ana_lim").await.status, 201);
    let mail = app.ctx.store.notifications(Some("ana@example.com"), 1).await.unwrap().pop().unwrap();
    let link = mail.body.split_whitespace().find(|w| w.contains("/personnel-invitations/")).unwrap().to_owned();
    let path = format!("/personnel-invitations/{}", link.rsplit('/').next().unwrap());

    // Signed out: to the sign-in page, coming back here.
    let r = app.send("GET", &path, "", &[]).await;
    assert_eq!(r.status, 303);
    assert!(r.headers["location"].to_str().unwrap().starts_with("/login?next=/personnel-invitations/"));
    // Someone else's link shows nothing to accept.
    let r = app.send("GET", &path, "", &opc_testkit::console::cookie(&eve)).await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(!r.body.contains("Acme"), "{}", r.body);
    assert_eq!(submit(&app, &eve, &format!("{path}/accept"), &[]).await.status, 404);

    let shown = page(&app, &ana, &path).await;
    assert!(shown.contains("Invitation from Acme Cloud Pte Ltd") && shown.contains("ana_lim"), "{shown}");
    assert!(shown.contains("The link is valid until") && shown.contains("Accept the invitation"), "{shown}");
    let r = submit(&app, &ana, &format!("{path}/accept"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(flash(&r), "+You are now dedicated personnel of Acme Cloud Pte Ltd.");
    let shown = page(&app, &ana, &path).await;
    assert!(shown.contains("You are dedicated personnel of Acme Cloud Pte Ltd.") && !shown.contains("Accept the"));

    // The administrator's organization page names the person rather than its account id.
    let org = page(&app, &acme, "/partner/organization").await;
    assert!(org.contains("ana_lim · ana@example.com"), "{org}");
}
