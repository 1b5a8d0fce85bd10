//! The stored-value card rows as stored, and their codes.

use opc_domain::stored_value::{CardEntry, CardEntryKind, StoredValueCard};
use opc_domain::{AccountId, OrderId, Timestamp};

use crate::codes::Code;
use crate::rows::{decode_error, money};

impl Code for CardEntryKind {
    const ALL: &'static [Self] = &CardEntryKind::ALL;

    fn code(self) -> &'static str {
        match self {
            CardEntryKind::Issue => "issue",
            CardEntryKind::Pay => "pay",
            CardEntryKind::Refund => "refund",
        }
    }
}

pub(crate) const CARD_COLUMNS: &str = "id, customer_id, name, face_value_e8, balance_e8, valid_from_ms, valid_to_ms, \
     created_at_ms, version";

pub(crate) const ENTRY_COLUMNS: &str = "id, card_id, kind, amount_e8, balance_after_e8, order_id, at_ms";

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct CardRow {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    pub face_value_e8: i64,
    pub balance_e8: i64,
    pub valid_from_ms: i64,
    pub valid_to_ms: i64,
    pub created_at_ms: i64,
    pub version: i64,
}

impl TryFrom<CardRow> for StoredValueCard {
    type Error = sqlx::Error;

    fn try_from(r: CardRow) -> Result<StoredValueCard, sqlx::Error> {
        Ok(StoredValueCard::from_stored(
            r.id,
            r.name,
            AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
            money("face value", r.face_value_e8)?,
            money("balance", r.balance_e8)?,
            (Timestamp::from_unix_ms(r.valid_from_ms), Timestamp::from_unix_ms(r.valid_to_ms)),
            Timestamp::from_unix_ms(r.created_at_ms),
            r.version,
        ))
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct EntryRow {
    pub id: String,
    pub card_id: String,
    pub kind: String,
    pub amount_e8: i64,
    pub balance_after_e8: i64,
    pub order_id: Option<String>,
    pub at_ms: i64,
}

impl TryFrom<EntryRow> for CardEntry {
    type Error = sqlx::Error;

    fn try_from(r: EntryRow) -> Result<CardEntry, sqlx::Error> {
        Ok(CardEntry {
            id: r.id,
            card: r.card_id,
            kind: CardEntryKind::from_code(&r.kind)?,
            amount: money("entry amount", r.amount_e8)?,
            balance_after: money("balance after", r.balance_after_e8)?,
            order: r.order_id.map(|o| OrderId::parse(&o)).transpose().map_err(|e| decode_error("order id", e))?,
            at: Timestamp::from_unix_ms(r.at_ms),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::tests::check;

    #[test]
    fn card_entry_kinds_round_trip() {
        check::<CardEntryKind>();
    }
}
