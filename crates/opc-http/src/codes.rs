//! The wire codes of domain enumerations that both the console API (`api`) and the web console
//! (`console`) read or write: programs, tiers, positions. Each is one exhaustive
//! match, so a new variant fails to compile rather than going out without a code; a list of
//! every variant serves parsing, which the tests below check round-trips.

use opc_domain::organization::Position;
use opc_domain::partner::{Program, Tier};

use crate::error::{ApiError, ErrorCode};

/// Every program, in the order the console lists them.
pub(crate) const PROGRAMS: [Program; 7] = [
    Program::CloudSolutionProvider,
    Program::DistributionPartner,
    Program::Reseller,
    Program::KooGallerySeller,
    Program::KooGallerySales,
    Program::Carrier,
    Program::PartnerCompetency,
];

pub(crate) fn program_code(p: Program) -> &'static str {
    match p {
        Program::CloudSolutionProvider => "csp",
        Program::DistributionPartner => "distributor",
        Program::Reseller => "reseller",
        Program::KooGallerySeller => "koogallery_seller",
        Program::KooGallerySales => "koogallery_sales",
        Program::Carrier => "carrier",
        Program::PartnerCompetency => "competency",
    }
}

pub(crate) fn parse_program(text: &str) -> Result<Program, ApiError> {
    PROGRAMS
        .into_iter()
        .find(|p| program_code(*p) == text)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("There is no program {text:?}.")))
}

pub(crate) fn program_name(p: Program) -> &'static str {
    match p {
        Program::CloudSolutionProvider => "Cloud Solution Provider",
        Program::DistributionPartner => "Distribution Partner",
        Program::Reseller => "Cloud Reseller",
        Program::KooGallerySeller => "KooGallery Seller",
        Program::KooGallerySales => "KooGallery Sales",
        Program::Carrier => "Carrier Partner",
        Program::PartnerCompetency => "Partner Competency",
    }
}

const TIERS: [Tier; 4] = [Tier::Standard, Tier::Advanced, Tier::Premier, Tier::Core];

pub(crate) fn tier_code(t: Tier) -> &'static str {
    match t {
        Tier::Standard => "standard",
        Tier::Advanced => "advanced",
        Tier::Premier => "premier",
        Tier::Core => "core",
    }
}

pub(crate) fn parse_tier(text: Option<&str>) -> Result<Tier, ApiError> {
    TIERS
        .into_iter()
        .find(|t| Some(tier_code(*t)) == text)
        .ok_or_else(|| ApiError::invalid("tier", "must be standard, advanced, premier or core"))
}

pub(crate) fn position_code(p: Position) -> &'static str {
    match p {
        Position::Member => "member",
        Position::AccountManager => "account_manager",
        Position::AccountDirector => "account_director",
    }
}

const POSITIONS: [Position; 3] = [Position::Member, Position::AccountManager, Position::AccountDirector];

pub(crate) fn parse_position(text: Option<&str>) -> Result<Position, ApiError> {
    POSITIONS
        .into_iter()
        .find(|p| Some(position_code(*p)) == text)
        .ok_or_else(|| ApiError::invalid("position", "must be member, account_manager or account_director"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant of `all` round-trips through `code` and `parse`, and the codes are
    /// distinct.
    pub(crate) fn check<T: Copy + PartialEq + std::fmt::Debug, E: std::fmt::Debug>(
        all: &[T],
        code: impl Fn(T) -> &'static str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) {
        let mut codes: Vec<_> = all.iter().map(|v| code(*v)).collect();
        for v in all {
            assert_eq!(parse(code(*v)).unwrap(), *v);
        }
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len(), "codes are distinct");
        assert!(parse("no-such-code").is_err());
    }

    #[test]
    fn every_console_api_code_round_trips() {
        check(&PROGRAMS, program_code, parse_program);
        check(&TIERS, tier_code, |t| parse_tier(Some(t)));
        check(&POSITIONS, position_code, |p| parse_position(Some(p)));
    }
}
