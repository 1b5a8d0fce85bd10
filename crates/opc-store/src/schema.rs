//! The schema: each backend's migrations, applied at start-up.

use async_trait::async_trait;
use opc_core::store::Schema;
use opc_core::StoreError;
use tracing::instrument;

use crate::db::Db;
use crate::{postgres, sqlite, SqlStore};

#[async_trait]
impl Schema for SqlStore {
    #[instrument(level = "debug", skip_all)]
    async fn migrate(&self) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite { pool, .. } => sqlite::migrate(pool).await,
            Db::Postgres(pool) => postgres::migrate(pool).await,
        }
    }
}
