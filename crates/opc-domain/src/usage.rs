//! Pay-per-use usage (issue #6): records the operator ingests, rated at list price into
//! expenditures attributed to the customer and its partner, and the billing cycle they fall in.
//! Budgets compare the customer's list-price spend with their amount (R-RCM-04, R-BILL-18).

use std::collections::HashMap;
use std::hash::Hash;

use crate::association::AssociationModel;
use crate::catalog::Catalog;
use crate::ids::{AccountId, PartnerId};
use crate::money::{Money, MoneyError};
use crate::rating::{on_demand_rate, OnDemandInquiry, OnDemandRate, Precision, Quantity, RatingError};
use crate::time::{Millis, Timestamp};

/// The billing time zone's offset from UTC (DESIGN: Beijing time, UTC+08:00, by default).
pub const DEFAULT_BILLING_OFFSET: Millis = Millis(8 * 3_600_000);

/// A billing cycle: a calendar month in the billing time zone, as `yyyymm`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Cycle(pub i64);

impl Cycle {
    /// The cycle `at` falls in, with the billing zone `offset` from UTC.
    pub fn of(at: Timestamp, offset: Millis) -> Cycle {
        let (year, month, ..) = at.plus(offset).to_utc();
        Cycle(year * 100 + i64::from(month))
    }

    /// The cycle of `month` (1–12) of `year`, if it is a calendar month the system can hold
    /// (years 1970 to 9999, as [`Timestamp::from_utc`]).
    pub fn from_year_month(year: i64, month: u32) -> Option<Cycle> {
        ((1970..=9999).contains(&year) && (1..=12).contains(&month)).then(|| Cycle(year * 100 + i64::from(month)))
    }

    /// Its year and month (1–12), if it is a valid cycle: `yyyymm` with a month of 1 to 12 and
    /// a year of 1970 to 9999.
    pub fn year_month(self) -> Option<(i64, u32)> {
        let (year, month) = (self.0.div_euclid(100), self.0.rem_euclid(100));
        Cycle::from_year_month(year, u32::try_from(month).ok()?).map(|_| (year, month as u32))
    }

    /// The month after it (December is followed by January of the next year), or `None` for an
    /// invalid cycle or past year 9999.
    pub fn next(self) -> Option<Cycle> {
        self.shifted(1)
    }

    /// The month before it, or `None` for an invalid cycle or before January 1970.
    pub fn previous(self) -> Option<Cycle> {
        self.shifted(-1)
    }

    fn shifted(self, months: i64) -> Option<Cycle> {
        let (year, month) = self.year_month()?;
        let index = year * 12 + i64::from(month) - 1 + months;
        Cycle::from_year_month(index.div_euclid(12), (index.rem_euclid(12) + 1) as u32)
    }
}

/// The longest record id and resource id.
pub const ID_MAX: usize = 64;

/// One usage record as the metering system sends it. `id` makes ingestion idempotent: a record
/// whose id was ingested already changes nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageRecord {
    pub id: String,
    pub customer: AccountId,
    pub resource_id: String,
    pub service_type: String,
    pub resource_type: String,
    pub spec: String,
    pub region: String,
    pub usage_factor: String,
    pub usage: Quantity,
    pub usage_measure_id: i32,
    /// The end of the metered period: the cycle is the one it falls in.
    pub ended_at: Timestamp,
}

/// A rated record: its list-price amount, the partner it is attributed to, and its cycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expenditure {
    pub record: UsageRecord,
    /// The customer's partner and association model when the usage was rated, if any
    /// (R-BILL-18: reseller budgets and the partner's quota count reseller customers' spend).
    pub partner: Option<(PartnerId, AssociationModel)>,
    pub amount: Money,
    pub cycle: Cycle,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UsageError {
    #[error("id must be 1 to 64 letters, digits, '-', '_' or '.'")]
    Id,
    #[error("resource_id must be 1 to 64 printable characters")]
    ResourceId,
    #[error(transparent)]
    Rating(#[from] RatingError),
}

fn id_ok(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= ID_MAX
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Checks a record and rates it at list price (8 decimals, truncated) in its billing cycle.
pub fn rate(
    catalog: &Catalog,
    record: UsageRecord,
    partner: Option<(PartnerId, AssociationModel)>,
    billing_offset: Millis,
) -> Result<Expenditure, UsageError> {
    Rater::new(catalog, billing_offset).rate(record, partner)
}

/// Rates a batch's records against one catalog, finding each product's price once: a batch
/// meters a handful of products, over and over.
pub struct Rater<'a> {
    catalog: &'a Catalog,
    billing_offset: Millis,
    /// The products rated so far (at most [`Rater::PRODUCTS_KEPT`]), with their price.
    products: Vec<(ProductKey, OnDemandRate<'a>)>,
}

/// What a pay-per-use price depends on: the product and the measure unit.
struct ProductKey {
    service_type: String,
    resource_type: String,
    spec: String,
    region: String,
    usage_factor: String,
    usage_measure_id: i32,
}

impl ProductKey {
    fn of(r: &UsageRecord) -> ProductKey {
        ProductKey {
            service_type: r.service_type.clone(),
            resource_type: r.resource_type.clone(),
            spec: r.spec.clone(),
            region: r.region.clone(),
            usage_factor: r.usage_factor.clone(),
            usage_measure_id: r.usage_measure_id,
        }
    }

    fn fits(&self, r: &UsageRecord) -> bool {
        self.usage_measure_id == r.usage_measure_id
            && self.spec == r.spec
            && self.region == r.region
            && self.usage_factor == r.usage_factor
            && self.resource_type == r.resource_type
            && self.service_type == r.service_type
    }
}

impl<'a> Rater<'a> {
    /// The products whose price is kept; beyond them, a price is looked up each time.
    pub const PRODUCTS_KEPT: usize = 32;

    pub fn new(catalog: &'a Catalog, billing_offset: Millis) -> Rater<'a> {
        Rater { catalog, billing_offset, products: vec![] }
    }

    /// Checks a record and rates it at list price (8 decimals, truncated) in its billing cycle.
    pub fn rate(
        &mut self,
        record: UsageRecord,
        partner: Option<(PartnerId, AssociationModel)>,
    ) -> Result<Expenditure, UsageError> {
        if !id_ok(&record.id) {
            return Err(UsageError::Id);
        }
        if record.resource_id.trim().is_empty()
            || record.resource_id.chars().count() > ID_MAX
            || record.resource_id.chars().any(char::is_control)
        {
            return Err(UsageError::ResourceId);
        }
        let rate = match self.products.iter().find(|(key, _)| key.fits(&record)) {
            Some((_, rate)) => *rate,
            None => {
                let inquiry = OnDemandInquiry {
                    service_type: &record.service_type,
                    resource_type: &record.resource_type,
                    spec: &record.spec,
                    region: &record.region,
                    usage_factor: &record.usage_factor,
                    usage: record.usage,
                    usage_measure_id: record.usage_measure_id,
                    subscription_num: 1,
                    resource_size: None,
                };
                let rate = on_demand_rate(self.catalog, &inquiry)?;
                if self.products.len() < Self::PRODUCTS_KEPT {
                    self.products.push((ProductKey::of(&record), rate));
                }
                rate
            }
        };
        let amount = rate.amount(record.usage, None, 1, Precision::Full)?;
        let cycle = Cycle::of(record.ended_at, self.billing_offset);
        Ok(Expenditure { record, partner, amount, cycle })
    }
}

/// Why a batch of usage is refused whole: one of the running sums it adds to would pass
/// [`Money::MAX`] (issue 18). Budgets (R-RCM-04) and quotas (R-QUOTA-04) read these sums, so
/// each must stay an exact amount; usage values are held to the same range.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SumOverflow {
    #[error(
        "customer {customer}'s spend in cycle {} would pass the largest amount ({max})",
        .cycle.0, max = Money::MAX.to_plain_string()
    )]
    CustomerCycle { customer: AccountId, cycle: Cycle },
    #[error("customer {0}'s spend in all would pass the largest amount ({max})", max = Money::MAX.to_plain_string())]
    Customer(AccountId),
    #[error(
        "the spend of partner {0}'s reseller customers would pass the largest amount ({max})",
        max = Money::MAX.to_plain_string()
    )]
    Partner(PartnerId),
    #[error(
        "the usage or the amount of resource {resource:?} of customer {customer} in one hour would pass the \
         largest value ({max})",
        max = Money::MAX.to_plain_string()
    )]
    Hour { customer: AccountId, resource: String },
    /// Found when the batch is written: with what is stored already, a sum would pass.
    #[error(
        "with the spend and usage stored already, a customer's or partner's spend or a resource's hour would \
         pass the largest amount ({max})",
        max = Money::MAX.to_plain_string()
    )]
    WithStored,
}

/// The start (UTC) of the hour a usage record is added up in, per resource.
pub fn hour_of(ended_at: Timestamp) -> i64 {
    let ms = ended_at.unix_ms();
    ms - ms.rem_euclid(3_600_000)
}

/// Adds up, checked, what a batch adds to every running sum: a customer's spend per cycle and
/// in all, a partner's reseller customers' spend (R-BILL-18: only the reseller model counts),
/// and each resource's usage and amount per hour. `Err` names the first sum, in batch order,
/// that would pass [`Money::MAX`] on its own; the store checks the sums with what it holds.
pub fn check_batch_sums(expenditures: &[Expenditure]) -> Result<(), SumOverflow> {
    fn add<K: Eq + Hash>(sums: &mut HashMap<K, Money>, key: K, amount: Money) -> Result<(), MoneyError> {
        let sum = sums.entry(key).or_insert(Money::ZERO);
        *sum = sum.checked_add(amount)?;
        Ok(())
    }
    type HourKey<'a> = (&'a AccountId, Cycle, i64, &'a str, &'a str, i32);
    let mut per_cycle: HashMap<(&AccountId, Cycle), Money> = HashMap::new();
    let mut in_all: HashMap<&AccountId, Money> = HashMap::new();
    let mut reseller: HashMap<&PartnerId, Money> = HashMap::new();
    let mut hour_usage: HashMap<HourKey<'_>, Money> = HashMap::new();
    let mut hour_amount: HashMap<HourKey<'_>, Money> = HashMap::new();
    for e in expenditures {
        let r = &e.record;
        let customer = &r.customer;
        add(&mut per_cycle, (customer, e.cycle), e.amount)
            .map_err(|_| SumOverflow::CustomerCycle { customer: customer.clone(), cycle: e.cycle })?;
        add(&mut in_all, customer, e.amount).map_err(|_| SumOverflow::Customer(customer.clone()))?;
        if let Some((partner, AssociationModel::Reseller)) = &e.partner {
            add(&mut reseller, partner, e.amount).map_err(|_| SumOverflow::Partner(partner.clone()))?;
        }
        let hour = (
            customer,
            e.cycle,
            hour_of(r.ended_at),
            r.resource_id.as_str(),
            r.usage_factor.as_str(),
            r.usage_measure_id,
        );
        let overflow = |_| SumOverflow::Hour { customer: customer.clone(), resource: r.resource_id.clone() };
        add(&mut hour_usage, hour, Money::from_e8(r.usage.e8()).map_err(overflow)?).map_err(overflow)?;
        add(&mut hour_amount, hour, e.amount).map_err(overflow)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::sample;

    fn record(id: &str, usage: &str, ended_at: Timestamp) -> UsageRecord {
        UsageRecord {
            id: id.into(),
            customer: AccountId::from_random([3; 16]),
            resource_id: "vm-1".into(),
            service_type: "hws.service.type.ec2".into(),
            resource_type: "hws.resource.type.vm".into(),
            spec: "s6.small.1.linux".into(),
            region: "ap-southeast-1".into(),
            usage_factor: "Duration".into(),
            usage: Quantity::parse(usage).unwrap(),
            usage_measure_id: 4,
            ended_at,
        }
    }

    #[test]
    fn cycles_are_calendar_months_in_the_billing_zone() {
        let utc = |d, h| Timestamp::from_utc(2026, 10, d, h, 0, 0).unwrap();
        assert_eq!(Cycle::of(utc(31, 15), DEFAULT_BILLING_OFFSET), Cycle(202610), "23:00 in UTC+8");
        assert_eq!(Cycle::of(utc(31, 16), DEFAULT_BILLING_OFFSET), Cycle(202611), "midnight of November 1 in UTC+8");
        assert_eq!(Cycle::of(utc(31, 16), Millis(0)), Cycle(202610), "in UTC it is still October");
        let new_year = Timestamp::from_utc(2026, 12, 31, 16, 0, 0).unwrap();
        assert_eq!(Cycle::of(new_year, DEFAULT_BILLING_OFFSET), Cycle(202701));
    }

    #[test]
    fn cycles_step_through_the_calendar_and_refuse_what_is_not_a_month() {
        assert_eq!(Cycle(202605).next(), Some(Cycle(202606)));
        assert_eq!(Cycle(202612).next(), Some(Cycle(202701)), "December, then January");
        assert_eq!(Cycle(202701).previous(), Some(Cycle(202612)));
        assert_eq!(Cycle(202606).previous(), Some(Cycle(202605)));
        assert_eq!(Cycle(202605).year_month(), Some((2026, 5)));
        assert_eq!(Cycle::from_year_month(2026, 12), Some(Cycle(202612)));
        for bad in [Cycle(202600), Cycle(202613), Cycle(0), Cycle(-202601), Cycle(196912), Cycle(1000001)] {
            assert_eq!((bad.year_month(), bad.next(), bad.previous()), (None, None, None), "{bad:?}");
        }
        assert_eq!(Cycle::from_year_month(2026, 0), None);
        assert_eq!(Cycle(197001).previous(), None, "before the first month the system holds");
        assert_eq!(Cycle(999912).next(), None, "after the last");
        // Every month of a few years, both ways.
        let mut cycle = Cycle(202001);
        while cycle < Cycle(203001) {
            let next = cycle.next().unwrap();
            assert!(next > cycle);
            assert_eq!(next.previous(), Some(cycle));
            cycle = next;
        }
    }

    #[test]
    fn r_rcm_04_usage_is_rated_at_list_price_in_its_cycle() {
        let at = Timestamp::from_utc(2026, 11, 30, 16, 30, 0).unwrap();
        let e = rate(&sample(), record("r-1", "2.5", at), None, DEFAULT_BILLING_OFFSET).unwrap();
        assert_eq!((e.amount, e.cycle), (Money::parse("0.03125").unwrap(), Cycle(202612)));
    }

    #[test]
    fn r_rcm_04_a_rater_prices_each_product_once_and_rates_every_record_alike() {
        let at = Timestamp::from_utc(2026, 11, 10, 0, 0, 0).unwrap();
        let catalog = sample();
        let mut rater = Rater::new(&catalog, DEFAULT_BILLING_OFFSET);
        for (id, usage) in [("r-1", "2.5"), ("r-2", "1"), ("r-3", "2.5")] {
            let by_rater = rater.rate(record(id, usage, at), None).unwrap();
            assert_eq!(by_rater, rate(&catalog, record(id, usage, at), None, DEFAULT_BILLING_OFFSET).unwrap());
        }
        assert_eq!(rater.products.len(), 1, "one product, priced once");
        let mut other = record("r-4", "1", at);
        other.region = "eu-west-0".into();
        assert!(matches!(rater.rate(other, None), Err(UsageError::Rating(RatingError::NoPrice { .. }))));
        assert_eq!(rater.products.len(), 1, "a product without a price is not kept");
    }

    #[test]
    fn bad_records_are_refused_with_the_reason() {
        let at = Timestamp::from_unix_ms(0);
        assert_eq!(rate(&sample(), record("", "1", at), None, Millis(0)), Err(UsageError::Id));
        assert_eq!(rate(&sample(), record("a b", "1", at), None, Millis(0)), Err(UsageError::Id));
        let mut r = record("r-2", "1", at);
        r.resource_id = " ".into();
        assert_eq!(rate(&sample(), r, None, Millis(0)), Err(UsageError::ResourceId));
        let mut r = record("r-3", "1", at);
        r.region = "eu-west-0".into();
        assert!(matches!(rate(&sample(), r, None, Millis(0)), Err(UsageError::Rating(RatingError::NoPrice { .. }))));
    }

    fn expenditure(
        id: &str,
        customer: u8,
        resource: &str,
        usage: &str,
        amount: Money,
        partner: Option<(u8, AssociationModel)>,
    ) -> Expenditure {
        let ended_at = Timestamp::from_utc(2026, 11, 10, 0, 30, 0).unwrap();
        let mut record = record(id, usage, ended_at);
        record.customer = AccountId::from_random([customer; 16]);
        record.resource_id = resource.into();
        let partner = partner.map(|(p, model)| (PartnerId::from_random([p; 16]), model));
        Expenditure { record, partner, amount, cycle: Cycle(202611) }
    }

    #[test]
    fn issue_18_a_batch_whose_sums_would_pass_the_largest_amount_names_the_first() {
        let half = Money::from_e8(Money::MAX.e8() / 2 + 1).unwrap();
        let small = Money::parse("1").unwrap();
        let reseller = Some((9, AssociationModel::Reseller));
        let referral = Some((9, AssociationModel::Referral));
        // Each record is within range; their sums are what overflow.
        let ok =
            [expenditure("a", 1, "vm-1", "1", Money::MAX, referral), expenditure("b", 2, "vm-1", "1", small, reseller)];
        assert_eq!(check_batch_sums(&ok), Ok(()));
        let one_hour = [expenditure("a", 1, "vm-1", "1", half, None), expenditure("b", 1, "vm-1", "1", half, None)];
        assert_eq!(
            check_batch_sums(&one_hour),
            Err(SumOverflow::CustomerCycle { customer: AccountId::from_random([1; 16]), cycle: Cycle(202611) })
        );
        let mut other_cycle = expenditure("b", 1, "vm-2", "1", half, None);
        other_cycle.cycle = Cycle(202612);
        assert_eq!(
            check_batch_sums(&[expenditure("a", 1, "vm-1", "1", half, None), other_cycle]),
            Err(SumOverflow::Customer(AccountId::from_random([1; 16])))
        );
        // R-BILL-18: two customers' reseller spend adds up for the partner; referral spend does not.
        let partner =
            [expenditure("a", 1, "vm-1", "1", half, reseller), expenditure("b", 2, "vm-1", "1", half, reseller)];
        assert_eq!(check_batch_sums(&partner), Err(SumOverflow::Partner(PartnerId::from_random([9; 16]))));
        let mixed =
            [expenditure("a", 1, "vm-1", "1", half, reseller), expenditure("b", 2, "vm-1", "1", half, referral)];
        assert_eq!(check_batch_sums(&mixed), Ok(()));
        // Usage values add up per resource and hour too.
        let usage = [
            expenditure("a", 1, "vm-1", "6000000000", small, None),
            expenditure("b", 1, "vm-1", "6000000000", small, None),
        ];
        assert_eq!(
            check_batch_sums(&usage),
            Err(SumOverflow::Hour { customer: AccountId::from_random([1; 16]), resource: "vm-1".into() })
        );
        let apart = [
            expenditure("a", 1, "vm-1", "6000000000", small, None),
            expenditure("b", 1, "vm-2", "6000000000", small, None),
        ];
        assert_eq!(check_batch_sums(&apart), Ok(()));
    }
}
