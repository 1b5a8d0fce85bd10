//! Instants in UTC, counted in milliseconds since the Unix epoch.
//!
//! The domain never reads the system clock: every function that needs "now" takes it as an
//! argument. Calendar arithmetic is the proleptic Gregorian calendar (Howard Hinnant's
//! `days_from_civil`), exact for every date the product will ever see.

use std::fmt;

/// A UTC instant with millisecond precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    unix_ms: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("the time is not in the expected format")]
    Malformed,
    #[error("the time is not a valid calendar time")]
    OutOfRange,
}

/// A duration in milliseconds (signed, so that differences of instants are total).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Millis(pub i64);

impl Millis {
    pub const fn minutes(n: i64) -> Millis {
        Millis(n * 60_000)
    }
    pub const fn days(n: i64) -> Millis {
        Millis(n * 86_400_000)
    }
}

impl Timestamp {
    pub const fn from_unix_ms(unix_ms: i64) -> Timestamp {
        Timestamp { unix_ms }
    }

    pub const fn unix_ms(self) -> i64 {
        self.unix_ms
    }

    pub fn plus(self, d: Millis) -> Timestamp {
        Timestamp::from_unix_ms(self.unix_ms.saturating_add(d.0))
    }

    /// `self - earlier`, negative if `earlier` is later.
    pub fn since(self, earlier: Timestamp) -> Millis {
        Millis(self.unix_ms.saturating_sub(earlier.unix_ms))
    }

    /// Builds an instant from UTC calendar fields, checking every field's range.
    pub fn from_utc(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Result<Timestamp, TimeError> {
        if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59 {
            return Err(TimeError::OutOfRange);
        }
        if !(1970..=9999).contains(&y) {
            return Err(TimeError::OutOfRange);
        }
        let days = days_from_civil(y, mo, d);
        let secs = days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s);
        Ok(Timestamp::from_unix_ms(secs * 1000))
    }

    /// UTC calendar fields `(year, month, day, hour, minute, second)`.
    pub fn to_utc(self) -> (i64, u32, u32, u32, u32, u32) {
        let secs = self.unix_ms.div_euclid(1000);
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, mo, d) = civil_from_days(days);
        (y, mo, d, (rem / 3600) as u32, (rem % 3600 / 60) as u32, (rem % 60) as u32)
    }

    /// `2019-05-06T08:05:01Z`, the format of every BSS time field.
    pub fn to_rfc3339(self) -> String {
        let (y, mo, d, h, mi, s) = self.to_utc();
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }

    /// Parses exactly `YYYY-MM-DDThh:mm:ssZ`.
    pub fn parse_rfc3339(text: &str) -> Result<Timestamp, TimeError> {
        let b = text.as_bytes();
        if b.len() != 20
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
            || b[19] != b'Z'
        {
            return Err(TimeError::Malformed);
        }
        Timestamp::from_utc(
            digits(&b[0..4])?,
            digits(&b[5..7])? as u32,
            digits(&b[8..10])? as u32,
            digits(&b[11..13])? as u32,
            digits(&b[14..16])? as u32,
            digits(&b[17..19])? as u32,
        )
    }

    /// Parses the SDK's `X-Sdk-Date`, exactly `YYYYMMDDThhmmssZ` (Python `%Y%m%dT%H%M%SZ`).
    pub fn parse_sdk_date(text: &str) -> Result<Timestamp, TimeError> {
        let b = text.as_bytes();
        if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
            return Err(TimeError::Malformed);
        }
        Timestamp::from_utc(
            digits(&b[0..4])?,
            digits(&b[4..6])? as u32,
            digits(&b[6..8])? as u32,
            digits(&b[9..11])? as u32,
            digits(&b[11..13])? as u32,
            digits(&b[13..15])? as u32,
        )
    }

    pub fn to_sdk_date(self) -> String {
        let (y, mo, d, h, mi, s) = self.to_utc();
        format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

fn digits(b: &[u8]) -> Result<i64, TimeError> {
    b.iter().try_fold(0i64, |acc, &c| {
        if c.is_ascii_digit() {
            Ok(acc * 10 + i64::from(c - b'0'))
        } else {
            Err(TimeError::Malformed)
        }
    })
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_rfc3339() {
        let t = Timestamp::from_utc(2019, 5, 6, 8, 5, 1).unwrap();
        assert_eq!(t.to_rfc3339(), "2019-05-06T08:05:01Z");
        assert_eq!(Timestamp::parse_rfc3339("2019-05-06T08:05:01Z"), Ok(t));
        assert_eq!(Timestamp::from_unix_ms(0).to_rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp::from_unix_ms(1_700_000_000_000).to_rfc3339(), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn parses_the_sdk_date() {
        let t = Timestamp::parse_sdk_date("20240102T030405Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2024-01-02T03:04:05Z");
        assert_eq!(t.to_sdk_date(), "20240102T030405Z");
    }

    #[test]
    fn refuses_malformed_and_impossible_times() {
        for bad in [
            "",
            "2024-01-02",
            "2024-01-02T03:04:05",
            "2024-01-02 03:04:05Z",
            "2024-01-0xT03:04:05Z",
            "2024-01-02T03:04:05.000Z",
        ] {
            assert_eq!(Timestamp::parse_rfc3339(bad), Err(TimeError::Malformed), "{bad}");
        }
        for bad in [
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:60:00Z",
        ] {
            assert_eq!(Timestamp::parse_rfc3339(bad), Err(TimeError::OutOfRange), "{bad}");
        }
        assert!(Timestamp::parse_rfc3339("2024-02-29T23:59:59Z").is_ok());
        for bad in ["20240102T030405", "2024010T030405Z", "20240102 030405Z", "2024-1-02T03045Z"] {
            assert!(Timestamp::parse_sdk_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn civil_conversion_round_trips_over_centuries() {
        let mut day = days_from_civil(1970, 1, 1);
        assert_eq!(day, 0);
        let end = days_from_civil(2400, 12, 31);
        while day <= end {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
            day += 1;
        }
    }
}
