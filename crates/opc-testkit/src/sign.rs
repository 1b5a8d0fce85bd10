//! Signs requests exactly as the SDK does (spec/BSS-API.md A.3–A.4), so tests can forge every
//! kind of bad request from a good one.

use opc_domain::signature::{self, Authorization, ReceivedRequest};

/// What a signed request carries besides its method, target and body.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub access_key: String,
    pub secret_key: String,
    pub domain_id: String,
}

/// The headers the SDK sends for `method target` with `body`, signed with `creds` at
/// `sdk_date` (`YYYYMMDDThhmmssZ`): Content-Type, User-Agent, X-Domain-Id, X-Sdk-Date, Host,
/// Authorization.
pub fn sdk_headers(
    method: &str,
    target: &str,
    body: &[u8],
    creds: &Credentials,
    sdk_date: &str,
) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = vec![
        ("Content-Type".into(), "application/json".into()),
        ("User-Agent".into(), "huaweicloud-usdk-python/3.0".into()),
        ("X-Domain-Id".into(), creds.domain_id.clone()),
        ("X-Sdk-Date".into(), sdk_date.into()),
        ("Host".into(), "127.0.0.1:8080".into()),
    ];
    let authorization = authorization(method, target, body, &headers, creds);
    headers.push(("Authorization".into(), authorization));
    headers
}

/// The `Authorization` value for a request with these headers (all of them signed).
pub fn authorization(
    method: &str,
    target: &str,
    body: &[u8],
    headers: &[(String, String)],
    creds: &Credentials,
) -> String {
    let mut signed: Vec<String> = headers.iter().map(|(n, _)| n.to_ascii_lowercase()).collect();
    signed.sort();
    let auth = Authorization { access_key: creds.access_key.clone(), signed_headers: signed, signature: String::new() };
    let list: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let (raw_path, raw_query) = target.split_once('?').unwrap_or((target, ""));
    let req = ReceivedRequest { method, raw_path, raw_query, headers: &list, body };
    let creq = signature::canonical_request(&req, &auth).expect("every signed header is present");
    let date = req.header("x-sdk-date").unwrap_or_default();
    let sig = signature::sign(creds.secret_key.as_bytes(), &signature::string_to_sign(date, &creq));
    format!(
        "SDK-HMAC-SHA256 Access={}, SignedHeaders={}, Signature={sig}",
        creds.access_key,
        auth.signed_headers.join(";")
    )
}
