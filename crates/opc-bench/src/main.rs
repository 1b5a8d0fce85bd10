//! Figures, not assertions: how fast the SDK-HMAC-SHA256 verifier is, and how fast a signed
//! `list_sub_customers` goes through the whole router (throttling off; signature middleware,
//! access-key lookup, tenancy, the store) against one partner with many customers. SQLite in a
//! temporary file by default; PostgreSQL, in a fresh schema dropped afterwards, with
//! `--database-url`.
//!
//! Then the same query over real HTTP from 16 keep-alive connections, beside the same server's
//! `/health` in the same run, logging as `serve` logs (formatted, written to nowhere).
//!
//! `cargo run --release -p opc-bench -- [--database-url postgres://…] [--iterations N]`

use std::hint::black_box;
use std::time::{Duration, Instant};

use clap::Parser;
use http::Target;
use opc_domain::account::AccountName;
use opc_domain::association::AssociationModel;
use opc_domain::partner::Program;
use opc_domain::signature::{self, Authorization, ReceivedRequest};
use opc_domain::usage::UsageRecord;
use opc_domain::Millis;
use opc_domain::Timestamp;
use opc_testkit::app::{TestApp, T0};
use opc_testkit::sign::{self, Credentials};
use opc_testkit::{seed, TestStore};

mod bills;
mod http;
mod raw;

const LIST: &str = "/v2/partners/sub-customers/query";

#[derive(Parser)]
#[command(about = "Prints throughput figures for the signature verifier and the customer query.")]
struct Args {
    /// A PostgreSQL database (postgres://…) to run in, in a fresh schema dropped afterwards.
    /// Without it: SQLite, in a temporary file.
    #[arg(long)]
    database_url: Option<String>,
    /// Requests measured per query; the signature verifier runs 100 times as many.
    #[arg(long, default_value_t = 1_000)]
    iterations: u32,
    /// Customers seeded for the one partner.
    #[arg(long, default_value_t = 10_000)]
    customers: u32,
    /// Batches of 10,000 usage records ingested.
    #[arg(long, default_value_t = 10)]
    batches: u32,
    /// Usage records per resource and hour in a batch: 2 as hourly meters send them, 12 for
    /// five-minute meters (fewer resources per batch, as many records).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=100))]
    records_per_hour: u32,
    /// Partners whose customers a batch's records are spread over: the first one's, and as many
    /// new reseller customers of each further partner (each with a consumption quota).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    partners: u32,
    /// Customers of one reseller of a distributor, for the figures at scale: the `account_name`
    /// search and the distributor's freeze (0: skip).
    #[arg(long, default_value_t = 100_000)]
    scale_customers: u32,
    /// Customers whose month the bill run closes, for its figure beside the bare aggregate
    /// (0: skip).
    #[arg(long, default_value_t = 100_000)]
    bill_customers: u32,
    /// Rated lines (usage rows of an hour and resource) per customer in that month.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=744))]
    bill_lines: u32,
    /// Partners those customers are spread over.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    bill_partners: u32,
    /// Seconds of load per figure over HTTP (0: skip).
    #[arg(long, default_value_t = 5)]
    http_seconds: u64,
    /// Keep-alive connections over HTTP.
    #[arg(long, default_value_t = 16)]
    connections: usize,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    // As `serve` logs by default (a line per request at info), but into nothing: the figures
    // include the formatting, not the terminal.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
        .with_writer(std::io::sink)
        .init();
    if args.iterations == 0 {
        eprintln!("--iterations must be at least 1");
        std::process::exit(2);
    }
    let (store, backend) = match &args.database_url {
        None => (TestStore::sqlite().await, "SQLite (temporary file)"),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            (TestStore::postgres_at(url).await, "PostgreSQL (fresh schema)")
        }
        Some(_) => {
            eprintln!("--database-url must be a postgres:// URL (SQLite is the default)");
            std::process::exit(2);
        }
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("opc-bench: {cores} cores, {backend}, {} iterations per query", args.iterations);
    // Other work on the machine skews every figure: say how busy it was.
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average before the run: {}", load.split(' ').take(3).collect::<Vec<_>>().join(" "));
    }
    println!();
    print_header();
    print_row("signature verify (parse + SDK-HMAC-SHA256)", &verify_signatures(args.iterations * 100));

    let seeding = Instant::now();
    let (app, creds, partner) = seeded_app(store, args.customers).await;
    println!();
    println!(
        "list_sub_customers, signed, through the router; 1 partner, {} customers (seeded in {:.1} s)",
        args.customers,
        seeding.elapsed().as_secs_f64()
    );
    print_header();
    let deep = args.customers.saturating_sub(100);
    let queries = [
        ("first page, limit 10", r#"{"offset":0,"limit":10}"#.to_owned(), args.customers),
        ("first page, limit 100", r#"{"offset":0,"limit":100}"#.to_owned(), args.customers),
        ("last page, limit 100", format!(r#"{{"offset":{deep},"limit":100}}"#), args.customers),
        ("account_name filter, 1 match", format!(r#"{{"account_name":"{}"}}"#, customer_name(args.customers / 2)), 1),
    ];
    for (name, body, count) in queries {
        print_row(name, &list_customers(&app, &creds, &body, u64::from(count), args.iterations).await);
    }
    let (page, one) = raw::page_statement(app.db.url(), partner.as_str(), args.iterations).await;
    for (name, samples) in [("baseline: the first page's statement alone", page), ("baseline: SELECT 1", one)] {
        let total = samples.iter().sum();
        print_row(name, &Measured { samples, total });
    }
    if args.http_seconds > 0 {
        over_http(&app, &creds, args.connections, Duration::from_secs(args.http_seconds)).await;
    }
    if args.scale_customers > 0 {
        at_scale(&app, args.scale_customers, args.iterations).await;
    }
    if args.batches > 0 {
        ingestion(&app, &creds, args.customers, args.batches, (args.records_per_hour, args.partners)).await;
    }
    bills::estimate(&app, &partner, args.customers, args.iterations.min(50)).await;
    if args.bill_customers > 0 {
        bills::bill_run(&app, app.db.url(), args.bill_customers, args.bill_lines, args.bill_partners).await;
    }
    // Dropping the app drops the database (the PostgreSQL schema, or the SQLite file).
    drop(app);
}

/// A distributor, its reseller with `customers` customers: the reseller's `account_name`
/// search (one match among them), and the operator's freeze of the distributor, which freezes
/// every one of them (R-DIST-05), checked on the reseller's list.
async fn at_scale(app: &TestApp, customers: u32, iterations: u32) {
    let distributor = app.partner("Scale Distribution", Program::DistributionPartner, None).await;
    let reseller = app.partner("Scale Reseller", Program::Reseller, Some(distributor.partner.id())).await;
    let seeding = Instant::now();
    let feeds = 8u32;
    let mut tasks = vec![];
    for f in 0..feeds {
        let (store, partner) = (app.ctx.store.clone(), reseller.partner.id().clone());
        tasks.push(tokio::spawn(async move {
            for i in (f..customers).step_by(feeds as usize) {
                let at = Timestamp::from_unix_ms(T0.unix_ms() - i64::from(i) * 1_000);
                let (account, association, audit) =
                    seed::customer(&scale_name(i), &partner, AssociationModel::Reseller, at);
                store.insert_customer(&account, &association, &[audit]).await.expect("seed a customer");
            }
        }));
    }
    for t in tasks {
        t.await.expect("a seeding feed");
    }
    raw::analyze(app.db.url()).await;
    println!();
    println!(
        "at scale: 1 distributor, its reseller with {customers} customers (seeded in {:.1} s)",
        seeding.elapsed().as_secs_f64()
    );
    print_header();
    let creds = TestApp::credentials(&reseller);
    // Part of one customer's name (its letters and the start of its number).
    let wanted = scale_name(customers / 2);
    let search = format!(r#"{{"account_name":"{}","limit":10}}"#, &wanted[2..wanted.len() - 2]);
    print_row("account_name search, 1 match", &list_customers(app, &creds, &search, 1, iterations).await);
    let short = format!(r#"{{"account_name":"{}","limit":10}}"#, &wanted[..2]);
    let matching = (0..customers).filter(|i| scale_name(*i).contains(&wanted[..2])).count() as u64;
    print_row("account_name search, 2 letters (no index)", &list_customers(app, &creds, &short, matching, 100).await);

    let t = Instant::now();
    let freeze = opc_core::ops::admin::PartnerChange::Freeze;
    opc_core::ops::admin::change_partner(&app.ctx, distributor.partner.id().as_str(), freeze, "bench").await.unwrap();
    let frozen = t.elapsed();
    let body = r#"{"offset":0,"limit":100}"#;
    let r = app.signed("POST", LIST, body, &creds).await;
    let listed = r.json()["customer_infos"].as_array().cloned().unwrap_or_default();
    assert!(listed.len() == 100 && listed.iter().all(|c| c["is_frozen"] == 1), "every customer reads frozen");
    print_row(
        &format!("freeze the distributor ({customers} customers)"),
        &Measured { samples: vec![frozen], total: frozen },
    );
}

/// Customer `i`'s account name at scale: six letters that vary as real names do (a fixed
/// pseudo-random sequence), then `i`. Names that all share a prefix (`scale0000001`, …) would
/// make every trigram of a search common to all of them.
fn scale_name(i: u32) -> String {
    let mut x = u64::from(i).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17) ^ 0xD6E8_FEB8_6659_FD93;
    let letters: String = (0..6)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            char::from(b'a' + ((x >> 33) % 26) as u8)
        })
        .collect();
    format!("{letters}{i}")
}

/// A signed `list_sub_customers` (first page, limit 10) over real HTTP, against the same
/// server's `/health` in the same run.
async fn over_http(app: &TestApp, creds: &Credentials, connections: usize, duration: Duration) {
    let address = http::serve(app.router()).await;
    println!();
    println!(
        "over HTTP: {connections} keep-alive connections, {} s each after a warm-up; the same server",
        duration.as_secs()
    );
    print_header();
    let health = Target { method: "GET", path: "/health".into(), headers: vec![], body: String::new() };
    let health = http::load(address, &health, connections, duration);
    print_row("/health (baseline)", &health);
    let body = r#"{"offset":0,"limit":10}"#;
    let headers = sign::sdk_headers("POST", LIST, body.as_bytes(), creds, &app.ctx.clock.now().to_sdk_date());
    let list = Target { method: "POST", path: LIST.into(), headers, body: body.into() };
    let kept = http::load(address, &list, connections, duration);
    print_row("list_sub_customers, signed, limit 10", &kept);
    // The same server with nothing kept: every request computes its answer from the store.
    let answers = std::sync::Arc::new(opc_core::ops::auth::AnswerCache::off());
    let computing = opc_core::Context::new(opc_core::Services { answers, ..(*app.ctx).clone() });
    let address = http::serve(opc_http::router(computing, opc_http::HttpConfig { throttle_per_second: 0 })).await;
    let computed = http::load(address, &list, connections, duration);
    print_row("… its answer computed each time", &computed);
    let rate = |m: &Measured| m.samples.len() as f64 / m.total.as_secs_f64();
    println!("list_sub_customers at {:.2} of /health's rate", rate(&kept) / rate(&health));
    println!("… computed each time, at {:.2} of /health's rate", rate(&computed) / rate(&health));
}

/// Usage ingestion through `ops::usage::ingest` (validation, rating at list price, storage,
/// then the budget and quota weighing), in batches of 10,000 records spread over the first
/// 1,000 customers. The last batch crosses a budget threshold: its notice is in the outbox when
/// `ingest` returns, so the batch's latency bounds the notice's delay.
async fn ingestion(app: &TestApp, creds: &Credentials, customers: u32, batches: u32, (per_hour, partners): (u32, u32)) {
    let catalog = opc_store::catalog::parse(opc_testkit::seed::ONE_SPEC_CATALOG).expect("the bench catalog is valid");
    opc_core::ops::catalog::import(&app.ctx, &catalog, "bench").await.expect("import the catalog");
    // A budget the last batch crosses: 0.01 on customer 0, which every batch spends on.
    let first = app.ctx.store.account_by_name(&AccountName::parse(&customer_name(0)).unwrap()).await.unwrap().unwrap();
    let budget = format!(r#"{{"customer_id":"{}","budget_amount":1000000}}"#, first.id());
    let r = app.signed("POST", "/v2/partners/sub-customers/budget", &budget, creds).await;
    assert_eq!(r.status.as_u16(), 200, "set a budget: {}", r.body);
    let spread = customers.clamp(1, 1_000);
    let per_partner = (spread / partners).max(1);
    let mut ids = Vec::with_capacity(spread as usize);
    for i in 0..per_partner {
        let name = AccountName::parse(&customer_name(i)).unwrap();
        ids.push(app.ctx.store.account_by_name(&name).await.unwrap().unwrap().id().clone());
    }
    for p in 1..partners {
        let partner = app.partner(&format!("Bench {p} Ltd"), Program::CloudSolutionProvider, None).await;
        let quota = opc_core::ops::admin::PartnerChange::Quota(opc_domain::Money::from_major(1_000_000).unwrap());
        opc_core::ops::admin::change_partner(&app.ctx, partner.partner.id().as_str(), quota, "bench").await.unwrap();
        for j in 0..per_partner {
            let (account, association, audit) =
                seed::customer(&format!("p{p:03}c{j:04}"), partner.partner.id(), AssociationModel::Reseller, T0);
            app.ctx.store.insert_customer(&account, &association, &[audit]).await.expect("seed a customer");
            ids.push(account.id().clone());
        }
    }
    let spread = ids.len();
    // T0 is 08:00 UTC: an hour earlier is the same day and cycle.
    let ended_at = T0.plus(Millis(-3_600_000));
    let batch = |b: u32| -> Vec<(usize, UsageRecord)> { usage_batch(&ids, &format!("b{b}"), ended_at, per_hour) };
    println!();
    println!(
        "usage ingestion: rated at list price, stored, budgets and quotas weighed; batches of {BATCH} records over \
         {spread} customers of {partners} partners, {per_hour} per resource and hour"
    );
    print_header();
    let mut samples = vec![];
    let mut notices = 0;
    let start = Instant::now();
    for b in 0..batches {
        let records = batch(b);
        if b + 1 == batches {
            // Lower the budget so that this batch crosses its thresholds.
            let low = format!(r#"{{"customer_id":"{}","budget_amount":0.01}}"#, first.id());
            app.signed("POST", "/v2/partners/sub-customers/budget", &low, creds).await;
        }
        let t = Instant::now();
        let report = opc_core::ops::usage::ingest(&app.ctx, "bench", records, vec![]).await.expect("ingest a batch");
        samples.push(t.elapsed());
        assert_eq!(report.accepted, u64::from(BATCH));
        notices += report.notices;
    }
    let total = start.elapsed();
    let batch_figures = Measured { samples: samples.clone(), total };
    print_row("batch of 10,000 records", &batch_figures);
    let records = u64::from(batches) * u64::from(BATCH);
    println!("{:<44} {records:>9} {:>11.0}", "records", records as f64 / total.as_secs_f64());
    // The same records, written raw: this machine's limit for storing them.
    let raw_batches: Vec<_> = (0..batches).map(batch).collect();
    let raw = raw::insert(app.db.url(), &raw_batches).await;
    let raw_total: Duration = raw.iter().sum();
    print_row(
        if app.db.url().starts_with("postgres") {
            "raw COPY of the same batches"
        } else {
            "raw INSERT of the same batches"
        },
        &Measured { samples: raw, total: raw_total },
    );
    println!(
        "ingestion at {:.2} of the raw write's rate (rating, totals, budgets and quotas included)",
        raw_total.as_secs_f64() / total.as_secs_f64()
    );
    let last = samples.last().copied().unwrap_or_default();
    println!(
        "notice delay: at most {:.1} ms (the crossing batch's latency; {notices} notices)",
        last.as_secs_f64() * 1e3
    );

    // The same work from concurrent feeds, as a metering system with several senders sends it:
    // the rating of one batch overlaps another's writing.
    for streams in [2u32, 4] {
        let start = Instant::now();
        let mut tasks = vec![];
        for s in 0..streams {
            let (ctx, ids) = (app.ctx.clone(), ids.clone());
            tasks.push(tokio::spawn(async move {
                for b in 0..batches.div_ceil(streams) {
                    let records = usage_batch(&ids, &format!("s{streams}-{s}-b{b}"), ended_at, per_hour);
                    let report =
                        opc_core::ops::usage::ingest(&ctx, "bench", records, vec![]).await.expect("ingest a batch");
                    assert_eq!(report.accepted, u64::from(BATCH));
                }
            }));
        }
        for t in tasks {
            t.await.expect("a feed");
        }
        let records = u64::from(batches.div_ceil(streams) * streams) * u64::from(BATCH);
        let label = format!("records, {streams} concurrent feeds");
        println!("{label:<44} {records:>9} {:>11.0}", records as f64 / start.elapsed().as_secs_f64());
    }
}

/// A batch of usage records over `customers`, `per_hour` per resource and hour, ids tagged `tag`.
fn usage_batch(
    customers: &[opc_domain::AccountId],
    tag: &str,
    ended_at: Timestamp,
    per_hour: u32,
) -> Vec<(usize, UsageRecord)> {
    let resources = BATCH / per_hour;
    (0..BATCH)
        .map(|i| {
            let resource = i % resources;
            let customer = &customers[resource as usize % customers.len()];
            let record = seed::vm_usage(format!("{tag}-r{i}"), customer, format!("vm-{resource}"), 1, ended_at);
            (i as usize, record)
        })
        .collect()
}

const BATCH: u32 = 10_000;

/// Per-operation durations, and the wall time of all of them.
pub(crate) struct Measured {
    pub(crate) samples: Vec<Duration>,
    pub(crate) total: Duration,
}

fn measure(n: u32, mut op: impl FnMut()) -> Measured {
    let mut samples = Vec::with_capacity(n as usize);
    let start = Instant::now();
    for _ in 0..n {
        let t = Instant::now();
        op();
        samples.push(t.elapsed());
    }
    Measured { samples, total: start.elapsed() }
}

fn print_header() {
    println!("{:<44} {:>9} {:>11} {:>10} {:>10} {:>10}", "operation", "ops", "ops/s", "mean µs", "p50 µs", "p99 µs");
}

fn print_row(name: &str, m: &Measured) {
    let mut sorted = m.samples.clone();
    sorted.sort();
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    let percentile = |p: usize| micros(sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]);
    let n = sorted.len();
    println!(
        "{name:<44} {n:>9} {:>11.0} {:>10.1} {:>10.1} {:>10.1}",
        n as f64 / m.total.as_secs_f64(),
        micros(m.total) / n as f64,
        percentile(50),
        percentile(99),
    );
}

/// (a) The verifier alone, as the signature middleware calls it: parse the Authorization
/// header, rebuild the canonical request, HMAC it and compare.
fn verify_signatures(n: u32) -> Measured {
    let creds = Credentials {
        access_key: "HPUABENCHMARKKEY0001".into(),
        secret_key: "bENcHmArKsEcReTkEy0123456789aBcDeFgHiJkL".into(),
        domain_id: "0123456789abcdef0123456789abcdef".into(),
    };
    let body = br#"{"offset":0,"limit":10}"#;
    let headers = sign::sdk_headers("POST", LIST, body, &creds, &T0.to_sdk_date());
    let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let req = ReceivedRequest { method: "POST", raw_path: LIST, raw_query: "", headers: &headers, body };
    let header = req.header("authorization").expect("signed");
    let secret = creds.secret_key.as_bytes();
    measure(n, || {
        let auth = Authorization::parse(black_box(header)).expect("a well-formed Authorization");
        signature::verify(black_box(&req), &auth, secret, T0).expect("the signature verifies");
    })
}

fn customer_name(i: u32) -> String {
    format!("cust{i:06}")
}

/// One partner with `customers` customers, inserted through the store as the tests seed them
/// (one transaction each), a minute apart.
async fn seeded_app(store: TestStore, customers: u32) -> (TestApp, Credentials, opc_domain::PartnerId) {
    let app = TestApp::new(store).await;
    let partner = app.partner("Bench Ltd", Program::CloudSolutionProvider, None).await;
    for i in 0..customers {
        let at = Timestamp::from_unix_ms(T0.unix_ms() - i64::from(i) * 60_000);
        let (account, association, audit) =
            seed::customer(&customer_name(i), partner.partner.id(), AssociationModel::Reseller, at);
        app.ctx.store.insert_customer(&account, &association, &[audit]).await.expect("seed a customer");
    }
    let creds = TestApp::credentials(&partner);
    (app, creds, partner.partner.id().clone())
}

/// (b) One signed query, sent `n` times through the router after a tenth as many to warm up;
/// every answer must be a 200 listing `count` customers.
async fn list_customers(app: &TestApp, creds: &Credentials, body: &str, count: u64, n: u32) -> Measured {
    let headers = sign::sdk_headers("POST", LIST, body.as_bytes(), creds, &app.ctx.clock.now().to_sdk_date());
    let first = app.send("POST", LIST, body, &headers).await;
    assert_eq!((first.status.as_u16(), first.json()["count"].as_u64()), (200, Some(count)), "{}", first.body);
    for _ in 0..n / 10 {
        app.send("POST", LIST, body, &headers).await;
    }
    let mut samples = Vec::with_capacity(n as usize);
    let start = Instant::now();
    for _ in 0..n {
        let t = Instant::now();
        let r = app.send("POST", LIST, body, &headers).await;
        samples.push(t.elapsed());
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    }
    Measured { samples, total: start.elapsed() }
}
