//! Spend: what a customer's list-price spend (R-BILL-18) counts for, and which of it a budget
//! is weighed against.
//!
//! Spend is kept in running totals: a customer's per billing cycle and in all, and a partner's
//! reseller customers' in all. The store adds to them and reads them back as numbers; which
//! totals a charge adds to ([`Totals`]) and which spend a budget weighs ([`SpendWindow`]) is
//! decided here.

use std::collections::{BTreeMap, HashMap};

use crate::association::AssociationModel;
use crate::budget::BudgetType;
use crate::usage::Cycle;
use crate::{AccountId, Money, MoneyError, PartnerId};

/// Which spend of a customer a budget weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpendWindow {
    /// A billing cycle's: a monthly budget's, which restores each cycle (R-RCM-06), or the
    /// customer's when it has no budget.
    Cycle(Cycle),
    /// Everything since the budget was set: a package budget's, which never restores.
    SinceBudgetSet,
}

impl SpendWindow {
    /// R-RCM-04, R-RCM-06: the window of a budget of `budget_type` (none: no budget) in `cycle`,
    /// the current billing cycle.
    pub fn of(budget_type: Option<BudgetType>, cycle: Cycle) -> SpendWindow {
        match budget_type {
            Some(BudgetType::Package) => SpendWindow::SinceBudgetSet,
            Some(BudgetType::Monthly) | None => SpendWindow::Cycle(cycle),
        }
    }

    /// The cycle whose running total the window reads, if it reads one.
    pub fn cycle(self) -> Option<Cycle> {
        match self {
            SpendWindow::Cycle(cycle) => Some(cycle),
            SpendWindow::SinceBudgetSet => None,
        }
    }

    /// The spend in the window, from the customer's running totals: the cycle's total, or what
    /// was added in all since the budget was set (the total in all less its baseline).
    pub fn spent(self, totals: &CustomerTotals) -> Result<Money, MoneyError> {
        match self {
            SpendWindow::Cycle(_) => Ok(totals.cycle),
            SpendWindow::SinceBudgetSet => totals.all.checked_sub(totals.baseline),
        }
    }
}

/// R-RCM-04: the baseline a budget keeps when it is set, from the customer's spend in all at
/// that moment (read in the transaction that writes the budget, so that no spend falls between
/// the two). A package budget then weighs only what is spent after it was set
/// ([`SpendWindow::SinceBudgetSet`]: the total in all less this baseline). A monthly budget
/// weighs its cycle and never reads it; it keeps the same number, so that a stored baseline
/// always means the spend in all when the budget was set.
pub fn baseline_when_set(spent_in_all: Money) -> Money {
    spent_in_all
}

/// A customer's running totals as stored: the numbers its spend in a window is derived from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CustomerTotals {
    /// Its spend in the cycle read (0 when none was read).
    pub cycle: Money,
    /// Its spend in all.
    pub all: Money,
    /// Its spend in all when its current budget was set (0 without a budget).
    pub baseline: Money,
}

/// Whose spend a running total adds up.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TotalScope {
    Customer(AccountId),
    /// A partner's reseller customers' (R-QUOTA-06).
    Partner(PartnerId),
}

/// Over which period a running total adds up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TotalPeriod {
    All,
    Cycle(Cycle),
}

/// What to add to one running total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Addition {
    pub scope: TotalScope,
    pub period: TotalPeriod,
    pub amount: Money,
}

/// Spend gathered per customer, cycle and reseller partner, then turned into the additions to
/// the running totals, one per total.
#[derive(Clone, Debug, Default)]
pub struct Totals<'a> {
    spent: HashMap<(&'a AccountId, Cycle, Option<&'a PartnerId>), Money>,
}

impl<'a> Totals<'a> {
    /// `amount` (at list price, R-BILL-18; negative for a refund) spent by `customer` in
    /// `cycle`, while `partner` is its partner and association model: it counts for the
    /// customer, in the cycle and in all, and for the partner only when it is a reseller
    /// customer, since a partner's spend counts only its reseller customers' (R-QUOTA-06).
    pub fn add(
        &mut self,
        customer: &'a AccountId,
        partner: Option<&'a (PartnerId, AssociationModel)>,
        cycle: Cycle,
        amount: Money,
    ) -> Result<(), MoneyError> {
        let reseller = match partner {
            Some((p, AssociationModel::Reseller)) => Some(p),
            Some((_, AssociationModel::Referral)) | None => None,
        };
        let sum = self.spent.entry((customer, cycle, reseller)).or_insert(Money::ZERO);
        *sum = sum.checked_add(amount)?;
        Ok(())
    }

    /// The additions, one per running total, in the totals' order.
    pub fn additions(&self) -> Result<Vec<Addition>, MoneyError> {
        let mut totals: BTreeMap<(TotalScope, TotalPeriod), Money> = BTreeMap::new();
        let mut add = |scope: TotalScope, period: TotalPeriod, amount: Money| -> Result<(), MoneyError> {
            let sum = totals.entry((scope, period)).or_insert(Money::ZERO);
            *sum = sum.checked_add(amount)?;
            Ok(())
        };
        for ((customer, cycle, reseller), amount) in &self.spent {
            add(TotalScope::Customer((*customer).clone()), TotalPeriod::Cycle(*cycle), *amount)?;
            add(TotalScope::Customer((*customer).clone()), TotalPeriod::All, *amount)?;
            if let Some(partner) = reseller {
                add(TotalScope::Partner((*partner).clone()), TotalPeriod::All, *amount)?;
            }
        }
        Ok(totals.into_iter().map(|((scope, period), amount)| Addition { scope, period, amount }).collect())
    }
}

/// What uses a partner's consumption quota (B1.4.4 `show_partner_consumption_quota`:
/// used = amount due + unbilled − account balance − coupons). Until a month is billed its
/// reseller customers' spend is unbilled (R-QUOTA-06); repaying, or paying in advance, raises
/// the balance and so gives the quota back (R-QUOTA-07).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QuotaUse {
    pub due: Money,
    pub unbilled: Money,
    pub balance: Money,
    pub coupons: Money,
}

impl QuotaUse {
    /// From the running totals: the reseller customers' list-price spend in all less what
    /// closed months billed of it is unbilled; what bills issued to the partner still owe is
    /// due (R-BILL-03).
    pub fn from_totals(
        spent_in_all: Money,
        billed: Money,
        unpaid: Money,
        balance: Money,
        coupons: Money,
    ) -> Result<QuotaUse, MoneyError> {
        Ok(QuotaUse { due: unpaid, unbilled: spent_in_all.checked_sub(billed)?, balance, coupons })
    }

    pub fn used(&self) -> Result<Money, MoneyError> {
        self.due.checked_add(self.unbilled)?.checked_sub(self.balance)?.checked_sub(self.coupons)
    }
}

/// R-RCM-04, R-QUOTA-06: what was used at the end of each day of `days` (counted as
/// [`crate::cost::day_of`] counts them), from what is used now and what was spent on each day:
/// a day's end saw what is used now less everything spent after it. A budget's or a quota's
/// use over the month is drawn from this, so its last day is exactly the figure its gauge
/// shows. `spent` may hold days outside `days` and days more than once.
pub fn use_at_day_ends(
    used_now: Money,
    spent: &[(i64, Money)],
    days: std::ops::RangeInclusive<i64>,
) -> Result<Vec<(i64, Money)>, MoneyError> {
    let mut out = Vec::new();
    for day in days {
        let mut after = Money::ZERO;
        for (d, amount) in spent {
            if *d > day {
                after = after.checked_add(*amount)?;
            }
        }
        out.push((day, used_now.checked_sub(after)?));
    }
    Ok(out)
}

/// Each day of `days` with what was spent on it (0 on a day without spend), oldest first.
pub fn spend_per_day(
    spent: &[(i64, Money)],
    days: std::ops::RangeInclusive<i64>,
) -> Result<Vec<(i64, Money)>, MoneyError> {
    let mut sums: BTreeMap<i64, Money> = days.map(|d| (d, Money::ZERO)).collect();
    for (d, amount) in spent {
        if let Some(sum) = sums.get_mut(d) {
            *sum = sum.checked_add(*amount)?;
        }
    }
    Ok(sums.into_iter().collect())
}

#[cfg(test)]
mod tests {

    #[test]
    fn use_at_each_days_end_is_the_use_now_less_what_followed_r_rcm_04() {
        // A monthly budget's use: 3 spent on day 10, 4.5 on day 12 (twice), nothing on day 11.
        let spent = [(10, money("3")), (12, money("4")), (12, money("0.5")), (9, money("1"))];
        let used_now = money("7.5");
        assert_eq!(
            use_at_day_ends(used_now, &spent, 10..=12),
            Ok(vec![(10, money("3")), (11, money("3")), (12, money("7.5"))]),
            "the last day's end is the use now; day 9's spend lies before the span"
        );
        // A package budget set last month: its use began above zero.
        assert_eq!(
            use_at_day_ends(money("20"), &spent[..3], 10..=11),
            Ok(vec![(10, money("15.5")), (11, money("15.5"))])
        );
        assert_eq!(use_at_day_ends(Money::MAX, &[(2, money("-1"))], 1..=1), Err(MoneyError::OutOfRange));
    }

    #[test]
    fn spend_per_day_fills_the_days_without_spend_and_leaves_out_the_others() {
        let spent = [(10, money("3")), (12, money("4")), (12, money("0.00000001")), (13, money("9"))];
        assert_eq!(
            spend_per_day(&spent, 10..=12),
            Ok(vec![(10, money("3")), (11, Money::ZERO), (12, money("4.00000001"))])
        );
    }
    use super::*;

    fn money(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    fn id(text: &str) -> AccountId {
        AccountId::parse(text).unwrap()
    }

    fn partner(text: &str) -> PartnerId {
        PartnerId::parse(text).unwrap()
    }

    const MAY: Cycle = Cycle(202605);
    const JUNE: Cycle = Cycle(202606);

    #[test]
    fn a_monthly_budget_weighs_the_cycle_and_restores_r_rcm_04_r_rcm_06() {
        let window = SpendWindow::of(Some(BudgetType::Monthly), JUNE);
        assert_eq!(window, SpendWindow::Cycle(JUNE));
        assert_eq!(SpendWindow::of(None, JUNE), SpendWindow::Cycle(JUNE), "no budget: the cycle's spend");
        let june = CustomerTotals { cycle: money("2.5"), all: money("40"), baseline: money("30") };
        assert_eq!(window.spent(&june), Ok(money("2.5")));
        // A new cycle starts from nothing.
        assert_eq!(window.spent(&CustomerTotals { cycle: Money::ZERO, ..june }), Ok(Money::ZERO));
        assert_eq!(window.cycle(), Some(JUNE));
    }

    #[test]
    fn a_package_budget_weighs_everything_since_it_was_set_and_never_restores_r_rcm_04() {
        let window = SpendWindow::of(Some(BudgetType::Package), JUNE);
        assert_eq!((window, window.cycle()), (SpendWindow::SinceBudgetSet, None));
        let totals = CustomerTotals { cycle: money("2.5"), all: money("40"), baseline: money("30") };
        assert_eq!(window.spent(&totals), Ok(money("10")), "the total in all less its baseline");
        // A refund since it was set lowers it below zero; stored totals out of range are refused.
        assert_eq!(window.spent(&CustomerTotals { all: money("29"), ..totals }), Ok(money("-1")));
        let broken = CustomerTotals { all: Money::MAX, baseline: money("-1"), ..totals };
        assert_eq!(window.spent(&broken), Err(MoneyError::OutOfRange));
    }

    #[test]
    fn a_budget_set_keeps_the_spend_in_all_so_a_package_weighs_only_what_follows_r_rcm_04() {
        let baseline = baseline_when_set(money("30"));
        assert_eq!(baseline, money("30"));
        let later = CustomerTotals { cycle: money("1"), all: money("32.5"), baseline };
        assert_eq!(SpendWindow::SinceBudgetSet.spent(&later), Ok(money("2.5")));
        assert_eq!(SpendWindow::Cycle(JUNE).spent(&later), Ok(money("1")), "a monthly budget ignores it");
        let fresh = CustomerTotals { baseline: baseline_when_set(Money::ZERO), ..later };
        assert_eq!(SpendWindow::SinceBudgetSet.spent(&fresh), Ok(money("32.5")), "set before any spend");
    }

    #[test]
    fn spend_counts_for_the_customer_and_only_a_reseller_customers_for_its_partner_r_quota_06_r_bill_18() {
        let (reseller, referral) =
            ((partner("p1"), AssociationModel::Reseller), (partner("p2"), AssociationModel::Referral));
        let (c1, c2, c3) = (id("c1"), id("c2"), id("c3"));
        let mut totals = Totals::default();
        totals.add(&c1, Some(&reseller), MAY, money("1.5")).unwrap();
        totals.add(&c1, Some(&reseller), JUNE, money("2")).unwrap();
        totals.add(&c1, Some(&reseller), JUNE, money("-0.5")).unwrap();
        totals.add(&c2, Some(&referral), JUNE, money("4")).unwrap();
        totals.add(&c3, None, JUNE, money("8")).unwrap();
        let customer = |c: &AccountId, period, amount| Addition {
            scope: TotalScope::Customer(c.clone()),
            period,
            amount: money(amount),
        };
        assert_eq!(
            totals.additions().unwrap(),
            vec![
                customer(&c1, TotalPeriod::All, "3"),
                customer(&c1, TotalPeriod::Cycle(MAY), "1.5"),
                customer(&c1, TotalPeriod::Cycle(JUNE), "1.5"),
                customer(&c2, TotalPeriod::All, "4"),
                customer(&c2, TotalPeriod::Cycle(JUNE), "4"),
                customer(&c3, TotalPeriod::All, "8"),
                customer(&c3, TotalPeriod::Cycle(JUNE), "8"),
                // Neither the referral partner nor anyone for a customer without a partner.
                Addition { scope: TotalScope::Partner(partner("p1")), period: TotalPeriod::All, amount: money("3") },
            ]
        );
        assert_eq!(Totals::default().additions(), Ok(vec![]));
    }

    #[test]
    fn totals_refuse_to_overflow_rather_than_wrap() {
        let c1 = id("c1");
        let mut totals = Totals::default();
        totals.add(&c1, None, MAY, Money::MAX).unwrap();
        assert_eq!(totals.add(&c1, None, MAY, money("0.00000001")), Err(MoneyError::OutOfRange));
        // Within each cycle, but not in all.
        totals.add(&c1, None, JUNE, Money::MAX).unwrap();
        assert_eq!(totals.additions(), Err(MoneyError::OutOfRange));
    }

    #[test]
    fn the_quota_is_used_by_what_is_owed_less_the_balance_b1_4_4_r_quota_07() {
        let use_ = QuotaUse { due: money("30"), unbilled: money("20.5"), balance: money("10"), coupons: money("0.5") };
        assert_eq!(use_.used(), Ok(money("40")));
        let advance = QuotaUse { unbilled: money("20"), balance: money("50"), ..QuotaUse::default() };
        assert_eq!(advance.used(), Ok(money("-30")), "an advance leaves more than the whole quota");
        assert_eq!(QuotaUse::default().used(), Ok(Money::ZERO));
        let broken = QuotaUse { due: Money::MAX, unbilled: Money::MAX, ..QuotaUse::default() };
        assert_eq!(broken.used(), Err(MoneyError::OutOfRange));
    }

    #[test]
    fn a_billed_month_moves_from_unbilled_to_due_r_bill_03() {
        let parts = QuotaUse::from_totals(money("100"), money("60"), money("45"), money("5"), money("12")).unwrap();
        assert_eq!((parts.unbilled, parts.due, parts.balance), (money("40"), money("45"), money("5")));
        // B1.2 show_partner_consumption_quota: used = due + unbilled − balance − coupon balance.
        assert_eq!(parts.used(), Ok(money("68")));
    }
}
