//! The DNS resolver: host names to addresses for every connection, and the raw queries the DNS
//! sources of discovery ask (SRV, MX; `discover::sources::dns` makes them into candidates).
//!
//! Which DNS server is asked comes from [`EngineConfig::dns_server`]: None is the system resolver
//! (/etc/resolv.conf), Some(addr) is exactly that server (tests run their own dnsmasq).
//! All names are queried fully qualified, so no search domain is ever appended.

use crate::config::EngineConfig;
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError as WireError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::Name;
use hickory_resolver::TokioResolver;
use std::fmt;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long one query waits for the configured server before it is sent again (custom server
/// only; the system resolver keeps the timeout and attempts of /etc/resolv.conf). The caller's
/// deadline bounds the whole lookup either way.
const CUSTOM_SERVER_TIMEOUT: Duration = Duration::from_secs(1);
const CUSTOM_SERVER_ATTEMPTS: usize = 2;

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

/// The DNS resolver of the engine (connections and discovery). Cheap to clone (one shared resolver and cache).
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

    /// The hickory resolver itself, for the queries of discovery's DNS sources (through [`ask`](Self::ask)).
    pub(crate) fn hickory(&self) -> &TokioResolver {
        &self.inner
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
    pub(crate) async fn ask<T, F, Fut>(&self, name: &str, deadline: Duration, lookup: F) -> Result<T, Failure>
    where
        F: FnOnce(Name) -> Fut,
        Fut: Future<Output = Result<T, NetError>>,
    {
        let fqdn = Name::from_ascii(format!("{name}."))
            .map_err(|e| Failure::Failed(crate::tr!("eng-dns-invalid-name", problem = e.to_string())))?;
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
pub(crate) enum Failure {
    NotFound(String),
    TimedOut,
    Failed(String),
}

fn classify(e: &NetError) -> Failure {
    match e {
        NetError::Dns(WireError::NoRecordsFound(no)) if no.response_code == ResponseCode::NXDomain => {
            Failure::NotFound(crate::tr!("eng-dns-no-such-name"))
        }
        NetError::Dns(WireError::NoRecordsFound(_)) => Failure::NotFound(crate::tr!("eng-dns-no-records")),
        NetError::Dns(WireError::ResponseCode(code)) => Failure::Failed(crate::tr!(
            "eng-dns-server-answered",
            code = rcode_name(*code),
            meaning = code.to_str().to_lowercase()
        )),
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
pub(crate) fn normalize_domain(domain: &str) -> Result<String, DnsError> {
    let trimmed = domain.trim().trim_end_matches('.');
    let invalid = |message: String| DnsError::InvalidName { name: domain.to_owned(), message };
    if trimmed.is_empty() {
        return Err(invalid("empty".into()));
    }
    let name = Name::from_utf8(trimmed).map_err(|e| invalid(e.to_string()))?;
    Ok(host_name(&name))
}

/// A name as we show and compare it: lowercase ASCII, no trailing dot.
pub(crate) fn host_name(name: &Name) -> String {
    name.to_ascii().trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(matches!(classify(&nodata), Failure::NotFound(_)));
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
