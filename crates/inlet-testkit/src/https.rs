//! A small HTTPS server for the web sources of discovery (ISPDB, autoconfig, Autodiscover): fixed
//! routes, a real TLS stack with the test PKI's certificates, and a log of the requests (request
//! line, headers, body) so a test can prove what the client sent (and what it did not send).
//!
//! A route may be limited to one method ([`Route::post`], [`Route::only_method`]) and may demand
//! HTTP Basic credentials ([`Route::requiring_basic_auth`]): without the expected
//! `Authorization` header it answers 401 with `WWW-Authenticate: Basic realm="autodiscover"`.
//! Request bodies are read when a `Content-Length` is given (up to [`MAX_BODY`] bytes).
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
//!     Route::post("/autodiscover/autodiscover.xml", "text/xml", "<Autodiscover/>")
//!         .requiring_basic_auth("alice@example.test", "wonderland-42"),
//! ]);
//! // https://localhost:{server.port()}/v1.1/example.test, trusting pki.ca_pem_path()
//! // server.logged() then says what each request carried (method, headers, body).
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
/// Longest request body read; a longer `Content-Length` is answered with 413.
pub const MAX_BODY: usize = 1024 * 1024;
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
    /// Only requests with this method match (`POST`, any case); None: any method. A request
    /// whose path matches only routes of other methods is answered with 405.
    pub method: Option<String>,
    /// `(user, password)` the request must carry as HTTP Basic; without them (or with others)
    /// the answer is 401 with `WWW-Authenticate: Basic realm="autodiscover"`.
    pub basic_auth: Option<(String, String)>,
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
            method: None,
            basic_auth: None,
        }
    }

    /// 200 with a body, for POST requests only.
    pub fn post(path: &str, content_type: &str, body: impl Into<Vec<u8>>) -> Route {
        Route::ok(path, content_type, body).only_method("POST")
    }

    /// The same route, matching only `method`.
    pub fn only_method(self, method: &str) -> Route {
        Route { method: Some(method.to_ascii_uppercase()), ..self }
    }

    /// The same route, answering 401 unless the request carries these HTTP Basic credentials.
    pub fn requiring_basic_auth(self, user: &str, password: &str) -> Route {
        Route { basic_auth: Some((user.into(), password.into())), ..self }
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
            method: None,
            basic_auth: None,
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

    fn allows(&self, method: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
    }

    /// Whether `authorization` (the header's value) carries this route's credentials.
    fn authorized(&self, authorization: Option<&str>) -> bool {
        let Some((user, password)) = &self.basic_auth else { return true };
        let expected = base64(format!("{user}:{password}").as_bytes());
        authorization
            .and_then(|value| value.trim().split_once(' '))
            .is_some_and(|(scheme, token)| scheme.eq_ignore_ascii_case("basic") && token.trim() == expected)
    }
}

/// One request as the server received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedRequest {
    /// `POST /autodiscover/autodiscover.xml HTTP/1.1`
    pub request_line: String,
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Every header in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body (read when a `Content-Length` was given; lossy UTF-8). Empty otherwise.
    pub body: String,
    /// The `Authorization` header's value, if any: lets a test prove no credentials were sent.
    pub authorization: Option<String>,
    /// Whether the route asked required credentials the request did not carry (answered 401).
    pub refused_for_auth: bool,
}

impl LoggedRequest {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A running HTTPS server on 127.0.0.1 (see the module docs).
pub struct HttpsServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<LoggedRequest>>>,
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

    /// The same routes over plain HTTP (no TLS), for the sources a specification allows over
    /// HTTP (autoconfig), to prove what the client makes of such an answer.
    pub fn start_plain(routes: Vec<Route>) -> HttpsServer {
        Self::listen(None, routes).expect("starting the test HTTP server")
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
        Self::listen(Some(acceptor), routes)
    }

    fn listen(acceptor: Option<tokio_rustls::TlsAcceptor>, routes: Vec<Route>) -> io::Result<HttpsServer> {
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
        self.requests.lock().unwrap().iter().map(|r| r.request_line.clone()).collect()
    }

    /// Every request received so far, with headers and body, in order.
    pub fn logged(&self) -> Vec<LoggedRequest> {
        self.requests.lock().unwrap().clone()
    }

    /// The bodies of the requests received so far, in order (empty for requests without one).
    pub fn bodies(&self) -> Vec<String> {
        self.requests.lock().unwrap().iter().map(|r| r.body.clone()).collect()
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
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    routes: &[Route],
    log: &Mutex<Vec<LoggedRequest>>,
) -> io::Result<()> {
    let Some(acceptor) = acceptor else {
        return answer(tcp, routes, log).await;
    };
    let tls = tokio::time::timeout(READ_TIMEOUT, acceptor.accept(tcp))
        .await
        .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
    answer(tls, routes, log).await
}

/// One request on an accepted connection (TLS or, for [`HttpsServer::start_plain`], plain).
async fn answer<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    mut tls: S,
    routes: &[Route],
    log: &Mutex<Vec<LoggedRequest>>,
) -> io::Result<()> {
    let (head, early_body) = tokio::time::timeout(READ_TIMEOUT, read_head(&mut tls))
        .await
        .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or("").to_owned();
    let mut parts = request_line.split(' ');
    let (method, target) = (parts.next().unwrap_or("").to_owned(), parts.next().unwrap_or("").to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let mut entry = LoggedRequest {
        request_line,
        method,
        target,
        authorization: None,
        body: String::new(),
        headers,
        refused_for_auth: false,
    };
    entry.authorization = entry.header("authorization").map(str::to_owned);

    let length = entry.header("content-length").map(|v| v.parse::<usize>());
    match length {
        Some(Ok(n)) if n > MAX_BODY => {
            log.lock().unwrap().push(entry);
            return respond(&mut tls, 413, Some("text/plain"), &[], b"request body too large\n").await;
        }
        Some(Err(_)) => {
            log.lock().unwrap().push(entry);
            return respond(&mut tls, 400, Some("text/plain"), &[], b"bad Content-Length\n").await;
        }
        Some(Ok(n)) => {
            let body = tokio::time::timeout(READ_TIMEOUT, read_body(&mut tls, early_body, n))
                .await
                .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
            entry.body = String::from_utf8_lossy(&body).into_owned();
        }
        None if entry.header("transfer-encoding").is_some() => {
            // Chunked bodies are not needed by any client under test; say so instead of guessing.
            log.lock().unwrap().push(entry);
            return respond(&mut tls, 411, Some("text/plain"), &[], b"send a Content-Length\n").await;
        }
        None => {}
    }

    let on_path: Vec<&Route> = routes.iter().filter(|r| r.matches(&entry.target)).collect();
    let route = on_path.iter().find(|r| r.allows(&entry.method)).copied();
    let Some(route) = route else {
        let status = if on_path.is_empty() { 404 } else { 405 };
        log.lock().unwrap().push(entry);
        let body: &[u8] = if status == 404 { b"no such route\n" } else { b"method not allowed\n" };
        return respond(&mut tls, status, Some("text/plain"), &[], body).await;
    };
    if !route.authorized(entry.authorization.as_deref()) {
        entry.refused_for_auth = true;
        log.lock().unwrap().push(entry);
        let challenge = [("WWW-Authenticate", "Basic realm=\"autodiscover\"")];
        return respond(&mut tls, 401, Some("text/plain"), &challenge, b"credentials required\n").await;
    }
    log.lock().unwrap().push(entry);
    if route.hang {
        std::future::pending::<()>().await;
    }
    let location: Vec<(&str, &str)> = route.location.as_deref().map(|l| ("Location", l)).into_iter().collect();
    respond(&mut tls, route.status, route.content_type.as_deref(), &location, &route.body).await
}

/// The request head (up to the blank line) and whatever body bytes came with it.
async fn read_head<S: tokio::io::AsyncRead + Unpin>(stream: &mut S) -> io::Result<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buf.split_off(end + 4);
            buf.truncate(end);
            return Ok((String::from_utf8_lossy(&buf).into_owned(), rest));
        }
        if buf.len() > MAX_HEAD {
            return Err(io::Error::other("request head too long"));
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Reads the rest of a body of `length` bytes, `start` being what came with the head.
async fn read_body<S: tokio::io::AsyncRead + Unpin>(
    stream: &mut S,
    mut start: Vec<u8>,
    length: usize,
) -> io::Result<Vec<u8>> {
    start.truncate(length);
    let mut chunk = [0u8; 4096];
    while start.len() < length {
        let want = (length - start.len()).min(chunk.len());
        let n = stream.read(&mut chunk[..want]).await?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        start.extend_from_slice(&chunk[..n]);
    }
    Ok(start)
}

async fn respond<S: tokio::io::AsyncWrite + Unpin>(
    stream: &mut S,
    status: u16,
    content_type: Option<&str>,
    extra_headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<()> {
    let mut head =
        format!("HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n", reason(status), body.len());
    if let Some(ct) = content_type {
        head.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    for (name, value) in extra_headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    // The client may stop reading (a body over its limit): a write error is not ours to report.
    stream.write_all(body).await?;
    stream.flush().await?;
    stream.shutdown().await
}

/// Standard base64 with padding (RFC 4648 section 4), enough for a Basic credential.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b = [group[0], *group.get(1).unwrap_or(&0), *group.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= group.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Content Too Large",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// Sends `request` (head and body, as written) over a raw TLS client (std, blocking) and
    /// returns the whole answer.
    fn ask(pki: &TestPki, server: &HttpsServer, request: &str) -> String {
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
        tls.write_all(request.as_bytes()).unwrap();
        let mut out = Vec::new();
        let _ = tls.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    /// The routes answer and the request log matches.
    #[test]
    fn serves_routes_and_logs_request_lines() {
        let pki = TestPki::generate();
        let server = HttpsServer::start(&pki, vec![Route::ok("/a", "text/xml", "<x/>"), Route::status("/b?q=1", 500)]);
        let answer = |target: &str| ask(&pki, &server, &format!("GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        let a = answer("/a?emailaddress=x");
        assert!(a.starts_with("HTTP/1.1 200 OK\r\n"), "{a}");
        assert!(a.contains("Content-Type: text/xml\r\n") && a.ends_with("<x/>"), "{a}");
        assert!(answer("/b?q=1").starts_with("HTTP/1.1 500"));
        assert!(answer("/b").starts_with("HTTP/1.1 404"));
        assert_eq!(server.requests(), vec!["GET /a?emailaddress=x HTTP/1.1", "GET /b?q=1 HTTP/1.1", "GET /b HTTP/1.1"]);
        assert_eq!(server.logged()[0].header("host"), Some("localhost"));
    }

    /// POST bodies are read and logged; a POST-only route refuses GET with 405.
    #[test]
    fn post_routes_log_their_bodies() {
        let pki = TestPki::generate();
        let server = HttpsServer::start(&pki, vec![Route::post("/ad", "text/xml", "<ok/>")]);
        let body = "<Request>alice@example.test</Request>";
        let post = format!("POST /ad HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n\r\n{body}", body.len());
        let a = ask(&pki, &server, &post);
        assert!(a.starts_with("HTTP/1.1 200 OK\r\n") && a.ends_with("<ok/>"), "{a}");
        assert!(ask(&pki, &server, "GET /ad HTTP/1.1\r\nHost: localhost\r\n\r\n").starts_with("HTTP/1.1 405"));
        assert_eq!(server.bodies(), vec![body.to_owned(), String::new()]);
        let logged = server.logged();
        assert_eq!((logged[0].method.as_str(), logged[0].target.as_str()), ("POST", "/ad"));
        assert_eq!(logged[0].authorization, None);
        let huge = format!("POST /ad HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n\r\n", MAX_BODY + 1);
        assert!(ask(&pki, &server, &huge).starts_with("HTTP/1.1 413"));
    }

    /// A route requiring Basic credentials answers 401 with a challenge until it gets them.
    #[test]
    fn basic_auth_routes_challenge_then_answer() {
        let pki = TestPki::generate();
        let route = Route::post("/ad", "text/xml", "<ok/>").requiring_basic_auth("alice", "open sesame");
        let server = HttpsServer::start(&pki, vec![route]);
        let post = |auth: &str| {
            ask(&pki, &server, &format!("POST /ad HTTP/1.1\r\nHost: localhost\r\n{auth}Content-Length: 2\r\n\r\nhi"))
        };
        let refused = post("");
        assert!(refused.starts_with("HTTP/1.1 401 Unauthorized\r\n"), "{refused}");
        assert!(refused.contains("WWW-Authenticate: Basic realm=\"autodiscover\"\r\n"), "{refused}");
        assert!(post("Authorization: Basic d3Jvbmc6d3Jvbmc=\r\n").starts_with("HTTP/1.1 401"));
        // base64("alice:open sesame")
        assert!(post("Authorization: Basic YWxpY2U6b3BlbiBzZXNhbWU=\r\n").starts_with("HTTP/1.1 200"));
        let logged = server.logged();
        assert_eq!(logged.iter().map(|r| r.refused_for_auth).collect::<Vec<_>>(), vec![true, true, false]);
        assert_eq!(logged[0].authorization, None);
        assert_eq!(logged[2].authorization.as_deref(), Some("Basic YWxpY2U6b3BlbiBzZXNhbWU="));
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }
}
