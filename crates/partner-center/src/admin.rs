//! `partner-center admin …`: operator administration, scriptable with `--json`.

use anyhow::Context as _;
use clap::{Subcommand, ValueEnum};
use opc_core::ops::admin::{self, CreatePartner, PartnerChange};
use opc_core::ops::bills;
use opc_core::ops::coupons;
use opc_core::ops::discounts;
use opc_core::ops::funds::{self, OperatorEntry};
use opc_core::Context;
use opc_domain::access_key::KeyState;
use opc_domain::bill::{Discount, SettlementTerms, TaxRate};
use opc_domain::catalog::ChargingMode;
use opc_domain::coupon::{CouponRequest, Limits, Validity};
use opc_domain::discount::{Exclusion, IncentivePolicy};
use opc_domain::funds::{Entry, Holder};
use opc_domain::partner::{Partner, PartnerState, Program};
use opc_domain::{Money, Timestamp};
use serde_json::json;

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Partners.
    Partner {
        #[command(subcommand)]
        command: PartnerCommand,
    },
    /// Access keys (AK/SK) for the partner API.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Operator staff, who sign in to the console. The password is read from standard input.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// The notification outbox.
    Notifications {
        #[command(subcommand)]
        command: NotificationCommand,
    },
    /// The product catalog (service, resource and usage types, units, specs, list prices).
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// The administrative regions partners list (`list_provinces`, `list_cities`,
    /// `list_counties`).
    Regions {
        #[command(subcommand)]
        command: RegionsCommand,
    },
    /// Close a month: every customer's and partner's bill of it, exactly once. Resumes an
    /// interrupted run; a month already closed changes nothing.
    BillRun {
        /// The month, `YYYY-MM` (in the billing zone); it must have ended.
        #[arg(long)]
        month: String,
        /// Take the run over from a process that holds it but is gone (killed): without this,
        /// its lease (5 minutes from its last step) must run out first.
        #[arg(long)]
        take_over: bool,
        #[arg(long)]
        json: bool,
    },
    /// Set a partner's settlement discounts off list price from a month on (R-BILL-01).
    SettlementTerms {
        #[arg(long)]
        partner: String,
        /// The first month they apply to, `YYYY-MM`.
        #[arg(long)]
        from: String,
        /// The discount for every service type without its own, e.g. 0.15 for 15 % off.
        #[arg(long)]
        default: String,
        /// A service type's own discount, `hws.service.type.ec2=0.2`; repeatable.
        #[arg(long = "service")]
        services: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Grant a partner a coupon quota (R-CPN-01), from which it issues cash coupons to its
    /// reseller customers or passes quota to its resellers.
    CouponQuota {
        #[arg(long)]
        partner: String,
        /// Whole cents, e.g. 500 or 99.95.
        #[arg(long)]
        value: String,
        /// From when it may be used, RFC 3339 (default: now).
        #[arg(long)]
        from: Option<String>,
        /// Until when, RFC 3339, excluded.
        #[arg(long)]
        to: String,
        /// A cloud service type it is limited to; repeatable (none: any).
        #[arg(long = "service-type")]
        service_types: Vec<String>,
        #[arg(long, default_value = "")]
        remark: String,
        #[arg(long)]
        json: bool,
    },
    /// Convert what is left of a partner's coupon quotas into cash coupons of its own for all
    /// its reseller customers (R-CPN-05), once its bill of last month is generated.
    ConvertCouponQuotas {
        #[arg(long)]
        partner: String,
        #[arg(long)]
        json: bool,
    },
    /// Give a partner a cash coupon of its own, paying its bills for all its reseller
    /// customers' spend, or with `--customer` for one customer's only (R-CPN-09).
    Coupon {
        #[arg(long)]
        partner: String,
        #[arg(long)]
        customer: Option<String>,
        /// Whole cents, e.g. 100.
        #[arg(long)]
        face_value: String,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: String,
        #[arg(long = "service-type")]
        service_types: Vec<String>,
        /// The billing mode it pays: period (yearly/monthly) or on-demand (pay-per-use);
        /// repeatable (none: both).
        #[arg(long = "billing-mode", value_parser = ["period", "on-demand"])]
        billing_modes: Vec<String>,
        /// Its usage-limit ratio: the largest share of each bill line it pays, e.g. 0.5.
        #[arg(long)]
        max_share: Option<String>,
        #[arg(long, default_value = "")]
        memo: String,
        #[arg(long)]
        json: bool,
    },
    /// Test-coupon requests (R-CPN-15 … R-CPN-24): list, approve, reject, or file a project-based
    /// request for one customer on a partner's behalf.
    TestCoupon {
        #[command(subcommand)]
        command: TestCouponCommand,
    },
    /// Record money a customer paid into its own cash account (a top-up; not for reseller-model
    /// customers, whom their partner funds): what an enterprise master moves to its members.
    CustomerPayment {
        #[arg(long)]
        customer: String,
        /// The amount, at most 2 decimals, e.g. 500 or 99.95.
        #[arg(long)]
        amount: String,
        #[arg(long, default_value = "")]
        memo: String,
        #[arg(long)]
        json: bool,
    },
    /// Stored-value cards customers bought (B2.5.8): record one, or list them.
    StoredValueCard {
        #[command(subcommand)]
        command: StoredValueCardCommand,
    },
    /// Authorize a partner a discount scope on one cloud service type (R-CPN-25, R-CPN-26): the
    /// largest discount it may give its referral customers, from a time on. Replaces the
    /// partner's scope on that service type.
    DiscountScope {
        #[arg(long)]
        partner: String,
        #[arg(long)]
        service_type: String,
        /// The largest fraction off the list price, e.g. 0.2 for 20 % off.
        #[arg(long)]
        max: String,
        /// From when, RFC 3339 (default: now).
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Set a cloud service type's discount policy: whether partner discounts apply to it
    /// (`--allow`), what excludes it whatever the list says (`--exclusion`), and its incentive
    /// policy (B2.9.2 codes 0, 1, 2, 13).
    DiscountPolicy {
        #[arg(long)]
        service_type: String,
        #[arg(long)]
        allow: bool,
        #[arg(long, value_enum)]
        exclusion: Option<ExclusionArg>,
        #[arg(long, default_value = "0")]
        incentive_policy: String,
        #[arg(long)]
        json: bool,
    },
    /// Set the output tax rate of partners in a country, e.g. `--country SG --rate 0.09`.
    TaxRate {
        #[arg(long)]
        country: String,
        #[arg(long)]
        rate: String,
        #[arg(long)]
        json: bool,
    },
}

/// What the seeds exclude from partner discounts (R-CPN-29).
#[derive(Clone, Copy, ValueEnum)]
pub enum ExclusionArg {
    Spot,
    Koogallery,
    OcsaNode,
}

#[derive(Subcommand)]
pub enum RegionsCommand {
    /// Replace the regions with a document's provinces, cities and counties (the format is in
    /// docs/regions.md; docs/regions-sample.json is a sample); every problem is reported and
    /// nothing changes if there is one.
    Import {
        /// The JSON document; `-` reads standard input.
        file: std::path::PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum CatalogCommand {
    /// Import a catalog document (the format of `PUT /api/v1/operator/catalog`) as the new
    /// version; every problem is reported and nothing changes if there is one.
    Import {
        /// The JSON document; `-` reads standard input.
        file: std::path::PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Print the current catalog document.
    Show,
}

#[derive(Subcommand)]
pub enum StaffCommand {
    /// Create a staff member: `echo "$PASSWORD" | partner-center admin staff create --email … --name …`.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum NotificationCommand {
    /// Queued notifications, newest first.
    List {
        /// Only those to this recipient.
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum PartnerCommand {
    /// Create an enrolled partner with a first access key (an audited operator override of the
    /// HCPN and program flow).
    Create {
        #[arg(long)]
        name: String,
        /// ISO 3166-1 alpha-2 country or region code, e.g. SG.
        #[arg(long)]
        country: String,
        #[arg(long)]
        program: ProgramArg,
        /// The distributor of a reseller (its partner id).
        #[arg(long)]
        distributor: Option<String>,
        /// Lets the partner's account sign in to the console with this email; the password is
        /// read from standard input.
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Freeze a partner's account (R-QUOTA-10): no customer development or disassociation;
    /// its customers (and a distributor's resellers and their customers) are frozen with it.
    Freeze {
        #[arg(long)]
        partner: String,
        #[arg(long)]
        json: bool,
    },
    /// Unfreeze a partner's account.
    Unfreeze {
        #[arg(long)]
        partner: String,
        #[arg(long)]
        json: bool,
    },
    /// Set a partner's consumption quota (its credit limit), e.g. 50000 or 1234.56.
    Quota {
        #[arg(long)]
        partner: String,
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        #[arg(long)]
        json: bool,
    },
    /// Record money received from a partner on its account balance (a repayment, or an
    /// advance that stays on the balance), e.g. 1000 or 99.95.
    Payment {
        #[arg(long)]
        partner: String,
        #[arg(long)]
        amount: String,
        #[arg(long, default_value = "")]
        memo: String,
        #[arg(long)]
        json: bool,
    },
    /// Correct a partner's account balance by an amount, negative to take (never below zero).
    Adjust {
        #[arg(long)]
        partner: String,
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        #[arg(long, default_value = "")]
        memo: String,
        #[arg(long)]
        json: bool,
    },
    /// Show a partner's account balance.
    Balance {
        #[arg(long)]
        partner: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Issue a new key pair to a partner, or to a customer account for its own reads.
    Create {
        #[arg(long, required_unless_present = "customer", conflicts_with = "customer")]
        partner: Option<String>,
        /// The customer's account (domain) id.
        #[arg(long)]
        customer: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key: requests signed with it are refused from now on.
    Revoke {
        #[arg(long)]
        access_key: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum StoredValueCardCommand {
    /// Record a stored-value card a customer bought: its balance starts at the face value.
    /// Not for a reseller customer, whose orders its partner's bill pays.
    Issue {
        #[arg(long)]
        customer: String,
        #[arg(long)]
        name: String,
        /// Whole cents, e.g. 500 or 99.50.
        #[arg(long)]
        face_value: String,
        /// From when, RFC 3339 (default: now).
        #[arg(long)]
        from: Option<String>,
        /// Until when (excluded), RFC 3339.
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
    },
    /// Every customer's cards (or one customer's), newest first.
    List {
        #[arg(long)]
        customer: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum TestCouponCommand {
    /// Every partner's requests, newest first.
    List {
        /// Only the pending ones.
        #[arg(long)]
        pending: bool,
        #[arg(long)]
        json: bool,
    },
    /// Approve a pending request: its test coupon is issued (R-CPN-15, R-CPN-16).
    Approve {
        #[arg(long)]
        request: String,
        #[arg(long)]
        json: bool,
    },
    /// Reject a pending request, with a reason.
    Reject {
        #[arg(long)]
        request: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// File a project-based request on a partner's behalf for one reseller customer (R-CPN-20):
    /// outside the tier's limit; its coupon is for that customer only.
    Project {
        #[arg(long)]
        partner: String,
        #[arg(long)]
        customer: String,
        /// Whole cents, e.g. 2000.
        #[arg(long)]
        amount: String,
        /// The shared Price Calculator link (R-CPN-24).
        #[arg(long)]
        resource_config: String,
        #[arg(long)]
        purpose: String,
        /// Days the coupon is valid from approval (default: the deployment's).
        #[arg(long)]
        days: Option<u32>,
        #[arg(long)]
        background: String,
        /// `YYYY-MM-DD`.
        #[arg(long)]
        expected_order_date: String,
        #[arg(long)]
        expected_order_amount: String,
        #[arg(long)]
        json: bool,
    },
}

fn test_coupon_request_json(r: &opc_domain::coupon::test_coupon::TestCouponRequest) -> serde_json::Value {
    use opc_domain::coupon::test_coupon::RequestStatus;
    let coupon = match &r.status {
        RequestStatus::Approved { coupon, .. } => Some(coupon.as_str()),
        RequestStatus::Pending | RequestStatus::Rejected { .. } => None,
    };
    json!({"request_id": r.id, "partner_id": r.partner.as_str(), "customer_id": r.customer().map(|c| c.as_str()),
           "amount": r.amount.to_cents_string(), "duration_days": r.duration_days, "status": r.status.word(),
           "coupon_id": coupon, "requested_at": r.requested_at.to_rfc3339(), "requested_by": r.requested_by})
}

fn card_json(c: &opc_domain::stored_value::StoredValueCard) -> serde_json::Value {
    json!({"card_id": c.id(), "card_name": c.name(), "customer_id": c.customer().as_str(),
           "face_value": c.face_value().to_plain_string(), "balance": c.balance().to_plain_string(),
           "effective_time": c.valid_from().to_rfc3339(), "expire_time": c.valid_to().to_rfc3339()})
}

async fn stored_value_card(ctx: &Context, operator: &str, command: StoredValueCardCommand) -> anyhow::Result<()> {
    use opc_core::ops::stored_value::{self, CardFilter};
    match command {
        StoredValueCardCommand::Issue { customer, name, face_value, from, to, json } => {
            let face_value =
                Money::parse_with_scale(&face_value, 2).map_err(|e| anyhow::anyhow!("invalid --face-value: {e}"))?;
            let validity = validity(ctx, from.as_deref(), &to)?;
            let c =
                stored_value::issue(ctx, operator, &customer, &name, face_value, (validity.from, validity.to)).await?;
            print(
                json,
                card_json(&c),
                format!(
                    "Recorded stored-value card {} of {} for customer {customer}.",
                    c.id(),
                    c.face_value().to_plain_string()
                ),
            );
        }
        StoredValueCardCommand::List { customer, json } => {
            let (cards, _) = stored_value::all_cards(ctx, customer.as_deref(), &CardFilter::default()).await?;
            let text = cards
                .iter()
                .map(|c| {
                    format!(
                        "{} {} {} {}/{} until {}",
                        c.id(),
                        c.customer(),
                        c.name(),
                        c.balance().to_plain_string(),
                        c.face_value().to_plain_string(),
                        c.valid_to().to_rfc3339()
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            print(json, json!(cards.iter().map(card_json).collect::<Vec<_>>()), text);
        }
    }
    Ok(())
}

async fn test_coupon(ctx: &Context, operator: &str, command: TestCouponCommand) -> anyhow::Result<()> {
    use opc_core::ops::test_coupons::{self, Decision, ProjectFacts};
    use opc_domain::coupon::test_coupon::{Draft, PriceLink};
    match command {
        TestCouponCommand::List { pending, json } => {
            let all = test_coupons::all_requests(ctx, pending).await?;
            let text = all
                .iter()
                .map(|r| {
                    format!(
                        "{} {} {} {} {}",
                        r.id,
                        r.partner,
                        r.amount.to_cents_string(),
                        r.status.word(),
                        r.customer().map_or("all customers", |c| c.as_str())
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            print(json, json!(all.iter().map(test_coupon_request_json).collect::<Vec<_>>()), text);
        }
        TestCouponCommand::Approve { request, json } => {
            let (r, c) = test_coupons::decide(ctx, operator, &request, &Decision::Approve).await?;
            let coupon = c.as_ref().map_or(String::new(), |c| c.id.clone());
            print(json, test_coupon_request_json(&r), format!("Approved {request}: test coupon {coupon}."));
        }
        TestCouponCommand::Reject { request, reason, json } => {
            let (r, _) = test_coupons::decide(ctx, operator, &request, &Decision::Reject { reason }).await?;
            print(json, test_coupon_request_json(&r), format!("Rejected {request}."));
        }
        TestCouponCommand::Project {
            partner,
            customer,
            amount,
            resource_config,
            purpose,
            days,
            background,
            expected_order_date,
            expected_order_amount,
            json,
        } => {
            let money = |flag: &str, text: &str| {
                Money::parse_with_scale(text, 2).map_err(|e| anyhow::anyhow!("invalid --{flag}: {e}"))
            };
            let draft = Draft {
                amount: money("amount", &amount)?,
                resource_config: PriceLink::parse(&resource_config)
                    .map_err(|e| anyhow::anyhow!("invalid --resource-config: {e}"))?,
                purpose,
                duration_days: days,
            };
            let expected_order_at = Timestamp::parse_rfc3339(&format!("{expected_order_date}T00:00:00Z"))
                .map_err(|_| anyhow::anyhow!("invalid --expected-order-date: must be YYYY-MM-DD"))?;
            let facts = ProjectFacts {
                customer,
                background,
                expected_order_at,
                expected_order_amount: money("expected-order-amount", &expected_order_amount)?,
            };
            let r = test_coupons::file_project(ctx, operator, &partner, facts, &draft).await?;
            print(json, test_coupon_request_json(&r), format!("Filed test-coupon request {} for {partner}.", r.id));
        }
    }
    Ok(())
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ProgramArg {
    Csp,
    Distributor,
    Reseller,
}

impl From<ProgramArg> for Program {
    fn from(p: ProgramArg) -> Program {
        match p {
            ProgramArg::Csp => Program::CloudSolutionProvider,
            ProgramArg::Distributor => Program::DistributionPartner,
            ProgramArg::Reseller => Program::Reseller,
        }
    }
}

fn operator() -> String {
    std::env::var("USER").map(|u| format!("cli:{u}")).unwrap_or_else(|_| "cli".to_owned())
}

fn print(json: bool, value: serde_json::Value, text: String) {
    if json {
        println!("{value}");
    } else {
        println!("{text}");
    }
}

pub async fn run(ctx: &Context, command: AdminCommand) -> anyhow::Result<()> {
    let operator = operator();
    match command {
        AdminCommand::Catalog { command: CatalogCommand::Import { file, json } } => {
            let text = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?
            };
            let catalog = opc_store::catalog::parse(&text).map_err(opc_core::ops::catalog::CatalogError::Invalid)?;
            let version = opc_core::ops::catalog::import(ctx, &catalog, &operator).await?;
            let text = format!(
                "Imported catalog version {version}: {} service types, {} resource types, {} specs, {} prices.",
                catalog.service_types.len(),
                catalog.resource_types.len(),
                catalog.specs.len(),
                catalog.prices.len()
            );
            print(json, json!({"version": version}), text);
        }
        AdminCommand::Regions { command: RegionsCommand::Import { file, json } } => {
            let text = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?
            };
            let set = opc_store::regions::parse(&text).map_err(|e| anyhow::anyhow!("{e}"))?;
            opc_core::ops::regions::import(ctx, &set, &operator).await?;
            let [provinces, cities, counties] = opc_domain::region::Level::ALL.map(|l| set.count(l));
            let text = format!("Imported {provinces} provinces, {cities} cities and {counties} counties.");
            print(json, json!({"provinces": provinces, "cities": cities, "counties": counties}), text);
        }
        AdminCommand::Catalog { command: CatalogCommand::Show } => {
            let (_, catalog) = opc_core::ops::catalog::current(ctx).await?;
            println!("{}", opc_store::catalog::to_json(&catalog));
        }
        AdminCommand::Partner {
            command: PartnerCommand::Create { name, country, program, distributor, email, json },
        } => {
            let password = match &email {
                Some(_) => Some(read_password()?),
                None => None,
            };
            let cmd = CreatePartner {
                name: &name,
                country: &country,
                program: program.into(),
                distributor: distributor.as_deref(),
                login: email.as_deref().zip(password.as_deref()),
                operator: &operator,
            };
            let created = admin::create_partner(ctx, cmd).await?;
            let value = json!({
                "partner_id": created.partner.id().as_str(),
                "domain_id": created.account.id().as_str(),
                "account_name": created.account.name().as_str(),
                "access_key": created.access_key.as_str(),
                "secret_key": created.secret_key.expose(),
            });
            let text = format!(
                "Created partner {name}.\n  partner_id   {}\n  domain_id    {}\n  account_name {}\n  access_key   {}\n  secret_key   {}\nThe secret key is shown only now: store it safely.",
                created.partner.id(),
                created.account.id(),
                created.account.name().as_str(),
                created.access_key,
                created.secret_key.expose()
            );
            print(json, value, text);
        }
        AdminCommand::Key { command: KeyCommand::Create { partner, customer, json } } => {
            let (key, secret) = match (partner, customer) {
                (Some(partner), _) => admin::create_key(ctx, &partner, &operator).await?,
                (None, Some(customer)) => admin::create_customer_key(ctx, &customer, &operator).await?,
                (None, None) => anyhow::bail!("name the key's owner with --partner or --customer"),
            };
            let value = json!({
                "partner_id": key.partner().as_ref().map(|p| p.as_str()),
                "domain_id": key.account().as_str(),
                "access_key": key.id().as_str(),
                "secret_key": secret.expose(),
            });
            let text = format!(
                "Issued a key to account {}.\n  access_key   {}\n  secret_key   {}\nThe secret key is shown only now: store it safely.",
                key.account(), key.id(), secret.expose()
            );
            print(json, value, text);
        }
        AdminCommand::Partner { command: PartnerCommand::Freeze { partner, json } } => {
            let p = admin::change_partner(ctx, &partner, PartnerChange::Freeze, &operator).await?;
            print(json, partner_json(&p), format!("Froze partner {}.", p.id()));
        }
        AdminCommand::Partner { command: PartnerCommand::Unfreeze { partner, json } } => {
            let p = admin::change_partner(ctx, &partner, PartnerChange::Unfreeze, &operator).await?;
            print(json, partner_json(&p), format!("Unfroze partner {}.", p.id()));
        }
        AdminCommand::Partner { command: PartnerCommand::Quota { partner, amount, json } } => {
            let amount = Money::parse(&amount).map_err(|e| anyhow::anyhow!("invalid --amount: {e}"))?;
            let p = admin::change_partner(ctx, &partner, PartnerChange::Quota(amount), &operator).await?;
            print(
                json,
                partner_json(&p),
                format!(
                    "Set the consumption quota of partner {} to {}.",
                    p.id(),
                    p.consumption_quota().to_plain_string()
                ),
            );
        }
        AdminCommand::Partner { command: PartnerCommand::Payment { partner, amount, memo, json } } => {
            let amount = Money::parse_with_scale(&amount, 2).map_err(|e| anyhow::anyhow!("invalid --amount: {e}"))?;
            let entry = funds::record(ctx, &partner, OperatorEntry::Payment(amount), &memo, &operator).await?;
            print(
                json,
                entry_json(&entry),
                format!(
                    "Recorded a payment of {} from partner {partner}; its balance is {}.",
                    amount.to_plain_string(),
                    entry.balance_after.to_plain_string()
                ),
            );
        }
        AdminCommand::Partner { command: PartnerCommand::Adjust { partner, amount, memo, json } } => {
            let amount = Money::parse_with_scale(&amount, 2).map_err(|e| anyhow::anyhow!("invalid --amount: {e}"))?;
            let entry = funds::record(ctx, &partner, OperatorEntry::Adjustment(amount), &memo, &operator).await?;
            print(
                json,
                entry_json(&entry),
                format!(
                    "Adjusted partner {partner}'s balance by {}; it is {}.",
                    amount.to_plain_string(),
                    entry.balance_after.to_plain_string()
                ),
            );
        }
        AdminCommand::Partner { command: PartnerCommand::Balance { partner, json } } => {
            let id = opc_domain::PartnerId::parse(&partner).map_err(|e| anyhow::anyhow!("invalid --partner: {e}"))?;
            ctx.store.partner(&id).await?.ok_or_else(|| anyhow::anyhow!("no partner {partner}"))?;
            let balance = ctx.store.balances(&[Holder::Partner(id)]).await?;
            let amount = balance.first().map_or(Money::ZERO, |b| b.amount());
            print(
                json,
                json!({"partner_id": partner, "balance": amount.to_string()}),
                format!("Partner {partner}'s account balance is {}.", amount.to_plain_string()),
            );
        }
        AdminCommand::BillRun { month, take_over, json } => {
            let cycle = bills::parse_month(&month)?;
            let owner = format!("cli-{}-{}", std::process::id(), hex_suffix());
            let show = !json && std::io::IsTerminal::is_terminal(&std::io::stderr());
            let report = |r: &opc_core::store::BillRun| {
                if show {
                    eprint!("\r{} customers billed, {} partners billed   ", r.customers_done, r.partners_done);
                }
            };
            let run = if take_over {
                bills::take_over(ctx, cycle, &owner, report).await?
            } else {
                bills::run(ctx, cycle, &owner, report).await?
            };
            if show {
                eprintln!();
            }
            let run = match run {
                Some(run) => run,
                None => ctx.store.bill_run(cycle).await?.ok_or_else(|| anyhow::anyhow!("no run of {month}"))?,
            };
            let done = run.phase == opc_core::store::RunPhase::Done;
            let value = json!({
                "month": month,
                "done": done,
                "customers_billed": run.customers_done,
                "partners_billed": run.partners_done,
            });
            let text = if done {
                format!(
                    "{month} is closed: {} customers and {} partners billed.",
                    run.customers_done, run.partners_done
                )
            } else {
                format!("Another process is running the bill run of {month}; try again later.")
            };
            print(json, value, text);
        }
        AdminCommand::SettlementTerms { partner, from, default, services, json } => {
            let cycle = bills::parse_month(&from)?;
            let discount =
                |text: &str| Discount::parse(text).map_err(|e| anyhow::anyhow!("invalid discount {text:?}: {e}"));
            let mut terms = SettlementTerms::flat(discount(&default)?);
            for s in &services {
                let (service, rate) = s
                    .split_once('=')
                    .ok_or_else(|| anyhow::anyhow!("--service takes service_type=discount, not {s:?}"))?;
                terms = terms.with(service.trim(), discount(rate.trim())?);
            }
            bills::set_settlement_terms(ctx, &partner, cycle, &terms, &operator).await?;
            let by_service: serde_json::Map<String, serde_json::Value> =
                terms.by_service_type.iter().map(|(s, d)| (s.clone(), json!(d.fraction_text()))).collect();
            let value = json!({"partner_id": partner, "from": from, "default": terms.default.fraction_text(), "services": by_service});
            print(
                json,
                value,
                format!(
                    "Set partner {partner}'s settlement discounts from {from}: {} off by default.",
                    terms.default.percent_text()
                ),
            );
        }
        AdminCommand::CouponQuota { partner, value, from, to, service_types, remark, json } => {
            let value = Money::parse_with_scale(&value, 2).map_err(|e| anyhow::anyhow!("invalid --value: {e}"))?;
            let validity = validity(ctx, from.as_deref(), &to)?;
            let limits =
                Limits::new(service_types, vec![]).map_err(|e| anyhow::anyhow!("invalid --service-type: {e}"))?;
            let q = coupons::grant_quota(ctx, &operator, &partner, value, validity, limits, &remark).await?;
            print(
                json,
                json!({"quota_id": q.id, "partner_id": q.partner.as_str(), "value": q.value.to_plain_string(),
                       "effective_time": q.validity.from.to_rfc3339(), "expire_time": q.validity.to.to_rfc3339()}),
                format!("Granted partner {partner} coupon quota {} of {}.", q.id, q.value.to_plain_string()),
            );
        }
        AdminCommand::ConvertCouponQuotas { partner, json } => {
            let made = coupons::convert_quotas(ctx, &operator, &partner).await?;
            let list: Vec<_> = made
                .iter()
                .map(|c| {
                    json!({"coupon_id": c.id, "face_value": c.face_value.to_plain_string(),
                                "expire_time": c.validity.to.to_rfc3339()})
                })
                .collect();
            let text = match made.len() {
                0 => format!("Partner {partner} has no quota balance to convert."),
                n => format!("Converted partner {partner}'s quotas into {n} cash coupon(s)."),
            };
            print(json, json!({"partner_id": partner, "coupons": list}), text);
        }
        AdminCommand::Coupon {
            partner,
            customer,
            face_value,
            from,
            to,
            service_types,
            billing_modes,
            max_share,
            memo,
            json,
        } => {
            let face_value =
                Money::parse_with_scale(&face_value, 2).map_err(|e| anyhow::anyhow!("invalid --face-value: {e}"))?;
            let validity = validity(ctx, from.as_deref(), &to)?;
            let modes = billing_modes
                .iter()
                .map(|m| if m == "period" { ChargingMode::Period } else { ChargingMode::OnDemand })
                .collect();
            let share = max_share
                .map(|s| Discount::parse(&s).map_err(|e| anyhow::anyhow!("invalid --max-share: {e}")))
                .transpose()?;
            let limits = Limits::new(service_types, vec![])
                .map_err(|e| anyhow::anyhow!("invalid --service-type: {e}"))?
                .with_modes(modes)
                .with_max_share(share)
                .map_err(|e| anyhow::anyhow!("invalid --max-share: {e}"))?;
            let request = CouponRequest { face_value, from: Some(validity.from), to: Some(validity.to), limits, memo };
            let c = coupons::give_coupon(ctx, &operator, &partner, customer.as_deref(), &request).await?;
            print(
                json,
                json!({"coupon_id": c.id, "partner_id": c.partner.as_str(),
                       "customer_id": c.customer.as_ref().map(|a| a.as_str()), "face_value": c.face_value.to_plain_string()}),
                format!("Gave partner {partner} cash coupon {} of {}.", c.id, c.face_value.to_plain_string()),
            );
        }
        AdminCommand::TestCoupon { command } => test_coupon(ctx, &operator, command).await?,
        AdminCommand::StoredValueCard { command } => stored_value_card(ctx, &operator, command).await?,
        AdminCommand::CustomerPayment { customer, amount, memo, json } => {
            let amount = Money::parse_with_scale(&amount, 2).map_err(|e| anyhow::anyhow!("invalid --amount: {e}"))?;
            let entry = funds::record_customer_payment(ctx, &customer, amount, &memo, &operator).await?;
            print(
                json,
                entry_json(&entry),
                format!(
                    "Recorded a payment of {} from customer {customer}; its balance is {}.",
                    amount.to_plain_string(),
                    entry.balance_after.to_plain_string()
                ),
            );
        }
        AdminCommand::DiscountScope { partner, service_type, max, from, json } => {
            let max = Discount::parse(&max).map_err(|e| anyhow::anyhow!("invalid --max: {e}"))?;
            let from = from
                .map(|f| Timestamp::parse_rfc3339(&f).map_err(|_| anyhow::anyhow!("invalid --from: not RFC 3339")))
                .transpose()?;
            let s = discounts::authorize_scope(ctx, &operator, &partner, &service_type, max, from).await?;
            print(
                json,
                json!({"partner_id": s.partner.as_str(), "service_type": s.service_type,
                       "max_discount": s.max_off.fraction_text(), "from": s.from.to_rfc3339()}),
                format!(
                    "Authorized partner {partner} up to {} off {} from {}.",
                    s.max_off.percent_text(),
                    s.service_type,
                    s.from.to_rfc3339()
                ),
            );
        }
        AdminCommand::DiscountPolicy { service_type, allow, exclusion, incentive_policy, json } => {
            let incentive = match incentive_policy.as_str() {
                "0" => IncentivePolicy::NonSpecific,
                "1" => IncentivePolicy::Specific,
                "2" => IncentivePolicy::NoPerformanceNoRebate,
                "13" => IncentivePolicy::PerformanceNoRebate,
                _ => anyhow::bail!("invalid --incentive-policy: must be 0, 1, 2 or 13"),
            };
            let exclusion = exclusion.map(|e| match e {
                ExclusionArg::Spot => Exclusion::Spot,
                ExclusionArg::Koogallery => Exclusion::KooGallery,
                ExclusionArg::OcsaNode => Exclusion::OcsaNode,
            });
            let p = discounts::set_policy(ctx, &operator, &service_type, allow, incentive, exclusion).await?;
            print(
                json,
                json!({"service_type": p.service_type, "allow_discount": p.allows_discount(),
                       "incentive_policy": incentive_policy}),
                format!(
                    "Partner discounts {} to {}.",
                    if p.allows_discount() { "apply" } else { "do not apply" },
                    p.service_type
                ),
            );
        }
        AdminCommand::TaxRate { country, rate, json } => {
            let parsed = TaxRate::parse(&rate).map_err(|e| anyhow::anyhow!("invalid --rate: {e}"))?;
            bills::set_tax_rate(ctx, &country, parsed, &operator).await?;
            print(
                json,
                json!({"country": country, "rate": parsed.fraction_text()}),
                format!("Set the output tax of {country} to {}.", parsed.percent_text()),
            );
        }
        AdminCommand::Key { command: KeyCommand::Revoke { access_key, json } } => {
            let key = admin::revoke_key(ctx, &access_key, &operator).await?;
            let revoked_at = match key.state() {
                KeyState::Revoked { at } => at.to_rfc3339(),
                KeyState::Active => unreachable!("revoke_key returns a revoked key"),
            };
            let value = json!({"access_key": key.id().as_str(), "domain_id": key.account().as_str(), "state": "revoked", "revoked_at": revoked_at});
            print(
                json,
                value,
                format!("Revoked access key {} of account {} at {revoked_at}.", key.id(), key.account()),
            );
        }
        AdminCommand::Staff { command: StaffCommand::Create { email, name, json } } => {
            let password = read_password()?;
            let staff = opc_core::ops::console::create_staff(ctx, &email, &name, &password, &operator).await?;
            let value =
                json!({"staff_id": staff.id.as_str(), "email": staff.email.as_str(), "name": staff.name.as_str()});
            print(json, value, format!("Created staff member {} <{}>.", staff.name.as_str(), staff.email.as_str()));
        }
        AdminCommand::Notifications { command: NotificationCommand::List { to, limit, json } } => {
            let list = ctx.store.notifications(to.as_deref(), limit.min(1000)).await?;
            let values: Vec<serde_json::Value> = list
                .iter()
                .map(|n| {
                    json!({
                        "id": n.id.as_str(),
                        "channel": "email",
                        "recipient": n.recipient,
                        "subject": n.subject,
                        "body": n.body,
                        "created_at": n.created_at.to_rfc3339(),
                    })
                })
                .collect();
            let text = list
                .iter()
                .map(|n| format!("{}  {}  {}\n    {}", n.created_at, n.recipient, n.subject, n.body))
                .collect::<Vec<_>>()
                .join("\n");
            print(
                json,
                serde_json::Value::Array(values),
                if text.is_empty() { "No notifications.".to_owned() } else { text },
            );
        }
    }
    Ok(())
}

fn partner_json(p: &Partner) -> serde_json::Value {
    let state = match p.state() {
        PartnerState::Normal => "normal",
        PartnerState::Restricted => "restricted",
        PartnerState::Frozen => "frozen",
    };
    json!({"partner_id": p.id().as_str(), "state": state, "consumption_quota": p.consumption_quota().to_plain_string()})
}

/// One line of standard input: a password, never taken from the command line (where other
/// users of the machine could read it).
fn read_password() -> anyhow::Result<String> {
    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .map_err(|e| anyhow::anyhow!("cannot read the password from standard input: {e}"))?;
    Ok(password.trim_end_matches(['\r', '\n']).to_owned())
}

fn entry_json(e: &Entry) -> serde_json::Value {
    json!({
        "entry_id": e.id,
        "partner_id": e.holder.id(),
        "amount": e.amount.to_string(),
        "balance_after": e.balance_after.to_string(),
        "memo": e.memo,
        "at": e.at.to_rfc3339(),
    })
}

fn hex_suffix() -> String {
    let bytes: [u8; 4] = opc_core::ops::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `--from` (default: now) and `--to`, RFC 3339.
fn validity(ctx: &Context, from: Option<&str>, to: &str) -> anyhow::Result<Validity> {
    let parse = |flag: &str, text: &str| {
        opc_domain::Timestamp::parse_rfc3339(text).map_err(|e| anyhow::anyhow!("invalid {flag}: {e}"))
    };
    let from = match from {
        Some(text) => parse("--from", text)?,
        None => ctx.clock.now(),
    };
    Validity::new(from, parse("--to", to)?).map_err(|e| anyhow::anyhow!("invalid --to: {e}"))
}
