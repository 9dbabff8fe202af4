//! DNS sources of discovery: SRV records for mail services (RFC 6186, RFC 8314) and MX → provider.
//!
//! - [`srv_records`] asks the six mail services at once (`_imaps._tcp`, `_imap._tcp`,
//!   `_pop3s._tcp`, `_pop3._tcp`, `_submissions._tcp`, `_submission._tcp`) and returns candidates
//!   in the order a client should try them (see [`order_candidates`]).
//! - [`mx_hosts`] reads the domain's mail exchangers; [`provider_from_mx`] names the
//!   provider behind them (Google, Microsoft, …) and the domain to feed back into the ISPDB and
//!   autoconfig lookups.
//!
//! Every lookup runs under the deadline its caller gives, and records what it asked, how long it
//! took and what came of it as [`TraceStep`]s. A name that does not exist (NXDOMAIN) or has no
//! records of the type (NODATA) is an ordinary empty answer; a timeout or a server failure
//! (SERVFAIL, REFUSED, network error) is a recorded failure. Nothing here returns early on a
//! failure of one query: the others still count. The resolver itself is the network's
//! ([`crate::net::dns`]).
//!
//! One file, over the usual size: the DNS sources (SRV and MX lookups, their ordering and the
//! MX → provider rules) with their candidates; a fifth of the file is its tests.

use super::documents::{from_http, FoundBy};
use super::http::AddressInRequest;
use super::provider::provider_candidates;
use super::{failure_status, Context, Found};
use crate::account::{Endpoint, Protocol, Security};
use crate::discover::proposal::{Candidate, DetectedProvider, SignIn, SourceId, SourceStatus};
use crate::discover::rank::within_domain;
use crate::discover::trace::{StepStatus, TraceStep};
use crate::host::HostName;
use crate::net::dns::{host_name, normalize_domain, DnsResolver, Failure};
use crate::providers;
use crate::tr;
use hickory_resolver::proto::rr::RData;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// `TraceStep::source` of the SRV lookups.
pub const SOURCE_SRV: &str = "dns-srv";
/// `TraceStep::source` of the MX lookup.
pub const SOURCE_MX: &str = "dns-mx";

/// How a failed query shows in the trace.
fn step_status_of(failure: &Failure) -> StepStatus {
    match failure {
        Failure::NotFound(_) => StepStatus::NotFound,
        Failure::TimedOut => StepStatus::TimedOut,
        Failure::Failed(_) => StepStatus::Failed,
    }
}

fn outcome_of(failure: &Failure, deadline: Duration) -> String {
    match failure {
        Failure::NotFound(m) | Failure::Failed(m) => m.clone(),
        Failure::TimedOut => tr!("eng-step-no-answer-within", ms = deadline.as_millis().to_string()),
    }
}

/// The SRV records of the six mail services of `domain`, asked concurrently, all within
/// `deadline`. Never fails as a whole: each query's failure is in the trace.
pub async fn srv_records(resolver: &DnsResolver, domain: &str, deadline: Duration) -> SrvResult {
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
            let answer = resolver.ask(&name, deadline, |n| resolver.hickory().srv_lookup(n)).await;
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
                result.trace.push(step(step_status_of(&failure), outcome_of(&failure, deadline)));
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
            // A target that is no host name (escaped bytes, an empty label) could not be reached.
            let Ok(host) = HostName::parse(&host_name(&srv.target)).map(HostName::into_string) else { continue };
            if srv.port == 0 {
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
                .map(|c| {
                    let server = format!("{}:{}", c.host, c.port);
                    tr!("eng-srv-record", server = server, priority = c.priority, weight = c.weight)
                })
                .collect::<Vec<_>>()
                .join(", ");
            let listed = if dot_targets > 0 { tr!("eng-srv-records-dot-ignored", records = listed) } else { listed };
            step(StepStatus::Found, listed)
        } else if dot_targets > 0 {
            result.not_offered.push(service);
            step(StepStatus::NotOffered, tr!("eng-srv-not-offered"))
        } else {
            step(StepStatus::NotFound, tr!("eng-srv-none"))
        };
        result.candidates.extend(found);
        result.trace.push(step);
    }
    order_candidates(&mut result.candidates);
    result
}

/// The mail exchangers of `domain`, lowest preference first (ties by host name). A null MX
/// (RFC 7505: one record "0 ." — the domain takes no mail) gives no hosts and `null_mx`.
pub async fn mx_hosts(resolver: &DnsResolver, domain: &str, deadline: Duration) -> MxResult {
    let started = Instant::now();
    let domain = match normalize_domain(domain) {
        Ok(d) => d,
        Err(e) => {
            let step =
                TraceStep::new(SOURCE_MX, format!("MX {domain}"), started.elapsed(), StepStatus::Failed, e.to_string());
            return MxResult { hosts: Vec::new(), null_mx: false, trace: vec![step] };
        }
    };
    let query = format!("MX {domain}");
    let answer = resolver.ask(&domain, deadline, |n| resolver.hickory().mx_lookup(n)).await;
    let elapsed = started.elapsed();
    let step = |status, outcome| TraceStep::new(SOURCE_MX, query.clone(), elapsed, status, outcome);
    let lookup = match answer {
        Ok(lookup) => lookup,
        Err(failure) => {
            let step = step(step_status_of(&failure), outcome_of(&failure, deadline));
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
        let Ok(host) = HostName::parse(&host_name(&mx.exchange)).map(HostName::into_string) else { continue };
        if !hosts.iter().any(|(p, h)| *p == mx.preference && *h == host) {
            hosts.push((mx.preference, host));
        }
    }
    hosts.sort();
    let step = if !hosts.is_empty() {
        let listed = hosts.iter().map(|(p, h)| format!("{p} {h}")).collect::<Vec<_>>().join(", ");
        step(StepStatus::Found, listed)
    } else if null_mx {
        step(StepStatus::NotOffered, tr!("eng-mx-null"))
    } else {
        step(StepStatus::NotFound, tr!("eng-mx-none"))
    };
    let null_mx = null_mx && hosts.is_empty();
    MxResult { hosts, null_mx, trace: vec![step] }
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
pub(crate) fn order_candidates(candidates: &mut [SrvCandidate]) {
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
pub(crate) fn registrable_domain(host: &str) -> Option<String> {
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

// ---- the sources: SRV and MX as candidates -------------------------------------------------

pub(crate) async fn srv(ctx: &Context<'_>) -> Found {
    let r = srv_records(ctx.dns, ctx.domain, ctx.limits.dns).await;
    let mut f = Found::new(SourceId::Srv);
    for c in &r.candidates {
        let outside = !within_domain(&c.host, ctx.domain);
        let candidate = Candidate {
            protocol: c.protocol,
            endpoint: c.endpoint(),
            username: None,
            auth: Vec::new(),
            source: SourceId::Srv,
            found_by: tr!("eng-found-srv", domain = ctx.domain),
            needs_confirmation: outside
                .then(|| tr!("eng-confirm-srv-outside", domain = ctx.domain, host = c.host.as_str())),
            verification: None,
            sign_in: SignIn::Unknown,
        };
        if c.protocol == Protocol::Smtp {
            f.outgoing.push(candidate);
        } else {
            f.incoming.push(candidate);
        }
    }
    f.status =
        if r.trace.iter().all(TraceStep::is_failure) { failure_status(&r.trace) } else { SourceStatus::NotFound };
    f.summary = if r.not_offered.is_empty() { tr!("eng-srv-summary-none") } else { tr!("eng-srv-summary-not-offered") };
    f.trace = r.trace;
    f.settle()
}

/// The domain's MX lookup, started once when discovery starts and shared: the MX source builds
/// its candidates from it, and discovery names the provider from it even when another source
/// (SRV records, say) named the servers and the MX source was stopped.
pub(crate) type MxLookup = futures::future::Shared<futures::future::BoxFuture<'static, MxResult>>;

/// Starts the MX lookup of `domain` on its own task, so it goes on whichever source it serves.
pub(crate) fn start_mx_lookup(resolver: &DnsResolver, domain: &str, deadline: Duration) -> MxLookup {
    use futures::FutureExt;
    let (resolver, domain) = (resolver.clone(), domain.to_owned());
    let query = format!("MX {domain}");
    let task = tokio::spawn(async move { mx_hosts(&resolver, &domain, deadline).await });
    async move {
        task.await.unwrap_or_else(|e| MxResult {
            hosts: Vec::new(),
            null_mx: false,
            trace: vec![TraceStep::new(SOURCE_MX, query, Duration::ZERO, StepStatus::Failed, e.to_string())],
        })
    }
    .boxed()
    .shared()
}

/// The provider the domain's MX hosts name (Google Workspace, Microsoft 365…), if any.
pub(crate) fn mx_provider(domain: &str, r: &MxResult) -> Option<(DetectedProvider, crate::account::MailboxKind)> {
    let p = providers::by_mx(&r.hosts)?;
    Some((
        DetectedProvider {
            id: p.id.into(),
            name: p.name.into(),
            detected_by: tr!("eng-detected-mx", domain = domain, provider = p.name),
        },
        p.kind,
    ))
}

pub(crate) async fn mx(ctx: &Context<'_>) -> Found {
    let r = ctx.mx.clone().await;
    let mut f = Found::new(SourceId::Mx);
    f.trace = r.trace.clone();
    if r.hosts.is_empty() {
        f.status =
            if r.trace.iter().any(TraceStep::is_failure) { failure_status(&r.trace) } else { SourceStatus::NotFound };
        f.summary = if r.null_mx { tr!("eng-mx-summary-null") } else { tr!("eng-mx-none") };
        return f;
    }
    let first_host = r.hosts[0].1.clone();
    // A well-known provider: its settings are our own data, and the MX answer is only the link.
    if let Some(p) = providers::by_mx(&r.hosts) {
        let why = tr!("eng-confirm-mx-provider", domain = ctx.domain, provider = p.name, host = first_host.as_str());
        let mut found = provider_candidates(
            SourceId::Mx,
            p,
            ctx.email,
            tr!("eng-found-mx-provider", domain = ctx.domain, provider = p.name),
            Some(why),
        );
        found.provider = mx_provider(ctx.domain, &r);
        found.trace = std::mem::take(&mut f.trace);
        if provider_from_mx(&r.hosts).is_some_and(|m| m.provider == KnownProvider::Microsoft) {
            // Autodiscover v2 sends the address to Microsoft: asked only when the mail is there.
            let v2 = ctx.http.autodiscover_v2(ctx.email, ctx.limits.http).await;
            let found_by =
                FoundBy { servers: tr!("eng-found-microsoft"), provider: tr!("eng-found-microsoft.provider") };
            let from_v2 = from_http(ctx, SourceId::Mx, v2, &found_by, None);
            found.trace.extend(from_v2.trace);
            // Microsoft's own answer for this address goes first.
            let mut incoming = from_v2.incoming;
            incoming.extend(found.incoming);
            found.incoming = incoming;
            let mut outgoing = from_v2.outgoing;
            outgoing.extend(found.outgoing);
            found.outgoing = outgoing;
        }
        return found.settle();
    }
    // Another host: its domain may be in the ISPDB or serve autoconfig (many hosters do).
    let Some(m) = provider_from_mx(&r.hosts) else {
        f.summary = tr!("eng-mx-no-provider", host = first_host.as_str());
        return f;
    };
    if within_domain(&m.provider_domain, ctx.domain) || within_domain(ctx.domain, &m.provider_domain) {
        f.summary = tr!("eng-mx-own", host = first_host.as_str());
        return f;
    }
    let hoster = m.provider_domain.clone();
    // The hoster is whoever the MX answer named, and DNS answers can be forged: the hoster's
    // autoconfig gets the domain only (the ISPDB never gets the address).
    let (a, b) = futures::future::join(
        ctx.http.ispdb(&hoster, ctx.email, ctx.limits.http),
        ctx.http.domain_autoconfig(&hoster, ctx.email, AddressInRequest::Withheld, ctx.limits.http),
    )
    .await;
    let why = tr!("eng-confirm-mx-hoster", domain = ctx.domain, hoster = hoster.as_str(), host = first_host.as_str());
    let found_by = FoundBy {
        servers: tr!("eng-found-mx-hoster", domain = ctx.domain, hoster = hoster.as_str()),
        provider: tr!("eng-found-mx-hoster.provider", domain = ctx.domain, hoster = hoster.as_str()),
    };
    for r in [a, b] {
        let one = from_http(ctx, SourceId::Mx, r, &found_by, Some(why.clone()));
        f.incoming.extend(one.incoming);
        f.outgoing.extend(one.outgoing);
        f.hints.extend(one.hints);
        f.trace.extend(one.trace);
    }
    if f.incoming.is_empty() {
        f.summary = tr!("eng-mx-nothing-known", host = first_host.as_str(), hoster = hoster.as_str());
    }
    f.settle()
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
}
