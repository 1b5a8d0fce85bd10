//! The audit aggregate: its queries and its part of the port.

pub(crate) mod rows;

use crate::audit::rows::AuditRow;
use crate::db::{err, query, Builder, Conn};
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::audit::AuditEvent;
use tracing::instrument;

pub(crate) async fn insert_audit(tx: &mut Conn, events: &[AuditEvent]) -> Result<(), sqlx::Error> {
    for event in events {
        let r = AuditRow::from(event);
        query(
            "INSERT INTO audit_events (id, at_ms, actor_kind, actor_id, actor_key, partner_id, on_behalf_of, action, \
             subject_kind, subject_id, before_state, after_state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(r.id)
        .bind(r.at_ms)
        .bind(r.actor_kind)
        .bind(r.actor_id)
        .bind(r.actor_key)
        .bind(r.partner_id)
        .bind(r.on_behalf_of)
        .bind(r.action)
        .bind(r.subject_kind)
        .bind(r.subject_id)
        .bind(r.before_state)
        .bind(r.after_state)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

#[async_trait]
impl Audit for SqlStore {
    #[instrument(level = "debug", skip_all)]
    async fn audit_events(&self, q: &AuditQuery) -> Result<Vec<AuditEvent>, StoreError> {
        let mut b = Builder::new(
            "SELECT id, at_ms, actor_kind, actor_id, actor_key, partner_id, on_behalf_of, action, subject_kind, \
             subject_id, before_state, after_state FROM audit_events WHERE 1 = 1",
        );
        // The scope, then the filter: both hold, so no filter reaches outside the scope.
        if let Some(p) = &q.partner {
            b.push(" AND partner_id = ").push_bind(p.as_str());
        }
        if let Some(s) = &q.subject_id {
            b.push(" AND subject_id = ").push_bind(s.as_str());
        }
        let f = &q.filter;
        if let Some(from) = f.from {
            b.push(" AND at_ms >= ").push_bind(from.unix_ms());
        }
        if let Some(until) = f.until {
            b.push(" AND at_ms < ").push_bind(until.unix_ms());
        }
        if let Some(actor) = &f.actor {
            // Each side has its index (migration 53), so the OR reads two index ranges.
            b.push(" AND (actor_id = ").push_bind(actor.as_str());
            b.push(" OR actor_key = ").push_bind(actor.as_str()).push(")");
        }
        if let Some(kind) = f.subject_kind {
            b.push(" AND subject_kind = ").push_bind(kind);
        }
        if let Some(s) = &f.subject_id {
            b.push(" AND subject_id = ").push_bind(s.as_str());
        }
        if let Some(action) = f.action {
            b.push(" AND action = ").push_bind(action.as_str());
        }
        b.push(" ORDER BY seq DESC LIMIT ").push_bind(i64::from(q.limit));
        b.push(" OFFSET ").push_bind(i64::from(q.offset));
        let rows: Vec<AuditRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        rows.into_iter().map(AuditEvent::try_from).collect::<Result<_, _>>().map_err(err)
    }
}
