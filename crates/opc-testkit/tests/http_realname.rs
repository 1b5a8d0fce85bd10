//! Real-name authentication (issue 16; BSS B1.10, B2.10) through the real router on both
//! backends: a partner uploads its customer's attachments on the console API, applies over
//! BSS, the operator rejects with an opinion and approves a second application, the customer
//! reads its status; an individual changes to an enterprise; attachments are checked and served
//! only within tenancy; every refusal in the envelope and nothing half-written.

use opc_core::Clock;
use opc_domain::account::{AccountType, RealNameStatus};
use opc_domain::association::AssociationModel;
use opc_domain::Millis;
use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::console::{bearer, call, page, submit};
use opc_testkit::shop::{customer, partner, world, Customer, Partner};
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

on_both_backends!(
    a_partner_applies_for_its_customer_and_the_operators_review_sets_its_status,
    an_individual_changes_to_an_enterprise_and_attachments_stay_within_tenancy,
    rn_qr_a_customer_authenticates_itself_once_through_its_qr_code_address,
    r_prog_06_r_prog_15_the_view_cause_follows_real_name_authentication,
);

const INDIVIDUAL: &str = "/v2/customers/realname-auths/individual";
const ENTERPRISE: &str = "/v2/customers/realname-auths/enterprise";
const RESULT: &str = "/v2/customers/realname-auths/result";
const STATUS: &str = "/v2/customers/real-name-auth-status";
const NEW_TAGS: &str = "/v2/partners/sub-customers/new-customers-tags/batch-query";
const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0 a passport page";
const QR: &str = "/v2/customers/real-name-auth-qrcode";

fn ok(r: TestResponse) -> Value {
    assert!(r.status == 200 || r.status == 201, "{} {}", r.status, r.body);
    r.json()
}

async fn upload(app: &TestApp, p: &Partner, c: &Customer, name: &str, content: &[u8]) -> TestResponse {
    let path = format!("/api/v1/partner/customers/{}/realname-files/{name}", c.id);
    app.send_bytes("PUT", &path, content.to_vec(), &bearer(&p.session)).await
}

fn passport(c: &Customer, files: &[&str]) -> String {
    json!({"customer_id": c.id.as_str(), "identify_type": 0, "verified_type": 3, "verified_file_url": files,
        "name": "Ana Lim", "verified_number": "E1234567", "change_type": -1, "xaccount_type": "acme_IDP"})
    .to_string()
}

fn company(c: &Customer, files: &[&str]) -> Value {
    json!({"customer_id": c.id.as_str(), "identify_type": 1, "certificate_type": 0, "verified_file_url": files,
        "corp_name": "Lim Trading Ltd", "verified_number": "91310000MA1FL", "reg_country": "SG",
        "xaccount_type": "acme_IDP"})
}

async fn result(app: &TestApp, p: &Partner, c: &Customer) -> Value {
    ok(app.signed("GET", &format!("{RESULT}?customer_id={}", c.id), "", &p.creds).await)
}

async fn status(app: &TestApp, c: &Customer) -> Value {
    ok(app.signed("GET", STATUS, "", &c.creds).await)
}

/// The one application waiting for review.
async fn pending(app: &TestApp, ops: &str) -> String {
    let list = ok(call(app, "GET", "/api/v1/operator/realname-applications", Value::Null, ops).await);
    assert_eq!(list["applications"].as_array().unwrap().len(), 1, "{list}");
    list["applications"][0]["id"].as_str().unwrap().to_owned()
}

/// Moves the clock on, so that a request sent again is not a replay of the last.
fn later(app: &TestApp) {
    app.clock.set(app.clock.now().plus(Millis(60_000)));
}

async fn a_partner_applies_for_its_customer_and_the_operators_review_sets_its_status(db: TestStore) {
    let (app, ops) = world(db).await;
    let p = partner(&app, "rn@acme.example", "Acme Cloud Pte Ltd").await;
    let c = customer(&app, &p.id, "realname01", AssociationModel::Reseller).await;
    assert_eq!(status(&app, &c).await, json!({"verified_status": -1, "verified_type": null}));
    assert_eq!(result(&app, &p, &c).await, json!({}), "nothing applied for yet");

    // Attachments first: the type is read from the content, not only the name.
    upload(&app, &p, &c, "page1.jpg", b"%PDF-1.7 not a picture").await.assert_error(400, "CBC.0100");
    upload(&app, &p, &c, "page1.exe", JPEG).await.assert_error(400, "CBC.0100");
    assert_eq!(upload(&app, &p, &c, "page1.jpg", JPEG).await.status, 201);
    upload(&app, &p, &c, "page1.jpg", JPEG).await.assert_error(409, "CBC.99000049");

    // An application naming an attachment never uploaded, or too few for a passport, is
    // refused and changes nothing.
    app.signed("POST", INDIVIDUAL, &passport(&c, &["page1.jpg", "page2.jpg"]), &p.creds)
        .await
        .assert_error(400, "CBC.0100");
    app.signed("POST", INDIVIDUAL, &passport(&c, &["page1.jpg"]), &p.creds).await.assert_error(400, "CBC.0100");
    let bank = json!({"customer_id": c.id.as_str(), "identify_type": 4, "verified_file_url": ["page1.jpg"],
        "name": "Ana", "verified_number": "1", "xaccount_type": "x"});
    app.signed("POST", INDIVIDUAL, &bank.to_string(), &p.creds).await.assert_error(400, "CBC.0100");
    assert_eq!(status(&app, &c).await["verified_status"], -1);

    // The application goes to manual review; the customer reads "under review".
    assert_eq!(upload(&app, &p, &c, "page2.jpg", JPEG).await.status, 201);
    let applied = ok(app.signed("POST", INDIVIDUAL, &passport(&c, &["page1.jpg", "page2.jpg"]), &p.creds).await);
    assert_eq!(applied, json!({"is_review": 1}));
    assert_eq!(result(&app, &p, &c).await, json!({"review_result": 0}));
    assert_eq!(status(&app, &c).await, json!({"verified_status": 0, "verified_type": null}));
    later(&app);
    app.signed("POST", INDIVIDUAL, &passport(&c, &["page1.jpg", "page2.jpg"]), &p.creds)
        .await
        .assert_error(409, "CBC.99000053");

    // The operator reads the attachment, rejects without an opinion (refused), then with one.
    let id = pending(&app, &ops).await;
    let file =
        call(&app, "GET", &format!("/api/v1/operator/realname-applications/{id}/files/page1.jpg"), Value::Null, &ops)
            .await;
    assert_eq!((file.status.as_u16(), file.bytes.as_slice()), (200, JPEG));
    let review = format!("/api/v1/operator/realname-applications/{id}/review");
    call(&app, "POST", &review, json!({"approve": false}), &ops).await.assert_error(400, "CBC.0100");
    call(&app, "POST", &review, json!({"approve": true}), &p.session).await.assert_error(403, "CBC.0151");
    ok(call(&app, "POST", &review, json!({"approve": false, "opinion": "The page is blurred."}), &ops).await);
    call(&app, "POST", &review, json!({"approve": true}), &ops).await.assert_error(409, "CBC.99000053");
    assert_eq!(result(&app, &p, &c).await, json!({"review_result": 1, "opinion": "The page is blurred."}));
    assert_eq!(status(&app, &c).await["verified_status"], 1);

    // A second application with new pages is approved: the account is verified as an
    // individual, which the eligibility rules read.
    for name in ["page3.png", "page4.png"] {
        assert_eq!(upload(&app, &p, &c, name, b"\x89PNG\r\n\x1a\n").await.status, 201);
    }
    later(&app);
    ok(app.signed("POST", INDIVIDUAL, &passport(&c, &["page3.png", "page4.png"]), &p.creds).await);
    let id = pending(&app, &ops).await;
    ok(call(
        &app,
        "POST",
        &format!("/api/v1/operator/realname-applications/{id}/review"),
        json!({"approve": true}),
        &ops,
    )
    .await);
    assert_eq!(result(&app, &p, &c).await, json!({"review_result": 2}));
    assert_eq!(status(&app, &c).await, json!({"verified_status": 2, "verified_type": 0}));
    let account = app.ctx.store.account(&c.id).await.unwrap().unwrap();
    assert_eq!((account.real_name(), account.account_type()), (RealNameStatus::Verified, AccountType::Individual));
    // list_sub_customers reads the same status.
    let listed = ok(app.signed("POST", "/v2/partners/sub-customers/query", "{}", &p.creds).await);
    assert_eq!(listed["customer_infos"][0]["verified_status"], "2", "{listed}");
    // Verified, it may not apply again as an individual.
    later(&app);
    app.signed("POST", INDIVIDUAL, &passport(&c, &["page3.png", "page4.png"]), &p.creds)
        .await
        .assert_error(409, "CBC.99000053");
    // The partner's own history shows both applications, without the document number.
    let history =
        ok(call(&app, "GET", &format!("/api/v1/partner/customers/{}/realname", c.id), Value::Null, &p.session).await);
    assert_eq!(history["applications"].as_array().unwrap().len(), 2);
    assert_eq!(history["files"].as_array().unwrap().len(), 4);
    assert!(!history.to_string().contains("E1234567"), "{history}");
}

async fn an_individual_changes_to_an_enterprise_and_attachments_stay_within_tenancy(db: TestStore) {
    let (app, ops) = world(db).await;
    let p = partner(&app, "rn2@acme.example", "Acme Cloud Pte Ltd").await;
    let other = partner(&app, "rn3@other.example", "Other Cloud Pte Ltd").await;
    let c = customer(&app, &p.id, "realname02", AssociationModel::Referral).await;
    let stranger = customer(&app, &other.id, "realname03", AssociationModel::Reseller).await;

    // Another partner's customer: no upload, no application, no file, no result.
    upload(&app, &p, &stranger, "a.jpg", JPEG).await.assert_error(400, "CBC.99000035");
    for name in ["a.jpg", "b.jpg", "c.jpg", "d.jpg"] {
        assert_eq!(upload(&app, &p, &c, name, JPEG).await.status, 201);
    }
    app.signed("POST", ENTERPRISE, &company(&stranger, &["a.jpg", "b.jpg"]).to_string(), &p.creds)
        .await
        .assert_error(400, "CBC.99000035");
    app.signed("GET", &format!("{RESULT}?customer_id={}", c.id), "", &other.creds)
        .await
        .assert_error(400, "CBC.99000035");
    let path = format!("/api/v1/partner/customers/{}/realname-files/a.jpg", c.id);
    call(&app, "GET", &path, Value::Null, &other.session).await.assert_error(400, "CBC.99000035");
    assert_eq!(call(&app, "GET", &path, Value::Null, &p.session).await.status, 200);
    // A customer's key is not a partner's: it may not apply.
    app.signed("POST", INDIVIDUAL, &passport(&c, &["a.jpg", "b.jpg"]), &c.creds).await.assert_error(403, "CBC.0151");

    // A change needs a verified individual.
    let mut change = company(&c, &["a.jpg", "b.jpg"]);
    change["change_type"] = json!(1);
    app.signed("PUT", ENTERPRISE, &change.to_string(), &p.creds).await.assert_error(409, "CBC.99000053");
    ok(app.signed("POST", INDIVIDUAL, &passport(&c, &["a.jpg", "b.jpg"]), &p.creds).await);
    let id = pending(&app, &ops).await;
    ok(call(
        &app,
        "POST",
        &format!("/api/v1/operator/realname-applications/{id}/review"),
        json!({"approve": true}),
        &ops,
    )
    .await);

    // With a legal representative the enterprise needs four attachments; the name may not be
    // only digits. While the change is reviewed the customer stays a verified individual.
    let mut with_person = change.clone();
    with_person["enterprise_person"] = json!({"legel_name": "Wang Wei", "legel_id_number": "110101199001011234",
        "certifier_role": "legalPerson"});
    app.signed("PUT", ENTERPRISE, &with_person.to_string(), &p.creds).await.assert_error(400, "CBC.0100");
    let mut digits = change.clone();
    digits["corp_name"] = json!("12345");
    app.signed("PUT", ENTERPRISE, &digits.to_string(), &p.creds).await.assert_error(400, "CBC.0100");
    with_person["verified_file_url"] = json!(["a.jpg", "b.jpg", "c.jpg", "d.jpg"]);
    assert_eq!(ok(app.signed("PUT", ENTERPRISE, &with_person.to_string(), &p.creds).await), json!({"is_review": 1}));
    assert_eq!(status(&app, &c).await, json!({"verified_status": 2, "verified_type": 0}));
    let id = pending(&app, &ops).await;
    let listed = ok(call(&app, "GET", "/api/v1/operator/realname-applications", Value::Null, &ops).await);
    assert!(!listed.to_string().contains("110101199001011234"), "identity numbers are never shown back");
    call(&app, "GET", &format!("/api/v1/operator/realname-applications/{id}/files/zzz.jpg"), Value::Null, &ops)
        .await
        .assert_error(404, "CBC.99000054");
    // The operator's console page lists it with its attachments, without the numbers, and
    // approves it through its form.
    let shown = page(&app, &ops, "/operator/realname").await;
    assert!(shown.contains("Lim Trading Ltd") && shown.contains("Wang Wei"), "{shown}");
    assert!(shown.contains(&format!("/api/v1/operator/realname-applications/{id}/files/c.jpg")));
    assert!(!shown.contains("110101199001011234"));
    let approved = submit(&app, &ops, &format!("/operator/realname-applications/{id}/approve"), &[]).await;
    assert_eq!(approved.status, 303, "{}", approved.body);
    assert_eq!(status(&app, &c).await, json!({"verified_status": 2, "verified_type": 1}));
    let account = app.ctx.store.account(&c.id).await.unwrap().unwrap();
    assert_eq!(account.account_type(), AccountType::Enterprise);

    // B2.1.1: the SMB new-customer tag. c, verified this month and without spend, is eligible
    // but not yet qualified for twelve months; a customer not verified has no tag; another
    // partner's customer and an unknown id are left out.
    let fresh = customer(&app, &p.id, "realname04", AssociationModel::Reseller).await;
    let body = json!({"customer_ids": [c.id.as_str(), fresh.id.as_str(), stranger.id.as_str(), "nope"]});
    let tags = ok(app.signed("POST", NEW_TAGS, &body.to_string(), &p.creds).await);
    let (y, m, ..) = app.clock.now().plus(app.ctx.policy.billing_offset).to_utc();
    let (month, year_later) = (format!("{y:04}-{m:02}"), format!("{:04}-{m:02}", y + 1));
    assert_eq!(
        tags,
        json!({"new_customer_tags": [
            {"customer_id": c.id.as_str(), "customer_tag_type": "SMB", "new_customer_tag": "UNDETERMINED",
             "effective_time": month, "expire_time": year_later},
            {"customer_id": fresh.id.as_str(), "customer_tag_type": "SMB", "new_customer_tag": ""}]})
    );
    let all = ok(app.signed("POST", NEW_TAGS, r#"{"limit": 1}"#, &p.creds).await);
    assert_eq!(all["new_customer_tags"].as_array().unwrap().len(), 1, "{all}");
    app.signed("POST", NEW_TAGS, r#"{"limit": 0}"#, &p.creds).await.assert_error(400, "CBC.0100");
}

/// A multipart form of `fields` and `files` (name, file name, content), as a browser sends it.
fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (Vec<u8>, Vec<(String, String)>) {
    let boundary = "----opc-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    for (name, file, content) in files {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(content);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    (body, vec![("content-type".into(), format!("multipart/form-data; boundary={boundary}"))])
}

/// B2.10.1 (RN-QR): the customer's own key asks for the QR code's address; the page it opens
/// takes the identity and photos once, within 10 minutes, and the application goes to the
/// operator's review for the customer's partner, whose approval verifies the account.
async fn rn_qr_a_customer_authenticates_itself_once_through_its_qr_code_address(db: TestStore) {
    let (app, ops) = world(db).await;
    let p = partner(&app, "rn@acme.example", "Acme Cloud Pte Ltd").await;
    let c = customer(&app, &p.id, "selfscan01", AssociationModel::Referral).await;
    app.signed("GET", QR, "", &p.creds).await.assert_error(403, "CBC.0151");
    let url = ok(app.signed("GET", QR, "", &c.creds).await)["qr_code_url"].as_str().unwrap().to_owned();
    let path = url.strip_prefix("http://localhost").expect("an absolute address on this server").to_owned();
    assert!(path.starts_with("/realname/scan/"), "{url}");
    let shown = app.send("GET", &path, "", &[]).await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(shown.body.contains("selfscan01") && shown.body.contains("multipart/form-data"), "{}", shown.body);
    app.send("GET", "/realname/scan/not-a-token", "", &[]).await.status.eq(&404).then_some(()).expect("unknown: 404");

    // Wrong photos are refused with the form kept (never the number), and the address still works.
    let fields = [("verified_type", "3"), ("name", "Ana Lim"), ("verified_number", "E1234567")];
    let (body, headers) = multipart(&fields, &[("photo-1", "front.jpg", JPEG)]);
    let refused = app.send_bytes("POST", &path, body, &headers).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("2 attachments are needed") && refused.body.contains("Ana Lim"), "{}", refused.body);
    assert!(!refused.body.contains("E1234567"), "the number is not shown back");
    let (body, headers) = multipart(&fields, &[("photo-1", "page.png", JPEG), ("photo-2", "held.jpg", JPEG)]);
    assert_eq!(
        app.send_bytes("POST", &path, body, &headers).await.status,
        422,
        "the content must be what the name says"
    );
    assert_eq!(status(&app, &c).await["verified_status"], -1, "nothing stored");

    let (body, headers) = multipart(&fields, &[("photo-1", "page.jpg", JPEG), ("photo-2", "held.JPG", JPEG)]);
    let sent = app.send_bytes("POST", &path, body.clone(), &headers).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.body.contains("under review"));
    assert_eq!(status(&app, &c).await, json!({"verified_status": 0, "verified_type": null}));
    // Once: the address is used up, and no second application is stored.
    assert_eq!(app.send_bytes("POST", &path, body, &headers).await.status, 410);
    assert_eq!(app.send("GET", &path, "", &[]).await.status, 410);
    app.signed("GET", QR, "", &c.creds).await.assert_error(409, "CBC.99000053");

    // The partner sees the photos as its customer's attachments; the operator approves.
    let files =
        ok(call(&app, "GET", &format!("/api/v1/partner/customers/{}/realname", c.id), Value::Null, &p.session).await);
    assert_eq!(files["files"].as_array().map(Vec::len), Some(2), "{files}");
    let id = pending(&app, &ops).await;
    let review = format!("/api/v1/operator/realname-applications/{id}/review");
    ok(call(&app, "POST", &review, json!({"approve": true}), &ops).await);
    assert_eq!(status(&app, &c).await, json!({"verified_status": 2, "verified_type": 0}));
    app.signed("GET", QR, "", &c.creds).await.assert_error(409, "CBC.99000053");

    // Ten minutes unused, an address is void.
    let late = customer(&app, &p.id, "selfscan02", AssociationModel::Reseller).await;
    let url = ok(app.signed("GET", QR, "", &late.creds).await)["qr_code_url"].as_str().unwrap().to_owned();
    app.clock.set(app.clock.now().plus(Millis::minutes(10)));
    let gone = app.send("GET", url.strip_prefix("http://localhost").unwrap(), "", &[]).await;
    assert_eq!(gone.status, 410);
    assert!(gone.body.contains("expired"), "{}", gone.body);
}

/// The CSP rules a customer's own account is checked against (its View Cause).
async fn csp_causes(app: &TestApp, c: &Customer) -> Vec<String> {
    let view = ok(call(app, "GET", "/api/v1/programs/csp/eligibility", Value::Null, &c.session).await);
    view["causes"].as_array().unwrap().iter().map(|c| c["rule"].as_str().unwrap().to_owned()).collect()
}

/// Issue 16: the real-name facts the program rules read now change through the product. An
/// enterprise authentication the operator approves makes the account an enterprise, lifting
/// R-PROG-06 ("only enterprise customers"); while an application is under review, and once one
/// is approved, R-PROG-15 ("being used for, or having passed, real-name authentication") stands,
/// and a rejection lifts it.
async fn r_prog_06_r_prog_15_the_view_cause_follows_real_name_authentication(db: TestStore) {
    let (app, ops) = world(db).await;
    let p = partner(&app, "rn@acme.example", "Acme Cloud Pte Ltd").await;
    let c = customer(&app, &p.id, "viewcause01", AssociationModel::Referral).await;
    let before = csp_causes(&app, &c).await;
    assert!(before.contains(&"R-PROG-06".into()) && !before.contains(&"R-PROG-15".into()), "{before:?}");

    for name in ["front.jpg", "back.jpg"] {
        assert_eq!(upload(&app, &p, &c, name, JPEG).await.status, 201);
    }
    let apply = company(&c, &["front.jpg", "back.jpg"]).to_string();
    ok(app.signed("POST", ENTERPRISE, &apply, &p.creds).await);
    assert!(csp_causes(&app, &c).await.contains(&"R-PROG-15".into()), "under review: being used for it");
    let id = pending(&app, &ops).await;
    let review = format!("/api/v1/operator/realname-applications/{id}/review");
    ok(call(&app, "POST", &review, json!({"approve": false, "opinion": "Blurred."}), &ops).await);
    let rejected = csp_causes(&app, &c).await;
    assert!(rejected.contains(&"R-PROG-06".into()) && !rejected.contains(&"R-PROG-15".into()), "{rejected:?}");

    later(&app);
    ok(app.signed("POST", ENTERPRISE, &apply, &p.creds).await);
    let id = pending(&app, &ops).await;
    let review = format!("/api/v1/operator/realname-applications/{id}/review");
    ok(call(&app, "POST", &review, json!({"approve": true}), &ops).await);
    let approved = csp_causes(&app, &c).await;
    assert!(!approved.contains(&"R-PROG-06".into()), "an enterprise now: {approved:?}");
    assert!(approved.contains(&"R-PROG-15".into()), "it has passed real-name authentication: {approved:?}");
}
