//! SDK-HMAC-SHA256, the request signature of Huawei Cloud's SDKs, verified server-side exactly as
//! `huaweicloudsdkcore/signer/signer.py` computes it (spec/BSS-API.md Part A.4).
//!
//! Pure: the caller hands in the request as received (raw path, raw query, headers, body bytes),
//! the secret key and `now`; nothing here reads a clock or a store.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::time::{Millis, Timestamp};

pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
/// SHA-256 of the empty string: the payload hash of a request without a body.
pub const EMPTY_BODY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// The `X-Sdk-Content-Sha256` of a request whose body is not signed (the SDK sends it for
/// bodies that are not JSON; BSS calls never do).
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The largest accepted distance between `X-Sdk-Date` and the server's clock, either way.
pub const MAX_CLOCK_SKEW: Millis = Millis::minutes(15);

/// Why a request's signature was refused. Every variant is answered with HTTP 401; the
/// variants exist for the log and for a precise message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the request has no Authorization header")]
    Missing,
    #[error("the Authorization header is not an SDK-HMAC-SHA256 signature")]
    UnsupportedAlgorithm,
    #[error("the Authorization header is malformed: {0}")]
    Malformed(&'static str),
    #[error("the signed header {0} is not in the request")]
    SignedHeaderMissing(String),
    #[error("the X-Sdk-Date header is missing or not signed")]
    DateNotSigned,
    #[error("the X-Sdk-Date header is not in the format YYYYMMDDThhmmssZ")]
    DateMalformed,
    #[error("the X-Sdk-Date is more than 15 minutes away from the server's time")]
    Stale,
    #[error("the signature does not match")]
    Mismatch,
    /// The signature covers a declared payload hash, so it must be the body's; otherwise the
    /// same signed headers would carry any body.
    #[error("the X-Sdk-Content-Sha256 header is not the SHA-256 of the body")]
    PayloadHashMismatch,
    #[error("X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD is accepted only for a request without a body")]
    UnsignedPayload,
}

/// A request exactly as it arrived.
pub struct ReceivedRequest<'a> {
    pub method: &'a str,
    /// The path as sent, still percent-encoded.
    pub raw_path: &'a str,
    /// The query string as sent, without `?` (empty if none).
    pub raw_query: &'a str,
    /// Every header as received; names in any case. A header that is not valid UTF-8 must be
    /// left out by the caller (it then counts as missing if signed).
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
}

impl ReceivedRequest<'_> {
    /// The first value of a header, looked up case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
    }
}

/// The parsed `Authorization: SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    pub access_key: String,
    /// Lowercased header names, in the order given.
    pub signed_headers: Vec<String>,
    pub signature: String,
}

impl Authorization {
    pub fn parse(value: &str) -> Result<Authorization, SignatureError> {
        let (algorithm, rest) = value.split_once(' ').ok_or(SignatureError::UnsupportedAlgorithm)?;
        if algorithm != ALGORITHM {
            return Err(SignatureError::UnsupportedAlgorithm);
        }
        let (mut access, mut signed, mut signature) = (None, None, None);
        for item in rest.split(',') {
            let (key, val) = item.trim().split_once('=').ok_or(SignatureError::Malformed("a part has no '='"))?;
            let slot = match key {
                "Access" => &mut access,
                "SignedHeaders" => &mut signed,
                "Signature" => &mut signature,
                _ => return Err(SignatureError::Malformed("unknown part")),
            };
            if slot.replace(val).is_some() {
                return Err(SignatureError::Malformed("a part is repeated"));
            }
        }
        let access_key = access.filter(|a| !a.is_empty()).ok_or(SignatureError::Malformed("Access is missing"))?;
        let signed = signed.filter(|s| !s.is_empty()).ok_or(SignatureError::Malformed("SignedHeaders is missing"))?;
        let signature = signature.filter(|s| !s.is_empty()).ok_or(SignatureError::Malformed("Signature is missing"))?;
        Ok(Authorization {
            access_key: access_key.to_owned(),
            signed_headers: signed.split(';').map(str::to_ascii_lowercase).collect(),
            signature: signature.to_owned(),
        })
    }

    pub fn signs(&self, header: &str) -> bool {
        self.signed_headers.iter().any(|h| h.eq_ignore_ascii_case(header))
    }
}

/// The canonical request of A.4 step 5, written into one buffer (it is built for every
/// signed request: no piece is allocated on its own where it can be avoided).
pub fn canonical_request(req: &ReceivedRequest<'_>, auth: &Authorization) -> Result<String, SignatureError> {
    let mut out = String::with_capacity(256 + req.raw_path.len() + req.raw_query.len());
    out.extend(req.method.chars().map(|c| c.to_ascii_uppercase()));
    out.push('\n');
    push_canonical_uri(&mut out, req.raw_path);
    out.push('\n');
    if !req.raw_query.is_empty() {
        out.push_str(&canonical_query(req.raw_query));
    }
    out.push('\n');
    for name in &auth.signed_headers {
        let value = req.header(name).ok_or_else(|| SignatureError::SignedHeaderMissing(name.clone()))?;
        out.push_str(name);
        out.push(':');
        out.push_str(value.trim());
        out.push('\n');
    }
    out.push('\n');
    for (i, name) in auth.signed_headers.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
    out.push('\n');
    let body_sha256 = if req.body.is_empty() { None } else { Some(hex_lower(&Sha256::digest(req.body))) };
    let body_sha256 = body_sha256.as_deref().unwrap_or(EMPTY_BODY_SHA256);
    // The SDK signs a declared hash in place of the body's: it stands for the body only if it
    // is the body's hash (hex in either case), or UNSIGNED-PAYLOAD when there is no body.
    let payload = match req.header("x-sdk-content-sha256") {
        Some(UNSIGNED_PAYLOAD) if req.body.is_empty() => UNSIGNED_PAYLOAD,
        Some(UNSIGNED_PAYLOAD) => return Err(SignatureError::UnsignedPayload),
        Some(declared) if declared.eq_ignore_ascii_case(body_sha256) => declared,
        Some(_) => return Err(SignatureError::PayloadHashMismatch),
        None => body_sha256,
    };
    out.push_str(payload);
    Ok(out)
}

pub fn string_to_sign(sdk_date: &str, canonical_request: &str) -> String {
    let digest = hex_lower(&Sha256::digest(canonical_request.as_bytes()));
    let mut out = String::with_capacity(ALGORITHM.len() + sdk_date.len() + digest.len() + 2);
    out.push_str(ALGORITHM);
    out.push('\n');
    out.push_str(sdk_date);
    out.push('\n');
    out.push_str(&digest);
    out
}

/// Lowercase hex HMAC-SHA256 of the string to sign, keyed with the secret key's UTF-8 bytes.
pub fn sign(secret_key: &[u8], string_to_sign: &str) -> String {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret_key).expect("HMAC takes keys of any length");
    mac.update(string_to_sign.as_bytes());
    hex_lower(&mac.finalize().into_bytes())
}

/// Lowercase hex of `bytes`, by table.
fn hex_lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Verifies a request signed with `secret_key`: the date is signed, well-formed and within
/// [`MAX_CLOCK_SKEW`] of `now`, and the signature matches (compared in constant time).
pub fn verify(
    req: &ReceivedRequest<'_>,
    auth: &Authorization,
    secret_key: &[u8],
    now: Timestamp,
) -> Result<(), SignatureError> {
    if !auth.signs("x-sdk-date") {
        return Err(SignatureError::DateNotSigned);
    }
    let sdk_date = req.header("x-sdk-date").ok_or(SignatureError::DateNotSigned)?.trim();
    let signed_at = Timestamp::parse_sdk_date(sdk_date).map_err(|_| SignatureError::DateMalformed)?;
    if now.since(signed_at).0.abs() > MAX_CLOCK_SKEW.0 {
        return Err(SignatureError::Stale);
    }
    let expected = sign(secret_key, &string_to_sign(sdk_date, &canonical_request(req, auth)?));
    if bool::from(expected.as_bytes().ct_eq(auth.signature.as_bytes())) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The instant from which no request accepted at `now` can be accepted again: its date may
/// lie up to [`MAX_CLOCK_SKEW`] ahead of `now`, and is refused once it lies that far behind.
/// What remembers accepted signatures (to answer replays once) needs to keep them only so long.
pub fn replays_refused_from(now: Timestamp) -> Timestamp {
    now.plus(Millis(2 * MAX_CLOCK_SKEW.0))
}

/// Percent-decodes the path, splits it on `/`, re-encodes each segment and ends it with `/`.
pub fn canonical_uri(raw_path: &str) -> String {
    let mut out = String::with_capacity(raw_path.len() + 1);
    push_canonical_uri(&mut out, raw_path);
    out
}

/// [`canonical_uri`] onto `out`. A path of unreserved characters and `/` only (what the API's
/// paths are) is its own canonical form, ended with `/`.
fn push_canonical_uri(out: &mut String, raw_path: &str) {
    if raw_path.bytes().all(|b| b == b'/' || is_unreserved(b)) {
        out.push_str(raw_path);
        if !raw_path.ends_with('/') {
            out.push('/');
        }
        return;
    }
    out.push_str(&encoded_uri(raw_path));
}

fn encoded_uri(raw_path: &str) -> String {
    let decoded = percent_decode(raw_path);
    let mut uri = decoded.split('/').map(encode).collect::<Vec<_>>().join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Decodes every `name=value` pair, sorts by (name, value) and re-encodes them.
pub fn canonical_query(raw_query: &str) -> String {
    let mut pairs: Vec<(String, String)> = raw_query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    pairs.sort();
    pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

/// RFC 3986 encoding as Python's `quote(s, safe='~')`: `A-Za-z0-9-_.~` stay, every other UTF-8
/// byte becomes `%XX` with uppercase hex.
pub fn encode(text: &str) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(DIGITS[usize::from(b >> 4)]));
            out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// RFC 3986's unreserved characters: never percent-encoded.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Python's `unquote`: valid `%XX` escapes become bytes, anything else stays as it is, and the
/// bytes are read as UTF-8 with invalid sequences replaced.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    //! The worked examples of spec/BSS-API.md A.4.1, computed by the SDK's own signer.
    use super::*;

    #[test]
    fn a_signature_accepted_now_is_stale_by_the_time_its_replays_are_forgotten() {
        let now = Timestamp::from_unix_ms(1_700_000_000_000);
        let forget = replays_refused_from(now);
        // The latest date accepted now, at the instant the replay record goes.
        let latest_signed = now.plus(MAX_CLOCK_SKEW);
        assert!(forget.since(latest_signed).0 >= MAX_CLOCK_SKEW.0);
    }

    const SK: &[u8] = b"EXAMPLESK00000000000000000000000000000001";
    const DOMAIN: &str = "0123456789abcdef0123456789abcdef";
    const DATE: &str = "20240102T030405Z";

    struct Vector {
        method: &'static str,
        target: &'static str,
        x_language: bool,
        body: &'static str,
        signed_headers: &'static str,
        canonical_sha256: &'static str,
        signature: &'static str,
    }

    const STD: &str = "content-type;host;user-agent;x-domain-id;x-sdk-date";

    const VECTORS: [Vector; 5] = [
        Vector {
            method: "POST",
            target: "/v2/partners/sub-customers/query",
            x_language: false,
            body: r#"{"account_name": "customer01", "offset": 0, "limit": 10}"#,
            signed_headers: STD,
            canonical_sha256: "2db7bca3c85151dd5e0da94786604e13ed47980cc65b96cd754c2b441c6c6cb9",
            signature: "2a141ed48e3461456b82f51f0d3f6dde27abb60c257493db9d65e4576804b110",
        },
        Vector {
            method: "GET",
            target: "/v2/products/service-types?limit=10&offset=0&service_type_name=Elastic%20Cloud%20Server%3AECS%20%E4%BA%91%E6%9C%8D%E5%8A%A1%E5%99%A8",
            x_language: true,
            body: "",
            signed_headers: "content-type;host;user-agent;x-domain-id;x-language;x-sdk-date",
            canonical_sha256: "e65231bf95983c21092251f3d257cfa9778ae4e148ca69b6a3809f8d99655441",
            signature: "1358eef30b460191db0bf153dd8ef70885e077630ca5e55ce29f875eeb976f59",
        },
        Vector {
            method: "GET",
            target: "/v2/promotions/benefits/partner-coupons/records/query?coupon_ids=CP001&coupon_ids=CP002&limit=10&operation_types=1&operation_types=2",
            x_language: false,
            body: "",
            signed_headers: STD,
            canonical_sha256: "8f7e361af763a5b290eb9c8bd17c19da7ada6c5c7eada390b34169e7e3d054c2",
            signature: "e5f2f1f902ce6b874efbd81d7045f79b2a71a0cf170bf03627078582295a8f19",
        },
        Vector {
            method: "GET",
            target: "/v2/orders/customer-orders/details/CS2401020304ABCDE?limit=10",
            x_language: false,
            body: "",
            signed_headers: STD,
            canonical_sha256: "5d1dd10a603adaa04f40d84594d915c03fe718d0c399ba273bc384fe07d65698",
            signature: "e336aff0e47faa293026b8b683bfb39fc176dcbd2fb5f4a63b6b70c71db6bc38",
        },
        Vector {
            method: "GET",
            target: "/v1.0/0123456789abcdef0123456789abcdef/payments/intl-invoices?limit=10&offset=0",
            x_language: false,
            body: "",
            signed_headers: STD,
            canonical_sha256: "986b8d6f526a2abbb0fcb51e244137bf261daa1d0d7a6f844f06ecaf04ff696d",
            signature: "58b813386a33aee4f52aa8e8c56cf46abd6d1bfdff0617f5ddfab5d18696c373",
        },
    ];

    fn headers(v: &Vector, signature: &str) -> Vec<(&'static str, String)> {
        let mut h = vec![];
        if v.x_language {
            h.push(("X-Language", "en_US".to_owned()));
        }
        h.extend([
            ("Content-Type", "application/json".to_owned()),
            ("User-Agent", "huaweicloud-usdk-python/3.0".to_owned()),
            ("X-Sdk-Date", DATE.to_owned()),
            ("X-Domain-Id", DOMAIN.to_owned()),
            ("Host", "127.0.0.1:8080".to_owned()),
            (
                "Authorization",
                format!(
                    "SDK-HMAC-SHA256 Access=EXAMPLEAK0000000001, SignedHeaders={}, Signature={signature}",
                    v.signed_headers
                ),
            ),
        ]);
        h
    }

    fn now() -> Timestamp {
        Timestamp::parse_sdk_date(DATE).unwrap()
    }

    /// Runs `f` on the vector's request, with `edit` applied to its headers first.
    fn with_request<R>(
        v: &Vector,
        edit: impl FnOnce(&mut Vec<(&'static str, String)>),
        f: impl FnOnce(&ReceivedRequest<'_>, &Authorization) -> R,
    ) -> R {
        let mut owned = headers(v, v.signature);
        edit(&mut owned);
        let list: Vec<(&str, &str)> = owned.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let (raw_path, raw_query) = v.target.split_once('?').unwrap_or((v.target, ""));
        let req = ReceivedRequest { method: v.method, raw_path, raw_query, headers: &list, body: v.body.as_bytes() };
        let auth = Authorization::parse(req.header("authorization").unwrap()).unwrap();
        f(&req, &auth)
    }

    #[test]
    fn every_worked_example_of_a_4_1_verifies() {
        for v in &VECTORS {
            with_request(
                v,
                |_| {},
                |req, auth| {
                    let creq = canonical_request(req, auth).unwrap();
                    assert_eq!(hex::encode(Sha256::digest(creq.as_bytes())), v.canonical_sha256, "{}", v.target);
                    assert_eq!(sign(SK, &string_to_sign(DATE, &creq)), v.signature, "{}", v.target);
                    assert_eq!(verify(req, auth, SK, now()), Ok(()), "{}", v.target);
                },
            );
        }
    }

    #[test]
    fn v1_canonical_request_is_byte_exact() {
        with_request(
            &VECTORS[0],
            |_| {},
            |req, auth| {
                assert_eq!(
                    canonical_request(req, auth).unwrap(),
                    "POST\n/v2/partners/sub-customers/query/\n\ncontent-type:application/json\nhost:127.0.0.1:8080\n\
                 user-agent:huaweicloud-usdk-python/3.0\nx-domain-id:0123456789abcdef0123456789abcdef\n\
                 x-sdk-date:20240102T030405Z\n\ncontent-type;host;user-agent;x-domain-id;x-sdk-date\n\
                 51a9775f04a74c09427a7206d03fbfd6185cb98b3109a199e6cbaa2a46574b53"
                );
            },
        );
    }

    #[test]
    fn v2_query_is_decoded_sorted_and_reencoded() {
        assert_eq!(
            canonical_query("service_type_name=Elastic%20Cloud%20Server%3AECS%20%E4%BA%91%E6%9C%8D%E5%8A%A1%E5%99%A8&offset=0&limit=10"),
            "limit=10&offset=0&service_type_name=Elastic%20Cloud%20Server%3AECS%20%E4%BA%91%E6%9C%8D%E5%8A%A1%E5%99%A8"
        );
        assert_eq!(canonical_query("b=2&a=&a=1&c"), "a=&a=1&b=2&c=");
        assert_eq!(canonical_query("q=a+b~c%7E"), "q=a%2Bb~c~");
    }

    #[test]
    fn uri_segments_are_reencoded_with_a_trailing_slash() {
        assert_eq!(
            canonical_uri("/v2/orders/subscriptions/resources/autorenew/res%2F1"),
            "/v2/orders/subscriptions/resources/autorenew/res/1/"
        );
        assert_eq!(canonical_uri("/a%20b/c/"), "/a%20b/c/");
        assert_eq!(canonical_uri("/%zz"), "/%25zz/");
    }

    #[test]
    fn a_wrong_secret_a_changed_body_or_a_changed_header_is_a_mismatch() {
        let v = &VECTORS[0];
        with_request(
            v,
            |_| {},
            |req, auth| {
                assert_eq!(
                    verify(req, auth, b"EXAMPLESK00000000000000000000000000000002", now()),
                    Err(SignatureError::Mismatch)
                );
                let tampered =
                    ReceivedRequest { body: br#"{"account_name": "customer02", "offset": 0, "limit": 10}"#, ..*req };
                assert_eq!(verify(&tampered, auth, SK, now()), Err(SignatureError::Mismatch));
            },
        );
        with_request(
            v,
            |h| h[3].1 = "ffffffffffffffffffffffffffffffff".to_owned(),
            |req, auth| {
                assert_eq!(verify(req, auth, SK, now()), Err(SignatureError::Mismatch));
            },
        );
    }

    #[test]
    fn a_declared_payload_hash_must_be_the_bodys() {
        let v = &VECTORS[0];
        let body_sha256 = hex::encode(Sha256::digest(v.body.as_bytes()));
        let plain = with_request(v, |_| {}, |req, auth| canonical_request(req, auth).unwrap());
        // The body's own hash, in either case, is what the SDK would have signed.
        with_request(
            v,
            |h| h.push(("X-Sdk-Content-Sha256", body_sha256.clone())),
            |req, auth| {
                assert_eq!(canonical_request(req, auth).unwrap(), plain);
                assert_eq!(verify(req, auth, SK, now()), Ok(()));
            },
        );
        with_request(
            v,
            |h| h.push(("X-Sdk-Content-Sha256", body_sha256.to_uppercase())),
            |req, auth| {
                assert!(canonical_request(req, auth).unwrap().ends_with(&body_sha256.to_uppercase()));
            },
        );
        // The signed body's hash declared over another body: the signature would still match.
        with_request(
            v,
            |h| h.push(("X-Sdk-Content-Sha256", body_sha256.clone())),
            |req, auth| {
                let tampered =
                    ReceivedRequest { body: br#"{"account_name": "customer02", "offset": 0, "limit": 10}"#, ..*req };
                assert_eq!(verify(&tampered, auth, SK, now()), Err(SignatureError::PayloadHashMismatch));
            },
        );
        with_request(
            v,
            |h| h.push(("X-Sdk-Content-Sha256", UNSIGNED_PAYLOAD.to_owned())),
            |req, auth| {
                assert_eq!(verify(req, auth, SK, now()), Err(SignatureError::UnsignedPayload));
            },
        );
        // Without a body, UNSIGNED-PAYLOAD is what is signed.
        with_request(
            &VECTORS[1],
            |h| h.push(("X-Sdk-Content-Sha256", UNSIGNED_PAYLOAD.to_owned())),
            |req, auth| {
                assert!(canonical_request(req, auth).unwrap().ends_with("\nUNSIGNED-PAYLOAD"));
                assert_eq!(verify(req, auth, SK, now()), Err(SignatureError::Mismatch), "signed without it");
            },
        );
    }

    #[test]
    fn the_date_must_be_signed_well_formed_and_fresh() {
        let v = &VECTORS[0];
        with_request(
            v,
            |_| {},
            |req, auth| {
                let edge = now().plus(MAX_CLOCK_SKEW);
                assert_eq!(verify(req, auth, SK, edge), Ok(()));
                assert_eq!(verify(req, auth, SK, edge.plus(Millis(1000))), Err(SignatureError::Stale));
                assert_eq!(
                    verify(req, auth, SK, now().plus(Millis(-MAX_CLOCK_SKEW.0 - 1000))),
                    Err(SignatureError::Stale)
                );
                let unsigned_date = Authorization { signed_headers: vec!["host".into()], ..auth.clone() };
                assert_eq!(verify(req, &unsigned_date, SK, now()), Err(SignatureError::DateNotSigned));
            },
        );
        with_request(
            v,
            |h| h[2].1 = "2024-01-02T03:04:05Z".to_owned(),
            |req, auth| {
                assert_eq!(verify(req, auth, SK, now()), Err(SignatureError::DateMalformed));
            },
        );
        with_request(
            v,
            |h| h.retain(|(n, _)| *n != "User-Agent"),
            |req, auth| {
                assert_eq!(verify(req, auth, SK, now()), Err(SignatureError::SignedHeaderMissing("user-agent".into())));
            },
        );
    }

    #[test]
    fn authorization_header_parsing() {
        let ok =
            Authorization::parse("SDK-HMAC-SHA256 Access=AK1, SignedHeaders=Host;X-Sdk-Date, Signature=ab").unwrap();
        assert_eq!(ok.access_key, "AK1");
        assert_eq!(ok.signed_headers, ["host", "x-sdk-date"]);
        assert_eq!(Authorization::parse("AWS4-HMAC-SHA256 Credential=x"), Err(SignatureError::UnsupportedAlgorithm));
        assert_eq!(Authorization::parse("SDK-HMAC-SHA256"), Err(SignatureError::UnsupportedAlgorithm));
        assert!(matches!(
            Authorization::parse("SDK-HMAC-SHA256 Access=AK1, Signature=ab"),
            Err(SignatureError::Malformed(_))
        ));
        assert!(matches!(
            Authorization::parse("SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host, Signature="),
            Err(SignatureError::Malformed(_))
        ));
        assert!(matches!(
            Authorization::parse("SDK-HMAC-SHA256 Access=A, Access=B, SignedHeaders=host, Signature=ab"),
            Err(SignatureError::Malformed(_))
        ));
        assert!(matches!(Authorization::parse("SDK-HMAC-SHA256 garbage"), Err(SignatureError::Malformed(_))));
    }

    #[test]
    fn a_plain_path_is_its_own_canonical_form_as_the_full_encoding_finds() {
        for path in ["/v2/partners/sub-customers/query", "/v2/a/", "/", "", "/v1.0/x_y~z", "/%41b", "/a b", "/中"] {
            assert_eq!(canonical_uri(path), encoded_uri(path), "{path}");
        }
        assert_eq!(hex_lower(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(encode("a/b c~"), "a%2Fb%20c~");
    }
}
