//! How a process learns that what authenticates requests may have changed
//! ([`PrincipalChanges`]); migration 36's triggers record every change to the tables that
//! matter.
//!
//! - SQLite counts them in the one row of `principal_changes`: the number is read as it is,
//!   in the database, exact whichever process wrote. It is read with every signed read, so it
//!   is read on a connection of its own through the SQLite library directly (`rusqlite`), on
//!   the calling thread: through sqlx's pool the row cost a trip to a connection's worker
//!   thread and back, about four times what the rest of a kept read costs (README, "The read
//!   path").
//! - PostgreSQL notifies `opc_principals` at their commit (a counter row there would make
//!   every writer of those tables wait on one row lock). The number is this process's own
//!   committed writes, counted here as they commit, plus the notifications a listener has
//!   received. The listener starts with the first question, so that a store nobody
//!   authenticates against (a CLI command, most tests) never runs one, and it ends with its
//!   store.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use async_trait::async_trait;
use opc_core::store::PrincipalChanges;
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use tokio::sync::Notify;

use crate::db::Db;
use crate::SqlStore;

/// Write transactions this process committed, on any store: a committed write may have
/// changed a principal. (Counting every store's writes only makes a cache forget sooner.)
static COMMITTED_WRITES: AtomicU64 = AtomicU64::new(0);

/// The PostgreSQL channel migration 36's triggers notify.
const CHANNEL: &str = "opc_principals";

/// Called once a write transaction has committed, before its caller learns it has.
pub(crate) fn write_committed() {
    COMMITTED_WRITES.fetch_add(1, Ordering::SeqCst);
}

/// What PostgreSQL's listener has learnt; SQLite's connection that reads the count.
#[derive(Default)]
pub(crate) struct Watch {
    /// SQLite: a read-only connection to the database file and what it last read, opened with
    /// the first question (`None` until then, and for good when it cannot be opened: the pool
    /// is asked then).
    counter: std::sync::Mutex<Option<Counter>>,
    counter_tried: AtomicBool,
    started: AtomicBool,
    /// Tells the listener its store is gone.
    stop: Arc<Notify>,
    /// Whether the listener is listening.
    live: AtomicBool,
    /// Notifications received, and connections lost (anything may have changed meanwhile).
    remote: AtomicU64,
}

/// SQLite's count, read on a connection of its own. On Linux the database's folder is watched
/// (inotify) as well: a commit, by any process, writes its file or its WAL before it returns,
/// and the kernel queues the event as the write happens; so when no event is queued, nothing
/// was committed since the count was last read, and it is not read again. A lost watch (an
/// overflowing queue, a folder moved) reads it every time.
struct Counter {
    connection: rusqlite::Connection,
    #[cfg(target_os = "linux")]
    writes: Option<inotify::Inotify>,
    last: Option<u64>,
}

impl Counter {
    fn open(path: &std::path::Path) -> rusqlite::Result<Counter> {
        use rusqlite::OpenFlags;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = rusqlite::Connection::open_with_flags(path, flags)?;
        connection.busy_timeout(Duration::from_secs(10))?;
        Ok(Counter {
            connection,
            #[cfg(target_os = "linux")]
            writes: watch_folder(path),
            last: None,
        })
    }

    /// Whether something in the database's folder may have been written since the last look.
    #[cfg(target_os = "linux")]
    fn written(&mut self) -> bool {
        let Some(inotify) = self.writes.as_mut() else { return true };
        let mut buffer = [0u8; 4096];
        let mut written = false;
        loop {
            match inotify.read_events(&mut buffer) {
                Ok(events) => {
                    for e in events {
                        written = true;
                        if e.mask.intersects(inotify::EventMask::Q_OVERFLOW | inotify::EventMask::IGNORED) {
                            self.writes = None;
                            return true;
                        }
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return written,
                Err(e) => {
                    tracing::warn!(error = %e, "Lost the watch on the database's folder");
                    self.writes = None;
                    return true;
                }
            }
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn written(&mut self) -> bool {
        true
    }

    fn count(&mut self) -> Option<u64> {
        if self.written() || self.last.is_none() {
            let n = self
                .connection
                .prepare_cached("SELECT n FROM principal_changes")
                .and_then(|mut s| s.query_row([], |r| r.get::<_, i64>(0)))
                .map_err(|e| tracing::warn!(error = %e, "Cannot read the count of principal changes"))
                .ok()?;
            self.last = u64::try_from(n).ok();
        }
        self.last
    }
}

/// A watch on the folder of the database at `path`, for every write to its files.
#[cfg(target_os = "linux")]
fn watch_folder(path: &std::path::Path) -> Option<inotify::Inotify> {
    use inotify::WatchMask;
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let inotify = inotify::Inotify::init()
        .map_err(|e| tracing::warn!(error = %e, "Cannot watch the database's folder; the count is read each time"))
        .ok()?;
    let mask = WatchMask::MODIFY
        | WatchMask::CREATE
        | WatchMask::DELETE
        | WatchMask::MOVED_FROM
        | WatchMask::MOVED_TO
        | WatchMask::DELETE_SELF
        | WatchMask::MOVE_SELF;
    inotify
        .watches()
        .add(folder, mask)
        .map_err(|e| tracing::warn!(error = %e, "Cannot watch the database's folder; the count is read each time"))
        .ok()?;
    Some(inotify)
}

impl Watch {
    /// The count of principal changes, read on this watch's own SQLite connection; `None` when
    /// it cannot be (the caller asks the pool). The lock is held from the look at the folder to
    /// the read, so that no caller uses a count older than a write another caller has seen.
    fn sqlite_count(&self, path: &std::path::Path) -> Option<u64> {
        let mut counter = self.counter.lock().unwrap_or_else(|p| p.into_inner());
        if counter.is_none() && !self.counter_tried.swap(true, Ordering::SeqCst) {
            match Counter::open(path) {
                Ok(c) => *counter = Some(c),
                Err(e) => tracing::warn!(error = %e, "Cannot open a connection to read the count of changes"),
            }
        }
        counter.as_mut()?.count()
    }

    fn changed(&self) {
        self.remote.fetch_add(1, Ordering::SeqCst);
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop.notify_one();
    }
}

#[async_trait]
impl PrincipalChanges for SqlStore {
    async fn principals_generation(&self) -> Option<u64> {
        let pool = match &self.db {
            Db::Sqlite { pool, path, .. } => {
                if let Some(n) = path.as_deref().and_then(|p| self.watch.sqlite_count(p)) {
                    return Some(n);
                }
                let n = sqlx::query_scalar::<_, i64>("SELECT n FROM principal_changes").fetch_one(pool).await;
                return n
                    .map_err(|e| tracing::warn!(error = %e, "Cannot read the count of principal changes"))
                    .ok()
                    .map(|n| n as u64);
            }
            Db::Postgres(pool) => pool,
        };
        if !self.watch.started.swap(true, Ordering::SeqCst) {
            let (pool, watch, stop) = (pool.clone(), Arc::downgrade(&self.watch), self.watch.stop.clone());
            tokio::spawn(async move {
                tokio::select! {
                    () = stop.notified() => {}
                    () = listen(pool, watch) => {}
                }
            });
        }
        if !self.watch.live.load(Ordering::SeqCst) {
            return None;
        }
        Some(COMMITTED_WRITES.load(Ordering::SeqCst).wrapping_add(self.watch.remote.load(Ordering::SeqCst)))
    }
}

/// Listens on [`CHANNEL`]. A lost connection is re-established before `try_recv` returns
/// `None`; what was notified meanwhile is lost, so everything counts as changed. While no
/// listener can be had, the store does not vouch.
async fn listen(pool: PgPool, watch: Weak<Watch>) {
    let mut listener: Option<PgListener> = None;
    loop {
        let Some(w) = watch.upgrade() else { return };
        let Some(l) = listener.as_mut() else {
            match subscribe(&pool).await {
                Ok(l) => {
                    listener = Some(l);
                    w.changed();
                    w.live.store(true, Ordering::SeqCst);
                }
                Err(e) => {
                    w.live.store(false, Ordering::SeqCst);
                    tracing::warn!(error = %e, "Cannot listen for principal changes");
                    drop(w);
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
            continue;
        };
        drop(w);
        let received = l.try_recv().await;
        let Some(w) = watch.upgrade() else { return };
        match received {
            // A notification, or a lost connection (re-established since).
            Ok(_) => w.changed(),
            Err(e) => {
                w.live.store(false, Ordering::SeqCst);
                w.changed();
                listener = None;
                tracing::warn!(error = %e, "Lost the listener for principal changes");
            }
        }
    }
}

async fn subscribe(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}
