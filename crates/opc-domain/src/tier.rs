//! How a partner reaches a tier (R-HCPN-10 … R-HCPN-19): the entry paths the operator certifies
//! a partner by, each with its conditions. [`decide`] returns every unmet condition at once, as
//! "View Cause" does for programs, so the operator (and the partner, for R-HCPN-19's "View
//! Reason") sees all of them with their fixes.
//!
//! Revenue-driven upgrades and downgrades (R-HCPN-17, R-HCPN-18) are the operator's decision
//! by [`EntryPath::Review`]: the seeds give no per-tier revenue figures, and revenue itself comes
//! with billing. What the seeds do make a condition of an upgrade, R-HCPN-19, is checked here.

use crate::ids::PartnerId;
use crate::money::Money;
use crate::partner::{Program, Tier};
use crate::time::Timestamp;

/// What a partner commits to (R-HCPN-10, -11, -14, -15, -16).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Commitment {
    /// The written commitment to annual revenue, in USD.
    pub annual_revenue_usd: Money,
    /// A detailed annual business plan comes with it (R-HCPN-10, R-HCPN-11).
    pub business_plan: bool,
    /// Full-time employees committed to pass certification within 6 months.
    pub certified_employees: u32,
}

/// R-HCPN-12: a competitor's program and the tier the partner held in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompetitorTier {
    A1Registered,
    A1Select,
    A1Advanced,
    A1Premier,
    A2ActionPack,
    A2SilverCompetency,
    A2GoldCompetency,
}

impl CompetitorTier {
    pub const ALL: [CompetitorTier; 7] = [
        CompetitorTier::A1Registered,
        CompetitorTier::A1Select,
        CompetitorTier::A1Advanced,
        CompetitorTier::A1Premier,
        CompetitorTier::A2ActionPack,
        CompetitorTier::A2SilverCompetency,
        CompetitorTier::A2GoldCompetency,
    ];

    /// R-HCPN-12: the HCPN tier a partner won back from a competitor gets.
    pub fn hcpn_tier(self) -> Tier {
        match self {
            CompetitorTier::A1Registered | CompetitorTier::A2ActionPack => Tier::Standard,
            CompetitorTier::A1Select | CompetitorTier::A2SilverCompetency => Tier::Advanced,
            CompetitorTier::A1Advanced | CompetitorTier::A1Premier | CompetitorTier::A2GoldCompetency => Tier::Premier,
        }
    }
}

/// The way a partner is certified at a tier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryPath {
    /// R-HCPN-10 (Premier) and R-HCPN-11 (Advanced): a regional partner starts directly there.
    Direct {
        tier: Tier,
        /// R-HCPN-10: meets the HCPN management requirement.
        hcpn_management: bool,
        /// A medium or large enterprise with a local customer base and professional
        /// capabilities.
        established_local_enterprise: bool,
        commitment: Commitment,
    },
    /// R-HCPN-12: won back from a competitor.
    WonBack(CompetitorTier),
    /// R-HCPN-14: a leading carrier at Core.
    CoreCarrier { commitment: Commitment, b2b_basis: bool, top3_carrier: bool },
    /// R-HCPN-15: a leading regional partner at Core; failing that, the R-HCPN-12 tier of
    /// `won_back`, if it was won back.
    CoreRegional {
        commitment: Commitment,
        special_capabilities: bool,
        builds_on_cloud: bool,
        won_back: Option<CompetitorTier>,
    },
    /// R-HCPN-16: the local organization of a global partner, at Core.
    CoreGlobal { commitment: Commitment, registered_face_to_face: bool, builds_on_cloud: bool },
    /// R-HCPN-17 … R-HCPN-19: an upgrade or downgrade of an enrolled partner.
    Review { tier: Tier },
}

/// Which way an [`EntryPath`] went, without its facts: what a [`TierChange`] records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryPathKind {
    Direct,
    WonBack,
    CoreCarrier,
    CoreRegional,
    CoreGlobal,
    Review,
}

impl EntryPathKind {
    pub const ALL: [EntryPathKind; 6] = [
        EntryPathKind::Direct,
        EntryPathKind::WonBack,
        EntryPathKind::CoreCarrier,
        EntryPathKind::CoreRegional,
        EntryPathKind::CoreGlobal,
        EntryPathKind::Review,
    ];
}

impl EntryPath {
    pub fn kind(&self) -> EntryPathKind {
        match self {
            EntryPath::Direct { .. } => EntryPathKind::Direct,
            EntryPath::WonBack(_) => EntryPathKind::WonBack,
            EntryPath::CoreCarrier { .. } => EntryPathKind::CoreCarrier,
            EntryPath::CoreRegional { .. } => EntryPathKind::CoreRegional,
            EntryPath::CoreGlobal { .. } => EntryPathKind::CoreGlobal,
            EntryPath::Review { .. } => EntryPathKind::Review,
        }
    }
}

/// A tier the operator certified a partner at in one program, and by which path. Fields are
/// private: a change is decided by [`TierChange::certify`] or rebuilt by the store
/// ([`TierChange::from_stored`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierChange {
    partner: PartnerId,
    program: Program,
    from: Tier,
    to: Tier,
    entry_path: EntryPathKind,
    decided_at: Timestamp,
    decided_by: String,
}

/// A stored tier change's fields, for [`TierChange::from_stored`].
pub struct StoredTierChange {
    pub partner: PartnerId,
    pub program: Program,
    pub from: Tier,
    pub to: Tier,
    pub entry_path: EntryPathKind,
    pub decided_at: Timestamp,
    /// The operator staff member's email.
    pub decided_by: String,
}

impl TierChange {
    /// The operator certifies the tier [`decide`] gave by `path`: the partner moves from its
    /// tier `from` in `program` to `decision.tier` (R-HCPN-09 … R-HCPN-16).
    pub fn certify(
        partner: PartnerId,
        program: Program,
        from: Tier,
        decision: &TierDecision,
        path: &EntryPath,
        decided_by: String,
        now: Timestamp,
    ) -> TierChange {
        TierChange { partner, program, from, to: decision.tier, entry_path: path.kind(), decided_at: now, decided_by }
    }

    /// Rebuilds a stored change. For the store only: it performs no check, because the values
    /// were decided by [`TierChange::certify`].
    pub fn from_stored(s: StoredTierChange) -> TierChange {
        TierChange {
            partner: s.partner,
            program: s.program,
            from: s.from,
            to: s.to,
            entry_path: s.entry_path,
            decided_at: s.decided_at,
            decided_by: s.decided_by,
        }
    }

    pub fn partner(&self) -> &PartnerId {
        &self.partner
    }

    pub fn program(&self) -> Program {
        self.program
    }

    pub fn from(&self) -> Tier {
        self.from
    }

    pub fn to(&self) -> Tier {
        self.to
    }

    pub fn entry_path(&self) -> EntryPathKind {
        self.entry_path
    }

    pub fn decided_at(&self) -> Timestamp {
        self.decided_at
    }

    /// The operator staff member's email.
    pub fn decided_by(&self) -> &str {
        &self.decided_by
    }
}

/// R-HCPN-14: at most this many Core carriers per country.
pub const CORE_CARRIERS_PER_COUNTRY: u32 = 3;
/// R-HCPN-15: at most this many leading regional Core partners per country.
pub const CORE_REGIONALS_PER_COUNTRY: u32 = 5;

/// What [`decide`] reads besides the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TierFacts {
    /// The partner's tier in the program now.
    pub current: Tier,
    /// R-HCPN-13: Huawei Cloud has invited the partner to apply for Core.
    pub core_invited: bool,
    /// Other partners of the country at Core by [`EntryPath::CoreCarrier`] (R-HCPN-14).
    pub core_carriers_in_country: u32,
    /// Other partners of the country at Core by [`EntryPath::CoreRegional`] (R-HCPN-15).
    pub core_regionals_in_country: u32,
    /// R-HCPN-19: some account of the company has joined a development path …
    pub company_on_path: bool,
    /// … and some account of the company has completed role validation.
    pub company_role_validated: bool,
}

/// One unmet condition: the rule, what is wrong, how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierCause {
    pub rule: &'static str,
    pub message: String,
    pub fix: String,
}

fn cause(rule: &'static str, message: impl Into<String>, fix: impl Into<String>) -> TierCause {
    TierCause { rule, message: message.into(), fix: fix.into() }
}

/// The tier decided, and for R-HCPN-15's fallback the Core conditions that were not met.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierDecision {
    pub tier: Tier,
    pub fell_back: Vec<TierCause>,
}

fn usd(units: i64) -> Money {
    Money::from_major(units).expect("the seeds' thresholds fit")
}

/// The commitment conditions of `rule`: revenue, business plan (where asked), employees.
fn commitment_causes(
    rule: &'static str,
    c: &Commitment,
    revenue_usd: i64,
    business_plan: bool,
    employees: u32,
) -> Vec<TierCause> {
    let mut causes = vec![];
    if c.annual_revenue_usd < usd(revenue_usd) {
        causes.push(cause(
            rule,
            format!("The annual revenue commitment is below USD {revenue_usd}."),
            format!("Commit in writing to at least USD {revenue_usd} of annual revenue."),
        ));
    }
    if business_plan && !c.business_plan {
        causes.push(cause(
            rule,
            "No detailed annual business plan.",
            "Attach a detailed annual business plan to the commitment.",
        ));
    }
    if c.certified_employees < employees {
        causes.push(cause(
            rule,
            format!("Fewer than {employees} full-time employees are committed to certification."),
            format!("Commit {employees} full-time employees to pass HUAWEI CLOUD certification within 6 months."),
        ));
    }
    causes
}

fn core_invitation(facts: &TierFacts) -> Vec<TierCause> {
    if facts.core_invited {
        vec![]
    } else {
        vec![cause(
            "R-HCPN-13",
            "Huawei Cloud has not invited the partner to apply for the Core tier.",
            "Wait for an invitation from Huawei Cloud; Core cannot be applied for without one.",
        )]
    }
}

/// R-HCPN-19 ("View Reason"): why the company's tier cannot be upgraded, with the two
/// suggestions the seeds give. Empty when nothing blocks an upgrade.
pub fn upgrade_blockers(company_on_path: bool, company_role_validated: bool) -> Vec<TierCause> {
    if !company_on_path {
        vec![cause(
            "R-HCPN-19",
            "The tier cannot be upgraded: your company has not joined any development path.",
            "Register a new account, join a development path (Service Partner, Software Partner or System Integrator) with it, complete the role validation, and try again.",
        )]
    } else if !company_role_validated {
        vec![cause(
            "R-HCPN-19",
            "The tier cannot be upgraded: no account of your company has completed role validation.",
            "Switch to any account of your company on a development path and complete role validation, then apply for the upgrade.",
        )]
    } else {
        vec![]
    }
}

/// R-HCPN-10 … R-HCPN-19: the tier `path` certifies, or every unmet condition.
pub fn decide(path: &EntryPath, facts: &TierFacts) -> Result<TierDecision, Vec<TierCause>> {
    let done = |tier: Tier, causes: Vec<TierCause>| {
        if causes.is_empty() {
            Ok(TierDecision { tier, fell_back: vec![] })
        } else {
            Err(causes)
        }
    };
    match path {
        EntryPath::Direct { tier, hcpn_management, established_local_enterprise, commitment } => {
            let (rule, revenue, employees) = match tier {
                Tier::Premier => ("R-HCPN-10", 360_000, 5),
                Tier::Advanced => ("R-HCPN-11", 120_000, 3),
                Tier::Standard | Tier::Core => {
                    return Err(vec![cause(
                        "R-HCPN-10",
                        "A regional partner starts directly at Advanced or Premier only.",
                        "Choose Advanced or Premier, or the Core entry paths for Core.",
                    )])
                }
            };
            let mut causes = vec![];
            if *tier == Tier::Premier && !hcpn_management {
                causes.push(cause(
                    "R-HCPN-10",
                    "The HCPN management requirement is not met.",
                    "Meet the HCPN management requirement.",
                ));
            }
            if !established_local_enterprise {
                causes.push(cause(
                    rule,
                    "The partner is not a medium or large enterprise with a local customer base and professional capabilities.",
                    "Certify at Standard and grow into the tier by revenue (R-HCPN-17).",
                ));
            }
            causes.extend(commitment_causes(rule, commitment, revenue, true, employees));
            done(*tier, causes)
        }
        EntryPath::WonBack(from) => done(from.hcpn_tier(), vec![]),
        EntryPath::CoreCarrier { commitment, b2b_basis, top3_carrier } => {
            let mut causes = core_invitation(facts);
            causes.extend(commitment_causes("R-HCPN-14", commitment, 1_200_000, false, 5));
            if !b2b_basis {
                causes.push(cause(
                    "R-HCPN-14",
                    "No B2B business basis in the local market.",
                    "Build a B2B business in the local market first; meanwhile certify Advanced or Premier directly.",
                ));
            }
            if !top3_carrier {
                causes.push(cause(
                    "R-HCPN-14",
                    "The carrier is not a top-3 carrier in its home country.",
                    "Certify Advanced or Premier directly (R-HCPN-10, R-HCPN-11).",
                ));
            }
            if facts.core_carriers_in_country >= CORE_CARRIERS_PER_COUNTRY {
                causes.push(cause(
                    "R-HCPN-14",
                    "The country already has 3 Core carriers.",
                    "Certify Advanced or Premier directly (R-HCPN-10, R-HCPN-11).",
                ));
            }
            done(Tier::Core, causes)
        }
        EntryPath::CoreRegional { commitment, special_capabilities, builds_on_cloud, won_back } => {
            let mut causes = core_invitation(facts);
            causes.extend(commitment_causes("R-HCPN-15", commitment, 1_200_000, false, 5));
            if !special_capabilities {
                causes.push(cause(
                    "R-HCPN-15",
                    "No special capabilities (local data centers, bandwidth, operating licences).",
                    "Core needs special capabilities; certify at the won-back or direct tier meanwhile.",
                ));
            }
            if !builds_on_cloud {
                causes.push(cause(
                    "R-HCPN-15",
                    "The partner does not use HUAWEI CLOUD for its own services or build new solutions on it.",
                    "Move the partner's own services onto HUAWEI CLOUD and build solutions on it.",
                ));
            }
            if facts.core_regionals_in_country >= CORE_REGIONALS_PER_COUNTRY {
                causes.push(cause(
                    "R-HCPN-15",
                    "The country already has 5 leading regional Core partners.",
                    "Certify at the won-back or direct tier.",
                ));
            }
            match (causes.is_empty(), won_back) {
                (true, _) => done(Tier::Core, causes),
                // R-HCPN-15: "certified at the tier given by R-HCPN-12".
                (false, Some(from)) => Ok(TierDecision { tier: from.hcpn_tier(), fell_back: causes }),
                (false, None) => Err(causes),
            }
        }
        EntryPath::CoreGlobal { commitment, registered_face_to_face, builds_on_cloud } => {
            let mut causes = core_invitation(facts);
            causes.extend(commitment_causes("R-HCPN-16", commitment, 500_000, false, 5));
            if !registered_face_to_face {
                causes.push(cause(
                    "R-HCPN-16",
                    "Huawei's local organization has not certified and registered the partner face to face.",
                    "Meet Huawei's local organization to certify and register the partner.",
                ));
            }
            if !builds_on_cloud {
                causes.push(cause(
                    "R-HCPN-16",
                    "The partner does not use HUAWEI CLOUD for its own services or build solutions on it.",
                    "Move the partner's own services onto HUAWEI CLOUD and build solutions on it.",
                ));
            }
            done(Tier::Core, causes)
        }
        EntryPath::Review { tier } => {
            if *tier == facts.current {
                return Err(vec![cause("R-HCPN-17", "The partner is already at this tier.", "Choose another tier.")]);
            }
            if *tier < facts.current {
                return done(*tier, vec![]);
            }
            if *tier == Tier::Core {
                return Err(core_invitation(&TierFacts { core_invited: false, ..*facts }));
            }
            done(*tier, upgrade_blockers(facts.company_on_path, facts.company_role_validated))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FACTS: TierFacts = TierFacts {
        current: Tier::Standard,
        core_invited: true,
        core_carriers_in_country: 0,
        core_regionals_in_country: 0,
        company_on_path: true,
        company_role_validated: true,
    };

    fn commitment(revenue: i64, employees: u32) -> Commitment {
        Commitment { annual_revenue_usd: usd(revenue), business_plan: true, certified_employees: employees }
    }

    fn direct(tier: Tier, commitment: Commitment) -> EntryPath {
        EntryPath::Direct { tier, hcpn_management: true, established_local_enterprise: true, commitment }
    }

    fn rules(r: Result<TierDecision, Vec<TierCause>>) -> Vec<&'static str> {
        r.expect_err("refused").iter().map(|c| c.rule).collect()
    }

    fn tier(r: Result<TierDecision, Vec<TierCause>>) -> Tier {
        r.expect("decided").tier
    }

    #[test]
    fn r_hcpn_10_premier_directly_with_usd_360000_and_5_employees() {
        assert_eq!(tier(decide(&direct(Tier::Premier, commitment(360_000, 5)), &FACTS)), Tier::Premier);
        let short = decide(&direct(Tier::Premier, commitment(359_999, 4)), &FACTS).unwrap_err();
        assert_eq!(short.len(), 2, "{short:?}");
        assert!(short.iter().all(|c| c.rule == "R-HCPN-10"));
        let all_wrong = EntryPath::Direct {
            tier: Tier::Premier,
            hcpn_management: false,
            established_local_enterprise: false,
            commitment: Commitment::default(),
        };
        assert_eq!(rules(decide(&all_wrong, &FACTS)), ["R-HCPN-10"; 5], "every cause at once");
    }

    #[test]
    fn r_hcpn_11_advanced_directly_with_usd_120000_and_3_employees() {
        let path = EntryPath::Direct {
            tier: Tier::Advanced,
            hcpn_management: false,
            established_local_enterprise: true,
            commitment: commitment(120_000, 3),
        };
        assert_eq!(tier(decide(&path, &FACTS)), Tier::Advanced, "no HCPN management requirement for Advanced");
        let no_plan = Commitment { business_plan: false, ..commitment(120_000, 3) };
        assert_eq!(rules(decide(&direct(Tier::Advanced, no_plan), &FACTS)), ["R-HCPN-11"]);
        assert_eq!(rules(decide(&direct(Tier::Core, commitment(9_000_000, 50)), &FACTS)), ["R-HCPN-10"]);
    }

    #[test]
    fn r_hcpn_12_won_back_partners_get_the_table_tier() {
        use CompetitorTier::*;
        let table = [
            (A1Registered, Tier::Standard),
            (A1Select, Tier::Advanced),
            (A1Advanced, Tier::Premier),
            (A1Premier, Tier::Premier),
            (A2ActionPack, Tier::Standard),
            (A2SilverCompetency, Tier::Advanced),
            (A2GoldCompetency, Tier::Premier),
        ];
        for (from, expected) in table {
            assert_eq!(tier(decide(&EntryPath::WonBack(from), &FACTS)), expected, "{from:?}");
        }
    }

    fn carrier() -> EntryPath {
        EntryPath::CoreCarrier { commitment: commitment(1_200_000, 5), b2b_basis: true, top3_carrier: true }
    }

    #[test]
    fn r_hcpn_13_core_only_by_invitation() {
        let uninvited = TierFacts { core_invited: false, ..FACTS };
        assert_eq!(rules(decide(&carrier(), &uninvited)), ["R-HCPN-13"]);
        let review = EntryPath::Review { tier: Tier::Core };
        assert_eq!(rules(decide(&review, &FACTS)), ["R-HCPN-13"], "no upgrade into Core by review");
    }

    #[test]
    fn r_hcpn_14_a_leading_carrier_at_core_at_most_3_per_country() {
        assert_eq!(tier(decide(&carrier(), &FACTS)), Tier::Core);
        let full = TierFacts { core_carriers_in_country: 3, ..FACTS };
        assert_eq!(rules(decide(&carrier(), &full)), ["R-HCPN-14"]);
        assert_eq!(tier(decide(&carrier(), &TierFacts { core_carriers_in_country: 2, ..FACTS })), Tier::Core);
        let weak =
            EntryPath::CoreCarrier { commitment: commitment(1_199_999, 4), b2b_basis: false, top3_carrier: false };
        assert_eq!(rules(decide(&weak, &full)), ["R-HCPN-14"; 5]);
    }

    #[test]
    fn r_hcpn_15_a_leading_regional_partner_at_core_or_its_won_back_tier() {
        let path = |special: bool, won_back| EntryPath::CoreRegional {
            commitment: commitment(1_200_000, 5),
            special_capabilities: special,
            builds_on_cloud: true,
            won_back,
        };
        assert_eq!(tier(decide(&path(true, None), &FACTS)), Tier::Core);
        assert_eq!(rules(decide(&path(false, None), &FACTS)), ["R-HCPN-15"]);
        let fallback = decide(&path(false, Some(CompetitorTier::A2GoldCompetency)), &FACTS).unwrap();
        assert_eq!(fallback.tier, Tier::Premier);
        assert_eq!(fallback.fell_back.len(), 1);
        let full = TierFacts { core_regionals_in_country: 5, ..FACTS };
        assert_eq!(rules(decide(&path(true, None), &full)), ["R-HCPN-15"]);
        assert_eq!(tier(decide(&path(true, None), &TierFacts { core_regionals_in_country: 4, ..FACTS })), Tier::Core);
    }

    #[test]
    fn r_hcpn_16_a_global_partners_local_organization_at_core() {
        let path = |revenue, face_to_face| EntryPath::CoreGlobal {
            commitment: Commitment { business_plan: false, ..commitment(revenue, 5) },
            registered_face_to_face: face_to_face,
            builds_on_cloud: true,
        };
        assert_eq!(tier(decide(&path(500_000, true), &FACTS)), Tier::Core, "no business plan asked");
        assert_eq!(rules(decide(&path(499_999, false), &FACTS)), ["R-HCPN-16", "R-HCPN-16"]);
    }

    #[test]
    fn r_hcpn_17_r_hcpn_19_upgrades_need_a_role_validated_company_path_downgrades_do_not() {
        let up = EntryPath::Review { tier: Tier::Advanced };
        assert_eq!(tier(decide(&up, &FACTS)), Tier::Advanced);
        let no_path = TierFacts { company_on_path: false, company_role_validated: false, ..FACTS };
        let causes = decide(&up, &no_path).unwrap_err();
        assert_eq!(causes.len(), 1);
        assert!(causes[0].fix.starts_with("Register a new account"), "{:?}", causes[0]);
        let not_validated = TierFacts { company_role_validated: false, ..FACTS };
        let causes = decide(&up, &not_validated).unwrap_err();
        assert!(causes[0].message.contains("role validation") && causes[0].fix.contains("any account"));
        let down = EntryPath::Review { tier: Tier::Standard };
        assert_eq!(tier(decide(&down, &TierFacts { current: Tier::Premier, ..no_path })), Tier::Standard);
        assert_eq!(rules(decide(&EntryPath::Review { tier: Tier::Standard }, &FACTS)), ["R-HCPN-17"]);
        assert!(upgrade_blockers(true, true).is_empty());
    }
}
