//! What a partner or a customer reads about its own account: balances, the partner's
//! consumption quota, a reseller customer's expenditure quota.

use opc_domain::account::Account;
use opc_domain::association::AssociationModel;
use opc_domain::Money;

use super::auth::{Caller, Principal};
use super::Context;
use crate::store::{CustomerQuery, StoreError};

/// R-QUOTA-01: the credit limit granted to the partner and how much of it is used. Nothing is
/// billed yet, so the used part is zero until commerce lands.
pub struct ConsumptionQuota {
    pub quota: Money,
    pub used: Money,
}

pub fn partner_quota(caller: &Caller) -> ConsumptionQuota {
    ConsumptionQuota { quota: caller.partner.consumption_quota, used: Money::ZERO }
}

/// The account of whoever signed.
pub async fn own_account(ctx: &Context, principal: &Principal) -> Result<Account, StoreError> {
    match principal {
        Principal::Customer { account, .. } => Ok(account.clone()),
        Principal::Partner(caller) => ctx.store.account(&caller.partner.account_id).await?.ok_or(StoreError::NotFound),
    }
}

/// A customer's expenditure quota: for a reseller customer, the budget its partner granted
/// (R-RCM-03); nothing for anyone else.
pub struct ExpenditureQuota {
    pub granted: Money,
    pub used: Money,
}

pub async fn expenditure_quota(ctx: &Context, principal: &Principal) -> Result<ExpenditureQuota, StoreError> {
    let none = ExpenditureQuota { granted: Money::ZERO, used: Money::ZERO };
    let Principal::Customer { account, .. } = principal else {
        return Ok(none);
    };
    let Some(budget) = ctx.store.budget(&account.id).await? else {
        return Ok(none);
    };
    // The budget counts only while the customer is still that partner's reseller customer.
    let query = CustomerQuery { customer_id: Some(account.id.clone()), limit: 1, ..CustomerQuery::default() };
    let (current, _) = ctx.store.customers_of(&budget.partner, &query).await?;
    if !current.iter().any(|v| v.association.model == AssociationModel::Reseller) {
        return Ok(none);
    }
    Ok(ExpenditureQuota { granted: budget.amount, used: Money::ZERO })
}
