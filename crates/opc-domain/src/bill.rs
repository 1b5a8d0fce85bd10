//! Partner bills and customer bills (R-BILL-01 … R-BILL-15): closing a billing month, what is
//! owed across months, and when the bill run must close a month.
//!
//! A month is closed from rated amounts at list price ([`Rated`]), aggregated by the store per
//! customer × service type × billing mode × charge kind. Two bills come out of them:
//!
//! - the partner's ([`partner_bill`]): its reseller customers' usage at the settlement price,
//!   list price less the partner's settlement discount (R-BILL-01), referral customers excluded
//!   (R-BILL-03), every amount and the total to 8 decimals (R-BILL-04, R-BILL-11), output tax
//!   shown apart;
//! - the customer's ([`customer_bill`]): its own usage at list price, pre-tax, the monthly total
//!   rounded to the cent (R-BILL-12), saying who pays it: the reseller partner (R-RCM-07) or the
//!   customer itself (R-BILL-03).
//!
//! What is owed across months, and how a payment or the partner's balance settles it, is in
//! [`BillBalance`], [`amount_due`] and [`settle`]; the bill run's deadline in [`closing_due`].
//!
//! Invariant: no float touches an amount; every sum is checked ([`BillError::OutOfRange`]); the
//! only roundings are a rate's product to 10⁻⁸ and the cent roundings the rules name, each half
//! away from zero.

use std::collections::BTreeMap;

use crate::association::AssociationModel;
use crate::catalog::ChargingMode;
use crate::ids::{AccountId, PartnerId};
use crate::money::{Money, MoneyError};
use crate::usage::Cycle;

mod balance;
mod customer;
mod partner;
mod schedule;

pub use balance::{amount_due, arrears, balance_deduction, settle, AmountDue, BillBalance, Settlement};
pub use customer::{customer_bill, CustomerBill, CustomerBillLine, Payer};
pub use partner::{partner_bill, summaries, CouponUse, PartnerBill, PartnerBillLine, PartnerBillTotals, Summaries};
pub use schedule::{closing_due, cycle_bounds, DEFAULT_CLOSING_DAY, DEFAULT_CLOSING_HOUR};

/// Why a bill cannot be made or settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BillError {
    /// A sum (a line, a total, a summary, a balance) would pass [`Money::MAX`].
    #[error("an amount of the bill would pass the largest amount")]
    OutOfRange,
    #[error("a payment cannot be negative")]
    NegativePayment,
    #[error("{} is not a billing cycle (yyyymm, 1970 to 9999)", .0.0)]
    Cycle(Cycle),
    #[error("the closing day must be 1 to 31 and the hour 0 to 23")]
    ClosingTime,
}

/// Checked sum for bills: a [`MoneyError`] from arithmetic is always a range error.
fn add(a: Money, b: Money) -> Result<Money, BillError> {
    a.checked_add(b).map_err(|_| BillError::OutOfRange)
}

fn sub(a: Money, b: Money) -> Result<Money, BillError> {
    a.checked_sub(b).map_err(|_| BillError::OutOfRange)
}

/// Why a rate's text is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    #[error("the rate is not a decimal fraction such as 0.15")]
    Malformed,
    #[error("the rate has more than {max} decimal places")]
    TooPrecise { max: u32 },
    #[error("the rate must be between 0 and 1")]
    OutOfRange,
}

/// A fraction in basis points (1/10000), from 0 to 1: the shared core of [`Discount`] and
/// [`TaxRate`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
struct BasisPoints(u32);

impl BasisPoints {
    const ONE: u32 = 10_000;
    const DECIMALS: u32 = 4;

    fn new(bp: u32) -> Result<BasisPoints, RateError> {
        if bp > Self::ONE {
            return Err(RateError::OutOfRange);
        }
        Ok(BasisPoints(bp))
    }

    /// `"0.15"` is 1500: a decimal fraction from 0 to 1 with at most 4 significant decimals
    /// (trailing zeros are allowed, as for [`Money::parse`]). No sign, no percent, no exponent.
    fn parse(text: &str) -> Result<BasisPoints, RateError> {
        if text.starts_with('-') {
            return Err(RateError::OutOfRange);
        }
        let money = Money::parse_with_scale(text, Self::DECIMALS).map_err(|e| match e {
            MoneyError::OutOfRange => RateError::OutOfRange,
            MoneyError::TooPrecise { max } => RateError::TooPrecise { max },
            MoneyError::Malformed => RateError::Malformed,
        })?;
        let bp = money.e8() / (Money::SCALE / i64::from(Self::ONE));
        BasisPoints::new(u32::try_from(bp).map_err(|_| RateError::OutOfRange)?)
    }

    /// `amount × bp / 10000`, rounded half away from zero to 10⁻⁸: a negative amount gives the
    /// opposite of what its absolute value gives.
    fn of(self, amount: Money) -> Result<Money, MoneyError> {
        let product = i128::from(amount.e8()) * i128::from(self.0);
        let one = i128::from(Self::ONE);
        let (quotient, rem) = (product / one, product % one);
        let rounded = if rem.abs() * 2 >= one { quotient + rem.signum() } else { quotient };
        Money::from_e8(i64::try_from(rounded).map_err(|_| MoneyError::OutOfRange)?)
    }

    /// `"0.15"`, `"1"`, `"0.0001"`: the shortest exact decimal fraction, which parses back.
    fn fraction_text(self) -> String {
        let (whole, part) = (self.0 / Self::ONE, self.0 % Self::ONE);
        let part = format!("{part:04}");
        let part = part.trim_end_matches('0');
        if part.is_empty() {
            whole.to_string()
        } else {
            format!("{whole}.{part}")
        }
    }

    /// `"15%"`, `"12.5%"`, `"0.01%"`, `"100%"`.
    fn percent_text(self) -> String {
        let (whole, hundredths) = (self.0 / 100, self.0 % 100);
        match hundredths {
            0 => format!("{whole}%"),
            h if h % 10 == 0 => format!("{whole}.{}%", h / 10),
            h => format!("{whole}.{h:02}%"),
        }
    }
}

/// A settlement discount off list price, as a fraction in basis points (0 to 10000; 1500 is
/// 15 % off). R-BILL-01: the partner owes its reseller customers' usage at the settlement
/// price, list price less this discount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Discount(BasisPoints);

impl Discount {
    /// No discount: the list price.
    pub const ZERO: Discount = Discount(BasisPoints(0));

    pub fn from_basis_points(bp: u32) -> Result<Discount, RateError> {
        BasisPoints::new(bp).map(Discount)
    }

    /// `"0.15"` is 15 % off: a decimal fraction from 0 to 1 with at most 4 decimals.
    pub fn parse(text: &str) -> Result<Discount, RateError> {
        BasisPoints::parse(text).map(Discount)
    }

    pub fn basis_points(self) -> u32 {
        self.0 .0
    }

    /// The fraction as [`Discount::parse`] reads it: `"0.15"`.
    pub fn fraction_text(self) -> String {
        self.0.fraction_text()
    }

    /// For people: `"15%"`.
    pub fn percent_text(self) -> String {
        self.0.percent_text()
    }

    /// The discount amount on `official` (a list-price amount): `official × bp / 10000`,
    /// rounded half away from zero to 10⁻⁸. A refund's negative amount gives a negative
    /// discount, symmetrically, so that the discount a refund takes back is the one charged.
    pub fn off(self, official: Money) -> Result<Money, MoneyError> {
        self.0.of(official)
    }
}

/// An output-tax rate in basis points (0 to 10000; 600 is 6 %). Tax on a bill is shown apart
/// and is never part of its amount due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TaxRate(BasisPoints);

impl TaxRate {
    pub const ZERO: TaxRate = TaxRate(BasisPoints(0));

    pub fn from_basis_points(bp: u32) -> Result<TaxRate, RateError> {
        BasisPoints::new(bp).map(TaxRate)
    }

    /// `"0.06"` is 6 %: a decimal fraction from 0 to 1 with at most 4 decimals.
    pub fn parse(text: &str) -> Result<TaxRate, RateError> {
        BasisPoints::parse(text).map(TaxRate)
    }

    pub fn basis_points(self) -> u32 {
        self.0 .0
    }

    pub fn fraction_text(self) -> String {
        self.0.fraction_text()
    }

    pub fn percent_text(self) -> String {
        self.0.percent_text()
    }

    /// The tax on `amount`, rounded half away from zero to 10⁻⁸ (negative for a negative amount).
    pub fn tax_on(self, amount: Money) -> Result<Money, MoneyError> {
        self.0.of(amount)
    }

    /// The tax a tax-inclusive `gross` amount holds: gross × rate / (1 + rate), rounded half
    /// away from zero to 10⁻⁸ (an invoice for money received shows it apart).
    pub fn included_in(self, gross: Money) -> Result<Money, MoneyError> {
        let product = i128::from(gross.e8()) * i128::from(self.0 .0);
        let whole = i128::from(BasisPoints::ONE) + i128::from(self.0 .0);
        let (quotient, rem) = (product / whole, product % whole);
        let rounded = if rem.abs() * 2 >= whole { quotient + rem.signum() } else { quotient };
        Money::from_e8(i64::try_from(rounded).map_err(|_| MoneyError::OutOfRange)?)
    }
}

/// A partner's settlement discounts for the months a term set applies to: a default and
/// overrides per service type (`hws.service.type.ebs`, …).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SettlementTerms {
    pub default: Discount,
    pub by_service_type: BTreeMap<String, Discount>,
}

impl SettlementTerms {
    /// The same discount for every service type.
    pub fn flat(default: Discount) -> SettlementTerms {
        SettlementTerms { default, by_service_type: BTreeMap::new() }
    }

    /// These terms with `discount` for `service_type` (replacing an earlier override).
    pub fn with(mut self, service_type: &str, discount: Discount) -> SettlementTerms {
        self.by_service_type.insert(service_type.to_owned(), discount);
        self
    }

    /// R-BILL-01: the discount off list price for `service_type`: its override, or the default.
    pub fn discount_for(&self, service_type: &str) -> Discount {
        self.by_service_type.get(service_type).copied().unwrap_or(self.default)
    }
}

/// A partner's settlement terms over time: each term set applies from a month until the next
/// one's. Before the first, the partner settles at list price (no discount).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SettlementSchedule {
    terms: BTreeMap<Cycle, SettlementTerms>,
}

impl SettlementSchedule {
    pub fn new() -> SettlementSchedule {
        SettlementSchedule::default()
    }

    /// `terms` apply from `from` on; returns the term set they replace from that same month.
    pub fn set(&mut self, from: Cycle, terms: SettlementTerms) -> Option<SettlementTerms> {
        self.terms.insert(from, terms)
    }

    /// The term set that applies in `cycle`: the latest whose month is not after it.
    pub fn terms_for(&self, cycle: Cycle) -> Option<&SettlementTerms> {
        self.terms.range(..=cycle).next_back().map(|(_, terms)| terms)
    }

    /// R-BILL-01: the discount for `service_type` in `cycle`; [`Discount::ZERO`] (list price)
    /// when no terms apply yet.
    pub fn discount_for(&self, cycle: Cycle, service_type: &str) -> Discount {
        self.terms_for(cycle).map_or(Discount::ZERO, |terms| terms.discount_for(service_type))
    }

    /// Every term set with the month it applies from, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = (Cycle, &SettlementTerms)> {
        self.terms.iter().map(|(from, terms)| (*from, terms))
    }
}

impl FromIterator<(Cycle, SettlementTerms)> for SettlementSchedule {
    /// A later entry from the same month replaces an earlier one, as [`SettlementSchedule::set`].
    fn from_iter<I: IntoIterator<Item = (Cycle, SettlementTerms)>>(entries: I) -> SettlementSchedule {
        SettlementSchedule { terms: entries.into_iter().collect() }
    }
}

/// R-BILL-15: what a charge is, as expenditure-detail bill types say: "Expenditure",
/// "Refund - unsubscription", or an adjustment the operator makes. (A record's tax part,
/// "Expenditure - tax" or "Refund - tax", is not a charge here: tax is computed on the bill.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChargeKind {
    Expenditure,
    /// Normally negative: an unsubscription's or downgrade's refund.
    Refund,
    Adjustment,
}

/// One amount at list price, as the store aggregates a month's rated records: per customer ×
/// service type × billing mode (pay-per-use or yearly/monthly) × charge kind. A refund's
/// amount is negative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rated {
    pub customer: AccountId,
    /// The customer's partner and association model when the amount was rated, if any.
    pub partner: Option<(PartnerId, AssociationModel)>,
    pub service_type: String,
    pub mode: ChargingMode,
    pub kind: ChargeKind,
    pub official: Money,
}

/// R-DIST-02: the partner a reseller's partner bill is issued to. A distributor's reseller
/// resells through it: the reseller's customers' usage is owed to the operator by the
/// distributor, so its bill names the distributor as the billed party. A reseller without a
/// distributor is billed itself.
pub fn payer_of(reseller: &PartnerId, distributor: Option<&PartnerId>) -> PartnerId {
    distributor.unwrap_or(reseller).clone()
}

#[cfg(test)]
mod tests;
