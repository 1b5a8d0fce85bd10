//! Resource packages (issue 16; B1.7.2, B1.7.3, B1.8.4) and 95th-percentile bandwidth billing
//! (R-ORD-07; B2.8.4, B2.8.5) through the real router on both backends: a customer buys a
//! package like any monthly product, its usage uses the package before it is rated and only the
//! excess is charged; the package's remaining quantity and its uses read back exactly; a month
//! of bandwidth samples is billed at its 95th percentile; another customer and a partner see
//! none of it.

use opc_domain::association::AssociationModel;
use opc_domain::usage::Cycle;
use opc_domain::{Millis, Money};
use opc_testkit::app::{TestApp, TestResponse, T0};
use opc_testkit::console::call;
use opc_testkit::shop::{customer, partner, Customer};
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

on_both_backends!(
    issue_16_a_package_absorbs_usage_before_it_is_rated_and_the_excess_alone_is_charged,
    r_ord_07_a_month_of_bandwidth_samples_is_billed_at_its_95th_percentile,
);

const OBS: &str = "hws.service.type.obs";
const CDN: &str = "hws.service.type.cdn";
const INFOS: &str = "/v3/payments/free-resources/query";
const USAGES: &str = "/v2/payments/free-resources/usages/details/query";
const RECORDS: &str = "/v2/bills/customer-bills/free-resources-usage-records";
const DETAILS: &str = "/v2/bills/customer-bills/resources/usage/details";
const SUMMARY: &str = "/v2/bills/customer-bills/resources/usage/summary";
const HOUR: Millis = Millis(3_600_000);

fn catalog() -> Value {
    json!({
        "service_types": [{"code": OBS, "name": "Object Storage Service"}, {"code": CDN, "name": "Content Delivery Network"}],
        "resource_types": [{"code": "hws.resource.type.obs", "service_type": OBS, "name": "Cloud storage"},
            {"code": "hws.resource.type.cdn", "service_type": CDN, "name": "CDN"}],
        "usage_types": [{"code": "storage", "resource_type": "hws.resource.type.obs", "name": "Storage"},
            {"code": "95Peak", "resource_type": "hws.resource.type.cdn", "name": "95th-percentile peak bandwidth"}],
        "measure_units": [{"id": 10, "name": "GB", "measure_type": 4}, {"id": 52, "name": "Mbit/s", "measure_type": 6}],
        "specs": [{"code": "obs.standard", "resource_type": "hws.resource.type.obs", "name": "OBS standard", "regions": ["ap-southeast-1"]},
            {"code": "obs.pkg.100", "resource_type": "hws.resource.type.obs", "name": "OBS 100 GB package", "regions": ["ap-southeast-1"]},
            {"code": "cdn.95peak", "resource_type": "hws.resource.type.cdn", "name": "CDN 95th percentile", "regions": ["ap-southeast-1"]}],
        "prices": [
            {"spec": "obs.standard", "region": "ap-southeast-1", "charging_mode": "ON_DEMAND", "usage_factor": "storage",
                "usage_measure_id": 10, "amount": "0.5"},
            {"spec": "obs.pkg.100", "region": "ap-southeast-1", "charging_mode": "PERIOD", "period_type": 2, "period_nums": [1],
                "amount": "10", "package": {"resource_type": "hws.resource.type.obs", "usage_type": "storage",
                    "measure_id": 10, "amount": "100", "reset": "MONTHLY"}},
            {"spec": "cdn.95peak", "region": "ap-southeast-1", "charging_mode": "ON_DEMAND", "usage_factor": "95Peak",
                "usage_measure_id": 52, "amount": "2"}]})
}

fn ok(r: TestResponse) -> Value {
    assert!(r.status == 200 || r.status == 201, "{} {}", r.status, r.body);
    r.json()
}

async fn world(db: TestStore) -> (TestApp, String) {
    let app = TestApp::new(db).await;
    let ops = opc_testkit::console::staff(&app).await;
    let r = call(&app, "PUT", "/api/v1/operator/catalog", catalog(), &ops).await;
    assert_eq!(r.status, 200, "{}", r.body);
    (app, ops)
}

async fn spend(app: &TestApp, c: &Customer) -> Money {
    app.ctx.store.customer_totals(&c.id, Some(Cycle(202603))).await.unwrap().cycle
}

fn usage(id: &str, c: &Customer, value: &str, hours: i64) -> Value {
    json!({"id": id, "customer_id": c.id.as_str(), "resource_id": "bucket-1", "cloud_service_type": OBS,
        "resource_type": "hws.resource.type.obs", "resource_spec": "obs.standard", "region": "ap-southeast-1",
        "usage_factor": "storage", "usage_value": value,
        "usage_measure_id": 10, "ended_at": T0.plus(Millis(HOUR.0 * hours)).to_rfc3339()})
}

async fn issue_16_a_package_absorbs_usage_before_it_is_rated_and_the_excess_alone_is_charged(db: TestStore) {
    let (app, ops) = world(db).await;
    let p = partner(&app, "pia@pack.example", "Pack Partner Ltd").await;
    let c = customer(&app, &p.id, "packbuyer", AssociationModel::Referral).await;
    let other = customer(&app, &p.id, "packother", AssociationModel::Referral).await;

    // The customer buys the package like any monthly product, and pays it.
    let order = json!({"items": [{"cloud_service_type": OBS, "resource_type": "hws.resource.type.obs",
        "resource_spec": "obs.pkg.100", "region": "ap-southeast-1", "period_type": 2, "period_num": 1}]});
    let placed = ok(call(&app, "POST", "/api/v1/orders", order, &c.session).await);
    let order_id = placed["order_id"].as_str().unwrap().to_owned();
    let pay = json!({"order_id": order_id, "use_coupon": "NO", "use_discount": "NO"}).to_string();
    ok(app.signed("POST", "/v3/orders/customer-orders/pay", &pay, &c.creds).await);
    assert_eq!(spend(&app, &c).await, Money::parse("10").unwrap(), "the package's price");

    let infos = ok(app.signed("POST", INFOS, "{}", &c.creds).await);
    assert_eq!(infos["total_count"], 1, "{infos}");
    let package = &infos["free_resource_packages"][0];
    assert_eq!((package["status"].as_i64(), package["order_id"].as_str()), (Some(1), Some(order_id.as_str())));
    assert_eq!(package["quota_reuse_mode"], 1);
    assert_eq!(package["free_resources"][0]["amount"], "100");
    let id = package["free_resources"][0]["free_resource_id"].as_str().unwrap().to_owned();

    // 60 GB and 55.5 GB: the package takes 100, the 15.5 GB beyond it are rated at 0.5.
    let batch = json!({"records": [usage("u-1", &c, "60", 1), usage("u-2", &c, "55.5", 2)]});
    let report = ok(call(&app, "POST", "/api/v1/operator/usage-records", batch.clone(), &ops).await);
    assert_eq!(report["accepted"], 2, "{report}");
    assert_eq!(spend(&app, &c).await, Money::parse("17.75").unwrap(), "10 + 15.5 × 0.5: the excess alone");
    // The same batch again changes nothing, and uses nothing of the package.
    let again = ok(call(&app, "POST", "/api/v1/operator/usage-records", batch, &ops).await);
    assert_eq!((again["accepted"].as_i64(), again["duplicates"].as_i64()), (Some(0), Some(2)));
    assert_eq!(spend(&app, &c).await, Money::parse("17.75").unwrap());
    // More usage finds the package used up: all of it is rated.
    let more = json!({"records": [usage("u-3", &c, "2", 3)]});
    ok(call(&app, "POST", "/api/v1/operator/usage-records", more, &ops).await);
    assert_eq!(spend(&app, &c).await, Money::parse("18.75").unwrap());

    let infos = ok(app.signed("POST", INFOS, r#"{"status": 2}"#, &c.creds).await);
    assert_eq!(infos["total_count"], 1, "used up: {infos}");
    assert_eq!(infos["free_resource_packages"][0]["free_resources"][0]["amount"], "0");
    let none = ok(app
        .signed("POST", INFOS, r#"{"status": 1, "service_type_code_list": ["HWS.SERVICE.TYPE.OBS"]}"#, &c.creds)
        .await);
    assert_eq!(none["total_count"], 0);

    let body = json!({"free_resource_ids": [id, "not-a-package"]}).to_string();
    let usages = ok(app.signed("POST", USAGES, &body, &c.creds).await);
    let items = usages["free_resources"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{usages}");
    assert_eq!((items[0]["amount"].to_string(), items[0]["original_amount"].to_string()), ("0".into(), "100".into()));
    assert_eq!(
        (items[0]["quota_reuse_cycle"].as_i64(), items[0]["quota_reuse_cycle_type"].as_i64()),
        (Some(4), Some(1))
    );

    let query = format!("{RECORDS}?deduct_time_begin=2026-03-01&deduct_time_end=2026-03-31&limit=10");
    let records = ok(app.signed("GET", &query, "", &c.creds).await);
    assert_eq!(records["total_count"], 2, "{records}");
    let newest = &records["free_resource_records"][0];
    assert_eq!(
        (newest["available_amount"].as_str(), newest["used_amount"].as_str(), newest["remaining_amount"].as_str()),
        (Some("40"), Some("40"), Some("0")),
        "u-2 took the 40 left"
    );
    assert_eq!(records["free_resource_records"][1]["used_amount"], "60");
    assert_eq!(newest["product_id"], package["product_id"]);
    app.signed("GET", &format!("{RECORDS}?deduct_time_begin=2026-01-01&deduct_time_end=2026-05-01"), "", &c.creds)
        .await
        .assert_error(400, "CBC.0100");

    // The console: the customer's Orders page and its partner's customer page show what is left.
    let own = opc_testkit::console::page(&app, &c.session, "/orders").await;
    assert!(own.contains("Resource packages") && own.contains("0 of 100 this month"), "{own}");
    let theirs = opc_testkit::console::page(&app, &p.session, &format!("/partner/customers/{}", c.id)).await;
    assert!(theirs.contains("Resource packages") && theirs.contains("Used up"), "{theirs}");
    let none = opc_testkit::console::page(&app, &other.session, "/orders").await;
    assert!(!none.contains("Resource packages"));

    // Tenancy: another customer sees none of it, and a partner's signature is refused.
    assert_eq!(ok(app.signed("POST", INFOS, "{}", &other.creds).await)["total_count"], 0);
    assert_eq!(ok(app.signed("POST", USAGES, &body, &other.creds).await)["free_resources"], json!([]));
    assert_eq!(ok(app.signed("GET", &query, "", &other.creds).await)["total_count"], 0);
    app.signed("POST", INFOS, "{}", &p.creds).await.assert_error(403, "CBC.0151");
    app.signed("POST", USAGES, &body, &p.creds).await.assert_error(403, "CBC.0151");
    app.signed("GET", &query, "", &p.creds).await.assert_error(403, "CBC.0151");
}

fn sample(c: &Customer, resource: &str, i: i64, mbps: i64) -> Value {
    json!({"customer_id": c.id.as_str(), "resource_id": resource, "cloud_service_type": CDN,
        "resource_type": "hws.resource.type.cdn", "resource_spec": "cdn.95peak", "region": "ap-southeast-1",
        "usage_type": "95Peak", "usage_value": mbps, "usage_measure_id": 52,
        "stat_time": T0.plus(Millis(300_000 * i)).to_rfc3339()})
}

async fn r_ord_07_a_month_of_bandwidth_samples_is_billed_at_its_95th_percentile(db: TestStore) {
    let (app, ops) = world(db).await;
    let p = partner(&app, "pia@band.example", "Band Partner Ltd").await;
    let c = customer(&app, &p.id, "bandbuyer", AssociationModel::Referral).await;
    let other = customer(&app, &p.id, "bandother", AssociationModel::Referral).await;

    // 100 five-minute samples of 1 to 100 Mbit/s in March.
    let samples: Vec<Value> = (1..=100).map(|i| sample(&c, "cdn-1", i, 101 - i)).collect();
    let r = ok(call(&app, "POST", "/api/v1/operator/bandwidth-samples", json!({"samples": samples}), &ops).await);
    assert_eq!(r["accepted"], 100, "{r}");
    let bad = json!({"samples": [{"customer_id": c.id.as_str(), "resource_id": "vm-1", "cloud_service_type": "hws.service.type.ec2",
        "resource_type": "hws.resource.type.vm", "resource_spec": "x", "region": "ap-southeast-1", "usage_type": "95Peak",
        "usage_value": 1, "usage_measure_id": 52, "stat_time": T0.to_rfc3339()}]});
    let refused = call(&app, "POST", "/api/v1/operator/bandwidth-samples", bad, &ops).await;
    assert!(refused.assert_error(400, "CBC.0100").contains("R-ORD-07"));

    let q = "bill_cycle=2026-03&service_type_code=hws.service.type.cdn&resource_type_code=hws.resource.type.cdn&usage_type=95Peak";
    // While the month is open: the samples, no billed bandwidth yet.
    let details = ok(app.signed("GET", &format!("{DETAILS}?{q}&resource_id=cdn-1&limit=5"), "", &c.creds).await);
    assert_eq!(details["total_count"], 100, "{details}");
    assert_eq!(details["usage_info_list"].as_array().unwrap().len(), 5);
    assert!(details.get("band_width").is_none());
    assert_eq!(details["actual_days"], "0.34722222222222222222");
    let summary = ok(app.signed("GET", &format!("{SUMMARY}?{q}"), "", &c.creds).await);
    assert_eq!(summary["summary_usage_info_list"], json!([{"resource_id": "cdn-1"}]));
    let early = call(&app, "POST", "/api/v1/operator/bandwidth-billing", json!({"month": "2026-03"}), &ops).await;
    early.assert_error(400, "CBC.0100");

    // After the month: the 5 highest dropped, 95 billed, prorated by the days sampled.
    app.clock.set(T0.plus(Millis::days(40)));
    let ops = opc_testkit::console::sign_in(&app, "ops@provider.example", "Opspass123!").await;
    let details = ok(app.signed("GET", &format!("{DETAILS}?{q}&resource_id=cdn-1"), "", &c.creds).await);
    assert_eq!((details["band_width"].as_str(), details["band_width_measure_id"].as_i64()), (Some("95"), Some(52)));
    let summary = ok(app.signed("GET", &format!("{SUMMARY}?{q}"), "", &c.creds).await);
    assert_eq!(summary["summary_usage_info_list"][0]["band_width"], "95");
    let billed = ok(call(&app, "POST", "/api/v1/operator/bandwidth-billing", json!({"month": "2026-03"}), &ops).await);
    assert_eq!(billed["accepted"], 1, "{billed}");
    // 95 × 100 / (288 × 31) = 1.06406810 Mbit/s-months (truncated), at 2 each.
    assert_eq!(spend(&app, &c).await, Money::parse("2.1281362").unwrap());
    let again = ok(call(&app, "POST", "/api/v1/operator/bandwidth-billing", json!({"month": "2026-03"}), &ops).await);
    assert_eq!(again["duplicates"], 1);
    assert_eq!(spend(&app, &c).await, Money::parse("2.1281362").unwrap());

    // Tenancy: another customer's view is empty, a partner's signature refused.
    let theirs = ok(app.signed("GET", &format!("{DETAILS}?{q}&resource_id=cdn-1"), "", &other.creds).await);
    assert_eq!((theirs["total_count"].as_i64(), theirs.get("band_width")), (Some(0), None));
    assert_eq!(ok(app.signed("GET", &format!("{SUMMARY}?{q}"), "", &other.creds).await)["total_count"], 0);
    app.signed("GET", &format!("{SUMMARY}?{q}"), "", &p.creds).await.assert_error(403, "CBC.0151");
    app.signed("GET", &format!("{SUMMARY}?bill_cycle=2026-03"), "", &c.creds).await.assert_error(400, "CBC.0100");
}
