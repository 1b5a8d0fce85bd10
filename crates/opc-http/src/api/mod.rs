//! The console API: JSON REST under `/api/v1/` for what the BSS API does not cover, described
//! by the OpenAPI 3 document it serves at `/api/v1/openapi.json`.
//!
//! Every route is declared once, as an [`Endpoint`] that carries both its handler and its
//! documentation, so the router and the document cannot disagree.

mod accounts;
mod catalog;
mod development;
mod discounts;
mod enterprise;
mod funds;
mod information;
mod orders;
mod organization;
mod pdf;
mod personnel;
mod programs;
mod qr;
mod raster;
mod realname;
mod session;
mod stored_value;
mod tenant;
pub(crate) mod test_coupons;
mod tiers;
mod trace;
mod typeset;

use axum::http::Method;
use axum::routing::{get, MethodRouter};
use axum::{Json, Router};
use opc_core::Context;
use serde_json::{json, Value};

pub use session::SignedIn;

use opc_domain::notification::Language;

use crate::error::ApiError;
use crate::session::{Cookie, Cookies};

/// Whether a message is to be in English (`en-us`, the default) or Chinese (`zh-cn`).
pub fn language(lang: Option<&str>) -> Result<Language, ApiError> {
    match lang {
        None => Ok(Language::default()),
        Some(text) => Language::parse(text).ok_or_else(|| ApiError::invalid("lang", "must be en-us or zh-cn")),
    }
}

/// One route: its handler and its documentation.
pub struct Endpoint {
    pub method: Method,
    pub path: &'static str,
    pub summary: &'static str,
    /// Who may call it.
    pub audience: Audience,
    /// The JSON body it reads, if any.
    pub request: Body,
    /// A request body that the endpoint accepts, for the document and its test.
    pub example: Option<Value>,
    /// The statuses particular to this endpoint and what they mean. Those that follow from its
    /// audience, body and path ([`Endpoint::responses`]) are added to them.
    pub responses: &'static [(u16, &'static str)],
    pub handler: MethodRouter<Context>,
}

/// The JSON body an endpoint reads.
pub enum Body {
    None,
    /// A body of this schema; an empty one is refused ([`crate::extract::ApiJson`]).
    Required(Value),
    /// A body of this schema that may be left out, read as `{}` ([`crate::extract::BssJson`]):
    /// a decision whose verification code is needed only while that function is enabled.
    Optional(Value),
}

impl Body {
    pub fn schema(&self) -> Option<&Value> {
        match self {
            Body::None => None,
            Body::Required(schema) | Body::Optional(schema) => Some(schema),
        }
    }
}

/// Who may call an endpoint. A session is needed for all but `Anyone`; the named audiences
/// refuse everyone else with 403 (`crate::audience` decides it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Anyone,
    /// Any live session: an account, an organization member or the operator's staff.
    SignedIn,
    /// An account (a customer's or a partner's own), not staff or members.
    Account,
    /// A customer's account.
    Customer,
    /// A partner: its administrator account, or a member whose role grants the operation.
    Partner,
    /// The operator's staff.
    Staff,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Anyone => "anyone",
            Audience::SignedIn => "signed-in",
            Audience::Account => "account",
            Audience::Customer => "customer",
            Audience::Partner => "partner",
            Audience::Staff => "staff",
        }
    }

    /// What the 403 for a session of another audience says.
    fn refusal(self) -> Option<&'static str> {
        match self {
            Audience::Anyone | Audience::SignedIn => None,
            Audience::Account => Some("Not an account: the operator's staff and organization members (CBC.0151)."),
            Audience::Customer => Some("Not a customer's account (CBC.0151)."),
            Audience::Partner => {
                Some("Not a partner, or a member whose role does not grant this, or not the administrator (CBC.0151).")
            }
            Audience::Staff => Some("Not the operator's staff (CBC.0151)."),
        }
    }
}

impl Endpoint {
    /// The same endpoint, its body optional.
    pub(crate) fn with_optional_body(self) -> Endpoint {
        let request = match self.request {
            Body::Required(schema) => Body::Optional(schema),
            other => other,
        };
        Endpoint { request, ..self }
    }

    /// Every status the endpoint can answer and what it means: its own, and those that follow
    /// from its audience, its body and its path, in one place (issue 18: the document omitted
    /// the 401s, the wrong audience's 403 and the refused bodies). Where both have a status,
    /// the descriptions are joined.
    pub fn responses(&self) -> Vec<(u16, String)> {
        let mut common: Vec<(u16, &str)> = Vec::new();
        if self.audience != Audience::Anyone {
            common.push((401, "Not signed in, or the session has ended (CBC.0154)."));
            common.extend(self.audience.refusal().map(|text| (403, text)));
            if !self.method.is_safe() {
                common.push((
                    403,
                    "Sent with the session cookie without this site's Origin and the session's X-CSRF-Token (CBC.0151).",
                ));
            }
        }
        match self.request {
            Body::None => {}
            Body::Required(_) => {
                common.push((400, "The body is missing, not JSON, or not the object described (CBC.0100)."))
            }
            Body::Optional(_) => common.push((400, "The body is not JSON, or not the object described (CBC.0100).")),
        }
        if self.request.schema().is_some() {
            common.push((413, "The body is over 1 MiB (CBC.0100)."));
        }
        if self.path.contains('{') {
            common.push((400, "A path parameter does not decode (CBC.0100)."));
        }
        let mut all: std::collections::BTreeMap<u16, Vec<&str>> = std::collections::BTreeMap::new();
        for (status, text) in self.responses.iter().copied().chain(common) {
            all.entry(status).or_default().push(text);
        }
        all.into_iter().map(|(status, texts)| (status, texts.join(" "))).collect()
    }
}

pub fn endpoints() -> Vec<Endpoint> {
    let mut all = vec![Endpoint {
        method: Method::GET,
        path: "/api/v1/openapi.json",
        summary: "This document.",
        audience: Audience::Anyone,
        request: Body::None,
        example: None,
        responses: &[(200, "The OpenAPI 3 document.")],
        handler: get(openapi_json),
    }];
    all.extend(accounts::endpoints());
    all.extend(programs::endpoints());
    all.extend(tenant::endpoints());
    all.extend(realname::endpoints());
    all.extend(development::endpoints());
    all.extend(information::endpoints());
    all.extend(organization::endpoints());
    all.extend(tiers::endpoints());
    all.extend(personnel::endpoints());
    all.extend(catalog::endpoints());
    all.extend(orders::endpoints());
    all.extend(funds::endpoints());
    all.extend(discounts::endpoints());
    all.extend(stored_value::endpoints());
    all.extend(enterprise::endpoints());
    all.extend(test_coupons::endpoints());
    all.extend(trace::endpoints());
    all
}

/// The console API's routes.
pub fn routes() -> Router<Context> {
    endpoints().into_iter().fold(Router::new(), |router, e| router.route(&axum_path(e.path), e.handler))
}

/// `{id}` is already axum 0.8's syntax; kept as a function so the document's syntax could differ.
fn axum_path(path: &str) -> String {
    path.to_owned()
}

async fn openapi_json(axum::extract::State(ctx): axum::extract::State<Context>) -> Json<Value> {
    Json(openapi(Cookies::of(&ctx).name(Cookie::Session)))
}

/// The OpenAPI 3 document of every endpoint; the session cookie is named `session_cookie`.
pub fn openapi(session_cookie: &str) -> Value {
    let mut paths = serde_json::Map::new();
    for e in endpoints() {
        let responses: serde_json::Map<String, Value> = e
            .responses()
            .into_iter()
            .map(|(status, description)| {
                let body = if status >= 400 {
                    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
                } else {
                    json!({"description": description})
                };
                (status.to_string(), body)
            })
            .collect();
        let mut operation = json!({
            "summary": e.summary,
            "x-audience": e.audience.as_str(),
            "responses": responses,
        });
        if let Some(schema) = e.request.schema() {
            let mut media = json!({"schema": schema});
            if let Some(example) = &e.example {
                media["example"] = example.clone();
            }
            let required = matches!(e.request, Body::Required(_));
            operation["requestBody"] = json!({"required": required, "content": {"application/json": media}});
        }
        let params: Vec<Value> = e
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        if !params.is_empty() {
            operation["parameters"] = Value::Array(params);
        }
        let item = paths.entry(e.path.to_owned()).or_insert_with(|| json!({}));
        item[e.method.as_str().to_ascii_lowercase()] = operation;
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Open Partner Center console API",
            "version": "1",
            "description": format!("Everything the BSS partner API does not cover. Sign in with POST /api/v1/sessions; \
                send the session as the `{session_cookie}` cookie (a change then needs this site's Origin and \
                the X-CSRF-Token header) or as `Authorization: Bearer <token>`. Errors are \
                {{\"error_code\", \"error_msg\"}} with an X-Request-Id header."),
        },
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error_code", "error_msg"],
                    "properties": {"error_code": {"type": "string"}, "error_msg": {"type": "string"}},
                },
            },
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": session_cookie},
                "bearer": {"type": "http", "scheme": "bearer"},
            },
        },
    })
}
