//! The sources of discovery, each asked for the settings of one address: the built-in provider
//! table, the HTTP documents (ISPDB, autoconfig, Autodiscover), DNS (SRV, MX) and guessing.

pub mod dns;
pub mod documents;
pub mod guess;
pub mod http;
pub mod provider;

use std::time::Duration;

use futures::future::BoxFuture;
use futures::FutureExt;

use super::proposal::{Candidate, DetectedProvider, Hint, RedirectOffer, SourceId, SourceStatus};
use super::trace::{StepStatus, TraceStep};
use super::{DiscoverRequest, Walk};
use crate::account::MailboxKind;
use crate::config::DiscoveryLimits;
use crate::net::dns::DnsResolver;
use crate::net::Network;
use http::HttpSources;

/// Everything a source needs.
pub struct Context<'a> {
    pub email: &'a str,
    pub domain: &'a str,
    pub network: &'a Network,
    pub http: &'a HttpSources,
    pub dns: &'a DnsResolver,
    pub limits: &'a DiscoveryLimits,
    pub walk: Walk,
    /// The MX lookup, running since discovery started (see [`dns::MxLookup`]).
    pub(crate) mx: dns::MxLookup,
}

/// One source's outcome.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub(crate) source: SourceId,
    pub(crate) status: SourceStatus,
    pub(crate) summary: String,
    pub(crate) elapsed: Duration,
    pub(crate) incoming: Vec<Candidate>,
    pub(crate) outgoing: Vec<Candidate>,
    pub(crate) hints: Vec<Hint>,
    pub(crate) redirects: Vec<RedirectOffer>,
    pub(crate) provider: Option<(DetectedProvider, MailboxKind)>,
    pub(crate) trace: Vec<TraceStep>,
    /// Autodiscover answered 401: it would tell the settings for the password.
    pub(crate) wants_password: bool,
    /// The source names who signs the user in with a browser (autoconfig `<oAuth2>`).
    pub(crate) sign_in: Option<crate::oauth::IssuerChoice>,
}

impl Found {
    pub(crate) fn new(source: SourceId) -> Found {
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
            sign_in: None,
        }
    }

    pub(crate) fn ended(source: SourceId, status: SourceStatus, summary: String) -> Found {
        Found { status, summary, ..Found::new(source) }
    }

    /// Sets status and summary from what was found, unless already decided.
    pub(crate) fn settle(mut self) -> Found {
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

pub(crate) type Source<'a> = (SourceId, Duration, String, BoxFuture<'a, Found>);

/// Every source, with its deadline, what it asks (for the progress list) and its work.
pub(crate) fn sources<'a>(ctx: &'a Context<'a>, request: &'a DiscoverRequest) -> Vec<Source<'a>> {
    let l = ctx.limits;
    let d = ctx.domain;
    let mut out: Vec<Source<'a>> = vec![
        (
            SourceId::Provider,
            Duration::from_secs(1),
            format!("{d} in Inlet's list"),
            async move { provider::from_provider(ctx) }.boxed(),
        ),
        (SourceId::Autoconfig, l.http, format!("autoconfig.{d}, {d}/.well-known"), documents::autoconfig(ctx).boxed()),
        (SourceId::Ispdb, l.http, format!("{d} in the ISPDB"), documents::ispdb(ctx).boxed()),
        (
            SourceId::AutodiscoverPox,
            l.http,
            format!("autodiscover.{d}, {d}"),
            documents::autodiscover_pox(ctx, request.autodiscover_password.as_ref()).boxed(),
        ),
        (SourceId::Srv, l.dns, format!("SRV records of {d}"), dns::srv(ctx).boxed()),
        (SourceId::Mx, l.dns + l.http, format!("MX records of {d}"), dns::mx(ctx).boxed()),
        (SourceId::AutoconfigHttp, l.http, format!("http://autoconfig.{d}"), documents::autoconfig_http(ctx).boxed()),
    ];
    if request.probe {
        out.push((SourceId::Guess, l.guess, format!("imap.{d}, mail.{d}, smtp.{d}…"), guess::guesses(ctx).boxed()));
    } else {
        // Guessing is connecting; without probes it is left out.
        let skipped = Found::ended(SourceId::Guess, SourceStatus::Skipped, crate::tr!("eng-guess-skipped"));
        out.push((SourceId::Guess, l.guess, crate::tr!("eng-guess-not-asked"), async move { skipped }.boxed()));
    }
    if !request.follow.is_empty() {
        out.push((
            SourceId::Redirect,
            l.http,
            request.follow.join(", "),
            documents::redirects(ctx, &request.follow).boxed(),
        ));
    }
    out
}

pub(crate) fn failure_status(trace: &[TraceStep]) -> SourceStatus {
    if trace.iter().any(|s| s.status == StepStatus::TimedOut) {
        SourceStatus::TimedOut
    } else {
        SourceStatus::Failed
    }
}

pub(crate) fn step(source: &str, query: String, elapsed: Duration, status: StepStatus, outcome: String) -> TraceStep {
    TraceStep { source: source.into(), query, elapsed_ms: elapsed.as_millis() as u64, status, outcome }
}
