//! Reading bills (BSS B1.8.6, B1.8.7, B2.8.1, B2.8.6, B2.8.7; R-BILL-03, R-BILL-11, R-RCM-07).
//!
//! Tenancy first, as in [`super::customers`]: a partner reads its own bill and the bills of its
//! customers, or with `indirect_partner` those of its reseller (R-DIST-02); a member's key
//! reads only the customers it sees (R-ORG-19); a customer reads only its own. A customer that
//! is not the partner's gets an empty answer, never data.
//!
//! Where the amounts come from:
//!
//! - a month the bill run has closed: the stored bills;
//! - the open month, or an ended month the run has not closed yet: the "Bill Estimate", decided
//!   by the run's own code ([`bills::estimate`], [`bills::customer_estimate`]) from the spend so
//!   far; a month that has not begun: nothing.
//! - the sub-customers' expenditure (B2.8.1, B2.8.6) comes from the rated spend of the month,
//!   the run's input, which names the partner and model each amount was rated under: so a
//!   referral customer's spend (paid by itself) is listed too, and a customer that has left
//!   the partner still shows its spend from the time it was associated.
//!
//! Who pays an amount is said in two parts of each sum: what the reseller partner settles for
//! its reseller customer (R-RCM-07: the customer owes nothing) and what the customer owes itself
//! (R-BILL-03). No discount is shown: the customer's amounts are at list price, the settlement
//! discount is between the partner and the operator.

use std::collections::{BTreeMap, BTreeSet};

use opc_domain::association::AssociationModel;
use opc_domain::bill::{BillError, ChargeKind, PartnerBillTotals, Payer};
use opc_domain::catalog::ChargingMode;
use opc_domain::organization::{Permission, Visibility};
use opc_domain::partner::Partner;
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, MemberId, Money, PartnerId};

use super::auth::{Caller, Principal};
use super::bills::{self, BillOpError};
use super::customers::{owner, CustomerError};
use super::Context;
use crate::store::{CustomerBillQuery, RunPhase, StoreError};

/// Customers whose spend is read at once.
const CUSTOMERS_PER_READ: usize = 500;
/// Customer bills read per page from the store.
const BILLS_PER_READ: u32 = 500;

#[derive(Debug, thiserror::Error)]
pub enum BillQueryError {
    /// Tenancy: not your reseller, no permission.
    #[error(transparent)]
    Scope(#[from] CustomerError),
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error(transparent)]
    Bill(#[from] BillOpError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where a month's bills come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The run has closed the month: its stored bills.
    Closed,
    /// The open month, or an ended one not closed yet: the estimate.
    Estimate,
    /// A month that has not begun: no amounts.
    NotBegun,
}

pub async fn source(ctx: &Context, cycle: Cycle) -> Result<Source, StoreError> {
    if cycle > Cycle::of(ctx.clock.now(), ctx.policy.billing_offset) {
        return Ok(Source::NotBegun);
    }
    Ok(match ctx.store.bill_run(cycle).await? {
        Some(run) if run.phase == RunPhase::Done => Source::Closed,
        _ => Source::Estimate,
    })
}

/// One sum of a customer's month: its amounts of a service type, billing mode and charge kind,
/// at list price, and who pays them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChargeSum {
    pub customer: AccountId,
    pub service_type: String,
    pub mode: ChargingMode,
    pub kind: ChargeKind,
    pub official: Money,
    /// R-RCM-07: settled by the reseller partner; the customer owes none of it.
    pub partner_pays: Money,
    /// R-BILL-03: owed by the customer itself.
    pub customer_owes: Money,
    /// Of what the customer owed, what its stored-value cards paid (less what came back to
    /// them): no longer owed. `customer_owes` excludes it.
    pub stored_value_card: Money,
}

impl ChargeSum {
    fn new(customer: AccountId, service_type: String, mode: ChargingMode, kind: ChargeKind) -> ChargeSum {
        ChargeSum {
            customer,
            service_type,
            mode,
            kind,
            official: Money::ZERO,
            partner_pays: Money::ZERO,
            customer_owes: Money::ZERO,
            stored_value_card: Money::ZERO,
        }
    }

    /// Adds `amount`, paid by the partner or by the customer.
    fn add(&mut self, amount: Money, partner_pays: bool) -> Result<(), BillQueryError> {
        self.official = add(self.official, amount)?;
        if partner_pays {
            self.partner_pays = add(self.partner_pays, amount)?;
        } else {
            self.customer_owes = add(self.customer_owes, amount)?;
        }
        Ok(())
    }
}

/// Which sums a query keeps, and the page of them it answers. `None`: no filter; an empty
/// list: nothing matches (a documented code this server never records).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChargeFilter {
    pub service_type: Option<String>,
    pub modes: Option<Vec<ChargingMode>>,
    pub kinds: Option<Vec<ChargeKind>>,
    pub offset: u32,
    pub limit: u32,
}

impl ChargeFilter {
    fn keeps(&self, s: &ChargeSum) -> bool {
        self.service_type.as_ref().is_none_or(|t| *t == s.service_type)
            && self.modes.as_ref().is_none_or(|m| m.contains(&s.mode))
            && self.kinds.as_ref().is_none_or(|k| k.contains(&s.kind))
    }

    fn page<T>(&self, items: Vec<T>) -> Vec<T> {
        items.into_iter().skip(self.offset as usize).take(self.limit as usize).collect()
    }
}

/// A page of sums, with how many match and their totals (over every match, not the page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChargePage<T> {
    pub items: Vec<T>,
    pub count: u64,
    pub totals: ChargeTotals,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChargeTotals {
    pub official: Money,
    pub partner_pays: Money,
    pub customer_owes: Money,
    pub stored_value_card: Money,
}

fn add(a: Money, b: Money) -> Result<Money, BillQueryError> {
    a.checked_add(b).map_err(|_| BillQueryError::Bill(BillError::OutOfRange.into()))
}

fn page_of<T>(
    filter: &ChargeFilter,
    matching: Vec<T>,
    sum: impl Fn(&T) -> &ChargeSum,
) -> Result<ChargePage<T>, BillQueryError> {
    let mut totals = ChargeTotals::default();
    for s in matching.iter().map(&sum) {
        totals.official = add(totals.official, s.official)?;
        totals.partner_pays = add(totals.partner_pays, s.partner_pays)?;
        totals.customer_owes = add(totals.customer_owes, s.customer_owes)?;
        totals.stored_value_card = add(totals.stored_value_card, s.stored_value_card)?;
    }
    let count = matching.len() as u64;
    Ok(ChargePage { items: filter.page(matching), count, totals })
}

/// The sums of customer bills, one per customer × service type × mode × kind (bills of two
/// payers in one month, after a change of partner or model, make one sum with both parts).
fn sums_of<'a>(
    bills: impl IntoIterator<Item = (&'a AccountId, &'a Payer, Vec<(String, ChargingMode, ChargeKind, Money)>)>,
) -> Result<Vec<ChargeSum>, BillQueryError> {
    let mut sums: BTreeMap<(AccountId, String, ChargingMode, ChargeKind), ChargeSum> = BTreeMap::new();
    for (customer, payer, lines) in bills {
        for (service_type, mode, kind, official) in lines {
            let key = (customer.clone(), service_type, mode, kind);
            let sum = sums.entry(key.clone()).or_insert_with(|| ChargeSum::new(key.0, key.1, key.2, key.3));
            sum.add(official, matches!(payer, Payer::Partner(_)))?;
        }
    }
    Ok(sums.into_values().collect())
}

/// A customer's bills of `cycle` as their sums: stored, estimated, or none; what its
/// stored-value cards paid moved out of what it owes (SVC-2: a card is money already paid).
async fn customer_sums(ctx: &Context, customer: &AccountId, cycle: Cycle) -> Result<Vec<ChargeSum>, BillQueryError> {
    let mut sums = bill_sums(ctx, customer, cycle).await?;
    for (service_type, paid) in ctx.store.card_cycle_sums(customer, cycle).await? {
        let kind = if paid < Money::ZERO { ChargeKind::Refund } else { ChargeKind::Expenditure };
        let line = sums
            .iter_mut()
            .find(|s| s.service_type == service_type && s.mode == ChargingMode::Period && s.kind == kind);
        if let Some(s) = line {
            s.stored_value_card = add(s.stored_value_card, paid)?;
            s.customer_owes =
                s.customer_owes.checked_sub(paid).map_err(|_| BillQueryError::Bill(BillError::OutOfRange.into()))?;
        }
    }
    Ok(sums)
}

async fn bill_sums(ctx: &Context, customer: &AccountId, cycle: Cycle) -> Result<Vec<ChargeSum>, BillQueryError> {
    match source(ctx, cycle).await? {
        Source::NotBegun => Ok(vec![]),
        Source::Closed => {
            let bills = ctx.store.customer_bills(customer, cycle).await?;
            sums_of(bills.iter().map(|b| {
                (
                    &b.customer,
                    &b.payer,
                    b.lines.iter().map(|l| (l.service_type.clone(), l.mode, l.kind, l.official)).collect(),
                )
            }))
        }
        Source::Estimate => {
            let bills = bills::customer_estimate(ctx, cycle, std::slice::from_ref(customer)).await?;
            sums_of(bills.iter().map(|b| {
                (
                    b.customer(),
                    b.payer(),
                    b.lines().iter().map(|l| (l.service_type.clone(), l.mode, l.kind, l.official)).collect(),
                )
            }))
        }
    }
}

/// B1.8.6 `list_postpaid_bill_sum`: the caller's own partner bill of `cycle` (R-BILL-03), its
/// totals exact to 8 decimals (R-BILL-04, R-BILL-11), tax apart; the estimate for a month not
/// closed yet; zeros for a month not begun (or one closed without usage of its customers).
pub async fn partner_bill_sum(
    ctx: &Context,
    caller: &Caller,
    cycle: Cycle,
) -> Result<PartnerBillTotals, BillQueryError> {
    let partner = owner(ctx, caller, None, Permission::ViewCustomers).await?;
    if let Some(bill) = ctx.store.partner_bill(partner.id(), cycle).await? {
        return Ok(bill.totals);
    }
    Ok(match source(ctx, cycle).await? {
        Source::Estimate => bills::estimate(ctx, partner.id(), cycle).await?.totals(),
        Source::Closed | Source::NotBegun => PartnerBillTotals::default(),
    })
}

/// How `show_customer_monthly_sum` is asked to scope (its `method`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SumScope {
    /// `oneself`, or `all` (no enterprise sub-customers exist: the customer's own).
    Oneself,
    /// `sub_customer`: an enterprise sub-customer's, of which there are none.
    SubCustomer,
}

/// B1.8.7 `show_customer_monthly_sum`: the signer's own monthly sums (a partner key reads the
/// partner's own account, which spends nothing), by service type, mode and kind.
pub async fn own_monthly_sum(
    ctx: &Context,
    principal: &Principal,
    cycle: Cycle,
    scope: SumScope,
    filter: &ChargeFilter,
) -> Result<(opc_domain::account::Account, ChargePage<ChargeSum>), BillQueryError> {
    let account = super::accounts::own_account(ctx, principal).await?;
    let sums = match scope {
        SumScope::Oneself => customer_sums(ctx, account.id(), cycle).await?,
        SumScope::SubCustomer => vec![],
    };
    let matching = sums.into_iter().filter(|s| filter.keeps(s)).collect();
    Ok((account, page_of(filter, matching, |s| s)?))
}

/// R-ORG-19: a member with a restricted view sees only the current customers it manages.
fn restricted(caller: &Caller) -> bool {
    matches!(caller.member.as_deref().map(|m| &m.visibility), Some(Visibility::ManagedBy(_)))
}

/// Keeps the customers the caller sees among `owner`'s (all of them without a restricted view).
async fn visible(
    ctx: &Context,
    caller: &Caller,
    owner: &Partner,
    customers: impl IntoIterator<Item = AccountId>,
) -> Result<BTreeSet<AccountId>, BillQueryError> {
    let mut seen = BTreeSet::new();
    for c in customers {
        if !restricted(caller) {
            seen.insert(c);
            continue;
        }
        if let Some(view) = ctx.store.customer_of(owner.id(), &c).await? {
            if caller.sees(view.association.account_manager()) {
                seen.insert(c);
            }
        }
    }
    Ok(seen)
}

/// B2.8.7 `list_subcustomer_monthly_bills`: the monthly sums of the customer bills the owner
/// (the caller, or its reseller) pays in `cycle` (R-RCM-07), optionally of one customer, by
/// customer, service type, mode and kind. A customer whose bills the owner does not pay gives
/// none.
pub async fn paid_monthly_bills(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    cycle: Cycle,
    customer: Option<&str>,
    filter: &ChargeFilter,
) -> Result<ChargePage<ChargeSum>, BillQueryError> {
    let owner = owner(ctx, caller, indirect_partner, Permission::ViewCustomers).await?;
    let customer = match customer.map(AccountId::parse) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => return page_of(filter, vec![], |s| s),
    };
    let payer = Payer::Partner(owner.id().clone());
    let sums = match source(ctx, cycle).await? {
        Source::NotBegun => vec![],
        Source::Closed => {
            let mut bills = Vec::new();
            let mut query = CustomerBillQuery { customer: customer.clone(), offset: 0, limit: BILLS_PER_READ };
            loop {
                let (page, _) = ctx.store.customer_bills_paid_by(owner.id(), cycle, &query).await?;
                let last = page.len() < BILLS_PER_READ as usize;
                bills.extend(page);
                if last {
                    break;
                }
                query.offset += BILLS_PER_READ;
            }
            sums_of(bills.iter().map(|b| {
                (
                    &b.customer,
                    &b.payer,
                    b.lines.iter().map(|l| (l.service_type.clone(), l.mode, l.kind, l.official)).collect(),
                )
            }))?
        }
        Source::Estimate => {
            let customers = match &customer {
                Some(c) => vec![c.clone()],
                None => ctx.store.customers_ever_of(owner.id()).await?,
            };
            let mut bills = Vec::new();
            for chunk in customers.chunks(CUSTOMERS_PER_READ) {
                bills.extend(
                    bills::customer_estimate(ctx, cycle, chunk).await?.into_iter().filter(|b| *b.payer() == payer),
                );
            }
            sums_of(bills.iter().map(|b| {
                (
                    b.customer(),
                    b.payer(),
                    b.lines().iter().map(|l| (l.service_type.clone(), l.mode, l.kind, l.official)).collect(),
                )
            }))?
        }
    };
    let seen = visible(ctx, caller, &owner, sums.iter().map(|s| s.customer.clone()).collect::<BTreeSet<_>>()).await?;
    let matching = sums.into_iter().filter(|s| seen.contains(&s.customer) && filter.keeps(s)).collect();
    page_of(filter, matching, |s| s)
}

/// The owner's share of the rated spend of `customers` in `cycle`: what was rated while each
/// was its customer, with the model it was rated under.
async fn rated_for(
    ctx: &Context,
    owner: &PartnerId,
    cycle: Cycle,
    customers: &[AccountId],
) -> Result<Vec<(AssociationModel, opc_domain::bill::Rated)>, BillQueryError> {
    let mut rated = Vec::new();
    for chunk in customers.chunks(CUSTOMERS_PER_READ) {
        for r in ctx.store.rated(cycle, chunk).await? {
            if let Some((p, model)) = &r.partner {
                if p == owner {
                    rated.push((*model, r));
                }
            }
        }
    }
    Ok(rated)
}

/// B2.8.1 `list_consume_sub_customers`: the caller's customers with spend in `cycle` (reseller
/// and referral, including those associated then and not any more), by id.
pub async fn consuming_customers(
    ctx: &Context,
    caller: &Caller,
    cycle: Cycle,
    offset: u32,
    limit: u32,
) -> Result<(Vec<AccountId>, u64), BillQueryError> {
    let owner = owner(ctx, caller, None, Permission::ViewCustomers).await?;
    if source(ctx, cycle).await? == Source::NotBegun {
        return Ok((vec![], 0));
    }
    let customers = ctx.store.customers_ever_of(owner.id()).await?;
    let rated = rated_for(ctx, owner.id(), cycle, &customers).await?;
    let spent: BTreeSet<AccountId> =
        rated.into_iter().filter(|(_, r)| r.official != Money::ZERO).map(|(_, r)| r.customer).collect();
    let seen = visible(ctx, caller, &owner, spent).await?;
    let count = seen.len() as u64;
    Ok((seen.into_iter().skip(offset as usize).take(limit as usize).collect(), count))
}

/// A record of a sub-customer's expenditure (B2.8.6): a sum of its month, the model it was
/// rated under, and its current account manager.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpenditureRecord {
    pub sum: ChargeSum,
    pub model: AssociationModel,
    pub account_manager: Option<MemberId>,
}

/// Which expenditure records `list_sub_customer_bill_detail` keeps, besides [`ChargeFilter`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpenditureFilter {
    pub charges: ChargeFilter,
    pub model: Option<AssociationModel>,
    pub account_manager: Option<String>,
    /// A filter on what the monthly sums do not carry (a region, resource, order or
    /// transaction): nothing matches.
    pub unmatchable: bool,
}

/// B2.8.6 `list_sub_customer_bill_detail`: the expenditure records of one customer of the
/// owner (the caller, or its reseller) in `cycle`: the spend rated while it was the owner's
/// customer, by model, service type, mode and kind. A customer never the owner's gives none.
pub async fn expenditure_records(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    cycle: Cycle,
    customer: &str,
    filter: &ExpenditureFilter,
) -> Result<ChargePage<ExpenditureRecord>, BillQueryError> {
    let owner = owner(ctx, caller, indirect_partner, Permission::ViewCustomers).await?;
    let none = || page_of(&filter.charges, vec![], |r: &ExpenditureRecord| &r.sum);
    let Ok(customer) = AccountId::parse(customer) else {
        return none();
    };
    let current = ctx.store.customer_of(owner.id(), &customer).await?;
    if restricted(caller) && !current.as_ref().is_some_and(|v| caller.sees(v.association.account_manager())) {
        return none();
    }
    let account_manager = current.as_ref().and_then(|v| v.association.account_manager().cloned());
    if filter.unmatchable
        || filter.account_manager.as_ref().is_some_and(|m| account_manager.as_ref().is_none_or(|a| a.as_str() != m))
        || source(ctx, cycle).await? == Source::NotBegun
    {
        return none();
    }
    // By service type, mode, kind, then model (referral first).
    let mut records: BTreeMap<(String, ChargingMode, ChargeKind, bool), ExpenditureRecord> = BTreeMap::new();
    for (model, r) in rated_for(ctx, owner.id(), cycle, std::slice::from_ref(&customer)).await? {
        let key = (r.service_type.clone(), r.mode, r.kind, model == AssociationModel::Reseller);
        let record = records.entry(key).or_insert_with(|| ExpenditureRecord {
            sum: ChargeSum::new(customer.clone(), r.service_type.clone(), r.mode, r.kind),
            model,
            account_manager: account_manager.clone(),
        });
        // R-RCM-07: the reseller partner pays its reseller customer's spend; a referral
        // customer pays its own (R-BILL-03).
        record.sum.add(r.official, model == AssociationModel::Reseller)?;
    }
    let matching: Vec<ExpenditureRecord> = records
        .into_values()
        .filter(|r| filter.model.is_none_or(|m| m == r.model) && filter.charges.keeps(&r.sum))
        .collect();
    page_of(&filter.charges, matching, |r| &r.sum)
}
