use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::region::{Level, Region, RegionSet};

use super::*;

/// Filters and page of a region list (B2.12): one level, under one parent (none for provinces).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionQuery {
    pub level: Level,
    pub parent: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

#[async_trait]
pub trait Regions: Send + Sync + 'static {
    /// Replaces every region with `set`, in one transaction.
    async fn replace_regions(&self, set: &RegionSet, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// A page of the regions the query selects, by code, and the count of all it selects.
    async fn regions(&self, query: &RegionQuery) -> Result<(Vec<Region>, u64), StoreError>;
}
