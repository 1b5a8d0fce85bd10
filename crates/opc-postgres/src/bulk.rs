//! The bulk writes of usage ingestion, which each backend does its own way: here one array per
//! column, unnested (one statement, a handful of parameters, whatever the batch's size); SQLite
//! takes multi-row `VALUES` lists. Written by hand for each backend
//! (`tools/sync-postgres-store.py` regenerates only `lib.rs`).

use opc_rows::{HourRow, UPSERT_USAGE_HOURS};
use sqlx::PgConnection;

/// Records `ids` (sorted: concurrent batches lock them in one order); returns those that were
/// new.
pub(crate) async fn insert_new_ids(conn: &mut PgConnection, ids: &[&str]) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO usage_record_ids (id) SELECT * FROM UNNEST($1::text[]) ON CONFLICT (id) DO NOTHING RETURNING id",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await
}

/// Adds `rows` (sorted by key) to `usage_hours`.
pub(crate) async fn upsert_hours<'a>(conn: &mut PgConnection, rows: &[HourRow<'a>]) -> Result<(), sqlx::Error> {
    let text = |f: fn(&HourRow<'a>) -> &'a str| rows.iter().map(f).collect::<Vec<&str>>();
    let int = |f: fn(&HourRow<'a>) -> i64| rows.iter().map(f).collect::<Vec<i64>>();
    let sql = format!(
        "INSERT INTO usage_hours (customer_id, cycle, hour_ms, resource_id, usage_factor, usage_measure_id, \
         resource_spec, region, service_type, resource_type, partner_id, model, usage_e8, amount_e8, records, \
         first_ended_at_ms, last_ended_at_ms) SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::bigint[], \
         $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], \
         $12::text[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[]){}",
        UPSERT_USAGE_HOURS
    );
    sqlx::query(&sql)
        .bind(text(|r| r.customer))
        .bind(int(|r| r.cycle))
        .bind(int(|r| r.hour))
        .bind(text(|r| r.resource))
        .bind(text(|r| r.factor))
        .bind(int(|r| r.measure))
        .bind(text(|r| r.spec))
        .bind(text(|r| r.region))
        .bind(text(|r| r.service_type))
        .bind(text(|r| r.resource_type))
        .bind(text(|r| r.partner))
        .bind(text(|r| r.model))
        .bind(int(|r| r.usage))
        .bind(int(|r| r.amount))
        .bind(int(|r| r.records))
        .bind(int(|r| r.first))
        .bind(int(|r| r.last))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Adds to running spend totals (sorted by key: concurrent writers lock rows in one order).
pub(crate) async fn add_totals(conn: &mut PgConnection, rows: &[(String, i64, i64)]) -> Result<(), sqlx::Error> {
    let scopes: Vec<&str> = rows.iter().map(|(s, _, _)| s.as_str()).collect();
    let periods: Vec<i64> = rows.iter().map(|(_, p, _)| *p).collect();
    let amounts: Vec<i64> = rows.iter().map(|(_, _, a)| *a).collect();
    sqlx::query(
        "INSERT INTO spend_totals (scope, period, amount_e8) SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::bigint[]) \
         ON CONFLICT (scope, period) DO UPDATE SET amount_e8 = spend_totals.amount_e8 + excluded.amount_e8",
    )
    .bind(scopes)
    .bind(periods)
    .bind(amounts)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
