//! The resource-package aggregate (issue #16) and the bandwidth samples (R-ORD-07): their
//! queries and their part of the port.

pub(crate) mod rows;

use std::collections::{BTreeMap, HashSet};

use crate::audit::insert_audit;
use crate::codes::Code;
use crate::db::{err, finish, query, Builder, Conn};
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::audit::AuditEvent;
use opc_domain::package::{BandwidthSample, Deduction, Package};
use opc_domain::rating::Quantity;
use opc_domain::AccountId;
use rows::{PackageRow, RecordRow, SampleRow, PACKAGE_COLUMNS, PACKAGE_FROM, RECORD_COLUMNS, SAMPLE_COLUMNS};
use tracing::instrument;

/// Stores the packages a purchase bought (in its settlement's transaction).
pub(crate) async fn insert_packages(conn: &mut Conn, packages: &[Package], at_ms: i64) -> Result<(), StoreError> {
    for p in packages {
        query(
            "INSERT INTO resource_packages (id, customer_id, order_id, product_id, product_name, service_type, region, \
             resource_type, usage_type, measure_id, amount_e8, reset, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(p.id.as_str())
        .bind(p.customer.as_str())
        .bind(p.order_id.as_str())
        .bind(p.product_id.as_str())
        .bind(p.product_name.as_str())
        .bind(p.service_type.as_str())
        .bind(p.region.as_str())
        .bind(p.grant.resource_type.as_str())
        .bind(p.grant.usage_type.as_str())
        .bind(p.grant.measure_id)
        .bind(p.grant.amount.e8())
        .bind(p.grant.reset.code())
        .bind(at_ms)
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    }
    Ok(())
}

const STALE: StoreError = StoreError::Conflict { constraint: Constraint::Stale(Row::PackageUse) };

/// Writes a usage batch's package uses (in its transaction): each package's use per period
/// moves from what was read to what the batch adds, or nothing is written (`Stale`).
pub(crate) async fn write_deductions(
    conn: &mut Conn,
    deductions: &[Deduction],
    customer_of: impl Fn(&str) -> Option<AccountId>,
) -> Result<(), StoreError> {
    // Per package and period, in key order: the use read and what the batch adds.
    let mut moves: BTreeMap<(&str, i64), (i64, i64)> = BTreeMap::new();
    for d in deductions {
        let entry = moves.entry((d.package.as_str(), d.period)).or_insert((d.used_before.e8(), 0));
        entry.1 = entry.1.checked_add(d.used.e8()).ok_or(STALE)?;
    }
    for ((package, period), (before, added)) in moves {
        let after = before.checked_add(added).ok_or(STALE)?;
        query(
            "INSERT INTO resource_package_uses (package_id, period, used_e8) VALUES ($1, $2, 0) \
             ON CONFLICT (package_id, period) DO NOTHING",
        )
        .bind(package)
        .bind(period)
        .execute(&mut *conn)
        .await
        .map_err(err)?;
        let updated = query(
            "UPDATE resource_package_uses SET used_e8 = $1 WHERE package_id = $2 AND period = $3 AND used_e8 = $4",
        )
        .bind(after)
        .bind(package)
        .bind(period)
        .bind(before)
        .execute(&mut *conn)
        .await
        .map_err(err)?;
        if updated.rows_affected() != 1 {
            return Err(STALE);
        }
    }
    for d in deductions {
        let customer = customer_of(&d.record_id).ok_or(STALE)?;
        query(
            "INSERT INTO resource_package_records (record_id, package_id, customer_id, resource_id, resource_type, \
             usage_type, measure_id, period, available_e8, used_e8, remaining_e8, deducted_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(d.record_id.as_str())
        .bind(d.package.as_str())
        .bind(customer.as_str().to_owned())
        .bind(d.resource_id.as_str())
        .bind(d.resource_type.as_str())
        .bind(d.usage_type.as_str())
        .bind(d.measure_id)
        .bind(d.period)
        .bind(d.available.e8())
        .bind(d.used.e8())
        .bind(d.remaining.e8())
        .bind(d.at.unix_ms())
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    }
    Ok(())
}

#[async_trait]
impl Packages for SqlStore {
    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn packages_of(&self, customer: &AccountId, f: &PackageFilter) -> Result<Vec<Package>, StoreError> {
        let mut b = Builder::new(format!("SELECT {PACKAGE_COLUMNS} FROM {PACKAGE_FROM} WHERE p.customer_id = "));
        b.push_bind(customer.as_str().to_owned());
        for (column, value) in [
            ("p.region", &f.region),
            ("p.order_id", &f.order_id),
            ("p.product_id", &f.product_id),
            ("p.product_name", &f.product_name),
        ] {
            if let Some(v) = value {
                b.push(format!(" AND {column} = ")).push_bind(v.clone());
            }
        }
        if !f.service_types.is_empty() {
            b.push(" AND lower(p.service_type) IN (");
            let mut s = b.separated(", ");
            for t in &f.service_types {
                s.push_bind(t.to_lowercase());
            }
            b.push(")");
        }
        if let Some(ids) = &f.ids {
            if ids.is_empty() {
                return Ok(vec![]);
            }
            b.push(" AND p.id IN (");
            let mut s = b.separated(", ");
            for id in ids {
                s.push_bind(id.clone());
            }
            b.push(")");
        }
        b.push(" ORDER BY p.created_at_ms, p.id");
        let rows: Vec<PackageRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        rows.into_iter().map(Package::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(customers = customers.len()))]
    async fn packages_for_usage(&self, customers: &[AccountId]) -> Result<Vec<Package>, StoreError> {
        let mut packages = vec![];
        for chunk in customers.chunks(1_000) {
            let mut b = Builder::new(format!(
                "SELECT {PACKAGE_COLUMNS} FROM {PACKAGE_FROM} WHERE r.closed = FALSE AND p.customer_id IN ("
            ));
            let mut s = b.separated(", ");
            for c in chunk {
                s.push_bind(c.as_str().to_owned());
            }
            b.push(") ORDER BY p.id");
            let rows: Vec<PackageRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
            for row in rows {
                packages.push(Package::try_from(row).map_err(err)?);
            }
        }
        Ok(packages)
    }

    #[instrument(level = "debug", skip_all, fields(ids = ids.len()))]
    async fn stored_usage_ids(&self, ids: &[String]) -> Result<HashSet<String>, StoreError> {
        let mut stored = HashSet::new();
        for chunk in ids.chunks(1_000) {
            let mut b = Builder::new("SELECT id FROM usage_record_ids WHERE id IN (");
            let mut s = b.separated(", ");
            for id in chunk {
                s.push_bind(id.clone());
            }
            b.push(")");
            let rows: Vec<String> = b.build_query_scalar().fetch_all(&self.db).await.map_err(err)?;
            stored.extend(rows);
        }
        Ok(stored)
    }

    #[instrument(level = "debug", skip_all, fields(packages = packages.len()))]
    async fn package_uses(&self, packages: &[String]) -> Result<Vec<(String, i64, Quantity)>, StoreError> {
        let mut uses = vec![];
        for chunk in packages.chunks(1_000) {
            let mut b =
                Builder::new("SELECT package_id, period, used_e8 FROM resource_package_uses WHERE package_id IN (");
            let mut s = b.separated(", ");
            for p in chunk {
                s.push_bind(p.clone());
            }
            b.push(") ORDER BY package_id, period");
            let rows: Vec<(String, i64, i64)> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
            for (p, period, used) in rows {
                let used =
                    Quantity::from_e8(used).ok_or_else(|| err(crate::rows::decode_error("package use", used)))?;
                uses.push((p, period, used));
            }
        }
        Ok(uses)
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %q.customer))]
    async fn package_records(&self, q: &PackageRecordQuery) -> Result<(Vec<PackageRecord>, u64), StoreError> {
        let filter = |b: &mut Builder<'_>| {
            b.push(" FROM resource_package_records d JOIN resource_packages p ON p.id = d.package_id WHERE d.customer_id = ")
                .push_bind(q.customer.as_str().to_owned());
            b.push(" AND d.deducted_at_ms >= ").push_bind(q.from.unix_ms());
            b.push(" AND d.deducted_at_ms < ").push_bind(q.to.unix_ms());
            if let Some(p) = &q.package {
                b.push(" AND d.package_id = ").push_bind(p.clone());
            }
            if let Some(p) = &q.product_id {
                b.push(" AND p.product_id = ").push_bind(p.clone());
            }
            if let Some(t) = &q.resource_type {
                b.push(" AND d.resource_type = ").push_bind(t.clone());
            }
        };
        let mut count = Builder::new("SELECT COUNT(*)");
        filter(&mut count);
        let total: i64 = count.build_query_scalar().fetch_one(&self.db).await.map_err(err)?;
        let mut b = Builder::new(format!("SELECT {RECORD_COLUMNS}"));
        filter(&mut b);
        b.push(" ORDER BY d.deducted_at_ms DESC, d.record_id DESC, d.package_id DESC LIMIT ")
            .push_bind(i64::from(q.limit));
        b.push(" OFFSET ").push_bind(i64::from(q.offset));
        let rows: Vec<RecordRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        let records = rows
            .into_iter()
            .map(|r| {
                Ok(PackageRecord { deduction: r.deduction()?, product_id: r.product_id, product_name: r.product_name })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(err)?;
        Ok((records, u64::try_from(total).unwrap_or_default()))
    }

    #[instrument(level = "debug", skip_all, fields(samples = samples.len()))]
    async fn insert_bandwidth_samples(
        &self,
        samples: &[BandwidthSample],
        audit: &[AuditEvent],
    ) -> Result<(u64, u64), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let mut added = 0;
            for s in samples {
                let done = query(&format!(
                    "INSERT INTO bandwidth_samples ({SAMPLE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                     ON CONFLICT (customer_id, resource_id, usage_type, stat_at_ms) DO NOTHING"
                ))
                .bind(s.customer.as_str())
                .bind(s.resource_id.as_str())
                .bind(s.usage_type.as_str())
                .bind(s.at.unix_ms())
                .bind(s.service_type.as_str())
                .bind(s.resource_type.as_str())
                .bind(s.spec.as_str())
                .bind(s.region.as_str())
                .bind(s.measure_id)
                .bind(s.cycle.0)
                .bind(s.usage.e8())
                .execute(&mut tx)
                .await
                .map_err(err)?;
                added += done.rows_affected();
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok((added, samples.len() as u64 - added))
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(cycle = q.cycle.0))]
    async fn bandwidth_samples(&self, q: &SampleQuery) -> Result<Vec<BandwidthSample>, StoreError> {
        let mut b = Builder::new(format!("SELECT {SAMPLE_COLUMNS} FROM bandwidth_samples WHERE cycle = "));
        b.push_bind(q.cycle.0);
        if let Some(c) = &q.customer {
            b.push(" AND customer_id = ").push_bind(c.as_str().to_owned());
        }
        if let Some((service, resource, usage)) = &q.product {
            b.push(" AND lower(service_type) = ").push_bind(service.to_lowercase());
            b.push(" AND lower(resource_type) = ").push_bind(resource.to_lowercase());
            b.push(" AND usage_type = ").push_bind(usage.clone());
        }
        if let Some(r) = &q.resource {
            b.push(" AND resource_id = ").push_bind(r.clone());
        }
        b.push(" ORDER BY customer_id, resource_id, usage_type, stat_at_ms");
        let rows: Vec<SampleRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        rows.into_iter().map(BandwidthSample::try_from).collect::<Result<_, _>>().map_err(err)
    }
}
