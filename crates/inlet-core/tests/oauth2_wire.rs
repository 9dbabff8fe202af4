//! Bearer sign-in on the wire against real servers: tokens from the test authorization server
//! (oidc-provider, signed in by a person played by the test kit), Dovecot's oauth2 passdb and the
//! test SMTP server checking them at its introspection. Each of IMAP, POP3 and SMTP with XOAUTH2
//! and OAUTHBEARER; a revoked, an unknown and another user's token are refused, with the error
//! challenge's status and scope in what the server said, and the token never in the error.

mod common;

use common::*;
use inlet_core::account::{Endpoint, Security};
use inlet_core::error::EngineError;
use inlet_core::net::{Dial, Network};
use inlet_core::progress::Progress;
use inlet_core::secrets::{Credentials, OAuth2Grant, Secret};
use inlet_core::{imap, pop3, smtp, Deadlines};
use inlet_testkit::oauth::{AuthServer, AuthServerOptions, Style};
use inlet_testkit::{Dovecot, DovecotOAuth2, DovecotOptions, SmtpOptions, SmtpServer};
use std::time::Duration;

const SCOPES: [&str; 3] = [
    "https://outlook.office.com/IMAP.AccessAsUser.All",
    "https://outlook.office.com/POP.AccessAsUser.All",
    "https://outlook.office.com/SMTP.Send",
];

struct Servers {
    auth: AuthServer,
    dovecot: Dovecot,
    smtp: SmtpServer,
}

/// Dovecot with both mechanisms (and passwords), aiosmtpd with `smtp_mechanisms`.
fn servers(smtp_mechanisms: &[&str]) -> Servers {
    let auth = AuthServer::start(pki(), AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let dovecot = Dovecot::start(
        pki(),
        DovecotOptions { oauth2: Some(DovecotOAuth2::introspecting(&auth)), ..Default::default() },
    )
    .expect("dovecot starts");
    let mut options = SmtpOptions::default().with_oauth2(&auth);
    options.auth_mechanisms = smtp_mechanisms.iter().map(|m| m.to_string()).collect();
    let smtp = SmtpServer::start(pki(), options).expect("aiosmtpd starts");
    Servers { auth, dovecot, smtp }
}

fn grant(token: &str) -> Credentials {
    Credentials::OAuth2(OAuth2Grant {
        issuer: "https://login.microsoftonline.com/common/v2.0".into(),
        client_id: "inlet-test".into(),
        refresh_token_entry: "alice@example.test#1/refresh".into(),
        token_url: None,
        access_token: Some(Secret::new(token)),
    })
}

fn tls(port: u16) -> Endpoint {
    Endpoint { host: "127.0.0.1".into(), port, security: Security::Tls }
}

fn deadlines() -> Deadlines {
    // Each sign-in asks the authorization server; generous on a busy machine.
    Deadlines::all(Duration::from_secs(30))
}

enum Protocol {
    Imap,
    Pop3,
    Smtp,
}

async fn sign_in(protocol: Protocol, port: u16, credentials: &Credentials) -> Result<(), EngineError> {
    let (endpoint, network, deadlines, rec) =
        (tls(port), Network::new(&[pki().ca_pem_path()]).unwrap(), deadlines(), Recorder::default());
    let progress = Progress::new(&rec);
    let dial = Dial {
        endpoint: &endpoint,
        allow_plaintext_password: false,
        network: &network,
        trusted: &[],
        deadlines: &deadlines,
        progress: &progress,
    };
    let users = [ALICE.to_owned()];
    match protocol {
        Protocol::Imap => {
            let connected = imap::connect(&dial).await?;
            imap::sign_in(connected, &users, credentials, &deadlines, &progress).await.map(|_| ())
        }
        Protocol::Pop3 => pop3::check(&dial, &users, credentials).await.map(|_| ()),
        Protocol::Smtp => smtp::check(&dial, &users, credentials).await.map(|_| ()),
    }
}

fn ports(s: &Servers) -> [(Protocol, u16, &'static str); 3] {
    [
        (Protocol::Imap, s.dovecot.imaps_port(), "IMAP"),
        (Protocol::Pop3, s.dovecot.pop3s_port(), "POP3"),
        (Protocol::Smtp, s.smtp.smtps_port(), "SMTP"),
    ]
}

/// Each protocol signs in with a real token; OAUTHBEARER is chosen where offered (Dovecot
/// offers both), XOAUTH2 where it is all there is.
#[tokio::test]
async fn a_real_token_signs_in_to_imap_pop3_and_smtp_with_each_mechanism() {
    for smtp_mechanisms in [["OAUTHBEARER", "XOAUTH2"].as_slice(), ["XOAUTH2"].as_slice()] {
        let s = servers(smtp_mechanisms);
        let tokens = s.auth.sign_in(ALICE, &SCOPES);
        for (protocol, port, name) in ports(&s) {
            sign_in(protocol, port, &grant(&tokens.access_token))
                .await
                .unwrap_or_else(|e| panic!("{name} {smtp_mechanisms:?}: {e:?}\n{}", s.smtp.log_tail()));
        }
        let log = s.smtp.log_tail();
        let mechanism = smtp_mechanisms[0];
        assert!(log.contains(&format!("AUTH {mechanism} ")), "SMTP used {mechanism}: {log}");
    }
}

/// Dovecot with XOAUTH2 only on IMAP and POP3: the engine falls back to it.
#[tokio::test]
async fn dovecot_sign_in_with_xoauth2() {
    let auth = AuthServer::start(pki(), AuthServerOptions::default());
    let dovecot = Dovecot::start(
        pki(),
        DovecotOptions {
            oauth2: Some(DovecotOAuth2::introspecting(&auth)),
            imap_capability: Some("IMAP4rev1 SASL-IR AUTH=XOAUTH2".into()),
            ..Default::default()
        },
    )
    .expect("dovecot starts");
    let tokens = auth.sign_in(ALICE, &["mail"]);
    sign_in(Protocol::Imap, dovecot.imaps_port(), &grant(&tokens.access_token))
        .await
        .unwrap_or_else(|e| panic!("{e:?}\n{}", dovecot.log_tail()));
}

/// Revoked, unknown, another user's: a refusal of the credentials on every protocol, with the
/// error challenge's status (and, from SMTP, scope) kept, and the token nowhere in the error.
#[tokio::test]
async fn revoked_unknown_and_foreign_tokens_are_refused_with_the_challenge_kept() {
    let s = servers(&["OAUTHBEARER", "XOAUTH2"]);
    let revoked = s.auth.sign_in(ALICE, &SCOPES);
    let bobs = s.auth.sign_in("bob", &SCOPES);
    let other_app = s.auth.sign_in_as_client("other-app", ALICE, &SCOPES);
    s.auth.revoke_all(ALICE);
    let unknown = "an-unknown-token-canary".to_string();
    for (what, token) in [
        ("revoked", &revoked.access_token),
        ("unknown", &unknown),
        ("bob's", &bobs.access_token),
        ("another application's", &other_app.access_token),
    ] {
        for (protocol, port, name) in ports(&s) {
            let e = sign_in(protocol, port, &grant(token)).await.expect_err("refused");
            let EngineError::AuthenticationFailed { server_said, .. } = &e else {
                panic!("{what} on {name}: {e:?}");
            };
            assert!(server_said.contains("the token was refused (status"), "{what} on {name}: {server_said}");
            if name == "SMTP" {
                assert!(server_said.contains("scope https://outlook.office.com/SMTP.Send"), "{server_said}");
            }
            let shown = format!("{e} {e:?}");
            assert!(!shown.contains(token.as_str()), "{what} on {name}: {shown}");
        }
    }
}
