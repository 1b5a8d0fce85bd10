//! Navigation by permission (issue 17): a member's menu lists exactly the partner pages its role
//! opens. Every entry it sees answers the page; every partner page it does not see refuses it.
//! The administrator sees them all. On both backends.

use opc_testkit::app::TestApp;
use opc_testkit::console::{call, cookie, hcpn_partner, sign_in};
use opc_testkit::{on_both_backends, TestStore};
use serde_json::json;

on_both_backends!(a_members_menu_lists_exactly_the_pages_its_role_opens);

/// Every page of a partner's menu.
const PAGES: [&str; 14] = [
    "/partner",
    "/partner/customers",
    "/partner/development",
    "/partner/association-records",
    "/partner/bills",
    "/partner/expenditures",
    "/partner/discounts",
    "/partner/coupons",
    "/partner/coupon-quotas",
    "/partner/test-coupons",
    "/programs",
    "/partner/organization",
    "/partner/notices",
    "/audit",
];

/// The pages the main menu links to, as `session` sees it on its overview.
async fn menu(app: &TestApp, session: &str) -> Vec<String> {
    let r = app.send("GET", "/partner", "", &cookie(session)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let nav = r.body.split("<nav aria-label=\"Main\">").nth(1).unwrap().split("</nav>").next().unwrap().to_owned();
    nav.split("href=\"").skip(1).map(|s| s.split('"').next().unwrap().to_owned()).collect()
}

async fn a_members_menu_lists_exactly_the_pages_its_role_opens(db: TestStore) {
    let app = TestApp::new(db).await;
    let (admin, _) = hcpn_partner(&app, "ana@menu.example", "Menu Ltd").await;
    assert_eq!(menu(&app, &admin).await, PAGES, "the administrator sees every page");
    for page in PAGES {
        let r = app.send("GET", page, "", &cookie(&admin)).await;
        assert_eq!(r.status, 200, "{page}: {}", r.body);
    }
    let roles = [
        ("nothing", vec![]),
        ("viewer", vec!["customers.view"]),
        ("developer", vec!["customers.develop"]),
        ("auditor", vec!["audit.view"]),
        ("all", vec!["customers.view", "customers.manage", "customers.develop", "customers.control", "audit.view"]),
    ];
    for (name, permissions) in roles {
        let role =
            call(&app, "POST", "/api/v1/partner/roles", json!({"name": name, "permissions": permissions}), &admin)
                .await
                .json()["role_id"]
                .clone();
        let email = format!("{name}@menu.example");
        let body = json!({"name": format!("Member {name}"), "email": email, "password": "Member123!",
            "position": "account_manager"});
        let m = call(&app, "POST", "/api/v1/partner/members", body, &admin).await;
        assert_eq!(m.status, 201, "{}", m.body);
        let path = format!("/api/v1/partner/members/{}", m.json()["member_id"].as_str().unwrap());
        assert_eq!(call(&app, "PUT", &path, json!({"role_id": role}), &admin).await.status, 200);
        let session = sign_in(&app, &email, "Member123!").await;
        let shown = menu(&app, &session).await;
        for page in PAGES {
            let r = app.send("GET", page, "", &cookie(&session)).await;
            let listed = shown.iter().any(|s| s == page);
            assert_eq!(
                (listed, r.status.as_u16() == 200),
                (listed, listed),
                "{name}: {page} is {} and answers {}",
                if listed { "listed" } else { "not listed" },
                r.status
            );
        }
    }
}
