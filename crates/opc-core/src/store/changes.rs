use async_trait::async_trait;

/// Whether what authenticates a request may have changed since a process last read it: access
/// keys, partners and their enrollments, organization members and roles, accounts. A process
/// keeps what it read about a key only while this number stays the same (issue 18, the read
/// path: a signed read then costs no query for its key and partner).
#[async_trait]
pub trait PrincipalChanges: Send + Sync + 'static {
    /// A number that grows whenever such a fact may have changed (it never goes back). SQLite counts every change
    /// in the database, so the number is exact whichever process made it. PostgreSQL's moves
    /// at once for this process's own committed writes, and for other processes' as soon as
    /// the database notifies their commit. `None` while the store cannot vouch for it (it has
    /// not started listening, or lost its listener): nothing may be kept then.
    async fn principals_generation(&self) -> Option<u64>;
}
