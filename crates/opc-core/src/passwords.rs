//! Password hashing and checking, off the async workers and a bounded number at once.
//!
//! Argon2id with the crate's defaults takes 19 MiB and tens of milliseconds per hash or check.
//! Run on the async workers, a burst of sign-ins (unauthenticated, so anyone's) would stall every
//! other request and take memory without bound (issue 18). Here each runs on tokio's blocking
//! threads, at most `concurrent_max` at once; a caller that gets no turn within `wait_max` is
//! told to try later ([`PasswordError::Busy`]) rather than queued for ever.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// Every turn stayed taken for the whole wait: an operating condition, the caller retries.
    #[error("the server is busy checking passwords: try again in a moment")]
    Busy,
    /// Argon2 failed, or the blocking task died: a server fault, never the caller's.
    #[error("password hashing failed: {0}")]
    Failed(String),
}

/// The bounded pool of password work of one process, shared by every request.
pub struct PasswordWork {
    permits: Arc<Semaphore>,
    wait_max: Duration,
    running: Arc<Running>,
}

/// How many hashes or checks run now, and the most that ever ran at once.
#[derive(Default)]
struct Running {
    now: AtomicUsize,
    max: AtomicUsize,
}

impl Running {
    /// Counts one more running until the guard is dropped.
    fn enter(&self) -> impl Drop + '_ {
        struct Leave<'a>(&'a AtomicUsize);
        impl Drop for Leave<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
        Leave(&self.now)
    }
}

/// A turn to hash or check one password, waited for with [`PasswordWork::turn`].
pub struct PasswordTurn {
    permit: OwnedSemaphorePermit,
    running: Arc<Running>,
}

impl PasswordWork {
    /// How long a caller waits for a turn by default before it is told to try later.
    pub const WAIT_MAX: Duration = Duration::from_secs(2);

    /// At most `concurrent_max` (at least 1) at once, waiting at most `wait_max` for a turn.
    pub fn new(concurrent_max: usize, wait_max: Duration) -> PasswordWork {
        PasswordWork { permits: Arc::new(Semaphore::new(concurrent_max.max(1))), wait_max, running: Arc::default() }
    }

    /// One at a time per CPU, waiting at most [`PasswordWork::WAIT_MAX`].
    pub fn per_cpu() -> PasswordWork {
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        PasswordWork::new(cpus, Self::WAIT_MAX)
    }

    /// Waits for a turn, at most `wait_max`.
    pub async fn turn(&self) -> Result<PasswordTurn, PasswordError> {
        match tokio::time::timeout(self.wait_max, self.permits.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(PasswordTurn { permit, running: self.running.clone() }),
            // The semaphore is never closed; treat it as busy if it ever were.
            Ok(Err(_)) | Err(_) => Err(PasswordError::Busy),
        }
    }

    /// An Argon2id hash (PHC string, random salt) of `password`.
    pub async fn hash(&self, password: &str) -> Result<String, PasswordError> {
        let password = password.to_owned();
        self.turn().await?.run(move || hash_blocking(&password)).await?
    }

    /// Whether `password` matches the stored `hash` (a malformed hash matches nothing).
    pub async fn verify(&self, hash: &str, password: &str) -> Result<bool, PasswordError> {
        let (hash, password) = (hash.to_owned(), password.to_owned());
        self.turn().await?.run(move || verify_blocking(&hash, &password)).await
    }

    /// The most hashes and checks that ever ran at once in this pool.
    pub fn running_max(&self) -> usize {
        self.running.max.load(Ordering::SeqCst)
    }
}

impl PasswordTurn {
    /// Runs `work` on a blocking thread, holding the turn until it ends (even if the caller
    /// stops waiting for it).
    async fn run<T: Send + 'static>(self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, PasswordError> {
        let PasswordTurn { permit, running } = self;
        tokio::task::spawn_blocking(move || {
            // Dropped in reverse: the count goes down before the turn is handed on.
            let _permit = permit;
            let _running = running.enter();
            work()
        })
        .await
        .map_err(|e| PasswordError::Failed(format!("the hashing task ended: {e}")))
    }
}

/// Hashes on the calling thread: for tests and tools, never on an async worker.
pub fn hash_blocking(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Failed(e.to_string()))
}

/// Checks on the calling thread: for tests and tools, never on an async worker.
pub fn verify_blocking(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| argon2::Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_caller_without_a_turn_within_the_wait_is_told_to_try_later() {
        let work = PasswordWork::new(1, Duration::from_millis(20));
        let held = work.turn().await.unwrap();
        assert!(matches!(work.verify("$argon2id$x", "pw").await, Err(PasswordError::Busy)));
        drop(held);
        assert!(!work.verify("$argon2id$x", "pw").await.unwrap(), "a malformed hash matches nothing");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_than_the_bound_run_at_once() {
        let work = Arc::new(PasswordWork::new(2, Duration::from_secs(60)));
        let hash = hash_blocking("Secret123!").unwrap();
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let (work, hash) = (work.clone(), hash.clone());
                tokio::spawn(async move { work.verify(&hash, if i == 0 { "Secret123!" } else { "nope" }).await })
            })
            .collect();
        let mut matched = 0;
        for t in tasks {
            matched += usize::from(t.await.unwrap().unwrap());
        }
        assert_eq!(matched, 1);
        assert!((1..=2).contains(&work.running_max()), "{}", work.running_max());
    }
}
