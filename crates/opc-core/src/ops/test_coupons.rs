//! Test coupons (issue 15; R-CPN-15 … R-CPN-24, R-BEN-04, R-NOTIF-04): a partner requests a
//! test-coupon amount within its tier's limit; the operator files project-based requests for one
//! customer, approves (issuing a test coupon) or rejects; the reminder job tells partners their
//! test coupons' balances and the estimated bill of the customers they cover. The rules are in
//! [`opc_domain::coupon::test_coupon`]; each decision is written with its audit in one
//! transaction under the versions it was read at, and decided again when a concurrent one landed
//! first (so pending and approved requests never pass the limit).

use opc_domain::association::AssociationModel;
use opc_domain::audit::{Action, Actor};
use opc_domain::coupon::test_coupon::{
    self, Draft, NoticeDue, NoticeKind, Project, ReminderPolicy, TestCouponError, TestCouponRequest, TierLimits,
};
use opc_domain::coupon::{Act, Coupon, CouponKind, CouponStatus};
use opc_domain::partner::{Partner, Tier};
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Money, PartnerId};

use super::admin::audit_event;
use super::bills::{self, BillOpError};
use super::customers::CustomerError;
use super::{email, random, Context};
use crate::store::{Constraint, CouponQuery, Row, StoreError, TestCouponRequestQuery, TestCouponWrite};

/// How many times a decision is made again after a concurrent one.
const ATTEMPTS: usize = 8;

/// The deployment's test-coupon policy (R-CPN-22, R-CPN-18); defaults in docs/coupons.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TestCouponPolicy {
    /// R-CPN-22: the most a partner may have pending and approved, by tier.
    pub limits: TierLimits,
    /// How long a test coupon is valid when the request names no duration.
    pub default_days: u32,
    pub reminders: ReminderPolicy,
}

impl Default for TestCouponPolicy {
    fn default() -> TestCouponPolicy {
        let usd = |n: i64| Money::from_major(n).unwrap_or(Money::ZERO);
        TestCouponPolicy {
            limits: TierLimits { standard: usd(1_000), advanced: usd(3_000), premier: usd(5_000), core: usd(10_000) },
            default_days: 30,
            reminders: ReminderPolicy { low_balance_percent: 20, every_days: 7 },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TestCouponOpError {
    #[error(transparent)]
    TestCoupon(#[from] TestCouponError),
    /// A project's customer that is not one of the partner's reseller customers.
    #[error(transparent)]
    Scope(#[from] CustomerError),
    #[error("no partner {0}")]
    UnknownPartner(String),
    /// No such request among those the caller may see (whether it exists or not).
    #[error("no test-coupon request {0}")]
    UnknownRequest(String),
    /// Other decisions kept landing first; nothing was written.
    #[error("the test-coupon requests changed meanwhile; retry")]
    Concurrent,
    #[error(transparent)]
    Estimate(#[from] BillOpError),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for TestCouponOpError {
    fn from(e: StoreError) -> TestCouponOpError {
        if is_stale(&e) {
            return TestCouponOpError::Concurrent;
        }
        TestCouponOpError::Store(e)
    }
}

fn is_stale(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Conflict {
            constraint: Constraint::Stale(Row::TestCouponRequest | Row::TestCouponBenefit | Row::Coupon)
        }
    )
}

fn new_id() -> String {
    hex::encode(random::<16>())
}

/// R-CPN-22: a partner's tier for its test-coupon limit: its highest among its programs.
pub fn tier_of(partner: &Partner) -> Option<Tier> {
    partner.enrollments().iter().map(|e| e.tier).max()
}

/// What a partner sees of its benefit: its limit, what its requests hold of it, and the requests.
#[derive(Clone, Debug)]
pub struct Benefit {
    pub tier: Option<Tier>,
    pub limit: Money,
    pub committed: Money,
    pub requests: Vec<TestCouponRequest>,
}

/// The partner's test-coupon benefit: limit, what is pending or approved, its requests (newest
/// first; project requests filed for it included).
pub async fn benefit(ctx: &Context, partner: &Partner) -> Result<Benefit, TestCouponOpError> {
    let (requests, _) = ctx.store.test_coupon_benefit(partner.id()).await?;
    let tier = tier_of(partner);
    Ok(Benefit {
        tier,
        limit: ctx.policy.test_coupons.limits.of(tier),
        committed: test_coupon::committed(&requests)?,
        requests,
    })
}

async fn login_name(ctx: &Context, partner: &Partner) -> Result<String, TestCouponOpError> {
    Ok(ctx.store.account(partner.account_id()).await?.map(|a| a.name().as_str().to_owned()).unwrap_or_default())
}

fn requested_audit(r: &TestCouponRequest, actor: Actor) -> opc_domain::audit::AuditEvent {
    let customer = r.customer().map_or("all", |c| c.as_str());
    audit_event(
        r.requested_at,
        actor,
        Some(&r.partner),
        Action::TestCouponRequested,
        "test_coupon_request",
        &r.id,
        None,
        Some(format!(
            "status=pending amount={} days={} customer={customer} config={}",
            r.amount,
            r.duration_days,
            r.resource_config.as_str()
        )),
    )
}

/// R-CPN-22, R-CPN-23, R-CPN-24, R-BEN-04: the partner requests a test-coupon amount in Partner
/// Center. Decided on its requests read with the benefit's version and written only if that
/// version is unchanged, so concurrent requests never together pass the limit.
pub async fn request(ctx: &Context, partner: &Partner, draft: &Draft) -> Result<TestCouponRequest, TestCouponOpError> {
    let name = login_name(ctx, partner).await?;
    let policy = ctx.policy.test_coupons;
    let limit = policy.limits.of(tier_of(partner));
    for _ in 0..ATTEMPTS {
        let (existing, version) = ctx.store.test_coupon_benefit(partner.id()).await?;
        let act = Act { at: ctx.clock.now(), operator: name.clone(), remark: String::new() };
        let r = test_coupon::request(&mut new_id, partner.id(), limit, &existing, draft, policy.default_days, &act)?;
        let audit = [requested_audit(&r, Actor::Customer(partner.account_id().clone()))];
        let write = TestCouponWrite { request: &r, benefit_version: Some(version), coupon: None, audit: &audit };
        match ctx.store.write_test_coupon(&write).await {
            Ok(()) => {
                tracing::info!(partner.id = %partner.id(), request.id = %r.id, amount_e8 = r.amount.e8(), "Test coupon requested");
                return Ok(r);
            }
            Err(e) if is_stale(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(TestCouponOpError::Concurrent)
}

async fn partner(ctx: &Context, id: &str) -> Result<Partner, TestCouponOpError> {
    let unknown = || TestCouponOpError::UnknownPartner(id.to_owned());
    let parsed = PartnerId::parse(id).map_err(|_| unknown())?;
    ctx.store.partner(&parsed).await?.ok_or_else(unknown)
}

/// What the ecosystem manager files for a project besides the draft (R-CPN-20).
#[derive(Clone, Debug)]
pub struct ProjectFacts {
    pub customer: String,
    pub background: String,
    pub expected_order_at: opc_domain::Timestamp,
    pub expected_order_amount: Money,
}

/// R-CPN-20, R-CPN-21: the operator's ecosystem manager files a project-based request on the
/// partner's behalf, for one of its reseller customers; outside the tier's limit (R-CPN-22).
pub async fn file_project(
    ctx: &Context,
    operator: &str,
    partner_id: &str,
    facts: ProjectFacts,
    draft: &Draft,
) -> Result<TestCouponRequest, TestCouponOpError> {
    let p = partner(ctx, partner_id).await?;
    let not_yours = || TestCouponOpError::Scope(CustomerError::NotYourCustomer(facts.customer.clone()));
    let customer = AccountId::parse(&facts.customer).map_err(|_| not_yours())?;
    let view = ctx.store.customer_of(p.id(), &customer).await?.ok_or_else(not_yours)?;
    if view.association.model() != AssociationModel::Reseller {
        return Err(CustomerError::NotResellerCustomer(facts.customer.clone()).into());
    }
    let project = Project {
        customer,
        background: facts.background.clone(),
        expected_order_at: facts.expected_order_at,
        expected_order_amount: facts.expected_order_amount,
    };
    let act = Act { at: ctx.clock.now(), operator: operator.to_owned(), remark: String::new() };
    let r = test_coupon::file_project(&mut new_id, p.id(), project, draft, ctx.policy.test_coupons.default_days, &act)?;
    let audit = [requested_audit(&r, Actor::Operator(operator.to_owned()))];
    ctx.store
        .write_test_coupon(&TestCouponWrite { request: &r, benefit_version: None, coupon: None, audit: &audit })
        .await?;
    Ok(r)
}

/// The requests the operator sees: all, or only the pending ones, newest first.
pub async fn all_requests(ctx: &Context, pending_only: bool) -> Result<Vec<TestCouponRequest>, TestCouponOpError> {
    Ok(ctx.store.test_coupon_requests(&TestCouponRequestQuery { pending_only, ..Default::default() }).await?)
}

async fn one_request(ctx: &Context, id: &str) -> Result<TestCouponRequest, TestCouponOpError> {
    let query = TestCouponRequestQuery { id: Some(id.to_owned()), ..Default::default() };
    ctx.store.test_coupon_requests(&query).await?.pop().ok_or_else(|| TestCouponOpError::UnknownRequest(id.to_owned()))
}

/// A decision on a pending request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject { reason: String },
}

/// R-CPN-15, R-CPN-16: the operator approves a pending request (issuing its test coupon) or
/// rejects it with a reason, audited; returns the request as decided and the coupon issued.
pub async fn decide(
    ctx: &Context,
    operator: &str,
    id: &str,
    decision: &Decision,
) -> Result<(TestCouponRequest, Option<Coupon>), TestCouponOpError> {
    let mut r = one_request(ctx, id).await?;
    let act = Act { at: ctx.clock.now(), operator: operator.to_owned(), remark: String::new() };
    let before = Some(format!("status={}", r.status.word()));
    let (issued, action) = match decision {
        Decision::Approve => (Some(test_coupon::approve(&mut new_id, &mut r, &act)?), Action::TestCouponApproved),
        Decision::Reject { reason } => {
            test_coupon::reject(&mut r, reason, &act)?;
            (None, Action::TestCouponRejected)
        }
    };
    let after = match (&issued, &r.status) {
        (Some((c, _)), _) => format!("status=approved coupon={} valid_to={}", c.id, c.validity.to),
        (None, test_coupon::RequestStatus::Rejected { reason, .. }) => format!("status=rejected reason={reason}"),
        (None, s) => format!("status={}", s.word()),
    };
    let audit = [audit_event(
        act.at,
        Actor::Operator(operator.to_owned()),
        Some(&r.partner),
        action,
        "test_coupon_request",
        &r.id,
        before,
        Some(after),
    )];
    let write = TestCouponWrite {
        request: &r,
        benefit_version: None,
        coupon: issued.as_ref().map(|(c, e)| (c, e)),
        audit: &audit,
    };
    ctx.store.write_test_coupon(&write).await?;
    tracing::info!(partner.id = %r.partner, request.id = %r.id, status = r.status.word(), "Test-coupon request decided");
    Ok((r, issued.map(|(c, _)| c)))
}

/// What the reminder job did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reminded {
    pub notices: usize,
}

/// R-CPN-18, R-NOTIF-04: for each open test coupon (up to `limit`), sends the notices it calls
/// for — after a deduction left it low, and every reminder interval while it is open — each once
/// whichever process gets there first (the store records `(coupon, kind, period)` with the
/// notifications in one transaction). Each tells the balance and the estimated bill of the
/// customers it covers, from [`bills::estimate`] (the bill run's own code).
pub async fn remind(ctx: &Context, limit: u32) -> Result<Reminded, TestCouponOpError> {
    let now = ctx.clock.now();
    let policy = ctx.policy.test_coupons.reminders;
    let query = CouponQuery { kind: Some(CouponKind::Test), ..CouponQuery::default() };
    let mut done = Reminded::default();
    // Open coupons, and those a deduction used up or left in the last month (their low-balance
    // notice may still be due); older used-up ones have nothing more to say.
    let recent = |c: &Coupon| c.last_used_at.is_some_and(|at| now.since(at).0 <= 31 * 86_400_000);
    let coupons: Vec<Coupon> = ctx
        .store
        .coupons(&query)
        .await?
        .into_iter()
        .filter(|c| c.closure.is_none() && (c.status(now) == CouponStatus::Available || recent(c)))
        .take(limit as usize)
        .collect();
    for c in coupons {
        let sent = ctx.store.test_coupon_notices(&c.id).await?;
        let due: Vec<NoticeDue> = test_coupon::notices_due(&c, &policy, now)?
            .into_iter()
            .filter(|n| !sent.contains(&(n.kind, n.period)))
            .collect();
        for n in due {
            if notify(ctx, &c, n).await? {
                done.notices += 1;
            }
        }
    }
    Ok(done)
}

/// Sends one notice about `c` to its partner (email to its notice recipients, and its webhook);
/// returns whether it was new.
async fn notify(ctx: &Context, c: &Coupon, n: NoticeDue) -> Result<bool, TestCouponOpError> {
    let now = ctx.clock.now();
    let Some(p) = ctx.store.partner(&c.partner).await? else {
        return Ok(false);
    };
    let month = Cycle::of(now, ctx.policy.billing_offset);
    let estimate = bills::estimate(ctx, &c.partner, month).await?;
    let covered = test_coupon::covered_estimate(c, estimate.lines())?;
    let customer_name = match &c.customer {
        Some(id) => Some(ctx.store.account(id).await?.map_or_else(|| id.to_string(), |a| a.name().as_str().to_owned())),
        None => None,
    };
    let lang = super::partner_language(ctx, &p).await?;
    let text = test_coupon::notice_text(lang, n.kind, c, &covered, &bills::month_text(month), customer_name.as_deref());
    let to = super::usage::recipients(ctx, &p).await?;
    let mut notifications: Vec<_> = to.iter().map(|t| email(t, text.clone(), now)).collect();
    let action = Action::TestCouponNoticeSent;
    notifications.extend(super::outbox::webhook_notice(ctx, &p, action.as_str(), &c.id, (&text.0, &text.1)).await?);
    let kind = match n.kind {
        NoticeKind::LowBalance => "low_balance",
        NoticeKind::Reminder => "reminder",
    };
    let audit = [audit_event(
        now,
        Actor::System,
        Some(&c.partner),
        action,
        "coupon",
        &c.id,
        None,
        Some(format!(
            "notice={kind} period={} balance={} estimate={} recipients={}",
            n.period,
            c.balance,
            covered.total,
            to.len()
        )),
    )];
    Ok(ctx.store.record_test_coupon_notice(&c.id, (n.kind, n.period), now, &notifications, &audit).await?)
}

/// The partner's test coupons (approved requests' coupons), newest first.
pub async fn coupons_of(ctx: &Context, partner: &PartnerId) -> Result<Vec<Coupon>, TestCouponOpError> {
    let query = CouponQuery { partner: Some(partner.clone()), kind: Some(CouponKind::Test), ..CouponQuery::default() };
    Ok(ctx.store.coupons(&query).await?)
}
