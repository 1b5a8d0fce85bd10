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

use super::{acting, model_name};
use crate::console::extract::{PagePath, PageQuery};
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
    let rows = shown
        .iter()
        .map(|i| {
            let id = i.token.as_str();
            let url = invitation_url(ctx, headers, id);
            let (channel, expires) = match &i.channel {
                InvitationChannel::Email { to, expires_at } => (format!("Email to {}", to.as_str()), when(*expires_at)),
                InvitationChannel::Link => ("Link".to_owned(), "Never".to_owned()),
                InvitationChannel::QrCode => ("QR code".to_owned(), "Never".to_owned()),
            };
            let state = i.state(now);
            let status = match state {
                InvitationState::Open => "Open".to_owned(),
                InvitationState::Expired { at } => format!("Expired {}", when(at)),
                InvitationState::Revoked { at } => format!("Revoked {}", when(at)),
            };
            let open = state == InvitationState::Open;
            let qr = format!("/api/v1/invitations/{id}/qr.svg");
            let link_id = format!("link-{}", &id[..12]);
            let cells = vec![
                Cell::from(channel),
                Cell::from(model_name(i.model)),
                Cell::rich(url.clone(), html! {
                    code.link #(link_id) { (url) }
                    @if open {
                        " " button.secondary.small type="button" data-copy=(link_id) { "Copy" }
                        @if matches!(i.channel, InvitationChannel::QrCode) {
                            div.qr { img src=(qr) alt=(format!("QR code of the invitation {url}")) width="180" height="180"; }
                        }
                    }
                }),
                Cell::from(status),
                Cell::from(when(i.created_at)),
                Cell::from(expires),
            ];
            let actions = open.then(|| html! {
                a href=(format!("/api/v1/invitations/{id}/qr.png")) download=(format!("invitation-{id}.png")) { "QR code (PNG)" }
                " "
                form.inline method="post" action=(format!("/partner/invitations/{id}/revoke"))
                    data-confirm="Revoke this invitation? No one will be able to accept it afterwards." {
                    (csrf(&token)) button.danger type="submit" { "Revoke" }
                }
            });
            (cells, actions)
        })
        .collect();
    let table = Table {
        caption: "Invitations",
        columns: &["Channel", "Model", "Link", "Status", "Created", "Expires"],
        rows,
        total: Count::Exact(total),
    };
    if q.csv() {
        return Ok(table.csv("invitations"));
    }
    let pres = development::pre_registrations(ctx, partner).await.or_deny(&viewer)?;
    let f = |name: &str| failed.filter(|_| form == name);
    let models = [("reseller", "Reseller"), ("referral", "Referral")];
    let body = html! {
        h1 { "Customer development" }
        div.grid {
            form.card method="post" action="/partner/invitations" {
                h2 { "Invite a customer" }
                (csrf(&token))
                (form_error(f("invite"), &["email", "channel", "model"]))
                (select(f("invite"), "Channel", "channel", &[("email", "Email (expires)"), ("link", "Link"), ("qr_code", "QR code")], "email"))
                (field(f("invite"), "Customer's email (for an email invitation)", "email", Input::Email, "", false))
                (select(f("invite"), "Association model", "model", &models, "reseller"))
                (select(f("invite"), "Email language", "lang", &[("en-us", "English"), ("zh-cn", "中文")], "en-us"))
                button type="submit" { "Create invitation" }
            }
            form.card method="post" action="/partner/pre-registrations" {
                h2 { "Pre-register a customer" }
                p { "Fifteen days of exclusivity for a customer's email (R-DEV-05); required before associating a customer in another country." }
                (csrf(&token))
                (form_error(f("pre"), &["email"]))
                (field(f("pre"), "Customer's email", "email", Input::Email, "", true))
                button type="submit" { "Pre-register" }
            }
        }
        (table.render(&viewer.here, paging))
        h2 { "Pre-registrations" }
        ul { @for p in &pres { li { (p.email.as_str()) " · " (pre_state(p, ctx.clock.now())) " · until " (when(p.expires_at)) } } }
    };
    Ok(render_form(&viewer, "Customer development", body, failed))
}

fn pre_state(p: &opc_domain::development::PreRegistration, now: opc_domain::Timestamp) -> String {
    use opc_domain::development::PreRegistrationState;
    match p.state_at(now) {
        PreRegistrationState::Active => "active".to_owned(),
        PreRegistrationState::Associated { at } => format!("associated {}", when(at)),
        PreRegistrationState::Expired => "expired".to_owned(),
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
        Ok(_) => {
            Ok(done(viewer.cookies, "/partner/development", "The invitation is revoked: no one can accept it now."))
        }
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
                InvitationChannel::Email { .. } => "The invitation is emailed.".to_owned(),
                _ => format!("The invitation link is ready: {url}"),
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
        Ok(_) => Ok(done(viewer.cookies, "/partner/development", "The customer is pre-registered for 15 days.")),
        Err(e) => {
            development_view(&ctx, viewer, &headers, &ListQuery::default(), Some(&form.failed(&e.into())), "pre").await
        }
    }
}
