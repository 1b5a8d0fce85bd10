"""Funds down the channel through the official SDKs (BSS-API.md B1.4.2, B2.4): the operator
records a partner's payment (CLI), the partner allocates to and reclaims from its reseller
customer, a distributor funds its reseller and takes it back, and the balances and records
read back exactly, with the documented refusals.

Every test creates its own partners and customers."""
import uuid
from decimal import Decimal

import pytest
from conftest import next_second
from huaweicloudsdkbss.v2.model import (
    AdjustAccountReq,
    AdjustToIndirectPartnerReq,
    CustomerInfoV2,
    ListCustomersBalancesDetailRequest,
    ListPartnerAccountChangeRecordsRequest,
    ListPartnerAdjustRecordsRequest,
    ListPartnerBalancesRequest,
    QueryCustomersBalancesReq,
    ReclaimIndirectPartnerAccountReq,
    ReclaimIndirectPartnerAccountRequest,
    ReclaimToPartnerAccountBalancesReq,
    ReclaimToPartnerAccountRequest,
    UpdateCustomerAccountAmountRequest,
    UpdateIndirectPartnerAccountRequest,
)
from huaweicloudsdkbssintl.v2.model import (
    CreateCustomerV2Req,
    CreateSubCustomerRequest,
    ShowCustomerAccountBalancesRequest,
    ShowPartnerConsumptionQuotaRequest,
)
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException


def refused(call, status, code):
    with pytest.raises(ClientRequestException) as caught:
        call()
    e = caught.value
    assert (e.status_code, e.error_code) == (status, code), f"{e.status_code} {e.error_code}: {e.error_msg}"
    assert e.error_msg and e.request_id


def new_customer(intl, indirect_partner_id=None):
    body = CreateCustomerV2Req(domain_area="SG", xaccount_id=f"x-{uuid.uuid4().hex}", xaccount_type="acme",
                               indirect_partner_id=indirect_partner_id)
    return intl.create_sub_customer(CreateSubCustomerRequest(body=body)).domain_id


def allocate(bss, customer_id, amount, indirect_partner_id=None):
    body = AdjustAccountReq(customer_id=customer_id, amount=amount, indirect_partner_id=indirect_partner_id)
    return bss.update_customer_account_amount(UpdateCustomerAccountAmountRequest(body=body))


def reclaim(bss, customer_id, amount):
    body = ReclaimToPartnerAccountBalancesReq(customer_id=customer_id, amount=amount)
    return bss.reclaim_to_partner_account(ReclaimToPartnerAccountRequest(body=body))


def partner_balance(bss, indirect_partner_id=None):
    r = bss.list_partner_balances(ListPartnerBalancesRequest(indirect_partner_id=indirect_partner_id))
    assert len(r.account_balances) == 1 and r.account_balances[0].account_type == 1
    return Decimal(str(r.account_balances[0].amount))


@pytest.fixture
def partner(new_partner, client_for, bss_client_for):
    def make(program="csp", distributor=None):
        info = new_partner(program, distributor=distributor["partner_id"] if distributor else None)
        info["intl"], info["bss"] = client_for(info), bss_client_for(info)
        return info
    return make


def test_a_partner_funds_its_reseller_customer_and_takes_it_back(admin, partner):
    p = partner()
    intl, bss = p["intl"], p["bss"]
    customer = new_customer(intl)
    refused(lambda: allocate(bss, customer, 10), 400, "CBC.99000057")
    admin("admin", "partner", "payment", "--partner", p["partner_id"], "--amount", "100", "--json")
    assert partner_balance(bss) == Decimal("100")
    own = intl.show_customer_account_balances(ShowCustomerAccountBalancesRequest())
    assert Decimal(str(own.account_balances[0].amount)) == Decimal("100")

    next_second()
    transfer = allocate(bss, customer, 40.5).transfer_id
    assert transfer
    next_second()
    trans = reclaim(bss, customer, 0.5).trans_id
    assert trans and trans != transfer
    assert partner_balance(bss) == Decimal("60")
    batch = bss.list_customers_balances_detail(ListCustomersBalancesDetailRequest(
        body=QueryCustomersBalancesReq(customer_infos=[CustomerInfoV2(customer_id=customer)])))
    assert [(b.customer_id, Decimal(str(b.amount))) for b in batch.customer_balances] == [(customer, Decimal("40"))]

    records = bss.list_partner_account_change_records(
        ListPartnerAccountChangeRecordsRequest(balance_type="BALANCE_TYPE_DEBIT"))
    assert records.total_count == 3
    assert [r.trade_detail_type for r in records.records] == [
        "SOURCE_OPERATION_BERETRIEVE", "SOURCE_OPERATION_BEADJUST", "SOURCE_OPERAIION_RECHARGE"]
    assert (records.records[1].change_amount, records.records[1].type, records.records[1].customer_id) == \
        ("-40.5", "2", customer)
    adjust = bss.list_partner_adjust_records(ListPartnerAdjustRecordsRequest(customer_id=customer))
    assert adjust.total_count == 2
    assert [(r.operation_type, r.amount) for r in adjust.records] == [
        ("SOURCE_OPERATION_BERETRIEVE", "0.5"), ("SOURCE_OPERATION_BEADJUST", "40.5")]
    only = bss.list_partner_adjust_records(ListPartnerAdjustRecordsRequest(trans_id=transfer))
    assert [r.trans_id for r in only.records] == [transfer]

    # R-QUOTA-07: the balance is the quota's "amount", taken from what is used.
    quota = intl.show_partner_consumption_quota(ShowPartnerConsumptionQuotaRequest())
    assert (quota.amount, quota.used_consumption_quota) == ("60", "-60")


def test_funds_move_only_within_tenancy_and_amounts_are_checked(admin, partner):
    p, other = partner(), partner()
    admin("admin", "partner", "payment", "--partner", p["partner_id"], "--amount", "100", "--json")
    mine, theirs = new_customer(p["intl"]), new_customer(other["intl"])
    refused(lambda: allocate(p["bss"], theirs, 1), 400, "CBC.99000035")
    refused(lambda: reclaim(p["bss"], theirs, 1), 400, "CBC.99000035")
    for bad in (0, -1, 1.001):
        refused(lambda: allocate(p["bss"], mine, bad), 400, "CBC.0100")
    refused(lambda: p["bss"].list_partner_balances(
        ListPartnerBalancesRequest(indirect_partner_id=other["partner_id"])), 400, "CBC.99000037")
    batch = p["bss"].list_customers_balances_detail(ListCustomersBalancesDetailRequest(body=QueryCustomersBalancesReq(
        customer_infos=[CustomerInfoV2(customer_id=theirs), CustomerInfoV2(customer_id=mine)])))
    assert [b.customer_id for b in batch.customer_balances] == [mine], "another partner's customer is left out"
    assert partner_balance(p["bss"]) == Decimal("100"), "nothing moved"


def test_a_distributor_funds_its_reseller_and_takes_it_back(admin, partner):
    d = partner("distributor")
    r = partner("reseller", distributor=d)
    admin("admin", "partner", "payment", "--partner", d["partner_id"], "--amount", "500", "--json")
    give = AdjustToIndirectPartnerReq(indirect_partner_id=r["partner_id"], amount=200)
    assert d["bss"].update_indirect_partner_account(UpdateIndirectPartnerAccountRequest(body=give)).transfer_id
    assert partner_balance(r["bss"]) == Decimal("200")
    assert partner_balance(d["bss"], indirect_partner_id=r["partner_id"]) == Decimal("200")
    customer = new_customer(r["intl"])
    allocate(r["bss"], customer, 50)
    too_much = ReclaimIndirectPartnerAccountReq(indirect_partner_id=r["partner_id"], amount=150.01)
    refused(lambda: d["bss"].reclaim_indirect_partner_account(ReclaimIndirectPartnerAccountRequest(body=too_much)),
            400, "CBC.99000057")
    back = ReclaimIndirectPartnerAccountReq(indirect_partner_id=r["partner_id"], amount=150)
    assert d["bss"].reclaim_indirect_partner_account(ReclaimIndirectPartnerAccountRequest(body=back)).trans_id
    assert (partner_balance(d["bss"]), partner_balance(r["bss"])) == (Decimal("450"), Decimal("0"))
    records = d["bss"].list_partner_adjust_records(ListPartnerAdjustRecordsRequest(
        indirect_partner_id=r["partner_id"]))
    assert records.total_count == 3, "the reseller's: from the distributor, back to it, and to its customer"
    foreign = AdjustToIndirectPartnerReq(indirect_partner_id=d["partner_id"], amount=1)
    refused(lambda: r["bss"].update_indirect_partner_account(UpdateIndirectPartnerAccountRequest(body=foreign)),
            400, "CBC.99000037")


def test_payments_are_invoiced(admin, partner):
    from huaweicloudsdkbssintl.v2.model import ListInvoicesRequest
    p = partner()
    admin("admin", "partner", "payment", "--partner", p["partner_id"], "--amount", "120.5", "--json")
    r = p["intl"].list_invoices(ListInvoicesRequest(start_time="2020-01-01T00:00:00Z", end_time="2099-01-01T00:00:00Z",
                                                    offset=1, limit=10))
    assert r.count == 1
    invoice = r.invoices[0]
    assert (Decimal(str(invoice.invoice_amount)), invoice.trade_type, invoice.invoice_state) == (Decimal("120.5"), 7, 8)
    assert invoice.invoice_no.startswith("INV") and invoice.request_id
    assert invoice.tax_list[0].tax_class == "VAT"
    refused(lambda: p["intl"].list_invoices(ListInvoicesRequest(start_time="yesterday", end_time="2099-01-01T00:00:00Z",
                                                                offset=1, limit=10)), 400, "CBC.0100")
