//! A partner's organization (R-ORG-*): custom roles, members, account managers and directors,
//! and which customers each sees (R-ORG-19).

use crate::store::Constraint;
use opc_domain::access_key::{AccessKey, KeyError, SecretKey};
use opc_domain::association::Association;
use opc_domain::audit::{Action, Actor};
use opc_domain::customer::Email;
use opc_domain::organization::{visibility, Member, OrgError, Permission, Position, Role, Visibility};
use opc_domain::partner::Partner;
use opc_domain::{AccessKeyId, AccountId, MemberId, RoleId};

use super::admin::{audit_event, key_created_event, mint_key, revoke, AdminError};
use super::{audit_text, random, Context};
use crate::store::{CustomerQuery, CustomerView, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum OrganizationError {
    #[error(transparent)]
    Org(#[from] OrgError),
    #[error("{0} is not in your organization")]
    NotFound(&'static str),
    #[error("customer {0} is not your customer")]
    NotYourCustomer(String),
    #[error("the change conflicts with another one; retry")]
    Concurrent,
    #[error("the access key is already revoked")]
    AlreadyRevoked,
    #[error(transparent)]
    Password(#[from] crate::passwords::PasswordError),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for OrganizationError {
    fn from(e: StoreError) -> OrganizationError {
        match e {
            StoreError::Conflict { constraint: Constraint::MemberEmail } => {
                OrganizationError::Org(OrgError::EmailRegistered)
            }
            StoreError::Conflict { .. } => OrganizationError::Concurrent,
            other => OrganizationError::Store(other),
        }
    }
}

fn actor(partner: &Partner) -> Actor {
    Actor::Customer(partner.account_id().clone())
}

pub async fn create_role(
    ctx: &Context,
    partner: &Partner,
    name: &str,
    permissions: &[Result<Permission, &str>],
) -> Result<Role, OrganizationError> {
    let now = ctx.clock.now();
    let role = Role::new(RoleId::from_random(random()), partner.id().clone(), name, permissions, now)?;
    let after = role.permissions().iter().map(|p| audit_text::permission(*p)).collect::<Vec<_>>().join(",");
    let audit = [audit_event(
        now,
        actor(partner),
        Some(partner.id()),
        Action::RoleCreated,
        "partner",
        role.id().as_str(),
        None,
        Some(after),
    )];
    ctx.store.insert_role(&role, &audit).await?;
    Ok(role)
}

pub async fn roles(ctx: &Context, partner: &Partner) -> Result<Vec<Role>, OrganizationError> {
    Ok(ctx.store.roles_of(partner.id()).await?)
}

/// R-ORG-02: the administrator creates a member; R-ORG-03/04: not with a registered email.
pub async fn create_member(
    ctx: &Context,
    partner: &Partner,
    name: &str,
    email: &str,
    password: &str,
    position: Position,
) -> Result<Member, OrganizationError> {
    let registered = match Email::parse(email) {
        Ok(e) => {
            ctx.store.account_by_email(&e).await?.is_some()
                || ctx.store.member_by_email(&e).await?.is_some()
                || ctx.store.staff_by_email(&e).await?.is_some()
        }
        Err(_) => false,
    };
    let problems = Member::problems(name, email, password, registered);
    if !problems.is_empty() {
        return Err(OrgError::Problems(problems).into());
    }
    let hash = ctx.passwords.hash(password).await?;
    let now = ctx.clock.now();
    let member = Member::create(
        MemberId::from_random(random()),
        partner.id().clone(),
        name,
        email,
        hash,
        position,
        registered,
        now,
    )?;
    let audit = [audit_event(
        now,
        actor(partner),
        Some(partner.id()),
        Action::MemberCreated,
        "member",
        member.id().as_str(),
        None,
        Some(format!("position={}", audit_text::position(position))),
    )];
    ctx.store.insert_member(&member, &audit).await?;
    Ok(member)
}

pub async fn members(ctx: &Context, partner: &Partner) -> Result<Vec<Member>, OrganizationError> {
    Ok(ctx.store.members_of(partner.id()).await?)
}

async fn member_of(ctx: &Context, partner: &Partner, id: &str) -> Result<Member, OrganizationError> {
    let id = MemberId::parse(id).map_err(|_| OrganizationError::NotFound("the member"))?;
    ctx.store
        .member(&id)
        .await?
        .filter(|m| m.partner() == partner.id())
        .ok_or(OrganizationError::NotFound("the member"))
}

/// Assigns a role (R-ORG-02) and, for an account manager, its director.
pub async fn update_member(
    ctx: &Context,
    partner: &Partner,
    member: &str,
    role: Option<&str>,
    director: Option<&str>,
) -> Result<Member, OrganizationError> {
    let mut m = member_of(ctx, partner, member).await?;
    if let Some(role) = role {
        let id = RoleId::parse(role).map_err(|_| OrganizationError::NotFound("the role"))?;
        ctx.store
            .roles_of(partner.id())
            .await?
            .into_iter()
            .find(|r| *r.id() == id)
            .ok_or(OrganizationError::NotFound("the role"))?;
        m.assign_role(id);
    }
    if let Some(director) = director {
        let d = member_of(ctx, partner, director).await?;
        m.report_to(&d)?;
    }
    let now = ctx.clock.now();
    let audit = [audit_event(
        now,
        actor(partner),
        Some(partner.id()),
        Action::MemberUpdated,
        "member",
        m.id().as_str(),
        None,
        Some(format!(
            "role={} director={}",
            m.role().map_or("none", |r| r.as_str()),
            m.director().map_or("none", |d| d.as_str())
        )),
    )];
    ctx.store.update_member(&m, &audit).await?;
    m.saved();
    Ok(m)
}

/// R-RCM-01: assigns the customer to an account manager of the organization.
pub async fn assign_account_manager(
    ctx: &Context,
    partner: &Partner,
    customer: &str,
    manager: &str,
) -> Result<Association, OrganizationError> {
    let m = member_of(ctx, partner, manager).await?;
    if m.position() != Position::AccountManager {
        return Err(OrgError::NotAManager.into());
    }
    let not_yours = || OrganizationError::NotYourCustomer(customer.to_owned());
    let id = AccountId::parse(customer).map_err(|_| not_yours())?;
    let association =
        ctx.store.association_of(&id).await?.filter(|a| *a.partner() == *partner.id()).ok_or_else(not_yours)?;
    let association = association.managed_by(m.id().clone());
    let now = ctx.clock.now();
    let audit = [audit_event(
        now,
        actor(partner),
        Some(partner.id()),
        Action::AccountManagerAssigned,
        "customer",
        id.as_str(),
        None,
        Some(format!("account_manager={}", m.id())),
    )];
    ctx.store.set_account_manager(&association, &audit).await?;
    Ok(association)
}

/// R-ORG-19: the customers a member may see (all of them for the partner itself).
pub async fn visible_customers(
    ctx: &Context,
    partner: &Partner,
    member: Option<&Member>,
    mut query: CustomerQuery,
) -> Result<(Vec<CustomerView>, u64), OrganizationError> {
    if let Some(member) = member {
        let everyone = ctx.store.members_of(partner.id()).await?;
        if let Visibility::ManagedBy(ids) = visibility(member, &everyone) {
            query.account_managers = Some(ids);
        }
    }
    Ok(ctx.store.customers_of(partner.id(), &query).await?)
}

/// Who manages access keys in the console: the administrator (every key of the partner) or a
/// member (its own keys only).
fn may_manage_key(by: Option<&Member>, key: &AccessKey, partner: &Partner) -> bool {
    key.partner() == Some(partner.id()) && by.is_none_or(|m| key.member() == Some(m.id()))
}

/// Issues an access key for the BSS API. The administrator (`by` = `None`) issues the
/// partner's own keys, or keys for one of its members (`for_member`); a member issues keys for
/// itself only. A member's key acts with that member's permissions and customer visibility
/// (R-ORG-02, R-ORG-19). The secret is returned once and never again.
pub async fn create_access_key(
    ctx: &Context,
    partner: &Partner,
    by: Option<&Member>,
    for_member: Option<&str>,
) -> Result<(AccessKey, SecretKey), OrganizationError> {
    let member = match (by, for_member) {
        (None, None) => None,
        (None, Some(id)) => Some(member_of(ctx, partner, id).await?.id().clone()),
        (Some(me), None) => Some(me.id().clone()),
        (Some(me), Some(id)) if id == me.id().as_str() => Some(me.id().clone()),
        (Some(_), Some(_)) => return Err(OrganizationError::NotFound("member")),
    };
    let now = ctx.clock.now();
    let (sealed, secret) = mint_key(ctx, Some(partner.id()), partner.account_id(), member.as_ref(), now);
    let audit = [key_created_event(now, actor(partner), &sealed.key)];
    ctx.store.insert_access_key(&sealed, &audit).await?;
    Ok((sealed.key, secret))
}

/// The keys the caller manages: all the partner's for the administrator, its own for a member.
pub async fn access_keys(
    ctx: &Context,
    partner: &Partner,
    by: Option<&Member>,
) -> Result<Vec<AccessKey>, OrganizationError> {
    let keys = ctx.store.access_keys_of(partner.id()).await?;
    Ok(keys.into_iter().filter(|k| may_manage_key(by, k, partner)).collect())
}

/// Revokes one of the keys the caller manages; any other key is "not found".
pub async fn revoke_access_key(
    ctx: &Context,
    partner: &Partner,
    by: Option<&Member>,
    key: &str,
) -> Result<AccessKey, OrganizationError> {
    let id = AccessKeyId::parse(key).map_err(|_| OrganizationError::NotFound("access key"))?;
    let stored = ctx.store.access_key(&id).await?.filter(|s| may_manage_key(by, &s.key, partner));
    let stored = stored.ok_or(OrganizationError::NotFound("access key"))?;
    revoke(ctx, stored.key, actor(partner)).await.map_err(|e| match e {
        AdminError::Key(KeyError::AlreadyRevoked) => OrganizationError::AlreadyRevoked,
        AdminError::Conflict(_) => OrganizationError::Concurrent,
        AdminError::Store(e) => e.into(),
        other => OrganizationError::Store(StoreError::Unavailable(anyhow::anyhow!("{other}"))),
    })
}
