//! The store writes each query once with `$N` placeholders. PostgreSQL numbers its parameters
//! natively; this checks that SQLite (through sqlx) binds `$N` to the N-th argument too, also
//! when a number repeats or the numbers come out of order.

use sqlx::{Connection, SqliteConnection};

#[tokio::test]
async fn sqlite_binds_numbered_placeholders_by_number() {
    let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
    let (a, b, c): (i64, String, i64) = sqlx::query_as("SELECT $2, $1, $2 + $3")
        .bind("first")
        .bind(40_i64)
        .bind(2_i64)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!((a, b.as_str(), c), (40, "first", 42));
}
