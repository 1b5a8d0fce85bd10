//! The storage port. Each method is one transaction. Implementations hold no business rules:
//! they persist decisions made by `ops` and the domain, and report conflicts by name.

mod access_keys;
mod accounts;
mod audit;
mod bills;
mod budgets;
mod catalog;
mod changes;
mod coupons;
mod customers;
mod development;
mod discounts;
mod enterprise;
mod funds;
mod information;
mod orders;
mod organization;
mod outbox;
mod packages;
mod partners;
mod personnel;
mod programs;
mod realname;
mod regions;
mod replays;
mod schema;
mod sessions;
mod stored_value;
mod test_coupons;
mod usage;

pub use access_keys::*;
pub use accounts::*;
pub use audit::*;
pub use bills::*;
pub use budgets::*;
pub use catalog::*;
pub use changes::*;
pub use coupons::*;
pub use customers::*;
pub use development::*;
pub use discounts::*;
pub use enterprise::*;
pub use funds::*;
pub use information::*;
pub use orders::*;
pub use organization::*;
pub use outbox::*;
pub use packages::*;
pub use partners::*;
pub use personnel::*;
pub use programs::*;
pub use realname::*;
pub use regions::*;
pub use replays::*;
pub use schema::*;
pub use sessions::*;
pub use stored_value::*;
pub use test_coupons::*;
pub use usage::*;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A row the write expected is absent.
    #[error("not found")]
    NotFound,
    /// A uniqueness or foreign-key constraint, an optimistic-concurrency version check, or a
    /// sum's range refused the write; nothing of it was stored.
    #[error("conflict on {constraint}")]
    Conflict { constraint: Constraint },
    /// Anything else: the database is down, a query is wrong. Never shown to clients.
    #[error("storage unavailable")]
    Unavailable(#[source] anyhow::Error),
}

/// What a refused write conflicted with, the same on both backends (each backend's module
/// maps its own constraint names to these).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Constraint {
    AccountName,
    AccountId,
    PartnerAccount,
    PartnerId,
    /// A customer has at most one current association.
    CurrentAssociation,
    AccessKeyId,
    AuditEventId,
    StaffEmail,
    DppInvitation,
    MemberEmail,
    CertificateNumber,
    ForeignKey,
    /// A new-account link is used once.
    NewAccountLinkUsed,
    /// The enrollment's tier is no longer the one the change starts from.
    EnrollmentTier,
    /// A running spend total would pass `Money::MAX`.
    SpendTotalRange,
    /// A resource's amount in an hour would pass `Money::MAX`.
    HourAmountRange,
    /// A resource's usage in an hour would pass `Money::MAX`.
    HourUsageRange,
    /// Another writer changed the row first (its version moved on).
    Stale(Row),
    /// A constraint the backend's table does not name.
    Unknown,
}

/// The rows written under optimistic concurrency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    Account,
    Partner,
    AccessKey,
    Association,
    Balance,
    BillRun,
    Budget,
    Coupon,
    CouponQuota,
    DevelopmentPath,
    DiscountScope,
    DisassociationRequest,
    HcpnApplication,
    Invitation,
    Member,
    Order,
    PartnerDiscount,
    PartnerInformation,
    Personnel,
    PreRegistration,
    ProgramApplication,
    RealNameApplication,
    RealNameFile,
    RealNameScan,
    Resource,
    PackageUse,
    StoredValueCard,
    TestCouponBenefit,
    TestCouponRequest,
}

/// Named as the table and column it guards (`accounts.name`), as messages always have.
impl std::fmt::Display for Constraint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            Constraint::AccountName => "accounts.name",
            Constraint::AccountId => "accounts.id",
            Constraint::PartnerAccount => "partners.account_id",
            Constraint::PartnerId => "partners.id",
            Constraint::CurrentAssociation => "associations.current_customer",
            Constraint::AccessKeyId => "access_keys.id",
            Constraint::AuditEventId => "audit_events.id",
            Constraint::StaffEmail => "staff.email",
            Constraint::DppInvitation => "dpp_invitations.account_id",
            Constraint::MemberEmail => "partner_members.email",
            Constraint::CertificateNumber => "person_certificates.number",
            Constraint::ForeignKey => "foreign_key",
            Constraint::NewAccountLinkUsed => "new_account_links.used",
            Constraint::EnrollmentTier => "partner_enrollments.tier",
            Constraint::SpendTotalRange => "spend_totals.amount_e8",
            Constraint::HourAmountRange => "usage_hours.amount_e8",
            Constraint::HourUsageRange => "usage_hours.usage_e8",
            Constraint::Stale(row) => {
                let table = match row {
                    Row::Account => "accounts",
                    Row::Partner => "partners",
                    Row::AccessKey => "access_keys",
                    Row::Association => "associations",
                    Row::Balance => "balances",
                    Row::BillRun => "bill_runs",
                    Row::Budget => "budgets",
                    Row::Coupon => "coupons",
                    Row::CouponQuota => "coupon_quotas",
                    Row::DevelopmentPath => "development_paths",
                    Row::DiscountScope => "discount_scopes",
                    Row::DisassociationRequest => "disassociation_requests",
                    Row::Invitation => "invitations",
                    Row::HcpnApplication => "hcpn_applications",
                    Row::Member => "partner_members",
                    Row::Order => "orders",
                    Row::PartnerDiscount => "partner_discounts",
                    Row::PartnerInformation => "partner_information",
                    Row::Personnel => "personnel",
                    Row::PreRegistration => "pre_registrations",
                    Row::ProgramApplication => "program_applications",
                    Row::RealNameApplication => "realname_applications",
                    Row::RealNameFile => "realname_files",
                    Row::RealNameScan => "realname_scans",
                    Row::Resource => "resources",
                    Row::PackageUse => "resource_package_uses",
                    Row::StoredValueCard => "stored_value_cards",
                    Row::TestCouponBenefit => "test_coupon_benefits",
                    Row::TestCouponRequest => "test_coupon_requests",
                };
                return write!(f, "{table}.version");
            }
            Constraint::Unknown => "unknown",
        };
        f.write_str(name)
    }
}

/// The whole storage port: one trait per aggregate, so that a new feature adds its own trait
/// and module. `Arc<dyn Store>` is what `ops` holds.
pub trait Store:
    Schema
    + Partners
    + Accounts
    + Customers
    + Budgets
    + Orders
    + Usage
    + Catalogs
    + Outbox
    + Sessions
    + AccessKeys
    + Organization
    + Development
    + Programs
    + Information
    + PersonnelRecords
    + Audit
    + SignedWrites
    + Funds
    + Bills
    + Coupons
    + Discounts
    + TestCoupons
    + StoredValueCards
    + Packages
    + PrincipalChanges
    + RealNames
    + Enterprises
    + Regions
{
}

impl<T> Store for T where
    T: Schema
        + Partners
        + Accounts
        + Customers
        + Budgets
        + Orders
        + Usage
        + Catalogs
        + Outbox
        + Sessions
        + AccessKeys
        + Organization
        + Development
        + Programs
        + Information
        + PersonnelRecords
        + Audit
        + SignedWrites
        + Funds
        + Bills
        + Coupons
        + Discounts
        + TestCoupons
        + StoredValueCards
        + Packages
        + PrincipalChanges
        + RealNames
        + Enterprises
        + Regions
{
}

/// The store's traits, to call their methods on `dyn Store`: `use opc_core::store::prelude::*;`.
pub mod prelude {
    pub use super::AccessKeys as _;
    pub use super::Accounts as _;
    pub use super::Audit as _;
    pub use super::Budgets as _;
    pub use super::Catalogs as _;
    pub use super::Customers as _;
    pub use super::Development as _;
    pub use super::Enterprises as _;
    pub use super::Information as _;
    pub use super::Orders as _;
    pub use super::Organization as _;
    pub use super::Outbox as _;
    pub use super::Packages as _;
    pub use super::Partners as _;
    pub use super::PersonnelRecords as _;
    pub use super::PrincipalChanges as _;
    pub use super::Programs as _;
    pub use super::RealNames as _;
    pub use super::Regions as _;
    pub use super::Schema as _;
    pub use super::Sessions as _;
    pub use super::SignedWrites as _;
    pub use super::StoredValueCards as _;
    pub use super::TestCoupons as _;
    pub use super::Usage as _;
}
