//! A small HTTPS server for the web sources of discovery (ISPDB, autoconfig, Autodiscover): fixed
//! routes, a real TLS stack with the test PKI's certificates, and a log of the request lines so a
//! test can prove what the client sent (and what it did not send).
//!
//! HTTP/1.1 only, one request per connection (`Connection: close`), hand-written: it is a test
//! server, not a web server. It runs on its own thread with its own tokio runtime, so it works
//! with or without a runtime in the test; dropping it stops it (hanging connections included).
//!
//! ```no_run
//! use inlet_testkit::{HttpsServer, Route, TestPki};
//! let pki = TestPki::generate();
//! let server = HttpsServer::start(&pki, vec![
//!     Route::ok("/v1.1/example.test", "text/xml", "<clientConfig/>"),
//!     Route::hang("/slow"),
//! ]);
//! // https://localhost:{server.port()}/v1.1/example.test, trusting pki.ca_pem_path()
//! ```

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::watch;

use crate::pki::{CertKind, TestPki};

/// Longest request head read (request line and headers).
const MAX_HEAD: usize = 64 * 1024;
/// How long a client may take to send its TLS handshake and request head.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// What the server answers for one path.
#[derive(Clone, Debug)]
pub struct Route {
    /// `/path` matches the path whatever the query; `/path?query` matches exactly that target.
    pub path: String,
    pub status: u16,
    /// None: no Content-Type header at all.
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// A `Location` header (for redirects).
    pub location: Option<String>,
    /// Never answer: read the request, then keep the connection open and silent until the
    /// server is dropped.
    pub hang: bool,
}

impl Route {
    /// 200 with a body.
    pub fn ok(path: &str, content_type: &str, body: impl Into<Vec<u8>>) -> Route {
        Route {
            path: path.into(),
            status: 200,
            content_type: Some(content_type.into()),
            body: body.into(),
            location: None,
            hang: false,
        }
    }

    /// A bare status (404, 500...) with a short text body.
    pub fn status(path: &str, status: u16) -> Route {
        Route {
            path: path.into(),
            status,
            content_type: Some("text/plain".into()),
            body: format!("status {status}\n").into_bytes(),
            location: None,
            hang: false,
        }
    }

    /// A redirect (`status` 301, 302, 307, 308) to `location`.
    pub fn redirect(path: &str, status: u16, location: &str) -> Route {
        Route { location: Some(location.into()), body: Vec::new(), content_type: None, ..Route::status(path, status) }
    }

    /// A route that never answers.
    pub fn hang(path: &str) -> Route {
        Route { hang: true, ..Route::status(path, 200) }
    }

    fn matches(&self, target: &str) -> bool {
        if self.path.contains('?') {
            self.path == target
        } else {
            target.split('?').next() == Some(self.path.as_str())
        }
    }
}

/// A running HTTPS server on 127.0.0.1 (see the module docs).
pub struct HttpsServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Option<watch::Sender<bool>>,
    thread: Option<JoinHandle<()>>,
}

impl HttpsServer {
    /// Serves `routes` with the test PKI's valid certificate (localhost, 127.0.0.1, ...).
    pub fn start(pki: &TestPki, routes: Vec<Route>) -> HttpsServer {
        let (cert, key) = pki.cert(CertKind::Valid);
        HttpsServer::start_with_cert(&cert, &key, routes)
    }

    /// Serves `routes` with the given certificate chain and key (PEM files), e.g. one from
    /// [`TestPki::issue`] or [`TestPki::cert`] of a bad kind.
    pub fn start_with_cert(cert_pem: &Path, key_pem: &Path, routes: Vec<Route>) -> HttpsServer {
        Self::try_start(cert_pem, key_pem, routes).expect("starting the test HTTPS server")
    }

    fn try_start(cert_pem: &Path, key_pem: &Path, routes: Vec<Route>) -> io::Result<HttpsServer> {
        let certs = rustls_pemfile::certs(&mut std::fs::read(cert_pem)?.as_slice()).collect::<Result<Vec<_>, _>>()?;
        let key = rustls_pemfile::private_key(&mut std::fs::read(key_pem)?.as_slice())?
            .ok_or_else(|| io::Error::other("no private key in the key file"))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(io::Error::other)?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(io::Error::other)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));

        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (stop, stopped) = watch::channel(false);
        let routes = Arc::new(routes);
        let log = requests.clone();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let thread = std::thread::Builder::new().name(format!("https-{}", addr.port())).spawn(move || {
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("registering the listener");
                let mut stop_accepting = stopped.clone();
                let mut connections = tokio::task::JoinSet::new();
                loop {
                    tokio::select! {
                        accepted = listener.accept() => {
                            let Ok((tcp, _)) = accepted else { continue };
                            let (acceptor, routes, log, mut stopped) = (acceptor.clone(), routes.clone(), log.clone(), stopped.clone());
                            connections.spawn(async move {
                                tokio::select! {
                                    _ = serve(tcp, acceptor, &routes, &log) => {}
                                    _ = stopped.wait_for(|s| *s) => {}
                                }
                            });
                        }
                        _ = stop_accepting.wait_for(|s| *s) => break,
                    }
                }
                connections.abort_all();
            });
        })?;
        Ok(HttpsServer { addr, requests, stop: Some(stop), thread: Some(thread) })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `https://localhost:{port}` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("https://localhost:{}", self.port())
    }

    /// The request lines received so far (`GET /v1.1/example.test HTTP/1.1`), in order.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for HttpsServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    tcp: tokio::net::TcpStream,
    acceptor: tokio_rustls::TlsAcceptor,
    routes: &[Route],
    log: &Mutex<Vec<String>>,
) -> io::Result<()> {
    let mut tls = tokio::time::timeout(READ_TIMEOUT, acceptor.accept(tcp))
        .await
        .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
    let head = tokio::time::timeout(READ_TIMEOUT, read_head(&mut tls))
        .await
        .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
    let request_line = head.lines().next().unwrap_or("").to_owned();
    log.lock().unwrap().push(request_line.clone());
    let target = request_line.split(' ').nth(1).unwrap_or("");
    let route = routes.iter().find(|r| r.matches(target));
    let Some(route) = route else {
        return respond(&mut tls, 404, Some("text/plain"), None, b"no such route\n").await;
    };
    if route.hang {
        std::future::pending::<()>().await;
    }
    respond(&mut tls, route.status, route.content_type.as_deref(), route.location.as_deref(), &route.body).await
}

async fn read_head<S: tokio::io::AsyncRead + Unpin>(stream: &mut S) -> io::Result<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.len() > MAX_HEAD {
            return Err(io::Error::other("request head too long"));
        }
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

async fn respond<S: tokio::io::AsyncWrite + Unpin>(
    stream: &mut S,
    status: u16,
    content_type: Option<&str>,
    location: Option<&str>,
    body: &[u8],
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n", reason(status), body.len());
    if let Some(ct) = content_type {
        head.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    if let Some(location) = location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    // The client may stop reading (a body over its limit): a write error is not ours to report.
    stream.write_all(body).await?;
    stream.flush().await?;
    stream.shutdown().await
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// A raw TLS client (std, blocking) asks one route; the answer and the request log match.
    #[test]
    fn serves_routes_and_logs_request_lines() {
        let pki = TestPki::generate();
        let server = HttpsServer::start(&pki, vec![Route::ok("/a", "text/xml", "<x/>"), Route::status("/b?q=1", 500)]);
        let answer = |target: &str| {
            let mut roots = rustls::RootCertStore::empty();
            let ca = std::fs::read(pki.ca_pem_path()).unwrap();
            roots.add_parsable_certificates(rustls_pemfile::certs(&mut ca.as_slice()).map(|c| c.unwrap()));
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_root_certificates(roots)
                .with_no_client_auth();
            let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
            let mut conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
            let mut tcp = std::net::TcpStream::connect(server.addr()).unwrap();
            let mut tls = rustls::Stream::new(&mut conn, &mut tcp);
            write!(tls, "GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
            let mut out = Vec::new();
            let _ = tls.read_to_end(&mut out);
            String::from_utf8_lossy(&out).into_owned()
        };
        let a = answer("/a?emailaddress=x");
        assert!(a.starts_with("HTTP/1.1 200 OK\r\n"), "{a}");
        assert!(a.contains("Content-Type: text/xml\r\n") && a.ends_with("<x/>"), "{a}");
        assert!(answer("/b?q=1").starts_with("HTTP/1.1 500"));
        assert!(answer("/b").starts_with("HTTP/1.1 404"));
        assert_eq!(
            server.requests(),
            vec!["GET /a?emailaddress=x HTTP/1.1", "GET /b?q=1 HTTP/1.1", "GET /b HTTP/1.1"]
        );
    }
}
