//! What only SQLite needs: its connection set-up, its writers' turn, the names its errors give
//! constraints, its bulk statements and its migrations.

pub(crate) mod bulk;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use opc_core::store::Constraint;
use opc_core::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::db::{err, Conn, Db};

/// Backend-independent names of the constraints a write can hit, by the `table.column` that
/// SQLite names in its error message.
pub(crate) const CONSTRAINTS: &[(&str, Constraint)] = &[
    ("accounts.name", Constraint::AccountName),
    ("accounts.id", Constraint::AccountId),
    ("partners.account_id", Constraint::PartnerAccount),
    ("partners.id", Constraint::PartnerId),
    ("associations.customer_id", Constraint::CurrentAssociation),
    ("access_keys.id", Constraint::AccessKeyId),
    ("audit_events.id", Constraint::AuditEventId),
    ("staff.email", Constraint::StaffEmail),
    ("dpp_invitations.account_id", Constraint::DppInvitation),
    ("partner_members.email", Constraint::MemberEmail),
    ("person_certificates.number", Constraint::CertificateNumber),
    ("FOREIGN KEY", Constraint::ForeignKey),
];

/// Opens (creating if missing) the database at `url` (`sqlite://path`; `sqlite::memory:` is
/// refused by callers: a pool of in-memory connections would be several databases).
pub(crate) async fn connect(url: &str) -> Result<Db, StoreError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(err)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await.map_err(err)?;
    Ok(Db::Sqlite { pool, writer: Arc::default() })
}

/// A write transaction, holding the write lock from the start (`BEGIN IMMEDIATE`), with this
/// process's writer turn, kept until the transaction ends. Writers of this process queue on
/// `writer` and start as soon as the previous one ends, instead of polling the database's lock
/// with growing sleeps (`busy_timeout`), which idles the machine between concurrent writers.
pub(crate) async fn begin_write(pool: &SqlitePool, writer: &Arc<tokio::sync::Mutex<()>>) -> Result<Conn, StoreError> {
    let turn = writer.clone().lock_owned().await;
    let tx = pool.begin_with("BEGIN IMMEDIATE").await.map_err(err)?;
    Ok(Conn::SqliteTx(tx, Some(turn)))
}

pub(crate) async fn migrate(pool: &SqlitePool) -> Result<(), StoreError> {
    sqlx::migrate!("./migrations/sqlite").run(pool).await.map_err(|e| StoreError::Unavailable(e.into()))
}

/// Narrows a search on account names (`lower(c.name) LIKE …`, which still decides) to the
/// accounts the trigram index `account_names` finds: the few that contain the text instead of
/// every customer of a partner. The index takes texts of 3 characters or more; shorter ones
/// are left to the `LIKE` alone.
pub(crate) fn push_account_name_candidates(b: &mut crate::db::Builder<'_>, text: &str) {
    if name_index_narrows(text) {
        // An FTS5 phrase: every character literal but `"`, which is doubled.
        b.push(" AND a.customer_id IN (SELECT account_id FROM account_names WHERE account_names MATCH ");
        b.push_bind(format!("\"{}\"", text.replace('"', "\"\"")));
        b.push(")");
    }
}

/// Whether the trigram index can narrow a search for `text`: 3 characters or more.
pub(crate) fn name_index_narrows(text: &str) -> bool {
    text.chars().count() >= 3
}
