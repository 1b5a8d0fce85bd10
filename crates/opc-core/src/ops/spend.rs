//! Spend over time, for the console's charts: a customer's and a partner's list-price spend
//! (R-BILL-18) per day of the current month and per month, a budget's use over the month
//! against its notice thresholds (R-RCM-04), the consumption quota's use over the month
//! (R-QUOTA-06), and the partner's to-dos that follow from budgets and freezes.
//!
//! One read serves each page: the spend of the last [`MONTHS`] months summed per day, cycle,
//! partner and model ([`Usage::spend_sums`]); the months and this month's days are added up
//! from it here, and what a budget or the quota had used at each day's end follows from the
//! use now by the domain's rule ([`use_at_day_ends`]).

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use opc_domain::account::FreezeCause;
use opc_domain::association::AssociationModel;
use opc_domain::budget::{threshold_amount, thresholds_reached, Budget, NOTICE_THRESHOLDS, QUOTA_NOTICE_PERCENT};
use opc_domain::cost::day_of;
use opc_domain::organization::{Permission, Visibility};
use opc_domain::spend::{spend_per_day, use_at_day_ends, SpendWindow};
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Money, MoneyError, PartnerId, Timestamp};

use super::auth::Caller;
use super::customers::{owner, their_customer, CustomerError};
use super::Context;
use crate::store::{CustomerQuery, CustomerView, SpendSum, StoreError};

/// How many months the monthly spend reaches back, the current one included.
pub const MONTHS: usize = 12;

/// How many customers a to-do list names; the customers page has the rest.
pub const TODOS_MAX: usize = 20;

const DAY_MS: i64 = 86_400_000;

fn invalid_spend(e: MoneyError) -> StoreError {
    StoreError::Unavailable(anyhow::anyhow!("stored spend is invalid: {e}"))
}

/// The months and days a chart covers: the last [`MONTHS`] cycles, and the current cycle's
/// days through today (days since 1970-01-01 in the billing zone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub months: Vec<Cycle>,
    pub days: RangeInclusive<i64>,
}

impl Span {
    fn now(ctx: &Context) -> Span {
        let offset = ctx.policy.billing_offset;
        let now = ctx.clock.now();
        let cycle = Cycle::of(now, offset);
        let mut months = vec![cycle];
        while months.len() < MONTHS {
            match months[0].previous() {
                Some(c) => months.insert(0, c),
                None => break,
            }
        }
        let today = day_of(now, offset);
        let first = cycle
            .year_month()
            .and_then(|(y, m)| Timestamp::from_utc(y, m, 1, 0, 0, 0).ok())
            .map_or(today, |t| t.unix_ms().div_euclid(DAY_MS));
        Span { months, days: first..=today }
    }

    fn cycle(&self) -> Cycle {
        self.months[self.months.len() - 1]
    }
}

/// Spend per day of the current month (every day through today, 0 without spend) and per
/// month (the last [`MONTHS`], oldest first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpendHistory {
    pub days: Vec<(i64, Money)>,
    pub months: Vec<(Cycle, Money)>,
}

impl SpendHistory {
    fn of<'a>(span: &Span, sums: impl Iterator<Item = &'a SpendSum>) -> Result<SpendHistory, StoreError> {
        let mut months: BTreeMap<Cycle, Money> = span.months.iter().map(|c| (*c, Money::ZERO)).collect();
        let mut days = Vec::new();
        for s in sums {
            if let Some(sum) = months.get_mut(&s.cycle) {
                *sum = sum.checked_add(s.amount).map_err(invalid_spend)?;
            }
            days.push((s.day, s.amount));
        }
        let days = spend_per_day(&days, span.days.clone()).map_err(invalid_spend)?;
        Ok(SpendHistory { days, months: months.into_iter().collect() })
    }
}

/// A budget's use at the end of each day of the current month, and where its notice
/// thresholds lie (R-RCM-04: 75, 90 and 100 %).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetUse {
    pub budget: Budget,
    pub used: Money,
    pub days: Vec<(i64, Money)>,
    pub thresholds: Vec<(u32, Money)>,
}

/// A customer's spend as its partner sees it, and its budget's use if the partner set one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerSpend {
    /// Only what was rated or charged while it was this partner's customer.
    pub spend: SpendHistory,
    pub budget: Option<BudgetUse>,
}

/// Every day's spend of `sums` in the current cycle, for a use drawn over the month.
fn month_days(span: &Span, sums: &[SpendSum], keep: impl Fn(&SpendSum) -> bool) -> Vec<(i64, Money)> {
    let cycle = span.cycle();
    sums.iter().filter(|s| s.cycle == cycle && keep(s)).map(|s| (s.day, s.amount)).collect()
}

/// R-RCM-04, R-RCM-06: the budget's use over the month, from its use now (the spend its window
/// weighs) and the customer's spend per day, whoever it was rated under: the budget weighs the
/// customer's running totals.
async fn budget_use(ctx: &Context, span: &Span, budget: Budget, sums: &[SpendSum]) -> Result<BudgetUse, StoreError> {
    let window = SpendWindow::of(Some(budget.budget_type()), span.cycle());
    let used = ctx.store.spend(budget.customer(), window).await?;
    let days = use_at_day_ends(used, &month_days(span, sums, |_| true), span.days.clone()).map_err(invalid_spend)?;
    let mut thresholds = Vec::with_capacity(NOTICE_THRESHOLDS.len());
    for t in NOTICE_THRESHOLDS {
        thresholds.push((t, threshold_amount(budget.amount(), t).map_err(invalid_spend)?));
    }
    Ok(BudgetUse { budget, used, days, thresholds })
}

/// The spend of `customers` from `from` through the span's month.
async fn sums_of(
    ctx: &Context,
    span: &Span,
    from: Cycle,
    customers: &[AccountId],
) -> Result<Vec<SpendSum>, StoreError> {
    let through = span.cycle();
    let mut sums = Vec::new();
    for chunk in customers.chunks(CUSTOMERS_PER_READ) {
        sums.extend(ctx.store.spend_sums(chunk, from, through, ctx.policy.billing_offset).await?);
    }
    Ok(sums)
}

const CUSTOMERS_PER_READ: usize = 500;

fn rated_under(s: &SpendSum, partner: &PartnerId) -> bool {
    s.partner.as_ref().is_some_and(|(p, _)| p == partner)
}

/// One of the caller's customers' spend (R-ORG-19: a member sees only its customers'), and
/// for a reseller customer the use of the budget the caller set.
pub async fn customer_spend(ctx: &Context, caller: &Caller, customer_id: &str) -> Result<CustomerSpend, CustomerError> {
    let owner = owner(ctx, caller, None, Permission::ViewCustomers).await?;
    let view = their_customer(ctx, caller, &owner, customer_id).await?;
    let span = Span::now(ctx);
    let sums = sums_of(ctx, &span, span.months[0], std::slice::from_ref(view.account.id())).await?;
    let spend = SpendHistory::of(&span, sums.iter().filter(|s| rated_under(s, owner.id())))?;
    let budget = match view.association.model() {
        AssociationModel::Reseller => ctx.store.budget(view.account.id()).await?.filter(|b| b.partner() == owner.id()),
        AssociationModel::Referral => None,
    };
    let budget = match budget {
        Some(b) => Some(budget_use(ctx, &span, b, &sums).await?),
        None => None,
    };
    Ok(CustomerSpend { spend, budget })
}

/// The customer's own spend, whoever it was rated under, and the use of the budget its
/// partner granted while it is that partner's reseller customer (R-RCM-03).
pub async fn own_spend(ctx: &Context, customer: &AccountId) -> Result<CustomerSpend, StoreError> {
    let span = Span::now(ctx);
    let sums = sums_of(ctx, &span, span.months[0], std::slice::from_ref(customer)).await?;
    let spend = SpendHistory::of(&span, sums.iter())?;
    let budget = match ctx.store.budget(customer).await? {
        Some(b) => {
            let current = ctx.store.association_of(customer).await?;
            let granted =
                current.is_some_and(|a| a.model() == AssociationModel::Reseller && a.partner() == b.partner());
            if granted {
                Some(budget_use(ctx, &span, b, &sums).await?)
            } else {
                None
            }
        }
        None => None,
    };
    Ok(CustomerSpend { spend, budget })
}

/// The consumption quota's use at the end of each day of the current month (R-QUOTA-06,
/// R-QUOTA-07), with the quota and its notice line (R-QUOTA-04). Only the reseller
/// customers' spend moves it in this reading: payments, bills and coupons are counted as
/// they stand now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotaHistory {
    pub quota: Money,
    pub used: Money,
    pub notice: Money,
    pub days: Vec<(i64, Money)>,
}

/// The partner's spend and quota over time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerSpend {
    /// Its customers' spend while they were its customers, both models; only for a caller
    /// who sees every customer (R-ORG-19).
    pub spend: Option<SpendHistory>,
    /// With a consumption quota set (R-QUOTA-02).
    pub quota: Option<QuotaHistory>,
}

fn sees_every_customer(caller: &Caller) -> bool {
    caller.may(Permission::ViewCustomers)
        && matches!(caller.member.as_ref().map(|m| &m.visibility), None | Some(Visibility::All))
}

/// The partner's spend per day and month and its quota's use over the month.
pub async fn partner_spend(ctx: &Context, caller: &Caller) -> Result<PartnerSpend, StoreError> {
    let partner = caller.partner.id();
    let quota = caller.partner.consumption_quota();
    let show_spend = sees_every_customer(caller);
    if !show_spend && quota <= Money::ZERO {
        return Ok(PartnerSpend { spend: None, quota: None });
    }
    let span = Span::now(ctx);
    let customers = ctx.store.customers_ever_of(partner).await?;
    // The quota alone needs this month's days only.
    let from = if show_spend { span.months[0] } else { span.cycle() };
    let sums = sums_of(ctx, &span, from, &customers).await?;
    let spend =
        if show_spend { Some(SpendHistory::of(&span, sums.iter().filter(|s| rated_under(s, partner)))?) } else { None };
    let quota = if quota > Money::ZERO {
        let used = super::accounts::quota_used(ctx, partner).await?;
        // R-QUOTA-06: only its reseller customers' spend uses the quota.
        let reseller =
            |s: &SpendSum| s.partner.as_ref().is_some_and(|(p, m)| p == partner && *m == AssociationModel::Reseller);
        let days =
            use_at_day_ends(used, &month_days(&span, &sums, reseller), span.days.clone()).map_err(invalid_spend)?;
        let notice = threshold_amount(quota, QUOTA_NOTICE_PERCENT).map_err(invalid_spend)?;
        Some(QuotaHistory { quota, used, notice, days })
    } else {
        None
    };
    Ok(PartnerSpend { spend, quota })
}

/// What the partner's people should do about its customers: those whose budget use reached a
/// notice threshold (R-RCM-04, most used first), and those frozen until a budget is set or
/// raised (R-RCM-02); each list names at most [`TODOS_MAX`], with how many there are.
#[derive(Clone, Debug, Default)]
pub struct CustomerTodos {
    pub near_budget: Vec<(CustomerView, Budget, Money)>,
    pub near_budget_count: usize,
    pub awaiting_budget: Vec<CustomerView>,
    pub awaiting_budget_count: u64,
}

/// The caller's customer to-dos; none for a member without the permission to see customers.
pub async fn customer_todos(ctx: &Context, caller: &Caller) -> Result<CustomerTodos, CustomerError> {
    if !caller.may(Permission::ViewCustomers) {
        return Ok(CustomerTodos::default());
    }
    let partner = caller.partner.id();
    let cycle = Cycle::of(ctx.clock.now(), ctx.policy.billing_offset);
    let mut reached = Vec::new();
    for (budget, totals) in ctx.store.partner_budget_totals(partner, cycle).await? {
        let used = SpendWindow::of(Some(budget.budget_type()), cycle).spent(&totals).map_err(invalid_spend)?;
        if !thresholds_reached(budget.amount(), used).is_empty() {
            reached.push((budget, used));
        }
    }
    // Most used first: the larger share of its budget (cross-multiplied, exact).
    reached.sort_by(|(a, ua), (b, ub)| {
        (i128::from(ub.e8()) * i128::from(a.amount().e8())).cmp(&(i128::from(ua.e8()) * i128::from(b.amount().e8())))
    });
    // Who sees every customer needs the names of the first only; a member's customers are
    // checked one by one (R-ORG-19).
    let sees_all = sees_every_customer(caller);
    let mut near_budget = Vec::new();
    let mut near_budget_count = 0;
    for (budget, used) in reached {
        if sees_all && near_budget.len() == TODOS_MAX {
            near_budget_count += 1;
            continue;
        }
        let Some(view) = ctx.store.customer_of(partner, budget.customer()).await? else { continue };
        if !caller.sees(view.association.account_manager()) {
            continue;
        }
        near_budget_count += 1;
        if near_budget.len() < TODOS_MAX {
            near_budget.push((view, budget, used));
        }
    }
    let causes = [
        FreezeCause::ResellerAssociation,
        FreezeCause::Partner,
        FreezeCause::PartnerFrozen,
        FreezeCause::BudgetExhausted,
    ];
    let query = CustomerQuery {
        freeze_causes: Some(causes.into_iter().filter(|c| c.awaits_budget()).collect()),
        limit: TODOS_MAX as u32,
        ..CustomerQuery::default()
    };
    let page = super::customers::list_customers(ctx, caller, None, &query).await?;
    Ok(CustomerTodos {
        near_budget,
        near_budget_count,
        awaiting_budget: page.customers,
        awaiting_budget_count: page.count,
    })
}
