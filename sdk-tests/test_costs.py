"""Costs and a closed month through the official SDKs (BSS-API.md B1.8.1 `list_costs` on both
clients, B2.8.2 `list_customer_bills_fee_records` and B2.8.3
`list_customer_bills_monthly_break_down` on the China-site client): a partner's reseller and
referral customers use servers in a past month, `partner-center admin bill-run --month` closes
it once for the module, and every operation reads it back: the partner's bill, the customers'
monthly sums, the customer bills the partner pays and the customers' own costs, with their
payment status."""
import json
import uuid
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from huaweicloudsdkbss.v2.model import CreateSubCustomerRequest as BssCreateSubCustomerRequest
from huaweicloudsdkbss.v2.model import (
    ListCustomerBillsFeeRecordsRequest,
    ListCustomerBillsMonthlyBreakDownRequest,
    ListSubcustomerMonthlyBillsRequest,
)
from huaweicloudsdkbss.v2.model import FilterFactor as BssFilterFactor
from huaweicloudsdkbss.v2.model import FilterV2 as BssFilterV2
from huaweicloudsdkbss.v2.model import GroupBy as BssGroupBy
from huaweicloudsdkbss.v2.model import ListCostsReq as BssListCostsReq
from huaweicloudsdkbss.v2.model import ListCostsRequest as BssListCostsRequest
from huaweicloudsdkbss.v2.model import TimeCondition as BssTimeCondition
from huaweicloudsdkbssintl.v2.model import (
    CreateCustomerV2Req,
    CreateSubCustomerRequest,
    FilterFactor,
    FilterV2,
    GroupBy,
    ListCostsReq,
    ListCostsRequest,
    ListPostpaidBillSumRequest,
    ModSubCustomerBudgetReq,
    ShowCustomerMonthlySumRequest,
    TimeCondition,
    UpdateSubCustomerBudgetRequest,
)
from huaweicloudsdkbssintl.v2 import BssintlClient
from huaweicloudsdkbss.v2 import BssClient
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from conftest import _build_client
from test_catalog import CATALOG, _ingest, _staff_token

INVALID = "CBC.0100"
RESELLER_SPEND = Decimal("0.03750003")  # 3 h at 0.01250001
REFERRAL_SPEND = Decimal("0.02500002")  # 2 h


def _past_month():
    """Three months ago: ended, and not closed by the server's own bill run (it closes only the
    month before the current one)."""
    now = datetime.now(timezone.utc)
    index = now.year * 12 + now.month - 1 - 3
    return index // 12, index % 12 + 1


@pytest.fixture(scope="module")
def closed(admin, endpoint, tmp_path_factory):
    """A partner with a reseller and a referral customer that used servers in a past month,
    which the bill run has closed; the customers' own keys."""
    path = tmp_path_factory.mktemp("catalog") / "catalog.json"
    path.write_text(json.dumps(CATALOG), encoding="utf-8")
    admin("admin", "catalog", "import", str(path), "--json")
    name = f"SDK costs {uuid.uuid4().hex[:8]}"
    partner = admin("admin", "partner", "create", "--name", name, "--country", "SG", "--program", "csp", "--json")
    intl = _build_client(BssintlClient, endpoint, partner, {})
    bss = _build_client(BssClient, endpoint, partner, {})
    login = f"cost{uuid.uuid4().hex[:10]}"
    reseller = intl.create_sub_customer(CreateSubCustomerRequest(body=CreateCustomerV2Req(
        domain_name=login, domain_area="SG", xaccount_id=login, xaccount_type="sdk"))).domain_id
    intl.update_sub_customer_budget(UpdateSubCustomerBudgetRequest(body=ModSubCustomerBudgetReq(
        customer_id=reseller, budget_amount=Decimal("10"), cancel_partner_frozen="1")))
    referral = bss.create_sub_customer(BssCreateSubCustomerRequest(body={
        "domain_area": "SG", "xaccount_id": f"x-{uuid.uuid4().hex}", "xaccount_type": "sdk",
        "cooperation_type": "1"})).domain_id
    year, month = _past_month()
    cycle = f"{year:04d}-{month:02d}"
    record = {"resource_id": "vm-1", "cloud_service_type": "hws.service.type.ec2",
              "resource_type": "hws.resource.type.vm", "resource_spec": "s6.small.1.linux",
              "region": "ap-southeast-1", "usage_factor": "Duration", "usage_measure_id": 4,
              "ended_at": f"{cycle}-15T04:00:00Z"}
    token = _staff_token(admin, endpoint)
    batch = [dict(record, id=f"{login}-r", customer_id=reseller, usage_value=3),
             dict(record, id=f"{login}-f", customer_id=referral, usage_value=2)]
    assert _ingest(endpoint, token, batch)["accepted"] == 2
    run = admin("admin", "bill-run", "--month", cycle, "--json")
    assert run["done"], run

    def keys(customer):
        k = admin("admin", "key", "create", "--customer", customer, "--json")
        return {"access_key": k["access_key"], "secret_key": k["secret_key"], "domain_id": customer}

    def clients(key):
        return _build_client(BssintlClient, endpoint, key, {}), _build_client(BssClient, endpoint, key, {})

    return {"partner": partner, "intl": intl, "bss": bss, "reseller": reseller, "referral": referral,
            "cycle": cycle, "reseller_clients": clients(keys(reseller)),
            "referral_clients": clients(keys(referral))}


def refused(call, code=INVALID):
    with pytest.raises(ClientRequestException) as e:
        call()
    assert e.value.error_code == code, e.value
    return e.value


def test_the_closed_month_reads_back_as_bills(closed):
    """B1.8.6, B1.8.7, B2.8.7 read the stored bills of the month the CLI closed."""
    intl, bss, cycle = closed["intl"], closed["bss"], closed["cycle"]
    bill = intl.list_postpaid_bill_sum(ListPostpaidBillSumRequest(bill_cycle=cycle))
    assert (bill.bill_cycle, bill.consume_amount, bill.initial_amount_due) == (cycle, RESELLER_SPEND, RESELLER_SPEND)
    own, _ = closed["reseller_clients"]
    sums = own.show_customer_monthly_sum(ShowCustomerMonthlySumRequest(bill_cycle=cycle))
    assert (sums.total_count, sums.consume_amount, sums.credit_amount, sums.debt_amount) == (
        1, RESELLER_SPEND, RESELLER_SPEND, 0)
    paid = bss.list_subcustomer_monthly_bills(ListSubcustomerMonthlyBillsRequest(cycle=cycle, charge_mode="3"))
    assert [(s.customer_id, s.amount) for s in paid.bill_sums] == [(closed["reseller"], RESELLER_SPEND)]


def test_list_costs_on_both_clients(closed):
    """B1.8.1 (both clients): the signer's own costs, amounts as strings to 8 decimals."""
    cycle = closed["cycle"]
    intl, bss = closed["reseller_clients"]
    for client, request, body, time, group, filt, factor in (
            (intl, ListCostsRequest, ListCostsReq, TimeCondition, GroupBy, FilterV2, FilterFactor),
            (bss, BssListCostsRequest, BssListCostsReq, BssTimeCondition, BssGroupBy, BssFilterV2, BssFilterFactor)):
        def ask(**kw):
            args = dict(time_condition=time(time_measure_id=2, begin_time=cycle, end_time=cycle),
                        groupby=[group(type="dimension", key="CHARGING_MODE")], cost_type="ORIGINAL_COST",
                        amount_type="PAYMENT_AMOUNT")
            args.update(kw)
            return client.list_costs(request(body=body(**args)))

        costs = ask()
        assert (costs.total_count, costs.currency) == (1, "USD")
        data = costs.cost_data[0]
        assert [(d.key, d.value) for d in data.dimensions] == [("CHARGING_MODE", "3")]
        assert [(c.time_dimension_value, c.time_measure_id, c.amount) for c in data.costs] == [
            (cycle, 2, "0.03750003")]
        assert data.amount_by_costs == data.official_amount_by_costs == "0.03750003"
        day = f"{cycle}-15"
        daily = ask(time_condition=time(time_measure_id=1, begin_time=f"{cycle}-01", end_time=day),
                    cost_type="AMORTIZED_COST")
        assert [c.time_dimension_value for c in daily.cost_data[0].costs] == [day]
        excluded = ask(filters=[filt(operator=1, filter_factor=factor(key="CHARGING_MODE", value=["3"]))])
        assert (excluded.total_count, excluded.cost_data) == (0, [])
        refused(lambda: ask(cost_type="SOME_COST"))
        refused(lambda: ask(groupby=[group(type="dimension", key="NOPE")]))
    referral, _ = closed["referral_clients"]
    theirs = referral.list_costs(ListCostsRequest(body=ListCostsReq(
        time_condition=TimeCondition(time_measure_id=2, begin_time=cycle, end_time=cycle),
        groupby=[GroupBy(type="dimension", key="RESOURCE_ID")], cost_type="ORIGINAL_COST", amount_type="NET_AMOUNT")))
    assert [(c.dimensions[0].value, c.amount_by_costs) for c in theirs.cost_data] == [("vm-1", "0.02500002")]


def test_list_customer_bills_fee_records(closed):
    """B2.8.2 (BssClient): each customer's own records of the closed month: billed, and unpaid
    (its partner's bill is not repaid; a referral customer pays the operator itself)."""
    cycle = closed["cycle"]
    _, own = closed["reseller_clients"]
    records = own.list_customer_bills_fee_records(ListCustomerBillsFeeRecordsRequest(bill_cycle=cycle))
    assert (records.total_count, records.currency) == (1, "USD")
    r = records.records[0]
    assert (r.customer_id, r.bill_cycle, r.bill_type, r.charging_mode, r.status) == (closed["reseller"], cycle, 5, 3, 2)
    assert (r.consume_amount, r.official_amount, r.credit_amount, r.debt_amount) == (
        RESELLER_SPEND, RESELLER_SPEND, RESELLER_SPEND, 0)
    assert own.list_customer_bills_fee_records(ListCustomerBillsFeeRecordsRequest(
        bill_cycle=cycle, status=3)).total_count == 0, "billed"
    assert own.list_customer_bills_fee_records(ListCustomerBillsFeeRecordsRequest(
        bill_cycle=cycle, charging_mode=1)).total_count == 0
    day = f"{cycle}-15"
    assert own.list_customer_bills_fee_records(ListCustomerBillsFeeRecordsRequest(
        bill_cycle=cycle, bill_date_begin=day, bill_date_end=day)).total_count == 1
    refused(lambda: own.list_customer_bills_fee_records(ListCustomerBillsFeeRecordsRequest(bill_cycle=cycle, status=9)))
    refused(lambda: own.list_customer_bills_fee_records(ListCustomerBillsFeeRecordsRequest()))
    _, referral = closed["referral_clients"]
    theirs = referral.list_customer_bills_fee_records(ListCustomerBillsFeeRecordsRequest(bill_cycle=cycle))
    assert [(t.customer_id, t.status, t.debt_amount) for t in theirs.records] == [(closed["referral"], 2, REFERRAL_SPEND)]


def test_list_customer_bills_monthly_break_down(closed):
    """B2.8.3 (BssClient): pay-per-use is all the month's: past and future are 0."""
    cycle = closed["cycle"]
    _, own = closed["reseller_clients"]
    shared = own.list_customer_bills_monthly_break_down(ListCustomerBillsMonthlyBreakDownRequest(shared_month=cycle))
    assert shared.total_count == 1
    d = shared.details[0]
    assert (d.shared_month, d.bill_cycle, d.bill_type, d.charging_mode, d.resource_id) == (cycle, cycle, 5, 3, "vm-1")
    assert (d.consume_amount, d.past_months_amortized_amount, d.current_month_amortized_amount,
            d.future_months_amortized_amount) == (RESELLER_SPEND, 0, RESELLER_SPEND, 0)
    assert own.list_customer_bills_monthly_break_down(ListCustomerBillsMonthlyBreakDownRequest(
        shared_month=cycle, charging_mode=1)).total_count == 0
    refused(lambda: own.list_customer_bills_monthly_break_down(ListCustomerBillsMonthlyBreakDownRequest()))
