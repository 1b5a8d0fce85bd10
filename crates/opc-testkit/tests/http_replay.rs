//! Issue 18, item 8: a signed write replayed within the signature window is answered with its
//! first answer and not run again, in this server process or another one on the same
//! database; signed reads run every time. On both backends.

use std::sync::Arc;

use opc_core::store::AuditQuery;
use opc_domain::association::AssociationModel;
use opc_domain::partner::Program;
use opc_domain::AccountId;
use opc_testkit::app::{TestApp, T0};
use opc_testkit::sign::{self, Credentials};
use opc_testkit::{on_both_backends, seed, TestStore};

on_both_backends!(
    a_replayed_write_gets_the_first_answer_and_changes_nothing,
    a_replay_reaching_another_process_is_answered_once,
    concurrent_copies_of_one_signed_write_run_it_once,
    renewals_and_unsubscriptions_that_all_failed_run_again,
    refused_writes_run_again,
    signed_reads_run_every_time,
    every_coupon_write_is_answered_once,
);

const BUDGET: &str = "/v2/partners/sub-customers/budget";
const FREEZE: &str = "/v2/partners/sub-customers/freeze";

type Headers = Vec<(String, String)>;

async fn partner_with_customer(app: &TestApp) -> (Credentials, AccountId) {
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let (account, association, audit) = seed::customer("cust0001", p.partner.id(), AssociationModel::Reseller, T0);
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    (TestApp::credentials(&p), account.id().clone())
}

fn budget(customer: &AccountId, amount: u32) -> String {
    format!(r#"{{"customer_id":"{customer}","budget_amount":{amount},"budget_type":"MONTHLY"}}"#)
}

fn signed(method: &str, target: &str, body: &str, creds: &Credentials, app: &TestApp) -> Headers {
    sign::sdk_headers(method, target, body.as_bytes(), creds, &app.ctx.clock.now().to_sdk_date())
}

async fn budget_amount(app: &TestApp, customer: &AccountId) -> Option<String> {
    app.ctx.store.budget(customer).await.unwrap().map(|b| b.amount().to_plain_string())
}

async fn audit_count(app: &TestApp) -> usize {
    app.ctx.store.audit_events(&AuditQuery { limit: 1000, ..AuditQuery::default() }).await.unwrap().len()
}

fn replayed(r: &opc_testkit::app::TestResponse) -> bool {
    r.headers.get("idempotent-replayed").is_some_and(|v| v == "true")
}

async fn a_replayed_write_gets_the_first_answer_and_changes_nothing(db: TestStore) {
    let app = TestApp::new(db).await;
    let (creds, customer) = partner_with_customer(&app).await;
    let to_100 = budget(&customer, 100);
    let captured = signed("POST", BUDGET, &to_100, &creds, &app);
    let first = app.send("POST", BUDGET, &to_100, &captured).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(!replayed(&first));
    // The partner changes its mind; an eavesdropper then sends the captured request again.
    let r = app.signed("POST", BUDGET, &budget(&customer, 200), &creds).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let events = audit_count(&app).await;
    let again = app.send("POST", BUDGET, &to_100, &captured).await;
    assert_eq!((again.status, again.bytes.clone()), (first.status, first.bytes.clone()));
    assert!(replayed(&again), "a replay says so");
    assert_eq!(budget_amount(&app, &customer).await.as_deref(), Some("200"), "the replay did not run");
    assert_eq!(audit_count(&app).await, events, "nothing was written");
}

async fn a_replay_reaching_another_process_is_answered_once(db: TestStore) {
    let app = TestApp::new(db).await;
    let (creds, customer) = partner_with_customer(&app).await;
    let other = app.another_process().await;
    // The new customer starts frozen (R-RCM-02): a budget unfreezes it, then it is frozen.
    let unfreeze = format!(r#"{{"customer_id":"{customer}","budget_amount":100,"cancel_partner_frozen":"1"}}"#);
    assert_eq!(app.signed("POST", BUDGET, &unfreeze, &creds).await.status, 200);
    let body = format!(r#"{{"customer_ids":["{customer}"],"reason":"unpaid"}}"#);
    let headers = signed("POST", FREEZE, &body, &creds, &app);
    let first = app.send("POST", FREEZE, &body, &headers).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let events = audit_count(&app).await;
    let elsewhere = other.send("POST", FREEZE, &body, &headers).await;
    assert_eq!((elsewhere.status, elsewhere.body.clone()), (first.status, first.body.clone()));
    assert!(replayed(&elsewhere));
    assert_eq!(audit_count(&app).await, events, "the other process did not freeze again");
    drop(other);
}

async fn concurrent_copies_of_one_signed_write_run_it_once(db: TestStore) {
    let app = Arc::new(TestApp::new(db).await);
    let (creds, customer) = partner_with_customer(&app).await;
    let other = Arc::new(app.another_process().await);
    let events = audit_count(&app).await;
    let body = budget(&customer, 300);
    let headers = signed("POST", BUDGET, &body, &creds, &app);
    let sends: Vec<_> = (0..16)
        .map(|i| {
            let target = if i % 2 == 0 { app.clone() } else { other.clone() };
            let (body, headers) = (body.clone(), headers.clone());
            tokio::spawn(async move { target.send("POST", BUDGET, &body, &headers).await })
        })
        .collect();
    let mut answers = vec![];
    for send in sends {
        answers.push(send.await.expect("a request"));
    }
    for r in &answers {
        assert_eq!((r.status.as_u16(), r.body.as_str()), (200, answers[0].body.as_str()));
    }
    assert_eq!(answers.iter().filter(|r| !replayed(r)).count(), 1, "exactly one copy ran");
    assert_eq!(budget_amount(&app, &customer).await.as_deref(), Some("300"));
    assert_eq!(audit_count(&app).await, events + 1, "one budget change audited");
    drop(other);
}

/// A refused write changed nothing: sent again, it runs again (and succeeds once its cause is
/// gone), never answered from the refusal.
async fn refused_writes_run_again(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    // A budget for a customer that is not the partner's yet: refused.
    let (account, association, audit) = seed::customer("late0001", p.partner.id(), AssociationModel::Reseller, T0);
    let body = budget(account.id(), 500);
    let headers = signed("POST", BUDGET, &body, &creds, &app);
    app.send("POST", BUDGET, &body, &headers).await.assert_error(400, "CBC.99000035");
    // Once it is, the same signed request runs.
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    let again = app.send("POST", BUDGET, &body, &headers).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert!(!replayed(&again));
    assert_eq!(budget_amount(&app, account.id()).await.as_deref(), Some("500"));
}

/// Issue 18: a renewal or unsubscription batch whose every resource failed changed nothing, so
/// its signature is not kept: sent again, it runs again (no replayed answer).
async fn renewals_and_unsubscriptions_that_all_failed_run_again(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    for (path, body) in [
        (
            "/v2/orders/subscriptions/resources/renew",
            r#"{"resource_ids":["nope-1"],"period_type":2,"period_num":1,"expire_policy":0}"#,
        ),
        (
            "/v2/orders/subscriptions/resources/unsubscribe",
            r#"{"resource_ids":["nope-1","nope-1"],"unsubscribe_type":1}"#,
        ),
    ] {
        let headers = signed("POST", path, body, &creds, &app);
        let first = app.send("POST", path, body, &headers).await;
        assert_eq!(first.status, 200, "{}", first.body);
        assert!(first.body.contains("nope-1"), "the failure is reported: {}", first.body);
        let again = app.send("POST", path, body, &headers).await;
        assert_eq!(again.status, 200, "{}", again.body);
        assert!(!replayed(&again), "{path}: a batch that changed nothing runs again");
    }
}

async fn signed_reads_run_every_time(db: TestStore) {
    let app = TestApp::new(db).await;
    let (creds, customer) = partner_with_customer(&app).await;
    let query = format!("{BUDGET}?customer_id={customer}");
    let read = signed("GET", &query, "", &creds, &app);
    let list = r#"{"offset":0,"limit":10}"#;
    let listing = signed("POST", "/v2/partners/sub-customers/query", list, &creds, &app);
    let before = app.send("GET", &query, "", &read).await;
    app.signed("POST", BUDGET, &budget(&customer, 400), &creds).await;
    let after = app.send("GET", &query, "", &read).await;
    assert_eq!((before.status.as_u16(), after.status.as_u16()), (200, 200));
    assert_ne!(before.body, after.body, "the same signed read sees the new budget");
    assert!(!replayed(&after));
    for _ in 0..2 {
        let r = app.send("POST", "/v2/partners/sub-customers/query", list, &listing).await;
        assert_eq!(r.status, 200);
        assert!(!replayed(&r), "a query sent by POST is a read");
    }
}

/// The coupon writes (issuing and reclaiming coupons, passing and taking back quota) are writes
/// like any other: a replay is answered once and spends no quota twice.
async fn every_coupon_write_is_answered_once(db: TestStore) {
    use opc_domain::coupon::{Limits, Validity};
    let app = TestApp::new(db).await;
    let p = app.partner("Coupon Ltd", Program::CloudSolutionProvider, None).await;
    let (account, association, audit) = seed::customer("cust0002", p.partner.id(), AssociationModel::Reseller, T0);
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    let (creds, customer, partner) = (TestApp::credentials(&p), account.id().clone(), p.partner.id().clone());
    let now = app.ctx.clock.now();
    let validity = Validity::new(now, now.plus(opc_domain::Millis(30 * 86_400_000))).unwrap();
    let money = |t: &str| opc_domain::Money::parse(t).unwrap();
    let quota = opc_core::ops::coupons::grant_quota(
        &app.ctx,
        "ops",
        partner.as_str(),
        money("100"),
        validity,
        Limits::default(),
        "",
    )
    .await
    .unwrap();
    let path = "/v2/promotions/benefits/partner-coupons";
    let body = format!(r#"{{"quota_id":"{}","customer_ids":["{customer}"],"face_value":10}}"#, quota.id);
    let captured = signed("POST", path, &body, &creds, &app);
    let first = app.send("POST", path, &body, &captured).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let again = app.send("POST", path, &body, &captured).await;
    assert!(replayed(&again), "{}", again.body);
    assert_eq!(again.bytes, first.bytes);
    let left = app.ctx.store.coupon_quotas(std::slice::from_ref(&quota.id)).await.unwrap().pop().unwrap().balance;
    assert_eq!(left, money("90"), "one coupon was issued");
}
