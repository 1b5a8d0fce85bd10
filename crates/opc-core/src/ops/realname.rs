//! Real-name authentication (issue 16; BSS B1.10, B2.10): a partner uploads its customer's
//! attachments and applies for it; the operator reviews; the account's real-name status (which
//! the programs' and associations' rules read) follows. Load → decide (`opc_domain::realname`)
//! → store with its audit, in one transaction.

use opc_domain::account::RealNameStatus;
use opc_domain::audit::{Action, Actor};
use opc_domain::organization::Permission;
use opc_domain::realname::{self, Application, RealNameError, Request, Review, Standing};
use opc_domain::AccountId;

use super::admin::audit_event;
use super::auth::Caller;
use super::customers::{actor, owner, their_customer, CustomerError};
use super::{random, Context};
use crate::store::{Attachment, AttachmentInfo, Constraint, Row, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum RealNameOpError {
    #[error(transparent)]
    Scope(#[from] CustomerError),
    #[error(transparent)]
    RealName(#[from] RealNameError),
    #[error("an attachment named {0:?} was already uploaded for this customer; upload under another name")]
    AttachmentExists(String),
    #[error("no attachment {0:?} was uploaded for this customer")]
    UnknownAttachment(String),
    #[error("no real-name application {0}")]
    UnknownApplication(String),
    #[error("the application was reviewed meanwhile")]
    Concurrent,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for RealNameOpError {
    fn from(e: StoreError) -> RealNameOpError {
        match e {
            StoreError::Conflict { constraint: Constraint::Stale(Row::RealNameApplication) } => {
                RealNameOpError::RealName(RealNameError::UnderReview)
            }
            other => RealNameOpError::Store(other),
        }
    }
}

/// Stores an attachment the caller's partner uploads for its customer (checked by name, type,
/// size and content; never replaced).
pub async fn upload(
    ctx: &Context,
    caller: &Caller,
    customer_id: &str,
    name: &str,
    content: Vec<u8>,
) -> Result<AttachmentInfo, RealNameOpError> {
    let partner = owner(ctx, caller, None, Permission::DevelopCustomers).await?;
    let view = their_customer(ctx, caller, &partner, customer_id).await?;
    let content_type = realname::check_attachment(name, &content)?;
    let file = Attachment {
        customer: view.account.id().clone(),
        name: name.to_owned(),
        partner: partner.id().clone(),
        content_type: content_type.to_owned(),
        content,
        uploaded_at: ctx.clock.now(),
    };
    match ctx.store.insert_realname_file(&file).await {
        Ok(()) => {}
        Err(StoreError::Conflict { constraint: Constraint::Stale(Row::RealNameFile) }) => {
            return Err(RealNameOpError::AttachmentExists(name.to_owned()))
        }
        Err(e) => return Err(e.into()),
    }
    Ok(AttachmentInfo {
        name: file.name,
        content_type: file.content_type,
        bytes: file.content.len() as u64,
        uploaded_at: file.uploaded_at,
    })
}

/// The attachments uploaded for the caller's customer.
pub async fn attachments(
    ctx: &Context,
    caller: &Caller,
    customer_id: &str,
) -> Result<Vec<AttachmentInfo>, RealNameOpError> {
    let partner = owner(ctx, caller, None, Permission::ViewCustomers).await?;
    let view = their_customer(ctx, caller, &partner, customer_id).await?;
    Ok(ctx.store.realname_files(view.account.id()).await?)
}

/// B1.10.1–B1.10.3: the caller's partner applies for its customer; every attachment named must
/// have been uploaded for that customer. The application as stored (always for manual review).
pub async fn apply(
    ctx: &Context,
    caller: &Caller,
    customer_id: &str,
    request: Request,
) -> Result<Application, RealNameOpError> {
    let partner = owner(ctx, caller, None, Permission::DevelopCustomers).await?;
    let view = their_customer(ctx, caller, &partner, customer_id).await?;
    let customer = view.account.id().clone();
    let uploaded = ctx.store.realname_files(&customer).await?;
    if let Some(missing) = request.files.iter().find(|f| !uploaded.iter().any(|u| &u.name == *f)) {
        return Err(RealNameOpError::UnknownAttachment(missing.clone()));
    }
    let pending = ctx.store.realname_applications(&customer).await?.iter().any(|a| a.review == Review::Pending);
    let standing = Standing::of(view.account.real_name(), view.account.account_type());
    let now = ctx.clock.now();
    let id = hex::encode(random::<16>());
    let (application, status) = realname::apply(id, customer, partner.id().clone(), standing, pending, request, now)?;
    let audit = [audit_event(
        now,
        actor(caller),
        Some(partner.id()),
        Action::RealNameApplied,
        "realname_application",
        &application.id,
        None,
        Some(format!(
            "customer={} kind={} change={} files={}",
            application.customer,
            application.identity.account_type_name(),
            application.change,
            application.files.len()
        )),
    )];
    ctx.store.insert_realname_application(&application, status, &audit).await?;
    Ok(application)
}

/// B1.10.4: the latest application for the caller's customer, if any.
pub async fn latest(ctx: &Context, caller: &Caller, customer_id: &str) -> Result<Option<Application>, RealNameOpError> {
    let partner = owner(ctx, caller, None, Permission::ViewCustomers).await?;
    let view = their_customer(ctx, caller, &partner, customer_id).await?;
    Ok(ctx.store.realname_applications(view.account.id()).await?.into_iter().next())
}

/// The applications for the caller's customer, newest first.
pub async fn of_customer(
    ctx: &Context,
    caller: &Caller,
    customer_id: &str,
) -> Result<Vec<Application>, RealNameOpError> {
    let partner = owner(ctx, caller, None, Permission::ViewCustomers).await?;
    let view = their_customer(ctx, caller, &partner, customer_id).await?;
    Ok(ctx.store.realname_applications(view.account.id()).await?)
}

/// One of the caller's customer's attachments.
pub async fn their_attachment(
    ctx: &Context,
    caller: &Caller,
    customer_id: &str,
    name: &str,
) -> Result<Attachment, RealNameOpError> {
    let partner = owner(ctx, caller, None, Permission::ViewCustomers).await?;
    let view = their_customer(ctx, caller, &partner, customer_id).await?;
    attachment(ctx, view.account.id(), name).await
}

/// The applications waiting for the operator, oldest first.
pub async fn pending(ctx: &Context, limit: u32) -> Result<Vec<Application>, RealNameOpError> {
    Ok(ctx.store.pending_realname_applications(limit).await?)
}

/// One application, for the operator.
pub async fn application(ctx: &Context, id: &str) -> Result<Application, RealNameOpError> {
    ctx.store.realname_application(id).await?.ok_or_else(|| RealNameOpError::UnknownApplication(id.to_owned()))
}

/// An attachment of a customer's, for the operator reviewing its application.
pub async fn attachment(ctx: &Context, customer: &AccountId, name: &str) -> Result<Attachment, RealNameOpError> {
    ctx.store.realname_file(customer, name).await?.ok_or_else(|| RealNameOpError::UnknownAttachment(name.to_owned()))
}

/// The operator approves or rejects (with an opinion) an application under review; the
/// account's real-name status and type follow.
pub async fn review(
    ctx: &Context,
    operator: &str,
    id: &str,
    approve: bool,
    opinion: &str,
) -> Result<Application, RealNameOpError> {
    let mut application = application(ctx, id).await?;
    let now = ctx.clock.now();
    let standing = realname::review(&mut application, approve, opinion, operator, now)?;
    let audit = [audit_event(
        now,
        Actor::Operator(operator.to_owned()),
        Some(&application.partner),
        Action::RealNameReviewed,
        "realname_application",
        &application.id,
        Some("review=pending".to_owned()),
        Some(format!("review={} customer={}", if approve { "approved" } else { "rejected" }, application.customer)),
    )];
    match ctx.store.review_realname(&application, standing, &audit).await {
        Ok(()) => Ok(application),
        Err(StoreError::Conflict { constraint: Constraint::Stale(Row::RealNameApplication) }) => {
            Err(RealNameOpError::Concurrent)
        }
        Err(e) => Err(e.into()),
    }
}

/// B2.1.1 `list_sub_customer_new_tag`: the SMB "new customer" tag of the owner's (the caller's,
/// or its reseller's) current customers: those of `ids` the caller sees (others are left out, as
/// the wire says), or a page of all of them. `None` for a customer not verified.
pub async fn new_customer_tags(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    ids: &[String],
    offset: u32,
    limit: u32,
) -> Result<Vec<(AccountId, Option<realname::NewCustomerWindow>)>, RealNameOpError> {
    let owner = owner(ctx, caller, indirect_partner, Permission::ViewCustomers).await?;
    let accounts: Vec<opc_domain::account::Account> = if ids.is_empty() {
        let query = crate::store::CustomerQuery { offset, limit, ..crate::store::CustomerQuery::default() };
        super::customers::list_customers(ctx, caller, indirect_partner, &query)
            .await?
            .customers
            .into_iter()
            .map(|v| v.account)
            .collect()
    } else {
        let mut found = vec![];
        for id in ids {
            if let Ok(view) = their_customer(ctx, caller, &owner, id).await {
                if !found.iter().any(|a: &opc_domain::account::Account| a.id() == view.account.id()) {
                    found.push(view.account);
                }
            }
        }
        found.into_iter().skip(offset as usize).take(limit as usize).collect()
    };
    let offset_ms = ctx.policy.billing_offset;
    let now = opc_domain::usage::Cycle::of(ctx.clock.now(), offset_ms);
    let mut out = Vec::with_capacity(accounts.len());
    for account in accounts {
        let verified_in = match account.real_name() {
            RealNameStatus::Verified => {
                let approved = ctx.store.realname_applications(account.id()).await?.into_iter().rev().find_map(|a| {
                    match a.review {
                        Review::Approved { at, .. } => Some(at),
                        _ => None,
                    }
                });
                Some(opc_domain::usage::Cycle::of(approved.unwrap_or(account.registered_at()), offset_ms))
            }
            _ => None,
        };
        let spent = match verified_in {
            None => false,
            Some(from) => {
                let sums = ctx.store.spend_sums(std::slice::from_ref(account.id()), from, now, offset_ms).await?;
                sums.iter().any(|s| s.amount > opc_domain::Money::ZERO)
            }
        };
        out.push((account.id().clone(), realname::new_customer_tag(verified_in, spent, now)));
    }
    Ok(out)
}
