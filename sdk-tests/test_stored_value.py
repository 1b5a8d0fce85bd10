"""Stored-value cards through the official China-site SDK (BSS-API.md B2.5.8
`list_stored_value_cards`, B1.6.4 `pay_orders` with coupon type 303): the operator records a card
a referral customer bought (CLI); the customer lists it with its own key, pays an order with it
and reads the card's exact balance back; its partner's key is refused.

Every test creates its own partner and customer."""
from decimal import Decimal

import pytest
from huaweicloudsdkbss.v2.model import (
    CouponSimpleInfoOrderPayV3,
    ListStoredValueCardsRequest,
    PayCustomerOrderV3Req,
    PayOrdersRequest,
)
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from test_discounts import _order, referral  # noqa: F401 (fixture)
from test_orders import catalog  # noqa: F401 (fixture)


def _cards(client, status, card_id=None):
    return client.list_stored_value_cards(ListStoredValueCardsRequest(status=status, card_id=card_id))


def test_a_referral_customer_lists_its_card_and_pays_an_order_with_it(referral, admin, endpoint, bss_client_for):
    card = admin("admin", "stored-value-card", "issue", "--customer", referral["customer_id"], "--name", "Prepaid SDK",
                 "--face-value", "20", "--to", "2099-01-01T00:00:00Z", "--json")
    assert (card["face_value"], card["balance"]) == ("20", "20")
    china = bss_client_for(referral["customer_key"])

    listed = _cards(china, 1)
    assert listed.total_count == 1
    (c,) = listed.stored_value_cards
    assert (c.card_id, c.card_name, c.status, c.face_value, c.balance) == (
        card["card_id"], "Prepaid SDK", 1, "20", "20")
    assert c.expire_time == "2099-01-01T00:00:00Z"
    assert _cards(china, 2).total_count == 0
    assert _cards(china, 1, card_id="").total_count == 1

    # The order's 6.80 is paid by the card: 13.20 is left.
    order_id = _order(endpoint, referral["token"])
    body = PayCustomerOrderV3Req(order_id=order_id, use_coupon="YES", use_discount="NO",
                                 coupon_infos=[CouponSimpleInfoOrderPayV3(id=card["card_id"], type=303)])
    china.pay_orders(PayOrdersRequest(body=body))
    (c,) = _cards(china, 1, card_id=card["card_id"]).stored_value_cards
    assert Decimal(c.balance) == Decimal("13.2")

    # Cards are a customer's own: the partner's key is refused.
    with pytest.raises(ClientRequestException) as e:
        _cards(referral["bss"], 1)
    assert (e.value.status_code, e.value.error_code) == (403, "CBC.0151")
    # An unknown card pays nothing.
    order_id = _order(endpoint, referral["token"])
    body = PayCustomerOrderV3Req(order_id=order_id, use_coupon="YES", use_discount="NO",
                                 coupon_infos=[CouponSimpleInfoOrderPayV3(id="nope", type=303)])
    with pytest.raises(ClientRequestException) as e:
        china.pay_orders(PayOrdersRequest(body=body))
    assert (e.value.status_code, e.value.error_code) == (400, "CBC.0100")
