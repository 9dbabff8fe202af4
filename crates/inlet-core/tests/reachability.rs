//! The reachability check after a failed connection, provoked for real on 127.0.0.1: listeners
//! that accept (a TCP listener's backlog completes the handshake without `accept`), ports with
//! nothing behind them, and `connect_to` to put the server's ports and the well-known hosts there.

mod common;

use common::*;
use inlet_core::account::Security;
use inlet_core::config::{ConnectTo, ReachabilityLimits};
use inlet_core::progress::NoProgress;
use inlet_core::reachability::{ProbeOutcome, Verdict};
use inlet_core::{DiagnosisCode, Engine, EngineConfig};
use inlet_testkit::faults::closed_port;
use std::net::{Ipv4Addr, TcpListener};
use std::time::Duration;

const MAIL_HOST: &str = "mail.example.test";
const WEB_HOST: &str = "www.example-reference.test";

fn listener() -> (TcpListener, u16) {
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = l.local_addr().unwrap().port();
    (l, port)
}

fn to(host: &str, port: u16, to_port: u16) -> ConnectTo {
    ConnectTo { host: host.into(), port, to_host: "127.0.0.1".into(), to_port }
}

/// An engine whose mail host and reference host go where `connect_to` says, with the usual port
/// list (IMAP, POP3, submission, SMTP, HTTPS).
fn engine(dir: &std::path::Path, connect_to: Vec<ConnectTo>, reference_hosts: Vec<String>) -> Engine {
    Engine::new(EngineConfig {
        data_dir: Some(dir.to_path_buf()),
        extra_ca_files: vec![pki().ca_pem_path().to_path_buf()],
        keychain_service: format!("inlet-test-{}", std::process::id()),
        deadlines: short_deadlines(),
        connect_to,
        reachability: ReachabilityLimits { reference_hosts, deadline: Duration::from_secs(2), ..Default::default() },
        ..Default::default()
    })
    .unwrap()
}

#[tokio::test]
async fn a_closed_port_on_a_server_that_answers_on_another_is_a_blocked_port() {
    let (_https, https_port) = listener();
    let (_reference, reference_port) = listener();
    let nothing = closed_port();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(
        dir.path(),
        // The first matching entry wins: 443 answers, every other port of the host is closed.
        vec![to(MAIL_HOST, 443, https_port), to(MAIL_HOST, 0, nothing)],
        vec![format!("127.0.0.1:{reference_port}")],
    );
    let checked =
        engine.connect_reported(&request(ALICE, ALICE_PASSWORD, MAIL_HOST, 993, Security::Tls), &[], &NoProgress).await;
    let d = checked.outcome.expect_err("nothing listens on 993");
    assert_eq!(d.code, DiagnosisCode::ConnectionRefused, "{d:?}");
    let r = d.reachability.as_ref().expect("the reachability check ran");
    assert_eq!(r.verdict, Verdict::PortBlocked, "{r:?}");
    assert_eq!((r.failed.port, r.failed.result), (993, ProbeOutcome::Refused));
    let open: Vec<u16> = r.other_ports.iter().filter(|p| p.result == ProbeOutcome::Open).map(|p| p.port).collect();
    assert_eq!(open, vec![443]);
    // Every other mail port was asked, the failed one not twice.
    let asked: Vec<u16> = r.other_ports.iter().map(|p| p.port).collect();
    assert_eq!(asked, vec![143, 110, 995, 587, 465, 25, 443]);
    assert!(d.what_happened.contains("blocks port 993"), "{}", d.what_happened);
    assert!(d.evidence.iter().any(|e| e.contains("mail.example.test:443 answers")), "{:?}", d.evidence);
    // The report carries it too, as a value and in words.
    let json: serde_json::Value = serde_json::from_str(&checked.report.to_json()).unwrap();
    assert_eq!(json["diagnosis"]["reachability"]["verdict"], "port_blocked");
    assert!(checked.report.to_markdown().contains("reachability: the same server:"));
}

#[tokio::test]
async fn a_server_that_answers_on_no_port_while_other_hosts_do_is_down() {
    let (_reference, reference_port) = listener();
    let nothing = closed_port();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(
        dir.path(),
        vec![to(MAIL_HOST, 0, nothing), to(WEB_HOST, 443, reference_port)],
        vec![format!("{WEB_HOST}:443"), format!("127.0.0.1:{}", closed_port())],
    );
    let checked =
        engine.connect_reported(&request(ALICE, ALICE_PASSWORD, MAIL_HOST, 993, Security::Tls), &[], &NoProgress).await;
    let d = checked.outcome.expect_err("nothing listens");
    let r = d.reachability.as_ref().expect("the reachability check ran");
    assert_eq!(r.verdict, Verdict::ServerDown, "{r:?}");
    assert!(r.other_ports.iter().all(|p| p.result == ProbeOutcome::Refused), "{r:?}");
    assert_eq!(r.other_hosts[0].result, ProbeOutcome::Open);
    assert!(d.what_happened.contains("the server is down"), "{}", d.what_happened);
}

#[tokio::test]
async fn no_host_answering_at_all_is_offline() {
    let nothing = closed_port();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(
        dir.path(),
        vec![to(MAIL_HOST, 0, nothing), to(WEB_HOST, 0, closed_port())],
        vec![format!("{WEB_HOST}:443"), format!("127.0.0.1:{}", closed_port())],
    );
    let checked =
        engine.connect_reported(&request(ALICE, ALICE_PASSWORD, MAIL_HOST, 993, Security::Tls), &[], &NoProgress).await;
    let d = checked.outcome.expect_err("nothing listens");
    let r = d.reachability.as_ref().expect("the reachability check ran");
    assert_eq!(r.verdict, Verdict::Offline, "{r:?}");
    assert!(r.other_hosts.iter().all(|p| p.result != ProbeOutcome::Open), "{r:?}");
    assert!(d.what_happened.contains("offline"), "{}", d.what_happened);
}

/// A failure after the connection was made (here a wrong password) is no matter of reachability:
/// no probe runs and the diagnosis has no such field.
#[tokio::test]
async fn a_refused_password_runs_no_reachability_check() {
    let server =
        inlet_testkit::Dovecot::start(pki(), inlet_testkit::DovecotOptions::default()).expect("dovecot starts");
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path(), Vec::new(), vec![format!("127.0.0.1:{}", closed_port())]);
    let checked = engine
        .connect_reported(
            &request(ALICE, "not-the-password", "localhost", server.imaps_port(), Security::Tls),
            &[],
            &NoProgress,
        )
        .await;
    let d = checked.outcome.expect_err("wrong password");
    assert_eq!(d.code, DiagnosisCode::AuthenticationFailed);
    assert!(d.reachability.is_none());
    let json = serde_json::to_value(&d).unwrap();
    assert!(json.get("reachability").is_none(), "{json}");
}
