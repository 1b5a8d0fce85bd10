//! The partner-discount rows as stored (policies, scopes, discounts, applied lines) and their
//! codes.

use opc_domain::bill::Discount;
use opc_domain::discount::{
    AppliedDiscount, AppliedLine, DiscountKind, DiscountScope, Exclusion, IncentivePolicy, PartnerDiscount,
    ServicePolicy,
};
use opc_domain::{AccountId, OrderId, PartnerId, Timestamp};

use crate::codes::Code;
use crate::rows::{decode_error, money};

impl Code for IncentivePolicy {
    const ALL: &'static [Self] = &IncentivePolicy::ALL;

    fn code(self) -> &'static str {
        match self {
            IncentivePolicy::NonSpecific => "non_specific",
            IncentivePolicy::Specific => "specific",
            IncentivePolicy::NoPerformanceNoRebate => "no_performance_no_rebate",
            IncentivePolicy::PerformanceNoRebate => "performance_no_rebate",
        }
    }
}

impl Code for Exclusion {
    const ALL: &'static [Self] = &Exclusion::ALL;

    fn code(self) -> &'static str {
        match self {
            Exclusion::Spot => "spot",
            Exclusion::KooGallery => "koogallery",
            Exclusion::OcsaNode => "ocsa_node",
        }
    }
}

/// A discount's kind as stored.
pub(crate) fn kind_code(special: bool) -> &'static str {
    if special {
        "special"
    } else {
        "general"
    }
}

fn special_of(code: &str) -> Result<bool, sqlx::Error> {
    match code {
        "special" => Ok(true),
        "general" => Ok(false),
        other => Err(decode_error("discount kind", other)),
    }
}

fn rate(what: &str, bp: i32) -> Result<Discount, sqlx::Error> {
    let bp = u32::try_from(bp).map_err(|e| decode_error(what, e))?;
    Discount::from_basis_points(bp).map_err(|e| decode_error(what, e))
}

pub(crate) fn bp(d: Discount) -> i32 {
    // At most 10000: always fits.
    i32::try_from(d.basis_points()).unwrap_or(i32::MAX)
}

pub(crate) const POLICY_COLUMNS: &str = "service_type, allow_discount, incentive, exclusion, updated_at_ms";

#[derive(sqlx::FromRow)]
pub(crate) struct PolicyRow {
    service_type: String,
    allow_discount: bool,
    incentive: String,
    exclusion: Option<String>,
    updated_at_ms: i64,
}

impl TryFrom<PolicyRow> for ServicePolicy {
    type Error = sqlx::Error;

    fn try_from(r: PolicyRow) -> Result<ServicePolicy, sqlx::Error> {
        Ok(ServicePolicy {
            service_type: r.service_type,
            allow_discount: r.allow_discount,
            incentive: IncentivePolicy::from_code(&r.incentive)?,
            exclusion: r.exclusion.as_deref().map(Exclusion::from_code).transpose()?,
            updated_at: Timestamp::from_unix_ms(r.updated_at_ms),
        })
    }
}

pub(crate) const SCOPE_COLUMNS: &str =
    "partner_id, service_type, max_off_bp, from_ms, granted_by, updated_at_ms, version";

#[derive(sqlx::FromRow)]
pub(crate) struct ScopeRow {
    partner_id: String,
    service_type: String,
    max_off_bp: i32,
    from_ms: i64,
    granted_by: String,
    updated_at_ms: i64,
    version: i64,
}

impl TryFrom<ScopeRow> for DiscountScope {
    type Error = sqlx::Error;

    fn try_from(r: ScopeRow) -> Result<DiscountScope, sqlx::Error> {
        Ok(DiscountScope {
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            service_type: r.service_type,
            max_off: rate("scope", r.max_off_bp)?,
            from: Timestamp::from_unix_ms(r.from_ms),
            granted_by: r.granted_by,
            updated_at: Timestamp::from_unix_ms(r.updated_at_ms),
            version: r.version,
        })
    }
}

pub(crate) const DISCOUNT_COLUMNS: &str =
    "id, partner_id, kind, customer_id, order_id, service_type, off_bp, created_at_ms, updated_at_ms, version";

#[derive(sqlx::FromRow)]
pub(crate) struct DiscountRow {
    id: String,
    partner_id: String,
    kind: String,
    customer_id: String,
    order_id: String,
    service_type: String,
    off_bp: i32,
    created_at_ms: i64,
    updated_at_ms: i64,
    version: i64,
}

/// The stored customer and order of a discount: `''` for none.
pub(crate) fn target(d: &PartnerDiscount) -> (&str, &str) {
    match &d.kind {
        DiscountKind::General { customer } => (customer.as_ref().map_or("", |c| c.as_str()), ""),
        DiscountKind::Special { customer, order } => (customer.as_str(), order.as_str()),
    }
}

impl TryFrom<DiscountRow> for PartnerDiscount {
    type Error = sqlx::Error;

    fn try_from(r: DiscountRow) -> Result<PartnerDiscount, sqlx::Error> {
        let customer = || AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e));
        let kind = if special_of(&r.kind)? {
            DiscountKind::Special {
                customer: customer()?,
                order: OrderId::parse(&r.order_id).map_err(|e| decode_error("order id", e))?,
            }
        } else {
            DiscountKind::General { customer: if r.customer_id.is_empty() { None } else { Some(customer()?) } }
        };
        Ok(PartnerDiscount {
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            kind,
            service_type: r.service_type,
            off: rate("discount", r.off_bp)?,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
            updated_at: Timestamp::from_unix_ms(r.updated_at_ms),
            version: r.version,
            id: r.id,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AppliedRow {
    line_id: String,
    order_id: String,
    discount_id: String,
    kind: String,
    service_type: String,
    off_bp: i32,
    list_e8: i64,
    discount_e8: i64,
    due_e8: i64,
}

/// An order's applied lines (in line order) as one discount; `None` without any.
pub(crate) fn applied(rows: Vec<AppliedRow>) -> Result<Option<AppliedDiscount>, sqlx::Error> {
    let Some(first) = rows.first() else { return Ok(None) };
    let mut applied = AppliedDiscount {
        discount_id: first.discount_id.clone(),
        special: special_of(&first.kind)?,
        service_type: first.service_type.clone(),
        off: rate("applied discount", first.off_bp)?,
        order: OrderId::parse(&first.order_id).map_err(|e| decode_error("order id", e))?,
        lines: Vec::with_capacity(rows.len()),
    };
    for r in rows {
        applied.lines.push(AppliedLine {
            line_id: r.line_id,
            list: money("list price", r.list_e8)?,
            discount: money("discount", r.discount_e8)?,
            due: money("amount due", r.due_e8)?,
        });
    }
    Ok(Some(applied))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::tests::check;

    #[test]
    fn discount_codes_round_trip() {
        check::<IncentivePolicy>();
        check::<Exclusion>();
    }
}
