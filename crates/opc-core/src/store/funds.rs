use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::funds::{Balance, Entry, EntryKind, Holder, Invoice};
use opc_domain::partner::Partner;
use opc_domain::PartnerId;
use opc_domain::Timestamp;

use super::*;

/// Filters of a holder's ledger, newest first (`list_*_account_change_records`,
/// `list_partner_adjust_records`). Empty `kinds` means every kind; times are inclusive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LedgerQuery {
    pub kinds: Vec<EntryKind>,
    pub counterpart: Option<Holder>,
    /// `Some(true)`: only entries that add to the balance (revenue); `Some(false)`: only those
    /// that take from it (expense).
    pub revenue: Option<bool>,
    pub transfer: Option<String>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub offset: u32,
    pub limit: u32,
}

/// What one movement of money writes.
#[derive(Clone, Copy, Debug, Default)]
pub struct LedgerWrite<'a> {
    pub balances: &'a [Balance],
    pub entries: &'a [Entry],
    pub partner: Option<&'a Partner>,
    pub invoice: Option<&'a Invoice>,
    pub audit: &'a [AuditEvent],
}

/// A ledger entry and the login name of its counterpart's account, when it has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryView {
    pub entry: Entry,
    pub counterpart_name: Option<String>,
}

#[async_trait]
pub trait Funds: Send + Sync + 'static {
    /// The holders' balances in the order asked; a holder with no entry yet has its opening
    /// balance (zero, version 0).
    async fn balances(&self, holders: &[Holder]) -> Result<Vec<Balance>, StoreError>;
    /// Writes each balance as decided, if its stored version is still the one it was read at
    /// (else `Stale(Row::Balance)` and nothing is written), appends the entries, writes the
    /// partner's new state when one is given (version-checked too: a payment that ends its
    /// restriction), the invoice and the audit events, in one transaction. Balances are locked
    /// in key order.
    async fn post_entries(&self, write: &LedgerWrite<'_>) -> Result<(), StoreError>;
    /// A page of the partner's invoices issued in `[from, to]`, newest first, and their count.
    async fn invoices(
        &self,
        partner: &PartnerId,
        from: Timestamp,
        to: Timestamp,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<Invoice>, u64), StoreError>;
    /// A page of the holder's entries and the count of all that match.
    async fn ledger(&self, holder: &Holder, query: &LedgerQuery) -> Result<(Vec<EntryView>, u64), StoreError>;
}
