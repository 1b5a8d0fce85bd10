//! The development aggregate: its queries and its part of the port.

pub(crate) mod rows;

use crate::accounts::insert_account;
use crate::accounts::update_freeze;
use crate::audit::insert_audit;
use crate::budgets::insert_budget_record;
use crate::customers::delete_codes;
use crate::customers::insert_association;
use crate::customers::rows::AssociationRow;
use crate::db::{err, finish, query, query_as, query_scalar};
use crate::development::rows::DisassociationRow;
use crate::development::rows::InvitationRow;
use crate::development::rows::PreRegistrationRow;
use crate::outbox::insert_notifications;
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::association::Association;
use opc_domain::audit::AuditEvent;
use opc_domain::customer::Email;
use opc_domain::development::{DisassociationRequest, Invitation, InvitationToken, PreRegistration};
use opc_domain::notification::Notification;
use opc_domain::{AccountId, PartnerId};
use tracing::instrument;

#[async_trait]
impl Development for SqlStore {
    #[instrument(level = "debug", skip_all)]
    async fn pre_registrations_for(&self, email: &Email) -> Result<Vec<PreRegistration>, StoreError> {
        let rows = query_as::<PreRegistrationRow>(
            "SELECT partner_id, email, created_at_ms, expires_at_ms, associated_at_ms, version FROM pre_registrations \
             WHERE lower(email) = lower($1) ORDER BY created_at_ms",
        )
        .bind(email.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(PreRegistration::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn pre_registrations_of(&self, partner: &PartnerId) -> Result<Vec<PreRegistration>, StoreError> {
        let rows = query_as::<PreRegistrationRow>(
            "SELECT partner_id, email, created_at_ms, expires_at_ms, associated_at_ms, version FROM pre_registrations \
             WHERE partner_id = $1 ORDER BY created_at_ms DESC LIMIT 1000",
        )
        .bind(partner.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(PreRegistration::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %pre_registration.partner))]
    async fn insert_pre_registration(
        &self,
        pre_registration: &PreRegistration,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let r = PreRegistrationRow::from(pre_registration);
            query(
                "INSERT INTO pre_registrations (partner_id, email, created_at_ms, expires_at_ms, associated_at_ms, version) \
                 VALUES ($1, $2, $3, $4, $5, 0)",
            )
            .bind(r.partner_id)
            .bind(r.email)
            .bind(r.created_at_ms)
            .bind(r.expires_at_ms)
            .bind(r.associated_at_ms)
            .execute(&mut tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %invitation.partner))]
    async fn insert_invitation(
        &self,
        invitation: &Invitation,
        notifications: &[Notification],
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let r = InvitationRow::from(invitation);
            query(
                "INSERT INTO invitations (token, partner_id, model, channel, email, expires_at_ms, created_at_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(r.token)
            .bind(r.partner_id)
            .bind(r.model)
            .bind(r.channel)
            .bind(r.email)
            .bind(r.expires_at_ms)
            .bind(r.created_at_ms)
            .execute(&mut tx)
            .await
            .map_err(err)?;
            insert_notifications(&mut tx, notifications).await.map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn invitation(&self, token: &InvitationToken) -> Result<Option<Invitation>, StoreError> {
        let row = query_as::<InvitationRow>(
            "SELECT token, partner_id, model, channel, email, expires_at_ms, created_at_ms, revoked_at_ms FROM invitations \
             WHERE token = $1",
        )
        .bind(token.as_str())
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(Invitation::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn invitations_of(&self, partner: &PartnerId) -> Result<Vec<Invitation>, StoreError> {
        let rows = query_as::<InvitationRow>(
            "SELECT token, partner_id, model, channel, email, expires_at_ms, created_at_ms, revoked_at_ms FROM invitations \
             WHERE partner_id = $1 ORDER BY created_at_ms DESC LIMIT 1000",
        )
        .bind(partner.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(Invitation::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %invitation.partner))]
    async fn revoke_invitation(&self, invitation: &Invitation, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let revoked = query("UPDATE invitations SET revoked_at_ms = $1 WHERE token = $2 AND revoked_at_ms IS NULL")
                .bind(invitation.revoked_at.map(opc_domain::Timestamp::unix_ms))
                .bind(invitation.token.as_str())
                .execute(&mut tx)
                .await
                .map_err(err)?;
            if revoked.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Invitation) });
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %a.association.customer(), partner.id = %a.association.partner()))]
    async fn accept_invitation(&self, a: &Acceptance<'_>) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            // Issue 17: an invitation revoked since it was read is not accepted.
            let revoked = query_scalar::<Option<i64>>("SELECT revoked_at_ms FROM invitations WHERE token = $1")
                .bind(a.invitation.as_str())
                .fetch_optional(&mut tx)
                .await
                .map_err(err)?;
            if revoked.is_some_and(|at| at.is_some()) {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Invitation) });
            }
            if let Some(account) = a.new_account {
                insert_account(&mut tx, account).await.map_err(err)?;
            }
            if let Some(account) = a.existing_account {
                update_freeze(&mut tx, account).await?;
            }
            let authorized_at = a.authorized.then_some(a.association.associated_at());
            insert_association(&mut tx, a.association, authorized_at).await.map_err(err)?;
            if let Some(p) = a.pre_registration {
                let r = PreRegistrationRow::from(p);
                let updated = query(
                    "UPDATE pre_registrations SET associated_at_ms = $1, version = version + 1 \
                     WHERE partner_id = $2 AND email = $3 AND created_at_ms = $4 AND version = $5",
                )
                .bind(r.associated_at_ms)
                .bind(r.partner_id)
                .bind(r.email)
                .bind(r.created_at_ms)
                .bind(r.version)
                .execute(&mut tx)
                .await
                .map_err(err)?;
                if updated.rows_affected() != 1 {
                    return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::PreRegistration) });
                }
            }
            if let Some(email) = a.consumes_codes_of {
                query("DELETE FROM verification_codes WHERE lower(email) = lower($1)")
                    .bind(email.as_str())
                    .execute(&mut tx)
                    .await
                    .map_err(err)?;
            }
            insert_notifications(&mut tx, a.notifications).await.map_err(err)?;
            insert_audit(&mut tx, a.audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn disassociation_requests_of(&self, partner: &PartnerId) -> Result<Vec<DisassociationRequest>, StoreError> {
        let rows = query_as::<DisassociationRow>(
            "SELECT customer_id, partner_id, initiated_by, reason, state, requested_at_ms, decided_at_ms, version \
             FROM disassociation_requests WHERE partner_id = $1 ORDER BY requested_at_ms DESC LIMIT 1000",
        )
        .bind(partner.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(DisassociationRequest::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn pending_disassociation(&self, customer: &AccountId) -> Result<Option<DisassociationRequest>, StoreError> {
        // 'pending': RequestState::Pending's stored code (rows::DisassociationRow's match).
        let row = query_as::<DisassociationRow>(
            "SELECT customer_id, partner_id, initiated_by, reason, state, requested_at_ms, decided_at_ms, version \
             FROM disassociation_requests WHERE customer_id = $1 AND state = 'pending'",
        )
        .bind(customer.as_str())
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(DisassociationRequest::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %request.customer()))]
    async fn save_disassociation(
        &self,
        request: &DisassociationRequest,
        expected_version: Option<i64>,
        association: &Association,
        ended: Option<Disassociation<'_>>,
        consumes_codes_of: Option<&Email>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let r = DisassociationRow::from(request);
            let written = match expected_version {
                None => query(
                    "INSERT INTO disassociation_requests (customer_id, partner_id, initiated_by, reason, state, \
                     requested_at_ms, decided_at_ms, version) VALUES ($1, $2, $3, $4, $5, $6, $7, 0)",
                )
                .bind(r.customer_id)
                .bind(r.partner_id)
                .bind(r.initiated_by)
                .bind(r.reason)
                .bind(r.state)
                .bind(r.requested_at_ms)
                .bind(r.decided_at_ms)
                .execute(&mut tx)
                .await
                .map_err(err)?,
                Some(version) => query(
                    "UPDATE disassociation_requests SET state = $1, decided_at_ms = $2, version = version + 1 \
                     WHERE customer_id = $3 AND requested_at_ms = $4 AND version = $5",
                )
                .bind(r.state)
                .bind(r.decided_at_ms)
                .bind(r.customer_id)
                .bind(r.requested_at_ms)
                .bind(version)
                .execute(&mut tx)
                .await
                .map_err(err)?,
            };
            if written.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::DisassociationRequest) });
            }
            let a = AssociationRow::from(association);
            let updated = query(
                "UPDATE associations SET state = $1, disassociated_at_ms = $2, version = version + 1 \
                 WHERE customer_id = $3 AND associated_at_ms = $4 AND version = $5",
            )
            .bind(a.state)
            .bind(a.disassociated_at_ms)
            .bind(a.customer_id)
            .bind(a.associated_at_ms)
            .bind(a.version)
            .execute(&mut tx)
            .await
            .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Association) });
            }
            if let Some(end) = ended {
                update_freeze(&mut tx, end.account).await?;
                if let Some(record) = end.budget_record {
                    query("DELETE FROM budgets WHERE customer_id = $1")
                        .bind(record.customer.as_str())
                        .execute(&mut tx)
                        .await
                        .map_err(err)?;
                    insert_budget_record(&mut tx, record).await.map_err(err)?;
                }
                if let Some((balances, entries)) = end.unbind {
                    let mut in_key_order: Vec<_> = balances.iter().collect();
                    in_key_order.sort_by(|a, b| a.holder().cmp(b.holder()));
                    for balance in in_key_order {
                        crate::funds::write_balance(&mut tx, balance).await?;
                    }
                    for entry in entries {
                        crate::funds::insert_entry(&mut tx, entry).await.map_err(err)?;
                    }
                }
            }
            if let Some(email) = consumes_codes_of {
                delete_codes(&mut tx, email).await?;
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }
}
