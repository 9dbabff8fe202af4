//! POP3 and SMTP against hostile or troubled servers, each a small scripted server on 127.0.0.1
//! (inlet-testkit's `ScriptedServer`) sending exactly the bytes in question: a line that never
//! ends, a refusal that quotes the password back, escape sequences meant for a terminal, and a
//! temporary failure at sign-in.

mod common;

use base64::Engine as _;
use common::*;
use inlet_core::account::{Endpoint, IncomingServer, MailboxKind, OutgoingSettings, Security, Side};
use inlet_core::error::EngineError;
use inlet_core::net::{Dial, Network};
use inlet_core::progress::{Progress, ProgressEvent, Stage};
use inlet_core::secrets::Credentials;
use inlet_core::{pop3, smtp, ConnectRequest, Deadlines, Diagnosis, DiagnosisCode};
use inlet_testkit::faults::{Answer, ScriptedServer};

/// The password of every test here: it must never come back out of the engine.
const CANARY: &str = "Canary-Secret-4711";

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// Every form in which the password could leak for `username`: itself, base64 (AUTH LOGIN), and
/// SASL PLAIN with and without an authorisation identity.
fn secret_forms(username: &str) -> Vec<String> {
    vec![
        CANARY.to_owned(),
        b64(CANARY),
        b64(&format!("\0{username}\0{CANARY}")),
        b64(&format!("{username}\0{username}\0{CANARY}")),
    ]
}

fn tls() -> Network {
    Network::new(&[pki().ca_pem_path()]).expect("TLS context with the test CA")
}

/// A scripted server speaks no TLS: in clear, with the user's consent to send the password so.
fn plain_dial<'a>(
    endpoint: &'a Endpoint,
    network: &'a Network,
    deadlines: &'a Deadlines,
    progress: &'a Progress<'a>,
) -> Dial<'a> {
    Dial { endpoint, allow_plaintext_password: true, network, trusted: &[], deadlines, progress }
}

/// A POP3 mailbox at a scripted server on 127.0.0.1, in clear with the user's consent (the
/// scripted servers speak no TLS).
fn pop3_request(port: u16, security: Security) -> ConnectRequest {
    let mut req = request(ALICE, CANARY, "127.0.0.1", port, security);
    req.settings.kind = MailboxKind::Pop3;
    req.settings.incoming = IncomingServer::Pop3(req.settings.incoming.settings().clone());
    req.settings.incoming.settings_mut().allow_plaintext_password = true;
    req
}

/// A mailbox whose outgoing server is a scripted server on 127.0.0.1 (for `send_test_message`,
/// which checks only the outgoing side).
fn smtp_request(port: u16, security: Security) -> ConnectRequest {
    let mut req = request(ALICE, CANARY, "127.0.0.1", 1, Security::Tls);
    req.settings.outgoing = Some(OutgoingSettings {
        endpoint: Endpoint { host: "127.0.0.1".into(), port, security },
        username: None,
        same_password: true,
        allow_plaintext_password: true,
    });
    req
}

async fn pop3_connect(server: &ScriptedServer, security: Security) -> (Diagnosis, Vec<ProgressEvent>) {
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let d = engine_with(dir.path(), short_deadlines())
        .connect(&pop3_request(server.port(), security), &rec)
        .await
        .expect_err("the scripted server makes the check fail");
    (d, rec.events())
}

async fn smtp_send(server: &ScriptedServer, security: Security) -> (Diagnosis, Vec<ProgressEvent>) {
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let d = engine_with(dir.path(), short_deadlines())
        .send_test_message(&smtp_request(server.port(), security), &rec)
        .await
        .expect_err("the scripted server makes the send fail");
    (d, rec.events())
}

/// Everything a user or a log could see: the diagnosis (every field, also as the JSON the UI
/// gets) and every progress event (also as JSON).
fn everything_shown(d: &Diagnosis, events: &[ProgressEvent]) -> Vec<String> {
    let mut out = vec![format!("{d:?}"), serde_json::to_string(d).unwrap()];
    for e in events {
        out.push(format!("{e:?}"));
        out.push(serde_json::to_string(e).unwrap());
    }
    out
}

fn assert_no_secret(d: &Diagnosis, events: &[ProgressEvent], usernames: &[&str]) {
    for text in everything_shown(d, events) {
        for username in usernames {
            for form in secret_forms(username) {
                assert!(!text.contains(&form), "the password (as {form:?}) leaked into: {text}");
            }
        }
    }
}

/// The strings a terminal would print: diagnosis fields and event details and targets.
fn printed_texts(d: &Diagnosis, events: &[ProgressEvent]) -> Vec<String> {
    let mut out = vec![d.title.clone(), d.what_happened.clone(), d.what_to_do.clone()];
    out.extend(d.evidence.iter().cloned());
    for e in events {
        out.extend(e.detail.iter().cloned());
        out.extend(e.target.iter().cloned());
    }
    out
}

fn assert_no_control_characters(texts: &[String]) {
    for text in texts {
        assert!(!text.chars().any(char::is_control), "a control character reaches the terminal: {text:?}");
    }
}

// ---- a line that never ends --------------------------------------------------------------------

/// The bound named in the error: a user or technician learns what happened, not "timed out".
fn assert_line_too_long(d: &Diagnosis, stage: Stage, bound: &str) {
    assert_eq!((d.code, d.stage), (DiagnosisCode::ProtocolError, Some(stage)), "{d:?}");
    let evidence = d.evidence.join("\n");
    assert!(evidence.contains(&format!("the server sent a line longer than {bound} octets")), "{evidence}");
}

#[tokio::test]
async fn pop3_an_endless_line_fails_at_once_as_a_protocol_error_naming_the_bound() {
    let at_greeting = ScriptedServer::start(Answer::Endless, |_| Answer::Close);
    let (d, _) = pop3_connect(&at_greeting, Security::Starttls).await;
    assert_line_too_long(&d, Stage::Greeting, "8192");

    let after_capa = ScriptedServer::start(Answer::line("+OK ready"), |line| match line {
        "CAPA" => Answer::Endless,
        _ => Answer::line("-ERR no"),
    });
    let (d, _) = pop3_connect(&after_capa, Security::Starttls).await;
    assert_line_too_long(&d, Stage::Capabilities, "8192");
}

/// An SMTP server: a greeting, EHLO answered with `ehlo` (extension lines), QUIT and NOOP
/// answered, and every other line (AUTH, MAIL, ...) answered by `rest`.
fn smtp_server(
    greeting: &str,
    ehlo: &'static [&'static str],
    rest: impl Fn(&str) -> Answer + Send + Sync + 'static,
) -> ScriptedServer {
    ScriptedServer::start(Answer::line(greeting), move |line| {
        let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => {
                let mut answer = String::from("250-mail.test\r\n");
                for (i, extension) in ehlo.iter().enumerate() {
                    let more = if i + 1 < ehlo.len() { '-' } else { ' ' };
                    answer.push_str(&format!("250{more}{extension}\r\n"));
                }
                Answer::Send(answer.into_bytes())
            }
            "NOOP" | "RSET" => Answer::line("250 ok"),
            "QUIT" => Answer::line("221 bye"),
            _ => rest(line),
        }
    })
}

/// Answers EHLO with a line that never ends.
fn endless_after_ehlo() -> ScriptedServer {
    ScriptedServer::start(Answer::line("220 mail.test ESMTP"), |line| {
        if line.starts_with("EHLO") {
            Answer::Endless
        } else {
            Answer::line("500 no")
        }
    })
}

#[tokio::test]
async fn smtp_an_endless_line_fails_at_once_as_a_protocol_error_naming_the_bound() {
    // Read by our own reader: the greeting, and EHLO before STARTTLS.
    let at_greeting = ScriptedServer::start(Answer::Endless, |_| Answer::Close);
    let (d, _) = smtp_send(&at_greeting, Security::Starttls).await;
    assert_line_too_long(&d, Stage::Greeting, "1000");
    let (d, _) = smtp_send(&endless_after_ehlo(), Security::Starttls).await;
    assert_line_too_long(&d, Stage::Capabilities, "1000");
}

#[tokio::test]
async fn smtp_an_endless_line_read_by_lettre_fails_at_once_instead_of_timing_out() {
    // lettre reads EHLO (once our reader handed the connection over) and AUTH with a reader that
    // grows its buffer until a line ends: without the bound on its stream, this ran into the
    // deadline (TimedOut) holding everything received so far in memory.
    let (d, _) = smtp_send(&endless_after_ehlo(), Security::None).await;
    assert_line_too_long(&d, Stage::Capabilities, "1000");
    let after_auth = smtp_server("220 mail.test ESMTP", &["AUTH PLAIN LOGIN"], |_| Answer::Endless);
    let (d, _) = smtp_send(&after_auth, Security::None).await;
    assert_line_too_long(&d, Stage::SigningIn, "1000");
}

// ---- the password quoted back --------------------------------------------------------------------

#[tokio::test]
async fn pop3_a_refusal_quoting_the_password_never_shows_it() {
    // USER/PASS (no CAPA): `-ERR unknown command: PASS <password>`, as real servers have said.
    let user_pass = ScriptedServer::start(Answer::line("+OK ready"), |line| {
        let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "CAPA" => Answer::line("-ERR unknown command: CAPA"),
            "USER" => Answer::line("+OK send PASS"),
            _ => Answer::line(&format!("-ERR unknown command: {line}")),
        }
    });
    let (d, events) = pop3_connect(&user_pass, Security::None).await;
    assert_eq!(d.code, DiagnosisCode::AuthenticationFailed, "{d:?}");
    assert!(d.evidence.iter().any(|e| e.contains("unknown command: PASS [password removed]")), "{:?}", d.evidence);
    assert_no_secret(&d, &events, &[ALICE, "alice"]);
    assert!(user_pass.heard().iter().any(|l| l == &format!("PASS {CANARY}")), "the server did get the password");

    // SASL PLAIN: the refusal quotes the base64 message.
    let sasl = ScriptedServer::start(Answer::line("+OK ready"), |line| {
        let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "CAPA" => Answer::Send(b"+OK\r\nSASL PLAIN\r\n.\r\n".to_vec()),
            _ => Answer::line(&format!("-ERR [AUTH] rejected: {line}")),
        }
    });
    let (d, events) = pop3_connect(&sasl, Security::None).await;
    assert_eq!(d.code, DiagnosisCode::AuthenticationFailed, "{d:?}");
    assert!(d.evidence.iter().any(|e| e.contains("AUTH PLAIN [password removed]")), "{:?}", d.evidence);
    assert_no_secret(&d, &events, &[ALICE, "alice"]);
}

#[tokio::test]
async fn smtp_a_refusal_quoting_the_password_never_shows_it() {
    // AUTH PLAIN: `535 5.7.8 <base64 of the PLAIN message> rejected`.
    let plain = smtp_server("220 mail.test ESMTP", &["AUTH PLAIN"], |line| {
        Answer::line(&format!("535 5.7.8 {} rejected", line.trim_start_matches("AUTH PLAIN ")))
    });
    let (d, events) = smtp_send(&plain, Security::None).await;
    assert_eq!((d.code, d.side), (DiagnosisCode::AuthenticationFailed, Some(Side::Outgoing)), "{d:?}");
    assert!(d.evidence.iter().any(|e| e.contains("535 5.7.8 [password removed] rejected")), "{:?}", d.evidence);
    assert_no_secret(&d, &events, &[ALICE]);

    // AUTH LOGIN: the password line (base64) quoted back.
    let login = smtp_server("220 mail.test ESMTP", &["AUTH LOGIN"], |line| {
        if line.eq_ignore_ascii_case("AUTH LOGIN") {
            Answer::line(&format!("334 {}", b64("Username:")))
        } else if line == b64(ALICE) {
            Answer::line(&format!("334 {}", b64("Password:")))
        } else {
            Answer::line(&format!("535 5.7.8 bad password {line}"))
        }
    });
    let (d, events) = smtp_send(&login, Security::None).await;
    assert_eq!(d.code, DiagnosisCode::AuthenticationFailed, "{d:?}");
    assert!(d.evidence.iter().any(|e| e.contains("bad password [password removed]")), "{:?}", d.evidence);
    assert_no_secret(&d, &events, &[ALICE]);
    assert!(login.heard().contains(&b64(CANARY)), "the server did get the password");
}

// ---- escape sequences ----------------------------------------------------------------------------

/// Sets the terminal's title and clears the screen, if a terminal gets to print it.
const ESCAPES: &str = "\x1b]0;pwned\x07\x1b[2J";

#[tokio::test]
async fn pop3_escape_sequences_never_reach_the_terminal() {
    let server = ScriptedServer::start(Answer::line(&format!("+OK {ESCAPES}ready")), |line| {
        let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "CAPA" => Answer::Send(format!("+OK\r\nUSER\r\nX-{ESCAPES}\r\n.\r\n").into_bytes()),
            "USER" => Answer::line("+OK"),
            "PASS" if line == format!("PASS {CANARY}") => Answer::line("+OK in"),
            "PASS" => Answer::line(&format!("-ERR [AUTH] {ESCAPES}no")),
            "STAT" => Answer::line(&format!("+OK 1 100 {ESCAPES}")),
            "QUIT" => Answer::line("+OK"),
            _ => Answer::line("-ERR"),
        }
    });
    // Signed in: the greeting, the capabilities and the mailbox count are shown.
    let rec = Recorder::default();
    let endpoint = Endpoint { host: "127.0.0.1".into(), port: server.port(), security: Security::None };
    let (network, deadlines, progress) = (tls(), short_deadlines(), Progress::new(&rec));
    let dial = plain_dial(&endpoint, &network, &deadlines, &progress);
    let report = pop3::check(&dial, &[ALICE.to_owned()], &Credentials::password(CANARY)).await.expect("signs in");
    assert_eq!(report.message_count, 1);
    let events = rec.events();
    assert!(events.iter().any(|e| e.detail.as_deref().is_some_and(|d| d.contains("pwned"))), "{events:?}");
    let mut texts: Vec<String> = events.iter().filter_map(|e| e.detail.clone()).collect();
    texts.extend(report.capabilities.iter().cloned());
    assert_no_control_characters(&texts);

    // Refused: the server's words in the diagnosis.
    let mut req = pop3_request(server.port(), Security::None);
    req.credentials = Credentials::password("wrong");
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let d = engine_with(dir.path(), short_deadlines()).connect(&req, &rec).await.expect_err("refused");
    assert_eq!(d.code, DiagnosisCode::AuthenticationFailed);
    assert!(d.evidence.iter().any(|e| e.contains("pwned")), "{:?}", d.evidence);
    assert_no_control_characters(&printed_texts(&d, &rec.events()));
}

#[tokio::test]
async fn smtp_escape_sequences_never_reach_the_terminal() {
    let server =
        smtp_server(&format!("220 mail.test {ESCAPES}ESMTP"), &["AUTH PLAIN", "X-\x1b]0;pwned\x07\x1b[2J"], |line| {
            if line == format!("AUTH PLAIN {}", b64(&format!("\0{ALICE}\0{CANARY}"))) {
                Answer::line("235 2.7.0 ok")
            } else {
                Answer::line(&format!("535 5.7.8 {ESCAPES}no"))
            }
        });
    let endpoint = Endpoint { host: "127.0.0.1".into(), port: server.port(), security: Security::None };
    let rec = Recorder::default();
    let (network, deadlines, progress) = (tls(), short_deadlines(), Progress::new(&rec).for_side(Side::Outgoing));
    let dial = plain_dial(&endpoint, &network, &deadlines, &progress);
    let report = smtp::check(&dial, &[ALICE.to_owned()], &Credentials::password(CANARY)).await.expect("signs in");
    let events = rec.events();
    assert!(events.iter().any(|e| e.detail.as_deref().is_some_and(|d| d.contains("pwned"))), "{events:?}");
    let mut texts: Vec<String> = events.iter().filter_map(|e| e.detail.clone()).collect();
    texts.extend(report.extensions.iter().cloned());
    assert!(report.extensions.iter().any(|e| e.contains("pwned")), "{:?}", report.extensions);
    assert_no_control_characters(&texts);

    let mut req = smtp_request(server.port(), Security::None);
    req.credentials = Credentials::password("wrong");
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let d = engine_with(dir.path(), short_deadlines()).send_test_message(&req, &rec).await.expect_err("refused");
    assert_eq!(d.code, DiagnosisCode::AuthenticationFailed);
    assert!(d.evidence.iter().any(|e| e.contains("pwned")), "{:?}", d.evidence);
    assert_no_control_characters(&printed_texts(&d, &rec.events()));
}

// ---- temporary failures --------------------------------------------------------------------------

#[tokio::test]
async fn pop3_a_temporary_failure_is_not_a_wrong_password_and_ends_the_attempts() {
    // RFC 3206 SYS/TEMP; RFC 2449 IN-USE and LOGIN-DELAY: passing trouble, whatever the password.
    // Each gets its own diagnosis from the catalog; none is a wrong password.
    for (code, expected) in [
        ("SYS/TEMP", DiagnosisCode::ServerTemporaryFailure),
        ("IN-USE", DiagnosisCode::MailboxInUse),
        ("LOGIN-DELAY", DiagnosisCode::Throttled),
    ] {
        let server = ScriptedServer::start(Answer::line("+OK ready"), move |line| {
            let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
            match verb.as_str() {
                "CAPA" => Answer::Send(b"+OK\r\nUSER\r\n.\r\n".to_vec()),
                "USER" => Answer::line("+OK"),
                "PASS" => Answer::line(&format!("-ERR [{code}] try again later")),
                _ => Answer::line("-ERR"),
            }
        });
        let (d, events) = pop3_connect(&server, Security::None).await;
        assert_eq!((d.code, d.stage), (expected, Some(Stage::SigningIn)), "{code}: {d:?}");
        assert!(d.evidence.iter().any(|e| e.contains(&format!("[{code}] try again later"))), "{:?}", d.evidence);
        // Two usernames were candidates (the address and its local part); only the first was tried.
        let passes = server.heard().iter().filter(|l| l.starts_with("PASS ")).count();
        assert_eq!(passes, 1, "{code}: another username was tried after a temporary failure");
        assert!(!events.iter().any(|e| e.detail.as_deref() == Some("as alice")), "{code}");
    }
}

#[tokio::test]
async fn smtp_a_temporary_failure_is_not_a_wrong_password_and_ends_the_attempts() {
    // RFC 4954 section 6: 454 4.7.0 temporary authentication failure.
    let server = smtp_server("220 mail.test ESMTP", &["AUTH PLAIN LOGIN"], |_| {
        Answer::line("454 4.7.0 Temporary authentication failure")
    });
    let (d, _) = smtp_send(&server, Security::None).await;
    assert_eq!(
        (d.code, d.stage, d.side),
        (DiagnosisCode::ServerTemporaryFailure, Some(Stage::SigningIn), Some(Side::Outgoing)),
        "{d:?}"
    );
    assert!(d.evidence.iter().any(|e| e.contains("454 4.7.0 Temporary authentication failure")), "{:?}", d.evidence);

    // With several usernames to try, the first temporary failure ends the attempts.
    let before = server.heard().iter().filter(|l| l.starts_with("AUTH")).count();
    let endpoint = Endpoint { host: "127.0.0.1".into(), port: server.port(), security: Security::None };
    let rec = Recorder::default();
    let (network, deadlines, progress) = (tls(), short_deadlines(), Progress::new(&rec).for_side(Side::Outgoing));
    let dial = plain_dial(&endpoint, &network, &deadlines, &progress);
    let usernames = [ALICE.to_owned(), "alice".to_owned()];
    let e = smtp::check(&dial, &usernames, &Credentials::password(CANARY)).await.expect_err("temporary failure");
    assert!(matches!(e, EngineError::TemporaryFailure { stage: Stage::SigningIn, .. }), "{e:?}");
    let auths = server.heard().iter().filter(|l| l.starts_with("AUTH")).count() - before;
    assert_eq!(auths, 1, "another username was tried after a temporary failure");

    // A server that is busy at the greeting (421, RFC 5321 3.8) has passing trouble too.
    let busy = ScriptedServer::start(Answer::line("421 4.3.2 Service not available, closing"), |_| Answer::Close);
    let (d, _) = smtp_send(&busy, Security::Starttls).await;
    assert_eq!((d.code, d.stage), (DiagnosisCode::ServerBusy, Some(Stage::Greeting)), "{d:?}");

    // Any other 4xx to AUTH (RFC 3463 4.x.x) is passing trouble too.
    let local_error =
        smtp_server("220 mail.test ESMTP", &["AUTH PLAIN"], |_| Answer::line("451 4.3.0 Local error in processing"));
    let (d, _) = smtp_send(&local_error, Security::None).await;
    assert_eq!(d.code, DiagnosisCode::ServerTemporaryFailure, "{d:?}");
}
