//! Issue 18, item 5: a change authenticated by the session cookie must come from this site and
//! carry the session's own CSRF token; bearer-token calls stay as they are. Served over HTTPS,
//! every cookie is `Secure` and `__Host-` prefixed. On both backends.

use opc_testkit::app::TestApp;
use opc_testkit::app::TestResponse;
use opc_testkit::console::{account, bearer, hcpn_partner};
use opc_testkit::{on_both_backends, TestStore};
use serde_json::json;

on_both_backends!(
    cookie_writes_to_the_console_api_need_this_origin_and_the_session_token,
    a_live_session_s_forms_take_only_the_session_token,
    over_https_every_cookie_is_host_prefixed_and_secure_and_the_session_works_through_them,
    over_plain_http_the_cookies_keep_their_names_and_are_not_secure,
    an_http_public_url_keeps_the_plain_cookies,
    behind_a_proxy_the_public_url_is_the_only_origin_accepted,
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

/// `GET /api/v1/me` with these cookies.
async fn me(app: &TestApp, cookies: String) -> TestResponse {
    app.send("GET", "/api/v1/me", "", &[("Cookie".to_owned(), cookies)]).await
}

/// The `Set-Cookie` headers of an answer.
fn set_cookies(r: &TestResponse) -> Vec<String> {
    r.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect()
}

/// The value `cookie` is set to by the answer.
fn cookie_value(r: &TestResponse, name: &str) -> Option<String> {
    set_cookies(r).iter().find_map(|c| c.split(';').next()?.strip_prefix(&format!("{name}=")).map(str::to_owned))
}

fn form_headers(host: &str, cookies: String) -> Vec<(String, String)> {
    vec![
        ("Host".to_owned(), host.to_owned()),
        ("Origin".to_owned(), format!("https://{host}")),
        ("Cookie".to_owned(), cookies),
        ("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()),
    ]
}

async fn over_https_every_cookie_is_host_prefixed_and_secure_and_the_session_works_through_them(db: TestStore) {
    let app = TestApp::with_public_url(db, "https://partners.example.com/").await;
    let host = "partners.example.com";
    account(&app, "ana_lim", "ana@example.com", |_| {}).await;
    let all_marked = |r: &TestResponse| {
        let cookies = set_cookies(r);
        assert!(!cookies.is_empty(), "{r:?}");
        for c in cookies {
            assert!(
                c.starts_with("__Host-opc_")
                    && c.contains("; Secure")
                    && c.contains("; HttpOnly")
                    && c.contains("; SameSite=Lax")
                    && c.contains("; Path=/")
                    && !c.to_ascii_lowercase().contains("domain="),
                "{c}"
            );
        }
    };

    // The console API's sign-in.
    let body = json!({"login": "ana@example.com", "password": "Secret123!"}).to_string();
    let r = app.send("POST", "/api/v1/sessions", &body, &[("Content-Type".into(), "application/json".into())]).await;
    assert_eq!(r.status, 201, "{}", r.body);
    all_marked(&r);
    let token = r.json()["token"].as_str().unwrap().to_owned();
    let max_age = opc_domain::console::Session::LIFETIME.0 / 1000;
    assert_eq!(
        set_cookies(&r),
        [format!("__Host-opc_session={token}; Secure; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}")]
    );
    // Only the prefixed name is read: a bare `opc_session` could be planted by a sibling host.
    assert_eq!(me(&app, format!("__Host-opc_session={token}")).await.status, 200);
    me(&app, format!("opc_session={token}")).await.assert_error(401, "CBC.0154");
    // A cookie-carried change through the prefixed cookie, from this site with its token.
    let headers = vec![
        ("Host".to_owned(), host.to_owned()),
        ("Origin".to_owned(), format!("https://{host}")),
        ("Cookie".to_owned(), format!("__Host-opc_session={token}")),
        ("X-CSRF-Token".to_owned(), csrf_token(&token)),
    ];
    let r = app.send("PUT", "/api/v1/me/password", "{}", &headers).await;
    r.assert_error(400, "CBC.0100");

    // The console's pages: the sign-in form's CSRF cookie, the session, the flash message.
    let login = app.send("GET", "/login", "", &[("Host".to_owned(), host.to_owned())]).await;
    assert_eq!(login.status, 200);
    all_marked(&login);
    let anonymous = cookie_value(&login, "__Host-opc_csrf").expect("the form's CSRF cookie");
    let form = format!("_csrf={anonymous}&login=ana%40example.com&password=Secret123%21&next=%2Fmy-partner");
    let r = app.send("POST", "/login", &form, &form_headers(host, format!("opc_csrf={anonymous}"))).await;
    assert_eq!(r.status, 403, "the bare CSRF cookie is not read: {}", r.body);
    let r = app.send("POST", "/login", &form, &form_headers(host, format!("__Host-opc_csrf={anonymous}"))).await;
    assert_eq!(r.status, 303, "{}", r.body);
    all_marked(&r);
    let session = cookie_value(&r, "__Host-opc_session").expect("the session cookie");
    let page =
        app.send("GET", "/my-partner", "", &[("Cookie".to_owned(), format!("__Host-opc_session={session}"))]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let bare = app.send("GET", "/my-partner", "", &[("Cookie".to_owned(), format!("opc_session={session}"))]).await;
    assert!(bare.status.is_redirection() && bare.headers["location"].to_str().unwrap().starts_with("/login"));
    let cookies = format!("__Host-opc_session={session}");
    let r = app.send("POST", "/logout", &format!("_csrf={}", csrf_token(&session)), &form_headers(host, cookies)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    all_marked(&r);
    assert_eq!(cookie_value(&r, "__Host-opc_session").as_deref(), Some(""), "the session cookie is removed");
    let flash = cookie_value(&r, "__Host-opc_flash").expect("the flash message");
    let shown = app.send("GET", "/login", "", &[("Cookie".to_owned(), format!("__Host-opc_flash={flash}"))]).await;
    assert!(shown.body.contains("You are signed out."), "{}", shown.body);
    all_marked(&shown);
    assert_eq!(cookie_value(&shown, "__Host-opc_flash").as_deref(), Some(""), "shown once");

    // The document names the cookie the server reads.
    let doc = app.send("GET", "/api/v1/openapi.json", "", &[]).await.json();
    assert_eq!(doc["components"]["securitySchemes"]["session"]["name"], "__Host-opc_session");
}

async fn over_plain_http_the_cookies_keep_their_names_and_are_not_secure(db: TestStore) {
    plain_cookies(&TestApp::new(db).await).await;
}

async fn an_http_public_url_keeps_the_plain_cookies(db: TestStore) {
    plain_cookies(&TestApp::with_public_url(db, "http://127.0.0.1:8080").await).await;
}

/// The cookies of a local run: bare names, not `Secure`; the prefixed names are not read.
async fn plain_cookies(app: &TestApp) {
    account(app, "ana_lim", "ana@example.com", |_| {}).await;
    let body = json!({"login": "ana@example.com", "password": "Secret123!"}).to_string();
    let r = app.send("POST", "/api/v1/sessions", &body, &[("Content-Type".into(), "application/json".into())]).await;
    let token = r.json()["token"].as_str().unwrap().to_owned();
    let max_age = opc_domain::console::Session::LIFETIME.0 / 1000;
    assert_eq!(set_cookies(&r), [format!("opc_session={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}")]);
    assert_eq!(me(app, format!("opc_session={token}")).await.status, 200);
    me(app, format!("__Host-opc_session={token}")).await.assert_error(401, "CBC.0154");
    let login = app.send("GET", "/login", "", &[]).await;
    let csrf = set_cookies(&login);
    assert!(csrf.len() == 1 && csrf[0].starts_with("opc_csrf=") && !csrf[0].contains("Secure"), "{csrf:?}");
    let doc = app.send("GET", "/api/v1/openapi.json", "", &[]).await.json();
    assert_eq!(doc["components"]["securitySchemes"]["session"]["name"], "opc_session");
}

/// Behind a proxy the server may see an internal `Host`; with a public URL, a cookie-carried
/// change must come from the public URL's origin, and no other (issue 18, item 5).
async fn behind_a_proxy_the_public_url_is_the_only_origin_accepted(db: TestStore) {
    let app = TestApp::with_public_url(db, "https://partners.example.com/console").await;
    account(&app, "ana_lim", "ana@example.com", |_| {}).await;
    let body = json!({"login": "ana@example.com", "password": "Secret123!"}).to_string();
    let r = app.send("POST", "/api/v1/sessions", &body, &[("Content-Type".into(), "application/json".into())]).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let token = r.json()["token"].as_str().unwrap().to_owned();
    let change = |origin: &str| {
        vec![
            ("Host".to_owned(), "10.0.0.5:8080".to_owned()),
            ("Origin".to_owned(), origin.to_owned()),
            ("Cookie".to_owned(), format!("__Host-opc_session={token}")),
            ("X-CSRF-Token".to_owned(), csrf_token(&token)),
        ]
    };
    // From the public site: past the origin check (then refused for its empty body).
    let r = app.send("PUT", "/api/v1/me/password", "{}", &change("https://partners.example.com")).await;
    r.assert_error(400, "CBC.0100");
    // From the internal address the proxy forwards to, or a look-alike: refused.
    for origin in ["http://10.0.0.5:8080", "http://partners.example.com", "https://partners.example.com.evil.example"] {
        let r = app.send("PUT", "/api/v1/me/password", "{}", &change(origin)).await;
        r.assert_error(403, "CBC.0151");
    }
}
