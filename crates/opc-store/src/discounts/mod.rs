//! The partner-discount room: policies per service type, scopes, partners' discounts, and the
//! discount a paid order used (written with the order's settlement).

pub(crate) mod rows;

use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::audit::AuditEvent;
use opc_domain::discount::{AppliedDiscount, DiscountScope, PartnerDiscount, ServicePolicy};
use opc_domain::{OrderId, PartnerId};
use tracing::instrument;

use crate::audit::insert_audit;
use crate::codes::Code;
use crate::db::{err, finish, query, query_as, Builder, Conn};
use crate::discounts::rows::{
    applied, bp, kind_code, target, AppliedRow, DiscountRow, PolicyRow, ScopeRow, DISCOUNT_COLUMNS, POLICY_COLUMNS,
    SCOPE_COLUMNS,
};
use crate::SqlStore;

fn stale(row: Row) -> StoreError {
    StoreError::Conflict { constraint: Constraint::Stale(row) }
}

fn rows_into<R, T: TryFrom<R, Error = sqlx::Error>>(rows: Vec<R>) -> Result<Vec<T>, StoreError> {
    rows.into_iter().map(T::try_from).collect::<Result<_, _>>().map_err(err)
}

/// Writes what `applied` took off each line of its order, in `tx` (the order's settlement).
pub(crate) async fn insert_applied(tx: &mut Conn, applied: &AppliedDiscount) -> Result<(), StoreError> {
    // The discount was offered from a read before this transaction: it must still be there at
    // the same rate (the update locks its row on PostgreSQL to the commit), or the payment is
    // stale and decided again.
    let still = query("UPDATE partner_discounts SET version = version WHERE id = $1 AND off_bp = $2")
        .bind(applied.discount_id.as_str())
        .bind(bp(applied.off))
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    if still.rows_affected() != 1 {
        return Err(stale(Row::PartnerDiscount));
    }
    for l in &applied.lines {
        query(
            "INSERT INTO order_line_discounts (line_id, order_id, discount_id, kind, service_type, off_bp, list_e8, \
             discount_e8, due_e8) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(l.line_id.as_str())
        .bind(applied.order.as_str())
        .bind(applied.discount_id.as_str())
        .bind(kind_code(applied.special))
        .bind(applied.service_type.as_str())
        .bind(bp(applied.off))
        .bind(l.list.e8())
        .bind(l.discount.e8())
        .bind(l.due.e8())
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    }
    Ok(())
}

#[async_trait]
impl Discounts for SqlStore {
    #[instrument(level = "debug", skip_all)]
    async fn discount_policies(&self) -> Result<Vec<ServicePolicy>, StoreError> {
        let rows: Vec<PolicyRow> =
            query_as(&format!("SELECT {POLICY_COLUMNS} FROM discount_policies ORDER BY service_type"))
                .fetch_all(&self.db)
                .await
                .map_err(err)?;
        rows_into(rows)
    }

    #[instrument(level = "debug", skip_all, fields(service_type = %policy.service_type))]
    async fn set_discount_policy(&self, policy: &ServicePolicy, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            query("DELETE FROM discount_policies WHERE service_type = $1")
                .bind(policy.service_type.as_str())
                .execute(&mut tx)
                .await
                .map_err(err)?;
            query(&format!("INSERT INTO discount_policies ({POLICY_COLUMNS}) VALUES ($1, $2, $3, $4, $5)"))
                .bind(policy.service_type.as_str())
                .bind(policy.allow_discount)
                .bind(policy.incentive.code())
                .bind(policy.exclusion.map(Code::code))
                .bind(policy.updated_at.unix_ms())
                .execute(&mut tx)
                .await
                .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn discount_scopes(&self, partner: &PartnerId) -> Result<Vec<DiscountScope>, StoreError> {
        let rows: Vec<ScopeRow> = query_as(&format!(
            "SELECT {SCOPE_COLUMNS} FROM discount_scopes WHERE partner_id = $1 ORDER BY service_type"
        ))
        .bind(partner.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows_into(rows)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %scope.partner))]
    async fn write_discount_scope(&self, scope: &DiscountScope, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            if scope.version == 0 {
                query(&format!("INSERT INTO discount_scopes ({SCOPE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, 1)"))
                    .bind(scope.partner.as_str())
                    .bind(scope.service_type.as_str())
                    .bind(bp(scope.max_off))
                    .bind(scope.from.unix_ms())
                    .bind(scope.granted_by.as_str())
                    .bind(scope.updated_at.unix_ms())
                    .execute(&mut tx)
                    .await
                    .map_err(err)?;
            } else {
                let written = query(
                    "UPDATE discount_scopes SET max_off_bp = $1, from_ms = $2, granted_by = $3, updated_at_ms = $4, \
                     version = version + 1 WHERE partner_id = $5 AND service_type = $6 AND version = $7",
                )
                .bind(bp(scope.max_off))
                .bind(scope.from.unix_ms())
                .bind(scope.granted_by.as_str())
                .bind(scope.updated_at.unix_ms())
                .bind(scope.partner.as_str())
                .bind(scope.service_type.as_str())
                .bind(scope.version)
                .execute(&mut tx)
                .await
                .map_err(err)?;
                if written.rows_affected() != 1 {
                    return Err(stale(Row::DiscountScope));
                }
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn partner_discounts(&self, q: &DiscountQuery) -> Result<Vec<PartnerDiscount>, StoreError> {
        let mut b = Builder::new(format!("SELECT {DISCOUNT_COLUMNS} FROM partner_discounts WHERE 1 = 1"));
        if let Some(p) = &q.partner {
            b.push(" AND partner_id = ").push_bind(p.as_str().to_owned());
        }
        if let Some(c) = &q.customer {
            b.push(" AND (customer_id = ").push_bind(c.as_str().to_owned());
            if q.with_all {
                b.push(" OR customer_id = ''");
            }
            b.push(")");
        }
        if let Some(o) = &q.order {
            b.push(" AND order_id = ").push_bind(o.as_str().to_owned());
        }
        if let Some(id) = &q.id {
            b.push(" AND id = ").push_bind(id.clone());
        }
        b.push(" ORDER BY created_at_ms, id");
        let rows: Vec<DiscountRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        rows_into(rows)
    }

    #[instrument(level = "debug", skip_all, fields(discount.id = %d.id))]
    async fn write_partner_discount(&self, d: &PartnerDiscount, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            if d.version == 0 {
                let (customer, order) = target(d);
                query(&format!(
                    "INSERT INTO partner_discounts ({DISCOUNT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1)"
                ))
                .bind(d.id.as_str())
                .bind(d.partner.as_str())
                .bind(kind_code(d.is_special()))
                .bind(customer)
                .bind(order)
                .bind(d.service_type.as_str())
                .bind(bp(d.off))
                .bind(d.created_at.unix_ms())
                .bind(d.updated_at.unix_ms())
                .execute(&mut tx)
                .await
                .map_err(err)?;
            } else {
                let written = query(
                    "UPDATE partner_discounts SET off_bp = $1, updated_at_ms = $2, version = version + 1 \
                     WHERE id = $3 AND version = $4",
                )
                .bind(bp(d.off))
                .bind(d.updated_at.unix_ms())
                .bind(d.id.as_str())
                .bind(d.version)
                .execute(&mut tx)
                .await
                .map_err(err)?;
                if written.rows_affected() != 1 {
                    return Err(stale(Row::PartnerDiscount));
                }
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(discount.id = %d.id))]
    async fn remove_partner_discount(&self, d: &PartnerDiscount, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let removed = query("DELETE FROM partner_discounts WHERE id = $1 AND version = $2")
                .bind(d.id.as_str())
                .bind(d.version)
                .execute(&mut tx)
                .await
                .map_err(err)?;
            if removed.rows_affected() != 1 {
                return Err(stale(Row::PartnerDiscount));
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(order.id = %order))]
    async fn applied_discount(&self, order: &OrderId) -> Result<Option<AppliedDiscount>, StoreError> {
        let rows: Vec<AppliedRow> = query_as(
            "SELECT d.line_id, d.order_id, d.discount_id, d.kind, d.service_type, d.off_bp, d.list_e8, d.discount_e8, \
             d.due_e8 FROM order_line_discounts d JOIN order_lines l ON l.id = d.line_id WHERE d.order_id = $1 \
             ORDER BY l.position",
        )
        .bind(order.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        applied(rows).map_err(err)
    }
}
