//! Browser journeys: the real server, started as a process on SQLite, driven in headless
//! Chromium (Debian's `/usr/bin/chromium`, or `OPC_CHROMIUM`) by the Playwright suite in
//! `browser-tests/`. Each journey saves screenshots under `target/screenshots/`.
//!
//! The suite's Python is the SDK virtualenv's (`OPC_SDK_PYTHON`, default
//! `~/.cache/opc-sdk-venv/bin/python`) with `playwright` installed. Without it, or without
//! Chromium, the test says so and passes, unless `OPC_REQUIRE_ALL_BACKENDS` is set.

mod support;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use opc_testkit::TestDatabase;
use support::{free_port, terminate, wait_exit, wait_healthy};

const BIN: &str = env!("CARGO_BIN_EXE_partner-center");

fn chromium() -> PathBuf {
    std::env::var_os("OPC_CHROMIUM").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

fn browser_python() -> Option<PathBuf> {
    let python = std::env::var_os("OPC_SDK_PYTHON")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/opc-sdk-venv/bin/python")))?;
    let usable = Command::new(&python)
        .args(["-c", "import playwright, pytest"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if usable && chromium().exists() {
        return Some(python);
    }
    let missing =
        format!("Python with playwright and pytest at {}, and Chromium at {}", python.display(), chromium().display());
    if std::env::var_os("OPC_REQUIRE_ALL_BACKENDS").is_some() {
        panic!("the browser tests need {missing} (OPC_REQUIRE_ALL_BACKENDS is set)");
    }
    eprintln!("skipping the browser journeys: they need {missing}");
    None
}

#[test]
fn browser_journeys() {
    let Some(python) = browser_python() else { return };
    let db = TestDatabase::sqlite();
    let logs = tempfile::tempdir().unwrap();
    let master_key = opc_core::MasterKey::generate().to_hex();
    let port = free_port();
    let log_path = logs.path().join("server.log");
    let mut server = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", &db.url)
        .env("OPC_MASTER_KEY", &master_key)
        .env("OPC_DATA_DIR", logs.path())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .expect("start the server");
    let server_log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    if !wait_healthy(port, &mut server) {
        let _ = server.kill();
        panic!("the server did not become healthy:\n{}", server_log());
    }

    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let out = Command::new(&python)
        .args(["-m", "pytest", "-q"])
        .arg(root.join("browser-tests"))
        .env("OPC_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .env("OPC_CLI", BIN)
        .env("OPC_DATABASE_URL", &db.url)
        .env("OPC_MASTER_KEY", &master_key)
        .env("OPC_DATA_DIR", logs.path())
        .env("OPC_CHROMIUM", chromium())
        .env("OPC_SCREENSHOTS", target.join("screenshots"))
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
    assert!(out.status.success(), "the browser journeys failed:\n{report}");
    assert!(exit.is_some_and(|s| s.success()), "the server did not shut down cleanly ({exit:?}):\n{report}");
    opc_testkit::ran("browser");
}
