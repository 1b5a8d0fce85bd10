//! Dedicated personnel (R-ORG-05 … R-ORG-13): the administrator invites a HUAWEI ID by login
//! ID, the person accepts through the emailed link within 7 days and then maintains its own
//! information; the administrator may cancel the association.

use crate::store::Constraint;
use opc_domain::account::{Account, AccountName, AccountType, RealNameStatus};
use opc_domain::audit::{Action, Actor};
use opc_domain::console::Staff;
use opc_domain::credential::{Certificate, CertificateKind, CredentialError, Source};
use opc_domain::notification::{templates, Language, Notification};
use opc_domain::partner::Partner;
use opc_domain::personnel::{
    verify, Personnel, PersonnelError, PersonnelState, Profile, VerificationCause, VerificationFacts,
};
use opc_domain::{AccountId, PartnerId};

use super::admin::audit_event;
use super::console::token_sha256;
use super::{audit_text, email, random, Context};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum PersonnelOpError {
    /// R-ORG-06.
    #[error("the login ID cannot be found")]
    LoginIdNotFound,
    /// R-ORG-07 … R-ORG-10, every failing one.
    #[error("{}", describe(.0))]
    VerificationFailed(Vec<VerificationCause>),
    #[error(transparent)]
    State(#[from] PersonnelError),
    #[error("there is no such invitation or person")]
    NotFound,
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error(transparent)]
    Credential(#[from] CredentialError),
    /// R-ORG-17.
    #[error("the certificate is bound to an account already: unbind it there first (R-ORG-17)")]
    CertificateTaken,
    #[error("the record changed meanwhile; retry")]
    Concurrent,
    #[error(transparent)]
    Store(StoreError),
}

fn describe(causes: &[VerificationCause]) -> String {
    causes.iter().map(|c| format!("{} ({})", c.message(), c.rule())).collect::<Vec<_>>().join(" ")
}

impl From<StoreError> for PersonnelOpError {
    fn from(e: StoreError) -> PersonnelOpError {
        match e {
            StoreError::Conflict { .. } => PersonnelOpError::Concurrent,
            other => PersonnelOpError::Store(other),
        }
    }
}

/// R-ORG-07 … R-ORG-10 for `person` and `partner`, read now.
async fn verification(
    ctx: &Context,
    partner: &PartnerId,
    person: &Account,
) -> Result<Vec<VerificationCause>, PersonnelOpError> {
    let now = ctx.clock.now();
    let records = ctx.store.personnel_of_account(person.id()).await?;
    let others = || records.iter().filter(|p| p.partner() != partner);
    let facts = VerificationFacts {
        enterprise_authenticated: person.account_type() == AccountType::Enterprise
            && person.real_name() == RealNameStatus::Verified,
        associated_with_another_partner: others().any(|p| matches!(p.state(), PersonnelState::Associated { .. })),
        is_partner_account: ctx.store.partner_of_account(person.id()).await?.is_some(),
        other_partners_this_year: others().filter(|p| p.associated_within_window(now)).count(),
    };
    Ok(verify(&facts))
}

/// R-ORG-05, R-ORG-06, R-ORG-11: the administrator invites the HUAWEI ID whose login ID
/// (tenant name) is `login_id`; an expired or cancelled person is invited again. The link goes
/// to the person's email through the outbox and back to the administrator to share.
pub async fn invite(
    ctx: &Context,
    partner: &Partner,
    login_id: &str,
    lang: Language,
) -> Result<(Personnel, String), PersonnelOpError> {
    let name = AccountName::parse(login_id.trim()).map_err(|_| PersonnelOpError::LoginIdNotFound)?;
    let person = ctx.store.account_by_name(&name).await?.ok_or(PersonnelOpError::LoginIdNotFound)?;
    let causes = verification(ctx, partner.id(), &person).await?;
    if !causes.is_empty() {
        return Err(PersonnelOpError::VerificationFailed(causes));
    }
    let now = ctx.clock.now();
    let token = hex::encode(random::<16>());
    let existing = ctx.store.personnel_of_account(person.id()).await?.into_iter().find(|p| p.partner() == partner.id());
    let (mut personnel, expected) = match &existing {
        None => (Personnel::invite(partner.id().clone(), person.id().clone(), token_sha256(&token), now), None),
        Some(p) => (p.reinvite(token_sha256(&token), now)?, Some(p.version())),
    };
    let PersonnelState::Invited { expires_at } = personnel.state() else {
        unreachable!("an invitation is in the Invited state")
    };
    let link = ctx.link(&format!("/personnel-invitations/{token}"));
    let notifications: Vec<Notification> = person
        .email()
        .iter()
        .map(|to| email(to, templates::personnel_invitation(lang, partner.name().as_str(), &link, expires_at), now))
        .collect();
    let audit = [audit_event(
        now,
        Actor::Customer(partner.account_id().clone()),
        Some(partner.id()),
        Action::PersonnelInvited,
        "personnel",
        person.id().as_str(),
        None,
        Some(format!("expires_at={expires_at}")),
    )];
    ctx.store.save_personnel(&personnel, expected, &notifications, &audit).await?;
    if expected.is_some() {
        personnel.saved();
    }
    Ok((personnel, token))
}

/// The invitation a link's `token` carries, for `person` to read before accepting: its record and
/// the partner that sent it. Someone else's link reveals nothing (`None`), as an unknown one.
pub async fn invitation(
    ctx: &Context,
    person: &Account,
    token: &str,
) -> Result<Option<(Personnel, Partner)>, PersonnelOpError> {
    let found = ctx.store.personnel_by_token(&token_sha256(token.trim())).await?;
    let Some(personnel) = found.filter(|p| p.account() == person.id()) else { return Ok(None) };
    Ok(ctx.store.partner(personnel.partner()).await?.map(|partner| (personnel, partner)))
}

/// R-ORG-13 `Invited → Associated`: the invited person, signed in, accepts. Verification is
/// made again: the person's situation may have changed since the invitation.
pub async fn accept(ctx: &Context, person: &Account, token: &str) -> Result<Personnel, PersonnelOpError> {
    let current = ctx.store.personnel_by_token(&token_sha256(token.trim())).await?;
    // Someone else's link reveals nothing.
    let current = current.filter(|p| p.account() == person.id()).ok_or(PersonnelOpError::NotFound)?;
    let now = ctx.clock.now();
    let mut accepted = current.accept(now)?;
    let causes = verification(ctx, current.partner(), person).await?;
    if !causes.is_empty() {
        return Err(PersonnelOpError::VerificationFailed(causes));
    }
    let audit = [audit_event(
        now,
        Actor::Customer(person.id().clone()),
        Some(current.partner()),
        Action::PersonnelAssociated,
        "personnel",
        person.id().as_str(),
        Some("invited".into()),
        Some("associated".into()),
    )];
    ctx.store.save_personnel(&accepted, Some(current.version()), &[], &audit).await?;
    accepted.saved();
    Ok(accepted)
}

/// R-ORG-05, R-ORG-13 `Associated → Unassociated`: the administrator cancels.
pub async fn cancel(ctx: &Context, partner: &Partner, person: &str) -> Result<Personnel, PersonnelOpError> {
    let current = record(ctx, partner.id(), person).await?;
    let now = ctx.clock.now();
    let mut cancelled = current.cancel(now)?;
    let audit = [audit_event(
        now,
        Actor::Customer(partner.account_id().clone()),
        Some(partner.id()),
        Action::PersonnelUnassociated,
        "personnel",
        current.account().as_str(),
        Some("associated".into()),
        Some("unassociated".into()),
    )];
    ctx.store.save_personnel(&cancelled, Some(current.version()), &[], &audit).await?;
    cancelled.saved();
    Ok(cancelled)
}

async fn record(ctx: &Context, partner: &PartnerId, person: &str) -> Result<Personnel, PersonnelOpError> {
    let id = AccountId::parse(person).map_err(|_| PersonnelOpError::NotFound)?;
    ctx.store
        .personnel_of_account(&id)
        .await?
        .into_iter()
        .find(|p| p.partner() == partner)
        .ok_or(PersonnelOpError::NotFound)
}

/// The partner's personnel and invitations, and the certificates of those associated now
/// (R-ORG-14: bound to the partner for as long as the association lasts).
pub async fn of_partner(
    ctx: &Context,
    partner: &Partner,
) -> Result<(Vec<Personnel>, Vec<Certificate>), PersonnelOpError> {
    let personnel = ctx.store.personnel_of_partner(partner.id()).await?;
    let associated: Vec<AccountId> = personnel
        .iter()
        .filter(|p| matches!(p.state(), PersonnelState::Associated { .. }))
        .map(|p| p.account().clone())
        .collect();
    let certificates = ctx.store.certificates_of(&associated).await?;
    Ok((personnel, certificates))
}

/// The signed-in person's certificates.
pub async fn certificates_of(ctx: &Context, person: &Account) -> Result<Vec<Certificate>, PersonnelOpError> {
    Ok(ctx.store.certificates_of(std::slice::from_ref(person.id())).await?)
}

/// Binds a certificate to `account`, audited as `actor`.
async fn bind(ctx: &Context, certificate: Certificate, actor: Actor) -> Result<Certificate, PersonnelOpError> {
    let audit = [audit_event(
        certificate.bound_at,
        actor,
        None,
        Action::CertificateBound,
        "account",
        certificate.account.as_str(),
        None,
        Some(format!(
            "{} {} source={}",
            audit_text::certificate_kind(certificate.kind),
            certificate.number,
            audit_text::certificate_source(certificate.source)
        )),
    )];
    ctx.store.bind_certificate(&certificate, &audit).await.map_err(|e| match e {
        StoreError::Conflict { constraint: Constraint::CertificateNumber } => PersonnelOpError::CertificateTaken,
        other => other.into(),
    })?;
    Ok(certificate)
}

/// R-ORG-16: the person uploads an HCIX certificate to its HUAWEI ID (never a Cloud Migration
/// one, R-ORG-15). A number bound anywhere already must be unbound there first (R-ORG-17).
///
/// `kind` is `None` for a kind this system does not know (read at the edge).
pub async fn upload_certificate(
    ctx: &Context,
    person: &Account,
    kind: Option<CertificateKind>,
    number: &str,
) -> Result<Certificate, PersonnelOpError> {
    let kind = kind.ok_or_else(|| PersonnelOpError::Invalid {
        field: "kind",
        reason: "must be hcia, hcip, hcie or cloud_migration".into(),
    })?;
    let certificate = Certificate::bind(number, kind, person.id().clone(), Source::Uploaded, ctx.clock.now())?;
    bind(ctx, certificate, Actor::Customer(person.id().clone())).await
}

/// R-ORG-15: the Developer Institute's synchronization binds a certificate, by the operator.
pub async fn synchronize_certificate(
    ctx: &Context,
    staff: &Staff,
    account: &str,
    kind: Option<CertificateKind>,
    number: &str,
) -> Result<Certificate, PersonnelOpError> {
    let id = AccountId::parse(account).map_err(|_| PersonnelOpError::NotFound)?;
    let person = ctx.store.account(&id).await?.ok_or(PersonnelOpError::NotFound)?;
    let kind = kind.ok_or_else(|| PersonnelOpError::Invalid {
        field: "kind",
        reason: "must be hcia, hcip, hcie or cloud_migration".into(),
    })?;
    let certificate = Certificate::bind(number, kind, person.id().clone(), Source::Synchronized, ctx.clock.now())?;
    bind(ctx, certificate, Actor::Operator(staff.email.as_str().to_owned())).await
}

/// R-ORG-17: the person unbinds one of its certificates, to bind it to another account.
pub async fn unbind_certificate(ctx: &Context, person: &Account, number: &str) -> Result<(), PersonnelOpError> {
    let number = number.trim().to_ascii_uppercase();
    let audit = [audit_event(
        ctx.clock.now(),
        Actor::Customer(person.id().clone()),
        None,
        Action::CertificateUnbound,
        "account",
        person.id().as_str(),
        Some(number.clone()),
        None,
    )];
    ctx.store.unbind_certificate(person.id(), &number, &audit).await.map_err(|e| match e {
        StoreError::NotFound => PersonnelOpError::NotFound,
        other => other.into(),
    })
}

/// The partners the signed-in person is invited by or associated with.
pub async fn of_person(ctx: &Context, person: &Account) -> Result<Vec<Personnel>, PersonnelOpError> {
    Ok(ctx.store.personnel_of_account(person.id()).await?)
}

/// R-ORG-12: an associated person maintains its position and employment information (its
/// certificates are its own: [`upload_certificate`]).
pub async fn update_profile(
    ctx: &Context,
    person: &Account,
    partner: &str,
    position: &str,
    employment: &str,
) -> Result<Personnel, PersonnelOpError> {
    let partner = PartnerId::parse(partner).map_err(|_| PersonnelOpError::NotFound)?;
    let current = record(ctx, &partner, person.id().as_str()).await?;
    let profile =
        Profile::parse(position, employment).map_err(|(field, reason)| PersonnelOpError::Invalid { field, reason })?;
    let mut updated = current.update_profile(profile)?;
    let now = ctx.clock.now();
    let audit = [audit_event(
        now,
        Actor::Customer(person.id().clone()),
        Some(&partner),
        Action::PersonnelProfileUpdated,
        "personnel",
        person.id().as_str(),
        None,
        Some(format!("position={} employment={}", updated.profile().position, updated.profile().employment)),
    )];
    ctx.store.save_personnel(&updated, Some(current.version()), &[], &audit).await?;
    updated.saved();
    Ok(updated)
}
