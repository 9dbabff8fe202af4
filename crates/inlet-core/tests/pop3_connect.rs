//! The POP3 slice against a real Dovecot: implicit TLS and STLS, SASL PLAIN, username fallback,
//! STAT, certificates, deadlines, refusals before any password is sent, and the probe for an IMAP
//! server at the same provider. Every failure is produced for real; the one scripted server
//! below plays what Dovecot cannot be configured to do (no CAPA, hanging up after a refusal).

mod common;

use common::*;
use inlet_core::account::{Endpoint, IncomingServer, MailboxKind, Protocol, Security};
use inlet_core::discover::alternative;
use inlet_core::error::EngineError;
use inlet_core::net::{Dial, Network};
use inlet_core::pop3;
use inlet_core::progress::{Progress, ProgressEvent, Stage, StageState};
use inlet_core::secrets::Credentials;
use inlet_core::{ConnectRequest, Deadlines, DiagnosisCode};
use inlet_testkit::{faults, CaptureProxy, CertKind, DelayProxy, Dovecot, DovecotOptions};
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const MESSAGES: usize = 7;

fn dovecot(opts: DovecotOptions) -> Dovecot {
    Dovecot::start(pki(), DovecotOptions { inbox_messages: MESSAGES, ..opts }).expect("dovecot starts")
}

fn pop3_request(email: &str, password: &str, host: &str, port: u16, security: Security) -> ConnectRequest {
    let mut req = request(email, password, host, port, security);
    req.settings.kind = MailboxKind::Pop3;
    req.settings.incoming = IncomingServer::Pop3(req.settings.incoming.settings().clone());
    req
}

fn tls() -> Network {
    Network::new(&[pki().ca_pem_path()]).expect("TLS context with the test CA")
}

fn endpoint(host: &str, port: u16, security: Security) -> Endpoint {
    Endpoint { host: host.into(), port, security }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// `pop3::check` with the engine's defaults, for the tests that need finer control than
/// `Engine::connect` gives.
async fn check(
    endpoint: &Endpoint,
    allow_plaintext: bool,
    usernames: &[String],
    password: &str,
    deadlines: &Deadlines,
    rec: &Recorder,
) -> Result<pop3::Pop3Report, EngineError> {
    let (progress, network) = (Progress::new(rec), tls());
    let dial = Dial {
        endpoint,
        allow_plaintext_password: allow_plaintext,
        network: &network,
        trusted: &[],
        deadlines,
        progress: &progress,
    };
    pop3::check(&dial, usernames, &Credentials::password(password)).await
}

fn position(events: &[ProgressEvent], stage: Stage, state: StageState) -> usize {
    events.iter().position(|e| e.stage == stage && e.state == state).unwrap_or_else(|| {
        panic!("no {stage:?} {state:?} in {:?}", events.iter().map(|e| (e.stage, e.state)).collect::<Vec<_>>())
    })
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

// ---- signing in -------------------------------------------------------------------------------

#[tokio::test]
async fn tls_sign_in_counts_the_inbox_through_the_service() {
    let server = dovecot(DovecotOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let started = Instant::now();
    let report = engine(dir.path())
        .connect(&pop3_request(ALICE, ALICE_PASSWORD, "localhost", server.pop3s_port(), Security::Tls), &rec)
        .await
        .expect("connects over POP3 with TLS");
    eprintln!("POP3 TLS check through the service: {:?}", started.elapsed());
    assert_eq!(report.protocol, Protocol::Pop3);
    assert_eq!(report.username_used, ALICE);
    assert!(report.encrypted);
    assert_eq!(report.message_count, Some(MESSAGES as u32));
    assert!(
        report.capabilities.iter().any(|c| c.starts_with("SASL") && c.contains("PLAIN")),
        "{:?}",
        report.capabilities
    );
    // POP3 has only the inbox.
    assert_eq!(report.folders.folders.len(), 1);
    assert_eq!(report.folders.folders[0].raw_name, "INBOX");
    assert_eq!(report.folders.folders[0].messages, Some(MESSAGES as u32));

    let events = rec.events();
    let order = [
        (Stage::Tls, StageState::Done),
        (Stage::Greeting, StageState::Done),
        (Stage::Capabilities, StageState::Done),
        (Stage::SigningIn, StageState::Done),
        (Stage::CheckingMailbox, StageState::Done),
    ];
    let at: Vec<usize> = order.iter().map(|(s, st)| position(&events, *s, *st)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "stages out of order: {order:?} at {at:?}");
    let target = format!("localhost:{}", server.pop3s_port());
    assert!(events.iter().any(|e| e.stage == Stage::SigningIn
        && e.detail.as_deref() == Some(&format!("signed in as {ALICE}"))
        && e.target.as_deref() == Some(&target)));
    let stat = &events[position(&events, Stage::CheckingMailbox, StageState::Done)];
    assert!(stat.detail.as_deref().unwrap().starts_with("7 messages"), "{:?}", stat.detail);
    // The IMAP probe ran alongside and said what it found, in plain words.
    position(&events, Stage::LookingForImap, StageState::Started);
    let looked = &events[position(&events, Stage::LookingForImap, StageState::Done)];
    assert!(looked.detail.is_some());
}

#[tokio::test]
async fn stls_upgrades_and_reads_capabilities_again_before_signing_in() {
    let server = dovecot(DovecotOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let report = engine(dir.path())
        .connect(&pop3_request(ALICE, ALICE_PASSWORD, "localhost", server.pop3_port(), Security::Starttls), &rec)
        .await
        .expect("connects with STLS");
    assert!(report.encrypted);
    assert_eq!(report.message_count, Some(MESSAGES as u32));
    // Dovecot stops offering STLS once TLS is on: the capabilities reported are the ones read
    // again after the upgrade, not the ones learned in clear.
    assert!(!report.capabilities.iter().any(|c| c == "STLS"), "{:?}", report.capabilities);

    let events = rec.events();
    let stls = position(&events, Stage::Starttls, StageState::Done);
    let tls = position(&events, Stage::Tls, StageState::Done);
    let sign_in = position(&events, Stage::SigningIn, StageState::Started);
    assert!(stls < tls && tls < sign_in);
    let caps_read = events.iter().filter(|e| e.stage == Stage::Capabilities && e.state == StageState::Done).count();
    assert_eq!(caps_read, 2, "CAPA before and after STLS");
}

#[tokio::test]
async fn wrong_password_names_the_usernames_tried_and_the_servers_words() {
    let server = dovecot(DovecotOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let d = engine(dir.path())
        .connect(
            &pop3_request(ALICE, "not-the-password", "localhost", server.pop3s_port(), Security::Tls),
            &Recorder::default(),
        )
        .await
        .expect_err("wrong password fails");
    eprintln!("two refused sign-ins: {:?}", started.elapsed());
    assert_eq!(d.code, DiagnosisCode::AuthenticationFailed);
    assert_eq!(d.stage, Some(Stage::SigningIn));
    assert!(d.evidence.iter().any(|e| e.contains("alice@example.test, alice")), "{:?}", d.evidence);
    assert!(d.evidence.iter().any(|e| e.contains("[AUTH] Authentication failed.")), "{:?}", d.evidence);
    assert!(!format!("{d:?}").contains("not-the-password"), "the password leaked into the diagnosis");

    // The same through pop3::check: the typed error carries exactly what the diagnosis shows.
    let err = check(
        &endpoint("localhost", server.pop3s_port(), Security::Tls),
        false,
        &names(&[ALICE, "alice"]),
        "not-the-password",
        &Deadlines::default(),
        &Recorder::default(),
    )
    .await
    .expect_err("refused");
    match err {
        EngineError::AuthenticationFailed { tried, server_said, .. } => {
            assert_eq!(tried, names(&[ALICE, "alice"]));
            assert_eq!(server_said, "[AUTH] Authentication failed.");
        }
        other => panic!("expected AuthenticationFailed, got {other:?}"),
    }
}

#[tokio::test]
async fn falls_back_to_the_local_part_and_reports_it() {
    // Dovecot's user is "bob", the address bob@example.test: the full address fails, "bob" works.
    let server = dovecot(DovecotOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let report = engine(dir.path())
        .connect(&pop3_request("bob@example.test", "builder-7", "localhost", server.pop3s_port(), Security::Tls), &rec)
        .await
        .expect("connects as bob");
    assert_eq!(report.username_used, "bob");
    assert_eq!(report.message_count, Some(0), "bob's inbox is empty");
    let details: Vec<String> =
        rec.events().iter().filter(|e| e.stage == Stage::SigningIn).filter_map(|e| e.detail.clone()).collect();
    assert_eq!(details, names(&["as bob@example.test", "refused as bob@example.test", "as bob", "signed in as bob"]));
}

// ---- never a password in clear ------------------------------------------------------------

#[tokio::test]
async fn stls_not_offered_stops_before_the_password_crosses_the_wire() {
    let server = dovecot(DovecotOptions { starttls: false, ..Default::default() });
    let proxy = CaptureProxy::start(server.pop3_addr());
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let d = engine(dir.path())
        .connect(&pop3_request(ALICE, ALICE_PASSWORD, "127.0.0.1", proxy.port(), Security::Starttls), &rec)
        .await
        .expect_err("no STLS, no sign-in");
    assert_eq!(d.code, DiagnosisCode::StarttlsNotOffered);
    assert_eq!(d.stage, Some(Stage::Starttls));

    let sent = proxy.client_bytes();
    assert!(contains(&sent, "CAPA"), "the check did talk POP3 through the proxy: {:?}", String::from_utf8_lossy(&sent));
    assert!(contains(&proxy.server_bytes(), "+OK"), "Dovecot answered through the proxy");
    for secret in [ALICE_PASSWORD, "PASS", "AUTH", "USER"] {
        assert!(!contains(&sent, secret), "{secret:?} crossed the wire: {:?}", String::from_utf8_lossy(&sent));
    }
    assert!(!rec.events().iter().any(|e| e.stage == Stage::SigningIn), "no sign-in was even started");
}

#[tokio::test]
async fn no_password_goes_over_plain_text_without_consent() {
    let server = dovecot(DovecotOptions::default());
    let proxy = CaptureProxy::start(server.pop3_addr());
    let plain = endpoint("127.0.0.1", proxy.port(), Security::None);

    // The engine refuses at the door...
    let dir = tempfile::tempdir().unwrap();
    let d = engine(dir.path())
        .connect(&pop3_request(ALICE, ALICE_PASSWORD, "127.0.0.1", proxy.port(), Security::None), &Recorder::default())
        .await
        .expect_err("refused without consent");
    assert_eq!(d.code, DiagnosisCode::PlaintextNotConfirmed);

    // ...and pop3::check refuses on its own too, before any password is sent.
    let err = check(&plain, false, &names(&[ALICE]), ALICE_PASSWORD, &Deadlines::default(), &Recorder::default())
        .await
        .expect_err("refused without consent");
    assert!(matches!(err, EngineError::PlaintextNotConfirmed { .. }), "{err:?}");
    assert!(!contains(&proxy.client_bytes(), ALICE_PASSWORD));

    // With explicit consent it works (Dovecot allows plaintext on loopback).
    let report = check(&plain, true, &names(&[ALICE]), ALICE_PASSWORD, &Deadlines::default(), &Recorder::default())
        .await
        .expect("connects when the user chose it");
    assert!(!report.encrypted);
    assert_eq!(report.message_count, MESSAGES as u32);
}

// ---- certificates -----------------------------------------------------------------------------

async fn certificate_failure(kind: CertKind, security: Security) -> inlet_core::Diagnosis {
    let server = dovecot(DovecotOptions { cert: kind, ..Default::default() });
    let port = if security == Security::Tls { server.pop3s_port() } else { server.pop3_port() };
    let dir = tempfile::tempdir().unwrap();
    engine(dir.path())
        .connect(&pop3_request(ALICE, ALICE_PASSWORD, "localhost", port, security), &Recorder::default())
        .await
        .expect_err("certificate refused")
}

#[tokio::test]
async fn untrusted_certificate_is_shown_not_accepted() {
    let d = certificate_failure(CertKind::Untrusted, Security::Tls).await;
    assert_eq!((d.code, d.stage), (DiagnosisCode::CertificateUntrusted, Some(Stage::Tls)));
    let cert = d.certificate.expect("certificate details");
    assert!(cert.self_signed);
    assert!(cert.names.iter().any(|n| n == "localhost"));
}

#[tokio::test]
async fn expired_certificate_after_stls_has_its_own_diagnosis() {
    let d = certificate_failure(CertKind::Expired, Security::Starttls).await;
    assert_eq!((d.code, d.stage), (DiagnosisCode::CertificateExpired, Some(Stage::Tls)));
    assert!(d.certificate.expect("certificate details").not_after.starts_with("2021-01-01"));
}

// ---- servers that misbehave ---------------------------------------------------------------

#[tokio::test]
async fn a_silent_server_times_out_at_the_greeting() {
    let silent = faults::SilentServer::start();
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let d = engine_with(dir.path(), short_deadlines())
        .connect(
            &pop3_request(ALICE, ALICE_PASSWORD, "127.0.0.1", silent.port(), Security::Starttls),
            &Recorder::default(),
        )
        .await
        .expect_err("silent server fails");
    assert_eq!((d.code, d.stage), (DiagnosisCode::TimedOut, Some(Stage::Greeting)));
    // 1.5 s deadline; the IMAP probe alongside is bounded by the same connect deadline. The stage
    // says which deadline fired; the bound is generous, for a busy machine.
    assert!(started.elapsed() < Duration::from_secs(15), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn garbage_or_a_refusal_instead_of_a_greeting_is_diagnosed() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with(dir.path(), short_deadlines());
    let connect = |port: u16| {
        let engine = engine.clone();
        async move {
            engine
                .connect(
                    &pop3_request(ALICE, ALICE_PASSWORD, "127.0.0.1", port, Security::Starttls),
                    &Recorder::default(),
                )
                .await
                .expect_err("not a POP3 server")
        }
    };

    let garbage = faults::GreetingThenSilence::start("garbage \x01\x02 not pop3\r\n");
    let d = connect(garbage.port()).await;
    assert_eq!((d.code, d.stage), (DiagnosisCode::ProtocolError, Some(Stage::Greeting)));
    assert!(d.evidence.iter().any(|e| e.contains("garbage")), "{:?}", d.evidence);

    let refusing = faults::GreetingThenSilence::start("-ERR too many connections from your address\r\n");
    let d = connect(refusing.port()).await;
    assert_eq!((d.code, d.stage), (DiagnosisCode::TooManyConnections, Some(Stage::Greeting)));
    assert!(d.evidence.iter().any(|e| e.contains("too many connections")), "{:?}", d.evidence);

    // An IMAP server on the POP3 port is not mistaken for POP3.
    let imap = faults::GreetingThenSilence::start("* OK IMAP4rev1 ready\r\n");
    assert_eq!(connect(imap.port()).await.code, DiagnosisCode::ProtocolError);

    // A line that never ends fails as soon as it is too long, not when the deadline runs out:
    // a protocol error, not a timeout, says which happened.
    let endless = faults::GreetingThenSilence::start(&"x".repeat(100_000));
    let d = connect(endless.port()).await;
    assert_eq!((d.code, d.stage), (DiagnosisCode::ProtocolError, Some(Stage::Greeting)));
}

#[tokio::test]
async fn a_server_that_closes_at_once_is_diagnosed() {
    let server = faults::CloseAtOnce::start();
    let dir = tempfile::tempdir().unwrap();
    let d = engine_with(dir.path(), short_deadlines())
        .connect(
            &pop3_request(ALICE, ALICE_PASSWORD, "127.0.0.1", server.port(), Security::Starttls),
            &Recorder::default(),
        )
        .await
        .expect_err("fails");
    assert_eq!((d.code, d.stage), (DiagnosisCode::ConnectionClosed, Some(Stage::Greeting)));
}

/// A POP3 server of the RFC 1939 kind, scripted: no CAPA, USER/PASS only, and it hangs up after
/// every refused password (which RFC 1939 allows and some servers do). Accepts bob / builder-7.
struct OldPop3 {
    port: u16,
    connections: Arc<AtomicUsize>,
}

fn old_pop3_server() -> OldPop3 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    // The thread ends with the test process; the listener is never dropped, which is fine for a test.
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let _ = stream.write_all(b"+OK POP3 server ready\r\n");
                let mut user = String::new();
                let mut line = String::new();
                while {
                    line.clear();
                    reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false)
                } {
                    let line = line.trim_end();
                    let (verb, arg) = line.split_once(' ').unwrap_or((line, ""));
                    let answer = match verb.to_ascii_uppercase().as_str() {
                        "USER" => {
                            user = arg.to_owned();
                            "+OK send PASS".to_owned()
                        }
                        "PASS" if user == "bob" && arg == "builder-7" => "+OK maildrop locked and ready".to_owned(),
                        "PASS" => {
                            let _ = stream.write_all(b"-ERR invalid password\r\n");
                            return; // hang up
                        }
                        "STAT" => "+OK 3 1200".to_owned(),
                        "QUIT" => {
                            let _ = stream.write_all(b"+OK bye\r\n");
                            return;
                        }
                        _ => "-ERR unknown command".to_owned(),
                    };
                    let _ = stream.write_all(format!("{answer}\r\n").as_bytes());
                }
            });
        }
    });
    OldPop3 { port, connections }
}

#[tokio::test]
async fn without_capa_user_pass_is_used_and_a_hang_up_after_a_refusal_means_a_new_connection() {
    let server = old_pop3_server();
    let rec = Recorder::default();
    let report = check(
        &endpoint("127.0.0.1", server.port, Security::None),
        true,
        &names(&["bob@example.test", "bob"]),
        "builder-7",
        &Deadlines::default(),
        &rec,
    )
    .await
    .expect("signs in as bob on a second connection");
    assert_eq!(report.username, "bob");
    assert_eq!((report.message_count, report.mailbox_octets), (3, 1200));
    assert!(report.capabilities.is_empty());
    assert_eq!(server.connections.load(Ordering::SeqCst), 2, "one connection per username");
    let events = rec.events();
    assert!(events
        .iter()
        .any(|e| e.stage == Stage::Capabilities && e.detail.as_deref().is_some_and(|d| d.contains("USER/PASS"))));
    assert!(events.iter().any(|e| e.detail.as_deref().is_some_and(|d| d.contains("connecting again"))));

    // Without CAPA a STLS request is still tried (it costs nothing secret), and its refusal stops us.
    let err = check(
        &endpoint("127.0.0.1", server.port, Security::Starttls),
        false,
        &names(&["bob"]),
        "builder-7",
        &Deadlines::default(),
        &rec,
    )
    .await
    .expect_err("no STLS");
    assert!(matches!(err, EngineError::StarttlsNotOffered { .. }), "{err:?}");

    // All usernames refused: every one is listed, with the server's words.
    let err = check(
        &endpoint("127.0.0.1", server.port, Security::None),
        true,
        &names(&["carol@example.test", "carol"]),
        "x",
        &Deadlines::default(),
        &rec,
    )
    .await
    .expect_err("refused");
    match err {
        EngineError::AuthenticationFailed { tried, server_said, .. } => {
            assert_eq!(tried, names(&["carol@example.test", "carol"]));
            assert_eq!(server_said, "invalid password");
        }
        other => panic!("expected AuthenticationFailed, got {other:?}"),
    }
}

// ---- IMAP at the same provider ------------------------------------------------------------

#[test]
fn imap_candidates_come_from_the_pop3_host_and_the_email_domain() {
    let tls = |h: &str| endpoint(h, 993, Security::Tls);
    let starttls = |h: &str| endpoint(h, 143, Security::Starttls);
    assert_eq!(
        alternative::imap_candidates("pop.example.com", "example.com"),
        vec![
            tls("imap.example.com"),
            tls("pop.example.com"),
            starttls("imap.example.com"),
            starttls("pop.example.com")
        ],
        "imap.<domain> and the POP3 host's sibling are the same name here: probed once"
    );
    assert_eq!(
        alternative::imap_candidates("POP3.Mail.Example.NET.", "example.org"),
        vec![
            tls("imap.example.org"),
            tls("imap.mail.example.net"),
            tls("pop3.mail.example.net"),
            starttls("imap.example.org"),
            starttls("imap.mail.example.net"),
            starttls("pop3.mail.example.net"),
        ]
    );
    assert_eq!(
        alternative::imap_candidates("mail.provider.net", "example.com"),
        vec![
            tls("imap.example.com"),
            tls("mail.provider.net"),
            starttls("imap.example.com"),
            starttls("mail.provider.net")
        ]
    );
    assert_eq!(
        alternative::imap_candidates("127.0.0.1", "example.test"),
        vec![tls("imap.example.test"), tls("127.0.0.1"), starttls("imap.example.test"), starttls("127.0.0.1")],
        "an address gets no imap. prefix"
    );
}

#[tokio::test]
async fn the_imap_probe_finds_dovecots_imap_and_prefers_tls() {
    let server = dovecot(DovecotOptions::default());
    let closed = faults::closed_port();
    let imaps = endpoint("localhost", server.imaps_port(), Security::Tls);
    let imap = endpoint("localhost", server.imap_port(), Security::Starttls);
    let deadlines = Deadlines::default();

    // A closed port fails at once and the next candidate starts without waiting for the stagger.
    let rec = Recorder::default();
    let started = Instant::now();
    let found = alternative::probe_imap_candidates(
        &[endpoint("localhost", closed, Security::Tls), imaps.clone(), imap.clone()],
        &tls(),
        &deadlines,
        &Progress::new(&rec),
    )
    .await;
    eprintln!("IMAP probe over three candidates: {:?}", started.elapsed());
    assert_eq!(found, Some(imaps.clone()));
    let events = rec.events();
    assert_eq!(
        events.iter().filter(|e| e.stage == Stage::LookingForImap).count(),
        2,
        "only Started and Done: the probes are quiet"
    );
    let done = &events[position(&events, Stage::LookingForImap, StageState::Done)];
    assert_eq!(done.target.as_deref(), Some(imaps.display().as_str()));
    assert!(done.detail.as_deref().unwrap().contains("(TLS)"), "{:?}", done.detail);

    // Preference, not speed: the TLS candidate behind 150 ms of latency answers long after the
    // STARTTLS one, and is still the answer.
    let slow = DelayProxy::start(server.imaps_addr(), Duration::from_millis(150));
    let slow_imaps = endpoint("localhost", slow.port(), Security::Tls);
    let started = Instant::now();
    let found = alternative::probe_imap_candidates(
        &[slow_imaps.clone(), imap.clone()],
        &tls(),
        &deadlines,
        &Progress::new(&Recorder::default()),
    )
    .await;
    eprintln!("IMAP probe waiting for the preferred, slower candidate: {:?}", started.elapsed());
    assert_eq!(found, Some(slow_imaps));
    assert!(started.elapsed() > Duration::from_millis(600), "the slow one really was slower");

    // STARTTLS alone is found too (the upgrade and its certificate are checked, not just the port).
    let found = alternative::probe_imap_candidates(
        std::slice::from_ref(&imap),
        &tls(),
        &deadlines,
        &Progress::new(&Recorder::default()),
    )
    .await;
    assert_eq!(found, Some(imap));

    // POP3 is not IMAP.
    let pop = endpoint("localhost", server.pop3s_port(), Security::Tls);
    assert_eq!(
        alternative::probe_imap_candidates(&[pop], &tls(), &deadlines, &Progress::new(&Recorder::default())).await,
        None
    );
}

#[tokio::test]
async fn the_imap_probe_never_takes_longer_than_the_connect_deadline() {
    let server = dovecot(DovecotOptions::default());
    let hanging = faults::SilentServer::start();
    let deadlines = short_deadlines();
    let imaps = endpoint("localhost", server.imaps_port(), Security::Tls);

    // A better candidate that never answers: the working one is still returned, at the deadline.
    let started = Instant::now();
    let found = alternative::probe_imap_candidates(
        &[endpoint("127.0.0.1", hanging.port(), Security::Tls), imaps.clone()],
        &tls(),
        &deadlines,
        &Progress::new(&Recorder::default()),
    )
    .await;
    assert_eq!(found, Some(imaps));
    assert!(started.elapsed() < deadlines.connect + Duration::from_secs(10), "took {:?}", started.elapsed());

    // Nothing that works: None, in plain words, within the deadline.
    let rec = Recorder::default();
    let started = Instant::now();
    let found = alternative::probe_imap_candidates(
        &[endpoint("127.0.0.1", hanging.port(), Security::Starttls)],
        &tls(),
        &deadlines,
        &Progress::new(&rec),
    )
    .await;
    assert_eq!(found, None);
    assert!(started.elapsed() < deadlines.connect + Duration::from_secs(10), "took {:?}", started.elapsed());
    let events = rec.events();
    let done = &events[position(&events, Stage::LookingForImap, StageState::Done)];
    assert!(done.detail.as_deref().unwrap().starts_with("no IMAP server answered"), "{:?}", done.detail);
}

#[tokio::test]
async fn the_imap_probe_does_not_offer_a_server_with_an_untrusted_certificate() {
    let server = dovecot(DovecotOptions { cert: CertKind::Untrusted, ..Default::default() });
    let found = alternative::probe_imap_candidates(
        &[
            endpoint("localhost", server.imaps_port(), Security::Tls),
            endpoint("localhost", server.imap_port(), Security::Starttls),
        ],
        &tls(),
        &Deadlines::default(),
        &Progress::new(&Recorder::default()),
    )
    .await;
    assert_eq!(found, None);
}
