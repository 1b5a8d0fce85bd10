use async_trait::async_trait;
use opc_domain::{AccountId, Timestamp};

use super::*;

/// The first answer to a signed write, kept to answer its replays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAnswer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// What claiming a signed write found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Nobody ran it yet: the caller runs it and records or releases its answer.
    Claimed,
    /// Another request with the same signature is still running.
    Running,
    /// It ran: this is its answer.
    Answered(StoredAnswer),
}

/// Signed writes answered once, across server processes (issue 18, item 8).
#[async_trait]
pub trait SignedWrites: Send + Sync + 'static {
    /// Claims `signature` (a hash naming one signed request) until `expires_at`, in one
    /// transaction that first forgets the claims expired at `now`.
    async fn claim_signed_write(
        &self,
        signature: &str,
        account: &AccountId,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<Claim, StoreError>;
    /// Keeps the answer of a claimed write for its replays.
    async fn record_signed_answer(&self, signature: &str, answer: &StoredAnswer) -> Result<(), StoreError>;
    /// Gives a claim up (the write failed without effect), so the same request may run again.
    async fn release_signed_write(&self, signature: &str) -> Result<(), StoreError>;
}
