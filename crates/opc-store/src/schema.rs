//! The schema: each backend's migrations, applied at start-up, and the master key's check value.

use async_trait::async_trait;
use opc_core::store::{Schema, SealedAccessKey};
use opc_core::StoreError;
use tracing::instrument;

use crate::access_keys::rows::AccessKeyRow;
use crate::db::{err, query, query_as, query_scalar, Db};
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

    #[instrument(level = "debug", skip_all)]
    async fn record_master_key_check(&self, check: &str) -> Result<String, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            query("INSERT INTO master_key_check (id, digest) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
                .bind(check)
                .execute(&mut tx)
                .await
                .map_err(err)?;
            query_scalar::<String>("SELECT digest FROM master_key_check WHERE id = 1")
                .fetch_one(&mut tx)
                .await
                .map_err(err)
        }
        .await;
        crate::db::finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn master_key_check(&self) -> Result<Option<String>, StoreError> {
        query_scalar::<String>("SELECT digest FROM master_key_check WHERE id = 1")
            .fetch_optional(&self.db)
            .await
            .map_err(err)
    }

    #[instrument(level = "debug", skip_all)]
    async fn first_sealed_access_key(&self) -> Result<Option<SealedAccessKey>, StoreError> {
        let row = query_as::<AccessKeyRow>(
            "SELECT id, partner_id, account_id, member_id, sealed_secret, created_at_ms, revoked_at_ms, version \
             FROM access_keys ORDER BY created_at_ms, id LIMIT 1",
        )
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(SealedAccessKey::try_from).transpose().map_err(err)
    }
}
