//! The audit log, for everyone in their scope: all events for the operator, the partner's for
//! a partner (and a member with `audit.view`), the account's own for a customer.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use maud::html;
use opc_core::store::AuditQuery;
use opc_core::Context;
use opc_domain::audit::Actor;

use super::page::{when, Cell, Count, Paging, Table};
use super::{denied, render, ListQuery, OrDeny, Viewer};
use crate::audience::audit_scope;
use crate::console::extract::PageQuery;

pub fn routes() -> Router<Context> {
    Router::new().route("/audit", get(audit))
}

async fn audit(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    let scope = audit_scope(&viewer.user).map_err(|e| denied(&viewer, e))?;
    let paging = q.paging();
    let (offset, limit) = if q.csv() { (0, Paging::CSV_MAX) } else { (paging.offset(), paging.per_page + 1) };
    let mut events = ctx.store.audit_events(&AuditQuery { offset, limit, ..scope }).await.or_deny(&viewer)?;
    let more = !q.csv() && events.len() > paging.per_page as usize;
    events.truncate(if q.csv() { events.len() } else { paging.per_page as usize });
    let rows = events
        .iter()
        .map(|e| {
            let actor = match &e.actor {
                Actor::Operator(name) => format!("operator {name}"),
                Actor::PartnerKey { key, .. } => format!("access key {}", key.as_str()),
                Actor::Customer(account) => format!("account {}", account.as_str()),
                Actor::System => "system".to_owned(),
            };
            let change = match (&e.before, &e.after) {
                (Some(b), Some(a)) => format!("{b} → {a}"),
                (None, Some(a)) => a.clone(),
                (Some(b), None) => format!("{b} → (removed)"),
                (None, None) => String::new(),
            };
            let cells = vec![
                Cell::from(when(e.at)),
                Cell::from(e.action.as_str()),
                Cell::from(actor),
                Cell::from(format!("{} {}", e.subject.kind, e.subject.id)),
                Cell::from(change),
            ];
            (cells, None)
        })
        .collect();
    let table = Table {
        caption: "Audit events, newest first",
        columns: &["When", "What", "Who", "Subject", "Change"],
        rows,
        total: Count::More(more),
    };
    if q.csv() {
        return Ok(table.csv("audit-log"));
    }
    Ok(render(&viewer, "Audit log", html! { h1 { "Audit log" } (table.render(&viewer.here, paging)) }))
}
