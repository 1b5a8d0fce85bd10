"""Bill queries through the official SDKs (BSS-API.md B1.8.6, B1.8.7, B2.8.1, B2.8.6, B2.8.7):
a partner's reseller and referral customers use a server in the open month, and every
operation reads the month's estimate through each client that has it. A month closed by the
bill run (`partner-center admin bill-run --month YYYY-MM`) is read back through the SDKs in
test_costs.py, and in the Rust HTTP tests (crates/opc-testkit/tests/http_bills.rs), which also
show that the closed month answers as its estimate did."""
import json
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from huaweicloudsdkbss.v2.model import (
    ListConsumeSubCustomersReq,
    ListConsumeSubCustomersRequest,
    ListSubCustomerBillDetailRequest,
    ListSubcustomerMonthlyBillsRequest,
)
from huaweicloudsdkbss.v2.model import ShowCustomerMonthlySumRequest as BssShowCustomerMonthlySumRequest
from huaweicloudsdkbss.v2.model import CreateSubCustomerRequest as BssCreateSubCustomerRequest
from huaweicloudsdkbssintl.v2.model import (
    CreateCustomerV2Req,
    CreateSubCustomerRequest,
    ListPostpaidBillSumRequest,
    ModSubCustomerBudgetReq,
    ShowCustomerMonthlySumRequest,
    UpdateSubCustomerBudgetRequest,
)
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from test_catalog import CATALOG, _ingest, _staff_token

INVALID = "CBC.0100"
NOT_YOUR_RESELLER = "CBC.99000037"
RESELLER_SPEND = Decimal("0.03750003")  # 3 h at 0.01250001
REFERRAL_SPEND = Decimal("0.02500002")  # 2 h


@pytest.fixture(scope="module")
def catalog(admin, tmp_path_factory):
    path = tmp_path_factory.mktemp("catalog") / "catalog.json"
    path.write_text(json.dumps(CATALOG), encoding="utf-8")
    return admin("admin", "catalog", "import", str(path), "--json")


@pytest.fixture
def month(catalog, admin, endpoint, new_partner, client_for, bss_client_for):
    """A partner with a reseller and a referral customer that used servers this month, and the
    customers' own keys."""
    partner = new_partner()
    intl, bss = client_for(partner), bss_client_for(partner)
    name = f"bill{uuid.uuid4().hex[:10]}"
    reseller = intl.create_sub_customer(CreateSubCustomerRequest(body=CreateCustomerV2Req(
        domain_name=name, domain_area="SG", xaccount_id=name, xaccount_type="sdk"))).domain_id
    intl.update_sub_customer_budget(UpdateSubCustomerBudgetRequest(body=ModSubCustomerBudgetReq(
        customer_id=reseller, budget_amount=Decimal("10"), cancel_partner_frozen="1")))
    referral = bss.create_sub_customer(BssCreateSubCustomerRequest(body={
        "domain_area": "SG", "xaccount_id": f"x-{uuid.uuid4().hex}", "xaccount_type": "sdk",
        "cooperation_type": "1"})).domain_id
    ended_at = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=5)
    record = {"resource_id": "vm-1", "cloud_service_type": "hws.service.type.ec2",
              "resource_type": "hws.resource.type.vm", "resource_spec": "s6.small.1.linux",
              "region": "ap-southeast-1", "usage_factor": "Duration", "usage_measure_id": 4,
              "ended_at": ended_at.strftime("%Y-%m-%dT%H:%M:%SZ")}
    token = _staff_token(admin, endpoint)
    batch = [dict(record, id=f"{name}-r", customer_id=reseller, usage_value=3),
             dict(record, id=f"{name}-f", customer_id=referral, usage_value=2)]
    assert _ingest(endpoint, token, batch)["accepted"] == 2

    def keys(customer):
        k = admin("admin", "key", "create", "--customer", customer, "--json")
        return {"access_key": k["access_key"], "secret_key": k["secret_key"], "domain_id": customer}

    return {
        "partner": partner, "intl": intl, "bss": bss, "reseller": reseller, "referral": referral,
        "reseller_key": keys(reseller), "referral_key": keys(referral),
        "cycle": (ended_at + timedelta(hours=8)).strftime("%Y-%m"),  # the billing month, UTC+08:00
    }


def refused(call, code=INVALID):
    with pytest.raises(ClientRequestException) as e:
        call()
    assert e.value.error_code == code, e.value
    return e.value


def test_list_postpaid_bill_sum_answers_the_open_months_estimate(month):
    """B1.8.6 (BssintlClient): the reseller customer's spend at the settlement price (no terms:
    list price), tax apart; the referral customer's is not the partner's."""
    intl, cycle = month["intl"], month["cycle"]
    bill = intl.list_postpaid_bill_sum(ListPostpaidBillSumRequest(bill_cycle=cycle))
    assert (bill.bill_cycle, bill.currency) == (cycle, "USD")
    assert (bill.initial_amount_due, bill.consume_amount) == (RESELLER_SPEND, RESELLER_SPEND)
    assert (bill.refunds, bill.adjustments, bill.tax_amount) == (0, 0, 0)
    later = intl.list_postpaid_bill_sum(ListPostpaidBillSumRequest(bill_cycle="2999-01"))
    assert later.initial_amount_due == 0, "a month not begun"
    refused(lambda: intl.list_postpaid_bill_sum(ListPostpaidBillSumRequest(bill_cycle="2026/01")))
    refused(lambda: intl.list_postpaid_bill_sum(ListPostpaidBillSumRequest()))


def test_show_customer_monthly_sum_on_both_clients(month, client_for, bss_client_for):
    """B1.8.7 (both clients): the signer's own sums; the reseller customer's spend is settled by
    its partner (credit), the referral customer's is its own debt."""
    cycle = month["cycle"]
    for make, request in ((client_for, ShowCustomerMonthlySumRequest),
                          (bss_client_for, BssShowCustomerMonthlySumRequest)):
        own = make(month["reseller_key"]).show_customer_monthly_sum(request(bill_cycle=cycle))
        assert (own.total_count, own.consume_amount, own.credit_amount, own.debt_amount) == (
            1, RESELLER_SPEND, RESELLER_SPEND, 0)
        s = own.bill_sums[0]
        assert (s.customer_id, s.bill_cycle, s.service_type_code, s.charging_mode, s.bill_type) == (
            month["reseller"], cycle, "hws.service.type.ec2", 3, 1)
        assert (s.official_amount, s.official_discount_amount, s.consume_amount) == (RESELLER_SPEND, 0, RESELLER_SPEND)
        referral = make(month["referral_key"]).show_customer_monthly_sum(request(bill_cycle=cycle))
        assert (referral.debt_amount, referral.credit_amount) == (REFERRAL_SPEND, 0)
        assert [r.customer_id for r in referral.bill_sums] == [month["referral"]]
        none = make(month["reseller_key"]).show_customer_monthly_sum(
            request(bill_cycle=cycle, service_type_code="hws.service.type.obs"))
        assert (none.total_count, none.bill_sums) == (0, [])
        refused(lambda: make(month["reseller_key"]).show_customer_monthly_sum(
            request(bill_cycle=cycle, method="sub_customer")))
    partner_own = month["intl"].show_customer_monthly_sum(ShowCustomerMonthlySumRequest(bill_cycle=cycle))
    assert partner_own.total_count == 0, "the partner's own account spent nothing"


def test_list_subcustomer_monthly_bills(month, new_partner, bss_client_for):
    """B2.8.7 (BssClient): the customer bills the partner pays: its reseller customer's."""
    bss, cycle = month["bss"], month["cycle"]
    paid = bss.list_subcustomer_monthly_bills(ListSubcustomerMonthlyBillsRequest(cycle=cycle, charge_mode="3"))
    assert (paid.count, paid.currency) == (1, "USD")
    s = paid.bill_sums[0]
    assert (s.customer_id, s.cloud_service_type, s.charge_mode, s.bill_type, s.amount) == (
        month["reseller"], "hws.service.type.ec2", "3", "0", RESELLER_SPEND)
    assert [(d.balance_type, d.amount) for d in s.account_details] == [("BALANCE_TYPE_CREDIT", RESELLER_SPEND)]
    one = bss.list_subcustomer_monthly_bills(ListSubcustomerMonthlyBillsRequest(
        cycle=cycle, charge_mode="3", customer_id=month["referral"]))
    assert one.count == 0, "a referral customer pays its own"
    refused(lambda: bss.list_subcustomer_monthly_bills(ListSubcustomerMonthlyBillsRequest(cycle=cycle)))
    other = new_partner()
    refused(lambda: bss.list_subcustomer_monthly_bills(ListSubcustomerMonthlyBillsRequest(
        cycle=cycle, charge_mode="3", indirect_partner_id=other["partner_id"])), NOT_YOUR_RESELLER)
    stranger = bss_client_for(new_partner())
    foreign = stranger.list_subcustomer_monthly_bills(ListSubcustomerMonthlyBillsRequest(
        cycle=cycle, charge_mode="3", customer_id=month["reseller"]))
    assert foreign.count == 0


def test_list_consume_sub_customers(month, new_partner, bss_client_for):
    """B2.8.1 (BssClient): the customers with spend in the month, referral ones included."""
    bss, cycle = month["bss"], month["cycle"]
    spent = bss.list_consume_sub_customers(ListConsumeSubCustomersRequest(body=ListConsumeSubCustomersReq(bill_cycle=cycle)))
    assert spent.total_count == 2
    assert [c.customer_id for c in spent.sub_customers] == sorted([month["reseller"], month["referral"]])
    page = bss.list_consume_sub_customers(ListConsumeSubCustomersRequest(
        body=ListConsumeSubCustomersReq(bill_cycle=cycle, offset=1, limit=1)))
    assert (page.total_count, len(page.sub_customers)) == (2, 1)
    refused(lambda: bss.list_consume_sub_customers(ListConsumeSubCustomersRequest(body=ListConsumeSubCustomersReq())))
    stranger = bss_client_for(new_partner())
    assert stranger.list_consume_sub_customers(ListConsumeSubCustomersRequest(
        body=ListConsumeSubCustomersReq(bill_cycle=cycle))).total_count == 0


def test_list_sub_customer_bill_detail(month, new_partner, bss_client_for):
    """B2.8.6 (BssClient): a customer's expenditure records, with the model it spent under."""
    bss, cycle = month["bss"], month["cycle"]
    detail = bss.list_sub_customer_bill_detail(ListSubCustomerBillDetailRequest(
        bill_cycle=cycle, customer_id=month["referral"], x_language="en_us"))
    assert (detail.total_count, detail.currency) == (1, "USD")
    r = detail.fee_records[0]
    assert (r.customer_id, r.association_type, r.bill_detail_type, r.charging_mode, r.service_type_name) == (
        month["referral"], "1", 5, 3, "Elastic Cloud Server")
    assert (r.official_amount, r.payment_amount, r.debt_amount, r.credit_amount) == (
        REFERRAL_SPEND, REFERRAL_SPEND, REFERRAL_SPEND, 0)
    reseller = bss.list_sub_customer_bill_detail(ListSubCustomerBillDetailRequest(
        bill_cycle=cycle, customer_id=month["reseller"], association_type="2", charging_mode=3, bill_detail_type=5))
    assert [(f.association_type, f.credit_amount) for f in reseller.fee_records] == [("2", RESELLER_SPEND)]
    assert bss.list_sub_customer_bill_detail(ListSubCustomerBillDetailRequest(
        bill_cycle=cycle, customer_id=month["reseller"], association_type="1")).total_count == 0
    refused(lambda: bss.list_sub_customer_bill_detail(ListSubCustomerBillDetailRequest(bill_cycle=cycle)))
    refused(lambda: bss.list_sub_customer_bill_detail(ListSubCustomerBillDetailRequest(
        bill_cycle=cycle, customer_id=month["reseller"], bill_detail_type=7)))
    stranger = bss_client_for(new_partner())
    assert stranger.list_sub_customer_bill_detail(ListSubCustomerBillDetailRequest(
        bill_cycle=cycle, customer_id=month["reseller"])).total_count == 0
