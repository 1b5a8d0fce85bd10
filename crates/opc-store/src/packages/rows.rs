//! The resource-package and bandwidth-sample rows as stored, and their codes.

use opc_domain::package::{BandwidthSample, Deduction, Package, PackageGrant, Reset};
use opc_domain::rating::Quantity;
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Timestamp};

use crate::codes::Code;
use crate::rows::decode_error;

impl Code for Reset {
    const ALL: &'static [Self] = &[Reset::Never, Reset::Monthly];

    fn code(self) -> &'static str {
        match self {
            Reset::Never => "never",
            Reset::Monthly => "monthly",
        }
    }
}

/// A package with its resource's term: `p` is `resource_packages`, `r` its resource.
pub(crate) const PACKAGE_COLUMNS: &str = "p.id, p.customer_id, p.order_id, p.product_id, p.product_name, \
     p.service_type, p.region, p.resource_type, p.usage_type, p.measure_id, p.amount_e8, p.reset, \
     r.effective_at_ms, r.expire_at_ms, r.closed";

pub(crate) const PACKAGE_FROM: &str = "resource_packages p JOIN resources r ON r.id = p.id";

#[derive(sqlx::FromRow)]
pub(crate) struct PackageRow {
    id: String,
    customer_id: String,
    order_id: String,
    product_id: String,
    product_name: String,
    service_type: String,
    region: String,
    resource_type: String,
    usage_type: String,
    measure_id: i64,
    amount_e8: i64,
    reset: String,
    effective_at_ms: i64,
    expire_at_ms: i64,
    closed: bool,
}

fn quantity(what: &str, e8: i64) -> Result<Quantity, sqlx::Error> {
    Quantity::from_e8(e8).ok_or_else(|| decode_error(what, e8))
}

fn measure(id: i64) -> Result<i32, sqlx::Error> {
    i32::try_from(id).map_err(|e| decode_error("measure id", e))
}

impl TryFrom<PackageRow> for Package {
    type Error = sqlx::Error;

    fn try_from(r: PackageRow) -> Result<Package, sqlx::Error> {
        Ok(Package {
            customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
            id: r.id,
            order_id: r.order_id,
            product_id: r.product_id,
            product_name: r.product_name,
            service_type: r.service_type,
            region: r.region,
            grant: PackageGrant {
                resource_type: r.resource_type,
                usage_type: r.usage_type,
                measure_id: measure(r.measure_id)?,
                amount: quantity("package amount", r.amount_e8)?,
                reset: Reset::from_code(&r.reset)?,
            },
            effective: Timestamp::from_unix_ms(r.effective_at_ms),
            expire: Timestamp::from_unix_ms(r.expire_at_ms),
            closed: r.closed,
        })
    }
}

pub(crate) const RECORD_COLUMNS: &str = "d.record_id, d.package_id, d.resource_id, d.resource_type, d.usage_type, \
     d.measure_id, d.period, d.available_e8, d.used_e8, d.remaining_e8, d.deducted_at_ms, p.product_id, \
     p.product_name";

#[derive(sqlx::FromRow)]
pub(crate) struct RecordRow {
    record_id: String,
    package_id: String,
    resource_id: String,
    resource_type: String,
    usage_type: String,
    measure_id: i64,
    period: i64,
    available_e8: i64,
    used_e8: i64,
    remaining_e8: i64,
    deducted_at_ms: i64,
    pub(crate) product_id: String,
    pub(crate) product_name: String,
}

impl RecordRow {
    pub(crate) fn deduction(&self) -> Result<Deduction, sqlx::Error> {
        let available = quantity("available amount", self.available_e8)?;
        let used = quantity("used amount", self.used_e8)?;
        Ok(Deduction {
            package: self.package_id.clone(),
            record_id: self.record_id.clone(),
            period: self.period,
            // Not kept: what matters after the write is what was available.
            used_before: quantity("used amount", 0)?,
            available,
            used,
            remaining: quantity("remaining amount", self.remaining_e8)?,
            resource_id: self.resource_id.clone(),
            resource_type: self.resource_type.clone(),
            usage_type: self.usage_type.clone(),
            measure_id: measure(self.measure_id)?,
            at: Timestamp::from_unix_ms(self.deducted_at_ms),
        })
    }
}

pub(crate) const SAMPLE_COLUMNS: &str = "customer_id, resource_id, usage_type, stat_at_ms, service_type, \
     resource_type, spec, region, measure_id, cycle, usage_e8";

#[derive(sqlx::FromRow)]
pub(crate) struct SampleRow {
    customer_id: String,
    resource_id: String,
    usage_type: String,
    stat_at_ms: i64,
    service_type: String,
    resource_type: String,
    spec: String,
    region: String,
    measure_id: i64,
    cycle: i64,
    usage_e8: i64,
}

impl TryFrom<SampleRow> for BandwidthSample {
    type Error = sqlx::Error;

    fn try_from(r: SampleRow) -> Result<BandwidthSample, sqlx::Error> {
        Ok(BandwidthSample {
            customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
            resource_id: r.resource_id,
            service_type: r.service_type,
            resource_type: r.resource_type,
            spec: r.spec,
            region: r.region,
            usage_type: r.usage_type,
            measure_id: measure(r.measure_id)?,
            at: Timestamp::from_unix_ms(r.stat_at_ms),
            cycle: Cycle(r.cycle),
            usage: quantity("bandwidth sample", r.usage_e8)?,
        })
    }
}
