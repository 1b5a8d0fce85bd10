//! The BSS wire codes of orders and resources (B1.6, B1.7): one exhaustive `match` per enum, so
//! a new variant does not compile without its code; parsing finds the variant with the code.

use opc_domain::order::{ExpirePolicy, OrderSource, OrderStatus, OrderType, RenewConfig, RenewSetting, ResourceStatus};

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

/// B1.7.9 `config_name`: DEDUCTION_DATE (days before expiry), EXPIRE_DATE (the unified day).
pub(super) fn renew_setting(s: RenewSetting) -> &'static str {
    match s {
        RenewSetting::DeductionDays => "DEDUCTION_DATE",
        RenewSetting::ExpireDay => "EXPIRE_DATE",
    }
}

/// B1.7.9: the setting `name` at `value`; the error's first word is the field it is about.
pub(super) fn renew_config(name: &str, value: &str) -> Result<RenewConfig, String> {
    let n: i64 = value.trim().parse().map_err(|_| format!("config_value {value:?} is not a number"))?;
    let setting = RenewSetting::ALL
        .into_iter()
        .find(|s| renew_setting(*s) == name)
        .ok_or_else(|| "config_name must be DEDUCTION_DATE or EXPIRE_DATE".to_owned())?;
    RenewConfig::new(setting, n).map_err(|_| match setting {
        RenewSetting::DeductionDays => "config_value must be 2 to 7 (days before expiry) for DEDUCTION_DATE".to_owned(),
        RenewSetting::ExpireDay => "config_value must be 1 to 28, or -1 (the last day), for EXPIRE_DATE".to_owned(),
    })
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

    #[test]
    fn renew_settings_take_the_documented_ranges() {
        assert_eq!(renew_config("DEDUCTION_DATE", "7"), Ok(RenewConfig::DeductionDays(7)));
        assert_eq!(renew_config("EXPIRE_DATE", "-1"), Ok(RenewConfig::ExpireDay(-1)));
        assert!(renew_config("DEDUCTION_DATE", "1").is_err());
        assert!(renew_config("EXPIRE_DATE", "29").is_err());
        assert!(renew_config("OTHER", "3").is_err());
    }
}

/// B1.6.3 `discount_type`, B1.6.4 `discount_infos[].type`: the discounts this system offers
/// for orders (0 promotion, 1 contract and 2 business discounts are never offered).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DiscountType {
    /// 3: a partner-granted (general) discount.
    PartnerGranted,
    /// 609: an order price adjustment (a special discount); if present it must be used.
    PriceAdjustment,
}

impl DiscountType {
    pub(crate) fn of(special: bool) -> DiscountType {
        if special {
            DiscountType::PriceAdjustment
        } else {
            DiscountType::PartnerGranted
        }
    }

    pub(crate) fn code(self) -> i32 {
        match self {
            DiscountType::PartnerGranted => 3,
            DiscountType::PriceAdjustment => 609,
        }
    }
}

pub(super) fn discount_type(code: i64) -> Option<DiscountType> {
    [DiscountType::PartnerGranted, DiscountType::PriceAdjustment].into_iter().find(|t| i64::from(t.code()) == code)
}

/// B1.6.3 `discount_mode` 0: a discount rate (1 fixed price and 2 amount-off are never used).
pub(super) const DISCOUNT_MODE_RATE: i32 = 0;

/// B1.6 `amount_info.discounts[].discount_type` (`DiscountItemV2`): 607 a partner-authorized
/// discount, 609 an order price adjustment.
pub(super) fn discount_item_type(special: bool) -> &'static str {
    match DiscountType::of(special) {
        DiscountType::PartnerGranted => "607",
        DiscountType::PriceAdjustment => "609",
    }
}
