//! The funds rows as stored (balances, ledger entries) and their codes.

use opc_domain::bill::TaxRate;
use opc_domain::funds::{Balance, BillRef, Entry, EntryKind, Holder, Invoice};
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, PartnerId, Timestamp};

use crate::codes::Code;
use crate::rows::{decode_error, money};

impl Code for EntryKind {
    const ALL: &'static [Self] = &EntryKind::ALL;

    fn code(self) -> &'static str {
        match self {
            EntryKind::Payment => "payment",
            EntryKind::Adjustment => "adjustment",
            EntryKind::BillDeduction => "bill_deduction",
            EntryKind::Allocation => "allocation",
            EntryKind::Reclaim => "reclaim",
            EntryKind::Unbind => "unbind",
        }
    }
}

/// A holder as its two stored columns: `holder_kind` (`partner` or `customer`) and its id.
pub(crate) fn holder_columns(holder: &Holder) -> (&'static str, &str) {
    match holder {
        Holder::Partner(id) => ("partner", id.as_str()),
        Holder::Customer(id) => ("customer", id.as_str()),
    }
}

pub(crate) fn holder(kind: &str, id: &str) -> Result<Holder, sqlx::Error> {
    match kind {
        "partner" => Ok(Holder::Partner(PartnerId::parse(id).map_err(|e| decode_error("partner id", e))?)),
        "customer" => Ok(Holder::Customer(AccountId::parse(id).map_err(|e| decode_error("customer id", e))?)),
        other => Err(decode_error("holder kind", other)),
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct BalanceRow {
    pub holder_kind: String,
    pub holder_id: String,
    pub amount_e8: i64,
    pub version: i64,
}

impl TryFrom<BalanceRow> for Balance {
    type Error = sqlx::Error;

    fn try_from(r: BalanceRow) -> Result<Balance, sqlx::Error> {
        Ok(Balance::from_stored(holder(&r.holder_kind, &r.holder_id)?, money("balance", r.amount_e8)?, r.version))
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct EntryRow {
    pub id: String,
    pub holder_kind: String,
    pub holder_id: String,
    pub kind: String,
    pub amount_e8: i64,
    pub balance_after_e8: i64,
    pub transfer_id: String,
    pub counterpart_kind: Option<String>,
    pub counterpart_id: Option<String>,
    pub at_ms: i64,
    pub memo: String,
    pub bill_partner_id: Option<String>,
    pub bill_cycle: Option<i64>,
    pub counterpart_name: Option<String>,
}

impl EntryRow {
    pub(crate) fn into_entry(self) -> Result<(Entry, Option<String>), sqlx::Error> {
        let counterpart = match (self.counterpart_kind.as_deref(), self.counterpart_id.as_deref()) {
            (Some(kind), Some(id)) => Some(holder(kind, id)?),
            _ => None,
        };
        let entry = Entry {
            id: self.id,
            holder: holder(&self.holder_kind, &self.holder_id)?,
            kind: Code::from_code(&self.kind)?,
            amount: money("ledger amount", self.amount_e8)?,
            balance_after: money("balance after", self.balance_after_e8)?,
            transfer: self.transfer_id,
            counterpart,
            bill: match (self.bill_partner_id, self.bill_cycle) {
                (Some(partner), Some(cycle)) => Some(BillRef {
                    partner: PartnerId::parse(&partner).map_err(|e| decode_error("bill partner id", e))?,
                    cycle: Cycle(cycle),
                }),
                _ => None,
            },
            at: Timestamp::from_unix_ms(self.at_ms),
            memo: self.memo,
        };
        Ok((entry, self.counterpart_name))
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct InvoiceRow {
    pub id: String,
    pub number: String,
    pub partner_id: String,
    pub entry_id: String,
    pub amount_e8: i64,
    pub tax_rate_bp: i64,
    pub tax_e8: i64,
    pub issued_at_ms: i64,
}

impl InvoiceRow {
    pub(crate) fn into_invoice(self) -> Result<Invoice, sqlx::Error> {
        let rate = u32::try_from(self.tax_rate_bp)
            .ok()
            .and_then(|bp| TaxRate::from_basis_points(bp).ok())
            .ok_or_else(|| decode_error("tax rate", self.tax_rate_bp))?;
        Ok(Invoice {
            id: self.id,
            number: self.number,
            partner: PartnerId::parse(&self.partner_id).map_err(|e| decode_error("partner id", e))?,
            entry: self.entry_id,
            amount: money("invoice amount", self.amount_e8)?,
            tax_rate: rate,
            tax: money("invoice tax", self.tax_e8)?,
            issued_at: Timestamp::from_unix_ms(self.issued_at_ms),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::tests::check;

    #[test]
    fn entry_kinds_and_holders_round_trip() {
        check::<EntryKind>();
        let partner = Holder::Partner(PartnerId::parse("p1").unwrap());
        let customer = Holder::Customer(AccountId::parse("c1").unwrap());
        for h in [partner, customer] {
            let (kind, id) = holder_columns(&h);
            assert_eq!(holder(kind, id).unwrap(), h);
        }
        assert!(holder("staff", "x").is_err());
    }
}
