//! Test coupons (seeds 004 §8.7.7–§8.7.13, §6.1.1 item 4, §6.2.1; R-CPN-15 … R-CPN-24, R-BEN-04,
//! R-NOTIF-04).
//!
//! A partner requests a test-coupon amount ([`request`]) with a resource configuration (a shared
//! Price Calculator link, R-CPN-24) and a purpose; it may request several times, but what it has
//! pending and approved never passes the limit of its tier (R-CPN-22, R-CPN-23, R-BEN-04). The
//! operator's ecosystem manager may also file a project-based request on a partner's behalf for
//! one reseller customer ([`file_project`], R-CPN-20), which is outside that limit (R-CPN-22:
//! "solution partners may request more when a customer project requires it"). The operator
//! approves ([`approve`]) or rejects ([`reject`]) a pending request; approval issues a coupon of
//! kind [`CouponKind::Test`], usable by all the partner's reseller customers, or by the project's
//! customer only (R-CPN-16), valid from approval for the test duration.
//!
//! Test coupons are deducted with the cash coupons at the bill run ([`super::deduct`]); what they
//! paid is kept apart on the bill, as it is not partner revenue (R-CPN-19). Running out deletes
//! nothing: the rest is owed (R-CPN-17). The partner is told the balance and the estimated bill
//! of the customers a coupon covers (R-CPN-18, R-NOTIF-04) when a deduction leaves it low and
//! periodically while it is open ([`notices_due`], [`covered_estimate`], [`notice_text`]).

use super::Validity;
use super::{coupon_entry, Act, Coupon, CouponEntry, CouponEntryKind, CouponKind, CouponStatus, Grantor, Ids, Limits};
use crate::bill::PartnerBillLine;
use crate::catalog::ChargingMode;
use crate::ids::{AccountId, PartnerId};
use crate::money::Money;
use crate::notification::Language;
use crate::partner::Tier;
use crate::time::{Millis, Timestamp};

const DAY: i64 = 86_400_000;
/// R-CPN-24: the longest resource configuration link kept.
pub const RESOURCE_CONFIG_MAX: usize = 2_000;
/// The longest purpose, project background, or rejection reason.
pub const TEXT_MAX: usize = 1_000;
/// The longest test duration that may be asked for, in days.
pub const DURATION_DAYS_MAX: u32 = 366;

/// Why a test-coupon request or decision is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TestCouponError {
    #[error("the amount must be more than 0 with at most 2 decimals")]
    Amount,
    /// R-CPN-23, R-BEN-04: pending and approved requests may not pass the tier's limit.
    #[error("the test-coupon limit is {limit}; {committed} is pending or approved, so {requested} more would pass it")]
    OverLimit { limit: Money, committed: Money, requested: Money },
    /// R-CPN-24: a shareable Price Calculator link is required.
    #[error("the resource configuration must be a shared Price Calculator link (an http or https URL): {0}")]
    ResourceConfig(&'static str),
    #[error("the {field} {reason}")]
    Text { field: &'static str, reason: String },
    #[error("the test duration must be 1 to {max} days")]
    Duration { max: u32 },
    /// Only a pending request is decided.
    #[error("the request is {0}, not pending")]
    NotPending(&'static str),
    #[error("an amount would pass the largest amount")]
    OutOfRange,
    /// Several fields of a draft refused at once (issue 17), each with the field it is about.
    #[error("{}", .0.iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>().join("; "))]
    Problems(Vec<(&'static str, TestCouponError)>),
}

impl From<crate::money::MoneyError> for TestCouponError {
    fn from(_: crate::money::MoneyError) -> TestCouponError {
        TestCouponError::OutOfRange
    }
}

/// R-CPN-24: the resource configuration, a shareable Price Calculator link ("Save and Share >
/// Share > Copy"): an `http` or `https` URL with a host, no spaces, at most
/// [`RESOURCE_CONFIG_MAX`] characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceLink(String);

impl PriceLink {
    pub fn parse(text: &str) -> Result<PriceLink, TestCouponError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(TestCouponError::ResourceConfig("it is required"));
        }
        if text.chars().count() > RESOURCE_CONFIG_MAX {
            return Err(TestCouponError::ResourceConfig("it is longer than 2000 characters"));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(TestCouponError::ResourceConfig("it contains spaces or control characters"));
        }
        let lower = text.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .ok_or(TestCouponError::ResourceConfig("it does not start with http:// or https://"))?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = host.rsplit('@').next().unwrap_or_default();
        let name = host.split(':').next().unwrap_or_default();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') {
            return Err(TestCouponError::ResourceConfig("it has no valid host"));
        }
        Ok(PriceLink(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// R-CPN-22: the most a partner may have pending and approved, by its tier (a deployment
/// policy).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TierLimits {
    pub standard: Money,
    pub advanced: Money,
    pub premier: Money,
    pub core: Money,
}

impl TierLimits {
    /// The limit of a partner at `tier` (its highest among its programs); a partner without a
    /// tier has the Standard limit.
    pub fn of(&self, tier: Option<Tier>) -> Money {
        match tier {
            None | Some(Tier::Standard) => self.standard,
            Some(Tier::Advanced) => self.advanced,
            Some(Tier::Premier) => self.premier,
            Some(Tier::Core) => self.core,
        }
    }
}

/// R-CPN-20: what a project-based request filed by the ecosystem manager carries besides the
/// amount: the one reseller customer it is for, and the project's facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    pub customer: AccountId,
    pub background: String,
    pub expected_order_at: Timestamp,
    pub expected_order_amount: Money,
}

/// How a request was made (R-CPN-16).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// By the partner in Partner Center: within its tier's limit; the coupon is for all its
    /// reseller customers.
    Partner,
    /// By the ecosystem manager for one customer's project: the coupon is for that customer only.
    Project(Project),
}

/// A request's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestStatus {
    Pending,
    /// Approved: the coupon it issued.
    Approved {
        coupon: String,
        at: Timestamp,
        by: String,
    },
    Rejected {
        reason: String,
        at: Timestamp,
        by: String,
    },
}

impl RequestStatus {
    pub fn word(&self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Approved { .. } => "approved",
            RequestStatus::Rejected { .. } => "rejected",
        }
    }
}

/// A test-coupon request (R-CPN-20, R-CPN-23, R-CPN-24).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestCouponRequest {
    pub id: String,
    pub partner: PartnerId,
    pub origin: Origin,
    /// Whole cents, more than 0.
    pub amount: Money,
    pub resource_config: PriceLink,
    pub purpose: String,
    /// How long the coupon is valid from approval.
    pub duration_days: u32,
    pub status: RequestStatus,
    pub requested_at: Timestamp,
    /// Who filed it: the partner's login name, or the operator's staff.
    pub requested_by: String,
    /// The store's optimistic-concurrency version (0: new).
    pub version: i64,
}

impl TestCouponRequest {
    /// R-CPN-23: whether it counts against the partner's limit — a partner's own request that
    /// is pending or approved (a rejected one frees its amount; a project request is outside the
    /// limit, R-CPN-22).
    pub fn counts_against_limit(&self) -> bool {
        matches!(self.origin, Origin::Partner) && !matches!(self.status, RequestStatus::Rejected { .. })
    }

    /// The customer its coupon is for, when it is for one (R-CPN-16).
    pub fn customer(&self) -> Option<&AccountId> {
        match &self.origin {
            Origin::Partner => None,
            Origin::Project(p) => Some(&p.customer),
        }
    }
}

/// What the partner (or the ecosystem manager) asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub amount: Money,
    pub resource_config: PriceLink,
    pub purpose: String,
    /// `None`: the deployment's default duration.
    pub duration_days: Option<u32>,
}

fn text(field: &'static str, value: &str, required: bool) -> Result<String, TestCouponError> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(TestCouponError::Text { field, reason: "is required".into() });
    }
    if value.chars().count() > TEXT_MAX {
        return Err(TestCouponError::Text { field, reason: format!("must be at most {TEXT_MAX} characters") });
    }
    Ok(value.to_owned())
}

/// A draft's amount, purpose and duration, or every one of them that is refused: one alone as
/// itself, several as [`TestCouponError::Problems`].
fn checked_draft(draft: &Draft, default_days: u32) -> Result<(Money, String, u32), TestCouponError> {
    let amount = super::cents_amount(draft.amount).map_err(|_| TestCouponError::Amount);
    let purpose = text("purpose", &draft.purpose, true);
    let days = draft.duration_days.unwrap_or(default_days);
    let days = if days == 0 || days > DURATION_DAYS_MAX {
        Err(TestCouponError::Duration { max: DURATION_DAYS_MAX })
    } else {
        Ok(days)
    };
    match (amount, purpose, days) {
        (Ok(amount), Ok(purpose), Ok(days)) => Ok((amount, purpose, days)),
        (amount, purpose, days) => {
            let mut found: Vec<(&'static str, TestCouponError)> =
                [("amount", amount.err()), ("purpose", purpose.err()), ("duration_days", days.err())]
                    .into_iter()
                    .filter_map(|(field, e)| e.map(|e| (field, e)))
                    .collect();
            match found.len() {
                1 => Err(found.remove(0).1),
                _ => Err(TestCouponError::Problems(found)),
            }
        }
    }
}

/// What the partner's requests hold of its limit: the sum of those that count against it.
pub fn committed(requests: &[TestCouponRequest]) -> Result<Money, TestCouponError> {
    requests
        .iter()
        .filter(|r| r.counts_against_limit())
        .try_fold(Money::ZERO, |sum, r| sum.checked_add(r.amount))
        .map_err(TestCouponError::from)
}

/// R-CPN-22, R-CPN-23, R-CPN-24, R-BEN-04: the partner requests `draft` in Partner Center.
/// `existing` are all its requests as read with their partner's version (the store writes the
/// new one only if that version is unchanged, so two concurrent requests cannot together pass
/// `limit`).
pub fn request(
    ids: &mut impl Ids,
    partner: &PartnerId,
    limit: Money,
    existing: &[TestCouponRequest],
    draft: &Draft,
    default_days: u32,
    act: &Act,
) -> Result<TestCouponRequest, TestCouponError> {
    let (amount, purpose, duration_days) = checked_draft(draft, default_days)?;
    let committed = committed(existing)?;
    if committed.checked_add(amount)? > limit {
        return Err(TestCouponError::OverLimit { limit, committed, requested: amount });
    }
    Ok(TestCouponRequest {
        id: ids.next_id(),
        partner: partner.clone(),
        origin: Origin::Partner,
        amount,
        resource_config: draft.resource_config.clone(),
        purpose,
        duration_days,
        status: RequestStatus::Pending,
        requested_at: act.at,
        requested_by: act.operator.clone(),
        version: 0,
    })
}

/// R-CPN-20: the ecosystem manager files a project-based request on the partner's behalf, for
/// one reseller customer (checked by the caller), with the project's background, expected order
/// date and amount. Outside the tier's limit (R-CPN-22).
pub fn file_project(
    ids: &mut impl Ids,
    partner: &PartnerId,
    mut project: Project,
    draft: &Draft,
    default_days: u32,
    act: &Act,
) -> Result<TestCouponRequest, TestCouponError> {
    let (amount, purpose, duration_days) = checked_draft(draft, default_days)?;
    project.background = text("project background", &project.background, true)?;
    if project.expected_order_amount <= Money::ZERO
        || project.expected_order_amount.round_to_cents() != project.expected_order_amount
    {
        return Err(TestCouponError::Text {
            field: "expected order amount",
            reason: "must be more than 0 with at most 2 decimals".into(),
        });
    }
    Ok(TestCouponRequest {
        id: ids.next_id(),
        partner: partner.clone(),
        origin: Origin::Project(project),
        amount,
        resource_config: draft.resource_config.clone(),
        purpose,
        duration_days,
        status: RequestStatus::Pending,
        requested_at: act.at,
        requested_by: act.operator.clone(),
        version: 0,
    })
}

fn pending(r: &TestCouponRequest) -> Result<(), TestCouponError> {
    match r.status {
        RequestStatus::Pending => Ok(()),
        RequestStatus::Approved { .. } | RequestStatus::Rejected { .. } => {
            Err(TestCouponError::NotPending(r.status.word()))
        }
    }
}

/// R-CPN-15, R-CPN-16: the operator approves a pending request: a test coupon of its amount,
/// for all the partner's reseller customers (a partner's request) or the project's customer only,
/// valid from now for the request's duration, with its issue entry.
pub fn approve(
    ids: &mut impl Ids,
    r: &mut TestCouponRequest,
    act: &Act,
) -> Result<(Coupon, CouponEntry), TestCouponError> {
    pending(r)?;
    let to = act.at.plus(Millis(DAY * i64::from(r.duration_days)));
    let validity = Validity::new(act.at, to).map_err(|_| TestCouponError::Duration { max: DURATION_DAYS_MAX })?;
    let memo: String = format!("Test coupon of request {}: {}", r.id, r.purpose).chars().take(200).collect();
    let coupon = Coupon {
        id: ids.next_id(),
        kind: CouponKind::Test,
        partner: r.partner.clone(),
        customer: r.customer().cloned(),
        grantor: Grantor::Operator,
        quota: None,
        parent: None,
        face_value: r.amount,
        balance: r.amount,
        validity,
        limits: Limits::default(),
        memo,
        closure: None,
        held_by: None,
        created_at: act.at,
        last_used_at: None,
        version: 0,
    };
    let entry = coupon_entry(ids, &coupon, CouponEntryKind::Issue, r.amount, &r.id, act.at);
    r.status = RequestStatus::Approved { coupon: coupon.id.clone(), at: act.at, by: act.operator.clone() };
    Ok((coupon, entry))
}

/// The operator rejects a pending request, with a reason; its amount no longer counts against
/// the limit.
pub fn reject(r: &mut TestCouponRequest, reason: &str, act: &Act) -> Result<(), TestCouponError> {
    pending(r)?;
    let reason = text("reason", reason, true)?;
    r.status = RequestStatus::Rejected { reason, at: act.at, by: act.operator.clone() };
    Ok(())
}

/// When the partner hears about a test coupon (R-CPN-18, R-NOTIF-04), a deployment policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReminderPolicy {
    /// A deduction that leaves the balance below this percentage of the face value sends a
    /// low-balance notice.
    pub low_balance_percent: u32,
    /// While the coupon is open, a reminder every so many days from its start.
    pub every_days: u32,
}

/// Which notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// A deduction left the balance below the threshold (or used it up: the rest is owed,
    /// R-CPN-17).
    LowBalance,
    /// The periodic reminder while the coupon is open.
    Reminder,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 2] = [NoticeKind::LowBalance, NoticeKind::Reminder];
}

/// One notice to send, once: `period` tells it apart from the coupon's other notices of its
/// kind (the deduction's time for a low-balance notice, the reminder's number for a reminder).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NoticeDue {
    pub kind: NoticeKind,
    pub period: i64,
}

/// The balance under which a deduction sends a notice: `percent` of the face value.
pub fn low_balance_threshold(c: &Coupon, percent: u32) -> Result<Money, TestCouponError> {
    let e8 = (c.face_value.e8() / 100).checked_mul(i64::from(percent)).ok_or(TestCouponError::OutOfRange)?;
    Ok(Money::from_e8(e8)?)
}

/// R-CPN-18, R-NOTIF-04: the notices a test coupon calls for at `now`. A low-balance notice
/// follows each deduction that left the balance under the threshold (its period is the
/// deduction's time, so it is sent once per deduction); a reminder every
/// `policy.every_days` while the coupon is available (its period is the number of intervals
/// since the coupon's start: the first comes after one interval). Cash coupons, and closed
/// coupons, call for none. The caller sends each one once (the store records it).
pub fn notices_due(c: &Coupon, policy: &ReminderPolicy, now: Timestamp) -> Result<Vec<NoticeDue>, TestCouponError> {
    let mut due = vec![];
    if c.kind != CouponKind::Test || c.closure.is_some() {
        return Ok(due);
    }
    if let Some(used) = c.last_used_at {
        if c.balance < low_balance_threshold(c, policy.low_balance_percent)? || c.balance == Money::ZERO {
            due.push(NoticeDue { kind: NoticeKind::LowBalance, period: used.unix_ms() });
        }
    }
    let every = i64::from(policy.every_days.max(1)) * DAY;
    if c.status(now) == CouponStatus::Available {
        let intervals = now.since(c.validity.from).0 / every;
        if intervals >= 1 {
            due.push(NoticeDue { kind: NoticeKind::Reminder, period: intervals });
        }
    }
    Ok(due)
}

/// R-CPN-18: the estimated bill of the customers a test coupon covers, from the open month's
/// estimate lines (the bill run's own code): yearly/monthly and pay-per-use apart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CoveredEstimate {
    pub monthly: Money,
    pub pay_per_use: Money,
    pub total: Money,
}

/// The lines of `estimate` the coupon `c` may pay (its customer's, or all for a general one),
/// summed by billing mode.
pub fn covered_estimate(c: &Coupon, estimate: &[PartnerBillLine]) -> Result<CoveredEstimate, TestCouponError> {
    let mut out = CoveredEstimate::default();
    for l in estimate {
        if c.customer.as_ref().is_some_and(|only| *only != l.customer) || !c.limits.allows(&l.service_type, None) {
            continue;
        }
        match l.mode {
            ChargingMode::Period => out.monthly = out.monthly.checked_add(l.due)?,
            ChargingMode::OnDemand => out.pay_per_use = out.pay_per_use.checked_add(l.due)?,
        }
        out.total = out.total.checked_add(l.due)?;
    }
    Ok(out)
}

/// R-NOTIF-04: the subject and body of a test-coupon notice to the partner, in its language:
/// the balance, the validity, and the estimated bill of the covered customers for `month` (text
/// like `2026-05`).
pub fn notice_text(
    lang: Language,
    kind: NoticeKind,
    c: &Coupon,
    estimate: &CoveredEstimate,
    month: &str,
    customer_name: Option<&str>,
) -> (String, String) {
    let id = &c.id;
    let balance = c.balance.to_display_string();
    let face = c.face_value.to_display_string();
    let to = c.validity.to.to_rfc3339();
    let monthly = estimate.monthly.to_display_string();
    let ppu = estimate.pay_per_use.to_display_string();
    let total = estimate.total.to_display_string();
    let used_up = c.balance == Money::ZERO;
    match lang {
        Language::English => {
            let whom = match customer_name {
                Some(name) => format!("your customer {name}"),
                None => "all your reseller customers".to_owned(),
            };
            let (subject, lead) = match kind {
                NoticeKind::LowBalance if used_up => (
                    format!("Test coupon {id} is used up"),
                    "Your test coupon is used up. Resources are not deleted automatically: further consumption is \
                     billed to you and may fall into arrears unless the test resources are deleted (R-CPN-17).",
                ),
                NoticeKind::LowBalance => (
                    format!("Test coupon {id} is running low"),
                    "Your test coupon's balance is low. When it runs out, further consumption is billed to you; ask \
                     your customer to delete test resources in time to avoid arrears.",
                ),
                NoticeKind::Reminder => (
                    format!("Test coupon {id} usage reminder"),
                    "A reminder of your open test coupon and of what its customers' consumption is estimated at.",
                ),
            };
            let body = format!(
                "{lead}\n\nTest coupon: {id}\nFor: {whom}\nBalance: {balance} of {face}\nValid until: {to}\n\n\
                 Estimated bill for {month} (open month, so far):\n  Yearly/monthly: {monthly}\n  Pay-per-use: {ppu}\n  \
                 Total: {total}\n"
            );
            (subject, body)
        }
        Language::Chinese => {
            let whom = match customer_name {
                Some(name) => format!("您的客户 {name}"),
                None => "您的全部转售客户".to_owned(),
            };
            let (subject, lead) = match kind {
                NoticeKind::LowBalance if used_up => (
                    format!("测试券 {id} 已用完"),
                    "您的测试券已用完。资源不会自动删除：后续消费将计入您的账单，除非删除测试资源，否则可能产生欠费（R-CPN-17）。",
                ),
                NoticeKind::LowBalance => (
                    format!("测试券 {id} 余额不足"),
                    "您的测试券余额不足。用完后，后续消费将计入您的账单；请提醒客户及时删除测试资源，以免欠费。",
                ),
                NoticeKind::Reminder => (
                    format!("测试券 {id} 使用提醒"),
                    "提醒您：您有一张使用中的测试券，以下为其客户消费的预估金额。",
                ),
            };
            let body = format!(
                "{lead}\n\n测试券：{id}\n适用于：{whom}\n余额：{balance}（面额 {face}）\n有效期至：{to}\n\n\
                 {month} 预估账单（本月未结，截至目前）：\n  包年/包月：{monthly}\n  按需：{ppu}\n  合计：{total}\n"
            );
            (subject, body)
        }
    }
}

#[cfg(test)]
mod tests;
