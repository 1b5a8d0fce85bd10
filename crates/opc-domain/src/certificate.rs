//! Program certificates (R-CERT-01 … R-CERT-03): each program has a renewal policy (R-CERT-01);
//! every program renews automatically on January 31 each year (R-CERT-02); the validity period
//! is printed in the certificate.

use crate::partner::{Enrollment, Partner, Program, Tier};
use crate::time::Timestamp;

/// R-CERT-01: how a program's certificates are renewed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenewalPolicy {
    /// Renewed automatically every January 31 (R-CERT-02): never lapses while enrolled.
    Automatic,
    /// Valid until the first January 31 after enrollment or the last re-certification, then
    /// lapsed until the partner re-certifies.
    ManualRecertification,
    /// Valid until the first January 31 after enrollment, then lapsed until the partner
    /// re-applies to the program.
    Reapplication,
}

/// R-CERT-01, R-CERT-02: the renewal policy of `program`. The only documented policy is the
/// automatic renewal on January 31, so every program has it.
pub fn renewal_policy(program: Program) -> RenewalPolicy {
    match program {
        Program::CloudSolutionProvider
        | Program::DistributionPartner
        | Program::Reseller
        | Program::KooGallerySeller
        | Program::KooGallerySales
        | Program::Carrier
        | Program::PartnerCompetency => RenewalPolicy::Automatic,
    }
}

/// What a program certificate states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    partner_name: String,
    program: Program,
    tier: Tier,
    policy: RenewalPolicy,
    valid_from: Timestamp,
    /// The first instant the certificate is no longer valid.
    valid_until: Timestamp,
}

impl Certificate {
    /// A certificate as stated: `[valid_from, valid_until)` under `policy`. The validity a
    /// partner's enrollment earns is [`certificate`]'s to compute.
    pub fn stating(
        partner_name: &str,
        (program, tier): (Program, Tier),
        policy: RenewalPolicy,
        (valid_from, valid_until): (Timestamp, Timestamp),
    ) -> Certificate {
        Certificate { partner_name: partner_name.to_owned(), program, tier, policy, valid_from, valid_until }
    }

    pub fn partner_name(&self) -> &str {
        &self.partner_name
    }

    pub fn program(&self) -> Program {
        self.program
    }

    pub fn tier(&self) -> Tier {
        self.tier
    }

    pub fn policy(&self) -> RenewalPolicy {
        self.policy
    }

    pub fn valid_from(&self) -> Timestamp {
        self.valid_from
    }

    pub fn valid_until(&self) -> Timestamp {
        self.valid_until
    }

    /// R-CERT-01: whether the validity period is over at `now` (never, under automatic renewal:
    /// the period is always the current one).
    pub fn lapsed(&self, now: Timestamp) -> bool {
        now >= self.valid_until
    }
}

/// January 31, 00:00 UTC, of `year`.
fn january_31(year: i64) -> Timestamp {
    Timestamp::from_utc(year, 1, 31, 0, 0, 0).expect("January 31 exists every year")
}

/// The first January 31 strictly after `t`.
fn next_january_31(t: Timestamp) -> Timestamp {
    let (year, ..) = t.to_utc();
    let this_year = january_31(year);
    if t < this_year {
        this_year
    } else {
        january_31(year + 1)
    }
}

/// R-CERT-01, R-CERT-02: the validity period `[from, until)` of a certificate under `policy`.
/// Automatic: the current period, from the latest January 31 renewal (or the enrollment, if
/// later) until the next January 31. Manual re-certification and re-application: from the
/// enrollment (`enrolled_at`, the last re-certification or re-application) until the first
/// January 31 after it, which may be in the past: see `Certificate::lapsed`.
pub fn validity(policy: RenewalPolicy, enrolled_at: Timestamp, now: Timestamp) -> (Timestamp, Timestamp) {
    match policy {
        RenewalPolicy::Automatic => {
            let next = next_january_31(now);
            let (next_year, ..) = next.to_utc();
            (enrolled_at.max(january_31(next_year - 1)), next)
        }
        RenewalPolicy::ManualRecertification | RenewalPolicy::Reapplication => {
            (enrolled_at, next_january_31(enrolled_at))
        }
    }
}

/// The certificate of one enrolled program, under the program's renewal policy, or `None` if
/// the partner is not in it.
pub fn certificate(partner: &Partner, program: Program, now: Timestamp) -> Option<Certificate> {
    certificate_under(renewal_policy(program), partner, program, now)
}

fn certificate_under(
    policy: RenewalPolicy,
    partner: &Partner,
    program: Program,
    now: Timestamp,
) -> Option<Certificate> {
    let Enrollment { tier, enrolled_at, .. } = partner.enrollments().iter().find(|e| e.program == program)?.clone();
    let (valid_from, valid_until) = validity(policy, enrolled_at, now);
    Some(Certificate {
        partner_name: partner.name().as_str().to_owned(),
        program,
        tier,
        policy,
        valid_from,
        valid_until,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i64, m: u32, d: u32) -> Timestamp {
        Timestamp::from_utc(y, m, d, 12, 0, 0).unwrap()
    }

    /// One millisecond before `t`.
    fn just_before(t: Timestamp) -> Timestamp {
        Timestamp::from_unix_ms(t.unix_ms() - 1)
    }

    #[test]
    fn r_cert_02_certificates_run_to_the_next_january_31() {
        let enrolled = at(2025, 6, 1);
        let auto = RenewalPolicy::Automatic;
        assert_eq!(validity(auto, enrolled, at(2025, 11, 22)), (enrolled, january_31(2026)));
        assert_eq!(validity(auto, enrolled, at(2026, 1, 30)), (enrolled, january_31(2026)));
        assert_eq!(validity(auto, enrolled, just_before(january_31(2026))), (enrolled, january_31(2026)));
        assert_eq!(
            validity(auto, enrolled, january_31(2026)),
            (january_31(2026), january_31(2027)),
            "renewed at the first instant of January 31"
        );
        assert_eq!(
            validity(auto, enrolled, at(2026, 1, 31)),
            (january_31(2026), january_31(2027)),
            "renewed on January 31"
        );
        assert_eq!(validity(auto, enrolled, at(2026, 11, 22)), (january_31(2026), january_31(2027)));
        assert_eq!(validity(auto, january_31(2026), january_31(2026)), (january_31(2026), january_31(2027)));
    }

    #[test]
    fn r_cert_01_r_cert_02_every_program_renews_automatically() {
        for program in Program::ALL {
            assert_eq!(renewal_policy(program), RenewalPolicy::Automatic, "{program:?}");
        }
    }

    #[test]
    fn r_cert_01_manual_policies_run_from_enrollment_to_the_first_january_31_then_lapse() {
        let enrolled = at(2025, 6, 1);
        for policy in [RenewalPolicy::ManualRecertification, RenewalPolicy::Reapplication] {
            for now in [at(2025, 11, 22), just_before(january_31(2026)), january_31(2026), at(2027, 3, 1)] {
                assert_eq!(validity(policy, enrolled, now), (enrolled, january_31(2026)), "{policy:?} at {now:?}");
            }
            // Enrolled (re-certified, re-applied) on January 31 itself: valid for a whole year.
            assert_eq!(validity(policy, january_31(2026), january_31(2026)), (january_31(2026), january_31(2027)));
            assert_eq!(
                validity(policy, just_before(january_31(2026)), at(2025, 12, 1)).1,
                january_31(2026),
                "one millisecond before January 31 runs only to that January 31"
            );
        }
    }

    #[test]
    fn r_cert_01_a_certificate_lapses_at_its_january_31_unless_renewed_automatically() {
        use crate::partner::{PartnerState, StoredPartner};
        use crate::text::{CountryCode, DisplayName};
        use crate::{AccountId, PartnerId};
        let enrolled = at(2025, 6, 1);
        let partner = Partner::from_stored(StoredPartner {
            id: PartnerId::from_random([1; 16]),
            account_id: AccountId::from_random([2; 16]),
            name: DisplayName::parse("Example Ltd").unwrap(),
            country: CountryCode::parse("SG").unwrap(),
            enrollments: vec![Enrollment { program: Program::Carrier, tier: Tier::Standard, enrolled_at: enrolled }],
            distributor: None,
            state: PartnerState::Normal,
            consumption_quota: crate::Money::ZERO,
            created_at: enrolled,
            version: 0,
        });
        let program = Program::Carrier;
        assert_eq!(certificate(&partner, Program::Reseller, enrolled), None, "not in the program");

        let auto = certificate(&partner, program, at(2027, 3, 1)).unwrap();
        assert_eq!(
            (auto.policy, auto.valid_from, auto.valid_until, auto.tier, auto.partner_name.as_str()),
            (RenewalPolicy::Automatic, january_31(2027), january_31(2028), Tier::Standard, "Example Ltd")
        );
        for now in [just_before(january_31(2026)), january_31(2026), at(2030, 1, 31)] {
            assert!(!certificate(&partner, program, now).unwrap().lapsed(now), "R-CERT-02: renewed, at {now:?}");
        }

        for policy in [RenewalPolicy::ManualRecertification, RenewalPolicy::Reapplication] {
            let cert = |now| certificate_under(policy, &partner, program, now).unwrap();
            assert_eq!(cert(at(2025, 7, 1)).policy, policy);
            assert!(!cert(just_before(january_31(2026))).lapsed(just_before(january_31(2026))), "{policy:?}");
            assert!(
                cert(january_31(2026)).lapsed(january_31(2026)),
                "{policy:?} lapses at the first instant of January 31"
            );
            assert!(cert(at(2027, 3, 1)).lapsed(at(2027, 3, 1)), "{policy:?} stays lapsed");
        }
    }
}
