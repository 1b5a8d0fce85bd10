//! Issue 18, the read path: a signed read authenticates from what this process last read of
//! its key and partner, and never from anything a committed change has made stale — in this
//! process at once, in another process as soon as the database tells it. On both backends.

use std::time::{Duration, Instant};

use opc_core::ops::admin::{self, PartnerChange};
use opc_domain::association::AssociationModel;
use opc_domain::partner::Program;
use opc_testkit::app::{TestApp, T0};
use opc_testkit::sign::Credentials;
use opc_testkit::{on_both_backends, seed, TestStore};

on_both_backends!(
    a_read_keeps_its_key_and_a_revocation_ends_it_at_once,
    a_partners_freeze_shows_on_its_next_read,
    another_process_forgets_a_revoked_key,
    writes_never_authenticate_from_what_is_kept,
);

const LIST: &str = "/v2/partners/sub-customers/query";

/// Waits until the store vouches for its count of changes (its watcher has started).
async fn watching(app: &TestApp) {
    let until = Instant::now() + Duration::from_secs(10);
    while app.ctx.store.principals_generation().await.is_none() {
        assert!(Instant::now() < until, "the store never started watching for changes");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn list(app: &TestApp, creds: &Credentials) -> opc_testkit::app::TestResponse {
    app.signed("POST", LIST, r#"{"offset":0,"limit":10}"#, creds).await
}

async fn a_read_keeps_its_key_and_a_revocation_ends_it_at_once(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    watching(&app).await;
    assert_eq!(list(&app, &creds).await.status, 200);
    assert_eq!(app.ctx.principals.kept(), 1, "the read kept its key");
    assert_eq!(list(&app, &creds).await.status, 200, "and reads with it");
    admin::revoke_key(&app.ctx, p.access_key.as_str(), "test").await.unwrap();
    let msg = list(&app, &creds).await.assert_error(401, "CBC.0154");
    assert!(msg.contains("revoked"), "{msg}");
}

async fn a_partners_freeze_shows_on_its_next_read(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let (account, association, audit) = seed::customer("cust0001", p.partner.id(), AssociationModel::Referral, T0);
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    let creds = TestApp::credentials(&p);
    watching(&app).await;
    for _ in 0..2 {
        let r = list(&app, &creds).await;
        assert_eq!(r.json()["customer_infos"][0]["is_frozen"], 0, "{}", r.body);
    }
    admin::change_partner(&app.ctx, p.partner.id().as_str(), PartnerChange::Freeze, "test").await.unwrap();
    let r = list(&app, &creds).await;
    assert_eq!(r.json()["customer_infos"][0]["is_frozen"], 1, "the frozen partner's customers read frozen: {}", r.body);
}

async fn another_process_forgets_a_revoked_key(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    let other = app.another_process().await;
    watching(&other).await;
    assert_eq!(list(&other, &creds).await.status, 200);
    assert_eq!(other.ctx.principals.kept(), 1);
    admin::revoke_key(&app.ctx, p.access_key.as_str(), "test").await.unwrap();
    // The other process learns it from the database: SQLite's count is read with every request;
    // PostgreSQL notifies at the commit.
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        let r = list(&other, &creds).await;
        if r.status == 401 {
            break;
        }
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(Instant::now() < until, "the other process still reads with a key revoked 5 s ago");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn writes_never_authenticate_from_what_is_kept(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    let other = app.another_process().await;
    watching(&other).await;
    assert_eq!(list(&other, &creds).await.status, 200);
    admin::revoke_key(&app.ctx, p.access_key.as_str(), "test").await.unwrap();
    // However soon after the revocation, the other process's writes read the key again.
    let body = r#"{"customer_id":"0123456789abcdef0123456789abcdef","budget_amount":100}"#;
    other.signed("POST", "/v2/partners/sub-customers/budget", body, &creds).await.assert_error(401, "CBC.0154");
}
