use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::customer::Email;
use opc_domain::notification::{Delivery, Notification};
use opc_domain::{Millis, PartnerId, Timestamp};

use super::*;

#[async_trait]
pub trait Outbox: Send + Sync + 'static {
    /// Claims up to `limit` pending notifications due at `now`, oldest first, moving each one's
    /// next attempt `lease` ahead: no other claim takes it meanwhile. Each with its attempts so far.
    async fn claim_notifications(
        &self,
        now: Timestamp,
        lease: Millis,
        limit: u32,
    ) -> Result<Vec<(Notification, u32)>, StoreError>;
    /// Records the `attempts`-th attempt of a notification and what became of it.
    async fn record_delivery(
        &self,
        id: &opc_domain::NotificationId,
        attempts: u32,
        outcome: &Delivery,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Sets (`Some((url, sealed secret))`) or removes the partner's webhook.
    async fn set_webhook(
        &self,
        partner: &PartnerId,
        webhook: Option<(&str, &[u8])>,
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// The partner's webhook: its URL and sealed secret.
    async fn webhook(&self, partner: &PartnerId) -> Result<Option<(String, Vec<u8>)>, StoreError>;
    /// Who receives the partner's budget and quota notices, if the partner said.
    async fn notice_recipients(&self, partner: &PartnerId) -> Result<Option<Vec<Email>>, StoreError>;
    /// Sets them (replacing any before).
    async fn set_notice_recipients(
        &self,
        partner: &PartnerId,
        emails: &[Email],
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Queued notifications, newest first, optionally for one recipient.
    async fn notifications(&self, recipient: Option<&str>, limit: u32) -> Result<Vec<Notification>, StoreError>;
}
