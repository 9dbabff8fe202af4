//! Sign-in with an OAuth2 bearer token, on the wire: a small real server on 127.0.0.1
//! (inlet-testkit's `ScriptedServer`) that plays IMAP or POP3, accepts one token and refuses any
//! other the way Gmail does (an error challenge, then NO / -ERR). Obtaining tokens (browser
//! sign-in) is not part of the engine yet; these tests hand it one.

mod common;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use common::*;
use inlet_core::account::{Endpoint, Security};
use inlet_core::error::EngineError;
use inlet_core::net::{Dial, Network};
use inlet_core::progress::Progress;
use inlet_core::secrets::{Credentials, OAuth2Grant, Secret};
use inlet_core::{imap, pop3, Deadlines};
use inlet_testkit::faults::{Answer, ScriptedServer};
use std::sync::Mutex;

const TOKEN: &str = "ya29.right-token-canary";
const WRONG: &str = "ya29.expired-token-canary";
/// `{"status":"401","schemes":"bearer"}`, the error challenge of RFC 7628 section 3.2.2.
const ERROR_CHALLENGE: &str = "eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIn0=";

fn grant(token: &str) -> Credentials {
    Credentials::OAuth2(OAuth2Grant {
        issuer: "https://accounts.example.test".into(),
        client_id: "inlet-test".into(),
        refresh_token_entry: "alice@example.test#1/refresh".into(),
        token_url: None,
        access_token: Some(Secret::new(token)),
    })
}

fn xoauth2(token: &str) -> String {
    BASE64.encode(format!("user={ALICE}\x01auth=Bearer {token}\x01\x01"))
}

fn oauthbearer(token: &str) -> String {
    BASE64.encode(format!("n,a={ALICE},\x01auth=Bearer {token}\x01\x01"))
}

/// IMAP on plain TCP offering `mechanisms`: accepts the OAUTHBEARER or XOAUTH2 message carrying
/// [`TOKEN`]; any other message gets the error challenge, and the client's acknowledgement a
/// NO that quotes the token it was sent (servers do quote back what they got).
fn imap_server(mechanisms: &str) -> ScriptedServer {
    let pending: Mutex<Option<String>> = Mutex::new(None);
    let sent: Mutex<String> = Mutex::new(String::new());
    ScriptedServer::start(Answer::line(&format!("* OK [CAPABILITY IMAP4rev1 {mechanisms}] ready")), move |line| {
        let mut pending = pending.lock().unwrap();
        if let Some(tag) = pending.clone() {
            if line == oauthbearer(TOKEN) || line == xoauth2(TOKEN) {
                *pending = None;
                return Answer::line(&format!("{tag} OK signed in"));
            }
            if line == "AQ==" || line.is_empty() {
                *pending = None;
                return Answer::line(&format!(
                    "{tag} NO [AUTHENTICATIONFAILED] invalid token {}",
                    sent.lock().unwrap()
                ));
            }
            *sent.lock().unwrap() = line.to_owned();
            return Answer::line(&format!("+ {ERROR_CHALLENGE}"));
        }
        let (tag, command) = line.split_once(' ').unwrap_or((line, ""));
        match command.to_ascii_uppercase().as_str() {
            c if c.starts_with("AUTHENTICATE ") => {
                *pending = Some(tag.to_owned());
                Answer::line("+ ")
            }
            "CAPABILITY" => Answer::line(&format!("* CAPABILITY IMAP4rev1\r\n{tag} OK done")),
            _ => Answer::line(&format!("{tag} BAD unexpected")),
        }
    })
}

/// POP3 on plain TCP whose CAPA lists `sasl`: AUTH with the XOAUTH2 or OAUTHBEARER message
/// carrying [`TOKEN`] signs in; another gets the error challenge, and the acknowledgement an
/// -ERR quoting the token.
fn pop3_server(sasl: &str) -> ScriptedServer {
    let sent: Mutex<String> = Mutex::new(String::new());
    let sasl = sasl.to_owned();
    ScriptedServer::start(Answer::line("+OK ready"), move |line| match line {
        "CAPA" => Answer::line(&format!("+OK\r\nSASL {sasl}\r\nUSER\r\n.")),
        "STAT" => Answer::line("+OK 2 320"),
        "QUIT" => Answer::line("+OK bye"),
        "" | "AQ==" => Answer::line(&format!("-ERR [AUTH] invalid token {}", sent.lock().unwrap())),
        _ => match line.strip_prefix("AUTH ").and_then(|rest| rest.split_once(' ')) {
            Some((_, message)) if message == xoauth2(TOKEN) || message == oauthbearer(TOKEN) => Answer::line("+OK in"),
            Some((_, message)) => {
                *sent.lock().unwrap() = message.to_owned();
                Answer::line(&format!("+ {ERROR_CHALLENGE}"))
            }
            None => Answer::line("-ERR unexpected"),
        },
    })
}

fn plain(port: u16) -> Endpoint {
    Endpoint { host: "127.0.0.1".into(), port, security: Security::None }
}

async fn imap_sign_in(server: &ScriptedServer, credentials: &Credentials) -> Result<String, EngineError> {
    let (endpoint, network, deadlines, rec) =
        (plain(server.port()), Network::new(&[pki().ca_pem_path()]).unwrap(), short(), Recorder::default());
    let progress = Progress::new(&rec);
    let dial = Dial {
        endpoint: &endpoint,
        allow_plaintext_password: true,
        network: &network,
        trusted: &[],
        deadlines: &deadlines,
        progress: &progress,
    };
    let connected = imap::connect(&dial).await?;
    let signed_in = imap::sign_in(connected, &[ALICE.to_owned()], credentials, &deadlines, &progress).await?;
    Ok(signed_in.username.clone())
}

async fn pop3_check(server: &ScriptedServer, credentials: &Credentials) -> Result<u32, EngineError> {
    let (endpoint, network, deadlines, rec) =
        (plain(server.port()), Network::new(&[pki().ca_pem_path()]).unwrap(), short(), Recorder::default());
    let progress = Progress::new(&rec);
    let dial = Dial {
        endpoint: &endpoint,
        allow_plaintext_password: true,
        network: &network,
        trusted: &[],
        deadlines: &deadlines,
        progress: &progress,
    };
    pop3::check(&dial, &[ALICE.to_owned()], credentials).await.map(|r| r.message_count)
}

fn short() -> Deadlines {
    short_deadlines()
}

#[tokio::test]
async fn imap_sends_the_token_by_oauthbearer_when_offered() {
    let server = imap_server("AUTH=PLAIN AUTH=XOAUTH2 AUTH=OAUTHBEARER");
    assert_eq!(imap_sign_in(&server, &grant(TOKEN)).await.expect("signed in"), ALICE);
    let heard = server.heard();
    assert!(heard.iter().any(|l| l.ends_with("AUTHENTICATE OAUTHBEARER")), "{heard:?}");
    assert!(heard.contains(&oauthbearer(TOKEN)), "{heard:?}");
}

#[tokio::test]
async fn imap_sends_the_token_by_xoauth2_when_that_is_all_there_is() {
    let server = imap_server("AUTH=PLAIN AUTH=XOAUTH2");
    assert_eq!(imap_sign_in(&server, &grant(TOKEN)).await.expect("signed in"), ALICE);
    assert!(server.heard().contains(&xoauth2(TOKEN)), "{:?}", server.heard());
}

#[tokio::test]
async fn imap_without_a_bearer_mechanism_says_so_before_sending_anything() {
    let server = imap_server("AUTH=PLAIN");
    let e = imap_sign_in(&server, &grant(TOKEN)).await.expect_err("no bearer mechanism");
    assert!(matches!(e, EngineError::NoUsableAuthMechanism { .. }), "{e:?}");
    assert!(!server.heard().iter().any(|l| l.contains("AUTHENTICATE")), "{:?}", server.heard());
}

#[tokio::test]
async fn a_refused_token_is_a_refusal_and_never_shown() {
    let server = imap_server("AUTH=XOAUTH2 AUTH=OAUTHBEARER");
    let e = imap_sign_in(&server, &grant(WRONG)).await.expect_err("refused");
    let EngineError::AuthenticationFailed { ref server_said, .. } = e else { panic!("{e:?}") };
    assert!(server_said.contains("invalid token"), "{server_said}");
    // The server quoted back the message it got, which carries the token in base64.
    let shown = format!("{e:?} {e}");
    for secret in [WRONG.to_owned(), oauthbearer(WRONG), BASE64.encode(WRONG)] {
        assert!(!shown.contains(&secret), "{shown}");
    }
    // After the error challenge the client acknowledged it (RFC 7628 3.2.3) rather than cancelling.
    assert!(server.heard().contains(&"AQ==".to_owned()), "{:?}", server.heard());
}

#[tokio::test]
async fn pop3_sends_the_token_by_sasl_and_counts_the_inbox() {
    let server = pop3_server("PLAIN XOAUTH2");
    assert_eq!(pop3_check(&server, &grant(TOKEN)).await.expect("signed in"), 2);
    assert!(server.heard().contains(&format!("AUTH XOAUTH2 {}", xoauth2(TOKEN))), "{:?}", server.heard());
}

#[tokio::test]
async fn pop3_refuses_a_wrong_token_without_showing_it() {
    let server = pop3_server("OAUTHBEARER");
    let e = pop3_check(&server, &grant(WRONG)).await.expect_err("refused");
    let EngineError::AuthenticationFailed { ref server_said, .. } = e else { panic!("{e:?}") };
    assert!(server_said.contains("invalid token"), "{server_said}");
    let shown = format!("{e:?} {e}");
    for secret in [WRONG.to_owned(), oauthbearer(WRONG)] {
        assert!(!shown.contains(&secret), "{shown}");
    }
}

#[tokio::test]
async fn a_grant_without_an_access_token_sends_nothing() {
    let server = imap_server("AUTH=OAUTHBEARER");
    let Credentials::OAuth2(mut empty) = grant(TOKEN) else { unreachable!() };
    empty.access_token = None;
    let e = imap_sign_in(&server, &Credentials::OAuth2(empty)).await.expect_err("no token");
    assert!(matches!(e, EngineError::InvalidInput { field: "credentials", .. }), "{e:?}");
    assert!(!server.heard().iter().any(|l| l.contains("AUTHENTICATE")), "{:?}", server.heard());
}
