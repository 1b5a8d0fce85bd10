//! The organization: members, roles, access keys and dedicated personnel.

use axum::extract::State;

use crate::console::extract::{PagePath, PageQuery};
use axum::response::Response;
use maud::html;
use opc_core::ops::{organization, personnel};
use opc_core::Context;
use opc_domain::access_key::KeyState;
use opc_domain::organization::{Permission, Position};
use opc_domain::personnel::SeenState;

use super::{acting, marked, organization_of, strs, texts};
use crate::codes::permission_code;
use crate::console::i18n::Lang;
use crate::console::page::{checkbox, csrf, field, form_error, select, when, Cell, Count, Input, Table};
use crate::console::{done, refused, render_form, Failed, ListQuery, OrDeny, Posted, Viewer};
use crate::error::ApiError;

pub(super) async fn organization_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    organization_view(&ctx, viewer, &q, None, "", None).await
}

/// `secret`: a key just created, shown this once.
async fn organization_view(
    ctx: &Context,
    viewer: Viewer,
    q: &ListQuery,
    failed: Option<&Failed>,
    form: &str,
    secret: Option<(String, String)>,
) -> Result<Response, Response> {
    // A member sees and manages its own access keys only.
    let (partner, by) = organization_of(&viewer)?;
    let admin = by.is_none();
    let paging = q.paging();
    let members = if admin { organization::members(ctx, partner).await.or_deny(&viewer)? } else { vec![] };
    let roles = if admin { organization::roles(ctx, partner).await.or_deny(&viewer)? } else { vec![] };
    let total = members.len() as u64;
    let token = viewer.csrf();
    let lang = viewer.lang;
    // Exports stay in English (their columns and words are read by machines).
    let tl = if q.csv() { Lang::English } else { lang };
    let none = lang.t("partner-organization-none");
    let name_of =
        |id: &opc_domain::MemberId| members.iter().find(|m| m.id() == id).map(|m| m.name().as_str().to_owned());
    let shown = if q.csv() { members.clone() } else { paging.slice(members.clone()) };
    let directors: Vec<(&str, &str)> = std::iter::once(("", none.as_str()))
        .chain(
            members
                .iter()
                .filter(|m| m.position() == Position::AccountDirector)
                .map(|m| (m.id().as_str(), m.name().as_str())),
        )
        .collect();
    let role_options: Vec<(&str, &str)> = std::iter::once(("", none.as_str()))
        .chain(roles.iter().map(|r| (r.id().as_str(), r.name().as_str())))
        .collect();
    let (role_word, director_word, save) = (
        lang.t("partner-organization-role"),
        lang.t("partner-organization-director"),
        lang.t("partner-organization-save"),
    );
    let rows = shown
        .iter()
        .map(|m| {
            let role = m.role().and_then(|r| roles.iter().find(|x| x.id() == r)).map(|r| r.name().as_str().to_owned());
            let cells = vec![
                Cell::from(m.name().as_str()),
                Cell::from(m.email().as_str()),
                Cell::from(position_text(tl, m.position())),
                Cell::from(role.unwrap_or_default()),
                Cell::from(m.director().and_then(name_of).unwrap_or_default()),
            ];
            let action = html! {
                form.inline method="post" action=(format!("/partner/members/{}", m.id().as_str())) {
                    (csrf(&token))
                    label { (role_word) " " select name="role" { @for (v, t) in &role_options { option value=(v) selected[m.role().map(|r| r.as_str()) == Some(*v) || (v.is_empty() && m.role().is_none())] { (t) } } } }
                    @if m.position() == Position::AccountManager {
                        " " label { (director_word) " " select name="director" { @for (v, t) in &directors { option value=(v) selected[m.director().map(|d| d.as_str()) == Some(*v) || (v.is_empty() && m.director().is_none())] { (t) } } } }
                    }
                    " " button.secondary type="submit" { (save) }
                }
            };
            (cells, Some(action))
        })
        .collect();
    let caption = tl.t("partner-organization-members");
    let columns = texts(
        tl,
        &[
            "partner-organization-col-name",
            "partner-organization-col-email",
            "partner-organization-col-position",
            "partner-organization-role",
            "partner-organization-director",
        ],
    );
    let table = Table { caption: &caption, columns: &strs(&columns), rows, total: Count::Exact(total) };
    if q.csv() {
        return Ok(table.csv("members"));
    }
    let keys = organization::access_keys(ctx, partner, by).await.or_deny(&viewer)?;
    let (people, _) =
        if admin { personnel::of_partner(ctx, partner).await.or_deny(&viewer)? } else { (vec![], vec![]) };
    // Each person by its name and email, its account id on hover (issue 17).
    let ids: Vec<_> = people.iter().map(|p| p.account().clone()).collect();
    let accounts = if ids.is_empty() { vec![] } else { ctx.store.accounts_by_id(&ids).await.or_deny(&viewer)? };
    let person = |p: &opc_domain::personnel::Personnel| match accounts.iter().find(|a| a.id() == p.account()) {
        Some(a) => match a.email() {
            Some(email) => format!("{} · {email}", a.name().as_str()),
            None => a.name().as_str().to_owned(),
        },
        None => p.account().as_str().to_owned(),
    };
    let f = |name: &str| failed.filter(|_| form == name);
    let now = ctx.clock.now();
    let positions = [
        ("member", lang.t("partner-organization-position-member")),
        ("account_manager", lang.t("partner-organization-position-account-manager")),
        ("account_director", lang.t("partner-organization-position-account-director")),
    ];
    let positions: Vec<(&str, &str)> = positions.iter().map(|(v, t)| (*v, t.as_str())).collect();
    let title = lang.t("partner-organization-title");
    let body = html! {
        h1 { (title) }
        @if let Some((id, secret)) = &secret {
            section.card role="status" {
                h2 { (lang.t("partner-organization-new-key")) }
                p { (lang.t("partner-organization-new-key-hint")) }
                p { (marked(lang, "partner-organization-new-key-id", &[("key", html! { code #new-ak { (id) } })])) }
                p { (lang.t("partner-organization-new-key-secret")) " " } p.secret #new-sk { (secret) }
                button.secondary type="button" data-copy="new-sk" { (lang.t("partner-organization-copy-secret")) }
            }
        }
        @if admin {
            (table.render(viewer.lang, &viewer.here, paging))
            form.card method="post" action="/partner/members" {
                h2 { (lang.t("partner-organization-add-member-title")) }
                (csrf(&token))
                (form_error(f("member"), &["name", "email", "password", "position"]))
                (field(f("member"), &lang.t("partner-organization-col-name"), "name", Input::Text, "", true))
                (field(f("member"), &lang.t("partner-organization-member-email"), "email", Input::Email, "", true))
                (field(f("member"), &lang.t("partner-organization-initial-password"), "password", Input::NewPassword, "", true))
                (select(f("member"), &lang.t("partner-organization-col-position"), "position", &positions, "member"))
                button type="submit" { (lang.t("partner-organization-add-member")) }
            }
        }
        @if admin {
            form.card method="post" action="/partner/roles" {
                h2 { (lang.t("partner-organization-create-role-title")) }
                p { (lang.t("partner-organization-create-role-hint")) }
                (csrf(&token))
                (form_error(f("role"), &["name", "permissions"]))
                (field(f("role"), &lang.t("partner-organization-role-name"), "name", Input::Text, "", true))
                fieldset {
                    legend { (lang.t("partner-organization-permission-items")) }
                    @for p in Permission::ALL {
                        (checkbox(f("role"), html! { (permission_text(lang, p)) " (" code { (permission_code(p)) } ")" }, &format!("permission.{}", permission_code(p)), false))
                    }
                }
                button type="submit" { (lang.t("partner-organization-create-role")) }
            }
        }
        section.card {
            h2 { (lang.t("partner-organization-access-keys")) }
            p { @if admin { (lang.t("partner-organization-keys-hint")) " " } @else { (lang.t("partner-organization-keys-hint-member")) } }
            ul { @for k in &keys {
                li {
                    code { (k.id().as_str()) } " · " (lang.t_with("partner-organization-key-created", &[("at", when(k.created_at()).into())])) " · " (key_state(lang, k.state()))
                    @if k.is_active() {
                        " "
                        form.inline method="post" action=(format!("/partner/access-keys/{}/revoke", k.id().as_str())) data-confirm=(lang.t("partner-organization-revoke-key-confirm")) {
                            (csrf(&token)) button.danger type="submit" { (lang.t("partner-organization-revoke")) }
                        }
                    }
                }
            } }
            form method="post" action="/partner/access-keys" {
                (csrf(&token))
                (form_error(f("key"), &[]))
                button type="submit" { (lang.t("partner-organization-create-key")) }
            }
        }
        @if admin {
            section.card {
                h2 { (lang.t("partner-organization-personnel")) }
                ul { @for p in &people { li {
                    span title=(p.account().as_str()) { (person(p)) } " · " (personnel_state(lang, p.state_at(now))) " · "
                    (lang.t_with("partner-organization-personnel-invited", &[("at", when(p.invited_at()).into())]))
                } } }
                form method="post" action="/partner/personnel-invitations" {
                    (csrf(&token))
                    (form_error(f("personnel"), &["login_id"]))
                    (field(f("personnel"), &lang.t("partner-organization-personnel-login-id"), "login_id", Input::Text, "", true))
                    button type="submit" { (lang.t("partner-organization-invite")) }
                }
            }
        }
    };
    Ok(render_form(&viewer, &title, body, failed))
}

fn permission_text(lang: Lang, p: Permission) -> String {
    lang.t(match p {
        Permission::ViewCustomers => "partner-organization-permission-view-customers",
        Permission::ManageCustomers => "partner-organization-permission-manage-customers",
        Permission::DevelopCustomers => "partner-organization-permission-develop-customers",
        Permission::ControlCustomers => "partner-organization-permission-control-customers",
        Permission::ViewAudit => "partner-organization-permission-view-audit",
    })
}

/// A member's position as the members' list names it (`position_code`'s words).
fn position_text(lang: Lang, p: Position) -> String {
    lang.t(match p {
        Position::Member => "partner-organization-member",
        Position::AccountManager => "partner-organization-account-manager",
        Position::AccountDirector => "partner-organization-account-director",
    })
}

/// An access key's state, with the time it was revoked.
fn key_state(lang: Lang, state: KeyState) -> String {
    match state {
        KeyState::Active => lang.t("partner-organization-key-active"),
        KeyState::Revoked { at } => lang.t_with("partner-organization-key-revoked", &[("at", when(at).into())]),
    }
}

/// Dedicated personnel's state at an instant.
fn personnel_state(lang: Lang, state: SeenState) -> String {
    lang.t(match state {
        SeenState::Invited => "partner-organization-personnel-invited-state",
        SeenState::Expired => "partner-organization-personnel-expired",
        SeenState::Associated => "partner-organization-personnel-associated",
        SeenState::Unassociated => "partner-organization-personnel-unassociated",
    })
}

pub(super) async fn create_role(
    State(ctx): State<Context>,
    viewer: Viewer,
    form: Posted,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, None)?;
    let chosen: Vec<Result<Permission, &str>> = Permission::ALL
        .into_iter()
        .filter(|p| form.checked(&format!("permission.{}", permission_code(*p))))
        .map(Ok)
        .collect();
    match organization::create_role(&ctx, partner, form.get("name"), &chosen).await {
        Ok(role) => {
            let message =
                viewer.lang.t_with("partner-organization-role-created", &[("name", role.name().as_str().into())]);
            Ok(done(viewer.cookies, "/partner/organization", message))
        }
        Err(e) => {
            organization_view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&e.into())), "role", None).await
        }
    }
}

pub(super) async fn create_member(
    State(ctx): State<Context>,
    viewer: Viewer,
    form: Posted,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, None)?;
    let outcome = async {
        let position = match form.get("position") {
            "member" => Position::Member,
            "account_manager" => Position::AccountManager,
            "account_director" => Position::AccountDirector,
            _ => return Err(ApiError::invalid("position", "choose a position")),
        };
        organization::create_member(&ctx, partner, form.get("name"), form.get("email"), form.get("password"), position)
            .await
            .map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(m) => Ok(done(
            viewer.cookies,
            "/partner/organization",
            viewer.lang.t_with(
                "partner-organization-member-created",
                &[("name", m.name().as_str().into()), ("email", m.email().as_str().into())],
            ),
        )),
        Err(e) => organization_view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&e)), "member", None).await,
    }
}

pub(super) async fn update_member(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(member): PagePath<String>,
    form: Posted,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, None)?;
    let to = "/partner/organization";
    match organization::update_member(&ctx, partner, &member, form.opt("role"), form.opt("director")).await {
        Ok(m) => Ok(done(
            viewer.cookies,
            to,
            viewer.lang.t_with("partner-organization-member-updated", &[("name", m.name().as_str().into())]),
        )),
        Err(e) => Ok(refused(viewer.cookies, to, &e.into())),
    }
}

pub(super) async fn create_key(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let (partner, by) = organization_of(&viewer)?;
    match organization::create_access_key(&ctx, partner, by, None).await {
        Ok((key, secret)) => {
            let shown = (key.id().as_str().to_owned(), secret.expose().to_owned());
            organization_view(&ctx, viewer, &ListQuery::default(), None, "", Some(shown)).await
        }
        Err(e) => {
            organization_view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&e.into())), "key", None).await
        }
    }
}

pub(super) async fn revoke_key(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(key): PagePath<String>,
    _form: Posted,
) -> Result<Response, Response> {
    let (partner, by) = organization_of(&viewer)?;
    let to = "/partner/organization";
    match organization::revoke_access_key(&ctx, partner, by, &key).await {
        Ok(k) => Ok(done(
            viewer.cookies,
            to,
            viewer.lang.t_with("partner-organization-key-revoked-done", &[("id", k.id().as_str().into())]),
        )),
        Err(e) => Ok(refused(viewer.cookies, to, &e.into())),
    }
}

pub(super) async fn invite_personnel(
    State(ctx): State<Context>,
    viewer: Viewer,
    form: Posted,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, None)?;
    // The email goes out in the language the administrator reads the console in.
    match personnel::invite(&ctx, partner, form.get("login_id"), viewer.lang.into()).await {
        Ok(_) => Ok(done(
            viewer.cookies,
            "/partner/organization",
            viewer.lang.t("partner-organization-personnel-invited-done"),
        )),
        Err(e) => {
            organization_view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&e.into())), "personnel", None)
                .await
        }
    }
}
