//! Use cases: load → decide (domain) → store, one function each. Authorization happens here,
//! so the HTTP API, the console and the CLI share it.

pub mod accounts;
pub mod admin;
mod audit_text;
pub mod auth;
pub mod bill_queries;
pub mod bills;
pub mod catalog;
pub mod console;
pub mod costs;
pub mod coupons;
pub mod customers;
pub mod development;
pub mod discounts;
pub mod enterprise;
pub mod funds;
pub mod information;
pub mod master_key;
pub mod orders;
pub mod organization;
pub mod outbox;
pub mod packages;
pub mod personnel;
pub mod programs;
pub mod realname;
pub mod regions;
pub mod replays;
pub mod spend;
pub mod stored_value;
pub mod test_coupons;
pub mod tiers;
pub mod usage;

use std::sync::Arc;

use opc_domain::notification::{Channel, Notification};
use rand::RngCore;

use crate::clock::Clock;
use crate::passwords::PasswordWork;
use crate::public_url::PublicUrl;
use crate::secrets::MasterKey;
use crate::store::Store;

/// What every use case runs against: [`Services`] behind one `Arc`, so that handing it to each
/// request's handler and middleware costs one reference count, not one per service.
#[derive(Clone)]
pub struct Context(Arc<Services>);

impl Context {
    pub fn new(services: Services) -> Context {
        Context(Arc::new(services))
    }
}

impl Services {
    /// The absolute address of a console `path` (`/invitations/…`), as links people receive
    /// carry it.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.link_base.as_str())
    }
}

impl std::ops::Deref for Context {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

/// The services a [`Context`] holds.
#[derive(Clone)]
pub struct Services {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub master_key: Arc<MasterKey>,
    pub policy: Policy,
    /// Where passwords are hashed and checked: off the async workers, a few at once.
    pub passwords: Arc<PasswordWork>,
    /// The address browsers reach the server at, when the deployment names it; `None` for a
    /// local run, served over plain HTTP at whatever host the request names.
    pub public_url: Option<PublicUrl>,
    /// Where the links people receive (emails, webhooks) point: the public URL when set, else
    /// the address the server listens on (issue 17: a link in an email must open).
    pub link_base: PublicUrl,
    /// What this process last read of each access key and its owner (signed reads).
    pub principals: Arc<auth::PrincipalCache>,
    /// The answers of signed reads this process keeps while nothing they are made of changes.
    pub answers: Arc<auth::AnswerCache>,
}

/// The rules a deployment may switch, each where the seeds leave it open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// R-DEV-04, read by A-10: a customer in another country than the partner is associated
    /// only after the partner pre-registered it. On by default.
    pub cross_country_pre_registration: bool,
    /// The billing time zone's offset from UTC: cycles are its calendar months (DESIGN;
    /// UTC+08:00 by default).
    pub billing_offset: opc_domain::Millis,
    /// R-CPN-22, R-CPN-18: test-coupon limits by tier, the default validity and the reminders.
    pub test_coupons: test_coupons::TestCouponPolicy,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            cross_country_pre_registration: true,
            billing_offset: opc_domain::usage::DEFAULT_BILLING_OFFSET,
            test_coupons: test_coupons::TestCouponPolicy::default(),
        }
    }
}

/// The language `subject` reads its emails in: its choice in the console, else English.
pub(crate) async fn language_of(
    ctx: &Context,
    subject: &opc_domain::console::SessionSubject,
) -> Result<opc_domain::notification::Language, crate::StoreError> {
    Ok(ctx.store.language(subject).await?.unwrap_or_default())
}

/// The language of a partner's notices: its account's choice (issue 17).
pub(crate) async fn partner_language(
    ctx: &Context,
    partner: &opc_domain::partner::Partner,
) -> Result<opc_domain::notification::Language, crate::StoreError> {
    language_of(ctx, &opc_domain::console::SessionSubject::Account(partner.account_id().clone())).await
}

/// An email to `to` through the outbox, created `at`.
pub(crate) fn email(to: &str, (subject, body): (String, String), at: opc_domain::Timestamp) -> Notification {
    Notification {
        id: opc_domain::NotificationId::from_random(random()),
        channel: Channel::Email,
        recipient: to.to_owned(),
        subject,
        body,
        created_at: at,
    }
}

pub fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes
}
