//! The product catalog the operator manages (issue #6, spec B1.9): cloud service types, their
//! resource types, usage types, measure units and their conversions, resource specifications
//! and their list prices per region for pay-per-use and yearly/monthly billing.
//!
//! A catalog is replaced as a whole by an import; [`Catalog::validate`] checks it first and
//! reports every problem at once, so a bad import changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use crate::money::Money;
use crate::package::PackageGrant;

/// A name in the two languages the APIs serve (`X-Language`: zh_CN by default, or en_US).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Names {
    pub en: String,
    /// Falls back to `en` when empty.
    pub zh: String,
}

impl Names {
    pub fn get(&self, english: bool) -> &str {
        if english || self.zh.is_empty() {
            &self.en
        } else {
            &self.zh
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceType {
    /// Such as `hws.service.type.ec2`.
    pub code: String,
    pub name: Names,
    pub abbreviation: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceType {
    /// Such as `hws.resource.type.vm`.
    pub code: String,
    pub service_type: String,
    pub name: Names,
    pub description: Names,
}

/// A usage factor a resource type is metered by, such as `Duration` or `upflow`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageType {
    pub code: String,
    pub resource_type: String,
    pub name: Names,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeasureUnit {
    /// Such as 10 for GB, 4 for hours.
    pub id: i32,
    pub name: Names,
    pub abbreviation: String,
    /// The spec's `measure_type` enumeration (1 currency, 2 duration, 3 traffic, …).
    pub measure_type: i32,
}

/// `1 measure = ratio × ref_measure`, such as 1 GB = 1024 MB.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversion {
    pub measure_id: i32,
    pub ref_measure_id: i32,
    pub ratio: i64,
    pub measure_type: i32,
}

/// How a resource is billed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChargingMode {
    /// Yearly/monthly (`charge_mode` 1, `PERIOD`).
    Period,
    /// Pay-per-use (`charge_mode` 3, `ON_DEMAND`).
    OnDemand,
}

/// A resource specification, such as `s6.small.1.linux`, sold in some regions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceSpec {
    pub code: String,
    pub resource_type: String,
    pub name: Names,
    pub regions: BTreeSet<String>,
}

/// The sales period of a yearly/monthly price (the wire's `period_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodType {
    Month,
    Year,
}

/// A list price: per period for yearly/monthly, per usage unit for pay-per-use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Price {
    pub spec: String,
    pub region: String,
    pub charging_mode: ChargingMode,
    /// Yearly/monthly: the period priced, and the numbers of periods sold.
    pub period: Option<(PeriodType, Vec<i32>)>,
    /// Pay-per-use: the usage factor and the measure unit the price is per.
    pub usage: Option<(String, i32)>,
    /// In USD (8 decimals).
    pub amount: Money,
    /// Yearly/monthly only: the offering is a resource package granting this (issue #16).
    pub package: Option<PackageGrant>,
}

impl Price {
    /// The offering's id on the wire: spec, region, mode and period, stable across imports.
    pub fn offering_id(&self) -> String {
        match (&self.charging_mode, &self.period) {
            (ChargingMode::Period, Some((p, _))) => {
                format!("{}:{}:period:{}", self.spec, self.region, offering_period(*p))
            }
            _ => format!("{}:{}:on_demand", self.spec, self.region),
        }
    }
}

/// The period's part of an offering id. The offering id is the catalog's own name for an
/// offering (the BSS API shows it as `product_id`); its period numbers happen to be the
/// wire's `period_type` codes, but are fixed here as part of the id's format.
fn offering_period(p: PeriodType) -> u8 {
    match p {
        PeriodType::Month => 2,
        PeriodType::Year => 3,
    }
}

/// Everything the operator manages, replaced as a whole.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Catalog {
    pub service_types: Vec<ServiceType>,
    pub resource_types: Vec<ResourceType>,
    pub usage_types: Vec<UsageType>,
    pub measure_units: Vec<MeasureUnit>,
    pub conversions: Vec<Conversion>,
    pub specs: Vec<ResourceSpec>,
    pub prices: Vec<Price>,
}

/// One problem of an import, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogProblem {
    pub at: String,
    pub problem: String,
}

fn problem(at: impl Into<String>, text: impl Into<String>) -> CatalogProblem {
    CatalogProblem { at: at.into(), problem: text.into() }
}

/// The longest code or name.
pub const TEXT_MAX: usize = 128;

fn check_text(out: &mut Vec<CatalogProblem>, at: &str, field: &str, value: &str, required: bool) {
    if required && value.trim().is_empty() {
        out.push(problem(at, format!("{field} is required")));
    } else if value.chars().count() > TEXT_MAX || value.chars().any(char::is_control) {
        out.push(problem(at, format!("{field} must be at most {TEXT_MAX} printable characters")));
    }
}

fn check_names(out: &mut Vec<CatalogProblem>, at: &str, field: &str, names: &Names, required: bool) {
    check_text(out, at, &format!("{field}.en"), &names.en, required);
    check_text(out, at, &format!("{field}.zh"), &names.zh, false);
}

/// Records `code` as seen, reporting a repeat.
fn unique<'a>(out: &mut Vec<CatalogProblem>, seen: &mut BTreeSet<&'a str>, at: &str, code: &'a str) {
    if !seen.insert(code) {
        out.push(problem(at, format!("{code:?} is listed twice")));
    }
}

impl Catalog {
    /// Checks the whole catalog: codes present, unique and referring to what exists; ratios
    /// positive; each price for a listed spec in one of its regions, never negative, with a
    /// period (yearly/monthly) or a usage factor of the spec's resource type and a known unit
    /// (pay-per-use), at most one price per offering. Every problem is reported at once.
    pub fn validate(self) -> Result<Catalog, Vec<CatalogProblem>> {
        let mut out = vec![];
        let mut services = BTreeSet::new();
        for (i, s) in self.service_types.iter().enumerate() {
            let at = format!("service_types[{i}]");
            check_text(&mut out, &at, "code", &s.code, true);
            check_names(&mut out, &at, "name", &s.name, true);
            check_text(&mut out, &at, "abbreviation", &s.abbreviation, false);
            unique(&mut out, &mut services, &at, &s.code);
        }
        let mut resources: BTreeMap<&str, &str> = BTreeMap::new();
        for (i, r) in self.resource_types.iter().enumerate() {
            let at = format!("resource_types[{i}]");
            check_text(&mut out, &at, "code", &r.code, true);
            check_names(&mut out, &at, "name", &r.name, true);
            check_names(&mut out, &at, "description", &r.description, false);
            if !services.contains(r.service_type.as_str()) {
                out.push(problem(&at, format!("service_type {:?} is not in service_types", r.service_type)));
            }
            if resources.insert(&r.code, &r.service_type).is_some() {
                out.push(problem(&at, format!("{:?} is listed twice", r.code)));
            }
        }
        let mut usages: BTreeSet<(&str, &str)> = BTreeSet::new();
        for (i, u) in self.usage_types.iter().enumerate() {
            let at = format!("usage_types[{i}]");
            check_text(&mut out, &at, "code", &u.code, true);
            check_names(&mut out, &at, "name", &u.name, true);
            if !resources.contains_key(u.resource_type.as_str()) {
                out.push(problem(&at, format!("resource_type {:?} is not in resource_types", u.resource_type)));
            }
            if !usages.insert((&u.resource_type, &u.code)) {
                out.push(problem(&at, format!("{:?} is listed twice for {:?}", u.code, u.resource_type)));
            }
        }
        let mut units = BTreeSet::new();
        for (i, m) in self.measure_units.iter().enumerate() {
            let at = format!("measure_units[{i}]");
            check_names(&mut out, &at, "name", &m.name, true);
            check_text(&mut out, &at, "abbreviation", &m.abbreviation, false);
            if !units.insert(m.id) {
                out.push(problem(&at, format!("measure id {} is listed twice", m.id)));
            }
        }
        for (i, c) in self.conversions.iter().enumerate() {
            let at = format!("conversions[{i}]");
            for id in [c.measure_id, c.ref_measure_id] {
                if !units.contains(&id) {
                    out.push(problem(&at, format!("measure id {id} is not in measure_units")));
                }
            }
            if c.ratio <= 0 {
                out.push(problem(&at, "ratio must be positive"));
            }
        }
        let mut specs: BTreeMap<&str, &ResourceSpec> = BTreeMap::new();
        for (i, s) in self.specs.iter().enumerate() {
            let at = format!("specs[{i}]");
            check_text(&mut out, &at, "code", &s.code, true);
            check_names(&mut out, &at, "name", &s.name, true);
            if !resources.contains_key(s.resource_type.as_str()) {
                out.push(problem(&at, format!("resource_type {:?} is not in resource_types", s.resource_type)));
            }
            if s.regions.is_empty() {
                out.push(problem(&at, "regions must list at least one region"));
            }
            for r in &s.regions {
                check_text(&mut out, &at, "regions[]", r, true);
            }
            if specs.insert(&s.code, s).is_some() {
                out.push(problem(&at, format!("{:?} is listed twice", s.code)));
            }
        }
        let mut offerings = BTreeSet::new();
        for (i, p) in self.prices.iter().enumerate() {
            let at = format!("prices[{i}]");
            match specs.get(p.spec.as_str()) {
                None => out.push(problem(&at, format!("spec {:?} is not in specs", p.spec))),
                Some(spec) => {
                    if !spec.regions.contains(&p.region) {
                        out.push(problem(&at, format!("spec {:?} is not sold in region {:?}", p.spec, p.region)));
                    }
                    if let Some((factor, _)) = &p.usage {
                        if !usages.contains(&(spec.resource_type.as_str(), factor.as_str())) {
                            out.push(problem(
                                &at,
                                format!("usage factor {factor:?} is not a usage type of {:?}", spec.resource_type),
                            ));
                        }
                    }
                }
            }
            if p.amount < Money::ZERO {
                out.push(problem(&at, "the price must not be negative"));
            }
            match (p.charging_mode, &p.period, &p.usage) {
                (ChargingMode::Period, Some((_, nums)), None) => {
                    if nums.is_empty() || nums.iter().any(|n| *n <= 0) {
                        out.push(problem(&at, "period_nums must list positive numbers of periods"));
                    }
                }
                (ChargingMode::Period, _, _) => {
                    out.push(problem(&at, "a yearly/monthly price has a period_type and no usage factor"))
                }
                (ChargingMode::OnDemand, None, Some((_, unit))) => {
                    if !units.contains(unit) {
                        out.push(problem(&at, format!("usage_measure_id {unit} is not in measure_units")));
                    }
                }
                (ChargingMode::OnDemand, _, _) => {
                    out.push(problem(&at, "a pay-per-use price has a usage factor and unit, and no period"))
                }
            }
            if let Some(g) = &p.package {
                if p.charging_mode != ChargingMode::Period {
                    out.push(problem(&at, "only a yearly/monthly offering can be a resource package"));
                }
                if !usages.contains(&(g.resource_type.as_str(), g.usage_type.as_str())) {
                    out.push(problem(
                        &at,
                        format!("package usage type {:?} is not a usage type of {:?}", g.usage_type, g.resource_type),
                    ));
                }
                if !units.contains(&g.measure_id) {
                    out.push(problem(&at, format!("package measure_id {} is not in measure_units", g.measure_id)));
                }
                if g.amount.e8() <= 0 {
                    out.push(problem(&at, "a package grants a positive amount"));
                }
            }
            if !offerings.insert(p.offering_id()) {
                out.push(problem(&at, format!("offering {:?} is priced twice", p.offering_id())));
            }
        }
        if out.is_empty() {
            Ok(self)
        } else {
            Err(out)
        }
    }

    pub fn resource_type(&self, code: &str) -> Option<&ResourceType> {
        self.resource_types.iter().find(|r| r.code == code)
    }

    pub fn service_type(&self, code: &str) -> Option<&ServiceType> {
        self.service_types.iter().find(|s| s.code == code)
    }

    /// `list_service_types`: those whose name (in the asked language) contains `fragment`,
    /// case-insensitively.
    pub fn service_types_named(&self, fragment: Option<&str>, english: bool) -> Vec<&ServiceType> {
        let fragment = fragment.map(str::to_lowercase);
        self.service_types
            .iter()
            .filter(|s| fragment.as_deref().is_none_or(|f| s.name.get(english).to_lowercase().contains(f)))
            .collect()
    }

    /// `list_service_resources`: the resource types of a service type.
    pub fn resource_types_of(&self, service_type: &str) -> Vec<&ResourceType> {
        self.resource_types.iter().filter(|r| r.service_type == service_type).collect()
    }

    /// `list_usage_types`: all, or those of a resource type.
    pub fn usage_types_of(&self, resource_type: Option<&str>) -> Vec<&UsageType> {
        self.usage_types.iter().filter(|u| resource_type.is_none_or(|r| u.resource_type == r)).collect()
    }

    /// `list_resource_specs`: the specs of a resource type sold in `region` with a price in
    /// `mode`, optionally only `spec`.
    pub fn specs_priced(
        &self,
        resource_type: &str,
        region: &str,
        mode: ChargingMode,
        spec: Option<&str>,
    ) -> Vec<&ResourceSpec> {
        self.specs
            .iter()
            .filter(|s| s.resource_type == resource_type && s.regions.contains(region))
            .filter(|s| spec.is_none_or(|code| s.code == code))
            .filter(|s| self.prices.iter().any(|p| p.spec == s.code && p.region == region && p.charging_mode == mode))
            .collect()
    }

    /// `list_resource_specs_price`: the specs sold in `region`, optionally of a service type,
    /// a resource type or one spec, with their prices there (optionally in one mode only).
    pub fn specs_in_region(
        &self,
        region: &str,
        service_type: Option<&str>,
        resource_type: Option<&str>,
        spec: Option<&str>,
        mode: Option<ChargingMode>,
    ) -> Vec<(&ResourceSpec, Vec<&Price>)> {
        self.specs
            .iter()
            .filter(|s| s.regions.contains(region))
            .filter(|s| resource_type.is_none_or(|r| s.resource_type == r))
            .filter(|s| {
                service_type.is_none_or(|t| self.resource_type(&s.resource_type).is_some_and(|r| r.service_type == t))
            })
            .filter(|s| spec.is_none_or(|code| s.code == code))
            .map(|s| {
                let prices = self
                    .prices
                    .iter()
                    .filter(|p| p.spec == s.code && p.region == region && mode.is_none_or(|m| p.charging_mode == m))
                    .collect();
                (s, prices)
            })
            .filter(|(_, prices): &(&ResourceSpec, Vec<&Price>)| mode.is_none() || !prices.is_empty())
            .collect()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn names(en: &str) -> Names {
        Names { en: en.into(), zh: String::new() }
    }

    /// A small valid catalog: ECS with one VM spec in one region, priced both ways.
    pub(crate) fn sample() -> Catalog {
        Catalog {
            service_types: vec![ServiceType {
                code: "hws.service.type.ec2".into(),
                name: Names { en: "Elastic Cloud Server".into(), zh: "弹性云服务器".into() },
                abbreviation: "ECS".into(),
            }],
            resource_types: vec![ResourceType {
                code: "hws.resource.type.vm".into(),
                service_type: "hws.service.type.ec2".into(),
                name: names("Cloud server"),
                description: names("A virtual machine"),
            }],
            usage_types: vec![UsageType {
                code: "Duration".into(),
                resource_type: "hws.resource.type.vm".into(),
                name: names("Duration"),
            }],
            measure_units: vec![
                MeasureUnit { id: 4, name: names("hour"), abbreviation: "h".into(), measure_type: 2 },
                MeasureUnit { id: 5, name: names("minute"), abbreviation: "min".into(), measure_type: 2 },
            ],
            conversions: vec![Conversion { measure_id: 4, ref_measure_id: 5, ratio: 60, measure_type: 2 }],
            specs: vec![ResourceSpec {
                code: "s6.small.1.linux".into(),
                resource_type: "hws.resource.type.vm".into(),
                name: names("s6.small.1 Linux"),
                regions: ["ap-southeast-1".to_owned()].into(),
            }],
            prices: vec![
                Price {
                    spec: "s6.small.1.linux".into(),
                    region: "ap-southeast-1".into(),
                    charging_mode: ChargingMode::OnDemand,
                    period: None,
                    usage: Some(("Duration".into(), 4)),
                    amount: Money::parse("0.0125").unwrap(),
                    package: None,
                },
                Price {
                    spec: "s6.small.1.linux".into(),
                    region: "ap-southeast-1".into(),
                    charging_mode: ChargingMode::Period,
                    period: Some((PeriodType::Month, vec![1, 2, 3])),
                    usage: None,
                    amount: Money::parse("6.80").unwrap(),
                    package: None,
                },
            ],
        }
    }

    #[test]
    fn a_consistent_catalog_is_accepted() {
        let catalog = sample().validate().unwrap();
        assert_eq!(catalog.prices[0].offering_id(), "s6.small.1.linux:ap-southeast-1:on_demand");
        assert_eq!(catalog.prices[1].offering_id(), "s6.small.1.linux:ap-southeast-1:period:2");
        assert_eq!(catalog.service_types[0].name.get(false), "弹性云服务器");
        assert_eq!(catalog.resource_types[0].name.get(false), "Cloud server", "zh falls back to en");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut c = sample();
        c.resource_types[0].service_type = "hws.service.type.nope".into();
        c.service_types.push(c.service_types[0].clone());
        c.conversions[0].ratio = 0;
        c.conversions[0].ref_measure_id = 99;
        c.prices[0].region = "eu-west-0".into();
        c.prices[0].amount = Money::from_e8(-1).unwrap();
        c.prices[1].usage = Some(("Duration".into(), 4));
        c.prices.push(c.prices[0].clone());
        c.specs[0].name.en = String::new();
        let problems = c.validate().unwrap_err();
        let at: Vec<&str> = problems.iter().map(|p| p.at.as_str()).collect();
        assert_eq!(
            at,
            [
                "service_types[1]",
                "resource_types[0]",
                "conversions[0]",
                "conversions[0]",
                "specs[0]",
                "prices[0]",
                "prices[0]",
                "prices[1]",
                "prices[2]",
                "prices[2]",
                "prices[2]"
            ],
            "{problems:#?}"
        );
    }

    #[test]
    fn queries_filter_by_name_type_region_and_mode() {
        let c = sample().validate().unwrap();
        assert_eq!(c.service_types_named(Some("ELASTIC"), true).len(), 1);
        assert_eq!(c.service_types_named(Some("弹性"), false).len(), 1);
        assert!(c.service_types_named(Some("storage"), true).is_empty());
        assert_eq!(c.resource_types_of("hws.service.type.ec2").len(), 1);
        assert_eq!(c.usage_types_of(Some("hws.resource.type.vm")).len(), 1);
        assert!(c.usage_types_of(Some("hws.resource.type.volume")).is_empty());
        let vm = "hws.resource.type.vm";
        assert_eq!(c.specs_priced(vm, "ap-southeast-1", ChargingMode::OnDemand, None).len(), 1);
        assert!(c.specs_priced(vm, "eu-west-0", ChargingMode::OnDemand, None).is_empty());
        let priced = c.specs_in_region("ap-southeast-1", Some("hws.service.type.ec2"), None, None, None);
        assert_eq!((priced.len(), priced[0].1.len()), (1, 2));
        let monthly = c.specs_in_region("ap-southeast-1", None, None, None, Some(ChargingMode::Period));
        assert_eq!(monthly[0].1.len(), 1);
    }
}
