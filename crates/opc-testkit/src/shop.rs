//! A small shop for order tests: a catalog selling a server with a disk by the month, partners
//! that joined through HCPN and customers, each signed in to the console and with an access key.

use opc_core::ops::admin;
use opc_domain::association::AssociationModel;
use opc_domain::{AccountId, PartnerId};
use serde_json::{json, Value};

use crate::app::{TestApp, T0};
use crate::console::{call, hcpn_partner, sign_in, staff};
use crate::sign::Credentials;
use crate::{seed, TestStore};

pub const EC2: &str = "hws.service.type.ec2";
pub const EBS: &str = "hws.service.type.ebs";
pub const VM: &str = "s6.small.1.linux";

/// The catalog: the VM at 6.80 a month (EC2), SATA disk at 0.10 per GB a month (EBS).
pub fn catalog() -> Value {
    json!({
        "service_types": [{"code": EC2, "name": "Elastic Cloud Server", "name_zh": "弹性云服务器"},
            {"code": EBS, "name": "Elastic Volume Service"}],
        "resource_types": [{"code": "hws.resource.type.vm", "service_type": EC2, "name": "Cloud server"},
            {"code": "hws.resource.type.volume", "service_type": EBS, "name": "Disk"}],
        "usage_types": [{"code": "Duration", "resource_type": "hws.resource.type.vm", "name": "Duration"}],
        "measure_units": [{"id": 4, "name": "hour", "measure_type": 2}],
        "specs": [{"code": VM, "resource_type": "hws.resource.type.vm", "name": "s6 small", "regions": ["ap-southeast-1"]},
            {"code": "SATA", "resource_type": "hws.resource.type.volume", "name": "SATA disk", "regions": ["ap-southeast-1"]}],
        "prices": [
            {"spec": VM, "region": "ap-southeast-1", "charging_mode": "PERIOD", "period_type": 2, "period_nums": [1, 2, 3], "amount": "6.8"},
            {"spec": "SATA", "region": "ap-southeast-1", "charging_mode": "PERIOD", "period_type": 2, "period_nums": [1, 2, 3], "amount": "0.1"}]})
}

/// A VM with a 40 GB disk for a month: 6.80 on EC2 and 4.00 on EBS.
pub fn vm_with_disk() -> Value {
    json!({"items": [{"cloud_service_type": EC2, "resource_type": "hws.resource.type.vm",
        "resource_spec": VM, "region": "ap-southeast-1", "period_type": 2, "period_num": 1,
        "children": [{"cloud_service_type": EBS, "resource_type": "hws.resource.type.volume",
            "resource_spec": "SATA", "resource_size": 40}]}]})
}

pub struct Partner {
    pub id: PartnerId,
    pub session: String,
    pub creds: Credentials,
}

pub struct Customer {
    pub id: AccountId,
    pub session: String,
    pub creds: Credentials,
}

pub async fn world(db: TestStore) -> (TestApp, String) {
    let app = TestApp::new(db).await;
    let ops = staff(&app).await;
    assert_eq!(call(&app, "PUT", "/api/v1/operator/catalog", catalog(), &ops).await.status, 200);
    (app, ops)
}

/// A partner that joined through HCPN: its console session and an access key.
pub async fn partner(app: &TestApp, email: &str, company: &str) -> Partner {
    let (session, id) = hcpn_partner(app, email, company).await;
    let (key, secret) = admin::create_key(&app.ctx, &id, "test").await.unwrap();
    let id = PartnerId::parse(&id).unwrap();
    let account = app.ctx.store.partner(&id).await.unwrap().unwrap().account_id().as_str().to_owned();
    let creds = Credentials {
        access_key: key.id().as_str().to_owned(),
        secret_key: secret.expose().to_owned(),
        domain_id: account,
    };
    Partner { id, session, creds }
}

/// A customer of `partner` in `model`, signed in and with its own access key.
pub async fn customer(app: &TestApp, partner: &PartnerId, name: &str, model: AssociationModel) -> Customer {
    customer_with(app, partner, name, model, |_| {}).await
}

/// [`customer`], its stored facts changed by `edit` first (see [`seed::edit_account`]).
pub async fn customer_with(
    app: &TestApp,
    partner: &PartnerId,
    name: &str,
    model: AssociationModel,
    edit: impl FnOnce(&mut opc_domain::account::StoredAccount),
) -> Customer {
    let (mut account, association, audit) = seed::customer(name, partner, model, T0);
    let email = format!("{name}@example.com");
    account.set_login(Some(email.clone()), Some(opc_core::passwords::hash_blocking("Secret123!").unwrap()));
    seed::edit_account(&mut account, edit);
    app.ctx.store.insert_customer(&account, &association, &[audit]).await.unwrap();
    let session = sign_in(app, &email, "Secret123!").await;
    let (key, secret) = admin::create_customer_key(&app.ctx, account.id().as_str(), "test").await.unwrap();
    let creds = Credentials {
        access_key: key.id().as_str().to_owned(),
        secret_key: secret.expose().to_owned(),
        domain_id: account.id().as_str().to_owned(),
    };
    Customer { id: account.id().clone(), session, creds }
}

pub async fn place(app: &TestApp, c: &Customer) -> String {
    let r = call(app, "POST", "/api/v1/orders", vm_with_disk(), &c.session).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["order_id"].as_str().unwrap().to_owned()
}

/// One month of the catalog's VM (`s6.small.1.linux` in `ap-southeast-1`), no children: the
/// order item the use-case stories place.
pub fn vm_month() -> opc_core::ops::orders::Item {
    opc_core::ops::orders::Item {
        product: opc_domain::order::Product {
            service_type: EC2.into(),
            resource_type: "hws.resource.type.vm".into(),
            spec: VM.into(),
            region: "ap-southeast-1".into(),
            size: None,
        },
        period: Some(opc_domain::catalog::PeriodType::Month),
        period_num: 1,
        quantity: 1,
        children: vec![],
    }
}
