//! The catalog document: the JSON the operator imports (console API and CLI) and the form a
//! catalog version is stored in. Amounts are decimal strings, never floats.

use std::collections::BTreeSet;

use crate::audit::insert_audit;
use crate::codes::NumCode;
use crate::db::{err, finish, query_as, query_scalar};
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::audit::AuditEvent;
use opc_domain::catalog::{
    Catalog, CatalogProblem, ChargingMode, Conversion, MeasureUnit, Names, PeriodType, Price, ResourceSpec,
    ResourceType, ServiceType, UsageType,
};
use opc_domain::package::{PackageGrant, Reset};
use opc_domain::rating::Quantity;
use opc_domain::Money;
use opc_domain::Timestamp;
use serde::{Deserialize, Serialize};
use tracing::instrument;

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Document {
    #[serde(default)]
    service_types: Vec<ServiceTypeDoc>,
    #[serde(default)]
    resource_types: Vec<ResourceTypeDoc>,
    #[serde(default)]
    usage_types: Vec<UsageTypeDoc>,
    #[serde(default)]
    measure_units: Vec<MeasureUnitDoc>,
    #[serde(default)]
    conversions: Vec<ConversionDoc>,
    #[serde(default)]
    specs: Vec<SpecDoc>,
    #[serde(default)]
    prices: Vec<PriceDoc>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceTypeDoc {
    code: String,
    name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    name_zh: String,
    #[serde(default)]
    abbreviation: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResourceTypeDoc {
    code: String,
    service_type: String,
    name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    name_zh: String,
    #[serde(default)]
    description: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    description_zh: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct UsageTypeDoc {
    code: String,
    resource_type: String,
    name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    name_zh: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeasureUnitDoc {
    id: i32,
    name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    name_zh: String,
    #[serde(default)]
    abbreviation: String,
    measure_type: i32,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConversionDoc {
    measure_id: i32,
    ref_measure_id: i32,
    ratio: i64,
    measure_type: i32,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecDoc {
    code: String,
    resource_type: String,
    name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    name_zh: String,
    regions: BTreeSet<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PriceDoc {
    spec: String,
    region: String,
    /// `PERIOD` or `ON_DEMAND`, as `list_resource_specs_price` names them.
    charging_mode: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    period_type: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    period_nums: Vec<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    usage_factor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    usage_measure_id: Option<i32>,
    /// USD, a decimal string with at most 8 decimals.
    amount: String,
    /// Yearly/monthly only: the offering is a resource package (issue #16).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    package: Option<PackageDoc>,
}

/// What a resource package grants: `amount` (a decimal string, at most 8 decimals) of
/// `usage_type` of `resource_type` in `measure_id`, once for the term (`reset` `NONE`, the
/// default) or each billing month (`MONTHLY`).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackageDoc {
    resource_type: String,
    usage_type: String,
    measure_id: i32,
    amount: String,
    #[serde(default = "no_reset")]
    reset: String,
}

fn no_reset() -> String {
    "NONE".into()
}

fn names(en: String, zh: String) -> Names {
    Names { en, zh }
}

fn problem(at: String, text: impl Into<String>) -> CatalogProblem {
    CatalogProblem { at, problem: text.into() }
}

/// Reads a catalog document and validates it ([`Catalog::validate`]); every problem comes back
/// at once, the document's shape first.
pub fn parse(json: &str) -> Result<Catalog, Vec<CatalogProblem>> {
    let doc: Document = serde_json::from_str(json).map_err(|e| vec![problem("document".into(), e.to_string())])?;
    let mut problems = vec![];
    let mut prices = vec![];
    for (i, p) in doc.prices.into_iter().enumerate() {
        let at = format!("prices[{i}]");
        let amount = match Money::parse(p.amount.trim()) {
            Ok(m) => m,
            Err(e) => {
                problems.push(problem(at.clone(), format!("amount: {e}")));
                Money::ZERO
            }
        };
        let charging_mode = match p.charging_mode.as_str() {
            "PERIOD" => ChargingMode::Period,
            "ON_DEMAND" => ChargingMode::OnDemand,
            other => {
                problems.push(problem(at.clone(), format!("charging_mode {other:?} must be PERIOD or ON_DEMAND")));
                continue;
            }
        };
        let period = match p.period_type {
            None => None,
            Some(code) => match PeriodType::from_code(code) {
                Ok(t) => Some((t, p.period_nums)),
                Err(_) => {
                    problems.push(problem(at.clone(), "period_type must be 2 (month) or 3 (year)"));
                    continue;
                }
            },
        };
        let usage = match (p.usage_factor, p.usage_measure_id) {
            (None, None) => None,
            (Some(f), Some(m)) => Some((f, m)),
            _ => {
                problems.push(problem(at, "usage_factor and usage_measure_id come together"));
                continue;
            }
        };
        let package = match p.package {
            None => None,
            Some(g) => {
                let reset = match g.reset.as_str() {
                    "NONE" => Reset::Never,
                    "MONTHLY" => Reset::Monthly,
                    other => {
                        problems.push(problem(at.clone(), format!("package.reset {other:?} must be NONE or MONTHLY")));
                        continue;
                    }
                };
                let Ok(amount) = Quantity::parse(&g.amount) else {
                    problems.push(problem(at.clone(), "package.amount must be a non-negative decimal (8 decimals)"));
                    continue;
                };
                Some(PackageGrant {
                    resource_type: g.resource_type,
                    usage_type: g.usage_type,
                    measure_id: g.measure_id,
                    amount,
                    reset,
                })
            }
        };
        prices.push(Price { spec: p.spec, region: p.region, charging_mode, period, usage, amount, package });
    }
    let catalog = Catalog {
        service_types: doc
            .service_types
            .into_iter()
            .map(|s| ServiceType { code: s.code, name: names(s.name, s.name_zh), abbreviation: s.abbreviation })
            .collect(),
        resource_types: doc
            .resource_types
            .into_iter()
            .map(|r| ResourceType {
                code: r.code,
                service_type: r.service_type,
                name: names(r.name, r.name_zh),
                description: names(r.description, r.description_zh),
            })
            .collect(),
        usage_types: doc
            .usage_types
            .into_iter()
            .map(|u| UsageType { code: u.code, resource_type: u.resource_type, name: names(u.name, u.name_zh) })
            .collect(),
        measure_units: doc
            .measure_units
            .into_iter()
            .map(|m| MeasureUnit {
                id: m.id,
                name: names(m.name, m.name_zh),
                abbreviation: m.abbreviation,
                measure_type: m.measure_type,
            })
            .collect(),
        conversions: doc
            .conversions
            .into_iter()
            .map(|c| Conversion {
                measure_id: c.measure_id,
                ref_measure_id: c.ref_measure_id,
                ratio: c.ratio,
                measure_type: c.measure_type,
            })
            .collect(),
        specs: doc
            .specs
            .into_iter()
            .map(|s| ResourceSpec {
                code: s.code,
                resource_type: s.resource_type,
                name: names(s.name, s.name_zh),
                regions: s.regions,
            })
            .collect(),
        prices,
    };
    match (catalog.validate(), problems.is_empty()) {
        (Ok(c), true) => Ok(c),
        (Ok(_), false) => Err(problems),
        (Err(more), _) => {
            problems.extend(more);
            Err(problems)
        }
    }
}

/// The catalog as a document [`parse`] reads back to the same catalog.
pub fn to_json(c: &Catalog) -> String {
    let doc = Document {
        service_types: c
            .service_types
            .iter()
            .map(|s| ServiceTypeDoc {
                code: s.code.clone(),
                name: s.name.en.clone(),
                name_zh: s.name.zh.clone(),
                abbreviation: s.abbreviation.clone(),
            })
            .collect(),
        resource_types: c
            .resource_types
            .iter()
            .map(|r| ResourceTypeDoc {
                code: r.code.clone(),
                service_type: r.service_type.clone(),
                name: r.name.en.clone(),
                name_zh: r.name.zh.clone(),
                description: r.description.en.clone(),
                description_zh: r.description.zh.clone(),
            })
            .collect(),
        usage_types: c
            .usage_types
            .iter()
            .map(|u| UsageTypeDoc {
                code: u.code.clone(),
                resource_type: u.resource_type.clone(),
                name: u.name.en.clone(),
                name_zh: u.name.zh.clone(),
            })
            .collect(),
        measure_units: c
            .measure_units
            .iter()
            .map(|m| MeasureUnitDoc {
                id: m.id,
                name: m.name.en.clone(),
                name_zh: m.name.zh.clone(),
                abbreviation: m.abbreviation.clone(),
                measure_type: m.measure_type,
            })
            .collect(),
        conversions: c
            .conversions
            .iter()
            .map(|v| ConversionDoc {
                measure_id: v.measure_id,
                ref_measure_id: v.ref_measure_id,
                ratio: v.ratio,
                measure_type: v.measure_type,
            })
            .collect(),
        specs: c
            .specs
            .iter()
            .map(|s| SpecDoc {
                code: s.code.clone(),
                resource_type: s.resource_type.clone(),
                name: s.name.en.clone(),
                name_zh: s.name.zh.clone(),
                regions: s.regions.clone(),
            })
            .collect(),
        prices: c
            .prices
            .iter()
            .map(|p| PriceDoc {
                spec: p.spec.clone(),
                region: p.region.clone(),
                charging_mode: match p.charging_mode {
                    ChargingMode::Period => "PERIOD",
                    ChargingMode::OnDemand => "ON_DEMAND",
                }
                .to_owned(),
                period_type: p.period.as_ref().map(|(t, _)| t.code()),
                period_nums: p.period.as_ref().map(|(_, n)| n.clone()).unwrap_or_default(),
                usage_factor: p.usage.as_ref().map(|(f, _)| f.clone()),
                usage_measure_id: p.usage.as_ref().map(|(_, m)| *m),
                amount: p.amount.to_plain_string(),
                package: p.package.as_ref().map(|g| PackageDoc {
                    resource_type: g.resource_type.clone(),
                    usage_type: g.usage_type.clone(),
                    measure_id: g.measure_id,
                    amount: opc_domain::package::quantity_text(g.amount),
                    reset: match g.reset {
                        Reset::Never => "NONE",
                        Reset::Monthly => "MONTHLY",
                    }
                    .to_owned(),
                }),
            })
            .collect(),
    };
    serde_json::to_string(&doc).expect("a catalog document serializes")
}

#[async_trait]
impl Catalogs for SqlStore {
    #[instrument(level = "debug", skip_all)]
    async fn import_catalog(
        &self,
        catalog: &Catalog,
        at: Timestamp,
        by: &str,
        audit: &[AuditEvent],
    ) -> Result<i64, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let version: i64 = query_scalar(
                "INSERT INTO catalog_versions (document, imported_at_ms, imported_by) VALUES ($1, $2, $3) RETURNING version",
            )
            .bind(crate::catalog::to_json(catalog))
            .bind(at.unix_ms())
            .bind(by)
            .fetch_one(&mut tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(version)
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn catalog(&self) -> Result<Option<(i64, Catalog)>, StoreError> {
        let row: Option<(i64, String)> =
            query_as("SELECT version, document FROM catalog_versions ORDER BY version DESC LIMIT 1")
                .fetch_optional(&self.db)
                .await
                .map_err(err)?;
        row.map(|(version, document)| {
            crate::catalog::parse(&document).map(|c| (version, c)).map_err(|problems| {
                let list: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.at, p.problem)).collect();
                let text = format!("stored catalog version {version} is invalid: {}", list.join("; "));
                err(sqlx::Error::Decode(text.into()))
            })
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{
      "service_types": [{"code": "hws.service.type.ec2", "name": "Elastic Cloud Server", "name_zh": "弹性云服务器", "abbreviation": "ECS"}],
      "resource_types": [{"code": "hws.resource.type.vm", "service_type": "hws.service.type.ec2", "name": "Cloud server"}],
      "usage_types": [{"code": "Duration", "resource_type": "hws.resource.type.vm", "name": "Duration"}],
      "measure_units": [{"id": 4, "name": "hour", "abbreviation": "h", "measure_type": 2},
                        {"id": 5, "name": "minute", "abbreviation": "min", "measure_type": 2}],
      "conversions": [{"measure_id": 4, "ref_measure_id": 5, "ratio": 60, "measure_type": 2}],
      "specs": [{"code": "s6.small.1.linux", "resource_type": "hws.resource.type.vm", "name": "s6.small.1 Linux", "regions": ["ap-southeast-1"]}],
      "prices": [{"spec": "s6.small.1.linux", "region": "ap-southeast-1", "charging_mode": "ON_DEMAND", "usage_factor": "Duration", "usage_measure_id": 4, "amount": "0.01250001"},
                 {"spec": "s6.small.1.linux", "region": "ap-southeast-1", "charging_mode": "PERIOD", "period_type": 2, "period_nums": [1, 3], "amount": "6.80"}]
    }"#;

    #[test]
    fn a_document_round_trips_exactly() {
        let catalog = parse(SAMPLE).unwrap();
        assert_eq!(catalog.prices[0].amount, Money::parse("0.01250001").unwrap(), "8 decimals, exact");
        assert_eq!(parse(&to_json(&catalog)).unwrap(), catalog);
    }

    #[test]
    fn shape_and_content_problems_are_reported() {
        let unknown = parse(r#"{"service_types": [], "extra": 1}"#).unwrap_err();
        assert_eq!(unknown[0].at, "document");
        let bad = SAMPLE.replace("\"0.01250001\"", "\"1.123456789\"").replace("\"PERIOD\"", "\"YEARLY\"");
        let problems = parse(&bad).unwrap_err();
        let texts: Vec<&str> = problems.iter().map(|p| p.problem.as_str()).collect();
        assert!(texts[0].starts_with("amount:") && texts[1].contains("YEARLY"), "{texts:?}");
    }
}
