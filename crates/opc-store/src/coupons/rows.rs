//! The coupon rows as stored (quotas, coupons, both ledgers) and their codes.

use opc_domain::coupon::{
    Closure, Coupon, CouponEntry, CouponEntryKind, CouponKind, CouponQuota, CouponRefund, Grantor, HoldState, Limits,
    OrderHold, QuotaEntry, QuotaEntryKind, Validity,
};
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, PartnerId, Timestamp};

use crate::codes::Code;
use crate::rows::{decode_error, money};

impl Code for QuotaEntryKind {
    const ALL: &'static [Self] = &QuotaEntryKind::ALL;

    fn code(self) -> &'static str {
        match self {
            QuotaEntryKind::Grant => "grant",
            QuotaEntryKind::QuotaIssue => "quota_issue",
            QuotaEntryKind::QuotaReclaim => "quota_reclaim",
            QuotaEntryKind::CouponIssue => "coupon_issue",
            QuotaEntryKind::CouponReclaim => "coupon_reclaim",
            QuotaEntryKind::CouponExpiry => "coupon_expiry",
            QuotaEntryKind::Conversion => "conversion",
        }
    }
}

impl Code for CouponEntryKind {
    const ALL: &'static [Self] = &CouponEntryKind::ALL;

    fn code(self) -> &'static str {
        match self {
            CouponEntryKind::Issue => "issue",
            CouponEntryKind::Deduct => "deduct",
            CouponEntryKind::Reclaim => "reclaim",
            CouponEntryKind::Expire => "expire",
            CouponEntryKind::Refund => "refund",
            CouponEntryKind::MemberGrant => "member_grant",
            CouponEntryKind::MemberReturn => "member_return",
        }
    }
}

impl Code for CouponKind {
    const ALL: &'static [Self] = &CouponKind::ALL;

    fn code(self) -> &'static str {
        match self {
            CouponKind::Cash => "cash",
            CouponKind::Test => "test",
        }
    }
}

impl Code for Closure {
    const ALL: &'static [Self] = &[Closure::Reclaimed, Closure::Expired];

    fn code(self) -> &'static str {
        match self {
            Closure::Reclaimed => "reclaimed",
            Closure::Expired => "expired",
        }
    }
}

/// A limit list as stored: its entries joined by newlines (none contains one: they are service
/// type codes and product ids checked on the way in).
pub(crate) fn limit_text(list: &[String]) -> String {
    list.join("\n")
}

fn limit_list(text: &str) -> Vec<String> {
    text.split('\n').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn limits(service_types: &str, products: &str) -> Result<Limits, sqlx::Error> {
    Limits::new(limit_list(service_types), limit_list(products)).map_err(|e| decode_error("coupon limits", e))
}

pub(crate) fn grantor_id(grantor: &Grantor) -> Option<&str> {
    match grantor {
        Grantor::Operator => None,
        Grantor::Partner(p) => Some(p.as_str()),
    }
}

fn grantor(id: Option<&str>) -> Result<Grantor, sqlx::Error> {
    match id {
        None => Ok(Grantor::Operator),
        Some(id) => Ok(Grantor::Partner(partner_id(id)?)),
    }
}

fn partner_id(id: &str) -> Result<PartnerId, sqlx::Error> {
    PartnerId::parse(id).map_err(|e| decode_error("partner id", e))
}

fn validity(from: i64, to: i64) -> Result<Validity, sqlx::Error> {
    Validity::new(Timestamp::from_unix_ms(from), Timestamp::from_unix_ms(to)).map_err(|e| decode_error("validity", e))
}

pub(crate) const QUOTA_COLUMNS: &str = "id, partner_id, parent_id, grantor_id, value_e8, balance_e8, effective_at_ms, \
     expire_at_ms, service_types, products, reclaimed, created_at_ms, updated_at_ms, version";

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct QuotaRow {
    pub id: String,
    pub partner_id: String,
    pub parent_id: Option<String>,
    pub grantor_id: Option<String>,
    pub value_e8: i64,
    pub balance_e8: i64,
    pub effective_at_ms: i64,
    pub expire_at_ms: i64,
    pub service_types: String,
    pub products: String,
    pub reclaimed: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub version: i64,
}

impl TryFrom<QuotaRow> for CouponQuota {
    type Error = sqlx::Error;

    fn try_from(r: QuotaRow) -> Result<CouponQuota, sqlx::Error> {
        Ok(CouponQuota {
            partner: partner_id(&r.partner_id)?,
            grantor: grantor(r.grantor_id.as_deref())?,
            value: money("quota value", r.value_e8)?,
            balance: money("quota balance", r.balance_e8)?,
            validity: validity(r.effective_at_ms, r.expire_at_ms)?,
            limits: limits(&r.service_types, &r.products)?,
            reclaimed: r.reclaimed,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
            updated_at: Timestamp::from_unix_ms(r.updated_at_ms),
            version: r.version,
            parent: r.parent_id,
            id: r.id,
        })
    }
}

pub(crate) const COUPON_COLUMNS: &str =
    "id, partner_id, customer_id, grantor_id, quota_id, face_value_e8, balance_e8, \
     effective_at_ms, expire_at_ms, service_types, products, memo, closure, created_at_ms, last_used_at_ms, version, kind, \
     held_by_order, billing_modes, max_share_bp, parent_coupon_id";

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct CouponRow {
    pub id: String,
    pub partner_id: String,
    pub customer_id: Option<String>,
    pub grantor_id: Option<String>,
    pub quota_id: Option<String>,
    pub face_value_e8: i64,
    pub balance_e8: i64,
    pub effective_at_ms: i64,
    pub expire_at_ms: i64,
    pub service_types: String,
    pub products: String,
    pub memo: String,
    pub closure: Option<String>,
    pub created_at_ms: i64,
    pub last_used_at_ms: Option<i64>,
    pub version: i64,
    pub kind: String,
    pub held_by_order: Option<String>,
    pub billing_modes: String,
    pub max_share_bp: Option<i64>,
    pub parent_coupon_id: Option<String>,
}

/// The billing modes as stored: codes, comma-separated; empty for both.
pub(crate) fn modes_text(modes: &[opc_domain::catalog::ChargingMode]) -> String {
    modes.iter().map(|m| m.code()).collect::<Vec<_>>().join(",")
}

fn coupon_limits(r: &CouponRow) -> Result<Limits, sqlx::Error> {
    let modes = r
        .billing_modes
        .split(',')
        .filter(|m| !m.is_empty())
        .map(opc_domain::catalog::ChargingMode::from_code)
        .collect::<Result<Vec<_>, _>>()?;
    let share = r
        .max_share_bp
        .map(|bp| {
            u32::try_from(bp)
                .ok()
                .and_then(|bp| opc_domain::bill::Discount::from_basis_points(bp).ok())
                .ok_or_else(|| decode_error("coupon share", bp))
        })
        .transpose()?;
    limits(&r.service_types, &r.products)?
        .with_modes(modes)
        .with_max_share(share)
        .map_err(|e| decode_error("coupon limits", e))
}

impl TryFrom<CouponRow> for Coupon {
    type Error = sqlx::Error;

    fn try_from(r: CouponRow) -> Result<Coupon, sqlx::Error> {
        Ok(Coupon {
            kind: CouponKind::from_code(&r.kind)?,
            partner: partner_id(&r.partner_id)?,
            customer: r
                .customer_id
                .as_deref()
                .map(|c| AccountId::parse(c).map_err(|e| decode_error("customer id", e)))
                .transpose()?,
            grantor: grantor(r.grantor_id.as_deref())?,
            face_value: money("face value", r.face_value_e8)?,
            balance: money("coupon balance", r.balance_e8)?,
            validity: validity(r.effective_at_ms, r.expire_at_ms)?,
            limits: coupon_limits(&r)?,
            closure: r.closure.as_deref().map(Closure::from_code).transpose()?,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
            last_used_at: r.last_used_at_ms.map(Timestamp::from_unix_ms),
            version: r.version,
            held_by: r.held_by_order,
            quota: r.quota_id,
            parent: r.parent_coupon_id,
            memo: r.memo,
            id: r.id,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct QuotaEntryRow {
    pub id: String,
    pub quota_id: String,
    pub kind: String,
    pub amount_e8: i64,
    pub balance_after_e8: i64,
    pub counterpart_id: Option<String>,
    pub transfer_id: String,
    pub at_ms: i64,
    pub operator: String,
    pub remark: String,
    pub holder_id: String,
    pub parent_id: Option<String>,
    pub customer_id: Option<String>,
}

impl QuotaEntryRow {
    pub(crate) fn into_view(self) -> Result<opc_core::store::QuotaEntryView, sqlx::Error> {
        Ok(opc_core::store::QuotaEntryView {
            entry: QuotaEntry {
                kind: QuotaEntryKind::from_code(&self.kind)?,
                amount: money("quota entry amount", self.amount_e8)?,
                balance_after: money("quota balance", self.balance_after_e8)?,
                at: Timestamp::from_unix_ms(self.at_ms),
                id: self.id,
                quota: self.quota_id,
                counterpart: self.counterpart_id,
                transfer: self.transfer_id,
                operator: self.operator,
                remark: self.remark,
            },
            holder: partner_id(&self.holder_id)?,
            parent: self.parent_id,
            customer: self
                .customer_id
                .as_deref()
                .map(|c| AccountId::parse(c).map_err(|e| decode_error("customer id", e)))
                .transpose()?,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct CouponEntryRow {
    pub id: String,
    pub coupon_id: String,
    pub kind: String,
    pub amount_e8: i64,
    pub balance_after_e8: i64,
    pub trade: String,
    pub at_ms: i64,
}

impl TryFrom<CouponEntryRow> for CouponEntry {
    type Error = sqlx::Error;

    fn try_from(r: CouponEntryRow) -> Result<CouponEntry, sqlx::Error> {
        Ok(CouponEntry {
            kind: CouponEntryKind::from_code(&r.kind)?,
            amount: money("coupon entry amount", r.amount_e8)?,
            balance_after: money("coupon balance", r.balance_after_e8)?,
            at: Timestamp::from_unix_ms(r.at_ms),
            id: r.id,
            coupon: r.coupon_id,
            trade: r.trade,
        })
    }
}

pub(crate) const HOLD_COLUMNS: &str =
    "order_id, coupon_id, partner_id, customer_id, cycle, parts, held_at_ms, state, paid_e8, ended_at_ms";
/// [`HOLD_COLUMNS`] and what a paid hold gave back since (R-CPN-10).
pub(crate) const HOLD_READ_COLUMNS: &str = "order_id, coupon_id, partner_id, customer_id, cycle, parts, held_at_ms, \
     state, paid_e8, ended_at_ms, refunded_e8";

/// A coupon held for an order, as stored (`order_coupons`).
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct HoldRow {
    pub order_id: String,
    pub coupon_id: String,
    pub partner_id: String,
    pub customer_id: String,
    pub cycle: i64,
    pub parts: String,
    pub held_at_ms: i64,
    pub state: String,
    pub paid_e8: Option<i64>,
    pub ended_at_ms: Option<i64>,
    pub refunded_e8: i64,
}

/// A hold's state as stored: its code, what it paid, when it ended.
pub(crate) fn hold_state(s: HoldState) -> (&'static str, Option<i64>, Option<i64>) {
    match s {
        HoldState::Held => ("held", None, None),
        HoldState::Paid { paid, at } => ("paid", Some(paid.e8()), Some(at.unix_ms())),
        HoldState::Released { at } => ("released", None, Some(at.unix_ms())),
    }
}

/// The order's parts at list price as stored: JSON `[[service type, e8], …]`.
pub(crate) fn encode_parts(parts: &[(String, opc_domain::Money)]) -> String {
    let parts: Vec<(&str, i64)> = parts.iter().map(|(s, m)| (s.as_str(), m.e8())).collect();
    serde_json::to_string(&parts).expect("strings and integers always serialize")
}

impl TryFrom<HoldRow> for OrderHold {
    type Error = sqlx::Error;

    fn try_from(r: HoldRow) -> Result<OrderHold, sqlx::Error> {
        let parts: Vec<(String, i64)> =
            serde_json::from_str(&r.parts).map_err(|e| decode_error("order coupon parts", e))?;
        let ended =
            || r.ended_at_ms.map(Timestamp::from_unix_ms).ok_or_else(|| decode_error("order coupon", "no end time"));
        let state = match r.state.as_str() {
            "held" => HoldState::Held,
            "paid" => HoldState::Paid { paid: money("coupon paid", r.paid_e8.unwrap_or_default())?, at: ended()? },
            "released" => HoldState::Released { at: ended()? },
            other => return Err(decode_error("order coupon state", other)),
        };
        Ok(OrderHold {
            parts: parts
                .into_iter()
                .map(|(s, e8)| Ok((s, money("order part", e8)?)))
                .collect::<Result<_, sqlx::Error>>()?,
            partner: partner_id(&r.partner_id)?,
            customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
            cycle: Cycle(r.cycle),
            at: Timestamp::from_unix_ms(r.held_at_ms),
            order: r.order_id,
            coupon: r.coupon_id,
            state,
            refunded: money("coupon refunded", r.refunded_e8)?,
        })
    }
}

/// A coupon's refund for a partner bill, as stored (`coupon_refunds`).
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct CouponRefundRow {
    pub entry_id: String,
    pub coupon_id: String,
    pub partner_id: String,
    pub customer_id: String,
    pub order_id: String,
    pub unsubscription_id: String,
    pub service_type: String,
    pub cycle: i64,
    pub amount_e8: i64,
    pub at_ms: i64,
}

pub(crate) const REFUND_COLUMNS: &str = "entry_id, coupon_id, partner_id, customer_id, order_id, unsubscription_id, \
     service_type, cycle, amount_e8, at_ms";

impl TryFrom<CouponRefundRow> for CouponRefund {
    type Error = sqlx::Error;

    fn try_from(r: CouponRefundRow) -> Result<CouponRefund, sqlx::Error> {
        Ok(CouponRefund {
            entry: r.entry_id,
            coupon: r.coupon_id,
            partner: partner_id(&r.partner_id)?,
            customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
            order: r.order_id,
            unsubscription: r.unsubscription_id,
            service_type: r.service_type,
            cycle: Cycle(r.cycle),
            amount: money("coupon refund", r.amount_e8)?,
            at: Timestamp::from_unix_ms(r.at_ms),
        })
    }
}
