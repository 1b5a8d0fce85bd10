//! Usage ingestion (issue #6): the operator's metering feed. A batch is checked and rated whole
//! at list price; one bad record refuses the batch (nothing half-written), and a record whose id
//! was ingested before is skipped, so a replayed batch changes nothing.

use opc_domain::audit::{Action, Actor};
use opc_domain::usage::{rate, UsageError, UsageRecord};

use super::admin::audit_event;
use super::catalog;
use super::Context;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum UsageOpError {
    /// Every bad record, by its index in the batch; nothing was stored.
    #[error("the batch is refused: {}", describe(.0))]
    Invalid(Vec<(usize, String)>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn describe(problems: &[(usize, String)]) -> String {
    problems.iter().map(|(i, p)| format!("records[{i}]: {p}")).collect::<Vec<_>>().join("; ")
}

impl From<catalog::CatalogError> for UsageOpError {
    fn from(e: catalog::CatalogError) -> UsageOpError {
        match e {
            catalog::CatalogError::Store(e) => UsageOpError::Store(e),
            catalog::CatalogError::Invalid(p) => {
                UsageOpError::Invalid(p.into_iter().map(|p| (0, format!("catalog {}: {}", p.at, p.problem))).collect())
            }
        }
    }
}

/// What an ingestion did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IngestReport {
    pub accepted: u64,
    pub duplicates: u64,
}

/// The largest batch.
pub const BATCH_MAX: usize = 10_000;

/// Rates and stores a batch of usage records; `parse_problems` are the records the caller could
/// not even read (by index), reported with the others.
pub async fn ingest(
    ctx: &Context,
    operator: &str,
    records: Vec<(usize, UsageRecord)>,
    parse_problems: Vec<(usize, String)>,
) -> Result<IngestReport, UsageOpError> {
    let mut problems = parse_problems;
    if records.len() + problems.len() > BATCH_MAX {
        return Err(UsageOpError::Invalid(vec![(0, format!("a batch holds at most {BATCH_MAX} records"))]));
    }
    let (_, catalog) = catalog::current(ctx).await?;
    let mut ids = std::collections::HashSet::new();
    let mut rated = Vec::with_capacity(records.len());
    for (i, record) in records {
        if !ids.insert(record.id.clone()) {
            problems.push((i, format!("id {:?} is repeated in the batch", record.id)));
            continue;
        }
        if ctx.store.account(&record.customer).await?.is_none() {
            problems.push((i, format!("customer {} does not exist", record.customer)));
            continue;
        }
        let partner = ctx.store.association_of(&record.customer).await?.map(|a| a.partner);
        match rate(&catalog, record, partner, ctx.policy.billing_offset) {
            Ok(e) => rated.push(e),
            Err(e @ (UsageError::Id | UsageError::ResourceId | UsageError::Rating(_))) => {
                problems.push((i, e.to_string()))
            }
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|(i, _)| *i);
        return Err(UsageOpError::Invalid(problems));
    }
    let now = ctx.clock.now();
    let audit = [audit_event(
        now,
        Actor::Operator(operator.to_owned()),
        None,
        Action::UsageIngested,
        "usage",
        "batch",
        None,
        Some(format!("records={}", rated.len())),
    )];
    let (accepted, duplicates) = ctx.store.ingest_usage(&rated, now, &audit).await?;
    Ok(IngestReport { accepted, duplicates })
}
