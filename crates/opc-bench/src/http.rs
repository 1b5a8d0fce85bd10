//! Load over real HTTP, as `wrk` would send it: the server on a local port, and a client on a
//! thread of its own keeping `connections` keep-alive connections busy for a while, each
//! sending its next request as soon as the last is answered.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::Request;
use hyper_util::rt::TokioIo;

use crate::Measured;

/// Serves `router` on a free local port, as `partner-center serve` does (with the peer's
/// address for throttling), until the process ends.
pub async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
    let address = listener.local_addr().expect("its address");
    let app = router.into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    address
}

/// One request to send again and again.
#[derive(Clone)]
pub struct Target {
    pub method: &'static str,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Target {
    fn request(&self, address: SocketAddr) -> Request<Full<Bytes>> {
        let mut req = Request::builder().method(self.method).uri(&self.path);
        if !self.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("host")) {
            req = req.header("host", address.to_string());
        }
        for (name, value) in &self.headers {
            req = req.header(name, value);
        }
        req.body(Full::new(Bytes::from(self.body.clone()))).expect("a valid request")
    }
}

/// Sends `target` over `connections` connections for `duration` (after a warm-up of a tenth of
/// it); every answer must be a 200.
pub fn load(address: SocketAddr, target: &Target, connections: usize, duration: Duration) -> Measured {
    let target = Arc::new(target.clone());
    std::thread::spawn(move || {
        let client = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a client runtime");
        client.block_on(async move {
            drive(address, &target, connections, duration / 10).await;
            drive(address, &target, connections, duration).await
        })
    })
    .join()
    .expect("the client thread")
}

async fn drive(address: SocketAddr, target: &Arc<Target>, connections: usize, duration: Duration) -> Measured {
    let start = Instant::now();
    let until = start + duration;
    let mut tasks = Vec::with_capacity(connections);
    for _ in 0..connections {
        let target = target.clone();
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(address).await.expect("connect");
            stream.set_nodelay(true).expect("nodelay");
            let (mut sender, connection) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.expect("an HTTP/1 connection");
            tokio::spawn(connection);
            let mut samples = Vec::new();
            while Instant::now() < until {
                let t = Instant::now();
                let response = sender.send_request(target.request(address)).await.expect("an answer");
                let status = response.status();
                let body = response.into_body().collect().await.expect("its body").to_bytes();
                samples.push(t.elapsed());
                assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
            }
            samples
        }));
    }
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await.expect("a connection"));
    }
    Measured { samples, total: start.elapsed() }
}
