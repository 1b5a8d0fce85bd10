//! The machine's own limit for storing usage records: the same records written raw into a table
//! with the same keys (the record id unique, the customer and the time indexed), by the fastest
//! path each database has: `COPY … FROM STDIN` on PostgreSQL, one prepared `INSERT` per record
//! in one transaction on SQLite. No rating, no totals, no checks: what ingestion is judged
//! against.

use std::time::{Duration, Instant};

use opc_domain::usage::UsageRecord;
use sqlx::Connection;

const TABLE: &str = "CREATE TABLE bench_raw_usage (
    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, resource_id TEXT NOT NULL, service_type TEXT NOT NULL,
    resource_type TEXT NOT NULL, resource_spec TEXT NOT NULL, region TEXT NOT NULL, usage_factor TEXT NOT NULL,
    usage_e8 BIGINT NOT NULL, usage_measure_id BIGINT NOT NULL, ended_at_ms BIGINT NOT NULL)";
const INDEX: &str = "CREATE INDEX bench_raw_usage_customer ON bench_raw_usage (customer_id, ended_at_ms)";

/// Writes each batch raw; returns each batch's duration.
pub async fn insert(url: &str, batches: &[Vec<(usize, UsageRecord)>]) -> Vec<Duration> {
    if url.starts_with("postgres") {
        copy_postgres(url, batches).await
    } else {
        insert_sqlite(url, batches).await
    }
}

async fn copy_postgres(url: &str, batches: &[Vec<(usize, UsageRecord)>]) -> Vec<Duration> {
    let mut conn = sqlx::PgConnection::connect(url).await.expect("connect to PostgreSQL");
    sqlx::query(TABLE).execute(&mut conn).await.expect("the raw table");
    sqlx::query(INDEX).execute(&mut conn).await.expect("its index");
    let mut samples = vec![];
    for batch in batches {
        // Tab-separated text, as COPY reads it; the values hold no tabs, newlines or backslashes.
        let mut text = String::with_capacity(batch.len() * 160);
        for (_, r) in batch {
            text.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                r.id,
                r.customer,
                r.resource_id,
                r.service_type,
                r.resource_type,
                r.spec,
                r.region,
                r.usage_factor,
                r.usage.e8(),
                r.usage_measure_id,
                r.ended_at.unix_ms()
            ));
        }
        let t = Instant::now();
        let mut copy = conn.copy_in_raw("COPY bench_raw_usage FROM STDIN").await.expect("COPY");
        copy.send(text.into_bytes()).await.expect("send the rows");
        copy.finish().await.expect("finish COPY");
        samples.push(t.elapsed());
    }
    sqlx::query("DROP TABLE bench_raw_usage").execute(&mut conn).await.expect("drop the raw table");
    samples
}

async fn insert_sqlite(url: &str, batches: &[Vec<(usize, UsageRecord)>]) -> Vec<Duration> {
    let mut conn = sqlx::SqliteConnection::connect(url).await.expect("open SQLite");
    sqlx::query(TABLE).execute(&mut conn).await.expect("the raw table");
    sqlx::query(INDEX).execute(&mut conn).await.expect("its index");
    let mut samples = vec![];
    for batch in batches {
        let t = Instant::now();
        let mut tx = conn.begin().await.expect("begin");
        for (_, r) in batch {
            sqlx::query("INSERT INTO bench_raw_usage VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
                .bind(&r.id)
                .bind(r.customer.as_str())
                .bind(&r.resource_id)
                .bind(&r.service_type)
                .bind(&r.resource_type)
                .bind(&r.spec)
                .bind(&r.region)
                .bind(&r.usage_factor)
                .bind(r.usage.e8())
                .bind(i64::from(r.usage_measure_id))
                .bind(r.ended_at.unix_ms())
                .execute(&mut *tx)
                .await
                .expect("insert a row");
        }
        tx.commit().await.expect("commit");
        samples.push(t.elapsed());
    }
    sqlx::query("DROP TABLE bench_raw_usage").execute(&mut conn).await.expect("drop the raw table");
    samples
}

/// On PostgreSQL, refreshes the planner's statistics after seeding, as autovacuum would have by
/// the time a partner had that many customers; nothing on SQLite.
pub async fn analyze(url: &str) {
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.expect("connect to PostgreSQL");
        sqlx::query("ANALYZE").execute(&mut conn).await.expect("ANALYZE");
    }
}

/// The first customer page's statement alone — the partner's newest 10 ids from its index,
/// then their account and association rows, as the store reads them — and `SELECT 1`, each on
/// a connection of its own: what the database and its driver cost before any of the server
/// runs. Returns the page's durations, then `SELECT 1`'s.
pub async fn page_statement(url: &str, partner: &str, iterations: u32) -> (Vec<Duration>, Vec<Duration>) {
    const PAGE: &str = "SELECT c.*, a.* FROM (SELECT customer_id AS page_id FROM associations \
        WHERE state <> 'disassociated' AND partner_id = $1 ORDER BY associated_at_ms DESC, customer_id DESC LIMIT 10) p \
        JOIN associations a ON a.customer_id = p.page_id AND a.state <> 'disassociated' \
        JOIN accounts c ON c.id = a.customer_id ORDER BY a.associated_at_ms DESC, a.customer_id DESC";
    macro_rules! timed {
        ($conn:expr) => {{
            let (mut page, mut one) = (vec![], vec![]);
            for _ in 0..iterations {
                let t = Instant::now();
                let rows = sqlx::query(PAGE).bind(partner).fetch_all(&mut $conn).await.expect("the page");
                assert_eq!(rows.len(), 10, "a full page");
                page.push(t.elapsed());
                let t = Instant::now();
                let _: i32 = sqlx::query_scalar("SELECT 1").fetch_one(&mut $conn).await.expect("SELECT 1");
                one.push(t.elapsed());
            }
            (page, one)
        }};
    }
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.expect("connect to PostgreSQL");
        timed!(conn)
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await.expect("open the SQLite file");
        timed!(conn)
    }
}
