//! The web sources of discovery, each under its caller's deadline and with its own trace:
//!
//! - [`HttpSources::ispdb`]: Thunderbird's database, `GET {ispdb_url}{domain}`. Only the domain
//!   goes there; the address is used locally, to fill the document's placeholders.
//! - [`HttpSources::domain_autoconfig`]: the provider's own autoconfig document,
//!   `https://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={email}` and
//!   `https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml`, asked at once; the first is
//!   preferred.
//! - [`HttpSources::autodiscover_v2`]: Microsoft's Autodiscover v2 JSON for IMAP and SMTP,
//!   without credentials.
//! - [`HttpSources::domain_autoconfig_http`]: the same autoconfig URL over plain HTTP, only when
//!   the caller opts in; its document is marked `trusted: false`.
//!
//! Rules: HTTPS verified against the engine's trust anchors ([`TlsContext`]); redirects are never
//! followed blindly: within the same domain up to [`MAX_REDIRECTS`], elsewhere returned as
//! [`HttpOutcome::Redirect`] for the user to decide; a plain-HTTP redirect target is refused.
//! Bodies are read as a stream and refused past their limit. Trace queries never contain the
//! email address: it appears as `…@domain`.

use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::{select, Either};
use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::{Client, StatusCode, Url};
use serde::{Deserialize, Serialize};

use super::autoconfig::{self, AutoconfigDocument, MAX_DOCUMENT_BYTES};
use super::dns::{StepStatus, TraceStep};
use crate::account::{Endpoint, Protocol, Security};
use crate::config::{ConnectTo, EngineConfig};
use crate::net::TlsContext;

/// `TraceStep::source` of the ISPDB lookup.
pub const SOURCE_ISPDB: &str = "ispdb";
/// `TraceStep::source` of the domain's autoconfig document.
pub const SOURCE_AUTOCONFIG: &str = "autoconfig";
/// `TraceStep::source` of Autodiscover v2.
pub const SOURCE_AUTODISCOVER_V2: &str = "autodiscover-v2";
/// Microsoft's Autodiscover v2 endpoint; the address follows.
pub const AUTODISCOVER_V2_URL: &str = "https://outlook.office365.com/autodiscover/autodiscover.json/v1.0/";
/// Redirects followed within the same domain before giving up.
pub const MAX_REDIRECTS: usize = 3;
/// Largest Autodiscover v2 answer read (a real one is ~100 bytes).
const MAX_JSON_BYTES: usize = 64 * 1024;

/// Why the HTTP client could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpSetupError {
    #[error("connect_to {host}:{port}: {message}")]
    ConnectTo { host: String, port: u16, message: String },
    #[error("ispdb_url {url:?}: {message}")]
    IspdbUrl { url: String, message: String },
    #[error("the HTTP client cannot be built: {0}")]
    Client(String),
}

/// A document fetched from the web, and whether it may be believed without asking the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FetchedDocument {
    /// Where it came from (the email address redacted).
    pub url: String,
    /// False for a document fetched over plain HTTP.
    pub trusted: bool,
    pub document: AutoconfigDocument,
}

/// A server an Autodiscover v2 answer names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscoveredEndpoint {
    pub protocol: Protocol,
    pub endpoint: Endpoint,
}

/// What one web source came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum HttpOutcome {
    Found(FetchedDocument),
    FoundEndpoints { endpoints: Vec<DiscoveredEndpoint> },
    /// 404/410, or an answer that says "nothing here".
    NotFound,
    /// A redirect to another domain: the user decides whether to follow it.
    Redirect { to: String },
    /// No answer within the deadline.
    TimedOut,
    /// Anything else, in plain words (certificate, wrong content type, too large, HTTP 500...).
    Failed(String),
}

impl HttpOutcome {
    fn rank(&self) -> u8 {
        match self {
            HttpOutcome::Found(_) | HttpOutcome::FoundEndpoints { .. } => 0,
            HttpOutcome::Redirect { .. } => 1,
            HttpOutcome::Failed(_) => 2,
            HttpOutcome::TimedOut => 3,
            HttpOutcome::NotFound => 4,
        }
    }
}

/// An outcome and every request made for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceResult {
    pub outcome: HttpOutcome,
    pub trace: Vec<TraceStep>,
}

/// The web sources of discovery. Cheap to clone (one shared connection pool).
#[derive(Clone)]
pub struct HttpSources {
    /// HTTPS only.
    client: Client,
    /// For [`HttpSources::domain_autoconfig_http`] only.
    plain_client: Client,
    ispdb_url: Arc<Url>,
}

impl HttpSources {
    pub fn new(config: &EngineConfig, tls: &TlsContext) -> Result<HttpSources, HttpSetupError> {
        let ispdb_url = Url::parse(&config.ispdb_url)
            .map_err(|e| HttpSetupError::IspdbUrl { url: config.ispdb_url.clone(), message: e.to_string() })?;
        if ispdb_url.scheme() != "https" || !ispdb_url.path().ends_with('/') {
            return Err(HttpSetupError::IspdbUrl {
                url: config.ispdb_url.clone(),
                message: "must be an https:// URL ending with /".into(),
            });
        }
        let mut tls_config = tls.client_config();
        tls_config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let builder = |port: u16| -> Result<reqwest::ClientBuilder, HttpSetupError> {
            let mut b = Client::builder()
                .tls_backend_preconfigured(tls_config.clone())
                .redirect(reqwest::redirect::Policy::none())
                .no_proxy()
                .user_agent(concat!("Inlet/", env!("CARGO_PKG_VERSION")))
                .http1_only();
            for (host, addrs) in overrides(&config.connect_to, port)? {
                b = b.resolve_to_addrs(&host, &addrs);
            }
            Ok(b)
        };
        let client = builder(443)?.https_only(true).build().map_err(|e| HttpSetupError::Client(chain(&e)))?;
        let plain_client = builder(80)?.build().map_err(|e| HttpSetupError::Client(chain(&e)))?;
        Ok(HttpSources { client, plain_client, ispdb_url: Arc::new(ispdb_url) })
    }

    /// Thunderbird's ISPDB for `domain`. `email` fills the document's placeholders and is never
    /// sent.
    pub async fn ispdb(&self, domain: &str, email: &str, deadline: Duration) -> SourceResult {
        let mut attempt = Attempt::new(SOURCE_ISPDB, email);
        let Some(domain) = normalize_domain(domain) else {
            return attempt.invalid_domain(domain);
        };
        let url = match self.ispdb_url.join(&domain) {
            Ok(url) => url,
            Err(e) => return attempt.finish_with(HttpOutcome::Failed(format!("cannot build the ISPDB URL: {e}"))),
        };
        let home = url.host_str().unwrap_or_default().to_owned();
        let fetch = Fetch { client: &self.client, home: &home, kind: Kind::Autoconfig { trusted: true } };
        let _ = tokio::time::timeout(deadline, fetch.run(&mut attempt, url)).await;
        attempt.finish(deadline)
    }

    /// The domain's own autoconfig document: `autoconfig.{domain}` and the well-known path of
    /// `{domain}` at once. A document from the first wins; the second's counts when the first
    /// has none (its request is stopped as soon as the first delivers).
    pub async fn domain_autoconfig(&self, domain: &str, email: &str, deadline: Duration) -> SourceResult {
        let (mut first, mut second) = (Attempt::new(SOURCE_AUTOCONFIG, email), Attempt::new(SOURCE_AUTOCONFIG, email));
        let Some(domain) = normalize_domain(domain) else {
            return first.invalid_domain(domain);
        };
        let (Ok(mut url1), Ok(url2)) = (
            Url::parse(&format!("https://autoconfig.{domain}/mail/config-v1.1.xml")),
            Url::parse(&format!("https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml")),
        ) else {
            return first.invalid_domain(&domain);
        };
        url1.query_pairs_mut().append_pair("emailaddress", email);
        let fetch = Fetch { client: &self.client, home: &domain, kind: Kind::Autoconfig { trusted: true } };
        let both = async {
            let a = std::pin::pin!(fetch.run(&mut first, url1));
            let b = std::pin::pin!(fetch.run(&mut second, url2));
            match select(a, b).await {
                Either::Left((found, b)) => {
                    if !found {
                        b.await;
                    }
                }
                Either::Right((_, a)) => {
                    a.await;
                }
            }
        };
        let _ = tokio::time::timeout(deadline, both).await;
        let cancelled = first_found(&first);
        let a = first.finish(deadline);
        let b = if cancelled && second.outcome.is_none() {
            second.stop("not needed: the autoconfig host answered first")
        } else {
            second.finish(deadline)
        };
        prefer(a, b)
    }

    /// `http://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={email}` over plain HTTP.
    /// Opt-in only: anyone on the path can change the answer, so a document found is marked
    /// `trusted: false` and must be confirmed by the user.
    pub async fn domain_autoconfig_http(&self, domain: &str, email: &str, deadline: Duration) -> SourceResult {
        let mut attempt = Attempt::new(SOURCE_AUTOCONFIG, email);
        let Some(domain) = normalize_domain(domain) else {
            return attempt.invalid_domain(domain);
        };
        let Ok(mut url) = Url::parse(&format!("http://autoconfig.{domain}/mail/config-v1.1.xml")) else {
            return attempt.invalid_domain(&domain);
        };
        url.query_pairs_mut().append_pair("emailaddress", email);
        let fetch = Fetch { client: &self.plain_client, home: &domain, kind: Kind::Autoconfig { trusted: false } };
        let _ = tokio::time::timeout(deadline, fetch.run(&mut attempt, url)).await;
        attempt.finish(deadline)
    }

    /// Microsoft's Autodiscover v2 for IMAP and SMTP (asked at once, no credentials sent).
    pub async fn autodiscover_v2(&self, email: &str, deadline: Duration) -> SourceResult {
        let base = Url::parse(AUTODISCOVER_V2_URL).expect("a valid constant");
        let home = base.host_str().unwrap_or_default().to_owned();
        let mut attempts = [(Protocol::Imap, "IMAP"), (Protocol::Smtp, "SMTP")].map(|(protocol, name)| {
            let mut url = base.clone();
            if let Ok(mut segments) = url.path_segments_mut() {
                segments.pop_if_empty().push(email);
            }
            url.query_pairs_mut().append_pair("Protocol", name);
            (Attempt::new(SOURCE_AUTODISCOVER_V2, email), url, protocol)
        });
        let [(a, url_a, pa), (b, url_b, pb)] = &mut attempts;
        let fetch_a = Fetch { client: &self.client, home: &home, kind: Kind::AutodiscoverV2(*pa) };
        let fetch_b = Fetch { client: &self.client, home: &home, kind: Kind::AutodiscoverV2(*pb) };
        let _ = tokio::time::timeout(
            deadline,
            futures::future::join(fetch_a.run(a, url_a.clone()), fetch_b.run(b, url_b.clone())),
        )
        .await;
        let [(a, ..), (b, ..)] = attempts;
        let (a, b) = (a.finish(deadline), b.finish(deadline));
        let mut trace = a.trace;
        trace.extend(b.trace);
        let outcome = match (a.outcome, b.outcome) {
            (HttpOutcome::FoundEndpoints { endpoints: mut x }, HttpOutcome::FoundEndpoints { endpoints: y }) => {
                x.extend(y);
                HttpOutcome::FoundEndpoints { endpoints: x }
            }
            (x, y) if y.rank() < x.rank() => y,
            (x, _) => x,
        };
        SourceResult { outcome, trace }
    }
}

fn first_found(attempt: &Attempt) -> bool {
    matches!(attempt.outcome, Some(HttpOutcome::Found(_)))
}

/// The better of two results (the first on a tie), with both traces.
fn prefer(a: SourceResult, b: SourceResult) -> SourceResult {
    let mut trace = a.trace;
    trace.extend(b.trace);
    let outcome = if b.outcome.rank() < a.outcome.rank() { b.outcome } else { a.outcome };
    SourceResult { outcome, trace }
}

/// `connect_to` entries for URLs on `port`, grouped by host.
fn overrides(entries: &[ConnectTo], port: u16) -> Result<Vec<(String, Vec<SocketAddr>)>, HttpSetupError> {
    let mut out: Vec<(String, Vec<SocketAddr>)> = Vec::new();
    for e in entries {
        if !matches!(e.port, 0 | 80 | 443) {
            return Err(HttpSetupError::ConnectTo {
                host: e.host.clone(),
                port: e.port,
                message: "only ports 443 (HTTPS), 80 (HTTP) or 0 (both) can be redirected".into(),
            });
        }
        if e.port != 0 && e.port != port {
            continue;
        }
        let addrs: Vec<SocketAddr> = (e.to_host.as_str(), e.to_port)
            .to_socket_addrs()
            .map_err(|err| HttpSetupError::ConnectTo { host: e.host.clone(), port: e.port, message: err.to_string() })?
            .collect();
        let host = e.host.to_ascii_lowercase();
        match out.iter_mut().find(|(h, _)| *h == host) {
            Some((_, existing)) => existing.extend(addrs),
            None => out.push((host, addrs)),
        }
    }
    Ok(out)
}

/// Lower-case ASCII (IDNA) form of a domain, or None if it is not a plain domain name.
fn normalize_domain(domain: &str) -> Option<String> {
    let domain = domain.trim().trim_end_matches('.');
    if domain.is_empty() || domain.contains(['/', '?', '#', '@', ':', '\\', ' ', '%']) {
        return None;
    }
    let url = Url::parse(&format!("https://{domain}/")).ok()?;
    let host = url.host_str()?;
    let is_address = host.starts_with('[') || host.parse::<std::net::IpAddr>().is_ok();
    (!is_address && host.contains('.')).then(|| host.to_ascii_lowercase())
}

/// The trace of one source's requests and how it ended, kept outside the future so that a
/// deadline that drops the future still leaves what was done.
struct Attempt {
    source: &'static str,
    email: String,
    trace: Vec<TraceStep>,
    in_flight: Option<(String, Instant)>,
    outcome: Option<HttpOutcome>,
}

impl Attempt {
    fn new(source: &'static str, email: &str) -> Attempt {
        Attempt { source, email: email.to_owned(), trace: Vec::new(), in_flight: None, outcome: None }
    }

    fn redact(&self, url: &Url) -> String {
        redact(url.as_str(), &self.email)
    }

    fn start(&mut self, url: &Url) {
        self.in_flight = Some((format!("GET {}", self.redact(url)), Instant::now()));
    }

    fn step(&mut self, status: StepStatus, outcome: impl Into<String>) {
        if let Some((query, started)) = self.in_flight.take() {
            self.trace.push(TraceStep {
                source: self.source.to_owned(),
                query,
                elapsed_ms: started.elapsed().as_millis() as u64,
                status,
                outcome: outcome.into(),
            });
        }
    }

    /// Closes the attempt after its future ended or was dropped by the deadline.
    fn finish(mut self, deadline: Duration) -> SourceResult {
        if self.in_flight.is_some() {
            self.step(StepStatus::TimedOut, format!("no answer within {} ms", deadline.as_millis()));
        }
        let outcome = self.outcome.take().unwrap_or(HttpOutcome::TimedOut);
        SourceResult { outcome, trace: self.trace }
    }

    fn finish_with(mut self, outcome: HttpOutcome) -> SourceResult {
        self.outcome = Some(outcome);
        self.finish(Duration::ZERO)
    }

    /// Closes an attempt whose request was stopped because it was no longer needed.
    fn stop(mut self, why: &str) -> SourceResult {
        self.step(StepStatus::NotFound, why);
        SourceResult { outcome: HttpOutcome::NotFound, trace: self.trace }
    }

    fn invalid_domain(self, domain: &str) -> SourceResult {
        self.finish_with(HttpOutcome::Failed(format!("{domain:?} is not a valid domain name")))
    }
}

/// Replaces the address (plain or percent-encoded) with `…@domain`.
fn redact(text: &str, email: &str) -> String {
    if email.is_empty() {
        return text.to_owned();
    }
    let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
    let hidden = format!("…@{domain}");
    let mut form = Url::parse("https://x.invalid/").expect("a valid URL");
    form.query_pairs_mut().append_pair("e", email);
    let encoded = form.query().unwrap_or("e=").trim_start_matches("e=").to_owned();
    let mut out = text.replace(email, &hidden).replace(&encoded, &hidden);
    let at_encoded = email.replace('@', "%40");
    out = out.replace(&at_encoded, &hidden);
    out
}

#[derive(Clone, Copy)]
enum Kind {
    Autoconfig { trusted: bool },
    AutodiscoverV2(Protocol),
}

/// One source's GET with redirect handling and a bounded body.
struct Fetch<'a> {
    client: &'a Client,
    /// Redirects to this host or its subdomains are followed.
    home: &'a str,
    kind: Kind,
}

impl Fetch<'_> {
    /// Runs the requests; true when a document was found.
    async fn run(&self, attempt: &mut Attempt, mut url: Url) -> bool {
        let outcome = 'redirects: {
            for hop in 0..=MAX_REDIRECTS {
                attempt.start(&url);
                let response = match self.client.get(url.clone()).send().await {
                    Ok(r) => r,
                    Err(e) => {
                        let why = describe_send_error(&e);
                        attempt.step(StepStatus::Failed, why.clone());
                        break 'redirects HttpOutcome::Failed(why);
                    }
                };
                let status = response.status();
                if status.is_redirection() {
                    let location = response.headers().get(LOCATION).and_then(|v| v.to_str().ok());
                    let Some(to) = location.and_then(|l| url.join(l).ok()) else {
                        let why = format!("HTTP {} without a usable Location", status.as_u16());
                        attempt.step(StepStatus::Failed, why.clone());
                        break 'redirects HttpOutcome::Failed(why);
                    };
                    let shown = attempt.redact(&to);
                    if to.scheme() != "https" {
                        let why = format!("redirect to {shown} refused: not HTTPS");
                        attempt.step(StepStatus::Failed, why.clone());
                        break 'redirects HttpOutcome::Failed(why);
                    }
                    if !within(&to, self.home) {
                        attempt.step(StepStatus::Found, format!("HTTP {}: redirect to another domain, {shown}", status.as_u16()));
                        break 'redirects HttpOutcome::Redirect { to: to.to_string() };
                    }
                    if hop == MAX_REDIRECTS {
                        let why = format!("more than {MAX_REDIRECTS} redirects");
                        attempt.step(StepStatus::Failed, why.clone());
                        break 'redirects HttpOutcome::Failed(why);
                    }
                    attempt.step(StepStatus::NotFound, format!("HTTP {}: redirect to {shown}", status.as_u16()));
                    url = to;
                    continue;
                }
                if matches!(status, StatusCode::NOT_FOUND | StatusCode::GONE) {
                    attempt.step(StepStatus::NotFound, format!("HTTP {}", status.as_u16()));
                    break 'redirects HttpOutcome::NotFound;
                }
                if !status.is_success() {
                    let why = format!("HTTP {}", status);
                    attempt.step(StepStatus::Failed, why.clone());
                    break 'redirects HttpOutcome::Failed(why);
                }
                let content_type = response.headers().get(CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
                let outcome = match self.kind {
                    Kind::Autoconfig { trusted } => self.document(response, content_type, &url, attempt, trusted).await,
                    Kind::AutodiscoverV2(protocol) => self.endpoints(response, content_type, protocol).await,
                };
                let (step_status, text) = match &outcome {
                    Ok(HttpOutcome::Found(doc)) => (
                        StepStatus::Found,
                        format!(
                            "autoconfig document: {} incoming, {} outgoing server(s)",
                            doc.document.incoming.len(),
                            doc.document.outgoing.len()
                        ),
                    ),
                    Ok(HttpOutcome::FoundEndpoints { endpoints }) => (
                        StepStatus::Found,
                        endpoints.iter().map(|e| format!("{} {}", e.protocol.label(), e.endpoint.display())).collect::<Vec<_>>().join(", "),
                    ),
                    Ok(_) => (StepStatus::NotFound, "no settings in the answer".into()),
                    Err((status, why)) => (*status, why.clone()),
                };
                attempt.step(step_status, text);
                break 'redirects match outcome {
                    Ok(o) => o,
                    Err((StepStatus::NotFound, _)) => HttpOutcome::NotFound,
                    Err((_, why)) => HttpOutcome::Failed(why),
                };
            }
            unreachable!("the last hop always breaks");
        };
        let found = matches!(outcome, HttpOutcome::Found(_));
        attempt.outcome = Some(outcome);
        found
    }

    async fn document(
        &self,
        response: reqwest::Response,
        content_type: Option<String>,
        url: &Url,
        attempt: &Attempt,
        trusted: bool,
    ) -> Result<HttpOutcome, (StepStatus, String)> {
        autoconfig::check_content_type(content_type.as_deref()).map_err(|e| (StepStatus::Failed, e.to_string()))?;
        let body = read_capped(response, MAX_DOCUMENT_BYTES).await?;
        let document = autoconfig::parse(&body, &attempt.email).map_err(|e| (StepStatus::Failed, e.to_string()))?;
        Ok(HttpOutcome::Found(FetchedDocument { url: attempt.redact(url), trusted, document }))
    }

    async fn endpoints(
        &self,
        response: reqwest::Response,
        content_type: Option<String>,
        protocol: Protocol,
    ) -> Result<HttpOutcome, (StepStatus, String)> {
        if let Some(ct) = &content_type {
            if !ct.to_ascii_lowercase().contains("json") {
                return Err((StepStatus::Failed, format!("the server sent {ct:?} instead of JSON")));
            }
        }
        let body = read_capped(response, MAX_JSON_BYTES).await?;
        let endpoint = parse_autodiscover_v2(&body, protocol)?;
        Ok(HttpOutcome::FoundEndpoints { endpoints: vec![DiscoveredEndpoint { protocol, endpoint }] })
    }
}

/// Whether `url`'s host is `home` or one of its subdomains.
fn within(url: &Url, home: &str) -> bool {
    let Some(host) = url.host_str() else { return false };
    let (host, home) = (host.to_ascii_lowercase(), home.to_ascii_lowercase());
    host == home || host.ends_with(&format!(".{home}"))
}

/// Reads the body chunk by chunk, refusing it as soon as it passes `limit`.
async fn read_capped(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, (StepStatus, String)> {
    let too_large = |n: String| (StepStatus::Failed, format!("the answer is too large ({n} bytes; the limit is {limit})"));
    if let Some(len) = response.content_length() {
        if len > limit as u64 {
            return Err(too_large(len.to_string()));
        }
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    return Err(too_large(format!("over {}", body.len() + chunk.len())));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err((StepStatus::Failed, format!("reading the answer failed: {}", chain(&e)))),
        }
    }
}

/// An Autodiscover v2 answer: `{"Protocol":"IMAP","Url":"imap://outlook.office365.com:993"}`
/// (also `imaps://`, `smtp://`, or a bare `host:port`). An `ErrorCode` answer is "not found".
fn parse_autodiscover_v2(body: &[u8], protocol: Protocol) -> Result<Endpoint, (StepStatus, String)> {
    #[derive(Deserialize)]
    struct Answer {
        #[serde(rename = "Protocol")]
        protocol: Option<String>,
        #[serde(rename = "Url")]
        url: Option<String>,
        #[serde(rename = "ErrorCode")]
        error_code: Option<String>,
        #[serde(rename = "ErrorMessage")]
        error_message: Option<String>,
    }
    let answer: Answer =
        serde_json::from_slice(body).map_err(|e| (StepStatus::Failed, format!("the answer is not valid JSON: {e}")))?;
    if let Some(code) = answer.error_code {
        let message = answer.error_message.unwrap_or_default();
        return Err((StepStatus::NotFound, format!("{code}: {message}").trim_end_matches([':', ' ']).to_owned()));
    }
    if let Some(p) = &answer.protocol {
        if !p.eq_ignore_ascii_case(protocol.label()) {
            return Err((StepStatus::Failed, format!("the answer is for {p}, not {}", protocol.label())));
        }
    }
    let Some(raw) = answer.url.filter(|u| !u.trim().is_empty()) else {
        return Err((StepStatus::NotFound, "the answer names no server".into()));
    };
    let raw = raw.trim();
    let with_scheme = if raw.contains("://") { raw.to_owned() } else { format!("{}://{raw}", protocol.label().to_ascii_lowercase()) };
    let url = Url::parse(&with_scheme).map_err(|e| (StepStatus::Failed, format!("{raw:?} is not a server address: {e}")))?;
    let scheme = url.scheme().to_ascii_lowercase();
    let implicit_tls = match (protocol, scheme.as_str()) {
        (Protocol::Imap, "imaps") | (Protocol::Smtp, "smtps") | (Protocol::Pop3, "pop3s" | "pops") => true,
        (Protocol::Imap, "imap") | (Protocol::Smtp, "smtp" | "submission") | (Protocol::Pop3, "pop3" | "pop") => false,
        _ => return Err((StepStatus::NotFound, format!("{raw:?} is not a {} server", protocol.label()))),
    };
    let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
        return Err((StepStatus::Failed, format!("{raw:?} names no host")));
    };
    let port = url.port().unwrap_or(match (protocol, implicit_tls) {
        // Microsoft names the port; without one, the implicit-TLS port is the sensible guess.
        (Protocol::Imap, _) => 993,
        (Protocol::Smtp, true) => 465,
        (Protocol::Smtp, false) => 587,
        (Protocol::Pop3, _) => 995,
    });
    // Ports of implicit TLS (RFC 8314); anything else is upgraded with STARTTLS.
    let security = if implicit_tls || matches!(port, 993 | 995 | 465) { Security::Tls } else { Security::Starttls };
    Ok(Endpoint { host: host.to_ascii_lowercase(), port, security })
}

/// A reqwest error with its causes, and a certificate refusal named as such.
fn describe_send_error(e: &reqwest::Error) -> String {
    if let Some(cert) = certificate_error(e) {
        return format!("certificate refused: {cert}");
    }
    if e.is_connect() {
        return format!("cannot connect: {}", chain(e));
    }
    chain(e)
}

fn certificate_error(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = current {
        let rustls_error = err
            .downcast_ref::<rustls::Error>()
            .or_else(|| err.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()).and_then(|i| i.downcast_ref::<rustls::Error>()));
        if let Some(rustls::Error::InvalidCertificate(cert)) = rustls_error {
            return Some(match cert {
                rustls::CertificateError::UnknownIssuer => "issued by an unknown authority (not trusted)".to_owned(),
                other => other.to_string(),
            });
        }
        current = err.source();
    }
    // Some layers keep only the text of the TLS error (rustls writes "invalid peer certificate: X").
    let text = chain(e);
    let (_, rest) = text.split_once("invalid peer certificate: ")?;
    let problem = rest.split(':').next().unwrap_or(rest).trim();
    Some(match problem {
        "UnknownIssuer" => "issued by an unknown authority (not trusted)".to_owned(),
        other => other.to_owned(),
    })
}

fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut current = e.source();
    while let Some(err) = current {
        let text = err.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = err.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_the_address_in_every_spelling() {
        let email = "alice+x@example.test";
        let url = "https://autoconfig.example.test/mail/config-v1.1.xml?emailaddress=alice%2Bx%40example.test";
        assert_eq!(redact(url, email), "https://autoconfig.example.test/mail/config-v1.1.xml?emailaddress=…@example.test");
        assert_eq!(redact("/v1.0/alice+x@example.test?Protocol=IMAP", email), "/v1.0/…@example.test?Protocol=IMAP");
    }

    #[test]
    fn domains_are_normalized_or_refused() {
        assert_eq!(normalize_domain("Example.TEST."), Some("example.test".into()));
        assert_eq!(normalize_domain("bücher.example"), Some("xn--bcher-kva.example".into()));
        for bad in ["", "example.test/x", "a@b.c", "127.0.0.1", "localhost", "x.test?y", "[::1]"] {
            assert_eq!(normalize_domain(bad), None, "{bad}");
        }
    }

    #[test]
    fn autodiscover_v2_answers() {
        let ok = |json: &str, p| parse_autodiscover_v2(json.as_bytes(), p);
        assert_eq!(
            ok(r#"{"Protocol":"IMAP","Url":"imap://outlook.office365.com:993"}"#, Protocol::Imap).unwrap(),
            Endpoint { host: "outlook.office365.com".into(), port: 993, security: Security::Tls }
        );
        assert_eq!(
            ok(r#"{"Protocol":"Smtp","Url":"smtp://smtp.office365.com:587"}"#, Protocol::Smtp).unwrap(),
            Endpoint { host: "smtp.office365.com".into(), port: 587, security: Security::Starttls }
        );
        assert_eq!(ok(r#"{"Url":"mail.example.test:143"}"#, Protocol::Imap).unwrap().security, Security::Starttls);
        assert_eq!(ok(r#"{"ErrorCode":"InvalidProtocol","ErrorMessage":"no"}"#, Protocol::Imap).unwrap_err().0, StepStatus::NotFound);
        assert_eq!(ok(r#"{"Protocol":"IMAP","Url":"https://x.test/ews"}"#, Protocol::Imap).unwrap_err().0, StepStatus::NotFound);
        assert_eq!(ok("<html>", Protocol::Imap).unwrap_err().0, StepStatus::Failed);
    }

    #[test]
    fn connect_to_ports_are_checked() {
        let entry = |port| ConnectTo { host: "A.test".into(), port, to_host: "127.0.0.1".into(), to_port: 8443 };
        let got = overrides(&[entry(443), entry(80)], 443).unwrap();
        assert_eq!(got, vec![("a.test".to_owned(), vec!["127.0.0.1:8443".parse().unwrap()])]);
        assert!(overrides(&[entry(8080)], 443).is_err());
    }
}
