//! The test-coupon request rows as stored, and their codes.

use opc_domain::coupon::test_coupon::{NoticeKind, Origin, PriceLink, Project, RequestStatus, TestCouponRequest};
use opc_domain::{AccountId, PartnerId, Timestamp};

use crate::codes::Code;
use crate::rows::{decode_error, money};

impl Code for NoticeKind {
    const ALL: &'static [Self] = &NoticeKind::ALL;

    fn code(self) -> &'static str {
        match self {
            NoticeKind::LowBalance => "low_balance",
            NoticeKind::Reminder => "reminder",
        }
    }
}

pub(crate) fn origin_code(o: &Origin) -> &'static str {
    match o {
        Origin::Partner => "partner",
        Origin::Project(_) => "project",
    }
}

pub(crate) fn status_code(s: &RequestStatus) -> &'static str {
    match s {
        RequestStatus::Pending => "pending",
        RequestStatus::Approved { .. } => "approved",
        RequestStatus::Rejected { .. } => "rejected",
    }
}

pub(crate) const REQUEST_COLUMNS: &str = "id, partner_id, origin, customer_id, project_background, \
     expected_order_at_ms, expected_order_amount_e8, amount_e8, resource_config, purpose, duration_days, status, \
     coupon_id, reason, decided_at_ms, decided_by, requested_at_ms, requested_by, version";

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct RequestRow {
    pub id: String,
    pub partner_id: String,
    pub origin: String,
    pub customer_id: Option<String>,
    pub project_background: Option<String>,
    pub expected_order_at_ms: Option<i64>,
    pub expected_order_amount_e8: Option<i64>,
    pub amount_e8: i64,
    pub resource_config: String,
    pub purpose: String,
    pub duration_days: i64,
    pub status: String,
    pub coupon_id: Option<String>,
    pub reason: Option<String>,
    pub decided_at_ms: Option<i64>,
    pub decided_by: Option<String>,
    pub requested_at_ms: i64,
    pub requested_by: String,
    pub version: i64,
}

fn missing(what: &str) -> sqlx::Error {
    decode_error(what, "missing")
}

impl TryFrom<RequestRow> for TestCouponRequest {
    type Error = sqlx::Error;

    fn try_from(r: RequestRow) -> Result<TestCouponRequest, sqlx::Error> {
        let origin = match r.origin.as_str() {
            "partner" => Origin::Partner,
            "project" => Origin::Project(Project {
                customer: AccountId::parse(r.customer_id.as_deref().ok_or_else(|| missing("project customer"))?)
                    .map_err(|e| decode_error("customer id", e))?,
                background: r.project_background.ok_or_else(|| missing("project background"))?,
                expected_order_at: Timestamp::from_unix_ms(
                    r.expected_order_at_ms.ok_or_else(|| missing("expected order date"))?,
                ),
                expected_order_amount: money(
                    "expected order amount",
                    r.expected_order_amount_e8.ok_or_else(|| missing("expected order amount"))?,
                )?,
            }),
            other => return Err(decode_error("request origin", format!("{other:?}"))),
        };
        let decided = || -> Result<(Timestamp, String), sqlx::Error> {
            Ok((
                Timestamp::from_unix_ms(r.decided_at_ms.ok_or_else(|| missing("decision time"))?),
                r.decided_by.clone().ok_or_else(|| missing("decided by"))?,
            ))
        };
        let status = match r.status.as_str() {
            "pending" => RequestStatus::Pending,
            "approved" => {
                let (at, by) = decided()?;
                RequestStatus::Approved { coupon: r.coupon_id.clone().ok_or_else(|| missing("coupon id"))?, at, by }
            }
            "rejected" => {
                let (at, by) = decided()?;
                RequestStatus::Rejected { reason: r.reason.clone().unwrap_or_default(), at, by }
            }
            other => return Err(decode_error("request status", format!("{other:?}"))),
        };
        Ok(TestCouponRequest {
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            origin,
            amount: money("test coupon amount", r.amount_e8)?,
            resource_config: PriceLink::parse(&r.resource_config).map_err(|e| decode_error("resource config", e))?,
            duration_days: u32::try_from(r.duration_days).map_err(|e| decode_error("duration", e))?,
            status,
            requested_at: Timestamp::from_unix_ms(r.requested_at_ms),
            purpose: r.purpose,
            requested_by: r.requested_by,
            version: r.version,
            id: r.id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::tests::check;
    use opc_domain::coupon::CouponKind;

    #[test]
    fn test_coupon_codes_round_trip() {
        check::<NoticeKind>();
        check::<CouponKind>();
    }
}
