//! Delivering the durable outbox (issue #6): due notifications are claimed for a lease, sent
//! by email or to the partner's webhook, and recorded as sent, to retry later (30 s, doubling,
//! at most an hour) or, after the last attempt, failed with the error kept. A notification is
//! sent at least once: a worker that dies mid-attempt leaves it to the next claim after the
//! lease.

use async_trait::async_trait;
use opc_domain::audit::{Action, Actor};
use opc_domain::notification::{webhook_signature, Channel, Delivery, Notification};
use opc_domain::partner::Partner;
use opc_domain::{AccessKeyId, Millis, PartnerId};

use super::admin::audit_event;
use super::Context;
use crate::store::StoreError;
use opc_domain::access_key::SecretKey;

/// Where notifications go; the server's IO.
#[async_trait]
pub trait Transport: Send + Sync {
    async fn email(&self, to: &str, subject: &str, body: &str) -> Result<(), String>;
    /// POSTs `body` (JSON) to `url` with its signature.
    async fn webhook(&self, url: &str, body: &str, signature: &str) -> Result<(), String>;
    /// Sends `text` to the mobile phone `to`.
    async fn sms(&self, to: &str, text: &str) -> Result<(), String>;
}

/// How long a claimed notification is left to its worker.
pub const LEASE: Millis = Millis::minutes(2);

/// What one round of delivery did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: u32,
    pub retried: u32,
    pub failed: u32,
}

/// Delivers up to `limit` due notifications.
pub async fn deliver_due(ctx: &Context, transport: &dyn Transport, limit: u32) -> Result<DeliveryReport, StoreError> {
    let mut report = DeliveryReport::default();
    for (n, attempts) in ctx.store.claim_notifications(ctx.clock.now(), LEASE, limit).await? {
        let result = match n.channel {
            Channel::Email => transport.email(&n.recipient, &n.subject, &n.body).await,
            Channel::Webhook => to_webhook(ctx, transport, &n).await?,
            Channel::Sms => transport.sms(&n.recipient, &n.body).await,
        };
        let attempts = attempts + 1;
        let outcome = match result {
            Ok(()) => Delivery::Sent,
            Err(error) => Delivery::after_failure(attempts, ctx.clock.now(), error),
        };
        match &outcome {
            Delivery::Sent => report.sent += 1,
            Delivery::Retry { error, .. } => {
                tracing::warn!(notification.id = %n.id, attempts, %error, "Delivery failed; will retry");
                report.retried += 1
            }
            Delivery::Failed { error } => {
                tracing::error!(notification.id = %n.id, attempts, %error, "Delivery failed for the last time");
                report.failed += 1
            }
        }
        ctx.store.record_delivery(&n.id, attempts, &outcome, ctx.clock.now()).await?;
    }
    Ok(report)
}

/// The sealing's associated data: the partner's id, so a sealed secret opens only as its own.
fn aad(partner: &PartnerId) -> Result<AccessKeyId, StoreError> {
    AccessKeyId::parse(partner.as_str())
        .map_err(|e| StoreError::Unavailable(anyhow::anyhow!("partner id {partner}: {e}")))
}

async fn to_webhook(
    ctx: &Context,
    transport: &dyn Transport,
    n: &Notification,
) -> Result<Result<(), String>, StoreError> {
    let Ok(partner) = PartnerId::parse(&n.recipient) else {
        return Ok(Err(format!("{:?} is not a partner id", n.recipient)));
    };
    let Some((url, sealed)) = ctx.store.webhook(&partner).await? else {
        return Ok(Err("the partner has no webhook any more".into()));
    };
    let secret = match ctx.master_key.open(&sealed, &aad(&partner)?) {
        Ok(s) => s,
        Err(e) => return Ok(Err(format!("the webhook secret does not open: {e}"))),
    };
    let signature = webhook_signature(secret.expose().as_bytes(), n.body.as_bytes());
    Ok(transport.webhook(&url, &n.body, &signature).await)
}

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("url must be an http:// or https:// URL of at most 512 characters")]
    Url,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The partner sets its webhook: budget and quota notices are POSTed to `url` as JSON, signed
/// with the returned secret (shown once).
pub async fn set_webhook(ctx: &Context, partner: &Partner, url: &str) -> Result<SecretKey, WebhookError> {
    let url = url.trim();
    let scheme_ok = url.starts_with("http://") || url.starts_with("https://");
    if !scheme_ok || url.len() > 512 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(WebhookError::Url);
    }
    let secret = SecretKey::from_random(super::random());
    let sealed = ctx.master_key.seal(&secret, &aad(partner.id())?);
    write_webhook(ctx, partner, Some((url, &sealed))).await?;
    Ok(secret)
}

/// The partner removes its webhook.
pub async fn remove_webhook(ctx: &Context, partner: &Partner) -> Result<(), WebhookError> {
    Ok(write_webhook(ctx, partner, None).await?)
}

async fn write_webhook(ctx: &Context, partner: &Partner, webhook: Option<(&str, &[u8])>) -> Result<(), StoreError> {
    let now = ctx.clock.now();
    let audit = [audit_event(
        now,
        Actor::Customer(partner.account_id().clone()),
        Some(partner.id()),
        Action::WebhookSet,
        "partner",
        partner.id().as_str(),
        None,
        Some(format!("webhook={}", webhook.map_or("none", |(url, _)| url))),
    )];
    ctx.store.set_webhook(partner.id(), webhook, now, &audit).await
}

/// The webhook notification of a notice, if the partner has a webhook: a JSON body naming the
/// event, the subject and the message.
pub(crate) async fn webhook_notice(
    ctx: &Context,
    partner: &Partner,
    event: &str,
    subject_id: &str,
    (title, text): (&str, &str),
) -> Result<Option<Notification>, StoreError> {
    if ctx.store.webhook(partner.id()).await?.is_none() {
        return Ok(None);
    }
    let now = ctx.clock.now();
    let body = serde_json::json!({"event": event, "partner_id": partner.id().as_str(), "subject_id": subject_id,
        "title": title, "message": text, "at": now.to_rfc3339()});
    Ok(Some(Notification {
        id: opc_domain::NotificationId::from_random(super::random()),
        channel: Channel::Webhook,
        recipient: partner.id().as_str().to_owned(),
        subject: event.to_owned(),
        body: body.to_string(),
        created_at: now,
    }))
}
