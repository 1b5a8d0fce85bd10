//! What only PostgreSQL needs: its connection set-up, the names of its constraints, its bulk
//! statements and its migrations. Its writers need no turn: they take row locks as they go.

pub(crate) mod bulk;

use std::str::FromStr;
use std::time::Duration;

use opc_core::store::{Constraint, Row};
use opc_core::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use crate::db::{err, Db};

/// Backend-independent names of the constraints a write can hit, by their PostgreSQL names.
pub(crate) const CONSTRAINTS: &[(&str, Constraint)] = &[
    ("accounts_name_key", Constraint::AccountName),
    ("accounts_pkey", Constraint::AccountId),
    ("partners_account_id_key", Constraint::PartnerAccount),
    ("partners_pkey", Constraint::PartnerId),
    ("associations_current_customer", Constraint::CurrentAssociation),
    ("access_keys_pkey", Constraint::AccessKeyId),
    ("audit_events_id_key", Constraint::AuditEventId),
    ("staff_email_key", Constraint::StaffEmail),
    ("dpp_invitations_pkey", Constraint::DppInvitation),
    ("partner_members_email_key", Constraint::MemberEmail),
    ("person_certificates_pkey", Constraint::CertificateNumber),
    // A scope or discount of the same target written first by a concurrent request.
    ("discount_scopes_pkey", Constraint::Stale(Row::DiscountScope)),
    ("partner_discounts_partner_id", Constraint::Stale(Row::PartnerDiscount)),
    ("realname_one_pending", Constraint::Stale(Row::RealNameApplication)),
    ("realname_files_pkey", Constraint::Stale(Row::RealNameFile)),
    ("foreign key", Constraint::ForeignKey),
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
