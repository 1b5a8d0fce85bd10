//! Dedicated personnel (R-ORG-05 … R-ORG-13): the administrator invites a HUAWEI ID by login
//! ID, the person accepts through the emailed link within 7 days and then maintains its own
//! information; the administrator may cancel the association.

use opc_domain::account::{Account, AccountName, AccountType, RealNameStatus};
use opc_domain::audit::{Action, Actor};
use opc_domain::notification::{templates, Channel, Language, Notification};
use opc_domain::partner::Partner;
use opc_domain::personnel::{
    verify, Personnel, PersonnelError, PersonnelState, Profile, VerificationCause, VerificationFacts,
};
use opc_domain::{AccountId, NotificationId, PartnerId};

use super::admin::audit_event;
use super::console::token_sha256;
use super::{random, Context};
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
    let records = ctx.store.personnel_of_account(&person.id).await?;
    let others = || records.iter().filter(|p| &p.partner != partner);
    let facts = VerificationFacts {
        enterprise_authenticated: person.account_type == AccountType::Enterprise
            && person.real_name == RealNameStatus::Verified,
        associated_with_another_partner: others().any(|p| matches!(p.state, PersonnelState::Associated { .. })),
        is_partner_account: ctx.store.partner_of_account(&person.id).await?.is_some(),
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
    let causes = verification(ctx, &partner.id, &person).await?;
    if !causes.is_empty() {
        return Err(PersonnelOpError::VerificationFailed(causes));
    }
    let now = ctx.clock.now();
    let token = hex::encode(random::<16>());
    let existing = ctx.store.personnel_of_account(&person.id).await?.into_iter().find(|p| p.partner == partner.id);
    let (personnel, expected) = match &existing {
        None => (Personnel::invite(partner.id.clone(), person.id.clone(), token_sha256(&token), now), None),
        Some(p) => (p.reinvite(token_sha256(&token), now)?, Some(p.version)),
    };
    let PersonnelState::Invited { expires_at } = personnel.state else {
        unreachable!("an invitation is in the Invited state")
    };
    let notifications: Vec<Notification> = person
        .email
        .iter()
        .map(|to| {
            let (subject, body) = templates::personnel_invitation(lang, partner.name.as_str(), &token, expires_at);
            Notification {
                id: NotificationId::from_random(random()),
                channel: Channel::Email,
                recipient: to.clone(),
                subject,
                body,
                created_at: now,
            }
        })
        .collect();
    let audit = [audit_event(
        now,
        Actor::Customer(partner.account_id.clone()),
        Some(&partner.id),
        Action::PersonnelInvited,
        "personnel",
        person.id.as_str(),
        None,
        Some(format!("expires_at={expires_at}")),
    )];
    ctx.store.save_personnel(&personnel, expected, &notifications, &audit).await?;
    Ok((Personnel { version: expected.map_or(0, |v| v + 1), ..personnel }, token))
}

/// R-ORG-13 `Invited → Associated`: the invited person, signed in, accepts. Verification is
/// made again: the person's situation may have changed since the invitation.
pub async fn accept(ctx: &Context, person: &Account, token: &str) -> Result<Personnel, PersonnelOpError> {
    let current = ctx.store.personnel_by_token(&token_sha256(token.trim())).await?;
    // Someone else's link reveals nothing.
    let current = current.filter(|p| p.account == person.id).ok_or(PersonnelOpError::NotFound)?;
    let now = ctx.clock.now();
    let accepted = current.accept(now)?;
    let causes = verification(ctx, &current.partner, person).await?;
    if !causes.is_empty() {
        return Err(PersonnelOpError::VerificationFailed(causes));
    }
    let audit = [audit_event(
        now,
        Actor::Customer(person.id.clone()),
        Some(&current.partner),
        Action::PersonnelAssociated,
        "personnel",
        person.id.as_str(),
        Some("invited".into()),
        Some("associated".into()),
    )];
    ctx.store.save_personnel(&accepted, Some(current.version), &[], &audit).await?;
    Ok(Personnel { version: current.version + 1, ..accepted })
}

/// R-ORG-05, R-ORG-13 `Associated → Unassociated`: the administrator cancels.
pub async fn cancel(ctx: &Context, partner: &Partner, person: &str) -> Result<Personnel, PersonnelOpError> {
    let current = record(ctx, &partner.id, person).await?;
    let now = ctx.clock.now();
    let cancelled = current.cancel(now)?;
    let audit = [audit_event(
        now,
        Actor::Customer(partner.account_id.clone()),
        Some(&partner.id),
        Action::PersonnelUnassociated,
        "personnel",
        current.account.as_str(),
        Some("associated".into()),
        Some("unassociated".into()),
    )];
    ctx.store.save_personnel(&cancelled, Some(current.version), &[], &audit).await?;
    Ok(Personnel { version: current.version + 1, ..cancelled })
}

async fn record(ctx: &Context, partner: &PartnerId, person: &str) -> Result<Personnel, PersonnelOpError> {
    let id = AccountId::parse(person).map_err(|_| PersonnelOpError::NotFound)?;
    ctx.store
        .personnel_of_account(&id)
        .await?
        .into_iter()
        .find(|p| &p.partner == partner)
        .ok_or(PersonnelOpError::NotFound)
}

/// The partner's personnel and invitations.
pub async fn of_partner(ctx: &Context, partner: &Partner) -> Result<Vec<Personnel>, PersonnelOpError> {
    Ok(ctx.store.personnel_of_partner(&partner.id).await?)
}

/// The partners the signed-in person is invited by or associated with.
pub async fn of_person(ctx: &Context, person: &Account) -> Result<Vec<Personnel>, PersonnelOpError> {
    Ok(ctx.store.personnel_of_account(&person.id).await?)
}

/// R-ORG-12: an associated person maintains its position, certificates and employment.
pub async fn update_profile(
    ctx: &Context,
    person: &Account,
    partner: &str,
    profile: (&str, &[String], &str),
) -> Result<Personnel, PersonnelOpError> {
    let partner = PartnerId::parse(partner).map_err(|_| PersonnelOpError::NotFound)?;
    let current = record(ctx, &partner, person.id.as_str()).await?;
    let profile = Profile::parse(profile.0, profile.1, profile.2)
        .map_err(|(field, reason)| PersonnelOpError::Invalid { field, reason })?;
    let updated = current.update_profile(profile)?;
    let now = ctx.clock.now();
    let audit = [audit_event(
        now,
        Actor::Customer(person.id.clone()),
        Some(&partner),
        Action::PersonnelProfileUpdated,
        "personnel",
        person.id.as_str(),
        None,
        Some(format!("position={} certificates={}", updated.profile.position, updated.profile.certificates.join(","))),
    )];
    ctx.store.save_personnel(&updated, Some(current.version), &[], &audit).await?;
    Ok(Personnel { version: current.version + 1, ..updated })
}
