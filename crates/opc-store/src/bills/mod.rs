//! The bills aggregate: settlement terms, tax rates, bill runs, partner and customer bills, and
//! its part of the port.

pub(crate) mod rows;

use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::association::AssociationModel;
use opc_domain::audit::AuditEvent;
use opc_domain::bill::{
    ChargeKind, CustomerBill, Discount, PartnerBillLine, Rated, SettlementSchedule, SettlementTerms, TaxRate,
};
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, PartnerId, Timestamp};
use tracing::instrument;

use crate::audit::insert_audit;
use crate::bills::rows::{
    decode_lines, encode_lines, payer, payer_id, BillRunRow, PartnerBillRow, PARTNER_BILL_COLUMNS,
};
use crate::bulk::{insert_columns, Column};
use crate::codes::Code;
use crate::coupons::{write_coupons_in, write_holds_in};
use crate::db::{err, finish, page, query, query_as, query_scalar, Builder, Conn};
use crate::funds::{insert_entry, write_balance};
use crate::rows::{decode_error, money};
use crate::SqlStore;

mod fees;

const RUN_COLUMNS: &str = "cycle, phase, cursor, customers_done, partners_done, started_at_ms, finished_at_ms, \
     lease_owner, lease_until_ms";

fn stale() -> StoreError {
    StoreError::Conflict { constraint: Constraint::Stale(Row::BillRun) }
}

/// Moves the run to the step's phase and cursor, adding what it closed, if `owner` still holds
/// it; the step of a phase named `done` also ends the run and its lease.
async fn write_step(tx: &mut Conn, step: &RunStep) -> Result<(), StoreError> {
    let (customers, partners) = match step.phase {
        RunPhase::Customers => (step.closed, 0),
        RunPhase::Partners | RunPhase::Done => (0, step.closed),
    };
    let done = step.phase == RunPhase::Done;
    let written = query(
        "UPDATE bill_runs SET phase = $1, cursor = $2, customers_done = customers_done + $3, \
         partners_done = partners_done + $4, lease_until_ms = $5, finished_at_ms = $6 \
         WHERE cycle = $7 AND lease_owner = $8 AND phase <> 'done'",
    )
    .bind(step.phase.code())
    .bind(step.cursor.as_str())
    .bind(i64::try_from(customers).unwrap_or(i64::MAX))
    .bind(i64::try_from(partners).unwrap_or(i64::MAX))
    .bind(step.lease_until.unix_ms())
    .bind(done.then_some(step.at.unix_ms()))
    .bind(step.cycle.0)
    .bind(step.owner.as_str())
    .execute(&mut *tx)
    .await
    .map_err(err)?;
    if written.rows_affected() != 1 {
        return Err(stale());
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct RatedRow {
    customer_id: String,
    partner_id: String,
    model: String,
    service_type: String,
    mode: String,
    negative: bool,
    amount_e8: i64,
}

impl RatedRow {
    fn into_rated(self) -> Result<Rated, sqlx::Error> {
        let partner = match (self.partner_id.as_str(), self.model.as_str()) {
            ("", _) | (_, "") => None,
            (id, model) => Some((
                PartnerId::parse(id).map_err(|e| decode_error("partner id", e))?,
                <AssociationModel as Code>::from_code(model)?,
            )),
        };
        Ok(Rated {
            customer: AccountId::parse(&self.customer_id).map_err(|e| decode_error("customer id", e))?,
            partner,
            service_type: self.service_type,
            mode: Code::from_code(&self.mode)?,
            // A charge's negative sum is a refund (an unsubscription's).
            kind: if self.negative { ChargeKind::Refund } else { ChargeKind::Expenditure },
            official: money("rated amount", self.amount_e8)?,
        })
    }
}

/// A month's rated spend of the customers `which` selects (it adds its condition on the named
/// customer column), summed per customer, partner and model, service type and billing mode.
async fn rated_where(
    store: &SqlStore,
    cycle: Cycle,
    which: impl Fn(&mut Builder<'_>, &str),
) -> Result<Vec<Rated>, StoreError> {
    let mut b = Builder::new(
        "SELECT customer_id, partner_id, model, service_type, 'on_demand' AS mode, FALSE AS negative, \
         CAST(SUM(amount_e8) AS BIGINT) AS amount_e8 FROM usage_hours WHERE cycle = ",
    );
    b.push_bind(cycle.0);
    which(&mut b, "customer_id");
    b.push(
        " GROUP BY customer_id, partner_id, model, service_type \
         UNION ALL \
         SELECT c.customer_id, COALESCE(c.partner_id, '') AS partner_id, COALESCE(c.model, '') AS model, \
         o.service_type, 'period' AS mode, c.amount_e8 < 0 AS negative, CAST(SUM(c.amount_e8) AS BIGINT) AS amount_e8 \
         FROM order_charges c JOIN orders o ON o.id = c.order_id WHERE c.cycle = ",
    );
    b.push_bind(cycle.0);
    which(&mut b, "c.customer_id");
    b.push(" GROUP BY c.customer_id, c.partner_id, c.model, o.service_type, c.amount_e8 < 0");
    let rows: Vec<RatedRow> = b.build_query_as().fetch_all(&store.db).await.map_err(err)?;
    rows.into_iter().map(RatedRow::into_rated).collect::<Result<_, _>>().map_err(err)
}

#[derive(sqlx::FromRow)]
struct PartnerLineRow {
    customer_id: String,
    service_type: String,
    mode: String,
    kind: String,
    official_e8: i64,
    discount_e8: i64,
    due_e8: i64,
    coupon_e8: i64,
    test_coupon_e8: i64,
    coupon_uses: String,
}

#[derive(sqlx::FromRow)]
struct CustomerBillRow {
    customer_id: String,
    account_name: String,
    cycle: i64,
    payer_id: String,
    total_e8: i64,
    total_rounded_e8: i64,
    lines: String,
}

/// The bills as read, with the lines their rows keep.
fn records(rows: Vec<CustomerBillRow>) -> Result<Vec<CustomerBillRecord>, StoreError> {
    rows.into_iter()
        .map(|r| {
            Ok(CustomerBillRecord {
                customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
                account_name: r.account_name,
                cycle: Cycle(r.cycle),
                payer: payer(&r.payer_id)?,
                total: money("total", r.total_e8)?,
                total_rounded: money("total", r.total_rounded_e8)?,
                lines: decode_lines(&r.lines)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(err)
}

#[async_trait]
impl Bills for SqlStore {
    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn settlement_schedule(&self, partner: &PartnerId) -> Result<SettlementSchedule, StoreError> {
        let rows: Vec<(i64, String, i64)> = query_as(
            "SELECT from_cycle, service_type, discount_bp FROM settlement_terms WHERE partner_id = $1 \
             ORDER BY from_cycle, service_type",
        )
        .bind(partner.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        let mut schedule = SettlementSchedule::new();
        let mut current: Option<(i64, SettlementTerms)> = None;
        for (from, service_type, bp) in rows {
            let discount = u32::try_from(bp)
                .ok()
                .and_then(|bp| Discount::from_basis_points(bp).ok())
                .ok_or_else(|| err(decode_error("discount", bp)))?;
            if current.as_ref().is_some_and(|(c, _)| *c != from) {
                let (c, terms) = current.take().expect("checked");
                schedule.set(Cycle(c), terms);
            }
            let terms = &mut current.get_or_insert_with(|| (from, SettlementTerms::flat(Discount::ZERO))).1;
            if service_type.is_empty() {
                terms.default = discount;
            } else {
                terms.by_service_type.insert(service_type, discount);
            }
        }
        if let Some((c, terms)) = current {
            schedule.set(Cycle(c), terms);
        }
        Ok(schedule)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn set_settlement_terms(
        &self,
        partner: &PartnerId,
        from: Cycle,
        terms: &SettlementTerms,
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            query("DELETE FROM settlement_terms WHERE partner_id = $1 AND from_cycle = $2")
                .bind(partner.as_str())
                .bind(from.0)
                .execute(&mut tx)
                .await
                .map_err(err)?;
            let rows =
                std::iter::once(("", terms.default)).chain(terms.by_service_type.iter().map(|(s, d)| (s.as_str(), *d)));
            for (service_type, discount) in rows {
                query(
                    "INSERT INTO settlement_terms (partner_id, from_cycle, service_type, discount_bp, set_at_ms) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(partner.as_str())
                .bind(from.0)
                .bind(service_type)
                .bind(discount.basis_points())
                .bind(at.unix_ms())
                .execute(&mut tx)
                .await
                .map_err(err)?;
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(country = country))]
    async fn tax_rate(&self, country: &str) -> Result<TaxRate, StoreError> {
        let bp: Option<i64> = query_scalar("SELECT rate_bp FROM tax_rates WHERE country = $1")
            .bind(country)
            .fetch_optional(&self.db)
            .await
            .map_err(err)?;
        match bp {
            None => Ok(TaxRate::ZERO),
            Some(bp) => u32::try_from(bp)
                .ok()
                .and_then(|bp| TaxRate::from_basis_points(bp).ok())
                .ok_or_else(|| err(decode_error("tax rate", bp))),
        }
    }

    #[instrument(level = "debug", skip_all, fields(country = country))]
    async fn set_tax_rate(&self, country: &str, rate: TaxRate, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            query(
                "INSERT INTO tax_rates (country, rate_bp) VALUES ($1, $2) \
                 ON CONFLICT (country) DO UPDATE SET rate_bp = excluded.rate_bp",
            )
            .bind(country)
            .bind(rate.basis_points())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(cycle = cycle.0, owner = owner))]
    async fn claim_bill_run(
        &self,
        cycle: Cycle,
        owner: &str,
        now: Timestamp,
        until: Timestamp,
        take_over: bool,
    ) -> Result<Option<BillRun>, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            query(
                "INSERT INTO bill_runs (cycle, phase, cursor, customers_done, partners_done, started_at_ms) \
                 VALUES ($1, $2, '', 0, 0, $3) ON CONFLICT (cycle) DO NOTHING",
            )
            .bind(cycle.0)
            .bind(RunPhase::Customers.code())
            .bind(now.unix_ms())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            let claimed = query(
                "UPDATE bill_runs SET lease_owner = $1, lease_until_ms = $2 WHERE cycle = $3 AND phase <> $4 \
                 AND (lease_owner IS NULL OR lease_owner = $1 OR lease_until_ms < $5 OR $6)",
            )
            .bind(owner)
            .bind(until.unix_ms())
            .bind(cycle.0)
            .bind(RunPhase::Done.code())
            .bind(now.unix_ms())
            .bind(take_over)
            .execute(&mut tx)
            .await
            .map_err(err)?;
            if claimed.rows_affected() != 1 {
                return Ok(None);
            }
            let row = query_as::<BillRunRow>(&format!("SELECT {RUN_COLUMNS} FROM bill_runs WHERE cycle = $1"))
                .bind(cycle.0)
                .fetch_optional(&mut tx)
                .await
                .map_err(err)?;
            row.map(BillRun::try_from).transpose().map_err(err)
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(cycle = cycle.0))]
    async fn bill_run(&self, cycle: Cycle) -> Result<Option<BillRun>, StoreError> {
        let row = query_as::<BillRunRow>(&format!("SELECT {RUN_COLUMNS} FROM bill_runs WHERE cycle = $1"))
            .bind(cycle.0)
            .fetch_optional(&self.db)
            .await
            .map_err(err)?;
        row.map(BillRun::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all)]
    async fn bill_runs(&self, limit: u32) -> Result<Vec<BillRun>, StoreError> {
        let rows = query_as::<BillRunRow>(&format!("SELECT {RUN_COLUMNS} FROM bill_runs ORDER BY cycle DESC LIMIT $1"))
            .bind(limit)
            .fetch_all(&self.db)
            .await
            .map_err(err)?;
        rows.into_iter().map(BillRun::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(cycle = step.cycle.0))]
    async fn advance_bill_run(&self, step: &RunStep) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = write_step(&mut tx, step).await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(cycle = cycle.0))]
    async fn customers_to_bill(&self, cycle: Cycle, after: &str, limit: u32) -> Result<Vec<AccountId>, StoreError> {
        // A customer with spend in the cycle — usage or an order charge, as the same
        // transaction that stores it adds it to its running total — has its running total of
        // the cycle: one index entry per customer and period, where its rated rows are dozens.
        // ('customer;' is the first scope after every 'customer:' one.)
        let ids: Vec<String> = query_scalar(
            "SELECT substr(scope, 10) FROM spend_totals \
             WHERE scope > $2 AND scope < 'customer;' AND period = $1 ORDER BY scope LIMIT $3",
        )
        .bind(cycle.0)
        .bind(format!("customer:{after}"))
        .bind(limit)
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        ids.iter().map(|id| AccountId::parse(id).map_err(|e| err(decode_error("customer id", e)))).collect()
    }

    #[instrument(level = "debug", skip_all, fields(cycle = cycle.0, customers = customers.len()))]
    async fn rated(&self, cycle: Cycle, customers: &[AccountId]) -> Result<Vec<Rated>, StoreError> {
        if customers.is_empty() {
            return Ok(vec![]);
        }
        let which = |b: &mut Builder<'_>, column: &str| {
            b.push(format!(" AND {column} IN ("));
            let mut ids = b.separated(", ");
            for id in customers {
                ids.push_bind(id.as_str().to_owned());
            }
            b.push(")");
        };
        rated_where(self, cycle, which).await
    }

    #[instrument(level = "debug", skip_all, fields(cycle = cycle.0))]
    async fn rated_between(&self, cycle: Cycle, after: &str, through: &str) -> Result<Vec<Rated>, StoreError> {
        let which = |b: &mut Builder<'_>, column: &str| {
            b.push(format!(" AND {column} > ")).push_bind(after.to_owned());
            b.push(format!(" AND {column} <= ")).push_bind(through.to_owned());
        };
        rated_where(self, cycle, which).await
    }

    #[instrument(level = "debug", skip_all, fields(cycle = step.cycle.0, bills = bills.len()))]
    async fn write_customer_bills(&self, step: &RunStep, bills: &[CustomerBill]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_batch_write().await?;
        let result = async {
            write_step(&mut tx, step).await?;
            let lines: Vec<String> = bills.iter().map(|b| encode_lines(b.lines())).collect();
            let headers = [
                Column::Text(bills.iter().map(|b| b.customer().as_str()).collect()),
                Column::Int(bills.iter().map(|b| b.cycle().0).collect()),
                Column::Text(bills.iter().map(|b| payer_id(b.payer())).collect()),
                Column::Int(bills.iter().map(|b| b.total().e8()).collect()),
                Column::Int(bills.iter().map(|b| b.total_rounded().e8()).collect()),
                Column::Int(bills.iter().map(|_| step.at.unix_ms()).collect()),
                Column::Text(lines.iter().map(String::as_str).collect()),
            ];
            let names = ["customer_id", "cycle", "payer_id", "total_e8", "total_rounded_e8", "issued_at_ms", "lines"];
            insert_columns(&mut tx, "customer_bills", &names, &headers).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(cycle = cycle.0))]
    async fn partners_to_bill(&self, cycle: Cycle, after: &str, limit: u32) -> Result<Vec<PartnerId>, StoreError> {
        // The next payers after `after`, one index probe each (a loose index scan): a month has
        // many more customer bills than payers, and `DISTINCT` would read every bill's entry.
        let ids: Vec<String> = query_scalar(
            "WITH RECURSIVE payers(payer_id, n) AS ( \
               SELECT (SELECT MIN(payer_id) FROM customer_bills WHERE cycle = $1 AND payer_id > $2), 1 \
               UNION ALL \
               SELECT (SELECT MIN(b.payer_id) FROM customer_bills b WHERE b.cycle = $1 AND b.payer_id > p.payer_id), \
                      p.n + 1 \
               FROM payers p WHERE p.payer_id IS NOT NULL AND p.n < $3 \
             ) SELECT payer_id FROM payers WHERE payer_id IS NOT NULL ORDER BY payer_id",
        )
        .bind(cycle.0)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        ids.iter().map(|id| PartnerId::parse(id).map_err(|e| err(decode_error("partner id", e)))).collect()
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn customers_ever_of(&self, partner: &PartnerId) -> Result<Vec<AccountId>, StoreError> {
        let ids: Vec<String> =
            query_scalar("SELECT DISTINCT customer_id FROM associations WHERE partner_id = $1 ORDER BY customer_id")
                .bind(partner.as_str())
                .fetch_all(&self.db)
                .await
                .map_err(err)?;
        ids.iter().map(|id| AccountId::parse(id).map_err(|e| err(decode_error("customer id", e)))).collect()
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner, cycle = cycle.0))]
    async fn partner_rated(&self, partner: &PartnerId, cycle: Cycle) -> Result<Vec<Rated>, StoreError> {
        let rows: Vec<(String, String)> =
            query_as("SELECT customer_id, lines FROM customer_bills WHERE cycle = $1 AND payer_id = $2")
                .bind(cycle.0)
                .bind(partner.as_str())
                .fetch_all(&self.db)
                .await
                .map_err(err)?;
        let mut rated = Vec::new();
        for (customer, lines) in rows {
            let customer = AccountId::parse(&customer).map_err(|e| err(decode_error("customer id", e)))?;
            for l in decode_lines(&lines).map_err(err)? {
                rated.push(Rated {
                    customer: customer.clone(),
                    // The partner pays these lines: they are its reseller customers' (R-RCM-07).
                    partner: Some((partner.clone(), AssociationModel::Reseller)),
                    service_type: l.service_type,
                    mode: l.mode,
                    kind: l.kind,
                    official: l.official,
                });
            }
        }
        Ok(rated)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %w.bill.partner(), cycle = w.step.cycle.0))]
    async fn write_partner_bill(&self, w: &PartnerBillWrite<'_>) -> Result<(), StoreError> {
        let PartnerBillWrite { step, bill, billed_to, due_at, deduction, coupons, coupon_entries, holds } = *w;
        let mut tx = self.db.begin_batch_write().await?;
        let result = async {
            write_step(&mut tx, step).await?;
            let t = bill.totals();
            query(&format!(
                "INSERT INTO partner_bills ({PARTNER_BILL_COLUMNS}, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12, $13, $14, 0)"
            ))
            .bind(bill.partner().as_str())
            .bind(bill.cycle().0)
            .bind(billed_to.as_str())
            .bind(t.official.e8())
            .bind(t.discount.e8())
            .bind(t.consumption.e8())
            .bind(t.refunds.e8())
            .bind(t.adjustments.e8())
            .bind(t.amount_due.e8())
            .bind(t.tax.e8())
            .bind(due_at.unix_ms())
            .bind(step.at.unix_ms())
            .bind(t.coupons.e8())
            .bind(t.test_coupons.e8())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            let lines = bill.lines();
            let uses: Vec<String> = lines.iter().map(|l| rows::encode_coupon_uses(&l.coupon_uses)).collect();
            let columns = [
                Column::Text(lines.iter().map(|_| bill.partner().as_str()).collect()),
                Column::Int(lines.iter().map(|_| bill.cycle().0).collect()),
                Column::Text(lines.iter().map(|l| l.customer.as_str()).collect()),
                Column::Text(lines.iter().map(|l| l.service_type.as_str()).collect()),
                Column::Text(lines.iter().map(|l| l.mode.code()).collect()),
                Column::Text(lines.iter().map(|l| l.kind.code()).collect()),
                Column::Int(lines.iter().map(|l| l.official.e8()).collect()),
                Column::Int(lines.iter().map(|l| l.discount.e8()).collect()),
                Column::Int(lines.iter().map(|l| l.due.e8()).collect()),
                Column::Int(lines.iter().map(|l| l.coupon.e8()).collect()),
                Column::Int(lines.iter().map(|l| l.test_coupon.e8()).collect()),
                Column::Text(uses.iter().map(String::as_str).collect()),
            ];
            let names = [
                "partner_id",
                "cycle",
                "customer_id",
                "service_type",
                "mode",
                "kind",
                "official_e8",
                "discount_e8",
                "due_e8",
                "coupon_e8",
                "test_coupon_e8",
                "coupon_uses",
            ];
            insert_columns(&mut tx, "partner_bill_lines", &names, &columns).await.map_err(err)?;
            if let Some((balance, entry)) = deduction {
                write_balance(&mut tx, balance).await?;
                insert_entry(&mut tx, entry).await.map_err(err)?;
            }
            write_coupons_in(&mut tx, coupons, coupon_entries).await?;
            write_holds_in(&mut tx, holds).await?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner, cycle = cycle.0))]
    async fn partner_bill(&self, partner: &PartnerId, cycle: Cycle) -> Result<Option<PartnerBillRecord>, StoreError> {
        let row = query_as::<PartnerBillRow>(&format!(
            "SELECT {PARTNER_BILL_COLUMNS} FROM partner_bills WHERE partner_id = $1 AND cycle = $2"
        ))
        .bind(partner.as_str())
        .bind(cycle.0)
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(PartnerBillRecord::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner, cycle = cycle.0))]
    async fn partner_bill_lines(&self, partner: &PartnerId, cycle: Cycle) -> Result<Vec<PartnerBillLine>, StoreError> {
        let rows: Vec<PartnerLineRow> = query_as(
            "SELECT customer_id, service_type, mode, kind, official_e8, discount_e8, due_e8, coupon_e8, test_coupon_e8, \
             coupon_uses FROM partner_bill_lines \
             WHERE partner_id = $1 AND cycle = $2 ORDER BY customer_id, service_type, mode, kind",
        )
        .bind(partner.as_str())
        .bind(cycle.0)
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter()
            .map(|r| {
                Ok(PartnerBillLine {
                    customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
                    service_type: r.service_type,
                    mode: Code::from_code(&r.mode)?,
                    kind: Code::from_code(&r.kind)?,
                    official: money("official amount", r.official_e8)?,
                    discount: money("discount", r.discount_e8)?,
                    due: money("amount due", r.due_e8)?,
                    coupon: money("coupon", r.coupon_e8)?,
                    test_coupon: money("test coupon", r.test_coupon_e8)?,
                    coupon_uses: rows::decode_coupon_uses(&r.coupon_uses)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn partner_bills_of(&self, partner: &PartnerId) -> Result<Vec<PartnerBillRecord>, StoreError> {
        let rows = query_as::<PartnerBillRow>(&format!(
            "SELECT {PARTNER_BILL_COLUMNS} FROM partner_bills WHERE partner_id = $1 ORDER BY cycle DESC"
        ))
        .bind(partner.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(PartnerBillRecord::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all)]
    async fn unpaid_partner_bills(&self) -> Result<Vec<PartnerBillRecord>, StoreError> {
        let rows = query_as::<PartnerBillRow>(&format!(
            "SELECT {PARTNER_BILL_COLUMNS} FROM partner_bills WHERE paid_e8 < amount_due_e8 - coupons_e8 - test_coupons_e8 ORDER BY billed_to, cycle"
        ))
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(PartnerBillRecord::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %billed_to))]
    async fn bills_to(&self, billed_to: &PartnerId) -> Result<Vec<PartnerBillRecord>, StoreError> {
        let rows = query_as::<PartnerBillRow>(&format!(
            "SELECT {PARTNER_BILL_COLUMNS} FROM partner_bills WHERE billed_to = $1 ORDER BY cycle, partner_id"
        ))
        .bind(billed_to.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(PartnerBillRecord::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn customer_bills_of(&self, customer: &AccountId, limit: u32) -> Result<Vec<CustomerBillRecord>, StoreError> {
        let mut conn = self.db.begin().await?;
        let result = async {
            let rows: Vec<CustomerBillRow> = query_as(
                "SELECT b.customer_id, a.name AS account_name, b.cycle, b.payer_id, b.total_e8, b.total_rounded_e8, b.lines \
                 FROM customer_bills b JOIN accounts a ON a.id = b.customer_id \
                 WHERE b.customer_id = $1 ORDER BY b.cycle DESC, b.payer_id LIMIT $2",
            )
            .bind(customer.as_str())
            .bind(limit)
            .fetch_all(&mut conn)
            .await
            .map_err(err)?;
            records(rows)
        }
        .await;
        finish(conn, result).await
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn fee_records(&self, customer: &AccountId, q: &FeeQuery) -> Result<(Vec<FeeRecord>, u64), StoreError> {
        fees::fee_records(&self.db, customer, q).await
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer, cycle = cycle.0))]
    async fn customer_bills(&self, customer: &AccountId, cycle: Cycle) -> Result<Vec<CustomerBillRecord>, StoreError> {
        let mut conn = self.db.begin().await?;
        let result = async {
            let rows: Vec<CustomerBillRow> = query_as(
                "SELECT b.customer_id, a.name AS account_name, b.cycle, b.payer_id, b.total_e8, b.total_rounded_e8, b.lines \
                 FROM customer_bills b JOIN accounts a ON a.id = b.customer_id \
                 WHERE b.customer_id = $1 AND b.cycle = $2 ORDER BY b.payer_id",
            )
            .bind(customer.as_str())
            .bind(cycle.0)
            .fetch_all(&mut conn)
            .await
            .map_err(err)?;
            records(rows)
        }
        .await;
        finish(conn, result).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %payer, cycle = cycle.0))]
    async fn customer_bills_paid_by(
        &self,
        payer: &PartnerId,
        cycle: Cycle,
        q: &CustomerBillQuery,
    ) -> Result<(Vec<CustomerBillRecord>, u64), StoreError> {
        let filters = |b: &mut Builder<'_>| {
            b.push(" FROM customer_bills b JOIN accounts a ON a.id = b.customer_id WHERE b.cycle = ")
                .push_bind(cycle.0);
            b.push(" AND b.payer_id = ").push_bind(payer.as_str().to_owned());
            if let Some(c) = &q.customer {
                b.push(" AND b.customer_id = ").push_bind(c.as_str().to_owned());
            }
        };
        let mut conn = self.db.begin().await?;
        let result = async {
            let select =
                "SELECT b.customer_id, a.name AS account_name, b.cycle, b.payer_id, b.total_e8, b.total_rounded_e8, b.lines";
            let (rows, total): (Vec<CustomerBillRow>, u64) =
                page(&mut conn, select, filters, "ORDER BY b.customer_id", (q.offset, q.limit)).await?;
            Ok((records(rows)?, total))
        }
        .await;
        finish(conn, result).await
    }
}
