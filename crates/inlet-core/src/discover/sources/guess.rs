//! Discovery source 7: guessing. The usual host names (`imap.`, `mail.`, `pop.`, `pop3.`,
//! `smtp.` and the domain itself) × the standard ports (RFC 8314 implicit TLS first, then
//! STARTTLS), probed in parallel with staggered starts, without credentials. The first name that
//! answers like a mail server, in the order below, is the guess.

use crate::tr;
use std::time::{Duration, Instant};

use futures::stream::{FuturesUnordered, StreamExt};

use super::{Context, Found};
use crate::account::{default_port, Endpoint, Protocol, Security};
use crate::discover::proposal::{Candidate, SignIn, SourceId};
use crate::discover::trace::{StepStatus, TraceStep};
use crate::discover::verify::{self as probe, Verification};
use crate::discover::Walk;
use crate::net::Network;

/// `TraceStep::source` of guessing.
pub(crate) const SOURCE_GUESS: &str = "guess";

/// One guess and how it was checked.
#[derive(Debug, Clone)]
pub struct Guess {
    pub protocol: Protocol,
    pub endpoint: Endpoint,
    pub verification: Verification,
}

/// What guessing found for one side (incoming or outgoing).
#[derive(Debug, Clone, Default)]
pub(crate) struct GuessResult {
    pub found: Option<Guess>,
    pub trace: Vec<TraceStep>,
}

/// Incoming guesses for `domain`, best first: IMAP before POP3 (IMAP keeps folders on the
/// server), implicit TLS before STARTTLS on each name (RFC 8314 section 5.1).
pub(crate) fn incoming_candidates(domain: &str) -> Vec<(Protocol, Endpoint)> {
    let mut out = Vec::new();
    let imap_hosts = [format!("imap.{domain}"), format!("mail.{domain}"), domain.to_owned()];
    let pop_hosts = [format!("pop.{domain}"), format!("pop3.{domain}"), format!("mail.{domain}")];
    for (protocol, hosts) in [(Protocol::Imap, &imap_hosts), (Protocol::Pop3, &pop_hosts)] {
        for host in hosts.iter() {
            for security in [Security::Tls, Security::Starttls] {
                let port = default_port(protocol, security);
                out.push((protocol, Endpoint { host: host.clone(), port, security }));
            }
        }
    }
    out
}

/// Outgoing guesses: submission with implicit TLS (465, RFC 8314), then STARTTLS (587, RFC 6409).
pub(crate) fn outgoing_candidates(domain: &str) -> Vec<(Protocol, Endpoint)> {
    let hosts = [format!("smtp.{domain}"), format!("mail.{domain}"), domain.to_owned()];
    let mut out = Vec::new();
    for host in hosts {
        for security in [Security::Tls, Security::Starttls] {
            let port = default_port(Protocol::Smtp, security);
            out.push((Protocol::Smtp, Endpoint { host: host.clone(), port, security }));
        }
    }
    out
}

/// Probes `candidates` (best first) with starts `stagger` apart (or at once when one fails, like
/// happy eyeballs, RFC 8305), each probe limited to `probe_limit`. Returns the best candidate that
/// answered: a worse one that answers first waits for the better ones still running. Ends when
/// that is decided or when `limit` has passed; probes still running are then dropped (cancelled).
pub(crate) async fn first_working(
    candidates: &[(Protocol, Endpoint)],
    network: &Network,
    stagger: Duration,
    probe_limit: Duration,
    limit: Duration,
) -> GuessResult {
    let mut results: Vec<Option<Verification>> = vec![None; candidates.len()];
    let mut next = 0usize;
    let mut running = FuturesUnordered::new();
    let start = |i: usize| {
        let (protocol, endpoint) = &candidates[i];
        async move { (i, probe::verify(*protocol, endpoint, network, probe_limit).await) }
    };
    let overall = tokio::time::sleep(limit);
    tokio::pin!(overall);
    let started = Instant::now();
    loop {
        if let Some(decided) = decided(&results) {
            return finish(candidates, results, decided, started, limit);
        }
        if running.is_empty() && next < candidates.len() {
            running.push(start(next));
            next += 1;
        }
        if running.is_empty() {
            return finish(candidates, results, None, started, limit);
        }
        tokio::select! {
            Some((i, verification)) = running.next() => {
                let failed = !verification.verified;
                results[i] = Some(verification);
                if failed && next < candidates.len() && best(&results).is_none() {
                    running.push(start(next));
                    next += 1;
                }
            }
            _ = tokio::time::sleep(stagger), if next < candidates.len() && best(&results).is_none() => {
                running.push(start(next));
                next += 1;
            }
            _ = &mut overall => {
                let found = best(&results);
                return finish(candidates, results, found, started, limit);
            }
        }
    }
}

fn finish(
    candidates: &[(Protocol, Endpoint)],
    results: Vec<Option<Verification>>,
    found: Option<usize>,
    started: Instant,
    limit: Duration,
) -> GuessResult {
    let mut trace = Vec::new();
    let mut guess = None;
    for (i, ((protocol, endpoint), result)) in candidates.iter().zip(results).enumerate() {
        let query = format!("{} {} ({})", protocol.label(), endpoint.display(), endpoint.security.label());
        let Some(v) = result else {
            // Started but not finished, or never started because a better one was decided.
            if found.is_none() && started.elapsed() >= limit {
                trace.push(step(
                    query,
                    started.elapsed(),
                    StepStatus::TimedOut,
                    tr!("eng-step-no-answer-within", ms = limit.as_millis().to_string()),
                ));
            }
            continue;
        };
        let status = if v.verified { StepStatus::Found } else { StepStatus::Failed };
        trace.push(step(query, Duration::from_millis(v.elapsed_ms), status, v.detail.clone()));
        if found == Some(i) {
            guess = Some(Guess { protocol: *protocol, endpoint: endpoint.clone(), verification: v });
        }
    }
    GuessResult { found: guess, trace }
}

fn step(query: String, elapsed: Duration, status: StepStatus, outcome: String) -> TraceStep {
    TraceStep { source: SOURCE_GUESS.into(), query, elapsed_ms: elapsed.as_millis() as u64, status, outcome }
}

/// The answer once every better candidate has failed and one worked (`Some(None)`: all failed);
/// None while undecided.
fn decided(results: &[Option<Verification>]) -> Option<Option<usize>> {
    for (i, r) in results.iter().enumerate() {
        match r {
            Some(v) if v.verified => return Some(Some(i)),
            Some(_) => continue,
            None => return None,
        }
    }
    Some(None)
}

fn best(results: &[Option<Verification>]) -> Option<usize> {
    results.iter().position(|r| r.as_ref().is_some_and(|v| v.verified))
}

// ---- the source: guesses as candidates ------------------------------------------------------

pub(crate) async fn guesses(ctx: &Context<'_>) -> Found {
    let l = ctx.limits;
    let (incoming, outgoing) = match ctx.walk {
        Walk::Race => {
            futures::future::join(
                first_working(&incoming_candidates(ctx.domain), ctx.network, l.guess_stagger, l.probe, l.guess),
                first_working(&outgoing_candidates(ctx.domain), ctx.network, l.guess_stagger, l.probe, l.guess),
            )
            .await
        }
        // One name after another: the next starts only when one fails (a stagger as long as the
        // probe's own limit never fires first).
        Walk::Sequential => {
            let incoming =
                first_working(&incoming_candidates(ctx.domain), ctx.network, l.probe, l.probe, l.guess).await;
            let outgoing =
                first_working(&outgoing_candidates(ctx.domain), ctx.network, l.probe, l.probe, l.guess).await;
            (incoming, outgoing)
        }
    };
    let mut f = Found::new(SourceId::Guess);
    let candidate = |g: Guess| Candidate {
        protocol: g.protocol,
        endpoint: g.endpoint,
        username: None,
        auth: Vec::new(),
        source: SourceId::Guess,
        found_by: tr!("eng-found-guess-verified"),
        needs_confirmation: None,
        verification: Some(g.verification),
        sign_in: SignIn::Unknown,
    };
    f.incoming.extend(incoming.found.map(candidate));
    f.outgoing.extend(outgoing.found.map(candidate));
    f.trace = incoming.trace;
    f.trace.extend(outgoing.trace);
    f.summary = tr!("eng-guess-none-answered");
    f.settle()
}

/// Unverified defaults for the manual form when nothing was found.
pub(crate) fn best_guess(list: &[(Protocol, Endpoint)]) -> Vec<Candidate> {
    list.iter()
        .map(|(protocol, endpoint)| Candidate {
            protocol: *protocol,
            endpoint: endpoint.clone(),
            username: None,
            auth: Vec::new(),
            source: SourceId::Guess,
            found_by: tr!("eng-found-guess-unverified"),
            needs_confirmation: Some(tr!("eng-confirm-guess")),
            verification: None,
            sign_in: SignIn::Unknown,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_put_imap_and_implicit_tls_first() {
        let incoming = incoming_candidates("example.org");
        assert_eq!(incoming[0].0, Protocol::Imap);
        assert_eq!(incoming[0].1, Endpoint { host: "imap.example.org".into(), port: 993, security: Security::Tls });
        assert_eq!(
            incoming[1].1,
            Endpoint { host: "imap.example.org".into(), port: 143, security: Security::Starttls }
        );
        let first_pop = incoming.iter().position(|(p, _)| *p == Protocol::Pop3).unwrap();
        assert!(incoming[..first_pop].iter().all(|(p, _)| *p == Protocol::Imap));
        assert_eq!(incoming[first_pop].1.host, "pop.example.org");
        let outgoing = outgoing_candidates("example.org");
        assert_eq!(outgoing[0].1, Endpoint { host: "smtp.example.org".into(), port: 465, security: Security::Tls });
        assert_eq!(outgoing[1].1.port, 587);
    }

    fn v(ok: bool) -> Option<Verification> {
        Some(Verification {
            verified: ok,
            elapsed_ms: 0,
            detail: String::new(),
            auth_mechanisms: vec![],
            password: ok,
            oauth2: false,
            certificate_problem: false,
        })
    }

    #[test]
    fn a_worse_answer_waits_for_better_ones() {
        assert_eq!(decided(&[None, v(true)]), None);
        assert_eq!(decided(&[v(false), v(true)]), Some(Some(1)));
        assert_eq!(decided(&[v(true), None]), Some(Some(0)));
        assert_eq!(decided(&[v(false), v(false)]), Some(None));
    }
}
