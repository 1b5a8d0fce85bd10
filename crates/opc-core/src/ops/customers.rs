//! A partner's reseller customers: creation, budgets, freezes (R-RCM-*, R-DIST-*, R-QUOTA-10).
//!
//! Tenancy first, in every function: the partner whose customers are touched is the caller,
//! or — when the caller names one in `indirect_partner` — a reseller whose distributor is the
//! caller (R-DIST-02). A customer id that is not that partner's current customer is
//! [`CustomerError::NotYourCustomer`], whether or not it exists.

use crate::store::{Constraint, Row};
use opc_domain::account::{Account, FreezeScope};
use opc_domain::association::{Association, AssociationModel};
use opc_domain::audit::{Action, Actor, AuditEvent};
use opc_domain::budget::{Budget, BudgetChange, BudgetOperation, BudgetRecord};
use opc_domain::customer::{self, Email, FreezeError, PasswordError, UnfreezeError, VerificationCode};
use opc_domain::notification::{templates, Channel, Language, Notification};
use opc_domain::partner::{Partner, PartnerState, Program};
use opc_domain::spend;
use opc_domain::text::CountryCode;
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Money, NotificationId, PartnerId, Timestamp};

// Kept at this path for its callers (console, organization, the tests); it lives in `admin`
// so that `admin` does not import this module while this module imports `admin`.
use super::admin::audit_event;
use super::audit_text;
use super::auth::Caller;
use super::{random, Context};
use crate::store::{
    BudgetRecordQuery, CustomerQuery, CustomerView, IdentityKind, NewCustomer, ResellerQuery, SpendWindow, StoreError,
};
use opc_domain::organization::{Permission, Visibility};

#[derive(Debug, thiserror::Error)]
pub enum CustomerError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// R-DIST-02: a distributor acts on a reseller's customers only if the reseller is its own.
    #[error("partner {0} is not your reseller")]
    NotYourReseller(String),
    #[error("customer {0} is not your customer")]
    NotYourCustomer(String),
    /// Budgets and freezes are for reseller-model customers (R-ASSOC-15).
    #[error("customer {0} is not associated with you in the reseller model")]
    NotResellerCustomer(String),
    /// R-QUOTA-10, R-DIST-05: a frozen partner develops no customers.
    #[error("your partner account is frozen: no customer development is allowed")]
    PartnerFrozen,
    /// R-DIST-01: a distributor develops resellers; customers belong to its resellers.
    #[error("a distributor creates customers only for its resellers: name one in indirect_partner_id")]
    DistributorWithoutReseller,
    #[error("the {0} is already registered")]
    IdentityTaken(&'static str),
    #[error("the verification code is wrong or expired; send a new one")]
    BadVerificationCode,
    #[error(transparent)]
    Freeze(#[from] FreezeError),
    #[error(transparent)]
    Unfreeze(#[from] UnfreezeError),
    #[error("the customer changed meanwhile; retry")]
    Concurrent,
    /// R-ORG-02: a member's key acts only with the member's permission items. The wire names
    /// the item by its code (`opc-http`'s `From<CustomerError>`).
    #[error("access denied: the member's role does not grant {0:?}")]
    Forbidden(Permission),
    #[error(transparent)]
    Password(#[from] crate::passwords::PasswordError),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for CustomerError {
    fn from(e: StoreError) -> CustomerError {
        match e {
            StoreError::Conflict { constraint: Constraint::AccountName } => CustomerError::IdentityTaken("domain_name"),
            StoreError::Conflict { constraint: Constraint::Stale(Row::Account) | Constraint::Stale(Row::Budget) } => {
                CustomerError::Concurrent
            }
            other => CustomerError::Store(other),
        }
    }
}

fn invalid(field: &'static str, reason: impl std::fmt::Display) -> CustomerError {
    CustomerError::Invalid { field, reason: reason.to_string() }
}

/// R-ORG-02: a member's key needs the permission item; the partner's own keys need none.
pub(crate) fn require(caller: &Caller, permission: Permission) -> Result<(), CustomerError> {
    if caller.may(permission) {
        Ok(())
    } else {
        Err(CustomerError::Forbidden(permission))
    }
}

/// The partner whose customers the caller acts on, once the caller may do what it asks.
pub(crate) async fn owner(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    permission: Permission,
) -> Result<Partner, CustomerError> {
    require(caller, permission)?;
    let Some(text) = indirect_partner else {
        return Ok(caller.partner.clone());
    };
    let not_yours = || CustomerError::NotYourReseller(text.to_owned());
    let id = PartnerId::parse(text).map_err(|_| not_yours())?;
    let reseller = ctx.store.partner(&id).await?.ok_or_else(not_yours)?;
    if reseller.distributor() != Some(caller.partner.id()) {
        return Err(not_yours());
    }
    Ok(reseller)
}

/// R-DIST-05: a reseller of a frozen distributor is frozen too.
async fn effectively_frozen(ctx: &Context, partner: &Partner) -> Result<bool, CustomerError> {
    if partner.state() == PartnerState::Frozen {
        return Ok(true);
    }
    match partner.distributor() {
        Some(d) => Ok(ctx.store.partner(d).await?.is_some_and(|d| d.state() == PartnerState::Frozen)),
        None => Ok(false),
    }
}

/// The owner's current customer with this id, if the caller sees it (R-ORG-19: a member's key
/// sees the customers the member sees; others are "not your customer").
pub(crate) async fn their_customer(
    ctx: &Context,
    caller: &Caller,
    owner: &Partner,
    id: &str,
) -> Result<CustomerView, CustomerError> {
    let not_yours = || CustomerError::NotYourCustomer(id.to_owned());
    let id = AccountId::parse(id).map_err(|_| not_yours())?;
    let view = ctx.store.customer_of(owner.id(), &id).await?.ok_or_else(not_yours)?;
    if !caller.sees(view.association.account_manager()) {
        return Err(not_yours());
    }
    Ok(view)
}

/// The owner's current reseller-model customer with this id.
pub(crate) async fn their_reseller_customer(
    ctx: &Context,
    caller: &Caller,
    owner: &Partner,
    id: &str,
) -> Result<CustomerView, CustomerError> {
    let view = their_customer(ctx, caller, owner, id).await?;
    if view.association.model() != AssociationModel::Reseller {
        return Err(CustomerError::NotResellerCustomer(id.to_owned()));
    }
    Ok(view)
}

pub(crate) fn actor(caller: &Caller) -> Actor {
    match &caller.access_key {
        Some(key) => Actor::PartnerKey { partner: caller.partner.id().clone(), key: key.clone() },
        None => Actor::Customer(caller.partner.account_id().clone()),
    }
}

/// A page of customers.
pub struct CustomerPage {
    pub customers: Vec<CustomerView>,
    pub count: u64,
    /// R-QUOTA-10, R-DIST-05: while their partner (or its distributor) is frozen, its
    /// customers' accounts and resources are frozen too, whatever their own state.
    pub partner_frozen: bool,
}

/// R-RCM-01 "query customers".
pub async fn list_customers(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    query: &CustomerQuery,
) -> Result<CustomerPage, CustomerError> {
    let owner = owner(ctx, caller, indirect_partner, Permission::ViewCustomers).await?;
    let mut query = query.clone();
    if let Some(Visibility::ManagedBy(ids)) = caller.member.as_ref().map(|m| &m.visibility) {
        query.account_managers = Some(ids.clone());
    }
    let (customers, count) = ctx.store.customers_of(owner.id(), &query).await?;
    Ok(CustomerPage { customers, count, partner_frozen: effectively_frozen(ctx, &owner).await? })
}

/// `list_indirect_partners`: a distributor's resellers (none for other partners).
pub async fn list_resellers(
    ctx: &Context,
    caller: &Caller,
    query: &ResellerQuery,
) -> Result<(Vec<(Partner, Account)>, u64), CustomerError> {
    require(caller, Permission::ViewCustomers)?;
    Ok(ctx.store.resellers_of(caller.partner.id(), query).await?)
}

/// Checks that the caller may read as `indirect_partner` (its own reseller), for reads whose
/// data does not exist yet (coupons).
pub async fn check_scope(ctx: &Context, caller: &Caller, indirect_partner: Option<&str>) -> Result<(), CustomerError> {
    owner(ctx, caller, indirect_partner, Permission::ViewCustomers).await.map(|_| ())
}

/// What `create_sub_customer` asks for, as received (validated here).
#[derive(Default)]
pub struct NewSubCustomer<'a> {
    pub domain_name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub verification_code: Option<&'a str>,
    pub domain_area: Option<&'a str>,
    pub xaccount_id: Option<&'a str>,
    pub xaccount_type: Option<&'a str>,
    pub password: Option<&'a str>,
    pub mobile_phone: Option<&'a str>,
    pub marketing_opt_out: bool,
    pub indirect_partner: Option<&'a str>,
    pub model: Option<AssociationModel>,
}

fn required<'a>(field: &'static str, value: Option<&'a str>, max: usize) -> Result<&'a str, CustomerError> {
    match value {
        None | Some("") => Err(invalid(field, "is required")),
        Some(v) if v.chars().count() > max => Err(invalid(field, format_args!("is longer than {max} characters"))),
        Some(v) => Ok(v),
    }
}

/// Creates a customer account and associates it with the caller (or the caller's reseller),
/// in the reseller model unless the China-site `cooperation_type` asks for referral. The new
/// account starts frozen (R-RCM-02) until its partner sets a budget and unfreezes it.
pub async fn create_customer(
    ctx: &Context,
    caller: &Caller,
    new: &NewSubCustomer<'_>,
) -> Result<Account, CustomerError> {
    let country =
        CountryCode::parse(required("domain_area", new.domain_area, 2)?).map_err(|e| invalid("domain_area", e))?;
    let xaccount_id = required("xaccount_id", new.xaccount_id, 64)?;
    let xaccount_type = required("xaccount_type", new.xaccount_type, 64)?;
    let name = match new.domain_name.filter(|n| !n.is_empty()) {
        Some(n) => customer::customer_login_name(n).map_err(|e| invalid("domain_name", e))?,
        None => {
            let random_name = format!("c{}", &hex_string(random::<16>())[..31]);
            customer::customer_login_name(&random_name).expect("a generated name follows the rules")
        }
    };
    let email = new.email.filter(|e| !e.is_empty()).map(Email::parse).transpose().map_err(|e| invalid("email", e))?;
    if let Some(password) = new.password.filter(|p| !p.is_empty()) {
        customer::check_password(password, name.as_str(), email.as_ref().map(Email::as_str))
            .map_err(|e: PasswordError| invalid("password", e))?;
    }
    let phone = new.mobile_phone.filter(|p| !p.is_empty());
    if phone.is_some_and(|p| p.chars().count() > 32 || !p.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b'+'))
    {
        return Err(invalid("mobile_phone", "must be digits"));
    }

    let owner = owner(ctx, caller, new.indirect_partner, Permission::DevelopCustomers).await?;
    if owner.is_in(Program::DistributionPartner) && owner.id() == caller.partner.id() {
        return Err(CustomerError::DistributorWithoutReseller);
    }
    if effectively_frozen(ctx, &owner).await? {
        return Err(CustomerError::PartnerFrozen);
    }
    if ctx.store.identity_in_use(IdentityKind::Name, name.as_str()).await? {
        return Err(CustomerError::IdentityTaken("domain_name"));
    }
    let now = ctx.clock.now();
    if let Some(email) = &email {
        if ctx.store.identity_in_use(IdentityKind::Email, email.as_str()).await? {
            return Err(CustomerError::IdentityTaken("email"));
        }
        let code = new.verification_code.unwrap_or_default();
        if !code_accepted(ctx, email, code, now).await? {
            return Err(CustomerError::BadVerificationCode);
        }
    }

    let mut account = Account::new_registered(AccountId::from_random(random()), name, country, now);
    let password_hash = match new.password.filter(|p| !p.is_empty()) {
        Some(password) => Some(ctx.passwords.hash(password).await?),
        None => None,
    };
    account.set_login(email.as_ref().map(|e| e.as_str().to_owned()), password_hash);
    account.set_phone(phone.map(str::to_owned));
    account.set_marketing_opt_out(new.marketing_opt_out);
    let model = new.model.unwrap_or(AssociationModel::Reseller);
    let (association, freeze) = Association::begin(account.id().clone(), owner.id().clone(), model, now);
    if let Some(freeze) = freeze {
        account.set_freeze(freeze);
    }
    let association = association.on_platform(xaccount_id, xaccount_type);

    // R-ASSOC-21: the customer is told of the association by email, in its partner's language
    // (the new account has chosen none yet).
    let lang = super::partner_language(ctx, &owner).await?;
    let reseller = model == AssociationModel::Reseller;
    let text = templates::account_created(lang, account.name().as_str(), owner.name().as_str(), reseller);
    let notifications: Vec<Notification> = email.iter().map(|e| super::email(e.as_str(), text.clone(), now)).collect();
    let audit = [audit_event(
        now,
        actor(caller),
        Some(owner.id()),
        Action::CustomerAssociated,
        "customer",
        account.id().as_str(),
        None,
        Some(format!("model={} frozen={}", audit_text::association_model(model), account.is_frozen())),
    )];
    ctx.store
        .register_customer(&NewCustomer {
            account: &account,
            association: &association,
            consumes_codes_of: email.as_ref(),
            notifications: &notifications,
            audit: &audit,
        })
        .await?;
    tracing::info!(partner.id = %owner.id(), customer.id = %account.id(), "Created customer");
    Ok(account)
}

fn hex_string(bytes: [u8; 16]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `check_user_identity`: whether a login name, mobile number or email is still free.
pub async fn identity_available(ctx: &Context, kind: IdentityKind, value: &str) -> Result<bool, CustomerError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > 64 {
        return Err(invalid("search_value", "must be 1 to 64 characters"));
    }
    let canonical = match kind {
        IdentityKind::Name => {
            customer::customer_login_name(value).map_err(|e| invalid("search_value", e))?.as_str().to_owned()
        }
        IdentityKind::Email => Email::parse(value).map_err(|e| invalid("search_value", e))?.as_str().to_owned(),
        IdentityKind::Mobile => {
            let (prefix, number) = value.split_once('-').unwrap_or(("", ""));
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            if prefix.len() != 4 || !digits(prefix) || !digits(number) {
                return Err(invalid("search_value", "a mobile number is 00XX-XXXXXXXX"));
            }
            value.to_owned()
        }
    };
    Ok(!ctx.store.identity_in_use(kind, &canonical).await?)
}

/// `send_verification_message_code`: a six-digit code to the email, through the outbox.
pub async fn send_verification_code(
    ctx: &Context,
    caller: &Caller,
    email: &str,
    timeout_minutes: Option<u32>,
    lang: Language,
) -> Result<(), CustomerError> {
    require(caller, Permission::DevelopCustomers)?;
    let email = Email::parse(email).map_err(|e| invalid("email", e))?;
    queue_verification_code(ctx, email, timeout_minutes, lang, actor(caller), Some(caller.partner.id())).await?;
    Ok(())
}

/// Whether `code` is the email's latest verification code and still valid at `now`.
pub(crate) async fn code_accepted(
    ctx: &Context,
    email: &Email,
    code: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let latest = ctx.store.latest_verification_code(email).await?;
    Ok(latest.is_some_and(|c| c.accepts_hashed(&ctx.master_key.verification_code_key(), code, now)))
}

/// Stores a fresh code for the email and queues the message that carries it.
pub(crate) async fn queue_verification_code(
    ctx: &Context,
    email: Email,
    timeout_minutes: Option<u32>,
    lang: Language,
    actor: Actor,
    partner: Option<&PartnerId>,
) -> Result<(), StoreError> {
    let now = ctx.clock.now();
    let lifetime = VerificationCode::lifetime(timeout_minutes);
    let code = VerificationCode::new(email.clone(), u32::from_le_bytes(random()), now, lifetime);
    let minutes = lifetime.0 / 60_000;
    let (subject, body) = templates::verification_code(lang, &code.code, minutes);
    let notification = Notification {
        id: NotificationId::from_random(random()),
        channel: Channel::Email,
        recipient: email.as_str().to_owned(),
        subject,
        body,
        created_at: now,
    };
    let audit = [AuditEvent {
        id: opc_domain::AuditEventId::from_random(random()),
        at: now,
        actor,
        on_behalf_of: None,
        partner: partner.cloned(),
        action: Action::VerificationCodeSent,
        subject: opc_domain::audit::Subject { kind: "account", id: email.as_str().to_owned() },
        before: None,
        after: None,
    }];
    // Issue 18: stored as its keyed hash; the digits are only in the email.
    let stored = code.hashed(&ctx.master_key.verification_code_key());
    ctx.store.insert_verification_code(&stored, &notification, &audit).await
}

/// `update_sub_customer_budget` (R-RCM-03): sets the budget, writes its record, and with
/// `unfreeze_account` lifts an account freeze at the same time.
pub async fn set_budget(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    customer_id: &str,
    change: &BudgetChange,
    unfreeze_account: bool,
) -> Result<(), CustomerError> {
    let owner = owner(ctx, caller, indirect_partner, Permission::ControlCustomers).await?;
    let view = their_reseller_customer(ctx, caller, &owner, customer_id).await?;
    let now = ctx.clock.now();
    let current = ctx.store.budget(view.account.id()).await?;
    let budget = Budget::set(current.as_ref(), view.account.id(), owner.id(), change, now);
    let caller_account = caller_account_name(ctx, caller).await?;
    let record = BudgetRecord {
        customer: view.account.id().clone(),
        partner: owner.id().clone(),
        operation: BudgetOperation::Setting,
        budget_type: budget.budget_type(),
        amount: budget.amount(),
        operator: caller_account.clone(),
        partner_corp_name: caller.partner.name().as_str().to_owned(),
        partner_account_name: caller_account,
        at: now,
    };
    let mut audit = vec![audit_event(
        now,
        actor(caller),
        Some(owner.id()),
        Action::BudgetSet,
        "customer",
        view.account.id().as_str(),
        current.as_ref().map(describe_budget),
        Some(describe_budget(&budget)),
    )];
    let mut unfrozen = None;
    if unfreeze_account && view.account.is_frozen() {
        customer::unfreeze(view.account.freeze(), FreezeScope::Account, effectively_frozen(ctx, &owner).await?)?;
        let mut account = view.account.clone();
        account.lift_freeze();
        audit.push(unfreeze_event(caller, &owner, &view.account, now, "budget set with cancel_partner_frozen"));
        unfrozen = Some(account);
    }
    let expected_version = current.map(|b| b.version());
    ctx.store
        .set_budget(&budget, expected_version, &spend::baseline_when_set, &record, unfrozen.as_ref(), &audit)
        .await?;
    Ok(())
}

async fn caller_account_name(ctx: &Context, caller: &Caller) -> Result<String, CustomerError> {
    Ok(ctx
        .store
        .account(caller.partner.account_id())
        .await?
        .map_or_else(|| "system".to_owned(), |a| a.name().as_str().to_owned()))
}

fn describe_budget(b: &Budget) -> String {
    format!(
        "type={} amount={} auto_freeze={}",
        audit_text::budget_type(b.budget_type()),
        b.amount(),
        audit_text::auto_freeze(b.auto_freeze())
    )
}

/// `show_sub_customer_budget`: the reseller customer's budget, if one is set, and the spend it
/// is compared with.
pub async fn show_budget(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    customer_id: &str,
) -> Result<(Option<Budget>, Money), CustomerError> {
    let owner = owner(ctx, caller, indirect_partner, Permission::ViewCustomers).await?;
    let view = their_reseller_customer(ctx, caller, &owner, customer_id).await?;
    let budget = ctx.store.budget(view.account.id()).await?;
    let used = budget_used(ctx, view.account.id(), budget.as_ref()).await?;
    Ok((budget, used))
}

/// R-RCM-04, R-RCM-06, R-BILL-18: the list-price spend a budget is compared with: this
/// billing cycle's for a monthly budget (it restores on the 1st) or when none is set; for a
/// package budget, everything since it was set (it never restores).
pub async fn budget_used(ctx: &Context, customer: &AccountId, budget: Option<&Budget>) -> Result<Money, StoreError> {
    let cycle = Cycle::of(ctx.clock.now(), ctx.policy.billing_offset);
    ctx.store.spend(customer, SpendWindow::of(budget.map(|b| b.budget_type()), cycle)).await
}

/// `list_sub_customer_budget`: ids that are not the owner's reseller customers are left out.
pub async fn list_budgets(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    customer_ids: &[String],
) -> Result<Vec<(Budget, Money)>, CustomerError> {
    let owner = owner(ctx, caller, indirect_partner, Permission::ViewCustomers).await?;
    let mut ids: Vec<AccountId> = customer_ids.iter().filter_map(|id| AccountId::parse(id).ok()).collect();
    if caller.member.is_some() {
        // R-ORG-19: a member's key gets only the budgets of customers the member sees.
        let mut visible = Vec::with_capacity(ids.len());
        for id in ids {
            if their_customer(ctx, caller, &owner, id.as_str()).await.is_ok() {
                visible.push(id);
            }
        }
        ids = visible;
    }
    let mut out = vec![];
    for budget in ctx.store.budgets_of(owner.id(), &ids).await? {
        let used = budget_used(ctx, budget.customer(), Some(&budget)).await?;
        out.push((budget, used));
    }
    Ok(out)
}

/// `list_sub_customer_budget_records`.
pub async fn budget_records(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    customer_id: &str,
    query: &BudgetRecordQuery,
) -> Result<(Vec<BudgetRecord>, u64), CustomerError> {
    let owner = owner(ctx, caller, indirect_partner, Permission::ViewCustomers).await?;
    let view = their_customer(ctx, caller, &owner, customer_id).await?;
    Ok(ctx.store.budget_records(owner.id(), view.account.id(), query).await?)
}

/// The ids of a batch that failed, each with why; the others were applied.
pub type BatchFailures = Vec<(String, CustomerError)>;

/// `freeze_sub_customers` (R-RCM-10): each id on its own; failures are reported, not fatal.
pub async fn freeze_customers(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    ids: &[String],
    scope: FreezeScope,
    reason: &str,
) -> Result<BatchFailures, CustomerError> {
    let reason = required("reason", Some(reason.trim()), 512)?;
    let owner = owner(ctx, caller, indirect_partner, Permission::ControlCustomers).await?;
    let mut failures = vec![];
    for id in dedup(ids) {
        let outcome = async {
            let view = their_reseller_customer(ctx, caller, &owner, id).await?;
            let now = ctx.clock.now();
            let mut account = view.account.clone();
            account.set_freeze(customer::freeze(view.account.freeze(), scope, now)?);
            let audit = [audit_event(
                now,
                actor(caller),
                Some(owner.id()),
                Action::CustomerFrozen,
                "customer",
                account.id().as_str(),
                Some(audit_text::freeze(view.account.freeze())),
                Some(format!("{} reason={reason}", audit_text::freeze(account.freeze()))),
            )];
            ctx.store.update_account_freeze(&account, &audit).await.map_err(CustomerError::from)
        }
        .await;
        if let Err(e) = outcome {
            failures.push((id.clone(), e));
        }
    }
    Ok(failures)
}

/// `unfreeze_sub_customers` (R-RCM-12): the type must match the freeze; a frozen partner may
/// unfreeze accounts but not resources (R-RCM-11).
pub async fn unfreeze_customers(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    ids: &[String],
    scope: FreezeScope,
    reason: &str,
) -> Result<BatchFailures, CustomerError> {
    let reason = required("reason", Some(reason.trim()), 512)?;
    let owner = owner(ctx, caller, indirect_partner, Permission::ControlCustomers).await?;
    let partner_frozen = effectively_frozen(ctx, &owner).await?;
    let mut failures = vec![];
    for id in dedup(ids) {
        let outcome = async {
            let view = their_reseller_customer(ctx, caller, &owner, id).await?;
            customer::unfreeze(view.account.freeze(), scope, partner_frozen)?;
            let mut account = view.account.clone();
            account.lift_freeze();
            let audit = [unfreeze_event(caller, &owner, &view.account, ctx.clock.now(), reason)];
            ctx.store.update_account_freeze(&account, &audit).await.map_err(CustomerError::from)
        }
        .await;
        if let Err(e) = outcome {
            failures.push((id.clone(), e));
        }
    }
    Ok(failures)
}

fn unfreeze_event(caller: &Caller, owner: &Partner, before: &Account, now: Timestamp, reason: &str) -> AuditEvent {
    audit_event(
        now,
        actor(caller),
        Some(owner.id()),
        Action::CustomerUnfrozen,
        "customer",
        before.id().as_str(),
        Some(audit_text::freeze(before.freeze())),
        Some(format!("freeze=none reason={reason}")),
    )
}

fn dedup(ids: &[String]) -> Vec<&String> {
    let mut seen = std::collections::HashSet::new();
    ids.iter().filter(|id| seen.insert(id.as_str())).collect()
}

/// Issue 17: why the customer's account is frozen, for the customer to read — its freeze and,
/// when its partner froze it, the reason the partner gave (from the freeze's audit event).
pub async fn why_frozen(
    ctx: &Context,
    account: &Account,
) -> Result<Option<(opc_domain::account::Freeze, Option<String>)>, StoreError> {
    let Some(freeze) = account.freeze() else { return Ok(None) };
    let reason = match freeze.cause {
        opc_domain::account::FreezeCause::Partner => {
            let query = crate::store::AuditQuery {
                subject_id: Some(account.id().as_str().to_owned()),
                filter: crate::store::AuditFilter { action: Some(Action::CustomerFrozen), ..Default::default() },
                limit: 1,
                ..Default::default()
            };
            let latest = ctx.store.audit_events(&query).await?.into_iter().next();
            latest.and_then(|e| e.after).and_then(|after| after.split_once("reason=").map(|(_, r)| r.to_owned()))
        }
        _ => None,
    };
    Ok(Some((freeze, reason)))
}
