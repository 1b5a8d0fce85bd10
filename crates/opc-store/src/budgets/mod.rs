//! The budgets aggregate: its queries and its part of the port.

pub(crate) mod rows;

use crate::accounts::update_freeze;
use crate::audit::insert_audit;
use crate::budgets::rows::BudgetRecordRow;
use crate::budgets::rows::BudgetRow;
use crate::codes::Code;
use crate::db::{err, finish, page, query, query_as, Builder, Conn};
use crate::usage::{stored_spend, total};
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::account::Account;
use opc_domain::audit::AuditEvent;
use opc_domain::budget::{Budget, BudgetRecord};
use opc_domain::{AccountId, PartnerId};
use tracing::instrument;

pub(crate) async fn insert_budget_record(tx: &mut Conn, record: &BudgetRecord) -> Result<(), sqlx::Error> {
    let rec = BudgetRecordRow::from(record);
    query(
        "INSERT INTO budget_records (customer_id, partner_id, operation, budget_type, amount_e8, operator, \
         partner_corp_name, partner_account_name, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(rec.customer_id)
    .bind(rec.partner_id)
    .bind(rec.operation)
    .bind(rec.budget_type)
    .bind(rec.amount_e8)
    .bind(rec.operator)
    .bind(rec.partner_corp_name)
    .bind(rec.partner_account_name)
    .bind(rec.at_ms)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[async_trait]
impl Budgets for SqlStore {
    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn budget(&self, customer: &AccountId) -> Result<Option<Budget>, StoreError> {
        let row = query_as::<BudgetRow>(
            "SELECT customer_id, partner_id, budget_type, amount_e8, auto_freeze, set_at_ms, version \
             FROM budgets WHERE customer_id = $1",
        )
        .bind(customer.as_str())
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(Budget::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn budgets_of(&self, partner: &PartnerId, customers: &[AccountId]) -> Result<Vec<Budget>, StoreError> {
        if customers.is_empty() {
            return Ok(vec![]);
        }
        // The stored association codes this SQL names: customers::rows::association_state_code.
        let mut b = Builder::new(
            "SELECT b.customer_id, b.partner_id, b.budget_type, b.amount_e8, b.auto_freeze, b.set_at_ms, b.version \
             FROM budgets b JOIN associations a ON a.customer_id = b.customer_id AND a.state <> 'disassociated' \
             WHERE a.model = 'reseller' AND a.partner_id = ",
        );
        b.push_bind(partner.as_str()).push(" AND b.customer_id IN (");
        let mut ids = b.separated(", ");
        for id in customers {
            ids.push_bind(id.as_str());
        }
        b.push(") ORDER BY b.customer_id");
        let rows: Vec<BudgetRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        rows.into_iter().map(Budget::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %budget.customer()))]
    async fn set_budget(
        &self,
        budget: &Budget,
        expected_version: Option<i64>,
        baseline: BaselineRule<'_>,
        record: &BudgetRecord,
        account: Option<&Account>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let r = BudgetRow::from(budget);
            // The customer's spend in all, read in the write's transaction; the rule turns it
            // into the baseline, which is written as given.
            let spent_in_all = stored_spend(total(&mut tx, &format!("customer:{}", r.customer_id), 0).await?)?;
            let baseline_e8 = baseline(spent_in_all).e8();
            let written = match expected_version {
                None => query(
                    "INSERT INTO budgets (customer_id, partner_id, budget_type, amount_e8, auto_freeze, set_at_ms, version, \
                     baseline_e8) VALUES ($1, $2, $3, $4, $5, $6, 0, $7)",
                )
                .bind(r.customer_id.clone())
                .bind(r.partner_id)
                .bind(r.budget_type)
                .bind(r.amount_e8)
                .bind(r.auto_freeze)
                .bind(r.set_at_ms)
                .bind(baseline_e8)
                .execute(&mut tx)
                .await
                .map_err(err)?,
                Some(version) => query(
                    "UPDATE budgets SET partner_id = $1, budget_type = $2, amount_e8 = $3, auto_freeze = $4, set_at_ms = $5, \
                     baseline_e8 = $6, version = version + 1 WHERE customer_id = $7 AND version = $8",
                )
                .bind(r.partner_id)
                .bind(r.budget_type)
                .bind(r.amount_e8)
                .bind(r.auto_freeze)
                .bind(r.set_at_ms)
                .bind(baseline_e8)
                .bind(r.customer_id)
                .bind(version)
                .execute(&mut tx)
                .await
                .map_err(err)?,
            };
            if written.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Budget) });
            }
            insert_budget_record(&mut tx, record).await.map_err(err)?;
            if let Some(account) = account {
                update_freeze(&mut tx, account).await?;
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner, customer.id = %customer))]
    async fn budget_records(
        &self,
        partner: &PartnerId,
        customer: &AccountId,
        q: &BudgetRecordQuery,
    ) -> Result<(Vec<BudgetRecord>, u64), StoreError> {
        let filters = |b: &mut Builder<'_>| {
            b.push(" FROM budget_records WHERE partner_id = ").push_bind(partner.as_str().to_owned());
            b.push(" AND customer_id = ").push_bind(customer.as_str().to_owned());
            if let Some(op) = q.operation {
                b.push(" AND operation = ").push_bind(op.code());
            }
            if let Some(t) = q.budget_type {
                b.push(" AND budget_type = ").push_bind(t.code());
            }
        };
        let mut conn = self.db.begin().await?;
        let result = async {
            let select = "SELECT customer_id, partner_id, operation, budget_type, amount_e8, operator, \
                 partner_corp_name, partner_account_name, at_ms";
            let (rows, total): (Vec<BudgetRecordRow>, u64) =
                page(&mut conn, select, filters, "ORDER BY seq DESC", (q.offset, q.limit)).await?;
            let records = rows.into_iter().map(BudgetRecord::try_from).collect::<Result<_, _>>().map_err(err)?;
            Ok((records, total))
        }
        .await;
        finish(conn, result).await
    }
}
