//! Reseller customers' budgets (R-RCM-03 … R-RCM-08) and their adjustment records.

use crate::ids::{AccountId, PartnerId};
use crate::money::{Money, MoneyError};
use crate::time::Timestamp;

/// The BSS `budget_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BudgetType {
    /// Compared with the current month's spend; restores on the 1st (R-RCM-06).
    Monthly,
    /// A one-time budget that never restores.
    Package,
}

/// A budget amount as the API accepts it: more than 0, at most 2147483647, at most 2 decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BudgetAmount(Money);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BudgetAmountError {
    #[error("must be a number with at most 2 decimals")]
    Malformed,
    #[error("must be more than 0 and at most 2147483647")]
    OutOfRange,
}

impl BudgetAmount {
    pub const MAX_MAJOR: i64 = 2_147_483_647;

    pub fn parse(text: &str) -> Result<BudgetAmount, BudgetAmountError> {
        let money = Money::parse_with_scale(text, 2).map_err(|e| match e {
            MoneyError::OutOfRange => BudgetAmountError::OutOfRange,
            MoneyError::TooPrecise { .. } | MoneyError::Malformed => BudgetAmountError::Malformed,
        })?;
        let max = Money::from_major(Self::MAX_MAJOR).expect("the maximum budget is a valid amount");
        if money <= Money::ZERO || money > max {
            return Err(BudgetAmountError::OutOfRange);
        }
        Ok(BudgetAmount(money))
    }

    pub fn money(self) -> Money {
        self.0
    }
}

/// A reseller customer's current budget. Fields are private: a budget is decided by
/// [`Budget::set`] or rebuilt by the store ([`Budget::from_stored`]), and read by getters; its
/// `version` is the stored one it was read at or decided from, for the store's version check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Budget {
    customer: AccountId,
    partner: PartnerId,
    budget_type: BudgetType,
    amount: Money,
    auto_freeze: Option<bool>,
    set_at: Timestamp,
    version: i64,
}

/// A stored budget's fields, for [`Budget::from_stored`].
pub struct StoredBudget {
    pub customer: AccountId,
    pub partner: PartnerId,
    pub budget_type: BudgetType,
    pub amount: Money,
    pub auto_freeze: Option<bool>,
    pub set_at: Timestamp,
    pub version: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BudgetOperation {
    /// The partner set the budget.
    Setting,
    /// The association ended, which removes the budget.
    Delete,
}

/// One line of a customer's budget history (`list_sub_customer_budget_records`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetRecord {
    pub customer: AccountId,
    pub partner: PartnerId,
    pub operation: BudgetOperation,
    pub budget_type: BudgetType,
    pub amount: Money,
    /// The partner's account name, or `system`.
    pub operator: String,
    pub partner_corp_name: String,
    pub partner_account_name: String,
    pub at: Timestamp,
}

/// What the partner asks for in `update_sub_customer_budget`.
pub struct BudgetChange {
    pub budget_type: BudgetType,
    pub amount: BudgetAmount,
    pub auto_freeze: Option<bool>,
}

impl Budget {
    /// Decides the customer's new budget from its current one (if any). The version carries
    /// over so the store can detect a concurrent change.
    pub fn set(
        current: Option<&Budget>,
        customer: &AccountId,
        partner: &PartnerId,
        change: &BudgetChange,
        now: Timestamp,
    ) -> Budget {
        Budget {
            customer: customer.clone(),
            partner: partner.clone(),
            budget_type: change.budget_type,
            amount: change.amount.money(),
            auto_freeze: change.auto_freeze.or(current.and_then(|b| b.auto_freeze)),
            set_at: now,
            version: current.map_or(0, |b| b.version),
        }
    }

    /// Rebuilds a stored budget. For the store only: it performs no check, because the values
    /// were decided by [`Budget::set`].
    pub fn from_stored(s: StoredBudget) -> Budget {
        Budget {
            customer: s.customer,
            partner: s.partner,
            budget_type: s.budget_type,
            amount: s.amount,
            auto_freeze: s.auto_freeze,
            set_at: s.set_at,
            version: s.version,
        }
    }

    pub fn customer(&self) -> &AccountId {
        &self.customer
    }

    /// The partner that set it.
    pub fn partner(&self) -> &PartnerId {
        &self.partner
    }

    pub fn budget_type(&self) -> BudgetType {
        self.budget_type
    }

    pub fn amount(&self) -> Money {
        self.amount
    }

    /// `frozen_operate_type`: freeze the customer automatically once the budget is used up.
    /// `None` until the partner says.
    pub fn auto_freeze(&self) -> Option<bool> {
        self.auto_freeze
    }

    pub fn set_at(&self) -> Timestamp {
        self.set_at
    }

    /// The stored version this budget was read at, or decided from (0 for a first budget).
    pub fn version(&self) -> i64 {
        self.version
    }
}

/// The budget notice thresholds, in percent of the budget (issue #6). A-06: the seeds leave the
/// proportion open.
pub const NOTICE_THRESHOLDS: [u32; 3] = [75, 90, 100];

/// R-RCM-04: the notice thresholds `used` has reached against the budget `amount`. A
/// zero budget reaches none: it still allows pay-per-use (R-RCM-07) and has no proportion.
pub fn thresholds_reached(amount: Money, used: Money) -> Vec<u32> {
    if amount <= Money::ZERO {
        return vec![];
    }
    let (amount, used) = (i128::from(amount.e8()), i128::from(used.e8()));
    NOTICE_THRESHOLDS.into_iter().filter(|t| used * 100 >= amount * i128::from(*t)).collect()
}

/// `percent` % of `amount`, to 10⁻⁸ (rounded toward zero): where a threshold of
/// [`NOTICE_THRESHOLDS`] lies (75 % of USD 100.00 is USD 75.00).
pub fn threshold_amount(amount: Money, percent: u32) -> Result<Money, MoneyError> {
    let e8 = i128::from(amount.e8()) * i128::from(percent) / 100;
    Money::from_e8(i64::try_from(e8).map_err(|_| MoneyError::OutOfRange)?)
}

/// The partner's consumption-quota notice threshold (R-QUOTA-04), in percent.
pub const QUOTA_NOTICE_PERCENT: u32 = 80;

/// R-QUOTA-04, R-QUOTA-06: whether the partner's reseller spend `used` has reached the notice
/// threshold of its consumption `quota`, and whether it exceeds the quota. A quota of 0 is one
/// the operator has not set yet (R-QUOTA-02): nothing is checked against it.
pub fn quota_state(quota: Money, used: Money) -> (bool, bool) {
    if quota <= Money::ZERO {
        return (false, false);
    }
    let (q, u) = (i128::from(quota.e8()), i128::from(used.e8()));
    (u * 100 >= q * i128::from(QUOTA_NOTICE_PERCENT), u > q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_amounts_are_positive_bounded_and_cents() {
        let ok = |t: &str| BudgetAmount::parse(t).map(|a| a.money().to_plain_string());
        assert_eq!(ok("100"), Ok("100".into()));
        assert_eq!(ok("0.01"), Ok("0.01".into()));
        assert_eq!(ok("2147483647"), Ok("2147483647".into()));
        assert_eq!(ok("2147483647.00"), Ok("2147483647".into()));
        assert_eq!(ok("0"), Err(BudgetAmountError::OutOfRange));
        assert_eq!(ok("0.00"), Err(BudgetAmountError::OutOfRange));
        assert_eq!(ok("-5"), Err(BudgetAmountError::OutOfRange));
        assert_eq!(ok("2147483647.01"), Err(BudgetAmountError::OutOfRange));
        assert_eq!(ok("99999999999999999999"), Err(BudgetAmountError::OutOfRange));
        assert_eq!(ok("1.001"), Err(BudgetAmountError::Malformed));
        assert_eq!(ok("1e3"), Err(BudgetAmountError::Malformed));
    }

    #[test]
    fn r_rcm_03_setting_a_budget_keeps_an_earlier_auto_freeze_choice() {
        let c = AccountId::from_random([1; 16]);
        let p = PartnerId::from_random([2; 16]);
        let t = Timestamp::from_unix_ms(5);
        let first = Budget::set(
            None,
            &c,
            &p,
            &BudgetChange {
                budget_type: BudgetType::Monthly,
                amount: BudgetAmount::parse("100").unwrap(),
                auto_freeze: Some(true),
            },
            t,
        );
        assert_eq!((first.auto_freeze, first.version), (Some(true), 0));
        let stored = Budget::from_stored(StoredBudget {
            customer: c.clone(),
            partner: p.clone(),
            budget_type: first.budget_type,
            amount: first.amount,
            auto_freeze: first.auto_freeze,
            set_at: first.set_at,
            version: 3,
        });
        let second = Budget::set(
            Some(&stored),
            &c,
            &p,
            &BudgetChange {
                budget_type: BudgetType::Package,
                amount: BudgetAmount::parse("50.5").unwrap(),
                auto_freeze: None,
            },
            t,
        );
        assert_eq!(second.auto_freeze, Some(true));
        assert_eq!(second.version, 3);
        assert_eq!(second.budget_type, BudgetType::Package);
        assert_eq!(second.amount.to_plain_string(), "50.5");
    }

    #[test]
    fn r_rcm_04_notices_at_75_90_and_100_percent_of_the_budget() {
        let m = |t: &str| Money::parse(t).unwrap();
        assert_eq!(thresholds_reached(m("100"), m("74.99999999")), Vec::<u32>::new());
        assert_eq!(thresholds_reached(m("100"), m("75")), [75]);
        assert_eq!(thresholds_reached(m("100"), m("99.99")), [75, 90]);
        assert_eq!(thresholds_reached(m("100"), m("150")), [75, 90, 100]);
        assert_eq!(thresholds_reached(m("0"), m("5")), Vec::<u32>::new(), "R-RCM-07: a zero budget");
        let lines: Vec<Money> = NOTICE_THRESHOLDS.iter().map(|t| threshold_amount(m("123.45"), *t).unwrap()).collect();
        assert_eq!(lines, [m("92.5875"), m("111.105"), m("123.45")], "where the notices' lines lie");
        assert_eq!(threshold_amount(m("0.00000003"), 75), Ok(m("0.00000002")), "toward zero, to 10^-8");
        assert_eq!(
            thresholds_reached(m("0.00000003"), threshold_amount(m("0.00000003"), 75).unwrap()),
            Vec::<u32>::new()
        );
    }

    #[test]
    fn r_quota_04_r_quota_06_notice_at_80_percent_restriction_beyond_the_quota() {
        let m = |t: &str| Money::parse(t).unwrap();
        assert_eq!(quota_state(m("1000"), m("799.99")), (false, false));
        assert_eq!(quota_state(m("1000"), m("800")), (true, false));
        assert_eq!(quota_state(m("1000"), m("1000")), (true, false), "exceeded means beyond");
        assert_eq!(quota_state(m("1000"), m("1000.00000001")), (true, true));
        assert_eq!(quota_state(Money::ZERO, m("5")), (false, false), "no quota set yet");
    }
}
