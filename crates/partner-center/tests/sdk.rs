//! SDK conformance: the real server, started as a process, called by the official, unmodified
//! Python SDK (`huaweicloudsdkbssintl`) through the pytest suite in `sdk-tests/`, on SQLite and
//! on PostgreSQL. The server is then stopped with SIGTERM and must exit cleanly.
//!
//! The SDK's Python is `OPC_SDK_PYTHON` (default `~/.cache/opc-sdk-venv/bin/python`, the
//! virtualenv `.ci/run` creates). Without it the test says so and passes, unless
//! `OPC_REQUIRE_ALL_BACKENDS` is set.

mod support;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use support::{free_port, terminate, wait_exit, wait_healthy};

use opc_testkit::TestDatabase;

const BIN: &str = env!("CARGO_BIN_EXE_partner-center");
/// High enough for the suite's bursts of validation calls, low enough for its throttling test.
const THROTTLE_PER_SECOND: &str = "50";

#[tokio::test]
async fn official_sdk_against_sqlite() {
    conformance("sqlite", TestDatabase::sqlite());
}

#[tokio::test]
async fn official_sdk_against_postgres() {
    if let Some(db) = TestDatabase::postgres().await {
        conformance("postgres", db);
    }
}

fn sdk_python() -> Option<PathBuf> {
    let python = std::env::var_os("OPC_SDK_PYTHON")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/opc-sdk-venv/bin/python")))?;
    let usable = Command::new(&python)
        .args(["-c", "import huaweicloudsdkbssintl, pytest"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if usable {
        return Some(python);
    }
    if std::env::var_os("OPC_REQUIRE_ALL_BACKENDS").is_some() {
        panic!("the SDK virtualenv is missing at {} (OPC_REQUIRE_ALL_BACKENDS is set)", python.display());
    }
    eprintln!(
        "skipping the SDK conformance run: no Python with huaweicloudsdkbssintl and pytest at {}",
        python.display()
    );
    None
}

fn conformance(backend: &str, db: TestDatabase) {
    let Some(python) = sdk_python() else { return };
    let logs = tempfile::tempdir().unwrap();
    let master_key = opc_core::MasterKey::generate().to_hex();
    let port = free_port();
    let log_path = logs.path().join("server.log");
    let mut server = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", &db.url)
        .env("OPC_MASTER_KEY", &master_key)
        .env("OPC_DATA_DIR", logs.path())
        .env("OPC_THROTTLE_PER_SECOND", THROTTLE_PER_SECOND)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .expect("start the server");
    let server_log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    if !wait_healthy(port, &mut server) {
        let _ = server.kill();
        panic!("the server did not become healthy on {backend}:\n{}", server_log());
    }

    let suite = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sdk-tests");
    let out = Command::new(&python)
        .args(["-m", "pytest", "-q"])
        .arg(&suite)
        .env("OPC_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .env("OPC_CLI", BIN)
        .env("OPC_DATABASE_URL", &db.url)
        .env("OPC_MASTER_KEY", &master_key)
        .env("OPC_DATA_DIR", logs.path())
        .env("OPC_THROTTLE_PER_SECOND", THROTTLE_PER_SECOND)
        .output()
        .expect("run pytest");

    terminate(&server);
    let exit = wait_exit(&mut server, Duration::from_secs(15));
    let report = format!(
        "{}{}\n--- server log ---\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        server_log()
    );
    assert!(out.status.success(), "the SDK suite failed on {backend}:\n{report}");
    assert!(exit.is_some_and(|s| s.success()), "the server did not shut down cleanly on SIGTERM ({exit:?}):\n{report}");
    opc_testkit::ran(&format!("sdk {backend}"));
}
