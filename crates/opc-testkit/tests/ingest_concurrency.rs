//! Usage batches ingested concurrently, replays included, against one budget and one quota, on
//! both backends: every record counts once, every notice is sent once, the spend is exact. And
//! payments racing each other and the usage: none double-counts, none overspends the quota.

use opc_core::ops::admin::{self, PartnerChange};
use opc_core::ops::auth::Principal;
use opc_core::ops::orders::{pay, place, OrderOpError};
use opc_core::ops::usage::ingest;
use opc_core::store::{AuditQuery, SpendWindow};
use opc_domain::association::AssociationModel;
use opc_domain::order::{OrderError, PurchaseBlock};
use opc_domain::partner::Program;
use opc_domain::usage::{Cycle, UsageRecord};
use opc_domain::{AccountId, Millis, Money};
use opc_testkit::app::{TestApp, T0};
use opc_testkit::{on_both_backends, seed, TestStore};

on_both_backends!(
    r_rcm_04_r_quota_04_a_batch_reads_its_budgets_and_quotas_with_their_spend_at_once,
    concurrent_and_replayed_batches_count_each_record_and_notice_once,
    r_quota_01_concurrent_payments_and_usage_never_overspend_nor_double_count,
    issue_18_random_batches_keep_every_total_the_sum_of_its_records_or_are_refused_whole,
);

fn batch(n: usize, customer: &AccountId) -> Vec<(usize, UsageRecord)> {
    (0..25)
        .map(|i| (i, seed::vm_usage(format!("c{n}-{i}"), customer, format!("vm-{i}"), 1, T0.plus(Millis(-60_000)))))
        .collect()
}

async fn r_rcm_04_r_quota_04_a_batch_reads_its_budgets_and_quotas_with_their_spend_at_once(db: TestStore) {
    let app = TestApp::new(db).await;
    let catalog = opc_store::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
    let with_quota = app.partner("Quota Ltd", Program::CloudSolutionProvider, None).await;
    let quota = PartnerChange::Quota(Money::from_major(100).unwrap());
    admin::change_partner(&app.ctx, with_quota.partner.id().as_str(), quota, "test").await.unwrap();
    let without = app.partner("Free Ltd", Program::CloudSolutionProvider, None).await;
    let mut ids = vec![];
    for (name, partner, model) in [
        ("monthly01", &with_quota, AssociationModel::Reseller),
        ("package01", &with_quota, AssociationModel::Reseller),
        ("referral1", &with_quota, AssociationModel::Referral),
        ("nobudget1", &without, AssociationModel::Reseller),
    ] {
        let (account, association, audit) = seed::customer(name, partner.partner.id(), model, T0);
        app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
        ids.push(account.id().clone());
    }
    let hours = |tag: &str, customer: &AccountId, n: i64| {
        seed::vm_usage(format!("{tag}-{customer}"), customer, format!("vm-{customer}"), n, T0.plus(Millis(-60_000)))
    };
    let creds = TestApp::credentials(&with_quota);
    let set = |customer: &AccountId, kind: &str| {
        format!(r#"{{"customer_id":"{customer}","budget_amount":10,"budget_type":"{kind}"}}"#)
    };
    assert_eq!(
        app.signed("POST", "/v2/partners/sub-customers/budget", &set(&ids[0], "MONTHLY"), &creds).await.status,
        200
    );
    // An hour each (0.0125), then the package budget: it counts what comes after it.
    let first = ids.iter().enumerate().map(|(i, c)| (i, hours("a", c, 1))).collect();
    ingest(&app.ctx, "test", first, vec![]).await.unwrap();
    assert_eq!(
        app.signed("POST", "/v2/partners/sub-customers/budget", &set(&ids[1], "PACKAGE"), &creds).await.status,
        200
    );
    let second = ids.iter().enumerate().map(|(i, c)| (i, hours("b", c, 2))).collect();
    ingest(&app.ctx, "test", second, vec![]).await.unwrap();

    let partners = [with_quota.partner.id().clone(), without.partner.id().clone()];
    let cycle = Cycle::of(T0, app.ctx.policy.billing_offset);
    let state = app.ctx.store.spend_state(&ids, &partners, cycle).await.unwrap();
    let budgets: Vec<(&str, Money)> =
        state.budgets.iter().map(|(b, used)| (b.customer().as_str(), *used)).collect::<Vec<_>>();
    let mut expected =
        vec![(ids[0].as_str(), Money::parse("0.0375").unwrap()), (ids[1].as_str(), Money::parse("0.025").unwrap())];
    expected.sort();
    assert_eq!(budgets, expected, "the monthly budget's cycle, the package budget's since it was set");
    // Only reseller spend counts for the quota; a partner without a quota is left out.
    assert_eq!(
        state.quotas,
        [(with_quota.partner.id().clone(), Money::from_major(100).unwrap(), Money::parse("0.075").unwrap())]
    );
}

async fn concurrent_and_replayed_batches_count_each_record_and_notice_once(db: TestStore) {
    let app = TestApp::new(db).await;
    let catalog = opc_store::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
    let partner = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let (account, association, audit) =
        seed::customer("concurrent01", partner.partner.id(), AssociationModel::Reseller, T0);
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    let creds = TestApp::credentials(&partner);
    // A monthly budget of 1.00 that freezes the customer once used up, and a quota of 1.00.
    let body = format!(
        r#"{{"customer_id":"{}","budget_amount":1,"frozen_operate_type":1,"cancel_partner_frozen":"1"}}"#,
        account.id()
    );
    assert_eq!(app.signed("POST", "/v2/partners/sub-customers/budget", &body, &creds).await.status, 200);
    let quota = PartnerChange::Quota(Money::from_major(1).unwrap());
    admin::change_partner(&app.ctx, partner.partner.id().as_str(), quota, "test").await.unwrap();

    // Four batches of 25 hours (0.3125 each), each sent twice, all at once.
    let mut tasks = vec![];
    for n in 0..8 {
        let (ctx, records) = (app.ctx.clone(), batch(n % 4, account.id()));
        tasks.push(tokio::spawn(async move { ingest(&ctx, "test", records, vec![]).await.unwrap() }));
    }
    let (mut accepted, mut duplicates, mut notices, mut frozen, mut restricted) = (0, 0, 0, 0, 0);
    for t in tasks {
        let r = t.await.unwrap();
        (accepted, duplicates, notices, frozen, restricted) = (
            accepted + r.accepted,
            duplicates + r.duplicates,
            notices + r.notices,
            frozen + r.frozen,
            restricted + r.restricted,
        );
    }
    assert_eq!((accepted, duplicates), (100, 100), "each record counts once");
    let cycle = Cycle::of(T0, app.ctx.policy.billing_offset);
    assert_eq!(
        app.ctx.store.spend(account.id(), SpendWindow::Cycle(cycle)).await.unwrap(),
        Money::parse("1.25").unwrap()
    );
    // 75, 90 and 100 % of the budget; 80 % of the quota and beyond it: each once.
    assert_eq!(notices, 5);
    assert_eq!((frozen, restricted), (1, 1));
    let trail = app.ctx.store.audit_events(&AuditQuery { limit: 1_000, ..AuditQuery::default() }).await.unwrap();
    let count = |code: &str| trail.iter().filter(|e| e.action.as_str() == code).count();
    assert_eq!(
        (count("budget.threshold_reached"), count("partner.quota_threshold_reached"), count("usage.ingested")),
        (3, 2, 4),
        "a batch that stores nothing leaves no trace"
    );
    // More usage over every threshold already noticed: no notice again (R-RCM-04, R-QUOTA-04).
    let later = ingest(&app.ctx, "test", batch(4, account.id()), vec![]).await.unwrap();
    assert_eq!((later.accepted, later.notices, later.frozen, later.restricted), (25, 0, 0, 0));
}

async fn r_quota_01_concurrent_payments_and_usage_never_overspend_nor_double_count(db: TestStore) {
    let app = TestApp::new(db).await;
    let catalog = opc_store::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
    let partner = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let (account, association, audit) =
        seed::customer("racer001", partner.partner.id(), AssociationModel::Reseller, T0);
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    let creds = TestApp::credentials(&partner);
    let body = format!(r#"{{"customer_id":"{}","budget_amount":1000,"cancel_partner_frozen":"1"}}"#, account.id());
    assert_eq!(app.signed("POST", "/v2/partners/sub-customers/budget", &body, &creds).await.status, 200);
    // A quota of 50: at most seven 6.80 months fit, fewer as usage comes in.
    let quota = Money::from_major(50).unwrap();
    admin::change_partner(&app.ctx, partner.partner.id().as_str(), PartnerChange::Quota(quota), "test").await.unwrap();
    let account = app.ctx.store.account(account.id()).await.unwrap().unwrap();
    let buyer = Principal::Customer { account: account.clone(), access_key: None };
    let item = opc_testkit::shop::vm_month();
    let mut orders = vec![];
    for _ in 0..12 {
        orders.push(place(&app.ctx, &buyer, None, std::slice::from_ref(&item)).await.unwrap().id().clone());
    }

    // Every order paid twice, and four usage batches sent twice, all at once.
    let mut payments = vec![];
    for id in orders.iter().chain(orders.iter()) {
        let (ctx, buyer, id) = (app.ctx.clone(), buyer.clone(), id.clone());
        payments.push(tokio::spawn(async move { pay(&ctx, &buyer, &id, &Default::default()).await }));
    }
    let mut batches = vec![];
    for n in 0..8 {
        let (ctx, records) = (app.ctx.clone(), batch(n % 4, account.id()));
        batches.push(tokio::spawn(async move { ingest(&ctx, "test", records, vec![]).await.unwrap() }));
    }
    let (mut paid, mut over, mut again) = (0, 0, 0);
    for p in payments {
        match p.await.unwrap() {
            Ok(_) => paid += 1,
            Err(OrderOpError::Blocked(PurchaseBlock::Limit { .. } | PurchaseBlock::PartnerQuota)) => over += 1,
            Err(OrderOpError::Order(OrderError::NotPending(_)) | OrderOpError::Concurrent) => again += 1,
            Err(other) => panic!("unexpected refusal: {other}"),
        }
    }
    let accepted: u64 = futures_sum(batches).await;
    assert_eq!(accepted, 100, "each usage record counts once");
    let usage = Money::parse("1.25").unwrap();
    let month = Money::parse("6.8").unwrap();
    let spend = app.ctx.store.partner_reseller_spend(partner.partner.id()).await.unwrap();
    let orders_total = Money::from_e8(month.e8() * paid).unwrap();
    assert_eq!(spend, orders_total.checked_add(usage).unwrap(), "each payment counts once");
    assert_eq!(paid + over + again, 24);
    let mut completed_orders = 0;
    for id in &orders {
        let order = app.ctx.store.order(id).await.unwrap().unwrap();
        completed_orders += i64::from(order.status() == opc_domain::order::OrderStatus::Completed);
    }
    assert_eq!(completed_orders, paid, "an order is paid once: {paid} paid, {over} over the quota, {again} again");
    // Never beyond the quota, and refused only when the next month did not fit.
    assert!(orders_total <= quota, "{orders_total} paid against a quota of {quota}");
    assert!(spend.e8() + month.e8() > quota.e8(), "{paid} paid: a refused payment would have fitted");
    let completed = app.ctx.store.resources_of(account.id()).await.unwrap().len() as i64;
    assert_eq!(completed, paid, "one resource per paid order");
}

async fn futures_sum(tasks: Vec<tokio::task::JoinHandle<opc_core::ops::usage::IngestReport>>) -> u64 {
    let mut accepted = 0;
    for t in tasks {
        accepted += t.await.unwrap().accepted;
    }
    accepted
}

/// A fixed-seed xorshift: the same "random" batches on every run and backend.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Issue 18 (R-RCM-04, R-QUOTA-04 read these sums): random batches, extreme usage values
/// included (up to 10,000,000,000 hours, 125,000,000 a record), replays among them. After each,
/// every running total (a customer's per cycle and in all, the partner's reseller spend) equals
/// the sum of the records stored, and so do the stored hour rows; or the batch was refused
/// whole as an overflow, with nothing stored.
async fn issue_18_random_batches_keep_every_total_the_sum_of_its_records_or_are_refused_whole(db: TestStore) {
    use opc_core::ops::usage::UsageOpError;
    use opc_core::store::UsageQuery;
    use std::collections::HashMap;

    let app = TestApp::new(db).await;
    let catalog = opc_store::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
    let partner = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let mut customers = vec![];
    for (name, model) in [
        ("resell01", AssociationModel::Reseller),
        ("resell02", AssociationModel::Reseller),
        ("refer001", AssociationModel::Referral),
    ] {
        let (account, association, audit) = seed::customer(name, partner.partner.id(), model, T0);
        app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
        customers.push((account.id().clone(), model));
    }
    let offset = app.ctx.policy.billing_offset;
    // Two hours of March 1 and one of February 28 in the billing zone.
    let ends = [T0.plus(Millis::minutes(-1)), T0.plus(Millis::minutes(-121)), T0.plus(Millis::days(-1))];
    let cycles = [Cycle::of(ends[0], offset), Cycle::of(ends[2], offset)];
    assert_ne!(cycles[0], cycles[1]);
    const HOURS: [i64; 6] = [1, 7, 1_000_000, 1_000_000_000, 5_000_000_000, 10_000_000_000];

    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut history: Vec<UsageRecord> = vec![];
    let mut stored: HashMap<String, opc_domain::usage::Expenditure> = HashMap::new();
    let (mut accepted_batches, mut refused_batches, mut refused_with_stored) = (0, 0, 0);
    for b in 0..60 {
        // Half the batches keep to small values, the others reach for the extremes.
        let extreme = rng.below(2) == 0;
        let mut batch: Vec<(usize, UsageRecord)> = vec![];
        for i in 0..1 + rng.below(30) as usize {
            let record = if !history.is_empty() && rng.below(8) == 0 {
                history[rng.below(history.len() as u64) as usize].clone()
            } else {
                let (customer, _) = &customers[rng.below(3) as usize];
                let hours = if extreme { HOURS[rng.below(6) as usize] } else { HOURS[rng.below(3) as usize] };
                let (resource, end) = (format!("vm-{}", rng.below(3)), ends[rng.below(3) as usize]);
                seed::vm_usage(format!("b{b}-{i}"), customer, resource, hours, end)
            };
            if batch.iter().all(|(_, r)| r.id != record.id) {
                batch.push((i, record));
            }
        }
        let new: Vec<UsageRecord> =
            batch.iter().map(|(_, r)| r.clone()).filter(|r| !stored.contains_key(&r.id)).collect();
        match ingest(&app.ctx, "test", batch.clone(), vec![]).await {
            Ok(report) => {
                accepted_batches += 1;
                assert_eq!((report.accepted, report.duplicates), (new.len() as u64, (batch.len() - new.len()) as u64));
                for r in new {
                    let model = customers.iter().find(|(c, _)| *c == r.customer).unwrap().1;
                    let e = opc_domain::usage::rate(&catalog, r, Some((partner.partner.id().clone(), model)), offset);
                    let e = e.unwrap();
                    stored.insert(e.record.id.clone(), e);
                }
            }
            Err(UsageOpError::Overflow(why)) => {
                refused_batches += 1;
                refused_with_stored += usize::from(why == opc_domain::usage::SumOverflow::WithStored);
            }
            Err(e) => panic!("batch {b}: {e}"),
        }
        history.extend(batch.into_iter().map(|(_, r)| r));

        // Every total is the sum of the stored records, exactly.
        let sum = |keep: &dyn Fn(&opc_domain::usage::Expenditure) -> bool| -> i64 {
            let total: i128 = stored.values().filter(|e| keep(e)).map(|e| i128::from(e.amount.e8())).sum();
            i64::try_from(total).expect("a stored total is an amount")
        };
        for (customer, _) in &customers {
            for cycle in cycles {
                let expected = sum(&|e| e.record.customer == *customer && e.cycle == cycle);
                let spend = app.ctx.store.spend(customer, SpendWindow::Cycle(cycle)).await.unwrap();
                assert_eq!(spend.e8(), expected, "batch {b}: {customer} in {cycle:?}");
                let query = UsageQuery { cycle, limit: 100, ..UsageQuery::default() };
                let (rows, count) = app.ctx.store.usage_records_of(customer, &query).await.unwrap();
                assert!(rows.len() as u64 == count && count <= 9, "batch {b}: every hour row read");
                let rows_total: i128 = rows.iter().map(|e| i128::from(e.amount.e8())).sum();
                assert_eq!(rows_total, i128::from(expected), "batch {b}: {customer}'s hour rows in {cycle:?}");
                let usage: i128 = stored
                    .values()
                    .filter(|e| e.record.customer == *customer && e.cycle == cycle)
                    .map(|e| i128::from(e.record.usage.e8()))
                    .sum();
                assert_eq!(rows.iter().map(|e| i128::from(e.record.usage.e8())).sum::<i128>(), usage);
            }
            let in_all = app.ctx.store.spend(customer, SpendWindow::SinceBudgetSet).await.unwrap();
            assert_eq!(in_all.e8(), sum(&|e| e.record.customer == *customer), "batch {b}: {customer} in all");
        }
        let reseller = app.ctx.store.partner_reseller_spend(partner.partner.id()).await.unwrap();
        let expected = sum(&|e| matches!(&e.partner, Some((_, AssociationModel::Reseller))));
        assert_eq!(reseller.e8(), expected, "batch {b}: the partner's reseller spend");
    }
    assert!(accepted_batches >= 10 && refused_batches >= 10, "{accepted_batches} accepted, {refused_batches} refused");
    // Both checks ran: the batch's own sums, and with what the store holds.
    assert!(
        0 < refused_with_stored && refused_with_stored < refused_batches,
        "{refused_with_stored} of {refused_batches}"
    );
}
