//! Money as an exact count of 10⁻⁸ of the currency's major unit.
//!
//! Invariant: no float ever touches an amount. Parsing is exact decimal parsing; arithmetic is
//! checked; the only rounding is the explicit [`Money::round_to_cents`], used where a rule says so.

use std::fmt;

/// An amount of money, counted in 10⁻⁸ of the currency's major unit.
///
/// Invariant: `|e8| <= Money::MAX.e8` (10¹⁰ major units), enforced by every constructor, so the
/// sum of two amounts never overflows `i64` before the range check sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money {
    e8: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("the amount is out of range")]
    OutOfRange,
    #[error("the amount has more than {max} decimal places")]
    TooPrecise { max: u32 },
    #[error("the amount is not a decimal number")]
    Malformed,
}

impl Money {
    pub const SCALE: i64 = 100_000_000;
    pub const DECIMALS: u32 = 8;
    pub const ZERO: Money = Money { e8: 0 };
    /// Ten billion major units: far above any single charge, budget or quota, and small enough
    /// that `a + b` of two valid amounts cannot overflow `i64`.
    pub const MAX: Money = Money { e8: 10_000_000_000 * Self::SCALE };

    pub fn from_e8(e8: i64) -> Result<Money, MoneyError> {
        if e8.unsigned_abs() > Self::MAX.e8.unsigned_abs() {
            return Err(MoneyError::OutOfRange);
        }
        Ok(Money { e8 })
    }

    pub fn from_major(units: i64) -> Result<Money, MoneyError> {
        Money::from_e8(units.checked_mul(Self::SCALE).ok_or(MoneyError::OutOfRange)?)
    }

    pub fn e8(self) -> i64 {
        self.e8
    }

    pub fn is_negative(self) -> bool {
        self.e8 < 0
    }

    /// Exact decimal parse of `[-]digits[.digits]` with at most 8 decimals.
    /// `"12.5"` is 12.50000000; `"12.123456789"` is [`MoneyError::TooPrecise`]; exponents,
    /// signs other than a leading `-`, spaces and empty parts are [`MoneyError::Malformed`].
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        Money::parse_with_scale(text, Self::DECIMALS)
    }

    /// Like [`Money::parse`], but refuses more than `max_decimals` decimals (the wire contract
    /// limits some amounts, budgets for instance, to 2).
    pub fn parse_with_scale(text: &str, max_decimals: u32) -> Result<Money, MoneyError> {
        debug_assert!(max_decimals <= Self::DECIMALS);
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
            return Err(MoneyError::Malformed);
        }
        if digits.contains('.') && fraction.is_empty() {
            return Err(MoneyError::Malformed);
        }
        let significant = fraction.trim_end_matches('0');
        if significant.len() > max_decimals as usize {
            return Err(MoneyError::TooPrecise { max: max_decimals });
        }
        let mut e8: i64 = 0;
        for b in whole.bytes() {
            e8 = e8.checked_mul(10).and_then(|v| v.checked_add(i64::from(b - b'0'))).ok_or(MoneyError::OutOfRange)?;
            if e8 > Self::MAX.e8 / Self::SCALE {
                return Err(MoneyError::OutOfRange);
            }
        }
        e8 *= Self::SCALE;
        let mut unit = Self::SCALE;
        for b in significant.bytes() {
            unit /= 10;
            e8 += i64::from(b - b'0') * unit;
        }
        Money::from_e8(if negative { -e8 } else { e8 })
    }

    /// The amount without its sign (always in range: the range is symmetric).
    pub fn abs(self) -> Money {
        Money { e8: self.e8.abs() }
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        Money::from_e8(self.e8.checked_add(other.e8).ok_or(MoneyError::OutOfRange)?)
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        Money::from_e8(self.e8.checked_sub(other.e8).ok_or(MoneyError::OutOfRange)?)
    }

    /// Rounds half away from zero to 2 decimals. Only for the places where a rule rounds to
    /// cents (monthly bill totals); everything else keeps 8 decimals.
    pub fn round_to_cents(self) -> Money {
        const CENT: i64 = Money::SCALE / 100;
        let rem = self.e8 % CENT;
        let down = self.e8 - rem;
        let e8 = if rem.abs() * 2 >= CENT { down + rem.signum() * CENT } else { down };
        Money { e8 }
    }

    /// The decimal text with exactly two decimals (`"12.50"`), rounded to cents first: for
    /// amounts people enter in cents, such as revenue goals.
    pub fn to_cents_string(self) -> String {
        let full = self.round_to_cents().to_string();
        full[..full.len() - 6].to_owned()
    }

    /// The amount as people read it (issue 17: one way everywhere): the currency, thousands
    /// separated, two decimals rounded half away from zero — `USD 1,234.57`, `USD -0.50`. The
    /// exact value (8 decimals) goes beside it where it matters: a tooltip, an export.
    pub fn to_display_string(self) -> String {
        let cents = self.to_cents_string();
        let (sign, digits) = cents.strip_prefix('-').map_or(("", cents.as_str()), |d| ("-", d));
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "00"));
        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if grouped.chars().all(|c| c == '0' || c == ',') && fraction == "00" { "" } else { sign };
        format!("{CURRENCY} {sign}{grouped}.{fraction}")
    }

    /// The decimal text with trailing zeros of the fraction removed (`"12.5"`, `"3"`,
    /// `"-0.00000001"`): the shortest exact form, used on the wire as a JSON number.
    pub fn to_plain_string(self) -> String {
        let full = self.to_string();
        match full.split_once('.') {
            Some((whole, fraction)) => {
                let fraction = fraction.trim_end_matches('0');
                if fraction.is_empty() {
                    whole.to_owned()
                } else {
                    format!("{whole}.{fraction}")
                }
            }
            None => full,
        }
    }
}

/// The currency every amount is in (the BSS API's `currency`).
pub const CURRENCY: &str = "USD";

impl fmt::Display for Money {
    /// Always 8 decimals: `12.50000000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.e8 < 0 { "-" } else { "" };
        let abs = self.e8.unsigned_abs();
        let scale = Self::SCALE.unsigned_abs();
        write!(f, "{sign}{}.{:08}", abs / scale, abs % scale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_strings_have_two_decimals() {
        assert_eq!(Money::parse("1500000").unwrap().to_cents_string(), "1500000.00");
        assert_eq!(Money::parse("-0.5").unwrap().to_cents_string(), "-0.50");
        assert_eq!(Money::parse("12.345").unwrap().to_cents_string(), "12.35");
    }

    fn check(text: &str, expected: Result<i64, MoneyError>) {
        assert_eq!(Money::parse(text).map(Money::e8), expected, "parsing {text:?}");
    }

    #[test]
    fn parses_exact_decimals() {
        check("0", Ok(0));
        check("12.5", Ok(1_250_000_000));
        check("12.50000000", Ok(1_250_000_000));
        check("0.00000001", Ok(1));
        check("-0.00000001", Ok(-1));
        check("0.1", Ok(10_000_000));
        check("2147483647", Ok(214_748_364_700_000_000));
        check("10000000000", Ok(Money::MAX.e8()));
        check("12.1000000000", Ok(1_210_000_000));
    }

    #[test]
    fn refuses_what_is_not_an_exact_amount() {
        check("12.123456789", Err(MoneyError::TooPrecise { max: 8 }));
        check("10000000000.00000001", Err(MoneyError::OutOfRange));
        check("99999999999999999999", Err(MoneyError::OutOfRange));
        for bad in ["", "-", ".", "1.", ".5", "1e3", "+1", " 1", "1 ", "1,5", "0x10", "--1", "1.2.3", "NaN"] {
            check(bad, Err(MoneyError::Malformed));
        }
    }

    #[test]
    fn parse_with_scale_limits_decimals() {
        assert_eq!(Money::parse_with_scale("100.25", 2).map(Money::e8), Ok(10_025_000_000));
        assert_eq!(Money::parse_with_scale("100.250", 2).map(Money::e8), Ok(10_025_000_000));
        assert_eq!(Money::parse_with_scale("100.251", 2), Err(MoneyError::TooPrecise { max: 2 }));
    }

    #[test]
    fn formats_with_eight_decimals_and_plain() {
        let m = Money::parse("12.5").unwrap();
        assert_eq!(m.to_string(), "12.50000000");
        assert_eq!(m.to_plain_string(), "12.5");
        assert_eq!(Money::from_e8(-1).unwrap().to_string(), "-0.00000001");
        assert_eq!(Money::from_e8(-1).unwrap().to_plain_string(), "-0.00000001");
        assert_eq!(Money::from_major(3).unwrap().to_plain_string(), "3");
        assert_eq!(Money::ZERO.to_plain_string(), "0");
    }

    #[test]
    fn amounts_read_by_people_carry_the_currency_grouped_cents() {
        let m = |s: &str| Money::parse(s).unwrap().to_display_string();
        assert_eq!(m("77.20004"), "USD 77.20");
        assert_eq!(m("100"), "USD 100.00");
        assert_eq!(m("6.8"), "USD 6.80");
        assert_eq!(m("1234.565"), "USD 1,234.57");
        assert_eq!(m("-1234567.5"), "USD -1,234,567.50");
        assert_eq!(m("999.999"), "USD 1,000.00");
        assert_eq!(m("-0.001"), "USD 0.00");
        assert_eq!(m("0"), "USD 0.00");
        assert_eq!(Money::MAX.to_display_string().matches(',').count(), 3);
    }

    #[test]
    fn display_and_parse_round_trip() {
        for e8 in [0, 1, -1, 99, 100_000_000, -123_456_789_012, Money::MAX.e8(), -Money::MAX.e8()] {
            let m = Money::from_e8(e8).unwrap();
            assert_eq!(Money::parse(&m.to_string()), Ok(m));
            assert_eq!(Money::parse(&m.to_plain_string()), Ok(m));
        }
    }

    #[test]
    fn arithmetic_is_checked() {
        let one = Money::from_major(1).unwrap();
        assert_eq!(one.checked_add(one).unwrap().e8(), 200_000_000);
        assert_eq!(Money::MAX.checked_add(Money::from_e8(1).unwrap()), Err(MoneyError::OutOfRange));
        assert_eq!(Money::ZERO.checked_sub(one).unwrap().e8(), -100_000_000);
        assert_eq!(Money::from_e8(Money::MAX.e8() + 1), Err(MoneyError::OutOfRange));
    }

    #[test]
    fn rounds_to_cents_half_away_from_zero() {
        let r = |s: &str| Money::parse(s).unwrap().round_to_cents().to_plain_string();
        assert_eq!(r("1.004"), "1");
        assert_eq!(r("1.005"), "1.01");
        assert_eq!(r("1.00499999"), "1");
        assert_eq!(r("-1.005"), "-1.01");
        assert_eq!(r("-1.004"), "-1");
    }
}
