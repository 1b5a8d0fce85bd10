"""Orders and resources through the official SDK (BSS-API.md B1.6, B1.7, B1.9.5): a reseller
customer created with a password orders a yearly/monthly VM in the console, accepts the
customer authorization letter, and its partner pays, lists, renews, changes and unsubscribes
with the SDK; the spend meets the budget at list price; foreign orders are not found."""
import json
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from huaweicloudsdkbssintl.v2.model import (
    AutoRenewalResourcesReq,
    AutoRenewalResourcesRequest,
    CancelAutoRenewalResourcesRequest,
    CancelCustomerOrderReq,
    CancelCustomerOrderRequest,
    CancelResourcesSubscriptionRequest,
    CouponSimpleInfoOrderPayV3,
    CreateCustomerV2Req,
    CreateSubCustomerRequest,
    ListCustomerOnDemandResourcesRequest,
    ListCustomerOrdersRequest,
    ListOrderDiscountsRequest,
    ListPayPerUseCustomerResourcesRequest,
    ListRenewRateOnPeriodReq,
    ListRenewRateOnPeriodRequest,
    ModSubCustomerBudgetReq,
    PayCustomerOrderV3Req,
    PayOrdersRequest,
    PeriodToOnDemandReq,
    QueryCustomerOnDemandResourcesReq,
    QueryResourcesReq,
    RenewalResourcesReq,
    RenewalResourcesRequest,
    RenewResourceConfigReq,
    SetResourcesRenewConfigRequest,
    ShowCustomerOrderDetailsRequest,
    ShowRefundOrderDetailsRequest,
    ShowSubCustomerBudgetRequest,
    UnsubscribeResourcesReq,
    UpdatePeriodToOnDemandRequest,
    UpdateSubCustomerBudgetRequest,
)
from huaweicloudsdkbss.v2.model import (
    CreatePartnerCouponsReq,
    CreatePartnerCouponsRequest,
    ListIssuedPartnerCouponsRequest,
    ListOrderCouponsByOrderIdRequest,
)
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from test_catalog import CATALOG, _ingest, _staff_token

VM = {"cloud_service_type": "hws.service.type.ec2", "resource_type": "hws.resource.type.vm",
      "resource_spec": "s6.small.1.linux", "region": "ap-southeast-1", "period_type": 2, "period_num": 1}


@pytest.fixture(scope="module")
def catalog(admin, tmp_path_factory):
    path = tmp_path_factory.mktemp("catalog") / "catalog.json"
    path.write_text(json.dumps(CATALOG), encoding="utf-8")
    return admin("admin", "catalog", "import", str(path), "--json")


def _console(endpoint, method, path, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(f"{endpoint}{path}", data=json.dumps(body).encode() if body is not None else None,
                                 method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


@pytest.fixture
def shop(catalog, endpoint, new_partner, client_for):
    """A partner, and its reseller customer with a budget, signed in to the console."""
    partner = new_partner()
    client = client_for(partner)
    name = f"shop{uuid.uuid4().hex[:10]}"
    customer = client.create_sub_customer(CreateSubCustomerRequest(body=CreateCustomerV2Req(
        domain_name=name, domain_area="SG", xaccount_id=name, xaccount_type="sdk", password="Shop-pass-2026"))).domain_id
    client.update_sub_customer_budget(UpdateSubCustomerBudgetRequest(body=ModSubCustomerBudgetReq(
        customer_id=customer, budget_amount=Decimal("100"), cancel_partner_frozen="1")))
    token = _console(endpoint, "POST", "/api/v1/sessions", {"login": name, "password": "Shop-pass-2026"})["token"]
    return {"partner": partner, "client": client, "customer": customer, "token": token}


def _order(endpoint, token, **item):
    return _console(endpoint, "POST", "/api/v1/orders", {"items": [dict(VM, **item)]}, token)["order_id"]


def _pay(client, order_id):
    client.pay_orders(PayOrdersRequest(body=PayCustomerOrderV3Req(order_id=order_id, use_coupon="NO", use_discount="NO")))


def test_a_partner_pays_lists_and_reads_its_customers_orders(shop, endpoint, new_partner, client_for):
    client, customer = shop["client"], shop["customer"]
    order_id = _order(endpoint, shop["token"], quantity=2)

    # R-RCM-14: no payment on the customer's behalf before it accepts the authorization letter.
    with pytest.raises(ClientRequestException) as e:
        _pay(client, order_id)
    assert (e.value.status_code, e.value.error_code) == (403, "CBC.0151")
    _console(endpoint, "PUT", "/api/v1/me/partner-authorization", {"authorized": True}, shop["token"])

    listed = client.list_customer_orders(ListCustomerOrdersRequest(customer_id=customer, status=6))
    assert listed.total_count == 1
    info = listed.order_infos[0]
    # The model types these amounts as floats: the SDK turns the exact JSON number into one.
    assert (info.order_id, info.order_type, info.source_type, str(info.official_amount)) == (order_id, 1, 1, "13.6")
    assert client.list_order_discounts(ListOrderDiscountsRequest(order_id=order_id)).discounts == []
    _pay(client, order_id)

    details = client.show_customer_order_details(ShowCustomerOrderDetailsRequest(order_id=order_id, x_language="en_US"))
    assert (details.total_count, details.order_info.status) == (2, 5)
    assert details.order_info.service_type_name == "Elastic Cloud Server"
    line = details.order_line_items[0]
    assert (line.period_type, line.period_num, str(line.official_amount)) == (2, 1, "6.8")
    budget = client.show_sub_customer_budget(ShowSubCustomerBudgetRequest(customer_id=customer))
    assert budget.used_amount == Decimal("13.6")

    with pytest.raises(ClientRequestException) as e:
        client_for(new_partner()).show_customer_order_details(ShowCustomerOrderDetailsRequest(order_id=order_id))
    assert (e.value.status_code, e.value.error_code) == (404, "CBC.99000054")

    second = _order(endpoint, shop["token"])
    client.cancel_customer_order(CancelCustomerOrderRequest(body=CancelCustomerOrderReq(order_id=second)))
    cancelled = client.list_customer_orders(ListCustomerOrdersRequest(customer_id=customer, order_id=second))
    assert cancelled.order_infos[0].status == 4


def test_resources_renew_change_and_unsubscribe(shop, endpoint, admin, client_for):
    client, customer = shop["client"], shop["customer"]
    _console(endpoint, "PUT", "/api/v1/me/partner-authorization", {"authorized": True}, shop["token"])
    _pay(client, _order(endpoint, shop["token"]))
    resources = client.list_pay_per_use_customer_resources(ListPayPerUseCustomerResourcesRequest(
        body=QueryResourcesReq(customer_id=customer)))
    assert resources.total_count == 1
    vm = resources.data[0]
    assert (vm.status, vm.is_main_resource, vm.expire_policy, vm.resource_spec_code) == (2, 1, 0, "s6.small.1.linux")

    rate = client.list_renew_rate_on_period(ListRenewRateOnPeriodRequest(body=ListRenewRateOnPeriodReq(
        resource_ids=[vm.resource_id], period_type=2, period_num=5)))
    assert (rate.renew_inquiry_results[0].amount, rate.currency) == ("34", "USD")
    renewed = client.renewal_resources(RenewalResourcesRequest(body=RenewalResourcesReq(
        resource_ids=[vm.resource_id], period_type=2, period_num=2, is_auto_pay=0)))
    assert len(renewed.order_ids) == 1 and not renewed.fail_resource_infos
    _pay(client, renewed.order_ids[0])
    after = client.list_pay_per_use_customer_resources(ListPayPerUseCustomerResourcesRequest(
        body=QueryResourcesReq(customer_id=customer, resource_ids=[vm.resource_id])))
    expire = datetime.strptime(after.data[0].expire_time, "%Y-%m-%dT%H:%M:%SZ")
    assert expire > datetime.strptime(vm.expire_time, "%Y-%m-%dT%H:%M:%SZ") + timedelta(days=55)

    client.auto_renewal_resources(AutoRenewalResourcesRequest(
        resource_id=vm.resource_id, body=AutoRenewalResourcesReq(auto_renew_times=2, period_type="MONTH")))
    refused = client.update_period_to_on_demand(UpdatePeriodToOnDemandRequest(body=PeriodToOnDemandReq(
        operation="SET_UP", resource_ids=[vm.resource_id])))
    assert [d.id for d in refused.error_details] == [vm.resource_id]
    client.cancel_auto_renewal_resources(CancelAutoRenewalResourcesRequest(resource_id=vm.resource_id))
    done = client.update_period_to_on_demand(UpdatePeriodToOnDemandRequest(body=PeriodToOnDemandReq(
        operation="SET_UP", resource_ids=[vm.resource_id])))
    assert not done.error_details
    client.set_resources_renew_config(SetResourcesRenewConfigRequest(body=RenewResourceConfigReq(
        config_name="EXPIRE_DATE", config_value="-1")))
    with pytest.raises(ClientRequestException) as e:
        client.set_resources_renew_config(SetResourcesRenewConfigRequest(body=RenewResourceConfigReq(
            config_name="DEDUCTION_DATE", config_value="9")))
    assert e.value.error_code == "CBC.0100"

    # Unsubscribing only the renewed months refunds them whole; the resource stays.
    gone = client.cancel_resources_subscription(CancelResourcesSubscriptionRequest(body=UnsubscribeResourcesReq(
        resource_ids=[vm.resource_id], unsubscribe_type=2, unsubscribe_reason_type=5, unsubscribe_reason="test")))
    assert len(gone.order_ids) == 1 and not gone.fail_resource_infos
    refunds = client.show_refund_order_details(ShowRefundOrderDetailsRequest(order_id=gone.order_ids[0], customer_id=customer))
    assert [(r.amount, r.base_order_id == renewed.order_ids[0]) for r in refunds.refund_infos] == [(Decimal("-13.6"), True)]
    budget = client.show_sub_customer_budget(ShowSubCustomerBudgetRequest(customer_id=customer))
    assert budget.used_amount == Decimal("6.8")

    # Pay-per-use resources, as usage shows them.
    token = _staff_token(admin, endpoint)
    ended = (datetime.now(timezone.utc) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    _ingest(endpoint, token, [{"id": f"od-{customer}", "customer_id": customer, "resource_id": "vm-od",
                               "cloud_service_type": "hws.service.type.ec2", "resource_type": "hws.resource.type.vm",
                               "resource_spec": "s6.small.1.linux", "region": "ap-southeast-1", "usage_factor": "Duration",
                               "usage_value": 1, "usage_measure_id": 4, "ended_at": ended}])
    od = client.list_customer_on_demand_resources(ListCustomerOnDemandResourcesRequest(
        body=QueryCustomerOnDemandResourcesReq(customer_id=customer)))
    assert (od.total_count, od.resources[0].resource_id, od.resources[0].status) == (1, "vm-od", 1)


def _pay_with_coupon(client, order_id, coupons):
    infos = [CouponSimpleInfoOrderPayV3(id=i, type=t) for i, t in coupons]
    client.pay_orders(PayOrdersRequest(body=PayCustomerOrderV3Req(
        order_id=order_id, use_coupon="YES", use_discount="NO", coupon_infos=infos)))


def test_a_reseller_customers_order_is_paid_with_its_partners_coupon(shop, endpoint, admin, bss_client_for):
    """B2.6.1, B1.6.4, R-CPN-02, A-07: the coupons that may pay a pending order are listed
    (China-site client) and one pays it (international client); it is held for the order until
    the partner's bill of the month deducts it, so no other order may use it meanwhile."""
    client, customer, partner = shop["client"], shop["customer"], shop["partner"]
    bss = bss_client_for(partner)
    until = (datetime.now(timezone.utc) + timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    quota = admin("admin", "coupon-quota", "--partner", partner["partner_id"], "--value", "50", "--to", until,
                  "--json")["quota_id"]
    made = bss.create_partner_coupons(CreatePartnerCouponsRequest(body=CreatePartnerCouponsReq(
        quota_id=quota, customer_ids=[customer], face_value=20)))
    coupon_id = made.coupon_infos[0].coupon_id
    _console(endpoint, "PUT", "/api/v1/me/partner-authorization", {"authorized": True}, shop["token"])
    order_id = _order(endpoint, shop["token"])

    offered = bss.list_order_coupons_by_order_id(ListOrderCouponsByOrderIdRequest(order_id=order_id))
    assert offered.count == 1
    c = offered.user_coupons[0]
    assert (c.coupon_id, c.coupon_type, c.status, Decimal(str(c.balance)), c.used_by_order_id) == (
        coupon_id, 1, 2, Decimal("20"), None)
    assert [(q.coupon_type, q.use_quantity_value) for q in offered.coupon_max_use_quantity] == [(1, 1)]
    for wrong in [[(coupon_id, 301), (coupon_id, 301)], [(coupon_id, 302)], [("nope", 301)]]:
        with pytest.raises(ClientRequestException) as e:
            _pay_with_coupon(client, order_id, wrong)
        assert (e.value.status_code, e.value.error_code) == (400, "CBC.0100")
    _pay_with_coupon(client, order_id, [(coupon_id, 301)])

    # The budget weighs the order at list price (R-RCM-04); the coupon waits for the bill.
    budget = client.show_sub_customer_budget(ShowSubCustomerBudgetRequest(customer_id=customer))
    assert budget.used_amount == Decimal("6.8")
    held = bss.list_issued_partner_coupons(ListIssuedPartnerCouponsRequest(order_id=order_id))
    assert held.total_count == 1 and Decimal(str(held.user_coupons[0].balance)) == Decimal("20")
    second = _order(endpoint, shop["token"])
    assert bss.list_order_coupons_by_order_id(ListOrderCouponsByOrderIdRequest(order_id=second)).count == 0
    with pytest.raises(ClientRequestException) as e:
        _pay_with_coupon(client, second, [(coupon_id, 301)])
    assert (e.value.status_code, e.value.error_code) == (400, "CBC.0100")
