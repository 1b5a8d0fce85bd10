//! Usage ingestion (issue #6): the operator's metering feed. A batch is checked and rated whole
//! at list price; one bad record refuses the batch (nothing half-written), and a record whose id
//! was ingested before is skipped, so a replayed batch changes nothing. Then the spend is
//! weighed: budget notices at 75, 90 and 100 % (once each per period), the automatic freeze of
//! a customer whose budget is used up (`frozen_operate_type` 1), and the partner's consumption
//! quota (notice at 80 %, restriction beyond it).

use crate::store::{Constraint, Row};
use std::collections::{BTreeSet, HashMap, HashSet};

use opc_domain::account::{Freeze, FreezeCause, FreezeScope};
use opc_domain::association::AssociationModel;
use opc_domain::audit::{Action, Actor};
use opc_domain::budget::{quota_state, thresholds_reached, Budget, BudgetType, QUOTA_NOTICE_PERCENT};
use opc_domain::catalog::Catalog;
use opc_domain::customer::Email;
use opc_domain::enterprise;
use opc_domain::notification::{templates, Language, Notification};
use opc_domain::package::{self, Deduction, Package};
use opc_domain::partner::{Partner, PartnerState};
use opc_domain::rating::Quantity;
use opc_domain::usage::{check_batch_sums, Cycle, Expenditure, Rater, SumOverflow, UsageError, UsageRecord};
use opc_domain::{AccountId, Money, PartnerId};

use super::admin::audit_event;
use super::audit_text;
use super::catalog;
use super::{email, Context};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum UsageOpError {
    /// Every bad record, by its index in the batch; nothing was stored.
    #[error("the batch is refused: {}", describe(.0))]
    Invalid(Vec<(usize, String)>),
    /// Issue 18: a running sum would pass the largest amount; nothing was stored.
    #[error("the batch is refused: {0}")]
    Overflow(#[from] SumOverflow),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn describe(problems: &[(usize, String)]) -> String {
    problems.iter().map(|(i, p)| format!("records[{i}]: {p}")).collect::<Vec<_>>().join("; ")
}

/// What an ingestion did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct IngestReport {
    pub accepted: u64,
    pub duplicates: u64,
    /// Budget and quota notices queued in the outbox.
    pub notices: u64,
    /// Customers frozen because their budget is used up.
    pub frozen: u64,
    /// Partners restricted because their quota is exceeded.
    pub restricted: u64,
}

/// The largest batch.
pub const BATCH_MAX: usize = 10_000;

/// Rates and stores a batch of usage records; `parse_problems` are the records the caller could
/// not even read (by index), reported with the others.
pub async fn ingest(
    ctx: &Context,
    operator: &str,
    records: Vec<(usize, UsageRecord)>,
    parse_problems: Vec<(usize, String)>,
) -> Result<IngestReport, UsageOpError> {
    let mut problems = parse_problems;
    if records.len() + problems.len() > BATCH_MAX {
        return Err(UsageOpError::Invalid(vec![(0, format!("a batch holds at most {BATCH_MAX} records"))]));
    }
    let (_, catalog) = catalog::current(ctx).await?;
    let mut rated = Vec::with_capacity(records.len());
    // Each customer's partner, read once per batch; an unknown customer is absent.
    let wanted: Vec<AccountId> =
        records.iter().map(|(_, r)| &r.customer).collect::<HashSet<_>>().into_iter().cloned().collect();
    // EMA-3: a unified-accounting member's usage is its reseller master's partner's spend.
    let customers: HashMap<AccountId, Option<(PartnerId, AssociationModel)>> = ctx
        .store
        .usage_owners(&wanted)
        .await?
        .into_iter()
        .map(|o| (o.customer, enterprise::spend_partner(o.association, o.unified_master)))
        .collect();
    let mut rater = Rater::new(&catalog, ctx.policy.billing_offset);
    let mut indexes = Vec::with_capacity(records.len());
    for (i, record) in records {
        let Some(partner) = customers.get(&record.customer).cloned() else {
            problems.push((i, format!("customer {} does not exist", record.customer)));
            continue;
        };
        match rater.rate(record, partner) {
            Ok(e) => {
                rated.push(e);
                indexes.push(i);
            }
            Err(e @ (UsageError::Id | UsageError::ResourceId | UsageError::Rating(_))) => {
                problems.push((i, e.to_string()))
            }
        }
    }
    let mut ids = HashSet::with_capacity(rated.len());
    for (e, i) in rated.iter().zip(&indexes) {
        if !ids.insert(e.record.id.as_str()) {
            problems.push((*i, format!("id {:?} is repeated in the batch", e.record.id)));
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|(i, _)| *i);
        return Err(UsageOpError::Invalid(problems));
    }
    let now = ctx.clock.now();
    let audit = [audit_event(
        now,
        Actor::Operator(operator.to_owned()),
        None,
        Action::UsageIngested,
        "usage",
        "batch",
        None,
        Some(format!("records={}", rated.len())),
    )];
    // Issue #16: the batch's customers' resource packages take their part of the new records
    // before they are rated; only the excess is rated. The uses are decided from what is read,
    // and decided again if a package's use moved before the batch was written.
    let packages = ctx.store.packages_for_usage(&wanted).await?;
    let mut attempts = 0;
    let (accepted, duplicates, rated) = loop {
        let (batch, deductions) = if packages.is_empty() {
            (rated.clone(), vec![])
        } else {
            with_packages(ctx, &catalog, &rated, &packages).await?
        };
        // Every sum the batch adds to stays an amount: the batch's own sums here, with what is
        // stored inside the store's transaction (a conflict then, with nothing written).
        check_batch_sums(&batch)?;
        match ctx.store.ingest_usage(&batch, &deductions, now, &audit).await {
            Ok((accepted, duplicates)) => break (accepted, duplicates, batch),
            Err(StoreError::Conflict { constraint: Constraint::Stale(Row::PackageUse) })
                if attempts < PACKAGE_RETRIES =>
            {
                attempts += 1;
            }
            Err(StoreError::Conflict {
                constraint: Constraint::SpendTotalRange | Constraint::HourAmountRange | Constraint::HourUsageRange,
            }) => return Err(UsageOpError::Overflow(SumOverflow::WithStored)),
            Err(other) => return Err(other.into()),
        }
    };
    let mut report = IngestReport { accepted, duplicates, ..IngestReport::default() };
    // The batch's reseller customers and their partners: their budgets and quotas with their
    // spend are read at once; only those at a threshold are weighed one by one.
    let mut customers: BTreeSet<&AccountId> = BTreeSet::new();
    let mut partners: BTreeSet<&PartnerId> = BTreeSet::new();
    for e in &rated {
        if let Some((partner, AssociationModel::Reseller)) = &e.partner {
            customers.insert(&e.record.customer);
            partners.insert(partner);
        }
    }
    let customers: Vec<AccountId> = customers.into_iter().cloned().collect();
    let partners: Vec<PartnerId> = partners.into_iter().cloned().collect();
    let cycle = Cycle::of(now, ctx.policy.billing_offset);
    let state = ctx.store.spend_state(&customers, &partners, cycle).await?;
    for (budget, used) in &state.budgets {
        if !thresholds_reached(budget.amount(), *used).is_empty() {
            weigh_budget(ctx, budget, *used, &mut report).await?;
        }
    }
    for (partner, quota, used) in &state.quotas {
        if quota_state(*quota, *used) != (false, false) {
            weigh_quota(ctx, partner, *used, &mut report).await?;
        }
    }
    Ok(report)
}

/// How many times a batch's package uses are decided again when another batch moved them.
const PACKAGE_RETRIES: u32 = 8;

/// Issue #16: the batch as rated after its customers' packages took their part of its new
/// records (a record stored already takes nothing), and the packages' uses.
async fn with_packages(
    ctx: &Context,
    catalog: &Catalog,
    rated: &[Expenditure],
    packages: &[Package],
) -> Result<(Vec<Expenditure>, Vec<Deduction>), UsageOpError> {
    let ids: Vec<String> = rated.iter().map(|e| e.record.id.clone()).collect();
    let stored = ctx.store.stored_usage_ids(&ids).await?;
    let package_ids: Vec<String> = packages.iter().map(|p| p.id.clone()).collect();
    let used: HashMap<(String, i64), Quantity> =
        ctx.store.package_uses(&package_ids).await?.into_iter().map(|(p, period, q)| ((p, period), q)).collect();
    let fresh: Vec<usize> = (0..rated.len()).filter(|i| !stored.contains(&rated[*i].record.id)).collect();
    let records: Vec<UsageRecord> = fresh.iter().map(|i| rated[*i].record.clone()).collect();
    let consumption = package::consume(packages, &used, &records, ctx.policy.billing_offset);
    let mut batch = rated.to_vec();
    let mut rater = Rater::new(catalog, ctx.policy.billing_offset);
    for (k, i) in fresh.iter().enumerate() {
        let covered = consumption.covered[k];
        if covered.e8() > 0 {
            let excess = rater
                .rate(package::excess(&records[k], covered), batch[*i].partner.clone())
                .map_err(|e| UsageOpError::Invalid(vec![(*i, e.to_string())]))?;
            batch[*i].amount = excess.amount;
        }
    }
    Ok((batch, consumption.deductions))
}

/// A budget or quota notice: sent once per (kind, subject, period, threshold).
struct Notice<'a> {
    kind: &'static str,
    /// The audit subject: its kind and id (the notice's subject).
    subject: (&'static str, &'a str),
    action: Action,
    period: i64,
    threshold: u32,
    after: String,
}

/// Queues the notice's email to the partner (if it has an address) with its audit event,
/// unless the notice was sent already.
async fn send_notice(
    ctx: &Context,
    partner: &Partner,
    to: &[String],
    text: (String, String),
    n: Notice<'_>,
    report: &mut IngestReport,
) -> Result<(), UsageOpError> {
    let now = ctx.clock.now();
    let (kind, id) = n.subject;
    let mut notifications: Vec<Notification> = to.iter().map(|t| email(t, text.clone(), now)).collect();
    let hook = super::outbox::webhook_notice(ctx, partner, n.action.as_str(), id, (&text.0, &text.1)).await?;
    notifications.extend(hook);
    let audit = [audit_event(now, Actor::System, Some(partner.id()), n.action, kind, id, None, Some(n.after))];
    if ctx.store.record_notice(n.kind, id, n.period, n.threshold, now, &notifications, &audit).await? {
        report.notices += 1;
    }
    Ok(())
}

/// Where the partner's notices go: the recipients it set, or its account's email.
pub(crate) async fn recipients(ctx: &Context, partner: &Partner) -> Result<Vec<String>, StoreError> {
    if let Some(emails) = ctx.store.notice_recipients(partner.id()).await? {
        return Ok(emails.iter().map(|e| e.as_str().to_owned()).collect());
    }
    Ok(ctx.store.account(partner.account_id()).await?.and_then(|a| a.email().map(str::to_owned)).into_iter().collect())
}

/// The most recipients a partner sets.
pub const RECIPIENTS_MAX: usize = 10;

/// The partner sets who receives its budget and quota notices: one to ten emails (the quota
/// notice cannot be disabled, R-QUOTA-04, so the list is never empty).
pub async fn set_recipients(ctx: &Context, partner: &Partner, emails: &[String]) -> Result<Vec<Email>, UsageOpError> {
    let mut problems = vec![];
    let mut parsed: Vec<Email> = vec![];
    for (i, e) in emails.iter().enumerate() {
        match Email::parse(e.trim()) {
            Ok(email) if !parsed.iter().any(|p| p.as_str().eq_ignore_ascii_case(email.as_str())) => parsed.push(email),
            Ok(_) => {}
            Err(err) => problems.push((i, format!("{e:?}: {err}"))),
        }
    }
    if parsed.is_empty() && problems.is_empty() {
        problems.push((0, "at least one email receives the notices (R-QUOTA-04)".into()));
    }
    if parsed.len() > RECIPIENTS_MAX {
        problems.push((RECIPIENTS_MAX, format!("at most {RECIPIENTS_MAX} emails")));
    }
    if !problems.is_empty() {
        return Err(UsageOpError::Invalid(problems));
    }
    let now = ctx.clock.now();
    let list: Vec<&str> = parsed.iter().map(Email::as_str).collect();
    let audit = [audit_event(
        now,
        Actor::Customer(partner.account_id().clone()),
        Some(partner.id()),
        Action::NoticeRecipientsSet,
        "partner",
        partner.id().as_str(),
        None,
        Some(format!("recipients={}", list.join(","))),
    )];
    ctx.store.set_notice_recipients(partner.id(), &parsed, now, &audit).await?;
    Ok(parsed)
}

/// Who receives the partner's notices now.
pub async fn notice_recipients(ctx: &Context, partner: &Partner) -> Result<Vec<String>, UsageOpError> {
    Ok(recipients(ctx, partner).await?)
}

/// R-RCM-04: notices at each threshold the customer's spend `used` (as the caller read
/// it for the budget) has reached, once per period; and the automatic freeze when the budget is
/// used up and the partner asked for it.
pub(crate) async fn weigh_budget(
    ctx: &Context,
    budget: &Budget,
    used: Money,
    report: &mut IngestReport,
) -> Result<(), UsageOpError> {
    // `spend_state` and `budgets_of` give only the budgets of the partners' current reseller
    // customers.
    let customer = budget.customer();
    let (Some(account), Some(partner)) =
        (ctx.store.account(customer).await?, ctx.store.partner(budget.partner()).await?)
    else {
        return Ok(());
    };
    let now = ctx.clock.now();
    let period = match budget.budget_type() {
        BudgetType::Monthly => Cycle::of(now, ctx.policy.billing_offset).0,
        BudgetType::Package => budget.set_at().unix_ms(),
    };
    let reached = thresholds_reached(budget.amount(), used);
    // A customer over a threshold stays over it: most batches find its notice sent already.
    let sent =
        if reached.is_empty() { vec![] } else { ctx.store.notices_sent("budget", customer.as_str(), period).await? };
    let due: Vec<u32> = reached.iter().copied().filter(|t| !sent.contains(t)).collect();
    let to = if due.is_empty() { vec![] } else { recipients(ctx, &partner).await? };
    let lang = if due.is_empty() { Language::default() } else { super::partner_language(ctx, &partner).await? };
    for threshold in &due {
        let (subject, body) = templates::budget_notice(
            lang,
            account.name().as_str(),
            account.id().as_str(),
            *threshold,
            budget.budget_type() == BudgetType::Monthly,
            &used.to_display_string(),
            &budget.amount().to_display_string(),
        );
        let notice = Notice {
            kind: "budget",
            subject: ("customer", customer.as_str()),
            action: Action::BudgetThresholdReached,
            period,
            threshold: *threshold,
            after: format!("threshold={threshold} used={used} budget={}", budget.amount()),
        };
        send_notice(ctx, &partner, &to, (subject, body), notice, report).await?;
    }
    if reached.contains(&100) && budget.auto_freeze() == Some(true) && account.freeze().is_none() {
        let mut frozen = account.clone();
        frozen.set_freeze(Freeze { scope: FreezeScope::Account, cause: FreezeCause::BudgetExhausted, since: now });
        let audit = [audit_event(
            now,
            Actor::System,
            Some(partner.id()),
            Action::CustomerFrozen,
            "customer",
            customer.as_str(),
            Some(audit_text::freeze(account.freeze())),
            Some(format!("{} used={used}", audit_text::freeze(frozen.freeze()))),
        )];
        match ctx.store.update_account_freeze(&frozen, &audit).await {
            Ok(()) => report.frozen += 1,
            // Changed meanwhile (a freeze or unfreeze): the next batch weighs it again.
            Err(StoreError::Conflict { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// R-QUOTA-04, R-QUOTA-06: the partner's reseller spend `used` against its consumption quota: a
/// notice at 80 %, and beyond the quota a notice and the restriction. A new quota is a new period.
pub(crate) async fn weigh_quota(
    ctx: &Context,
    partner: &PartnerId,
    used: Money,
    report: &mut IngestReport,
) -> Result<(), UsageOpError> {
    let Some(partner) = ctx.store.partner(partner).await? else { return Ok(()) };
    let (notice, exceeded) = quota_state(partner.consumption_quota(), used);
    let now = ctx.clock.now();
    let period = partner.consumption_quota().e8();
    let reached: Vec<u32> =
        [(notice, QUOTA_NOTICE_PERCENT), (exceeded, 100)].into_iter().filter_map(|(r, t)| r.then_some(t)).collect();
    let sent = if reached.is_empty() {
        vec![]
    } else {
        ctx.store.notices_sent("quota", partner.id().as_str(), period).await?
    };
    let due: Vec<u32> = reached.into_iter().filter(|t| !sent.contains(t)).collect();
    let to = if due.is_empty() { vec![] } else { recipients(ctx, &partner).await? };
    let lang = if due.is_empty() { Language::default() } else { super::partner_language(ctx, &partner).await? };
    for threshold in due {
        let (subject, body) = templates::quota_notice(
            lang,
            threshold,
            threshold == 100,
            &used.to_display_string(),
            &partner.consumption_quota().to_display_string(),
        );
        let notice = Notice {
            kind: "quota",
            subject: ("partner", partner.id().as_str()),
            action: Action::QuotaThresholdReached,
            period,
            threshold,
            after: format!("threshold={threshold} used={used}"),
        };
        send_notice(ctx, &partner, &to, (subject, body), notice, report).await?;
    }
    if exceeded && partner.state() == PartnerState::Normal {
        let mut restricted = partner.clone();
        restricted.restrict().expect("a normal partner can be restricted");
        let audit = [audit_event(
            now,
            Actor::System,
            Some(partner.id()),
            Action::PartnerRestricted,
            "partner",
            partner.id().as_str(),
            Some(format!("state={}", audit_text::partner_state(partner.state()))),
            Some(format!("state={} used={used}", audit_text::partner_state(restricted.state()))),
        )];
        match ctx.store.update_partner(&restricted, &audit).await {
            Ok(()) => report.restricted += 1,
            Err(StoreError::Conflict { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// `list_customerself_resource_records`: the signer's own rated usage in a cycle.
pub async fn records_of(
    ctx: &Context,
    account: &AccountId,
    query: &crate::store::UsageQuery,
) -> Result<(Vec<Expenditure>, u64), UsageOpError> {
    Ok(ctx.store.usage_records_of(account, query).await?)
}

/// The signer's spend per resource in a cycle, or per resource and day (`by_day`).
pub async fn summaries_of(
    ctx: &Context,
    account: &AccountId,
    query: &crate::store::UsageQuery,
    by_day: bool,
) -> Result<(Vec<crate::store::UsageSummary>, u64), UsageOpError> {
    let offset = by_day.then_some(ctx.policy.billing_offset);
    Ok(ctx.store.usage_summaries_of(account, query, offset).await?)
}
