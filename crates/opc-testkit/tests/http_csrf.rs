//! Issue 18, item 5: a change authenticated by the session cookie must come from this site and
//! carry the session's own CSRF token; bearer-token calls stay as they are. On both backends.

use opc_testkit::app::TestApp;
use opc_testkit::console::{bearer, hcpn_partner};
use opc_testkit::{on_both_backends, TestStore};
use serde_json::json;

on_both_backends!(
    cookie_writes_to_the_console_api_need_this_origin_and_the_session_token,
    a_live_session_s_forms_take_only_the_session_token,
);

const RECIPIENTS: &str = "/api/v1/partner/notice-recipients";

fn csrf_token(session: &str) -> String {
    // The console's page token for this session: what its pages embed in forms.
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(format!("opc-console-csrf\0{session}").as_bytes())[..16])
}

async fn cookie_write(app: &TestApp, session: &str, extra: &[(&str, String)]) -> opc_testkit::app::TestResponse {
    let mut headers = vec![
        ("Host".to_owned(), "console.example".to_owned()),
        ("Cookie".to_owned(), format!("opc_session={session}")),
        ("Content-Type".to_owned(), "text/plain".to_owned()),
    ];
    headers.extend(extra.iter().map(|(n, v)| ((*n).to_owned(), v.clone())));
    app.send("PUT", RECIPIENTS, &json!({"emails": ["finance@acme.example"]}).to_string(), &headers).await
}

async fn cookie_writes_to_the_console_api_need_this_origin_and_the_session_token(db: TestStore) {
    let app = TestApp::new(db).await;
    let (session, _) = hcpn_partner(&app, "owner@acme.example", "Acme Cloud").await;
    let evil = ("Origin", "https://evil.example".to_owned());
    let here = ("Origin", "http://console.example".to_owned());
    let token = ("X-CSRF-Token", csrf_token(&session));
    let wrong_token = ("X-CSRF-Token", csrf_token("another session"));

    // A foreign site's form or fetch: refused, whatever it sends.
    cookie_write(&app, &session, std::slice::from_ref(&evil)).await.assert_error(403, "CBC.0151");
    cookie_write(&app, &session, &[evil, token.clone()]).await.assert_error(403, "CBC.0151");
    // This site's page without the session's token (or with another's), or with no Origin.
    cookie_write(&app, &session, std::slice::from_ref(&here)).await.assert_error(403, "CBC.0151");
    cookie_write(&app, &session, &[here.clone(), wrong_token]).await.assert_error(403, "CBC.0151");
    cookie_write(&app, &session, std::slice::from_ref(&token)).await.assert_error(403, "CBC.0151");
    // Nothing changed: the notices still go to the account's own email.
    let me = app.send("GET", RECIPIENTS, "", &bearer(&session)).await;
    assert_eq!(me.json()["emails"], json!(["owner@acme.example"]), "{}", me.body);

    // This site's page with the session's token: done.
    let r = cookie_write(&app, &session, &[here, token]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["emails"], json!(["finance@acme.example"]));
    // Reads by cookie need neither; bearer calls are unchanged.
    let read = app.send("GET", RECIPIENTS, "", &[("Cookie".to_owned(), format!("opc_session={session}"))]).await;
    assert_eq!(read.status, 200, "{}", read.body);
    let body = json!({"emails": ["ops@acme.example"]}).to_string();
    assert_eq!(app.send("PUT", RECIPIENTS, &body, &bearer(&session)).await.status, 200);
}

async fn a_live_session_s_forms_take_only_the_session_token(db: TestStore) {
    let app = TestApp::new(db).await;
    let (session, _) = hcpn_partner(&app, "owner@acme.example", "Acme Cloud").await;
    let sign_out = |form_token: String, cookies: String| {
        let app = &app;
        async move {
            let headers = vec![
                ("Cookie".to_owned(), cookies),
                ("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()),
            ];
            app.send("POST", "/logout", &format!("_csrf={form_token}"), &headers).await
        }
    };
    // The pre-sign-in double-submit pair is not honoured beside a live session.
    let anonymous = "0123456789abcdef0123456789abcdef".to_owned();
    let r = sign_out(anonymous.clone(), format!("opc_session={session}; opc_csrf={anonymous}")).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(app.send("GET", "/api/v1/me", "", &bearer(&session)).await.status, 200, "still signed in");
    // The session's own token signs out.
    let r = sign_out(csrf_token(&session), format!("opc_session={session}; opc_csrf={anonymous}")).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(app.send("GET", "/api/v1/me", "", &bearer(&session)).await.status, 401, "signed out");
}
