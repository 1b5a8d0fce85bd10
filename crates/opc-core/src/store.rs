//! The storage port. Each method is one transaction. Implementations hold no business rules:
//! they persist decisions made by `ops` and the domain, and report conflicts by name.

use async_trait::async_trait;
use opc_domain::access_key::AccessKey;
use opc_domain::account::{Account, AccountName};
use opc_domain::association::{Association, AssociationModel};
use opc_domain::audit::AuditEvent;
use opc_domain::budget::{Budget, BudgetOperation, BudgetRecord, BudgetType};
use opc_domain::catalog::Catalog;
use opc_domain::console::{NewAccountLink, Session, SessionSubject, Staff};
use opc_domain::credential::Certificate;
use opc_domain::customer::{Email, VerificationCode};
use opc_domain::development::{DisassociationRequest, Invitation, InvitationToken, PreRegistration};
use opc_domain::goal::RevenueGoal;
use opc_domain::hcpn::HcpnApplication;
use opc_domain::information::{BusinessInformation, InfoKind, PaymentInformation, ReviewState};
use opc_domain::notification::{Delivery, Notification};
use opc_domain::order::{Order, OrderStatus, OrderType, PurchaseBlock, RenewConfig, Resource, Term};
use opc_domain::organization::{Member, Role};
use opc_domain::partner::{Enrollment, Partner};
use opc_domain::path::PathMembership;
use opc_domain::personnel::Personnel;
use opc_domain::program::ProgramApplication;
use opc_domain::tenant::TenantInfo;
use opc_domain::text::CountryCode;
use opc_domain::tier::TierChange;
use opc_domain::usage::{Cycle, Expenditure};
use opc_domain::{AccessKeyId, AccountId, MemberId, Millis, Money, PartnerId, StaffId, Timestamp};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A row the write expected is absent.
    #[error("not found")]
    NotFound,
    /// A uniqueness or foreign-key constraint, or an optimistic-concurrency version check,
    /// refused the write. `constraint` is a backend-independent name such as `accounts.name`.
    #[error("conflict on {constraint}")]
    Conflict { constraint: &'static str },
    /// Anything else: the database is down, a query is wrong. Never shown to clients.
    #[error("storage unavailable")]
    Unavailable(#[source] anyhow::Error),
}

/// An access key with its secret sealed by the master key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedAccessKey {
    pub key: AccessKey,
    pub sealed_secret: Vec<u8>,
}

/// A partner's customer as `list_sub_customers` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerView {
    pub account: Account,
    pub association: Association,
}

/// Filters of `list_sub_customers`. Text filters are case-insensitive substring matches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerQuery {
    pub account_name: Option<String>,
    pub customer: Option<String>,
    pub label: Option<String>,
    pub model: Option<AssociationModel>,
    pub associated_from: Option<Timestamp>,
    pub associated_to: Option<Timestamp>,
    pub customer_id: Option<AccountId>,
    /// R-ORG-19: only customers whose account manager is one of these.
    pub account_managers: Option<Vec<MemberId>>,
    pub offset: u32,
    pub limit: u32,
}

/// A customer's spend on one resource in a cycle, or on one day of it (`day`: days since
/// 1970-01-01 in the billing time zone), summed from its rated usage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageSummary {
    pub resource_id: String,
    pub service_type: String,
    pub resource_type: String,
    pub spec: String,
    pub region: String,
    pub day: Option<i64>,
    pub amount: Money,
    pub first_ended_at: Timestamp,
    pub last_ended_at: Timestamp,
}

/// Filters of `list_customerself_resource_records`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UsageQuery {
    pub cycle: Cycle,
    pub service_type: Option<String>,
    pub region: Option<String>,
    pub resource_id: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

/// Whose orders a listing covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderScope {
    Customer(AccountId),
    /// The partner's current reseller customers.
    Partner(PartnerId),
}

/// Filters of `list_customer_orders`, whoever's orders they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderFilter {
    pub order_id: Option<String>,
    pub status: Option<OrderStatus>,
    pub order_type: Option<OrderType>,
    pub service_type: Option<String>,
    pub created: (Option<Timestamp>, Option<Timestamp>),
    pub paid: (Option<Timestamp>, Option<Timestamp>),
    pub newest_first: bool,
    pub offset: u32,
    pub limit: u32,
}

/// A change of a customer's list-price spend from an order: a payment, or a refund
/// (negative), counted in the cycle it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Charge {
    pub id: String,
    pub order_id: String,
    pub customer: AccountId,
    pub partner: Option<(PartnerId, AssociationModel)>,
    pub amount: Money,
    pub cycle: Cycle,
    pub at: Timestamp,
}

/// The spend a purchase is weighed against: the customer's in its budget's period, and its
/// partner's reseller customers' in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpendScope {
    pub customer: AccountId,
    pub window: SpendWindow,
    pub partner: Option<PartnerId>,
}

/// Which spend of a customer: a billing cycle's (a MONTHLY budget's), or what was recorded
/// since its budget was set (a PACKAGE budget's, which never restores).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpendWindow {
    Cycle(Cycle),
    SinceBudgetSet,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spent {
    pub customer: Money,
    pub partner: Money,
}

/// The decision on a purchase, taken on the spend read under the payment's lock.
pub type SpendCheck<'a> = &'a (dyn Fn(&Spent) -> Result<(), PurchaseBlock> + Send + Sync);

/// An order's settlement, written in one transaction: the order (inserted, or updated from
/// pending at `pending_version`), the resources it creates and changes, its charges. With a
/// `check`, the customer's and partner's rows are locked first, so that concurrent payments
/// are weighed one after the other, and nothing is written if the check refuses.
pub struct Settlement<'a> {
    pub order: &'a Order,
    pub pending_version: Option<i64>,
    pub new_resources: &'a [Resource],
    pub changed_resources: &'a [Resource],
    pub charges: &'a [Charge],
    pub check: Option<(&'a SpendScope, SpendCheck<'a>)>,
    pub audit: &'a [AuditEvent],
}

/// Budgets and quotas with their spend: see [`Store::spend_state`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpendState {
    pub budgets: Vec<(Budget, Money)>,
    /// (partner, its consumption quota, its reseller customers' spend).
    pub quotas: Vec<(PartnerId, Money, Money)>,
}

/// A pay-per-use resource, as its usage shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnDemandResource {
    pub resource_id: String,
    pub service_type: String,
    pub resource_type: String,
    pub spec: String,
    pub region: String,
    /// Its first usage.
    pub since: Timestamp,
}

/// Filters of `list_customer_on_demand_resources`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OnDemandQuery {
    pub region: Option<String>,
    pub service_type: Option<String>,
    pub resource_ids: Vec<String>,
    pub since: (Option<Timestamp>, Option<Timestamp>),
    pub offset: u32,
    pub limit: u32,
}

/// Filters of `list_sub_customer_budget_records`, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BudgetRecordQuery {
    pub operation: Option<BudgetOperation>,
    pub budget_type: Option<BudgetType>,
    pub offset: u32,
    pub limit: u32,
}

/// Filters of `list_indirect_partners`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResellerQuery {
    pub account_name: Option<String>,
    pub associated_from: Option<Timestamp>,
    pub associated_to: Option<Timestamp>,
    pub reseller: Option<PartnerId>,
    pub offset: u32,
    pub limit: u32,
}

/// What identifies a would-be customer (`check_user_identity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentityKind {
    Name,
    Email,
    Mobile,
}

/// A new customer with everything written with it.
pub struct NewCustomer<'a> {
    pub account: &'a Account,
    pub association: &'a Association,
    /// The verification codes of this email are used up by the registration.
    pub consumes_codes_of: Option<&'a Email>,
    pub notifications: &'a [Notification],
    pub audit: &'a [AuditEvent],
}

/// A customer's acceptance of an invitation, with everything written with it.
pub struct Acceptance<'a> {
    /// A new account registered to accept (R-ASSOC-20 "Register for Association")…
    pub new_account: Option<&'a Account>,
    /// …or an existing account (its freeze written, version-checked).
    pub existing_account: Option<&'a Account>,
    pub association: &'a Association,
    /// R-ASSOC-19: the Customer Authorization Letter was accepted.
    pub authorized: bool,
    /// The accepting partner's pre-registration of this customer, now associated.
    pub pre_registration: Option<&'a PreRegistration>,
    pub consumes_codes_of: Option<&'a Email>,
    pub notifications: &'a [Notification],
    pub audit: &'a [AuditEvent],
}

/// What an approved disassociation ends.
pub struct Disassociation<'a> {
    /// The customer's account with the partner's freezes lifted (version-checked).
    pub account: &'a Account,
    /// The budget removed with the association, recorded as a DELETE.
    pub budget_record: Option<&'a BudgetRecord>,
}

/// What a partner information authentication carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InfoData {
    Business(BusinessInformation),
    Payment(PaymentInformation),
}

impl InfoData {
    pub fn kind(&self) -> InfoKind {
        match self {
            InfoData::Business(_) => InfoKind::Business,
            InfoData::Payment(_) => InfoKind::Payment,
        }
    }
}

/// One partner information authentication and its review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InfoRecord {
    pub partner: PartnerId,
    pub data: InfoData,
    pub state: ReviewState,
    pub submitted_at: Timestamp,
    pub version: i64,
}

/// A stored qualification proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
    pub uploaded_at: Timestamp,
}

/// Which audit events to read, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub partner: Option<PartnerId>,
    pub subject_id: Option<String>,
    pub limit: u32,
    /// Events skipped, newest first (for paging).
    pub offset: u32,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Applies pending migrations. Idempotent.
    async fn migrate(&self) -> Result<(), StoreError>;

    /// Inserts an enrolled partner, its account and its first access key.
    async fn insert_partner(
        &self,
        account: &Account,
        partner: &Partner,
        key: &SealedAccessKey,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn partner(&self, id: &PartnerId) -> Result<Option<Partner>, StoreError>;
    /// Partners whose name contains `name` (case-insensitive), newest first, and how many
    /// match in all.
    async fn partners(&self, name: Option<&str>, offset: u32, limit: u32) -> Result<(Vec<Partner>, u64), StoreError>;
    /// Writes the partner's state and consumption quota if its stored version is still
    /// `partner.version`.
    async fn update_partner(&self, partner: &Partner, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// A distributor's resellers with their accounts, oldest first, and how many match in all.
    async fn resellers_of(
        &self,
        distributor: &PartnerId,
        query: &ResellerQuery,
    ) -> Result<(Vec<(Partner, Account)>, u64), StoreError>;
    async fn account(&self, id: &AccountId) -> Result<Option<Account>, StoreError>;
    async fn account_by_name(&self, name: &AccountName) -> Result<Option<Account>, StoreError>;
    /// The account registered with this email (compared case-insensitively).
    async fn account_by_email(&self, email: &Email) -> Result<Option<Account>, StoreError>;
    /// The partner whose account this is.
    async fn partner_of_account(&self, account: &AccountId) -> Result<Option<Partner>, StoreError>;
    /// Registers a cloud account on its own (no partner): uses up the email's codes. With
    /// `uses_link` (a new-account link's token SHA-256 and now), also uses up that link, in the
    /// same transaction: `Conflict { constraint: "new_account_links.used" }` when it is used
    /// or expired by then (R-ACCT-13).
    async fn register_account(
        &self,
        account: &Account,
        consumes_codes_of: &Email,
        uses_link: Option<(&str, Timestamp)>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Stores a new-account link (R-ACCT-13) and uses up the codes of the email it verified.
    async fn insert_new_account_link(
        &self,
        link: &NewAccountLink,
        consumes_codes_of: &Email,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn new_account_link(&self, token_sha256: &str) -> Result<Option<NewAccountLink>, StoreError>;
    /// Sets (inserts or replaces) a partner's revenue goal for its year (R-PROG-44).
    async fn set_revenue_goal(&self, goal: &RevenueGoal, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// The partner's revenue goals, latest year first.
    async fn revenue_goals(&self, partner: &PartnerId) -> Result<Vec<RevenueGoal>, StoreError>;

    /// The development paths of the account and of every account of its company
    /// (`BusinessInfo::company_key`, R-HCPN-19).
    async fn company_paths(&self, account: &AccountId) -> Result<Vec<PathMembership>, StoreError>;
    /// Inserts (`expected_version` `None`) or updates, with a version check, a path membership.
    async fn save_path(
        &self,
        membership: &PathMembership,
        expected_version: Option<i64>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// R-PROG-23: the business areas in which another account of the account's company has
    /// applied to, or joined, the Cloud Solution Provider program.
    async fn company_csp_areas(&self, account: &AccountId) -> Result<Vec<CountryCode>, StoreError>;
    /// R-HCPN-13: whether the partner has been invited to apply for Core.
    async fn core_invited(&self, partner: &PartnerId) -> Result<bool, StoreError>;
    async fn invite_to_core(
        &self,
        partner: &PartnerId,
        at: Timestamp,
        by: &str,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Partners of `country` other than `excluding` now at Core in some program by the entry
    /// path `entry_path` (R-HCPN-14, R-HCPN-15).
    async fn core_partners(
        &self,
        country: &CountryCode,
        entry_path: &str,
        excluding: &PartnerId,
    ) -> Result<u32, StoreError>;
    /// Records a tier change and sets the enrollment's tier, if it is still `change.from`.
    async fn change_tier(&self, change: &TierChange, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// The partner's tier changes, latest first.
    async fn tier_changes(&self, partner: &PartnerId) -> Result<Vec<TierChange>, StoreError>;

    /// Stores `catalog` as the new current version; returns its version number.
    async fn import_catalog(
        &self,
        catalog: &Catalog,
        at: Timestamp,
        by: &str,
        audit: &[AuditEvent],
    ) -> Result<i64, StoreError>;
    /// The current catalog and its version, if one was ever imported.
    async fn catalog(&self) -> Result<Option<(i64, Catalog)>, StoreError>;
    /// Stores rated usage; a record whose id is stored already is skipped. Returns how many
    /// were new and how many were duplicates. If a running sum would pass `Money::MAX`
    /// (`Conflict` on `spend_totals.amount_e8`, `usage_hours.amount_e8` or
    /// `usage_hours.usage_e8`), nothing is written.
    async fn ingest_usage(
        &self,
        expenditures: &[Expenditure],
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(u64, u64), StoreError>;
    /// The thresholds whose notice `(kind, subject, period, …)` was sent already.
    async fn notices_sent(&self, kind: &str, subject: &str, period: i64) -> Result<Vec<u32>, StoreError>;
    /// Records that the notice `(kind, subject, period, threshold)` is sent, with its
    /// notifications and audit events, unless it was already: returns whether it is new.
    #[allow(clippy::too_many_arguments)]
    async fn record_notice(
        &self,
        kind: &str,
        subject: &str,
        period: i64,
        threshold: u32,
        at: Timestamp,
        notifications: &[Notification],
        audit: &[AuditEvent],
    ) -> Result<bool, StoreError>;
    /// Claims up to `limit` pending notifications due at `now`, oldest first, moving each one's
    /// next attempt `lease` ahead: no other claim takes it meanwhile. Each with its attempts so far.
    async fn claim_notifications(
        &self,
        now: Timestamp,
        lease: Millis,
        limit: u32,
    ) -> Result<Vec<(Notification, u32)>, StoreError>;
    /// Records the `attempts`-th attempt of a notification and what became of it.
    async fn record_delivery(
        &self,
        id: &opc_domain::NotificationId,
        attempts: u32,
        outcome: &Delivery,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Sets (`Some((url, sealed secret))`) or removes the partner's webhook.
    async fn set_webhook(
        &self,
        partner: &PartnerId,
        webhook: Option<(&str, &[u8])>,
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// The partner's webhook: its URL and sealed secret.
    async fn webhook(&self, partner: &PartnerId) -> Result<Option<(String, Vec<u8>)>, StoreError>;
    /// Stores a new pending order.
    async fn insert_order(&self, order: &Order, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn order(&self, id: &str) -> Result<Option<Order>, StoreError>;
    /// The orders of `scope` matching `filter` (lines included), with the count of all that match.
    async fn orders(&self, scope: &OrderScope, filter: &OrderFilter) -> Result<(Vec<Order>, u64), StoreError>;
    /// Writes a settlement; `Ok(Some(block))` when its check refused and nothing was written.
    async fn settle_order(&self, settlement: &Settlement<'_>) -> Result<Option<PurchaseBlock>, StoreError>;
    async fn resource(&self, id: &str) -> Result<Option<Resource>, StoreError>;
    /// Open main resources with automatic renewal or the change to pay-per-use whose expiry is
    /// at or before `until`, soonest first.
    async fn resources_due(&self, until: Timestamp, limit: u32) -> Result<Vec<Resource>, StoreError>;
    /// The customer's yearly/monthly resources, oldest first.
    async fn resources_of(&self, customer: &AccountId) -> Result<Vec<Resource>, StoreError>;
    /// Updates resources, each if still at its version.
    async fn update_resources(&self, changed: &[Resource], audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// The terms paid for a resource: its lines in completed purchase and renewal orders.
    async fn terms_of(&self, resource: &str) -> Result<Vec<Term>, StoreError>;
    /// The customer's pay-per-use resources, from its usage, newest first, with the count.
    async fn on_demand_resources(
        &self,
        customer: &AccountId,
        query: &OnDemandQuery,
    ) -> Result<(Vec<OnDemandResource>, u64), StoreError>;
    async fn set_renew_config(
        &self,
        customer: &AccountId,
        config: RenewConfig,
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn renew_config(&self, customer: &AccountId) -> Result<(Option<u8>, Option<i8>), StoreError>;
    /// R-ASSOC-19, R-RCM-14: records (`Some(at)`) or withdraws the customer's authorization
    /// letter on its current association with the partner.
    async fn set_authorization(
        &self,
        customer: &AccountId,
        partner: &PartnerId,
        granted: Option<Timestamp>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// When the customer's current association with the partner got the authorization letter.
    async fn authorization(&self, customer: &AccountId, partner: &PartnerId) -> Result<Option<Timestamp>, StoreError>;
    /// Which of `customers` exist, each with its current association's partner and model.
    async fn usage_owners(
        &self,
        customers: &[AccountId],
    ) -> Result<Vec<(AccountId, Option<(PartnerId, AssociationModel)>)>, StoreError>;
    /// The customer's rated usage in `cycle`, newest first, filtered, with the count of all that
    /// match (`list_customerself_resource_records`).
    async fn usage_records_of(
        &self,
        customer: &AccountId,
        query: &UsageQuery,
    ) -> Result<(Vec<Expenditure>, u64), StoreError>;
    /// Who receives the partner's budget and quota notices, if the partner said.
    async fn notice_recipients(&self, partner: &PartnerId) -> Result<Option<Vec<Email>>, StoreError>;
    /// Sets them (replacing any before).
    async fn set_notice_recipients(
        &self,
        partner: &PartnerId,
        emails: &[Email],
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// The customer's spend per resource in the query's cycle, or per resource and day when
    /// `day_offset` (the billing zone's offset from UTC) is given; with the count of groups.
    async fn usage_summaries_of(
        &self,
        customer: &AccountId,
        query: &UsageQuery,
        day_offset: Option<Millis>,
    ) -> Result<(Vec<UsageSummary>, u64), StoreError>;
    /// The list-price spend of the partner's reseller customers (R-QUOTA-06).
    async fn partner_reseller_spend(&self, partner: &PartnerId) -> Result<Money, StoreError>;
    /// The customer's list-price spend, usage and orders, in `window`.
    async fn spend(&self, customer: &AccountId, window: SpendWindow) -> Result<Money, StoreError>;

    /// The partner's dedicated personnel and invitations, latest invitation first.
    async fn personnel_of_partner(&self, partner: &PartnerId) -> Result<Vec<Personnel>, StoreError>;
    /// Every partner's record of this HUAWEI ID (R-ORG-08, R-ORG-10).
    async fn personnel_of_account(&self, account: &AccountId) -> Result<Vec<Personnel>, StoreError>;
    async fn personnel_by_token(&self, token_sha256: &str) -> Result<Option<Personnel>, StoreError>;
    /// The certificates bound to these accounts (R-ORG-14).
    async fn certificates_of(&self, accounts: &[AccountId]) -> Result<Vec<Certificate>, StoreError>;
    /// Binds a certificate; a number bound to any account already is a conflict on
    /// `person_certificates.number` (R-ORG-17: unbind it there first).
    async fn bind_certificate(&self, certificate: &Certificate, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// Unbinds the account's certificate `number`; `NotFound` if the account holds no such one.
    async fn unbind_certificate(
        &self,
        account: &AccountId,
        number: &str,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Inserts (`expected_version` `None`) or updates, with a version check, a personnel
    /// record, with the notifications it sends.
    async fn save_personnel(
        &self,
        personnel: &Personnel,
        expected_version: Option<i64>,
        notifications: &[Notification],
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;

    async fn insert_staff(&self, staff: &Staff, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn staff(&self, id: &StaffId) -> Result<Option<Staff>, StoreError>;
    async fn staff_by_email(&self, email: &Email) -> Result<Option<Staff>, StoreError>;
    async fn insert_session(&self, session: &Session) -> Result<(), StoreError>;
    /// Records a failed sign-in of `login` (lower-cased) and drops failures older than `forget_before`.
    async fn record_login_failure(
        &self,
        login: &str,
        at: Timestamp,
        forget_before: Timestamp,
    ) -> Result<(), StoreError>;
    /// How many sign-ins of `login` failed at or after `since`.
    async fn login_failures(&self, login: &str, since: Timestamp) -> Result<u32, StoreError>;
    /// Counts a sign-in attempt of `login` (lower-cased) before its password is checked, in one
    /// transaction that holds the login's lock, so concurrent attempts are counted one after the
    /// other: drops the failures older than `since`, then, if fewer than `max` remain, records
    /// this attempt as a failure at `at` (a success clears it with the others). Returns how many
    /// failures stood before it; `max` or more means nothing was recorded.
    async fn count_login_attempt(
        &self,
        login: &str,
        at: Timestamp,
        since: Timestamp,
        max: u32,
    ) -> Result<u32, StoreError>;
    /// Forgets the failures of `login` (after a successful sign-in).
    async fn clear_login_failures(&self, login: &str) -> Result<(), StoreError>;
    /// Sets the password of an account, member or staff member, signs out every session of it
    /// but `keep_session` (a token hash), and uses up the codes of `consumes_codes_of`.
    async fn set_password(
        &self,
        subject: &SessionSubject,
        password_hash: &str,
        keep_session: Option<&str>,
        consumes_codes_of: Option<&Email>,
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;

    async fn hcpn_application(&self, applicant: &AccountId) -> Result<Option<HcpnApplication>, StoreError>;
    /// Inserts (`expected_version` `None`) or updates (version-checked) an HCPN application;
    /// with `new_partner`, the partner its approval creates, in the same transaction.
    async fn save_hcpn_application(
        &self,
        application: &HcpnApplication,
        expected_version: Option<i64>,
        new_partner: Option<&Partner>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Applications in a state (`submitted`, `manual_review`, `approved`, `rejected`), oldest first.
    async fn hcpn_applications(&self, state: &str, limit: u32) -> Result<Vec<HcpnApplication>, StoreError>;

    async fn program_applications_of(&self, applicant: &AccountId) -> Result<Vec<ProgramApplication>, StoreError>;
    /// Inserts or updates (version-checked) a program application; with `enrollment`, the
    /// program its approval adds to the partner, in the same transaction.
    async fn save_program_application(
        &self,
        application: &ProgramApplication,
        expected_version: Option<i64>,
        enrollment: Option<(&PartnerId, &Enrollment)>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Applications in a state, oldest first.
    async fn program_applications(&self, state: &str, limit: u32) -> Result<Vec<ProgramApplication>, StoreError>;
    async fn tenant_info(&self, account: &AccountId) -> Result<Option<TenantInfo>, StoreError>;
    /// Writes the tenant information and the account's type (version-checked on the account).
    async fn save_tenant_info(
        &self,
        account: &Account,
        info: &TenantInfo,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn save_proof(&self, account: &AccountId, proof: &Proof, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn proof(&self, account: &AccountId) -> Result<Option<Proof>, StoreError>;
    async fn pre_registrations_for(&self, email: &Email) -> Result<Vec<PreRegistration>, StoreError>;
    async fn pre_registrations_of(&self, partner: &PartnerId) -> Result<Vec<PreRegistration>, StoreError>;
    async fn insert_pre_registration(
        &self,
        pre_registration: &PreRegistration,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn insert_invitation(
        &self,
        invitation: &Invitation,
        notifications: &[Notification],
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn invitation(&self, token: &InvitationToken) -> Result<Option<Invitation>, StoreError>;
    async fn invitations_of(&self, partner: &PartnerId) -> Result<Vec<Invitation>, StoreError>;
    /// Associates the customer: one transaction for the account, the association, the
    /// pre-registration, the codes, the notifications and the audit.
    async fn accept_invitation(&self, acceptance: &Acceptance<'_>) -> Result<(), StoreError>;
    async fn disassociation_requests_of(&self, partner: &PartnerId) -> Result<Vec<DisassociationRequest>, StoreError>;
    /// The customer's pending request, if any.
    async fn pending_disassociation(&self, customer: &AccountId) -> Result<Option<DisassociationRequest>, StoreError>;
    /// Writes a request (inserted when `expected_version` is `None`, else version-checked), the
    /// association's new state (version-checked) and, when approved, what it ends.
    async fn save_disassociation(
        &self,
        request: &DisassociationRequest,
        expected_version: Option<i64>,
        association: &Association,
        ended: Option<Disassociation<'_>>,
        consumes_codes_of: Option<&Email>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Whether the partner has enabled the verification-code function (R-ASSOC-26).
    async fn critical_operation_protection(&self, partner: &PartnerId) -> Result<bool, StoreError>;
    /// Enables (`Some(since)`) or disables it, using up the codes of the email that confirmed.
    async fn set_critical_operation_protection(
        &self,
        partner: &PartnerId,
        enabled_since: Option<Timestamp>,
        consumes_codes_of: &Email,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn insert_role(&self, role: &Role, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn roles_of(&self, partner: &PartnerId) -> Result<Vec<Role>, StoreError>;
    async fn insert_member(&self, member: &Member, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn members_of(&self, partner: &PartnerId) -> Result<Vec<Member>, StoreError>;
    async fn member(&self, id: &MemberId) -> Result<Option<Member>, StoreError>;
    async fn member_by_email(&self, email: &Email) -> Result<Option<Member>, StoreError>;
    /// Writes the member's role, position and director if its version still matches.
    async fn update_member(&self, member: &Member, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// Writes the association's account manager if its version still matches.
    async fn set_account_manager(&self, association: &Association, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// The partner's business and payment information records.
    async fn partner_information(&self, partner: &PartnerId) -> Result<Vec<InfoRecord>, StoreError>;
    /// Inserts (`expected_version` `None`) or replaces (version-checked) a record.
    async fn save_partner_information(
        &self,
        record: &InfoRecord,
        expected_version: Option<i64>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Records in a review state, oldest first.
    async fn information_queue(&self, state: &str, limit: u32) -> Result<Vec<InfoRecord>, StoreError>;
    /// R-PROG-27: records the operator's invitation of an account to DPP and queues its email.
    async fn insert_dpp_invitation(
        &self,
        account: &AccountId,
        invited_by: &str,
        at: Timestamp,
        notification: &Notification,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn dpp_invited(&self, account: &AccountId) -> Result<bool, StoreError>;
    /// The customer's current association, if it has one.
    async fn association_of(&self, customer: &AccountId) -> Result<Option<Association>, StoreError>;
    /// The customer's association with the partner that was current at `at`: the latest one
    /// begun at or before it, whatever its state now (association records, R-ASSOC-28).
    async fn association_at(
        &self,
        customer: &AccountId,
        partner: &PartnerId,
        at: Timestamp,
    ) -> Result<Option<Association>, StoreError>;
    async fn session(&self, token_sha256: &str) -> Result<Option<Session>, StoreError>;
    async fn revoke_session(&self, token_sha256: &str, at: Timestamp) -> Result<(), StoreError>;

    async fn insert_access_key(&self, key: &SealedAccessKey, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn access_key(&self, id: &AccessKeyId) -> Result<Option<SealedAccessKey>, StoreError>;
    async fn access_keys_of(&self, partner: &PartnerId) -> Result<Vec<AccessKey>, StoreError>;
    /// Writes the key's new state if its stored version is still `key.version`; the stored
    /// version then becomes `key.version + 1`. Otherwise [`StoreError::Conflict`].
    async fn update_access_key(&self, key: &AccessKey, audit: &[AuditEvent]) -> Result<(), StoreError>;

    /// Inserts a customer account together with its association with a partner.
    async fn insert_customer(
        &self,
        account: &Account,
        association: &Association,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        self.register_customer(&NewCustomer {
            account,
            association,
            consumes_codes_of: None,
            notifications: &[],
            audit,
        })
        .await
    }
    /// Inserts a new customer, uses up its verification codes and queues its notifications.
    async fn register_customer(&self, customer: &NewCustomer<'_>) -> Result<(), StoreError>;
    /// The partner's current customer with this id, if it is one.
    async fn customer_of(&self, partner: &PartnerId, customer: &AccountId) -> Result<Option<CustomerView>, StoreError>;
    /// Writes the account's freeze if its stored version is still `account.version`.
    async fn update_account_freeze(&self, account: &Account, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// Writes `account.bd_preregistered`, if the account is still at `account.version`.
    async fn update_bd_preregistration(&self, account: &Account, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn identity_in_use(&self, kind: IdentityKind, value: &str) -> Result<bool, StoreError>;

    async fn budget(&self, customer: &AccountId) -> Result<Option<Budget>, StoreError>;
    /// What weighing a usage batch needs, read at once however many customers and partners it
    /// spans: the budgets of those of `customers` whose current reseller partner set them, each
    /// with the spend it is compared with (`cycle`'s for a monthly budget, since it was set for
    /// a package one, R-RCM-04); and those of `partners` with a consumption quota, with it and
    /// their reseller customers' spend (R-QUOTA-04).
    async fn spend_state(
        &self,
        customers: &[AccountId],
        partners: &[PartnerId],
        cycle: Cycle,
    ) -> Result<SpendState, StoreError>;
    /// The budgets of those of `customers` that are the partner's current reseller customers.
    async fn budgets_of(&self, partner: &PartnerId, customers: &[AccountId]) -> Result<Vec<Budget>, StoreError>;
    /// Writes the budget (inserting it when `expected_version` is `None`, else updating it if
    /// its stored version still matches), its record, and optionally the account's new freeze
    /// (version-checked too), in one transaction.
    async fn set_budget(
        &self,
        budget: &Budget,
        expected_version: Option<i64>,
        record: &BudgetRecord,
        account: Option<&Account>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn budget_records(
        &self,
        partner: &PartnerId,
        customer: &AccountId,
        query: &BudgetRecordQuery,
    ) -> Result<(Vec<BudgetRecord>, u64), StoreError>;

    /// Stores a verification code and queues the email that carries it.
    async fn insert_verification_code(
        &self,
        code: &VerificationCode,
        notification: &Notification,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// The newest code sent to this email.
    async fn latest_verification_code(&self, email: &Email) -> Result<Option<VerificationCode>, StoreError>;
    /// Queued notifications, newest first, optionally for one recipient.
    async fn notifications(&self, recipient: Option<&str>, limit: u32) -> Result<Vec<Notification>, StoreError>;
    /// The partner's current (not disassociated) customers matching `query`, and how many match
    /// in all.
    async fn customers_of(
        &self,
        partner: &PartnerId,
        query: &CustomerQuery,
    ) -> Result<(Vec<CustomerView>, u64), StoreError>;

    async fn audit_events(&self, query: &AuditQuery) -> Result<Vec<AuditEvent>, StoreError>;
}
