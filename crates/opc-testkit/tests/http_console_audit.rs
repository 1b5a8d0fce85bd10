//! The audit log for people (issue 17) through the real router on both backends: a partner
//! budgets, unfreezes and later freezes its reseller customer in the console and orders for it
//! with an access key; its Audit log page reads in words (labels, names, money to 2 decimals
//! with the exact amount on hover, no `Debug` text), names who acted on whose behalf, filters
//! by action, time, actor and subject without ever reaching another partner's events, and
//! exports the filtered rows with their stored, exact values. The operator sees everything.

use std::sync::Arc;

use opc_core::ops::admin::{self, PartnerChange};
use opc_core::ops::auth::{Caller, Principal};
use opc_core::ops::orders;
use opc_core::Clock;
use opc_domain::association::AssociationModel;
use opc_domain::{AccountId, Millis, PartnerId};
use opc_testkit::app::TestApp;
use opc_testkit::console::{hcpn_partner, page, sign_in, staff, submit};
use opc_testkit::{on_both_backends, seed, TestStore};

on_both_backends!(issue_17_the_audit_log_reads_in_words_filters_inside_its_scope_and_exports_exact_values);

const DAY: Millis = Millis(86_400_000);

async fn customer(app: &TestApp, partner: &PartnerId, name: &str) -> AccountId {
    let (account, association, audit) = seed::customer(name, partner, AssociationModel::Reseller, app.clock.now());
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    account.id().clone()
}

/// The audit table of a page (its rows, not the filters' select of every action).
fn table(html: &str) -> &str {
    let start = html.find("<table").expect("the page has a table");
    &html[start..start + html[start..].find("</table>").unwrap()]
}

fn has(html: &str, needle: &str) {
    assert!(html.contains(needle), "missing {needle:?} in:\n{html}");
}

fn lacks(html: &str, needle: &str) {
    assert!(!html.contains(needle), "unexpected {needle:?} in:\n{html}");
}

async fn audit(app: &TestApp, session: &str, query: &str) -> String {
    table(&page(app, session, &format!("/audit{query}")).await).to_owned()
}

async fn issue_17_the_audit_log_reads_in_words_filters_inside_its_scope_and_exports_exact_values(db: TestStore) {
    let app = TestApp::new(db).await;
    let catalog = opc_store::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
    let (acme, acme_id) = hcpn_partner(&app, "ana@acme.example", "Acme Ltd").await;
    let (beta, beta_id) = hcpn_partner(&app, "bo@beta.example", "Beta Ltd").await;
    let acme_id = PartnerId::parse(&acme_id).unwrap();
    let quota = PartnerChange::Quota(opc_domain::Money::parse("200").unwrap());
    admin::change_partner(&app.ctx, acme_id.as_str(), quota, "ops").await.unwrap();
    let bakery = customer(&app, &acme_id, "bright-bakery").await;
    let shop = customer(&app, &PartnerId::parse(&beta_id).unwrap(), "other-shop").await;

    // Day 1: each partner budgets its new reseller customer and unfreezes it (R-RCM-02) ...
    let budget = [("budget_type", "monthly"), ("budget_amount", "100"), ("auto_freeze", "on"), ("unfreeze", "on")];
    let r = submit(&app, &acme, &format!("/partner/customers/{bakery}/budget"), &budget).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = submit(&app, &beta, &format!("/partner/customers/{shop}/budget"), &budget).await;
    assert_eq!(r.status, 303, "{}", r.body);
    // ... and Acme orders a month of a server for its customer with its access key, under the
    // customer's authorization letter (R-RCM-14).
    let (key, _) = admin::create_key(&app.ctx, acme_id.as_str(), "ops").await.unwrap();
    let account = app.ctx.store.account(&bakery).await.unwrap().unwrap();
    orders::authorize(&app.ctx, &account, true).await.unwrap();
    let partner = app.ctx.store.partner(&acme_id).await.unwrap().unwrap();
    let by_key =
        Principal::Partner(Arc::new(Caller::acting(&app.ctx, partner, None, Some(key.id().clone())).await.unwrap()));
    let item = opc_testkit::shop::vm_month();
    orders::place(&app.ctx, &by_key, Some(bakery.as_str()), &[item]).await.unwrap();

    // Day 3: Acme freezes it (signed in again: the day-1 session has expired).
    app.clock.advance(Millis(2 * DAY.0));
    let acme = sign_in(&app, "ana@acme.example", "Secret123!").await;
    let beta = sign_in(&app, "bo@beta.example", "Secret123!").await;
    let freeze = [("scope", "account"), ("reason", "late payment")];
    let r = submit(&app, &acme, &format!("/partner/customers/{bakery}/freeze"), &freeze).await;
    assert_eq!(r.status, 303, "{}", r.body);

    // The partner's log, in words: labels, the customer by name, money to 2 decimals with the
    // exact amount on hover, and no Debug text anywhere.
    let log = audit(&app, &acme, "").await;
    for label in ["Budget set", "Customer unfrozen", "Order placed", "Customer frozen", "Access key created"] {
        has(&log, label);
    }
    has(&log, r#"<span class="num" title="100.00000000">USD 100.00</span>"#);
    has(&log, "monthly, ");
    has(&log, "freeze when used up");
    has(&log, "frozen: account (partner), reason “late payment” (was not frozen)");
    has(&log, ">bright-bakery</a>");
    lacks(&log, &format!(">{bakery}<"));
    has(&log, ">Acme Ltd</a>");
    for debug in ["Some(", "None", "Monthly", "Reseller", "{ ", "type=", "freeze="] {
        lacks(&log, debug);
    }
    // The order was placed by the partner's key on its customer's behalf, not by the customer.
    has(&log, &format!("<code>{}</code>", key.id().as_str()));
    has(&log, " on behalf of ");
    let events = app.ctx.store.audit_events(&opc_core::store::AuditQuery { limit: 100, ..Default::default() }).await;
    let placed = events.unwrap().into_iter().find(|e| e.action == opc_domain::audit::Action::OrderPlaced).unwrap();
    assert_eq!(placed.on_behalf_of.as_ref(), Some(&bakery));
    assert!(matches!(placed.actor, opc_domain::audit::Actor::PartnerKey { .. }), "{:?}", placed.actor);

    // Filters narrow the rows: by action, by time (from/to are whole UTC days), by actor.
    let budgets = audit(&app, &acme, "?action=budget.set").await;
    has(&budgets, "Budget set");
    lacks(&budgets, "Customer frozen");
    lacks(&budgets, "Order placed");
    let today = audit(&app, &acme, "?from=2026-03-03").await;
    has(&today, "Customer frozen");
    lacks(&today, "Budget set");
    let first_day = audit(&app, &acme, "?from=2026-03-01&to=2026-03-01").await;
    has(&first_day, "Budget set");
    lacks(&first_day, "Customer frozen");
    let by_key = audit(&app, &acme, &format!("?actor={}", key.id().as_str())).await;
    has(&by_key, "Order placed");
    lacks(&by_key, "Budget set");
    let about = audit(&app, &acme, &format!("?subject_kind=customer&subject={bakery}&action=customer.frozen")).await;
    has(&about, "Customer frozen");
    lacks(&about, "Customer unfrozen");

    // Never another partner's events, whatever the filter names.
    for query in [
        format!("?subject={shop}"),
        format!("?subject_kind=customer&subject={shop}"),
        format!("?subject={shop}&action=budget.set"),
    ] {
        let foreign = audit(&app, &acme, &query).await;
        has(&foreign, "Nothing here yet.");
        lacks(&foreign, "other-shop");
    }
    let theirs = audit(&app, &beta, "").await;
    has(&theirs, ">other-shop</a>");
    lacks(&theirs, "bright-bakery");

    // The operator sees every partner's events.
    let ops = staff(&app).await;
    let all = audit(&app, &ops, "?action=budget.set").await;
    has(&all, ">bright-bakery</a>");
    has(&all, ">other-shop</a>");

    // A filter that cannot be read is named next to its field, all at once.
    let r = app.send("GET", "/audit?from=yesterday&action=nope", "", &opc_testkit::console::cookie(&acme)).await;
    assert_eq!(r.status, 400);
    has(&r.body, "Enter a date as YYYY-MM-DD.");
    has(&r.body, "Choose an action from the list.");

    // The CSV keeps the filters and the stored values, exact.
    let csv = app.send("GET", "/audit?action=budget.set&format=csv", "", &opc_testkit::console::cookie(&acme)).await;
    assert_eq!(csv.status, 200);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines.len(), 2, "the header and Acme's one budget:\n{}", csv.body);
    has(lines[0], "At (UTC),Action,Action code,Actor kind,Actor id");
    has(lines[1], "Budget set,budget.set,account,");
    has(lines[1], "type=monthly amount=100.00000000 auto_freeze=on");
    has(lines[1], &format!("customer,{bakery},bright-bakery"));

    // A member of the partner's organization is named, not shown by its generated id.
    let member = serde_json::json!({"name": "Mei Tan", "email": "mei@acme.example", "password": "Member123!",
        "position": "account_manager"});
    let m = opc_testkit::console::call(&app, "POST", "/api/v1/partner/members", member, &acme).await;
    assert_eq!(m.status, 201, "{}", m.body);
    let id = m.json()["member_id"].as_str().unwrap().to_owned();
    let created = audit(&app, &acme, "?action=organization.member_created").await;
    has(&created, ">Mei Tan</a>");
    has(&created, "mei@acme.example");
    lacks(&created, &format!("<code>{id}</code>"));
}
