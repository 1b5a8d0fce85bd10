//! Real-name authentication on the console API (issue 16): a partner uploads its customer's
//! attachments (which the BSS applications then name), and the operator reviews applications,
//! reading their attachments. Attachments are served only to the operator and to the partner
//! of the customer they were uploaded for.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Json;
use opc_core::ops::realname;
use opc_core::store::AttachmentInfo;
use opc_core::Context;
use opc_domain::organization::Permission;
use opc_domain::realname::{Application, Identity, Review, ATTACHMENT_BYTES_MAX};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Audience, Body, Endpoint, SignedIn};
use crate::audience::{acting_caller, staff_of};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiJson, ApiPath, LimitedBody};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            method: Method::PUT,
            path: "/api/v1/partner/customers/{customer_id}/realname-files/{file_name}",
            summary: "Upload a real-name attachment for a customer of yours: the raw file as the body. .jpg, .jpeg, \
                .bmp, .png, .gif or .pdf whose content is of that type, at most 10 MB; never replaced. The BSS \
                applications name it in verified_file_url.",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[
                (201, "Stored."),
                (400, "Wrong name, type or content, or empty (CBC.0100); not your customer (CBC.99000035)."),
                (403, "Not a partner, or a member without customers.develop (CBC.0151)."),
                (409, "An attachment of that name exists (CBC.99000049)."),
                (413, "Over 10 MB (CBC.0100)."),
            ],
            handler: put(upload).layer(DefaultBodyLimit::max(ATTACHMENT_BYTES_MAX + 1)),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/customers/{customer_id}/realname",
            summary: "A customer's attachments and real-name applications, newest first.",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[
                (200, "The attachments and applications."),
                (400, "Not your customer (CBC.99000035)."),
                (403, "Not a partner (CBC.0151)."),
            ],
            handler: get(customer_realname),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/customers/{customer_id}/realname-files/{file_name}",
            summary: "Download one of a customer's real-name attachments.",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[
                (200, "The file."),
                (400, "Not your customer (CBC.99000035)."),
                (403, "Not a partner (CBC.0151)."),
                (404, "No such attachment (CBC.99000054)."),
            ],
            handler: get(partner_file),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/operator/realname-applications",
            summary: "The real-name applications waiting for review, oldest first.",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[(200, "The applications."), (403, "Not the operator's staff (CBC.0151).")],
            handler: get(pending),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/operator/realname-applications/{id}/files/{file_name}",
            summary: "Download an attachment an application names.",
            audience: Audience::Staff,
            request: Body::None,
            example: None,
            responses: &[
                (200, "The file."),
                (403, "Not the operator's staff (CBC.0151)."),
                (404, "No such application, or it names no such attachment."),
            ],
            handler: get(operator_file),
        },
        Endpoint {
            method: Method::POST,
            path: "/api/v1/operator/realname-applications/{id}/review",
            summary: "Approve (the account becomes verified as an individual or an enterprise) or reject (an \
                opinion is required) a real-name application under review.",
            audience: Audience::Staff,
            request: Body::Required(json!({"type": "object", "required": ["approve"],
                "properties": {"approve": {"type": "boolean"}, "opinion": {"type": "string", "maxLength": 500}}})),
            example: Some(json!({"approve": false, "opinion": "The passport page is blurred."})),
            responses: &[
                (200, "Reviewed."),
                (400, "A rejection without an opinion, or a bad body (CBC.0100)."),
                (403, "Not the operator's staff (CBC.0151)."),
                (404, "No such application (CBC.99000054)."),
                (409, "Already reviewed (CBC.99000053), or reviewed meanwhile (CBC.99000049)."),
            ],
            handler: post(review),
        },
    ]
}

fn file_json(f: &AttachmentInfo) -> Value {
    json!({"file_name": f.name, "content_type": f.content_type, "bytes": f.bytes,
        "uploaded_at": f.uploaded_at.to_rfc3339()})
}

/// An application as the console shows it; identity numbers are never shown back.
fn application_json(a: &Application) -> Value {
    let (review, reviewed_at, reviewed_by, opinion) = match &a.review {
        Review::Pending => ("pending", None, None, None),
        Review::Approved { at, by } => ("approved", Some(at.to_rfc3339()), Some(by.clone()), None),
        Review::Rejected { at, by, opinion } => {
            ("rejected", Some(at.to_rfc3339()), Some(by.clone()), Some(opinion.clone()))
        }
    };
    let identity = match &a.identity {
        Identity::Individual { document, name, .. } => json!({"kind": "individual", "verified_type": document.code(),
            "name": name}),
        Identity::Enterprise { certificate, corp_name, reg_country, reg_address, legal_person, .. } => json!({
            "kind": "enterprise", "certificate_type": certificate.code(), "corp_name": corp_name,
            "reg_country": reg_country, "reg_address": reg_address,
            "legal_person": legal_person.as_ref().map(|p| p.name.clone())}),
    };
    json!({"id": a.id, "customer_id": a.customer.as_str(), "partner_id": a.partner.as_str(), "change": a.change,
        "identity": identity, "files": a.files, "submitted_at": a.submitted_at.to_rfc3339(), "review": review,
        "review_result": a.review.code(), "reviewed_at": reviewed_at, "reviewed_by": reviewed_by, "opinion": opinion})
}

async fn upload(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath((customer, name)): ApiPath<(String, String)>,
    LimitedBody(body): LimitedBody<{ ATTACHMENT_BYTES_MAX + 1 }>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let caller = acting_caller(&ctx, &user, Permission::DevelopCustomers).await?;
    let stored = realname::upload(&ctx, &caller, &customer, &name, body.to_vec()).await?;
    Ok((StatusCode::CREATED, Json(file_json(&stored))))
}

async fn customer_realname(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(customer): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = acting_caller(&ctx, &user, Permission::ViewCustomers).await?;
    let files = realname::attachments(&ctx, &caller, &customer).await?;
    let applications = realname::of_customer(&ctx, &caller, &customer).await?;
    Ok(Json(json!({"files": files.iter().map(file_json).collect::<Vec<_>>(),
        "applications": applications.iter().map(application_json).collect::<Vec<_>>()})))
}

/// A missing attachment is 404 here (the applications answer 400 naming the field).
fn not_found(e: realname::RealNameOpError) -> ApiError {
    match e {
        realname::RealNameOpError::UnknownAttachment(name) => {
            ApiError::new(ErrorCode::NotFound, format!("No attachment {name:?}."))
        }
        other => other.into(),
    }
}

fn serve(file: opc_core::store::Attachment) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", file.name);
    let headers = [
        (header::CONTENT_TYPE, file.content_type),
        (header::CONTENT_DISPOSITION, disposition),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
    ];
    (headers, file.content).into_response()
}

async fn partner_file(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath((customer, name)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    let caller = acting_caller(&ctx, &user, Permission::ViewCustomers).await?;
    Ok(serve(realname::their_attachment(&ctx, &caller, &customer, &name).await.map_err(not_found)?))
}

async fn pending(State(ctx): State<Context>, SignedIn(user, _): SignedIn) -> Result<Json<Value>, ApiError> {
    staff_of(&user)?;
    let list = realname::pending(&ctx, 500).await?;
    Ok(Json(json!({"applications": list.iter().map(application_json).collect::<Vec<_>>()})))
}

async fn operator_file(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath((id, name)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    staff_of(&user)?;
    let application = realname::application(&ctx, &id).await?;
    if !application.files.contains(&name) {
        return Err(not_found(realname::RealNameOpError::UnknownAttachment(name)));
    }
    Ok(serve(realname::attachment(&ctx, &application.customer, &name).await.map_err(not_found)?))
}

#[derive(Deserialize)]
struct ReviewBody {
    approve: Option<bool>,
    opinion: Option<String>,
}

async fn review(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ReviewBody>,
) -> Result<Json<Value>, ApiError> {
    let staff = staff_of(&user)?;
    let approve = body.approve.ok_or_else(|| ApiError::invalid("approve", "is required"))?;
    let opinion = body.opinion.unwrap_or_default();
    let a = realname::review(&ctx, staff.email.as_str(), &id, approve, &opinion).await?;
    Ok(Json(application_json(&a)))
}
