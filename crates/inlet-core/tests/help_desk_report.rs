//! The help-desk report of failing checks against real servers: Dovecot refusing a canary
//! password, a server that never greets, a scripted IMAP server refusing a canary token and
//! quoting it back. Each report has the stage timings, the greeting, the sign-in tries, and no
//! secret in any form, in JSON or Markdown, masked or not.

mod common;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use common::*;
use inlet_core::account::{AuthMethod, Endpoint, OutgoingSettings, Security};
use inlet_core::progress::{NoProgress, Side, Stage, StageState};
use inlet_core::report::{HelpDeskReport, SignInResult};
use inlet_core::secrets::{Credentials, OAuth2Grant, Secret};
use inlet_core::DiagnosisCode;
use inlet_testkit::faults::{Answer, ScriptedServer, SilentServer};
use inlet_testkit::{Dovecot, DovecotOptions};

const CANARY_PASSWORD: &str = "canary-Pa55-7f3a9";
const CANARY_TOKEN: &str = "ya29.canary-token-5be1";

/// Neither the secret nor any form a server could echo it in appears anywhere in the report.
fn assert_no_secret(report: &HelpDeskReport, secret: &str, usernames: &[&str]) {
    let mut forms = vec![secret.to_owned(), BASE64.encode(secret)];
    for u in usernames {
        forms.push(BASE64.encode(format!("\0{u}\0{secret}")));
        forms.push(BASE64.encode(format!("user={u}\x01auth=Bearer {secret}\x01\x01")));
    }
    for text in [report.to_json(), report.to_markdown(), report.masked().to_json(), report.masked().to_markdown()] {
        for form in &forms {
            assert!(!text.contains(form.as_str()), "a secret form {form:?} in the report:\n{text}");
        }
    }
}

fn stage(a: &inlet_core::report::Attempt, s: Stage) -> &inlet_core::report::StageTiming {
    a.stages.iter().find(|t| t.stage == s).unwrap_or_else(|| panic!("no {s:?} in {:?}", a.stages))
}

#[tokio::test]
async fn a_wrong_password_on_dovecot_is_reported_with_timings_greeting_and_mechanisms_and_no_password() {
    let server = Dovecot::start(pki(), DovecotOptions::default()).expect("dovecot starts");
    let dir = tempfile::tempdir().unwrap();
    let checked = engine(dir.path())
        .connect_reported(
            &request(ALICE, CANARY_PASSWORD, "localhost", server.imaps_port(), Security::Tls),
            &[],
            &NoProgress,
        )
        .await;
    let d = checked.outcome.as_ref().expect_err("the canary is no password of alice's");
    assert_eq!(d.code, DiagnosisCode::AuthenticationFailed);
    let report = &checked.report;
    assert_eq!(report.outcome.code.as_deref(), Some("authentication_failed"));
    assert!(report.app.starts_with("Inlet ") && !report.os.is_empty(), "{} / {}", report.app, report.os);

    assert_eq!(report.attempts.len(), 1, "{:?}", report.attempts);
    let a = &report.attempts[0];
    assert_eq!((a.side, a.server.as_str(), a.failed_stage), (Side::Incoming, "localhost", Some(Stage::SigningIn)));
    for s in [Stage::Resolving, Stage::Connecting, Stage::Tls, Stage::Greeting] {
        let t = stage(a, s);
        assert_eq!(t.state, StageState::Done, "{t:?}");
        assert!(t.ended_ms.is_some_and(|end| end >= t.started_ms), "{t:?}");
    }
    assert_eq!(stage(a, Stage::SigningIn).state, StageState::Failed);
    assert!(stage(a, Stage::Tls).detail.as_deref().is_some_and(|d| d.contains("TLS")), "{:?}", a.stages);
    let greeting = a.greeting.as_deref().expect("the greeting is kept");
    assert!(greeting.to_lowercase().contains("ready"), "{greeting}");
    assert!(!a.capabilities.is_empty() && a.capabilities.iter().any(|c| c.contains("IMAP4")), "{:?}", a.capabilities);
    // Both login names were tried with the mechanism Dovecot offers, and refused.
    let tried: Vec<(&str, &str, SignInResult)> =
        a.sign_in.iter().map(|t| (t.username.as_str(), t.method.as_str(), t.result)).collect();
    assert_eq!(
        tried,
        vec![(ALICE, "PLAIN", SignInResult::Refused), ("alice", "PLAIN", SignInResult::Refused)],
        "{:?}",
        a.sign_in
    );

    let md = report.to_markdown();
    for expected in [
        "# Inlet help-desk report",
        "`authentication_failed`",
        "| Securing the connection (TLS) |",
        "| Signing in |",
        "- Greeting: ",
        "- Sign-in tried: alice@example.test with PLAIN: refused",
    ] {
        assert!(md.contains(expected), "{expected:?} missing:\n{md}");
    }
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["outcome"]["code"], "authentication_failed");
    assert_eq!(json["attempts"][0]["signIn"][0]["method"], "PLAIN");
    assert_no_secret(report, CANARY_PASSWORD, &[ALICE, "alice"]);

    // Masked: neither the address, nor the login name made of it, nor the domain.
    let masked = report.masked();
    assert!(masked.masked);
    for text in [masked.to_json(), masked.to_markdown()] {
        assert!(!text.contains("alice@example.test") && !text.contains("example.test"), "{text}");
        assert!(!text.contains(" alice ") && !text.contains("\"alice\""), "{text}");
        assert!(text.contains("a…@e….test"), "{text}");
    }
    // Masking keeps the report readable as a report.
    assert_eq!(masked.attempts[0].sign_in.len(), 2);
    assert_eq!(masked.outcome.code.as_deref(), Some("authentication_failed"));
}

/// An SMTP server offering AUTH PLAIN LOGIN that refuses every sign-in (RFC 4954: 535 5.7.8).
fn smtp_refusing_every_password() -> ScriptedServer {
    ScriptedServer::start(Answer::line("220 mail.example.test ESMTP"), |line| {
        match line.split(' ').next().unwrap_or("").to_ascii_uppercase().as_str() {
            "EHLO" => Answer::Send(b"250-mail.example.test\r\n250 AUTH PLAIN LOGIN\r\n".to_vec()),
            "AUTH" => Answer::line("535 5.7.8 Authentication credentials invalid"),
            "QUIT" => Answer::line("221 bye"),
            _ => Answer::line("500 5.5.1 unknown"),
        }
    })
}

#[tokio::test]
async fn both_servers_refusing_the_password_keep_both_diagnoses_in_the_reported_check() {
    // The outgoing server's refusal needs no reachability check: it must not be lost on the
    // way (the error view says "both servers refused this password" from it).
    let server = Dovecot::start(pki(), DovecotOptions::default()).expect("dovecot starts");
    let smtp = smtp_refusing_every_password();
    let mut req = request(ALICE, CANARY_PASSWORD, "localhost", server.imaps_port(), Security::Tls);
    req.settings.outgoing = Some(OutgoingSettings {
        endpoint: Endpoint { host: "127.0.0.1".into(), port: smtp.port(), security: Security::None },
        username: None,
        same_password: true,
        allow_plaintext_password: true,
    });
    let dir = tempfile::tempdir().unwrap();
    let checked = engine(dir.path()).connect_reported(&req, &[], &NoProgress).await;
    let d = checked.outcome.as_ref().expect_err("neither server takes the canary");
    assert_eq!((d.code, d.side), (DiagnosisCode::AuthenticationFailed, Some(Side::Incoming)), "{d:?}");
    let also = d.also.as_deref().expect("the outgoing server's diagnosis is kept beside the incoming one");
    assert_eq!((also.code, also.side), (DiagnosisCode::AuthenticationFailed, Some(Side::Outgoing)), "{also:?}");
    assert!(
        checked.report.to_markdown().contains("## Diagnosis (outgoing server)"),
        "{}",
        checked.report.to_markdown()
    );
    assert_no_secret(&checked.report, CANARY_PASSWORD, &[ALICE, "alice"]);
}

#[tokio::test]
async fn a_silent_server_is_reported_with_the_stage_that_waited() {
    let server = SilentServer::start();
    let dir = tempfile::tempdir().unwrap();
    let mut request = request(ALICE, CANARY_PASSWORD, "127.0.0.1", server.port(), Security::None);
    request.settings.incoming.settings_mut().allow_plaintext_password = true;
    let checked = engine_with(dir.path(), short_deadlines()).connect_reported(&request, &[], &NoProgress).await;
    let d = checked.outcome.as_ref().expect_err("no greeting comes");
    assert_eq!((d.code, d.stage), (DiagnosisCode::TimedOut, Some(Stage::Greeting)), "{d:?}");
    assert!(d.reachability.is_none(), "the connection was made: no reachability check");
    let a = &checked.report.attempts[0];
    assert_eq!(a.failed_stage, Some(Stage::Greeting), "{a:?}");
    assert_eq!(stage(a, Stage::Connecting).state, StageState::Done);
    assert!(a.greeting.is_none() && a.sign_in.is_empty(), "{a:?}");
    let md = checked.report.to_markdown();
    assert!(md.contains("failed at: Waiting for the server's greeting"), "{md}");
    assert!(md.contains("`timed_out`"), "{md}");
    assert_no_secret(&checked.report, CANARY_PASSWORD, &[ALICE, "alice"]);
}

/// A server that refuses a token and quotes back the message it got (servers do): the token is
/// in none of the report's forms.
#[tokio::test]
async fn a_refused_token_quoted_back_by_the_server_is_not_in_the_report() {
    let pending = std::sync::Mutex::new(None::<String>);
    let server = ScriptedServer::start(Answer::line("* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2] ready"), move |line| {
        let mut pending = pending.lock().unwrap();
        if let Some(tag) = pending.take() {
            return Answer::line(&format!("{tag} NO [AUTHENTICATIONFAILED] invalid credentials {line}"));
        }
        let (tag, command) = line.split_once(' ').unwrap_or((line, ""));
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("AUTHENTICATE XOAUTH2 ") {
            let message = command.rsplit(' ').next().unwrap_or("");
            return Answer::line(&format!("{tag} NO [AUTHENTICATIONFAILED] invalid credentials {message}"));
        }
        if upper.starts_with("AUTHENTICATE") {
            *pending = Some(tag.to_owned());
            return Answer::line("+ ");
        }
        match upper.as_str() {
            "CAPABILITY" => Answer::line(&format!("* CAPABILITY IMAP4rev1 AUTH=XOAUTH2\r\n{tag} OK done")),
            _ => Answer::line(&format!("{tag} BAD unexpected")),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let mut request = request(ALICE, "unused", "127.0.0.1", server.port(), Security::None);
    let incoming = request.settings.incoming.settings_mut();
    incoming.allow_plaintext_password = true;
    incoming.auth = AuthMethod::OAuth2;
    request.credentials = Credentials::OAuth2(OAuth2Grant {
        issuer: "https://accounts.example.test".into(),
        client_id: "inlet-test".into(),
        refresh_token_entry: "alice@example.test#1/refresh".into(),
        token_url: None,
        access_token: Some(Secret::new(CANARY_TOKEN)),
    });
    let checked = engine_with(dir.path(), short_deadlines()).connect_reported(&request, &[], &NoProgress).await;
    let d = checked.outcome.as_ref().expect_err("the token is refused");
    assert_eq!(d.code, DiagnosisCode::MailAccessOff, "{d:?}");
    let a = &checked.report.attempts[0];
    assert!(a.sign_in.iter().all(|t| t.method == "XOAUTH2"), "{:?}", a.sign_in);
    assert!(server.heard().iter().any(|l| l.contains("XOAUTH2")), "the token was really sent");
    assert_no_secret(&checked.report, CANARY_TOKEN, &[ALICE, "alice"]);
}
