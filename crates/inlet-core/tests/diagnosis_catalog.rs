//! The catalog's codes read from what servers really say, each provoked for real: Dovecot
//! configured to refuse (a disabled login with its administrator's reason, a connection limit, a
//! locked POP3 mailbox, a plain port spoken to with TLS), aiosmtpd refusing a sender, and small
//! scripted servers on 127.0.0.1 sending the providers' documented answers word for word. Each
//! test asserts the code, who acts, and that the steps name the right fix.

mod common;

use common::*;
use inlet_core::account::{Endpoint, IncomingServer, MailboxKind, OutgoingSettings, Security, Side};
use inlet_core::diagnose::WhoActs;
use inlet_core::progress::Stage;
use inlet_core::{ConnectRequest, Diagnosis, DiagnosisCode};
use inlet_testkit::faults::{Answer, ScriptedServer};
use inlet_testkit::{DisabledLogin, Dovecot, DovecotOptions};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

/// The password of every scripted sign-in: it must never come back out of the engine.
const CANARY: &str = "Canary-Secret-4711";

fn dovecot(opts: DovecotOptions) -> Dovecot {
    Dovecot::start(pki(), opts).expect("dovecot starts")
}

/// The steps as one text, lower-cased, for "the steps name the fix".
fn steps(d: &Diagnosis) -> String {
    assert!(!d.steps.is_empty(), "{d:?}");
    d.steps.join(" ").to_lowercase()
}

/// Nothing the user sees or a technician gets holds the password.
fn assert_no_secret(d: &Diagnosis) {
    let shown = format!("{d:?} {}", serde_json::to_string(d).unwrap());
    assert!(!shown.contains(CANARY), "{shown}");
}

// ---- scripted IMAP, POP3 and SMTP servers ----------------------------------------------------------

/// An IMAP server on 127.0.0.1 (no TLS) that answers LOGIN with `refusal` (`NO ...`), as a
/// provider does; CAPABILITY and LOGOUT as any server.
fn imap_refusing(greeting: &str, refusal: &'static str) -> ScriptedServer {
    ScriptedServer::start(Answer::line(greeting), move |line| {
        let mut words = line.splitn(3, ' ');
        let (tag, verb) = (words.next().unwrap_or("*"), words.next().unwrap_or("").to_ascii_uppercase());
        match verb.as_str() {
            "CAPABILITY" => Answer::line(&format!("* CAPABILITY IMAP4rev1\r\n{tag} OK done")),
            "LOGIN" => Answer::line(&format!("{tag} {refusal}")),
            "LOGOUT" => Answer::line(&format!("* BYE bye\r\n{tag} OK done")),
            _ => Answer::line(&format!("{tag} BAD unknown")),
        }
    })
}

fn imap_request(email: &str, port: u16) -> ConnectRequest {
    let mut req = request(email, CANARY, "127.0.0.1", port, Security::None);
    req.settings.incoming.settings_mut().allow_plaintext_password = true;
    req
}

async fn imap_failure(email: &str, server: &ScriptedServer) -> Diagnosis {
    let dir = tempfile::tempdir().unwrap();
    let d = engine_with(dir.path(), short_deadlines())
        .connect(&imap_request(email, server.port()), &Recorder::default())
        .await
        .expect_err("the scripted server refuses");
    assert_no_secret(&d);
    d
}

/// A POP3 server (RESP-CODES, USER) that answers PASS with `refusal`.
fn pop3_refusing(refusal: &'static str) -> ScriptedServer {
    ScriptedServer::start(Answer::line("+OK ready"), move |line| {
        match line.split(' ').next().unwrap_or("").to_ascii_uppercase().as_str() {
            "CAPA" => Answer::Send(b"+OK\r\nUSER\r\nRESP-CODES\r\n.\r\n".to_vec()),
            "USER" => Answer::line("+OK"),
            "PASS" => Answer::line(refusal),
            _ => Answer::line("-ERR"),
        }
    })
}

fn pop3_request(email: &str, host: &str, port: u16, security: Security) -> ConnectRequest {
    let password = if host == "127.0.0.1" { CANARY } else { ALICE_PASSWORD };
    let mut req = request(email, password, host, port, security);
    req.settings.kind = MailboxKind::Pop3;
    req.settings.incoming = IncomingServer::Pop3(req.settings.incoming.settings().clone());
    req.settings.incoming.settings_mut().allow_plaintext_password = host == "127.0.0.1";
    req
}

async fn connect_failure(req: &ConnectRequest) -> Diagnosis {
    let dir = tempfile::tempdir().unwrap();
    let d = engine_with(dir.path(), short_deadlines())
        .connect(req, &Recorder::default())
        .await
        .expect_err("the server refuses");
    assert_no_secret(&d);
    d
}

/// An SMTP server offering AUTH PLAIN LOGIN that answers AUTH with `refusal`.
fn smtp_refusing(greeting: &'static str, refusal: &'static str) -> ScriptedServer {
    ScriptedServer::start(Answer::line(greeting), move |line| {
        match line.split(' ').next().unwrap_or("").to_ascii_uppercase().as_str() {
            "EHLO" => Answer::Send(b"250-mail.test\r\n250 AUTH PLAIN LOGIN\r\n".to_vec()),
            "AUTH" => Answer::line(refusal),
            "QUIT" => Answer::line("221 bye"),
            _ => Answer::line("500 5.5.1 unknown"),
        }
    })
}

async fn smtp_failure(email: &str, server: &ScriptedServer) -> Diagnosis {
    let mut req = request(email, CANARY, "127.0.0.1", 1, Security::Tls);
    req.settings.outgoing = Some(OutgoingSettings {
        endpoint: Endpoint { host: "127.0.0.1".into(), port: server.port(), security: Security::None },
        username: None,
        same_password: true,
        allow_plaintext_password: true,
    });
    let dir = tempfile::tempdir().unwrap();
    let d = engine_with(dir.path(), short_deadlines())
        .send_test_message(&req, &Recorder::default())
        .await
        .expect_err("the scripted server refuses");
    assert_eq!(d.side, Some(Side::Outgoing), "{d:?}");
    assert_no_secret(&d);
    d
}

// ---- providers' documented answers ---------------------------------------------------------------

#[tokio::test]
async fn gmail_asking_for_an_app_password_gets_google_app_password_steps() {
    let server = imap_refusing(
        "* OK Gimap ready",
        "NO [ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)",
    );
    let d = imap_failure("alice@gmail.com", &server).await;
    assert_eq!(
        (d.code, d.who_acts, d.stage),
        (DiagnosisCode::AppPasswordRequired, WhoActs::You, Some(Stage::SigningIn))
    );
    let all_steps = steps(&d);
    assert!(all_steps.contains("2-step verification") && all_steps.contains("app password"), "{all_steps}");
    assert_eq!(d.help_url.as_deref(), Some("https://support.google.com/accounts/answer/185833"));
    assert!(d.evidence.iter().any(|e| e.contains("IMAP response code: ALERT")), "{:?}", d.evidence);
    // RFC 3501 7.1: an ALERT's text is shown to the user.
    assert!(d.what_happened.contains("Application-specific password required"), "{}", d.what_happened);

    // Yahoo and AOL say it inside an AUTHENTICATIONFAILED refusal.
    let yahoo = imap_refusing(
        "* OK IMAP4rev1 server ready",
        "NO [AUTHENTICATIONFAILED] LOGIN Invalid credentials: use an app password for third-party apps",
    );
    let d = imap_failure("alice@yahoo.com", &yahoo).await;
    assert_eq!(d.code, DiagnosisCode::AppPasswordRequired, "{d:?}");
    assert!(steps(&d).contains("generate app password"), "{:?}", d.steps);
    assert_eq!(d.help_url.as_deref(), Some("https://help.yahoo.com/kb/SLN15241.html"));
}

#[tokio::test]
async fn gmail_asking_for_a_web_sign_in_links_to_its_own_page() {
    let server = imap_refusing(
        "* OK Gimap ready",
        "NO [WEBALERT https://accounts.google.com/signin/continue?sarp=1&scc=1] Web login required.",
    );
    let d = imap_failure("alice@gmail.com", &server).await;
    assert_eq!((d.code, d.who_acts), (DiagnosisCode::WebSignInRequired, WhoActs::You), "{d:?}");
    assert!(steps(&d).contains("sign in to gmail in a web browser"), "{:?}", d.steps);
    assert_eq!(d.help_url.as_deref(), Some("https://accounts.google.com/signin/continue?sarp=1&scc=1"));
    assert!(d.what_happened.contains("not a wrong password"), "{}", d.what_happened);

    let alert = imap_refusing(
        "* OK Gimap ready",
        "NO [ALERT] Please log in via your web browser: https://support.google.com/mail/accounts/answer/78754 (Failure)",
    );
    assert_eq!(imap_failure("alice@gmail.com", &alert).await.code, DiagnosisCode::WebSignInRequired);
}

#[tokio::test]
async fn gmail_with_imap_turned_off_points_to_the_imap_setting() {
    let server = imap_refusing(
        "* OK Gimap ready",
        "NO [ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings page and enable your account for IMAP access. (Failure)",
    );
    let d = imap_failure("alice@gmail.com", &server).await;
    assert_eq!((d.code, d.who_acts), (DiagnosisCode::ProtocolDisabled, WhoActs::You), "{d:?}");
    assert_eq!(d.title, "IMAP is turned off for this mailbox");
    let all_steps = steps(&d);
    assert!(all_steps.contains("forwarding and pop/imap") && all_steps.contains("turn on imap"), "{all_steps}");
    assert_eq!(d.help_url.as_deref(), Some("https://support.google.com/mail/answer/7126229"));
}

#[tokio::test]
async fn microsoft_authenticate_failed_names_both_causes_wrong_password_first() {
    let server = imap_refusing("* OK The Microsoft Exchange IMAP4 service is ready.", "NO AUTHENTICATE failed.");
    let d = imap_failure("alice@outlook.com", &server).await;
    assert_eq!((d.code, d.who_acts), (DiagnosisCode::PasswordOrSignInBlocked, WhoActs::You), "{d:?}");
    let (happened, all_steps) = (d.what_happened.to_lowercase(), steps(&d));
    assert!(happened.contains("wrong password") && happened.contains("turned off"), "{happened}");
    // What tells them apart: the same password on the web.
    let wrong = all_steps.find("the password is wrong").expect("the wrong password first");
    let blocked = all_steps.find("ask your administrator").expect("then the blocked sign-in");
    assert!(all_steps.contains("outlook on the web") && wrong < blocked, "{all_steps}");

    // SMTP: 535 5.7.3 is Microsoft's same ambiguous answer.
    let smtp =
        smtp_refusing("220 outlook.test Microsoft ESMTP MAIL Service ready", "535 5.7.3 Authentication unsuccessful");
    let d = smtp_failure("alice@contoso.example", &smtp).await;
    assert_eq!(d.code, DiagnosisCode::PasswordOrSignInBlocked, "{d:?}");
    assert!(d.evidence.iter().any(|e| e.contains("enhanced status 5.7.3")), "{:?}", d.evidence);
}

#[tokio::test]
async fn microsoft_smtp_auth_disabled_for_the_tenant_is_for_the_administrator() {
    let server = smtp_refusing(
        "220 outlook.test Microsoft ESMTP MAIL Service ready",
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
    );
    let d = smtp_failure("alice@contoso.example", &server).await;
    assert_eq!((d.code, d.who_acts), (DiagnosisCode::BasicAuthDisabled, WhoActs::Administrator), "{d:?}");
    assert!(steps(&d).contains("authenticated smtp"), "{:?}", d.steps);
    assert!(d.help_url.as_deref().is_some_and(|u| u.contains("authenticated-client-smtp-submission")));
    assert!(d.evidence.iter().any(|e| e.contains("SMTP reply: 535, enhanced status 5.7.139")), "{:?}", d.evidence);
    assert!(d.what_happened.contains("not the problem"), "{}", d.what_happened);
}

#[tokio::test]
async fn a_throttled_account_is_told_to_wait_as_long_as_the_server_asked() {
    // Microsoft's documented throttling answer.
    let server = imap_refusing(
        "* OK The Microsoft Exchange IMAP4 service is ready.",
        "NO [THROTTLED] Request is throttled. Suggested Backoff Time: 120000 milliseconds",
    );
    let d = imap_failure("alice@outlook.com", &server).await;
    assert_eq!((d.code, d.who_acts), (DiagnosisCode::Throttled, WhoActs::You), "{d:?}");
    assert!(steps(&d).contains("wait 2 minutes"), "{:?}", d.steps);
    // A temporary refusal ends the attempts: the local part is not tried after it.
    assert_eq!(server.heard().iter().filter(|l| l.contains("LOGIN")).count(), 1, "{:?}", server.heard());

    // POP3 LOGIN-DELAY (RFC 2449 8.1.2).
    let pop3 = pop3_refusing("-ERR [LOGIN-DELAY] minimum time between logins not reached");
    let d = connect_failure(&pop3_request(ALICE, "127.0.0.1", pop3.port(), Security::None)).await;
    assert_eq!(d.code, DiagnosisCode::Throttled, "{d:?}");
    assert!(steps(&d).contains("wait a few minutes"), "{:?}", d.steps);
}

#[tokio::test]
async fn gmail_bandwidth_and_connection_limits_are_not_a_wrong_password() {
    let bandwidth =
        imap_refusing("* OK Gimap ready", "NO [OVERQUOTA] Account exceeded command or bandwidth limits. (Failure)");
    let d = imap_failure("alice@gmail.com", &bandwidth).await;
    assert_eq!(d.code, DiagnosisCode::BandwidthExceeded, "{d:?}");
    assert!(steps(&d).contains("24 hours"), "{:?}", d.steps);
    assert_eq!(d.help_url.as_deref(), Some("https://support.google.com/a/answer/1071518"));

    let connections = imap_refusing("* OK Gimap ready", "NO [ALERT] Too many simultaneous connections. (Failure)");
    let d = imap_failure("alice@gmail.com", &connections).await;
    assert_eq!(d.code, DiagnosisCode::TooManyConnections, "{d:?}");
    assert!(steps(&d).contains("close other mail apps"), "{:?}", d.steps);
}

#[tokio::test]
async fn rfc5530_codes_without_words_are_read_by_their_code() {
    let expired = imap_refusing("* OK ready", "NO [EXPIRED] Authentication succeeded but is no longer valid");
    let d = imap_failure(ALICE, &expired).await;
    assert_eq!(d.code, DiagnosisCode::PasswordExpired, "{d:?}");
    assert!(steps(&d).contains("change your password"), "{:?}", d.steps);

    let authz = imap_refusing("* OK ready", "NO [AUTHORIZATIONFAILED] No such authorization-ID");
    let d = imap_failure(ALICE, &authz).await;
    assert_eq!((d.code, d.who_acts), (DiagnosisCode::NotAuthorized, WhoActs::Administrator), "{d:?}");
    assert!(steps(&d).contains("give your account access"), "{:?}", d.steps);

    let bug = imap_refusing(
        "* OK ready",
        "NO [SERVERBUG] Internal error occurred. Refer to server log for more information.",
    );
    let d = imap_failure(ALICE, &bug).await;
    assert_eq!((d.code, d.who_acts), (DiagnosisCode::ServerError, WhoActs::Provider), "{d:?}");
    assert!(steps(&d).contains("send the report to your provider"), "{:?}", d.steps);

    let in_use = imap_refusing("* OK ready", "NO [INUSE] Mailbox in use by another session");
    let d = imap_failure(ALICE, &in_use).await;
    assert_eq!(d.code, DiagnosisCode::MailboxInUse, "{d:?}");
}

#[tokio::test]
async fn a_greeting_that_turns_the_client_away_is_busy_or_blocked() {
    // BYE at the IMAP greeting (RFC 3501 7.1.5).
    let bye = ScriptedServer::start(Answer::line("* BYE Server busy, try again later"), |_| Answer::Close);
    let d = imap_failure(ALICE, &bye).await;
    assert_eq!((d.code, d.stage, d.who_acts), (DiagnosisCode::ServerBusy, Some(Stage::Greeting), WhoActs::Provider));
    assert!(steps(&d).contains("wait a few minutes"), "{:?}", d.steps);

    // SMTP 554 at the greeting (RFC 5321 3.1) with 5.7.1: this network is refused by policy.
    let blocked = ScriptedServer::start(
        Answer::line("554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org"),
        |_| Answer::Close,
    );
    let d = smtp_failure(ALICE, &blocked).await;
    assert_eq!((d.code, d.stage), (DiagnosisCode::ConnectionBlocked, Some(Stage::Greeting)), "{d:?}");
    assert!(steps(&d).contains("another network"), "{:?}", d.steps);
}

// ---- Dovecot configured to refuse ------------------------------------------------------------------

fn disabled(login: &str, reason: &str) -> DisabledLogin {
    DisabledLogin { login: login.into(), password: ALICE_PASSWORD.into(), reason: reason.into() }
}

#[tokio::test]
async fn dovecot_refusing_a_disabled_login_gives_its_administrators_reason() {
    let server = dovecot(DovecotOptions {
        disabled_logins: vec![
            disabled("off@example.test", "Account disabled by your administrator"),
            disabled("old@example.test", "Your password has expired"),
            disabled("locked@example.test", "Account locked after too many failed sign-ins"),
        ],
        ..Default::default()
    });
    let imap = |email: &str| request(email, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::Tls);

    // Dovecot answers `NO [CONTACTADMIN] <reason>`.
    let d = connect_failure(&imap("off@example.test")).await;
    assert_eq!((d.code, d.who_acts), (DiagnosisCode::AccountDisabled, WhoActs::Administrator), "{d:?}");
    assert!(steps(&d).contains("ask your administrator"), "{:?}", d.steps);
    assert!(d.evidence.iter().any(|e| e.contains("CONTACTADMIN")), "{:?}", d.evidence);
    assert!(d.evidence.iter().any(|e| e.contains("Account disabled by your administrator")), "{:?}", d.evidence);

    let d = connect_failure(&imap("old@example.test")).await;
    assert_eq!(d.code, DiagnosisCode::PasswordExpired, "{d:?}");
    assert!(steps(&d).contains("change your password"), "{:?}", d.steps);

    let d = connect_failure(&imap("locked@example.test")).await;
    assert_eq!(d.code, DiagnosisCode::AccountLocked, "{d:?}");
    assert!(steps(&d).contains("old password"), "{:?}", d.steps);

    // POP3: `-ERR [CONTACTADMIN] <reason>`.
    let d = connect_failure(&pop3_request("off@example.test", "localhost", server.pop3s_port(), Security::Tls)).await;
    assert_eq!(d.code, DiagnosisCode::AccountDisabled, "{d:?}");

    // A wrong password at the same server is still a wrong password.
    let d = connect_failure(&request(ALICE, "not-the-password", "localhost", server.imaps_port(), Security::Tls)).await;
    assert_eq!(d.code, DiagnosisCode::AuthenticationFailed, "{d:?}");
}

/// Signs in on Dovecot's plain port and keeps the connection open: `command` and `done` are the
/// protocol's (IMAP LOGIN and its tagged OK, POP3 PASS and its +OK).
fn hold_signed_in(port: u16, lines: &[String], done: &str) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let mut writer = stream.try_clone().unwrap();
    for command in lines {
        writer.write_all(format!("{command}\r\n").as_bytes()).unwrap();
        line.clear();
        reader.read_line(&mut line).unwrap();
    }
    assert!(line.starts_with(done), "not signed in: {line}");
    stream
}

#[tokio::test]
async fn dovecot_over_its_connection_limit_is_too_many_connections_not_a_wrong_password() {
    let server = dovecot(DovecotOptions { max_userip_connections: 1, ..Default::default() });
    let _held = hold_signed_in(server.imap_port(), &[format!("a LOGIN \"{ALICE}\" \"{ALICE_PASSWORD}\"")], "a OK");
    // `NO [LIMIT] Maximum number of connections from user+IP exceeded`.
    let d = connect_failure(&request(ALICE, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::Tls)).await;
    assert_eq!((d.code, d.who_acts), (DiagnosisCode::TooManyConnections, WhoActs::You), "{d:?}");
    assert!(steps(&d).contains("close other mail apps"), "{:?}", d.steps);
    assert!(d.evidence.iter().any(|e| e.contains("IMAP response code: LIMIT")), "{:?}", d.evidence);

    // POP3 says it with `-ERR [IN-USE] Maximum number of connections ...`.
    let _held_pop3 =
        hold_signed_in(server.pop3_port(), &[format!("USER {ALICE}"), format!("PASS {ALICE_PASSWORD}")], "+OK");
    let d = connect_failure(&pop3_request(ALICE, "localhost", server.pop3s_port(), Security::Tls)).await;
    assert_eq!(d.code, DiagnosisCode::TooManyConnections, "{d:?}");
}

#[tokio::test]
async fn dovecot_with_the_pop3_mailbox_locked_by_another_session() {
    let server = dovecot(DovecotOptions { pop3_lock_session: true, ..Default::default() });
    let _held = hold_signed_in(server.pop3_port(), &[format!("USER {ALICE}"), format!("PASS {ALICE_PASSWORD}")], "+OK");
    // Dovecot waits a second for the lock before it answers: the default deadlines, not the short ones.
    let dir = tempfile::tempdir().unwrap();
    let d = engine(dir.path())
        .connect(&pop3_request(ALICE, "localhost", server.pop3s_port(), Security::Tls), &Recorder::default())
        .await
        .expect_err("the mailbox is locked");
    assert_eq!((d.code, d.who_acts), (DiagnosisCode::MailboxInUse, WhoActs::You), "{d:?}");
    assert!(steps(&d).contains("close other mail programs"), "{:?}", d.steps);
    assert!(d.evidence.iter().any(|e| e.contains("POP3 response code: IN-USE")), "{:?}", d.evidence);
}

#[tokio::test]
async fn tls_spoken_to_a_starttls_port_says_to_choose_starttls() {
    let server = dovecot(DovecotOptions::default());
    let d = connect_failure(&request(ALICE, ALICE_PASSWORD, "localhost", server.imap_port(), Security::Tls)).await;
    assert_eq!((d.code, d.stage), (DiagnosisCode::PortExpectsStarttls, Some(Stage::Tls)), "{d:?}");
    let all_steps = steps(&d);
    assert!(all_steps.contains("choose starttls") && all_steps.contains("993"), "{all_steps}");
}

#[tokio::test]
async fn starttls_spoken_to_a_tls_port_says_to_choose_ssl_tls() {
    let server = dovecot(DovecotOptions::default());
    // Dovecot's imaps port waits for a TLS handshake: no greeting comes in plain text.
    let d =
        connect_failure(&request(ALICE, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::Starttls)).await;
    assert_eq!((d.code, d.stage), (DiagnosisCode::PortExpectsTls, Some(Stage::Greeting)), "{d:?}");
    let all_steps = steps(&d);
    assert!(all_steps.contains("ssl/tls") && all_steps.contains("143"), "{all_steps}");
    assert!(d.evidence.iter().any(|e| e.contains("TLS")), "{:?}", d.evidence);
    // The same for POP3's pop3s port, with POP3's ports, and for no encryption at all.
    let d = connect_failure(&pop3_request(ALICE, "localhost", server.pop3s_port(), Security::Starttls)).await;
    assert_eq!(d.code, DiagnosisCode::PortExpectsTls, "{d:?}");
    let all_steps = steps(&d);
    assert!(all_steps.contains("ssl/tls") && all_steps.contains("110"), "{all_steps}");
    let mut plain = request(ALICE, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::None);
    plain.settings.incoming.settings_mut().allow_plaintext_password = true;
    assert_eq!(connect_failure(&plain).await.code, DiagnosisCode::PortExpectsTls);
}

#[tokio::test]
async fn a_silent_port_that_speaks_no_tls_either_stays_timed_out() {
    let silent = inlet_testkit::faults::SilentServer::start();
    let d = connect_failure(&request(ALICE, CANARY, "127.0.0.1", silent.port(), Security::Starttls)).await;
    assert_eq!((d.code, d.stage), (DiagnosisCode::TimedOut, Some(Stage::Greeting)), "{d:?}");
}
