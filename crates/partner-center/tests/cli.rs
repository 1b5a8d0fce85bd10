//! The `partner-center` binary as an operator uses it: every command, its `--json` output, and
//! one-line errors with a non-zero exit.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_partner-center");

/// Runs the binary in `dir` with a SQLite database there and no ambient configuration.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("OPC_MASTER_KEY")
        .env_remove("OPC_DATA_DIR")
        .env_remove("RUST_LOG")
        .output()
        .expect("run partner-center")
}

fn ok_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = run(dir, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?} prints JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// Asserts a failure with exactly one stderr line containing `expected`.
fn fails(dir: &Path, args: &[&str], expected: &str) {
    let out = run(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} should fail");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: one line: {stderr}");
    assert!(stderr.contains(expected), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{stderr}");
    assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
}

#[test]
fn the_default_database_is_created_on_demand_with_a_private_master_key() {
    let dir = tempfile::tempdir().unwrap();
    let p = ok_json(
        dir.path(),
        &["admin", "partner", "create", "--name", "Acme Ltd", "--country", "SG", "--program", "csp", "--json"],
    );
    for field in ["partner_id", "domain_id", "access_key", "secret_key"] {
        assert!(p[field].as_str().is_some_and(|v| !v.is_empty()), "{field} in {p}");
    }
    assert_eq!(p["domain_id"].as_str().unwrap().len(), 32);
    assert_eq!(p["secret_key"].as_str().unwrap().len(), 40);
    assert!(dir.path().join("data/partner-center.db").exists());
    let key = dir.path().join("data/master.key");
    assert_eq!(std::fs::read_to_string(&key).unwrap().len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // The secret key is stored encrypted: its text is nowhere in the database files.
    let secret = p["secret_key"].as_str().unwrap().as_bytes();
    for entry in std::fs::read_dir(dir.path().join("data")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(secret.len()).any(|w| w == secret), "the secret key is in clear on disk");
    }
}

#[test]
fn the_database_url_goes_before_or_after_the_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/x/pc.db", dir.path().display());
    let before = run(dir.path(), &["--database-url", &url, "migrate"]);
    assert!(before.status.success(), "{}", String::from_utf8_lossy(&before.stderr));
    let p = ok_json(
        dir.path(),
        &[
            "admin",
            "partner",
            "create",
            "--name",
            "Acme",
            "--country",
            "DE",
            "--program",
            "distributor",
            "--json",
            "--database-url",
            &url,
        ],
    );
    let r = ok_json(
        dir.path(),
        &[
            "admin",
            "--database-url",
            &url,
            "partner",
            "create",
            "--name",
            "Resell",
            "--country",
            "DE",
            "--program",
            "reseller",
            "--distributor",
            p["partner_id"].as_str().unwrap(),
            "--json",
        ],
    );
    assert_ne!(r["partner_id"], p["partner_id"]);
    assert!(!dir.path().join("data/partner-center.db").exists(), "the default database was not touched");
}

/// Issue 17: `--data-dir` places the default database beside its master key; a database whose
/// secrets are sealed is never given a second, generated key, and a key that is not its own
/// stops the start naming both places.
#[test]
fn the_data_dir_holds_the_database_and_the_master_key_is_checked_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let create = ["admin", "partner", "create", "--name", "Acme", "--country", "SG", "--program", "csp", "--json"];
    fn with_dir<'a>(data: &'a str, create: &[&'a str]) -> Vec<&'a str> {
        [&["--data-dir", data][..], create].concat()
    }
    ok_json(dir.path(), &with_dir("first", &create));
    assert!(dir.path().join("first/partner-center.db").exists() && dir.path().join("first/master.key").exists());
    assert!(!dir.path().join("data").exists(), "nothing in the default folder");

    let url = format!("sqlite://{}/first/partner-center.db", dir.path().display());
    let elsewhere = [&["--database-url", url.as_str()][..], &with_dir("second", &create)[..]].concat();
    fails(dir.path(), &elsewhere, "second/master.key does not exist, but the database");
    assert!(!dir.path().join("second/master.key").exists(), "no second key generated");

    let wrong = "11".repeat(32);
    let mistyped = [&["--master-key", wrong.as_str()][..], &with_dir("first", &create)[..]].concat();
    fails(dir.path(), &mistyped, "does not fit the database");
    let right = std::fs::read_to_string(dir.path().join("first/master.key")).unwrap();
    let by_flag =
        [&["--master-key", right.trim(), "--database-url", url.as_str()][..], &with_dir("second", &create)[..]]
            .concat();
    ok_json(dir.path(), &by_flag);
}

/// Issue 17: `demo` loads the demo once into an empty database and prints its logins; again, it
/// changes nothing; a database holding anything else is refused.
#[test]
fn the_demo_loads_once_into_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["demo"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.starts_with("The demo is loaded.\n"), "{text}");
    for login in ["ops@demo.example", "partner@demo.example", "reseller@demo.example", "ada@demo.example"] {
        assert!(text.contains(login), "{login} in {text}");
    }
    let catalog: serde_json::Value =
        serde_json::from_str(&String::from_utf8_lossy(&run(dir.path(), &["admin", "catalog", "show"]).stdout)).unwrap();
    assert_eq!(catalog["prices"].as_array().map(Vec::len), Some(12), "the sample catalog: {catalog}");
    let again = run(dir.path(), &["demo"]);
    assert!(String::from_utf8_lossy(&again.stdout).starts_with("The demo is loaded already."));

    let other = tempfile::tempdir().unwrap();
    ok_json(
        other.path(),
        &["admin", "partner", "create", "--name", "Acme", "--country", "SG", "--program", "csp", "--json"],
    );
    fails(other.path(), &["demo"], "the demo loads into an empty database only");
}

#[test]
fn keys_are_issued_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let p = ok_json(
        dir.path(),
        &["admin", "partner", "create", "--name", "Acme", "--country", "SG", "--program", "csp", "--json"],
    );
    let partner = p["partner_id"].as_str().unwrap();
    let k = ok_json(dir.path(), &["admin", "key", "create", "--partner", partner, "--json"]);
    assert_eq!(k["partner_id"], p["partner_id"]);
    assert_eq!(k["domain_id"], p["domain_id"]);
    assert_ne!(k["access_key"], p["access_key"]);
    let ak = k["access_key"].as_str().unwrap();
    let revoked = ok_json(dir.path(), &["admin", "key", "revoke", "--access-key", ak, "--json"]);
    assert_eq!(revoked["state"], "revoked");
    fails(dir.path(), &["admin", "key", "revoke", "--access-key", ak], "already revoked");
    fails(dir.path(), &["admin", "key", "revoke", "--access-key", "NOSUCHKEY"], "does not exist");
    fails(dir.path(), &["admin", "key", "create", "--partner", "ffffffffffffffffffffffffffffffff"], "does not exist");
    let text = run(dir.path(), &["admin", "key", "create", "--partner", partner]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("access_key") && text.contains("shown only now"), "{text}");
}

#[test]
fn refusals_are_one_line_with_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let csp = ok_json(
        dir.path(),
        &["admin", "partner", "create", "--name", "Acme", "--country", "SG", "--program", "csp", "--json"],
    );
    let create = |extra: &[&str]| {
        let mut args = vec!["admin", "partner", "create", "--name", "New Ltd", "--country", "SG"];
        args.extend_from_slice(extra);
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (create(&["--program", "reseller"]), "a reseller must name its distributor"),
        (
            create(&["--program", "reseller", "--distributor", csp["partner_id"].as_str().unwrap()]),
            "is not a distributor",
        ),
        (create(&["--program", "reseller", "--distributor", "ffffffffffffffffffffffffffffffff"]), "does not exist"),
        (
            create(&["--program", "csp", "--distributor", csp["partner_id"].as_str().unwrap()]),
            "only a reseller names a distributor",
        ),
        (create(&["--program", "nope"]), "invalid value 'nope'"),
        (
            vec![
                "admin".into(),
                "partner".into(),
                "create".into(),
                "--name".into(),
                "X".into(),
                "--country".into(),
                "sgp".into(),
                "--program".into(),
                "csp".into(),
            ],
            "invalid country",
        ),
        (vec!["--database-url".into(), "mysql://x".into(), "migrate".into()], "unsupported database URL"),
        (vec!["--database-url".into(), "sqlite::memory:".into(), "migrate".into()], "in-memory"),
        (
            vec![
                "--master-key".into(),
                "abcd".into(),
                "admin".into(),
                "key".into(),
                "create".into(),
                "--partner".into(),
                "x".into(),
            ],
            "OPC_MASTER_KEY",
        ),
    ];
    for (args, expected) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        fails(dir.path(), &args, expected);
    }
}

#[test]
fn partners_are_frozen_unfrozen_and_given_a_quota() {
    let dir = tempfile::tempdir().unwrap();
    let p = ok_json(
        dir.path(),
        &["admin", "partner", "create", "--name", "Acme", "--country", "SG", "--program", "csp", "--json"],
    );
    let id = p["partner_id"].as_str().unwrap();
    let frozen = ok_json(dir.path(), &["admin", "partner", "freeze", "--partner", id, "--json"]);
    assert_eq!(frozen["state"], "frozen");
    fails(dir.path(), &["admin", "partner", "freeze", "--partner", id], "already frozen");
    assert_eq!(ok_json(dir.path(), &["admin", "partner", "unfreeze", "--partner", id, "--json"])["state"], "normal");
    fails(dir.path(), &["admin", "partner", "unfreeze", "--partner", id], "not frozen");
    let quota = ok_json(dir.path(), &["admin", "partner", "quota", "--partner", id, "--amount", "1234.56", "--json"]);
    assert_eq!(quota["consumption_quota"], "1234.56");
    fails(dir.path(), &["admin", "partner", "quota", "--partner", id, "--amount", "-1"], "must not be negative");
    fails(dir.path(), &["admin", "partner", "quota", "--partner", id, "--amount", "1.123456789"], "invalid --amount");
    fails(
        dir.path(),
        &["admin", "partner", "freeze", "--partner", "ffffffffffffffffffffffffffffffff"],
        "does not exist",
    );
}

#[test]
fn customer_keys_and_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let p = ok_json(
        dir.path(),
        &["admin", "partner", "create", "--name", "Acme", "--country", "SG", "--program", "csp", "--json"],
    );
    fails(dir.path(), &["admin", "key", "create", "--customer", "ffffffffffffffffffffffffffffffff"], "does not exist");
    fails(dir.path(), &["admin", "key", "create"], "--partner");
    let k = ok_json(dir.path(), &["admin", "key", "create", "--customer", p["domain_id"].as_str().unwrap(), "--json"]);
    assert_eq!(k["partner_id"], serde_json::Value::Null, "a customer's key belongs to no partner");
    assert_eq!(k["domain_id"], p["domain_id"]);
    let outbox = ok_json(dir.path(), &["admin", "notifications", "list", "--to", "nobody@example.com", "--json"]);
    assert_eq!(outbox, serde_json::json!([]));
    let text = run(dir.path(), &["admin", "notifications", "list"]);
    assert_eq!(String::from_utf8_lossy(&text.stdout).trim(), "No notifications.");
}

#[test]
fn payments_settlement_terms_tax_and_the_bill_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = ok_json(
        d,
        &["admin", "partner", "create", "--name", "Acme Ltd", "--country", "SG", "--program", "csp", "--json"],
    );
    let id = p["partner_id"].as_str().unwrap();
    let paid = ok_json(
        d,
        &["admin", "partner", "payment", "--partner", id, "--amount", "250.5", "--memo", "wire 7", "--json"],
    );
    assert_eq!((paid["amount"].as_str(), paid["balance_after"].as_str()), (Some("250.50000000"), Some("250.50000000")));
    let taken = ok_json(d, &["admin", "partner", "adjust", "--partner", id, "--amount", "-0.5", "--json"]);
    assert_eq!(taken["balance_after"], "250.00000000");
    assert_eq!(ok_json(d, &["admin", "partner", "balance", "--partner", id, "--json"])["balance"], "250.00000000");
    fails(d, &["admin", "partner", "adjust", "--partner", id, "--amount", "-300"], "insufficient balance");
    fails(d, &["admin", "partner", "payment", "--partner", id, "--amount", "0"], "more than 0");
    fails(d, &["admin", "partner", "payment", "--partner", "nobody", "--amount", "1"], "no partner nobody");

    let terms = ok_json(
        d,
        &[
            "admin",
            "settlement-terms",
            "--partner",
            id,
            "--from",
            "2026-01",
            "--default",
            "0.15",
            "--service",
            "hws.service.type.ec2=0.2",
            "--json",
        ],
    );
    assert_eq!(
        (terms["default"].as_str(), terms["services"]["hws.service.type.ec2"].as_str()),
        (Some("0.15"), Some("0.2"))
    );
    fails(
        d,
        &["admin", "settlement-terms", "--partner", id, "--from", "2026-01", "--default", "1.5"],
        "between 0 and 1",
    );
    fails(
        d,
        &["admin", "settlement-terms", "--partner", id, "--from", "Jan", "--default", "0.1"],
        "month like 2026-05",
    );
    assert_eq!(ok_json(d, &["admin", "tax-rate", "--country", "SG", "--rate", "0.09", "--json"])["rate"], "0.09");
    fails(d, &["admin", "tax-rate", "--country", "Singapore", "--rate", "0.09"], "country");

    // A month long over closes (nothing to bill in it here); running it again changes nothing.
    let run = ok_json(d, &["admin", "bill-run", "--month", "2026-01", "--json"]);
    assert_eq!((run["done"].as_bool(), run["customers_billed"].as_u64()), (Some(true), Some(0)));
    assert_eq!(ok_json(d, &["admin", "bill-run", "--month", "2026-01", "--json"])["done"], true);
    fails(d, &["admin", "bill-run", "--month", "2999-01"], "not over yet");
}

/// Issue 14: a bill run killed with SIGKILL mid-run is taken over by the next one, which
/// finishes it with every customer billed once and the partner's bill exact.
#[test]
fn a_bill_run_killed_mid_run_is_taken_over_and_finished_exactly_once() {
    use opc_domain::partner::Program;
    use opc_domain::usage::Cycle;
    use sqlx::Connection;

    const CUSTOMERS: i64 = 30_000;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let store = rt.block_on(opc_testkit::TestStore::sqlite());
    let url = store.url().to_owned();
    let app = rt.block_on(opc_testkit::app::TestApp::new(store));
    let partner = rt.block_on(app.partner("Acme Ltd", Program::CloudSolutionProvider, None)).partner.id().clone();
    // March 2026's usage of 30,000 reseller customers, 0.0125 each, as ingestion stores it.
    rt.block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        let seed = format!(
            "INSERT INTO usage_hours (customer_id, cycle, hour_ms, resource_id, usage_factor, usage_measure_id, \
             resource_spec, region, service_type, resource_type, partner_id, model, usage_e8, amount_e8, records, \
             first_ended_at_ms, last_ended_at_ms) \
             WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < {last}) \
             SELECT 'k' || (100000 + i), 202603, 1772323200000, 'vm-' || i, 'Duration', 4, 's6', 'ap-southeast-1', \
             'hws.service.type.ec2', 'hws.resource.type.vm', '{partner}', 'reseller', 100000000, 1250000, 1, 0, 0 FROM seq",
            last = CUSTOMERS - 1
        );
        sqlx::query(&seed).execute(&mut conn).await.unwrap();
        for totals in opc_testkit::seed::SPEND_TOTALS_OF_USAGE_HOURS {
            sqlx::query(totals).execute(&mut conn).await.unwrap();
        }
    });
    let dir = tempfile::tempdir().unwrap();
    // The database's secrets were sealed with the app's key: the CLI must use it (issue 17).
    let key = app.ctx.master_key.to_hex();
    let cli = |extra: &[&str]| {
        let mut args = vec!["--database-url", url.as_str(), "--master-key", key.as_str()];
        args.extend_from_slice(&["admin", "bill-run", "--month", "2026-03", "--json"]);
        args.extend_from_slice(extra);
        let mut command = Command::new(BIN);
        command.current_dir(dir.path()).args(&args).env_remove("RUST_LOG");
        command
    };
    let mut first = cli(&[]).stdout(std::process::Stdio::null()).spawn().unwrap();
    let killed_at = loop {
        let run = rt.block_on(app.ctx.store.bill_run(Cycle(202603))).unwrap();
        if let Some(run) = run.filter(|r| r.customers_done >= 1_000) {
            first.kill().unwrap();
            break run.customers_done;
        }
        assert!(first.try_wait().unwrap().is_none(), "the run ended before it could be killed");
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    first.wait().unwrap();
    let stored = rt.block_on(app.ctx.store.bill_run(Cycle(202603))).unwrap().unwrap();
    assert_ne!(stored.phase, opc_core::store::RunPhase::Done, "killed at {killed_at}: {stored:?}");
    // The killed process's lease still lasts: a plain run leaves it alone.
    let held = ok_json(
        dir.path(),
        &["--database-url", &url, "--master-key", &key, "admin", "bill-run", "--month", "2026-03", "--json"],
    );
    assert_eq!(held["done"], false);
    let out = cli(&["--take-over"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let done: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((done["done"].as_bool(), done["customers_billed"].as_i64()), (Some(true), Some(CUSTOMERS)));
    let bill = rt.block_on(app.ctx.store.partner_bill(&partner, Cycle(202603))).unwrap().unwrap();
    let expected = opc_domain::Money::from_e8(1_250_000 * CUSTOMERS).unwrap();
    assert_eq!(bill.totals.official, expected, "every customer's spend billed once");
    assert_eq!(
        rt.block_on(app.ctx.store.partner_bill_lines(&partner, Cycle(202603))).unwrap().len(),
        CUSTOMERS as usize
    );
}

#[test]
fn discount_policies_and_scopes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = ok_json(
        d,
        &["admin", "partner", "create", "--name", "Acme Ltd", "--country", "SG", "--program", "csp", "--json"],
    );
    let id = p["partner_id"].as_str().unwrap();
    let catalog = serde_json::json!({
        "service_types": [{"code": "hws.service.type.ec2", "name": "Elastic Cloud Server"}],
        "resource_types": [], "usage_types": [], "measure_units": [], "specs": [], "prices": []});
    std::fs::write(d.join("catalog.json"), catalog.to_string()).unwrap();
    ok_json(d, &["admin", "catalog", "import", "catalog.json", "--json"]);

    let ec2 = "hws.service.type.ec2";
    let policy = ok_json(d, &["admin", "discount-policy", "--service-type", ec2, "--allow", "--json"]);
    assert_eq!((policy["allow_discount"].as_bool(), policy["incentive_policy"].as_str()), (Some(true), Some("0")));
    let spot =
        ok_json(d, &["admin", "discount-policy", "--service-type", ec2, "--allow", "--exclusion", "spot", "--json"]);
    assert_eq!(spot["allow_discount"], false, "an exclusion wins over the list (A-09)");
    let scope =
        ok_json(d, &["admin", "discount-scope", "--partner", id, "--service-type", ec2, "--max", "0.2", "--json"]);
    assert_eq!((scope["max_discount"].as_str(), scope["service_type"].as_str()), (Some("0.2"), Some(ec2)));
    fails(d, &["admin", "discount-scope", "--partner", id, "--service-type", ec2, "--max", "1.5"], "between 0 and 1");
    fails(
        d,
        &["admin", "discount-scope", "--partner", id, "--service-type", "hws.service.type.x", "--max", "0.1"],
        "catalog",
    );
    fails(
        d,
        &["admin", "discount-scope", "--partner", "nobody", "--service-type", ec2, "--max", "0.1"],
        "no partner nobody",
    );
    fails(d, &["admin", "discount-policy", "--service-type", ec2, "--incentive-policy", "7"], "incentive-policy");
}

#[test]
fn test_coupon_requests_are_listed_decided_and_filed() {
    let dir = tempfile::tempdir().unwrap();
    let p = ok_json(
        dir.path(),
        &["admin", "partner", "create", "--name", "Acme Ltd", "--country", "SG", "--program", "csp", "--json"],
    );
    let partner = p["partner_id"].as_str().unwrap();
    assert_eq!(ok_json(dir.path(), &["admin", "test-coupon", "list", "--pending", "--json"]), serde_json::json!([]));
    fails(dir.path(), &["admin", "test-coupon", "approve", "--request", "nope"], "no test-coupon request nope");
    fails(
        dir.path(),
        &["admin", "test-coupon", "reject", "--request", "nope", "--reason", "x"],
        "no test-coupon request",
    );
    let project = |customer: &str, link: &str| {
        vec![
            "admin".to_owned(),
            "test-coupon".into(),
            "project".into(),
            "--partner".into(),
            partner.into(),
            "--customer".into(),
            customer.into(),
            "--amount".into(),
            "2000".into(),
            "--resource-config".into(),
            link.into(),
            "--purpose".into(),
            "Load test".into(),
            "--background".into(),
            "Retail chain".into(),
            "--expected-order-date".into(),
            "2026-09-01".into(),
            "--expected-order-amount".into(),
            "50000".into(),
        ]
    };
    let args = project("0123456789abcdef0123456789abcdef", "https://calc.example/share/1");
    fails(dir.path(), &args.iter().map(String::as_str).collect::<Vec<_>>(), "is not your customer");
    let args = project("0123456789abcdef0123456789abcdef", "not a link");
    fails(dir.path(), &args.iter().map(String::as_str).collect::<Vec<_>>(), "invalid --resource-config");
    fails(
        dir.path(),
        &["--test-coupon-limits", "1,2,3", "admin", "test-coupon", "list"],
        "invalid --test-coupon-limits",
    );
}

#[test]
fn stored_value_cards_are_recorded_for_customers_only() {
    let dir = tempfile::tempdir().unwrap();
    let p = ok_json(
        dir.path(),
        &["admin", "partner", "create", "--name", "Acme", "--country", "SG", "--program", "csp", "--json"],
    );
    assert_eq!(ok_json(dir.path(), &["admin", "stored-value-card", "list", "--json"]), serde_json::json!([]));
    let issue = |customer: &str, face: &str| {
        vec![
            "admin".to_owned(),
            "stored-value-card".into(),
            "issue".into(),
            "--customer".into(),
            customer.to_owned(),
            "--name".into(),
            "Prepaid".into(),
            "--face-value".into(),
            face.to_owned(),
            "--to".into(),
            "2099-01-01T00:00:00Z".into(),
        ]
    };
    let args = issue("ffffffffffffffffffffffffffffffff", "100");
    fails(dir.path(), &args.iter().map(String::as_str).collect::<Vec<_>>(), "no customer");
    // A partner's account holds no card: its cards would be a customer's own money.
    let args = issue(p["domain_id"].as_str().unwrap(), "100");
    fails(dir.path(), &args.iter().map(String::as_str).collect::<Vec<_>>(), "no customer");
    let args = issue("ffffffffffffffffffffffffffffffff", "1.001");
    fails(dir.path(), &args.iter().map(String::as_str).collect::<Vec<_>>(), "invalid --face-value");
}
