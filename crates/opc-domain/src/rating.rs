//! Rating at list price (issue #6, B1.9.3, B1.9.4): what a pay-per-use usage or a
//! yearly/monthly purchase costs under the catalog's official prices. Exact: amounts and usage
//! are fixed-point with 8 decimals and products are computed in 128 bits, truncated once.
//! Discounts come with partner discounts; none apply yet, so the amount is the list price.

use crate::catalog::{Catalog, ChargingMode, PeriodType, Price};
use crate::money::Money;

const SCALE: i128 = 100_000_000;

/// A usage value (hours, GB, …) with up to 8 decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quantity(i64);

impl Quantity {
    /// A non-negative decimal with at most 8 decimals (the JSON number as written).
    pub fn parse(text: &str) -> Result<Quantity, RatingError> {
        let m = Money::parse(text.trim()).map_err(|_| RatingError::Usage)?;
        if m.is_negative() {
            return Err(RatingError::Usage);
        }
        Ok(Quantity(m.e8()))
    }

    /// The value in units of 10⁻⁸.
    pub fn e8(self) -> i64 {
        self.0
    }

    /// A stored value (units of 10⁻⁸); `None` if negative.
    pub fn from_e8(e8: i64) -> Option<Quantity> {
        (e8 >= 0).then_some(Quantity(e8))
    }

    pub fn from_units(units: i64) -> Option<Quantity> {
        units.checked_mul(SCALE as i64).map(Quantity)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    #[error("the usage value must be a non-negative decimal with at most 8 decimals")]
    Usage,
    #[error("there is no {mode} list price for {spec} in {region}")]
    NoPrice { spec: String, region: String, mode: &'static str },
    #[error("{spec} ({resource_type}) is not a resource specification of {service_type}")]
    NotInCatalog { service_type: String, resource_type: String, spec: String },
    #[error("the usage is metered by {expected}, not {asked}")]
    UsageFactor { expected: String, asked: String },
    #[error("measure unit {asked} cannot be converted to {priced}")]
    Unit { asked: i32, priced: i32 },
    #[error("{0} is sold by month or year only")]
    Period(String),
    #[error("{spec} is not sold for {periods} periods")]
    PeriodCount { spec: String, periods: i32 },
    #[error("the amount is too large")]
    Overflow,
}

/// How many decimals an inquiry keeps: 6 by default (`inquiry_precision` 0); 1 asks for 10,
/// of which the catalog's 8 are all there are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    Six,
    Full,
}

/// One priced product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rated {
    pub offering_id: String,
    pub official: Money,
}

/// The spec of `spec` must belong to `resource_type` of `service_type`.
fn check_spec(catalog: &Catalog, service_type: &str, resource_type: &str, spec: &str) -> Result<(), RatingError> {
    let fits = catalog.specs.iter().any(|s| s.code == spec && s.resource_type == resource_type)
        && catalog.resource_type(resource_type).is_some_and(|r| r.service_type == service_type);
    if fits {
        Ok(())
    } else {
        Err(RatingError::NotInCatalog {
            service_type: service_type.to_owned(),
            resource_type: resource_type.to_owned(),
            spec: spec.to_owned(),
        })
    }
}

fn find<'a>(
    catalog: &'a Catalog,
    spec: &str,
    region: &str,
    mode: ChargingMode,
    period: Option<PeriodType>,
) -> Result<&'a Price, RatingError> {
    catalog
        .prices
        .iter()
        .find(|p| {
            p.spec == spec
                && p.region == region
                && p.charging_mode == mode
                && period.is_none_or(|t| p.period.as_ref().is_some_and(|(pt, _)| *pt == t))
        })
        .ok_or_else(|| RatingError::NoPrice {
            spec: spec.to_owned(),
            region: region.to_owned(),
            mode: match mode {
                ChargingMode::Period => "yearly/monthly",
                ChargingMode::OnDemand => "pay-per-use",
            },
        })
}

/// `quantity` in `from` expressed in `to`, as a ratio `(numerator, denominator)` to apply:
/// the catalog's conversions give `1 measure = ratio × ref_measure`.
fn unit_factor(catalog: &Catalog, from: i32, to: i32) -> Result<(i128, i128), RatingError> {
    if from == to {
        return Ok((1, 1));
    }
    for c in &catalog.conversions {
        if c.measure_id == from && c.ref_measure_id == to {
            return Ok((i128::from(c.ratio), 1));
        }
        if c.measure_id == to && c.ref_measure_id == from {
            return Ok((1, i128::from(c.ratio)));
        }
    }
    Err(RatingError::Unit { asked: from, priced: to })
}

fn to_money(e8: i128, precision: Precision) -> Result<Money, RatingError> {
    let kept = match precision {
        Precision::Full => e8,
        Precision::Six => e8 - e8 % 100,
    };
    i64::try_from(kept).ok().and_then(|v| Money::from_e8(v).ok()).ok_or(RatingError::Overflow)
}

/// What one pay-per-use inquiry asks (B1.9.3 `DemandProductInfo`).
pub struct OnDemandInquiry<'a> {
    pub service_type: &'a str,
    pub resource_type: &'a str,
    pub spec: &'a str,
    pub region: &'a str,
    pub usage_factor: &'a str,
    pub usage: Quantity,
    pub usage_measure_id: i32,
    pub subscription_num: i64,
    /// A linear product's size (a volume's GB, a bandwidth's Mbps): the price is per size unit.
    pub resource_size: Option<i64>,
}

/// A pay-per-use list price resolved for one product and measure unit: all that rating a
/// usage of it needs, so that a batch of usage finds each product's price once.
#[derive(Clone, Copy, Debug)]
pub struct OnDemandRate<'a> {
    price: &'a Price,
    /// 1 asked unit = `num / den` priced units.
    num: i128,
    den: i128,
}

/// The pay-per-use price of the inquiry's product in its measure unit.
pub fn on_demand_rate<'a>(catalog: &'a Catalog, q: &OnDemandInquiry<'_>) -> Result<OnDemandRate<'a>, RatingError> {
    check_spec(catalog, q.service_type, q.resource_type, q.spec)?;
    let price = find(catalog, q.spec, q.region, ChargingMode::OnDemand, None)?;
    let (factor, unit) = price.usage.as_ref().expect("a validated pay-per-use price has a usage factor");
    if factor != q.usage_factor {
        return Err(RatingError::UsageFactor { expected: factor.clone(), asked: q.usage_factor.to_owned() });
    }
    let (num, den) = unit_factor(catalog, q.usage_measure_id, *unit)?;
    Ok(OnDemandRate { price, num, den })
}

impl OnDemandRate<'_> {
    /// Price per unit × usage in the price's unit × size × number of resources, truncated to
    /// the precision asked.
    pub fn amount(
        &self,
        usage: Quantity,
        size: Option<i64>,
        count: i64,
        precision: Precision,
    ) -> Result<Money, RatingError> {
        let size = i128::from(size.unwrap_or(1).max(0));
        let count = i128::from(count.max(0));
        let total = i128::from(self.price.amount.e8())
            .checked_mul(i128::from(usage.0))
            .and_then(|v| v.checked_mul(self.num))
            .and_then(|v| v.checked_mul(size))
            .and_then(|v| v.checked_mul(count))
            .ok_or(RatingError::Overflow)?
            / (SCALE * self.den);
        to_money(total, precision)
    }
}

/// The list price of a pay-per-use usage: price per unit × usage in the price's unit × size ×
/// number of resources, truncated to the precision asked.
pub fn rate_on_demand(catalog: &Catalog, q: &OnDemandInquiry<'_>, precision: Precision) -> Result<Rated, RatingError> {
    let rate = on_demand_rate(catalog, q)?;
    let official = rate.amount(q.usage, q.resource_size, q.subscription_num, precision)?;
    Ok(Rated { offering_id: rate.price.offering_id(), official })
}

/// What one yearly/monthly inquiry asks (B1.9.4 `PeriodProductInfo`).
pub struct PeriodInquiry<'a> {
    pub service_type: &'a str,
    pub resource_type: &'a str,
    pub spec: &'a str,
    pub region: &'a str,
    /// The period priced; `None` for one that is not sold (the wire's day or hour, or an
    /// unknown one).
    pub period: Option<PeriodType>,
    pub period_num: i32,
    pub subscription_num: i64,
    pub resource_size: Option<i64>,
}

/// The list price of a new yearly/monthly purchase: price per period × periods × size × number.
/// The number of periods must be one the catalog sells.
pub fn rate_on_period(catalog: &Catalog, q: &PeriodInquiry<'_>) -> Result<Rated, RatingError> {
    check_spec(catalog, q.service_type, q.resource_type, q.spec)?;
    let period = q.period.ok_or_else(|| RatingError::Period(q.spec.to_owned()))?;
    let price = find(catalog, q.spec, q.region, ChargingMode::Period, Some(period))?;
    let sold = price.period.as_ref().is_some_and(|(_, nums)| nums.contains(&q.period_num));
    if !sold {
        return Err(RatingError::PeriodCount { spec: q.spec.to_owned(), periods: q.period_num });
    }
    let total = i128::from(price.amount.e8())
        .checked_mul(i128::from(q.period_num))
        .and_then(|v| v.checked_mul(i128::from(q.resource_size.unwrap_or(1).max(0))))
        .and_then(|v| v.checked_mul(i128::from(q.subscription_num.max(0))))
        .ok_or(RatingError::Overflow)?;
    Ok(Rated { offering_id: price.offering_id(), official: to_money(total, Precision::Full)? })
}

/// The list price of renewing a resource for `count` periods (B1.7.8, B1.9.5): price per period
/// × periods × size. Any count of the documented range renews, whatever counts are sold new.
pub fn rate_renewal(
    catalog: &Catalog,
    product: &crate::order::Product,
    period: PeriodType,
    count: i32,
) -> Result<Money, RatingError> {
    let price = find(catalog, &product.spec, &product.region, ChargingMode::Period, Some(period))?;
    let total = i128::from(price.amount.e8())
        .checked_mul(i128::from(count))
        .and_then(|v| v.checked_mul(i128::from(product.size.unwrap_or(1).max(0))))
        .ok_or(RatingError::Overflow)?;
    to_money(total, Precision::Full)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::sample;

    fn on_demand(usage: &str, unit: i32) -> OnDemandInquiry<'static> {
        OnDemandInquiry {
            service_type: "hws.service.type.ec2",
            resource_type: "hws.resource.type.vm",
            spec: "s6.small.1.linux",
            region: "ap-southeast-1",
            usage_factor: "Duration",
            usage: Quantity::parse(usage).unwrap(),
            usage_measure_id: unit,
            subscription_num: 2,
            resource_size: None,
        }
    }

    fn money(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    #[test]
    fn pay_per_use_is_price_times_usage_in_the_priced_unit_times_count() {
        let c = sample();
        // 0.0125 per hour × 3 h × 2 servers.
        assert_eq!(rate_on_demand(&c, &on_demand("3", 4), Precision::Full).unwrap().official, money("0.075"));
        // 90 minutes = 1.5 h (1 h = 60 min).
        assert_eq!(rate_on_demand(&c, &on_demand("90", 5), Precision::Full).unwrap().official, money("0.0375"));
        // 1 minute: 0.0125 / 60 × 2 = 0.00041666…, truncated to 8 decimals, or to 6.
        assert_eq!(rate_on_demand(&c, &on_demand("1", 5), Precision::Full).unwrap().official, money("0.00041666"));
        assert_eq!(rate_on_demand(&c, &on_demand("1", 5), Precision::Six).unwrap().official, money("0.000416"));
    }

    #[test]
    fn inquiries_outside_the_catalog_are_refused_with_the_reason() {
        let c = sample();
        let mut q = on_demand("1", 4);
        q.region = "eu-west-0";
        assert!(matches!(rate_on_demand(&c, &q, Precision::Full), Err(RatingError::NoPrice { .. })));
        let mut q = on_demand("1", 4);
        q.usage_factor = "upflow";
        assert!(matches!(rate_on_demand(&c, &q, Precision::Full), Err(RatingError::UsageFactor { .. })));
        assert_eq!(
            rate_on_demand(&c, &on_demand("1", 10), Precision::Full),
            Err(RatingError::Unit { asked: 10, priced: 4 })
        );
        let mut q = on_demand("1", 4);
        q.resource_type = "hws.resource.type.volume";
        assert!(matches!(rate_on_demand(&c, &q, Precision::Full), Err(RatingError::NotInCatalog { .. })));
        assert_eq!(Quantity::parse("-1"), Err(RatingError::Usage));
        assert_eq!(Quantity::parse("0.000000001"), Err(RatingError::Usage));
    }

    #[test]
    fn yearly_monthly_is_price_per_period_times_periods_times_count() {
        let c = sample();
        let q = |period, period_num| PeriodInquiry {
            service_type: "hws.service.type.ec2",
            resource_type: "hws.resource.type.vm",
            spec: "s6.small.1.linux",
            region: "ap-southeast-1",
            period,
            period_num,
            subscription_num: 3,
            resource_size: None,
        };
        // 6.80 a month × 2 months × 3 servers.
        let rated = rate_on_period(&c, &q(Some(PeriodType::Month), 2)).unwrap();
        assert_eq!(
            (rated.official, rated.offering_id.as_str()),
            (money("40.80"), "s6.small.1.linux:ap-southeast-1:period:2")
        );
        assert!(matches!(
            rate_on_period(&c, &q(Some(PeriodType::Month), 4)),
            Err(RatingError::PeriodCount { periods: 4, .. })
        ));
        assert!(
            matches!(rate_on_period(&c, &q(Some(PeriodType::Year), 1)), Err(RatingError::NoPrice { .. })),
            "no yearly price"
        );
        assert!(matches!(rate_on_period(&c, &q(None, 1)), Err(RatingError::Period(_))));
    }

    #[test]
    fn a_renewal_is_priced_per_period_whatever_counts_are_sold_new() {
        let c = sample();
        let product = crate::order::Product {
            service_type: "hws.service.type.ec2".into(),
            resource_type: "hws.resource.type.vm".into(),
            spec: "s6.small.1.linux".into(),
            region: "ap-southeast-1".into(),
            size: None,
        };
        // 6.80 a month × 5 months, though new purchases sell 1–3 months.
        assert_eq!(rate_renewal(&c, &product, PeriodType::Month, 5), Ok(money("34")));
        assert!(matches!(rate_renewal(&c, &product, PeriodType::Year, 1), Err(RatingError::NoPrice { .. })));
    }
}
