//! The bulk writes of usage ingestion, which each backend does its own way: here multi-row
//! `VALUES` lists; PostgreSQL unnests one array per column. Written by hand for each backend
//! (`tools/sync-postgres-store.py` regenerates only `lib.rs`).

use opc_rows::{HourRow, UPSERT_USAGE_HOURS};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// Records `ids` (sorted: concurrent batches lock them in one order); returns those that were
/// new.
pub(crate) async fn insert_new_ids(conn: &mut SqliteConnection, ids: &[&str]) -> Result<Vec<String>, sqlx::Error> {
    let mut new = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(10_000) {
        let mut b = QueryBuilder::<Sqlite>::new("INSERT INTO usage_record_ids (id) ");
        b.push_values(chunk, |mut row, id| {
            row.push_bind(*id);
        });
        b.push(" ON CONFLICT (id) DO NOTHING RETURNING id");
        new.extend(b.build_query_scalar::<String>().fetch_all(&mut *conn).await?);
    }
    Ok(new)
}

/// Adds `rows` (sorted by key) to `usage_hours`.
pub(crate) async fn upsert_hours(conn: &mut SqliteConnection, rows: &[HourRow<'_>]) -> Result<(), sqlx::Error> {
    // 17 columns: under SQLite's limit on parameters.
    for chunk in rows.chunks(1_800) {
        let mut b = QueryBuilder::<Sqlite>::new(
            "INSERT INTO usage_hours (customer_id, cycle, hour_ms, resource_id, usage_factor, usage_measure_id, \
             resource_spec, region, service_type, resource_type, partner_id, model, usage_e8, amount_e8, records, \
             first_ended_at_ms, last_ended_at_ms) ",
        );
        b.push_values(chunk, |mut row, r| {
            row.push_bind(r.customer)
                .push_bind(r.cycle)
                .push_bind(r.hour)
                .push_bind(r.resource)
                .push_bind(r.factor)
                .push_bind(r.measure)
                .push_bind(r.spec)
                .push_bind(r.region)
                .push_bind(r.service_type)
                .push_bind(r.resource_type)
                .push_bind(r.partner)
                .push_bind(r.model)
                .push_bind(r.usage)
                .push_bind(r.amount)
                .push_bind(r.records)
                .push_bind(r.first)
                .push_bind(r.last);
        });
        b.push(UPSERT_USAGE_HOURS);
        b.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Adds to running spend totals (sorted by key: concurrent writers lock rows in one order).
pub(crate) async fn add_totals(conn: &mut SqliteConnection, rows: &[(String, i64, i64)]) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(5_000) {
        let mut b = QueryBuilder::<Sqlite>::new("INSERT INTO spend_totals (scope, period, amount_e8) ");
        b.push_values(chunk, |mut row, (scope, period, amount)| {
            row.push_bind(scope.as_str()).push_bind(*period).push_bind(*amount);
        });
        b.push(" ON CONFLICT (scope, period) DO UPDATE SET amount_e8 = spend_totals.amount_e8 + excluded.amount_e8");
        b.build().execute(&mut *conn).await?;
    }
    Ok(())
}
