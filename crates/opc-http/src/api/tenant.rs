//! Tenant information (R-ACCT-06, R-ACCT-07) and the qualification proof (R-ACCT-08).

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::Json;
use opc_core::ops::accounts::{self};
use opc_core::Context;
use opc_domain::account::{Account, AccountType};
use opc_domain::tenant::{TenantForm, TenantInfo, VatStatus, PROOF_BYTES_MAX};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Audience, Body, Endpoint, SignedIn};
use crate::audience::account_of;
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiJson, BssQuery, LimitedBody};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            method: Method::GET,
            path: "/api/v1/account/tenant-information",
            summary: "The account's tenant information (R-ACCT-07), or null; the country is the account's.",
            audience: Audience::Account,
            request: Body::None,
            example: None,
            responses: &[(200, "The tenant information.")],
            handler: get(show),
        },
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/account/tenant-information",
            summary: "Save the tenant information. tenant_type enterprise converts an individual account (R-ACCT-06); \
                an enterprise does not go back.",
            audience: Audience::Account,
            request: Body::Required(json!({"type": "object",
                "required": ["tenant_type", "full_name", "qualification_name", "description", "address_line1", "city",
                    "region", "postal_code", "payment_currency", "industry"],
                "properties": {
                    "tenant_type": {"type": "string", "enum": ["individual", "enterprise"]},
                    "full_name": {"type": "string"}, "qualification_name": {"type": "string"},
                    "description": {"type": "string", "enum": ["vat_register", "non_vat_register"]},
                    "address_line1": {"type": "string"}, "address_line2": {"type": "string"},
                    "city": {"type": "string"}, "region": {"type": "string"}, "postal_code": {"type": "string"},
                    "payment_currency": {"type": "string"}, "industry": {"type": "string"}, "tax_id": {"type": "string"}}})),
            example: Some(
                json!({"tenant_type": "enterprise", "full_name": "Ana Lim", "qualification_name": "Example Cloud Pte Ltd",
                "description": "vat_register", "address_line1": "1 Example Road", "city": "Singapore", "region": "Singapore",
                "postal_code": "018989", "payment_currency": "USD", "industry": "Information technology"}),
            ),
            responses: &[(200, "Saved."), (400, "A field is invalid (CBC.0100).")],
            handler: put(save),
        },
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/account/qualification-proof",
            summary: "Upload the qualification proof: the raw file as the body, its name in the query \
                (?file_name=licence.pdf). .doc, .docx, .jpg, .png, .pdf or .odt, at most 5 MB (R-ACCT-08).",
            audience: Audience::Account,
            request: Body::None,
            example: None,
            responses: &[
                (201, "Stored."),
                (400, "Wrong type, empty or no name (CBC.0100)."),
                (413, "Over 5 MB (CBC.0100)."),
            ],
            handler: put(upload).layer(DefaultBodyLimit::max(PROOF_BYTES_MAX + 1)),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/account/qualification-proof",
            summary: "Download the qualification proof.",
            audience: Audience::Account,
            request: Body::None,
            example: None,
            responses: &[(200, "The file."), (404, "None uploaded (CBC.99000054).")],
            handler: get(download),
        },
    ]
}

fn info_json(t: &TenantInfo, account: &Account) -> Value {
    json!({
        "tenant_type": if t.tenant_type == AccountType::Enterprise { "enterprise" } else { "individual" },
        "full_name": t.full_name.as_str(),
        "qualification_name": t.qualification_name.as_str(),
        "description": if t.vat == VatStatus::VatRegister { "vat_register" } else { "non_vat_register" },
        "address_line1": t.address_line1,
        "address_line2": t.address_line2,
        "city": t.city,
        "region": t.region,
        "postal_code": t.postal_code,
        "payment_currency": t.payment_currency,
        "industry": t.industry,
        "tax_id": t.tax_id,
        "country": account.country().as_str(),
    })
}

async fn show(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    let account = account_of(&user)?;
    let info = accounts::tenant_info(&ctx, account.id()).await?;
    Ok(Json(json!({"tenant_information": info.map(|t| info_json(&t, account))})))
}

#[derive(Deserialize)]
struct Form {
    tenant_type: Option<String>,
    full_name: Option<String>,
    qualification_name: Option<String>,
    description: Option<String>,
    address_line1: Option<String>,
    address_line2: Option<String>,
    city: Option<String>,
    region: Option<String>,
    postal_code: Option<String>,
    payment_currency: Option<String>,
    industry: Option<String>,
    tax_id: Option<String>,
}

async fn save(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiJson(f): ApiJson<Form>,
) -> Result<Json<Value>, ApiError> {
    let account = account_of(&user)?;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let (tenant_type, full_name, qualification_name, description) =
        (s(&f.tenant_type), s(&f.full_name), s(&f.qualification_name), s(&f.description));
    let (address_line1, city, region, postal_code, payment_currency, industry) =
        (s(&f.address_line1), s(&f.city), s(&f.region), s(&f.postal_code), s(&f.payment_currency), s(&f.industry));
    let form = TenantForm {
        tenant_type: &tenant_type,
        full_name: &full_name,
        qualification_name: &qualification_name,
        description: &description,
        address_line1: &address_line1,
        address_line2: f.address_line2.as_deref(),
        city: &city,
        region: &region,
        postal_code: &postal_code,
        payment_currency: &payment_currency,
        industry: &industry,
        tax_id: f.tax_id.as_deref(),
    };
    let info = accounts::save_tenant_info(&ctx, account, &form).await?;
    Ok(Json(json!({"tenant_information": info_json(&info, account)})))
}

#[derive(Deserialize)]
struct FileName {
    file_name: Option<String>,
}

async fn upload(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    BssQuery(q): BssQuery<FileName>,
    LimitedBody(body): LimitedBody<{ PROOF_BYTES_MAX + 1 }>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let account = account_of(&user)?;
    let file_name = q.file_name.as_deref().unwrap_or_default();
    let proof =
        accounts::upload_proof(&ctx, account.id(), file_name, content_type_of(file_name), body.to_vec()).await?;
    let body = json!({"file_name": proof.file_name, "bytes": proof.content.len(), "uploaded_at": proof.uploaded_at.to_rfc3339()});
    Ok((StatusCode::CREATED, Json(body)))
}

/// The content type served back, from the (already checked) extension, never from the client.
fn content_type_of(file_name: &str) -> &'static str {
    match file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).as_deref() {
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg") => "image/jpeg",
        Some("doc") => "application/msword",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("odt") => "application/vnd.oasis.opendocument.text",
        _ => "application/octet-stream",
    }
}

async fn download(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Response, ApiError> {
    let account = account_of(&user)?;
    let proof = accounts::proof(&ctx, account.id())
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "No qualification proof was uploaded."))?;
    let disposition = format!("attachment; filename=\"{}\"", proof.file_name.replace('"', ""));
    let headers = [
        (header::CONTENT_TYPE, proof.content_type),
        (header::CONTENT_DISPOSITION, disposition),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
    ];
    Ok((headers, proof.content).into_response())
}
