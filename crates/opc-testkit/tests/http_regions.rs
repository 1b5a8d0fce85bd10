//! Regions (issue 16, BSS B2.12): the operator imports a data set of provinces, cities and
//! counties; partners list them a page at a time, in Chinese or English, through the real
//! router on both backends. A document that does not hold together changes nothing.

use opc_core::ops::regions;
use opc_core::store::RegionQuery;
use opc_domain::partner::Program;
use opc_domain::region::Level;
use opc_testkit::app::TestApp;
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

on_both_backends!(b2_12_partners_list_the_imported_regions, b2_12_an_import_replaces_the_set_whole_or_not_at_all);

const SAMPLE: &str = include_str!("../../../docs/regions-sample.json");

async fn imported(db: TestStore) -> (TestApp, opc_testkit::sign::Credentials) {
    let app = TestApp::new(db).await;
    let set = opc_store::regions::parse(SAMPLE).unwrap();
    regions::import(&app.ctx, &set, "ops").await.unwrap();
    let p = app.partner("Atlas Ltd", Program::CloudSolutionProvider, None).await;
    (app, TestApp::credentials(&p))
}

fn names(v: &Value, list: &str) -> Vec<(String, String)> {
    let items = v[list].as_array().unwrap();
    items.iter().map(|r| (r["code"].as_str().unwrap().to_owned(), r["name"].as_str().unwrap().to_owned())).collect()
}

async fn b2_12_partners_list_the_imported_regions(db: TestStore) {
    let (app, creds) = imported(db).await;
    let get = |target: String| {
        let (app, creds) = (&app, &creds);
        async move { app.signed("GET", &target, "", creds).await }
    };
    let provinces = get("/v2/systems/configs/provinces".into()).await.json();
    assert_eq!(provinces["count"], 3);
    let pairs = names(&provinces, "provinces");
    assert_eq!(pairs[2], ("440000".into(), "广东省".into()), "Chinese by default, by code");
    let cities = get("/v2/systems/configs/cities?province_code=440000".into()).await.json();
    assert_eq!(names(&cities, "cities"), [("440100".into(), "广州市".into()), ("440300".into(), "深圳市".into())]);
    // A page at a time; English on request.
    let target = "/v2/systems/configs/counties?city_code=440300&offset=1&limit=1";
    let mut headers = opc_testkit::sign::sdk_headers("GET", target, b"", &creds, &app.ctx.clock.now().to_sdk_date());
    headers.push(("X-Language".into(), "en_us".into()));
    let english = app.send("GET", target, "", &headers).await.json();
    assert_eq!(english, json!({"count": 2, "counties": [{"code": "440305", "name": "Nanshan District"}]}));
    // A code with no regions under it, and bad queries.
    let none = get("/v2/systems/configs/cities?province_code=999999".into()).await.json();
    assert_eq!(none, json!({"count": 0, "cities": []}));
    get("/v2/systems/configs/cities".into()).await.assert_error(400, "CBC.0100");
    get("/v2/systems/configs/counties?city_code=".into()).await.assert_error(400, "CBC.0100");
    get("/v2/systems/configs/provinces?limit=1001".into()).await.assert_error(400, "CBC.0100");
    // Unsigned, nothing.
    assert_eq!(app.send("GET", "/v2/systems/configs/provinces", "", &[]).await.status, 401);
}

async fn b2_12_an_import_replaces_the_set_whole_or_not_at_all(db: TestStore) {
    let (app, _) = imported(db).await;
    let count = |level| {
        let app = &app;
        async move {
            let q = RegionQuery { level, parent: None, offset: 0, limit: 1000 };
            app.ctx.store.regions(&q).await.unwrap().1
        }
    };
    for bad in [
        r#"{"provinces": [{"code": "1", "name": "一", "name_en": "One"}, {"code": "1", "name": "二", "name_en": "Two"}]}"#,
        r#"{"provinces": [{"code": "1", "name": "一", "name_en": "One", "counties": [{"code": "2", "name": "二", "name_en": "Two"}]}]}"#,
        r#"{"provinces": [{"code": "1 1", "name": "一", "name_en": "One"}]}"#,
        r#"{"regions": []}"#,
    ] {
        assert!(opc_store::regions::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(count(Level::Province).await, 3, "nothing changed");
    let one =
        opc_store::regions::parse(r#"{"provinces": [{"code": "A1", "name": "甲", "name_en": "Alpha"}]}"#).unwrap();
    regions::import(&app.ctx, &one, "ops").await.unwrap();
    assert_eq!(count(Level::Province).await, 1);
    let q = RegionQuery { level: Level::County, parent: Some("440300".into()), offset: 0, limit: 10 };
    assert_eq!(app.ctx.store.regions(&q).await.unwrap().1, 0, "the old counties are gone with their set");
}
