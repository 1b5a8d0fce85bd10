//! What only SQLite needs: its connection set-up, its writers' turn, the names its errors give
//! constraints, its bulk statements and its migrations.

pub(crate) mod bulk;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use opc_core::store::{Constraint, Row};
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
    // A scope or discount of the same target written first by a concurrent request.
    ("discount_scopes.partner_id", Constraint::Stale(Row::DiscountScope)),
    ("partner_discounts.partner_id", Constraint::Stale(Row::PartnerDiscount)),
    ("realname_applications.customer_id", Constraint::Stale(Row::RealNameApplication)),
    ("realname_files.customer_id", Constraint::Stale(Row::RealNameFile)),
    ("FOREIGN KEY", Constraint::ForeignKey),
];

/// Opens (creating if missing) the database at `url` (`sqlite://path`; `sqlite::memory:` is
/// refused by callers: a pool of in-memory connections would be several databases).
pub(crate) async fn connect(url: &str) -> Result<Db, StoreError> {
    let options = SqliteConnectOptions::from_str(url).map_err(err)?;
    let path = options.get_filename().to_owned();
    let path = (path.as_os_str() != ":memory:" && !path.as_os_str().is_empty()).then_some(path);
    let options = options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    // A connection to a local file does not go stale: pinging it before each query (sqlx's
    // default) only doubled every query's trips to its worker thread.
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .map_err(err)?;
    Ok(Db::Sqlite { pool, writer: Arc::default(), path })
}

/// A write transaction, holding the write lock from the start (`BEGIN IMMEDIATE`), with this
/// process's writer turn, kept until the transaction ends. Writers of this process queue on
/// `writer` and start as soon as the previous one ends, instead of polling the database's lock
/// with growing sleeps (`busy_timeout`), which idles the machine between concurrent writers.
///
/// The turn is taken and the transaction begun in a task of their own: were the caller's future
/// dropped meanwhile (a client that disconnects, an aborted task), the task still finishes, and
/// what it began is dropped — the transaction rolled back — before the turn is released. Begun
/// in the caller's future, a `BEGIN IMMEDIATE` cut short left its connection in the pool holding
/// the write lock, and every later writer failed after the busy timeout.
pub(crate) async fn begin_write(pool: &SqlitePool, writer: &Arc<tokio::sync::Mutex<()>>) -> Result<Conn, StoreError> {
    let (pool, writer) = (pool.clone(), writer.clone());
    let begun = tokio::spawn(async move {
        let turn = writer.lock_owned().await;
        pool.begin_with("BEGIN IMMEDIATE").await.map(|tx| (tx, turn))
    });
    let (tx, turn) = begun.await.map_err(|e| StoreError::Unavailable(e.into()))?.map_err(err)?;
    Ok(Conn::SqliteTx(tx, Some(turn)))
}

pub(crate) async fn migrate(pool: &SqlitePool) -> Result<(), StoreError> {
    sqlx::migrate!("./migrations/sqlite").run(pool).await.map_err(|e| StoreError::Unavailable(e.into()))
}

/// ` AND` a customer query's partner condition. With an account-name search of 3 characters
/// or more (what the trigram index `account_names` takes), it also keeps the accounts the
/// index finds, and names the partner column `+a.partner_id`: SQLite's unary `+` keeps its
/// planner from reading every customer of the partner through the partner index, so that it
/// starts from the few accounts found (27 ms → 0.3 ms at 100,000 customers). The query's
/// `lower(c.name) LIKE …` still decides; shorter texts are left to it alone.
pub(crate) fn push_partner_condition<'q>(b: &mut crate::db::Builder<'q>, partner: &'q str, name: Option<&str>) {
    match name.filter(|text| text.chars().count() >= 3) {
        None => {
            b.push(" AND a.partner_id = ").push_bind(partner);
        }
        Some(text) => {
            b.push(" AND +a.partner_id = ").push_bind(partner);
            // An FTS5 phrase: every character literal but `"`, which is doubled.
            b.push(" AND a.customer_id IN (SELECT account_id FROM account_names WHERE account_names MATCH ");
            b.push_bind(format!("\"{}\"", text.replace('"', "\"\"")));
            b.push(")");
        }
    }
}
