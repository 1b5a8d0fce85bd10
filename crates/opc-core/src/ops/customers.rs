//! A partner's customers.

use opc_domain::PartnerId;

use super::auth::Caller;
use super::Context;
use crate::store::{CustomerQuery, CustomerView, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum CustomerError {
    /// R-DIST-02: a distributor acts on a reseller's customers only if the reseller is its own.
    #[error("partner {0} is not your reseller")]
    NotYourReseller(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// R-RCM-01 "query customers": the caller's own customers, or, for a distributor naming one of
/// its resellers in `indirect_partner`, that reseller's customers (R-DIST-02). Tenancy: the
/// partner whose customers are read is decided here from the authenticated caller, never taken
/// from the request unchecked.
pub async fn list_customers(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    query: &CustomerQuery,
) -> Result<(Vec<CustomerView>, u64), CustomerError> {
    let owner = match indirect_partner {
        None => caller.partner.id.clone(),
        Some(text) => own_reseller(ctx, caller, text).await?,
    };
    Ok(ctx.store.customers_of(&owner, query).await?)
}

/// The id of `text` if it names a reseller whose distributor is the caller.
async fn own_reseller(ctx: &Context, caller: &Caller, text: &str) -> Result<PartnerId, CustomerError> {
    let not_yours = || CustomerError::NotYourReseller(text.to_owned());
    let id = PartnerId::parse(text).map_err(|_| not_yours())?;
    let reseller = ctx.store.partner(&id).await?.ok_or_else(not_yours)?;
    if reseller.distributor.as_ref() != Some(&caller.partner.id) {
        return Err(not_yours());
    }
    Ok(reseller.id)
}
