//! Program certificates (R-CERT-01 … R-CERT-03): renewed automatically on January 31 each year;
//! the validity period is printed in the certificate.

use crate::partner::{Enrollment, Partner, Program, Tier};
use crate::time::Timestamp;

/// What a program certificate states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    pub partner_name: String,
    pub program: Program,
    pub tier: Tier,
    pub valid_from: Timestamp,
    pub valid_until: Timestamp,
}

/// January 31, 00:00 UTC, of `year`.
fn january_31(year: i64) -> Timestamp {
    Timestamp::from_utc(year, 1, 31, 0, 0, 0).expect("January 31 exists every year")
}

/// R-CERT-02: the current validity period: from the latest January 31 renewal (or the
/// enrollment, if later) until the next January 31.
pub fn validity(enrolled_at: Timestamp, now: Timestamp) -> (Timestamp, Timestamp) {
    let (year, ..) = now.to_utc();
    let this_year = january_31(year);
    let (last, next) =
        if now < this_year { (january_31(year - 1), this_year) } else { (this_year, january_31(year + 1)) };
    (enrolled_at.max(last), next)
}

/// The certificate of one enrolled program, or `None` if the partner is not in it.
pub fn certificate(partner: &Partner, program: Program, now: Timestamp) -> Option<Certificate> {
    let Enrollment { tier, enrolled_at, .. } = partner.enrollments.iter().find(|e| e.program == program)?.clone();
    let (valid_from, valid_until) = validity(enrolled_at, now);
    Some(Certificate { partner_name: partner.name.as_str().to_owned(), program, tier, valid_from, valid_until })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i64, m: u32, d: u32) -> Timestamp {
        Timestamp::from_utc(y, m, d, 12, 0, 0).unwrap()
    }

    #[test]
    fn r_cert_02_certificates_run_to_the_next_january_31() {
        let enrolled = at(2025, 6, 1);
        assert_eq!(validity(enrolled, at(2025, 11, 22)), (enrolled, january_31(2026)));
        assert_eq!(validity(enrolled, at(2026, 1, 30)), (enrolled, january_31(2026)));
        assert_eq!(validity(enrolled, at(2026, 1, 31)), (january_31(2026), january_31(2027)), "renewed on January 31");
        assert_eq!(validity(enrolled, at(2026, 11, 22)), (january_31(2026), january_31(2027)));
    }
}
