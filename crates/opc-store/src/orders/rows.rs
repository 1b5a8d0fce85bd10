//! Rows of orders, their lines and resources (issue #6), and their conversions.

use opc_domain::association::AssociationModel;
use opc_domain::catalog::PeriodType;
use opc_domain::order::{
    ExpirePolicy, Order, OrderLine, OrderSource, OrderStatus, OrderType, Product, Resource, StoredOrder,
    StoredOrderLine, StoredResource,
};
use opc_domain::{AccountId, OrderId, PartnerId, ResourceId, Timestamp};

use crate::codes::{Code, NumCode};
use crate::rows::decode_error as bad;
use crate::rows::money;

impl NumCode for OrderStatus {
    const ALL: &'static [Self] = &OrderStatus::ALL;

    fn code(self) -> i64 {
        match self {
            OrderStatus::Cancelled => 4,
            OrderStatus::Completed => 5,
            OrderStatus::PendingPayment => 6,
        }
    }
}

impl NumCode for OrderType {
    const ALL: &'static [Self] = &OrderType::ALL;

    fn code(self) -> i64 {
        match self {
            OrderType::New => 1,
            OrderType::Renewal => 2,
            OrderType::Unsubscription => 4,
        }
    }
}

impl NumCode for OrderSource {
    const ALL: &'static [Self] = &OrderSource::ALL;

    fn code(self) -> i64 {
        match self {
            OrderSource::Customer => 1,
            OrderSource::Partner => 2,
            OrderSource::System => 8,
        }
    }
}

/// A resource's stored `expire_policy`, and its renewal period and count when it renews.
fn expire_policy_columns(policy: ExpirePolicy) -> (i64, Option<i64>, Option<i64>) {
    match policy {
        ExpirePolicy::Grace => (0, None, None),
        ExpirePolicy::ToOnDemand => (1, None, None),
        ExpirePolicy::AutoRenew { period, times } => (3, Some(period.code()), Some(i64::from(times))),
    }
}

fn expire_policy(code: i64, period: Option<i64>, times: Option<i64>) -> Result<ExpirePolicy, sqlx::Error> {
    match (code, period, times) {
        (0, _, _) => Ok(ExpirePolicy::Grace),
        (1, _, _) => Ok(ExpirePolicy::ToOnDemand),
        (3, Some(p), Some(t)) => Ok(ExpirePolicy::AutoRenew {
            period: PeriodType::from_code(p)?,
            times: u8::try_from(t).map_err(|e| bad("renewal times", e))?,
        }),
        (p, _, _) => Err(bad("expire policy", p)),
    }
}

fn order_id(id: &str) -> Result<OrderId, sqlx::Error> {
    OrderId::parse(id).map_err(|e| bad("order id", e))
}

fn resource_id(id: &str) -> Result<ResourceId, sqlx::Error> {
    ResourceId::parse(id).map_err(|e| bad("resource id", e))
}

fn owner(partner: Option<String>, model: Option<String>) -> Result<Option<(PartnerId, AssociationModel)>, sqlx::Error> {
    match (partner, model) {
        (Some(p), Some(m)) => Ok(Some((PartnerId::parse(&p).map_err(|e| bad("partner id", e))?, Code::from_code(&m)?))),
        _ => Ok(None),
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct OrderRow {
    pub id: String,
    pub customer_id: String,
    pub partner_id: Option<String>,
    pub model: Option<String>,
    pub order_type: i64,
    pub status: i64,
    pub source: i64,
    pub user_name: String,
    pub service_type: String,
    pub created_at_ms: i64,
    pub pay_by_ms: i64,
    pub paid_at_ms: Option<i64>,
    pub version: i64,
}

impl OrderRow {
    pub fn new(o: &Order) -> OrderRow {
        OrderRow {
            id: o.id().as_str().to_owned(),
            customer_id: o.customer().as_str().to_owned(),
            partner_id: o.partner().map(|(p, _)| p.as_str().to_owned()),
            model: o.partner().map(|(_, m)| m.code().to_owned()),
            order_type: o.order_type().code(),
            status: o.status().code(),
            source: o.source().code(),
            user_name: o.user_name().to_owned(),
            service_type: o.service_type().to_owned(),
            created_at_ms: o.created_at().unix_ms(),
            pay_by_ms: o.pay_by().unix_ms(),
            paid_at_ms: o.paid_at().map(Timestamp::unix_ms),
            version: o.version(),
        }
    }

    /// The order with its lines (in their order).
    pub fn into_order(self, lines: Vec<OrderLineRow>) -> Result<Order, sqlx::Error> {
        Ok(Order::from_stored(StoredOrder {
            customer: AccountId::parse(&self.customer_id).map_err(|e| bad("customer id", e))?,
            partner: owner(self.partner_id, self.model)?,
            order_type: OrderType::from_code(self.order_type)?,
            status: OrderStatus::from_code(self.status)?,
            source: OrderSource::from_code(self.source)?,
            user_name: self.user_name,
            created_at: Timestamp::from_unix_ms(self.created_at_ms),
            pay_by: Timestamp::from_unix_ms(self.pay_by_ms),
            paid_at: self.paid_at_ms.map(Timestamp::from_unix_ms),
            lines: lines.into_iter().map(OrderLine::try_from).collect::<Result<_, _>>()?,
            version: self.version,
            id: order_id(&self.id)?,
        }))
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct OrderLineRow {
    pub id: String,
    pub order_id: String,
    pub position: i64,
    pub resource_id: String,
    pub parent_resource: Option<String>,
    pub service_type: String,
    pub resource_type: String,
    pub resource_spec: String,
    pub region: String,
    pub size: Option<i64>,
    pub period_type: Option<i64>,
    pub period_num: Option<i64>,
    pub official_e8: i64,
    pub consumed_e8: i64,
    pub effective_at_ms: Option<i64>,
    pub expire_at_ms: Option<i64>,
    pub base_order_id: Option<String>,
}

impl OrderLineRow {
    pub fn new(order: &Order, position: usize, l: &OrderLine) -> OrderLineRow {
        OrderLineRow {
            id: l.id().to_owned(),
            order_id: order.id().as_str().to_owned(),
            position: position as i64,
            resource_id: l.resource_id().as_str().to_owned(),
            parent_resource: l.parent_resource().map(|r| r.as_str().to_owned()),
            service_type: l.product().service_type.clone(),
            resource_type: l.product().resource_type.clone(),
            resource_spec: l.product().spec.clone(),
            region: l.product().region.clone(),
            size: l.product().size,
            period_type: l.period().map(|(p, _)| p.code()),
            period_num: l.period().map(|(_, n)| i64::from(n)),
            official_e8: l.official().e8(),
            consumed_e8: l.consumed().e8(),
            effective_at_ms: l.term().map(|(s, _)| s.unix_ms()),
            expire_at_ms: l.term().map(|(_, e)| e.unix_ms()),
            base_order_id: l.base_order().map(|o| o.as_str().to_owned()),
        }
    }
}

/// A charged order's line with its charge and the term it refunds (`Orders::order_costs`).
#[derive(sqlx::FromRow)]
pub(crate) struct OrderCostRow {
    order_id: String,
    order_type: i64,
    line_id: String,
    resource_id: String,
    service_type: String,
    resource_type: String,
    resource_spec: String,
    region: String,
    size: Option<i64>,
    period_type: Option<i64>,
    period_num: Option<i64>,
    official_e8: i64,
    effective_at_ms: Option<i64>,
    expire_at_ms: Option<i64>,
    base_effective_at_ms: Option<i64>,
    base_expire_at_ms: Option<i64>,
    charged_at_ms: i64,
    cycle: i64,
    partner_id: String,
    model: String,
}

fn term_of(start: Option<i64>, end: Option<i64>) -> Option<(Timestamp, Timestamp)> {
    match (start, end) {
        (Some(s), Some(e)) => Some((Timestamp::from_unix_ms(s), Timestamp::from_unix_ms(e))),
        _ => None,
    }
}

impl OrderCostRow {
    pub(crate) fn into_cost(self) -> Result<opc_core::store::OrderCost, sqlx::Error> {
        let period = match (self.period_type, self.period_num) {
            (Some(t), Some(n)) => {
                Some((PeriodType::from_code(t)?, i32::try_from(n).map_err(|e| bad("period num", e))?))
            }
            _ => None,
        };
        Ok(opc_core::store::OrderCost {
            order_id: OrderId::parse(&self.order_id).map_err(|e| bad("order id", e))?,
            order_type: OrderType::from_code(self.order_type)?,
            line_id: self.line_id,
            resource_id: self.resource_id,
            product: Product {
                service_type: self.service_type,
                resource_type: self.resource_type,
                spec: self.resource_spec,
                region: self.region,
                size: self.size,
            },
            period,
            amount: money("order line amount", self.official_e8)?,
            term: term_of(self.effective_at_ms, self.expire_at_ms),
            refunded_term: term_of(self.base_effective_at_ms, self.base_expire_at_ms),
            charged_at: Timestamp::from_unix_ms(self.charged_at_ms),
            cycle: opc_domain::usage::Cycle(self.cycle),
            partner: crate::rows::rated_partner(&self.partner_id, &self.model)?,
        })
    }
}

impl TryFrom<OrderLineRow> for OrderLine {
    type Error = sqlx::Error;

    fn try_from(r: OrderLineRow) -> Result<OrderLine, sqlx::Error> {
        let period = match (r.period_type, r.period_num) {
            (Some(t), Some(n)) => {
                Some((PeriodType::from_code(t)?, i32::try_from(n).map_err(|e| bad("period num", e))?))
            }
            _ => None,
        };
        let term = match (r.effective_at_ms, r.expire_at_ms) {
            (Some(s), Some(e)) => Some((Timestamp::from_unix_ms(s), Timestamp::from_unix_ms(e))),
            _ => None,
        };
        Ok(OrderLine::from_stored(StoredOrderLine {
            id: r.id,
            resource_id: resource_id(&r.resource_id)?,
            parent_resource: r.parent_resource.as_deref().map(resource_id).transpose()?,
            product: Product {
                service_type: r.service_type,
                resource_type: r.resource_type,
                spec: r.resource_spec,
                region: r.region,
                size: r.size,
            },
            period,
            official: money("line amount", r.official_e8)?,
            consumed: money("consumed amount", r.consumed_e8)?,
            term,
            base_order: r.base_order_id.as_deref().map(order_id).transpose()?,
        }))
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct ResourceRow {
    pub id: String,
    pub customer_id: String,
    pub order_id: String,
    pub parent_id: Option<String>,
    pub service_type: String,
    pub resource_type: String,
    pub resource_spec: String,
    pub region: String,
    pub size: Option<i64>,
    pub period_type: i64,
    pub closed: bool,
    pub effective_at_ms: i64,
    pub expire_at_ms: i64,
    pub expire_policy: i64,
    pub renew_period: Option<i64>,
    pub renew_times: Option<i64>,
    pub updated_at_ms: i64,
    pub version: i64,
}

impl From<&Resource> for ResourceRow {
    fn from(r: &Resource) -> ResourceRow {
        let (expire_policy, renew_period, renew_times) = expire_policy_columns(r.policy());
        let p = r.product();
        ResourceRow {
            id: r.id().as_str().to_owned(),
            customer_id: r.customer().as_str().to_owned(),
            order_id: r.order_id().as_str().to_owned(),
            parent_id: r.parent().map(|p| p.as_str().to_owned()),
            service_type: p.service_type.clone(),
            resource_type: p.resource_type.clone(),
            resource_spec: p.spec.clone(),
            region: p.region.clone(),
            size: p.size,
            period_type: r.period().code(),
            closed: r.closed(),
            effective_at_ms: r.effective().unix_ms(),
            expire_at_ms: r.expire().unix_ms(),
            expire_policy,
            renew_period,
            renew_times,
            updated_at_ms: r.updated_at().unix_ms(),
            version: r.version(),
        }
    }
}

impl TryFrom<ResourceRow> for Resource {
    type Error = sqlx::Error;

    fn try_from(r: ResourceRow) -> Result<Resource, sqlx::Error> {
        let policy = expire_policy(r.expire_policy, r.renew_period, r.renew_times)?;
        Ok(Resource::from_stored(StoredResource {
            id: resource_id(&r.id)?,
            customer: AccountId::parse(&r.customer_id).map_err(|e| bad("customer id", e))?,
            order_id: order_id(&r.order_id)?,
            parent: r.parent_id.as_deref().map(resource_id).transpose()?,
            product: Product {
                service_type: r.service_type,
                resource_type: r.resource_type,
                spec: r.resource_spec,
                region: r.region,
                size: r.size,
            },
            period: PeriodType::from_code(r.period_type)?,
            closed: r.closed,
            effective: Timestamp::from_unix_ms(r.effective_at_ms),
            expire: Timestamp::from_unix_ms(r.expire_at_ms),
            policy,
            updated_at: Timestamp::from_unix_ms(r.updated_at_ms),
            version: r.version,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::tests::check_num;

    #[test]
    fn every_order_code_round_trips() {
        check_num::<OrderStatus>();
        check_num::<OrderType>();
        check_num::<OrderSource>();
        let period = |p| ExpirePolicy::AutoRenew { period: p, times: 2 };
        for policy in
            [ExpirePolicy::Grace, ExpirePolicy::ToOnDemand, period(PeriodType::Month), period(PeriodType::Year)]
        {
            let (code, renew_period, renew_times) = expire_policy_columns(policy);
            assert_eq!(expire_policy(code, renew_period, renew_times).unwrap(), policy);
        }
        assert!(expire_policy(2, None, None).is_err());
        assert!(expire_policy(3, None, None).is_err(), "a renewal without its period");
    }
}
