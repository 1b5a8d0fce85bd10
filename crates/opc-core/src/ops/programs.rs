//! Joining HCPN (R-HCPN-*) and partner programs (R-PROG-*): applications, automatic and manual
//! review, and the eligibility checks that list every failing cause with its fix.

use opc_domain::account::Account;
use opc_domain::audit::{Action, Actor};
use opc_domain::console::Staff;
use opc_domain::goal::{GoalError, RevenueGoal};
use opc_domain::hcpn::{AutoReviewFacts, HcpnApplication, HcpnError, HcpnForm, HcpnState, RejectionReason};
use opc_domain::partner::{Partner, Program};
use opc_domain::program::{
    eligibility, Agreement, ApplyError, Cause, EligibilityFacts, ProgramApplication, ProgramApplicationState,
    ProgramDecisionError,
};
use opc_domain::text::CountryCode;
use opc_domain::{AccountId, Money, PartnerId};

use super::admin::audit_event;
use super::{audit_text, random, Context};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ProgramError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error(transparent)]
    Hcpn(#[from] HcpnError),
    #[error("an HCPN application exists already: see it, or resubmit it if it was rejected")]
    HcpnExists,
    #[error("there is no such application")]
    NoApplication,
    #[error("no account is registered with this email")]
    NoSuchAccount,
    /// R-PROG-05: every failing cause, with its fix.
    #[error("{}", describe(.0))]
    Ineligible(Vec<Cause>),
    #[error(transparent)]
    Decision(#[from] ProgramDecisionError),
    #[error("the application changed meanwhile; retry")]
    Concurrent,
    #[error(transparent)]
    Store(StoreError),
}

fn describe(causes: &[Cause]) -> String {
    let list: Vec<String> = causes.iter().map(|c| format!("{} ({}) Fix: {}", c.message(), c.rule(), c.fix())).collect();
    format!("the account cannot join the program: {}", list.join(" "))
}

impl From<StoreError> for ProgramError {
    fn from(e: StoreError) -> ProgramError {
        match e {
            StoreError::Conflict { .. } => ProgramError::Concurrent,
            other => ProgramError::Store(other),
        }
    }
}

impl From<ApplyError> for ProgramError {
    fn from(e: ApplyError) -> ProgramError {
        match e {
            ApplyError::Ineligible(causes) => ProgramError::Ineligible(causes),
            e @ ApplyError::StepsIncomplete(_) => ProgramError::Invalid { field: "agreements", reason: e.to_string() },
        }
    }
}

fn describe_hcpn(app: &HcpnApplication) -> String {
    match app.state() {
        HcpnState::Submitted => "state=submitted".to_owned(),
        HcpnState::ManualReview { reasons } => {
            format!(
                "state=manual_review reasons={}",
                reasons.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
            )
        }
        HcpnState::Approved => "state=approved".to_owned(),
        HcpnState::Rejected { reason } => format!("state=rejected reason={}", reason.as_str()),
    }
}

/// The partner an approved application creates (R-HCPN-08: Standard tier, no program yet).
fn partner_for(app: &HcpnApplication) -> Option<Partner> {
    app.is_approved().then(|| {
        Partner::join_hcpn(
            PartnerId::from_random(random()),
            app.applicant().clone(),
            app.filing().business.company_name.clone(),
            app.filing().business.country.clone(),
            app.decided_at().unwrap_or(app.submitted_at()),
        )
    })
}

/// R-HCPN-02 … R-HCPN-04: submits the wizard; the automatic check approves it or sends it to
/// manual review at once.
pub async fn submit_hcpn(ctx: &Context, account: &Account, form: HcpnForm) -> Result<HcpnApplication, ProgramError> {
    if ctx.store.hcpn_application(account.id()).await?.is_some() {
        return Err(ProgramError::HcpnExists);
    }
    let already_partner = ctx.store.partner_of_account(account.id()).await?.is_some();
    let now = ctx.clock.now();
    let app = HcpnApplication::submit(form, account, already_partner, now)?
        .auto_review(&AutoReviewFacts::of(account), now)?;
    let partner = partner_for(&app);
    let audit = [audit_event(
        now,
        Actor::Customer(account.id().clone()),
        partner.as_ref().map(|p| p.id()),
        Action::HcpnSubmitted,
        "hcpn_application",
        account.id().as_str(),
        None,
        Some(describe_hcpn(&app)),
    )];
    ctx.store.save_hcpn_application(&app, None, partner.as_ref(), &audit).await?;
    Ok(app)
}

/// R-HCPN-04 `Rejected → Submitted`: edits after a rejection and submits again.
pub async fn resubmit_hcpn(ctx: &Context, account: &Account, form: HcpnForm) -> Result<HcpnApplication, ProgramError> {
    let current = ctx.store.hcpn_application(account.id()).await?.ok_or(ProgramError::NoApplication)?;
    let already_partner = ctx.store.partner_of_account(account.id()).await?.is_some();
    let now = ctx.clock.now();
    let app = current.resubmit(form, already_partner, now)?.auto_review(&AutoReviewFacts::of(account), now)?;
    let partner = partner_for(&app);
    let audit = [audit_event(
        now,
        Actor::Customer(account.id().clone()),
        partner.as_ref().map(|p| p.id()),
        Action::HcpnSubmitted,
        "hcpn_application",
        account.id().as_str(),
        None,
        Some(describe_hcpn(&app)),
    )];
    ctx.store.save_hcpn_application(&app, Some(current.version()), partner.as_ref(), &audit).await?;
    Ok(app)
}

pub async fn hcpn_of(ctx: &Context, account: &AccountId) -> Result<Option<HcpnApplication>, ProgramError> {
    Ok(ctx.store.hcpn_application(account).await?)
}

/// The operator's manual review: approve, or reject with a reason shown to the applicant
/// (R-HCPN-05).
pub async fn decide_hcpn(
    ctx: &Context,
    staff: &Staff,
    applicant: &str,
    reject_reason: Option<&str>,
) -> Result<HcpnApplication, ProgramError> {
    let id = AccountId::parse(applicant).map_err(|_| ProgramError::NoApplication)?;
    let current = ctx.store.hcpn_application(&id).await?.ok_or(ProgramError::NoApplication)?;
    let now = ctx.clock.now();
    let (app, action) = match reject_reason {
        None => (current.approve(now)?, Action::HcpnApproved),
        Some(text) => {
            let reason = RejectionReason::parse(text)
                .map_err(|e| ProgramError::Invalid { field: "reason", reason: e.to_string() })?;
            (current.reject(reason, now)?, Action::HcpnRejected)
        }
    };
    let partner = partner_for(&app);
    let audit = [audit_event(
        now,
        Actor::Operator(staff.email.as_str().to_owned()),
        partner.as_ref().map(|p| p.id()),
        action,
        "hcpn_application",
        id.as_str(),
        None,
        Some(describe_hcpn(&app)),
    )];
    ctx.store.save_hcpn_application(&app, Some(current.version()), partner.as_ref(), &audit).await?;
    Ok(app)
}

pub async fn hcpn_queue(ctx: &Context, state: &str) -> Result<Vec<HcpnApplication>, ProgramError> {
    Ok(ctx.store.hcpn_applications(state, 200).await?)
}

/// What the eligibility checks need to know besides the account, for a CSP application in
/// `business_area`.
async fn facts(
    ctx: &Context,
    account: &Account,
    business_area: &CountryCode,
) -> Result<(EligibilityFacts, Vec<ProgramApplication>, Option<Partner>), ProgramError> {
    let partner = ctx.store.partner_of_account(account.id()).await?;
    let applications = ctx.store.program_applications_of(account.id()).await?;
    let company_paths = ctx.store.company_paths(account.id()).await?;
    let facts = EligibilityFacts {
        is_hcpn_partner: partner.is_some(),
        enrolled: partner.iter().flat_map(|p| p.enrollments().iter().map(|e| e.program)).collect(),
        pending: applications
            .iter()
            .filter(|a| *a.state() == ProgramApplicationState::Submitted)
            .map(|a| a.program())
            .collect(),
        // R-PROG-08: this account's own path, not its company's.
        joined_development_path: company_paths.iter().any(|m| m.account() == account.id()),
        associated_partner: ctx.store.association_of(account.id()).await?.map(|a| a.model()),
        business_area_taken: ctx.store.company_csp_areas(account.id()).await?.contains(business_area),
        invited_to_dpp: ctx.store.dpp_invited(account.id()).await?,
    };
    Ok((facts, applications, partner))
}

/// R-PROG-05 "View Cause": every failing condition of the program for the account.
pub async fn eligibility_of(ctx: &Context, account: &Account, program: Program) -> Result<Vec<Cause>, ProgramError> {
    let (facts, _, _) = facts(ctx, account, account.country()).await?;
    Ok(eligibility(program, account, &facts))
}

/// R-PROG-04: applies to a program; an ineligible account gets every cause at once.
pub async fn apply(
    ctx: &Context,
    account: &Account,
    program: Program,
    business_area: Option<&str>,
    accepted: &[Agreement],
) -> Result<ProgramApplication, ProgramError> {
    let area = business_area
        .map(|a| {
            CountryCode::parse(a).map_err(|e| ProgramError::Invalid { field: "business_area", reason: e.to_string() })
        })
        .transpose()?;
    let (facts, applications, partner) = facts(ctx, account, area.as_ref().unwrap_or(account.country())).await?;
    let now = ctx.clock.now();
    let app = ProgramApplication::apply(program, account, &facts, area, accepted, now)?;
    let previous = applications.iter().find(|a| a.program() == program).map(ProgramApplication::version);
    let audit = [audit_event(
        now,
        Actor::Customer(account.id().clone()),
        partner.as_ref().map(|p| p.id()),
        Action::ProgramApplied,
        "program_application",
        &format!("{}/{}", account.id(), audit_text::program(program)),
        None,
        Some(format!("business_area={}", app.business_area().as_str())),
    )];
    ctx.store.save_program_application(&app, previous, None, &audit).await?;
    Ok(app)
}

/// One document an account signed (R-CERT-09).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedAgreement {
    pub title: &'static str,
    /// The rule that makes it part of the process.
    pub rule: &'static str,
    /// What it was signed for: `hcpn` or a program's application.
    pub signed_for: Option<Program>,
    pub signed_at: opc_domain::Timestamp,
}

/// R-CERT-09: the agreements the account has signed, oldest first: HCPN's certification
/// agreement (R-CERT-04) and each program application's documents.
pub async fn signed_agreements(ctx: &Context, account: &AccountId) -> Result<Vec<SignedAgreement>, ProgramError> {
    let mut signed = vec![];
    if let Some(hcpn) = ctx.store.hcpn_application(account).await? {
        signed.push(SignedAgreement {
            title: "Huawei Cloud Partner Network Certification Agreement",
            rule: "R-CERT-04",
            signed_for: None,
            signed_at: hcpn.agreement_accepted_at(),
        });
    }
    for app in ctx.store.program_applications_of(account).await? {
        signed.extend(app.agreements().iter().map(|a| SignedAgreement {
            title: a.title(),
            rule: a.rule(),
            signed_for: Some(app.program()),
            signed_at: app.submitted_at(),
        }));
    }
    signed.sort_by_key(|s| s.signed_at);
    Ok(signed)
}

pub async fn applications_of(ctx: &Context, account: &AccountId) -> Result<Vec<ProgramApplication>, ProgramError> {
    Ok(ctx.store.program_applications_of(account).await?)
}

/// The operator approves (the program is enrolled at the Standard tier, R-HCPN-20) or rejects.
pub async fn decide_program(
    ctx: &Context,
    staff: &Staff,
    applicant: &str,
    program: Program,
    reject_reason: Option<&str>,
) -> Result<ProgramApplication, ProgramError> {
    let id = AccountId::parse(applicant).map_err(|_| ProgramError::NoApplication)?;
    let current = ctx
        .store
        .program_applications_of(&id)
        .await?
        .into_iter()
        .find(|a| a.program() == program)
        .ok_or(ProgramError::NoApplication)?;
    let partner = ctx.store.partner_of_account(&id).await?.ok_or(ProgramError::NoApplication)?;
    let now = ctx.clock.now();
    let (app, action, enrollment) = match reject_reason {
        None => (current.approve(now)?, Action::ProgramApproved, Some(Partner::enrollment(program, now))),
        Some(text) => {
            let reason = RejectionReason::parse(text)
                .map_err(|e| ProgramError::Invalid { field: "reason", reason: e.to_string() })?;
            (current.reject(reason, now)?, Action::ProgramRejected, None)
        }
    };
    let audit = [audit_event(
        now,
        Actor::Operator(staff.email.as_str().to_owned()),
        Some(partner.id()),
        action,
        "program_application",
        &format!("{id}/{}", audit_text::program(program)),
        None,
        Some(audit_text::application_state(app.state())),
    )];
    ctx.store
        .save_program_application(&app, Some(current.version()), enrollment.as_ref().map(|e| (partner.id(), e)), &audit)
        .await?;
    Ok(app)
}

pub async fn program_queue(ctx: &Context, state: &str) -> Result<Vec<ProgramApplication>, ProgramError> {
    Ok(ctx.store.program_applications(state, 200).await?)
}

/// R-PROG-27: the operator invites an account (by its email) to join DPP; the invitation email
/// carries the link to the program's application.
pub async fn invite_to_dpp(ctx: &Context, staff: &Staff, email: &str) -> Result<AccountId, ProgramError> {
    let email = opc_domain::customer::Email::parse(email)
        .map_err(|e| ProgramError::Invalid { field: "email", reason: e.to_string() })?;
    let account = ctx.store.account_by_email(&email).await?.ok_or(ProgramError::NoSuchAccount)?;
    if ctx.store.dpp_invited(account.id()).await? {
        return Err(ProgramError::Invalid { field: "email", reason: "the account is already invited".into() });
    }
    let now = ctx.clock.now();
    // In the invited account's language; the link opens the program's page in the console.
    let lang = super::language_of(ctx, &opc_domain::console::SessionSubject::Account(account.id().clone())).await?;
    let text = opc_domain::notification::templates::dpp_invitation(lang, &ctx.link("/programs/distributor"));
    let notification = super::email(email.as_str(), text, now);
    let audit = [audit_event(
        now,
        Actor::Operator(staff.email.as_str().to_owned()),
        None,
        Action::DppInvited,
        "account",
        account.id().as_str(),
        None,
        None,
    )];
    ctx.store.insert_dpp_invitation(account.id(), staff.email.as_str(), now, &notification, &audit).await?;
    Ok(account.id().clone())
}

/// R-PROG-16, R-PROG-37: a Huawei BD pre-registers an account, or releases it (the fix the
/// seeds give for the cause). Setting the state it already has changes nothing.
pub async fn set_bd_preregistration(
    ctx: &Context,
    staff: &Staff,
    account: &str,
    pre_registered: bool,
) -> Result<Account, ProgramError> {
    let id = AccountId::parse(account).map_err(|_| ProgramError::NoSuchAccount)?;
    let mut account = ctx.store.account(&id).await?.ok_or(ProgramError::NoSuchAccount)?;
    if account.bd_preregistered() == pre_registered {
        return Ok(account);
    }
    let now = ctx.clock.now();
    let audit = [audit_event(
        now,
        Actor::Operator(staff.email.as_str().to_owned()),
        None,
        Action::BdPreRegistrationSet,
        "account",
        account.id().as_str(),
        Some(format!("bd_preregistered={}", account.bd_preregistered())),
        Some(format!("bd_preregistered={pre_registered}")),
    )];
    account.set_bd_preregistered(pre_registered);
    ctx.store.update_bd_preregistration(&account, &audit).await?;
    account.saved();
    Ok(account)
}

/// R-PROG-44: sets the partner's annual revenue goal for this year or the next; setting a year
/// again replaces its goal. `amount` is a decimal string with at most two decimals.
pub async fn set_revenue_goal(
    ctx: &Context,
    partner: &Partner,
    year: i64,
    amount: &str,
) -> Result<RevenueGoal, ProgramError> {
    let invalid = |field: &'static str, reason: String| ProgramError::Invalid { field, reason };
    let amount = Money::parse_with_scale(amount.trim(), 2).map_err(|e| invalid("amount", e.to_string()))?;
    let now = ctx.clock.now();
    let goal = RevenueGoal::set(partner.id().clone(), year, amount, now).map_err(|e| match e {
        GoalError::Year => invalid("year", e.to_string()),
        GoalError::Amount => invalid("amount", e.to_string()),
    })?;
    let audit = [audit_event(
        now,
        Actor::Customer(partner.account_id().clone()),
        Some(partner.id()),
        Action::RevenueGoalSet,
        "partner",
        partner.id().as_str(),
        None,
        Some(format!("year={} amount={}", goal.year, goal.amount)),
    )];
    ctx.store.set_revenue_goal(&goal, &audit).await.map_err(ProgramError::Store)?;
    Ok(goal)
}

/// The partner's annual revenue goals, latest year first (R-PROG-44).
pub async fn revenue_goals(ctx: &Context, partner: &PartnerId) -> Result<Vec<RevenueGoal>, ProgramError> {
    ctx.store.revenue_goals(partner).await.map_err(ProgramError::Store)
}
