//! The BSS wire codes of orders and resources (B1.6, B1.7): one exhaustive `match` per enum, so
//! a new variant does not compile without its code; parsing finds the variant with the code.

use opc_domain::order::{ExpirePolicy, OrderSource, OrderStatus, OrderType, ResourceStatus};

/// B1.6 `status`: 4 cancelled, 5 completed, 6 pending payment (1, 3 and 9 are statuses this
/// system never gives).
pub(crate) fn order_status(s: OrderStatus) -> i32 {
    match s {
        OrderStatus::Cancelled => 4,
        OrderStatus::Completed => 5,
        OrderStatus::PendingPayment => 6,
    }
}

pub(super) fn parse_order_status(code: i64) -> Option<OrderStatus> {
    OrderStatus::ALL.into_iter().find(|s| i64::from(order_status(*s)) == code)
}

/// B1.6 `order_type`: 1 new purchase, 2 renewal, 4 unsubscription.
pub(super) fn order_type(t: OrderType) -> i32 {
    match t {
        OrderType::New => 1,
        OrderType::Renewal => 2,
        OrderType::Unsubscription => 4,
    }
}

pub(super) fn parse_order_type(code: i64) -> Option<OrderType> {
    OrderType::ALL.into_iter().find(|t| i64::from(order_type(*t)) == code)
}

/// B1.6 `source_type`: 1 the customer, 2 its partner, 8 the system.
pub(super) fn order_source(s: OrderSource) -> i32 {
    match s {
        OrderSource::Customer => 1,
        OrderSource::Partner => 2,
        OrderSource::System => 8,
    }
}

/// B1.7.7 `status`: 2 in use, 3 closed, 4 frozen, 5 expired.
pub(super) fn resource_status(s: ResourceStatus) -> i32 {
    match s {
        ResourceStatus::InUse => 2,
        ResourceStatus::Closed => 3,
        ResourceStatus::Frozen => 4,
        ResourceStatus::Expired => 5,
    }
}

pub(super) fn parse_resource_status(code: i64) -> Option<ResourceStatus> {
    ResourceStatus::ALL.into_iter().find(|s| i64::from(resource_status(*s)) == code)
}

/// B1.7.7 `expire_policy`: 0 grace period then deletion, 1 to pay-per-use, 3 automatic renewal.
pub(super) fn expire_policy(p: ExpirePolicy) -> i32 {
    match p {
        ExpirePolicy::Grace => 0,
        ExpirePolicy::ToOnDemand => 1,
        ExpirePolicy::AutoRenew { .. } => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bss::wire::{parse_period_type, period_type};
    use opc_domain::catalog::PeriodType;

    fn distinct(codes: &[i32]) {
        let mut sorted = codes.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), codes.len(), "codes are distinct: {codes:?}");
    }

    #[test]
    fn every_order_and_resource_wire_code_round_trips() {
        for s in OrderStatus::ALL {
            assert_eq!(parse_order_status(i64::from(order_status(s))), Some(s));
        }
        for t in OrderType::ALL {
            assert_eq!(parse_order_type(i64::from(order_type(t))), Some(t));
        }
        for s in ResourceStatus::ALL {
            assert_eq!(parse_resource_status(i64::from(resource_status(s))), Some(s));
        }
        for t in [PeriodType::Month, PeriodType::Year] {
            assert_eq!(parse_period_type(i64::from(period_type(t))), Some(t));
        }
        assert_eq!((parse_order_status(1), parse_order_type(3), parse_resource_status(1)), (None, None, None));
        assert_eq!((parse_period_type(0), parse_period_type(4)), (None, None), "days and hours are not sold");
        distinct(&OrderSource::ALL.map(order_source));
        let renew = ExpirePolicy::AutoRenew { period: PeriodType::Month, times: 0 };
        assert_eq!([ExpirePolicy::Grace, ExpirePolicy::ToOnDemand, renew].map(expire_policy), [0, 1, 3]);
    }
}
