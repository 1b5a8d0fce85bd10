use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::bill::{
    BillBalance, CustomerBill, PartnerBill, PartnerBillTotals, Payer, Rated, SettlementSchedule, SettlementTerms,
    TaxRate,
};
use opc_domain::catalog::ChargingMode;
use opc_domain::cost::CostKind;
use opc_domain::coupon::{Coupon, CouponEntry};
use opc_domain::funds::{Balance, Entry};
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Money, PartnerId, Timestamp};

use super::*;

/// Where a bill run stands: closing customers' bills, then partners' bills, then done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunPhase {
    Customers,
    Partners,
    Done,
}

impl RunPhase {
    pub const ALL: [RunPhase; 3] = [RunPhase::Customers, RunPhase::Partners, RunPhase::Done];
}

/// A month's bill run as stored: its phase and the last customer or partner id it closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillRun {
    pub cycle: Cycle,
    pub phase: RunPhase,
    pub cursor: String,
    pub customers_done: u64,
    pub partners_done: u64,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    pub lease_owner: Option<String>,
    pub lease_until: Option<Timestamp>,
}

/// One step of a run, written with what it closed: the run's new phase and cursor, how many
/// it closed, and the lease it holds (the write is refused if another owner took the run).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunStep {
    pub cycle: Cycle,
    pub owner: String,
    pub phase: RunPhase,
    pub cursor: String,
    pub closed: u64,
    pub lease_until: Timestamp,
    pub at: Timestamp,
}

/// A stored partner bill's header (B1.8.6) and what has been paid of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerBillRecord {
    pub partner: PartnerId,
    pub cycle: Cycle,
    pub billed_to: PartnerId,
    pub totals: PartnerBillTotals,
    pub paid: Money,
    pub due_at: Timestamp,
    pub issued_at: Timestamp,
}

impl PartnerBillRecord {
    /// What the domain weighs of it: its amount due less its coupons (R-CPN-03), what is paid,
    /// when it falls due.
    pub fn balance(&self) -> BillBalance {
        BillBalance { cycle: self.cycle, amount_due: self.totals.to_pay(), paid: self.paid, due_at: self.due_at }
    }

    /// What it still owes (never below zero: R-BILL-03).
    pub fn unpaid(&self) -> Money {
        self.balance().unpaid().unwrap_or(Money::ZERO)
    }
}

/// A stored line of a customer's monthly bill.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerBillLineRecord {
    pub service_type: String,
    pub mode: ChargingMode,
    pub kind: opc_domain::bill::ChargeKind,
    pub official: Money,
}

/// A stored customer monthly bill with its lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerBillRecord {
    pub customer: AccountId,
    pub account_name: String,
    pub cycle: Cycle,
    pub payer: Payer,
    pub total: Money,
    pub total_rounded: Money,
    pub lines: Vec<CustomerBillLineRecord>,
}

/// What closing one partner's month writes (see [`Bills::write_partner_bill`]).
#[derive(Clone, Copy, Debug)]
pub struct PartnerBillWrite<'a> {
    pub step: &'a RunStep,
    pub bill: &'a PartnerBill,
    /// Who the bill is issued to: the partner, or its distributor (R-DIST-02).
    pub billed_to: &'a PartnerId,
    pub due_at: Timestamp,
    /// The payer's balance as decided and the entry taking what it covers of the bill.
    pub deduction: Option<(&'a Balance, &'a Entry)>,
    /// R-CPN-03: the partner's coupons as the deduction left them (version-checked) and their
    /// entries.
    pub coupons: &'a [Coupon],
    pub coupon_entries: &'a [CouponEntry],
    /// R-CPN-02: the holds the bill paid (each ended only if it was still held).
    pub holds: &'a [opc_domain::coupon::OrderHold],
}

/// Filters of the customer bills a partner pays (`list_subcustomer_monthly_bills`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerBillQuery {
    pub customer: Option<AccountId>,
    pub offset: u32,
    pub limit: u32,
}

/// Filters and page of `list_customer_bills_fee_records`: a customer's transaction records of
/// a cycle. `None`: no filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeeQuery {
    pub cycle: Cycle,
    pub service_type: Option<String>,
    pub resource_type: Option<String>,
    pub region: Option<String>,
    /// A record's trade id: an order's id, or a usage record's id.
    pub trade_id: Option<String>,
    /// The kinds kept (an empty list keeps none).
    pub kinds: Option<Vec<CostKind>>,
    /// Usage that ended, or charges made, from the first instant to the second, excluded.
    pub between: Option<(Timestamp, Timestamp)>,
    /// Leaves out records of amount 0.
    pub non_zero: bool,
    /// Keeps the records paid by these payers (`true`), or by any other (`false`).
    pub payers: Option<(bool, Vec<Payer>)>,
    pub offset: u32,
    pub limit: u32,
}

/// One transaction record of a customer: a usage record (a resource's usage type in an hour)
/// or a charged order's line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeeRecord {
    /// The usage record's id, or the order line's.
    pub id: String,
    pub kind: CostKind,
    /// The order's id (a yearly/monthly record).
    pub order_id: Option<String>,
    pub service_type: String,
    pub resource_type: String,
    pub region: String,
    pub resource_id: String,
    pub spec: String,
    pub partner: Option<(PartnerId, opc_domain::association::AssociationModel)>,
    pub amount: Money,
    /// When the usage began, or the charge was made.
    pub began_at: Timestamp,
    /// When the usage ended, or the charge was made.
    pub at: Timestamp,
}

#[async_trait]
pub trait Bills: Send + Sync + 'static {
    /// The partner's settlement terms by the month each applies from (R-BILL-01).
    async fn settlement_schedule(&self, partner: &PartnerId) -> Result<SettlementSchedule, StoreError>;
    /// Stores `terms` as the partner's from `from` on, replacing a set from that month.
    async fn set_settlement_terms(
        &self,
        partner: &PartnerId,
        from: Cycle,
        terms: &SettlementTerms,
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// The output tax rate of a country (none set: zero).
    async fn tax_rate(&self, country: &str) -> Result<TaxRate, StoreError>;
    async fn set_tax_rate(&self, country: &str, rate: TaxRate, audit: &[AuditEvent]) -> Result<(), StoreError>;

    /// Claims the run of `cycle` for `owner` until `until` (creating it at its first phase),
    /// unless it is done or another owner's lease is still live (and `take_over` is false):
    /// then `None`.
    async fn claim_bill_run(
        &self,
        cycle: Cycle,
        owner: &str,
        now: Timestamp,
        until: Timestamp,
        take_over: bool,
    ) -> Result<Option<BillRun>, StoreError>;
    async fn bill_run(&self, cycle: Cycle) -> Result<Option<BillRun>, StoreError>;
    /// The latest runs, newest cycle first.
    async fn bill_runs(&self, limit: u32) -> Result<Vec<BillRun>, StoreError>;
    /// Moves the run on without closing anything (a phase with nothing left, or done).
    async fn advance_bill_run(&self, step: &RunStep) -> Result<(), StoreError>;

    /// The customers with spend in `cycle` whose id sorts after `after`, by id, at most `limit`.
    async fn customers_to_bill(&self, cycle: Cycle, after: &str, limit: u32) -> Result<Vec<AccountId>, StoreError>;
    /// Those customers' spend in `cycle` at list price, summed per customer, partner and model,
    /// service type and billing mode (refunds and charges by their sign).
    async fn rated(&self, cycle: Cycle, customers: &[AccountId]) -> Result<Vec<Rated>, StoreError>;
    /// [`Bills::rated`] for the customers whose id sorts after `after` and up to `through`: the
    /// bill run's step, one range read.
    async fn rated_between(&self, cycle: Cycle, after: &str, through: &str) -> Result<Vec<Rated>, StoreError>;
    /// Writes the customers' bills and the run's step, in one transaction.
    async fn write_customer_bills(&self, step: &RunStep, bills: &[CustomerBill]) -> Result<(), StoreError>;
    /// The partners paying customer bills of `cycle` whose id sorts after `after`.
    async fn partners_to_bill(&self, cycle: Cycle, after: &str, limit: u32) -> Result<Vec<PartnerId>, StoreError>;
    /// Every customer ever associated with the partner, by id (the estimate's customers).
    async fn customers_ever_of(&self, partner: &PartnerId) -> Result<Vec<AccountId>, StoreError>;
    /// The lines of the customer bills the partner pays in `cycle`, as rated input of its bill.
    async fn partner_rated(&self, partner: &PartnerId, cycle: Cycle) -> Result<Vec<Rated>, StoreError>;
    /// Writes the partner's bill (issued to `billed_to`, due at `due_at`), the coupons deducted
    /// from it, the deduction of what is left from the payer's balance (the balance as decided,
    /// version-checked, and the entry naming the bill) and the run's step, in one transaction.
    async fn write_partner_bill(&self, write: &PartnerBillWrite<'_>) -> Result<(), StoreError>;

    async fn partner_bill(&self, partner: &PartnerId, cycle: Cycle) -> Result<Option<PartnerBillRecord>, StoreError>;
    /// The lines of a partner's bill, by customer, service type, mode and kind.
    async fn partner_bill_lines(
        &self,
        partner: &PartnerId,
        cycle: Cycle,
    ) -> Result<Vec<opc_domain::bill::PartnerBillLine>, StoreError>;
    /// The partner's own bills (its customers' spend), newest cycle first.
    async fn partner_bills_of(&self, partner: &PartnerId) -> Result<Vec<PartnerBillRecord>, StoreError>;
    /// Every bill not fully paid, by payer and cycle (the operator's amounts due and arrears).
    async fn unpaid_partner_bills(&self) -> Result<Vec<PartnerBillRecord>, StoreError>;
    /// The bills issued to `billed_to`, oldest cycle first.
    async fn bills_to(&self, billed_to: &PartnerId) -> Result<Vec<PartnerBillRecord>, StoreError>;
    /// A customer's latest monthly bills, newest first.
    async fn customer_bills_of(&self, customer: &AccountId, limit: u32) -> Result<Vec<CustomerBillRecord>, StoreError>;
    /// The customer's transaction records of a cycle (usage and charged order lines), newest
    /// first, filtered, with the count of all that match.
    async fn fee_records(&self, customer: &AccountId, query: &FeeQuery) -> Result<(Vec<FeeRecord>, u64), StoreError>;
    /// A customer's monthly bills of `cycle`.
    async fn customer_bills(&self, customer: &AccountId, cycle: Cycle) -> Result<Vec<CustomerBillRecord>, StoreError>;
    /// The customer bills `payer` pays in `cycle` (`Payer::Partner`), with the count.
    async fn customer_bills_paid_by(
        &self,
        payer: &PartnerId,
        cycle: Cycle,
        query: &CustomerBillQuery,
    ) -> Result<(Vec<CustomerBillRecord>, u64), StoreError>;
}
