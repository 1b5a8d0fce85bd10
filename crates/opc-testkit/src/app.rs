//! The whole HTTP application over a test store, driven with `oneshot`: no port, no sleep.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use opc_core::ops::admin::CreatedPartner;
use opc_core::ops::Policy;
use opc_core::{Context, ManualClock, MasterKey, PasswordWork, PublicUrl, Services};
use opc_domain::partner::Program;
use opc_domain::{PartnerId, Timestamp};
use tower::ServiceExt;

use crate::sign::{self, Credentials};
use crate::TestStore;

pub struct TestApp {
    pub ctx: Context,
    pub clock: Arc<ManualClock>,
    pub db: TestStore,
    router: axum::Router,
}

/// A response, read whole.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    /// The body as text (lossy for binary bodies; see `bytes`).
    pub body: String,
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn request_id(&self) -> &str {
        self.headers.get("x-request-id").and_then(|v| v.to_str().ok()).expect("every response has X-Request-Id")
    }

    /// Asserts an error envelope with this status and code; returns the message.
    pub fn assert_error(&self, status: u16, code: &str) -> String {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        let json = self.json();
        assert_eq!(json["error_code"], code, "{}", self.body);
        assert_eq!(json.as_object().map(|o| o.len()), Some(2), "only error_code and error_msg: {}", self.body);
        self.request_id();
        json["error_msg"].as_str().expect("error_msg is a string").to_owned()
    }
}

/// The password work of test apps: a few at once, and a wait long enough that a loaded test
/// machine never sees "busy".
pub fn test_password_work() -> PasswordWork {
    PasswordWork::new(4, std::time::Duration::from_secs(120))
}

/// The fixed start of every test's clock: 2026-03-01T08:00:00Z.
pub const T0: Timestamp = Timestamp::from_unix_ms(1_772_352_000_000);

/// Where a test app's links point when it has no public URL.
pub const LOCAL_URL: &str = "http://localhost";

impl TestApp {
    /// The app without throttling (tests send many requests within one instant of their
    /// manual clock).
    pub async fn new(db: TestStore) -> TestApp {
        TestApp::with_throttle(db, 0).await
    }

    pub async fn with_throttle(db: TestStore, throttle_per_second: u32) -> TestApp {
        TestApp::build(db, throttle_per_second, Policy::default(), Arc::new(test_password_work()), None)
    }

    /// The app without throttling, under `policy`.
    pub async fn with_policy(db: TestStore, policy: Policy) -> TestApp {
        TestApp::build(db, 0, policy, Arc::new(test_password_work()), None)
    }

    /// The app without throttling, hashing and checking passwords in `passwords`.
    pub async fn with_password_work(db: TestStore, passwords: Arc<PasswordWork>) -> TestApp {
        TestApp::build(db, 0, Policy::default(), passwords, None)
    }

    /// Another server process on this app's database: its own connections, the same master
    /// key, a clock at this one's instant. Drop it before this app.
    pub async fn another_process(&self) -> TestApp {
        let app = TestApp::build(
            self.db.reconnect().await,
            0,
            Policy::default(),
            Arc::new(test_password_work()),
            self.ctx.public_url.clone(),
        );
        let ctx = Context::new(Services { master_key: self.ctx.master_key.clone(), ..(*app.ctx).clone() });
        app.clock.set(self.ctx.clock.now());
        let router = opc_http::router(ctx.clone(), opc_http::HttpConfig { throttle_per_second: 0 });
        TestApp { ctx, router, ..app }
    }

    /// The app without throttling, served at `public_url` (`https://…` marks its cookies).
    pub async fn with_public_url(db: TestStore, public_url: &str) -> TestApp {
        let public_url = PublicUrl::parse(public_url).expect("a valid public URL");
        TestApp::build(db, 0, Policy::default(), Arc::new(test_password_work()), Some(public_url))
    }

    fn build(
        db: TestStore,
        throttle_per_second: u32,
        policy: Policy,
        passwords: Arc<PasswordWork>,
        public_url: Option<PublicUrl>,
    ) -> TestApp {
        let clock = Arc::new(ManualClock::new(T0));
        let ctx = Context::new(Services {
            store: db.store.clone(),
            clock: clock.clone(),
            master_key: Arc::new(MasterKey::generate()),
            policy,
            passwords,
            link_base: public_url.clone().unwrap_or_else(|| PublicUrl::parse(LOCAL_URL).expect("a valid URL")),
            public_url,
            principals: Arc::default(),
            answers: Arc::default(),
        });
        let router = opc_http::router(ctx.clone(), opc_http::HttpConfig { throttle_per_second });
        TestApp { ctx, clock, db, router }
    }

    pub async fn partner(&self, name: &str, program: Program, distributor: Option<&PartnerId>) -> CreatedPartner {
        crate::seed::partner(&self.ctx, name, program, distributor).await
    }

    pub fn credentials(p: &CreatedPartner) -> Credentials {
        Credentials {
            access_key: p.access_key.as_str().to_owned(),
            secret_key: p.secret_key.expose().to_owned(),
            domain_id: p.account.id().as_str().to_owned(),
        }
    }

    /// The app's router, to serve it on a socket.
    pub fn router(&self) -> axum::Router {
        self.router.clone()
    }

    /// Sends `method target body` signed as the SDK would, now.
    pub async fn signed(&self, method: &str, target: &str, body: &str, creds: &Credentials) -> TestResponse {
        let headers = sign::sdk_headers(method, target, body.as_bytes(), creds, &self.ctx.clock.now().to_sdk_date());
        self.send(method, target, body, &headers).await
    }

    /// Sends a request with exactly these headers.
    pub async fn send(&self, method: &str, target: &str, body: &str, headers: &[(String, String)]) -> TestResponse {
        self.send_bytes(method, target, body.as_bytes().to_vec(), headers).await
    }

    /// Sends a request with a binary body.
    pub async fn send_bytes(
        &self,
        method: &str,
        target: &str,
        body: Vec<u8>,
        headers: &[(String, String)],
    ) -> TestResponse {
        let mut req = Request::builder().method(method).uri(target);
        for (name, value) in headers {
            req = req.header(name, value);
        }
        let req = req.body(Body::from(body)).expect("a valid request");
        let response = self.router.clone().oneshot(req).await.expect("the router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("read the body").to_bytes();
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }
}
