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

use super::i18n::Lang;
use super::page::{self, when};
use crate::console::extract::PagePath;
use crate::error::ApiError;
use crate::session::Cookies;

/// The photos a document needs at most (a permit's front, back, and front held in hand).
const PHOTOS: usize = 3;

pub fn routes() -> Router<Context> {
    Router::new().route(
        "/realname/scan/{token}",
        get(show).post(submit).layer(DefaultBodyLimit::max(PHOTOS * ATTACHMENT_BYTES_MAX + 64 * 1024)),
    )
}

/// A document's name: the message id.
fn document_name(d: IdDocument) -> &'static str {
    match d {
        IdDocument::Passport => "scan-doc-passport",
        IdDocument::HongKongMacaoPermit => "scan-doc-hk-macao-permit",
        IdDocument::TaiwanPermit => "scan-doc-taiwan-permit",
        IdDocument::HongKongMacaoResidence => "scan-doc-hk-macao-residence",
        IdDocument::TaiwanResidence => "scan-doc-taiwan-residence",
    }
}

/// What the form keeps when it is sent back with an error: never the identity number or files.
#[derive(Default)]
struct Kept {
    document: Option<i64>,
    name: String,
}

async fn show(State(ctx): State<Context>, PagePath(token): PagePath<String>, headers: HeaderMap) -> Response {
    let lang = Lang::of_request(Cookies::of(&ctx), &headers);
    view(&ctx, lang, &token, None, &Kept::default()).await
}

/// The page in `lang`, the language of the person scanning (no one is signed in).
async fn view(ctx: &Context, lang: Lang, token: &str, error: Option<&str>, kept: &Kept) -> Response {
    let (link, account) = match realname::scan(ctx, token).await {
        Ok(found) => found,
        Err(e) => return unusable(lang, ApiError::from(e)),
    };
    let who = account.display_name().unwrap_or(account.name().as_str()).to_owned();
    let body = html! {
        h1 { (lang.t("scan-title")) }
        p { (lang.t("scan-for-before")) strong { (who) }
            (lang.t_with("scan-for-after", &[("account", account.name().as_str().into())]))
            (lang.t_with("scan-once", &[("until", when(link.expires_at).into())])) }
        p { (lang.t("scan-no-face")) }
        @if let Some(message) = error { p.flash.failed role="alert" { (message) } }
        form.card method="post" enctype="multipart/form-data" {
            div.field {
                label for="document" { (lang.t("scan-document")) }
                select id="document" name="verified_type" required {
                    @for d in IdDocument::ALL {
                        option value=(d.code()) selected[kept.document == Some(d.code())] { (lang.t(document_name(d))) }
                    }
                }
            }
            div.field {
                label for="name" { (lang.t("scan-name")) }
                input id="name" name="name" type="text" value=(kept.name) required autocomplete="name";
            }
            div.field {
                label for="number" { (lang.t("scan-number")) }
                input id="number" name="verified_number" type="text" required autocomplete="off";
            }
            p { (lang.t("scan-photos-note")) }
            @for n in 1..=PHOTOS {
                (photo(lang, n))
            }
            button type="submit" { (lang.t("scan-submit")) }
        }
    };
    page::document_in(lang, &format!("/realname/scan/{token}"), &lang.t("scan-title"), body).into_response()
}

fn photo(lang: Lang, n: usize) -> Markup {
    let id = format!("photo-{n}");
    html! {
        div.field {
            label for=(id) { (lang.t_with("scan-photo", &[("n", n.into())])) @if n < 3 { span.req aria-hidden="true" { " *" } } }
            input id=(id) name=(id) type="file" accept=".jpg,.jpeg,.png,.bmp,.gif,.pdf" required[n < 3];
        }
    }
}

fn unusable(lang: Lang, error: ApiError) -> Response {
    let status = if error.code().wire().0 == StatusCode::NOT_FOUND { StatusCode::NOT_FOUND } else { StatusCode::GONE };
    super::plain_in(lang, status, &lang.t("scan-unusable"), error.message())
}

/// What the multipart form said: the fields and the photos given (empty file inputs dropped);
/// why it could not be read, in `lang`.
async fn read(lang: Lang, mut form: Multipart) -> Result<(Kept, String, Vec<ScanPhoto>), String> {
    let mut kept = Kept::default();
    let mut number = String::new();
    let mut photos = Vec::new();
    let unreadable = |_| lang.t("scan-unreadable");
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
            _ => return Err(lang.t_with("scan-unexpected-field", &[("name", format!("{name:?}").into())])),
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
    let lang = Lang::of_request(Cookies::of(&ctx), &headers);
    if !crate::session::same_origin(&headers, ctx.public_url.as_ref(), true) {
        return super::plain_in(lang, StatusCode::FORBIDDEN, &lang.t("scan-refused"), &lang.t("scan-other-site"));
    }
    // Nothing is read of the photos for an address that cannot be used.
    if let Err(e) = realname::scan(&ctx, &token).await {
        return unusable(lang, ApiError::from(e));
    }
    let (kept, number, photos) = match read(lang, form).await {
        Ok(read) => read,
        Err(message) => {
            let page = view(&ctx, lang, &token, Some(&message), &Kept::default()).await;
            return with_status(StatusCode::BAD_REQUEST, page);
        }
    };
    let Some(document) = kept.document.and_then(IdDocument::from_code) else {
        let message = lang.t("scan-choose-document");
        return with_status(StatusCode::UNPROCESSABLE_ENTITY, view(&ctx, lang, &token, Some(&message), &kept).await);
    };
    match realname::submit_scan(&ctx, &token, document, &kept.name, &number, photos).await {
        Ok(_) => {
            let body = html! {
                h1 { (lang.t("scan-submitted")) }
                p role="status" { (lang.t("scan-under-review")) }
            };
            // No language switch here: its link would come back to an address now used.
            page::document(&lang.t("scan-title"), None, body).into_response()
        }
        Err(e) => {
            let error = ApiError::from(e);
            if error.code().wire().0 == StatusCode::BAD_REQUEST {
                let message = error.message().to_owned();
                with_status(StatusCode::UNPROCESSABLE_ENTITY, view(&ctx, lang, &token, Some(&message), &kept).await)
            } else {
                unusable(lang, error)
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
