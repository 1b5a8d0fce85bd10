//! The audit trail's words for domain values: the text of audit events' `before` and `after`,
//! as they have always been written. Each is an exhaustive `match`, so a new variant does not
//! compile without its word. They are neither stored codes nor wire codes (those live in the
//! store and in `opc-http`) and do not change with them: a trail already written keeps its
//! meaning.

use opc_domain::credential::{CertificateKind, Source};
use opc_domain::discount::{Exclusion, IncentivePolicy};
use opc_domain::order::{ExpirePolicy, OrderType};
use opc_domain::organization::Permission;
use opc_domain::path::{DevelopmentPath, PathStage};
use opc_domain::tier::EntryPathKind;

pub(crate) fn order_type(t: OrderType) -> u8 {
    match t {
        OrderType::New => 1,
        OrderType::Renewal => 2,
        OrderType::Unsubscription => 4,
    }
}

pub(crate) fn expire_policy(p: ExpirePolicy) -> u8 {
    match p {
        ExpirePolicy::Grace => 0,
        ExpirePolicy::ToOnDemand => 1,
        ExpirePolicy::AutoRenew { .. } => 3,
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
        let renew = ExpirePolicy::AutoRenew { period: opc_domain::catalog::PeriodType::Month, times: 0 };
        assert_eq!([ExpirePolicy::Grace, ExpirePolicy::ToOnDemand, renew].map(expire_policy), [0, 1, 3]);
    }
}
