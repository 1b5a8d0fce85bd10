//! The operator's product catalog through the console API, on both backends: an import is
//! checked whole (every problem, nothing changed), versions follow each other, and the BSS
//! product APIs serve the current one.

use opc_testkit::app::TestApp;
use opc_testkit::console::{call, staff};
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

on_both_backends!(an_imported_catalog_is_served_and_a_bad_one_changes_nothing);

fn catalog(price: &str) -> Value {
    json!({
        "service_types": [{"code": "hws.service.type.ec2", "name": "Elastic Cloud Server", "name_zh": "弹性云服务器"}],
        "resource_types": [{"code": "hws.resource.type.vm", "service_type": "hws.service.type.ec2", "name": "Cloud server"}],
        "usage_types": [{"code": "Duration", "resource_type": "hws.resource.type.vm", "name": "Duration"}],
        "measure_units": [{"id": 4, "name": "hour", "measure_type": 2}],
        "specs": [{"code": "s6.small.1.linux", "resource_type": "hws.resource.type.vm", "name": "s6 small", "regions": ["ap-southeast-1"]}],
        "prices": [{"spec": "s6.small.1.linux", "region": "ap-southeast-1", "charging_mode": "ON_DEMAND",
            "usage_factor": "Duration", "usage_measure_id": 4, "amount": price}]})
}

async fn an_imported_catalog_is_served_and_a_bad_one_changes_nothing(db: TestStore) {
    let app = TestApp::new(db).await;
    let ops = staff(&app).await;
    let empty = call(&app, "GET", "/api/v1/operator/catalog", Value::Null, &ops).await.json();
    assert_eq!((empty["version"].as_i64(), empty["catalog"]["prices"].as_array().map(Vec::len)), (Some(0), Some(0)));

    let r = call(&app, "PUT", "/api/v1/operator/catalog", catalog("0.0125"), &ops).await;
    assert_eq!((r.status.as_u16(), r.json()["version"].as_i64()), (200, Some(1)), "{}", r.body);
    let mut bad = catalog("0.00000000001");
    bad["resource_types"][0]["service_type"] = json!("hws.service.type.nope");
    let msg = call(&app, "PUT", "/api/v1/operator/catalog", bad, &ops).await.assert_error(400, "CBC.0100");
    assert!(msg.contains("prices[0]") && msg.contains("resource_types[0]"), "{msg}");
    call(&app, "PUT", "/api/v1/operator/catalog", json!({"unknown": []}), &ops).await.assert_error(400, "CBC.0100");
    let current = call(&app, "GET", "/api/v1/operator/catalog", Value::Null, &ops).await.json();
    assert_eq!(
        (current["version"].as_i64(), current["catalog"]["prices"][0]["amount"].as_str()),
        (Some(1), Some("0.0125"))
    );

    assert_eq!(call(&app, "PUT", "/api/v1/operator/catalog", catalog("0.02"), &ops).await.json()["version"], 2);
    let partner = app.partner("Acme Ltd", opc_domain::partner::Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&partner);
    let body = json!({"region_code": "ap-southeast-1", "need_price": true}).to_string();
    let prices = app.signed("POST", "/v2/products/resource-specs-price/query", &body, &creds).await.json();
    assert_eq!(prices["resource_spec_infos"][0]["price_lists"][0]["official_price"], "0.02", "the current version");
    let trail = call(&app, "GET", "/api/v1/audit-events", Value::Null, &ops).await.json();
    let imports = trail["events"].as_array().unwrap().iter().filter(|e| e["action"] == "catalog.imported").count();
    assert_eq!(imports, 2, "a refused import leaves no trace");
}
