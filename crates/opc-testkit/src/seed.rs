//! Seed data for tests, built through the domain and `ops` like real data.

use opc_core::ops::admin::{self, CreatePartner, CreatedPartner};
use opc_core::Context;
use opc_domain::account::{Account, AccountName, StoredAccount};
use opc_domain::association::{Association, AssociationModel, StoredAssociation};
use opc_domain::audit::{Action, Actor, AuditEvent, Subject};
use opc_domain::partner::Program;
use opc_domain::rating::Quantity;
use opc_domain::text::CountryCode;
use opc_domain::usage::UsageRecord;
use opc_domain::{AccountId, AuditEventId, PartnerId, Timestamp};

/// Enrolls a partner through the operator use case.
pub async fn partner(ctx: &Context, name: &str, program: Program, distributor: Option<&PartnerId>) -> CreatedPartner {
    admin::create_partner(
        ctx,
        CreatePartner {
            name,
            country: "SG",
            program,
            distributor: distributor.map(PartnerId::as_str),
            login: None,
            operator: "test",
        },
    )
    .await
    .expect("enroll a partner")
}

fn random16() -> [u8; 16] {
    *uuid::Uuid::new_v4().as_bytes()
}

/// `association` with the partner's `label` and, if given, its sales platform's ids, as a
/// stored one would read: no operation sets a label, so the stories seed it.
pub fn labelled(association: &Association, label: &str, xaccount: Option<(&str, &str)>) -> Association {
    Association::from_stored(StoredAssociation {
        customer: association.customer().clone(),
        partner: association.partner().clone(),
        model: association.model(),
        associated_at: association.associated_at(),
        state: association.state(),
        label: Some(label.to_owned()),
        xaccount_id: xaccount.map(|(id, _)| id.to_owned()),
        xaccount_type: xaccount.map(|(_, platform)| platform.to_owned()),
        account_manager: association.account_manager().cloned(),
        version: association.version(),
    })
}

/// `account` with its stored facts changed as `change` says: the cloud's facts (real-name
/// status, contracts, consumption, …) that no operation sets, so the stories seed them.
pub fn edit_account(account: &mut Account, change: impl FnOnce(&mut StoredAccount)) {
    let mut stored = StoredAccount {
        id: account.id().clone(),
        name: account.name().clone(),
        display_name: account.display_name().map(str::to_owned),
        email: account.email().map(str::to_owned),
        phone: account.phone().map(str::to_owned),
        country: account.country().clone(),
        site: account.site(),
        account_type: account.account_type(),
        real_name: account.real_name(),
        enterprise: account.enterprise(),
        registered_at: account.registered_at(),
        has_credit_card: account.has_credit_card(),
        has_credit_account: account.has_credit_account(),
        arrears: account.arrears(),
        consumption: account.consumption(),
        cash_expenditure: account.cash_expenditure(),
        resources_in_use: account.resources_in_use(),
        reserved_instances: account.reserved_instances(),
        freeze: account.freeze(),
        bd_preregistered: account.bd_preregistered(),
        contracts: account.contracts(),
        password_hash: account.password_hash().map(str::to_owned),
        marketing_opt_out: account.marketing_opt_out(),
        services_enabled_at: account.services_enabled_at(),
        version: account.version(),
    };
    change(&mut stored);
    *account = Account::from_stored(stored);
}

/// A new customer account and its association with `partner`, as the domain decides them
/// (a reseller association freezes the account, R-RCM-02), with its audit event.
pub fn customer(
    name: &str,
    partner: &PartnerId,
    model: AssociationModel,
    now: Timestamp,
) -> (Account, Association, AuditEvent) {
    let mut account = Account::new_registered(
        AccountId::from_random(random16()),
        AccountName::parse(name).expect("a valid account name"),
        CountryCode::parse("SG").expect("SG"),
        now,
    );
    let (association, freeze) = Association::begin(account.id().clone(), partner.clone(), model, now);
    if let Some(freeze) = freeze {
        account.set_freeze(freeze);
    }
    let audit = AuditEvent {
        id: AuditEventId::from_random(random16()),
        at: now,
        actor: Actor::System,
        on_behalf_of: None,
        partner: Some(partner.clone()),
        action: Action::CustomerAssociated,
        subject: Subject { kind: "customer", id: account.id().as_str().to_owned() },
        before: None,
        after: Some(format!("model={model:?}")),
    };
    (account, association, audit)
}

/// A catalog document with one spec, `s6.small.1.linux` of `hws.resource.type.vm`, priced 0.0125
/// an hour pay-per-use in `ap-southeast-1` (the format of `opc_store::catalog`).
pub const ONE_SPEC_CATALOG: &str = r#"{
  "service_types": [{"code": "hws.service.type.ec2", "name": "Elastic Cloud Server"}],
  "resource_types": [{"code": "hws.resource.type.vm", "service_type": "hws.service.type.ec2", "name": "Cloud server"}],
  "usage_types": [{"code": "Duration", "resource_type": "hws.resource.type.vm", "name": "Duration"}],
  "measure_units": [{"id": 4, "name": "hour", "measure_type": 2}],
  "specs": [{"code": "s6.small.1.linux", "resource_type": "hws.resource.type.vm", "name": "s6 small", "regions": ["ap-southeast-1"]}],
  "prices": [{"spec": "s6.small.1.linux", "region": "ap-southeast-1", "charging_mode": "ON_DEMAND",
              "usage_factor": "Duration", "usage_measure_id": 4, "amount": "0.0125"},
             {"spec": "s6.small.1.linux", "region": "ap-southeast-1", "charging_mode": "PERIOD",
              "period_type": 2, "period_nums": [1], "amount": "6.8"}]
}"#;

/// `hours` hours of `ONE_SPEC_CATALOG`'s server `resource` used by `customer`, ended at
/// `ended_at`, as the metering system reports it.
pub fn vm_usage(id: String, customer: &AccountId, resource: String, hours: i64, ended_at: Timestamp) -> UsageRecord {
    UsageRecord {
        id,
        customer: customer.clone(),
        resource_id: resource,
        service_type: "hws.service.type.ec2".into(),
        resource_type: "hws.resource.type.vm".into(),
        spec: "s6.small.1.linux".into(),
        region: "ap-southeast-1".into(),
        usage_factor: "Duration".into(),
        usage: Quantity::from_units(hours).expect("a whole number of hours"),
        usage_measure_id: 4,
        ended_at,
    }
}

/// The running totals ingestion keeps beside its hour rows (`spend_totals`: each customer's
/// spend per cycle and in all, each partner's reseller customers' in all), for hour rows a test
/// or bench wrote straight into `usage_hours`. Both backends; totals already kept (by
/// ingestion) are left as they are.
pub const SPEND_TOTALS_OF_USAGE_HOURS: [&str; 3] = [
    "INSERT INTO spend_totals (scope, period, amount_e8) \
     SELECT 'customer:' || customer_id, cycle, SUM(amount_e8) FROM usage_hours WHERE true GROUP BY customer_id, cycle \
     ON CONFLICT DO NOTHING",
    "INSERT INTO spend_totals (scope, period, amount_e8) \
     SELECT 'customer:' || customer_id, 0, SUM(amount_e8) FROM usage_hours WHERE true GROUP BY customer_id \
     ON CONFLICT DO NOTHING",
    "INSERT INTO spend_totals (scope, period, amount_e8) \
     SELECT 'partner:' || partner_id, 0, SUM(amount_e8) FROM usage_hours WHERE model = 'reseller' GROUP BY partner_id \
     ON CONFLICT DO NOTHING",
];
