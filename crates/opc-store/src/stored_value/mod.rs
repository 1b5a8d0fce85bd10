//! The stored-value card room: cards, their append-only entries, and what a card paid of an
//! order's lines (written with the order's settlement).

pub(crate) mod rows;

use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::audit::AuditEvent;
use opc_domain::stored_value::{CardEntry, CardPayment, StoredValueCard};
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Money};
use tracing::instrument;

use crate::audit::insert_audit;
use crate::codes::Code;
use crate::db::{err, finish, query, query_as, Builder, Conn};
use crate::rows::money;
use crate::stored_value::rows::{CardRow, EntryRow, CARD_COLUMNS, ENTRY_COLUMNS};
use crate::SqlStore;

async fn insert_entry(tx: &mut Conn, e: &CardEntry) -> Result<(), StoreError> {
    query(&format!("INSERT INTO stored_value_card_entries ({ENTRY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"))
        .bind(e.id.as_str())
        .bind(e.card.as_str())
        .bind(e.kind.code())
        .bind(e.amount.e8())
        .bind(e.balance_after.e8())
        .bind(e.order.as_ref().map(|o| o.as_str()))
        .bind(e.at.unix_ms())
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    Ok(())
}

/// Writes a card's payment of an order (or a refund to it) in `tx`, the settlement of `order`:
/// the card's new balance if it is still at the version it was read at, its entry, and what it
/// paid (or got back) of each of `order`'s lines.
pub(crate) async fn write_payment_in(tx: &mut Conn, order: &str, p: &CardPayment) -> Result<(), StoreError> {
    let written =
        query("UPDATE stored_value_cards SET balance_e8 = $1, version = version + 1 WHERE id = $2 AND version = $3")
            .bind(p.card.balance().e8())
            .bind(p.card.id())
            .bind(p.card.version())
            .execute(&mut *tx)
            .await
            .map_err(err)?;
    if written.rows_affected() != 1 {
        return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::StoredValueCard) });
    }
    insert_entry(tx, &p.entry).await?;
    for (line, amount) in &p.lines {
        query("INSERT INTO order_line_card_payments (line_id, order_id, card_id, amount_e8) VALUES ($1, $2, $3, $4)")
            .bind(line.as_str())
            .bind(order)
            .bind(p.card.id())
            .bind(amount.e8())
            .execute(&mut *tx)
            .await
            .map_err(err)?;
    }
    Ok(())
}

#[async_trait]
impl StoredValueCards for SqlStore {
    #[instrument(level = "debug", skip_all, fields(card.id = %card.id()))]
    async fn insert_stored_value_card(
        &self,
        card: &StoredValueCard,
        entry: &CardEntry,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            query(&format!(
                "INSERT INTO stored_value_cards ({CARD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)"
            ))
            .bind(card.id())
            .bind(card.customer().as_str())
            .bind(card.name())
            .bind(card.face_value().e8())
            .bind(card.balance().e8())
            .bind(card.valid_from().unix_ms())
            .bind(card.valid_to().unix_ms())
            .bind(card.created_at().unix_ms())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            insert_entry(&mut tx, entry).await?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn stored_value_cards(&self, q: &CardQuery) -> Result<(Vec<StoredValueCard>, u64), StoreError> {
        fn filter(b: &mut Builder<'_>, q: &CardQuery) {
            b.push(" FROM stored_value_cards WHERE 1 = 1");
            if let Some(c) = &q.customer {
                b.push(" AND customer_id = ").push_bind(c.as_str().to_owned());
            }
            if let Some(id) = &q.card {
                b.push(" AND id = ").push_bind(id.clone());
            }
            match q.with_balance {
                Some(true) => {
                    b.push(" AND balance_e8 > 0");
                }
                Some(false) => {
                    b.push(" AND balance_e8 = 0");
                }
                None => {}
            }
        }
        let mut count = Builder::new("SELECT COUNT(*)");
        filter(&mut count, q);
        let total: i64 = count.build_query_scalar().fetch_one(&self.db).await.map_err(err)?;
        let mut b = Builder::new(format!("SELECT {CARD_COLUMNS}"));
        filter(&mut b, q);
        b.push(" ORDER BY created_at_ms DESC, id DESC");
        if let Some(limit) = q.limit {
            b.push(" LIMIT ").push_bind(i64::from(limit));
            b.push(" OFFSET ").push_bind(i64::from(q.offset));
        }
        let rows: Vec<CardRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        let cards = rows.into_iter().map(StoredValueCard::try_from).collect::<Result<_, _>>().map_err(err)?;
        Ok((cards, u64::try_from(total).unwrap_or_default()))
    }

    #[instrument(level = "debug", skip_all, fields(card.id = %card))]
    async fn stored_value_card_entries(&self, card: &str) -> Result<Vec<CardEntry>, StoreError> {
        let rows: Vec<EntryRow> =
            query_as(&format!("SELECT {ENTRY_COLUMNS} FROM stored_value_card_entries WHERE card_id = $1 ORDER BY seq"))
                .bind(card)
                .fetch_all(&self.db)
                .await
                .map_err(err)?;
        rows.into_iter().map(CardEntry::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all)]
    async fn card_line_payments(&self, orders: &[String]) -> Result<Vec<CardLinePayment>, StoreError> {
        if orders.is_empty() {
            return Ok(vec![]);
        }
        let mut b = Builder::new(
            "SELECT order_id, line_id, card_id, amount_e8 FROM order_line_card_payments WHERE order_id IN (",
        );
        let mut ids = b.separated(", ");
        for o in orders {
            ids.push_bind(o.clone());
        }
        b.push(") ORDER BY order_id, line_id");
        let rows: Vec<(String, String, String, i64)> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        rows.into_iter()
            .map(|(order_id, line_id, card_id, amount)| {
                Ok(CardLinePayment { order_id, line_id, card_id, amount: money("card payment", amount).map_err(err)? })
            })
            .collect()
    }

    #[instrument(level = "debug", skip_all)]
    async fn card_order_sums(&self, orders: &[String]) -> Result<Vec<CardOrderSum>, StoreError> {
        if orders.is_empty() {
            return Ok(vec![]);
        }
        let mut b =
            Builder::new("SELECT order_id, card_id, CAST(SUM(amount_e8) AS BIGINT) FROM stored_value_card_entries WHERE order_id IN (");
        let mut ids = b.separated(", ");
        for o in orders {
            ids.push_bind(o.clone());
        }
        b.push(") GROUP BY order_id, card_id ORDER BY order_id, card_id");
        let rows: Vec<(String, String, i64)> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        rows.into_iter()
            .map(|(order_id, card_id, sum)| {
                Ok(CardOrderSum { order_id, card_id, sum: money("card entries' sum", sum).map_err(err)? })
            })
            .collect()
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn card_cycle_sums(&self, customer: &AccountId, cycle: Cycle) -> Result<Vec<(String, Money)>, StoreError> {
        let rows: Vec<(String, i64)> = query_as(
            "SELECT o.service_type, CAST(SUM(p.amount_e8) AS BIGINT) FROM order_line_card_payments p \
             JOIN orders o ON o.id = p.order_id \
             WHERE p.order_id IN (SELECT order_id FROM order_charges WHERE customer_id = $1 AND cycle = $2) \
             GROUP BY o.service_type, p.amount_e8 < 0 ORDER BY o.service_type",
        )
        .bind(customer.as_str())
        .bind(cycle.0)
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter()
            .map(|(service_type, sum)| Ok((service_type, money("card cycle sum", sum).map_err(err)?)))
            .collect()
    }
}
