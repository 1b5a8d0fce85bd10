//! Issue 18, the read path: a signed read authenticates from what this process last read of
//! its key and partner, and never from anything a committed change has made stale — in this
//! process at once, in another process as soon as the database tells it. On both backends.

use std::time::{Duration, Instant};

use opc_core::ops::admin::{self, PartnerChange};
use opc_domain::account::{Freeze, FreezeCause, FreezeScope};
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
    a_customer_list_is_kept_until_what_it_shows_changes,
    another_process_lists_a_new_customer_on_its_next_reads,
    an_association_change_moves_every_processs_number,
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
    let sqlite = app.db.url().starts_with("sqlite");
    admin::revoke_key(&app.ctx, p.access_key.as_str(), "test").await.unwrap();
    if sqlite {
        // SQLite: the other process sees the commit on its very next read (its watch on the
        // database's folder has the write queued before the commit returns).
        list(&other, &creds).await.assert_error(401, "CBC.0154");
    }
    // The other process learns it from the database: SQLite's count is read whenever the
    // database was written; PostgreSQL notifies at the commit.
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

async fn customer(app: &TestApp, partner: &opc_domain::PartnerId, name: &str) -> opc_domain::AccountId {
    let (account, association, audit) = seed::customer(name, partner, AssociationModel::Referral, T0);
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    account.id().clone()
}

async fn a_customer_list_is_kept_until_what_it_shows_changes(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let other = app.partner("Other Ltd", Program::CloudSolutionProvider, None).await;
    let c1 = customer(&app, p.partner.id(), "cust0001").await;
    let creds = TestApp::credentials(&p);
    watching(&app).await;
    let first = list(&app, &creds).await;
    assert_eq!(first.json()["count"], 1, "{}", first.body);
    assert_eq!(app.ctx.answers.kept(), 1, "the answer is kept");
    let again = list(&app, &creds).await;
    assert_eq!((again.status.as_u16(), &again.body), (200, &first.body), "and served as it was");
    assert_eq!(again.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
    // Another partner asking the same gets its own answer, never the kept one.
    let theirs = list(&app, &TestApp::credentials(&other)).await;
    assert_eq!(theirs.json()["count"], 0, "{}", theirs.body);
    // A new customer, then a freeze of an account: each shows on the next read.
    customer(&app, p.partner.id(), "cust0002").await;
    assert_eq!(list(&app, &creds).await.json()["count"], 2);
    let mut account = app.ctx.store.account(&c1).await.unwrap().unwrap();
    let since = app.ctx.clock.now();
    account.set_freeze(Freeze { scope: FreezeScope::Account, cause: FreezeCause::Partner, since });
    app.ctx.store.update_account_freeze(&account, &[]).await.unwrap();
    let listed = list(&app, &creds).await.json();
    let frozen: Vec<i64> =
        listed["customer_infos"].as_array().unwrap().iter().map(|c| c["is_frozen"].as_i64().unwrap()).collect();
    assert!(frozen.contains(&1), "{listed}");
}

async fn another_process_lists_a_new_customer_on_its_next_reads(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    let other = app.another_process().await;
    watching(&other).await;
    for _ in 0..2 {
        assert_eq!(list(&other, &creds).await.json()["count"], 0);
    }
    assert_eq!(other.ctx.answers.kept(), 1);
    customer(&app, p.partner.id(), "cust0001").await;
    if app.db.url().starts_with("sqlite") {
        assert_eq!(list(&other, &creds).await.json()["count"], 1, "SQLite: on the very next read");
    }
    // PostgreSQL notifies at the commit.
    let until = Instant::now() + Duration::from_secs(5);
    while list(&other, &creds).await.json()["count"] != 1 {
        assert!(Instant::now() < until, "the other process still lists what it kept 5 s ago");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// On SQLite the count is the database's, so this fails without the associations' triggers. On
/// PostgreSQL two apps of one test process share the count of their own commits, so it shows
/// only that the number moves.
async fn an_association_change_moves_every_processs_number(db: TestStore) {
    use opc_core::ops::organization;
    use opc_domain::organization::Position;
    let app = TestApp::new(db).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let c1 = customer(&app, p.partner.id(), "cust0001").await;
    let partner = app.ctx.store.partner(p.partner.id()).await.unwrap().unwrap();
    let manager = organization::create_member(
        &app.ctx,
        &partner,
        "Mei Tan",
        "mei@acme.example",
        "Member123!",
        Position::AccountManager,
    )
    .await
    .unwrap();
    let other = app.another_process().await;
    watching(&other).await;
    // The member's own notification may still be on its way: wait until the number stands.
    let mut before = other.ctx.store.principals_generation().await.unwrap();
    loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = other.ctx.store.principals_generation().await.unwrap();
        if now == before {
            break;
        }
        before = now;
    }
    // Only the association changes: a member's list of the customers it manages depends on it.
    organization::assign_account_manager(&app.ctx, &partner, c1.as_str(), manager.id().as_str()).await.unwrap();
    let until = Instant::now() + Duration::from_secs(5);
    while other.ctx.store.principals_generation().await.unwrap_or(before) == before {
        assert!(Instant::now() < until, "the other process's number did not move with the association");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
