//! The outbox delivered, on both backends (issue #6): budget and quota notices go by email and
//! to the partner's signed webhook; a failed delivery is retried later (30 s, then 60 s, …) and
//! given up after the last attempt; a claimed notification is not claimed twice.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use async_trait::async_trait;
use opc_core::ops::outbox::{self, Transport, LEASE};
use opc_core::ops::usage::{ingest, set_recipients};
use opc_domain::association::AssociationModel;
use opc_domain::notification::{webhook_signature, ATTEMPTS_MAX};
use opc_domain::partner::Program;
use opc_domain::Millis;
use opc_testkit::app::{TestApp, T0};
use opc_testkit::{on_both_backends, seed, TestStore};
use serde_json::Value;

on_both_backends!(r_quota_04_notices_are_delivered_retried_and_webhooks_signed);

#[derive(Default)]
struct Flaky {
    /// Emails refused before the next one is taken.
    refuse: AtomicU32,
    emails: Mutex<Vec<(String, String)>>,
    hooks: Mutex<Vec<(String, String, String)>>,
}

#[async_trait]
impl Transport for Flaky {
    async fn email(&self, to: &str, subject: &str, _body: &str) -> Result<(), String> {
        if self.refuse.load(Ordering::SeqCst) > 0 {
            self.refuse.fetch_sub(1, Ordering::SeqCst);
            return Err("the mail relay is down".into());
        }
        self.emails.lock().unwrap().push((to.to_owned(), subject.to_owned()));
        Ok(())
    }

    async fn webhook(&self, url: &str, body: &str, signature: &str) -> Result<(), String> {
        self.hooks.lock().unwrap().push((url.to_owned(), body.to_owned(), signature.to_owned()));
        Ok(())
    }

    async fn sms(&self, _to: &str, _text: &str) -> Result<(), String> {
        Err("no SMS is sent in this test".into())
    }
}

async fn r_quota_04_notices_are_delivered_retried_and_webhooks_signed(db: TestStore) {
    let app = TestApp::new(db).await;
    let catalog = opc_store::catalog::parse(seed::ONE_SPEC_CATALOG).unwrap();
    opc_core::ops::catalog::import(&app.ctx, &catalog, "test").await.unwrap();
    let created = app.partner("Acme Ltd", Program::CloudSolutionProvider, None).await;
    let partner = created.partner.clone();
    set_recipients(&app.ctx, &partner, &["finance@acme.example".to_owned()]).await.unwrap();
    let secret = outbox::set_webhook(&app.ctx, &partner, "https://hooks.acme.example/opc").await.unwrap();
    let (account, association, audit) = seed::customer("notified01", partner.id(), AssociationModel::Reseller, T0);
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    let creds = TestApp::credentials(&created);
    let body = format!(r#"{{"customer_id":"{}","budget_amount":1,"cancel_partner_frozen":"1"}}"#, account.id());
    assert_eq!(app.signed("POST", "/v2/partners/sub-customers/budget", &body, &creds).await.status, 200);

    // 80 hours at 0.0125: 100 % of the budget of 1.00: three notices, each by email and webhook.
    let record = seed::vm_usage("n-1".into(), account.id(), "vm-1".into(), 80, T0.plus(Millis(-60_000)));
    assert_eq!(ingest(&app.ctx, "test", vec![(0, record)], vec![]).await.unwrap().notices, 3);

    // The mail relay is down for two rounds: the emails wait 30 s, then 60 s; the webhooks go at once.
    let transport = Flaky { refuse: AtomicU32::new(6), ..Flaky::default() };
    let first = outbox::deliver_due(&app.ctx, &transport, 100).await.unwrap();
    assert_eq!((first.sent, first.retried, first.failed), (3, 3, 0), "{first:?}");
    {
        let hooks = transport.hooks.lock().unwrap();
        assert_eq!(hooks.len(), 3);
        for (url, body, signature) in hooks.iter() {
            assert_eq!(url, "https://hooks.acme.example/opc");
            assert_eq!(*signature, webhook_signature(secret.expose().as_bytes(), body.as_bytes()), "signed");
            let event: Value = serde_json::from_str(body).unwrap();
            assert_eq!(
                (event["event"].as_str(), event["subject_id"].as_str()),
                (Some("budget.threshold_reached"), Some(account.id().as_str()))
            );
        }
    }
    let again = outbox::deliver_due(&app.ctx, &transport, 100).await.unwrap();
    assert_eq!(again.sent + again.retried, 0, "nothing is due before its next attempt");
    app.clock.advance(Millis(30_000));
    let second = outbox::deliver_due(&app.ctx, &transport, 100).await.unwrap();
    assert_eq!((second.sent, second.retried), (0, 3), "{second:?}");
    app.clock.advance(Millis(59_000));
    assert_eq!(outbox::deliver_due(&app.ctx, &transport, 100).await.unwrap().sent, 0, "60 s after the second failure");
    app.clock.advance(Millis(1_000));
    assert_eq!(outbox::deliver_due(&app.ctx, &transport, 100).await.unwrap().sent, 3);
    let emails = transport.emails.lock().unwrap().clone();
    assert_eq!(emails.len(), 3, "each email sent once: {emails:?}");
    assert!(emails.iter().all(|(to, _)| to == "finance@acme.example"));

    // A claimed notification is not claimed again before its lease ends.
    let pending = app
        .ctx
        .store
        .record_notice(
            "quota",
            partner.id().as_str(),
            1,
            80,
            app.ctx.clock.now(),
            &[opc_domain::notification::Notification {
                id: opc_domain::NotificationId::from_random([7; 16]),
                channel: opc_domain::notification::Channel::Webhook,
                recipient: partner.id().as_str().to_owned(),
                subject: "partner.quota_threshold_reached".into(),
                body: "{}".into(),
                created_at: app.ctx.clock.now(),
            }],
            &[],
        )
        .await
        .unwrap();
    assert!(pending);
    let now = app.ctx.clock.now();
    assert_eq!(app.ctx.store.claim_notifications(now, LEASE, 10).await.unwrap().len(), 1);
    assert_eq!(app.ctx.store.claim_notifications(now, LEASE, 10).await.unwrap().len(), 0, "claimed once");

    // Its partner then removes the webhook: every attempt fails, and the last gives up.
    outbox::remove_webhook(&app.ctx, &partner).await.unwrap();
    let mut failed = 0;
    for _ in 0..ATTEMPTS_MAX {
        app.clock.advance(Millis(3_600_000));
        let r = outbox::deliver_due(&app.ctx, &transport, 100).await.unwrap();
        assert_eq!(r.sent, 0);
        failed += r.failed;
    }
    assert_eq!(failed, 1, "given up once, after {ATTEMPTS_MAX} attempts");
    app.clock.advance(Millis(3_600_000));
    let after = outbox::deliver_due(&app.ctx, &transport, 100).await.unwrap();
    assert_eq!(after.sent + after.retried + after.failed, 0, "a failed notification stays failed");
}
