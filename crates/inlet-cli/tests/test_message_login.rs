//! `connect --send-test-message` sends with the login name the check found working: here both
//! real servers (Dovecot and aiosmtpd) accept bob only as the local part "bob", never as
//! bob@example.test.

use inlet_testkit::{Dovecot, DovecotOptions, SmtpOptions, SmtpServer, TestPki};
use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn the_test_message_is_sent_as_the_login_that_worked() {
    let pki = TestPki::generate();
    let incoming = Dovecot::start(&pki, DovecotOptions::default()).unwrap();
    // The sender is the address, the login its local part: this server lets that through.
    let outgoing = SmtpServer::start(&pki, SmtpOptions { sender_must_be_login: false, ..Default::default() })
        .expect("the SMTP test server starts (needs python3 -m pip install aiosmtpd)");
    let (imaps, smtps) = (incoming.imaps_port().to_string(), outgoing.smtps_port().to_string());
    let mut child = Command::new(env!("CARGO_BIN_EXE_inlet-cli"))
        .args(["connect", "--email", "bob@example.test", "--host", "localhost", "--port", &imaps])
        .args(["--smtp-host", "localhost", "--smtp-port", &smtps, "--smtp-security", "tls"])
        .args(["--send-test-message", "--password-stdin", "--ca-file", pki.ca_pem_path().to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"builder-7\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("Outgoing: signed in to") && stdout.contains("as bob "), "{stdout}");
    assert!(stdout.contains("Test message sent to bob@example.test."), "{stdout}");
    let received = outgoing.received();
    assert_eq!(received.len(), 1, "{stderr}");
    assert_eq!(received[0].mail_from, "bob@example.test");
    assert_eq!(received[0].rcpt_tos, ["bob@example.test"]);
}
