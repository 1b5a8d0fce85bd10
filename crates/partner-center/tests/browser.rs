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

use opc_testkit::TestDatabase;

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

/// Runs the Playwright suite in `folder` (under the repository root) against a server on a new
/// SQLite database started with `server_env`, saving screenshots in the target dir.
fn run_browser_suite(what: &str, python: &std::path::Path, folder: &str, server_env: &[(&str, String)]) {
    let db = TestDatabase::sqlite();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let env = [
        ("OPC_CHROMIUM", chromium().display().to_string()),
        ("OPC_SCREENSHOTS", target.join("screenshots").display().to_string()),
    ];
    support::run_suite(what, python, &root.join(folder), &db.url, server_env, &env);
}

#[test]
fn browser_journeys() {
    let Some(python) = browser_python() else { return };
    run_browser_suite("the browser journeys", &python, "browser-tests", &[]);
    opc_testkit::ran("browser");
}

/// Issue 17: a server started with `--demo` on an empty database; every page of every
/// audience renders without errors or sideways scrolling, at 1280 and 390 px.
#[test]
fn the_demo_in_a_browser() {
    let Some(python) = browser_python() else { return };
    run_browser_suite("the demo in a browser", &python, "browser-tests/demo", &[("OPC_DEMO", "1".to_owned())]);
}
