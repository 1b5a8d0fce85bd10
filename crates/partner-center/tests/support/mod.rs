//! Running the real server as a process, for the suites that drive it from outside (the
//! official SDK, the browser).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_partner-center");

/// Starts the server on `database_url` with `server_env`, runs the pytest `suite` with
/// `python` against it (with `suite_env` besides the endpoint, the CLI, the database and the
/// master key), stops the server with SIGTERM and asserts that both went well. `what` names
/// the run in failures.
pub fn run_suite(
    what: &str,
    python: &Path,
    suite: &Path,
    database_url: &str,
    server_env: &[(&str, String)],
    suite_env: &[(&str, String)],
) {
    let logs = tempfile::tempdir().unwrap();
    let master_key = opc_core::MasterKey::generate().to_hex();
    let port = free_port();
    let log_path = logs.path().join("server.log");
    let common = [
        ("DATABASE_URL", database_url.to_owned()),
        ("OPC_MASTER_KEY", master_key.clone()),
        ("OPC_DATA_DIR", logs.path().display().to_string()),
    ];
    let mut server = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .envs(common.iter().chain(server_env).map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .expect("start the server");
    let server_log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    if !wait_healthy(port, &mut server) {
        let _ = server.kill();
        panic!("the server did not become healthy for {what}:\n{}", server_log());
    }
    let out = Command::new(python)
        .args(["-m", "pytest", "-q"])
        .arg(suite)
        .envs(common.iter().chain(server_env).chain(suite_env).map(|(k, v)| (*k, v.as_str())))
        .env("OPC_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .env("OPC_CLI", BIN)
        .env("OPC_DATABASE_URL", database_url)
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
    assert!(out.status.success(), "{what} failed:\n{report}");
    assert!(exit.is_some_and(|s| s.success()), "the server did not shut down cleanly on SIGTERM ({exit:?}):\n{report}");
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Polls `GET /health` until it answers 200 (or the server exits, or 30 s pass).
fn wait_healthy(port: u16, server: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if matches!(server.try_wait(), Ok(Some(_))) {
            return false;
        }
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            let mut response = String::new();
            let asked = s.write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").is_ok();
            if asked && s.read_to_string(&mut response).is_ok() && response.starts_with("HTTP/1.1 200") {
                return true;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn terminate(server: &Child) {
    let _ = Command::new("kill").args(["-TERM", &server.id().to_string()]).status();
}

fn wait_exit(server: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = server.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = server.kill();
    None
}
