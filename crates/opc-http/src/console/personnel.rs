//! The invited person's side of a dedicated-personnel invitation (R-ORG-05, R-ORG-11,
//! R-ORG-13): the emailed link opens a page that names the partner and, while the link is
//! valid, accepts it. Only the HUAWEI ID that was invited, signed in, sees anything.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use maud::html;
use opc_core::ops::personnel::{self, PersonnelOpError};
use opc_core::Context;
use opc_domain::personnel::{PersonnelState, SeenState};

use super::extract::PagePath;
use super::page::{csrf, form_error, when};
use super::{denied, done, plain_in, render_form, Failed, OrDeny, Posted, Viewer};
use crate::audience::account_of;
use crate::error::ApiError;

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/personnel-invitations/{token}", get(show))
        .route("/personnel-invitations/{token}/accept", post(accept))
}

async fn show(
    State(ctx): State<Context>,
    PagePath(token): PagePath<String>,
    viewer: Viewer,
) -> Result<Response, Response> {
    view(&ctx, &token, &viewer, None, &[]).await
}

/// POST: the invited person accepts; every reason it cannot be associated is shown at once.
async fn accept(
    State(ctx): State<Context>,
    PagePath(token): PagePath<String>,
    viewer: Viewer,
    form: Posted,
) -> Result<Response, Response> {
    let account = account_of(&viewer.user).map_err(|e| denied(&viewer, e))?.clone();
    match personnel::accept(&ctx, &account, &token).await {
        Ok(accepted) => {
            let partner = ctx.store.partner(accepted.partner()).await.or_deny(&viewer)?;
            let name = partner.map(|p| p.name().as_str().to_owned()).unwrap_or_default();
            Ok(done(viewer.cookies, "/", viewer.lang.t_with("personnel-accepted", &[("partner", name.into())])))
        }
        Err(PersonnelOpError::VerificationFailed(found)) => {
            let found: Vec<_> = found.iter().map(|c| (c.rule(), c.message())).collect();
            view(&ctx, &token, &viewer, None, &found).await
        }
        Err(e) => view(&ctx, &token, &viewer, Some(&form.failed(&ApiError::from(e))), &[]).await,
    }
}

/// The invitation as its person reads it, with the form's refusal or the verification's causes.
async fn view(
    ctx: &Context,
    token: &str,
    viewer: &Viewer,
    failed: Option<&Failed>,
    found: &[(&str, &str)],
) -> Result<Response, Response> {
    let lang = viewer.lang;
    let account = account_of(&viewer.user).map_err(|e| denied(viewer, e))?;
    let Some((invitation, partner)) = personnel::invitation(ctx, account, token).await.or_deny(viewer)? else {
        let (title, message) = (lang.t("personnel-unknown-title"), lang.t("personnel-unknown"));
        return Err(plain_in(lang, StatusCode::NOT_FOUND, &title, &message));
    };
    let name = || -> (&str, crate::console::i18n::Arg) { ("partner", partner.name().as_str().into()) };
    let title = lang.t_with("personnel-title", &[name()]);
    let body = html! {
        h1 { (title) }
        @match invitation.state_at(ctx.clock.now()) {
            SeenState::Invited => {
                p { (lang.t_with("personnel-intro", &[name(), ("account", account.name().as_str().into())])) }
                @if let PersonnelState::Invited { expires_at } = invitation.state() {
                    p { (lang.t_with("personnel-valid-until", &[("until", when(expires_at).into())])) }
                }
                @if !found.is_empty() {
                    section.card role="alert" {
                        h2 { (lang.t_with("personnel-causes", &[("count", found.len().into())])) }
                        ul.causes { @for (rule, message) in found { li.cause { strong { (message) } " " span.rule { (rule) } } } }
                    }
                }
                form.card method="post" action=(format!("/personnel-invitations/{token}/accept")) {
                    (csrf(&viewer.csrf()))
                    (form_error(failed, &[]))
                    button type="submit" { (lang.t("personnel-accept")) }
                }
            }
            SeenState::Expired => p.flash.failed role="alert" { (lang.t_with("personnel-expired", &[name()])) },
            SeenState::Associated => p.flash.done role="status" { (lang.t_with("personnel-associated", &[name()])) },
            SeenState::Unassociated => p.flash.failed role="alert" { (lang.t_with("personnel-cancelled", &[name()])) },
        }
    };
    let mut response = render_form(viewer, &title, body, failed);
    if !found.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}
