//! Issue 18, item 6: input a route cannot read is answered in that surface's own shape: the
//! console's pages with the console's HTML error page, the console API and the BSS API in the
//! Huawei envelope. Never axum's plain-text rejection. On both backends.

use opc_domain::partner::Program;
use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::console::{bearer, hcpn_partner};
use opc_testkit::{on_both_backends, TestStore};

on_both_backends!(
    console_pages_answer_unreadable_input_with_the_console_s_error_page,
    the_console_api_and_the_bss_api_answer_unreadable_input_in_the_envelope,
);

fn content_type(r: &TestResponse) -> &str {
    r.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// The console's own error page: HTML with the console's stylesheet, a heading and the alert.
fn assert_error_page(r: &TestResponse, status: u16, what: &str) {
    assert_eq!(r.status.as_u16(), status, "{what}: {}", r.body);
    assert!(content_type(r).starts_with("text/html"), "{what}: {:?}", r.headers);
    assert!(r.body.starts_with("<!DOCTYPE html>"), "{what}: {}", r.body);
    assert!(r.body.contains("/assets/console.css") && r.body.contains("role=\"alert\""), "{what}: {}", r.body);
    assert!(!r.body.contains("Failed to deserialize") && !r.body.contains("Invalid URL"), "{what}: {}", r.body);
    r.request_id();
}

async fn console_pages_answer_unreadable_input_with_the_console_s_error_page(db: TestStore) {
    let app = TestApp::new(db).await;
    let (session, _) = hcpn_partner(&app, "owner@acme.example", "Acme Cloud").await;
    let signed_in = |extra: &[(&str, &str)]| {
        let mut headers = vec![("Cookie".to_owned(), format!("opc_session={session}"))];
        headers.extend(extra.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())));
        headers
    };
    // A query that does not parse: a field given twice.
    for page in ["/partner/customers?page=1&page=2", "/partner/organization?q=a&q=b", "/audit?format=csv&format=x"] {
        assert_error_page(&app.send("GET", page, "", &signed_in(&[])).await, 400, page);
    }
    let login = app.send("GET", "/login?next=%2Fa&next=%2Fb", "", &[]).await;
    assert_error_page(&login, 400, "the sign-in page's query");
    // A path that does not decode.
    for page in ["/partner/customers/%FF", "/programs/%FF", "/invitations/%FF"] {
        assert_error_page(&app.send("GET", page, "", &signed_in(&[])).await, 400, page);
    }
    let form = signed_in(&[("Content-Type", "application/x-www-form-urlencoded")]);
    let r = app.send("POST", "/partner/customers/%FF/freeze", "_csrf=x", &form).await;
    assert_error_page(&r, 400, "a form posted to an undecodable path");
    // A form that is not this session's (unreadable bytes), or too large.
    let r = app.send_bytes("POST", "/partner/roles", vec![0xff, 0xfe, b'=', 0x80], &form).await;
    assert_error_page(&r, 403, "an unreadable form");
    let r = app.send("POST", "/partner/roles", &"a".repeat(70 * 1024), &form).await;
    assert_error_page(&r, 413, "a form over the limit");
    // An address no page serves is a console page too (issue 17), signed in or not; the APIs'
    // unknown addresses keep the envelope.
    for page in ["/partner/no-such-page", "/no/such/page"] {
        assert_error_page(&app.send("GET", page, "", &signed_in(&[])).await, 404, page);
    }
    assert_error_page(&app.send("GET", "/favicon-does-not-exist.ico", "", &[]).await, 404, "unsigned");
    app.send("GET", "/api/v1/no-such-endpoint", "", &signed_in(&[])).await.assert_error(404, "APIG.0101");
    app.send("GET", "/v2/no/such/api", "", &[]).await.assert_error(404, "APIG.0101");
    // The pages themselves still work.
    assert_eq!(app.send("GET", "/partner/customers?page=2", "", &signed_in(&[])).await.status, 200);
}

async fn the_console_api_and_the_bss_api_answer_unreadable_input_in_the_envelope(db: TestStore) {
    let app = TestApp::new(db).await;
    let (session, _) = hcpn_partner(&app, "owner@acme.example", "Acme Cloud").await;
    let json = |r: TestResponse, what: &str| {
        assert_eq!(content_type(&r), "application/json", "{what}: {}", r.body);
        r.assert_error(400, "CBC.0100");
    };
    // The console API: a query, a path, a body it cannot read.
    json(app.send("GET", "/api/v1/partner/customers?limit=ten", "", &bearer(&session)).await, "query");
    json(app.send("GET", "/api/v1/partner/customers?limit=1&limit=2", "", &bearer(&session)).await, "query");
    json(app.send("GET", "/api/v1/invitations/%FF", "", &[]).await, "path");
    json(app.send("POST", "/api/v1/partner/access-keys/%FF/revoke", "", &bearer(&session)).await, "path");
    json(app.send("POST", "/api/v1/sessions", "{", &[]).await, "body");
    json(app.send("PUT", "/api/v1/partner/notice-recipients", "[1, 2]", &bearer(&session)).await, "body");
    json(app.send_bytes("PUT", "/api/v1/me/password", vec![0xff, 0xfe], &bearer(&session)).await, "body");

    // The BSS API: every route with a path parameter, signed.
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    for (method, target) in [
        ("GET", "/v2/orders/customer-orders/details/%FF"),
        ("POST", "/v2/orders/subscriptions/resources/autorenew/%FF"),
        ("DELETE", "/v2/orders/subscriptions/resources/autorenew/%FF"),
    ] {
        let body = if method == "POST" { "{}" } else { "" };
        let r = app.signed(method, target, body, &creds).await;
        let msg = r.body.clone();
        json(r, target);
        assert!(msg.contains("Invalid parameter: path: "), "{msg}");
    }
}
