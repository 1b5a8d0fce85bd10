//! Development paths, company grouping and tier entry paths through the console API, on both
//! backends (R-PROG-02, R-PROG-08, R-PROG-23, R-HCPN-07, R-HCPN-10 … R-HCPN-19).

use opc_testkit::app::TestApp;
use opc_testkit::console::{call, hcpn_partner, rules, staff};
use opc_testkit::{on_both_backends, TestStore};
use serde_json::{json, Value};

on_both_backends!(
    r_hcpn_19_a_company_upgrades_once_an_account_is_role_validated,
    r_hcpn_10_to_16_the_operator_certifies_tiers_by_entry_path,
);

/// Applies to CSP and has the operator approve it.
async fn join_csp(app: &TestApp, token: &str, ops: &str, area: &str) {
    let r = call(
        app,
        "POST",
        "/api/v1/programs/csp/applications",
        json!({"business_area": area, "agreements": ["csp_cooperation_agreement", "anti_bribery_questionnaire"]}),
        token,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let applicant = r.json()["applicant"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/operator/program-applications/{applicant}/csp/approve");
    assert_eq!(call(app, "POST", &path, Value::Null, ops).await.status, 200);
}

async fn r_hcpn_19_a_company_upgrades_once_an_account_is_role_validated(db: TestStore) {
    let app = TestApp::new(db).await;
    let ops = staff(&app).await;
    let (seller, seller_id) = hcpn_partner(&app, "sales@acme.example", "Acme Cloud Pte Ltd").await;
    let (builder, builder_id) = hcpn_partner(&app, "dev@acme.example", "ACME  Cloud Pte Ltd").await;
    let (stranger, stranger_id) = hcpn_partner(&app, "boss@other.example", "Other Cloud Pte Ltd").await;
    join_csp(&app, &seller, &ops, "SG").await;

    // R-PROG-23 (reported as R-PROG-07): one CSP account per company and business area.
    let view = call(&app, "GET", "/api/v1/programs/csp/eligibility", Value::Null, &builder).await.json();
    assert_eq!(rules(&view, "causes"), ["R-PROG-07"]);
    call(&app, "POST", "/api/v1/programs/csp/applications", json!({}), &builder)
        .await
        .assert_error(400, "CBC.99000052");
    let view = call(&app, "GET", "/api/v1/programs/csp/eligibility", Value::Null, &stranger).await.json();
    assert_eq!(rules(&view, "causes"), Vec::<String>::new(), "another company");

    // R-PROG-08: the CSP account cannot join a path.
    call(&app, "POST", "/api/v1/partner/development-path", json!({"path": "software"}), &seller)
        .await
        .assert_error(409, "CBC.99000053");
    // R-HCPN-19 View Reason: the company is on no path.
    let reason = call(&app, "GET", "/api/v1/partner/tier-upgrade", Value::Null, &seller).await.json();
    assert_eq!(
        (reason["upgradable"].as_bool(), rules(&reason, "reasons")),
        (Some(false), vec!["R-HCPN-19".to_owned()])
    );
    assert!(reason["reasons"][0]["fix"].as_str().unwrap().starts_with("Register a new account"), "{reason}");
    let up = json!({"program": "csp", "entry_path": "review", "tier": "advanced"});
    let msg = call(&app, "POST", &format!("/api/v1/operator/partners/{seller_id}/tier"), up.clone(), &ops)
        .await
        .assert_error(400, "CBC.99000052");
    assert!(msg.contains("R-HCPN-19"), "{msg}");

    // R-HCPN-07, R-PROG-02: another account of the company joins the software path.
    call(&app, "POST", "/api/v1/partner/development-path", json!({"path": "cooking"}), &builder)
        .await
        .assert_error(400, "CBC.0100");
    let joined = call(&app, "POST", "/api/v1/partner/development-path", json!({"path": "software"}), &builder).await;
    assert_eq!(joined.status, 201, "{}", joined.body);
    assert_eq!(joined.json()["stage"], "joined");
    call(&app, "POST", "/api/v1/partner/development-path", json!({"path": "service"}), &builder)
        .await
        .assert_error(409, "CBC.99000053");
    let reason = call(&app, "GET", "/api/v1/partner/tier-upgrade", Value::Null, &seller).await.json();
    assert!(reason["reasons"][0]["fix"].as_str().unwrap().contains("any account"), "{reason}");
    // The path account may no longer apply to CSP (R-PROG-08), whatever the area.
    let view = call(&app, "GET", "/api/v1/programs/csp/eligibility", Value::Null, &builder).await.json();
    assert_eq!(rules(&view, "causes"), ["R-PROG-07", "R-PROG-08"]);

    // The operator records the stages; role validation completes at competency differentiation.
    let advance = format!("/api/v1/operator/partners/{builder_id}/development-path/advance");
    call(&app, "POST", &advance, Value::Null, &builder).await.assert_error(403, "CBC.0151");
    assert_eq!(call(&app, "POST", &advance, Value::Null, &ops).await.json()["stage"], "role_validation");
    let validated = call(&app, "POST", &advance, Value::Null, &ops).await.json();
    assert_eq!(
        (validated["stage"].as_str(), validated["role_validated"].as_bool()),
        (Some("competency_differentiation"), Some(true))
    );
    assert_eq!(call(&app, "POST", &advance, Value::Null, &ops).await.json()["stage"], "certified");
    call(&app, "POST", &advance, Value::Null, &ops).await.assert_error(409, "CBC.99000053");
    call(&app, "POST", &format!("/api/v1/operator/partners/{stranger_id}/development-path/advance"), Value::Null, &ops)
        .await
        .assert_error(404, "CBC.99000054");

    // Now the company's CSP account can be upgraded (R-HCPN-17, R-HCPN-19), and downgraded.
    let reason = call(&app, "GET", "/api/v1/partner/tier-upgrade", Value::Null, &seller).await.json();
    assert_eq!((reason["upgradable"].as_bool(), reason["reasons"].as_array().map(Vec::len)), (Some(true), Some(0)));
    let r = call(&app, "POST", &format!("/api/v1/operator/partners/{seller_id}/tier"), up, &ops).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["tier"], "advanced");
    let mine = call(&app, "GET", "/api/v1/programs", Value::Null, &seller).await.json();
    assert_eq!(mine["enrolled"][0]["tier"], "advanced", "R-HCPN-20: the tier is per program");
    let down = json!({"program": "csp", "entry_path": "review", "tier": "standard"});
    assert_eq!(
        call(&app, "POST", &format!("/api/v1/operator/partners/{seller_id}/tier"), down, &ops).await.status,
        200
    );
    // A stranger's company is not the seller's.
    let reason = call(&app, "GET", "/api/v1/partner/tier-upgrade", Value::Null, &builder).await.json();
    assert_eq!(reason["upgradable"], true);
    let changes = call(&app, "GET", &format!("/api/v1/operator/partners/{seller_id}/tier-changes"), Value::Null, &ops)
        .await
        .json();
    let to: Vec<&str> = changes["tier_changes"].as_array().unwrap().iter().map(|c| c["to"].as_str().unwrap()).collect();
    assert_eq!(to, ["standard", "advanced"]);
}

async fn r_hcpn_10_to_16_the_operator_certifies_tiers_by_entry_path(db: TestStore) {
    let app = TestApp::new(db).await;
    let ops = staff(&app).await;
    let mut carriers = vec![];
    for n in 0..4 {
        let (token, id) = hcpn_partner(&app, &format!("boss@carrier{n}.example"), &format!("Carrier {n} Ltd")).await;
        join_csp(&app, &token, &ops, "SG").await;
        carriers.push((token, id));
    }
    let tier = |id: &str| format!("/api/v1/operator/partners/{id}/tier");
    let (token0, id0) = &carriers[0];

    // R-HCPN-10: every unmet condition of the direct Premier entry at once; nothing changes.
    let weak = json!({"program": "csp", "entry_path": "direct", "tier": "premier",
        "commitment": {"annual_revenue_usd": "359999.99", "business_plan": false, "certified_employees": 4}});
    let msg = call(&app, "POST", &tier(id0), weak, &ops).await.assert_error(400, "CBC.99000052");
    assert_eq!(msg.matches("(R-HCPN-10)").count(), 5, "{msg}");
    assert_eq!(
        call(&app, "GET", "/api/v1/programs", Value::Null, token0).await.json()["enrolled"][0]["tier"],
        "standard"
    );
    call(
        &app,
        "POST",
        &tier(id0),
        json!({"program": "csp", "entry_path": "direct", "tier": "premier",
        "commitment": {"annual_revenue_usd": "1.234"}}),
        &ops,
    )
    .await
    .assert_error(400, "CBC.0100");
    call(
        &app,
        "POST",
        &tier(id0),
        json!({"program": "distributor", "entry_path": "won_back", "competitor_tier": "a1_select"}),
        &ops,
    )
    .await
    .assert_error(404, "CBC.99000054");
    call(&app, "POST", &tier(id0), json!({"program": "csp", "entry_path": "direct", "tier": "premier"}), token0)
        .await
        .assert_error(403, "CBC.0151");
    // R-HCPN-11.
    let advanced = json!({"program": "csp", "entry_path": "direct", "tier": "advanced", "established_local_enterprise": true,
        "commitment": {"annual_revenue_usd": "120000", "business_plan": true, "certified_employees": 3}});
    assert_eq!(call(&app, "POST", &tier(id0), advanced, &ops).await.json()["tier"], "advanced");
    // R-HCPN-12.
    let won = json!({"program": "csp", "entry_path": "won_back", "competitor_tier": "a2_gold_competency"});
    assert_eq!(call(&app, "POST", &tier(id0), won, &ops).await.json()["tier"], "premier");

    // R-HCPN-13, R-HCPN-14: Core by invitation only, at most 3 carriers per country.
    let carrier = json!({"program": "csp", "entry_path": "core_carrier", "b2b_basis": true, "top3_carrier": true,
        "commitment": {"annual_revenue_usd": "1200000", "certified_employees": 5}});
    let msg = call(&app, "POST", &tier(id0), carrier.clone(), &ops).await.assert_error(400, "CBC.99000052");
    assert!(msg.contains("R-HCPN-13"), "{msg}");
    for (n, (_, id)) in carriers.iter().enumerate() {
        let invite = format!("/api/v1/operator/partners/{id}/core-invitation");
        assert_eq!(call(&app, "POST", &invite, Value::Null, &ops).await.status, 201);
        call(&app, "POST", &invite, Value::Null, &ops).await.assert_error(409, "CBC.99000053");
        let r = call(&app, "POST", &tier(id), carrier.clone(), &ops).await;
        if n < 3 {
            assert_eq!(r.json()["tier"], "core", "carrier {n}");
        } else {
            let msg = r.assert_error(400, "CBC.99000052");
            assert!(msg.contains("already has 3 Core carriers"), "{msg}");
        }
    }
    // R-HCPN-15: a leading regional partner that falls short gets its won-back tier.
    let (_, id3) = &carriers[3];
    let regional = json!({"program": "csp", "entry_path": "core_regional", "special_capabilities": false,
        "builds_on_cloud": true, "competitor_tier": "a1_select",
        "commitment": {"annual_revenue_usd": "1200000", "certified_employees": 5}});
    let r = call(&app, "POST", &tier(id3), regional, &ops).await.json();
    assert_eq!((r["tier"].as_str(), rules(&r, "fell_back")), (Some("advanced"), vec!["R-HCPN-15".to_owned()]));
    // R-HCPN-16.
    let global = json!({"program": "csp", "entry_path": "core_global", "registered_face_to_face": true, "builds_on_cloud": true,
        "commitment": {"annual_revenue_usd": "500000", "certified_employees": 5}});
    assert_eq!(call(&app, "POST", &tier(id3), global, &ops).await.json()["tier"], "core");
    let changes =
        call(&app, "GET", &format!("/api/v1/operator/partners/{id0}/tier-changes"), Value::Null, &ops).await.json();
    let paths: Vec<&str> =
        changes["tier_changes"].as_array().unwrap().iter().map(|c| c["entry_path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["core_carrier", "won_back", "direct"]);
}
