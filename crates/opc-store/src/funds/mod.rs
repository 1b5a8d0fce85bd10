//! The funds aggregate: balances (running totals) and the append-only ledger, and its part of
//! the port.

pub(crate) mod rows;

use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::funds::{Balance, Entry, Holder, Invoice};
use opc_domain::{PartnerId, Timestamp};
use tracing::instrument;

use crate::audit::insert_audit;
use crate::codes::Code;
use crate::db::{err, finish, page, query, query_as, query_scalar, Builder, Conn};
use crate::funds::rows::{holder_columns, BalanceRow, EntryRow, InvoiceRow};
use crate::partners::update_partner_state;
use crate::SqlStore;

/// Writes `balance` if its stored version is still the one it was read at; a balance read
/// before its holder's first entry (version 0) gets its row first.
pub(crate) async fn write_balance(tx: &mut Conn, balance: &Balance) -> Result<(), StoreError> {
    let (kind, id) = holder_columns(balance.holder());
    if balance.version() == 0 {
        query(
            "INSERT INTO balances (holder_kind, holder_id, amount_e8, version) VALUES ($1, $2, 0, 0) \
             ON CONFLICT (holder_kind, holder_id) DO NOTHING",
        )
        .bind(kind)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    }
    let written = query(
        "UPDATE balances SET amount_e8 = $1, version = version + 1 \
         WHERE holder_kind = $2 AND holder_id = $3 AND version = $4",
    )
    .bind(balance.amount().e8())
    .bind(kind)
    .bind(id)
    .bind(balance.version())
    .execute(&mut *tx)
    .await
    .map_err(err)?;
    if written.rows_affected() != 1 {
        return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Balance) });
    }
    Ok(())
}

pub(crate) async fn insert_entry(tx: &mut Conn, e: &Entry) -> Result<(), sqlx::Error> {
    let (holder_kind, holder_id) = holder_columns(&e.holder);
    let counterpart = e.counterpart.as_ref().map(holder_columns);
    query(
        "INSERT INTO ledger_entries (id, holder_kind, holder_id, kind, amount_e8, balance_after_e8, transfer_id, \
         counterpart_kind, counterpart_id, at_ms, memo, bill_partner_id, bill_cycle) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(e.id.as_str())
    .bind(holder_kind)
    .bind(holder_id)
    .bind(e.kind.code())
    .bind(e.amount.e8())
    .bind(e.balance_after.e8())
    .bind(e.transfer.as_str())
    .bind(counterpart.map(|(kind, _)| kind))
    .bind(counterpart.map(|(_, id)| id))
    .bind(e.at.unix_ms())
    .bind(e.memo.as_str())
    .bind(e.bill.as_ref().map(|b| b.partner.as_str()))
    .bind(e.bill.as_ref().map(|b| b.cycle.0))
    .execute(&mut *tx)
    .await?;
    // A deduction that pays a bill adds what it took to the bill's paid amount.
    if let Some(bill) = &e.bill {
        query("UPDATE partner_bills SET paid_e8 = paid_e8 - $1, version = version + 1 WHERE partner_id = $2 AND cycle = $3")
            .bind(e.amount.e8())
            .bind(bill.partner.as_str())
            .bind(bill.cycle.0)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

#[async_trait]
impl Funds for SqlStore {
    #[instrument(level = "debug", skip_all, fields(holders = holders.len()))]
    async fn balances(&self, holders: &[Holder]) -> Result<Vec<Balance>, StoreError> {
        if holders.is_empty() {
            return Ok(vec![]);
        }
        let mut b = Builder::new("SELECT holder_kind, holder_id, amount_e8, version FROM balances WHERE ");
        for (i, holder) in holders.iter().enumerate() {
            let (kind, id) = holder_columns(holder);
            b.push(if i == 0 { "(holder_kind = " } else { " OR (holder_kind = " });
            b.push_bind(kind).push(" AND holder_id = ").push_bind(id).push(")");
        }
        let rows: Vec<BalanceRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        let stored: Vec<Balance> = rows.into_iter().map(Balance::try_from).collect::<Result<_, _>>().map_err(err)?;
        Ok(holders
            .iter()
            .map(|h| stored.iter().find(|b| b.holder() == h).cloned().unwrap_or_else(|| Balance::opening(h.clone())))
            .collect())
    }

    #[instrument(level = "debug", skip_all, fields(entries = w.entries.len()))]
    async fn post_entries(&self, w: &LedgerWrite<'_>) -> Result<(), StoreError> {
        let LedgerWrite { balances, entries, partner, invoice, audit } = *w;
        let mut in_key_order: Vec<&Balance> = balances.iter().collect();
        in_key_order.sort_by(|a, b| holder_columns(a.holder()).cmp(&holder_columns(b.holder())));
        let mut tx = self.db.begin_write().await?;
        let result = async {
            for balance in in_key_order {
                write_balance(&mut tx, balance).await?;
            }
            for entry in entries {
                insert_entry(&mut tx, entry).await.map_err(err)?;
            }
            if let Some(partner) = partner {
                update_partner_state(&mut tx, partner).await?;
            }
            if let Some(i) = invoice {
                query(
                    "INSERT INTO invoices (id, number, partner_id, entry_id, amount_e8, tax_rate_bp, tax_e8, issued_at_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(i.id.as_str())
                .bind(i.number.as_str())
                .bind(i.partner.as_str())
                .bind(i.entry.as_str())
                .bind(i.amount.e8())
                .bind(i.tax_rate.basis_points())
                .bind(i.tax.e8())
                .bind(i.issued_at.unix_ms())
                .execute(&mut tx)
                .await
                .map_err(err)?;
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn invoices(
        &self,
        partner: &PartnerId,
        from: Timestamp,
        to: Timestamp,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<Invoice>, u64), StoreError> {
        let mut conn = self.db.begin().await?;
        let result = async {
            let total: i64 = query_scalar(
                "SELECT count(*) FROM invoices WHERE partner_id = $1 AND issued_at_ms >= $2 AND issued_at_ms <= $3",
            )
            .bind(partner.as_str())
            .bind(from.unix_ms())
            .bind(to.unix_ms())
            .fetch_one(&mut conn)
            .await
            .map_err(err)?;
            let rows: Vec<InvoiceRow> = query_as(
                "SELECT id, number, partner_id, entry_id, amount_e8, tax_rate_bp, tax_e8, issued_at_ms FROM invoices \
                 WHERE partner_id = $1 AND issued_at_ms >= $2 AND issued_at_ms <= $3 \
                 ORDER BY issued_at_ms DESC, number DESC LIMIT $4 OFFSET $5",
            )
            .bind(partner.as_str())
            .bind(from.unix_ms())
            .bind(to.unix_ms())
            .bind(i64::from(limit))
            .bind(i64::from(offset))
            .fetch_all(&mut conn)
            .await
            .map_err(err)?;
            let invoices = rows.into_iter().map(InvoiceRow::into_invoice).collect::<Result<_, _>>().map_err(err)?;
            Ok((invoices, u64::try_from(total).unwrap_or(0)))
        }
        .await;
        finish(conn, result).await
    }

    #[instrument(level = "debug", skip_all, fields(holder = holder.id()))]
    async fn ledger(&self, holder: &Holder, q: &LedgerQuery) -> Result<(Vec<EntryView>, u64), StoreError> {
        let (kind, id) = holder_columns(holder);
        let filters = |b: &mut Builder<'_>| {
            b.push(" FROM ledger_entries e WHERE e.holder_kind = ").push_bind(kind);
            b.push(" AND e.holder_id = ").push_bind(id.to_owned());
            if !q.kinds.is_empty() {
                b.push(" AND e.kind IN (");
                let mut kinds = b.separated(", ");
                for k in &q.kinds {
                    kinds.push_bind(k.code());
                }
                b.push(")");
            }
            if let Some(counterpart) = &q.counterpart {
                let (kind, id) = holder_columns(counterpart);
                b.push(" AND e.counterpart_kind = ").push_bind(kind);
                b.push(" AND e.counterpart_id = ").push_bind(id.to_owned());
            }
            match q.revenue {
                Some(true) => {
                    b.push(" AND e.amount_e8 > 0");
                }
                Some(false) => {
                    b.push(" AND e.amount_e8 < 0");
                }
                None => {}
            }
            if let Some(transfer) = &q.transfer {
                b.push(" AND e.transfer_id = ").push_bind(transfer.clone());
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
            let select =
                "SELECT e.id, e.holder_kind, e.holder_id, e.kind, e.amount_e8, e.balance_after_e8, e.transfer_id, \
                 e.counterpart_kind, e.counterpart_id, e.at_ms, e.memo, e.bill_partner_id, e.bill_cycle, \
                 (SELECT a.name FROM accounts a WHERE (e.counterpart_kind = 'customer' AND a.id = e.counterpart_id) \
                  OR (e.counterpart_kind = 'partner' AND a.id = (SELECT p.account_id FROM partners p WHERE p.id = e.counterpart_id))) \
                 AS counterpart_name";
            let (rows, total): (Vec<EntryRow>, u64) =
                page(&mut conn, select, filters, "ORDER BY e.seq DESC", (q.offset, q.limit)).await?;
            let views = rows
                .into_iter()
                .map(|r| r.into_entry().map(|(entry, counterpart_name)| EntryView { entry, counterpart_name }))
                .collect::<Result<_, _>>()
                .map_err(err)?;
            Ok((views, total))
        }
        .await;
        finish(conn, result).await
    }
}
