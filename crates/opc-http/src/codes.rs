//! The wire codes of domain enumerations that the console API (`api`) and the web console
//! (`console`) read or write: programs, tiers, positions, development paths, entry paths,
//! certificates, permissions, agreements, discount exclusions and incentive policies. Each is one exhaustive
//! match, so a new variant fails to compile rather than going out without a code; a list of
//! every variant serves parsing, which the tests below check round-trips.

use opc_domain::credential::{CertificateKind, Source};
use opc_domain::discount::{Exclusion, IncentivePolicy};
use opc_domain::organization::{Permission, Position};
use opc_domain::partner::{Program, Tier};
use opc_domain::path::{DevelopmentPath, PathStage};
use opc_domain::personnel::SeenState;
use opc_domain::program::Agreement;
use opc_domain::tier::{CompetitorTier, EntryPathKind};

use crate::error::{ApiError, ErrorCode};

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
    Program::ALL
        .into_iter()
        .find(|p| program_code(*p) == text)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("There is no program {text:?}.")))
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

/// The variant of `all` whose code is `text`.
fn find<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str, text: &str) -> Option<T> {
    all.iter().copied().find(|v| code(*v) == text)
}

pub(crate) fn path_code(p: DevelopmentPath) -> &'static str {
    match p {
        DevelopmentPath::Service => "service",
        DevelopmentPath::Software => "software",
        DevelopmentPath::SystemIntegrator => "system_integrator",
    }
}

pub(crate) fn parse_path(text: &str) -> Option<DevelopmentPath> {
    find(&DevelopmentPath::ALL, path_code, text)
}

pub(crate) fn stage_code(s: PathStage) -> &'static str {
    match s {
        PathStage::Joined => "joined",
        PathStage::RoleValidation => "role_validation",
        PathStage::CompetencyDifferentiation => "competency_differentiation",
        PathStage::Certified => "certified",
    }
}

pub(crate) fn competitor_tier_code(t: CompetitorTier) -> &'static str {
    match t {
        CompetitorTier::A1Registered => "a1_registered",
        CompetitorTier::A1Select => "a1_select",
        CompetitorTier::A1Advanced => "a1_advanced",
        CompetitorTier::A1Premier => "a1_premier",
        CompetitorTier::A2ActionPack => "a2_action_pack",
        CompetitorTier::A2SilverCompetency => "a2_silver_competency",
        CompetitorTier::A2GoldCompetency => "a2_gold_competency",
    }
}

pub(crate) fn parse_competitor_tier(text: &str) -> Option<CompetitorTier> {
    find(&CompetitorTier::ALL, competitor_tier_code, text)
}

pub(crate) fn entry_path_code(k: EntryPathKind) -> &'static str {
    match k {
        EntryPathKind::Direct => "direct",
        EntryPathKind::WonBack => "won_back",
        EntryPathKind::CoreCarrier => "core_carrier",
        EntryPathKind::CoreRegional => "core_regional",
        EntryPathKind::CoreGlobal => "core_global",
        EntryPathKind::Review => "review",
    }
}

pub(crate) fn parse_entry_path(text: &str) -> Option<EntryPathKind> {
    find(&EntryPathKind::ALL, entry_path_code, text)
}

pub(crate) fn certificate_kind_code(k: CertificateKind) -> &'static str {
    match k {
        CertificateKind::Hcia => "hcia",
        CertificateKind::Hcip => "hcip",
        CertificateKind::Hcie => "hcie",
        CertificateKind::CloudMigration => "cloud_migration",
    }
}

/// `None` for a kind this system does not know: `ops` refuses it in its own words.
pub(crate) fn parse_certificate_kind(text: &str) -> Option<CertificateKind> {
    find(&CertificateKind::ALL, certificate_kind_code, text)
}

pub(crate) fn certificate_source_code(s: Source) -> &'static str {
    match s {
        Source::Uploaded => "uploaded",
        Source::Synchronized => "synchronized",
    }
}

pub(crate) fn permission_code(p: Permission) -> &'static str {
    match p {
        Permission::ViewCustomers => "customers.view",
        Permission::ManageCustomers => "customers.manage",
        Permission::DevelopCustomers => "customers.develop",
        Permission::ControlCustomers => "customers.control",
        Permission::ViewAudit => "audit.view",
    }
}

/// The permission item `text` names, or `text` itself when it names none (the domain refuses
/// it after checking the role's name).
pub(crate) fn parse_permission(text: &str) -> Result<Permission, &str> {
    find(&Permission::ALL, permission_code, text).ok_or(text)
}

pub(crate) fn agreement_code(a: Agreement) -> &'static str {
    match a {
        Agreement::CspCooperation => "csp_cooperation_agreement",
        Agreement::AntiBriberyQuestionnaire => "anti_bribery_questionnaire",
        Agreement::HuaweiIdAssociationStatement => "huawei_id_association_statement",
        Agreement::DistributionCooperation => "distribution_cooperation_agreement",
        Agreement::CarrierCooperation => "carrier_cooperation_agreement",
    }
}

pub(crate) fn parse_agreement(text: &str) -> Result<Agreement, ApiError> {
    find(&Agreement::ALL, agreement_code, text)
        .ok_or_else(|| ApiError::invalid("agreements", format!("unknown agreement {text:?}")))
}

pub(crate) fn seen_state_code(s: SeenState) -> &'static str {
    match s {
        SeenState::Invited => "invited",
        SeenState::Expired => "expired",
        SeenState::Associated => "associated",
        SeenState::Unassociated => "unassociated",
    }
}

/// A service type's discount exclusion (R-CPN-29) on the console API.
pub(crate) fn exclusion_code(e: Exclusion) -> &'static str {
    match e {
        Exclusion::Spot => "spot",
        Exclusion::KooGallery => "koogallery",
        Exclusion::OcsaNode => "ocsa_node",
    }
}

pub(crate) fn parse_exclusion(text: &str) -> Result<Exclusion, ApiError> {
    Exclusion::ALL
        .into_iter()
        .find(|e| exclusion_code(*e) == text)
        .ok_or_else(|| ApiError::invalid("exclusion", "must be spot, koogallery or ocsa_node"))
}

/// A service type's incentive policy (B2.9.2) on the console API.
pub(crate) fn incentive_code(p: IncentivePolicy) -> &'static str {
    match p {
        IncentivePolicy::NonSpecific => "non_specific",
        IncentivePolicy::Specific => "specific",
        IncentivePolicy::NoPerformanceNoRebate => "no_performance_no_rebate",
        IncentivePolicy::PerformanceNoRebate => "performance_no_rebate",
    }
}

pub(crate) fn parse_incentive(text: &str) -> Result<IncentivePolicy, ApiError> {
    IncentivePolicy::ALL.into_iter().find(|p| incentive_code(*p) == text).ok_or_else(|| {
        ApiError::invalid(
            "incentive_policy",
            "must be non_specific, specific, no_performance_no_rebate or performance_no_rebate",
        )
    })
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
        check(&Program::ALL, program_code, parse_program);
        check(&TIERS, tier_code, |t| parse_tier(Some(t)));
        check(&POSITIONS, position_code, |p| parse_position(Some(p)));
        check(&DevelopmentPath::ALL, path_code, |p| parse_path(p).ok_or(()));
        check(&PathStage::ALL, stage_code, |p| find(&PathStage::ALL, stage_code, p).ok_or(()));
        check(&CompetitorTier::ALL, competitor_tier_code, |t| parse_competitor_tier(t).ok_or(()));
        check(&EntryPathKind::ALL, entry_path_code, |k| parse_entry_path(k).ok_or(()));
        check(&CertificateKind::ALL, certificate_kind_code, |k| parse_certificate_kind(k).ok_or(()));
        check(&Source::ALL, certificate_source_code, |s| find(&Source::ALL, certificate_source_code, s).ok_or(()));
        check(&Permission::ALL, permission_code, |p| parse_permission(p).map_err(str::to_owned));
        check(&Agreement::ALL, agreement_code, parse_agreement);
        check(&SeenState::ALL, seen_state_code, |s| find(&SeenState::ALL, seen_state_code, s).ok_or(()));
        check(&Exclusion::ALL, exclusion_code, parse_exclusion);
        check(&IncentivePolicy::ALL, incentive_code, parse_incentive);
    }
}
