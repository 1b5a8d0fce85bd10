//! The organization: members, roles, access keys and dedicated personnel.

use axum::extract::State;

use crate::console::extract::{PagePath, PageQuery};
use axum::response::Response;
use maud::html;
use opc_core::ops::{organization, personnel};
use opc_core::Context;
use opc_domain::notification::Language;
use opc_domain::organization::{Permission, Position};

use super::{acting, organization_of};
use crate::codes::{permission_code, position_code};
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
    let name_of =
        |id: &opc_domain::MemberId| members.iter().find(|m| m.id() == id).map(|m| m.name().as_str().to_owned());
    let shown = if q.csv() { members.clone() } else { paging.slice(members.clone()) };
    let directors: Vec<(&str, &str)> = std::iter::once(("", "None"))
        .chain(
            members
                .iter()
                .filter(|m| m.position() == Position::AccountDirector)
                .map(|m| (m.id().as_str(), m.name().as_str())),
        )
        .collect();
    let role_options: Vec<(&str, &str)> =
        std::iter::once(("", "None")).chain(roles.iter().map(|r| (r.id().as_str(), r.name().as_str()))).collect();
    let rows = shown
        .iter()
        .map(|m| {
            let role = m.role().and_then(|r| roles.iter().find(|x| x.id() == r)).map(|r| r.name().as_str().to_owned());
            let cells = vec![
                Cell::from(m.name().as_str()),
                Cell::from(m.email().as_str()),
                Cell::from(position_code(m.position()).replace('_', " ")),
                Cell::from(role.unwrap_or_default()),
                Cell::from(m.director().and_then(name_of).unwrap_or_default()),
            ];
            let action = html! {
                form.inline method="post" action=(format!("/partner/members/{}", m.id().as_str())) {
                    (csrf(&token))
                    label { "Role " select name="role" { @for (v, t) in &role_options { option value=(v) selected[m.role().map(|r| r.as_str()) == Some(*v) || (v.is_empty() && m.role().is_none())] { (t) } } } }
                    @if m.position() == Position::AccountManager {
                        " " label { "Director " select name="director" { @for (v, t) in &directors { option value=(v) selected[m.director().map(|d| d.as_str()) == Some(*v) || (v.is_empty() && m.director().is_none())] { (t) } } } }
                    }
                    " " button.secondary type="submit" { "Save" }
                }
            };
            (cells, Some(action))
        })
        .collect();
    let table = Table {
        caption: "Members",
        columns: &["Name", "Email", "Position", "Role", "Director"],
        rows,
        total: Count::Exact(total),
    };
    if q.csv() {
        return Ok(table.csv("members"));
    }
    let keys = organization::access_keys(ctx, partner, by).await.or_deny(&viewer)?;
    let (people, _) =
        if admin { personnel::of_partner(ctx, partner).await.or_deny(&viewer)? } else { (vec![], vec![]) };
    let f = |name: &str| failed.filter(|_| form == name);
    let now = ctx.clock.now();
    let body = html! {
        h1 { "Organization" }
        @if let Some((id, secret)) = &secret {
            section.card role="status" {
                h2 { "New access key" }
                p { "Copy the secret key now: it is shown only this once." }
                p { "Access key: " code #new-ak { (id) } }
                p { "Secret key: " } p.secret #new-sk { (secret) }
                button.secondary type="button" data-copy="new-sk" { "Copy secret key" }
            }
        }
        @if admin {
            (table.render(&viewer.here, paging))
            form.card method="post" action="/partner/members" {
                h2 { "Add a member" }
                (csrf(&token))
                (form_error(f("member"), &["name", "email", "password", "position"]))
                (field(f("member"), "Name", "name", Input::Text, "", true))
                (field(f("member"), "Email (their sign-in)", "email", Input::Email, "", true))
                (field(f("member"), "Initial password", "password", Input::NewPassword, "", true))
                (select(f("member"), "Position", "position", &[("member", "Member"), ("account_manager", "Account manager"), ("account_director", "Account director")], "member"))
                button type="submit" { "Add member" }
            }
        }
        @if admin {
            form.card method="post" action="/partner/roles" {
                h2 { "Create a role" }
                p { "A member can do only what its role's permission items allow (R-ORG-02)." }
                (csrf(&token))
                (form_error(f("role"), &["name", "permissions"]))
                (field(f("role"), "Role name", "name", Input::Text, "", true))
                fieldset {
                    legend { "Permission items" }
                    @for p in Permission::ALL {
                        (checkbox(f("role"), html! { (permission_text(p)) " (" code { (permission_code(p)) } ")" }, &format!("permission.{}", permission_code(p)), false))
                    }
                }
                button type="submit" { "Create role" }
            }
        }
        section.card {
            h2 { "Access keys" }
            p { "Keys sign BSS API calls (the official SDKs). " @if !admin { "Yours act with your role's permissions." } }
            ul { @for k in &keys {
                li {
                    code { (k.id().as_str()) } " · created " (when(k.created_at())) " · " (format!("{:?}", k.state()).to_lowercase())
                    @if k.is_active() {
                        " "
                        form.inline method="post" action=(format!("/partner/access-keys/{}/revoke", k.id().as_str())) data-confirm="Revoke this key? Calls signed with it will fail at once." {
                            (csrf(&token)) button.danger type="submit" { "Revoke" }
                        }
                    }
                }
            } }
            form method="post" action="/partner/access-keys" {
                (csrf(&token))
                (form_error(f("key"), &[]))
                button type="submit" { "Create access key" }
            }
        }
        @if admin {
            section.card {
                h2 { "Dedicated personnel" }
                ul { @for p in &people { li { (p.account().as_str()) " · " (format!("{:?}", p.state_at(now)).to_lowercase()) " · invited " (when(p.invited_at())) } } }
                form method="post" action="/partner/personnel-invitations" {
                    (csrf(&token))
                    (form_error(f("personnel"), &["login_id"]))
                    (field(f("personnel"), "Login ID of the person's HUAWEI ID", "login_id", Input::Text, "", true))
                    button type="submit" { "Invite" }
                }
            }
        }
    };
    Ok(render_form(&viewer, "Organization", body, failed))
}

fn permission_text(p: Permission) -> &'static str {
    match p {
        Permission::ViewCustomers => "See customers, budgets and spend",
        Permission::ManageCustomers => "Assign account managers",
        Permission::DevelopCustomers => "Invite and pre-register customers",
        Permission::ControlCustomers => "Set budgets, freeze and unfreeze",
        Permission::ViewAudit => "Read the audit log",
    }
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
            Ok(done(viewer.cookies, "/partner/organization", format!("Role {} is created.", role.name().as_str())))
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
            format!("{} can now sign in with {}.", m.name().as_str(), m.email().as_str()),
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
        Ok(m) => Ok(done(viewer.cookies, to, format!("{} is updated.", m.name().as_str()))),
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
        Ok(k) => Ok(done(viewer.cookies, to, format!("Key {} is revoked.", k.id().as_str()))),
        Err(e) => Ok(refused(viewer.cookies, to, &e.into())),
    }
}

pub(super) async fn invite_personnel(
    State(ctx): State<Context>,
    viewer: Viewer,
    form: Posted,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, None)?;
    match personnel::invite(&ctx, partner, form.get("login_id"), Language::default()).await {
        Ok(_) => Ok(done(
            viewer.cookies,
            "/partner/organization",
            "The invitation is emailed; the link is valid for 7 days.",
        )),
        Err(e) => {
            organization_view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&e.into())), "personnel", None)
                .await
        }
    }
}
