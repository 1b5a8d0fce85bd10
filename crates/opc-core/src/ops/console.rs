//! Console accounts and sessions: registration (R-ACCT-15 … R-ACCT-17), sign-in and sign-out of
//! accounts and operator staff, and resolving a session token to its user.

use crate::store::Constraint;
use opc_domain::account::{Account, AccountName};
use opc_domain::audit::{Action, Actor, AuditEvent, Subject};
use opc_domain::console::{
    login_locked, NewAccountError, NewAccountLink, Registration, RegistrationForm, Session, SessionSubject, Staff,
};
use opc_domain::console::{LOGIN_FAILURES_MAX, LOGIN_FAILURE_WINDOW};
use opc_domain::customer::Email;
use opc_domain::notification::Language;
use opc_domain::organization::{Member, Role};
use opc_domain::partner::Partner;
use opc_domain::text::DisplayName;
use opc_domain::{AccountId, AuditEventId, Millis, StaffId};
use sha2::{Digest, Sha256};

use super::customers::code_accepted;
use super::{random, Context};
use crate::passwords::PasswordError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("the email is already registered")]
    EmailTaken,
    #[error("the verification code is wrong or expired; send a new one")]
    BadVerificationCode,
    /// Deliberately the same for an unknown login and a wrong password.
    #[error("the login or the password is wrong")]
    BadCredentials,
    #[error("sign in first: the session is missing, expired or signed out")]
    NoSession,
    #[error("too many failed sign-ins: try again in 15 minutes")]
    Locked,
    #[error("the new-account link is unknown")]
    UnknownLink,
    #[error("the account has no email to verify; bind one first")]
    NoEmail,
    #[error(transparent)]
    NewAccount(#[from] NewAccountError),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Who is signed in to the console.
#[derive(Clone, Debug)]
pub enum ConsoleUser {
    Account {
        account: Box<Account>,
        partner: Option<Box<Partner>>,
    },
    Staff(Staff),
    /// A member of a partner's organization, with its partner and role (R-ORG-02).
    Member {
        member: Box<Member>,
        partner: Box<Partner>,
        role: Option<Box<Role>>,
    },
}

impl ConsoleUser {
    /// Who this is, as its sessions name it.
    pub fn subject(&self) -> SessionSubject {
        match self {
            ConsoleUser::Account { account, .. } => SessionSubject::Account(account.id().clone()),
            ConsoleUser::Member { member, .. } => SessionSubject::Member(member.id().clone()),
            ConsoleUser::Staff(staff) => SessionSubject::Staff(staff.id.clone()),
        }
    }
}

/// The language the person chose in the console's header, if any (issue 17).
pub async fn language(ctx: &Context, who: &SessionSubject) -> Result<Option<Language>, ConsoleError> {
    Ok(ctx.store.language(who).await?)
}

/// Keeps the person's choice of language for its next sessions and the emails it receives.
pub async fn choose_language(ctx: &Context, who: &SessionSubject, language: Language) -> Result<(), ConsoleError> {
    Ok(ctx.store.set_language(who, language, ctx.clock.now()).await?)
}

/// Registers a cloud account (a HUAWEI ID with cloud services, now or later).
pub async fn register(ctx: &Context, form: &RegistrationForm<'_>) -> Result<Account, ConsoleError> {
    register_account(ctx, form, None).await
}

/// R-ACCT-13: sends a verification code to the signed-in account's own email, the first step
/// of the "register a new account" flow (from CSP "View Cause").
pub async fn start_new_account(ctx: &Context, account: &Account, lang: Language) -> Result<(), ConsoleError> {
    let email = own_email(account)?;
    let actor = Actor::Customer(account.id().clone());
    super::customers::queue_verification_code(ctx, email, None, lang, actor, None).await?;
    Ok(())
}

/// R-ACCT-13: checks the code sent to the account's email and issues a link, valid 24 hours,
/// for registering the new account. Returns the link's token (shown once; stored hashed).
pub async fn verify_new_account(
    ctx: &Context,
    account: &Account,
    code: &str,
) -> Result<(String, NewAccountLink), ConsoleError> {
    let email = own_email(account)?;
    let now = ctx.clock.now();
    if !code_accepted(ctx, &email, code.trim(), now).await? {
        return Err(ConsoleError::BadVerificationCode);
    }
    let token = hex::encode(random::<32>());
    let link = NewAccountLink::issue(token_sha256(&token), account.id().clone(), email.clone(), now);
    let audit = [AuditEvent {
        id: AuditEventId::from_random(random()),
        at: now,
        actor: Actor::Customer(account.id().clone()),
        on_behalf_of: None,
        partner: None,
        action: Action::NewAccountLinkIssued,
        subject: Subject { kind: "account", id: account.id().as_str().to_owned() },
        before: None,
        after: Some(format!("expires_at={}", link.expires_at.to_rfc3339())),
    }];
    ctx.store.insert_new_account_link(&link, &email, &audit).await?;
    Ok((token, link))
}

/// R-ACCT-13, R-ACCT-14: registers the new account through a link, once, within 24 hours, with
/// an email other than the current account's.
pub async fn register_with_link(
    ctx: &Context,
    token: &str,
    form: &RegistrationForm<'_>,
) -> Result<Account, ConsoleError> {
    let link = ctx.store.new_account_link(&token_sha256(token.trim())).await?.ok_or(ConsoleError::UnknownLink)?;
    register_account(ctx, form, Some(&link)).await
}

fn own_email(account: &Account) -> Result<Email, ConsoleError> {
    account.email().and_then(|e| Email::parse(e).ok()).ok_or(ConsoleError::NoEmail)
}

async fn register_account(
    ctx: &Context,
    form: &RegistrationForm<'_>,
    link: Option<&NewAccountLink>,
) -> Result<Account, ConsoleError> {
    let registration =
        Registration::validate(form).map_err(|e| ConsoleError::Invalid { field: e.field, reason: e.reason })?;
    let now = ctx.clock.now();
    if let Some(link) = link {
        link.check(&registration.email, now)?;
    }
    if ctx.store.account_by_email(&registration.email).await?.is_some() {
        return Err(ConsoleError::EmailTaken);
    }
    if !code_accepted(ctx, &registration.email, form.verification_code.trim(), now).await? {
        return Err(ConsoleError::BadVerificationCode);
    }
    let id = AccountId::from_random(random());
    let mut account =
        Account::new_registered(id.clone(), login_name(&registration.email, &id), registration.country, now);
    account.set_login(Some(registration.email.as_str().to_owned()), Some(ctx.passwords.hash(form.password).await?));
    if !registration.enable_services {
        account.postpone_services();
    }
    let audit = [AuditEvent {
        id: AuditEventId::from_random(random()),
        at: now,
        actor: Actor::Customer(account.id().clone()),
        on_behalf_of: None,
        partner: None,
        action: Action::AccountRegistered,
        subject: Subject { kind: "account", id: account.id().as_str().to_owned() },
        before: None,
        after: Some(format!(
            "country={} services_enabled={}",
            account.country().as_str(),
            registration.enable_services
        )),
    }];
    let uses_link = link.map(|l| (l.token_sha256.as_str(), now));
    ctx.store.register_account(&account, &registration.email, uses_link, &audit).await.map_err(|e| match e {
        StoreError::Conflict { constraint: Constraint::NewAccountLinkUsed } => NewAccountError::Used.into(),
        StoreError::Conflict { .. } => ConsoleError::EmailTaken,
        other => other.into(),
    })?;
    tracing::info!(account.id = %account.id(), "Registered an account");
    Ok(account)
}

/// A unique login name for a new account: letters of the email's local part and the start of
/// the account id (the person signs in with the email anyway).
fn login_name(email: &Email, id: &AccountId) -> AccountName {
    let local: String =
        email.as_str().split('@').next().unwrap_or("").chars().filter(char::is_ascii_alphanumeric).take(20).collect();
    let prefix =
        if local.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) { local } else { format!("u{local}") };
    AccountName::parse(&format!("{prefix}_{}", &id.as_str()[..8])).expect("a generated login name follows the pattern")
}

/// Signs in with an email (or an account's login name) and password; returns the session
/// token, shown once, and the session.
pub async fn sign_in(ctx: &Context, login: &str, password: &str) -> Result<(String, Session), ConsoleError> {
    let login = login.trim();
    let key = login.to_lowercase();
    let now = ctx.clock.now();
    let window_start = now.plus(Millis(-LOGIN_FAILURE_WINDOW.0));
    // The attempt counts as a failure before its password is checked, atomically with reading
    // the count: concurrent guesses are counted one after the other, so no more than
    // LOGIN_FAILURES_MAX passwords are ever checked within the window (issue 18). Known or
    // not, a login that failed too often is locked alike: nothing is revealed.
    let failures = ctx.store.count_login_attempt(&key, now, window_start, LOGIN_FAILURES_MAX).await?;
    if login_locked(failures) {
        return Err(ConsoleError::Locked);
    }
    let found = find_login(ctx, login).await?;
    // An unknown login is checked against a dummy hash: the same time as a real check, so
    // response times do not reveal logins.
    let hash = found.as_ref().map_or(DUMMY_HASH, |(_, hash)| hash.as_str());
    let matches = ctx.passwords.verify(hash, password).await?;
    let subject = match found {
        Some((subject, _)) if matches => subject,
        _ => return Err(ConsoleError::BadCredentials),
    };
    ctx.store.clear_login_failures(&key).await?;
    let token = hex::encode(random::<32>());
    let session = Session::start(token_sha256(&token), subject, ctx.clock.now());
    ctx.store.insert_session(&session).await?;
    Ok((token, session))
}

/// A valid Argon2id hash of a random password, to verify against when the login is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$8n6c2mI0Xa5kI0Y1kqI0b8mXo3OQ2oLk0cF1rM9lZ3A";

async fn find_login(ctx: &Context, login: &str) -> Result<Option<(SessionSubject, String)>, ConsoleError> {
    if let Ok(email) = Email::parse(login) {
        if let Some(account) = ctx.store.account_by_email(&email).await? {
            return Ok(account.password_hash().map(|h| (SessionSubject::Account(account.id().clone()), h.to_owned())));
        }
        if let Some(staff) = ctx.store.staff_by_email(&email).await? {
            return Ok(Some((SessionSubject::Staff(staff.id), staff.password_hash)));
        }
        if let Some(member) = ctx.store.member_by_email(&email).await? {
            return Ok(Some((SessionSubject::Member(member.id().clone()), member.password_hash().to_owned())));
        }
        return Ok(None);
    }
    let Ok(name) = AccountName::parse(login) else { return Ok(None) };
    let account = ctx.store.account_by_name(&name).await?;
    Ok(account.and_then(|a| a.password_hash().map(|h| (SessionSubject::Account(a.id().clone()), h.to_owned()))))
}

pub fn token_sha256(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The user of a live session.
pub async fn user(ctx: &Context, token: &str) -> Result<ConsoleUser, ConsoleError> {
    let session = ctx.store.session(&token_sha256(token)).await?.ok_or(ConsoleError::NoSession)?;
    if !session.is_active(ctx.clock.now()) {
        return Err(ConsoleError::NoSession);
    }
    match session.subject {
        SessionSubject::Account(id) => {
            let account = ctx.store.account(&id).await?.ok_or(ConsoleError::NoSession)?;
            let partner = ctx.store.partner_of_account(&id).await?;
            Ok(ConsoleUser::Account { account: Box::new(account), partner: partner.map(Box::new) })
        }
        SessionSubject::Staff(id) => {
            Ok(ConsoleUser::Staff(ctx.store.staff(&id).await?.ok_or(ConsoleError::NoSession)?))
        }
        SessionSubject::Member(id) => {
            let member = ctx.store.member(&id).await?.ok_or(ConsoleError::NoSession)?;
            let partner = ctx.store.partner(member.partner()).await?.ok_or(ConsoleError::NoSession)?;
            let role = match member.role() {
                Some(r) => ctx.store.roles_of(member.partner()).await?.into_iter().find(|x| x.id() == r),
                None => None,
            };
            Ok(ConsoleUser::Member { member: Box::new(member), partner: Box::new(partner), role: role.map(Box::new) })
        }
    }
}

pub async fn sign_out(ctx: &Context, token: &str) -> Result<(), ConsoleError> {
    Ok(ctx.store.revoke_session(&token_sha256(token), ctx.clock.now()).await?)
}

/// Creates a member of the operator's staff (CLI).
pub async fn create_staff(
    ctx: &Context,
    email: &str,
    name: &str,
    password: &str,
    operator: &str,
) -> Result<Staff, ConsoleError> {
    let email = Email::parse(email).map_err(|e| ConsoleError::Invalid { field: "email", reason: e.to_string() })?;
    let name = DisplayName::parse(name).map_err(|e| ConsoleError::Invalid { field: "name", reason: e.to_string() })?;
    opc_domain::customer::check_password(password, "", Some(email.as_str()))
        .map_err(|e| ConsoleError::Invalid { field: "password", reason: e.to_string() })?;
    let now = ctx.clock.now();
    let staff = Staff {
        id: StaffId::from_random(random()),
        email,
        name,
        password_hash: ctx.passwords.hash(password).await?,
        created_at: now,
        version: 0,
    };
    let audit = [AuditEvent {
        id: AuditEventId::from_random(random()),
        at: now,
        actor: Actor::Operator(operator.to_owned()),
        on_behalf_of: None,
        partner: None,
        action: Action::StaffCreated,
        subject: Subject { kind: "staff", id: staff.id.as_str().to_owned() },
        before: None,
        after: Some(format!("email={}", staff.email.as_str())),
    }];
    ctx.store.insert_staff(&staff, &audit).await.map_err(|e| match e {
        StoreError::Conflict { .. } => {
            ConsoleError::Invalid { field: "email", reason: "is already a staff member's".into() }
        }
        other => other.into(),
    })?;
    Ok(staff)
}

/// Sends a registration verification code to the email (R-ACCT-15), through the outbox.
pub async fn send_registration_code(ctx: &Context, email: &str, lang: Language) -> Result<(), ConsoleError> {
    let email = Email::parse(email).map_err(|e| ConsoleError::Invalid { field: "email", reason: e.to_string() })?;
    let actor = Actor::System;
    super::customers::queue_verification_code(ctx, email, None, lang, actor, None).await?;
    Ok(())
}

/// R-ACCT-19 (a): the signed-in user changes its password with the current one. Every other
/// session of the user is signed out; `session_token` (the caller's) stays.
pub async fn change_password(
    ctx: &Context,
    user: &ConsoleUser,
    session_token: &str,
    current: &str,
    new: &str,
    confirmation: &str,
) -> Result<(), ConsoleError> {
    let subject = user.subject();
    let (hash, name, email) = match user {
        ConsoleUser::Account { account, .. } => (
            account.password_hash().unwrap_or_default().to_owned(),
            account.name().as_str().to_owned(),
            account.email().map(str::to_owned),
        ),
        ConsoleUser::Member { member, .. } => (
            member.password_hash().to_owned(),
            member.name().as_str().to_owned(),
            Some(member.email().as_str().to_owned()),
        ),
        ConsoleUser::Staff(staff) => {
            (staff.password_hash.clone(), staff.name.as_str().to_owned(), Some(staff.email.as_str().to_owned()))
        }
    };
    if !ctx.passwords.verify(&hash, current).await? {
        return Err(ConsoleError::Invalid { field: "current_password", reason: "is wrong".into() });
    }
    let new_hash = new_password_hash(ctx, new, confirmation, &name, email.as_deref()).await?;
    let now = ctx.clock.now();
    let partner = match user {
        ConsoleUser::Member { partner, .. } => Some(partner.id()),
        ConsoleUser::Account { .. } | ConsoleUser::Staff(_) => None,
    };
    let audit = [password_event(now, &subject, partner, "changed")];
    ctx.store.set_password(&subject, &new_hash, Some(&token_sha256(session_token)), None, now, &audit).await?;
    Ok(())
}

/// The password rules (those of registration), the confirmation, and the argon2 hash.
async fn new_password_hash(
    ctx: &Context,
    new: &str,
    confirmation: &str,
    name: &str,
    email: Option<&str>,
) -> Result<String, ConsoleError> {
    opc_domain::customer::check_password(new, name, email)
        .map_err(|e| ConsoleError::Invalid { field: "new_password", reason: e.to_string() })?;
    if new != confirmation {
        return Err(ConsoleError::Invalid {
            field: "new_password_confirmation",
            reason: "does not match the new password".into(),
        });
    }
    Ok(ctx.passwords.hash(new).await?)
}

fn password_event(
    now: opc_domain::Timestamp,
    subject: &SessionSubject,
    partner: Option<&opc_domain::PartnerId>,
    how: &str,
) -> AuditEvent {
    let actor = match subject {
        SessionSubject::Account(id) => Actor::Customer(id.clone()),
        SessionSubject::Member(_) | SessionSubject::Staff(_) => Actor::System,
    };
    let (kind, id) = subject.kind_and_id();
    AuditEvent {
        id: AuditEventId::from_random(random()),
        at: now,
        actor,
        on_behalf_of: None,
        partner: partner.cloned(),
        action: Action::PasswordChanged,
        subject: Subject { kind, id: id.to_owned() },
        before: None,
        after: Some(format!("password {how}; other sessions signed out")),
    }
}

/// The member of the partner whose administrator account is `administrator`, by its name or
/// email (R-ACCT-19 (b) step 2). `None` when any part is unknown.
async fn member_for_reset(ctx: &Context, administrator: &str, user: &str) -> Result<Option<Member>, ConsoleError> {
    let Ok(name) = AccountName::parse(administrator.trim()) else { return Ok(None) };
    let Some(admin) = ctx.store.account_by_name(&name).await? else { return Ok(None) };
    let Some(partner) = ctx.store.partner_of_account(admin.id()).await? else { return Ok(None) };
    let user = user.trim();
    Ok(ctx
        .store
        .members_of(partner.id())
        .await?
        .into_iter()
        .find(|m| m.name().as_str().eq_ignore_ascii_case(user) || m.email().as_str().eq_ignore_ascii_case(user)))
}

/// R-ACCT-19 (b) steps 1–3, "Forgot Password" for an IAM user (organization member): a
/// six-digit code to the member's bound email. The answer is the same whether or not the
/// member exists, so it reveals nothing.
pub async fn start_member_password_reset(
    ctx: &Context,
    administrator: &str,
    user: &str,
    lang: Language,
) -> Result<(), ConsoleError> {
    if let Some(member) = member_for_reset(ctx, administrator, user).await? {
        let actor = Actor::System;
        let partner = member.partner().clone();
        super::customers::queue_verification_code(ctx, member.email().clone(), None, lang, actor, Some(&partner))
            .await?;
    }
    Ok(())
}

/// R-ACCT-19 (b) step 4: the code and the new password twice. The code is used up, and every
/// session of the member is signed out.
pub async fn reset_member_password(
    ctx: &Context,
    administrator: &str,
    user: &str,
    code: &str,
    new: &str,
    confirmation: &str,
) -> Result<(), ConsoleError> {
    let now = ctx.clock.now();
    let Some(member) = member_for_reset(ctx, administrator, user).await? else {
        return Err(ConsoleError::BadVerificationCode);
    };
    if !super::customers::code_accepted(ctx, member.email(), code.trim(), now).await? {
        return Err(ConsoleError::BadVerificationCode);
    }
    let hash = new_password_hash(ctx, new, confirmation, member.name().as_str(), Some(member.email().as_str())).await?;
    let subject = SessionSubject::Member(member.id().clone());
    let audit = [password_event(now, &subject, Some(member.partner()), "reset with an emailed code")];
    ctx.store.set_password(&subject, &hash, None, Some(member.email()), now, &audit).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passwords::verify_blocking;
    use argon2::password_hash::PasswordHash;

    #[test]
    fn the_dummy_hash_is_a_real_argon2_hash_so_unknown_logins_cost_the_same() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!verify_blocking(DUMMY_HASH, "anything"));
    }
}
