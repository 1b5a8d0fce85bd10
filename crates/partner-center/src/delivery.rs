//! The outbox's IO: emails handed to a sendmail-compatible command (or, without one, written
//! to a spool directory for the local mail system to pick up), webhooks POSTed over HTTP or
//! HTTPS (the web PKI's roots), and the loop that delivers what is due.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use opc_core::ops::outbox::{self, Transport};
use opc_core::Context;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio_rustls::rustls;

/// Where emails go.
#[derive(Clone, Debug)]
pub enum Mail {
    /// A sendmail-compatible command (`/usr/sbin/sendmail -t -i`) reading the message on stdin.
    Command(Vec<String>),
    /// A directory the messages are written to, one `.eml` file each.
    Spool(PathBuf),
}

/// Where text messages (SMS) go.
#[derive(Clone, Debug)]
pub enum Sms {
    /// A command run with the phone number as its last argument, reading the text on stdin.
    Command(Vec<String>),
    /// A directory the messages are written to, one `.sms` file each (`To:` line, blank line,
    /// text), for an SMS gateway to pick up.
    Spool(PathBuf),
}

pub struct Delivery {
    mail: Mail,
    sms: Sms,
    from: String,
    tls: tokio_rustls::TlsConnector,
    /// Whether webhooks may reach loopback, private and link-local addresses. Off by default:
    /// a partner's URL must not make the server call its own network (SSRF).
    private_networks: bool,
}

/// How long one webhook POST may take.
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

impl Delivery {
    pub fn new(mail: Mail, sms: Sms, from: String, private_networks: bool) -> Delivery {
        let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("ring supports the default protocol versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        Delivery { mail, sms, from, tls: tokio_rustls::TlsConnector::from(Arc::new(config)), private_networks }
    }

    /// The message as RFC 5322 text: UTF-8 plain text, the subject encoded per RFC 2047.
    fn message(&self, to: &str, subject: &str, body: &str) -> String {
        let subject = base64::engine::general_purpose::STANDARD.encode(subject);
        format!(
            "From: {}\r\nTo: {to}\r\nSubject: =?UTF-8?B?{subject}?=\r\nMIME-Version: 1.0\r\n\
             Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}\r\n",
            self.from,
            body.replace('\n', "\r\n")
        )
    }
}

/// Runs `argv` with `extra` arguments and writes `input` to its stdin; its failure is the error.
async fn pipe(argv: &[String], extra: &[&str], input: &str) -> Result<(), String> {
    let (program, args) = argv.split_first().ok_or("the command is empty")?;
    let mut child = tokio::process::Command::new(program)
        .args(args)
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("the command has no stdin")?;
    // A command that exits without reading its input breaks the pipe: its exit status, read
    // even then, says more than the broken pipe.
    let written = stdin.write_all(input.as_bytes()).await;
    drop(stdin);
    let out = child.wait_with_output().await.map_err(|e| format!("{program} failed: {e}"))?;
    if !out.status.success() {
        return Err(format!("{program} exited with {}: {}", out.status, String::from_utf8_lossy(&out.stderr).trim()));
    }
    written.map_err(|e| format!("cannot write to {program}: {e}"))
}

/// Writes `content` to a new file with the extension `ext` in `dir`.
async fn spool(dir: &std::path::Path, ext: &str, content: &str) -> Result<(), String> {
    tokio::fs::create_dir_all(dir).await.map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
    let path = dir.join(format!("{ms}-{}.{ext}", uuid_like()));
    tokio::fs::write(&path, content).await.map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `(https, host, port, path)` of an http:// or https:// URL.
fn parse_url(url: &str) -> Result<(bool, String, u16, String), String> {
    let (https, rest) = if let Some(r) = url.strip_prefix("https://") {
        (true, r)
    } else if let Some(r) = url.strip_prefix("http://") {
        (false, r)
    } else {
        return Err(format!("{url:?} is not an http:// or https:// URL"));
    };
    let (authority, path) = rest.split_once('/').map_or((rest, "/".to_owned()), |(a, p)| (a, format!("/{p}")));
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().map_err(|_| format!("{url:?} has a bad port"))?),
        None => (authority, if https { 443 } else { 80 }),
    };
    if host.is_empty() {
        return Err(format!("{url:?} has no host"));
    }
    Ok((https, host.to_owned(), port, path))
}

#[async_trait]
impl Transport for Delivery {
    async fn email(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        let message = self.message(to, subject, body);
        match &self.mail {
            Mail::Command(argv) => pipe(argv, &[], &message).await,
            Mail::Spool(dir) => spool(dir, "eml", &message).await,
        }
    }

    async fn sms(&self, to: &str, text: &str) -> Result<(), String> {
        match &self.sms {
            Sms::Command(argv) => pipe(argv, &[to], text).await,
            Sms::Spool(dir) => spool(dir, "sms", &format!("To: {to}\n\n{text}\n")).await,
        }
    }

    async fn webhook(&self, url: &str, body: &str, signature: &str) -> Result<(), String> {
        tokio::time::timeout(WEBHOOK_TIMEOUT, self.post(url, body, signature))
            .await
            .map_err(|_| format!("no answer from {url} within {} s", WEBHOOK_TIMEOUT.as_secs()))?
    }
}

impl Delivery {
    async fn post(&self, url: &str, body: &str, signature: &str) -> Result<(), String> {
        let (https, host, port, path) = parse_url(url)?;
        let addresses: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|e| format!("cannot resolve {host}: {e}"))?
            .collect();
        if !self.private_networks {
            if let Some(a) = addresses.iter().find(|a| !public(a.ip())) {
                return Err(format!(
                    "{host} is {}, not a public address: webhooks do not reach private networks",
                    a.ip()
                ));
            }
        }
        let tcp = TcpStream::connect(&addresses[..]).await.map_err(|e| format!("cannot connect to {url}: {e}"))?;
        let request = hyper::Request::post(path)
            .header("host", if port == 80 || port == 443 { host.clone() } else { format!("{host}:{port}") })
            .header("content-type", "application/json")
            .header("user-agent", "open-partner-center")
            .header("x-opc-signature", signature)
            .body(Full::new(Bytes::from(body.to_owned())))
            .map_err(|e| format!("cannot build the request: {e}"))?;
        let status = if https {
            let name = rustls::pki_types::ServerName::try_from(host.clone()).map_err(|e| format!("{host}: {e}"))?;
            let tls = self.tls.connect(name, tcp).await.map_err(|e| format!("TLS with {host} failed: {e}"))?;
            send(TokioIo::new(tls), request).await?
        } else {
            send(TokioIo::new(tcp), request).await?
        };
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("{url} answered {status}"))
        }
    }
}

/// Whether an address is on the public internet: not loopback, private, link-local (the cloud
/// metadata service), shared, unspecified, multicast or documentation ranges.
fn public(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b)))
        }
        std::net::IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return public(std::net::IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

async fn send<T>(io: T, request: hyper::Request<Full<Bytes>>) -> Result<hyper::StatusCode, String>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(io).await.map_err(|e| format!("HTTP handshake failed: {e}"))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let response = sender.send_request(request).await.map_err(|e| format!("the POST failed: {e}"))?;
    let status = response.status();
    // Read the answer to its end, so the connection closes cleanly.
    let _ = response.into_body().collect().await;
    Ok(status)
}

fn uuid_like() -> String {
    let bytes: [u8; 16] = opc_core::ops::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Delivers what is due every `every`, until the process ends.
pub fn spawn(ctx: Context, transport: Delivery, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            // A full round may mean more is due: go on at once.
            loop {
                match outbox::deliver_due(&ctx, &transport, 100).await {
                    Ok(r) if r.sent + r.retried + r.failed == 100 => continue,
                    Ok(_) => break,
                    Err(e) => {
                        tracing::error!(error = %e, "Cannot read the outbox");
                        break;
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_webhook_targets() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!public(private.parse().unwrap()), "{private}");
        }
        for open in ["8.8.8.8", "2001:4860:4860::8888"] {
            assert!(public(open.parse().unwrap()), "{open}");
        }
    }

    #[test]
    fn webhook_urls_are_read_with_their_defaults() {
        assert_eq!(
            parse_url("https://hooks.example.com/opc").unwrap(),
            (true, "hooks.example.com".into(), 443, "/opc".into())
        );
        assert_eq!(parse_url("http://127.0.0.1:9000").unwrap(), (false, "127.0.0.1".into(), 9000, "/".into()));
        assert!(parse_url("ftp://x").is_err() && parse_url("http://:80/").is_err());
    }
}

#[cfg(test)]
mod io_tests {
    use std::sync::Mutex;

    use axum::http::HeaderMap;
    use axum::routing::post;

    use super::*;

    #[tokio::test]
    async fn a_webhook_is_posted_with_its_signature_and_an_email_spooled() {
        let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
        let store = seen.clone();
        let app = axum::Router::new().route(
            "/hooks/opc",
            post(move |headers: HeaderMap, body: String| async move {
                let signature = headers.get("x-opc-signature").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                store.lock().unwrap().push((signature, body));
                "ok"
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let spool = tempfile::tempdir().unwrap();
        let local = Delivery::new(
            Mail::Spool(spool.path().to_owned()),
            Sms::Spool(spool.path().join("sms")),
            "OPC <noreply@example.com>".into(),
            false,
        );
        let refused = local.webhook(&format!("http://127.0.0.1:{port}/hooks/opc"), "{}", "s").await.unwrap_err();
        assert!(refused.contains("not a public address"), "{refused}");
        assert!(seen.lock().unwrap().is_empty(), "nothing reached the private address");
        let delivery = Delivery::new(
            Mail::Spool(spool.path().to_owned()),
            Sms::Spool(spool.path().join("sms")),
            "OPC <noreply@example.com>".into(),
            true,
        );

        let url = format!("http://127.0.0.1:{port}/hooks/opc");
        delivery.webhook(&url, r#"{"event":"x"}"#, "sha256=abc").await.unwrap();
        assert_eq!(*seen.lock().unwrap(), vec![("sha256=abc".to_owned(), r#"{"event":"x"}"#.to_owned())]);
        let missing = delivery.webhook(&format!("http://127.0.0.1:{port}/nowhere"), "{}", "s").await.unwrap_err();
        assert!(missing.contains("404"), "{missing}");

        delivery.email("fin@acme.example", "75% of the budget", "Line 1\nLine 2").await.unwrap();
        let file = std::fs::read_dir(spool.path()).unwrap().next().unwrap().unwrap().path();
        let text = std::fs::read_to_string(file).unwrap();
        assert!(
            text.starts_with("From: OPC <noreply@example.com>\r\nTo: fin@acme.example\r\nSubject: =?UTF-8?B?"),
            "{text}"
        );
        assert!(text.ends_with("\r\n\r\nLine 1\r\nLine 2\r\n"), "{text}");

        let piped = Delivery::new(
            Mail::Command(vec!["false".into()]),
            Sms::Command(vec!["false".into()]),
            "x@example.com".into(),
            false,
        );
        assert!(piped.email("a@example.com", "s", "b").await.unwrap_err().contains("exited"));
        assert!(piped.sms("13900000000", "b").await.unwrap_err().contains("exited"));

        let texts = tempfile::tempdir().unwrap();
        let sms =
            Delivery::new(Mail::Spool(spool.path().to_owned()), Sms::Spool(texts.path().to_owned()), "x".into(), false);
        sms.sms("13900000000", "Your code is 123456").await.unwrap();
        let file = std::fs::read_dir(texts.path()).unwrap().next().unwrap().unwrap().path();
        assert_eq!(file.extension().and_then(|e| e.to_str()), Some("sms"));
        assert_eq!(std::fs::read_to_string(file).unwrap(), "To: 13900000000\n\nYour code is 123456\n");
    }
}
