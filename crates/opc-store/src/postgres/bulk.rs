//! The bulk reads and writes of usage ingestion, which each backend does its own way: here one array per
//! column, unnested (one statement, a handful of parameters, whatever the batch's size); SQLite
//! takes the batch as one JSON parameter. `crate::bulk` picks
//! this backend's statements by the connection.

use std::collections::HashSet;

use crate::rows::{HourRow, Owner, UPSERT_USAGE_HOURS};
use sqlx::{PgConnection, PgPool};

/// Records the batch's `ids` (distinct, sorted: concurrent batches lock them in one order);
/// returns those that were stored before: the batch's duplicates. The usual batch, all new,
/// takes one statement; one with duplicates, or racing another batch with the same ids, is
/// undone and written again, returning the ids it added.
pub(crate) async fn record_ids(conn: &mut PgConnection, ids: &[&str]) -> Result<HashSet<String>, sqlx::Error> {
    const INSERT: &str =
        "INSERT INTO usage_record_ids (id) SELECT * FROM UNNEST($1::text[]) ON CONFLICT (id) DO NOTHING";
    sqlx::query("SAVEPOINT record_ids").execute(&mut *conn).await?;
    let inserted = sqlx::query(INSERT).bind(ids).execute(&mut *conn).await?.rows_affected();
    if inserted == ids.len() as u64 {
        sqlx::query("RELEASE record_ids").execute(&mut *conn).await?;
        return Ok(HashSet::new());
    }
    sqlx::query("ROLLBACK TO record_ids").execute(&mut *conn).await?;
    let new: HashSet<String> = sqlx::query_scalar(&format!("{INSERT} RETURNING id"))
        .bind(ids)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect();
    sqlx::query("RELEASE record_ids").execute(&mut *conn).await?;
    Ok(ids.iter().filter(|id| !new.contains(**id)).map(|id| (*id).to_owned()).collect())
}

/// Each of `customers` that exists, with its current association's partner and model.
pub(crate) async fn owners(pool: &PgPool, customers: &[&str]) -> Result<Vec<Owner>, sqlx::Error> {
    // The stored association codes this SQL names: customers::rows::association_state_code.
    sqlx::query_as(
        "SELECT c.id, a.partner_id, a.model, ma.partner_id, ma.model FROM accounts c \
         LEFT JOIN associations a ON a.customer_id = c.id AND a.state <> 'disassociated' \
         LEFT JOIN enterprise_members m ON m.member_id = c.id AND m.accounting = 'unified' \
         LEFT JOIN associations ma ON ma.customer_id = m.master_id AND ma.state <> 'disassociated' \
         WHERE c.id = ANY($1)",
    )
    .bind(customers)
    .fetch_all(pool)
    .await
}

/// Hour rows made ready to add to `usage_hours`: here, one array per column.
pub(crate) struct Hours {
    texts: [Vec<String>; 9],
    ints: [Vec<i64>; 8],
}

impl Hours {
    /// `rows`, sorted by key: concurrent batches lock them in one order.
    pub(crate) fn of<'a>(rows: &[HourRow<'a>]) -> Result<Hours, sqlx::Error> {
        let text = |f: fn(&HourRow<'a>) -> &'a str| rows.iter().map(|r| f(r).to_owned()).collect::<Vec<String>>();
        let int = |f: fn(&HourRow<'a>) -> i64| rows.iter().map(f).collect::<Vec<i64>>();
        Ok(Hours {
            texts: [
                text(|r| r.customer),
                text(|r| r.resource),
                text(|r| r.factor),
                text(|r| r.spec),
                text(|r| r.region),
                text(|r| r.service_type),
                text(|r| r.resource_type),
                text(|r| r.partner),
                text(|r| r.model),
            ],
            ints: [
                int(|r| r.cycle),
                int(|r| r.hour),
                int(|r| r.measure),
                int(|r| r.usage),
                int(|r| r.amount),
                int(|r| r.records),
                int(|r| r.first),
                int(|r| r.last),
            ],
        })
    }
}

/// Adds the hour rows to `usage_hours`; returns each written row's usage and amount, for the
/// caller to check their range.
pub(crate) async fn upsert_hours(conn: &mut PgConnection, hours: &Hours) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let [customer, resource, factor, spec, region, service_type, resource_type, partner, model] = &hours.texts;
    let [cycle, hour, measure, usage, amount, records, first, last] = &hours.ints;
    if customer.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "INSERT INTO usage_hours (customer_id, cycle, hour_ms, resource_id, usage_factor, usage_measure_id, \
         resource_spec, region, service_type, resource_type, partner_id, model, usage_e8, amount_e8, records, \
         first_ended_at_ms, last_ended_at_ms) SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::bigint[], \
         $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], \
         $12::text[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[]){} \
         RETURNING usage_e8, amount_e8",
        UPSERT_USAGE_HOURS
    );
    sqlx::query_as(&sql)
        .bind(customer)
        .bind(cycle)
        .bind(hour)
        .bind(resource)
        .bind(factor)
        .bind(measure)
        .bind(spec)
        .bind(region)
        .bind(service_type)
        .bind(resource_type)
        .bind(partner)
        .bind(model)
        .bind(usage)
        .bind(amount)
        .bind(records)
        .bind(first)
        .bind(last)
        .fetch_all(&mut *conn)
        .await
}

/// Adds to running spend totals (sorted by key: concurrent writers lock rows in one order);
/// returns each written total, for the caller to check its range.
pub(crate) async fn add_totals(conn: &mut PgConnection, rows: &[(String, i64, i64)]) -> Result<Vec<i64>, sqlx::Error> {
    let scopes: Vec<&str> = rows.iter().map(|(s, _, _)| s.as_str()).collect();
    let periods: Vec<i64> = rows.iter().map(|(_, p, _)| *p).collect();
    let amounts: Vec<i64> = rows.iter().map(|(_, _, a)| *a).collect();
    sqlx::query_scalar(
        "INSERT INTO spend_totals (scope, period, amount_e8) SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::bigint[]) \
         ON CONFLICT (scope, period) DO UPDATE SET amount_e8 = spend_totals.amount_e8 + excluded.amount_e8 \
         RETURNING amount_e8",
    )
    .bind(scopes)
    .bind(periods)
    .bind(amounts)
    .fetch_all(&mut *conn)
    .await
}

/// Rows given column by column, each column one array, unnested into `table`.
pub(crate) async fn insert_columns(
    conn: &mut PgConnection,
    table: &str,
    names: &[&str],
    columns: &[crate::bulk::Column<'_>],
) -> Result<(), sqlx::Error> {
    let arrays: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            crate::bulk::Column::Text(_) => format!("${}::text[]", i + 1),
            crate::bulk::Column::Int(_) => format!("${}::bigint[]", i + 1),
        })
        .collect();
    let sql = format!("INSERT INTO {table} ({}) SELECT * FROM UNNEST({})", names.join(", "), arrays.join(", "));
    let mut query = sqlx::query(&sql);
    for c in columns {
        query = match c {
            crate::bulk::Column::Text(v) => query.bind(v.clone()),
            crate::bulk::Column::Int(v) => query.bind(v.clone()),
        };
    }
    query.execute(&mut *conn).await?;
    Ok(())
}
