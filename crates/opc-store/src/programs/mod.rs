//! The programs aggregate: its queries and its part of the port.

pub(crate) mod rows;

use crate::audit::insert_audit;
use crate::codes::Code;
use crate::db::{err, finish, query, query_as, query_scalar};
use crate::outbox::insert_notifications;
use crate::partners::insert_partner_row;
use crate::programs::rows::application_state_code;
use crate::programs::rows::HcpnRow;
use crate::programs::rows::PathRow;
use crate::programs::rows::ProgramApplicationRow;
use crate::programs::rows::RevenueGoalRow;
use crate::programs::rows::TierChangeRow;
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::audit::AuditEvent;
use opc_domain::goal::RevenueGoal;
use opc_domain::hcpn::HcpnApplication;
use opc_domain::notification::Notification;
use opc_domain::partner::{Enrollment, Partner, Program, Tier};
use opc_domain::path::PathMembership;
use opc_domain::program::{ProgramApplication, ProgramApplicationState};
use opc_domain::text::CountryCode;
use opc_domain::tier::{EntryPathKind, TierChange};
use opc_domain::{AccountId, PartnerId, Timestamp};
use tracing::instrument;

pub(crate) const HCPN_COLUMNS: &str = "applicant_id, company_name, business_country, address, website, contact_name, \
    contact_email, contact_phone, has_sensitive_relationship, sensitive_description, agreement_accepted_at_ms, state, \
    review_reasons, rejection_reason, submitted_at_ms, decided_at_ms, version";

pub(crate) const PROGRAM_APPLICATION_COLUMNS: &str =
    "applicant_id, program, business_area, state, rejection_reason, agreements, submitted_at_ms, decided_at_ms, version";

#[async_trait]
impl Programs for SqlStore {
    #[instrument(level = "debug", skip_all, fields(partner.id = %goal.partner))]
    async fn set_revenue_goal(&self, goal: &RevenueGoal, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            query(
                "INSERT INTO revenue_goals (partner_id, year, amount_e8, set_at_ms) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (partner_id, year) DO UPDATE SET amount_e8 = excluded.amount_e8, \
                 set_at_ms = excluded.set_at_ms",
            )
            .bind(goal.partner.as_str())
            .bind(i64::from(goal.year))
            .bind(goal.amount.e8())
            .bind(goal.set_at.unix_ms())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn revenue_goals(&self, partner: &PartnerId) -> Result<Vec<RevenueGoal>, StoreError> {
        let rows = query_as::<RevenueGoalRow>(
            "SELECT partner_id, year, amount_e8, set_at_ms FROM revenue_goals WHERE partner_id = $1 ORDER BY year DESC",
        )
        .bind(partner.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(RevenueGoal::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %account))]
    async fn company_paths(&self, account: &AccountId) -> Result<Vec<PathMembership>, StoreError> {
        let rows = query_as::<PathRow>(
            "SELECT account_id, partner_id, path, stage, joined_at_ms, stage_since_ms, version \
             FROM development_paths WHERE account_id = $1 OR account_id IN (\
               SELECT h.applicant_id FROM hcpn_applications h WHERE h.company_key <> '' AND h.company_key = \
               (SELECT company_key FROM hcpn_applications WHERE applicant_id = $2)) \
             ORDER BY joined_at_ms, account_id",
        )
        .bind(account.as_str())
        .bind(account.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(PathMembership::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %membership.account()))]
    async fn save_path(
        &self,
        membership: &PathMembership,
        expected_version: Option<i64>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let query = match expected_version {
                None => query(
                    "INSERT INTO development_paths \
                     (partner_id, path, stage, joined_at_ms, stage_since_ms, account_id, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, 0)",
                ),
                Some(_) => query(
                    "UPDATE development_paths SET partner_id = $1, path = $2, stage = $3, joined_at_ms = $4, \
                     stage_since_ms = $5, version = version + 1 WHERE account_id = $6 AND version = $7",
                ),
            };
            let query = query
                .bind(membership.partner().as_str())
                .bind(membership.path().code())
                .bind(membership.stage().code())
                .bind(membership.joined_at().unix_ms())
                .bind(membership.stage_since().unix_ms())
                .bind(membership.account().as_str());
            let query = match expected_version {
                Some(version) => query.bind(version),
                None => query,
            };
            if query.execute(&mut tx).await.map_err(err)?.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::DevelopmentPath) });
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %account))]
    async fn company_csp_areas(&self, account: &AccountId) -> Result<Vec<CountryCode>, StoreError> {
        let areas: Vec<String> = query_scalar(
            "SELECT DISTINCT a.business_area FROM program_applications a \
             JOIN hcpn_applications h ON h.applicant_id = a.applicant_id \
             WHERE a.program = $3 AND a.state IN ($4, $5) AND a.applicant_id <> $1 \
             AND h.company_key <> '' AND h.company_key = \
             (SELECT company_key FROM hcpn_applications WHERE applicant_id = $2) ORDER BY a.business_area",
        )
        .bind(account.as_str())
        .bind(account.as_str())
        .bind(Program::CloudSolutionProvider.code())
        .bind(application_state_code(&ProgramApplicationState::Submitted))
        .bind(application_state_code(&ProgramApplicationState::Approved))
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        areas
            .iter()
            .map(|a| {
                CountryCode::parse(a)
                    .map_err(|e| err(sqlx::Error::Decode(format!("stored business area is invalid: {e}").into())))
            })
            .collect()
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn core_invited(&self, partner: &PartnerId) -> Result<bool, StoreError> {
        let n: i64 = query_scalar("SELECT COUNT(*) FROM core_invitations WHERE partner_id = $1")
            .bind(partner.as_str())
            .fetch_one(&self.db)
            .await
            .map_err(err)?;
        Ok(n > 0)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn invite_to_core(
        &self,
        partner: &PartnerId,
        at: Timestamp,
        by: &str,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            query("INSERT INTO core_invitations (partner_id, invited_at_ms, invited_by) VALUES ($1, $2, $3)")
                .bind(partner.as_str())
                .bind(at.unix_ms())
                .bind(by)
                .execute(&mut tx)
                .await
                .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %excluding))]
    async fn core_partners(
        &self,
        country: &CountryCode,
        entry_path: EntryPathKind,
        excluding: &PartnerId,
    ) -> Result<u32, StoreError> {
        let n: i64 = query_scalar(
            "SELECT COUNT(DISTINCT p.id) FROM partners p JOIN partner_enrollments e ON e.partner_id = p.id \
             WHERE p.country = $1 AND p.id <> $2 AND e.tier = $4 AND $3 = (\
               SELECT c.entry_path FROM tier_changes c WHERE c.partner_id = e.partner_id AND c.program = e.program \
               ORDER BY c.id DESC LIMIT 1)",
        )
        .bind(country.as_str())
        .bind(excluding.as_str())
        .bind(entry_path.code())
        .bind(Tier::Core.code())
        .fetch_one(&self.db)
        .await
        .map_err(err)?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %change.partner()))]
    async fn change_tier(&self, change: &TierChange, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let updated =
                query("UPDATE partner_enrollments SET tier = $1 WHERE partner_id = $2 AND program = $3 AND tier = $4")
                    .bind(change.to().code())
                    .bind(change.partner().as_str())
                    .bind(change.program().code())
                    .bind(change.from().code())
                    .execute(&mut tx)
                    .await
                    .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::EnrollmentTier });
            }
            query(
                "INSERT INTO tier_changes (partner_id, program, from_tier, to_tier, entry_path, decided_at_ms, decided_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(change.partner().as_str())
            .bind(change.program().code())
            .bind(change.from().code())
            .bind(change.to().code())
            .bind(change.entry_path().code())
            .bind(change.decided_at().unix_ms())
            .bind(change.decided_by())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn tier_changes(&self, partner: &PartnerId) -> Result<Vec<TierChange>, StoreError> {
        let rows = query_as::<TierChangeRow>(
            "SELECT partner_id, program, from_tier, to_tier, entry_path, decided_at_ms, decided_by \
             FROM tier_changes WHERE partner_id = $1 ORDER BY id DESC",
        )
        .bind(partner.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(TierChange::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %applicant))]
    async fn hcpn_application(&self, applicant: &AccountId) -> Result<Option<HcpnApplication>, StoreError> {
        let row = query_as::<HcpnRow>(&format!("SELECT {HCPN_COLUMNS} FROM hcpn_applications WHERE applicant_id = $1"))
            .bind(applicant.as_str())
            .fetch_optional(&self.db)
            .await
            .map_err(err)?;
        row.map(HcpnApplication::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %application.applicant()))]
    async fn save_hcpn_application(
        &self,
        application: &HcpnApplication,
        expected_version: Option<i64>,
        new_partner: Option<&Partner>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let r = HcpnRow::from(application);
            let query = match expected_version {
                None => query(
                    "INSERT INTO hcpn_applications (company_key, company_name, business_country, address, website, contact_name, \
                     contact_email, contact_phone, has_sensitive_relationship, sensitive_description, \
                     agreement_accepted_at_ms, state, review_reasons, rejection_reason, submitted_at_ms, decided_at_ms, \
                     applicant_id, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 0)",
                ),
                Some(_) => query(
                    "UPDATE hcpn_applications SET company_key = $1, company_name = $2, business_country = $3, address = $4, website = $5, \
                     contact_name = $6, contact_email = $7, contact_phone = $8, has_sensitive_relationship = $9, \
                     sensitive_description = $10, agreement_accepted_at_ms = $11, state = $12, review_reasons = $13, \
                     rejection_reason = $14, submitted_at_ms = $15, decided_at_ms = $16, version = version + 1 \
                     WHERE applicant_id = $17 AND version = $18",
                ),
            };
            let query = query
                .bind(application.filing().business.company_key())
                .bind(r.company_name)
                .bind(r.business_country)
                .bind(r.address)
                .bind(r.website)
                .bind(r.contact_name)
                .bind(r.contact_email)
                .bind(r.contact_phone)
                .bind(r.has_sensitive_relationship)
                .bind(r.sensitive_description)
                .bind(r.agreement_accepted_at_ms)
                .bind(r.state)
                .bind(r.review_reasons)
                .bind(r.rejection_reason)
                .bind(r.submitted_at_ms)
                .bind(r.decided_at_ms)
                .bind(r.applicant_id);
            let query = match expected_version {
                Some(version) => query.bind(version),
                None => query,
            };
            if query.execute(&mut tx).await.map_err(err)?.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::HcpnApplication) });
            }
            if let Some(partner) = new_partner {
                insert_partner_row(&mut tx, partner).await.map_err(err)?;
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn hcpn_applications(&self, state: &str, limit: u32) -> Result<Vec<HcpnApplication>, StoreError> {
        let rows = query_as::<HcpnRow>(&format!(
            "SELECT {HCPN_COLUMNS} FROM hcpn_applications WHERE state = $1 ORDER BY submitted_at_ms, applicant_id LIMIT $2"
        ))
        .bind(state)
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(HcpnApplication::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %applicant))]
    async fn program_applications_of(&self, applicant: &AccountId) -> Result<Vec<ProgramApplication>, StoreError> {
        let rows = query_as::<ProgramApplicationRow>(&format!(
            "SELECT {PROGRAM_APPLICATION_COLUMNS} FROM program_applications WHERE applicant_id = $1 ORDER BY submitted_at_ms, program"
        ))
        .bind(applicant.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(ProgramApplication::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %application.applicant()))]
    async fn save_program_application(
        &self,
        application: &ProgramApplication,
        expected_version: Option<i64>,
        enrollment: Option<(&PartnerId, &Enrollment)>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let r = ProgramApplicationRow::from(application);
            let written = match expected_version {
                None => query(
                    "INSERT INTO program_applications (applicant_id, program, business_area, state, rejection_reason, \
                     agreements, submitted_at_ms, decided_at_ms, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)",
                )
                .bind(r.applicant_id)
                .bind(r.program)
                .bind(r.business_area)
                .bind(r.state)
                .bind(r.rejection_reason)
                .bind(r.agreements)
                .bind(r.submitted_at_ms)
                .bind(r.decided_at_ms)
                .execute(&mut tx)
                .await
                .map_err(err)?,
                Some(version) => query(
                    "UPDATE program_applications SET business_area = $1, state = $2, rejection_reason = $3, \
                     agreements = $4, submitted_at_ms = $5, decided_at_ms = $6, version = version + 1 \
                     WHERE applicant_id = $7 AND program = $8 AND version = $9",
                )
                .bind(r.business_area)
                .bind(r.state)
                .bind(r.rejection_reason)
                .bind(r.agreements)
                .bind(r.submitted_at_ms)
                .bind(r.decided_at_ms)
                .bind(r.applicant_id)
                .bind(r.program)
                .bind(version)
                .execute(&mut tx)
                .await
                .map_err(err)?,
            };
            if written.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::ProgramApplication) });
            }
            if let Some((partner, e)) = enrollment {
                query(
                    "INSERT INTO partner_enrollments (partner_id, program, tier, enrolled_at_ms) VALUES ($1, $2, $3, $4)",
                )
                .bind(partner.as_str())
                .bind(e.program.code())
                .bind(e.tier.code())
                .bind(e.enrolled_at.unix_ms())
                .execute(&mut tx)
                .await
                .map_err(err)?;
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn program_applications(&self, state: &str, limit: u32) -> Result<Vec<ProgramApplication>, StoreError> {
        let rows = query_as::<ProgramApplicationRow>(&format!(
            "SELECT {PROGRAM_APPLICATION_COLUMNS} FROM program_applications WHERE state = $1 \
             ORDER BY submitted_at_ms, applicant_id, program LIMIT $2"
        ))
        .bind(state)
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(ProgramApplication::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %account))]
    async fn insert_dpp_invitation(
        &self,
        account: &AccountId,
        invited_by: &str,
        at: Timestamp,
        notification: &Notification,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            query("INSERT INTO dpp_invitations (account_id, invited_by, created_at_ms) VALUES ($1, $2, $3)")
                .bind(account.as_str())
                .bind(invited_by)
                .bind(at.unix_ms())
                .execute(&mut tx)
                .await
                .map_err(err)?;
            insert_notifications(&mut tx, std::slice::from_ref(notification)).await.map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %account))]
    async fn dpp_invited(&self, account: &AccountId) -> Result<bool, StoreError> {
        let n: i64 = query_scalar("SELECT count(*) FROM dpp_invitations WHERE account_id = $1")
            .bind(account.as_str())
            .fetch_one(&self.db)
            .await
            .map_err(err)?;
        Ok(n > 0)
    }
}
