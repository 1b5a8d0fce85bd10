//! Signed writes answered once (issue 18, item 8). Huawei's gateway runs a replayed signed
//! request again for as long as its date is accepted; here a write whose signature was already
//! accepted and that succeeded is answered with its first answer and not run twice, whichever
//! server process the replay reaches (an idempotency key, with the signature as the key). A
//! refused or failed write changed nothing and may run again. Reads run as usual.
//!
//! The signature dates a request to the second: the same write sent twice within one second is
//! one request, and its second sending gets the first answer (marked `Idempotent-Replayed`).

use std::time::Duration;

use opc_domain::signature;
use opc_domain::AccountId;
use sha2::{Digest, Sha256};

use crate::store::{Claim, StoredAnswer};
use crate::{Context, StoreError};

/// How long a replay waits for the first request's answer before it is told to ask later.
pub const PATIENCE: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(25);

/// What to do with a signed write.
#[derive(Debug, PartialEq, Eq)]
pub enum Turn {
    /// Run it, then [`record`] its answer (or [`release`] it if it failed without effect).
    Run(WriteKey),
    /// It ran: answer this.
    Replay(StoredAnswer),
    /// It is still running elsewhere after [`PATIENCE`].
    Busy,
}

/// Names one signed request: a hash of its `Authorization` header, whose signature covers the
/// method, path, query, signed headers (the date among them) and body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteKey(String);

impl WriteKey {
    pub fn of(authorization: &str) -> WriteKey {
        WriteKey(hex::encode(Sha256::digest(format!("opc-signed-write\0{authorization}").as_bytes())))
    }
}

/// Claims the write named by `key`, or waits (up to [`PATIENCE`]) for the answer of the request
/// that claimed it first.
pub async fn claim(ctx: &Context, key: &WriteKey, account: &AccountId) -> Result<Turn, StoreError> {
    let waited = std::time::Instant::now();
    loop {
        let now = ctx.clock.now();
        match ctx.store.claim_signed_write(&key.0, account, signature::replays_refused_from(now), now).await? {
            Claim::Claimed => return Ok(Turn::Run(key.clone())),
            Claim::Answered(answer) => return Ok(Turn::Replay(answer)),
            Claim::Running if waited.elapsed() >= PATIENCE => return Ok(Turn::Busy),
            Claim::Running => tokio::time::sleep(POLL).await,
        }
    }
}

/// Keeps the answer of a write this process ran, for its replays.
pub async fn record(ctx: &Context, key: &WriteKey, answer: &StoredAnswer) -> Result<(), StoreError> {
    ctx.store.record_signed_answer(&key.0, answer).await
}

/// Gives the claim up after a refusal or failure, which changed nothing, so that the same
/// request may run again.
pub async fn release(ctx: &Context, key: &WriteKey) -> Result<(), StoreError> {
    ctx.store.release_signed_write(&key.0).await
}
