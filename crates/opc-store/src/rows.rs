//! What every aggregate's rows share (decoding helpers), the usage rows of both backends'
//! bulk statements, and `LIKE` patterns.

use opc_domain::Money;

/// A stored value that does not decode: which one, and why.
pub(crate) fn decode_error(what: &str, e: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored {what} is invalid: {e}").into())
}

pub(crate) fn money(what: &str, e8: i64) -> Result<Money, sqlx::Error> {
    Money::from_e8(e8).map_err(|e| decode_error(what, e))
}

pub(crate) fn count(what: &str, n: i64) -> Result<u32, sqlx::Error> {
    u32::try_from(n).map_err(|e| decode_error(what, e))
}

/// A customer of a usage batch: its id, its current association's partner and model, and, when
/// it is a unified-accounting enterprise member, its master's current association's.
pub type Owner = (String, Option<String>, Option<String>, Option<String>, Option<String>);

/// One resource's usage in an hour, to add to `usage_hours`.
pub struct HourRow<'a> {
    pub customer: &'a str,
    pub cycle: i64,
    pub hour: i64,
    pub resource: &'a str,
    pub factor: &'a str,
    pub measure: i64,
    pub spec: &'a str,
    pub region: &'a str,
    pub service_type: &'a str,
    pub resource_type: &'a str,
    pub partner: &'a str,
    pub model: &'a str,
    pub usage: i64,
    pub amount: i64,
    pub records: i64,
    pub first: i64,
    pub last: i64,
}

/// How a resource's usage in an hour adds to its `usage_hours` row: sums add up, the product
/// and partner become the latest record's.
pub const UPSERT_USAGE_HOURS: &str = " ON CONFLICT (customer_id, cycle, hour_ms, resource_id, usage_factor, \
     usage_measure_id) DO UPDATE SET usage_e8 = usage_hours.usage_e8 + excluded.usage_e8, \
     amount_e8 = usage_hours.amount_e8 + excluded.amount_e8, records = usage_hours.records + excluded.records, \
     first_ended_at_ms = CASE WHEN excluded.first_ended_at_ms < usage_hours.first_ended_at_ms \
         THEN excluded.first_ended_at_ms ELSE usage_hours.first_ended_at_ms END, \
     resource_spec = CASE WHEN excluded.last_ended_at_ms >= usage_hours.last_ended_at_ms \
         THEN excluded.resource_spec ELSE usage_hours.resource_spec END, \
     region = CASE WHEN excluded.last_ended_at_ms >= usage_hours.last_ended_at_ms \
         THEN excluded.region ELSE usage_hours.region END, \
     service_type = CASE WHEN excluded.last_ended_at_ms >= usage_hours.last_ended_at_ms \
         THEN excluded.service_type ELSE usage_hours.service_type END, \
     resource_type = CASE WHEN excluded.last_ended_at_ms >= usage_hours.last_ended_at_ms \
         THEN excluded.resource_type ELSE usage_hours.resource_type END, \
     partner_id = CASE WHEN excluded.last_ended_at_ms >= usage_hours.last_ended_at_ms \
         THEN excluded.partner_id ELSE usage_hours.partner_id END, \
     model = CASE WHEN excluded.last_ended_at_ms >= usage_hours.last_ended_at_ms \
         THEN excluded.model ELSE usage_hours.model END, \
     last_ended_at_ms = CASE WHEN excluded.last_ended_at_ms > usage_hours.last_ended_at_ms \
         THEN excluded.last_ended_at_ms ELSE usage_hours.last_ended_at_ms END";

/// A case-insensitive substring pattern for `lower(column) LIKE ? ESCAPE '\'`.
pub fn contains_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The partner and model an amount was rated under, stored as two columns read with `''` for
/// none (`COALESCE(partner_id, '')`, `COALESCE(model, '')`).
pub(crate) fn rated_partner(
    partner: &str,
    model: &str,
) -> Result<Option<(opc_domain::PartnerId, opc_domain::association::AssociationModel)>, sqlx::Error> {
    use crate::codes::Code;
    if partner.is_empty() || model.is_empty() {
        return Ok(None);
    }
    let id = opc_domain::PartnerId::parse(partner).map_err(|e| decode_error("partner id", e))?;
    Ok(Some((id, opc_domain::association::AssociationModel::from_code(model)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("Cust"), "%cust%");
        assert_eq!(contains_pattern("50%_\\"), "%50\\%\\_\\\\%");
    }
}
