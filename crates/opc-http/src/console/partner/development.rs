//! Customer development: invitations (email, link, QR code) and pre-registrations.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use maud::html;
use opc_core::ops::development::{self, InviteBy};
use opc_core::Context;
use opc_domain::association::AssociationModel;
use opc_domain::development::{InvitationChannel, InvitationState};
use opc_domain::notification::Language;
use opc_domain::organization::Permission;

use super::{acting, model_name, strs, texts};
use crate::console::extract::{PagePath, PageQuery};
use crate::console::i18n::Lang;
use crate::console::page::{csrf, field, form_error, select, when, Cell, Count, Input, Table};
use crate::console::{done, refused, render_form, Failed, ListQuery, OrDeny, Posted, Viewer};
use crate::error::ApiError;
use crate::links::invitation_url;

pub(super) async fn development_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    headers: HeaderMap,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    development_view(&ctx, viewer, &headers, &q, None, "").await
}

async fn development_view(
    ctx: &Context,
    viewer: Viewer,
    headers: &HeaderMap,
    q: &ListQuery,
    failed: Option<&Failed>,
    form: &str,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, Some(Permission::DevelopCustomers))?;
    let paging = q.paging();
    let mut invitations = development::invitations(ctx, partner).await.or_deny(&viewer)?;
    invitations.sort_by_key(|i| std::cmp::Reverse(i.created_at));
    let total = invitations.len() as u64;
    let shown = if q.csv() { invitations } else { paging.slice(invitations) };
    let now = ctx.clock.now();
    let token = viewer.csrf();
    let lang = viewer.lang;
    // Exports stay in English (their columns and words are read by machines).
    let tl = if q.csv() { Lang::English } else { lang };
    let never = tl.t("partner-development-never");
    let rows = shown
        .iter()
        .map(|i| {
            let id = i.token.as_str();
            let url = invitation_url(ctx, headers, id);
            let (channel, expires) = match &i.channel {
                InvitationChannel::Email { to, expires_at } => {
                    (tl.t_with("partner-development-email-to", &[("to", to.as_str().into())]), when(*expires_at))
                }
                InvitationChannel::Link => (tl.t("partner-development-link"), never.clone()),
                InvitationChannel::QrCode => (tl.t("partner-development-qr-code"), never.clone()),
            };
            let state = i.state(now);
            let status = match state {
                InvitationState::Open => tl.t("partner-development-open"),
                InvitationState::Expired { at } => tl.t_with("partner-development-expired", &[("at", when(at).into())]),
                InvitationState::Revoked { at } => tl.t_with("partner-development-revoked", &[("at", when(at).into())]),
            };
            let open = state == InvitationState::Open;
            let qr = format!("/api/v1/invitations/{id}/qr.svg");
            let link_id = format!("link-{}", &id[..12]);
            let cells = vec![
                Cell::from(channel),
                Cell::from(model_name(tl, i.model)),
                Cell::rich(url.clone(), html! {
                    code.link #(link_id) { (url) }
                    @if open {
                        " " button.secondary.small type="button" data-copy=(link_id) { (lang.t("partner-development-copy")) }
                        @if matches!(i.channel, InvitationChannel::QrCode) {
                            div.qr { img src=(qr) alt=(lang.t_with("partner-development-qr-alt", &[("url", url.as_str().into())])) width="180" height="180"; }
                        }
                    }
                }),
                Cell::from(status),
                Cell::from(when(i.created_at)),
                Cell::from(expires),
            ];
            let actions = open.then(|| html! {
                a href=(format!("/api/v1/invitations/{id}/qr.png")) download=(format!("invitation-{id}.png")) { (lang.t("partner-development-qr-png")) }
                " "
                form.inline method="post" action=(format!("/partner/invitations/{id}/revoke"))
                    data-confirm=(lang.t("partner-development-revoke-confirm")) {
                    (csrf(&token)) button.danger type="submit" { (lang.t("partner-development-revoke")) }
                }
            });
            (cells, actions)
        })
        .collect();
    let caption = tl.t("partner-development-invitations");
    let columns = texts(
        tl,
        &[
            "partner-development-col-channel",
            "partner-development-col-model",
            "partner-development-col-link",
            "partner-development-col-status",
            "partner-development-col-created",
            "partner-development-col-expires",
        ],
    );
    let table = Table { caption: &caption, columns: &strs(&columns), rows, total: Count::Exact(total) };
    if q.csv() {
        return Ok(table.csv("invitations"));
    }
    let pres = development::pre_registrations(ctx, partner).await.or_deny(&viewer)?;
    let f = |name: &str| failed.filter(|_| form == name);
    let models = [
        ("reseller", model_name(lang, AssociationModel::Reseller)),
        ("referral", model_name(lang, AssociationModel::Referral)),
    ];
    let models: Vec<(&str, &str)> = models.iter().map(|(v, t)| (*v, t.as_str())).collect();
    let channels = [
        ("email", lang.t("partner-development-channel-email")),
        ("link", lang.t("partner-development-link")),
        ("qr_code", lang.t("partner-development-qr-code")),
    ];
    let channels: Vec<(&str, &str)> = channels.iter().map(|(v, t)| (*v, t.as_str())).collect();
    let title = lang.t("partner-development-title");
    let body = html! {
        h1 { (title) }
        div.grid {
            form.card method="post" action="/partner/invitations" {
                h2 { (lang.t("partner-development-invite-title")) }
                (csrf(&token))
                (form_error(f("invite"), &["email", "channel", "model"]))
                (select(f("invite"), &lang.t("partner-development-channel"), "channel", &channels, "email"))
                (field(f("invite"), &lang.t("partner-development-invite-email"), "email", Input::Email, "", false))
                (select(f("invite"), &lang.t("partner-development-association-model"), "model", &models, "reseller"))
                (select(f("invite"), &lang.t("partner-development-email-language"), "lang", &[("en-us", "English"), ("zh-cn", "中文")], opc_domain::notification::Language::from(lang).code()))
                button type="submit" { (lang.t("partner-development-create-invitation")) }
            }
            form.card method="post" action="/partner/pre-registrations" {
                h2 { (lang.t("partner-development-pre-register-title")) }
                p { (lang.t("partner-development-pre-register-hint")) }
                (csrf(&token))
                (form_error(f("pre"), &["email"]))
                (field(f("pre"), &lang.t("partner-development-pre-register-email"), "email", Input::Email, "", true))
                button type="submit" { (lang.t("partner-development-pre-register")) }
            }
        }
        (table.render(viewer.lang, &viewer.here, paging))
        h2 { (lang.t("partner-development-pre-registrations")) }
        ul { @for p in &pres { li {
            (p.email.as_str()) " · " (pre_state(lang, p, ctx.clock.now())) " · "
            (lang.t_with("partner-development-pre-until", &[("at", when(p.expires_at).into())]))
        } } }
    };
    Ok(render_form(&viewer, &title, body, failed))
}

fn pre_state(lang: Lang, p: &opc_domain::development::PreRegistration, now: opc_domain::Timestamp) -> String {
    use opc_domain::development::PreRegistrationState;
    match p.state_at(now) {
        PreRegistrationState::Active => lang.t("partner-development-pre-active"),
        PreRegistrationState::Associated { at } => {
            lang.t_with("partner-development-pre-associated", &[("at", when(at).into())])
        }
        PreRegistrationState::Expired => lang.t("partner-development-pre-expired"),
    }
}

/// Issue 17: revokes one of the partner's invitations (asked to confirm first).
pub(super) async fn revoke(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(token): PagePath<String>,
    _form: Posted,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, Some(Permission::DevelopCustomers))?;
    match development::revoke_invitation(&ctx, partner, &token).await {
        Ok(_) => Ok(done(viewer.cookies, "/partner/development", viewer.lang.t("partner-development-revoked-done"))),
        Err(e) => Ok(refused(viewer.cookies, "/partner/development", &e.into())),
    }
}

pub(super) async fn invite(
    State(ctx): State<Context>,
    viewer: Viewer,
    headers: HeaderMap,
    form: Posted,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, Some(Permission::DevelopCustomers))?;
    let outcome = async {
        let by = match form.get("channel") {
            "email" => InviteBy::Email(form.get("email")),
            "link" => InviteBy::Link,
            "qr_code" => InviteBy::QrCode,
            _ => return Err(ApiError::invalid("channel", "choose email, link or QR code")),
        };
        let model = match form.get("model") {
            "referral" => AssociationModel::Referral,
            "reseller" => AssociationModel::Reseller,
            _ => return Err(ApiError::invalid("model", "choose reseller or referral")),
        };
        let lang = Language::parse(form.get("lang")).unwrap_or_default();
        development::invite(&ctx, partner, by, model, lang).await.map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(i) => {
            let url = invitation_url(&ctx, &headers, i.token.as_str());
            let message = match i.channel {
                InvitationChannel::Email { .. } => viewer.lang.t("partner-development-emailed"),
                _ => viewer.lang.t_with("partner-development-link-ready", &[("url", url.into())]),
            };
            Ok(done(viewer.cookies, "/partner/development", message))
        }
        Err(e) => {
            development_view(&ctx, viewer, &headers, &ListQuery::default(), Some(&form.failed(&e)), "invite").await
        }
    }
}

pub(super) async fn pre_register(
    State(ctx): State<Context>,
    viewer: Viewer,
    headers: HeaderMap,
    form: Posted,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, Some(Permission::DevelopCustomers))?;
    match development::pre_register(&ctx, partner, form.get("email")).await {
        Ok(_) => Ok(done(viewer.cookies, "/partner/development", viewer.lang.t("partner-development-pre-registered"))),
        Err(e) => {
            development_view(&ctx, viewer, &headers, &ListQuery::default(), Some(&form.failed(&e.into())), "pre").await
        }
    }
}
