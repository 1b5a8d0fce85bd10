//! The bills rows as stored and their codes.

use opc_core::store::{BillRun, CustomerBillLineRecord, PartnerBillRecord, RunPhase};
use opc_domain::bill::{ChargeKind, CouponUse, CustomerBillLine, PartnerBillTotals, Payer};
use opc_domain::catalog::ChargingMode;
use opc_domain::usage::Cycle;
use opc_domain::{PartnerId, Timestamp};

use crate::codes::Code;
use crate::rows::{decode_error, money};

impl Code for ChargeKind {
    const ALL: &'static [Self] = &[ChargeKind::Expenditure, ChargeKind::Refund, ChargeKind::Adjustment];

    fn code(self) -> &'static str {
        match self {
            ChargeKind::Expenditure => "expenditure",
            ChargeKind::Refund => "refund",
            ChargeKind::Adjustment => "adjustment",
        }
    }
}

/// A bill line's billing mode.
impl Code for ChargingMode {
    const ALL: &'static [Self] = &[ChargingMode::Period, ChargingMode::OnDemand];

    fn code(self) -> &'static str {
        match self {
            ChargingMode::Period => "period",
            ChargingMode::OnDemand => "on_demand",
        }
    }
}

impl Code for RunPhase {
    const ALL: &'static [Self] = &RunPhase::ALL;

    fn code(self) -> &'static str {
        match self {
            RunPhase::Customers => "customers",
            RunPhase::Partners => "partners",
            RunPhase::Done => "done",
        }
    }
}

/// A customer bill's payer as stored: '' for the customer itself, else the partner's id.
pub(crate) fn payer_id(payer: &Payer) -> &str {
    match payer {
        Payer::Customer => "",
        Payer::Partner(p) => p.as_str(),
    }
}

pub(crate) fn payer(id: &str) -> Result<Payer, sqlx::Error> {
    if id.is_empty() {
        return Ok(Payer::Customer);
    }
    Ok(Payer::Partner(PartnerId::parse(id).map_err(|e| decode_error("payer id", e))?))
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct BillRunRow {
    pub cycle: i64,
    pub phase: String,
    pub cursor: String,
    pub customers_done: i64,
    pub partners_done: i64,
    pub started_at_ms: i64,
    pub finished_at_ms: Option<i64>,
    pub lease_owner: Option<String>,
    pub lease_until_ms: Option<i64>,
}

impl TryFrom<BillRunRow> for BillRun {
    type Error = sqlx::Error;

    fn try_from(r: BillRunRow) -> Result<BillRun, sqlx::Error> {
        Ok(BillRun {
            cycle: Cycle(r.cycle),
            phase: Code::from_code(&r.phase)?,
            cursor: r.cursor,
            customers_done: u64::try_from(r.customers_done).map_err(|e| decode_error("count", e))?,
            partners_done: u64::try_from(r.partners_done).map_err(|e| decode_error("count", e))?,
            started_at: Timestamp::from_unix_ms(r.started_at_ms),
            finished_at: r.finished_at_ms.map(Timestamp::from_unix_ms),
            lease_owner: r.lease_owner,
            lease_until: r.lease_until_ms.map(Timestamp::from_unix_ms),
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct PartnerBillRow {
    pub partner_id: String,
    pub cycle: i64,
    pub billed_to: String,
    pub official_e8: i64,
    pub discount_e8: i64,
    pub consumption_e8: i64,
    pub refunds_e8: i64,
    pub adjustments_e8: i64,
    pub amount_due_e8: i64,
    pub tax_e8: i64,
    pub paid_e8: i64,
    pub due_at_ms: i64,
    pub issued_at_ms: i64,
    pub coupons_e8: i64,
    pub test_coupons_e8: i64,
}

pub(crate) const PARTNER_BILL_COLUMNS: &str =
    "partner_id, cycle, billed_to, official_e8, discount_e8, consumption_e8, \
     refunds_e8, adjustments_e8, amount_due_e8, tax_e8, paid_e8, due_at_ms, issued_at_ms, coupons_e8, test_coupons_e8";

impl TryFrom<PartnerBillRow> for PartnerBillRecord {
    type Error = sqlx::Error;

    fn try_from(r: PartnerBillRow) -> Result<PartnerBillRecord, sqlx::Error> {
        Ok(PartnerBillRecord {
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            cycle: Cycle(r.cycle),
            billed_to: PartnerId::parse(&r.billed_to).map_err(|e| decode_error("partner id", e))?,
            totals: PartnerBillTotals {
                consumption: money("consumption", r.consumption_e8)?,
                refunds: money("refunds", r.refunds_e8)?,
                adjustments: money("adjustments", r.adjustments_e8)?,
                official: money("official amount", r.official_e8)?,
                discount: money("discount", r.discount_e8)?,
                amount_due: money("amount due", r.amount_due_e8)?,
                tax: money("tax", r.tax_e8)?,
                coupons: money("coupons", r.coupons_e8)?,
                test_coupons: money("test coupons", r.test_coupons_e8)?,
            },
            paid: money("paid", r.paid_e8)?,
            due_at: Timestamp::from_unix_ms(r.due_at_ms),
            issued_at: Timestamp::from_unix_ms(r.issued_at_ms),
        })
    }
}

/// A customer bill's lines as its row keeps them (`customer_bills.lines`): a JSON array of
/// `[service type, billing mode, kind, official amount in 10⁻⁸]`, in the bill's order.
pub(crate) fn encode_lines(lines: &[CustomerBillLine]) -> String {
    let lines: Vec<(&str, &str, &str, i64)> =
        lines.iter().map(|l| (l.service_type.as_str(), l.mode.code(), l.kind.code(), l.official.e8())).collect();
    serde_json::to_string(&lines).expect("strings and integers always serialize")
}

/// The lines [`encode_lines`] wrote, ordered by service type, billing mode and kind.
pub(crate) fn decode_lines(text: &str) -> Result<Vec<CustomerBillLineRecord>, sqlx::Error> {
    let lines: Vec<(String, String, String, i64)> =
        serde_json::from_str(text).map_err(|e| decode_error("customer bill lines", e))?;
    let mut lines = lines
        .into_iter()
        .map(|(service_type, mode, kind, official_e8)| {
            Ok(CustomerBillLineRecord {
                service_type,
                mode: Code::from_code(&mode)?,
                kind: Code::from_code(&kind)?,
                official: money("official amount", official_e8)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    lines.sort_by(|a, b| {
        (&a.service_type, a.mode.code(), a.kind.code()).cmp(&(&b.service_type, b.mode.code(), b.kind.code()))
    });
    Ok(lines)
}

/// A bill line's coupon uses as stored: JSON `[[coupon id, e8, test, order id or null], …]`.
pub(crate) fn encode_coupon_uses(uses: &[CouponUse]) -> String {
    let uses: Vec<(&str, i64, bool, Option<&str>)> =
        uses.iter().map(|u| (u.coupon.as_str(), u.amount.e8(), u.test, u.order.as_deref())).collect();
    serde_json::to_string(&uses).expect("strings, integers and booleans always serialize")
}

/// The uses [`encode_coupon_uses`] wrote.
pub(crate) fn decode_coupon_uses(text: &str) -> Result<Vec<CouponUse>, sqlx::Error> {
    let uses: Vec<(String, i64, bool, Option<String>)> =
        serde_json::from_str(text).map_err(|e| decode_error("bill line coupon uses", e))?;
    uses.into_iter()
        .map(|(coupon, e8, test, order)| Ok(CouponUse { coupon, amount: money("coupon use", e8)?, test, order }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::tests::check;

    #[test]
    fn every_bills_code_round_trips() {
        check::<ChargeKind>();
        check::<ChargingMode>();
        check::<RunPhase>();
        let partner = Payer::Partner(PartnerId::parse("p1").unwrap());
        for p in [Payer::Customer, partner] {
            assert_eq!(payer(payer_id(&p)).unwrap(), p);
        }
    }
}
