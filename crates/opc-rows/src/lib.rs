//! What the SQLite and PostgreSQL stores share, so that they cannot drift: the row records and
//! their conversions to and from the domain, the stored enum codes, the mapping of database
//! errors to [`StoreError`], and the escaping of `LIKE` patterns. No queries: each backend
//! writes its own SQL.

pub mod catalog;
pub mod codes;
pub mod orders;
pub mod records;

use opc_core::StoreError;

/// A customer of a usage batch: its id, and its current association's partner and model.
pub type Owner = (String, Option<String>, Option<String>);

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

/// Maps a sqlx error: a unique or foreign-key violation becomes [`StoreError::Conflict`] named
/// by the first entry of `constraints` whose backend-specific marker (a PostgreSQL constraint
/// name, or a `table.column` in SQLite's message) the error mentions.
pub fn store_error(e: sqlx::Error, constraints: &[(&str, &'static str)]) -> StoreError {
    if let sqlx::Error::RowNotFound = e {
        return StoreError::NotFound;
    }
    if let Some(db) = e.as_database_error() {
        if db.is_unique_violation() || db.is_foreign_key_violation() {
            let mentioned = |marker: &str| db.constraint() == Some(marker) || db.message().contains(marker);
            let name = constraints.iter().find(|(marker, _)| mentioned(marker)).map_or("unknown", |(_, name)| *name);
            return StoreError::Conflict { constraint: name };
        }
    }
    StoreError::Unavailable(e.into())
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("Cust"), "%cust%");
        assert_eq!(contains_pattern("50%_\\"), "%50\\%\\_\\\\%");
    }
}
