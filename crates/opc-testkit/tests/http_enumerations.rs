//! Issue 16, conformance: an enumerated field given as an empty string is refused like any other
//! value outside its enumeration (CBC.0100, naming the field), and nothing changes; the spec's
//! default applies only when the field is absent or null. Fields whose spec reads an empty value
//! as "no filter" (e.g. `trade_type` of the account change records) keep doing so. Through the
//! real router on both backends.

use opc_core::Clock;
use opc_domain::association::AssociationModel;
use opc_domain::partner::Program;
use opc_testkit::app::TestApp;
use opc_testkit::{on_both_backends, seed, TestStore};
use serde_json::json;

on_both_backends!(an_empty_string_is_not_a_value_of_an_enumeration);

async fn an_empty_string_is_not_a_value_of_an_enumeration(db: TestStore) {
    let app = TestApp::new(db).await;
    let p = app.partner("Enum Ltd", Program::CloudSolutionProvider, None).await;
    let creds = TestApp::credentials(&p);
    let (account, association, audit) =
        seed::customer("enum1", p.partner.id(), AssociationModel::Reseller, app.clock.now());
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    let customer = account.id().as_str();
    let refused = |method: &'static str, target: String, body: serde_json::Value, field: &'static str| {
        let (app, creds) = (&app, &creds);
        async move {
            let body = if body.is_null() { String::new() } else { body.to_string() };
            let msg = app.signed(method, &target, &body, creds).await.assert_error(400, "CBC.0100");
            assert!(msg.contains(field), "{target} {field}: {msg}");
        }
    };
    let budget = "/v2/partners/sub-customers/budget";
    refused(
        "POST",
        budget.into(),
        json!({"customer_id": customer, "budget_amount": 10, "budget_type": ""}),
        "budget_type",
    )
    .await;
    refused(
        "POST",
        budget.into(),
        json!({"customer_id": customer, "budget_amount": 10, "cancel_partner_frozen": ""}),
        "cancel_partner_frozen",
    )
    .await;
    let batch = |field: &str| json!({"customer_ids": [customer], field: ""});
    refused("POST", "/v2/partners/sub-customers/freeze".into(), batch("freeze_type"), "freeze_type").await;
    refused("POST", "/v2/partners/sub-customers/unfreeze".into(), batch("unfreeze_type"), "unfreeze_type").await;
    refused("POST", "/v2/partners/sub-customers/query".into(), json!({"association_type": ""}), "association_type")
        .await;
    refused("GET", "/v2/orders/customer-orders?order_type=".into(), json!(null), "order_type").await;
    refused(
        "GET",
        "/v2/accounts/customer-accounts/account-change-records?balance_type=BALANCE_TYPE_DEBIT&revenue_expense_type="
            .into(),
        json!(null),
        "revenue_expense_type",
    )
    .await;
    // Nothing changed: the customer has no budget and is still frozen as created.
    let read = app.signed("GET", &format!("{budget}?customer_id={customer}"), "", &creds).await.json();
    assert!(read["budget_amount"].is_null(), "{read}");
    // Absent, the defaults apply: a monthly budget; the account's state is not frozen further.
    let set = json!({"customer_id": customer, "budget_amount": 10}).to_string();
    assert_eq!(app.signed("POST", budget, &set, &creds).await.status, 200);
    let read = app.signed("GET", &format!("{budget}?customer_id={customer}"), "", &creds).await.json();
    assert_eq!(read["budget_type"], "MONTHLY", "{read}");
    // A filter whose spec reads "" as none keeps doing so.
    let all = "/v2/accounts/customer-accounts/account-change-records?balance_type=BALANCE_TYPE_DEBIT&trade_type=";
    assert_eq!(app.signed("GET", all, "", &creds).await.status, 200);
}
