//! Resource packages (issue #16, B1.7.2, B1.7.3, B1.8.4): a yearly/monthly offering of the
//! catalog may grant free quantities of one usage type — 100 GB of OBS storage a month, say —
//! for its term. While a package is in effect, the matching pay-per-use usage of its customer
//! uses the package's remaining quantity **before it is rated**: only the excess is rated, so
//! budgets, quotas, spend and bills see the excess alone.
//!
//! Quantities are [`Quantity`] (integers of 10⁻⁸ of the unit): never a float, and every sum is
//! checked.
//!
//! Readings where the sources are silent (docs/resource-packages.md):
//! - a package covers the usage of its customer with the same service type, resource type,
//!   usage type, measure unit and region as its grant, metered while it is in effect (from its
//!   term's start to its end, not unsubscribed);
//! - when several packages cover one record, the one that expires first is used first, then
//!   the oldest (earliest effective), then by id; records are consumed in the order of their
//!   end time (then their order in the batch);
//! - a monthly package's quantity resets at each billing month (the natural cycle in the
//!   billing time zone: `quota_reuse_cycle` 4, `quota_reuse_cycle_type` 1); the others grant
//!   their quantity once for the whole term.

use std::collections::HashMap;

use crate::catalog::{Catalog, ChargingMode};
use crate::ids::AccountId;
use crate::money::Money;
use crate::order::Resource;
use crate::rating::Quantity;
use crate::time::{days_in_month, Millis, Timestamp};
use crate::usage::{Cycle, UsageRecord};

/// How a package's quantity comes back (`quota_reuse_mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reset {
    /// Granted once for the term (mode 2, not resettable).
    Never,
    /// Granted again each billing month (mode 1, resettable; a natural month).
    Monthly,
}

/// What a package offering grants, as the operator's catalog says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageGrant {
    /// The resource type whose usage it covers (its service type is the resource type's).
    pub resource_type: String,
    /// The usage type (usage factor) it covers, such as `storage`.
    pub usage_type: String,
    /// The measure unit of the quantity; usage is covered in that unit only.
    pub measure_id: i32,
    /// The quantity granted (per month when [`Reset::Monthly`]).
    pub amount: Quantity,
    pub reset: Reset,
}

/// A customer's resource package: what a paid package order granted, and its term (the term of
/// the yearly/monthly resource the order bought, whose id is the package's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// The resource's id: the package's `order_instance_id` and its one item's
    /// `free_resource_id`.
    pub id: String,
    pub customer: AccountId,
    pub order_id: String,
    /// The offering's id (`product_id`).
    pub product_id: String,
    /// The offering's spec name (`product_name`).
    pub product_name: String,
    pub service_type: String,
    pub region: String,
    pub grant: PackageGrant,
    pub effective: Timestamp,
    pub expire: Timestamp,
    /// Unsubscribed (its resource closed before its end).
    pub closed: bool,
}

/// `status (resource package)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PackageStatus {
    NotYetEffective,
    InEffect,
    UsedUp,
    Expired,
    Unsubscribed,
}

impl Package {
    /// Whether usage metered at `at` falls within its term.
    pub fn in_effect_at(&self, at: Timestamp) -> bool {
        !self.closed && self.effective <= at && at < self.expire
    }

    /// The period its use at `at` counts in: the billing cycle for a monthly package, 0 for
    /// one granted once.
    pub fn period_of(&self, at: Timestamp, billing_offset: Millis) -> i64 {
        match self.grant.reset {
            Reset::Never => 0,
            Reset::Monthly => Cycle::of(at, billing_offset).0,
        }
    }

    /// The start and end of the period that holds `at`, within the term: the term itself for
    /// a package granted once, the billing month (clipped to the term) for a monthly one.
    pub fn period_window(&self, at: Timestamp, billing_offset: Millis) -> (Timestamp, Timestamp) {
        match self.grant.reset {
            Reset::Never => (self.effective, self.expire),
            Reset::Monthly => {
                let at = at.max(self.effective).min(self.expire);
                let (start, end) = cycle_bounds(Cycle::of(at, billing_offset), billing_offset);
                (start.max(self.effective), end.min(self.expire))
            }
        }
    }

    /// Whether it covers the record: same customer, product, usage type, unit and region,
    /// metered within its term.
    pub fn covers(&self, r: &UsageRecord) -> bool {
        self.customer == r.customer
            && self.grant.usage_type == r.usage_factor
            && self.grant.measure_id == r.usage_measure_id
            && self.grant.resource_type == r.resource_type
            && self.service_type == r.service_type
            && self.region == r.region
            && self.in_effect_at(r.ended_at)
    }

    /// What is left of the period's grant after `used`.
    pub fn remaining(&self, used: Quantity) -> Quantity {
        Quantity::from_e8(self.grant.amount.e8().saturating_sub(used.e8()).max(0)).unwrap_or(self.grant.amount)
    }

    /// Its status at `now`, `used` being its use in the period of `now`.
    pub fn status(&self, now: Timestamp, used: Quantity) -> PackageStatus {
        if self.closed {
            PackageStatus::Unsubscribed
        } else if now < self.effective {
            PackageStatus::NotYetEffective
        } else if now >= self.expire {
            PackageStatus::Expired
        } else if self.remaining(used).e8() == 0 {
            PackageStatus::UsedUp
        } else {
            PackageStatus::InEffect
        }
    }
}

/// Issue #16: the packages a paid purchase's resources are: each main resource whose
/// yearly/monthly offering the catalog marks as a package, with the offering's grant and the
/// resource's term.
pub fn bought(catalog: &Catalog, resources: &[Resource]) -> Vec<Package> {
    resources
        .iter()
        .filter(|r| r.parent().is_none())
        .filter_map(|r| {
            let product = r.product();
            let price = catalog.prices.iter().find(|p| {
                p.spec == product.spec
                    && p.region == product.region
                    && p.charging_mode == ChargingMode::Period
                    && p.period.as_ref().is_some_and(|(t, _)| *t == r.period())
            })?;
            let grant = price.package.clone()?;
            let name = catalog.specs.iter().find(|s| s.code == product.spec).map_or(&product.spec, |s| &s.name.en);
            Some(Package {
                id: r.id().to_string(),
                customer: r.customer().clone(),
                order_id: r.order_id().to_string(),
                product_id: price.offering_id(),
                product_name: name.clone(),
                service_type: catalog
                    .resource_type(&grant.resource_type)
                    .map_or_else(|| product.service_type.clone(), |t| t.service_type.clone()),
                region: product.region.clone(),
                grant,
                effective: r.effective(),
                expire: r.expire(),
                closed: r.closed(),
            })
        })
        .collect()
}

/// The first instant of `cycle` and of the next, in UTC.
pub fn cycle_bounds(cycle: Cycle, billing_offset: Millis) -> (Timestamp, Timestamp) {
    let start = |c: Cycle| {
        let (y, m) = c.year_month().unwrap_or((1970, 1));
        Timestamp::from_utc(y, m, 1, 0, 0, 0)
            .map(|t| t.plus(Millis(-billing_offset.0)))
            .unwrap_or(Timestamp::from_unix_ms(0))
    };
    let next = cycle.next().unwrap_or(cycle);
    (start(cycle), start(next))
}

/// One use of a package by one usage record (`FreeResourceRecord`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deduction {
    pub package: String,
    pub record_id: String,
    /// The period of the package's use it counts in ([`Package::period_of`]).
    pub period: i64,
    /// The period's use before it (the store checks it is still so when it writes).
    pub used_before: Quantity,
    /// What was left before and after it.
    pub available: Quantity,
    pub used: Quantity,
    pub remaining: Quantity,
    /// The record's resource, resource type and usage type, and its metering end.
    pub resource_id: String,
    pub resource_type: String,
    pub usage_type: String,
    pub measure_id: i32,
    pub at: Timestamp,
}

/// What a batch uses of its customers' packages.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Consumption {
    /// Per record, in batch order: the quantity the packages covered (the rest is rated).
    pub covered: Vec<Quantity>,
    pub deductions: Vec<Deduction>,
}

/// Issue #16: the packages in `packages` used by `records` (the batch's new records), before
/// they are rated. `used` holds each package's use so far per period (absent is 0). Records
/// are consumed in the order of their end time, then their order in the batch; each uses the
/// packages that cover it, the one that expires first first, then the oldest, then by id.
pub fn consume(
    packages: &[Package],
    used: &HashMap<(String, i64), Quantity>,
    records: &[UsageRecord],
    billing_offset: Millis,
) -> Consumption {
    let mut order: Vec<&Package> = packages.iter().collect();
    order.sort_by(|a, b| (a.expire, a.effective, &a.id).cmp(&(b.expire, b.effective, &b.id)));
    let mut by_time: Vec<usize> = (0..records.len()).collect();
    by_time.sort_by_key(|i| (records[*i].ended_at, *i));
    let mut use_now: HashMap<(&str, i64), i64> = HashMap::new();
    let mut covered = vec![zero(); records.len()];
    let mut deductions = vec![];
    for i in by_time {
        let r = &records[i];
        let mut left = r.usage.e8();
        for p in order.iter().filter(|p| p.covers(r)) {
            if left == 0 {
                break;
            }
            let period = p.period_of(r.ended_at, billing_offset);
            let before = *use_now
                .entry((p.id.as_str(), period))
                .or_insert_with(|| used.get(&(p.id.clone(), period)).map_or(0, |q| q.e8()));
            let available = p.grant.amount.e8().saturating_sub(before).max(0);
            let take = left.min(available);
            if take == 0 {
                continue;
            }
            // Within the grant: `before + take <= amount`, an i64.
            use_now.insert((p.id.as_str(), period), before + take);
            left -= take;
            let q = |e8: i64| Quantity::from_e8(e8).unwrap_or_else(zero);
            deductions.push(Deduction {
                package: p.id.clone(),
                record_id: r.id.clone(),
                period,
                used_before: q(before),
                available: q(available),
                used: q(take),
                remaining: q(available - take),
                resource_id: r.resource_id.clone(),
                resource_type: r.resource_type.clone(),
                usage_type: r.usage_factor.clone(),
                measure_id: r.usage_measure_id,
                at: r.ended_at,
            });
        }
        covered[i] = Quantity::from_e8(r.usage.e8() - left).unwrap_or_else(zero);
    }
    Consumption { covered, deductions }
}

fn zero() -> Quantity {
    Quantity::from_e8(0).unwrap_or_else(|| unreachable!("0 is a quantity"))
}

/// The record with only what the packages left of its usage: what is rated.
pub fn excess(record: &UsageRecord, covered: Quantity) -> UsageRecord {
    let mut rest = record.clone();
    rest.usage = Quantity::from_e8(record.usage.e8() - covered.e8().min(record.usage.e8())).unwrap_or_else(zero);
    rest
}

// ---------------------------------------------------------------------------------------------
// R-ORD-07: 95th-percentile bandwidth billing.

/// R-ORD-07: the products billed at the 95th percentile of their bandwidth — CDN, Anti-DDoS
/// (AAD), OBS, Live, VPC, Cloud Connect and Direct Connect — by their service type codes.
pub const PERCENTILE_SERVICE_TYPES: [&str; 7] = [
    "hws.service.type.cdn",
    "hws.service.type.aad",
    "hws.service.type.obs",
    "hws.service.type.live",
    "hws.service.type.vpc",
    "hws.service.type.cc",
    "hws.service.type.dcaas",
];

/// A 5-minute bandwidth sample of a product billed at the 95th percentile (R-ORD-07), as the
/// metering system reports it: one per resource, usage type and instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BandwidthSample {
    pub customer: AccountId,
    pub resource_id: String,
    pub service_type: String,
    pub resource_type: String,
    pub spec: String,
    pub region: String,
    /// Such as `95Peak` or `bandwidth95peak`.
    pub usage_type: String,
    pub measure_id: i32,
    /// The sample's instant (`stat_time`).
    pub at: Timestamp,
    /// Its cycle, in the billing time zone.
    pub cycle: Cycle,
    pub usage: Quantity,
}

/// R-ORD-07: whether a service type is billed at the 95th percentile.
pub fn r_ord_07_billed_at_95th(service_type: &str) -> bool {
    PERCENTILE_SERVICE_TYPES.iter().any(|s| s.eq_ignore_ascii_case(service_type))
}

/// Bandwidth is sampled every 5 minutes: 288 samples make a day (B2.8.4 `actual_days`).
pub const SAMPLES_PER_DAY: i64 = 288;

/// R-ORD-07: the month's billed bandwidth from its 5-minute samples: sorted from the highest,
/// the top 5 % (rounded down: ⌊n × 5 / 100⌋ samples) are dropped and the highest left is
/// billed. `None` without samples.
pub fn r_ord_07_percentile_95(samples: &[Quantity]) -> Option<Quantity> {
    let mut sorted: Vec<Quantity> = samples.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let dropped = sorted.len() * 5 / 100;
    sorted.get(dropped).copied()
}

/// B2.8.4 `actual_days`: the samples over 288, as an exact decimal with at most 20 decimals
/// (truncated), without trailing zeros.
pub fn actual_days(samples: u64) -> String {
    let n = u128::from(samples);
    let whole = n / SAMPLES_PER_DAY as u128;
    let mut rest = n % SAMPLES_PER_DAY as u128;
    let mut decimals = String::new();
    for _ in 0..20 {
        if rest == 0 {
            break;
        }
        rest *= 10;
        decimals.push(char::from(b'0' + (rest / SAMPLES_PER_DAY as u128) as u8));
        rest %= SAMPLES_PER_DAY as u128;
    }
    let decimals = decimals.trim_end_matches('0');
    if decimals.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{decimals}")
    }
}

/// R-ORD-07: the quantity rated for a month: the 95th-percentile bandwidth, prorated by the
/// days sampled when the month was not sampled whole (B2.8.4: price × actual_days / days of
/// the month): `p95 × min(samples, 288 × days) / (288 × days)`, truncated to 10⁻⁸.
pub fn r_ord_07_billed_quantity(p95: Quantity, samples: u64, cycle: Cycle) -> Option<Quantity> {
    let (y, m) = cycle.year_month()?;
    let full = i128::from(SAMPLES_PER_DAY) * i128::from(days_in_month(y, m));
    let sampled = i128::from(samples).min(full);
    let e8 = i128::from(p95.e8()) * sampled / full;
    Quantity::from_e8(i64::try_from(e8).ok()?)
}

/// The wire's amount of a quantity: its decimal text.
pub fn quantity_text(q: Quantity) -> String {
    Money::from_e8(q.e8()).map_or_else(|_| q.e8().to_string(), |m| m.to_plain_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Quantity {
        Quantity::parse(text).unwrap()
    }

    fn at(d: u32, h: u32) -> Timestamp {
        Timestamp::from_utc(2026, 11, d, h, 0, 0).unwrap()
    }

    fn package(id: &str, amount: &str, effective: Timestamp, expire: Timestamp, reset: Reset) -> Package {
        Package {
            id: id.into(),
            customer: AccountId::from_random([1; 16]),
            order_id: format!("order-{id}"),
            product_id: "obs.pkg:ap-southeast-1:period:2".into(),
            product_name: "OBS 100 GB".into(),
            service_type: "hws.service.type.obs".into(),
            region: "ap-southeast-1".into(),
            grant: PackageGrant {
                resource_type: "hws.resource.type.obs".into(),
                usage_type: "storage".into(),
                measure_id: 10,
                amount: q(amount),
                reset,
            },
            effective,
            expire,
            closed: false,
        }
    }

    fn record(id: &str, usage: &str, ended_at: Timestamp) -> UsageRecord {
        UsageRecord {
            id: id.into(),
            customer: AccountId::from_random([1; 16]),
            resource_id: "bucket-1".into(),
            service_type: "hws.service.type.obs".into(),
            resource_type: "hws.resource.type.obs".into(),
            spec: "obs.standard".into(),
            region: "ap-southeast-1".into(),
            usage_factor: "storage".into(),
            usage: q(usage),
            usage_measure_id: 10,
            ended_at,
        }
    }

    #[test]
    fn issue_16_a_package_absorbs_usage_before_rating_and_only_the_excess_is_left() {
        let p = package("p1", "100", at(1, 0), at(30, 0), Reset::Never);
        let records = [record("r1", "60", at(2, 0)), record("r2", "55.5", at(3, 0))];
        let c = consume(std::slice::from_ref(&p), &HashMap::new(), &records, Millis(0));
        assert_eq!(c.covered, vec![q("60"), q("40")]);
        assert_eq!(excess(&records[1], c.covered[1]).usage, q("15.5"), "only the excess is rated");
        assert_eq!(c.deductions.len(), 2);
        let d = &c.deductions[1];
        assert_eq!((d.available, d.used, d.remaining), (q("40"), q("40"), q("0")));
        // With the use stored, the next batch finds it used up.
        let used = HashMap::from([(("p1".to_owned(), 0), q("100"))]);
        let c = consume(std::slice::from_ref(&p), &used, &[record("r3", "1", at(4, 0))], Millis(0));
        assert_eq!((c.covered, c.deductions.len()), (vec![q("0")], 0));
        assert_eq!(p.status(at(5, 0), q("100")), PackageStatus::UsedUp);
        assert_eq!(p.status(at(5, 0), q("99.99999999")), PackageStatus::InEffect);
    }

    #[test]
    fn issue_16_the_package_that_expires_first_is_used_first_then_the_oldest() {
        let late = package("a-late", "10", at(1, 0), at(30, 0), Reset::Never);
        let old = package("c-old", "10", at(1, 0), at(20, 0), Reset::Never);
        let young = package("b-young", "10", at(2, 0), at(20, 0), Reset::Never);
        let c = consume(&[late, young, old], &HashMap::new(), &[record("r1", "25", at(3, 0))], Millis(0));
        let order: Vec<(&str, Quantity)> = c.deductions.iter().map(|d| (d.package.as_str(), d.used)).collect();
        assert_eq!(order, vec![("c-old", q("10")), ("b-young", q("10")), ("a-late", q("5"))]);
        assert_eq!(c.covered, vec![q("25")]);
    }

    #[test]
    fn issue_16_only_matching_usage_within_the_term_is_covered() {
        let p = package("p1", "100", at(2, 0), at(10, 0), Reset::Never);
        let mut other_type = record("r1", "1", at(3, 0));
        other_type.usage_factor = "upflow".into();
        let mut other_region = record("r2", "1", at(3, 0));
        other_region.region = "eu-west-0".into();
        let mut other_unit = record("r3", "1", at(3, 0));
        other_unit.usage_measure_id = 9;
        let mut other_customer = record("r4", "1", at(3, 0));
        other_customer.customer = AccountId::from_random([2; 16]);
        let before = record("r5", "1", at(1, 0));
        let after = record("r6", "1", at(10, 0));
        let records = [other_type, other_region, other_unit, other_customer, before, after];
        let c = consume(std::slice::from_ref(&p), &HashMap::new(), &records, Millis(0));
        assert!(c.deductions.is_empty());
        let mut closed = p;
        closed.closed = true;
        let c = consume(std::slice::from_ref(&closed), &HashMap::new(), &[record("r7", "1", at(3, 0))], Millis(0));
        assert!(c.deductions.is_empty(), "an unsubscribed package covers nothing");
        assert_eq!(closed.status(at(3, 0), q("0")), PackageStatus::Unsubscribed);
    }

    #[test]
    fn issue_16_a_monthly_package_resets_each_billing_month() {
        let p = package("p1", "10", at(1, 0), Timestamp::from_utc(2027, 1, 1, 0, 0, 0).unwrap(), Reset::Monthly);
        let december = Timestamp::from_utc(2026, 12, 5, 0, 0, 0).unwrap();
        let records = [record("r1", "8", at(5, 0)), record("r2", "8", at(6, 0)), record("r3", "8", december)];
        let c = consume(std::slice::from_ref(&p), &HashMap::new(), &records, Millis(0));
        assert_eq!(c.covered, vec![q("8"), q("2"), q("8")]);
        assert_eq!(c.deductions[2].period, 202612);
        assert_eq!(
            p.period_window(at(5, 0), Millis(0)),
            (at(1, 0), Timestamp::from_utc(2026, 12, 1, 0, 0, 0).unwrap())
        );
        // In the billing zone (UTC+8) November starts at 16:00 UTC on October 31.
        let (start, _) = cycle_bounds(Cycle(202611), Millis(8 * 3_600_000));
        assert_eq!(start, Timestamp::from_utc(2026, 10, 31, 16, 0, 0).unwrap());
    }

    #[test]
    fn issue_16_records_use_packages_in_time_order() {
        let p = package("p1", "10", at(1, 0), at(30, 0), Reset::Never);
        let records = [record("late", "10", at(9, 0)), record("early", "6", at(2, 0))];
        let c = consume(&[p], &HashMap::new(), &records, Millis(0));
        assert_eq!(c.covered, vec![q("4"), q("6")], "the earlier usage is covered first");
    }

    #[test]
    fn r_ord_07_the_products_billed_at_the_95th_percentile() {
        for s in ["hws.service.type.cdn", "hws.service.type.obs", "hws.service.type.vpc", "HWS.SERVICE.TYPE.CDN"] {
            assert!(r_ord_07_billed_at_95th(s), "{s}");
        }
        assert!(!r_ord_07_billed_at_95th("hws.service.type.ec2"));
    }

    #[test]
    fn r_ord_07_the_top_5_percent_are_dropped_and_the_highest_left_is_billed() {
        // 100 samples of 1..=100 Mbit/s: the 5 highest (96..=100) are dropped, 95 is billed.
        let samples: Vec<Quantity> = (1..=100).rev().map(|i| Quantity::from_units(i).unwrap()).collect();
        assert_eq!(r_ord_07_percentile_95(&samples), Some(Quantity::from_units(95).unwrap()));
        // A full 30-day month: 8640 samples, 432 dropped, the 433rd highest billed.
        let mut month: Vec<Quantity> = vec![q("10"); 8640 - 432];
        month.extend(vec![q("500"); 432]);
        assert_eq!(r_ord_07_percentile_95(&month), Some(q("10")));
        month[0] = q("12.5");
        assert_eq!(r_ord_07_percentile_95(&month), Some(q("12.5")), "the highest sample left after the drop");
        // Fewer than 20 samples: 5 % rounds down to none dropped, the highest is billed.
        assert_eq!(r_ord_07_percentile_95(&[q("3"), q("7"), q("5")]), Some(q("7")));
        assert_eq!(r_ord_07_percentile_95(&[]), None);
    }

    #[test]
    fn r_ord_07_actual_days_are_samples_over_288() {
        assert_eq!(actual_days(8640), "30");
        assert_eq!(actual_days(144), "0.5");
        assert_eq!(actual_days(1), "0.00347222222222222222", "20 decimals at most, truncated");
        assert_eq!(actual_days(0), "0");
    }

    #[test]
    fn r_ord_07_a_month_sampled_in_part_is_prorated_by_its_days() {
        let p95 = q("100");
        assert_eq!(r_ord_07_billed_quantity(p95, 8640, Cycle(202611)), Some(q("100")), "November whole");
        assert_eq!(r_ord_07_billed_quantity(p95, 4320, Cycle(202611)), Some(q("50")), "15 days of 30");
        assert_eq!(r_ord_07_billed_quantity(p95, 288, Cycle(202612)), Some(q("3.22580645")), "1 of 31, truncated");
        assert_eq!(r_ord_07_billed_quantity(p95, 99_999, Cycle(202611)), Some(q("100")), "never more than the month");
    }
}
