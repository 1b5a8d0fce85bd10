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

use opc_testkit::TestDatabase;

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
    let suite = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sdk-tests");
    let throttle = [("OPC_THROTTLE_PER_SECOND", THROTTLE_PER_SECOND.to_owned())];
    support::run_suite(&format!("the SDK suite on {backend}"), &python, &suite, &db.url, &throttle, &[]);
    opc_testkit::ran(&format!("sdk {backend}"));
}
