//! Authentication of BSS API requests by their AK/SK signature (spec/BSS-API.md A.4).

use opc_domain::account::Account;
use opc_domain::organization::{visibility, Member, Permission, Role, Visibility};
use opc_domain::partner::Partner;
use opc_domain::signature::{self, Authorization, ReceivedRequest, SignatureError};
use opc_domain::{AccessKeyId, MemberId};

use super::Context;
use crate::store::StoreError;

/// A partner calling with one of its keys.
#[derive(Clone, Debug)]
pub struct Caller {
    pub partner: Partner,
    /// The key that signed the request; `None` for a signed-in console user.
    pub access_key: Option<AccessKeyId>,
    /// Set when the key was issued to an organization member: the request acts with that
    /// member's permission items and sees only the customers it may see (R-ORG-02, R-ORG-19).
    pub member: Option<Box<MemberScope>>,
}

/// What a member's key may do.
#[derive(Clone, Debug)]
pub struct MemberScope {
    pub member: Member,
    pub role: Option<Role>,
    pub visibility: Visibility,
}

impl Caller {
    /// The partner, or one of its members with that member's role and visibility (R-ORG-02,
    /// R-ORG-19), acting with `access_key` or, without one, through the console.
    pub async fn acting(
        ctx: &Context,
        partner: Partner,
        member: Option<Member>,
        access_key: Option<AccessKeyId>,
    ) -> Result<Caller, StoreError> {
        let member = match member {
            None => None,
            Some(member) => {
                let everyone = ctx.store.members_of(partner.id()).await?;
                let role = match member.role() {
                    Some(r) => ctx.store.roles_of(partner.id()).await?.into_iter().find(|x| x.id() == r),
                    None => None,
                };
                Some(Box::new(MemberScope { visibility: visibility(&member, &everyone), member, role }))
            }
        };
        Ok(Caller { partner, access_key, member })
    }

    /// The partner itself may do anything; a member needs the permission item.
    pub fn may(&self, permission: Permission) -> bool {
        self.member.as_ref().is_none_or(|m| m.member.can(m.role.as_ref(), permission))
    }

    /// R-ORG-19: whether the caller sees a customer whose account manager is `manager`.
    pub fn sees(&self, manager: Option<&MemberId>) -> bool {
        match self.member.as_ref().map(|m| &m.visibility) {
            None | Some(Visibility::All) => true,
            Some(Visibility::ManagedBy(ids)) => manager.is_some_and(|m| ids.contains(m)),
        }
    }
}

/// Who signed the request: a partner, or a customer with its own key.
#[derive(Clone, Debug)]
pub enum Principal {
    Partner(Caller),
    /// `access_key` is `None` for a signed-in console user.
    Customer {
        account: Account,
        access_key: Option<AccessKeyId>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error("the access key does not exist or is revoked")]
    UnknownKey,
    #[error("the X-Domain-Id header is missing, unsigned, or not the access key's account")]
    DomainMismatch,
    /// The key's sealed secret does not open, or its owner is gone: corrupt data or a wrong
    /// master key. A server fault, not the caller's.
    #[error("the access key's record is unusable: {0}")]
    BrokenKey(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Verifies the request's signature and returns who signed it. Nothing is written; nothing
/// about the key's owner is revealed before the signature has checked out.
pub async fn authenticate(ctx: &Context, req: &ReceivedRequest<'_>) -> Result<Principal, AuthError> {
    let header = req.header("authorization").ok_or(SignatureError::Missing)?;
    let auth = Authorization::parse(header)?;
    let key_id = AccessKeyId::parse(&auth.access_key).map_err(|_| AuthError::UnknownKey)?;
    let stored = ctx.store.access_key(&key_id).await?.ok_or(AuthError::UnknownKey)?;
    if !stored.key.is_active() {
        return Err(AuthError::UnknownKey);
    }
    let secret =
        ctx.master_key.open(&stored.sealed_secret, &key_id).map_err(|e| AuthError::BrokenKey(e.to_string()))?;
    signature::verify(req, &auth, secret.expose().as_bytes(), ctx.clock.now())?;
    let domain = req.header("x-domain-id").map(str::trim);
    if !auth.signs("x-domain-id") || domain != Some(stored.key.account().as_str()) {
        return Err(AuthError::DomainMismatch);
    }
    let broken = |what: String| AuthError::BrokenKey(format!("{what} of key {key_id} is missing"));
    match &stored.key.partner() {
        Some(partner) => {
            let partner = ctx.store.partner(partner).await?.ok_or_else(|| broken(format!("partner {partner}")))?;
            let member = match &stored.key.member() {
                None => None,
                Some(id) => Some(ctx.store.member(id).await?.ok_or_else(|| broken(format!("member {id}")))?),
            };
            let caller = Caller::acting(ctx, partner, member, Some(key_id)).await?;
            Ok(Principal::Partner(caller))
        }
        None => {
            let account = ctx
                .store
                .account(stored.key.account())
                .await?
                .ok_or_else(|| broken(format!("account {}", stored.key.account())))?;
            Ok(Principal::Customer { account, access_key: Some(key_id) })
        }
    }
}
