//! R-PROG-44: a partner's annual revenue goal, for this year or the next.

use crate::money::Money;
use crate::time::Timestamp;
use crate::PartnerId;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevenueGoal {
    pub partner: PartnerId,
    pub year: i32,
    pub amount: Money,
    pub set_at: Timestamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GoalError {
    #[error("a goal is set for this year or the next")]
    Year,
    #[error("a goal is a positive amount with at most two decimals")]
    Amount,
}

impl RevenueGoal {
    /// A goal for `year` (the current year, in UTC, or the next), of a positive whole-cent amount.
    pub fn set(partner: PartnerId, year: i64, amount: Money, now: Timestamp) -> Result<RevenueGoal, GoalError> {
        let current = now.to_utc().0;
        if year != current && year != current + 1 {
            return Err(GoalError::Year);
        }
        if amount.e8() <= 0 || amount.round_to_cents() != amount {
            return Err(GoalError::Amount);
        }
        let year = i32::try_from(year).map_err(|_| GoalError::Year)?;
        Ok(RevenueGoal { partner, year, amount, set_at: now })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_prog_44_a_goal_is_for_this_year_or_the_next_and_a_positive_cent_amount() {
        let now = Timestamp::from_utc(2026, 11, 22, 0, 0, 0).unwrap();
        let p = PartnerId::from_random([1; 16]);
        let goal = RevenueGoal::set(p.clone(), 2027, Money::parse("1000000.50").unwrap(), now).unwrap();
        assert_eq!((goal.year, goal.amount.to_plain_string()), (2027, "1000000.5".to_owned()));
        assert!(RevenueGoal::set(p.clone(), 2026, Money::from_major(1).unwrap(), now).is_ok());
        assert_eq!(RevenueGoal::set(p.clone(), 2025, Money::from_major(1).unwrap(), now), Err(GoalError::Year));
        assert_eq!(RevenueGoal::set(p.clone(), 2028, Money::from_major(1).unwrap(), now), Err(GoalError::Year));
        assert_eq!(RevenueGoal::set(p.clone(), 2026, Money::ZERO, now), Err(GoalError::Amount));
        assert_eq!(RevenueGoal::set(p, 2026, Money::parse("0.001").unwrap(), now), Err(GoalError::Amount));
    }
}
