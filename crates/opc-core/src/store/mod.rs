//! The storage port. Each method is one transaction. Implementations hold no business rules:
//! they persist decisions made by `ops` and the domain, and report conflicts by name.

mod access_keys;
mod accounts;
mod audit;
mod budgets;
mod catalog;
mod customers;
mod development;
mod information;
mod orders;
mod organization;
mod outbox;
mod partners;
mod personnel;
mod programs;
mod schema;
mod sessions;
mod usage;

pub use access_keys::*;
pub use accounts::*;
pub use audit::*;
pub use budgets::*;
pub use catalog::*;
pub use customers::*;
pub use development::*;
pub use information::*;
pub use orders::*;
pub use organization::*;
pub use outbox::*;
pub use partners::*;
pub use personnel::*;
pub use programs::*;
pub use schema::*;
pub use sessions::*;
pub use usage::*;

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
    pub use super::Information as _;
    pub use super::Orders as _;
    pub use super::Organization as _;
    pub use super::Outbox as _;
    pub use super::Partners as _;
    pub use super::PersonnelRecords as _;
    pub use super::Programs as _;
    pub use super::Schema as _;
    pub use super::Sessions as _;
    pub use super::Usage as _;
}
