//! Test-coupon requests, the partner's benefit version they are decided on, and the notices
//! sent about test coupons; its part of the port. The coupons themselves are in `coupons`.

mod rows;

use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::audit::AuditEvent;
use opc_domain::coupon::test_coupon::{NoticeKind, Origin, RequestStatus, TestCouponRequest};
use opc_domain::notification::Notification;
use opc_domain::{PartnerId, Timestamp};
use tracing::instrument;

use crate::audit::insert_audit;
use crate::codes::Code;
use crate::coupons::{insert_coupon_entry, write_coupon};
use crate::db::{err, finish, query, query_as, Builder, Conn};
use crate::outbox::insert_notifications;
use crate::SqlStore;
use rows::{origin_code, status_code, RequestRow, REQUEST_COLUMNS};

fn stale(row: Row) -> StoreError {
    StoreError::Conflict { constraint: Constraint::Stale(row) }
}

/// Moves the partner's benefit version on from `version` (0: no row yet).
async fn bump_benefit(tx: &mut Conn, partner: &PartnerId, version: i64) -> Result<(), StoreError> {
    let written = if version == 0 {
        query(
            "INSERT INTO test_coupon_benefits (partner_id, version) VALUES ($1, 1) ON CONFLICT (partner_id) DO NOTHING",
        )
        .bind(partner.as_str())
        .execute(&mut *tx)
        .await
    } else {
        query("UPDATE test_coupon_benefits SET version = version + 1 WHERE partner_id = $1 AND version = $2")
            .bind(partner.as_str())
            .bind(version)
            .execute(&mut *tx)
            .await
    }
    .map_err(err)?;
    if written.rows_affected() != 1 {
        return Err(stale(Row::TestCouponBenefit));
    }
    Ok(())
}

fn decision(r: &TestCouponRequest) -> (Option<&str>, Option<&str>, Option<i64>, Option<&str>) {
    match &r.status {
        RequestStatus::Pending => (None, None, None, None),
        RequestStatus::Approved { coupon, at, by } => {
            (Some(coupon.as_str()), None, Some(at.unix_ms()), Some(by.as_str()))
        }
        RequestStatus::Rejected { reason, at, by } => {
            (None, Some(reason.as_str()), Some(at.unix_ms()), Some(by.as_str()))
        }
    }
}

async fn write_request(tx: &mut Conn, r: &TestCouponRequest) -> Result<(), StoreError> {
    let (coupon, reason, decided_at, decided_by) = decision(r);
    if r.version == 0 {
        let project = match &r.origin {
            Origin::Partner => None,
            Origin::Project(p) => Some(p),
        };
        query(&format!(
            "INSERT INTO test_coupon_requests ({REQUEST_COLUMNS}) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 1)"
        ))
        .bind(r.id.as_str())
        .bind(r.partner.as_str())
        .bind(origin_code(&r.origin))
        .bind(project.map(|p| p.customer.as_str()))
        .bind(project.map(|p| p.background.as_str()))
        .bind(project.map(|p| p.expected_order_at.unix_ms()))
        .bind(project.map(|p| p.expected_order_amount.e8()))
        .bind(r.amount.e8())
        .bind(r.resource_config.as_str())
        .bind(r.purpose.as_str())
        .bind(i64::from(r.duration_days))
        .bind(status_code(&r.status))
        .bind(coupon)
        .bind(reason)
        .bind(decided_at)
        .bind(decided_by)
        .bind(r.requested_at.unix_ms())
        .bind(r.requested_by.as_str())
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        return Ok(());
    }
    let written = query(
        "UPDATE test_coupon_requests SET status = $1, coupon_id = $2, reason = $3, decided_at_ms = $4, \
         decided_by = $5, version = version + 1 WHERE id = $6 AND version = $7",
    )
    .bind(status_code(&r.status))
    .bind(coupon)
    .bind(reason)
    .bind(decided_at)
    .bind(decided_by)
    .bind(r.id.as_str())
    .bind(r.version)
    .execute(&mut *tx)
    .await
    .map_err(err)?;
    if written.rows_affected() != 1 {
        return Err(stale(Row::TestCouponRequest));
    }
    Ok(())
}

fn into_requests(rows: Vec<RequestRow>) -> Result<Vec<TestCouponRequest>, StoreError> {
    rows.into_iter().map(TestCouponRequest::try_from).collect::<Result<_, _>>().map_err(err)
}

#[async_trait]
impl TestCoupons for SqlStore {
    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn test_coupon_benefit(&self, partner: &PartnerId) -> Result<(Vec<TestCouponRequest>, i64), StoreError> {
        let mut conn = self.db.begin().await?;
        let result = async {
            let version: Vec<(i64,)> = query_as("SELECT version FROM test_coupon_benefits WHERE partner_id = $1")
                .bind(partner.as_str())
                .fetch_all(&mut conn)
                .await
                .map_err(err)?;
            let rows: Vec<RequestRow> = query_as(&format!(
                "SELECT {REQUEST_COLUMNS} FROM test_coupon_requests WHERE partner_id = $1 ORDER BY requested_at_ms DESC, id"
            ))
            .bind(partner.as_str())
            .fetch_all(&mut conn)
            .await
            .map_err(err)?;
            Ok((into_requests(rows)?, version.first().map_or(0, |v| v.0)))
        }
        .await;
        finish(conn, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn test_coupon_requests(&self, q: &TestCouponRequestQuery) -> Result<Vec<TestCouponRequest>, StoreError> {
        let mut b = Builder::new(format!("SELECT {REQUEST_COLUMNS} FROM test_coupon_requests WHERE 1 = 1"));
        if let Some(p) = &q.partner {
            b.push(" AND partner_id = ").push_bind(p.as_str().to_owned());
        }
        if let Some(id) = &q.id {
            b.push(" AND id = ").push_bind(id.clone());
        }
        if q.pending_only {
            b.push(" AND status = 'pending'");
        }
        b.push(" ORDER BY requested_at_ms DESC, id");
        let rows: Vec<RequestRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        into_requests(rows)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %w.request.partner))]
    async fn write_test_coupon(&self, w: &TestCouponWrite<'_>) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            if let Some(version) = w.benefit_version {
                bump_benefit(&mut tx, &w.request.partner, version).await?;
            }
            // The coupon first: an approved request names it.
            if let Some((coupon, entry)) = w.coupon {
                write_coupon(&mut tx, coupon).await?;
                insert_coupon_entry(&mut tx, entry).await.map_err(err)?;
            }
            write_request(&mut tx, w.request).await?;
            insert_audit(&mut tx, w.audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn test_coupon_notices(&self, coupon: &str) -> Result<Vec<(NoticeKind, i64)>, StoreError> {
        let rows: Vec<(String, i64)> =
            query_as("SELECT kind, period FROM test_coupon_notices WHERE coupon_id = $1 ORDER BY kind, period")
                .bind(coupon)
                .fetch_all(&self.db)
                .await
                .map_err(err)?;
        rows.into_iter()
            .map(|(kind, period)| Ok((NoticeKind::from_code(&kind)?, period)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(err)
    }

    #[instrument(level = "debug", skip_all)]
    async fn record_test_coupon_notice(
        &self,
        coupon: &str,
        (kind, period): (NoticeKind, i64),
        at: Timestamp,
        notifications: &[Notification],
        audit: &[AuditEvent],
    ) -> Result<bool, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let done = query(
                "INSERT INTO test_coupon_notices (coupon_id, kind, period, notified_at_ms) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (coupon_id, kind, period) DO NOTHING",
            )
            .bind(coupon)
            .bind(kind.code())
            .bind(period)
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
}
