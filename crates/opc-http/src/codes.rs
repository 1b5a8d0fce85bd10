//! The wire codes of domain enumerations that both the console API (`api`) and the web console
//! (`console`) read or write: programs, tiers, positions. Each is one table or one exhaustive
//! match, so a new variant fails to compile rather than going out without a code.

use opc_domain::organization::Position;
use opc_domain::partner::{Program, Tier};

use crate::error::{ApiError, ErrorCode};

pub(crate) const PROGRAMS: [(Program, &str); 7] = [
    (Program::CloudSolutionProvider, "csp"),
    (Program::DistributionPartner, "distributor"),
    (Program::Reseller, "reseller"),
    (Program::KooGallerySeller, "koogallery_seller"),
    (Program::KooGallerySales, "koogallery_sales"),
    (Program::Carrier, "carrier"),
    (Program::PartnerCompetency, "competency"),
];

pub(crate) fn program_code(p: Program) -> &'static str {
    PROGRAMS.iter().find(|(q, _)| *q == p).map(|(_, c)| *c).expect("every program has a code")
}

pub(crate) fn parse_program(text: &str) -> Result<Program, ApiError> {
    PROGRAMS
        .iter()
        .find(|(_, c)| *c == text)
        .map(|(p, _)| *p)
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

pub(crate) const TIERS: [(Tier, &str); 4] =
    [(Tier::Standard, "standard"), (Tier::Advanced, "advanced"), (Tier::Premier, "premier"), (Tier::Core, "core")];

pub(crate) fn tier_code(t: Tier) -> &'static str {
    TIERS.iter().find(|(u, _)| *u == t).map(|(_, c)| *c).expect("every tier has a code")
}

pub(crate) fn parse_tier(text: Option<&str>) -> Result<Tier, ApiError> {
    TIERS
        .iter()
        .find(|(_, c)| Some(*c) == text)
        .map(|(t, _)| *t)
        .ok_or_else(|| ApiError::invalid("tier", "must be standard, advanced, premier or core"))
}

pub(crate) fn position_code(p: Position) -> &'static str {
    match p {
        Position::Member => "member",
        Position::AccountManager => "account_manager",
        Position::AccountDirector => "account_director",
    }
}
