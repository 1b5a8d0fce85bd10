//! RN-QR (B2.10.1): the page a customer's real-name QR code opens. No one is signed in: the
//! token in the address is the right to use it, once, within its 10 minutes. The person
//! scanning it gives their identity document and its photos; the application goes to the
//! operator's manual review (docs/realname.md).

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use opc_core::ops::realname::{self, ScanPhoto};
use opc_core::Context;
use opc_domain::realname::{IdDocument, ATTACHMENT_BYTES_MAX};

use super::page::{self, when};
use crate::console::extract::PagePath;
use crate::error::ApiError;

/// The photos a document needs at most (a permit's front, back, and front held in hand).
const PHOTOS: usize = 3;

pub fn routes() -> Router<Context> {
    Router::new().route(
        "/realname/scan/{token}",
        get(show).post(submit).layer(DefaultBodyLimit::max(PHOTOS * ATTACHMENT_BYTES_MAX + 64 * 1024)),
    )
}

fn document_name(d: IdDocument) -> &'static str {
    match d {
        IdDocument::Passport => "Passport",
        IdDocument::HongKongMacaoPermit => "Mainland Travel Permit for Hong Kong and Macao Residents",
        IdDocument::TaiwanPermit => "Mainland Travel Permit for Taiwan Residents",
        IdDocument::HongKongMacaoResidence => "Residence Permit for Hong Kong and Macao Residents",
        IdDocument::TaiwanResidence => "Residence Permit for Taiwan Residents",
    }
}

/// What the form keeps when it is sent back with an error: never the identity number or files.
#[derive(Default)]
struct Kept {
    document: Option<i64>,
    name: String,
}

async fn show(State(ctx): State<Context>, PagePath(token): PagePath<String>) -> Response {
    view(&ctx, &token, None, &Kept::default()).await
}

async fn view(ctx: &Context, token: &str, error: Option<&str>, kept: &Kept) -> Response {
    let (link, account) = match realname::scan(ctx, token).await {
        Ok(found) => found,
        Err(e) => return unusable(ApiError::from(e)),
    };
    let who = account.display_name().unwrap_or(account.name().as_str()).to_owned();
    let body = html! {
        h1 { "Real-name authentication" }
        p { "For the cloud account " strong { (who) } " (" (account.name().as_str()) "). "
            "This page can be sent once, until " (when(link.expires_at)) "." }
        p { "Face recognition is not available here. Give your identity document and its photos instead: "
            "the cloud provider's staff review them, the photo of you holding the document standing in for "
            "the face check. Your account shows the result once it is reviewed." }
        @if let Some(message) = error { p.flash.failed role="alert" { (message) } }
        form.card method="post" enctype="multipart/form-data" {
            div.field {
                label for="document" { "Identity document" }
                select id="document" name="verified_type" required {
                    @for d in IdDocument::ALL {
                        option value=(d.code()) selected[kept.document == Some(d.code())] { (document_name(d)) }
                    }
                }
            }
            div.field {
                label for="name" { "Name as on the document" }
                input id="name" name="name" type="text" value=(kept.name) required autocomplete="name";
            }
            div.field {
                label for="number" { "Document number" }
                input id="number" name="verified_number" type="text" required autocomplete="off";
            }
            p { "Photos, in this order: a passport's data page, then the data page held in your hand (2); "
                "a permit's front, back, then its front held in your hand (3). JPG, PNG, BMP, GIF or PDF, "
                "at most 10 MB each." }
            @for n in 1..=PHOTOS {
                (photo(n))
            }
            button type="submit" { "Submit for review" }
        }
    };
    page::document("Real-name authentication", None, body).into_response()
}

fn photo(n: usize) -> Markup {
    let id = format!("photo-{n}");
    html! {
        div.field {
            label for=(id) { "Photo " (n) @if n < 3 { span.req aria-hidden="true" { " *" } } }
            input id=(id) name=(id) type="file" accept=".jpg,.jpeg,.png,.bmp,.gif,.pdf" required[n < 3];
        }
    }
}

fn unusable(error: ApiError) -> Response {
    let status = if error.code().wire().0 == StatusCode::NOT_FOUND { StatusCode::NOT_FOUND } else { StatusCode::GONE };
    super::plain(status, "QR code not usable", error.message())
}

/// What the multipart form said: the fields and the photos given (empty file inputs dropped).
async fn read(mut form: Multipart) -> Result<(Kept, String, Vec<ScanPhoto>), String> {
    let mut kept = Kept::default();
    let mut number = String::new();
    let mut photos = Vec::new();
    let unreadable = |_| "The form could not be read; send it again.".to_owned();
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "verified_type" => kept.document = field.text().await.map_err(unreadable)?.trim().parse().ok(),
            "name" => kept.name = field.text().await.map_err(unreadable)?,
            "verified_number" => number = field.text().await.map_err(unreadable)?,
            n if n.starts_with("photo-") && photos.len() < PHOTOS => {
                let file = field.file_name().unwrap_or_default().to_owned();
                let content = field.bytes().await.map_err(unreadable)?;
                if !content.is_empty() {
                    photos.push(ScanPhoto { name: file, content: content.to_vec() });
                }
            }
            _ => return Err(format!("The form has an unexpected field {name:?}.")),
        }
    }
    Ok((kept, number, photos))
}

async fn submit(
    State(ctx): State<Context>,
    PagePath(token): PagePath<String>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    if !crate::session::same_origin(&headers, ctx.public_url.as_ref(), true) {
        return super::plain(StatusCode::FORBIDDEN, "Refused", "The form was sent from another site.");
    }
    // Nothing is read of the photos for an address that cannot be used.
    if let Err(e) = realname::scan(&ctx, &token).await {
        return unusable(ApiError::from(e));
    }
    let (kept, number, photos) = match read(form).await {
        Ok(read) => read,
        Err(message) => {
            return with_status(StatusCode::BAD_REQUEST, view(&ctx, &token, Some(&message), &Kept::default()).await)
        }
    };
    let Some(document) = kept.document.and_then(IdDocument::from_code) else {
        let message = "Choose the identity document.";
        return with_status(StatusCode::UNPROCESSABLE_ENTITY, view(&ctx, &token, Some(message), &kept).await);
    };
    match realname::submit_scan(&ctx, &token, document, &kept.name, &number, photos).await {
        Ok(_) => {
            let body = html! {
                h1 { "Submitted" }
                p role="status" { "Your real-name authentication is under review. You can close this page." }
            };
            page::document("Real-name authentication", None, body).into_response()
        }
        Err(e) => {
            let error = ApiError::from(e);
            if error.code().wire().0 == StatusCode::BAD_REQUEST {
                let message = error.message().to_owned();
                with_status(StatusCode::UNPROCESSABLE_ENTITY, view(&ctx, &token, Some(&message), &kept).await)
            } else {
                unusable(error)
            }
        }
    }
}

fn with_status(status: StatusCode, mut response: Response) -> Response {
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}
