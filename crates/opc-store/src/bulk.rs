//! The bulk statements of usage ingestion, written per backend (SQLite: JSON arrays and
//! literal value lists; PostgreSQL: unnested arrays), chosen by the connection.

use std::collections::HashSet;

use crate::db::{Conn, Db, Native};
use crate::rows::{HourRow, Owner};
use crate::{postgres, sqlite};

/// A batch's hour rows, made ready to write for the backend that will write them.
pub(crate) enum Hours {
    Sqlite(sqlite::bulk::Hours),
    Postgres(Box<postgres::bulk::Hours>),
}

impl Hours {
    pub(crate) fn of(db: &Db, rows: &[HourRow<'_>]) -> Result<Hours, sqlx::Error> {
        Ok(match db {
            Db::Sqlite { .. } => Hours::Sqlite(sqlite::bulk::Hours::of(rows)?),
            Db::Postgres(_) => Hours::Postgres(Box::new(postgres::bulk::Hours::of(rows)?)),
        })
    }
}

/// Which of `ids` are stored already; the others are stored now.
pub(crate) async fn record_ids(conn: &mut Conn, ids: &[&str]) -> Result<HashSet<String>, sqlx::Error> {
    match conn.native() {
        Native::Sqlite(c) => sqlite::bulk::record_ids(c, ids).await,
        Native::Postgres(c) => postgres::bulk::record_ids(c, ids).await,
    }
}

/// Which of `customers` exist, with their current association's partner and model.
pub(crate) async fn owners(db: &Db, customers: &[&str]) -> Result<Vec<Owner>, sqlx::Error> {
    match db {
        Db::Sqlite { pool, .. } => sqlite::bulk::owners(pool, customers).await,
        Db::Postgres(pool) => postgres::bulk::owners(pool, customers).await,
    }
}

/// Adds the hour rows to `usage_hours`; returns each written row's usage and amount.
pub(crate) async fn upsert_hours(conn: &mut Conn, hours: &Hours) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    match (conn.native(), hours) {
        (Native::Sqlite(c), Hours::Sqlite(h)) => sqlite::bulk::upsert_hours(c, h).await,
        (Native::Postgres(c), Hours::Postgres(h)) => postgres::bulk::upsert_hours(c, h).await,
        _ => Err(sqlx::Error::Protocol("hour rows made for the other backend".into())),
    }
}

/// Adds to the running totals `(scope, period, amount_e8)`, in the given (key) order; returns
/// each written total.
pub(crate) async fn add_totals(conn: &mut Conn, rows: &[(String, i64, i64)]) -> Result<Vec<i64>, sqlx::Error> {
    match conn.native() {
        Native::Sqlite(c) => sqlite::bulk::add_totals(c, rows).await,
        Native::Postgres(c) => postgres::bulk::add_totals(c, rows).await,
    }
}

/// One column of rows to insert: its values in row order.
pub(crate) enum Column<'a> {
    Text(Vec<&'a str>),
    Int(Vec<i64>),
}

impl Column<'_> {
    fn len(&self) -> usize {
        match self {
            Column::Text(v) => v.len(),
            Column::Int(v) => v.len(),
        }
    }
}

/// Inserts rows given column by column into `table` (`names` in the columns' order) in one
/// statement: SQLite's literal value lists, PostgreSQL's unnested arrays. The table and column
/// names are the store's own, never input.
pub(crate) async fn insert_columns(
    conn: &mut Conn,
    table: &'static str,
    names: &[&'static str],
    columns: &[Column<'_>],
) -> Result<(), sqlx::Error> {
    let rows = columns.first().map_or(0, Column::len);
    if rows == 0 {
        return Ok(());
    }
    if names.len() != columns.len() || columns.iter().any(|c| c.len() != rows) {
        return Err(sqlx::Error::Protocol(format!("uneven columns for {table}")));
    }
    match conn.native() {
        Native::Sqlite(c) => sqlite::bulk::insert_columns(c, table, names, columns, rows).await,
        Native::Postgres(c) => postgres::bulk::insert_columns(c, table, names, columns).await,
    }
}
