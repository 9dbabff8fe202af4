//! Discovery: from an email address to ranked candidate settings, with a trace.
//!
//! - [`sources`]: each source of settings (the provider table, the web documents, DNS, guessing)
//!   turns what it asks into candidates ([`sources::Found`]); [`formats`] parses the documents.
//! - [`race`] runs the sources at once under deadlines ([`sequential`]: one after another, the
//!   benchmark's baseline); [`rank`] orders and merges what they found; [`verify`] checks the
//!   winners without credentials; [`kind`] names the mailbox type; [`trace`] is the one record
//!   every step writes.
//! - [`alternative`]: IMAP next to a POP3 server, for the wizard's offer to switch.
//!
//! Layer: discovery uses `net` and `protocol` (for the checks), never the other way round.

pub mod alternative;
pub mod formats;
pub mod kind;
pub mod proposal;
pub mod race;
pub mod rank;
pub mod sequential;
pub mod sources;
pub mod trace;
pub mod verify;

use std::time::Instant;

use crate::account::MailboxKind;
use crate::address::EmailAddress;
use crate::config::DiscoveryLimits;
use crate::diagnose::Diagnosis;
use crate::net::dns::DnsResolver;
use crate::net::Network;
use crate::secrets::Secret;
use kind::kind_from_servers;
use proposal::{DetectedProvider, Hint, RedirectOffer, SourceReport};
use rank::rank;
use sources::http::HttpSources;
use sources::{guess, Context, Found};
use trace::TraceStep;
use verify::{verification_report, verify_candidates, Checks};

pub use proposal::{Candidate, Discovery, DiscoveryEvent, DiscoverySink, SourceId, SourceStatus};

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
    let address = match EmailAddress::parse(&request.email) {
        Ok(address) => address,
        Err(problem) => return Err(Diagnosis::invalid_input("email", &problem.message())),
    };
    let (email, domain) = (address.as_str(), address.domain().to_owned());
    let mx = sources::dns::start_mx_lookup(dns, &domain, limits.dns);
    let ctx = Context { email, domain: &domain, network, http, dns, limits, walk, mx: mx.clone() };
    let report =
        |event: DiscoveryEvent| sink.emit(DiscoveryEvent { elapsed_ms: started.elapsed().as_millis() as u64, ..event });
    let emit = |source: SourceId, status: Option<SourceStatus>, detail: Option<String>| {
        report(DiscoveryEvent::source(source, status, detail))
    };

    let sources = sources::sources(&ctx, request);
    for (id, _, asks, _) in &sources {
        if walk == Walk::Race {
            emit(*id, None, Some(asks.clone()));
        }
    }
    let mut checks = Checks::new(network, limits.probe);
    let mut results: Vec<Found> = match walk {
        Walk::Race => race::race(sources, limits.grace, request.probe.then_some(&mut checks), &emit).await,
        Walk::Sequential => sequential::sequential(sources, &emit).await,
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
    let mut sign_in_offer = None;
    for f in results {
        autodiscover_wants_password |= f.wants_password;
        if sign_in_offer.is_none() {
            sign_in_offer = f.sign_in.clone();
        }
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
            label: f.source.label(),
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
        let checked = verify_candidates(&mut checks, &mut incoming, &mut outgoing, walk, &report).await;
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
            d.advise(
                "If you know that the other domain handles your mail, follow the redirect. Otherwise enter the \
                 server settings by hand: the form is filled with the most likely names.",
            );
        }
        d
    });
    if incoming.is_empty() {
        incoming = guess::best_guess(&guess::incoming_candidates(&domain)[..1]);
    }
    if outgoing.is_empty() {
        outgoing = guess::best_guess(&guess::outgoing_candidates(&domain)[..1]);
    }
    for c in incoming.iter_mut().chain(outgoing.iter_mut()) {
        c.sign_in = c.decide_sign_in();
    }

    let kind = match &provider {
        Some((_, kind)) => *kind,
        None => kind_from_servers(&incoming),
    };
    // The MX hosts name the provider whichever source named the servers: a custom domain at
    // Microsoft 365 that also publishes SRV records is still signed in with Microsoft. The
    // lookup has run since the start; only an address no source recognised waits for it. The
    // kind stays that of the servers proposed (it prefills the form with them).
    if provider.is_none() && sign_in_offer.is_none() {
        provider = sources::dns::mx_provider(&domain, &mx.await);
    }
    let provider_kind = provider.as_ref().map_or(kind, |(_, k)| *k);
    // Google's and Microsoft's mailboxes (their own domains, or custom domains whose MX is
    // Google Workspace or Microsoft 365) sign in with the provider.
    let sign_in_offer = sign_in_offer.or(match provider_kind {
        MailboxKind::Gmail => Some(crate::oauth::IssuerChoice::Google),
        MailboxKind::Microsoft365 => Some(crate::oauth::IssuerChoice::Microsoft { tenant: None }),
        _ => None,
    });
    if let Some(hint) = sign_in_offer.is_none().then(|| no_issuer_hint(&domain, &incoming)).flatten() {
        hints.push(hint);
    }
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
        sign_in_offer,
        elapsed_ms: started.elapsed().as_millis() as u64,
    })
}

/// A server that takes only the provider's sign-in (XOAUTH2/OAUTHBEARER) while no source names
/// who signs the user in: said plainly, with who can name the issuer, rather than a dead end.
fn no_issuer_hint(domain: &str, incoming: &[Candidate]) -> Option<Hint> {
    let first = incoming.first().filter(|c| c.sign_in == proposal::SignIn::BrowserOnly)?;
    Some(Hint {
        kind: proposal::HintKind::Instruction,
        text: format!(
            "{} accepts only sign-in through your provider's page (OAuth2), not a password, and nothing Inlet \
             asked says who signs you in for {domain}. Ask your provider or your administrator for the address of \
             its sign-in service (its OAuth2 issuer): an administrator can name it in Inlet's configuration \
             (oauth.issuers), and a technician can use it with inlet-cli connect --sign-in browser --issuer URL.",
            first.endpoint.host
        ),
        url: None,
        source: first.source,
    })
}
