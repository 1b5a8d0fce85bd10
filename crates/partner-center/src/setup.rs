//! Start-up plumbing: tracing, the store from the URL, the master key, the server.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context as _};
use opc_core::ops::master_key::{self, MasterKeyMismatch};
use opc_core::ops::Policy;
use opc_core::{Context, MasterKey, PasswordWork, PublicUrl, Services, Store, SystemClock};
use tracing_subscriber::EnvFilter;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Logs go to stderr, filtered by `RUST_LOG` (default: `default_level`).
pub fn init_tracing(format: LogFormat, default_level: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// Picks the backend from the URL's scheme.
pub async fn open_store(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.trim_start_matches("//");
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() || path == ":memory:" {
            bail!("use a file for SQLite (sqlite://PATH): an in-memory database would not outlive one connection");
        }
        if let Some(folder) = Path::new(path).parent().filter(|f| !f.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)
                .with_context(|| format!("cannot create the folder {}", folder.display()))?;
        }
        let store = opc_store::SqlStore::connect(url)
            .await
            .map_err(|e| anyhow::Error::new(e).context(format!("cannot open {path}")))?;
        return Ok(Arc::new(store));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = opc_store::SqlStore::connect(url)
            .await
            .map_err(|e| anyhow::Error::new(e).context("cannot connect to PostgreSQL"))?;
        return Ok(Arc::new(store));
    }
    bail!("unsupported database URL: use sqlite://PATH or postgres://USER@HOST/DATABASE")
}

/// The master key from the flag or environment, else from `data_dir/master.key`, generated
/// there (readable by the owner only) on first start; then checked against the database, which
/// records its check value (issue 17): a key that is not the one its secrets were sealed with
/// stops the start with both places named, and no second key is ever generated for a database
/// that already holds sealed secrets.
pub async fn master_key(
    store: &dyn Store,
    given: Option<&str>,
    data_dir: &Path,
    database_url: &str,
) -> anyhow::Result<MasterKey> {
    let database = database_label(database_url);
    let path = data_dir.join("master.key");
    let (key, source) = match given {
        Some(hex) => (MasterKey::from_hex(hex).context("OPC_MASTER_KEY")?, "--master-key (OPC_MASTER_KEY)".to_owned()),
        None => match std::fs::read_to_string(&path) {
            Ok(text) => {
                (MasterKey::from_hex(&text).with_context(|| format!("{}", path.display()))?, path.display().to_string())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if master_key::database_is_sealed(store).await? {
                    bail!(
                        "{} does not exist, but the database {database} holds secrets sealed with a master key: \
                         start with the key they were sealed with (--data-dir naming the folder of its master.key, \
                         or --master-key); a new key would not open them",
                        path.display()
                    );
                }
                let key = MasterKey::generate();
                std::fs::create_dir_all(data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
                write_private(&path, &key.to_hex()).with_context(|| format!("cannot write {}", path.display()))?;
                tracing::warn!(path = %path.display(), "Generated a new master key; back it up: secret keys cannot be read without it");
                (key, path.display().to_string())
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        },
    };
    match master_key::verify(store, &key).await {
        Ok(()) => Ok(key),
        Err(MasterKeyMismatch::Store(e)) => Err(anyhow::Error::new(e).context("cannot check the master key")),
        Err(mismatch) => bail!(
            "the master key of {source} does not fit the database {database} ({mismatch}): start with the key it \
             was sealed with (--data-dir naming the folder of its master.key, or --master-key)"
        ),
    }
}

/// The database as people name it: a SQLite file's path, a PostgreSQL URL without its password.
pub fn database_label(url: &str) -> String {
    if let Some(rest) = url.strip_prefix("sqlite:") {
        return rest.trim_start_matches("//").split('?').next().unwrap_or_default().to_owned();
    }
    match url.split_once("://").and_then(|(scheme, rest)| rest.split_once('@').map(|(user, host)| (scheme, user, host)))
    {
        Some((scheme, user, host)) => format!("{scheme}://{}@{host}", user.split(':').next().unwrap_or_default()),
        None => url.to_owned(),
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// The services of a process; `link_base` is where links people receive point (the public URL,
/// else the address the server listens on).
pub fn context(
    store: Arc<dyn Store>,
    master_key: MasterKey,
    policy: Policy,
    public_url: Option<PublicUrl>,
    link_base: PublicUrl,
) -> Context {
    // Issue 18: argon2 off the async workers, one per CPU at once.
    let passwords = Arc::new(PasswordWork::per_cpu());
    Context::new(Services {
        store,
        clock: Arc::new(SystemClock),
        master_key: Arc::new(master_key),
        policy,
        passwords,
        public_url,
        link_base,
        principals: Arc::default(),
        answers: Arc::default(),
    })
}

pub async fn serve(ctx: Context, listen: SocketAddr, config: opc_http::HttpConfig) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    // The console at `/` (at the public URL when one is set), the partner and console APIs beside it.
    let console = ctx
        .public_url
        .as_ref()
        .map_or_else(|| format!("http://{listen}/"), |u| format!("{}/", u.as_str().trim_end_matches('/')));
    tracing::info!(
        address = %listen,
        console = %console,
        "Open the console at {console}; the partner API (BSS) and the console API (/api/v1) answer on http://{listen}"
    );
    let app = opc_http::router(ctx, config).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    tracing::info!("Stopped");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("Shutting down: finishing the requests in flight");
}

/// Folds a multi-line message into one line (clap's usage errors, error chains).
pub fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("For more information") && !l.starts_with("Usage:"))
        .collect::<Vec<_>>()
        .join(" ")
}
