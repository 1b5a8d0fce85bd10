"""Coupons through the official SDKs (BSS-API.md B1.5.1, B2.5): the operator grants a
distributor a coupon quota (CLI), the distributor passes part of it to its reseller and takes
the rest back, the reseller issues coupons to its customer and reclaims one, and every list and
record reads back exactly, with the documented refusals.

Every test creates its own partners and customers."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from huaweicloudsdkbss.v2.model import (
    AdjustCouponQuotasReq,
    CreatePartnerCouponsReq,
    CreatePartnerCouponsRequest,
    ListCouponQuotasRecordsRequest,
    ListCustomerCouponChangeRecordsRequest,
    ListIssuedCouponQuotasRequest,
    ListIssuedPartnerCouponsRequest,
    ListPartnerCouponsRecordRequest,
    ListQuotaCouponsRequest,
    QueryCouponQuotasReqExt,
    ReclaimCouponQuotasReq,
    ReclaimCouponQuotasRequest,
    ReclaimPartnerCouponsReq,
    ReclaimPartnerCouponsRequest,
    UpdateCouponQuotasRequest,
)
from huaweicloudsdkbss.v2.model import ListSubCustomerCouponsRequest as BssListSubCustomerCouponsRequest
from huaweicloudsdkbssintl.v2.model import ListSubCustomerCouponsRequest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from conftest import next_second
from test_funds import new_customer, partner, refused  # noqa: F401 (fixture)


def grant(admin, partner_id, value):
    until = (datetime.now(timezone.utc) + timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = admin("admin", "coupon-quota", "--partner", partner_id, "--value", value, "--to", until, "--json")
    return out["quota_id"]


def quotas(bss, **filters):
    return bss.list_quota_coupons(ListQuotaCouponsRequest(body=QueryCouponQuotasReqExt(**filters)))


def test_a_quota_goes_down_the_channel_and_becomes_coupons(admin, partner):
    d = partner("distributor")
    r = partner("reseller", distributor=d)
    parent = grant(admin, d["partner_id"], "100")

    give = AdjustCouponQuotasReq(quota_id=parent, indirect_partner_ids=[r["partner_id"]], quota_amount=40)
    issued = d["bss"].update_coupon_quotas(UpdateCouponQuotasRequest(body=give))
    assert [i.id for i in issued.simple_quota_infos] == [r["partner_id"]] and not issued.error_details
    child = issued.simple_quota_infos[0].quota_id
    own = quotas(d["bss"])
    assert own.total_count == 1 and Decimal(str(own.quotas[0].balance)) == Decimal("60")
    theirs = quotas(r["bss"])
    assert (theirs.quotas[0].quota_id, Decimal(str(theirs.quotas[0].balance))) == (child, Decimal("40"))
    assert theirs.quotas[0].quota_status == 0
    listed = d["bss"].list_issued_coupon_quotas(ListIssuedCouponQuotasRequest())
    assert listed.total_count == 1 and listed.quotas[0].parent_quota_id == parent
    assert listed.quotas[0].indirect_partner_id == r["partner_id"]

    customer = new_customer(r["intl"])
    made = r["bss"].create_partner_coupons(CreatePartnerCouponsRequest(body=CreatePartnerCouponsReq(
        quota_id=child, customer_ids=[customer, "not-a-customer"], face_value=12.5, memo="welcome")))
    assert [i.id for i in made.coupon_infos] == [customer]
    assert [e.id for e in made.error_details] == ["not-a-customer"]
    coupon_id = made.coupon_infos[0].coupon_id
    coupons = r["bss"].list_issued_partner_coupons(ListIssuedPartnerCouponsRequest(customer_id=customer))
    assert coupons.total_count == 1
    c = coupons.user_coupons[0]
    assert (c.coupon_id, c.status, Decimal(str(c.face_value)), Decimal(str(c.balance))) == (
        coupon_id, 2, Decimal("12.5"), Decimal("12.5"))
    on_behalf = d["bss"].list_issued_partner_coupons(ListIssuedPartnerCouponsRequest(
        indirect_partner_id=r["partner_id"]))
    assert on_behalf.total_count == 1
    mine = r["intl"].list_sub_customer_coupons(ListSubCustomerCouponsRequest())
    assert mine.count == 1 and mine.user_coupons[0].coupon_id == coupon_id
    assert r["bss"].list_sub_customer_coupons(BssListSubCustomerCouponsRequest(status=2)).count == 1

    r["bss"].reclaim_partner_coupons(ReclaimPartnerCouponsRequest(body=ReclaimPartnerCouponsReq(coupon_id=coupon_id)))
    next_second()  # (the same request in the same second is a replay, answered as the first)
    refused(lambda: r["bss"].reclaim_partner_coupons(ReclaimPartnerCouponsRequest(
        body=ReclaimPartnerCouponsReq(coupon_id=coupon_id))), 400, "CBC.0100")
    assert Decimal(str(quotas(r["bss"]).quotas[0].balance)) == Decimal("40")
    records = r["bss"].list_partner_coupons_record(ListPartnerCouponsRecordRequest(operation_types=["1", "2"]))
    assert [x.operation_type for x in records.records] == ["2", "1"]
    assert records.records[1].coupon_id == coupon_id and records.records[1].customer_id == customer
    changes = r["bss"].list_customer_coupon_change_records(
        ListCustomerCouponChangeRecordsRequest(balance_type="BALANCE_TYPE_COUPON", coupon_id=coupon_id))
    assert changes.total_count == 2
    assert [(x.revenue_expense_type, x.trade_detail_type) for x in changes.records] == [
        ("EXPENSE", "SOURCE_OPERATION_COUPONCANCEL"), ("REVENUE", "SOURCE_OPERAIION_PRIZE")]
    assert Decimal(changes.records[0].change_amount) == -Decimal(changes.records[1].change_amount)
    assert Decimal(changes.records[0].balance_after_change) == 0
    refused(lambda: r["bss"].list_customer_coupon_change_records(
        ListCustomerCouponChangeRecordsRequest(balance_type="BALANCE_TYPE_DEBIT")), 400, "CBC.0100")

    back = d["bss"].reclaim_coupon_quotas(ReclaimCouponQuotasRequest(body=ReclaimCouponQuotasReq(
        quota_ids=[child], remark="quarter end")))
    assert back.simple_quota_infos[0].quota_id == child and Decimal(str(back.simple_quota_infos[0].quota_balance)) == 0
    assert Decimal(str(quotas(d["bss"]).quotas[0].balance)) == Decimal("100")
    history = d["bss"].list_coupon_quotas_records(ListCouponQuotasRecordsRequest())
    assert [x.operation_type for x in history.records] == ["11", "10"]
    assert history.records[0].remark == "quarter end" and Decimal(str(history.records[0].amount)) == Decimal("40")


def test_coupon_requests_are_checked_and_stay_within_tenancy(admin, partner):
    p, other = partner(), partner()
    quota = grant(admin, p["partner_id"], "50")
    customer = new_customer(p["intl"])
    for face_value in (0, 1.001):
        refused(lambda: p["bss"].create_partner_coupons(CreatePartnerCouponsRequest(body=CreatePartnerCouponsReq(
            quota_id=quota, customer_ids=[customer], face_value=face_value))), 400, "CBC.0100")
    refused(lambda: other["bss"].create_partner_coupons(CreatePartnerCouponsRequest(body=CreatePartnerCouponsReq(
        quota_id=quota, customer_ids=[customer], face_value=1))), 404, "CBC.99000054")
    assert quotas(other["bss"]).total_count == 0
    refused(lambda: quotas(other["bss"], indirect_partner_id=p["partner_id"]), 400, "CBC.99000037")
    too_much = p["bss"].create_partner_coupons(CreatePartnerCouponsRequest(body=CreatePartnerCouponsReq(
        quota_id=quota, customer_ids=[customer], face_value=50.01)))
    assert too_much.error_details[0].error_code == "CBC.99000057" and not too_much.coupon_infos
