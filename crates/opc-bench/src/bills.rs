//! The monthly bill run at scale, beside the machine's own limit: the same month's rated usage
//! aggregated by a bare `INSERT … SELECT … GROUP BY` into a table, on the same rows. The rows
//! are generated in the database (`usage_hours`, as ingestion stores them: one per customer,
//! hour and resource), spread over partners' reseller customers and three service types.
//! Also: the process's peak memory before and after the run (the run streams: it never holds
//! every customer), and one partner's open-month estimate.

use std::time::Instant;

use opc_core::ops::bills;
use opc_domain::partner::Program;
use opc_domain::usage::Cycle;
use opc_testkit::app::TestApp;
use sqlx::Connection;

/// January 2026: before every other figure's data, closed by the time the bench's clock reads.
const CYCLE: Cycle = Cycle(202601);

/// The process's resident memory now and at its peak, in MiB (Linux), from /proc.
pub fn memory_mib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Seeds `customers` × `lines` usage rows of January over `partners` partners, then times the
/// bare aggregate and the bill run, and prints them with their ratio.
pub async fn bill_run(app: &TestApp, url: &str, customers: u32, lines: u32, partners: u32) {
    let mut ids = Vec::with_capacity(partners as usize);
    for i in 0..partners {
        ids.push(
            app.partner(&format!("Billing Partner {i:04}"), Program::CloudSolutionProvider, None)
                .await
                .partner
                .id()
                .clone(),
        );
    }
    let seeding = Instant::now();
    seed(url, &ids, customers, lines).await;
    settle(url).await;
    println!();
    println!(
        "bill run of one month: {customers} customers × {lines} rated lines over {partners} partners \
         ({} rows, generated in {:.1} s)",
        u64::from(customers) * u64::from(lines),
        seeding.elapsed().as_secs_f64()
    );
    let baseline = aggregate(url).await;
    let (rss_before, _) = memory_mib();
    let t = Instant::now();
    let mut peak_rss = rss_before;
    let mut steps = 0u64;
    let run = bills::run(&app.ctx, CYCLE, "bench", |_| {
        steps += 1;
        if steps.is_multiple_of(50) {
            peak_rss = peak_rss.max(memory_mib().0);
        }
    })
    .await
    .expect("the bill run")
    .expect("the run was free to claim");
    let took = t.elapsed();
    peak_rss = peak_rss.max(memory_mib().0);
    println!("  bare INSERT … SELECT … GROUP BY (baseline)   {:>9.2} s", baseline.as_secs_f64());
    println!(
        "  bill run (customer and partner bills)        {:>9.2} s   {:.2}× the baseline; {} customers, {} partners billed",
        took.as_secs_f64(),
        took.as_secs_f64() / baseline.as_secs_f64().max(1e-9),
        run.customers_done,
        run.partners_done
    );
    println!("  resident memory: {rss_before} MiB before the run, at most {peak_rss} MiB during it");
}

async fn seed(url: &str, partners: &[opc_domain::PartnerId], customers: u32, lines: u32) {
    let values: Vec<String> = partners.iter().enumerate().map(|(i, p)| format!("({i}, '{p}')")).collect();
    let table = "CREATE TABLE bench_partners (n BIGINT PRIMARY KEY, id TEXT NOT NULL)";
    let insert = format!("INSERT INTO bench_partners VALUES {}", values.join(", "));
    let count = i64::from(customers) * i64::from(lines);
    let (lines, parts) = (i64::from(lines), partners.len() as i64);
    // Customer c's line k: the hour k of January 1st (UTC), a resource of one of three service
    // types, 0.0125 to 0.0225 at list price.
    let select = |series: &str| {
        format!(
            "SELECT 'bc' || (100000000 + i / {lines}), {cycle}, 1767225600000 + (i % {lines}) * 3600000, \
             'vm-' || (i / {lines}), 'Duration', 4, 's6.small.1.linux', 'ap-southeast-1', \
             CASE i % 3 WHEN 0 THEN 'hws.service.type.ec2' WHEN 1 THEN 'hws.service.type.ebs' ELSE 'hws.service.type.obs' END, \
             'hws.resource.type.vm', p.id, 'reseller', 100000000, 1250000 + (i % 1000) * 1000, 1, 0, 0 \
             FROM {series} JOIN bench_partners p ON p.n = (i / {lines}) % {parts}",
            cycle = CYCLE.0
        )
    };
    let into = "INSERT INTO usage_hours (customer_id, cycle, hour_ms, resource_id, usage_factor, usage_measure_id, \
                resource_spec, region, service_type, resource_type, partner_id, model, usage_e8, amount_e8, records, \
                first_ended_at_ms, last_ended_at_ms) ";
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.expect("connect to PostgreSQL");
        sqlx::query(table).execute(&mut conn).await.expect("the partners table");
        sqlx::query(&insert).execute(&mut conn).await.expect("the partners");
        let series = format!("generate_series(0, {}) AS s(i)", count - 1);
        sqlx::query(&format!("{into}{}", select(&series))).execute(&mut conn).await.expect("seed usage");
        for totals in opc_testkit::seed::SPEND_TOTALS_OF_USAGE_HOURS {
            sqlx::query(totals).execute(&mut conn).await.expect("the running totals");
        }
        sqlx::query("DROP TABLE bench_partners").execute(&mut conn).await.expect("drop the partners table");
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await.expect("open SQLite");
        sqlx::query(table).execute(&mut conn).await.expect("the partners table");
        sqlx::query(&insert).execute(&mut conn).await.expect("the partners");
        let with =
            format!("WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < {}) ", count - 1);
        sqlx::query(&format!("{into}{with}{}", select("seq"))).execute(&mut conn).await.expect("seed usage");
        for totals in opc_testkit::seed::SPEND_TOTALS_OF_USAGE_HOURS {
            sqlx::query(totals).execute(&mut conn).await.expect("the running totals");
        }
        sqlx::query("DROP TABLE bench_partners").execute(&mut conn).await.expect("drop the partners table");
    }
}

/// The rows as a month of ingestion leaves them by the 5th: on PostgreSQL vacuumed (autovacuum
/// visits an inserted table: hint bits set, pages all-visible) and analyzed, so that neither the
/// baseline nor the run pays for the freshly bulk-loaded state the other then finds settled.
async fn settle(url: &str) {
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.expect("connect to PostgreSQL");
        sqlx::query("VACUUM (ANALYZE) usage_hours").execute(&mut conn).await.expect("VACUUM");
        sqlx::query("VACUUM (ANALYZE) spend_totals").execute(&mut conn).await.expect("VACUUM");
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await.expect("open SQLite");
        sqlx::query("ANALYZE").execute(&mut conn).await.expect("ANALYZE");
    }
    crate::raw::analyze(url).await;
}

/// The baseline: the month's rows summed per customer, partner, model and service type into a
/// table, in one statement.
async fn aggregate(url: &str) -> std::time::Duration {
    let sql = format!(
        "INSERT INTO bench_aggregate SELECT customer_id, partner_id, model, service_type, SUM(amount_e8) \
         FROM usage_hours WHERE cycle = {} GROUP BY customer_id, partner_id, model, service_type",
        CYCLE.0
    );
    let create =
        "CREATE TABLE bench_aggregate (customer_id TEXT NOT NULL, partner_id TEXT NOT NULL, model TEXT NOT NULL, \
                  service_type TEXT NOT NULL, amount_e8 BIGINT NOT NULL)";
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.expect("connect to PostgreSQL");
        sqlx::query(create).execute(&mut conn).await.expect("the aggregate table");
        let t = Instant::now();
        sqlx::query(&sql).execute(&mut conn).await.expect("the aggregate");
        let took = t.elapsed();
        sqlx::query("DROP TABLE bench_aggregate").execute(&mut conn).await.expect("drop it");
        took
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await.expect("open SQLite");
        sqlx::query(create).execute(&mut conn).await.expect("the aggregate table");
        let t = Instant::now();
        sqlx::query(&sql).execute(&mut conn).await.expect("the aggregate");
        let took = t.elapsed();
        sqlx::query("DROP TABLE bench_aggregate").execute(&mut conn).await.expect("drop it");
        took
    }
}

/// One partner's open-month estimate (the same code as the run, without writing).
pub async fn estimate(app: &TestApp, partner: &opc_domain::PartnerId, customers: u32, iterations: u32) {
    let cycle = Cycle::of(app.ctx.clock.now(), app.ctx.policy.billing_offset);
    let mut samples = Vec::with_capacity(iterations as usize);
    let mut due = opc_domain::Money::ZERO;
    for _ in 0..iterations {
        let t = Instant::now();
        due = bills::estimate(&app.ctx, partner, cycle).await.expect("the estimate").totals().amount_due;
        samples.push(t.elapsed());
    }
    samples.sort();
    let p50 = samples[samples.len() / 2];
    let p99 = samples[(samples.len() * 99 / 100).min(samples.len() - 1)];
    println!();
    println!(
        "bill estimate of one partner's open month ({customers} customers with usage; amount due {due}): \
         p50 {:.1} ms, p99 {:.1} ms over {iterations} runs",
        p50.as_secs_f64() * 1000.0,
        p99.as_secs_f64() * 1000.0
    );
}
