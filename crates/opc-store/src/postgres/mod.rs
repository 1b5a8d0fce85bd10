//! What only PostgreSQL needs: its connection set-up, the names of its constraints, its bulk
//! statements and its migrations. Its writers need no turn: they take row locks as they go.

pub(crate) mod bulk;

use std::str::FromStr;
use std::time::Duration;

use opc_core::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use crate::db::{err, Db};

/// Backend-independent names of the constraints a write can hit, by their PostgreSQL names.
pub(crate) const CONSTRAINTS: &[(&str, &str)] = &[
    ("accounts_name_key", "accounts.name"),
    ("accounts_pkey", "accounts.id"),
    ("partners_account_id_key", "partners.account_id"),
    ("partners_pkey", "partners.id"),
    ("associations_current_customer", "associations.current_customer"),
    ("access_keys_pkey", "access_keys.id"),
    ("audit_events_id_key", "audit_events.id"),
    ("staff_email_key", "staff.email"),
    ("dpp_invitations_pkey", "dpp_invitations.account_id"),
    ("partner_members_email_key", "partner_members.email"),
    ("person_certificates_pkey", "person_certificates.number"),
    ("foreign key", "foreign_key"),
];

/// Connects to the database at `url` (`postgres://…`). The schema is whatever the URL's
/// `search_path` selects; `migrate` creates the tables.
pub(crate) async fn connect(url: &str) -> Result<Db, StoreError> {
    let options = PgConnectOptions::from_str(url).map_err(err)?;
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(err)?;
    Ok(Db::Postgres(pool))
}

pub(crate) async fn migrate(pool: &PgPool) -> Result<(), StoreError> {
    sqlx::migrate!("./migrations/postgres").run(pool).await.map_err(|e| StoreError::Unavailable(e.into()))
}
