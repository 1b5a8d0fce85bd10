"""Resource packages and 95th-percentile bandwidth through both official SDKs (BSS-API.md B1.7.2
`list_free_resource_infos`, B1.7.3 `list_free_resource_usages`, B1.8.4
`list_free_resources_usage_records` in both clients; B2.8.4 `list_resource_usage`, B2.8.5
`list_resource_usage_summary` in the China-site client only): a referral customer buys a
package of 100 GB of OBS storage a month, usage takes it before it is rated, the customer reads
what is left and what each record took; a month of CDN bandwidth samples reads back with its
95th percentile; another customer sees nothing and a partner's key is refused.

Every test creates its own partner and customer."""
import copy
import json
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from huaweicloudsdkbss.v2.model import (
    ListResourceUsageRequest,
    ListResourceUsageSummaryRequest,
)
from huaweicloudsdkbssintl.v2.model import (
    ListFreeResourceInfosReq,
    ListFreeResourceInfosRequest,
    ListFreeResourcesUsageRecordsRequest,
    ListFreeResourceUsagesReq,
    ListFreeResourceUsagesRequest,
    PayCustomerOrderV3Req,
    PayOrdersRequest,
)
import huaweicloudsdkbss.v2.model as china_model
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from test_catalog import CATALOG, _ingest, _staff_token
from test_discounts import referral  # noqa: F401 (fixture)
from test_orders import _console, catalog  # noqa: F401 (fixture)

OBS = "hws.service.type.obs"
CDN = "hws.service.type.cdn"


def _package_catalog(admin, tmp_path):
    """The shared catalog plus an OBS storage price, a monthly 100 GB package, and CDN at the 95th percentile."""
    c = copy.deepcopy(CATALOG)
    c["service_types"].append({"code": CDN, "name": "Content Delivery Network"})
    c["resource_types"].append({"code": "hws.resource.type.cdn", "service_type": CDN, "name": "CDN"})
    c["usage_types"] += [{"code": "storage", "resource_type": "hws.resource.type.obs", "name": "Storage"},
                         {"code": "95Peak", "resource_type": "hws.resource.type.cdn", "name": "95th-percentile peak"}]
    c["measure_units"].append({"id": 52, "name": "Mbit/s", "measure_type": 6})
    c["specs"] += [{"code": "obs.standard", "resource_type": "hws.resource.type.obs", "name": "OBS standard",
                    "regions": ["ap-southeast-1"]},
                   {"code": "obs.pkg.100", "resource_type": "hws.resource.type.obs", "name": "OBS 100 GB package",
                    "regions": ["ap-southeast-1"]},
                   {"code": "cdn.95peak", "resource_type": "hws.resource.type.cdn", "name": "CDN 95th",
                    "regions": ["ap-southeast-1"]}]
    c["prices"] += [
        {"spec": "obs.standard", "region": "ap-southeast-1", "charging_mode": "ON_DEMAND", "usage_factor": "storage",
         "usage_measure_id": 10, "amount": "0.5"},
        {"spec": "obs.pkg.100", "region": "ap-southeast-1", "charging_mode": "PERIOD", "period_type": 2,
         "period_nums": [1], "amount": "10", "package": {"resource_type": "hws.resource.type.obs",
                                                       "usage_type": "storage", "measure_id": 10, "amount": "100",
                                                       "reset": "MONTHLY"}},
        {"spec": "cdn.95peak", "region": "ap-southeast-1", "charging_mode": "ON_DEMAND", "usage_factor": "95Peak",
         "usage_measure_id": 52, "amount": "2"}]
    path = tmp_path / "packages.json"
    path.write_text(json.dumps(c), encoding="utf-8")
    return admin("admin", "catalog", "import", str(path), "--json")


def _usage(customer, rid, value, ended):
    return {"id": rid, "customer_id": customer, "resource_id": "bucket-1", "cloud_service_type": OBS,
            "resource_type": "hws.resource.type.obs", "resource_spec": "obs.standard", "region": "ap-southeast-1",
            "usage_factor": "storage", "usage_value": value, "usage_measure_id": 10, "ended_at": ended}


def _post(endpoint, token, path, body):
    return _console(endpoint, "POST", path, body, token)


def test_a_package_takes_usage_before_it_is_rated_and_both_clients_read_it(
        referral, admin, endpoint, tmp_path, bss_client_for):
    _package_catalog(admin, tmp_path)
    item = {"cloud_service_type": OBS, "resource_type": "hws.resource.type.obs", "resource_spec": "obs.pkg.100",
            "region": "ap-southeast-1", "period_type": 2, "period_num": 1}
    order_id = _console(endpoint, "POST", "/api/v1/orders", {"items": [item]}, referral["token"])["order_id"]
    intl = referral["client"]
    intl.pay_orders(PayOrdersRequest(body=PayCustomerOrderV3Req(order_id=order_id, use_coupon="NO", use_discount="NO")))

    # Metered after the package's term began (its payment).
    now = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(minutes=2)
    ended = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    token = _staff_token(admin, endpoint)
    tag = uuid.uuid4().hex[:10]
    batch = [_usage(referral["customer_id"], f"pk-{tag}-1", 60, ended),
             _usage(referral["customer_id"], f"pk-{tag}-2", 55.5, ended)]
    assert _ingest(endpoint, token, batch)["accepted"] == 2

    china = bss_client_for(referral["customer_key"])
    for client, model in ((intl, None), (china, china_model)):
        req = (model.ListFreeResourceInfosReq if model else ListFreeResourceInfosReq)(order_id=order_id)
        infos = client.list_free_resource_infos(
            (model.ListFreeResourceInfosRequest if model else ListFreeResourceInfosRequest)(body=req))
        assert infos.total_count == 1
        (p,) = infos.free_resource_packages
        assert (p.order_id, p.status, p.quota_reuse_mode, p.service_type_code) == (order_id, 2, 1, OBS)
        (item,) = p.free_resources
        assert (item.amount, item.original_amount, item.measure_id) == ("0", "100", 10)
        ids = [item.free_resource_id, "not-mine"]
        usages = client.list_free_resource_usages(
            (model.ListFreeResourceUsagesRequest if model else ListFreeResourceUsagesRequest)(
                body=(model.ListFreeResourceUsagesReq if model else ListFreeResourceUsagesReq)(free_resource_ids=ids)))
        (u,) = usages.free_resources
        assert (Decimal(u.amount), Decimal(u.original_amount), u.quota_reuse_cycle) == (Decimal(0), Decimal(100), 4)
        day = (now + timedelta(hours=8)).strftime("%Y-%m-%d")
        records = client.list_free_resources_usage_records(
            (model.ListFreeResourcesUsageRecordsRequest if model else ListFreeResourcesUsageRecordsRequest)(
                deduct_time_begin=day, deduct_time_end=day, limit=10))
        assert records.total_count == 2
        assert sorted(r.used_amount for r in records.free_resource_records) == ["40", "60"]

    # Another customer's id reads nothing; the partner's key is refused.
    with pytest.raises(ClientRequestException) as e:
        referral["bss"].list_free_resource_infos(ListFreeResourceInfosRequest(body=ListFreeResourceInfosReq()))
    assert (e.value.status_code, e.value.error_code) == (403, "CBC.0151")


def test_a_month_of_bandwidth_reads_back_at_its_95th_percentile(referral, admin, endpoint, tmp_path, bss_client_for):
    _package_catalog(admin, tmp_path)
    # 100 samples in last month (billing time zone UTC+08:00): 1 to 100 Mbit/s.
    first = (datetime.now(timezone.utc) + timedelta(hours=8)).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    start = first - timedelta(days=3) - timedelta(hours=8)
    month = (first - timedelta(days=3)).strftime("%Y-%m")
    resource = f"cdn-{uuid.uuid4().hex[:8]}"
    samples = [{"customer_id": referral["customer_id"], "resource_id": resource, "cloud_service_type": CDN,
                "resource_type": "hws.resource.type.cdn", "resource_spec": "cdn.95peak", "region": "ap-southeast-1",
                "usage_type": "95Peak", "usage_value": i, "usage_measure_id": 52,
                "stat_time": (start + timedelta(minutes=5 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")} for i in range(1, 101)]
    assert _post(endpoint, _staff_token(admin, endpoint), "/api/v1/operator/bandwidth-samples",
                 {"samples": samples})["accepted"] == 100

    china = bss_client_for(referral["customer_key"])
    common = dict(bill_cycle=month, service_type_code=CDN, resource_type_code="hws.resource.type.cdn",
                  usage_type="95Peak")
    summary = china.list_resource_usage_summary(ListResourceUsageSummaryRequest(**common))
    (s,) = [x for x in summary.summary_usage_info_list if x.resource_id == resource]
    assert (s.band_width, s.band_width_measure_id) == ("95", 52)
    details = china.list_resource_usage(ListResourceUsageRequest(resource_id=resource, limit=3, **common))
    assert (details.total_count, details.band_width, details.actual_days) == (100, "95", "0.34722222222222222222")
    assert len(details.usage_info_list) == 3

    with pytest.raises(ClientRequestException) as e:
        bss_client_for(referral["partner"]).list_resource_usage_summary(ListResourceUsageSummaryRequest(**common))
    assert (e.value.status_code, e.value.error_code) == (403, "CBC.0151")
