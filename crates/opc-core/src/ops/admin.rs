//! Operator administration: enroll partners directly, issue and revoke access keys.

use opc_domain::access_key::{AccessKey, KeyError, KeyState, SecretKey};
use opc_domain::account::{Account, AccountName};
use opc_domain::audit::{Action, Actor, AuditEvent, Subject};
use opc_domain::customer::Email;
use opc_domain::partner::{EnrollError, OperatorEnrollment, Partner, PartnerStateError, Program};
use opc_domain::text::{CountryCode, DisplayName};
use opc_domain::{AccessKeyId, AccountId, AuditEventId, MemberId, Money, PartnerId, Timestamp};

use super::{audit_text, random, Context};
use crate::store::{SealedAccessKey, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("partner {0} does not exist")]
    PartnerNotFound(String),
    #[error("access key {0} does not exist")]
    KeyNotFound(String),
    #[error("account {0} does not exist")]
    AccountNotFound(String),
    #[error(transparent)]
    Enroll(#[from] EnrollError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    PartnerState(#[from] PartnerStateError),
    #[error("the change conflicts with existing data ({0})")]
    Conflict(crate::store::Constraint),
    #[error(transparent)]
    Password(#[from] crate::passwords::PasswordError),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for AdminError {
    fn from(e: StoreError) -> AdminError {
        match e {
            StoreError::Conflict { constraint } => AdminError::Conflict(constraint),
            other => AdminError::Store(other),
        }
    }
}

pub struct CreatePartner<'a> {
    pub name: &'a str,
    pub country: &'a str,
    pub program: Program,
    pub distributor: Option<&'a str>,
    /// The partner account's console sign-in: its email and password (none: no sign-in).
    pub login: Option<(&'a str, &'a str)>,
    /// Who is acting, for the audit trail.
    pub operator: &'a str,
}

/// The new partner and its first key pair. The secret is shown to the operator once and kept
/// only sealed.
#[derive(Debug)]
pub struct CreatedPartner {
    pub partner: Partner,
    pub account: Account,
    pub access_key: AccessKeyId,
    pub secret_key: SecretKey,
}

/// Creates an enrolled partner: an audited operator override of the HCPN and program flow.
pub async fn create_partner(ctx: &Context, cmd: CreatePartner<'_>) -> Result<CreatedPartner, AdminError> {
    let name = DisplayName::parse(cmd.name).map_err(|e| invalid("name", e))?;
    let country = CountryCode::parse(cmd.country).map_err(|e| invalid("country", e))?;
    let distributor = match cmd.distributor {
        Some(text) => Some(load_partner(ctx, text).await?),
        None => None,
    };
    let now = ctx.clock.now();
    let account_id = AccountId::from_random(random());
    let account_name = AccountName::parse(&format!("partner-{}", &account_id.as_str()[..12]))
        .expect("a generated account name follows the pattern");
    let mut account = Account::new_registered(account_id.clone(), account_name, country.clone(), now);
    if let Some((email, password)) = cmd.login {
        let email = Email::parse(email).map_err(|e| invalid("email", e))?;
        if ctx.store.account_by_email(&email).await?.is_some() {
            return Err(invalid("email", "is already registered"));
        }
        opc_domain::customer::check_password(password, account.name().as_str(), Some(email.as_str()))
            .map_err(|e| invalid("password", e))?;
        account.set_login(Some(email.as_str().to_owned()), Some(ctx.passwords.hash(password).await?));
        account.set_account_type(opc_domain::account::AccountType::Enterprise);
    }
    let partner = Partner::enroll_by_operator(
        OperatorEnrollment {
            id: PartnerId::from_random(random()),
            account_id,
            name,
            country,
            program: cmd.program,
            distributor: distributor.as_ref(),
        },
        now,
    )?;
    let (sealed, secret_key) = mint_key(ctx, Some(partner.id()), partner.account_id(), None, now);
    let actor = Actor::Operator(cmd.operator.to_owned());
    let audit = [
        audit_event(
            now,
            actor.clone(),
            Some(partner.id()),
            Action::PartnerEnrolled,
            "partner",
            partner.id().as_str(),
            None,
            Some(describe_enrollment(&partner)),
        ),
        key_created_event(now, actor, &sealed.key),
    ];
    ctx.store.insert_partner(&account, &partner, &sealed, &audit).await?;
    tracing::info!(partner.id = %partner.id(), access_key = %sealed.key.id(), "Enrolled partner {}", partner.id());
    Ok(CreatedPartner { access_key: sealed.key.id().clone(), partner, account, secret_key })
}

/// Issues a new key pair to an existing partner.
pub async fn create_key(ctx: &Context, partner: &str, operator: &str) -> Result<(AccessKey, SecretKey), AdminError> {
    let partner = load_partner(ctx, partner).await?;
    let now = ctx.clock.now();
    let (sealed, secret_key) = mint_key(ctx, Some(partner.id()), partner.account_id(), None, now);
    let audit = [key_created_event(now, Actor::Operator(operator.to_owned()), &sealed.key)];
    ctx.store.insert_access_key(&sealed, &audit).await?;
    tracing::info!(partner.id = %partner.id(), access_key = %sealed.key.id(), "Issued access key");
    Ok((sealed.key, secret_key))
}

/// Revokes a key: requests signed with it are refused from now on.
pub async fn revoke_key(ctx: &Context, access_key: &str, operator: &str) -> Result<AccessKey, AdminError> {
    let id = AccessKeyId::parse(access_key).map_err(|_| AdminError::KeyNotFound(access_key.to_owned()))?;
    let stored = ctx.store.access_key(&id).await?.ok_or_else(|| AdminError::KeyNotFound(access_key.to_owned()))?;
    revoke(ctx, stored.key, Actor::Operator(operator.to_owned())).await
}

/// Revokes `key` on behalf of `actor`, who has been authorized for it.
pub(crate) async fn revoke(ctx: &Context, key: AccessKey, actor: Actor) -> Result<AccessKey, AdminError> {
    let now = ctx.clock.now();
    let mut key = key;
    let before = key.state();
    key.revoke(now)?;
    let after = key.state();
    let audit = [key_event(
        now,
        actor,
        &key,
        Action::AccessKeyRevoked,
        Some(describe_key_state(before)),
        describe_key_state(after),
    )];
    ctx.store.update_access_key(&key, &audit).await?;
    key.saved();
    tracing::info!(account.id = %key.account(), access_key = %key.id(), "Revoked access key");
    Ok(key)
}

async fn load_partner(ctx: &Context, text: &str) -> Result<Partner, AdminError> {
    let id = PartnerId::parse(text).map_err(|_| AdminError::PartnerNotFound(text.to_owned()))?;
    ctx.store.partner(&id).await?.ok_or_else(|| AdminError::PartnerNotFound(text.to_owned()))
}

pub(crate) fn mint_key(
    ctx: &Context,
    partner: Option<&PartnerId>,
    account: &AccountId,
    member: Option<&MemberId>,
    now: Timestamp,
) -> (SealedAccessKey, SecretKey) {
    let secret = SecretKey::from_random(random());
    let key =
        AccessKey::issue(AccessKeyId::from_random(random()), partner.cloned(), account.clone(), member.cloned(), now);
    let sealed_secret = ctx.master_key.seal(&secret, key.id());
    (SealedAccessKey { key, sealed_secret }, secret)
}

pub(crate) fn key_created_event(now: Timestamp, actor: Actor, key: &AccessKey) -> AuditEvent {
    let member = key.member().map_or_else(String::new, |m| format!(" member={m}"));
    key_event(
        now,
        actor,
        key,
        Action::AccessKeyCreated,
        None,
        format!("{} account={}{member}", describe_key_state(key.state()), key.account()),
    )
}

/// An event about a key, in its partner's scope (none for a customer's key).
fn key_event(
    now: Timestamp,
    actor: Actor,
    key: &AccessKey,
    action: Action,
    before: Option<String>,
    after: String,
) -> AuditEvent {
    AuditEvent {
        id: AuditEventId::from_random(random()),
        at: now,
        actor,
        on_behalf_of: None,
        partner: key.partner().cloned(),
        action,
        subject: Subject { kind: "access_key", id: key.id().as_str().to_owned() },
        before,
        after: Some(after),
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn audit_event(
    at: Timestamp,
    actor: Actor,
    partner: Option<&PartnerId>,
    action: Action,
    subject_kind: &'static str,
    subject_id: &str,
    before: Option<String>,
    after: Option<String>,
) -> AuditEvent {
    AuditEvent {
        id: AuditEventId::from_random(random()),
        at,
        actor,
        on_behalf_of: None,
        partner: partner.cloned(),
        action,
        subject: Subject { kind: subject_kind, id: subject_id.to_owned() },
        before,
        after,
    }
}

fn describe_enrollment(p: &Partner) -> String {
    let programs: Vec<String> = p
        .enrollments()
        .iter()
        .map(|e| format!("{}/{}", audit_text::program(e.program), audit_text::tier(e.tier)))
        .collect();
    let distributor = p.distributor().map_or("none", |d| d.as_str());
    format!("programs={} distributor={distributor} state={}", programs.join(","), audit_text::partner_state(p.state()))
}

fn describe_key_state(s: KeyState) -> String {
    match s {
        KeyState::Active => "state=active".to_owned(),
        KeyState::Revoked { at } => format!("state=revoked revoked_at={at}"),
    }
}

fn invalid(field: &'static str, e: impl std::fmt::Display) -> AdminError {
    AdminError::Invalid { field, reason: e.to_string() }
}

/// Issues a key pair to a customer account, for the customer-side reads of the BSS API.
pub async fn create_customer_key(
    ctx: &Context,
    account: &str,
    operator: &str,
) -> Result<(AccessKey, SecretKey), AdminError> {
    let not_found = || AdminError::AccountNotFound(account.to_owned());
    let id = AccountId::parse(account).map_err(|_| not_found())?;
    let account = ctx.store.account(&id).await?.ok_or_else(not_found)?;
    let now = ctx.clock.now();
    let (sealed, secret_key) = mint_key(ctx, None, account.id(), None, now);
    let audit = [key_created_event(now, Actor::Operator(operator.to_owned()), &sealed.key)];
    ctx.store.insert_access_key(&sealed, &audit).await?;
    tracing::info!(account.id = %account.id(), access_key = %sealed.key.id(), "Issued a customer access key");
    Ok((sealed.key, secret_key))
}

/// What the operator does to a partner's account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartnerChange {
    /// R-QUOTA-10 `Normal/Restricted → Frozen`. Its customers, and a distributor's resellers
    /// and their customers, are frozen with it (R-DIST-05) for as long as it lasts.
    Freeze,
    /// `Frozen → Normal`.
    Unfreeze,
    /// R-QUOTA-02, R-QUOTA-07: set the consumption quota.
    Quota(Money),
}

/// Applies an operator change to a partner's account.
pub async fn change_partner(
    ctx: &Context,
    partner: &str,
    change: PartnerChange,
    operator: &str,
) -> Result<Partner, AdminError> {
    let mut partner = load_partner(ctx, partner).await?;
    let before = describe_partner_state(&partner);
    let action = match change {
        PartnerChange::Freeze => {
            partner.freeze()?;
            Action::PartnerFrozen
        }
        PartnerChange::Unfreeze => {
            partner.unfreeze()?;
            Action::PartnerUnfrozen
        }
        PartnerChange::Quota(amount) if amount.is_negative() => {
            return Err(AdminError::Invalid { field: "amount", reason: "must not be negative".into() })
        }
        PartnerChange::Quota(amount) => {
            partner.set_consumption_quota(amount);
            // R-QUOTA-07, R-QUOTA-10: a quota raised above what the reseller customers have
            // spent ends the restriction that exceeding the old one brought.
            let spent = super::accounts::quota_used(ctx, partner.id()).await?;
            if partner.restriction_ends(spent) {
                partner.lift_restriction()?;
            }
            Action::ConsumptionQuotaSet
        }
    };
    let now = ctx.clock.now();
    let audit = [audit_event(
        now,
        Actor::Operator(operator.to_owned()),
        Some(partner.id()),
        action,
        "partner",
        partner.id().as_str(),
        Some(before),
        Some(describe_partner_state(&partner)),
    )];
    ctx.store.update_partner(&partner, &audit).await?;
    partner.saved();
    tracing::info!(partner.id = %partner.id(), ?change, "Changed partner");
    Ok(partner)
}

fn describe_partner_state(p: &Partner) -> String {
    format!("state={} consumption_quota={}", audit_text::partner_state(p.state()), p.consumption_quota())
}
