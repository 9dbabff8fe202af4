//! Logs at the most verbose level hold no secret: real sign-ins (IMAP, POP3, SMTP, a refused
//! one, a test message) against Dovecot and aiosmtpd, logged by `inlet_core::logging` into a
//! temporary folder, then every log file searched for the canary password and its base64 forms.
//! The address shows only masked, and the files are private.
//!
//! One test in this binary: the log subscriber is global to the process.

mod common;

use base64::Engine as _;
use common::*;
use inlet_core::account::{Endpoint, IncomingServer, MailboxKind, OutgoingSettings, Security};
use inlet_core::logging::{self, LogSettings};
use inlet_testkit::{Dovecot, DovecotOptions, SmtpOptions, SmtpServer};

const CAROL: &str = "carol@example.test";
/// A login that works only as the local part, so "signed in as dave" goes through the logs too.
const DAVE: &str = "dave@example.test";
const CANARY: &str = "canary-7Q2x-Zebra";
const WRONG_CANARY: &str = "wrong-canary-K9v4";

fn plain_forms(user: &str, password: &str) -> Vec<String> {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    vec![
        password.to_owned(),
        b64(password),
        b64(&format!("\0{user}\0{password}")),
        b64(&format!("{user}\0{user}\0{password}")),
    ]
}

#[tokio::test]
async fn the_most_verbose_log_of_real_sign_ins_holds_no_password_and_no_whole_address() {
    let logs_dir = tempfile::tempdir().unwrap();
    let logs = logs_dir.path().join("data").join("logs");
    logging::init(&LogSettings { verbosity: 2, directory: Some(logs.clone()), stderr: false }).expect("logging starts");

    let users = vec![(CAROL.to_owned(), CANARY.to_owned()), ("dave".to_owned(), CANARY.to_owned())];
    let dovecot = Dovecot::start(pki(), DovecotOptions { users: users.clone(), ..Default::default() }).unwrap();
    let smtp = SmtpServer::start(pki(), SmtpOptions { users, sender_must_be_login: false, ..Default::default() })
        .expect("the SMTP test server starts (needs python3 -m pip install aiosmtpd)");
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());

    // IMAP with the outgoing check beside it (AUTH PLAIN on SMTP), then the test message.
    let mut req = request(CAROL, CANARY, "localhost", dovecot.imaps_port(), Security::Tls);
    req.settings.outgoing = Some(OutgoingSettings {
        endpoint: Endpoint { host: "localhost".into(), port: smtp.smtp_port(), security: Security::Starttls },
        username: None,
        same_password: true,
        allow_plaintext_password: false,
    });
    engine.connect(&req, &Recorder::default()).await.expect("carol signs in");
    engine.send_test_message(&req, &Recorder::default()).await.expect("the test message goes out");
    assert_eq!(smtp.received().len(), 1);

    // IMAP over STARTTLS as dave, accepted only as the local part.
    let req = request(DAVE, CANARY, "localhost", dovecot.imap_port(), Security::Starttls);
    let report = engine.connect(&req, &Recorder::default()).await.expect("dave signs in");
    assert_eq!(report.username_used, "dave");

    // POP3.
    let mut pop = request(CAROL, CANARY, "localhost", dovecot.pop3s_port(), Security::Tls);
    pop.settings.kind = MailboxKind::Pop3;
    pop.settings.incoming = IncomingServer::Pop3(pop.settings.incoming.settings().clone());
    engine.connect(&pop, &Recorder::default()).await.expect("POP3 signs in");

    // A refused password is logged too, and must not be either.
    let wrong = request(CAROL, WRONG_CANARY, "localhost", dovecot.imaps_port(), Security::Tls);
    engine.connect(&wrong, &Recorder::default()).await.expect_err("wrong password");

    let mut files: Vec<_> = std::fs::read_dir(&logs).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(!files.is_empty(), "no log file in {logs:?}");
    let mut all = String::new();
    for file in &files {
        all.push_str(&std::fs::read_to_string(file).unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{file:?}");
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&logs).unwrap().permissions().mode() & 0o777, 0o700);
    }

    // The log is worth reading: each use case with its host, port and outcome, each step.
    assert!(all.contains("connect{"), "{all}");
    assert!(all.contains(&format!("port={}", dovecot.imaps_port())), "{all}");
    assert!(all.contains("outcome=\"ok\"") || all.contains("outcome=ok"), "{all}");
    assert!(all.contains("authentication_failed"), "{all}");
    assert!(all.contains("duration_ms="), "{all}");
    assert!(all.contains("stage=SigningIn"), "{all}");
    assert!(all.contains("send_test_message{"), "{all}");

    // No secret, in any form a library could have written it.
    for user in [CAROL, "dave", DAVE] {
        for password in [CANARY, WRONG_CANARY] {
            for form in plain_forms(user, password) {
                assert!(!all.contains(&form), "the log holds {form:?}");
            }
        }
    }
    // The address only masked, and the local-part login too.
    let lower = all.to_lowercase();
    assert!(!lower.contains(CAROL) && !lower.contains(DAVE), "a whole address in the log:\n{all}");
    assert!(!lower.contains("as dave"), "the login name in the log:\n{all}");
    assert!(all.contains("c…@example.test") && all.contains("d…@example.test"), "{all}");
}
