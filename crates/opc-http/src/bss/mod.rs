//! The partner API, wire-compatible with Huawei Cloud's BSS partner APIs (spec/BSS-API.md):
//! exact paths, JSON field names and enumerations. The only module that knows them.

mod accounts;
mod bills;
mod budgets;
mod costs;
mod coupon_quotas;
mod coupons;
mod customers;
mod discounts;
mod enterprise;
mod freeze;
mod funds;
mod orders;
mod packages;
mod partner_bills;
mod products;
mod realname;
mod regions;
mod stored_value;
mod wire;

pub(crate) use orders::codes::order_status;
pub(crate) use wire::{parse_period_type, period_type, Amount};

use axum::routing::{get, post, put};
use axum::Router;
use opc_core::Context;

/// The BSS routes that only read (some by POST, as Huawei's API has them). The caller wraps
/// them in the signature middleware.
pub fn reads() -> Router<Context> {
    Router::new()
        .route("/v2/partners/sub-customers/query", post(customers::list_sub_customers))
        .route("/v2/partners/sub-customers/users/check-identity", post(customers::check_user_identity))
        .route("/v2/partners/sub-customers/budget", get(budgets::show_sub_customer_budget))
        .route("/v2/partners/sub-customers/budget/query", post(budgets::list_sub_customer_budget))
        .route("/v2/partners/sub-customers/budget/records", get(budgets::list_sub_customer_budget_records))
        .route("/v2/partners/indirect-partners/query", post(accounts::list_indirect_partners))
        .route("/v2/partners/credit/consumption-quota", get(accounts::show_partner_consumption_quota))
        .route("/v2/accounts/customer-accounts/balances", get(accounts::show_customer_account_balances))
        .route("/v2/accounts/customer-accounts/expenditure-quota", get(accounts::show_customer_expenditure_quota))
        .route("/v2/accounts/customer-accounts/balances/batch-query", post(funds::list_customers_balances_detail))
        .route("/v2/accounts/partner-accounts/balances", get(funds::list_partner_balances))
        .route("/v2/accounts/partner-accounts/account-change-records", get(funds::list_partner_account_change_records))
        .route("/v3/accounts/partner-accounts/adjust-records", get(funds::list_partner_adjust_records))
        .route(
            "/v2/accounts/customer-accounts/account-change-records",
            get(funds::list_customer_account_change_records),
        )
        .route("/v1.0/{domain_id}/payments/intl-invoices", get(funds::list_invoices))
        .route("/v2/promotions/benefits/coupons", get(coupons::list_sub_customer_coupons))
        .route("/v2/promotions/benefits/partner-coupons", get(coupons::list_issued_partner_coupons))
        .route("/v2/promotions/benefits/stored-value-cards", get(stored_value::list_stored_value_cards))
        .route("/v2/promotions/benefits/partner-coupons/records/query", get(coupons::list_partner_coupons_record))
        .route("/v2/partners/coupon-quotas/query", post(coupon_quotas::list_quota_coupons))
        .route("/v2/partners/coupon-quotas/records", get(coupon_quotas::list_coupon_quotas_records))
        .route("/v2/partners/issued-coupon-quotas", get(coupon_quotas::list_issued_coupon_quotas))
        .route("/v2/products/service-types", get(products::list_service_types))
        .route("/v2/products/incentive-discount-policies", get(discounts::list_incentive_discount_policies))
        .route("/v2/promotions/business/discount-info", post(discounts::list_business_discount_info))
        .route("/v2/products/resource-types", get(products::list_resource_types))
        .route("/v2/products/service-resources", get(products::list_service_resources))
        .route("/v2/products/usage-types", get(products::list_usage_types))
        .route("/v2/bases/measurements", get(products::list_measure_units))
        .route("/v2/bases/conversions", get(products::list_conversions))
        .route("/v2/products/resource-specs-query", post(products::list_resource_specs))
        .route("/v2/products/resource-specs-price/query", post(products::list_resource_specs_price))
        .route("/v2/bills/ratings/on-demand-resources", post(products::list_on_demand_resource_ratings))
        .route("/v2/bills/customer-bills/res-fee-records", get(bills::list_customerself_resource_records))
        .route("/v2/bills/customer-bills/res-records/query", post(bills::list_customerself_resource_record_details))
        .route("/v2/bills/partner-bills/postpaid-bill-summary", get(partner_bills::list_postpaid_bill_sum))
        .route("/v2/bills/customer-bills/monthly-sum", get(partner_bills::show_customer_monthly_sum))
        .route(
            "/v2/bills/partner-bills/subcustomer-bills/monthly-sum",
            get(partner_bills::list_subcustomer_monthly_bills),
        )
        .route(
            "/v2/bills/subcustomer-bills/res-fee-records/sub-customers/query",
            post(partner_bills::list_consume_sub_customers),
        )
        .route("/v2/bills/subcustomer-bills/res-fee-records", get(partner_bills::list_sub_customer_bill_detail))
        .route("/v4/costs/cost-analysed-bills/query", post(costs::list_costs))
        .route("/v2/bills/customer-bills/fee-records", get(costs::list_customer_bills_fee_records))
        .route("/v2/costs/cost-analysed-bills/monthly-breakdown", get(costs::list_customer_bills_monthly_break_down))
        .route("/v2/bills/ratings/period-resources/subscribe-rate", post(products::list_rate_on_period_detail))
        .route("/v2/bills/ratings/period-resources/renew-rate", post(orders::list_renew_rate_on_period))
        .route("/v2/orders/customer-orders", get(orders::list_customer_orders))
        .route("/v2/promotions/benefits/account-change-records", get(coupons::list_customer_coupon_change_records))
        .route("/v2/orders/customer-orders/order-discounts", get(orders::list_order_discounts))
        .route("/v2/orders/customer-orders/order-coupons", get(coupons::list_order_coupons_by_order_id))
        .route("/v2/systems/configs/provinces", get(regions::list_provinces))
        .route("/v2/customers/realname-auths/result", get(realname::show_realname_authentication_review_result))
        .route("/v2/customers/real-name-auth-status", get(realname::show_real_name_auth_status))
        .route("/v2/customers/real-name-auth-qrcode", get(realname::show_real_name_auth_qr_code))
        .route("/v2/partners/sub-customers/new-customers-tags/batch-query", post(realname::list_sub_customer_new_tag))
        .route("/v2/systems/configs/cities", get(regions::list_cities))
        .route("/v2/enterprises/multi-accounts/sub-customers", get(enterprise::list_enterprise_sub_customers))
        .route(
            "/v2/enterprises/multi-accounts/enterprise-organizations",
            get(enterprise::list_enterprise_organizations),
        )
        .route("/v2/enterprises/multi-accounts/transfer-amount", get(enterprise::show_multi_account_transfer_amount))
        .route("/v2/enterprises/multi-accounts/retrieve-amount", get(enterprise::list_enterprise_multi_account))
        .route("/v2/enterprises/multi-accounts/transfer-coupons", get(enterprise::list_multi_account_transfer_coupons))
        .route("/v2/enterprises/multi-accounts/retrieve-coupons", get(enterprise::list_multi_account_retrieve_coupons))
        .route("/v2/systems/configs/counties", get(regions::list_counties))
        .route("/v2/orders/customer-orders/details/{order_id}", get(orders::show_customer_order_details))
        .route("/v2/orders/customer-orders/refund-orders", get(orders::show_refund_order_details))
        .route("/v2/partners/sub-customers/on-demand-resources/query", post(orders::list_customer_on_demand_resources))
        .route("/v2/orders/suscriptions/resources/query", post(orders::list_pay_per_use_customer_resources))
        .route("/v3/payments/free-resources/query", post(packages::list_free_resource_infos))
        .route("/v2/payments/free-resources/usages/details/query", post(packages::list_free_resource_usages))
        .route(
            "/v2/bills/customer-bills/free-resources-usage-records",
            get(packages::list_free_resources_usage_records),
        )
        .route("/v2/bills/customer-bills/resources/usage/details", get(packages::list_resource_usage))
        .route("/v2/bills/customer-bills/resources/usage/summary", get(packages::list_resource_usage_summary))
}

/// The BSS routes that change something: answered once per signature (`replay`), inside the
/// signature middleware.
pub fn writes() -> Router<Context> {
    Router::new()
        .route("/v2/partners/sub-customers", post(customers::create_sub_customer))
        .route("/v2/bases/verificationcode/send", post(customers::send_verification_message_code))
        .route("/v2/partners/sub-customers/budget", post(budgets::update_sub_customer_budget))
        .route("/v2/partners/sub-customers/freeze", post(freeze::freeze_sub_customers))
        .route("/v2/accounts/partner-accounts/adjust-amount", post(funds::update_customer_account_amount))
        .route("/v2/accounts/partner-accounts/reclaim", post(funds::reclaim_to_partner_account))
        .route("/v2/accounts/partner-accounts/indirect-partner-adjust", post(funds::update_indirect_partner_account))
        .route("/v2/accounts/partner-accounts/indirect-partner-reclaim", post(funds::reclaim_indirect_partner_account))
        .route("/v2/partners/sub-customers/unfreeze", post(freeze::unfreeze_sub_customers))
        .route("/v2/orders/customer-orders/cancel", put(orders::cancel_customer_order))
        .route("/v3/orders/customer-orders/pay", post(orders::pay_orders))
        .route(
            "/v2/orders/subscriptions/resources/autorenew/{resource_id}",
            post(orders::auto_renewal_resources).delete(orders::cancel_auto_renewal_resources),
        )
        .route("/v2/orders/subscriptions/resources/unsubscribe", post(orders::cancel_resources_subscription))
        .route("/v2/orders/subscriptions/resources/renew", post(orders::renewal_resources))
        .route("/v2/orders/subscriptions/resources/renew/config", post(orders::set_resources_renew_config))
        .route("/v2/orders/subscriptions/resources/to-on-demand", post(orders::update_period_to_on_demand))
        .route(
            "/v2/orders/subscriptions/resources/to-on-demand/instantly",
            post(orders::update_period_to_on_demand_instantly),
        )
        .route("/v2/promotions/benefits/partner-coupons", post(coupons::create_partner_coupons))
        .route("/v2/promotions/benefits/partner-coupons/reclaim", post(coupons::reclaim_partner_coupons))
        .route("/v2/partners/coupon-quotas/indirect-partner-adjust", post(coupon_quotas::update_coupon_quotas))
        .route("/v2/partners/coupon-quotas/indirect-partner-reclaim", post(coupon_quotas::reclaim_coupon_quotas))
        .route("/v2/customers/realname-auths/individual", post(realname::create_personal_realname_auth))
        .route("/v2/enterprises/enterprise-projects/authority", post(enterprise::create_enterprise_project_auth))
        .route("/v2/enterprises/multi-accounts/sub-customers", post(enterprise::create_sub_enterprise_account))
        .route("/v2/enterprises/multi-accounts/sm-verification-code", post(enterprise::send_sms_verification_code))
        .route("/v2/enterprises/multi-accounts/transfer-amount", post(enterprise::update_sub_enterprise_amount))
        .route("/v2/enterprises/multi-accounts/retrieve-amount", post(enterprise::reclaim_sub_enterprise_amount))
        .route(
            "/v2/enterprises/multi-accounts/transfer-coupon",
            post(enterprise::claim_enterprise_multi_account_coupon),
        )
        .route(
            "/v2/enterprises/multi-accounts/retrieve-coupon",
            post(enterprise::reclaim_enterprise_multi_account_coupon),
        )
        .route(
            "/v2/customers/realname-auths/enterprise",
            post(realname::create_enterprise_realname_authentication)
                .put(realname::change_enterprise_realname_authentication),
        )
}
