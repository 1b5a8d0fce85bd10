//! The bulk reads and writes of usage ingestion, which each backend does its own way. Here,
//! binding tens of thousands of parameters one by one costs more than the writing: the ids and
//! customers go as one JSON array read back with `json_each`, and the rows (whose every text the ingestion validated) as
//! literal `VALUES` lists, escaped, in one unprepared statement each: faster than extracting
//! them from JSON. PostgreSQL unnests one array per column. `crate::bulk` picks
//! this backend's statements by the connection.

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::rows::{HourRow, Owner, UPSERT_USAGE_HOURS};
use sqlx::{SqliteConnection, SqlitePool};

/// Records the batch's `ids` (distinct); returns those that were stored before: the batch's
/// duplicates. The usual batch, all new, takes one statement; one with duplicates is undone
/// and written again without them. The caller holds the write lock (`BEGIN IMMEDIATE`): no
/// other batch writes meanwhile.
pub(crate) async fn record_ids(conn: &mut SqliteConnection, ids: &[&str]) -> Result<HashSet<String>, sqlx::Error> {
    const INSERT: &str =
        "INSERT INTO usage_record_ids (id) SELECT value FROM json_each(?1) WHERE true ON CONFLICT (id) DO NOTHING";
    let json = json_strings(ids);
    sqlx::query("SAVEPOINT record_ids").execute(&mut *conn).await?;
    let inserted = sqlx::query(INSERT).bind(&json).execute(&mut *conn).await?.rows_affected();
    if inserted == ids.len() as u64 {
        sqlx::query("RELEASE record_ids").execute(&mut *conn).await?;
        return Ok(HashSet::new());
    }
    sqlx::query("ROLLBACK TO record_ids").execute(&mut *conn).await?;
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT j.value FROM json_each(?1) j WHERE EXISTS (SELECT 1 FROM usage_record_ids u WHERE u.id = j.value)",
    )
    .bind(&json)
    .fetch_all(&mut *conn)
    .await?;
    let stored: HashSet<String> = stored.into_iter().collect();
    let new: Vec<&str> = ids.iter().copied().filter(|id| !stored.contains(*id)).collect();
    sqlx::query(INSERT).bind(json_strings(&new)).execute(&mut *conn).await?;
    sqlx::query("RELEASE record_ids").execute(&mut *conn).await?;
    Ok(stored)
}

/// Each of `customers` that exists, with its current association's partner and model: one
/// JSON array in, one out (a row at a time costs more than the reading).
pub(crate) async fn owners(pool: &SqlitePool, customers: &[&str]) -> Result<Vec<Owner>, sqlx::Error> {
    // The stored association codes this SQL names: customers::rows::association_state_code.
    let json: String = sqlx::query_scalar(
        "SELECT json_group_array(json_array(c.id, a.partner_id, a.model, ma.partner_id, ma.model)) \
         FROM json_each(?1) j CROSS JOIN accounts c ON c.id = j.value \
         LEFT JOIN associations a ON a.customer_id = c.id AND a.state <> 'disassociated' \
         LEFT JOIN enterprise_members m ON m.member_id = c.id AND m.accounting = 'unified' \
         LEFT JOIN associations ma ON ma.customer_id = m.master_id AND ma.state <> 'disassociated'",
    )
    .bind(json_strings(customers))
    .fetch_one(pool)
    .await?;
    serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// Hour rows made ready to add to `usage_hours`: here, the statement.
pub(crate) struct Hours(String);

impl Hours {
    pub(crate) fn of(rows: &[HourRow<'_>]) -> Result<Hours, sqlx::Error> {
        let mut sql = String::with_capacity(2048 + rows.len() * 256);
        sql.push_str(
            "INSERT INTO usage_hours (customer_id, cycle, hour_ms, resource_id, usage_factor, usage_measure_id, \
             resource_spec, region, service_type, resource_type, partner_id, model, usage_e8, amount_e8, records, \
             first_ended_at_ms, last_ended_at_ms) VALUES ",
        );
        for (i, r) in rows.iter().enumerate() {
            sql.push_str(if i == 0 { "(" } else { ",(" });
            push_literal(&mut sql, r.customer)?;
            let _ = write!(sql, ",{},{},", r.cycle, r.hour);
            push_literal(&mut sql, r.resource)?;
            sql.push(',');
            push_literal(&mut sql, r.factor)?;
            let _ = write!(sql, ",{}", r.measure);
            for text in [r.spec, r.region, r.service_type, r.resource_type, r.partner, r.model] {
                sql.push(',');
                push_literal(&mut sql, text)?;
            }
            let _ = write!(sql, ",{},{},{},{},{})", r.usage, r.amount, r.records, r.first, r.last);
        }
        sql.push_str(UPSERT_USAGE_HOURS);
        sql.push_str(" RETURNING usage_e8, amount_e8");
        Ok(Hours(if rows.is_empty() { String::new() } else { sql }))
    }
}

/// Adds the hour rows to `usage_hours`; returns each written row's usage and amount, for the
/// caller to check their range.
pub(crate) async fn upsert_hours(conn: &mut SqliteConnection, hours: &Hours) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    if hours.0.is_empty() {
        return Ok(vec![]);
    }
    sqlx::query_as(&hours.0).persistent(false).fetch_all(&mut *conn).await
}

/// Adds to running spend totals; returns each written total, for the caller to check its range.
pub(crate) async fn add_totals(
    conn: &mut SqliteConnection,
    rows: &[(String, i64, i64)],
) -> Result<Vec<i64>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let mut sql = String::with_capacity(256 + rows.len() * 64);
    sql.push_str("INSERT INTO spend_totals (scope, period, amount_e8) VALUES ");
    for (i, (scope, period, amount)) in rows.iter().enumerate() {
        sql.push_str(if i == 0 { "(" } else { ",(" });
        push_literal(&mut sql, scope)?;
        let _ = write!(sql, ",{period},{amount})");
    }
    sql.push_str(
        " ON CONFLICT (scope, period) DO UPDATE SET amount_e8 = spend_totals.amount_e8 + excluded.amount_e8 \
         RETURNING amount_e8",
    );
    sqlx::query_scalar(&sql).persistent(false).fetch_all(&mut *conn).await
}

/// Rows given column by column as one `INSERT … VALUES` of literals (unprepared).
pub(crate) async fn insert_columns(
    conn: &mut SqliteConnection,
    table: &str,
    names: &[&str],
    columns: &[crate::bulk::Column<'_>],
    rows: usize,
) -> Result<(), sqlx::Error> {
    let mut sql = String::with_capacity(128 + rows * names.len() * 24);
    let _ = write!(sql, "INSERT INTO {table} ({}) VALUES ", names.join(", "));
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ",(" });
        for (i, column) in columns.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            match column {
                crate::bulk::Column::Text(v) => push_literal(&mut sql, v[row])?,
                crate::bulk::Column::Int(v) => {
                    let _ = write!(sql, "{}", v[row]);
                }
            }
        }
        sql.push(')');
    }
    sqlx::query(&sql).persistent(false).execute(&mut *conn).await?;
    Ok(())
}

/// Appends `text` as an SQL string literal: quotes doubled, the only escaping SQLite's literals
/// have. A NUL would end the text early, so it is refused (validated records never hold one).
fn push_literal(sql: &mut String, text: &str) -> Result<(), sqlx::Error> {
    if text.contains('\0') {
        return Err(sqlx::Error::Protocol(format!("a NUL character in {text:?}")));
    }
    sql.push('\'');
    for (i, part) in text.split('\'').enumerate() {
        if i > 0 {
            sql.push_str("''");
        }
        sql.push_str(part);
    }
    sql.push('\'');
    Ok(())
}

/// `texts` as a JSON array of strings.
fn json_strings(texts: &[&str]) -> String {
    serde_json::to_string(texts).expect("strings always serialize")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_double_their_quotes_and_refuse_nul() {
        let mut sql = String::new();
        push_literal(&mut sql, "it's 'quoted'").unwrap();
        assert_eq!(sql, "'it''s ''quoted'''");
        assert!(push_literal(&mut sql, "a\0b").is_err());
    }
}
