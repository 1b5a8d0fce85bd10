//! The access_keys aggregate: its queries and its part of the port.

pub(crate) mod rows;

use crate::access_keys::rows::revoked_at_ms;
use crate::access_keys::rows::AccessKeyRow;
use crate::audit::insert_audit;
use crate::db::{err, finish, query, query_as, Conn};
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::access_key::AccessKey;
use opc_domain::audit::AuditEvent;
use opc_domain::{AccessKeyId, PartnerId};
use tracing::instrument;

pub(crate) async fn insert_access_key(tx: &mut Conn, key: &SealedAccessKey) -> Result<(), sqlx::Error> {
    let r = AccessKeyRow::from(key);
    query(
        "INSERT INTO access_keys \
         (id, partner_id, account_id, member_id, sealed_secret, created_at_ms, revoked_at_ms, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(r.id)
    .bind(r.partner_id)
    .bind(r.account_id)
    .bind(r.member_id)
    .bind(r.sealed_secret)
    .bind(r.created_at_ms)
    .bind(r.revoked_at_ms)
    .bind(r.version)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[async_trait]
impl AccessKeys for SqlStore {
    #[instrument(level = "debug", skip_all, fields(account.id = %key.key.account()))]
    async fn insert_access_key(&self, key: &SealedAccessKey, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            insert_access_key(&mut tx, key).await.map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn access_key(&self, id: &AccessKeyId) -> Result<Option<SealedAccessKey>, StoreError> {
        let row = query_as::<AccessKeyRow>(
            "SELECT id, partner_id, account_id, member_id, sealed_secret, created_at_ms, revoked_at_ms, version \
             FROM access_keys WHERE id = $1",
        )
        .bind(id.as_str())
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(SealedAccessKey::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn access_keys_of(&self, partner: &PartnerId) -> Result<Vec<AccessKey>, StoreError> {
        let rows = query_as::<AccessKeyRow>(
            "SELECT id, partner_id, account_id, member_id, sealed_secret, created_at_ms, revoked_at_ms, version \
             FROM access_keys WHERE partner_id = $1 ORDER BY created_at_ms, id",
        )
        .bind(partner.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(|r| SealedAccessKey::try_from(r).map(|k| k.key)).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %key.account()))]
    async fn update_access_key(&self, key: &AccessKey, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let updated = query(
                "UPDATE access_keys SET revoked_at_ms = $1, version = version + 1 WHERE id = $2 AND version = $3",
            )
            .bind(revoked_at_ms(key))
            .bind(key.id().as_str())
            .bind(key.version())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::AccessKey) });
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }
}
