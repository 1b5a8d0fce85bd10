//! The console API: JSON REST under `/api/v1/` for what the BSS API does not cover, described
//! by the OpenAPI 3 document it serves at `/api/v1/openapi.json`.
//!
//! Every route is declared once, as an [`Endpoint`] that carries both its handler and its
//! documentation, so the router and the document cannot disagree.

mod accounts;
mod catalog;
mod development;
mod information;
mod orders;
mod organization;
mod pdf;
mod personnel;
mod programs;
mod qr;
mod raster;
mod session;
mod tenant;
mod tiers;

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
    /// Who may call it: `anyone`, `signed-in`, `staff`, …
    pub audience: &'static str,
    /// The JSON schema of the request body, if it has one.
    pub request: Option<Value>,
    /// A request body that the endpoint accepts, for the document and its test.
    pub example: Option<Value>,
    /// Status codes and what they mean.
    pub responses: &'static [(u16, &'static str)],
    pub handler: MethodRouter<Context>,
}

pub fn endpoints() -> Vec<Endpoint> {
    let mut all = vec![Endpoint {
        method: Method::GET,
        path: "/api/v1/openapi.json",
        summary: "This document.",
        audience: "anyone",
        request: None,
        example: None,
        responses: &[(200, "The OpenAPI 3 document.")],
        handler: get(openapi_json),
    }];
    all.extend(accounts::endpoints());
    all.extend(programs::endpoints());
    all.extend(tenant::endpoints());
    all.extend(development::endpoints());
    all.extend(information::endpoints());
    all.extend(organization::endpoints());
    all.extend(tiers::endpoints());
    all.extend(personnel::endpoints());
    all.extend(catalog::endpoints());
    all.extend(orders::endpoints());
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
            .responses
            .iter()
            .map(|(status, description)| {
                let body = if *status >= 400 {
                    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
                } else {
                    json!({"description": description})
                };
                (status.to_string(), body)
            })
            .collect();
        let mut operation = json!({
            "summary": e.summary,
            "x-audience": e.audience,
            "responses": responses,
        });
        if let Some(schema) = &e.request {
            let mut media = json!({"schema": schema});
            if let Some(example) = &e.example {
                media["example"] = example.clone();
            }
            operation["requestBody"] = json!({"required": true, "content": {"application/json": media}});
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
