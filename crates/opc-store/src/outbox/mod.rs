//! The outbox aggregate: its queries and its part of the port.

pub(crate) mod rows;

use crate::audit::insert_audit;
use crate::db::{err, finish, query, query_as, query_scalar, Builder, Conn};
use crate::outbox::rows::NotificationRow;
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::audit::AuditEvent;
use opc_domain::customer::Email;
use opc_domain::notification::{Delivery, Notification};
use opc_domain::{Millis, PartnerId, Timestamp};
use tracing::instrument;

/// A notification's delivery state is the outbox's own, never a domain value: `pending` until
/// it is sent or fails for good (`sent`, `failed`: [`Outbox::record_delivery`]).
pub(crate) async fn insert_notifications(tx: &mut Conn, notifications: &[Notification]) -> Result<(), sqlx::Error> {
    for n in notifications {
        let r = NotificationRow::from(n);
        query(
            "INSERT INTO notifications (id, channel, recipient, subject, body, created_at_ms, state, attempts) \
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0)",
        )
        .bind(r.id)
        .bind(r.channel)
        .bind(r.recipient)
        .bind(r.subject)
        .bind(r.body)
        .bind(r.created_at_ms)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

#[async_trait]
impl Outbox for SqlStore {
    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn notice_recipients(&self, partner: &PartnerId) -> Result<Option<Vec<Email>>, StoreError> {
        let row: Option<String> = query_scalar("SELECT emails FROM notice_recipients WHERE partner_id = $1")
            .bind(partner.as_str())
            .fetch_optional(&self.db)
            .await
            .map_err(err)?;
        row.map(|text| {
            text.lines()
                .map(|e| {
                    Email::parse(e)
                        .map_err(|e| err(sqlx::Error::Decode(format!("stored email is invalid: {e}").into())))
                })
                .collect()
        })
        .transpose()
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn set_notice_recipients(
        &self,
        partner: &PartnerId,
        emails: &[Email],
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let text: Vec<&str> = emails.iter().map(Email::as_str).collect();
            query(
                "INSERT INTO notice_recipients (partner_id, emails, set_at_ms) VALUES ($1, $2, $3) \
                 ON CONFLICT (partner_id) DO UPDATE SET emails = excluded.emails, set_at_ms = excluded.set_at_ms",
            )
            .bind(partner.as_str())
            .bind(text.join("\n"))
            .bind(at.unix_ms())
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
    async fn notifications(&self, recipient: Option<&str>, limit: u32) -> Result<Vec<Notification>, StoreError> {
        let mut b =
            Builder::new("SELECT id, channel, recipient, subject, body, created_at_ms FROM notifications WHERE 1 = 1");
        if let Some(r) = recipient {
            b.push(" AND recipient = ").push_bind(r.to_owned());
        }
        b.push(" ORDER BY seq DESC LIMIT ").push_bind(i64::from(limit));
        let rows: Vec<NotificationRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        rows.into_iter().map(Notification::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all)]
    async fn claim_notifications(
        &self,
        now: Timestamp,
        lease: Millis,
        limit: u32,
    ) -> Result<Vec<(Notification, u32)>, StoreError> {
        // The outer condition is checked again on rows another claim changed meanwhile, so a
        // row is claimed once.
        let rows: Vec<(String, String, String, String, String, i64, i64)> = query_as(
            "UPDATE notifications SET next_attempt_at_ms = $1 \
             WHERE state = 'pending' AND next_attempt_at_ms <= $2 AND seq IN ( \
                 SELECT seq FROM notifications WHERE state = 'pending' AND next_attempt_at_ms <= $3 \
                 ORDER BY next_attempt_at_ms, seq LIMIT $4) \
             RETURNING id, channel, recipient, subject, body, created_at_ms, attempts",
        )
        .bind(now.plus(lease).unix_ms())
        .bind(now.unix_ms())
        .bind(now.unix_ms())
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter()
            .map(|(id, channel, recipient, subject, body, created_at_ms, attempts)| {
                let n =
                    Notification::try_from(NotificationRow { id, channel, recipient, subject, body, created_at_ms })
                        .map_err(err)?;
                Ok((n, u32::try_from(attempts).unwrap_or(0)))
            })
            .collect()
    }

    #[instrument(level = "debug", skip_all, fields(notification.id = %id))]
    async fn record_delivery(
        &self,
        id: &opc_domain::NotificationId,
        attempts: u32,
        outcome: &Delivery,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let (state, next, error, sent) = match outcome {
            Delivery::Sent => ("sent", at.unix_ms(), None, Some(at.unix_ms())),
            Delivery::Retry { at: next, error } => ("pending", next.unix_ms(), Some(error.as_str()), None),
            Delivery::Failed { error } => ("failed", at.unix_ms(), Some(error.as_str()), None),
        };
        query(
            "UPDATE notifications SET state = $1, attempts = $2, next_attempt_at_ms = $3, last_error = $4, sent_at_ms = $5 \
             WHERE id = $6 AND state = 'pending'",
        )
        .bind(state)
        .bind(i64::from(attempts))
        .bind(next)
        .bind(error)
        .bind(sent)
        .bind(id.as_str())
        .execute(&self.db)
        .await
        .map_err(err)?;
        Ok(())
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn set_webhook(
        &self,
        partner: &PartnerId,
        webhook: Option<(&str, &[u8])>,
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            query("DELETE FROM partner_webhooks WHERE partner_id = $1")
                .bind(partner.as_str())
                .execute(&mut tx)
                .await
                .map_err(err)?;
            if let Some((url, sealed)) = webhook {
                query(
                    "INSERT INTO partner_webhooks (partner_id, url, sealed_secret, set_at_ms) VALUES ($1, $2, $3, $4)",
                )
                .bind(partner.as_str())
                .bind(url)
                .bind(sealed)
                .bind(at.unix_ms())
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

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn webhook(&self, partner: &PartnerId) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        query_as("SELECT url, sealed_secret FROM partner_webhooks WHERE partner_id = $1")
            .bind(partner.as_str())
            .fetch_optional(&self.db)
            .await
            .map_err(err)
    }
}
