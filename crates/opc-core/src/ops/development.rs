//! Customer development (R-DEV-*) and the association lifecycle seen from both sides
//! (R-ASSOC-*): pre-registration, invitations, acceptance by registering or signing in with
//! every failing precaution reported, My Partner, and disassociation requests.

use crate::store::Constraint;
use opc_domain::account::{Account, FreezeCause};
use opc_domain::association::{Association, AssociationModel};
use opc_domain::audit::{Action, Actor};
use opc_domain::budget::{BudgetOperation, BudgetRecord};
use opc_domain::console::{Registration, RegistrationForm};
use opc_domain::customer::Email;
use opc_domain::development::{
    association_causes, can_develop_customers, cross_country_unregistered, pre_register as decide_pre_registration,
    preregistered_by_other, AcceptanceError, AssociationCause, AssociationFacts, DecisionError, DevelopmentError,
    DisassociationReason, DisassociationRequest, Initiator, Invitation, InvitationChannel, InvitationToken,
    PreRegistration, PreRegistrationError, PreRegistrationState, RequestError, RequestState, EMAIL_INVITATION_VALIDITY,
};
use opc_domain::notification::{templates, Language, Notification};
use opc_domain::partner::{Partner, PartnerState};
use opc_domain::AccountId;

use super::admin::audit_event;
use super::customers::code_accepted;
use super::{audit_text, email, random, Context};
use crate::store::{Acceptance, Disassociation, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum DevError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error(transparent)]
    Development(#[from] DevelopmentError),
    #[error(transparent)]
    PreRegistration(#[from] PreRegistrationError),
    #[error("the invitation does not exist")]
    NoInvitation,
    #[error(transparent)]
    Acceptance(#[from] AcceptanceError),
    #[error(transparent)]
    Revoke(#[from] opc_domain::development::RevokeError),
    /// R-ASSOC-11: every failing precaution, with its recommended solution.
    #[error("{}", describe(.0))]
    Ineligible(Vec<AssociationCause>),
    #[error("the email is already registered: sign in and accept an online invitation instead")]
    EmailTaken,
    #[error("the verification code is wrong or expired; send a new one")]
    BadVerificationCode,
    #[error(transparent)]
    Request(#[from] RequestError),
    #[error(transparent)]
    Decision(#[from] DecisionError),
    #[error("there is no pending disassociation request")]
    NoRequest,
    #[error("customer {0} is not your customer")]
    NotYourCustomer(String),
    #[error("the association changed meanwhile; retry")]
    Concurrent,
    #[error("a verification code is required: the partner has enabled the verification-code function (R-ASSOC-26)")]
    CodeRequired,
    #[error("the partner's account has no email to send verification codes to")]
    NoEmail,
    #[error(transparent)]
    Password(#[from] crate::passwords::PasswordError),
    #[error(transparent)]
    Store(StoreError),
}

fn describe(causes: &[AssociationCause]) -> String {
    let list: Vec<String> = causes.iter().map(|c| format!("{} ({}) Fix: {}", c.message(), c.rule(), c.fix())).collect();
    format!("the account cannot be associated: {}", list.join(" "))
}

impl From<StoreError> for DevError {
    fn from(e: StoreError) -> DevError {
        match e {
            // R-ASSOC-02, raced: another association was written first.
            StoreError::Conflict { constraint: Constraint::CurrentAssociation } => {
                DevError::Ineligible(vec![AssociationCause::AlreadyAssociated])
            }
            StoreError::Conflict { constraint: Constraint::AccountName } => DevError::EmailTaken,
            StoreError::Conflict { .. } => DevError::Concurrent,
            other => DevError::Store(other),
        }
    }
}

/// R-DIST-05: a partner is frozen when it, or its distributor, is.
async fn frozen(ctx: &Context, partner: &Partner) -> Result<bool, DevError> {
    if partner.state() == PartnerState::Frozen {
        return Ok(true);
    }
    match partner.distributor() {
        Some(d) => Ok(ctx.store.partner(d).await?.is_some_and(|d| d.state() == PartnerState::Frozen)),
        None => Ok(false),
    }
}

/// R-DEV-05: pre-registers a potential customer by email, exclusive for 15 days.
pub async fn pre_register(ctx: &Context, partner: &Partner, email: &str) -> Result<PreRegistration, DevError> {
    can_develop_customers(partner, frozen(ctx, partner).await?)?;
    let email = Email::parse(email).map_err(|e| DevError::Invalid { field: "email", reason: e.to_string() })?;
    let now = ctx.clock.now();
    let others = ctx.store.pre_registrations_for(&email).await?;
    let pre = decide_pre_registration(partner.id().clone(), email.clone(), &others, now)?;
    let audit = [audit_event(
        now,
        Actor::Customer(partner.account_id().clone()),
        Some(partner.id()),
        Action::CustomerPreRegistered,
        "account",
        email.as_str(),
        None,
        Some(format!("until={}", pre.expires_at)),
    )];
    ctx.store.insert_pre_registration(&pre, &audit).await?;
    Ok(pre)
}

pub async fn pre_registrations(ctx: &Context, partner: &Partner) -> Result<Vec<PreRegistration>, DevError> {
    Ok(ctx.store.pre_registrations_of(partner.id()).await?)
}

/// How a partner invites (R-DEV-01).
pub enum InviteBy<'a> {
    Email(&'a str),
    Link,
    QrCode,
}

/// R-DEV-01, R-DEV-08: an email invitation (queued in the outbox, expiring) or a permanent
/// link or QR code.
pub async fn invite(
    ctx: &Context,
    partner: &Partner,
    by: InviteBy<'_>,
    model: AssociationModel,
    lang: Language,
) -> Result<Invitation, DevError> {
    can_develop_customers(partner, frozen(ctx, partner).await?)?;
    let now = ctx.clock.now();
    let token = InvitationToken::from_random(random());
    let invitation = match by {
        InviteBy::Email(to) => {
            let to = Email::parse(to).map_err(|e| DevError::Invalid { field: "email", reason: e.to_string() })?;
            Invitation::by_email(token, partner.id().clone(), model, to, EMAIL_INVITATION_VALIDITY, now)
        }
        InviteBy::Link => Invitation::by_link(token, partner.id().clone(), model, now),
        InviteBy::QrCode => Invitation::by_qr_code(token, partner.id().clone(), model, now),
    };
    let notifications: Vec<Notification> = match &invitation.channel {
        InvitationChannel::Email { to, expires_at } => vec![email(
            to.as_str(),
            templates::invitation(
                lang,
                partner.name().as_str(),
                &ctx.link(&format!("/invitations/{}", invitation.token.as_str())),
                model == AssociationModel::Reseller,
                *expires_at,
            ),
            now,
        )],
        InvitationChannel::Link | InvitationChannel::QrCode => vec![],
    };
    let audit = [audit_event(
        now,
        Actor::Customer(partner.account_id().clone()),
        Some(partner.id()),
        Action::InvitationCreated,
        "invitation",
        &invitation.token.as_str()[..8],
        None,
        Some(format!("model={}", audit_text::association_model(model))),
    )];
    ctx.store.insert_invitation(&invitation, &notifications, &audit).await?;
    Ok(invitation)
}

pub async fn invitations(ctx: &Context, partner: &Partner) -> Result<Vec<Invitation>, DevError> {
    Ok(ctx.store.invitations_of(partner.id()).await?)
}

/// Issue 17: the partner revokes one of its invitations; no one can accept it afterwards.
pub async fn revoke_invitation(ctx: &Context, partner: &Partner, token: &str) -> Result<Invitation, DevError> {
    let token = InvitationToken::parse(token).map_err(|_| DevError::NoInvitation)?;
    let mut invitation =
        ctx.store.invitation(&token).await?.filter(|i| &i.partner == partner.id()).ok_or(DevError::NoInvitation)?;
    let now = ctx.clock.now();
    invitation.revoke(now)?;
    let audit = [audit_event(
        now,
        Actor::Customer(partner.account_id().clone()),
        Some(partner.id()),
        Action::InvitationRevoked,
        "invitation",
        &invitation.token.as_str()[..8],
        None,
        Some("revoked".to_owned()),
    )];
    ctx.store.revoke_invitation(&invitation, &audit).await?;
    Ok(invitation)
}

/// An invitation and its partner, for the page the customer opens (anyone with the token).
pub async fn invitation(ctx: &Context, token: &str) -> Result<(Invitation, Partner), DevError> {
    let token = InvitationToken::parse(token).map_err(|_| DevError::NoInvitation)?;
    let invitation = ctx.store.invitation(&token).await?.ok_or(DevError::NoInvitation)?;
    let partner = ctx.store.partner(&invitation.partner).await?.ok_or(DevError::NoInvitation)?;
    Ok((invitation, partner))
}

/// What the customer agrees to when accepting.
pub struct Consents {
    /// R-ASSOC-18: the Instructions for Associating with a Huawei Cloud Partner (reseller model).
    pub association_instructions: bool,
    /// R-ASSOC-19: the optional Customer Authorization Letter.
    pub authorization_letter: bool,
    /// R-ASSOC-20: the Customer Agreement, to enable cloud services if they are not yet.
    pub customer_agreement: bool,
    /// R-ASSOC-21: the language of the association email.
    pub lang: Language,
}

/// R-ASSOC-20 "Register for Association": registers a new account and associates it.
pub async fn accept_by_registering(
    ctx: &Context,
    token: &str,
    form: &RegistrationForm<'_>,
    consents: &Consents,
) -> Result<(Account, Association), DevError> {
    let (invitation, partner) = invitation(ctx, token).await?;
    let registration =
        Registration::validate(form).map_err(|e| DevError::Invalid { field: e.field, reason: e.reason })?;
    if !registration.enable_services {
        return Err(DevError::Invalid {
            field: "enable_services",
            reason: "association takes effect once cloud services are enabled (R-ASSOC-20)".into(),
        });
    }
    let now = ctx.clock.now();
    if ctx.store.account_by_email(&registration.email).await?.is_some() {
        return Err(DevError::EmailTaken);
    }
    if !code_accepted(ctx, &registration.email, form.verification_code.trim(), now).await? {
        return Err(DevError::BadVerificationCode);
    }
    let id = AccountId::from_random(random());
    let name = opc_domain::account::AccountName::parse(&format!("cust_{}", &id.as_str()[..16]))
        .expect("a generated name follows the pattern");
    let mut account = Account::new_registered(id, name, registration.country, now);
    account.set_login(Some(registration.email.as_str().to_owned()), Some(ctx.passwords.hash(form.password).await?));
    let association =
        associate(ctx, &invitation, &partner, &mut account, true, consents, Some(&registration.email)).await?;
    Ok((account, association))
}

/// R-ASSOC-20 "Login for Association": associates the signed-in account (an online, emailed
/// invitation only, R-DEV-09).
pub async fn accept_by_login(
    ctx: &Context,
    token: &str,
    account: &Account,
    consents: &Consents,
) -> Result<Association, DevError> {
    let (invitation, partner) = invitation(ctx, token).await?;
    let mut account = account.clone();
    associate(ctx, &invitation, &partner, &mut account, false, consents, None).await
}

async fn associate(
    ctx: &Context,
    invitation: &Invitation,
    partner: &Partner,
    account: &mut Account,
    new_account: bool,
    consents: &Consents,
    consumes_codes_of: Option<&Email>,
) -> Result<Association, DevError> {
    let now = ctx.clock.now();
    can_develop_customers(partner, frozen(ctx, partner).await?)?;
    invitation.check_acceptance(new_account, consents.association_instructions, now)?;
    if account.services_enabled_at().is_none() {
        if !consents.customer_agreement {
            return Err(DevError::Invalid {
                field: "accepts_customer_agreement",
                reason: "association takes effect once cloud services are enabled: accept the Customer Agreement (R-ASSOC-20)".into(),
            });
        }
        account.enable_services(now);
    }
    let email = account.email().and_then(|e| Email::parse(e).ok());
    let pre_registrations = match &email {
        Some(e) => ctx.store.pre_registrations_for(e).await?,
        None => vec![],
    };
    let own_pre_registration_live = pre_registrations.iter().any(|p| p.partner == *partner.id() && p.is_live(now));
    let facts = AssociationFacts {
        current_partner: ctx.store.association_of(account.id()).await?.map(|a| a.partner().clone()),
        preregistered_by_other: email
            .as_ref()
            .is_some_and(|e| preregistered_by_other(partner.id(), e, &pre_registrations, now)),
        cross_country_unregistered: cross_country_unregistered(
            ctx.policy.cross_country_pre_registration,
            partner,
            account,
            own_pre_registration_live,
        ),
    };
    let causes = association_causes(invitation.model, account, &facts, now);
    if !causes.is_empty() {
        return Err(DevError::Ineligible(causes));
    }
    let (association, freeze) = Association::begin(account.id().clone(), partner.id().clone(), invitation.model, now);
    if let Some(freeze) = freeze {
        account.set_freeze(freeze);
    }
    let own_pre_registration =
        pre_registrations.iter().find(|p| p.partner == *partner.id() && p.is_live(now)).map(|p| {
            let mut p = p.clone();
            p.state = PreRegistrationState::Associated { at: now };
            p
        });
    // R-ASSOC-21: the customer is told by email.
    let notifications: Vec<Notification> = email
        .iter()
        .map(|e| {
            super::email(
                e.as_str(),
                templates::association(
                    consents.lang,
                    account.name().as_str(),
                    partner.name().as_str(),
                    invitation.model == AssociationModel::Reseller,
                ),
                now,
            )
        })
        .collect();
    let audit = [audit_event(
        now,
        Actor::Customer(account.id().clone()),
        Some(partner.id()),
        Action::CustomerAssociated,
        "customer",
        account.id().as_str(),
        None,
        Some(format!(
            "model={} by_invitation frozen={}",
            audit_text::association_model(invitation.model),
            account.is_frozen()
        )),
    )];
    ctx.store
        .accept_invitation(&Acceptance {
            new_account: new_account.then_some(&*account),
            existing_account: (!new_account).then_some(&*account),
            association: &association,
            invitation: &invitation.token,
            authorized: consents.authorization_letter,
            pre_registration: own_pre_registration.as_ref(),
            consumes_codes_of,
            notifications: &notifications,
            audit: &audit,
        })
        .await?;
    if !new_account {
        account.saved();
    }
    Ok(association)
}

/// R-ASSOC-22 "My Partner": the customer's current association and its partner.
pub async fn my_partner(
    ctx: &Context,
    account: &AccountId,
) -> Result<Option<(Association, Partner, Option<DisassociationRequest>)>, DevError> {
    let Some(association) = ctx.store.association_of(account).await? else { return Ok(None) };
    let partner = ctx.store.partner(association.partner()).await?.ok_or(DevError::Store(StoreError::NotFound))?;
    let pending = ctx.store.pending_disassociation(account).await?;
    Ok(Some((association, partner, pending)))
}

/// R-ASSOC-27, R-ASSOC-29: the customer asks to disassociate.
pub async fn request_by_customer(
    ctx: &Context,
    account: &AccountId,
    reason: &str,
) -> Result<DisassociationRequest, DevError> {
    let association = ctx.store.association_of(account).await?.ok_or(DevError::Request(RequestError::NotAssociated))?;
    start_request(ctx, association, Initiator::Customer, reason, Actor::Customer(account.clone())).await
}

/// R-ASSOC-27: the partner asks to disassociate from one of its customers.
pub async fn request_by_partner(
    ctx: &Context,
    partner: &Partner,
    customer: &str,
    reason: &str,
) -> Result<DisassociationRequest, DevError> {
    let not_yours = || DevError::NotYourCustomer(customer.to_owned());
    let id = AccountId::parse(customer).map_err(|_| not_yours())?;
    let association =
        ctx.store.association_of(&id).await?.filter(|a| *a.partner() == *partner.id()).ok_or_else(not_yours)?;
    start_request(ctx, association, Initiator::Partner, reason, Actor::Customer(partner.account_id().clone())).await
}

async fn start_request(
    ctx: &Context,
    association: Association,
    by: Initiator,
    reason: &str,
    actor: Actor,
) -> Result<DisassociationRequest, DevError> {
    let reason = DisassociationReason::parse(reason)
        .map_err(|e| DevError::Invalid { field: "reason", reason: e.to_string() })?;
    let partner = ctx.store.partner(association.partner()).await?.ok_or(DevError::Store(StoreError::NotFound))?;
    let now = ctx.clock.now();
    let request = DisassociationRequest::request(&association, by, reason, frozen(ctx, &partner).await?, now)?;
    let association =
        association.disassociation_requested().map_err(|_| DevError::Request(RequestError::AlreadyPending))?;
    let audit = [audit_event(
        now,
        actor,
        Some(partner.id()),
        Action::DisassociationRequested,
        "customer",
        request.customer().as_str(),
        None,
        Some(format!("by={} reason={}", audit_text::initiator(by), request.reason().as_str())),
    )];
    ctx.store.save_disassociation(&request, None, &association, None, None, &audit).await?;
    Ok(request)
}

/// The partner's administrator decides a customer's request (R-ASSOC-25).
pub async fn decide_by_partner(
    ctx: &Context,
    partner: &Partner,
    customer: &str,
    approve: bool,
    verification_code: Option<&str>,
) -> Result<DisassociationRequest, DevError> {
    let id = AccountId::parse(customer).map_err(|_| DevError::NoRequest)?;
    let mut request = ctx
        .store
        .pending_disassociation(&id)
        .await?
        .filter(|r| r.partner() == partner.id())
        .ok_or(DevError::NoRequest)?;
    let confirmed_by = critical_operation_confirmed(ctx, partner, verification_code).await?;
    request.decide_by_partner_admin(approve, frozen(ctx, partner).await?, ctx.clock.now())?;
    let actor = Actor::Customer(partner.account_id().clone());
    finish_request(ctx, request, actor, confirmed_by.as_ref()).await
}

/// R-ASSOC-26: with the verification-code function enabled, a critical operation needs a code
/// sent to the partner's email; returns that email, whose codes the operation uses up.
async fn critical_operation_confirmed(
    ctx: &Context,
    partner: &Partner,
    code: Option<&str>,
) -> Result<Option<Email>, DevError> {
    if !ctx.store.critical_operation_protection(partner.id()).await? {
        return Ok(None);
    }
    let code = code.map(str::trim).filter(|c| !c.is_empty()).ok_or(DevError::CodeRequired)?;
    check_partner_code(ctx, partner, code).await.map(Some)
}

async fn check_partner_code(ctx: &Context, partner: &Partner, code: &str) -> Result<Email, DevError> {
    let email = partner_email(ctx, partner).await?;
    if !code_accepted(ctx, &email, code.trim(), ctx.clock.now()).await? {
        return Err(DevError::BadVerificationCode);
    }
    Ok(email)
}

/// The email of the partner's (administrator) account, where critical-operation codes go.
async fn partner_email(ctx: &Context, partner: &Partner) -> Result<Email, DevError> {
    let account = ctx.store.account(partner.account_id()).await?.ok_or(DevError::Store(StoreError::NotFound))?;
    account.email().and_then(|e| Email::parse(e).ok()).ok_or(DevError::NoEmail)
}

/// R-ASSOC-26: sends a critical-operation verification code to the partner's email.
pub async fn send_critical_operation_code(ctx: &Context, partner: &Partner, lang: Language) -> Result<(), DevError> {
    let email = partner_email(ctx, partner).await?;
    let actor = Actor::Customer(partner.account_id().clone());
    super::customers::queue_verification_code(ctx, email, None, lang, actor, Some(partner.id())).await?;
    Ok(())
}

/// Whether the partner has enabled the verification-code function (R-ASSOC-26).
pub async fn critical_operation_protection(ctx: &Context, partner: &Partner) -> Result<bool, DevError> {
    Ok(ctx.store.critical_operation_protection(partner.id()).await?)
}

/// R-ASSOC-26: enables or disables the verification-code function; either way is confirmed by a
/// code sent to the partner's email, so a stolen session cannot switch the protection off.
pub async fn set_critical_operation_protection(
    ctx: &Context,
    partner: &Partner,
    enabled: bool,
    code: &str,
) -> Result<(), DevError> {
    let email = check_partner_code(ctx, partner, code).await?;
    let now = ctx.clock.now();
    let audit = [audit_event(
        now,
        Actor::Customer(partner.account_id().clone()),
        Some(partner.id()),
        Action::CriticalOperationProtectionSet,
        "partner",
        partner.id().as_str(),
        None,
        Some(format!("enabled={enabled}")),
    )];
    let since = enabled.then_some(now);
    ctx.store.set_critical_operation_protection(partner.id(), since, &email, &audit).await?;
    Ok(())
}

/// The customer confirms or refuses its partner's request (R-ASSOC-27).
pub async fn decide_by_customer(
    ctx: &Context,
    account: &AccountId,
    approve: bool,
) -> Result<DisassociationRequest, DevError> {
    let mut request = ctx.store.pending_disassociation(account).await?.ok_or(DevError::NoRequest)?;
    let partner = ctx.store.partner(request.partner()).await?.ok_or(DevError::Store(StoreError::NotFound))?;
    request.decide_by_customer(approve, frozen(ctx, &partner).await?, ctx.clock.now())?;
    finish_request(ctx, request, Actor::Customer(account.clone()), None).await
}

/// Stores `decided` (a request its decider has just decided) and what its decision brings.
async fn finish_request(
    ctx: &Context,
    decided: DisassociationRequest,
    actor: Actor,
    code_of: Option<&Email>,
) -> Result<DisassociationRequest, DevError> {
    let (request, state) = (&decided, decided.state());
    let now = ctx.clock.now();
    let association = ctx.store.association_of(request.customer()).await?.ok_or(DevError::NoRequest)?;
    let approved = matches!(state, RequestState::Approved { .. });
    let association = association.disassociation_decided(approved, now).map_err(|_| DevError::NoRequest)?;
    let mut account = ctx.store.account(request.customer()).await?.ok_or(DevError::NoRequest)?;
    let budget = ctx.store.budget(request.customer()).await?;
    // Once disassociated, the partner's freezes and budget no longer apply; the budget removal
    // is recorded as a DELETE (B1.2.2).
    let budget_record = budget.filter(|_| approved).map(|b| BudgetRecord {
        customer: b.customer().clone(),
        partner: b.partner().clone(),
        operation: BudgetOperation::Delete,
        budget_type: b.budget_type(),
        amount: b.amount(),
        operator: "system".into(),
        partner_corp_name: String::new(),
        partner_account_name: String::new(),
        at: now,
    });
    if approved && account.freeze().is_some_and(|f| f.cause != FreezeCause::PartnerFrozen) {
        account.lift_freeze();
    }
    // A reseller customer's balance goes back to the partner that funded it (BEUNBIND).
    let mut unbound: Option<(Vec<opc_domain::funds::Balance>, Vec<opc_domain::funds::Entry>)> = None;
    if approved && association.model() == opc_domain::association::AssociationModel::Reseller {
        use opc_domain::funds::{unbind, Holder, Posting};
        let holders = [Holder::Customer(request.customer().clone()), Holder::Partner(request.partner().clone())];
        let mut balances = ctx.store.balances(&holders).await?;
        let posting = Posting {
            id: hex::encode(super::random::<16>()),
            transfer: hex::encode(super::random::<16>()),
            at: now,
            memo: "Returned at disassociation".into(),
        };
        if let [customer_balance, partner_balance] = balances.as_mut_slice() {
            if let Some(entries) = unbind(customer_balance, partner_balance, &posting)
                .map_err(|e| DevError::Store(StoreError::Unavailable(anyhow::anyhow!("unbinding the balance: {e}"))))?
            {
                unbound = Some((balances, entries.to_vec()));
            }
        }
    }
    let ended = approved.then_some(Disassociation {
        account: &account,
        budget_record: budget_record.as_ref(),
        unbind: unbound.as_ref().map(|(b, e)| (b.as_slice(), e.as_slice())),
    });
    let action = if approved { Action::DisassociationApproved } else { Action::DisassociationRejected };
    let audit = [audit_event(
        now,
        actor,
        Some(request.partner()),
        action,
        "customer",
        request.customer().as_str(),
        None,
        Some(format!("state={}", audit_text::request_state(state))),
    )];
    ctx.store.save_disassociation(&decided, Some(request.version()), &association, ended, code_of, &audit).await?;
    account.saved();
    Ok(decided)
}

/// R-ASSOC-25, R-ASSOC-28: the partner's association records.
pub async fn association_records(
    ctx: &Context,
    partner: &Partner,
) -> Result<Vec<(DisassociationRequest, Option<Account>)>, DevError> {
    let requests = ctx.store.disassociation_requests_of(partner.id()).await?;
    let mut records = Vec::with_capacity(requests.len());
    for r in requests {
        let account = ctx.store.account(r.customer()).await?;
        records.push((r, account));
    }
    Ok(records)
}

/// One association record with every field R-ASSOC-28 lists: the request, the customer's
/// account, and from the association it is about (the one current when it was made) its model
/// and account manager.
#[derive(Clone, Debug)]
pub struct AssociationRecord {
    pub request: DisassociationRequest,
    pub account: Option<Account>,
    pub model: Option<AssociationModel>,
    pub account_manager: Option<opc_domain::organization::Member>,
}

/// R-ASSOC-25, R-ASSOC-28: the partner's association records with the association's model and
/// account manager, newest first.
pub async fn association_record_details(ctx: &Context, partner: &Partner) -> Result<Vec<AssociationRecord>, DevError> {
    let members = ctx.store.members_of(partner.id()).await?;
    let mut details = vec![];
    for (request, account) in association_records(ctx, partner).await? {
        let association = ctx.store.association_at(request.customer(), partner.id(), request.requested_at()).await?;
        let manager = association.as_ref().and_then(|a| a.account_manager());
        let account_manager = manager.and_then(|id| members.iter().find(|m| m.id() == id)).cloned();
        details.push(AssociationRecord { request, account, model: association.map(|a| a.model()), account_manager });
    }
    Ok(details)
}
