#!/usr/bin/env python3
"""Regenerates crates/opc-postgres/src/lib.rs from crates/opc-sqlite/src/lib.rs.

The two stores share their SQL but for placeholders (`?` becomes `$1`, `$2`, … per query),
the connection set-up, the constraint names and `begin_write` (SQLite's one writer at a time,
with the write lock taken up front). Edit the SQLite store, run this from the repository root, then
`cargo fmt` and the story tests on both backends. A placeholder is numbered per `sqlx::query…`
call: keep one query per call (a `match` choosing between several query strings before one
call would number them as one query).

The bulk writes of ingestion (`src/bulk.rs`) differ by design and are written by hand in each
crate; this script leaves them alone.
"""
import os
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crates"))
src = open('opc-sqlite/src/lib.rs').read()
out = []; i = 0; n = 0; in_str = False
while i < len(src):
    c = src[i]
    if not in_str:
        if src.startswith('sqlx::query', i): n = 0
        if c == '"' : in_str = True
        out.append(c); i += 1; continue
    if c == '\\':
        out.append(src[i:i+2]); i += 2; continue
    if c == '"':
        in_str = False; out.append(c); i += 1; continue
    if c == '?':
        n += 1; out.append('$%d' % n); i += 1; continue
    out.append(c); i += 1
s = ''.join(out)
rep = [
 ('The SQLite implementation of [`Store`]: the embedded default backend.', 'The PostgreSQL implementation of [`Store`]: the production backend.'),
 ('Invariant: each method is one transaction; the same story tests run here and on PostgreSQL.', 'Invariant: each method is one transaction; the same story tests run here and on SQLite.'),
 ('use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};\nuse sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool, Transaction};',
  'use sqlx::postgres::{PgConnectOptions, PgPoolOptions};\nuse sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, Transaction};'),
 ("Transaction<'_, Sqlite>", "Transaction<'_, Postgres>"),
 ('SqliteConnection', 'PgConnection'), ('QueryBuilder::<Sqlite>', 'QueryBuilder::<Postgres>'), ("QueryBuilder<'a, Sqlite>", "QueryBuilder<'a, Postgres>"),
 ('SqliteStore', 'PostgresStore'), ('SqlitePool', 'PgPool'), ("QueryBuilder<'_, Sqlite>", "QueryBuilder<'_, Postgres>"),
 ('let (_writer, mut tx) = self.begin_write().await?;', 'let mut tx = self.pool.begin().await.map_err(err)?;'),
 ('use std::sync::Arc;\n', ''), ('use tokio::sync::OwnedMutexGuard;\n', ''),
]
for a,b in rep:
    assert a in s, a
    s = s.replace(a,b)
start = s.index('/// Backend-independent names'); end = s.index('fn err(')
s = s[:start] + '''/// Backend-independent names of the constraints a write can hit, by their PostgreSQL names.
const CONSTRAINTS: &[(&str, &str)] = &[
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

''' + s[end:]
start = s.index('#[derive(Clone)]\npub struct PostgresStore'); end = s.index('async fn insert_audit')
s = s[:start] + '''#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://…`). The schema is whatever the URL's
    /// `search_path` selects; [`Store::migrate`] creates the tables.
    pub async fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        let options = PgConnectOptions::from_str(url).map_err(err)?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(err)?;
        Ok(PostgresStore { pool })
    }
}

''' + s[end:]
open('opc-postgres/src/lib.rs','w').write(s)
os.system('cargo fmt -p opc-postgres')
