use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::package::{BandwidthSample, Deduction, Package};
use opc_domain::rating::Quantity;
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Timestamp};

use super::*;

/// Which of a customer's packages to read (`list_free_resource_infos`): every filter given
/// must match. The status is the domain's and is filtered by the caller.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackageFilter {
    pub region: Option<String>,
    pub order_id: Option<String>,
    pub product_id: Option<String>,
    pub product_name: Option<String>,
    /// Any of these service types (compared without case); empty: any.
    pub service_types: Vec<String>,
    /// Only these packages; `None`: any.
    pub ids: Option<Vec<String>>,
}

/// Which package uses to read (`list_free_resources_usage_records`): a customer's, deducted
/// within `[from, to)`, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageRecordQuery {
    pub customer: AccountId,
    pub package: Option<String>,
    pub product_id: Option<String>,
    pub resource_type: Option<String>,
    pub from: Timestamp,
    pub to: Timestamp,
    pub offset: u32,
    pub limit: u32,
}

/// A package use with the package's product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageRecord {
    pub deduction: Deduction,
    pub product_id: String,
    pub product_name: String,
}

/// The resource-package room (issue #16) and the 95th-percentile samples (R-ORD-07).
/// Packages are written with the settlement of the order that bought them
/// ([`Settlement::packages`]); their uses with the usage batch that made them
/// ([`Usage::ingest_usage`]).
#[async_trait]
pub trait Packages: Send + Sync + 'static {
    /// The customer's packages the filter selects, oldest first.
    async fn packages_of(&self, customer: &AccountId, filter: &PackageFilter) -> Result<Vec<Package>, StoreError>;
    /// The packages of `customers` that are not unsubscribed, for a usage batch.
    async fn packages_for_usage(&self, customers: &[AccountId]) -> Result<Vec<Package>, StoreError>;
    /// Which of the usage record ids are stored already.
    async fn stored_usage_ids(&self, ids: &[String]) -> Result<std::collections::HashSet<String>, StoreError>;
    /// Each package's use so far per period `(package, period, used)`.
    async fn package_uses(&self, packages: &[String]) -> Result<Vec<(String, i64, Quantity)>, StoreError>;
    /// The uses the query selects, newest first, with the count of all that match.
    async fn package_records(&self, query: &PackageRecordQuery) -> Result<(Vec<PackageRecord>, u64), StoreError>;
    /// Stores bandwidth samples; a sample already stored for its resource, usage type and
    /// instant is kept as it is. Returns how many were new and how many were there already.
    async fn insert_bandwidth_samples(
        &self,
        samples: &[BandwidthSample],
        audit: &[AuditEvent],
    ) -> Result<(u64, u64), StoreError>;
    /// The samples of a cycle, by customer, resource and instant: of one customer (or all),
    /// one product and usage type (or all), one resource (or all).
    async fn bandwidth_samples(&self, query: &SampleQuery) -> Result<Vec<BandwidthSample>, StoreError>;
}

/// Which bandwidth samples to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleQuery {
    pub cycle: Cycle,
    pub customer: Option<AccountId>,
    /// `(service type, resource type, usage type)`.
    pub product: Option<(String, String, String)>,
    pub resource: Option<String>,
}
