//! Authentication of BSS API requests by their AK/SK signature (spec/BSS-API.md A.4).

use opc_domain::access_key::SecretKey;
use opc_domain::account::Account;
use opc_domain::organization::{visibility, Member, Permission, Role, Visibility};
use opc_domain::partner::Partner;
use opc_domain::signature::{self, Authorization, ReceivedRequest, SignatureError};
use opc_domain::{AccessKeyId, MemberId};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::Context;
use crate::store::{SealedAccessKey, StoreError};

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
// The partner's side is an `Arc` so that a principal kept for reads is shared, not copied, by
// each request; the customer's account is moved into the request once, so its size is no cost.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Principal {
    /// Shared: a principal is cloned for each request that authenticates from the cache.
    Partner(Arc<Caller>),
    /// `access_key` is `None` for a signed-in console user.
    Customer { account: Account, access_key: Option<AccessKeyId> },
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

/// Whether a request may be authenticated from what this process last read of its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// Reads: the key and its owner as last read, while the store says nothing that
    /// authenticates a request has changed since ([`PrincipalCache`]).
    Kept,
    /// Writes: read again from the store.
    Read,
}

/// What this process last read of each access key and its owner, kept while the store's
/// [`PrincipalChanges`](crate::store::PrincipalChanges) number stays the same, so that a
/// signed read costs no query before its own (issue 18, the read path). The key's secret is
/// kept sealed, as stored; every request's signature is still verified.
#[derive(Default)]
pub struct PrincipalCache {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    /// The store's number when these were read; all of them are forgotten when it moves.
    generation: u64,
    keys: HashMap<AccessKeyId, Arc<KeptKey>>,
}

/// A key as this process read it: its stored form, its secret opened once (not again for every
/// request), and who it acts for.
struct KeptKey {
    stored: SealedAccessKey,
    secret: SecretKey,
    principal: Principal,
}

/// Keys kept at most; beyond, the cache starts over.
const KEPT_MAX: usize = 10_000;

impl PrincipalCache {
    /// How many keys are kept now.
    pub fn kept(&self) -> usize {
        self.kept.lock().unwrap_or_else(|p| p.into_inner()).keys.len()
    }

    fn get(&self, generation: u64, key: &AccessKeyId) -> Option<Arc<KeptKey>> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept.generation != generation {
            return None;
        }
        kept.keys.get(key).cloned()
    }

    fn put(&self, generation: u64, key: AccessKeyId, kept_key: KeptKey) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        // The number only grows: what a slower request read under an older one is already stale.
        if generation < kept.generation {
            return;
        }
        if generation > kept.generation || kept.keys.len() >= KEPT_MAX {
            kept.keys.clear();
            kept.generation = generation;
        }
        kept.keys.insert(key, Arc::new(kept_key));
    }
}

impl std::fmt::Debug for PrincipalCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrincipalCache")
    }
}

/// Answers of signed reads this process computed, each kept while the store's
/// [`PrincipalChanges`](crate::store::PrincipalChanges) number stays the one read before the
/// answer was (issue 18, the read path). Only answers made entirely of what that number
/// covers — accounts, associations, partners and their enrollments, organization members and
/// roles, access keys — may be kept: a partner's customer list is. The key names the caller
/// and everything the request asked; an answer is bytes, served as they were.
pub struct AnswerCache {
    kept: Mutex<KeptAnswers>,
    /// The bytes of answers kept at most; beyond, the cache starts over.
    max: usize,
}

impl Default for AnswerCache {
    fn default() -> AnswerCache {
        AnswerCache { kept: Mutex::default(), max: ANSWER_BYTES_MAX }
    }
}

#[derive(Default)]
struct KeptAnswers {
    generation: u64,
    answers: HashMap<String, Arc<[u8]>>,
    /// The bytes of the answers kept.
    bytes: usize,
}

/// The bytes of answers kept at most by default (a page of 1,000 customers is about 400 KB).
const ANSWER_BYTES_MAX: usize = 32 << 20;

impl AnswerCache {
    /// A cache that keeps nothing: every answer is computed (to measure what that costs).
    pub fn off() -> AnswerCache {
        AnswerCache { kept: Mutex::default(), max: 0 }
    }

    /// The answer kept for `key` under `generation`, if any.
    pub fn get(&self, generation: u64, key: &str) -> Option<Arc<[u8]>> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept.generation != generation {
            return None;
        }
        kept.answers.get(key).cloned()
    }

    /// Keeps `answer` for `key`, computed after `generation` was read.
    pub fn put(&self, generation: u64, key: String, answer: Arc<[u8]>) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        // The number only grows: an answer computed under an older one is already stale.
        if generation < kept.generation || answer.len() > self.max {
            return;
        }
        if let Some(replaced) = kept.answers.remove(&key) {
            kept.bytes -= replaced.len();
        }
        if generation > kept.generation || kept.bytes + answer.len() > self.max {
            kept.answers.clear();
            kept.bytes = 0;
            kept.generation = generation;
        }
        kept.bytes += answer.len();
        kept.answers.insert(key, answer);
    }

    /// How many answers are kept now.
    pub fn kept(&self) -> usize {
        self.kept.lock().unwrap_or_else(|p| p.into_inner()).answers.len()
    }
}

impl std::fmt::Debug for AnswerCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AnswerCache")
    }
}

/// Verifies the request's signature and returns who signed it. Nothing is written; nothing
/// about the key's owner is revealed before the signature has checked out. With
/// [`Freshness::Kept`], the key and its owner come from the [`PrincipalCache`] when the store
/// vouches that nothing they are made of has changed since they were read.
/// Also returns the store's [`PrincipalChanges`](crate::store::PrincipalChanges) number read
/// before anything else (with [`Freshness::Kept`]): what a read computes from the store after
/// it may be kept under that number ([`AnswerCache`]).
pub async fn authenticate(
    ctx: &Context,
    req: &ReceivedRequest<'_>,
    freshness: Freshness,
) -> Result<(Principal, Option<u64>), AuthError> {
    let header = req.header("authorization").ok_or(SignatureError::Missing)?;
    let auth = Authorization::parse(header)?;
    let key_id = AccessKeyId::parse(&auth.access_key).map_err(|_| AuthError::UnknownKey)?;
    // Read before the store is, so that a change committed meanwhile makes what is read stale.
    let generation = match freshness {
        Freshness::Kept => ctx.store.principals_generation().await,
        Freshness::Read => None,
    };
    if let Some(kept) = generation.and_then(|g| ctx.principals.get(g, &key_id)) {
        verify(ctx, req, &auth, &kept.stored, &kept.secret)?;
        return Ok((kept.principal.clone(), generation));
    }
    let stored = ctx.store.access_key(&key_id).await?.ok_or(AuthError::UnknownKey)?;
    if !stored.key.is_active() {
        return Err(AuthError::UnknownKey);
    }
    let secret =
        ctx.master_key.open(&stored.sealed_secret, &key_id).map_err(|e| AuthError::BrokenKey(e.to_string()))?;
    verify(ctx, req, &auth, &stored, &secret)?;
    let principal = principal(ctx, &key_id, &stored).await?;
    if let Some(g) = generation {
        ctx.principals.put(g, key_id, KeptKey { stored, secret, principal: principal.clone() });
    }
    Ok((principal, generation))
}

/// The key is active, the signature is its secret's and `X-Domain-Id` names its account.
fn verify(
    ctx: &Context,
    req: &ReceivedRequest<'_>,
    auth: &Authorization,
    stored: &SealedAccessKey,
    secret: &SecretKey,
) -> Result<(), AuthError> {
    if !stored.key.is_active() {
        return Err(AuthError::UnknownKey);
    }
    signature::verify(req, auth, secret.expose().as_bytes(), ctx.clock.now())?;
    let domain = req.header("x-domain-id").map(str::trim);
    if !auth.signs("x-domain-id") || domain != Some(stored.key.account().as_str()) {
        return Err(AuthError::DomainMismatch);
    }
    Ok(())
}

/// Who the key acts for: its partner (and member), or its customer account.
async fn principal(ctx: &Context, key_id: &AccessKeyId, stored: &SealedAccessKey) -> Result<Principal, AuthError> {
    let broken = |what: String| AuthError::BrokenKey(format!("{what} of key {key_id} is missing"));
    match &stored.key.partner() {
        Some(partner) => {
            let partner = ctx.store.partner(partner).await?.ok_or_else(|| broken(format!("partner {partner}")))?;
            let member = match &stored.key.member() {
                None => None,
                Some(id) => Some(ctx.store.member(id).await?.ok_or_else(|| broken(format!("member {id}")))?),
            };
            let caller = Caller::acting(ctx, partner, member, Some(key_id.clone())).await?;
            Ok(Principal::Partner(Arc::new(caller)))
        }
        None => {
            let account = ctx
                .store
                .account(stored.key.account())
                .await?
                .ok_or_else(|| broken(format!("account {}", stored.key.account())))?;
            Ok(Principal::Customer { account, access_key: Some(key_id.clone()) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(len: usize) -> Arc<[u8]> {
        vec![b'x'; len].into()
    }

    #[test]
    fn an_answer_is_served_only_under_the_number_it_was_kept_under() {
        let cache = AnswerCache::default();
        cache.put(7, "a".into(), answer(3));
        assert_eq!(cache.get(7, "a").as_deref(), Some(&b"xxx"[..]));
        assert!(cache.get(8, "a").is_none(), "a newer number: what was kept is stale");
        assert!(cache.get(7, "b").is_none());
        cache.put(6, "b".into(), answer(3));
        assert!(
            cache.get(6, "b").is_none() && cache.kept() == 1,
            "an answer computed under an older number is never kept"
        );
        cache.put(8, "b".into(), answer(3));
        assert!(cache.get(7, "a").is_none() && cache.kept() == 1, "a newer number starts over");
    }

    #[test]
    fn the_answers_kept_stay_within_their_bytes() {
        let cache = AnswerCache { kept: Mutex::default(), max: 10 };
        cache.put(1, "a".into(), answer(4));
        cache.put(1, "b".into(), answer(4));
        assert_eq!(cache.kept(), 2);
        cache.put(1, "b".into(), answer(5));
        assert_eq!(cache.kept(), 2, "a replaced answer gives its bytes back");
        cache.put(1, "c".into(), answer(4));
        assert_eq!((cache.kept(), cache.get(1, "c").is_some()), (1, true), "beyond the bound, the cache starts over");
        cache.put(1, "big".into(), answer(11));
        assert!(cache.get(1, "big").is_none(), "an answer larger than the bound is not kept");
        let off = AnswerCache::off();
        off.put(1, "a".into(), answer(1));
        assert_eq!(off.kept(), 0);
    }
}
