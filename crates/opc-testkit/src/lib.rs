//! Test support shared by every crate's tests: fresh stores on SQLite and PostgreSQL, the HTTP
//! app driven without a socket, request signing as the SDK does it, and seed data.
//!
//! PostgreSQL runs when `TEST_DATABASE_URL` is set (each test gets its own schema: a store's
//! is emptied afterwards and kept for the process's next test, see `pg`). Without it, PostgreSQL tests print one line and pass, unless
//! `OPC_REQUIRE_ALL_BACKENDS` is set (CI), in which case they fail.

pub mod app;
pub mod console;
mod pg;
pub mod seed;
pub mod shop;
pub mod sign;

use opc_core::store::prelude::*;
use std::io::Write;
use std::sync::Arc;

use opc_core::Store;
use opc_store::SqlStore;
use sqlx::Connection;

/// A store on a fresh, migrated database, removed when dropped (on PostgreSQL, emptied and
/// kept for the process's next test: see `pg`).
pub struct TestStore {
    pub store: Arc<dyn Store>,
    pub backend: Backend,
    database: Option<TestDatabase>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl TestStore {
    pub async fn sqlite() -> TestStore {
        let database = TestDatabase::sqlite();
        let store = SqlStore::connect(&database.url).await.expect("open SQLite");
        store.migrate().await.expect("migrate SQLite");
        TestStore { store: Arc::new(store), backend: Backend::Sqlite, database: Some(database) }
    }

    /// `None` (after saying so) when no PostgreSQL is configured. A schema emptied by an
    /// earlier test of this process is taken when there is one.
    pub async fn postgres() -> Option<TestStore> {
        let admin_url = admin_url()?;
        pg::sweep_once(&admin_url).await;
        ran("postgres");
        if let Some(schema) = pg::take(&admin_url) {
            let database = TestDatabase::in_schema(&admin_url, schema);
            let store = SqlStore::connect(&database.url).await.expect("connect to PostgreSQL");
            return Some(TestStore { store: Arc::new(store), backend: Backend::Postgres, database: Some(database) });
        }
        Some(TestStore::postgres_in(TestDatabase::postgres_at(&admin_url).await).await)
    }

    /// A store in a fresh schema of the PostgreSQL database at `admin_url`.
    pub async fn postgres_at(admin_url: &str) -> TestStore {
        TestStore::postgres_in(TestDatabase::postgres_at(admin_url).await).await
    }

    /// The database's URL (on PostgreSQL, selecting the test's schema).
    pub fn url(&self) -> &str {
        &self.database.as_ref().expect("a test store has its database").url
    }

    /// The same database through connections of its own, as another server process has them
    /// (on SQLite, its own write queue too). Keep the original for as long as this one lives.
    pub async fn reconnect(&self) -> TestStore {
        let store = SqlStore::connect(self.url()).await.expect("connect again");
        TestStore { store: Arc::new(store), backend: self.backend, database: None }
    }

    async fn postgres_in(database: TestDatabase) -> TestStore {
        let store = SqlStore::connect(&database.url).await.expect("connect to PostgreSQL");
        store.migrate().await.expect("migrate PostgreSQL");
        TestStore { store: Arc::new(store), backend: Backend::Postgres, database: Some(database) }
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        let Some(mut database) = self.database.take() else { return };
        if let Guard::Postgres { admin_url, schema } = &database.guard {
            if pg::give_back(admin_url, schema) {
                database.guard = Guard::Released;
            }
        }
    }
}

/// `TEST_DATABASE_URL`, or `None` after saying why PostgreSQL tests are skipped.
fn admin_url() -> Option<String> {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        if std::env::var_os("OPC_REQUIRE_ALL_BACKENDS").is_some() {
            panic!("TEST_DATABASE_URL is not set, and OPC_REQUIRE_ALL_BACKENDS requires PostgreSQL");
        }
        eprintln!("skipping the PostgreSQL run: TEST_DATABASE_URL is not set");
        return None;
    };
    Some(admin_url)
}

/// A fresh, empty database: a SQLite file in a temporary folder, or a PostgreSQL schema under
/// `TEST_DATABASE_URL` selected by the URL's `search_path`. Gone when dropped.
pub struct TestDatabase {
    pub url: String,
    guard: Guard,
}

enum Guard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres {
        admin_url: String,
        schema: String,
    },
    /// Handed on (an emptied schema in the pool): nothing to remove.
    Released,
}

impl TestDatabase {
    pub fn sqlite() -> TestDatabase {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        TestDatabase { url, guard: Guard::Sqlite(dir) }
    }

    pub async fn postgres() -> Option<TestDatabase> {
        let admin_url = admin_url()?;
        pg::sweep_once(&admin_url).await;
        let database = TestDatabase::postgres_at(&admin_url).await;
        ran("postgres");
        Some(database)
    }

    /// A fresh schema in the PostgreSQL database at `admin_url`, dropped with the value.
    pub async fn postgres_at(admin_url: &str) -> TestDatabase {
        let schema = pg::new_schema_name();
        let mut conn = sqlx::PgConnection::connect(admin_url).await.expect("connect to PostgreSQL");
        sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&mut conn).await.expect("create a test schema");
        conn.close().await.ok();
        TestDatabase::in_schema(admin_url, schema)
    }

    fn in_schema(admin_url: &str, schema: String) -> TestDatabase {
        let separator = if admin_url.contains('?') { '&' } else { '?' };
        // The application name marks this test's connections, so that cleanup can end them.
        let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}&application_name={schema}");
        TestDatabase { url, guard: Guard::Postgres { admin_url: admin_url.to_owned(), schema } }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Guard::Postgres { admin_url, schema } = &self.guard {
            let (admin_url, schema) = (admin_url.clone(), schema.clone());
            // Drop may run inside a runtime; a plain thread with its own runtime avoids nesting.
            let dropped = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                rt.block_on(async {
                    let mut conn = sqlx::PgConnection::connect(&admin_url).await.ok()?;
                    // The store's pool may still hold connections: end them first.
                    sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1")
                        .bind(&schema)
                        .execute(&mut conn)
                        .await
                        .ok()?;
                    sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).execute(&mut conn).await.ok()
                })
            })
            .join();
            if !matches!(dropped, Ok(Some(_))) {
                eprintln!("could not drop the test schema {}", self.url);
            }
        }
    }
}

/// Records that a backend's tests really ran, for CI to check (`OPC_RAN_LOG`).
pub fn ran(what: &str) {
    if let Some(path) = std::env::var_os("OPC_RAN_LOG") {
        if let Ok(mut file) = std::fs::OpenOptions::new().append(true).create(true).open(path) {
            let _ = writeln!(file, "{what}");
        }
    }
}

/// Runs an async story on SQLite and, when configured, on PostgreSQL:
/// `backends!(story_name)` defines `story_name_sqlite` and `story_name_postgres` tests calling
/// `story_name(TestStore)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($story:ident),* $(,)?) => {
        $(
            pub mod $story {
                #[tokio::test]
                async fn sqlite() {
                    super::$story($crate::TestStore::sqlite().await).await
                }

                #[tokio::test]
                async fn postgres() {
                    if let Some(store) = $crate::TestStore::postgres().await {
                        super::$story(store).await
                    }
                }
            }
        )*
    };
}
