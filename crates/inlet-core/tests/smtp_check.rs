//! The outgoing (SMTP submission) slice against a real SMTP server (aiosmtpd, started by
//! inlet-testkit) beside a real Dovecot for the incoming side: STARTTLS, implicit TLS, sign-in,
//! certificates and pins, refusals, deadlines, and the test message arriving. Every failure is
//! produced for real.

mod common;

use base64::Engine as _;
use common::*;
use inlet_core::account::{Endpoint, OutgoingSettings, Security, Side, TrustedCertificate};
use inlet_core::net::{Dial, Network};
use inlet_core::progress::{Progress, Stage, StageState};
use inlet_core::secrets::Credentials;
use inlet_core::{smtp, ConnectRequest, DiagnosisCode};
use inlet_testkit::{faults, CaptureProxy, CertKind, Dovecot, SmtpOptions, SmtpServer};
use std::time::{Duration, Instant};

fn smtp_server(opts: SmtpOptions) -> SmtpServer {
    SmtpServer::start(pki(), opts).expect("the SMTP test server starts (needs python3 -m pip install aiosmtpd)")
}

fn dovecot() -> Dovecot {
    Dovecot::start(pki(), Default::default()).expect("dovecot starts")
}

/// Alice's mailbox: IMAP over TLS at the Dovecot, outgoing at `port` with `security`.
fn with_outgoing(incoming: &Dovecot, port: u16, security: Security) -> ConnectRequest {
    let mut req = request(ALICE, ALICE_PASSWORD, "localhost", incoming.imaps_port(), Security::Tls);
    req.settings.outgoing = Some(OutgoingSettings {
        endpoint: Endpoint { host: "localhost".into(), port, security },
        username: None,
        same_password: true,
        allow_plaintext_password: false,
    });
    req
}

fn outgoing_events(rec: &Recorder) -> Vec<(Stage, StageState)> {
    rec.events().iter().filter(|e| e.side == Side::Outgoing).map(|e| (e.stage, e.state)).collect()
}

fn position(events: &[(Stage, StageState)], wanted: (Stage, StageState)) -> usize {
    events.iter().position(|e| *e == wanted).unwrap_or_else(|| panic!("no {wanted:?} in {events:?}"))
}

/// Calls the SMTP check directly (no incoming side), for the cases that need its exact inputs.
async fn check_directly(
    endpoint: Endpoint,
    allow_plaintext_password: bool,
    deadlines: inlet_core::Deadlines,
) -> Result<smtp::SmtpReport, inlet_core::error::EngineError> {
    let tls = Network::new(&[pki().ca_pem_path()]).unwrap();
    let rec = Recorder::default();
    let progress = Progress::new(&rec).for_side(Side::Outgoing);
    let dial = Dial {
        endpoint: &endpoint,
        allow_plaintext_password,
        network: &tls,
        trusted: &[],
        deadlines: &deadlines,
        progress: &progress,
    };
    smtp::check(&dial, &[ALICE.to_owned()], &Credentials::password(ALICE_PASSWORD)).await
}

/// What a client that leaked the password would have sent: the password itself, and the
/// base64 forms AUTH PLAIN and AUTH LOGIN would carry.
fn password_forms() -> Vec<Vec<u8>> {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s).into_bytes();
    vec![
        ALICE_PASSWORD.as_bytes().to_vec(),
        b64(ALICE_PASSWORD),
        b64(&format!("\0{ALICE}\0{ALICE_PASSWORD}")),
        b64(&format!("{ALICE}\0{ALICE}\0{ALICE_PASSWORD}")),
    ]
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn starttls_check_runs_beside_the_incoming_check() {
    let (incoming, outgoing) = (dovecot(), smtp_server(SmtpOptions::default()));
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let report = engine(dir.path())
        .connect(&with_outgoing(&incoming, outgoing.smtp_port(), Security::Starttls), &rec)
        .await
        .expect("incoming and outgoing both work");
    let out = report.outgoing.expect("the outgoing report is filled");
    assert!(out.encrypted);
    assert_eq!(out.username_used, ALICE);
    assert_eq!(out.address, outgoing.smtp_addr().to_string());
    assert!(out.auth_mechanisms.contains(&"PLAIN".to_owned()), "{:?}", out.auth_mechanisms);
    assert!(out.auth_mechanisms.contains(&"LOGIN".to_owned()), "{:?}", out.auth_mechanisms);
    // After TLS the server no longer offers STARTTLS, and now offers AUTH (RFC 3207 4.2).
    assert!(!out.extensions.iter().any(|e| e == "STARTTLS"), "{:?}", out.extensions);
    assert!(out.extensions.iter().any(|e| e.starts_with("AUTH ")), "{:?}", out.extensions);
    assert_eq!(report.username_used, ALICE, "the incoming side was checked too");

    // Both sides reported progress; the outgoing side upgraded before it signed in.
    let events = outgoing_events(&rec);
    assert!(rec.events().iter().any(|e| e.side == Side::Incoming && e.stage == Stage::ListingFolders));
    let starttls = position(&events, (Stage::Starttls, StageState::Done));
    let tls = position(&events, (Stage::Tls, StageState::Done));
    let sign_in = position(&events, (Stage::SigningIn, StageState::Started));
    assert!(starttls < tls && tls < sign_in, "{events:?}");
    assert!(events.contains(&(Stage::SigningIn, StageState::Done)));
    assert!(rec.events().iter().any(
        |e| e.side == Side::Outgoing && e.target.as_deref() == Some(&format!("localhost:{}", outgoing.smtp_port()))
    ));

    assert!(outgoing.received().is_empty(), "checking must not send mail");
}

#[tokio::test]
async fn implicit_tls_check_runs_beside_the_incoming_check() {
    let (incoming, outgoing) = (dovecot(), smtp_server(SmtpOptions::default()));
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let report = engine(dir.path())
        .connect(&with_outgoing(&incoming, outgoing.smtps_port(), Security::Tls), &rec)
        .await
        .expect("connects");
    let out = report.outgoing.expect("the outgoing report is filled");
    assert!(out.encrypted);
    assert_eq!(out.username_used, ALICE);
    let events = outgoing_events(&rec);
    let tls = position(&events, (Stage::Tls, StageState::Done));
    let greeting = position(&events, (Stage::Greeting, StageState::Done));
    assert!(tls < greeting, "implicit TLS comes before the greeting: {events:?}");
    assert!(!events.iter().any(|(s, _)| *s == Stage::Starttls), "{events:?}");
    assert!(outgoing.received().is_empty(), "checking must not send mail");
}

#[tokio::test]
async fn wrong_outgoing_password_is_diagnosed_on_the_outgoing_side() {
    let (incoming, outgoing) = (dovecot(), smtp_server(SmtpOptions::default()));
    let dir = tempfile::tempdir().unwrap();
    let mut req = with_outgoing(&incoming, outgoing.smtps_port(), Security::Tls);
    req.settings.outgoing.as_mut().unwrap().same_password = false;
    req.outgoing_credentials = Some(Credentials::password("not-the-password"));
    let d = engine(dir.path()).connect(&req, &Recorder::default()).await.expect_err("wrong password fails");
    assert_eq!(d.code, DiagnosisCode::AuthenticationFailed);
    assert_eq!(d.side, Some(Side::Outgoing));
    assert_eq!(d.stage, Some(Stage::SigningIn));
    assert!(d.evidence.iter().any(|e| e.contains("alice@example.test, alice")), "{:?}", d.evidence);
    assert!(d.evidence.iter().any(|e| e.contains("535")), "the server's words: {:?}", d.evidence);
    assert!(d.what_to_do.contains("outgoing"), "advice for the outgoing server: {}", d.what_to_do);
    assert!(!format!("{d:?}").contains("not-the-password"), "the password leaked into the diagnosis");
}

/// Both servers refuse: the incoming diagnosis comes with the outgoing one, so both can be
/// fixed before trying again.
#[tokio::test]
async fn both_servers_failing_are_both_diagnosed() {
    let (incoming, outgoing) = (dovecot(), smtp_server(SmtpOptions::default()));
    let dir = tempfile::tempdir().unwrap();
    let mut req = with_outgoing(&incoming, outgoing.smtps_port(), Security::Tls);
    req.credentials = Credentials::password("wrong-for-imap");
    req.settings.outgoing.as_mut().unwrap().same_password = false;
    req.outgoing_credentials = Some(Credentials::password("wrong-for-smtp"));
    let d = engine(dir.path()).connect(&req, &Recorder::default()).await.expect_err("both fail");
    assert_eq!((d.code, d.side), (DiagnosisCode::AuthenticationFailed, Some(Side::Incoming)));
    let other = d.also.as_deref().expect("the outgoing diagnosis too");
    assert_eq!((other.code, other.side), (DiagnosisCode::AuthenticationFailed, Some(Side::Outgoing)));
    assert!(other.evidence.iter().any(|e| e.contains("535")), "{:?}", other.evidence);
    assert!(other.also.is_none());
    let shown = format!("{d:?}");
    assert!(!shown.contains("wrong-for-imap") && !shown.contains("wrong-for-smtp"), "a password leaked");

    // One wrong password for both ("Same password as incoming"): the outgoing advice says to
    // correct that password, which the incoming server refused too.
    req.settings.outgoing.as_mut().unwrap().same_password = true;
    req.outgoing_credentials = None;
    let d = engine(dir.path()).connect(&req, &Recorder::default()).await.expect_err("both fail");
    let other = d.also.as_deref().expect("the outgoing diagnosis too");
    assert!(other.what_to_do.starts_with("The incoming server refused the same password"), "{}", other.what_to_do);

    // Only the incoming server failing: nothing beside it.
    req.settings.outgoing.as_mut().unwrap().same_password = false;
    req.outgoing_credentials = Some(Credentials::password(ALICE_PASSWORD));
    let d = engine(dir.path()).connect(&req, &Recorder::default()).await.expect_err("incoming fails");
    assert_eq!(d.side, Some(Side::Incoming));
    assert!(d.also.is_none(), "{:?}", d.also);
}

/// The incoming server takes the password, the outgoing one (set to "same password") does
/// not: the advice is to give the outgoing server its own password or login name.
#[tokio::test]
async fn an_outgoing_server_with_another_password_is_told_apart() {
    let incoming = dovecot();
    let other_password = SmtpOptions { users: vec![(ALICE.into(), "smtp-only-secret".into())], ..Default::default() };
    let outgoing = smtp_server(other_password);
    let dir = tempfile::tempdir().unwrap();
    let req = with_outgoing(&incoming, outgoing.smtps_port(), Security::Tls);
    let d = engine(dir.path()).connect(&req, &Recorder::default()).await.expect_err("outgoing refuses");
    assert_eq!((d.code, d.side), (DiagnosisCode::AuthenticationFailed, Some(Side::Outgoing)));
    assert!(d.what_to_do.starts_with("The incoming server accepted this password"), "{}", d.what_to_do);
    assert!(d.what_to_do.contains("Same password as incoming"));
}

#[tokio::test]
async fn auth_login_is_used_when_it_is_all_the_server_offers() {
    let (incoming, outgoing) =
        (dovecot(), smtp_server(SmtpOptions { auth_mechanisms: vec!["LOGIN".into()], ..Default::default() }));
    let dir = tempfile::tempdir().unwrap();
    let report = engine(dir.path())
        .connect(&with_outgoing(&incoming, outgoing.smtp_port(), Security::Starttls), &Recorder::default())
        .await
        .expect("AUTH LOGIN works");
    assert_eq!(report.outgoing.unwrap().auth_mechanisms, ["LOGIN"]);

    // A refused AUTH LOGIN ends lettre's connection; the second username gets a new one.
    let mut req = with_outgoing(&incoming, outgoing.smtp_port(), Security::Starttls);
    req.settings.outgoing.as_mut().unwrap().same_password = false;
    req.outgoing_credentials = Some(Credentials::password("not-the-password"));
    let rec = Recorder::default();
    let d = engine(dir.path()).connect(&req, &rec).await.expect_err("wrong password fails");
    assert_eq!(d.code, DiagnosisCode::AuthenticationFailed);
    assert!(d.evidence.iter().any(|e| e.contains("alice@example.test, alice")), "{:?}", d.evidence);
    let refusals =
        rec.events().iter().filter(|e| e.detail.as_deref().is_some_and(|d| d.starts_with("refused as"))).count();
    assert_eq!(refusals, 2);
}

#[tokio::test]
async fn starttls_that_is_not_offered_stops_before_the_password() {
    // This server offers no STARTTLS but does advertise AUTH in clear: the trap.
    let (incoming, outgoing) = (dovecot(), smtp_server(SmtpOptions { starttls: false, ..Default::default() }));
    let proxy = CaptureProxy::start(outgoing.smtp_addr());
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let d = engine(dir.path())
        .connect(&with_outgoing(&incoming, proxy.port(), Security::Starttls), &rec)
        .await
        .expect_err("no STARTTLS, no sign-in");
    assert_eq!(d.code, DiagnosisCode::StarttlsNotOffered);
    assert_eq!(d.side, Some(Side::Outgoing));
    assert_eq!(d.title, "This server does not offer encryption on this port");
    assert!(d.what_to_do.contains("465"), "outgoing advice names the outgoing ports: {}", d.what_to_do);
    assert!(outgoing_events(&rec).contains(&(Stage::Starttls, StageState::Failed)));

    std::thread::sleep(Duration::from_millis(100)); // let the proxy record everything
    let (sent, heard) = (proxy.client_bytes(), proxy.server_bytes());
    assert!(contains(&sent, b"EHLO "), "the client spoke: {}", String::from_utf8_lossy(&sent));
    assert!(contains(&heard, b"AUTH"), "the server did offer AUTH in clear");
    assert!(!contains(&sent.to_ascii_uppercase(), b"AUTH"), "AUTH was sent: {}", String::from_utf8_lossy(&sent));
    for form in password_forms() {
        assert!(!contains(&sent, &form), "the password went over the wire: {}", String::from_utf8_lossy(&sent));
    }
}

#[tokio::test]
async fn no_encryption_needs_consent_before_auth() {
    let outgoing = smtp_server(SmtpOptions { starttls: false, ..Default::default() });
    let proxy = CaptureProxy::start(outgoing.smtp_addr());
    let endpoint = Endpoint { host: "localhost".into(), port: proxy.port(), security: Security::None };
    let e = check_directly(endpoint.clone(), false, Default::default()).await.expect_err("refused");
    assert!(matches!(e, inlet_core::error::EngineError::PlaintextNotConfirmed { .. }), "{e:?}");
    std::thread::sleep(Duration::from_millis(100));
    let sent = proxy.client_bytes();
    assert!(!contains(&sent.to_ascii_uppercase(), b"AUTH"), "{}", String::from_utf8_lossy(&sent));
    for form in password_forms() {
        assert!(!contains(&sent, &form));
    }

    // When the user chose "no encryption" and confirmed it, the check goes ahead.
    let report = check_directly(endpoint, true, Default::default()).await.expect("works with consent");
    assert!(!report.encrypted);
    assert_eq!(report.username, ALICE);
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_then_accepted_once_pinned() {
    let (incoming, outgoing) =
        (dovecot(), smtp_server(SmtpOptions { cert: CertKind::Untrusted, ..Default::default() }));
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    for (port, security) in [(outgoing.smtps_port(), Security::Tls), (outgoing.smtp_port(), Security::Starttls)] {
        let mut req = with_outgoing(&incoming, port, security);
        let d = engine.connect(&req, &Recorder::default()).await.expect_err("untrusted certificate");
        assert_eq!(d.code, DiagnosisCode::CertificateUntrusted, "{security:?}");
        assert_eq!((d.side, d.stage), (Some(Side::Outgoing), Some(Stage::Tls)));
        let cert = d.certificate.expect("certificate details for the user");
        assert!(cert.self_signed);
        assert!(cert.names.iter().any(|n| n == "localhost"), "{:?}", cert.names);

        // The user compared the fingerprint and trusted exactly this certificate.
        req.settings.trusted_certificates.push(TrustedCertificate {
            host: "localhost".into(),
            port,
            sha256_fingerprint: cert.sha256_fingerprint.clone(),
            subject: cert.subject.clone(),
            not_after: cert.not_after.clone(),
        });
        let report = engine.connect(&req, &Recorder::default()).await.expect("the pinned certificate is accepted");
        assert!(report.outgoing.unwrap().encrypted);

        // A pin that no longer matches is a changed certificate, never accepted silently.
        req.settings.trusted_certificates[0].sha256_fingerprint = ["AB"; 32].join(":");
        let d = engine.connect(&req, &Recorder::default()).await.expect_err("changed certificate");
        assert_eq!((d.code, d.side), (DiagnosisCode::CertificateChanged, Some(Side::Outgoing)));
    }
    assert!(outgoing.received().is_empty());
}

#[tokio::test]
async fn the_test_message_arrives_from_and_to_the_user() {
    let outgoing = smtp_server(SmtpOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let mut req = request(ALICE, ALICE_PASSWORD, "localhost", 993, Security::Tls);
    req.settings.outgoing = Some(OutgoingSettings {
        endpoint: Endpoint { host: "localhost".into(), port: outgoing.smtp_port(), security: Security::Starttls },
        username: None,
        same_password: true,
        allow_plaintext_password: false,
    });
    let rec = Recorder::default();
    engine(dir.path()).send_test_message(&req, &rec).await.expect("the test message is accepted");

    let received = outgoing.received();
    assert_eq!(received.len(), 1, "exactly one message");
    let message = &received[0];
    assert_eq!(message.mail_from, ALICE);
    assert_eq!(message.rcpt_tos, [ALICE]);
    assert_eq!(message.header("To").as_deref(), Some(ALICE));
    assert_eq!(message.header("From").as_deref(), Some(ALICE));
    assert_eq!(message.header("Subject").as_deref(), Some("Inlet test message"));
    assert!(String::from_utf8_lossy(&message.data).contains("sent by Inlet"));
    let events = outgoing_events(&rec);
    assert!(events.contains(&(Stage::SendingTestMessage, StageState::Done)), "{events:?}");
    assert!(
        position(&events, (Stage::Tls, StageState::Done)) < position(&events, (Stage::SigningIn, StageState::Done))
    );
}

#[tokio::test]
async fn a_refused_sender_is_diagnosed_in_the_servers_words() {
    // Signed in as "bob", sending as bob@example.test: this server wants sender = login.
    let outgoing = smtp_server(SmtpOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let mut req = request("bob@example.test", "builder-7", "localhost", 993, Security::Tls);
    req.settings.outgoing = Some(OutgoingSettings {
        endpoint: Endpoint { host: "localhost".into(), port: outgoing.smtps_port(), security: Security::Tls },
        username: Some("bob".into()),
        same_password: true,
        allow_plaintext_password: false,
    });
    let sent = engine(dir.path()).send_test_message_reported(&req, &Recorder::default()).await;
    let d = sent.outcome.expect_err("sender refused");
    // aiosmtpd: `553 5.7.1 Sender address <...> not owned by user bob`.
    assert_eq!((d.code, d.who_acts), (DiagnosisCode::SenderNotAllowed, inlet_core::diagnose::WhoActs::You));
    assert!(d.steps.iter().any(|s| s.contains("Send As")), "{:?}", d.steps);
    assert_eq!((d.side, d.stage), (Some(Side::Outgoing), Some(Stage::SendingTestMessage)));
    let evidence = d.evidence.join("\n");
    assert!(evidence.contains("the sender <bob@example.test> was refused"), "{evidence}");
    assert!(evidence.contains("553"), "{evidence}");
    assert!(outgoing.received().is_empty());

    // The error view's report: the outgoing server's stages with their timings, up to the
    // refused message, and never the password.
    let report = sent.report.expect("a test message not sent has a report");
    assert_eq!(report.outcome.code.as_deref(), Some("sender_not_allowed"));
    assert_eq!(report.outcome.checked, "sending a test message");
    let [attempt] = report.attempts.as_slice() else { panic!("one connection: {:?}", report.attempts) };
    assert_eq!((attempt.side, attempt.failed_stage), (Side::Outgoing, Some(Stage::SendingTestMessage)));
    let signed_in = attempt.stages.iter().find(|s| s.stage == Stage::SigningIn).expect("signed in");
    assert_eq!(signed_in.state, StageState::Done);
    let sending = attempt.stages.iter().find(|s| s.stage == Stage::SendingTestMessage).expect("sending");
    assert_eq!(sending.state, StageState::Failed);
    assert!(sending.started_ms >= signed_in.ended_ms.unwrap() && sending.ended_ms.is_some(), "{:?}", attempt.stages);
    assert!(attempt.greeting.is_some(), "the server's greeting");
    let markdown = report.to_markdown();
    assert!(markdown.contains("(`sender_not_allowed`)") && markdown.contains("| FAILED |"), "{markdown}");
    for text in [markdown, report.to_json(), report.masked().to_markdown()] {
        assert!(!text.contains("builder-7"), "the password is in the report");
    }
}

#[tokio::test]
async fn a_server_that_never_speaks_times_out_at_the_greeting() {
    let incoming = dovecot();
    let silent = faults::SilentServer::start();
    let dir = tempfile::tempdir().unwrap();
    let mut req = with_outgoing(&incoming, silent.port(), Security::Starttls);
    req.settings.outgoing.as_mut().unwrap().endpoint.host = "127.0.0.1".into();
    let started = Instant::now();
    let d = engine_with(dir.path(), short_deadlines()).connect(&req, &Recorder::default()).await.expect_err("silent");
    assert_eq!((d.code, d.stage, d.side), (DiagnosisCode::TimedOut, Some(Stage::Greeting), Some(Side::Outgoing)));
    // The stage says which deadline fired; the bound is generous, for a busy machine.
    assert!(started.elapsed() < Duration::from_secs(15), "took {:?}", started.elapsed());

    // With implicit TLS the same silence is a TLS handshake that never completes.
    let endpoint = Endpoint { host: "127.0.0.1".into(), port: silent.port(), security: Security::Tls };
    let e = check_directly(endpoint, false, short_deadlines()).await.expect_err("silent");
    assert!(matches!(e, inlet_core::error::EngineError::TimedOut { stage: Stage::Tls, .. }), "{e:?}");
}

#[tokio::test]
async fn an_imap_port_given_as_outgoing_is_not_smtp() {
    let incoming = dovecot();
    let dir = tempfile::tempdir().unwrap();
    let req = with_outgoing(&incoming, incoming.imap_port(), Security::Starttls);
    let d = engine_with(dir.path(), short_deadlines()).connect(&req, &Recorder::default()).await.expect_err("IMAP");
    assert_eq!((d.code, d.stage, d.side), (DiagnosisCode::ProtocolError, Some(Stage::Greeting), Some(Side::Outgoing)));
    assert!(d.evidence.iter().any(|e| e.contains("not an SMTP greeting")), "{:?}", d.evidence);
}
