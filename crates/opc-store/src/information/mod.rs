//! The information aggregate: its queries and its part of the port.

pub(crate) mod rows;

use crate::audit::insert_audit;
use crate::db::{err, finish, query, query_as};
use crate::information::rows::InformationRow;
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::audit::AuditEvent;
use opc_domain::PartnerId;
use tracing::instrument;

pub(crate) const INFORMATION_COLUMNS: &str =
    "partner_id, kind, company_name, registration_number, settlement_currency, \
    questionnaire_completed, bank_name, bank_country, account_name, account_number, swift_code, tax_rate_bp, state, \
    rejection_reason, submitted_at_ms, decided_at_ms, version";

#[async_trait]
impl Information for SqlStore {
    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn partner_information(&self, partner: &PartnerId) -> Result<Vec<InfoRecord>, StoreError> {
        let rows = query_as::<InformationRow>(&format!(
            "SELECT {INFORMATION_COLUMNS} FROM partner_information WHERE partner_id = $1 ORDER BY kind"
        ))
        .bind(partner.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(InfoRecord::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %record.partner))]
    async fn save_partner_information(
        &self,
        record: &InfoRecord,
        expected_version: Option<i64>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let r = InformationRow::from(record);
            if let Some(version) = expected_version {
                let deleted =
                    query("DELETE FROM partner_information WHERE partner_id = $1 AND kind = $2 AND version = $3")
                        .bind(&r.partner_id)
                        .bind(&r.kind)
                        .bind(version)
                        .execute(&mut tx)
                        .await
                        .map_err(err)?;
                if deleted.rows_affected() != 1 {
                    return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::PartnerInformation) });
                }
            }
            query(&format!(
                "INSERT INTO partner_information ({INFORMATION_COLUMNS}) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
            ))
            .bind(r.partner_id)
            .bind(r.kind)
            .bind(r.company_name)
            .bind(r.registration_number)
            .bind(r.settlement_currency)
            .bind(r.questionnaire_completed)
            .bind(r.bank_name)
            .bind(r.bank_country)
            .bind(r.account_name)
            .bind(r.account_number)
            .bind(r.swift_code)
            .bind(r.tax_rate_bp)
            .bind(r.state)
            .bind(r.rejection_reason)
            .bind(r.submitted_at_ms)
            .bind(r.decided_at_ms)
            .bind(expected_version.map_or(0, |v| v + 1))
            .execute(&mut tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn information_queue(&self, state: &str, limit: u32) -> Result<Vec<InfoRecord>, StoreError> {
        let rows = query_as::<InformationRow>(&format!(
            "SELECT {INFORMATION_COLUMNS} FROM partner_information WHERE state = $1 ORDER BY submitted_at_ms LIMIT $2"
        ))
        .bind(state)
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(InfoRecord::try_from).collect::<Result<_, _>>().map_err(err)
    }
}
