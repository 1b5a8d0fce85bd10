//! The coupons aggregate: coupon quotas, cash and test coupons and their two append-only ledgers,
//! and its part of the port.

pub(crate) mod rows;

use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::coupon::{Coupon, CouponEntry, CouponQuota, CouponRefund, GivenBack, HoldState, OrderHold, QuotaEntry};
use opc_domain::usage::Cycle;
use opc_domain::Timestamp;
use tracing::instrument;

use crate::audit::insert_audit;
use crate::codes::Code;
use crate::coupons::rows::{
    encode_parts, grantor_id, hold_state, limit_text, CouponEntryRow, CouponRefundRow, CouponRow, HoldRow,
    QuotaEntryRow, QuotaRow, COUPON_COLUMNS, HOLD_COLUMNS, HOLD_READ_COLUMNS, QUOTA_COLUMNS, REFUND_COLUMNS,
};
use crate::db::{err, finish, page, query, query_as, Builder, Conn};
use crate::SqlStore;

fn stale(row: Row) -> StoreError {
    StoreError::Conflict { constraint: Constraint::Stale(row) }
}

/// Inserts a new quota (version 0) or updates one whose stored version is still `q.version`.
async fn write_quota(tx: &mut Conn, q: &CouponQuota) -> Result<(), StoreError> {
    if q.version == 0 {
        query(&format!(
            "INSERT INTO coupon_quotas ({QUOTA_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1)"
        ))
        .bind(q.id.as_str())
        .bind(q.partner.as_str())
        .bind(q.parent.as_deref())
        .bind(grantor_id(&q.grantor))
        .bind(q.value.e8())
        .bind(q.balance.e8())
        .bind(q.validity.from.unix_ms())
        .bind(q.validity.to.unix_ms())
        .bind(limit_text(q.limits.service_types()))
        .bind(limit_text(q.limits.products()))
        .bind(q.reclaimed)
        .bind(q.created_at.unix_ms())
        .bind(q.updated_at.unix_ms())
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        return Ok(());
    }
    let written = query(
        "UPDATE coupon_quotas SET balance_e8 = $1, reclaimed = $2, updated_at_ms = $3, version = version + 1 \
         WHERE id = $4 AND version = $5",
    )
    .bind(q.balance.e8())
    .bind(q.reclaimed)
    .bind(q.updated_at.unix_ms())
    .bind(q.id.as_str())
    .bind(q.version)
    .execute(&mut *tx)
    .await
    .map_err(err)?;
    if written.rows_affected() != 1 {
        return Err(stale(Row::CouponQuota));
    }
    Ok(())
}

/// Inserts a new coupon (version 0) or updates one whose stored version is still `c.version`.
pub(crate) async fn write_coupon(tx: &mut Conn, c: &Coupon) -> Result<(), StoreError> {
    if c.version == 0 {
        query(&format!(
            "INSERT INTO coupons ({COUPON_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16, $17, $18, $19, $20)"
        ))
        .bind(c.id.as_str())
        .bind(c.partner.as_str())
        .bind(c.customer.as_ref().map(|a| a.as_str()))
        .bind(grantor_id(&c.grantor))
        .bind(c.quota.as_deref())
        .bind(c.face_value.e8())
        .bind(c.balance.e8())
        .bind(c.validity.from.unix_ms())
        .bind(c.validity.to.unix_ms())
        .bind(limit_text(c.limits.service_types()))
        .bind(limit_text(c.limits.products()))
        .bind(c.memo.as_str())
        .bind(c.closure.map(Code::code))
        .bind(c.created_at.unix_ms())
        .bind(c.last_used_at.map(Timestamp::unix_ms))
        .bind(c.kind.code())
        .bind(c.held_by.as_deref())
        .bind(crate::coupons::rows::modes_text(c.limits.modes()))
        .bind(c.limits.max_share().map(|s| i64::from(s.basis_points())))
        .bind(c.parent.as_deref())
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        return Ok(());
    }
    let written = query(
        "UPDATE coupons SET balance_e8 = $1, closure = $2, last_used_at_ms = $3, held_by_order = $4, \
         version = version + 1 WHERE id = $5 AND version = $6",
    )
    .bind(c.balance.e8())
    .bind(c.closure.map(Code::code))
    .bind(c.last_used_at.map(Timestamp::unix_ms))
    .bind(c.held_by.as_deref())
    .bind(c.id.as_str())
    .bind(c.version)
    .execute(&mut *tx)
    .await
    .map_err(err)?;
    if written.rows_affected() != 1 {
        return Err(stale(Row::Coupon));
    }
    Ok(())
}

async fn insert_quota_entry(tx: &mut Conn, e: &QuotaEntry) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO coupon_quota_entries (id, quota_id, kind, amount_e8, balance_after_e8, counterpart_id, \
         transfer_id, at_ms, operator, remark) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(e.id.as_str())
    .bind(e.quota.as_str())
    .bind(e.kind.code())
    .bind(e.amount.e8())
    .bind(e.balance_after.e8())
    .bind(e.counterpart.as_deref())
    .bind(e.transfer.as_str())
    .bind(e.at.unix_ms())
    .bind(e.operator.as_str())
    .bind(e.remark.as_str())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub(crate) async fn insert_coupon_entry(tx: &mut Conn, e: &CouponEntry) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO coupon_entries (id, coupon_id, kind, amount_e8, balance_after_e8, trade, at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(e.id.as_str())
    .bind(e.coupon.as_str())
    .bind(e.kind.code())
    .bind(e.amount.e8())
    .bind(e.balance_after.e8())
    .bind(e.trade.as_str())
    .bind(e.at.unix_ms())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Writes coupons as decided and their entries, in `tx` (the bill run's deductions too).
pub(crate) async fn write_coupons_in(
    tx: &mut Conn,
    coupons: &[Coupon],
    entries: &[CouponEntry],
) -> Result<(), StoreError> {
    let mut in_key_order: Vec<&Coupon> = coupons.iter().collect();
    in_key_order.sort_by(|a, b| a.id.cmp(&b.id));
    for c in in_key_order {
        write_coupon(tx, c).await?;
    }
    for e in entries {
        insert_coupon_entry(tx, e).await.map_err(err)?;
    }
    Ok(())
}

/// Writes coupon holds as decided, in `tx`: a hold still held is inserted, or its parts updated
/// (an unsubscription took part of it off); a hold that ended (paid by the bill, released by an
/// unsubscription) is ended only if it was still held, so it ends once.
pub(crate) async fn write_holds_in(tx: &mut Conn, holds: &[OrderHold]) -> Result<(), StoreError> {
    for h in holds {
        let (state, paid, ended) = hold_state(h.state);
        if h.state == HoldState::Held {
            query(&format!(
                "INSERT INTO order_coupons ({HOLD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (order_id) DO UPDATE SET parts = excluded.parts WHERE order_coupons.state = 'held'"
            ))
            .bind(h.order.as_str())
            .bind(h.coupon.as_str())
            .bind(h.partner.as_str())
            .bind(h.customer.as_str())
            .bind(h.cycle.0)
            .bind(encode_parts(&h.parts))
            .bind(h.at.unix_ms())
            .bind(state)
            .bind(paid)
            .bind(ended)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            continue;
        }
        let written = query(
            "UPDATE order_coupons SET state = $1, paid_e8 = $2, ended_at_ms = $3, parts = $4 \
             WHERE order_id = $5 AND state = 'held'",
        )
        .bind(state)
        .bind(paid)
        .bind(ended)
        .bind(encode_parts(&h.parts))
        .bind(h.order.as_str())
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if written.rows_affected() != 1 {
            return Err(stale(Row::Coupon));
        }
    }
    Ok(())
}

/// R-CPN-10: what unsubscriptions gave back to coupons after their orders' bills, in `tx`: the
/// quotas a closed coupon passed its share to (version-checked), both ledgers' entries, each
/// hold's running total (never past what it paid: a concurrent refund of the same hold makes
/// this one stale), and the refunds the bills read. The coupons themselves are written apart.
pub(crate) async fn write_given_back_in(tx: &mut Conn, given: &GivenBack) -> Result<(), StoreError> {
    let mut quotas: Vec<&CouponQuota> = given.quotas.iter().collect();
    quotas.sort_by(|a, b| a.id.cmp(&b.id));
    for q in quotas {
        write_quota(tx, q).await?;
    }
    for e in &given.quota_entries {
        insert_quota_entry(tx, e).await.map_err(err)?;
    }
    for e in &given.entries {
        insert_coupon_entry(tx, e).await.map_err(err)?;
    }
    for r in &given.refunds {
        let written = query(
            "UPDATE order_coupons SET refunded_e8 = refunded_e8 + $1 \
             WHERE order_id = $2 AND state = 'paid' AND refunded_e8 + $1 <= paid_e8",
        )
        .bind(r.amount.e8())
        .bind(r.order.as_str())
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if written.rows_affected() != 1 {
            return Err(stale(Row::Coupon));
        }
        query(&format!(
            "INSERT INTO coupon_refunds ({REFUND_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        ))
        .bind(r.entry.as_str())
        .bind(r.coupon.as_str())
        .bind(r.partner.as_str())
        .bind(r.customer.as_str())
        .bind(r.order.as_str())
        .bind(r.unsubscription.as_str())
        .bind(r.service_type.as_str())
        .bind(r.cycle.0)
        .bind(r.amount.e8())
        .bind(r.at.unix_ms())
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    }
    Ok(())
}

fn rows_into<R, T: TryFrom<R, Error = sqlx::Error>>(rows: Vec<R>) -> Result<Vec<T>, StoreError> {
    rows.into_iter().map(T::try_from).collect::<Result<_, _>>().map_err(err)
}

#[async_trait]
impl Coupons for SqlStore {
    #[instrument(level = "debug", skip_all, fields(count = ids.len()))]
    async fn coupon_quotas(&self, ids: &[String]) -> Result<Vec<CouponQuota>, StoreError> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let mut b = Builder::new(format!("SELECT {QUOTA_COLUMNS} FROM coupon_quotas WHERE id IN ("));
        let mut list = b.separated(", ");
        for id in ids {
            list.push_bind(id.clone());
        }
        b.push(")");
        let rows: Vec<QuotaRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        rows_into(rows)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn quotas_of(
        &self,
        partner: &opc_domain::PartnerId,
        issued_by: bool,
    ) -> Result<Vec<CouponQuota>, StoreError> {
        let sql = if issued_by {
            format!("SELECT {QUOTA_COLUMNS} FROM coupon_quotas WHERE grantor_id = $1 ORDER BY created_at_ms DESC, id")
        } else {
            format!("SELECT {QUOTA_COLUMNS} FROM coupon_quotas WHERE partner_id = $1 ORDER BY created_at_ms DESC, id")
        };
        let rows: Vec<QuotaRow> = query_as(&sql).bind(partner.as_str()).fetch_all(&self.db).await.map_err(err)?;
        rows_into(rows)
    }

    #[instrument(level = "debug", skip_all)]
    async fn coupons(&self, q: &CouponQuery) -> Result<Vec<Coupon>, StoreError> {
        let mut b = Builder::new(format!("SELECT {COUPON_COLUMNS} FROM coupons WHERE 1 = 1"));
        if let Some(p) = &q.partner {
            b.push(" AND partner_id = ").push_bind(p.as_str().to_owned());
        }
        if let Some(c) = &q.customer {
            b.push(" AND customer_id = ").push_bind(c.as_str().to_owned());
        }
        if let Some(id) = &q.coupon {
            b.push(" AND id = ").push_bind(id.clone());
        }
        if let Some(quota) = &q.quota {
            b.push(" AND quota_id = ").push_bind(quota.clone());
        }
        if q.open_only {
            b.push(" AND closure IS NULL AND balance_e8 > 0");
        }
        if let Some(kind) = q.kind {
            b.push(" AND kind = ").push_bind(kind.code());
        }
        b.push(" ORDER BY created_at_ms DESC, id");
        let rows: Vec<CouponRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        rows_into(rows)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn held_orders(&self, partner: &opc_domain::PartnerId, cycle: Cycle) -> Result<Vec<OrderHold>, StoreError> {
        let rows: Vec<HoldRow> = query_as(&format!(
            "SELECT {HOLD_READ_COLUMNS} FROM order_coupons WHERE partner_id = $1 AND cycle = $2 AND state = 'held' \
             ORDER BY held_at_ms, order_id"
        ))
        .bind(partner.as_str())
        .bind(cycle.0)
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows_into(rows)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn coupon_refunds(
        &self,
        partner: &opc_domain::PartnerId,
        cycle: Cycle,
    ) -> Result<Vec<CouponRefund>, StoreError> {
        let rows: Vec<CouponRefundRow> = query_as(&format!(
            "SELECT {REFUND_COLUMNS} FROM coupon_refunds WHERE partner_id = $1 AND cycle = $2 ORDER BY at_ms, entry_id"
        ))
        .bind(partner.as_str())
        .bind(cycle.0)
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows_into(rows)
    }

    #[instrument(level = "debug", skip_all, fields(count = orders.len()))]
    async fn order_holds(&self, orders: &[String]) -> Result<Vec<OrderHold>, StoreError> {
        if orders.is_empty() {
            return Ok(vec![]);
        }
        let mut b = Builder::new(format!("SELECT {HOLD_READ_COLUMNS} FROM order_coupons WHERE order_id IN ("));
        let mut list = b.separated(", ");
        for id in orders {
            list.push_bind(id.clone());
        }
        b.push(") ORDER BY held_at_ms, order_id");
        let rows: Vec<HoldRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        rows_into(rows)
    }

    #[instrument(level = "debug", skip_all)]
    async fn expired_coupons(&self, now: Timestamp, limit: u32) -> Result<Vec<Coupon>, StoreError> {
        let rows: Vec<CouponRow> = query_as(&format!(
            "SELECT {COUPON_COLUMNS} FROM coupons WHERE closure IS NULL AND expire_at_ms <= $1 AND balance_e8 > 0 \
             AND held_by_order IS NULL ORDER BY expire_at_ms, id LIMIT $2"
        ))
        .bind(now.unix_ms())
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows_into(rows)
    }

    #[instrument(level = "debug", skip_all, fields(quotas = w.quotas.len(), coupons = w.coupons.len()))]
    async fn write_coupons(&self, w: &CouponWrite<'_>) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            // New quotas first: entries and coupons refer to them.
            let mut quotas: Vec<&CouponQuota> = w.quotas.iter().collect();
            quotas.sort_by(|a, b| (a.version != 0, &a.id).cmp(&(b.version != 0, &b.id)));
            for q in quotas {
                write_quota(&mut tx, q).await?;
            }
            for e in w.quota_entries {
                insert_quota_entry(&mut tx, e).await.map_err(err)?;
            }
            write_coupons_in(&mut tx, w.coupons, w.coupon_entries).await?;
            insert_audit(&mut tx, w.audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %q.partner))]
    async fn quota_entries(&self, q: &QuotaEntryQuery) -> Result<(Vec<QuotaEntryView>, u64), StoreError> {
        let filters = |b: &mut Builder<'_>| {
            b.push(
                " FROM coupon_quota_entries e JOIN coupon_quotas q ON q.id = e.quota_id \
                 LEFT JOIN coupons c ON c.id = e.counterpart_id WHERE ",
            );
            b.push(if q.children { "q.grantor_id = " } else { "q.partner_id = " });
            b.push_bind(q.partner.as_str().to_owned());
            if !q.kinds.is_empty() {
                b.push(" AND e.kind IN (");
                let mut kinds = b.separated(", ");
                for k in &q.kinds {
                    kinds.push_bind(k.code());
                }
                b.push(")");
            }
            if let Some(quota) = &q.quota {
                b.push(" AND e.quota_id = ").push_bind(quota.clone());
            }
            if let Some(parent) = &q.parent {
                b.push(" AND q.parent_id = ").push_bind(parent.clone());
            }
            if let Some(holder) = &q.holder {
                b.push(" AND q.partner_id = ").push_bind(holder.as_str().to_owned());
            }
            if !q.coupons.is_empty() {
                b.push(" AND e.counterpart_id IN (");
                let mut ids = b.separated(", ");
                for id in &q.coupons {
                    ids.push_bind(id.clone());
                }
                b.push(")");
            }
            if let Some(customer) = &q.customer {
                b.push(" AND c.customer_id = ").push_bind(customer.as_str().to_owned());
            }
            if let Some(from) = q.from {
                b.push(" AND e.at_ms >= ").push_bind(from.unix_ms());
            }
            if let Some(to) = q.to {
                b.push(" AND e.at_ms <= ").push_bind(to.unix_ms());
            }
        };
        let mut conn = self.db.begin().await?;
        let result = async {
            let select = "SELECT e.id, e.quota_id, e.kind, e.amount_e8, e.balance_after_e8, e.counterpart_id, \
                 e.transfer_id, e.at_ms, e.operator, e.remark, q.partner_id AS holder_id, q.parent_id, c.customer_id";
            let (rows, total): (Vec<QuotaEntryRow>, u64) =
                page(&mut conn, select, filters, "ORDER BY e.seq DESC", (q.offset, q.limit)).await?;
            let views = rows.into_iter().map(QuotaEntryRow::into_view).collect::<Result<_, _>>().map_err(err)?;
            Ok((views, total))
        }
        .await;
        finish(conn, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn coupon_entries(&self, coupon: &str) -> Result<Vec<CouponEntry>, StoreError> {
        let rows: Vec<CouponEntryRow> = query_as(
            "SELECT id, coupon_id, kind, amount_e8, balance_after_e8, trade, at_ms FROM coupon_entries \
             WHERE coupon_id = $1 ORDER BY seq",
        )
        .bind(coupon)
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows_into(rows)
    }

    #[instrument(level = "debug", skip_all)]
    async fn coupon_changes(&self, q: &CouponEntryQuery) -> Result<(Vec<CouponEntry>, u64), StoreError> {
        let filters = |b: &mut Builder<'_>| {
            b.push(" FROM coupon_entries e JOIN coupons c ON c.id = e.coupon_id WHERE ");
            match &q.holder {
                CouponHolder::Partner(p) => b.push("c.partner_id = ").push_bind(p.as_str().to_owned()),
                CouponHolder::Customer(a) => b.push("c.customer_id = ").push_bind(a.as_str().to_owned()),
            };
            b.push(" AND e.kind IN (NULL");
            for kind in &q.kinds {
                b.push(", ").push_bind(kind.code());
            }
            b.push(") AND e.at_ms >= ").push_bind(q.from.unix_ms());
            b.push(" AND e.at_ms <= ").push_bind(q.to.unix_ms());
            if let Some(coupon) = &q.coupon {
                b.push(" AND e.coupon_id = ").push_bind(coupon.clone());
            }
            if let Some(trade) = &q.trade {
                b.push(" AND e.trade = ").push_bind(trade.clone());
            }
        };
        let select = "SELECT e.id, e.coupon_id, e.kind, e.amount_e8, e.balance_after_e8, e.trade, e.at_ms";
        let mut conn = self.db.begin().await?;
        let result = page(&mut conn, select, filters, "ORDER BY e.seq DESC", (q.offset, q.limit)).await;
        let (rows, total): (Vec<CouponEntryRow>, u64) = finish(conn, result).await?;
        Ok((rows_into(rows)?, total))
    }
}
