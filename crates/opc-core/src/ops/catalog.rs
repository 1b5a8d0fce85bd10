//! The product catalog (issue #6): the operator imports it as a whole; partners and customers
//! read it through the BSS product APIs (spec B1.9).

use opc_domain::audit::{Action, Actor};
use opc_domain::catalog::{Catalog, CatalogProblem};

use super::admin::audit_event;
use super::Context;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// Every problem of the document; nothing was imported.
    #[error("the catalog is invalid: {}", describe(.0))]
    Invalid(Vec<CatalogProblem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn describe(problems: &[CatalogProblem]) -> String {
    problems.iter().map(|p| format!("{}: {}", p.at, p.problem)).collect::<Vec<_>>().join("; ")
}

/// Replaces the catalog with `catalog`, already validated (`Catalog::validate`, which the
/// document parser runs). Returns the new version.
pub async fn import(ctx: &Context, catalog: &Catalog, operator: &str) -> Result<i64, CatalogError> {
    let catalog = catalog.clone().validate().map_err(CatalogError::Invalid)?;
    let now = ctx.clock.now();
    let summary = format!(
        "service_types={} resource_types={} usage_types={} specs={} prices={}",
        catalog.service_types.len(),
        catalog.resource_types.len(),
        catalog.usage_types.len(),
        catalog.specs.len(),
        catalog.prices.len()
    );
    let audit = [audit_event(
        now,
        Actor::Operator(operator.to_owned()),
        None,
        Action::CatalogImported,
        "catalog",
        "current",
        None,
        Some(summary),
    )];
    Ok(ctx.store.import_catalog(&catalog, now, operator, &audit).await?)
}

/// The current catalog (empty until one is imported) and its version (0 then).
pub async fn current(ctx: &Context) -> Result<(i64, Catalog), StoreError> {
    Ok(ctx.store.catalog().await?.unwrap_or_default())
}
