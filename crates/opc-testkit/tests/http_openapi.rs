//! Issue 18, item 7: the OpenAPI document lists every status each console-API operation can
//! answer. Every operation the document lists is driven with what clients send: no session,
//! each audience's session (so every operation meets a wrong audience), the session cookie
//! without the CSRF proof, an empty, a malformed and the documented example body, a path that
//! does not decode, a query that does not parse. Every answer must be declared for its
//! operation, and every refusal be in the error envelope. On both backends.

use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::console::{account, bearer, call, hcpn_partner, sign_in, staff};
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

on_both_backends!(
    every_answer_of_every_operation_is_declared_in_the_document,
    a_body_the_document_requires_is_refused_when_empty,
);

/// An id of the right shape that names nothing.
const UNKNOWN: &str = "0123456789abcdef0123456789abcdef";

struct Caller {
    who: &'static str,
    headers: Vec<(String, String)>,
}

/// One operation of the document, and what it declares.
struct Operation {
    method: String,
    path: String,
    declared: Vec<u16>,
    body_required: bool,
    example: Option<Value>,
}

fn operations(doc: &Value) -> Vec<Operation> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            let declared = op["responses"].as_object().expect("responses").keys().map(|s| s.parse().unwrap()).collect();
            let media = &op["requestBody"]["content"]["application/json"];
            all.push(Operation {
                method: method.to_ascii_uppercase(),
                path: path.clone(),
                declared,
                body_required: op["requestBody"]["required"] == json!(true),
                example: media.get("example").cloned(),
            });
        }
    }
    // Those that change who a caller is go last, so that every other operation meets each
    // audience: joining HCPN makes an account a partner; signing out ends the session.
    all.sort_by_key(|o| LAST.iter().position(|(m, p)| o.method == *m && o.path == *p));
    all
}

const LAST: [(&str, &str); 2] = [("POST", "/api/v1/hcpn/application"), ("DELETE", "/api/v1/sessions/current")];

/// Who each caller is: the kind of user, and the partner it acts for.
async fn identities(app: &TestApp, callers: &[Caller]) -> Vec<(String, Value, Value)> {
    let mut all = Vec::new();
    for caller in callers {
        let me = app.send("GET", "/api/v1/me", "", &caller.headers).await;
        let me = serde_json::from_str::<Value>(&me.body).unwrap_or_default();
        all.push((caller.who.to_owned(), me["kind"].clone(), me["partner"]["partner_id"].clone()));
    }
    all
}

/// The path with each `{parameter}` replaced by `value(parameter)`.
fn fill(path: &str, value: impl Fn(&str) -> String) -> String {
    path.split('/')
        .map(|seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => value(name),
            None => seg.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// What is wrong with `answer` to `op`, if anything.
fn check(op: &Operation, what: &str, answer: &TestResponse) -> Option<String> {
    let status = answer.status.as_u16();
    let name = format!("{} {} ({what})", op.method, op.path);
    if !op.declared.contains(&status) {
        return Some(format!("{name}: {status} is not declared (declared {:?}): {}", op.declared, answer.body));
    }
    if status >= 400 {
        let json = serde_json::from_str::<Value>(&answer.body).ok();
        let envelope = json
            .as_ref()
            .and_then(Value::as_object)
            .is_some_and(|o| o.len() == 2 && o["error_code"].is_string() && o["error_msg"].is_string());
        let content_type = answer.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
        if !envelope || content_type != "application/json" || answer.headers.get("x-request-id").is_none() {
            return Some(format!("{name}: {status} is not the error envelope ({content_type}): {}", answer.body));
        }
    }
    None
}

async fn every_answer_of_every_operation_is_declared_in_the_document(db: TestStore) {
    let app = TestApp::new(db).await;
    let staff = staff(&app).await;
    let (partner, partner_id) = hcpn_partner(&app, "owner@acme.example", "Acme Cloud").await;
    let member =
        json!({"name": "Mei Tan", "email": "mei@acme.example", "password": "Member123!", "position": "member"});
    assert_eq!(call(&app, "POST", "/api/v1/partner/members", member, &partner).await.status, 201);
    let member = sign_in(&app, "mei@acme.example", "Member123!").await;
    let customer = account(&app, "cust_one", "cust@example.com", |_| {}).await;
    let customer_id = call(&app, "GET", "/api/v1/me", Value::Null, &customer).await.json()["account"]["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let json_type = ("Content-Type".to_owned(), "application/json".to_owned());
    let callers = [
        Caller { who: "no session", headers: vec![json_type.clone()] },
        Caller { who: "staff", headers: bearer(&staff) },
        Caller { who: "partner", headers: bearer(&partner) },
        Caller { who: "member without a role", headers: bearer(&member) },
        Caller { who: "customer", headers: bearer(&customer) },
    ];
    // The session cookie without this site's Origin and the session's X-CSRF-Token.
    let cookie = vec![json_type, ("Cookie".to_owned(), format!("opc_session={partner}"))];
    let plausible = |name: &str| match name {
        "partner" => partner_id.clone(),
        "account" | "applicant" | "customer" => customer_id.clone(),
        "program" => "csp".to_owned(),
        "kind" => "business".to_owned(),
        _ => UNKNOWN.to_owned(),
    };

    let doc = app.send("GET", "/api/v1/openapi.json", "", &[]).await.json();
    let operations = operations(&doc);
    assert_eq!(operations.len(), opc_http::api::endpoints().len(), "the document lists every operation");
    let mut faults = Vec::new();
    let mut sent = 0;
    let before = identities(&app, &callers).await;
    for op in &operations {
        if (op.method.as_str(), op.path.as_str()) == LAST[0] {
            assert_eq!(identities(&app, &callers).await, before, "every caller kept its audience until {}", op.path);
        }
        let target = fill(&op.path, plausible);
        let mut bodies = vec![("an empty body", String::new()), ("a malformed body", "{\"unclosed".to_owned())];
        bodies.extend(op.example.as_ref().map(|e| ("the example body", e.to_string())));
        for caller in &callers {
            for (what, body) in &bodies {
                let answer = app.send(&op.method, &target, body, &caller.headers).await;
                sent += 1;
                faults.extend(check(op, &format!("{}, {what}", caller.who), &answer));
                if what == &"an empty body" && op.body_required && answer.status.is_success() {
                    faults.push(format!("{} {} accepts an empty body from the {}", op.method, op.path, caller.who));
                }
            }
        }
        if op.method != "GET" {
            let body = op.example.as_ref().map(Value::to_string).unwrap_or_default();
            let answer = app.send(&op.method, &target, &body, &cookie).await;
            faults.extend(check(op, "the session cookie without the CSRF proof", &answer));
        }
        if op.path.contains('{') {
            let undecodable = fill(&op.path, |_| "%FF".to_owned());
            let answer = app.send(&op.method, &undecodable, "", &bearer(&partner)).await;
            faults.extend(check(op, "a path that does not decode", &answer));
        }
        if op.method == "GET" {
            let query = format!("{target}?limit=ten&offset=-1&limit=2&page=x");
            for caller in &callers[1..] {
                let answer = app.send("GET", &query, "", &caller.headers).await;
                faults.extend(check(op, &format!("{}, a query that does not parse", caller.who), &answer));
            }
        }
    }
    assert!(sent > operations.len() * 10, "{sent} requests");
    assert!(faults.is_empty(), "{} answers the document does not declare:\n{}", faults.len(), faults.join("\n"));
}

/// The three operations the fuzzing found taking an empty body the document requires.
async fn a_body_the_document_requires_is_refused_when_empty(db: TestStore) {
    let app = TestApp::new(db).await;
    let (partner, _) = hcpn_partner(&app, "owner@acme.example", "Acme Cloud").await;
    let customer = account(&app, "cust_one", "cust@example.com", |_| {}).await;
    let json_type = [("Content-Type".to_owned(), "application/json".to_owned())];
    for (path, headers) in [
        ("/api/v1/member-password-resets/verification-codes", json_type.to_vec()),
        ("/api/v1/new-account-links/verification-codes", bearer(&customer)),
        ("/api/v1/partner/access-keys", bearer(&partner)),
    ] {
        for empty in ["", " \n"] {
            let msg = app.send("POST", path, empty, &headers).await.assert_error(400, "CBC.0100");
            assert!(msg.starts_with("Invalid parameter: body: is required"), "{path}: {msg}");
        }
    }
    assert_eq!(app.ctx.store.notifications(None, 10).await.unwrap().len(), 0, "no code was sent");
    let keys = call(&app, "GET", "/api/v1/partner/access-keys", Value::Null, &partner).await.json();
    assert_eq!(keys["access_keys"].as_array().map(Vec::len), Some(0), "no key was issued: {keys}");
    // The member reset names its member, as the document says.
    let reset = "/api/v1/member-password-resets/verification-codes";
    let msg = call(&app, "POST", reset, json!({}), "").await.assert_error(400, "CBC.0100");
    assert!(msg.contains("administrator_account"), "{msg}");
    let msg =
        call(&app, "POST", reset, json!({"administrator_account": "acme"}), "").await.assert_error(400, "CBC.0100");
    assert!(msg.contains("user"), "{msg}");
    let anyone = json!({"administrator_account": "acme", "user": "nobody@acme.example"});
    assert_eq!(call(&app, "POST", reset, anyone, "").await.status, 202, "the same answer whether or not it exists");
    // An empty object is a body: the optional fields take their defaults.
    assert_eq!(
        call(&app, "POST", "/api/v1/new-account-links/verification-codes", json!({}), &customer).await.status,
        202
    );
    assert_eq!(call(&app, "POST", "/api/v1/partner/access-keys", json!({}), &partner).await.status, 201);
}
