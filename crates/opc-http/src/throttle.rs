//! Throttling per (source IP, API, account), as Huawei's API gateway does (R-API-01): each API
//! allows `limit` requests per second to each caller; the excess is answered HTTP 429
//! `APIG.0308` before anything else happens.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use opc_core::Clock;

use crate::error::{ApiError, ErrorCode};

/// A token bucket: `limit` tokens, refilled continuously at `limit` per second.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Bucket {
    /// Tokens, in thousandths, so that the refill stays exact in integers.
    milli_tokens: u64,
    at_ms: i64,
}

impl Bucket {
    fn full(limit: u32, now_ms: i64) -> Bucket {
        Bucket { milli_tokens: u64::from(limit) * 1000, at_ms: now_ms }
    }

    /// Takes one token if there is one.
    fn take(&mut self, limit: u32, now_ms: i64) -> bool {
        let elapsed_ms = u64::try_from(now_ms.saturating_sub(self.at_ms)).unwrap_or(0);
        let capacity = u64::from(limit) * 1000;
        self.milli_tokens = capacity.min(self.milli_tokens.saturating_add(elapsed_ms.saturating_mul(u64::from(limit))));
        self.at_ms = self.at_ms.max(now_ms);
        if self.milli_tokens >= 1000 {
            self.milli_tokens -= 1000;
            true
        } else {
            false
        }
    }
}

/// The throttle's state, shared by all requests of one server process.
pub struct Throttle {
    limit_per_second: u32,
    clock: Arc<dyn Clock>,
    buckets: Mutex<HashMap<(String, String, String), Bucket>>,
}

/// Above this many callers, buckets idle for a second (and so full again) are dropped.
const BUCKETS_MAX: usize = 100_000;

impl Throttle {
    /// `limit_per_second` 0 turns throttling off.
    pub fn new(limit_per_second: u32, clock: Arc<dyn Clock>) -> Throttle {
        Throttle { limit_per_second, clock, buckets: Mutex::new(HashMap::new()) }
    }

    /// Whether this caller may call this API now.
    pub fn admit(&self, ip: &str, api: &str, account: &str) -> bool {
        if self.limit_per_second == 0 {
            return true;
        }
        let now_ms = self.clock.now().unix_ms();
        let limit = self.limit_per_second;
        // A poisoned lock only means another request panicked mid-update; the map is still usable.
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > BUCKETS_MAX {
            buckets.retain(|_, b| now_ms - b.at_ms < 1000);
        }
        buckets
            .entry((ip.to_owned(), api.to_owned(), account.to_owned()))
            .or_insert_with(|| Bucket::full(limit, now_ms))
            .take(limit, now_ms)
    }

    pub fn limit_per_second(&self) -> u32 {
        self.limit_per_second
    }
}

/// The middleware: keyed by the peer address, the matched route and the `X-Domain-Id`.
pub async fn throttle(State(throttle): State<Arc<Throttle>>, req: Request, next: Next) -> Result<Response, ApiError> {
    if throttle.limit_per_second() == 0 {
        return Ok(next.run(req).await);
    }
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string());
    let api = format!("{} {}", req.method(), req.extensions().get::<MatchedPath>().map_or("", |m| m.as_str()));
    let account = req.headers().get("x-domain-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    if !throttle.admit(&ip, &api, &account) {
        return Err(ApiError::new(
            ErrorCode::Throttled,
            format!(
                "The throttling threshold has been reached: policy user over ratelimit,limit:{},time:1 second",
                throttle.limit_per_second()
            ),
        ));
    }
    Ok(next.run(req).await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use opc_core::ManualClock;
    use opc_domain::{Millis, Timestamp};

    #[test]
    fn r_api_01_each_caller_gets_its_limit_per_second_per_api() {
        let clock = Arc::new(ManualClock::new(Timestamp::from_unix_ms(1_000_000)));
        let t = Throttle::new(10, clock.clone());
        for _ in 0..10 {
            assert!(t.admit("1.1.1.1", "POST /a", "d1"));
        }
        assert!(!t.admit("1.1.1.1", "POST /a", "d1"), "the 11th in the same second is refused");
        assert!(t.admit("1.1.1.1", "POST /b", "d1"), "another API has its own budget");
        assert!(t.admit("1.1.1.1", "POST /a", "d2"), "another account too");
        assert!(t.admit("2.2.2.2", "POST /a", "d1"), "and another source IP");
        clock.advance(Millis(100));
        assert!(t.admit("1.1.1.1", "POST /a", "d1"), "a tenth of a second refills one request");
        assert!(!t.admit("1.1.1.1", "POST /a", "d1"));
        clock.advance(Millis(5_000));
        for _ in 0..10 {
            assert!(t.admit("1.1.1.1", "POST /a", "d1"));
        }
        assert!(!t.admit("1.1.1.1", "POST /a", "d1"), "idle time never saves up more than the limit");
    }

    #[test]
    fn a_zero_limit_turns_throttling_off() {
        let t = Throttle::new(0, Arc::new(ManualClock::new(Timestamp::from_unix_ms(0))));
        assert!((0..1000).all(|_| t.admit("ip", "api", "acct")));
    }
}
