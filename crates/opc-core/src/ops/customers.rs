//! A partner's customers.

use super::auth::Caller;
use super::Context;
use crate::store::{CustomerQuery, CustomerView, StoreError};

/// R-RCM-01 "query customers": the caller's own customers only (tenancy: the partner id comes
/// from the authenticated caller, never from the request).
pub async fn list_customers(ctx: &Context, caller: &Caller, query: &CustomerQuery) -> Result<(Vec<CustomerView>, u64), StoreError> {
    ctx.store.customers_of(&caller.partner.id, query).await
}
