//! A customer's monthly bill (R-BILL-12), and who pays it (R-BILL-03, R-RCM-07).

use std::collections::BTreeMap;

use super::{add, BillError, ChargeKind, Rated};
use crate::association::AssociationModel;
use crate::catalog::ChargingMode;
use crate::ids::{AccountId, PartnerId};
use crate::money::Money;
use crate::usage::Cycle;

/// Who pays a customer's bill.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Payer {
    /// R-BILL-03: a referral customer, or one without a partner, pays its own bill.
    Customer,
    /// R-RCM-07: a reseller customer's usage is paid by its partner (the reseller; with a
    /// distributor, the distributor pays the operator, see [`super::payer_of`]). The customer
    /// has no outstanding amount.
    Partner(PartnerId),
}

impl Payer {
    /// Who pays an amount rated under `partner` (its partner and model then, if any): the
    /// reseller partner for its reseller customer (R-RCM-07), else the customer (R-BILL-03).
    pub fn of(partner: Option<&(PartnerId, AssociationModel)>) -> Payer {
        match partner {
            Some((partner, AssociationModel::Reseller)) => Payer::Partner(partner.clone()),
            Some((_, AssociationModel::Referral)) | None => Payer::Customer,
        }
    }
}

/// One line of a customer bill: an amount at list price per service type, billing mode and
/// charge kind, to 8 decimals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerBillLine {
    pub service_type: String,
    pub mode: ChargingMode,
    pub kind: ChargeKind,
    pub official: Money,
}

/// A customer's bill for one month and one payer, at list price: the settlement discount is
/// between the partner and the operator and never shows here. Built only by [`customer_bill`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerBill {
    customer: AccountId,
    cycle: Cycle,
    payer: Payer,
    lines: Vec<CustomerBillLine>,
    total: Money,
    total_rounded: Money,
}

impl CustomerBill {
    pub fn customer(&self) -> &AccountId {
        &self.customer
    }

    pub fn cycle(&self) -> Cycle {
        self.cycle
    }

    pub fn payer(&self) -> &Payer {
        &self.payer
    }

    /// Ordered by service type, billing mode and charge kind; one per such key.
    pub fn lines(&self) -> &[CustomerBillLine] {
        &self.lines
    }

    /// The exact total, pre-tax, to 8 decimals.
    pub fn total(&self) -> Money {
        self.total
    }

    /// R-BILL-12: the monthly total, pre-tax, rounded half away from zero to the cent.
    pub fn total_rounded(&self) -> Money {
        self.total_rounded
    }

    /// What the customer itself owes for the bill: its rounded total when it pays its own bill,
    /// nothing when its partner does (R-RCM-07).
    pub fn customer_owes(&self) -> Money {
        match self.payer {
            Payer::Customer => self.total_rounded,
            Payer::Partner(_) => Money::ZERO,
        }
    }
}

/// The bills of `customer` for month `cycle`, from its amounts in `rated` (others' are
/// skipped): one bill per payer, usually one. A customer that changed partner or model within
/// the month gets one for each ([`Payer`] order: its own first, then by partner). Amounts of
/// the same service type, billing mode and charge kind make one line. No amounts, no bill.
pub fn customer_bill(
    customer: &AccountId,
    cycle: Cycle,
    rated: impl IntoIterator<Item = Rated>,
) -> Result<Vec<CustomerBill>, BillError> {
    let mut official: BTreeMap<(Payer, String, ChargingMode, ChargeKind), Money> = BTreeMap::new();
    for r in rated {
        if &r.customer != customer {
            continue;
        }
        let payer = Payer::of(r.partner.as_ref());
        let sum = official.entry((payer, r.service_type, r.mode, r.kind)).or_insert(Money::ZERO);
        *sum = add(*sum, r.official)?;
    }
    let mut bills: Vec<CustomerBill> = Vec::new();
    for ((payer, service_type, mode, kind), official) in official {
        let line = CustomerBillLine { service_type, mode, kind, official };
        match bills.last_mut() {
            Some(bill) if bill.payer == payer => {
                bill.total = add(bill.total, official)?;
                bill.lines.push(line);
            }
            _ => bills.push(CustomerBill {
                customer: customer.clone(),
                cycle,
                payer,
                lines: vec![line],
                total: official,
                total_rounded: Money::ZERO,
            }),
        }
    }
    for bill in &mut bills {
        bill.total_rounded = bill.total.round_to_cents();
    }
    Ok(bills)
}
