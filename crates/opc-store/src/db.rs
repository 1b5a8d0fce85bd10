//! One way to run a query on either backend, so that each query is written once.
//!
//! Queries use numbered placeholders (`$1`, `$2`, …): PostgreSQL's own, and SQLite binds
//! `$N` to the N-th argument too (sqlx-sqlite `SqliteArguments::bind` reads the number after
//! `$`; `tests/placeholders.rs` checks it). Arguments are gathered as backend-neutral
//! [`Value`]s and bound when the query runs on a [`Conn`] or the pool, which decides the
//! backend; rows decode into records that derive `FromRow` for both.

use std::borrow::Cow;
use std::sync::Arc;

use opc_core::store::Constraint;
use opc_core::StoreError;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, FromRow, PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};
use tokio::sync::OwnedMutexGuard;

use crate::{changes, postgres, sqlite};

/// The database behind a store: a pool of either backend.
#[derive(Clone)]
pub(crate) enum Db {
    Sqlite {
        pool: SqlitePool,
        /// Held by the one write transaction at a time that SQLite allows (see
        /// [`sqlite::begin_write`]).
        writer: Arc<tokio::sync::Mutex<()>>,
        /// The database file (`None` for a database that is not a file).
        path: Option<std::path::PathBuf>,
    },
    Postgres(PgPool),
}

impl Db {
    /// A write transaction: on SQLite with this process's writer turn and the write lock from
    /// the start; on PostgreSQL a plain one (its writers take row locks as they go).
    pub(crate) async fn begin_write(&self) -> Result<Conn, StoreError> {
        match self {
            Db::Sqlite { pool, writer, .. } => sqlite::begin_write(pool, writer).await,
            Db::Postgres(pool) => Ok(Conn::PostgresTx(pool.begin().await.map_err(err)?, Writes::Yes)),
        }
    }

    /// A write transaction of one step of a resumable batch (the bill run), which writes the
    /// batch's cursor with its work: on PostgreSQL its commit does not wait for the disk
    /// (`synchronous_commit = off`, as SQLite's WAL commits never do here). A crash may lose the
    /// last steps, never part of one, and the database stays consistent: the run resumes from
    /// the cursor that survived and does them again, each exactly once.
    pub(crate) async fn begin_batch_write(&self) -> Result<Conn, StoreError> {
        let mut tx = self.begin_write().await?;
        if let Conn::PostgresTx(conn, _) = &mut tx {
            sqlx::query("SET LOCAL synchronous_commit = off").execute(&mut **conn).await.map_err(err)?;
        }
        Ok(tx)
    }

    /// A read transaction: one consistent snapshot for several queries.
    pub(crate) async fn begin(&self) -> Result<Conn, StoreError> {
        Ok(match self {
            Db::Sqlite { pool, .. } => Conn::SqliteTx(pool.begin().await.map_err(err)?, None),
            Db::Postgres(pool) => Conn::PostgresTx(pool.begin().await.map_err(err)?, Writes::No),
        })
    }

    /// ` AND` a customer query's partner condition, which may take its account-name search
    /// (`name`) into account: SQLite narrows it through its trigram table; PostgreSQL's
    /// trigram index serves the query's `LIKE` itself.
    pub(crate) fn push_partner_condition<'q>(&self, b: &mut Builder<'q>, partner: &'q str, name: Option<&str>) {
        match self {
            Db::Sqlite { .. } => sqlite::push_partner_condition(b, partner, name),
            Db::Postgres(_) => {
                b.push(" AND a.partner_id = ").push_bind(partner);
            }
        }
    }

    /// A connection from the pool, outside any transaction.
    pub(crate) async fn acquire(&self) -> Result<Conn, StoreError> {
        Ok(match self {
            Db::Sqlite { pool, .. } => Conn::Sqlite(pool.acquire().await.map_err(err)?),
            Db::Postgres(pool) => Conn::Postgres(pool.acquire().await.map_err(err)?),
        })
    }
}

/// A connection of either backend: pooled, or inside a transaction.
pub(crate) enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    /// With the writer turn for a write transaction.
    SqliteTx(Transaction<'static, Sqlite>, Option<OwnedMutexGuard<()>>),
    Postgres(PoolConnection<Postgres>),
    PostgresTx(Transaction<'static, Postgres>, Writes),
}

/// Whether a PostgreSQL transaction was begun to write (SQLite's writes hold the writer turn).
pub(crate) enum Writes {
    Yes,
    No,
}

impl Conn {
    /// The backend's own connection, for what is written per backend (bulk statements).
    pub(crate) fn native(&mut self) -> Native<'_> {
        match self {
            Conn::Sqlite(c) => Native::Sqlite(c),
            Conn::SqliteTx(t, _) => Native::Sqlite(t),
            Conn::Postgres(c) => Native::Postgres(c),
            Conn::PostgresTx(t, _) => Native::Postgres(t),
        }
    }

    /// Commits; a committed write tells this process's principal cache (see [`changes`]).
    async fn commit(self) -> Result<(), sqlx::Error> {
        let wrote = matches!(self, Conn::SqliteTx(_, Some(_)) | Conn::PostgresTx(_, Writes::Yes));
        match self {
            Conn::SqliteTx(t, _turn) => t.commit().await?,
            Conn::PostgresTx(t, _) => t.commit().await?,
            Conn::Sqlite(_) | Conn::Postgres(_) => {}
        }
        if wrote {
            changes::write_committed();
        }
        Ok(())
    }

    pub(crate) async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            Conn::SqliteTx(t, _turn) => t.rollback().await,
            Conn::PostgresTx(t, _) => t.rollback().await,
            Conn::Sqlite(_) | Conn::Postgres(_) => Ok(()),
        }
    }
}

/// A backend's own connection.
pub(crate) enum Native<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

/// Commits if `result` is a success and rolls back at once otherwise, so that no lock outlives
/// a failed write (a dropped transaction would only roll back when its connection is reused).
pub(crate) async fn finish<T>(conn: Conn, result: Result<T, StoreError>) -> Result<T, StoreError> {
    match result {
        Ok(value) => {
            conn.commit().await.map_err(err)?;
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) = conn.rollback().await {
                tracing::warn!(error = %rollback, "Rollback failed");
            }
            Err(e)
        }
    }
}

/// Maps a sqlx error: a unique or foreign-key violation becomes [`StoreError::Conflict`] named
/// by the backend's constraint table ([`sqlite::CONSTRAINTS`], [`postgres::CONSTRAINTS`]).
pub(crate) fn err(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::RowNotFound = e {
        return StoreError::NotFound;
    }
    if let Some(db) = e.as_database_error() {
        if db.is_unique_violation() || db.is_foreign_key_violation() {
            let constraints = if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                sqlite::CONSTRAINTS
            } else {
                postgres::CONSTRAINTS
            };
            let mentioned = |marker: &str| db.constraint() == Some(marker) || db.message().contains(marker);
            let name =
                constraints.iter().find(|(marker, _)| mentioned(marker)).map_or(Constraint::Unknown, |(_, name)| *name);
            return StoreError::Conflict { constraint: name };
        }
    }
    StoreError::Unavailable(e.into())
}

/// Where a query runs: a connection, or the pool (one connection for that query alone).
pub(crate) enum On<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
    SqlitePool(&'c SqlitePool),
    PostgresPool(&'c PgPool),
}

impl<'c> From<&'c mut Conn> for On<'c> {
    fn from(conn: &'c mut Conn) -> On<'c> {
        match conn.native() {
            Native::Sqlite(c) => On::Sqlite(c),
            Native::Postgres(c) => On::Postgres(c),
        }
    }
}

impl<'c> From<&'c Db> for On<'c> {
    fn from(db: &'c Db) -> On<'c> {
        match db {
            Db::Sqlite { pool, .. } => On::SqlitePool(pool),
            Db::Postgres(pool) => On::PostgresPool(pool),
        }
    }
}

/// A value bound to a placeholder. A `NULL` keeps its type: PostgreSQL checks it.
#[derive(Clone, Debug)]
pub(crate) enum Value<'q> {
    I64(Option<i64>),
    Bool(Option<bool>),
    Text(Option<Cow<'q, str>>),
    Bytes(Option<Cow<'q, [u8]>>),
}

macro_rules! values {
    ($($t:ty => |$v:ident| $e:expr;)*) => {$(
        impl<'q> From<$t> for Value<'q> {
            fn from($v: $t) -> Value<'q> {
                $e
            }
        }
    )*};
}

values! {
    i64 => |v| Value::I64(Some(v));
    Option<i64> => |v| Value::I64(v);
    i32 => |v| Value::I64(Some(v.into()));
    Option<i32> => |v| Value::I64(v.map(Into::into));
    u32 => |v| Value::I64(Some(v.into()));
    bool => |v| Value::Bool(Some(v));
    Option<bool> => |v| Value::Bool(v);
    String => |v| Value::Text(Some(Cow::Owned(v)));
    Option<String> => |v| Value::Text(v.map(Cow::Owned));
    &'q str => |v| Value::Text(Some(Cow::Borrowed(v)));
    &'q String => |v| Value::Text(Some(Cow::Borrowed(v.as_str())));
    Option<&'q str> => |v| Value::Text(v.map(Cow::Borrowed));
    &'q Option<String> => |v| Value::Text(v.as_deref().map(Cow::Borrowed));
    Vec<u8> => |v| Value::Bytes(Some(Cow::Owned(v)));
    Option<Vec<u8>> => |v| Value::Bytes(v.map(Cow::Owned));
    &'q [u8] => |v| Value::Bytes(Some(Cow::Borrowed(v)));
    &'q Vec<u8> => |v| Value::Bytes(Some(Cow::Borrowed(v.as_slice())));
}

impl<'q> Value<'q> {
    fn add_sqlite(self, args: &mut SqliteArguments<'q>) -> Result<(), sqlx::Error> {
        match self {
            Value::I64(v) => args.add(v),
            Value::Bool(v) => args.add(v),
            Value::Text(v) => args.add(v),
            Value::Bytes(None) => args.add(None::<Vec<u8>>),
            Value::Bytes(Some(Cow::Borrowed(v))) => args.add(v),
            Value::Bytes(Some(Cow::Owned(v))) => args.add(v),
        }
        .map_err(sqlx::Error::Encode)
    }

    fn add_postgres(self, args: &mut PgArguments) -> Result<(), sqlx::Error> {
        match self {
            Value::I64(v) => args.add(v),
            Value::Bool(v) => args.add(v),
            Value::Text(v) => args.add(v.map(Cow::into_owned)),
            Value::Bytes(v) => args.add(v.map(Cow::into_owned)),
        }
        .map_err(sqlx::Error::Encode)
    }
}

/// A row record both backends decode.
pub(crate) trait Record: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

impl<T> Record for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

/// A statement and its arguments.
pub(crate) struct Query<'q> {
    sql: Cow<'q, str>,
    args: Vec<Value<'q>>,
}

/// A statement written with `$N` placeholders.
pub(crate) fn query(sql: &str) -> Query<'_> {
    Query { sql: Cow::Borrowed(sql), args: Vec::new() }
}

/// A query whose rows decode into `R`.
pub(crate) fn query_as<R: Record>(sql: &str) -> QueryAs<'_, R> {
    QueryAs { query: query(sql), row: std::marker::PhantomData }
}

/// A query whose rows are one column, decoded into `T`.
pub(crate) fn query_scalar<T>(sql: &str) -> QueryScalar<'_, T>
where
    (T,): Record,
{
    QueryScalar { query: query(sql), value: std::marker::PhantomData }
}

/// What a statement changed.
pub(crate) struct Done {
    rows_affected: u64,
}

impl Done {
    pub(crate) fn rows_affected(&self) -> u64 {
        self.rows_affected
    }
}

impl<'q> Query<'q> {
    pub(crate) fn bind(mut self, value: impl Into<Value<'q>>) -> Self {
        self.args.push(value.into());
        self
    }

    fn sqlite_args(args: Vec<Value<'q>>) -> Result<SqliteArguments<'q>, sqlx::Error> {
        let mut a = SqliteArguments::default();
        args.into_iter().try_for_each(|v| v.add_sqlite(&mut a))?;
        Ok(a)
    }

    fn postgres_args(args: Vec<Value<'q>>) -> Result<PgArguments, sqlx::Error> {
        let mut a = PgArguments::default();
        a.reserve(args.len(), args.len() * 8);
        args.into_iter().try_for_each(|v| v.add_postgres(&mut a))?;
        Ok(a)
    }

    pub(crate) async fn execute<'c>(self, on: impl Into<On<'c>>) -> Result<Done, sqlx::Error> {
        let sql = self.sql.as_ref();
        let rows_affected = match on.into() {
            On::Sqlite(c) => sqlx::query_with(sql, Self::sqlite_args(self.args)?).execute(c).await?.rows_affected(),
            On::SqlitePool(p) => sqlx::query_with(sql, Self::sqlite_args(self.args)?).execute(p).await?.rows_affected(),
            On::Postgres(c) => sqlx::query_with(sql, Self::postgres_args(self.args)?).execute(c).await?.rows_affected(),
            On::PostgresPool(p) => {
                sqlx::query_with(sql, Self::postgres_args(self.args)?).execute(p).await?.rows_affected()
            }
        };
        Ok(Done { rows_affected })
    }

    async fn fetch_all<'c, R: Record>(self, on: impl Into<On<'c>>) -> Result<Vec<R>, sqlx::Error> {
        let sql = self.sql.as_ref();
        match on.into() {
            On::Sqlite(c) => sqlx::query_as_with(sql, Self::sqlite_args(self.args)?).fetch_all(c).await,
            On::SqlitePool(p) => sqlx::query_as_with(sql, Self::sqlite_args(self.args)?).fetch_all(p).await,
            On::Postgres(c) => sqlx::query_as_with(sql, Self::postgres_args(self.args)?).fetch_all(c).await,
            On::PostgresPool(p) => sqlx::query_as_with(sql, Self::postgres_args(self.args)?).fetch_all(p).await,
        }
    }

    async fn fetch_optional<'c, R: Record>(self, on: impl Into<On<'c>>) -> Result<Option<R>, sqlx::Error> {
        let sql = self.sql.as_ref();
        match on.into() {
            On::Sqlite(c) => sqlx::query_as_with(sql, Self::sqlite_args(self.args)?).fetch_optional(c).await,
            On::SqlitePool(p) => sqlx::query_as_with(sql, Self::sqlite_args(self.args)?).fetch_optional(p).await,
            On::Postgres(c) => sqlx::query_as_with(sql, Self::postgres_args(self.args)?).fetch_optional(c).await,
            On::PostgresPool(p) => sqlx::query_as_with(sql, Self::postgres_args(self.args)?).fetch_optional(p).await,
        }
    }
}

/// A query whose rows decode into `R`.
pub(crate) struct QueryAs<'q, R> {
    query: Query<'q>,
    row: std::marker::PhantomData<fn() -> R>,
}

impl<'q, R: Record> QueryAs<'q, R> {
    pub(crate) fn bind(self, value: impl Into<Value<'q>>) -> Self {
        QueryAs { query: self.query.bind(value), row: self.row }
    }

    pub(crate) async fn fetch_all<'c>(self, on: impl Into<On<'c>>) -> Result<Vec<R>, sqlx::Error> {
        self.query.fetch_all(on).await
    }

    pub(crate) async fn fetch_optional<'c>(self, on: impl Into<On<'c>>) -> Result<Option<R>, sqlx::Error> {
        self.query.fetch_optional(on).await
    }

    pub(crate) async fn fetch_one<'c>(self, on: impl Into<On<'c>>) -> Result<R, sqlx::Error> {
        self.query.fetch_optional(on).await?.ok_or(sqlx::Error::RowNotFound)
    }
}

/// A query whose rows are one column, decoded into `T`.
pub(crate) struct QueryScalar<'q, T> {
    query: Query<'q>,
    value: std::marker::PhantomData<fn() -> T>,
}

impl<'q, T> QueryScalar<'q, T>
where
    (T,): Record,
{
    pub(crate) fn bind(self, value: impl Into<Value<'q>>) -> Self {
        QueryScalar { query: self.query.bind(value), value: self.value }
    }

    pub(crate) async fn fetch_all<'c>(self, on: impl Into<On<'c>>) -> Result<Vec<T>, sqlx::Error> {
        Ok(self.query.fetch_all::<(T,)>(on).await?.into_iter().map(|(v,)| v).collect())
    }

    pub(crate) async fn fetch_optional<'c>(self, on: impl Into<On<'c>>) -> Result<Option<T>, sqlx::Error> {
        Ok(self.query.fetch_optional::<(T,)>(on).await?.map(|(v,)| v))
    }

    pub(crate) async fn fetch_one<'c>(self, on: impl Into<On<'c>>) -> Result<T, sqlx::Error> {
        self.fetch_optional(on).await?.ok_or(sqlx::Error::RowNotFound)
    }
}

/// A page of list query: `select` followed by `filters` (its `FROM … WHERE …`), in `order`
/// (`ORDER BY …`), `limit` rows from `offset`, and the count of every row `filters` selects.
/// Both are read on `conn`: inside a transaction they agree.
pub(crate) async fn page<'q, R: Record>(
    conn: &mut Conn,
    select: impl Into<String>,
    filters: impl Fn(&mut Builder<'q>),
    order: &str,
    (offset, limit): (u32, u32),
) -> Result<(Vec<R>, u64), StoreError> {
    let mut count = Builder::new("SELECT count(*)");
    filters(&mut count);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await.map_err(err)?;
    let mut page = Builder::new(select);
    filters(&mut page);
    page.push(" ").push(order).push(" LIMIT ").push_bind(i64::from(limit));
    page.push(" OFFSET ").push_bind(i64::from(offset));
    let rows = page.build_query_as().fetch_all(&mut *conn).await.map_err(err)?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// The most values one statement's `IN (…)` lists bind, well inside both backends' limits:
/// a longer look-up is read in several statements.
pub(crate) const IN_LIST_MAX: usize = 500;

/// Splits a look-up by two lists of keys into statements of at most [`IN_LIST_MAX`] keys:
/// one statement with both lists when they fit, else each list in pieces.
pub(crate) fn in_lists<'a, A, B>(a: &'a [A], b: &'a [B]) -> Vec<(&'a [A], &'a [B])> {
    if a.len() + b.len() <= IN_LIST_MAX {
        return if a.is_empty() && b.is_empty() { vec![] } else { vec![(a, b)] };
    }
    let firsts = a.chunks(IN_LIST_MAX).map(|c| (c, &b[..0]));
    firsts.chain(b.chunks(IN_LIST_MAX).map(|c| (&a[..0], c))).collect()
}

/// A statement built piece by piece (optional filters), its placeholders numbered as they
/// are pushed.
pub(crate) struct Builder<'q> {
    sql: String,
    args: Vec<Value<'q>>,
}

impl<'q> Builder<'q> {
    pub(crate) fn new(sql: impl Into<String>) -> Builder<'q> {
        Builder { sql: sql.into(), args: Vec::new() }
    }

    pub(crate) fn push(&mut self, sql: impl AsRef<str>) -> &mut Self {
        self.sql.push_str(sql.as_ref());
        self
    }

    /// Appends the next placeholder (`$N`) and binds `value` to it.
    pub(crate) fn push_bind(&mut self, value: impl Into<Value<'q>>) -> &mut Self {
        self.args.push(value.into());
        self.sql.push('$');
        self.sql.push_str(&self.args.len().to_string());
        self
    }

    /// `column IN ($a, $b, …)`, one placeholder per value; `1 = 0` (nothing) for no value.
    pub(crate) fn push_in<V: Into<Value<'q>>>(
        &mut self,
        column: &str,
        values: impl IntoIterator<Item = V>,
    ) -> &mut Self {
        let mut values = values.into_iter().peekable();
        if values.peek().is_none() {
            return self.push("1 = 0");
        }
        self.push(column).push(" IN (");
        let mut list = self.separated(", ");
        for v in values {
            list.push_bind(v);
        }
        self.push(")")
    }

    /// Placeholders separated by `separator`, one per [`Separated::push_bind`].
    pub(crate) fn separated<'b>(&'b mut self, separator: &'static str) -> Separated<'b, 'q> {
        Separated { builder: self, separator, first: true }
    }

    pub(crate) fn build(self) -> Query<'q> {
        Query { sql: Cow::Owned(self.sql), args: self.args }
    }

    pub(crate) fn build_query_as<R: Record>(self) -> QueryAs<'q, R> {
        QueryAs { query: self.build(), row: std::marker::PhantomData }
    }

    pub(crate) fn build_query_scalar<T>(self) -> QueryScalar<'q, T>
    where
        (T,): Record,
    {
        QueryScalar { query: self.build(), value: std::marker::PhantomData }
    }
}

/// A list of placeholders being pushed (`$3, $4, $5`).
pub(crate) struct Separated<'b, 'q> {
    builder: &'b mut Builder<'q>,
    separator: &'static str,
    first: bool,
}

impl<'q> Separated<'_, 'q> {
    pub(crate) fn push_bind(&mut self, value: impl Into<Value<'q>>) -> &mut Self {
        if !self.first {
            self.builder.push(self.separator);
        }
        self.first = false;
        self.builder.push_bind(value);
        self
    }
}
