//! The domain of Open Partner Center: values, entities, state machines and rules.
//!
//! Architecture invariant: pure. No IO, no serde, no sqlx, no axum, no system clock: time comes
//! in as an argument and randomness as bytes. Each rule's code and tests name its id from
//! `spec/RULES.md`.

pub mod access_key;
pub mod account;
pub mod association;
pub mod audit;
pub mod bill;
pub mod budget;
pub mod catalog;
pub mod certificate;
pub mod console;
pub mod cost;
pub mod coupon;
pub mod credential;
pub mod customer;
pub mod development;
pub mod discount;
pub mod enterprise;
pub mod funds;
pub mod goal;
pub mod hcpn;
pub mod ids;
pub mod information;
pub mod money;
pub mod notification;
pub mod order;
pub mod organization;
pub mod package;
pub mod partner;
pub mod path;
pub mod personnel;
pub mod program;
pub mod rating;
pub mod realname;
pub mod redact;
pub mod region;
pub mod signature;
pub mod spend;
pub mod stored_value;
pub mod tenant;
pub mod text;
pub mod tier;
pub mod time;
pub mod trace;
pub mod usage;

pub use ids::{
    AccessKeyId, AccountId, AuditEventId, IdError, MemberId, NotificationId, OrderId, PartnerId, ResourceId, RoleId,
    StaffId,
};
pub use money::{Money, MoneyError};
pub use time::{Millis, Timestamp};
