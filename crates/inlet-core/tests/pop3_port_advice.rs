//! A POP3 connection that fails gets POP3's ports in its advice (995 with TLS, 110 with
//! STARTTLS), never IMAP's (993/143). Each failure is real: a closed port, a server that never
//! answers the TLS handshake, Dovecot's IMAP port given as POP3, and an HTTP server's answer.

mod common;

use common::*;
use inlet_core::account::{IncomingServer, MailboxKind, Security};
use inlet_core::{ConnectRequest, Diagnosis, DiagnosisCode};
use inlet_testkit::{faults, Dovecot};

fn pop3_request(port: u16, security: Security) -> ConnectRequest {
    let mut req = request(ALICE, ALICE_PASSWORD, "localhost", port, security);
    req.settings.kind = MailboxKind::Pop3;
    req.settings.incoming = IncomingServer::Pop3(req.settings.incoming.settings().clone());
    req
}

fn assert_pop3_advice(d: &Diagnosis) {
    let advice = &d.what_to_do;
    assert!(!advice.contains("993") && !advice.contains("143"), "{:?}: IMAP ports for POP3: {advice}", d.code);
    assert!(advice.contains("995") || advice.contains("110"), "{:?}: no POP3 port: {advice}", d.code);
}

#[tokio::test]
async fn a_closed_pop3_port_gets_pop3_port_advice() {
    let dir = tempfile::tempdir().unwrap();
    let port = faults::closed_port();
    let d = engine_with(dir.path(), short_deadlines())
        .connect(&pop3_request(port, Security::Tls), &Recorder::default())
        .await
        .expect_err("nothing listens");
    assert_eq!(d.code, DiagnosisCode::ConnectionRefused);
    assert_pop3_advice(&d);
}

#[tokio::test]
async fn a_pop3_tls_handshake_that_never_completes_gets_pop3_port_advice() {
    let dir = tempfile::tempdir().unwrap();
    let silent = faults::TlsHandshakeHang::start();
    let d = engine_with(dir.path(), short_deadlines())
        .connect(&pop3_request(silent.port(), Security::Tls), &Recorder::default())
        .await
        .expect_err("no TLS answer");
    assert_eq!(d.code, DiagnosisCode::TimedOut);
    assert_pop3_advice(&d);
}

#[tokio::test]
async fn an_imap_port_given_as_pop3_gets_pop3_port_advice() {
    let server = Dovecot::start(pki(), Default::default()).expect("dovecot starts");
    let dir = tempfile::tempdir().unwrap();
    let d = engine_with(dir.path(), short_deadlines())
        .connect(&pop3_request(server.imaps_port(), Security::Tls), &Recorder::default())
        .await
        .expect_err("IMAP is not POP3");
    assert_eq!(d.code, DiagnosisCode::ProtocolError, "{d:?}");
    assert_pop3_advice(&d);

    // POP3 with TLS on Dovecot's plain POP3 port: the server answers the ClientHello in clear.
    let d = engine_with(dir.path(), short_deadlines())
        .connect(&pop3_request(server.pop3_port(), Security::Tls), &Recorder::default())
        .await
        .expect_err("no TLS on the plain port");
    assert_pop3_advice(&d);
}

#[tokio::test]
async fn an_http_answer_on_the_pop3_port_gets_pop3_port_advice() {
    let http = faults::GreetingThenSilence::start("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    let dir = tempfile::tempdir().unwrap();
    let d = engine_with(dir.path(), short_deadlines())
        .connect(&pop3_request(http.port(), Security::Starttls), &Recorder::default())
        .await
        .expect_err("HTTP is not POP3");
    assert_eq!(d.code, DiagnosisCode::ProtocolError, "{d:?}");
    assert_pop3_advice(&d);
}
