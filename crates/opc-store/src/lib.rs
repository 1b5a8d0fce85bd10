//! The [`Store`](opc_core::Store) port, written once for SQLite (the embedded default) and
//! PostgreSQL (production).
//!
//! Each aggregate's module holds its queries (numbered placeholders, the same text for both
//! databases), its row records and stored codes, and its part of the port. `sqlite` and
//! `postgres` hold only what truly differs: connection set-up, the write turn, constraint
//! names, bulk ingestion statements and migrations.
//!
//! Invariant: each port method is one transaction; the same story tests run on both backends.
//! No business rule is decided here: the store adds what it is told to add.

mod db;
mod postgres;
mod sqlite;

mod access_keys;
mod accounts;
mod audit;
mod bills;
mod budgets;
mod bulk;
pub mod catalog;
mod changes;
mod codes;
mod coupons;
mod customers;
mod development;
mod discounts;
mod enterprise;
mod funds;
mod information;
mod orders;
mod organization;
mod outbox;
mod packages;
mod partners;
mod personnel;
mod programs;
pub mod realname;
pub mod regions;
mod replays;
mod rows;
mod schema;
mod sessions;
mod stored_value;
mod test_coupons;
mod usage;

use opc_core::StoreError;

use crate::db::Db;

/// The store: SQLite or PostgreSQL, picked by the database URL.
#[derive(Clone)]
pub struct SqlStore {
    db: Db,
    /// What this database has told of changes to principals (see [`changes`]).
    watch: std::sync::Arc<changes::Watch>,
}

impl SqlStore {
    /// Opens the database at `url`: `sqlite://path` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<SqlStore, StoreError> {
        let db = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            postgres::connect(url).await?
        } else {
            sqlite::connect(url).await?
        };
        Ok(SqlStore { db, watch: Default::default() })
    }
}
