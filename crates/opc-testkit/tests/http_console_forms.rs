//! Forms that respect the user (issue 17), through the real router on both backends: paying an
//! order and renewing a resource show the amount and cannot complete without its confirmation;
//! what a customer's state forbids is not offered, with the reason shown; the buy form offers the
//! allowed terms as choices with their prices; a refused form keeps its values but never a
//! password; new passwords are marked `new-password`.

use opc_domain::association::AssociationModel;
use opc_domain::order::OrderStatus;
use opc_domain::OrderId;
use opc_testkit::console::{flash, page, submit};
use opc_testkit::shop::{customer, partner, place, world};
use opc_testkit::{on_both_backends, TestStore};
use serde_json::json;

on_both_backends!(
    paying_and_renewing_show_the_amount_and_need_its_confirmation,
    what_a_frozen_customer_cannot_do_is_not_offered,
    a_refused_sign_in_keeps_the_login_never_the_password,
    a_partner_the_operator_enrolled_sees_its_program_where_the_overview_does,
    a_customer_is_found_by_name_email_or_id,
    a_frozen_customer_reads_why_and_its_partners_reason,
    a_refused_registration_shows_every_problem_next_to_its_field,
    a_refused_member_shows_every_problem_next_to_its_field_and_the_api_names_them_all,
);

/// Issue 17: a registration refused for several reasons says them all at once, each next to its
/// field, and keeps what was typed — never the password.
async fn a_refused_registration_shows_every_problem_next_to_its_field(db: TestStore) {
    let (app, _) = world(db).await;
    let p = partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    let invitation = json!({"channel": "qr_code", "model": "referral"});
    let link = opc_testkit::console::call(&app, "POST", "/api/v1/partner/invitations", invitation, &p.session).await;
    let token = link.json()["token"].as_str().unwrap().to_owned();
    let shown = app.send("GET", &format!("/invitations/{token}"), "", &[]).await;
    let csrf = shown
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("opc_csrf="))
        .and_then(|v| v.split(';').next())
        .expect("the form's token cookie")
        .to_owned();
    let body = format!(
        "_csrf={csrf}&country=SG&email=nope&verification_code=&password=Secret123%21\
         &password_confirmation=Other123%21&accepts_privacy_statement=on"
    );
    let headers = [
        ("Cookie".to_owned(), format!("opc_csrf={csrf}")),
        ("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()),
    ];
    let r = app.send("POST", &format!("/invitations/{token}/register"), &body, &headers).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("5 fields need correcting"), "{}", r.body);
    for problem in [
        "Is required",
        "Does not match the password",
        "The HUAWEI ID User Agreement must be accepted",
        "Enabling cloud services needs the Customer Agreement",
    ] {
        assert!(r.body.contains(problem), "{problem}: {}", r.body);
    }
    assert_eq!(r.body.matches(r#"<p class="error""#).count(), 5, "each next to its field: {}", r.body);
    assert!(r.body.contains(r#"value="nope""#) && r.body.contains(r#"value="SG""#), "kept");
    assert!(!r.body.contains("Secret123") && !r.body.contains("Other123"), "never the passwords");
}

/// Issue 17: the customer's My Partner page says why its account is frozen, in words, with the
/// reason its partner gave when the partner froze it.
async fn a_frozen_customer_reads_why_and_its_partners_reason(db: TestStore) {
    let (app, _) = world(db).await;
    let p = partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    let c = customer(&app, &p.id, "reseller51", AssociationModel::Reseller).await;
    let mine = page(&app, &c.session, "/my-partner").await;
    assert!(mine.contains("unfreezes your account once it sets your budget (R-RCM-02)"), "{mine}");

    let base = format!("/partner/customers/{}", c.id.as_str());
    let budget = [("budget_amount", "100"), ("budget_type", "monthly"), ("unfreeze", "on")];
    assert_eq!(submit(&app, &p.session, &format!("{base}/budget"), &budget).await.status, 303);
    assert!(!page(&app, &c.session, "/my-partner").await.contains("frozen-notice"));
    let freeze = [("scope", "account"), ("reason", "Overdue invoice 2026-11")];
    let r = submit(&app, &p.session, &format!("{base}/freeze"), &freeze).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mine = page(&app, &c.session, "/my-partner").await;
    assert!(mine.contains("your partner froze it (R-RCM-10)"), "{mine}");
    assert!(mine.contains("The reason your partner gave: “Overdue invoice 2026-11”"), "{mine}");
}

/// Issue 17: the partner's customer search takes a name, an email or an account id — and never
/// finds another partner's customer.
async fn a_customer_is_found_by_name_email_or_id(db: TestStore) {
    let (app, _) = world(db).await;
    let p = partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    let other = partner(&app, "boss@rival.example", "Rival Cloud Pte Ltd").await;
    let mine = customer(&app, &p.id, "bright-bakery", AssociationModel::Referral).await;
    customer(&app, &p.id, "calm-cafe", AssociationModel::Referral).await;
    let theirs = customer(&app, &other.id, "dark-diner", AssociationModel::Referral).await;
    let found = |q: String| {
        let (app, session) = (&app, p.session.clone());
        async move { page(app, &session, &format!("/partner/customers?q={q}")).await }
    };
    let row = |id: &opc_domain::AccountId| format!("href=\"/partner/customers/{}\"", id.as_str());
    for q in ["bright", "bright-bakery%40example.com", mine.id.as_str()] {
        let list = found(q.to_owned()).await;
        assert!(list.contains(&row(&mine.id)) && !list.contains("calm-cafe"), "{q}: {list}");
    }
    for q in ["dark-diner%40example.com".to_owned(), theirs.id.as_str().to_owned(), "nobody%40example.com".to_owned()] {
        let list = found(q.clone()).await;
        assert!(!list.contains(&row(&theirs.id)) && !list.contains(&row(&mine.id)), "{q}: {list}");
    }
}

/// Issue 17: the Programs pages agree with the overview for a partner the operator enrolled:
/// enrolled with its tier, no HCPN form, no Apply form under "already joined".
async fn a_partner_the_operator_enrolled_sees_its_program_where_the_overview_does(db: TestStore) {
    use opc_core::ops::admin::{self, CreatePartner};
    use opc_domain::partner::Program;
    let (app, _) = world(db).await;
    let enroll = CreatePartner {
        name: "Lion City Cloud Pte Ltd",
        country: "SG",
        program: Program::CloudSolutionProvider,
        distributor: None,
        login: Some(("owner@lion.example", "Secret123!")),
        operator: "test",
    };
    admin::create_partner(&app.ctx, enroll).await.unwrap();
    let session = opc_testkit::console::sign_in(&app, "owner@lion.example", "Secret123!").await;
    let list = page(&app, &session, "/programs").await;
    assert!(list.contains("Enrolled · standard since"), "{list}");
    // The header names the partner and the person's email, not a generated account name.
    assert!(list.contains(r#"<span class="who">Lion City Cloud Pte Ltd · owner@lion.example</span>"#), "{list}");
    assert!(!list.contains("Apply to HCPN") && list.contains("the operator enrolled it"), "{list}");
    let csp = page(&app, &session, "/programs/csp").await;
    assert!(
        csp.contains("Your account is in this program") && !csp.contains("Apply to Cloud Solution Provider"),
        "{csp}"
    );
    let other = page(&app, &session, "/programs/reseller").await;
    assert!(other.contains("Apply to"), "another program can still be applied to: {other}");
}

async fn status(app: &opc_testkit::app::TestApp, order: &str) -> OrderStatus {
    app.ctx.store.order(&OrderId::parse(order).unwrap()).await.unwrap().unwrap().status()
}

async fn paying_and_renewing_show_the_amount_and_need_its_confirmation(db: TestStore) {
    let (app, _) = world(db).await;
    let p = partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    let c = customer(&app, &p.id, "referral41", AssociationModel::Referral).await;

    // The allowed terms are the choices, each with its price; no free-text period field.
    let orders = page(&app, &c.session, "/orders").await;
    assert!(orders.contains(r#"value="s6.small.1.linux|ap-southeast-1|2|3""#), "{orders}");
    assert!(orders.contains("s6 small, ap-southeast-1, 3 months: USD 20.40"), "{orders}");
    assert!(!orders.contains(r#"name="period_num""#), "{orders}");
    let r =
        submit(&app, &c.session, "/orders", &[("offering", "s6.small.1.linux|ap-southeast-1|2|3"), ("quantity", "1")])
            .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(flash(&r).contains("placed: USD 20.40, pending payment"), "{}", flash(&r));

    // Paying shows the amount and asks for its confirmation; without it nothing is paid.
    let order = place(&app, &c).await;
    let orders = page(&app, &c.session, "/orders").await;
    assert!(orders.contains("Pay USD 10.80") && orders.contains(r#"name="confirm" value="yes" required"#), "{orders}");
    let r = submit(&app, &c.session, &format!("/orders/{order}/pay"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(flash(&r).contains("tick the box that confirms the amount of the payment"), "{}", flash(&r));
    assert_eq!(status(&app, &order).await, OrderStatus::PendingPayment, "not paid without its confirmation");
    let r = submit(&app, &c.session, &format!("/orders/{order}/pay"), &[("confirm", "yes")]).await;
    assert!(flash(&r).contains("is paid"), "{}", flash(&r));
    assert_eq!(status(&app, &order).await, OrderStatus::Completed);

    // Renewing a month shows what it costs and needs its confirmation too.
    let orders = page(&app, &c.session, "/orders").await;
    assert!(orders.contains("Renew a month (USD 10.80)"), "{orders}");
    let resource = orders.split("/resources/").nth(1).and_then(|r| r.split('/').next()).unwrap().to_owned();
    let renew = format!("/resources/{resource}/renew");
    let r = submit(&app, &c.session, &renew, &[]).await;
    assert!(flash(&r).contains("tick the box that confirms the amount of the renewal"), "{}", flash(&r));
    let r = submit(&app, &c.session, &renew, &[("confirm", "yes")]).await;
    assert!(flash(&r).contains("renewed for a month"), "{}", flash(&r));
}

async fn what_a_frozen_customer_cannot_do_is_not_offered(db: TestStore) {
    let (app, _) = world(db).await;
    let p = partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    // A new reseller customer is frozen until its partner sets a budget (R-RCM-02).
    let c = customer(&app, &p.id, "reseller41", AssociationModel::Reseller).await;
    let orders = page(&app, &c.session, "/orders").await;
    assert!(orders.contains(r#"id="blocked""#) && orders.contains("account is frozen"), "{orders}");
    assert!(!orders.contains("Place the order") && !orders.contains("Renew a month"), "{orders}");
    let r =
        submit(&app, &c.session, "/orders", &[("offering", "s6.small.1.linux|ap-southeast-1|2|1"), ("quantity", "1")])
            .await;
    assert!(r.status == 303 || r.status == 422, "{}", r.body);
    let orders = page(&app, &c.session, "/orders").await;
    assert!(orders.contains("Nothing here yet."), "a forged form is still refused by the rules: {orders}");
}

async fn a_refused_sign_in_keeps_the_login_never_the_password(db: TestStore) {
    let (app, _) = world(db).await;
    partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    let login = app.send("GET", "/login", "", &[]).await;
    let anonymous = login
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.split(';').next()?.strip_prefix("opc_csrf=").map(str::to_owned))
        .expect("the sign-in form's CSRF cookie");
    let body = format!("_csrf={anonymous}&login=boss%40acme.example&password=Not-the-right-one-42");
    let headers = [
        ("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()),
        ("Cookie".to_owned(), format!("opc_csrf={anonymous}")),
    ];
    let r = app.send("POST", "/login", &body, &headers).await;
    assert!(r.body.contains("boss@acme.example"), "{}", r.body);
    assert!(!r.body.contains("Not-the-right-one-42"), "the password is never sent back: {}", r.body);
    assert!(r.body.contains(r#"autocomplete="current-password""#), "{}", r.body);
}

/// Issue 17, R-ORG-02 … R-ORG-04: a new member refused for its name, its (registered) email and
/// its password says all three at once in the console, each next to its field, in the reader's
/// language around them; the console API's message names every field.
async fn a_refused_member_shows_every_problem_next_to_its_field_and_the_api_names_them_all(db: TestStore) {
    let (app, _) = world(db).await;
    let p = partner(&app, "boss@acme.example", "Acme Cloud Pte Ltd").await;
    let fields = [("name", ""), ("email", "boss@acme.example"), ("password", "short"), ("position", "member")];
    let r = submit(&app, &p.session, "/partner/members", &fields).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("3 fields need correcting"), "{}", r.body);
    assert!(r.body.contains("The email address has been registered"), "R-ORG-03: {}", r.body);
    assert_eq!(r.body.matches(r#"<p class="error""#).count(), 3, "each next to its field: {}", r.body);
    assert!(r.body.contains(r#"value="boss@acme.example""#) && !r.body.contains("short"), "kept, never the password");

    let body = json!({"name": "", "email": "not-an-email", "password": "short", "position": "member"});
    let r = opc_testkit::console::call(&app, "POST", "/api/v1/partner/members", body, &p.session).await;
    let message = r.assert_error(400, "CBC.0100");
    assert!(message.starts_with("Invalid parameters: name: ") && message.contains("; email: "), "{message}");
    assert!(message.contains("; password: "), "{message}");
}
