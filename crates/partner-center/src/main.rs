//! `partner-center`: serve the Partner Center, migrate its database, administer it.
//!
//! Wiring only: configuration, tracing, the backend chosen from the database URL, the HTTP
//! server with graceful shutdown, and the operator commands, which call `opc_core::ops`.

mod admin;
mod delivery;
mod demo;
mod jobs;
mod setup;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use opc_core::ops::Policy;

/// Open Partner Center: a self-hostable partner-channel system, wire-compatible with Huawei
/// Cloud's BSS partner API.
#[derive(Parser)]
#[command(name = "partner-center", version)]
struct Cli {
    /// Database URL: sqlite://PATH (created on demand) or postgres://USER@HOST/DB. Without it,
    /// DATA_DIR/partner-center.db.
    #[arg(long, env = "DATABASE_URL", global = true)]
    database_url: Option<String>,

    /// Master key (64 hex digits) that encrypts secret keys at rest. Without it, the key in
    /// DATA_DIR/master.key is used, generated on first start.
    #[arg(long, env = "OPC_MASTER_KEY", global = true, hide_env_values = true)]
    master_key: Option<String>,

    /// Folder for local state: the default database, the generated master key, spooled mail.
    #[arg(long, env = "OPC_DATA_DIR", global = true, default_value = "data")]
    data_dir: PathBuf,

    /// Whether a customer in another country than its partner must have been pre-registered
    /// by that partner before it can be associated (R-DEV-04, A-10).
    #[arg(long, env = "OPC_CROSS_COUNTRY_PRE_REGISTRATION", global = true, default_value = "required")]
    cross_country_pre_registration: Requirement,

    /// The billing time zone as minutes east of UTC: billing cycles are its calendar months.
    #[arg(long, env = "OPC_BILLING_OFFSET_MINUTES", global = true, default_value_t = 480,
        value_parser = clap::value_parser!(i64).range(-720..=840))]
    billing_offset_minutes: i64,

    /// R-CPN-22: the test-coupon amount (USD, whole) a partner may have pending and approved, by
    /// tier: Standard, Advanced, Premier, Core.
    #[arg(long, env = "OPC_TEST_COUPON_LIMITS", global = true, default_value = "1000,3000,5000,10000")]
    test_coupon_limits: String,

    /// How many days a test coupon is valid from approval when its request names none.
    #[arg(long, env = "OPC_TEST_COUPON_DAYS", global = true, default_value_t = 30,
        value_parser = clap::value_parser!(u32).range(1..=366))]
    test_coupon_days: u32,

    /// R-CPN-18: a deduction leaving a test coupon below this percentage of its face value
    /// sends the partner a low-balance notice.
    #[arg(long, env = "OPC_TEST_COUPON_LOW_BALANCE_PERCENT", global = true, default_value_t = 20,
        value_parser = clap::value_parser!(u32).range(0..=100))]
    test_coupon_low_balance_percent: u32,

    /// R-NOTIF-04: days between reminders while a test coupon is open.
    #[arg(long, env = "OPC_TEST_COUPON_REMINDER_DAYS", global = true, default_value_t = 7,
        value_parser = clap::value_parser!(u32).range(1..=366))]
    test_coupon_reminder_days: u32,

    /// Log format: text or json.
    #[arg(long, env = "LOG_FORMAT", global = true, default_value = "text")]
    log_format: setup::LogFormat,

    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Requirement {
    Required,
    Optional,
}

#[derive(Subcommand)]
enum Command {
    /// Run migrations, then serve the web console (at `/`), its API (`/api/v1`) and the partner
    /// API (BSS) until SIGINT or SIGTERM.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Partner API requests allowed per second per (source IP, API, account); 0 turns
        /// throttling off.
        #[arg(long, env = "OPC_THROTTLE_PER_SECOND", default_value_t = 10)]
        throttle_per_second: u32,
        /// A sendmail-compatible command the outbox's emails are piped to, e.g.
        /// `/usr/sbin/sendmail -t -i`; without it they are written to DATA_DIR/mail/.
        #[arg(long, env = "OPC_MAIL_COMMAND")]
        mail_command: Option<String>,
        /// A command each text message (SMS) is sent with: run with the phone number as its last
        /// argument, the text on stdin; without it they are written to DATA_DIR/sms/.
        #[arg(long, env = "OPC_SMS_COMMAND")]
        sms_command: Option<String>,
        /// The From of the emails sent.
        #[arg(long, env = "OPC_MAIL_FROM", default_value = "Open Partner Center <noreply@localhost>")]
        mail_from: String,
        /// Let webhooks reach loopback, private and link-local addresses (a test or an
        /// internal deployment); off, a partner's URL cannot make the server call its network.
        #[arg(long, env = "OPC_WEBHOOK_PRIVATE_NETWORKS")]
        webhook_private_networks: bool,
        /// The address browsers reach the console at, e.g. `https://partners.example.com`
        /// behind a TLS proxy. An https:// one makes the console's cookies `Secure` and
        /// `__Host-` prefixed; without it (a local run over plain HTTP) they are neither.
        #[arg(long, env = "OPC_PUBLIC_URL")]
        public_url: Option<opc_core::PublicUrl>,
        /// The day of the next month a month's bills are closed on (in the billing zone).
        #[arg(long, env = "OPC_BILL_CLOSING_DAY", default_value_t = opc_domain::bill::DEFAULT_CLOSING_DAY,
              value_parser = clap::value_parser!(u32).range(1..=28))]
        bill_closing_day: u32,
        /// The hour of that day (0–23, in the billing zone).
        #[arg(long, env = "OPC_BILL_CLOSING_HOUR", default_value_t = opc_domain::bill::DEFAULT_CLOSING_HOUR,
              value_parser = clap::value_parser!(u32).range(0..=23))]
        bill_closing_hour: u32,
        /// Load the demo first (as `partner-center demo` does) and print its logins.
        #[arg(long, env = "OPC_DEMO", value_parser = clap::builder::BoolishValueParser::new())]
        demo: bool,
    },
    /// Load a small, realistic channel program into an empty database — the sample catalog,
    /// operator staff, partners in every role, customers in both models with three months of
    /// usage, budgets, orders and bills — and print the logins. Nothing happens if it is there.
    Demo,
    /// Apply pending database migrations.
    Migrate,
    /// Operator administration.
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            eprintln!("{}", setup::one_line(&e.render().to_string()));
            return ExitCode::from(2);
        }
        Err(e) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", setup::one_line(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

/// Loads the demo and prints its logins (on stdout, for the person who asked).
async fn load_demo(ctx: &opc_core::Context, console: &str) -> anyhow::Result<()> {
    match demo::load(ctx).await? {
        demo::Loaded::Now => println!("The demo is loaded."),
        demo::Loaded::Already => println!("The demo is loaded already."),
    }
    print!("{}", demo::logins_text(console));
    Ok(())
}

/// `--test-coupon-limits`: four whole USD amounts, Standard to Core.
fn test_coupon_limits(text: &str) -> anyhow::Result<opc_domain::coupon::test_coupon::TierLimits> {
    let bad = || anyhow::anyhow!("invalid --test-coupon-limits: four whole amounts, e.g. 1000,3000,5000,10000");
    let amounts = text
        .split(',')
        .map(|t| {
            t.trim()
                .parse::<i64>()
                .ok()
                .and_then(|n| opc_domain::Money::from_major(n).ok())
                .filter(|m| !m.is_negative())
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(bad)?;
    let [standard, advanced, premier, core] = amounts[..] else {
        return Err(bad());
    };
    Ok(opc_domain::coupon::test_coupon::TierLimits { standard, advanced, premier, core })
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let serving = matches!(cli.command, Command::Serve { .. });
    setup::init_tracing(cli.log_format, if serving { "info" } else { "warn" });
    let policy = Policy {
        cross_country_pre_registration: cli.cross_country_pre_registration == Requirement::Required,
        billing_offset: opc_domain::Millis(cli.billing_offset_minutes * 60_000),
        test_coupons: opc_core::ops::test_coupons::TestCouponPolicy {
            limits: test_coupon_limits(&cli.test_coupon_limits)?,
            default_days: cli.test_coupon_days,
            reminders: opc_domain::coupon::test_coupon::ReminderPolicy {
                low_balance_percent: cli.test_coupon_low_balance_percent,
                every_days: cli.test_coupon_reminder_days,
            },
        },
    };
    let database_url = cli
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", cli.data_dir.join("partner-center.db").display()));
    let store = setup::open_store(&database_url).await?;
    store.migrate().await.map_err(|e| anyhow::Error::new(e).context("cannot migrate the database"))?;
    match cli.command {
        Command::Migrate => {
            println!("The database is up to date.");
            Ok(())
        }
        Command::Demo => {
            let key =
                setup::master_key(store.as_ref(), cli.master_key.as_deref(), &cli.data_dir, &database_url).await?;
            let link_base = opc_core::PublicUrl::parse("http://127.0.0.1:8080").expect("a valid URL");
            let ctx = setup::context(store, key, policy, None, link_base.clone());
            load_demo(&ctx, &format!("{}/", link_base.as_str())).await
        }
        Command::Serve {
            listen,
            throttle_per_second,
            mail_command,
            sms_command,
            mail_from,
            webhook_private_networks,
            public_url,
            bill_closing_day,
            bill_closing_hour,
            demo,
        } => {
            let key =
                setup::master_key(store.as_ref(), cli.master_key.as_deref(), &cli.data_dir, &database_url).await?;
            let link_base = match &public_url {
                Some(url) => url.clone(),
                None => opc_core::PublicUrl::parse(&format!("http://{listen}")).context("the listen address")?,
            };
            let ctx = setup::context(store, key, policy, public_url, link_base);
            if demo {
                load_demo(&ctx, &format!("{}/", ctx.link_base.as_str())).await?;
            }
            let mail = match mail_command {
                Some(command) => delivery::Mail::Command(command.split_whitespace().map(str::to_owned).collect()),
                None => delivery::Mail::Spool(cli.data_dir.join("mail")),
            };
            let sms = match sms_command {
                Some(command) => delivery::Sms::Command(command.split_whitespace().map(str::to_owned).collect()),
                None => delivery::Sms::Spool(cli.data_dir.join("sms")),
            };
            delivery::spawn(
                ctx.clone(),
                delivery::Delivery::new(mail, sms, mail_from, webhook_private_networks),
                std::time::Duration::from_secs(1),
            );
            jobs::spawn_expiries(ctx.clone(), std::time::Duration::from_secs(60));
            let closing = jobs::Closing { day: bill_closing_day, hour: bill_closing_hour };
            jobs::spawn_bill_runs(ctx.clone(), closing, std::time::Duration::from_secs(60));
            setup::serve(ctx, listen, opc_http::HttpConfig { throttle_per_second }).await
        }
        Command::Admin { command } => {
            let key =
                setup::master_key(store.as_ref(), cli.master_key.as_deref(), &cli.data_dir, &database_url).await?;
            // Operator commands send no links; the local default stands in.
            let link_base = opc_core::PublicUrl::parse("http://127.0.0.1:8080").expect("a valid URL");
            let ctx = setup::context(store, key, policy, None, link_base);
            admin::run(&ctx, command).await
        }
    }
}
