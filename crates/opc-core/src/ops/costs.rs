//! Costs read back by the signer for its own account (BSS B1.8.1 `list_costs`, B2.8.2
//! `list_customer_bills_fee_records`, B2.8.3 `list_customer_bills_monthly_break_down`), from
//! the rated usage and the charged orders, at list price (no discount or coupon applies to a
//! customer's own amounts here). A partner's key reads the partner's own account, which spends
//! nothing. No enterprise sub-accounts exist: a sub-customer scope has nothing.
//!
//! The rules (amortization, a refund's term, a record's payment status) are the domain's
//! ([`opc_domain::cost`]); here they are applied to the store's rows.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use opc_domain::account::Account;
use opc_domain::bill::{BillBalance, ChargeKind, Payer};
use opc_domain::catalog::ChargingMode;
use opc_domain::cost::{
    amortize_days, amortize_months, day_of, month_shares, payment_status, AmortizeError, CostKind, MonthShares,
    PaymentStatus, Term,
};
use opc_domain::rating::Quantity;
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Money, PartnerId, Timestamp};

use super::auth::Principal;
use super::Context;
use crate::store::{FeeQuery, FeeRecord, OrderCost, StoreError, UsageDay};

#[derive(Debug, thiserror::Error)]
pub enum CostOpError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error(transparent)]
    Amortize(#[from] AmortizeError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn add(a: Money, b: Money) -> Result<Money, CostOpError> {
    a.checked_add(b).map_err(|_| AmortizeError::OutOfRange.into())
}

const DAY_MS: i64 = 86_400_000;

/// The first instant of `day` (days since 1970-01-01 in the billing zone).
fn day_start(ctx: &Context, day: i64) -> Timestamp {
    Timestamp::from_unix_ms(day * DAY_MS - ctx.policy.billing_offset.0)
}

/// What a cost is, for every dimension it can be grouped or filtered by.
#[derive(Clone, Debug, PartialEq, Eq)]
struct CostItem {
    kind: CostKind,
    service_type: String,
    resource_type: String,
    region: String,
    resource_id: String,
    spec: String,
    usage_factor: Option<String>,
    payer: Payer,
}

/// A dimension of `list_costs`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dimension {
    CloudServiceType,
    ResourceType,
    RegionCode,
    ChargingMode,
    BillType,
    ResourceId,
    PayerAccountId,
    AssociatedAccount,
    ResSpecCode,
    UsageType,
    EnterpriseProjectId,
    /// Held by no cost here (availability zones, operating entities): every value is empty.
    AzCode,
    BeId,
    /// A cost tag's key, or a cost unit's: no resource carries one, every value is empty.
    Tag(String),
    CostUnit(String),
}

/// A cost's value of a dimension.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DimensionValue {
    Text(String),
    Mode(ChargingMode),
    Kind(ChargeKind),
    /// The dimension holds nothing for the cost.
    Empty,
}

/// The enterprise project of every cost: the default one.
pub const DEFAULT_ENTERPRISE_PROJECT: &str = "0";

/// Keeps (`exclude` false) or leaves out the costs whose value of `dimension` is one of `values`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CostFilter {
    pub dimension: Dimension,
    pub exclude: bool,
    pub values: Vec<DimensionValue>,
}

/// A time unit of `list_costs`, and the bucket of a cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bucket {
    /// Days since 1970-01-01 in the billing zone.
    Day(i64),
    Month(Cycle),
}

/// Original costs fall when they happen; amortized ones are spread over their term
/// (COST-AMORTIZE, COST-REFUND-TERM).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CostBasis {
    Original,
    Amortized,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CostQuery {
    /// The first and last bucket, both included, of the same unit.
    pub from: Bucket,
    pub through: Bucket,
    pub basis: CostBasis,
    pub group_by: Vec<Dimension>,
    pub filters: Vec<CostFilter>,
    pub offset: u32,
    pub limit: u32,
}

/// The longest span of a query: a year of days, or two years of months.
pub const DAYS_MAX: i64 = 366;
pub const MONTHS_MAX: i64 = 24;

/// One group of costs: its values of the grouped dimensions, its amount per bucket (buckets
/// with costs only, oldest first) and over the whole span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CostGroup {
    pub dimensions: Vec<(Dimension, DimensionValue)>,
    pub costs: Vec<(Bucket, Money)>,
    pub total: Money,
}

fn months_between(from: Cycle, through: Cycle) -> Option<i64> {
    let (fy, fm) = from.year_month()?;
    let (ty, tm) = through.year_month()?;
    Some((ty * 12 + i64::from(tm)) - (fy * 12 + i64::from(fm)))
}

/// B1.8.1 `list_costs`: the signer's own costs in a span of days or months, grouped by the
/// asked dimensions, filtered, largest group first; with the count of groups.
pub async fn costs(ctx: &Context, principal: &Principal, q: &CostQuery) -> Result<(Vec<CostGroup>, u64), CostOpError> {
    let invalid = |reason: String| CostOpError::Invalid { field: "time_condition", reason };
    let offset = ctx.policy.billing_offset;
    let (from_cycle, through_cycle) = match (q.from, q.through) {
        (Bucket::Day(a), Bucket::Day(b)) => {
            if b < a || b - a >= DAYS_MAX {
                return Err(invalid(format!("end_time must be on or after begin_time, at most {DAYS_MAX} days")));
            }
            (opc_domain::cost::cycle_of_day(a), opc_domain::cost::cycle_of_day(b))
        }
        (Bucket::Month(a), Bucket::Month(b)) => {
            match months_between(a, b) {
                Some(n) if (0..MONTHS_MAX).contains(&n) => {}
                _ => {
                    return Err(invalid(format!(
                        "end_time must be on or after begin_time, at most {MONTHS_MAX} months"
                    )))
                }
            }
            (a, b)
        }
        _ => return Err(invalid("begin_time and end_time must be of the same unit".into())),
    };
    let in_span = |b: Bucket| q.from <= b && b <= q.through;
    let by_day = matches!(q.from, Bucket::Day(_));
    let account = super::accounts::own_account(ctx, principal).await?;
    let mut parts: Vec<(CostItem, Bucket, Money)> = Vec::new();
    for u in ctx.store.usage_days(account.id(), from_cycle, through_cycle, offset).await? {
        let bucket = if by_day { Bucket::Day(u.day) } else { Bucket::Month(u.cycle) };
        if in_span(bucket) {
            parts.push((usage_item(&u), bucket, u.amount));
        }
    }
    for o in ctx.store.order_costs(account.id(), through_cycle).await? {
        let item = order_item(&o);
        let spread: Vec<(Bucket, Money)> = match q.basis {
            CostBasis::Original => {
                let day = day_of(o.charged_at, offset);
                vec![(if by_day { Bucket::Day(day) } else { Bucket::Month(o.cycle) }, o.amount)]
            }
            CostBasis::Amortized if by_day => {
                amortize_days(o.amount, term_of(ctx, &o))?.into_iter().map(|(d, m)| (Bucket::Day(d), m)).collect()
            }
            CostBasis::Amortized => {
                amortize_months(o.amount, term_of(ctx, &o))?.into_iter().map(|(c, m)| (Bucket::Month(c), m)).collect()
            }
        };
        parts.extend(spread.into_iter().filter(|(b, _)| in_span(*b)).map(|(b, m)| (item.clone(), b, m)));
    }
    let payers = payer_accounts(ctx, &account, parts.iter().map(|(i, ..)| &i.payer)).await?;
    let value = |item: &CostItem, d: &Dimension| dimension_value(item, d, &account, &payers);
    let mut groups: BTreeMap<Vec<DimensionValue>, BTreeMap<Bucket, Money>> = BTreeMap::new();
    for (item, bucket, amount) in &parts {
        let kept = q.filters.iter().all(|f| f.values.contains(&value(item, &f.dimension)) != f.exclude);
        if !kept {
            continue;
        }
        let key: Vec<DimensionValue> = q.group_by.iter().map(|d| value(item, d)).collect();
        let sum = groups.entry(key).or_default().entry(*bucket).or_insert(Money::ZERO);
        *sum = add(*sum, *amount)?;
    }
    let mut out = Vec::with_capacity(groups.len());
    for (key, costs) in groups {
        let total = costs.values().try_fold(Money::ZERO, |s, m| add(s, *m))?;
        out.push(CostGroup {
            dimensions: q.group_by.iter().cloned().zip(key).collect(),
            costs: costs.into_iter().collect(),
            total,
        });
    }
    // Largest first; alike, by their values.
    out.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.dimensions.cmp(&b.dimensions)));
    let count = out.len() as u64;
    Ok((out.into_iter().skip(q.offset as usize).take(q.limit as usize).collect(), count))
}

/// COST-AMORTIZE, COST-REFUND-TERM: the days an order line's charge is spread over.
fn term_of(ctx: &Context, o: &OrderCost) -> Term {
    let offset = ctx.policy.billing_offset;
    match (CostKind::of_order(o.order_type), o.term) {
        (CostKind::Refund, _) => Term::of_refund(o.charged_at, o.refunded_term, offset),
        (_, Some((start, end))) => Term::between(start, end, offset),
        (_, None) => Term::of_refund(o.charged_at, None, offset),
    }
}

fn usage_item(u: &UsageDay) -> CostItem {
    CostItem {
        kind: CostKind::Usage,
        service_type: u.service_type.clone(),
        resource_type: u.resource_type.clone(),
        region: u.region.clone(),
        resource_id: u.resource_id.clone(),
        spec: u.spec.clone(),
        usage_factor: Some(u.usage_factor.clone()),
        payer: Payer::of(u.partner.as_ref()),
    }
}

fn order_item(o: &OrderCost) -> CostItem {
    CostItem {
        kind: CostKind::of_order(o.order_type),
        service_type: o.product.service_type.clone(),
        resource_type: o.product.resource_type.clone(),
        region: o.product.region.clone(),
        resource_id: o.resource_id.clone(),
        spec: o.product.spec.clone(),
        usage_factor: None,
        payer: Payer::of(o.partner.as_ref()),
    }
}

/// The account of each partner paying some of the costs (R-RCM-07).
async fn payer_accounts<'a>(
    ctx: &Context,
    account: &Account,
    payers: impl Iterator<Item = &'a Payer>,
) -> Result<HashMap<PartnerId, AccountId>, CostOpError> {
    let mut out = HashMap::new();
    let partners: BTreeSet<&PartnerId> = payers
        .filter_map(|p| match p {
            Payer::Partner(id) => Some(id),
            Payer::Customer => None,
        })
        .collect();
    for p in partners {
        let id = match ctx.store.partner(p).await? {
            Some(partner) => partner.account_id().clone(),
            None => account.id().clone(),
        };
        out.insert(p.clone(), id);
    }
    Ok(out)
}

fn dimension_value(
    item: &CostItem,
    d: &Dimension,
    account: &Account,
    payers: &HashMap<PartnerId, AccountId>,
) -> DimensionValue {
    let text = |s: &str| DimensionValue::Text(s.to_owned());
    match d {
        Dimension::CloudServiceType => text(&item.service_type),
        Dimension::ResourceType => text(&item.resource_type),
        Dimension::RegionCode => text(&item.region),
        Dimension::ChargingMode => {
            DimensionValue::Mode(if item.kind.is_period() { ChargingMode::Period } else { ChargingMode::OnDemand })
        }
        Dimension::BillType => DimensionValue::Kind(item.kind.charge_kind()),
        Dimension::ResourceId => text(&item.resource_id),
        Dimension::PayerAccountId => match &item.payer {
            Payer::Customer => text(account.id().as_str()),
            Payer::Partner(p) => payers.get(p).map_or(DimensionValue::Empty, |a| text(a.as_str())),
        },
        Dimension::AssociatedAccount => text(account.id().as_str()),
        Dimension::ResSpecCode => text(&item.spec),
        Dimension::UsageType => item.usage_factor.as_deref().map_or(DimensionValue::Empty, text),
        Dimension::EnterpriseProjectId => text(DEFAULT_ENTERPRISE_PROJECT),
        Dimension::AzCode | Dimension::BeId | Dimension::Tag(_) | Dimension::CostUnit(_) => DimensionValue::Empty,
    }
}

/// Filters of `list_customer_bills_fee_records` besides the store's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeeRecordsQuery {
    pub store: FeeQuery,
    pub status: Option<PaymentStatus>,
    /// Days (since 1970-01-01 in the billing zone) from and through which records are kept;
    /// both in the cycle's month.
    pub days: Option<(i64, i64)>,
}

/// B2.8.2 `list_customer_bills_fee_records`: the signer's own transaction records of a cycle,
/// each with its payment status (COST-STATUS), newest first, with the count of all that match.
pub async fn fee_records(
    ctx: &Context,
    principal: &Principal,
    q: &FeeRecordsQuery,
) -> Result<(Account, Vec<(FeeRecord, PaymentStatus)>, u64), CostOpError> {
    let mut query = q.store.clone();
    if let Some((first, last)) = q.days {
        let month = |d: i64| opc_domain::cost::cycle_of_day(d) == query.cycle;
        if !month(first) || !month(last) || last < first {
            return Err(CostOpError::Invalid {
                field: "bill_date_begin",
                reason: "bill_date_begin and bill_date_end must be days of bill_cycle's month, in order".into(),
            });
        }
        query.between = Some((day_start(ctx, first), day_start(ctx, last + 1)));
    }
    let account = super::accounts::own_account(ctx, principal).await?;
    let status = statuses(ctx, account.id(), query.cycle).await?;
    if let Some(wanted) = q.status {
        let billed: Vec<Payer> = status.billed.iter().cloned().collect();
        query.payers = Some(match wanted {
            PaymentStatus::NotBilled => (false, billed),
            _ => (true, billed.into_iter().filter(|p| status.of(p) == wanted).collect()),
        });
    }
    let (records, total) = ctx.store.fee_records(account.id(), &query).await?;
    let records = records
        .into_iter()
        .map(|r| {
            let s = status.of(&Payer::of(r.partner.as_ref()));
            (r, s)
        })
        .collect();
    Ok((account, records, total))
}

/// What decides the payment status of a customer's records of a month: the payers its monthly
/// bills name, and the paying partners' bills.
struct Statuses {
    billed: BTreeSet<Payer>,
    partner_bills: HashMap<PartnerId, BillBalance>,
}

impl Statuses {
    fn of(&self, payer: &Payer) -> PaymentStatus {
        let bill = match payer {
            Payer::Partner(p) => self.partner_bills.get(p),
            Payer::Customer => None,
        };
        payment_status(self.billed.contains(payer), payer, bill)
    }
}

async fn statuses(ctx: &Context, customer: &AccountId, cycle: Cycle) -> Result<Statuses, CostOpError> {
    let billed: BTreeSet<Payer> =
        ctx.store.customer_bills(customer, cycle).await?.into_iter().map(|b| b.payer).collect();
    let mut partner_bills = HashMap::new();
    for payer in &billed {
        if let Payer::Partner(p) = payer {
            if let Some(bill) = ctx.store.partner_bill(p, cycle).await? {
                partner_bills.insert(p.clone(), bill.balance());
            }
        }
    }
    Ok(Statuses { billed, partner_bills })
}

/// Filters and page of `list_customer_bills_monthly_break_down`; `None`: no filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BreakdownQuery {
    pub month: Cycle,
    pub service_type: Option<String>,
    pub resource_type: Option<String>,
    pub region: Option<String>,
    pub modes: Option<Vec<ChargingMode>>,
    pub kinds: Option<Vec<CostKind>>,
    pub resource_id: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

/// One line of the monthly break-down: a resource's usage of one usage type in the month, or a
/// charged order line whose amortization reaches the month or that was charged in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BreakdownLine {
    pub kind: CostKind,
    /// The month it was charged in (a usage line: the month).
    pub bill_cycle: Cycle,
    pub order_id: Option<String>,
    pub service_type: String,
    pub resource_type: String,
    pub region: String,
    pub resource_id: String,
    pub spec: String,
    pub period: Option<(opc_domain::catalog::PeriodType, i32)>,
    /// A usage line's usage type, unit and usage.
    pub usage: Option<(String, i32, Quantity)>,
    /// A usage line's first and last usage.
    pub used: Option<(Timestamp, Timestamp)>,
    pub amount: Money,
    /// COST-AMORTIZE: past + current + future = amount.
    pub shares: MonthShares,
}

/// B2.8.3 `list_customer_bills_monthly_break_down`: the signer's amortized costs of a month,
/// usage lines first (by resource), then order lines (oldest charge first), with the count.
pub async fn monthly_breakdown(
    ctx: &Context,
    principal: &Principal,
    q: &BreakdownQuery,
) -> Result<(Account, Vec<BreakdownLine>, u64), CostOpError> {
    let account = super::accounts::own_account(ctx, principal).await?;
    let offset = ctx.policy.billing_offset;
    let mut usage: BTreeMap<(String, String, i32), BreakdownLine> = BTreeMap::new();
    for u in ctx.store.usage_days(account.id(), q.month, q.month, offset).await? {
        let key = (u.resource_id.clone(), u.usage_factor.clone(), u.usage_measure_id);
        let line = usage.entry(key).or_insert_with(|| BreakdownLine {
            kind: CostKind::Usage,
            bill_cycle: q.month,
            order_id: None,
            service_type: u.service_type.clone(),
            resource_type: u.resource_type.clone(),
            region: u.region.clone(),
            resource_id: u.resource_id.clone(),
            spec: u.spec.clone(),
            period: None,
            usage: Some((u.usage_factor.clone(), u.usage_measure_id, Quantity::from_e8(0).unwrap_or(u.usage))),
            used: Some((u.first_ended_at, u.last_ended_at)),
            amount: Money::ZERO,
            shares: MonthShares::default(),
        });
        line.amount = add(line.amount, u.amount)?;
        // Pay-per-use is not amortized: all of it is the month's.
        line.shares.current = line.amount;
        if let Some((_, _, used)) = &mut line.usage {
            *used = used.e8().checked_add(u.usage.e8()).and_then(Quantity::from_e8).ok_or(AmortizeError::OutOfRange)?;
        }
        if let Some((first, last)) = &mut line.used {
            *first = (*first).min(u.first_ended_at);
            *last = (*last).max(u.last_ended_at);
        }
    }
    let mut lines: Vec<BreakdownLine> = usage.into_values().collect();
    for o in ctx.store.order_costs(account.id(), q.month).await? {
        let months = amortize_months(o.amount, term_of(ctx, &o))?;
        if o.cycle != q.month && !months.iter().any(|(c, _)| *c == q.month) {
            continue;
        }
        lines.push(BreakdownLine {
            kind: CostKind::of_order(o.order_type),
            bill_cycle: o.cycle,
            order_id: Some(o.order_id.as_str().to_owned()),
            service_type: o.product.service_type.clone(),
            resource_type: o.product.resource_type.clone(),
            region: o.product.region.clone(),
            resource_id: o.resource_id.clone(),
            spec: o.product.spec.clone(),
            period: o.period,
            usage: None,
            used: None,
            amount: o.amount,
            shares: month_shares(&months, q.month)?,
        });
    }
    let keeps = |l: &BreakdownLine| {
        let mode = if l.kind.is_period() { ChargingMode::Period } else { ChargingMode::OnDemand };
        q.service_type.as_ref().is_none_or(|t| *t == l.service_type)
            && q.resource_type.as_ref().is_none_or(|t| *t == l.resource_type)
            && q.region.as_ref().is_none_or(|r| *r == l.region)
            && q.resource_id.as_ref().is_none_or(|r| *r == l.resource_id)
            && q.modes.as_ref().is_none_or(|m| m.contains(&mode))
            && q.kinds.as_ref().is_none_or(|k| k.contains(&l.kind))
    };
    let matching: Vec<BreakdownLine> = lines.into_iter().filter(keeps).collect();
    let count = matching.len() as u64;
    Ok((account, matching.into_iter().skip(q.offset as usize).take(q.limit as usize).collect(), count))
}
