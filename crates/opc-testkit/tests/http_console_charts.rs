//! The console's charts and to-dos (issue 17; R-BILL-18, R-RCM-02, R-RCM-04, R-QUOTA-04,
//! R-QUOTA-06, R-ASSOC-25) through the real router on both backends: usage rated over several
//! days; the partner's overview draws its customers' spend per day and month and its quota's
//! use over the month, each an SVG with its title and description and the same figures in a
//! table, and lists its to-dos (the customer over 75 % of its budget, the disassociation
//! request to decide, the frozen customer awaiting a budget); the partner's customer page and
//! the customer's own My bills draw the budget's use against its 75, 90 and 100 % lines.

use opc_core::ops::admin::{self, PartnerChange};
use opc_core::ops::auth::Principal;
use opc_core::ops::development;
use opc_core::ops::orders;
use opc_core::Clock;
use opc_domain::association::AssociationModel;
use opc_domain::{AccountId, Millis, Money, PartnerId, Timestamp};
use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::console::{call, hcpn_partner, sign_in};
use opc_testkit::{on_both_backends, seed, TestStore};
use serde_json::json;

on_both_backends!(
    issue_17_the_overview_draws_spend_and_quota_and_lists_the_to_dos,
    r_rcm_04_the_budget_use_is_drawn_against_its_lines_for_the_partner_and_the_customer,
    r_org_19_members_see_their_customers_spend_and_to_dos_and_other_partners_nothing,
);

const DAY: Millis = Millis(86_400_000);
const HOUR: Millis = Millis(3_600_000);

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

/// The console's page token for a session: what its pages embed in forms.
fn csrf_token(session: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(format!("opc-console-csrf\0{session}").as_bytes())[..16])
}

fn cookie(session: &str) -> Vec<(String, String)> {
    vec![("Cookie".to_owned(), format!("opc_session={session}"))]
}

async fn page(app: &TestApp, session: &str, path: &str) -> String {
    let r = app.send("GET", path, "", &cookie(session)).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.body
}

async fn submit(app: &TestApp, session: &str, path: &str, fields: &[(&str, &str)]) -> TestResponse {
    let mut body = format!("_csrf={}", csrf_token(session));
    for (k, v) in fields {
        body.push_str(&format!("&{k}={v}"));
    }
    let mut headers = cookie(session);
    headers.push(("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()));
    app.send("POST", path, &body, &headers).await
}

async fn customer(
    app: &TestApp,
    partner: &PartnerId,
    name: &str,
    model: AssociationModel,
    login: Option<&str>,
) -> AccountId {
    let (mut account, association, audit) = seed::customer(name, partner, model, app.clock.now());
    if let Some(email) = login {
        account.set_login(Some(email.to_owned()), Some(opc_core::passwords::hash_blocking("Secret123!").unwrap()));
    }
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    account.id().clone()
}

/// A table row of a chart's figures: the label, and the amount to 2 decimals with 8 on hover.
fn row(label: &str, amount: &str) -> String {
    let m = money(amount);
    format!(r#"<th scope="row">{label}</th><td class="num" title="{m}">{}</td>"#, m.to_display_string())
}

fn has(html: &str, needle: &str) {
    assert!(html.contains(needle), "missing {needle:?} in:\n{html}");
}

/// The chart `id` is an SVG with its title and a description.
fn chart(html: &str, id: &str, title: &str) {
    has(html, &format!(r#"<svg role="img" aria-labelledby="{id}-title {id}-desc""#));
    has(html, &format!(r#"<title id="{id}-title">{title}</title><desc id="{id}-desc">"#));
}

/// The seeded month: the test clock starts on 2026-03-01 (08:00 UTC, 16:00 in the billing
/// zone); usage is rated on the 2nd, 3rd and 4th, an order is charged on the 5th, and the pages
/// are read on the 5th.
struct Seeded {
    app: TestApp,
    session: String,
    c1: AccountId,
    c2: AccountId,
    c3: AccountId,
}

async fn seeded(db: TestStore) -> Seeded {
    let app = TestApp::new(db).await;
    let catalog = opc_store::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
    let (session, id) = hcpn_partner(&app, "ana@acme.example", "Acme Ltd").await;
    let p = PartnerId::parse(&id).unwrap();
    admin::change_partner(&app.ctx, &id, PartnerChange::Quota(money("200")), "ops").await.unwrap();
    let c1 = customer(&app, &p, "chart01", AssociationModel::Reseller, Some("c1@shop.example")).await;
    let c2 = customer(&app, &p, "chart02", AssociationModel::Reseller, None).await;
    let c3 = customer(&app, &p, "chart03", AssociationModel::Referral, None).await;
    // R-RCM-02: a new reseller customer is frozen until its partner budgets and unfreezes it.
    let budget = [("budget_amount", "100"), ("budget_type", "monthly"), ("unfreeze", "on")];
    let r = submit(&app, &session, &format!("/partner/customers/{}/budget", c1.as_str()), &budget).await;
    assert_eq!(r.status, 303, "{}", r.body);
    // 0.0125 an hour: on the 2nd 801 hours (10.0125), the 3rd 2,400 (30), the 4th 3,600 (45);
    // the referral customer 4 hours (0.05) on the 3rd. Each ends at noon in the billing zone.
    let noon = |day: i64| Timestamp::from_unix_ms(seed_day_start(day) + 4 * HOUR.0);
    let usage = [
        ("u1", &c1, 800, noon(2)),
        ("u2", &c1, 1, noon(2)),
        ("u3", &c1, 2400, noon(3)),
        ("u4", &c1, 3600, noon(4)),
        ("u5", &c3, 4, noon(3)),
    ];
    let records = usage
        .iter()
        .enumerate()
        .map(|(i, (id, c, hours, at))| (i, seed::vm_usage((*id).to_owned(), c, format!("vm-{i}"), *hours, *at)))
        .collect();
    app.clock.set(seed_now());
    opc_core::ops::usage::ingest(&app.ctx, "ops", records, vec![]).await.unwrap();
    // On the 5th the customer buys a month of a server at list price, 6.80: a charged order.
    let own = Principal::Customer { account: app.ctx.store.account(&c1).await.unwrap().unwrap(), access_key: None };
    let item = opc_testkit::shop::vm_month();
    let placed = orders::place(&app.ctx, &own, None, &[item]).await.unwrap();
    orders::pay(&app.ctx, &own, placed.id(), &orders::PayWith::default()).await.unwrap();
    // Signed in again: the first session has expired meanwhile.
    let session = sign_in(&app, "ana@acme.example", "Secret123!").await;
    Seeded { app, session, c1, c2, c3 }
}

/// 2026-03-`day` at 00:00 UTC, in ms.
fn seed_day_start(day: i64) -> i64 {
    Timestamp::from_utc(2026, 3, 1, 0, 0, 0).unwrap().unix_ms() + (day - 1) * DAY.0
}

/// When the pages are read: 2026-03-05 at 10:00 in the billing zone.
fn seed_now() -> Timestamp {
    Timestamp::from_unix_ms(seed_day_start(5) + 2 * HOUR.0)
}

async fn issue_17_the_overview_draws_spend_and_quota_and_lists_the_to_dos(db: TestStore) {
    let Seeded { app, session, c1, c2, c3 } = seeded(db).await;
    development::request_by_customer(&app.ctx, &c3, "We move to another partner").await.unwrap();
    let overview = page(&app, &session, "/partner").await;

    // Spend per day and month: both models, while they were the partner's customers.
    chart(&overview, "partner-spend-days", "Spend per day this month");
    chart(&overview, "partner-spend-months", "Spend per month");
    has(&overview, &row("2026-03-01", "0"));
    has(&overview, &row("2026-03-02", "10.0125"));
    has(&overview, &row("2026-03-03", "30.05"));
    has(&overview, &row("2026-03-04", "45"));
    has(&overview, &row("2026-03-05", "6.8"));
    assert!(!overview.contains("2026-03-06"), "the days stop today");
    has(&overview, &row("2026-03", "91.8625"));
    has(&overview, &row("2026-02", "0"));
    has(&overview, "USD 91.86 in all; the most, USD 45.00, on 2026-03-04.");

    // R-QUOTA-06: only the reseller customer's spend uses the quota; its notice at 80 %.
    chart(&overview, "quota-days", "Quota use over the month");
    has(&overview, &row("2026-03-01", "0"));
    has(&overview, &row("2026-03-03", "40.0125"));
    has(&overview, &row("2026-03-04", "85.0125"));
    has(&overview, &row("2026-03-05", "91.8125"));
    has(&overview, &row("Notice (80 %)", "160"));
    has(&overview, &row("Quota", "200"));

    // The to-dos, each a link to where it is handled.
    let todos = &overview[overview.find(r#"id="todos""#).unwrap()..];
    let todos = &todos[..todos.find("</section>").unwrap()];
    has(
        todos,
        &format!(r##"<a href="/partner/customers/{}#budget">chart01: 91 % of its budget used</a>"##, c1.as_str()),
    );
    has(todos, r#"<a href="/partner/association-records">chart03 asks to end the association: approve or reject</a>"#);
    has(
        todos,
        &format!(
            r##"<a href="/partner/customers/{}#budget">chart02: frozen until you set a budget and unfreeze it</a>"##,
            c2.as_str()
        ),
    );
    assert!(!todos.contains("customers</a>"), "to-dos, not a count of customers: {todos}");

    // The same overview in Chinese (issue 17, two languages): the to-dos, the quota and the
    // charts in words of the catalogue, the amounts as they are.
    let headers = [
        ("Cookie".to_owned(), format!("opc_session={session}")),
        ("Accept-Language".to_owned(), "zh-CN,zh;q=0.9".to_owned()),
    ];
    let zh = app.send("GET", "/partner", "", &headers).await.body;
    has(&zh, r#"<html lang="zh-CN">"#);
    has(&zh, "chart01：已使用预算的 91 %</a>");
    has(&zh, "chart03 申请解除关联：请批准或拒绝</a>");
    has(&zh, "chart02：已冻结，待您设置预算并解冻</a>");
    has(&zh, "<h2>消费额度</h2>");
    has(&zh, "本月每日消费");
    has(&zh, "本月额度使用情况");
    has(&zh, "通知线（80 %）");
    has(&zh, "合计 USD 91.86；最高为 USD 45.00，在 2026-03-04。");
    for english in ["of its budget used", "Spend per day this month", "Quota use over the month", "The figures"] {
        assert!(!zh.contains(english), "{english} in the Chinese overview");
    }

    // Budgeting and unfreezing the frozen customer, and the customer's request decided: gone.
    let budget = [("budget_amount", "50"), ("budget_type", "package"), ("unfreeze", "on")];
    let r = submit(&app, &session, &format!("/partner/customers/{}/budget", c2.as_str()), &budget).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = submit(&app, &session, &format!("/partner/association-records/{}/reject", c3.as_str()), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let overview = page(&app, &session, "/partner").await;
    assert!(!overview.contains("chart02:") && !overview.contains("chart03 asks"), "{overview}");
    has(&overview, "chart01: 91 % of its budget used");

    // Next month the monthly budget restores: no to-do, and the day chart starts again.
    app.clock.set(Timestamp::from_unix_ms(seed_day_start(33)));
    let session = sign_in(&app, "ana@acme.example", "Secret123!").await;
    let overview = page(&app, &session, "/partner").await;
    has(&overview, "Nothing waits for you.");
    has(&overview, &row("2026-04-02", "0"));
    has(&overview, &row("2026-03", "91.8625"));
}

async fn r_rcm_04_the_budget_use_is_drawn_against_its_lines_for_the_partner_and_the_customer(db: TestStore) {
    let Seeded { app, session, c1, c3, .. } = seeded(db).await;
    let mine = page(&app, &session, &format!("/partner/customers/{}", c1.as_str())).await;
    chart(&mine, "customer-spend-days", "Spend per day this month");
    has(&mine, &row("2026-03-02", "10.0125"));
    has(&mine, &row("2026-03-03", "30"));
    chart(&mine, "budget-days", "Budget use over the month");
    has(&mine, &row("2026-03-02", "10.0125"));
    has(&mine, &row("2026-03-03", "40.0125"));
    has(&mine, &row("2026-03-04", "85.0125"));
    has(&mine, &row("2026-03-05", "91.8125"));
    has(&mine, &row("75 %", "75"));
    has(&mine, &row("90 %", "90"));
    has(&mine, &row("100 %", "100"));
    has(&mine, "of USD 100.00: USD 91.81 used (91 %) at the end of 2026-03-05; notices at 75 % at USD 75.00, 90 % at USD 90.00, 100 % at USD 100.00.");
    assert_eq!(mine.matches("<svg role=\"img\"").count(), 3, "days, months, budget");

    // A referral customer has no budget: its spend only.
    let referral = page(&app, &session, &format!("/partner/customers/{}", c3.as_str())).await;
    has(&referral, &row("2026-03-03", "0.05"));
    assert!(!referral.contains("budget-days"), "{referral}");

    // The customer sees the same on its own My bills.
    let customer_session = sign_in(&app, "c1@shop.example", "Secret123!").await;
    let own = page(&app, &customer_session, "/my-bills").await;
    chart(&own, "my-spend-days", "Spend per day this month");
    chart(&own, "budget-days", "Budget use over the month");
    has(&own, &row("2026-03-04", "85.0125"));
    has(&own, &row("90 %", "90"));
    has(&own, &row("2026-03-05", "6.8"));
    has(&own, &row("2026-03", "91.8125"));
}

async fn r_org_19_members_see_their_customers_spend_and_to_dos_and_other_partners_nothing(db: TestStore) {
    let Seeded { app, session, c1, c2, .. } = seeded(db).await;
    let token = sign_in(&app, "ana@acme.example", "Secret123!").await;
    let member = |name: &str, email: &str| json!({"name": name, "email": email, "password": "Member123!", "position": "account_manager"});
    let nothing = json!({"name": "Nothing", "permissions": []});
    let nothing = call(&app, "POST", "/api/v1/partner/roles", nothing, &token).await.json()["role_id"].clone();
    let viewers = json!({"name": "Viewers", "permissions": ["customers.view"]});
    let viewers = call(&app, "POST", "/api/v1/partner/roles", viewers, &token).await.json()["role_id"].clone();
    for (who, email, role) in [("Nil Nobody", "nil@acme.example", &nothing), ("Mei Tan", "mei@acme.example", &viewers)]
    {
        let m = call(&app, "POST", "/api/v1/partner/members", member(who, email), &token).await;
        assert_eq!(m.status, 201, "{}", m.body);
        let path = format!("/api/v1/partner/members/{}", m.json()["member_id"].as_str().unwrap());
        assert_eq!(call(&app, "PUT", &path, json!({"role_id": role}), &token).await.status, 200);
        if who == "Mei Tan" {
            let assign = format!("/api/v1/partner/customers/{c2}/account-manager");
            let r = call(&app, "PUT", &assign, json!({"member_id": m.json()["member_id"]}), &token).await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
    }

    // An account manager: its customer's to-do, not the others', and no partner-wide spend.
    let mei = sign_in(&app, "mei@acme.example", "Member123!").await;
    let overview = page(&app, &mei, "/partner").await;
    has(&overview, "chart02: frozen until you set a budget and unfreeze it");
    assert!(!overview.contains("chart01") && !overview.contains("partner-spend-days"), "{overview}");
    chart(&overview, "quota-days", "Quota use over the month");
    let r = app.send("GET", &format!("/partner/customers/{}", c1.as_str()), "", &cookie(&mei)).await;
    assert_eq!(r.status, 404, "{}", r.body);
    chart(
        &page(&app, &mei, &format!("/partner/customers/{}", c2.as_str())).await,
        "customer-spend-days",
        "Spend per day this month",
    );

    // A member whose role grants nothing: no customer, so no customer to-do and no spend.
    let nil = sign_in(&app, "nil@acme.example", "Member123!").await;
    let overview = page(&app, &nil, "/partner").await;
    assert!(!overview.contains("chart0") && !overview.contains("partner-spend-days"), "{overview}");

    // Another partner sees none of it.
    let (other, _) = hcpn_partner(&app, "bo@other.example", "Other Ltd").await;
    let overview = page(&app, &other, "/partner").await;
    assert!(!overview.contains("chart0") && !overview.contains("10.01"), "{overview}");
    has(&overview, &row("2026-03-02", "0"));
    let r = app.send("GET", &format!("/partner/customers/{}", c1.as_str()), "", &cookie(&other)).await;
    assert_eq!(r.status, 404, "{}", r.body);
    // The administrator still sees everything.
    has(&page(&app, &session, "/partner").await, "chart01: 91 % of its budget used");
}
