//! The reachability check: when a connection fails (refused, timed out, no route), which of
//! "this network blocks the port", "the server is down" and "this computer is offline" it is.
//! The server is asked again on the failed port, on its other mail ports and on HTTPS, and a few
//! well-known hosts are asked too; every probe is a plain TCP connection (nothing is sent), has
//! its own deadline, and all of them run at once.

use crate::account::host_port;
use crate::config::{Deadlines, ReachabilityLimits};
use crate::diagnose::{Diagnosis, DiagnosisCode};
use crate::error::EngineError;
use crate::net::{connect_tcp, Network};
use crate::progress::{NoProgress, Progress, Stage};
use crate::tr;
use futures::future::join_all;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// How one probe ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ProbeOutcome {
    /// A TCP connection was made: something listens there and the path is open.
    Open,
    /// The host (or something on the way) answered that nothing listens there.
    Refused,
    /// No answer within the deadline: dropped on the way, or the host is off.
    TimedOut,
    /// No route to the host (the network said so at once).
    Unreachable,
    /// The name does not lead to an address.
    NotFound,
}

impl ProbeOutcome {
    fn label(self) -> String {
        match self {
            ProbeOutcome::Open => tr!("eng-probe-open"),
            ProbeOutcome::Refused => tr!("eng-probe-refused"),
            ProbeOutcome::TimedOut => tr!("eng-probe-timed-out"),
            ProbeOutcome::Unreachable => tr!("eng-probe-unreachable"),
            ProbeOutcome::NotFound => tr!("eng-probe-not-found"),
        }
    }
}

/// One probe: `host:port` and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Probe {
    pub host: String,
    pub port: u16,
    pub result: ProbeOutcome,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elapsed_ms: u64,
}

/// What the probes tell, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The failed port answers now: the failure was passing.
    AnswersNow,
    /// The server answers on another port but not on this one: this network (or a firewall on
    /// the way) blocks the port, or the server does not offer mail on it.
    PortBlocked,
    /// The server answers on no port, while other hosts answer: the server is down (or its
    /// name leads to the wrong address).
    ServerDown,
    /// No host answers at all: this computer is offline, or every connection out is blocked.
    Offline,
    /// The server answers on no port and no other host was asked.
    Unknown,
}

/// The result of the check, attached to the diagnosis of the failed connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Reachability {
    pub verdict: Verdict,
    /// The port that failed, asked again.
    pub failed: Probe,
    /// The server's other ports.
    pub other_ports: Vec<Probe>,
    /// The well-known hosts.
    pub other_hosts: Vec<Probe>,
    /// Plain words: what the probes show.
    pub explanation: String,
}

/// Whether a failure is one the check can explain: the connection itself did not happen.
pub(crate) fn applies_to(d: &Diagnosis) -> bool {
    match d.code {
        DiagnosisCode::ConnectionRefused | DiagnosisCode::NetworkUnreachable => true,
        DiagnosisCode::TimedOut => d.stage == Some(Stage::Connecting),
        _ => false,
    }
}

/// Asks `host` on `failed_port` again and on the other ports of `limits`, and the reference
/// hosts, all at once. Connections go through `network`, so the configured DNS server and
/// `connect_to` overrides apply, as they did to the failed connection.
pub async fn check(network: &Network, host: &str, failed_port: u16, limits: &ReachabilityLimits) -> Reachability {
    let other_ports: Vec<u16> = limits.ports.iter().copied().filter(|p| *p != failed_port).collect();
    let references: Vec<(String, u16)> = limits.reference_hosts.iter().filter_map(|h| split_host_port(h)).collect();
    let failed = probe(network, host, failed_port, limits.deadline);
    let server = join_all(other_ports.iter().map(|port| probe(network, host, *port, limits.deadline)));
    let others = join_all(references.iter().map(|(h, port)| probe(network, h, *port, limits.deadline)));
    let (failed, other_ports, other_hosts) = tokio::join!(failed, server, others);
    let verdict = if failed.result == ProbeOutcome::Open {
        Verdict::AnswersNow
    } else if other_ports.iter().any(|p| p.result == ProbeOutcome::Open) {
        Verdict::PortBlocked
    } else if other_hosts.is_empty() {
        Verdict::Unknown
    } else if other_hosts.iter().any(|p| p.result == ProbeOutcome::Open) {
        Verdict::ServerDown
    } else {
        Verdict::Offline
    };
    let explanation = explain(verdict, host, failed_port, &other_ports);
    Reachability { verdict, failed, other_ports, other_hosts, explanation }
}

fn explain(verdict: Verdict, host: &str, port: u16, other_ports: &[Probe]) -> String {
    let open: Vec<String> =
        other_ports.iter().filter(|p| p.result == ProbeOutcome::Open).map(|p| p.port.to_string()).collect();
    match verdict {
        Verdict::AnswersNow => tr!("eng-reach-answers-now", server = host_port(host, port)),
        // The port as a string: a number would be formatted for the language ("1.234").
        Verdict::PortBlocked => {
            tr!("eng-reach-port-blocked", host = host, open = open.join(", "), port = port.to_string())
        }
        Verdict::ServerDown => tr!("eng-reach-server-down", host = host),
        Verdict::Offline => tr!("eng-reach-offline"),
        Verdict::Unknown => tr!("eng-reach-unknown", host = host),
    }
}

/// One TCP connection within `deadline` (name lookup included); nothing is sent.
async fn probe(network: &Network, host: &str, port: u16, deadline: Duration) -> Probe {
    let started = Instant::now();
    let quiet = NoProgress;
    let progress = Progress::new(&quiet);
    let deadlines = Deadlines::all(deadline);
    let outcome = match tokio::time::timeout(deadline, connect_tcp(network, host, port, &deadlines, &progress)).await {
        Ok(Ok(_connected)) => ProbeOutcome::Open,
        Ok(Err(EngineError::ConnectionRefused { .. })) => ProbeOutcome::Refused,
        Ok(Err(EngineError::HostNotFound { .. })) => ProbeOutcome::NotFound,
        Ok(Err(EngineError::TimedOut { .. })) | Err(_) => ProbeOutcome::TimedOut,
        Ok(Err(_)) => ProbeOutcome::Unreachable,
    };
    Probe { host: host.to_owned(), port, result: outcome, elapsed_ms: started.elapsed().as_millis() as u64 }
}

/// `host:port`, `[v6]:port` or `v4:port`.
fn split_host_port(text: &str) -> Option<(String, u16)> {
    let (host, port) = text.trim().rsplit_once(':')?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    (!host.is_empty()).then_some(())?;
    Some((host.to_owned(), port.parse().ok().filter(|p| *p != 0)?))
}

impl Reachability {
    /// One line per group of probes, for the diagnosis' evidence.
    pub fn evidence(&self) -> Vec<String> {
        let list = |probes: &[Probe]| {
            probes.iter().map(|p| format!("{} {}", host_port(&p.host, p.port), p.result.label())).collect::<Vec<_>>()
        };
        let mut lines = vec![tr!(
            "eng-reach-evidence-again",
            server = host_port(&self.failed.host, self.failed.port),
            result = self.failed.result.label()
        )];
        if !self.other_ports.is_empty() {
            lines.push(tr!("eng-reach-evidence-same-server", probes = list(&self.other_ports).join(", ")));
        }
        if !self.other_hosts.is_empty() {
            lines.push(tr!("eng-reach-evidence-other-hosts", probes = list(&self.other_hosts).join(", ")));
        }
        lines
    }
}

impl Diagnosis {
    /// The diagnosis with what the reachability check found: the verdict in its explanation,
    /// the probes in its evidence and as a value.
    pub(crate) fn with_reachability(mut self, reachability: Reachability) -> Diagnosis {
        self.what_happened = format!("{} {}", self.what_happened, reachability.explanation);
        self.evidence.extend(reachability.evidence());
        self.reachability = Some(reachability);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_hosts_are_read_as_host_and_port() {
        assert_eq!(split_host_port("1.1.1.1:443"), Some(("1.1.1.1".into(), 443)));
        assert_eq!(split_host_port("[2606:4700::1111]:443"), Some(("2606:4700::1111".into(), 443)));
        assert_eq!(split_host_port("www.example.com:80"), Some(("www.example.com".into(), 80)));
        assert_eq!(split_host_port("www.example.com"), None);
        assert_eq!(split_host_port(":443"), None);
        assert_eq!(split_host_port("host:0"), None);
    }
}
