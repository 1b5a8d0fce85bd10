//! Enterprise multi-account (issue 16; B1.11, B2.11): what an enterprise master does through its
//! own signed calls — enables enterprise projects, reads and grows its organization, sends SMS
//! codes, creates members, lists them, and moves funds to and from its independent members.
//! Coupons move between the master and its unified members too (EMA-7). The rules are in
//! [`opc_domain::enterprise`] (EMA-1 … EMA-7) and [`opc_domain::coupon::member`].

use opc_domain::account::Account;
use opc_domain::association::AssociationModel;
use opc_domain::audit::{Action, Actor};
use opc_domain::coupon::{self, member as coupon_member, Coupon, CouponError};
use opc_domain::customer::{self, PasswordError};
use opc_domain::enterprise::{self, BalanceType, EnterpriseError, Member, MemberRequest, Node, Phone, SmsCode, Unit};
use opc_domain::funds::{EntryKind, Holder, TransferAmount};
use opc_domain::notification::{templates, Channel, Language, Notification};
use opc_domain::{AccountId, Money, NotificationId};

use super::admin::audit_event;
use super::coupons::{is_stale, new_id, page, ATTEMPTS};
use super::funds::{move_funds, FundsOpError};
use super::{audit_text, random, Context};
use crate::store::{Constraint, CouponQuery, CouponWrite, MemberQuery, NewMember, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum EnterpriseOpError {
    #[error(transparent)]
    Enterprise(#[from] EnterpriseError),
    #[error(transparent)]
    Funds(#[from] FundsOpError),
    #[error(transparent)]
    Coupon(#[from] CouponError),
    /// No such coupon among the master's (or, named with a member, the member's from it).
    #[error("no coupon {0} of yours")]
    UnknownCoupon(String),
    /// The login name is taken by another account.
    #[error("the account name {0} is already in use")]
    NameTaken(String),
    /// The master changed meanwhile (another member was created at the same moment).
    #[error("the enterprise changed meanwhile; retry")]
    Concurrent,
    #[error(transparent)]
    Password(#[from] crate::passwords::PasswordError),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for EnterpriseOpError {
    fn from(e: StoreError) -> EnterpriseOpError {
        match e {
            StoreError::Conflict { constraint: Constraint::AccountName } => EnterpriseOpError::NameTaken(String::new()),
            StoreError::Conflict { constraint: Constraint::Stale(_) } => EnterpriseOpError::Concurrent,
            other => EnterpriseOpError::Store(other),
        }
    }
}

fn invalid(field: &'static str, reason: impl std::fmt::Display) -> EnterpriseOpError {
    EnterpriseError::Invalid { field, reason: reason.to_string() }.into()
}

/// What the master did, for the audit log.
fn event(
    at: opc_domain::Timestamp,
    master: &Account,
    action: Action,
    kind: &'static str,
    id: &str,
    after: Option<String>,
) -> opc_domain::audit::AuditEvent {
    audit_event(at, Actor::Customer(master.id().clone()), None, action, kind, id, None, after)
}

/// A random unit id: digits only (B2.11.4), never starting with 0.
fn unit_id() -> u64 {
    1_000_000_000_000 + u64::from_le_bytes(random()) % 9_000_000_000_000_000
}

/// B1.11.1 `create_enterprise_project_auth`: the customer enables enterprise projects (once;
/// asking again changes nothing).
pub async fn enable_projects(ctx: &Context, account: &Account) -> Result<(), EnterpriseOpError> {
    let now = ctx.clock.now();
    let audit = [event(now, account, Action::EnterpriseProjectsEnabled, "account", account.id().as_str(), None)];
    if ctx.store.enable_enterprise_projects(account.id(), now, &audit).await? {
        tracing::info!(account.id = %account.id(), "Enabled enterprise projects");
    }
    Ok(())
}

/// EMA-1: the master's units, its root first — created with the first use.
pub async fn organization(ctx: &Context, master: &Account) -> Result<Vec<Unit>, EnterpriseOpError> {
    enterprise::check_master(master)?;
    let units = ctx.store.enterprise_units(master.id()).await?;
    if units.iter().any(|u| u.parent.is_none()) {
        return Ok(with_root_first(units));
    }
    let now = ctx.clock.now();
    let root = Unit::root(master, unit_id(), hex::encode(random::<16>()), now);
    let audit = [event(
        now,
        master,
        Action::EnterpriseUnitCreated,
        "enterprise_unit",
        &root.id,
        Some(format!("root of {}", master.id())),
    )];
    // Two first uses at once: one root is stored, both read it back.
    ctx.store.insert_enterprise_unit(&root, &audit).await?;
    Ok(with_root_first(ctx.store.enterprise_units(master.id()).await?))
}

fn with_root_first(mut units: Vec<Unit>) -> Vec<Unit> {
    units.sort_by_key(|u| u.parent.is_some());
    units
}

/// B2.11.4: the root (when no `parent` is named) and the children of `parent` (of the root when
/// `None`), recursively or one level.
pub async fn units(
    ctx: &Context,
    master: &Account,
    parent: Option<&str>,
    recursive: bool,
) -> Result<(Option<Unit>, Vec<Node>), EnterpriseOpError> {
    let units = organization(ctx, master).await?;
    let root = units.first().cloned().ok_or(StoreError::NotFound)?;
    match parent {
        None => Ok((Some(root.clone()), enterprise::children_of(&units, &root.id, recursive))),
        Some(p) => {
            if !units.iter().any(|u| u.id == p) {
                return Err(EnterpriseError::UnknownUnit(p.to_owned()).into());
            }
            Ok((None, enterprise::children_of(&units, p, recursive)))
        }
    }
}

/// Adds a unit named `name` under `parent` (the root when `None`) to the master's organization.
pub async fn add_unit(
    ctx: &Context,
    master: &Account,
    parent: Option<&str>,
    name: &str,
) -> Result<Unit, EnterpriseOpError> {
    let units = organization(ctx, master).await?;
    let parent = match parent {
        None => units.first(),
        Some(p) => units.iter().find(|u| u.id == p),
    }
    .ok_or_else(|| EnterpriseError::UnknownUnit(parent.unwrap_or_default().to_owned()))?;
    let now = ctx.clock.now();
    let unit = Unit::child(parent, unit_id(), hex::encode(random::<16>()), name, now)?;
    let audit = [event(
        now,
        master,
        Action::EnterpriseUnitCreated,
        "enterprise_unit",
        &unit.id,
        Some(format!("name={} parent={}", unit.name, parent.id)),
    )];
    ctx.store.insert_enterprise_unit(&unit, &audit).await?;
    Ok(unit)
}

/// B2.11.9 `send_sms_verification_code` (EMA-6): a code to the phone, for the member named.
pub async fn send_sms_code(
    ctx: &Context,
    master: &Account,
    phone: &str,
    timeout_minutes: Option<i64>,
    lang: Language,
    member_name: &str,
) -> Result<(), EnterpriseOpError> {
    enterprise::check_master(master)?;
    let phone = Phone::parse(phone).map_err(|e| invalid("mobile_phone", e))?;
    let member_name = member_name.trim();
    if member_name.is_empty() || member_name.chars().count() > 64 {
        return Err(invalid("sm_template_args.value", "must be 1 to 64 characters"));
    }
    let now = ctx.clock.now();
    let lifetime = SmsCode::lifetime(timeout_minutes)?;
    let id = hex::encode(random::<16>());
    let code = SmsCode::new(id, master.id().clone(), phone, u32::from_le_bytes(random()), now, lifetime);
    let enterprise = master.display_name().unwrap_or(master.name().as_str());
    let body = templates::member_sms_code(lang, enterprise, member_name, &code.code, lifetime.0 / 60_000);
    let notification = Notification {
        id: NotificationId::from_random(random()),
        channel: Channel::Sms,
        recipient: code.phone.as_str().to_owned(),
        subject: String::new(),
        body,
        created_at: now,
    };
    let audit = [event(
        now,
        master,
        Action::SmsCodeSent,
        "account",
        master.id().as_str(),
        Some(format!("to={}", code.phone.as_str())),
    )];
    let stored = code.hashed(&ctx.master_key.verification_code_key());
    ctx.store.insert_sms_code(&stored, &notification, &audit).await?;
    Ok(())
}

/// B2.11.2 `create_sub_enterprise_account` (EMA-2 … EMA-4): the member account, created with
/// its password and placed in the master's unit.
pub async fn create_member(
    ctx: &Context,
    master: &Account,
    request: &MemberRequest,
    password: &str,
) -> Result<AccountId, EnterpriseOpError> {
    customer::check_password(password, request.name.as_str(), None)
        .map_err(|e: PasswordError| invalid("new_sub_customer.password", e))?;
    let units = organization(ctx, master).await?;
    if ctx.store.account_by_name(&request.name).await?.is_some() {
        return Err(EnterpriseOpError::NameTaken(request.name.as_str().to_owned()));
    }
    let reseller = ctx
        .store
        .association_of(master.id())
        .await?
        .is_some_and(|a| a.is_current() && a.model() == AssociationModel::Reseller);
    let code = match &request.phone {
        enterprise::MemberPhone::Own { phone, .. } => ctx.store.latest_sms_code(master.id(), phone.as_str()).await?,
        enterprise::MemberPhone::Masters => None,
    };
    let now = ctx.clock.now();
    let key = ctx.master_key.verification_code_key();
    let accepts = |_: &Phone, digits: &str| code.as_ref().is_some_and(|c| c.accepts_hashed(&key, digits, now));
    let unit = units.iter().find(|u| u.id == request.unit);
    let id = AccountId::from_random(random());
    let (mut account, member, role) = enterprise::new_member(master, reseller, unit, request, id, accepts, now)?;
    account.set_login(None, Some(ctx.passwords.hash(password).await?));
    let mut master = master.clone();
    master.set_enterprise_role(role);
    let audit = [event(
        now,
        &master,
        Action::EnterpriseMemberCreated,
        "account",
        account.id().as_str(),
        Some(format!(
            "master={} unit={} accounting={} name={}",
            master.id(),
            member.unit,
            audit_text::accounting_mode(member.accounting),
            account.name().as_str()
        )),
    )];
    let new = NewMember {
        account: &account,
        member: &member,
        master: &master,
        uses_code: code.as_ref().map(|c| c.id.as_str()),
        audit: &audit,
    };
    ctx.store.insert_enterprise_member(&new).await.map_err(|e| match EnterpriseOpError::from(e) {
        EnterpriseOpError::NameTaken(_) => EnterpriseOpError::NameTaken(request.name.as_str().to_owned()),
        other => other,
    })?;
    tracing::info!(master.id = %master.id(), member.id = %account.id(), "Created an enterprise member");
    Ok(account.id().clone())
}

/// B1.11.2 `list_enterprise_sub_customers`: a page of the master's members with their accounts
/// and units' names, and how many match.
pub async fn members(
    ctx: &Context,
    master: &Account,
    query: &MemberQuery,
) -> Result<(Vec<(Member, Account, Option<Unit>)>, u64), EnterpriseOpError> {
    let units = organization(ctx, master).await?;
    let (page, total) = ctx.store.enterprise_members(master.id(), query).await?;
    let page = page
        .into_iter()
        .map(|(m, a)| {
            let unit = units.iter().find(|u| u.id == m.unit).cloned();
            (m, a, unit)
        })
        .collect();
    Ok((page, total))
}

/// The master's member `id`, ready for a movement of funds (EMA-5) or coupons (EMA-7): `check`
/// says whether this member may take part in it.
async fn member_for(
    ctx: &Context,
    master: &Account,
    id: &str,
    check: fn(&AccountId, Option<&Member>, &str) -> Result<(), EnterpriseError>,
) -> Result<AccountId, EnterpriseOpError> {
    enterprise::check_master(master)?;
    let member_id = AccountId::parse(id).map_err(|_| EnterpriseError::NotMember(id.to_owned()))?;
    let member = ctx.store.enterprise_member(&member_id).await?;
    check(master.id(), member.as_ref(), id)?;
    Ok(member_id)
}

/// B2.11.10 `show_multi_account_transfer_amount`: what the master may give its members — its
/// cash balance; no credit account is kept (EMA-5).
pub async fn transferable(
    ctx: &Context,
    master: &Account,
    balance_type: BalanceType,
) -> Result<Option<Money>, EnterpriseOpError> {
    enterprise::check_master(master)?;
    if balance_type == BalanceType::Credit {
        return Ok(None);
    }
    Ok(Some(cash(ctx, master.id().clone()).await?))
}

/// B2.11.3 `list_enterprise_multi_account`: what the master may take back from its member.
pub async fn reclaimable(
    ctx: &Context,
    master: &Account,
    member: &str,
    balance_type: BalanceType,
) -> Result<Option<Money>, EnterpriseOpError> {
    let member = member_for(ctx, master, member, enterprise::check_funds_member).await?;
    if balance_type == BalanceType::Credit {
        return Ok(None);
    }
    Ok(Some(cash(ctx, member).await?))
}

/// A customer's cash balance.
async fn cash(ctx: &Context, customer: AccountId) -> Result<Money, StoreError> {
    let balance = ctx.store.balances(&[Holder::Customer(customer)]).await?;
    Ok(balance.first().map_or(Money::ZERO, |b| b.amount()))
}

/// Which way funds move between a master and its member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// B2.11.11 `update_sub_enterprise_amount`.
    ToMember,
    /// B2.11.8 `reclaim_sub_enterprise_amount`.
    FromMember,
}

/// B2.11.8, B2.11.11 (EMA-5): moves `amount` between the master's cash balance and its
/// member's, once per `trans_id`; returns the transfer id.
pub async fn move_member_funds(
    ctx: &Context,
    master: &Account,
    member: &str,
    direction: Direction,
    amount: TransferAmount,
    trans_id: Option<&str>,
) -> Result<String, EnterpriseOpError> {
    let member = member_for(ctx, master, member, enterprise::check_funds_member).await?;
    let (kind, holders) = match direction {
        Direction::ToMember => {
            (EntryKind::Allocation, (Holder::Customer(master.id().clone()), Holder::Customer(member)))
        }
        Direction::FromMember => {
            (EntryKind::Reclaim, (Holder::Customer(member), Holder::Customer(master.id().clone())))
        }
    };
    let actor = Actor::Customer(master.id().clone());
    Ok(move_funds(ctx, actor, None, kind, holders, amount, trans_id).await?)
}

/// The id of the master's ledger entry for its request `trans_id` (EMA-7): the same request
/// (same master, same `trans_id`) always writes the same entry, so it lands once; without a
/// `trans_id`, a fresh one.
fn request_entry_id(master: &Account, trans_id: Option<&str>) -> String {
    use sha2::Digest;
    match trans_id {
        Some(t) => {
            let digest = sha2::Sha256::digest(format!("member-coupon\n{}\n{t}", master.id()).as_bytes());
            format!("t{}", hex::encode(&digest[..16]))
        }
        None => hex::encode(random::<16>()),
    }
}

/// B2.11.6 `list_multi_account_transfer_coupons` (EMA-7): the master's coupons it may give to
/// its members, newest first, and how many.
pub async fn givable_coupons(
    ctx: &Context,
    master: &Account,
    offset: u32,
    limit: u32,
) -> Result<(Vec<Coupon>, u64), EnterpriseOpError> {
    enterprise::check_master(master)?;
    let now = ctx.clock.now();
    let query = CouponQuery { customer: Some(master.id().clone()), open_only: true, ..CouponQuery::default() };
    let coupons = ctx.store.coupons(&query).await?;
    let givable = coupons.into_iter().filter(|c| coupon_member::givable(c, master.id(), now).is_ok()).collect();
    Ok(page(givable, offset, limit))
}

/// B2.11.5 `list_multi_account_retrieve_coupons` (EMA-7): the coupons the master gave its
/// member that it may take back, newest first, and how many.
pub async fn members_coupons(
    ctx: &Context,
    master: &Account,
    member: &str,
    offset: u32,
    limit: u32,
) -> Result<(Vec<Coupon>, u64), EnterpriseOpError> {
    let member = member_for(ctx, master, member, enterprise::check_coupon_member).await?;
    let now = ctx.clock.now();
    let query = CouponQuery { customer: Some(member), open_only: true, ..CouponQuery::default() };
    let coupons = ctx.store.coupons(&query).await?;
    let parents: Vec<String> = coupons.iter().filter_map(|c| c.parent.clone()).collect();
    let mine = masters_coupons(ctx, master, &parents).await?;
    let back = coupons
        .into_iter()
        .filter(|c| c.parent.as_ref().is_some_and(|p| mine.iter().any(|m| &m.id == p)))
        .filter(|c| coupon::reclaimable(c, now).is_ok())
        .collect();
    Ok(page(back, offset, limit))
}

/// The master's own coupons among `ids`.
async fn masters_coupons(ctx: &Context, master: &Account, ids: &[String]) -> Result<Vec<Coupon>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let query = CouponQuery { customer: Some(master.id().clone()), ..CouponQuery::default() };
    Ok(ctx.store.coupons(&query).await?.into_iter().filter(|c| ids.contains(&c.id)).collect())
}

/// One coupon of the master's, or of its member's, by id.
async fn coupon_of(ctx: &Context, holder: &AccountId, id: &str) -> Result<Coupon, EnterpriseOpError> {
    let query = CouponQuery { customer: Some(holder.clone()), coupon: Some(id.to_owned()), ..CouponQuery::default() };
    ctx.store.coupons(&query).await?.pop().ok_or_else(|| EnterpriseOpError::UnknownCoupon(id.to_owned()))
}

/// B2.11.1 `claim_enterprise_multi_account_coupon` (EMA-7): `amount` of the master's coupon
/// becomes a coupon of its member's, once per `trans_id`; returns the member's coupon's id.
pub async fn give_coupon(
    ctx: &Context,
    master: &Account,
    member: &str,
    coupon_id: &str,
    amount: Money,
    trans_id: Option<&str>,
) -> Result<String, EnterpriseOpError> {
    let member = member_for(ctx, master, member, enterprise::check_coupon_member).await?;
    let entry_id = request_entry_id(master, trans_id);
    for _ in 0..ATTEMPTS {
        let mut from = coupon_of(ctx, master.id(), coupon_id).await?;
        // The same request again: answered as the first time, nothing moves.
        if let Some(done) = ctx.store.coupon_entries(&from.id).await?.into_iter().find(|e| e.id == entry_id) {
            return Ok(done.trade);
        }
        let now = ctx.clock.now();
        let memo = format!("Given by {} from coupon {}", master.name().as_str(), from.id);
        let gift = coupon_member::Gift { master: master.id().clone(), member: member.clone(), amount, memo };
        let given = coupon_member::give(&mut new_id, &mut from, gift, entry_id.clone(), now)?;
        let audit = [event(
            now,
            master,
            Action::MemberCouponGiven,
            "coupon",
            &given.coupon.id,
            Some(format!("member={member} from={} amount={amount}", from.id)),
        )];
        let sub = given.coupon.id.clone();
        let coupons = [from, given.coupon];
        let write =
            CouponWrite { coupons: &coupons, coupon_entries: &given.entries, audit: &audit, ..CouponWrite::default() };
        match ctx.store.write_coupons(&write).await {
            Ok(()) => {
                tracing::info!(master.id = %master.id(), member.id = %member, coupon.id = %sub, "Gave a coupon to a member");
                return Ok(sub);
            }
            Err(e) if is_stale(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(EnterpriseOpError::Concurrent)
}

/// B2.11.7 `reclaim_enterprise_multi_account_coupon` (EMA-7): what is left of the member's
/// coupon `sub_coupon_id` goes back to the master's coupon `coupon_id`, once per `trans_id`;
/// returns the amount.
pub async fn take_back_coupon(
    ctx: &Context,
    master: &Account,
    member: &str,
    coupon_id: &str,
    sub_coupon_id: &str,
    trans_id: Option<&str>,
) -> Result<Money, EnterpriseOpError> {
    let member = member_for(ctx, master, member, enterprise::check_coupon_member).await?;
    let entry_id = request_entry_id(master, trans_id);
    for _ in 0..ATTEMPTS {
        let mut to = coupon_of(ctx, master.id(), coupon_id).await?;
        if let Some(done) = ctx.store.coupon_entries(&to.id).await?.into_iter().find(|e| e.id == entry_id) {
            return Ok(done.amount);
        }
        let mut given = coupon_of(ctx, &member, sub_coupon_id).await?;
        let now = ctx.clock.now();
        let (amount, entries) = coupon_member::take_back(&mut new_id, &mut given, &mut to, entry_id.clone(), now)?;
        let audit = [event(
            now,
            master,
            Action::MemberCouponTakenBack,
            "coupon",
            &given.id,
            Some(format!("member={member} to={} amount={amount}", to.id)),
        )];
        let coupons = [given, to];
        let write =
            CouponWrite { coupons: &coupons, coupon_entries: &entries, audit: &audit, ..CouponWrite::default() };
        match ctx.store.write_coupons(&write).await {
            Ok(()) => return Ok(amount),
            Err(e) if is_stale(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(EnterpriseOpError::Concurrent)
}
