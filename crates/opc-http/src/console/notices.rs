//! The partner's notices (issue #6): who receives its budget and quota notices by email, and
//! its webhook, whose signing secret is shown once. The administrator only (R-ORG-05).

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use maud::html;
use opc_core::ops::{outbox, usage};
use opc_core::Context;

use super::page::{csrf, field, form_error, Input};
use super::{denied, done, render_form, Failed, OrDeny, Posted, Viewer};
use crate::audience::acting_partner;
use crate::error::ApiError;

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/partner/notices", get(page))
        .route("/partner/notices/recipients", post(set_recipients))
        .route("/partner/notices/webhook", post(set_webhook))
        .route("/partner/notices/webhook/remove", post(remove_webhook))
}

async fn page(State(ctx): State<Context>, viewer: Viewer) -> Result<Response, Response> {
    view(&ctx, viewer, None, None).await
}

/// `secret`: a webhook secret just created, shown this once.
async fn view(
    ctx: &Context,
    viewer: Viewer,
    failed: Option<&Failed>,
    secret: Option<String>,
) -> Result<Response, Response> {
    let (partner, _) = acting_partner(&viewer.user, None).map_err(|e| denied(&viewer, e))?;
    let recipients = usage::notice_recipients(ctx, partner).await.or_deny(&viewer)?;
    let webhook = ctx.store.webhook(partner.id()).await.or_deny(&viewer)?.map(|(url, _)| url);
    let token = viewer.csrf();
    let lang = viewer.lang;
    let body = html! {
        h1 { (lang.t("notices-title")) }
        p { (lang.t("notices-intro")) }
        form.card method="post" action="/partner/notices/recipients" {
            h2 { (lang.t("notices-recipients")) }
            (csrf(&token))
            (form_error(failed, &["emails"]))
            (field(failed, &lang.t("notices-emails"), "emails", Input::Text, &recipients.join(", "), true))
            button type="submit" { (lang.t("notices-save")) }
        }
        section.card #webhook {
            h2 { (lang.t("notices-webhook")) }
            @if let Some(secret) = &secret {
                div.flash.done role="status" {
                    p { (lang.t("notices-secret-once")) }
                    p.secret #webhook-secret { (secret) }
                    button.secondary type="button" data-copy="webhook-secret" { (lang.t("notices-copy-secret")) }
                }
            }
            p { (lang.t("notices-webhook-note")) }
            @if let Some(url) = &webhook { p { (lang.t("notices-webhook-now")) " " code #webhook-url { (url) } } }
            form method="post" action="/partner/notices/webhook" {
                (csrf(&token))
                (form_error(failed, &["url"]))
                (field(failed, &lang.t("notices-webhook-url"), "url", Input::Text, webhook.as_deref().unwrap_or(""), true))
                button type="submit" { (lang.t(if webhook.is_some() { "notices-webhook-replace" } else { "notices-webhook-set" })) }
            }
            @if webhook.is_some() {
                form.inline method="post" action="/partner/notices/webhook/remove" data-confirm=(lang.t("notices-webhook-remove-confirm")) {
                    (csrf(&token)) button.danger type="submit" { (lang.t("notices-webhook-remove")) }
                }
            }
        }
    };
    Ok(render_form(&viewer, &lang.t("notices-title"), body, failed))
}

async fn set_recipients(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let (partner, _) = acting_partner(&viewer.user, None).map_err(|e| denied(&viewer, e))?;
    let emails: Vec<String> = form
        .get("emails")
        .split([',', '\n', ';'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_owned)
        .collect();
    match usage::set_recipients(&ctx, partner, &emails).await {
        Ok(list) => Ok(done(
            viewer.cookies,
            "/partner/notices",
            viewer.lang.t_with(
                "notices-saved",
                &[("emails", list.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", ").into())],
            ),
        )),
        Err(usage::UsageOpError::Invalid(problems)) => {
            let list: Vec<&str> = problems.iter().map(|(_, p)| p.as_str()).collect();
            let error = ApiError::invalid("emails", list.join("; "));
            view(&ctx, viewer, Some(&form.failed(&error)), None).await
        }
        Err(e @ usage::UsageOpError::Overflow(_)) => {
            let error = ApiError::invalid("emails", e);
            view(&ctx, viewer, Some(&form.failed(&error)), None).await
        }
        Err(usage::UsageOpError::Store(e)) => Err(denied(&viewer, e.into())),
    }
}

async fn set_webhook(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let (partner, _) = acting_partner(&viewer.user, None).map_err(|e| denied(&viewer, e))?;
    match outbox::set_webhook(&ctx, partner, form.get("url")).await {
        Ok(secret) => view(&ctx, viewer, None, Some(secret.expose().to_owned())).await,
        Err(outbox::WebhookError::Url) => {
            let error = ApiError::invalid("url", "must be an http:// or https:// URL of at most 512 characters");
            view(&ctx, viewer, Some(&form.failed(&error)), None).await
        }
        Err(outbox::WebhookError::Store(e)) => Err(denied(&viewer, e.into())),
    }
}

async fn remove_webhook(State(ctx): State<Context>, viewer: Viewer, _form: Posted) -> Result<Response, Response> {
    let (partner, _) = acting_partner(&viewer.user, None).map_err(|e| denied(&viewer, e))?;
    outbox::remove_webhook(&ctx, partner).await.map_err(|e| match e {
        outbox::WebhookError::Store(e) => denied(&viewer, e.into()),
        outbox::WebhookError::Url => denied(&viewer, ApiError::invalid("url", "is invalid")),
    })?;
    Ok(done(viewer.cookies, "/partner/notices", viewer.lang.t("notices-webhook-removed")))
}
