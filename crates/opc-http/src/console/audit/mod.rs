//! The audit log, for everyone in their scope: all events for the operator, the partner's for
//! a partner (and a member with `audit.view`), the account's own for a customer. People read
//! it in words (`words`): actions by label, actors and subjects by name (the ids of one page
//! looked up in one read per kind), a partner acting for its customer "on behalf of" it, and
//! each change as a short phrase with money to 2 decimals (exact on hover). It is filtered by
//! time, actor, subject and action inside the scope; the CSV export keeps the filters and
//! carries the stored values as they are, exact.

mod words;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use opc_core::store::{AuditFilter, AuditQuery, StoreError};
use opc_core::Context;
use opc_domain::audit::{Action, Actor, AuditEvent, Subject};
use opc_domain::customer::Email;
use opc_domain::{AccountId, MemberId, Millis, PartnerId, StaffId, Timestamp};
use serde::Deserialize;

use super::page::{when, with_param, Cell, Count, Paging, Table};
use super::{denied, render, OrDeny, Viewer};
use crate::audience::audit_scope;
use crate::console::extract::PageQuery;
use crate::console::i18n::Lang;
use words::{action_label, change, pairs, subject_kind_label, Named, Names};

pub fn routes() -> Router<Context> {
    Router::new().route("/audit", get(audit))
}

/// The page's query: its page, its export, and its filters as the form sends them (an empty
/// field is no filter).
#[derive(Deserialize, Default)]
struct AuditPageQuery {
    page: Option<String>,
    format: Option<String>,
    from: Option<String>,
    to: Option<String>,
    actor: Option<String>,
    subject_kind: Option<String>,
    subject: Option<String>,
    action: Option<String>,
}

impl AuditPageQuery {
    fn csv(&self) -> bool {
        self.format.as_deref() == Some("csv")
    }
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A day (`YYYY-MM-DD`) as the time it starts, in UTC.
fn day_start(text: &str) -> Option<Timestamp> {
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    Timestamp::from_utc(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?, 0, 0, 0).ok()
}

const DAY: Millis = Millis(86_400_000);

/// The filter the query asks for, or each field's error (all of them at once): the field's name
/// and the error's message id.
fn chosen(q: &AuditPageQuery) -> Result<AuditFilter, Vec<(&'static str, &'static str)>> {
    let mut errors = vec![];
    let mut day = |field: &'static str, value: &Option<String>| match given(value) {
        None => None,
        Some(text) => {
            let start = day_start(text);
            if start.is_none() {
                errors.push((field, "audit-error-date"));
            }
            start
        }
    };
    let from = day("from", &q.from);
    let until = day("to", &q.to).map(|t| t.plus(DAY));
    if let (Some(f), Some(u)) = (from, until) {
        if u <= f {
            errors.push(("to", "audit-error-dates"));
        }
    }
    let subject_kind = match given(&q.subject_kind) {
        None => None,
        Some(k) => {
            let kind = Subject::kind(k);
            if kind.is_none() {
                errors.push(("subject_kind", "audit-error-kind"));
            }
            kind
        }
    };
    let action = match given(&q.action) {
        None => None,
        Some(a) => {
            let action = Action::parse(a);
            if action.is_none() {
                errors.push(("action", "audit-error-action"));
            }
            action
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(AuditFilter {
        from,
        until,
        actor: given(&q.actor).map(str::to_owned),
        subject_kind,
        subject_id: given(&q.subject).map(str::to_owned),
        action,
    })
}

async fn audit(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<AuditPageQuery>,
) -> Result<Response, Response> {
    let lang = viewer.lang;
    let scope = audit_scope(&viewer.user).map_err(|e| denied(&viewer, e))?;
    let title = lang.t("audit-log");
    let filter = match chosen(&q) {
        Ok(f) => f,
        Err(errors) => {
            let body = html! { h1 { (title) } (filter_form(lang, &q, &errors)) };
            return Ok((StatusCode::BAD_REQUEST, render(&viewer, &title, body)).into_response());
        }
    };
    let paging = Paging::from_query(q.page.as_deref());
    let (offset, limit) = if q.csv() { (0, Paging::CSV_MAX) } else { (paging.offset(), paging.per_page + 1) };
    let query = AuditQuery { offset, limit, filter, ..scope };
    let mut events = ctx.store.audit_events(&query).await.or_deny(&viewer)?;
    let more = !q.csv() && events.len() > paging.per_page as usize;
    events.truncate(if q.csv() { events.len() } else { paging.per_page as usize });
    let names = names(&ctx, &events).await.or_deny(&viewer)?;
    if q.csv() {
        return Ok(export(&events, &names).csv("audit-log"));
    }
    let here = with_param(&viewer.here, "page", "");
    let rows = events
        .iter()
        .map(|e| {
            let change = change(lang, e.before.as_deref(), e.after.as_deref(), &names);
            let action = action_label(lang, e.action);
            let cells = vec![
                Cell::rich(when(e.at), html! { time datetime=(e.at.to_rfc3339()) { (when(e.at)) } }),
                Cell::rich(action.clone(), html! { span title=(e.action.as_str()) { (action) } }),
                who(lang, e, &names, &here),
                subject(lang, e, &names, &here),
                Cell::rich(change.text(), change.html()),
            ];
            (cells, None)
        })
        .collect();
    let caption = lang.t("audit-caption");
    let columns = ["audit-col-when", "audit-col-what", "audit-col-who", "audit-col-subject", "audit-col-change"]
        .map(|id| lang.t(id));
    let columns = columns.each_ref().map(String::as_str);
    let table = Table { caption: &caption, columns: &columns, rows, total: Count::More(more) };
    let body = html! {
        h1 { (title) }
        (filter_form(lang, &q, &[]))
        div.audit-log { (table.render(viewer.lang, &viewer.here, paging)) }
    };
    Ok(render(&viewer, &title, body))
}

/// The ids one page of events names, looked up in one read per kind: accounts (actors,
/// customers acted for, subjects and the ids in changes), partners (by id, and those whose own
/// account acted in the console), staff (subjects by id, operators by the email they act as).
async fn names(ctx: &Context, events: &[AuditEvent]) -> Result<Names, StoreError> {
    let (mut accounts, mut partners, mut staff, mut emails) = (vec![], vec![], vec![], vec![]);
    let mut members: Vec<MemberId> = vec![];
    let mut account = |id: &str| {
        if let Ok(id) = AccountId::parse(id) {
            accounts.push(id);
        }
    };
    let mut partner = |id: &str| {
        if let Ok(id) = PartnerId::parse(id) {
            partners.push(id);
        }
    };
    for e in events {
        match &e.actor {
            Actor::Operator(name) => emails.extend(Email::parse(name).ok()),
            Actor::PartnerKey { partner: p, .. } => partner(p.as_str()),
            Actor::Customer(a) => account(a.as_str()),
            Actor::System => {}
        }
        if let Some(a) = &e.on_behalf_of {
            account(a.as_str());
        }
        match e.subject.kind {
            "customer" | "account" => account(&e.subject.id),
            "partner" => partner(&e.subject.id),
            "staff" => staff.extend(StaffId::parse(&e.subject.id).ok()),
            "member" => members.extend(MemberId::parse(&e.subject.id).ok()),
            _ => {}
        }
        for pair in [&e.before, &e.after].into_iter().flatten().flat_map(|t| pairs(t)) {
            match (pair.key.as_deref(), pair.value.as_str()) {
                (Some("customer" | "account" | "master"), id) => account(id),
                (Some("partner" | "reseller" | "distributor"), id) => partner(id),
                (Some("from" | "to"), holder) => {
                    if let Some(id) = holder.strip_prefix("customer:") {
                        account(id);
                    } else if let Some(id) = holder.strip_prefix("partner:") {
                        partner(id);
                    }
                }
                _ => {}
            }
        }
    }
    accounts.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    accounts.dedup();
    partners.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    partners.dedup();
    staff.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    staff.dedup();
    emails.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    emails.dedup();
    members.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    members.dedup();
    let mut names = Names::default();
    // A page names a few members at most: each is read on its own.
    for id in &members {
        if let Some(m) = ctx.store.member(id).await? {
            let named = Named { name: m.name().as_str().to_owned(), email: Some(m.email().as_str().to_owned()) };
            names.members.insert(id.as_str().to_owned(), named);
        }
    }
    if !accounts.is_empty() {
        for a in ctx.store.accounts_by_id(&accounts).await? {
            let name = a.display_name().unwrap_or(a.name().as_str()).to_owned();
            names.accounts.insert(a.id().as_str().to_owned(), Named { name, email: a.email().map(str::to_owned) });
        }
    }
    if !partners.is_empty() || !accounts.is_empty() {
        for p in ctx.store.partners_by_id_or_account(&partners, &accounts).await? {
            let id = p.id().as_str().to_owned();
            names.partner_of_account.insert(p.account_id().as_str().to_owned(), id.clone());
            names.partners.insert(id, Named { name: p.name().as_str().to_owned(), email: None });
        }
    }
    if !staff.is_empty() || !emails.is_empty() {
        for s in ctx.store.staff_by_id_or_email(&staff, &emails).await? {
            let named = Named { name: s.name.as_str().to_owned(), email: Some(s.email.as_str().to_owned()) };
            names.staff_by_email.insert(s.email.as_str().to_lowercase(), named.clone());
            names.staff_by_id.insert(s.id.as_str().to_owned(), named);
        }
    }
    Ok(names)
}

/// The page's address with one filter set (and back to the first page).
fn filtered(here: &str, params: &[(&str, &str)]) -> String {
    params.iter().fold(here.to_owned(), |url, (name, value)| with_param(&url, name, value))
}

/// A name that filters the log by its id, the id on hover, and a second line (an email, or
/// what the id is).
fn name_link(name: &str, id_title: &str, href: &str, second: Option<&str>) -> Markup {
    html! {
        a href=(href) title=(id_title) { (name) }
        @if let Some(s) = second { span.sub { (s) } }
    }
}

/// Who acted: by name, its id on hover; a partner's access key beside it; and the customer
/// it acted for, when it acted in the customer's place.
fn who(lang: Lang, e: &AuditEvent, names: &Names, here: &str) -> Cell {
    let by_actor = |id: &str| filtered(here, &[("actor", id)]);
    // "partner p1", "account a1": what an id is, on hover.
    let what =
        |kind: &str, id: &str| format!("{} {id}", subject_kind_label(lang, kind).unwrap_or_default().to_lowercase());
    let (text, html) = match &e.actor {
        Actor::Operator(name) => match names.staff_by_email(name) {
            Some(staff) => {
                let email = staff.email.as_deref().unwrap_or(name);
                let second = lang.t_with("audit-who-operator-line", &[("email", email.into())]);
                (
                    lang.t_with(
                        "audit-who-operator-text",
                        &[("name", staff.name.as_str().into()), ("email", email.into())],
                    ),
                    name_link(&staff.name, name, &by_actor(name), Some(&second)),
                )
            }
            None => {
                let operator = lang.t("audit-who-operator");
                (format!("{operator} {name}"), html! { (operator) " " a href=(by_actor(name)) { (name) } })
            }
        },
        Actor::PartnerKey { partner, key } => {
            let name = names.partner(partner.as_str()).map_or(partner.as_str(), |p| p.name.as_str());
            let title = what("partner", partner.as_str());
            let key_title = lang.t("audit-who-key-title");
            let html = html! {
                a href=(by_actor(partner.as_str())) title=(title) { (name) }
                (lang.t("audit-who-key-open"))
                a href=(by_actor(key.as_str())) title=(key_title) { code { (key.as_str()) } }
                (lang.t("audit-who-key-close"))
            };
            (lang.t_with("audit-who-key-text", &[("name", name.into()), ("key", key.as_str().into())]), html)
        }
        Actor::Customer(account) => match names.partner_by_account(account.as_str()) {
            Some((_, partner)) => {
                let account_name = names.account(account.as_str()).map_or(account.as_str(), |a| a.name.as_str());
                let second = lang.t_with("audit-who-console", &[("account", account_name.into())]);
                let title = what("account", account.as_str());
                (
                    lang.t_with(
                        "audit-who-console-text",
                        &[("name", partner.name.as_str().into()), ("second", second.as_str().into())],
                    ),
                    name_link(&partner.name, &title, &by_actor(account.as_str()), Some(&second)),
                )
            }
            None => {
                let title = what("account", account.as_str());
                match names.account(account.as_str()) {
                    Some(a) => {
                        (a.name.clone(), name_link(&a.name, &title, &by_actor(account.as_str()), a.email.as_deref()))
                    }
                    None => (
                        format!("{} {account}", subject_kind_label(lang, "account").unwrap_or_default()),
                        name_link(account.as_str(), &title, &by_actor(account.as_str()), None),
                    ),
                }
            }
        },
        Actor::System => {
            let system = lang.t("audit-who-system");
            (system.clone(), html! { (system) })
        }
    };
    match &e.on_behalf_of {
        None => Cell::rich(text, html),
        Some(customer) => {
            let name = names.account(customer.as_str()).map_or(customer.as_str(), |a| a.name.as_str());
            let title = what("customer", customer.as_str());
            let href = filtered(here, &[("subject_kind", "customer"), ("subject", customer.as_str())]);
            Cell::rich(
                lang.t_with("audit-who-behalf-text", &[("who", text.into()), ("name", name.into())]),
                html! {
                    (html)
                    span.behalf {
                        (lang.t("audit-who-behalf-open"))
                        a href=(href) title=(title) { (name) }
                        (lang.t("audit-who-behalf-close"))
                    }
                },
            )
        }
    }
}

/// What was acted on: a customer, partner or staff member by name (its email below, its id on
/// hover), anything else by its kind and id.
fn subject(lang: Lang, e: &AuditEvent, names: &Names, here: &str) -> Cell {
    let (kind, id) = (e.subject.kind, e.subject.id.as_str());
    let label = subject_kind_label(lang, kind).unwrap_or_else(|| kind.to_owned());
    let href = filtered(here, &[("subject_kind", kind), ("subject", id)]);
    let known = match kind {
        "customer" | "account" => names.account(id),
        "partner" => names.partner(id),
        "staff" => names.staff_by_id.get(id),
        "member" => names.members.get(id),
        _ => None,
    };
    let title = format!("{} {id}", label.to_lowercase());
    match known {
        Some(n) => {
            let second = n.email.clone().unwrap_or_else(|| label.clone());
            Cell::rich(format!("{} ({label} {id})", n.name), name_link(&n.name, &title, &href, Some(&second)))
        }
        None => {
            Cell::rich(format!("{label} {id}"), html! { (label) " " a href=(href) title=(title) { code { (id) } } })
        }
    }
}

/// The CSV export: every stored value as it is (exact amounts, ids, codes), the names beside.
fn export(events: &[AuditEvent], names: &Names) -> Table<'static> {
    let rows = events
        .iter()
        .map(|e| {
            let (actor_kind, actor_id, key) = match &e.actor {
                Actor::Operator(name) => ("operator", name.clone(), String::new()),
                Actor::PartnerKey { partner, key } => ("partner", partner.as_str().to_owned(), key.as_str().to_owned()),
                Actor::Customer(a) => ("account", a.as_str().to_owned(), String::new()),
                Actor::System => ("system", String::new(), String::new()),
            };
            let actor_name = match &e.actor {
                Actor::Operator(name) => names.staff_by_email(name).map(|s| s.name.clone()),
                Actor::PartnerKey { partner, .. } => names.partner(partner.as_str()).map(|p| p.name.clone()),
                Actor::Customer(a) => names
                    .partner_by_account(a.as_str())
                    .map(|(_, p)| p.name.clone())
                    .or_else(|| names.account(a.as_str()).map(|n| n.name.clone())),
                Actor::System => None,
            };
            let subject_name = match e.subject.kind {
                "customer" | "account" => names.account(&e.subject.id),
                "partner" => names.partner(&e.subject.id),
                "staff" => names.staff_by_id.get(&e.subject.id),
                _ => None,
            };
            let behalf = e.on_behalf_of.as_ref().map(|a| a.as_str().to_owned()).unwrap_or_default();
            let behalf_name = e.on_behalf_of.as_ref().and_then(|a| names.account(a.as_str())).map(|n| n.name.clone());
            let cells = vec![
                Cell::from(e.at.to_rfc3339()),
                // The export stays in English, as machines read it.
                Cell::from(action_label(Lang::English, e.action)),
                Cell::from(e.action.as_str()),
                Cell::from(actor_kind),
                Cell::from(actor_id),
                Cell::from(key),
                Cell::from(actor_name.unwrap_or_default()),
                Cell::from(behalf),
                Cell::from(behalf_name.unwrap_or_default()),
                Cell::from(e.subject.kind),
                Cell::from(e.subject.id.clone()),
                Cell::from(subject_name.map(|n| n.name.clone()).unwrap_or_default()),
                Cell::from(e.before.clone().unwrap_or_default()),
                Cell::from(e.after.clone().unwrap_or_default()),
            ];
            (cells, None)
        })
        .collect();
    Table {
        caption: "Audit events, newest first",
        columns: &[
            "At (UTC)",
            "Action",
            "Action code",
            "Actor kind",
            "Actor id",
            "Access key",
            "Actor name",
            "On behalf of",
            "On behalf of name",
            "Subject kind",
            "Subject id",
            "Subject name",
            "Before",
            "After",
        ],
        rows,
        total: Count::Exact(events.len() as u64),
    }
}

/// The filters, as a GET form that keeps what was chosen, each error (a message id) next to its
/// field.
fn filter_form(lang: Lang, q: &AuditPageQuery, errors: &[(&str, &str)]) -> Markup {
    let error = |field: &str| errors.iter().find(|(f, _)| *f == field).map(|(_, e)| lang.t(e));
    let value = |v: &Option<String>| v.as_deref().unwrap_or("").to_owned();
    let mut actions: Vec<(&str, String)> = Action::ALL.iter().map(|a| (a.as_str(), action_label(lang, *a))).collect();
    actions.sort_by(|(_, a), (_, b)| a.cmp(b));
    let mut kinds: Vec<(&str, String)> =
        Subject::KINDS.iter().map(|k| (*k, subject_kind_label(lang, k).unwrap_or_else(|| (*k).to_owned()))).collect();
    kinds.sort_by(|(_, a), (_, b)| a.cmp(b));
    let chosen_kind = value(&q.subject_kind);
    let chosen_action = value(&q.action);
    // `hint`: the id of the text that explains the field, below the form.
    let field = |name: &str, label: &str, kind: &str, v: String, hint: Option<&str>| {
        let id = format!("audit-{name}");
        let e = error(name);
        html! {
            div.field.invalid[e.is_some()] {
                label for=(id) { (lang.t(label)) }
                input id=(id) name=(name) type=(kind) value=(v) aria-invalid=[e.as_ref().map(|_| "true")]
                    aria-describedby=[e.as_ref().map(|_| format!("{id}-error")).or(hint.map(str::to_owned))];
                @if let Some(e) = e { p.error id=(format!("{id}-error")) { (e) } }
            }
        }
    };
    let select = |name: &str, label: &str, options: &[(&str, String)], chosen: &str| {
        let id = format!("audit-{name}");
        let e = error(name);
        html! {
            div.field.invalid[e.is_some()] {
                label for=(id) { (lang.t(label)) }
                select id=(id) name=(name) aria-invalid=[e.as_ref().map(|_| "true")] {
                    option value="" selected[chosen.is_empty()] { (lang.t("audit-filter-any")) }
                    @for (v, text) in options { option value=(v) selected[*v == chosen] { (text) } }
                }
                @if let Some(e) = e { p.error { (e) } }
            }
        }
    };
    let filter_label = lang.t("audit-filter-label");
    html! {
        form.filters.audit-filters method="get" action="/audit" role="search" aria-label=(filter_label) {
            (field("from", "audit-filter-from", "date", value(&q.from), None))
            (field("to", "audit-filter-to", "date", value(&q.to), None))
            (select("action", "audit-filter-action", &actions, &chosen_action))
            (field("actor", "audit-filter-actor", "text", value(&q.actor), Some("audit-actor-hint")))
            (select("subject_kind", "audit-filter-subject-kind", &kinds, &chosen_kind))
            (field("subject", "audit-filter-subject", "text", value(&q.subject), None))
            div.buttons {
                button type="submit" { (lang.t("audit-filter-submit")) }
                " "
                a.button.secondary href="/audit" { (lang.t("audit-filter-clear")) }
            }
            p.hint #audit-actor-hint { (lang.t("audit-actor-hint")) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_days_in_utc_and_the_end_date_counts_whole() {
        assert_eq!(day_start("2026-03-01"), Timestamp::from_utc(2026, 3, 1, 0, 0, 0).ok());
        assert_eq!(day_start("2026-3-1"), None);
        assert_eq!(day_start("2026-02-30"), None);
        let q = AuditPageQuery { from: Some("2026-03-01".into()), to: Some("2026-03-01".into()), ..Default::default() };
        let f = chosen(&q).unwrap();
        assert_eq!(f.until.unwrap().since(f.from.unwrap()), DAY);
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let q = AuditPageQuery {
            from: Some("yesterday".into()),
            subject_kind: Some("nope".into()),
            action: Some("nope".into()),
            ..Default::default()
        };
        let errors: Vec<&str> = chosen(&q).unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert_eq!(errors, ["from", "subject_kind", "action"]);
        let backwards =
            AuditPageQuery { from: Some("2026-03-02".into()), to: Some("2026-03-01".into()), ..Default::default() };
        assert_eq!(chosen(&backwards).unwrap_err()[0].0, "to");
    }
}
