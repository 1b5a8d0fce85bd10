"""The product catalog and spend through the official SDK (BSS-API.md B1.8, B1.9): the operator
imports a catalog with the CLI; partners read service types, resource types, usage types,
measure units, conversions, resource specifications and list prices (in Chinese by default or
in English) and price products; ingested usage becomes budgets' spend and the customer's own
expenditure records."""
import json
from decimal import Decimal

import pytest
from huaweicloudsdkbssintl.v2.model import (
    ListConversionsRequest,
    ListMeasureUnitsRequest,
    ListResourceSpecsPriceRequest,
    ListResourceSpecsRequest,
    ListResourceTypesRequest,
    ListServiceResourcesRequest,
    ListServiceTypesRequest,
    ListUsageTypesRequest,
    ResourceSpecsFilter,
    ResourceSpecsPriceFilter,
    ResourceSpecsPriceQueryReq,
    ResourceSpecsQueryReq,
)
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

CATALOG = {
    "service_types": [
        {"code": "hws.service.type.ec2", "name": "Elastic Cloud Server", "name_zh": "弹性云服务器", "abbreviation": "ECS"},
        {"code": "hws.service.type.obs", "name": "Object Storage Service", "name_zh": "对象存储服务", "abbreviation": "OBS"},
    ],
    "resource_types": [
        {"code": "hws.resource.type.vm", "service_type": "hws.service.type.ec2", "name": "Cloud server",
         "name_zh": "云主机", "description": "A virtual machine"},
        {"code": "hws.resource.type.obs", "service_type": "hws.service.type.obs", "name": "Bucket"},
    ],
    "usage_types": [
        {"code": "Duration", "resource_type": "hws.resource.type.vm", "name": "Duration", "name_zh": "时长"},
        {"code": "upflow", "resource_type": "hws.resource.type.obs", "name": "Outbound traffic"},
    ],
    "measure_units": [
        {"id": 4, "name": "hour", "name_zh": "小时", "abbreviation": "h", "measure_type": 2},
        {"id": 5, "name": "minute", "name_zh": "分钟", "abbreviation": "min", "measure_type": 2},
        {"id": 10, "name": "GB", "abbreviation": "GB", "measure_type": 3},
        {"id": 11, "name": "MB", "abbreviation": "MB", "measure_type": 3},
    ],
    "conversions": [
        {"measure_id": 4, "ref_measure_id": 5, "ratio": 60, "measure_type": 2},
        {"measure_id": 10, "ref_measure_id": 11, "ratio": 1024, "measure_type": 3},
    ],
    "specs": [
        {"code": "s6.small.1.linux", "resource_type": "hws.resource.type.vm", "name": "s6.small.1 Linux",
         "regions": ["ap-southeast-1", "ap-southeast-2"]},
        {"code": "s6.large.2.linux", "resource_type": "hws.resource.type.vm", "name": "s6.large.2 Linux",
         "regions": ["ap-southeast-1"]},
    ],
    "prices": [
        {"spec": "s6.small.1.linux", "region": "ap-southeast-1", "charging_mode": "ON_DEMAND",
         "usage_factor": "Duration", "usage_measure_id": 4, "amount": "0.01250001"},
        {"spec": "s6.small.1.linux", "region": "ap-southeast-1", "charging_mode": "PERIOD",
         "period_type": 2, "period_nums": [1, 2, 3], "amount": "6.80"},
        {"spec": "s6.large.2.linux", "region": "ap-southeast-1", "charging_mode": "PERIOD",
         "period_type": 3, "period_nums": [1], "amount": "480"},
    ],
}


@pytest.fixture(scope="module")
def catalog(admin, tmp_path_factory):
    path = tmp_path_factory.mktemp("catalog") / "catalog.json"
    path.write_text(json.dumps(CATALOG), encoding="utf-8")
    return admin("admin", "catalog", "import", str(path), "--json")


@pytest.fixture
def client(catalog, new_partner, client_for):
    return client_for(new_partner())


def test_a_bad_catalog_changes_nothing(catalog, admin, tmp_path, client):
    bad = dict(CATALOG, prices=[dict(CATALOG["prices"][0], region="eu-west-0", amount="-1")])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    done = admin.expect_failure("admin", "catalog", "import", str(path))
    assert "prices[0]" in done.stderr and "not sold in region" in done.stderr and "negative" in done.stderr
    assert client.list_service_types(ListServiceTypesRequest()).total_count == 2


def test_service_types_in_both_languages_with_a_name_filter(client):
    zh = client.list_service_types(ListServiceTypesRequest())
    assert zh.total_count == 2
    assert [s.service_type_name for s in zh.service_types] == ["弹性云服务器", "对象存储服务"]
    en = client.list_service_types(ListServiceTypesRequest(x_language="en_US", service_type_name="object"))
    assert [(s.service_type_code, s.service_type_name, s.abbreviation) for s in en.service_types] == [
        ("hws.service.type.obs", "Object Storage Service", "OBS")]
    page = client.list_service_types(ListServiceTypesRequest(offset=1, limit=1))
    assert (page.total_count, [s.service_type_code for s in page.service_types]) == (2, ["hws.service.type.obs"])


def test_resource_types_service_resources_and_usage_types(client):
    types = client.list_resource_types(ListResourceTypesRequest(x_language="en_US"))
    assert {(r.resource_type_code, r.service_type_code) for r in types.resource_types} == {
        ("hws.resource.type.vm", "hws.service.type.ec2"), ("hws.resource.type.obs", "hws.service.type.obs")}
    of_ecs = client.list_service_resources(ListServiceResourcesRequest(service_type_code="hws.service.type.ec2"))
    assert of_ecs.total_count == 1
    assert (of_ecs.infos[0].basic_info.resource_type_code, of_ecs.infos[0].basic_info.name) == ("hws.resource.type.vm", "云主机")
    usage = client.list_usage_types(ListUsageTypesRequest(resource_type_code="hws.resource.type.vm", x_language="en_US"))
    assert [(u.code, u.service_type_code, u.service_type_name) for u in usage.usage_types] == [
        ("Duration", "hws.service.type.ec2", "Elastic Cloud Server")]


def test_measure_units_and_conversions(client):
    units = client.list_measure_units(ListMeasureUnitsRequest())
    assert {(m.measure_id, m.measure_name) for m in units.measure_units} >= {(4, "小时"), (10, "GB")}
    traffic = client.list_conversions(ListConversionsRequest(measure_type=3))
    assert [(c.measure_id, c.ref_measure_id, c.conversion_ratio) for c in traffic.conversions] == [(10, 11, 1024)]


def test_resource_specs_by_region_and_charge_mode(client):
    def specs(**kw):
        body = ResourceSpecsQueryReq(cloud_service_type="hws.service.type.ec2", resource_type="hws.resource.type.vm", **kw)
        return client.list_resource_specs(ListResourceSpecsRequest(x_language="en_US", body=body))

    monthly = specs(region_code="ap-southeast-1", charge_mode="1")
    assert sorted(s.resource_spec for s in monthly.cloud_service_basics) == ["s6.large.2.linux", "s6.small.1.linux"]
    assert {s.charge_mode for s in monthly.cloud_service_basics} == {"1"}
    on_demand = specs(region_code="ap-southeast-1", charge_mode="3")
    assert [s.resource_spec for s in on_demand.cloud_service_basics] == ["s6.small.1.linux"]
    # Sold in ap-southeast-2 but not priced there.
    assert specs(region_code="ap-southeast-2", charge_mode="3").cloud_service_basics == []
    one = specs(region_code="ap-southeast-1", charge_mode="1", limit=1)
    assert one.page_info.next_marker == "1"
    rest = specs(region_code="ap-southeast-1", charge_mode="1", limit=1, marker=one.page_info.next_marker)
    assert rest.page_info.next_marker is None and len(rest.cloud_service_basics) == 1
    filtered = specs(region_code="ap-southeast-1", charge_mode="1",
                     filters=[ResourceSpecsFilter(key="RESOURCE_SPEC", value="s6.large.2.linux")])
    assert [s.resource_spec_name for s in filtered.cloud_service_basics] == ["s6.large.2 Linux"]
    with pytest.raises(ClientRequestException) as e:
        specs(region_code="ap-southeast-1", charge_mode="2")
    assert (e.value.status_code, e.value.error_code) == (400, "CBC.0100")


def test_list_prices_are_exact(client):
    def prices(**kw):
        body = ResourceSpecsPriceQueryReq(region_code="ap-southeast-1", need_price=True, **kw)
        return client.list_resource_specs_price(ListResourceSpecsPriceRequest(body=body))

    all_specs = prices(cloud_service_type="hws.service.type.ec2")
    small = next(s for s in all_specs.resource_spec_infos if s.resource_spec == "s6.small.1.linux")
    by_mode = {p.charging_mode: p for p in small.price_lists}
    assert Decimal(by_mode["ON_DEMAND"].official_price) == Decimal("0.01250001")
    assert (by_mode["ON_DEMAND"].billing_usage_factor, by_mode["ON_DEMAND"].currency) == ("Duration", "USD")
    assert (Decimal(by_mode["PERIOD"].official_price), by_mode["PERIOD"].period_type, by_mode["PERIOD"].period_nums) == (
        Decimal("6.8"), 2, [1, 2, 3])
    yearly = prices(filters=[ResourceSpecsPriceFilter(key="CHARGING_MODE", value="PERIOD")])
    assert {(s.resource_spec, len(s.price_lists)) for s in yearly.resource_spec_infos} == {
        ("s6.small.1.linux", 1), ("s6.large.2.linux", 1)}
    without_price = client.list_resource_specs_price(ListResourceSpecsPriceRequest(
        body=ResourceSpecsPriceQueryReq(region_code="ap-southeast-1")))
    assert all(s.price_lists is None for s in without_price.resource_spec_infos)
    with pytest.raises(ClientRequestException) as e:
        client.list_resource_specs_price(ListResourceSpecsPriceRequest(body=ResourceSpecsPriceQueryReq()))
    assert e.value.error_code == "CBC.0100"


def test_pay_per_use_ratings_at_list_price(client):
    from huaweicloudsdkbssintl.v2.model import (
        DemandProductInfo, ListOnDemandResourceRatingsRequest, RateOnDemandReq)

    def product(id, usage, unit, count=1):
        return DemandProductInfo(id=id, cloud_service_type="hws.service.type.ec2", resource_type="hws.resource.type.vm",
                                 resource_spec="s6.small.1.linux", region="ap-southeast-1", usage_factor="Duration",
                                 usage_value=Decimal(usage), usage_measure_id=unit, subscription_num=count)

    def rate(*products, precision=None):
        body = RateOnDemandReq(project_id="p-1", inquiry_precision=precision, product_infos=list(products))
        return client.list_on_demand_resource_ratings(ListOnDemandResourceRatingsRequest(body=body))

    r = rate(product("a", "3", 4, count=2), product("b", "90", 5), precision=1)
    by_id = {p.id: p for p in r.product_rating_results}
    assert by_id["a"].official_website_amount == Decimal("0.07500006")  # 0.01250001 × 3 h × 2
    assert by_id["b"].official_website_amount == Decimal("0.01875001")  # 1.5 h, truncated to 8 decimals
    assert r.official_website_amount == Decimal("0.09375007") and r.amount == r.official_website_amount
    assert (r.currency, r.discount_amount, by_id["a"].product_id) == ("USD", Decimal("0"), "s6.small.1.linux:ap-southeast-1:on_demand")
    assert rate(product("c", "1", 5)).official_website_amount == Decimal("0.000208")  # 6 decimals by default
    with pytest.raises(ClientRequestException) as e:
        rate(product("d", "1", 10))
    assert e.value.error_code == "CBC.0100" and "cannot be converted" in e.value.error_msg
    with pytest.raises(ClientRequestException) as e:
        rate(product("e", "1", 4), product("e", "2", 4))
    assert "repeated" in e.value.error_msg


def test_yearly_monthly_ratings_at_list_price(client):
    from huaweicloudsdkbssintl.v2.model import ListRateOnPeriodDetailRequest, PeriodProductInfo, RateOnPeriodReq

    def product(id, spec, period_type, period_num, count=1):
        return PeriodProductInfo(id=id, cloud_service_type="hws.service.type.ec2", resource_type="hws.resource.type.vm",
                                 resource_spec=spec, region="ap-southeast-1", period_type=period_type,
                                 period_num=period_num, subscription_num=count)

    def rate(*products):
        body = RateOnPeriodReq(project_id="p-1", product_infos=list(products))
        return client.list_rate_on_period_detail(ListRateOnPeriodDetailRequest(body=body))

    r = rate(product("m", "s6.small.1.linux", 2, 3, count=2), product("y", "s6.large.2.linux", 3, 1))
    result = r.official_website_rating_result
    assert {p.id: p.official_website_amount for p in result.product_rating_results} == {
        "m": Decimal("40.8"), "y": Decimal("480")}
    assert (result.official_website_amount, r.currency, r.optional_discount_rating_results) == (Decimal("520.8"), "USD", [])
    with pytest.raises(ClientRequestException) as e:
        rate(product("n", "s6.small.1.linux", 2, 12))
    assert "not sold for 12 periods" in e.value.error_msg
    with pytest.raises(ClientRequestException) as e:
        rate(product("x", "s6.small.1.linux", 3, 1))
    assert "no yearly/monthly list price" in e.value.error_msg


def _staff_token(admin, endpoint):
    """Creates an operator staff member (once per run) and signs it in to the console API."""
    import subprocess
    import urllib.request
    email = "sdk-ops@provider.example"
    done = subprocess.run([*admin._base, "admin", "staff", "create", "--email", email, "--name", "SDK Ops"],
                          input="Opspass123!\n", capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 or "already" in done.stderr.lower(), done.stderr
    body = json.dumps({"login": email, "password": "Opspass123!"}).encode()
    req = urllib.request.Request(f"{endpoint}/api/v1/sessions", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())["token"]


def _ingest(endpoint, token, records):
    import urllib.request
    req = urllib.request.Request(f"{endpoint}/api/v1/operator/usage-records", data=json.dumps({"records": records}).encode(),
                                 method="POST", headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def test_usage_becomes_the_budget_spend_and_the_customers_own_records(catalog, admin, endpoint, new_partner, client_for):
    from huaweicloudsdkbssintl.v2.model import (
        CreateCustomerV2Req, CreateSubCustomerRequest, ListCustomerselfResourceRecordsRequest, ModSubCustomerBudgetReq,
        ShowSubCustomerBudgetRequest, UpdateSubCustomerBudgetRequest)
    import uuid as _uuid

    partner = new_partner()
    client = client_for(partner)
    name = f"spend{_uuid.uuid4().hex[:10]}"
    created = client.create_sub_customer(CreateSubCustomerRequest(body=CreateCustomerV2Req(
        domain_name=name, domain_area="SG", xaccount_id=name, xaccount_type="sdk")))
    customer = created.domain_id
    client.update_sub_customer_budget(UpdateSubCustomerBudgetRequest(body=ModSubCustomerBudgetReq(
        customer_id=customer, budget_amount=Decimal("10"), cancel_partner_frozen="1")))
    token = _staff_token(admin, endpoint)
    record = {"customer_id": customer, "resource_id": "vm-1", "cloud_service_type": "hws.service.type.ec2",
              "resource_type": "hws.resource.type.vm", "resource_spec": "s6.small.1.linux", "region": "ap-southeast-1",
              "usage_factor": "Duration", "usage_measure_id": 4}
    from datetime import datetime, timedelta, timezone
    now = datetime.now(timezone.utc).replace(microsecond=0)
    ended = (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    batch = [dict(record, id=f"{name}-1", usage_value=3, ended_at=ended),
             dict(record, id=f"{name}-2", usage_value=90, usage_measure_id=5, ended_at=ended)]
    assert _ingest(endpoint, token, batch)["accepted"] == 2
    assert _ingest(endpoint, token, batch)["duplicates"] == 2, "a replay changes nothing"

    budget = client.show_sub_customer_budget(ShowSubCustomerBudgetRequest(customer_id=customer))
    # 0.01250001 × 3 h + 0.01250001 × 1.5 h, truncated to 8 decimals each.
    assert budget.used_amount == Decimal("0.03750003") + Decimal("0.01875001")

    keys = admin("admin", "key", "create", "--customer", customer, "--json")
    own = client_for({"access_key": keys["access_key"], "secret_key": keys["secret_key"], "domain_id": customer})
    cycle = (now - timedelta(minutes=5) + timedelta(hours=8)).strftime("%Y-%m")  # the records' month in UTC+08:00
    records = own.list_customerself_resource_records(ListCustomerselfResourceRecordsRequest(cycle=cycle, x_language="en_US"))
    assert records.total_count == 2 and records.currency == "USD"
    amounts = sorted(r.official_amount for r in records.fee_records)
    assert amounts == [Decimal("0.01875001"), Decimal("0.03750003")]
    first = records.fee_records[0]
    assert (first.customer_id, first.resource_id, first.charge_mode, first.cloud_service_type_name) == (
        customer, "vm-1", "3", "Elastic Cloud Server")
    with pytest.raises(ClientRequestException) as e:
        own.list_customerself_resource_records(ListCustomerselfResourceRecordsRequest(cycle="2026/01"))
    assert e.value.error_code == "CBC.0100"
    per_cycle = own.list_customerself_resource_records(ListCustomerselfResourceRecordsRequest(cycle=cycle, statistic_type=1))
    assert [(r.resource_id, r.official_amount) for r in per_cycle.fee_records] == [("vm-1", Decimal("0.05625004"))]

    from huaweicloudsdkbssintl.v2.model import ListCustomerselfResourceRecordDetailsRequest, QueryResRecordsDetailReq
    details = own.list_customerself_resource_record_details(ListCustomerselfResourceRecordDetailsRequest(
        body=QueryResRecordsDetailReq(cycle=cycle)))
    assert details.total_count == 1 and details.currency == "USD"
    monthly = details.monthly_records[0]
    assert (monthly.cycle, monthly.res_instance_id, monthly.consume_amount, monthly.charge_mode) == (
        cycle, "vm-1", Decimal("0.05625004"), 3)
    daily = own.list_customerself_resource_record_details(ListCustomerselfResourceRecordDetailsRequest(
        body=QueryResRecordsDetailReq(cycle=cycle, statistic_type=2)))
    assert len(daily.monthly_records) == 1 and daily.monthly_records[0].bill_date.startswith(cycle)
    each = own.list_customerself_resource_record_details(ListCustomerselfResourceRecordDetailsRequest(
        body=QueryResRecordsDetailReq(cycle=cycle, statistic_type=3)))
    assert each.total_count == 2
