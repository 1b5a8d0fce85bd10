//! The store stories: every store behaviour, run against SQLite and PostgreSQL alike so the two
//! backends cannot drift.

use opc_core::store::{Constraint, Row};
use std::sync::Arc;

use opc_core::ops::admin::{self, AdminError, CreatePartner};
use opc_core::ops::Policy;
use opc_core::store::BudgetRecordQuery;
use opc_core::store::{AuditQuery, CustomerQuery};
use opc_core::{Context, ManualClock, MasterKey, Services, StoreError};
use opc_domain::access_key::{AccessKey, KeyState, StoredAccessKey};
use opc_domain::account::{AccountName, AccountingMode, EnterpriseRole, FreezeCause, FreezeScope, RealNameStatus};
use opc_domain::association::{Association, AssociationModel};
use opc_domain::audit::Action;
use opc_domain::budget::{Budget, BudgetAmount, BudgetChange, BudgetOperation, BudgetRecord, BudgetType};
use opc_domain::customer::{Email, VerificationCode};
use opc_domain::notification::{Channel, Notification};
use opc_domain::partner::{EnrollError, PartnerState, Program, Tier};
use opc_domain::spend::baseline_when_set;
use opc_domain::{Millis, Money, NotificationId, Timestamp};
use opc_testkit::app::T0;
use opc_testkit::{on_both_backends, seed, TestStore};

fn context(db: &TestStore) -> (Context, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(T0));
    let policy = Policy::default();
    (
        Context::new(Services {
            store: db.store.clone(),
            clock: clock.clone(),
            master_key: Arc::new(MasterKey::generate()),
            policy,
            passwords: Arc::new(opc_testkit::app::test_password_work()),
            public_url: None,
            link_base: opc_core::PublicUrl::parse(opc_testkit::app::LOCAL_URL).unwrap(),
            principals: Arc::default(),
            answers: Arc::default(),
        }),
        clock,
    )
}

fn enroll<'a>(name: &'a str, program: Program, distributor: Option<&'a str>) -> CreatePartner<'a> {
    CreatePartner { name, country: "SG", program, distributor, login: None, operator: "story" }
}

on_both_backends!(
    partners_and_keys,
    customers,
    audit_is_atomic_with_its_change,
    accounts_keep_every_eligibility_fact,
    stale_writes_conflict_and_change_nothing,
    verification_codes_and_the_outbox,
    a_write_dropped_at_any_point_leaves_the_database_writable,
    the_master_key_is_checked_against_the_database,
);

/// Issue 17: the database remembers its master key's check value; another key is refused, as
/// it is on a database written before the value was kept whose secrets it cannot open.
async fn the_master_key_is_checked_against_the_database(db: TestStore) {
    use opc_core::ops::master_key::{self, MasterKeyMismatch};
    let (ctx, _) = context(&db);
    let store = ctx.store.as_ref();
    assert!(!master_key::database_is_sealed(store).await.unwrap(), "a new database holds no sealed secret");
    admin::create_partner(&ctx, enroll("Acme Ltd", Program::CloudSolutionProvider, None)).await.unwrap();
    assert!(master_key::database_is_sealed(store).await.unwrap(), "an access key's secret is sealed");

    // Written before the check value was kept: another key cannot open the first secret.
    let other = MasterKey::generate();
    assert!(matches!(master_key::verify(store, &other).await, Err(MasterKeyMismatch::OpensNoSecret)));
    assert_eq!(store.master_key_check().await.unwrap(), None, "a refused key records nothing");

    master_key::verify(store, &ctx.master_key).await.unwrap();
    assert_eq!(store.master_key_check().await.unwrap(), Some(ctx.master_key.check_value()));
    master_key::verify(store, &ctx.master_key).await.unwrap();
    assert!(matches!(master_key::verify(store, &other).await, Err(MasterKeyMismatch::Differs)));
    assert_eq!(store.master_key_check().await.unwrap(), Some(ctx.master_key.check_value()), "kept");
}

/// Enrollment, the distributor link, keys issued, read back, revoked once, and the
/// optimistic-concurrency check on a stale write.
async fn partners_and_keys(db: TestStore) {
    let (ctx, clock) = context(&db);
    let store = &ctx.store;

    let distributor =
        admin::create_partner(&ctx, enroll("Distri Ltd", Program::DistributionPartner, None)).await.unwrap();
    let stored = store.partner(distributor.partner.id()).await.unwrap().expect("the distributor is stored");
    assert_eq!(stored, distributor.partner, "a partner reads back exactly as it was decided");
    assert_eq!(stored.enrollments()[0].tier, Tier::Standard, "R-HCPN-08");
    assert_eq!(stored.state(), PartnerState::Normal);
    assert_eq!(store.account(distributor.account.id()).await.unwrap(), Some(distributor.account.clone()));
    assert_eq!(store.account_by_name(distributor.account.name()).await.unwrap(), Some(distributor.account.clone()));
    assert_eq!(store.account_by_name(&AccountName::parse("nobody-here").unwrap()).await.unwrap(), None);

    let reseller =
        admin::create_partner(&ctx, enroll("Resell Ltd", Program::Reseller, Some(distributor.partner.id().as_str())))
            .await
            .unwrap();
    assert_eq!(
        store.partner(reseller.partner.id()).await.unwrap().unwrap().distributor(),
        Some(distributor.partner.id())
    );

    let csp = admin::create_partner(&ctx, enroll("Solution Ltd", Program::CloudSolutionProvider, None)).await.unwrap();
    let refused =
        admin::create_partner(&ctx, enroll("Bad Ltd", Program::Reseller, Some(csp.partner.id().as_str()))).await;
    assert!(matches!(refused, Err(AdminError::Enroll(EnrollError::NotADistributor(_)))), "{refused:?}");
    let refused = admin::create_partner(&ctx, enroll("Bad Ltd", Program::Reseller, Some("0000"))).await;
    assert!(matches!(refused, Err(AdminError::PartnerNotFound(_))), "{refused:?}");

    // Keys: the first one, then a second; the secret is stored sealed, never in clear.
    let first = store.access_key(&csp.access_key).await.unwrap().expect("the first key is stored");
    assert_eq!(first.key.state(), KeyState::Active);
    assert_eq!(first.key.account(), csp.account.id());
    assert_eq!(ctx.master_key.open(&first.sealed_secret, &csp.access_key).unwrap(), csp.secret_key);
    assert!(!first.sealed_secret.windows(40).any(|w| w == csp.secret_key.expose().as_bytes()));
    clock.advance(Millis(1000));
    let (second, _) = admin::create_key(&ctx, csp.partner.id().as_str(), "story").await.unwrap();
    let keys = store.access_keys_of(csp.partner.id()).await.unwrap();
    assert_eq!(keys.iter().map(|k| k.id().clone()).collect::<Vec<_>>(), [csp.access_key.clone(), second.id().clone()]);

    // Revocation happens once; a stale version is a conflict and changes nothing.
    let revoked = admin::revoke_key(&ctx, csp.access_key.as_str(), "story").await.unwrap();
    assert_eq!(revoked.state(), KeyState::Revoked { at: T0.plus(Millis(1000)) });
    assert_eq!(store.access_key(&csp.access_key).await.unwrap().unwrap().key, revoked);
    assert!(matches!(admin::revoke_key(&ctx, csp.access_key.as_str(), "story").await, Err(AdminError::Key(_))));
    let stale = AccessKey::from_stored(StoredAccessKey {
        id: second.id().clone(),
        partner: second.partner().cloned(),
        account: second.account().clone(),
        member: second.member().cloned(),
        created_at: second.created_at(),
        state: KeyState::Revoked { at: T0 },
        version: 41,
    });
    assert!(matches!(
        store.update_access_key(&stale, &[]).await,
        Err(StoreError::Conflict { constraint: Constraint::Stale(Row::AccessKey) })
    ));
    assert_eq!(store.access_key(second.id()).await.unwrap().unwrap().key.state(), KeyState::Active);
    // The refused write left nothing locked: a write to the same row goes through.
    admin::revoke_key(&ctx, second.id().as_str(), "story").await.unwrap();
    assert!(matches!(admin::revoke_key(&ctx, "NOSUCHKEY", "story").await, Err(AdminError::KeyNotFound(_))));
}

/// R-RCM-01 query customers: filters, paging, counts, tenancy, and R-ASSOC-02 one current
/// association per customer.
async fn customers(db: TestStore) {
    let (ctx, _) = context(&db);
    let store = &ctx.store;
    let a = seed::partner(&ctx, "Partner A", Program::CloudSolutionProvider, None).await.partner.id().clone();
    let b = seed::partner(&ctx, "Partner B", Program::CloudSolutionProvider, None).await.partner.id().clone();

    let names = ["alpha01", "alpha02", "beta_03", "gamma04", "Alpha05"];
    for (i, name) in names.iter().enumerate() {
        let model = if i % 2 == 0 { AssociationModel::Reseller } else { AssociationModel::Referral };
        let (mut account, association, audit) = seed::customer(name, &a, model, T0.plus(Millis::days(i as i64)));
        seed::edit_account(&mut account, |account| {
            account.display_name = Some(format!("Company {i} 100%"));
        });
        let association = seed::labelled(&association, if i < 2 { "vip" } else { "std" }, None);
        store.insert_customer(&account, &association, &[audit]).await.unwrap();
    }
    let (other, assoc, audit) = seed::customer("other01", &b, AssociationModel::Reseller, T0);
    store.insert_customer(&other, &assoc, &[audit]).await.unwrap();

    let list = |q: CustomerQuery| {
        let store = store.clone();
        let a = a.clone();
        async move {
            let (views, count) = store.customers_of(&a, &q).await.unwrap();
            (views.into_iter().map(|v| v.account.name().as_str().to_owned()).collect::<Vec<_>>(), count)
        }
    };
    let page = |offset, limit| CustomerQuery { offset, limit, ..CustomerQuery::default() };

    // Newest association first; the count is of all matches, not of the page.
    assert_eq!(
        list(page(0, 10)).await,
        (vec!["Alpha05", "gamma04", "beta_03", "alpha02", "alpha01"].into_iter().map(String::from).collect(), 5)
    );
    assert_eq!(list(page(1, 2)).await, (vec!["gamma04".to_owned(), "beta_03".to_owned()], 5));
    assert_eq!(list(page(10, 2)).await, (vec![], 5));

    // Case-insensitive substring filters; LIKE wildcards in the input are literal.
    let q = |f: fn(&mut CustomerQuery)| {
        let mut q = page(0, 10);
        f(&mut q);
        q
    };
    assert_eq!(list(q(|q| q.account_name = Some("ALPHA".into()))).await.1, 3);
    assert_eq!(list(q(|q| q.account_name = Some("_".into()))).await.0, ["beta_03"]);
    // Issue 18: names of 3 characters or more are found through the trigram index, with the
    // same answers: any case, wildcards and quotes literal, only this partner's customers.
    assert_eq!(list(q(|q| q.account_name = Some("HA0".into()))).await.1, 3);
    assert_eq!(list(q(|q| q.account_name = Some("a_0".into()))).await.0, ["beta_03"]);
    assert_eq!(list(q(|q| q.account_name = Some("a%0".into()))).await.1, 0);
    assert_eq!(list(q(|q| q.account_name = Some("ph\"a".into()))).await.1, 0);
    assert_eq!(list(q(|q| q.account_name = Some("alpha05".into()))).await.0, ["Alpha05"]);
    assert_eq!(list(q(|q| q.customer = Some("0 100%".into()))).await.0, ["alpha01"]);
    assert_eq!(list(q(|q| q.customer = Some("%".into()))).await.1, 5);
    assert_eq!(list(q(|q| q.label = Some("VI".into()))).await.1, 2);
    assert_eq!(list(q(|q| q.model = Some(AssociationModel::Referral))).await.0, ["gamma04", "alpha02"]);
    assert_eq!(
        list(q(|q| {
            q.associated_from = Some(T0.plus(Millis::days(1)));
            q.associated_to = Some(T0.plus(Millis::days(3)))
        }))
        .await
        .1,
        3
    );
    let first = store.customers_of(&a, &page(0, 10)).await.unwrap().0.pop().unwrap();
    let by_id = CustomerQuery { customer_id: Some(first.account.id().clone()), ..page(0, 10) };
    assert_eq!(list(by_id).await.0, ["alpha01"]);

    // Tenancy: B's customer is invisible to A, even by id.
    let foreign = CustomerQuery { customer_id: Some(other.id().clone()), ..page(0, 10) };
    assert_eq!(list(foreign).await, (vec![], 0));
    assert_eq!(store.customers_of(&b, &page(0, 10)).await.unwrap().1, 1);

    // A read customer is exactly what was written, frozen as the reseller model requires.
    assert_eq!(first.association.model(), AssociationModel::Reseller);
    let freeze = first.account.freeze().expect("R-RCM-02: a reseller customer starts frozen");
    assert_eq!((freeze.scope, freeze.cause), (FreezeScope::Account, FreezeCause::ResellerAssociation));

    // R-ASSOC-02: a second current association of the same customer is refused.
    let (_, _, audit) = seed::customer("alpha01", &b, AssociationModel::Referral, T0.plus(Millis(5)));
    let (again, _) =
        Association::begin(first.account.id().clone(), b.clone(), AssociationModel::Referral, T0.plus(Millis(5)));
    let mut account = first.account.clone();
    seed::edit_account(&mut account, |account| {
        account.name = AccountName::parse("alpha01b").unwrap();
        account.id = opc_domain::AccountId::parse("ffffffffffffffffffffffffffffffff").unwrap();
    });
    store.insert_customer(&account, &again, &[audit]).await.unwrap_err();
    assert_eq!(store.customers_of(&b, &page(0, 10)).await.unwrap().1, 1, "nothing half-written");
    assert_eq!(store.account(account.id()).await.unwrap(), None, "the account insert rolled back too");
}

/// Every change writes its audit event in the same transaction; a refused change writes none.
async fn audit_is_atomic_with_its_change(db: TestStore) {
    let (ctx, _) = context(&db);
    let store = &ctx.store;
    let p = seed::partner(&ctx, "Audited Ltd", Program::CloudSolutionProvider, None).await;
    let scope = AuditQuery { partner: Some(p.partner.id().clone()), limit: 100, ..AuditQuery::default() };
    let events = store.audit_events(&scope).await.unwrap();
    let actions: Vec<Action> = events.iter().map(|e| e.action).collect();
    assert_eq!(actions, [Action::AccessKeyCreated, Action::PartnerEnrolled], "newest first");
    assert!(events.iter().all(|e| e.at == T0));
    assert!(
        events.iter().all(|e| e.after.as_deref().is_some_and(|a| !a.contains(p.secret_key.expose()))),
        "no secret in the trail"
    );

    let (account, association, audit) = seed::customer("audited01", p.partner.id(), AssociationModel::Reseller, T0);
    store.insert_customer(&account, &association, std::slice::from_ref(&audit)).await.unwrap();
    let stored = store
        .audit_events(&AuditQuery {
            subject_id: Some(account.id().as_str().into()),
            limit: 10,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(stored, [audit]);

    // The same account name again: the insert fails and its audit event is not kept.
    let (mut dup, association, audit) = seed::customer("audited01", p.partner.id(), AssociationModel::Referral, T0);
    seed::edit_account(&mut dup, |dup| {
        dup.name = account.name().clone();
    });
    let e = store.insert_customer(&dup, &association, &[audit]).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict { constraint: Constraint::AccountName }), "{e:?}");
    assert_eq!(store.audit_events(&scope).await.unwrap().len(), 3);
}

/// R-ACCT-20: every account attribute the eligibility rules need survives the round trip.
async fn accounts_keep_every_eligibility_fact(db: TestStore) {
    let (ctx, _) = context(&db);
    let p = seed::partner(&ctx, "Facts Ltd", Program::CloudSolutionProvider, None).await.partner.id().clone();
    let (mut account, association, audit) = seed::customer("facts01", &p, AssociationModel::Reseller, T0);
    seed::edit_account(&mut account, |account| {
        account.display_name = Some("Facts Customer 客户".into());
        account.email = Some("ops@example.com".into());
        account.phone = Some("+65 6123 4567".into());
        account.site = opc_domain::account::Site::China;
        account.account_type = opc_domain::account::AccountType::Enterprise;
        account.real_name = RealNameStatus::Verified;
        account.enterprise = EnterpriseRole::Member { accounting: AccountingMode::Unified };
        account.registered_at = Timestamp::from_unix_ms(T0.unix_ms() - 8 * 86_400_000);
        account.has_credit_card = true;
        account.has_credit_account = true;
        account.arrears = Money::parse("12.34567891").unwrap();
        account.consumption = Money::parse("99999.99999999").unwrap();
        account.cash_expenditure = Money::parse("0.00000001").unwrap();
        account.resources_in_use = 3;
        account.reserved_instances = 2;
        account.bd_preregistered = true;
        account.contracts.special = true;
        account.contracts.professional_service = true;
    });
    ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    assert_eq!(ctx.store.account(account.id()).await.unwrap(), Some(account.clone()));

    let (mut master, association, audit) = seed::customer("facts02", &p, AssociationModel::Referral, T0);
    seed::edit_account(&mut master, |master| {
        master.enterprise = EnterpriseRole::Master { has_independent_members: true }
    });
    ctx.store.insert_customer(&master, &association, &[audit]).await.unwrap();
    assert_eq!(ctx.store.account(master.id()).await.unwrap(), Some(master));
}

fn record(budget: &Budget, at: Timestamp) -> BudgetRecord {
    BudgetRecord {
        customer: budget.customer().clone(),
        partner: budget.partner().clone(),
        operation: BudgetOperation::Setting,
        budget_type: budget.budget_type(),
        amount: budget.amount(),
        operator: "story".into(),
        partner_corp_name: "Story Ltd".into(),
        partner_account_name: "story".into(),
        at,
    }
}

/// Optimistic concurrency: a write decided from a stale read is refused with a conflict, and
/// neither it nor its record, freeze or audit event is kept.
async fn stale_writes_conflict_and_change_nothing(db: TestStore) {
    let (ctx, _) = context(&db);
    let store = &ctx.store;
    let p = seed::partner(&ctx, "Story Ltd", Program::CloudSolutionProvider, None).await;
    let (account, association, audit) = seed::customer("stale001", p.partner.id(), AssociationModel::Reseller, T0);
    store.insert_customer(&account, &association, &[audit]).await.unwrap();

    // Budgets: the first insert, then an update from the right version, then a stale one.
    let change = |amount: &str| BudgetChange {
        budget_type: BudgetType::Monthly,
        amount: BudgetAmount::parse(amount).unwrap(),
        auto_freeze: None,
    };
    let first = Budget::set(None, account.id(), p.partner.id(), &change("10"), T0);
    store.set_budget(&first, None, &baseline_when_set, &record(&first, T0), None, &[]).await.unwrap();
    let again = store.set_budget(&first, None, &baseline_when_set, &record(&first, T0), None, &[]).await.unwrap_err();
    assert!(matches!(again, StoreError::Conflict { .. }), "a second insert conflicts: {again:?}");
    let current = store.budget(account.id()).await.unwrap().unwrap();
    assert_eq!((current.amount(), current.version()), (Money::parse("10").unwrap(), 0));
    let mut unfrozen = account.clone();
    unfrozen.lift_freeze();
    let second = Budget::set(Some(&current), account.id(), p.partner.id(), &change("20"), T0);
    store
        .set_budget(&second, Some(current.version()), &baseline_when_set, &record(&second, T0), Some(&unfrozen), &[])
        .await
        .unwrap();
    let stale = Budget::set(Some(&current), account.id(), p.partner.id(), &change("30"), T0);
    let e = store
        .set_budget(&stale, Some(current.version()), &baseline_when_set, &record(&stale, T0), None, &[])
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict { constraint: Constraint::Stale(Row::Budget) }), "{e:?}");
    assert_eq!(store.budget(account.id()).await.unwrap().unwrap().amount(), Money::parse("20").unwrap());
    let (records, total) = store
        .budget_records(p.partner.id(), account.id(), &BudgetRecordQuery { limit: 10, ..BudgetRecordQuery::default() })
        .await
        .unwrap();
    assert_eq!((total, records[0].amount), (2, Money::parse("20").unwrap()), "the stale write left no record");
    assert_eq!(
        store.account(account.id()).await.unwrap().unwrap().freeze(),
        None,
        "the freeze was lifted with the budget"
    );

    // Account freezes: the unfreeze above bumped the version, so the original read is stale.
    let e = store.update_account_freeze(&account, &[]).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict { constraint: Constraint::Stale(Row::Account) }), "{e:?}");
    // A budget written with a stale account freeze is refused whole.
    let third = Budget::set(
        store.budget(account.id()).await.unwrap().as_ref(),
        account.id(),
        p.partner.id(),
        &change("40"),
        T0,
    );
    let e = store
        .set_budget(&third, Some(1), &baseline_when_set, &record(&third, T0), Some(&account), &[])
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict { constraint: Constraint::Stale(Row::Account) }), "{e:?}");
    assert_eq!(store.budget(account.id()).await.unwrap().unwrap().amount(), Money::parse("20").unwrap());

    // Partners.
    let mut partner = store.partner(p.partner.id()).await.unwrap().unwrap();
    partner.set_consumption_quota(Money::parse("100").unwrap());
    store.update_partner(&partner, &[]).await.unwrap();
    partner.set_consumption_quota(Money::parse("200").unwrap());
    let e = store.update_partner(&partner, &[]).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict { constraint: Constraint::Stale(Row::Partner) }), "{e:?}");
    let stored = store.partner(p.partner.id()).await.unwrap().unwrap();
    assert_eq!((stored.consumption_quota(), stored.version()), (Money::parse("100").unwrap(), 1));
}

/// Codes are kept per email (case-insensitively), newest first; a registration uses them up
/// and queues its notifications in the same transaction.
async fn verification_codes_and_the_outbox(db: TestStore) {
    let (ctx, _) = context(&db);
    let store = &ctx.store;
    let email = Email::parse("Story@Example.com").unwrap();
    let note = |to: &str, subject: &str| Notification {
        id: NotificationId::from_random(*uuid::Uuid::new_v4().as_bytes()),
        channel: Channel::Email,
        recipient: to.into(),
        subject: subject.into(),
        body: "body".into(),
        created_at: T0,
    };
    let old = VerificationCode::new(email.clone(), 111_111, T0, Millis::minutes(10));
    let new = VerificationCode::new(email.clone(), 222_222, T0, Millis::minutes(10));
    store.insert_verification_code(&old, &note("story@example.com", "first"), &[]).await.unwrap();
    store.insert_verification_code(&new, &note("story@example.com", "second"), &[]).await.unwrap();
    let lower = Email::parse("story@example.com").unwrap();
    assert_eq!(store.latest_verification_code(&lower).await.unwrap(), Some(new));
    let subjects: Vec<String> =
        store.notifications(Some("story@example.com"), 10).await.unwrap().into_iter().map(|n| n.subject).collect();
    assert_eq!(subjects, ["second", "first"]);
    assert!(store.notifications(Some("other@example.com"), 10).await.unwrap().is_empty());

    let p = seed::partner(&ctx, "Story Ltd", Program::CloudSolutionProvider, None).await;
    let (account, association, audit) = seed::customer("mailed01", p.partner.id(), AssociationModel::Reseller, T0);
    let welcome = [note("story@example.com", "welcome")];
    store
        .register_customer(&opc_core::store::NewCustomer {
            account: &account,
            association: &association,
            consumes_codes_of: Some(&lower),
            notifications: &welcome,
            audit: &[audit],
        })
        .await
        .unwrap();
    assert_eq!(store.latest_verification_code(&email).await.unwrap(), None, "the codes were used up");
    assert_eq!(store.notifications(None, 1).await.unwrap()[0].subject, "welcome");
}

/// A write whose future is dropped part-way (a client that disconnects, an aborted task) is
/// rolled back without holding the database: the next write goes through at once. On SQLite
/// a write dropped while its `BEGIN IMMEDIATE` was under way used to keep the write lock until
/// its connection was used again, and the next writer waited for its busy timeout, then failed.
async fn a_write_dropped_at_any_point_leaves_the_database_writable(db: TestStore) {
    use opc_domain::bill::TaxRate;
    use std::future::Future;
    use std::task::Poll;
    let (ctx, _) = context(&db);
    let store = &ctx.store;
    let rate = TaxRate::from_basis_points(700).unwrap();
    for i in 0..300u32 {
        let mut write = Box::pin(store.set_tax_rate("SG", rate, &[]));
        // Poll it a few times, letting the database's side work in between, then drop it.
        for _ in 0..(i % 6) {
            let polled = std::future::poll_fn(|cx| Poll::Ready(write.as_mut().poll(cx))).await;
            if polled.is_ready() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_micros(u64::from(i % 17) * 5));
        }
        drop(write);
        let next = tokio::time::timeout(std::time::Duration::from_secs(3), store.set_tax_rate("SG", rate, &[])).await;
        assert!(matches!(next, Ok(Ok(()))), "write {i}: {next:?}");
    }
    assert_eq!(store.tax_rate("SG").await.unwrap(), rate);
}
