//! The injectable clock. Production reads the system time; tests set it by hand.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use opc_domain::{Millis, Timestamp};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        // A system clock before 1970 is a broken machine, not an input to handle.
        let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).expect("the system clock is after 1970");
        Timestamp::from_unix_ms(i64::try_from(since_epoch.as_millis()).expect("the time fits in i64 milliseconds"))
    }
}

/// A clock that only moves when told to.
pub struct ManualClock {
    unix_ms: AtomicI64,
}

impl ManualClock {
    pub fn new(start: Timestamp) -> ManualClock {
        ManualClock { unix_ms: AtomicI64::new(start.unix_ms()) }
    }

    pub fn set(&self, to: Timestamp) {
        self.unix_ms.store(to.unix_ms(), Ordering::SeqCst);
    }

    pub fn advance(&self, by: Millis) {
        self.unix_ms.fetch_add(by.0, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix_ms(self.unix_ms.load(Ordering::SeqCst))
    }
}
