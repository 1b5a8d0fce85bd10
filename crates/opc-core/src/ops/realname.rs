//! Real-name authentication (issue 16; BSS B1.10, B2.10): a partner uploads its customer's
//! attachments and applies for it; the operator reviews; the account's real-name status (which
//! the programs' and associations' rules read) follows. Load → decide (`opc_domain::realname`)
//! → store with its audit, in one transaction.

use opc_domain::account::Account;
use opc_domain::account::RealNameStatus;
use opc_domain::audit::{Action, Actor};
use opc_domain::organization::Permission;
use opc_domain::realname::{
    self, Application, IdDocument, Identity, RealNameError, Request, Review, ScanLink, Standing,
};
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
    /// RN-QR: no such scan link (whether it never existed or its token is wrong).
    #[error("this QR code is not known: ask for a new one")]
    UnknownScan,
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

/// Whether an application for `customer` is waiting for the operator.
async fn under_review(ctx: &Context, customer: &AccountId) -> Result<bool, StoreError> {
    Ok(ctx.store.realname_applications(customer).await?.iter().any(|a| a.review == Review::Pending))
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
    let pending = under_review(ctx, &customer).await?;
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

/// B2.10.1 `show_real_name_auth_qr_code` (RN-QR): a single-use address, valid 10 minutes, where
/// `customer` authenticates itself; refused for a customer without a current partner, already
/// verified, or under review.
pub async fn scan_link(ctx: &Context, customer: &Account) -> Result<String, RealNameOpError> {
    let partner =
        ctx.store.association_of(customer.id()).await?.filter(|a| a.is_current()).map(|a| a.partner().clone());
    let pending = under_review(ctx, customer.id()).await?;
    let standing = Standing::of(customer.real_name(), customer.account_type());
    let token = hex::encode(random::<32>());
    let hash = realname::scan_token_hash(&ctx.master_key.verification_code_key(), &token);
    let link = ScanLink::issue(hash, customer.id().clone(), partner, standing, pending, ctx.clock.now())?;
    ctx.store.insert_realname_scan(&link).await?;
    Ok(ctx.link(&format!("/realname/scan/{token}")))
}

/// RN-QR: the scan link `token` names, while it may be used, and its customer's account.
pub async fn scan(ctx: &Context, token: &str) -> Result<(ScanLink, Account), RealNameOpError> {
    let hash = realname::scan_token_hash(&ctx.master_key.verification_code_key(), token);
    let link = ctx.store.realname_scan(&hash).await?.ok_or(RealNameOpError::UnknownScan)?;
    link.usable(ctx.clock.now())?;
    let account = ctx.store.account(&link.customer).await?.ok_or(RealNameOpError::UnknownScan)?;
    Ok((link, account))
}

/// One photo sent through a scan link: the file's name as uploaded, and its content.
pub struct ScanPhoto {
    pub name: String,
    pub content: Vec<u8>,
}

/// RN-QR: the person scanning the code applies for the customer as an individual with
/// `document`, `name` and `number` and the document's photos in the documented order (the one
/// held in hand last). The photos are stored as the customer's attachments, the application goes
/// to manual review for the customer's partner, and the link is used up — all in one
/// transaction, once.
pub async fn submit_scan(
    ctx: &Context,
    token: &str,
    document: IdDocument,
    name: &str,
    number: &str,
    photos: Vec<ScanPhoto>,
) -> Result<Application, RealNameOpError> {
    let (link, account) = scan(ctx, token).await?;
    let now = ctx.clock.now();
    let id = hex::encode(random::<16>());
    let mut files = Vec::with_capacity(photos.len());
    for (n, photo) in photos.into_iter().enumerate() {
        let extension = photo.name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        let stored = format!("scan-{}-{}.{extension}", &id[..8], n + 1);
        let content_type = realname::check_attachment(&stored, &photo.content)?;
        files.push(Attachment {
            customer: link.customer.clone(),
            name: stored,
            partner: link.partner.clone(),
            content_type: content_type.to_owned(),
            content: photo.content,
            uploaded_at: now,
        });
    }
    let pending = under_review(ctx, &link.customer).await?;
    let standing = Standing::of(account.real_name(), account.account_type());
    let request = Request {
        identity: Identity::Individual { document, name: name.to_owned(), number: number.to_owned() },
        change: false,
        files: files.iter().map(|f| f.name.clone()).collect(),
    };
    let (application, status) =
        realname::apply(id, link.customer.clone(), link.partner.clone(), standing, pending, request, now)?;
    let audit = [audit_event(
        now,
        Actor::Customer(link.customer.clone()),
        Some(&link.partner),
        Action::RealNameApplied,
        "realname_application",
        &application.id,
        None,
        Some(format!("customer={} kind=individual by=qr_code files={}", application.customer, application.files.len())),
    )];
    match ctx.store.submit_realname_scan(&link.token_hash, &files, &application, status, &audit).await {
        Ok(()) => Ok(application),
        Err(StoreError::Conflict { constraint: Constraint::Stale(Row::RealNameScan) }) => {
            Err(RealNameError::ScanNotUsable("was already used").into())
        }
        Err(e) => Err(e.into()),
    }
}
