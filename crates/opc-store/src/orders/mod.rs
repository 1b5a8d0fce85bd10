//! The orders aggregate: its queries and its part of the port.

pub(crate) mod rows;

use crate::audit::insert_audit;
use crate::codes::{Code, NumCode};
use crate::db::{err, finish, query, query_as, query_scalar, Builder, Conn};
use crate::orders::rows::{OrderCostRow, OrderLineRow, OrderRow, ResourceRow};
use crate::rows::{decode_error, money};
use crate::usage::customer_totals;
use crate::usage::quota_use;
use crate::usage::{add_totals, total_rows};
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::audit::AuditEvent;
use opc_domain::order::{Order, OrderStatus, OrderType, PurchaseBlock, RenewConfig, Resource, Term};
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, OrderId, PartnerId, ResourceId, Timestamp};
use tracing::instrument;

/// An order's lines, in their order.
pub(crate) async fn order_lines(conn: &mut Conn, order: &str) -> Result<Vec<OrderLineRow>, StoreError> {
    query_as::<OrderLineRow>(
        "SELECT id, order_id, position, resource_id, parent_resource, service_type, resource_type, resource_spec, \
         region, size, period_type, period_num, official_e8, consumed_e8, effective_at_ms, expire_at_ms, \
         base_order_id FROM order_lines WHERE order_id = $1 ORDER BY position",
    )
    .bind(order)
    .fetch_all(&mut *conn)
    .await
    .map_err(err)
}

pub(crate) const ORDER_COLUMNS: &str =
    "id, customer_id, partner_id, model, order_type, status, source, user_name, service_type, \
     created_at_ms, pay_by_ms, paid_at_ms, version";

pub(crate) const RESOURCE_COLUMNS: &str =
    "id, customer_id, order_id, parent_id, service_type, resource_type, resource_spec, \
     region, size, period_type, closed, effective_at_ms, expire_at_ms, expire_policy, renew_period, renew_times, \
     updated_at_ms, version";

pub(crate) async fn insert_order_rows(conn: &mut Conn, order: &Order) -> Result<(), StoreError> {
    let o = OrderRow::new(order);
    query(
        "INSERT INTO orders (id, customer_id, partner_id, model, order_type, status, source, user_name, service_type, \
         created_at_ms, pay_by_ms, paid_at_ms, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&o.id)
    .bind(&o.customer_id)
    .bind(&o.partner_id)
    .bind(&o.model)
    .bind(o.order_type)
    .bind(o.status)
    .bind(o.source)
    .bind(&o.user_name)
    .bind(&o.service_type)
    .bind(o.created_at_ms)
    .bind(o.pay_by_ms)
    .bind(o.paid_at_ms)
    .bind(o.version)
    .execute(&mut *conn)
    .await
    .map_err(err)?;
    for (i, line) in order.lines().iter().enumerate() {
        let l = OrderLineRow::new(order, i, line);
        query(
            "INSERT INTO order_lines (id, order_id, position, resource_id, parent_resource, service_type, \
             resource_type, resource_spec, region, size, period_type, period_num, official_e8, consumed_e8, \
             effective_at_ms, expire_at_ms, base_order_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(&l.id)
        .bind(&l.order_id)
        .bind(l.position)
        .bind(&l.resource_id)
        .bind(&l.parent_resource)
        .bind(&l.service_type)
        .bind(&l.resource_type)
        .bind(&l.resource_spec)
        .bind(&l.region)
        .bind(l.size)
        .bind(l.period_type)
        .bind(l.period_num)
        .bind(l.official_e8)
        .bind(l.consumed_e8)
        .bind(l.effective_at_ms)
        .bind(l.expire_at_ms)
        .bind(&l.base_order_id)
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    }
    Ok(())
}

pub(crate) async fn insert_resource(conn: &mut Conn, resource: &Resource) -> Result<(), StoreError> {
    let r = ResourceRow::from(resource);
    query(
        "INSERT INTO resources (id, customer_id, order_id, parent_id, service_type, resource_type, resource_spec, \
         region, size, period_type, closed, effective_at_ms, expire_at_ms, expire_policy, renew_period, renew_times, \
         updated_at_ms, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    )
    .bind(&r.id)
    .bind(&r.customer_id)
    .bind(&r.order_id)
    .bind(&r.parent_id)
    .bind(&r.service_type)
    .bind(&r.resource_type)
    .bind(&r.resource_spec)
    .bind(&r.region)
    .bind(r.size)
    .bind(r.period_type)
    .bind(r.closed)
    .bind(r.effective_at_ms)
    .bind(r.expire_at_ms)
    .bind(r.expire_policy)
    .bind(r.renew_period)
    .bind(r.renew_times)
    .bind(r.updated_at_ms)
    .bind(r.version)
    .execute(&mut *conn)
    .await
    .map_err(err)?;
    Ok(())
}

/// Updates a resource's changeable state if it is still at its version.
pub(crate) async fn update_resource(conn: &mut Conn, resource: &Resource) -> Result<(), StoreError> {
    let r = ResourceRow::from(resource);
    let updated = query(
        "UPDATE resources SET period_type = $1, closed = $2, expire_at_ms = $3, expire_policy = $4, renew_period = $5, \
         renew_times = $6, updated_at_ms = $7, version = version + 1 WHERE id = $8 AND version = $9",
    )
    .bind(r.period_type)
    .bind(r.closed)
    .bind(r.expire_at_ms)
    .bind(r.expire_policy)
    .bind(r.renew_period)
    .bind(r.renew_times)
    .bind(r.updated_at_ms)
    .bind(&r.id)
    .bind(r.version)
    .execute(&mut *conn)
    .await
    .map_err(err)?;
    if updated.rows_affected() != 1 {
        return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Resource) });
    }
    Ok(())
}

/// Writes a settlement in `conn`'s transaction; `Some(block)` if its check refused first.
pub(crate) async fn settle(conn: &mut Conn, s: &Settlement<'_>) -> Result<Option<PurchaseBlock>, StoreError> {
    if let Some((scope, check)) = s.check {
        // Lock the partner's and the customer's rows (PostgreSQL holds them to the commit;
        // SQLite's write lock is already held), then read the spend the check weighs.
        if let Some(partner) = &scope.partner {
            query("UPDATE partners SET version = version WHERE id = $1")
                .bind(partner.as_str())
                .execute(&mut *conn)
                .await
                .map_err(err)?;
        }
        query("UPDATE accounts SET version = version WHERE id = $1")
            .bind(scope.customer.as_str())
            .execute(&mut *conn)
            .await
            .map_err(err)?;
        let partner = match &scope.partner {
            Some(p) => quota_use(conn, p).await?,
            None => QuotaUse::default(),
        };
        let customer = customer_totals(conn, &scope.customer, Some(scope.cycle)).await?;
        let decided = check(&Spent { customer, partner })
            .map_err(|e| err(sqlx::Error::Decode(format!("stored spend is invalid: {e}").into())))?;
        if let Err(block) = decided {
            return Ok(Some(block));
        }
    }
    match s.pending_version {
        None => insert_order_rows(conn, s.order).await?,
        Some(version) => {
            let o = OrderRow::new(s.order);
            let updated = query(
                "UPDATE orders SET status = $1, paid_at_ms = $2, version = version + 1 \
                 WHERE id = $3 AND version = $4 AND status = $5",
            )
            .bind(o.status)
            .bind(o.paid_at_ms)
            .bind(&o.id)
            .bind(version)
            .bind(OrderStatus::PendingPayment.code())
            .execute(&mut *conn)
            .await
            .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Order) });
            }
            for (i, line) in s.order.lines().iter().enumerate() {
                let l = OrderLineRow::new(s.order, i, line);
                query("UPDATE order_lines SET effective_at_ms = $1, expire_at_ms = $2 WHERE id = $3")
                    .bind(l.effective_at_ms)
                    .bind(l.expire_at_ms)
                    .bind(&l.id)
                    .execute(&mut *conn)
                    .await
                    .map_err(err)?;
            }
        }
    }
    for r in s.new_resources {
        insert_resource(conn, r).await?;
    }
    let paid_at = s.order.paid_at().map_or(0, |t| t.unix_ms());
    crate::packages::insert_packages(conn, s.packages, paid_at).await?;
    for r in s.changed_resources {
        update_resource(conn, r).await?;
    }
    for c in s.charges {
        query(
            "INSERT INTO order_charges (id, order_id, customer_id, partner_id, model, amount_e8, cycle, charged_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&c.id)
        .bind(c.order_id.as_str())
        .bind(c.customer.as_str())
        .bind(c.partner.as_ref().map(|(p, _)| p.as_str()))
        .bind(c.partner.as_ref().map(|(_, m)| Code::code(*m)))
        .bind(c.amount.e8())
        .bind(c.cycle.0)
        .bind(c.at.unix_ms())
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    }
    if let Some(applied) = s.discount {
        crate::discounts::insert_applied(conn, applied).await?;
    }
    crate::coupons::write_coupons_in(conn, s.coupons, &[]).await?;
    crate::coupons::write_holds_in(conn, s.holds).await?;
    if let Some(given) = s.given_back {
        crate::coupons::write_given_back_in(conn, given).await?;
    }
    for card in s.cards {
        crate::stored_value::write_payment_in(conn, s.order.id().as_str(), card).await?;
    }
    add_totals(conn, &total_rows(s.additions)).await?;
    insert_audit(conn, s.audit).await.map_err(err)?;
    Ok(None)
}

#[async_trait]
impl Orders for SqlStore {
    #[instrument(level = "debug", skip_all, fields(order.id = %order.id()))]
    async fn insert_order(&self, order: &Order, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            insert_order_rows(&mut tx, order).await?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn order_costs(&self, customer: &AccountId, through: Cycle) -> Result<Vec<OrderCost>, StoreError> {
        let rows: Vec<OrderCostRow> = query_as(
            "SELECT o.id AS order_id, o.order_type, l.id AS line_id, l.resource_id, l.service_type, l.resource_type, \
             l.resource_spec, l.region, l.size, l.period_type, l.period_num, \
             COALESCE(ld.due_e8, l.official_e8) AS official_e8, l.effective_at_ms, \
             l.expire_at_ms, b.effective_at_ms AS base_effective_at_ms, b.expire_at_ms AS base_expire_at_ms, \
             c.charged_at_ms, c.cycle, COALESCE(c.partner_id, '') AS partner_id, COALESCE(c.model, '') AS model \
             FROM order_charges c JOIN orders o ON o.id = c.order_id JOIN order_lines l ON l.order_id = o.id \
             LEFT JOIN order_lines b ON b.order_id = l.base_order_id AND b.resource_id = l.resource_id \
             LEFT JOIN order_line_discounts ld ON ld.line_id = l.id \
             WHERE c.customer_id = $1 AND c.cycle <= $2 ORDER BY c.charged_at_ms, o.id, l.position",
        )
        .bind(customer.as_str())
        .bind(through.0)
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(OrderCostRow::into_cost).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all)]
    async fn order(&self, id: &OrderId) -> Result<Option<Order>, StoreError> {
        let mut conn = self.db.acquire().await?;
        let row: Option<OrderRow> = query_as(&format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = $1"))
            .bind(id.as_str())
            .fetch_optional(&mut conn)
            .await
            .map_err(err)?;
        let Some(row) = row else { return Ok(None) };
        let lines = order_lines(&mut conn, &row.id).await?;
        row.into_order(lines).map(Some).map_err(err)
    }

    #[instrument(level = "debug", skip_all)]
    async fn orders(&self, scope: &OrderScope, q: &OrderFilter) -> Result<(Vec<Order>, u64), StoreError> {
        fn filter<'a>(b: &mut Builder<'a>, scope: &'a OrderScope, q: &'a OrderFilter) {
            match scope {
                OrderScope::Customer(c) => {
                    b.push(" WHERE customer_id = ").push_bind(c.as_str());
                }
                OrderScope::Partner(p) => {
                    // The stored association codes this SQL names: customers::rows::association_state_code.
                    b.push(
                        " WHERE customer_id IN (SELECT customer_id FROM associations WHERE state <> 'disassociated' \
                         AND model = 'reseller' AND partner_id = ",
                    )
                    .push_bind(p.as_str())
                    .push(")");
                }
            }
            if let Some(id) = &q.order_id {
                b.push(" AND id = ").push_bind(id.as_str());
            }
            if let Some(s) = q.status {
                b.push(" AND status = ").push_bind(s.code());
            }
            if let Some(t) = q.order_type {
                b.push(" AND order_type = ").push_bind(t.code());
            }
            if let Some(st) = &q.service_type {
                b.push(" AND service_type = ").push_bind(st.as_str());
            }
            for (column, (from, to)) in [("created_at_ms", q.created), ("paid_at_ms", q.paid)] {
                if let Some(t) = from {
                    b.push(format!(" AND {column} >= ")).push_bind(t.unix_ms());
                }
                if let Some(t) = to {
                    b.push(format!(" AND {column} <= ")).push_bind(t.unix_ms());
                }
            }
        }
        let mut conn = self.db.acquire().await?;
        let mut count = Builder::new("SELECT COUNT(*) FROM orders");
        filter(&mut count, scope, q);
        let total: i64 = count.build_query_scalar().fetch_one(&mut conn).await.map_err(err)?;
        let mut b = Builder::new(format!("SELECT {ORDER_COLUMNS} FROM orders"));
        filter(&mut b, scope, q);
        b.push(if q.newest_first { " ORDER BY created_at_ms DESC, id DESC" } else { " ORDER BY created_at_ms, id" });
        b.push(" LIMIT ").push_bind(i64::from(q.limit)).push(" OFFSET ").push_bind(i64::from(q.offset));
        let rows: Vec<OrderRow> = b.build_query_as().fetch_all(&mut conn).await.map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let lines = order_lines(&mut conn, &row.id).await?;
            out.push(row.into_order(lines).map_err(err)?);
        }
        Ok((out, total as u64))
    }

    #[instrument(level = "debug", skip_all, fields(order.id = %settlement.order.id()))]
    async fn settle_order(&self, settlement: &Settlement<'_>) -> Result<Option<PurchaseBlock>, StoreError> {
        let mut tx = self.db.begin_write().await?;
        match settle(&mut tx, settlement).await {
            Ok(Some(block)) => {
                tx.rollback().await.map_err(err)?;
                Ok(Some(block))
            }
            result => finish(tx, result).await,
        }
    }

    #[instrument(level = "debug", skip_all)]
    async fn resource(&self, id: &ResourceId) -> Result<Option<Resource>, StoreError> {
        let row: Option<ResourceRow> = query_as(&format!("SELECT {RESOURCE_COLUMNS} FROM resources WHERE id = $1"))
            .bind(id.as_str())
            .fetch_optional(&self.db)
            .await
            .map_err(err)?;
        row.map(Resource::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all)]
    async fn resources_due(&self, until: Timestamp, limit: u32) -> Result<Vec<Resource>, StoreError> {
        // `expire_policy` 1 and 3: to pay-per-use and automatic renewal (`rows::expire_policy_columns`).
        let rows: Vec<ResourceRow> = query_as(&format!(
            "SELECT {RESOURCE_COLUMNS} FROM resources WHERE closed = $1 AND expire_at_ms <= $2 \
             AND parent_id IS NULL AND expire_policy IN (1, 3) ORDER BY expire_at_ms, id LIMIT $3"
        ))
        .bind(false)
        .bind(until.unix_ms())
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(Resource::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn resources_of(&self, customer: &AccountId) -> Result<Vec<Resource>, StoreError> {
        let rows: Vec<ResourceRow> = query_as(&format!(
            "SELECT {RESOURCE_COLUMNS} FROM resources WHERE customer_id = $1 ORDER BY effective_at_ms, id"
        ))
        .bind(customer.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(Resource::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all)]
    async fn update_resources(&self, changed: &[Resource], audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            for r in changed {
                update_resource(&mut tx, r).await?;
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn terms_of(&self, resource: &ResourceId) -> Result<Vec<Term>, StoreError> {
        let rows: Vec<(String, i64, i64, i64)> = query_as(
            // A term paid under a partner discount was paid at its amount due (the price trace).
            "SELECT o.id, l.effective_at_ms, l.expire_at_ms, COALESCE(d.due_e8, l.official_e8) FROM order_lines l \
             JOIN orders o ON o.id = l.order_id LEFT JOIN order_line_discounts d ON d.line_id = l.id \
             WHERE l.resource_id = $1 AND o.status = $2 \
             AND o.order_type IN ($3, $4) AND l.effective_at_ms IS NOT NULL ORDER BY l.effective_at_ms",
        )
        .bind(resource.as_str())
        .bind(OrderStatus::Completed.code())
        .bind(OrderType::New.code())
        .bind(OrderType::Renewal.code())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter()
            .map(|(order_id, starts, ends, paid)| {
                let order_id = OrderId::parse(&order_id).map_err(|e| err(decode_error("order id", e)))?;
                let paid = money("line amount", paid).map_err(err)?;
                Ok(Term::new(order_id, (Timestamp::from_unix_ms(starts), Timestamp::from_unix_ms(ends)), paid))
            })
            .collect()
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn on_demand_resources(
        &self,
        customer: &AccountId,
        q: &OnDemandQuery,
    ) -> Result<(Vec<OnDemandResource>, u64), StoreError> {
        fn filter<'a>(b: &mut Builder<'a>, customer: &'a AccountId, q: &'a OnDemandQuery) {
            b.push(" FROM usage_hours WHERE customer_id = ").push_bind(customer.as_str());
            if let Some(r) = &q.region {
                b.push(" AND region = ").push_bind(r.as_str());
            }
            if let Some(s) = &q.service_type {
                b.push(" AND service_type = ").push_bind(s.as_str());
            }
            if !q.resource_ids.is_empty() {
                b.push(" AND resource_id IN (");
                let mut ids = b.separated(", ");
                for id in &q.resource_ids {
                    ids.push_bind(id.as_str());
                }
                b.push(")");
            }
            b.push(" GROUP BY resource_id, service_type, resource_type, resource_spec, region");
            let (from, to) = q.since;
            if from.is_some() || to.is_some() {
                b.push(" HAVING 1 = 1");
                if let Some(t) = from {
                    b.push(" AND MIN(first_ended_at_ms) >= ").push_bind(t.unix_ms());
                }
                if let Some(t) = to {
                    b.push(" AND MIN(first_ended_at_ms) <= ").push_bind(t.unix_ms());
                }
            }
        }
        let mut count = Builder::new("SELECT COUNT(*) FROM (SELECT resource_id");
        filter(&mut count, customer, q);
        count.push(") AS g");
        let total: i64 = count.build_query_scalar().fetch_one(&self.db).await.map_err(err)?;
        let mut b = Builder::new(
            "SELECT resource_id, service_type, resource_type, resource_spec, region, MIN(first_ended_at_ms)",
        );
        filter(&mut b, customer, q);
        b.push(" ORDER BY MIN(first_ended_at_ms) DESC, resource_id LIMIT ").push_bind(i64::from(q.limit));
        b.push(" OFFSET ").push_bind(i64::from(q.offset));
        let rows: Vec<(String, String, String, String, String, i64)> =
            b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        let list = rows
            .into_iter()
            .map(|(resource_id, service_type, resource_type, spec, region, since)| OnDemandResource {
                resource_id,
                service_type,
                resource_type,
                spec,
                region,
                since: Timestamp::from_unix_ms(since),
            })
            .collect();
        Ok((list, total as u64))
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn set_renew_config(
        &self,
        customer: &AccountId,
        config: RenewConfig,
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let (days, day) = match config {
                RenewConfig::DeductionDays(d) => (Some(i64::from(d)), None),
                RenewConfig::ExpireDay(d) => (None, Some(i64::from(d))),
            };
            query(
                "INSERT INTO renew_configs (customer_id, deduction_days, expire_day, updated_at_ms) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (customer_id) DO UPDATE SET \
                 deduction_days = COALESCE(excluded.deduction_days, renew_configs.deduction_days), \
                 expire_day = COALESCE(excluded.expire_day, renew_configs.expire_day), \
                 updated_at_ms = excluded.updated_at_ms",
            )
            .bind(customer.as_str())
            .bind(days)
            .bind(day)
            .bind(at.unix_ms())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn renew_config(&self, customer: &AccountId) -> Result<(Option<u8>, Option<i8>), StoreError> {
        let row: Option<(Option<i64>, Option<i64>)> =
            query_as("SELECT deduction_days, expire_day FROM renew_configs WHERE customer_id = $1")
                .bind(customer.as_str())
                .fetch_optional(&self.db)
                .await
                .map_err(err)?;
        let (days, day) = row.unwrap_or((None, None));
        Ok((days.and_then(|d| u8::try_from(d).ok()), day.and_then(|d| i8::try_from(d).ok())))
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer, partner.id = %partner))]
    async fn set_authorization(
        &self,
        customer: &AccountId,
        partner: &PartnerId,
        granted: Option<Timestamp>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            // The stored association codes this SQL names: customers::rows::association_state_code.
            let updated = query(
                "UPDATE associations SET authorized_at_ms = $1 \
                 WHERE customer_id = $2 AND partner_id = $3 AND state <> 'disassociated'",
            )
            .bind(granted.map(Timestamp::unix_ms))
            .bind(customer.as_str())
            .bind(partner.as_str())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer, partner.id = %partner))]
    async fn authorization(&self, customer: &AccountId, partner: &PartnerId) -> Result<Option<Timestamp>, StoreError> {
        // The stored association codes this SQL names: customers::rows::association_state_code.
        let at: Option<Option<i64>> = query_scalar(
            "SELECT authorized_at_ms FROM associations \
             WHERE customer_id = $1 AND partner_id = $2 AND state <> 'disassociated'",
        )
        .bind(customer.as_str())
        .bind(partner.as_str())
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        Ok(at.flatten().map(Timestamp::from_unix_ms))
    }
}
