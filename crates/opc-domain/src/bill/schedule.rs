//! When a billing month begins and ends, and when the bill run must close it.

use super::BillError;
use crate::time::{days_in_month, Millis, Timestamp};
use crate::usage::Cycle;

/// The day of the next month by which a month is closed, by default.
pub const DEFAULT_CLOSING_DAY: u32 = 5;
/// The hour of that day, in the billing zone, by default.
pub const DEFAULT_CLOSING_HOUR: u32 = 12;

/// The start of `day` of the cycle's month at `hour`, in the zone `zone_offset` from UTC; a
/// day past the month's end is its last day.
fn local(cycle: Cycle, day: u32, hour: u32, zone_offset: Millis) -> Result<Timestamp, BillError> {
    let (year, month) = cycle.year_month().ok_or(BillError::Cycle(cycle))?;
    let day = day.min(days_in_month(year, month));
    let at = Timestamp::from_utc(year, month, day, hour, 0, 0).map_err(|_| BillError::Cycle(cycle))?;
    Ok(at.plus(Millis(-zone_offset.0)))
}

/// R-BILL-03: month `cycle` in the billing zone (`offset` from UTC, Beijing time by default):
/// from its first instant to the first instant of the next month, excluded.
pub fn cycle_bounds(cycle: Cycle, offset: Millis) -> Result<(Timestamp, Timestamp), BillError> {
    let next = cycle.next().ok_or(BillError::Cycle(cycle))?;
    Ok((local(cycle, 1, 0, offset)?, local(next, 1, 0, offset)?))
}

/// The bill run's deadline for month `cycle`: `day` (1–31; past the month's end, its last day)
/// of the next month at `hour` (0–23) in the zone `zone_offset` from UTC. By default the 5th at
/// 12:00, Beijing time ([`DEFAULT_CLOSING_DAY`], [`DEFAULT_CLOSING_HOUR`]).
pub fn closing_due(cycle: Cycle, day: u32, hour: u32, zone_offset: Millis) -> Result<Timestamp, BillError> {
    if !(1..=31).contains(&day) || hour > 23 {
        return Err(BillError::ClosingTime);
    }
    let next = cycle.next().ok_or(BillError::Cycle(cycle))?;
    local(next, day, hour, zone_offset)
}
