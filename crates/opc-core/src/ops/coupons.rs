//! Coupons (issue 15; BSS B1.5.1, B2.5): the operator grants coupon quotas and gives partners
//! coupons; a distributor passes quota to its resellers and takes it back; a partner issues
//! coupons from a quota to its reseller customers and reclaims them; expired coupons return to
//! their quota. The rules are in [`opc_domain::coupon`]; each decision is made on quotas and
//! coupons read with their versions and written with its ledger entries and audit in one
//! transaction, decided again when a concurrent one landed first (so a quota is never
//! over-issued).

use opc_domain::audit::{Action, Actor, AuditEvent};
use opc_domain::coupon::{
    self, Act, Coupon, CouponEntry, CouponError, CouponQuota, CouponRequest, CouponStatus, Limits, QuotaEntry,
    QuotaEntryKind, QuotaStatus, Refusal, Validity,
};
use opc_domain::organization::Permission;
use opc_domain::partner::Partner;
use opc_domain::{AccountId, Money, PartnerId, Timestamp};

use super::admin::audit_event;
use super::auth::Caller;
use super::customers::{actor, owner, their_reseller_customer, CustomerError};
use super::{random, Context};
use crate::store::{
    Constraint, CouponEntryQuery, CouponHolder, CouponQuery, CouponWrite, QuotaEntryQuery, QuotaEntryView, Row,
    StoreError,
};

/// How many times a decision is made again after a concurrent one on the same quota or coupon.
pub(crate) const ATTEMPTS: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum CouponOpError {
    /// Tenancy: not your customer, not your reseller, not a reseller-model customer, no
    /// permission.
    #[error(transparent)]
    Scope(#[from] CustomerError),
    #[error(transparent)]
    Coupon(#[from] CouponError),
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// No such quota among the caller's (whether it exists or not).
    #[error("no coupon quota {0} of yours")]
    UnknownQuota(String),
    /// No such coupon among those the caller issued (whether it exists or not).
    #[error("no coupon {0} issued by you")]
    UnknownCoupon(String),
    #[error("no partner {0}")]
    UnknownPartner(String),
    /// Other decisions kept landing first; nothing was written.
    #[error("the quota or coupon changed meanwhile; retry")]
    Concurrent,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for CouponOpError {
    fn from(e: StoreError) -> CouponOpError {
        match e {
            StoreError::Conflict { constraint: Constraint::Stale(Row::CouponQuota | Row::Coupon) } => {
                CouponOpError::Concurrent
            }
            other => CouponOpError::Store(other),
        }
    }
}

pub(crate) fn is_stale(e: &StoreError) -> bool {
    matches!(e, StoreError::Conflict { constraint: Constraint::Stale(Row::CouponQuota | Row::Coupon) })
}

pub(crate) fn new_id() -> String {
    hex::encode(random::<16>())
}

fn act(ctx: &Context, operator: &str, remark: &str) -> Act {
    Act { at: ctx.clock.now(), operator: operator.to_owned(), remark: remark.to_owned() }
}

fn limited(field: &'static str, text: &str, max: usize) -> Result<(), CouponOpError> {
    if text.chars().count() > max {
        return Err(CouponOpError::Invalid { field, reason: format!("must be at most {max} characters") });
    }
    Ok(())
}

/// Who acts, by login name, for the ledgers: the operator's staff name, or the partner's
/// account name.
async fn operator_name(ctx: &Context, caller: &Caller) -> Result<String, CouponOpError> {
    let account = ctx.store.account(caller.partner.account_id()).await?;
    Ok(account.map(|a| a.name().as_str().to_owned()).unwrap_or_default())
}

async fn partner(ctx: &Context, id: &str) -> Result<Partner, CouponOpError> {
    let unknown = || CouponOpError::UnknownPartner(id.to_owned());
    let parsed = PartnerId::parse(id).map_err(|_| unknown())?;
    ctx.store.partner(&parsed).await?.ok_or_else(unknown)
}

/// R-CPN-01: the operator grants a partner a coupon quota, audited.
pub async fn grant_quota(
    ctx: &Context,
    operator: &str,
    partner_id: &str,
    value: Money,
    validity: Validity,
    limits: Limits,
    remark: &str,
) -> Result<CouponQuota, CouponOpError> {
    limited("remark", remark, 200)?;
    let p = partner(ctx, partner_id).await?;
    let act = act(ctx, operator, remark);
    let (quota, entry) = coupon::grant(&mut new_id, p.id(), value, validity, limits, &act)?;
    let audit = [audit_event(
        act.at,
        Actor::Operator(operator.to_owned()),
        Some(p.id()),
        Action::CouponQuotaGranted,
        "coupon_quota",
        &quota.id,
        None,
        Some(format!("value={} from={} to={}", quota.value, validity.from, validity.to)),
    )];
    let quotas = [quota];
    let write = CouponWrite { quotas: &quotas, quota_entries: &[entry], audit: &audit, ..CouponWrite::default() };
    ctx.store.write_coupons(&write).await?;
    let [quota] = quotas;
    tracing::info!(partner.id = %p.id(), quota.id = %quota.id, "Coupon quota granted");
    Ok(quota)
}

/// R-CPN-01: the operator gives a partner a cash coupon of its own: for all its reseller
/// customers, or (R-CPN-09) for one of them.
pub async fn give_coupon(
    ctx: &Context,
    operator: &str,
    partner_id: &str,
    customer: Option<&str>,
    request: &CouponRequest,
) -> Result<Coupon, CouponOpError> {
    limited("memo", &request.memo, 200)?;
    let p = partner(ctx, partner_id).await?;
    let customer = match customer {
        None => None,
        Some(id) => {
            let not_yours = || CouponOpError::Scope(CustomerError::NotYourCustomer(id.to_owned()));
            let parsed = AccountId::parse(id).map_err(|_| not_yours())?;
            let view = ctx.store.customer_of(p.id(), &parsed).await?.ok_or_else(not_yours)?;
            if view.association.model() != opc_domain::association::AssociationModel::Reseller {
                return Err(CustomerError::NotResellerCustomer(id.to_owned()).into());
            }
            Some(parsed)
        }
    };
    let act = act(ctx, operator, "");
    let (coupon, entry) = coupon::operator_coupon(&mut new_id, p.id(), customer, request, &act)?;
    let audit = [audit_event(
        act.at,
        Actor::Operator(operator.to_owned()),
        Some(p.id()),
        Action::CouponsIssued,
        "coupon",
        &coupon.id,
        None,
        Some(format!(
            "face_value={} customer={}",
            coupon.face_value,
            coupon.customer.as_ref().map_or("all", |c| c.as_str())
        )),
    )];
    let coupons = [coupon];
    let write = CouponWrite { coupons: &coupons, coupon_entries: &[entry], audit: &audit, ..CouponWrite::default() };
    ctx.store.write_coupons(&write).await?;
    let [coupon] = coupons;
    Ok(coupon)
}

/// R-CPN-05, R-CPN-06, R-CPN-07: converts what is left of each of `partner`'s usable coupon
/// quotas into a cash coupon of the partner's for all its reseller customers, audited; the
/// coupons made (none when no quota had a balance). It happens after the partner's bill of the
/// month is generated (the bill of the cycle before the current one, or its run is done), so that
/// bill was deducted with the coupons as they were; asked earlier, it is refused.
pub async fn convert_quotas(ctx: &Context, operator: &str, partner_id: &str) -> Result<Vec<Coupon>, CouponOpError> {
    let p = partner(ctx, partner_id).await?;
    let now = ctx.clock.now();
    let current = opc_domain::usage::Cycle::of(now, ctx.policy.billing_offset);
    let billed = current.previous().ok_or(CouponOpError::Coupon(CouponError::OutOfRange))?;
    let run_done = ctx.store.bill_run(billed).await?.is_some_and(|r| r.finished_at.is_some());
    if !run_done && ctx.store.partner_bill(p.id(), billed).await?.is_none() {
        return Err(CouponOpError::Invalid {
            field: "partner_id",
            reason: format!(
                "its bill of {} is not generated yet; quotas are converted after it (R-CPN-05)",
                super::bills::month_text(billed)
            ),
        });
    }
    for _ in 0..8 {
        let act = act(ctx, operator, "converted into a cash coupon");
        let mut quotas = ctx.store.quotas_of(p.id(), false).await?;
        let (mut coupons, mut quota_entries, mut coupon_entries, mut changed) = (vec![], vec![], vec![], vec![]);
        for q in &mut quotas {
            if let Some((coupon, out, issue)) = coupon::convert_quota(&mut new_id, q, &act)? {
                coupons.push(coupon);
                quota_entries.push(out);
                coupon_entries.push(issue);
                changed.push(q.clone());
            }
        }
        if coupons.is_empty() {
            return Ok(vec![]);
        }
        let total =
            coupons.iter().try_fold(Money::ZERO, |s, c| s.checked_add(c.face_value)).map_err(CouponError::from)?;
        let audit = [audit_event(
            act.at,
            Actor::Operator(operator.to_owned()),
            Some(p.id()),
            Action::CouponQuotasConverted,
            "partner",
            p.id().as_str(),
            None,
            Some(format!("quotas={} coupons={} total={}", changed.len(), coupons.len(), total)),
        )];
        let write = CouponWrite {
            quotas: &changed,
            quota_entries: &quota_entries,
            coupons: &coupons,
            coupon_entries: &coupon_entries,
            audit: &audit,
        };
        match ctx.store.write_coupons(&write).await {
            Ok(()) => return Ok(coupons),
            Err(e) if is_stale(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(CouponOpError::Concurrent)
}

/// One of the caller's own quotas (or, with `indirect_partner`, its reseller's).
async fn own_quota(ctx: &Context, holder: &PartnerId, id: &str) -> Result<CouponQuota, CouponOpError> {
    let mut found = ctx.store.coupon_quotas(&[id.to_owned()]).await?;
    match found.pop() {
        Some(q) if &q.partner == holder => Ok(q),
        _ => Err(CouponOpError::UnknownQuota(id.to_owned())),
    }
}

/// The outcome of one item of a batch: its id and what it got, or why it failed.
pub type Outcome<T> = Result<T, (String, CouponOpError)>;

/// B2.5.11 `update_coupon_quotas` (R-DIST-02): a distributor passes `amount` of its quota to
/// each of `resellers`; each gets a new quota (or its own error: not your reseller, the quota
/// ran out). All that succeed are written at once.
pub async fn issue_quotas(
    ctx: &Context,
    caller: &Caller,
    quota_id: &str,
    resellers: &[String],
    amount: Money,
) -> Result<Vec<Outcome<(PartnerId, String)>>, CouponOpError> {
    if resellers.is_empty() || resellers.len() > coupon::MAX_CUSTOMERS {
        return Err(CouponOpError::Invalid {
            field: "indirect_partner_ids",
            reason: "must list 1 to 100 resellers".into(),
        });
    }
    coupon::cents_amount(amount)?;
    let operator = operator_name(ctx, caller).await?;
    // Who is not the caller's reseller is refused once; the others are decided on the quota.
    let (mut valid, mut refused) = (vec![], vec![]);
    for id in resellers {
        let reseller = if id == caller.partner.id().as_str() {
            Err(CustomerError::NotYourReseller(id.clone()).into())
        } else {
            owner(ctx, caller, Some(id), Permission::ControlCustomers).await.map_err(CouponOpError::from)
        };
        match reseller {
            Ok(r) => valid.push((id.clone(), r)),
            Err(e) => refused.push(Err((id.clone(), e))),
        }
    }
    for _ in 0..ATTEMPTS {
        let mut parent = own_quota(ctx, caller.partner.id(), quota_id).await?;
        let act = act(ctx, &operator, "");
        let mut outcomes = Vec::new();
        let (mut children, mut entries, mut audit) = (vec![], vec![], vec![]);
        for (id, reseller) in &valid {
            match coupon::issue_quota(&mut new_id, &mut parent, reseller.id(), amount, &act) {
                Ok((child, pair)) => {
                    audit.push(audit_event(
                        act.at,
                        actor(caller),
                        Some(caller.partner.id()),
                        Action::CouponQuotaIssued,
                        "coupon_quota",
                        &child.id,
                        None,
                        Some(format!("parent={} reseller={} amount={amount}", parent.id, reseller.id())),
                    ));
                    outcomes.push(Ok((reseller.id().clone(), child.id.clone())));
                    children.push(child);
                    entries.extend(pair);
                }
                Err(e) => outcomes.push(Err((id.clone(), e.into()))),
            }
        }
        if children.is_empty() {
            outcomes.append(&mut refused);
            return Ok(outcomes);
        }
        let mut quotas = children;
        quotas.push(parent);
        let write = CouponWrite { quotas: &quotas, quota_entries: &entries, audit: &audit, ..CouponWrite::default() };
        match ctx.store.write_coupons(&write).await {
            Ok(()) => {
                outcomes.append(&mut refused);
                return Ok(outcomes);
            }
            Err(e) if is_stale(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(CouponOpError::Concurrent)
}

/// B2.5.9 `reclaim_coupon_quotas`: a distributor takes back the whole remaining balance of
/// quotas it issued to its resellers; each id gets the balance left (zero) or its own error.
pub async fn reclaim_quotas(
    ctx: &Context,
    caller: &Caller,
    quota_ids: &[String],
    remark: &str,
) -> Result<Vec<Outcome<(String, Money)>>, CouponOpError> {
    if quota_ids.is_empty() || quota_ids.len() > coupon::MAX_CUSTOMERS {
        return Err(CouponOpError::Invalid { field: "quota_ids", reason: "must list 1 to 100 quotas".into() });
    }
    limited("remark", remark, 200)?;
    super::customers::require(caller, Permission::ControlCustomers)?;
    let operator = operator_name(ctx, caller).await?;
    for _ in 0..ATTEMPTS {
        let children = ctx.store.coupon_quotas(quota_ids).await?;
        let mut parents: Vec<CouponQuota> = vec![];
        let act = act(ctx, &operator, remark);
        let (mut outcomes, mut written, mut entries, mut audit) = (vec![], vec![], vec![], vec![]);
        for id in quota_ids {
            let child = children
                .iter()
                .find(|q| &q.id == id && q.grantor == coupon::Grantor::Partner(caller.partner.id().clone()));
            let (Some(child), Some(parent_id)) = (child, child.and_then(|c| c.parent.clone())) else {
                outcomes.push(Err((id.clone(), CouponOpError::UnknownQuota(id.clone()))));
                continue;
            };
            if !parents.iter().any(|p| p.id == parent_id) {
                parents.push(own_quota(ctx, caller.partner.id(), &parent_id).await?);
            }
            let parent = parents.iter_mut().find(|p| p.id == parent_id).expect("just loaded");
            let mut child = child.clone();
            match coupon::reclaim_quota(&mut new_id, parent, &mut child, &act) {
                Ok((amount, pair)) => {
                    audit.push(audit_event(
                        act.at,
                        actor(caller),
                        Some(caller.partner.id()),
                        Action::CouponQuotaReclaimed,
                        "coupon_quota",
                        &child.id,
                        None,
                        Some(format!("parent={} amount={amount}", parent.id)),
                    ));
                    outcomes.push(Ok((child.id.clone(), child.balance)));
                    entries.extend(pair);
                    written.push(child);
                }
                Err(e) => outcomes.push(Err((id.clone(), e.into()))),
            }
        }
        if written.is_empty() {
            return Ok(outcomes);
        }
        written.extend(parents);
        let write = CouponWrite { quotas: &written, quota_entries: &entries, audit: &audit, ..CouponWrite::default() };
        match ctx.store.write_coupons(&write).await {
            Ok(()) => return Ok(outcomes),
            Err(e) if is_stale(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(CouponOpError::Concurrent)
}

/// Filters of a quota list (B2.5.4, B2.5.7); times are exclusive bounds, as the spec says
/// ("greater than", "less than").
#[derive(Clone, Debug, Default)]
pub struct QuotaFilter {
    pub ids: Vec<String>,
    pub statuses: Vec<i32>,
    pub parent: Option<String>,
    pub reseller: Option<String>,
    pub created: (Option<Timestamp>, Option<Timestamp>),
    pub effective: (Option<Timestamp>, Option<Timestamp>),
    pub expire: (Option<Timestamp>, Option<Timestamp>),
    pub offset: u32,
    pub limit: u32,
}

fn in_range(at: Timestamp, (after, before): (Option<Timestamp>, Option<Timestamp>)) -> bool {
    after.is_none_or(|a| at > a) && before.is_none_or(|b| at < b)
}

impl QuotaFilter {
    fn keeps(&self, q: &CouponQuota, now: Timestamp) -> bool {
        (self.ids.is_empty() || self.ids.contains(&q.id))
            && (self.statuses.is_empty() || self.statuses.contains(&q.status(now).code()))
            && self.parent.as_ref().is_none_or(|p| q.parent.as_ref() == Some(p))
            && self.reseller.as_ref().is_none_or(|r| q.partner.as_str() == r)
            && in_range(q.created_at, self.created)
            && in_range(q.validity.from, self.effective)
            && in_range(q.validity.to, self.expire)
    }
}

/// A quota with what lists show beside it: its status now and its holder.
#[derive(Clone, Debug)]
pub struct QuotaView {
    pub quota: CouponQuota,
    pub status: QuotaStatus,
    pub holder_name: String,
    pub holder_account_name: String,
}

async fn views(ctx: &Context, quotas: Vec<CouponQuota>, now: Timestamp) -> Result<Vec<QuotaView>, CouponOpError> {
    let mut out = Vec::with_capacity(quotas.len());
    for quota in quotas {
        let (holder_name, holder_account_name) = partner_names(ctx, &quota.partner).await?;
        out.push(QuotaView { status: quota.status(now), holder_name, holder_account_name, quota });
    }
    Ok(out)
}

pub(crate) fn page<T>(items: Vec<T>, offset: u32, limit: u32) -> (Vec<T>, u64) {
    let total = items.len() as u64;
    (items.into_iter().skip(offset as usize).take(limit as usize).collect(), total)
}

/// B2.5.7 `list_quota_coupons`: the caller's quotas (or, with `indirect_partner`, its
/// reseller's), newest first, and their count.
pub async fn quotas(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    filter: &QuotaFilter,
) -> Result<(Vec<QuotaView>, u64), CouponOpError> {
    let holder = owner(ctx, caller, indirect_partner, Permission::ViewCustomers).await?;
    let now = ctx.clock.now();
    let kept: Vec<CouponQuota> =
        ctx.store.quotas_of(holder.id(), false).await?.into_iter().filter(|q| filter.keeps(q, now)).collect();
    let (shown, total) = page(kept, filter.offset, filter.limit);
    Ok((views(ctx, shown, now).await?, total))
}

/// B2.5.4 `list_issued_coupon_quotas`: the quotas the caller issued to its resellers.
pub async fn issued_quotas(
    ctx: &Context,
    caller: &Caller,
    filter: &QuotaFilter,
) -> Result<(Vec<QuotaView>, u64), CouponOpError> {
    super::customers::require(caller, Permission::ViewCustomers)?;
    let now = ctx.clock.now();
    let kept: Vec<CouponQuota> =
        ctx.store.quotas_of(caller.partner.id(), true).await?.into_iter().filter(|q| filter.keeps(q, now)).collect();
    let (shown, total) = page(kept, filter.offset, filter.limit);
    Ok((views(ctx, shown, now).await?, total))
}

/// B2.5.2 `list_coupon_quotas_records` and B2.5.6 `list_partner_coupons_record`: movements of
/// the quotas the query names (the caller's own, or those it issued), newest first.
pub async fn quota_records(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    mut query: QuotaEntryQuery,
) -> Result<(Vec<QuotaEntryView>, u64), CouponOpError> {
    let holder = owner(ctx, caller, indirect_partner, Permission::ViewCustomers).await?;
    query.partner = holder.id().clone();
    Ok(ctx.store.quota_entries(&query).await?)
}

/// The quota-entry kinds of B2.5.6's operation types (1 issue, 2 manual reclaim, 4 expiry);
/// other types name movements this product does not make.
pub fn coupon_operation_kind(code: &str) -> Option<QuotaEntryKind> {
    match code {
        "1" => Some(QuotaEntryKind::CouponIssue),
        "2" => Some(QuotaEntryKind::CouponReclaim),
        "4" => Some(QuotaEntryKind::CouponExpiry),
        _ => None,
    }
}

/// B2.5.1 `create_partner_coupons`: the partner (or, with `indirect_partner`, its reseller)
/// issues a coupon from its quota to each of `customers` (A-08: coupons on the partner's bill,
/// for that customer's spend only). Each customer gets a coupon id or its own error.
pub async fn issue_coupons(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    quota_id: &str,
    customers: &[String],
    request: &CouponRequest,
) -> Result<Vec<Outcome<(AccountId, String)>>, CouponOpError> {
    limited("memo", &request.memo, 200)?;
    let holder = owner(ctx, caller, indirect_partner, Permission::ControlCustomers).await?;
    let operator = operator_name(ctx, caller).await?;
    // Which customers may receive one: the holder's reseller-model customers the caller sees.
    let mut eligible: Vec<(String, Option<AccountId>)> = Vec::with_capacity(customers.len());
    for id in customers {
        let view = their_reseller_customer(ctx, caller, &holder, id).await.ok();
        eligible.push((id.clone(), view.map(|v| v.account.id().clone())));
    }
    let parsed: Vec<(AccountId, bool)> = eligible
        .iter()
        .map(|(id, account)| match account {
            Some(a) => (a.clone(), true),
            None => (AccountId::parse(id).unwrap_or_else(|_| AccountId::from_random([0; 16])), false),
        })
        .collect();
    for _ in 0..ATTEMPTS {
        let mut quota = own_quota(ctx, holder.id(), quota_id).await?;
        let act = act(ctx, &operator, &request.memo);
        let issued = coupon::issue_coupons(&mut new_id, &mut quota, request, &parsed, &act)?;
        let mut outcomes: Vec<Outcome<(AccountId, String)>> = Vec::new();
        for ((id, _), (account, _)) in eligible.iter().zip(&parsed) {
            if let Some(c) = issued.coupons.iter().find(|c| c.customer.as_ref() == Some(account)) {
                outcomes.push(Ok((account.clone(), c.id.clone())));
            } else {
                let refusal = issued.refused.iter().find(|(a, _)| a == account).map(|(_, r)| r.clone());
                let error = match refusal {
                    Some(Refusal::InsufficientQuota) => {
                        CouponError::InsufficientQuota { balance: quota.balance, needed: request.face_value }.into()
                    }
                    _ => CustomerError::NotResellerCustomer(id.clone()).into(),
                };
                outcomes.push(Err((id.clone(), error)));
            }
        }
        if issued.coupons.is_empty() {
            return Ok(outcomes);
        }
        let audit: Vec<AuditEvent> = issued
            .coupons
            .iter()
            .map(|c| {
                audit_event(
                    act.at,
                    actor(caller),
                    Some(holder.id()),
                    Action::CouponsIssued,
                    "coupon",
                    &c.id,
                    None,
                    Some(format!(
                        "quota={} customer={} face_value={}",
                        quota.id,
                        c.customer.as_ref().map_or("", |a| a.as_str()),
                        c.face_value
                    )),
                )
            })
            .collect();
        let quotas = [quota];
        let write = CouponWrite {
            quotas: &quotas,
            quota_entries: &issued.quota_entries,
            coupons: &issued.coupons,
            coupon_entries: &issued.coupon_entries,
            audit: &audit,
        };
        match ctx.store.write_coupons(&write).await {
            Ok(()) => {
                tracing::info!(partner.id = %holder.id(), count = issued.coupons.len(), "Coupons issued");
                return Ok(outcomes);
            }
            Err(e) if is_stale(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(CouponOpError::Concurrent)
}

/// B2.5.10 `reclaim_partner_coupons`: takes back what is left of a coupon the partner (or its
/// reseller) issued, into its quota; returns the amount.
pub async fn reclaim_coupon(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    coupon_id: &str,
) -> Result<Money, CouponOpError> {
    let holder = owner(ctx, caller, indirect_partner, Permission::ControlCustomers).await?;
    let operator = operator_name(ctx, caller).await?;
    let unknown = || CouponOpError::UnknownCoupon(coupon_id.to_owned());
    for _ in 0..ATTEMPTS {
        let query = CouponQuery {
            partner: Some(holder.id().clone()),
            coupon: Some(coupon_id.to_owned()),
            ..CouponQuery::default()
        };
        let mut coupon = ctx.store.coupons(&query).await?.pop().ok_or_else(unknown)?;
        let visible = match &coupon.customer {
            Some(c) => {
                their_reseller_customer(ctx, caller, &holder, c.as_str()).await.is_ok() || caller.member.is_none()
            }
            None => true,
        };
        let Some(quota_id) = coupon.quota.clone().filter(|_| visible) else {
            return Err(unknown());
        };
        let mut quota = own_quota(ctx, holder.id(), &quota_id).await?;
        let act = act(ctx, &operator, "");
        let (amount, quota_entry, coupon_entry) = coupon::reclaim_coupon(&mut new_id, &mut coupon, &mut quota, &act)?;
        let audit = [audit_event(
            act.at,
            actor(caller),
            Some(holder.id()),
            Action::CouponReclaimed,
            "coupon",
            &coupon.id,
            None,
            Some(format!("amount={amount} quota={}", quota.id)),
        )];
        let (quotas, coupons) = ([quota], [coupon]);
        let write = CouponWrite {
            quotas: &quotas,
            quota_entries: &[quota_entry],
            coupons: &coupons,
            coupon_entries: &[coupon_entry],
            audit: &audit,
        };
        match ctx.store.write_coupons(&write).await {
            Ok(()) => return Ok(amount),
            Err(e) if is_stale(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(CouponOpError::Concurrent)
}

/// Filters of a coupon list (B1.5.1, B2.5.5); time bounds exclusive.
#[derive(Clone, Debug, Default)]
pub struct CouponFilter {
    pub coupon: Option<String>,
    /// The coupons an order's payment named (B1.5.1, B2.5.5 `order_id`; R-CPN-02).
    pub order: Option<String>,
    pub customer: Option<String>,
    pub status: Option<CouponStatus>,
    pub created: (Option<Timestamp>, Option<Timestamp>),
    pub effective: (Option<Timestamp>, Option<Timestamp>),
    pub expire: (Option<Timestamp>, Option<Timestamp>),
    pub offset: u32,
    pub limit: u32,
}

impl CouponFilter {
    fn keeps(&self, c: &Coupon, now: Timestamp) -> bool {
        self.status.is_none_or(|s| c.status(now) == s)
            && in_range(c.created_at, self.created)
            && in_range(c.validity.from, self.effective)
            && in_range(c.validity.to, self.expire)
    }
}

impl CouponFilter {
    /// The coupon filter with the order's: `Some(None)` for any coupon, `Some(Some(id))` for one,
    /// `None` when nothing can match (the order named no coupon, or another than `coupon`).
    async fn coupon_id(&self, ctx: &Context) -> Result<Option<Option<String>>, CouponOpError> {
        let Some(order) = &self.order else { return Ok(Some(self.coupon.clone())) };
        let held = ctx.store.order_holds(std::slice::from_ref(order)).await?.pop().map(|h| h.coupon);
        Ok(match (held, &self.coupon) {
            (Some(h), Some(c)) if h != *c => None,
            (Some(h), _) => Some(Some(h)),
            (None, _) => None,
        })
    }

    /// The customer filter as an account id: `Some(None)` without one, `None` when the id
    /// named cannot be an account's (nothing matches).
    fn customer_id(&self) -> Option<Option<AccountId>> {
        match &self.customer {
            Some(id) => AccountId::parse(id).ok().map(Some),
            None => Some(None),
        }
    }
}

/// B2.5.5 `list_issued_partner_coupons`: the coupons the partner (or its reseller) issued to
/// customers the caller sees, newest first, and their count.
pub async fn issued_coupons(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    filter: &CouponFilter,
) -> Result<(Vec<Coupon>, u64), CouponOpError> {
    let holder = owner(ctx, caller, indirect_partner, Permission::ViewCustomers).await?;
    let Some(customer) = filter.customer_id() else { return Ok((vec![], 0)) };
    let Some(coupon) = filter.coupon_id(ctx).await? else { return Ok((vec![], 0)) };
    let query = CouponQuery { partner: Some(holder.id().clone()), customer, coupon, ..CouponQuery::default() };
    let now = ctx.clock.now();
    let mut kept = Vec::new();
    for c in ctx.store.coupons(&query).await? {
        if c.quota.is_none() || !filter.keeps(&c, now) {
            continue;
        }
        if caller.member.is_some() {
            let Some(customer) = &c.customer else { continue };
            if their_reseller_customer(ctx, caller, &holder, customer.as_str()).await.is_err() {
                continue;
            }
        }
        kept.push(c);
    }
    Ok(page(kept, filter.offset, filter.limit))
}

/// B1.5.1 `list_sub_customer_coupons`: the coupons that pay for the signer's spend — a
/// partner's own (its general coupons and those for its customers), or a customer's (those its
/// partners issued for it).
pub async fn coupons_of_signer(
    ctx: &Context,
    account: &AccountId,
    filter: &CouponFilter,
    source: Option<&str>,
) -> Result<(Vec<Coupon>, u64), CouponOpError> {
    let Some(coupon) = filter.coupon_id(ctx).await? else { return Ok((vec![], 0)) };
    let query = match holder(ctx, account).await? {
        CouponHolder::Partner(p) => CouponQuery { partner: Some(p), coupon, ..CouponQuery::default() },
        CouponHolder::Customer(a) => CouponQuery { customer: Some(a), coupon, ..CouponQuery::default() },
    };
    let now = ctx.clock.now();
    let kept: Vec<Coupon> = ctx
        .store
        .coupons(&query)
        .await?
        .into_iter()
        .filter(|c| filter.keeps(c, now))
        .filter(|c| source.is_none_or(|s| coupon_source(c) == s))
        .collect();
    Ok(page(kept, filter.offset, filter.limit))
}

/// B2.5.3 `list_customer_coupon_change_records`: the movements of the signer's coupons (a
/// partner's own, or a customer's), newest first, and their count.
pub async fn coupon_changes(
    ctx: &Context,
    account: &AccountId,
    query: impl FnOnce(CouponHolder) -> CouponEntryQuery,
) -> Result<(Vec<CouponEntry>, u64), CouponOpError> {
    Ok(ctx.store.coupon_changes(&query(holder(ctx, account).await?)).await?)
}

/// Whose coupons the signer's are: a partner's own (its general coupons and those for its
/// customers), or a customer's (those its partners issued for it).
async fn holder(ctx: &Context, account: &AccountId) -> Result<CouponHolder, CouponOpError> {
    Ok(match ctx.store.partner_of_account(account).await? {
        Some(p) => CouponHolder::Partner(p.id().clone()),
        None => CouponHolder::Customer(account.clone()),
    })
}

/// B1.5.1 `source_id`: the issuing partner's id, or empty for the operator's coupons.
pub fn coupon_source(c: &Coupon) -> &str {
    match &c.grantor {
        coupon::Grantor::Partner(p) => p.as_str(),
        coupon::Grantor::Operator => "",
    }
}

/// Closes up to `limit` expired coupons, returning each balance to its quota; returns how many
/// it closed. Idempotent: a coupon is closed once (a second attempt finds it closed).
pub async fn expire_coupons(ctx: &Context, limit: u32) -> Result<usize, CouponOpError> {
    let now = ctx.clock.now();
    let mut closed = 0;
    for mut coupon in ctx.store.expired_coupons(now, limit).await? {
        let mut quota = match &coupon.quota {
            Some(id) => ctx.store.coupon_quotas(std::slice::from_ref(id)).await?.pop(),
            None => None,
        };
        let act = Act { at: now, operator: "system".into(), remark: String::new() };
        let Some((quota_entry, coupon_entry)) = coupon::expire_coupon(&mut new_id, &mut coupon, quota.as_mut(), &act)?
        else {
            continue;
        };
        let quota_entries: Vec<QuotaEntry> = quota_entry.into_iter().collect();
        let quotas: Vec<CouponQuota> = quota.into_iter().filter(|_| !quota_entries.is_empty()).collect();
        let entries: [CouponEntry; 1] = [coupon_entry];
        let audit = [audit_event(
            now,
            Actor::System,
            Some(&coupon.partner),
            Action::CouponExpired,
            "coupon",
            &coupon.id,
            None,
            None,
        )];
        let coupons = [coupon];
        let write = CouponWrite {
            quotas: &quotas,
            quota_entries: &quota_entries,
            coupons: &coupons,
            coupon_entries: &entries,
            audit: &audit,
        };
        match ctx.store.write_coupons(&write).await {
            Ok(()) => closed += 1,
            // Another process closed it, or its quota moved: the next pass decides it again.
            Err(e) if is_stale(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(closed)
}

/// A partner's company name and its account's login name (empty when unknown).
pub async fn partner_names(ctx: &Context, id: &PartnerId) -> Result<(String, String), CouponOpError> {
    let Some(p) = ctx.store.partner(id).await? else {
        return Ok((String::new(), String::new()));
    };
    let account = ctx.store.account(p.account_id()).await?.map(|a| a.name().as_str().to_owned());
    Ok((p.name().as_str().to_owned(), account.unwrap_or_default()))
}

/// A coupon with what the console's lists show beside it (R-CPN-12): its status now, its
/// customer's name, the partner whose bills it pays, and what reclaiming it would return now
/// when the caller may reclaim it (issued from the holder's quota, still available).
#[derive(Clone, Debug)]
pub struct CouponView {
    pub coupon: Coupon,
    pub status: CouponStatus,
    pub customer_name: Option<String>,
    pub holder_name: String,
    pub holder_account_name: String,
    pub reclaimable: Option<Money>,
}

/// The console's Cash coupons (R-CPN-07, R-CPN-12): the cash coupons that pay the partner's
/// bills (or, with `indirect_partner`, its reseller's) — the operator's and those issued from
/// its quotas; test coupons have their own page — newest first, and their count. A member needs
/// the view permission and, when it sees only some customers (R-ORG-19), sees only their
/// coupons, not the general ones.
pub async fn partner_coupons(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    filter: &CouponFilter,
) -> Result<(Vec<CouponView>, u64), CouponOpError> {
    let holder = owner(ctx, caller, indirect_partner, Permission::ViewCustomers).await?;
    let Some(customer) = filter.customer_id() else { return Ok((vec![], 0)) };
    let query = CouponQuery {
        partner: Some(holder.id().clone()),
        customer,
        coupon: filter.coupon.clone(),
        kind: Some(coupon::CouponKind::Cash),
        ..CouponQuery::default()
    };
    let now = ctx.clock.now();
    let mut kept = Vec::new();
    for c in ctx.store.coupons(&query).await? {
        if !filter.keeps(&c, now) {
            continue;
        }
        let visible = match &c.customer {
            Some(customer) => {
                caller.member.is_none()
                    || super::customers::their_customer(ctx, caller, &holder, customer.as_str()).await.is_ok()
            }
            None => caller.sees(None),
        };
        if visible {
            kept.push(c);
        }
    }
    let (shown, total) = page(kept, filter.offset, filter.limit);
    let (holder_name, holder_account_name) = partner_names(ctx, holder.id()).await?;
    let may_reclaim = caller.may(Permission::ControlCustomers);
    let mut out = Vec::with_capacity(shown.len());
    for c in shown {
        let customer_name = match &c.customer {
            Some(id) => {
                Some(ctx.store.account(id).await?.map_or_else(|| id.to_string(), |a| a.name().as_str().to_owned()))
            }
            None => None,
        };
        let reclaimable = (may_reclaim && c.quota.is_some()).then(|| coupon::reclaimable(&c, now).ok()).flatten();
        out.push(CouponView {
            status: c.status(now),
            customer_name,
            holder_name: holder_name.clone(),
            holder_account_name: holder_account_name.clone(),
            reclaimable,
            coupon: c,
        });
    }
    Ok((out, total))
}

/// One of the coupons [`partner_coupons`] shows the caller; any other id (another partner's,
/// or none) is [`CouponOpError::UnknownCoupon`].
pub async fn partner_coupon(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    coupon_id: &str,
) -> Result<CouponView, CouponOpError> {
    let filter = CouponFilter { coupon: Some(coupon_id.to_owned()), limit: 1, ..CouponFilter::default() };
    let (mut found, _) = partner_coupons(ctx, caller, indirect_partner, &filter).await?;
    found.pop().ok_or_else(|| CouponOpError::UnknownCoupon(coupon_id.to_owned()))
}

/// B2.5.3's change records of one of the caller's coupons (issued, deducted, reclaimed,
/// expired), newest first, and their count: the records [`coupon_changes`] reads for the
/// partner, for a coupon the caller sees.
pub async fn coupon_movements(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    coupon_id: &str,
    offset: u32,
    limit: u32,
) -> Result<(CouponView, Vec<CouponEntry>, u64), CouponOpError> {
    let view = partner_coupon(ctx, caller, indirect_partner, coupon_id).await?;
    let query = CouponEntryQuery {
        holder: CouponHolder::Partner(view.coupon.partner.clone()),
        kinds: opc_domain::coupon::CouponEntryKind::ALL.to_vec(),
        coupon: Some(view.coupon.id.clone()),
        trade: None,
        from: Timestamp::from_unix_ms(0),
        to: ctx.clock.now(),
        offset,
        limit,
    };
    let (entries, total) = ctx.store.coupon_changes(&query).await?;
    Ok((view, entries, total))
}

/// What reclaiming one of the caller's issued coupons would return to its quota now (the
/// confirmation before [`reclaim_coupon`]), or why it cannot be reclaimed.
pub async fn reclaim_preview(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    coupon_id: &str,
) -> Result<(CouponView, Money), CouponOpError> {
    owner(ctx, caller, indirect_partner, Permission::ControlCustomers).await?;
    let view = partner_coupon(ctx, caller, indirect_partner, coupon_id).await?;
    if view.coupon.quota.is_none() {
        return Err(CouponOpError::UnknownCoupon(coupon_id.to_owned()));
    }
    let amount = coupon::reclaimable(&view.coupon, ctx.clock.now())?;
    Ok((view, amount))
}
