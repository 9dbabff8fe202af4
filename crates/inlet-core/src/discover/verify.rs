//! Verification: before discovery proposes a server, it connects to it without credentials
//! (connect, TLS or STARTTLS, greeting, capabilities) and reads how it lets clients sign in, so
//! the wizard can say "verified" and pre-select a sign-in method the server really offers.

use crate::tr;
use std::time::{Duration, Instant};

use futures::future::{BoxFuture, Shared};
use futures::stream::{FuturesUnordered, StreamExt};
use futures::FutureExt;

use serde::{Deserialize, Serialize};

use super::proposal::{Candidate, DiscoveryEvent, SourceId, SourceReport, SourceStatus};
use super::sources::Found;
use super::trace::{StepStatus, TraceStep};
use super::Walk;
use crate::account::{Endpoint, Protocol, Security};
use crate::config::Deadlines;
use crate::diagnose::Diagnosis;
use crate::error::EngineError;
use crate::net::{Dial, Network};
use crate::progress::{NoProgress, Progress};
use crate::protocol::{self, imap, pop3, smtp};

/// What a check without credentials found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    /// The server answered as the protocol says, over a connection whose certificate the system
    /// trusts (or unencrypted, when the endpoint says so).
    pub verified: bool,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elapsed_ms: u64,
    /// Plain words: "IMAP server answered over TLS; sign-in: PLAIN, LOGIN", or what went wrong.
    pub detail: String,
    /// SASL mechanisms the server advertises, upper-cased (IMAP LOGIN and POP3 USER/PASS are
    /// listed as "LOGIN" and "USER").
    pub auth_mechanisms: Vec<String>,
    /// A password can be used (PLAIN, LOGIN or USER/PASS offered).
    pub password: bool,
    /// Browser sign-in tokens are accepted (XOAUTH2 or OAUTHBEARER, RFC 7628).
    pub oauth2: bool,
    /// The server answered, but its certificate is not trusted: the user would have to look at
    /// it and decide.
    pub certificate_problem: bool,
}

/// Checks `endpoint` for `protocol`, within `limit` for the whole check.
pub async fn verify(protocol: Protocol, endpoint: &Endpoint, network: &Network, limit: Duration) -> Verification {
    let started = Instant::now();
    let deadlines = Deadlines::all(limit);
    let quiet = NoProgress;
    let progress = Progress::new(&quiet);
    let check = async {
        match protocol {
            Protocol::Imap => {
                let dial = Dial {
                    endpoint,
                    allow_plaintext_password: true,
                    network,
                    trusted: &[],
                    deadlines: &deadlines,
                    progress: &progress,
                };
                let connected = imap::connect(&dial).await?;
                let caps = &connected.capabilities;
                let mut mechanisms = protocol::names(&caps.auth_mechanisms());
                // LOGIN is a command, not a SASL mechanism (RFC 3501 6.2.3), unless disabled.
                if !caps.login_disabled && !mechanisms.iter().any(|m| m == "LOGIN") {
                    mechanisms.push("LOGIN".into());
                }
                Ok::<_, EngineError>((mechanisms, connected.encrypted))
            }
            Protocol::Pop3 => {
                let offer = pop3::probe(endpoint, network, &deadlines, &progress).await?;
                let mut mechanisms = protocol::names(&offer.sasl_mechanisms);
                if offer.user_pass {
                    mechanisms.push("USER".into());
                }
                Ok((mechanisms, offer.encrypted))
            }
            Protocol::Smtp => {
                let offer = smtp::probe(endpoint, network, &deadlines, &progress).await?;
                Ok((protocol::names(&offer.auth_mechanisms), offer.encrypted))
            }
        }
    };
    let outcome = match tokio::time::timeout(limit, check).await {
        Ok(outcome) => outcome,
        Err(_) => Err(EngineError::TimedOut {
            stage: crate::progress::Stage::Greeting,
            target: endpoint.display(),
            seconds: limit.as_secs().max(1),
        }),
    };
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match outcome {
        Ok((auth_mechanisms, encrypted)) => {
            let has = |names: &[&str]| auth_mechanisms.iter().any(|m| names.contains(&m.as_str()));
            let password = has(&["PLAIN", "LOGIN", "USER"]);
            let oauth2 = has(&["XOAUTH2", "OAUTHBEARER"]);
            let how = if encrypted { endpoint.security.label() } else { Security::None.label() };
            let offered = if auth_mechanisms.is_empty() {
                // Submission servers may list AUTH only after STARTTLS or not at all (RFC 4954).
                tr!("eng-verify-no-sign-in-method")
            } else {
                tr!("eng-verify-sign-in-methods", methods = auth_mechanisms.join(", "))
            };
            Verification {
                verified: true,
                elapsed_ms,
                detail: tr!("eng-verify-answered", protocol = protocol.label(), security = how, offered = offered),
                auth_mechanisms,
                password,
                oauth2,
                certificate_problem: false,
            }
        }
        Err(e) => {
            let certificate_problem = matches!(e, EngineError::Certificate { .. });
            let d = Diagnosis::of(&e, None);
            Verification {
                verified: false,
                elapsed_ms,
                detail: format!("{}: {}", d.title, d.what_happened),
                auth_mechanisms: Vec::new(),
                password: false,
                oauth2: false,
                certificate_problem,
            }
        }
    }
}

/// One check of a candidate, started once and awaited by whoever needs it.
type Check<'n> = Shared<BoxFuture<'n, Verification>>;

/// Checks of candidates without credentials, each started once and shared: in the race a
/// source's best candidates are checked as soon as it answers, while better-ranked sources are
/// still awaited, so the final verification mostly finds its answers already there.
pub(crate) struct Checks<'n> {
    network: &'n Network,
    limit: Duration,
    started: Vec<((Protocol, Endpoint), Check<'n>)>,
}

impl<'n> Checks<'n> {
    pub(crate) fn new(network: &'n Network, limit: Duration) -> Checks<'n> {
        Checks { network, limit, started: Vec::new() }
    }

    pub(crate) fn check(&mut self, protocol: Protocol, endpoint: &Endpoint) -> Check<'n> {
        let key = (protocol, endpoint.clone());
        if let Some((_, check)) = self.started.iter().find(|(k, _)| *k == key) {
            return check.clone();
        }
        let (network, limit, endpoint) = (self.network, self.limit, endpoint.clone());
        let check = async move { verify(protocol, &endpoint, network, limit).await }.boxed().shared();
        self.started.push((key, check.clone()));
        check
    }

    /// The checks worth starting early for one source's answer: its first candidates per side.
    pub(crate) fn start_for(&mut self, found: &Found) -> Vec<Check<'n>> {
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

/// Checks the top candidates without credentials (guesses were checked already) and records
/// each check on its candidate. Returns the checks' trace. In the race every check runs at once
/// (most started early); the sequential walk checks one candidate at a time and stops at the
/// first that answers on each side, as a client walking one by one would.
pub(crate) async fn verify_candidates(
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

/// The "Checking the servers" line: the checks made now, and the proposed servers that were
/// checked while guessing (`host:port`, answered, milliseconds). None when nothing was checked.
pub(crate) fn verification_report(
    checked: &[TraceStep],
    checked_before: &[(String, bool, u64)],
) -> Option<SourceReport> {
    if checked.is_empty() && checked_before.is_empty() {
        return None;
    }
    let ok = checked.iter().filter(|s| s.status == StepStatus::Found).count();
    let ok_before = checked_before.iter().filter(|(_, verified, _)| *verified).count();
    let mut parts = Vec::new();
    if !checked.is_empty() {
        parts.push(tr!("eng-checks-answered", ok = ok, total = checked.len()));
    }
    if !checked_before.is_empty() {
        let names: Vec<&str> = checked_before.iter().map(|(name, _, _)| name.as_str()).collect();
        parts.push(tr!("eng-checks-while-guessing", servers = names.join(", ")));
    }
    Some(SourceReport {
        source: SourceId::Verification,
        label: SourceId::Verification.label(),
        status: if ok + ok_before > 0 { SourceStatus::Found } else { SourceStatus::Failed },
        // The longest check: most start while the sources are still answering, so the time
        // since the race ended would understate them.
        elapsed_ms: checked.iter().map(|s| s.elapsed_ms).chain(checked_before.iter().map(|c| c.2)).max().unwrap_or(0),
        summary: parts.join("; "),
    })
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
        assert_eq!(r.summary, "0 of 1 server answered; imap.example.test:993 checked while trying usual names");

        let r = verification_report(&[check("IMAP imap.example.test:993", false, 10)], &[]).unwrap();
        assert_eq!((r.status, r.summary.as_str()), (SourceStatus::Failed, "0 of 1 server answered"));
    }

    /// The line reads in German, with the plural the count asks for.
    #[test]
    fn the_checks_line_reads_in_german() {
        use crate::i18n::{with_language, Language};
        let checks = [check("IMAP imap.example.test:993", true, 10), check("SMTP mail.example.test:465", false, 20)];
        let r = with_language(Language::De, || verification_report(&checks, &[])).unwrap();
        assert_eq!((r.label.as_str(), r.summary.as_str()), ("Server prüfen", "1 von 2 Servern haben geantwortet"));
        let r = with_language(Language::De, || verification_report(&checks[..1], &[])).unwrap();
        assert_eq!(r.summary, "1 von 1 Server hat geantwortet");
    }
}
