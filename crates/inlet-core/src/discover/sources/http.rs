//! The web sources of discovery, each under its caller's deadline and with its own trace:
//!
//! - [`HttpSources::ispdb`]: Thunderbird's database, `GET {ispdb_url}{domain}`. Only the domain
//!   goes there; the address is used locally, to fill the document's placeholders.
//! - [`HttpSources::domain_autoconfig`]: the provider's own autoconfig document,
//!   `https://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={email}` and
//!   `https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml`, asked at once; the first is
//!   preferred. The address goes only to the address's own domain ([`AddressInRequest`]): a
//!   domain an MX answer named is asked without it.
//! - [`HttpSources::autodiscover_v2`]: Microsoft's Autodiscover v2 JSON for IMAP and SMTP,
//!   without credentials.
//! - [`HttpSources::domain_autoconfig_http`]: the same autoconfig URL over plain HTTP, only when
//!   the caller opts in; its document is marked `trusted: false`.
//! - [`HttpSources::autodiscover_pox`]: Microsoft's "plain old XML" Autodiscover ([MS-OXDSCLI]),
//!   a POST to `https://autodiscover.{domain}/autodiscover/autodiscover.xml` and
//!   `https://{domain}/autodiscover/autodiscover.xml` at once, the first preferred; the format
//!   is in [`crate::discover::formats::pox`]. Credentials go only when the caller passes them (the user agreed),
//!   only as HTTP Basic over HTTPS, and only after the server asked for them (401); without
//!   them a 401 is [`HttpOutcome::CredentialsRequired`]. [`HttpSources::autodiscover_pox_at`]
//!   asks one URL, e.g. a redirect target the user confirmed.
//!
//! Rules: HTTPS verified against the engine's trust anchors ([`TlsContext`]); redirects are never
//! followed blindly: within the same domain up to [`MAX_REDIRECTS`], elsewhere returned as
//! [`HttpOutcome::Redirect`] for the user to decide; a plain-HTTP redirect target is refused.
//! The same holds for an Autodiscover answer's `redirectUrl`.
//! Bodies are read as a stream and refused past their limit. Trace queries never contain the
//! email address: it appears as `…@domain`.
//!
//! One file, over the usual size: one HTTP client and the rules every web source shares
//! (redirects, body limits, error wording, the trace); splitting it would spread those rules.

use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::{select, Either};
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, LOCATION, WWW_AUTHENTICATE};
use reqwest::{Client, StatusCode, Url};
use serde::{Deserialize, Serialize};

use crate::account::{default_port, implicit_tls_port, Endpoint, Protocol, Security};
use crate::config::{ConnectTo, EngineConfig};
use crate::discover::formats::autoconfig::{self, AutoconfigDocument, AutoconfigError, MAX_DOCUMENT_BYTES};
use crate::discover::formats::pox::{self, PoxAnswer, PoxSettings};
use crate::discover::trace::{StepStatus, TraceStep};
use crate::net::dns::{DnsError, DnsResolver};
use crate::net::TlsContext;
use crate::secrets::Secret;
use crate::tr;

/// `TraceStep::source` of the ISPDB lookup.
pub const SOURCE_ISPDB: &str = "ispdb";
/// `TraceStep::source` of the domain's autoconfig document.
pub const SOURCE_AUTOCONFIG: &str = "autoconfig";
/// `TraceStep::source` of Autodiscover v2.
pub(crate) const SOURCE_AUTODISCOVER_V2: &str = "autodiscover-v2";
/// `TraceStep::source` of POX Autodiscover.
pub const SOURCE_AUTODISCOVER_POX: &str = "autodiscover-pox";
/// The path of POX Autodiscover on `autodiscover.{domain}` and `{domain}` ([MS-OXDSCLI] 3.1.5).
pub(crate) const AUTODISCOVER_POX_PATH: &str = "/autodiscover/autodiscover.xml";
/// Microsoft's Autodiscover v2 endpoint; the address follows.
pub(crate) const AUTODISCOVER_V2_URL: &str = "https://outlook.office365.com/autodiscover/autodiscover.json/v1.0/";
/// Redirects followed within the same domain before giving up.
pub(crate) const MAX_REDIRECTS: usize = 3;
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

/// Whether a request may carry the email address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressInRequest {
    /// The host belongs to the address's own domain, which handles the address anyway.
    Sent,
    /// The host was chosen by an answer nothing authenticates (a DNS MX record names the hoster):
    /// whoever forged it would receive the request, so only the domain goes there and the
    /// document's placeholders are filled locally.
    Withheld,
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

/// A server an Autodiscover answer (v2 or POX) names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscoveredEndpoint {
    pub protocol: Protocol,
    pub endpoint: Endpoint,
    /// The login name the answer gives (POX `<LoginName>`); None when it gives none
    /// (Autodiscover v2 never does).
    #[serde(default)]
    pub username: Option<String>,
}

/// What the user agreed to send to POX Autodiscover. Its Debug never shows the password
/// ([`Secret`]'s own Debug is redacted).
#[derive(Debug, Clone, Copy)]
pub struct PoxCredentials<'a> {
    pub username: &'a str,
    pub password: &'a Secret,
}

/// What one web source came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
// One value per source and request: its size does not matter, and boxing the document would
// only make every match on it clumsier.
#[allow(clippy::large_enum_variant)]
pub enum HttpOutcome {
    Found(FetchedDocument),
    FoundEndpoints {
        endpoints: Vec<DiscoveredEndpoint>,
    },
    /// 404/410, or an answer that says "nothing here".
    NotFound,
    /// The host's name does not exist in DNS, in plain words: nothing is published there either,
    /// but the words say which name was missing.
    NoSuchHost(String),
    /// A redirect to another domain (HTTP, or an Autodiscover `redirectUrl`): the user decides
    /// whether to follow it.
    Redirect {
        to: String,
    },
    /// An Autodiscover `redirectAddr`: ask again for this address (the user decides).
    RedirectAddress {
        email: String,
    },
    /// The server wants the user's password before it tells the settings (HTTP 401 to a
    /// request sent without credentials).
    CredentialsRequired,
    /// No answer within the deadline.
    TimedOut,
    /// Anything else, in plain words (certificate, wrong content type, too large, HTTP 500...).
    Failed(String),
}

impl HttpOutcome {
    fn rank(&self) -> u8 {
        match self {
            HttpOutcome::Found(_) | HttpOutcome::FoundEndpoints { .. } => 0,
            HttpOutcome::Redirect { .. } | HttpOutcome::RedirectAddress { .. } | HttpOutcome::CredentialsRequired => 1,
            HttpOutcome::Failed(_) => 2,
            HttpOutcome::TimedOut => 3,
            HttpOutcome::NotFound => 4,
            HttpOutcome::NoSuchHost(_) => 5,
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
        // A configured DNS server answers for web hosts too, like for SRV, MX and mail hosts.
        let resolver = match config.dns_server {
            Some(_) => Some(DnsResolver::from_config(config).map_err(|e| HttpSetupError::Client(e.to_string()))?),
            None => None,
        };
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
            if let Some(resolver) = &resolver {
                b = b.dns_resolver(resolver.clone());
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
            Err(e) => {
                return attempt.finish_with(HttpOutcome::Failed(tr!("eng-http-ispdb-url", problem = e.to_string())))
            }
        };
        let home = url.host_str().unwrap_or_default().to_owned();
        let fetch = Fetch { client: &self.client, home: &home, kind: Kind::Autoconfig { trusted: true }, post: None };
        let _ = tokio::time::timeout(deadline, fetch.run(&mut attempt, url)).await;
        attempt.finish(deadline)
    }

    /// The domain's own autoconfig document: `autoconfig.{domain}` and the well-known path of
    /// `{domain}` at once. A document from the first wins; the second's counts when the first
    /// has none (its request is stopped as soon as the first delivers). `email` fills the
    /// document's placeholders; it is sent as `?emailaddress=` only when `address` says so.
    pub async fn domain_autoconfig(
        &self,
        domain: &str,
        email: &str,
        address: AddressInRequest,
        deadline: Duration,
    ) -> SourceResult {
        let (first, second) = (Attempt::new(SOURCE_AUTOCONFIG, email), Attempt::new(SOURCE_AUTOCONFIG, email));
        let Some(domain) = normalize_domain(domain) else {
            return first.invalid_domain(domain);
        };
        let (Ok(mut url1), Ok(url2)) = (
            Url::parse(&format!("https://autoconfig.{domain}/mail/config-v1.1.xml")),
            Url::parse(&format!("https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml")),
        ) else {
            return first.invalid_domain(&domain);
        };
        if address == AddressInRequest::Sent {
            url1.query_pairs_mut().append_pair("emailaddress", email);
        }
        let fetch = Fetch { client: &self.client, home: &domain, kind: Kind::Autoconfig { trusted: true }, post: None };
        first_preferred(&fetch, [first, second], [url1, url2], deadline, &tr!("eng-http-not-needed-autoconfig")).await
    }

    /// `http://autoconfig.{domain}/mail/config-v1.1.xml` over plain HTTP, which the autoconfig
    /// specification allows. Anyone on the path can read the request and change the answer, so
    /// the address is not sent (the document's placeholders are filled here instead) and a
    /// document found is marked `trusted: false`, to be confirmed by the user.
    pub(crate) async fn domain_autoconfig_http(&self, domain: &str, email: &str, deadline: Duration) -> SourceResult {
        let mut attempt = Attempt::new(SOURCE_AUTOCONFIG, email);
        let Some(domain) = normalize_domain(domain) else {
            return attempt.invalid_domain(domain);
        };
        let Ok(url) = Url::parse(&format!("http://autoconfig.{domain}/mail/config-v1.1.xml")) else {
            return attempt.invalid_domain(&domain);
        };
        let fetch =
            Fetch { client: &self.plain_client, home: &domain, kind: Kind::Autoconfig { trusted: false }, post: None };
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
        let fetch_a = Fetch { client: &self.client, home: &home, kind: Kind::AutodiscoverV2(*pa), post: None };
        let fetch_b = Fetch { client: &self.client, home: &home, kind: Kind::AutodiscoverV2(*pb), post: None };
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

    /// POX Autodiscover for `email` ([MS-OXDSCLI]): `autodiscover.{domain}` and `{domain}` at
    /// once, the first preferred (the second is stopped as soon as the first finds settings).
    /// `credentials` are sent (HTTP Basic) only when given, and only to a server that answers
    /// 401; without them a 401 is [`HttpOutcome::CredentialsRequired`].
    pub async fn autodiscover_pox(
        &self,
        domain: &str,
        email: &str,
        credentials: Option<PoxCredentials<'_>>,
        deadline: Duration,
    ) -> SourceResult {
        let first = Attempt::new(SOURCE_AUTODISCOVER_POX, email);
        let Some(domain) = normalize_domain(domain) else {
            return first.invalid_domain(domain);
        };
        if let Err(why) = check_pox_input(email, credentials) {
            return first.finish_with(HttpOutcome::Failed(why));
        }
        let (Ok(url1), Ok(url2)) = (
            Url::parse(&format!("https://autodiscover.{domain}{AUTODISCOVER_POX_PATH}")),
            Url::parse(&format!("https://{domain}{AUTODISCOVER_POX_PATH}")),
        ) else {
            return first.invalid_domain(&domain);
        };
        let body = pox::request_body(email.trim());
        let post = Post { body: &body, credentials };
        let fetch = Fetch { client: &self.client, home: &domain, kind: Kind::Pox, post: Some(post) };
        let second = Attempt::new(SOURCE_AUTODISCOVER_POX, email);
        let stop = tr!("eng-http-not-needed-autodiscover", domain = domain.as_str());
        first_preferred(&fetch, [first, second], [url1, url2], deadline, &stop).await
    }

    /// POX Autodiscover at one HTTPS `url`, e.g. a redirect the user confirmed. Redirects within
    /// that URL's domain (its host without a leading `autodiscover.`) are followed; elsewhere
    /// they come back as [`HttpOutcome::Redirect`] again.
    pub async fn autodiscover_pox_at(
        &self,
        url: &str,
        email: &str,
        credentials: Option<PoxCredentials<'_>>,
        deadline: Duration,
    ) -> SourceResult {
        let mut attempt = Attempt::new(SOURCE_AUTODISCOVER_POX, email);
        let url = match Url::parse(url.trim()) {
            Ok(url) if url.scheme() == "https" && url.host_str().is_some_and(|h| !h.is_empty()) => url,
            Ok(url) => {
                let why = tr!("eng-http-not-https-address", url = attempt.redact(&url));
                return attempt.finish_with(HttpOutcome::Failed(why));
            }
            Err(e) => {
                let why = tr!("eng-http-not-a-url", url = format!("{:?}", redact(url, email)), problem = e.to_string());
                return attempt.finish_with(HttpOutcome::Failed(why));
            }
        };
        if let Err(why) = check_pox_input(email, credentials) {
            return attempt.finish_with(HttpOutcome::Failed(why));
        }
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let home = host.strip_prefix("autodiscover.").filter(|rest| rest.contains('.')).unwrap_or(&host).to_owned();
        let body = pox::request_body(email.trim());
        let fetch =
            Fetch { client: &self.client, home: &home, kind: Kind::Pox, post: Some(Post { body: &body, credentials }) };
        let _ = tokio::time::timeout(deadline, fetch.run(&mut attempt, url)).await;
        attempt.finish(deadline)
    }
}

/// Runs `fetch` on two URLs at once, the first preferred: a find from the first stops the
/// second; otherwise both run to the end and the better outcome wins (the first on a tie).
async fn first_preferred(
    fetch: &Fetch<'_>,
    [mut first, mut second]: [Attempt; 2],
    [url1, url2]: [Url; 2],
    deadline: Duration,
    stop_note: &str,
) -> SourceResult {
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
    let b = if cancelled && second.outcome.is_none() { second.stop(stop_note) } else { second.finish(deadline) };
    prefer(a, b)
}

/// What POX Autodiscover may send: an address that fits in the XML request, and credentials
/// HTTP Basic can carry (RFC 7617 section 2: no colon in the user-id, no control characters).
/// The messages never quote the password.
fn check_pox_input(email: &str, credentials: Option<PoxCredentials<'_>>) -> Result<(), String> {
    let email = email.trim();
    if email.is_empty() || !email.contains('@') || email.len() > 320 || email.chars().any(char::is_control) {
        return Err(tr!("eng-http-pox-not-an-address"));
    }
    if let Some(c) = credentials {
        if c.username.is_empty() || c.username.contains(':') || c.username.chars().any(char::is_control) {
            return Err(tr!("eng-http-pox-user-name"));
        }
        if c.password.expose().chars().any(char::is_control) {
            return Err(tr!("eng-http-pox-password"));
        }
    }
    Ok(())
}

/// `Authorization: Basic …` (RFC 7617), marked sensitive so that no layer logs it; the
/// intermediate copies are wiped.
fn basic_authorization(credentials: PoxCredentials<'_>) -> HeaderValue {
    use base64::Engine as _;
    let pair = zeroize::Zeroizing::new(format!("{}:{}", credentials.username, credentials.password.expose()));
    let token = zeroize::Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(pair.as_bytes()));
    let value = zeroize::Zeroizing::new(format!("Basic {}", token.as_str()));
    let mut header = HeaderValue::from_str(&value).expect("base64 is a valid header value");
    header.set_sensitive(true);
    header
}

/// The schemes a 401 offers (`Basic`, `NTLM`, `Negotiate`...), from every `WWW-Authenticate`.
fn offered_schemes(headers: &reqwest::header::HeaderMap) -> Vec<String> {
    let mut schemes = Vec::new();
    for value in headers.get_all(WWW_AUTHENTICATE) {
        let text = String::from_utf8_lossy(value.as_bytes());
        // Challenges may share one header, separated by commas (RFC 9110 section 11.6.1); a
        // scheme is a token not followed by '=' (a parameter such as realm="..." is).
        for part in text.split(',') {
            let part = part.trim();
            let token = part.split(|c: char| c.is_whitespace() || c == '=').next().unwrap_or("");
            let is_param = part[token.len()..].trim_start().starts_with('=');
            if !token.is_empty()
                && !is_param
                && token.chars().all(|c| c.is_ascii_alphanumeric() || "-._~+/".contains(c))
            {
                schemes.push(token.to_owned());
            }
        }
    }
    schemes
}

fn first_found(attempt: &Attempt) -> bool {
    matches!(attempt.outcome, Some(HttpOutcome::Found(_) | HttpOutcome::FoundEndpoints { .. }))
}

/// The better of two results (the first on a tie), with both traces.
fn prefer(a: SourceResult, b: SourceResult) -> SourceResult {
    let mut trace = a.trace;
    trace.extend(b.trace);
    let outcome = if b.outcome.rank() < a.outcome.rank() { b.outcome } else { a.outcome };
    SourceResult { outcome, trace }
}

/// `connect_to` entries for URLs on `port`, grouped by host.
pub(crate) fn overrides(entries: &[ConnectTo], port: u16) -> Result<Vec<(String, Vec<SocketAddr>)>, HttpSetupError> {
    let mut out: Vec<(String, Vec<SocketAddr>)> = Vec::new();
    for e in entries {
        // Entries for other ports are for mail connections (see `net::Network`).
        if e.port != 0 && e.port != port {
            continue;
        }
        let to_port = if e.to_port == 0 { port } else { e.to_port };
        let addrs: Vec<SocketAddr> = (e.to_host.as_str(), to_port)
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

    fn redact_text(&self, text: &str) -> String {
        redact(text, &self.email)
    }

    fn start(&mut self, method: &str, url: &Url) {
        self.in_flight = Some((format!("{method} {}", self.redact(url)), Instant::now()));
    }

    fn step(&mut self, status: StepStatus, outcome: impl Into<String>) {
        if let Some((query, started)) = self.in_flight.take() {
            self.trace.push(TraceStep {
                source: self.source.to_owned(),
                query,
                elapsed_ms: started.elapsed().as_millis() as u64,
                status,
                // Error texts (reqwest's among them) can quote the URL, address included.
                outcome: redact(&outcome.into(), &self.email),
            });
        }
    }

    /// Closes the attempt after its future ended or was dropped by the deadline.
    fn finish(mut self, deadline: Duration) -> SourceResult {
        if self.in_flight.is_some() {
            self.step(StepStatus::TimedOut, tr!("eng-step-no-answer-within", ms = deadline.as_millis().to_string()));
        }
        let outcome = match self.outcome.take().unwrap_or(HttpOutcome::TimedOut) {
            HttpOutcome::Failed(why) => HttpOutcome::Failed(redact(&why, &self.email)),
            HttpOutcome::NoSuchHost(why) => HttpOutcome::NoSuchHost(redact(&why, &self.email)),
            other => other,
        };
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
        self.finish_with(HttpOutcome::Failed(tr!("eng-http-not-a-domain", domain = format!("{domain:?}"))))
    }
}

/// Replaces the address (plain or percent-encoded) with `…@domain`.
fn redact(text: &str, email: &str) -> String {
    if email.is_empty() {
        return text.to_owned();
    }
    let domain = crate::address::split(email).map(|(_, d)| d).unwrap_or("");
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
    Autoconfig {
        trusted: bool,
    },
    AutodiscoverV2(Protocol),
    /// POX Autodiscover: a POST (see [`Post`]) answered by XML.
    Pox,
}

/// The body and credentials of a POST.
#[derive(Clone, Copy)]
struct Post<'a> {
    body: &'a str,
    /// Sent only after a 401 (see [`Fetch::run`]).
    credentials: Option<PoxCredentials<'a>>,
}

/// What one answer came to: the end of the attempt, or a redirect to follow or offer.
enum Answer {
    Done {
        status: StepStatus,
        text: String,
        outcome: Box<HttpOutcome>,
    },
    /// An Autodiscover `redirectUrl`; `cause` names it in the trace.
    Redirect {
        to: Url,
        cause: String,
    },
}

impl Answer {
    fn failed(why: String) -> Answer {
        Answer::Done { status: StepStatus::Failed, text: why.clone(), outcome: Box::new(HttpOutcome::Failed(why)) }
    }

    /// The trace text of a finished GET source, from its outcome.
    fn from_result(result: Result<HttpOutcome, (StepStatus, String)>) -> Answer {
        let (status, text) = match &result {
            Ok(HttpOutcome::Found(doc)) => (
                StepStatus::Found,
                tr!(
                    "eng-http-autoconfig-document",
                    incoming = doc.document.incoming.len(),
                    outgoing = doc.document.outgoing.len()
                ),
            ),
            Ok(HttpOutcome::FoundEndpoints { endpoints }) => (StepStatus::Found, list_endpoints(endpoints)),
            Ok(_) => (StepStatus::NotFound, tr!("eng-http-no-settings")),
            Err((status, why)) => (*status, why.clone()),
        };
        let outcome = match result {
            Ok(o) => o,
            Err((StepStatus::NotFound, _)) => HttpOutcome::NotFound,
            Err((_, why)) => HttpOutcome::Failed(why),
        };
        Answer::Done { status, text, outcome: Box::new(outcome) }
    }
}

fn list_endpoints(endpoints: &[DiscoveredEndpoint]) -> String {
    endpoints.iter().map(|e| format!("{} {}", e.protocol.label(), e.endpoint.display())).collect::<Vec<_>>().join(", ")
}

/// One source's request (GET, or POST for POX) with redirect handling and a bounded body.
struct Fetch<'a> {
    client: &'a Client,
    /// Redirects to this host or its subdomains are followed.
    home: &'a str,
    kind: Kind,
    /// Some: the request is this POST.
    post: Option<Post<'a>>,
}

impl Fetch<'_> {
    /// Runs the requests; true when a document or endpoints were found.
    ///
    /// Credentials of a POST are sent only after the server answered 401 with a Basic challenge
    /// (or with none at all), and from then on to the redirects within the domain; a server that
    /// does not ask never sees them.
    async fn run(&self, attempt: &mut Attempt, mut url: Url) -> bool {
        let method = if self.post.is_some() { "POST" } else { "GET" };
        let mut send_credentials = false;
        let mut redirects = 0;
        let outcome = loop {
            attempt.start(method, &url);
            let response = match self.send(&url, send_credentials).await {
                Ok(r) => r,
                Err(e) => {
                    let (status, why) = describe_send_error(&e);
                    attempt.step(status, why.clone());
                    break match status {
                        StepStatus::NotFound => HttpOutcome::NoSuchHost(why),
                        _ => HttpOutcome::Failed(why),
                    };
                }
            };
            let status = response.status();
            if status.is_redirection() {
                let location = response.headers().get(LOCATION).and_then(|v| v.to_str().ok());
                let Some(to) = location.and_then(|l| url.join(l).ok()) else {
                    let why = tr!("eng-http-redirect-without-location", status = status.as_u16());
                    attempt.step(StepStatus::Failed, why.clone());
                    break HttpOutcome::Failed(why);
                };
                // A POST is sent again as a POST: Autodiscover answers only POSTs ([MS-OXDSCLI]
                // 3.1.5), whatever the redirect's status.
                match self.redirect(attempt, to, &format!("HTTP {}", status.as_u16()), &mut redirects) {
                    Ok(next) => {
                        url = next;
                        continue;
                    }
                    Err(outcome) => break *outcome,
                }
            }
            if status == StatusCode::UNAUTHORIZED {
                if let Some(post) = self.post {
                    match (post.credentials, send_credentials) {
                        (None, _) => {
                            attempt.step(StepStatus::Found, tr!("eng-http-401-wants-password"));
                            break HttpOutcome::CredentialsRequired;
                        }
                        (Some(_), true) => {
                            let why = tr!("eng-http-401-refused");
                            attempt.step(StepStatus::Failed, why.clone());
                            break HttpOutcome::Failed(why);
                        }
                        (Some(_), false) => {
                            let schemes = offered_schemes(response.headers());
                            // RFC 9110 requires a challenge with a 401, but some hosters'
                            // scripts send none: Basic is then the one thing worth a try.
                            if schemes.is_empty() || schemes.iter().any(|s| s.eq_ignore_ascii_case("basic")) {
                                attempt.step(StepStatus::NotFound, tr!("eng-http-401-sending"));
                                send_credentials = true;
                                continue;
                            }
                            let why = tr!("eng-http-401-other-scheme", schemes = schemes.join(", "));
                            attempt.step(StepStatus::Failed, why.clone());
                            break HttpOutcome::Failed(why);
                        }
                    }
                }
            }
            if matches!(status, StatusCode::NOT_FOUND | StatusCode::GONE) {
                attempt.step(StepStatus::NotFound, format!("HTTP {}", status.as_u16()));
                break HttpOutcome::NotFound;
            }
            if !status.is_success() {
                let why = format!("HTTP {}", status);
                attempt.step(StepStatus::Failed, why.clone());
                break HttpOutcome::Failed(why);
            }
            let content_type =
                response.headers().get(CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            let answer = match self.kind {
                Kind::Autoconfig { trusted } => {
                    Answer::from_result(self.document(response, content_type, &url, attempt, trusted).await)
                }
                Kind::AutodiscoverV2(protocol) => {
                    Answer::from_result(self.endpoints(response, content_type, protocol).await)
                }
                Kind::Pox => self.pox(response, content_type, attempt).await,
            };
            match answer {
                Answer::Done { status, text, outcome } => {
                    attempt.step(status, text);
                    break *outcome;
                }
                Answer::Redirect { to, cause } => match self.redirect(attempt, to, &cause, &mut redirects) {
                    Ok(next) => {
                        url = next;
                        continue;
                    }
                    Err(outcome) => break *outcome,
                },
            }
        };
        let found = matches!(outcome, HttpOutcome::Found(_) | HttpOutcome::FoundEndpoints { .. });
        attempt.outcome = Some(outcome);
        found
    }

    async fn send(&self, url: &Url, with_credentials: bool) -> Result<reqwest::Response, reqwest::Error> {
        let Some(post) = self.post else {
            return self.client.get(url.clone()).send().await;
        };
        let mut request =
            self.client.post(url.clone()).header(CONTENT_TYPE, "text/xml; charset=utf-8").body(post.body.to_owned());
        if let (true, Some(credentials)) = (with_credentials, post.credentials) {
            request = request.header(AUTHORIZATION, basic_authorization(credentials));
        }
        request.send().await
    }

    /// Checks a redirect (`cause`: "HTTP 302", "the answer's redirectUrl"): the next URL when it
    /// stays within the domain, or the outcome that ends the attempt (another domain, plain
    /// HTTP, too many).
    fn redirect(
        &self,
        attempt: &mut Attempt,
        to: Url,
        cause: &str,
        redirects: &mut usize,
    ) -> Result<Url, Box<HttpOutcome>> {
        let shown = attempt.redact(&to);
        if to.scheme() != "https" {
            let why = tr!("eng-http-redirect-not-https", url = shown.as_str());
            attempt.step(StepStatus::Failed, why.clone());
            return Err(Box::new(HttpOutcome::Failed(why)));
        }
        if !within(&to, self.home) {
            attempt.step(StepStatus::Found, tr!("eng-http-redirect-other-domain", cause = cause, url = shown.as_str()));
            return Err(Box::new(HttpOutcome::Redirect { to: to.to_string() }));
        }
        if *redirects == MAX_REDIRECTS {
            let why = tr!("eng-http-too-many-redirects", limit = MAX_REDIRECTS);
            attempt.step(StepStatus::Failed, why.clone());
            return Err(Box::new(HttpOutcome::Failed(why)));
        }
        *redirects += 1;
        attempt.step(StepStatus::NotFound, tr!("eng-http-redirect", cause = cause, url = shown.as_str()));
        Ok(to)
    }

    /// A POX Autodiscover answer ([MS-OXDSCLI] 2.2.4) to an outcome. Everything the server
    /// wrote is redacted before it reaches the trace (an error message may quote the address).
    async fn pox(&self, response: reqwest::Response, content_type: Option<String>, attempt: &Attempt) -> Answer {
        match autoconfig::check_content_type(content_type.as_deref()) {
            Ok(()) => {}
            Err(AutoconfigError::WrongContentType(ct)) => {
                return Answer::failed(tr!("eng-http-not-xml", content_type = format!("{ct:?}")))
            }
            Err(other) => return Answer::failed(other.to_string()),
        }
        let body = match read_capped(response, MAX_DOCUMENT_BYTES).await {
            Ok(body) => body,
            Err((_, why)) => return Answer::failed(why),
        };
        let answer = match pox::parse(&body) {
            Ok(answer) => answer,
            Err(e) => return Answer::failed(attempt.redact_text(&e.to_string())),
        };
        match answer {
            PoxAnswer::Settings(settings) => pox_settings(settings, attempt),
            PoxAnswer::RedirectUrl(raw) => match Url::parse(&raw) {
                Ok(to) => Answer::Redirect { to, cause: tr!("eng-http-cause-redirect-url") },
                Err(e) => Answer::failed(tr!(
                    "eng-http-redirect-not-a-url",
                    url = format!("{:?}", attempt.redact_text(&raw)),
                    problem = e.to_string()
                )),
            },
            PoxAnswer::RedirectAddress(email) => {
                if email.eq_ignore_ascii_case(attempt.email.trim()) {
                    return Answer::failed(tr!("eng-http-redirect-to-itself"));
                }
                Answer::Done {
                    status: StepStatus::Found,
                    text: tr!("eng-http-redirect-address", email = redact(&email, &email)),
                    outcome: Box::new(HttpOutcome::RedirectAddress { email }),
                }
            }
            PoxAnswer::Error(error) => {
                let words = attempt.redact_text(&error.to_string());
                if error.is_not_found() {
                    Answer::Done { status: StepStatus::NotFound, text: words, outcome: Box::new(HttpOutcome::NotFound) }
                } else {
                    Answer::failed(words)
                }
            }
        }
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
                return Err((StepStatus::Failed, tr!("eng-http-not-json-type", content_type = format!("{ct:?}"))));
            }
        }
        let body = read_capped(response, MAX_JSON_BYTES).await?;
        let endpoint = parse_autodiscover_v2(&body, protocol)?;
        Ok(HttpOutcome::FoundEndpoints { endpoints: vec![DiscoveredEndpoint { protocol, endpoint, username: None }] })
    }
}

/// The trace text and outcome of a `settings` answer: the servers we speak, what else the
/// answer offers, and what was skipped or corrected.
fn pox_settings(settings: PoxSettings, attempt: &Attempt) -> Answer {
    let mut notes = Vec::new();
    if !settings.other_types.is_empty() {
        notes.push(tr!("eng-http-exchange-not-used", types = settings.other_types.join(", ")));
    }
    for server in settings.servers.iter().filter(|s| s.spa == Some(true)) {
        notes.push(tr!("eng-http-spa", protocol = server.protocol.label()));
    }
    notes.extend(settings.warnings.iter().cloned());
    let endpoints: Vec<DiscoveredEndpoint> = settings
        .servers
        .into_iter()
        .map(|s| DiscoveredEndpoint { protocol: s.protocol, endpoint: s.endpoint, username: s.login_name })
        .collect();
    let (status, mut text, outcome) = if endpoints.is_empty() {
        (StepStatus::NotFound, tr!("eng-http-no-mail-server"), HttpOutcome::NotFound)
    } else {
        let listed = endpoints
            .iter()
            .map(|e| format!("{} {} ({})", e.protocol.label(), e.endpoint.display(), e.endpoint.security.label()))
            .collect::<Vec<_>>()
            .join(", ");
        (StepStatus::Found, listed, HttpOutcome::FoundEndpoints { endpoints })
    };
    for note in notes {
        text.push_str("; ");
        text.push_str(&note);
    }
    Answer::Done { status, text: attempt.redact_text(&text), outcome: Box::new(outcome) }
}

/// Whether `url`'s host is `home` or one of its subdomains.
fn within(url: &Url, home: &str) -> bool {
    let Some(host) = url.host_str() else { return false };
    let (host, home) = (host.to_ascii_lowercase(), home.to_ascii_lowercase());
    host == home || host.ends_with(&format!(".{home}"))
}

/// Reads the body chunk by chunk, refusing it as soon as it passes `limit`.
async fn read_capped(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, (StepStatus, String)> {
    let too_large =
        |size: String| (StepStatus::Failed, tr!("eng-http-too-large", size = size, limit = limit.to_string()));
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
                    return Err(too_large(tr!("eng-http-size-over", size = (body.len() + chunk.len()).to_string())));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err((StepStatus::Failed, tr!("eng-http-reading-failed", problem = chain(&e)))),
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
    let answer: Answer = serde_json::from_slice(body)
        .map_err(|e| (StepStatus::Failed, tr!("eng-http-invalid-json", problem = e.to_string())))?;
    if let Some(code) = answer.error_code {
        // The server's own words: cleaned and shortened like all server text before they are shown.
        let message = answer.error_message.unwrap_or_default();
        let said = crate::server_text::shown_plain(&format!("{code}: {message}"));
        return Err((StepStatus::NotFound, said.trim_end_matches([':', ' ']).to_owned()));
    }
    if let Some(p) = &answer.protocol {
        if !p.eq_ignore_ascii_case(protocol.label()) {
            return Err((
                StepStatus::Failed,
                tr!("eng-http-other-protocol", answered = p.as_str(), protocol = protocol.label()),
            ));
        }
    }
    let Some(raw) = answer.url.filter(|u| !u.trim().is_empty()) else {
        return Err((StepStatus::NotFound, tr!("eng-http-no-server")));
    };
    let raw = raw.trim();
    let with_scheme =
        if raw.contains("://") { raw.to_owned() } else { format!("{}://{raw}", protocol.label().to_ascii_lowercase()) };
    let url = Url::parse(&with_scheme).map_err(|e| {
        (StepStatus::Failed, tr!("eng-http-not-a-server-address", raw = format!("{raw:?}"), problem = e.to_string()))
    })?;
    let scheme = url.scheme().to_ascii_lowercase();
    let implicit_tls = match (protocol, scheme.as_str()) {
        (Protocol::Imap, "imaps") | (Protocol::Smtp, "smtps") | (Protocol::Pop3, "pop3s" | "pops") => true,
        (Protocol::Imap, "imap") | (Protocol::Smtp, "smtp" | "submission") | (Protocol::Pop3, "pop3" | "pop") => false,
        _ => {
            return Err((
                StepStatus::NotFound,
                tr!("eng-http-not-that-server", raw = format!("{raw:?}"), protocol = protocol.label()),
            ))
        }
    };
    let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
        return Err((StepStatus::Failed, tr!("eng-http-no-host", raw = format!("{raw:?}"))));
    };
    // Microsoft names the port; without one, the implicit-TLS port is the sensible guess, except
    // for plain SMTP, whose usual submission port is STARTTLS's.
    let unnamed = if protocol == Protocol::Smtp && !implicit_tls { Security::Starttls } else { Security::Tls };
    let port = url.port().unwrap_or(default_port(protocol, unnamed));
    if port == 0 {
        return Err((StepStatus::Failed, tr!("eng-http-port-zero", raw = format!("{raw:?}"))));
    }
    // Ports of implicit TLS (RFC 8314); anything else is upgraded with STARTTLS.
    let security = if implicit_tls || implicit_tls_port(port) { Security::Tls } else { Security::Starttls };
    Ok(Endpoint { host: host.to_ascii_lowercase(), port, security })
}

/// A request that got no answer, in plain words for the trace and the wizard's list, with a
/// certificate refusal named as such. `NotFound` when the host's name does not exist (nothing is
/// published there), `Failed` otherwise.
fn describe_send_error(e: &reqwest::Error) -> (StepStatus, String) {
    let failed = |text: String| (StepStatus::Failed, text);
    if let Some(cert) = certificate_error(e) {
        return failed(tr!("eng-http-certificate-refused", problem = cert));
    }
    let host = e.url().and_then(|u| u.host_str()).map(str::to_owned).unwrap_or_else(|| tr!("eng-http-the-server"));
    let no_such_name = || (StepStatus::NotFound, tr!("eng-http-no-such-name", host = host.as_str()));
    let mut current: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(err) = current {
        if let Some(dns) = err.downcast_ref::<DnsError>() {
            return match dns {
                DnsError::NotFound { .. } => no_such_name(),
                DnsError::TimedOut { .. } => failed(tr!("eng-http-dns-no-answer", host = host.as_str())),
                other => failed(tr!("eng-http-lookup-failed", host = host.as_str(), problem = other.to_string())),
            };
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return failed(tr!("eng-http-refused", host = host.as_str())),
                std::io::ErrorKind::TimedOut => return failed(tr!("eng-http-no-answer", host = host.as_str())),
                _ => {}
            }
        }
        current = err.source();
    }
    let text = chain(e);
    // The system resolver's words (getaddrinfo).
    if text.contains("failed to lookup address") || text.contains("Name or service not known") {
        return no_such_name();
    }
    if e.is_timeout() {
        return failed(tr!("eng-http-no-answer", host = host.as_str()));
    }
    if e.is_connect() {
        return failed(tr!("eng-http-cannot-connect", host = host.as_str(), problem = innermost(e)));
    }
    failed(text)
}

/// The deepest cause of an error: the part that names what went wrong, without the wrappers
/// (reqwest's "error sending request for url (…)").
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last = e;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

fn certificate_error(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = current {
        let rustls_error = err.downcast_ref::<rustls::Error>().or_else(|| {
            err.downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|i| i.downcast_ref::<rustls::Error>())
        });
        if let Some(rustls::Error::InvalidCertificate(cert)) = rustls_error {
            return Some(match cert {
                rustls::CertificateError::UnknownIssuer => tr!("eng-http-unknown-issuer"),
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
        "UnknownIssuer" => tr!("eng-http-unknown-issuer"),
        other => other.to_owned(),
    })
}

pub(crate) fn chain(e: &(dyn std::error::Error + 'static)) -> String {
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

impl HttpSources {
    /// An autoconfig document at `url`, a redirect target the user confirmed. HTTPS only;
    /// redirects within that URL's domain are followed, others offered again.
    pub(crate) async fn autoconfig_at(&self, url: &str, email: &str, deadline: Duration) -> SourceResult {
        let attempt = Attempt::new(SOURCE_AUTOCONFIG, email);
        let url = match Url::parse(url) {
            Ok(u) if u.scheme() == "https" && u.host_str().is_some() => u,
            _ => {
                return attempt
                    .finish_with(HttpOutcome::Failed(tr!("eng-http-not-https-url", url = format!("{url:?}"))))
            }
        };
        let mut attempt = attempt;
        let home = url.host_str().unwrap_or_default().to_owned();
        let fetch = Fetch { client: &self.client, home: &home, kind: Kind::Autoconfig { trusted: true }, post: None };
        let _ = tokio::time::timeout(deadline, fetch.run(&mut attempt, url)).await;
        attempt.finish(deadline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_the_address_in_every_spelling() {
        let email = "alice+x@example.test";
        let url = "https://autoconfig.example.test/mail/config-v1.1.xml?emailaddress=alice%2Bx%40example.test";
        assert_eq!(
            redact(url, email),
            "https://autoconfig.example.test/mail/config-v1.1.xml?emailaddress=…@example.test"
        );
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
        // Port 0 is no server; an error message is server text, cleaned before it is shown.
        assert_eq!(ok(r#"{"Url":"imap://mail.example.test:0"}"#, Protocol::Imap).unwrap_err().0, StepStatus::Failed);
        let said = ok(r#"{"ErrorCode":"X","ErrorMessage":"a\u001b]0;title\u0007b"}"#, Protocol::Imap).unwrap_err().1;
        assert!(!said.chars().any(char::is_control), "{said:?}");
        assert_eq!(
            ok(r#"{"ErrorCode":"InvalidProtocol","ErrorMessage":"no"}"#, Protocol::Imap).unwrap_err().0,
            StepStatus::NotFound
        );
        assert_eq!(
            ok(r#"{"Protocol":"IMAP","Url":"https://x.test/ews"}"#, Protocol::Imap).unwrap_err().0,
            StepStatus::NotFound
        );
        assert_eq!(ok("<html>", Protocol::Imap).unwrap_err().0, StepStatus::Failed);
    }

    #[test]
    fn challenges_name_their_schemes() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.append(WWW_AUTHENTICATE, HeaderValue::from_static("Negotiate"));
        headers.append(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("NTLM, Basic realm=\"mail, example\", charset=\"UTF-8\""),
        );
        assert_eq!(offered_schemes(&headers), vec!["Negotiate", "NTLM", "Basic"]);
        assert!(offered_schemes(&reqwest::header::HeaderMap::new()).is_empty());
    }

    #[test]
    fn basic_credentials_are_encoded_and_sensitive() {
        let password = Secret::new("open sesame");
        let header = basic_authorization(PoxCredentials { username: "alice", password: &password });
        assert_eq!(header.to_str().unwrap(), "Basic YWxpY2U6b3BlbiBzZXNhbWU=");
        assert!(header.is_sensitive());
        let creds = PoxCredentials { username: "alice", password: &password };
        assert!(!format!("{creds:?}").contains("sesame"));
    }

    #[test]
    fn pox_input_is_checked_without_quoting_the_password() {
        let password = Secret::new("hunter\u{7}2");
        assert!(check_pox_input("alice@example.test", None).is_ok());
        assert!(check_pox_input("alice", None).is_err());
        assert!(check_pox_input("al\u{0}ice@example.test", None).is_err());
        let colon = PoxCredentials { username: "a:b", password: &password };
        assert!(check_pox_input("alice@example.test", Some(colon)).is_err());
        let why =
            check_pox_input("alice@example.test", Some(PoxCredentials { username: "alice", password: &password }))
                .unwrap_err();
        assert!(!why.contains("hunter"), "{why}");
    }

    #[test]
    fn new_outcomes_rank_between_found_and_failed() {
        let found = HttpOutcome::FoundEndpoints { endpoints: vec![] };
        let middle = [
            HttpOutcome::Redirect { to: "https://x.test/".into() },
            HttpOutcome::RedirectAddress { email: "a@x.test".into() },
            HttpOutcome::CredentialsRequired,
        ];
        for m in &middle {
            assert!(found.rank() < m.rank() && m.rank() < HttpOutcome::Failed(String::new()).rank());
        }
        assert!(HttpOutcome::Failed(String::new()).rank() < HttpOutcome::TimedOut.rank());
        assert!(HttpOutcome::TimedOut.rank() < HttpOutcome::NotFound.rank());
        // A 404 says more than a name that does not exist (the server was there).
        assert!(HttpOutcome::NotFound.rank() < HttpOutcome::NoSuchHost(String::new()).rank());
    }

    #[test]
    fn discovered_endpoints_without_a_username_still_deserialize() {
        let json = r#"{"protocol":"imap","endpoint":{"host":"imap.example.test","port":993,"security":"tls"}}"#;
        let e: DiscoveredEndpoint = serde_json::from_str(json).unwrap();
        assert_eq!(e.username, None);
    }

    #[test]
    fn connect_to_ports_are_checked() {
        let entry = |port| ConnectTo { host: "A.test".into(), port, to_host: "127.0.0.1".into(), to_port: 8443 };
        let got = overrides(&[entry(443), entry(80)], 443).unwrap();
        assert_eq!(got, vec![("a.test".to_owned(), vec!["127.0.0.1:8443".parse().unwrap()])]);
        // Another port is a mail server's: not the HTTP client's business.
        assert!(overrides(&[entry(993)], 443).unwrap().is_empty());
    }
}

/// Property-based tests over the Autodiscover v2 JSON reader: Microsoft's answers (endpoints,
/// error codes), mutated, and random JSON-like bytes. The body reaching it is already capped at
/// [`MAX_JSON_BYTES`] by `read_capped`; the reader must never panic, and what it keeps (the host,
/// the trace text) stays proportional to the body.
#[cfg(test)]
mod fuzz {
    use super::*;
    use crate::fuzzing;
    use proptest::prelude::*;

    const ANSWERS: &[&str] = &[
        r#"{"Protocol":"IMAP","Url":"imap://outlook.office365.com:993"}"#,
        r#"{"Protocol":"Smtp","Url":"smtp://smtp.office365.com:587"}"#,
        r#"{"Protocol":"Pop3","Url":"pop3s://outlook.office365.com:995"}"#,
        r#"{"Url":"mail.example.test:143"}"#,
        r#"{"Protocol":"ActiveSync","Url":"https://outlook.office365.com/Microsoft-Server-ActiveSync"}"#,
        r#"{"ErrorCode":"InvalidProtocol","ErrorMessage":"The given protocol value 'Imap4' is invalid."}"#,
        r#"{"ErrorCode":"InternalServerError","ErrorMessage":"Failed to resolve user","Protocol":"IMAP"}"#,
        r#"{"Protocol":"IMAP","Url":"imaps://[2001:db8::1]:993","Extra":[1,2.5e300,null,{"a":"\u00e9\ud83d\ude00"}]}"#,
    ];

    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"",
        "\\",
        "\\u",
        "\\ud800",
        "\"Url\"",
        "\"Protocol\"",
        "\"ErrorCode\"",
        "\"IMAP\"",
        "\"imap://",
        "smtps://",
        "://",
        ":993",
        ":99999999999",
        "null",
        "1e999",
        "-0",
        "[[[[[[[[[[",
        "@",
        "%",
        "xn--",
        "\u{feff}",
    ];

    #[test]
    fn autodiscover_v2_answers_never_panic() {
        let strategies = [fuzzing::mutated(ANSWERS).boxed(), fuzzing::random(TOKENS).boxed()];
        for (protocol, bodies) in [Protocol::Imap, Protocol::Pop3, Protocol::Smtp]
            .into_iter()
            .flat_map(|p| strategies.iter().map(move |s| (p, s)))
        {
            fuzzing::runner()
                .run(bodies, |body| {
                    match parse_autodiscover_v2(&body, protocol) {
                        Ok(endpoint) => {
                            prop_assert!(!endpoint.host.is_empty());
                            prop_assert!(endpoint.host.len() <= 4 * body.len());
                        }
                        // `{raw:?}` may escape each character as `\u{…}`.
                        Err((_, text)) => prop_assert!(text.len() <= 200 + 10 * body.len(), "{}", text.len()),
                    }
                    Ok(())
                })
                .unwrap();
        }
    }

    #[test]
    fn deep_nesting_within_the_cap_is_no_stack_overflow() {
        // As deep as a body under the cap can nest: read (serde_json skips the unknown member
        // without recursing per level), never a crash of the thread.
        let depth = MAX_JSON_BYTES / 2 - 64;
        let body = format!(r#"{{"Url":"imap://x.test:993","Extra":{}1{}}}"#, "[".repeat(depth), "]".repeat(depth));
        assert!(body.len() <= MAX_JSON_BYTES);
        let _ = parse_autodiscover_v2(body.as_bytes(), Protocol::Imap);
        let body = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(parse_autodiscover_v2(body.as_bytes(), Protocol::Imap).unwrap_err().0, StepStatus::Failed);
    }
}

#[cfg(test)]
mod language_tests {
    use super::*;
    use crate::i18n::{with_language, Language};

    /// Why an answer was not used is read in the window: German in German, with what the
    /// answer said quoted as it was.
    #[test]
    fn reasons_are_in_the_chosen_language() {
        let why = |language| {
            with_language(language, || {
                parse_autodiscover_v2(br#"{"Url":"imap://mail.example.test:0"}"#, Protocol::Imap).unwrap_err().1
            })
        };
        assert_eq!(
            why(Language::De),
            "\"imap://mail.example.test:0\" nennt Port 0, auf dem kein Server erreichbar sein kann"
        );
        assert_eq!(why(Language::En), "\"imap://mail.example.test:0\" names port 0, where no server can listen");
    }
}
