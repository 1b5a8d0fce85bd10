//! `partner-center demo` (and `serve --demo`): a small, realistic channel program loaded into an
//! empty database through the same use cases as real data — the sample catalog, operator staff,
//! a CSP partner, a distributor with a reseller, customers in both models with three months of
//! pay-per-use usage, budgets near and past their limits, a frozen customer awaiting a budget,
//! orders paid, and the bills of the months that have ended — so a newcomer sees full pages at
//! once. Its history is written at the times it tells of (a manual clock walks through them);
//! what happens at "now" (usage notices, bill runs) happens at the real time.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{bail, Context as _};
use opc_core::ops::admin::{self, CreatePartner, PartnerChange};
use opc_core::ops::auth::{Caller, Principal};
use opc_core::ops::customers::{self, NewSubCustomer};
use opc_core::ops::orders::Item;
use opc_core::ops::{bills, catalog, console, orders, usage};
use opc_core::{Clock, Context, ManualClock, Services};
use opc_domain::association::AssociationModel;
use opc_domain::budget::{BudgetAmount, BudgetChange, BudgetType};
use opc_domain::catalog::PeriodType;
use opc_domain::customer::Email;
use opc_domain::notification::Language;
use opc_domain::order::Product;
use opc_domain::partner::{Partner, Program};
use opc_domain::rating::Quantity;
use opc_domain::usage::{Cycle, UsageRecord};
use opc_domain::{AccountId, Millis, Money, Timestamp};

/// The sample catalog (`examples/catalog.json`), which the README's import command uses too.
pub const CATALOG: &str = include_str!("../../../examples/catalog.json");

/// Every demo login's password.
pub const PASSWORD: &str = "Demo-pass-2026";

/// Who signs in to the demo, with which email.
pub const LOGINS: [(&str, &str); 5] = [
    ("Operator staff", "ops@demo.example"),
    ("CSP partner (Lion City Cloud)", "partner@demo.example"),
    ("Distributor (Harbour Distribution)", "distributor@demo.example"),
    ("Reseller (Orchard Resellers)", "reseller@demo.example"),
    ("Reseller customer (ada-robotics)", "ada@demo.example"),
];

const OPERATOR: &str = "demo";
const REGION: &str = "ap-southeast-1";
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// What loading found.
pub enum Loaded {
    Now,
    Already,
}

/// A demo customer: its account name, model, servers running (spec, count) and, for a reseller
/// customer, its monthly budget as the share of this month's spend so far it stands at
/// (`None`: no budget, so it stays frozen) and whether it freezes when used up.
struct Customer {
    name: &'static str,
    email: Option<&'static str>,
    model: AssociationModel,
    servers: &'static [(&'static str, i64)],
    budget_used_percent: Option<i64>,
    auto_freeze: bool,
    joined_day: i64,
}

const S6: &str = "s6.large.2.linux";
const C6: &str = "c6.xlarge.2.linux";

fn csp_customers() -> Vec<Customer> {
    use AssociationModel::{Referral, Reseller};
    vec![
        customer("ada-robotics", Some("ada@demo.example"), Reseller, &[(S6, 2)], Some(88), false, 0),
        customer("bukit-analytics", None, Reseller, &[(C6, 1)], Some(79), false, 3),
        customer("changi-logistics", None, Reseller, &[(S6, 1)], Some(40), false, 6),
        customer("dempsey-games", None, Reseller, &[(C6, 2)], Some(96), true, 9),
        customer("esplanade-media", None, Reseller, &[], None, false, 12),
        customer("fullerton-fintech", None, Referral, &[(C6, 1)], None, false, 15),
        customer("geylang-retail", None, Referral, &[(S6, 1)], None, false, 20),
    ]
}

fn reseller_customers() -> Vec<Customer> {
    vec![
        customer("holland-health", None, AssociationModel::Reseller, &[(S6, 1)], Some(60), false, 25),
        customer("jurong-engineering", None, AssociationModel::Reseller, &[(C6, 1)], Some(92), false, 30),
    ]
}

fn customer(
    name: &'static str,
    email: Option<&'static str>,
    model: AssociationModel,
    servers: &'static [(&'static str, i64)],
    budget_used_percent: Option<i64>,
    auto_freeze: bool,
    joined_day: i64,
) -> Customer {
    Customer { name, email, model, servers, budget_used_percent, auto_freeze, joined_day }
}

/// Loads the demo into `ctx`'s database unless it is there already. Refuses a database that
/// holds anything else, and one where an earlier load was interrupted.
pub async fn load(ctx: &Context) -> anyhow::Result<Loaded> {
    let staff = Email::parse(LOGINS[0].1).expect("a valid email");
    let partner = Email::parse(LOGINS[1].1).expect("a valid email");
    if ctx.store.staff_by_email(&staff).await?.is_some() {
        return Ok(Loaded::Already);
    }
    if ctx.store.account_by_email(&partner).await?.is_some() {
        bail!("an earlier demo load did not finish: load the demo into an empty database (another --data-dir)");
    }
    if ctx.store.first_sealed_access_key().await?.is_some() {
        bail!("the database already holds partners: the demo loads into an empty database only (another --data-dir)");
    }

    let now = ctx.clock.now();
    let offset = ctx.policy.billing_offset;
    let this_month = Cycle::of(now, offset);
    let first_month = (0..3).try_fold(this_month, |c, _| c.previous()).context("a month three months back")?;
    let (start, _) = opc_domain::package::cycle_bounds(first_month, offset);
    // The story is written at its own times; what happens "now" at the real time.
    let clock = Arc::new(ManualClock::new(start.plus(Millis(DAY + 9 * HOUR))));
    let past = Context::new(Services { clock: clock.clone(), ..(**ctx).clone() });

    let sample = opc_store::catalog::parse(CATALOG).map_err(|problems| anyhow::anyhow!("{problems:?}"))?;
    let version = catalog::import(&past, &sample, OPERATOR).await.context("the sample catalog")?;
    tracing::debug!(version, "demo catalog imported");

    let enroll = |name, program, distributor, email| CreatePartner {
        name,
        country: "SG",
        program,
        distributor,
        login: Some((email, PASSWORD)),
        operator: OPERATOR,
    };
    let csp = admin::create_partner(
        &past,
        enroll("Lion City Cloud Pte Ltd", Program::CloudSolutionProvider, None, LOGINS[1].1),
    )
    .await?;
    let distributor = admin::create_partner(
        &past,
        enroll("Harbour Distribution Pte Ltd", Program::DistributionPartner, None, LOGINS[2].1),
    )
    .await?;
    let reseller = admin::create_partner(
        &past,
        enroll("Orchard Resellers Pte Ltd", Program::Reseller, Some(distributor.partner.id().as_str()), LOGINS[3].1),
    )
    .await?;
    for (partner, quota) in [(&csp.partner, 5_000), (&distributor.partner, 3_000), (&reseller.partner, 1_000)] {
        admin::change_partner(&past, partner.id().as_str(), PartnerChange::Quota(Money::from_major(quota)?), OPERATOR)
            .await?;
    }

    // Customers join over the first month.
    let mut joined = vec![];
    for (partner, list) in [(&csp.partner, csp_customers()), (&reseller.partner, reseller_customers())] {
        for c in list {
            clock.set(start.plus(Millis((1 + c.joined_day) * DAY + 10 * HOUR)));
            let id = create_customer(&past, partner, &c).await?;
            if c.budget_used_percent.is_some() {
                // Onboarded at once: a first budget, and unfrozen (R-RCM-02).
                set_budget(&past, partner, &id, 1_000, false).await?;
            }
            joined.push((partner.clone(), c, id, clock.now()));
        }
    }

    // Every server runs all day from the day after its customer joined; today's hours so far.
    let mut records = vec![];
    let mut spend_this_month: HashMap<AccountId, i64> = HashMap::new();
    let (month_start, _) = opc_domain::package::cycle_bounds(this_month, offset);
    let prices = hourly_prices(&sample);
    for (_, c, id, at) in &joined {
        let mut day = day_start(*at, offset).plus(Millis(DAY));
        while day < now {
            let hours = (now.since(day).0 / HOUR).min(24);
            if hours > 0 {
                for (spec, count) in c.servers {
                    for n in 0..*count {
                        records.push(record(id, spec, n, day, hours)?);
                        if day >= month_start {
                            *spend_this_month.entry(id.clone()).or_default() += prices[*spec] * hours;
                        }
                    }
                }
            }
            day = day.plus(Millis(DAY));
        }
    }

    // Two customers' yearly/monthly servers, bought for them by their partner on the first of
    // this month under the authorization letter they accepted (R-RCM-14).
    clock.set(month_start.plus(Millis(HOUR)));
    for name in ["ada-robotics", "changi-logistics"] {
        let (partner, _, id, _) = joined.iter().find(|(_, c, ..)| c.name == name).expect("a demo customer");
        let account = past.store.account(id).await?.context("a demo customer's account")?;
        orders::authorize(&past, &account, true).await?;
        let principal = Principal::Partner(Arc::new(caller(partner)));
        let order = orders::place(&past, &principal, Some(id.as_str()), &[server_with_disk()]).await?;
        let order = orders::pay(&past, &principal, order.id(), &Default::default()).await?;
        *spend_this_month.entry(id.clone()).or_default() +=
            order.lines().iter().map(|l| l.official().e8()).sum::<i64>();
    }

    // Budgets, set on the first of this month: each stands at its share of the month's spend.
    clock.set(month_start.plus(Millis(2 * HOUR)));
    for (partner, c, id, _) in &joined {
        let Some(percent) = c.budget_used_percent else { continue };
        let spent = spend_this_month.get(id).copied().unwrap_or(0);
        // Whole currency units, rounded up, at least one.
        let budget = (i128::from(spent) * 100 / i128::from(percent) + 99_999_999) / 100_000_000;
        set_budget(&past, partner, id, budget.max(1), c.auto_freeze).await?;
    }

    // The usage, as the metering system reports it now.
    let report = usage::ingest(ctx, OPERATOR, records.into_iter().enumerate().collect(), vec![]).await?;
    tracing::debug!(accepted = report.accepted, notices = report.notices, "demo usage ingested");

    // The months that have ended are closed into bills.
    if let Some(last) = bills::last_closed_month(ctx, now) {
        let mut cycle = first_month;
        while cycle <= last {
            bills::run(ctx, cycle, OPERATOR, |_| {}).await?;
            cycle = cycle.next().context("the next month")?;
        }
    }

    // Last, so that a load that stopped before it is told apart from a finished one.
    console::create_staff(&past, LOGINS[0].1, "Olga Ops", PASSWORD, OPERATOR).await?;
    Ok(Loaded::Now)
}

/// The demo's logins, to print.
pub fn logins_text(console: &str) -> String {
    let mut text = format!("Open {console} and sign in with any of these (password {PASSWORD}):\n");
    for (who, email) in LOGINS {
        text.push_str(&format!("  {email:<26} {who}\n"));
    }
    text
}

/// Sets a monthly budget of `whole` currency units and unfreezes the customer.
async fn set_budget(
    ctx: &Context,
    partner: &Partner,
    id: &AccountId,
    whole: i128,
    auto_freeze: bool,
) -> anyhow::Result<()> {
    let change = BudgetChange {
        budget_type: BudgetType::Monthly,
        amount: BudgetAmount::parse(&whole.to_string()).map_err(anyhow::Error::msg)?,
        auto_freeze: Some(auto_freeze),
    };
    customers::set_budget(ctx, &caller(partner), None, id.as_str(), &change, true).await?;
    Ok(())
}

fn caller(partner: &Partner) -> Caller {
    Caller { partner: partner.clone(), access_key: None, member: None }
}

async fn create_customer(ctx: &Context, partner: &Partner, c: &Customer) -> anyhow::Result<AccountId> {
    let caller = caller(partner);
    let code = match c.email {
        Some(email) => {
            customers::send_verification_code(ctx, &caller, email, None, Language::English).await?;
            Some(emailed_code(ctx, email).await?)
        }
        None => None,
    };
    let account = customers::create_customer(
        ctx,
        &caller,
        &NewSubCustomer {
            domain_name: Some(c.name),
            email: c.email,
            verification_code: code.as_deref(),
            domain_area: Some("SG"),
            xaccount_id: Some(c.name),
            xaccount_type: Some("demo_crm"),
            password: c.email.map(|_| PASSWORD),
            mobile_phone: None,
            marketing_opt_out: false,
            indirect_partner: None,
            model: Some(c.model),
        },
    )
    .await
    .with_context(|| format!("the demo customer {}", c.name))?;
    Ok(account.id().clone())
}

/// The six-digit code the outbox holds for `email`, as the customer would read it.
async fn emailed_code(ctx: &Context, email: &str) -> anyhow::Result<String> {
    let mail = ctx.store.notifications(Some(email), 1).await?.pop().context("the emailed code")?;
    mail.body
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .map(str::to_owned)
        .context("a six-digit code in the email")
}

/// The sample catalog's pay-per-use price per hour of each spec in the demo's region, in units
/// of 10⁻⁸: read from the catalog, so the budgets follow it.
fn hourly_prices(catalog: &opc_domain::catalog::Catalog) -> HashMap<&str, i64> {
    catalog
        .prices
        .iter()
        .filter(|p| p.region == REGION && p.charging_mode == opc_domain::catalog::ChargingMode::OnDemand)
        .map(|p| (p.spec.as_str(), p.amount.e8()))
        .collect()
}

/// The start of `at`'s day in the billing zone.
fn day_start(at: Timestamp, offset: Millis) -> Timestamp {
    let local = at.plus(offset);
    let (y, m, d, ..) = local.to_utc();
    Timestamp::from_utc(y, m, d, 0, 0, 0).expect("a day that exists").plus(Millis(-offset.0))
}

fn record(customer: &AccountId, spec: &str, n: i64, day: Timestamp, hours: i64) -> anyhow::Result<UsageRecord> {
    let resource = format!("{}-{}-{n}", customer.as_str(), spec.split('.').next().unwrap_or(spec));
    Ok(UsageRecord {
        id: format!("{resource}-{}", day.unix_ms()),
        customer: customer.clone(),
        resource_id: resource,
        service_type: "hws.service.type.ec2".into(),
        resource_type: "hws.resource.type.vm".into(),
        spec: spec.into(),
        region: REGION.into(),
        usage_factor: "Duration".into(),
        usage: Quantity::from_units(hours).context("whole hours")?,
        usage_measure_id: 4,
        ended_at: day.plus(Millis(hours * HOUR - 1_000)),
    })
}

/// A month of an s6 server with a 40 GB SSD.
fn server_with_disk() -> Item {
    let product = |service: &str, resource: &str, spec: &str, size| Product {
        service_type: service.into(),
        resource_type: resource.into(),
        spec: spec.into(),
        region: REGION.into(),
        size,
    };
    Item {
        product: product("hws.service.type.ec2", "hws.resource.type.vm", S6, None),
        period: Some(PeriodType::Month),
        period_num: 1,
        quantity: 1,
        children: vec![product("hws.service.type.ebs", "hws.resource.type.volume", "SSD", Some(40))],
    }
}
