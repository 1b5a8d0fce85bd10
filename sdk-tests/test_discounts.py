"""Partner discounts through the official SDKs (BSS-API.md B1.6.3, B1.6.4, B2.9.1, B2.9.2;
R-CPN-25 ... R-CPN-33): the operator lists ECS for partner discounts and authorizes a partner up
to 20 % off it (CLI); the partner sets 15 % off for its referral customer (console API); the
customer lists the discount on its pending order and pays with it, and the order reads back at
the exact amount due; the partner reads the policies and its scope over BSS.

Every test creates its own partner and customer."""
import json
import subprocess
import urllib.error
import urllib.request
import uuid
from decimal import Decimal

import pytest
from huaweicloudsdkbss.v2.model import (
    BusinessDiscountQueryReq,
    ListBusinessDiscountInfoRequest,
    ListIncentiveDiscountPoliciesRequest,
)
from huaweicloudsdkbss.v2.model import CreateSubCustomerRequest as BssCreateSubCustomerRequest
from huaweicloudsdkbss.v2.model import ListOrderDiscountsRequest as BssListOrderDiscountsRequest
from huaweicloudsdkbssintl.v2.model import (
    DiscountSimpleInfoV3,
    ListOrderDiscountsRequest,
    PayCustomerOrderV3Req,
    PayOrdersRequest,
    ShowCustomerOrderDetailsRequest,
)
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from test_orders import VM, _console, catalog  # noqa: F401 (fixture)

EC2 = "hws.service.type.ec2"
PASSWORD = "Disc-pass-2026"


def _partner_with_login(admin, name=None, country="SG"):
    """A partner created by the CLI that can also sign in to the console (password PASSWORD):
    its dict and login email."""
    email = f"p{uuid.uuid4().hex[:10]}@example.com"
    name = name or f"SDK discounts {uuid.uuid4().hex[:8]}"
    done = subprocess.run([*admin._base, "admin", "partner", "create", "--name", name, "--country", country,
                           "--program", "csp", "--email", email, "--json"],
                          input=f"{PASSWORD}\n", capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), email


@pytest.fixture
def referral(catalog, admin, endpoint, bss_client_for, client_for):  # noqa: F811 (fixture)
    """A partner authorized up to 20 % off ECS, and its referral customer with a key and a
    console session."""
    admin("admin", "discount-policy", "--service-type", EC2, "--allow", "--json")
    partner, email = _partner_with_login(admin)
    scope = admin("admin", "discount-scope", "--partner", partner["partner_id"], "--service-type", EC2,
                  "--max", "0.2", "--json")
    assert scope["max_discount"] == "0.2"
    partner_token = _console(endpoint, "POST", "/api/v1/sessions", {"login": email, "password": PASSWORD})["token"]
    name = f"ref{uuid.uuid4().hex[:10]}"
    body = {"domain_name": name, "domain_area": "SG", "xaccount_id": name, "xaccount_type": "sdk",
            "password": PASSWORD, "cooperation_type": "1"}
    customer_id = bss_client_for(partner).create_sub_customer(BssCreateSubCustomerRequest(body=body)).domain_id
    key = admin("admin", "key", "create", "--customer", customer_id, "--json")
    token = _console(endpoint, "POST", "/api/v1/sessions", {"login": name, "password": PASSWORD})["token"]
    return {"partner": partner, "partner_token": partner_token, "customer_id": customer_id, "customer_key": key,
            "token": token, "client": client_for(key), "bss": bss_client_for(partner)}


def _order(endpoint, token):
    return _console(endpoint, "POST", "/api/v1/orders", {"items": [VM]}, token)["order_id"]


def _set(endpoint, token, body):
    return _console(endpoint, "POST", "/api/v1/partner/discounts", body, token)


def _pay(client, order_id, discount=None):
    if discount is None:
        body = PayCustomerOrderV3Req(order_id=order_id, use_coupon="NO", use_discount="NO")
    else:
        body = PayCustomerOrderV3Req(order_id=order_id, use_coupon="NO", use_discount="YES",
                                     discount_infos=[DiscountSimpleInfoV3(id=discount[0], type=discount[1])])
    client.pay_orders(PayOrdersRequest(body=body))


def test_a_referral_customer_pays_an_order_with_its_partners_discount(referral, endpoint, bss_client_for):
    general = _set(endpoint, referral["partner_token"],
                   {"service_type": EC2, "discount": "0.15", "customer_id": referral["customer_id"]})
    assert (general["kind"], general["discount"]) == ("general", "0.15")
    order_id = _order(endpoint, referral["token"])
    client = referral["client"]

    offered = client.list_order_discounts(ListOrderDiscountsRequest(order_id=order_id)).discounts
    assert [(d.discount_id, d.discount_type, d.discount_value) for d in offered] == [(general["discount_id"], 3, "0.85")]
    item = offered[0].orders[0].order_line_items[0]
    assert offered[0].orders[0].order_id == order_id
    assert (item.order_line_item_ids, item.discount_mode) == ([f"{order_id}-1"], 0)
    assert (Decimal(str(item.discount_amount)), Decimal(str(item.discount_ratio))) == (Decimal("1.02"), Decimal("0.85"))
    # The China-site client reads the same.
    china = bss_client_for(referral["customer_key"]).list_order_discounts(BssListOrderDiscountsRequest(order_id=order_id))
    assert [d.discount_id for d in china.discounts] == [general["discount_id"]]

    # A discount that is not offered, or named with the wrong type, is refused; then it pays.
    for wrong in [("nope", 3), (general["discount_id"], 609)]:
        with pytest.raises(ClientRequestException) as e:
            _pay(client, order_id, wrong)
        assert (e.value.status_code, e.value.error_code) == (400, "CBC.0100")
    _pay(client, order_id, (general["discount_id"], 3))

    details = client.show_customer_order_details(ShowCustomerOrderDetailsRequest(order_id=order_id))
    info = details.order_info
    assert (info.status, Decimal(str(info.official_amount)), Decimal(str(info.amount_after_discount))) == (
        5, Decimal("6.8"), Decimal("5.78"))
    assert [(d.discount_type, Decimal(str(d.discount_amount))) for d in info.amount_info.discounts] == [
        ("607", Decimal("1.02"))]
    assert client.list_order_discounts(ListOrderDiscountsRequest(order_id=order_id)).discounts == []


def test_refusals_beyond_scope_and_for_reseller_customers(referral, endpoint, new_partner, client_for):
    with pytest.raises(urllib.error.HTTPError) as e:
        _set(endpoint, referral["partner_token"],
             {"service_type": EC2, "discount": "0.25", "customer_id": referral["customer_id"]})
    assert e.value.code == 400 and json.loads(e.value.read())["error_code"] == "CBC.99000056"
    # Another partner's key does not see the customer's order.
    order_id = _order(endpoint, referral["token"])
    with pytest.raises(ClientRequestException) as e:
        client_for(new_partner()).list_order_discounts(ListOrderDiscountsRequest(order_id=order_id))
    assert (e.value.status_code, e.value.error_code) == (404, "CBC.99000054")
    # Without a discount the order is paid at list price.
    _pay(referral["client"], order_id)
    details = referral["client"].show_customer_order_details(ShowCustomerOrderDetailsRequest(order_id=order_id))
    assert Decimal(str(details.order_info.amount_after_discount)) == Decimal("6.8")


def test_the_partner_reads_policies_and_its_scope(referral):
    bss = referral["bss"]
    policies = bss.list_incentive_discount_policies(ListIncentiveDiscountPoliciesRequest(time="2026-03",
                                                                                         service_type_code=EC2))
    assert policies.total_count == 1
    p = policies.policies[0]
    assert (p.service_type_code, p.allow_discount, p.incentive_policy) == (EC2, "YES", "0")
    info = bss.list_business_discount_info(
        ListBusinessDiscountInfoRequest(body=BusinessDiscountQueryReq(quoting_item_type="CATEGORY_ITEM")))
    assert info.total_count == 1
    item = info.category_quoting_items[0]
    assert (item.cloud_service_type, Decimal(str(item.discount_ratio))) == (EC2, Decimal("0.8"))
    with pytest.raises(ClientRequestException) as e:
        bss.list_incentive_discount_policies(ListIncentiveDiscountPoliciesRequest(time="2026/03"))
    assert (e.value.status_code, e.value.error_code) == (400, "CBC.0100")
