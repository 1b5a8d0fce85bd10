//! The partners aggregate: its queries and its part of the port.

pub(crate) mod rows;

use crate::access_keys::insert_access_key;
use crate::accounts::insert_account;
use crate::accounts::rows::AccountRow;
use crate::accounts::ACCOUNT_COLUMNS;
use crate::audit::insert_audit;
use crate::customers::delete_codes;
use crate::db::{err, finish, in_lists, page, query, query_as, query_scalar, Builder, Conn};
use crate::partners::rows::EnrollmentRow;
use crate::partners::rows::PartnerRow;
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::account::Account;
use opc_domain::audit::AuditEvent;
use opc_domain::customer::Email;
use opc_domain::partner::Partner;
use opc_domain::{AccountId, PartnerId, Timestamp};
use tracing::instrument;

/// Inserts a partner and its enrollments.
pub(crate) async fn insert_partner_row(tx: &mut Conn, partner: &Partner) -> Result<(), sqlx::Error> {
    let (p, enrollments) = PartnerRow::from_domain(partner);
    query(
        "INSERT INTO partners (id, account_id, name, country, distributor_id, state, consumption_quota_e8, \
         created_at_ms, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
        query("INSERT INTO partner_enrollments (partner_id, program, tier, enrolled_at_ms) VALUES ($1, $2, $3, $4)")
            .bind(e.partner_id)
            .bind(e.program)
            .bind(e.tier)
            .bind(e.enrolled_at_ms)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Writes the partner's state and consumption quota if its stored version is still the one it
/// was read at.
pub(crate) async fn update_partner_state(tx: &mut Conn, partner: &Partner) -> Result<(), StoreError> {
    let (p, _) = PartnerRow::from_domain(partner);
    let updated = query(
        "UPDATE partners SET state = $1, consumption_quota_e8 = $2, version = version + 1 WHERE id = $3 AND version = $4",
    )
    .bind(p.state)
    .bind(p.consumption_quota_e8)
    .bind(p.id)
    .bind(p.version)
    .execute(&mut *tx)
    .await
    .map_err(err)?;
    if updated.rows_affected() != 1 {
        return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Partner) });
    }
    Ok(())
}

pub(crate) async fn load_partner(conn: &mut Conn, id: &str) -> Result<Option<Partner>, sqlx::Error> {
    // One round trip: the partner's columns on each of its enrollments' rows (or on one row
    // of NULL enrollment columns).
    let rows = query_as::<PartnerEnrollmentRow>(
        "SELECT p.id, p.account_id, p.name, p.country, p.distributor_id, p.state, p.consumption_quota_e8, \
         p.created_at_ms, p.version, e.program, e.tier, e.enrolled_at_ms \
         FROM partners p LEFT JOIN partner_enrollments e ON e.partner_id = p.id WHERE p.id = $1 \
         ORDER BY e.enrolled_at_ms, e.program",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let partner = first.partner.clone();
    let enrollments = rows
        .into_iter()
        .filter_map(|r| match (r.program, r.tier, r.enrolled_at_ms) {
            (Some(program), Some(tier), Some(enrolled_at_ms)) => {
                Some(EnrollmentRow { partner_id: r.partner.id, program, tier, enrolled_at_ms })
            }
            _ => None,
        })
        .collect();
    partner.into_domain(enrollments).map(Some)
}

/// A partner's row joined with one of its enrollments, if any.
#[derive(sqlx::FromRow)]
struct PartnerEnrollmentRow {
    #[sqlx(flatten)]
    partner: PartnerRow,
    program: Option<String>,
    tier: Option<String>,
    enrolled_at_ms: Option<i64>,
}

/// A row of the resellers query: the reseller's id and its account's columns.
#[derive(sqlx::FromRow)]
pub(crate) struct ResellerRow {
    reseller_id: String,
    #[sqlx(flatten)]
    account: AccountRow,
}

#[async_trait]
impl Partners for SqlStore {
    #[instrument(level = "debug", skip_all, fields(partner.id = %partner.id()))]
    async fn insert_partner(
        &self,
        account: &Account,
        partner: &Partner,
        key: &SealedAccessKey,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
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

    #[instrument(level = "debug", skip_all, fields(partner.id = %id))]
    async fn partner(&self, id: &PartnerId) -> Result<Option<Partner>, StoreError> {
        let mut conn = self.db.acquire().await?;
        load_partner(&mut conn, id.as_str()).await.map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(ids = ids.len(), accounts = accounts.len()))]
    async fn partners_by_id_or_account(
        &self,
        ids: &[PartnerId],
        accounts: &[AccountId],
    ) -> Result<Vec<Partner>, StoreError> {
        // One round trip per statement: each partner's columns on each of its enrollments' rows.
        let mut found: std::collections::BTreeMap<String, (PartnerRow, Vec<EnrollmentRow>)> = Default::default();
        for (ids, accounts) in in_lists(ids, accounts) {
            let mut b = Builder::new(
                "SELECT p.id, p.account_id, p.name, p.country, p.distributor_id, p.state, p.consumption_quota_e8, \
                 p.created_at_ms, p.version, e.program, e.tier, e.enrolled_at_ms \
                 FROM partners p LEFT JOIN partner_enrollments e ON e.partner_id = p.id WHERE ",
            );
            b.push_in("p.id", ids.iter().map(PartnerId::as_str));
            b.push(" OR ").push_in("p.account_id", accounts.iter().map(AccountId::as_str));
            b.push(" ORDER BY p.id, e.enrolled_at_ms, e.program");
            let rows: Vec<PartnerEnrollmentRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
            for r in rows {
                let (_, enrollments) = found.entry(r.partner.id.clone()).or_insert_with(|| (r.partner.clone(), vec![]));
                if let (Some(program), Some(tier), Some(enrolled_at_ms)) = (r.program, r.tier, r.enrolled_at_ms) {
                    if !enrollments.iter().any(|e| e.program == program) {
                        enrollments.push(EnrollmentRow { partner_id: r.partner.id, program, tier, enrolled_at_ms });
                    }
                }
            }
        }
        found.into_values().map(|(p, enrollments)| p.into_domain(enrollments)).collect::<Result<_, _>>().map_err(err)
    }

    async fn partners(&self, name: Option<&str>, offset: u32, limit: u32) -> Result<(Vec<Partner>, u64), StoreError> {
        let pattern = crate::rows::contains_pattern(name.unwrap_or(""));
        let mut conn = self.db.acquire().await?;
        let count: i64 = query_scalar("SELECT COUNT(*) FROM partners WHERE lower(name) LIKE $1 ESCAPE '\\'")
            .bind(&pattern)
            .fetch_one(&mut conn)
            .await
            .map_err(err)?;
        let ids: Vec<String> = query_scalar(
            "SELECT id FROM partners WHERE lower(name) LIKE $1 ESCAPE '\\' ORDER BY created_at_ms DESC, id LIMIT $2 OFFSET $3",
        )
        .bind(&pattern)
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(&mut conn)
        .await
        .map_err(err)?;
        let mut partners = Vec::with_capacity(ids.len());
        for id in ids {
            partners.extend(load_partner(&mut conn, &id).await.map_err(err)?);
        }
        Ok((partners, u64::try_from(count).unwrap_or(0)))
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner.id()))]
    async fn update_partner(&self, partner: &Partner, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            update_partner_state(&mut tx, partner).await?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %distributor))]
    async fn resellers_of(
        &self,
        distributor: &PartnerId,
        q: &ResellerQuery,
    ) -> Result<(Vec<(Partner, Account)>, u64), StoreError> {
        let filters = |b: &mut Builder<'_>| {
            b.push(" FROM partners p JOIN accounts c ON c.id = p.account_id WHERE p.distributor_id = ");
            b.push_bind(distributor.as_str().to_owned());
            if let Some(name) = q.account_name.as_deref().filter(|n| !n.is_empty()) {
                b.push(" AND lower(c.name) LIKE ").push_bind(crate::rows::contains_pattern(name)).push(" ESCAPE '\\'");
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
        let mut conn = self.db.begin().await?;
        let result = async {
            let select = format!("SELECT p.id AS reseller_id, {ACCOUNT_COLUMNS}");
            let order = "ORDER BY p.created_at_ms, p.id";
            let (rows, total): (Vec<ResellerRow>, u64) =
                page(&mut conn, select, filters, order, (q.offset, q.limit)).await?;
            let mut found = Vec::with_capacity(rows.len());
            for row in rows {
                let partner = load_partner(&mut conn, &row.reseller_id).await.map_err(err)?;
                let partner = partner.ok_or(StoreError::NotFound)?;
                found.push((partner, Account::try_from(row.account).map_err(err)?));
            }
            Ok((found, total))
        }
        .await;
        finish(conn, result).await
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %account))]
    async fn partner_of_account(&self, account: &AccountId) -> Result<Option<Partner>, StoreError> {
        let mut conn = self.db.acquire().await?;
        let id: Option<String> = query_scalar("SELECT id FROM partners WHERE account_id = $1")
            .bind(account.as_str())
            .fetch_optional(&mut conn)
            .await
            .map_err(err)?;
        match id {
            Some(id) => load_partner(&mut conn, &id).await.map_err(err),
            None => Ok(None),
        }
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn critical_operation_protection(&self, partner: &PartnerId) -> Result<bool, StoreError> {
        let found: Option<String> =
            query_scalar("SELECT partner_id FROM critical_operation_protection WHERE partner_id = $1")
                .bind(partner.as_str())
                .fetch_optional(&self.db)
                .await
                .map_err(err)?;
        Ok(found.is_some())
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn set_critical_operation_protection(
        &self,
        partner: &PartnerId,
        enabled_since: Option<Timestamp>,
        consumes_codes_of: &Email,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            match enabled_since {
                Some(since) => query(
                    "INSERT INTO critical_operation_protection (partner_id, enabled_at_ms) VALUES ($1, $2) \
                     ON CONFLICT (partner_id) DO NOTHING",
                )
                .bind(partner.as_str())
                .bind(since.unix_ms())
                .execute(&mut tx)
                .await
                .map_err(err)?,
                None => query("DELETE FROM critical_operation_protection WHERE partner_id = $1")
                    .bind(partner.as_str())
                    .execute(&mut tx)
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
}
