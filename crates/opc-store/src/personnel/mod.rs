//! The personnel aggregate: its queries and its part of the port.

pub(crate) mod rows;

use crate::audit::insert_audit;
use crate::codes::Code;
use crate::db::{err, finish, query, query_as, Builder};
use crate::outbox::insert_notifications;
use crate::personnel::rows::CertificateRow;
use crate::personnel::rows::PersonnelRow;
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::audit::AuditEvent;
use opc_domain::credential::Certificate;
use opc_domain::notification::Notification;
use opc_domain::personnel::Personnel;
use opc_domain::{AccountId, PartnerId};
use tracing::instrument;

#[async_trait]
impl PersonnelRecords for SqlStore {
    #[instrument(level = "debug", skip_all)]
    async fn certificates_of(&self, accounts: &[AccountId]) -> Result<Vec<Certificate>, StoreError> {
        if accounts.is_empty() {
            return Ok(vec![]);
        }
        let mut query = Builder::new(
            "SELECT number, account_id, kind, source, bound_at_ms FROM person_certificates WHERE account_id IN (",
        );
        let mut ids = query.separated(", ");
        for a in accounts {
            ids.push_bind(a.as_str());
        }
        query.push(") ORDER BY account_id, kind, number");
        let rows = query.build_query_as::<CertificateRow>().fetch_all(&self.db).await.map_err(err)?;
        rows.into_iter().map(Certificate::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %certificate.account))]
    async fn bind_certificate(&self, certificate: &Certificate, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            query(
                "INSERT INTO person_certificates (number, account_id, kind, source, bound_at_ms) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&certificate.number)
            .bind(certificate.account.as_str())
            .bind(certificate.kind.code())
            .bind(certificate.source.code())
            .bind(certificate.bound_at.unix_ms())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %account))]
    async fn unbind_certificate(
        &self,
        account: &AccountId,
        number: &str,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let deleted = query("DELETE FROM person_certificates WHERE number = $1 AND account_id = $2")
                .bind(number)
                .bind(account.as_str())
                .execute(&mut tx)
                .await
                .map_err(err)?;
            if deleted.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn personnel_of_partner(&self, partner: &PartnerId) -> Result<Vec<Personnel>, StoreError> {
        let rows = query_as::<PersonnelRow>(
            "SELECT partner_id, account_id, token_sha256, state, state_at_ms, invited_at_ms, associated_at_ms, \
             position, employment, version FROM personnel WHERE partner_id = $1 \
             ORDER BY invited_at_ms DESC, account_id",
        )
        .bind(partner.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(Personnel::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %account))]
    async fn personnel_of_account(&self, account: &AccountId) -> Result<Vec<Personnel>, StoreError> {
        let rows = query_as::<PersonnelRow>(
            "SELECT partner_id, account_id, token_sha256, state, state_at_ms, invited_at_ms, associated_at_ms, \
             position, employment, version FROM personnel WHERE account_id = $1 \
             ORDER BY invited_at_ms DESC, partner_id",
        )
        .bind(account.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(Personnel::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all)]
    async fn personnel_by_token(&self, token_sha256: &str) -> Result<Option<Personnel>, StoreError> {
        let row = query_as::<PersonnelRow>(
            "SELECT partner_id, account_id, token_sha256, state, state_at_ms, invited_at_ms, associated_at_ms, \
             position, employment, version FROM personnel WHERE token_sha256 = $1",
        )
        .bind(token_sha256)
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(Personnel::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %personnel.partner(), account.id = %personnel.account()))]
    async fn save_personnel(
        &self,
        personnel: &Personnel,
        expected_version: Option<i64>,
        notifications: &[Notification],
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let r = PersonnelRow::from(personnel);
            let query = match expected_version {
                None => query(
                    "INSERT INTO personnel (token_sha256, state, state_at_ms, invited_at_ms, associated_at_ms, \
                     position, employment, partner_id, account_id, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0)",
                ),
                Some(_) => query(
                    "UPDATE personnel SET token_sha256 = $1, state = $2, state_at_ms = $3, invited_at_ms = $4, \
                     associated_at_ms = $5, position = $6, employment = $7, version = version + 1 \
                     WHERE partner_id = $8 AND account_id = $9 AND version = $10",
                ),
            };
            let query = query
                .bind(r.token_sha256)
                .bind(r.state)
                .bind(r.state_at_ms)
                .bind(r.invited_at_ms)
                .bind(r.associated_at_ms)
                .bind(r.position)
                .bind(r.employment)
                .bind(r.partner_id)
                .bind(r.account_id);
            let query = match expected_version {
                Some(version) => query.bind(version),
                None => query,
            };
            if query.execute(&mut tx).await.map_err(err)?.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Personnel) });
            }
            insert_notifications(&mut tx, notifications).await.map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }
}
