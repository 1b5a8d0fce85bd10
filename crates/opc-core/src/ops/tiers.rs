//! Development paths (R-PROG-02, R-HCPN-07) and tiers (R-HCPN-10 … R-HCPN-19): a partner joins
//! a path and the operator records its stages; the operator certifies a partner's tier in a
//! program by an entry path, and the partner sees why its tier cannot be upgraded.

use opc_domain::audit::{Action, Actor};
use opc_domain::console::Staff;
use opc_domain::partner::{Partner, Program};
use opc_domain::path::{DevelopmentPath, JoinFacts, PathError, PathMembership};
use opc_domain::program::ProgramApplicationState;
use opc_domain::tier::{
    decide, upgrade_blockers, EntryPath, EntryPathKind, TierCause, TierChange, TierDecision, TierFacts,
};
use opc_domain::{AccountId, PartnerId};

use super::admin::audit_event;
use super::{audit_text, Context};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum TierError {
    #[error(transparent)]
    Path(#[from] PathError),
    #[error("the partner has no development path")]
    NoPath,
    #[error("there is no such partner")]
    NoPartner,
    #[error("the partner is not enrolled in the program")]
    NotEnrolled,
    #[error("the partner has been invited to apply for Core already")]
    AlreadyInvited,
    /// Every unmet condition of the entry path, with its fix.
    #[error("{}", describe(.0))]
    Refused(Vec<TierCause>),
    #[error("the partner changed meanwhile; retry")]
    Concurrent,
    #[error(transparent)]
    Store(StoreError),
}

fn describe(causes: &[TierCause]) -> String {
    let list: Vec<String> = causes.iter().map(|c| format!("{} ({}) Fix: {}", c.message, c.rule, c.fix)).collect();
    format!("the tier cannot be granted: {}", list.join(" "))
}

impl From<StoreError> for TierError {
    fn from(e: StoreError) -> TierError {
        match e {
            StoreError::Conflict { .. } => TierError::Concurrent,
            other => TierError::Store(other),
        }
    }
}

fn operator(staff: &Staff) -> Actor {
    Actor::Operator(staff.email.as_str().to_owned())
}

async fn partner(ctx: &Context, id: &str) -> Result<Partner, TierError> {
    let id = PartnerId::parse(id).map_err(|_| TierError::NoPartner)?;
    ctx.store.partner(&id).await?.ok_or(TierError::NoPartner)
}

/// The partner account's own development path, if it joined one.
pub async fn path_of(ctx: &Context, account: &AccountId) -> Result<Option<PathMembership>, TierError> {
    Ok(ctx.store.company_paths(account).await?.into_iter().find(|m| m.account() == account))
}

/// R-HCPN-07: the partner's account joins a development path (never a CSP account, R-PROG-08).
pub async fn join_path(ctx: &Context, partner: &Partner, path: DevelopmentPath) -> Result<PathMembership, TierError> {
    let now = ctx.clock.now();
    let csp_pending = ctx
        .store
        .program_applications_of(partner.account_id())
        .await?
        .iter()
        .any(|a| a.program() == Program::CloudSolutionProvider && *a.state() == ProgramApplicationState::Submitted);
    let facts = JoinFacts {
        is_hcpn_partner: true,
        in_or_joining_csp: partner.is_in(Program::CloudSolutionProvider) || csp_pending,
        current: path_of(ctx, partner.account_id()).await?.map(|m| m.path()),
    };
    let membership = PathMembership::join(partner.account_id().clone(), partner.id().clone(), path, facts, now)?;
    let audit = [audit_event(
        now,
        Actor::Customer(partner.account_id().clone()),
        Some(partner.id()),
        Action::DevelopmentPathJoined,
        "development_path",
        partner.account_id().as_str(),
        None,
        Some(format!(
            "path={} stage={}",
            audit_text::development_path(path),
            audit_text::path_stage(membership.stage())
        )),
    )];
    ctx.store.save_path(&membership, None, &audit).await?;
    Ok(membership)
}

/// The operator records that the partner completed its path's current stage (R-PROG-02).
pub async fn advance_path(ctx: &Context, staff: &Staff, partner_id: &str) -> Result<PathMembership, TierError> {
    let partner = partner(ctx, partner_id).await?;
    let current = path_of(ctx, partner.account_id()).await?.ok_or(TierError::NoPath)?;
    let now = ctx.clock.now();
    let mut next = current.advance(now)?;
    let audit = [audit_event(
        now,
        operator(staff),
        Some(partner.id()),
        Action::DevelopmentPathAdvanced,
        "development_path",
        partner.account_id().as_str(),
        Some(format!("stage={}", audit_text::path_stage(current.stage()))),
        Some(format!("stage={}", audit_text::path_stage(next.stage()))),
    )];
    ctx.store.save_path(&next, Some(current.version()), &audit).await?;
    next.saved();
    Ok(next)
}

/// R-HCPN-13: Huawei Cloud invites the partner to apply for Core.
pub async fn invite_to_core(ctx: &Context, staff: &Staff, partner_id: &str) -> Result<(), TierError> {
    let partner = partner(ctx, partner_id).await?;
    if ctx.store.core_invited(partner.id()).await? {
        return Err(TierError::AlreadyInvited);
    }
    let now = ctx.clock.now();
    let audit = [audit_event(
        now,
        operator(staff),
        Some(partner.id()),
        Action::CoreInvited,
        "partner",
        partner.id().as_str(),
        None,
        None,
    )];
    ctx.store.invite_to_core(partner.id(), now, staff.email.as_str(), &audit).await?;
    Ok(())
}

/// R-HCPN-19: whether some account of the partner's company is on a path, and whether some has
/// completed role validation.
async fn company_progress(ctx: &Context, partner: &Partner) -> Result<(bool, bool), TierError> {
    let paths = ctx.store.company_paths(partner.account_id()).await?;
    Ok((!paths.is_empty(), paths.iter().any(PathMembership::role_validated)))
}

/// R-HCPN-19 "View Reason": why the partner's tier cannot be upgraded; empty if it can.
pub async fn upgrade_reasons(ctx: &Context, partner: &Partner) -> Result<Vec<TierCause>, TierError> {
    let (on_path, validated) = company_progress(ctx, partner).await?;
    Ok(upgrade_blockers(on_path, validated))
}

/// R-HCPN-10 … R-HCPN-19: the operator certifies the partner's tier in `program` by `path`.
/// Every unmet condition comes back at once; nothing changes then.
pub async fn certify(
    ctx: &Context,
    staff: &Staff,
    partner_id: &str,
    program: Program,
    path: &EntryPath,
) -> Result<TierDecision, TierError> {
    let partner = partner(ctx, partner_id).await?;
    let current = partner.enrollments().iter().find(|e| e.program == program).ok_or(TierError::NotEnrolled)?.tier;
    let (company_on_path, company_role_validated) = company_progress(ctx, &partner).await?;
    let facts = TierFacts {
        current,
        core_invited: ctx.store.core_invited(partner.id()).await?,
        core_carriers_in_country: ctx
            .store
            .core_partners(partner.country(), EntryPathKind::CoreCarrier, partner.id())
            .await?,
        core_regionals_in_country: ctx
            .store
            .core_partners(partner.country(), EntryPathKind::CoreRegional, partner.id())
            .await?,
        company_on_path,
        company_role_validated,
    };
    let decision = decide(path, &facts).map_err(TierError::Refused)?;
    let now = ctx.clock.now();
    let change = TierChange::certify(
        partner.id().clone(),
        program,
        current,
        &decision,
        path,
        staff.email.as_str().to_owned(),
        now,
    );
    let audit = [audit_event(
        now,
        operator(staff),
        Some(partner.id()),
        Action::TierChanged,
        "partner",
        partner.id().as_str(),
        Some(format!("program={} tier={}", audit_text::program(program), audit_text::tier(current))),
        Some(format!(
            "program={} tier={} entry_path={}",
            audit_text::program(program),
            audit_text::tier(decision.tier),
            audit_text::entry_path(path.kind())
        )),
    )];
    ctx.store.change_tier(&change, &audit).await?;
    Ok(decision)
}

/// The partner's tier changes, latest first.
pub async fn tier_changes(ctx: &Context, partner: &PartnerId) -> Result<Vec<TierChange>, TierError> {
    Ok(ctx.store.tier_changes(partner).await?)
}
