//! DNS sources of discovery: SRV records for mail services (RFC 6186, RFC 8314) and MX → provider.
//!
//! - [`DnsResolver::srv_records`] asks the six mail services at once (`_imaps._tcp`, `_imap._tcp`,
//!   `_pop3s._tcp`, `_pop3._tcp`, `_submissions._tcp`, `_submission._tcp`) and returns candidates
//!   in the order a client should try them (see [`order_candidates`]).
//! - [`DnsResolver::mx_hosts`] reads the domain's mail exchangers; [`provider_from_mx`] names the
//!   provider behind them (Google, Microsoft, …) and the domain to feed back into the ISPDB and
//!   autoconfig lookups.
//!
//! Every lookup runs under the deadline its caller gives, and records what it asked, how long it
//! took and what came of it as [`TraceStep`]s. A name that does not exist (NXDOMAIN) or has no
//! records of the type (NODATA) is an ordinary empty answer; a timeout or a server failure
//! (SERVFAIL, REFUSED, network error) is a recorded failure. Nothing here returns early on a
//! failure of one query: the others still count.
//!
//! Which DNS server is asked comes from [`EngineConfig::dns_server`]: None is the system resolver
//! (/etc/resolv.conf), Some(addr) is exactly that server (tests run their own dnsmasq).
//! All names are queried fully qualified, so no search domain is ever appended.

use crate::account::{Endpoint, Protocol, Security};
use crate::config::EngineConfig;
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError as WireError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Name, RData};
use hickory_resolver::TokioResolver;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// `TraceStep::source` of the SRV lookups.
pub const SOURCE_SRV: &str = "dns-srv";
/// `TraceStep::source` of the MX lookup.
pub const SOURCE_MX: &str = "dns-mx";

/// How long one query waits for the configured server before it is sent again (custom server
/// only; the system resolver keeps the timeout and attempts of /etc/resolv.conf). The caller's
/// deadline bounds the whole lookup either way.
const CUSTOM_SERVER_TIMEOUT: Duration = Duration::from_secs(1);
const CUSTOM_SERVER_ATTEMPTS: usize = 2;

// ---- trace ----------------------------------------------------------------------------------

/// What came of one step of discovery, in a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// Usable records came back.
    Found,
    /// The name does not exist (NXDOMAIN) or has no records of the type asked (NODATA).
    NotFound,
    /// The domain says explicitly that the service is not offered (an SRV target of ".",
    /// RFC 2782; a null MX, RFC 7505).
    NotOffered,
    /// No answer within the deadline.
    TimedOut,
    /// The server answered with an error (SERVFAIL, REFUSED, …) or could not be reached.
    Failed,
}

/// One step of discovery: what was asked, how long it took, what came of it. Shown in the
/// wizard's "what we tried" list and in the help-desk report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct TraceStep {
    /// Which source: [`SOURCE_SRV`], [`SOURCE_MX`], … (the other sources of discovery add theirs)
    pub source: String,
    /// What was asked, e.g. `SRV _imaps._tcp.example.com`.
    pub query: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elapsed_ms: u64,
    pub status: StepStatus,
    /// Plain words: "imap.example.com:993 (priority 0, weight 1)", "no such name (NXDOMAIN)",
    /// "no answer within 1500 ms".
    pub outcome: String,
}

impl TraceStep {
    fn new(source: &str, query: String, elapsed: Duration, status: StepStatus, outcome: String) -> TraceStep {
        TraceStep { source: source.to_owned(), query, elapsed_ms: elapsed.as_millis() as u64, status, outcome }
    }

    /// A timeout or a server failure: the empty answer is not a real "nothing there".
    pub fn is_failure(&self) -> bool {
        matches!(self.status, StepStatus::TimedOut | StepStatus::Failed)
    }
}

// ---- errors ---------------------------------------------------------------------------------

/// Why a DNS lookup gave no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DnsError {
    /// No resolver could be set up from the system configuration.
    #[error("the system DNS configuration cannot be used ({message}); set a DNS server in the configuration")]
    SystemConfig { message: String },
    #[error("{name:?} is not a valid domain name: {message}")]
    InvalidName { name: String, message: String },
    /// NXDOMAIN, or no records of the type asked.
    #[error("{query}: {message}")]
    NotFound { query: String, message: String },
    #[error("{query}: no answer within {elapsed_ms} ms")]
    TimedOut { query: String, elapsed_ms: u64 },
    #[error("{query}: {message}")]
    Failed { query: String, message: String },
}

// ---- the resolver ---------------------------------------------------------------------------

/// The DNS resolver of discovery. Cheap to clone (one shared resolver and cache).
#[derive(Clone)]
pub struct DnsResolver {
    inner: Arc<TokioResolver>,
    server: Option<SocketAddr>,
}

impl fmt::Debug for DnsResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DnsResolver").field("server", &self.describe()).finish()
    }
}

impl DnsResolver {
    /// `None`: the system's resolver configuration (/etc/resolv.conf on Unix), with its search
    /// domains ignored (every name is queried fully qualified). `Some(addr)`: only that server,
    /// over UDP (TCP when an answer is truncated), no hosts file, 1 s per try and 2 tries.
    pub fn new(server: Option<SocketAddr>) -> Result<DnsResolver, DnsError> {
        let provider = TokioRuntimeProvider::default();
        let resolver = match server {
            None => {
                let builder =
                    TokioResolver::builder(provider).map_err(|e| DnsError::SystemConfig { message: e.to_string() })?;
                builder.build().map_err(|e| DnsError::SystemConfig { message: e.to_string() })?
            }
            Some(addr) => {
                let mut udp = ConnectionConfig::udp();
                udp.port = addr.port();
                let mut tcp = ConnectionConfig::tcp();
                tcp.port = addr.port();
                let name_server = NameServerConfig::new(addr.ip(), true, vec![udp, tcp]);
                let config = ResolverConfig::from_parts(None, Vec::new(), vec![name_server]);
                let mut builder = TokioResolver::builder_with_config(config, provider);
                let opts = builder.options_mut();
                opts.timeout = CUSTOM_SERVER_TIMEOUT;
                opts.attempts = CUSTOM_SERVER_ATTEMPTS;
                opts.use_hosts_file = ResolveHosts::Never;
                opts.ndots = 0;
                builder
                    .build()
                    .map_err(|e| DnsError::Failed { query: format!("DNS server {addr}"), message: e.to_string() })?
            }
        };
        Ok(DnsResolver { inner: Arc::new(resolver), server })
    }

    /// The resolver the configuration names.
    pub fn from_config(config: &EngineConfig) -> Result<DnsResolver, DnsError> {
        DnsResolver::new(config.dns_server)
    }

    /// The configured server, None for the system resolver.
    pub fn server(&self) -> Option<SocketAddr> {
        self.server
    }

    /// "DNS server 127.0.0.1:5353" or "the system resolver", for reports.
    pub fn describe(&self) -> String {
        match self.server {
            Some(addr) => format!("DNS server {addr}"),
            None => "the system resolver".into(),
        }
    }

    /// The SRV records of the six mail services of `domain`, asked concurrently, all within
    /// `deadline`. Never fails as a whole: each query's failure is in the trace.
    pub async fn srv_records(&self, domain: &str, deadline: Duration) -> SrvResult {
        let started = Instant::now();
        let domain = match normalize_domain(domain) {
            Ok(d) => d,
            Err(e) => {
                let step = TraceStep::new(
                    SOURCE_SRV,
                    format!("SRV _*._tcp.{domain}"),
                    started.elapsed(),
                    StepStatus::Failed,
                    e.to_string(),
                );
                return SrvResult { candidates: Vec::new(), not_offered: Vec::new(), trace: vec![step] };
            }
        };
        let queries = SrvService::ALL.map(|service| {
            let name = format!("{}.{domain}", service.label());
            async move {
                let query = format!("SRV {name}");
                let started = Instant::now();
                let answer = self.ask(&name, deadline, |n| self.inner.srv_lookup(n)).await;
                (service, query, started.elapsed(), answer)
            }
        });
        let answers = futures::future::join_all(queries).await;

        let mut result = SrvResult { candidates: Vec::new(), not_offered: Vec::new(), trace: Vec::new() };
        for (service, query, elapsed, answer) in answers {
            let step = |status, outcome| TraceStep::new(SOURCE_SRV, query.clone(), elapsed, status, outcome);
            let lookup = match answer {
                Ok(lookup) => lookup,
                Err(failure) => {
                    result.trace.push(step(failure.status(), failure.outcome(deadline)));
                    continue;
                }
            };
            let mut found = Vec::new();
            let mut dot_targets = 0;
            for record in lookup.answers() {
                let RData::SRV(srv) = &record.data else { continue };
                if srv.target.is_root() {
                    dot_targets += 1;
                    continue;
                }
                let host = host_name(&srv.target);
                if host.is_empty() || srv.port == 0 {
                    continue;
                }
                found.push(SrvCandidate {
                    service,
                    protocol: service.protocol(),
                    security: service.security(),
                    host,
                    port: srv.port,
                    priority: srv.priority,
                    weight: srv.weight,
                });
            }
            let step = if !found.is_empty() {
                let listed = found
                    .iter()
                    .map(|c| format!("{}:{} (priority {}, weight {})", c.host, c.port, c.priority, c.weight))
                    .collect::<Vec<_>>()
                    .join(", ");
                let extra = if dot_targets > 0 { " (and a \".\" target, ignored)" } else { "" };
                step(StepStatus::Found, format!("{listed}{extra}"))
            } else if dot_targets > 0 {
                result.not_offered.push(service);
                step(StepStatus::NotOffered, "target \".\": the domain does not offer this service".into())
            } else {
                step(StepStatus::NotFound, "no SRV records".into())
            };
            result.candidates.extend(found);
            result.trace.push(step);
        }
        order_candidates(&mut result.candidates);
        result
    }

    /// The mail exchangers of `domain`, lowest preference first (ties by host name). A null MX
    /// (RFC 7505: one record "0 ." — the domain takes no mail) gives no hosts and `null_mx`.
    pub async fn mx_hosts(&self, domain: &str, deadline: Duration) -> MxResult {
        let started = Instant::now();
        let domain = match normalize_domain(domain) {
            Ok(d) => d,
            Err(e) => {
                let step = TraceStep::new(
                    SOURCE_MX,
                    format!("MX {domain}"),
                    started.elapsed(),
                    StepStatus::Failed,
                    e.to_string(),
                );
                return MxResult { hosts: Vec::new(), null_mx: false, trace: vec![step] };
            }
        };
        let query = format!("MX {domain}");
        let answer = self.ask(&domain, deadline, |n| self.inner.mx_lookup(n)).await;
        let elapsed = started.elapsed();
        let step = |status, outcome| TraceStep::new(SOURCE_MX, query.clone(), elapsed, status, outcome);
        let lookup = match answer {
            Ok(lookup) => lookup,
            Err(failure) => {
                let step = step(failure.status(), failure.outcome(deadline));
                return MxResult { hosts: Vec::new(), null_mx: false, trace: vec![step] };
            }
        };
        let mut hosts = Vec::new();
        let mut null_mx = false;
        for record in lookup.answers() {
            let RData::MX(mx) = &record.data else { continue };
            if mx.exchange.is_root() {
                null_mx = true;
                continue;
            }
            let host = host_name(&mx.exchange);
            if !host.is_empty() && !hosts.iter().any(|(p, h)| *p == mx.preference && *h == host) {
                hosts.push((mx.preference, host));
            }
        }
        hosts.sort();
        let step = if !hosts.is_empty() {
            let listed = hosts.iter().map(|(p, h)| format!("{p} {h}")).collect::<Vec<_>>().join(", ");
            step(StepStatus::Found, listed)
        } else if null_mx {
            step(StepStatus::NotOffered, "null MX (\".\"): the domain accepts no mail".into())
        } else {
            step(StepStatus::NotFound, "no MX records".into())
        };
        let null_mx = null_mx && hosts.is_empty();
        MxResult { hosts, null_mx, trace: vec![step] }
    }

    /// The addresses of `host` (A and AAAA, asked together; IPv6 first), through the configured
    /// server, within `deadline`. An IP literal is returned as is.
    pub async fn lookup_ip(&self, host: &str, deadline: Duration) -> Result<Vec<IpAddr>, DnsError> {
        if let Ok(ip) = host.trim().trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
            return Ok(vec![ip]);
        }
        let name = normalize_domain(host)?;
        let query = format!("A/AAAA {name}");
        let started = Instant::now();
        match self.ask(&name, deadline, |n| self.inner.lookup_ip(n)).await {
            Ok(lookup) => {
                let addrs: Vec<IpAddr> = lookup.iter().collect();
                if addrs.is_empty() {
                    Err(DnsError::NotFound { query, message: "no address records".into() })
                } else {
                    Ok(addrs)
                }
            }
            Err(Failure::NotFound(message)) => Err(DnsError::NotFound { query, message }),
            Err(Failure::TimedOut) => {
                Err(DnsError::TimedOut { query, elapsed_ms: started.elapsed().as_millis() as u64 })
            }
            Err(Failure::Failed(message)) => Err(DnsError::Failed { query, message }),
        }
    }

    /// One query under `deadline`, with hickory's answer sorted into found / not found / failed.
    async fn ask<T, F, Fut>(&self, name: &str, deadline: Duration, lookup: F) -> Result<T, Failure>
    where
        F: FnOnce(Name) -> Fut,
        Fut: Future<Output = Result<T, NetError>>,
    {
        let fqdn = Name::from_ascii(format!("{name}.")).map_err(|e| Failure::Failed(format!("invalid name: {e}")))?;
        match tokio::time::timeout(deadline, lookup(fqdn)).await {
            Err(_) => Err(Failure::TimedOut),
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(e)) => Err(classify(&e)),
        }
    }
}

/// The HTTP client of discovery resolves through the same server (reqwest asks by name; the
/// port is set by reqwest afterwards).
impl reqwest::dns::Resolve for DnsResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let resolver = self.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let ips = resolver.lookup_ip(&host, HTTP_LOOKUP_LIMIT).await?;
            let addrs: reqwest::dns::Addrs = Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// Bound on one address lookup for the HTTP client (its caller's deadline is usually shorter).
const HTTP_LOOKUP_LIMIT: Duration = Duration::from_secs(10);

/// Why a query gave nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Failure {
    NotFound(String),
    TimedOut,
    Failed(String),
}

impl Failure {
    fn status(&self) -> StepStatus {
        match self {
            Failure::NotFound(_) => StepStatus::NotFound,
            Failure::TimedOut => StepStatus::TimedOut,
            Failure::Failed(_) => StepStatus::Failed,
        }
    }

    fn outcome(&self, deadline: Duration) -> String {
        match self {
            Failure::NotFound(m) | Failure::Failed(m) => m.clone(),
            Failure::TimedOut => format!("no answer within {} ms", deadline.as_millis()),
        }
    }
}

fn classify(e: &NetError) -> Failure {
    match e {
        NetError::Dns(WireError::NoRecordsFound(no)) if no.response_code == ResponseCode::NXDomain => {
            Failure::NotFound("no such name (NXDOMAIN)".into())
        }
        NetError::Dns(WireError::NoRecordsFound(_)) => Failure::NotFound("no records of this type".into()),
        NetError::Dns(WireError::ResponseCode(code)) => {
            Failure::Failed(format!("the server answered {} ({})", rcode_name(*code), code.to_str().to_lowercase()))
        }
        NetError::Timeout => Failure::TimedOut,
        other => Failure::Failed(other.to_string()),
    }
}

/// The mnemonic of a response code as dig and the RFCs write it: SERVFAIL, REFUSED, …
fn rcode_name(code: ResponseCode) -> String {
    match code {
        ResponseCode::NoError => "NOERROR".into(),
        ResponseCode::FormErr => "FORMERR".into(),
        ResponseCode::ServFail => "SERVFAIL".into(),
        ResponseCode::NXDomain => "NXDOMAIN".into(),
        ResponseCode::NotImp => "NOTIMP".into(),
        ResponseCode::Refused => "REFUSED".into(),
        other => format!("RCODE {}", u16::from(other)),
    }
}

/// Lowercase ASCII (IDNA for Unicode), no trailing dot, checked to be a valid name.
fn normalize_domain(domain: &str) -> Result<String, DnsError> {
    let trimmed = domain.trim().trim_end_matches('.');
    let invalid = |message: String| DnsError::InvalidName { name: domain.to_owned(), message };
    if trimmed.is_empty() {
        return Err(invalid("empty".into()));
    }
    let name = Name::from_utf8(trimmed).map_err(|e| invalid(e.to_string()))?;
    Ok(host_name(&name))
}

/// A name as we show and compare it: lowercase ASCII, no trailing dot.
fn host_name(name: &Name) -> String {
    name.to_ascii().trim_end_matches('.').to_ascii_lowercase()
}

// ---- SRV ------------------------------------------------------------------------------------

/// The mail services of RFC 6186 and RFC 8314, each an SRV name under the domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SrvService {
    Imaps,
    Imap,
    Pop3s,
    Pop3,
    Submissions,
    Submission,
}

impl SrvService {
    pub const ALL: [SrvService; 6] = [
        SrvService::Imaps,
        SrvService::Imap,
        SrvService::Pop3s,
        SrvService::Pop3,
        SrvService::Submissions,
        SrvService::Submission,
    ];

    /// The SRV owner name prefix, e.g. `_imaps._tcp`.
    pub fn label(self) -> &'static str {
        match self {
            SrvService::Imaps => "_imaps._tcp",
            SrvService::Imap => "_imap._tcp",
            SrvService::Pop3s => "_pop3s._tcp",
            SrvService::Pop3 => "_pop3._tcp",
            SrvService::Submissions => "_submissions._tcp",
            SrvService::Submission => "_submission._tcp",
        }
    }

    pub fn protocol(self) -> Protocol {
        match self {
            SrvService::Imaps | SrvService::Imap => Protocol::Imap,
            SrvService::Pop3s | SrvService::Pop3 => Protocol::Pop3,
            SrvService::Submissions | SrvService::Submission => Protocol::Smtp,
        }
    }

    /// Implicit TLS for the `s` services (RFC 8314), STARTTLS for the others (RFC 6186).
    pub fn security(self) -> Security {
        match self {
            SrvService::Imaps | SrvService::Pop3s | SrvService::Submissions => Security::Tls,
            SrvService::Imap | SrvService::Pop3 | SrvService::Submission => Security::Starttls,
        }
    }
}

/// One server an SRV record points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SrvCandidate {
    pub service: SrvService,
    pub protocol: Protocol,
    pub security: Security,
    /// Lowercase, without the trailing dot.
    pub host: String,
    pub port: u16,
    pub priority: u16,
    pub weight: u16,
}

impl SrvCandidate {
    pub fn endpoint(&self) -> Endpoint {
        Endpoint { host: self.host.clone(), port: self.port, security: self.security }
    }
}

/// What the SRV lookups found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SrvResult {
    /// In the order to try them (see [`order_candidates`]).
    pub candidates: Vec<SrvCandidate>,
    /// Services the domain declared as not offered (only a "." target, RFC 2782).
    pub not_offered: Vec<SrvService>,
    /// One step per service, in [`SrvService::ALL`] order.
    pub trace: Vec<TraceStep>,
}

impl SrvResult {
    /// The candidates for one protocol, in order.
    pub fn for_protocol(&self, protocol: Protocol) -> impl Iterator<Item = &SrvCandidate> {
        self.candidates.iter().filter(move |c| c.protocol == protocol)
    }

    /// Whether some query timed out or failed, so that "no candidates" may not be the truth.
    pub fn had_failures(&self) -> bool {
        self.trace.iter().any(TraceStep::is_failure)
    }
}

/// Orders SRV candidates the way a client should try them. Deterministic: the same records
/// always give the same order.
///
/// 1. Incoming (IMAP, POP3) before outgoing (submission). RFC 6186 §3.4 lets priority decide
///    between IMAP and POP3, so they are ordered together.
/// 2. Priority ascending (RFC 2782: lowest first).
/// 3. At equal priority, implicit TLS before STARTTLS (RFC 8314 §5.1).
/// 4. Then IMAP before POP3 (only a tie-break; the caller usually filters by protocol).
/// 5. Then weight descending. RFC 2782 picks randomly in proportion to weight; we list the
///    most likely pick first instead, so discovery and its report are reproducible. Weight 0
///    ("very small chance") thus comes last.
/// 6. Then host name and port, for a stable order among equals.
pub fn order_candidates(candidates: &mut [SrvCandidate]) {
    fn direction(p: Protocol) -> u8 {
        match p {
            Protocol::Imap | Protocol::Pop3 => 0,
            Protocol::Smtp => 1,
        }
    }
    fn security_rank(s: Security) -> u8 {
        match s {
            Security::Tls => 0,
            Security::Starttls => 1,
            Security::None => 2,
        }
    }
    fn protocol_rank(p: Protocol) -> u8 {
        match p {
            Protocol::Imap => 0,
            Protocol::Pop3 => 1,
            Protocol::Smtp => 2,
        }
    }
    candidates.sort_by(|a, b| {
        (direction(a.protocol), a.priority, security_rank(a.security), protocol_rank(a.protocol))
            .cmp(&(direction(b.protocol), b.priority, security_rank(b.security), protocol_rank(b.protocol)))
            .then(b.weight.cmp(&a.weight))
            .then_with(|| a.host.cmp(&b.host))
            .then(a.port.cmp(&b.port))
    });
}

// ---- MX → provider --------------------------------------------------------------------------

/// What the MX lookup found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MxResult {
    /// `(preference, host)`, lowest preference first; hosts lowercase without the trailing dot.
    pub hosts: Vec<(u16, String)>,
    /// The domain publishes a null MX (RFC 7505) and nothing else: it takes no mail.
    pub null_mx: bool,
    pub trace: Vec<TraceStep>,
}

/// Mail providers recognizable by their MX hosts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KnownProvider {
    Google,
    Microsoft,
    Yahoo,
    Zoho,
    Fastmail,
    Yandex,
    MailRu,
    Icloud,
    Gmx,
    /// Not a provider we know: the registrable-ish domain of the preferred MX host.
    Other(String),
}

/// The provider behind a domain's mail, and the domain to look up in the ISPDB and autoconfig.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MxProvider {
    pub provider: KnownProvider,
    /// E.g. "googlemail.com" (the ISPDB entry for Gmail and Google Workspace), "outlook.com".
    pub provider_domain: String,
}

/// `(host suffix, provider, provider domain)`. A host matches a suffix when it equals it or ends
/// with "." + suffix.
/// `(host suffix, provider, provider domain)`.
type MxRule = (&'static str, fn() -> KnownProvider, &'static str);

const PROVIDERS: &[MxRule] = &[
    // aspmx.l.google.com, alt1.aspmx.l.google.com, smtp.google.com, gmail-smtp-in.l.google.com
    ("google.com", || KnownProvider::Google, "googlemail.com"),
    // aspmx2.googlemail.com …
    ("googlemail.com", || KnownProvider::Google, "googlemail.com"),
    // tenant.mail.protection.outlook.com (Microsoft 365), outlook-com.olc.protection.outlook.com
    ("outlook.com", || KnownProvider::Microsoft, "outlook.com"),
    ("hotmail.com", || KnownProvider::Microsoft, "outlook.com"),
    // mta5.am0.yahoodns.net
    ("yahoodns.net", || KnownProvider::Yahoo, "yahoo.com"),
    // mx.zoho.com, mx.zoho.eu, mx.zoho.in, mx.zoho.com.au, mx.zoho.jp
    ("zoho.com", || KnownProvider::Zoho, "zoho.com"),
    ("zoho.eu", || KnownProvider::Zoho, "zoho.eu"),
    ("zoho.in", || KnownProvider::Zoho, "zoho.in"),
    ("zoho.com.au", || KnownProvider::Zoho, "zoho.com.au"),
    ("zoho.jp", || KnownProvider::Zoho, "zoho.jp"),
    ("zohomail.com", || KnownProvider::Zoho, "zoho.com"),
    // in1-smtp.messagingengine.com
    ("messagingengine.com", || KnownProvider::Fastmail, "fastmail.com"),
    // mx.yandex.net (Yandex 360), mx.yandex.ru
    ("yandex.net", || KnownProvider::Yandex, "yandex.ru"),
    ("yandex.ru", || KnownProvider::Yandex, "yandex.ru"),
    // mxs.mail.ru, emx.mail.ru
    ("mail.ru", || KnownProvider::MailRu, "mail.ru"),
    // mx01.mail.icloud.com
    ("icloud.com", || KnownProvider::Icloud, "icloud.com"),
    // mx00.gmx.net, mx01.emig.gmx.net
    ("gmx.net", || KnownProvider::Gmx, "gmx.net"),
    ("gmx.com", || KnownProvider::Gmx, "gmx.com"),
];

/// Names the provider behind a domain's MX hosts (`(preference, host)`, any order, any case,
/// trailing dots allowed).
///
/// Hosts are looked at from the lowest preference up; the first one on a known provider's
/// domain names it (a backup MX at Google still says the mail is at Google when the primary is
/// an unknown filter). Otherwise the result is [`KnownProvider::Other`] with the registrable-ish
/// domain of the preferred host (see [`registrable_domain`]). None when there are no usable
/// hosts. The caller skips `provider_domain` when it is the address's own domain.
pub fn provider_from_mx(hosts: &[(u16, String)]) -> Option<MxProvider> {
    let mut hosts: Vec<(u16, String)> = hosts
        .iter()
        .map(|(p, h)| (*p, h.trim().trim_end_matches('.').to_ascii_lowercase()))
        .filter(|(_, h)| !h.is_empty())
        .collect();
    hosts.sort();
    for (_, host) in &hosts {
        for (suffix, provider, domain) in PROVIDERS {
            if host == suffix || host.strip_suffix(suffix).is_some_and(|rest| rest.ends_with('.')) {
                return Some(MxProvider { provider: provider(), provider_domain: (*domain).to_owned() });
            }
        }
    }
    let domain = hosts.iter().find_map(|(_, h)| registrable_domain(h))?;
    Some(MxProvider { provider: KnownProvider::Other(domain.clone()), provider_domain: domain })
}

/// The registrable-ish domain of a host: its last two labels, or three when the last two look
/// like a two-level public suffix of a country (a two-letter TLD under `co`, `com`, `net`, `org`,
/// `ac`, `gov`, `edu`, `ne`, `or`, `go`, `gob`, `mil`, `ltd`, `plc`: `co.uk`, `com.au`,
/// `ne.jp`, …). A heuristic, not the Public Suffix List: it is only a hint for the ISPDB lookup.
/// None for a single-label name or an IP address.
pub fn registrable_domain(host: &str) -> Option<String> {
    const SECOND_LEVELS: [&str; 14] =
        ["co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "go", "gob", "mil", "ltd", "plc"];
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    if host.parse::<IpAddr>().is_ok() {
        return None;
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return None;
    }
    let n = labels.len();
    let tld = labels[n - 1];
    let take = if n >= 3 && tld.len() == 2 && SECOND_LEVELS.contains(&labels[n - 2]) { 3 } else { 2 };
    Some(labels[n - take..].join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(service: SrvService, host: &str, priority: u16, weight: u16) -> SrvCandidate {
        SrvCandidate {
            service,
            protocol: service.protocol(),
            security: service.security(),
            host: host.into(),
            port: 1,
            priority,
            weight,
        }
    }

    fn provider(hosts: &[(u16, &str)]) -> Option<(KnownProvider, String)> {
        let hosts: Vec<(u16, String)> = hosts.iter().map(|(p, h)| (*p, h.to_string())).collect();
        provider_from_mx(&hosts).map(|p| (p.provider, p.provider_domain))
    }

    #[test]
    fn services_map_to_protocol_and_security() {
        assert_eq!(SrvService::Imaps.label(), "_imaps._tcp");
        assert_eq!(SrvService::Submission.label(), "_submission._tcp");
        assert_eq!((SrvService::Imaps.protocol(), SrvService::Imaps.security()), (Protocol::Imap, Security::Tls));
        assert_eq!((SrvService::Imap.protocol(), SrvService::Imap.security()), (Protocol::Imap, Security::Starttls));
        assert_eq!((SrvService::Pop3s.protocol(), SrvService::Pop3s.security()), (Protocol::Pop3, Security::Tls));
        assert_eq!((SrvService::Pop3.protocol(), SrvService::Pop3.security()), (Protocol::Pop3, Security::Starttls));
        assert_eq!(
            (SrvService::Submissions.protocol(), SrvService::Submissions.security()),
            (Protocol::Smtp, Security::Tls)
        );
        assert_eq!(
            (SrvService::Submission.protocol(), SrvService::Submission.security()),
            (Protocol::Smtp, Security::Starttls)
        );
    }

    #[test]
    fn ordering_priority_then_tls_then_weight() {
        use SrvService::*;
        let mut c = vec![
            candidate(Submission, "smtp-a", 0, 1),
            candidate(Imap, "starttls-p0", 0, 100),
            candidate(Imaps, "tls-p10", 10, 100),
            candidate(Imaps, "tls-p0-light", 0, 0),
            candidate(Imaps, "tls-p0-heavy", 0, 60),
            candidate(Pop3s, "pop-tls-p0", 0, 100),
            candidate(Submissions, "smtp-tls", 0, 1),
            candidate(Imaps, "tls-p0-b", 0, 20),
            candidate(Imaps, "tls-p0-a", 0, 20),
        ];
        order_candidates(&mut c);
        let order: Vec<&str> = c.iter().map(|c| c.host.as_str()).collect();
        assert_eq!(
            order,
            [
                "tls-p0-heavy",
                "tls-p0-a",
                "tls-p0-b",
                "tls-p0-light",
                "pop-tls-p0",
                "starttls-p0",
                "tls-p10",
                "smtp-tls",
                "smtp-a",
            ]
        );
    }

    #[test]
    fn lower_priority_starttls_beats_higher_priority_tls() {
        let mut c = vec![candidate(SrvService::Imaps, "tls", 20, 1), candidate(SrvService::Imap, "plain", 10, 1)];
        order_candidates(&mut c);
        assert_eq!(c[0].host, "plain", "priority comes first (RFC 8314 §5.1 only breaks ties)");
    }

    #[test]
    fn providers_from_mx() {
        assert_eq!(
            provider(&[(10, "ALT1.ASPMX.L.GOOGLE.COM.")]),
            Some((KnownProvider::Google, "googlemail.com".into()))
        );
        assert_eq!(provider(&[(1, "smtp.google.com")]), Some((KnownProvider::Google, "googlemail.com".into())));
        assert_eq!(provider(&[(5, "aspmx2.googlemail.com")]), Some((KnownProvider::Google, "googlemail.com".into())));
        assert_eq!(
            provider(&[(0, "contoso-com.mail.protection.outlook.com")]),
            Some((KnownProvider::Microsoft, "outlook.com".into()))
        );
        assert_eq!(provider(&[(1, "mta5.am0.yahoodns.net")]), Some((KnownProvider::Yahoo, "yahoo.com".into())));
        assert_eq!(provider(&[(10, "mx.zoho.eu")]), Some((KnownProvider::Zoho, "zoho.eu".into())));
        assert_eq!(provider(&[(10, "mx.zoho.com")]), Some((KnownProvider::Zoho, "zoho.com".into())));
        assert_eq!(
            provider(&[(10, "in1-smtp.messagingengine.com")]),
            Some((KnownProvider::Fastmail, "fastmail.com".into()))
        );
        assert_eq!(provider(&[(10, "mx.yandex.net")]), Some((KnownProvider::Yandex, "yandex.ru".into())));
        assert_eq!(provider(&[(10, "mx.yandex.ru")]), Some((KnownProvider::Yandex, "yandex.ru".into())));
        assert_eq!(provider(&[(10, "emx.mail.ru")]), Some((KnownProvider::MailRu, "mail.ru".into())));
        assert_eq!(provider(&[(10, "mx01.mail.icloud.com")]), Some((KnownProvider::Icloud, "icloud.com".into())));
        assert_eq!(provider(&[(10, "mx01.emig.gmx.net")]), Some((KnownProvider::Gmx, "gmx.net".into())));
    }

    #[test]
    fn lookalike_hosts_are_not_providers() {
        // A suffix matches on a label boundary only.
        assert_eq!(
            provider(&[(10, "mx.notgoogle.com")]),
            Some((KnownProvider::Other("notgoogle.com".into()), "notgoogle.com".into()))
        );
        assert_eq!(
            provider(&[(10, "google.com.evil.test")]),
            Some((KnownProvider::Other("evil.test".into()), "evil.test".into()))
        );
        assert_eq!(
            provider(&[(10, "mx.gmail.ru")]),
            Some((KnownProvider::Other("gmail.ru".into()), "gmail.ru".into()))
        );
    }

    #[test]
    fn known_provider_anywhere_wins_over_unknown_primary() {
        let got = provider(&[(20, "alt1.aspmx.l.google.com"), (10, "filter.example.net")]);
        assert_eq!(got, Some((KnownProvider::Google, "googlemail.com".into())));
    }

    #[test]
    fn unknown_provider_uses_preferred_host() {
        let got = provider(&[(20, "backup.other.org"), (10, "mx1.mail.Example.co.uk.")]);
        assert_eq!(got, Some((KnownProvider::Other("example.co.uk".into()), "example.co.uk".into())));
        assert_eq!(provider(&[]), None);
        assert_eq!(provider(&[(10, "localhost")]), None);
    }

    #[test]
    fn registrable_domains() {
        assert_eq!(registrable_domain("mx1.example.com").as_deref(), Some("example.com"));
        assert_eq!(registrable_domain("example.com.").as_deref(), Some("example.com"));
        assert_eq!(registrable_domain("mx.mail.example.co.uk").as_deref(), Some("example.co.uk"));
        assert_eq!(registrable_domain("mx.isp.ne.jp").as_deref(), Some("isp.ne.jp"));
        assert_eq!(registrable_domain("mail.example.com.au").as_deref(), Some("example.com.au"));
        // `.com` itself is a gTLD, not a country: "co.com" stays two labels.
        assert_eq!(registrable_domain("mx.co.com").as_deref(), Some("co.com"));
        assert_eq!(registrable_domain("mx.example.de").as_deref(), Some("example.de"));
        assert_eq!(registrable_domain("co.uk").as_deref(), Some("co.uk"));
        assert_eq!(registrable_domain("localhost"), None);
        assert_eq!(registrable_domain("192.0.2.1"), None);
        assert_eq!(registrable_domain("a..b"), None);
    }

    #[test]
    fn domain_normalization() {
        assert_eq!(normalize_domain(" Example.TEST. ").unwrap(), "example.test");
        assert_eq!(normalize_domain("bücher.example").unwrap(), "xn--bcher-kva.example");
        assert!(normalize_domain("").is_err());
        assert!(normalize_domain(".").is_err());
    }

    #[test]
    fn hickory_errors_are_classified() {
        use hickory_resolver::net::NoRecords;
        use hickory_resolver::proto::op::Query;
        use hickory_resolver::proto::rr::RecordType;
        let query = Query::query(Name::from_ascii("x.test.").unwrap(), RecordType::SRV);
        let nx = NetError::Dns(WireError::NoRecordsFound(NoRecords::new(query.clone(), ResponseCode::NXDomain)));
        assert_eq!(classify(&nx), Failure::NotFound("no such name (NXDOMAIN)".into()));
        let nodata = NetError::Dns(WireError::NoRecordsFound(NoRecords::new(query, ResponseCode::NoError)));
        assert_eq!(classify(&nodata).status(), StepStatus::NotFound);
        let servfail = NetError::Dns(WireError::ResponseCode(ResponseCode::ServFail));
        assert_eq!(classify(&servfail), Failure::Failed("the server answered SERVFAIL (server failure)".into()));
        assert_eq!(classify(&NetError::Timeout), Failure::TimedOut);
    }

    #[test]
    fn system_resolver_builds_or_says_why() {
        // The machine's /etc/resolv.conf may be anything; either way no panic, and an error says
        // what to do.
        match DnsResolver::new(None) {
            Ok(r) => assert_eq!(r.server(), None),
            Err(e) => assert!(e.to_string().contains("DNS server"), "{e}"),
        }
    }
}
