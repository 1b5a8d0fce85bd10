//! The outbox rows as stored, and their conversions to and from the domain.

use opc_domain::notification::Notification;
use opc_domain::{NotificationId, Timestamp};

use crate::codes::Code;
use crate::rows::decode_error;

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct NotificationRow {
    pub id: String,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at_ms: i64,
}

impl From<&Notification> for NotificationRow {
    fn from(n: &Notification) -> NotificationRow {
        NotificationRow {
            id: n.id.as_str().to_owned(),
            channel: n.channel.code().to_owned(),
            recipient: n.recipient.clone(),
            subject: n.subject.clone(),
            body: n.body.clone(),
            created_at_ms: n.created_at.unix_ms(),
        }
    }
}

impl TryFrom<NotificationRow> for Notification {
    type Error = sqlx::Error;

    fn try_from(r: NotificationRow) -> Result<Notification, sqlx::Error> {
        Ok(Notification {
            id: NotificationId::parse(&r.id).map_err(|e| decode_error("notification id", e))?,
            channel: Code::from_code(&r.channel)?,
            recipient: r.recipient,
            subject: r.subject,
            body: r.body,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
        })
    }
}
