//! Driving the console API as its users do: sessions by bearer token, accounts with chosen
//! facts, HCPN partners and operator staff.

use opc_core::ops::console;
use opc_domain::account::{Account, AccountName, AccountType, StoredAccount};
use opc_domain::customer::Email;
use opc_domain::text::CountryCode;
use opc_domain::AccountId;
use serde_json::{json, Value};

use crate::app::{TestApp, TestResponse, T0};

pub fn bearer(token: &str) -> Vec<(String, String)> {
    vec![("Authorization".into(), format!("Bearer {token}")), ("Content-Type".into(), "application/json".into())]
}

/// A JSON request with the session `token`; a `Value::Null` body sends none.
pub async fn call(app: &TestApp, method: &str, path: &str, body: Value, token: &str) -> TestResponse {
    let body = if body.is_null() { String::new() } else { body.to_string() };
    app.send(method, path, &body, &bearer(token)).await
}

/// Signs in and returns the session token.
pub async fn sign_in(app: &TestApp, login: &str, password: &str) -> String {
    let body = json!({"login": login, "password": password}).to_string();
    let r = app.send("POST", "/api/v1/sessions", &body, &[("Content-Type".into(), "application/json".into())]).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["token"].as_str().unwrap().to_owned()
}

/// Stores an account named `name` (its login ID) in Singapore with password `Secret123!`,
/// `edit` applied, and signs it in.
pub async fn account(app: &TestApp, name: &str, email: &str, edit: impl FnOnce(&mut StoredAccount)) -> String {
    let id = AccountId::from_random(*uuid::Uuid::new_v4().as_bytes());
    let mut a = Account::new_registered(id, AccountName::parse(name).unwrap(), CountryCode::parse("SG").unwrap(), T0);
    a.set_login(Some(email.to_owned()), Some(opc_core::passwords::hash_blocking("Secret123!").unwrap()));
    crate::seed::edit_account(&mut a, edit);
    app.ctx.store.register_account(&a, &Email::parse(email).unwrap(), None, &[]).await.unwrap();
    sign_in(app, email, "Secret123!").await
}

/// An enterprise account of `company` that joined HCPN: its session and partner id.
pub async fn hcpn_partner(app: &TestApp, email: &str, company: &str) -> (String, String) {
    let name = format!("acct_{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let token = account(app, &name, email, |a| a.account_type = AccountType::Enterprise).await;
    let form = json!({"business": {"company_name": company, "country": "SG", "address": "1 Example Road"},
        "contact": {"name": "Ana Lim", "email": email, "phone": "+65 6123 4567"},
        "sensitive_relationships": {"has_relationship": false}, "agreement_accepted": true});
    assert_eq!(call(app, "POST", "/api/v1/hcpn/application", form, &token).await.json()["state"], "approved");
    let me = call(app, "GET", "/api/v1/me", Value::Null, &token).await.json();
    (token, me["partner"]["partner_id"].as_str().unwrap().to_owned())
}

/// Operator staff `ops@provider.example`, signed in.
pub async fn staff(app: &TestApp) -> String {
    console::create_staff(&app.ctx, "ops@provider.example", "Olga Ops", "Opspass123!", "test").await.unwrap();
    sign_in(app, "ops@provider.example", "Opspass123!").await
}

/// The rule ids of the objects in `body[list]`.
pub fn rules(body: &Value, list: &str) -> Vec<String> {
    body[list].as_array().unwrap().iter().map(|c| c["rule"].as_str().unwrap().to_owned()).collect()
}

/// The console's page token for a session: what its pages embed in forms.
pub fn csrf_token(session: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(format!("opc-console-csrf\0{session}").as_bytes())[..16])
}

/// The session cookie a browser sends.
pub fn cookie(session: &str) -> Vec<(String, String)> {
    vec![("Cookie".to_owned(), format!("opc_session={session}"))]
}

/// A console page as the signed-in browser gets it; it must answer 200.
pub async fn page(app: &TestApp, session: &str, path: &str) -> String {
    let r = app.send("GET", path, "", &cookie(session)).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.body
}

/// A console form posted by the signed-in browser, with the page token and the fields
/// percent-encoded.
pub async fn submit(app: &TestApp, session: &str, path: &str, fields: &[(&str, &str)]) -> TestResponse {
    let mut body = format!("_csrf={}", csrf_token(session));
    for (k, v) in fields {
        let v: String = v
            .bytes()
            .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
            .collect();
        body.push_str(&format!("&{k}={v}"));
    }
    let mut headers = cookie(session);
    headers.push(("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()));
    app.send("POST", path, &body, &headers).await
}

/// The message a form left for the next page: the flash cookie of a redirect, hex-encoded.
pub fn flash(r: &TestResponse) -> String {
    let cookie =
        r.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find(|v| v.starts_with("opc_flash="));
    let hex_text = cookie.and_then(|c| c.trim_start_matches("opc_flash=").split(';').next()).unwrap_or_default();
    String::from_utf8(hex::decode(hex_text).unwrap_or_default()).unwrap_or_default()
}
