//! What a partner or a customer reads about its own account: balances, the partner's
//! consumption quota, a reseller customer's expenditure quota.

use opc_domain::account::Account;
use opc_domain::association::AssociationModel;
use opc_domain::audit::{Action, Actor, AuditEvent, Subject};
use opc_domain::spend::QuotaUse;
use opc_domain::tenant::{check_proof, ProofError, TenantForm, TenantInfo};
use opc_domain::Money;
use opc_domain::{AccountId, AuditEventId, PartnerId};

use super::auth::{Caller, Principal};
use super::{audit_text, random, Context};
use crate::store::{CustomerQuery, Proof, StoreError};

/// R-QUOTA-01: the credit limit granted to the partner, what uses it (its reseller customers'
/// list-price spend, R-QUOTA-06, less its account balance, R-QUOTA-07) and how much is used.
pub struct ConsumptionQuota {
    pub quota: Money,
    pub parts: QuotaUse,
    pub used: Money,
}

pub async fn partner_quota(ctx: &Context, caller: &Caller) -> Result<ConsumptionQuota, StoreError> {
    let parts = ctx.store.quota_use(caller.partner.id()).await?;
    Ok(ConsumptionQuota { quota: caller.partner.consumption_quota(), parts, used: used_of(&parts)? })
}

fn used_of(parts: &QuotaUse) -> Result<Money, StoreError> {
    parts.used().map_err(|e| StoreError::Unavailable(anyhow::anyhow!("stored spend is invalid: {e}")))
}

/// How much of the partner's consumption quota is used ([`QuotaUse::used`]).
pub async fn quota_used(ctx: &Context, partner: &PartnerId) -> Result<Money, StoreError> {
    used_of(&ctx.store.quota_use(partner).await?)
}

/// The account of whoever signed.
pub async fn own_account(ctx: &Context, principal: &Principal) -> Result<Account, StoreError> {
    match principal {
        Principal::Customer { account, .. } => Ok(account.clone()),
        Principal::Partner(caller) => ctx.store.account(caller.partner.account_id()).await?.ok_or(StoreError::NotFound),
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
    let Some(budget) = ctx.store.budget(account.id()).await? else {
        return Ok(none);
    };
    // The budget counts only while the customer is still that partner's reseller customer.
    let query = CustomerQuery { customer_id: Some(account.id().clone()), limit: 1, ..CustomerQuery::default() };
    let (current, _) = ctx.store.customers_of(budget.partner(), &query).await?;
    if !current.iter().any(|v| v.association.model() == AssociationModel::Reseller) {
        return Ok(none);
    }
    let used = super::customers::budget_used(ctx, account.id(), Some(&budget)).await?;
    Ok(ExpenditureQuota { granted: budget.amount(), used })
}

/// R-ACCT-07: the account's tenant information; saving it with type `enterprise` converts an
/// individual account (R-ACCT-06).
pub async fn save_tenant_info(
    ctx: &Context,
    account: &Account,
    form: &TenantForm<'_>,
) -> Result<TenantInfo, TenantError> {
    let info = TenantInfo::from_form(form, account.account_type())
        .map_err(|e| TenantError::Invalid { field: e.field, reason: e.reason })?;
    let now = ctx.clock.now();
    let audit = [AuditEvent {
        id: AuditEventId::from_random(random()),
        at: now,
        actor: Actor::Customer(account.id().clone()),
        on_behalf_of: None,
        partner: None,
        action: Action::TenantInfoSaved,
        subject: Subject { kind: "account", id: account.id().as_str().to_owned() },
        before: Some(format!("type={}", audit_text::account_type(account.account_type()))),
        after: Some(format!(
            "type={} qualification_name={}",
            audit_text::account_type(info.tenant_type),
            info.qualification_name.as_str()
        )),
    }];
    ctx.store.save_tenant_info(account, &info, &audit).await.map_err(|e| match e {
        StoreError::Conflict { .. } => TenantError::Concurrent,
        other => TenantError::Store(other),
    })?;
    Ok(info)
}

pub async fn tenant_info(ctx: &Context, account: &AccountId) -> Result<Option<TenantInfo>, StoreError> {
    ctx.store.tenant_info(account).await
}

/// R-ACCT-08: stores the qualification proof if its type and size are allowed.
pub async fn upload_proof(
    ctx: &Context,
    account: &AccountId,
    file_name: &str,
    content_type: &str,
    content: Vec<u8>,
) -> Result<Proof, TenantError> {
    check_proof(file_name, content.len()).map_err(TenantError::Proof)?;
    let now = ctx.clock.now();
    let proof = Proof {
        file_name: file_name.trim().to_owned(),
        content_type: content_type.to_owned(),
        content,
        uploaded_at: now,
    };
    let audit = [AuditEvent {
        id: AuditEventId::from_random(random()),
        at: now,
        actor: Actor::Customer(account.clone()),
        on_behalf_of: None,
        partner: None,
        action: Action::ProofUploaded,
        subject: Subject { kind: "account", id: account.as_str().to_owned() },
        before: None,
        after: Some(format!("file={} bytes={}", proof.file_name, proof.content.len())),
    }];
    ctx.store.save_proof(account, &proof, &audit).await.map_err(TenantError::Store)?;
    Ok(proof)
}

pub async fn proof(ctx: &Context, account: &AccountId) -> Result<Option<Proof>, StoreError> {
    ctx.store.proof(account).await
}

#[derive(Debug, thiserror::Error)]
pub enum TenantError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error(transparent)]
    Proof(ProofError),
    #[error("the account changed meanwhile; retry")]
    Concurrent,
    #[error(transparent)]
    Store(StoreError),
}
