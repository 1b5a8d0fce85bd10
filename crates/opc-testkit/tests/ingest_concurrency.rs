//! Usage batches ingested concurrently, replays included, against one budget and one quota, on
//! both backends: every record counts once, every notice is sent once, the spend is exact.

use opc_core::ops::admin::{self, PartnerChange};
use opc_core::ops::usage::ingest;
use opc_core::store::AuditQuery;
use opc_domain::association::AssociationModel;
use opc_domain::partner::Program;
use opc_domain::rating::Quantity;
use opc_domain::usage::{Cycle, UsageRecord};
use opc_domain::{AccountId, Millis, Money};
use opc_testkit::app::{TestApp, T0};
use opc_testkit::{on_both_backends, seed, TestStore};

on_both_backends!(concurrent_and_replayed_batches_count_each_record_and_notice_once);

fn batch(n: usize, customer: &AccountId) -> Vec<(usize, UsageRecord)> {
    (0..25)
        .map(|i| {
            let record = UsageRecord {
                id: format!("c{n}-{i}"),
                customer: customer.clone(),
                resource_id: format!("vm-{i}"),
                service_type: "hws.service.type.ec2".into(),
                resource_type: "hws.resource.type.vm".into(),
                spec: "s6.small.1.linux".into(),
                region: "ap-southeast-1".into(),
                usage_factor: "Duration".into(),
                usage: Quantity::from_units(1).unwrap(),
                usage_measure_id: 4,
                ended_at: T0.plus(Millis(-60_000)),
            };
            (i, record)
        })
        .collect()
}

async fn concurrent_and_replayed_batches_count_each_record_and_notice_once(db: TestStore) {
    let app = TestApp::new(db).await;
    let catalog = opc_rows::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
    let partner = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let (account, association, audit) =
        seed::customer("concurrent01", &partner.partner.id, AssociationModel::Reseller, T0);
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    let creds = TestApp::credentials(&partner);
    // A monthly budget of 1.00 that freezes the customer once used up, and a quota of 1.00.
    let body = format!(
        r#"{{"customer_id":"{}","budget_amount":1,"frozen_operate_type":1,"cancel_partner_frozen":"1"}}"#,
        account.id
    );
    assert_eq!(app.signed("POST", "/v2/partners/sub-customers/budget", &body, &creds).await.status, 200);
    let quota = PartnerChange::Quota(Money::from_major(1).unwrap());
    admin::change_partner(&app.ctx, partner.partner.id.as_str(), quota, "test").await.unwrap();

    // Four batches of 25 hours (0.3125 each), each sent twice, all at once.
    let mut tasks = vec![];
    for n in 0..8 {
        let (ctx, records) = (app.ctx.clone(), batch(n % 4, &account.id));
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
    assert_eq!(app.ctx.store.spend(&account.id, Some(cycle), None).await.unwrap(), Money::parse("1.25").unwrap());
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
}
