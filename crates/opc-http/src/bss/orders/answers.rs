//! The answers of the order and resource operations, typed. Fields are declared by name: the
//! order the answers have always had on the wire.

use opc_core::ops::orders::Failure;
use opc_domain::catalog::{Catalog, PeriodType};
use opc_domain::order::{Order, OrderLine, OrderStatus, OrderType, Product, Resource, ResourceStatus};
use opc_domain::Money;
use serde::Serialize;

use opc_domain::discount::{payable, AppliedDiscount};

use super::codes::{self, DiscountType, DISCOUNT_MODE_RATE};
use crate::bss::wire::{self, Amount, Rate, CURRENCY, MEASURE_ID};
use crate::error::ApiError;

/// `AmountInfoV2`: an amount's breakdown: the partner discount an order was paid with (607 or
/// 609), never a coupon or card; an unsubscription's also names the commission and the
/// consumed amount.
#[derive(Serialize)]
pub struct AmountInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) commission_amount: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) consumed_amount: Option<Amount>,
    pub(super) coupon_amount: i32,
    pub(super) discounts: Vec<DiscountItem>,
    pub(super) flexipurchase_coupon_amount: i32,
    pub(super) stored_card_amount: i32,
}

/// `DiscountItemV2`.
#[derive(Serialize)]
pub struct DiscountItem {
    discount_type: &'static str,
    discount_amount: Amount,
}

/// `CustomerOrderV2`/`V3`: the order's summary. Fields here and below are in the order the answer
/// has always had: by name.
#[derive(Serialize)]
pub struct CustomerOrder {
    pub(super) amount_after_discount: Amount,
    pub(super) amount_info: AmountInfo,
    pub(super) create_time: String,
    pub(super) currency: &'static str,
    pub(super) customer_id: String,
    pub(super) enterprise_projects: [(); 0],
    pub(super) measure_id: i32,
    pub(super) official_amount: Amount,
    pub(super) order_id: String,
    pub(super) order_type: i32,
    pub(super) payment_time: Option<String>,
    pub(super) pending_payment_end_time: Option<String>,
    pub(super) service_type_code: String,
    pub(super) service_type_name: Option<String>,
    pub(super) source_type: i32,
    pub(super) status: i32,
    pub(super) sub_order_infos: [(); 0],
    pub(super) user_name: String,
}

/// `OrderLineItemEntityV2`.
#[derive(Serialize)]
pub struct OrderLineItem {
    pub(super) amount_after_discount: Amount,
    pub(super) amount_info: AmountInfo,
    pub(super) base_product_info: BaseProductInfo,
    pub(super) category_code: String,
    pub(super) commercial_resource: String,
    pub(super) currency: &'static str,
    pub(super) effective_time: Option<String>,
    pub(super) expire_time: Option<String>,
    pub(super) official_amount: Amount,
    pub(super) order_id: String,
    pub(super) order_line_item_id: String,
    pub(super) period_num: Option<i32>,
    pub(super) period_type: Option<i32>,
    pub(super) product_id: String,
    pub(super) product_owner_service: String,
    pub(super) product_spec_desc: String,
    pub(super) service_type_code: String,
    pub(super) service_type_name: Option<String>,
    pub(super) subscription_num: i32,
}

/// `BaseProductInfo`.
#[derive(Serialize)]
pub struct BaseProductInfo {
    pub(super) category_code: String,
    pub(super) commercial_resource: String,
    pub(super) product_id: String,
    pub(super) product_owner_service: String,
    pub(super) product_spec_desc: String,
}

/// `FailResourceInfo`: a resource the operation left out, with the error it would have had.
#[derive(Serialize)]
pub struct FailResourceInfo {
    pub(super) error_code: &'static str,
    pub(super) error_msg: String,
    pub(super) resource_id: String,
}

/// `OrderInstanceV2`: a yearly/monthly resource.
#[derive(Serialize)]
pub struct ResourceInfo {
    pub(super) effective_time: String,
    /// Always null: enterprise projects are not modelled.
    pub(super) enterprise_project: (),
    pub(super) expire_policy: i32,
    pub(super) expire_time: String,
    pub(super) id: String,
    pub(super) is_main_resource: i32,
    pub(super) parent_resource_id: Option<String>,
    pub(super) product_id: String,
    pub(super) product_spec_desc: String,
    pub(super) project_id: &'static str,
    pub(super) region_code: String,
    pub(super) resource_id: String,
    pub(super) resource_name: String,
    pub(super) resource_spec_code: String,
    pub(super) resource_type_code: String,
    pub(super) resource_type_name: Option<String>,
    pub(super) service_type_code: String,
    pub(super) service_type_name: Option<String>,
    pub(super) spec_size: Option<i64>,
    pub(super) spec_size_measure_id: Option<i32>,
    pub(super) status: i32,
    pub(super) update_time: String,
}

/// `ListCustomerOrdersResponse`.
#[derive(Serialize)]
pub struct OrdersResponse {
    pub(super) order_infos: Vec<CustomerOrder>,
    pub(super) total_count: u64,
}

/// `ListOrderDiscountsResponse`.
#[derive(Serialize)]
pub struct DiscountsResponse {
    pub(super) discounts: Vec<DiscountInfo>,
}

/// `DiscountInfoV3`: a discount and the order lines it lowers. `discount_value` and each line's
/// `discount_ratio` are Huawei's 折扣率, the fraction of the list price paid (0.85 for 15 %
/// off); `discount_amount` is what the discount takes off. Lines are listed one by one (each
/// item names one line).
#[derive(Serialize)]
pub struct DiscountInfo {
    discount_id: String,
    discount_value: String,
    discount_type: i32,
    orders: Vec<DiscountOrder>,
}

/// `OrderV3`.
#[derive(Serialize)]
struct DiscountOrder {
    order_id: String,
    order_line_items: Vec<DiscountLine>,
}

/// `OrderLineItemV3`.
#[derive(Serialize)]
struct DiscountLine {
    order_line_item_ids: Vec<String>,
    discount_mode: i32,
    discount_amount: Amount,
    discount_ratio: Rate,
}

impl DiscountInfo {
    pub fn new(a: &AppliedDiscount) -> DiscountInfo {
        let ratio = payable(a.off);
        DiscountInfo {
            discount_id: a.discount_id.clone(),
            discount_value: ratio.fraction_text(),
            discount_type: DiscountType::of(a.special).code(),
            orders: vec![DiscountOrder {
                order_id: a.order.to_string(),
                order_line_items: a
                    .lines
                    .iter()
                    .map(|l| DiscountLine {
                        order_line_item_ids: vec![l.line_id.clone()],
                        discount_mode: DISCOUNT_MODE_RATE,
                        discount_amount: Amount(l.discount),
                        discount_ratio: Rate(ratio),
                    })
                    .collect(),
            }],
        }
    }
}

/// `ShowCustomerOrderDetailsResponse`.
#[derive(Serialize)]
pub struct OrderDetailsResponse {
    pub(super) order_info: CustomerOrder,
    pub(super) order_line_items: Vec<OrderLineItem>,
    pub(super) total_count: usize,
}

/// `ShowRefundOrderDetailsResponse`.
#[derive(Serialize)]
pub struct RefundOrdersResponse {
    pub(super) refund_infos: Vec<RefundInfo>,
    pub(super) total_count: usize,
}

/// `RefundOrderInfo`. `measure_id` is a string here, as the answer has always had it.
#[derive(Serialize)]
pub struct RefundInfo {
    pub(super) amount: Amount,
    pub(super) base_order_id: Option<String>,
    pub(super) customer_id: String,
    pub(super) id: String,
    pub(super) measure_id: String,
    pub(super) region_code: String,
    pub(super) resource_type_code: String,
    pub(super) resource_type_name: Option<String>,
    pub(super) service_type_code: String,
    pub(super) service_type_name: Option<String>,
}

/// `ListCustomerOnDemandResourcesResponse`.
#[derive(Serialize)]
pub struct OnDemandResourcesResponse {
    pub(super) resources: Vec<OnDemandResourceInfo>,
    pub(super) total_count: u64,
}

/// `CustomerOnDemandResource`.
#[derive(Serialize)]
pub struct OnDemandResourceInfo {
    /// Always null: availability zones are not modelled.
    pub(super) availability_zone_code: (),
    pub(super) customer_id: String,
    pub(super) effective_time: String,
    /// Always null: a pay-per-use resource does not expire.
    pub(super) expire_time: (),
    pub(super) product_spec_desc: String,
    pub(super) region_code: String,
    pub(super) resource_id: String,
    pub(super) resource_name: String,
    pub(super) resource_spec_code: String,
    pub(super) resource_type_code: String,
    pub(super) resource_type_name: Option<String>,
    pub(super) service_type_code: String,
    pub(super) service_type_name: Option<String>,
    pub(super) status: i64,
}

/// The answer of unsubscribing and renewing: the orders made, and the resources left out.
#[derive(Serialize)]
pub struct OrderIdsResponse {
    pub(super) fail_resource_infos: Vec<FailResourceInfo>,
    pub(super) order_ids: Vec<String>,
}

/// `ListPayPerUseCustomerResourcesResponse`.
#[derive(Serialize)]
pub struct ResourcesResponse {
    pub(super) data: Vec<ResourceInfo>,
    pub(super) total_count: u64,
}

/// `ListRenewRateOnPeriodResponse`: amounts are strings here, as the answer has always had them.
#[derive(Serialize)]
pub struct RenewRateResponse {
    pub(super) currency: &'static str,
    pub(super) fail_resource_infos: Vec<FailResourceInfo>,
    pub(super) official_website_rating_result: RenewRatingResult,
    pub(super) optional_discount_rating_results: [(); 0],
    pub(super) renew_inquiry_results: Vec<RenewInquiryResult>,
}

/// `RenewInquiryResult`.
#[derive(Serialize)]
pub struct RenewInquiryResult {
    pub(super) amount: String,
    pub(super) resource_id: String,
}

/// `OfficialWebsiteRatingResult` of a renewal.
#[derive(Serialize)]
pub struct RenewRatingResult {
    pub(super) official_website_amount: String,
}

/// `UpdatePeriodToOnDemandResponse`: every resource left out (an empty list when none was).
#[derive(Serialize)]
pub struct ErrorDetailsResponse {
    pub(super) error_details: Vec<ErrorDetail>,
}

/// `ErrorDetail`.
#[derive(Serialize)]
pub struct ErrorDetail {
    pub(super) error_code: &'static str,
    pub(super) error_msg: String,
    pub(super) id: String,
}

/// The service type's name in the asked language, if the catalog knows it.
pub(super) fn names(catalog: &Catalog, service_type: &str, english: bool) -> Option<String> {
    catalog.service_type(service_type).map(|s| s.name.get(english).to_owned())
}

pub(super) fn spec_name<'a>(catalog: &'a Catalog, spec: &'a str, english: bool) -> &'a str {
    catalog.specs.iter().find(|s| s.code == spec).map_or(spec, |s| s.name.get(english))
}

/// A yearly/monthly product's id on the wire: the catalog offering's.
fn product_id(p: &Product, period: Option<PeriodType>) -> String {
    format!("{}:{}:period:{}", p.spec, p.region, period.map_or(0, wire::period_type))
}

impl AmountInfo {
    /// No deductions.
    fn none() -> AmountInfo {
        AmountInfo {
            commission_amount: None,
            consumed_amount: None,
            coupon_amount: 0,
            discounts: vec![],
            flexipurchase_coupon_amount: 0,
            stored_card_amount: 0,
        }
    }

    fn discounted(special: bool, amount: Money) -> AmountInfo {
        let item = DiscountItem { discount_type: codes::discount_item_type(special), discount_amount: Amount(amount) };
        AmountInfo { discounts: vec![item], ..AmountInfo::none() }
    }

    fn of(order: &Order, applied: Option<&AppliedDiscount>) -> AmountInfo {
        if order.order_type() != OrderType::Unsubscription {
            return match applied.and_then(|a| a.total().ok().map(|t| (a.special, t))) {
                Some((special, total)) => AmountInfo::discounted(special, total),
                None => AmountInfo::none(),
            };
        }
        let consumed: i64 = order.lines().iter().map(|l| l.consumed().e8()).sum();
        AmountInfo {
            commission_amount: Some(0),
            consumed_amount: Some(Amount(Money::from_e8(consumed).unwrap_or(Money::ZERO))),
            ..AmountInfo::none()
        }
    }
}

impl CustomerOrder {
    /// `applied`: the discount the order was paid with (its price trace).
    pub(super) fn new(
        order: &Order,
        applied: Option<&AppliedDiscount>,
        catalog: &Catalog,
        english: bool,
    ) -> CustomerOrder {
        let official = order.official().unwrap_or(Money::ZERO);
        let due = applied.and_then(|a| a.order_due(order).ok()).unwrap_or(official);
        let service_type = order.service_type();
        CustomerOrder {
            amount_after_discount: Amount(due),
            amount_info: AmountInfo::of(order, applied),
            create_time: order.created_at().to_rfc3339(),
            currency: CURRENCY,
            customer_id: order.customer().as_str().to_owned(),
            enterprise_projects: [],
            measure_id: MEASURE_ID,
            official_amount: Amount(official),
            order_id: order.id().to_string(),
            order_type: codes::order_type(order.order_type()),
            payment_time: order.paid_at().map(|t| t.to_rfc3339()),
            pending_payment_end_time: (order.status() == OrderStatus::PendingPayment)
                .then(|| order.pay_by().to_rfc3339()),
            service_type_code: service_type.to_owned(),
            service_type_name: names(catalog, service_type, english),
            source_type: codes::order_source(order.source()),
            status: codes::order_status(order.status()),
            sub_order_infos: [],
            user_name: order.user_name().to_owned(),
        }
    }
}

impl OrderLineItem {
    pub(super) fn new(
        order: &Order,
        line: &OrderLine,
        applied: Option<&AppliedDiscount>,
        catalog: &Catalog,
        english: bool,
    ) -> OrderLineItem {
        let p = &line.product();
        let trace = applied.and_then(|a| a.line(line.id()).map(|l| (a.special, l)));
        let product_id = product_id(p, line.period().map(|(t, _)| t));
        let base_product_info = BaseProductInfo {
            category_code: p.service_type.clone(),
            commercial_resource: p.resource_type.clone(),
            product_id: product_id.clone(),
            product_owner_service: p.service_type.clone(),
            product_spec_desc: spec_name(catalog, &p.spec, english).to_owned(),
        };
        OrderLineItem {
            amount_after_discount: Amount(trace.map_or(line.official(), |(_, l)| l.due)),
            amount_info: trace
                .map_or_else(AmountInfo::none, |(special, l)| AmountInfo::discounted(special, l.discount)),
            base_product_info,
            category_code: p.service_type.clone(),
            commercial_resource: p.resource_type.clone(),
            currency: CURRENCY,
            effective_time: line.term().map(|(s, _)| s.to_rfc3339()),
            expire_time: line.term().map(|(_, e)| e.to_rfc3339()),
            official_amount: Amount(line.official()),
            order_id: order.id().to_string(),
            order_line_item_id: line.id().to_owned(),
            period_num: line.period().map(|(_, n)| n),
            period_type: line.period().map(|(t, _)| wire::period_type(t)),
            product_id,
            product_owner_service: p.service_type.clone(),
            product_spec_desc: spec_name(catalog, &p.spec, english).to_owned(),
            service_type_code: p.service_type.clone(),
            service_type_name: names(catalog, &p.service_type, english),
            subscription_num: 1,
        }
    }
}

impl ResourceInfo {
    pub(super) fn new(r: &Resource, status: ResourceStatus, catalog: &Catalog, english: bool) -> ResourceInfo {
        let p = &r.product();
        ResourceInfo {
            effective_time: r.effective().to_rfc3339(),
            enterprise_project: (),
            expire_policy: codes::expire_policy(r.policy()),
            expire_time: r.expire().to_rfc3339(),
            id: r.id().to_string(),
            is_main_resource: i32::from(r.parent().is_none()),
            parent_resource_id: r.parent().as_ref().map(ToString::to_string),
            product_id: product_id(p, Some(r.period())),
            product_spec_desc: spec_name(catalog, &p.spec, english).to_owned(),
            project_id: "",
            region_code: p.region.clone(),
            resource_id: r.id().to_string(),
            resource_name: r.id().to_string(),
            resource_spec_code: p.spec.clone(),
            resource_type_code: p.resource_type.clone(),
            resource_type_name: catalog.resource_type(&p.resource_type).map(|t| t.name.get(english).to_owned()),
            service_type_code: p.service_type.clone(),
            service_type_name: names(catalog, &p.service_type, english),
            spec_size: p.size,
            spec_size_measure_id: p.size.map(|_| 17),
            status: codes::resource_status(status),
            update_time: r.updated_at().to_rfc3339(),
        }
    }
}

pub(super) fn fail_resource_infos(failures: Vec<Failure>) -> Vec<FailResourceInfo> {
    failures
        .into_iter()
        .map(|f| {
            let error = ApiError::from(f.error);
            FailResourceInfo {
                error_code: error.code().wire().1,
                error_msg: error.message().to_owned(),
                resource_id: f.resource_id,
            }
        })
        .collect()
}

pub(super) fn error_details(failures: Vec<Failure>) -> Vec<ErrorDetail> {
    fail_resource_infos(failures)
        .into_iter()
        .map(|f| ErrorDetail { error_code: f.error_code, error_msg: f.error_msg, id: f.resource_id })
        .collect()
}
