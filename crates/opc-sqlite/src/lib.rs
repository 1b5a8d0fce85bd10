//! The SQLite implementation of [`Store`]: the embedded default backend.
//!
//! Invariant: each method is one transaction; the same story tests run here and on PostgreSQL.

mod bulk;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use opc_core::store::{
    Acceptance, AuditQuery, BudgetRecordQuery, CustomerQuery, CustomerView, Disassociation, IdentityKind, InfoRecord,
    NewCustomer, OnDemandQuery, OnDemandResource, OrderFilter, OrderScope, Proof, ResellerQuery, SealedAccessKey,
    Settlement, SpendState, SpendWindow, Spent, UsageQuery, UsageSummary,
};
use opc_core::{Store, StoreError};
use opc_domain::access_key::AccessKey;
use opc_domain::account::{Account, AccountName};
use opc_domain::association::{Association, AssociationModel};
use opc_domain::audit::AuditEvent;
use opc_domain::budget::{Budget, BudgetRecord};
use opc_domain::catalog::Catalog;
use opc_domain::console::{NewAccountLink, Session, SessionSubject, Staff};
use opc_domain::credential::Certificate;
use opc_domain::customer::{Email, VerificationCode};
use opc_domain::development::{DisassociationRequest, Invitation, InvitationToken, PreRegistration};
use opc_domain::goal::RevenueGoal;
use opc_domain::hcpn::HcpnApplication;
use opc_domain::notification::{Delivery, Notification};
use opc_domain::order::{Order, PurchaseBlock, RenewConfig, Resource, Term};
use opc_domain::organization::{Member, Role};
use opc_domain::partner::{Enrollment, Partner};
use opc_domain::path::PathMembership;
use opc_domain::personnel::Personnel;
use opc_domain::program::ProgramApplication;
use opc_domain::tenant::TenantInfo;
use opc_domain::text::CountryCode;
use opc_domain::tier::TierChange;
use opc_domain::usage::{Cycle, Expenditure};
use opc_domain::{AccessKeyId, AccountId, MemberId, Millis, Money, PartnerId, StaffId, Timestamp};
use opc_rows::codes::Code;
use opc_rows::orders::{OrderLineRow, OrderRow, ResourceRow};
use opc_rows::records::{
    decode_error, revoked_at_ms, AccessKeyRow, AccountRow, AssociationRow, AuditRow, BudgetRecordRow, BudgetRow,
    CertificateRow, DisassociationRow, EnrollmentRow, HcpnRow, InformationRow, InvitationRow, MemberRow,
    NewAccountLinkRow, NotificationRow, PartnerRow, PathRow, PersonnelRow, PreRegistrationRow, ProgramApplicationRow,
    ProofRow, RevenueGoalRow, RoleRow, SessionRow, StaffRow, TenantRow, TierChangeRow, UsageRow, VerificationCodeRow,
};
use opc_rows::HourRow;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool, Transaction};
use tokio::sync::OwnedMutexGuard;
use tracing::instrument;

/// Backend-independent names of the constraints a write can hit, by the `table.column` that
/// SQLite names in its error message.
const CONSTRAINTS: &[(&str, &str)] = &[
    ("accounts.name", "accounts.name"),
    ("accounts.id", "accounts.id"),
    ("partners.account_id", "partners.account_id"),
    ("partners.id", "partners.id"),
    ("associations.customer_id", "associations.current_customer"),
    ("access_keys.id", "access_keys.id"),
    ("audit_events.id", "audit_events.id"),
    ("staff.email", "staff.email"),
    ("dpp_invitations.account_id", "dpp_invitations.account_id"),
    ("partner_members.email", "partner_members.email"),
    ("person_certificates.number", "person_certificates.number"),
    ("FOREIGN KEY", "foreign_key"),
];

fn err(e: sqlx::Error) -> StoreError {
    opc_rows::store_error(e, CONSTRAINTS)
}

#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// Held by the one write transaction at a time that SQLite allows: writers of this
    /// process queue here and start as soon as the previous one ends, instead of polling the
    /// database's lock with growing sleeps (`busy_timeout`), which idles the machine between
    /// concurrent writers.
    writer: Arc<tokio::sync::Mutex<()>>,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite://path` or `sqlite::memory:`
    /// is refused by callers: a pool of in-memory connections would be several databases).
    pub async fn connect(url: &str) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(err)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await.map_err(err)?;
        Ok(SqliteStore { pool, writer: Arc::default() })
    }

    /// A write transaction, holding the write lock from the start (`BEGIN IMMEDIATE`), with
    /// this process's writer turn: keep the guard until the transaction ends.
    async fn begin_write(&self) -> Result<(OwnedMutexGuard<()>, Transaction<'static, Sqlite>), StoreError> {
        let turn = self.writer.clone().lock_owned().await;
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(err)?;
        Ok((turn, tx))
    }
}

async fn insert_audit(tx: &mut SqliteConnection, events: &[AuditEvent]) -> Result<(), sqlx::Error> {
    for event in events {
        let r = AuditRow::from(event);
        sqlx::query(
            "INSERT INTO audit_events (id, at_ms, actor_kind, actor_id, actor_key, partner_id, action, subject_kind, \
             subject_id, before_state, after_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(r.id)
        .bind(r.at_ms)
        .bind(r.actor_kind)
        .bind(r.actor_id)
        .bind(r.actor_key)
        .bind(r.partner_id)
        .bind(r.action)
        .bind(r.subject_kind)
        .bind(r.subject_id)
        .bind(r.before_state)
        .bind(r.after_state)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Uses up every verification code of the email (compared case-insensitively).
async fn delete_codes(tx: &mut SqliteConnection, email: &Email) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM verification_codes WHERE lower(email) = lower(?)")
        .bind(email.as_str())
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    Ok(())
}

async fn insert_account(tx: &mut SqliteConnection, account: &Account) -> Result<(), sqlx::Error> {
    let r = AccountRow::from(account);
    sqlx::query(
        "INSERT INTO accounts (id, name, display_name, email, phone, country, site, account_type, real_name_status, \
         enterprise_role, accounting_mode, master_has_independent_members, registered_at_ms, has_credit_card, \
         has_credit_account, arrears_e8, consumption_e8, cash_expenditure_e8, resources_in_use, reserved_instances, \
         freeze_scope, freeze_cause, frozen_at_ms, bd_preregistered, special_contract, professional_service_contract, \
         password_hash, marketing_opt_out, services_enabled_at_ms, version) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(r.id)
    .bind(r.name)
    .bind(r.display_name)
    .bind(r.email)
    .bind(r.phone)
    .bind(r.country)
    .bind(r.site)
    .bind(r.account_type)
    .bind(r.real_name_status)
    .bind(r.enterprise_role)
    .bind(r.accounting_mode)
    .bind(r.master_has_independent_members)
    .bind(r.registered_at_ms)
    .bind(r.has_credit_card)
    .bind(r.has_credit_account)
    .bind(r.arrears_e8)
    .bind(r.consumption_e8)
    .bind(r.cash_expenditure_e8)
    .bind(r.resources_in_use)
    .bind(r.reserved_instances)
    .bind(r.freeze_scope)
    .bind(r.freeze_cause)
    .bind(r.frozen_at_ms)
    .bind(r.bd_preregistered)
    .bind(r.special_contract)
    .bind(r.professional_service_contract)
    .bind(r.password_hash)
    .bind(r.marketing_opt_out)
    .bind(r.services_enabled_at_ms)
    .bind(r.version)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn insert_access_key(tx: &mut SqliteConnection, key: &SealedAccessKey) -> Result<(), sqlx::Error> {
    let r = AccessKeyRow::from(key);
    sqlx::query(
        "INSERT INTO access_keys \
         (id, partner_id, account_id, member_id, sealed_secret, created_at_ms, revoked_at_ms, version) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(r.id)
    .bind(r.partner_id)
    .bind(r.account_id)
    .bind(r.member_id)
    .bind(r.sealed_secret)
    .bind(r.created_at_ms)
    .bind(r.revoked_at_ms)
    .bind(r.version)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Commits if `result` is a success and rolls back at once otherwise, so that no lock outlives
/// a failed write (a dropped transaction would only roll back when its connection is reused).
async fn finish<T>(tx: Transaction<'_, Sqlite>, result: Result<T, StoreError>) -> Result<T, StoreError> {
    match result {
        Ok(value) => {
            tx.commit().await.map_err(err)?;
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) = tx.rollback().await {
                tracing::warn!(error = %rollback, "Rollback failed");
            }
            Err(e)
        }
    }
}

fn spend_total(usage: i64, orders: i64) -> Result<Money, StoreError> {
    usage
        .checked_add(orders)
        .ok_or_else(|| "the sum overflows".to_owned())
        .and_then(|t| Money::from_e8(t).map_err(|e| e.to_string()))
        .map_err(|e| err(sqlx::Error::Decode(format!("stored spend is invalid: {e}").into())))
}

/// A running total of `spend_totals`, 0 when nothing was spent.
async fn total(conn: &mut SqliteConnection, scope: &str, period: i64) -> Result<i64, StoreError> {
    let amount: Option<i64> = sqlx::query_scalar("SELECT amount_e8 FROM spend_totals WHERE scope = ? AND period = ?")
        .bind(scope)
        .bind(period)
        .fetch_optional(&mut *conn)
        .await
        .map_err(err)?;
    Ok(amount.unwrap_or(0))
}

/// The list-price spend of the partner's reseller customers: usage and orders (R-QUOTA-06).
async fn partner_spend(conn: &mut SqliteConnection, partner: &PartnerId) -> Result<Money, StoreError> {
    spend_total(total(conn, &format!("partner:{partner}"), 0).await?, 0)
}

/// The customer's list-price spend, usage and orders, in `window`.
async fn customer_spend(
    conn: &mut SqliteConnection,
    customer: &AccountId,
    window: SpendWindow,
) -> Result<Money, StoreError> {
    let scope = format!("customer:{customer}");
    match window {
        SpendWindow::Cycle(c) => spend_total(total(conn, &scope, c.0).await?, 0),
        SpendWindow::SinceBudgetSet => {
            let baseline: Option<i64> = sqlx::query_scalar("SELECT baseline_e8 FROM budgets WHERE customer_id = ?")
                .bind(customer.as_str())
                .fetch_optional(&mut *conn)
                .await
                .map_err(err)?;
            spend_total(total(conn, &scope, 0).await?, -baseline.unwrap_or(0))
        }
    }
}

/// Running-total changes, gathered per (customer, cycle, reseller partner) and written once.
/// Summed in 128 bits (no batch can overflow them), then held to the range of an amount.
#[derive(Default)]
struct Totals<'a> {
    amounts: HashMap<(&'a str, i64, Option<&'a str>), i128>,
}

/// The backend-independent name of the conflict of a sum that would pass [`Money::MAX`].
const SPEND_TOTAL_RANGE: &str = "spend_totals.amount_e8";
const HOUR_AMOUNT_RANGE: &str = "usage_hours.amount_e8";
const HOUR_USAGE_RANGE: &str = "usage_hours.usage_e8";

/// `sum` if it is within the range of an amount (issue 18: a sum beyond it is refused,
/// never wrapped nor, on SQLite, turned into a float), else the conflict `constraint`.
fn within_range(sum: i128, constraint: &'static str) -> Result<i64, StoreError> {
    i64::try_from(sum).ok().filter(|e8| Money::from_e8(*e8).is_ok()).ok_or(StoreError::Conflict { constraint })
}

impl<'a> Totals<'a> {
    /// `amount` spent by `customer` in `cycle`: it counts for the customer in the cycle and in
    /// all, and for its partner when it is a reseller customer.
    fn add(
        &mut self,
        customer: &'a AccountId,
        partner: Option<&'a (PartnerId, AssociationModel)>,
        cycle: Cycle,
        amount: i64,
    ) {
        let reseller = match partner {
            Some((p, AssociationModel::Reseller)) => Some(p.as_str()),
            _ => None,
        };
        *self.amounts.entry((customer.as_str(), cycle.0, reseller)).or_default() += i128::from(amount);
    }

    /// The `spend_totals` rows to add to, in key order (concurrent writers then lock rows in
    /// one order and never deadlock); a conflict if one would add more than an amount.
    fn rows(&self) -> Result<Vec<(String, i64, i64)>, StoreError> {
        let mut rows: BTreeMap<(String, i64), i128> = BTreeMap::new();
        for ((customer, cycle, partner), amount) in &self.amounts {
            *rows.entry((format!("customer:{customer}"), *cycle)).or_default() += amount;
            *rows.entry((format!("customer:{customer}"), 0)).or_default() += amount;
            if let Some(p) = partner {
                *rows.entry((format!("partner:{p}"), 0)).or_default() += amount;
            }
        }
        rows.into_iter()
            .map(|((scope, period), amount)| Ok((scope, period, within_range(amount, SPEND_TOTAL_RANGE)?)))
            .collect()
    }
}

/// Adds to running spend totals; a conflict, to roll back, if one would pass [`Money::MAX`].
async fn add_totals(conn: &mut SqliteConnection, rows: &[(String, i64, i64)]) -> Result<(), StoreError> {
    for total in bulk::add_totals(conn, rows).await.map_err(err)? {
        within_range(i128::from(total), SPEND_TOTAL_RANGE)?;
    }
    Ok(())
}

/// Adds the hour rows to `usage_hours`; a conflict, to roll back, if a row's usage or amount
/// would pass [`Money::MAX`].
async fn upsert_hours(conn: &mut SqliteConnection, hours: &bulk::Hours) -> Result<(), StoreError> {
    for (usage, amount) in bulk::upsert_hours(conn, hours).await.map_err(err)? {
        within_range(i128::from(usage), HOUR_USAGE_RANGE)?;
        within_range(i128::from(amount), HOUR_AMOUNT_RANGE)?;
    }
    Ok(())
}

/// An order's lines, in their order.
async fn order_lines(conn: &mut SqliteConnection, order: &str) -> Result<Vec<OrderLineRow>, StoreError> {
    sqlx::query_as::<_, OrderLineRow>(
        "SELECT id, order_id, position, resource_id, parent_resource, service_type, resource_type, resource_spec, \
         region, size, period_type, period_num, official_e8, consumed_e8, effective_at_ms, expire_at_ms, \
         base_order_id FROM order_lines WHERE order_id = ? ORDER BY position",
    )
    .bind(order)
    .fetch_all(&mut *conn)
    .await
    .map_err(err)
}

const ORDER_COLUMNS: &str = "id, customer_id, partner_id, model, order_type, status, source, user_name, service_type, \
     created_at_ms, pay_by_ms, paid_at_ms, version";

const RESOURCE_COLUMNS: &str = "id, customer_id, order_id, parent_id, service_type, resource_type, resource_spec, \
     region, size, period_type, closed, effective_at_ms, expire_at_ms, expire_policy, renew_period, renew_times, \
     updated_at_ms, version";

async fn insert_order_rows(conn: &mut SqliteConnection, order: &Order) -> Result<(), StoreError> {
    let o = OrderRow::new(order);
    sqlx::query(
        "INSERT INTO orders (id, customer_id, partner_id, model, order_type, status, source, user_name, service_type, \
         created_at_ms, pay_by_ms, paid_at_ms, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&o.id)
    .bind(&o.customer_id)
    .bind(&o.partner_id)
    .bind(&o.model)
    .bind(o.order_type)
    .bind(o.status)
    .bind(o.source)
    .bind(&o.user_name)
    .bind(&o.service_type)
    .bind(o.created_at_ms)
    .bind(o.pay_by_ms)
    .bind(o.paid_at_ms)
    .bind(o.version)
    .execute(&mut *conn)
    .await
    .map_err(err)?;
    for (i, line) in order.lines.iter().enumerate() {
        let l = OrderLineRow::new(order, i, line);
        sqlx::query(
            "INSERT INTO order_lines (id, order_id, position, resource_id, parent_resource, service_type, \
             resource_type, resource_spec, region, size, period_type, period_num, official_e8, consumed_e8, \
             effective_at_ms, expire_at_ms, base_order_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&l.id)
        .bind(&l.order_id)
        .bind(l.position)
        .bind(&l.resource_id)
        .bind(&l.parent_resource)
        .bind(&l.service_type)
        .bind(&l.resource_type)
        .bind(&l.resource_spec)
        .bind(&l.region)
        .bind(l.size)
        .bind(l.period_type)
        .bind(l.period_num)
        .bind(l.official_e8)
        .bind(l.consumed_e8)
        .bind(l.effective_at_ms)
        .bind(l.expire_at_ms)
        .bind(&l.base_order_id)
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    }
    Ok(())
}

async fn insert_resource(conn: &mut SqliteConnection, resource: &Resource) -> Result<(), StoreError> {
    let r = ResourceRow::from(resource);
    sqlx::query(
        "INSERT INTO resources (id, customer_id, order_id, parent_id, service_type, resource_type, resource_spec, \
         region, size, period_type, closed, effective_at_ms, expire_at_ms, expire_policy, renew_period, renew_times, \
         updated_at_ms, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&r.id)
    .bind(&r.customer_id)
    .bind(&r.order_id)
    .bind(&r.parent_id)
    .bind(&r.service_type)
    .bind(&r.resource_type)
    .bind(&r.resource_spec)
    .bind(&r.region)
    .bind(r.size)
    .bind(r.period_type)
    .bind(r.closed)
    .bind(r.effective_at_ms)
    .bind(r.expire_at_ms)
    .bind(r.expire_policy)
    .bind(r.renew_period)
    .bind(r.renew_times)
    .bind(r.updated_at_ms)
    .bind(r.version)
    .execute(&mut *conn)
    .await
    .map_err(err)?;
    Ok(())
}

/// Updates a resource's changeable state if it is still at its version.
async fn update_resource(conn: &mut SqliteConnection, resource: &Resource) -> Result<(), StoreError> {
    let r = ResourceRow::from(resource);
    let updated = sqlx::query(
        "UPDATE resources SET period_type = ?, closed = ?, expire_at_ms = ?, expire_policy = ?, renew_period = ?, \
         renew_times = ?, updated_at_ms = ?, version = version + 1 WHERE id = ? AND version = ?",
    )
    .bind(r.period_type)
    .bind(r.closed)
    .bind(r.expire_at_ms)
    .bind(r.expire_policy)
    .bind(r.renew_period)
    .bind(r.renew_times)
    .bind(r.updated_at_ms)
    .bind(&r.id)
    .bind(r.version)
    .execute(&mut *conn)
    .await
    .map_err(err)?;
    if updated.rows_affected() != 1 {
        return Err(StoreError::Conflict { constraint: "resources.version" });
    }
    Ok(())
}

/// Writes a settlement in `conn`'s transaction; `Some(block)` if its check refused first.
async fn settle(conn: &mut SqliteConnection, s: &Settlement<'_>) -> Result<Option<PurchaseBlock>, StoreError> {
    if let Some((scope, check)) = s.check {
        // Lock the partner's and the customer's rows (PostgreSQL holds them to the commit;
        // SQLite's write lock is already held), then read the spend the check weighs.
        if let Some(partner) = &scope.partner {
            sqlx::query("UPDATE partners SET version = version WHERE id = ?")
                .bind(partner.as_str())
                .execute(&mut *conn)
                .await
                .map_err(err)?;
        }
        sqlx::query("UPDATE accounts SET version = version WHERE id = ?")
            .bind(scope.customer.as_str())
            .execute(&mut *conn)
            .await
            .map_err(err)?;
        let partner = match &scope.partner {
            Some(p) => partner_spend(conn, p).await?,
            None => Money::ZERO,
        };
        let customer = customer_spend(conn, &scope.customer, scope.window).await?;
        if let Err(block) = check(&Spent { customer, partner }) {
            return Ok(Some(block));
        }
    }
    match s.pending_version {
        None => insert_order_rows(conn, s.order).await?,
        Some(version) => {
            let o = OrderRow::new(s.order);
            let updated = sqlx::query(
                "UPDATE orders SET status = ?, paid_at_ms = ?, version = version + 1 \
                 WHERE id = ? AND version = ? AND status = 6",
            )
            .bind(o.status)
            .bind(o.paid_at_ms)
            .bind(&o.id)
            .bind(version)
            .execute(&mut *conn)
            .await
            .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: "orders.version" });
            }
            for (i, line) in s.order.lines.iter().enumerate() {
                let l = OrderLineRow::new(s.order, i, line);
                sqlx::query("UPDATE order_lines SET effective_at_ms = ?, expire_at_ms = ? WHERE id = ?")
                    .bind(l.effective_at_ms)
                    .bind(l.expire_at_ms)
                    .bind(&l.id)
                    .execute(&mut *conn)
                    .await
                    .map_err(err)?;
            }
        }
    }
    for r in s.new_resources {
        insert_resource(conn, r).await?;
    }
    for r in s.changed_resources {
        update_resource(conn, r).await?;
    }
    let mut totals = Totals::default();
    for c in s.charges {
        totals.add(&c.customer, c.partner.as_ref(), c.cycle, c.amount.e8());
        sqlx::query(
            "INSERT INTO order_charges (id, order_id, customer_id, partner_id, model, amount_e8, cycle, charged_at_ms) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&c.id)
        .bind(&c.order_id)
        .bind(c.customer.as_str())
        .bind(c.partner.as_ref().map(|(p, _)| p.as_str()))
        .bind(c.partner.as_ref().map(|(_, m)| m.code()))
        .bind(c.amount.e8())
        .bind(c.cycle.0)
        .bind(c.at.unix_ms())
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    }
    add_totals(conn, &totals.rows()?).await?;
    insert_audit(conn, s.audit).await.map_err(err)?;
    Ok(None)
}

/// Where a usage record is added up: customer, cycle, hour, resource, usage factor and unit.
type UsageHourKey<'a> = (&'a str, i64, i64, &'a str, &'a str, i32);

/// What the records of one resource and hour add up to, and the latest record (its product and
/// partner are the row's).
struct UsageHourSum<'a> {
    usage: i128,
    amount: i128,
    records: i64,
    first: i64,
    last: i64,
    latest: &'a Expenditure,
}

/// A budget with the spend it is compared with.
#[derive(sqlx::FromRow)]
struct BudgetUseRow {
    #[sqlx(flatten)]
    budget: BudgetRow,
    used_e8: i64,
}

/// A batch's new records, added up per resource and hour and ready to write, and the running
/// spend totals they add to.
struct UsageSums {
    hours: bulk::Hours,
    totals: Vec<(String, i64, i64)>,
}

/// Adds up the records of `expenditures` whose id is not in `stored`.
fn usage_sums(expenditures: &[Expenditure], stored: &HashSet<String>) -> Result<UsageSums, StoreError> {
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
        totals.add(&r.customer, e.partner.as_ref(), e.cycle, e.amount.e8());
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
    Ok(UsageSums { hours: bulk::Hours::of(&rows).map_err(err)?, totals: totals.rows()? })
}

/// Inserts a partner and its enrollments.
async fn insert_partner_row(tx: &mut SqliteConnection, partner: &Partner) -> Result<(), sqlx::Error> {
    let (p, enrollments) = PartnerRow::from_domain(partner);
    sqlx::query(
        "INSERT INTO partners (id, account_id, name, country, distributor_id, state, consumption_quota_e8, \
         created_at_ms, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(p.id)
    .bind(p.account_id)
    .bind(p.name)
    .bind(p.country)
    .bind(p.distributor_id)
    .bind(p.state)
    .bind(p.consumption_quota_e8)
    .bind(p.created_at_ms)
    .bind(p.version)
    .execute(&mut *tx)
    .await?;
    for e in enrollments {
        sqlx::query("INSERT INTO partner_enrollments (partner_id, program, tier, enrolled_at_ms) VALUES (?, ?, ?, ?)")
            .bind(e.partner_id)
            .bind(e.program)
            .bind(e.tier)
            .bind(e.enrolled_at_ms)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Inserts an association; `authorized_at` records the Customer Authorization Letter.
async fn insert_association(
    tx: &mut SqliteConnection,
    association: &Association,
    authorized_at: Option<Timestamp>,
) -> Result<(), sqlx::Error> {
    let r = AssociationRow::from(association);
    sqlx::query(
        "INSERT INTO associations (customer_id, partner_id, model, associated_at_ms, state, disassociated_at_ms, \
         label, xaccount_id, xaccount_type, version, authorized_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(r.customer_id)
    .bind(r.partner_id)
    .bind(r.model)
    .bind(r.associated_at_ms)
    .bind(r.state)
    .bind(r.disassociated_at_ms)
    .bind(r.label)
    .bind(r.xaccount_id)
    .bind(r.xaccount_type)
    .bind(r.version)
    .bind(authorized_at.map(Timestamp::unix_ms))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn insert_budget_record(tx: &mut SqliteConnection, record: &BudgetRecord) -> Result<(), sqlx::Error> {
    let rec = BudgetRecordRow::from(record);
    sqlx::query(
        "INSERT INTO budget_records (customer_id, partner_id, operation, budget_type, amount_e8, operator, \
         partner_corp_name, partner_account_name, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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

async fn insert_notifications(tx: &mut SqliteConnection, notifications: &[Notification]) -> Result<(), sqlx::Error> {
    for n in notifications {
        let r = NotificationRow::from(n);
        sqlx::query(
            "INSERT INTO notifications (id, channel, recipient, subject, body, created_at_ms, state, attempts) \
             VALUES (?, ?, ?, ?, ?, ?, 'pending', 0)",
        )
        .bind(r.id)
        .bind(r.channel)
        .bind(r.recipient)
        .bind(r.subject)
        .bind(r.body)
        .bind(r.created_at_ms)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Writes an account's freeze if its version still matches.
async fn update_freeze(tx: &mut SqliteConnection, account: &Account) -> Result<(), StoreError> {
    let r = AccountRow::from(account);
    let updated = sqlx::query(
        "UPDATE accounts SET freeze_scope = ?, freeze_cause = ?, frozen_at_ms = ?, version = version + 1 \
         WHERE id = ? AND version = ?",
    )
    .bind(r.freeze_scope)
    .bind(r.freeze_cause)
    .bind(r.frozen_at_ms)
    .bind(r.id)
    .bind(r.version)
    .execute(&mut *tx)
    .await
    .map_err(err)?;
    if updated.rows_affected() != 1 {
        return Err(StoreError::Conflict { constraint: "accounts.version" });
    }
    Ok(())
}

async fn load_partner(conn: &mut SqliteConnection, id: &str) -> Result<Option<Partner>, sqlx::Error> {
    let Some(row) = sqlx::query_as::<_, PartnerRow>(
        "SELECT id, account_id, name, country, distributor_id, state, consumption_quota_e8, created_at_ms, version \
         FROM partners WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let enrollments = sqlx::query_as::<_, EnrollmentRow>(
        "SELECT partner_id, program, tier, enrolled_at_ms FROM partner_enrollments WHERE partner_id = ? \
         ORDER BY enrolled_at_ms, program",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    row.into_domain(enrollments).map(Some)
}

const MEMBER_COLUMNS: &str =
    "id, partner_id, name, email, password_hash, role_id, position, director_id, created_at_ms, version";

const INFORMATION_COLUMNS: &str = "partner_id, kind, company_name, registration_number, settlement_currency, \
    questionnaire_completed, bank_name, bank_country, account_name, account_number, swift_code, tax_rate_bp, state, \
    rejection_reason, submitted_at_ms, decided_at_ms, version";

const HCPN_COLUMNS: &str = "applicant_id, company_name, business_country, address, website, contact_name, \
    contact_email, contact_phone, has_sensitive_relationship, sensitive_description, agreement_accepted_at_ms, state, \
    review_reasons, rejection_reason, submitted_at_ms, decided_at_ms, version";

const PROGRAM_APPLICATION_COLUMNS: &str =
    "applicant_id, program, business_area, state, rejection_reason, agreements, submitted_at_ms, decided_at_ms, version";

const ACCOUNT_COLUMNS: &str = "c.id, c.name, c.display_name, c.email, c.phone, c.country, c.site, c.account_type, \
    c.real_name_status, c.enterprise_role, c.accounting_mode, c.master_has_independent_members, c.registered_at_ms, \
    c.has_credit_card, c.has_credit_account, c.arrears_e8, c.consumption_e8, c.cash_expenditure_e8, \
    c.resources_in_use, c.reserved_instances, c.freeze_scope, c.freeze_cause, c.frozen_at_ms, c.bd_preregistered, \
    c.special_contract, c.professional_service_contract, c.password_hash, c.marketing_opt_out, c.services_enabled_at_ms, \
    c.version";

const ASSOCIATION_COLUMNS: &str = "a.customer_id, a.partner_id, a.model, a.associated_at_ms, a.state, \
    a.disassociated_at_ms, a.label, a.xaccount_id, a.xaccount_type, a.account_manager_id, \
    a.version AS association_version";

/// A row of the resellers query: the reseller's id and its account's columns.
#[derive(sqlx::FromRow)]
struct ResellerRow {
    reseller_id: String,
    #[sqlx(flatten)]
    account: AccountRow,
}

/// A row of the customers query: the account's columns and the association's.
#[derive(sqlx::FromRow)]
struct CustomerRow {
    #[sqlx(flatten)]
    account: AccountRow,
    customer_id: String,
    partner_id: String,
    model: String,
    associated_at_ms: i64,
    state: String,
    disassociated_at_ms: Option<i64>,
    label: Option<String>,
    xaccount_id: Option<String>,
    xaccount_type: Option<String>,
    account_manager_id: Option<String>,
    association_version: i64,
}

impl TryFrom<CustomerRow> for CustomerView {
    type Error = sqlx::Error;

    fn try_from(r: CustomerRow) -> Result<CustomerView, sqlx::Error> {
        let association = AssociationRow {
            account_manager_id: r.account_manager_id,
            customer_id: r.customer_id,
            partner_id: r.partner_id,
            model: r.model,
            associated_at_ms: r.associated_at_ms,
            state: r.state,
            disassociated_at_ms: r.disassociated_at_ms,
            label: r.label,
            xaccount_id: r.xaccount_id,
            xaccount_type: r.xaccount_type,
            version: r.association_version,
        };
        Ok(CustomerView { account: r.account.try_into()?, association: association.try_into()? })
    }
}

/// The `FROM … WHERE` of a partner's current customers. The accounts are joined only when a
/// filter reads them, so that counting and paging walk the `associations_partner_current`
/// index alone.
fn push_customer_filters<'a>(b: &mut QueryBuilder<'a, Sqlite>, partner: &'a PartnerId, q: &'a CustomerQuery) {
    let by_account = |t: &Option<String>| t.as_deref().is_some_and(|t| !t.is_empty());
    if by_account(&q.account_name) || by_account(&q.customer) {
        b.push(" FROM associations a JOIN accounts c ON c.id = a.customer_id");
    } else {
        b.push(" FROM associations a");
    }
    b.push(" WHERE a.state <> 'disassociated' AND a.partner_id = ");
    b.push_bind(partner.as_str());
    let like = |b: &mut QueryBuilder<'a, Sqlite>, column: &str, text: &Option<String>| {
        if let Some(text) = text.as_deref().filter(|t| !t.is_empty()) {
            b.push(format!(" AND lower({column}) LIKE "));
            b.push_bind(opc_rows::contains_pattern(text));
            b.push(" ESCAPE '\\'");
        }
    };
    like(b, "c.name", &q.account_name);
    like(b, "c.display_name", &q.customer);
    like(b, "a.label", &q.label);
    if let Some(model) = q.model {
        b.push(" AND a.model = ").push_bind(model.code());
    }
    if let Some(from) = q.associated_from {
        b.push(" AND a.associated_at_ms >= ").push_bind(from.unix_ms());
    }
    if let Some(to) = q.associated_to {
        b.push(" AND a.associated_at_ms <= ").push_bind(to.unix_ms());
    }
    if let Some(id) = &q.customer_id {
        b.push(" AND a.customer_id = ").push_bind(id.as_str());
    }
    if let Some(managers) = &q.account_managers {
        // An empty list sees nothing.
        b.push(" AND a.account_manager_id IN (NULL");
        for m in managers {
            b.push(", ").push_bind(m.as_str());
        }
        b.push(")");
    }
}

#[async_trait]
impl Store for SqliteStore {
    #[instrument(skip_all)]
    async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations").run(&self.pool).await.map_err(|e| StoreError::Unavailable(e.into()))
    }

    #[instrument(skip_all, fields(partner.id = %partner.id))]
    async fn insert_partner(
        &self,
        account: &Account,
        partner: &Partner,
        key: &SealedAccessKey,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            insert_account(&mut tx, account).await.map_err(err)?;
            insert_partner_row(&mut tx, partner).await.map_err(err)?;
            insert_access_key(&mut tx, key).await.map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(partner.id = %id))]
    async fn partner(&self, id: &PartnerId) -> Result<Option<Partner>, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(err)?;
        load_partner(&mut conn, id.as_str()).await.map_err(err)
    }

    async fn partners(&self, name: Option<&str>, offset: u32, limit: u32) -> Result<(Vec<Partner>, u64), StoreError> {
        let pattern = opc_rows::contains_pattern(name.unwrap_or(""));
        let mut conn = self.pool.acquire().await.map_err(err)?;
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM partners WHERE lower(name) LIKE ? ESCAPE '\\'")
            .bind(&pattern)
            .fetch_one(&mut *conn)
            .await
            .map_err(err)?;
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM partners WHERE lower(name) LIKE ? ESCAPE '\\' ORDER BY created_at_ms DESC, id LIMIT ? OFFSET ?",
        )
        .bind(&pattern)
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(&mut *conn)
        .await
        .map_err(err)?;
        let mut partners = Vec::with_capacity(ids.len());
        for id in ids {
            partners.extend(load_partner(&mut conn, &id).await.map_err(err)?);
        }
        Ok((partners, u64::try_from(count).unwrap_or(0)))
    }

    #[instrument(skip_all, fields(partner.id = %partner.id))]
    async fn update_partner(&self, partner: &Partner, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let (p, _) = PartnerRow::from_domain(partner);
            let updated = sqlx::query(
                "UPDATE partners SET state = ?, consumption_quota_e8 = ?, version = version + 1 WHERE id = ? AND version = ?",
            )
            .bind(p.state)
            .bind(p.consumption_quota_e8)
            .bind(p.id)
            .bind(p.version)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: "partners.version" });
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
                    Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(partner.id = %distributor))]
    async fn resellers_of(
        &self,
        distributor: &PartnerId,
        q: &ResellerQuery,
    ) -> Result<(Vec<(Partner, Account)>, u64), StoreError> {
        let filters = |b: &mut QueryBuilder<'_, Sqlite>| {
            b.push(" FROM partners p JOIN accounts c ON c.id = p.account_id WHERE p.distributor_id = ");
            b.push_bind(distributor.as_str().to_owned());
            if let Some(name) = q.account_name.as_deref().filter(|n| !n.is_empty()) {
                b.push(" AND lower(c.name) LIKE ").push_bind(opc_rows::contains_pattern(name)).push(" ESCAPE '\\'");
            }
            if let Some(from) = q.associated_from {
                b.push(" AND p.created_at_ms >= ").push_bind(from.unix_ms());
            }
            if let Some(to) = q.associated_to {
                b.push(" AND p.created_at_ms <= ").push_bind(to.unix_ms());
            }
            if let Some(id) = &q.reseller {
                b.push(" AND p.id = ").push_bind(id.as_str().to_owned());
            }
        };
        let mut conn = self.pool.begin().await.map_err(err)?;
        let result = async {
            let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*)");
            filters(&mut count);
            let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await.map_err(err)?;
            let mut page = QueryBuilder::<Sqlite>::new(format!("SELECT p.id AS reseller_id, {ACCOUNT_COLUMNS}"));
            filters(&mut page);
            page.push(" ORDER BY p.created_at_ms, p.id LIMIT ")
                .push_bind(i64::from(q.limit))
                .push(" OFFSET ")
                .push_bind(i64::from(q.offset));
            let rows: Vec<ResellerRow> = page.build_query_as().fetch_all(&mut *conn).await.map_err(err)?;
            let mut found = Vec::with_capacity(rows.len());
            for row in rows {
                let partner = load_partner(&mut conn, &row.reseller_id).await.map_err(err)?;
                let partner = partner.ok_or(StoreError::NotFound)?;
                found.push((partner, Account::try_from(row.account).map_err(err)?));
            }
            Ok((found, u64::try_from(total).unwrap_or(0)))
        }
        .await;
        finish(conn, result).await
    }

    #[instrument(skip_all)]
    async fn account_by_email(&self, email: &Email) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query_as::<_, AccountRow>(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts c WHERE lower(c.email) = lower(?) ORDER BY c.registered_at_ms LIMIT 1"
        ))
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(Account::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all, fields(account.id = %account))]
    async fn partner_of_account(&self, account: &AccountId) -> Result<Option<Partner>, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(err)?;
        let id: Option<String> = sqlx::query_scalar("SELECT id FROM partners WHERE account_id = ?")
            .bind(account.as_str())
            .fetch_optional(&mut *conn)
            .await
            .map_err(err)?;
        match id {
            Some(id) => load_partner(&mut conn, &id).await.map_err(err),
            None => Ok(None),
        }
    }

    #[instrument(skip_all, fields(account.id = %account.id))]
    async fn register_account(
        &self,
        account: &Account,
        consumes_codes_of: &Email,
        uses_link: Option<(&str, Timestamp)>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            if let Some((token_sha256, now)) = uses_link {
                let used = sqlx::query(
                    "UPDATE new_account_links SET used_at_ms = ? \
                     WHERE token_sha256 = ? AND used_at_ms IS NULL AND expires_at_ms > ?",
                )
                .bind(now.unix_ms())
                .bind(token_sha256)
                .bind(now.unix_ms())
                .execute(&mut *tx)
                .await
                .map_err(err)?;
                if used.rows_affected() != 1 {
                    return Err(StoreError::Conflict { constraint: "new_account_links.used" });
                }
            }
            insert_account(&mut tx, account).await.map_err(err)?;
            delete_codes(&mut tx, consumes_codes_of).await?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(account.id = %link.from_account))]
    async fn insert_new_account_link(
        &self,
        link: &NewAccountLink,
        consumes_codes_of: &Email,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            sqlx::query(
                "INSERT INTO new_account_links \
                 (token_sha256, from_account, from_email, created_at_ms, expires_at_ms, used_at_ms) \
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(&link.token_sha256)
            .bind(link.from_account.as_str())
            .bind(link.from_email.as_str())
            .bind(link.created_at.unix_ms())
            .bind(link.expires_at.unix_ms())
            .bind(link.used_at.map(Timestamp::unix_ms))
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            delete_codes(&mut tx, consumes_codes_of).await?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(partner.id = %goal.partner))]
    async fn set_revenue_goal(&self, goal: &RevenueGoal, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            sqlx::query(
                "INSERT INTO revenue_goals (partner_id, year, amount_e8, set_at_ms) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (partner_id, year) DO UPDATE SET amount_e8 = excluded.amount_e8, \
                 set_at_ms = excluded.set_at_ms",
            )
            .bind(goal.partner.as_str())
            .bind(i64::from(goal.year))
            .bind(goal.amount.e8())
            .bind(goal.set_at.unix_ms())
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn revenue_goals(&self, partner: &PartnerId) -> Result<Vec<RevenueGoal>, StoreError> {
        let rows = sqlx::query_as::<_, RevenueGoalRow>(
            "SELECT partner_id, year, amount_e8, set_at_ms FROM revenue_goals WHERE partner_id = ? ORDER BY year DESC",
        )
        .bind(partner.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(RevenueGoal::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(account.id = %account))]
    async fn company_paths(&self, account: &AccountId) -> Result<Vec<PathMembership>, StoreError> {
        let rows = sqlx::query_as::<_, PathRow>(
            "SELECT account_id, partner_id, path, stage, joined_at_ms, stage_since_ms, version \
             FROM development_paths WHERE account_id = ? OR account_id IN (\
               SELECT h.applicant_id FROM hcpn_applications h WHERE h.company_key <> '' AND h.company_key = \
               (SELECT company_key FROM hcpn_applications WHERE applicant_id = ?)) \
             ORDER BY joined_at_ms, account_id",
        )
        .bind(account.as_str())
        .bind(account.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(PathMembership::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(account.id = %membership.account))]
    async fn save_path(
        &self,
        membership: &PathMembership,
        expected_version: Option<i64>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let query = match expected_version {
                None => sqlx::query(
                    "INSERT INTO development_paths \
                     (partner_id, path, stage, joined_at_ms, stage_since_ms, account_id, version) \
                     VALUES (?, ?, ?, ?, ?, ?, 0)",
                ),
                Some(_) => sqlx::query(
                    "UPDATE development_paths SET partner_id = ?, path = ?, stage = ?, joined_at_ms = ?, \
                     stage_since_ms = ?, version = version + 1 WHERE account_id = ? AND version = ?",
                ),
            };
            let query = query
                .bind(membership.partner.as_str())
                .bind(membership.path.code())
                .bind(membership.stage.code())
                .bind(membership.joined_at.unix_ms())
                .bind(membership.stage_since.unix_ms())
                .bind(membership.account.as_str());
            let query = match expected_version {
                Some(version) => query.bind(version),
                None => query,
            };
            if query.execute(&mut *tx).await.map_err(err)?.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: "development_paths.version" });
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(account.id = %account))]
    async fn company_csp_areas(&self, account: &AccountId) -> Result<Vec<CountryCode>, StoreError> {
        let areas: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT a.business_area FROM program_applications a \
             JOIN hcpn_applications h ON h.applicant_id = a.applicant_id \
             WHERE a.program = 'csp' AND a.state IN ('submitted', 'approved') AND a.applicant_id <> ? \
             AND h.company_key <> '' AND h.company_key = \
             (SELECT company_key FROM hcpn_applications WHERE applicant_id = ?) ORDER BY a.business_area",
        )
        .bind(account.as_str())
        .bind(account.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        areas
            .iter()
            .map(|a| {
                CountryCode::parse(a)
                    .map_err(|e| err(sqlx::Error::Decode(format!("stored business area is invalid: {e}").into())))
            })
            .collect()
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn core_invited(&self, partner: &PartnerId) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM core_invitations WHERE partner_id = ?")
            .bind(partner.as_str())
            .fetch_one(&self.pool)
            .await
            .map_err(err)?;
        Ok(n > 0)
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn invite_to_core(
        &self,
        partner: &PartnerId,
        at: Timestamp,
        by: &str,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            sqlx::query("INSERT INTO core_invitations (partner_id, invited_at_ms, invited_by) VALUES (?, ?, ?)")
                .bind(partner.as_str())
                .bind(at.unix_ms())
                .bind(by)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(partner.id = %excluding))]
    async fn core_partners(
        &self,
        country: &CountryCode,
        entry_path: &str,
        excluding: &PartnerId,
    ) -> Result<u32, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT p.id) FROM partners p JOIN partner_enrollments e ON e.partner_id = p.id \
             WHERE p.country = ? AND p.id <> ? AND e.tier = 'core' AND ? = (\
               SELECT c.entry_path FROM tier_changes c WHERE c.partner_id = e.partner_id AND c.program = e.program \
               ORDER BY c.id DESC LIMIT 1)",
        )
        .bind(country.as_str())
        .bind(excluding.as_str())
        .bind(entry_path)
        .fetch_one(&self.pool)
        .await
        .map_err(err)?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    #[instrument(skip_all, fields(partner.id = %change.partner))]
    async fn change_tier(&self, change: &TierChange, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let updated =
                sqlx::query("UPDATE partner_enrollments SET tier = ? WHERE partner_id = ? AND program = ? AND tier = ?")
                    .bind(change.to.code())
                    .bind(change.partner.as_str())
                    .bind(change.program.code())
                    .bind(change.from.code())
                    .execute(&mut *tx)
                    .await
                    .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: "partner_enrollments.tier" });
            }
            sqlx::query(
                "INSERT INTO tier_changes (partner_id, program, from_tier, to_tier, entry_path, decided_at_ms, decided_by) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(change.partner.as_str())
            .bind(change.program.code())
            .bind(change.from.code())
            .bind(change.to.code())
            .bind(&change.entry_path)
            .bind(change.decided_at.unix_ms())
            .bind(&change.decided_by)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn tier_changes(&self, partner: &PartnerId) -> Result<Vec<TierChange>, StoreError> {
        let rows = sqlx::query_as::<_, TierChangeRow>(
            "SELECT partner_id, program, from_tier, to_tier, entry_path, decided_at_ms, decided_by \
             FROM tier_changes WHERE partner_id = ? ORDER BY id DESC",
        )
        .bind(partner.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(TierChange::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all)]
    async fn certificates_of(&self, accounts: &[AccountId]) -> Result<Vec<Certificate>, StoreError> {
        if accounts.is_empty() {
            return Ok(vec![]);
        }
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT number, account_id, kind, source, bound_at_ms FROM person_certificates WHERE account_id IN (",
        );
        let mut ids = query.separated(", ");
        for a in accounts {
            ids.push_bind(a.as_str());
        }
        query.push(") ORDER BY account_id, kind, number");
        let rows = query.build_query_as::<CertificateRow>().fetch_all(&self.pool).await.map_err(err)?;
        rows.into_iter().map(Certificate::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all)]
    async fn record_login_failure(
        &self,
        login: &str,
        at: Timestamp,
        forget_before: Timestamp,
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            sqlx::query("DELETE FROM login_failures WHERE login = ? AND at_ms < ?")
                .bind(login)
                .bind(forget_before.unix_ms())
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            sqlx::query("INSERT INTO login_failures (login, at_ms) VALUES (?, ?)")
                .bind(login)
                .bind(at.unix_ms())
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all)]
    async fn login_failures(&self, login: &str, since: Timestamp) -> Result<u32, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE login = ? AND at_ms >= ?")
            .bind(login)
            .bind(since.unix_ms())
            .fetch_one(&self.pool)
            .await
            .map_err(err)?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    #[instrument(skip_all)]
    async fn count_login_attempt(
        &self,
        login: &str,
        at: Timestamp,
        since: Timestamp,
        max: u32,
    ) -> Result<u32, StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            // The login's lock: PostgreSQL holds the upserted row to the commit.
            sqlx::query(
                "INSERT INTO login_attempt_locks (login) VALUES (?) \
                 ON CONFLICT (login) DO UPDATE SET login = excluded.login",
            )
            .bind(login)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            sqlx::query("DELETE FROM login_failures WHERE login = ? AND at_ms < ?")
                .bind(login)
                .bind(since.unix_ms())
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE login = ?")
                .bind(login)
                .fetch_one(&mut *tx)
                .await
                .map_err(err)?;
            let before = u32::try_from(n).unwrap_or(u32::MAX);
            if before < max {
                sqlx::query("INSERT INTO login_failures (login, at_ms) VALUES (?, ?)")
                    .bind(login)
                    .bind(at.unix_ms())
                    .execute(&mut *tx)
                    .await
                    .map_err(err)?;
            }
            Ok(before)
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all)]
    async fn clear_login_failures(&self, login: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE login = ?").bind(login).execute(&self.pool).await.map_err(err)?;
        Ok(())
    }

    #[instrument(skip_all)]
    async fn set_password(
        &self,
        subject: &SessionSubject,
        password_hash: &str,
        keep_session: Option<&str>,
        consumes_codes_of: Option<&Email>,
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let (update, id) = match subject {
                SessionSubject::Account(id) => (
                    sqlx::query("UPDATE accounts SET password_hash = ?, version = version + 1 WHERE id = ?"),
                    id.as_str(),
                ),
                SessionSubject::Member(id) => (
                    sqlx::query("UPDATE partner_members SET password_hash = ?, version = version + 1 WHERE id = ?"),
                    id.as_str(),
                ),
                SessionSubject::Staff(id) => {
                    (sqlx::query("UPDATE staff SET password_hash = ?, version = version + 1 WHERE id = ?"), id.as_str())
                }
            };
            if update.bind(password_hash).bind(id).execute(&mut *tx).await.map_err(err)?.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            let revoke = match subject {
                SessionSubject::Account(_) => sqlx::query(
                    "UPDATE sessions SET revoked_at_ms = ? WHERE account_id = ? AND revoked_at_ms IS NULL \
                     AND token_sha256 <> ?",
                ),
                SessionSubject::Member(_) => sqlx::query(
                    "UPDATE sessions SET revoked_at_ms = ? WHERE member_id = ? AND revoked_at_ms IS NULL \
                     AND token_sha256 <> ?",
                ),
                SessionSubject::Staff(_) => sqlx::query(
                    "UPDATE sessions SET revoked_at_ms = ? WHERE staff_id = ? AND revoked_at_ms IS NULL \
                     AND token_sha256 <> ?",
                ),
            };
            revoke.bind(at.unix_ms()).bind(id).bind(keep_session.unwrap_or("")).execute(&mut *tx).await.map_err(err)?;
            if let Some(email) = consumes_codes_of {
                delete_codes(&mut tx, email).await?;
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(account.id = %certificate.account))]
    async fn bind_certificate(&self, certificate: &Certificate, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            sqlx::query(
                "INSERT INTO person_certificates (number, account_id, kind, source, bound_at_ms) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&certificate.number)
            .bind(certificate.account.as_str())
            .bind(certificate.kind.code())
            .bind(certificate.source.code())
            .bind(certificate.bound_at.unix_ms())
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(account.id = %account))]
    async fn unbind_certificate(
        &self,
        account: &AccountId,
        number: &str,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let deleted = sqlx::query("DELETE FROM person_certificates WHERE number = ? AND account_id = ?")
                .bind(number)
                .bind(account.as_str())
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            if deleted.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all)]
    async fn import_catalog(
        &self,
        catalog: &Catalog,
        at: Timestamp,
        by: &str,
        audit: &[AuditEvent],
    ) -> Result<i64, StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let version: i64 = sqlx::query_scalar(
                "INSERT INTO catalog_versions (document, imported_at_ms, imported_by) VALUES (?, ?, ?) RETURNING version",
            )
            .bind(opc_rows::catalog::to_json(catalog))
            .bind(at.unix_ms())
            .bind(by)
            .fetch_one(&mut *tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(version)
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all)]
    async fn catalog(&self) -> Result<Option<(i64, Catalog)>, StoreError> {
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT version, document FROM catalog_versions ORDER BY version DESC LIMIT 1")
                .fetch_optional(&self.pool)
                .await
                .map_err(err)?;
        row.map(|(version, document)| {
            opc_rows::catalog::parse(&document).map(|c| (version, c)).map_err(|problems| {
                let list: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.at, p.problem)).collect();
                let text = format!("stored catalog version {version} is invalid: {}", list.join("; "));
                err(sqlx::Error::Decode(text.into()))
            })
        })
        .transpose()
    }

    #[instrument(skip_all, fields(records = expenditures.len()))]
    async fn ingest_usage(
        &self,
        expenditures: &[Expenditure],
        _at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(u64, u64), StoreError> {
        let mut ids: Vec<&str> = expenditures.iter().map(|e| e.record.id.as_str()).collect();
        // In order: concurrent batches then lock them in one order.
        ids.sort_unstable();
        // Added up and made ready to write before this writer's turn, as if every record were
        // new (the usual case): the turn only writes.
        let none = HashSet::new();
        let mut sums = usage_sums(expenditures, &none)?;
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let stored = bulk::record_ids(&mut tx, &ids).await.map_err(err)?;
            if stored.len() == ids.len() {
                return Ok((0, expenditures.len() as u64));
            }
            if !stored.is_empty() {
                sums = usage_sums(expenditures, &stored)?;
            }
            upsert_hours(&mut tx, &sums.hours).await?;
            add_totals(&mut tx, &sums.totals).await?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            let duplicates = stored.len() as u64;
            Ok((expenditures.len() as u64 - duplicates, duplicates))
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(customers = customers.len(), partners = partners.len()))]
    async fn spend_state(
        &self,
        customers: &[AccountId],
        partners: &[PartnerId],
        cycle: Cycle,
    ) -> Result<SpendState, StoreError> {
        let mut state = SpendState::default();
        for chunk in customers.chunks(5_000) {
            let mut b = QueryBuilder::<Sqlite>::new(
                "SELECT b.customer_id, b.partner_id, b.budget_type, b.amount_e8, b.auto_freeze, b.set_at_ms, b.version, \
                 CASE WHEN b.budget_type = 'package' THEN COALESCE(ta.amount_e8, 0) - b.baseline_e8 \
                 ELSE COALESCE(tc.amount_e8, 0) END AS used_e8 \
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
            let rows: Vec<BudgetUseRow> = b.build_query_as().fetch_all(&self.pool).await.map_err(err)?;
            for row in rows {
                let used = spend_total(row.used_e8, 0)?;
                state.budgets.push((Budget::try_from(row.budget).map_err(err)?, used));
            }
        }
        for chunk in partners.chunks(5_000) {
            let mut b = QueryBuilder::<Sqlite>::new(
                "SELECT p.id, p.consumption_quota_e8, COALESCE(t.amount_e8, 0) FROM partners p \
                 LEFT JOIN spend_totals t ON t.scope = 'partner:' || p.id AND t.period = 0 \
                 WHERE p.consumption_quota_e8 > 0 AND p.id IN (",
            );
            let mut ids = b.separated(", ");
            for id in chunk {
                ids.push_bind(id.as_str());
            }
            b.push(") ORDER BY p.id");
            let rows: Vec<(String, i64, i64)> = b.build_query_as().fetch_all(&self.pool).await.map_err(err)?;
            for (id, quota, used) in rows {
                let id = PartnerId::parse(&id).map_err(|e| err(decode_error("partner id", e)))?;
                state.quotas.push((id, spend_total(quota, 0)?, spend_total(used, 0)?));
            }
        }
        Ok(state)
    }

    #[instrument(skip_all, fields(subject = subject))]
    async fn notices_sent(&self, kind: &str, subject: &str, period: i64) -> Result<Vec<u32>, StoreError> {
        let thresholds: Vec<i64> = sqlx::query_scalar(
            "SELECT threshold FROM spend_notices WHERE kind = ? AND subject_id = ? AND period = ? \
             ORDER BY threshold",
        )
        .bind(kind)
        .bind(subject)
        .bind(period)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        thresholds.into_iter().map(|t| u32::try_from(t).map_err(|e| err(decode_error("notice threshold", e)))).collect()
    }

    #[instrument(skip_all, fields(subject = subject))]
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
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let done = sqlx::query(
                "INSERT INTO spend_notices (kind, subject_id, period, threshold, notified_at_ms) VALUES (?, ?, ?, ?, ?) \
                 ON CONFLICT (kind, subject_id, period, threshold) DO NOTHING",
            )
            .bind(kind)
            .bind(subject)
            .bind(period)
            .bind(i64::from(threshold))
            .bind(at.unix_ms())
            .execute(&mut *tx)
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

    #[instrument(skip_all, fields(customers = customers.len()))]
    async fn usage_owners(
        &self,
        customers: &[AccountId],
    ) -> Result<Vec<(AccountId, Option<(PartnerId, AssociationModel)>)>, StoreError> {
        let ids: Vec<&str> = customers.iter().map(AccountId::as_str).collect();
        let rows = bulk::owners(&self.pool, &ids).await.map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, partner, model) in rows {
            let id = AccountId::parse(&id).map_err(|e| err(decode_error("account id", e)))?;
            let owner = match (partner, model) {
                (Some(p), Some(m)) => Some((
                    PartnerId::parse(&p).map_err(|e| err(decode_error("partner id", e)))?,
                    AssociationModel::from_code(&m).map_err(err)?,
                )),
                _ => None,
            };
            out.push((id, owner));
        }
        Ok(out)
    }

    #[instrument(skip_all, fields(customer.id = %customer))]
    async fn usage_records_of(
        &self,
        customer: &AccountId,
        q: &UsageQuery,
    ) -> Result<(Vec<Expenditure>, u64), StoreError> {
        let filters = |b: &mut QueryBuilder<'_, Sqlite>| {
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
        let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*)");
        filters(&mut count);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await.map_err(err)?;
        // A record is a resource's usage in an hour; its id names the resource, factor, unit and hour.
        let mut page = QueryBuilder::<Sqlite>::new(
            "SELECT resource_id || ':' || usage_factor || ':' || CAST(usage_measure_id AS TEXT) || ':' || \
             CAST(hour_ms AS TEXT) AS id, customer_id, NULLIF(partner_id, '') AS partner_id, NULLIF(model, '') AS model, \
             resource_id, service_type, resource_type, resource_spec, region, usage_factor, usage_e8, usage_measure_id, \
             amount_e8, cycle, last_ended_at_ms AS ended_at_ms",
        );
        filters(&mut page);
        page.push(" ORDER BY hour_ms DESC, resource_id, usage_factor, usage_measure_id LIMIT ")
            .push_bind(i64::from(q.limit))
            .push(" OFFSET ")
            .push_bind(i64::from(q.offset));
        let rows: Vec<UsageRow> = page.build_query_as().fetch_all(&self.pool).await.map_err(err)?;
        let records = rows.into_iter().map(Expenditure::try_from).collect::<Result<_, _>>().map_err(err)?;
        Ok((records, u64::try_from(total).unwrap_or(0)))
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn notice_recipients(&self, partner: &PartnerId) -> Result<Option<Vec<Email>>, StoreError> {
        let row: Option<String> = sqlx::query_scalar("SELECT emails FROM notice_recipients WHERE partner_id = ?")
            .bind(partner.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?;
        row.map(|text| {
            text.lines()
                .map(|e| {
                    Email::parse(e)
                        .map_err(|e| err(sqlx::Error::Decode(format!("stored email is invalid: {e}").into())))
                })
                .collect()
        })
        .transpose()
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn set_notice_recipients(
        &self,
        partner: &PartnerId,
        emails: &[Email],
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let text: Vec<&str> = emails.iter().map(Email::as_str).collect();
            sqlx::query(
                "INSERT INTO notice_recipients (partner_id, emails, set_at_ms) VALUES (?, ?, ?) \
                 ON CONFLICT (partner_id) DO UPDATE SET emails = excluded.emails, set_at_ms = excluded.set_at_ms",
            )
            .bind(partner.as_str())
            .bind(text.join("\n"))
            .bind(at.unix_ms())
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(customer.id = %customer))]
    async fn usage_summaries_of(
        &self,
        customer: &AccountId,
        q: &UsageQuery,
        day_offset: Option<Millis>,
    ) -> Result<(Vec<UsageSummary>, u64), StoreError> {
        // The day in the billing zone, as whole days since the epoch; -1 when not grouping by day.
        let day = |b: &mut QueryBuilder<'_, Sqlite>| match day_offset {
            Some(offset) => {
                b.push("((last_ended_at_ms + ").push_bind(offset.0).push(") / 86400000)");
            }
            None => {
                b.push("CAST(-1 AS BIGINT)");
            }
        };
        let mut inner =
            QueryBuilder::<Sqlite>::new("SELECT resource_id, service_type, resource_type, resource_spec, region, ");
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
            inner.build_query_as().fetch_all(&self.pool).await.map_err(err)?;
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

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn partner_reseller_spend(&self, partner: &PartnerId) -> Result<Money, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(err)?;
        partner_spend(&mut conn, partner).await
    }

    #[instrument(skip_all, fields(customer.id = %customer))]
    async fn spend(&self, customer: &AccountId, window: SpendWindow) -> Result<Money, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(err)?;
        customer_spend(&mut conn, customer, window).await
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn personnel_of_partner(&self, partner: &PartnerId) -> Result<Vec<Personnel>, StoreError> {
        let rows = sqlx::query_as::<_, PersonnelRow>(
            "SELECT partner_id, account_id, token_sha256, state, state_at_ms, invited_at_ms, associated_at_ms, \
             position, employment, version FROM personnel WHERE partner_id = ? \
             ORDER BY invited_at_ms DESC, account_id",
        )
        .bind(partner.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(Personnel::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(account.id = %account))]
    async fn personnel_of_account(&self, account: &AccountId) -> Result<Vec<Personnel>, StoreError> {
        let rows = sqlx::query_as::<_, PersonnelRow>(
            "SELECT partner_id, account_id, token_sha256, state, state_at_ms, invited_at_ms, associated_at_ms, \
             position, employment, version FROM personnel WHERE account_id = ? \
             ORDER BY invited_at_ms DESC, partner_id",
        )
        .bind(account.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(Personnel::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all)]
    async fn personnel_by_token(&self, token_sha256: &str) -> Result<Option<Personnel>, StoreError> {
        let row = sqlx::query_as::<_, PersonnelRow>(
            "SELECT partner_id, account_id, token_sha256, state, state_at_ms, invited_at_ms, associated_at_ms, \
             position, employment, version FROM personnel WHERE token_sha256 = ?",
        )
        .bind(token_sha256)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(Personnel::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all, fields(partner.id = %personnel.partner, account.id = %personnel.account))]
    async fn save_personnel(
        &self,
        personnel: &Personnel,
        expected_version: Option<i64>,
        notifications: &[Notification],
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let r = PersonnelRow::from(personnel);
            let query = match expected_version {
                None => sqlx::query(
                    "INSERT INTO personnel (token_sha256, state, state_at_ms, invited_at_ms, associated_at_ms, \
                     position, employment, partner_id, account_id, version) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                ),
                Some(_) => sqlx::query(
                    "UPDATE personnel SET token_sha256 = ?, state = ?, state_at_ms = ?, invited_at_ms = ?, \
                     associated_at_ms = ?, position = ?, employment = ?, version = version + 1 \
                     WHERE partner_id = ? AND account_id = ? AND version = ?",
                ),
            };
            let query = query
                .bind(r.token_sha256)
                .bind(r.state)
                .bind(r.state_at_ms)
                .bind(r.invited_at_ms)
                .bind(r.associated_at_ms)
                .bind(r.position)
                .bind(r.employment)
                .bind(r.partner_id)
                .bind(r.account_id);
            let query = match expected_version {
                Some(version) => query.bind(version),
                None => query,
            };
            if query.execute(&mut *tx).await.map_err(err)?.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: "personnel.version" });
            }
            insert_notifications(&mut tx, notifications).await.map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all)]
    async fn new_account_link(&self, token_sha256: &str) -> Result<Option<NewAccountLink>, StoreError> {
        let row = sqlx::query_as::<_, NewAccountLinkRow>(
            "SELECT token_sha256, from_account, from_email, created_at_ms, expires_at_ms, used_at_ms \
             FROM new_account_links WHERE token_sha256 = ?",
        )
        .bind(token_sha256)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(NewAccountLink::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all, fields(staff.id = %staff.id))]
    async fn insert_staff(&self, staff: &Staff, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let r = StaffRow::from(staff);
            sqlx::query(
                "INSERT INTO staff (id, email, name, password_hash, created_at_ms, version) VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(r.id)
            .bind(r.email)
            .bind(r.name)
            .bind(r.password_hash)
            .bind(r.created_at_ms)
            .bind(r.version)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(staff.id = %id))]
    async fn staff(&self, id: &StaffId) -> Result<Option<Staff>, StoreError> {
        let row = sqlx::query_as::<_, StaffRow>(
            "SELECT id, email, name, password_hash, created_at_ms, version FROM staff WHERE id = ?",
        )
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(Staff::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all)]
    async fn staff_by_email(&self, email: &Email) -> Result<Option<Staff>, StoreError> {
        let row = sqlx::query_as::<_, StaffRow>(
            "SELECT id, email, name, password_hash, created_at_ms, version FROM staff WHERE lower(email) = lower(?)",
        )
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(Staff::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all, fields(account.id = %applicant))]
    async fn hcpn_application(&self, applicant: &AccountId) -> Result<Option<HcpnApplication>, StoreError> {
        let row = sqlx::query_as::<_, HcpnRow>(&format!(
            "SELECT {HCPN_COLUMNS} FROM hcpn_applications WHERE applicant_id = ?"
        ))
        .bind(applicant.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(HcpnApplication::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all, fields(account.id = %application.applicant))]
    async fn save_hcpn_application(
        &self,
        application: &HcpnApplication,
        expected_version: Option<i64>,
        new_partner: Option<&Partner>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let r = HcpnRow::from(application);
            let query = match expected_version {
                None => sqlx::query(
                    "INSERT INTO hcpn_applications (company_key, company_name, business_country, address, website, contact_name, \
                     contact_email, contact_phone, has_sensitive_relationship, sensitive_description, \
                     agreement_accepted_at_ms, state, review_reasons, rejection_reason, submitted_at_ms, decided_at_ms, \
                     applicant_id, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                ),
                Some(_) => sqlx::query(
                    "UPDATE hcpn_applications SET company_key = ?, company_name = ?, business_country = ?, address = ?, website = ?, \
                     contact_name = ?, contact_email = ?, contact_phone = ?, has_sensitive_relationship = ?, \
                     sensitive_description = ?, agreement_accepted_at_ms = ?, state = ?, review_reasons = ?, \
                     rejection_reason = ?, submitted_at_ms = ?, decided_at_ms = ?, version = version + 1 \
                     WHERE applicant_id = ? AND version = ?",
                ),
            };
            let query = query
                .bind(application.filing.business.company_key())
                .bind(r.company_name)
                .bind(r.business_country)
                .bind(r.address)
                .bind(r.website)
                .bind(r.contact_name)
                .bind(r.contact_email)
                .bind(r.contact_phone)
                .bind(r.has_sensitive_relationship)
                .bind(r.sensitive_description)
                .bind(r.agreement_accepted_at_ms)
                .bind(r.state)
                .bind(r.review_reasons)
                .bind(r.rejection_reason)
                .bind(r.submitted_at_ms)
                .bind(r.decided_at_ms)
                .bind(r.applicant_id);
            let query = match expected_version {
                Some(version) => query.bind(version),
                None => query,
            };
            if query.execute(&mut *tx).await.map_err(err)?.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: "hcpn_applications.version" });
            }
            if let Some(partner) = new_partner {
                insert_partner_row(&mut tx, partner).await.map_err(err)?;
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all)]
    async fn hcpn_applications(&self, state: &str, limit: u32) -> Result<Vec<HcpnApplication>, StoreError> {
        let rows = sqlx::query_as::<_, HcpnRow>(&format!(
            "SELECT {HCPN_COLUMNS} FROM hcpn_applications WHERE state = ? ORDER BY submitted_at_ms, applicant_id LIMIT ?"
        ))
        .bind(state)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(HcpnApplication::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(account.id = %applicant))]
    async fn program_applications_of(&self, applicant: &AccountId) -> Result<Vec<ProgramApplication>, StoreError> {
        let rows = sqlx::query_as::<_, ProgramApplicationRow>(&format!(
            "SELECT {PROGRAM_APPLICATION_COLUMNS} FROM program_applications WHERE applicant_id = ? ORDER BY submitted_at_ms, program"
        ))
        .bind(applicant.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(ProgramApplication::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(account.id = %application.applicant()))]
    async fn save_program_application(
        &self,
        application: &ProgramApplication,
        expected_version: Option<i64>,
        enrollment: Option<(&PartnerId, &Enrollment)>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let r = ProgramApplicationRow::from(application);
            let written = match expected_version {
                None => sqlx::query(
                    "INSERT INTO program_applications (applicant_id, program, business_area, state, rejection_reason, \
                     agreements, submitted_at_ms, decided_at_ms, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                )
                .bind(r.applicant_id)
                .bind(r.program)
                .bind(r.business_area)
                .bind(r.state)
                .bind(r.rejection_reason)
                .bind(r.agreements)
                .bind(r.submitted_at_ms)
                .bind(r.decided_at_ms)
                .execute(&mut *tx)
                .await
                .map_err(err)?,
                Some(version) => sqlx::query(
                    "UPDATE program_applications SET business_area = ?, state = ?, rejection_reason = ?, \
                     agreements = ?, submitted_at_ms = ?, decided_at_ms = ?, version = version + 1 \
                     WHERE applicant_id = ? AND program = ? AND version = ?",
                )
                .bind(r.business_area)
                .bind(r.state)
                .bind(r.rejection_reason)
                .bind(r.agreements)
                .bind(r.submitted_at_ms)
                .bind(r.decided_at_ms)
                .bind(r.applicant_id)
                .bind(r.program)
                .bind(version)
                .execute(&mut *tx)
                .await
                .map_err(err)?,
            };
            if written.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: "program_applications.version" });
            }
            if let Some((partner, e)) = enrollment {
                sqlx::query(
                    "INSERT INTO partner_enrollments (partner_id, program, tier, enrolled_at_ms) VALUES (?, ?, ?, ?)",
                )
                .bind(partner.as_str())
                .bind(e.program.code())
                .bind(e.tier.code())
                .bind(e.enrolled_at.unix_ms())
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all)]
    async fn program_applications(&self, state: &str, limit: u32) -> Result<Vec<ProgramApplication>, StoreError> {
        let rows = sqlx::query_as::<_, ProgramApplicationRow>(&format!(
            "SELECT {PROGRAM_APPLICATION_COLUMNS} FROM program_applications WHERE state = ? \
             ORDER BY submitted_at_ms, applicant_id, program LIMIT ?"
        ))
        .bind(state)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(ProgramApplication::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(account.id = %account))]
    async fn tenant_info(&self, account: &AccountId) -> Result<Option<TenantInfo>, StoreError> {
        let row = sqlx::query_as::<_, TenantRow>(
            "SELECT account_id, tenant_type, full_name, qualification_name, vat_registered, address_line1, address_line2, \
             city, region, postal_code, payment_currency, industry, tax_id, updated_at_ms \
             FROM tenant_information WHERE account_id = ?",
        )
        .bind(account.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(TenantInfo::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all, fields(account.id = %account.id))]
    async fn save_tenant_info(
        &self,
        account: &Account,
        info: &TenantInfo,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let at = audit.first().map_or(account.registered_at, |e| e.at);
            let r = TenantRow::from_domain(&account.id, info, at);
            sqlx::query(
                "INSERT INTO tenant_information (account_id, tenant_type, full_name, qualification_name, vat_registered, \
                 address_line1, address_line2, city, region, postal_code, payment_currency, industry, tax_id, \
                 updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (account_id) DO UPDATE SET tenant_type = excluded.tenant_type, \
                 full_name = excluded.full_name, qualification_name = excluded.qualification_name, \
                 vat_registered = excluded.vat_registered, address_line1 = excluded.address_line1, \
                 address_line2 = excluded.address_line2, city = excluded.city, region = excluded.region, \
                 postal_code = excluded.postal_code, payment_currency = excluded.payment_currency, \
                 industry = excluded.industry, tax_id = excluded.tax_id, updated_at_ms = excluded.updated_at_ms",
            )
            .bind(r.account_id)
            .bind(r.tenant_type.clone())
            .bind(r.full_name)
            .bind(r.qualification_name)
            .bind(r.vat_registered)
            .bind(r.address_line1)
            .bind(r.address_line2)
            .bind(r.city)
            .bind(r.region)
            .bind(r.postal_code)
            .bind(r.payment_currency)
            .bind(r.industry)
            .bind(r.tax_id)
            .bind(r.updated_at_ms)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            let updated = sqlx::query("UPDATE accounts SET account_type = ?, version = version + 1 WHERE id = ? AND version = ?")
                .bind(r.tenant_type)
                .bind(account.id.as_str())
                .bind(account.version)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: "accounts.version" });
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(account.id = %account))]
    async fn save_proof(&self, account: &AccountId, proof: &Proof, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            sqlx::query(
                "INSERT INTO qualification_proofs (account_id, file_name, content_type, content, uploaded_at_ms) \
                 VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET file_name = excluded.file_name, \
                 content_type = excluded.content_type, content = excluded.content, uploaded_at_ms = excluded.uploaded_at_ms",
            )
            .bind(account.as_str())
            .bind(&proof.file_name)
            .bind(&proof.content_type)
            .bind(&proof.content)
            .bind(proof.uploaded_at.unix_ms())
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(account.id = %account))]
    async fn proof(&self, account: &AccountId) -> Result<Option<Proof>, StoreError> {
        let row = sqlx::query_as::<_, ProofRow>(
            "SELECT file_name, content_type, content, uploaded_at_ms FROM qualification_proofs WHERE account_id = ?",
        )
        .bind(account.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        Ok(row.map(|r| Proof {
            file_name: r.file_name,
            content_type: r.content_type,
            content: r.content,
            uploaded_at: Timestamp::from_unix_ms(r.uploaded_at_ms),
        }))
    }

    #[instrument(skip_all)]
    async fn pre_registrations_for(&self, email: &Email) -> Result<Vec<PreRegistration>, StoreError> {
        let rows = sqlx::query_as::<_, PreRegistrationRow>(
            "SELECT partner_id, email, created_at_ms, expires_at_ms, associated_at_ms, version FROM pre_registrations \
             WHERE lower(email) = lower(?) ORDER BY created_at_ms",
        )
        .bind(email.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(PreRegistration::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn pre_registrations_of(&self, partner: &PartnerId) -> Result<Vec<PreRegistration>, StoreError> {
        let rows = sqlx::query_as::<_, PreRegistrationRow>(
            "SELECT partner_id, email, created_at_ms, expires_at_ms, associated_at_ms, version FROM pre_registrations \
             WHERE partner_id = ? ORDER BY created_at_ms DESC LIMIT 1000",
        )
        .bind(partner.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(PreRegistration::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(partner.id = %pre_registration.partner))]
    async fn insert_pre_registration(
        &self,
        pre_registration: &PreRegistration,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let r = PreRegistrationRow::from(pre_registration);
            sqlx::query(
                "INSERT INTO pre_registrations (partner_id, email, created_at_ms, expires_at_ms, associated_at_ms, version) \
                 VALUES (?, ?, ?, ?, ?, 0)",
            )
            .bind(r.partner_id)
            .bind(r.email)
            .bind(r.created_at_ms)
            .bind(r.expires_at_ms)
            .bind(r.associated_at_ms)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(partner.id = %invitation.partner))]
    async fn insert_invitation(
        &self,
        invitation: &Invitation,
        notifications: &[Notification],
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let r = InvitationRow::from(invitation);
            sqlx::query(
                "INSERT INTO invitations (token, partner_id, model, channel, email, expires_at_ms, created_at_ms) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(r.token)
            .bind(r.partner_id)
            .bind(r.model)
            .bind(r.channel)
            .bind(r.email)
            .bind(r.expires_at_ms)
            .bind(r.created_at_ms)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            insert_notifications(&mut tx, notifications).await.map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all)]
    async fn invitation(&self, token: &InvitationToken) -> Result<Option<Invitation>, StoreError> {
        let row = sqlx::query_as::<_, InvitationRow>(
            "SELECT token, partner_id, model, channel, email, expires_at_ms, created_at_ms FROM invitations WHERE token = ?",
        )
        .bind(token.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(Invitation::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn invitations_of(&self, partner: &PartnerId) -> Result<Vec<Invitation>, StoreError> {
        let rows = sqlx::query_as::<_, InvitationRow>(
            "SELECT token, partner_id, model, channel, email, expires_at_ms, created_at_ms FROM invitations \
             WHERE partner_id = ? ORDER BY created_at_ms DESC LIMIT 1000",
        )
        .bind(partner.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(Invitation::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(customer.id = %a.association.customer, partner.id = %a.association.partner))]
    async fn accept_invitation(&self, a: &Acceptance<'_>) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            if let Some(account) = a.new_account {
                insert_account(&mut tx, account).await.map_err(err)?;
            }
            if let Some(account) = a.existing_account {
                update_freeze(&mut tx, account).await?;
            }
            let authorized_at = a.authorized.then_some(a.association.associated_at);
            insert_association(&mut tx, a.association, authorized_at).await.map_err(err)?;
            if let Some(p) = a.pre_registration {
                let r = PreRegistrationRow::from(p);
                let updated = sqlx::query(
                    "UPDATE pre_registrations SET associated_at_ms = ?, version = version + 1 \
                     WHERE partner_id = ? AND email = ? AND created_at_ms = ? AND version = ?",
                )
                .bind(r.associated_at_ms)
                .bind(r.partner_id)
                .bind(r.email)
                .bind(r.created_at_ms)
                .bind(r.version)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
                if updated.rows_affected() != 1 {
                    return Err(StoreError::Conflict { constraint: "pre_registrations.version" });
                }
            }
            if let Some(email) = a.consumes_codes_of {
                sqlx::query("DELETE FROM verification_codes WHERE lower(email) = lower(?)")
                    .bind(email.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(err)?;
            }
            insert_notifications(&mut tx, a.notifications).await.map_err(err)?;
            insert_audit(&mut tx, a.audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn disassociation_requests_of(&self, partner: &PartnerId) -> Result<Vec<DisassociationRequest>, StoreError> {
        let rows = sqlx::query_as::<_, DisassociationRow>(
            "SELECT customer_id, partner_id, initiated_by, reason, state, requested_at_ms, decided_at_ms, version \
             FROM disassociation_requests WHERE partner_id = ? ORDER BY requested_at_ms DESC LIMIT 1000",
        )
        .bind(partner.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(DisassociationRequest::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(customer.id = %customer))]
    async fn pending_disassociation(&self, customer: &AccountId) -> Result<Option<DisassociationRequest>, StoreError> {
        let row = sqlx::query_as::<_, DisassociationRow>(
            "SELECT customer_id, partner_id, initiated_by, reason, state, requested_at_ms, decided_at_ms, version \
             FROM disassociation_requests WHERE customer_id = ? AND state = 'pending'",
        )
        .bind(customer.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(DisassociationRequest::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all, fields(customer.id = %request.customer))]
    async fn save_disassociation(
        &self,
        request: &DisassociationRequest,
        expected_version: Option<i64>,
        association: &Association,
        ended: Option<Disassociation<'_>>,
        consumes_codes_of: Option<&Email>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let r = DisassociationRow::from(request);
            let written = match expected_version {
                None => sqlx::query(
                    "INSERT INTO disassociation_requests (customer_id, partner_id, initiated_by, reason, state, \
                     requested_at_ms, decided_at_ms, version) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                )
                .bind(r.customer_id)
                .bind(r.partner_id)
                .bind(r.initiated_by)
                .bind(r.reason)
                .bind(r.state)
                .bind(r.requested_at_ms)
                .bind(r.decided_at_ms)
                .execute(&mut *tx)
                .await
                .map_err(err)?,
                Some(version) => sqlx::query(
                    "UPDATE disassociation_requests SET state = ?, decided_at_ms = ?, version = version + 1 \
                     WHERE customer_id = ? AND requested_at_ms = ? AND version = ?",
                )
                .bind(r.state)
                .bind(r.decided_at_ms)
                .bind(r.customer_id)
                .bind(r.requested_at_ms)
                .bind(version)
                .execute(&mut *tx)
                .await
                .map_err(err)?,
            };
            if written.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: "disassociation_requests.version" });
            }
            let a = AssociationRow::from(association);
            let updated = sqlx::query(
                "UPDATE associations SET state = ?, disassociated_at_ms = ?, version = version + 1 \
                 WHERE customer_id = ? AND associated_at_ms = ? AND version = ?",
            )
            .bind(a.state)
            .bind(a.disassociated_at_ms)
            .bind(a.customer_id)
            .bind(a.associated_at_ms)
            .bind(a.version)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: "associations.version" });
            }
            if let Some(end) = ended {
                update_freeze(&mut tx, end.account).await?;
                if let Some(record) = end.budget_record {
                    sqlx::query("DELETE FROM budgets WHERE customer_id = ?")
                        .bind(record.customer.as_str())
                        .execute(&mut *tx)
                        .await
                        .map_err(err)?;
                    insert_budget_record(&mut tx, record).await.map_err(err)?;
                }
            }
            if let Some(email) = consumes_codes_of {
                delete_codes(&mut tx, email).await?;
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn critical_operation_protection(&self, partner: &PartnerId) -> Result<bool, StoreError> {
        let found = sqlx::query("SELECT partner_id FROM critical_operation_protection WHERE partner_id = ?")
            .bind(partner.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?;
        Ok(found.is_some())
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn set_critical_operation_protection(
        &self,
        partner: &PartnerId,
        enabled_since: Option<Timestamp>,
        consumes_codes_of: &Email,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            match enabled_since {
                Some(since) => sqlx::query(
                    "INSERT INTO critical_operation_protection (partner_id, enabled_at_ms) VALUES (?, ?) \
                     ON CONFLICT (partner_id) DO NOTHING",
                )
                .bind(partner.as_str())
                .bind(since.unix_ms())
                .execute(&mut *tx)
                .await
                .map_err(err)?,
                None => sqlx::query("DELETE FROM critical_operation_protection WHERE partner_id = ?")
                    .bind(partner.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(err)?,
            };
            delete_codes(&mut tx, consumes_codes_of).await?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(partner.id = %role.partner))]
    async fn insert_role(&self, role: &Role, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let r = RoleRow::from(role);
            sqlx::query(
                "INSERT INTO partner_roles (id, partner_id, name, permissions, created_at_ms) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(r.id)
            .bind(r.partner_id)
            .bind(r.name)
            .bind(r.permissions)
            .bind(r.created_at_ms)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn roles_of(&self, partner: &PartnerId) -> Result<Vec<Role>, StoreError> {
        let rows = sqlx::query_as::<_, RoleRow>(
            "SELECT id, partner_id, name, permissions, created_at_ms FROM partner_roles WHERE partner_id = ? ORDER BY created_at_ms, id",
        )
        .bind(partner.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(Role::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(partner.id = %member.partner))]
    async fn insert_member(&self, member: &Member, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let r = MemberRow::from(member);
            sqlx::query(&format!(
                "INSERT INTO partner_members ({MEMBER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ))
            .bind(r.id)
            .bind(r.partner_id)
            .bind(r.name)
            .bind(r.email)
            .bind(r.password_hash)
            .bind(r.role_id)
            .bind(r.position)
            .bind(r.director_id)
            .bind(r.created_at_ms)
            .bind(r.version)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn members_of(&self, partner: &PartnerId) -> Result<Vec<Member>, StoreError> {
        let rows = sqlx::query_as::<_, MemberRow>(&format!(
            "SELECT {MEMBER_COLUMNS} FROM partner_members WHERE partner_id = ? ORDER BY created_at_ms, id"
        ))
        .bind(partner.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(Member::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(member.id = %id))]
    async fn member(&self, id: &MemberId) -> Result<Option<Member>, StoreError> {
        let row = sqlx::query_as::<_, MemberRow>(&format!("SELECT {MEMBER_COLUMNS} FROM partner_members WHERE id = ?"))
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?;
        row.map(Member::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all)]
    async fn member_by_email(&self, email: &Email) -> Result<Option<Member>, StoreError> {
        let row = sqlx::query_as::<_, MemberRow>(&format!(
            "SELECT {MEMBER_COLUMNS} FROM partner_members WHERE lower(email) = lower(?)"
        ))
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(Member::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all, fields(member.id = %member.id))]
    async fn update_member(&self, member: &Member, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let r = MemberRow::from(member);
            let updated = sqlx::query(
                "UPDATE partner_members SET role_id = ?, position = ?, director_id = ?, version = version + 1 \
                 WHERE id = ? AND version = ?",
            )
            .bind(r.role_id)
            .bind(r.position)
            .bind(r.director_id)
            .bind(r.id)
            .bind(r.version)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: "partner_members.version" });
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(customer.id = %association.customer))]
    async fn set_account_manager(&self, association: &Association, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let a = AssociationRow::from(association);
            let updated = sqlx::query(
                "UPDATE associations SET account_manager_id = ?, version = version + 1 \
                 WHERE customer_id = ? AND associated_at_ms = ? AND version = ?",
            )
            .bind(a.account_manager_id)
            .bind(a.customer_id)
            .bind(a.associated_at_ms)
            .bind(a.version)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: "associations.version" });
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn partner_information(&self, partner: &PartnerId) -> Result<Vec<InfoRecord>, StoreError> {
        let rows = sqlx::query_as::<_, InformationRow>(&format!(
            "SELECT {INFORMATION_COLUMNS} FROM partner_information WHERE partner_id = ? ORDER BY kind"
        ))
        .bind(partner.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(InfoRecord::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(partner.id = %record.partner))]
    async fn save_partner_information(
        &self,
        record: &InfoRecord,
        expected_version: Option<i64>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let r = InformationRow::from(record);
            if let Some(version) = expected_version {
                let deleted =
                    sqlx::query("DELETE FROM partner_information WHERE partner_id = ? AND kind = ? AND version = ?")
                        .bind(&r.partner_id)
                        .bind(&r.kind)
                        .bind(version)
                        .execute(&mut *tx)
                        .await
                        .map_err(err)?;
                if deleted.rows_affected() != 1 {
                    return Err(StoreError::Conflict { constraint: "partner_information.version" });
                }
            }
            sqlx::query(&format!(
                "INSERT INTO partner_information ({INFORMATION_COLUMNS}) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ))
            .bind(r.partner_id)
            .bind(r.kind)
            .bind(r.company_name)
            .bind(r.registration_number)
            .bind(r.settlement_currency)
            .bind(r.questionnaire_completed)
            .bind(r.bank_name)
            .bind(r.bank_country)
            .bind(r.account_name)
            .bind(r.account_number)
            .bind(r.swift_code)
            .bind(r.tax_rate_bp)
            .bind(r.state)
            .bind(r.rejection_reason)
            .bind(r.submitted_at_ms)
            .bind(r.decided_at_ms)
            .bind(expected_version.map_or(0, |v| v + 1))
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all)]
    async fn information_queue(&self, state: &str, limit: u32) -> Result<Vec<InfoRecord>, StoreError> {
        let rows = sqlx::query_as::<_, InformationRow>(&format!(
            "SELECT {INFORMATION_COLUMNS} FROM partner_information WHERE state = ? ORDER BY submitted_at_ms LIMIT ?"
        ))
        .bind(state)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(InfoRecord::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(account.id = %account))]
    async fn insert_dpp_invitation(
        &self,
        account: &AccountId,
        invited_by: &str,
        at: Timestamp,
        notification: &Notification,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            sqlx::query("INSERT INTO dpp_invitations (account_id, invited_by, created_at_ms) VALUES (?, ?, ?)")
                .bind(account.as_str())
                .bind(invited_by)
                .bind(at.unix_ms())
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            insert_notifications(&mut tx, std::slice::from_ref(notification)).await.map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(account.id = %account))]
    async fn dpp_invited(&self, account: &AccountId) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM dpp_invitations WHERE account_id = ?")
            .bind(account.as_str())
            .fetch_one(&self.pool)
            .await
            .map_err(err)?;
        Ok(n > 0)
    }

    #[instrument(skip_all, fields(customer.id = %customer))]
    async fn association_of(&self, customer: &AccountId) -> Result<Option<Association>, StoreError> {
        let row = sqlx::query_as::<_, AssociationRow>(
            "SELECT customer_id, partner_id, model, associated_at_ms, state, disassociated_at_ms, label, xaccount_id, \
             xaccount_type, account_manager_id, version FROM associations WHERE customer_id = ? AND state <> 'disassociated'",
        )
        .bind(customer.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(Association::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all, fields(customer.id = %customer, partner.id = %partner))]
    async fn association_at(
        &self,
        customer: &AccountId,
        partner: &PartnerId,
        at: Timestamp,
    ) -> Result<Option<Association>, StoreError> {
        let row = sqlx::query_as::<_, AssociationRow>(
            "SELECT customer_id, partner_id, model, associated_at_ms, state, disassociated_at_ms, label, xaccount_id, \
             xaccount_type, account_manager_id, version FROM associations \
             WHERE customer_id = ? AND partner_id = ? AND associated_at_ms <= ? ORDER BY associated_at_ms DESC LIMIT 1",
        )
        .bind(customer.as_str())
        .bind(partner.as_str())
        .bind(at.unix_ms())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(Association::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all)]
    async fn insert_session(&self, session: &Session) -> Result<(), StoreError> {
        let r = SessionRow::from(session);
        sqlx::query(
            "INSERT INTO sessions (token_sha256, account_id, staff_id, member_id, created_at_ms, expires_at_ms, \
             revoked_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(r.token_sha256)
        .bind(r.account_id)
        .bind(r.staff_id)
        .bind(r.member_id)
        .bind(r.created_at_ms)
        .bind(r.expires_at_ms)
        .bind(r.revoked_at_ms)
        .execute(&self.pool)
        .await
        .map_err(err)?;
        Ok(())
    }

    #[instrument(skip_all)]
    async fn session(&self, token_sha256: &str) -> Result<Option<Session>, StoreError> {
        let row = sqlx::query_as::<_, SessionRow>(
            "SELECT token_sha256, account_id, staff_id, member_id, created_at_ms, expires_at_ms, revoked_at_ms \
             FROM sessions WHERE token_sha256 = ?",
        )
        .bind(token_sha256)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(Session::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all)]
    async fn revoke_session(&self, token_sha256: &str, at: Timestamp) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET revoked_at_ms = ? WHERE token_sha256 = ? AND revoked_at_ms IS NULL")
            .bind(at.unix_ms())
            .bind(token_sha256)
            .execute(&self.pool)
            .await
            .map_err(err)?;
        Ok(())
    }

    #[instrument(skip_all, fields(account.id = %id))]
    async fn account(&self, id: &AccountId) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query_as::<_, AccountRow>(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts c WHERE c.id = ?"))
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?;
        row.map(Account::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all)]
    async fn account_by_name(&self, name: &AccountName) -> Result<Option<Account>, StoreError> {
        let row =
            sqlx::query_as::<_, AccountRow>(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts c WHERE c.name = ?"))
                .bind(name.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(err)?;
        row.map(Account::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all, fields(account.id = %key.key.account))]
    async fn insert_access_key(&self, key: &SealedAccessKey, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            insert_access_key(&mut tx, key).await.map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all)]
    async fn access_key(&self, id: &AccessKeyId) -> Result<Option<SealedAccessKey>, StoreError> {
        let row = sqlx::query_as::<_, AccessKeyRow>(
            "SELECT id, partner_id, account_id, member_id, sealed_secret, created_at_ms, revoked_at_ms, version \
             FROM access_keys WHERE id = ?",
        )
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(SealedAccessKey::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn access_keys_of(&self, partner: &PartnerId) -> Result<Vec<AccessKey>, StoreError> {
        let rows = sqlx::query_as::<_, AccessKeyRow>(
            "SELECT id, partner_id, account_id, member_id, sealed_secret, created_at_ms, revoked_at_ms, version \
             FROM access_keys WHERE partner_id = ? ORDER BY created_at_ms, id",
        )
        .bind(partner.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(|r| SealedAccessKey::try_from(r).map(|k| k.key)).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(account.id = %key.account))]
    async fn update_access_key(&self, key: &AccessKey, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let updated = sqlx::query(
                "UPDATE access_keys SET revoked_at_ms = ?, version = version + 1 WHERE id = ? AND version = ?",
            )
            .bind(revoked_at_ms(key))
            .bind(key.id.as_str())
            .bind(key.version)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: "access_keys.version" });
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(customer.id = %c.account.id, partner.id = %c.association.partner))]
    async fn register_customer(&self, c: &NewCustomer<'_>) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            insert_account(&mut tx, c.account).await.map_err(err)?;
            insert_association(&mut tx, c.association, None).await.map_err(err)?;
            if let Some(email) = c.consumes_codes_of {
                sqlx::query("DELETE FROM verification_codes WHERE lower(email) = lower(?)")
                    .bind(email.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(err)?;
            }
            insert_notifications(&mut tx, c.notifications).await.map_err(err)?;
            insert_audit(&mut tx, c.audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(partner.id = %partner, customer.id = %customer))]
    async fn customer_of(&self, partner: &PartnerId, customer: &AccountId) -> Result<Option<CustomerView>, StoreError> {
        let query = CustomerQuery { customer_id: Some(customer.clone()), limit: 1, ..CustomerQuery::default() };
        let (mut views, _) = self.customers_of(partner, &query).await?;
        Ok(views.pop())
    }

    #[instrument(skip_all, fields(customer.id = %account.id))]
    async fn update_account_freeze(&self, account: &Account, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            update_freeze(&mut tx, account).await?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(account.id = %account.id))]
    async fn update_bd_preregistration(&self, account: &Account, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let updated = sqlx::query(
                "UPDATE accounts SET bd_preregistered = ?, version = version + 1 WHERE id = ? AND version = ?",
            )
            .bind(account.bd_preregistered)
            .bind(account.id.as_str())
            .bind(account.version)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: "accounts.version" });
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all)]
    async fn identity_in_use(&self, kind: IdentityKind, value: &str) -> Result<bool, StoreError> {
        let query = match kind {
            IdentityKind::Name => sqlx::query_scalar("SELECT count(*) FROM accounts WHERE lower(name) = lower(?)"),
            IdentityKind::Email => sqlx::query_scalar("SELECT count(*) FROM accounts WHERE lower(email) = lower(?)"),
            IdentityKind::Mobile => sqlx::query_scalar("SELECT count(*) FROM accounts WHERE phone = ?"),
        };
        let n: i64 = query.bind(value).fetch_one(&self.pool).await.map_err(err)?;
        Ok(n > 0)
    }

    #[instrument(skip_all, fields(customer.id = %customer))]
    async fn budget(&self, customer: &AccountId) -> Result<Option<Budget>, StoreError> {
        let row = sqlx::query_as::<_, BudgetRow>(
            "SELECT customer_id, partner_id, budget_type, amount_e8, auto_freeze, set_at_ms, version \
             FROM budgets WHERE customer_id = ?",
        )
        .bind(customer.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(Budget::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn budgets_of(&self, partner: &PartnerId, customers: &[AccountId]) -> Result<Vec<Budget>, StoreError> {
        if customers.is_empty() {
            return Ok(vec![]);
        }
        let mut b = QueryBuilder::<Sqlite>::new(
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
        let rows: Vec<BudgetRow> = b.build_query_as().fetch_all(&self.pool).await.map_err(err)?;
        rows.into_iter().map(Budget::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(customer.id = %budget.customer))]
    async fn set_budget(
        &self,
        budget: &Budget,
        expected_version: Option<i64>,
        record: &BudgetRecord,
        account: Option<&Account>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let r = BudgetRow::from(budget);
            let written = match expected_version {
                None => sqlx::query(
                    "INSERT INTO budgets (customer_id, partner_id, budget_type, amount_e8, auto_freeze, set_at_ms, version, \
                     baseline_e8) VALUES (?, ?, ?, ?, ?, ?, 0, \
                     COALESCE((SELECT amount_e8 FROM spend_totals WHERE scope = ? AND period = 0), 0))",
                )
                .bind(r.customer_id.clone())
                .bind(r.partner_id)
                .bind(r.budget_type)
                .bind(r.amount_e8)
                .bind(r.auto_freeze)
                .bind(r.set_at_ms)
                .bind(format!("customer:{}", r.customer_id))
                .execute(&mut *tx)
                .await
                .map_err(err)?,
                Some(version) => sqlx::query(
                    "UPDATE budgets SET partner_id = ?, budget_type = ?, amount_e8 = ?, auto_freeze = ?, set_at_ms = ?, \
                     baseline_e8 = COALESCE((SELECT amount_e8 FROM spend_totals WHERE scope = ? AND period = 0), 0), \
                     version = version + 1 WHERE customer_id = ? AND version = ?",
                )
                .bind(r.partner_id)
                .bind(r.budget_type)
                .bind(r.amount_e8)
                .bind(r.auto_freeze)
                .bind(r.set_at_ms)
                .bind(format!("customer:{}", r.customer_id))
                .bind(r.customer_id)
                .bind(version)
                .execute(&mut *tx)
                .await
                .map_err(err)?,
            };
            if written.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: "budgets.version" });
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

    #[instrument(skip_all, fields(partner.id = %partner, customer.id = %customer))]
    async fn budget_records(
        &self,
        partner: &PartnerId,
        customer: &AccountId,
        q: &BudgetRecordQuery,
    ) -> Result<(Vec<BudgetRecord>, u64), StoreError> {
        let filters = |b: &mut QueryBuilder<'_, Sqlite>| {
            b.push(" FROM budget_records WHERE partner_id = ").push_bind(partner.as_str().to_owned());
            b.push(" AND customer_id = ").push_bind(customer.as_str().to_owned());
            if let Some(op) = q.operation {
                b.push(" AND operation = ").push_bind(op.code());
            }
            if let Some(t) = q.budget_type {
                b.push(" AND budget_type = ").push_bind(t.code());
            }
        };
        let mut conn = self.pool.begin().await.map_err(err)?;
        let result = async {
            let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*)");
            filters(&mut count);
            let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await.map_err(err)?;
            let mut page = QueryBuilder::<Sqlite>::new(
                "SELECT customer_id, partner_id, operation, budget_type, amount_e8, operator, partner_corp_name, \
                 partner_account_name, at_ms",
            );
            filters(&mut page);
            page.push(" ORDER BY seq DESC LIMIT ")
                .push_bind(i64::from(q.limit))
                .push(" OFFSET ")
                .push_bind(i64::from(q.offset));
            let rows: Vec<BudgetRecordRow> = page.build_query_as().fetch_all(&mut *conn).await.map_err(err)?;
            let records = rows.into_iter().map(BudgetRecord::try_from).collect::<Result<_, _>>().map_err(err)?;
            Ok((records, u64::try_from(total).unwrap_or(0)))
        }
        .await;
        finish(conn, result).await
    }

    #[instrument(skip_all)]
    async fn insert_verification_code(
        &self,
        code: &VerificationCode,
        notification: &Notification,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let r = VerificationCodeRow::from(code);
            sqlx::query("INSERT INTO verification_codes (email, code, expires_at_ms) VALUES (?, ?, ?)")
                .bind(r.email)
                .bind(r.code)
                .bind(r.expires_at_ms)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            insert_notifications(&mut tx, std::slice::from_ref(notification)).await.map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all)]
    async fn latest_verification_code(&self, email: &Email) -> Result<Option<VerificationCode>, StoreError> {
        let row = sqlx::query_as::<_, VerificationCodeRow>(
            "SELECT email, code, expires_at_ms FROM verification_codes WHERE lower(email) = lower(?) \
             ORDER BY seq DESC LIMIT 1",
        )
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(VerificationCode::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all)]
    async fn notifications(&self, recipient: Option<&str>, limit: u32) -> Result<Vec<Notification>, StoreError> {
        let mut b = QueryBuilder::<Sqlite>::new(
            "SELECT id, channel, recipient, subject, body, created_at_ms FROM notifications WHERE 1 = 1",
        );
        if let Some(r) = recipient {
            b.push(" AND recipient = ").push_bind(r.to_owned());
        }
        b.push(" ORDER BY seq DESC LIMIT ").push_bind(i64::from(limit));
        let rows: Vec<NotificationRow> = b.build_query_as().fetch_all(&self.pool).await.map_err(err)?;
        rows.into_iter().map(Notification::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn customers_of(
        &self,
        partner: &PartnerId,
        query: &CustomerQuery,
    ) -> Result<(Vec<CustomerView>, u64), StoreError> {
        let mut conn = self.pool.begin().await.map_err(err)?;
        let result = async {
            let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*)");
            push_customer_filters(&mut count, partner, query);
            let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await.map_err(err)?;
            // The page's ids first, from the index alone (a deferred join: rows skipped by the
            // offset are never joined), then their columns. Newest first; both keys descending so
            // the index is read backwards, without a sort.
            let mut page = QueryBuilder::<Sqlite>::new(format!(
                "SELECT {ACCOUNT_COLUMNS}, {ASSOCIATION_COLUMNS} FROM (SELECT a.customer_id AS page_id"
            ));
            push_customer_filters(&mut page, partner, query);
            page.push(" ORDER BY a.associated_at_ms DESC, a.customer_id DESC LIMIT ")
                .push_bind(i64::from(query.limit))
                .push(" OFFSET ")
                .push_bind(i64::from(query.offset))
                .push(
                    ") p JOIN associations a ON a.customer_id = p.page_id AND a.state <> 'disassociated' \
                     JOIN accounts c ON c.id = a.customer_id ORDER BY a.associated_at_ms DESC, a.customer_id DESC",
                );
            let rows: Vec<CustomerRow> = page.build_query_as().fetch_all(&mut *conn).await.map_err(err)?;
            let views = rows.into_iter().map(CustomerView::try_from).collect::<Result<_, _>>().map_err(err)?;
            Ok((views, u64::try_from(total).unwrap_or(0)))
        }
        .await;
        finish(conn, result).await
    }

    #[instrument(skip_all)]
    async fn audit_events(&self, q: &AuditQuery) -> Result<Vec<AuditEvent>, StoreError> {
        let mut b = QueryBuilder::<Sqlite>::new(
            "SELECT id, at_ms, actor_kind, actor_id, actor_key, partner_id, action, subject_kind, subject_id, \
             before_state, after_state FROM audit_events WHERE 1 = 1",
        );
        if let Some(p) = &q.partner {
            b.push(" AND partner_id = ").push_bind(p.as_str());
        }
        if let Some(s) = &q.subject_id {
            b.push(" AND subject_id = ").push_bind(s.as_str());
        }
        b.push(" ORDER BY seq DESC LIMIT ").push_bind(i64::from(q.limit));
        b.push(" OFFSET ").push_bind(i64::from(q.offset));
        let rows: Vec<AuditRow> = b.build_query_as().fetch_all(&self.pool).await.map_err(err)?;
        rows.into_iter().map(AuditEvent::try_from).collect::<Result<_, _>>().map_err(err)
    }
    #[instrument(skip_all, fields(order.id = %order.id))]
    async fn insert_order(&self, order: &Order, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            insert_order_rows(&mut tx, order).await?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all)]
    async fn order(&self, id: &str) -> Result<Option<Order>, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(err)?;
        let row: Option<OrderRow> = sqlx::query_as(&format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = ?"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(err)?;
        let Some(row) = row else { return Ok(None) };
        let lines = order_lines(&mut conn, &row.id).await?;
        row.into_order(lines).map(Some).map_err(err)
    }

    #[instrument(skip_all)]
    async fn orders(&self, scope: &OrderScope, q: &OrderFilter) -> Result<(Vec<Order>, u64), StoreError> {
        fn filter<'a>(b: &mut QueryBuilder<'a, Sqlite>, scope: &'a OrderScope, q: &'a OrderFilter) {
            match scope {
                OrderScope::Customer(c) => {
                    b.push(" WHERE customer_id = ").push_bind(c.as_str());
                }
                OrderScope::Partner(p) => {
                    b.push(
                        " WHERE customer_id IN (SELECT customer_id FROM associations WHERE state <> 'disassociated' \
                         AND model = 'reseller' AND partner_id = ",
                    )
                    .push_bind(p.as_str())
                    .push(")");
                }
            }
            if let Some(id) = &q.order_id {
                b.push(" AND id = ").push_bind(id.as_str());
            }
            if let Some(s) = q.status {
                b.push(" AND status = ").push_bind(i64::from(s.code()));
            }
            if let Some(t) = q.order_type {
                b.push(" AND order_type = ").push_bind(i64::from(t.code()));
            }
            if let Some(st) = &q.service_type {
                b.push(" AND service_type = ").push_bind(st.as_str());
            }
            for (column, (from, to)) in [("created_at_ms", q.created), ("paid_at_ms", q.paid)] {
                if let Some(t) = from {
                    b.push(format!(" AND {column} >= ")).push_bind(t.unix_ms());
                }
                if let Some(t) = to {
                    b.push(format!(" AND {column} <= ")).push_bind(t.unix_ms());
                }
            }
        }
        let mut conn = self.pool.acquire().await.map_err(err)?;
        let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM orders");
        filter(&mut count, scope, q);
        let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await.map_err(err)?;
        let mut b = QueryBuilder::<Sqlite>::new(format!("SELECT {ORDER_COLUMNS} FROM orders"));
        filter(&mut b, scope, q);
        b.push(if q.newest_first { " ORDER BY created_at_ms DESC, id DESC" } else { " ORDER BY created_at_ms, id" });
        b.push(" LIMIT ").push_bind(i64::from(q.limit)).push(" OFFSET ").push_bind(i64::from(q.offset));
        let rows: Vec<OrderRow> = b.build_query_as().fetch_all(&mut *conn).await.map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let lines = order_lines(&mut conn, &row.id).await?;
            out.push(row.into_order(lines).map_err(err)?);
        }
        Ok((out, total as u64))
    }

    #[instrument(skip_all, fields(order.id = %settlement.order.id))]
    async fn settle_order(&self, settlement: &Settlement<'_>) -> Result<Option<PurchaseBlock>, StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        match settle(&mut tx, settlement).await {
            Ok(Some(block)) => {
                tx.rollback().await.map_err(err)?;
                Ok(Some(block))
            }
            result => finish(tx, result).await,
        }
    }

    #[instrument(skip_all)]
    async fn resource(&self, id: &str) -> Result<Option<Resource>, StoreError> {
        let row: Option<ResourceRow> =
            sqlx::query_as(&format!("SELECT {RESOURCE_COLUMNS} FROM resources WHERE id = ?"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(err)?;
        row.map(Resource::try_from).transpose().map_err(err)
    }

    #[instrument(skip_all)]
    async fn resources_due(&self, until: Timestamp, limit: u32) -> Result<Vec<Resource>, StoreError> {
        let rows: Vec<ResourceRow> = sqlx::query_as(&format!(
            "SELECT {RESOURCE_COLUMNS} FROM resources WHERE closed = ? AND expire_at_ms <= ? \
             AND parent_id IS NULL AND expire_policy IN (1, 3) ORDER BY expire_at_ms, id LIMIT ?"
        ))
        .bind(false)
        .bind(until.unix_ms())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(Resource::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all, fields(customer.id = %customer))]
    async fn resources_of(&self, customer: &AccountId) -> Result<Vec<Resource>, StoreError> {
        let rows: Vec<ResourceRow> = sqlx::query_as(&format!(
            "SELECT {RESOURCE_COLUMNS} FROM resources WHERE customer_id = ? ORDER BY effective_at_ms, id"
        ))
        .bind(customer.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter().map(Resource::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(skip_all)]
    async fn update_resources(&self, changed: &[Resource], audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            for r in changed {
                update_resource(&mut tx, r).await?;
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all)]
    async fn terms_of(&self, resource: &str) -> Result<Vec<Term>, StoreError> {
        let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
            "SELECT o.id, l.effective_at_ms, l.expire_at_ms, l.official_e8 FROM order_lines l \
             JOIN orders o ON o.id = l.order_id WHERE l.resource_id = ? AND o.status = 5 \
             AND o.order_type IN (1, 2) AND l.effective_at_ms IS NOT NULL ORDER BY l.effective_at_ms",
        )
        .bind(resource)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter()
            .map(|(order_id, starts, ends, paid)| {
                Ok(Term {
                    order_id,
                    starts: Timestamp::from_unix_ms(starts),
                    ends: Timestamp::from_unix_ms(ends),
                    paid: Money::from_e8(paid)
                        .map_err(|e| err(sqlx::Error::Decode(format!("stored line amount is invalid: {e}").into())))?,
                })
            })
            .collect()
    }

    #[instrument(skip_all, fields(customer.id = %customer))]
    async fn on_demand_resources(
        &self,
        customer: &AccountId,
        q: &OnDemandQuery,
    ) -> Result<(Vec<OnDemandResource>, u64), StoreError> {
        fn filter<'a>(b: &mut QueryBuilder<'a, Sqlite>, customer: &'a AccountId, q: &'a OnDemandQuery) {
            b.push(" FROM usage_hours WHERE customer_id = ").push_bind(customer.as_str());
            if let Some(r) = &q.region {
                b.push(" AND region = ").push_bind(r.as_str());
            }
            if let Some(s) = &q.service_type {
                b.push(" AND service_type = ").push_bind(s.as_str());
            }
            if !q.resource_ids.is_empty() {
                b.push(" AND resource_id IN (");
                let mut ids = b.separated(", ");
                for id in &q.resource_ids {
                    ids.push_bind(id.as_str());
                }
                b.push(")");
            }
            b.push(" GROUP BY resource_id, service_type, resource_type, resource_spec, region");
            let (from, to) = q.since;
            if from.is_some() || to.is_some() {
                b.push(" HAVING 1 = 1");
                if let Some(t) = from {
                    b.push(" AND MIN(first_ended_at_ms) >= ").push_bind(t.unix_ms());
                }
                if let Some(t) = to {
                    b.push(" AND MIN(first_ended_at_ms) <= ").push_bind(t.unix_ms());
                }
            }
        }
        let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM (SELECT resource_id");
        filter(&mut count, customer, q);
        count.push(") AS g");
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await.map_err(err)?;
        let mut b = QueryBuilder::<Sqlite>::new(
            "SELECT resource_id, service_type, resource_type, resource_spec, region, MIN(first_ended_at_ms)",
        );
        filter(&mut b, customer, q);
        b.push(" ORDER BY MIN(first_ended_at_ms) DESC, resource_id LIMIT ").push_bind(i64::from(q.limit));
        b.push(" OFFSET ").push_bind(i64::from(q.offset));
        let rows: Vec<(String, String, String, String, String, i64)> =
            b.build_query_as().fetch_all(&self.pool).await.map_err(err)?;
        let list = rows
            .into_iter()
            .map(|(resource_id, service_type, resource_type, spec, region, since)| OnDemandResource {
                resource_id,
                service_type,
                resource_type,
                spec,
                region,
                since: Timestamp::from_unix_ms(since),
            })
            .collect();
        Ok((list, total as u64))
    }

    #[instrument(skip_all, fields(customer.id = %customer))]
    async fn set_renew_config(
        &self,
        customer: &AccountId,
        config: RenewConfig,
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let (days, day) = match config {
                RenewConfig::DeductionDays(d) => (Some(i64::from(d)), None),
                RenewConfig::ExpireDay(d) => (None, Some(i64::from(d))),
            };
            sqlx::query(
                "INSERT INTO renew_configs (customer_id, deduction_days, expire_day, updated_at_ms) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (customer_id) DO UPDATE SET \
                 deduction_days = COALESCE(excluded.deduction_days, renew_configs.deduction_days), \
                 expire_day = COALESCE(excluded.expire_day, renew_configs.expire_day), \
                 updated_at_ms = excluded.updated_at_ms",
            )
            .bind(customer.as_str())
            .bind(days)
            .bind(day)
            .bind(at.unix_ms())
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(customer.id = %customer))]
    async fn renew_config(&self, customer: &AccountId) -> Result<(Option<u8>, Option<i8>), StoreError> {
        let row: Option<(Option<i64>, Option<i64>)> =
            sqlx::query_as("SELECT deduction_days, expire_day FROM renew_configs WHERE customer_id = ?")
                .bind(customer.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(err)?;
        let (days, day) = row.unwrap_or((None, None));
        Ok((days.and_then(|d| u8::try_from(d).ok()), day.and_then(|d| i8::try_from(d).ok())))
    }

    #[instrument(skip_all, fields(customer.id = %customer, partner.id = %partner))]
    async fn set_authorization(
        &self,
        customer: &AccountId,
        partner: &PartnerId,
        granted: Option<Timestamp>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            let updated = sqlx::query(
                "UPDATE associations SET authorized_at_ms = ? \
                 WHERE customer_id = ? AND partner_id = ? AND state <> 'disassociated'",
            )
            .bind(granted.map(Timestamp::unix_ms))
            .bind(customer.as_str())
            .bind(partner.as_str())
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(customer.id = %customer, partner.id = %partner))]
    async fn authorization(&self, customer: &AccountId, partner: &PartnerId) -> Result<Option<Timestamp>, StoreError> {
        let at: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT authorized_at_ms FROM associations \
             WHERE customer_id = ? AND partner_id = ? AND state <> 'disassociated'",
        )
        .bind(customer.as_str())
        .bind(partner.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        Ok(at.flatten().map(Timestamp::from_unix_ms))
    }
    #[instrument(skip_all)]
    async fn claim_notifications(
        &self,
        now: Timestamp,
        lease: Millis,
        limit: u32,
    ) -> Result<Vec<(Notification, u32)>, StoreError> {
        // The outer condition is checked again on rows another claim changed meanwhile, so a
        // row is claimed once.
        let rows: Vec<(String, String, String, String, String, i64, i64)> = sqlx::query_as(
            "UPDATE notifications SET next_attempt_at_ms = ? \
             WHERE state = 'pending' AND next_attempt_at_ms <= ? AND seq IN ( \
                 SELECT seq FROM notifications WHERE state = 'pending' AND next_attempt_at_ms <= ? \
                 ORDER BY next_attempt_at_ms, seq LIMIT ?) \
             RETURNING id, channel, recipient, subject, body, created_at_ms, attempts",
        )
        .bind(now.plus(lease).unix_ms())
        .bind(now.unix_ms())
        .bind(now.unix_ms())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.into_iter()
            .map(|(id, channel, recipient, subject, body, created_at_ms, attempts)| {
                let n =
                    Notification::try_from(NotificationRow { id, channel, recipient, subject, body, created_at_ms })
                        .map_err(err)?;
                Ok((n, u32::try_from(attempts).unwrap_or(0)))
            })
            .collect()
    }

    #[instrument(skip_all, fields(notification.id = %id))]
    async fn record_delivery(
        &self,
        id: &opc_domain::NotificationId,
        attempts: u32,
        outcome: &Delivery,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let (state, next, error, sent) = match outcome {
            Delivery::Sent => ("sent", at.unix_ms(), None, Some(at.unix_ms())),
            Delivery::Retry { at: next, error } => ("pending", next.unix_ms(), Some(error.as_str()), None),
            Delivery::Failed { error } => ("failed", at.unix_ms(), Some(error.as_str()), None),
        };
        sqlx::query(
            "UPDATE notifications SET state = ?, attempts = ?, next_attempt_at_ms = ?, last_error = ?, sent_at_ms = ? \
             WHERE id = ? AND state = 'pending'",
        )
        .bind(state)
        .bind(i64::from(attempts))
        .bind(next)
        .bind(error)
        .bind(sent)
        .bind(id.as_str())
        .execute(&self.pool)
        .await
        .map_err(err)?;
        Ok(())
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn set_webhook(
        &self,
        partner: &PartnerId,
        webhook: Option<(&str, &[u8])>,
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (_writer, mut tx) = self.begin_write().await?;
        let result = async {
            sqlx::query("DELETE FROM partner_webhooks WHERE partner_id = ?")
                .bind(partner.as_str())
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            if let Some((url, sealed)) = webhook {
                sqlx::query(
                    "INSERT INTO partner_webhooks (partner_id, url, sealed_secret, set_at_ms) VALUES (?, ?, ?, ?)",
                )
                .bind(partner.as_str())
                .bind(url)
                .bind(sealed)
                .bind(at.unix_ms())
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(skip_all, fields(partner.id = %partner))]
    async fn webhook(&self, partner: &PartnerId) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        sqlx::query_as("SELECT url, sealed_secret FROM partner_webhooks WHERE partner_id = ?")
            .bind(partner.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(err)
    }
}
