//! Resource packages (issue #16; B1.7.2 `list_free_resource_infos`, B1.7.3
//! `list_free_resource_usages`, B1.8.4 `list_free_resources_usage_records`) and the
//! 95th-percentile bandwidth billing (R-ORD-07; B2.8.4 `list_resource_usage`, B2.8.5
//! `list_resource_usage_summary`). A package is bought like any yearly/monthly product
//! (`ops::orders::pay` stores it with its settlement) and used by usage ingestion
//! (`ops::usage::ingest`) before rating. The rules are in [`opc_domain::package`].

use std::collections::{BTreeMap, HashMap, HashSet};

use opc_domain::audit::{Action, Actor};
use opc_domain::package::{self, BandwidthSample, Package, PackageStatus};
use opc_domain::partner::Partner;
use opc_domain::rating::Quantity;
use opc_domain::usage::{Cycle, UsageRecord, ID_MAX};
use opc_domain::{AccountId, Timestamp};
use sha2::{Digest, Sha256};

use super::admin::audit_event;
use super::auth::Principal;
use super::usage::{ingest, IngestReport, UsageOpError};
use super::Context;
use crate::store::{PackageFilter, PackageRecord, PackageRecordQuery, SampleQuery, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum PackageOpError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// Packages and bandwidth are the customer's own: a partner signing has none.
    #[error("resource packages and bandwidth usage are a customer's own; sign as the customer")]
    NotACustomer,
    #[error("customer {0} is not your customer")]
    NotYourCustomer(String),
    /// Every bad sample, by its index in the batch; nothing was stored.
    #[error("the batch is refused: {}", .0.iter().map(|(i, p)| format!("samples[{i}]: {p}")).collect::<Vec<_>>().join("; "))]
    Samples(Vec<(usize, String)>),
    #[error(transparent)]
    Usage(#[from] UsageOpError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn customer_of(principal: &Principal) -> Result<&AccountId, PackageOpError> {
    match principal {
        Principal::Customer { account, .. } => Ok(account.id()),
        Principal::Partner(_) => Err(PackageOpError::NotACustomer),
    }
}

/// A package as it stands now: its use in the current period, its status and that period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageView {
    pub package: Package,
    pub used: Quantity,
    pub remaining: Quantity,
    pub status: PackageStatus,
    /// The period its remaining quantity is for (B1.7.3 `start_time`, `end_time`).
    pub period: (Timestamp, Timestamp),
}

async fn views(ctx: &Context, packages: Vec<Package>) -> Result<Vec<PackageView>, StoreError> {
    let now = ctx.clock.now();
    let ids: Vec<String> = packages.iter().map(|p| p.id.clone()).collect();
    let uses: HashMap<(String, i64), Quantity> =
        ctx.store.package_uses(&ids).await?.into_iter().map(|(p, period, q)| ((p, period), q)).collect();
    Ok(packages
        .into_iter()
        .map(|p| {
            let at = now.max(p.effective).min(p.expire);
            let period = p.period_of(at, ctx.policy.billing_offset);
            let used =
                uses.get(&(p.id.clone(), period)).copied().or_else(|| Quantity::from_e8(0)).unwrap_or(p.grant.amount);
            let status = p.status(now, used);
            let window = p.period_window(at, ctx.policy.billing_offset);
            PackageView { remaining: p.remaining(used), used, status, period: window, package: p }
        })
        .collect())
}

/// B1.7.2: the signer's packages the filter and `status` select, oldest first, paged, with the
/// count of all that match.
pub async fn packages_of(
    ctx: &Context,
    principal: &Principal,
    filter: &PackageFilter,
    status: Option<PackageStatus>,
    (offset, limit): (u32, u32),
) -> Result<(Vec<PackageView>, u64), PackageOpError> {
    let customer = customer_of(principal)?;
    let all = views(ctx, ctx.store.packages_of(customer, filter).await?).await?;
    let selected: Vec<PackageView> = all.into_iter().filter(|v| status.is_none_or(|s| v.status == s)).collect();
    let total = selected.len() as u64;
    Ok((selected.into_iter().skip(offset as usize).take(limit as usize).collect(), total))
}

/// B1.7.3: the signer's packages among `ids`, in the order asked; an id that is not one of
/// its packages is left out (whether or not it is someone else's).
pub async fn package_items(
    ctx: &Context,
    principal: &Principal,
    ids: &[String],
) -> Result<Vec<PackageView>, PackageOpError> {
    let customer = customer_of(principal)?;
    let filter = PackageFilter { ids: Some(ids.to_vec()), ..PackageFilter::default() };
    let found = views(ctx, ctx.store.packages_of(customer, &filter).await?).await?;
    let mut seen = HashSet::new();
    Ok(ids
        .iter()
        .filter(|id| seen.insert(id.as_str()))
        .filter_map(|id| found.iter().find(|v| v.package.id == *id).cloned())
        .collect())
}

/// B1.8.4: the signer's package uses the query selects (its `customer` is set here).
pub async fn package_records(
    ctx: &Context,
    principal: &Principal,
    mut query: PackageRecordQuery,
) -> Result<(Vec<PackageRecord>, u64), PackageOpError> {
    query.customer = customer_of(principal)?.clone();
    Ok(ctx.store.package_records(&query).await?)
}

/// The console: a customer's own packages.
pub async fn customer_packages(ctx: &Context, customer: &AccountId) -> Result<Vec<PackageView>, PackageOpError> {
    Ok(views(ctx, ctx.store.packages_of(customer, &PackageFilter::default()).await?).await?)
}

/// The console: the packages of one of the partner's current customers; any other id is "not
/// your customer", whether or not it exists.
pub async fn partner_customer_packages(
    ctx: &Context,
    partner: &Partner,
    customer: &str,
) -> Result<Vec<PackageView>, PackageOpError> {
    let not_yours = || PackageOpError::NotYourCustomer(customer.to_owned());
    let id = AccountId::parse(customer).map_err(|_| not_yours())?;
    ctx.store.customer_of(partner.id(), &id).await?.ok_or_else(not_yours)?;
    customer_packages(ctx, &id).await
}

// ---------------------------------------------------------------------------------------------
// R-ORD-07: 95th-percentile bandwidth.

/// One sample as the metering system sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleInput {
    pub customer: String,
    pub resource_id: String,
    pub service_type: String,
    pub resource_type: String,
    pub spec: String,
    pub region: String,
    pub usage_type: String,
    pub measure_id: i32,
    pub at: Timestamp,
    pub usage: Quantity,
}

/// The largest batch of samples.
pub const SAMPLES_MAX: usize = 10_000;

/// R-ORD-07: stores the operator's bandwidth samples of the products billed at the 95th
/// percentile, idempotently by (customer, resource, usage type, instant). One bad sample
/// refuses the batch.
pub async fn ingest_samples(
    ctx: &Context,
    operator: &str,
    samples: Vec<(usize, SampleInput)>,
    mut problems: Vec<(usize, String)>,
) -> Result<(u64, u64), PackageOpError> {
    if samples.len() + problems.len() > SAMPLES_MAX {
        return Err(PackageOpError::Samples(vec![(0, format!("a batch holds at most {SAMPLES_MAX} samples"))]));
    }
    let wanted: Vec<AccountId> = samples
        .iter()
        .filter_map(|(_, s)| AccountId::parse(&s.customer).ok())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let known: HashSet<AccountId> = ctx.store.usage_owners(&wanted).await?.into_iter().map(|o| o.customer).collect();
    let mut stored = Vec::with_capacity(samples.len());
    let mut keys = HashSet::new();
    for (i, s) in samples {
        let Some(customer) = AccountId::parse(&s.customer).ok().filter(|c| known.contains(c)) else {
            problems.push((i, format!("customer {} does not exist", s.customer)));
            continue;
        };
        if !package::r_ord_07_billed_at_95th(&s.service_type) {
            problems.push((i, format!("{} is not billed at the 95th percentile (R-ORD-07)", s.service_type)));
            continue;
        }
        if s.resource_id.trim().is_empty()
            || s.resource_id.chars().count() > ID_MAX
            || s.resource_id.chars().any(char::is_control)
        {
            problems.push((i, "resource_id must be 1 to 64 printable characters".into()));
            continue;
        }
        if s.usage_type.trim().is_empty() || s.usage_type.chars().count() > ID_MAX {
            problems.push((i, "usage_type must be 1 to 64 characters".into()));
            continue;
        }
        if !keys.insert((customer.clone(), s.resource_id.clone(), s.usage_type.clone(), s.at)) {
            problems.push((i, "the sample is repeated in the batch".into()));
            continue;
        }
        stored.push(BandwidthSample {
            cycle: Cycle::of(s.at, ctx.policy.billing_offset),
            customer,
            resource_id: s.resource_id,
            service_type: s.service_type,
            resource_type: s.resource_type,
            spec: s.spec,
            region: s.region,
            usage_type: s.usage_type,
            measure_id: s.measure_id,
            at: s.at,
            usage: s.usage,
        });
    }
    if !problems.is_empty() {
        problems.sort_by_key(|(i, _)| *i);
        return Err(PackageOpError::Samples(problems));
    }
    let now = ctx.clock.now();
    let audit = [audit_event(
        now,
        Actor::Operator(operator.to_owned()),
        None,
        Action::BandwidthSamplesIngested,
        "usage",
        "bandwidth",
        None,
        Some(format!("samples={}", stored.len())),
    )];
    Ok(ctx.store.insert_bandwidth_samples(&stored, &audit).await?)
}

/// A resource's month of samples, billed at the 95th percentile (R-ORD-07).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BandwidthMonth {
    pub resource_id: String,
    pub samples: Vec<BandwidthSample>,
    /// The month's 95th percentile, once the month is over (before, `None`).
    pub billed: Option<Quantity>,
    /// B2.8.4 `actual_days`: samples / 288.
    pub actual_days: String,
    pub measure_id: i32,
}

/// Which product's month to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BandwidthQuery {
    pub cycle: Cycle,
    pub service_type: String,
    pub resource_type: String,
    pub usage_type: String,
}

fn months(samples: Vec<BandwidthSample>, closed: bool) -> Vec<BandwidthMonth> {
    let mut by_resource: BTreeMap<String, Vec<BandwidthSample>> = BTreeMap::new();
    for s in samples {
        by_resource.entry(s.resource_id.clone()).or_default().push(s);
    }
    by_resource
        .into_iter()
        .map(|(resource_id, samples)| {
            let values: Vec<Quantity> = samples.iter().map(|s| s.usage).collect();
            BandwidthMonth {
                billed: if closed { package::r_ord_07_percentile_95(&values) } else { None },
                actual_days: package::actual_days(samples.len() as u64),
                measure_id: samples.first().map_or(0, |s| s.measure_id),
                resource_id,
                samples,
            }
        })
        .collect()
}

async fn bandwidth(
    ctx: &Context,
    customer: Option<&AccountId>,
    q: &BandwidthQuery,
    resource: Option<&str>,
) -> Result<Vec<BandwidthMonth>, StoreError> {
    let query = SampleQuery {
        cycle: q.cycle,
        customer: customer.cloned(),
        product: Some((q.service_type.clone(), q.resource_type.clone(), q.usage_type.clone())),
        resource: resource.map(str::to_owned),
    };
    let samples = ctx.store.bandwidth_samples(&query).await?;
    let closed = Cycle::of(ctx.clock.now(), ctx.policy.billing_offset) > q.cycle;
    Ok(months(samples, closed))
}

/// B2.8.5: the signer's resources sampled in the month, each with its billed bandwidth.
pub async fn usage_summary(
    ctx: &Context,
    principal: &Principal,
    q: &BandwidthQuery,
) -> Result<Vec<BandwidthMonth>, PackageOpError> {
    let customer = customer_of(principal)?;
    Ok(bandwidth(ctx, Some(customer), q, None).await?)
}

/// B2.8.4: one of the signer's resources in the month (empty for a resource that is not its).
pub async fn usage_details(
    ctx: &Context,
    principal: &Principal,
    q: &BandwidthQuery,
    resource: &str,
) -> Result<Option<BandwidthMonth>, PackageOpError> {
    let customer = customer_of(principal)?;
    Ok(bandwidth(ctx, Some(customer), q, Some(resource)).await?.pop())
}

/// The id of the usage record that bills a resource's month: the same for the same month, so
/// billing it again changes nothing (ingestion is idempotent by record id).
fn billing_record_id(s: &BandwidthSample) -> String {
    let mut h = Sha256::new();
    for part in [s.customer.as_str(), &s.resource_id, &s.usage_type, &s.cycle.0.to_string()] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    format!("p95-{}", &hex::encode(h.finalize())[..40])
}

/// R-ORD-07: bills a closed month's bandwidth: each resource's 95th percentile, prorated by the
/// days sampled, is ingested as one usage record of the month (its last instant) and rated at
/// the catalog's pay-per-use price of its spec, region and usage type, like any usage. Billing
/// a month again changes nothing.
pub async fn bill_month(ctx: &Context, operator: &str, cycle: Cycle) -> Result<IngestReport, PackageOpError> {
    if Cycle::of(ctx.clock.now(), ctx.policy.billing_offset) <= cycle {
        return Err(PackageOpError::Invalid { field: "month", reason: "the month is not over yet".into() });
    }
    let samples =
        ctx.store.bandwidth_samples(&SampleQuery { cycle, customer: None, product: None, resource: None }).await?;
    let mut groups: BTreeMap<(String, String, String), Vec<BandwidthSample>> = BTreeMap::new();
    for s in samples {
        groups.entry((s.customer.to_string(), s.resource_id.clone(), s.usage_type.clone())).or_default().push(s);
    }
    let (_, end) = package::cycle_bounds(cycle, ctx.policy.billing_offset);
    let mut records = Vec::with_capacity(groups.len());
    for (i, group) in groups.into_values().enumerate() {
        let values: Vec<Quantity> = group.iter().map(|s| s.usage).collect();
        let (Some(p95), Some(first)) = (package::r_ord_07_percentile_95(&values), group.last()) else { continue };
        let Some(quantity) = package::r_ord_07_billed_quantity(p95, group.len() as u64, cycle) else {
            return Err(PackageOpError::Invalid { field: "month", reason: "a billed quantity is out of range".into() });
        };
        records.push((
            i,
            UsageRecord {
                id: billing_record_id(first),
                customer: first.customer.clone(),
                resource_id: first.resource_id.clone(),
                service_type: first.service_type.clone(),
                resource_type: first.resource_type.clone(),
                spec: first.spec.clone(),
                region: first.region.clone(),
                usage_factor: first.usage_type.clone(),
                usage: quantity,
                usage_measure_id: first.measure_id,
                ended_at: end.plus(opc_domain::Millis(-1)),
            },
        ));
    }
    if records.is_empty() {
        return Ok(IngestReport::default());
    }
    Ok(ingest(ctx, operator, records, vec![]).await?)
}
