//! Signed writes answered once: the claims and first answers of signed BSS writes.

use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::{AccountId, Timestamp};
use tracing::instrument;

use crate::db::{err, finish, query, query_as};
use crate::rows::decode_error;
use crate::SqlStore;

type AnswerRow = (Option<i64>, Option<String>, Option<Vec<u8>>);

#[async_trait]
impl SignedWrites for SqlStore {
    #[instrument(level = "debug", skip_all)]
    async fn claim_signed_write(
        &self,
        signature: &str,
        account: &AccountId,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<Claim, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            query("DELETE FROM signed_writes WHERE expires_at_ms < $1")
                .bind(now.unix_ms())
                .execute(&mut tx)
                .await
                .map_err(err)?;
            let inserted = query(
                "INSERT INTO signed_writes (signature_sha256, account_id, expires_at_ms) VALUES ($1, $2, $3) \
                 ON CONFLICT (signature_sha256) DO NOTHING",
            )
            .bind(signature)
            .bind(account.as_str())
            .bind(expires_at.unix_ms())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            if inserted.rows_affected() == 1 {
                return Ok(Claim::Claimed);
            }
            let row: Option<AnswerRow> =
                query_as("SELECT status, content_type, body FROM signed_writes WHERE signature_sha256 = $1")
                    .bind(signature)
                    .fetch_optional(&mut tx)
                    .await
                    .map_err(err)?;
            // Absent: the first request gave its claim up just now; the caller asks again.
            let Some((Some(status), content_type, body)) = row else { return Ok(Claim::Running) };
            let status = u16::try_from(status).map_err(|e| err(decode_error("signed write status", e)))?;
            Ok(Claim::Answered(StoredAnswer { status, content_type, body: body.unwrap_or_default() }))
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn record_signed_answer(&self, signature: &str, answer: &StoredAnswer) -> Result<(), StoreError> {
        query("UPDATE signed_writes SET status = $2, content_type = $3, body = $4 WHERE signature_sha256 = $1")
            .bind(signature)
            .bind(i64::from(answer.status))
            .bind(answer.content_type.as_deref())
            .bind(answer.body.as_slice())
            .execute(&self.db)
            .await
            .map_err(err)?;
        Ok(())
    }

    #[instrument(level = "debug", skip_all)]
    async fn release_signed_write(&self, signature: &str) -> Result<(), StoreError> {
        query("DELETE FROM signed_writes WHERE signature_sha256 = $1 AND status IS NULL")
            .bind(signature)
            .execute(&self.db)
            .await
            .map_err(err)?;
        Ok(())
    }
}
