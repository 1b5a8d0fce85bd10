//! Administrative regions (BSS B2.12): the operator imports a data set of provinces, cities and
//! counties (a JSON document read by `opc_store::regions::parse`; the format is in
//! docs/regions.md, a sample in `docs/regions-sample.json`); partners list them.

use opc_domain::audit::{Action, Actor};
use opc_domain::region::{Level, Region, RegionError, RegionSet};

use super::admin::audit_event;
use super::Context;
use crate::store::{RegionQuery, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum RegionOpError {
    #[error(transparent)]
    Invalid(#[from] RegionError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Replaces the regions with `set`, audited.
pub async fn import(ctx: &Context, set: &RegionSet, operator: &str) -> Result<(), RegionOpError> {
    let summary = format!(
        "provinces={} cities={} counties={}",
        set.count(Level::Province),
        set.count(Level::City),
        set.count(Level::County)
    );
    let audit = [audit_event(
        ctx.clock.now(),
        Actor::Operator(operator.to_owned()),
        None,
        Action::RegionsImported,
        "regions",
        "current",
        None,
        Some(summary),
    )];
    Ok(ctx.store.replace_regions(set, &audit).await?)
}

/// B2.12: a page of the regions at `level` under `parent` (none for provinces), by code, and
/// their count.
pub async fn list(ctx: &Context, query: &RegionQuery) -> Result<(Vec<Region>, u64), RegionOpError> {
    Ok(ctx.store.regions(query).await?)
}
