//! Notifications waiting in the durable outbox.

use crate::ids::NotificationId;
use crate::time::Timestamp;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Email,
}

/// A message to deliver. Written in the same transaction as the change that causes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    pub id: NotificationId,
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: Timestamp,
}
