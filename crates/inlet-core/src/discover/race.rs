//! The race: every source of discovery starts at once, each under its own deadline. The answer is
//! the best-ranked source that has candidates once every better-ranked source has finished, or,
//! when a better-ranked source is still silent, `grace` after the first answer arrived: a source
//! that never answers cannot hold the answer back. The rest are cancelled. The top candidates are
//! then verified without credentials, all at once.
//!
//! [`Walk::Sequential`] asks the same sources one after another (stopping at the first with an
//! incoming server) and verifies one candidate at a time: the baseline `./dev bench` compares
//! against, and what older clients do.

use std::time::{Duration, Instant};

use futures::future::{BoxFuture, Shared};
use futures::stream::{FuturesUnordered, StreamExt};
use futures::FutureExt;

use super::autoconfig::{AuthKind, AutoconfigDocument, Instruction, ServerSetting};
use super::dns::{provider_from_mx, DnsResolver, KnownProvider, StepStatus, TraceStep};
use super::guess;
use super::http::{AddressInRequest, HttpOutcome, HttpSources, PoxCredentials, SourceResult, AUTODISCOVER_POX_PATH};
use super::probe::{self, Verification};
use super::proposal::*;
use super::providers::{self, Provider};
use crate::account::{validate_email, Endpoint, MailboxKind, Protocol};
use crate::config::DiscoveryLimits;
use crate::diagnose::Diagnosis;
use crate::net::Network;
use crate::secrets::Secret;

/// What the caller asks for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct DiscoverRequest {
    pub email: String,
    /// Verify the top candidates without credentials (the CLI's `--no-probe` turns it off).
    #[serde(default = "yes")]
    pub probe: bool,
    /// Redirects the user confirmed (the `to` of a [`RedirectOffer`]).
    #[serde(default)]
    pub follow: Vec<String>,
    /// The password for the domain's Autodiscover, given only after it asked
    /// ([`Discovery::autodiscover_wants_password`]) and the user agreed; sent over HTTPS with
    /// HTTP Basic and the address as the user name, nowhere else.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional, type = "string"))]
    pub autodiscover_password: Option<Secret>,
}

fn yes() -> bool {
    true
}

impl DiscoverRequest {
    pub fn new(email: &str) -> DiscoverRequest {
        DiscoverRequest { email: email.trim().to_owned(), probe: true, follow: Vec::new(), autodiscover_password: None }
    }
}

/// How the sources are asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// All at once, under deadlines (what the app does).
    Race,
    /// One after another (the benchmark's baseline).
    Sequential,
}

/// Everything a source needs.
pub struct Context<'a> {
    pub email: &'a str,
    pub domain: &'a str,
    pub network: &'a Network,
    pub http: &'a HttpSources,
    pub dns: &'a DnsResolver,
    pub limits: &'a DiscoveryLimits,
    pub walk: Walk,
}

/// One source's outcome.
#[derive(Debug, Clone)]
struct Found {
    source: SourceId,
    status: SourceStatus,
    summary: String,
    elapsed: Duration,
    incoming: Vec<Candidate>,
    outgoing: Vec<Candidate>,
    hints: Vec<Hint>,
    redirects: Vec<RedirectOffer>,
    provider: Option<(DetectedProvider, MailboxKind)>,
    trace: Vec<TraceStep>,
    /// Autodiscover answered 401: it would tell the settings for the password.
    wants_password: bool,
}

impl Found {
    fn new(source: SourceId) -> Found {
        Found {
            source,
            status: SourceStatus::NotFound,
            summary: String::new(),
            elapsed: Duration::ZERO,
            incoming: Vec::new(),
            outgoing: Vec::new(),
            hints: Vec::new(),
            redirects: Vec::new(),
            provider: None,
            trace: Vec::new(),
            wants_password: false,
        }
    }

    fn ended(source: SourceId, status: SourceStatus, summary: String) -> Found {
        Found { status, summary, ..Found::new(source) }
    }

    /// Sets status and summary from what was found, unless already decided.
    fn settle(mut self) -> Found {
        if !self.incoming.is_empty() || !self.outgoing.is_empty() {
            self.status = SourceStatus::Found;
            let names: Vec<String> = self
                .incoming
                .iter()
                .chain(&self.outgoing)
                .map(|c| format!("{} {}", c.protocol.label(), c.endpoint.display()))
                .collect();
            self.summary = names.join(", ");
        }
        self
    }
}

/// Runs discovery for `request.email`.
pub async fn discover(
    request: &DiscoverRequest,
    network: &Network,
    http: &HttpSources,
    dns: &DnsResolver,
    limits: &DiscoveryLimits,
    walk: Walk,
    sink: &dyn DiscoverySink,
) -> Result<Discovery, Diagnosis> {
    let started = Instant::now();
    let email = request.email.trim();
    if let Err(message) = validate_email(email) {
        return Err(Diagnosis::invalid_input("email", message));
    }
    let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or_default().trim_end_matches('.').to_ascii_lowercase();
    let ctx = Context { email, domain: &domain, network, http, dns, limits, walk };
    let report =
        |event: DiscoveryEvent| sink.emit(DiscoveryEvent { elapsed_ms: started.elapsed().as_millis() as u64, ..event });
    let emit = |source: SourceId, status: Option<SourceStatus>, detail: Option<String>| {
        report(DiscoveryEvent::source(source, status, detail))
    };

    let sources = sources(&ctx, request);
    for (id, _, asks, _) in &sources {
        if walk == Walk::Race {
            emit(*id, None, Some(asks.clone()));
        }
    }
    let mut checks = Checks::new(network, limits.probe);
    let mut results: Vec<Found> = match walk {
        Walk::Race => race(sources, limits.grace, request.probe.then_some(&mut checks), &emit).await,
        Walk::Sequential => sequential(sources, &emit).await,
    };
    results.sort_by_key(|f| f.source);

    let mut incoming: Vec<Candidate> = Vec::new();
    let mut outgoing: Vec<Candidate> = Vec::new();
    let mut hints: Vec<Hint> = Vec::new();
    let mut redirects: Vec<RedirectOffer> = Vec::new();
    let mut provider: Option<(DetectedProvider, MailboxKind)> = None;
    let mut trace: Vec<TraceStep> = Vec::new();
    let mut reports: Vec<SourceReport> = Vec::new();
    let mut autodiscover_wants_password = false;
    for f in results {
        autodiscover_wants_password |= f.wants_password;
        incoming.extend(f.incoming);
        outgoing.extend(f.outgoing);
        for h in f.hints {
            if !hints.iter().any(|x| x.text == h.text && x.url == h.url) {
                hints.push(h);
            }
        }
        redirects.extend(f.redirects.into_iter().filter(|r| !request.follow.contains(&r.to)));
        if provider.is_none() {
            provider = f.provider;
        }
        trace.extend(f.trace);
        reports.push(SourceReport {
            source: f.source,
            label: f.source.label().to_owned(),
            status: f.status,
            elapsed_ms: f.elapsed.as_millis() as u64,
            summary: f.summary,
        });
    }
    let mut incoming = rank(incoming);
    let mut outgoing = rank(outgoing);

    if request.probe && (!incoming.is_empty() || !outgoing.is_empty()) {
        // Guesses arrive checked (and lend their check to the same server named by a source):
        // the report counts those too, so it always says whether the proposed servers answered.
        let checked_before: Vec<(String, bool, u64)> = [&incoming[..], &outgoing[..]]
            .into_iter()
            .filter_map(|list| list.first())
            .filter_map(|c| c.verification.as_ref().map(|v| (c.endpoint.display(), v.verified, v.elapsed_ms)))
            .collect();
        let checked = verify(&mut checks, &mut incoming, &mut outgoing, walk, &report).await;
        trace.extend(checked.iter().cloned());
        if let Some(report) = verification_report(&checked, &checked_before) {
            reports.push(report);
        }
        incoming = rank(incoming);
        outgoing = rank(outgoing);
    }

    let diagnosis = incoming.is_empty().then(|| {
        let tried: Vec<String> = reports.iter().map(|r| format!("{}: {}", r.label, r.summary)).collect();
        let mut d = Diagnosis::settings_not_found(&domain, tried);
        if !redirects.is_empty() {
            d.what_happened
                .push_str(" One of them points to another domain instead, which Inlet follows only if you say so.");
            d.what_to_do =
                "If you know that the other domain handles your mail, follow the redirect. Otherwise enter the \
                            server settings by hand: the form is filled with the most likely names."
                    .into();
        }
        d
    });
    if incoming.is_empty() {
        incoming = best_guess(&guess::incoming_candidates(&domain)[..1]);
    }
    if outgoing.is_empty() {
        outgoing = best_guess(&guess::outgoing_candidates(&domain)[..1]);
    }
    for c in incoming.iter_mut().chain(outgoing.iter_mut()) {
        c.sign_in = c.decide_sign_in();
    }

    let kind = match &provider {
        Some((_, kind)) => *kind,
        None => kind_from_servers(&incoming),
    };
    Ok(Discovery {
        email: email.to_owned(),
        domain,
        kind,
        provider: provider.map(|(p, _)| p),
        incoming,
        outgoing,
        hints,
        redirects,
        sources: reports,
        trace,
        diagnosis,
        autodiscover_wants_password,
        elapsed_ms: started.elapsed().as_millis() as u64,
    })
}

/// The "Checking the servers" line: the checks made now, and the proposed servers that were
/// checked while guessing (`host:port`, answered, milliseconds). None when nothing was checked.
fn verification_report(checked: &[TraceStep], checked_before: &[(String, bool, u64)]) -> Option<SourceReport> {
    if checked.is_empty() && checked_before.is_empty() {
        return None;
    }
    let ok = checked.iter().filter(|s| s.status == StepStatus::Found).count();
    let ok_before = checked_before.iter().filter(|(_, verified, _)| *verified).count();
    let mut parts = Vec::new();
    if !checked.is_empty() {
        parts.push(format!("{ok} of {} server(s) answered", checked.len()));
    }
    if !checked_before.is_empty() {
        let names: Vec<&str> = checked_before.iter().map(|(name, _, _)| name.as_str()).collect();
        parts.push(format!("{} checked while trying usual names", names.join(", ")));
    }
    Some(SourceReport {
        source: SourceId::Verification,
        label: SourceId::Verification.label().to_owned(),
        status: if ok + ok_before > 0 { SourceStatus::Found } else { SourceStatus::Failed },
        // The longest check: most start while the sources are still answering, so the time
        // since the race ended would understate them.
        elapsed_ms: checked.iter().map(|s| s.elapsed_ms).chain(checked_before.iter().map(|c| c.2)).max().unwrap_or(0),
        summary: parts.join("; "),
    })
}

type Source<'a> = (SourceId, Duration, String, BoxFuture<'a, Found>);

/// One check of a candidate, started once and awaited by whoever needs it.
type Check<'n> = Shared<BoxFuture<'n, Verification>>;

/// Checks of candidates without credentials, each started once and shared: in the race a
/// source's best candidates are checked as soon as it answers, while better-ranked sources are
/// still awaited, so the final verification mostly finds its answers already there.
struct Checks<'n> {
    network: &'n Network,
    limit: Duration,
    started: Vec<((Protocol, Endpoint), Check<'n>)>,
}

impl<'n> Checks<'n> {
    fn new(network: &'n Network, limit: Duration) -> Checks<'n> {
        Checks { network, limit, started: Vec::new() }
    }

    fn check(&mut self, protocol: Protocol, endpoint: &Endpoint) -> Check<'n> {
        let key = (protocol, endpoint.clone());
        if let Some((_, check)) = self.started.iter().find(|(k, _)| *k == key) {
            return check.clone();
        }
        let (network, limit, endpoint) = (self.network, self.limit, endpoint.clone());
        let check = async move { probe::verify(protocol, &endpoint, network, limit).await }.boxed().shared();
        self.started.push((key, check.clone()));
        check
    }

    /// The checks worth starting early for one source's answer: its first candidates per side.
    fn start_for(&mut self, found: &Found) -> Vec<Check<'n>> {
        let mut out = Vec::new();
        for (list, n) in [(&found.incoming, VERIFY_INCOMING), (&found.outgoing, VERIFY_OUTGOING)] {
            for c in list.iter().filter(|c| c.verification.is_none()).take(n) {
                out.push(self.check(c.protocol, &c.endpoint));
            }
        }
        out
    }
}

/// How many candidates per side are checked before proposing.
const VERIFY_INCOMING: usize = 3;
const VERIFY_OUTGOING: usize = 2;

/// Every source, with its deadline, what it asks (for the progress list) and its work.
fn sources<'a>(ctx: &'a Context<'a>, request: &'a DiscoverRequest) -> Vec<Source<'a>> {
    let l = ctx.limits;
    let d = ctx.domain;
    let mut out: Vec<Source<'a>> = vec![
        (
            SourceId::Provider,
            Duration::from_secs(1),
            format!("{d} in Inlet's list"),
            async move { from_provider(ctx) }.boxed(),
        ),
        (SourceId::Autoconfig, l.http, format!("autoconfig.{d}, {d}/.well-known"), autoconfig(ctx).boxed()),
        (SourceId::Ispdb, l.http, format!("{d} in the ISPDB"), ispdb(ctx).boxed()),
        (
            SourceId::AutodiscoverPox,
            l.http,
            format!("autodiscover.{d}, {d}"),
            autodiscover_pox(ctx, request.autodiscover_password.as_ref()).boxed(),
        ),
        (SourceId::Srv, l.dns, format!("SRV records of {d}"), srv(ctx).boxed()),
        (SourceId::Mx, l.dns + l.http, format!("MX records of {d}"), mx(ctx).boxed()),
        (SourceId::AutoconfigHttp, l.http, format!("http://autoconfig.{d}"), autoconfig_http(ctx).boxed()),
    ];
    if request.probe {
        out.push((SourceId::Guess, l.guess, format!("imap.{d}, mail.{d}, smtp.{d}…"), guesses(ctx).boxed()));
    } else {
        // Guessing is connecting; without probes it is left out.
        let skipped = Found::ended(
            SourceId::Guess,
            SourceStatus::Skipped,
            "not asked: no connections to mail servers (no probe)".into(),
        );
        out.push((SourceId::Guess, l.guess, "not asked".into(), async move { skipped }.boxed()));
    }
    if !request.follow.is_empty() {
        out.push((SourceId::Redirect, l.http, request.follow.join(", "), redirects(ctx, &request.follow).boxed()));
    }
    out
}

/// Every source at once; see the module docs for when the answer is decided.
async fn race<'a, 'n>(
    sources: Vec<Source<'a>>,
    grace: Duration,
    mut checks: Option<&mut Checks<'n>>,
    emit: &(dyn Fn(SourceId, Option<SourceStatus>, Option<String>) + Sync),
) -> Vec<Found> {
    let started = Instant::now();
    let ids: Vec<SourceId> = sources.iter().map(|s| s.0).collect();
    let mut done: Vec<Option<Found>> = vec![None; sources.len()];
    let mut running: FuturesUnordered<_> = sources
        .into_iter()
        .enumerate()
        .map(|(i, (id, deadline, _, work))| async move {
            let t = Instant::now();
            let found = match tokio::time::timeout(deadline, work).await {
                Ok(found) => found,
                Err(_) => {
                    Found::ended(id, SourceStatus::TimedOut, format!("no answer within {} ms", deadline.as_millis()))
                }
            };
            (i, Found { elapsed: t.elapsed(), ..found })
        })
        .collect();
    let mut first_answer: Option<Instant> = None;
    // Early checks are driven here while the race goes on; their results are shared.
    let mut early = FuturesUnordered::new();
    while !running.is_empty() {
        if decided(&ids, &done, |f| !f.incoming.is_empty()) && decided(&ids, &done, |f| !f.outgoing.is_empty()) {
            break;
        }
        let grace_over = async {
            match first_answer {
                Some(t) => tokio::time::sleep_until((t + grace).into()).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            Some((i, found)) = running.next() => {
                emit(found.source, Some(found.status), Some(found.summary.clone()));
                if let Some(checks) = checks.as_deref_mut() {
                    early.extend(checks.start_for(&found));
                }
                if first_answer.is_none() && !found.incoming.is_empty() {
                    first_answer = Some(Instant::now());
                }
                done[i] = Some(found);
            }
            _ = early.next(), if !early.is_empty() => {}
            _ = grace_over => break,
        }
    }
    drop(running); // cancels the sources still running
    let elapsed = started.elapsed();
    ids.iter()
        .zip(done)
        .map(|(id, found)| {
            found.unwrap_or_else(|| {
                let f = Found::ended(*id, SourceStatus::Cancelled, "stopped: a better answer was already there".into());
                emit(*id, Some(SourceStatus::Cancelled), Some(f.summary.clone()));
                Found { elapsed, ..f }
            })
        })
        .collect()
}

/// Whether the best-ranked source with something for one side has answered, and every
/// better-ranked source has finished.
fn decided(ids: &[SourceId], done: &[Option<Found>], has: impl Fn(&Found) -> bool) -> bool {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by_key(|&i| ids[i]);
    for i in order {
        match &done[i] {
            None => return false,
            Some(f) if has(f) => return true,
            Some(_) => {}
        }
    }
    false
}

/// One source after another in rank order, each to its end or deadline; stops after the first
/// that names an incoming server.
async fn sequential<'a>(
    mut sources: Vec<Source<'a>>,
    emit: &(dyn Fn(SourceId, Option<SourceStatus>, Option<String>) + Sync),
) -> Vec<Found> {
    sources.sort_by_key(|s| s.0);
    let mut out = Vec::new();
    let mut found_incoming = false;
    for (id, deadline, asks, work) in sources {
        if found_incoming {
            out.push(Found::ended(id, SourceStatus::Skipped, "not needed".into()));
            continue;
        }
        emit(id, None, Some(asks));
        let t = Instant::now();
        let found = match tokio::time::timeout(deadline, work).await {
            Ok(found) => found,
            Err(_) => Found::ended(id, SourceStatus::TimedOut, format!("no answer within {} ms", deadline.as_millis())),
        };
        emit(id, Some(found.status), Some(found.summary.clone()));
        found_incoming = !found.incoming.is_empty();
        out.push(Found { elapsed: t.elapsed(), ..found });
    }
    out
}

/// Checks the top candidates without credentials (guesses were checked already) and records
/// each check on its candidate. Returns the checks' trace. In the race every check runs at once
/// (most started early); the sequential walk checks one candidate at a time and stops at the
/// first that answers on each side, as a client walking one by one would.
async fn verify(
    checks: &mut Checks<'_>,
    incoming: &mut [Candidate],
    outgoing: &mut [Candidate],
    walk: Walk,
    report: &(dyn Fn(DiscoveryEvent) + Sync),
) -> Vec<TraceStep> {
    let mut picked: Vec<(bool, usize)> = Vec::new();
    for (is_incoming, list, n) in [(true, &*incoming, VERIFY_INCOMING), (false, &*outgoing, VERIFY_OUTGOING)] {
        picked.extend(
            list.iter().enumerate().filter(|(_, c)| c.verification.is_none()).take(n).map(|(i, _)| (is_incoming, i)),
        );
    }
    let target = |&(is_in, i): &(bool, usize)| {
        let c = if is_in { &incoming[i] } else { &outgoing[i] };
        (c.protocol, c.endpoint.clone())
    };
    if picked.is_empty() {
        return Vec::new();
    }
    let targets: Vec<(Protocol, Endpoint)> = picked.iter().map(target).collect();
    report(DiscoveryEvent::checking(&targets.iter().map(|(_, e)| e.clone()).collect::<Vec<_>>()));
    let mut results: Vec<((bool, usize), Verification)> = Vec::new();
    match walk {
        Walk::Race => {
            // All at once (most started early), but the answer does not wait for alternatives:
            // each side is decided when its best candidate answered, or every better one failed.
            // Checks still running then are dropped and their candidates stay unchecked.
            let mut running: FuturesUnordered<_> = targets
                .iter()
                .enumerate()
                .map(|(k, (protocol, endpoint))| checks.check(*protocol, endpoint).map(move |v| (k, v)))
                .collect();
            let mut got: Vec<Option<Verification>> = vec![None; targets.len()];
            let side_decided = |got: &[Option<Verification>], incoming: bool| {
                for (k, _) in picked.iter().enumerate().filter(|(_, p)| p.0 == incoming) {
                    match &got[k] {
                        None => return false,
                        Some(v) if v.verified => return true,
                        Some(_) => {}
                    }
                }
                true
            };
            while !(side_decided(&got, true) && side_decided(&got, false)) {
                match running.next().await {
                    Some((k, v)) => got[k] = Some(v),
                    None => break,
                }
            }
            results.extend(picked.iter().copied().zip(got).filter_map(|(p, v)| v.map(|v| (p, v))));
        }
        Walk::Sequential => {
            let mut side_done = [false, false];
            for (p, (protocol, endpoint)) in picked.iter().zip(&targets) {
                if side_done[usize::from(!p.0)] {
                    continue;
                }
                let v = checks.check(*protocol, endpoint).await;
                side_done[usize::from(!p.0)] = v.verified;
                results.push((*p, v));
            }
        }
    }
    let mut trace = Vec::new();
    for ((is_in, i), v) in results {
        let k = picked.iter().position(|p| *p == (is_in, i)).expect("a picked candidate");
        let (protocol, endpoint) = &targets[k];
        trace.push(TraceStep {
            source: "verify".into(),
            query: format!("{} {} ({})", protocol.label(), endpoint.display(), endpoint.security.label()),
            elapsed_ms: v.elapsed_ms,
            status: if v.verified { StepStatus::Found } else { StepStatus::Failed },
            outcome: v.detail.clone(),
        });
        report(DiscoveryEvent::checked(endpoint, v.verified, &v.detail));
        let c = if is_in { &mut incoming[i] } else { &mut outgoing[i] };
        c.verification = Some(v);
    }
    trace
}

// ---- the sources ----------------------------------------------------------------------------

fn from_provider(ctx: &Context<'_>) -> Found {
    let Some(p) = providers::by_domain(ctx.domain) else {
        return Found::ended(
            SourceId::Provider,
            SourceStatus::NotFound,
            format!("{} is not a provider we know", ctx.domain),
        );
    };
    let detected = DetectedProvider {
        id: p.id.into(),
        name: p.name.into(),
        detected_by: format!("{} is {}'s", ctx.domain, p.name),
    };
    let mut f = provider_candidates(
        SourceId::Provider,
        p,
        ctx.email,
        format!("from Inlet's list of providers ({})", p.name),
        None,
    );
    f.provider = Some((detected, p.kind));
    f.trace.push(step(
        "provider",
        format!("{} in the provider table", ctx.domain),
        Duration::ZERO,
        StepStatus::Found,
        p.name.into(),
    ));
    f.settle()
}

fn provider_candidates(
    source: SourceId,
    p: &Provider,
    email: &str,
    found_by: String,
    confirm: Option<String>,
) -> Found {
    let mut f = Found::new(source);
    let candidate = |s: ServerSetting| Candidate {
        protocol: s.protocol,
        endpoint: s.endpoint(),
        username: s.username.clone(),
        auth: s.authentication.clone(),
        source,
        found_by: found_by.clone(),
        needs_confirmation: confirm.clone(),
        verification: None,
        sign_in: SignIn::Unknown,
    };
    f.incoming = p.incoming.iter().map(|e| candidate(p.server_setting(e, email))).collect();
    f.outgoing = p.outgoing.iter().map(|e| candidate(p.server_setting(e, email))).collect();
    if let Some(hint) = p.hint {
        f.hints.push(Hint { kind: HintKind::Instruction, text: hint.into(), url: p.help_url.map(Into::into), source });
    }
    f
}

async fn autoconfig(ctx: &Context<'_>) -> Found {
    let r = ctx.http.domain_autoconfig(ctx.domain, ctx.email, AddressInRequest::Sent, ctx.limits.http).await;
    from_http(ctx, SourceId::Autoconfig, r, &format!("from {}'s own configuration", ctx.domain), None)
}

async fn ispdb(ctx: &Context<'_>) -> Found {
    let r = ctx.http.ispdb(ctx.domain, ctx.email, ctx.limits.http).await;
    from_http(ctx, SourceId::Ispdb, r, "from Thunderbird's provider database", None)
}

async fn autodiscover_pox(ctx: &Context<'_>, password: Option<&Secret>) -> Found {
    // Credentials only when the user gave them for this, after the server asked.
    let credentials = password.map(|password| PoxCredentials { username: ctx.email, password });
    let r = ctx.http.autodiscover_pox(ctx.domain, ctx.email, credentials, ctx.limits.http).await;
    from_http(ctx, SourceId::AutodiscoverPox, r, &format!("from {}'s Autodiscover service", ctx.domain), None)
}

async fn autoconfig_http(ctx: &Context<'_>) -> Found {
    let r = ctx.http.domain_autoconfig_http(ctx.domain, ctx.email, ctx.limits.http).await;
    // Every server it names waits for the user, inside the domain or not: whoever changed the
    // document on the way could have changed ports, security or names within the domain too.
    let why = format!(
        "{}'s configuration came over an unencrypted connection, which anyone on the way could have changed",
        ctx.domain
    );
    from_http(
        ctx,
        SourceId::AutoconfigHttp,
        r,
        &format!("from {}'s configuration (unencrypted)", ctx.domain),
        Some(why),
    )
}

async fn redirects(ctx: &Context<'_>, follow: &[String]) -> Found {
    let mut f = Found::new(SourceId::Redirect);
    for to in follow {
        let r = if !to.contains("://") && to.contains('@') {
            // An Autodiscover `redirectAddr`: ask again for the address it names.
            let domain = to.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
            ctx.http.autodiscover_pox(domain, to, None, ctx.limits.http).await
        } else if to.to_ascii_lowercase().ends_with(AUTODISCOVER_POX_PATH) {
            ctx.http.autodiscover_pox_at(to, ctx.email, None, ctx.limits.http).await
        } else {
            ctx.http.autoconfig_at(to, ctx.email, ctx.limits.http).await
        };
        let host = match reqwest::Url::parse(to).ok().and_then(|u| u.host_str().map(str::to_owned)) {
            Some(host) => host,
            None => to.rsplit_once('@').map_or(to.as_str(), |(_, d)| d).to_owned(),
        };
        let one = from_http(
            ctx,
            SourceId::Redirect,
            r,
            &format!("from {host}, where {} points (you confirmed it)", ctx.domain),
            None,
        );
        f.incoming.extend(one.incoming);
        f.outgoing.extend(one.outgoing);
        f.hints.extend(one.hints);
        f.trace.extend(one.trace);
        if f.provider.is_none() {
            f.provider = one.provider;
        }
    }
    f.settle()
}

async fn srv(ctx: &Context<'_>) -> Found {
    let r = ctx.dns.srv_records(ctx.domain, ctx.limits.dns).await;
    let mut f = Found::new(SourceId::Srv);
    for c in &r.candidates {
        let outside = !within_domain(&c.host, ctx.domain);
        let candidate = Candidate {
            protocol: c.protocol,
            endpoint: c.endpoint(),
            username: None,
            auth: Vec::new(),
            source: SourceId::Srv,
            found_by: format!("from DNS ({}'s service records)", ctx.domain),
            needs_confirmation: outside.then(|| {
                format!(
                    "{}'s DNS points to {}, which is not part of {}; DNS answers can be forged",
                    ctx.domain, c.host, ctx.domain
                )
            }),
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
    f.summary = if r.not_offered.is_empty() {
        "no mail service records".into()
    } else {
        "the domain says it offers no mail service here".into()
    };
    f.trace = r.trace;
    f.settle()
}

async fn mx(ctx: &Context<'_>) -> Found {
    let r = ctx.dns.mx_hosts(ctx.domain, ctx.limits.dns).await;
    let mut f = Found::new(SourceId::Mx);
    f.trace = r.trace.clone();
    if r.hosts.is_empty() {
        f.status =
            if r.trace.iter().any(TraceStep::is_failure) { failure_status(&r.trace) } else { SourceStatus::NotFound };
        f.summary = if r.null_mx { "the domain takes no mail (null MX)".into() } else { "no MX records".into() };
        return f;
    }
    let first_host = r.hosts[0].1.clone();
    // A well-known provider: its settings are our own data, and the MX answer is only the link.
    if let Some(p) = providers::by_mx(&r.hosts) {
        let why = format!(
            "{}'s mail goes to {} (its MX record names {first_host}); confirm that your mailbox is at {}",
            ctx.domain, p.name, p.name
        );
        let mut found = provider_candidates(
            SourceId::Mx,
            p,
            ctx.email,
            format!("from DNS: {}'s mail is at {}", ctx.domain, p.name),
            Some(why),
        );
        found.provider = Some((
            DetectedProvider {
                id: p.id.into(),
                name: p.name.into(),
                detected_by: format!("{}'s MX records point to {}", ctx.domain, p.name),
            },
            p.kind,
        ));
        found.trace = std::mem::take(&mut f.trace);
        if provider_from_mx(&r.hosts).is_some_and(|m| m.provider == KnownProvider::Microsoft) {
            // Autodiscover v2 sends the address to Microsoft: asked only when the mail is there.
            let v2 = ctx.http.autodiscover_v2(ctx.email, ctx.limits.http).await;
            let from_v2 = from_http(ctx, SourceId::Mx, v2, "from Microsoft's Autodiscover", None);
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
        f.summary = format!("MX {first_host}: no provider recognised");
        return f;
    };
    if within_domain(&m.provider_domain, ctx.domain) || within_domain(ctx.domain, &m.provider_domain) {
        f.summary = format!("MX {first_host} is the domain's own");
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
    let why = format!(
        "{}'s mail goes to {hoster} (its MX record names {first_host}); confirm that your mailbox is there",
        ctx.domain
    );
    let found_by = format!("from DNS: {}'s mail is handled by {hoster}", ctx.domain);
    for r in [a, b] {
        let one = from_http(ctx, SourceId::Mx, r, &found_by, Some(why.clone()));
        f.incoming.extend(one.incoming);
        f.outgoing.extend(one.outgoing);
        f.hints.extend(one.hints);
        f.trace.extend(one.trace);
    }
    if f.incoming.is_empty() {
        f.summary = format!("MX {first_host}: nothing known about {hoster}");
    }
    f.settle()
}

async fn guesses(ctx: &Context<'_>) -> Found {
    let l = ctx.limits;
    let (incoming, outgoing) = match ctx.walk {
        Walk::Race => {
            futures::future::join(
                guess::first_working(
                    &guess::incoming_candidates(ctx.domain),
                    ctx.network,
                    l.guess_stagger,
                    l.probe,
                    l.guess,
                ),
                guess::first_working(
                    &guess::outgoing_candidates(ctx.domain),
                    ctx.network,
                    l.guess_stagger,
                    l.probe,
                    l.guess,
                ),
            )
            .await
        }
        // One name after another: the next starts only when one fails (a stagger as long as the
        // probe's own limit never fires first).
        Walk::Sequential => {
            let incoming =
                guess::first_working(&guess::incoming_candidates(ctx.domain), ctx.network, l.probe, l.probe, l.guess)
                    .await;
            let outgoing =
                guess::first_working(&guess::outgoing_candidates(ctx.domain), ctx.network, l.probe, l.probe, l.guess)
                    .await;
            (incoming, outgoing)
        }
    };
    let mut f = Found::new(SourceId::Guess);
    let candidate = |g: guess::Guess| Candidate {
        protocol: g.protocol,
        endpoint: g.endpoint,
        username: None,
        auth: Vec::new(),
        source: SourceId::Guess,
        found_by: "guessed and verified".into(),
        needs_confirmation: None,
        verification: Some(g.verification),
        sign_in: SignIn::Unknown,
    };
    f.incoming.extend(incoming.found.map(candidate));
    f.outgoing.extend(outgoing.found.map(candidate));
    f.trace = incoming.trace;
    f.trace.extend(outgoing.trace);
    f.summary = "no usual server name answered".into();
    f.settle()
}

// ---- helpers --------------------------------------------------------------------------------

/// Turns a web source's result into candidates, hints and redirect offers.
fn from_http(ctx: &Context<'_>, source: SourceId, r: SourceResult, found_by: &str, confirm: Option<String>) -> Found {
    let mut f = Found::new(source);
    f.trace = r.trace;
    let candidate = |protocol: Protocol, endpoint: Endpoint, username: Option<String>, auth: Vec<AuthKind>| Candidate {
        protocol,
        endpoint,
        username,
        auth,
        source,
        found_by: found_by.to_owned(),
        needs_confirmation: confirm.clone(),
        verification: None,
        sign_in: SignIn::Unknown,
    };
    match r.outcome {
        HttpOutcome::Found(fetched) => {
            let doc = fetched.document;
            for s in doc.incoming.iter().chain(&doc.outgoing) {
                let c = candidate(s.protocol, s.endpoint(), s.username.clone(), s.authentication.clone());
                if s.protocol == Protocol::Smtp {
                    f.outgoing.push(c);
                } else {
                    f.incoming.push(c);
                }
            }
            f.hints = document_hints(&doc, source);
            if let Some(kind) = kind_of_document(&doc) {
                let name = doc.display_name.clone().unwrap_or_else(|| doc.provider_id.clone().unwrap_or_default());
                f.provider = Some((
                    DetectedProvider {
                        id: doc.provider_id.clone().unwrap_or_default(),
                        name,
                        detected_by: found_by.trim_start_matches("from ").to_owned(),
                    },
                    kind,
                ));
            }
            if f.incoming.is_empty() && f.outgoing.is_empty() {
                f.summary = if doc.skipped_server_types.is_empty() {
                    "a document without servers".into()
                } else {
                    format!("only servers Inlet does not speak: {}", doc.skipped_server_types.join(", "))
                };
            }
        }
        HttpOutcome::FoundEndpoints { endpoints } => {
            for e in endpoints {
                let c = candidate(e.protocol, e.endpoint, e.username, Vec::new());
                if e.protocol == Protocol::Smtp {
                    f.outgoing.push(c);
                } else {
                    f.incoming.push(c);
                }
            }
        }
        HttpOutcome::Redirect { to } => {
            let host = reqwest::Url::parse(&to)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_else(|| to.clone());
            f.status = SourceStatus::Found;
            f.summary = format!("points to {host}, another domain: follow only if you trust it");
            f.redirects.push(RedirectOffer {
                source,
                to,
                explanation: format!(
                    "{}'s configuration points to {host}, which is not part of {}. Follow it only if you know {host} handles your mail.",
                    ctx.domain, ctx.domain
                ),
            });
        }
        HttpOutcome::NotFound => f.summary = "nothing there".into(),
        HttpOutcome::NoSuchHost(why) => f.summary = why,
        HttpOutcome::TimedOut => {
            f.status = SourceStatus::TimedOut;
            f.summary = "no answer in time".into();
        }
        HttpOutcome::Failed(why) => {
            f.status = SourceStatus::Failed;
            f.summary = why;
        }
        HttpOutcome::RedirectAddress { email } => {
            let domain = email.rsplit_once('@').map(|(_, d)| d.to_owned()).unwrap_or_default();
            f.status = SourceStatus::Found;
            f.summary = format!("points to the settings of {email}: follow only if you trust {domain}");
            f.redirects.push(RedirectOffer {
                source,
                explanation: format!(
                    "{}'s Autodiscover says your settings are those of {email}. Follow it only if you know {domain} handles your mail.",
                    ctx.domain
                ),
                to: email,
            });
        }
        HttpOutcome::CredentialsRequired => {
            f.wants_password = true;
            f.summary =
                "the server wants your password before it tells the settings; Inlet sends it only if you agree".into();
        }
    }
    f.settle()
}

/// `<enable>`, `<instruction>` and `<documentation>`, in English where the document has it.
fn document_hints(doc: &AutoconfigDocument, source: SourceId) -> Vec<Hint> {
    let mut out = Vec::new();
    let text = |texts: &[(Option<String>, String)]| -> Option<String> {
        texts
            .iter()
            .find(|(lang, _)| lang.as_deref().is_none_or(|l| l.eq_ignore_ascii_case("en")))
            .or(texts.first())
            .map(|(_, t)| t.trim().to_owned())
    };
    let instruction = |kind: HintKind, i: &Instruction| -> Option<Hint> {
        let body = text(&i.texts).or_else(|| {
            (kind == HintKind::Enable).then(|| "Enable mail app access in your account's settings first.".into())
        })?;
        Some(Hint { kind, text: body, url: i.visit_url.clone(), source })
    };
    out.extend(doc.enable.iter().filter_map(|i| instruction(HintKind::Enable, i)));
    out.extend(doc.instructions.iter().filter_map(|i| instruction(HintKind::Instruction, i)));
    for d in &doc.documentation {
        let body = text(&d.descriptions).unwrap_or_else(|| "The provider's help page".into());
        out.push(Hint { kind: HintKind::Documentation, text: body, url: Some(d.url.clone()), source });
    }
    out
}

/// The mailbox type a document's servers reveal (Google's or Microsoft's hosts).
fn kind_of_document(doc: &AutoconfigDocument) -> Option<MailboxKind> {
    doc.incoming.iter().find_map(|s| kind_of_host(&s.host))
}

fn kind_of_host(host: &str) -> Option<MailboxKind> {
    let host = host.to_ascii_lowercase();
    if within_domain(&host, "gmail.com") || within_domain(&host, "googlemail.com") {
        Some(MailboxKind::Gmail)
    } else if within_domain(&host, "office365.com") || within_domain(&host, "outlook.com") {
        Some(MailboxKind::Microsoft365)
    } else {
        None
    }
}

fn kind_from_servers(incoming: &[Candidate]) -> MailboxKind {
    match incoming.first() {
        Some(c) => kind_of_host(&c.endpoint.host).unwrap_or(match c.protocol {
            Protocol::Pop3 => MailboxKind::Pop3,
            _ => MailboxKind::Imap,
        }),
        None => MailboxKind::Imap,
    }
}

/// Unverified defaults for the manual form when nothing was found.
fn best_guess(list: &[(Protocol, Endpoint)]) -> Vec<Candidate> {
    list.iter()
        .map(|(protocol, endpoint)| Candidate {
            protocol: *protocol,
            endpoint: endpoint.clone(),
            username: None,
            auth: Vec::new(),
            source: SourceId::Guess,
            found_by: "a usual server name, not verified: check it with your provider".into(),
            needs_confirmation: Some("nothing confirmed this server".into()),
            verification: None,
            sign_in: SignIn::Unknown,
        })
        .collect()
}

fn failure_status(trace: &[TraceStep]) -> SourceStatus {
    if trace.iter().any(|s| s.status == StepStatus::TimedOut) {
        SourceStatus::TimedOut
    } else {
        SourceStatus::Failed
    }
}

fn step(source: &str, query: String, elapsed: Duration, status: StepStatus, outcome: String) -> TraceStep {
    TraceStep { source: source.into(), query, elapsed_ms: elapsed.as_millis() as u64, status, outcome }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, ok: bool, ms: u64) -> TraceStep {
        let status = if ok { StepStatus::Found } else { StepStatus::Failed };
        TraceStep { source: "verify".into(), query: query.into(), elapsed_ms: ms, status, outcome: String::new() }
    }

    /// A source's server that guessing had checked already (the race can end after both
    /// answered) counts as checked: the line must not read "Failed, 0 of 0".
    #[test]
    fn the_checks_line_counts_servers_checked_while_guessing() {
        assert!(verification_report(&[], &[]).is_none());

        let before = [("imap.example.test:993".to_owned(), true, 30), ("mail.example.test:465".to_owned(), true, 45)];
        let r = verification_report(&[], &before).unwrap();
        assert_eq!((r.status, r.elapsed_ms), (SourceStatus::Found, 45));
        assert_eq!(r.summary, "imap.example.test:993, mail.example.test:465 checked while trying usual names");

        let r = verification_report(&[check("SMTP mail.example.test:587", false, 80)], &before[..1]).unwrap();
        assert_eq!((r.status, r.elapsed_ms), (SourceStatus::Found, 80));
        assert_eq!(r.summary, "0 of 1 server(s) answered; imap.example.test:993 checked while trying usual names");

        let r = verification_report(&[check("IMAP imap.example.test:993", false, 10)], &[]).unwrap();
        assert_eq!((r.status, r.summary.as_str()), (SourceStatus::Failed, "0 of 1 server(s) answered"));
    }
}
