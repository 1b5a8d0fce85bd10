//! The audit trail's words for domain values: the text of audit events' `before` and `after`,
//! `key=value` pairs of stable words, never a value's `Debug` text (which changes with a
//! rename). Each is an exhaustive `match`, so a new variant does not compile without its word.
//! They are neither stored codes nor wire codes (those live in the store and in `opc-http`) and
//! do not change with them. Money is written exact, to 8 decimals, as it is stored. The console
//! (`opc-http`'s `console/audit/`) words these texts for people, and still reads the older
//! forms a trail already holds (`type=1`, `freeze=Some((Account, ResellerAssociation))`).

use opc_domain::account::{AccountType, AccountingMode, Freeze, FreezeCause, FreezeScope};
use opc_domain::association::AssociationModel;
use opc_domain::budget::BudgetType;
use opc_domain::catalog::PeriodType;
use opc_domain::credential::{CertificateKind, Source};
use opc_domain::development::{Initiator, RequestState};
use opc_domain::discount::{Exclusion, IncentivePolicy};
use opc_domain::information::{InfoKind, ReviewState};
use opc_domain::order::{ExpirePolicy, OrderType, RenewConfig};
use opc_domain::organization::{Permission, Position};
use opc_domain::partner::{PartnerState, Program, Tier};
use opc_domain::path::{DevelopmentPath, PathStage};
use opc_domain::program::ProgramApplicationState;
use opc_domain::tier::EntryPathKind;

pub(crate) fn order_type(t: OrderType) -> &'static str {
    match t {
        OrderType::New => "new",
        OrderType::Renewal => "renewal",
        OrderType::Unsubscription => "unsubscription",
    }
}

/// `expire_policy=…`; an automatic renewal adds its period and times (0: no limit).
pub(crate) fn expire_policy(p: ExpirePolicy) -> String {
    match p {
        ExpirePolicy::Grace => "grace".to_owned(),
        ExpirePolicy::ToOnDemand => "to_on_demand".to_owned(),
        ExpirePolicy::AutoRenew { period, times } => {
            format!("auto_renew period={} times={times}", period_type(period))
        }
    }
}

pub(crate) fn period_type(p: PeriodType) -> &'static str {
    match p {
        PeriodType::Month => "month",
        PeriodType::Year => "year",
    }
}

/// B1.7.9: `deduction_days=N` or `expire_day=N` (`last` for the month's last day).
pub(crate) fn renew_config(c: RenewConfig) -> String {
    match c {
        RenewConfig::DeductionDays(days) => format!("deduction_days={days}"),
        RenewConfig::ExpireDay(-1) => "expire_day=last".to_owned(),
        RenewConfig::ExpireDay(day) => format!("expire_day={day}"),
    }
}

pub(crate) fn program(p: Program) -> &'static str {
    match p {
        Program::CloudSolutionProvider => "cloud_solution_provider",
        Program::DistributionPartner => "distribution_partner",
        Program::Reseller => "reseller",
        Program::KooGallerySeller => "koogallery_seller",
        Program::KooGallerySales => "koogallery_sales",
        Program::Carrier => "carrier",
        Program::PartnerCompetency => "partner_competency",
    }
}

pub(crate) fn tier(t: Tier) -> &'static str {
    match t {
        Tier::Standard => "standard",
        Tier::Advanced => "advanced",
        Tier::Premier => "premier",
        Tier::Core => "core",
    }
}

pub(crate) fn partner_state(s: PartnerState) -> &'static str {
    match s {
        PartnerState::Normal => "normal",
        PartnerState::Restricted => "restricted",
        PartnerState::Frozen => "frozen",
    }
}

pub(crate) fn budget_type(t: BudgetType) -> &'static str {
    match t {
        BudgetType::Monthly => "monthly",
        BudgetType::Package => "package",
    }
}

/// Whether a budget freezes its customer when used up: chosen on, off, or never chosen.
pub(crate) fn auto_freeze(a: Option<bool>) -> &'static str {
    match a {
        Some(true) => "on",
        Some(false) => "off",
        None => "unset",
    }
}

pub(crate) fn freeze_scope(s: FreezeScope) -> &'static str {
    match s {
        FreezeScope::Account => "account",
        FreezeScope::AccountAndResource => "account_and_resources",
    }
}

pub(crate) fn freeze_cause(c: FreezeCause) -> &'static str {
    match c {
        FreezeCause::ResellerAssociation => "reseller_association",
        FreezeCause::Partner => "partner",
        FreezeCause::PartnerFrozen => "partner_frozen",
        FreezeCause::BudgetExhausted => "budget_exhausted",
    }
}

/// `freeze=none`, or `freeze=<scope> cause=<cause>`.
pub(crate) fn freeze(f: Option<Freeze>) -> String {
    match f {
        None => "freeze=none".to_owned(),
        Some(f) => format!("freeze={} cause={}", freeze_scope(f.scope), freeze_cause(f.cause)),
    }
}

pub(crate) fn association_model(m: AssociationModel) -> &'static str {
    match m {
        AssociationModel::Referral => "referral",
        AssociationModel::Reseller => "reseller",
    }
}

pub(crate) fn account_type(t: AccountType) -> &'static str {
    match t {
        AccountType::Unset => "unset",
        AccountType::Individual => "individual",
        AccountType::Enterprise => "enterprise",
    }
}

pub(crate) fn accounting_mode(m: AccountingMode) -> &'static str {
    match m {
        AccountingMode::Unified => "unified",
        AccountingMode::Independent => "independent",
    }
}

pub(crate) fn position(p: Position) -> &'static str {
    match p {
        Position::Member => "member",
        Position::AccountManager => "account_manager",
        Position::AccountDirector => "account_director",
    }
}

pub(crate) fn info_kind(k: InfoKind) -> &'static str {
    match k {
        InfoKind::Business => "business",
        InfoKind::Payment => "payment",
    }
}

/// A partner information review: `state=…`, a rejection with its reason last (free text).
pub(crate) fn review_state(s: &ReviewState) -> String {
    match s {
        ReviewState::Submitted => "state=submitted".to_owned(),
        ReviewState::Approved { .. } => "state=approved".to_owned(),
        ReviewState::Rejected { reason, .. } => format!("state=rejected reason={}", reason.as_str()),
    }
}

/// A program application: `state=…`, a rejection with its reason last (free text).
pub(crate) fn application_state(s: &ProgramApplicationState) -> String {
    match s {
        ProgramApplicationState::Submitted => "state=submitted".to_owned(),
        ProgramApplicationState::Approved => "state=approved".to_owned(),
        ProgramApplicationState::Rejected { reason } => format!("state=rejected reason={}", reason.as_str()),
    }
}

/// Who asked for a disassociation.
pub(crate) fn initiator(i: Initiator) -> &'static str {
    match i {
        Initiator::Customer => "customer",
        Initiator::Partner => "partner",
    }
}

pub(crate) fn request_state(s: RequestState) -> &'static str {
    match s {
        RequestState::Pending => "pending",
        RequestState::Approved { .. } => "approved",
        RequestState::Rejected { .. } => "rejected",
    }
}

pub(crate) fn development_path(p: DevelopmentPath) -> &'static str {
    match p {
        DevelopmentPath::Service => "service",
        DevelopmentPath::Software => "software",
        DevelopmentPath::SystemIntegrator => "system_integrator",
    }
}

pub(crate) fn path_stage(s: PathStage) -> &'static str {
    match s {
        PathStage::Joined => "joined",
        PathStage::RoleValidation => "role_validation",
        PathStage::CompetencyDifferentiation => "competency_differentiation",
        PathStage::Certified => "certified",
    }
}

pub(crate) fn entry_path(k: EntryPathKind) -> &'static str {
    match k {
        EntryPathKind::Direct => "direct",
        EntryPathKind::WonBack => "won_back",
        EntryPathKind::CoreCarrier => "core_carrier",
        EntryPathKind::CoreRegional => "core_regional",
        EntryPathKind::CoreGlobal => "core_global",
        EntryPathKind::Review => "review",
    }
}

pub(crate) fn certificate_kind(k: CertificateKind) -> &'static str {
    match k {
        CertificateKind::Hcia => "hcia",
        CertificateKind::Hcip => "hcip",
        CertificateKind::Hcie => "hcie",
        CertificateKind::CloudMigration => "cloud_migration",
    }
}

pub(crate) fn certificate_source(s: Source) -> &'static str {
    match s {
        Source::Uploaded => "uploaded",
        Source::Synchronized => "synchronized",
    }
}

pub(crate) fn permission(p: Permission) -> &'static str {
    match p {
        Permission::ViewCustomers => "customers.view",
        Permission::ManageCustomers => "customers.manage",
        Permission::DevelopCustomers => "customers.develop",
        Permission::ControlCustomers => "customers.control",
        Permission::ViewAudit => "audit.view",
    }
}

pub(crate) fn incentive_policy(p: IncentivePolicy) -> &'static str {
    match p {
        IncentivePolicy::NonSpecific => "non_specific",
        IncentivePolicy::Specific => "specific",
        IncentivePolicy::NoPerformanceNoRebate => "no_performance_no_rebate",
        IncentivePolicy::PerformanceNoRebate => "performance_no_rebate",
    }
}

pub(crate) fn exclusion(e: Exclusion) -> &'static str {
    match e {
        Exclusion::Spot => "spot",
        Exclusion::KooGallery => "koogallery",
        Exclusion::OcsaNode => "ocsa_node",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distinct<T: Copy, W: Ord + Clone + std::fmt::Debug>(all: &[T], word: impl Fn(T) -> W) {
        let mut words: Vec<W> = all.iter().map(|v| word(*v)).collect();
        words.sort();
        words.dedup();
        assert_eq!(words.len(), all.len(), "words are distinct: {words:?}");
    }

    #[test]
    fn each_value_has_its_own_word() {
        distinct(&OrderType::ALL, order_type);
        distinct(&DevelopmentPath::ALL, development_path);
        distinct(&PathStage::ALL, path_stage);
        distinct(&EntryPathKind::ALL, entry_path);
        distinct(&CertificateKind::ALL, certificate_kind);
        distinct(&Source::ALL, certificate_source);
        distinct(&Permission::ALL, permission);
        distinct(&Program::ALL, program);
        distinct(&[Tier::Standard, Tier::Advanced, Tier::Premier, Tier::Core], tier);
        distinct(&[PartnerState::Normal, PartnerState::Restricted, PartnerState::Frozen], partner_state);
        distinct(&[BudgetType::Monthly, BudgetType::Package], budget_type);
        distinct(&[Some(true), Some(false), None], auto_freeze);
        distinct(&[FreezeScope::Account, FreezeScope::AccountAndResource], freeze_scope);
        let causes = [
            FreezeCause::ResellerAssociation,
            FreezeCause::Partner,
            FreezeCause::PartnerFrozen,
            FreezeCause::BudgetExhausted,
        ];
        distinct(&causes, freeze_cause);
        distinct(&[AssociationModel::Referral, AssociationModel::Reseller], association_model);
        distinct(&[AccountType::Unset, AccountType::Individual, AccountType::Enterprise], account_type);
        distinct(&[AccountingMode::Unified, AccountingMode::Independent], accounting_mode);
        distinct(&[Position::Member, Position::AccountManager, Position::AccountDirector], position);
        distinct(&[InfoKind::Business, InfoKind::Payment], info_kind);
        distinct(&[Initiator::Customer, Initiator::Partner], initiator);
        distinct(&[PeriodType::Month, PeriodType::Year], period_type);
        let renew = ExpirePolicy::AutoRenew { period: PeriodType::Year, times: 2 };
        assert_eq!(
            [ExpirePolicy::Grace, ExpirePolicy::ToOnDemand, renew].map(expire_policy),
            ["grace", "to_on_demand", "auto_renew period=year times=2"]
        );
        assert_eq!(renew_config(RenewConfig::ExpireDay(-1)), "expire_day=last");
        assert_eq!(renew_config(RenewConfig::DeductionDays(3)), "deduction_days=3");
    }

    #[test]
    fn no_word_is_debug_text() {
        let t = opc_domain::Timestamp::from_unix_ms(0);
        let frozen = Freeze { scope: FreezeScope::AccountAndResource, cause: FreezeCause::BudgetExhausted, since: t };
        let texts = [
            freeze(None),
            freeze(Some(frozen)),
            review_state(&ReviewState::Approved { at: t }),
            application_state(&ProgramApplicationState::Approved),
            request_state(RequestState::Approved { at: t }).to_owned(),
        ];
        for text in texts {
            assert!(!text.contains(['(', '{', ')', '}']) && !text.contains("Some") && !text.contains("None"), "{text}");
            assert_eq!(text, text.to_lowercase(), "{text}");
        }
    }
}
