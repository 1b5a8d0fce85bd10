//! Authentication of BSS API requests by their AK/SK signature (spec/BSS-API.md A.4).

use opc_domain::account::Account;
use opc_domain::partner::Partner;
use opc_domain::signature::{self, Authorization, ReceivedRequest, SignatureError};
use opc_domain::AccessKeyId;

use super::Context;
use crate::store::StoreError;

/// A partner calling with one of its keys.
#[derive(Clone, Debug)]
pub struct Caller {
    pub partner: Partner,
    pub access_key: AccessKeyId,
}

/// Who signed the request: a partner, or a customer with its own key.
#[derive(Clone, Debug)]
pub enum Principal {
    Partner(Caller),
    Customer { account: Account, access_key: AccessKeyId },
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
    if !auth.signs("x-domain-id") || domain != Some(stored.key.account.as_str()) {
        return Err(AuthError::DomainMismatch);
    }
    let broken = |what: String| AuthError::BrokenKey(format!("{what} of key {key_id} is missing"));
    match &stored.key.partner {
        Some(partner) => {
            let partner = ctx.store.partner(partner).await?.ok_or_else(|| broken(format!("partner {partner}")))?;
            Ok(Principal::Partner(Caller { partner, access_key: key_id }))
        }
        None => {
            let account = ctx
                .store
                .account(&stored.key.account)
                .await?
                .ok_or_else(|| broken(format!("account {}", stored.key.account)))?;
            Ok(Principal::Customer { account, access_key: key_id })
        }
    }
}
