use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::stored_value::{CardEntry, StoredValueCard};
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Money};

use super::*;

/// Which stored-value cards to read, newest first: every filter given must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardQuery {
    pub customer: Option<AccountId>,
    pub card: Option<String>,
    /// `Some(true)`: those with money left; `Some(false)`: those at 0.
    pub with_balance: Option<bool>,
    pub offset: u32,
    /// `None`: all.
    pub limit: Option<u32>,
}

/// What a card paid of one line of an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardLinePayment {
    pub order_id: String,
    pub line_id: String,
    pub card_id: String,
    pub amount: Money,
}

/// The sum of a card's entries naming one order: what it paid for the order less what came
/// back to it, negated (−paid + refunded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardOrderSum {
    pub order_id: String,
    pub card_id: String,
    pub sum: Money,
}

/// The stored-value card room (B2.5.8, B1.6.4 type 303): cards, their append-only entries, and
/// what a card paid of an order's lines (written with the order's settlement,
/// [`Settlement::card`]).
#[async_trait]
pub trait StoredValueCards: Send + Sync + 'static {
    /// Stores a new card with its issue entry and audit.
    async fn insert_stored_value_card(
        &self,
        card: &StoredValueCard,
        entry: &CardEntry,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// The cards the query selects, newest first, with the count of all that match.
    async fn stored_value_cards(&self, query: &CardQuery) -> Result<(Vec<StoredValueCard>, u64), StoreError>;
    /// A card's entries, oldest first.
    async fn stored_value_card_entries(&self, card: &str) -> Result<Vec<CardEntry>, StoreError>;
    /// What cards paid of the lines of `orders`.
    async fn card_line_payments(&self, orders: &[String]) -> Result<Vec<CardLinePayment>, StoreError>;
    /// The sum of the card entries naming each of `orders`, per order and card.
    async fn card_order_sums(&self, orders: &[String]) -> Result<Vec<CardOrderSum>, StoreError>;
    /// What cards paid of `customer`'s charges of `cycle`, per service type the orders are
    /// billed under and sign (payments above 0, refunds back to cards below 0).
    async fn card_cycle_sums(&self, customer: &AccountId, cycle: Cycle) -> Result<Vec<(String, Money)>, StoreError>;
}
