//! Dovecot and the SMTP server check bearer tokens (XOAUTH2, OAUTHBEARER RFC 7628) at the test
//! authorization server's introspection: a good token signs in, and an unknown, revoked,
//! foreign or another user's token gets the JSON error challenge, then a refusal.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use inlet_testkit::oauth::{AuthServer, AuthServerOptions};
use inlet_testkit::{Dovecot, DovecotOAuth2, DovecotOptions, TestPki};

const ALICE: &str = "alice@example.test";

fn xoauth2(user: &str, token: &str) -> String {
    B64.encode(format!("user={user}\x01auth=Bearer {token}\x01\x01"))
}

fn oauthbearer(user: &str, token: &str, port: u16) -> String {
    B64.encode(format!("n,a={user},\x01host=127.0.0.1\x01port={port}\x01auth=Bearer {token}\x01\x01"))
}

struct Line {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Line {
    fn connect(port: u16) -> Line {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        Line { reader: BufReader::new(stream.try_clone().unwrap()), writer: stream }
    }
    fn read(&mut self) -> String {
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("read");
        assert!(!line.is_empty(), "connection closed");
        line.trim_end().to_owned()
    }
    fn send(&mut self, text: &str) {
        write!(self.writer, "{text}\r\n").unwrap();
    }
}

/// The outcome of an IMAP AUTHENTICATE with an initial response: the JSON error challenge (if
/// one came; answered with an empty line as RFC 7628 §3.2.3 requires) and the tagged reply.
fn imap_auth(port: u16, mechanism: &str, initial: &str) -> (Option<String>, String) {
    let mut c = Line::connect(port);
    assert!(c.read().starts_with("* OK"));
    c.send(&format!("a AUTHENTICATE {mechanism} {initial}"));
    let mut challenge = None;
    loop {
        let line = c.read();
        if let Some(b64) = line.strip_prefix("+ ") {
            challenge = Some(String::from_utf8(B64.decode(b64).unwrap()).unwrap());
            c.send("");
        } else if line.starts_with("a ") {
            return (challenge, line);
        }
    }
}

fn pop3_auth(port: u16, mechanism: &str, initial: &str) -> (Option<String>, String) {
    let mut c = Line::connect(port);
    assert!(c.read().starts_with("+OK"));
    c.send(&format!("AUTH {mechanism} {initial}"));
    let mut challenge = None;
    loop {
        let line = c.read();
        if let Some(b64) = line.strip_prefix("+ ") {
            challenge = Some(String::from_utf8(B64.decode(b64).unwrap()).unwrap());
            c.send("");
        } else {
            return (challenge, line);
        }
    }
}

#[test]
fn dovecot_checks_bearer_tokens_at_introspection() {
    let pki = TestPki::generate();
    let auth = AuthServer::start(&pki, AuthServerOptions::default());
    let dovecot = Dovecot::start(
        &pki,
        DovecotOptions { oauth2: Some(DovecotOAuth2::introspecting(&auth)), ..Default::default() },
    )
    .expect("dovecot starts");
    let alice = auth.sign_in(ALICE, &["mail"]);
    let bob = auth.sign_in("bob", &["mail"]);
    let foreign = auth.sign_in_as_client("other-app", ALICE, &["mail"]);

    let (imap, pop3) = (dovecot.imap_port(), dovecot.pop3_port());
    for (mechanism, initial) in [
        ("XOAUTH2", xoauth2(ALICE, &alice.access_token)),
        ("OAUTHBEARER", oauthbearer(ALICE, &alice.access_token, imap)),
    ] {
        let (challenge, reply) = imap_auth(imap, mechanism, &initial);
        assert!(challenge.is_none() && reply.starts_with("a OK"), "{mechanism}: {reply}\n{}", dovecot.log_tail());
        let (challenge, reply) = pop3_auth(pop3, mechanism, &initial);
        assert!(challenge.is_none() && reply.starts_with("+OK"), "{mechanism}: {reply}\n{}", dovecot.log_tail());
    }
    // Passwords still work beside tokens.
    let mut c = Line::connect(imap);
    c.read();
    c.send("a LOGIN alice@example.test wonderland-42");
    assert!(c.read().starts_with("a OK"));

    // Unknown, foreign, another user's: the JSON error challenge, then NO.
    for (what, user, token) in [
        ("unknown", ALICE, "an-unknown-token"),
        ("foreign", ALICE, foreign.access_token.as_str()),
        ("bob's", ALICE, bob.access_token.as_str()),
    ] {
        for mechanism in ["XOAUTH2", "OAUTHBEARER"] {
            let initial = if mechanism == "XOAUTH2" { xoauth2(user, token) } else { oauthbearer(user, token, imap) };
            let (challenge, reply) = imap_auth(imap, mechanism, &initial);
            let challenge = challenge.unwrap_or_else(|| panic!("{what} {mechanism}: no challenge, {reply}"));
            assert!(challenge.contains("\"status\""), "{what}: {challenge}");
            assert!(reply.starts_with("a NO"), "{what} {mechanism}: {reply}");
            let (challenge, reply) = pop3_auth(pop3, mechanism, &initial);
            assert!(challenge.is_some() && reply.starts_with("-ERR"), "{what} {mechanism} POP3: {reply}");
        }
    }

    // Revoked: refused from then on.
    auth.revoke_all(ALICE);
    let (challenge, reply) = imap_auth(imap, "XOAUTH2", &xoauth2(ALICE, &alice.access_token));
    assert!(challenge.is_some() && reply.starts_with("a NO"), "{reply}");
}

#[test]
fn oauth_only_dovecot_takes_tokens_and_no_passwords() {
    let pki = TestPki::generate();
    let auth = AuthServer::start(&pki, AuthServerOptions::default());
    let dovecot = Dovecot::start(
        &pki,
        DovecotOptions { oauth_only: true, oauth2: Some(DovecotOAuth2::introspecting(&auth)), ..Default::default() },
    )
    .expect("dovecot starts");
    let mut c = Line::connect(dovecot.imap_port());
    let greeting = c.read();
    assert!(greeting.contains("AUTH=XOAUTH2") && !greeting.contains("AUTH=PLAIN"), "{greeting}");
    c.send("a LOGIN alice@example.test wonderland-42");
    assert!(c.read().starts_with("a NO"));
    let alice = auth.sign_in(ALICE, &["mail"]);
    let (_, reply) = imap_auth(dovecot.imap_port(), "XOAUTH2", &xoauth2(ALICE, &alice.access_token));
    assert!(reply.starts_with("a OK"), "{reply}\n{}", dovecot.log_tail());
}

/// One SMTP AUTH with an initial response: the JSON error challenge if one came (answered with
/// `answer`), and the final reply.
fn smtp_auth(port: u16, mechanism: &str, initial: &str, answer: &str) -> (Option<String>, String) {
    let mut c = Line::connect(port);
    assert!(c.read().starts_with("220"));
    c.send("EHLO client.test");
    while c.read().starts_with("250-") {}
    c.send(&format!("AUTH {mechanism} {initial}"));
    let mut challenge = None;
    loop {
        let line = c.read();
        if let Some(b64) = line.strip_prefix("334 ") {
            challenge = Some(String::from_utf8(B64.decode(b64).unwrap()).unwrap());
            c.send(answer);
        } else {
            return (challenge, line);
        }
    }
}

#[test]
fn smtp_checks_bearer_tokens_at_introspection() {
    use inlet_testkit::oauth::Style;
    use inlet_testkit::{SmtpOptions, SmtpServer};
    let pki = TestPki::generate();
    let auth = AuthServer::start(&pki, AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let smtp = SmtpServer::start(&pki, SmtpOptions { starttls: false, ..Default::default() }.with_oauth2(&auth))
        .expect("aiosmtpd starts");
    let port = smtp.smtp_port();
    let alice = auth.sign_in(ALICE, &["https://outlook.office.com/SMTP.Send"]);
    let bob = auth.sign_in("bob", &["https://outlook.office.com/SMTP.Send"]);

    for (mechanism, initial) in [
        ("XOAUTH2", xoauth2(ALICE, &alice.access_token)),
        ("OAUTHBEARER", oauthbearer(ALICE, &alice.access_token, port)),
    ] {
        let (challenge, reply) = smtp_auth(port, mechanism, &initial, "");
        assert!(challenge.is_none() && reply.starts_with("235"), "{mechanism}: {reply}\n{}", smtp.log_tail());
    }
    // Bob's token for alice, and an unknown token: the challenge (RFC 7628 §3.2.2), answered
    // with an empty response (XOAUTH2) or %x01 (OAUTHBEARER, §3.2.3), then 535.
    for (mechanism, initial, answer) in [
        ("XOAUTH2", xoauth2(ALICE, &bob.access_token), ""),
        ("OAUTHBEARER", oauthbearer(ALICE, "an-unknown-token", port), "AQ=="),
    ] {
        let (challenge, reply) = smtp_auth(port, mechanism, &initial, answer);
        let challenge = challenge.unwrap_or_else(|| panic!("{mechanism}: no challenge, {reply}"));
        assert!(challenge.contains("\"scope\": \"https://outlook.office.com/SMTP.Send\""), "{challenge}");
        assert!(reply.starts_with("535"), "{mechanism}: {reply}");
    }
    // Revoked.
    auth.revoke_all(ALICE);
    let (challenge, reply) = smtp_auth(port, "XOAUTH2", &xoauth2(ALICE, &alice.access_token), "");
    assert!(challenge.is_some() && reply.starts_with("535"), "{reply}");
    // Passwords still work.
    let plain = B64.encode("\0bob\0builder-7");
    assert!(smtp_auth(port, "PLAIN", &plain, "").1.starts_with("235"));
}
