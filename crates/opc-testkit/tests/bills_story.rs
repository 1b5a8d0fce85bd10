//! The monthly bill run (issue 14) on both backends: a month of usage closes into customer
//! bills at list price and partner bills at the settlement price, issued to whoever pays them
//! and deducted from the payer's balance; a repayment settles them and gives the quota back; a
//! run is idempotent and resumes after being killed with every bill exactly once.

use std::collections::BTreeMap;

use opc_core::ops::bills::{self, LEASE};
use opc_core::ops::funds::{self, OperatorEntry};
use opc_core::store::RunPhase;
use opc_core::Clock;
use opc_domain::association::AssociationModel;
use opc_domain::bill::{Discount, Payer, SettlementTerms};
use opc_domain::funds::Holder;
use opc_domain::partner::Program;
use opc_domain::usage::Cycle;
use opc_domain::{AccountId, Millis, Money, PartnerId, Timestamp};
use opc_testkit::app::TestApp;
use opc_testkit::{on_both_backends, seed, TestStore};

on_both_backends!(
    r_bill_01_r_bill_03_a_month_closes_into_customer_and_partner_bills,
    a_killed_bill_run_resumes_with_every_bill_exactly_once,
    a_month_is_billed_only_once_it_has_ended,
    r_bill_05_the_console_shows_bills_and_exports_them_to_8_decimals,
    r_bill_15_usage_orders_a_refund_and_a_transfer_close_into_exact_bills_and_deductions,
);

const MARCH: Cycle = Cycle(202603);

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

async fn setup(app: &TestApp) {
    let catalog = opc_store::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
}

async fn customer(app: &TestApp, partner: &PartnerId, name: &str, model: AssociationModel) -> AccountId {
    let (account, association, audit) = seed::customer(name, partner, model, app.clock.now());
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    account.id().clone()
}

async fn use_hours(app: &TestApp, usage: &[(&AccountId, i64)]) {
    let records = usage
        .iter()
        .enumerate()
        .map(|(i, (c, hours))| {
            let id = format!("u-{}-{i}", c.as_str());
            (i, seed::vm_usage(id, c, format!("vm-{i}"), *hours, app.clock.now()))
        })
        .collect();
    opc_core::ops::usage::ingest(&app.ctx, "ops", records, vec![]).await.unwrap();
}

/// The 5th of April at 12:00 Beijing time: the seeds' closing time of March.
fn april_5th() -> Timestamp {
    Timestamp::from_utc(2026, 4, 5, 4, 0, 0).unwrap()
}

async fn balance(app: &TestApp, partner: &PartnerId) -> Money {
    app.ctx.store.balances(&[Holder::Partner(partner.clone())]).await.unwrap()[0].amount()
}

async fn r_bill_01_r_bill_03_a_month_closes_into_customer_and_partner_bills(db: TestStore) {
    let app = TestApp::new(db).await;
    setup(&app).await;
    let d = app.partner("Distri Ltd", Program::DistributionPartner, None).await;
    let r = app.partner("Resell Ltd", Program::Reseller, Some(d.partner.id())).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let (d_id, r_id, p_id) = (d.partner.id().clone(), r.partner.id().clone(), p.partner.id().clone());
    let c1 = customer(&app, &p_id, "billed01", AssociationModel::Reseller).await;
    let c2 = customer(&app, &p_id, "billed02", AssociationModel::Referral).await;
    let c3 = customer(&app, &r_id, "billed03", AssociationModel::Reseller).await;
    // 0.0125 an hour: 0.125, 0.05 and 0.1 at list price; 0.1375 for c1 in all with a second VM.
    use_hours(&app, &[(&c1, 10), (&c2, 4), (&c3, 8), (&c1, 1)]).await;
    // R-BILL-01: 15 % off by default for Acme, 20 % off ECS; 10 % for the reseller.
    let acme = SettlementTerms::flat(Discount::parse("0.15").unwrap())
        .with("hws.service.type.ec2", Discount::parse("0.2").unwrap());
    bills::set_settlement_terms(&app.ctx, p_id.as_str(), MARCH, &acme, "finance").await.unwrap();
    let resell = SettlementTerms::flat(Discount::parse("0.1").unwrap());
    bills::set_settlement_terms(&app.ctx, r_id.as_str(), MARCH, &resell, "finance").await.unwrap();
    bills::set_tax_rate(&app.ctx, "SG", opc_domain::bill::TaxRate::parse("0.07").unwrap(), "finance").await.unwrap();
    funds::record(&app.ctx, d_id.as_str(), OperatorEntry::Payment(money("50")), "advance", "finance").await.unwrap();

    // The open month's estimate: the bill the run will issue, from the same code.
    let estimate = bills::estimate(&app.ctx, &p_id, MARCH).await.unwrap();
    assert_eq!(estimate.totals().amount_due, money("0.11"), "0.1375 less 20 %");

    app.clock.set(april_5th());
    let mut steps = 0;
    let run = bills::run(&app.ctx, MARCH, "test-1", |_| steps += 1).await.unwrap().unwrap();
    assert_eq!((run.phase, run.customers_done, run.partners_done), (RunPhase::Done, 3, 2));
    assert!(steps >= 3);

    // Customer bills at list price, one per payer; totals rounded to the cent (R-BILL-12).
    let c1_bills = app.ctx.store.customer_bills(&c1, MARCH).await.unwrap();
    assert_eq!(c1_bills.len(), 1);
    assert_eq!(c1_bills[0].payer, Payer::Partner(p_id.clone()), "R-RCM-07: the reseller partner pays");
    assert_eq!((c1_bills[0].total, c1_bills[0].total_rounded), (money("0.1375"), money("0.14")));
    let c2_bills = app.ctx.store.customer_bills(&c2, MARCH).await.unwrap();
    assert_eq!((c2_bills[0].payer.clone(), c2_bills[0].total), (Payer::Customer, money("0.05")), "R-BILL-03");

    // Acme's bill: its reseller customer only (R-BILL-03), at the settlement price (R-BILL-01),
    // exact to 8 decimals (R-BILL-04), tax apart.
    let acme_bill = app.ctx.store.partner_bill(&p_id, MARCH).await.unwrap().unwrap();
    let t = acme_bill.totals;
    assert_eq!((t.official, t.discount, t.amount_due), (money("0.1375"), money("0.0275"), money("0.11")));
    assert_eq!(t.tax, money("0.0077"), "7 % of the amount due, shown apart");
    assert_eq!((acme_bill.billed_to.clone(), acme_bill.paid), (p_id.clone(), Money::ZERO));
    assert_eq!(acme_bill.totals.amount_due, estimate.totals().amount_due, "the estimate was the bill");
    let lines = app.ctx.store.partner_bill_lines(&p_id, MARCH).await.unwrap();
    assert!(lines.iter().all(|l| l.customer == c1));
    let sum = lines.iter().try_fold(Money::ZERO, |s, l| s.checked_add(l.due)).unwrap();
    assert_eq!(sum, t.amount_due, "the lines sum exactly to the total");

    // The reseller's bill is issued to its distributor (R-DIST-02) and paid from its balance
    // at once (R-BILL-02).
    let resell_bill = app.ctx.store.partner_bill(&r_id, MARCH).await.unwrap().unwrap();
    assert_eq!((resell_bill.billed_to.clone(), resell_bill.totals.amount_due), (d_id.clone(), money("0.09")));
    assert_eq!(resell_bill.paid, money("0.09"));
    assert_eq!(balance(&app, &d_id).await, money("49.91"));

    // The quota: March moved from unbilled to due.
    let parts = app.ctx.store.quota_use(&p_id).await.unwrap();
    assert_eq!((parts.due, parts.unbilled, parts.balance), (money("0.11"), Money::ZERO, Money::ZERO));

    // Running again changes nothing.
    assert!(bills::run(&app.ctx, MARCH, "test-2", |_| ()).await.unwrap().is_none());
    assert_eq!(app.ctx.store.customer_bills(&c1, MARCH).await.unwrap().len(), 1);

    // The repayment settles the bill; the rest stays as an advance (R-QUOTA-07).
    funds::record(&app.ctx, p_id.as_str(), OperatorEntry::Payment(money("1")), "wire", "finance").await.unwrap();
    let acme_bill = app.ctx.store.partner_bill(&p_id, MARCH).await.unwrap().unwrap();
    assert_eq!(acme_bill.paid, money("0.11"));
    assert_eq!(balance(&app, &p_id).await, money("0.89"));
    let parts = app.ctx.store.quota_use(&p_id).await.unwrap();
    assert_eq!((parts.due, parts.used().unwrap()), (Money::ZERO, money("-0.89")));

    // Every balance reconciles with its ledger.
    for holder in [Holder::Partner(p_id), Holder::Partner(d_id)] {
        let amount = app.ctx.store.balances(std::slice::from_ref(&holder)).await.unwrap()[0].amount();
        let q = opc_core::store::LedgerQuery { limit: 1000, ..Default::default() };
        let (entries, _) = app.ctx.store.ledger(&holder, &q).await.unwrap();
        assert_eq!(entries.iter().try_fold(Money::ZERO, |s, e| s.checked_add(e.entry.amount)).unwrap(), amount);
    }
}

async fn a_killed_bill_run_resumes_with_every_bill_exactly_once(db: TestStore) {
    let app = std::sync::Arc::new(TestApp::new(db).await);
    setup(&app).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let mut customers = Vec::new();
    for i in 0..2_100 {
        customers.push(customer(&app, p.partner.id(), &format!("many{i:05}"), AssociationModel::Reseller).await);
    }
    let usage: Vec<(&AccountId, i64)> = customers.iter().enumerate().map(|(i, c)| (c, 1 + (i % 7) as i64)).collect();
    use_hours(&app, &usage).await;
    app.clock.set(april_5th());

    // The first run is killed after its first step.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let first = {
        let app = app.clone();
        tokio::spawn(async move {
            bills::run(&app.ctx, MARCH, "killed", move |run| {
                let _ = tx.send(run.customers_done);
            })
            .await
        })
    };
    let closed = rx.recv().await.expect("a first step");
    first.abort();
    let _ = first.await;
    assert_eq!(closed, 1_000);
    // The abort lands at the task's next await: the run may have gone a step further by then;
    // it cannot have finished.
    let stored = app.ctx.store.bill_run(MARCH).await.unwrap().unwrap();
    assert!(stored.phase != RunPhase::Done && stored.customers_done >= 1_000, "{stored:?}");

    // Another process cannot take it while the lease lasts; after it, it resumes.
    assert!(bills::run(&app.ctx, MARCH, "second", |_| ()).await.unwrap().is_none());
    app.clock.advance(Millis(LEASE.0 + 1));
    let run = bills::run(&app.ctx, MARCH, "second", |_| ()).await.unwrap().unwrap();
    assert_eq!((run.phase, run.customers_done, run.partners_done), (RunPhase::Done, 2_100, 1));

    let mut by_customer: BTreeMap<AccountId, usize> = BTreeMap::new();
    let mut total = Money::ZERO;
    for c in &customers {
        let bills = app.ctx.store.customer_bills(c, MARCH).await.unwrap();
        *by_customer.entry(c.clone()).or_default() += bills.len();
        total = total.checked_add(bills[0].total).unwrap();
    }
    assert!(by_customer.values().all(|n| *n == 1), "every customer billed exactly once");
    let bill = app.ctx.store.partner_bill(p.partner.id(), MARCH).await.unwrap().unwrap();
    assert_eq!(bill.totals.official, total, "the partner bill is exactly its customers' bills");
    let spent = app.ctx.store.partner_reseller_spend(p.partner.id()).await.unwrap();
    assert_eq!(bill.totals.official, spent, "and exactly what was rated");
}

async fn a_month_is_billed_only_once_it_has_ended(db: TestStore) {
    let app = TestApp::new(db).await;
    let open = Cycle::of(app.clock.now(), app.ctx.policy.billing_offset);
    let refused = bills::run(&app.ctx, open, "test", |_| ()).await;
    assert!(matches!(refused, Err(bills::BillOpError::NotOver(_))), "{refused:?}");
    assert_eq!(bills::parse_month("2026-03").unwrap(), MARCH);
    for bad in ["2026-3", "202603", "2026-13", "March"] {
        assert!(bills::parse_month(bad).is_err(), "{bad}");
    }
    assert_eq!(bills::month_text(MARCH), "2026-03");
}

async fn page(app: &TestApp, path: &str, token: &str) -> opc_testkit::app::TestResponse {
    let r = app.send("GET", path, "", &[("Cookie".into(), format!("opc_session={token}"))]).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r
}

async fn r_bill_05_the_console_shows_bills_and_exports_them_to_8_decimals(db: TestStore) {
    let app = TestApp::new(db).await;
    setup(&app).await;
    let (session, partner) = opc_testkit::console::hcpn_partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    let partner = PartnerId::parse(&partner).unwrap();
    let c1 = customer(&app, &partner, "shown001", AssociationModel::Reseller).await;
    let c2 = customer(&app, &partner, "shown002", AssociationModel::Reseller).await;
    use_hours(&app, &[(&c1, 3), (&c2, 1)]).await;
    let terms = SettlementTerms::flat(Discount::parse("0.1234").unwrap());
    bills::set_settlement_terms(&app.ctx, partner.as_str(), MARCH, &terms, "finance").await.unwrap();

    // Before the run: the estimate of the open month, nothing due.
    let before = page(&app, "/partner/bills", &session).await.body;
    assert!(before.contains("Bill estimate for 2026-03") && before.contains("0.04"), "{before}");

    app.clock.set(april_5th());
    bills::run(&app.ctx, MARCH, "test", |_| ()).await.unwrap().unwrap();
    // A month on, the morning's session has ended: sign in again.
    let session = opc_testkit::console::sign_in(&app, "boss@acme.example", "Secret123!").await;
    // 4 h at 0.0125 = 0.05, less 12.34 %: 0.04383.
    let list = page(&app, "/partner/bills", &session).await.body;
    assert!(list.contains(r#"id="amount-due""#) && list.contains("0.04"), "{list}");
    assert!(list.contains(r#"title="0.04383000""#), "the exact amount on hover: {list}");
    assert!(list.contains("<svg") && list.contains("Amount due per month"));
    let bill = page(&app, "/partner/bills/2026-03", &session).await.body;
    assert!(bill.contains("0.04383000") && bill.contains("shown001") && bill.contains("By product"), "{bill}");
    let csv = page(&app, "/partner/bills/2026-03?format=csv", &session).await;
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(csv.body.contains("shown001") && csv.body.contains("0.03287250"), "3 h less 12.34 %: {}", csv.body);
    let xlsx = page(&app, "/partner/bills/2026-03?format=xlsx", &session).await;
    assert_eq!(xlsx.headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(xlsx.body.starts_with("PK") && xlsx.body.contains("<v>0.03287250</v>"));
    let months = page(&app, "/partner/bills?format=csv", &session).await.body;
    assert!(months.contains("2026-03,0.05000000,0.00617000,0.04383000"), "{months}");
    let missing =
        app.send("GET", "/partner/bills/2026-02", "", &[("Cookie".into(), format!("opc_session={session}"))]).await;
    assert_eq!(missing.status, 404);

    // The operator's bills page shows the run and what the partner owes.
    let ops = opc_testkit::console::staff(&app).await;
    let runs = page(&app, "/operator/bills", &ops).await.body;
    assert!(runs.contains("2026-03") && runs.contains("Done") && runs.contains(partner.as_str()), "{runs}");
    // Each of its two tables downloads as its own CSV.
    assert!(
        runs.contains("format=csv&amp;table=amounts-due") && runs.contains("format=csv&amp;table=bill-runs"),
        "{runs}"
    );
    let owed = page(&app, "/operator/bills?format=csv&table=amounts-due", &ops).await.body;
    assert!(
        owed.starts_with("Partner,Amount due,In arrears,Unpaid bills") && owed.contains(partner.as_str()),
        "{owed}"
    );
    let run_csv = page(&app, "/operator/bills?format=csv&table=bill-runs", &ops).await.body;
    assert!(run_csv.starts_with("Month,State") && run_csv.contains("2026-03"), "{run_csv}");
    let partner_page = page(&app, &format!("/operator/partners/{partner}"), &ops).await.body;
    assert!(partner_page.contains("Settlement discounts") && partner_page.contains("12.34%"), "{partner_page}");
    // A customer without bills sees that.
    let someone = opc_testkit::console::account(&app, "someone1", "someone@example.com", |_| ()).await;
    assert!(page(&app, "/my-bills", &someone).await.body.contains("No month has been billed yet"));
}

/// R-BILL-15, R-BILL-01, R-BILL-02: a month with usage, a yearly/monthly purchase, its
/// unsubscription (a refund) and funds allocated to the reseller customer closes into a
/// customer bill and a partner bill whose lines sum exactly to their totals, the refund a line
/// of its own in both; the partner's deduction is the ledger's, and every balance its ledger's.
async fn r_bill_15_usage_orders_a_refund_and_a_transfer_close_into_exact_bills_and_deductions(db: TestStore) {
    use opc_core::ops::admin::{self, PartnerChange};
    use opc_core::ops::auth::Principal;
    use opc_core::ops::orders;
    use opc_domain::bill::ChargeKind;
    use opc_domain::catalog::ChargingMode;
    use opc_domain::funds::EntryKind;
    use opc_domain::order::Unsubscribe;
    use serde_json::json;

    let app = TestApp::new(db).await;
    setup(&app).await;
    let p = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let p_id = p.partner.id().clone();
    let creds = TestApp::credentials(&p);
    admin::change_partner(&app.ctx, p_id.as_str(), PartnerChange::Quota(money("1000")), "test").await.unwrap();
    bills::set_settlement_terms(
        &app.ctx,
        p_id.as_str(),
        MARCH,
        &SettlementTerms::flat(Discount::parse("0.1").unwrap()),
        "finance",
    )
    .await
    .unwrap();
    let c1 = customer(&app, &p_id, "billed01", AssociationModel::Reseller).await;
    let body = json!({"customer_id": c1.as_str(), "budget_amount": 100, "cancel_partner_frozen": "1"});
    assert_eq!(app.signed("POST", "/v2/partners/sub-customers/budget", &body.to_string(), &creds).await.status, 200);
    funds::record(&app.ctx, p_id.as_str(), OperatorEntry::Payment(money("20")), "advance", "finance").await.unwrap();
    // Funds down the channel: 5 to the reseller customer.
    let body = json!({"customer_id": c1.as_str(), "amount": 5}).to_string();
    let r = app.signed("POST", "/v2/accounts/partner-accounts/adjust-amount", &body, &creds).await;
    assert_eq!(r.status, 200, "{}", r.body);
    use_hours(&app, &[(&c1, 10)]).await;

    // A month's VM bought on the 10th, unsubscribed on the 20th: 21 of 31 days refunded.
    app.clock.set(Timestamp::from_utc(2026, 3, 10, 8, 0, 0).unwrap());
    let own = Principal::Customer { account: app.ctx.store.account(&c1).await.unwrap().unwrap(), access_key: None };
    let item = opc_testkit::shop::vm_month();
    let placed = orders::place(&app.ctx, &own, None, &[item]).await.unwrap();
    let paid = orders::pay(&app.ctx, &own, placed.id(), &orders::PayWith::default()).await.unwrap();
    app.clock.set(Timestamp::from_utc(2026, 3, 20, 8, 0, 0).unwrap());
    let vm = paid.lines()[0].resource_id().to_string();
    orders::unsubscribe(&app.ctx, &own, &[vm], Unsubscribe::ResourceAndRenewals).await.unwrap();

    app.clock.set(april_5th());
    bills::run(&app.ctx, MARCH, "test", |_| ()).await.unwrap().unwrap();

    // The customer's bill: usage, the purchase and the refund, each a line; exact total.
    let bill = app.ctx.store.customer_bills(&c1, MARCH).await.unwrap().remove(0);
    let lines: Vec<(ChargingMode, ChargeKind, Money)> =
        bill.lines.iter().map(|l| (l.mode, l.kind, l.official)).collect();
    assert_eq!(
        lines,
        vec![
            (ChargingMode::OnDemand, ChargeKind::Expenditure, money("0.125")),
            (ChargingMode::Period, ChargeKind::Expenditure, money("6.8")),
            (ChargingMode::Period, ChargeKind::Refund, money("-4.60645161")),
        ]
    );
    let sum = bill.lines.iter().try_fold(Money::ZERO, |s, l| s.checked_add(l.official)).unwrap();
    assert_eq!((sum, bill.total), (money("2.31854839"), money("2.31854839")));

    // The partner's bill: the refund is a refund line (R-BILL-15), its discount taken back
    // symmetrically (R-BILL-01); lines sum exactly to every total.
    let pbill = app.ctx.store.partner_bill(&p_id, MARCH).await.unwrap().unwrap();
    let plines = app.ctx.store.partner_bill_lines(&p_id, MARCH).await.unwrap();
    let refund = plines.iter().find(|l| l.kind == ChargeKind::Refund).expect("a refund line");
    assert_eq!(
        (refund.official, refund.discount, refund.due),
        (money("-4.60645161"), money("-0.46064516"), money("-4.14580645"))
    );
    let total = |f: fn(&opc_domain::bill::PartnerBillLine) -> Money| {
        plines.iter().try_fold(Money::ZERO, |s, l| s.checked_add(f(l))).unwrap()
    };
    let t = pbill.totals;
    assert_eq!(
        (total(|l| l.official), total(|l| l.discount), total(|l| l.due)),
        (t.official, t.discount, t.amount_due)
    );
    assert_eq!(t.refunds, refund.due);
    assert_eq!(t.consumption.checked_add(t.refunds).unwrap(), t.amount_due);
    assert_eq!(t.amount_due, money("2.08669355"), "6.925 less 10 % is 6.2325; less 4.14580645");

    // R-BILL-02: the amount due is deducted from the balance (15 after the allocation), and
    // the deduction is exactly the ledger's; every balance is its ledger's sum.
    assert_eq!(pbill.paid, t.amount_due);
    let q = opc_core::store::LedgerQuery { limit: 1000, ..Default::default() };
    let (entries, _) = app.ctx.store.ledger(&Holder::Partner(p_id.clone()), &q).await.unwrap();
    let deducted = entries
        .iter()
        .filter(|e| e.entry.kind == EntryKind::BillDeduction)
        .try_fold(Money::ZERO, |s, e| s.checked_sub(e.entry.amount))
        .unwrap();
    assert_eq!(deducted, pbill.paid);
    assert_eq!(balance(&app, &p_id).await, money("12.91330645"), "20 - 5 - 2.08669355");
    for holder in [Holder::Partner(p_id.clone()), Holder::Customer(c1.clone())] {
        let amount = app.ctx.store.balances(std::slice::from_ref(&holder)).await.unwrap()[0].amount();
        let (entries, _) = app.ctx.store.ledger(&holder, &q).await.unwrap();
        assert_eq!(entries.iter().try_fold(Money::ZERO, |s, e| s.checked_add(e.entry.amount)).unwrap(), amount);
    }
    assert_eq!(app.ctx.store.balances(&[Holder::Customer(c1)]).await.unwrap()[0].amount(), money("5"));
}
