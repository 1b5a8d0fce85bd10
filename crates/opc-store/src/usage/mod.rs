//! The usage aggregate: its queries and its part of the port.

pub(crate) mod rows;

use crate::audit::insert_audit;
use crate::budgets::rows::BudgetRow;
use crate::bulk;
use crate::codes::Code;
use crate::db::{err, finish, page, query, query_as, query_scalar, Builder, Conn, Db};
use crate::outbox::insert_notifications;
use crate::rows::decode_error;
use crate::rows::HourRow;
use crate::usage::rows::UsageRow;
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::association::AssociationModel;
use opc_domain::audit::AuditEvent;
use opc_domain::budget::Budget;
use opc_domain::notification::Notification;
use opc_domain::spend::{Addition, TotalPeriod, TotalScope, Totals};
use opc_domain::usage::{Cycle, Expenditure};
use opc_domain::{AccountId, Millis, Money, MoneyError, PartnerId, Timestamp};
use std::collections::{HashMap, HashSet};
use tracing::instrument;

/// A stored amount of spend, as money.
pub(crate) fn stored_spend(e8: i64) -> Result<Money, StoreError> {
    Money::from_e8(e8).map_err(|e| err(sqlx::Error::Decode(format!("stored spend is invalid: {e}").into())))
}

/// A running total of `spend_totals`, 0 when nothing was spent.
pub(crate) async fn total(conn: &mut Conn, scope: &str, period: i64) -> Result<i64, StoreError> {
    let amount: Option<i64> = query_scalar("SELECT amount_e8 FROM spend_totals WHERE scope = $1 AND period = $2")
        .bind(scope)
        .bind(period)
        .fetch_optional(&mut *conn)
        .await
        .map_err(err)?;
    Ok(amount.unwrap_or(0))
}

/// The list-price spend of the partner's reseller customers: usage and orders (R-QUOTA-06).
pub(crate) async fn partner_spend(conn: &mut Conn, partner: &PartnerId) -> Result<Money, StoreError> {
    stored_spend(total(conn, &format!("partner:{partner}"), 0).await?)
}

/// The figures the partner's consumption quota is weighed with ([`QuotaUse`]): its reseller
/// customers' spend, all of it unbilled until bills exist, and its account balance.
pub(crate) async fn quota_use(conn: &mut Conn, partner: &PartnerId) -> Result<QuotaUse, StoreError> {
    let spent = partner_spend(conn, partner).await?;
    let (balance, billed, unpaid, coupons): (i64, i64, i64, i64) =
        query_as(QUOTA_PARTS).bind(partner.as_str()).fetch_one(&mut *conn).await.map_err(err)?;
    let (balance, billed, unpaid) = (stored_spend(balance)?, stored_spend(billed)?, stored_spend(unpaid)?);
    QuotaUse::from_totals(spent, billed, unpaid, balance, stored_spend(coupons)?)
        .map_err(|e| err(decode_error("quota use", e)))
}

/// A partner's balance, the list-price amount its bills billed, what bills issued to it still
/// owe, and the balance of its open cash coupons (`coupon_amount`, which its next bills deduct):
/// the running figures [`QuotaUse::from_totals`] takes besides its spend.
const QUOTA_PARTS: &str = "SELECT \
    COALESCE((SELECT amount_e8 FROM balances WHERE holder_kind = 'partner' AND holder_id = $1), 0), \
    CAST(COALESCE((SELECT SUM(official_e8) FROM partner_bills WHERE partner_id = $1), 0) AS BIGINT), \
    CAST(COALESCE((SELECT SUM(amount_due_e8 - coupons_e8 - test_coupons_e8 - paid_e8) FROM partner_bills \
        WHERE billed_to = $1 AND amount_due_e8 - coupons_e8 - test_coupons_e8 > paid_e8), 0) AS BIGINT), \
    CAST(COALESCE((SELECT SUM(balance_e8) FROM coupons \
        WHERE partner_id = $1 AND closure IS NULL AND kind = 'cash'), 0) AS BIGINT)";

/// The customer's running totals of list-price spend, usage and orders: `cycle`'s (0 without
/// one), in all, and its budget's baseline (0 without a budget).
pub(crate) async fn customer_totals(
    conn: &mut Conn,
    customer: &AccountId,
    cycle: Option<Cycle>,
) -> Result<CustomerTotals, StoreError> {
    let scope = format!("customer:{customer}");
    let in_cycle = match cycle {
        Some(c) => total(conn, &scope, c.0).await?,
        None => 0,
    };
    let all = total(conn, &scope, 0).await?;
    let baseline: Option<i64> = query_scalar("SELECT baseline_e8 FROM budgets WHERE customer_id = $1")
        .bind(customer.as_str())
        .fetch_optional(&mut *conn)
        .await
        .map_err(err)?;
    Ok(CustomerTotals {
        cycle: stored_spend(in_cycle)?,
        all: stored_spend(all)?,
        baseline: stored_spend(baseline.unwrap_or(0))?,
    })
}

/// The backend-independent name of the conflict of a sum that would pass [`Money::MAX`].
const SPEND_TOTAL_RANGE: Constraint = Constraint::SpendTotalRange;
const HOUR_AMOUNT_RANGE: Constraint = Constraint::HourAmountRange;
const HOUR_USAGE_RANGE: Constraint = Constraint::HourUsageRange;

/// `sum` if it is within the range of an amount (issue 18: a sum beyond it is refused,
/// never wrapped nor, on SQLite, turned into a float), else the conflict `constraint`.
fn within_range(sum: i128, constraint: Constraint) -> Result<i64, StoreError> {
    i64::try_from(sum).ok().filter(|e8| Money::from_e8(*e8).is_ok()).ok_or(StoreError::Conflict { constraint })
}

/// Adds to running spend totals; a conflict, to roll back, if one would pass [`Money::MAX`].
pub(crate) async fn add_totals(conn: &mut Conn, rows: &[(String, i64, i64)]) -> Result<(), StoreError> {
    for total in bulk::add_totals(conn, rows).await.map_err(err)? {
        within_range(i128::from(total), SPEND_TOTAL_RANGE)?;
    }
    Ok(())
}

/// Adds the hour rows to `usage_hours`; a conflict, to roll back, if a row's usage or amount
/// would pass [`Money::MAX`].
async fn upsert_hours(conn: &mut Conn, hours: &bulk::Hours) -> Result<(), StoreError> {
    for (usage, amount) in bulk::upsert_hours(conn, hours).await.map_err(err)? {
        within_range(i128::from(usage), HOUR_USAGE_RANGE)?;
        within_range(i128::from(amount), HOUR_AMOUNT_RANGE)?;
    }
    Ok(())
}

/// The `spend_totals` rows the additions (one per running total) add to, in key order:
/// concurrent writers then lock the rows in one order and never deadlock.
pub(crate) fn total_rows(additions: &[Addition]) -> Vec<(String, i64, i64)> {
    let mut rows: Vec<(String, i64, i64)> = additions
        .iter()
        .map(|a| {
            let scope = match &a.scope {
                TotalScope::Customer(c) => format!("customer:{c}"),
                TotalScope::Partner(p) => format!("partner:{p}"),
            };
            let period = match a.period {
                TotalPeriod::All => 0,
                TotalPeriod::Cycle(c) => c.0,
            };
            (scope, period, a.amount.e8())
        })
        .collect();
    rows.sort_unstable();
    rows
}

/// A batch whose additions overflow an amount: the same conflict as a total that would.
fn spend_overflows(_: MoneyError) -> StoreError {
    StoreError::Conflict { constraint: SPEND_TOTAL_RANGE }
}

/// Where a usage record is added up: customer, cycle, hour, resource, usage factor and unit.
pub(crate) type UsageHourKey<'a> = (&'a str, i64, i64, &'a str, &'a str, i32);

/// What the records of one resource and hour add up to, and the latest record (its product and
/// partner are the row's).
pub(crate) struct UsageHourSum<'a> {
    usage: i128,
    amount: i128,
    records: i64,
    first: i64,
    last: i64,
    latest: &'a Expenditure,
}

/// A budget with its customer's running totals.
#[derive(sqlx::FromRow)]
pub(crate) struct BudgetUseRow {
    #[sqlx(flatten)]
    budget: BudgetRow,
    cycle_e8: i64,
    all_e8: i64,
    baseline_e8: i64,
}

/// A batch's new records, added up per resource and hour and ready to write, and the running
/// spend totals they add to.
pub(crate) struct UsageSums {
    hours: bulk::Hours,
    totals: Vec<(String, i64, i64)>,
}

/// Adds up the records of `expenditures` whose id is not in `stored`; what they add to the
/// running totals is the domain's rule ([`Totals`]).
pub(crate) fn usage_sums(
    db: &Db,
    expenditures: &[Expenditure],
    stored: &HashSet<String>,
) -> Result<UsageSums, StoreError> {
    let mut hours: HashMap<UsageHourKey<'_>, UsageHourSum<'_>> = HashMap::with_capacity(expenditures.len());
    let mut totals = Totals::default();
    for e in expenditures.iter().filter(|e| !stored.contains(&e.record.id)) {
        let r = &e.record;
        let ended = r.ended_at.unix_ms();
        let hour = ended - ended.rem_euclid(3_600_000);
        let key =
            (r.customer.as_str(), e.cycle.0, hour, r.resource_id.as_str(), r.usage_factor.as_str(), r.usage_measure_id);
        let sum = hours.entry(key).or_insert(UsageHourSum {
            usage: 0,
            amount: 0,
            records: 0,
            first: ended,
            last: ended,
            latest: e,
        });
        sum.usage += i128::from(r.usage.e8());
        sum.amount += i128::from(e.amount.e8());
        sum.records += 1;
        sum.first = sum.first.min(ended);
        if ended >= sum.last {
            sum.last = ended;
            sum.latest = e;
        }
        totals.add(&r.customer, e.partner.as_ref(), e.cycle, e.amount).map_err(spend_overflows)?;
    }
    let mut rows: Vec<HourRow<'_>> = hours
        .into_iter()
        .map(|((customer, cycle, hour, resource, factor, measure), sum)| {
            let latest = &sum.latest.record;
            let (partner, model) = match &sum.latest.partner {
                Some((p, m)) => (p.as_str(), m.code()),
                None => ("", ""),
            };
            Ok(HourRow {
                customer,
                cycle,
                hour,
                resource,
                factor,
                measure: i64::from(measure),
                spec: &latest.spec,
                region: &latest.region,
                service_type: &latest.service_type,
                resource_type: &latest.resource_type,
                partner,
                model,
                usage: within_range(sum.usage, HOUR_USAGE_RANGE)?,
                amount: within_range(sum.amount, HOUR_AMOUNT_RANGE)?,
                records: sum.records,
                first: sum.first,
                last: sum.last,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    // In key order, so that concurrent batches lock the rows in one order.
    rows.sort_unstable_by(|a, b| {
        (a.customer, a.cycle, a.hour, a.resource, a.factor, a.measure)
            .cmp(&(b.customer, b.cycle, b.hour, b.resource, b.factor, b.measure))
    });
    let totals = total_rows(&totals.additions().map_err(spend_overflows)?);
    Ok(UsageSums { hours: bulk::Hours::of(db, &rows).map_err(err)?, totals })
}

#[async_trait]
impl Usage for SqlStore {
    #[instrument(level = "debug", skip_all, fields(records = expenditures.len()))]
    async fn ingest_usage(
        &self,
        expenditures: &[Expenditure],
        deductions: &[opc_domain::package::Deduction],
        _at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(u64, u64), StoreError> {
        let mut ids: Vec<&str> = expenditures.iter().map(|e| e.record.id.as_str()).collect();
        // In order: concurrent batches then lock them in one order.
        ids.sort_unstable();
        // Added up and made ready to write before this writer's turn, as if every record were
        // new (the usual case): the turn only writes.
        let none = HashSet::new();
        let mut sums = usage_sums(&self.db, expenditures, &none)?;
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let stored = bulk::record_ids(&mut tx, &ids).await.map_err(err)?;
            // Issue #16: the package uses were decided for records read as new.
            if deductions.iter().any(|d| stored.contains(&d.record_id)) {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::PackageUse) });
            }
            if stored.len() == ids.len() {
                return Ok((0, expenditures.len() as u64));
            }
            if !stored.is_empty() {
                sums = usage_sums(&self.db, expenditures, &stored)?;
            }
            upsert_hours(&mut tx, &sums.hours).await?;
            add_totals(&mut tx, &sums.totals).await?;
            let customers: HashMap<&str, &AccountId> =
                expenditures.iter().map(|e| (e.record.id.as_str(), &e.record.customer)).collect();
            crate::packages::write_deductions(&mut tx, deductions, |id| customers.get(id).map(|c| (*c).clone()))
                .await?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            let duplicates = stored.len() as u64;
            Ok((expenditures.len() as u64 - duplicates, duplicates))
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(customers = customers.len(), partners = partners.len()))]
    async fn spend_totals(
        &self,
        customers: &[AccountId],
        partners: &[PartnerId],
        cycle: Cycle,
    ) -> Result<SpendTotals, StoreError> {
        let mut state = SpendTotals::default();
        for chunk in customers.chunks(5_000) {
            // The stored association codes this SQL names: customers::rows::association_state_code.
            let mut b = Builder::new(
                "SELECT b.customer_id, b.partner_id, b.budget_type, b.amount_e8, b.auto_freeze, b.set_at_ms, b.version, \
                 COALESCE(tc.amount_e8, 0) AS cycle_e8, COALESCE(ta.amount_e8, 0) AS all_e8, b.baseline_e8 \
                 FROM budgets b JOIN associations a ON a.customer_id = b.customer_id AND a.state <> 'disassociated' \
                 LEFT JOIN spend_totals tc ON tc.scope = 'customer:' || b.customer_id AND tc.period = ",
            );
            b.push_bind(cycle.0).push(
                " LEFT JOIN spend_totals ta ON ta.scope = 'customer:' || b.customer_id AND ta.period = 0 \
                 WHERE a.model = 'reseller' AND a.partner_id = b.partner_id AND b.customer_id IN (",
            );
            let mut ids = b.separated(", ");
            for id in chunk {
                ids.push_bind(id.as_str());
            }
            b.push(") ORDER BY b.customer_id");
            let rows: Vec<BudgetUseRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
            for row in rows {
                let totals = CustomerTotals {
                    cycle: stored_spend(row.cycle_e8)?,
                    all: stored_spend(row.all_e8)?,
                    baseline: stored_spend(row.baseline_e8)?,
                };
                state.budgets.push((Budget::try_from(row.budget).map_err(err)?, totals));
            }
        }
        for chunk in partners.chunks(5_000) {
            let mut b = Builder::new(
                "SELECT p.id, p.consumption_quota_e8, COALESCE(t.amount_e8, 0) FROM partners p \
                 LEFT JOIN spend_totals t ON t.scope = 'partner:' || p.id AND t.period = 0 \
                 WHERE p.consumption_quota_e8 > 0 AND p.id IN (",
            );
            let mut ids = b.separated(", ");
            for id in chunk {
                ids.push_bind(id.as_str());
            }
            b.push(") ORDER BY p.id");
            let rows: Vec<(String, i64, i64)> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
            for (id, quota, spent) in rows {
                let id = PartnerId::parse(&id).map_err(|e| err(decode_error("partner id", e)))?;
                let (balance, billed, unpaid, coupons): (i64, i64, i64, i64) =
                    query_as(QUOTA_PARTS).bind(id.as_str()).fetch_one(&self.db).await.map_err(err)?;
                let use_ = QuotaUse::from_totals(
                    stored_spend(spent)?,
                    stored_spend(billed)?,
                    stored_spend(unpaid)?,
                    stored_spend(balance)?,
                    stored_spend(coupons)?,
                )
                .map_err(|e| err(decode_error("quota use", e)))?;
                state.quotas.push((id, stored_spend(quota)?, use_));
            }
        }
        Ok(state)
    }

    #[instrument(level = "debug", skip_all, fields(customers = customers.len(), from = from.0, through = through.0))]
    async fn spend_sums(
        &self,
        customers: &[AccountId],
        from: Cycle,
        through: Cycle,
        day_offset: Millis,
    ) -> Result<Vec<SpendSum>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct SumRow {
            cycle: i64,
            day: i64,
            partner_id: String,
            model: String,
            amount_e8: i64,
        }
        let mut sums = Vec::new();
        // Each side reads by its customer index (usage_hours' key, order_charges_customer),
        // within the cycles: the rows of these customers in the span, and no others.
        for chunk in customers.chunks(5_000) {
            let mut b = Builder::new("SELECT cycle, ");
            let day = |b: &mut Builder<'_>, column: &str| {
                b.push(format!("({column} + ")).push_bind(day_offset.0).push(") / 86400000 AS day, ");
            };
            let within = |b: &mut Builder<'_>, customer: &str, cycle: &str| {
                b.push(format!(" WHERE {customer} IN ("));
                let mut ids = b.separated(", ");
                for id in chunk {
                    ids.push_bind(id.as_str().to_owned());
                }
                b.push(format!(") AND {cycle} >= ")).push_bind(from.0);
                b.push(format!(" AND {cycle} <= ")).push_bind(through.0);
            };
            b.push("day, partner_id, model, CAST(SUM(amount_e8) AS BIGINT) AS amount_e8 FROM (SELECT cycle, ");
            day(&mut b, "last_ended_at_ms");
            b.push("partner_id, model, amount_e8 FROM usage_hours");
            within(&mut b, "customer_id", "cycle");
            b.push(" UNION ALL SELECT c.cycle, ");
            day(&mut b, "c.charged_at_ms");
            b.push("COALESCE(c.partner_id, '') AS partner_id, COALESCE(c.model, '') AS model, c.amount_e8 FROM order_charges c");
            within(&mut b, "c.customer_id", "c.cycle");
            b.push(") spend GROUP BY cycle, day, partner_id, model ORDER BY cycle, day, partner_id, model");
            let rows: Vec<SumRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
            for r in rows {
                sums.push(SpendSum {
                    cycle: Cycle(r.cycle),
                    day: r.day,
                    partner: crate::rows::rated_partner(&r.partner_id, &r.model).map_err(err)?,
                    amount: stored_spend(r.amount_e8)?,
                });
            }
        }
        if customers.len() > 5_000 {
            sums.sort_by_key(|s| (s.cycle, s.day));
        }
        Ok(sums)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner, cycle = cycle.0))]
    async fn partner_budget_totals(
        &self,
        partner: &PartnerId,
        cycle: Cycle,
    ) -> Result<Vec<(Budget, CustomerTotals)>, StoreError> {
        // From the partner's current customers (associations_partner_current), each budget and
        // running total by its key. The stored association codes this SQL names:
        // customers::rows::association_state_code.
        let rows: Vec<BudgetUseRow> = query_as(
            "SELECT b.customer_id, b.partner_id, b.budget_type, b.amount_e8, b.auto_freeze, b.set_at_ms, b.version, \
             COALESCE(tc.amount_e8, 0) AS cycle_e8, COALESCE(ta.amount_e8, 0) AS all_e8, b.baseline_e8 \
             FROM associations a JOIN budgets b ON b.customer_id = a.customer_id AND b.partner_id = a.partner_id \
             LEFT JOIN spend_totals tc ON tc.scope = 'customer:' || b.customer_id AND tc.period = $2 \
             LEFT JOIN spend_totals ta ON ta.scope = 'customer:' || b.customer_id AND ta.period = 0 \
             WHERE a.partner_id = $1 AND a.state <> 'disassociated' AND a.model = 'reseller' ORDER BY b.customer_id",
        )
        .bind(partner.as_str())
        .bind(cycle.0)
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let totals = CustomerTotals {
                cycle: stored_spend(row.cycle_e8)?,
                all: stored_spend(row.all_e8)?,
                baseline: stored_spend(row.baseline_e8)?,
            };
            out.push((Budget::try_from(row.budget).map_err(err)?, totals));
        }
        Ok(out)
    }

    #[instrument(level = "debug", skip_all, fields(subject = subject))]
    async fn notices_sent(&self, kind: &str, subject: &str, period: i64) -> Result<Vec<u32>, StoreError> {
        let thresholds: Vec<i64> = query_scalar(
            "SELECT threshold FROM spend_notices WHERE kind = $1 AND subject_id = $2 AND period = $3 \
             ORDER BY threshold",
        )
        .bind(kind)
        .bind(subject)
        .bind(period)
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        thresholds.into_iter().map(|t| u32::try_from(t).map_err(|e| err(decode_error("notice threshold", e)))).collect()
    }

    #[instrument(level = "debug", skip_all, fields(subject = subject))]
    async fn record_notice(
        &self,
        kind: &str,
        subject: &str,
        period: i64,
        threshold: u32,
        at: Timestamp,
        notifications: &[Notification],
        audit: &[AuditEvent],
    ) -> Result<bool, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let done = query(
                "INSERT INTO spend_notices (kind, subject_id, period, threshold, notified_at_ms) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (kind, subject_id, period, threshold) DO NOTHING",
            )
            .bind(kind)
            .bind(subject)
            .bind(period)
            .bind(i64::from(threshold))
            .bind(at.unix_ms())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            let new = done.rows_affected() == 1;
            if new {
                insert_notifications(&mut tx, notifications).await.map_err(err)?;
                insert_audit(&mut tx, audit).await.map_err(err)?;
            }
            Ok(new)
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(customers = customers.len()))]
    async fn usage_owners(&self, customers: &[AccountId]) -> Result<Vec<UsageOwner>, StoreError> {
        let ids: Vec<&str> = customers.iter().map(AccountId::as_str).collect();
        let rows = bulk::owners(&self.db, &ids).await.map_err(err)?;
        let association = |partner: Option<String>, model: Option<String>| match (partner, model) {
            (Some(p), Some(m)) => Ok(Some((
                PartnerId::parse(&p).map_err(|e| err(decode_error("partner id", e)))?,
                AssociationModel::from_code(&m).map_err(err)?,
            ))),
            _ => Ok::<_, StoreError>(None),
        };
        let mut out = Vec::with_capacity(rows.len());
        for (id, partner, model, master_partner, master_model) in rows {
            out.push(UsageOwner {
                customer: AccountId::parse(&id).map_err(|e| err(decode_error("account id", e)))?,
                association: association(partner, model)?,
                unified_master: association(master_partner, master_model)?,
            });
        }
        Ok(out)
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn usage_records_of(
        &self,
        customer: &AccountId,
        q: &UsageQuery,
    ) -> Result<(Vec<Expenditure>, u64), StoreError> {
        let filters = |b: &mut Builder<'_>| {
            b.push(" FROM usage_hours WHERE customer_id = ").push_bind(customer.as_str().to_owned());
            b.push(" AND cycle = ").push_bind(q.cycle.0);
            if let Some(t) = &q.service_type {
                b.push(" AND service_type = ").push_bind(t.clone());
            }
            if let Some(r) = &q.region {
                b.push(" AND region = ").push_bind(r.clone());
            }
            if let Some(r) = &q.resource_id {
                b.push(" AND resource_id = ").push_bind(r.clone());
            }
        };
        // A record is a resource's usage in an hour; its id names the resource, factor, unit and hour.
        let select =
            "SELECT resource_id || ':' || usage_factor || ':' || CAST(usage_measure_id AS TEXT) || ':' || \
             CAST(hour_ms AS TEXT) AS id, customer_id, NULLIF(partner_id, '') AS partner_id, NULLIF(model, '') AS model, \
             resource_id, service_type, resource_type, resource_spec, region, usage_factor, usage_e8, usage_measure_id, \
             amount_e8, cycle, last_ended_at_ms AS ended_at_ms";
        let order = "ORDER BY hour_ms DESC, resource_id, usage_factor, usage_measure_id";
        let mut conn = self.db.acquire().await?;
        let (rows, total): (Vec<UsageRow>, u64) = page(&mut conn, select, filters, order, (q.offset, q.limit)).await?;
        let records = rows.into_iter().map(Expenditure::try_from).collect::<Result<_, _>>().map_err(err)?;
        Ok((records, total))
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn usage_summaries_of(
        &self,
        customer: &AccountId,
        q: &UsageQuery,
        day_offset: Option<Millis>,
    ) -> Result<(Vec<UsageSummary>, u64), StoreError> {
        // The day in the billing zone, as whole days since the epoch; -1 when not grouping by day.
        let day = |b: &mut Builder<'_>| match day_offset {
            Some(offset) => {
                b.push("((last_ended_at_ms + ").push_bind(offset.0).push(") / 86400000)");
            }
            None => {
                b.push("CAST(-1 AS BIGINT)");
            }
        };
        let mut inner = Builder::new("SELECT resource_id, service_type, resource_type, resource_spec, region, ");
        day(&mut inner);
        inner.push(
            " AS day, CAST(SUM(amount_e8) AS BIGINT) AS amount_e8, MIN(first_ended_at_ms) AS first_ms, \
             MAX(last_ended_at_ms) AS last_ms FROM usage_hours WHERE customer_id = ",
        );
        inner.push_bind(customer.as_str().to_owned()).push(" AND cycle = ").push_bind(q.cycle.0);
        if let Some(t) = &q.service_type {
            inner.push(" AND service_type = ").push_bind(t.clone());
        }
        if let Some(r) = &q.region {
            inner.push(" AND region = ").push_bind(r.clone());
        }
        if let Some(r) = &q.resource_id {
            inner.push(" AND resource_id = ").push_bind(r.clone());
        }
        inner.push(" GROUP BY resource_id, service_type, resource_type, resource_spec, region, day");
        let rows: Vec<(String, String, String, String, String, i64, i64, i64, i64)> =
            inner.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        let total = rows.len() as u64;
        let mut out: Vec<UsageSummary> = rows
            .into_iter()
            .map(|(resource_id, service_type, resource_type, spec, region, day, amount, first, last)| {
                Money::from_e8(amount).map(|amount| UsageSummary {
                    resource_id,
                    service_type,
                    resource_type,
                    spec,
                    region,
                    day: (day >= 0).then_some(day),
                    amount,
                    first_ended_at: Timestamp::from_unix_ms(first),
                    last_ended_at: Timestamp::from_unix_ms(last),
                })
            })
            .collect::<Result<_, _>>()
            .map_err(|e| err(sqlx::Error::Decode(format!("stored spend is invalid: {e}").into())))?;
        // Newest day first, then by resource; the page is cut here (a customer's groups in one
        // cycle are few).
        out.sort_by(|a, b| b.day.cmp(&a.day).then_with(|| a.resource_id.cmp(&b.resource_id)));
        let page = out.into_iter().skip(q.offset as usize).take(q.limit as usize).collect();
        Ok((page, total))
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn usage_days(
        &self,
        customer: &AccountId,
        from: Cycle,
        through: Cycle,
        day_offset: Millis,
    ) -> Result<Vec<UsageDay>, StoreError> {
        let mut b = Builder::new("SELECT ((last_ended_at_ms + ");
        b.push_bind(day_offset.0).push(
            ") / 86400000) AS day, cycle, resource_id, service_type, resource_type, resource_spec, region, \
             usage_factor, usage_measure_id, partner_id, model, CAST(SUM(usage_e8) AS BIGINT) AS usage_e8, \
             CAST(SUM(amount_e8) AS BIGINT) AS amount_e8, MIN(first_ended_at_ms) AS first_ms, \
             MAX(last_ended_at_ms) AS last_ms FROM usage_hours WHERE customer_id = ",
        );
        b.push_bind(customer.as_str().to_owned()).push(" AND cycle >= ").push_bind(from.0);
        b.push(" AND cycle <= ").push_bind(through.0);
        b.push(
            " GROUP BY day, cycle, resource_id, service_type, resource_type, resource_spec, region, usage_factor, \
             usage_measure_id, partner_id, model ORDER BY day, resource_id, usage_factor, usage_measure_id, partner_id",
        );
        #[derive(sqlx::FromRow)]
        struct DayRow {
            day: i64,
            cycle: i64,
            resource_id: String,
            service_type: String,
            resource_type: String,
            resource_spec: String,
            region: String,
            usage_factor: String,
            usage_measure_id: i64,
            partner_id: String,
            model: String,
            usage_e8: i64,
            amount_e8: i64,
            first_ms: i64,
            last_ms: i64,
        }
        let rows: Vec<DayRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        let decode = |r: DayRow| -> Result<UsageDay, sqlx::Error> {
            Ok(UsageDay {
                day: r.day,
                cycle: Cycle(r.cycle),
                partner: crate::rows::rated_partner(&r.partner_id, &r.model)?,
                usage: opc_domain::rating::Quantity::from_e8(r.usage_e8)
                    .ok_or_else(|| decode_error("usage", r.usage_e8))?,
                usage_measure_id: i32::try_from(r.usage_measure_id).map_err(|e| decode_error("usage measure id", e))?,
                amount: crate::rows::money("usage amount", r.amount_e8)?,
                resource_id: r.resource_id,
                service_type: r.service_type,
                resource_type: r.resource_type,
                spec: r.resource_spec,
                region: r.region,
                usage_factor: r.usage_factor,
                first_ended_at: Timestamp::from_unix_ms(r.first_ms),
                last_ended_at: Timestamp::from_unix_ms(r.last_ms),
            })
        };
        rows.into_iter().map(decode).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn partner_reseller_spend(&self, partner: &PartnerId) -> Result<Money, StoreError> {
        let mut conn = self.db.acquire().await?;
        partner_spend(&mut conn, partner).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn quota_use(&self, partner: &PartnerId) -> Result<QuotaUse, StoreError> {
        let mut conn = self.db.begin().await?;
        let result = quota_use(&mut conn, partner).await;
        finish(conn, result).await
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn customer_totals(&self, customer: &AccountId, cycle: Option<Cycle>) -> Result<CustomerTotals, StoreError> {
        let mut conn = self.db.acquire().await?;
        customer_totals(&mut conn, customer, cycle).await
    }
}
