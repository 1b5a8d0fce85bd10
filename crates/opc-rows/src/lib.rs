//! What the SQLite and PostgreSQL stores share, so that they cannot drift: the row records and
//! their conversions to and from the domain, the stored enum codes, the mapping of database
//! errors to [`StoreError`], and the escaping of `LIKE` patterns. No queries: each backend
//! writes its own SQL.

pub mod catalog;
pub mod codes;
pub mod orders;
pub mod records;

use opc_core::StoreError;

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
