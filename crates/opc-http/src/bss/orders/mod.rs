//! B1.6 orders, B1.7 yearly/monthly and pay-per-use resources, B1.9.5 renewal prices. A
//! customer's key acts on its own orders and resources; a partner's on its reseller customers'
//! (`customer_id`, or the order's or resource's customer), acting only with the customer's
//! authorization letter (R-RCM-14). Amounts are list prices but for a referral customer's order
//! paid with a partner discount (R-CPN-25, R-CPN-33); reseller customers get no discount
//! (R-RCM-13) but may pay with one of their partner's cash coupons, deducted from the partner's
//! bill of the order's month (R-CPN-02, R-CPN-04, A-07, A-08).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use opc_core::ops::catalog;
use opc_core::ops::discounts;
use opc_core::ops::orders::{self, Failure, ResourceFilter};
use opc_core::store::{OnDemandQuery, OrderFilter};
use opc_core::Context;
use opc_domain::catalog::PeriodType;
use opc_domain::order::{renewal_period, PolicyChange, Unsubscribe};
use opc_domain::Money;
use serde::Deserialize;

mod answers;
pub(crate) mod codes;

use codes::DiscountType;

use answers::{
    error_details, fail_resource_infos, names, spec_name, CustomerOrder, DiscountInfo, DiscountsResponse,
    ErrorDetailsResponse, OnDemandResourceInfo, OnDemandResourcesResponse, OrderDetailsResponse, OrderIdsResponse,
    OrderLineItem, OrdersResponse, RefundInfo, RefundOrdersResponse, RenewInquiryResult, RenewRateResponse,
    RenewRatingResult, ResourceInfo, ResourcesResponse,
};

use super::products::english;
use super::wire::{self, non_empty, Amount, Empty, CURRENCY, MEASURE_ID};
use crate::error::ApiError;
use crate::extract::{ApiPath, AuthenticatedAny, BssJson, BssQuery};
use crate::replay::{unchanged_if, Unchanged};

/// The most orders or resources a page holds.
const PAGE_MAX: i64 = 100;

fn paging(offset: Option<i64>, limit: Option<i64>) -> Result<(u32, u32), ApiError> {
    Ok((
        wire::int_in("offset", offset, 0, i64::from(i32::MAX), 0)? as u32,
        wire::int_in("limit", limit, 1, PAGE_MAX, 10)? as u32,
    ))
}

/// Ids as the wire writes them.
fn ids_text(ids: &[impl ToString]) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
}

#[derive(Deserialize, Default)]
pub struct OrderIdBody {
    order_id: Option<String>,
}

/// `PUT /v2/orders/customer-orders/cancel`.
pub async fn cancel_customer_order(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    BssJson(body): BssJson<OrderIdBody>,
) -> Result<Json<Empty>, ApiError> {
    let id = wire::required("order_id", &body.order_id, 64)?;
    orders::cancel(&ctx, &principal, &orders::order_id(id)?).await?;
    Ok(Json(Empty {}))
}

#[derive(Deserialize, Default)]
pub struct ListOrdersQuery {
    order_id: Option<String>,
    customer_id: Option<String>,
    create_time_begin: Option<String>,
    create_time_end: Option<String>,
    service_type_code: Option<String>,
    status: Option<i64>,
    order_type: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
    order_by: Option<String>,
    payment_time_begin: Option<String>,
    payment_time_end: Option<String>,
    indirect_partner_id: Option<String>,
    method: Option<String>,
}

/// `GET /v2/orders/customer-orders`.
pub async fn list_customer_orders(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    headers: HeaderMap,
    BssQuery(q): BssQuery<ListOrdersQuery>,
) -> Result<Json<OrdersResponse>, ApiError> {
    let status = match q.status {
        None => None,
        // Statuses this system never gives (pending approval, processing, to confirm) match nothing.
        Some(s @ (1 | 3 | 9)) => return empty_orders(s),
        Some(s) => Some(
            codes::parse_order_status(s).ok_or_else(|| ApiError::invalid("status", "must be 1, 3, 4, 5, 6 or 9"))?,
        ),
    };
    let order_type = match q.order_type.as_deref() {
        None => None,
        Some(t) => match t.parse::<i64>().ok().and_then(codes::parse_order_type) {
            Some(t) => Some(t),
            None if matches!(t, "3" | "11" | "13" | "14" | "15") => return empty_orders(0),
            None => return Err(ApiError::invalid("order_type", "must be 1, 2, 3, 4, 11, 13, 14 or 15")),
        },
    };
    let newest_first = match non_empty(&q.order_by) {
        None | Some("-createTime") => true,
        Some("createTime") => false,
        Some(_) => return Err(ApiError::invalid("order_by", "must be createTime or -createTime")),
    };
    if let Some(m) = non_empty(&q.method) {
        if m != "oneself" && m != "sub_customer" {
            return Err(ApiError::invalid("method", "must be oneself or sub_customer"));
        }
        if m == "sub_customer" {
            // Orders paid for enterprise sub-accounts: none here (no enterprise multi-account).
            return empty_orders(0);
        }
    }
    let (offset, limit) = paging(q.offset, q.limit)?;
    let customer_id = wire::max_chars("customer_id", non_empty(&q.customer_id), 64)?;
    let indirect = wire::max_chars("indirect_partner_id", non_empty(&q.indirect_partner_id), 64)?;
    let filter = OrderFilter {
        order_id: wire::max_chars("order_id", non_empty(&q.order_id), 64)?.map(str::to_owned),
        status,
        order_type,
        service_type: wire::max_chars("service_type_code", non_empty(&q.service_type_code), 64)?.map(str::to_owned),
        created: (
            wire::utc_time("create_time_begin", non_empty(&q.create_time_begin))?,
            wire::utc_time("create_time_end", non_empty(&q.create_time_end))?,
        ),
        paid: (
            wire::utc_time("payment_time_begin", non_empty(&q.payment_time_begin))?,
            wire::utc_time("payment_time_end", non_empty(&q.payment_time_end))?,
        ),
        newest_first,
        offset,
        limit,
    };
    let (list, total) = orders::list(&ctx, &principal, (customer_id, indirect), &filter).await?;
    let (_, catalog) = catalog::current(&ctx).await?;
    let en = english(&headers);
    let applied = discounts::applied(&ctx, &list).await?;
    let infos = list.iter().zip(&applied).map(|(o, a)| CustomerOrder::new(o, a.as_ref(), &catalog, en)).collect();
    Ok(Json(OrdersResponse { total_count: total, order_infos: infos }))
}

fn empty_orders(_status: i64) -> Result<Json<OrdersResponse>, ApiError> {
    Ok(Json(OrdersResponse { total_count: 0, order_infos: vec![] }))
}

#[derive(Deserialize, Default)]
pub struct OrderIdQuery {
    order_id: Option<String>,
    customer_id: Option<String>,
    indirect_partner_id: Option<String>,
}

/// `GET /v2/orders/customer-orders/order-discounts`: the partner discounts a referral
/// customer may pay the pending order with (R-CPN-33); none for a reseller customer's order
/// (R-RCM-13) or any other. Contract discounts are not managed here.
pub async fn list_order_discounts(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    BssQuery(q): BssQuery<OrderIdQuery>,
) -> Result<Json<DiscountsResponse>, ApiError> {
    let id = wire::required("order_id", &q.order_id, 64)?;
    let indirect = wire::max_chars("indirect_partner_id", non_empty(&q.indirect_partner_id), 64)?;
    let offered = orders::offers(&ctx, &principal, &orders::order_id(id)?, indirect).await?;
    Ok(Json(DiscountsResponse { discounts: offered.iter().map(DiscountInfo::new).collect() }))
}

#[derive(Deserialize, Default)]
pub struct CouponRef {
    id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<i64>,
}

#[derive(Deserialize, Default)]
pub struct PayBody {
    order_id: Option<String>,
    use_coupon: Option<String>,
    use_discount: Option<String>,
    coupon_infos: Option<Vec<CouponRef>>,
    discount_infos: Option<Vec<CouponRef>>,
}

/// `use_coupon`/`use_discount` with their lists: `YES` needs the list (at most `max`), `NO`
/// forbids it; each item needs its id and type. The items named, `[]` for `NO`.
fn offers_named<'a>(
    flag_field: &str,
    flag: &Option<String>,
    list_field: &str,
    list: &'a Option<Vec<CouponRef>>,
    max: usize,
) -> Result<&'a [CouponRef], ApiError> {
    let items = list.as_deref().unwrap_or_default();
    match non_empty(flag) {
        Some("NO") if items.is_empty() => Ok(&[]),
        Some("NO") => Err(ApiError::invalid(list_field, format_args!("must be absent when {flag_field} is NO"))),
        Some("YES") if items.is_empty() => {
            Err(ApiError::invalid(list_field, format_args!("is required when {flag_field} is YES")))
        }
        Some("YES") if items.len() > max => Err(ApiError::invalid(list_field, format_args!("holds at most {max}"))),
        Some("YES") => {
            for (i, item) in items.iter().enumerate() {
                if item.kind.is_none() {
                    return Err(ApiError::invalid(&format!("{list_field}[{i}].type"), "is required"));
                }
                wire::required(&format!("{list_field}[{i}].id"), &item.id, 64)?;
            }
            Ok(items)
        }
        Some(_) => Err(ApiError::invalid(flag_field, "must be YES or NO")),
        None => Err(ApiError::invalid(flag_field, "is required")),
    }
}

/// B1.6.4 `coupon_infos[].type` of a cash coupon: 301, a promotion voucher (代金券, the
/// `coupon_type` 1 the coupon lists answer).
const VOUCHER_PAY_TYPE: i64 = 301;
/// `coupon_infos[].type` of a stored-value card (B1.6.4: 303, 促销储值卡).
const STORED_VALUE_CARD_PAY_TYPE: i64 = 303;

/// `POST /v3/orders/customer-orders/pay`: with `use_discount` YES, one partner discount
/// (`discount_infos[0]`, type 3, or 609 for the order's price adjustment) lowers the amount
/// due; with `use_coupon` YES, one cash coupon (`coupon_infos[0]`, type 301; A-07: one per
/// order) is held for the order and deducted from the partner's bill of its month; or one of
/// the customer's stored-value cards (type 303; referral and direct customers) pays what it can
/// of the amount due at once.
pub async fn pay_orders(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    BssJson(body): BssJson<PayBody>,
) -> Result<Json<Empty>, ApiError> {
    let id = wire::required("order_id", &body.order_id, 64)?;
    let (coupon, card) = match offers_named("use_coupon", &body.use_coupon, "coupon_infos", &body.coupon_infos, 3)? {
        [] => (None, None),
        [one] if one.kind == Some(VOUCHER_PAY_TYPE) => (one.id.clone(), None),
        [one] if one.kind == Some(STORED_VALUE_CARD_PAY_TYPE) => (None, Some(one.id.clone().unwrap_or_default())),
        [_] => {
            return Err(ApiError::invalid(
                "coupon_infos[0].type",
                "must be 301 (a cash coupon, coupon_type 1 in the coupon lists) or 303 (one of the customer's \
                 stored-value cards): no other coupon is offered",
            ))
        }
        _ => {
            return Err(ApiError::invalid(
                "coupon_infos",
                "holds one coupon or stored-value card: one pays an order (A-07, SVC-2)",
            ))
        }
    };
    let discount =
        match offers_named("use_discount", &body.use_discount, "discount_infos", &body.discount_infos, 1)?.first() {
            None => None,
            Some(item) => {
                let special = match item.kind.and_then(codes::discount_type) {
                    Some(DiscountType::PartnerGranted) => false,
                    Some(DiscountType::PriceAdjustment) => true,
                    None => {
                        return Err(ApiError::invalid(
                            "discount_infos[0].type",
                            "must be 3 (partner-granted) or 609 (price adjustment): no other discount is offered",
                        ))
                    }
                };
                Some(orders::DiscountChoice { id: item.id.clone().unwrap_or_default(), special })
            }
        };
    let with = orders::PayWith { discount, coupon, card, automatic: false };
    orders::pay(&ctx, &principal, &orders::order_id(id)?, &with).await?;
    Ok(Json(Empty {}))
}

#[derive(Deserialize, Default)]
pub struct DetailsQuery {
    limit: Option<i64>,
    offset: Option<i64>,
    indirect_partner_id: Option<String>,
}

/// `GET /v2/orders/customer-orders/details/{order_id}`: the order and a page of its lines.
pub async fn show_customer_order_details(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    headers: HeaderMap,
    ApiPath(order_id): ApiPath<String>,
    BssQuery(q): BssQuery<DetailsQuery>,
) -> Result<Json<OrderDetailsResponse>, ApiError> {
    let (offset, limit) = paging(q.offset, q.limit)?;
    let indirect = wire::max_chars("indirect_partner_id", non_empty(&q.indirect_partner_id), 64)?;
    let order = orders::details(&ctx, &principal, &orders::order_id(&order_id)?, indirect).await?;
    let applied = discounts::applied(&ctx, std::slice::from_ref(&order)).await?.pop().flatten();
    let (_, catalog) = catalog::current(&ctx).await?;
    let en = english(&headers);
    let lines = order
        .lines()
        .iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|l| OrderLineItem::new(&order, l, applied.as_ref(), &catalog, en))
        .collect();
    Ok(Json(OrderDetailsResponse {
        total_count: order.lines().len(),
        order_info: CustomerOrder::new(&order, applied.as_ref(), &catalog, en),
        order_line_items: lines,
    }))
}

/// `GET /v2/orders/customer-orders/refund-orders`: where an unsubscription's refund comes from:
/// each refunded term (negative) and its consumed part (positive), by original order.
pub async fn show_refund_order_details(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    headers: HeaderMap,
    BssQuery(q): BssQuery<OrderIdQuery>,
) -> Result<Json<RefundOrdersResponse>, ApiError> {
    let id = wire::required("order_id", &q.order_id, 64)?;
    wire::max_chars("customer_id", non_empty(&q.customer_id), 64)?;
    let indirect = wire::max_chars("indirect_partner_id", non_empty(&q.indirect_partner_id), 64)?;
    let (order, lines) = orders::refund_lines(&ctx, &principal, &orders::order_id(id)?, indirect).await?;
    if let Some(c) = non_empty(&q.customer_id) {
        if c != order.customer().as_str() {
            return Err(ApiError::new(crate::error::ErrorCode::NotFound, format!("Order {id} was not found.")));
        }
    }
    let (_, catalog) = catalog::current(&ctx).await?;
    let en = english(&headers);
    let mut infos = vec![];
    for l in &lines {
        let p = l.product();
        let record = |id: String, amount: Money| RefundInfo {
            amount: Amount(amount),
            base_order_id: l.base_order().map(ToString::to_string),
            customer_id: order.customer().as_str().to_owned(),
            id,
            measure_id: MEASURE_ID.to_string(),
            region_code: p.region.clone(),
            resource_type_code: p.resource_type.clone(),
            resource_type_name: catalog.resource_type(&p.resource_type).map(|t| t.name.get(en).to_owned()),
            service_type_code: p.service_type.clone(),
            service_type_name: names(&catalog, &p.service_type, en),
        };
        infos.push(record(format!("{}-refund", l.id()), l.official()));
        if l.consumed() > Money::ZERO {
            infos.push(record(format!("{}-consumed", l.id()), l.consumed()));
        }
    }
    Ok(Json(RefundOrdersResponse { total_count: infos.len(), refund_infos: infos }))
}

#[derive(Deserialize, Default)]
pub struct OnDemandBody {
    customer_id: Option<String>,
    region_code: Option<String>,
    service_type_code: Option<String>,
    resource_ids: Option<Vec<String>>,
    effective_time_begin: Option<String>,
    effective_time_end: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    status: Option<i64>,
    indirect_partner_id: Option<String>,
}

/// `POST /v2/partners/sub-customers/on-demand-resources/query`: the customer's pay-per-use
/// resources as its usage shows them, in use (1) or frozen (3) by an ACCOUNT_AND_RESOURCE
/// freeze.
pub async fn list_customer_on_demand_resources(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    headers: HeaderMap,
    BssJson(body): BssJson<OnDemandBody>,
) -> Result<Json<OnDemandResourcesResponse>, ApiError> {
    let customer = wire::required("customer_id", &body.customer_id, 64)?;
    let ids = body.resource_ids.unwrap_or_default();
    if ids.len() > 50 {
        return Err(ApiError::invalid("resource_ids", "holds at most 50 ids"));
    }
    if let Some(s) = body.status {
        wire::int_in("status", Some(s), 1, 6, 1)?;
    }
    let (offset, limit) = paging(body.offset, body.limit)?;
    let query = OnDemandQuery {
        region: wire::max_chars("region_code", non_empty(&body.region_code), 64)?.map(str::to_owned),
        service_type: wire::max_chars("service_type_code", non_empty(&body.service_type_code), 64)?.map(str::to_owned),
        resource_ids: ids,
        since: (
            wire::utc_time("effective_time_begin", non_empty(&body.effective_time_begin))?,
            wire::utc_time("effective_time_end", non_empty(&body.effective_time_end))?,
        ),
        offset,
        limit,
    };
    let indirect = wire::max_chars("indirect_partner_id", non_empty(&body.indirect_partner_id), 64)?;
    let (list, total, frozen) = orders::on_demand_resources(&ctx, &principal, Some(customer), indirect, &query).await?;
    let status = if frozen { 3 } else { 1 };
    if body.status.is_some_and(|s| s != status) {
        return Ok(Json(OnDemandResourcesResponse { resources: vec![], total_count: 0 }));
    }
    let (_, catalog) = catalog::current(&ctx).await?;
    let en = english(&headers);
    let resources = list
        .iter()
        .map(|r| OnDemandResourceInfo {
            availability_zone_code: (),
            customer_id: customer.to_owned(),
            effective_time: r.since.to_rfc3339(),
            expire_time: (),
            product_spec_desc: spec_name(&catalog, &r.spec, en).to_owned(),
            region_code: r.region.clone(),
            resource_id: r.resource_id.clone(),
            resource_name: r.resource_id.clone(),
            resource_spec_code: r.spec.clone(),
            resource_type_code: r.resource_type.clone(),
            resource_type_name: catalog.resource_type(&r.resource_type).map(|t| t.name.get(en).to_owned()),
            service_type_code: r.service_type.clone(),
            service_type_name: names(&catalog, &r.service_type, en),
            status,
        })
        .collect();
    Ok(Json(OnDemandResourcesResponse { resources, total_count: total }))
}

#[derive(Deserialize, Default)]
pub struct AutoRenewBody {
    auto_renew_times: Option<i64>,
    period_type: Option<String>,
}

fn single(failures: Vec<Failure>) -> Result<Json<Empty>, ApiError> {
    match failures.into_iter().next() {
        Some(f) => Err(f.error.into()),
        None => Ok(Json(Empty {})),
    }
}

/// `POST /v2/orders/subscriptions/resources/autorenew/{resource_id}`.
pub async fn auto_renewal_resources(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    ApiPath(resource_id): ApiPath<String>,
    BssJson(body): BssJson<AutoRenewBody>,
) -> Result<Json<Empty>, ApiError> {
    let times = body
        .auto_renew_times
        .map(|t| wire::int_in("auto_renew_times", Some(t), 0, 99, 0).map(|t| t as u8))
        .transpose()?;
    let period = match body.period_type.as_deref() {
        None | Some("") => None,
        Some("MONTH") => Some(PeriodType::Month),
        Some("YEAR") => Some(PeriodType::Year),
        Some(_) => return Err(ApiError::invalid("period_type", "must be MONTH or YEAR")),
    };
    single(orders::change_policy(&ctx, &principal, &[resource_id], PolicyChange::AutoRenew { period, times }).await?)
}

/// `DELETE /v2/orders/subscriptions/resources/autorenew/{resource_id}`.
pub async fn cancel_auto_renewal_resources(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    ApiPath(resource_id): ApiPath<String>,
) -> Result<Json<Empty>, ApiError> {
    single(orders::change_policy(&ctx, &principal, &[resource_id], PolicyChange::CancelAutoRenew).await?)
}

#[derive(Deserialize, Default)]
pub struct UnsubscribeBody {
    resource_ids: Option<Vec<String>>,
    unsubscribe_type: Option<i64>,
    unsubscribe_reason_type: Option<i64>,
    unsubscribe_reason: Option<String>,
}

/// `POST /v2/orders/subscriptions/resources/unsubscribe`.
pub async fn cancel_resources_subscription(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    BssJson(body): BssJson<UnsubscribeBody>,
) -> Result<(Option<axum::Extension<Unchanged>>, Json<OrderIdsResponse>), ApiError> {
    let kind = match body.unsubscribe_type {
        Some(1) => Unsubscribe::ResourceAndRenewals,
        Some(2) => Unsubscribe::RenewalsOnly,
        Some(_) => return Err(ApiError::invalid("unsubscribe_type", "must be 1 or 2")),
        None => return Err(ApiError::invalid("unsubscribe_type", "is required")),
    };
    if let Some(r) = body.unsubscribe_reason_type {
        wire::int_in("unsubscribe_reason_type", Some(r), 1, 5, 5)?;
    }
    wire::max_chars("unsubscribe_reason", body.unsubscribe_reason.as_deref(), 512)?;
    let ids = body.resource_ids.unwrap_or_default();
    let (order_ids, failures) = orders::unsubscribe(&ctx, &principal, &ids, kind).await?;
    // A batch whose every resource failed changed nothing: its replay may run again.
    let unchanged = unchanged_if(every_item_failed(&ids, failures.len()));
    let answer =
        OrderIdsResponse { order_ids: ids_text(&order_ids), fail_resource_infos: fail_resource_infos(failures) };
    Ok((unchanged, Json(answer)))
}

#[derive(Deserialize, Default)]
pub struct ResourcesBody {
    resource_ids: Option<Vec<String>>,
    order_id: Option<String>,
    only_main_resource: Option<i64>,
    status_list: Option<Vec<i64>>,
    offset: Option<i64>,
    limit: Option<i64>,
    expire_time_begin: Option<String>,
    expire_time_end: Option<String>,
    service_type_code: Option<String>,
    customer_id: Option<String>,
}

/// `POST /v2/orders/suscriptions/resources/query` (the path's typo is the API's).
pub async fn list_pay_per_use_customer_resources(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    headers: HeaderMap,
    BssJson(body): BssJson<ResourcesBody>,
) -> Result<Json<ResourcesResponse>, ApiError> {
    let ids = body.resource_ids.unwrap_or_default();
    if ids.len() > 50 {
        return Err(ApiError::invalid("resource_ids", "holds at most 50 ids"));
    }
    let only_main = match body.only_main_resource {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => return Err(ApiError::invalid("only_main_resource", "must be 0 or 1")),
    };
    let statuses = body
        .status_list
        .unwrap_or_default()
        .into_iter()
        .map(|s| codes::parse_resource_status(s).ok_or_else(|| ApiError::invalid("status_list", "holds 2, 3, 4 or 5")))
        .collect::<Result<_, _>>()?;
    if body.service_type_code.as_deref() == Some("") {
        return Err(ApiError::invalid("service_type_code", "must not be empty"));
    }
    let (offset, limit) = paging(body.offset, body.limit)?;
    let filter = ResourceFilter {
        customer_id: wire::max_chars("customer_id", non_empty(&body.customer_id), 64)?.map(str::to_owned),
        ids,
        order_id: wire::max_chars("order_id", non_empty(&body.order_id), 64)?.map(str::to_owned),
        only_main,
        statuses,
        expire: (
            wire::utc_time("expire_time_begin", non_empty(&body.expire_time_begin))?,
            wire::utc_time("expire_time_end", non_empty(&body.expire_time_end))?,
        ),
        service_type: wire::max_chars("service_type_code", non_empty(&body.service_type_code), 64)?.map(str::to_owned),
        offset,
        limit,
    };
    let (list, total) = orders::resources(&ctx, &principal, &filter).await?;
    let (_, catalog) = catalog::current(&ctx).await?;
    let en = english(&headers);
    let data = list.iter().map(|(r, s)| ResourceInfo::new(r, *s, &catalog, en)).collect();
    Ok(Json(ResourcesResponse { data, total_count: total }))
}

#[derive(Deserialize, Default)]
pub struct RenewBody {
    resource_ids: Option<Vec<String>>,
    period_type: Option<i64>,
    period_num: Option<i64>,
    is_auto_pay: Option<i64>,
    include_relative_resources: Option<bool>,
}

fn renewal(body: &RenewBody) -> Result<(PeriodType, i32), ApiError> {
    let t = body.period_type.ok_or_else(|| ApiError::invalid("period_type", "is required"))?;
    let n = body.period_num.ok_or_else(|| ApiError::invalid("period_num", "is required"))?;
    renewal_period(wire::parse_period_type(t), n).map_err(|e| {
        let field = if e.starts_with("period_type") { "period_type" } else { "period_num" };
        ApiError::invalid(field, e.split_once(' ').map_or(e.as_str(), |(_, rest)| rest))
    })
}

/// `POST /v2/orders/subscriptions/resources/renew`.
pub async fn renewal_resources(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    BssJson(body): BssJson<RenewBody>,
) -> Result<(Option<axum::Extension<Unchanged>>, Json<OrderIdsResponse>), ApiError> {
    let period = renewal(&body)?;
    let auto_pay = match body.is_auto_pay {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => return Err(ApiError::invalid("is_auto_pay", "must be 0 or 1")),
    };
    let ids = body.resource_ids.unwrap_or_default();
    let (order_ids, failures) = orders::renew(&ctx, &principal, &ids, period, auto_pay).await?;
    let unchanged = unchanged_if(every_item_failed(&ids, failures.len()));
    let answer =
        OrderIdsResponse { order_ids: ids_text(&order_ids), fail_resource_infos: fail_resource_infos(failures) };
    Ok((unchanged, Json(answer)))
}

/// Whether each of the batch's distinct ids failed.
fn every_item_failed(ids: &[String], failed: usize) -> bool {
    let distinct: std::collections::HashSet<&String> = ids.iter().collect();
    !distinct.is_empty() && failed >= distinct.len()
}

/// `POST /v2/bills/ratings/period-resources/renew-rate`.
pub async fn list_renew_rate_on_period(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    BssJson(body): BssJson<RenewBody>,
) -> Result<Json<RenewRateResponse>, ApiError> {
    let period = renewal(&body)?;
    let ids = body.resource_ids.clone().unwrap_or_default();
    let include = body.include_relative_resources.unwrap_or(false);
    let (rates, total, failures) = orders::renewal_rates(&ctx, &principal, &ids, period, include).await?;
    let results = rates
        .iter()
        .map(|(id, amount)| RenewInquiryResult { amount: amount.to_plain_string(), resource_id: id.to_string() })
        .collect();
    Ok(Json(RenewRateResponse {
        currency: CURRENCY,
        renew_inquiry_results: results,
        official_website_rating_result: RenewRatingResult { official_website_amount: total.to_plain_string() },
        optional_discount_rating_results: [],
        fail_resource_infos: fail_resource_infos(failures),
    }))
}

#[derive(Deserialize, Default)]
pub struct RenewConfigBody {
    config_name: Option<String>,
    config_value: Option<String>,
}

/// `POST /v2/orders/subscriptions/resources/renew/config`: the signer's renewal settings.
pub async fn set_resources_renew_config(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    BssJson(body): BssJson<RenewConfigBody>,
) -> Result<Json<Empty>, ApiError> {
    let name = wire::required("config_name", &body.config_name, 32)?;
    let value = wire::required("config_value", &body.config_value, 8)?;
    let config = codes::renew_config(name, value).map_err(|e| {
        let field = if e.starts_with("config_name") { "config_name" } else { "config_value" };
        ApiError::invalid(field, e.split_once(' ').map_or(e.as_str(), |(_, rest)| rest))
    })?;
    orders::set_renew_config(&ctx, &principal, config).await?;
    Ok(Json(Empty {}))
}

#[derive(Deserialize, Default)]
pub struct ToOnDemandBody {
    operation: Option<String>,
    resource_ids: Option<Vec<String>>,
}

/// `POST /v2/orders/subscriptions/resources/to-on-demand`: per-resource failures come back in
/// `error_details` with HTTP 200.
pub async fn update_period_to_on_demand(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    BssJson(body): BssJson<ToOnDemandBody>,
) -> Result<(Option<axum::Extension<Unchanged>>, Json<ErrorDetailsResponse>), ApiError> {
    let set = match body.operation.as_deref() {
        Some("SET_UP") => true,
        Some("CANCEL") => false,
        Some(_) => return Err(ApiError::invalid("operation", "must be SET_UP or CANCEL")),
        None => return Err(ApiError::invalid("operation", "is required")),
    };
    let ids = body.resource_ids.unwrap_or_default();
    let failures = orders::change_policy(&ctx, &principal, &ids, PolicyChange::ToOnDemand(set)).await?;
    let unchanged = unchanged_if(failures.len() >= ids.len());
    Ok((unchanged, Json(ErrorDetailsResponse { error_details: error_details(failures) })))
}

#[derive(Deserialize, Default)]
pub struct ToOnDemandNowBody {
    resource_ids: Option<Vec<String>>,
}

/// `ToOndemandServiceResult`.
#[derive(serde::Serialize)]
pub struct ToOnDemandResult {
    resource_id: String,
    result: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_msg: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_id: Option<String>,
}

#[derive(serde::Serialize)]
pub struct ToOnDemandNowResponse {
    to_ondemand_service_results: Vec<ToOnDemandResult>,
}

/// `POST /v2/orders/subscriptions/resources/to-on-demand/instantly` (B2.7.1): 1 to 10 main
/// resources become pay-per-use now, the unused time refunded; each answers SUCCESS with the
/// order that settled it, or FAIL with why (HTTP 200).
pub async fn update_period_to_on_demand_instantly(
    State(ctx): State<Context>,
    AuthenticatedAny(principal): AuthenticatedAny,
    BssJson(body): BssJson<ToOnDemandNowBody>,
) -> Result<(Option<axum::Extension<Unchanged>>, Json<ToOnDemandNowResponse>), ApiError> {
    let ids = body.resource_ids.unwrap_or_default();
    if ids.is_empty() || ids.len() > 10 {
        return Err(ApiError::invalid("resource_ids", "holds 1 to 10 resource ids"));
    }
    if ids.iter().any(|id| id.is_empty() || id.chars().count() > 64) {
        return Err(ApiError::invalid("resource_ids", "each id is 1 to 64 characters"));
    }
    let (settled, failures) = orders::to_on_demand_now(&ctx, &principal, &ids).await?;
    let unchanged = unchanged_if(every_item_failed(&ids, failures.len()));
    let mut results: Vec<ToOnDemandResult> = settled
        .into_iter()
        .map(|(resource_id, order)| ToOnDemandResult {
            resource_id,
            result: "SUCCESS",
            error_code: None,
            error_msg: None,
            order_id: Some(order.to_string()),
        })
        .collect();
    results.extend(fail_resource_infos(failures).into_iter().map(|f| ToOnDemandResult {
        resource_id: f.resource_id,
        result: "FAIL",
        error_code: Some(f.error_code),
        error_msg: Some(f.error_msg),
        order_id: None,
    }));
    results.sort_by_key(|r| ids.iter().position(|id| *id == r.resource_id));
    Ok((unchanged, Json(ToOnDemandNowResponse { to_ondemand_service_results: results })))
}
