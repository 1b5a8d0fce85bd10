//! The monthly bill run and what it produces (issue 14; R-BILL-01 … R-BILL-12, R-DIST-02).
//!
//! A run closes month M in two phases, each a series of steps that write what they closed and
//! the run's cursor in one transaction: first every customer with spend in M gets its monthly
//! bills at list price, one per payer (R-BILL-12, R-RCM-07); then every partner that pays
//! customer bills gets its partner bill, those lines at its settlement price (R-BILL-01),
//! issued to whoever pays it (its distributor for a reseller, R-DIST-02), and the amount due is
//! taken from the payer's balance as far as it goes (R-BILL-02). A run is claimed with a lease,
//! so several server processes run it once; killed at any point, the next claim resumes it
//! from its cursor, and a done run changes nothing.
//!
//! The open month's "Bill Estimate" is the same code over the same inputs, without writing.

use std::collections::BTreeMap;

use opc_domain::audit::{Action, Actor};
use opc_domain::bill::{
    self, customer_bill, partner_bill, payer_of, AmountDue, BillBalance, BillError, ChargeKind, CustomerBill,
    PartnerBill, PartnerBillLine, Payer, SettlementTerms, Summaries, TaxRate,
};
use opc_domain::catalog::ChargingMode;
use opc_domain::coupon::{self, BillToPay, Coupon, CouponEntry, HeldOrder, HoldState, OrderHold, Payable};
use opc_domain::funds::{BillRef, Holder, Posting};
use opc_domain::trace::{self, Trace};
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Millis, Money, PartnerId, Timestamp};

use super::admin::audit_event;
use super::auth::Caller;
use super::{random, Context};
use crate::store::{
    BillRun, Constraint, CouponQuery, PartnerBillRecord, PartnerBillWrite, Row, RunPhase, RunStep, StoreError,
};

/// Customers closed per step.
const CUSTOMERS_PER_STEP: u32 = 1_000;
/// Partners listed per read (each is closed in its own step).
const PARTNERS_PER_READ: u32 = 100;
/// How long a claim lasts without a step; each step renews it.
pub const LEASE: Millis = Millis(5 * 60 * 1000);

#[derive(Debug, thiserror::Error)]
pub enum BillOpError {
    #[error("month {0} is not over yet: it is billed once it has ended")]
    NotOver(String),
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error(transparent)]
    Bill(#[from] BillError),
    #[error("no partner {0}")]
    UnknownPartner(String),
    /// Another process took the run over (its lease had run out); this one stops.
    #[error("the bill run was taken over by another process")]
    LeaseLost,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for BillOpError {
    fn from(e: StoreError) -> BillOpError {
        match e {
            StoreError::Conflict { constraint: Constraint::Stale(Row::BillRun) } => BillOpError::LeaseLost,
            other => BillOpError::Store(other),
        }
    }
}

/// A month as the CLI and the APIs name it: `YYYY-MM`.
pub fn parse_month(text: &str) -> Result<Cycle, BillOpError> {
    let invalid = || BillOpError::Invalid { field: "month", reason: "must be a month like 2026-05".into() };
    let (y, m) = text.split_once('-').ok_or_else(invalid)?;
    if y.len() != 4 || m.len() != 2 {
        return Err(invalid());
    }
    let (y, m) = (y.parse::<i64>().map_err(|_| invalid())?, m.parse::<u32>().map_err(|_| invalid())?);
    Cycle::from_year_month(y, m).ok_or_else(invalid)
}

pub fn month_text(cycle: Cycle) -> String {
    format!("{:04}-{:02}", cycle.0 / 100, cycle.0 % 100)
}

/// When a partner bill of `cycle` falls due: the end of the month after it (the month the bill
/// is issued in); unpaid after that, it is in arrears.
pub fn due_at(ctx: &Context, cycle: Cycle) -> Result<Timestamp, BillError> {
    let next = cycle.next().ok_or(BillError::Cycle(cycle))?;
    Ok(bill::cycle_bounds(next, ctx.policy.billing_offset)?.1)
}

/// The month that has just ended at `now` (the last one a run may close).
pub fn last_closed_month(ctx: &Context, now: Timestamp) -> Option<Cycle> {
    Cycle::of(now, ctx.policy.billing_offset).previous()
}

/// Runs (or resumes) the bill run of `cycle` as `owner`, calling `progress` after each step.
/// `None` when the run is done already or another process holds it.
pub async fn run(
    ctx: &Context,
    cycle: Cycle,
    owner: &str,
    progress: impl FnMut(&BillRun) + Send,
) -> Result<Option<BillRun>, BillOpError> {
    run_claimed(ctx, cycle, owner, false, progress).await
}

/// [`run`], taking the run over from another holder whose lease still lasts: for an operator
/// who knows that holder is gone (a killed process). A holder still alive loses its lease: its
/// next step is refused and writes nothing, so no bill is written twice.
pub async fn take_over(
    ctx: &Context,
    cycle: Cycle,
    owner: &str,
    progress: impl FnMut(&BillRun) + Send,
) -> Result<Option<BillRun>, BillOpError> {
    run_claimed(ctx, cycle, owner, true, progress).await
}

async fn run_claimed(
    ctx: &Context,
    cycle: Cycle,
    owner: &str,
    take_over: bool,
    mut progress: impl FnMut(&BillRun) + Send,
) -> Result<Option<BillRun>, BillOpError> {
    let now = ctx.clock.now();
    let (_, end) = bill::cycle_bounds(cycle, ctx.policy.billing_offset)?;
    if now < end {
        return Err(BillOpError::NotOver(month_text(cycle)));
    }
    let Some(mut run) = ctx.store.claim_bill_run(cycle, owner, now, now.plus(LEASE), take_over).await? else {
        return Ok(None);
    };
    tracing::info!(cycle = cycle.0, phase = ?run.phase, cursor = %run.cursor, "Bill run claimed");
    let mut ahead: Option<Option<NextCustomers>> = None;
    loop {
        let now = ctx.clock.now();
        let mut step = RunStep {
            cycle,
            owner: owner.to_owned(),
            phase: run.phase,
            cursor: run.cursor.clone(),
            closed: 0,
            lease_until: now.plus(LEASE),
            at: now,
        };
        match run.phase {
            RunPhase::Customers => {
                let next = match ahead.take() {
                    Some(next) => next,
                    None => next_customers(ctx, cycle, &run.cursor).await?,
                };
                let Some(next) = next else {
                    step.phase = RunPhase::Partners;
                    step.cursor = String::new();
                    ctx.store.advance_bill_run(&step).await?;
                    run.phase = RunPhase::Partners;
                    run.cursor = String::new();
                    continue;
                };
                step.cursor = next.last;
                step.closed = next.customers;
                // The next step's customers are read while this one's bills are written: they
                // are read from rated spend, which no step writes. If the write fails, what was
                // read is dropped with it.
                let (written, after) = tokio::join!(
                    ctx.store.write_customer_bills(&step, &next.bills),
                    next_customers(ctx, cycle, &step.cursor)
                );
                written?;
                ahead = Some(after?);
                run.customers_done += step.closed;
                run.cursor = step.cursor;
            }
            RunPhase::Partners => {
                let ids = ctx.store.partners_to_bill(cycle, &run.cursor, PARTNERS_PER_READ).await?;
                if ids.is_empty() {
                    step.phase = RunPhase::Done;
                    step.cursor = String::new();
                    ctx.store.advance_bill_run(&step).await?;
                    run.phase = RunPhase::Done;
                    run.finished_at = Some(now);
                    progress(&run);
                    tracing::info!(
                        cycle = cycle.0,
                        customers = run.customers_done,
                        partners = run.partners_done,
                        "Bill run done"
                    );
                    return Ok(Some(run));
                }
                // Each partner's bill is decided while the one before it is written: bills are
                // decided from customer bills, which this phase does not write.
                let mut decided = decide_closing(ctx, cycle, &ids[0]).await?;
                for (i, partner) in ids.iter().enumerate() {
                    let (closed, next) = tokio::join!(close_partner(ctx, cycle, owner, partner, decided), async {
                        match ids.get(i + 1) {
                            Some(next) => decide_closing(ctx, cycle, next).await.map(Some),
                            None => Ok(None),
                        }
                    });
                    closed?;
                    run.partners_done += 1;
                    run.cursor = partner.as_str().to_owned();
                    progress(&run);
                    match next? {
                        Some(next) => decided = next,
                        None => break,
                    }
                }
                continue;
            }
            RunPhase::Done => return Ok(Some(run)),
        }
        progress(&run);
    }
}

/// The customers of one step of the run, and their bills.
struct NextCustomers {
    /// The last customer's id: the run's cursor once the step is written.
    last: String,
    customers: u64,
    bills: Vec<CustomerBill>,
}

/// The bills of the next customers after `after` (at most a step's), `None` when none are left.
async fn next_customers(ctx: &Context, cycle: Cycle, after: &str) -> Result<Option<NextCustomers>, BillOpError> {
    let ids = ctx.store.customers_to_bill(cycle, after, CUSTOMERS_PER_STEP).await?;
    let Some(last) = ids.last() else {
        return Ok(None);
    };
    let rated = ctx.store.rated_between(cycle, after, last.as_str()).await?;
    Ok(Some(NextCustomers {
        last: last.as_str().to_owned(),
        customers: ids.len() as u64,
        bills: bills_from(cycle, rated)?,
    }))
}

/// The monthly bills of `customers` in `cycle`, one per payer each (R-BILL-12, R-RCM-07).
async fn customer_bills(
    ctx: &Context,
    cycle: Cycle,
    customers: &[AccountId],
) -> Result<Vec<CustomerBill>, BillOpError> {
    bills_from(cycle, ctx.store.rated(cycle, customers).await?)
}

/// Each customer's monthly bills from its rated spend.
fn bills_from(cycle: Cycle, rated: Vec<bill::Rated>) -> Result<Vec<CustomerBill>, BillOpError> {
    let mut by_customer: BTreeMap<AccountId, Vec<bill::Rated>> = BTreeMap::new();
    for r in rated {
        by_customer.entry(r.customer.clone()).or_default().push(r);
    }
    let mut bills = Vec::new();
    for (customer, rated) in by_customer {
        bills.extend(customer_bill(&customer, cycle, rated)?);
    }
    Ok(bills)
}

/// The customer bills of `customers` the run would write for `cycle` if it closed now (the
/// open month's estimate, R-BILL-03), decided by the same code; none are written.
pub async fn customer_estimate(
    ctx: &Context,
    cycle: Cycle,
    customers: &[AccountId],
) -> Result<Vec<CustomerBill>, BillOpError> {
    let mut bills = Vec::new();
    for chunk in customers.chunks(CUSTOMERS_PER_STEP as usize) {
        bills.extend(customer_bills(ctx, cycle, chunk).await?);
    }
    Ok(bills)
}

/// The partner's bill of `cycle` from the customer bills it pays, as the run or the estimate
/// decides it.
async fn decide_partner_bill(
    ctx: &Context,
    partner: &PartnerId,
    cycle: Cycle,
    rated: Vec<bill::Rated>,
) -> Result<(PartnerBill, PartnerId), BillOpError> {
    let p = ctx.store.partner(partner).await?.ok_or_else(|| BillOpError::UnknownPartner(partner.to_string()))?;
    let schedule = ctx.store.settlement_schedule(partner).await?;
    let tax = ctx.store.tax_rate(p.country().as_str()).await?;
    let bill = partner_bill(partner, cycle, &schedule, tax, rated)?;
    // R-DIST-02: a reseller's bill is owed by its distributor.
    Ok((bill, payer_of(partner, p.distributor())))
}

/// What [`deduct_coupons`] decided: the coupons it used or released, as it left them, their
/// entries, and the holds it paid.
type CouponsDeducted = (Vec<Coupon>, Vec<CouponEntry>, Vec<OrderHold>);

/// R-CPN-03: deducts the partner's open coupons from `bill` at `at` (the bill run, or the
/// estimate's dry run), those held for orders of the bill's month first (R-CPN-02).
async fn deduct_coupons(ctx: &Context, bill: &mut PartnerBill, at: Timestamp) -> Result<CouponsDeducted, BillOpError> {
    let query = CouponQuery { partner: Some(bill.partner().clone()), open_only: true, ..CouponQuery::default() };
    let mut coupons = ctx.store.coupons(&query).await?;
    // R-CPN-10: what coupons were given back for orders unsubscribed this month, which the
    // partner's refund does not include.
    let refunds = ctx.store.coupon_refunds(bill.partner(), bill.cycle()).await?;
    if coupons.is_empty() && refunds.is_empty() {
        return Ok((vec![], vec![], vec![]));
    }
    let mut holds = ctx.store.held_orders(bill.partner(), bill.cycle()).await?;
    // A held coupon pays what the partner owes for its order: the settlement price (R-BILL-01).
    let schedule = match holds.is_empty() {
        true => None,
        false => Some(ctx.store.settlement_schedule(bill.partner()).await?),
    };
    let mut owed = Vec::with_capacity(holds.len());
    for h in &holds {
        let mut due = Vec::with_capacity(h.parts.len());
        for (service_type, official) in &h.parts {
            let discount = schedule
                .as_ref()
                .map_or(Ok(Money::ZERO), |s| s.discount_for(bill.cycle(), service_type).off(*official))
                .map_err(|_| BillError::OutOfRange)?;
            due.push((service_type.as_str(), official.checked_sub(discount).map_err(|_| BillError::OutOfRange)?));
        }
        owed.push(HeldOrder { order: &h.order, coupon: &h.coupon, customer: &h.customer, due });
    }
    let bounds = bill::cycle_bounds(bill.cycle(), ctx.policy.billing_offset)?;
    let trade = format!("bill-{}-{}", bill.partner(), bill.cycle().0);
    let lines: Vec<Payable<'_>> = bill
        .lines()
        .iter()
        .map(|l| Payable {
            customer: &l.customer,
            service_type: &l.service_type,
            mode: l.mode,
            due: l.due,
            ordered: l.mode == ChargingMode::Period && l.kind == ChargeKind::Expenditure,
            order_refunds: l.mode == ChargingMode::Period && l.kind == ChargeKind::Refund,
        })
        .collect();
    let mut ids = || hex::encode(random::<16>());
    let cap = bill.totals().amount_due;
    let to_pay = BillToPay { cap, lines: &lines, refunds: &refunds, cycle: bounds, trade: &trade, at };
    let deductions =
        coupon::deduct(&mut ids, &to_pay, &mut coupons, &owed).map_err(|_| BillOpError::Bill(BillError::OutOfRange))?;
    bill.pay_with_coupons(&deductions.uses)?;
    for (h, paid) in holds.iter_mut().zip(&deductions.held) {
        h.state = HoldState::Paid { paid: *paid, at };
    }
    coupons.retain(|c| deductions.entries.iter().any(|e| e.coupon == c.id) || holds.iter().any(|h| h.coupon == c.id));
    Ok((coupons, deductions.entries, holds))
}

/// The bill the run closes for `partner`, and who pays it, before coupons and the balance.
async fn decide_closing(
    ctx: &Context,
    cycle: Cycle,
    partner: &PartnerId,
) -> Result<(PartnerBill, PartnerId), BillOpError> {
    let rated = ctx.store.partner_rated(partner, cycle).await?;
    decide_partner_bill(ctx, partner, cycle, rated).await
}

/// One partner's step: its bill (as [`decide_closing`] decided it), the coupons deducted from
/// it (R-CPN-03), and what the payer's balance covers of the rest (R-BILL-02).
async fn close_partner(
    ctx: &Context,
    cycle: Cycle,
    owner: &str,
    partner: &PartnerId,
    (decided, billed_to): (PartnerBill, PartnerId),
) -> Result<(), BillOpError> {
    let due_at = due_at(ctx, cycle)?;
    // A concurrent movement on the payer's balance or on a coupon makes the step stale: decide
    // it again.
    for _ in 0..8 {
        let now = ctx.clock.now();
        let mut bill = decided.clone();
        let (coupons, coupon_entries, holds) = deduct_coupons(ctx, &mut bill, now).await?;
        let step = RunStep {
            cycle,
            owner: owner.to_owned(),
            phase: RunPhase::Partners,
            cursor: partner.as_str().to_owned(),
            closed: 1,
            lease_until: now.plus(LEASE),
            at: now,
        };
        let mut balance = ctx.store.balances(&[Holder::Partner(billed_to.clone())]).await?.remove(0);
        let posting = Posting {
            id: hex::encode(random::<16>()),
            transfer: format!("bill-{}-{}", partner, cycle.0),
            at: now,
            memo: format!("Bill {} of {partner}", month_text(cycle)),
        };
        let unpaid = [(BillRef { partner: partner.clone(), cycle }, bill.totals().to_pay())];
        let entries = balance.settle_bills(&unpaid, &posting).map_err(|_| BillError::OutOfRange)?;
        let deduction = entries.first().map(|e| (&balance, e));
        let write = PartnerBillWrite {
            step: &step,
            bill: &bill,
            billed_to: &billed_to,
            due_at,
            deduction,
            coupons: &coupons,
            coupon_entries: &coupon_entries,
            holds: &holds,
        };
        match ctx.store.write_partner_bill(&write).await {
            Ok(()) => return Ok(()),
            Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Balance | Row::Coupon) }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(BillOpError::Store(StoreError::Conflict { constraint: Constraint::Stale(Row::Balance) }))
}

/// The open month's "Bill Estimate" for a partner (R-BILL-03): the bill the run would issue if
/// the month closed now, decided by the same code from its customers' spend so far.
pub async fn estimate(ctx: &Context, partner: &PartnerId, cycle: Cycle) -> Result<PartnerBill, BillOpError> {
    let customers = ctx.store.customers_ever_of(partner).await?;
    let mut rated = Vec::new();
    for chunk in customers.chunks(CUSTOMERS_PER_STEP as usize) {
        for b in customer_bills(ctx, cycle, chunk).await? {
            if *b.payer() == Payer::Partner(partner.clone()) {
                rated.extend(b.lines().iter().map(|l| bill::Rated {
                    customer: b.customer().clone(),
                    partner: Some((partner.clone(), opc_domain::association::AssociationModel::Reseller)),
                    service_type: l.service_type.clone(),
                    mode: l.mode,
                    kind: l.kind,
                    official: l.official,
                }));
            }
        }
    }
    let mut bill = decide_partner_bill(ctx, partner, cycle, rated).await?.0;
    deduct_coupons(ctx, &mut bill, ctx.clock.now()).await?;
    Ok(bill)
}

/// The operator sets a partner's settlement discounts from a month on (R-BILL-01), audited.
pub async fn set_settlement_terms(
    ctx: &Context,
    partner: &str,
    from: Cycle,
    terms: &SettlementTerms,
    operator: &str,
) -> Result<(), BillOpError> {
    let id = PartnerId::parse(partner).map_err(|_| BillOpError::UnknownPartner(partner.to_owned()))?;
    ctx.store.partner(&id).await?.ok_or_else(|| BillOpError::UnknownPartner(partner.to_owned()))?;
    let now = ctx.clock.now();
    let described = std::iter::once(format!("default={}", terms.default.fraction_text()))
        .chain(terms.by_service_type.iter().map(|(s, d)| format!("{s}={}", d.fraction_text())))
        .collect::<Vec<_>>()
        .join(" ");
    let audit = [audit_event(
        now,
        Actor::Operator(operator.to_owned()),
        Some(&id),
        Action::SettlementTermsSet,
        "partner",
        id.as_str(),
        None,
        Some(format!("from={} {described}", month_text(from))),
    )];
    ctx.store.set_settlement_terms(&id, from, terms, now, &audit).await?;
    Ok(())
}

/// The operator sets the output tax rate of a country (shown apart on bills).
pub async fn set_tax_rate(ctx: &Context, country: &str, rate: TaxRate, operator: &str) -> Result<(), BillOpError> {
    let country = opc_domain::text::CountryCode::parse(country)
        .map_err(|e| BillOpError::Invalid { field: "country", reason: e.to_string() })?;
    let audit = [audit_event(
        ctx.clock.now(),
        Actor::Operator(operator.to_owned()),
        None,
        Action::TaxRateSet,
        "tax_rate",
        country.as_str(),
        None,
        Some(format!("rate={}", rate.fraction_text())),
    )];
    ctx.store.set_tax_rate(country.as_str(), rate, &audit).await?;
    Ok(())
}

/// What a partner owes (R-BILL-03): the amount due of the latest billed month and of earlier
/// months, what of it is in arrears, and the account balance (R-BILL-02).
#[derive(Clone, Debug)]
pub struct Statement {
    pub due: AmountDue,
    pub arrears: Money,
    pub balance: Money,
    /// The bills issued to the partner that are not fully paid, oldest first.
    pub unpaid: Vec<PartnerBillRecord>,
}

/// The partner's statement, computed by the domain from the bills issued to it.
pub async fn statement(ctx: &Context, partner: &PartnerId) -> Result<Statement, BillOpError> {
    let bills = ctx.store.bills_to(partner).await?;
    let balances: Vec<BillBalance> = bills.iter().map(PartnerBillRecord::balance).collect();
    let due = bill::amount_due(&balances)?;
    let arrears = bill::arrears(&balances, ctx.clock.now())?;
    let balance = ctx.store.balances(&[Holder::Partner(partner.clone())]).await?.remove(0).amount();
    let unpaid = bills.into_iter().filter(|b| b.unpaid() > Money::ZERO).collect();
    Ok(Statement { due, arrears, balance, unpaid })
}

/// What one payer owes across the bills issued to it (the operator's view).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owed {
    pub payer: PartnerId,
    pub due: Money,
    pub arrears: Money,
    pub bills: usize,
}

/// Every payer with unpaid bills: its amount due and arrears, by the domain's rules.
pub async fn amounts_owed(ctx: &Context) -> Result<Vec<Owed>, BillOpError> {
    let now = ctx.clock.now();
    let mut by_payer: BTreeMap<PartnerId, Vec<BillBalance>> = BTreeMap::new();
    for b in ctx.store.unpaid_partner_bills().await? {
        by_payer.entry(b.billed_to.clone()).or_default().push(b.balance());
    }
    by_payer
        .into_iter()
        .map(|(payer, balances)| {
            Ok(Owed {
                due: bill::amount_due(&balances)?.total,
                arrears: bill::arrears(&balances, now)?,
                bills: balances.len(),
                payer,
            })
        })
        .collect()
}

/// One partner bill as a partner's member sees it (R-BILL-17 as R-ORG-19): the lines of the
/// customers the caller sees, their names, and their rounded summaries (R-BILL-05).
#[derive(Clone, Debug)]
pub struct BillView {
    pub record: PartnerBillRecord,
    pub lines: Vec<PartnerBillLine>,
    pub names: BTreeMap<AccountId, String>,
    pub summaries: Summaries,
    /// Whether the caller sees every line (else `summaries.total` is its customers' share).
    pub whole: bool,
    /// Each line's price trace (issue 15), in the lines' order.
    pub traces: Vec<Trace>,
}

pub async fn bill_view(ctx: &Context, caller: &Caller, cycle: Cycle) -> Result<Option<BillView>, BillOpError> {
    let partner = &caller.partner.id();
    let Some(record) = ctx.store.partner_bill(partner, cycle).await? else {
        return Ok(None);
    };
    let mut lines = ctx.store.partner_bill_lines(partner, cycle).await?;
    let mut names = BTreeMap::new();
    let customers: std::collections::BTreeSet<AccountId> = lines.iter().map(|l| l.customer.clone()).collect();
    for id in customers {
        let view = ctx.store.customer_of(partner, &id).await?;
        let seen = view.as_ref().map_or(caller.sees(None), |v| caller.sees(v.association.account_manager()));
        if !seen {
            lines.retain(|l| l.customer != id);
            continue;
        }
        let name = match view {
            Some(v) => v.account.name().as_str().to_owned(),
            None => ctx.store.account(&id).await?.map_or_else(|| id.to_string(), |a| a.name().as_str().to_owned()),
        };
        names.insert(id, name);
    }
    let summaries = bill::summaries(&lines)?;
    let whole = summaries.total == record.totals.amount_due && caller.sees(None);
    let schedule = ctx.store.settlement_schedule(partner).await?;
    let traces = lines
        .iter()
        .map(|l| trace::bill_line(l, schedule.discount_for(cycle, &l.service_type)))
        .collect::<Result<_, _>>()
        .map_err(|_| BillOpError::Bill(BillError::OutOfRange))?;
    Ok(Some(BillView { record, lines, names, summaries, whole, traces }))
}

/// The partner's own bills, newest first.
pub async fn bills_of(ctx: &Context, partner: &PartnerId) -> Result<Vec<PartnerBillRecord>, BillOpError> {
    Ok(ctx.store.partner_bills_of(partner).await?)
}
